//! Issue 17, resource limits: hostile files fail fast with a clear error.
mod common;
use common::*;
use std::time::{Duration, Instant};

fn fails_fast(rel: &str, content: &str, want: &str) {
    let dir = site(&[("site.yaml", "title: T\nbase_url: https://example.org/\n")]);
    write(dir.path(), rel, content);
    let t = Instant::now();
    let o = build(dir.path(), &[]);
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "{rel}: {:?}",
        t.elapsed()
    );
    assert!(!o.status.success(), "{rel} built");
    let e = stderr(&o);
    assert!(e.contains(want) && e.contains("64 levels"), "{rel}: {e}");
}

#[test]
fn deep_nesting_in_roster_is_an_error_with_the_limit() {
    fails_fast(
        "data/roster.yaml",
        &"[".repeat(60_000),
        "data/roster.yaml:1:",
    );
}

#[test]
fn deep_nesting_in_front_matter_is_an_error_with_the_limit() {
    let fm = format!("---\ntitle: {}\n---\nbody\n", "[".repeat(100_000));
    fails_fast("content/news/x.md", &fm, "content/news/x.md:2:");
}
