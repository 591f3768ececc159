//! Every sea-orm migration module is listed in `Migrator::migrations()`, in the order it was
//! written: sea-orm runs exactly that list, in that order.

use stratalint_engine::{Cx, Hooks, Loc, ProjectCx, Rule, RuleMeta};

use super::preset::Settings;
use super::units::{self, Kind};

static META: RuleMeta = crate::meta!("migration-registration", Migrations, "migrations", Error);

pub struct MigrationRegistration;

/// The list of a `Migrator`, from its file.
#[derive(serde::Serialize, serde::Deserialize)]
struct Registry {
    /// The directory of the file (`migration/src`): its modules are the crate's migrations.
    dir: String,
    entries: Vec<(String, Loc)>,
}

/// `m20220101_000001_…`: a name that sorts by the time it was written.
fn timestamped(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() > 16 && b[0] == b'm' && b[1..9].iter().all(u8::is_ascii_digit) && b[9] == b'_'
}

impl Rule for MigrationRegistration {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::FILE | Hooks::PROJECT
    }

    fn check_file(&self, cx: &mut Cx<'_, '_>, file: &stratalint_engine::syn::File) {
        if cx.in_test() {
            return;
        }
        units::record_rust(cx, file);
        if let Some(entries) = super::sea_orm::registered(file) {
            let rel = &*cx.file().rel;
            let dir = rel.rsplit_once('/').map_or("", |(d, _)| d).to_string();
            let entries = entries
                .into_iter()
                .map(|e| (e.module, cx.loc(e.span)))
                .collect();
            cx.fact(Registry { dir, entries });
        }
    }

    fn check_project(&self, cx: &mut ProjectCx<'_>) {
        let settings = Settings::from_config(cx.config);
        let all = units::collect(cx, &settings);
        let registries: Vec<&Registry> = cx.facts::<Registry>().map(|(r, _)| r).collect();
        let mut out = Vec::new();
        for reg in registries {
            let listed = |name: &str| reg.entries.iter().any(|(n, _)| n == name);
            for (u, _, file) in all
                .iter()
                .filter(|(u, _, _)| u.kind == Kind::SeaOrm && u.folder == reg.dir)
            {
                if !listed(&u.name) {
                    out.push((
                        Loc::file_start(file.rel.clone()),
                        format!("migration `{}` is not listed in `Migrator::migrations()`: sea-orm never runs it", u.name),
                        format!("add `Box::new({}::Migration)` to the list in `{}/lib.rs`, after the migrations written before it", u.name, reg.dir),
                    ));
                }
            }
            for (i, (name, loc)) in reg.entries.iter().enumerate() {
                if reg.entries[..i].iter().any(|(n, _)| n == name) {
                    out.push((
                        loc.clone(),
                        format!("`{name}` is listed twice in `Migrator::migrations()`"),
                        "remove the second entry".to_string(),
                    ));
                    continue;
                }
                let newer = reg.entries[..i]
                    .iter()
                    .filter(|(n, _)| {
                        timestamped(n) && timestamped(name) && n.as_str() > name.as_str()
                    })
                    .map(|(n, _)| n)
                    .max();
                if let Some(newer) = newer {
                    out.push((
                        loc.clone(),
                        format!("`{name}` is listed after `{newer}`, which was written later: sea-orm runs migrations in the order of this list"),
                        "list migrations in the order of their timestamps".to_string(),
                    ));
                }
            }
        }
        for (loc, message, help) in out {
            let d = cx
                .diag_at(loc, message)
                .with_label("migration list")
                .with_help(help);
            cx.report(d);
        }
    }
}
