//! The `github` format: GitHub Actions workflow commands, which the runner turns into annotations
//! on the pull request and the run summary:
//!
//! `::error file=src/a.rs,line=2,endLine=2,col=5,endColumn=26,title=stratalint (rule-id)::message`
//!
//! `error`, `warning` and `notice` follow the severity. `col`/`endColumn` are only given when the
//! range is on one line (GitHub misplaces multi-line ranges with columns), and not at all for
//! findings about a whole file. The summary line follows as plain log text.

use std::io::{self, Write};

use stratalint_engine::{Diagnostic, Severity};

use crate::files::{is_file_level, repository_base};
use crate::Report;

pub(crate) fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let (_, prefix) = repository_base(report.root);
    for d in report.diagnostics {
        writeln!(out, "{}", annotation(d, &prefix))?;
    }
    writeln!(out, "{}", crate::summary(report))
}

/// One workflow command. `prefix`: the project root's path in the repository, since the runner
/// resolves `file` against the checkout.
pub(crate) fn annotation(d: &Diagnostic, prefix: &str) -> String {
    let command = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let (start, end) = (d.loc.start_pos, d.loc.end_pos);
    let mut properties = vec![("file", format!("{prefix}{}", d.loc.file))];
    if is_file_level(&d.loc) {
        properties.push(("line", "1".to_string()));
    } else {
        properties.push(("line", start.line.to_string()));
        properties.push(("endLine", end.line.to_string()));
        if start.line == end.line {
            properties.push(("col", start.column.to_string()));
            properties.push(("endColumn", end.column.to_string()));
        }
    }
    properties.push(("title", format!("stratalint ({})", d.rule)));
    let properties: Vec<String> = properties
        .iter()
        .map(|(key, value)| format!("{key}={}", escape_property(value)))
        .collect();
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!(
        "::{command} {}::{}",
        properties.join(","),
        escape_data(&message)
    )
}

/// The message of a command: `%`, CR and LF are escaped so the command stays on one line and the
/// runner restores them.
pub(crate) fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// A property value: as [`escape_data`], plus `:` and `,`, which end a value.
pub(crate) fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("100% a\r\nb: c, d"), "100%25 a%0D%0Ab: c, d");
        assert_eq!(
            escape_property("src/a,b:c%\nd.rs"),
            "src/a%2Cb%3Ac%25%0Ad.rs"
        );
        // An escape sequence already in the text is escaped, not passed through.
        assert_eq!(escape_data("%0A"), "%250A");
        assert_eq!(escape_property("%3A"), "%253A");
        assert_eq!(escape_data("日本 é"), "日本 é");
    }
}
