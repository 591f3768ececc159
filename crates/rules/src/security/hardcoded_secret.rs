//! Secrets in source code end up in every clone, fork, build log and container image (CWE-798).

use std::sync::OnceLock;

use regex::Regex;
use stratalint_engine::proc_macro2::Span;
use stratalint_engine::syn::spanned::Spanned;
use stratalint_engine::syn::{self, Expr, Item};
use stratalint_engine::{Call, Cx, ExprKinds, Hooks, MethodCall, Rule, RuleMeta};

use super::common::{ends_with, lit_str, may_be_lit_str, path_last, peel};
use crate::shared::sensitive::{sensitive, words, Kind};

static META: RuleMeta = crate::meta!("hardcoded-secret", Security, "security", Error);

pub struct HardcodedSecret;

/// Key constructors whose argument is key material: (crate, path tail, argument index).
const KEY_CONSTRUCTORS: &[(&str, &str, usize)] = &[
    ("jsonwebtoken", "EncodingKey::from_secret", 0),
    ("jsonwebtoken", "DecodingKey::from_secret", 0),
    ("jsonwebtoken", "EncodingKey::from_base64_secret", 0),
    ("jsonwebtoken", "DecodingKey::from_base64_secret", 0),
    ("hmac", "new_from_slice", 0),
    ("hmac", "new_varkey", 0),
    ("ring", "hmac::Key::new", 1),
    ("cookie", "Key::from", 0),
    ("cookie", "Key::derive_from", 0),
    ("axum_extra", "Key::from", 0),
    ("axum_extra", "Key::derive_from", 0),
    ("actix_web", "Key::from", 0),
    ("actix_web", "Key::derive_from", 0),
    ("tower_cookies", "Key::from", 0),
    ("tower_sessions", "Key::from", 0),
    ("aes_gcm", "new_from_slice", 0),
    ("aes_gcm", "Key::from_slice", 0),
    ("chacha20poly1305", "new_from_slice", 0),
    ("jwt_simple", "HS256Key::from_bytes", 0),
    ("jwt_simple", "HS384Key::from_bytes", 0),
    ("jwt_simple", "HS512Key::from_bytes", 0),
];

