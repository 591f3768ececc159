//! Handlers talk to services; only repositories talk to the database.

use stratalint_engine::semantic::HandlerStatus;
use stratalint_engine::{Cx, Hooks, MacroCall, PathKind, PathRef, Role, Rule, RuleMeta};

use crate::shared::db::db_access;

static META: RuleMeta = crate::meta!("handler-database-access", Layers, "layers", Error);

pub struct HandlerDatabaseAccess;

impl HandlerDatabaseAccess {
    fn report(
        cx: &mut Cx<'_, '_>,
        span: stratalint_engine::proc_macro2::Span,
        what: &str,
        path: &str,
    ) {
        let subject = match cx.current_fn() {
            Some(f) if f.handler == HandlerStatus::Yes || cx.role() != Some(Role::Api) => {
                format!("handler `{}`", f.name)
            }
            Some(f) => format!("`{}` in the api layer", f.name),
            None => "the api layer".to_string(),
        };
        let d = cx
            .diag(span, format!("{subject} uses the database directly: `{path}` is {what}"))
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
        Hooks::PATH | Hooks::MACRO
    }

    fn check_path(&self, cx: &mut Cx<'_, '_>, path: &PathRef<'_>) {
        // composition code in the api layer (`serve(pool)`, `router(pool)`) wires the pool in
        if cx.in_test()
            || cx.in_composition()
            || !super::application_code(cx)
            || matches!(path.kind, PathKind::Pattern | PathKind::ImplTrait)
        {
            return;
        }
        // outside the api layer only functions that may serve requests
        let may_serve = |cx: &Cx<'_, '_>| {
            cx.current_fn()
                .is_some_and(|f| f.handler != HandlerStatus::No)
        };
        if cx.role() != Some(Role::Api) && !may_serve(cx) {
            return;
        }
        let Some(resolved) = path.resolved(cx) else {
            return;
        };
        if let Some(what) = db_access(resolved) {
            let resolved = resolved.as_str().to_string();
            Self::report(cx, path.span(), what, &resolved);
        }
    }

    fn check_macro(&self, cx: &mut Cx<'_, '_>, mac: &MacroCall<'_>) {
        if cx.in_test() || cx.in_composition() || !super::application_code(cx) {
            return;
        }
        let Some(path) = &mac.path else { return };
        if let Some(what) = db_access(path) {
            let text = format!("{}!", path.as_str());
            Self::report(cx, mac.span(), what, &text);
        }
    }
}
