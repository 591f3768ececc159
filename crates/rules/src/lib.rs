//! stratalint's rules. Each rule is one file under its family's folder, with its documentation in
//! `rules/<family>/<id>.md` at the repository root (embedded here, printed by `stratalint rule`).
//! Adding a rule: write the file, its page and its fixture, and list it in the family's `rules()`.

use stratalint_engine::Rule;

/// Declare a rule's metadata; the doc page is `rules/<dir>/<id>.md`.
macro_rules! meta {
    ($id:literal, $family:ident, $dir:literal, $severity:ident) => {
        stratalint_engine::RuleMeta {
            id: $id,
            family: stratalint_engine::Family::$family,
            severity: stratalint_engine::Severity::$severity,
            doc: include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../rules/",
                $dir,
                "/",
                $id,
                ".md"
            )),
            default_enabled: true,
        }
    };
}
pub(crate) use meta;

pub mod async_io;
pub mod errors;
pub mod layers;
pub mod logging;
pub mod migrations;
pub mod naming;
pub mod performance;
pub mod security;
pub mod shared;
pub mod validation;

/// Every rule, in family order.
pub fn all() -> Vec<Box<dyn Rule>> {
    let mut rules = Vec::new();
    rules.extend(layers::rules());
    rules.extend(naming::rules());
    rules.extend(async_io::rules());
    rules.extend(migrations::rules());
    rules.extend(security::rules());
    rules.extend(validation::rules());
    rules.extend(errors::rules());
    rules.extend(performance::rules());
    rules.extend(logging::rules());
    rules
}
