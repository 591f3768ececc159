//! Which files are migrations, and the migration each one belongs to: a `.sql` file (sqlx's
//! `.up.sql`/`.down.sql` halves share one), a diesel directory (`<name>/up.sql`, `down.sql`), an
//! alembic revision, a sea-orm migration module, a refinery `V1__x.rs`.
//!
//! The per-file hooks of the migration rules record a [`Candidate`] for every file that may be a
//! migration; `check_project` classifies them with the project's [`Settings`].

use stratalint_engine::project::{FileInfo, FileKind};
use stratalint_engine::{Cx, Loc, ProjectCx, TextCx, TextFile};

use super::alembic::{self, AlembicHeader};
use super::preset::Settings;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A `.sql` file directly in the folder (sqlx, refinery, the seed's).
    Sql,
    /// A diesel migration directory holding `up.sql` and `down.sql`.
    DieselDir,
    /// An alembic revision (`.py`).
    Alembic,
    /// A module of a sea-orm `migration` crate (`impl MigrationTrait for Migration`).
    SeaOrm,
    /// A refinery Rust migration (`V1__name.rs`).
    RefineryRs,
}

/// Which half of a reversible migration a file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    Up,
    Down,
    /// Not split in halves.
    Only,
}

/// One migration, as one of its files shows it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Unit {
    /// The folder of the migrations, relative to the root (`migrations`, `migration/src`).
    pub folder: String,
    /// The name the tool reads: the file stem without `.up`/`.down`, or the diesel directory.
    pub name: String,
    pub kind: Kind,
    pub direction: Direction,
}

impl Unit {
    /// What follows the name in the file's path (`.sql`, `.up.sql`, `/up.sql`, `.py`, `.rs`).
    pub fn suffix(&self) -> &'static str {
        match (self.kind, self.direction) {
            (Kind::Sql, Direction::Up) => ".up.sql",
            (Kind::Sql, Direction::Down) => ".down.sql",
            (Kind::Sql, Direction::Only) => ".sql",
            (Kind::DieselDir, Direction::Down) => "/down.sql",
            (Kind::DieselDir, _) => "/up.sql",
            (Kind::Alembic, _) => ".py",
            (Kind::SeaOrm | Kind::RefineryRs, _) => ".rs",
        }
    }

    /// The thing to rename: the file, or the diesel directory.
    pub fn renamed_path(&self, name: &str) -> String {
        let tail = match self.kind {
            Kind::DieselDir => String::new(),
            _ => self.suffix().to_string(),
        };
        if self.folder.is_empty() {
            format!("{name}{tail}")
        } else {
            format!("{}/{name}{tail}", self.folder)
        }
    }

    /// How a reader names it: `20260117_0930_x.sql`, `2026-01-17-093000_x/`.
    pub fn display(&self) -> String {
        match self.kind {
            Kind::DieselDir => format!("{}/", self.name),
            Kind::Sql => format!("{}{}", self.name, self.suffix()),
            _ => format!("{}{}", self.name, self.suffix()),
        }
    }
}

/// What a migration rule records of a file that may be a migration.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Candidate {
    pub alembic: Option<AlembicHeader>,
    /// A sea-orm migration module: does its `impl MigrationTrait` have a `down`, and where is it.
    pub sea_orm: Option<SeaOrmModule>,
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct SeaOrmModule {
    pub has_down: bool,
    pub impl_loc: Loc,
}

fn split_dir(rel: &str) -> (&str, &str) {
    rel.rsplit_once('/').unwrap_or(("", rel))
}

fn last_segment(dir: &str) -> &str {
    dir.rsplit('/').next().unwrap_or(dir)
}

fn in_folder(dir: &str, settings: &Settings) -> bool {
    if settings.folders.is_empty() {
        last_segment(dir) == "migrations" && !dir.is_empty()
    } else {
        settings.folders.iter().any(|f| f == dir)
    }
}

