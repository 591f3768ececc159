//! Migration names: what is wrong with one under a preset, what timestamp it carries whatever its
//! spelling, and the name it should have (for the help text and for `--fix`).

use std::sync::OnceLock;

use regex::Regex;

use super::preset::{Preset, Settings};
use super::timestamp::{in_future, parse_time, Date, Stamp};
use super::units::{Candidate, Kind, Unit};
use crate::naming::to_snake_case;

/// What is wrong with a name, and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub help: String,
}

/// The preset that names a migration of this kind: the configured one where it applies to the
/// kind, else the kind's own tool (a sea-orm module is named the sea-orm way whatever the preset:
/// the seed's names cannot name a Rust module). None: the preset's tool would not run it.
pub fn effective(preset: Preset, kind: Kind) -> Option<Preset> {
    Some(match (kind, preset) {
        (Kind::SeaOrm, _) => Preset::SeaOrm,
        (Kind::RefineryRs, _) => Preset::Refinery,
        (Kind::DieselDir, Preset::Seed) | (Kind::Alembic, Preset::Seed) => Preset::Seed,
        (Kind::DieselDir, _) => Preset::Diesel,
        (Kind::Alembic, _) => Preset::Alembic,
        (Kind::Sql, Preset::Seed | Preset::Sqlx | Preset::Refinery) => preset,
        (Kind::Sql, _) => return None,
    })
}

fn is_snake(f: &str) -> bool {
    f.starts_with(|c: char| c.is_ascii_lowercase())
        && f.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn feature_problem(name: &str, feature: &str) -> Option<String> {
    if feature.is_empty() {
        return Some(format!("`{name}` has no feature name after the timestamp"));
    }
    (!is_snake(feature))
        .then(|| format!("the feature part `{feature}` is not lowercase snake_case"))
}

/// What is wrong with a name under the seed's `yyyymmdd_HHmm_<feature>`, if anything.
pub fn seed_problem(stem: &str) -> Option<String> {
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
    if let Err(e) = Stamp::parse(&stem[..8], Some(&stem[9..13])) {
        return Some(e);
    }
    feature_problem(stem, &stem[14..])
}

fn leading_digits(s: &str) -> usize {
    s.bytes().take_while(u8::is_ascii_digit).count()
}

fn date_like(digits: &str) -> bool {
    matches!(digits.len(), 8 | 12 | 14) && (digits.starts_with("19") || digits.starts_with("20"))
}

/// A date-like version (`yyyymmdd`, `yyyymmddHHmm`, `yyyymmddHHMMSS`) as a stamp.
fn stamp_of_digits(d: &str) -> Result<Stamp, String> {
    match d.len() {
        8 => Stamp::parse(d, None),
        _ => Stamp::parse(&d[..8], Some(&d[8..])),
    }
}

fn sqlx_problem(name: &str) -> Option<String> {
    let n = leading_digits(name);
    if n == 0 {
        return Some(format!(
            "`{name}` has no version: sqlx reads `<VERSION>_<description>.sql` and ignores or rejects other names"
        ));
    }
    if name.as_bytes().get(n) != Some(&b'_') {
        return Some(format!(
            "the version of `{name}` must be followed by `_`: sqlx reads the version up to the first `_`"
        ));
    }
    let (version, rest) = (&name[..n], &name[n + 1..]);
    match version.parse::<i64>() {
        Err(_) => {
            return Some(format!(
                "the version `{version}` is too large for sqlx (a 64-bit integer)"
            ))
        }
        Ok(0) => return Some("sqlx versions start at 1".to_string()),
        Ok(_) => {}
    }
    if date_like(version) {
        if let Err(e) = stamp_of_digits(version) {
            return Some(e);
        }
    }
    let b = rest.as_bytes();
    if n == 8 && leading_digits(rest) == 4 && b.get(4) == Some(&b'_') {
        return Some(format!(
            "`{name}` follows the seed's `yyyymmdd_HHmm_` pattern, but sqlx reads the version up to the first `_` ({version}): the time `{}` is not part of it, so two migrations of one day get the same version",
            &rest[..4]
        ));
    }
    feature_problem(name, rest)
}

fn regex(cell: &'static OnceLock<Regex>, re: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(re).expect("valid regex"))
}

fn sea_orm_problem(name: &str) -> Option<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let Some(c) = regex(&RE, r"^m(\d{8})_(\d{6})_(.*)$").captures(name) else {
        // `m` then digits: say which part is malformed
        let date = name.strip_prefix('m').map_or(0, leading_digits);
        let time = name.get(date + 2..).map_or(0, leading_digits);
        return Some(match (date, name.as_bytes().get(date + 1)) {
            (0, _) => format!("`{name}` has no `mYYYYMMDD_HHMMSS_` timestamp"),
            (8, Some(b'_')) if time == 6 => {
                format!("`{name}` has no feature name after the timestamp")
            }
            (8, Some(b'_')) => format!(
                "the time of `{name}` must have 6 digits (`HHMMSS`) and `_` after the date; it has {time}"
            ),
            _ => format!(
                "the timestamp of `{name}` must start with `m`, an 8-digit date and `_` (`mYYYYMMDD_`); it has {date} digits"
            ),
        });
    };
    if let Err(e) = Stamp::parse(&c[1], Some(&c[2])) {
        return Some(e);
    }
    feature_problem(name, &c[3])
}

