//! The layer map: which architectural layer a file, a module or a crate belongs to, and which
//! layer may use which. The default is the seed's layout and diagram:
//!
//! ```text
//! Router/Controller (api) → Service → Repository → Database
//!       ↓                      ↓           ↓
//!    Schemas               (business)    Models
//! ```

use globset::{Glob, GlobSet, GlobSetBuilder};

/// What a layer is for. Rules speak in roles ("the handler layer", "the repository layer"); users
/// name their layers as they like and give each a role (inferred from the name when it is one of
/// the usual ones).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// Routers, controllers, handlers.
    Api,
    Services,
    Repositories,
    Models,
    Schemas,
    /// Errors, config, utilities: usable from everywhere.
    Core,
    Migrations,
    /// The composition root: `main`, startup, state wiring.
    Root,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Api,
        Role::Services,
        Role::Repositories,
        Role::Models,
        Role::Schemas,
        Role::Core,
        Role::Migrations,
        Role::Root,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Api => "api",
            Role::Services => "services",
            Role::Repositories => "repositories",
            Role::Models => "models",
            Role::Schemas => "schemas",
            Role::Core => "core",
            Role::Migrations => "migrations",
            Role::Root => "root",
        }
    }

    /// The role of a layer name or synonym users commonly write.
    pub fn from_name(name: &str) -> Option<Role> {
        Some(match name {
            "api" | "handlers" | "handler" | "routes" | "router" | "routers" | "controllers"
            | "controller" | "http" | "web" | "endpoints" => Role::Api,
            "services" | "service" | "application" | "usecases" | "use-cases" => Role::Services,
            "repositories" | "repository" | "repo" | "repos" | "db" | "dal" | "persistence"
            | "database" | "infrastructure" | "storage" => Role::Repositories,
            "models" | "model" | "entities" | "entity" | "domain" => Role::Models,
            "schemas" | "schema" | "dto" | "dtos" => Role::Schemas,
            "core" | "common" | "shared" | "errors" | "config" | "utils" => Role::Core,
            "migrations" | "migration" => Role::Migrations,
            "root" | "composition-root" | "main" | "startup" | "app" => Role::Root,
            _ => return None,
        })
    }
}

pub type LayerId = usize;

#[derive(Clone, Debug)]
pub struct Layer {
    pub name: String,
    pub role: Option<Role>,
    pub paths: Vec<String>,
    pub modules: Vec<String>,
    pub crates: Vec<String>,
    pub may_use: Vec<LayerId>,
    /// Usable from every layer (errors, config).
    pub shared: bool,
}

/// A compiled layer map.
#[derive(Clone, Debug)]
pub struct LayerMap {
    layers: Vec<Layer>,
    globs: GlobSet,
    glob_owner: Vec<LayerId>,
}

/// One layer as written in the default map or in config, before compilation.
pub struct LayerSpec<'a> {
    pub name: &'a str,
    pub role: Option<Role>,
    pub paths: &'a [&'a str],
    pub modules: &'a [&'a str],
    pub crates: &'a [&'a str],
    pub may_use: &'a [&'a str],
    pub shared: bool,
}

