//! Naming conventions: files, types, tables and columns.

mod file_name_snake_case;

pub use file_name_snake_case::{is_snake_case, to_snake_case};

pub fn rules() -> Vec<Box<dyn stratalint_engine::Rule>> {
    vec![Box::new(file_name_snake_case::FileNameSnakeCase)]
}