fn diesel_problem(name: &str) -> Option<String> {
    static DASHED: OnceLock<Regex> = OnceLock::new();
    static PLAIN: OnceLock<Regex> = OnceLock::new();
    if name == "00000000000000_diesel_initial_setup" {
        return None;
    }
    if let Some(c) = regex(&DASHED, r"^(\d{4})-(\d{2})-(\d{2})-(\d{6})_(.*)$").captures(name) {
        let date = format!("{}{}{}", &c[1], &c[2], &c[3]);
        if let Err(e) = Stamp::parse(&date, Some(&c[4])) {
            return Some(e);
        }
        return feature_problem(name, &c[5]);
    }
    if let Some(c) = regex(&PLAIN, r"^(\d{14})_(.*)$").captures(name) {
        if let Err(e) = stamp_of_digits(&c[1]) {
            return Some(e);
        }
        return feature_problem(name, &c[2]);
    }
    Some(format!("`{name}` has no `YYYY-MM-DD-HHMMSS_` version"))
}

fn refinery_problem(name: &str) -> Option<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    match regex(&RE, r"^[UV]\d+(?:\.\d+)?__(.*)$").captures(name) {
        Some(c) => feature_problem(name, &c[1]),
        None if refinery_version_only(name) => Some(format!(
            "refinery separates the version from the name with `__`: it skips `{name}`"
        )),
        None => Some(format!(
            "`{name}` has no `V<n>__` version: refinery skips it"
        )),
    }
}

/// `V4_add_roles`: a refinery version with a single `_`.
fn refinery_version_only(name: &str) -> bool {
    let b = name.as_bytes();
    matches!(b.first(), Some(b'V' | b'U')) && b.get(1).is_some_and(u8::is_ascii_digit)
}

fn alembic_problem(name: &str, revision: Option<&str>) -> Option<String> {
    match revision {
        Some(rev) => match name.strip_prefix(rev).and_then(|r| r.strip_prefix('_')) {
            Some(rest) => feature_problem(name, rest),
            None => Some(format!(
                "`{name}` does not start with its revision id `{rev}`"
            )),
        },
        None => {
            let hex = name.bytes().take_while(u8::is_ascii_hexdigit).count();
            match name.as_bytes().get(hex) {
                Some(b'_') if hex > 0 => feature_problem(name, &name[hex + 1..]),
                _ => Some(format!("`{name}` does not start with a revision id")),
            }
        }
    }
}

