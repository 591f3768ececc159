//! Migration files are named by the project's convention (the seed's `yyyymmdd_HHmm_<feature>`
//! by default, or a tool's preset, or a custom pattern), with a real date and time.

use std::collections::BTreeSet;

use stratalint_engine::{Cx, Hooks, Loc, ProjectCx, Rule, RuleMeta, RuleOptions, TextCx, TextFile};

use super::names::{self, carried, effective};
use super::preset::{Preset, Settings};
use super::timestamp::Date;
use super::units::{classify, Candidate, Direction, Kind, Unit};

static META: RuleMeta = crate::meta!("migration-file-name", Migrations, "migrations", Error);

#[derive(Default)]
pub struct MigrationFileName {
    pub settings: Settings,
}

impl MigrationFileName {
    fn check(&self, unit: &Unit, candidate: &Candidate) -> Option<(String, String)> {
        let problem = names::name_problem(&self.settings, unit, candidate)?;
        let preset = effective(self.settings.preset, unit.kind)?;
        let what = if unit.kind == Kind::DieselDir {
            "migration directory name"
        } else {
            "migration name"
        };
        let message = match (&self.settings.pattern, preset) {
            (Some(_), _) if unit.kind != Kind::SeaOrm => {
                format!("{what} does not follow the configured pattern: {problem}")
            }
            (_, Preset::Seed) => {
                let ext = match unit.kind {
                    Kind::DieselDir => "",
                    Kind::Alembic => ".py",
                    _ => ".sql",
                };
                format!("{what} does not follow `yyyymmdd_HHmm_<feature>{ext}`: {problem}")
            }
            (_, p) => format!(
                "{what} does not follow {}'s `{}`: {problem}",
                p.as_str(),
                p.shape()
            ),
        };
        let mut help = match names::target(&self.settings, unit, candidate, Date::today_utc()) {
            Ok(Some(t)) if unit.kind == Kind::DieselDir => {
                format!("rename the directory to `{t}` (`stratalint check --fix` does it)")
            }
            Ok(Some(t)) if unit.kind == Kind::SeaOrm => format!(
                "rename it `{t}.rs`, with its `mod` line and its `Migrator::migrations()` entry (`stratalint check --fix` does all three)"
            ),
            Ok(Some(t)) => format!("rename it `{t}{}` (`stratalint check --fix` does it)", unit.suffix()),
            _ if self.settings.pattern.is_some() && unit.kind != Kind::SeaOrm => {
                "rename it to match the `pattern` of `[rules.migration-file-name]`".to_string()
            }
            _ => match preset {
                Preset::Seed => format!(
                    "rename it like `20260117_0930_create_users_table{}` (date and time it was written, then what it does)",
                    if unit.kind == Kind::DieselDir { "/" } else { unit.suffix() }
                ),
                Preset::Sqlx => "rename it like `20260117093000_create_users_table.sql` (what `sqlx migrate add` writes)".into(),
                Preset::SeaOrm => "rename it like `m20260117_093000_create_users_table.rs` (what `sea-orm-cli migrate generate` writes), with its `mod` line and its `Migrator::migrations()` entry".into(),
                Preset::Diesel => "rename the directory like `2026-01-17-093000_create_users_table` (what `diesel migration generate` writes)".into(),
                Preset::Refinery => "rename it like `V3__create_users_table.sql`, the next version number".into(),
                Preset::Alembic => "rename it `<revision>_<slug>.py`, as `alembic revision` names it".into(),
            },
        };
        // a sequence number (`0001_`) is sqlx's way, `V1__` refinery's
        let digits = unit.name.bytes().take_while(u8::is_ascii_digit).count();
        let sequence = (1..=6).contains(&digits) && unit.name.as_bytes().get(digits) == Some(&b'_');
        let hint = carried(&unit.name)
            .and_then(|c| c.form.preset())
            .or_else(|| sequence.then_some(Preset::Sqlx))
            .or_else(|| super::units::refinery_named(&unit.name).then_some(Preset::Refinery));
        if let (Preset::Seed, Some(p), None) = (preset, hint, &self.settings.pattern) {
            help.push_str(&format!(
                "; or, if the project follows {}'s naming, set `preset = \"{}\"` under `[rules.migration-file-name]`",
                p.as_str(),
                p.as_str()
            ));
        }
        Some((message, help))
    }
}

impl Rule for MigrationFileName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::TEXT_FILE | Hooks::FILE | Hooks::PROJECT
    }

    /// The suggested name is dated today when the file's own date is in the future.
    fn cache_salt(&self) -> u64 {
        Date::today_utc().days() as u64
    }

    fn configure(&mut self, options: RuleOptions<'_>) -> Result<(), toml::de::Error> {
        self.settings = Settings::from_options(options)?;
        Ok(())
    }

    fn check_text_file(&self, cx: &mut TextCx<'_>, file: &TextFile<'_>) {
        let Some(unit) = classify(file.rel_path, &self.settings, false) else {
            return;
        };
        // a diesel directory is named once, at its `up.sql` (at its `down.sql` when it has no
        // `up.sql`: `check_project`)
        if unit.kind == Kind::DieselDir && unit.direction == Direction::Down {
            return;
        }
        let alembic = match (unit.kind, file.text) {
            (Kind::Alembic, Some(src)) => {
                Some(super::alembic::read(src.text(), |s, e| cx.loc_range(s, e)))
            }
            _ => None,
        };
        let candidate = Candidate {
            alembic,
            sea_orm: None,
        };
        if let Some((message, help)) = self.check(&unit, &candidate) {
            let d = cx
                .diag_at(cx.file_loc(), message)
                .with_label("misnamed migration")
                .with_help(help);
            cx.report(d);
        }
    }

    /// A diesel directory holding a `down.sql` and no `up.sql` is named at its `down.sql`.
    fn check_project(&self, cx: &mut ProjectCx<'_>) {
        let files: BTreeSet<&str> = cx.project.files.iter().map(|f| &*f.rel).collect();
        let mut found = Vec::new();
        for f in &cx.project.files {
            let Some(unit) = classify(&f.rel, &self.settings, false) else {
                continue;
            };
            let up = format!("{}/up.sql", unit.renamed_path(&unit.name));
            if unit.kind != Kind::DieselDir
                || unit.direction != Direction::Down
                || files.contains(up.as_str())
            {
                continue;
            }
            if let Some((message, help)) = self.check(&unit, &Candidate::default()) {
                found.push((f.rel.clone(), message, help));
            }
        }
        for (rel, message, help) in found {
            let d = cx
                .diag_at(Loc::file_start(rel), message)
                .with_label("misnamed migration")
                .with_help(help);
            cx.report(d);
        }
    }

    fn check_file(&self, cx: &mut Cx<'_, '_>, file: &stratalint_engine::syn::File) {
        if cx.in_test() {
            return;
        }
        let rel = cx.file().rel.clone();
        let sea_orm = super::sea_orm::migration_impl(file).is_some();
        let Some(unit) = classify(&rel, &self.settings, sea_orm) else {
            return;
        };
        if let Some((message, help)) = self.check(&unit, &Candidate::default()) {
            let d = cx
                .diag_at(Loc::file_start(rel), message)
                .with_label("misnamed migration")
                .with_help(help);
            cx.report(d);
        }
    }
}
