//! The `json-lines` format: each line is one element of the `json` format's `diagnostics`.

mod common;

use std::path::Path;
use std::sync::Arc;

use common::{error, loc, register, render, report, FILE_NAME};
use serde_json::Value;
use stratalint_engine::{Diagnostic, Loc};
use stratalint_report::Format;

const TEXT: &str =
    "\u{feff}async fn handler() {\n    let s = \"日本\"; std::thread::sleep(é);\n}\n";

fn findings() -> Vec<Diagnostic> {
    let sleep = error(
        loc("src/a.rs", TEXT, "std::thread::sleep(é)", 0),
        "blocking sleep\nover two lines",
    )
    .with_help("use `tokio::time::sleep(..).await`")
    .with_secondary(
        loc("src/a.rs", TEXT, "async fn handler()", 0),
        "this function is async",
    );
    let file_level = Diagnostic::new(
        FILE_NAME.id,
        FILE_NAME.family,
        FILE_NAME.severity,
        Loc::file_start(Arc::from("src/gone/B.rs")),
        "file name is not snake_case",
    );
    vec![file_level, sleep]
}

#[test]
fn one_json_diagnostic_per_line() {
    register();
    let diags = findings();
    let root = Path::new("/nonexistent");
    let lines = render(Format::JsonLines, &report(&diags, root));
    let json: Value = serde_json::from_str(&render(Format::Json, &report(&diags, root))).unwrap();
    let parsed: Vec<Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(lines.ends_with('\n'));
    assert_eq!(parsed.len(), 2);
    assert_eq!(&parsed, json["diagnostics"].as_array().unwrap());
    assert_eq!(parsed[1]["column"], 19);
    assert_eq!(parsed[1]["message"], "blocking sleep\nover two lines");
}

#[test]
fn no_findings_is_no_output() {
    assert_eq!(render(Format::JsonLines, &report(&[], Path::new("."))), "");
}
