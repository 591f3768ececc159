//! `let _ = call();`, `_ = call();` and `call().ok();` throw a `Result` away: the error is
//! swallowed without a trace.

use serde::Deserialize;
use stratalint_engine::syn::spanned::Spanned;
use stratalint_engine::syn::{Block, Expr, Pat, Stmt};
use stratalint_engine::{Cx, Hooks, Rule, RuleMeta, RuleOptions};

use super::{call_name, error_is_not_a_failure, peel_to_call};
use crate::shared::request_path::{backend_code, report_where, Reach};

static META: RuleMeta = crate::meta!("result-discarded", Errors, "errors", Error);

/// Methods that do not return a `Result` (collections, `Option`, guards, handles): discarding
/// their value is not swallowing an error. `let _ = m.lock()` is a different bug (the guard is
/// dropped at once) that clippy's `let_underscore_lock` reports.
const NOT_RESULTS: &[&str] = &[
    "insert",
    "remove",
    "pop",
    "pop_front",
    "pop_back",
    "push",
    "push_back",
    "push_front",
    "take",
    "replace",
    "swap",
    "get",
    "get_mut",
    "entry",
    "clone",
    "len",
    "is_empty",
    "iter",
    "next",
    "map",
    "extend",
    "retain",
    "truncate",
    "clear",
    "drain",
    "append",
    "to_string",
    "to_owned",
    "into",
    "as_ref",
    "abort",
    "enter",
    "entered",
    "lock",
    "read",
    "write",
    "borrow",
    "borrow_mut",
    "try_lock",
    "sleep",
    "tick",
    "notified",
    "notify_one",
    "notify_waiters",
    "spawn",
    "spawn_blocking",
    "elapsed",
    "now",
    "unwrap_or",
    "unwrap_or_default",
    "unwrap_or_else",
    "split_off",
    "swap_remove",
    "shift_remove",
    "or_insert",
    "or_default",
    "fetch_add",
    "fetch_sub",
    "fetch_update",
    "store",
    "load",
    "set",
    "resize",
    "write_str",
    "write_char",
    "write_fmt",
];

/// Name prefixes of methods that return no `Result` worth handling: `poll*` (a `Poll`), getters,
/// conversions and setters (`url.set_port(..)` fails only with `()`).
const NOT_RESULT_PREFIXES: &[&str] = &[
    "poll", "take_", "set_", "as_", "to_", "into_", "is_", "has_",
];

/// Functions that do not return a `Result`, or whose failure is the normal case.
const NOT_RESULT_FNS: &[&str] = &[
    "std::mem::replace",
    "std::mem::take",
    "std::mem::swap",
    "std::mem::drop",
    "std::mem::forget",
    "std::drop",
    "std::boxed::Box::from_raw",
    "std::boxed::Box::new",
    "std::sync::Arc::new",
    "tokio::spawn",
    "tokio::task::spawn",
    "tokio::task::spawn_blocking",
    "tokio::task::spawn_local",
    "std::thread::spawn",
];

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Options {
    /// More calls whose result may be dropped: paths (`my_app::metrics::record`) or method names.
    #[serde(default)]
    allow: Vec<String>,
}

pub struct ResultDiscarded {
    allow: Vec<String>,
}

impl Default for ResultDiscarded {
    fn default() -> Self {
        ResultDiscarded {
            // a missing `.env` is the normal case in production; `try_init` fails only when a
            // subscriber is already installed
            allow: vec![
                "dotenvy::dotenv".into(),
                "dotenv::dotenv".into(),
                "try_init".into(),
            ],
        }
    }
}

impl ResultDiscarded {
    /// Is `e` a call whose value may be a `Result` worth handling?
    fn may_be_result(&self, cx: &Cx<'_, '_>, e: &Expr) -> bool {
        match peel_to_call(e) {
            Expr::MethodCall(m) => {
                let name = m.method.to_string();
                !NOT_RESULTS.contains(&name.as_str())
                    && !NOT_RESULT_PREFIXES.iter().any(|p| name.starts_with(p))
                    && !self.allow.contains(&name)
            }
            Expr::Call(c) => match cx.resolve_expr(&c.func) {
                Some(q) => {
                    !NOT_RESULT_FNS.contains(&q.as_str())
                        && !self.allow.iter().any(|a| q.is(a) || q.last() == a)
                }
                // closures called in place, `(self.f)(x)`
                None => !matches!(&*c.func, Expr::Path(_)),
            },
            _ => false,
        }
    }

    fn report(&self, cx: &mut Cx<'_, '_>, stmt: &Stmt, call: &Expr, how: &str) {
        let reach = backend_code(cx);
        // a channel whose other end is gone, an elapsed timeout: not a failure to report
        if reach == Reach::No || !self.may_be_result(cx, call) || error_is_not_a_failure(cx, call) {
            return;
        }
        // `Drop` cannot propagate anything
        if cx
            .current_impl()
            .and_then(|(_, t)| t)
            .is_some_and(|t| t.last() == "Drop")
        {
            return;
        }
        let name = call_name(cx, call);
        let d = cx
            .diag(stmt.span(), format!("{how} the result of `{name}`: an error here goes unnoticed"))
            .with_label("result discarded")
            .with_help(
                "handle the error: propagate it with `?`, or log it with its context \
                 (`if let Err(e) = … { tracing::warn!(error = %e, \"…\") }`); if the failure really does not \
                 matter, say why with `// stratalint: allow(result-discarded) -- reason`",
            );
        report_where(cx, reach, d);
    }
}

/// A statement that throws a value away: `let _ = e;`, `_ = e;`, `e.ok();`.
fn discarded(stmt: &Stmt) -> Option<(&Expr, &'static str)> {
    match stmt {
        Stmt::Local(l) => {
            let wild = match &l.pat {
                Pat::Wild(_) => true,
                Pat::Type(t) => matches!(&*t.pat, Pat::Wild(_)),
                _ => false,
            };
            let init = l.init.as_ref()?;
            (wild && init.diverge.is_none()).then_some((&*init.expr, "`let _ =` discards"))
        }
        Stmt::Expr(Expr::Assign(a), Some(_)) if matches!(&*a.left, Expr::Infer(_)) => {
            Some((&*a.right, "`_ =` discards"))
        }
        Stmt::Expr(Expr::MethodCall(m), Some(_)) if m.method == "ok" && m.args.is_empty() => {
            Some((&*m.receiver, "`.ok();` discards"))
        }
        _ => None,
    }
}

impl Rule for ResultDiscarded {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::BLOCK
    }

    fn configure(&mut self, options: RuleOptions<'_>) -> Result<(), toml::de::Error> {
        let o = Options::deserialize(options)?;
        self.allow.extend(o.allow);
        Ok(())
    }

    fn check_block(&self, cx: &mut Cx<'_, '_>, block: &Block) {
        for stmt in &block.stmts {
            if let Some((value, how)) = discarded(stmt) {
                if matches!(
                    value,
                    Expr::Call(_) | Expr::MethodCall(_) | Expr::Await(_) | Expr::Paren(_)
                ) {
                    self.report(cx, stmt, value, how);
                }
            }
        }
    }
}
