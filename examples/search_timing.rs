//! Times the phases of the search index build on a corpus (development aid):
//! `cargo run --release --example search_timing -- CORPUS_DIR`
fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: search_timing CORPUS_DIR");
        std::process::exit(2);
    };
    let mut texts = Vec::new();
    for e in walkdir::WalkDir::new(std::path::Path::new(&dir).join("content"))
        .into_iter()
        .flatten()
    {
        if e.file_type().is_file() {
            texts.push(std::fs::read_to_string(e.path()).unwrap_or_default());
        }
    }
    let t = std::time::Instant::now();
    let n: usize = texts
        .iter()
        .map(|s| enishi::search::normalize(s).len())
        .sum();
    eprintln!("normalize: {:?} ({n} bytes)", t.elapsed());
    let t = std::time::Instant::now();
    let n: usize = texts
        .iter()
        .map(|s| enishi::search::tokenize(s).len())
        .sum();
    eprintln!("tokenize: {:?} ({n} tokens)", t.elapsed());
}
