//! Renaming a sea-orm migration module: its file, and its name where its crate writes it — the
//! `mod` line and the `Migrator::migrations()` entry of the file that declares it (`lib.rs`),
//! replaced at their exact bytes. The rename is certain only when those are the only places the
//! name is written: a module placed by `#[path]`, with submodules, not listed, listed twice, or
//! named anywhere else (a `use`, another file) is left alone, with the reason.

use std::ops::Range;

use stratalint_engine::proc_macro2::{TokenStream, TokenTree};
use stratalint_engine::project::{FileKind, Project};
use stratalint_engine::syn;

use super::Edit;
use crate::migrations::sea_orm;
use crate::migrations::units::Unit;

/// The Rust files of the project whose text holds one of the names of interest (the old and new
/// names of the modules to rename), read once.
pub(super) struct Sources(Vec<(String, String)>);

impl Sources {
    pub(super) fn read(project: &Project, names: &[&str]) -> Sources {
        if names.is_empty() {
            return Sources(Vec::new());
        }
        let files = project
            .files
            .iter()
            .filter(|f| f.kind == FileKind::Rust)
            .filter_map(|f| {
                let text = std::fs::read_to_string(&f.abs).ok()?;
                names
                    .iter()
                    .any(|n| text.contains(n))
                    .then(|| (f.rel.to_string(), text))
            })
            .collect();
        Sources(files)
    }

    fn text(&self, rel: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(r, _)| r == rel)
            .map(|(_, t)| t.as_str())
    }
}

type Ranges = Vec<Range<usize>>;

/// The text after a byte-order mark, and the mark's length: the lexer and syn start after it,
/// offsets are kept in the file's own bytes.
fn without_bom(text: &str) -> (usize, &str) {
    text.strip_prefix('\u{feff}')
        .map_or((0, text), |t| (text.len() - t.len(), t))
}

fn shifted(r: Range<usize>, by: usize) -> Range<usize> {
    r.start + by..r.end + by
}

