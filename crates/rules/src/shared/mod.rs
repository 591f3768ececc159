//! Knowledge several rules share: which APIs touch a database, which block a thread, and the
//! project call graph the async rules follow.

pub mod blocking;
pub mod blocking_calls;
pub mod call_graph;
pub mod db;
