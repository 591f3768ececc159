//! The `human` format: one miette graphical report per finding, then the summary line.

use std::fmt;
use std::io::{self, Write};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use stratalint_engine::{Diagnostic, Severity};

use crate::files::{is_file_level, Files};
use crate::source::{IndexedSource, Location};
use crate::Report;

/// Wide enough for a snippet and its labels without asking the terminal, so output does not
/// change between a terminal, a pipe and CI.
const WIDTH: usize = 100;

pub(crate) fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    // One handler for the whole run: building one per finding would redo the theme setup each time.
    let theme = if report.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    // Snippets stay plain even if another crate in the build enables miette's syntect feature.
    // Without colour the docs URL is printed as text: a terminal hyperlink escape is noise in a
    // log file.
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(WIDTH)
        .with_links(report.color)
        .without_syntax_highlighting();
    let mut files = Files::new(report);
    let mut buf = String::new();
    for d in report.diagnostics {
        buf.clear();
        let source = if is_file_level(&d.loc) {
            None
        } else {
            files.get(&d.loc.file)
        };
        render(&handler, d, source, &mut buf);
        out.write_all(buf.as_bytes())?;
        writeln!(out)?;
    }
    writeln!(out, "{}", crate::summary(report))
}

fn render(
    handler: &GraphicalReportHandler,
    d: &Diagnostic,
    source: Option<&IndexedSource>,
    buf: &mut String,
) {
    let url = d.docs_url();
    if let Some(source) = source {
        if let Some(labels) = labels(d, source) {
            let report = Finding {
                d,
                url: &url,
                source,
                labels,
            };
            if handler.render_report(buf, &report).is_ok() {
                return;
            }
            // miette refused the snippet after all; fall back to the location only.
            buf.clear();
        }
    }
    let location = Location {
        name: d.loc.file.clone(),
        line: d.loc.start_pos.line.saturating_sub(1) as usize,
        column: d.loc.start_pos.column.saturating_sub(1) as usize,
    };
    let report = Finding {
        d,
        url: &url,
        source: &location,
        labels: vec![LabeledSpan::new_primary_with_span(None, 0..0)],
    };
    // Without source text miette has nothing left that can fail.
    let _ = handler.render_report(buf, &report);
}

/// The primary label and the secondary labels that can be shown, or `None` when the primary range
/// is not in `source` (the file changed since it was checked). Secondary labels in another file or
/// out of range are left out rather than losing the whole snippet.
fn labels(d: &Diagnostic, source: &IndexedSource) -> Option<Vec<LabeledSpan>> {
    let primary = source.span(d.loc.start, d.loc.end)?;
    let text = d.label.clone().unwrap_or_else(|| d.message.clone());
    let mut labels = vec![LabeledSpan::new_primary_with_span(Some(text), primary)];
    labels.extend(d.labels.iter().filter_map(|l| {
        let span = (l.loc.file == d.loc.file)
            .then(|| source.span(l.loc.start, l.loc.end))
            .flatten()?;
        Some(LabeledSpan::new_with_span(Some(l.message.clone()), span))
    }));
    Some(labels)
}

/// A diagnostic as miette sees it.
struct Finding<'a> {
    d: &'a Diagnostic,
    url: &'a str,
    source: &'a dyn SourceCode,
    labels: Vec<LabeledSpan>,
}

impl fmt::Debug for Finding<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.d, f)
    }
}

impl fmt::Display for Finding<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl std::error::Error for Finding<'_> {}

impl miette::Diagnostic for Finding<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.d.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let help = self.d.help.as_ref()?;
        Some(Box::new(help))
    }

    fn url<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.url))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}
