//! What an interview page shows besides itself: related interviews (shared
//! tags, the same department back then), the previous and next interview
//! by date, and its pull quote (`quote:`, else the body's first blockquote).
//!
//! Neighbours are page indices of one language's site, computed once per
//! build for every interview, so that `serve` can key an interview page by
//! its neighbours' card revisions without building it
//! ([`crate::render::views::Views::hash_view`]). Imports `core`, `model`
//! and `site` only.

use std::collections::{BTreeMap, HashMap};

use crate::model::{Kind, Page};
use crate::site::Site;

/// Related interviews shown on a page.
pub const RELATED: usize = 3;

/// Interviews compared per tag or department: the newest ones. A tag on
/// thousands of interviews would otherwise make this quadratic; the newest
/// few are the ones worth showing anyway.
const POOL: usize = 64;

/// A department shared counts as much as this many shared tags.
const DEPARTMENT_WEIGHT: usize = 2;

/// The neighbours of one interview (indices into `site.pages`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Neighbours {
    /// Best first: most shared (tags + department weight), then newest.
    pub related: Vec<usize>,
    /// The next older interview.
    pub prev: Option<usize>,
    /// The next newer interview.
    pub next: Option<usize>,
}

impl Neighbours {
    /// Every page shown: related, then previous and next.
    pub fn pages(&self) -> impl Iterator<Item = usize> + '_ {
        self.related
            .iter()
            .copied()
            .chain(self.prev)
            .chain(self.next)
    }
}

fn department(p: &Page) -> Option<&str> {
    p.interview()
        .and_then(|i| i.person.as_ref())
        .and_then(|p| p.department.as_deref())
        .map(str::trim)
        .filter(|d| !d.is_empty())
}

/// The neighbours of every listed interview, by page index. The order is
/// deterministic: `site.pages` is sorted by date (newest first), then path.
pub fn neighbours(site: &Site) -> HashMap<usize, Neighbours> {
    let list: Vec<usize> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.kind == Kind::Interview && p.is_listed())
        .map(|(i, _)| i)
        .collect();
    // Position in `list` (0 = newest) of each interview carrying a tag or
    // a department, the newest `POOL` of each.
    let mut groups: BTreeMap<(u8, &str), Vec<usize>> = BTreeMap::new();
    for (pos, &i) in list.iter().enumerate() {
        let p = &site.pages[i];
        let keys = p
            .tags
            .iter()
            .map(|t| (0u8, t.as_str()))
            .chain(department(p).map(|d| (1u8, d)));
        for key in keys {
            let g = groups.entry(key).or_default();
            if g.len() < POOL {
                g.push(pos);
            }
        }
    }
    let mut out = HashMap::with_capacity(list.len());
    for (pos, &i) in list.iter().enumerate() {
        let p = &site.pages[i];
        let mut score: HashMap<usize, usize> = HashMap::new();
        let keys = p
            .tags
            .iter()
            .map(|t| ((0u8, t.as_str()), 1))
            .chain(department(p).map(|d| ((1u8, d), DEPARTMENT_WEIGHT)));
        for (key, weight) in keys {
            for &other in groups.get(&key).into_iter().flatten() {
                if other != pos {
                    *score.entry(other).or_default() += weight;
                }
            }
        }
        let mut ranked: Vec<(usize, usize)> = score.into_iter().collect();
        ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        out.insert(
            i,
            Neighbours {
                related: ranked
                    .into_iter()
                    .take(RELATED)
                    .map(|(pos, _)| list[pos])
                    .collect(),
                prev: list.get(pos + 1).copied(),
                next: pos.checked_sub(1).map(|p| list[p]),
            },
        );
    }
    out
}

/// A page's pull quote: its `quote:`, else the text of the first
/// blockquote of its body (plain text, whitespace collapsed).
pub fn pull_quote(p: &Page) -> Option<String> {
    if let Some(q) = p.interview().and_then(|i| i.quote.clone()) {
        return Some(q);
    }
    let html = &*p.content_html;
    let start = html.find("<blockquote")?;
    let rest = &html[start..];
    let inner = &rest[rest.find('>')? + 1..];
    let end = inner.find("</blockquote>")?;
    let text = crate::core::text::html_to_text(&inner[..end]);
    (!text.is_empty()).then_some(text)
}
