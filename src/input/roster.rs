//! The roster (`data/roster.yaml`): personal data of alumni, published only
//! with consent.
//!
//! Default deny, enforced in one place: a [`Roster`] keeps its entries
//! private, and the only way personal data leaves this module is
//! [`Roster::publishable`], which builds a [`Publishable`] view holding, per
//! person, only the fields that person consented to at each level. People
//! without consent (no `consent`, no `consent.given` or one after the
//! build's day, `withdrawn` set, or a consent to an older privacy notice
//! than `roster.consent_version`: `roster/consent.rs`) are not in the view
//! at all. Output modules (`directory`, search, interviews) get a
//! `Publishable`, never a `Roster`.
//!
//! Loading splits the file into its top-level list items and parses each one
//! on its own, so that every broken entry is reported in one run, with the
//! line (of the whole file) and the entry id. Items of the usual shape are
//! read without a YAML parser (`roster/plain.rs`).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_yaml_ng::Value;
use unicode_normalization::UnicodeNormalization;

use crate::config::Config;
use crate::core::diag::{from_yaml_error, Diagnostic};
use crate::core::fs::{Jail, Read};
use crate::core::limits;

mod consent;
pub mod import;
mod plain;

use consent::Consent;
pub use consent::Unshown;
pub use import::{import_csv, ImportSummary};

/// Fields a person can consent to publish (`consent.public` / `consent.members`).
pub const FIELDS: [&str; 12] = [
    "name",
    "name_en",
    "reading",
    "joined",
    "left",
    "department",
    "now",
    "location",
    "skills",
    "links",
    "email",
    "message",
];

/// Fields a person can let be counted in `/alumni/stats/` (`consent.stats`,
/// or `consent.public`): current company, former department, location, year
/// of leaving.
pub const STATS_FIELDS: [&str; 4] = ["now", "department", "location", "left"];

/// Path of the roster, relative to the site root (as shown in diagnostics).
pub const ROSTER_PATH: &str = "data/roster.yaml";

// ---------------------------------------------------------------------------
// Raw (serde) shapes
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEntry {
    pub(crate) id: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) name_en: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) reading: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) joined: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) left: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) department: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) now: Option<RawNow>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) skills: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) links: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) consent: Option<RawConsent>,
}

#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawNow {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) company: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) role: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawConsent {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) given: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) version: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) public: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) members: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) stats: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) withdrawn: Option<Value>,
}

// ---------------------------------------------------------------------------
// Validated shapes (private to the crate: only `Publishable` leaves)
// ---------------------------------------------------------------------------

/// A year or year-month or date as written (`2012`, `2012-04`, `2012-04-01`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct YearValue {
    pub year: i16,
    /// As written, normalised (`2012`, `2012-04`, `2012-04-01`).
    pub text: String,
}

#[derive(Debug, Clone)]
struct Entry {
    id: String,
    name: Option<String>,
    name_en: Option<String>,
    reading: Option<String>,
    joined: Option<YearValue>,
    left: Option<YearValue>,
    department: Option<String>,
    now: Option<Now>,
    location: Option<String>,
    skills: Vec<String>,
    links: BTreeMap<String, String>,
    email: Option<String>,
    message: Option<String>,
    consent: Option<Consent>,
}

/// Current work: company and role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Now {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// The validated roster. Its entries never leave this module except through
/// [`Roster::publishable`].
#[derive(Debug, Clone, Default)]
pub struct Roster {
    entries: Vec<Entry>,
    warnings: Vec<Diagnostic>,
    /// The file as shown in diagnostics.
    file: PathBuf,
    /// id -> first line of its entry (every entry's id is here).
    ids: HashMap<String, usize>,
}

/// The ids of a roster, without anyone's data: for validating `roster_id`
/// in interviews.
#[derive(Debug, Clone, Default)]
pub struct Ids(HashMap<String, usize>);

impl Ids {
    /// Whether an entry with this id exists (consenting or not).
    pub fn contains(&self, id: &str) -> bool {
        self.0.contains_key(id)
    }
}

/// A person whose consent is for an older privacy notice than the site's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleConsent {
    pub id: String,
    /// The name, for `enishi check` output (shown to the site operator only).
    pub name: Option<String>,
    /// The notice version the person consented to.
    pub version: u32,
}

/// One person as seen at one level (public or members): fields the person
/// did not consent to at that level are `None`/empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonView {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reading: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub joined: Option<YearValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left: Option<YearValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub now: Option<Now>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub links: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// Public directory entry (only `consent.public` fields).
pub type PublicPerson = PersonView;
/// Members directory entry (`consent.public` + `consent.members` fields).
/// May have no name (a person can share e.g. only an e-mail with members);
/// its `id` is for lookups only and must not be published.
pub type MemberPerson = PersonView;

impl PersonView {
    /// Display name: `name`, else `name_en`.
    pub fn display_name(&self) -> Option<&str> {
        self.name.as_deref().or(self.name_en.as_deref())
    }

    /// Whether any personal field is present (the id does not count).
    pub fn has_any_field(&self) -> bool {
        !self.text().is_empty()
    }

    /// Sort key in Japanese order: people with a reading first, in gojūon
    /// order (katakana folded to hiragana, NFKC, lowercase, no spaces), then
    /// those without (whose reading was not shared), by English name, then name.
    pub fn sort_key(&self) -> (u8, String) {
        match (&self.reading, &self.name_en, &self.name) {
            (Some(r), _, _) => (0, kana_key(r)),
            (None, Some(n), _) => (1, kana_key(n)),
            (None, None, Some(n)) => (2, kana_key(n)),
            _ => (3, String::new()),
        }
    }

    /// Plain text of all fields in this view (for search bodies).
    pub fn text(&self) -> String {
        let now = self.now.clone().unwrap_or_default();
        let mut parts: Vec<String> = [
            &self.name,
            &self.name_en,
            &self.reading,
            &now.company,
            &now.role,
            &self.department,
            &self.location,
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
        parts.extend(self.joined.iter().map(|y| y.text.clone()));
        parts.extend(self.left.iter().map(|y| y.text.clone()));
        parts.extend(self.skills.iter().cloned());
        parts.extend(self.message.iter().cloned());
        parts.extend(self.links.iter().map(|(k, v)| format!("{k}: {v}")));
        parts.extend(self.email.iter().cloned());
        parts.join(" ")
    }
}

/// Fold a name reading for Japanese ordering: NFKC (half-width kana become
/// full-width), katakana -> hiragana, lowercase, whitespace removed.
pub fn kana_key(s: &str) -> String {
    s.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{30A1}'..='\u{30F6}' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// How many people with current consent share each value of a field they
/// let be counted (`consent.public` or `consent.stats`): exact counts, with
/// no one's id or name. What is published of them (groups of at least
/// `roster.stats.min_group`, rounded) is decided by `outputs::stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlumniCounts {
    /// One map per [`STATS_FIELDS`] entry, in that order: value -> people.
    /// `now` counts the company, `left` the year.
    pub fields: [BTreeMap<String, usize>; 4],
}

impl AlumniCounts {
    /// `(field, counts)` in [`STATS_FIELDS`] order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &BTreeMap<String, usize>)> {
        STATS_FIELDS.into_iter().zip(self.fields.iter())
    }
}

