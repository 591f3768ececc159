//! Passwords are hashed with Argon2id; a fast digest (MD5, SHA-1, SHA-2, BLAKE3) is cracked at
//! billions of guesses per second (CWE-916). bcrypt, scrypt and PBKDF2 are what the policy says.

use serde::Deserialize;
use stratalint_engine::syn::{self, Expr};
use stratalint_engine::{Call, Cx, Hooks, MethodCall, Rule, RuleMeta, RuleOptions, Severity};

use super::common::{is_api, mentions, method_span, peel};
use crate::shared::sensitive::{is_password_value, mentions_password, sensitive, words};

static META: RuleMeta = crate::meta!("weak-password-hash", Security, "security", Error);

/// Fast digests, by crate: (type or function tail, name in messages). A `match` on the crate
/// rules out the other crates in a few comparisons (it runs for every call).
fn fast_in(krate: &str) -> &'static [(&'static str, &'static str)] {
    match krate {
        "md5" => &[("compute", "MD5"), ("Md5", "MD5"), ("Context", "MD5")],
        "md2" => &[("Md2", "MD2")],
        "md4" => &[("Md4", "MD4")],
        "sha1" | "sha1_smol" => &[("Sha1", "SHA-1")],
        "sha2" => &[
            ("Sha224", "SHA-224"),
            ("Sha256", "SHA-256"),
            ("Sha384", "SHA-384"),
            ("Sha512", "SHA-512"),
            ("Sha512_256", "SHA-512/256"),
        ],
        "sha3" => &[
            ("Sha3_256", "SHA3-256"),
            ("Sha3_512", "SHA3-512"),
            ("Keccak256", "Keccak-256"),
        ],
        "blake2" => &[("Blake2b512", "BLAKE2b"), ("Blake2s256", "BLAKE2s")],
        "blake3" => &[("hash", "BLAKE3"), ("Hasher", "BLAKE3")],
        "ring" => &[
            ("digest::digest", "a ring digest"),
            ("digest::Context", "a ring digest"),
        ],
        "openssl" => &[
            ("sha::sha1", "SHA-1"),
            ("sha::sha256", "SHA-256"),
            ("sha::sha512", "SHA-512"),
            ("hash::hash", "an OpenSSL digest"),
        ],
        _ => &[],
    }
}

/// Methods feeding data to a digest.
const FEED: &[&str] = &[
    "update",
    "chain_update",
    "chain",
    "input",
    "digest",
    "write_all",
];

#[derive(Deserialize, Default, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum Policy {
    /// The seed: Argon2id only; bcrypt, scrypt and PBKDF2 are warnings.
    #[default]
    Argon2idOnly,
    /// OWASP's cheat sheet: scrypt, bcrypt and PBKDF2 are accepted at its parameters.
    Owasp,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Options {
    #[serde(default)]
    policy: Policy,
}

#[derive(Default)]
pub struct WeakPasswordHash {
    policy: Policy,
}

/// The digest a path belongs to: its crate, and the type or function it names.
fn fast_digest(q: &stratalint_engine::QualifiedName) -> Option<&'static str> {
    let first = q.first();
    let s = q.as_str();
    // `md5::compute`, `sha2::Sha256::new`: the tail is a whole segment, last or not
    let has_segment = |tail: &str| {
        s.match_indices(tail).any(|(i, _)| {
            s[..i].ends_with("::")
                && (s.len() == i + tail.len() || s[i + tail.len()..].starts_with("::"))
        })
    };
    fast_in(first)
        .iter()
        .find(|(tail, _)| has_segment(tail))
        .map(|(_, name)| *name)
}

/// A function whose name says it handles passwords.
fn password_fn(cx: &Cx<'_, '_>) -> bool {
    cx.current_fn().is_some_and(|f| mentions_password(&f.name))
}

/// A breach check: Have I Been Pwned's range API takes the SHA-1 of the password by design.
fn breach_check(cx: &Cx<'_, '_>) -> bool {
    cx.current_fn().is_some_and(|f| {
        let n = f.name.to_ascii_lowercase();
        ["pwned", "breach", "hibp", "leak", "compromised"]
            .iter()
            .any(|w| n.contains(w))
    })
}

fn mentions_password_value(e: &Expr) -> bool {
    mentions(e, &is_password_value)
}

/// A random secret that is not a password (`reset_token`, `api_key`, `otp`, `code`): storing its
/// SHA-256 is right, even in a function named `reset_password`.
fn mentions_other_secret(e: &Expr) -> bool {
    mentions(e, &|n| {
        !is_password_value(n)
            && (sensitive(n).is_some()
                || words(n)
                    .iter()
                    .any(|w| matches!(w.as_str(), "code" | "nonce")))
    })
}

