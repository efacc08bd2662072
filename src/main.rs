// mimalloc: see Cargo.toml (allocation was a fifth of a build's CPU time).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(enishi::cli::run());
}
