//! File watching for `serve`: which paths matter, and debouncing.
//!
//! We watch the site root non-recursively (to see `site.yaml` however an
//! editor saves it, and the creation of a source directory that did not
//! exist yet) plus each source directory recursively. The output directory
//! (`public/`) and anything else under the root are never watched, so a
//! parallel `enishi build` cannot trigger rebuild loops.
//!
//! Debounce: a batch starts with the first relevant change and ends after
//! [`QUIET`] without another (an editor's save burst — temp file, rename,
//! chmod — is one rebuild), or after [`MAX_WAIT`] of continuous changes so a
//! long `git checkout` still shows progress. Once a writer has *closed* a
//! changed file (inotify's `IN_CLOSE_WRITE`), the save is done and only its
//! tail (chmod, removing a backup) can follow within microseconds, so the
//! quiet period drops to [`SETTLE`]: most saves reach the browser ~90 ms
//! sooner. Platforms without close events simply keep [`QUIET`].

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

/// Source directories under the root, watched recursively.
pub const WATCHED_DIRS: [&str; 5] = ["content", "data", "static", "templates", "themes"];
/// Single files at the root.
pub const WATCHED_FILES: [&str; 1] = ["site.yaml"];
/// Quiet period that ends a batch of changes.
pub const QUIET: Duration = Duration::from_millis(100);
/// Quiet period once a changed file has been closed after writing.
pub const SETTLE: Duration = Duration::from_millis(10);
/// Longest a batch may keep growing before a rebuild runs anyway.
pub const MAX_WAIT: Duration = Duration::from_secs(2);

/// What the rebuild thread waits for.
pub enum Msg {
    Fs(notify::Result<Event>),
    /// Stop watching and end the thread (server shutdown).
    Stop,
}

/// Editor and OS droppings that are never content: vim swap files and its
/// `4913` write test, backups `foo~`, Emacs locks `.#foo` and autosaves
/// `#foo#`, JetBrains safe-write temp files, `.DS_Store`.
pub fn is_editor_temp(name: &str) -> bool {
    name == "4913"
        || name == ".DS_Store"
        || name.ends_with('~')
        || name.starts_with(".#")
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || [
            ".swp",
            ".swo",
            ".swx",
            ".crswap",
            "___jb_tmp___",
            "___jb_old___",
        ]
        .iter()
        .any(|s| name.ends_with(s))
}

/// Whether a change at `path` (absolute) can affect the site.
/// `rel` is a folder inside the site (a link out is not watched: the build
/// does not read it either).
fn is_site_dir(root: &Path, rel: &Path) -> bool {
    matches!(
        crate::core::fs::Jail::site(root).resolve(rel),
        Ok(crate::core::fs::Entry::Dir(_))
    )
}

pub fn is_watched(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut comps = rel.components();
    let Some(first) = comps.next() else {
        return false;
    };
    let first = first.as_os_str();
    let top_ok = if comps.clone().next().is_none() {
        WATCHED_FILES.iter().any(|f| first == *f) || WATCHED_DIRS.iter().any(|d| first == *d)
    } else {
        WATCHED_DIRS.iter().any(|d| first == *d)
    };
    if !top_ok {
        return false;
    }
    match path.file_name().and_then(|n| n.to_str()) {
        Some(name) => !is_editor_temp(name),
        // Non-UTF-8 names are still content the build must look at (and report).
        None => true,
    }
}

/// A writer closed the file: the end of a save.
pub fn is_close_write(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Access(AccessKind::Close(AccessMode::Write))
    )
}

/// The notify watcher plus the root it filters against.
pub struct Watcher {
    inner: RecommendedWatcher,
    root: PathBuf,
}

impl Watcher {
    /// Start watching `root` (canonical path); events go to `tx`.
    /// A missing source directory is not an error: it is armed when created.
    pub fn new(root: &Path, tx: Sender<Msg>) -> notify::Result<Self> {
        // Links are not followed (`static -> /` would watch the whole disk);
        // nor is a source folder that leads out of the site (see `inside`).
        let inner = RecommendedWatcher::new(
            move |res| {
                let _ = tx.send(Msg::Fs(res));
            },
            notify::Config::default().with_follow_symlinks(false),
        )?;
        let mut w = Watcher {
            inner,
            root: root.to_path_buf(),
        };
        w.inner.watch(root, RecursiveMode::NonRecursive)?;
        for d in WATCHED_DIRS {
            if is_site_dir(root, Path::new(d)) {
                w.inner.watch(&root.join(d), RecursiveMode::Recursive)?;
            }
        }
        Ok(w)
    }

