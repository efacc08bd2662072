//! The typed content model that everything after loading works on.
//!
//! A [`Page`] is one content file after front matter validation and Markdown
//! rendering. Kind-specific data lives in [`KindMeta`]. Time-dependent flags
//! (a job being closed, an event being past) are computed once from "now"
//! when the site is assembled, so renderers never look at the clock.

use std::path::PathBuf;

use jiff::Zoned;

pub mod schema;

/// Which part of a photo its share crop (1200x630) keeps: front matter
/// `image_focus`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ImageFocus {
    Top,
    #[default]
    Center,
    Bottom,
}

impl ImageFocus {
    pub const NAMES: [&'static str; 3] = ["top", "center", "bottom"];

    pub fn parse(s: &str) -> Option<ImageFocus> {
        match s.trim() {
            "top" => Some(ImageFocus::Top),
            "center" => Some(ImageFocus::Center),
            "bottom" => Some(ImageFocus::Bottom),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ImageFocus::Top => "top",
            ImageFocus::Center => "center",
            ImageFocus::Bottom => "bottom",
        }
    }
}

/// A page's share image: the 1200x630 crop of its `image:`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ShareImage {
    /// Site path (without the base path), `/images/a.3f9a1c2e.og-center.jpg`.
    pub path: String,
    pub width: u32,
    pub height: u32,
}

/// The five kinds of content, one per directory under `content/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Interview,
    News,
    Job,
    Event,
    Page,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Interview,
        Kind::News,
        Kind::Job,
        Kind::Event,
        Kind::Page,
    ];
    /// Kinds that have a section (list pages, feed).
    pub const SECTIONS: [Kind; 4] = [Kind::Interview, Kind::News, Kind::Job, Kind::Event];

    /// Directory under `content/` and URL section.
    pub fn dir(self) -> &'static str {
        match self {
            Kind::Interview => "interviews",
            Kind::News => "news",
            Kind::Job => "jobs",
            Kind::Event => "events",
            Kind::Page => "pages",
        }
    }

    /// Singular name as used on the command line (`enishi new job …`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Interview => "interview",
            Kind::News => "news",
            Kind::Job => "job",
            Kind::Event => "event",
            Kind::Page => "page",
        }
    }

    pub fn from_name(s: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.name() == s || k.dir() == s)
    }

    pub fn from_dir(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.dir() == s)
    }

    /// Whether `date` is required in front matter.
    pub fn needs_date(self) -> bool {
        self != Kind::Page
    }
}

