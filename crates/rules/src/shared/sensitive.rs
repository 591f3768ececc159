//! Which names hold secrets: passwords, tokens, keys, signatures, session cookies. The secrets,
//! logging and comparison rules share it (the catalog's C9 list with its exclusions).
//!
//! A name is split into lowercase words (`jwtSecret`, `JWT_SECRET`, `jwt-secret` → `jwt`,
//! `secret`) and classified by its *head*: the rightmost sensitive word, which only counts when
//! the words after it are in [`TRANSPARENT`] (`password_bytes`, `token_str`). So
//! `password_reset_token` is a token, `token_type`, `session_id`, `api_key_url` and `is_secret`
//! are not secrets, and neither is a word merely containing one (`bypass`, `tokenizer`).

/// What kind of secret a name holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Password,
    Secret,
    Token,
    /// `api_key`, `private_key`, `signing_key`, …
    Key,
    Credential,
    Authorization,
    Cookie,
    Session,
    Csrf,
    Otp,
    Signature,
    /// `hmac`, `mac`
    Mac,
}

impl Kind {
    /// A value an attacker can use as is (everything but cookie and session objects, which are
    /// often just handles).
    pub fn is_credential(self) -> bool {
        !matches!(self, Kind::Cookie | Kind::Session)
    }
}

/// Words after the head that keep the name's meaning: `password_bytes` is still a password.
pub const TRANSPARENT: &[&str] = &[
    "value",
    "str",
    "string",
    "bytes",
    "raw",
    "b64",
    "base64",
    "hex",
    "plain",
    "plaintext",
    "text",
    "input",
    "data",
    "buf",
    "buffer",
    "encoded",
    "decoded",
    "hash",
    "hashed",
    "digest",
    "clear",
    "cleartext",
    "candidate",
    "attempt",
    "provided",
    "given",
    "expected",
    "actual",
    "submitted",
    "received",
    "computed",
    "calculated",
    "ref",
    "vec",
    "slice",
    "der",
    "pem",
    "opt",
    "option",
];

/// Leading words that make a name a flag or a number about a secret, not the secret.
const LEADING_EXCLUDED: &[&str] = &[
    "is", "has", "should", "can", "needs", "need", "num", "max", "min", "total", "no", "require",
    "requires", "required", "allow", "allows", "enable", "enabled", "use", "uses", "skip", "count",
    "len", "invalid", "missing", "empty", "wrong", "bad",
];

/// Single words naming a secret.
fn word_kind(w: &str) -> Option<Kind> {
    Some(match w {
        "password" | "passwords" | "passwd" | "pwd" | "pass" | "passphrase" => Kind::Password,
        "secret" | "secrets" => Kind::Secret,
        "token" | "tokens" | "jwt" | "bearer" => Kind::Token,
        "apikey" | "accesskey" | "privatekey" | "secretkey" | "signingkey" | "encryptionkey"
        | "masterkey" => Kind::Key,
        "credential" | "credentials" | "creds" | "cred" => Kind::Credential,
        "authorization" => Kind::Authorization,
        "cookie" | "cookies" => Kind::Cookie,
        "session" | "sessions" => Kind::Session,
        "csrf" | "xsrf" => Kind::Csrf,
        "otp" | "totp" | "hotp" => Kind::Otp,
        "signature" | "signatures" | "sig" => Kind::Signature,
        "hmac" | "mac" => Kind::Mac,
        _ => return compound_kind(w),
    })
}

/// A lowercase word made of several (`accesstoken`, `dbpassword`): ends with a long secret word.
fn compound_kind(w: &str) -> Option<Kind> {
    const SUFFIXES: &[(&str, Kind)] = &[
        ("password", Kind::Password),
        ("passwd", Kind::Password),
        ("secret", Kind::Secret),
        ("token", Kind::Token),
        ("apikey", Kind::Key),
        ("privatekey", Kind::Key),
        ("secretkey", Kind::Key),
        ("credentials", Kind::Credential),
        ("signature", Kind::Signature),
    ];
    SUFFIXES
        .iter()
        .find(|(s, _)| w.len() > s.len() && w.ends_with(s))
        .map(|(_, k)| *k)
}

/// `api key`, `private key`, `signing key`, … as two words.
fn key_pair(first: &str, second: &str) -> bool {
    matches!(second, "key" | "keys")
        && matches!(
            first,
            "api"
                | "access"
                | "private"
                | "secret"
                | "signing"
                | "encryption"
                | "master"
                | "hmac"
                | "jwt"
                | "session"
                | "aes"
                | "cipher"
                | "client"
        )
}

