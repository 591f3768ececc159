//! Suppression comments, read from the source text (syn drops comments):
//!
//! - `// stratalint: allow(rule-id, family) -- reason` on the finding's line, or alone on the line
//!   above it (a run of such comment lines covers the next line of code);
//! - `// stratalint: allow-file(rule-id) -- reason` anywhere in the file.
//!
//! SQL (`-- stratalint: …`) and Python (`# stratalint: …`) files use their own comment markers.

use std::sync::Arc;

use crate::diagnostic::{normalized_hash, Diagnostic, Family, Loc};
use crate::lexer::{Lexer, Tok};
use crate::source::SourceText;

/// One parsed directive.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Directive {
    pub file_level: bool,
    /// Each id (rule or family) with where it is written.
    pub ids: Vec<(String, Loc)>,
    pub reason: Option<String>,
    /// 1-based lines covered (inclusive); for file-level directives, every line.
    pub first_line: u32,
    pub last_line: u32,
    /// The directive trails code on its line (covers findings that span that line).
    pub trailing: bool,
    pub loc: Loc,
    pub used: Vec<bool>,
}

/// A malformed directive: where, and why.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Malformed {
    pub loc: Loc,
    pub message: String,
}

const MARKER: &str = "stratalint:";

/// Directives in the comments of a Rust file.
pub fn scan_rust(src: &SourceText, file: &Arc<str>) -> (Vec<Directive>, Vec<Malformed>) {
    let text = src.text();
    if memchr::memmem::find(text.as_bytes(), MARKER.as_bytes()).is_none() {
        return (Vec::new(), Vec::new());
    }
    let mut comments = Vec::new();
    for tok in Lexer::new(text) {
        if let Tok::Comment { text: c, start, .. } = tok {
            if c.contains(MARKER) {
                comments.push((start, c));
            }
        }
    }
    parse_comments(src, file, comments.into_iter(), is_rust_comment_line)
}

/// Directives in a SQL (`--`) or Python (`#`) file.
pub fn scan_text(
    src: &SourceText,
    file: &Arc<str>,
    marker: &str,
) -> (Vec<Directive>, Vec<Malformed>) {
    let text = src.text();
    if memchr::memmem::find(text.as_bytes(), MARKER.as_bytes()).is_none() {
        return (Vec::new(), Vec::new());
    }
    let mut comments = Vec::new();
    for line in 0..src.line_count() {
        let range = src.line_range(line);
        let l = &text[range.clone()];
        if let Some(pos) = l.find(marker) {
            let c = &l[pos..];
            if c.contains(MARKER) {
                comments.push((range.start + pos, c));
            }
        }
    }
    let marker = marker.to_string();
    parse_comments(src, file, comments.into_iter(), move |l: &str| {
        l.trim_start().starts_with(marker.as_str())
    })
}

fn is_rust_comment_line(l: &str) -> bool {
    let t = l.trim_start();
    t.starts_with("//") || t.starts_with("/*") || t.starts_with('*')
}

