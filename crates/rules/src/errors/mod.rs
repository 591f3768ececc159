//! Error handling: errors live in one module, are never swallowed, never panic the request path,
//! and never reach the client as internal text.

mod empty_error_arm;
mod error_type_outside_errors_module;
mod if_let_ok_without_else;
mod internal_error_leak;
mod map_err_discards_source;
mod panic_in_request_path;
mod result_discarded;
mod stringly_typed_error;
mod unwrap_in_request_path;

use stratalint_engine::syn::spanned::Spanned;
use stratalint_engine::syn::{Expr, Pat};
use stratalint_engine::Cx;

use crate::shared::blocking::{blocking_fn, Kind};
use crate::shared::db_calls::db_call;

pub fn rules() -> Vec<Box<dyn stratalint_engine::Rule>> {
    vec![
        Box::new(result_discarded::ResultDiscarded::default()),
        Box::new(empty_error_arm::EmptyErrorArm),
        Box::new(if_let_ok_without_else::IfLetOkWithoutElse),
        Box::new(map_err_discards_source::MapErrDiscardsSource),
        Box::new(unwrap_in_request_path::UnwrapInRequestPath::default()),
        Box::new(panic_in_request_path::PanicInRequestPath),
        Box::new(error_type_outside_errors_module::ErrorTypeOutsideErrorsModule),
        Box::new(stringly_typed_error::StringlyTypedError),
        Box::new(internal_error_leak::InternalErrorLeak),
    ]
}

/// A call as messages name it: `self.audit.record(..)`, `tokio::fs::write(..).await`; long
/// receivers are cut to their last part.
pub(crate) fn call_name(cx: &Cx<'_, '_>, e: &Expr) -> String {
    fn compact(cx: &Cx<'_, '_>, e: &Expr) -> String {
        cx.text_of(e.span())
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace(" .", ".")
    }
    match e {
        Expr::Await(a) => format!("{}.await", call_name(cx, &a.base)),
        Expr::Try(t) => format!("{}?", call_name(cx, &t.expr)),
        Expr::Paren(p) => call_name(cx, &p.expr),
        Expr::MethodCall(m) => {
            let receiver = compact(cx, &m.receiver);
            let receiver = if receiver.len() > 40 {
                // a long chain: its start (`sqlx::query(..)…`)
                let mut root = &*m.receiver;
                while let Expr::MethodCall(inner) = root {
                    root = &inner.receiver;
                }
                match root {
                    Expr::Call(c) => format!("{}(..)…", compact(cx, &c.func)),
                    Expr::Macro(mc) => format!("{}!(..)…", cx.text_of(mc.mac.path.span())),
                    root @ (Expr::Path(_) | Expr::Field(_)) if compact(cx, root).len() <= 30 => {
                        format!("{}.…", compact(cx, root))
                    }
                    _ => "…".to_string(),
                }
            } else {
                receiver
            };
            format!("{receiver}.{}(..)", m.method)
        }
        Expr::Call(c) => format!("{}(..)", compact(cx, &c.func)),
        other => {
            let t = compact(cx, other);
            if t.len() > 50 {
                format!("{}…", t.chars().take(48).collect::<String>())
            } else {
                t
            }
        }
    }
}

/// Is this pattern `Err(..)` (resolved to `Result::Err`, or written `Err`)?
pub(crate) fn is_err_pattern(p: &Pat) -> bool {
    match p {
        Pat::TupleStruct(t) => t.path.segments.last().is_some_and(|s| s.ident == "Err"),
        Pat::Paren(p) => is_err_pattern(&p.pat),
        _ => false,
    }
}

/// Is this pattern `Ok(..)`?
pub(crate) fn is_ok_pattern(p: &Pat) -> bool {
    match p {
        Pat::TupleStruct(t) => t.path.segments.last().is_some_and(|s| s.ident == "Ok"),
        Pat::Paren(p) => is_ok_pattern(&p.pat),
        _ => false,
    }
}

/// Peel parentheses and `.await`/`?` to the call that produced a value.
pub(crate) fn peel_to_call(e: &Expr) -> &Expr {
    match e {
        Expr::Paren(p) => peel_to_call(&p.expr),
        Expr::Group(g) => peel_to_call(&g.expr),
        Expr::Await(a) => peel_to_call(&a.base),
        Expr::Try(t) => peel_to_call(&t.expr),
        other => other,
    }
}

/// The method or function name of a call (`find_by_id`, `parse`), if it is one.
pub(crate) fn callee_name(e: &Expr) -> Option<String> {
    match peel_to_call(e) {
        Expr::MethodCall(m) => Some(m.method.to_string()),
        Expr::Call(c) => match &*c.func {
            Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        },
        _ => None,
    }
}

/// Calls whose error is not a failure to report: a timeout that elapsed, a channel that is empty
/// or closed, a semaphore that closed, a lock that is taken.
const NOT_FAILURES: &[&str] = &[
    "timeout",
    "timeout_at",
    "recv",
    "try_recv",
    "recv_ref",
    "try_next",
    "changed",
    "wait_for",
    "acquire",
    "acquire_owned",
    "try_acquire",
    "reserve",
    "lock",
    "try_lock",
    "try_read",
    "try_write",
    "try_borrow",
    "try_borrow_mut",
];

/// Is `e` an I/O, database or service call: awaited, a query, or a blocking I/O function? Calls
/// whose error is not a failure (timeouts, channels, locks) are not.
pub(crate) fn is_io_call(cx: &Cx<'_, '_>, e: &Expr) -> bool {
    let awaited = matches!(e, Expr::Await(_));
    let call = peel_to_call(e);
    if error_is_not_a_failure(cx, call) {
        return false;
    }
    if awaited && matches!(call, Expr::Call(_) | Expr::MethodCall(_)) {
        return true;
    }
    if db_call(cx, call, awaited).is_some() {
        return true;
    }
    match stratalint_engine::visit::chain_root(call) {
        Expr::Call(c) => cx
            .resolve_expr(&c.func)
            .is_some_and(|q| blocking_fn(q.as_str()).is_some_and(|b| b.kind != Kind::Sleep)),
        _ => false,
    }
}

/// Is the call's error one that is not a failure (an empty or closed channel, a timeout, a lock
/// that is taken)? A `send` is a channel's when its receiver is one by name or type (`tx`,
/// `events_tx`, a field of type `mpsc::Sender`), not a mailer's or an HTTP client's.
pub(crate) fn error_is_not_a_failure(cx: &Cx<'_, '_>, e: &Expr) -> bool {
    let call = peel_to_call(e);
    let Some(name) = callee_name(call) else {
        return false;
    };
    match name.as_str() {
        "send" | "try_send" | "send_replace" | "broadcast" => {
            let Expr::MethodCall(m) = call else {
                return false;
            };
            let receiver_name = match &*m.receiver {
                Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
                Expr::Field(f) => match &f.member {
                    stratalint_engine::syn::Member::Named(n) => Some(n.to_string()),
                    _ => None,
                },
                _ => None,
            };
            let named = receiver_name.is_some_and(|n| {
                let n = n.to_ascii_lowercase();
                n == "tx"
                    || n.ends_with("_tx")
                    || n.starts_with("tx_")
                    || n.contains("sender")
                    || n.contains("chan")
            });
            named
                || cx.expr_type(&m.receiver).is_some_and(|t| {
                    matches!(
                        t.last(),
                        "Sender" | "UnboundedSender" | "SyncSender" | "WeakSender"
                    )
                })
        }
        other => NOT_FAILURES.contains(&other),
    }
}
