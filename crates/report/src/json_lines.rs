//! The `json-lines` format: one JSON object per finding per line, the same object as an element of
//! the `json` format's `diagnostics` (docs/output-json.md). Nothing else is printed, so no findings
//! is empty output, and the stream can be read line by line as it arrives.

use std::io::{self, Write};

use crate::json::JsonDiagnostic;
use crate::Report;

pub(crate) fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    for d in report.diagnostics {
        // serde_json escapes control characters, so a message spanning lines stays on one.
        serde_json::to_writer(&mut *out, &JsonDiagnostic::of(d))?;
        writeln!(out)?;
    }
    Ok(())
}