/// `auth header`, `authorization value`: the credentials an `Authorization` header carries.
fn auth_header(first: &str, second: &str) -> bool {
    matches!(first, "auth" | "authorization" | "authz")
        && matches!(second, "header" | "value" | "header_value")
}

/// The words of an identifier or a dotted/kebab name, lowercase: `jwtSecretKey` → `jwt`,
/// `secret`, `key`; `X-Api-Key` → `x`, `api`, `key`; `HTTPHeader` → `http`, `header`.
pub fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let boundary = c.is_uppercase()
            && prev.is_some_and(|p| {
                p.is_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_uppercase() && next.is_some_and(char::is_lowercase))
            });
        if boundary && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Pieces of the words [`sensitive`] and [`mentions_password`] look for, by their first byte:
/// every secret word ([`word_kind`], its compounds, `key` of [`key_pair`], `auth…` of
/// [`auth_header`]) holds one.
fn pieces_starting_with(b: u8) -> &'static [&'static str] {
    match b {
        b'a' => &["auth"],
        b'b' => &["bearer"],
        b'c' => &["cred", "cookie"],
        b'j' => &["jwt"],
        b'k' => &["key"],
        b'm' => &["mac"],
        b'o' => &["otp"],
        b'p' => &["pass", "pwd"],
        b's' => &["secret", "session", "srf", "sig"],
        b't' => &["token"],
        _ => &[],
    }
}

/// Can `name` be sensitive at all: does it hold one of the pieces, ignoring ASCII case? Most
/// names do not, and are ruled out without being split into words. A name with other than ASCII
/// in it may lowercase into one (the Kelvin sign is a `k`): it is split.
fn may_be_sensitive(name: &str) -> bool {
    let b = name.as_bytes();
    !name.is_ascii()
        || (0..b.len()).any(|i| {
            pieces_starting_with(b[i].to_ascii_lowercase())
                .iter()
                .any(|p| {
                    b.get(i..i + p.len())
                        .is_some_and(|w| w.eq_ignore_ascii_case(p.as_bytes()))
                })
        })
}

/// The kind of secret a name holds, if it names one (see the module docs).
pub fn sensitive(name: &str) -> Option<Kind> {
    if !may_be_sensitive(name) {
        return None;
    }
    sensitive_by_words(name)
}

/// [`sensitive`] on the name's words.
fn sensitive_by_words(name: &str) -> Option<Kind> {
    let words = words(name);
    let first = words.first()?;
    if LEADING_EXCLUDED.contains(&first.as_str()) {
        return None;
    }
    for i in (0..words.len()).rev() {
        let kind = if i > 0 && key_pair(&words[i - 1], &words[i]) {
            Some(Kind::Key)
        } else if i > 0 && auth_header(&words[i - 1], &words[i]) {
            // the value of an `Authorization` header holds the credentials
            Some(Kind::Authorization)
        } else {
            word_kind(&words[i])
        };
        if let Some(kind) = kind {
            let rest_ok = words[i + 1..]
                .iter()
                .all(|w| TRANSPARENT.contains(&w.as_str()));
            return rest_ok.then_some(kind);
        }
    }
    None
}

/// A name about passwords, for function names (`hash_password`, `verify_user_pwd`,
/// `check_credentials`): a password word anywhere in it. Values are classified with [`sensitive`].
pub fn mentions_password(name: &str) -> bool {
    may_be_sensitive(name)
        && words(name).iter().any(|w| {
            matches!(
                w.as_str(),
                "password"
                    | "passwords"
                    | "passwd"
                    | "pwd"
                    | "passphrase"
                    | "credential"
                    | "credentials"
            )
        })
}

