//! The counts every format reports, and the one-line summary printed after human and concise output.

use std::collections::HashSet;

use stratalint_engine::Severity;

use crate::Report;

/// Totals over a report's diagnostics.
pub(crate) struct Counts {
    pub(crate) errors: usize,
    pub(crate) warnings: usize,
    pub(crate) infos: usize,
    pub(crate) files_with_findings: usize,
}

impl Counts {
    pub(crate) fn of(report: &Report<'_>) -> Counts {
        let mut counts = Counts {
            errors: 0,
            warnings: 0,
            infos: 0,
            files_with_findings: 0,
        };
        // A set rather than counting file changes, so the total does not depend on the sort order.
        let mut files = HashSet::new();
        for d in report.diagnostics {
            match d.severity {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
                Severity::Info => counts.infos += 1,
            }
            files.insert(&*d.loc.file);
        }
        counts.files_with_findings = files.len();
        counts
    }
}

/// `n` followed by `word`, with an `s` unless `n` is 1.
fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

pub(crate) fn line(report: &Report<'_>) -> String {
    let checked = format!(
        "{} checked in {:.2}s",
        count(report.files_checked, "file"),
        report.elapsed.as_secs_f64()
    );
    if report.diagnostics.is_empty() {
        return format!("No findings; {checked}");
    }
    let c = Counts::of(report);
    let mut s = format!(
        "{}, {}",
        count(c.errors, "error"),
        count(c.warnings, "warning")
    );
    if c.infos > 0 {
        s.push_str(", ");
        s.push_str(&count(c.infos, "info"));
    }
    format!("{s} in {}; {checked}", count(c.files_with_findings, "file"))
}
