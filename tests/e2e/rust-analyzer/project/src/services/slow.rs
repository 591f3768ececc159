//! A blocking call in an async fn, after non-ASCII text on the same line: rust-analyzer must place
//! the diagnostic by UTF-16 columns, which it computes from the span's `text`.

use std::time::Duration;

pub async fn greet() -> &'static str {
    let greeting = "héllo, 世界 👋"; std::thread::sleep(Duration::from_millis(10));
    greeting
}
