//! A migration's timestamp is not in the future.

use stratalint_engine::{Cx, Hooks, Loc, ProjectCx, Rule, RuleMeta, TextCx, TextFile};

use super::preset::Settings;
use super::timestamp::{in_future, Date};
use super::units;

static META: RuleMeta = crate::meta!(
    "migration-future-timestamp",
    Migrations,
    "migrations",
    Error
);

#[derive(Default)]
pub struct MigrationFutureTimestamp {
    /// Today's date (UTC); the system clock's when None. Tests set it.
    pub today: Option<Date>,
}

impl Rule for MigrationFutureTimestamp {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::TEXT_FILE | Hooks::FILE | Hooks::PROJECT
    }

    /// What is in the future changes with the date.
    fn cache_salt(&self) -> u64 {
        self.today.unwrap_or_else(Date::today_utc).days() as u64
    }

    fn check_text_file(&self, cx: &mut TextCx<'_>, file: &TextFile<'_>) {
        units::record_text(cx, file);
    }

    fn check_file(&self, cx: &mut Cx<'_, '_>, file: &stratalint_engine::syn::File) {
        units::record_rust(cx, file);
    }

    fn check_project(&self, cx: &mut ProjectCx<'_>) {
        let today = self.today.unwrap_or_else(Date::today_utc);
        let settings = Settings::from_config(cx.config);
        let all = units::collect(cx, &settings);
        for (u, c, file) in units::one_per_migration(&all) {
            let from_name = super::names::stamp_of(&settings, &u);
            let header = c.alembic.as_ref().and_then(|h| h.create_date.clone());
            let (stamp, loc, what) = match (from_name, header) {
                (Some(s), _) => (
                    s,
                    Loc::file_start(file.rel.clone()),
                    format!("the timestamp of `{}`", u.display()),
                ),
                (None, Some((s, loc))) => {
                    (s, loc, "the `Create Date:` of this revision".to_string())
                }
                (None, None) => continue,
            };
            if !in_future(stamp.date, today) {
                continue;
            }
            let d = cx
                .diag_at(loc, format!("{what} ({stamp}) is in the future"))
                .with_label("dated in the future")
                .with_help(
                    "name it with the date and time it was written: a migration dated ahead sorts after every migration \
                     written until then, so the history runs out of order",
                );
            cx.report(d);
        }
    }
}
