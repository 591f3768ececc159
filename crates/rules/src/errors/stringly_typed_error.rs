//! `Result<_, String>`, `Box<dyn Error>` and `anyhow` in handler, service and repository
//! signatures: callers cannot tell a missing row from a lost connection.

use std::borrow::Cow;

use stratalint_engine::semantic::values::generic_args;
use stratalint_engine::syn::spanned::Spanned;
use stratalint_engine::syn::{Item, ReturnType, Signature, TraitItem, Type, TypeParamBound};
use stratalint_engine::{Cx, FnNode, Hooks, Rule, RuleMeta};

use crate::shared::request_path::{report_where, request_path, Reach};

static META: RuleMeta = crate::meta!("stringly-typed-error", Errors, "errors", Warning);

/// `Result` aliases whose error is a catch-all.
const CATCH_ALL_RESULTS: &[&str] = &[
    "anyhow::Result",
    "eyre::Result",
    "color_eyre::Result",
    "color_eyre::eyre::Result",
];

/// Catch-all error types.
const CATCH_ALL_ERRORS: &[&str] = &[
    "anyhow::Error",
    "eyre::Report",
    "eyre::Error",
    "color_eyre::Report",
    "color_eyre::eyre::Report",
];

const HELP: &str = "return the application's error type (`Result<T, AppError>` from the errors module), \
    with a variant per failure a caller or the HTTP mapping must tell apart; `anyhow` and `Box<dyn Error>` \
    belong in `main` and tooling";

pub struct StringlyTypedError;

/// What is stringly about an error type, if anything: `String`, `&str`, `Box<dyn Error>`,
/// `anyhow::Error`, a tuple with a `String` (`(StatusCode, String)`).
fn stringly_error(cx: &Cx<'_, '_>, ty: &Type) -> Option<String> {
    match ty {
        Type::Reference(r) if matches!(&*r.elem, Type::Path(p) if p.path.is_ident("str")) => {
            Some("`&str`".into())
        }
        Type::Tuple(t) => t
            .elems
            .iter()
            .any(|e| stringly_error(cx, e).is_some_and(|s| s == "`String`" || s == "`&str`"))
            .then(|| format!("`{}`", cx.text_of(ty.span()))),
        Type::Paren(p) => stringly_error(cx, &p.elem),
        _ => {
            let q = cx.resolve_type(ty)?;
            if q.is("std::string::String") {
                return Some("`String`".into());
            }
            if q.is_any(CATCH_ALL_ERRORS) {
                return Some(format!("`{q}`"));
            }
            if q.is("std::boxed::Box") {
                let inner = generic_args(ty).into_iter().next()?;
                let Type::TraitObject(to) = inner else {
                    return None;
                };
                let is_error = to.bounds.iter().any(|b| {
                    matches!(b, TypeParamBound::Trait(t) if t.path.segments.last().is_some_and(|s| s.ident == "Error"))
                });
                return is_error.then(|| "`Box<dyn Error>`".into());
            }
            None
        }
    }
}

/// What is stringly about a return type, if anything.
fn stringly_result(cx: &Cx<'_, '_>, ty: &Type) -> Option<String> {
    let q = cx.resolve_type(ty)?;
    if q.is_any(CATCH_ALL_RESULTS) {
        // `anyhow::Result<T, E>` names its error
        return match generic_args(ty).get(1) {
            Some(e) => stringly_error(cx, e),
            None => Some(format!("`{q}`")),
        };
    }
    if q.is("std::result::Result") {
        return stringly_error(cx, generic_args(ty).get(1)?);
    }
    None
}

impl StringlyTypedError {
    /// `owner` names the trait or type of a method, asked only for a finding.
    fn check_sig<'o>(
        cx: &mut Cx<'_, '_>,
        sig: &Signature,
        owner: impl FnOnce(&Cx<'_, '_>) -> Option<Cow<'o, str>>,
    ) {
        let ReturnType::Type(_, ty) = &sig.output else {
            return;
        };
        let Some(what) = stringly_result(cx, ty) else {
            return;
        };
        let reach = request_path(cx);
        if reach == Reach::No {
            return;
        }
        let name = match owner(cx) {
            Some(o) => format!("{o}::{}", sig.ident),
            None => sig.ident.to_string(),
        };
        let d = cx
            .diag(
                ty.span(),
                format!("`{name}` returns a stringly-typed error ({what})"),
            )
            .with_label("callers cannot match on this error")
            .with_help(HELP);
        report_where(cx, reach, d);
    }
}

impl Rule for StringlyTypedError {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::FN | Hooks::ITEM
    }

    fn check_fn(&self, cx: &mut Cx<'_, '_>, f: &FnNode<'_>) {
        // a trait's methods are judged at the trait (`check_item`); a foreign trait dictates the
        // signature
        if let Some((_, Some(_))) = cx.current_fn().and_then(|f| f.impl_of.as_ref()) {
            return;
        }
        // a method of an inherent impl is named with its type
        let owner = |cx: &Cx<'_, '_>| match cx.current_fn().and_then(|f| f.impl_of.as_ref()) {
            Some((Some(ty), None)) => Some(Cow::Owned(ty.last().to_string())),
            _ => None,
        };
        Self::check_sig(cx, f.sig, owner);
    }

    fn check_item(&self, cx: &mut Cx<'_, '_>, item: &Item) {
        match item {
            // the trait's signatures, implemented or not
            Item::Trait(t) => {
                let owner = t.ident.to_string();
                for ti in &t.items {
                    if let TraitItem::Fn(f) = ti {
                        Self::check_sig(cx, &f.sig, |_| Some(Cow::Borrowed(&owner)));
                    }
                }
            }
            // `type Result<T> = std::result::Result<T, String>;`
            Item::Type(alias) => {
                let Some(what) = stringly_result(cx, &alias.ty) else {
                    return;
                };
                let reach = request_path(cx);
                if reach == Reach::No {
                    return;
                }
                let d = cx
                    .diag(
                        alias.ty.span(),
                        format!("`{}` is a stringly-typed result ({what})", alias.ident),
                    )
                    .with_label("callers cannot match on this error")
                    .with_help(HELP);
                report_where(cx, reach, d);
            }
            _ => {}
        }
    }
}
