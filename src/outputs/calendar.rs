//! iCalendar (RFC 5545) output: one `event.ics` per event, a subscribable
//! `events/calendar.ics` with every event, and "Add to Google Calendar" links.
//!
//! Choices worth knowing:
//!
//! - **Times are written in UTC** (`DTSTART:20261020T100000Z`) rather than with
//!   a `TZID` and a `VTIMEZONE`. A UTC time is an absolute instant that every
//!   client reads the same way; a hand-written `VTIMEZONE` would have to
//!   reproduce the IANA rules (daylight saving, historical changes) for any
//!   zone a site may configure, and a wrong one silently shifts events. Clients
//!   show UTC times in the viewer's own zone, which is what a subscriber wants;
//!   `X-WR-TIMEZONE` still names the site zone for clients that use it as the
//!   calendar's default. We have no recurring events, the one case where a
//!   local time zone would be needed.
//! - **All-day events** (dates without a time in front matter) use
//!   `VALUE=DATE`; `end` is the last day of the event (inclusive, as people
//!   write it) and `DTEND` is the day after (exclusive, as RFC 5545 wants).
//! - **UID** is `<site path of the event>@<site host>`, so it is stable across
//!   builds and identical in `event.ics` and `calendar.ics`.
//! - **SEQUENCE** (RFC 5545 §3.8.7.4) rises whenever the start, end,
//!   location, summary or status changes, and never goes down, so a calendar
//!   app replaces the entry it has instead of keeping the old time. The
//!   history is `calendar.lock` ([`crate::input::calendar_lock`]): an event
//!   keeps its recorded value while its [`fingerprint`] is unchanged and gets
//!   one more when it changed ([`next_entry`]); an event without a record
//!   starts from its status (scheduled 0, postponed 1, cancelled 2: what
//!   builds before the record published); front matter `sequence:` is a
//!   floor. The output only reads the record; `enishi build` writes the new
//!   one (the pipeline hands it over as [`Prepared::entries`]). Cancelled and
//!   postponed events also get a prefix on SUMMARY (`【中止】`/`[Cancelled]`)
//!   because several clients (notably subscribed calendars in Google Calendar)
//!   ignore `STATUS`.
//! - **DTSTAMP** is the build's "now", the only part of a VEVENT that changes
//!   at every build: each VEVENT is made once without it ([`Prepared`]) and
//!   stamped when the files are assembled, so `serve` (which keeps the last
//!   build's VEVENTs) rebuilds the calendars of 2,000 events in a few ms.
//! - Lines are folded at 75 octets on UTF-8 character boundaries and, when
//!   possible, not next to a space (some parsers trim each physical line).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use jiff::Zoned;

use crate::config::Config;
use crate::core::escape;
use crate::core::lang::Language;
use crate::core::output::OutputFile;
use crate::input::calendar_lock::{CalendarLock, LockEntry, FINGERPRINT_LEN};
use crate::model::{EventMeta, EventStatus, Page};

const CRLF: &str = "\r\n";

/// One event's VEVENT, made once and stamped at every build: its text
/// without the `DTSTAMP` line (the only part that follows "now"), and its
/// record for `calendar.lock`.
#[derive(Debug)]
pub struct Vevent {
    /// Hash of everything the text is made from (see [`prepare`]).
    key: u64,
    /// Its key in `calendar.lock` ([`lock_key`]).
    pub lock_key: String,
    /// Its SEQUENCE and fingerprint, as published by this build.
    pub entry: LockEntry,
    /// Drafts (in a `--drafts` preview) are not recorded.
    pub draft: bool,
    text: String,
    /// Where the `DTSTAMP` line goes in `text`.
    stamp_at: usize,
}

/// The VEVENTs of a site's events by page path ([`prepare`]). `serve`
/// keeps the last build's, so that a rebuild that changes no event only
/// stamps them ([`crate::pipeline::incremental`]).
#[derive(Debug, Default)]
pub struct Prepared(HashMap<String, Arc<Vevent>>);

impl Prepared {
    /// The records of this build's published events: what
    /// `calendar.lock` gets ([`updated_lock`]).
    pub fn entries(&self) -> impl Iterator<Item = (&str, &LockEntry)> {
        self.0
            .values()
            .filter(|v| !v.draft)
            .map(|v| (v.lock_key.as_str(), &v.entry))
    }
}

