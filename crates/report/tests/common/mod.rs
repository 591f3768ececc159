//! Builders for the diagnostics the format tests render.

#![allow(dead_code)] // each test binary uses a different part

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use stratalint_engine::rule::{register_doc_families, RuleMeta};
use stratalint_engine::{Diagnostic, Family, Loc, Position, Severity};
use stratalint_report::{Format, Report};

pub static BLOCKING: RuleMeta = RuleMeta {
    id: "blocking-call-in-async",
    family: Family::Async,
    severity: Severity::Error,
    doc: "---\nid: blocking-call-in-async\nsummary: blocking call in async fn\n---\n",
    default_enabled: true,
};

pub static FILE_NAME: RuleMeta = RuleMeta {
    id: "file-name-case",
    family: Family::Naming,
    severity: Severity::Warning,
    doc: "---\nid: file-name-case\nsummary: file names are snake_case\n---\n",
    default_enabled: true,
};

/// A security rule with a full page: sections, a security severity, a precision.
pub static SQL: RuleMeta = RuleMeta {
    id: "sql-injection",
    family: Family::Security,
    severity: Severity::Error,
    doc: "---\nid: sql-injection\nsummary: SQL built from non-constant parts\nprecision: medium\n\
          security-severity: \"8.8\"\n---\n# sql-injection\n\n## What it does\nFlags SQL built at \
          runtime.\n\n## Why is this bad?\nInjection.\n\n## Example\n```rust,bad path=src/a.rs\n\
          query(&format!(\"{x}\"))\n```\n",
    default_enabled: true,
};

pub static METAS: [&RuleMeta; 3] = [&BLOCKING, &FILE_NAME, &SQL];

/// An input-validation rule: a security rule to code scanning, with its own family.
pub static VALIDATION: RuleMeta = RuleMeta {
    id: "unvalidated-request-dto",
    family: Family::Validation,
    severity: Severity::Error,
    doc: "---\nid: unvalidated-request-dto\nsummary: request DTOs without validation rules\n\
          security-severity: \"5.3\"\n---\n# unvalidated-request-dto\n\n## What it does\nFlags \
          request DTOs without rules.\n\n## Why is this bad?\nUnchecked input.\n",
    default_enabled: true,
};

/// `docs_url` needs the families registered; the first call in a test binary wins.
pub fn register() {
    register_doc_families(&[&BLOCKING, &FILE_NAME, &SQL, &VALIDATION]);
}

/// The location of the `nth` (0-based) occurrence of `needle` in `text`, positions computed the way
/// the engine does (1-based, chars, BOM excluded).
pub fn loc(file: &str, text: &str, needle: &str, nth: usize) -> Loc {
    let start = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} not in text"))
        .0;
    let end = start + needle.len();
    Loc {
        file: Arc::from(file),
        start,
        end,
        start_pos: position(text, start),
        end_pos: position(text, end),
        item: Arc::from("fn handler"),
        snippet_hash: stratalint_engine::diagnostic::normalized_hash(needle),
    }
}

fn position(text: &str, offset: usize) -> Position {
    let before = text[..offset]
        .strip_prefix('\u{feff}')
        .unwrap_or(&text[..offset]);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Position {
        line: before.matches('\n').count() as u32 + 1,
        column: before[line_start..].chars().count() as u32 + 1,
    }
}

pub fn error(loc: Loc, message: &str) -> Diagnostic {
    Diagnostic::new(
        BLOCKING.id,
        BLOCKING.family,
        BLOCKING.severity,
        loc,
        message,
    )
}

pub fn report<'a>(diagnostics: &'a [Diagnostic], root: &'a Path) -> Report<'a> {
    Report {
        diagnostics,
        root,
        metas: &METAS,
        files_checked: 12,
        elapsed: Duration::from_millis(1234),
        color: false,
        version: "0.1.0",
        sources: None,
    }
}

pub fn render(format: Format, report: &Report<'_>) -> String {
    let mut out = Vec::new();
    stratalint_report::write(format, report, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// In the OASIS schema's `run.language` pattern, a `]` without its `[`: ECMAScript (Annex B)
/// reads it as a literal, but jsonschema's stricter regex check refuses the whole schema. The
/// escaped form means the same; nothing of ours emits `language` anyway.
const LANGUAGE_PATTERN: (&str, &str) = (
    r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#,
    r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#,
);

/// The OASIS SARIF 2.1.0 schema, from `shared/schemas` beside the repository (where CI has it),
/// with [`LANGUAGE_PATTERN`] escaped.
pub fn sarif_schema() -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/schemas/sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the SARIF schema is expected at {} (shared/ beside the repository): {e}",
            path.display()
        )
    });
    let text = text.replace(LANGUAGE_PATTERN.0, LANGUAGE_PATTERN.1);
    serde_json::from_str(&text).expect("the SARIF schema is JSON")
}

/// Validate a SARIF log against the official schema; the errors, if any.
pub fn sarif_schema_errors(log: &serde_json::Value) -> Vec<String> {
    let schema = sarif_schema();
    let validator = jsonschema::draft7::new(&schema).expect("the SARIF schema compiles");
    validator
        .iter_errors(log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

/// The fields GitHub code scanning requires (docs: sarif-support), and the invariants between
/// them: every result's `ruleIndex` names its `ruleId`, positions are 1-based.
pub fn assert_github_fields(log: &serde_json::Value) {
    let s = |v: &serde_json::Value, what: &str| {
        assert!(
            v.as_str().is_some_and(|s| !s.is_empty()),
            "{what} is not a non-empty string: {v}"
        );
    };
    assert!(log["$schema"].is_string());
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1, "exactly one run");
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "stratalint");
    s(&driver["semanticVersion"], "semanticVersion");
    s(&driver["informationUri"], "informationUri");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert_eq!(run["automationDetails"]["id"], "stratalint/");
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    let root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        root.starts_with("file:///") && root.ends_with('/'),
        "{root}"
    );
    let rules = driver["rules"].as_array().expect("rules");
    for rule in rules {
        s(&rule["id"], "rule id");
        s(&rule["name"], "rule name");
        s(&rule["shortDescription"]["text"], "shortDescription");
        assert!(
            rule["shortDescription"]["text"]
                .as_str()
                .unwrap()
                .chars()
                .count()
                <= 1024
        );
        s(&rule["fullDescription"]["text"], "fullDescription");
        s(&rule["help"]["text"], "help.text");
        s(&rule["helpUri"], "helpUri");
        let level = rule["defaultConfiguration"]["level"].as_str().unwrap();
        assert!(["error", "warning", "note"].contains(&level));
        let tags = rule["properties"]["tags"].as_array().unwrap();
        assert!(!tags.is_empty() && tags.len() <= 10);
    }
    let results = run["results"].as_array().expect("results");
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"], "ruleIndex of {r}");
        s(&r["message"]["text"], "message.text");
        s(
            &r["partialFingerprints"]["primaryLocationLineHash"],
            "primaryLocationLineHash",
        );
        let locations = r["locations"].as_array().unwrap();
        assert_eq!(locations.len(), 1);
        let physical = &locations[0]["physicalLocation"];
        let uri = physical["artifactLocation"]["uri"].as_str().unwrap();
        assert!(!uri.starts_with('/') && !uri.contains("://"), "{uri}");
        assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let region = &physical["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
        for key in ["startColumn", "endLine", "endColumn"] {
            if let Some(v) = region.get(key) {
                assert!(v.as_u64().unwrap() >= 1, "{key} in {region}");
            }
        }
    }
}
