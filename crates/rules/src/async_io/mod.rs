//! Async all the way: no blocking on the executor.

mod blocking_call_in_async;

pub fn rules() -> Vec<Box<dyn stratalint_engine::Rule>> {
    vec![Box::new(blocking_call_in_async::BlockingCallInAsync)]
}
