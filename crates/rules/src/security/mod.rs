//! Security: the seed's OWASP rules for Rust backends.

mod sql_injection;

pub fn rules() -> Vec<Box<dyn stratalint_engine::Rule>> {
    vec![Box::new(sql_injection::SqlInjection)]
}