fn custom_problem(re: &Regex, name: &str) -> Option<String> {
    let pattern = re
        .as_str()
        .trim_start_matches("^(?:")
        .trim_end_matches(")$");
    let Some(c) = re.captures(name) else {
        return Some(format!(
            "`{name}` does not match the configured pattern `{pattern}`"
        ));
    };
    let g = |n: &str| c.name(n).map(|m| m.as_str());
    if let (Some(y), Some(m), Some(d)) = (g("year"), g("month"), g("day")) {
        let ymd = format!("{y:0>4}{m:0>2}{d:0>2}");
        if let Err(e) = Date::parse_compact(&ymd) {
            return Some(e);
        }
    }
    if let (Some(h), Some(mi)) = (g("hour"), g("minute")) {
        let t = format!(
            "{h:0>2}{mi:0>2}{}",
            g("second").map(|s| format!("{s:0>2}")).unwrap_or_default()
        );
        if let Err(e) = parse_time(&t) {
            return Some(e);
        }
    }
    None
}

/// What is wrong with a migration's name under the settings, in words (None: nothing).
pub fn name_problem(settings: &Settings, unit: &Unit, candidate: &Candidate) -> Option<String> {
    let preset = effective(settings.preset, unit.kind)?;
    if let Some(p) = &settings.pattern {
        if unit.kind != Kind::SeaOrm {
            return custom_problem(&p.0, &unit.name);
        }
    }
    let name = unit.name.as_str();
    match preset {
        Preset::Seed => seed_problem(name),
        Preset::Sqlx => sqlx_problem(name),
        Preset::SeaOrm => sea_orm_problem(name),
        Preset::Diesel => diesel_problem(name),
        Preset::Refinery => refinery_problem(name),
        Preset::Alembic => alembic_problem(name, revision(candidate)),
    }
}

fn revision(candidate: &Candidate) -> Option<&str> {
    candidate
        .alembic
        .as_ref()
        .and_then(|h| h.revision.as_ref())
        .map(|(r, _)| r.as_str())
}

/// The timestamp forms names carry, whatever the tool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// `yyyymmdd_HHmm_` (the seed).
    Seed,
    /// `mYYYYMMDD_HHMMSS_` (sea-orm).
    SeaOrm,
    /// `YYYY-MM-DD-HHMMSS_` (diesel).
    Diesel,
    /// `yyyymmddHHMMSS_` (sqlx-cli, diesel).
    Digits14,
    /// `yyyymmddHHmm_`.
    Digits12,
    /// `yyyymmdd_` (a date only).
    Digits8,
}

impl Form {
    /// The preset whose names have this form, for hints.
    pub fn preset(self) -> Option<Preset> {
        match self {
            Form::SeaOrm => Some(Preset::SeaOrm),
            Form::Diesel => Some(Preset::Diesel),
            Form::Digits14 | Form::Digits12 => Some(Preset::Sqlx),
            Form::Seed | Form::Digits8 => None,
        }
    }
}

/// A timestamp found at the start of a name, and what follows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Carried<'a> {
    pub form: Form,
    /// Err: the digits are there but are not a real date and time.
    pub stamp: Result<Stamp, String>,
    pub feature: &'a str,
}

/// The timestamp a name starts with, in any of the forms the tools write.
pub fn carried(name: &str) -> Option<Carried<'_>> {
    static SEA: OnceLock<Regex> = OnceLock::new();
    static DIESEL: OnceLock<Regex> = OnceLock::new();
    static SEED: OnceLock<Regex> = OnceLock::new();
    static DIGITS: OnceLock<Regex> = OnceLock::new();
    let rest = |c: &regex::Captures<'_>| {
        let end = c.get(0).map_or(0, |m| m.end());
        &name[end..]
    };
    if let Some(c) = regex(&SEA, r"^m(\d{8})_(\d{6})(?:_|$)").captures(name) {
        let stamp = Stamp::parse(&c[1], Some(&c[2]));
        return Some(Carried {
            form: Form::SeaOrm,
            stamp,
            feature: rest(&c),
        });
    }
    if let Some(c) = regex(&DIESEL, r"^(\d{4})-(\d{2})-(\d{2})-(\d{6})(?:_|$)").captures(name) {
        let stamp = Stamp::parse(&format!("{}{}{}", &c[1], &c[2], &c[3]), Some(&c[4]));
        return Some(Carried {
            form: Form::Diesel,
            stamp,
            feature: rest(&c),
        });
    }
    if let Some(c) = regex(&SEED, r"^(\d{8})_(\d{4})(?:_|$)").captures(name) {
        let stamp = Stamp::parse(&c[1], Some(&c[2]));
        return Some(Carried {
            form: Form::Seed,
            stamp,
            feature: rest(&c),
        });
    }
    let c = regex(&DIGITS, r"^(\d+)(?:_|$)").captures(name)?;
    let digits = &c[1];
    let form = match digits.len() {
        14 => Form::Digits14,
        12 => Form::Digits12,
        8 => Form::Digits8,
        _ => return None,
    };
    if !date_like(digits) {
        return None;
    }
    Some(Carried {
        form,
        stamp: stamp_of_digits(digits),
        feature: rest(&c),
    })
}

