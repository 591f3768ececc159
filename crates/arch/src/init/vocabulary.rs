//! The names Rust backends give their layers: folders, files, feature-slice files and workspace
//! crates.

/// The layers `init` knows, in the order they are written (a file takes the first layer whose
/// globs match it, so the composition root comes first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Root,
    State,
    Migrations,
    Api,
    Services,
    Repositories,
    Schemas,
    Models,
    Core,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Root,
        Kind::State,
        Kind::Migrations,
        Kind::Api,
        Kind::Services,
        Kind::Repositories,
        Kind::Schemas,
        Kind::Models,
        Kind::Core,
    ];

    /// The layer's name in the generated map (also its role, except for `state`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Root => "root",
            Kind::State => "state",
            Kind::Migrations => "migrations",
            Kind::Api => "api",
            Kind::Services => "services",
            Kind::Repositories => "repositories",
            Kind::Schemas => "schemas",
            Kind::Models => "models",
            Kind::Core => "core",
        }
    }

    /// What the layer is for, as the comment above it says.
    pub fn purpose(self) -> &'static str {
        match self {
            Kind::Root => "The composition root: builds the pool, the repositories, the services and the router.",
            Kind::State => "The application state handed to handlers (`State<AppState>`, `web::Data`): wiring.",
            Kind::Migrations => "Database migrations.",
            Kind::Api => "Routers, controllers and request handlers: thin, they call services.",
            Kind::Services => "Business logic: services orchestrate repositories.",
            Kind::Repositories => "Database access: the only layer that runs queries.",
            Kind::Schemas => "Request and response schemas (DTOs): the shape of the API.",
            Kind::Models => "Models and entities: the data as stored.",
            Kind::Core => "Errors, configuration and utilities: shared, every layer may use them.",
        }
    }

    /// The layers this one may use, by the seed's diagram (shared `core` is implicit).
    pub fn seed_may_use(self) -> &'static [Kind] {
        match self {
            Kind::Root => &[
                Kind::State,
                Kind::Api,
                Kind::Services,
                Kind::Repositories,
                Kind::Schemas,
                Kind::Models,
                Kind::Migrations,
            ],
            Kind::State => &[
                Kind::Services,
                Kind::Repositories,
                Kind::Schemas,
                Kind::Models,
            ],
            Kind::Api => &[Kind::State, Kind::Services, Kind::Schemas, Kind::Models],
            Kind::Services => &[Kind::Repositories, Kind::Schemas, Kind::Models],
            Kind::Repositories => &[Kind::Models],
            Kind::Schemas => &[Kind::Models],
            Kind::Models | Kind::Core | Kind::Migrations => &[],
        }
    }
}

/// A folder directly under `src/` (`src/handlers/`).
pub fn folder(name: &str) -> Option<Kind> {
    Some(match name {
        "api" | "apis" | "handlers" | "handler" | "routes" | "route" | "router" | "routers"
        | "controllers" | "controller" | "http" | "web" | "endpoints" | "rest" | "resources" => {
            Kind::Api
        }
        "services" | "service" | "usecases" | "use_cases" | "application" | "logic"
        | "business" | "interactors" => Kind::Services,
        "repositories" | "repository" | "repos" | "repo" | "db" | "database" | "dal"
        | "persistence" | "store" | "stores" | "storage" | "infrastructure" | "infra" | "dao"
        | "daos" | "queries" => Kind::Repositories,
        "schemas" | "dto" | "dtos" | "requests" | "responses" | "payloads" | "contracts" => {
            Kind::Schemas
        }
        "models" | "model" | "entities" | "entity" | "domain" => Kind::Models,
        "core" | "common" | "shared" | "utils" | "util" | "errors" | "error" | "config"
        | "configuration" | "settings" | "helpers" | "telemetry" => Kind::Core,
        "state" | "app_state" => Kind::State,
        "bin" => Kind::Root,
        "migrations" | "migration" => Kind::Migrations,
        _ => return None,
    })
}

/// A file directly under `src/` (`src/schema.rs`, `src/startup.rs`).
pub fn top_file(stem: &str, diesel: bool) -> Option<Kind> {
    Some(match stem {
        "main" | "lib" | "startup" | "app" | "server" | "bootstrap" => Kind::Root,
        // diesel's generated `table!`s: the data model
        "schema" if diesel => Kind::Models,
        "schema" => return None,
        other => folder(other)?,
    })
}

/// A file inside a feature folder (`src/app/users/controller.rs`).
pub fn slice_file(stem: &str) -> Option<Kind> {
    Some(match stem {
        "controller" | "controllers" | "handler" | "handlers" | "routes" | "router" | "api"
        | "endpoints" => Kind::Api,
        "service" | "services" | "usecase" | "usecases" => Kind::Services,
        "repository" | "repositories" | "repo" | "store" | "db" | "dao" | "queries" => {
            Kind::Repositories
        }
        "schemas" | "schema" | "dto" | "dtos" | "requests" | "responses" | "payload"
        | "payloads" => Kind::Schemas,
        "model" | "models" | "entity" | "entities" => Kind::Models,
        _ => return None,
    })
}

/// A workspace crate, by the words of its package name (`conduit-infrastructure`); `has_models`:
/// another crate holds the models (then a `core` crate is the application layer, not utilities).
pub fn crate_kind(package: &str, has_models: bool) -> Option<Kind> {
    for word in package.rsplit(['-', '_']) {
        let kind = match word {
            "api" | "http" | "web" | "rest" | "graphql" | "handlers" | "routes" | "gateway" => {
                Kind::Api
            }
            "core" if has_models => Kind::Services,
            "app" | "application" | "usecases" | "services" | "service" | "logic" => Kind::Services,
            "domain" | "model" | "models" | "entity" | "entities" | "types" => Kind::Models,
            "infrastructure" | "infra" | "persistence" | "db" | "database" | "storage"
            | "store" | "repository" | "repositories" | "adapters" | "data" => Kind::Repositories,
            "migration" | "migrations" => Kind::Migrations,
            "core" | "common" | "shared" | "utils" | "errors" | "config" | "kernel" => Kind::Core,
            "dto" | "dtos" | "schemas" | "contracts" => Kind::Schemas,
            _ => continue,
        };
        return Some(kind);
    }
    None
}
