//! `path:line:col: severity[rule] message`, the shape compilers print, so editors' problem matchers
//! and `grep` work on it without configuration.

use std::io::{self, Write};

use stratalint_engine::Severity;

use crate::Report;

pub(crate) fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    for d in report.diagnostics {
        let pos = d.loc.start_pos;
        write!(out, "{}:{}:{}: ", d.loc.file, pos.line, pos.column)?;
        if report.color {
            let color = match d.severity {
                Severity::Error => "31",
                Severity::Warning => "33",
                Severity::Info => "34",
            };
            write!(out, "\x1b[{color}m{}\x1b[0m", d.severity)?;
        } else {
            write!(out, "{}", d.severity)?;
        }
        // A message spanning lines would break the one-finding-per-line contract.
        let message = d.message.replace(['\r', '\n'], " ");
        writeln!(out, "[{}] {message}", d.rule)?;
    }
    writeln!(out, "{}", crate::summary(report))
}
