//! Incremental rebuilds for `serve`: the same pipeline as a full build, with
//! memoised steps, so the result is the full build's tree byte for byte.
//!
//! State lives in an [`Incremental`] value that the serve closure owns (no
//! globals). What is reused, and keyed by what:
//! - the **site** itself, patched in place when every change is an edit
//!   that keeps each page where it was (same URL, aliases, date, tags,
//!   heading ids; no new errors) and "now" has not reached anything it
//!   decides ([`LinkFacts::until`]): only the edited pages are read and
//!   rendered (`Incremental::patch`); otherwise the site is loaded again
//!   from what follows;
//! - the **content listing**: while every change is to a file already listed
//!   that is still a file (an edit, not an addition, removal or rename);
//! - **documents** (read + front matter): by file path, size and mtime, and
//!   never for a path the watcher reported (mtime can be coarse);
//! - **Markdown** of a document: by the document's version (bumped whenever
//!   it is re-parsed) and a fingerprint of what links resolve against (every
//!   source -> URL, unpublished sources, config), so adding, removing or
//!   renaming a page re-renders Markdown everywhere (links may change);
//! - the **roster**, reduced to its consent-filtered view and ids (the full
//!   roster is not kept): until anything in `data/` changes or the day
//!   does (consent counts from its `given` day);
//! - **HTML pages**: by a key of what the page shows, computed without
//!   building it ([`crate::render::views::Views::hash_view`]): each page has a
//!   revision (its document's and Markdown's versions, plus what "now" made
//!   of it) and a card revision (only what lists show: title, date, summary,
//!   tags, job or event details). A single page is keyed by its revision, a
//!   list page by its items' card revisions, and all by the globals (`site`,
//!   `t`, config, tag slugs). A body edit re-renders that page alone; a
//!   title/date/tag edit also the lists, tag pages and home showing it;
//! - **directory and members** outputs: by config, linked interviews,
//!   passphrase and day; **feeds, sitemap, alias pages**: by every page's card
//!   revision and aliases, the indexable paths, `calendar.lock` and config;
//!   **calendars**: the same and "now", and each event's VEVENT apart from
//!   its `DTSTAMP` by what it is made from ([`crate::outputs::calendar::Prepared`]);
//! - the **search index**: keys of unchanged documents; and with
//!   [`Incremental::build_deferred`] (what `serve` uses) the index of a
//!   content rebuild is built after the tree is served, on its own thread,
//!   from the shared site ([`SearchJob`]), the previous index standing in.
//!
//! Any change outside `content/` (templates, themes, `static/`, `data/`,
//! `site.yaml`) or a change of build options drops the whole state: the
//! next build is full.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::core::diag::Diagnostic;
use crate::core::memo::{hash_json, Keyed};
use crate::core::output::{Bytes, HtmlPage, OutputFile};
use crate::input::content::Document;
use crate::markdown::Rendered;
use crate::model::Kind;
use crate::pipeline::{Built, Timings};
use crate::render::views::{Rev, Views};
use crate::site::memo::{config_fingerprint, stamp, LoadCache, MdEntry, Stamp, Work};
use crate::site::{BuildOptions, Site};

fn page_key(globals: u64, p: &HtmlPage) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    globals.hash(&mut h);
    (&p.path, &p.template, &p.title, &p.description).hash(&mut h);
    (p.in_sitemap, p.noindex).hash(&mut h);
    hash_json(&mut h, &p.vars);
    // Template values: their maps may list keys in any order, so equal
    // cards can hash differently (a needless re-render, never a stale page).
    hash_json(&mut h, &p.values);
    h.finish()
}

