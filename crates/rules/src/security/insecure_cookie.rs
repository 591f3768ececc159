//! A session cookie without `Secure` travels over plain HTTP; without `HttpOnly` any injected
//! script reads it (CWE-614, CWE-1004).

use stratalint_engine::proc_macro2::Span;
use stratalint_engine::syn::Expr;
use stratalint_engine::{Cx, Hooks, MethodCall, Rule, RuleMeta};

use super::common::{chain, lit_bool, lit_str, method_span, path_last, peel, Chain};
use crate::shared::sensitive::{sensitive, words};

static META: RuleMeta = crate::meta!("insecure-cookie", Security, "security", Warning);

/// Cookie crates whose builders default to no `HttpOnly` (rocket's jar adds it by itself).
const COOKIE_CRATES: &[&str] = &[
    "cookie",
    "axum_extra",
    "actix_web",
    "actix_http",
    "tower_cookies",
    "poem",
    "salvo",
];

/// Methods that hand a cookie to the response.
const COOKIE_SINKS: &[&str] = &[
    "add",
    "add_private",
    "add_signed",
    "cookie",
    "add_cookie",
    "set_cookie",
];

pub struct InsecureCookie;

/// A cookie name that holds a session or credentials: `session`, `sid`, `access_token`, `auth`.
fn is_session_name(name: &str) -> bool {
    sensitive(name).is_some()
        || words(name).iter().any(|w| {
            matches!(
                w.as_str(),
                "session"
                    | "sid"
                    | "token"
                    | "auth"
                    | "refresh"
                    | "jwt"
                    | "remember"
                    | "login"
                    | "identity"
                    | "access"
                    | "bearer"
            )
        })
}

/// The cookie a chain builds, when its name says it is a session cookie: the name.
fn session_cookie(cx: &Cx<'_, '_>, c: &Chain<'_>) -> Option<String> {
    let Expr::Call(call) = peel(c.root) else {
        return None;
    };
    let q = cx.resolve_expr(&call.func)?;
    let ctor = q.in_crates(COOKIE_CRATES)
        && matches!(q.last(), "build" | "new" | "named")
        && q.parent().is_some_and(|p| p.last() == "Cookie");
    if !ctor {
        return None;
    }
    // `Cookie::build(("sid", v))` (cookie 0.18) or `Cookie::build("sid", v)`
    let name_expr = match peel(call.args.first()?) {
        Expr::Tuple(t) => t.elems.first()?,
        other => other,
    };
    let name = match lit_str(cx, name_expr) {
        Some((s, _)) => s,
        None => path_last(name_expr)?,
    };
    is_session_name(&name).then_some(name)
}

fn report(cx: &mut Cx<'_, '_>, span: Span, message: String, label: &str, help: &str) {
    let d = cx.diag(span, message).with_label(label).with_help(help);
    cx.report(d);
}

const SECURE_HELP: &str = "keep `Secure` on (it is the default of tower-sessions and actix-session); for local HTTP \
                           development derive it from the build (`!cfg!(debug_assertions)`) or from configuration";
const HTTP_ONLY_HELP: &str =
    "keep `HttpOnly` on (the default of tower-sessions and actix-session): scripts never need \
                              to read a session cookie";

impl Rule for InsecureCookie {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::METHOD_CALL
    }

    fn check_method_call(&self, cx: &mut Cx<'_, '_>, call: &MethodCall<'_>) {
        let m = call.method.as_str();
        let session_layer = matches!(
            m,
            "with_secure" | "with_http_only" | "cookie_secure" | "cookie_http_only"
        );
        let builder = matches!(m, "secure" | "http_only" | "set_secure" | "set_http_only");
        let sink = COOKIE_SINKS.contains(&m) && call.arg_count() == 1;
        if !(session_layer || builder || sink) || cx.in_test() || cx.in_debug_only() {
            return;
        }
        let span = method_span(call.expr);
        let off = call.arg(0).and_then(lit_bool) == Some(false);
        // tower-sessions, actix-session: one session cookie, named by the layer
        if session_layer {
            if off && m.ends_with("secure") {
                report(
                    cx,
                    span,
                    "session cookie without `Secure`: browsers send it over plain HTTP, where anyone on the network \
                     reads it"
                        .into(),
                    "Secure off",
                    SECURE_HELP,
                );
            } else if off {
                report(
                    cx,
                    span,
                    "session cookie readable by JavaScript (`HttpOnly` off): one injected script steals the session"
                        .into(),
                    "HttpOnly off",
                    HTTP_ONLY_HELP,
                );
            }
            return;
        }
        // cookie builders: `Cookie::build(("session", v)).secure(false)`
        if builder {
            if !off {
                return;
            }
            let c = chain(cx, call.receiver());
            let Some(name) = session_cookie(cx, &c) else {
                return;
            };
            if m.ends_with("secure") {
                report(
                    cx,
                    span,
                    format!("cookie `{name}` without `Secure`: browsers send it over plain HTTP"),
                    "Secure off",
                    SECURE_HELP,
                );
            } else {
                report(
                    cx,
                    span,
                    format!("cookie `{name}` readable by JavaScript (`HttpOnly` off)"),
                    "HttpOnly off",
                    HTTP_ONLY_HELP,
                );
            }
            return;
        }
        // `jar.add(Cookie::build(("session", token)).path("/"))`: a finished session cookie that never
        // asked for `HttpOnly`
        let Some(arg) = call.arg(0) else { return };
        let inline = matches!(peel(cx.chain_root(arg)), Expr::Call(_));
        let c = chain(cx, arg);
        if !inline
            && !c
                .calls
                .iter()
                .any(|m| m.method == "finish" || m.method == "build")
        {
            // a `let mut cookie = Cookie::new(..)` may be configured by `set_*` calls in between
            return;
        }
        let Some(name) = session_cookie(cx, &c) else {
            return;
        };
        if !c.has("http_only") {
            report(
                cx,
                span,
                format!("cookie `{name}` set without `HttpOnly`: any injected script can read it"),
                "no HttpOnly",
                "build session cookies with `.http_only(true).secure(true).same_site(SameSite::Lax)`",
            );
        }
    }
}