/// A value as counted: NFKC, whitespace collapsed (so `ＡＢＣ株式会社` and
/// `ABC株式会社 ` are one group).
fn stats_key(s: &str) -> Option<String> {
    let k = crate::core::text::collapse_ws(&s.nfkc().collect::<String>());
    (!k.is_empty()).then_some(k)
}

impl Entry {
    /// What this person lets be counted, per [`STATS_FIELDS`] entry.
    fn stats_values(&self, counted: impl Fn(&str) -> bool) -> [Option<String>; 4] {
        let f = |name: &str, v: Option<String>| {
            if counted(name) {
                v.and_then(|v| stats_key(&v))
            } else {
                None
            }
        };
        [
            f("now", self.now.as_ref().and_then(|n| n.company.clone())),
            f("department", self.department.clone()),
            f("location", self.location.clone()),
            f("left", self.left.as_ref().map(|y| y.year.to_string())),
        ]
    }
}

/// The consent-filtered view of the roster.
#[derive(Debug, Clone, Default)]
pub struct Publishable {
    public: Vec<PublicPerson>,
    members: Vec<MemberPerson>,
    stats: AlumniCounts,
    page_size: usize,
    /// id -> index in `public`.
    public_index: BTreeMap<String, usize>,
}

/// People per page of the public directory (`/alumni/page/N/`).
pub const PAGE_SIZE: usize = 50;

impl Publishable {
    /// Public directory entries, sorted by reading (Japanese order), then id.
    pub fn public(&self) -> &[PublicPerson] {
        &self.public
    }

    /// Members directory entries (public + members fields), same order.
    pub fn members(&self) -> &[MemberPerson] {
        &self.members
    }

    /// Exact counts for `/alumni/stats/` (see [`AlumniCounts`]).
    pub fn stats(&self) -> &AlumniCounts {
        &self.stats
    }

    /// People per directory page.
    pub fn page_size(&self) -> usize {
        self.page_size.max(1)
    }

    /// Site path (without base path) of the directory page holding the
    /// `index`-th public person: `/alumni/` or `/alumni/page/N/`.
    pub fn page_path_of_index(&self, index: usize) -> String {
        page_path(index / self.page_size() + 1)
    }

    /// Site path (without the base path) of a person's public entry, e.g.
    /// `/alumni/page/3/#tanaka-hanako`; `None` if the person is not public.
    /// URL-safe as is (ids are restricted to `[a-z0-9_-]`).
    pub fn public_entry_path(&self, id: &str) -> Option<String> {
        let i = *self.public_index.get(id)?;
        Some(format!("{}#{}", self.page_path_of_index(i), id))
    }

    /// [`public_entry_path`](Self::public_entry_path) with the site's base
    /// path, ready for an `href` (ids are ASCII-safe, so no encoding is
    /// needed; do not pass it through `util::encode_path`, which would
    /// encode the `#`).
    pub fn public_entry_href(&self, id: &str, config: &Config) -> Option<String> {
        self.public_entry_path(id).map(|p| config.site_path(&p))
    }

    /// Search documents for the public directory: (path with anchor, public
    /// name, public fields as text). Paths are site paths without base path,
    /// URL-safe as is (do not percent-encode the `#`).
    pub fn search_entries(&self) -> Vec<(String, String, String)> {
        self.public
            .iter()
            .enumerate()
            .map(|(i, p)| {
                (
                    format!("{}#{}", self.page_path_of_index(i), p.id),
                    p.display_name().unwrap_or_default().to_string(),
                    p.text(),
                )
            })
            .collect()
    }
}

/// `/alumni/` for page 1, `/alumni/page/N/` after.
pub fn page_path(n: usize) -> String {
    if n <= 1 {
        "/alumni/".to_string()
    } else {
        format!("/alumni/page/{n}/")
    }
}

impl Roster {
    /// Number of entries (consenting or not).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Problems that do not stop the build on `today` (consent lists
    /// without a `given` date, which count as no consent; a consent dated
    /// after `today`, which counts from that day): for `build` and `check`.
    pub fn warnings(&self, today: jiff::civil::Date) -> Vec<Diagnostic> {
        let mut out = self.warnings.clone();
        out.extend(self.entries.iter().filter_map(|e| {
            e.consent
                .as_ref()?
                .not_yet_warning(&self.file, &e.id, today)
        }));
        out.sort();
        out
    }

    /// Everyone published nowhere on `today`, by id, with the reason
    /// (sorted by id): for `enishi check`. No one's data, only ids.
    pub fn unshown(&self, config: &Config, today: jiff::civil::Date) -> Vec<(String, Unshown)> {
        let current = config.roster.consent_version;
        let mut out: Vec<(String, Unshown)> = self
            .entries
            .iter()
            .filter_map(|e| {
                Consent::unshown(e.consent.as_ref(), today, current).map(|u| (e.id.clone(), u))
            })
            .collect();
        out.sort();
        out
    }

    /// Whether an entry with this id exists (consenting or not): for
    /// validating `roster_id` in interviews without exposing data.
    pub fn contains(&self, id: &str) -> bool {
        self.ids.contains_key(id)
    }

    /// The ids alone (the entries are dropped).
    pub fn into_ids(self) -> Ids {
        // Freeing 33k entries takes tens of milliseconds on one core: on a
        // pool thread, off the build's path.
        let entries = self.entries;
        rayon::spawn(move || drop(entries));
        Ids(self.ids)
    }

