//! `init` on every layout fixture (`fixtures/layouts/<name>/`): the layers it finds, and a
//! config the engine accepts.

use std::path::PathBuf;

use super::{inspect, render, route_folders, Builder, Kind, Scan};

fn layout(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/layouts")
        .join(name)
        .canonicalize()
        .expect("layout fixture")
}

/// (layer, its paths, its crates) for a layout.
fn layers(name: &str) -> Vec<(Kind, Vec<String>, Vec<String>)> {
    let ins = inspect(&layout(name));
    let text = render(&ins);
    // the generated config compiles
    let path = layout(name).join("stratalint.toml");
    stratalint_engine::config::from_text(&path, text.as_str().into(), &[])
        .unwrap_or_else(|e| panic!("{name}: the generated config is invalid: {e}\n{text}"));
    ins.layers
        .into_iter()
        .map(|l| (l.kind, l.paths, l.crates))
        .collect()
}

fn paths_of(layers: &[(Kind, Vec<String>, Vec<String>)], kind: Kind) -> Vec<&str> {
    layers
        .iter()
        .find(|(k, _, _)| *k == kind)
        .map(|(_, p, _)| p.iter().map(String::as_str).collect())
        .unwrap_or_default()
}

fn may_use(name: &str, kind: Kind) -> Vec<Kind> {
    inspect(&layout(name))
        .layers
        .into_iter()
        .find(|l| l.kind == kind)
        .map(|l| l.may_use)
        .unwrap_or_default()
}

#[test]
fn seed_layout() {
    let l = layers("seed");
    assert_eq!(paths_of(&l, Kind::Api), ["src/api/**"]);
    assert_eq!(paths_of(&l, Kind::Services), ["src/services/**"]);
    assert_eq!(paths_of(&l, Kind::Repositories), ["src/repositories/**"]);
    assert_eq!(paths_of(&l, Kind::Models), ["src/models/**"]);
    assert_eq!(paths_of(&l, Kind::Schemas), ["src/schemas/**"]);
    assert_eq!(paths_of(&l, Kind::Core), ["src/core/**"]);
    assert_eq!(paths_of(&l, Kind::State), ["src/state.rs"]);
    assert_eq!(paths_of(&l, Kind::Root), ["src/lib.rs", "src/main.rs"]);
    assert_eq!(paths_of(&l, Kind::Migrations), ["migrations/**"]);
    assert_eq!(
        may_use("seed", Kind::Api),
        [Kind::State, Kind::Services, Kind::Schemas, Kind::Models]
    );
}

#[test]
fn flat_handlers_services_repository_models_dtos() {
    let l = layers("flat");
    assert_eq!(paths_of(&l, Kind::Api), ["src/handlers/**"]);
    assert_eq!(paths_of(&l, Kind::Services), ["src/services/**"]);
    assert_eq!(paths_of(&l, Kind::Repositories), ["src/repository/**"]);
    assert_eq!(paths_of(&l, Kind::Models), ["src/models/**"]);
    assert_eq!(paths_of(&l, Kind::Schemas), ["src/dtos/**"]);
    assert_eq!(paths_of(&l, Kind::Core), ["src/error.rs"]);
}

#[test]
fn routes_and_database_without_services() {
    let l = layers("routes-database");
    assert_eq!(paths_of(&l, Kind::Api), ["src/routes/**"]);
    assert_eq!(paths_of(&l, Kind::Repositories), ["src/database/**"]);
    assert_eq!(paths_of(&l, Kind::Models), ["src/models.rs"]);
    assert!(paths_of(&l, Kind::Services).is_empty());
    // no service layer: the handlers may use the database layer, and the comment says so
    assert_eq!(
        may_use("routes-database", Kind::Api),
        [Kind::Models, Kind::Repositories]
    );
    let text = render(&inspect(&layout("routes-database")));
    assert!(text.contains("No service layer was found"), "{text}");
}

#[test]
fn singular_controller_service_repository_model_dto() {
    let l = layers("mvc-singular");
    assert_eq!(paths_of(&l, Kind::Api), ["src/controller/**"]);
    assert_eq!(paths_of(&l, Kind::Services), ["src/service/**"]);
    assert_eq!(paths_of(&l, Kind::Repositories), ["src/repository/**"]);
    assert_eq!(paths_of(&l, Kind::Models), ["src/model/**"]);
    assert_eq!(paths_of(&l, Kind::Schemas), ["src/dto/**"]);
    assert_eq!(paths_of(&l, Kind::Core), ["src/config/**"]);
}

#[test]
fn feature_slices() {
    let l = layers("feature-slices");
    assert_eq!(paths_of(&l, Kind::Api), ["src/app/*/controller.rs"]);
    assert_eq!(paths_of(&l, Kind::Services), ["src/app/*/service.rs"]);
    assert_eq!(
        paths_of(&l, Kind::Repositories),
        ["src/app/*/repository.rs"]
    );
    assert_eq!(paths_of(&l, Kind::Models), ["src/app/*/model.rs"]);
    assert_eq!(paths_of(&l, Kind::Schemas), ["src/app/*/schemas.rs"]);
    assert_eq!(paths_of(&l, Kind::Core), ["src/shared/**"]);
    // the slices' mod.rs files wire them: no layer, and not mistaken for a handler folder
    let ins = inspect(&layout("feature-slices"));
    assert_eq!(
        ins.unassigned,
        [
            "src/app/mod.rs",
            "src/app/posts/mod.rs",
            "src/app/users/mod.rs"
        ]
    );
}