impl WeakPasswordHash {
    fn report_fast(
        cx: &mut Cx<'_, '_>,
        span: stratalint_engine::proc_macro2::Span,
        algo: &str,
        why: &str,
    ) {
        let d = cx
            .diag(span, format!("password hashed with {algo}, a fast digest ({why})"))
            .with_label(format!("{algo} is not a password hash"))
            .with_help(
                "hash passwords with Argon2id: `Argon2::default().hash_password(password.as_bytes(), \
                 &SaltString::generate(&mut OsRng))` (argon2 crate), and check them with `verify_password`",
            );
        cx.report(d);
    }

    /// bcrypt, scrypt, PBKDF2: an error below OWASP's parameters, else a warning under the
    /// Argon2id-only policy.
    fn report_kdf(
        &self,
        cx: &mut Cx<'_, '_>,
        span: stratalint_engine::proc_macro2::Span,
        kdf: &str,
        weak: Option<String>,
    ) {
        let (severity, message, help) = match weak {
            Some(detail) => (
                Severity::Error,
                format!("{kdf} below OWASP's parameters: {detail}"),
                format!(
                    "raise the work factor to OWASP's minimum, or better hash with Argon2id (`Argon2::default()`); \
                     {}",
                    kdf_floor(kdf)
                ),
            ),
            None if self.policy == Policy::Argon2idOnly => (
                Severity::Warning,
                format!("passwords hashed with {kdf}: the policy is Argon2id"),
                "hash new passwords with Argon2id (`Argon2::default().hash_password(..)`); keep verifying old \
                 hashes and rehash them at the next successful login"
                    .to_string(),
            ),
            None => return,
        };
        let mut d = cx
            .diag(span, message)
            .with_label(format!("{kdf} password hash"))
            .with_help(help);
        d.severity = severity;
        cx.report(d);
    }

    fn check_kdf_call(
        &self,
        cx: &mut Cx<'_, '_>,
        call: &Call<'_>,
        q: &stratalint_engine::QualifiedName,
    ) {
        // every KDF below is in one of these crates
        if !matches!(q.first(), "bcrypt" | "scrypt" | "pbkdf2" | "ring") {
            return;
        }
        let s = q.as_str();
        if q.first() == "bcrypt"
            && matches!(
                q.last(),
                "hash"
                    | "hash_with_result"
                    | "hash_with_salt"
                    | "non_truncating_hash"
                    | "non_truncating_hash_with_result"
                    | "non_truncating_hash_with_salt"
            )
        {
            let weak = call
                .arg(1)
                .and_then(|c| bcrypt_cost(cx, c))
                .filter(|&cost| cost < 10)
                .map(|cost| format!("cost {cost} (OWASP: at least 10)"));
            self.report_kdf(cx, call.callee_span(), "bcrypt", weak);
        } else if is_api(q, &["scrypt"], "scrypt") {
            let weak = call
                .arg(2)
                .and_then(|p| scrypt_log_n(cx, p))
                .filter(|&n| n < 17)
                .map(|n| format!("log_n = {n}, N = 2^{n} (OWASP: N = 2^17, r = 8, p = 1)"));
            self.report_kdf(cx, call.callee_span(), "scrypt", weak);
        } else if q.first() == "pbkdf2"
            && matches!(q.last(), "pbkdf2" | "pbkdf2_hmac" | "pbkdf2_hmac_array")
        {
            let digest = turbofish_digest(&call.expr.func);
            let weak = call
                .arg(2)
                .and_then(|r| cx.eval_int(r))
                .and_then(|rounds| pbkdf2_weak(&digest, rounds));
            self.report_kdf(cx, call.callee_span(), "PBKDF2", weak);
        } else if s == "ring::pbkdf2::derive" {
            let digest = call
                .arg(0)
                .and_then(super::common::path_last)
                .unwrap_or_default();
            let weak = call
                .arg(1)
                .and_then(|r| cx.eval_int(r))
                .and_then(|rounds| pbkdf2_weak(&digest, rounds));
            self.report_kdf(cx, call.callee_span(), "PBKDF2", weak);
        }
    }
}

/// bcrypt's cost argument, with the crate's `DEFAULT_COST` (12).
fn bcrypt_cost(cx: &Cx<'_, '_>, e: &Expr) -> Option<i128> {
    if let Expr::Path(p) = peel(e) {
        if p.path
            .segments
            .last()
            .is_some_and(|s| s.ident == "DEFAULT_COST")
        {
            return Some(12);
        }
    }
    cx.eval_int(e)
}

/// scrypt's `log_n` from `&Params::new(log_n, r, p, len)` or a local holding it.
fn scrypt_log_n(cx: &Cx<'_, '_>, e: &Expr) -> Option<i128> {
    let e = peel(e);
    let e = match e {
        Expr::Path(_) => peel(cx.value_init(e)?),
        other => other,
    };
    let Expr::Call(c) = e else { return None };
    let q = cx.resolve_expr(&c.func)?;
    if !is_api(&q, &["scrypt"], "Params::new") {
        return None;
    }
    cx.eval_int(c.args.first()?)
}

