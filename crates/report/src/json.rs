//! The `json` format. Its shape is a public contract, documented in `docs/output-json.md` and
//! `docs/stratalint.schema.json`: add fields freely, but bump `SCHEMA_VERSION` before renaming,
//! removing or retyping one.

use std::io::{self, Write};

use serde::Serialize;
use stratalint_engine::{Diagnostic, Family, Loc, Severity};

use crate::summary::Counts;
use crate::Report;

const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: &'a str,
    schema_version: u32,
    summary: Summary,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    infos: usize,
    files_with_findings: usize,
    files_checked: usize,
    elapsed_ms: u64,
}

/// One finding, as `json` lists it and `json-lines` prints it.
#[derive(Serialize)]
pub(crate) struct JsonDiagnostic<'a> {
    rule: &'a str,
    family: Family,
    severity: Severity,
    message: &'a str,
    label: Option<&'a str>,
    help: Option<&'a str>,
    file: &'a str,
    #[serde(flatten)]
    range: Range,
    labels: Vec<JsonLabel<'a>>,
    fingerprint: &'a str,
    docs_url: String,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    message: &'a str,
    #[serde(flatten)]
    range: Range,
}

#[derive(Serialize)]
struct Range {
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    byte_start: usize,
    byte_end: usize,
}

impl Range {
    fn of(loc: &Loc) -> Range {
        Range {
            line: loc.start_pos.line,
            column: loc.start_pos.column,
            end_line: loc.end_pos.line,
            end_column: loc.end_pos.column,
            byte_start: loc.start,
            byte_end: loc.end,
        }
    }
}

impl<'a> JsonDiagnostic<'a> {
    pub(crate) fn of(d: &'a Diagnostic) -> JsonDiagnostic<'a> {
        JsonDiagnostic {
            rule: d.rule,
            family: d.family,
            severity: d.severity,
            message: &d.message,
            label: d.label.as_deref(),
            help: d.help.as_deref(),
            file: &d.loc.file,
            range: Range::of(&d.loc),
            labels: d
                .labels
                .iter()
                .map(|l| JsonLabel {
                    message: &l.message,
                    range: Range::of(&l.loc),
                })
                .collect(),
            fingerprint: &d.fingerprint,
            docs_url: d.docs_url(),
        }
    }
}

pub(crate) fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let counts = Counts::of(report);
    let doc = Document {
        version: report.version,
        schema_version: SCHEMA_VERSION,
        summary: Summary {
            errors: counts.errors,
            warnings: counts.warnings,
            infos: counts.infos,
            files_with_findings: counts.files_with_findings,
            files_checked: report.files_checked,
            elapsed_ms: u64::try_from(report.elapsed.as_millis()).unwrap_or(u64::MAX),
        },
        diagnostics: report.diagnostics.iter().map(JsonDiagnostic::of).collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
