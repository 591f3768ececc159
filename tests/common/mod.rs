//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use stratalint_engine::{CheckOptions, CheckResult, Diagnostic};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(rel: &str) -> PathBuf {
    repo().join("fixtures").join(rel)
}

/// Check `path` in-process with the given selection (empty: the defaults).
pub fn check(path: &Path, select: &[&str]) -> CheckResult {
    let opts = CheckOptions {
        paths: vec![path.to_path_buf()],
        cwd: repo(),
        select: select.iter().map(|s| s.to_string()).collect(),
        jobs: Some(2),
        // hermetic: the cache has tests of its own
        no_cache: true,
        ..CheckOptions::default()
    };
    match stratalint_engine::check(&opts, stratalint_rules::all()) {
        Ok(r) => r,
        Err(e) => panic!("check failed: {e}"),
    }
}

/// One block per finding: the concise line, then label, help and secondary labels.
pub fn render(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        out.push_str(&format!(
            "{}:{}:{}: {}[{}] {}\n",
            d.loc.file, d.loc.start_pos.line, d.loc.start_pos.column, d.severity, d.rule, d.message
        ));
        if let Some(l) = &d.label {
            out.push_str(&format!("  label: {l}\n"));
        }
        for l in &d.labels {
            out.push_str(&format!(
                "  at {}:{}:{}: {}\n",
                l.loc.file, l.loc.start_pos.line, l.loc.start_pos.column, l.message
            ));
        }
        if let Some(h) = &d.help {
            out.push_str(&format!("  help: {h}\n"));
        }
    }
    out
}

/// A copy of a fixture in a temporary directory.
pub fn copy_fixture(rel: &str) -> tempfile::TempDir {
    let src = fixture(rel);
    let dir = tempfile::tempdir().expect("tempdir");
    let walk = walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".stratalint_cache");
    for entry in walk {
        let entry = entry.expect("walk");
        let to = dir
            .path()
            .join(entry.path().strip_prefix(&src).expect("prefix"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &to).expect("copy");
        }
    }
    dir
}
