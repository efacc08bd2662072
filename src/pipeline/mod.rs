//! The build pipeline: `Site::load` -> theme -> search index, pages and
//! directory side by side, feeds, sitemap, calendars, static files -> an
//! output [`Sink`]. Files go to the sink as they are finished: `build`
//! writes them into a staging directory (never holding the whole site),
//! `serve` and tests keep them in memory ([`crate::core::output::MemSink`]). Each
//! phase is timed for `--timings`.
//!
//! [`incremental`] is `serve`'s state between rebuilds, on the same phases.
//! Imports every layer before it; never `write`, `serve`, `digest` or the CLI.

pub mod incremental;
pub mod write;

use std::time::{Duration, Instant};

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::core::diag::Diagnostic;
use crate::core::output::{share, Bytes, HtmlPage, OutputFile, OutputTree, Sink};
use crate::input::calendar_lock::{CalendarLock, LockEntry};
use crate::model::{Kind, Page};
use crate::site::{BuildOptions, Site};

/// Phase durations, in order. With `progress` set (a terminal), each phase
/// is announced on stderr while it runs.
#[derive(Debug, Default, Clone)]
pub struct Timings(pub Vec<(&'static str, Duration)>, pub bool);

impl Timings {
    pub fn with_progress(progress: bool) -> Self {
        Timings(Vec::new(), progress)
    }

    /// Show `name` as the running phase (on a terminal) without timing it:
    /// for phases that run side by side and record their own times.
    pub fn announce(&self, name: &str) {
        if self.1 {
            use std::io::Write;
            eprint!("\r\x1b[2K  {name}…");
            let _ = std::io::stderr().flush();
        }
    }

    pub fn time<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        self.announce(name);
        let t = Instant::now();
        let v = f();
        self.0.push((name, t.elapsed()));
        if self.1 {
            eprint!("\r\x1b[2K");
        }
        v
    }
}

/// Load the site (reusing what `cache` holds), timed as two phases: `load`
/// (reading, front matter, roster, checks) and `markdown`.
pub fn load_site(
    opts: &BuildOptions,
    cache: Option<&mut crate::site::memo::LoadCache>,
    timings: &mut Timings,
) -> Result<Site, Vec<Diagnostic>> {
    let mut markdown = Duration::ZERO;
    let t = Instant::now();
    let site = timings.time("load", || Site::load_cached(opts, cache, &mut markdown));
    if let Some((_, load)) = timings.0.last_mut() {
        *load = t.elapsed().saturating_sub(markdown);
    }
    timings.0.push(("markdown", markdown));
    site
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
    /// The records `calendar.lock` gets from this build (every language's
    /// published events; see [`Summary::calendar_lock`]).
    pub calendar_entries: Vec<(String, LockEntry)>,
}

/// The text of `calendar.lock` once `entries` (a build's) are recorded in
/// `lock` (the one the build read).
pub fn calendar_lock_text(lock: &CalendarLock, entries: &[(String, LockEntry)]) -> String {
    let updated =
        crate::outputs::calendar::updated_lock(lock, entries.iter().map(|(k, e)| (k.as_str(), e)));
    crate::input::calendar_lock::render(&updated)
}

/// What a build into a [`Sink`] reports.
pub struct Summary {
    pub stats: Stats,
    pub warnings: Vec<Diagnostic>,
    /// Site paths of this language's pages for the sitemap.
    pub sitemap_paths: Vec<String>,
    /// The record of each published event of this build (every language),
    /// for `calendar.lock` ([`calendar_lock_text`]); sorted by path.
    pub calendar_entries: Vec<(String, LockEntry)>,
}

/// An I/O error while storing a generated file.
fn put_error(path: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(path, format!("cannot write this output file: {e}"))
}

/// Store generated files; a later file with the same path replaces an
/// earlier one.
fn put_all(sink: &dyn Sink, files: Vec<OutputFile>) -> Result<(), Vec<Diagnostic>> {
    for f in files {
        let path = f.path.clone();
        sink.put(f).map_err(|e| vec![put_error(&path, e)])?;
    }
    Ok(())
}

/// [`put_all`] for files whose bytes are shared (kept by `serve`).
fn put_shared_all<'a>(
    sink: &dyn Sink,
    files: impl IntoIterator<Item = &'a (String, Bytes)>,
) -> Result<(), Vec<Diagnostic>> {
    for (path, bytes) in files {
        sink.put_shared(path.clone(), bytes.clone())
            .map_err(|e| vec![put_error(path, e)])?;
    }
    Ok(())
}

