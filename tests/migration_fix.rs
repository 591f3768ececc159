//! `stratalint check --fix` / `--diff` on copies of the migration fixtures: what is renamed, what is
//! refused and why, that nothing is overwritten, and that a second run has nothing left to do.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use stratalint_engine::CheckOptions;
use stratalint_rules::migrations::fix;

fn plan(root: &Path) -> fix::Plan {
    let opts = CheckOptions {
        paths: vec![root.to_path_buf()],
        cwd: root.to_path_buf(),
        jobs: Some(2),
        ..CheckOptions::default()
    };
    fix::plan(&opts).expect("plan")
}

fn renames(p: &fix::Plan) -> Vec<(String, String)> {
    p.renames
        .iter()
        .map(|r| (r.from.clone(), r.to.clone()))
        .collect()
}

fn refused(p: &fix::Plan) -> Vec<String> {
    p.refusals
        .iter()
        .map(|r| format!("{}: {}", r.path, r.reason))
        .collect()
}

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_string(), b.to_string())
}

#[test]
fn seed_preset_renames_what_it_can_name_and_refuses_the_rest() {
    let dir = common::copy_fixture("rules/migrations/presets/seed");
    let root = dir.path();
    let p = plan(root);
    assert_eq!(
        renames(&p),
        [
            pair(
                "migrations/20260119_0915_AddApiKeyScopes.sql",
                "migrations/20260119_0915_add_api_key_scopes.sql"
            ),
            pair(
                "migrations/20260120093000_add_webhooks.sql",
                "migrations/20260120_0930_add_webhooks.sql"
            ),
        ]
    );
    // sqlx records the second by a new version: the user is told
    assert!(p.renames[0].note.is_none());
    assert!(
        p.renames[1]
            .note
            .as_deref()
            .is_some_and(|n| n.contains("_sqlx_migrations")),
        "{:?}",
        p.renames[1]
    );
    let refusals = refused(&p);
    for expected in [
        "migrations/2026011_0930_add_user_roles.sql: its timestamp `2026011` is not a date and time in any known form",
        "migrations/20260119_0960_add_tags.sql: `0960` is not a valid time: minute 60",
        "migrations/20260230_0930_add_invoices.sql: `20260230` is not a valid date: month 2 of 2026 has 28 days",
        "migrations/20261301_0930_add_audit_log.sql: `20261301` is not a valid date: there is no month 13",
        "migrations/add_sessions.sql: its name carries no timestamp",
    ] {
        assert!(refusals.iter().any(|r| r.starts_with(expected)), "missing refusal `{expected}` in {refusals:#?}");
    }
    assert!(
        refusals
            .iter()
            .any(|r| r
                .starts_with("migrations/0001_bootstrap.sql: its timestamp `0001` is not a date")),
        "{refusals:#?}"
    );
    assert_eq!(refusals.len(), 6, "{refusals:#?}");

    let lines = fix::apply(&p);
    assert!(lines.iter().any(|l| l == "renamed migrations/20260120093000_add_webhooks.sql -> migrations/20260120_0930_add_webhooks.sql"), "{lines:#?}");
    assert!(root
        .join("migrations/20260120_0930_add_webhooks.sql")
        .is_file());
    assert!(!root
        .join("migrations/20260120093000_add_webhooks.sql")
        .exists());
    // the refused files are untouched
    assert!(root
        .join("migrations/20261301_0930_add_audit_log.sql")
        .is_file());
    // nothing left to rename
    let again = plan(root);
    assert!(again.renames.is_empty(), "{:?}", again.renames);
    assert_eq!(again.refusals.len(), 6);
}