/// The VEVENT of every event of `events` (non-events are skipped), each
/// reused from `memo` when what it is made from (the page, the config, its
/// record in `lock`) is unchanged, made otherwise.
pub fn prepare(
    events: &[&Page],
    config: &Config,
    lock: &CalendarLock,
    memo: Option<&Prepared>,
) -> Prepared {
    let config_fp = crate::site::memo::config_fingerprint(config);
    let mut out = HashMap::with_capacity(events.len());
    for page in events {
        let Some(ev) = page.event() else {
            continue;
        };
        let lock_key = lock_key(page, config);
        let recorded = lock.get(&lock_key);
        let key = vevent_key(page, ev, config_fp, recorded);
        let v = match memo.and_then(|m| m.0.get(&page.path)) {
            Some(v) if v.key == key => Arc::clone(v),
            _ => {
                let entry = next_entry(page, ev, config, recorded);
                let (text, stamp_at) = vevent_text(page, ev, config, entry.sequence);
                Arc::new(Vevent {
                    key,
                    lock_key,
                    entry,
                    draft: page.draft,
                    text,
                    stamp_at,
                })
            }
        };
        out.insert(page.path.clone(), v);
    }
    Prepared(out)
}

/// `lock` with the records of `entries` (a build's, every language's):
/// entries of events no longer published stay, so a page that comes back
/// never starts lower.
pub fn updated_lock<'a>(
    lock: &CalendarLock,
    entries: impl IntoIterator<Item = (&'a str, &'a LockEntry)>,
) -> CalendarLock {
    let mut out = lock.clone();
    for (k, e) in entries {
        out.insert(k.to_string(), e.clone());
    }
    out
}

/// Hash of what an event's VEVENT is made from: the page's path, title,
/// summary and event details, the config, and its record.
fn vevent_key(page: &Page, ev: &EventMeta, config_fp: u64, recorded: Option<&LockEntry>) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (
        config_fp,
        &page.path,
        &page.title,
        &page.summary,
        page.draft,
    )
        .hash(&mut h);
    (ev.start.timestamp(), ev.end.as_ref().map(Zoned::timestamp)).hash(&mut h);
    (
        ev.all_day,
        ev.kind.as_str(),
        ev.status.as_str(),
        ev.sequence,
    )
        .hash(&mut h);
    ev.venue
        .as_ref()
        .map(|v| (&v.name, &v.address))
        .hash(&mut h);
    (&ev.online, &ev.register, recorded).hash(&mut h);
    h.finish()
}

/// The key of an event in `calendar.lock`: its site path with the
/// language's prefix (`/en/events/x/`), without the base URL, so previews
/// on another host share the record.
pub fn lock_key(page: &Page, config: &Config) -> String {
    format!("{}{}", config.lang_prefix, page.path)
}

/// What subscribers see change, as the calendar writes it: start, end,
/// location, summary (with its status prefix) and status; a SHA-256 of it,
/// shortened to [`FINGERPRINT_LEN`] hex digits (stable across builds,
/// machines and versions, unlike a `Hasher`).
pub fn fingerprint(page: &Page, ev: &EventMeta, config: &Config) -> String {
    use sha2::Digest as _;
    let (start, end) = match dates(ev) {
        Dates::AllDay { start, end } => (format!("date {start}"), format!("date {end}")),
        Dates::Timed { start, end } => (start, end.unwrap_or_default()),
    };
    let text = [
        start,
        end,
        escape_text(&location(ev).unwrap_or_default()),
        escape_text(&summary(page, ev, config.language)),
        status_value(ev.status).to_string(),
    ]
    .join("\n");
    let digest = sha2::Sha256::digest(text.as_bytes());
    let mut hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    hex.truncate(FINGERPRINT_LEN);
    hex
}

/// The record an event is published with: its recorded SEQUENCE while
/// nothing subscribers see changed, one more when something did, the
/// status value ([`sequence`]) when it has no record yet (what builds
/// before `calendar.lock` published, so no value goes down); never below
/// the front matter's `sequence:`.
pub fn next_entry(
    page: &Page,
    ev: &EventMeta,
    config: &Config,
    recorded: Option<&LockEntry>,
) -> LockEntry {
    let fingerprint = fingerprint(page, ev, config);
    let sequence = match recorded {
        Some(r) if r.fingerprint == fingerprint => r.sequence,
        Some(r) => r.sequence.saturating_add(1),
        None => sequence(ev.status),
    };
    LockEntry {
        sequence: sequence.max(ev.sequence.unwrap_or(0)),
        fingerprint,
    }
}

