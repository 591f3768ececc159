//! The single-file checker the fuzzers drive (`SourceChecker`) reports what a check reports, and
//! every input a fuzzer found crashing stays fixed (see fuzz/README.md): each file of
//! `tests/fuzz_regressions/` is checked, as the `check_file` target checks its input, by the binary
//! in a copy of the violations fixture, with every rule and in every format.

mod common;

use std::path::Path;
use std::process::Command;

use stratalint_engine::config::{Config, Selector};
use stratalint_engine::pipeline::SourceChecker;
use stratalint_engine::Diagnostic;

/// A project holding `files` and the manifest of the violations fixture.
fn project_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::fixture("violations/Cargo.toml"),
        dir.path().join("Cargo.toml"),
    )
    .unwrap();
    for (path, body) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body).unwrap();
    }
    dir
}

fn all_rules() -> Config {
    let mut config = Config::default_config();
    config.select = vec![Selector::All];
    config
}

/// What a finding is, fingerprint and byte range included.
fn described(diags: &[Diagnostic]) -> String {
    let mut out = common::render(diags);
    for d in diags {
        out.push_str(&format!(
            "{} {}..{} {}\n",
            d.rule, d.loc.start, d.loc.end, d.fingerprint
        ));
    }
    out
}

/// `bytes` checked as `rel` by the single-file checker, with every rule, in the project at `root`.
fn check_bytes(root: Option<&Path>, rel: &str, bytes: &[u8]) -> Vec<Diagnostic> {
    let checker = SourceChecker::new(root, &[rel], all_rules(), stratalint_rules::all())
        .expect("the default configuration is valid");
    checker.check(rel, bytes)
}

#[test]
fn the_single_file_checker_reports_what_a_check_reports() {
    let src = common::fixture("violations");
    let mut compared = 0;
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(&src).unwrap().to_str().unwrap();
        if !(rel.ends_with(".rs") || rel.ends_with(".sql")) {
            continue;
        }
        let bytes = std::fs::read(entry.path()).unwrap();
        // the file alone in a project: a check sees no other file either
        let p = project_with(&[(rel, &bytes)]);
        let checked = common::check(p.path(), &["ALL"]).diagnostics;
        let single = check_bytes(Some(&p.path().canonicalize().unwrap()), rel, &bytes);
        assert_eq!(described(&single), described(&checked), "{rel}");
        compared += usize::from(!checked.is_empty());
    }
    assert!(compared >= 5, "files with findings compared: {compared}");
}

#[test]
fn the_single_file_checker_without_a_project() {
    let found = check_bytes(
        None,
        "src/services/slow.rs",
        b"pub async fn slow() {\n    std::thread::sleep(std::time::Duration::ZERO);\n}\n",
    );
    assert!(
        found.iter().any(|d| d.rule == "blocking-call-in-async"),
        "{}",
        common::render(&found)
    );
    // a path it was not given gets nothing
    let checker = SourceChecker::new(None, &["src/a.rs"], all_rules(), stratalint_rules::all())
        .expect("valid");
    assert!(checker.check("src/b.rs", b"fn main() {").is_empty());
    // input above the size limit is reported, not read
    let mut small = all_rules();
    small.files.max_file_size = 8;
    let checker =
        SourceChecker::new(None, &["src/a.rs"], small, stratalint_rules::all()).expect("valid");
    let found = checker.check("src/a.rs", b"pub fn long_enough() {}\n");
    assert_eq!(
        found.iter().map(|d| d.rule).collect::<Vec<_>>(),
        ["file-too-large"]
    );
}

/// Where the `check_file` fuzz target puts its input, by the input's extension.
fn paths_for(ext: &str) -> &'static [&'static str] {
    match ext {
        "rs" => &["src/api/fuzz.rs", "src/lib.rs"],
        "sql" => &["migrations/20260120_0900_fuzz.sql"],
        "py" => &["alembic/versions/20260120_0900_fuzz.py"],
        other => panic!("no path for a `.{other}` input"),
    }
}

#[test]
fn crashing_inputs_found_by_the_fuzzers_stay_fixed() {
    let dir = common::repo().join("tests/fuzz_regressions");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty());
    for input in inputs {
        let bytes = std::fs::read(&input).unwrap();
        let ext = input.extension().unwrap().to_str().unwrap();
        for rel in paths_for(ext) {
            let p = common::copy_fixture("violations");
            let file = p.path().join(rel);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, &bytes).unwrap();
            for format in [
                "human",
                "concise",
                "json",
                "json-lines",
                "sarif",
                "github",
                "junit",
                "rustc-json",
            ] {
                let o = Command::new(env!("CARGO_BIN_EXE_stratalint"))
                    .args(["check", "--no-cache", "--select", "ALL", "--format", format])
                    .current_dir(p.path())
                    .env("NO_COLOR", "1")
                    .output()
                    .unwrap();
                let err = String::from_utf8_lossy(&o.stderr);
                let out = String::from_utf8_lossy(&o.stdout);
                let what = format!("{} as {rel} in {format}", input.display());
                assert!(
                    matches!(o.status.code(), Some(0 | 1)),
                    "{what}: {:?}\n{err}",
                    o.status
                );
                assert!(!err.contains("panicked"), "{what}: {err}");
                if format == "json" {
                    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
                    let rules: Vec<&str> = v["diagnostics"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|d| d["rule"].as_str().unwrap())
                        .collect();
                    assert!(!rules.contains(&"internal-error"), "{what}: {out}");
                }
            }
        }
    }
}

#[test]
fn table_names_that_stay_unsnaked_after_conversion() {
    // `problem` recursed on the converted name until the stack overflowed, on the main thread
    for name in ["order__lines", "\"Ordér\"", "\"OrderLin\u{11}es\""] {
        let sql = format!("CREATE TABLE {name} (id BIGINT PRIMARY KEY);\n");
        let p = project_with(&[("migrations/20260120_0900_add_lines.sql", sql.as_bytes())]);
        let found = common::check(p.path(), &["ALL"]).diagnostics;
        assert!(
            found.iter().any(|d| d.rule == "table-name"),
            "{name}: {}",
            common::render(&found)
        );
    }
}
