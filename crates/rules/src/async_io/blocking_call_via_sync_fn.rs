//! Blocking hidden behind the crate's own sync functions: `async fn handler` calls
//! `load_config()`, which calls `read_file()`, which calls `std::fs::read_to_string`. The blocking
//! call is in sync code, where it is fine on its own; the finding is where async code calls into it.

use serde::Deserialize;
use stratalint_engine::{
    Call, Cx, FnNode, Hooks, Loc, MethodCall, ProjectCx, Rule, RuleMeta, RuleOptions,
};

use crate::shared::blocking_calls::{
    blocking_call, blocking_method_call, on_executor, Blocking, ExtraBlocking,
};
use crate::shared::call_graph::{
    describe, note_async_call, project_callee_of_call, project_callee_of_method, short_name,
    AsyncCallFact, Reach, Tracker,
};

static META: RuleMeta = crate::meta!("blocking-call-via-sync-fn", Async, "async", Error);

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Options {
    #[serde(default)]
    extra_blocking: Vec<ExtraBlocking>,
}

#[derive(Default)]
pub struct BlockingCallViaSyncFn {
    extra: Vec<ExtraBlocking>,
}

impl BlockingCallViaSyncFn {
    /// In a sync fn: a blocking call is its sink, a project call an edge. In async code: a project
    /// call is a call site to check once the graph is known.
    fn note<'e, 'c>(
        cx: &mut Cx<'_, '_>,
        blocking: impl FnOnce(&Cx<'_, '_>) -> Option<Blocking<'e>>,
        callee: impl FnOnce(&Cx<'_, '_>) -> Option<&'c str>,
        at: impl FnOnce(&Cx<'_, '_>) -> Loc,
    ) {
        if Tracker::in_sync_body(cx) {
            if let Some(b) = blocking(cx) {
                let loc = at(cx);
                Tracker::note_sink(cx, &b.what, &b.kind_text(), loc);
            } else if let Some(c) = callee(cx) {
                Tracker::note_call(cx, c);
            }
        } else if on_executor(cx) {
            if let Some(c) = callee(cx) {
                let loc = at(cx);
                note_async_call(cx, c, loc);
            }
        }
    }
}

impl Rule for BlockingCallViaSyncFn {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::FN | Hooks::FN_EXIT | Hooks::CALL | Hooks::METHOD_CALL | Hooks::PROJECT
    }

    fn configure(&mut self, options: RuleOptions<'_>) -> Result<(), toml::de::Error> {
        self.extra = Options::deserialize(options)?.extra_blocking;
        Ok(())
    }

    fn check_fn(&self, cx: &mut Cx<'_, '_>, _f: &FnNode<'_>) {
        Tracker::enter(cx);
    }

    fn check_fn_exit(&self, cx: &mut Cx<'_, '_>, _f: &FnNode<'_>) {
        Tracker::exit(cx);
    }

    fn check_call(&self, cx: &mut Cx<'_, '_>, call: &Call<'_>) {
        if call.awaited || cx.in_test() {
            return;
        }
        Self::note(
            cx,
            |cx| blocking_call(cx, call, &self.extra),
            |cx| project_callee_of_call(cx, call),
            |cx| cx.loc(call.span()),
        );
    }

    fn check_method_call(&self, cx: &mut Cx<'_, '_>, call: &MethodCall<'_>) {
        if call.awaited || cx.in_test() {
            return;
        }
        Self::note(
            cx,
            |cx| blocking_method_call(cx, call, &self.extra),
            |cx| project_callee_of_method(cx, call),
            |cx| cx.loc(call.method_span()),
        );
    }

    fn check_project(&self, cx: &mut ProjectCx<'_>) {
        let reach = Reach::compute(cx);
        let mut found = Vec::new();
        for (call, _) in cx.facts::<AsyncCallFact>() {
            if call.offloaded(cx) {
                continue;
            }
            let callee = cx.through_reexports(&call.callee);
            let Some((hops, sink)) = reach.chain(callee) else {
                continue;
            };
            let name = short_name(hops[0]);
            let d = cx
                .diag_at(
                    call.loc.clone(),
                    format!(
                        "sync fn `{name}` blocks async fn `{}`: it reaches `{}` ({})",
                        call.caller, sink.what, sink.kind
                    ),
                )
                .with_label(describe(&hops, sink))
                .with_secondary(sink.loc.clone(), format!("`{}` blocks here", sink.what))
                .with_help(format!(
                    "make `{name}` async (with the async form of `{}`) and `.await` it, or call it inside \
                     `tokio::task::spawn_blocking(move || …)`",
                    sink.what
                ));
            found.push(d);
        }
        for d in found {
            cx.report(d);
        }
    }
}
