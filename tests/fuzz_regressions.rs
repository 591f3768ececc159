//! The single-file checker the fuzzers drive (`SourceChecker`) reports what a check reports, and
//! every input a fuzzer found crashing stays fixed (see fuzz/README.md).

mod common;

use std::path::Path;

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
