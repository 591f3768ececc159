//! Secrets in logs outlive the request: log files are shipped, indexed and read by many more
//! people than the database (CWE-532).

use stratalint_engine::proc_macro2::{Span, TokenStream, TokenTree};
use stratalint_engine::semantic::macros::{inline_captures, MacroArgs};
use stratalint_engine::syn::spanned::Spanned;
use stratalint_engine::syn::{self, Expr, Item, Type};
use stratalint_engine::{Cx, FnNode, Hooks, Loc, MacroCall, ProjectCx, Rule, RuleMeta};

use super::common::{peel, value_name};
use crate::shared::sensitive::sensitive;

static META: RuleMeta = crate::meta!("secret-in-logs", Security, "security", Error);

pub struct SecretInLogs;

/// Types whose `Debug` and `Display` do not show the secret.
const REDACTING_TYPES: &[&str] = &[
    "SecretString",
    "Secret",
    "SecretBox",
    "SecretSlice",
    "SecretVec",
    "Redacted",
    "Sensitive",
    "Masked",
];

/// Method results that say something about a secret without showing it.
const HARMLESS_METHODS: &[&str] = &[
    "len",
    "is_some",
    "is_none",
    "is_empty",
    "is_ok",
    "is_err",
    "count",
    "chars_count",
    "is_expired",
];

const HELP: &str = "log what identifies the request instead (`user_id`, a key's id or last 4 characters); hold \
                    secrets in `secrecy::SecretString`, whose Debug prints `[REDACTED]`, and never log \
                    `expose_secret()`";

/// A struct of the project whose derived `Debug` prints secret fields.
#[derive(serde::Serialize, serde::Deserialize)]
struct DebugSecret {
    path: String,
    fields: Vec<String>,
}

/// A parameter recorded by `#[instrument]` whose type is a struct of the project.
#[derive(serde::Serialize, serde::Deserialize)]
struct InstrumentedParam {
    ty: String,
    param: String,
    function: String,
    loc: Loc,
}

/// Does the value hide what it holds (`SecretString`), or say nothing about it (`token.len()`)?
fn redacted(cx: &Cx<'_, '_>, value: &Expr) -> bool {
    if matches!(peel(value), Expr::Lit(_)) {
        return true;
    }
    if value_name(value).is_some_and(|n| HARMLESS_METHODS.contains(&n.as_str())) {
        return true;
    }
    // a record named like a secret (`token: &Token` with an id and an expiry) is not the
    // secret; only text is judged by its name
    cx.expr_type(value)
        .is_some_and(|t| REDACTING_TYPES.contains(&t.last()) || !is_text_type(t.last()))
}

/// Types whose value is the text or bytes themselves.
fn is_text_type(last: &str) -> bool {
    matches!(
        last,
        "String"
            | "str"
            | "Cow"
            | "Vec"
            | "Bytes"
            | "BytesMut"
            | "HeaderValue"
            | "Option"
            | "Box"
            | "Arc"
            | "Rc"
    )
}

/// A `HeaderMap` (or request) formatted with Debug: it carries `Authorization` and `Cookie`.
fn is_headers(cx: &Cx<'_, '_>, value: &Expr) -> bool {
    match cx.expr_type(value) {
        Some(t) => t.last() == "HeaderMap",
        None => value_name(value).is_some_and(|n| n == "headers"),
    }
}

/// The secret a logged value shows, by its name (`req.password` → `password`).
fn secret_value(cx: &Cx<'_, '_>, value: &Expr) -> Option<String> {
    let name = value_name(value)?;
    (sensitive(&name).is_some() && !redacted(cx, value)).then_some(name)
}

/// Plain text or bytes: what a derived `Debug` prints as is.
fn is_plain_text(ty: &Type) -> bool {
    match ty {
        Type::Reference(r) => is_plain_text(&r.elem),
        Type::Array(_) | Type::Slice(_) => true,
        Type::Paren(p) => is_plain_text(&p.elem),
        Type::Path(p) => {
            let Some(last) = p.path.segments.last() else {
                return false;
            };
            match last.ident.to_string().as_str() {
                "String" | "str" | "Cow" | "Bytes" | "BytesMut" | "Vec" => true,
                "Option" | "Box" | "Arc" | "Rc" | "Zeroizing" => match &last.arguments {
                    syn::PathArguments::AngleBracketed(a) => a.args.iter().any(|g| match g {
                        syn::GenericArgument::Type(t) => is_plain_text(t),
                        _ => false,
                    }),
                    _ => false,
                },
                _ => false,
            }
        }
        _ => false,
    }
}

/// `skip(a, b)`, `skip_all` and `fields(name = …)` of `#[instrument(..)]`.
#[derive(Default)]
struct InstrumentArgs {
    skip_all: bool,
    skip: Vec<String>,
    fields: Vec<(String, Span)>,
}

