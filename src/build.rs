//! The build pipeline: `Site::load` -> theme -> pages, feeds, calendars,
//! search, directory -> one output tree. Each phase is timed for
//! `--timings`. Used by `build` (written to disk) and `serve` (kept in memory).

use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::output::{OutputFile, OutputTree};
use crate::site::{BuildOptions, Site};

/// Phase durations, in order.
#[derive(Debug, Default, Clone)]
pub struct Timings(pub Vec<(&'static str, Duration)>);

impl Timings {
    pub fn time<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        let t = Instant::now();
        let v = f();
        self.0.push((name, t.elapsed()));
        v
    }
}

impl std::fmt::Display for Timings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|(n, d)| format!("{n} {} ms", d.as_millis()))
            .collect();
        write!(f, "{}", parts.join(", "))
    }
}

/// Counts for the summary line.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub pages: usize,
    pub feeds: usize,
    pub files: usize,
    pub bytes: usize,
    pub hidden: usize,
}

pub struct Built {
    pub tree: OutputTree,
    pub stats: Stats,
    pub warnings: Vec<Diagnostic>,
}

/// Insert files into the tree; a path produced twice is a bug or a clash
/// between a static file and a generated one: the generated one wins.
fn insert_all(
    tree: &mut OutputTree,
    files: Vec<OutputFile>,
    warnings: &mut Vec<Diagnostic>,
    what: &str,
) {
    for f in files {
        if tree.contains_key(&f.path) && what == "static" {
            warnings.push(Diagnostic::warning(
                format!("static/{}", f.path),
                "has the same path as a generated file; the generated file is kept",
            ));
            continue;
        }
        tree.insert(f.path, f.bytes);
    }
}

/// Render a loaded site into an output tree.
pub fn render_site(site: &Site, timings: &mut Timings) -> Result<Built, Vec<Diagnostic>> {
    let mut theme = timings.time("theme", || crate::theme::load(&site.root, &site.config))?;
    crate::render::prepare(&mut theme, site);
    let mut warnings = site.warnings.clone();
    let extras = crate::html::Extras::default();
    let pages = timings.time("pages", || {
        crate::html::pages(site, &theme.strings, &extras)
    });
    let rendered: Vec<Result<OutputFile, Diagnostic>> = timings.time("templates", || {
        pages
            .par_iter()
            .map(|p| crate::render::render_page(&theme, site, p))
            .collect()
    });
    let mut errors = Vec::new();
    let mut tree = OutputTree::new();
    let mut html_files = Vec::new();
    for r in rendered {
        match r {
            Ok(f) => html_files.push(f),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        errors.sort();
        errors.dedup_by(|a, b| a.file == b.file && a.line == b.line && a.message == b.message);
        return Err(errors);
    }
    let n_pages = html_files.len();
    insert_all(&mut tree, html_files, &mut warnings, "pages");
    let feeds = timings.time("feeds", || crate::feeds::outputs(site, &theme.strings));
    let n_feeds = feeds.len();
    insert_all(&mut tree, feeds, &mut warnings, "feeds");
    insert_all(
        &mut tree,
        crate::feeds::sitemap(site, &pages),
        &mut warnings,
        "sitemap",
    );
    insert_all(
        &mut tree,
        crate::html::alias_pages(site),
        &mut warnings,
        "aliases",
    );
    let statics = std::mem::take(&mut theme.static_files);
    insert_all(&mut tree, statics, &mut warnings, "static");
    let bytes = tree.values().map(Vec::len).sum();
    let stats = Stats {
        pages: n_pages,
        feeds: n_feeds,
        files: tree.len(),
        bytes,
        hidden: site.hidden,
    };
    Ok(Built {
        tree,
        stats,
        warnings,
    })
}

/// Load and render.
pub fn build(opts: &BuildOptions, timings: &mut Timings) -> Result<Built, Vec<Diagnostic>> {
    let site = timings.time("load", || Site::load(opts))?;
    render_site(&site, timings)
}
