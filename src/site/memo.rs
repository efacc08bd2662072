//! What `Site::load_cached` keeps between loads (for `serve`): documents by
//! path, size and mtime; Markdown by document version and link fingerprint;
//! the roster reduced to its consent-filtered view; the content listing; and
//! the facts a patch of the kept site relies on ([`LinkFacts`]).
//!
//! Imports `core`, `config`, `model`, `input` and `markdown`.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;

use crate::core::diag::Diagnostic;
use crate::core::memo::Keyed;
use crate::input::calendar_lock::CalendarLock;
use crate::input::content::Document;
use crate::markdown::Rendered;
use crate::model::Kind;

/// Counters of the last build, for logs and tests.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Work {
    /// Content files read and parsed.
    pub parsed: usize,
    /// Documents whose Markdown was rendered.
    pub markdown: usize,
    /// HTML pages rendered through templates.
    pub rendered: usize,
    /// HTML pages reused from the previous build.
    pub reused: usize,
    /// Documents updated in the kept site, published or not (0 when the
    /// site was loaded again).
    pub patched: usize,
}

/// What identifies a file's content on disk without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub(crate) len: u64,
    pub(crate) modified: Option<SystemTime>,
}

pub(crate) fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    Some(Stamp {
        len: m.len(),
        modified: m.modified().ok(),
    })
}

pub(crate) type Parsed = Result<Document, Vec<Diagnostic>>;

/// What [`crate::input::content::discover`] found, and the set of its files.
pub(crate) struct Listing {
    pub(crate) files: Vec<(Kind, PathBuf)>,
    pub(crate) found: Vec<Diagnostic>,
    pub(crate) known: HashSet<PathBuf>,
}

pub(crate) struct DocEntry {
    pub(crate) kind: Kind,
    pub(crate) stamp: Stamp,
    pub(crate) version: u64,
    pub(crate) parsed: Result<Document, Vec<Diagnostic>>,
}

pub(crate) struct MdEntry {
    pub(crate) version: u64,
    pub(crate) links: u64,
    pub(crate) rendered: Rendered,
}

/// Documents and Markdown kept between builds (see [`Site::load_cached`]).
#[derive(Default)]
pub struct LoadCache {
    pub(crate) docs: HashMap<PathBuf, DocEntry>,
    pub(crate) md: HashMap<PathBuf, MdEntry>,
    /// Paths (relative to the root) to re-read whatever their stamp says.
    pub(crate) dirty: HashSet<PathBuf>,
    /// The content listing of the last build, while no change can have
    /// altered it (only known files were modified).
    pub(crate) listing: Option<Listing>,
    pub(crate) next_version: u64,
    /// What the roster was reduced to (its warnings or errors, the
    /// consent-filtered view and the ids), and the config fingerprint it was
    /// loaded with. The full roster is not kept.
    pub(crate) roster: Keyed<ReducedRoster>,
    /// What the Markdown of the last loaded site resolved links against,
    /// and how long its "now" holds (see [`Incremental`]'s patching).
    pub(crate) links: Option<LinkFacts>,
    pub(crate) work: Work,
    /// `calendar.lock`'s bytes (None: no file) and what they parse to. It
    /// is read at every load and patch (it is outside the watched folders:
    /// `enishi build` may rewrite it while `serve` runs), parsed only when
    /// it changed.
    calendar_lock: Option<(Option<Vec<u8>>, std::sync::Arc<CalendarLock>)>,
}

/// What links of the last loaded site resolved against, and the span of
/// "now" in which that site stays the same ([`Site::load_cached`] records it).
pub struct LinkFacts {
    /// The "now" the site was loaded with.
    pub now: jiff::Zoned,
    /// Before this instant, a later "now" decides nothing differently.
    pub until: Option<jiff::Zoned>,
    /// Source -> site path of every document, published or not.
    pub pages: HashMap<PathBuf, String>,
    /// Sources of documents not published in that build.
    pub hidden: HashSet<PathBuf>,
}

/// A loaded roster reduced to what the site needs (see [`Site::load_cached`]).
pub type ReducedRoster = (
    Vec<Diagnostic>,
    std::sync::Arc<crate::input::roster::Publishable>,
    Option<std::sync::Arc<crate::input::roster::Ids>>,
);

