//! The configuration loader: bytes as `stratalint.toml` text, as a whole `Cargo.toml`, and as the
//! body of a `[package.metadata.stratalint]` table, into `config::from_text` with the real rule
//! metas, then `configure_rules`. Each must be `Ok` or a `ConfigError`, never a panic; an error is
//! rendered as the CLI renders it (plain and with miette), and a configuration that loads is used:
//! a small file is checked with it, so that its globs, layers, overrides and rule options run.

#![no_main]

use std::path::Path;
use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use stratalint_engine::config::{self, Config};
use stratalint_engine::pipeline::{all_metas, SourceChecker};
use stratalint_engine::{ConfigError, RuleMeta};

const SAMPLE_PATH: &str = "src/api/users.rs";
const SAMPLE: &str = r#"use axum::{extract::State, Json};
use sqlx::PgPool;

// stratalint: allow(unwrap-in-handler) -- sample
pub async fn get_user(State(pool): State<PgPool>, id: String) -> Json<String> {
    let row = sqlx::query(&format!("SELECT * FROM users WHERE id = {id}"))
        .fetch_one(&pool)
        .await
        .unwrap();
    std::thread::sleep(std::time::Duration::from_secs(1));
    Json(String::new())
}
"#;

fn metas() -> &'static [&'static RuleMeta] {
    static METAS: OnceLock<Vec<&'static RuleMeta>> = OnceLock::new();
    METAS.get_or_init(|| all_metas(&stratalint_rules::all()))
}

fn render(e: &ConfigError) {
    let _ = e.to_string();
    let mut out = String::new();
    let _ = miette::GraphicalReportHandler::new().render_report(&mut out, e);
}

fn load(path: &Path, text: &str) {
    let cfg = match config::from_text(path, Arc::from(text), metas()) {
        Ok(cfg) => cfg,
        Err(e) => return render(&e),
    };
    let mut rules = stratalint_rules::all();
    if let Err(e) = cfg.configure_rules(&mut rules) {
        return render(&e);
    }
    use_config(cfg);
}

fn use_config(cfg: Config) {
    match SourceChecker::new(None, &[SAMPLE_PATH], cfg, stratalint_rules::all()) {
        Ok(checker) => {
            for d in checker.check(SAMPLE_PATH, SAMPLE.as_bytes()) {
                assert_ne!(d.rule, "internal-error", "{}", d.message);
            }
        }
        Err(e) => render(&e),
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    load(Path::new("/fuzz/stratalint.toml"), &text);
    load(Path::new("/fuzz/Cargo.toml"), &text);
    let cargo = format!(
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\n\n[package.metadata.stratalint]\n{text}"
    );
    load(Path::new("/fuzz/Cargo.toml"), &cargo);
});
