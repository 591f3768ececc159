//! The command line end to end: exit codes, formats, config errors, bad input, determinism.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn stratalint(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stratalint"))
        .args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("STRATALINT_OUTPUT_FORMAT")
        .output()
        .expect("run stratalint")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A small project: one clean file, one with a blocking call.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::write(
        root.join("Cargo.toml"),
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("src/services")).unwrap();
    std::fs::write(root.join("src/lib.rs"), "pub mod services;\n").unwrap();
    std::fs::write(
        root.join("src/services/mod.rs"),
        "pub mod clean;\npub mod slow;\n",
    )
    .unwrap();
    std::fs::write(
        root.join("src/services/clean.rs"),
        "pub async fn ok() -> u8 { 1 }\n",
    )
    .unwrap();
    std::fs::write(
        root.join("src/services/slow.rs"),
        "use std::thread::sleep;\n\npub async fn slow() {\n    sleep(std::time::Duration::from_secs(1));\n}\n",
    )
    .unwrap();
    dir
}

#[test]
fn findings_exit_1_clean_exit_0() {
    let p = project();
    let o = stratalint(&["check", "--format", "concise"], p.path());
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("src/services/slow.rs:4:5: error[blocking-call-in-async]"),
        "{}",
        stdout(&o)
    );
    let o = stratalint(
        &["check", "--format", "concise", "src/services/clean.rs"],
        p.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn exit_zero_fail_on_select_and_ignore() {
    let p = project();
    assert_eq!(
        stratalint(&["check", "--exit-zero"], p.path())
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        stratalint(&["check", "--ignore", "async"], p.path())
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        stratalint(&["check", "--select", "security,naming"], p.path())
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        stratalint(&["check", "--select", "blocking-call-in-async"], p.path())
            .status
            .code(),
        Some(1)
    );
    // a warning-level finding does not fail with --fail-on error
    std::fs::write(p.path().join("src/services/BadName.rs"), "pub fn x() {}\n").unwrap();
    let o = stratalint(
        &[
            "check",
            "--select",
            "naming",
            "--fail-on",
            "error",
            "--format",
            "concise",
        ],
        p.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("warning[file-name-snake-case]"));
    let o = stratalint(
        &["check", "--select", "naming", "--fail-on", "warning"],
        p.path(),
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn unknown_selector_is_a_usage_error() {
    let p = project();
    let o = stratalint(&["check", "--select", "blocking-call-in-asink"], p.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `blocking-call-in-async`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn config_errors_point_at_the_line_and_exit_2() {
    let p = project();
    std::fs::write(
        p.path().join("stratalint.toml"),
        "fail-on = \"error\"\n\n[files]\nexlude = [\"x\"]\n",
    )
    .unwrap();
    let o = stratalint(&["check"], p.path());
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("unknown field `exlude`"), "{err}");
    assert!(
        err.contains("stratalint.toml:4:1") || err.contains("[4:1]") || err.contains(":4:"),
        "{err}"
    );
    std::fs::write(
        p.path().join("stratalint.toml"),
        "select = [\"async\", \"nope\"]\n",
    )
    .unwrap();
    let o = stratalint(&["check"], p.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown rule or family `nope`"),
        "{}",
        stderr(&o)
    );
    std::fs::write(p.path().join("stratalint.toml"), "this is not toml\n").unwrap();
    assert_eq!(stratalint(&["check"], p.path()).status.code(), Some(2));
}

#[test]
fn a_config_that_is_not_toml_is_a_pointed_error() {
    let p = project();
    let cases: [(&[u8], &str, &str); 4] = [
        (
            b"this is not toml\n",
            "stratalint.toml:1:6",
            "key with no value",
        ),
        // TOML, then JSON
        (
            b"[files]\nmax-file-size = 10\n\n{ \"select\": [\"ALL\"] }\n",
            "stratalint.toml:4:1",
            "expected key",
        ),
        (
            b"select = [\"async\"\n",
            "stratalint.toml:1:18",
            "unclosed array",
        ),
        (
            b"\xff\xfe\x00\x01junk",
            "stratalint.toml",
            "not valid UTF-8",
        ),
    ];
    for (text, at, what) in cases {
        std::fs::write(p.path().join("stratalint.toml"), text).unwrap();
        let o = stratalint(&["check", "--color", "never"], p.path());
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains(at) && err.contains(what), "{at} {what}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(o.stdout.is_empty(), "{}", stdout(&o));
    }
    // a manifest that is not TOML is a finding, and the other files are checked
    std::fs::remove_file(p.path().join("stratalint.toml")).unwrap();
    std::fs::write(p.path().join("Cargo.toml"), "not a [manifest\n").unwrap();
    let o = stratalint(&["check", "--format", "concise"], p.path());
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{}", stderr(&o));
    assert!(
        out.contains("Cargo.toml:1:5: error[syntax-error] invalid Cargo.toml"),
        "{out}"
    );
    assert!(out.contains("[blocking-call-in-async]"), "{out}");
}

#[test]
fn config_in_cargo_metadata_is_found_walking_up() {
    let p = project();
    let manifest = "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[package.metadata.stratalint]\nignore = [\"async\"]\n";
    std::fs::write(p.path().join("Cargo.toml"), manifest).unwrap();
    let o = stratalint(&["check", "src/services"], p.path());
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn a_syntax_error_among_good_files() {
    let p = project();
    std::fs::write(
        p.path().join("src/services/broken.rs"),
        "pub async fn broken( {\n",
    )
    .unwrap();
    let o = stratalint(&["check", "--format", "concise"], p.path());
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("src/services/broken.rs:1:"), "{out}");
    assert!(out.contains("error[syntax-error]"), "{out}");
    // the other files are still checked
    assert!(out.contains("error[blocking-call-in-async]"), "{out}");
}

#[test]
fn non_utf8_file_is_reported_not_fatal() {
    let p = project();
    std::fs::write(
        p.path().join("src/services/latin1.rs"),
        b"// caf\xe9\npub fn x() {}\n",
    )
    .unwrap();
    let o = stratalint(&["check", "--format", "concise"], p.path());
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("src/services/latin1.rs") && out.contains("error[unreadable-file]"),
        "{out}"
    );
    assert!(out.contains("not valid UTF-8"), "{out}");
    assert!(out.contains("error[blocking-call-in-async]"), "{out}");
}

#[test]
fn json_output_follows_the_schema_fields() {
    let p = project();
    let o = stratalint(&["check", "--format", "json"], p.path());
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid json");
    let d = &v["diagnostics"][0];
    assert_eq!(d["rule"], "blocking-call-in-async");
    assert_eq!(d["family"], "async");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "src/services/slow.rs");
    assert_eq!(d["line"], 4);
    assert_eq!(d["column"], 5);
    assert!(d["byte_start"].as_u64().unwrap() < d["byte_end"].as_u64().unwrap());
    assert!(d["fingerprint"].as_str().is_some_and(|f| !f.is_empty()));
    assert!(d["help"].as_str().is_some());
}

#[test]
fn deterministic_across_thread_counts() {
    let clean = common::fixture("rules/async/blocking-call-in-async");
    // the fixture in place: no cache written into it, and none serving the second run
    let one = stratalint(
        &["check", "--no-cache", "--format", "json", "--jobs", "1"],
        &clean,
    );
    let many = stratalint(
        &["check", "--no-cache", "--format", "json", "--jobs", "8"],
        &clean,
    );
    let strip = |o: &Output| {
        let mut v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        v["summary"]["elapsed_ms"] = serde_json::Value::Null;
        v
    };
    assert_eq!(strip(&one), strip(&many));
    assert!(strip(&one)["diagnostics"]
        .as_array()
        .is_some_and(|a| a.len() > 5));
}

#[test]
fn human_output_has_snippet_help_and_summary_without_color() {
    let p = project();
    let o = Command::new(env!("CARGO_BIN_EXE_stratalint"))
        .args(["check"])
        .current_dir(p.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let out = stdout(&o);
    assert!(out.contains("blocking-call-in-async"), "{out}");
    assert!(
        out.contains("sleep(std::time::Duration::from_secs(1));"),
        "the source line is shown: {out}"
    );
    assert!(
        out.contains("tokio::time::sleep"),
        "the help is shown: {out}"
    );
    assert!(
        out.contains("1 error") && out.contains("files checked"),
        "{out}"
    );
    assert!(
        !out.contains('\u{1b}'),
        "no color codes with NO_COLOR: {out}"
    );
}

#[test]
fn rules_and_rule_commands() {
    let p = project();
    let o = stratalint(&["rules"], p.path());
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    for id in [
        "blocking-call-in-async",
        "handler-database-access",
        "sql-injection",
        "file-name-snake-case",
        "migration-file-name",
        "syntax-error",
    ] {
        assert!(out.contains(id), "{id} missing from `stratalint rules`");
    }
    let o = stratalint(&["rule", "sql-injection"], p.path());
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("## Why is this bad?"));
    assert!(stdout(&o).contains("CWE-89"));
    let o = stratalint(&["rule", "sql-injecton"], p.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown rule `sql-injecton`")
            && stderr(&o).contains("did you mean `sql-injection`")
    );
}

#[test]
fn missing_path_and_bad_format_exit_2() {
    let p = project();
    assert_eq!(
        stratalint(&["check", "does/not/exist"], p.path())
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        stratalint(&["check", "--format", "xml"], p.path())
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn cargo_subcommand_strips_its_name() {
    let p = project();
    let o = Command::new(env!("CARGO_BIN_EXE_cargo-stratalint"))
        .args(["stratalint", "check", "--format", "concise"])
        .current_dir(p.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).contains("blocking-call-in-async"));
}

#[test]
fn suppressions_and_unused_suppressions() {
    let p = project();
    std::fs::write(
        p.path().join("src/services/slow.rs"),
        "use std::thread::sleep;\n\npub async fn slow() {\n    // stratalint: allow(blocking-call-in-async) -- warm-up only, before serving\n    sleep(std::time::Duration::from_secs(1));\n}\n\n// stratalint: allow(sql-injection) -- nothing here\npub fn nothing() {}\n",
    )
    .unwrap();
    let o = stratalint(&["check", "--format", "concise"], p.path());
    let out = stdout(&o);
    assert!(!out.contains("error[blocking-call-in-async]"), "{out}");
    assert!(
        out.contains("src/services/slow.rs:8:22: warning[unused-suppression]"),
        "{out}"
    );
}

#[test]
fn machine_formats_stay_valid_with_statistics_and_quiet() {
    let p = project();
    let o = stratalint(
        &["check", "--format", "json", "--statistics", "--quiet"],
        p.path(),
    );
    let v: serde_json::Value =
        serde_json::from_slice(&o.stdout).expect("stdout is still one JSON document");
    assert_eq!(v["diagnostics"][0]["rule"], "blocking-call-in-async");
    assert!(
        stderr(&o).contains("blocking-call-in-async"),
        "the statistics go to stderr: {}",
        stderr(&o)
    );
    let o = stratalint(&["check", "--format", "sarif", "--statistics"], p.path());
    let v: serde_json::Value =
        serde_json::from_slice(&o.stdout).expect("stdout is still one SARIF document");
    assert_eq!(v["version"], "2.1.0");
}
