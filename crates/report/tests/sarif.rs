//! The SARIF log field by field, on findings built by hand: rule descriptors from the pages,
//! regions (non-ASCII columns, file-level, files that are gone), URIs, fingerprints.

mod common;

use std::path::Path;
use std::sync::Arc;

use common::{error, loc, register, render, report, FILE_NAME, SQL, VALIDATION};
use serde_json::{json, Value};
use stratalint_engine::{Diagnostic, Loc, Severity};
use stratalint_report::Format;

const TEXT: &str =
    "\u{feff}async fn handler() {\n    let s = \"日本\"; std::thread::sleep(é);\n}\n";

fn findings() -> Vec<Diagnostic> {
    let mut sleep = error(
        loc("src/a b.rs", TEXT, "std::thread::sleep(é)", 0),
        "blocking sleep in an async fn",
    )
    .with_help("use `tokio::time::sleep(..).await`")
    .with_secondary(
        loc("src/a b.rs", TEXT, "async fn handler()", 0),
        "this function is async",
    );
    sleep.fingerprint = "00112233aabbccdd:1".into();
    let mut file_level = Diagnostic::new(
        FILE_NAME.id,
        FILE_NAME.family,
        FILE_NAME.severity,
        Loc::file_start(Arc::from("src/Bé#1.rs")),
        "file name is not snake_case",
    );
    file_level.fingerprint = "ffeeddccbbaa9988:1".into();
    let mut info = error(loc("src/a b.rs", TEXT, "handler", 0), "an info");
    info.severity = Severity::Info;
    info.fingerprint = "0123456789abcdef:1".into();
    let mut sql = Diagnostic::new(
        SQL.id,
        SQL.family,
        SQL.severity,
        loc("src/a b.rs", TEXT, "\"日本\"", 0),
        "SQL from parts",
    );
    sql.fingerprint = "1111111111111111:1".into();
    // A rule that is not among the report's metas still gets a descriptor.
    let mut unknown = error(loc("src/a b.rs", TEXT, "async", 0), "from elsewhere");
    unknown.rule = "internal-error";
    unknown.fingerprint = "2222222222222222:1".into();
    vec![file_level, info, sql, sleep, unknown]
}

fn log() -> Value {
    register();
    let diags = findings();
    // The root does not exist: SARIF never reads files.
    let out = render(
        Format::Sarif,
        &report(&diags, Path::new("/nonexistent/my app")),
    );
    assert!(out.ends_with("}\n"));
    serde_json::from_str(&out).unwrap()
}

fn rule<'a>(log: &'a Value, id: &str) -> &'a Value {
    log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no rule {id}"))
}

#[test]
fn valid_and_complete() {
    let log = log();
    let errors = common::sarif_schema_errors(&log);
    assert!(errors.is_empty(), "{errors:#?}\n{log:#}");
    common::assert_github_fields(&log);
    // The validation has teeth: 0-based columns and a missing message are caught.
    let mut broken = log.clone();
    broken["runs"][0]["results"][3]["locations"][0]["physicalLocation"]["region"]["startColumn"] =
        json!(0);
    broken["runs"][0]["results"][1]
        .as_object_mut()
        .unwrap()
        .remove("message");
    assert_eq!(common::sarif_schema_errors(&broken).len(), 2);
    let run = &log["runs"][0];
    assert_eq!(
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        "file:///nonexistent/my%20app/"
    );
    assert_eq!(run["tool"]["driver"]["semanticVersion"], "0.1.0");
    assert_eq!(
        run["tool"]["driver"]["informationUri"],
        "https://github.com/stratalint/stratalint"
    );
    let ids: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "blocking-call-in-async",
            "file-name-case",
            "sql-injection",
            "internal-error"
        ]
    );
}

#[test]
fn rule_descriptors_come_from_the_pages() {
    let log = log();
    let sql = rule(&log, "sql-injection");
    assert_eq!(sql["name"], "sql-injection");
    assert_eq!(
        sql["shortDescription"]["text"],
        "SQL built from non-constant parts"
    );
    assert_eq!(
        sql["fullDescription"]["text"],
        "Flags SQL built at runtime."
    );
    assert_eq!(
        sql["help"]["text"],
        "Injection.\n\nDocumentation: https://github.com/stratalint/stratalint/blob/main/rules/security/sql-injection.md"
    );
    let markdown = sql["help"]["markdown"].as_str().unwrap();
    assert!(markdown.starts_with("# sql-injection\n"), "{markdown}");
    assert!(markdown.contains("\n```rust\nquery("), "{markdown}");
    assert_eq!(
        sql["helpUri"],
        "https://github.com/stratalint/stratalint/blob/main/rules/security/sql-injection.md"
    );
    assert_eq!(sql["defaultConfiguration"]["level"], "error");
    assert_eq!(
        sql["properties"],
        json!({"tags": ["security"], "precision": "medium", "problem.severity": "error",
               "security-severity": "8.8"})
    );

    // Pages without sections fall back to the summary; no security severity is made up.
    let file_name = rule(&log, "file-name-case");
    assert_eq!(
        file_name["fullDescription"]["text"],
        "file names are snake_case"
    );
    assert_eq!(file_name["defaultConfiguration"]["level"], "warning");
    assert_eq!(
        file_name["properties"],
        json!({"tags": ["naming"], "precision": "high", "problem.severity": "warning"})
    );
    assert_eq!(
        rule(&log, "internal-error")["shortDescription"]["text"],
        "internal-error"
    );
}

