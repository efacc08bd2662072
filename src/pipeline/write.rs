//! Writing the output tree atomically.
//!
//! The new tree is written to a sibling temporary directory, then swapped in
//! with two renames, so a failed build never leaves a half-written output and
//! a good one replaces it whole. That directory sits in a hidden holder
//! marked as a "top directory" where the filesystem supports it (ext4), so
//! that each build's tree is placed in a fresh block group (see
//! `spread_subdirectories`). enishi refuses an output directory that is,
//! or contains, the site root or `content/`, and one that holds files but does
//! not look like a previous build (so a typo in `--output` cannot wipe a
//! folder of the user's).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::core::output::{OutputFile, Sink};

#[derive(Debug)]
pub enum WriteError {
    Unsafe(String),
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Unsafe(m) => write!(f, "{m}"),
            WriteError::Io(p, e) => write!(f, "{}: {e}", p.display()),
        }
    }
}

fn absolute(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    // Canonicalise the longest existing ancestor, keep the rest.
    let mut existing = abs.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|s| s.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for r in rest.into_iter().rev() {
        if r == ".." {
            out.pop();
        } else if r != "." {
            out.push(r);
        }
    }
    out
}

/// Check that `output` is a safe place to replace for a site at `root`.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), WriteError> {
    let root = absolute(root);
    let out = absolute(output);
    // A link in the site standing for the output (`public -> ~/elsewhere`,
    // perhaps from a pull request) is not followed out of the site.
    let is_link = std::fs::symlink_metadata(output).is_ok_and(|m| m.file_type().is_symlink());
    if is_link {
        let parent = output.parent().unwrap_or(Path::new(""));
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        let lexical = absolute(parent).join(output.file_name().unwrap_or_default());
        if lexical.starts_with(&root) && !out.starts_with(&root) {
            return Err(WriteError::Unsafe(format!(
                "refusing to write to {}: it is a symbolic link leading out of the site (safe mode); remove the link, or pass the real folder as --output",
                output.display()
            )));
        }
    }
    let content = root.join("content");
    if out == root || root.starts_with(&out) {
        return Err(WriteError::Unsafe(format!(
            "refusing to write to {}: it is or contains the site root {}; choose an output directory such as {}/public",
            out.display(),
            root.display(),
            root.display()
        )));
    }
    if out.starts_with(&content) || content.starts_with(&out) {
        return Err(WriteError::Unsafe(format!(
            "refusing to write to {}: it is or contains content/",
            out.display()
        )));
    }
    for special in ["data", "static", "templates", "themes"] {
        if out.starts_with(root.join(special)) {
            return Err(WriteError::Unsafe(format!(
                "refusing to write to {}: it is inside the site's {special}/ directory",
                out.display()
            )));
        }
    }
    if out.is_dir() {
        let mut entries = std::fs::read_dir(&out).map_err(|e| WriteError::Io(out.clone(), e))?;
        let non_empty = entries.next().is_some();
        if non_empty
            && !out.join("index.html").exists()
            && !out.join("404.html").exists()
            && !out.join("sitemap.xml").exists()
        {
            return Err(WriteError::Unsafe(format!(
                "refusing to replace {}: it holds files but does not look like an enishi output (no index.html); remove it or choose another --output",
                out.display()
            )));
        }
    } else if out.exists() {
        return Err(WriteError::Unsafe(format!(
            "refusing to write to {}: it is a file, not a directory",
            out.display()
        )));
    }
    Ok(())
}

/// A build's output on its way to disk. Files go into a sibling temporary
/// directory as they are produced ([`Sink::put`]); [`Staging::commit`] swaps
/// it in with two renames. Dropped without a commit (an error, a failed
/// build), the temporary directory is removed and the output is untouched.
pub struct Staging {
    out: PathBuf,
    /// The hidden holder beside the output: it only contains `tmp`.
    holder: PathBuf,
    /// The new tree, renamed to `out` on commit.
    tmp: PathBuf,
    old: PathBuf,
    /// Path -> size of every file written, for `contains` and the totals.
    written: Mutex<HashMap<String, usize>>,
    committed: bool,
}

impl Staging {
    /// Check that `output` is safe to replace for a site at `root` and
    /// create the temporary directory beside it.
    pub fn new(root: &Path, output: &Path) -> Result<Staging, WriteError> {
        check_output_dir(root, output)?;
        let out = absolute(output);
        let parent = out
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        std::fs::create_dir_all(&parent).map_err(|e| WriteError::Io(parent.clone(), e))?;
        let name = out
            .file_name()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_else(|| "public".into());
        let pid = std::process::id();
        let holder = parent.join(format!(".{name}.enishi-new-{pid}"));
        let old = parent.join(format!(".{name}.enishi-old-{pid}"));
        let _ = std::fs::remove_dir_all(&holder);
        std::fs::create_dir_all(&holder).map_err(|e| WriteError::Io(holder.clone(), e))?;
        spread_subdirectories(&holder);
        // A name of its own per build: ext4 picks the block group of a top
        // directory's child from a hash of its name.
        let tmp = holder.join(format!("tree-{:016x}", random_u64()));
        std::fs::create_dir(&tmp).map_err(|e| WriteError::Io(tmp.clone(), e))?;
        Ok(Staging {
            out,
            holder,
            tmp,
            old,
            written: Mutex::new(HashMap::new()),
            committed: false,
        })
    }

