//! stratalint's output formats. Every format reads the same [`Report`], so the CLI decides once
//! what was found and how it is shown, and formats cannot disagree about counts or order.

mod concise;
mod files;
mod github;
mod human;
mod json;
mod json_lines;
mod junit;
mod packages;
mod rustc_json;
mod sarif;
mod source;
mod summary;
mod uri;

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use stratalint_engine::{Diagnostic, RuleMeta};

/// An output format (`--format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// miette reports with source snippets, for people at a terminal.
    Human,
    /// One `path:line:col: severity[rule] message` line per finding, for editors and grep.
    Concise,
    /// One JSON document, described by `docs/stratalint.schema.json`.
    Json,
    /// One JSON object per finding per line: the `json` format's diagnostics.
    JsonLines,
    /// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…::…`), shown as annotations.
    Github,
    /// JUnit XML, one test case per finding, for CI test-report views.
    Junit,
    /// Cargo `compiler-message` lines, for `rust-analyzer.check.overrideCommand`.
    RustcJson,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 8] = [
        Format::Human,
        Format::Concise,
        Format::Json,
        Format::JsonLines,
        Format::Sarif,
        Format::Github,
        Format::Junit,
        Format::RustcJson,
    ];

    /// A document for programs (json, sarif, junit, …): nothing else may be written around it.
    pub fn is_document(&self) -> bool {
        matches!(
            self,
            Format::Json | Format::JsonLines | Format::Sarif | Format::Junit | Format::RustcJson
        )
    }

    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == s)
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Concise => "concise",
            Format::Json => "json",
            Format::JsonLines => "json-lines",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Junit => "junit",
            Format::RustcJson => "rustc-json",
        }
    }
}

/// What a check produced, plus what the formats need to present it.
pub struct Report<'a> {
    /// Sorted by [`Diagnostic::sort_key`], with fingerprints assigned.
    pub diagnostics: &'a [Diagnostic],
    /// The project root that `Loc::file` is relative to. The human and rustc-json formats read
    /// files from it (for snippets and line texts), each at most once and only when it has a
    /// finding, and rustc-json the Cargo.toml files of their packages; sarif and github make paths
    /// relative to the git checkout around it, as GitHub resolves them.
    pub root: &'a Path,
    /// The rules that ran, for formats that describe rules as well as findings.
    pub metas: &'a [&'static RuleMeta],
    pub files_checked: usize,
    pub elapsed: Duration,
    /// Whether to emit ANSI colours; the caller resolves `--color`, TTY detection and `NO_COLOR`.
    pub color: bool,
    /// The tool version, recorded in machine-readable output.
    pub version: &'a str,
    /// File texts by relative path that take precedence over the disk, for input that never was
    /// on disk (stdin) or has changed since it was checked.
    pub sources: Option<&'a HashMap<String, Arc<str>>>,
}

/// Write `report` in `format`. Output is buffered here, so `out` may be a raw stdout handle.
pub fn write(format: Format, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let mut out = io::BufWriter::new(out);
    match format {
        Format::Human => human::write(report, &mut out)?,
        Format::Concise => concise::write(report, &mut out)?,
        Format::Json => json::write(report, &mut out)?,
        Format::JsonLines => json_lines::write(report, &mut out)?,
        Format::Sarif => sarif::write(report, &mut out)?,
        Format::Github => github::write(report, &mut out)?,
        Format::Junit => junit::write(report, &mut out)?,
        Format::RustcJson => rustc_json::write(report, &mut out)?,
    }
    out.flush()
}

/// The line that closes human and concise output, e.g.
/// `2 errors, 1 warning in 2 files; 40 files checked in 0.12s`.
pub fn summary(report: &Report<'_>) -> String {
    summary::line(report)
}