/// The person an interview is about.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Person {
    pub name: String,
    pub name_en: Option<String>,
    pub reading: Option<String>,
    pub joined: Option<String>,
    pub left: Option<String>,
    /// Role at the company back then.
    pub then: Option<String>,
    /// Department at the company back then (related interviews share it).
    pub department: Option<String>,
    pub now_company: Option<String>,
    pub now_role: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct InterviewMeta {
    pub person: Option<Person>,
    pub roster_id: Option<String>,
    /// `quote:`: the pull quote (else the body's first blockquote).
    pub quote: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum JobKind {
    Comeback,
    Referral,
    SideJob,
    Contract,
    FullTime,
}

impl JobKind {
    pub const ALL: [JobKind; 5] = [
        JobKind::Comeback,
        JobKind::Referral,
        JobKind::SideJob,
        JobKind::Contract,
        JobKind::FullTime,
    ];
    pub const fn as_str(self) -> &'static str {
        match self {
            JobKind::Comeback => "comeback",
            JobKind::Referral => "referral",
            JobKind::SideJob => "side-job",
            JobKind::Contract => "contract",
            JobKind::FullTime => "full-time",
        }
    }
    pub fn parse(s: &str) -> Option<JobKind> {
        JobKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remote {
    Onsite,
    Hybrid,
    Remote,
}

impl Remote {
    pub const ALL: [Remote; 3] = [Remote::Onsite, Remote::Hybrid, Remote::Remote];
    pub const fn as_str(self) -> &'static str {
        match self {
            Remote::Onsite => "onsite",
            Remote::Hybrid => "hybrid",
            Remote::Remote => "remote",
        }
    }
    pub fn parse(s: &str) -> Option<Remote> {
        Remote::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// schema.org employmentType values.
pub const EMPLOYMENT_TYPES: [&str; 6] = [
    "FULL_TIME",
    "PART_TIME",
    "CONTRACTOR",
    "TEMPORARY",
    "INTERN",
    "OTHER",
];

/// schema.org unitText values of `salary.unit`.
pub const SALARY_UNITS: [&str; 5] = ["HOUR", "DAY", "WEEK", "MONTH", "YEAR"];

#[derive(Debug, Clone, PartialEq)]
pub struct Salary {
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// ISO 4217, default JPY.
    pub currency: String,
    /// schema.org unitText: HOUR, DAY, WEEK, MONTH, YEAR.
    pub unit: String,
}

#[derive(Debug, Clone)]
pub struct JobMeta {
    pub kind: JobKind,
    pub department: Option<String>,
    pub location: Option<String>,
    pub remote: Option<Remote>,
    pub employment: Option<String>,
    pub salary: Option<Salary>,
    /// http(s) or mailto URL.
    pub apply: Option<String>,
    /// Last day applications are accepted (site time zone).
    pub closes: Option<jiff::civil::Date>,
    /// `closes` is before "now": computed at assembly.
    pub closed: bool,
    /// Days from "now" to `closes` (0 = closes today), when open.
    pub closes_in_days: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Reunion,
    Pitch,
    Seminar,
    Meetup,
    Other,
}

impl EventKind {
    pub const ALL: [EventKind; 5] = [
        EventKind::Reunion,
        EventKind::Pitch,
        EventKind::Seminar,
        EventKind::Meetup,
        EventKind::Other,
    ];
    pub const fn as_str(self) -> &'static str {
        match self {
            EventKind::Reunion => "reunion",
            EventKind::Pitch => "pitch",
            EventKind::Seminar => "seminar",
            EventKind::Meetup => "meetup",
            EventKind::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventStatus {
    Scheduled,
    Cancelled,
    Postponed,
}

impl EventStatus {
    pub const ALL: [EventStatus; 3] = [
        EventStatus::Scheduled,
        EventStatus::Cancelled,
        EventStatus::Postponed,
    ];
    pub const fn as_str(self) -> &'static str {
        match self {
            EventStatus::Scheduled => "scheduled",
            EventStatus::Cancelled => "cancelled",
            EventStatus::Postponed => "postponed",
        }
    }
    pub fn parse(s: &str) -> Option<EventStatus> {
        EventStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Venue {
    pub name: Option<String>,
    pub address: Option<String>,
}

#[derive(Debug, Clone)]
pub struct EventMeta {
    /// In the site time zone (converted from any offset given).
    pub start: Zoned,
    pub end: Option<Zoned>,
    /// True when `start`/`end` were given as dates without a time.
    pub all_day: bool,
    pub kind: EventKind,
    pub venue: Option<Venue>,
    pub online: Option<String>,
    pub register: Option<String>,
    pub capacity: Option<u32>,
    pub status: EventStatus,
    /// Front matter `sequence:`: the least iCalendar `SEQUENCE` to publish
    /// (the record in `calendar.lock` decides above it).
    pub sequence: Option<u32>,
    /// The event has ended before "now": computed at assembly.
    pub past: bool,
}

#[derive(Debug, Clone)]
pub enum KindMeta {
    Interview(InterviewMeta),
    News,
    Job(JobMeta),
    Event(Box<EventMeta>),
    Page,
}

/// One heading of a page, for anchors and link checking.
#[derive(Debug, Clone)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// One content file, loaded, validated and rendered.
#[derive(Debug, Clone)]
pub struct Page {
    pub kind: Kind,
    /// Path relative to the site root, e.g. `content/news/foo.md`.
    pub source: PathBuf,
    pub slug: String,
    /// Site path with leading and trailing slash, e.g. `/news/foo/`
    /// (without the base URL's path).
    pub path: String,
    pub title: String,
    /// Publication date in the site time zone (pages may have none).
    pub date: Option<Zoned>,
    /// Plain-text summary (front matter `summary`, else the first paragraph).
    pub summary: String,
    pub tags: Vec<String>,
    pub draft: bool,
    /// Front matter `image` as written (a site path, a path beside the
    /// file, or an http(s) URL).
    pub image: Option<String>,
    /// Front matter `image_alt` (share image alt; default the title).
    pub image_alt: Option<String>,
    pub image_focus: ImageFocus,
    /// The share (OpenGraph/Twitter) crop of the photo `image` names (set
    /// by `Site::load`); None for a remote or unprocessed image.
    pub share_image: Option<ShareImage>,
    /// Old site paths that redirect here, normalised to `/a/b/`.
    pub aliases: Vec<String>,
    /// Rendered Markdown body.
    pub content_html: std::sync::Arc<str>,
    /// Plain text of the body, for search.
    pub plain_text: std::sync::Arc<str>,
    pub headings: Vec<Heading>,
    pub meta: KindMeta,
    /// A translation's language (None: the main language).
    pub lang: Option<crate::core::lang::Language>,
    /// A translation's original, by source.
    pub original: Option<PathBuf>,
}

impl Page {
    pub fn job(&self) -> Option<&JobMeta> {
        match &self.meta {
            KindMeta::Job(j) => Some(j),
            _ => None,
        }
    }
    pub fn event(&self) -> Option<&EventMeta> {
        match &self.meta {
            KindMeta::Event(e) => Some(e),
            _ => None,
        }
    }
    pub fn interview(&self) -> Option<&InterviewMeta> {
        match &self.meta {
            KindMeta::Interview(i) => Some(i),
            _ => None,
        }
    }
    /// Listed in lists, feeds, tag pages, search and sitemap. Closed jobs keep
    /// their page but are not listed anywhere.
    pub fn is_listed(&self) -> bool {
        !matches!(&self.meta, KindMeta::Job(j) if j.closed)
    }
}