    fn written(&self) -> std::sync::MutexGuard<'_, HashMap<String, usize>> {
        self.written.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Replace the output directory with what was written.
    pub fn commit(mut self) -> Result<(), WriteError> {
        let (out, tmp, old) = (self.out.clone(), self.tmp.clone(), self.old.clone());
        if out.exists() {
            std::fs::rename(&out, &old).map_err(|e| WriteError::Io(out.clone(), e))?;
        }
        if let Err(e) = std::fs::rename(&tmp, &out) {
            // Put the old tree back; dropping `self` removes the new one.
            let _ = std::fs::rename(&old, &out);
            return Err(WriteError::Io(out, e));
        }
        self.committed = true;
        let _ = std::fs::remove_dir(&self.holder);
        let _ = std::fs::remove_dir_all(&old);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.holder);
        }
    }
}

/// A random number (from the standard library's per-process hash keys).
fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish()
}

/// Mark `dir` as the top of a directory hierarchy (`chattr +T`), so that
/// ext4 places each directory made in it in a block group of its own choice
/// (its "Orlov" allocator, as for directories at the root) rather than
/// beside `dir`. Best effort: other filesystems ignore or refuse the flag.
///
/// Why: without a journal, ext4 will not reuse an inode number freed in the
/// last minutes, and every new inode first skips, one by one, all those in
/// its group. Output deleted just before a build (a previous tree replaced
/// by `commit`, or `rm -rf public`) sits in the very groups the new tree
/// would get, so a 10k-page build spent 1 to 5 s of system time skipping
/// them (`recently_deleted` in fs/ext4/ialloc.c) instead of 0.6 s.
#[cfg(target_os = "linux")]
fn spread_subdirectories(dir: &Path) {
    use std::os::fd::AsRawFd;
    /// `FS_TOPDIR_FL` of linux/fs.h.
    const TOPDIR: libc::c_int = 0x0002_0000;
    let Ok(f) = std::fs::File::open(dir) else {
        return;
    };
    let mut flags: libc::c_int = 0;
    // SAFETY: FS_IOC_GETFLAGS and FS_IOC_SETFLAGS read and write one int
    // through the pointer, which is valid for both calls; `f` is open.
    unsafe {
        if libc::ioctl(f.as_raw_fd(), libc::FS_IOC_GETFLAGS, &mut flags) == 0 {
            flags |= TOPDIR;
            libc::ioctl(f.as_raw_fd(), libc::FS_IOC_SETFLAGS, &flags);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn spread_subdirectories(_dir: &Path) {}

impl Staging {
    fn write(&self, path: String, bytes: &[u8]) -> std::io::Result<()> {
        let dest = self.tmp.join(&path);
        if let Some(dir) = dest.parent().filter(|d| *d != self.tmp) {
            // Most pages have a directory of their own: one mkdir, and the
            // parents only when it is missing.
            match std::fs::create_dir(dir) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => std::fs::create_dir_all(dir)?,
                Err(e) => return Err(e),
            }
        }
        std::fs::write(&dest, bytes)?;
        self.written().insert(path, bytes.len());
        Ok(())
    }
}

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> std::io::Result<()> {
        self.write(file.path, &file.bytes)
    }

    fn put_shared(&self, path: String, bytes: crate::core::output::Bytes) -> std::io::Result<()> {
        self.write(path, &bytes)
    }

    fn contains(&self, path: &str) -> bool {
        self.written().contains_key(path)
    }

    fn totals(&self) -> (usize, usize) {
        let w = self.written();
        (w.len(), w.values().sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_root_and_content() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_output_dir(root, root).is_err());
        assert!(check_output_dir(root, &root.join("content")).is_err());
        assert!(check_output_dir(root, &root.join("content/x")).is_err());
        assert!(check_output_dir(root, root.parent().unwrap()).is_err());
        assert!(check_output_dir(root, &root.join("public")).is_ok());
        std::fs::create_dir_all(root.join("stuff")).unwrap();
        std::fs::write(root.join("stuff/a.txt"), "x").unwrap();
        assert!(check_output_dir(root, &root.join("stuff")).is_err());
    }
}
