mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::{error, loc, register, render, report, FILE_NAME};
use serde_json::{json, Value};
use stratalint_engine::{Diagnostic, Family, Loc, Severity};
use stratalint_report::Format;

const TEXT: &str = "\u{feff}async fn handler() {\n    std::thread::sleep(é);\n}\n";

fn docs(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs")
        .join(name)
}

fn schema() -> Value {
    serde_json::from_str(&std::fs::read_to_string(docs("stratalint.schema.json")).unwrap()).unwrap()
}

fn findings() -> Vec<Diagnostic> {
    let mut sleep = error(
        loc("src/a.rs", TEXT, "std::thread::sleep(é)", 0),
        "blocking sleep in an async fn",
    )
    .with_help("use `tokio::time::sleep(..).await`")
    .with_secondary(
        loc("src/a.rs", TEXT, "async fn handler()", 0),
        "this function is async",
    );
    sleep.fingerprint = "00112233aabbccdd:1".into();
    let mut file_level = Diagnostic::new(
        FILE_NAME.id,
        FILE_NAME.family,
        FILE_NAME.severity,
        Loc::file_start(Arc::from("src/B.rs")),
        "file name is not snake_case",
    );
    file_level.fingerprint = "ffeeddccbbaa9988:1".into();
    let mut info = error(loc("src/a.rs", TEXT, "handler", 0), "an info").with_label("here");
    info.severity = Severity::Info;
    info.fingerprint = "0123456789abcdef:1".into();
    vec![file_level, info, sleep]
}

fn rendered() -> Value {
    register();
    let diags = findings();
    let out = render(Format::Json, &report(&diags, Path::new("/nonexistent")));
    assert!(out.ends_with("}\n"));
    serde_json::from_str(&out).unwrap()
}

#[test]
fn json_output_matches_the_schema() {
    let schema = schema();
    jsonschema::draft7::meta::validate(&schema).expect("the schema is valid draft-07");
    let validator = jsonschema::draft7::new(&schema).unwrap();
    let doc = rendered();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{doc:#}");

    // The schema would catch a field going missing from the output.
    for pointer in ["", "/summary", "/diagnostics/0", "/diagnostics/2/labels/0"] {
        let keys: Vec<String> = doc
            .pointer(pointer)
            .unwrap()
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        for key in keys {
            let mut broken = doc.clone();
            broken
                .pointer_mut(pointer)
                .unwrap()
                .as_object_mut()
                .unwrap()
                .remove(&key);
            assert!(
                !validator.is_valid(&broken),
                "{pointer}/{key} is not required by the schema"
            );
        }
    }
}

/// Every field the output has is documented, in the schema and in docs/output-json.md, so adding a
/// field without documenting it fails here.
#[test]
fn every_json_field_is_documented() {
    let schema = schema();
    let doc = rendered();
    let markdown = std::fs::read_to_string(docs("output-json.md")).unwrap();
    let objects = [
        ("", "", "/required"),
        (
            "/summary",
            "/properties/summary/properties",
            "/properties/summary/required",
        ),
        (
            "/diagnostics/2",
            "/definitions/diagnostic/properties",
            "/definitions/diagnostic/required",
        ),
        (
            "/diagnostics/2/labels/0",
            "/definitions/label/properties",
            "/definitions/label/required",
        ),
    ];
    for (instance, properties, required) in objects {
        let emitted: BTreeSet<&String> = doc
            .pointer(instance)
            .unwrap()
            .as_object()
            .unwrap()
            .keys()
            .collect();
        let required: BTreeSet<&String> = schema
            .pointer(required)
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|k| match k {
                Value::String(s) => s,
                _ => panic!("{k}"),
            })
            .collect();
        assert_eq!(
            emitted, required,
            "fields of {instance:?} vs the schema's `required`"
        );
        if !properties.is_empty() {
            let described: BTreeSet<&String> = schema
                .pointer(properties)
                .unwrap()
                .as_object()
                .unwrap()
                .keys()
                .collect();
            assert_eq!(
                emitted, described,
                "fields of {instance:?} vs the schema's `properties`"
            );
        }
        for key in emitted {
            assert!(
                markdown.contains(&format!("`{key}`")),
                "docs/output-json.md does not describe `{key}`"
            );
        }
    }
    let families: Vec<Value> = Family::ALL.iter().map(|f| json!(f.as_str())).collect();
    assert_eq!(
        schema["definitions"]["diagnostic"]["properties"]["family"]["enum"],
        json!(families)
    );
}

#[test]
fn json_values() {
    let doc = rendered();
    assert_eq!(doc["version"], "0.1.0");
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(
        doc["summary"],
        json!({"errors": 1, "warnings": 1, "infos": 1, "files_with_findings": 2, "files_checked": 12, "elapsed_ms": 1234})
    );
    let d = &doc["diagnostics"];
    assert_eq!(d.as_array().unwrap().len(), 3);
    assert_eq!(
        d[0],
        json!({
            "rule": "file-name-case", "family": "naming", "severity": "warning",
            "message": "file name is not snake_case", "label": null, "help": null, "file": "src/B.rs",
            "line": 1, "column": 1, "end_line": 1, "end_column": 1, "byte_start": 0, "byte_end": 0,
            "labels": [], "fingerprint": "ffeeddccbbaa9988:1",
            "docs_url": "https://github.com/stratalint/stratalint/blob/main/rules/naming/file-name-case.md"
        })
    );
    assert_eq!(d[1]["severity"], "info");
    assert_eq!(d[1]["label"], "here");
    // Byte offsets count the 3-byte BOM and the 2-byte `é`; columns count neither.
    assert_eq!(
        d[2],
        json!({
            "rule": "blocking-call-in-async", "family": "async", "severity": "error",
            "message": "blocking sleep in an async fn", "label": null,
            "help": "use `tokio::time::sleep(..).await`", "file": "src/a.rs",
            "line": 2, "column": 5, "end_line": 2, "end_column": 26, "byte_start": 28, "byte_end": 50,
            "labels": [{
                "message": "this function is async",
                "line": 1, "column": 1, "end_line": 1, "end_column": 19, "byte_start": 3, "byte_end": 21
            }],
            "fingerprint": "00112233aabbccdd:1",
            "docs_url": "https://github.com/stratalint/stratalint/blob/main/rules/async/blocking-call-in-async.md"
        })
    );
}

#[test]
fn json_without_findings() {
    let out = render(Format::Json, &report(&[], Path::new(".")));
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["diagnostics"], json!([]));
    assert_eq!(doc["summary"]["files_with_findings"], 0);
    assert!(jsonschema::draft7::new(&schema()).unwrap().is_valid(&doc));
}
