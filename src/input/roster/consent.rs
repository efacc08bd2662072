//! One person's consent (`consent:` of a roster entry): validated, and
//! what it means on a given day. Consent counts from its `given` day on:
//! a date after the build's "now" is not yet given (the person appears on
//! that day), so the answer depends on the day, and whatever keeps a
//! consent view (`serve`'s load cache) keys it by the day.

use std::collections::BTreeSet;

use jiff::civil::Date;
use serde_yaml_ng::Value;

use super::{parse_date, Located, RawConsent, FIELDS, STATS_FIELDS};
use crate::config::Config;
use crate::core::diag::Diagnostic;

#[derive(Debug, Clone)]
pub(super) struct Consent {
    pub(super) version: u32,
    pub(super) given: Option<Date>,
    /// Line and column of `given:` (or of the entry), for warnings.
    pub(super) given_pos: (usize, usize),
    pub(super) withdrawn: bool,
    pub(super) public: BTreeSet<String>,
    pub(super) members: BTreeSet<String>,
    /// Counted in `/alumni/stats/`, never shown one by one.
    pub(super) stats: BTreeSet<String>,
}

/// Why a roster entry is published nowhere (`enishi check` lists them by id).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Unshown {
    /// No `consent`, or one with neither a date nor any field.
    NoConsent,
    /// Fields listed but no `given` date.
    NoDate,
    /// `given` is after today: published from that day.
    NotYet(Date),
    /// Consent given, but to no field at any level.
    NoFields,
    /// `withdrawn` is set.
    Withdrawn,
    /// Consent to an older privacy notice than `roster.consent_version`.
    OlderNotice(u32),
}

impl Consent {
    fn lists_any(&self) -> bool {
        !self.public.is_empty() || !self.members.is_empty() || !self.stats.is_empty()
    }

    /// Whether this consent holds on `today` for notice version `current`.
    pub(super) fn holds(&self, today: Date, current: u32) -> bool {
        self.given.is_some_and(|d| d <= today) && !self.withdrawn && self.version >= current
    }

    /// Why a person with this consent (`None`: no `consent`) is published
    /// nowhere on `today`; `None` when the consent holds and lists a field.
    pub(super) fn unshown(c: Option<&Consent>, today: Date, current: u32) -> Option<Unshown> {
        let Some(c) = c else {
            return Some(Unshown::NoConsent);
        };
        Some(match c.given {
            _ if c.withdrawn => Unshown::Withdrawn,
            None if c.lists_any() => Unshown::NoDate,
            None => Unshown::NoConsent,
            Some(d) if d > today => Unshown::NotYet(d),
            Some(_) if c.version < current => Unshown::OlderNotice(c.version),
            Some(_) if !c.lists_any() => Unshown::NoFields,
            Some(_) => return None,
        })
    }

    /// The warning for a consent that is not yet valid on `today`.
    pub(super) fn not_yet_warning(
        &self,
        file: &std::path::Path,
        id: &str,
        today: Date,
    ) -> Option<Diagnostic> {
        let d = self.given.filter(|d| *d > today && !self.withdrawn)?;
        Some(
            Diagnostic::warning(
                file,
                format!(
                    "entry `{id}`: `consent.given` is {d}, after today ({today}): treated as not yet given, so this person is published nowhere until {d} (if the date is a typo, correct it)"
                ),
            )
            .at(self.given_pos.0, self.given_pos.1),
        )
    }
}

