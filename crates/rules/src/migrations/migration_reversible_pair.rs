//! Reversible migrations come in complete pairs: sqlx's `.up.sql` with its `.down.sql`, diesel's
//! `up.sql` with `down.sql`, a sea-orm migration with its `down`.

use stratalint_engine::{Cx, Hooks, Loc, ProjectCx, Rule, RuleMeta, TextCx, TextFile};

use super::preset::Settings;
use super::units::{self, Direction, Kind};

static META: RuleMeta = crate::meta!(
    "migration-reversible-pair",
    Migrations,
    "migrations",
    Warning
);

pub struct MigrationReversiblePair;

impl Rule for MigrationReversiblePair {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::TEXT_FILE | Hooks::FILE | Hooks::PROJECT
    }

    fn check_text_file(&self, cx: &mut TextCx<'_>, file: &TextFile<'_>) {
        units::record_text(cx, file);
    }

    fn check_file(&self, cx: &mut Cx<'_, '_>, file: &stratalint_engine::syn::File) {
        units::record_rust(cx, file);
    }

    fn check_project(&self, cx: &mut ProjectCx<'_>) {
        let settings = Settings::from_config(cx.config);
        let all = units::collect(cx, &settings);
        let mut out = Vec::new();
        for (u, c, file) in &all {
            if let Some(m) = &c.sea_orm {
                if !m.has_down {
                    out.push((
                        m.impl_loc.clone(),
                        format!("migration `{}` has no `down`: sea-orm's default `down` fails, so it cannot be rolled back", u.name),
                        "implement `async fn down` undoing what `up` does (drop what it creates, restore what it changes)".to_string(),
                    ));
                }
                continue;
            }
            if !matches!(u.kind, Kind::Sql | Kind::DieselDir) || u.direction == Direction::Only {
                continue;
            }
            let other = if u.direction == Direction::Up {
                Direction::Down
            } else {
                Direction::Up
            };
            let has_other = all.iter().any(|(o, _, _)| {
                o.folder == u.folder && o.name == u.name && o.kind == u.kind && o.direction == other
            });
            if has_other {
                continue;
            }
            let (message, help) = match (u.kind, u.direction) {
                (Kind::Sql, Direction::Up) => (
                    format!("`{}.up.sql` has no `{}.down.sql`: the migration cannot be reverted", u.name, u.name),
                    format!("add `{}.down.sql` undoing it, or rename it `{}.sql` if it is not meant to be reverted", u.name, u.name),
                ),
                (Kind::Sql, _) => (
                    format!("`{}.down.sql` has no `{}.up.sql`: it reverts a migration that does not exist", u.name, u.name),
                    "add the `.up.sql` it belongs to, or delete it".to_string(),
                ),
                (_, Direction::Up) => (
                    format!("`{}/` has no `down.sql`: `diesel migration revert` fails on it", u.name),
                    "add `down.sql` undoing `up.sql`".to_string(),
                ),
                _ => (
                    format!("`{}/` has no `up.sql`: diesel refuses to run a migrations folder holding it", u.name),
                    "add the `up.sql` it belongs to, or delete the directory".to_string(),
                ),
            };
            out.push((Loc::file_start(file.rel.clone()), message, help));
        }
        for (loc, message, help) in out {
            let d = cx
                .diag_at(loc, message)
                .with_label("incomplete reversible migration")
                .with_help(help);
            cx.report(d);
        }
    }
}
