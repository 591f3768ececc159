fn main() {
    std::process::exit(stratalint::run(std::env::args_os().collect()));
}
