//! Reading the site's files in safe mode (as Jekyll's on GitHub Pages):
//! every file and folder a build opens is resolved here first.
//!
//! - A path is resolved (symbolic links included, of folders too) and used
//!   only if it stays inside its [`Jail`]: the site folder, or for a
//!   theme's files the theme's own folder.
//! - A link leaving the jail, a broken link, a link to a folder it is in,
//!   and anything but a regular file or a folder (FIFO, socket, device,
//!   anything under `/proc` or `/sys`) is skipped with a warning naming the
//!   path. Nothing of its target is opened, read or quoted; a file's type
//!   is checked before it is opened (opening a FIFO would block).
//! - [`Jail::walk`] lists the regular files under a folder, sorted by name,
//!   following a link to a folder inside the jail once and never looping.
//! - [`Jail::target`] is where a command may write a file (never through a
//!   link out); [`write_atomic`] writes it (a temp file renamed over it, so
//!   a reader or the watcher never sees half a file).
//!
//! Must not import anything of the crate outside `core`.

use std::collections::HashSet;
use std::fs::FileType;
use std::path::{Component, Path, PathBuf};

use crate::core::diag::{Diagnostic, Severity};

/// Folders of the kernel's own files: never read, wherever a link points.
const KERNEL_DIRS: [&str; 2] = ["/proc", "/sys"];

/// A folder that every path read through it must resolve inside.
#[derive(Debug, Clone)]
pub struct Jail {
    /// The folder as given: paths to open are joined to it.
    dir: PathBuf,
    /// Its canonical form.
    canon: PathBuf,
    /// `dir` in messages, relative to the site root (empty for the site).
    shown: PathBuf,
}

/// What a path resolves to.
#[derive(Debug)]
pub enum Entry {
    /// A regular file inside the jail (canonical path).
    File(PathBuf),
    /// A folder inside the jail (canonical path).
    Dir(PathBuf),
    Missing,
    /// Not to be read: the warning says which path and why.
    Skipped(Diagnostic),
}

/// What [`Jail::read`] found.
#[derive(Debug)]
pub enum Read {
    Bytes(Vec<u8>),
    Missing,
    /// Not read: the warning says which path and why.
    Skipped(Diagnostic),
}

/// A regular file found by [`Jail::walk`].
#[derive(Debug, Clone)]
pub struct Found {
    /// Relative to the jail's folder, through the links followed.
    pub rel: PathBuf,
    /// The canonical path to open.
    pub path: PathBuf,
    shown: PathBuf,
}

impl Found {
    /// The file's bytes (an error names the file).
    pub fn read(&self) -> Result<Vec<u8>, Diagnostic> {
        read_regular(&self.path, &self.shown)
    }
}

/// The files of a walk and what was skipped (warnings) or failed (errors).
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<Found>,
    /// The folders walked into (not the walk's own), relative to the jail's.
    pub dirs: Vec<PathBuf>,
    pub diags: Vec<Diagnostic>,
}

fn read_regular(path: &Path, shown: &Path) -> Result<Vec<u8>, Diagnostic> {
    std::fs::read(path).map_err(|e| Diagnostic::error(shown, format!("cannot read: {e}")))
}

/// A file named on the command line (`roster import FILE.csv`): it may be
/// anywhere, being the user's own choice, but must be a regular file (not
/// `/dev/zero`, a FIFO or a folder).
pub fn read_named(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    let meta = std::fs::metadata(path)
        .map_err(|e| Diagnostic::error(path, format!("cannot read: {e}")))?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a folder"
        } else {
            special_kind(meta.file_type())
        };
        return Err(Diagnostic::error(
            path,
            format!("is {what}: expected a regular file (save the export as a file first)"),
        ));
    }
    read_regular(path, path)
}

fn special_kind(t: FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    let _ = t;
    "not a regular file"
}

fn special(shown: &Path, t: FileType) -> Diagnostic {
    Diagnostic::warning(
        shown,
        format!(
            "{} is never read (only regular files and folders are): remove it from the site",
            special_kind(t)
        ),
    )
}

fn broken(shown: &Path) -> Diagnostic {
    Diagnostic::warning(
        shown,
        "symbolic link that does not resolve (its target is missing, or links loop): ignored; fix or remove the link",
    )
}

fn looping(shown: &Path) -> Diagnostic {
    Diagnostic::warning(
        shown,
        "symbolic link to a folder it is in: not followed (it would loop); remove the link",
    )
}

fn repeated(shown: &Path) -> Diagnostic {
    Diagnostic::warning(
        shown,
        "symbolic link to a folder another link already brought in: not followed again",
    )
}

/// `d` as an error (for a file a command cannot do without).
pub fn as_error(d: Diagnostic) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        ..d
    }
}

/// Write `bytes` to `path` atomically: into a uniquely named temp file in
/// the same folder (created if missing), synced, then renamed over `path`.
/// On failure the temp file is removed and `path` is unchanged.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".enishi-").suffix(".tmp");
    // Not tempfile's 0600: the file gets the mode a plain create would.
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::Permissions::from_mode(0o666)
    };
    #[cfg(unix)]
    builder.permissions(mode);
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

