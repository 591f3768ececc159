//! Only the repository layer talks to the database.

use stratalint_engine::proc_macro2::Span;
use stratalint_engine::{Cx, Hooks, MacroCall, MethodCall, PathRef, Role, Rule, RuleMeta, UseLeaf};

use super::database;

static META: RuleMeta = crate::meta!(
    "database-access-outside-repository",
    Layers,
    "layers",
    Error
);

pub struct DatabaseAccessOutsideRepository;

impl DatabaseAccessOutsideRepository {
    /// The layers this rule watches: the api layer has `handler-database-access`; repositories,
    /// migrations and the composition root may touch the database.
    fn applies(cx: &Cx<'_, '_>) -> bool {
        matches!(
            cx.role(),
            Some(Role::Services | Role::Models | Role::Schemas | Role::Core)
        ) && !cx.in_test()
            && !cx.in_composition()
            && super::application_code(cx)
    }

    fn report(cx: &mut Cx<'_, '_>, span: Span, what: String) {
        let layer = cx
            .file()
            .layer
            .map(|l| cx.config().layers.get(l).name.clone())
            .unwrap_or_default();
        let repos = cx
            .config()
            .layers
            .by_role(Role::Repositories)
            .map(|l| cx.config().layers.get(l).name.clone())
            .unwrap_or_else(|| "repositories".to_string());
        let d = cx
            .diag(
                span,
                format!("the `{layer}` layer accesses the database: {what}"),
            )
            .with_label("database access outside the repository layer")
            .with_help(format!(
                "move it into the `{repos}` layer and call the repository from here: repositories \
                 own every query (a service may hand them its connection or transaction)"
            ));
        cx.report(d);
    }
}

impl Rule for DatabaseAccessOutsideRepository {
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
        let Some(access) = database::in_path(cx, path) else {
            return;
        };
        // A pool, connection or transaction is a handle, not a query. The seed injects database
        // sessions into services (a service may run several repositories in one transaction), and
        // core holds the wiring helpers (a `DbPool` alias, `connect_pool`): handles are fine
        // there, queries are not. A model or schema holding one is not.
        if access.handle && matches!(cx.role(), Some(Role::Core | Role::Services)) {
            return;
        }
        Self::report(cx, path.span(), access.what);
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
