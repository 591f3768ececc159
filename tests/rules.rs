//! One snapshot per rule: the rule alone on its fixture, which holds what it must flag and the
//! traps it must not. Adding a rule = its fixture under `fixtures/rules/<family>/<id>/` + one line.

mod common;

macro_rules! rule_snapshot {
    ($($name:ident: $family:literal / $rule:literal,)+) => {$(
        #[test]
        fn $name() {
            let path = common::fixture(concat!("rules/", $family, "/", $rule));
            let result = common::check(&path, &[$rule]);
            assert!(
                result.diagnostics.iter().all(|d| d.rule == $rule),
                "only {} may fire on its fixture:\n{}", $rule, common::render(&result.diagnostics)
            );
            insta::assert_snapshot!($rule, common::render(&result.diagnostics));
        }
    )+};
}

rule_snapshot! {
    blocking_call_in_async: "async" / "blocking-call-in-async",
    handler_database_access: "layers" / "handler-database-access",
    sql_injection: "security" / "sql-injection",
    file_name_snake_case: "naming" / "file-name-snake-case",
    migration_file_name: "migrations" / "migration-file-name",
}
