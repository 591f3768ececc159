//! Handler detection: which functions serve HTTP requests.
//!
//! A function is a handler when a route attribute marks it (actix-web, rocket, poem), when it is an
//! async fn of the api layer taking extractors, or when a router registers it anywhere in the
//! project (axum `.route(p, get(h))`, `get(h).post(h2)`, actix `.to(h)`, rocket `routes![h]`). The
//! last needs every file: the walker records registrations as facts, and findings that depend on it
//! carry a [`crate::diagnostic::Requirement`] settled after the walk.

use syn::FnArg;

use super::names::QualifiedName;
use super::resolve::Resolver;
use super::values::strip_reference;

/// Web frameworks whose attributes and extractors the engine knows.
pub const WEB_CRATES: &[&str] = &[
    "axum",
    "axum_extra",
    "axum_core",
    "actix_web",
    "rocket",
    "poem",
    "poem_openapi",
    "ntex",
    "salvo",
    "warp",
    "axum_valid",
    "actix_web_validator",
    "axum_garde",
    "tower_http",
    "http",
];

const ROUTE_ATTRS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "head", "options", "trace", "connect", "route",
    "routes", "handler", "oai",
];

/// Extractor type names (last path segment) of the supported frameworks.
pub const EXTRACTORS: &[&str] = &[
    "Json",
    "Path",
    "Query",
    "Form",
    "State",
    "Extension",
    "Multipart",
    "Data",
    "HttpRequest",
    "TypedHeader",
    "ConnectInfo",
    "Valid",
    "Garde",
    "ValidatedJson",
    "ValidatedForm",
    "ValidatedQuery",
    "WithRejection",
    "Bytes",
    "HeaderMap",
    "Request",
    "RawQuery",
    "MatchedPath",
    "OriginalUri",
    "Host",
    "CookieJar",
    "PrivateCookieJar",
    "SignedCookieJar",
    "Session",
    "Payload",
    "ReqData",
    "WebSocketUpgrade",
    "BearerAuth",
    "Authorization",
];

/// The route attribute on a function, if any: `#[get("/users")]`, `#[actix_web::post("/x")]`,
/// `#[rocket::get("/")]`, `#[handler]` (poem).
pub fn has_route_attr(attrs: &[syn::Attribute], resolver: &Resolver) -> bool {
    attrs.iter().any(|a| {
        // doc comments first out: this runs on every attribute of every function
        if matches!(a.meta, syn::Meta::NameValue(_)) {
            return false;
        }
        let path = a.path();
        let Some(last) = path.segments.last() else {
            return false;
        };
        if !ROUTE_ATTRS.iter().any(|r| last.ident == r) {
            return false;
        }
        match resolver.resolve(path) {
            Some(q) if q.in_crates(WEB_CRATES) => true,
            // unresolved `#[get("/x")]`: a route attribute if it takes a path literal
            _ => a
                .meta
                .require_list()
                .is_ok_and(|l| l.tokens.to_string().starts_with('"')),
        }
    })
}

/// Is this type an extractor (`Json<T>`, `web::Data<T>`, `State<S>`, …)?
pub fn is_extractor_type(ty: &syn::Type, resolver: &Resolver) -> bool {
    let syn::Type::Path(tp) = strip_reference(ty) else {
        return false;
    };
    let Some(last) = tp.path.segments.last() else {
        return false;
    };
    if !EXTRACTORS.contains(&last.ident.to_string().as_str()) {
        return false;
    }
    match resolver.resolve(&tp.path) {
        Some(q) => {
            q.in_crates(WEB_CRATES)
                || !q
                    .first()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_')
                || q.first() == resolver.crate_name()
        }
        None => true,
    }
}

/// Does the signature take at least one extractor?
pub fn takes_extractor(sig: &syn::Signature, resolver: &Resolver) -> bool {
    sig.inputs.iter().any(|arg| match arg {
        FnArg::Typed(t) => is_extractor_type(&t.ty, resolver),
        FnArg::Receiver(_) => false,
    })
}

/// Routing functions whose argument is a handler (`get(list_users)`), by canonical path.
pub fn is_routing_fn(q: &QualifiedName) -> bool {
    let last = q.last();
    let method = matches!(
        last,
        "get"
            | "post"
            | "put"
            | "patch"
            | "delete"
            | "head"
            | "options"
            | "trace"
            | "any"
            | "on"
            | "connect"
    );
    method
        && (q.starts_with("axum::routing")
            || q.starts_with("poem")
            || q.starts_with("axum")
            || q.starts_with("salvo"))
}

/// Method names that chain more handlers onto a method router: `get(a).post(b)`.
pub const ROUTER_METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "head", "options", "trace", "any", "on",
];
