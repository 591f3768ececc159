//! CORS that lets any origin read authenticated responses hands every website the user's session
//! (CWE-942).

use stratalint_engine::proc_macro2::Span;
use stratalint_engine::syn::Expr;
use stratalint_engine::{Call, Cx, Hooks, MethodCall, Rule, RuleMeta, Severity};

use super::common::{chain, is_api, lit_bool, method_span, peel, Chain};

static META: RuleMeta = crate::meta!("permissive-cors", Security, "security", Error);

const CORS_CRATES: &[&str] = &["tower_http", "actix_cors", "axum"];

pub struct PermissiveCors;

/// An origin setting that admits every site: `Any`, `AllowOrigin::any()`,
/// `AllowOrigin::mirror_request()`, `AllowOrigin::predicate(|_, _| true)`.
fn any_origin(cx: &Cx<'_, '_>, e: &Expr) -> Option<&'static str> {
    let e = peel(e);
    let e = match e {
        Expr::Path(p) if p.path.segments.len() == 1 => {
            match cx.local(&p.path.segments[0].ident.to_string()) {
                Some(v) => v.init.map(peel).unwrap_or(e),
                None => e,
            }
        }
        other => other,
    };
    match e {
        Expr::Path(p) => {
            let q = cx.resolve_value_path(&p.path)?;
            (q.first() == "tower_http" && q.last() == "Any").then_some("any origin")
        }
        Expr::Call(c) => {
            let q = cx.resolve_expr(&c.func)?;
            if !q.in_crates(CORS_CRATES) {
                return None;
            }
            match q.last() {
                "any" if q.as_str().contains("AllowOrigin") => Some("any origin"),
                "mirror_request" => Some("the request's own origin, whatever it is"),
                "predicate" | "async_predicate" => match c.args.first().map(peel) {
                    Some(Expr::Closure(cl)) if lit_bool(peel(&cl.body)) == Some(true) => {
                        Some("every origin (the predicate is always true)")
                    }
                    _ => None,
                },
                _ => None,
            }
        }
        _ => None,
    }
}

/// The chain's root is `CorsLayer::permissive()` / `very_permissive()` / actix `Cors::permissive()`.
fn permissive_root(cx: &Cx<'_, '_>, c: &Chain<'_>) -> bool {
    match peel(c.root) {
        Expr::Call(call) => cx.resolve_expr(&call.func).is_some_and(|q| {
            q.in_crates(CORS_CRATES) && matches!(q.last(), "permissive" | "very_permissive")
        }),
        _ => false,
    }
}

fn report(cx: &mut Cx<'_, '_>, span: Span, severity: Severity, message: String, label: &str) {
    let mut d = cx
        .diag(span, message)
        .with_label(label)
        .with_help(
            "list the origins that may call the API (`AllowOrigin::list([HeaderValue::from_static(\"https://app.example.com\")])`, \
             actix `.allowed_origin(\"https://app.example.com\")`); relax CORS for local development under \
             `if cfg!(debug_assertions)` only",
        );
    d.severity = severity;
    cx.report(d);
}

impl Rule for PermissiveCors {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::CALL | Hooks::METHOD_CALL
    }

    fn check_call(&self, cx: &mut Cx<'_, '_>, call: &Call<'_>) {
        let Some(q) = &call.path else { return };
        // the three constructors below end so
        if !q.as_str().ends_with("permissive") || cx.in_test() || cx.in_debug_only() {
            return;
        }
        if is_api(q, &["tower_http"], "CorsLayer::very_permissive") {
            report(
                cx,
                call.span(),
                Severity::Error,
                "`CorsLayer::very_permissive()` mirrors any origin and allows credentials: any website can make \
                 authenticated requests and read the answers"
                    .into(),
                "any origin, with credentials",
            );
        } else if is_api(q, &["tower_http"], "CorsLayer::permissive") {
            report(
                cx,
                call.span(),
                Severity::Warning,
                "`CorsLayer::permissive()` allows every origin, method and header".into(),
                "any origin",
            );
        } else if is_api(q, &["actix_cors"], "Cors::permissive") {
            report(
                cx,
                call.span(),
                Severity::Error,
                "`Cors::permissive()` allows any origin with credentials: any website can make authenticated \
                 requests and read the answers"
                    .into(),
                "any origin, with credentials",
            );
        }
    }

    fn check_method_call(&self, cx: &mut Cx<'_, '_>, call: &MethodCall<'_>) {
        let m = call.method.as_str();
        if !matches!(
            m,
            "allow_credentials" | "allow_origin" | "supports_credentials" | "allow_any_origin"
        ) || cx.in_test()
            || cx.in_debug_only()
        {
            return;
        }
        // the pair is reported once, at the call that completes it (the outer one)
        let c = chain(cx, call.receiver());
        let any_before = |cx: &Cx<'_, '_>| {
            c.calls_named("allow_origin")
                .find_map(|o| o.args.first().and_then(|a| any_origin(cx, a)))
        };
        let credentials_before = c
            .calls_named("allow_credentials")
            .any(|o| o.args.first().and_then(lit_bool) == Some(true));
        let found = match m {
            "allow_credentials" if call.arg(0).and_then(lit_bool) == Some(true) => {
                match any_before(cx) {
                    Some(what) => Some(what),
                    None if permissive_root(cx, &c) => Some("any origin"),
                    None => None,
                }
            }
            "allow_origin" if credentials_before => call.arg(0).and_then(|a| any_origin(cx, a)),
            "supports_credentials" if c.has("allow_any_origin") => Some("any origin"),
            "allow_any_origin" if c.has("supports_credentials") => Some("any origin"),
            _ => None,
        };
        if let Some(what) = found {
            report(
                cx,
                method_span(call.expr),
                Severity::Error,
                format!(
                    "CORS allows credentials from {what}: any website can make authenticated requests and read \
                     the answers"
                ),
                "credentials with any origin",
            );
        }
    }
}