fn alembic_folder(dir: &str, settings: &Settings) -> bool {
    if settings.folders.is_empty() {
        dir == "alembic/versions" || dir.ends_with("/alembic/versions")
    } else {
        settings.folders.iter().any(|f| f == dir)
    }
}

/// `V1__x`, `U2__y`, `V1.1__z`: refinery's names (its own regex: `^[UV]\d+(\.\d+)?__\w+`).
pub fn refinery_named(stem: &str) -> bool {
    let b = stem.as_bytes();
    matches!(b.first(), Some(b'V' | b'U'))
        && b.get(1).is_some_and(u8::is_ascii_digit)
        && stem.contains("__")
}

/// The migration a file belongs to, if it is one.
pub fn classify(rel: &str, settings: &Settings, sea_orm_module: bool) -> Option<Unit> {
    let (dir, file) = split_dir(rel);
    let unit = |folder: &str, name: &str, kind, direction| {
        Some(Unit {
            folder: folder.to_string(),
            name: name.to_string(),
            kind,
            direction,
        })
    };
    match FileKind::of(rel) {
        FileKind::Sql => {
            let stem = file.strip_suffix(".sql")?;
            if in_folder(dir, settings) {
                return match (stem.strip_suffix(".up"), stem.strip_suffix(".down")) {
                    (Some(s), _) => unit(dir, s, Kind::Sql, Direction::Up),
                    (_, Some(s)) => unit(dir, s, Kind::Sql, Direction::Down),
                    _ => unit(dir, stem, Kind::Sql, Direction::Only),
                };
            }
            let (parent, name) = split_dir(dir);
            if matches!(file, "up.sql" | "down.sql") && in_folder(parent, settings) {
                let direction = if file == "up.sql" {
                    Direction::Up
                } else {
                    Direction::Down
                };
                return unit(parent, name, Kind::DieselDir, direction);
            }
            // refinery finds its files in subfolders too
            if refinery_named(stem) {
                let mut d = dir;
                while let Some((up, _)) = d.rsplit_once('/') {
                    if in_folder(up, settings) {
                        return unit(up, stem, Kind::Sql, Direction::Only);
                    }
                    d = up;
                }
            }
            None
        }
        FileKind::Python => {
            let stem = file.strip_suffix(".py")?;
            (alembic_folder(dir, settings) && stem != "__init__")
                .then(|| unit(dir, stem, Kind::Alembic, Direction::Only))?
        }
        FileKind::Rust => {
            let stem = file.strip_suffix(".rs")?;
            if sea_orm_module {
                return unit(dir, stem, Kind::SeaOrm, Direction::Only);
            }
            (refinery_named(stem) && in_folder(dir, settings))
                .then(|| unit(dir, stem, Kind::RefineryRs, Direction::Only))?
        }
        FileKind::Other => None,
    }
}

/// Is this Rust file a migration: a sea-orm migration module, a refinery `V1__x.rs`?
pub fn is_rust_migration(
    rel: &str,
    settings: &Settings,
    file: &stratalint_engine::syn::File,
) -> bool {
    classify(
        rel,
        settings,
        super::sea_orm::migration_impl(file).is_some(),
    )
    .is_some()
}

/// May this non-Rust file be a migration (whatever the settings)?
fn maybe_migration_text(rel: &str) -> bool {
    matches!(FileKind::of(rel), FileKind::Sql | FileKind::Python)
}

/// Record the candidate fact of a `.sql`/`.py` file (the alembic header read here).
pub fn record_text(cx: &mut TextCx<'_>, file: &TextFile<'_>) {
    if !maybe_migration_text(file.rel_path) {
        return;
    }
    let alembic = match (FileKind::of(file.rel_path), file.text) {
        (FileKind::Python, Some(src)) => Some(alembic::read(src.text(), |s, e| cx.loc_range(s, e))),
        _ => None,
    };
    cx.fact(Candidate {
        alembic,
        sea_orm: None,
    });
}