/// Rendered HTML kept between builds (see [`crate::pipeline::render_site_cached`]).
/// Assumes the theme's templates did not change: [`Incremental`] drops it
/// on any change outside `content/`.
#[derive(Default)]
pub struct RenderCache {
    pub pages: PageCache,
    /// Search keys of unchanged documents and the last index files.
    pub search: SharedSearch,
    /// Leave the search index of a rebuild for later ([`Incremental::build_deferred`]):
    /// the last index is put in the tree and `pending_search` is set.
    pub defer_search: bool,
    pub pending_search: bool,
    pub directory: DirectoryCache,
    pub others: OthersCache,
    /// The last build's VEVENTs ([`crate::outputs::calendar::prepare`]).
    pub calendar: CalendarMemo,
}

/// The VEVENTs of the last build and the key of what they were made from
/// (see `pipeline::prepare_calendar`).
#[derive(Default)]
pub struct CalendarMemo {
    pub(crate) key: Option<u64>,
    pub(crate) last: Option<std::sync::Arc<crate::outputs::calendar::Prepared>>,
}

/// The files of each output of [`crate::outputs::AFTER_PAGES`] (by its
/// position in the table) from the last build, keyed by
/// [`PageCache::output_key`].
#[derive(Default)]
pub struct OthersCache(pub Vec<KeptFiles>);

/// The shared files of one output, kept with their key.
pub type KeptFiles = Keyed<Vec<(String, Bytes)>>;

/// The search side of the cache, shared with deferred index builds.
pub type SharedSearch = std::sync::Arc<SearchState>;

/// Search keys of unchanged documents (held for a whole index build), and
/// the files of the last index (held only to read or replace them).
#[derive(Default)]
pub struct SearchState {
    keys: std::sync::Mutex<crate::outputs::search::KeysCache>,
    files: std::sync::Mutex<Vec<(String, Bytes)>>,
}

impl SearchState {
    /// The files of the last index built.
    pub fn last_files(&self) -> Vec<(String, Bytes)> {
        self.files.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Build the index of `docs`, reusing unchanged documents' keys, and
    /// keep its files as the last index.
    pub fn build(&self, docs: &[crate::outputs::search::SearchDoc]) -> Vec<(String, Bytes)> {
        // A panic while a lock was held leaves valid data (at worst stale
        // keys, which are compared with their documents before use).
        let mut keys = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        let files = crate::core::output::share(crate::outputs::search::build_index_cached(
            docs,
            Some(&mut keys),
        ));
        *self.files.lock().unwrap_or_else(|e| e.into_inner()) = files.clone();
        files
    }
}

/// Whether an output path is a file of the search index (which a deferred
/// build replaces): `search/manifest.json`, `search/loc.bin` and the
/// blocks and packs under `search/d/`, `search/p/`, `search/r/`.
pub fn is_search_index_file(path: &str) -> bool {
    path == "search/manifest.json"
        || path == "search/loc.bin"
        || ["search/d/", "search/p/", "search/r/"]
            .iter()
            .any(|d| path.starts_with(d))
}

/// HTML of pages by path, with the hash of their inputs.
#[derive(Default)]
pub struct PageCache {
    pages: HashMap<String, KeptPage>,
    /// Revision of each page of the site being rendered, by index into
    /// `Site::pages` (see [`Incremental::build`]); empty when unknown.
    revs: Vec<Option<Rev>>,
    /// Bumped by each [`PageCache::sweep`]: pages not produced since are forgotten.
    generation: u64,
    work: Work,
}

/// A rendered page: the hash of its inputs, its bytes, and the last
/// generation that produced it (marked while reusing it, in parallel).
struct KeptPage {
    key: u64,
    bytes: Bytes,
    seen: std::sync::atomic::AtomicU64,
}

/// Directory and members outputs, keyed by what they depend on besides
/// the roster (which changes only with `data/`, and that drops the state,
/// or with the day, which is in the key).
#[derive(Default)]
pub struct DirectoryCache(Keyed<DirectoryOut>);

/// The directory's pages, files and warnings, shared so that reusing them
/// costs nothing.
pub type DirectoryOut = (
    Vec<std::sync::Arc<HtmlPage>>,
    Vec<(String, Bytes)>,
    Vec<Diagnostic>,
);

impl DirectoryCache {
    /// Key of what the cached outputs were made from.
    pub fn key(&self) -> Option<u64> {
        self.0.key()
    }

