//! `stratalint check --fix`: rename misnamed migrations to the project's convention.
//!
//! Only what `migration-file-name` and `alembic-create-date` report is renamed (so selection,
//! overrides and suppressions apply), and only when the new name is certain: from the timestamp
//! the name carries in any tool's spelling, or from an alembic file's `Create Date:` header. A file
//! is never overwritten; what cannot be named with certainty is listed with the reason and left
//! alone. A sea-orm migration is a module: its rename carries the edits of its `mod` line and its
//! `Migrator::migrations()` entry ([`modules`]), and the file holding them is rewritten atomically.
//! The engine stays read-only: the plan is computed here, the caller applies it.

// `CheckError` holds a `ConfigError` with its source snippet, as in the engine.
#![allow(clippy::result_large_err)]

mod modules;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use stratalint_engine::project::{self, FileKind, Project};
use stratalint_engine::{CheckError, CheckOptions};

use super::names::{self, effective};
use super::preset::{Preset, Settings, Tool};
use super::timestamp::Date;
use super::units::{classify, one_per_migration, Candidate, Kind, Unit};

/// One rename: a file, or a diesel directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rename {
    /// Relative to the project root, `/`-separated.
    pub from: String,
    pub to: String,
    /// Said when the rename changes the identity the migration tool records.
    pub note: Option<String>,
    /// The text edits that go with it: a sea-orm module's name where its crate writes it.
    pub edits: Vec<Edit>,
}

/// A name replaced in a file, at the exact bytes the plan read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// The file edited, relative to the project root.
    pub file: String,
    pub range: Range<usize>,
    pub text: String,
    /// 1-based line of the edit, and that line before and after it (for `--diff`).
    pub line: usize,
    pub before: String,
    pub after: String,
}

/// A misnamed migration left alone, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub path: String,
    pub reason: String,
}

#[derive(Clone, Debug, Default)]
pub struct Plan {
    pub root: PathBuf,
    pub renames: Vec<Rename>,
    pub refusals: Vec<Refusal>,
    /// The text of each file the edits apply to, as the plan read it: a file changed since is
    /// not rewritten.
    pub sources: BTreeMap<String, String>,
}

/// The rules whose findings a rename fixes.
const FIXED_RULES: &[&str] = &["migration-file-name", "alembic-create-date"];

/// Plan the renames for a check: run it, keep the migrations those rules report.
pub fn plan(opts: &CheckOptions) -> Result<Plan, CheckError> {
    let result = stratalint_engine::check(opts, crate::all())?;
    let flagged: BTreeSet<String> = result
        .diagnostics
        .iter()
        .filter(|d| FIXED_RULES.contains(&d.rule))
        .map(|d| d.loc.file.to_string())
        .collect();
    if flagged.is_empty() {
        return Ok(Plan {
            root: result.root,
            ..Plan::default()
        });
    }
    let mut probe = super::migration_file_name::MigrationFileName::default();
    result.config.configure_rule(&mut probe)?;
    let root = result.root.clone();
    let project = project::discover(
        &root,
        std::slice::from_ref(&root),
        &[],
        &result.config,
        false,
    );
    Ok(plan_project(
        &project,
        &probe.settings,
        &flagged,
        Date::today_utc(),
    ))
}

/// A flagged file as the plan reads it: its alembic header; for a Rust file, whether it is a
/// sea-orm migration module and whether it names itself (`impl MigrationName`).
fn candidate_of(project: &Project, rel: &str) -> (Candidate, Option<bool>) {
    let abs = project.root.join(rel);
    let text = std::fs::read_to_string(&abs).unwrap_or_default();
    match FileKind::of(rel) {
        FileKind::Python => {
            let header = super::alembic::read(&text, |s, e| {
                let mut l = stratalint_engine::Loc::file_start(rel.into());
                l.start = s;
                l.end = e;
                l
            });
            (
                Candidate {
                    alembic: Some(header),
                    sea_orm: None,
                },
                None,
            )
        }
        FileKind::Rust => {
            let module = syn::parse_file(&text).ok().and_then(|file| {
                super::sea_orm::migration_impl(&file)?;
                Some(super::sea_orm::names_itself(&file))
            });
            stratalint_engine::proc_macro2::extra::invalidate_current_thread_spans();
            (Candidate::default(), module)
        }
        _ => (Candidate::default(), None),
    }
}