/// An input-validation rule is a security rule to GitHub: tagged `security` besides its family,
/// with the security severity of its page.
#[test]
fn validation_rule_descriptors_are_security_rules() {
    register();
    let mut finding = Diagnostic::new(
        VALIDATION.id,
        VALIDATION.family,
        VALIDATION.severity,
        loc("src/a b.rs", TEXT, "handler", 0),
        "request DTO `UserCreate` has no validation",
    );
    finding.fingerprint = "3333333333333333:1".into();
    let diags = [finding];
    let metas = [&VALIDATION];
    let out = render(
        Format::Sarif,
        &stratalint_report::Report {
            metas: &metas,
            ..report(&diags, Path::new("/nonexistent/my app"))
        },
    );
    let log: Value = serde_json::from_str(&out).unwrap();
    let errors = common::sarif_schema_errors(&log);
    assert!(errors.is_empty(), "{errors:#?}\n{log:#}");
    let dto = rule(&log, "unvalidated-request-dto");
    assert_eq!(
        dto["properties"],
        json!({"tags": ["validation", "security"], "precision": "high", "problem.severity": "error",
               "security-severity": "5.3"})
    );
    assert_eq!(
        dto["helpUri"],
        "https://github.com/stratalint/stratalint/blob/main/rules/validation/unvalidated-request-dto.md"
    );
    assert_eq!(
        log["runs"][0]["results"][0]["ruleId"],
        "unvalidated-request-dto"
    );
    assert_eq!(log["runs"][0]["results"][0]["ruleIndex"], 0);
}

#[test]
fn results() {
    let log = log();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 5);
    // File-level: a line only, the URI percent-encoded.
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"],
        json!({"artifactLocation": {"uri": "src/B%C3%A9%231.rs", "uriBaseId": "%SRCROOT%"},
               "region": {"startLine": 1}})
    );
    assert_eq!(results[0]["level"], "warning");
    assert_eq!(results[0]["ruleIndex"], 1);
    assert_eq!(results[1]["level"], "note");
    // Columns count chars, not bytes or UTF-16 units; the BOM is not counted; ends exclusive.
    assert_eq!(
        results[2]["locations"][0]["physicalLocation"]["region"],
        json!({"startLine": 2, "startColumn": 13, "endLine": 2, "endColumn": 17})
    );
    let sleep = &results[3];
    assert_eq!(
        sleep["message"]["text"],
        "blocking sleep in an async fn\nhelp: use `tokio::time::sleep(..).await`"
    );
    assert_eq!(
        sleep["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "src/a%20b.rs"
    );
    assert_eq!(
        sleep["locations"][0]["physicalLocation"]["region"],
        json!({"startLine": 2, "startColumn": 19, "endLine": 2, "endColumn": 40})
    );
    assert_eq!(
        sleep["partialFingerprints"],
        json!({"primaryLocationLineHash": "00112233aabbccdd:1"})
    );
    assert_eq!(
        sleep["relatedLocations"],
        json!([{"id": 0, "message": {"text": "this function is async"}, "physicalLocation": {
            "artifactLocation": {"uri": "src/a%20b.rs", "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 19}}}])
    );
    assert_eq!(results[4]["ruleIndex"], 3);
}

#[test]
fn no_findings() {
    register();
    let out = render(Format::Sarif, &report(&[], Path::new(".")));
    let log: Value = serde_json::from_str(&out).unwrap();
    assert!(common::sarif_schema_errors(&log).is_empty());
    common::assert_github_fields(&log);
    assert_eq!(log["runs"][0]["results"], json!([]));
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn uris_start_at_the_repository_root() {
    register();
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().canonicalize().unwrap();
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    let project = repo.join("my backend");
    std::fs::create_dir_all(&project).unwrap();
    let diags = findings();
    let log: Value =
        serde_json::from_str(&render(Format::Sarif, &report(&diags, &project))).unwrap();
    let run = &log["runs"][0];
    assert_eq!(
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        format!("file://{}/", repo.display())
    );
    assert_eq!(
        run["results"][3]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "my%20backend/src/a%20b.rs"
    );
    assert_eq!(
        run["results"][3]["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "my%20backend/src/a%20b.rs"
    );
}
