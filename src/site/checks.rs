//! The checks across documents that `Site::load` makes once every document
//! is read (anchors of links into other pages, `roster_id`s). `serve`'s
//! patch of a kept site calls the same functions on the edited pages, so a
//! rule lives in one place.

use std::collections::HashMap;
use std::path::Path;

use crate::core::diag::{suggest, Diagnostic};
use crate::input::content::Document;
use crate::input::roster::Ids;
use crate::markdown::AnchorRef;

/// Links from `source` to `#anchor`s of other pages that the target page
/// has no heading for. `headings(target)` gives the heading ids of a page
/// (by its source), or `None` when the target is not a page (that is the
/// link check's business, not this one's).
pub fn anchor_errors<'h, I>(
    source: &Path,
    refs: &[AnchorRef],
    headings: impl Fn(&Path) -> Option<I>,
) -> Vec<Diagnostic>
where
    I: IntoIterator<Item = &'h str>,
{
    let mut out = Vec::new();
    for a in refs {
        let Some(ids) = headings(&a.target) else {
            continue;
        };
        let mut known: Vec<&str> = ids.into_iter().collect();
        if known.contains(&a.anchor.as_str()) {
            continue;
        }
        known.sort_unstable();
        known.dedup();
        let hint = suggest(&a.anchor, known.iter().copied())
            .map(|s| format!("did you mean #{s}? "))
            .unwrap_or_default();
        out.push(
            Diagnostic::error(
                source,
                format!(
                    "link to a missing anchor #{} in {}: {hint}(headings there: {})",
                    a.anchor,
                    a.target.display(),
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                ),
            )
            .at(a.line, a.col),
        );
    }
    out
}

/// An interview's `roster_id` must name a roster entry (published or not).
pub fn roster_id_error(d: &Document, ids: &Ids) -> Option<Diagnostic> {
    let id = d.interview_roster_id()?;
    (!ids.contains(id)).then(|| {
        Diagnostic::error(
            &d.source,
            format!("`roster_id` {id:?} is not an id in data/roster.yaml"),
        )
    })
}

/// A translation must tell of the same job and the same event as its
/// original: a different `closes`, `start`, `end` or `status` is an error
/// naming both files (the translation's line where it sets the key).
pub fn translation_errors(docs: &[Document]) -> Vec<Diagnostic> {
    let by_source: HashMap<&Path, &Document> =
        docs.iter().map(|d| (d.source.as_path(), d)).collect();
    let mut out = Vec::new();
    for d in docs {
        let Some(original) = d.original.as_deref().and_then(|o| by_source.get(o)) else {
            continue;
        };
        let mut changed: Vec<&str> = Vec::new();
        if let (Some(a), Some(b)) = (d.job_meta(), original.job_meta()) {
            if a.closes != b.closes {
                changed.push("closes");
            }
        }
        if let (Some(a), Some(b)) = (d.event_meta(), original.event_meta()) {
            for (key, same) in [
                ("start", a.start == b.start),
                ("end", a.end == b.end),
                ("status", a.status == b.status),
            ] {
                if !same {
                    changed.push(key);
                }
            }
        }
        for key in changed {
            let line = d
                .pinned_lines
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, l)| *l)
                .unwrap_or(1);
            out.push(
                Diagnostic::error(
                    &d.source,
                    format!(
                        "`{key}` differs from the original {}: a translation tells of the same {} (remove `{key}` here to inherit it, or change it in both files)",
                        original.source.display(),
                        if key == "closes" { "job" } else { "event" }
                    ),
                )
                .at(line, 1),
            );
        }
    }
    out
}