/// The identity the tool records for a migration, when it comes from the name. `names_itself`:
/// a sea-orm module with its own `impl MigrationName`, whose name is not its file's.
fn identity(
    settings: &Settings,
    project: &Project,
    unit: &Unit,
    name: &str,
    names_itself: bool,
) -> Option<(Tool, String)> {
    let tool = match unit.kind {
        Kind::Sql => settings.sql_tool(project)?,
        Kind::DieselDir => Tool::Diesel,
        Kind::RefineryRs => Tool::Refinery,
        Kind::SeaOrm if !names_itself => Tool::SeaOrm,
        Kind::Alembic | Kind::SeaOrm => return None,
    };
    let id = match tool {
        // refinery checks the name of applied migrations too; sea-orm records the module's file
        // name (what `DeriveMigrationName` returns)
        Tool::Refinery | Tool::SeaOrm => name.to_string(),
        _ => super::migration_duplicate_version::version(tool, name)?,
    };
    Some((tool, id))
}

fn table_of(tool: Tool) -> &'static str {
    match tool {
        Tool::Sqlx => "_sqlx_migrations",
        Tool::Diesel => "__diesel_schema_migrations",
        Tool::Refinery => "refinery_schema_history",
        Tool::SeaOrm => "seaql_migrations",
        Tool::Alembic => "alembic_version",
    }
}