/// Where the identifiers `old` and `new` are written in a file's tokens (macro bodies included,
/// comments and strings not), as byte ranges of the file. None when the text does not lex.
fn ident_ranges(text: &str, old: &str, new: &str) -> Option<(Ranges, Ranges)> {
    fn walk(ts: TokenStream, names: (&str, &str), bom: usize, out: &mut (Ranges, Ranges)) {
        for tt in ts {
            match tt {
                TokenTree::Group(g) => walk(g.stream(), names, bom, out),
                TokenTree::Ident(i) if i == names.0 => {
                    out.0.push(shifted(i.span().byte_range(), bom))
                }
                TokenTree::Ident(i) if i == names.1 => {
                    out.1.push(shifted(i.span().byte_range(), bom))
                }
                _ => {}
            }
        }
    }
    let (bom, body) = without_bom(text);
    let ts: TokenStream = body.parse().ok()?;
    let mut out = (Vec::new(), Vec::new());
    walk(ts, (old, new), bom, &mut out);
    Some(out)
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

/// The edit replacing `range` of `text` with `name`, with its line before and after.
fn edit(file: &str, text: &str, range: Range<usize>, name: &str) -> Edit {
    let start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let end = text[range.end..]
        .find('\n')
        .map_or(text.len(), |i| range.end + i);
    let before = &text[start..end];
    let after = format!(
        "{}{name}{}",
        &text[start..range.start],
        &text[range.end..end]
    );
    Edit {
        file: file.to_string(),
        line: line_of(text, range.start),
        before: before.trim().to_string(),
        after: after.trim().to_string(),
        range,
        text: name.to_string(),
    }
}

/// The files that can declare a module of `folder` by its default path: the folder's `lib.rs`,
/// `main.rs` or `mod.rs`, or `<folder>.rs`.
fn declaring_files(folder: &str) -> Vec<String> {
    let inside = |f: &str| {
        if folder.is_empty() {
            f.to_string()
        } else {
            format!("{folder}/{f}")
        }
    };
    let mut out = vec![inside("lib.rs"), inside("main.rs"), inside("mod.rs")];
    if !folder.is_empty() {
        out.push(format!("{folder}.rs"));
    }
    out
}

/// The edits renaming sea-orm module `unit` to `new`: (the file they apply to, its text as read,
/// the edits); Err(reason) when the rename would not be certain.
pub(super) fn edits(
    project: &Project,
    sources: &Sources,
    unit: &Unit,
    new: &str,
) -> Result<(String, String, Vec<Edit>), String> {
    let planned = plan_edits(project, sources, unit, new);
    // the spans of the files parsed here are all turned into offsets
    stratalint_engine::proc_macro2::extra::invalidate_current_thread_spans();
    planned
}

fn plan_edits(
    project: &Project,
    sources: &Sources,
    unit: &Unit,
    new: &str,
) -> Result<(String, String, Vec<Edit>), String> {
    let old = unit.name.as_str();
    let rel = unit.renamed_path(old);
    let info = project.files.iter().find(|f| *f.rel == rel);
    // the engine's module tree: where `mod` lines (and `#[path]`) put the file
    if let Some(f) = info.filter(|f| f.reachable) {
        let module = f.module.rsplit("::").next().unwrap_or("");
        if module != old {
            return Err(format!(
                "it is the module `{module}` (placed by `#[path]`): its file name is not its module name"
            ));
        }
        let prefix = format!("{}::", f.module);
        if project
            .files
            .iter()
            .any(|o| o.crate_idx == f.crate_idx && o.module.starts_with(&prefix))
        {
            return Err(format!(
                "its submodules live in `{}/`: they would have to move too",
                unit.renamed_path(old).trim_end_matches(".rs")
            ));
        }
    }
    let new_dir = format!("{}/mod.rs", unit.renamed_path(new).trim_end_matches(".rs"));
    if project.root.join(&new_dir).exists() {
        return Err(format!(
            "`{new_dir}` already exists; nothing is overwritten"
        ));
    }
    let mut declared = Vec::new();
    for file in declaring_files(&unit.folder) {
        let Some(text) = sources.text(&file) else {
            continue;
        };
        let (bom, body) = without_bom(text);
        let ast = syn::parse_str::<syn::File>(body)
            .map_err(|e| format!("`{file}` does not parse ({e}): it cannot be rewritten"))?;
        if let Some((span, by_attribute)) = sea_orm::mod_declaration(&ast, old) {
            if by_attribute {
                return Err(format!(
                    "its `mod` line in `{file}` has a `#[path]` or `#[cfg_attr]` attribute: the file it names cannot be told for certain"
                ));
            }
            let entries: Option<Ranges> = sea_orm::registered(&ast).map(|list| {
                list.iter()
                    .filter(|e| e.module == old)
                    .map(|e| shifted(e.module_span.byte_range(), bom))
                    .collect()
            });
            declared.push((file, text, shifted(span.byte_range(), bom), entries));
        }
    }
    let (file, text, mod_range, entries) = match declared.len() {
        0 => {
            return Err(format!(
                "no `mod {old};` declares it in `{}`: its module cannot be renamed with it",
                declaring_files(&unit.folder).join("`, `")
            ))
        }
        1 => declared.swap_remove(0),
        _ => {
            let files: Vec<&str> = declared.iter().map(|d| d.0.as_str()).collect();
            return Err(format!(
                "it is declared in several files (`{}`)",
                files.join("`, `")
            ));
        }
    };
    let entry = match entries.as_deref() {
        None => {
            return Err(format!(
                "`{file}` declares it but has no `Migrator::migrations()` to rename it in"
            ))
        }
        Some([]) => {
            return Err(format!(
                "it is not listed in `Migrator::migrations()` of `{file}`: register it first (migration-registration)"
            ))
        }
        Some([one]) => one.clone(),
        Some(more) => {
            return Err(format!(
                "it is listed {} times in `Migrator::migrations()` of `{file}`",
                more.len()
            ))
        }
    };
    // every other place the old or the new name is written
    for (other, other_text) in &sources.0 {
        let Some((olds, news)) = ident_ranges(other_text, old, new) else {
            return Err(format!(
                "`{other}` does not lex: where it names the module is not certain"
            ));
        };
        let here = |r: &Range<usize>| format!("{other}:{}", line_of(other_text, r.start));
        let expected = |r: &Range<usize>| *other == file && (*r == mod_range || *r == entry);
        if let Some(r) = olds.iter().find(|r| !expected(r)) {
            return Err(format!(
                "`{old}` is also written at {}: only its `mod` line and its `Migrator::migrations()` entry are rewritten",
                here(r)
            ));
        }
        if let Some(r) = news.first() {
            return Err(format!("`{new}` is already a name at {}", here(r)));
        }
    }
    let edits = vec![
        edit(&file, text, mod_range, new),
        edit(&file, text, entry, new),
    ];
    Ok((file, text.to_string(), edits))
}
