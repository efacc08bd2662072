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
                errs.push(at.err(
                    idd,
                    key,
                    format!(
                        "unknown field `{f}` in `consent.{key}`: {hint}(fields: {})",
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
