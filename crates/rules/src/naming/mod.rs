//! Naming conventions: files, types, tables and columns.

mod column_name;
mod entity;
mod entity_file_name;
mod file_name_snake_case;
pub mod inflect;
mod model_name;
mod repository_service_name;
mod schema_name;
mod table_name;
mod tables;

pub use file_name_snake_case::{is_snake_case, to_snake_case};

pub fn rules() -> Vec<Box<dyn stratalint_engine::Rule>> {
    vec![
        Box::new(file_name_snake_case::FileNameSnakeCase),
        Box::new(entity_file_name::EntityFileName),
        Box::new(model_name::ModelName),
        Box::new(schema_name::SchemaName::default()),
        Box::new(repository_service_name::RepositoryServiceName::default()),
        Box::new(table_name::TableName),
        Box::new(column_name::ColumnName),
    ]
}
