//! Handlers talk to services; only repositories talk to the database.

use stratalint_engine::proc_macro2::Span;
use stratalint_engine::semantic::HandlerStatus;
use stratalint_engine::{Cx, Hooks, MacroCall, MethodCall, PathRef, Role, Rule, RuleMeta, UseLeaf};

use super::database;

static META: RuleMeta = crate::meta!("handler-database-access", Layers, "layers", Error);

pub struct HandlerDatabaseAccess;

impl HandlerDatabaseAccess {
    /// Code this rule watches: the api layer, and elsewhere functions that may serve requests
    /// (whether they do is settled by `report`). Composition code in the api layer
    /// (`serve(pool)`, `router(pool)`) wires the pool in; tests may query.
    fn applies(cx: &Cx<'_, '_>) -> bool {
        let may_serve = || {
            cx.current_fn()
                .is_some_and(|f| f.handler != HandlerStatus::No)
        };
        // the cheap tests first: this runs at every path
        (cx.role() == Some(Role::Api) || may_serve())
            && !cx.in_test()
            && !cx.in_composition()
            && super::application_code(cx)
    }

    fn report(cx: &mut Cx<'_, '_>, span: Span, what: String) {
        let subject = match cx.current_fn() {
            Some(f) if f.handler == HandlerStatus::Yes || cx.role() != Some(Role::Api) => {
                format!("handler `{}`", f.name)
            }
            Some(f) => format!("`{}` in the api layer", f.name),
            None => "the api layer".to_string(),
        };
        let d = cx
            .diag(span, format!("{subject} uses the database directly: {what}"))
            .with_label("database access in a handler")
            .with_help(
                "move the query into a repository and call it through a service; handlers reach services \
                 through `State<AppState>` (axum) or `web::Data` (actix)",
            );
        // in the api layer everything counts; elsewhere only functions that serve requests
        if cx.role() == Some(Role::Api) {
            cx.report(d);
        } else {
            cx.report_in_handler(d);
        }
    }
}

impl Rule for HandlerDatabaseAccess {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::PATH | Hooks::MACRO | Hooks::METHOD_CALL | Hooks::USE
    }

    fn check_path(&self, cx: &mut Cx<'_, '_>, path: &PathRef<'_>) {
        if !Self::applies(cx) {
            return;
        }
        if let Some(access) = database::in_path(cx, path) {
            Self::report(cx, path.span(), access.what);
        }
    }

    fn check_macro(&self, cx: &mut Cx<'_, '_>, mac: &MacroCall<'_>) {
        // where the rule applies first: it is the cheaper test, and most code is outside it
        if !Self::applies(cx) {
            return;
        }
        if let Some(what) = database::in_macro(mac) {
            Self::report(cx, mac.span(), what);
        }
    }

    fn check_method_call(&self, cx: &mut Cx<'_, '_>, call: &MethodCall<'_>) {
        if !Self::applies(cx) {
            return;
        }
        if let Some(what) = database::in_method_call(cx, call) {
            Self::report(cx, call.method_span(), what);
        }
    }

    fn check_use(&self, cx: &mut Cx<'_, '_>, leaf: &UseLeaf<'_>) {
        if let Some(what) = database::in_use(leaf).filter(|_| Self::applies(cx)) {
            Self::report(cx, leaf.binding.span, what);
        }
    }
}
