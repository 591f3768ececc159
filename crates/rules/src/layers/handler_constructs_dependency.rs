//! Handlers receive their services through extractors; they do not build them.

use stratalint_engine::proc_macro2::Span;
use stratalint_engine::semantic::HandlerStatus;
use stratalint_engine::{Call, Cx, Hooks, PathKind, PathRef, QualifiedName, Role, Rule, RuleMeta};

use crate::shared::db::db_handle;

static META: RuleMeta = crate::meta!("handler-constructs-dependency", Layers, "layers", Warning);

/// Outbound clients that hold connection pools of their own: one per process, not per request.
const CLIENTS: &[&str] = &[
    "reqwest::Client",
    "reqwest::ClientBuilder",
    "redis::Client",
    "mongodb::Client",
    "lettre::AsyncSmtpTransport",
    "lettre::SmtpTransport",
    "async_openai::Client",
    "octocrab::Octocrab",
    "rdkafka::producer::FutureProducer",
    "lapin::Connection",
];

pub struct HandlerConstructsDependency;

/// Associated functions that build a value.
fn is_constructor(name: &str) -> bool {
    matches!(
        name,
        "new"
            | "default"
            | "builder"
            | "connect"
            | "connect_lazy"
            | "connect_with"
            | "establish"
            | "open"
            | "build"
            | "from_env"
            | "from_config"
            | "from_url"
    ) || name.starts_with("new_")
        || name.starts_with("with_")
        || name.starts_with("from_")
        || name.starts_with("connect_")
}

impl HandlerConstructsDependency {
    /// What a type is, when a handler should receive it instead of building it.
    fn dependency_kind(cx: &Cx<'_, '_>, ty: &QualifiedName) -> Option<&'static str> {
        match cx.role_of_path(ty) {
            Some(Role::Services) => return Some("service"),
            Some(Role::Repositories) => return Some("repository"),
            _ => {}
        }
        if db_handle(ty).is_some() {
            return Some("database pool or connection");
        }
        let is_client = CLIENTS.iter().any(|c| ty.is(c))
            || (ty.first().starts_with("aws_sdk_") && ty.last() == "Client");
        is_client.then_some("client")
    }

    fn in_handler(cx: &Cx<'_, '_>) -> bool {
        !cx.in_test()
            && super::application_code(cx)
            && cx
                .current_fn()
                .is_some_and(|f| f.handler != HandlerStatus::No)
    }

    fn report(cx: &mut Cx<'_, '_>, span: Span, ty: &QualifiedName, kind: &str, how: &str) {
        let fn_name = cx.current_fn().map(|f| f.name.clone()).unwrap_or_default();
        let name = if cx.is_project_path(ty) {
            ty.last()
        } else {
            ty.as_str()
        };
        let d = cx
            .diag(
                span,
                format!("handler `{fn_name}` builds the {kind} `{name}` ({how}) on every request"),
            )
            .with_label(format!("{kind} built inside a handler"))
            .with_help(
                "build it once in the composition root (main/startup), put it in the application \
                 state, and receive it with `State<AppState>` (axum), `Extension<_>` or \
                 `web::Data<_>` (actix-web)",
            );
        cx.report_in_handler(d);
    }
}

impl Rule for HandlerConstructsDependency {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::CALL | Hooks::PATH
    }

    fn check_call(&self, cx: &mut Cx<'_, '_>, call: &Call<'_>) {
        let Some(q) = &call.path else { return };
        // in a handler first: it is the cheapest test, and most calls are elsewhere
        if !Self::in_handler(cx) || !is_constructor(q.last()) || !q.is_associated() {
            return;
        }
        let Some(ty) = q.parent() else { return };
        if let Some(kind) = Self::dependency_kind(cx, &ty) {
            let how = format!("`{}(..)`", cx.text_of(call.callee_span()));
            Self::report(cx, call.callee_span(), &ty, kind, &how);
        }
    }

    fn check_path(&self, cx: &mut Cx<'_, '_>, path: &PathRef<'_>) {
        if path.kind != PathKind::StructLit || !Self::in_handler(cx) {
            return;
        }
        let Some(ty) = path.resolved(cx).cloned() else {
            return;
        };
        if let Some(kind) = Self::dependency_kind(cx, &ty) {
            Self::report(cx, path.span(), &ty, kind, "a struct literal");
        }
    }
}
