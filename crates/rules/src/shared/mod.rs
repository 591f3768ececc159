//! Knowledge several rules share: which APIs touch a database, which block a thread, what SQL
//! migrations do to tables.

pub mod blocking;
pub mod db;
pub mod sql;
