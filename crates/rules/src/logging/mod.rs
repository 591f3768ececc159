//! Logging: `tracing` with structured fields, not prints.

mod print_in_backend;
mod unstructured_log_message;

pub fn rules() -> Vec<Box<dyn stratalint_engine::Rule>> {
    vec![
        Box::new(print_in_backend::PrintInBackend),
        Box::new(unstructured_log_message::UnstructuredLogMessage),
    ]
}
