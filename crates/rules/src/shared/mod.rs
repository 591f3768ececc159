//! Knowledge several rules share: which APIs touch a database, which block a thread, which calls
//! run a query, where the request path is, which names hold secrets, the project call graph the
//! async rules follow, and what SQL migrations do to tables.

pub mod blocking;
pub mod blocking_calls;
pub mod call_graph;
pub mod db;
pub mod db_calls;
pub mod request_path;
pub mod sensitive;
pub mod sql;