fn instrument_args(tokens: TokenStream) -> InstrumentArgs {
    let mut out = InstrumentArgs::default();
    let mut last_ident: Option<String> = None;
    for t in tokens {
        match t {
            TokenTree::Ident(i) => {
                let s = i.to_string();
                if s == "skip_all" {
                    out.skip_all = true;
                }
                last_ident = Some(s);
            }
            TokenTree::Group(g) => {
                match last_ident.as_deref() {
                    Some("skip") => {
                        out.skip
                            .extend(g.stream().into_iter().filter_map(|t| match t {
                                TokenTree::Ident(i) => Some(i.to_string()),
                                _ => None,
                            }))
                    }
                    Some("fields") => {
                        // `name = value` pairs: the identifiers right before a lone `=`
                        let toks: Vec<TokenTree> = g.stream().into_iter().collect();
                        for (k, tok) in toks.iter().enumerate() {
                            if let TokenTree::Punct(p) = tok {
                                if p.as_char() == '='
                                    && p.spacing() == stratalint_engine::proc_macro2::Spacing::Alone
                                {
                                    if let Some(TokenTree::Ident(name)) =
                                        k.checked_sub(1).and_then(|j| toks.get(j))
                                    {
                                        out.fields.push((name.to_string(), name.span()));
                                    }
                                }
                            }
                        }
                    }
                    _ => {}
                }
                last_ident = None;
            }
            _ => {}
        }
    }
    out
}

impl SecretInLogs {
    fn report(cx: &mut Cx<'_, '_>, span: Span, message: String, label: &str) {
        let d = cx.diag(span, message).with_label(label).with_help(HELP);
        cx.report(d);
    }

    fn check_value(
        cx: &mut Cx<'_, '_>,
        value: &Expr,
        field: Option<&str>,
        debug: bool,
        what: &str,
    ) {
        if let Some(name) = field.filter(|n| sensitive(n).is_some()) {
            if !redacted(cx, value) {
                Self::report(
                    cx,
                    value.span(),
                    format!("secret `{name}` written to {what}"),
                    "secret in a log line",
                );
                return;
            }
        }
        if let Some(name) = secret_value(cx, value) {
            Self::report(
                cx,
                value.span(),
                format!("secret `{name}` written to {what}"),
                "secret in a log line",
            );
        } else if debug && is_headers(cx, value) {
            Self::report(
                cx,
                value.span(),
                format!("request headers Debug-formatted into {what}: they carry `Authorization` and `Cookie`"),
                "headers with credentials",
            );
        }
    }

    /// `"{password}"` in a message.
    fn check_captures(cx: &mut Cx<'_, '_>, message: &syn::LitStr, what: &str) {
        let text = message.value();
        for name in inline_captures(&text) {
            if sensitive(name).is_none() {
                continue;
            }
            let secret_type = cx
                .local(name)
                .and_then(|v| v.ty.as_ref())
                .is_some_and(|t| REDACTING_TYPES.contains(&t.last()));
            if !secret_type {
                Self::report(
                    cx,
                    message.span(),
                    format!("secret `{name}` written to {what}"),
                    "secret in a log line",
                );
            }
        }
    }
}

