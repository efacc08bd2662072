//! The front matter schema: every key a content file may have, for which
//! kinds, the shape of its value and whether the build requires it.
//!
//! One source of truth for two readers: the loader
//! ([`crate::input::content`]) takes from here which kinds a key belongs to,
//! and the browser editor's configuration (`outputs::admin`) is generated
//! from it, key by key. A test in `input::content` fails when the serde
//! structs that read front matter and this table disagree, so a new key
//! cannot reach one without the other.

use super::{EventKind, EventStatus, JobKind, Kind, Remote, EMPLOYMENT_TYPES, SALARY_UNITS};

/// The shape of a value: what the editor offers for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// One line of text.
    Line,
    /// A paragraph of plain text.
    Text,
    /// An http(s) URL, or also a `mailto:` address.
    Url {
        mailto: bool,
    },
    /// A day (`2026-10-20`; a date-time is accepted too).
    Date,
    /// A date-time (`2026-10-20T19:00:00+09:00`; a day is accepted too).
    DateTime,
    Bool,
    /// A whole number.
    Int,
    /// Exactly one of `values`; `labels` is the prefix of their UI strings
    /// (`job_kind_` + `comeback`).
    Choice {
        values: &'static [&'static str],
        labels: &'static str,
    },
    /// A list of short texts.
    List,
    /// A path such as `/images/photo.jpg` (uploads go to `static/images/`).
    Image,
    /// A mapping with these keys.
    Object(&'static [Field]),
}

/// One front matter key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub key: &'static str,
    pub value: Value,
    /// The kinds whose files may have it (inside an object: all).
    pub kinds: &'static [Kind],
    /// The kinds whose files must have it (inside an object: required
    /// whenever the object is given).
    pub required: &'static [Kind],
    /// What the build assumes when the key is absent, if anything.
    pub default: Option<&'static str>,
}

const ALL: &[Kind] = &Kind::ALL;
const NONE: &[Kind] = &[];
const INTERVIEW: &[Kind] = &[Kind::Interview];
const JOB: &[Kind] = &[Kind::Job];
const EVENT: &[Kind] = &[Kind::Event];

const fn field(key: &'static str, value: Value, kinds: &'static [Kind]) -> Field {
    Field {
        key,
        value,
        kinds,
        required: NONE,
        default: None,
    }
}

const fn choice(values: &'static [&'static str], labels: &'static str) -> Value {
    Value::Choice { values, labels }
}

const fn required(f: Field, kinds: &'static [Kind]) -> Field {
    Field {
        required: kinds,
        ..f
    }
}

const fn default(f: Field, value: &'static str) -> Field {
    Field {
        default: Some(value),
        ..f
    }
}

const JOB_KINDS: [&str; 5] = {
    let mut out = [""; 5];
    let mut i = 0;
    while i < out.len() {
        out[i] = JobKind::ALL[i].as_str();
        i += 1;
    }
    out
};

const EVENT_KINDS: [&str; 5] = {
    let mut out = [""; 5];
    let mut i = 0;
    while i < out.len() {
        out[i] = EventKind::ALL[i].as_str();
        i += 1;
    }
    out
};

const REMOTES: [&str; 3] = {
    let mut out = [""; 3];
    let mut i = 0;
    while i < out.len() {
        out[i] = Remote::ALL[i].as_str();
        i += 1;
    }
    out
};

const STATUSES: [&str; 3] = {
    let mut out = [""; 3];
    let mut i = 0;
    while i < out.len() {
        out[i] = EventStatus::ALL[i].as_str();
        i += 1;
    }
    out
};

/// `person.now`.
pub const NOW: &[Field] = &[
    field("company", Value::Line, ALL),
    field("role", Value::Line, ALL),
];

/// `person:` of an interview.
pub const PERSON: &[Field] = &[
    required(field("name", Value::Line, ALL), ALL),
    field("name_en", Value::Line, ALL),
    field("reading", Value::Line, ALL),
    field("joined", Value::Line, ALL),
    field("left", Value::Line, ALL),
    field("then", Value::Line, ALL),
    field("department", Value::Line, ALL),
    field("now", Value::Object(NOW), ALL),
];

