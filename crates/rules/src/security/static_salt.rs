//! A salt is per password and random; a fixed one lets one precomputed table crack every hash
//! (CWE-760).

use stratalint_engine::proc_macro2::Span;
use stratalint_engine::syn::spanned::Spanned;
use stratalint_engine::syn::{Expr, Item};
use stratalint_engine::{Call, Cx, Hooks, MethodCall, Rule, RuleMeta, StrOrigin};

use super::common::{ends_with, lit_str, peel};
use crate::shared::sensitive::words;

static META: RuleMeta = crate::meta!("static-salt", Security, "security", Error);

/// Functions taking a salt: (crate, path tail, index of the salt argument).
const SALT_ARGS: &[(&[&str], &str, usize)] = &[
    (
        &["password_hash", "argon2", "scrypt", "pbkdf2"],
        "SaltString::from_b64",
        0,
    ),
    (
        &["password_hash", "argon2", "scrypt", "pbkdf2"],
        "SaltString::encode_b64",
        0,
    ),
    (
        &["password_hash", "argon2", "scrypt", "pbkdf2"],
        "SaltString::new",
        0,
    ),
    (
        &["password_hash", "argon2", "scrypt", "pbkdf2"],
        "SaltString::from_b64_unchecked",
        0,
    ),
    (
        &["password_hash", "argon2", "scrypt", "pbkdf2"],
        "Salt::from_b64",
        0,
    ),
    (
        &["password_hash", "argon2", "scrypt", "pbkdf2"],
        "Salt::new",
        0,
    ),
    (&["pbkdf2"], "pbkdf2_hmac", 1),
    (&["pbkdf2"], "pbkdf2_hmac_array", 1),
    (&["pbkdf2"], "pbkdf2", 1),
    (&["scrypt"], "scrypt", 1),
    (&["bcrypt"], "hash_with_salt", 2),
    (&["bcrypt"], "non_truncating_hash_with_salt", 2),
    (&["ring"], "pbkdf2::derive", 2),
    // rust-argon2
    (&["argon2"], "hash_encoded", 1),
    (&["argon2"], "hash_raw", 1),
];

/// Methods taking a salt, with its index: argon2's `hash_password_into(pwd, salt, out)` and
/// `hash_password_customized(pwd, alg, version, params, salt)`.
const SALT_METHODS: &[(&str, usize)] =
    &[("hash_password_into", 1), ("hash_password_customized", 4)];

pub struct StaticSalt;

/// Is the salt the same on every call: a literal, a constant, bytes fixed in the code?
fn is_static(cx: &Cx<'_, '_>, e: &Expr) -> bool {
    if let Some((s, _)) = lit_str(cx, e) {
        return !s.is_empty();
    }
    match peel(e) {
        Expr::Array(a) => !a.elems.is_empty() && a.elems.iter().all(|x| matches!(x, Expr::Lit(_))),
        Expr::Repeat(r) => matches!(&*r.expr, Expr::Lit(_)),
        Expr::Path(_) => match cx.value_init(e) {
            Some(init) => is_static(cx, init),
            None => cx.str_origin(e) == StrOrigin::Static,
        },
        Expr::Macro(_) => cx.str_origin(e) == StrOrigin::Static,
        _ => false,
    }
}

/// A constant of this file named like a salt (reported at its definition, not at each use).
fn is_salt_const(cx: &Cx<'_, '_>, e: &Expr) -> bool {
    match peel(e) {
        Expr::Path(p) => {
            cx.const_init(&p.path).is_some()
                && p.path
                    .segments
                    .last()
                    .is_some_and(|s| is_salt_name(&s.ident.to_string()))
        }
        _ => false,
    }
}

fn is_salt_name(name: &str) -> bool {
    let w = words(name);
    w.iter().any(|w| w == "salt" || w == "salts")
        && !w.iter().any(|w| {
            matches!(
                w.as_str(),
                "len" | "length" | "size" | "bytes_len" | "rounds"
            )
        })
}

impl StaticSalt {
    fn report(cx: &mut Cx<'_, '_>, span: Span, what: &str) {
        let d = cx
            .diag(span, format!("static salt {what}: every password gets the same salt"))
            .with_label("fixed salt")
            .with_help(
                "generate a random salt for each password: `SaltString::generate(&mut OsRng)` (password-hash), \
                 or 16 bytes from `OsRng`; store it with the hash (a PHC string does)",
            );
        cx.report(d);
    }

    fn check_arg(cx: &mut Cx<'_, '_>, what: &str, arg: &Expr) {
        if is_static(cx, arg) && !is_salt_const(cx, arg) {
            Self::report(cx, arg.span(), what);
        }
    }
}

impl Rule for StaticSalt {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::CALL | Hooks::METHOD_CALL | Hooks::ITEM
    }

    fn check_call(&self, cx: &mut Cx<'_, '_>, call: &Call<'_>) {
        if cx.in_test() {
            return;
        }
        let Some(q) = &call.path else { return };
        // `is_api` on each entry, the crate compared first: almost no call is in these crates
        let krate = q.first();
        let Some(&(_, tail, index)) = SALT_ARGS
            .iter()
            .filter(|(crates, _, _)| crates.contains(&krate))
            .find(|(_, tail, _)| ends_with(q, tail))
        else {
            return;
        };
        if let Some(arg) = call.arg(index) {
            Self::check_arg(cx, &format!("passed to `{tail}`"), arg);
        }
    }

    fn check_method_call(&self, cx: &mut Cx<'_, '_>, call: &MethodCall<'_>) {
        if cx.in_test() {
            return;
        }
        let Some(&(name, index)) = SALT_METHODS.iter().find(|(m, _)| call.method == *m) else {
            return;
        };
        if call.arg_count() > index {
            if let Some(arg) = call.arg(index) {
                Self::check_arg(cx, &format!("passed to `{name}`"), arg);
            }
        }
    }

    fn check_item(&self, cx: &mut Cx<'_, '_>, item: &Item) {
        if cx.in_test() {
            return;
        }
        let (ident, expr) = match item {
            Item::Const(c) => (&c.ident, &*c.expr),
            Item::Static(s) => (&s.ident, &*s.expr),
            _ => return,
        };
        if !is_salt_name(&ident.to_string()) {
            return;
        }
        let fixed = lit_str(cx, expr).is_some_and(|(s, _)| !s.is_empty())
            || matches!(peel(expr), Expr::Array(a) if !a.elems.is_empty() && a.elems.iter().all(|x| matches!(x, Expr::Lit(_))));
        if fixed {
            Self::report(
                cx,
                ident.span().join(expr.span()).unwrap_or(ident.span()),
                &format!("`{ident}`"),
            );
        }
    }
}