    /// THE consent filter: the only way personal data leaves this module.
    /// Consent counts from its `given` day: on `today` (the build's "now"),
    /// a later date is not given yet.
    pub fn publishable(&self, config: &Config, today: jiff::civil::Date) -> Publishable {
        use rayon::prelude::*;
        let current = config.roster.consent_version;
        // Each entry's two views, in parallel (in entry order).
        type Views = (
            Option<PublicPerson>,
            Option<MemberPerson>,
            [Option<String>; 4],
        );
        let views: Vec<Views> = self
            .entries
            .par_iter()
            .map(|e| {
                let Some(c) = &e.consent else {
                    return (None, None, Default::default());
                };
                if !c.holds(today, current) {
                    return (None, None, Default::default());
                }
                // Counted: public or stats consent, never members alone.
                let counted = e.stats_values(|f| c.public.contains(f) || c.stats.contains(f));
                let pv = e.view(|f| c.public.contains(f));
                // Listed publicly only with a public name: an entry without one
                // would identify nobody (and only its id would show).
                let pv = pv.display_name().is_some().then_some(pv);
                // Members see anyone with at least one consented field, named or
                // not (the members payload never carries ids, which are often
                // derived from names: see `directory`).
                let mv = e.view(|f| c.public.contains(f) || c.members.contains(f));
                let mv = mv.has_any_field().then_some(mv);
                (pv, mv, counted)
            })
            .collect();
        let mut public = Vec::with_capacity(views.len());
        let mut members = Vec::with_capacity(views.len());
        let mut stats = AlumniCounts::default();
        for (pv, mv, counted) in views {
            public.extend(pv);
            members.extend(mv);
            for (map, v) in stats.fields.iter_mut().zip(counted) {
                if let Some(v) = v {
                    *map.entry(v).or_default() += 1;
                }
            }
        }
        // Ids are unique, so the order is total.
        rayon::join(
            || public.par_sort_by_cached_key(|p| (p.sort_key(), p.id.clone())),
            || members.par_sort_by_cached_key(|p| (p.sort_key(), p.id.clone())),
        );
        let public_index = public
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        Publishable {
            public,
            members,
            stats,
            page_size: PAGE_SIZE,
            public_index,
        }
    }

    /// People whose consent is for an older notice than `roster.consent_version`.
    pub fn stale_consents(&self, config: &Config) -> Vec<StaleConsent> {
        let current = config.roster.consent_version;
        let mut out: Vec<StaleConsent> = self
            .entries
            .iter()
            .filter_map(|e| {
                let c = e.consent.as_ref()?;
                (c.given.is_some() && !c.withdrawn && c.version < current).then(|| StaleConsent {
                    id: e.id.clone(),
                    name: e.name.clone().or_else(|| e.name_en.clone()),
                    version: c.version,
                })
            })
            .collect();
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    }
}

impl Entry {
    /// The entry with only the fields `allowed` returns true for.
    fn view(&self, allowed: impl Fn(&str) -> bool) -> PersonView {
        fn pick<T: Clone>(ok: bool, v: &Option<T>) -> Option<T> {
            if ok {
                v.clone()
            } else {
                None
            }
        }
        PersonView {
            id: self.id.clone(),
            name: pick(allowed("name"), &self.name),
            name_en: pick(allowed("name_en"), &self.name_en),
            reading: pick(allowed("reading"), &self.reading),
            joined: pick(allowed("joined"), &self.joined),
            left: pick(allowed("left"), &self.left),
            department: pick(allowed("department"), &self.department),
            now: pick(allowed("now"), &self.now),
            location: pick(allowed("location"), &self.location),
            skills: if allowed("skills") {
                self.skills.clone()
            } else {
                Vec::new()
            },
            links: if allowed("links") {
                self.links.clone()
            } else {
                BTreeMap::new()
            },
            email: pick(allowed("email"), &self.email),
            message: pick(allowed("message"), &self.message),
        }
    }
}

// ---------------------------------------------------------------------------
// Loading and validation
// ---------------------------------------------------------------------------

/// Parse and validate `<root>/data/roster.yaml` (missing file = empty roster).
/// All errors at once, each naming `data/roster.yaml`, line (and column where
/// known) and the entry id.
pub fn load(root: &Path, config: &Config) -> Result<Roster, Vec<Diagnostic>> {
    let shown = PathBuf::from(ROSTER_PATH);
    let bytes = match Jail::site(root).read(&shown) {
        Ok(Read::Bytes(b)) => b,
        Ok(Read::Missing) => return Ok(Roster::default()),
        // A link out of the site or a FIFO: no roster, and a warning.
        Ok(Read::Skipped(w)) => {
            return Ok(Roster {
                warnings: vec![w],
                ..Roster::default()
            })
        }
        Err(e) => return Err(vec![e]),
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let upto = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..upto].iter().filter(|b| **b == b'\n').count() + 1;
            return Err(vec![Diagnostic::error(
                &shown,
                "not valid UTF-8 (save the file as UTF-8; `enishi roster import` converts Shift_JIS CSV)",
            )
            .at_line(Some(line))]);
        }
    };
    parse(&text, &shown, config)
}

/// One list item after parsing and validation.
// Nearly every item is `Parsed`: boxing it would add an allocation each.
#[allow(clippy::large_enum_variant)]
enum Item {
    /// A YAML error in the item.
    Broken(Diagnostic),
    /// Parsed: its first line, and the entry (with its warning) or its errors.
    Parsed(usize, Result<(Entry, Option<Diagnostic>), Vec<Diagnostic>>),
}

/// Parse the text of a roster file.
pub fn parse(text: &str, shown: &Path, config: &Config) -> Result<Roster, Vec<Diagnostic>> {
    use rayon::prelude::*;
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    long_line(body, shown)?;
    let spans = item_spans(body);
    let items: Vec<Item> = if block_list(body, spans.first().map(|s| s.0)) {
        // Items in batches (one YAML parse per batch, not per item), each
        // batch in parallel; validation happens in the same pass.
        let batches: Vec<&[(usize, usize, usize)]> = spans.chunks(BATCH).collect();
        let per_batch: Vec<Vec<Item>> = batches
            .into_par_iter()
            .map(|b| parse_batch(body, b, shown, config))
            .collect();
        per_batch.into_iter().flatten().collect()
    } else {
        let (raws, errors) = parse_whole(body, shown);
        errors
            .into_iter()
            .map(Item::Broken)
            .chain(
                raws.iter()
                    .map(|(raw, start, chunk)| checked(raw, *start, chunk, shown, config)),
            )
            .collect()
    };
    // Syntax errors first, then validation errors, as they come in the file.
    let mut errors = Vec::new();
    let mut parsed = Vec::with_capacity(items.len());
    for it in items {
        match it {
            Item::Broken(d) => errors.push(d),
            Item::Parsed(start, r) => parsed.push((start, r)),
        }
    }
    let mut entries = Vec::with_capacity(parsed.len());
    let mut warnings = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(parsed.len());
    for (start, r) in parsed {
        match r {
            Ok((e, warning)) => {
                warnings.extend(warning);
                if let Some(first) = seen.get(&e.id) {
                    errors.push(
                        Diagnostic::error(
                            shown,
                            format!(
                                "duplicate id `{}` (first used on line {first}): ids must be unique",
                                e.id
                            ),
                        )
                        .at_line(Some(start)),
                    );
                } else {
                    seen.insert(e.id.clone(), start);
                    entries.push(e);
                }
            }
            Err(es) => errors.extend(es),
        }
    }
    if errors.is_empty() {
        Ok(Roster {
            entries,
            warnings,
            file: shown.to_path_buf(),
            ids: seen,
        })
    } else {
        errors.sort_by(|a, b| (a.line, a.col, &a.message).cmp(&(b.line, b.col, &b.message)));
        Err(errors)
    }
}