/// A value holding a password (`password`, `new_password`, `req.credentials`).
pub fn is_password_value(name: &str) -> bool {
    matches!(sensitive(name), Some(Kind::Password | Kind::Credential))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_identifiers() {
        assert_eq!(words("jwtSecretKey"), ["jwt", "secret", "key"]);
        assert_eq!(words("JWT_SECRET"), ["jwt", "secret"]);
        assert_eq!(words("X-Api-Key"), ["x", "api", "key"]);
        assert_eq!(words("HTTPHeader"), ["http", "header"]);
        assert_eq!(words("user.password"), ["user", "password"]);
        assert_eq!(words("sha256Digest"), ["sha256", "digest"]);
    }

    #[test]
    fn secret_names() {
        for (name, kind) in [
            ("password", Kind::Password),
            ("new_password", Kind::Password),
            ("db_pass", Kind::Password),
            ("password_bytes", Kind::Password),
            ("password_hash", Kind::Password),
            ("JWT_SECRET", Kind::Secret),
            ("client_secret", Kind::Secret),
            ("jwtSecret", Kind::Secret),
            ("access_token", Kind::Token),
            ("accesstoken", Kind::Token),
            ("password_reset_token", Kind::Token),
            ("csrf_token", Kind::Token),
            ("bearer", Kind::Token),
            ("api_key", Kind::Key),
            ("apiKey", Kind::Key),
            ("SECRET_KEY", Kind::Key),
            ("private_key_pem", Kind::Key),
            ("credentials", Kind::Credential),
            ("authorization", Kind::Authorization),
            ("auth_header", Kind::Authorization),
            ("session", Kind::Session),
            ("cookie", Kind::Cookie),
            ("otp", Kind::Otp),
            ("expected_sig", Kind::Signature),
            ("signature", Kind::Signature),
            ("hmac", Kind::Mac),
        ] {
            assert_eq!(sensitive(name), Some(kind), "{name}");
        }
    }

    #[test]
    fn not_secrets() {
        for name in [
            "token_type",
            "session_id",
            "user_id",
            "api_key_id",
            "token_ttl",
            "reset_token_expires_at",
            "password_min_len",
            "max_password_length",
            "is_secret",
            "has_token",
            "num_tokens",
            "secret_name",
            "api_key_url",
            "bypass",
            "tokenizer",
            "secretary",
            "compass",
            "mac_address",
            "AUTHORIZATION_HEADER_NAME",
            "token_service",
            "session_store",
            "signature_valid",
            "username",
            "email",
            "key",
            "cache_key",
            "jwt_secret_env",
        ] {
            assert_eq!(sensitive(name), None, "{name}");
        }
    }

    /// Every word that makes a name sensitive holds one of the pieces the quick test looks for.
    #[test]
    fn pieces_cover_the_words() {
        let secret_words = [
            "password",
            "passwords",
            "passwd",
            "pwd",
            "pass",
            "passphrase",
            "secret",
            "secrets",
            "token",
            "tokens",
            "jwt",
            "bearer",
            "apikey",
            "accesskey",
            "privatekey",
            "secretkey",
            "signingkey",
            "encryptionkey",
            "masterkey",
            "credential",
            "credentials",
            "creds",
            "cred",
            "authorization",
            "cookie",
            "cookies",
            "session",
            "sessions",
            "csrf",
            "xsrf",
            "otp",
            "totp",
            "hotp",
            "signature",
            "signatures",
            "sig",
            "hmac",
            "mac",
            "key",
            "keys",
            "auth",
            "authz",
        ];
        for w in secret_words {
            assert!(may_be_sensitive(w), "{w}");
            assert!(may_be_sensitive(&w.to_uppercase()), "{w}");
        }
        // the quick test never rules out a name the words find sensitive
        for name in [
            "dbPassword",
            "X-Api-Key",
            "AUTH_HEADER",
            "authzValue",
            "authorization_value",
            "MyHMAC",
            "user_name",
            "count",
            "is_secret",
            "Pass",
            "\u{212A}ey",
            "api_\u{212A}EY",
            "SIGNING_KEY",
            "XSRF-TOKEN",
        ] {
            assert_eq!(sensitive(name), sensitive_by_words(name), "{name}");
            if !may_be_sensitive(name) {
                assert!(!mentions_password(name), "{name}");
            }
        }
        assert!(!may_be_sensitive("user_name"));
        assert!(!may_be_sensitive("count"));
        assert!(may_be_sensitive("\u{212A}ey"));
    }

    #[test]
    fn password_names() {
        assert!(mentions_password("hash_password"));
        assert!(mentions_password("verifyPwd"));
        assert!(mentions_password("check_credentials"));
        assert!(mentions_password("validate_password_strength"));
        assert!(!mentions_password("cache_key"));
        assert!(!mentions_password("etag"));
        assert!(is_password_value("password"));
        assert!(is_password_value("credentials"));
        assert!(!is_password_value("password_reset_token"));
        assert!(!is_password_value("password_min_len"));
    }
}