/// Every calendar file of the site: `events/<slug>/event.ics` for each event
/// page (at the page's own path) and `events/calendar.ics` with all of them.
/// `calendar.ics` is written even with no events, so a subscription never
/// breaks; it is then a calendar without components. Drafts (only present
/// with `--drafts`) get their own `event.ics`, so the preview's links work,
/// but never enter the subscribed feed. SEQUENCE comes from `lock`.
pub fn outputs(
    events: &[&Page],
    config: &Config,
    now: &Zoned,
    lock: &CalendarLock,
) -> Vec<OutputFile> {
    outputs_of(events, &prepare(events, config, lock, None), config, now)
}

/// [`outputs`] from prepared VEVENTs.
fn outputs_of(
    events: &[&Page],
    prepared: &Prepared,
    config: &Config,
    now: &Zoned,
) -> Vec<OutputFile> {
    let stamp = stamp_line(now);
    // The same for every event's own file.
    let head = calendar_head(config, false);
    let mut files: Vec<OutputFile> = events
        .iter()
        .filter(|p| p.event().is_some())
        .map(|p| {
            let dir = p.path.trim_matches('/');
            OutputFile::new(
                format!("{dir}/event.ics"),
                event_ics_of(p, prepared, &head, &stamp).into_bytes(),
            )
        })
        .collect();
    files.push(OutputFile::new(
        "events/calendar.ics",
        calendar_ics_of(events, prepared, config, &stamp).into_bytes(),
    ));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    files
}

/// `/events/<slug>/event.ics` for one event page (page.meta is KindMeta::Event).
/// For a page that is not an event, the calendar is valid but has no VEVENT.
pub fn event_ics(page: &Page, config: &Config, now: &Zoned, lock: &CalendarLock) -> String {
    let prepared = prepare(&[page], config, lock, None);
    event_ics_of(
        page,
        &prepared,
        &calendar_head(config, false),
        &stamp_line(now),
    )
}

/// An event's own calendar: `head` ([`calendar_head`]), its VEVENT stamped.
fn event_ics_of(page: &Page, prepared: &Prepared, head: &str, stamp: &str) -> String {
    let v = prepared.0.get(&page.path);
    let size = head.len() + v.map_or(0, |v| v.text.len() + stamp.len()) + 16;
    let mut out = String::with_capacity(size);
    out.push_str(head);
    if let Some(v) = v {
        push_stamped(&mut out, v, stamp);
    }
    out.push_str("END:VCALENDAR\r\n");
    out
}

/// `/events/calendar.ics`: all events (upcoming and past, cancelled included),
/// subscribable. Sorted by start, then path; non-events and drafts are skipped,
/// and a path given twice is written once.
pub fn calendar_ics(events: &[&Page], config: &Config, now: &Zoned, lock: &CalendarLock) -> String {
    let prepared = prepare(events, config, lock, None);
    calendar_ics_of(events, &prepared, config, &stamp_line(now))
}

fn calendar_ics_of(events: &[&Page], prepared: &Prepared, config: &Config, stamp: &str) -> String {
    let mut list: Vec<(&Page, &EventMeta)> = events
        .iter()
        .filter(|p| !p.draft)
        .filter_map(|p| p.event().map(|e| (*p, e)))
        .collect();
    list.sort_by(|a, b| {
        a.1.start
            .timestamp()
            .cmp(&b.1.start.timestamp())
            .then_with(|| a.0.path.cmp(&b.0.path))
    });
    list.dedup_by(|a, b| a.0.path == b.0.path);
    let size: usize = list
        .iter()
        .filter_map(|(p, _)| prepared.0.get(&p.path))
        .map(|v| v.text.len() + stamp.len())
        .sum();
    let mut out = calendar_head(config, true);
    out.reserve(size + 32);
    for (page, _) in list {
        if let Some(v) = prepared.0.get(&page.path) {
            push_stamped(&mut out, v, stamp);
        }
    }
    out.push_str("END:VCALENDAR\r\n");
    out
}

