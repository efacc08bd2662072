//! `calendar.lock` for `build` and `check`: whether a build leaves the
//! record as it is, writing it (atomically, only when its text changes),
//! and saying which events changed. `serve` never writes it (it writes
//! nothing but the editor's saves): its builds read the record as it is.

use std::path::PathBuf;

use crate::input::calendar_lock::{self, CalendarLock, LockEntry, CALENDAR_LOCK};
use crate::site::Site;

/// How many changed events a message names before "and N more".
const SHOWN: usize = 5;

/// The record before and after one build.
pub struct Lock {
    path: PathBuf,
    /// The file's bytes (None: no file).
    old_text: Option<Vec<u8>>,
    new_text: String,
    /// Nothing to record and no file: a site without events needs none.
    empty: bool,
    /// What changed, one event each: `/events/a/: SEQUENCE 0 → 1`.
    changes: Vec<String>,
    /// Every change is an event the record does not have yet.
    only_new: bool,
}

impl Lock {
    /// The record once the build of `site` that gave `entries` is in it.
    pub fn after(site: &Site, entries: &[(String, LockEntry)]) -> Lock {
        let path = site.root.join(CALENDAR_LOCK);
        let old: &CalendarLock = &site.calendar_lock;
        let updated = crate::outputs::calendar::updated_lock(
            old,
            entries.iter().map(|(k, e)| (k.as_str(), e)),
        );
        let only_new = updated
            .iter()
            .all(|(key, new)| old.get(key).is_none_or(|o| o == new));
        let changes = updated
            .iter()
            .filter_map(|(key, new)| match old.get(key) {
                Some(o) if o == new => None,
                Some(o) if o.sequence != new.sequence => {
                    Some(format!("{key}: SEQUENCE {} → {}", o.sequence, new.sequence))
                }
                Some(_) => Some(format!("{key}: changed")),
                None => Some(format!("{key}: new, SEQUENCE {}", new.sequence)),
            })
            .collect();
        Lock {
            old_text: std::fs::read(&path).ok(),
            new_text: calendar_lock::render(&updated),
            empty: updated.is_empty(),
            path,
            only_new,
            changes,
        }
    }

    fn listed(&self) -> String {
        let mut shown: Vec<&str> = self
            .changes
            .iter()
            .take(SHOWN)
            .map(String::as_str)
            .collect();
        let more = self.changes.len().saturating_sub(SHOWN);
        let more = format!("and {more} more");
        if self.changes.len() > SHOWN {
            shown.push(&more);
        }
        shown.join("; ")
    }

    fn events(&self) -> String {
        let n = self.changes.len();
        format!("{n} event{}", if n == 1 { "" } else { "s" })
    }

    /// Out of date only by events it has no record of yet (or no file at
    /// all): nothing published has fallen behind it. An event that
    /// appears by the date (scheduled) is one, and so is every event of a
    /// site made before the record existed.
    pub fn only_new(&self) -> bool {
        self.old_text.is_none() || (self.only_new && !self.changes.is_empty())
    }

    /// Why the record on disk is out of date (a message to follow
    /// `calendar.lock: `), or None when it is not.
    pub fn stale(&self) -> Option<String> {
        match &self.old_text {
            None if self.empty => None,
            Some(t) if *t == self.new_text.as_bytes() => None,
            None => Some(format!(
                "does not exist yet: it keeps the iCalendar SEQUENCE of each event, so that calendar apps see changes ({}: {})",
                self.events(),
                self.listed()
            )),
            Some(_) if self.changes.is_empty() => {
                Some("not as enishi writes it (edited by hand?)".to_string())
            }
            Some(_) => Some(format!(
                "out of date: {} changed or appeared since it was written ({})",
                self.events(),
                self.listed()
            )),
        }
    }

    /// Write the new record in place of the old one.
    pub fn write(&self) -> Result<(), String> {
        crate::core::fs::write_atomic(&self.path, self.new_text.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", self.path.display()))
    }

    /// What `build` says after writing it.
    pub fn updated_note(&self) -> String {
        if self.changes.is_empty() {
            return format!("{CALENDAR_LOCK} rewritten: commit it with the content");
        }
        format!(
            "{CALENDAR_LOCK} updated ({}: {}): commit it with the content",
            self.events(),
            self.listed()
        )
    }
}
