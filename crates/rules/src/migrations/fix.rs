//! `stratalint check --fix`: rename misnamed migrations to the project's convention.
//!
//! Only what `migration-file-name` and `alembic-create-date` report is renamed (so selection,
//! overrides and suppressions apply), and only when the new name is certain: from the timestamp
//! the name carries in any tool's spelling, or from an alembic file's `Create Date:` header. A file
//! is never overwritten; what cannot be named with certainty is listed with the reason and left
//! alone. The engine stays read-only: the plan is computed here, the caller applies it.

// `CheckError` holds a `ConfigError` with its source snippet, as in the engine.
#![allow(clippy::result_large_err)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use stratalint_engine::project::{self, FileKind, Project};
use stratalint_engine::{CheckError, CheckOptions};

use super::names;
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

fn candidate_of(project: &Project, rel: &str) -> (Candidate, bool) {
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
                false,
            )
        }
        FileKind::Rust => (Candidate::default(), text.contains("MigrationTrait for")),
        _ => (Candidate::default(), false),
    }
}

/// The identity the tool records for a migration, when it comes from the name.
fn identity(
    settings: &Settings,
    project: &Project,
    unit: &Unit,
    name: &str,
) -> Option<(Tool, String)> {
    let tool = match unit.kind {
        Kind::Sql => settings.sql_tool(project)?,
        Kind::DieselDir => Tool::Diesel,
        Kind::RefineryRs => Tool::Refinery,
        Kind::Alembic | Kind::SeaOrm => return None,
    };
    let id = match tool {
        // refinery checks the name of applied migrations too
        Tool::Refinery => name.to_string(),
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
    for f in &project.files {
        let (candidate, sea_orm) = if flagged.contains(&*f.rel) {
            candidate_of(project, &f.rel)
        } else {
            (Candidate::default(), false)
        };
        if let Some(u) = classify(&f.rel, settings, sea_orm) {
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
        if u.kind == Kind::SeaOrm && names::name_problem(settings, u, c).is_some() {
            plan.refusals.push(Refusal {
                path: u.renamed_path(&u.name),
                reason: "a sea-orm migration is a module: its `mod` line and its `Migrator::migrations()` entry would need renaming too, and sea-orm records the module name in `seaql_migrations`".into(),
            });
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
        let minute = |n: &str| {
            (settings.preset == Preset::Seed && n.len() > 13).then(|| n[..13].to_string())
        };
        let final_name = |o: &Unit| {
            wanted
                .iter()
                .find(|(w, _)| w == o)
                .map_or(o.name.clone(), |(_, n)| n.clone())
        };
        let clash = minute(new).is_some()
            && migrations.iter().any(|(o, _, _)| {
                o.folder == u.folder && o.name != u.name && minute(&final_name(o)) == minute(new)
            });
        if clash {
            plan.refusals.push(refuse(
                "another migration in the folder has the same minute: their order would depend on their names".into(),
            ));
            continue;
        }
        let note = match (identity(settings, project, u, &u.name), identity(settings, project, u, new)) {
            (Some((tool, old_id)), Some((_, new_id))) if old_id != new_id => Some(format!(
                "{} records this migration as `{old_id}` and will see `{new_id}` as a new one: if `{}` was already applied to a database, update `{}` too (or rename it back)",
                tool.name(),
                u.display(),
                table_of(tool)
            )),
            _ => None,
        };
        match u.kind {
            Kind::DieselDir => plan.renames.push(Rename { from, to, note }),
            _ => {
                // every file of the migration (sqlx's `.up.sql` and `.down.sql`)
                let mut first = true;
                for (o, _, f) in &all {
                    if o.folder == u.folder && o.name == u.name && o.kind == u.kind {
                        plan.renames.push(Rename {
                            from: f.rel.to_string(),
                            to: o.renamed_path(new),
                            note: if first { note.clone() } else { None },
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

impl Plan {
    /// What `--diff` prints: each rename, then each refusal.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        for r in &self.renames {
            out.push_str(&format!("rename {} -> {}\n", r.from, r.to));
            if let Some(n) = &r.note {
                out.push_str(&format!("  note: {n}\n"));
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

/// Apply a plan. Returns one line per rename done, refused or failed, for the user.
pub fn apply(plan: &Plan) -> Vec<String> {
    let mut lines = Vec::new();
    for r in &plan.renames {
        let (from, to) = (plan.root.join(&r.from), plan.root.join(&r.to));
        match rename_no_clobber(&from, &to) {
            Ok(()) => {
                lines.push(format!("renamed {} -> {}", r.from, r.to));
                if let Some(n) = &r.note {
                    lines.push(format!("  note: {n}"));
                }
            }
            Err(e) => lines.push(format!("not renamed {}: {e}", r.from)),
        }
    }
    for r in &plan.refusals {
        lines.push(format!("not renamed {}: {}", r.path, r.reason));
    }
    lines
}
