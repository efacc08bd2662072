//! Every file a build writes beside the theme's HTML pages: feeds, sitemap,
//! alias redirects, calendars, structured data, the alumni directory and the
//! encrypted members area, the search index, the browser editor (`/admin/`).
//! Each output is a pure function from the site model (and "now") to files.
//!
//! ## Adding an output
//! One file here with a type that implements [`Output`], plus one line in
//! [`AFTER_PAGES`]. The pipeline runs the table in order (a later file with
//! the same path wins) and `serve` keys each output's cache by what
//! [`Output::reads`] says it reads, so an output that declares too little is
//! stale in `serve` (the incremental oracle test, `tests/incremental.rs`,
//! catches that).
//!
//! Two outputs run *beside* the pages rather than after them, because their
//! sequential parts (merging postings; PBKDF2 and deflate) leave a core to
//! the pages: the search index ([`search`]) and the directory with the
//! members area ([`directory`], [`members`]). They have their own caches in
//! `serve` (the index is built after the tree is served) and are called by
//! the pipeline directly; [`BESIDE_PAGES`] names them for `--timings`.
//!
//! Imports `core`, `config`, `model`, `input` (the consent-filtered roster
//! view and the `calendar.lock` record only), `markdown`, `site` and `render`; never `pipeline`, `serve`
//! or the CLI.

use std::collections::BTreeMap;

use crate::core::output::OutputFile;
use crate::model::{Kind, Page};
use crate::site::Site;

pub mod admin;
pub mod aliases;
pub mod calendar;
pub mod directory;
pub mod feeds;
pub mod images;
pub mod json_feed;
pub mod jsonld;
pub mod members;
pub mod search;
pub mod sitemap;
pub mod stats;

/// What an output's files depend on besides the config and the UI strings
/// (which every output may read): `serve` re-runs an output only when one
/// of these changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reads {
    /// What lists show of every page: path, title, date, summary, tags,
    /// job and event details, aliases, whether it is listed; the tags.
    pub cards: bool,
    /// Every page's full body (HTML).
    pub bodies: bool,
    /// The paths of the pages marked for the sitemap.
    pub page_paths: bool,
    /// The build's "now" (beyond the year, which every output may show).
    pub now: bool,
}

/// What an output sees.
pub struct Cx<'a> {
    pub site: &'a Site,
    /// The theme's UI strings (`t` in templates).
    pub strings: &'a BTreeMap<String, String>,
    /// Site paths of every page to list in the sitemap (after the pages).
    pub sitemap_paths: &'a [&'a str],
    /// The events' VEVENTs, made before the outputs run (the pipeline
    /// also takes `calendar.lock`'s new records from them).
    pub calendar: &'a calendar::Prepared,
}

impl Cx<'_> {
    /// Published events, in the site's order.
    pub fn events(&self) -> Vec<&Page> {
        self.site.of_kind(Kind::Event).collect()
    }
}

/// A generated output that runs after the pages, as a plug-in.
pub trait Output: Sync {
    /// For `--timings` and messages.
    fn name(&self) -> &'static str;
    /// What its files depend on (the cache key in `serve`).
    fn reads(&self) -> Reads;
    /// Its files count as feeds in the build summary.
    fn is_feed(&self) -> bool {
        false
    }
    fn run(&self, cx: &Cx<'_>) -> Vec<OutputFile>;
    /// [`Output::run`] with the errors found on the way (an image that
    /// cannot be decoded); the build fails on any.
    fn run_checked(&self, cx: &Cx<'_>) -> (Vec<OutputFile>, Vec<crate::core::diag::Diagnostic>) {
        (self.run(cx), Vec::new())
    }
}

/// The outputs that run after the pages, in the order their files are
/// stored (a later file with the same path replaces an earlier one).
pub static AFTER_PAGES: &[&dyn Output] = &[
    &feeds::Feeds,
    &sitemap::Sitemap,
    &aliases::Aliases,
    &calendar::Calendar,
    &admin::Admin,
    &images::Images,
    &json_feed::JsonFeed,
];

/// The outputs the pipeline runs beside the pages (see the module docs).
pub const BESIDE_PAGES: &[&str] = &["search", "roster and members"];