/// The `DTSTAMP` content line of a build at `now`.
fn stamp_line(now: &Zoned) -> String {
    let mut s = String::new();
    prop(&mut s, "DTSTAMP", &utc(now));
    s
}

fn push_stamped(out: &mut String, v: &Vevent, stamp: &str) {
    out.push_str(&v.text[..v.stamp_at]);
    out.push_str(stamp);
    out.push_str(&v.text[v.stamp_at..]);
}

/// "Add to Google Calendar" link for an event (empty string for a page that
/// is not an event). Times are UTC (`…Z`) with `ctz` set to the site zone.
pub fn google_calendar_url(page: &Page, config: &Config) -> String {
    let Some(ev) = page.event() else {
        return String::new();
    };
    let (start, end) = match dates(ev) {
        Dates::AllDay { start, end } => (start, end),
        Dates::Timed { start, end } => (start.clone(), end.unwrap_or(start)),
    };
    let mut params = vec![
        ("action", "TEMPLATE".to_string()),
        ("text", query_encode(&summary(page, ev, config.language))),
        // `/` between the two dates is literal in Google's own links.
        (
            "dates",
            format!("{}/{}", query_encode(&start), query_encode(&end)),
        ),
        ("details", query_encode(&description(page, ev, config))),
    ];
    if let Some(loc) = location(ev) {
        params.push(("location", query_encode(&loc)));
    }
    params.push(("ctz", query_encode(&config.timezone_name)));
    let query: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!(
        "https://calendar.google.com/calendar/render?{}",
        query.join("&")
    )
}

/// Stable UID of an event: `<site path>@<host>`, e.g.
/// `events/2026-reunion@alumni.example.co.jp`.
pub fn uid(page: &Page, config: &Config) -> String {
    let path = escape::encode_path(&config.site_path(&page.path));
    format!("{}@{}", path.trim_matches('/'), host(config))
}

/// SEQUENCE of an event without a record in `calendar.lock` (what builds
/// published before there was one): scheduled 0, postponed 1, cancelled 2.
pub fn sequence(status: EventStatus) -> u32 {
    match status {
        EventStatus::Scheduled => 0,
        EventStatus::Postponed => 1,
        EventStatus::Cancelled => 2,
    }
}

fn host(config: &Config) -> String {
    let after = config
        .base_url
        .split_once("://")
        .map(|(_, r)| r)
        .unwrap_or(&config.base_url);
    let host = after.split(['/', '?', '#']).next().unwrap_or(after);
    let host = host.rsplit_once('@').map(|(_, h)| h).unwrap_or(host);
    host.to_ascii_lowercase()
}

/// `BEGIN:VCALENDAR` and the calendar's properties.
fn calendar_head(config: &Config, feed: bool) -> String {
    let mut out = String::with_capacity(512);
    begin_calendar(&mut out, config, feed);
    out
}

fn begin_calendar(out: &mut String, config: &Config, feed: bool) {
    out.push_str("BEGIN:VCALENDAR\r\n");
    prop(out, "VERSION", "2.0");
    let lang = match config.language {
        Language::Ja => "JA",
        Language::En => "EN",
    };
    prop(
        out,
        "PRODID",
        &format!("-//enishi//enishi {}//{lang}", env!("CARGO_PKG_VERSION")),
    );
    prop(out, "CALSCALE", "GREGORIAN");
    prop(out, "METHOD", "PUBLISH");
    prop(out, "X-WR-CALNAME", &escape_text(&config.title));
    if let Some(d) = config
        .description
        .as_deref()
        .filter(|d| !d.trim().is_empty())
    {
        prop(out, "X-WR-CALDESC", &escape_text(d));
    }
    prop(out, "X-WR-TIMEZONE", &escape_text(&config.timezone_name));
    if feed {
        // How often subscribers should re-fetch (RFC 7986, and the older
        // Microsoft/Apple spelling).
        prop(out, "REFRESH-INTERVAL;VALUE=DURATION", "PT6H");
        prop(out, "X-PUBLISHED-TTL", "PT6H");
    }
}

enum Dates {
    /// `YYYYMMDD`, end exclusive.
    AllDay { start: String, end: String },
    /// `YYYYMMDDTHHMMSSZ`.
    Timed { start: String, end: Option<String> },
}

fn utc(z: &Zoned) -> String {
    z.timestamp()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string()
}