#[test]
fn never_overwrites_and_refuses_two_files_for_one_name() {
    let dir = common::copy_fixture("rules/migrations/presets/seed");
    let root = dir.path();
    // the target of a rename exists already
    std::fs::write(
        root.join("migrations/20260120_0930_add_webhooks.sql"),
        "-- mine\n",
    )
    .expect("write");
    // two files that would get one name
    std::fs::write(root.join("migrations/20260122091500_add_labels.sql"), "").expect("write");
    std::fs::write(root.join("migrations/20260122091530_add_labels.sql"), "").expect("write");
    let p = plan(root);
    let refusals = refused(&p);
    assert!(refusals.iter().any(|r| r.starts_with("migrations/20260120093000_add_webhooks.sql: `migrations/20260120_0930_add_webhooks.sql` already exists")), "{refusals:#?}");
    assert!(refusals.iter().any(|r| r.starts_with("migrations/20260122091500_add_labels.sql: `20260122091530_add_labels` would get the same name")), "{refusals:#?}");
    assert!(
        refusals
            .iter()
            .any(|r| r.starts_with("migrations/20260122091530_add_labels.sql:")),
        "{refusals:#?}"
    );
    fix::apply(&p);
    assert_eq!(
        std::fs::read_to_string(root.join("migrations/20260120_0930_add_webhooks.sql"))
            .expect("read"),
        "-- mine\n"
    );
    assert!(root
        .join("migrations/20260120093000_add_webhooks.sql")
        .is_file());
}

#[test]
fn alembic_from_its_header_and_diesel_directories() {
    let dir = common::copy_fixture("rules/migrations/alembic-create-date");
    let p = plan(dir.path());
    // the disagreeing name, and under the seed's preset the names without the seed's timestamp,
    // all from their headers
    assert_eq!(
        renames(&p),
        [
            pair(
                "alembic/versions/20260117_1045_add_phone.py",
                "alembic/versions/20260118_1045_add_phone.py"
            ),
            pair(
                "alembic/versions/20260119_add_index.py",
                "alembic/versions/20260119_1620_add_index.py"
            ),
            pair(
                "alembic/versions/d4e5f6a1b2c3_add_tags.py",
                "alembic/versions/20260120_0800_add_tags.py"
            ),
        ]
    );
    fix::apply(&p);
    assert!(dir
        .path()
        .join("alembic/versions/20260118_1045_add_phone.py")
        .is_file());

    let dir = common::copy_fixture("rules/migrations/migration-file-name");
    let p = plan(dir.path());
    // the diesel directory, and the sea-orm module (named the sea-orm way under any preset: the
    // seed's minutes do not make it clash with `m20260117_093000_create_users`)
    assert_eq!(
        renames(&p),
        [
            pair(
                "migration/src/m20260117_0930_create_posts.rs",
                "migration/src/m20260117_093000_create_posts.rs"
            ),
            pair(
                "migrations/2026-01-19-080000_create_posts",
                "migrations/20260119_0800_create_posts"
            ),
        ]
    );
    let refusals = refused(&p);
    // named by alembic; its header names it `20260117_0930_add_email.py`, which exists
    assert!(refusals.iter().any(|r| r.starts_with("alembic/versions/a1b2c3d4_add_email.py: `alembic/versions/20260117_0930_add_email.py` already exists")), "{refusals:#?}");
    // the CamelCase twin of an existing migration
    assert!(refusals.iter().any(|r| r.starts_with("migrations/20260117_0930_CreateUsersTable.sql: `migrations/20260117_0930_create_users_table.sql` already exists")), "{refusals:#?}");
    // the seed's names tell minutes apart: three other migrations of 2026-01-17 09:30 exist
    assert!(refusals.iter().any(|r| r.starts_with("migrations/20260117093000_sqlx_style.sql: another migration in the folder has the same minute")), "{refusals:#?}");
    // a diesel directory with only a `down.sql` is named too
    assert!(
        refusals.iter().any(|r| r
            .starts_with("migrations/drop_legacy: its name carries no timestamp to name it from")),
        "{refusals:#?}"
    );
    fix::apply(&p);
    let lib = std::fs::read_to_string(dir.path().join("migration/src/lib.rs")).expect("read");
    assert!(
        lib.contains("mod m20260117_093000_create_posts;")
            && lib.contains("Box::new(m20260117_093000_create_posts::Migration)")
            && !lib.contains("m20260117_0930_create_posts"),
        "{lib}"
    );
    assert!(dir
        .path()
        .join("migrations/20260119_0800_create_posts/up.sql")
        .is_file());
    assert!(dir
        .path()
        .join("migrations/20260119_0800_create_posts/down.sql")
        .is_file());
    assert!(!dir
        .path()
        .join("migrations/2026-01-19-080000_create_posts")
        .exists());
}