/// Validate `consent:` of entry `idd` (errors into `errs`); `None` when invalid.
pub(super) fn validate(
    c: &RawConsent,
    at: &Located<'_>,
    idd: &str,
    config: &Config,
    errs: &mut Vec<Diagnostic>,
) -> Option<Consent> {
    let mut ok = true;
    let given = match &c.given {
        None | Some(Value::Null) => None,
        Some(v) => {
            let d = parse_date(v);
            if d.is_none() {
                errs.push(at.err(
                    idd,
                    "given",
                    "`consent.given` is not a date: expected the day of the opt-in as YYYY-MM-DD, such as 2026-04-01",
                ));
                ok = false;
            }
            d
        }
    };
    let withdrawn = match &c.withdrawn {
        None | Some(Value::Null) => false,
        Some(v) => {
            if parse_date(v).is_none() {
                errs.push(at.err(
                    idd,
                    "withdrawn",
                    "`consent.withdrawn` is not a date: expected YYYY-MM-DD, such as 2026-04-01, or null",
                ));
            }
            // Anything in `withdrawn` withdraws, even if malformed.
            true
        }
    };
    let version = c.version.unwrap_or(1);
    if version == 0 || version > config.roster.consent_version {
        errs.push(at.err(
            idd,
            "version",
            format!(
                "`consent.version` is not a privacy notice version of this site: the versions are 1 to {} (site.yaml `roster.consent_version`); write the version the person agreed to",
                config.roster.consent_version
            ),
        ));
        ok = false;
    }
    let mut lists = [BTreeSet::new(), BTreeSet::new(), BTreeSet::new()];
    for (i, (key, list, allowed)) in [
        ("public", &c.public, &FIELDS[..]),
        ("members", &c.members, &FIELDS[..]),
        ("stats", &c.stats, &STATS_FIELDS[..]),
    ]
    .into_iter()
    .enumerate()
    {
        for f in list.iter().flatten() {
            if allowed.contains(&f.as_str()) {
                lists[i].insert(f.clone());
            } else {
                let hint = match crate::core::diag::suggest(f, allowed.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`? "),
                    None => String::new(),
                };
                // Quoted only if it looks like a field name: a value typed
                // into the wrong cell (an address, a name) is personal data.
                let looks_like_a_name =
                    f.len() <= 24 && f.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
                let what = if looks_like_a_name {
                    format!("unknown field `{f}`")
                } else {
                    "an item that is not a field name (not quoted here)".to_string()
                };
                errs.push(at.err(
                    idd,
                    key,
                    format!(
                        "{what} in `consent.{key}`: {hint}(fields: {})",
                        allowed.join(", ")
                    ),
                ));
                ok = false;
            }
        }
    }
    let [public, members, stats] = lists;
    ok.then_some(Consent {
        version,
        given,
        given_pos: at.pos("given"),
        withdrawn,
        public,
        members,
        stats,
    })
}

/// How one person's consent changed between two versions of the roster
/// (`roster import`): lists, date, notice version and withdrawal, as
/// field names and facts, never a value of the person.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConsentChange {
    pub id: String,
    /// `(level, added, removed)` for `public`, `members`, `stats`, in that
    /// order; only levels that changed.
    pub levels: Vec<(&'static str, Vec<String>, Vec<String>)>,
    /// The `given` date was set or changed.
    pub given: bool,
    /// `(old, new)` notice version.
    pub version: Option<(u32, u32)>,
    /// A withdrawal was recorded.
    pub withdrawn: bool,
}

impl std::fmt::Display for ConsentChange {
    /// `tanaka: public +email +message; members -phone; date changed`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts: Vec<String> = self
            .levels
            .iter()
            .map(|(level, added, removed)| {
                let mut s = (*level).to_string();
                for a in added {
                    s.push_str(&format!(" +{a}"));
                }
                for r in removed {
                    s.push_str(&format!(" -{r}"));
                }
                s
            })
            .collect();
        if let Some((old, new)) = self.version {
            parts.push(format!("notice version {old} -> {new}"));
        }
        if self.given {
            parts.push("consent date changed".into());
        }
        if self.withdrawn {
            parts.push("withdrawn".into());
        }
        write!(f, "{}: {}", self.id, parts.join("; "))
    }
}

fn lists(c: Option<&RawConsent>) -> [&[String]; 3] {
    fn l(v: &Option<Vec<String>>) -> &[String] {
        v.as_deref().unwrap_or_default()
    }
    match c {
        Some(c) => [l(&c.public), l(&c.members), l(&c.stats)],
        None => [&[], &[], &[]],
    }
}

fn is_set(v: Option<&Value>) -> bool {
    v.is_some_and(|v| !v.is_null())
}

/// What changed from `old` to `new` consent of entry `id`; `None` if
/// nothing that means anything did (a list reordered, say).
pub(crate) fn change(
    id: &str,
    old: Option<&RawConsent>,
    new: Option<&RawConsent>,
) -> Option<ConsentChange> {
    let (o, n) = (lists(old), lists(new));
    let levels = ["public", "members", "stats"]
        .into_iter()
        .zip(o.iter().zip(n.iter()))
        .filter_map(|(level, (o, n))| {
            let added: Vec<String> = n.iter().filter(|f| !o.contains(f)).cloned().collect();
            let removed: Vec<String> = o.iter().filter(|f| !n.contains(f)).cloned().collect();
            (!added.is_empty() || !removed.is_empty()).then_some((level, added, removed))
        })
        .collect();
    let given = |c: Option<&RawConsent>| {
        c.and_then(|c| c.given.as_ref())
            .filter(|v| !v.is_null())
            .cloned()
    };
    let version = |c: Option<&RawConsent>| c.and_then(|c| c.version).unwrap_or(1);
    let withdrawn = |c: Option<&RawConsent>| is_set(c.and_then(|c| c.withdrawn.as_ref()));
    let ch = ConsentChange {
        id: id.to_string(),
        levels,
        given: given(old) != given(new) && given(new).is_some(),
        version: (old.is_some() && version(old) != version(new))
            .then(|| (version(old), version(new))),
        withdrawn: !withdrawn(old) && withdrawn(new),
    };
    (ch != ConsentChange {
        id: ch.id.clone(),
        ..Default::default()
    })
    .then_some(ch)
}

/// What `new` consent lets be seen or counted that `old` did not, by
/// where: `("the open web", [fields])`, `("the members area", …)`,
/// `("/alumni/stats/", …)`; each field once, at the widest place it newly
/// reaches. Moving a field to a narrower level (public to members, or to
/// stats) adds nothing here: that is a narrowing. Only known field names
/// count (an unknown one is the roster's own error, and may be a value
/// typed into the wrong cell: never quoted).
pub(crate) fn widening(
    old: Option<&RawConsent>,
    new: &RawConsent,
) -> Vec<(&'static str, Vec<String>)> {
    let [op, om, os] = lists(old);
    let [np, nm, ns] = lists(Some(new));
    let known = |l: &[&[String]], allowed: &[&str]| -> BTreeSet<String> {
        l.iter()
            .flat_map(|l| l.iter())
            .filter(|f| allowed.contains(&f.as_str()))
            .cloned()
            .collect()
    };
    let before = [
        known(&[op], &FIELDS),
        known(&[op, om], &FIELDS),
        known(&[op, os], &STATS_FIELDS),
    ];
    let after = [
        known(&[np], &FIELDS),
        known(&[np, nm], &FIELDS),
        known(&[np, ns], &STATS_FIELDS),
    ];
    let mut reported = BTreeSet::new();
    ["the open web", "the members area", "/alumni/stats/"]
        .into_iter()
        .zip(before.iter().zip(after.iter()))
        .filter_map(|(place, (b, a))| {
            let more: Vec<String> = a
                .difference(b)
                .filter(|f| reported.insert((*f).clone()))
                .cloned()
                .collect();
            (!more.is_empty()).then_some((place, more))
        })
        .collect()
}