fn ymd(d: jiff::civil::Date) -> String {
    d.strftime("%Y%m%d").to_string()
}

fn dates(ev: &EventMeta) -> Dates {
    if ev.all_day {
        let first = ev.start.date();
        let last = ev
            .end
            .as_ref()
            .map(|e| e.date())
            .unwrap_or(first)
            .max(first);
        let after = last.tomorrow().unwrap_or(last);
        Dates::AllDay {
            start: ymd(first),
            end: ymd(after),
        }
    } else {
        Dates::Timed {
            start: utc(&ev.start),
            end: ev.end.as_ref().map(utc),
        }
    }
}

fn summary(page: &Page, ev: &EventMeta, lang: Language) -> String {
    let prefix = match (ev.status, lang) {
        (EventStatus::Scheduled, _) => "",
        (EventStatus::Cancelled, Language::Ja) => "【中止】",
        (EventStatus::Cancelled, Language::En) => "[Cancelled] ",
        (EventStatus::Postponed, Language::Ja) => "【延期】",
        (EventStatus::Postponed, Language::En) => "[Postponed] ",
    };
    format!("{prefix}{}", page.title)
}

fn description(page: &Page, ev: &EventMeta, config: &Config) -> String {
    let mut parts = Vec::new();
    if !page.summary.trim().is_empty() {
        parts.push(page.summary.trim().to_string());
    }
    let (online, register) = match config.language {
        Language::Ja => ("オンライン", "申し込み"),
        Language::En => ("Online", "Register"),
    };
    if let Some(o) = ev.online.as_deref().filter(|o| !o.trim().is_empty()) {
        if ev.venue.is_some() {
            parts.push(format!("{online}: {}", o.trim()));
        }
    }
    if let Some(r) = ev.register.as_deref().filter(|r| !r.trim().is_empty()) {
        parts.push(format!("{register}: {}", r.trim()));
    }
    parts.push(page_url(page, config));
    parts.join("\n\n")
}

fn page_url(page: &Page, config: &Config) -> String {
    config.abs_url(&escape::encode_path(&page.path))
}

/// Venue name and address; the online URL when there is no venue.
fn location(ev: &EventMeta) -> Option<String> {
    let venue: Vec<&str> = ev
        .venue
        .iter()
        .flat_map(|v| [v.name.as_deref(), v.address.as_deref()])
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if !venue.is_empty() {
        return Some(venue.join(", "));
    }
    ev.online
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// An event's VEVENT without its `DTSTAMP` line, and where that line goes.
fn vevent_text(page: &Page, ev: &EventMeta, config: &Config, sequence: u32) -> (String, usize) {
    let mut out = String::with_capacity(768);
    out.push_str("BEGIN:VEVENT\r\n");
    prop(&mut out, "UID", &escape_text(&uid(page, config)));
    let stamp_at = out.len();
    match dates(ev) {
        Dates::AllDay { start, end } => {
            prop(&mut out, "DTSTART;VALUE=DATE", &start);
            prop(&mut out, "DTEND;VALUE=DATE", &end);
        }
        Dates::Timed { start, end } => {
            prop(&mut out, "DTSTART", &start);
            if let Some(end) = end {
                prop(&mut out, "DTEND", &end);
            }
        }
    }
    prop(
        &mut out,
        "SUMMARY",
        &escape_text(&summary(page, ev, config.language)),
    );
    prop(
        &mut out,
        "DESCRIPTION",
        &escape_text(&description(page, ev, config)),
    );
    if let Some(loc) = location(ev) {
        prop(&mut out, "LOCATION", &escape_text(&loc));
    }
    prop(
        &mut out,
        "URL;VALUE=URI",
        &strip_controls(&page_url(page, config)),
    );
    prop(&mut out, "CATEGORIES", &escape_text(ev.kind.as_str()));
    prop(&mut out, "STATUS", status_value(ev.status));
    prop(&mut out, "SEQUENCE", &sequence.to_string());
    out.push_str("END:VEVENT\r\n");
    (out, stamp_at)
}

fn status_value(status: EventStatus) -> &'static str {
    match status {
        EventStatus::Scheduled => "CONFIRMED",
        EventStatus::Cancelled => "CANCELLED",
        EventStatus::Postponed => "TENTATIVE",
    }
}

/// Write one content line `NAME:value`, folded.
fn prop(out: &mut String, name: &str, value: &str) {
    fold_into(out, &format!("{name}:{value}"));
}