#[test]
fn sqlx_preset_renames_both_halves() {
    let dir = common::copy_fixture("rules/migrations/presets/sqlx");
    std::fs::write(
        dir.path().join("migrations/20260123_0800_add_flags.up.sql"),
        "",
    )
    .expect("write");
    std::fs::write(
        dir.path()
            .join("migrations/20260123_0800_add_flags.down.sql"),
        "",
    )
    .expect("write");
    let p = plan(dir.path());
    let r = renames(&p);
    assert!(
        r.contains(&pair(
            "migrations/20260123_0800_add_flags.up.sql",
            "migrations/20260123080000_add_flags.up.sql"
        )),
        "{r:#?}"
    );
    assert!(
        r.contains(&pair(
            "migrations/20260123_0800_add_flags.down.sql",
            "migrations/20260123080000_add_flags.down.sql"
        )),
        "{r:#?}"
    );
    assert!(
        r.contains(&pair(
            "migrations/20260119100000_AddApiKeyScopes.sql",
            "migrations/20260119100000_add_api_key_scopes.sql"
        )),
        "{r:#?}"
    );
}

fn cli(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_stratalint"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run stratalint");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn diff_shows_and_fix_does() {
    let dir = common::copy_fixture("rules/migrations/presets/seed");
    let root: PathBuf = dir.path().to_path_buf();
    let (code, out, _) = cli(&["check", "--diff", "."], &root);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("rename migrations/20260120093000_add_webhooks.sql -> migrations/20260120_0930_add_webhooks.sql"), "{out}");
    assert!(
        out.contains("not renamed migrations/add_sessions.sql: its name carries no timestamp"),
        "{out}"
    );
    assert!(
        root.join("migrations/20260120093000_add_webhooks.sql")
            .is_file(),
        "--diff renamed a file"
    );

    let (_, out, err) = cli(&["check", "--fix", "--format", "concise", "."], &root);
    assert!(err.contains("renamed migrations/20260120093000_add_webhooks.sql -> migrations/20260120_0930_add_webhooks.sql"), "{err}");
    assert!(
        err.contains("not renamed migrations/20261301_0930_add_audit_log.sql"),
        "{err}"
    );
    // the report is of the project after the renames
    assert!(!out.contains("20260120093000_add_webhooks"), "{out}");
    assert!(out.contains("20261301_0930_add_audit_log"), "{out}");

    let (code, out, _) = cli(&["check", "--diff", "."], &root);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("rename "), "{out}");
}

/// Every file under `root` by content: (bytes, how many files hold them).
fn contents(root: &Path) -> std::collections::BTreeMap<Vec<u8>, usize> {
    let mut out = std::collections::BTreeMap::new();
    for entry in walkdir::WalkDir::new(root) {
        let entry = entry.expect("walk");
        if entry.file_type().is_file()
            && !entry.path().to_string_lossy().contains(".stratalint_cache")
        {
            *out.entry(std::fs::read(entry.path()).expect("read"))
                .or_insert(0) += 1;
        }
    }
    out
}

#[test]
fn a_target_that_appears_after_the_plan_is_not_overwritten() {
    let dir = common::copy_fixture("rules/migrations/presets/sqlx");
    let root = dir.path();
    std::fs::write(
        root.join("migrations/20260123_0800_add_flags.up.sql"),
        "-- up\n",
    )
    .expect("write");
    std::fs::write(
        root.join("migrations/20260123_0800_add_flags.down.sql"),
        "-- down\n",
    )
    .expect("write");
    let p = plan(root);
    let r = renames(&p);
    let up = pair(
        "migrations/20260123_0800_add_flags.up.sql",
        "migrations/20260123080000_add_flags.up.sql",
    );
    let down = pair(
        "migrations/20260123_0800_add_flags.down.sql",
        "migrations/20260123080000_add_flags.down.sql",
    );
    assert!(r.contains(&up) && r.contains(&down), "{r:#?}");
    // between the plan and its application, someone writes the target of one rename, and of
    // another a directory
    std::fs::write(root.join(&down.1), "-- someone else's\n").expect("write");
    let other = r
        .iter()
        .find(|(from, _)| !from.contains("add_flags"))
        .expect("another rename")
        .clone();
    std::fs::create_dir(root.join(&other.1)).expect("mkdir");
    let before = contents(root);
    let lines = fix::apply(&p);
    assert!(
        lines.contains(&format!("not renamed {}: the target exists", down.0)),
        "{lines:#?}"
    );
    assert!(
        lines.contains(&format!("not renamed {}: the target exists", other.0)),
        "{lines:#?}"
    );
    assert_eq!(
        std::fs::read_to_string(root.join(&down.1)).expect("read"),
        "-- someone else's\n"
    );
    assert_eq!(
        std::fs::read_to_string(root.join(&down.0)).expect("read"),
        "-- down\n"
    );
    assert!(root.join(&other.0).is_file() && root.join(&other.1).is_dir());
    // the rest is renamed
    assert_eq!(
        std::fs::read_to_string(root.join(&up.1)).expect("read"),
        "-- up\n"
    );
    assert!(!root.join(&up.0).exists());
    assert_eq!(contents(root), before, "no file lost");
}