impl LayerMap {
    /// The seed's layout, widened with the folder names Rust backends commonly use.
    pub fn seed_default() -> LayerMap {
        const D: &[&str] = &[];
        let specs = [
            LayerSpec {
                name: "migrations",
                role: Some(Role::Migrations),
                paths: &["**/migrations/**", "**/migration/**", "**/alembic/**"],
                modules: D,
                crates: &["migration"],
                may_use: D,
                shared: false,
            },
            LayerSpec {
                name: "root",
                role: Some(Role::Root),
                paths: &[
                    "**/src/main.rs",
                    "**/src/lib.rs",
                    "**/src/app.rs",
                    "**/src/startup.rs",
                    "**/src/server.rs",
                    "**/src/bin/**",
                ],
                modules: D,
                crates: D,
                may_use: &[
                    "state",
                    "api",
                    "services",
                    "repositories",
                    "models",
                    "schemas",
                    "core",
                ],
                shared: false,
            },
            // The shared application state handed to handlers (`State<AppState>`): wiring, so it
            // may hold services and pools, and handlers may reach services through it.
            LayerSpec {
                name: "state",
                role: Some(Role::Root),
                paths: &["**/src/state.rs", "**/src/app_state.rs", "**/src/state/**"],
                modules: D,
                crates: D,
                may_use: &["services", "repositories", "models", "schemas", "core"],
                shared: false,
            },
            LayerSpec {
                name: "api",
                role: Some(Role::Api),
                paths: &[
                    "**/src/api/**",
                    "**/src/api.rs",
                    "**/src/handlers/**",
                    "**/src/handlers.rs",
                    "**/src/routes/**",
                    "**/src/routes.rs",
                    "**/src/router.rs",
                    "**/src/controllers/**",
                    "**/src/controllers.rs",
                    "**/src/http/**",
                    "**/src/web/**",
                ],
                modules: D,
                crates: D,
                may_use: &["state", "services", "schemas", "models", "core"],
                shared: false,
            },
            LayerSpec {
                name: "services",
                role: Some(Role::Services),
                paths: &[
                    "**/src/services/**",
                    "**/src/services.rs",
                    "**/src/service/**",
                ],
                modules: D,
                crates: D,
                may_use: &["repositories", "models", "schemas", "core"],
                shared: false,
            },
            LayerSpec {
                name: "repositories",
                role: Some(Role::Repositories),
                paths: &[
                    "**/src/repositories/**",
                    "**/src/repositories.rs",
                    "**/src/repository/**",
                    "**/src/repo/**",
                    "**/src/repos/**",
                    "**/src/db/**",
                    "**/src/db.rs",
                    "**/src/database/**",
                    "**/src/dal/**",
                    "**/src/persistence/**",
                ],
                modules: D,
                crates: D,
                may_use: &["models", "core"],
                shared: false,
            },
            LayerSpec {
                name: "schemas",
                role: Some(Role::Schemas),
                paths: &[
                    "**/src/schemas/**",
                    "**/src/schemas.rs",
                    "**/src/dto/**",
                    "**/src/dtos/**",
                ],
                modules: D,
                crates: D,
                may_use: &["models", "core"],
                shared: false,
            },
            LayerSpec {
                name: "models",
                role: Some(Role::Models),
                paths: &[
                    "**/src/models/**",
                    "**/src/models.rs",
                    "**/src/model/**",
                    "**/src/entities/**",
                    "**/src/entity/**",
                    "**/src/domain/**",
                    // diesel's generated `table!` definitions: the data model, which the
                    // models' `#[diesel(table_name = …)]` attributes and imports refer to
                    "**/src/schema.rs",
                ],
                modules: D,
                crates: D,
                may_use: &["core"],
                shared: false,
            },
            LayerSpec {
                name: "core",
                role: Some(Role::Core),
                paths: &[
                    "**/src/core/**",
                    "**/src/core.rs",
                    "**/src/config.rs",
                    "**/src/config/**",
                    "**/src/error.rs",
                    "**/src/errors.rs",
                    "**/src/errors/**",
                    "**/src/utils/**",
                    "**/src/utils.rs",
                ],
                modules: D,
                crates: D,
                may_use: D,
                shared: true,
            },
        ];
        LayerMap::build(&specs).expect("the default layer map is valid")
    }

