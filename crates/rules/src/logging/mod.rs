//! Logging: `tracing` with structured fields, not prints.

pub fn rules() -> Vec<Box<dyn stratalint_engine::Rule>> {
    vec![]
}