    /// [`crate::outputs::directory::outputs`] again only when the config, the
    /// interviews linked to people or the passphrase changed (PBKDF2 and
    /// 33k people are most of a content-only rebuild otherwise).
    pub fn get(
        &mut self,
        site: &Site,
        interviews: &BTreeMap<String, (String, String)>,
        f: impl FnOnce() -> DirectoryOut,
    ) -> DirectoryOut {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        config_fingerprint(&site.config).hash(&mut h);
        interviews.hash(&mut h);
        site.members_passphrase.hash(&mut h);
        // The footer's year, and who has consented by today (a consent
        // dated tomorrow holds tomorrow: `roster::consent`).
        site.now.date().hash(&mut h);
        self.0.get(h.finish(), f)
    }
}

impl PageCache {
    /// Render the pages of `views` with `render`, reusing the bytes of pages
    /// whose inputs hash as before. A view's inputs are hashed from the
    /// revisions of the pages it shows when they are known (cheap: nothing
    /// is built), from the built page otherwise. `ready` stands for the
    /// content of the views' ready-made pages (see [`Views::hash_view`]).
    /// Results (output path and bytes) are in the order of `views`.
    pub fn render<F>(
        &mut self,
        site: &Site,
        strings: &BTreeMap<String, String>,
        views: &Views,
        ready: Option<u64>,
        render: F,
    ) -> Vec<Result<(String, Bytes), Diagnostic>>
    where
        F: Fn(&HtmlPage) -> Result<OutputFile, Diagnostic> + Sync,
    {
        let globals = {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            hash_json(&mut h, &crate::render::site_value(site, strings));
            strings.hash(&mut h);
            config_fingerprint(&site.config).hash(&mut h);
            site.drafts.hash(&mut h);
            for (identity, tag) in &site.tags {
                (identity, &tag.name, &tag.slug).hash(&mut h);
            }
            h.finish()
        };
        let (cached, revs, generation) = (&self.pages, &self.revs, self.generation);
        // Per view: its key, and the kept bytes or the render's result.
        type Outcome = Result<Bytes, Result<OutputFile, Diagnostic>>;
        let fresh: Vec<(u64, Outcome)> = (0..views.len())
            .into_par_iter()
            .map(|i| {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                globals.hash(&mut h);
                let key = if views.hash_view(i, revs, ready, &mut h) {
                    h.finish()
                } else {
                    page_key(globals, &views.page(i))
                };
                match cached.get(views.path(i)).filter(|k| k.key == key) {
                    Some(kept) => {
                        kept.seen
                            .store(generation, std::sync::atomic::Ordering::Relaxed);
                        (key, Ok(kept.bytes.clone()))
                    }
                    None => (key, Err(render(&views.page(i)))),
                }
            })
            .collect();
        let mut out = Vec::with_capacity(views.len());
        for (i, (key, r)) in fresh.into_iter().enumerate() {
            let path = views.path(i);
            let r = match r {
                Ok(bytes) => {
                    self.work.reused += 1;
                    Ok((crate::render::output_path(path), bytes))
                }
                Err(r) => {
                    self.work.rendered += 1;
                    r.map(|f| {
                        let bytes: Bytes = f.bytes.into();
                        let kept = KeptPage {
                            key,
                            bytes: bytes.clone(),
                            seen: generation.into(),
                        };
                        self.pages.insert(path.to_string(), kept);
                        (f.path, bytes)
                    })
                }
            };
            out.push(r);
        }
        out
    }