/// Formats that are secrets wherever they appear (gitleaks' rules, as in semgrep-rules).
fn known_formats() -> &'static [(&'static str, Regex)] {
    static FORMATS: OnceLock<Vec<(&'static str, Regex)>> = OnceLock::new();
    FORMATS.get_or_init(|| {
        [
            ("an AWS access key id", r"\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b"),
            ("a GitHub token", r"\b(?:ghp|gho|ghu|ghs|ghr)_[0-9A-Za-z]{36}\b|\bgithub_pat_[0-9A-Za-z_]{82}\b"),
            ("a Slack token", r"\bxox[baprs]-[0-9]{10,13}-[0-9]{10,13}[a-zA-Z0-9-]*"),
            ("a Stripe key", r"(?i)\b(?:sk|rk)_(?:test|live|prod)_[0-9a-z]{10,99}\b"),
            ("a Google API key", r"\bAIza[0-9A-Za-z_-]{35}\b"),
            ("a SendGrid key", r"\bSG\.[0-9A-Za-z_-]{22}\.[0-9A-Za-z_-]{43}\b"),
            ("a private key", r"-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----"),
            ("a JWT", r"\bey[a-zA-Z0-9_-]{17,}\.ey[a-zA-Z0-9_-]{17,}\.[a-zA-Z0-9_-]*"),
            (
                "a database URL with its password",
                r"(?i)\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?)://([^:/\s@]+):([^@\s]+)@([^/\s:?]+)",
            ),
        ]
        .into_iter()
        .map(|(name, re)| (name, Regex::new(re).expect("valid secret pattern")))
        .collect()
    })
}

/// Cheap test before the regexes: only long literals holding one of the formats' anchors.
fn may_be_known(s: &str) -> bool {
    const ANCHORS: &[&str] = &[
        "AKIA",
        "ASIA",
        "A3T",
        "ABIA",
        "ACCA",
        "gh",
        "xox",
        "sk_",
        "rk_",
        "-----BEGIN",
        "eyJ",
        "://",
        "AIza",
        "SG.",
    ];
    // one pass over the literal, looking further only at the anchors starting with each byte
    let b = s.as_bytes();
    s.len() >= 16
        && (0..b.len()).any(|i| {
            let first = b[i];
            matches!(
                first,
                b'A' | b'g' | b'x' | b's' | b'r' | b'-' | b'e' | b':' | b'S'
            ) && ANCHORS
                .iter()
                .any(|a| a.as_bytes()[0] == first && b[i..].starts_with(a.as_bytes()))
        })
}

/// Which known format a literal holds, if any.
fn known_format(s: &str) -> Option<&'static str> {
    if !may_be_known(s) {
        return None;
    }
    known_formats().iter().find_map(|(name, re)| {
        let caps = re.captures(s)?;
        // documentation keys (`AKIAIOSFODNN7EXAMPLE`) and templates
        let found = caps.get(0)?.as_str().to_ascii_lowercase();
        if [
            "example",
            "xxxx",
            "dummy",
            "fake",
            "sample",
            "placeholder",
            "your",
        ]
        .iter()
        .any(|m| found.contains(m))
        {
            return None;
        }
        if name.starts_with("a database URL") {
            let (user, password, host) = (
                caps.get(1)?.as_str(),
                caps.get(2)?.as_str(),
                caps.get(3)?.as_str(),
            );
            let local = matches!(
                host,
                "localhost"
                    | "127.0.0.1"
                    | "0.0.0.0"
                    | "::1"
                    | "[::1]"
                    | "host"
                    | "hostname"
                    | "server"
            );
            if local
                || placeholder(password)
                || password == user
                || password.contains('{')
                || password.contains('$')
            {
                return None;
            }
        }
        Some(*name)
    })
}

/// Words that mark a value as a placeholder or an example, not a secret.
fn placeholder(value: &str) -> bool {
    let v = value.to_ascii_lowercase();
    const MARKERS: &[&str] = &[
        "changeme",
        "change-me",
        "change_me",
        "changethis",
        "change-this",
        "change_this",
        "replace",
        "placeholder",
        "example",
        "dummy",
        "xxx",
        "your-",
        "your_",
        "yourkey",
        "yoursecret",
        "<",
        ">",
        "${",
        "{{",
        "todo",
        "redacted",
        "***",
        "fake",
        "sample",
        "test",
        "mock",
        "insert",
        "here",
        "[",
        "]",
    ];
    const DEFAULTS: &[&str] = &[
        "password", "postgres", "root", "admin", "secret", "guest", "pass", "mysql",
    ];
    MARKERS.iter().any(|m| v.contains(m))
        || DEFAULTS.contains(&v.as_str())
        || v.chars().all(|c| c == v.chars().next().unwrap_or(' '))
}

/// An environment variable's name (`"JWT_SECRET"`), a header or field name, a path, a URL, a
/// message: not a secret value.
fn not_a_value(value: &str) -> bool {
    let env_name = value.len() > 1
        && value
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    env_name
        || value.chars().any(char::is_whitespace)
        || value.starts_with('/')
        || value.starts_with("http://")
        || value.starts_with("https://")
        || value.starts_with('{')
        || value.starts_with('$')
        || value.contains("{}")
        || value.ends_with(".pem")
        || value.ends_with(".key")
        || value.ends_with(".json")
        || value.ends_with(".txt")
}

/// A value that is a name, not a secret: the binding's own name (`AUTHORIZATION =
/// "Authorization"`) or a header name made of its words (`API_KEY_HEADER = "X-Api-Key"`).
fn names_itself(name: &str, value: &str) -> bool {
    let value_words = words(value);
    if value_words.is_empty()
        || !value
            .chars()
            .all(|c| c.is_ascii_alphabetic() || c == '-' || c == '_')
    {
        return false;
    }
    let name_words = words(name);
    value_words
        .iter()
        .all(|w| w == "x" || name_words.contains(w))
}

