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

pub static METAS: [&RuleMeta; 2] = [&BLOCKING, &FILE_NAME];

/// `docs_url` needs the families registered; the first call in a test binary wins.
pub fn register() {
    register_doc_families(&METAS);
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