#[test]
fn fix_never_loses_a_file() {
    // (sea-orm's renames rewrite lib.rs: its own tests compare it)
    for fixture in [
        "rules/migrations/presets/seed",
        "rules/migrations/presets/sqlx",
        "rules/migrations/presets/diesel",
        "rules/migrations/presets/refinery",
        "rules/migrations/presets/alembic",
        "rules/migrations/alembic-create-date",
    ] {
        let dir = common::copy_fixture(fixture);
        let root = dir.path();
        let files = || {
            walkdir::WalkDir::new(root)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| {
                    e.path()
                        .strip_prefix(root)
                        .expect("prefix")
                        .display()
                        .to_string()
                })
                .filter(|rel| !rel.starts_with(".stratalint_cache"))
                .collect::<std::collections::BTreeSet<String>>()
        };
        let names_before = files();
        let before = contents(root);
        let (_, _, err) = cli(&["check", "--fix", "--no-cache", "."], root);
        assert!(err.contains("renamed "), "{fixture}: {err}");
        // the same bytes, in as many files
        assert_eq!(contents(root), before, "{fixture}: {err}");
        // and the names changed exactly as reported
        let mut expected = names_before.clone();
        for line in err.lines().filter_map(|l| l.strip_prefix("renamed ")) {
            let (from, to) = line.split_once(" -> ").expect("from -> to");
            if root.join(to).is_dir() {
                // a diesel migration directory: its files moved with it
                let moved: Vec<String> = expected
                    .iter()
                    .filter(|f| f.starts_with(&format!("{from}/")))
                    .cloned()
                    .collect();
                for f in moved {
                    expected.remove(&f);
                    expected.insert(format!("{to}{}", &f[from.len()..]));
                }
            } else {
                assert!(expected.remove(from), "{fixture}: {from} was not there");
                assert!(expected.insert(to.to_string()), "{fixture}: {to} was there");
            }
        }
        assert_eq!(files(), expected, "{fixture}: {err}");
    }
}

const SEA_ORM: &str = "rules/migrations/presets/sea-orm";
const LIB: &str = "migration/src/lib.rs";

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).expect("read")
}

/// The refusal of `path`, if any.
fn refusal_of<'a>(p: &'a fix::Plan, path: &str) -> Option<&'a str> {
    p.refusals
        .iter()
        .find(|r| r.path == path)
        .map(|r| r.reason.as_str())
}

