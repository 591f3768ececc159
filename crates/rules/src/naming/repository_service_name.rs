//! Repositories end in `Repository` and services in `Service` (`UserRepository`, `UserService`).
//!
//! A repository is a struct of the repositories layer that holds a database pool or connection;
//! a service is a struct of the services layer that holds repositories, other services or a pool.
//! Other structs of those layers (rows, errors, inputs) are not concerned.

use serde::Deserialize;
use stratalint_engine::project::Project;
use stratalint_engine::syn::{Fields, GenericParam, Item, ItemStruct, TypeParamBound};
use stratalint_engine::{Cx, Hooks, QualifiedName, Role, Rule, RuleMeta, RuleOptions};

use super::inflect::pascal_words;
use crate::shared::db::db_access;

static META: RuleMeta = crate::meta!("repository-service-name", Naming, "naming", Warning);

pub struct RepositoryServiceName {
    repository_suffixes: Vec<String>,
    service_suffixes: Vec<String>,
}

impl Default for RepositoryServiceName {
    fn default() -> Self {
        RepositoryServiceName {
            repository_suffixes: vec!["Repository".into()],
            service_suffixes: vec!["Service".into()],
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Options {
    repository_suffixes: Option<Vec<String>>,
    service_suffixes: Option<Vec<String>>,
}

/// Names of wiring types, not repositories or services, even when they hold a pool.
const WIRING: &[&str] = &[
    "Db",
    "Database",
    "Pool",
    "Connection",
    "Conn",
    "Client",
    "State",
    "Config",
    "Settings",
    "Context",
    "Ctx",
    "Tx",
    "Transaction",
    "Migrator",
    "Deps",
    "Dependencies",
    "Container",
    "Registry",
    "Builder",
    "Inner",
    "Provider",
    "Factory",
];

/// The layer role of the file defining a resolved type, if it is in this project.
fn role_of(project: &Project, q: &QualifiedName) -> Option<Role> {
    let krate = project.local_crate(q.first())?;
    let module = q.parent()?;
    let module = module
        .as_str()
        .strip_prefix(q.first())?
        .trim_start_matches("::");
    project.file_of_module(&krate.name, module)?.role
}

fn is_named(q: &QualifiedName, endings: &[&str]) -> bool {
    endings.iter().any(|e| q.last().ends_with(e))
}

/// What the struct holds: (a pool or connection, a repository or service).
fn holds(cx: &Cx<'_, '_>, s: &ItemStruct) -> (bool, bool) {
    let mut types: Vec<QualifiedName> = Vec::new();
    if let Fields::Named(f) = &s.fields {
        types.extend(f.named.iter().filter_map(|f| cx.resolve_type_peeled(&f.ty)));
    }
    if let Fields::Unnamed(f) = &s.fields {
        types.extend(
            f.unnamed
                .iter()
                .filter_map(|f| cx.resolve_type_peeled(&f.ty)),
        );
    }
    for p in &s.generics.params {
        if let GenericParam::Type(t) = p {
            for b in &t.bounds {
                if let TypeParamBound::Trait(tb) = b {
                    types.extend(cx.resolve(&tb.path));
                }
            }
        }
    }
    let db = types.iter().any(|q| db_access(q).is_some());
    let layered = types.iter().any(|q| {
        matches!(
            role_of(cx.project(), q),
            Some(Role::Repositories | Role::Services)
        ) && db_access(q).is_none()
            || is_named(q, &["Repository", "Repo", "Service", "Store"])
    });
    (db, layered)
}

impl Rule for RepositoryServiceName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::ITEM
    }

    fn configure(&mut self, options: RuleOptions<'_>) -> Result<(), toml::de::Error> {
        let o = Options::deserialize(options)?;
        if let Some(s) = o.repository_suffixes {
            self.repository_suffixes = s;
        }
        if let Some(s) = o.service_suffixes {
            self.service_suffixes = s;
        }
        Ok(())
    }

    fn check_item(&self, cx: &mut Cx<'_, '_>, item: &Item) {
        let Item::Struct(s) = item else { return };
        let (what, suffixes) = match cx.role() {
            Some(Role::Repositories) => ("repository", &self.repository_suffixes),
            Some(Role::Services) => ("service", &self.service_suffixes),
            _ => return,
        };
        if cx.in_test() || cx.current_fn().is_some() {
            return;
        }
        let name = s.ident.to_string();
        let words = pascal_words(&name);
        // `UserRepository`, and its implementations `PgUserRepository`, `UserRepositoryImpl`
        let named = suffixes.iter().any(|x| {
            let sw = pascal_words(x);
            words.len() > sw.len() && words.windows(sw.len()).any(|w| w == sw.as_slice())
        });
        if named {
            return;
        }
        let last = words.last().map(|w| w.to_string()).unwrap_or_default();
        if WIRING.contains(&last.as_str()) {
            return;
        }
        let (db, layered) = holds(cx, s);
        let is_it = match what {
            "repository" => db,
            _ => db || layered,
        };
        if !is_it {
            return;
        }
        let held = if db {
            "a database pool or connection"
        } else {
            "repositories or services"
        };
        let suffix = suffixes.first().map(String::as_str).unwrap_or("");
        let base = name
            .strip_suffix("Repo")
            .or_else(|| name.strip_suffix("Store"))
            .or_else(|| name.strip_suffix("Manager"))
            .or_else(|| name.strip_suffix("Dao"))
            .unwrap_or(&name);
        let d = cx
            .diag(
                s.ident.span(),
                format!("`{name}` holds {held}: a {what}, but its name does not end in `{suffix}`"),
            )
            .with_label(format!("{what} name"))
            .with_help(format!(
                "name it `{base}{suffix}`; other endings can be allowed with `{what}-suffixes` under `[rules.repository-service-name]`"
            ));
        cx.report(d);
    }
}
