//! The migration presets, each on its fixture (`fixtures/rules/migrations/presets/<preset>/`, with
//! its `stratalint.toml`): valid names, each kind of invalid name, duplicates, future dates and
//! missing halves, snapshotted; the settings' errors point at the TOML; `detect_preset` for
//! `stratalint init`; the future check with an injected date.

mod common;

use std::path::Path;

use stratalint_engine::{project, CheckError, CheckOptions};
use stratalint_rules::migrations::timestamp::Date;
use stratalint_rules::migrations::{detect_preset, future_timestamp_rule, Preset};

#[test]
fn every_preset_on_its_fixture() {
    for preset in [
        "seed", "sqlx", "sea-orm", "diesel", "refinery", "alembic", "custom",
    ] {
        let path = common::fixture(&format!("rules/migrations/presets/{preset}"));
        let result = common::check(&path, &["migrations", "file-name-snake-case"]);
        assert!(!result.diagnostics.is_empty(), "{preset}: nothing fired");
        insta::assert_snapshot!(
            format!("preset_{preset}"),
            common::render(&result.diagnostics)
        );
    }
}

/// The configuration error of a check, if any.
fn check_with_config(config: &str) -> Option<CheckError> {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"x\"\nversion = \"0.1.0\"\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("stratalint.toml"), config).expect("write");
    let opts = CheckOptions {
        paths: vec![dir.path().to_path_buf()],
        cwd: dir.path().to_path_buf(),
        ..CheckOptions::default()
    };
    stratalint_engine::check(&opts, stratalint_rules::all()).err()
}

#[test]
fn settings_errors_point_at_their_line() {
    let cases = [
        (
            "[rules.migration-file-name]\npreset = \"flyway\"\n",
            2,
            "unknown variant `flyway`",
        ),
        (
            "[rules.migration-file-name]\npattern = \"(?P<year>\\\\d{4\"\n",
            2,
            "invalid pattern",
        ),
        (
            "[rules.migration-file-name]\npattern = \"(?P<yr>\\\\d{4})_x\"\n",
            2,
            "unknown group `yr`",
        ),
        (
            "\n[rules.migration-file-name]\nfolder = [\"db\"]\n",
            3,
            "unknown field `folder`",
        ),
        (
            "[rules.schema-name]\nsuffixes = \"Create\"\n",
            2,
            "invalid type",
        ),
    ];
    for (config, line, message) in cases {
        match check_with_config(config) {
            Some(CheckError::Config(e)) => {
                assert_eq!(e.line, Some(line), "{config}: {e}");
                assert!(e.message.contains(message), "{config}: {e}");
            }
            Some(e) => panic!("{config}: not a config error: {e}"),
            None => panic!("{config}: accepted"),
        }
    }
    let valid =
        "[rules.migration-file-name]\npreset = \"sea-orm\"\nfolders = [\"db/migrations\"]\n";
    assert!(
        check_with_config(valid).is_none(),
        "valid settings rejected"
    );
}

fn discover(path: &Path) -> project::Project {
    let config = stratalint_engine::Config::default_config();
    project::discover(path, &[path.to_path_buf()], &[], &config, false)
}

#[test]
fn detects_the_preset_for_init() {
    let cases = [
        ("rules/migrations/presets/seed", Some(Preset::Seed)),
        ("rules/migrations/presets/sqlx", Some(Preset::Sqlx)),
        ("rules/migrations/presets/sea-orm", Some(Preset::SeaOrm)),
        ("rules/migrations/presets/diesel", Some(Preset::Diesel)),
        ("rules/migrations/presets/refinery", Some(Preset::Refinery)),
        ("rules/migrations/presets/alembic", Some(Preset::Alembic)),
        ("clean", Some(Preset::Seed)),
        ("rules/naming/schema-name", None),
    ];
    for (fixture, expected) in cases {
        let p = discover(&common::fixture(fixture));
        assert_eq!(detect_preset(&p), expected, "{fixture}");
    }
}

#[test]
fn future_dates_are_relative_to_today() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"x\"\nversion = \"0.1.0\"\n",
    )
    .expect("write");
    std::fs::create_dir(dir.path().join("migrations")).expect("mkdir");
    std::fs::write(
        dir.path().join("migrations/20261201_0930_create_users.sql"),
        "",
    )
    .expect("write");
    let run = |today: Date| {
        let opts = CheckOptions {
            paths: vec![dir.path().to_path_buf()],
            cwd: dir.path().to_path_buf(),
            ..CheckOptions::default()
        };
        stratalint_engine::check(&opts, vec![future_timestamp_rule(today)])
            .expect("check")
            .diagnostics
            .len()
    };
    let day = |y, m, d| Date::new(y, m, d).expect("date");
    assert_eq!(run(day(2026, 11, 26)), 1, "five days ahead");
    assert_eq!(
        run(day(2026, 11, 30)),
        0,
        "tomorrow: within a time zone of today"
    );
    assert_eq!(run(day(2026, 12, 1)), 0, "today");
    assert_eq!(run(day(2027, 1, 1)), 0, "the past");
}