/// List items parsed with one YAML parse.
const BATCH: usize = 64;

/// Validate one parsed item; `chunk` is its text (for lines of keys).
fn checked(raw: &RawEntry, start: usize, chunk: &str, shown: &Path, config: &Config) -> Item {
    let located = Located {
        shown,
        chunk,
        start,
    };
    Item::Parsed(
        start,
        validate(raw, &located, config).map(|e| {
            let warning = e.consent.as_ref().and_then(|c| {
                (c.given.is_none() && (!c.public.is_empty() || !c.members.is_empty() || !c.stats.is_empty())).then(|| {
                    located.warn(
                        &e.id,
                        "consent",
                        "`consent` lists fields but has no `given` date: treated as no consent, so this person is published nowhere (add `given: YYYY-MM-DD`)",
                    )
                })
            });
            (e, warning)
        }),
    )
}

/// Parse one item on its own: the item's errors name its line and id.
fn parse_item(start: usize, chunk: &str, shown: &Path, config: &Config) -> Item {
    if let Err(d) = limits::yaml_limits(shown, chunk, start - 1, None) {
        return Item::Broken(d);
    }
    match serde_yaml_ng::from_str::<Vec<RawEntry>>(chunk) {
        Ok(mut v) if v.len() == 1 => match v.pop() {
            Some(r) => checked(&r, start, chunk, shown, config),
            None => Item::Broken(Diagnostic::error(shown, "empty list item").at_line(Some(start))),
        },
        Ok(_) => Item::Broken(
            Diagnostic::error(shown, "expected one person per list item").at_line(Some(start)),
        ),
        Err(e) => {
            let mut d = from_yaml_error(shown, &e, start - 1);
            d.message = chunk_error_message(&e, chunk_id(chunk).as_deref());
            if d.line.is_none() {
                d = d.at_line(Some(start));
            }
            Item::Broken(d)
        }
    }
}

/// Parse consecutive items. When every item's text is the file's text as
/// is (no `\r`, ends with a line break) and there are no aliases (`*`,
/// which could refer to another item's anchor) and no tabs (`-<tab>`
/// starts a list item that [`item_spans`] does not split at): each item
/// without a YAML parser if all are of the plain shape ([`plain::entry`]),
/// else their text as one list if it has exactly one entry per item.
/// Otherwise (and on any error) each item is parsed alone, as
/// [`parse_item`] does.
fn parse_batch(
    body: &str,
    spans: &[(usize, usize, usize)],
    shown: &Path,
    config: &Config,
) -> Vec<Item> {
    let chunks: Vec<Cow<'_, str>> = spans.iter().map(|s| item_text(body, s)).collect();
    if let (Some(first), Some(last)) = (spans.first(), spans.last()) {
        let whole = &body[first.1..last.2];
        let plain = chunks.iter().all(|c| matches!(c, Cow::Borrowed(_)))
            && !whole.bytes().any(|b| b == b'*' || b == b'\t');
        if plain {
            // Items of the usual shape need no YAML parser at all.
            let raws = chunks
                .iter()
                .map(|c| plain::entry(c))
                .collect::<Option<Vec<RawEntry>>>()
                .or_else(|| {
                    limits::check_yaml(whole, None).is_none().then_some(())?;
                    serde_yaml_ng::from_str::<Vec<RawEntry>>(whole)
                        .ok()
                        .filter(|raws| raws.len() == spans.len())
                });
            if let Some(raws) = raws {
                return raws
                    .iter()
                    .zip(spans.iter().zip(&chunks))
                    .map(|(raw, (s, chunk))| checked(raw, s.0, chunk, shown, config))
                    .collect();
            }
        }
    }
    spans
        .iter()
        .zip(&chunks)
        .map(|(s, chunk)| parse_item(s.0, chunk, shown, config))
        .collect()
}

/// Whether `text` is a plain block list: it has items, and nothing but
/// blank lines, comments and `---` before the first (`first` line).
fn block_list(text: &str, first: Option<usize>) -> bool {
    let Some(first) = first else {
        return false;
    };
    text.lines().take(first.saturating_sub(1)).all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---"
    })
}

/// The items of a block sequence as (first line 1-based, start, end) byte
/// ranges of `text`. An item starts at a `- ` line at the indentation of
/// the first one; block scalars are indented deeper, so they cannot start
/// an item.
fn item_spans(text: &str) -> Vec<(usize, usize, usize)> {
    let mut indent: Option<usize> = None;
    let mut items: Vec<(usize, usize, usize)> = Vec::new();
    let mut pos = 0;
    // `str::lines`, with the offset of each line.
    for (i, seg) in text.split_inclusive('\n').enumerate() {
        let line = match seg.strip_suffix('\n') {
            Some(l) => l.strip_suffix('\r').unwrap_or(l),
            None => seg,
        };
        let trimmed = line.trim_start_matches(' ');
        let ind = line.len() - trimmed.len();
        let is_item =
            (trimmed.starts_with("- ") || trimmed == "-") && indent.is_none_or(|n| n == ind);
        if is_item && indent.is_none() {
            indent = Some(ind);
        }
        if is_item {
            if let Some(last) = items.last_mut() {
                last.2 = pos;
            }
            items.push((i + 1, pos, text.len()));
        }
        pos += seg.len();
    }
    items
}

/// The text [`split_items`] gives an item: its lines, each ending in `\n`
/// (borrowed from `text` when that is the same).
fn item_text<'a>(text: &'a str, span: &(usize, usize, usize)) -> Cow<'a, str> {
    let slice = &text[span.1..span.2];
    if slice.ends_with('\n') && !slice.contains('\r') {
        return Cow::Borrowed(slice);
    }
    let mut buf = String::with_capacity(slice.len() + 1);
    for line in slice.lines() {
        buf.push_str(line);
        buf.push('\n');
    }
    Cow::Owned(buf)
}

