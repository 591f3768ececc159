//! One snapshot per rule: the rule alone on its fixture `fixtures/rules/<family>/<id>/`, a small
//! project holding what the rule must flag and the traps it must not. Adding a rule = its file, its
//! page and its fixture; this test finds it (and fails if the fixture is missing).

mod common;

use stratalint_engine::Family;

#[test]
fn every_rule_on_its_fixture() {
    let rules = stratalint_rules::all();
    let mut checked = 0;
    for rule in &rules {
        let meta = rule.meta();
        if meta.family == Family::Engine {
            continue;
        }
        let path = common::fixture(&format!("rules/{}/{}", meta.family, meta.id));
        assert!(
            path.is_dir(),
            "{} has no fixture at {}",
            meta.id,
            path.display()
        );
        let result = common::check(&path, &[meta.id]);
        let rendered = common::render(&result.diagnostics);
        assert!(
            result.diagnostics.iter().all(|d| d.rule == meta.id),
            "only {} may fire on its fixture:\n{rendered}",
            meta.id
        );
        assert!(
            !result.diagnostics.is_empty(),
            "{} fires nowhere on its fixture",
            meta.id
        );
        insta::assert_snapshot!(meta.id, rendered);
        checked += 1;
    }
    assert!(checked >= 5);
}