    /// The relevant paths of one event. A source directory created at the
    /// root (first `templates/`, or `content/` restored by git) gets its
    /// recursive watch here.
    pub fn relevant(&mut self, ev: &Event) -> Vec<PathBuf> {
        // Opening or reading changes nothing; closing after a write ends a save.
        if matches!(ev.kind, EventKind::Access(_)) && !is_close_write(&ev.kind) {
            return Vec::new();
        }
        let mut out = Vec::new();
        for p in &ev.paths {
            if !is_watched(&self.root, p) {
                continue;
            }
            let is_top_dir = p.parent() == Some(self.root.as_path())
                && WATCHED_DIRS
                    .iter()
                    .any(|d| p.file_name() == Some(d.as_ref()));
            // Created, or moved into place (`mv content.new content`).
            let appeared = matches!(
                ev.kind,
                EventKind::Create(_) | EventKind::Modify(ModifyKind::Name(_))
            );
            if is_top_dir
                && appeared
                && p.strip_prefix(&self.root)
                    .is_ok_and(|r| is_site_dir(&self.root, r))
            {
                // Already watched is fine; anything else only costs events.
                let _ = self.inner.watch(p, RecursiveMode::Recursive);
            }
            out.push(p.clone());
        }
        out
    }
}

/// How long to wait for more changes.
#[derive(Debug, Clone, Copy)]
pub struct Debounce {
    /// Quiet period that ends a batch.
    pub quiet: Duration,
    /// Quiet period once a changed file was closed after writing.
    pub settle: Duration,
    /// Cap on a batch's duration.
    pub max_wait: Duration,
}

impl Default for Debounce {
    fn default() -> Self {
        Debounce {
            quiet: QUIET,
            settle: SETTLE,
            max_wait: MAX_WAIT,
        }
    }
}

