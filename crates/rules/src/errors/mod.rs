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
    }
    match e {
        Expr::Await(a) => format!("{}.await", call_name(cx, &a.base)),
        Expr::Try(t) => format!("{}?", call_name(cx, &t.expr)),
        Expr::Paren(p) => call_name(cx, &p.expr),
        Expr::MethodCall(m) => {
            let receiver = compact(cx, &m.receiver);
            let receiver = if receiver.len() > 40 {
                // a long chain: its start (`sqlx::query(..)…`)
                match stratalint_engine::visit::chain_root(&m.receiver) {
                    Expr::Call(c) => format!("{}(..)…", compact(cx, &c.func)),
                    Expr::Macro(mc) => format!("{}!(..)…", cx.text_of(mc.mac.path.span())),
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