/// Parse into raw entries, each with its first line (1-based) and its text.
/// Errors of different entries are all reported.
pub(crate) fn parse_raw(
    text: &str,
    shown: &Path,
) -> (Vec<(RawEntry, usize, String)>, Vec<Diagnostic>) {
    use rayon::prelude::*;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Err(d) = long_line(text, shown) {
        return (Vec::new(), d);
    }
    let chunks = split_items(text);
    if !block_list(text, chunks.first().map(|(l, _)| *l)) {
        return parse_whole(text, shown);
    }
    // Each item on its own (in parallel): every broken entry is reported,
    // with lines of the whole file.
    let parsed: Vec<Result<(RawEntry, usize, String), Diagnostic>> = chunks
        .into_par_iter()
        .map(|(start, chunk)| {
            limits::yaml_limits(shown, &chunk, start - 1, None)?;
            match serde_yaml_ng::from_str::<Vec<RawEntry>>(&chunk) {
                Ok(mut v) if v.len() == 1 => match v.pop() {
                    Some(r) => Ok((r, start, chunk)),
                    None => Err(Diagnostic::error(shown, "empty list item").at_line(Some(start))),
                },
                Ok(_) => Err(
                    Diagnostic::error(shown, "expected one person per list item")
                        .at_line(Some(start)),
                ),
                Err(e) => {
                    let mut d = from_yaml_error(shown, &e, start - 1);
                    d.message = chunk_error_message(&e, chunk_id(&chunk).as_deref());
                    if d.line.is_none() {
                        d = d.at_line(Some(start));
                    }
                    Err(d)
                }
            }
        })
        .collect();
    let mut out = Vec::with_capacity(parsed.len());
    let mut errors = Vec::new();
    for r in parsed {
        match r {
            Ok(x) => out.push(x),
            Err(d) => errors.push(d),
        }
    }
    (out, errors)
}

/// Files that are not a plain block list (empty, a mapping, a flow list):
/// parse as a whole; only the first error has a location then.
fn parse_whole(text: &str, shown: &Path) -> (Vec<(RawEntry, usize, String)>, Vec<Diagnostic>) {
    if let Err(d) = limits::yaml_limits(shown, text, 0, None) {
        return (Vec::new(), vec![d]);
    }
    let whole: Value = match serde_yaml_ng::from_str(text) {
        Ok(v) => v,
        Err(e) => return (Vec::new(), vec![whole_file_error(shown, &e)]),
    };
    match whole {
        Value::Null => (Vec::new(), Vec::new()),
        Value::Sequence(_) => match serde_yaml_ng::from_str::<Vec<RawEntry>>(text) {
            Ok(v) => (
                v.into_iter().map(|r| (r, 1, String::new())).collect(),
                Vec::new(),
            ),
            Err(e) => (Vec::new(), vec![whole_file_error(shown, &e)]),
        },
        _ => (
            Vec::new(),
            vec![Diagnostic::error(
                shown,
                "expected a list of people (each item starting with `- id: …`)",
            )
            .at(1, 1)],
        ),
    }
}

/// The error for the first line of `text` longer than
/// [`limits::MAX_ROSTER_LINE`] (a search for line breaks, not a scan).
fn long_line(text: &str, shown: &Path) -> Result<(), Vec<Diagnostic>> {
    match text
        .split('\n')
        .position(|l| l.len() > limits::MAX_ROSTER_LINE)
    {
        None => Ok(()),
        Some(i) => Err(vec![Diagnostic::error(
            shown,
            format!(
                "line is longer than {}, the limit for one line of the roster: shorten the value",
                limits::size(limits::MAX_ROSTER_LINE as u64)
            ),
        )
        .at(i + 1, 1)]),
    }
}

/// A YAML error of the whole file, without the value it may quote.
fn whole_file_error(shown: &Path, e: &serde_yaml_ng::Error) -> Diagnostic {
    let mut d = from_yaml_error(shown, e, 0);
    d.message = redact_values(&d.message);
    d
}

/// Split a block sequence into its items ([`item_spans`]): (first line
/// 1-based, item text, each line ending in `\n`).
pub(crate) fn split_items(text: &str) -> Vec<(usize, String)> {
    item_spans(text)
        .iter()
        .map(|span| (span.0, item_text(text, span).into_owned()))
        .collect()
}

/// "entry `id`: in `consent`: unknown key `x`: did you mean …" from a serde
/// error such as ".[0].consent: unknown field `x`, expected one of …".
fn chunk_error_message(e: &serde_yaml_ng::Error, id: Option<&str>) -> String {
    let raw = e.to_string();
    let raw = match raw.find(" at line ") {
        Some(i) => &raw[..i],
        None => raw.as_str(),
    };
    let (path, msg) = match raw.strip_prefix(".[0]") {
        Some(rest) => match rest.split_once(": ") {
            Some((p, m)) => (p.trim_start_matches('.'), m),
            None => ("", rest),
        },
        None => ("", raw),
    };
    let mut out = String::new();
    if let Some(id) = id {
        out.push_str(&format!("entry `{id}`: "));
    }
    if !path.is_empty() {
        out.push_str(&format!("in `{path}`: "));
    }
    out.push_str(&redact_values(&crate::core::diag::improve_serde_message(
        msg,
    )));
    out
}

/// A parser message without the value it quotes: serde's `invalid type:
/// string "…", expected …` keeps only the kind (`string`), so that no
/// roster value reaches a (CI) log.
pub(crate) fn redact_values(msg: &str) -> String {
    for marker in ["invalid type: ", "invalid value: "] {
        let Some(at) = msg.find(marker) else { continue };
        let found_start = at + marker.len();
        let rest = &msg[found_start..];
        let (found, expected) = match rest.find(", expected ") {
            Some(e) => (&rest[..e], &rest[e..]),
            None => (rest, ""),
        };
        let kind = found
            .split(['"', '`', '\''])
            .next()
            .unwrap_or_default()
            .trim();
        return format!("{}{kind}{expected}", &msg[..found_start]);
    }
    msg.to_string()
}

/// The id of an item, if it is a valid one (an invalid id is never quoted).
fn chunk_id(chunk: &str) -> Option<String> {
    chunk.lines().find_map(|l| {
        let t = l.trim_start().trim_start_matches("- ").trim_start();
        let v = t.strip_prefix("id:")?.trim();
        let v = v.trim_matches(|c| c == '"' || c == '\'');
        is_valid_id(v).then(|| v.to_string())
    })
}

struct Located<'a> {
    shown: &'a Path,
    chunk: &'a str,
    start: usize,
}

impl Located<'_> {
    /// Line and column (of the file) of `key:` inside this entry, else the
    /// entry start. Several keys may be given, most specific first (`x`,
    /// `links`).
    fn pos(&self, keys: &str) -> (usize, usize) {
        keys.split('|')
            .find_map(|k| {
                let l = crate::core::diag::line_of_key(self.chunk, k)?;
                let text = self.chunk.lines().nth(l - 1)?;
                let col = text.find(k).map_or(1, |b| text[..b].chars().count() + 1);
                Some((l + self.start - 1, col))
            })
            .unwrap_or((self.start, 1))
    }
    fn warn(&self, id: &str, key: &str, msg: impl std::fmt::Display) -> Diagnostic {
        let (line, col) = self.pos(key);
        Diagnostic::warning(self.shown, format!("entry `{id}`: {msg}")).at(line, col)
    }
    fn err(&self, id: &str, key: &str, msg: impl std::fmt::Display) -> Diagnostic {
        let (line, col) = self.pos(key);
        Diagnostic::error(self.shown, format!("entry `{id}`: {msg}")).at(line, col)
    }
}