    /// The key of an output that reads `reads`: every page's card (or full)
    /// revision, path, aliases and listing, the tags, the sitemap paths if it
    /// reads them, the strings, the config, the year, and "now" if it reads
    /// it. `None` when a page has no revision (not built through the cache).
    pub fn output_key(
        &self,
        site: &Site,
        strings: &BTreeMap<String, String>,
        sitemap_paths: &[&str],
        reads: crate::outputs::Reads,
    ) -> Option<u64> {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        if self.revs.len() != site.pages.len() {
            return None;
        }
        for (p, r) in site.pages.iter().zip(&self.revs) {
            let r = r.as_ref()?;
            (&p.path, r.card, &p.aliases, p.is_listed()).hash(&mut h);
            if reads.bodies {
                r.page.hash(&mut h);
            }
        }
        for (identity, tag) in &site.tags {
            (identity, &tag.name, &tag.slug, &tag.pages).hash(&mut h);
        }
        if reads.page_paths {
            sitemap_paths.hash(&mut h);
        }
        // The calendars' SEQUENCE values.
        site.calendar_lock.hash(&mut h);
        strings.hash(&mut h);
        config_fingerprint(&site.config).hash(&mut h);
        // The footer's year, and the roster links of interviews (consent
        // counts from its day).
        site.now.date().hash(&mut h);
        let key = h.finish();
        Some(if reads.now {
            crate::core::memo::with_now(key, &site.now)
        } else {
            key
        })
    }

    /// Forget pages not produced since the last sweep (renamed, deleted).
    fn sweep(&mut self) {
        let current = self.generation;
        self.pages
            .retain(|_, k| k.seen.load(std::sync::atomic::Ordering::Relaxed) == current);
        self.generation += 1;
    }
}

/// A search index build left for later by [`Incremental::build_deferred`].
pub struct SearchJob {
    state: SharedSearch,
    site: std::sync::Arc<Site>,
}

impl SearchJob {
    /// Build the index: the files that replace every search index file
    /// ([`is_search_index_file`]) of the tree served meanwhile.
    pub fn run(self) -> Vec<(String, Bytes)> {
        self.state.build(&crate::pipeline::search_docs(&self.site))
    }
}

/// A page's revision: its document's, and what was derived from "now"
/// when it was loaded (a job closing, an event becoming past).
fn page_rev(doc_rev: u64, p: &crate::model::Page) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    doc_rev.hash(&mut h);
    if let Some(j) = p.job() {
        (j.closed, j.closes_in_days).hash(&mut h);
    }
    if let Some(e) = p.event() {
        e.past.hash(&mut h);
    }
    h.finish()
}

/// Hash of what a page's card shows (see [`crate::render::views::card`]): not its
/// body, so a body edit re-renders the page but not the lists showing it.
fn card_rev(p: &crate::model::Page) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (p.kind, &p.path, &p.title, &p.summary, &p.tags, &p.image).hash(&mut h);
    p.date.as_ref().map(|d| d.to_string()).hash(&mut h);
    // The kind's metadata (job, event, interviewee) is small; its Debug
    // form covers every field.
    format!("{:?}", p.meta).hash(&mut h);
    h.finish()
}

/// Everything `serve` keeps between rebuilds.
#[derive(Default)]
pub struct Incremental {
    /// Canonical site root, to tell `content/` changes from the rest.
    root: Option<PathBuf>,
    /// Hash of the build options of the last build.
    options: Option<u64>,
    load: LoadCache,
    render: RenderCache,
    /// Page revision -> card revision, by source.
    card_revs: HashMap<PathBuf, (u64, u64)>,
    /// The last site loaded, patched in place when only page bodies (or
    /// titles, summaries, ...) changed: see [`Incremental::patch`].
    site: Option<std::sync::Arc<Site>>,
    last: Work,
}

/// One edited document that can replace its page in the kept site.
struct Patch {
    rel: PathBuf,
    kind: Kind,
    stamp: Stamp,
    index: usize,
    doc: Document,
    rendered: Rendered,
    /// The links fingerprint its Markdown was rendered with (unchanged).
    links: u64,
}

impl Incremental {
    pub fn new() -> Self {
        Self::default()
    }

    /// Forget everything: the next build is a full one.
    pub fn reset(&mut self) {
        self.load = LoadCache::default();
        self.render = RenderCache::default();
        self.card_revs.clear();
        self.site = None;
    }

