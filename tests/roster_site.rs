//! Writes a browsable site of the directory part (the `/alumni/` and
//! `/members/` pages, their data and JS), for the Python decrypt check and the
//! browser tests, until the full pipeline renders them:
//!
//! ```sh
//! ENISHI_ROSTER_SITE_OUT=/tmp/site ENISHI_ROSTER_PASSPHRASE='…' \
//!   [ENISHI_ROSTER_SITE_ROOT=/tmp/c] cargo test --test roster_site -- --nocapture
//! ```
//!
//! Without `ENISHI_ROSTER_SITE_OUT` it writes the canary fixture into a temp
//! dir and only checks the file layout. Uses the production PBKDF2 iteration
//! count (slow in a debug build) only when writing to ENISHI_ROSTER_SITE_OUT.

mod roster_support;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use roster_support::*;

#[test]
fn write_directory_site() {
    let out_env = std::env::var_os("ENISHI_ROSTER_SITE_OUT").map(PathBuf::from);
    let root = std::env::var_os("ENISHI_ROSTER_SITE_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| fixture("roster_canary"));
    let pass =
        std::env::var("ENISHI_ROSTER_PASSPHRASE").unwrap_or_else(|_| "canary-pass-phrase".into());
    let tmp = tempfile::tempdir().unwrap();
    let out = out_env.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    let config = load_config(&root);
    let t = Instant::now();
    let roster = enishi::input::roster::load(&root, &config).unwrap_or_else(|e| panic!("{e:#?}"));
    let load_ms = t.elapsed().as_millis();
    let view = roster.publishable(&config, jiff::civil::date(2026, 11, 22));
    let mut interviews = BTreeMap::new();
    if let Some(p) = view.public().first() {
        interviews.insert(
            p.id.clone(),
            (
                "/interviews/sample/".to_string(),
                "インタビュー".to_string(),
            ),
        );
    }
    let t = Instant::now();
    let (pages, files, _diags) = if out_env.is_some() {
        enishi::outputs::directory::outputs(&view, &config, &interviews, Some(&pass))
    } else {
        enishi::outputs::directory::outputs_with_iterations(
            &view,
            &config,
            &interviews,
            Some(&pass),
            1000,
        )
    };
    let out_ms = t.elapsed().as_millis();
    // The real theme (base layout, CSS, i18n), as the build will render it.
    let (html, statics) = render_with_theme(&root, &pages);
    write_site(&out, &html, &files);
    write_site(&out, &BTreeMap::new(), &statics);
    eprintln!(
        "roster: {} entries, {} public, {} members; load {load_ms} ms, outputs {out_ms} ms; {} pages -> {}",
        roster.len(),
        view.public().len(),
        view.members().len(),
        pages.len(),
        out.display()
    );
    for f in [
        "alumni/index.html",
        "members/index.html",
        "alumni/directory.json",
        "members/data.json",
        "js/alumni.js",
        "js/members.js",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
}
