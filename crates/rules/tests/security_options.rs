//! The security family's options change what is reported: one small project checked with and
//! without a `stratalint.toml`.

use stratalint_engine::{check, CheckOptions, Diagnostic, Severity};

const MANIFEST: &str = "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n";

/// Write `files` and, when given, a `stratalint.toml`, then run `rule` alone.
fn run(files: &[(&str, &str)], config: Option<&str>, rule: &str) -> Vec<Diagnostic> {
    let dir = tempfile::tempdir().expect("tempdir");
    let write = |rel: &str, text: &str| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    };
    write("Cargo.toml", MANIFEST);
    for (rel, text) in files {
        write(rel, text);
    }
    if let Some(config) = config {
        write("stratalint.toml", config);
    }
    let opts = CheckOptions {
        paths: vec![dir.path().to_path_buf()],
        cwd: dir.path().to_path_buf(),
        select: vec![rule.to_string()],
        jobs: Some(1),
        no_cache: true,
        ..CheckOptions::default()
    };
    let result = check(&opts, stratalint_rules::all()).unwrap_or_else(|e| panic!("{e}"));
    assert!(result.diagnostics.iter().all(|d| d.rule == rule));
    result.diagnostics
}

const ROUTES: &str = r#"
use axum::{routing::post, Router};

async fn ok() -> &'static str {
    "ok"
}

/// The project's own limiter, which stratalint does not know by name.
#[derive(Clone)]
pub struct RequestQuota;

impl RequestQuota {
    pub fn per_minute(_n: u32) -> Self {
        RequestQuota
    }
}

#[tokio::main]
async fn main() {
    let limited = Router::new()
        .route("/quota/login", post(ok))
        .layer(RequestQuota::per_minute(5));
    let app = Router::new()
        .route("/login", post(ok))
        .route("/internal/login", post(ok))
        .route("/api/v1/session", post(ok))
        .merge(limited);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await.unwrap();
    axum::serve(listener, app).await.unwrap();
}
"#;

/// The auth paths reported, in the order of the file.
fn auth_routes(config: Option<&str>) -> Vec<String> {
    run(
        &[("src/main.rs", ROUTES)],
        config,
        "auth-route-without-rate-limit",
    )
    .iter()
    .map(|d| {
        assert_eq!(d.severity, Severity::Error, "{}", d.message);
        d.message.split('`').nth(1).unwrap_or_default().to_string()
    })
    .collect()
}

#[test]
fn auth_route_defaults() {
    assert_eq!(
        auth_routes(None),
        ["/quota/login", "/login", "/internal/login"],
        "`session` is not an auth word; `RequestQuota` is not a known limiter"
    );
}

#[test]
fn auth_route_ignore_paths_and_limiters() {
    let config = r#"
[rules.auth-route-without-rate-limit]
ignore-paths = ["^/internal/"]
limiters = ["RequestQuota"]
"#;
    assert_eq!(auth_routes(Some(config)), ["/login"]);
}

#[test]
fn auth_route_auth_paths_replace_the_words() {
    let config = r#"
[rules.auth-route-without-rate-limit]
auth-paths = ["^/api/v[0-9]+/session$"]
"#;
    assert_eq!(auth_routes(Some(config)), ["/api/v1/session"]);
}

#[test]
fn auth_route_bad_regex_is_a_config_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("Cargo.toml"), MANIFEST).expect("write");
    std::fs::write(
        dir.path().join("stratalint.toml"),
        "[rules.auth-route-without-rate-limit]\nignore-paths = [\"(\"]\n",
    )
    .expect("write");
    let opts = CheckOptions {
        paths: vec![dir.path().to_path_buf()],
        cwd: dir.path().to_path_buf(),
        no_cache: true,
        ..CheckOptions::default()
    };
    let err = check(&opts, stratalint_rules::all())
        .err()
        .expect("an invalid regex is refused");
    assert!(err.to_string().contains("invalid regex `(`"), "{err}");
}

const HASHING: &str = r#"
/// scrypt at OWASP's parameters: N = 2^17, r = 8, p = 1
pub fn scrypt_owasp(password: &[u8], salt: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let params = scrypt::Params::new(17, 8, 1, 32).unwrap();
    scrypt::scrypt(password, salt, &params, &mut out).ok();
    out
}

/// bcrypt below OWASP's cost
pub fn bcrypt_weak(password: &str) -> String {
    bcrypt::hash(password, 4).unwrap_or_default()
}
"#;

fn hash_findings(config: Option<&str>) -> Vec<(Severity, String)> {
    run(&[("src/lib.rs", HASHING)], config, "weak-password-hash")
        .into_iter()
        .map(|d| (d.severity, d.message))
        .collect()
}

#[test]
fn weak_password_hash_policies() {
    let bcrypt_weak = (
        Severity::Error,
        "bcrypt below OWASP's parameters: cost 4 (OWASP: at least 10)".to_string(),
    );
    // the default policy is Argon2id only: scrypt at OWASP's parameters is a warning
    assert_eq!(
        hash_findings(None),
        [
            (
                Severity::Warning,
                "passwords hashed with scrypt: the policy is Argon2id".to_string()
            ),
            bcrypt_weak.clone(),
        ]
    );
    // OWASP's policy accepts it; below OWASP's parameters is an error under both
    let owasp = "[rules.weak-password-hash]\npolicy = \"owasp\"\n";
    assert_eq!(hash_findings(Some(owasp)), [bcrypt_weak]);
}
