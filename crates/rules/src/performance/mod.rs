//! Performance: no N+1 queries.

pub fn rules() -> Vec<Box<dyn stratalint_engine::Rule>> {
    vec![]
}