impl Jail {
    /// The site folder `root`.
    pub fn site(root: &Path) -> Jail {
        Jail {
            dir: root.to_path_buf(),
            canon: std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
            shown: PathBuf::new(),
        }
    }

    /// `rel` as messages show it.
    pub fn shown(&self, rel: &Path) -> PathBuf {
        self.shown.join(rel)
    }

    fn inside(&self, canon: &Path) -> bool {
        canon.starts_with(&self.canon) && !KERNEL_DIRS.iter().any(|k| canon.starts_with(k))
    }

    /// The folder `rel` as a jail of its own (a theme's: its files must stay
    /// in it). `Ok(None)` when it does not exist or is not a folder.
    pub fn narrow(&self, rel: &Path) -> Result<Option<Jail>, Diagnostic> {
        Ok(match self.resolve(rel)? {
            Entry::Dir(canon) => Some(Jail {
                dir: self.dir.join(rel),
                canon,
                shown: self.shown(rel),
            }),
            Entry::Skipped(w) => return Err(w),
            Entry::File(_) | Entry::Missing => None,
        })
    }

    /// The warning for `rel`, which resolves outside: it names the first
    /// part of `rel` that leads out (the link), not the target.
    fn outside(&self, rel: &Path) -> Diagnostic {
        let mut part = PathBuf::new();
        for c in rel.components() {
            if let Component::Normal(n) = c {
                part.push(n);
            } else {
                continue;
            }
            let leaves = std::fs::canonicalize(self.dir.join(&part))
                .map(|c| !self.inside(&c))
                .unwrap_or(true);
            if leaves {
                break;
            }
        }
        let what = if self.shown.as_os_str().is_empty() {
            "the site folder".to_string()
        } else {
            format!("the theme folder {}", self.shown.display())
        };
        Diagnostic::warning(
            self.shown(&part),
            format!(
                "symbolic link leading out of {what}: not read (safe mode: only files inside it are); copy the file in instead of linking to it"
            ),
        )
    }