fn parse_comments<'t>(
    src: &SourceText,
    file: &Arc<str>,
    comments: impl Iterator<Item = (usize, &'t str)>,
    is_comment_line: impl Fn(&str) -> bool,
) -> (Vec<Directive>, Vec<Malformed>) {
    let text = src.text();
    let mut out = Vec::new();
    let mut bad = Vec::new();
    let loc = |start: usize, end: usize| Loc {
        file: file.clone(),
        start: src.file_offset(start),
        end: src.file_offset(end),
        start_pos: src.position(start),
        end_pos: src.position(end),
        item: Arc::from(""),
        snippet_hash: normalized_hash(&text[start..end]),
    };
    for (start, comment) in comments {
        let Some(rel) = comment.find(MARKER) else {
            continue;
        };
        let body_start = start + rel + MARKER.len();
        let end = start + comment.trim_end_matches("*/").trim_end().len();
        let body = &text[body_start..end.max(body_start)];
        let trimmed = body.trim_start();
        let body_start = body_start + (body.len() - trimmed.len());
        let (file_level, after_kw) = if let Some(r) = trimmed.strip_prefix("allow-file") {
            (true, r)
        } else if let Some(r) = trimmed.strip_prefix("allow") {
            (false, r)
        } else {
            bad.push(Malformed {
                loc: loc(start, end),
                message: format!(
                    "unknown stratalint directive `{}`; expected `allow(…)` or `allow-file(…)`",
                    trimmed.split_whitespace().next().unwrap_or("")
                ),
            });
            continue;
        };
        let kw_len = if file_level {
            "allow-file".len()
        } else {
            "allow".len()
        };
        let after_start = body_start + kw_len;
        let Some(open) = after_kw
            .find('(')
            .filter(|&i| after_kw[..i].trim().is_empty())
        else {
            bad.push(Malformed {
                loc: loc(start, end),
                message: "a suppression lists the rules it allows: `allow(rule-id, …)`".into(),
            });
            continue;
        };
        let Some(close) = after_kw.find(')') else {
            bad.push(Malformed {
                loc: loc(start, end),
                message: "unclosed `(` in suppression".into(),
            });
            continue;
        };
        if close < open {
            bad.push(Malformed {
                loc: loc(start, end),
                message: "malformed suppression".into(),
            });
            continue;
        }
        let list_start = after_start + open + 1;
        let mut ids = Vec::new();
        let mut offset = list_start;
        for part in after_kw[open + 1..close].split(',') {
            let id = part.trim();
            if !id.is_empty() {
                let id_start = offset + (part.len() - part.trim_start().len());
                ids.push((id.to_string(), loc(id_start, id_start + id.len())));
            }
            offset += part.len() + 1;
        }
        if ids.is_empty() {
            bad.push(Malformed {
                loc: loc(start, end),
                message: "a suppression lists the rules it allows: `allow(rule-id, …)`".into(),
            });
            continue;
        }
        let rest = after_kw[close + 1..].trim();
        let reason = rest
            .strip_prefix("--")
            .or_else(|| rest.strip_prefix(':'))
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string);
        let line = src.line_index(start);
        let before = &text[src.line_range(line).start..start];
        let trailing = !before.trim().is_empty();
        let (first_line, last_line) = if file_level {
            (1, u32::MAX)
        } else if trailing {
            (line as u32 + 1, line as u32 + 1)
        } else {
            // a standalone comment covers the next line of code (skipping further comment lines)
            let mut next = line + 1;
            while next < src.line_count() {
                let l = src.line_text(next);
                if l.trim().is_empty() || is_comment_line(l) {
                    next += 1;
                } else {
                    break;
                }
            }
            (line as u32 + 1, next as u32 + 1)
        };
        let n = ids.len();
        out.push(Directive {
            file_level,
            ids,
            reason,
            first_line,
            last_line,
            trailing,
            loc: loc(start, end),
            used: vec![false; n],
        });
    }
    (out, bad)
}

/// Does id `id` (a rule id or a family) cover a finding of `rule` in `family`?
fn id_covers(id: &str, rule: &str, family: Family) -> bool {
    id == rule || family.as_str() == id
}

/// Remove the findings the directives suppress, marking which ids were used.
pub fn apply(diags: &mut Vec<Diagnostic>, directives: &mut [Directive]) {
    if directives.is_empty() {
        return;
    }
    diags.retain(|d| {
        let line = d.loc.start_pos.line;
        let end_line = d.loc.end_pos.line.max(line);
        let mut suppressed = false;
        for dir in directives.iter_mut() {
            let covers_line = if dir.trailing {
                dir.first_line >= line && dir.first_line <= end_line
            } else {
                (dir.first_line..=dir.last_line).contains(&line)
            };
            if !covers_line {
                continue;
            }
            for (i, (id, _)) in dir.ids.iter().enumerate() {
                if id_covers(id, d.rule, d.family) {
                    dir.used[i] = true;
                    suppressed = true;
                }
            }
        }
        !suppressed
    });
}
