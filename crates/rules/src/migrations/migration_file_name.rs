//! Migrations are named `yyyymmdd_HHmm_<feature>` (the seed's Alembic convention), with a real date.

use stratalint_engine::{Hooks, Rule, RuleMeta, TextCx, TextFile};

static META: RuleMeta = crate::meta!("migration-file-name", Migrations, "migrations", Error);

pub struct MigrationFileName;

/// Is this a migration file the seed's pattern applies to: a `.sql` file directly in a
/// `migrations/` folder, or an alembic revision in `alembic/versions/`?
fn migration_name(rel: &str) -> Option<(&str, &str)> {
    let (dir, file) = rel.rsplit_once('/')?;
    let parent = dir.rsplit('/').next().unwrap_or(dir);
    if parent == "migrations" {
        let stem = file.strip_suffix(".sql")?;
        let stem = stem
            .strip_suffix(".up")
            .or_else(|| stem.strip_suffix(".down"))
            .unwrap_or(stem);
        return Some((stem, ".sql"));
    }
    if dir == "alembic/versions" || dir.ends_with("/alembic/versions") {
        let stem = file.strip_suffix(".py")?;
        return (stem != "__init__").then_some((stem, ".py"));
    }
    None
}

/// What is wrong with a migration name, if anything.
pub fn problem(stem: &str) -> Option<String> {
    let bytes = stem.as_bytes();
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return Some(format!("`{stem}` has no `yyyymmdd_HHmm_` timestamp"));
    }
    if digits != 8 || bytes.get(8) != Some(&b'_') {
        return Some(format!(
            "the timestamp of `{stem}` must start with an 8-digit date and `_` (`yyyymmdd_HHmm_`); it has {digits} digits"
        ));
    }
    let time_digits = bytes[9..].iter().take_while(|b| b.is_ascii_digit()).count();
    if time_digits != 4 || bytes.get(13) != Some(&b'_') {
        return Some(format!(
            "`{stem}` must have a 4-digit time `HHmm` and `_` after the date"
        ));
    }
    let num = |s: &str| s.parse::<u32>().unwrap_or(0);
    let (y, m, d) = (num(&stem[0..4]), num(&stem[4..6]), num(&stem[6..8]));
    let (hh, mm) = (num(&stem[9..11]), num(&stem[11..13]));
    if !(1..=12).contains(&m) {
        return Some(format!(
            "`{}` is not a valid date: there is no month {m}",
            &stem[..8]
        ));
    }
    if d == 0 || d > days_in_month(y, m) {
        return Some(format!(
            "`{}` is not a valid date: month {m} of {y} has {} days",
            &stem[..8],
            days_in_month(y, m)
        ));
    }
    if hh > 23 {
        return Some(format!("`{}` is not a valid time: hour {hh}", &stem[9..13]));
    }
    if mm > 59 {
        return Some(format!(
            "`{}` is not a valid time: minute {mm}",
            &stem[9..13]
        ));
    }
    let feature = &stem[14..];
    if feature.is_empty() {
        return Some(format!("`{stem}` has no feature name after the timestamp"));
    }
    let snake = feature.starts_with(|c: char| c.is_ascii_lowercase())
        && feature
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !snake {
        return Some(format!(
            "the feature part `{feature}` is not lowercase snake_case"
        ));
    }
    None
}

pub fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl Rule for MigrationFileName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::TEXT_FILE
    }

    fn check_text_file(&self, cx: &mut TextCx<'_>, file: &TextFile<'_>) {
        let Some((stem, ext)) = migration_name(file.rel_path) else {
            return;
        };
        let Some(problem) = problem(stem) else { return };
        let d = cx
            .diag_at(cx.file_loc(), format!("migration name does not follow `yyyymmdd_HHmm_<feature>{ext}`: {problem}"))
            .with_label("misnamed migration")
            .with_help(format!("rename it like `20260117_0930_create_users_table{ext}` (date and time it was written, then what it does)"));
        cx.report(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(problem("20260117_0930_create_users_table"), None);
        assert_eq!(problem("20240229_2359_leap_day"), None);
        assert!(problem("20230229_1200_not_leap")
            .unwrap()
            .contains("28 days"));
        assert!(problem("20261301_0930_x").unwrap().contains("month 13"));
        assert!(problem("20260230_0930_x")
            .unwrap()
            .contains("month 2 of 2026 has 28 days"));
        assert!(problem("20260117_0960_x").unwrap().contains("minute 60"));
        assert!(problem("20260117_2400_x").unwrap().contains("hour 24"));
        assert!(problem("2026011_0930_x").unwrap().contains("7 digits"));
        assert!(problem("20260117_0930_CreateUsers")
            .unwrap()
            .contains("snake_case"));
        assert!(problem("create_users")
            .unwrap()
            .contains("no `yyyymmdd_HHmm_` timestamp"));
        assert!(problem("20260117093000_create_users").is_some());
        assert_eq!(
            migration_name("migrations/20260117_0930_a.up.sql"),
            Some(("20260117_0930_a", ".sql"))
        );
        assert_eq!(migration_name("alembic/versions/__init__.py"), None);
        assert_eq!(migration_name("src/migrations.rs"), None);
    }
}
