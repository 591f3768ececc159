//! Layer boundaries: Router/Handler → Service → Repository → Database, with schemas at the edge,
//! models underneath, and the shared layers (errors, config) usable from everywhere.

mod database;
mod database_access_outside_repository;
mod dependency_cycle;
mod handler_constructs_dependency;
mod handler_database_access;
mod handler_exposes_model;
mod http_type_in_inner_layer;
mod layer_crate_dependency;
mod layer_dependency;
mod layer_reexport_laundering;

use stratalint_engine::layers::LayerId;
use stratalint_engine::project::FileInfo;
use stratalint_engine::semantic::handlers::WEB_CRATES;
use stratalint_engine::{Cx, LayerMap, ProjectCx};

use crate::shared::db::DB_CRATES;

pub fn rules() -> Vec<Box<dyn stratalint_engine::Rule>> {
    vec![
        Box::new(handler_database_access::HandlerDatabaseAccess),
        Box::new(layer_dependency::LayerDependency),
        Box::new(database_access_outside_repository::DatabaseAccessOutsideRepository),
        Box::new(http_type_in_inner_layer::HttpTypeInInnerLayer::default()),
        Box::new(handler_exposes_model::HandlerExposesModel),
        Box::new(handler_constructs_dependency::HandlerConstructsDependency),
        Box::new(layer_reexport_laundering::LayerReexportLaundering),
        Box::new(dependency_cycle::DependencyCycle),
        Box::new(layer_crate_dependency::LayerCrateDependency),
    ]
}

/// The layer rules judge application code: files of a Cargo package (a file outside every package
/// has no architecture to check) that is not itself one of the web or database frameworks the
/// conventions are about (`tower-http/src/services/` serves HTTP by design, `sea-orm/src/entity/`
/// runs queries by design).
fn application_code(cx: &Cx<'_, '_>) -> bool {
    match cx.project().crate_of(cx.file()) {
        Some(c) => {
            // the package name as a crate name (`-` read as `_`), compared without building it:
            // this runs at every path of the api layer
            let is = |krate: &&str| package_is(&c.package, krate);
            !WEB_CRATES.iter().any(is)
                && !DB_CRATES.iter().any(is)
                && !["tower", "hyper", "hyper_util", "sqlx_macros"]
                    .iter()
                    .any(is)
        }
        None => false,
    }
}

/// Is the package `package` the crate `krate` (`hyper-util` is `hyper_util`)?
fn package_is(package: &str, krate: &str) -> bool {
    package.len() == krate.len()
        && package
            .bytes()
            .zip(krate.bytes())
            .all(|(p, k)| p == k || (p == b'-' && k == b'_'))
}

fn layer_name(layers: &LayerMap, id: LayerId) -> &str {
    &layers.get(id).name
}

/// A canonical path as the file `here` would write it: `crate::…` for its own crate.
fn display_path(cx: &ProjectCx<'_>, here: &FileInfo, path: &str) -> String {
    let own = cx.project.crate_of(here).map(|c| c.name.as_str());
    match path.split_once("::") {
        Some((first, rest)) if Some(first) == own => format!("crate::{rest}"),
        None if Some(path) == own => "crate".to_string(),
        _ => path.to_string(),
    }
}
