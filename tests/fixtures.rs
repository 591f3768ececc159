//! The bundled backends: the clean one in the seed's layout gives zero findings with every rule on;
//! its violating twin fires every rule beside the traps.

mod common;

#[test]
fn clean_fixture_has_no_findings() {
    let result = common::check(&common::fixture("clean"), &["ALL"]);
    assert!(
        result.files_checked >= 20,
        "only {} files checked",
        result.files_checked
    );
    assert!(
        result.diagnostics.is_empty(),
        "the clean fixture has findings:\n{}",
        common::render(&result.diagnostics)
    );
}

#[test]
fn violations_fixture() {
    let result = common::check(&common::fixture("violations"), &["ALL"]);
    let rendered = common::render(&result.diagnostics);
    for rule in [
        "handler-database-access",
        "sql-injection",
        "blocking-call-in-async",
        "file-name-snake-case",
        "migration-file-name",
    ] {
        assert!(
            result.diagnostics.iter().any(|d| d.rule == rule),
            "{rule} does not fire:\n{rendered}"
        );
    }
    insta::assert_snapshot!("violations", rendered);
}