/// The name without a sea-orm module's `m` in front of its digits (`m20260117_0930_x` →
/// `20260117_0930_x`); other names as they are.
fn without_module_m(unit: &Unit) -> &str {
    let name = unit.name.as_str();
    match name.strip_prefix('m') {
        Some(rest)
            if unit.kind == Kind::SeaOrm && rest.starts_with(|c: char| c.is_ascii_digit()) =>
        {
            rest
        }
        _ => name,
    }
}

/// The timestamp a migration's name carries: [`carried`], and for a sea-orm module whose name is
/// not sea-orm's `mYYYYMMDD_HHMMSS_` also any form after its `m` (`m20260117_0930_x`).
pub fn carried_of(unit: &Unit) -> Option<Carried<'_>> {
    carried(&unit.name).or_else(|| carried(without_module_m(unit)))
}

/// The timestamp of a migration's name: from the custom pattern's groups when there is one, else
/// in any of the tools' forms.
pub fn stamp_of(settings: &Settings, unit: &Unit) -> Option<Stamp> {
    if let (Some(p), true) = (&settings.pattern, unit.kind != Kind::SeaOrm) {
        let c = p.0.captures(&unit.name)?;
        let g = |n: &str| c.name(n).map(|m| format!("{:0>2}", m.as_str()));
        let date = format!(
            "{:0>4}{}{}",
            c.name("year")?.as_str(),
            g("month")?,
            g("day")?
        );
        let time = match (g("hour"), g("minute")) {
            (Some(h), Some(m)) => Some(format!("{h}{m}{}", g("second").unwrap_or_default())),
            _ => None,
        };
        return Stamp::parse(&date, time.as_deref()).ok();
    }
    carried_of(unit).and_then(|c| c.stamp.ok())
}

/// The feature words of a name, snake_cased, without the timestamp or revision id in front.
fn feature_of(unit: &Unit, candidate: &Candidate) -> String {
    let mut rest = match carried_of(unit) {
        Some(c) => c.feature,
        None => unit.name.as_str(),
    };
    if unit.kind == Kind::Alembic {
        if let Some(r) = revision(candidate).and_then(|rev| rest.strip_prefix(rev)) {
            rest = r;
        } else {
            let hex = rest.bytes().take_while(u8::is_ascii_hexdigit).count();
            // an alembic revision id (12 hex digits by default), not a word that starts with a–f
            if hex >= 8 && rest.as_bytes().get(hex) == Some(&b'_') {
                rest = &rest[hex..];
            }
        }
    }
    if unit.kind == Kind::Sql || unit.kind == Kind::RefineryRs {
        static REFINERY: OnceLock<Regex> = OnceLock::new();
        if let Some(m) = regex(&REFINERY, r"^[UV]\d+(?:\.\d+)?__").find(rest) {
            rest = &rest[m.end()..];
        }
    }
    to_snake_case(rest.trim_matches('_'))
}

