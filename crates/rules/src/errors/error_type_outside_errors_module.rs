//! Error types, and their mapping to HTTP responses, live in the errors module
//! (`src/core/errors.rs` by default), not scattered over services and handlers.

use stratalint_engine::proc_macro2::Span;
use stratalint_engine::syn::spanned::Spanned;
use stratalint_engine::syn::{self, Attribute, Item, Type};
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

/// What makes a type an error here, per type name, in file order.
#[derive(Default)]
struct ErrorType {
    name: String,
    /// The type's definition with an error derive.
    derive: Option<Span>,
    /// `impl std::error::Error for T`.
    std_impls: Vec<Span>,
    /// `impl IntoResponse for TError`, `impl ResponseError for T`.
    response_impls: Vec<Span>,
}

impl ErrorTypeOutsideErrorsModule {
    /// Is one of the derives an error derive?
    fn has_error_derive(cx: &Cx<'_, '_>, attrs: &[Attribute], has_messages: bool) -> bool {
        cx.derives(attrs).iter().any(|d| {
            let known = d.resolved.as_ref().is_some_and(|q| q.is_any(ERROR_DERIVES));
            // `#[derive(Error)]` with thiserror's `#[error("…")]` messages, import unseen
            let looks_like = d.written_as("Error")
                && has_messages
                && d.resolved.as_ref().is_none_or(|q| q.first() != "std");
            known || looks_like
        })
    }

    fn entry<'t>(found: &'t mut Vec<ErrorType>, name: &str) -> &'t mut ErrorType {
        match found.iter().position(|t| t.name == name) {
            Some(i) => &mut found[i],
            None => {
                found.push(ErrorType {
                    name: name.to_string(),
                    ..ErrorType::default()
                });
                found.last_mut().expect("just pushed")
            }
        }
    }

    /// Gather the error types of `items` (and of inline modules that are not test code).
    fn collect(cx: &Cx<'_, '_>, items: &[Item], found: &mut Vec<ErrorType>) {
        for item in items {
            match item {
                Item::Enum(e) if !is_test_item(&e.attrs) => {
                    let messages = has_error_attr(&e.attrs)
                        || e.variants.iter().any(|v| has_error_attr(&v.attrs));
                    if Self::has_error_derive(cx, &e.attrs, messages) {
                        Self::entry(found, &e.ident.to_string()).derive = Some(e.ident.span());
                    }
                }
                Item::Struct(st)
                    if !is_test_item(&st.attrs)
                        && Self::has_error_derive(cx, &st.attrs, has_error_attr(&st.attrs)) =>
                {
                    Self::entry(found, &st.ident.to_string()).derive = Some(st.ident.span());
                }
                Item::Impl(imp) if !is_test_item(&imp.attrs) => {
                    let Some((trait_path, _)) = &imp.trait_ else {
                        continue;
                    };
                    let Type::Path(ty) = &*imp.self_ty else {
                        continue;
                    };
                    let Some(name) = ty.path.segments.last().map(|s| s.ident.to_string()) else {
                        continue;
                    };
                    let q = cx.resolve(trait_path);
                    let last = trait_path
                        .segments
                        .last()
                        .map(|s| s.ident.to_string())
                        .unwrap_or_default();
                    let span = imp
                        .impl_token
                        .span
                        .join(imp.self_ty.span())
                        .unwrap_or(imp.impl_token.span);
                    let std_error = match &q {
                        Some(q) => q.is("std::error::Error"),
                        None => last == "Error",
                    };
                    let response = q.as_ref().is_none_or(|q| q.in_crates(RESPONSE_CRATES))
                        && (last == "ResponseError"
                            || last == "IntoResponse" && name.ends_with("Error"));
                    if std_error {
                        Self::entry(found, &name).std_impls.push(span);
                    } else if response {
                        Self::entry(found, &name).response_impls.push(span);
                    }
                }
                Item::Mod(m) if !is_test_item(&m.attrs) => {
                    if let Some((_, inner)) = &m.content {
                        Self::collect(cx, inner, found);
                    }
                }
                _ => {}
            }
        }
    }
}

/// `#[cfg(test)]` on an item.
fn is_test_item(attrs: &[Attribute]) -> bool {
    attrs
        .iter()
        .any(stratalint_engine::semantic::scope::is_cfg_test)
}

impl Rule for ErrorTypeOutsideErrorsModule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::FILE
    }

    fn check_file(&self, cx: &mut Cx<'_, '_>, file: &syn::File) {
        if backend_code(cx) != Reach::Yes {
            return;
        }
        let crate_name = cx.project().crate_of(cx.file()).map(|c| c.name.as_str());
        if cx.config().in_errors_module(&cx.file().rel, crate_name) {
            return;
        }
        let mut found = Vec::new();
        Self::collect(cx, &file.items, &mut found);
        let module = cx.config().errors_module.clone();
        // one finding per type: at its definition, else at its first impl; the rest as labels
        for t in found {
            let name = &t.name;
            let (at, message) = if let Some(def) = t.derive {
                (
                    def,
                    format!(
                        "error type `{name}` is defined outside the errors module (`{module}`)"
                    ),
                )
            } else if let Some(first) = t.std_impls.first() {
                (*first, format!("`{name}` implements `std::error::Error` outside the errors module (`{module}`)"))
            } else if let Some(first) = t.response_impls.first() {
                (*first, format!("error `{name}` is turned into an HTTP response outside the errors module (`{module}`)"))
            } else {
                continue;
            };
            let mut d = cx
                .diag(at, message)
                .with_label("error type outside the errors module")
                .with_help(format!(
                    "move it into `{module}` (or make it a variant of the application's error type there), so that \
                     every error and its HTTP mapping live in one place; other places for error types are \
                     configured with `[errors] modules` or `crates`"
                ));
            let at_range = at.byte_range();
            for span in t.std_impls.iter().filter(|s| s.byte_range() != at_range) {
                d = d.with_secondary(cx.loc(*span), "implements `std::error::Error` here");
            }
            for span in t
                .response_impls
                .iter()
                .filter(|s| s.byte_range() != at_range)
            {
                d = d.with_secondary(cx.loc(*span), "turned into an HTTP response here");
            }
            cx.report(d);
        }
    }
}
