//! Where migrations live and how they are named: the presets (the seed's convention and each
//! migration tool's), a custom pattern, the folders, and which tool runs them.
//!
//! The settings are `[rules.migration-file-name]` options; the other migration rules read the
//! same table (through [`Settings::from_config`]) so that one preset describes the project.

use regex::Regex;
use serde::Deserialize;
use stratalint_engine::project::{FileKind, Project};
use stratalint_engine::{Config, Rule, RuleOptions};

/// A naming convention and the tool it belongs to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Preset {
    /// The seed's `yyyymmdd_HHmm_<feature>` (its Alembic convention), for any tool.
    #[default]
    Seed,
    /// `<VERSION>_<description>.sql` (`.up.sql`/`.down.sql`), the version a timestamp
    /// `yyyymmddHHMMSS` or a sequence number.
    Sqlx,
    /// `mYYYYMMDD_HHMMSS_<name>.rs` modules of a `migration` crate.
    SeaOrm,
    /// `YYYY-MM-DD-HHMMSS_<name>/up.sql` and `down.sql`.
    Diesel,
    /// `V<n>__<name>.sql` (or `.rs`).
    Refinery,
    /// `<revision>_<slug>.py` in `alembic/versions`.
    Alembic,
}

impl Preset {
    pub const ALL: [Preset; 6] = [
        Preset::Seed,
        Preset::Sqlx,
        Preset::SeaOrm,
        Preset::Diesel,
        Preset::Refinery,
        Preset::Alembic,
    ];

    /// The value to write in `stratalint.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Preset::Seed => "seed",
            Preset::Sqlx => "sqlx",
            Preset::SeaOrm => "sea-orm",
            Preset::Diesel => "diesel",
            Preset::Refinery => "refinery",
            Preset::Alembic => "alembic",
        }
    }

    /// The pattern in words, for messages.
    pub fn shape(self) -> &'static str {
        match self {
            Preset::Seed => "yyyymmdd_HHmm_<feature>",
            Preset::Sqlx => "<VERSION>_<description>.sql",
            Preset::SeaOrm => "mYYYYMMDD_HHMMSS_<name>.rs",
            Preset::Diesel => "YYYY-MM-DD-HHMMSS_<name>/",
            Preset::Refinery => "V<n>__<name>",
            Preset::Alembic => "<revision>_<slug>.py",
        }
    }
}

/// The tool that runs a migration, which decides how it reads a version from the name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tool {
    Sqlx,
    SeaOrm,
    Diesel,
    Refinery,
    Alembic,
}

impl Tool {
    pub fn name(self) -> &'static str {
        match self {
            Tool::Sqlx => "sqlx",
            Tool::SeaOrm => "sea-orm",
            Tool::Diesel => "diesel",
            Tool::Refinery => "refinery",
            Tool::Alembic => "alembic",
        }
    }
}

/// A custom name pattern: a regex matched against the whole name (file stem, or a diesel
/// directory), with optional named groups `year`, `month`, `day`, `hour`, `minute`, `second`
/// that are checked against the calendar.
#[derive(Clone, Debug)]
pub struct Pattern(pub Regex);

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Pattern;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a regular expression")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Pattern, E> {
                let re = Regex::new(&format!("^(?:{s})$"))
                    .map_err(|e| E::custom(format!("invalid pattern: {e}")))?;
                let known = [
                    "year", "month", "day", "hour", "minute", "second", "feature",
                ];
                if let Some(bad) = re.capture_names().flatten().find(|n| !known.contains(n)) {
                    return Err(E::custom(format!(
                        "unknown group `{bad}` in pattern; the named groups are {}",
                        known.join(", ")
                    )));
                }
                Ok(Pattern(re))
            }
        }
        d.deserialize_str(V)
    }
}

/// Options of `[rules.migration-file-name]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    #[serde(default)]
    pub preset: Preset,
    /// A custom name pattern, instead of the preset's (the preset still names the tool).
    pub pattern: Option<Pattern>,
    /// Folders holding migrations, relative to the project root; replaces the defaults
    /// (`migrations/`, a sea-orm `migration` crate, `alembic/versions/`).
    #[serde(default)]
    pub folders: Vec<String>,
}

/// The rule id the settings belong to.
pub const SETTINGS_RULE: &str = "migration-file-name";

