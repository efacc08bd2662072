//! Reading and validating what the office writes: the content files
//! (`content/**.md`: discovery, front matter) and the roster
//! (`data/roster.yaml`: raw entries, validation, consent, CSV import), with the
//! plain-YAML reader that both use for speed ([`yaml_plain`]) beside their
//! mappers (`content::plain`, `roster::plain`); and the record of each
//! event's iCalendar `SEQUENCE` (`calendar.lock`, [`calendar_lock`]).
//!
//! Parsing and validation happen here, once; every later layer works on the
//! typed values this layer returns. Personal data leaves this layer only
//! through the roster's consent-filtered view.
//!
//! Imports only `core`, `config` and `model`.
pub mod calendar_lock;
pub mod content;
pub mod roster;
pub(crate) mod yaml_plain;