    /// What the last [`Incremental::build`] did.
    pub fn work(&self) -> Work {
        self.last
    }

    /// Record changed paths (absolute, as the watcher reports them; relative
    /// ones are taken as relative to the site root). A path in `content/`
    /// is re-read; anything else (templates, themes, static, data,
    /// site.yaml, or a path we cannot place) drops the state.
    pub fn note_changes(&mut self, site_root: &Path, paths: &[PathBuf]) {
        let root = match &self.root {
            Some(r) => r.clone(),
            None => {
                let r = std::fs::canonicalize(site_root).unwrap_or_else(|_| site_root.into());
                self.root = Some(r.clone());
                r
            }
        };
        for p in paths {
            let rel = if p.is_absolute() {
                match p.strip_prefix(&root).or_else(|_| p.strip_prefix(site_root)) {
                    Ok(r) => r.to_path_buf(),
                    Err(_) => {
                        self.reset();
                        return;
                    }
                }
            } else {
                p.clone()
            };
            if rel.starts_with("content") && rel.components().count() > 1 {
                self.load.note_content_change(site_root, &rel);
            } else {
                self.reset();
                return;
            }
        }
    }

    /// [`Incremental::build`], but the search index of a content rebuild is
    /// left for later: the tree carries the last index, and the returned
    /// job builds the new one (the files under `search/` to put in its
    /// place). The first build, and any after a full reset, has no job.
    /// `serve` publishes the tree first, so an edited page reaches the
    /// browser without waiting for the index.
    pub fn build_deferred(
        &mut self,
        opts: &BuildOptions,
        timings: &mut Timings,
    ) -> (Result<Built, Vec<Diagnostic>>, Option<SearchJob>) {
        self.render.defer_search = true;
        let (built, site) = self.build_site(opts, timings);
        self.render.defer_search = false;
        let pending = std::mem::take(&mut self.render.pending_search);
        match (built, site) {
            (Ok(b), Some(site)) if pending => {
                let job = SearchJob {
                    state: std::sync::Arc::clone(&self.render.search),
                    site,
                };
                (Ok(b), Some(job))
            }
            (built, _) => (built, None),
        }
    }

    /// Build like [`crate::pipeline::build`], reusing what did not change.
    pub fn build(
        &mut self,
        opts: &BuildOptions,
        timings: &mut Timings,
    ) -> Result<Built, Vec<Diagnostic>> {
        self.build_site(opts, timings).0
    }

    /// [`Incremental::build`], and the site it loaded (shared: a deferred
    /// search job keeps it, and frees it off the rebuild's path).
    fn build_site(
        &mut self,
        opts: &BuildOptions,
        timings: &mut Timings,
    ) -> (Result<Built, Vec<Diagnostic>>, Option<std::sync::Arc<Site>>) {
        // "now" is left out: without `--now` it is the clock, different at
        // every rebuild, and what it decides is keyed where it is used.
        let fp = {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            let rest = BuildOptions {
                now: None,
                source_date_epoch: None,
                ..opts.clone()
            };
            format!("{rest:?}").hash(&mut h);
            h.finish()
        };
        if self.options != Some(fp) {
            self.reset();
            self.options = Some(fp);
        }
        self.load.work = Work::default();
        self.render.pages.work = Work::default();
        let start = std::time::Instant::now();
        let loaded = match self.patch(opts) {
            Some((site, indices)) => {
                timings.0.push(("load", start.elapsed()));
                Ok((site, Some(indices)))
            }
            None => {
                // Drop the kept site first: the new one takes its place.
                self.site = None;
                crate::pipeline::load_site(opts, Some(&mut self.load), timings)
                    .map(|site| (std::sync::Arc::new(site), None))
            }
        };
        let (site, patched) = match loaded {
            Ok((site, patched)) => {
                self.site = Some(std::sync::Arc::clone(&site));
                (site, patched)
            }
            Err(e) => {
                self.site = None;
                self.note_work();
                return (Err(e), None);
            }
        };
        let (load, cards) = (&self.load, &mut self.card_revs);
        let mut rev_of = |p: &crate::model::Page| {
            let page = page_rev(load.rev(&p.source)?, p);
            let card = match cards.get(&p.source) {
                Some((r, c)) if *r == page => *c,
                _ => {
                    let c = card_rev(p);
                    cards.insert(p.source.clone(), (page, c));
                    c
                }
            };
            Some(Rev { page, card })
        };
        let revs = &mut self.render.pages.revs;
        match patched {
            // A patched site: only the patched pages have new revisions.
            Some(indices) if revs.len() == site.pages.len() => {
                for i in indices {
                    revs[i] = rev_of(&site.pages[i]);
                }
            }
            _ => *revs = site.pages.iter().map(rev_of).collect(),
        }
        let built = crate::pipeline::render_site_cached(&site, timings, Some(&mut self.render));
        if built.is_ok() {
            self.render.pages.sweep();
        }
        self.note_work();
        (built, Some(site))
    }

