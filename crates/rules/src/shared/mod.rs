//! Knowledge several rules share: which APIs touch a database, which block a thread.

pub mod blocking;
pub mod db;
