//! Where a finding about failure handling or logging applies: the request path (handlers,
//! services, repositories), backend code in general, and what is exempt everywhere (tests,
//! startup code).

use stratalint_engine::semantic::{FnInfo, HandlerStatus};
use stratalint_engine::syn::{ReturnType, Type};
use stratalint_engine::{Cx, Diagnostic, Role};

use super::db::DB_CRATES;

/// Web frameworks whose presence in a crate's dependencies makes it a backend.
const SERVER_CRATES: &[&str] = &[
    "axum",
    "actix_web",
    "rocket",
    "poem",
    "warp",
    "salvo",
    "ntex",
    "tide",
    "loco_rs",
];

/// Return types (last segment) of functions that assemble the application rather than serve a
/// request: routers, actix scopes and service configs, middleware layers.
const APP_BUILDING_TYPES: &[&str] = &[
    "Router",
    "MethodRouter",
    "Scope",
    "App",
    "ServiceConfig",
    "Resource",
    "Route",
    "CorsLayer",
    "Rocket",
    "Server",
];

/// Does a finding hold here?
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    Yes,
    /// Only if the current function is a request handler (known after every router was seen).
    IfHandler,
    No,
}

/// Startup code: `main` and the usual startup functions, `const`/`static` and lazy initialisers,
/// constructors (`fn new(..) -> Self`), and functions that build the router or the app
/// (`fn routes() -> Router`, `fn config(cfg: &mut web::ServiceConfig)`).
pub fn is_startup(cx: &Cx<'_, '_>) -> bool {
    if cx.in_static_init() {
        return true;
    }
    let Some(f) = cx.current_fn() else {
        return false;
    };
    if f.is_startup() || is_constructor(f) {
        return true;
    }
    let builds_app = |ty: &Type| {
        let ty = match ty {
            Type::Reference(r) => &*r.elem,
            other => other,
        };
        matches!(ty, Type::Path(p) if p.path.segments.last().is_some_and(|s| APP_BUILDING_TYPES.contains(&s.ident.to_string().as_str())))
    };
    !f.is_async
        && (matches!(&f.sig.output, ReturnType::Type(_, t) if builds_app(t))
            || f.sig
                .inputs
                .iter()
                .any(|i| matches!(i, stratalint_engine::syn::FnArg::Typed(t) if builds_app(&t.ty))))
}

/// A constructor (`new`, `new_*`, `with_*`, `builder`, `default` returning `Self`): it runs when
/// the application is wired, not per request.
fn is_constructor(f: &FnInfo<'_>) -> bool {
    let n = f.name.as_str();
    let named = n == "new"
        || n.starts_with("new_")
        || n.starts_with("with_")
        || n == "builder"
        || n == "default";
    let returns_self = match &f.sig.output {
        ReturnType::Type(_, t) => match &**t {
            Type::Path(p) => {
                let last = p.path.segments.last().map(|s| s.ident.to_string());
                last.as_deref() == Some("Self")
                    || f.impl_of
                        .as_ref()
                        .and_then(|(ty, _)| ty.as_ref())
                        .is_some_and(|ty| last.as_deref() == Some(ty.last()))
            }
            _ => false,
        },
        ReturnType::Default => false,
    };
    named && returns_self && !f.is_async
}

/// Is the code being walked on the request path: a file of the api, services or repositories
/// layer, or a request handler anywhere? Never in tests or startup code.
pub fn request_path(cx: &Cx<'_, '_>) -> Reach {
    if cx.in_test() || is_startup(cx) {
        return Reach::No;
    }
    if matches!(
        cx.role(),
        Some(Role::Api | Role::Services | Role::Repositories)
    ) {
        return Reach::Yes;
    }
    handler_reach(cx)
}

/// Is the code being walked backend code: a file of a layer (but migrations, and the crate-root
/// files of a crate that is not a backend), a file of a crate that depends on a web framework or
/// a database crate, or a request handler? Never in tests.
pub fn backend_code(cx: &Cx<'_, '_>) -> Reach {
    if cx.in_test() {
        return Reach::No;
    }
    let krate = cx.project().crate_of(cx.file());
    let backend_crate = krate.is_some_and(|c| {
        c.deps.iter().any(|d| {
            SERVER_CRATES.contains(&d.package.as_str()) || DB_CRATES.contains(&d.package.as_str())
        })
    });
    match cx.role() {
        Some(Role::Migrations) => return Reach::No,
        // `src/main.rs`, `src/lib.rs`, `src/bin/`: any crate's root; a backend's if the crate is
        // one (a workspace's command-line tool is not)
        Some(Role::Root) if krate.is_some() && !backend_crate => {}
        Some(_) => return Reach::Yes,
        None => {}
    }
    if backend_crate {
        return Reach::Yes;
    }
    handler_reach(cx)
}

fn handler_reach(cx: &Cx<'_, '_>) -> Reach {
    match cx.current_fn().map(|f| &f.handler) {
        Some(HandlerStatus::Yes) => Reach::Yes,
        Some(HandlerStatus::IfRegistered(_)) => Reach::IfHandler,
        _ => Reach::No,
    }
}

/// Report `d` where `reach` says it holds.
pub fn report_where(cx: &mut Cx<'_, '_>, reach: Reach, d: Diagnostic) {
    match reach {
        Reach::Yes => cx.report(d),
        Reach::IfHandler => cx.report_in_handler(d),
        Reach::No => {}
    }
}

/// How the current function is named in messages: "in `UserService::create`", or "here".
pub fn where_(cx: &Cx<'_, '_>) -> String {
    match cx.current_fn() {
        Some(f) => match f.impl_of.as_ref().and_then(|(t, _)| t.as_ref()) {
            Some(t) => format!("in `{}::{}`", t.last(), f.name),
            None => format!("in `{}`", f.name),
        },
        None => "here".to_string(),
    }
}