/// Wait for the next debounced batch of changed paths (sorted, unique).
/// `None` when told to stop or when the channel is gone.
pub fn next_batch(
    rx: &Receiver<Msg>,
    mut relevant: impl FnMut(&Event) -> Vec<PathBuf>,
    timing: Debounce,
) -> Option<Vec<PathBuf>> {
    let Debounce {
        quiet,
        settle,
        max_wait,
    } = timing;
    let mut batch = BTreeSet::new();
    let mut started: Option<Instant> = None;
    let mut saved = false;
    loop {
        let msg = match started {
            None => rx.recv().ok()?,
            Some(t0) => {
                if t0.elapsed() >= max_wait {
                    break;
                }
                match rx.recv_timeout(if saved { settle } else { quiet }) {
                    Ok(m) => m,
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            }
        };
        match msg {
            Msg::Stop => return None,
            Msg::Fs(Err(e)) => eprintln!("warning: file watcher: {e}"),
            Msg::Fs(Ok(ev)) => {
                let paths = relevant(&ev);
                if !paths.is_empty() {
                    saved |= is_close_write(&ev.kind);
                    batch.extend(paths);
                    started.get_or_insert_with(Instant::now);
                }
            }
        }
    }
    Some(batch.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn editor_temp_files() {
        for t in [
            ".index.md.swp",
            "a.md.swo",
            "a.md~",
            ".#a.md",
            "#a.md#",
            "4913",
            "a.md___jb_tmp___",
        ] {
            assert!(is_editor_temp(t), "{t}");
        }
        for ok in ["a.md", "採用.md", "site.yaml", "#tag", "4913.md"] {
            assert!(!is_editor_temp(ok), "{ok}");
        }
    }

    #[test]
    fn watched_paths() {
        let r = Path::new("/site");
        assert!(is_watched(r, Path::new("/site/site.yaml")));
        assert!(is_watched(r, Path::new("/site/content/news/a.md")));
        assert!(is_watched(
            r,
            Path::new("/site/themes/x/templates/base.html")
        ));
        assert!(is_watched(r, Path::new("/site/templates")));
        assert!(!is_watched(r, Path::new("/site/public/index.html")));
        assert!(!is_watched(r, Path::new("/site/README.md")));
        assert!(!is_watched(r, Path::new("/site/.git/index")));
        assert!(!is_watched(r, Path::new("/site/content/.a.md.swp")));
        assert!(!is_watched(r, Path::new("/other/content/a.md")));
        assert!(!is_watched(r, Path::new("/site")));
    }

    fn ev(p: &str) -> Msg {
        Msg::Fs(Ok(Event::new(EventKind::Any).add_path(PathBuf::from(p))))
    }

    #[test]
    fn a_burst_is_one_batch() {
        let (tx, rx) = mpsc::channel();
        let sender = std::thread::spawn(move || {
            for p in [
                "/s/content/a.md",
                "/s/content/4913",
                "/s/content/a.md",
                "/s/site.yaml",
            ] {
                tx.send(ev(p)).unwrap();
                std::thread::sleep(Duration::from_millis(10));
            }
            std::thread::sleep(Duration::from_millis(300));
            tx.send(ev("/s/data/roster.yaml")).unwrap();
            tx.send(Msg::Stop).unwrap();
        });
        let root = PathBuf::from("/s");
        let filter = |e: &Event| {
            e.paths
                .iter()
                .filter(|p| is_watched(&root, p))
                .cloned()
                .collect()
        };
        let first = next_batch(&rx, filter, Debounce::default()).unwrap();
        assert_eq!(
            first,
            vec![
                PathBuf::from("/s/content/a.md"),
                PathBuf::from("/s/site.yaml")
            ]
        );
        let second = next_batch(&rx, filter, Debounce::default());
        // The roster change arrived, then Stop inside its quiet period.
        assert_eq!(second, None);
        sender.join().unwrap();
    }

    #[test]
    fn continuous_changes_are_cut_at_max_wait() {
        let (tx, rx) = mpsc::channel();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let s2 = stop.clone();
        let sender = std::thread::spawn(move || {
            let mut i = 0;
            while !s2.load(std::sync::atomic::Ordering::Relaxed) {
                if tx.send(ev(&format!("/s/content/{i}.md"))).is_err() {
                    break;
                }
                i += 1;
                std::thread::sleep(Duration::from_millis(5));
            }
        });
        let t0 = Instant::now();
        let root = PathBuf::from("/s");
        let batch = next_batch(
            &rx,
            |e: &Event| {
                e.paths
                    .iter()
                    .filter(|p| is_watched(&root, p))
                    .cloned()
                    .collect()
            },
            Debounce {
                quiet: Duration::from_millis(50),
                settle: Duration::from_millis(50),
                max_wait: Duration::from_millis(300),
            },
        )
        .unwrap();
        let took = t0.elapsed();
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        sender.join().unwrap();
        assert!(batch.len() > 5);
        assert!(took < Duration::from_millis(1000), "{took:?}");
    }

    #[test]
    fn a_closed_write_settles_sooner() {
        let (tx, rx) = mpsc::channel();
        let close = |p: &str| {
            Msg::Fs(Ok(Event::new(EventKind::Access(AccessKind::Close(
                AccessMode::Write,
            )))
            .add_path(PathBuf::from(p))))
        };
        tx.send(ev("/s/content/a.md")).unwrap();
        tx.send(close("/s/content/a.md")).unwrap();
        let root = PathBuf::from("/s");
        let filter = |e: &Event| {
            e.paths
                .iter()
                .filter(|p| is_watched(&root, p))
                .cloned()
                .collect()
        };
        let timing = Debounce {
            quiet: Duration::from_secs(3),
            settle: Duration::from_millis(20),
            max_wait: Duration::from_secs(10),
        };
        let t0 = Instant::now();
        let batch = next_batch(&rx, filter, timing).unwrap();
        assert_eq!(batch, vec![PathBuf::from("/s/content/a.md")]);
        assert!(t0.elapsed() < Duration::from_secs(1), "{:?}", t0.elapsed());
        // Without a close, the full quiet period applies.
        tx.send(ev("/s/content/a.md")).unwrap();
        let timing = Debounce {
            quiet: Duration::from_millis(300),
            ..timing
        };
        let t0 = Instant::now();
        next_batch(&rx, filter, timing).unwrap();
        assert!(t0.elapsed() >= Duration::from_millis(300));
    }
}