/// `salary:` of a job (`min` and/or `max`).
pub const SALARY: &[Field] = &[
    field("min", Value::Int, ALL),
    field("max", Value::Int, ALL),
    default(field("currency", Value::Line, ALL), "JPY"),
    default(field("unit", choice(&SALARY_UNITS, "unit_"), ALL), "YEAR"),
];

/// `venue:` of an event (`name` and/or `address`).
pub const VENUE: &[Field] = &[
    field("name", Value::Line, ALL),
    field("address", Value::Line, ALL),
];

/// Every top-level key, in the order the editor shows them. `kind` is
/// listed twice: jobs and events have different kinds.
pub const FRONT_MATTER: &[Field] = &[
    required(field("title", Value::Line, ALL), ALL),
    required(field("date", Value::Date, ALL), &Kind::SECTIONS),
    required(field("kind", choice(&JOB_KINDS, "job_kind_"), JOB), JOB),
    default(
        field("kind", choice(&EVENT_KINDS, "event_kind_"), EVENT),
        "other",
    ),
    field("summary", Value::Text, ALL),
    field("tags", Value::List, ALL),
    field("image", Value::Image, ALL),
    field("image_alt", Value::Line, ALL),
    field(
        "image_focus",
        choice(&crate::model::ImageFocus::NAMES, "image_focus_"),
        ALL,
    ),
    // interview
    field("person", Value::Object(PERSON), INTERVIEW),
    field("roster_id", Value::Line, INTERVIEW),
    field("quote", Value::Text, INTERVIEW),
    // job
    field("department", Value::Line, JOB),
    field("location", Value::Line, JOB),
    field("remote", choice(&REMOTES, "remote_"), JOB),
    field("employment", choice(&EMPLOYMENT_TYPES, "employment_"), JOB),
    field("salary", Value::Object(SALARY), JOB),
    field("apply", Value::Url { mailto: true }, JOB),
    field("closes", Value::Date, JOB),
    // event
    required(field("start", Value::DateTime, EVENT), EVENT),
    field("end", Value::DateTime, EVENT),
    field("venue", Value::Object(VENUE), EVENT),
    field("online", Value::Url { mailto: false }, EVENT),
    field("register", Value::Url { mailto: true }, EVENT),
    field("capacity", Value::Int, EVENT),
    default(
        field("status", choice(&STATUSES, "status_"), EVENT),
        "scheduled",
    ),
    // the least iCalendar SEQUENCE (calendar.lock keeps the rest)
    field("sequence", Value::Int, EVENT),
    // all kinds, rarely changed
    field("slug", Value::Line, ALL),
    field("aliases", Value::List, ALL),
    field("draft", Value::Bool, ALL),
];

/// The keys a file of `kind` may have, in the editor's order.
pub fn fields(kind: Kind) -> impl Iterator<Item = &'static Field> {
    FRONT_MATTER.iter().filter(move |f| f.kinds.contains(&kind))
}

/// The kinds whose files may have the top-level `key`.
pub fn kinds_of(key: &str) -> Vec<Kind> {
    let mut kinds: Vec<Kind> = FRONT_MATTER
        .iter()
        .filter(|f| f.key == key)
        .flat_map(|f| f.kinds.iter().copied())
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_listed_once_per_kind() {
        for kind in Kind::ALL {
            let mut keys: Vec<&str> = fields(kind).map(|f| f.key).collect();
            let n = keys.len();
            keys.sort();
            keys.dedup();
            assert_eq!(keys.len(), n, "{kind:?}");
        }
    }

    #[test]
    fn required_only_where_allowed_and_defaults_are_choices() {
        for f in FRONT_MATTER {
            assert!(f.required.iter().all(|k| f.kinds.contains(k)), "{}", f.key);
            if let (Some(d), Value::Choice { values, .. }) = (f.default, f.value) {
                assert!(values.contains(&d), "{}", f.key);
            }
        }
        assert_eq!(kinds_of("kind"), vec![Kind::Job, Kind::Event]);
        assert_eq!(JOB_KINDS.len(), 5);
    }
}