/// An alembic file whose name carries a timestamp other than its `Create Date:` header's.
pub fn header_disagrees(unit: &Unit, candidate: &Candidate) -> bool {
    let Some((header, _)) = candidate
        .alembic
        .as_ref()
        .and_then(|h| h.create_date.as_ref())
    else {
        return false;
    };
    match carried(&unit.name).and_then(|c| c.stamp.ok()) {
        Some(named) if named.time.is_some() => !named.same_minute(*header),
        Some(named) => named.date != header.date,
        None => false,
    }
}

/// The name a misnamed migration should have under its preset: Ok(None) when its name is fine,
/// Err(reason) when it cannot be named with certainty (no timestamp, an impossible one, one in the
/// future, a custom pattern). A sea-orm module's name is its module's: `--fix` renames it only
/// where the crate's `lib.rs` can be rewritten with it.
pub fn target(
    settings: &Settings,
    unit: &Unit,
    candidate: &Candidate,
    today: Date,
) -> Result<Option<String>, String> {
    let Some(preset) = effective(settings.preset, unit.kind) else {
        return Ok(None);
    };
    if name_problem(settings, unit, candidate).is_none() && !header_disagrees(unit, candidate) {
        return Ok(None);
    }
    if settings.pattern.is_some() {
        return Err("names under a custom pattern are not renamed automatically".into());
    }
    let feature = feature_of(unit, candidate);
    let no_feature = || Err("its name has no feature words to keep".to_string());
    if preset == Preset::Refinery {
        static RE: OnceLock<Regex> = OnceLock::new();
        return match regex(&RE, r"^([UV]\d+(?:\.\d+)?)__").captures(&unit.name) {
            Some(_) if feature.is_empty() || !is_snake(&feature) => no_feature(),
            Some(c) => Ok(Some(format!("{}__{feature}", &c[1]))),
            None if refinery_version_only(&unit.name) => Err(format!(
                "refinery skips `{}` today: named `V<n>__` it would run it, which only its author can decide",
                unit.name
            )),
            None => Err(
                "refinery versions are sequence numbers: only the author can pick the next one"
                    .into(),
            ),
        };
    }
    if preset == Preset::Alembic {
        return match revision(candidate) {
            Some(_) if feature.is_empty() || !is_snake(&feature) => no_feature(),
            Some(rev) => Ok(Some(format!("{rev}_{feature}"))),
            None => Err("the file has no `revision = …` to name it from".into()),
        };
    }
    let header = candidate
        .alembic
        .as_ref()
        .and_then(|h| h.create_date.as_ref());
    let stamp = match (header, carried_of(unit)) {
        (Some((stamp, _)), _) => *stamp,
        (None, Some(Carried { stamp: Ok(s), .. })) => s,
        (None, Some(Carried { stamp: Err(e), .. })) => {
            return Err(format!("{e}: only its author knows the right timestamp"))
        }
        (None, None) if unit.kind == Kind::Alembic => {
            return Err("it has no `Create Date:` header and no timestamp in its name".into())
        }
        (None, None) if without_module_m(unit).starts_with(|c: char| c.is_ascii_digit()) => {
            let bare = without_module_m(unit);
            let stamp = bare.split('_').next().unwrap_or(bare);
            return Err(format!(
                "its timestamp `{stamp}` is not a date and time in any known form: only its author knows the right one"
            ));
        }
        (None, None) => return Err("its name carries no timestamp to name it from".into()),
    };
    if in_future(stamp.date, today) {
        return Err(format!(
            "its timestamp ({stamp}) is in the future: only its author knows the right one"
        ));
    }
    if feature.is_empty() || !is_snake(&feature) {
        return no_feature();
    }
    let formatted = match preset {
        Preset::Seed => stamp.seed(),
        Preset::Sqlx => stamp.digits14(),
        Preset::SeaOrm => stamp
            .digits14()
            .map(|d| format!("m{}_{}", &d[..8], &d[8..])),
        _ => stamp.diesel(),
    };
    match formatted {
        Some(ts) => Ok(Some(format!("{ts}_{feature}"))),
        None => Err(format!(
            "its name has a date ({}) but no time of day",
            stamp.date
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrations::units::{classify, Direction};

    fn unit(rel: &str) -> Unit {
        classify(rel, &Settings::default(), rel.ends_with("m.rs")).unwrap()
    }

    fn with(preset: Preset) -> Settings {
        Settings {
            preset,
            ..Settings::default()
        }
    }

    #[test]
    fn seed_names() {
        assert_eq!(seed_problem("20260117_0930_create_users_table"), None);
        assert_eq!(seed_problem("20240229_2359_leap_day"), None);
        assert!(seed_problem("20230229_1200_not_leap")
            .unwrap()
            .contains("28 days"));
        assert!(seed_problem("20261301_0930_x")
            .unwrap()
            .contains("month 13"));
        assert!(seed_problem("20260230_0930_x")
            .unwrap()
            .contains("month 2 of 2026 has 28 days"));
        assert!(seed_problem("20260117_0960_x")
            .unwrap()
            .contains("minute 60"));
        assert!(seed_problem("20260117_2400_x").unwrap().contains("hour 24"));
        assert!(seed_problem("2026011_0930_x").unwrap().contains("7 digits"));
        assert!(seed_problem("20260117_0930_CreateUsers")
            .unwrap()
            .contains("snake_case"));
        assert!(seed_problem("create_users")
            .unwrap()
            .contains("no `yyyymmdd_HHmm_` timestamp"));
        assert!(seed_problem("20260117093000_create_users").is_some());
    }

    #[test]
    fn tool_names() {
        assert_eq!(sqlx_problem("20260117093000_create_users"), None);
        assert_eq!(sqlx_problem("202601170930_create_users"), None);
        assert_eq!(sqlx_problem("0001_create_users"), None);
        assert!(sqlx_problem("20260117_0930_create_users")
            .unwrap()
            .contains("same version"));
        assert!(sqlx_problem("20261317093000_x")
            .unwrap()
            .contains("month 13"));
        assert!(sqlx_problem("create_users").unwrap().contains("no version"));
        assert!(sqlx_problem("0_x").is_some());
        assert_eq!(sea_orm_problem("m20220101_000001_create_table"), None);
        assert!(sea_orm_problem("m20220101_0000_create_table")
            .unwrap()
            .contains("6 digits (`HHMMSS`) and `_` after the date; it has 4"));
        assert!(sea_orm_problem("m2022011_000000_x")
            .unwrap()
            .contains("8-digit date and `_` (`mYYYYMMDD_`); it has 7 digits"));
        assert!(sea_orm_problem("m20220101_000000")
            .unwrap()
            .contains("no feature name"));
        assert!(sea_orm_problem("create_table")
            .unwrap()
            .contains("no `mYYYYMMDD_HHMMSS_` timestamp"));
        assert_eq!(diesel_problem("2026-01-17-093000_create_users"), None);
        assert_eq!(diesel_problem("20260117093000_create_users"), None);
        assert_eq!(diesel_problem("00000000000000_diesel_initial_setup"), None);
        assert!(diesel_problem("2026-02-30-093000_x")
            .unwrap()
            .contains("28 days"));
        assert_eq!(refinery_problem("V1__create_users"), None);
        assert!(refinery_problem("V1_create_users").is_some());
        assert!(refinery_problem("V2__CreateUsers")
            .unwrap()
            .contains("snake_case"));
        assert_eq!(
            alembic_problem("a1b2c3d4e5f6_add_email", Some("a1b2c3d4e5f6")),
            None
        );
        assert!(alembic_problem("ffff_add_email", Some("a1b2c3d4e5f6")).is_some());
        assert_eq!(alembic_problem("a1b2_add_email", None), None);
    }

    #[test]
    fn carried_forms() {
        let c = carried("20260117_0930_x").unwrap();
        assert_eq!((c.form, c.feature), (Form::Seed, "x"));
        assert_eq!(carried("2026-01-17-093000_x").unwrap().form, Form::Diesel);
        assert_eq!(carried("m20260117_093000_x").unwrap().form, Form::SeaOrm);
        assert_eq!(carried("20260117093000_x").unwrap().form, Form::Digits14);
        assert!(carried("20261301_0930_x").unwrap().stamp.is_err());
        assert_eq!(carried("0001_x"), None);
        assert_eq!(carried("create_users"), None);
    }

    #[test]
    fn targets() {
        let today = Date::new(2026, 11, 26).unwrap();
        let c = Candidate::default();
        let t = |s: &Settings, rel: &str| target(s, &unit(rel), &c, today);
        let seed = Settings::default();
        assert_eq!(
            t(&seed, "migrations/20260117093000_create_users.sql"),
            Ok(Some("20260117_0930_create_users".into()))
        );
        assert_eq!(
            t(&seed, "migrations/20260119_0915_AddApiKeyScopes.sql"),
            Ok(Some("20260119_0915_add_api_key_scopes".into()))
        );
        assert_eq!(t(&seed, "migrations/20260117_0930_ok.sql"), Ok(None));
        assert!(t(&seed, "migrations/20261301_0930_x.sql")
            .unwrap_err()
            .contains("month 13"));
        assert!(t(&seed, "migrations/create_users.sql")
            .unwrap_err()
            .contains("no timestamp"));
        assert!(t(&seed, "migrations/20990101_0930_x.sql").is_ok_and(|x| x.is_none()));
        assert!(t(&seed, "migrations/20990101093000_x.sql")
            .unwrap_err()
            .contains("future"));
        assert!(t(&seed, "migrations/20260117_x.sql")
            .unwrap_err()
            .contains("no time of day"));
        let u = unit("migrations/2026-01-17-093000_create_users/up.sql");
        assert_eq!((u.kind, u.direction), (Kind::DieselDir, Direction::Up));
        assert_eq!(
            target(&seed, &u, &c, today),
            Ok(Some("20260117_0930_create_users".into()))
        );
        let sqlx = with(Preset::Sqlx);
        assert_eq!(
            t(&sqlx, "migrations/20260117_0930_create_users.up.sql"),
            Ok(Some("20260117093000_create_users".into()))
        );
        let diesel = with(Preset::Diesel);
        assert_eq!(
            target(
                &diesel,
                &unit("migrations/20260117_0930_create_users/up.sql"),
                &c,
                today
            ),
            Ok(Some("2026-01-17-093000_create_users".into()))
        );
        let refinery = with(Preset::Refinery);
        assert_eq!(
            t(&refinery, "migrations/V2__AddEmail.sql"),
            Ok(Some("V2__add_email".into()))
        );
        assert!(t(&refinery, "migrations/add_email.sql").is_err());
        assert!(target(&seed, &unit("migration/src/m.rs"), &c, today)
            .unwrap_err()
            .contains("no timestamp"));
        // a sea-orm module, from the version it carries, after its `m` too
        let module = |rel: &str| target(&seed, &classify(rel, &seed, true).unwrap(), &c, today);
        assert_eq!(
            module("migration/src/m20260118_093000_AddPosts.rs"),
            Ok(Some("m20260118_093000_add_posts".into()))
        );
        assert_eq!(
            module("migration/src/m20260117_0930_short_time.rs"),
            Ok(Some("m20260117_093000_short_time".into()))
        );
        assert_eq!(
            module("migration/src/m20260117093000_digits.rs"),
            Ok(Some("m20260117_093000_digits".into()))
        );
        assert_eq!(module("migration/src/m20260117_093000_ok.rs"), Ok(None));
        assert!(module("migration/src/m2026011_093000_seven.rs")
            .unwrap_err()
            .contains("`2026011` is not a date"));
        assert!(module("migration/src/m20260230_093000_x.rs")
            .unwrap_err()
            .contains("28 days"));
        assert!(module("migration/src/m20260117_096000_x.rs")
            .unwrap_err()
            .contains("minute 60"));
        assert!(module("migration/src/create_sessions.rs")
            .unwrap_err()
            .contains("no timestamp"));
    }
}
