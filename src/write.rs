//! Writing the output tree atomically.
//!
//! The new tree is written to a sibling temporary directory, then swapped in
//! with two renames, so a failed build never leaves a half-written output and
//! a good one replaces it whole. enishi refuses an output directory that is,
//! or contains, the site root or `content/`, and one that holds files but does
//! not look like a previous build (so a typo in `--output` cannot wipe a
//! folder of the user's).

use std::path::{Path, PathBuf};

use crate::output::OutputTree;

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

/// Write `tree` to `output`, replacing it whole.
pub fn write_tree(root: &Path, output: &Path, tree: &OutputTree) -> Result<(), WriteError> {
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
    let tmp = parent.join(format!(".{name}.enishi-new-{pid}"));
    let old = parent.join(format!(".{name}.enishi-old-{pid}"));
    let _ = std::fs::remove_dir_all(&tmp);
    let result = (|| {
        use rayon::prelude::*;
        // Directories first (sequential, few), then files in parallel.
        let mut dirs: Vec<PathBuf> = tree
            .keys()
            .filter_map(|p| Path::new(p).parent().map(|d| tmp.join(d)))
            .collect();
        dirs.sort();
        dirs.dedup();
        std::fs::create_dir_all(&tmp).map_err(|e| WriteError::Io(tmp.clone(), e))?;
        for d in &dirs {
            std::fs::create_dir_all(d).map_err(|e| WriteError::Io(d.clone(), e))?;
        }
        tree.par_iter().try_for_each(|(p, bytes)| {
            let dest = tmp.join(p);
            std::fs::write(&dest, bytes).map_err(|e| WriteError::Io(dest.clone(), e))
        })
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    if out.exists() {
        std::fs::rename(&out, &old).map_err(|e| WriteError::Io(out.clone(), e))?;
    }
    if let Err(e) = std::fs::rename(&tmp, &out) {
        // Put the old tree back.
        let _ = std::fs::rename(&old, &out);
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(WriteError::Io(out.clone(), e));
    }
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
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