/// A valid id: ASCII lowercase letters, digits, `-` and `_`, starting with a
/// letter or digit (safe in URLs and as an HTML id).
pub fn is_valid_id(id: &str) -> bool {
    id.chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && id.len() <= 100
}

/// `http://`, `https://` or `mailto:` with something after it, no spaces
/// or control characters.
pub fn is_allowed_link(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let rest = ["https://", "http://", "mailto:"]
        .iter()
        .find_map(|p| lower.strip_prefix(p));
    match rest {
        Some(r) => {
            !r.is_empty()
                && !url.chars().any(|c| c.is_whitespace() || c.is_control())
                && (!lower.starts_with("mailto:") || is_valid_email(&url[7..]))
        }
        None => false,
    }
}

/// Pragmatic e-mail syntax: one `@`, a non-empty local part without spaces,
/// and a domain with a dot, made of letters, digits, `-` and `.`.
pub fn is_valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    local_ok && domain_ok
}

/// `2012`, `2012-04` or `2012-04-01` (YAML integer or string).
fn parse_year(v: &Value) -> Option<YearValue> {
    let text = match v {
        Value::Number(n) => n.as_u64()?.to_string(),
        Value::String(s) => s.trim().to_string(),
        _ => return None,
    };
    let parts: Vec<&str> = text.split('-').collect();
    let year: i16 = match parts.first() {
        Some(y) if y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) => y.parse().ok()?,
        _ => return None,
    };
    if !(1900..=2200).contains(&year) {
        return None;
    }
    match parts.len() {
        1 => {}
        2 => {
            let m: u8 = parts[1].parse().ok()?;
            if parts[1].len() != 2 || !(1..=12).contains(&m) {
                return None;
            }
        }
        3 => {
            parse_date(&Value::String(text.clone()))?;
        }
        _ => return None,
    }
    Some(YearValue { year, text })
}

