//! Profiling aid for `serve`'s incremental rebuilds, without HTTP or a
//! watcher: one full build of a site, then N body edits of its news pages,
//! each followed by the rebuild `serve` would do, with per-phase times.
//!
//!     cargo run --release --example rebuild -- COPY-OF-A-SITE [N] [title]
//!
//! The site is modified (a line is appended to N news pages, or with
//! `title` their titles are changed, which lists and feeds show): use a copy.
//! Under `valgrind --tool=callgrind` it gives repeatable instruction counts.
use std::error::Error;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use enishi::pipeline::incremental::Incremental;
use enishi::pipeline::Timings;
use enishi::site::BuildOptions;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().ok_or("usage: rebuild SITE [EDITS]")?);
    let n: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(10);
    let titles = args.next().is_some_and(|a| a == "title");
    let opts = BuildOptions {
        root: root.clone(),
        now: Some("2026-11-01".into()),
        members_passphrase: Some("bench-pass".into()),
        base_url: Some("http://127.0.0.1:1/".into()),
        ..Default::default()
    };
    let mut state = Incremental::new();
    let t0 = Instant::now();
    state
        .build(&opts, &mut Timings::default())
        .map_err(|d| format!("first build failed: {d:?}"))?;
    eprintln!("first build {} ms", t0.elapsed().as_millis());
    let mut news: Vec<PathBuf> = std::fs::read_dir(root.join("content/news"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    news.sort();
    if news.is_empty() {
        return Err("no content/news/*.md to edit".into());
    }
    let mut times = Vec::new();
    for i in 0..n {
        let page = &news[i * 7 % news.len()];
        if titles {
            let text = std::fs::read_to_string(page)?;
            std::fs::write(page, text.replacen("title: ", &format!("title: {i} "), 1))?;
        } else {
            writeln!(
                std::fs::OpenOptions::new().append(true).open(page)?,
                "\nedit {i}"
            )?;
        }
        let mut timings = Timings::default();
        let start = Instant::now();
        state.note_changes(&root, std::slice::from_ref(page));
        let (built, search_job) = state.build_deferred(&opts, &mut timings);
        let took = start.elapsed();
        built.map_err(|d| format!("rebuild failed: {d:?}"))?;
        drop(search_job);
        eprintln!(
            "  {timings}; total {} ms; {:?}",
            took.as_millis(),
            state.work()
        );
        times.push(took.as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    if let Some(m) = times.get(times.len() / 2) {
        eprintln!("median {m:.1} ms over {n} rebuilds");
    }
    Ok(())
}
