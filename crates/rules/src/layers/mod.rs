//! Layer boundaries: Router/Handler → Service → Repository → Database.

mod handler_database_access;

pub fn rules() -> Vec<Box<dyn stratalint_engine::Rule>> {
    vec![Box::new(handler_database_access::HandlerDatabaseAccess)]
}