#[test]
fn sea_orm_modules_are_renamed_with_their_mod_line_and_migrator_entry() {
    let dir = common::copy_fixture(SEA_ORM);
    let root = dir.path();
    let lib_before = read(root, LIB);
    let p = plan(root);
    assert_eq!(
        p.describe(),
        "\
rename migration/src/m20260117_0930_short_time.rs -> migration/src/m20260117_093000_short_time.rs
  edit migration/src/lib.rs:10: `mod m20260117_0930_short_time;` -> `mod m20260117_093000_short_time;`
  edit migration/src/lib.rs:29: `Box::new(m20260117_0930_short_time::Migration),` -> `Box::new(m20260117_093000_short_time::Migration),`
  note: sea-orm records this migration as `m20260117_0930_short_time` and will see `m20260117_093000_short_time` as a new one: if `m20260117_0930_short_time.rs` was already applied to a database, update `seaql_migrations` too (or rename it back)
rename migration/src/m20260118_093000_AddPosts.rs -> migration/src/m20260118_093000_add_posts.rs
  edit migration/src/lib.rs:11: `mod m20260118_093000_AddPosts;` -> `mod m20260118_093000_add_posts;`
  edit migration/src/lib.rs:30: `Box::new(m20260118_093000_AddPosts::Migration),` -> `Box::new(m20260118_093000_add_posts::Migration),`
  note: sea-orm records this migration as `m20260118_093000_AddPosts` and will see `m20260118_093000_add_posts` as a new one: if `m20260118_093000_AddPosts.rs` was already applied to a database, update `seaql_migrations` too (or rename it back)
not renamed migration/src/create_sessions.rs: its name carries no timestamp to name it from
not renamed migration/src/m20260119_096000_minute_sixty.rs: `096000` is not a valid time: minute 60: only its author knows the right timestamp
not renamed migration/src/m2026011_093000_seven_digit_date.rs: its timestamp `2026011` is not a date and time in any known form: only its author knows the right one
not renamed migration/src/m20260230_093000_thirtieth_february.rs: `20260230` is not a valid date: month 2 of 2026 has 28 days: only its author knows the right timestamp
not renamed migration/src/m20261301_093000_month_thirteen.rs: `20261301` is not a valid date: there is no month 13: only its author knows the right timestamp
"
    );
    // the edits are at the exact bytes of the names
    for r in &p.renames {
        for e in &r.edits {
            assert_eq!(e.file, LIB);
            let old = r
                .from
                .trim_start_matches("migration/src/")
                .trim_end_matches(".rs");
            assert_eq!(&lib_before[e.range.clone()], old, "{e:?}");
        }
    }

    let lines = fix::apply(&p);
    assert!(lines.contains(&"renamed migration/src/m20260118_093000_AddPosts.rs -> migration/src/m20260118_093000_add_posts.rs".to_string()), "{lines:#?}");
    assert!(lines.contains(&"  edited migration/src/lib.rs:30: `Box::new(m20260118_093000_AddPosts::Migration),` -> `Box::new(m20260118_093000_add_posts::Migration),`".to_string()), "{lines:#?}");
    assert!(root
        .join("migration/src/m20260118_093000_add_posts.rs")
        .is_file());
    assert!(!root
        .join("migration/src/m20260118_093000_AddPosts.rs")
        .exists());
    assert!(root
        .join("migration/src/m20260117_093000_short_time.rs")
        .is_file());
    // lib.rs: those four names and nothing else
    let expected = lib_before
        .replace("m20260118_093000_AddPosts", "m20260118_093000_add_posts")
        .replace("m20260117_0930_short_time", "m20260117_093000_short_time");
    assert_eq!(read(root, LIB), expected);
    // no temporary file left beside it
    let left: Vec<String> = std::fs::read_dir(root.join("migration/src"))
        .expect("read_dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("stratalint"))
        .collect();
    assert!(left.is_empty(), "{left:?}");

    // the check no longer reports the names; the refused ones are still reported
    let result = common::check(root, &["migration-file-name", "file-name-snake-case"]);
    let files: Vec<&str> = result.diagnostics.iter().map(|d| &*d.loc.file).collect();
    assert_eq!(
        files,
        [
            "migration/src/create_sessions.rs",
            "migration/src/m20260119_096000_minute_sixty.rs",
            "migration/src/m2026011_093000_seven_digit_date.rs",
            "migration/src/m20260230_093000_thirtieth_february.rs",
            "migration/src/m20261301_093000_month_thirteen.rs",
        ],
        "{}",
        common::render(&result.diagnostics)
    );
    // sea-orm still finds every module it lists
    let result = common::check(root, &["migration-registration"]);
    assert!(
        !result
            .diagnostics
            .iter()
            .any(|d| d.message.contains("is not listed") && !d.message.contains("unregistered")),
        "{}",
        common::render(&result.diagnostics)
    );
    let again = plan(root);
    assert!(again.renames.is_empty(), "{:?}", again.renames);
    assert_eq!(again.refusals.len(), 5, "{:#?}", again.refusals);
}

#[test]
fn sea_orm_modules_whose_lib_rs_cannot_be_rewritten_for_certain_are_left_alone() {
    const POSTS: &str = "migration/src/m20260118_093000_AddPosts.rs";
    const MOD: &str = "mod m20260118_093000_AddPosts;";
    const ENTRY: &str = "            Box::new(m20260118_093000_AddPosts::Migration),\n";
    // (case, how lib.rs is edited, the reason the module is left alone)
    type Case = (&'static str, fn(&str) -> String, &'static str);
    let cases: [Case; 7] = [
        (
            "the entry is missing",
            |lib| lib.replace(ENTRY, ""),
            "it is not listed in `Migrator::migrations()` of `migration/src/lib.rs`: register it first (migration-registration)",
        ),
        (
            "the entry is there twice",
            |lib| lib.replace(ENTRY, &format!("{ENTRY}{ENTRY}")),
            "it is listed 2 times in `Migrator::migrations()` of `migration/src/lib.rs`",
        ),
        (
            "the module is declared under another name by #[path]",
            |lib| {
                lib.replace(MOD, "#[path = \"m20260118_093000_AddPosts.rs\"]\nmod add_posts;")
                    .replace("m20260118_093000_AddPosts::Migration", "add_posts::Migration")
            },
            "it is the module `add_posts` (placed by `#[path]`): its file name is not its module name",
        ),
        (
            "the mod line has a #[path]",
            |lib| lib.replace(MOD, &format!("#[path = \"m20260118_093000_AddPosts.rs\"]\n{MOD}")),
            "its `mod` line in `migration/src/lib.rs` has a `#[path]` or `#[cfg_attr]` attribute: the file it names cannot be told for certain",
        ),
        (
            "no mod line",
            |lib| lib.replace(&format!("{MOD}\n"), ""),
            "no `mod m20260118_093000_AddPosts;` declares it in `migration/src/lib.rs`, `migration/src/main.rs`, `migration/src/mod.rs`, `migration/src.rs`: its module cannot be renamed with it",
        ),
        (
            "the name is written elsewhere in lib.rs",
            |lib| format!("{lib}\npub use m20260118_093000_AddPosts::Migration as AddPosts;\n"),
            "`m20260118_093000_AddPosts` is also written at migration/src/lib.rs:39: only its `mod` line and its `Migrator::migrations()` entry are rewritten",
        ),
        (
            "the new name is taken",
            |lib| format!("{lib}\nmod m20260118_093000_add_posts {{}}\n"),
            "`m20260118_093000_add_posts` is already a name at migration/src/lib.rs:39",
        ),
    ];
    for (case, edit, reason) in cases {
        let dir = common::copy_fixture(SEA_ORM);
        let root = dir.path();
        let lib = edit(&read(root, LIB));
        std::fs::write(root.join(LIB), &lib).expect("write");
        let p = plan(root);
        assert_eq!(
            refusal_of(&p, POSTS),
            Some(reason),
            "{case}: {:#?}",
            p.refusals
        );
        assert!(!p.renames.iter().any(|r| r.from == POSTS), "{case}");
        // the other module is still renamed, lib.rs edited for it alone
        fix::apply(&p);
        assert!(root.join(POSTS).is_file(), "{case}");
        assert_eq!(
            read(root, LIB),
            lib.replace("m20260117_0930_short_time", "m20260117_093000_short_time"),
            "{case}"
        );
    }

    // another file names the module
    let dir = common::copy_fixture(SEA_ORM);
    let root = dir.path();
    std::fs::write(
        root.join("migration/src/m20260119_093000_unregistered.rs"),
        "use super::m20260118_093000_AddPosts::Posts;\n",
    )
    .expect("write");
    let p = plan(root);
    assert_eq!(
        refusal_of(&p, POSTS),
        Some("`m20260118_093000_AddPosts` is also written at migration/src/m20260119_093000_unregistered.rs:1: only its `mod` line and its `Migrator::migrations()` entry are rewritten")
    );
    // submodules would have to move with it
    let dir = common::copy_fixture(SEA_ORM);
    let root = dir.path();
    let module = root.join(POSTS);
    let text = read(root, POSTS);
    std::fs::write(&module, format!("mod helpers;\n{text}")).expect("write");
    std::fs::create_dir(root.join("migration/src/m20260118_093000_AddPosts")).expect("mkdir");
    std::fs::write(
        root.join("migration/src/m20260118_093000_AddPosts/helpers.rs"),
        "",
    )
    .expect("write");
    let p = plan(root);
    assert_eq!(
        refusal_of(&p, POSTS),
        Some("its submodules live in `migration/src/m20260118_093000_AddPosts/`: they would have to move too")
    );
}

#[test]
fn sea_orm_module_with_its_own_migration_name_gets_no_note() {
    let dir = common::copy_fixture(SEA_ORM);
    let root = dir.path();
    let posts = "migration/src/m20260118_093000_AddPosts.rs";
    let text = read(root, posts).replace(
        "#[derive(DeriveMigrationName)]\npub struct Migration;",
        "pub struct Migration;\n\nimpl MigrationName for Migration {\n    fn name(&self) -> &str {\n        \"m20260118_093000_AddPosts\"\n    }\n}",
    );
    assert!(text.contains("impl MigrationName"));
    std::fs::write(root.join(posts), text).expect("write");
    let p = plan(root);
    let r = p.renames.iter().find(|r| r.from == posts).expect("renamed");
    // its name is not its file's: the rename leaves what sea-orm records alone
    assert_eq!(r.note, None);
    assert_eq!(r.edits.len(), 2);
}

#[test]
fn lib_rs_changed_after_the_plan_renames_nothing() {
    let dir = common::copy_fixture(SEA_ORM);
    let root = dir.path();
    let p = plan(root);
    assert_eq!(p.renames.len(), 2);
    let changed = format!("// someone's edit\n{}", read(root, LIB));
    std::fs::write(root.join(LIB), &changed).expect("write");
    let lines = fix::apply(&p);
    for r in &p.renames {
        assert!(
            lines.contains(&format!(
                "not renamed {}: `migration/src/lib.rs` changed since the renames were planned",
                r.from
            )),
            "{lines:#?}"
        );
        assert!(root.join(&r.from).is_file());
    }
    assert_eq!(read(root, LIB), changed);
}

#[test]
fn sea_orm_diff_shows_and_fix_does() {
    let dir = common::copy_fixture(SEA_ORM);
    let root: PathBuf = dir.path().to_path_buf();
    let lib_before = read(&root, LIB);
    let (code, out, _) = cli(&["check", "--diff", "."], &root);
    assert_eq!(code, 1, "{out}");
    for line in [
        "rename migration/src/m20260118_093000_AddPosts.rs -> migration/src/m20260118_093000_add_posts.rs",
        "  edit migration/src/lib.rs:11: `mod m20260118_093000_AddPosts;` -> `mod m20260118_093000_add_posts;`",
        "  edit migration/src/lib.rs:30: `Box::new(m20260118_093000_AddPosts::Migration),` -> `Box::new(m20260118_093000_add_posts::Migration),`",
        "not renamed migration/src/create_sessions.rs: its name carries no timestamp to name it from",
    ] {
        assert!(out.lines().any(|l| l == line), "missing `{line}` in\n{out}");
    }
    assert!(out.contains("update `seaql_migrations` too"), "{out}");
    // nothing done
    assert!(root
        .join("migration/src/m20260118_093000_AddPosts.rs")
        .is_file());
    assert_eq!(read(&root, LIB), lib_before);

    let (_, out, err) = cli(&["check", "--fix", "--format", "concise", "."], &root);
    assert!(err.contains("renamed migration/src/m20260118_093000_AddPosts.rs -> migration/src/m20260118_093000_add_posts.rs"), "{err}");
    assert!(err.contains("  edited migration/src/lib.rs:11: `mod m20260118_093000_AddPosts;` -> `mod m20260118_093000_add_posts;`"), "{err}");
    assert!(
        err.contains("  note: sea-orm records this migration as `m20260118_093000_AddPosts`"),
        "{err}"
    );
    // the report is of the project after the renames
    assert!(!out.contains("AddPosts"), "{out}");
    assert!(!out.contains("m20260117_0930_short_time"), "{out}");
    assert!(out.contains("m20261301_093000_month_thirteen"), "{out}");

    let (_, out, _) = cli(&["check", "--diff", "."], &root);
    assert!(!out.contains("rename "), "{out}");
}

#[test]
fn diesel_preset_renames_directories_and_refuses_bad_timestamps() {
    let dir = common::copy_fixture("rules/migrations/presets/diesel");
    let root = dir.path();
    let p = plan(root);
    assert_eq!(
        renames(&p),
        [
            pair(
                "migrations/2026-01-19-100000_AddTags",
                "migrations/2026-01-19-100000_add_tags"
            ),
            // a directory holding only its down.sql
            pair(
                "migrations/2026-01-22-093000_DropLegacy",
                "migrations/2026-01-22-093000_drop_legacy"
            ),
        ]
    );
    // diesel records the version, which the renames keep
    assert!(p
        .renames
        .iter()
        .all(|r| r.note.is_none() && r.edits.is_empty()));
    assert_eq!(
        refused(&p),
        [
            "migrations/2026-01-1-093000_seven_digit_date: its timestamp `2026-01-1-093000` is not a date and time in any known form: only its author knows the right one",
            "migrations/2026-01-19-096000_minute_sixty: `096000` is not a valid time: minute 60: only its author knows the right timestamp",
            "migrations/2026-02-30-093000_thirtieth_february: `20260230` is not a valid date: month 2 of 2026 has 28 days: only its author knows the right timestamp",
            "migrations/2026-13-01-093000_month_thirteen: `20261301` is not a valid date: there is no month 13: only its author knows the right timestamp",
            "migrations/create_sessions: its name carries no timestamp to name it from",
        ]
    );
    fix::apply(&p);
    for f in ["up.sql", "down.sql"] {
        assert!(root
            .join(format!("migrations/2026-01-19-100000_add_tags/{f}"))
            .is_file());
    }
    assert!(root
        .join("migrations/2026-01-22-093000_drop_legacy/down.sql")
        .is_file());
    assert!(!root.join("migrations/2026-01-19-100000_AddTags").exists());
    let again = plan(root);
    assert!(again.renames.is_empty(), "{:?}", again.renames);
    assert_eq!(again.refusals.len(), 5);
}

#[test]
fn refinery_preset_renames_the_feature_and_never_picks_a_version() {
    let dir = common::copy_fixture("rules/migrations/presets/refinery");
    let root = dir.path();
    let p = plan(root);
    assert_eq!(
        renames(&p),
        [pair(
            "migrations/V3__AddTags.sql",
            "migrations/V3__add_tags.sql"
        )]
    );
    assert!(
        p.renames[0]
            .note
            .as_deref()
            .is_some_and(|n| n.contains("refinery_schema_history")),
        "{:?}",
        p.renames[0]
    );
    assert_eq!(
        refused(&p),
        [
            "migrations/V4_add_roles.sql: refinery skips `V4_add_roles` today: named `V<n>__` it would run it, which only its author can decide",
            "migrations/add_sessions.sql: refinery versions are sequence numbers: only the author can pick the next one",
        ]
    );
    fix::apply(&p);
    assert!(root.join("migrations/V3__add_tags.sql").is_file());
    // the duplicate version is not a name to fix
    assert!(root
        .join("migrations/archive/V2__create_orders.sql")
        .is_file());
    assert!(plan(root).renames.is_empty());
}

#[test]
fn alembic_preset_renames_from_the_revision_id() {
    let dir = common::copy_fixture("rules/migrations/presets/alembic");
    let root = dir.path();
    let p = plan(root);
    assert_eq!(
        renames(&p),
        [
            pair(
                "alembic/versions/20260119_0930_add_phone.py",
                "alembic/versions/c3d4e5f6a1b2_add_phone.py"
            ),
            pair(
                "alembic/versions/add_index.py",
                "alembic/versions/e5f6a1b2c3d4_add_index.py"
            ),
            pair(
                "alembic/versions/b2c3d4e5f6a1_AddEmail.py",
                "alembic/versions/b2c3d4e5f6a1_add_email.py"
            ),
            // its `Create Date:` is in the future, but its revision id names it
            pair(
                "alembic/versions/ffffffffffff_add_tags.py",
                "alembic/versions/d4e5f6a1b2c3_add_tags.py"
            ),
        ]
    );
    // alembic records the revision id, which the renames keep
    assert!(p.renames.iter().all(|r| r.note.is_none()));
    assert_eq!(refused(&p), Vec::<String>::new());
    fix::apply(&p);
    assert!(root
        .join("alembic/versions/e5f6a1b2c3d4_add_index.py")
        .is_file());
    assert!(plan(root).renames.is_empty());
}
