//! A blocking call inside async code stalls an executor worker, and every request queued on it.

use stratalint_engine::syn::Expr;
use stratalint_engine::{Call, Cx, Hooks, MethodCall, Rule, RuleMeta};

use crate::shared::blocking::{blocking_fn, blocking_method, returns_type};

static META: RuleMeta = crate::meta!("blocking-call-in-async", Async, "async", Error);

pub struct BlockingCallInAsync;

impl BlockingCallInAsync {
    /// Async code where blocking matters: not tests, not an async `main` before it serves.
    fn applies(cx: &Cx<'_, '_>) -> bool {
        cx.in_async() && !cx.in_test() && cx.current_fn().is_none_or(|f| f.name != "main")
    }

    fn report(
        cx: &mut Cx<'_, '_>,
        span: stratalint_engine::proc_macro2::Span,
        what: &str,
        kind: &str,
        instead: &str,
    ) {
        let where_ = match cx.current_fn() {
            Some(f) if f.is_async => format!("in async fn `{}`", f.name),
            _ => "in async code".to_string(),
        };
        let d = cx
            .diag(
                span,
                format!("`{what}` blocks the async runtime ({kind}) {where_}"),
            )
            .with_label(format!("blocking {kind} call"))
            .with_help(format!(
                "use {instead}, or run the call in `tokio::task::spawn_blocking`"
            ));
        cx.report(d);
    }

    /// The receiver's type: written or inferred for a variable, or the value a known function
    /// returns at the root of the chain (`std::io::stdin().read_line(..)`).
    fn receiver_type(cx: &Cx<'_, '_>, receiver: &Expr) -> Option<String> {
        if let Some(t) = cx.chain_root_type(receiver) {
            return Some(t.into_string());
        }
        match cx.chain_root(receiver) {
            Expr::Call(c) => returns_type(cx.resolve_expr(&c.func)?.as_str()).map(str::to_string),
            _ => None,
        }
    }
}

impl Rule for BlockingCallInAsync {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::CALL | Hooks::METHOD_CALL
    }

    fn check_call(&self, cx: &mut Cx<'_, '_>, call: &Call<'_>) {
        if call.awaited || !Self::applies(cx) {
            return;
        }
        let Some(path) = &call.path else { return };
        if let Some(b) = blocking_fn(path.as_str()) {
            Self::report(cx, call.span(), path.as_str(), b.kind, b.instead);
        }
    }

    fn check_method_call(&self, cx: &mut Cx<'_, '_>, call: &MethodCall<'_>) {
        if call.awaited || !Self::applies(cx) {
            return;
        }
        let Some(ty) = Self::receiver_type(cx, call.receiver()) else {
            return;
        };
        if let Some(b) = blocking_method(&ty, &call.method) {
            let what = format!("{}::{}", ty, call.method);
            Self::report(cx, call.method_span(), &what, b.kind, b.instead);
        }
    }
}
