//! Services, repositories and models know nothing of HTTP.

use serde::Deserialize;
use stratalint_engine::proc_macro2::Span;
use stratalint_engine::{
    Cx, Hooks, PathKind, PathRef, QualifiedName, Role, Rule, RuleMeta, RuleOptions, UseLeaf,
};

static META: RuleMeta = crate::meta!("http-type-in-inner-layer", Layers, "layers", Warning);

/// Web frameworks and the `http` crate: their extractors, responses, status codes and headers.
const WEB_CRATES: &[&str] = &[
    "axum",
    "axum_core",
    "axum_extra",
    "actix_web",
    "actix_http",
    "rocket",
    "poem",
    "poem_openapi",
    "http",
    "ntex",
    "salvo",
    "warp",
    "tower_http",
];

/// What these crates re-export that has nothing to do with HTTP.
const NOT_HTTP: &[&str] = &[
    "axum::async_trait",
    "poem::async_trait",
    "rocket::async_trait",
    "rocket::serde",
    "rocket::tokio",
    "rocket::futures",
    "actix_web::rt",
];

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Options {
    /// Paths (and everything under them) allowed anyway, e.g. `http::Uri`.
    #[serde(default)]
    allow: Vec<String>,
}

#[derive(Default)]
pub struct HttpTypeInInnerLayer {
    allow: Vec<String>,
}

impl HttpTypeInInnerLayer {
    fn is_http(&self, q: &QualifiedName) -> bool {
        if !q.in_crates(WEB_CRATES) {
            return false;
        }
        // `rocket::serde::json::Json` is a responder; the rest of `rocket::serde` is serde
        if q.starts_with("rocket::serde::json::Json") {
            return true;
        }
        !NOT_HTTP.iter().any(|p| q.starts_with(p)) && !self.allow.iter().any(|p| q.starts_with(p))
    }

    /// Services, repositories and models, except an errors module placed there
    /// (`[errors] module = "src/domain/error.rs"`): mapping errors to responses is its job.
    fn applies(cx: &Cx<'_, '_>) -> bool {
        let in_errors_module = || {
            let crate_name = cx.project().crate_of(cx.file()).map(|c| c.name.as_str());
            cx.config().in_errors_module(&cx.file().rel, crate_name)
        };
        matches!(
            cx.role(),
            Some(Role::Services | Role::Repositories | Role::Models)
        ) && !cx.in_test()
            && super::application_code(cx)
            && !in_errors_module()
    }

    fn report(cx: &mut Cx<'_, '_>, span: Span, q: &QualifiedName) {
        let layer = cx
            .file()
            .layer
            .map(|l| cx.config().layers.get(l).name.clone())
            .unwrap_or_default();
        let d = cx
            .diag(
                span,
                format!("the `{layer}` layer depends on the web framework: `{q}`"),
            )
            .with_label("HTTP type outside the api layer")
            .with_help(
                "take and return plain values and domain errors here; extractors, responses, \
                 status codes and `IntoResponse` belong to the api layer, and the errors module \
                 maps domain errors to HTTP responses",
            );
        cx.report(d);
    }
}

impl Rule for HttpTypeInInnerLayer {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::USE | Hooks::PATH
    }

    fn configure(&mut self, options: RuleOptions<'_>) -> Result<(), toml::de::Error> {
        let o = Options::deserialize(options)?;
        self.allow = o.allow;
        Ok(())
    }

    // One finding per import, and one per path written out in full (`axum::http::StatusCode`);
    // the uses of an imported name are covered by its import.
    fn check_use(&self, cx: &mut Cx<'_, '_>, leaf: &UseLeaf<'_>) {
        if Self::applies(cx) && self.is_http(&leaf.binding.target) {
            let q = leaf.binding.target.clone();
            Self::report(cx, leaf.binding.span, &q);
        }
    }

    fn check_path(&self, cx: &mut Cx<'_, '_>, path: &PathRef<'_>) {
        if path.kind == PathKind::Pattern || !Self::applies(cx) || !cx.is_written_out(path.path) {
            return;
        }
        if let Some(q) = path.resolved(cx).filter(|q| self.is_http(q)).cloned() {
            Self::report(cx, path.span(), &q);
        }
    }
}