impl Rule for SecretInLogs {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::MACRO | Hooks::FN | Hooks::ITEM | Hooks::PROJECT
    }

    fn check_macro(&self, cx: &mut Cx<'_, '_>, mac: &MacroCall<'_>) {
        if cx.in_test() {
            return;
        }
        match mac.args {
            MacroArgs::Log(l) => {
                let what = "a log line";
                for f in &l.fields {
                    if let Some(v) = &f.value {
                        Self::check_value(cx, v, Some(&f.name), f.sigil == Some('?'), what);
                    }
                }
                let debug_fmt = l.message.as_ref().is_some_and(|m| m.value().contains("?}"));
                for a in &l.format_args {
                    Self::check_value(cx, a, None, debug_fmt, what);
                }
                if let Some(m) = &l.message {
                    Self::check_captures(cx, m, what);
                }
            }
            MacroArgs::Exprs(exprs) => {
                let Some(path) = &mac.path else { return };
                let name = path.as_str();
                let what = "the console";
                match name {
                    "std::println" | "std::eprintln" | "std::print" | "std::eprint" => {
                        let Some((
                            Expr::Lit(syn::ExprLit {
                                lit: syn::Lit::Str(fmt),
                                ..
                            }),
                            rest,
                        )) = exprs.split_first()
                        else {
                            return;
                        };
                        let debug_fmt = fmt.value().contains("?}");
                        for a in rest {
                            Self::check_value(cx, a, None, debug_fmt, what);
                        }
                        Self::check_captures(cx, fmt, what);
                    }
                    "std::dbg" => {
                        for a in exprs {
                            Self::check_value(cx, a, None, true, what);
                        }
                    }
                    _ => {}
                }
            }
            MacroArgs::Opaque => {}
        }
    }

    /// `#[instrument]` records every argument unless skipped.
    fn check_fn(&self, cx: &mut Cx<'_, '_>, f: &FnNode<'_>) {
        let Some(attr) = f.attrs.iter().find(|a| {
            a.path()
                .segments
                .last()
                .is_some_and(|s| s.ident == "instrument")
        }) else {
            return;
        };
        if cx.in_test() {
            return;
        }
        if let Some(q) = cx.resolve(attr.path()) {
            if !q.in_crates(&["tracing", "tracing_attributes"]) && attr.path().segments.len() > 1 {
                return;
            }
        }
        let args = match &attr.meta {
            syn::Meta::List(l) => instrument_args(l.tokens.clone()),
            _ => InstrumentArgs::default(),
        };
        for (name, span) in &args.fields {
            if sensitive(name).is_some() {
                Self::report(
                    cx,
                    *span,
                    format!("`#[instrument]` records the secret field `{name}` on the span"),
                    "secret span field",
                );
            }
        }
        if args.skip_all {
            return;
        }
        let function = f.sig.ident.to_string();
        for input in &f.sig.inputs {
            let syn::FnArg::Typed(t) = input else {
                continue;
            };
            let syn::Pat::Ident(p) = &*t.pat else {
                continue;
            };
            let param = p.ident.to_string();
            if args.skip.contains(&param) {
                continue;
            }
            let ty = cx.resolve_type(&t.ty);
            if ty
                .as_ref()
                .is_some_and(|q| REDACTING_TYPES.contains(&q.last()))
            {
                continue;
            }
            let project_type = ty
                .as_ref()
                .is_some_and(|q| q.first() == cx.resolver().crate_name());
            if sensitive(&param).is_some() && !project_type {
                Self::report(
                    cx,
                    p.ident.span(),
                    format!(
                        "`#[instrument]` on `{function}` records the secret argument `{param}`"
                    ),
                    "recorded on the span",
                );
            } else if let Some(ty) = ty.filter(|q| q.first() == cx.resolver().crate_name()) {
                let loc = cx.loc(p.ident.span());
                cx.fact(InstrumentedParam {
                    ty: ty.into_string(),
                    param,
                    function: function.clone(),
                    loc,
                });
            }
        }
    }

    /// `#[derive(Debug)]` on a struct with a secret in plain text.
    fn check_item(&self, cx: &mut Cx<'_, '_>, item: &Item) {
        let Item::Struct(s) = item else { return };
        if cx.in_test() {
            return;
        }
        let Some(debug) = derived(cx, &s.attrs, "Debug") else {
            return;
        };
        let fields: Vec<String> = s
            .fields
            .iter()
            .filter_map(|f| {
                let name = f.ident.as_ref()?.to_string();
                (sensitive(&name).is_some() && is_plain_text(&f.ty)).then_some(name)
            })
            .collect();
        if fields.is_empty() {
            return;
        }
        let list = fields
            .iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let d = cx
            .diag(debug, format!("derived `Debug` of `{}` prints {list} in clear", s.ident))
            .with_label("prints the secret in logs and panics")
            .with_help(
                "hold the secret in `secrecy::SecretString` (its Debug prints `[REDACTED]`), or implement \
                 `Debug` by hand and leave the secret out (`finish_non_exhaustive()`)",
            );
        cx.report(d);
        let path = cx.resolver().item_qname(&s.ident.to_string()).into_string();
        cx.fact(DebugSecret { path, fields });
    }

    fn check_project(&self, cx: &mut ProjectCx<'_>) {
        let secrets: Vec<(&str, &[String])> = cx
            .facts::<DebugSecret>()
            .map(|(d, _)| (d.path.as_str(), d.fields.as_slice()))
            .collect();
        let params: Vec<&InstrumentedParam> =
            cx.facts::<InstrumentedParam>().map(|(p, _)| p).collect();
        for p in params {
            let ty = cx.through_reexports(&p.ty);
            let Some((path, fields)) = secrets.iter().find(|(path, _)| *path == ty) else {
                continue;
            };
            let name = path.rsplit("::").next().unwrap_or(path);
            let list = fields
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let d = cx
                .diag_at(
                    p.loc.clone(),
                    format!(
                        "`#[instrument]` on `{}` records `{}`, whose derived Debug prints {list}",
                        p.function, p.param
                    ),
                )
                .with_label(format!("`{name}` recorded on the span"))
                .with_help(format!(
                    "add `skip({})` (or `skip_all` and the `fields(..)` you need) to `#[instrument]`",
                    p.param
                ));
            cx.report(d);
        }
    }
}

/// The span of `name` in the item's `#[derive(..)]`, if it derives it.
pub fn derived(cx: &Cx<'_, '_>, attrs: &[syn::Attribute], name: &str) -> Option<Span> {
    cx.derives(attrs)
        .iter()
        .filter(|d| d.written_as(name))
        .find(|d| match &d.resolved {
            Some(q) => q.in_crates(&["std"]) || q.last() == name,
            None => true,
        })
        .map(|d| d.path.span())
}
