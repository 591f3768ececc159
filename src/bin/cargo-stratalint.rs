//! `cargo stratalint …`: cargo runs this binary as `cargo-stratalint stratalint …`.

fn main() {
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "stratalint") {
        args.remove(1);
    }
    if let Some(first) = args.first_mut() {
        *first = "cargo stratalint".into();
    }
    std::process::exit(stratalint::run(args));
}
