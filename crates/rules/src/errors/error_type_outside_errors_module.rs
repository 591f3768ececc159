//! Error types, and their mapping to HTTP responses, live in the errors module
//! (`src/core/errors.rs` by default), not scattered over services and handlers.

use stratalint_engine::proc_macro2::Span;
use stratalint_engine::syn::punctuated::Punctuated;
use stratalint_engine::syn::spanned::Spanned;
use stratalint_engine::syn::{self, Attribute, Item, Token};
use stratalint_engine::{Cx, Hooks, Rule, RuleMeta};

use crate::shared::request_path::{backend_code, Reach};

static META: RuleMeta = crate::meta!("error-type-outside-errors-module", Errors, "errors", Error);

/// Derives that make a type an error.
const ERROR_DERIVES: &[&str] = &[
    "thiserror::Error",
    "snafu::Snafu",
    "derive_more::Error",
    "derive_more::derive::Error",
];

/// Web crates whose `IntoResponse`/`ResponseError` traits turn an error into a response.
const RESPONSE_CRATES: &[&str] = &["axum", "axum_core", "actix_web", "poem", "ntex", "salvo"];

pub struct ErrorTypeOutsideErrorsModule;

/// Does an attribute list carry `#[error(…)]` (thiserror's message), on the item or a variant?
fn has_error_attr(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("error"))
}

impl ErrorTypeOutsideErrorsModule {
    /// The error derive on an item, if any: its span.
    fn error_derive(cx: &Cx<'_, '_>, attrs: &[Attribute], has_messages: bool) -> Option<Span> {
        for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
            let Ok(paths) =
                attr.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
            else {
                continue;
            };
            for p in &paths {
                let resolved = cx.resolve(p);
                let known = resolved.as_ref().is_some_and(|q| q.is_any(ERROR_DERIVES));
                // `#[derive(Error)]` with thiserror's `#[error("…")]` messages, import unseen
                let looks_like = p.segments.last().is_some_and(|s| s.ident == "Error")
                    && has_messages
                    && resolved.as_ref().is_none_or(|q| !q.first().eq("std"));
                if known || looks_like {
                    return Some(p.span());
                }
            }
        }
        None
    }

    fn report(cx: &mut Cx<'_, '_>, span: Span, message: String) {
        let module = cx.config().errors_module.clone();
        let d = cx
            .diag(span, message)
            .with_label("error type outside the errors module")
            .with_help(format!(
                "move it into `{module}` (or make it a variant of the application's error type there), so that \
                 every error and its HTTP mapping live in one place; other places for error types are \
                 configured with `[errors] modules` or `crates`"
            ));
        cx.report(d);
    }
}

impl Rule for ErrorTypeOutsideErrorsModule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::ITEM
    }

    fn check_item(&self, cx: &mut Cx<'_, '_>, item: &Item) {
        if backend_code(cx) != Reach::Yes {
            return;
        }
        let crate_name = cx.project().crate_of(cx.file()).map(|c| c.name.as_str());
        if cx.config().in_errors_module(&cx.file().rel, crate_name) {
            return;
        }
        let module = cx.config().errors_module.clone();
        match item {
            Item::Enum(e) => {
                let messages =
                    has_error_attr(&e.attrs) || e.variants.iter().any(|v| has_error_attr(&v.attrs));
                if Self::error_derive(cx, &e.attrs, messages).is_some() {
                    let msg = format!(
                        "error type `{}` is defined outside the errors module (`{module}`)",
                        e.ident
                    );
                    Self::report(cx, e.ident.span(), msg);
                }
            }
            Item::Struct(s) => {
                if Self::error_derive(cx, &s.attrs, has_error_attr(&s.attrs)).is_some() {
                    let msg = format!(
                        "error type `{}` is defined outside the errors module (`{module}`)",
                        s.ident
                    );
                    Self::report(cx, s.ident.span(), msg);
                }
            }
            Item::Impl(imp) => {
                let Some((trait_path, _)) = &imp.trait_ else {
                    return;
                };
                let Some(q) = cx.resolve(trait_path) else {
                    return;
                };
                let ty = cx.text_of(imp.self_ty.span()).to_string();
                let ty_name = ty.rsplit("::").next().unwrap_or(&ty).to_string();
                let msg = if q.is("std::error::Error") {
                    format!("`{ty_name}` implements `std::error::Error` outside the errors module (`{module}`)")
                } else if q.in_crates(RESPONSE_CRATES)
                    && (q.last() == "ResponseError"
                        || q.last() == "IntoResponse" && ty_name.ends_with("Error"))
                {
                    format!(
                        "error `{ty_name}` is turned into an HTTP response outside the errors module (`{module}`)"
                    )
                } else {
                    return;
                };
                let span = imp
                    .impl_token
                    .span
                    .join(imp.self_ty.span())
                    .unwrap_or(imp.impl_token.span);
                Self::report(cx, span, msg);
            }
            _ => {}
        }
    }
}
