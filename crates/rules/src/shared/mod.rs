//! Knowledge several rules share: which APIs touch a database, which block a thread, which names
//! hold secrets.

pub mod blocking;
pub mod db;
pub mod sensitive;
