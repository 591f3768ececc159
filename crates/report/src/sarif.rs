//! The `sarif` format: one SARIF 2.1.0 log with one run, shaped for GitHub code scanning
//! (docs/output-sarif.md lists what each field carries).
//!
//! - `tool.driver.rules` describes every rule that ran, from its page: summary, "What it does",
//!   "Why is this bad?", the whole page as markdown, the docs link, level, tags, precision and,
//!   for security rules whose page gives one, `security-severity`.
//! - Results point at files by URIs relative to `%SRCROOT%`, the repository root (GitHub resolves
//!   them against the checkout; the project root outside git), with 1-based `unicodeCodePoints`
//!   columns, end exclusive: exactly the engine's positions.
//! - `partialFingerprints.primaryLocationLineHash` is the finding's fingerprint, which survives
//!   line moves, so GitHub keeps alerts matched across commits.

use std::collections::HashMap;
use std::io::{self, Write};

use serde_json::{json, Value};
use stratalint_engine::rule::docs_url;
use stratalint_engine::{Diagnostic, Family, Loc, RuleMeta, Severity};

use crate::files::{is_file_level, repository_base};
use crate::{uri, Report};

const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");
/// GitHub keeps at most 1024 characters of a short description.
const SHORT_DESCRIPTION_MAX: usize = 1024;

pub(crate) fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(report))?;
    writeln!(out)
}

/// The whole log as a JSON value.
fn log(report: &Report<'_>) -> Value {
    let rules = Rules::of(report);
    let (base, prefix) = repository_base(report.root);
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| result(d, rules.index[d.rule], &prefix))
        .collect();
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "stratalint",
                "semanticVersion": report.version,
                "informationUri": INFORMATION_URI,
                "rules": rules.descriptors,
            }},
            "automationDetails": {"id": "stratalint/"},
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": {"%SRCROOT%": {"uri": uri::file_dir(&base)}},
            "invocations": [{"executionSuccessful": true}],
            "results": results,
        }],
    })
}

/// `tool.driver.rules` and the index of each rule id in it.
struct Rules {
    descriptors: Vec<Value>,
    index: HashMap<&'static str, usize>,
}

impl Rules {
    fn of(report: &Report<'_>) -> Rules {
        let mut rules = Rules {
            descriptors: Vec::new(),
            index: HashMap::new(),
        };
        for meta in report.metas {
            if !rules.index.contains_key(meta.id) {
                rules.index.insert(meta.id, rules.descriptors.len());
                rules.descriptors.push(descriptor(meta));
            }
        }
        // A finding of a rule that did not come with its metadata still needs a descriptor:
        // GitHub drops results whose rule it cannot find.
        for d in report.diagnostics {
            if !rules.index.contains_key(d.rule) {
                rules.index.insert(d.rule, rules.descriptors.len());
                rules.descriptors.push(bare_descriptor(d));
            }
        }
        rules
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn problem_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "recommendation",
    }
}

/// The family. GitHub treats rules tagged `security` as security rules: the security family's own
/// tag, and added to input validation (CWE-20), whose pages also carry a `security-severity`.
fn tags(family: Family) -> Vec<&'static str> {
    match family {
        Family::Validation => vec![family.as_str(), "security"],
        _ => vec![family.as_str()],
    }
}

fn descriptor(meta: &RuleMeta) -> Value {
    let url = docs_url(meta.id);
    let summary = non_empty(Some(meta.summary())).unwrap_or(meta.id);
    let what = non_empty(meta.section("What it does")).unwrap_or(summary);
    let why = non_empty(meta.section("Why is this bad?")).unwrap_or(summary);
    let mut help = json!({"text": format!("{why}\n\nDocumentation: {url}")});
    if let Some(body) = non_empty(Some(meta.body())) {
        help["markdown"] = json!(markdown(body));
    }
    let mut properties = json!({
        "tags": tags(meta.family),
        "precision": precision(meta),
        "problem.severity": problem_severity(meta.severity),
    });
    if let Some(score) = security_severity(meta) {
        properties["security-severity"] = json!(score);
    }
    json!({
        "id": meta.id,
        "name": meta.id,
        "shortDescription": {"text": truncate(summary, SHORT_DESCRIPTION_MAX)},
        "fullDescription": {"text": what},
        "help": help,
        "helpUri": url,
        "defaultConfiguration": {"level": level(meta.severity)},
        "properties": properties,
    })
}

