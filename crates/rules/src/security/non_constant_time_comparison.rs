//! `==` on secrets stops at the first differing byte: the response time tells an attacker how much
//! of a guess was right (CWE-208).

use stratalint_engine::proc_macro2::Span;
use stratalint_engine::syn::spanned::Spanned;
use stratalint_engine::syn::{self, Expr};
use stratalint_engine::{Cx, ExprKinds, Hooks, MethodCall, Rule, RuleMeta};

use super::common::{method_span, peel, value_name};
use crate::shared::sensitive::{sensitive, words, Kind};

static META: RuleMeta = crate::meta!(
    "non-constant-time-comparison",
    Security,
    "security",
    Warning
);

pub struct NonConstantTimeComparison;

/// Words that make a password comparison a form check between two inputs of the same user
/// (`password == confirm_password`, `new_password == old_password`), not a check of a secret.
const FORM_WORDS: &[&str] = &[
    "confirm",
    "confirmation",
    "repeat",
    "repeated",
    "again",
    "new",
    "old",
    "current",
    "previous",
];

/// The secret an operand holds, if its name says so.
fn secret_operand(e: &Expr) -> Option<(String, Kind)> {
    let name = value_name(e)?;
    let kind = sensitive(&name)?;
    let w = words(&name);
    // hashes of tokens are compared to look them up; their timing reveals nothing usable
    if w.last()
        .is_some_and(|l| matches!(l.as_str(), "hash" | "hashed" | "digest"))
    {
        return None;
    }
    match kind {
        Kind::Token
        | Kind::Secret
        | Kind::Key
        | Kind::Signature
        | Kind::Mac
        | Kind::Csrf
        | Kind::Otp
        | Kind::Credential
        | Kind::Authorization
        | Kind::Password => Some((name, kind)),
        Kind::Cookie | Kind::Session => None,
    }
}

/// Operands that cannot be secrets being checked: literals (`scheme == "Bearer"`), `None`, enum
/// variants, lengths.
fn trivial(e: &Expr) -> bool {
    match peel(e) {
        Expr::Lit(_) => true,
        Expr::Path(p) => {
            let segs: Vec<String> = p
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            let camel = |s: &str| {
                s.starts_with(|c: char| c.is_ascii_uppercase())
                    && s.chars().any(|c| c.is_ascii_lowercase())
            };
            segs.last().is_some_and(|l| l == "None")
                || (segs.len() >= 2 && camel(&segs[segs.len() - 1]) && camel(&segs[segs.len() - 2]))
        }
        Expr::Unary(u) => trivial(&u.expr),
        Expr::Array(a) => a.elems.is_empty(),
        Expr::Call(c) => {
            // `Some("x")`, `Ok(Kind::A)`
            c.args.len() == 1
                && matches!(&*c.func, Expr::Path(p) if p.path.segments.len() == 1)
                && trivial(&c.args[0])
        }
        _ => false,
    }
}

/// The name of an ALL_CAPS constant an operand is.
fn named_constant(e: &Expr) -> Option<String> {
    let Expr::Path(p) = peel(e) else { return None };
    let name = p.path.segments.last()?.ident.to_string();
    (name.len() > 1
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
    .then_some(name)
}

fn form_check(a: &Expr, b: &Expr) -> bool {
    [a, b].iter().any(|e| {
        value_name(e).is_some_and(|n| words(&n).iter().any(|w| FORM_WORDS.contains(&w.as_str())))
    })
}

impl NonConstantTimeComparison {
    /// `span` is made only for a finding: a binary expression's span is built from all its tokens.
    fn check(cx: &mut Cx<'_, '_>, a: &Expr, b: &Expr, span: impl FnOnce() -> Span, op: &str) {
        if trivial(a) || trivial(b) {
            return;
        }
        let Some((name, kind)) = secret_operand(a).or_else(|| secret_operand(b)) else {
            return;
        };
        // `token == TOKEN_WAKEUP`: a marker constant, unless the constant is itself a secret
        if [a, b]
            .iter()
            .any(|e| named_constant(e).is_some_and(|c| sensitive(&c).is_none()))
        {
            return;
        }
        if kind == Kind::Password && form_check(a, b) {
            return;
        }
        let d = cx
            .diag(
                span(),
                format!("`{name}` compared with `{op}`: the time it takes tells how many leading bytes match"),
            )
            .with_label("not constant-time")
            .with_help(
                "compare secrets in constant time: `bool::from(a.as_bytes().ct_eq(b.as_bytes()))` (subtle), \
                 `constant_time_eq::constant_time_eq(a, b)`, or `ring::constant_time::verify_slices_are_equal`; \
                 check MACs with `Mac::verify_slice`",
            );
        cx.report(d);
    }
}

impl Rule for NonConstantTimeComparison {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::EXPR | Hooks::METHOD_CALL
    }

    fn expr_kinds(&self) -> ExprKinds {
        ExprKinds::BINARY
    }

    fn check_expr(&self, cx: &mut Cx<'_, '_>, e: &Expr) {
        let Expr::Binary(b) = e else { return };
        let op = match b.op {
            syn::BinOp::Eq(_) => "==",
            syn::BinOp::Ne(_) => "!=",
            _ => return,
        };
        if cx.in_test() {
            return;
        }
        Self::check(cx, &b.left, &b.right, || b.span(), op);
    }

    fn check_method_call(&self, cx: &mut Cx<'_, '_>, call: &MethodCall<'_>) {
        if !matches!(call.method.as_str(), "eq" | "ne") || call.arg_count() != 1 || cx.in_test() {
            return;
        }
        let op = format!(".{}()", call.method);
        if let Some(arg) = call.arg(0) {
            Self::check(cx, call.receiver(), arg, || method_span(call.expr), &op);
        }
    }
}
