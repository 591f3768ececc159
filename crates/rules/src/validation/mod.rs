//! Input validation: request DTOs are validated before use.

pub fn rules() -> Vec<Box<dyn stratalint_engine::Rule>> {
    vec![]
}
