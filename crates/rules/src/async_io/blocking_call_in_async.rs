//! A blocking call inside async code stalls an executor worker, and every request queued on it.

use serde::Deserialize;
use stratalint_engine::proc_macro2::Span;
use stratalint_engine::{Call, Cx, Hooks, MethodCall, Rule, RuleMeta, RuleOptions};

use crate::shared::blocking_calls::{
    async_place, blocking_call, blocking_method_call, on_executor, Blocking, ExtraBlocking,
};

static META: RuleMeta = crate::meta!("blocking-call-in-async", Async, "async", Error);

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Options {
    #[serde(default)]
    extra_blocking: Vec<ExtraBlocking>,
}

#[derive(Default)]
pub struct BlockingCallInAsync {
    extra: Vec<ExtraBlocking>,
}

impl BlockingCallInAsync {
    fn report(cx: &mut Cx<'_, '_>, span: Span, b: &Blocking<'_>) {
        let where_ = async_place(cx);
        let d = cx
            .diag(
                span,
                format!(
                    "`{}` blocks the async runtime ({}) {where_}",
                    b.what,
                    b.kind_text()
                ),
            )
            .with_label(b.kind.label())
            .with_help(b.help());
        cx.report_on_executor(d);
    }
}

impl Rule for BlockingCallInAsync {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::CALL | Hooks::METHOD_CALL
    }

    fn configure(&mut self, options: RuleOptions<'_>) -> Result<(), toml::de::Error> {
        let o = Options::deserialize(options)?;
        self.extra = o.extra_blocking;
        Ok(())
    }

    fn check_call(&self, cx: &mut Cx<'_, '_>, call: &Call<'_>) {
        if call.awaited || !on_executor(cx) {
            return;
        }
        if let Some(b) = blocking_call(cx, call, &self.extra) {
            Self::report(cx, call.span(), &b);
        }
    }

    fn check_method_call(&self, cx: &mut Cx<'_, '_>, call: &MethodCall<'_>) {
        if call.awaited || !on_executor(cx) {
            return;
        }
        if let Some(b) = blocking_method_call(cx, call, &self.extra) {
            Self::report(cx, call.method_span(), &b);
        }
    }
}