    /// Resolve `rel` (relative to the jail's folder). An error is a path
    /// that exists but cannot be examined.
    pub fn resolve(&self, rel: &Path) -> Result<Entry, Diagnostic> {
        let path = self.dir.join(rel);
        let shown = self.shown(rel);
        let lmeta = match std::fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // A parent may be a link out, pointing at nothing.
                if let Some(parent) = rel.parent().filter(|p| !p.as_os_str().is_empty()) {
                    if let Ok(Entry::Skipped(w)) = self.resolve(parent) {
                        return Ok(Entry::Skipped(w));
                    }
                }
                return Ok(Entry::Missing);
            }
            Err(e) => return Err(Diagnostic::error(&shown, format!("cannot read: {e}"))),
        };
        let canon = match std::fs::canonicalize(&path) {
            Ok(c) => c,
            Err(_) if lmeta.file_type().is_symlink() => return Ok(Entry::Skipped(broken(&shown))),
            Err(e) => return Err(Diagnostic::error(&shown, format!("cannot read: {e}"))),
        };
        if !self.inside(&canon) {
            return Ok(Entry::Skipped(self.outside(rel)));
        }
        let kind = if lmeta.file_type().is_symlink() {
            match std::fs::metadata(&canon) {
                Ok(m) => m.file_type(),
                Err(e) => return Err(Diagnostic::error(&shown, format!("cannot read: {e}"))),
            }
        } else {
            lmeta.file_type()
        };
        Ok(if kind.is_file() {
            Entry::File(canon)
        } else if kind.is_dir() {
            Entry::Dir(canon)
        } else {
            Entry::Skipped(special(&shown, kind))
        })
    }

    /// Read the file `rel`, if it is a regular file inside the jail.
    pub fn read(&self, rel: &Path) -> Result<Read, Diagnostic> {
        match self.resolve(rel)? {
            Entry::File(p) => read_regular(&p, &self.shown(rel)).map(Read::Bytes),
            Entry::Dir(_) => Err(Diagnostic::error(
                self.shown(rel),
                "is a folder: expected a file",
            )),
            Entry::Missing => Ok(Read::Missing),
            Entry::Skipped(w) => Ok(Read::Skipped(w)),
        }
    }

    /// Where a command may create or replace `rel`: its canonical path, if
    /// everything of it that exists is inside the jail (a file or folder
    /// to replace, or the nearest folder it will be created in).
    pub fn target(&self, rel: &Path) -> Result<PathBuf, Diagnostic> {
        let mut at = rel;
        loop {
            match self.resolve(at)? {
                Entry::File(c) | Entry::Dir(c) => {
                    return Ok(match rel.strip_prefix(at) {
                        Ok(rest) if !rest.as_os_str().is_empty() => c.join(rest),
                        _ => c,
                    })
                }
                Entry::Skipped(w) => return Err(as_error(w)),
                Entry::Missing => match at.parent() {
                    Some(p) => at = p,
                    None => return Ok(self.canon.join(rel)),
                },
            }
        }
    }

    /// The regular files under the folder `rel`, sorted by path. A missing
    /// folder (or a file in its place) has none.
    pub fn walk(&self, rel: &Path) -> Walk {
        let mut w = Walk::default();
        match self.resolve(rel) {
            Ok(Entry::Dir(canon)) => {
                let mut seen = HashSet::new();
                seen.insert(canon.clone());
                let mut ancestors = vec![canon.clone()];
                self.walk_into(&canon, rel, &mut ancestors, &mut seen, &mut w);
            }
            Ok(Entry::File(_) | Entry::Missing) => {}
            Ok(Entry::Skipped(d)) | Err(d) => w.diags.push(d),
        }
        w
    }

    /// Walk the folder `dir` (canonical, shown as `rel`). `ancestors` are
    /// the folders it is in; `seen`, the folders links brought in.
    fn walk_into(
        &self,
        dir: &Path,
        rel: &Path,
        ancestors: &mut Vec<PathBuf>,
        seen: &mut HashSet<PathBuf>,
        w: &mut Walk,
    ) {
        let cannot = |rel: &Path, e: std::io::Error| {
            Diagnostic::error(self.shown(rel), format!("cannot read folder: {e}"))
        };
        let mut entries = Vec::new();
        match std::fs::read_dir(dir) {
            Ok(rd) => {
                for e in rd {
                    match e {
                        Ok(e) => entries.push(e),
                        Err(e) => w.diags.push(cannot(rel, e)),
                    }
                }
            }
            Err(e) => return w.diags.push(cannot(rel, e)),
        }
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name();
            let rel = rel.join(&name);
            let shown = self.shown(&rel);
            let ft = match e.file_type() {
                Ok(t) => t,
                Err(err) => {
                    w.diags.push(cannot(&rel, err));
                    continue;
                }
            };
            let (kind, canon) = if ft.is_symlink() {
                match std::fs::canonicalize(e.path()) {
                    Err(_) => {
                        w.diags.push(broken(&shown));
                        continue;
                    }
                    Ok(c) if !self.inside(&c) => {
                        w.diags.push(self.outside(&rel));
                        continue;
                    }
                    Ok(c) => match std::fs::metadata(&c) {
                        Ok(m) => (m.file_type(), c),
                        Err(err) => {
                            w.diags.push(cannot(&rel, err));
                            continue;
                        }
                    },
                }
            } else {
                (ft, dir.join(&name))
            };
            if kind.is_file() {
                w.files.push(Found {
                    rel,
                    path: canon,
                    shown,
                });
            } else if kind.is_dir() {
                if ancestors.contains(&canon) {
                    w.diags.push(looping(&shown));
                } else if ft.is_symlink() && !seen.insert(canon.clone()) {
                    w.diags.push(repeated(&shown));
                } else {
                    ancestors.push(canon.clone());
                    w.dirs.push(rel.clone());
                    self.walk_into(&canon, &rel, ancestors, seen, w);
                    ancestors.pop();
                }
            } else {
                w.diags.push(special(&shown, kind));
            }
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn walk_follows_links_inside_once_and_names_links_out() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::create_dir_all(tmp.path().join("out")).unwrap();
        std::fs::write(root.join("a/b/f.txt"), "x").unwrap();
        std::fs::write(tmp.path().join("out/s.txt"), "secret").unwrap();
        symlink("b", root.join("a/c")).unwrap();
        symlink("b", root.join("a/d")).unwrap();
        symlink("..", root.join("a/b/up")).unwrap();
        symlink("../../out/s.txt", root.join("a/s.txt")).unwrap();
        symlink("nowhere", root.join("a/gone")).unwrap();
        let w = Jail::site(&root).walk(Path::new("a"));
        let files: Vec<_> = w.files.iter().map(|f| f.rel.clone()).collect();
        assert_eq!(
            files,
            [Path::new("a/b/f.txt"), Path::new("a/c/f.txt")],
            "{w:?}"
        );
        let named: Vec<String> = w
            .diags
            .iter()
            .map(|d| d.file.display().to_string())
            .collect();
        assert_eq!(named, ["a/b/up", "a/c/up", "a/d", "a/gone", "a/s.txt"]);
        assert!(w.diags.iter().all(|d| !d.is_error()));
    }

    #[test]
    fn a_link_out_is_named_by_its_own_path() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        symlink(tmp.path(), root.join("data")).unwrap();
        let j = Jail::site(&root);
        let Ok(Read::Skipped(w)) = j.read(Path::new("data/missing.yaml")) else {
            panic!("read through a link out");
        };
        assert_eq!(w.file, Path::new("data"));
        assert!(j.target(Path::new("data/new.yaml")).is_err());
        assert!(j.target(Path::new("content/news/x.md")).is_ok());
        std::fs::write(root.join("f.txt"), "x").unwrap();
        let f = j.target(Path::new("f.txt")).unwrap();
        assert_eq!(f, std::fs::canonicalize(root.join("f.txt")).unwrap());
    }
}
