//! Knowledge several rules share: which APIs touch a database, which block a thread, which calls
//! run a query, where the request path is, which names hold secrets.

pub mod blocking;
pub mod db;
pub mod db_calls;
pub mod request_path;
pub mod sensitive;
