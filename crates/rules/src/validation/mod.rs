//! Input validation: request DTOs are validated before use.

mod dto;
mod unvalidated_extractor;
mod unvalidated_request_dto;

pub fn rules() -> Vec<Box<dyn stratalint_engine::Rule>> {
    vec![
        Box::new(unvalidated_request_dto::UnvalidatedRequestDto),
        Box::new(unvalidated_extractor::UnvalidatedExtractor),
    ]
}