/// A binding named as an example or test value (`TEST_PASSWORD`, `example_api_key`).
fn example_name(name: &str) -> bool {
    words(name).iter().any(|w| {
        matches!(
            w.as_str(),
            "test" | "tests" | "example" | "dummy" | "fake" | "mock" | "sample" | "fixture"
        )
    })
}

/// Shannon entropy in bits per character.
fn entropy(s: &str) -> f64 {
    let mut counts = [0usize; 256];
    for b in s.bytes() {
        counts[b as usize] += 1;
    }
    let n = s.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// A UUID (`550e8400-e29b-41d4-a716-446655440000`): an identifier.
fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// A long random-looking token: base64/hex alphabet, mixed letters and digits, high entropy; not
/// a UUID.
fn looks_random(s: &str) -> bool {
    if is_uuid(s) {
        return false;
    }
    let digits = s.chars().filter(char::is_ascii_digit).count();
    let hex = s.len() >= 32 && s.chars().all(|c| c.is_ascii_hexdigit());
    let b64 = s.len() >= 20
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '-' | '_'))
        && digits >= 2
        && s.chars().any(|c| c.is_ascii_alphabetic());
    (hex && entropy(s) >= 3.0) || (b64 && entropy(s) >= 4.0)
}

/// What a name bound to `value` says about it: a secret kind, or a bare `key` holding a random
/// token.
fn secret_name(name: &str, value: &str) -> Option<String> {
    match sensitive(name) {
        // an `Authorization` value in code is a header name or a scheme; a literal token in it is
        // caught by its format
        Some(
            Kind::Cookie
            | Kind::Session
            | Kind::Csrf
            | Kind::Otp
            | Kind::Signature
            | Kind::Authorization,
        ) => None,
        Some(_) => Some(format!("`{name}`")),
        None => {
            let w = words(name);
            let keyish = w.last().is_some_and(|l| l == "key" || l == "keys");
            (keyish && looks_random(value)).then(|| format!("`{name}` (a random-looking key)"))
        }
    }
}

impl HardcodedSecret {
    fn report(cx: &mut Cx<'_, '_>, span: Span, message: String, label: &str) {
        let d = cx.diag(span, message).with_label(label).with_help(
            "read the secret at startup from the environment or a secret manager \
             (`SecretString::from(std::env::var(\"JWT_SECRET\")?)`), and rotate the one that was committed",
        );
        cx.report(d);
    }

    /// A literal bound to a name: `const JWT_SECRET = "…"`, `let api_key = "…"`, `password: "…"`.
    fn check_binding(cx: &mut Cx<'_, '_>, name: &syn::Ident, value: &Expr) {
        // without a literal, or a fallback's method call, there is nothing to look at: the name
        // is not printed
        if may_be_lit_str(value) || matches!(peel_try(value), Expr::MethodCall(_)) {
            Self::check_bound(cx, &name.to_string(), value, None);
        }
    }

    /// `place` says where the literal goes when that is not a binding (``passed to `.bearer_auth()` ``).
    fn check_bound(cx: &mut Cx<'_, '_>, name: &str, value: &Expr, place: Option<String>) {
        let (lit, span, fallback) = match lit_str(cx, value) {
            Some((lit, span)) => (lit, span, false),
            // `env::var("JWT_SECRET").unwrap_or("dev-secret".into())`: a hard-coded fallback
            None => match fallback_literal(cx, value) {
                Some((lit, span)) => (lit, span, true),
                None => return,
            },
        };
        if lit.chars().count() < 8
            || placeholder(&lit)
            || not_a_value(&lit)
            || known_format(&lit).is_some()
        {
            return;
        }
        let Some(mut what) = secret_name(name, &lit) else {
            return;
        };
        if names_itself(name, &lit) || example_name(name) {
            return;
        }
        if let Some(place) = place {
            what = place;
        }
        let message = if fallback {
            format!("hard-coded fallback for secret {what}: it is used whenever the variable is missing")
        } else {
            format!("hard-coded secret {what}")
        };
        Self::report(cx, span, message, "secret in the source");
    }

