//! The alembic history is one chain: every `down_revision` names a revision that exists, no two
//! files share a revision id, and there is one head.

use stratalint_engine::{Hooks, Loc, ProjectCx, Rule, RuleMeta, TextCx, TextFile};

use super::preset::Settings;
use super::units::{self, Kind};

static META: RuleMeta = crate::meta!("alembic-revision-chain", Migrations, "migrations", Error);

pub struct AlembicRevisionChain;

/// A revision file of the history.
struct Revision<'a> {
    folder: &'a str,
    id: &'a str,
    loc: &'a Loc,
    /// The parents and where they are named; None without a `down_revision`.
    down: Option<&'a (Vec<String>, Loc)>,
    file: &'a str,
}

impl Rule for AlembicRevisionChain {
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
        let revs: Vec<Revision<'_>> = all
            .iter()
            .filter(|(u, _, _)| u.kind == Kind::Alembic)
            .filter_map(|(u, c, f)| {
                let h = c.alembic.as_ref()?;
                let (id, loc) = h.revision.as_ref()?;
                Some(Revision {
                    folder: &u.folder,
                    id,
                    loc,
                    down: h.down_revision.as_ref(),
                    file: &f.rel,
                })
            })
            .collect();
        let mut out: Vec<(Loc, String, String)> = Vec::new();
        for (i, r) in revs.iter().enumerate() {
            if let Some(first) = revs[..i]
                .iter()
                .find(|o| o.folder == r.folder && o.id == r.id)
            {
                out.push((
                    r.loc.clone(),
                    format!("revision `{}` is also the revision of `{}`: alembic cannot tell them apart", r.id, first.file),
                    "give this revision a new id (`alembic revision` makes one) and point its children at it".into(),
                ));
                continue;
            }
            let Some((parents, loc)) = r.down else {
                continue;
            };
            for p in parents {
                if !revs.iter().any(|o| o.folder == r.folder && o.id == p) {
                    out.push((
                        loc.clone(),
                        format!("`down_revision` names `{p}`, which no revision in `{}` has: alembic cannot build the history", r.folder),
                        "point it at the revision this one follows (`alembic heads` before adding a revision tells which)".into(),
                    ));
                }
            }
        }
        // heads: revisions no other revision names as its parent (each id once: a duplicate is
        // reported above)
        let mut folders: Vec<&str> = revs.iter().map(|r| r.folder).collect();
        folders.sort();
        folders.dedup();
        for folder in folders {
            let mut in_folder: Vec<&Revision<'_>> = Vec::new();
            for r in revs.iter().filter(|r| r.folder == folder) {
                if !in_folder.iter().any(|o| o.id == r.id) {
                    in_folder.push(r);
                }
            }
            let is_parent = |id: &str| {
                in_folder
                    .iter()
                    .any(|r| r.down.is_some_and(|(ps, _)| ps.iter().any(|p| p == id)))
            };
            let heads: Vec<&&Revision<'_>> =
                in_folder.iter().filter(|r| !is_parent(r.id)).collect();
            if heads.len() < 2 {
                continue;
            }
            let ids: Vec<&str> = heads.iter().map(|h| h.id).collect();
            let listed: Vec<String> = ids.iter().map(|id| format!("`{id}`")).collect();
            for h in &heads[1..] {
                out.push((
                    h.loc.clone(),
                    format!("revision `{}` is a second head of the history ({}): `alembic upgrade head` refuses to run", h.id, listed.join(", ")),
                    format!("make it follow the latest revision (`down_revision`), or merge the heads: `alembic merge -m \"merge heads\" {}`", ids.join(" ")),
                ));
            }
        }
        for (loc, message, help) in out {
            let d = cx
                .diag_at(loc, message)
                .with_label("alembic history")
                .with_help(help);
            cx.report(d);
        }
    }
}
