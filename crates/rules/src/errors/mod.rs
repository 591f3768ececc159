//! Error handling: errors live in one module, are never swallowed, never panic the request path.

pub fn rules() -> Vec<Box<dyn stratalint_engine::Rule>> {
    vec![]
}