    /// `.header("X-Api-Key", "…")`, `headers.insert(AUTHORIZATION, HeaderValue::from_static("…"))`,
    /// actix's `.insert_header(("X-Api-Key", "…"))`:
    /// a header value is bound to the header's name. An `Authorization` value is a scheme and a
    /// credential: reported when the credential looks random (`Bearer` alone, a template, are not).
    fn check_header(cx: &mut Cx<'_, '_>, method: &str, name: &Expr, value: &Expr) {
        // a map's `insert` is a header only when its value is a `HeaderValue`
        let header_value = match peel(value) {
            Expr::Call(c) => cx
                .resolve_expr(&c.func)
                .and_then(|q| q.parent())
                .is_some_and(|p| p.last() == "HeaderValue"),
            _ => false,
        };
        if (method != "header" && !header_value) || cx.in_test() {
            return;
        }
        // `"X-Api-Key"`, a constant holding it, or `header::AUTHORIZATION`
        let Some(header) = lit_str(cx, name)
            .or_else(|| cx.value_init(name).and_then(|i| lit_str(cx, i)))
            .map(|(s, _)| s)
            .or_else(|| path_last(name))
        else {
            return;
        };
        if sensitive(&header) != Some(Kind::Authorization) {
            Self::check_bound(cx, &header, value, Some(format!("in header `{header}`")));
            return;
        }
        let Some((lit, span)) = lit_str(cx, value) else {
            return;
        };
        let Some((scheme, credential)) = lit.trim().split_once(' ') else {
            return;
        };
        let credential = credential.trim();
        if scheme.chars().all(|c| c.is_ascii_alphabetic())
            && looks_random(credential)
            && !placeholder(credential)
            && known_format(&lit).is_none()
        {
            Self::report(
                cx,
                span,
                format!("hard-coded `{scheme}` credential in header `{header}`"),
                "secret in the source",
            );
        }
    }
}

/// The literal of `.unwrap_or("…")` / `.unwrap_or_else(|_| "…".into())` at the end of a chain.
fn fallback_literal(cx: &Cx<'_, '_>, e: &Expr) -> Option<(String, Span)> {
    let Expr::MethodCall(m) = peel_try(e) else {
        return None;
    };
    match m.method.to_string().as_str() {
        "unwrap_or" => lit_str(cx, m.args.first()?),
        "unwrap_or_else" => match m.args.first()? {
            Expr::Closure(c) => lit_str(cx, &c.body),
            _ => None,
        },
        _ => None,
    }
}

fn peel_try(e: &Expr) -> &Expr {
    match e {
        Expr::Try(t) => peel_try(&t.expr),
        Expr::Paren(p) => peel_try(&p.expr),
        other => other,
    }
}