#[test]
fn http_handlers_with_sql() {
    let l = layers("http-sql");
    assert_eq!(paths_of(&l, Kind::Api), ["src/http/**"]);
    assert_eq!(paths_of(&l, Kind::Core), ["src/config.rs"]);
    let text = render(&inspect(&layout("http-sql")));
    assert!(text.contains("files here run database queries"), "{text}");
}

#[test]
fn workspace_of_layer_crates() {
    let l = layers("workspace");
    let crates = |k: Kind| {
        l.iter()
            .find(|(x, _, _)| *x == k)
            .map(|(_, _, c)| c.clone())
            .unwrap_or_default()
    };
    assert_eq!(crates(Kind::Api), ["conduit-api"]);
    assert_eq!(
        crates(Kind::Services),
        ["conduit-core"],
        "core is the application layer here"
    );
    assert_eq!(crates(Kind::Models), ["conduit-domain"]);
    assert_eq!(crates(Kind::Repositories), ["conduit-infrastructure"]);
    assert_eq!(crates(Kind::Root), ["conduit-server"]);
    let text = render(&inspect(&layout("workspace")));
    assert!(
        text.contains("`conduit-core` declares a dependency on `conduit-infrastructure`"),
        "{text}"
    );
}

#[test]
fn sea_orm_entities_and_migration_crate() {
    let l = layers("sea-orm");
    assert_eq!(paths_of(&l, Kind::Models), ["src/entities/**"]);
    assert_eq!(paths_of(&l, Kind::Api), ["src/handlers/**"]);
    assert_eq!(paths_of(&l, Kind::Services), ["src/services/**"]);
    let migration_crates: Vec<String> = l
        .iter()
        .find(|(k, _, _)| *k == Kind::Migrations)
        .map(|(_, _, c)| c.clone())
        .unwrap_or_default();
    assert_eq!(migration_crates, ["migration"]);
    assert_eq!(paths_of(&l, Kind::Root), ["src/lib.rs", "src/main.rs"]);
}

#[test]
fn diesel_schema_and_models() {
    let l = layers("diesel");
    assert_eq!(
        paths_of(&l, Kind::Models),
        ["src/models.rs", "src/schema.rs"]
    );
    assert_eq!(paths_of(&l, Kind::Api), ["src/routes/**"]);
    assert_eq!(paths_of(&l, Kind::Repositories), ["src/repository/**"]);
    assert_eq!(paths_of(&l, Kind::Migrations), ["migrations/**"]);
}

#[test]
fn a_member_crate_named_after_a_layer_is_that_layer() {
    let dir = std::env::temp_dir().join(format!("stratalint-init-member-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let write = |p: &str, t: &str| {
        let p = dir.join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, t).unwrap();
    };
    write(
        "Cargo.toml",
        "[package]\nname = \"shop\"\nversion = \"0.1.0\"\n\n[workspace]\nmembers = [\".\", \"entity\"]\n\n[dependencies]\nentity = { path = \"entity\" }\n",
    );
    write("src/main.rs", "mod api;\nfn main() {}\n");
    write("src/api/mod.rs", "");
    write(
        "entity/Cargo.toml",
        "[package]\nname = \"entity\"\nversion = \"0.1.0\"\n",
    );
    write("entity/src/lib.rs", "pub mod entities;\n");
    write("entity/src/entities/mod.rs", "");
    let ins = inspect(&dir.canonicalize().unwrap());
    let models = ins.layers.iter().find(|l| l.kind == Kind::Models).unwrap();
    assert_eq!(models.crates, ["entity"]);
    let root = ins.layers.iter().find(|l| l.kind == Kind::Root).unwrap();
    assert_eq!(
        root.paths,
        ["src/main.rs"],
        "the entity crate's lib.rs is not the composition root"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A folder whose name says nothing (`src/portal/`) but whose files register routes holds
/// handlers: it becomes the api layer, with all its files. A folder without registrations stays
/// unassigned, and one that feature slices claimed is left to them.
#[test]
fn route_folders_make_an_unknown_folder_with_routes_the_api_layer() {
    let mut b = Builder::default();
    for (rel, routes, sql) in [
        ("src/portal/mod.rs", 2, false),
        ("src/portal/pages.rs", 0, true),
        ("src/jobs/cleanup.rs", 0, false),
        ("src/app/orders/mod.rs", 1, false),
        ("src/lonely.rs", 1, false),
    ] {
        b.unassigned.push(rel.to_string());
        b.scans.insert(rel.to_string(), Scan { routes, sql });
    }
    b.slice_dirs.insert("src/app/orders".to_string());
    route_folders(&mut b);
    let api = &b.layers[&Kind::Api];
    assert_eq!(api.keys().collect::<Vec<_>>(), ["src/portal/"]);
    let portal = &api["src/portal/"];
    assert_eq!(portal.globs, ["src/portal/**"]);
    assert_eq!((portal.files, portal.routes, portal.sql_files), (2, 2, 1));
    assert_eq!(
        b.unassigned,
        [
            "src/jobs/cleanup.rs",
            "src/app/orders/mod.rs",
            "src/lonely.rs"
        ],
        "no routes, a feature slice's folder, a file directly in src/"
    );
}