/// A calendar date `YYYY-MM-DD`.
fn parse_date(v: &Value) -> Option<jiff::civil::Date> {
    match v {
        Value::String(s) => s.trim().parse::<jiff::civil::Date>().ok(),
        _ => None,
    }
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

fn validate(raw: &RawEntry, at: &Located<'_>, config: &Config) -> Result<Entry, Vec<Diagnostic>> {
    let mut errs = Vec::new();
    let id = match &raw.id {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    // An invalid id may be anything (a name, an address): never quoted.
    let idd = if is_valid_id(&id) { id.as_str() } else { "?" };
    if id.is_empty() {
        errs.push(at.err(
            idd,
            "id",
            "missing `id`: every person needs a unique, stable id such as `tanaka-hanako`",
        ));
    } else if !is_valid_id(&id) {
        errs.push(at.err(
            idd,
            "id",
            "invalid `id`: expected lowercase ASCII letters, digits, `-` and `_` (e.g. `tanaka-hanako`), at most 100; ids appear in URLs",
        ));
    }
    let year = |key: &str, v: &Option<Value>, errs: &mut Vec<Diagnostic>| -> Option<YearValue> {
        let v = v.as_ref()?;
        if v.is_null() {
            return None;
        }
        let y = parse_year(v);
        if y.is_none() {
            errs.push(at.err(
                idd,
                key,
                format!(
                    "`{key}` is not a year: expected a year (2012), year-month (2012-04) or date (2012-04-01) from 1900 to 2200"
                ),
            ));
        }
        y
    };
    let joined = year("joined", &raw.joined, &mut errs);
    let left = year("left", &raw.left, &mut errs);
    if let (Some(j), Some(l)) = (&joined, &left) {
        // Same precision compares as text (ISO order); otherwise by year.
        let before = if l.text.len() == j.text.len() {
            l.text < j.text
        } else {
            l.year < j.year
        };
        if before {
            errs.push(at.err(idd, "left", "`left` is before `joined`: check both dates"));
        }
    }
    let email = non_empty(&raw.email);
    if let Some(e) = &email {
        if !is_valid_email(e) {
            errs.push(at.err(
                idd,
                "email",
                "invalid `email`: expected one address such as name@example.com (no spaces, one `@`, a domain with a dot)",
            ));
        }
    }
    let mut links = BTreeMap::new();
    for (k, v) in raw.links.iter().flatten().take(limits::MAX_PERSON_LIST + 1) {
        let v = v.trim();
        if !is_allowed_link(v) {
            errs.push(at.err(
                idd,
                &format!("{k}|links"),
                format!(
                    "invalid link `links.{k}`: only http://, https:// and mailto: links are allowed (no spaces)"
                ),
            ));
        } else {
            links.insert(k.clone(), v.to_string());
        }
    }
    for (key, n) in [
        ("skills", raw.skills.as_ref().map_or(0, Vec::len)),
        ("links", raw.links.as_ref().map_or(0, BTreeMap::len)),
    ] {
        if n > limits::MAX_PERSON_LIST {
            errs.push(at.err(
                idd,
                key,
                format!(
                    "`{key}` has {n} items, more than the limit of {}: keep the most important ones",
                    limits::MAX_PERSON_LIST
                ),
            ));
        }
    }
    let mut skills: Vec<String> = Vec::new();
    for s in raw
        .skills
        .iter()
        .flatten()
        .take(limits::MAX_PERSON_LIST + 1)
    {
        let s = s.trim();
        if !s.is_empty() && !skills.iter().any(|x| x == s) {
            skills.push(s.to_string());
        }
    }
    let consent = raw
        .consent
        .as_ref()
        .and_then(|c| consent::validate(c, at, idd, config, &mut errs));
    let now = raw.now.as_ref().and_then(|n| {
        let n = Now {
            company: non_empty(&n.company),
            role: non_empty(&n.role),
        };
        (n.company.is_some() || n.role.is_some()).then_some(n)
    });
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(Entry {
        id,
        name: non_empty(&raw.name),
        name_en: non_empty(&raw.name_en),
        reading: non_empty(&raw.reading),
        joined,
        left,
        department: non_empty(&raw.department),
        now,
        location: non_empty(&raw.location),
        skills,
        links,
        email,
        message: non_empty(&raw.message),
        consent,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The day the tests' roster is published on.
    pub(crate) fn today() -> jiff::civil::Date {
        jiff::civil::date(2026, 11, 22)
    }

    pub(crate) fn config(extra: &str) -> Config {
        crate::config::parse(
            &format!("title: T\nbase_url: https://a.example\n{extra}"),
            Path::new("site.yaml"),
            None,
        )
        .unwrap()
    }

    const ONE: &str = "\
- id: tanaka-hanako
  name: 田中 花子
  reading: タナカ ハナコ
  email: hanako@example.com
  now: { company: ミライ, role: CTO }
  consent:
    given: 2026-04-01
    public: [name, reading, now]
    members: [email]
- id: no-consent
  name: 秘密
- id: withdrawn
  name: 撤回
  consent: { given: 2026-01-01, public: [name], withdrawn: 2026-02-01 }
- id: empty
  name: 空
  consent: {}
- id: nullc
  consent: null
";

    #[test]
    fn filter_is_default_deny() {
        let c = config("");
        let r = parse(ONE, Path::new(ROSTER_PATH), &c).unwrap();
        assert_eq!(r.len(), 5);
        let p = r.publishable(&c, today());
        assert_eq!(p.public().len(), 1);
        let t = &p.public()[0];
        assert_eq!(t.id, "tanaka-hanako");
        assert_eq!(t.email, None);
        assert_eq!(t.now.as_ref().unwrap().company.as_deref(), Some("ミライ"));
        assert_eq!(p.members().len(), 1);
        assert_eq!(p.members()[0].email.as_deref(), Some("hanako@example.com"));
        assert_eq!(
            p.public_entry_path("tanaka-hanako").as_deref(),
            Some("/alumni/#tanaka-hanako")
        );
        assert_eq!(p.public_entry_path("no-consent"), None);
        let c2 = config("");
        let c2 = Config {
            base_url: "https://x.example/portal".into(),
            ..c2
        };
        assert_eq!(
            p.public_entry_href("tanaka-hanako", &c2).as_deref(),
            Some("/portal/alumni/#tanaka-hanako")
        );
        let s = p.search_entries();
        assert_eq!(s.len(), 1);
        assert!(!s[0].2.contains("hanako@"));
    }

    #[test]
    fn older_version_unpublished_and_listed() {
        let c = config("roster: { consent_version: 2 }\n");
        let r = parse(ONE, Path::new(ROSTER_PATH), &c).unwrap();
        assert!(r.publishable(&c, today()).public().is_empty());
        let stale = r.stale_consents(&c);
        assert_eq!(stale.len(), 1);
        assert_eq!(stale[0].id, "tanaka-hanako");
        assert_eq!(stale[0].version, 1);
    }

    #[test]
    fn all_errors_with_lines_and_ids() {
        let text = "\
- id: a
  name: A
  emial: a@example.com
- id: b
  links: { x: \"javascript:alert(1)\" }
  email: not-an-email
- id: a
  joined: 20x2
- id: c
  consent: { given: 2026-13-01, public: [nmae] }
";
        let c = config("");
        let e = parse(text, Path::new(ROSTER_PATH), &c).unwrap_err();
        let all: Vec<String> = e.iter().map(|d| d.to_string()).collect();
        let joined = all.join("\n");
        assert!(
            joined.contains(
                "data/roster.yaml:3:3: entry `a`: unknown key `emial`: did you mean `email`?"
            ),
            "{joined}"
        );
        assert!(
            joined.contains("data/roster.yaml:5:3: entry `b`: invalid link `links.x`"),
            "{joined}"
        );
        assert!(!joined.contains(".[0]"), "{joined}");
        assert!(
            joined.contains(":6:3: entry `b`: invalid `email`"),
            "{joined}"
        );
        assert!(joined.contains(":8:3: entry `a`: `joined` is"), "{joined}");
        for value in ["not-an-email", "javascript", "20x2", "2026-13-01"] {
            assert!(!joined.contains(value), "quotes {value}: {joined}");
        }
        assert!(joined.contains("entry `c`: `consent.given`"), "{joined}");
        assert!(joined.contains("did you mean `name`?"), "{joined}");
        assert_eq!(e.len(), 6, "{joined}");
    }

    #[test]
    fn consent_without_date_warns() {
        let c = config("");
        let r = parse(
            "- id: a\n  name: A\n  consent:\n    public: [name]\n- id: b\n  consent: {public: [], members: []}\n",
            Path::new(ROSTER_PATH),
            &c,
        )
        .unwrap();
        assert!(r.publishable(&c, today()).public().is_empty());
        assert_eq!(r.warnings(today()).len(), 1);
        assert!(
            r.warnings(today())[0]
                .to_string()
                .starts_with("warning: data/roster.yaml:3:3: entry `a`: `consent` lists fields"),
            "{}",
            r.warnings(today())[0]
        );
    }

    #[test]
    fn year_precision() {
        let c = config("");
        assert!(parse(
            "- id: a\n  joined: 2012-04\n  left: 2012\n",
            Path::new(ROSTER_PATH),
            &c
        )
        .is_ok());
        assert!(parse(
            "- id: a\n  joined: 2012-04\n  left: 2012-03\n",
            Path::new(ROSTER_PATH),
            &c
        )
        .is_err());
        assert!(parse(
            "- id: a\n  joined: 2013\n  left: 2012-12\n",
            Path::new(ROSTER_PATH),
            &c
        )
        .is_err());
    }

    #[test]
    fn entries_on_later_pages() {
        let c = config("");
        let mut text = String::new();
        for i in 0..120 {
            text.push_str(&format!(
                "- id: p{i:03}\n  name: N\n  reading: よみ{i:03}\n  consent: {{ given: 2026-01-01, public: [name, reading] }}\n"
            ));
        }
        let p = parse(&text, Path::new(ROSTER_PATH), &c)
            .unwrap()
            .publishable(&c, today());
        assert_eq!(
            p.public_entry_path("p000").as_deref(),
            Some("/alumni/#p000")
        );
        assert_eq!(
            p.public_entry_path("p050").as_deref(),
            Some("/alumni/page/2/#p050")
        );
        assert_eq!(
            p.public_entry_path("p119").as_deref(),
            Some("/alumni/page/3/#p119")
        );
        let (pages, _, _) = crate::outputs::directory::outputs(&p, &c, &Default::default(), None);
        let paths: Vec<&str> = pages.iter().map(|h| h.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "/alumni/",
                "/alumni/page/2/",
                "/alumni/page/3/",
                "/alumni/stats/",
                "/members/"
            ]
        );
        assert_eq!(
            pages[2].vars["alumni"]["people"].as_array().unwrap().len(),
            20
        );
    }

    #[test]
    fn duplicate_ids() {
        let c = config("");
        let e = parse("- id: a\n- id: a\n", Path::new(ROSTER_PATH), &c).unwrap_err();
        assert!(
            e[0].to_string().contains(":2:1: duplicate id `a`"),
            "{}",
            e[0]
        );
    }

    #[test]
    fn syntax_error_located() {
        let c = config("");
        let e = parse("- id: a\n  name: [x\n", Path::new(ROSTER_PATH), &c).unwrap_err();
        assert_eq!(e.len(), 1);
        assert!(e[0].line.is_some());
    }

    /// The parse before batching: each item parsed alone, then validated.
    fn parse_item_by_item(text: &str, shown: &Path, config: &Config) -> String {
        let (raws, mut errors) = parse_raw(text, shown);
        let mut entries = Vec::new();
        let mut warnings = Vec::new();
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for (raw, start, chunk) in &raws {
            let located = Located {
                shown,
                chunk,
                start: *start,
            };
            match validate(raw, &located, config) {
                Ok(e) => {
                    if let Some(c) = &e.consent {
                        if c.given.is_none() && (!c.public.is_empty() || !c.members.is_empty()) {
                            warnings.push(located.warn(&e.id, "consent", "`consent` lists fields but has no `given` date: treated as no consent, so this person is published nowhere (add `given: YYYY-MM-DD`)"));
                        }
                    }
                    if let Some(first) = seen.get(&e.id) {
                        errors.push(
                            Diagnostic::error(
                                shown,
                                format!("duplicate id `{}` (first used on line {first}): ids must be unique", e.id),
                            )
                            .at_line(Some(*start)),
                        );
                    } else {
                        seen.insert(e.id.clone(), *start);
                        entries.push(e);
                    }
                }
                Err(es) => errors.extend(es),
            }
        }
        if errors.is_empty() {
            format!("{entries:?}\n{warnings:?}")
        } else {
            errors.sort_by(|a, b| (a.line, a.col, &a.message).cmp(&(b.line, b.col, &b.message)));
            format!("{errors:?}")
        }
    }

    fn shown_parse(text: &str, config: &Config) -> String {
        match parse(text, Path::new(ROSTER_PATH), config) {
            Ok(r) => {
                for e in &r.entries {
                    assert!(r.contains(&e.id));
                }
                assert_eq!(r.ids.len(), r.entries.len());
                format!("{:?}\n{:?}", r.entries, r.warnings)
            }
            Err(e) => format!("{e:?}"),
        }
    }

    const PIECES: [&str; 40] = [
        "- id: a",
        "- id: b",
        "- id: c\r",
        "  name: X",
        "  name: \"q",
        "  still quoted\"",
        "- &anc id: d",
        "  joined: *anc",
        "  left: 2001",
        "  joined: 2012-04",
        "\t- id: t",
        "-\tid: t2",
        "---",
        "...",
        "  skills: [x,",
        "- y]",
        "  skills: [Go, \"M&A\"]",
        "  consent: { given: 2026-01-01, public: [name] }",
        "  consent:",
        "    public: [name, nmae]",
        "    given: 2026-04-01",
        "# comment",
        "",
        "  - id: nested",
        "-",
        "  message: |",
        "    - id: inside",
        "  emial: x@example.com",
        "  email: x@example.com",
        "- id: Bad Id",
        "- id: 42",
        "  links: { x: \"javascript:alert(1)\" }",
        "  now: { company: C, role: R }",
        "- - id: e",
        "id: top",
        "  name: &n N",
        "  reading: *n",
        "- id: a\r",
        "%TAG ! tag:x,2000:",
        "  <<: { name: M }",
    ];

    #[test]
    fn batched_parse_edge_cases() {
        let c = config("");
        let ok = "- id: p\n  name: P\n";
        for t in [
            // An alias to another item's anchor.
            "- &anc id: d\n- id: e\n  joined: *anc\n",
            "- id: d\n  name: &n N\n- id: e\n  reading: *n\n",
            // A quoted scalar or flow list running into the next item.
            "- id: a\n  name: \"q\n- id: b\n  still quoted\"\n",
            "- id: a\n  skills: [x,\n- y]\n",
            // Items the split does not see, or sees where YAML does not.
            "- id: a\n-\tid: b\n",
            "- id: a\n  message: |\n    - id: inside\n- id: b\n",
            "- id: a\n---\n- id: b\n",
            "- id: a\n...\n- id: b\n",
            "- id: a\n-\n- id: b\n",
            "- id: a\nid: top\n- id: b\n",
            "  - id: a\n- id: b\n",
            // Carriage returns, no final line break.
            "- id: a\r\n  name: A\r\n- id: b\r\n",
            "- id: a\n  name: A",
            "- id: a\n  name: A\r",
        ] {
            for text in [t.to_string(), format!("{ok}{t}"), format!("{t}\n{ok}")] {
                assert_eq!(
                    shown_parse(&text, &c),
                    parse_item_by_item(&text, Path::new(ROSTER_PATH), &c),
                    "{text:?}"
                );
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn batched_parse_is_item_by_item(
            picks in proptest::collection::vec((0usize..40, 0usize..100), 0..160),
            odd in 0usize..100,
            palette in proptest::collection::vec(0usize..40, 1..4),
            newline_end in proptest::bool::ANY,
        ) {
            let mut text = String::new();
            for (i, (p, n)) in picks.iter().enumerate() {
                // Mostly well-formed people, some odd lines between.
                if *n >= odd {
                    text.push_str(&format!("- id: p{n}\n  name: N{n}\n  consent: {{ given: 2026-01-01, public: [name] }}"));
                } else {
                    // Odd lines of a few kinds only, so that some
                    // combinations stay valid YAML.
                    text.push_str(PIECES[palette[*p % palette.len()]]);
                }
                if i + 1 < picks.len() || newline_end {
                    text.push('\n');
                }
            }
            let c = config("");
            proptest::prop_assert_eq!(
                shown_parse(&text, &c),
                parse_item_by_item(&text, Path::new(ROSTER_PATH), &c)
            );
        }
    }

    #[test]
    fn kana_order() {
        assert_eq!(kana_key("タナカ ハナコ"), "たなかはなこ");
        assert_eq!(kana_key("ﾀﾅｶ"), "たなか");
        assert!(kana_key("あべ") < kana_key("イトウ"));
    }

    #[test]
    fn links_and_emails() {
        assert!(is_allowed_link("https://x.example/a"));
        assert!(is_allowed_link("mailto:a@b.jp"));
        assert!(!is_allowed_link("javascript:alert(1)"));
        assert!(!is_allowed_link("JAVASCRIPT:alert(1)"));
        assert!(!is_allowed_link("https://"));
        assert!(!is_allowed_link("data:text/html,x"));
        assert!(is_valid_email("onishi.takuya@example.co.jp"));
        assert!(!is_valid_email("a@b"));
        assert!(!is_valid_email("a b@c.jp"));
    }

    #[test]
    fn bench_corpus_shapes_load() {
        let text = "\
- id: x
  name: X
  skills: []
  consent: null
- id: y
  consent:
    public: []
    members: []
- id: z
  name: Z
  consent:
    given: 2020-04-14
    public: [name]
    members: []
    withdrawn: null
";
        let c = config("");
        let r = parse(text, Path::new(ROSTER_PATH), &c).unwrap();
        assert_eq!(r.publishable(&c, today()).public().len(), 1);
    }
}