impl Rule for HardcodedSecret {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::ITEM | Hooks::LOCAL | Hooks::EXPR | Hooks::CALL | Hooks::METHOD_CALL
    }

    fn expr_kinds(&self) -> ExprKinds {
        ExprKinds::LIT | ExprKinds::STRUCT | ExprKinds::ASSIGN
    }

    fn check_item(&self, cx: &mut Cx<'_, '_>, item: &Item) {
        let (ident, expr) = match item {
            Item::Const(c) => (&c.ident, &*c.expr),
            Item::Static(s) => (&s.ident, &*s.expr),
            _ => return,
        };
        if !cx.in_test() {
            Self::check_binding(cx, ident, expr);
        }
    }

    fn check_local(&self, cx: &mut Cx<'_, '_>, local: &syn::Local) {
        let Some(init) = &local.init else { return };
        let pat = match &local.pat {
            syn::Pat::Type(t) => &*t.pat,
            p => p,
        };
        if let syn::Pat::Ident(i) = pat {
            if !cx.in_test() {
                Self::check_binding(cx, &i.ident, &init.expr);
            }
        }
    }

    fn check_expr(&self, cx: &mut Cx<'_, '_>, e: &Expr) {
        match e {
            Expr::Lit(l) => {
                let value = match &l.lit {
                    syn::Lit::Str(s) => {
                        // written without escapes (or CRs), the value is the text between the
                        // quotes: no anchor in the text, none in the value
                        let text = s.token().to_string();
                        if !may_be_known(&text) && !text.bytes().any(|b| b == b'\\' || b == b'\r') {
                            return;
                        }
                        s.value()
                    }
                    syn::Lit::ByteStr(b) => String::from_utf8_lossy(&b.value()).into_owned(),
                    _ => return,
                };
                if let Some(format) = known_format(&value) {
                    if !cx.in_test() {
                        Self::report(cx, l.span(), format!("hard-coded secret: {format}"), format);
                    }
                }
            }
            Expr::Struct(s) if !cx.in_test() => {
                for fv in &s.fields {
                    if let syn::Member::Named(n) = &fv.member {
                        Self::check_binding(cx, n, &fv.expr);
                    }
                }
            }
            Expr::Assign(a) if !cx.in_test() => {
                if let Expr::Field(f) = &*a.left {
                    if let syn::Member::Named(n) = &f.member {
                        Self::check_binding(cx, n, &a.right);
                    }
                }
            }
            _ => {}
        }
    }

    fn check_call(&self, cx: &mut Cx<'_, '_>, call: &Call<'_>) {
        let Some(q) = &call.path else { return };
        let first = q.first();
        let listed = KEY_CONSTRUCTORS
            .iter()
            .find(|(krate, tail, _)| first == *krate && ends_with(q, tail))
            .map(|&(_, tail, index)| (tail.to_string(), index));
        // `type HmacSha256 = Hmac<Sha256>; HmacSha256::new_from_slice(b"…")`
        let aliased = || {
            if q.last() != "new_from_slice" {
                return None;
            }
            let ty = q.parent()?;
            let mac = ["Hmac", "Mac", "Aes", "ChaCha", "Cipher"]
                .iter()
                .any(|m| ty.last().contains(m));
            mac.then(|| (format!("{}::new_from_slice", ty.last()), 0))
        };
        let Some((tail, index)) = listed.or_else(aliased) else {
            return;
        };
        if cx.in_test() {
            return;
        }
        let Some(arg) = call.arg(index) else { return };
        // `from_secret(&KEY)` with `static KEY: [u8; 16] = *include_bytes!("../secret.key")`
        let init = cx.value_init(arg).map(peel);
        let embedded = [Some(peel(arg)), init]
            .into_iter()
            .flatten()
            .find_map(|e| match peel(e) {
                Expr::Macro(m) => {
                    let name = m.mac.path.segments.last()?.ident.to_string();
                    matches!(name.as_str(), "include_bytes" | "include_str")
                        .then(|| m.mac.tokens.to_string())
                }
                Expr::Unary(u) => match peel(&u.expr) {
                    Expr::Macro(m)
                        if m.mac
                            .path
                            .segments
                            .last()
                            .is_some_and(|s| s.ident == "include_bytes") =>
                    {
                        Some(m.mac.tokens.to_string())
                    }
                    _ => None,
                },
                _ => None,
            });
        if let Some(file) = embedded {
            Self::report(
                cx,
                arg.span(),
                format!("key material for `{tail}` embedded from {file}: the key is in the repository and the binary"),
                "key from a committed file",
            );
            return;
        }
        // a constant named like a secret is reported where it is defined
        let named_secret = match peel(arg) {
            Expr::Path(p) => p
                .path
                .segments
                .last()
                .is_some_and(|s| sensitive(&s.ident.to_string()).is_some()),
            _ => false,
        };
        let literal = lit_str(cx, arg).or_else(|| {
            init.filter(|_| !named_secret)
                .and_then(|i| lit_str(cx, i))
                .map(|(lit, _)| (lit, arg.span()))
        });
        if let Some((lit, span)) = literal {
            if !lit.is_empty() && known_format(&lit).is_none() {
                Self::report(
                    cx,
                    span,
                    format!("hard-coded key material passed to `{tail}`"),
                    "key in the source",
                );
            }
        }
    }

    /// Builder setters: `.password("…")`, `.api_key("…")`, `.bearer_auth("…")`; header values.
    fn check_method_call(&self, cx: &mut Cx<'_, '_>, call: &MethodCall<'_>) {
        let m = call.method.as_str();
        if matches!(m, "header" | "insert" | "append") && call.arg_count() == 2 {
            if let (Some(name), Some(value)) = (call.arg(0), call.arg(1)) {
                Self::check_header(cx, m, name, value);
            }
            return;
        }
        // actix-web and awc take a header as one `(name, value)` pair
        if matches!(m, "insert_header" | "append_header") && call.arg_count() == 1 {
            if let Some(Expr::Tuple(pair)) = call.arg(0).map(peel) {
                if let (2, Some(name), Some(value)) =
                    (pair.elems.len(), pair.elems.first(), pair.elems.last())
                {
                    Self::check_header(cx, "header", name, value);
                }
            }
            return;
        }
        let arg = match m {
            "bearer_auth" => call.arg(0),
            "basic_auth" => call.arg(1).map(|a| match peel(a) {
                Expr::Call(c) if c.args.len() == 1 => &c.args[0],
                other => other,
            }),
            // only a literal is looked at below: the name is classified for those alone
            _ if call.arg_count() == 1
                && call.expr.args.first().is_some_and(may_be_lit_str)
                && sensitive(m).is_some() =>
            {
                call.arg(0)
            }
            _ => None,
        };
        let Some(arg) = arg else { return };
        if cx.in_test() {
            return;
        }
        let name = match m {
            "basic_auth" => "password",
            "bearer_auth" => "bearer",
            other => other,
        };
        if lit_str(cx, arg).is_some() {
            Self::check_bound(cx, name, arg, Some(format!("passed to `.{m}()`")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(
            known_format("AKIA2E0A8F3B244C9986"),
            Some("an AWS access key id")
        );
        assert_eq!(known_format("AKIAIOSFODNN7EXAMPLE"), None);
        assert_eq!(
            known_format("ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"),
            Some("a GitHub token")
        );
        assert_eq!(
            known_format("postgres://app:Xk2v9pQ7@db.internal:5432/app"),
            Some("a database URL with its password")
        );
        assert_eq!(known_format("postgres://app:app@localhost/app"), None);
        assert_eq!(known_format("postgres://{}:{}@{}/{}"), None);
        assert_eq!(
            known_format("-----BEGIN RSA PRIVATE KEY-----\nMIIE"),
            Some("a private key")
        );
        assert_eq!(known_format("SELECT * FROM users"), None);
    }

    #[test]
    fn values() {
        assert!(placeholder("changeme-in-production"));
        assert!(placeholder("your-256-bit-secret"));
        assert!(placeholder("xxxxxxxx"));
        assert!(!placeholder("s3cr3t-signing-key-2024"));
        assert!(not_a_value("JWT_SECRET"));
        assert!(not_a_value("invalid or expired token"));
        assert!(!not_a_value("s3cr3t-signing-key-2024"));
        assert!(looks_random(
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
        ));
        assert!(looks_random("q8Zr4mB2xT7vK1nP5wY9cF3h"));
        assert!(!looks_random("f47ac10b-58cc-4372-a567-0e02b2c3d479"));
        assert!(!looks_random("users:list:all"));
        assert!(!looks_random("application_json_utf8"));
    }
}