/// The types named in a turbofish: `pbkdf2_hmac::<Sha256>` → `Sha256`,
/// `pbkdf2::<Hmac<Sha512>>` → `Hmac Sha512`.
fn turbofish_digest(func: &Expr) -> String {
    fn idents(ty: &syn::Type, out: &mut String) {
        if let syn::Type::Path(p) = ty {
            for seg in &p.path.segments {
                out.push_str(&seg.ident.to_string());
                out.push(' ');
                if let syn::PathArguments::AngleBracketed(a) = &seg.arguments {
                    for arg in &a.args {
                        if let syn::GenericArgument::Type(t) = arg {
                            idents(t, out);
                        }
                    }
                }
            }
        }
    }
    let mut out = String::new();
    if let Expr::Path(p) = func {
        if let Some(syn::PathArguments::AngleBracketed(a)) =
            p.path.segments.last().map(|s| &s.arguments)
        {
            for arg in &a.args {
                if let syn::GenericArgument::Type(t) = arg {
                    idents(t, &mut out);
                }
            }
        }
    }
    out
}

/// OWASP's PBKDF2 floors: 600,000 rounds with HMAC-SHA-256, 210,000 with SHA-512, 1,300,000
/// with SHA-1.
fn pbkdf2_weak(digest: &str, rounds: i128) -> Option<String> {
    let d = digest.to_ascii_uppercase().replace(['_', '-'], "");
    let (name, floor) = if d.contains("SHA512") {
        ("HMAC-SHA-512", 210_000)
    } else if d.contains("SHA1 ") || d.ends_with("SHA1") {
        ("HMAC-SHA-1", 1_300_000)
    } else {
        ("HMAC-SHA-256", 600_000)
    };
    (rounds < floor).then(|| format!("{rounds} rounds of {name} (OWASP: at least {floor})"))
}

fn kdf_floor(kdf: &str) -> &'static str {
    match kdf {
        "bcrypt" => "bcrypt: cost ≥ 10 (`bcrypt::DEFAULT_COST` is 12)",
        "scrypt" => "scrypt: `Params::new(17, 8, 1, 32)` or `Params::recommended()`",
        _ => "PBKDF2: 600,000 rounds with HMAC-SHA-256, 210,000 with HMAC-SHA-512",
    }
}

impl Rule for WeakPasswordHash {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::CALL | Hooks::METHOD_CALL
    }

    fn configure(&mut self, options: RuleOptions<'_>) -> Result<(), toml::de::Error> {
        let o = Options::deserialize(options)?;
        self.policy = o.policy;
        Ok(())
    }

    fn check_call(&self, cx: &mut Cx<'_, '_>, call: &Call<'_>) {
        if cx.in_test() {
            return;
        }
        let Some(q) = &call.path else { return };
        if let Some(algo) = fast_digest(q) {
            if breach_check(cx) {
                return;
            }
            let constructor = matches!(q.last(), "new" | "default");
            if call.expr.args.is_empty() && !constructor {
                return;
            }
            if call.args().any(mentions_password_value) {
                Self::report_fast(cx, call.span(), algo, "its input is a password");
            } else if password_fn(cx) && !call.args().any(mentions_other_secret) {
                let f = cx.current_fn().map(|f| f.name.clone()).unwrap_or_default();
                Self::report_fast(cx, call.span(), algo, &format!("in `{f}`"));
            }
            return;
        }
        self.check_kdf_call(cx, call, q);
    }

    fn check_method_call(&self, cx: &mut Cx<'_, '_>, call: &MethodCall<'_>) {
        if cx.in_test() {
            return;
        }
        // `hasher.update(password)` on a fast digest: reported here unless the function's name
        // already got its constructor reported
        if FEED.contains(&call.method.as_str()) {
            if password_fn(cx) || breach_check(cx) {
                return;
            }
            let Some(ty) = cx.chain_root_type(call.receiver()) else {
                return;
            };
            let Some(algo) = fast_digest(&ty) else { return };
            if call.args().any(mentions_password_value) {
                Self::report_fast(cx, method_span(call.expr), algo, "its input is a password");
            }
            return;
        }
        // `Scrypt.hash_password(..)`, `Pbkdf2.hash_password(..)` (password-hash API)
        if matches!(
            call.method.as_str(),
            "hash_password" | "hash_password_customized"
        ) {
            let Some(q) = cx.resolve_expr(peel(call.receiver())) else {
                return;
            };
            let kdf = match (q.first(), q.last()) {
                ("scrypt", "Scrypt") => "scrypt",
                ("pbkdf2", "Pbkdf2") => "PBKDF2",
                _ => return,
            };
            let weak = if kdf == "scrypt" && call.method == "hash_password_customized" {
                call.arg(3)
                    .and_then(|p| scrypt_log_n(cx, p))
                    .filter(|&n| n < 17)
                    .map(|n| format!("log_n = {n} (OWASP: N = 2^17)"))
            } else {
                None
            };
            self.report_kdf(cx, method_span(call.expr), kdf, weak);
        }
    }
}