impl LoadCache {
    /// [`crate::input::calendar_lock::load`], parsed again only when the
    /// file's bytes changed.
    pub fn calendar_lock(
        &mut self,
        root: &Path,
    ) -> Result<std::sync::Arc<CalendarLock>, Vec<Diagnostic>> {
        let bytes = std::fs::read(root.join(crate::input::calendar_lock::CALENDAR_LOCK)).ok();
        if let Some((kept, lock)) = &self.calendar_lock {
            if *kept == bytes {
                return Ok(std::sync::Arc::clone(lock));
            }
        }
        let lock = std::sync::Arc::new(crate::input::calendar_lock::load(root)?);
        self.calendar_lock = Some((bytes, std::sync::Arc::clone(&lock)));
        Ok(lock)
    }

    /// The content files ([`crate::input::content::discover`]), listed again only
    /// when a change may have added, removed or renamed one.
    pub fn listing(&mut self, root: &Path) -> (Vec<(Kind, PathBuf)>, Vec<Diagnostic>) {
        if let Some(l) = &self.listing {
            return (l.files.clone(), l.found.clone());
        }
        let (files, found) = crate::input::content::discover(root);
        self.listing = Some(Listing {
            known: files.iter().map(|(_, p)| p.clone()).collect(),
            files: files.clone(),
            found: found.clone(),
        });
        (files, found)
    }

    /// A change at `rel` (relative to the root, in `content/`): keep the
    /// listing only if it is a listed file that is still a file.
    pub(crate) fn note_content_change(&mut self, root: &Path, rel: &Path) {
        let keep = self
            .listing
            .as_ref()
            .is_some_and(|l| l.known.contains(rel) && root.join(rel).is_file());
        if !keep {
            self.listing = None;
        }
        self.dirty.insert(rel.to_path_buf());
    }

    /// Record what the site just loaded resolved its links against.
    pub fn keep_links(&mut self, facts: LinkFacts) {
        self.links = Some(facts);
    }

    /// `data/roster.yaml`, parsed once per state and day: any change in `data/`
    /// drops the state ([`Incremental::note_changes`]).
    pub fn roster(
        &mut self,
        config: &crate::config::Config,
        today: jiff::civil::Date,
        load: impl FnOnce() -> ReducedRoster,
    ) -> ReducedRoster {
        // Keyed by the day too: a consent dated tomorrow holds tomorrow.
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (config_fingerprint(config), today).hash(&mut h);
        self.roster.get(h.finish(), load)
    }

    /// Read and parse `files` (relative to `root`), reusing unchanged ones.
    /// A translation (`original_of` gives its original) is reused only when
    /// its original is unchanged too: it inherits the original's front matter.
    pub fn documents<F, O>(
        &mut self,
        root: &Path,
        files: &[(Kind, PathBuf)],
        read_parse: F,
        original_of: O,
    ) -> Vec<Result<Document, Vec<Diagnostic>>>
    where
        F: Fn(Kind, &Path) -> Result<Document, Vec<Diagnostic>> + Sync,
        O: Fn(&Path) -> Option<PathBuf> + Sync,
    {
        let dirty = std::mem::take(&mut self.dirty);
        let docs = &self.docs;
        let original_unchanged = |rel: &Path| {
            original_of(rel).is_none_or(|o| {
                !dirty.contains(&o)
                    && docs
                        .get(&o)
                        .is_some_and(|e| Some(e.stamp) == stamp(&root.join(&o)))
            })
        };
        // Stat before reading: a write in between leaves an old stamp with
        // new content, which only causes one more re-read later. Reused
        // documents are copied out here, in parallel.
        let fresh: Vec<(Option<Stamp>, bool, Parsed)> = files
            .par_iter()
            .map(|(kind, rel)| {
                let st = stamp(&root.join(rel));
                let reused = (!dirty.contains(rel) && st.is_some() && original_unchanged(rel))
                    .then(|| docs.get(rel))
                    .flatten()
                    .filter(|e| Some(e.stamp) == st && e.kind == *kind);
                match reused {
                    Some(e) => (st, true, e.parsed.clone()),
                    None => (st, false, read_parse(*kind, rel)),
                }
            })
            .collect();
        let mut out = Vec::with_capacity(files.len());
        for ((kind, rel), (st, reused, parsed)) in files.iter().zip(fresh) {
            if !reused {
                match st {
                    Some(stamp) => {
                        self.keep_document(rel.clone(), *kind, stamp, parsed.clone());
                    }
                    // Unreadable or gone: report, keep nothing.
                    None => {
                        self.work.parsed += 1;
                        self.docs.remove(rel);
                    }
                }
            }
            out.push(parsed);
        }
        // Forget files that are no longer listed.
        if self.docs.len() > files.len() {
            let listed: HashSet<&PathBuf> = files.iter().map(|(_, p)| p).collect();
            self.docs.retain(|p, _| listed.contains(p));
        }
        out
    }

