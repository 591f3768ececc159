//! An alembic file's name carries the date and time of its `Create Date:` header.

use stratalint_engine::{Hooks, ProjectCx, Rule, RuleMeta, TextCx, TextFile};

use super::names::carried;
use super::preset::{Preset, Settings};
use super::units::{self, Kind};

static META: RuleMeta = crate::meta!("alembic-create-date", Migrations, "migrations", Warning);

pub struct AlembicCreateDate;

impl Rule for AlembicCreateDate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::TEXT_FILE | Hooks::PROJECT
    }

    fn check_text_file(&self, cx: &mut TextCx<'_>, file: &TextFile<'_>) {
        units::record_text(cx, file);
    }

    fn check_project(&self, cx: &mut ProjectCx<'_>) {
        let settings = Settings::from_config(cx.config);
        let all = units::collect(cx, &settings);
        let mut out = Vec::new();
        for (u, c, _) in all.iter().filter(|(u, _, _)| u.kind == Kind::Alembic) {
            let Some((header, loc)) = c.alembic.as_ref().and_then(|h| h.create_date.as_ref())
            else {
                continue;
            };
            let Some(named) = carried(&u.name).and_then(|c| c.stamp.ok()) else {
                continue;
            };
            if !super::names::header_disagrees(u, c) {
                continue;
            }
            let help = match (settings.preset, header.seed(), carried(&u.name)) {
                (Preset::Seed, Some(ts), Some(c)) if !c.feature.is_empty() => format!(
                    "rename the file `{ts}_{}.py`, from its header (`stratalint check --fix` does it)",
                    c.feature
                ),
                _ => "rename the file with the date and time of its header".to_string(),
            };
            out.push((
                loc.clone(),
                format!("the file name says {named} but the header says it was created {header}",),
                help,
            ));
        }
        for (loc, message, help) in out {
            let d = cx
                .diag_at(loc, message)
                .with_label("`Create Date:` disagrees with the file name")
                .with_help(help);
            cx.report(d);
        }
    }
}
