//! The `rustc-json` format: the JSON lines `cargo check --message-format=json` prints, so that
//! rust-analyzer shows findings in the editor when it runs stratalint as its check command
//! (`rust-analyzer.check.overrideCommand`). docs/output-rustc-json.md has the setup.
//!
//! One `compiler-message` record per finding, then `build-finished`. What rust-analyzer needs
//! (cargo_metadata's required fields, and its own mapping in flycheck_to_proto.rs):
//! - a primary span, or the diagnostic is dropped;
//! - `file_name` relative to the workspace root it runs the command in (the working directory),
//!   or absolute;
//! - `text`: the source lines of the span, from which it converts char columns to UTF-16;
//! - `code` `stratalint::<rule>`, which becomes LSP `source` "stratalint" and `code` "<rule>";
//! - `package_id` as `cargo metadata` spells it, since diagnostics are cleared per package.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use stratalint_engine::{Diagnostic, Loc, Severity};

use crate::files::{absolute_root, is_file_level, Files};
use crate::packages::{Package, Packages};
use crate::Report;

pub(crate) fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let cwd = std::env::current_dir().ok();
    write_relative_to(report, cwd.as_deref(), out)
}

/// `base`: the directory `file_name`s are relative to (files outside it get absolute paths).
pub(crate) fn write_relative_to(
    report: &Report<'_>,
    base: Option<&Path>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let root = absolute_root(report.root);
    let mut cx = Cx {
        files: Files::new(report),
        packages: Packages::new(&root),
        root,
        base: base.map(Path::to_path_buf),
    };
    for d in report.diagnostics {
        serde_json::to_writer(&mut *out, &cx.record(d))?;
        writeln!(out)?;
    }
    writeln!(out, r#"{{"reason":"build-finished","success":true}}"#)
}

struct Cx<'r> {
    files: Files<'r>,
    packages: Packages,
    root: PathBuf,
    base: Option<PathBuf>,
}

impl Cx<'_> {
    fn record(&mut self, d: &Diagnostic) -> Value {
        let package = self.packages.of(&d.loc.file);
        json!({
            "reason": "compiler-message",
            "package_id": package.id,
            "manifest_path": package.manifest_path,
            "target": target(&package),
            "message": self.message(d),
        })
    }

    fn message(&mut self, d: &Diagnostic) -> Value {
        let primary_label = d.label.as_deref();
        let mut spans = vec![self.span(&d.loc, primary_label, true)];
        for label in &d.labels {
            spans.push(self.span(&label.loc, Some(&label.message), false));
        }
        let url = d.docs_url();
        let mut children = Vec::new();
        if let Some(help) = &d.help {
            children.push(child(help));
        }
        children.push(child(&format!("for further information visit {url}")));
        let rendered = self.rendered(d, &url);
        json!({
            "$message_type": "diagnostic",
            "message": d.message,
            "code": {"code": format!("stratalint::{}", d.rule), "explanation": null},
            "level": level(d.severity),
            "spans": spans,
            "children": children,
            "rendered": rendered,
        })
    }

    fn span(&mut self, loc: &Loc, label: Option<&str>, is_primary: bool) -> Value {
        let (start, end) = (loc.start_pos, loc.end_pos);
        let lines = if is_file_level(loc) {
            // Offset 0 is inside a BOM, if the file has one: take line 1 as it is.
            let first = self.files.get(&loc.file).and_then(|s| s.line_text(1));
            first.into_iter().collect()
        } else {
            self.files.lines(loc).unwrap_or_default()
        };
        let last = lines.len().saturating_sub(1);
        let text: Vec<Value> = lines
            .iter()
            .enumerate()
            .map(|(i, line)| {
                let from = if i == 0 { start.column as usize } else { 1 };
                let to = if i == last {
                    end.column as usize
                } else {
                    line.chars().count() + 1
                };
                json!({"text": line, "highlight_start": from, "highlight_end": to})
            })
            .collect();
        json!({
            "file_name": self.file_name(&loc.file),
            "byte_start": loc.start,
            "byte_end": loc.end,
            "line_start": start.line,
            "line_end": end.line,
            "column_start": start.column,
            "column_end": end.column,
            "is_primary": is_primary,
            "text": text,
            "label": label,
            "suggested_replacement": null,
            "suggestion_applicability": null,
            "expansion": null,
        })
    }

    /// The path as rustc would print it when run in `base`: relative inside it, else absolute.
    fn file_name(&self, file: &str) -> String {
        let abs = self.root.join(file);
        match self.base.as_deref().and_then(|b| abs.strip_prefix(b).ok()) {
            Some(rel) if !rel.as_os_str().is_empty() => slashes(rel),
            _ => slashes(&abs),
        }
    }

    /// What `cargo check` would print for the finding, rustc-style.
    fn rendered(&mut self, d: &Diagnostic, url: &str) -> String {
        let (start, end) = (d.loc.start_pos, d.loc.end_pos);
        let mut s = format!(
            "{}[stratalint::{}]: {}\n",
            level(d.severity),
            d.rule,
            d.message
        );
        let snippet = (!is_file_level(&d.loc))
            .then(|| self.files.lines(&d.loc))
            .flatten()
            .and_then(|lines| lines.first().map(|l| l.to_string()));
        let number = start.line.to_string();
        let pad = " ".repeat(number.len());
        let _ = writeln!(
            s,
            "{pad}--> {}:{}:{}",
            self.file_name(&d.loc.file),
            start.line,
            start.column
        );
        if let Some(line) = snippet {
            let width = line.chars().count() + 1;
            let to = if end.line == start.line {
                end.column as usize
            } else {
                width
            };
            let from = start.column as usize;
            let carets = "^".repeat(to.saturating_sub(from).max(1));
            let label = d.label.as_deref().unwrap_or("");
            let _ = writeln!(s, "{pad} |");
            let _ = writeln!(s, "{number} | {line}");
            let indent = " ".repeat(from.saturating_sub(1));
            let _ = writeln!(s, "{pad} | {indent}{carets} {label}");
            let _ = writeln!(s, "{pad} |");
        }
        if let Some(help) = &d.help {
            let _ = writeln!(s, "{pad} = help: {help}");
        }
        let _ = writeln!(s, "{pad} = help: for further information visit {url}");
        s
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A spanless child, which rust-analyzer appends to the message as a line of its own.
fn child(message: &str) -> Value {
    json!({
        "message": message,
        "code": null,
        "level": "help",
        "spans": [],
        "children": [],
        "rendered": null,
    })
}

fn target(package: &Package) -> Value {
    let mut target = json!({
        "name": package.target_name,
        "kind": [package.target_kind],
        "crate_types": [package.target_kind],
        "required-features": [],
        "src_path": package.src_path,
        "doc": true,
        "doctest": package.target_kind == "lib",
        "test": true,
    });
    if let Some(edition) = &package.edition {
        target["edition"] = json!(edition);
    }
    target
}

fn slashes(path: &Path) -> String {
    let s = path.to_string_lossy();
    if cfg!(windows) {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    }
}