/// Plan the renames of the `flagged` files of a discovered project.
pub fn plan_project(
    project: &Project,
    settings: &Settings,
    flagged: &BTreeSet<String>,
    today: Date,
) -> Plan {
    let mut all = Vec::new();
    let mut candidates = Vec::new();
    // sea-orm modules with their own `impl MigrationName`
    let mut self_named = BTreeSet::new();
    for f in &project.files {
        let (candidate, sea_orm) = if flagged.contains(&*f.rel) {
            candidate_of(project, &f.rel)
        } else {
            (Candidate::default(), None)
        };
        if sea_orm == Some(true) {
            self_named.insert(f.rel.to_string());
        }
        if let Some(u) = classify(&f.rel, settings, sea_orm.is_some()) {
            candidates.push((u, candidate, f));
        }
    }
    for (u, c, f) in &candidates {
        all.push((u.clone(), c, *f));
    }
    let migrations = one_per_migration(&all);
    let mut plan = Plan {
        root: project.root.clone(),
        ..Plan::default()
    };
    // (unit, new name)
    let mut wanted: Vec<(Unit, String)> = Vec::new();
    for (u, c, _) in &migrations {
        let files: Vec<&str> = all
            .iter()
            .filter(|(o, _, _)| o.folder == u.folder && o.name == u.name && o.kind == u.kind)
            .map(|(_, _, f)| &*f.rel)
            .collect();
        if !files.iter().any(|f| flagged.contains(*f)) {
            continue;
        }
        match names::target(settings, u, c, today) {
            Ok(Some(new)) => wanted.push((u.clone(), new)),
            Ok(None) => {}
            Err(reason) => plan.refusals.push(Refusal {
                path: u.renamed_path(&u.name),
                reason,
            }),
        }
    }
    let existing: BTreeSet<(String, String)> = migrations
        .iter()
        .map(|(u, _, _)| (u.folder.clone(), u.name.clone()))
        .collect();
    // the Rust files that write the names of the sea-orm modules to rename
    let module_names: Vec<&str> = wanted
        .iter()
        .filter(|(u, _)| u.kind == Kind::SeaOrm)
        .flat_map(|(u, new)| [u.name.as_str(), new.as_str()])
        .collect();
    let sources = modules::Sources::read(project, &module_names);
    for (u, new) in &wanted {
        let twins: Vec<&String> = wanted
            .iter()
            .filter(|(o, n)| o.folder == u.folder && n == new && o.name != u.name)
            .map(|(o, _)| &o.name)
            .collect();
        let from = u.renamed_path(&u.name);
        let to = u.renamed_path(new);
        let refuse = |reason: String| Refusal {
            path: from.clone(),
            reason,
        };
        if let Some(t) = twins.first() {
            plan.refusals
                .push(refuse(format!("`{t}` would get the same name `{new}`")));
            continue;
        }
        if existing.contains(&(u.folder.clone(), new.clone())) || project.root.join(&to).exists() {
            plan.refusals.push(refuse(format!(
                "`{to}` already exists; nothing is overwritten"
            )));
            continue;
        }
        // the seed's names tell minutes apart, not seconds: two migrations of one minute would be
        // ordered by their feature names
        let seed_named = |o: &Unit| effective(settings.preset, o.kind) == Some(Preset::Seed);
        let minute = |n: &str| (n.len() > 13).then(|| n[..13].to_string());
        let final_name = |o: &Unit| {
            wanted
                .iter()
                .find(|(w, _)| w == o)
                .map_or(o.name.clone(), |(_, n)| n.clone())
        };
        let clash = seed_named(u)
            && minute(new).is_some()
            && migrations.iter().any(|(o, _, _)| {
                seed_named(o)
                    && o.folder == u.folder
                    && o.name != u.name
                    && minute(&final_name(o)) == minute(new)
            });
        if clash {
            plan.refusals.push(refuse(
                "another migration in the folder has the same minute: their order would depend on their names".into(),
            ));
            continue;
        }
        let edits = match u.kind {
            Kind::SeaOrm => match modules::edits(project, &sources, u, new) {
                Ok((file, text, edits)) => {
                    plan.sources.insert(file, text);
                    edits
                }
                Err(reason) => {
                    plan.refusals.push(refuse(reason));
                    continue;
                }
            },
            _ => Vec::new(),
        };
        let names_itself = self_named.contains(&from);
        let note = match (
            identity(settings, project, u, &u.name, names_itself),
            identity(settings, project, u, new, names_itself),
        ) {
            (Some((tool, old_id)), Some((_, new_id))) if old_id != new_id => Some(format!(
                "{} records this migration as `{old_id}` and will see `{new_id}` as a new one: if `{}` was already applied to a database, update `{}` too (or rename it back)",
                tool.name(),
                u.display(),
                table_of(tool)
            )),
            _ => None,
        };
        match u.kind {
            Kind::DieselDir | Kind::SeaOrm => plan.renames.push(Rename {
                from,
                to,
                note,
                edits,
            }),
            _ => {
                // every file of the migration (sqlx's `.up.sql` and `.down.sql`)
                let mut first = true;
                for (o, _, f) in &all {
                    if o.folder == u.folder && o.name == u.name && o.kind == u.kind {
                        plan.renames.push(Rename {
                            from: f.rel.to_string(),
                            to: o.renamed_path(new),
                            note: if first { note.clone() } else { None },
                            edits: Vec::new(),
                        });
                        first = false;
                    }
                }
            }
        }
    }
    plan.renames.sort_by(|a, b| a.from.cmp(&b.from));
    plan.refusals.sort_by(|a, b| a.path.cmp(&b.path));
    plan.refusals.dedup();
    plan
}

impl Rename {
    /// The lines saying what the rename does (`verb`: `rename` for `--diff`, `renamed` once
    /// done): the rename, each edit that goes with it, the note.
    fn lines(&self, verb: &str, edit_verb: &str) -> Vec<String> {
        let mut out = vec![format!("{verb} {} -> {}", self.from, self.to)];
        for e in &self.edits {
            out.push(format!(
                "  {edit_verb} {}:{}: `{}` -> `{}`",
                e.file, e.line, e.before, e.after
            ));
        }
        if let Some(n) = &self.note {
            out.push(format!("  note: {n}"));
        }
        out
    }
}

impl Plan {
    /// What `--diff` prints: each rename with its edits, then each refusal.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        for r in &self.renames {
            for l in r.lines("rename", "edit") {
                out.push_str(&l);
                out.push('\n');
            }
        }
        for r in &self.refusals {
            out.push_str(&format!("not renamed {}: {}\n", r.path, r.reason));
        }
        out
    }
}