fn bare_descriptor(d: &Diagnostic) -> Value {
    let url = docs_url(d.rule);
    json!({
        "id": d.rule,
        "name": d.rule,
        "shortDescription": {"text": d.rule},
        "fullDescription": {"text": d.rule},
        "help": {"text": format!("Documentation: {url}")},
        "helpUri": url,
        "defaultConfiguration": {"level": level(d.severity)},
        "properties": {
            "tags": tags(d.family),
            "precision": "high",
            "problem.severity": problem_severity(d.severity),
        },
    })
}

/// `precision:` from the page's front matter when it is one of SARIF's values, else `high`: rules
/// are written to be precise, and opinionated ones are off by default rather than imprecise.
fn precision(meta: &RuleMeta) -> &'static str {
    match meta.front("precision").map(unquote) {
        Some(p @ ("very-high" | "high" | "medium" | "low")) => p,
        _ => "high",
    }
}

/// `security-severity:` from the page of a security or input-validation rule: a score from 0.1 to
/// 10 (CVSS-like) that GitHub turns into critical/high/medium/low. Absent (or not a score): no
/// property, never a guess.
fn security_severity(meta: &RuleMeta) -> Option<&'static str> {
    if !matches!(meta.family, Family::Security | Family::Validation) {
        return None;
    }
    let raw = unquote(meta.front("security-severity")?);
    let score: f64 = raw.parse().ok()?;
    (score > 0.0 && score <= 10.0).then_some(raw)
}

fn unquote(s: &str) -> &str {
    let s = s.trim();
    s.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .or_else(|| s.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
        .unwrap_or(s)
}

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut t: String = s.chars().take(max - 1).collect();
    t.push('…');
    t
}

/// The page for GitHub's renderer: code fences keep their language only (`rust,bad path=…` is
/// the rule tests' annotation, and GitHub would not highlight it).
fn markdown(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    for line in body.lines() {
        let trimmed = line.trim_start();
        match trimmed.strip_prefix("```") {
            Some(info) if info.contains([',', ' ']) => {
                let indent = &line[..line.len() - trimmed.len()];
                let lang = info.split([',', ' ']).next().unwrap_or("");
                out.push_str(&format!("{indent}```{lang}"));
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// `prefix`: the project root's path in the repository (see `repository_base`).
fn result(d: &Diagnostic, rule_index: usize, prefix: &str) -> Value {
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let mut result = json!({
        "ruleId": d.rule,
        "ruleIndex": rule_index,
        "level": level(d.severity),
        "message": {"text": text},
        "locations": [{"physicalLocation": physical_location(&d.loc, prefix)}],
    });
    if !d.fingerprint.is_empty() {
        result["partialFingerprints"] = json!({"primaryLocationLineHash": d.fingerprint});
    }
    if !d.labels.is_empty() {
        let related: Vec<Value> = d
            .labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                json!({
                    "id": i,
                    "physicalLocation": physical_location(&l.loc, prefix),
                    "message": {"text": l.message},
                })
            })
            .collect();
        result["relatedLocations"] = json!(related);
    }
    result
}

fn physical_location(loc: &Loc, prefix: &str) -> Value {
    let region = if is_file_level(loc) {
        // The file as a whole: a line, without a zero-width column range.
        json!({"startLine": 1})
    } else {
        json!({
            "startLine": loc.start_pos.line,
            "startColumn": loc.start_pos.column,
            "endLine": loc.end_pos.line,
            "endColumn": loc.end_pos.column,
        })
    };
    json!({
        "artifactLocation": {
            "uri": uri::relative(&format!("{prefix}{}", loc.file)),
            "uriBaseId": "%SRCROOT%",
        },
        "region": region,
    })
}