/// Escape a TEXT value (RFC 5545 3.3.11): `\` `;` `,` and newlines; other
/// control characters (not allowed in TEXT) are dropped, tabs kept.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn strip_controls(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
}

/// Append `line` folded to at most 75 octets per physical line (continuation
/// lines start with one space, which counts), each ending in CRLF. Never
/// splits a UTF-8 character; avoids folding next to a space or tab when a
/// better point is within a few characters.
pub fn fold_into(out: &mut String, line: &str) {
    let mut rest = line;
    let mut first = true;
    loop {
        let limit = if first { 75 } else { 74 };
        if !first {
            out.push(' ');
        }
        if rest.len() <= limit {
            out.push_str(rest);
            out.push_str(CRLF);
            return;
        }
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let is_ws = |c: Option<char>| matches!(c, Some(' ') | Some('\t'));
        let good = |i: usize| {
            i > 0
                && rest.is_char_boundary(i)
                && !is_ws(rest[..i].chars().next_back())
                && !is_ws(rest[i..].chars().next())
        };
        if !good(cut) {
            if let Some(better) = (cut.saturating_sub(16)..cut).rev().find(|&i| good(i)) {
                cut = better;
            }
        }
        if cut == 0 {
            // Cannot happen (a character is at most 4 octets), but never loop.
            cut = rest.len();
        }
        out.push_str(&rest[..cut]);
        out.push_str(CRLF);
        rest = &rest[cut..];
        first = false;
    }
}

/// Percent-encode a query value: everything but RFC 3986 unreserved characters.
fn query_encode(s: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(s, SET).to_string()
}

/// `events/calendar.ics` and one `.ics` per event.
pub struct Calendar;

impl crate::outputs::Output for Calendar {
    fn name(&self) -> &'static str {
        "calendar"
    }
    fn reads(&self) -> crate::outputs::Reads {
        crate::outputs::Reads {
            cards: true,
            now: true,
            ..Default::default()
        }
    }
    fn run(&self, cx: &crate::outputs::Cx<'_>) -> Vec<OutputFile> {
        outputs_of(&cx.events(), cx.calendar, &cx.site.config, &cx.site.now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(s: &str) -> String {
        let mut out = String::new();
        fold_into(&mut out, s);
        out
    }

    fn unfold(s: &str) -> String {
        s.replace("\r\n ", "").trim_end_matches("\r\n").to_string()
    }

    #[test]
    fn short_line_is_not_folded() {
        assert_eq!(folded("VERSION:2.0"), "VERSION:2.0\r\n");
        let exact = format!("SUMMARY:{}", "a".repeat(75 - 8));
        assert_eq!(folded(&exact), format!("{exact}\r\n"));
    }

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        // 3-octet characters: 8 + 3k never lands exactly on 75.
        let line = format!("SUMMARY:{}", "縁".repeat(60));
        let out = folded(&line);
        for l in out.split_terminator("\r\n") {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        assert!(out.lines().count() > 2);
        assert_eq!(unfold(&out), line);
        // Folding is greedy: the first line is as full as possible.
        assert_eq!(out.split("\r\n").next().map(str::len), Some(74));
    }

    #[test]
    fn folds_away_from_spaces() {
        let line = format!("DESCRIPTION:{} tail words here", "x".repeat(62));
        let out = folded(&line);
        for l in out.split_terminator("\r\n") {
            assert!(!l.ends_with(' '), "line ends in a space: {l:?}");
            assert!(l.len() <= 75);
        }
        assert_eq!(unfold(&out), line);
    }

    #[test]
    fn long_word_is_still_folded() {
        let line = format!("URL:https://example.com/{}", "a".repeat(300));
        let out = folded(&line);
        assert!(out.split_terminator("\r\n").all(|l| l.len() <= 75));
        assert_eq!(unfold(&out), line);
    }

    #[test]
    fn escapes_text() {
        assert_eq!(
            escape_text("a,b;c\\d\ne\r\nf\rg\u{7}h\ti"),
            "a\\,b\\;c\\\\d\\ne\\nf\\ngh\ti"
        );
    }

    #[test]
    fn encodes_query() {
        assert_eq!(query_encode("a b&c/日"), "a%20b%26c%2F%E6%97%A5");
    }
}
