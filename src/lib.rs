//! The `stratalint` and `cargo-stratalint` command line: argument parsing and glue between the
//! engine, the rules and the reporters. Exit codes: 0 clean, 1 findings at or above the fail level,
//! 2 usage, configuration or internal error (never a panic trace).

/// Both binaries (and the tests that link this crate) allocate through jemalloc: see Cargo.toml.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

mod arch_commands;
mod cli;
mod commands;

use std::ffi::OsString;

pub use cli::Cli;

/// Run the command line with these arguments (the first is the program name) and return the exit
/// code.
pub fn run(args: Vec<OsString>) -> i32 {
    use clap::Parser;
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    // A panic is a bug: say so in one line and exit 2 rather than print a trace.
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("unknown error");
        let thread = std::thread::current();
        let name = thread.name().unwrap_or("main");
        if !name.starts_with("stratalint-") {
            let loc = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            eprintln!("error: stratalint hit an internal error{loc}: {msg}\nPlease report it at https://github.com/stratalint/stratalint/issues");
        }
    }));
    std::panic::catch_unwind(|| commands::dispatch(cli)).unwrap_or(2)
}
