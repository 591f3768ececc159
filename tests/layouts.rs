//! The layouts real backends use (`fixtures/layouts/<name>/`), each with violations and traps:
//!
//! 1. `check` with the layers family and the default (seed) map, snapshotted;
//! 2. `init`, and its `stratalint.toml` snapshotted;
//! 3. `check` again with that configuration: snapshotted, and the findings must be exactly the
//!    intended ones (the table below, also in each fixture's README).

mod common;

use std::path::Path;

use stratalint_engine::{CheckOptions, CheckResult};

fn check_with(path: &Path, config: Option<&Path>) -> CheckResult {
    let opts = CheckOptions {
        paths: vec![path.to_path_buf()],
        cwd: common::repo(),
        config: config.map(Path::to_path_buf),
        select: vec!["layers".to_string()],
        jobs: Some(2),
        // hermetic: the cache has tests of its own, and a run must not leave
        // `.stratalint_cache/` in the fixture
        no_cache: true,
        ..CheckOptions::default()
    };
    stratalint_engine::check(&opts, stratalint_rules::all())
        .unwrap_or_else(|e| panic!("check failed: {e}"))
}

/// (layout, intended findings with the generated config: (rule, file) once per finding)
const LAYOUTS: &[(&str, &[(&str, &str)])] = &[
    (
        "diesel",
        &[
            ("handler-database-access", "src/routes/posts.rs"),
            ("handler-database-access", "src/routes/posts.rs"),
            ("handler-database-access", "src/routes/posts.rs"),
            (
                "database-access-outside-repository",
                "src/services/post_service.rs",
            ),
            (
                "database-access-outside-repository",
                "src/services/post_service.rs",
            ),
        ],
    ),
    (
        "feature-slices",
        &[
            ("handler-exposes-model", "src/app/posts/controller.rs"),
            ("dependency-cycle", "src/app/posts/service.rs"),
            ("layer-dependency", "src/app/users/controller.rs"),
        ],
    ),
    (
        "flat",
        &[
            ("layer-dependency", "src/handlers/task_handler.rs"),
            ("handler-database-access", "src/handlers/task_handler.rs"),
            (
                "handler-constructs-dependency",
                "src/handlers/task_handler.rs",
            ),
            (
                "handler-constructs-dependency",
                "src/handlers/task_handler.rs",
            ),
            ("handler-database-access", "src/handlers/task_handler.rs"),
            ("handler-database-access", "src/handlers/task_handler.rs"),
            ("dependency-cycle", "src/repository/task_repository.rs"),
            ("layer-dependency", "src/repository/task_repository.rs"),
            ("http-type-in-inner-layer", "src/services/task_service.rs"),
        ],
    ),
    (
        "http-sql",
        &[
            ("handler-database-access", "src/http/mod.rs"),
            ("handler-database-access", "src/http/profiles.rs"),
            ("handler-database-access", "src/http/users.rs"),
            ("handler-database-access", "src/http/users.rs"),
        ],
    ),
    (
        "mvc-singular",
        &[
            ("handler-exposes-model", "src/controller/item_controller.rs"),
            (
                "handler-constructs-dependency",
                "src/controller/item_controller.rs",
            ),
            ("layer-dependency", "src/controller/item_controller.rs"),
            (
                "handler-database-access",
                "src/controller/item_controller.rs",
            ),
            ("http-type-in-inner-layer", "src/service/item_service.rs"),
        ],
    ),
    (
        "routes-database",
        &[
            ("http-type-in-inner-layer", "src/database/entries.rs"),
            ("handler-database-access", "src/routes/entries.rs"),
            ("handler-database-access", "src/routes/entries.rs"),
            ("handler-database-access", "src/routes/entries.rs"),
            ("handler-database-access", "src/routes/entries.rs"),
            ("handler-database-access", "src/routes/entries.rs"),
            ("handler-exposes-model", "src/routes/entries.rs"),
            ("handler-exposes-model", "src/routes/entries.rs"),
            ("handler-exposes-model", "src/routes/entries.rs"),
        ],
    ),
    (
        "sea-orm",
        &[
            ("handler-exposes-model", "src/handlers/cakes.rs"),
            ("handler-database-access", "src/handlers/cakes.rs"),
            ("handler-database-access", "src/handlers/cakes.rs"),
            (
                "database-access-outside-repository",
                "src/services/cake_service.rs",
            ),
            (
                "database-access-outside-repository",
                "src/services/cake_service.rs",
            ),
        ],
    ),
    (
        "seed",
        &[
            ("layer-dependency", "src/api/v1/notes.rs"),
            ("handler-exposes-model", "src/api/v1/notes.rs"),
            ("handler-constructs-dependency", "src/api/v1/notes.rs"),
            ("http-type-in-inner-layer", "src/services/note_service.rs"),
        ],
    ),
    (
        "workspace",
        &[
            ("layer-crate-dependency", "crates/api/Cargo.toml"),
            ("layer-dependency", "crates/api/src/handlers.rs"),
            (
                "handler-constructs-dependency",
                "crates/api/src/handlers.rs",
            ),
            ("handler-database-access", "crates/api/src/handlers.rs"),
            (
                "handler-constructs-dependency",
                "crates/api/src/handlers.rs",
            ),
            (
                "handler-constructs-dependency",
                "crates/api/src/handlers.rs",
            ),
            ("layer-dependency", "crates/api/src/lib.rs"),
            ("layer-crate-dependency", "crates/core/Cargo.toml"),
            ("http-type-in-inner-layer", "crates/domain/src/lib.rs"),
        ],
    ),
];

fn run(name: &str, intended: &[(&str, &str)]) {
    let dir = common::fixture(&format!("layouts/{name}"));
    let default = check_with(&dir, None);
    insta::assert_snapshot!(
        format!("{name}-default-map"),
        common::render(&default.diagnostics)
    );

    let toml = stratalint_arch::init::render(&stratalint_arch::init::inspect(&dir));
    insta::assert_snapshot!(format!("{name}-init"), toml);

    let tmp = tempfile::tempdir().expect("tempdir");
    let config = tmp.path().join("stratalint.toml");
    std::fs::write(&config, &toml).expect("write config");
    let with_init = check_with(&dir, Some(&config));
    let rendered = common::render(&with_init.diagnostics);
    insta::assert_snapshot!(format!("{name}-with-init"), rendered);
    let mut got: Vec<(&str, &str)> = with_init
        .diagnostics
        .iter()
        .map(|d| (d.rule, &*d.loc.file))
        .collect();
    got.sort();
    let mut want = intended.to_vec();
    want.sort();
    assert_eq!(got, want, "{name}: with the generated config:\n{rendered}");
}

#[test]
fn every_layout() {
    let mut names: Vec<String> = std::fs::read_dir(common::fixture("layouts"))
        .expect("fixtures/layouts")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in &names {
        let intended = LAYOUTS
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, i)| *i)
            .unwrap_or_else(|| panic!("layout {name} has no intended findings in LAYOUTS"));
        run(name, intended);
    }
    assert!(names.len() >= 9, "only {} layouts", names.len());
}