/// Rename a file without ever replacing another: a hard link fails when the target exists, then
/// the old name is removed. Directories (and file systems without hard links) are renamed after
/// checking that the target is free.
fn rename_no_clobber(from: &Path, to: &Path) -> std::io::Result<()> {
    if std::fs::symlink_metadata(to).is_ok() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "the target exists",
        ));
    }
    if from.is_file() && std::fs::hard_link(from, to).is_ok() {
        return std::fs::remove_file(from);
    }
    if std::fs::symlink_metadata(to).is_ok() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "the target exists",
        ));
    }
    std::fs::rename(from, to)
}

/// Replace `path` with `text` atomically: a temporary file beside it, with its permissions,
/// renamed over it.
fn replace_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map_or_else(Default::default, |n| n.to_string_lossy());
    let tmp = path.with_file_name(format!(".{name}.stratalint-{}.tmp", std::process::id()));
    let written = std::fs::write(&tmp, text)
        .and_then(|()| std::fs::set_permissions(&tmp, std::fs::metadata(path)?.permissions()))
        .and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// `text` with the edits applied (they never overlap: each is one name).
fn edited(text: &str, edits: &[&Edit]) -> String {
    let mut edits = edits.to_vec();
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    let mut out = text.to_string();
    for e in edits {
        out.replace_range(e.range.clone(), &e.text);
    }
    out
}

/// Apply the renames whose edits are in `file`, then rewrite it with the edits of those done.
/// Nothing is done when the file changed since the plan; when it cannot be written, the modules
/// are renamed back.
fn apply_edited(plan: &Plan, file: &str, lines: &mut Vec<String>) {
    let group: Vec<&Rename> = plan
        .renames
        .iter()
        .filter(|r| r.edits.iter().any(|e| e.file == file))
        .collect();
    let path = plan.root.join(file);
    let planned = plan.sources.get(file);
    if std::fs::read_to_string(&path).ok().as_ref() != planned {
        for r in &group {
            lines.push(format!(
                "not renamed {}: `{file}` changed since the renames were planned",
                r.from
            ));
        }
        return;
    }
    let mut done = Vec::new();
    for r in group {
        match rename_no_clobber(&plan.root.join(&r.from), &plan.root.join(&r.to)) {
            Ok(()) => done.push(r),
            Err(e) => lines.push(format!("not renamed {}: {e}", r.from)),
        }
    }
    if done.is_empty() {
        return;
    }
    let edits: Vec<&Edit> = done.iter().flat_map(|r| &r.edits).collect();
    let text = edited(planned.map_or("", String::as_str), &edits);
    match replace_atomically(&path, &text) {
        Ok(()) => {
            for r in done {
                lines.extend(r.lines("renamed", "edited"));
            }
        }
        Err(e) => {
            for r in done {
                let back = rename_no_clobber(&plan.root.join(&r.to), &plan.root.join(&r.from));
                lines.push(match back {
                    Ok(()) => format!("not renamed {}: cannot write `{file}`: {e}", r.from),
                    Err(b) => format!(
                        "renamed {} -> {} but cannot write `{file}` ({e}) nor rename it back ({b}): rename it back by hand",
                        r.from, r.to
                    ),
                });
            }
        }
    }
}

/// Apply a plan. Returns one line per rename done, refused or failed, for the user.
pub fn apply(plan: &Plan) -> Vec<String> {
    let mut lines = Vec::new();
    let mut rewritten = BTreeSet::new();
    for r in &plan.renames {
        if let Some(e) = r.edits.first() {
            if rewritten.insert(e.file.as_str()) {
                apply_edited(plan, &e.file, &mut lines);
            }
            continue;
        }
        let (from, to) = (plan.root.join(&r.from), plan.root.join(&r.to));
        match rename_no_clobber(&from, &to) {
            Ok(()) => lines.extend(r.lines("renamed", "edited")),
            Err(e) => lines.push(format!("not renamed {}: {e}", r.from)),
        }
    }
    for r in &plan.refusals {
        lines.push(format!("not renamed {}: {}", r.path, r.reason));
    }
    lines
}
