//! `.unwrap()` / `.expect(..)` on the request path: a bad input or a failed query panics the
//! request instead of returning an error.

use serde::Deserialize;
use stratalint_engine::syn::Expr;
use stratalint_engine::{Cx, Hooks, MethodCall, Rule, RuleMeta, RuleOptions};

use crate::shared::request_path::{report_where, request_path, where_, Reach};

static META: RuleMeta = crate::meta!("unwrap-in-request-path", Errors, "errors", Error);

/// Methods that take one element of a collection: `v.first().unwrap()` is safe when `v` is known
/// not to be empty.
const ELEMENT_OF: &[&str] = &["first", "last", "get", "next", "max", "min", "pop", "peek"];

/// Methods that start an iteration (`v.iter().next()`).
const ITERATE: &[&str] = &["iter", "into_iter", "chars", "keys", "values"];

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Options {
    /// Accept `.lock().unwrap()` / `.read().unwrap()` / `.write().unwrap()`: the project treats a
    /// poisoned lock as a bug that should panic.
    #[serde(default)]
    allow_lock_unwrap: bool,
}

#[derive(Default)]
pub struct UnwrapInRequestPath {
    allow_lock_unwrap: bool,
}

/// Is `e` a constant, or computed only from constants (`"0.0.0.0:8080".parse()`,
/// `HeaderValue::from_str("application/json")`, `Regex::new(r"^\d+$")`)? Unwrapping it fails
/// on every run or never: a test catches it, not a user.
fn is_constant(e: &Expr) -> bool {
    match e {
        Expr::Lit(_) => true,
        Expr::Path(p) => p.path.segments.last().is_some_and(|s| {
            let name = s.ident.to_string();
            name.len() > 1
                && name
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        }),
        Expr::Reference(r) => is_constant(&r.expr),
        Expr::Paren(p) => is_constant(&p.expr),
        Expr::Group(g) => is_constant(&g.expr),
        Expr::Cast(c) => is_constant(&c.expr),
        Expr::Unary(u) => is_constant(&u.expr),
        Expr::Array(a) => a.elems.iter().all(is_constant),
        Expr::Tuple(t) => t.elems.iter().all(is_constant),
        Expr::Call(c) => matches!(&*c.func, Expr::Path(_)) && c.args.iter().all(is_constant),
        Expr::MethodCall(m) => is_constant(&m.receiver) && m.args.iter().all(is_constant),
        Expr::Macro(m) => m.mac.path.segments.last().is_some_and(|s| {
            matches!(
                s.ident.to_string().as_str(),
                "env" | "concat" | "include_str" | "include_bytes" | "stringify"
            )
        }),
        _ => false,
    }
}

/// Results that cannot be an error in practice: `write!` into a `String` or buffer, and an
/// `http` response builder whose headers are constants (`Response::builder().status(s).body(b)`).
fn is_infallible(e: &Expr) -> bool {
    if let Expr::Macro(m) = e {
        return m
            .mac
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "write" || s.ident == "writeln");
    }
    let mut e = e;
    let mut headers_constant = true;
    loop {
        match e {
            Expr::MethodCall(m) => {
                if m.method == "header" && !m.args.iter().all(is_constant) {
                    headers_constant = false;
                }
                e = &m.receiver;
            }
            Expr::Call(c) => {
                let builder = matches!(&*c.func, Expr::Path(p)
                    if p.path.segments.len() >= 2
                        && p.path.segments.last().is_some_and(|s| s.ident == "builder")
                        && p.path.segments.iter().rev().nth(1).is_some_and(|s| s.ident == "Response" || s.ident == "Request"));
                return builder && headers_constant;
            }
            _ => return false,
        }
    }
}

/// The collection an element is taken from: `v` in `v.first()`, `v.iter().next()`, `v.get(0)`.
fn collection_of(e: &Expr) -> Option<&Expr> {
    let Expr::MethodCall(m) = e else { return None };
    if !ELEMENT_OF.contains(&m.method.to_string().as_str()) {
        return None;
    }
    match &*m.receiver {
        Expr::MethodCall(it) if ITERATE.contains(&it.method.to_string().as_str()) => {
            Some(&it.receiver)
        }
        other => Some(other),
    }
}

impl Rule for UnwrapInRequestPath {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::METHOD_CALL
    }

    fn configure(&mut self, options: RuleOptions<'_>) -> Result<(), toml::de::Error> {
        let o = Options::deserialize(options)?;
        self.allow_lock_unwrap = o.allow_lock_unwrap;
        Ok(())
    }

    fn check_method_call(&self, cx: &mut Cx<'_, '_>, call: &MethodCall<'_>) {
        let shape = match (call.method.as_str(), call.arg_count()) {
            ("unwrap", 0) => "`.unwrap()`",
            ("expect", 1) => "`.expect(..)`",
            _ => return,
        };
        let reach = request_path(cx);
        if reach == Reach::No {
            return;
        }
        let receiver = call.receiver();
        if is_constant(receiver) || is_infallible(receiver) {
            return;
        }
        // guarded: `if x.is_some() { x.unwrap() }`, `if !v.is_empty() { v.first().unwrap() }`
        if cx.is_known_present(receiver)
            || collection_of(receiver).is_some_and(|c| cx.is_known_present(c))
        {
            return;
        }
        if self.allow_lock_unwrap
            && matches!(receiver, Expr::MethodCall(m)
                if m.args.is_empty() && matches!(m.method.to_string().as_str(), "lock" | "read" | "write"))
        {
            return;
        }
        let d = cx
            .diag(
                call.method_span(),
                format!("{shape} on the request path {}: a failure panics instead of returning an error", where_(cx)),
            )
            .with_label("may panic")
            .with_help(
                "return the error with `?` (convert it into the application's error type, which the errors \
                 module maps to a response) or handle the `None`/`Err` case; a panic in a request gives the \
                 client a dropped connection or a bare 500, and the log no context",
            );
        report_where(cx, reach, d);
    }
}
