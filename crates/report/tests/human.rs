mod common;

use std::collections::HashMap;
use std::sync::Arc;

use common::{error, loc, register, render, report, FILE_NAME};
use stratalint_engine::{Diagnostic, Loc};
use stratalint_report::Format;

const HANDLER: &str = "\u{feff}use std::fs;\r\n\r\nasync fn handler() {\r\n    let cfg = fs::read_to_string(\"cfg\");\r\n    apply(cfg);\r\n}\r\n";

fn findings() -> Vec<Diagnostic> {
    let file = "src/handlers/user.rs";
    let blocking = error(
        loc(file, HANDLER, "fs::read_to_string(\"cfg\")", 0),
        "blocking call `std::fs::read_to_string` in an async fn",
    )
    .with_label("blocks the executor thread")
    .with_help("use `tokio::fs::read_to_string(..).await`")
    .with_secondary(
        loc(file, HANDLER, "async fn handler()", 0),
        "this function is async",
    );
    let file_level = Diagnostic::new(
        FILE_NAME.id,
        FILE_NAME.family,
        FILE_NAME.severity,
        Loc::file_start(Arc::from("src/UserService.rs")),
        "file name `UserService.rs` is not snake_case",
    )
    .with_help("rename it to `user_service.rs`");
    vec![file_level, blocking]
}

#[test]
fn human_renders_snippet_labels_help_url_and_summary() {
    register();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("src/handlers")).unwrap();
    std::fs::write(dir.path().join("src/handlers/user.rs"), HANDLER).unwrap();
    let diags = findings();
    let out = render(Format::Human, &report(&diags, dir.path()));

    for expected in [
        // The finding with a snippet.
        "blocking-call-in-async (https://github.com/stratalint/stratalint/blob/main/rules/async/blocking-call-in-async.md)",
        "× blocking call `std::fs::read_to_string` in an async fn",
        "[src/handlers/user.rs:4:15]",
        "4 │     let cfg = fs::read_to_string(\"cfg\");",
        "blocks the executor thread",
        "3 │ async fn handler() {",
        "this function is async",
        "help: use `tokio::fs::read_to_string(..).await`",
        // The file-level finding: no snippet, still the location.
        "file-name-case (https://github.com/stratalint/stratalint/blob/main/rules/naming/file-name-case.md)",
        "⚠ file name `UserService.rs` is not snake_case",
        "[src/UserService.rs:1:1]",
        "help: rename it to `user_service.rs`",
        "1 error, 1 warning in 2 files; 12 files checked in 1.23s\n",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in\n{out}");
    }
    assert!(!out.contains('\u{feff}'), "the BOM is not shown");
    assert!(!out.contains('\r'), "CRLF line ends are not shown");
    assert!(!out.contains('\x1b'), "no escapes without colour");
    assert!(out.ends_with("\n1 error, 1 warning in 2 files; 12 files checked in 1.23s\n"));
}

#[test]
fn human_prefers_in_memory_sources() {
    register();
    let dir = tempfile::tempdir().unwrap();
    let diags = findings();
    let sources = HashMap::from([(
        "src/handlers/user.rs".to_string(),
        Arc::<str>::from(HANDLER),
    )]);
    let mut report = report(&diags, dir.path());
    report.sources = Some(&sources);
    let out = render(Format::Human, &report);
    assert!(
        out.contains("4 │     let cfg = fs::read_to_string(\"cfg\");"),
        "{out}"
    );
}

#[test]
fn human_without_readable_text_keeps_the_location() {
    register();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/latin1.rs"), b"fn caf\xe9() {}\n").unwrap();
    std::fs::write(dir.path().join("src/short.rs"), "fn a() {}\n").unwrap();
    let mut past_end = loc("src/short.rs", HANDLER, "apply(cfg)", 0);
    past_end.file = Arc::from("src/short.rs");
    let mut latin1 = loc("src/latin1.rs", "fn caf\u{e9}() {}\n", "caf", 0);
    latin1.end += 1;
    let mut in_char = loc("src/short.rs", "fn a() {}\n", "a", 0);
    in_char.file = Arc::from("src/handlers/user.rs");
    let sources = HashMap::from([(
        "src/handlers/user.rs".to_string(),
        Arc::<str>::from("fn é() {}\n"),
    )]);
    in_char.start = 4; // inside `é`
    let diags = vec![
        error(
            loc("src/missing.rs", HANDLER, "apply(cfg)", 0),
            "missing file",
        ),
        error(latin1, "not utf-8"),
        error(past_end, "past the end"),
        error(in_char, "splits a char"),
    ];
    let mut report = report(&diags, dir.path());
    report.sources = Some(&sources);
    let out = render(Format::Human, &report);
    for expected in [
        "× missing file",
        "[src/missing.rs:5:5]",
        "× not utf-8",
        "[src/latin1.rs:1:4]",
        "× past the end",
        "[src/short.rs:5:5]",
        "× splits a char",
        "[src/handlers/user.rs:1:4]",
        "4 errors, 0 warnings in 4 files",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in\n{out}");
    }
    assert!(!out.contains("Failed to read contents"), "{out}");
}

#[test]
fn human_with_colour_uses_escapes_and_hyperlinks() {
    register();
    let dir = tempfile::tempdir().unwrap();
    let diags = findings();
    let mut report = report(&diags, dir.path());
    report.color = true;
    let out = render(Format::Human, &report);
    assert!(out.contains("\x1b["), "{out}");
    assert!(out.contains(
        "\x1b]8;;https://github.com/stratalint/stratalint/blob/main/rules/naming/file-name-case.md"
    ));
}

#[test]
fn human_with_no_findings_prints_the_summary_only() {
    let dir = tempfile::tempdir().unwrap();
    let out = render(Format::Human, &report(&[], dir.path()));
    assert_eq!(out, "No findings; 12 files checked in 1.23s\n");
}

#[test]
fn human_survives_every_span_in_awkward_text() {
    register();
    let text = "\u{feff}a\tb\r\n\r\nlet é = \"日\";\rlone\n\nz";
    let file = "src/awkward.rs";
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join(file), text).unwrap();
    let mut diags = Vec::new();
    for start in 0..=text.len() + 1 {
        for end in start..=text.len() + 1 {
            for secondary in [None, Some(0), Some(5), Some(text.len())] {
                let mut at = loc(file, text, "a", 0);
                (at.start, at.end) = (start, end);
                let mut d = error(at.clone(), "m");
                if let Some(s) = secondary {
                    (at.start, at.end) = (s, (s + 3).min(text.len()));
                    d = d.with_secondary(at, "s");
                }
                diags.push(d);
            }
        }
    }
    let out = render(Format::Human, &report(&diags, dir.path()));
    assert!(!out.contains("Failed to read contents"));
    assert!(out.contains("3 │ let é = \"日\";\rlone"), "{out}");
}