    /// Keep a freshly parsed document under a new version; returns it.
    pub(crate) fn keep_document(
        &mut self,
        rel: PathBuf,
        kind: Kind,
        stamp: Stamp,
        parsed: Parsed,
    ) -> u64 {
        self.work.parsed += 1;
        self.next_version += 1;
        let version = self.next_version;
        let entry = DocEntry {
            kind,
            stamp,
            version,
            parsed,
        };
        self.docs.insert(rel, entry);
        version
    }

    /// Revision of a loaded document: changes whenever it is parsed again
    /// or its Markdown is rendered again. None when not loaded through the cache.
    pub(crate) fn rev(&self, source: &Path) -> Option<u64> {
        let d = self.docs.get(source)?;
        let m = self.md.get(source)?;
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (d.version, m.version, m.links).hash(&mut h);
        Some(h.finish())
    }

    /// Render the Markdown of `docs`, reusing the result for documents that
    /// were not re-parsed when links resolve as before.
    pub fn markdown<F>(
        &mut self,
        docs: Vec<Document>,
        pages: &HashMap<PathBuf, String>,
        hidden: &HashSet<PathBuf>,
        config_fp: u64,
        render: F,
    ) -> Vec<(Document, Rendered)>
    where
        F: Fn(&Document) -> Rendered + Sync,
    {
        let links = links_fingerprint(pages, hidden, config_fp);
        let (entries, md) = (&self.docs, &self.md);
        // Reused results are copied out here, in parallel.
        let fresh: Vec<(Option<u64>, bool, Rendered)> = docs
            .par_iter()
            .map(|d| {
                let v = entries.get(&d.source).map(|e| e.version);
                let hit = v.and_then(|v| {
                    md.get(&d.source)
                        .filter(|m| m.version == v && m.links == links)
                });
                match hit {
                    Some(m) => (v, true, m.rendered.clone()),
                    None => (v, false, render(d)),
                }
            })
            .collect();
        let mut out = Vec::with_capacity(docs.len());
        for (d, (v, reused, r)) in docs.into_iter().zip(fresh) {
            if !reused {
                self.work.markdown += 1;
                match v {
                    Some(version) => {
                        self.md.insert(
                            d.source.clone(),
                            MdEntry {
                                version,
                                links,
                                rendered: r.clone(),
                            },
                        );
                    }
                    None => {
                        self.md.remove(&d.source);
                    }
                }
            }
            out.push((d, r));
        }
        // Forget documents that are gone or no longer published.
        if self.md.len() > out.len() {
            let live: HashSet<&PathBuf> = out.iter().map(|(d, _)| &d.source).collect();
            self.md.retain(|p, _| live.contains(p));
        }
        out
    }
}

/// Hash of what Markdown links resolve against, independent of map order.
pub(crate) fn links_fingerprint(
    pages: &HashMap<PathBuf, String>,
    hidden: &HashSet<PathBuf>,
    config_fp: u64,
) -> u64 {
    // Order-independent without sorting: a sum of per-entry hashes (paths
    // compare component by component, so sorting 10k of them is slow).
    let one = |v: &dyn Fn(&mut std::collections::hash_map::DefaultHasher)| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        v(&mut h);
        h.finish()
    };
    let p = pages
        .iter()
        .map(|(src, path)| one(&|h| (0u8, src.as_os_str(), path).hash(h)))
        .fold(0u64, u64::wrapping_add);
    let hid = hidden
        .iter()
        .map(|src| one(&|h| (1u8, src.as_os_str()).hash(h)))
        .fold(0u64, u64::wrapping_add);
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (p, hid, pages.len(), hidden.len(), config_fp).hash(&mut hasher);
    hasher.finish()
}

/// Hash of the config (it has no `Hash`; its `Debug` form covers every field).
pub fn config_fingerprint(config: &crate::config::Config) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    format!("{config:?}").hash(&mut hasher);
    hasher.finish()
}
