//! The SARIF of real runs against the official schema and GitHub's required fields: the bundled
//! violating fixture with every rule on, and a run without findings. (Microsoft's SARIF Multitool
//! validates the same output in `scripts/e2e.sh sarif`.)

mod common;

use std::path::{Path, PathBuf};

use serde_json::Value;
use stratalint_engine::{CheckOptions, CheckResult};
use stratalint_report::{Format, Report};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn check(path: &Path) -> CheckResult {
    let opts = CheckOptions {
        paths: vec![path.to_path_buf()],
        cwd: repo(),
        select: vec!["ALL".to_string()],
        jobs: Some(2),
        // the fixtures are checked in place: leave no cache in them
        no_cache: true,
        ..CheckOptions::default()
    };
    stratalint_engine::check(&opts, stratalint_rules::all()).expect("the check runs")
}

fn sarif(result: &CheckResult) -> Value {
    let report = Report {
        diagnostics: &result.diagnostics,
        root: &result.root,
        metas: &result.metas,
        files_checked: result.files_checked,
        elapsed: result.elapsed,
        color: false,
        version: "0.1.0",
        sources: None,
    };
    serde_json::from_str(&common::render(Format::Sarif, &report)).expect("SARIF is JSON")
}

#[test]
fn the_schema_is_draft_07() {
    jsonschema::draft7::meta::validate(&common::sarif_schema()).expect("valid draft-07");
}

#[test]
fn sarif_of_the_violations_fixture() {
    let result = check(&repo().join("fixtures/violations"));
    assert!(result.diagnostics.len() >= 5);
    let log = sarif(&result);
    let errors = common::sarif_schema_errors(&log);
    assert!(errors.is_empty(), "{errors:#?}");
    common::assert_github_fields(&log);

    let run = &log["runs"][0];
    // Every rule that ran is described, in the order of the run's metas.
    let ids: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let metas: Vec<&str> = result.metas.iter().map(|m| m.id).collect();
    assert_eq!(ids, metas);
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), result.diagnostics.len());
    // URIs are relative to the repository checkout the fixture is in (GitHub resolves them
    // there), or to the project root when there is no checkout.
    let root = result.root.canonicalize().unwrap();
    let checkout = root.ancestors().find(|d| d.join(".git").exists());
    let prefix = match checkout {
        Some(c) if c != root => format!(
            "{}/",
            root.strip_prefix(c)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        ),
        _ => String::new(),
    };
    for (r, d) in results.iter().zip(&result.diagnostics) {
        assert_eq!(r["ruleId"], d.rule);
        assert_eq!(
            r["partialFingerprints"]["primaryLocationLineHash"],
            d.fingerprint.as_str()
        );
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            format!("{prefix}{}", d.loc.file)
        );
    }
    // A file-level finding gives a line only; a located one the full 1-based region.
    let file_level = results
        .iter()
        .find(|r| r["ruleId"] == "file-name-snake-case")
        .unwrap();
    assert_eq!(
        file_level["locations"][0]["physicalLocation"]["region"],
        serde_json::json!({"startLine": 1})
    );
    let sql = results
        .iter()
        .find(|r| r["ruleId"] == "sql-injection")
        .unwrap();
    let region = &sql["locations"][0]["physicalLocation"]["region"];
    for key in ["startLine", "startColumn", "endLine", "endColumn"] {
        assert!(region[key].as_u64().unwrap() >= 1);
    }
    assert_eq!(sql["relatedLocations"][0]["message"]["text"], "built here");
    let srcroot = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    let base = checkout
        .unwrap_or(&root)
        .to_string_lossy()
        .replace('\\', "/");
    assert!(
        srcroot.ends_with(&format!("{}/", base.trim_start_matches('/'))),
        "{srcroot}"
    );
}

#[test]
fn sarif_without_findings() {
    let result = check(&repo().join("fixtures/clean"));
    assert!(result.diagnostics.is_empty());
    let log = sarif(&result);
    let errors = common::sarif_schema_errors(&log);
    assert!(errors.is_empty(), "{errors:#?}");
    common::assert_github_fields(&log);
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    assert!(!log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .is_empty());
}
