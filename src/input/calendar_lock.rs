//! `calendar.lock`: the iCalendar `SEQUENCE` of every event published so far
//! (RFC 5545 §3.8.7.4), so that a change of time, place, title or status
//! raises it and nothing ever lowers it.
//!
//! A calendar app keeps an event it has seen and replaces it only with a
//! version whose `SEQUENCE` is higher. The value cannot be derived from the
//! event alone (moving an event back to its first date must still raise
//! it), so the build keeps a record, like `Cargo.lock`: one entry per event,
//! keyed by its site path (`/events/2026-reunion/`, `/en/events/…/` for a
//! translation; no host, so `--base-url` previews and `serve` share it),
//! with a fingerprint of what subscribers see change and the sequence it
//! was published with. The file sits at the site root, outside the folders
//! `serve` watches, and is written by `enishi build` only when its text
//! changes; the calendar output ([`crate::outputs::calendar`]) computes
//! the new entries. Entries of events that are gone are kept, so a page
//! that comes back (undrafted, restored) never starts lower.
//!
//! Reading and the text format live here; imports `core` only.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::core::diag::Diagnostic;
use crate::core::fs::{Jail, Read};

/// The file, relative to the site root.
pub const CALENDAR_LOCK: &str = "calendar.lock";

/// What the file says at its top.
const HEADER: &str = "\
# The iCalendar SEQUENCE of each event (RFC 5545 3.8.7.4), kept by `enishi build`:
# calendar apps replace an event they have only when its SEQUENCE is higher.
# Commit this file with the content; `enishi check` fails when it is out of date.
# Do not edit it by hand (to force a higher value, set `sequence:` in the event).
";

/// One event's record.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockEntry {
    /// The `SEQUENCE` it was last published with.
    pub sequence: u32,
    /// Hex digest of its start, end, location, summary and status as the
    /// calendar shows them.
    pub fingerprint: String,
}

/// Every event's record, by site path.
pub type CalendarLock = BTreeMap<String, LockEntry>;

/// Read `<root>/calendar.lock`; a missing file is an empty record. An
/// error names the file, line and column.
pub fn load(root: &Path) -> Result<CalendarLock, Vec<Diagnostic>> {
    let shown = PathBuf::from(CALENDAR_LOCK);
    let bytes = match Jail::site(root).read(&shown) {
        Ok(Read::Bytes(b)) => b,
        Ok(Read::Missing) => return Ok(CalendarLock::new()),
        // A link out of the site or a FIFO: the build does not follow it.
        Ok(Read::Skipped(w)) => return Err(vec![crate::core::fs::as_error(w)]),
        Err(e) => return Err(vec![e]),
    };
    use crate::core::limits::{file_too_large, MAX_CONFIG_FILE};
    if bytes.len() as u64 > MAX_CONFIG_FILE {
        return Err(vec![file_too_large(
            &shown,
            MAX_CONFIG_FILE,
            "it holds a few lines per event; restore it from version control",
        )]);
    }
    let text = crate::core::diag::decode_utf8(&shown, bytes).map_err(|d| vec![d])?;
    parse(&text)
}

/// Parse the text of a `calendar.lock`.
pub fn parse(text: &str) -> Result<CalendarLock, Vec<Diagnostic>> {
    let shown = Path::new(CALENDAR_LOCK);
    let fix = "restore it from version control, or delete it: the next `enishi build` \
               writes a new one (events then start again from their status: \
               scheduled 0, postponed 1, cancelled 2)";
    let lock: Option<CalendarLock> = serde_yaml_ng::from_str(text).map_err(|e| {
        let d = crate::core::diag::from_yaml_error(shown, &e, 0);
        let message = format!("{}: {fix}", d.message);
        vec![Diagnostic { message, ..d }]
    })?;
    let lock = lock.unwrap_or_default();
    let bad: Vec<Diagnostic> = lock
        .iter()
        .filter(|(_, e)| !is_fingerprint(&e.fingerprint))
        .map(|(key, _)| {
            let line = text
                .lines()
                .position(|l| l.contains(key.as_str()))
                .map(|i| i + 1);
            Diagnostic::error(
                shown,
                format!(
                    "the fingerprint of {key} is not {FINGERPRINT_LEN} hexadecimal digits: {fix}"
                ),
            )
            .at_line(line)
        })
        .collect();
    if bad.is_empty() {
        Ok(lock)
    } else {
        Err(bad)
    }
}

/// Length of a fingerprint in hex digits (64 bits of SHA-256).
pub const FINGERPRINT_LEN: usize = 16;

fn is_fingerprint(s: &str) -> bool {
    s.len() == FINGERPRINT_LEN && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The text of a `calendar.lock`: the header, then the entries sorted by
/// path (deterministic).
pub fn render(lock: &CalendarLock) -> String {
    let mut out = String::from(HEADER);
    if lock.is_empty() {
        out.push_str("{}\n");
        return out;
    }
    // A map of strings and numbers always serialises.
    out.push_str(&serde_yaml_ng::to_string(lock).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(sequence: u32) -> LockEntry {
        LockEntry {
            sequence,
            fingerprint: "0123456789abcdef".into(),
        }
    }

    #[test]
    fn round_trips() {
        let mut lock = CalendarLock::new();
        lock.insert("/events/b/".into(), entry(3));
        lock.insert("/events/新年会: 2027/".into(), entry(0));
        lock.insert("/en/events/b/".into(), entry(1));
        let text = render(&lock);
        assert!(text.starts_with("# The iCalendar SEQUENCE"));
        assert_eq!(parse(&text).unwrap(), lock);
        assert_eq!(parse(&render(&CalendarLock::new())).unwrap(), lock_empty());
    }

    fn lock_empty() -> CalendarLock {
        CalendarLock::new()
    }

    #[test]
    fn comments_only_is_empty() {
        assert!(parse(HEADER).unwrap().is_empty());
        assert!(parse("").unwrap().is_empty());
    }

    #[test]
    fn errors_name_line_and_fix() {
        let e =
            parse("/events/a/:\n  sequence: -1\n  fingerprint: 0123456789abcdef\n").unwrap_err();
        assert_eq!(e[0].file, Path::new("calendar.lock"));
        assert_eq!(e[0].line, Some(2), "{e:?}");
        assert!(e[0].message.contains("restore it"), "{e:?}");
        let e = parse("/events/a/:\n  sequence: 1\n  fingerprint: xyz\n").unwrap_err();
        assert_eq!(e[0].line, Some(1), "{e:?}");
        assert!(e[0].message.contains("/events/a/"), "{e:?}");
        let e = parse("/events/a/:\n  sequence: 1\n  fingerprint: 0123456789abcdef\n  x: 1\n")
            .unwrap_err();
        assert!(e[0].message.contains("unknown"), "{e:?}");
    }
}
