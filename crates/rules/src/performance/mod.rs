//! Performance: no N+1 queries, sequential or concurrent.

mod loops;
mod query_fan_out;
mod query_in_loop;

pub fn rules() -> Vec<Box<dyn stratalint_engine::Rule>> {
    vec![
        Box::new(query_in_loop::QueryInLoop),
        Box::new(query_fan_out::QueryFanOut),
    ]
}