    /// Compile specs. Errors name the offending layer or glob: (message, index of the spec,
    /// which field, index in the field).
    pub fn build(specs: &[LayerSpec<'_>]) -> Result<LayerMap, LayerMapError> {
        let mut layers = Vec::with_capacity(specs.len());
        let mut builder = GlobSetBuilder::new();
        let mut glob_owner = Vec::new();
        check_duplicates(specs)?;
        for (i, s) in specs.iter().enumerate() {
            for (j, p) in s.paths.iter().enumerate() {
                let glob = Glob::new(p).map_err(|e| LayerMapError::BadGlob {
                    layer: i,
                    index: j,
                    message: e.kind().to_string(),
                })?;
                builder.add(glob);
                glob_owner.push(i);
            }
            let mut may_use = Vec::new();
            for (j, target) in s.may_use.iter().enumerate() {
                let Some(t) = specs.iter().position(|o| o.name == *target) else {
                    return Err(LayerMapError::UnknownLayer {
                        layer: i,
                        index: j,
                        name: target.to_string(),
                    });
                };
                if t == i {
                    return Err(LayerMapError::SelfUse { layer: i, index: j });
                }
                // everything may use a shared layer, so a shared layer that uses another layer
                // closes a cycle through every layer that layer may use
                if s.shared && !specs[t].shared {
                    return Err(LayerMapError::SharedUsesLayer { layer: i, index: j });
                }
                may_use.push(t);
            }
            layers.push(Layer {
                name: s.name.to_string(),
                role: s.role.or_else(|| Role::from_name(s.name)),
                paths: s.paths.iter().map(|p| p.to_string()).collect(),
                modules: s
                    .modules
                    .iter()
                    .map(|m| m.trim_start_matches("crate::").to_string())
                    .collect(),
                crates: s.crates.iter().map(|c| c.replace('-', "_")).collect(),
                may_use,
                shared: s.shared,
            });
        }
        if let Some(cycle) = find_cycle(&layers) {
            return Err(LayerMapError::Cycle { layers: cycle });
        }
        let globs = builder.build().map_err(|e| LayerMapError::BadGlob {
            layer: 0,
            index: 0,
            message: e.to_string(),
        })?;
        Ok(LayerMap {
            layers,
            globs,
            glob_owner,
        })
    }

    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    pub fn get(&self, id: LayerId) -> &Layer {
        &self.layers[id]
    }

    pub fn by_name(&self, name: &str) -> Option<LayerId> {
        self.layers.iter().position(|l| l.name == name)
    }

    /// The first layer with this role.
    pub fn by_role(&self, role: Role) -> Option<LayerId> {
        self.layers.iter().position(|l| l.role == Some(role))
    }

    pub fn role(&self, id: LayerId) -> Option<Role> {
        self.layers[id].role
    }

    /// The layer of a file: its path (relative to the project root, `/`-separated), then its module
    /// path (`api::v1::users`, without `crate::`), then its crate. The first matching layer in
    /// declaration order wins for globs.
    pub fn layer_of(
        &self,
        rel_path: &str,
        module_path: &str,
        crate_name: Option<&str>,
    ) -> Option<LayerId> {
        let mut best: Option<LayerId> = None;
        for idx in self.globs.matches(rel_path) {
            let owner = self.glob_owner[idx];
            best = Some(best.map_or(owner, |b| b.min(owner)));
        }
        if best.is_some() {
            return best;
        }
        self.layer_of_module(module_path, crate_name)
    }

    /// The layer of a module path (`services::user_service`) inside a crate, by module prefixes
    /// and crate names only.
    pub fn layer_of_module(&self, module_path: &str, crate_name: Option<&str>) -> Option<LayerId> {
        let mut best: Option<(usize, LayerId)> = None;
        for (i, l) in self.layers.iter().enumerate() {
            for m in &l.modules {
                let inside = module_path == m
                    || (module_path.starts_with(m.as_str())
                        && module_path[m.len()..].starts_with("::"));
                if inside && best.is_none_or(|(len, _)| m.len() > len) {
                    best = Some((m.len(), i));
                }
            }
        }
        if let Some((_, id)) = best {
            return Some(id);
        }
        let c = crate_name?;
        self.layers
            .iter()
            .position(|l| l.crates.iter().any(|x| x == c))
    }

    pub fn is_shared(&self, id: LayerId) -> bool {
        self.layers[id].shared
    }

    /// May code in `from` depend on `to`?
    pub fn allows(&self, from: LayerId, to: LayerId) -> bool {
        from == to || self.layers[to].shared || self.layers[from].may_use.contains(&to)
    }

    /// The layers `from` may use besides itself: its `may-use` list, then the shared layers.
    pub fn allowed_names(&self, from: LayerId) -> Vec<&str> {
        let l = &self.layers[from];
        let mut names: Vec<&str> = l
            .may_use
            .iter()
            .map(|&i| self.layers[i].name.as_str())
            .collect();
        for (i, other) in self.layers.iter().enumerate() {
            if other.shared && i != from && !l.may_use.contains(&i) {
                names.push(other.name.as_str());
            }
        }
        names
    }

    /// Human text for the help of a layer violation: "api may use: services, schemas, core".
    pub fn allowed_text(&self, from: LayerId) -> String {
        let l = &self.layers[from];
        let names = self.allowed_names(from);
        if names.is_empty() {
            format!("`{}` may not use any other layer", l.name)
        } else {
            format!("`{}` may use: {}", l.name, names.join(", "))
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LayerMapError {
    BadGlob {
        layer: usize,
        index: usize,
        message: String,
    },
    UnknownLayer {
        layer: usize,
        index: usize,
        name: String,
    },
    SelfUse {
        layer: usize,
        index: usize,
    },
    Cycle {
        layers: Vec<usize>,
    },
    /// A shared layer lists a layer that is not shared in `may-use`.
    SharedUsesLayer {
        layer: usize,
        index: usize,
    },
    /// The same glob, module or crate is given to two layers: which one wins would be an accident
    /// of declaration order.
    Duplicate {
        field: SelectorField,
        layer: usize,
        index: usize,
        first_layer: usize,
    },
}

/// Which list of a layer a selector is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelectorField {
    Paths,
    Modules,
    Crates,
}

impl SelectorField {
    pub fn key(self) -> &'static str {
        match self {
            SelectorField::Paths => "paths",
            SelectorField::Modules => "modules",
            SelectorField::Crates => "crates",
        }
    }
}

fn check_duplicates(specs: &[LayerSpec<'_>]) -> Result<(), LayerMapError> {
    type Normalised = fn(&LayerSpec<'_>) -> Vec<String>;
    let fields: [(SelectorField, Normalised); 3] = [
        (SelectorField::Paths, |s| {
            s.paths.iter().map(|p| p.to_string()).collect()
        }),
        (SelectorField::Modules, |s| {
            s.modules
                .iter()
                .map(|m| m.trim_start_matches("crate::").to_string())
                .collect()
        }),
        (SelectorField::Crates, |s| {
            s.crates.iter().map(|c| c.replace('-', "_")).collect()
        }),
    ];
    for (field, get) in fields {
        let mut seen: Vec<(String, usize)> = Vec::new();
        for (i, s) in specs.iter().enumerate() {
            for (j, v) in get(s).into_iter().enumerate() {
                if let Some((_, first)) = seen.iter().find(|(x, l)| *x == v && *l != i) {
                    return Err(LayerMapError::Duplicate {
                        field,
                        layer: i,
                        index: j,
                        first_layer: *first,
                    });
                }
                seen.push((v, i));
            }
        }
    }
    Ok(())
}

/// A cycle in `may_use` (shared layers excluded: they are leaves by definition).
fn find_cycle(layers: &[Layer]) -> Option<Vec<usize>> {
    // 0 = unvisited, 1 = on stack, 2 = done
    fn dfs(
        n: usize,
        layers: &[Layer],
        state: &mut [u8],
        stack: &mut Vec<usize>,
    ) -> Option<Vec<usize>> {
        state[n] = 1;
        stack.push(n);
        for &m in &layers[n].may_use {
            if state[m] == 1 {
                let pos = stack.iter().position(|&x| x == m).unwrap_or(0);
                let mut cycle = stack[pos..].to_vec();
                cycle.push(m);
                return Some(cycle);
            }
            if state[m] == 0 {
                if let Some(c) = dfs(m, layers, state, stack) {
                    return Some(c);
                }
            }
        }
        stack.pop();
        state[n] = 2;
        None
    }
    let mut state = vec![0u8; layers.len()];
    for i in 0..layers.len() {
        if state[i] == 0 {
            let mut stack = Vec::new();
            if let Some(c) = dfs(i, layers, &mut state, &mut stack) {
                return Some(c);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_layout_maps_files_to_layers() {
        let m = LayerMap::seed_default();
        let name = |p: &str| m.layer_of(p, "", None).map(|l| m.get(l).name.clone());
        assert_eq!(name("src/api/v1/users.rs").as_deref(), Some("api"));
        assert_eq!(
            name("crates/app/src/handlers/users.rs").as_deref(),
            Some("api")
        );
        assert_eq!(
            name("src/services/user_service.rs").as_deref(),
            Some("services")
        );
        assert_eq!(
            name("src/repositories/user_repository.rs").as_deref(),
            Some("repositories")
        );
        assert_eq!(name("src/core/errors.rs").as_deref(), Some("core"));
        assert_eq!(name("src/main.rs").as_deref(), Some("root"));
        assert_eq!(
            name("migrations/20260117_0930_create_users.sql").as_deref(),
            Some("migrations")
        );
        assert_eq!(name("src/other.rs"), None);
    }

    #[test]
    fn seed_directions() {
        let m = LayerMap::seed_default();
        let id = |n: &str| m.by_name(n).unwrap();
        assert!(m.allows(id("api"), id("services")));
        assert!(
            !m.allows(id("api"), id("repositories")),
            "api may not skip the service layer"
        );
        assert!(!m.allows(id("repositories"), id("services")));
        assert!(m.allows(id("repositories"), id("core")), "core is shared");
        assert!(m.allows(id("models"), id("core")));
    }

    #[test]
    fn cycles_and_unknown_layers_are_errors() {
        let a = LayerSpec {
            name: "a",
            role: None,
            paths: &[],
            modules: &[],
            crates: &[],
            may_use: &["b"],
            shared: false,
        };
        let b = LayerSpec {
            name: "b",
            role: None,
            paths: &[],
            modules: &[],
            crates: &[],
            may_use: &["a"],
            shared: false,
        };
        assert!(matches!(
            LayerMap::build(&[a, b]),
            Err(LayerMapError::Cycle { .. })
        ));
        let c = LayerSpec {
            name: "c",
            role: None,
            paths: &[],
            modules: &[],
            crates: &[],
            may_use: &["nope"],
            shared: false,
        };
        assert!(matches!(
            LayerMap::build(&[c]),
            Err(LayerMapError::UnknownLayer { .. })
        ));
    }

    fn spec<'a>(
        name: &'a str,
        paths: &'a [&'a str],
        may_use: &'a [&'a str],
        shared: bool,
    ) -> LayerSpec<'a> {
        LayerSpec {
            name,
            role: None,
            paths,
            modules: &[],
            crates: &[],
            may_use,
            shared,
        }
    }

    #[test]
    fn contradictory_maps_are_errors() {
        // a shared layer may only use shared layers
        let core = spec("core", &[], &["models"], true);
        let models = spec("models", &[], &[], false);
        assert_eq!(
            LayerMap::build(&[core, models]).unwrap_err(),
            LayerMapError::SharedUsesLayer { layer: 0, index: 0 }
        );
        // one glob in two layers
        let a = spec("api", &["src/api/**"], &[], false);
        let b = spec("web", &["src/web/**", "src/api/**"], &[], false);
        assert_eq!(
            LayerMap::build(&[a, b]).unwrap_err(),
            LayerMapError::Duplicate {
                field: SelectorField::Paths,
                layer: 1,
                index: 1,
                first_layer: 0
            }
        );
        // shared layers may use each other
        let errors = spec("errors", &[], &[], true);
        let config = spec("config", &[], &["errors"], true);
        assert!(LayerMap::build(&[errors, config]).is_ok());
    }

    #[test]
    fn diesel_schema_is_the_data_model() {
        let m = LayerMap::seed_default();
        let l = m.layer_of("src/schema.rs", "schema", None).unwrap();
        assert_eq!(m.get(l).name, "models");
    }

    #[test]
    fn module_and_crate_layers() {
        let api = LayerSpec {
            name: "api",
            role: None,
            paths: &[],
            modules: &["crate::web"],
            crates: &["conduit-api"],
            may_use: &[],
            shared: false,
        };
        let m = LayerMap::build(&[api]).unwrap();
        assert_eq!(m.layer_of("x/y.rs", "web::users", None), Some(0));
        assert_eq!(m.layer_of("x/y.rs", "webby", None), None);
        assert_eq!(m.layer_of("x/y.rs", "other", Some("conduit_api")), Some(0));
        assert_eq!(m.role(0), Some(Role::Api));
    }
}
