//! The `rustc-json` format: cargo `compiler-message` records as rust-analyzer reads them (the
//! required fields of cargo_metadata 0.23, a primary span, line texts for UTF-16 columns). The
//! real rust-analyzer reads them in `scripts/e2e.sh rust-analyzer`.

mod common;

use std::path::Path;
use std::sync::Arc;

use common::{error, loc, register, render, report, FILE_NAME};
use serde_json::{json, Value};
use stratalint_engine::{Diagnostic, Loc, Severity};
use stratalint_report::Format;

const SLOW: &str = "\u{feff}//! é\r\npub async fn f() {\r\n    let s = \"世界 👋\"; std::thread::sleep(d);\r\n    g(\r\n      1);\r\n}\r\n";

fn lines(out: &str) -> Vec<Value> {
    assert!(out.ends_with('\n'));
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// What cargo_metadata (as rust-analyzer uses it) requires of a `compiler-message` record.
fn assert_cargo_shape(record: &Value) {
    assert_eq!(record["reason"], "compiler-message");
    assert!(record["package_id"]
        .as_str()
        .unwrap()
        .starts_with("path+file:///"));
    let target = &record["target"];
    assert!(target["name"].is_string() && target["src_path"].is_string());
    assert!(!target["kind"].as_array().unwrap().is_empty());
    let message = &record["message"];
    assert_eq!(message["$message_type"], "diagnostic");
    assert!(message["message"].is_string());
    let level = message["level"].as_str().unwrap();
    assert!(["error", "warning", "note"].contains(&level));
    assert!(message["code"]["code"]
        .as_str()
        .unwrap()
        .starts_with("stratalint::"));
    let spans = message["spans"].as_array().unwrap();
    assert_eq!(
        spans.iter().filter(|s| s["is_primary"] == true).count(),
        1,
        "exactly one primary span"
    );
    for span in spans {
        assert!(span["file_name"].is_string());
        for key in [
            "byte_start",
            "byte_end",
            "line_start",
            "line_end",
            "column_start",
            "column_end",
        ] {
            assert!(span[key].is_u64(), "{key} in {span}");
        }
        assert!(span["line_start"].as_u64().unwrap() >= 1);
        assert!(span["column_start"].as_u64().unwrap() >= 1);
        for t in span["text"].as_array().unwrap() {
            assert!(t["text"].is_string() && t["highlight_start"].is_u64());
            assert!(t["highlight_end"].is_u64());
        }
        assert!(span.get("label").is_some() && span.get("expansion").is_some());
    }
    for child in message["children"].as_array().unwrap() {
        assert_eq!(child["level"], "help");
        assert_eq!(child["spans"], json!([]));
        assert_eq!(child["children"], json!([]));
    }
    assert!(message["rendered"].is_string());
}

#[test]
fn records_for_rust_analyzer() {
    register();
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().canonicalize().unwrap().join("my app");
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(
        root.join("Cargo.toml"),
        "[package]\nname = \"demo\"\nversion = \"0.3.0\"\n",
    )
    .unwrap();
    std::fs::write(root.join("src/slow.rs"), SLOW).unwrap();

    let sleep = error(
        loc("src/slow.rs", SLOW, "std::thread::sleep(d)", 0),
        "blocking sleep",
    )
    .with_label("blocks")
    .with_help("use tokio::time::sleep")
    .with_secondary(
        loc("src/slow.rs", SLOW, "pub async fn f()", 0),
        "async here",
    );
    let mut multi = error(loc("src/slow.rs", SLOW, "g(\r\n      1)", 0), "multi");
    multi.severity = Severity::Warning;
    let file_level = Diagnostic::new(
        FILE_NAME.id,
        FILE_NAME.family,
        FILE_NAME.severity,
        Loc::file_start(Arc::from("src/slow.rs")),
        "file-level",
    );
    // A file that is gone since the check, and one whose text no longer matches the finding.
    let mut gone = error(loc("src/gone.rs", SLOW, "g(", 0), "gone");
    gone.severity = Severity::Info;
    let mut changed = error(loc("src/slow.rs", "\n\nab", "ab", 0), "changed");
    changed.loc.start = SLOW.find('\n').unwrap();
    changed.loc.end = changed.loc.start + 2;
    let diags = vec![file_level, sleep, multi, gone, changed];
    let records = lines(&render(Format::RustcJson, &report(&diags, &root)));
    assert_eq!(records.len(), 6);
    assert_eq!(
        records[5],
        json!({"reason": "build-finished", "success": true})
    );
    for r in &records[..5] {
        assert_cargo_shape(r);
    }
    let first = &records[1];
    assert_eq!(
        first["package_id"],
        format!(
            "path+file://{}#demo@0.3.0",
            root.display().to_string().replace(' ', "%20")
        )
    );
    assert_eq!(first["target"]["name"], "demo");
    assert_eq!(first["target"]["kind"], json!(["lib"]));
    let m = &first["message"];
    assert_eq!(
        m["code"],
        json!({"code": "stratalint::blocking-call-in-async", "explanation": null})
    );
    assert_eq!(m["level"], "error");
    // The root is outside the working directory, so the path is absolute.
    let file_name = root.join("src/slow.rs").display().to_string();
    // 1-based char columns, end exclusive; `text` is the whole line, CR and BOM stripped.
    assert_eq!(
        m["spans"][0],
        json!({
            "file_name": file_name, "byte_start": 58, "byte_end": 79,
            "line_start": 3, "line_end": 3, "column_start": 21, "column_end": 42,
            "is_primary": true,
            "text": [{"text": "    let s = \"世界 👋\"; std::thread::sleep(d);",
                      "highlight_start": 21, "highlight_end": 42}],
            "label": "blocks", "suggested_replacement": null,
            "suggestion_applicability": null, "expansion": null,
        })
    );
    assert_eq!(m["spans"][1]["is_primary"], false);
    assert_eq!(m["spans"][1]["label"], "async here");
    assert_eq!(m["children"][0]["message"], "use tokio::time::sleep");
    assert_eq!(
        m["children"][1]["message"],
        "for further information visit \
         https://github.com/stratalint/stratalint/blob/main/rules/async/blocking-call-in-async.md"
    );
    let rendered = m["rendered"].as_str().unwrap();
    assert!(
        rendered.starts_with("error[stratalint::blocking-call-in-async]: blocking sleep\n"),
        "{rendered}"
    );
    assert!(rendered.contains("3 |     let s = \"世界 👋\"; std::thread::sleep(d);\n"));
    let carets = format!("\n  | {}{} blocks\n", " ".repeat(20), "^".repeat(21));
    assert!(rendered.contains(&carets), "{rendered}");

    // File-level: the first line (without the BOM), nothing highlighted.
    let span = &records[0]["message"]["spans"][0];
    assert_eq!(
        (
            &span["line_start"],
            &span["column_start"],
            &span["column_end"]
        ),
        (&json!(1), &json!(1), &json!(1))
    );
    assert_eq!(
        span["text"],
        json!([{"text": "//! é", "highlight_start": 1, "highlight_end": 1}])
    );
    // Multi-line: one text entry per line, highlighted from the start column to the line end,
    // then from column 1 to the end column.
    assert_eq!(
        records[2]["message"]["spans"][0]["text"],
        json!([{"text": "    g(", "highlight_start": 5, "highlight_end": 7},
               {"text": "      1);", "highlight_start": 1, "highlight_end": 9}])
    );
    assert_eq!(records[2]["message"]["level"], "warning");
    assert_eq!(records[3]["message"]["level"], "note");
    // Gone or changed: no text rather than wrong text (rust-analyzer then uses the char columns).
    assert_eq!(records[3]["message"]["spans"][0]["text"], json!([]));
    assert_eq!(records[4]["message"]["spans"][0]["text"], json!([]));
}

#[test]
fn paths_are_relative_to_the_working_directory() {
    register();
    // Tests run in the crate's directory: check this crate's own src/lib.rs.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("src/lib.rs")).unwrap();
    let d = error(loc("src/lib.rs", &text, "mod concise;", 0), "x");
    let records = lines(&render(Format::RustcJson, &report(&[d], root)));
    let span = &records[0]["message"]["spans"][0];
    assert_eq!(span["file_name"], "src/lib.rs");
    assert_eq!(span["text"][0]["text"], "mod concise;");
    assert!(records[0]["package_id"]
        .as_str()
        .unwrap()
        .ends_with("#stratalint-report@0.1.0"));
    assert_eq!(records[0]["target"]["name"], "stratalint_report");
}

#[test]
fn no_findings_is_build_finished_only() {
    let out = render(Format::RustcJson, &report(&[], Path::new(".")));
    assert_eq!(out, "{\"reason\":\"build-finished\",\"success\":true}\n");
}