/// Per-page data from other output modules: JSON-LD and calendar links,
/// made when a page is built.
fn extras(site: &Site) -> crate::render::views::Extras<'_> {
    let per_page = move |p: &Page| {
        let mut m = serde_json::Map::new();
        if let Some(v) = crate::outputs::jsonld::for_page(p, &site.config) {
            m.insert(
                "jsonld".into(),
                crate::core::escape::json_for_script(&v).into(),
            );
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
                crate::outputs::calendar::google_calendar_url(p, &site.config).into(),
            );
        }
        m
    };
    let org = crate::outputs::jsonld::organization(&site.config);
    crate::render::views::Extras {
        per_page: Box::new(per_page),
        home_jsonld: Some(crate::core::escape::json_for_script(&org).into()),
    }
}

/// What the search index covers: listed pages (so never a closed job, and
/// drafts or scheduled pages only in a `--drafts` preview), sorted by URL.
pub fn search_docs(site: &Site) -> Vec<crate::outputs::search::SearchDoc> {
    let lang = site.config.language;
    let mut docs: Vec<crate::outputs::search::SearchDoc> = site
        .pages
        .iter()
        .filter(|p| p.is_listed())
        .map(|p| crate::outputs::search::SearchDoc {
            url: crate::render::views::link(site, &p.path),
            title: p.title.clone(),
            kind: p.kind.name().to_string(),
            date: p.date.as_ref().map(|d| d.date().to_string()),
            date_display: p
                .date
                .as_ref()
                .map(|d| crate::core::lang::format_date(d.date(), lang)),
            tags: p.tags.clone(),
            body: p.plain_text.clone(),
        })
        .collect();
    // The public directory: consented public fields only.
    for (path, name, text) in site.roster.search_entries() {
        docs.push(crate::outputs::search::SearchDoc {
            url: site.config.site_path(&path),
            title: name,
            kind: "alumni".into(),
            date: None,
            date_display: None,
            tags: Vec::new(),
            body: text.into(),
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
    cache: Option<&mut crate::pipeline::incremental::RenderCache>,
) -> Result<Built, Vec<Diagnostic>> {
    let sink = crate::core::output::MemSink::default();
    let summary = render_site_into(site, timings, cache, &sink)?;
    Ok(Built {
        tree: sink.into_tree(),
        stats: summary.stats,
        warnings: summary.warnings,
        calendar_entries: summary.calendar_entries,
    })
}

/// Render a loaded site into `sink`, file by file: each file is handed over
/// as soon as it is finished, so a build to disk never holds the whole
/// tree, and each page's template variables live only while it renders.
pub fn render_site_into(
    site: &Site,
    timings: &mut Timings,
    cache: Option<&mut crate::pipeline::incremental::RenderCache>,
    sink: &dyn Sink,
) -> Result<Summary, Vec<Diagnostic>> {
    let mut theme = timings.time("theme", || {
        // `static/` images that content uses are published processed,
        // never as they are (their metadata would go with them); the
        // files `site.yaml` names (`favicon`, `og_image`) stay where it says.
        let mut skip = site.photos.static_sources();
        for a in [&site.config.favicon, &site.config.og_image]
            .into_iter()
            .flatten()
        {
            if let Some(name) = a.static_name() {
                skip.remove(name);
            }
        }
        crate::render::theme::load_skipping(&site.root, &site.config, &skip)
    })?;
    crate::render::prepare(&mut theme, site);
    let mut warnings = site.warnings.clone();
    let is_main = site.config.lang_prefix.is_empty();
    if is_main {
        warnings.extend(theme.warnings.iter().cloned());
    }
    let extras = extras(site);
    let by_person = interviews_by_person(site);
    let directory = || -> crate::pipeline::incremental::DirectoryOut {
        let (pages, files, warnings) = crate::outputs::directory::outputs(
            &site.roster,
            &site.config,
            &by_person,
            site.members_passphrase.as_deref(),
        );
        (
            pages.into_iter().map(std::sync::Arc::new).collect(),
            crate::core::output::share(files),
            warnings,
        )
    };
    let (mut page_cache, dir_cache, others_cache, search_cache, calendar_memo) = match cache {
        Some(c) => (
            Some(&mut c.pages),
            Some(&mut c.directory),
            Some(&mut c.others),
            Some((&c.search, c.defer_search, &mut c.pending_search)),
            Some(&mut c.calendar),
        ),
        None => (None, None, None, None, None),
    };
    // The search index, stored at once.
    let search = move || -> (Result<usize, Vec<Diagnostic>>, std::time::Duration) {
        let t = Instant::now();
        let bytes = match search_cache {
            None => {
                let docs = search_docs(site);
                let index = crate::outputs::search::build_index(&docs);
                drop(docs);
                let bytes = index.iter().map(|f| f.bytes.len()).sum::<usize>();
                put_all(sink, index).map(|()| bytes)
            }
            // `serve`: the last index now and this one later, or this one now.
            Some((state, defer, pending)) => {
                let last = if defer {
                    state.last_files()
                } else {
                    Vec::new()
                };
                let files = if !last.is_empty() {
                    *pending = true;
                    last
                } else {
                    state.build(&search_docs(site))
                };
                put_shared_all(sink, &files).map(|()| files.iter().map(|(_, b)| b.len()).sum())
            }
        };
        (bytes, t.elapsed())
    };
    let render = |p: &HtmlPage| crate::render::render_page(&theme, site, p);
    // The search index, the content pages (cards, then each page built,
    // rendered and stored in turn) and the directory with its key
    // derivation, side by side: the sequential parts of each (merging
    // postings, PBKDF2, deflate) leave a core to the others.
    let strings = &theme.strings;
    timings.announce("search, pages, roster and members");
    // The directory first, on this thread: its members payload is the
    // longest sequential chain; the other cores take the rest.
    let (dir_done, ((index_bytes, search_took), pages_done)) = rayon::join(
        || {
            let t = Instant::now();
            let out = match dir_cache {
                Some(c) => {
                    let out = c.get(site, &by_person, directory);
                    (out, c.key())
                }
                None => (directory(), None),
            };
            (out, t.elapsed())
        },
        || {
            rayon::join(search, || {
                let t = Instant::now();
                let views = crate::render::views::views(site, strings, &extras);
                let errors = render_views(
                    &views,
                    page_cache.as_deref_mut(),
                    None,
                    (site, strings),
                    &render,
                    sink,
                );
                (views, errors, t.elapsed())
            })
        },
    );
    let (views, page_errors, pages_took) = pages_done;
    timings.0.push(("search", search_took));
    let index_bytes = index_bytes?;
    let (((dir_pages, dir_files, dir_warnings), dir_key), dir_took) = dir_done;
    // Side by side: each its own time.
    timings.0.push(("pages and templates", pages_took));
    timings.0.push(("roster and members", dir_took));
    let mut errors = page_errors;
    // The roster's warnings are the main language's to tell.
    if is_main {
        warnings.extend(dir_warnings);
    }
    let mut dir_views = crate::render::views::Views::empty(site, strings, &extras);
    dir_views.extend_ready(dir_pages);
    errors.extend(timings.time("directory pages", || {
        render_views(
            &dir_views,
            page_cache.as_deref_mut(),
            dir_key,
            (site, strings),
            &render,
            sink,
        )
    }));
    if !errors.is_empty() {
        errors.sort();
        errors.dedup_by(|a, b| a.file == b.file && a.line == b.line && a.message == b.message);
        return Err(errors);
    }
    // The other languages, each a site of its own under `/<code>/`.
    let (mut lang_pages, mut lang_feeds) = (0, 0);
    let mut lang_sitemap: Vec<String> = Vec::new();
    let mut calendar_entries: Vec<(String, LockEntry)> = Vec::new();
    for lang_site in site.language_sites() {
        let prefix = format!("{}/", lang_site.config.lang_prefix.trim_start_matches('/'));
        let inner = PrefixSink {
            inner: sink,
            prefix,
        };
        let s = render_site_into(&lang_site, &mut Timings::default(), None, &inner)?;
        warnings.extend(s.warnings);
        lang_pages += s.stats.pages;
        lang_feeds += s.stats.feeds;
        calendar_entries.extend(s.calendar_entries);
        let code_prefix = &lang_site.config.lang_prefix;
        lang_sitemap.extend(s.sitemap_paths.iter().map(|p| format!("{code_prefix}{p}")));
    }
    let mut sitemap_paths: Vec<&str> = [&views, &dir_views]
        .into_iter()
        .flat_map(|v| (0..v.len()).filter(|i| v.in_sitemap(*i)).map(|i| v.path(i)))
        .collect();
    let own_sitemap: Vec<String> = sitemap_paths.iter().map(|p| p.to_string()).collect();
    sitemap_paths.extend(lang_sitemap.iter().map(String::as_str));
    let n_pages = views.len() + dir_views.len();
    let n_feeds = timings.time("feeds, sitemap and calendars", || {
        // Each event's VEVENT (`serve`: the last build's where unchanged).
        let calendar = prepare_calendar(site, calendar_memo, || {
            page_cache.as_deref().and_then(|pages| {
                let reads = crate::outputs::Reads {
                    cards: true,
                    ..Default::default()
                };
                pages.output_key(site, &theme.strings, &sitemap_paths, reads)
            })
        });
        calendar_entries.extend(calendar.entries().map(|(k, e)| (k.to_string(), e.clone())));
        let cx = crate::outputs::Cx {
            site,
            strings: &theme.strings,
            sitemap_paths: &sitemap_paths,
            calendar: &calendar,
        };
        let table: Vec<&dyn crate::outputs::Output> = crate::outputs::AFTER_PAGES
            .iter()
            .copied()
            .filter(|o| is_main || !MAIN_ONLY.contains(&o.name()))
            .collect();
        // `serve`: each output again only when what it reads changed.
        let mut kept: Vec<Option<&mut crate::pipeline::incremental::KeptFiles>> = match others_cache
        {
            Some(c) => {
                c.0.resize_with(table.len(), Default::default);
                c.0.iter_mut().map(Some).collect()
            }
            None => table.iter().map(|_| None).collect(),
        };
        let failed = std::sync::Mutex::new(Vec::new());
        let produced: Vec<Vec<(String, Bytes)>> = table
            .par_iter()
            .zip(kept.par_iter_mut())
            .map(|(out, kept)| {
                let run = || {
                    let (files, errors) = out.run_checked(&cx);
                    if !errors.is_empty() {
                        failed
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .extend(errors);
                    }
                    share(files)
                };
                let key = page_cache.as_deref().and_then(|pages| {
                    pages.output_key(site, &theme.strings, &sitemap_paths, out.reads())
                });
                match (kept, key) {
                    (Some(k), Some(key)) => k.get(key, run),
                    _ => run(),
                }
            })
            .collect();
        let mut failed = failed.into_inner().unwrap_or_else(|e| e.into_inner());
        if !failed.is_empty() {
            failed.sort();
            return Err(failed);
        }
        put_shared_all(sink, &dir_files)?;
        let mut n_feeds = 0;
        for (out, files) in table.iter().zip(&produced) {
            if out.is_feed() {
                n_feeds += files.len();
            }
            // In table order: a later file with the same path wins.
            put_shared_all(sink, files)?;
        }
        Ok::<_, Vec<Diagnostic>>(n_feeds)
    })?;
    // Static files are shared by every language.
    if !is_main {
        theme.static_files.clear();
    }
    for f in std::mem::take(&mut theme.static_files) {
        if sink.contains(&f.path) {
            warnings.push(Diagnostic::warning(
                format!("static/{}", f.path),
                "has the same path as a generated file; the generated file is kept",
            ));
            continue;
        }
        put_all(sink, vec![f])?;
    }
    views.free_in_background();
    dir_views.free_in_background();
    let (files, bytes) = sink.totals();
    let stats = Stats {
        pages: n_pages + lang_pages,
        feeds: n_feeds + lang_feeds,
        files,
        bytes,
        hidden: site.hidden,
        index_bytes,
    };
    calendar_entries.sort();
    Ok(Summary {
        stats,
        warnings,
        sitemap_paths: own_sitemap,
        calendar_entries,
    })
}

/// The VEVENT of each event of `site` ([`crate::outputs::calendar::prepare`]).
/// `serve` (`memo`) keeps the last build's: all of them while no page's
/// card, the config and `calendar.lock` changed (`key`, computed only with
/// a memo), else each event's own while it is unchanged.
fn prepare_calendar(
    site: &Site,
    memo: Option<&mut crate::pipeline::incremental::CalendarMemo>,
    key: impl FnOnce() -> Option<u64>,
) -> std::sync::Arc<crate::outputs::calendar::Prepared> {
    let prepare = |last: Option<&crate::outputs::calendar::Prepared>| {
        let events: Vec<&Page> = site.of_kind(Kind::Event).collect();
        let lock = &site.calendar_lock;
        crate::outputs::calendar::prepare(&events, &site.config, lock, last)
    };
    let Some(memo) = memo else {
        return std::sync::Arc::new(prepare(None));
    };
    let key = key();
    match &memo.last {
        Some(kept) if key.is_some() && memo.key == key => std::sync::Arc::clone(kept),
        last => {
            let made = std::sync::Arc::new(prepare(last.as_deref()));
            memo.key = key;
            memo.last = Some(std::sync::Arc::clone(&made));
            made
        }
    }
}

/// Outputs of the main language only: one sitemap (listing every language),
/// one set of redirects, one editor, one set of processed photos (shared).
const MAIN_ONLY: [&str; 4] = ["sitemap", "aliases", "admin", "images"];

/// A language's files, stored under its `<code>/` in the whole tree.
struct PrefixSink<'a> {
    inner: &'a dyn Sink,
    prefix: String,
}

impl Sink for PrefixSink<'_> {
    fn put(&self, mut file: OutputFile) -> std::io::Result<()> {
        file.path = format!("{}{}", self.prefix, file.path);
        self.inner.put(file)
    }
    fn put_shared(&self, path: String, bytes: Bytes) -> std::io::Result<()> {
        self.inner
            .put_shared(format!("{}{path}", self.prefix), bytes)
    }
    fn contains(&self, path: &str) -> bool {
        self.inner.contains(&format!("{}{path}", self.prefix))
    }
    fn totals(&self) -> (usize, usize) {
        self.inner.totals()
    }
}

/// Build, render and store every view (reusing cached HTML where the
/// inputs are unchanged); the errors of those that failed.
fn render_views(
    views: &crate::render::views::Views,
    cache: Option<&mut crate::pipeline::incremental::PageCache>,
    ready: Option<u64>,
    (site, strings): (&Site, &BTreeMap<String, String>),
    render: &(dyn Fn(&HtmlPage) -> Result<OutputFile, Diagnostic> + Sync),
    sink: &dyn Sink,
) -> Vec<Diagnostic> {
    let store = |r: Result<OutputFile, Diagnostic>| -> Option<Diagnostic> {
        match r {
            Ok(f) => {
                let path = f.path.clone();
                sink.put(f).err().map(|e| put_error(&path, e))
            }
            Err(d) => Some(d),
        }
    };
    match cache {
        Some(c) => c
            .render(site, strings, views, ready, render)
            .into_iter()
            .filter_map(|r| match r {
                Ok(file) => put_shared_all(sink, [&file]).err(),
                Err(d) => Some(vec![d]),
            })
            .flatten()
            .collect(),
        None => (0..views.len())
            .into_par_iter()
            .filter_map(|i| store(render(&views.page(i))))
            .collect(),
    }
}

/// Load and render into memory.
pub fn build(opts: &BuildOptions, timings: &mut Timings) -> Result<Built, Vec<Diagnostic>> {
    let site = load_site(opts, None, timings)?;
    render_site(&site, timings)
}