/// Record the candidate fact of a Rust file that is a sea-orm migration module or a refinery
/// Rust migration.
pub fn record_rust(cx: &mut Cx<'_, '_>, file: &stratalint_engine::syn::File) {
    if cx.in_test() {
        return;
    }
    let rel = &*cx.file().rel;
    let stem = rel
        .rsplit('/')
        .next()
        .unwrap_or(rel)
        .trim_end_matches(".rs");
    let sea_orm = super::sea_orm::migration_impl(file).map(|(has_down, span)| SeaOrmModule {
        has_down,
        impl_loc: cx.loc(span),
    });
    if sea_orm.is_some() || refinery_named(stem) {
        cx.fact(Candidate {
            alembic: None,
            sea_orm,
        });
    }
}

/// The migrations of the project: every candidate the rule recorded, classified.
pub fn collect<'a>(
    cx: &ProjectCx<'a>,
    settings: &Settings,
) -> Vec<(Unit, &'a Candidate, &'a FileInfo)> {
    let mut out: Vec<(Unit, &Candidate, &FileInfo)> = cx
        .facts::<Candidate>()
        .filter_map(|(c, f)| classify(&f.rel, settings, c.sea_orm.is_some()).map(|u| (u, c, f)))
        .collect();
    out.sort_by(|a, b| a.2.rel.cmp(&b.2.rel));
    out
}

/// One entry per migration (its `up`/only file), in path order.
pub fn one_per_migration<'a>(
    all: &[(Unit, &'a Candidate, &'a FileInfo)],
) -> Vec<(Unit, &'a Candidate, &'a FileInfo)> {
    let mut out: Vec<(Unit, &Candidate, &FileInfo)> = Vec::new();
    for (u, c, f) in all {
        let same = |o: &(Unit, &Candidate, &FileInfo)| {
            o.0.folder == u.folder && o.0.name == u.name && o.0.kind == u.kind
        };
        match out.iter_mut().find(|o| same(o)) {
            Some(o) if o.0.direction == Direction::Down && u.direction != Direction::Down => {
                *o = (u.clone(), *c, *f)
            }
            Some(_) => {}
            None => out.push((u.clone(), *c, *f)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s() -> Settings {
        Settings::default()
    }

    #[test]
    fn classifies() {
        let u = classify("migrations/20260117_0930_a.up.sql", &s(), false).unwrap();
        assert_eq!(
            (u.name.as_str(), u.kind, u.direction),
            ("20260117_0930_a", Kind::Sql, Direction::Up)
        );
        assert_eq!(u.display(), "20260117_0930_a.up.sql");
        let u = classify("db/migrations/2026-01-17-093000_a/down.sql", &s(), false).unwrap();
        assert_eq!(
            (u.folder.as_str(), u.name.as_str(), u.kind),
            ("db/migrations", "2026-01-17-093000_a", Kind::DieselDir)
        );
        assert_eq!(u.renamed_path("b"), "db/migrations/b");
        let u = classify("alembic/versions/abc_x.py", &s(), false).unwrap();
        assert_eq!(u.kind, Kind::Alembic);
        assert_eq!(classify("alembic/versions/__init__.py", &s(), false), None);
        assert_eq!(classify("src/migrations.rs", &s(), false), None);
        assert_eq!(classify("db/seed.sql", &s(), false), None);
        assert_eq!(
            classify("migrations/postgres/V1__init.sql", &s(), false)
                .unwrap()
                .folder,
            "migrations"
        );
        assert_eq!(
            classify("migration/src/m20220101_000001_x.rs", &s(), true)
                .unwrap()
                .kind,
            Kind::SeaOrm
        );
        assert_eq!(classify("migration/src/lib.rs", &s(), false), None);
        let custom = Settings {
            folders: vec!["db/changes".into()],
            ..Settings::default()
        };
        assert!(classify("db/changes/x.sql", &custom, false).is_some());
        assert!(classify("migrations/x.sql", &custom, false).is_none());
    }
}