impl Settings {
    pub fn from_options(options: RuleOptions<'_>) -> Result<Settings, toml::de::Error> {
        let mut s = Settings::deserialize(options)?;
        for f in &mut s.folders {
            *f = f.trim_start_matches("./").trim_end_matches('/').to_string();
        }
        Ok(s)
    }

    /// The settings of the project's configuration (errors were reported when the check started;
    /// here they fall back to the defaults).
    pub fn from_config(config: &Config) -> Settings {
        let mut probe = crate::migrations::migration_file_name::MigrationFileName::default();
        match config.configure_rule(&mut probe as &mut dyn Rule) {
            Ok(()) => probe.settings,
            Err(_) => Settings::default(),
        }
    }

    /// The tool that runs `.sql` migrations kept flat in a folder, when the preset does not say:
    /// from the dependencies.
    pub fn sql_tool(&self, project: &Project) -> Option<Tool> {
        match self.preset {
            Preset::Sqlx => Some(Tool::Sqlx),
            Preset::Refinery => Some(Tool::Refinery),
            Preset::Diesel | Preset::SeaOrm | Preset::Alembic => None,
            Preset::Seed if depends_on(project, "refinery") => Some(Tool::Refinery),
            Preset::Seed if depends_on(project, "sqlx") => Some(Tool::Sqlx),
            Preset::Seed => None,
        }
    }
}

/// Does any crate of the project depend on `package` (`_`-normalised)?
pub fn depends_on(project: &Project, package: &str) -> bool {
    project
        .crates
        .iter()
        .any(|c| c.deps.iter().any(|d| d.package == package))
}

/// The preset that fits a project, for `stratalint init`: from the shape of its migration folders
/// first (diesel directories, a sea-orm migration crate, alembic versions, refinery `V1__` files),
/// then from its dependencies. When most existing `.sql` migrations have the shape of the seed's
/// convention, the seed's preset is kept (the migration rules then tell where the tool disagrees
/// with it). None when the project shows no migrations and no migration tool.
pub fn detect_preset(project: &Project) -> Option<Preset> {
    let rels = || project.files.iter().map(|f| &*f.rel);
    let in_migrations = |rel: &str| {
        let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
        dir == "migrations" || dir.ends_with("/migrations")
    };
    let file_name = |rel: &str| rel.rsplit('/').next().unwrap_or("").to_string();
    let diesel_dirs = rels().any(|r| {
        let mut parts = r.rsplit('/');
        let (f, _dir, parent) = (parts.next(), parts.next(), parts.next());
        matches!(f, Some("up.sql" | "down.sql")) && parent == Some("migrations")
    });
    if diesel_dirs {
        return Some(Preset::Diesel);
    }
    let sea_orm_module = rels().any(|r| {
        let name = file_name(r);
        r.contains("migration/src/m")
            && name[1..].starts_with(|c: char| c.is_ascii_digit())
            && name.ends_with(".rs")
    });
    if sea_orm_module || depends_on(project, "sea_orm_migration") {
        return Some(Preset::SeaOrm);
    }
    if rels().any(|r| r.contains("alembic/versions/")) {
        return Some(Preset::Alembic);
    }
    let sql: Vec<String> = project
        .files
        .iter()
        .filter(|f| f.kind == FileKind::Sql && in_migrations(&f.rel))
        .map(|f| file_name(&f.rel))
        .collect();
    let refinery_named = |n: &String| {
        let b = n.as_bytes();
        matches!(b.first(), Some(b'V' | b'U'))
            && b.get(1).is_some_and(u8::is_ascii_digit)
            && n.contains("__")
    };
    if sql.iter().any(refinery_named) || depends_on(project, "refinery") {
        return Some(Preset::Refinery);
    }
    // the seed's shape, `yyyymmdd_HHmm_`, valid or not: most files have it
    let seed_shaped = |n: &&String| {
        let b = n.as_bytes();
        b.len() > 14
            && b[..8].iter().all(u8::is_ascii_digit)
            && b[8] == b'_'
            && b[9..13].iter().all(u8::is_ascii_digit)
            && b[13] == b'_'
    };
    if sql.iter().filter(seed_shaped).count() * 2 > sql.len() {
        return Some(Preset::Seed);
    }
    if depends_on(project, "diesel_migrations") || depends_on(project, "diesel") {
        return Some(Preset::Diesel);
    }
    if depends_on(project, "sqlx") {
        return Some(Preset::Sqlx);
    }
    if !sql.is_empty() {
        return Some(Preset::Seed);
    }
    None
}
