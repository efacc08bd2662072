//! The build pipeline: `Site::load` -> theme -> pages, feeds, calendars,
//! search, directory -> one output tree. Each phase is timed for
//! `--timings`. Used by `build` (written to disk) and `serve` (kept in memory).

use std::time::{Duration, Instant};

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::model::{Kind, Page};
use crate::output::{OutputFile, OutputTree};
use crate::site::{BuildOptions, Site};

/// Phase durations, in order. With `progress` set (a terminal), each phase
/// is announced on stderr while it runs.
#[derive(Debug, Default, Clone)]
pub struct Timings(pub Vec<(&'static str, Duration)>, pub bool);

impl Timings {
    pub fn with_progress(progress: bool) -> Self {
        Timings(Vec::new(), progress)
    }

    pub fn time<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        if self.1 {
            use std::io::Write;
            eprint!("\r\x1b[2K  {name}…");
            let _ = std::io::stderr().flush();
        }
        let t = Instant::now();
        let v = f();
        self.0.push((name, t.elapsed()));
        if self.1 {
            eprint!("\r\x1b[2K");
        }
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
    /// Size of the search index files.
    pub index_bytes: usize,
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

/// Per-page data from other output modules: JSON-LD and calendar links.
fn extras(site: &Site) -> crate::html::Extras {
    let mut extras = crate::html::Extras::default();
    for p in &site.pages {
        let mut m = serde_json::Map::new();
        if let Some(v) = crate::jsonld::for_page(p, &site.config) {
            m.insert("jsonld".into(), crate::util::json_for_script(&v).into());
        }
        if let Some(href) = p
            .interview()
            .and_then(|i| i.roster_id.as_deref())
            .and_then(|id| site.roster.public_entry_href(id, &site.config))
        {
            m.insert("directory_url".into(), href.into());
        }
        if p.event().is_some() {
            m.insert(
                "gcal_url".into(),
                crate::calendar::google_calendar_url(p, &site.config).into(),
            );
        }
        if !m.is_empty() {
            extras.per_page.insert(p.path.clone(), m);
        }
    }
    let org = crate::jsonld::organization(&site.config);
    extras
        .per_page
        .entry("/".into())
        .or_default()
        .insert("jsonld".into(), crate::util::json_for_script(&org).into());
    extras
}

/// What the search index covers: listed pages (so never a closed job, and
/// drafts or scheduled pages only in a `--drafts` preview), sorted by URL.
fn search_docs(site: &Site) -> Vec<crate::search::SearchDoc> {
    let lang = site.config.language;
    let mut docs: Vec<crate::search::SearchDoc> = site
        .pages
        .iter()
        .filter(|p| p.is_listed())
        .map(|p| crate::search::SearchDoc {
            url: crate::html::link(site, &p.path),
            title: p.title.clone(),
            kind: p.kind.name().to_string(),
            date: p.date.as_ref().map(|d| d.date().to_string()),
            date_display: p
                .date
                .as_ref()
                .map(|d| crate::util::format_date(d.date(), lang)),
            tags: p.tags.clone(),
            body: p.plain_text.clone(),
        })
        .collect();
    // The public directory: consented public fields only.
    for (path, name, text) in site.roster.search_entries() {
        docs.push(crate::search::SearchDoc {
            url: site.config.site_path(&path),
            title: name,
            kind: "alumni".into(),
            date: None,
            date_display: None,
            tags: Vec::new(),
            body: text,
        });
    }
    docs.sort_by(|a, b| a.url.cmp(&b.url));
    docs
}

/// roster_id -> (site path, title) of the interview about that person.
fn interviews_by_person(site: &Site) -> BTreeMap<String, (String, String)> {
    let mut m = BTreeMap::new();
    for p in site.of_kind(Kind::Interview) {
        if let Some(id) = p.interview().and_then(|i| i.roster_id.clone()) {
            m.entry(id)
                .or_insert_with(|| (p.path.clone(), p.title.clone()));
        }
    }
    m
}

/// Render a loaded site into an output tree.
pub fn render_site(site: &Site, timings: &mut Timings) -> Result<Built, Vec<Diagnostic>> {
    render_site_cached(site, timings, None)
}

/// [`render_site`], reusing from `cache` the HTML of pages whose template
/// inputs did not change (`serve`'s incremental rebuilds); same result.
pub fn render_site_cached(
    site: &Site,
    timings: &mut Timings,
    mut cache: Option<&mut crate::incremental::RenderCache>,
) -> Result<Built, Vec<Diagnostic>> {
    let mut theme = timings.time("theme", || crate::theme::load(&site.root, &site.config))?;
    crate::render::prepare(&mut theme, site);
    let mut warnings = site.warnings.clone();
    // The search index first: its working memory is freed before the pages
    // are rendered, so the two peaks do not add up.
    let docs = search_docs(site);
    let keys = cache.as_deref_mut().map(|c| &mut c.search);
    let index = timings.time("search", || crate::search::build_index_cached(&docs, keys));
    drop(docs);
    let index_bytes = index.iter().map(|f| f.bytes.len()).sum();
    let extras = timings.time("structured data", || extras(site));
    let by_person = interviews_by_person(site);
    let directory = || {
        crate::directory::outputs(
            &site.roster,
            &site.config,
            &by_person,
            site.members_passphrase.as_deref(),
        )
    };
    // Page views and the directory (with its key derivation) are
    // independent: build them side by side.
    let strings = &theme.strings;
    let (mut pages, (dir_pages, dir_files, dir_warnings)) =
        timings.time("pages, roster and members", || {
            rayon::join(
                || crate::html::pages(site, strings, &extras),
                || match cache.as_deref_mut() {
                    Some(c) => c.directory(site, &by_person, directory),
                    None => directory(),
                },
            )
        });
    pages.extend(dir_pages);
    warnings.extend(dir_warnings);
    let rendered: Vec<Result<OutputFile, Diagnostic>> = timings.time("templates", || {
        let render = |p: &crate::output::HtmlPage| crate::render::render_page(&theme, site, p);
        match cache {
            Some(c) => c.pages(site, &theme.strings, &pages, render),
            None => pages.par_iter().map(render).collect(),
        }
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
    // Only paths and flags are needed from here on (sitemap): free the
    // template variables (page bodies, cards) before the search index
    // allocates, which lowers the peak RSS.
    pages
        .par_iter_mut()
        .for_each(|p| p.vars = serde_json::Value::Null);
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
    insert_all(&mut tree, dir_files, &mut warnings, "directory");
    insert_all(&mut tree, index, &mut warnings, "search");
    let events: Vec<&Page> = site.of_kind(Kind::Event).collect();
    let calendars = timings.time("calendars", || {
        crate::calendar::outputs(&events, &site.config, &site.now)
    });
    insert_all(&mut tree, calendars, &mut warnings, "calendars");
    let statics = std::mem::take(&mut theme.static_files);
    insert_all(&mut tree, statics, &mut warnings, "static");
    let bytes = tree.values().map(Vec::len).sum();
    let stats = Stats {
        pages: n_pages,
        feeds: n_feeds,
        files: tree.len(),
        bytes,
        hidden: site.hidden,
        index_bytes,
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
