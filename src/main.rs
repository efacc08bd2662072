fn main() {
    std::process::exit(enishi::cli::run());
}
