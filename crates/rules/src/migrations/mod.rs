//! Migration files: where they live and how they are named.

mod migration_file_name;

pub fn rules() -> Vec<Box<dyn stratalint_engine::Rule>> {
    vec![Box::new(migration_file_name::MigrationFileName)]
}
