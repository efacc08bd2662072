//! What output modules produce. Every output module (`feeds`, `calendar`,
//! `search`, `directory`, …) is a pure function from the site model to these
//! two shapes; the core renders [`HtmlPage`]s through the theme's templates and
//! [`crate::pipeline::write`] puts everything on disk (or `serve` keeps it in memory).

use std::collections::BTreeMap;

/// A finished file, path relative to the output directory (`feed.xml`,
/// `search/shards/0a.json`), raw Unicode, `/` separators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// An HTML page to render with a theme template. The core adds the common
/// context (`site`, `t` for i18n strings, `page_url`, `canonical`, …) and
/// merges `vars` (a JSON object) on top.
#[derive(Debug, Clone)]
pub struct HtmlPage {
    /// Site path with leading and trailing slash: `/alumni/page/2/`.
    /// Written to `<path>/index.html`.
    pub path: String,
    /// Template name, e.g. `alumni.html`.
    pub template: String,
    pub title: String,
    /// Plain-text description for meta/OpenGraph.
    pub description: String,
    /// Extra template variables (a JSON object).
    pub vars: serde_json::Value,
    /// Variables that are already template values, added to `vars`: a
    /// single page's `page` and a list page's `items`, made from cards that
    /// are converted once per build and shared by every page showing them.
    pub values: Vec<(&'static str, tera::Value)>,
    /// Listed in sitemap.xml.
    pub in_sitemap: bool,
    /// `<meta name="robots" content="noindex">`.
    pub noindex: bool,
}

/// The bytes of a file in an [`OutputTree`]: shared, so that `serve` can
/// keep unchanged files from one rebuild to the next without copying them.
pub type Bytes = std::sync::Arc<[u8]>;

/// Files as path and shared bytes (what `serve` keeps between rebuilds).
pub fn share(files: Vec<OutputFile>) -> Vec<(String, Bytes)> {
    files
        .into_iter()
        .map(|f| (f.path, f.bytes.into()))
        .collect()
}

/// The whole output tree, sorted by path (deterministic).
pub type OutputTree = BTreeMap<String, Bytes>;

/// Where a build puts its finished files: memory (`serve`, tests) or a
/// staging directory on disk ([`crate::pipeline::write::Staging`]), file by file, so a
/// build to disk never holds the whole tree.
pub trait Sink: Sync {
    /// Store a file; a later file with the same path replaces it.
    fn put(&self, file: OutputFile) -> std::io::Result<()>;
    /// Store a file whose bytes are already shared (`serve`'s cache);
    /// the default copies them.
    fn put_shared(&self, path: String, bytes: Bytes) -> std::io::Result<()> {
        self.put(OutputFile::new(path, bytes.to_vec()))
    }
    /// Whether a file with this path was stored.
    fn contains(&self, path: &str) -> bool;
    /// Files stored (unique paths) and their total size.
    fn totals(&self) -> (usize, usize);
}

/// A [`Sink`] that keeps the tree in memory.
#[derive(Default)]
pub struct MemSink(std::sync::Mutex<OutputTree>);

impl MemSink {
    pub fn into_tree(self) -> OutputTree {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, OutputTree> {
        // A panic while holding the lock cannot leave the map half-updated.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for MemSink {
    fn put(&self, file: OutputFile) -> std::io::Result<()> {
        self.lock().insert(file.path, file.bytes.into());
        Ok(())
    }

    fn put_shared(&self, path: String, bytes: Bytes) -> std::io::Result<()> {
        self.lock().insert(path, bytes);
        Ok(())
    }

    fn contains(&self, path: &str) -> bool {
        self.lock().contains_key(path)
    }

    fn totals(&self) -> (usize, usize) {
        let t = self.lock();
        (t.len(), t.values().map(|b| b.len()).sum())
    }
}
