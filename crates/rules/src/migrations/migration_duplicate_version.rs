//! No two migrations with the same version, as the tool that runs them reads it: sqlx and diesel
//! read the version up to the first `_`, refinery the number after `V`.

use std::sync::OnceLock;

use regex::Regex;
use stratalint_engine::{Cx, Hooks, Loc, ProjectCx, Rule, RuleMeta, TextCx, TextFile};

use super::preset::{Preset, Settings, Tool};
use super::units::{self, Kind, Unit};

static META: RuleMeta = crate::meta!(
    "migration-duplicate-version",
    Migrations,
    "migrations",
    Error
);

pub struct MigrationDuplicateVersion;

/// The version the tool reads from the name (normalised as the tool compares it).
pub fn version(tool: Tool, name: &str) -> Option<String> {
    match tool {
        Tool::Sqlx => {
            let (v, _) = name.split_once('_')?;
            v.parse::<i64>().ok().map(|n| n.to_string())
        }
        Tool::Diesel => name.split('_').next().map(|v| v.replace('-', "")),
        Tool::Refinery => {
            static RE: OnceLock<Regex> = OnceLock::new();
            let re =
                RE.get_or_init(|| Regex::new(r"^[UV](\d+)((?:\.\d+)?)__").expect("valid regex"));
            let c = re.captures(name)?;
            let int = c[1].trim_start_matches('0');
            Some(format!(
                "{}{}",
                if int.is_empty() { "0" } else { int },
                &c[2]
            ))
        }
        Tool::SeaOrm | Tool::Alembic => None,
    }
}

fn how(tool: Tool) -> &'static str {
    match tool {
        Tool::Sqlx => "sqlx reads the version up to the first `_` and keeps one migration per version",
        Tool::Diesel => "diesel reads the version up to the first `_` (dashes dropped) and keeps one migration per version",
        _ => "refinery refuses to run two migrations with one version",
    }
}

impl Rule for MigrationDuplicateVersion {
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
        let migrations = units::one_per_migration(&all);
        let sql_tool = settings.sql_tool(cx.project);
        let tool_of = |u: &Unit| match u.kind {
            Kind::Sql => sql_tool,
            Kind::DieselDir => Some(Tool::Diesel),
            Kind::RefineryRs => Some(Tool::Refinery),
            Kind::Alembic | Kind::SeaOrm => None,
        };
        let mut seen: Vec<(String, Tool, String, &Unit)> = Vec::new();
        let mut found = Vec::new();
        for (u, _, file) in &migrations {
            let Some(tool) = tool_of(u) else { continue };
            let Some(v) = version(tool, &u.name) else {
                continue;
            };
            match seen
                .iter()
                .find(|(f, t, sv, _)| *f == u.folder && *t == tool && *sv == v)
            {
                Some((_, _, _, first)) => {
                    found.push((file.rel.clone(), u.clone(), (*first).clone(), tool, v))
                }
                None => seen.push((u.folder.clone(), tool, v, u)),
            }
        }
        for (rel, u, first, tool, v) in found {
            let seed_shaped = settings.preset == Preset::Seed
                && matches!(super::names::carried(&u.name), Some(c) if c.form == super::names::Form::Seed)
                && matches!(tool, Tool::Sqlx | Tool::Diesel);
            let example = super::names::carried(&u.name)
                .and_then(|c| Some((c.stamp.ok()?.digits14()?, c.feature)))
                .map(|(ts, f)| {
                    let tail = if u.kind == Kind::DieselDir {
                        "/"
                    } else {
                        u.suffix()
                    };
                    format!(" (here `{ts}_{f}{tail}`)")
                })
                .unwrap_or_default();
            let help = match tool {
                _ if seed_shaped => format!(
                    "the seed's `yyyymmdd_HHmm_` names collide under {} on any day with two migrations: name its migrations `yyyymmddHHMMSS_<feature>`{example} and set `preset = \"{}\"` under `[rules.migration-file-name]`",
                    tool.name(),
                    tool.name()
                ),
                Tool::Refinery => "give it the next free version number".to_string(),
                _ => "give it a version of its own (the date and time it was written)".to_string(),
            };
            let d = cx
                .diag_at(
                    Loc::file_start(rel),
                    format!(
                        "`{}` has the same {} version ({v}) as `{}`: {}",
                        u.display(),
                        tool.name(),
                        first.display(),
                        how(tool)
                    ),
                )
                .with_label("duplicate migration version")
                .with_help(help);
            cx.report(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(
            version(Tool::Sqlx, "20260117_0930_a").as_deref(),
            Some("20260117")
        );
        assert_eq!(version(Tool::Sqlx, "0001_a").as_deref(), Some("1"));
        assert_eq!(version(Tool::Sqlx, "a_b"), None);
        assert_eq!(
            version(Tool::Diesel, "2026-01-17-093000_a").as_deref(),
            Some("20260117093000")
        );
        assert_eq!(version(Tool::Refinery, "V01__a").as_deref(), Some("1"));
        assert_eq!(version(Tool::Refinery, "V1.1__a").as_deref(), Some("1.1"));
    }
}