    /// The kept site with the edited documents' pages replaced, when that
    /// is what a full load would give: every change is to a listed file
    /// that still parses and renders without errors, keeps its kind, URL,
    /// aliases, draft flag, date, tags and heading ids (so no other page,
    /// list order, tag or link changes), its anchor links and `roster_id`
    /// still resolve, and "now" has not passed anything that depends on it
    /// ([`LinkFacts::until`]). None (nothing changed) otherwise: then the
    /// site is loaded again, reusing what the cache holds.
    fn patch(&mut self, opts: &BuildOptions) -> Option<(std::sync::Arc<Site>, Vec<usize>)> {
        let site = self.site.as_ref()?;
        let listing = self.load.listing.as_ref()?;
        let facts = self.load.links.as_ref()?;
        let now = crate::site::resolve_now(opts, &site.config).ok()?;
        if now < facts.now || facts.until.as_ref().is_none_or(|until| now >= *until) {
            return None;
        }
        if opts.drafts != site.drafts || opts.members_passphrase != site.members_passphrase {
            return None;
        }
        let ids = match &self.load.roster.0 {
            Some((_, (_, _, ids))) => ids.clone(),
            None => return None,
        };
        let links = crate::markdown::Links {
            pages: &facts.pages,
            hidden: &facts.hidden,
            config: &site.config,
        };
        let mut dirty: Vec<&PathBuf> = self.load.dirty.iter().collect();
        dirty.sort();
        let mut patches = Vec::with_capacity(dirty.len());
        let mut hidden = Vec::new();
        for rel in dirty {
            if !listing.known.contains(rel) {
                return None;
            }
            // An original's translations inherit its front matter: load again.
            let stem = rel.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            if site.config.languages.iter().any(|l| {
                listing
                    .known
                    .contains(&rel.with_file_name(format!("{stem}.{}.md", l.code())))
            }) {
                return None;
            }
            let entry = self.load.docs.get(rel)?;
            let old = entry.parsed.as_ref().ok()?;
            let st = stamp(&opts.root.join(rel))?;
            let doc = crate::site::read_document(&opts.root, entry.kind, rel, &site.config).ok()?;
            let same_place = (doc.kind, &doc.path, &doc.slug, &doc.aliases, doc.draft)
                == (old.kind, &old.path, &old.slug, &old.aliases, old.draft)
                && (&doc.date, &doc.tags) == (&old.date, &old.tags);
            if !same_place {
                return None;
            }
            // The checks of a full load, on this page (any error: load again).
            if let Some(ids) = &ids {
                if crate::site::checks::roster_id_error(&doc, ids).is_some() {
                    return None;
                }
            }
            let Some(index) = site.pages.iter().position(|p| p.source == *rel) else {
                // A draft or scheduled page that stays one: nothing in the
                // site shows it (its Markdown is not even rendered).
                if !facts.hidden.contains(rel) {
                    return None;
                }
                hidden.push((rel.clone(), entry.kind, st, doc));
                continue;
            };
            let rendered = crate::markdown::render(
                &doc.body,
                &doc.source,
                doc.body_line,
                &links,
                site.config.language,
            );
            if !rendered.errors.is_empty() {
                return None;
            }
            // Photos used or no longer used: load again (they are found,
            // inspected and checked there).
            let old_images = self
                .load
                .md
                .get(rel)
                .is_some_and(|m| !m.rendered.images.is_empty());
            if doc.image.is_some()
                || site.pages[index].image.is_some()
                || !rendered.images.is_empty()
                || old_images
            {
                return None;
            }
            let ids_of = |hs: &[crate::model::Heading]| -> Vec<String> {
                hs.iter().map(|h| h.id.clone()).collect()
            };
            if ids_of(&rendered.headings) != ids_of(&site.pages[index].headings) {
                return None;
            }
            let anchors =
                crate::site::checks::anchor_errors(&doc.source, &rendered.anchor_refs, |t| {
                    site.pages
                        .iter()
                        .find(|p| p.source == t)
                        .map(|p| p.headings.iter().map(|h| h.id.as_str()))
                });
            if !anchors.is_empty() {
                return None;
            }
            let md_links = self.load.md.get(rel)?.links;
            patches.push(Patch {
                links: md_links,
                rel: rel.clone(),
                kind: entry.kind,
                stamp: st,
                index,
                doc,
                rendered,
            });
        }

        // `calendar.lock` is read at every build (a parse error: load again,
        // which reports it).
        let calendar_lock = self.load.calendar_lock(&opts.root).ok()?;

        // Every check passed: record the new versions and patch the site
        // (cloned only if a search job still holds the previous one).
        self.load.dirty.clear();
        for (rel, kind, stamp, doc) in hidden {
            self.load.work.patched += 1;
            self.load.keep_document(rel, kind, stamp, Ok(doc));
        }
        let mut site = self.site.take()?;
        let s = std::sync::Arc::make_mut(&mut site);
        let mut warnings = std::mem::take(&mut s.warnings);
        let indices = patches.iter().map(|p| p.index).collect();
        for p in patches {
            self.load.work.markdown += 1;
            self.load.work.patched += 1;
            let version =
                self.load
                    .keep_document(p.rel.clone(), p.kind, p.stamp, Ok(p.doc.clone()));
            let old = self.load.md.insert(
                p.rel,
                MdEntry {
                    version,
                    links: p.links,
                    rendered: p.rendered.clone(),
                },
            );
            // Its old warnings go, unless another page (or its new
            // version) still gives the same one (e.g. a link to a draft).
            if let Some(old) = old {
                let md = &self.load.md;
                for w in &old.rendered.warnings {
                    if !md.values().any(|m| m.rendered.warnings.contains(w)) {
                        warnings.retain(|x| x != w);
                    }
                }
            }
            warnings.extend(p.rendered.warnings.iter().cloned());
            let page = crate::site::page_from(p.doc, p.rendered, &now);
            // An event given a new time: its end is when "now" next
            // changes something.
            if let (Some(end), Some(facts)) = (
                page.event().and_then(crate::site::event_end),
                self.load.links.as_mut(),
            ) {
                match &facts.until {
                    Some(until) if end > now && end < *until => facts.until = Some(end),
                    _ => {}
                }
            }
            s.pages[p.index] = page;
        }
        s.warnings = crate::core::diag::Diagnostics(warnings).sorted();
        s.now = now;
        s.calendar_lock = calendar_lock;
        Some((site, indices))
    }

    fn note_work(&mut self) {
        self.last = Work {
            parsed: self.load.work.parsed,
            markdown: self.load.work.markdown,
            rendered: self.render.pages.work.rendered,
            reused: self.render.pages.work.reused,
            patched: self.load.work.patched,
        };
    }
}
