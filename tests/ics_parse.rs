//! Every generated `.ics` is parsed with an independent iCalendar parser (the
//! `ical` crate, which unfolds lines itself) and checked property by property;
//! the raw text is checked for CRLF, 75-octet lines and intact UTF-8.

mod testmodel;

use enishi::config::Config;
use enishi::model::*;
use enishi::outputs::calendar::{calendar_ics, event_ics, google_calendar_url};
use ical::parser::ical::component::{IcalCalendar, IcalEvent};
use ical::property::Property;
use testmodel::*;

/// A title with Japanese text over 75 octets, a comma, a semicolon, a
/// newline and a backslash.
const HARD_TITLE: &str =
    "2026年 秋のアルムナイ交流会、東京・大阪同時開催, 懇親会あり; 参加費無料\n第二部は C:\\alumni でライトニングトーク";

struct Site {
    config: Config,
    now: jiff::Zoned,
    events: Vec<Page>,
}

fn site() -> Site {
    let config = config();
    let now = at(&config, "2026-09-01T12:34:56");

    let mut reunion = event_meta(
        at(&config, "2026-10-20T19:00"),
        Some(at(&config, "2026-10-20T21:30")),
    );
    reunion.venue = venue("サンプル本社 20F", "東京都千代田区丸の内1-1-1, 丸の内ビル");
    reunion.register = Some("https://example.co.jp/register?e=1&x=2".into());
    let mut reunion = event_page("2026-autumn-reunion", HARD_TITLE, reunion);
    reunion.summary = "年に一度の交流会です。\n同期と、今の仕事の話を。".into();

    let mut seminar = event_meta(at(&config, "2026-09-15T12:00"), None);
    seminar.kind = EventKind::Seminar;
    seminar.online = Some("https://meet.example.com/abc-defg".into());
    let seminar = event_page("ランチ勉強会", "ランチ勉強会: SaaS の価格設計", seminar);

    let mut festival = event_meta(
        at(&config, "2026-11-03T00:00"),
        Some(at(&config, "2026-11-04T00:00")),
    );
    festival.all_day = true;
    festival.kind = EventKind::Other;
    festival.venue = venue("大阪オフィス", "大阪府大阪市北区梅田2-2-2");
    let festival = event_page("osaka-fes", "大阪アルムナイ祭り", festival);

    let mut cancelled = event_meta(
        at(&config, "2026-10-01T18:00"),
        Some(at(&config, "2026-10-01T20:00")),
    );
    cancelled.kind = EventKind::Pitch;
    cancelled.status = EventStatus::Cancelled;
    cancelled.venue = venue("福岡支社", "福岡県福岡市中央区天神3-3-3");
    let cancelled = event_page("fukuoka-pitch", "福岡ピッチナイト", cancelled);

    let mut postponed = event_meta(at(&config, "2026-10-01T18:00"), None);
    postponed.status = EventStatus::Postponed;
    postponed.online = Some("https://meet.example.com/postponed".into());
    let postponed = event_page("aa-postponed", "延期になった会", postponed);

    let mut past = event_meta(
        at(&config, "2026-03-01T10:00"),
        Some(at(&config, "2026-03-01T12:00")),
    );
    past.past = true;
    past.kind = EventKind::Meetup;
    let past = event_page("spring-meetup", "春のミートアップ", past);

    Site {
        config,
        now,
        events: vec![reunion, seminar, festival, cancelled, postponed, past],
    }
}

fn parse(ics: &str) -> IcalCalendar {
    let mut parser = ical::IcalParser::new(ics.as_bytes());
    let cal = match parser.next() {
        Some(Ok(c)) => c,
        Some(Err(e)) => panic!("ical parse error: {e}\n{ics}"),
        None => panic!("no calendar in:\n{ics}"),
    };
    assert!(parser.next().is_none(), "exactly one VCALENDAR");
    cal
}

/// RFC 5545 TEXT unescaping, written here independently of the generator.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(o) => out.push(o),
                None => panic!("dangling backslash in {s:?}"),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn props<'a>(list: &'a [Property], name: &str) -> Vec<&'a Property> {
    list.iter().filter(|p| p.name == name).collect()
}

fn one<'a>(list: &'a [Property], name: &str) -> &'a Property {
    let found = props(list, name);
    assert_eq!(
        found.len(),
        1,
        "expected exactly one {name}, found {}",
        found.len()
    );
    found[0]
}

fn value(list: &[Property], name: &str) -> String {
    one(list, name).value.clone().unwrap_or_default()
}

fn text(list: &[Property], name: &str) -> String {
    unescape(&value(list, name))
}

fn param(p: &Property, name: &str) -> Option<String> {
    p.params
        .as_ref()?
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.join(","))
}

/// CRLF everywhere, no line over 75 octets, every physical line valid UTF-8
/// on its own (so no character was split by folding).
fn check_physical_lines(ics: &str) {
    let bytes = ics.as_bytes();
    assert!(ics.ends_with("\r\n"), "ends with CRLF");
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' {
            assert!(i > 0 && bytes[i - 1] == b'\r', "bare LF at byte {i}");
        }
        if *b == b'\r' {
            assert_eq!(bytes.get(i + 1), Some(&b'\n'), "bare CR at byte {i}");
        }
    }
    let mut folded = 0;
    for line in bytes.split(|b| *b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        assert!(
            line.len() <= 75,
            "line of {} octets: {:?}",
            line.len(),
            String::from_utf8_lossy(line)
        );
        if let Err(e) = std::str::from_utf8(line) {
            panic!("folding split a UTF-8 character: {e}: {line:?}");
        }
        if line.starts_with(b" ") {
            folded += 1;
        }
    }
    assert!(folded > 0, "the fixture is meant to need folding");
}

fn check_calendar_props(cal: &IcalCalendar, config: &Config) {
    let p = &cal.properties;
    assert_eq!(value(p, "VERSION"), "2.0");
    assert!(value(p, "PRODID").starts_with("-//enishi//"));
    assert_eq!(value(p, "CALSCALE"), "GREGORIAN");
    assert_eq!(value(p, "METHOD"), "PUBLISH");
    assert_eq!(text(p, "X-WR-CALNAME"), config.title);
    assert_eq!(text(p, "X-WR-TIMEZONE"), "Asia/Tokyo");
    assert!(
        cal.timezones.is_empty(),
        "times are UTC, no VTIMEZONE needed"
    );
}

fn by_uid<'a>(cal: &'a IcalCalendar, uid: &str) -> &'a IcalEvent {
    cal.events
        .iter()
        .find(|e| value(&e.properties, "UID") == uid)
        .unwrap_or_else(|| panic!("no event with UID {uid}"))
}

#[test]
fn every_event_ics_parses_and_carries_its_properties() {
    let s = site();
    for page in &s.events {
        let ics = event_ics(page, &s.config, &s.now, &Default::default());
        if page.slug == "2026-autumn-reunion" {
            check_physical_lines(&ics);
        }
        let cal = parse(&ics);
        check_calendar_props(&cal, &s.config);
        assert_eq!(cal.events.len(), 1, "{}", page.slug);
        let e = &cal.events[0].properties;
        let ev = page
            .event()
            .unwrap_or_else(|| panic!("fixture is an event"));
        assert_eq!(
            value(e, "DTSTAMP"),
            "20260901T033456Z",
            "DTSTAMP is now in UTC"
        );
        assert!(value(e, "UID").ends_with("@alumni.example.co.jp"));
        let url = text(e, "URL");
        assert!(
            url.starts_with("https://alumni.example.co.jp/events/"),
            "{url}"
        );
        assert!(
            text(e, "DESCRIPTION").contains(&url),
            "DESCRIPTION carries the URL"
        );
        let summary = text(e, "SUMMARY");
        let (status, seq) = match ev.status {
            EventStatus::Scheduled => ("CONFIRMED", 0),
            EventStatus::Postponed => ("TENTATIVE", 1),
            EventStatus::Cancelled => ("CANCELLED", 2),
        };
        assert_eq!(value(e, "STATUS"), status, "{}", page.slug);
        assert_eq!(value(e, "SEQUENCE"), seq.to_string());
        assert!(summary.ends_with(&page.title), "{summary:?}");
    }
}

#[test]
fn hard_summary_round_trips() {
    let s = site();
    let ics = event_ics(&s.events[0], &s.config, &s.now, &Default::default());
    check_physical_lines(&ics);
    assert!(HARD_TITLE.len() > 75 && HARD_TITLE.contains([',', ';', '\n', '\\']));
    // The escaped form is in the file, not the raw one.
    assert!(
        ics.contains("\\,") && ics.contains("\\;") && ics.contains("\\n") && ics.contains("\\\\")
    );
    let cal = parse(&ics);
    let e = &cal.events[0].properties;
    assert_eq!(text(e, "SUMMARY"), HARD_TITLE);
    assert_eq!(
        text(e, "DESCRIPTION"),
        "年に一度の交流会です。\n同期と、今の仕事の話を。\n\n申し込み: https://example.co.jp/register?e=1&x=2\n\nhttps://alumni.example.co.jp/events/2026-autumn-reunion/"
    );
    assert_eq!(
        text(e, "LOCATION"),
        "サンプル本社 20F, 東京都千代田区丸の内1-1-1, 丸の内ビル"
    );
    assert_eq!(value(e, "DTSTART"), "20261020T100000Z");
    assert_eq!(value(e, "DTEND"), "20261020T123000Z");
    assert_eq!(
        value(e, "UID"),
        "events/2026-autumn-reunion@alumni.example.co.jp"
    );
    assert_eq!(text(e, "CATEGORIES"), "reunion");
}

#[test]
fn calendar_feed_has_all_events_sorted_with_stable_uids() {
    let s = site();
    let refs: Vec<&Page> = s.events.iter().collect();
    let ics = calendar_ics(&refs, &s.config, &s.now, &Default::default());
    check_physical_lines(&ics);
    let cal = parse(&ics);
    check_calendar_props(&cal, &s.config);
    assert_eq!(value(&cal.properties, "REFRESH-INTERVAL"), "PT6H");
    assert_eq!(
        cal.events.len(),
        s.events.len(),
        "past and cancelled included"
    );

    let starts: Vec<String> = cal
        .events
        .iter()
        .map(|e| value(&e.properties, "DTSTART"))
        .collect();
    // Sorted by start (UTC times and dates compare as strings by their first 8
    // digits here); equal starts by path: aa-postponed before fukuoka-pitch.
    assert_eq!(
        starts,
        [
            "20260301T010000Z",
            "20260915T030000Z",
            "20261001T090000Z",
            "20261001T090000Z",
            "20261020T100000Z",
            "20261103",
        ]
    );
    let uids: Vec<String> = cal
        .events
        .iter()
        .map(|e| value(&e.properties, "UID"))
        .collect();
    assert_eq!(uids[2], "events/aa-postponed@alumni.example.co.jp");
    assert_eq!(uids[3], "events/fukuoka-pitch@alumni.example.co.jp");
    let mut unique = uids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), uids.len(), "UIDs are unique");

    // The same UID in event.ics and calendar.ics, and in every build.
    for page in &s.events {
        let single = parse(&event_ics(page, &s.config, &s.now, &Default::default()));
        let uid = value(&single.events[0].properties, "UID");
        let in_feed = by_uid(&cal, &uid);
        assert_eq!(
            value(&in_feed.properties, "SUMMARY"),
            value(&single.events[0].properties, "SUMMARY")
        );
    }
    // Japanese slug: UID is percent-encoded ASCII.
    assert!(uids.contains(
        &"events/%E3%83%A9%E3%83%B3%E3%83%81%E5%8B%89%E5%BC%B7%E4%BC%9A@alumni.example.co.jp"
            .to_string()
    ));

    // Input order does not matter; output is byte-identical.
    let mut reversed = refs.clone();
    reversed.reverse();
    assert_eq!(
        calendar_ics(&reversed, &s.config, &s.now, &Default::default()),
        ics
    );
}

#[test]
fn cancelled_event_updates_the_scheduled_entry() {
    let s = site();
    let cancelled = &s.events[3];
    let mut scheduled = cancelled.clone();
    if let KindMeta::Event(e) = &mut scheduled.meta {
        e.status = EventStatus::Scheduled;
    }
    let before = parse(&event_ics(
        &scheduled,
        &s.config,
        &s.now,
        &Default::default(),
    ));
    let after = parse(&event_ics(
        cancelled,
        &s.config,
        &s.now,
        &Default::default(),
    ));
    let (b, a) = (&before.events[0].properties, &after.events[0].properties);
    assert_eq!(value(b, "UID"), value(a, "UID"));
    assert_eq!(value(b, "STATUS"), "CONFIRMED");
    assert_eq!(value(a, "STATUS"), "CANCELLED");
    let seq = |p: &[Property]| value(p, "SEQUENCE").parse::<u32>().unwrap_or(u32::MAX);
    assert!(seq(a) > seq(b));
    assert_eq!(text(a, "SUMMARY"), "【中止】福岡ピッチナイト");
    assert_eq!(text(b, "SUMMARY"), "福岡ピッチナイト");
}

#[test]
fn all_day_events_use_dates_with_exclusive_end() {
    let s = site();
    let cal = parse(&event_ics(
        &s.events[2],
        &s.config,
        &s.now,
        &Default::default(),
    ));
    let e = &cal.events[0].properties;
    let start = one(e, "DTSTART");
    let end = one(e, "DTEND");
    assert_eq!(param(start, "VALUE").as_deref(), Some("DATE"));
    assert_eq!(param(end, "VALUE").as_deref(), Some("DATE"));
    assert_eq!(start.value.as_deref(), Some("20261103"));
    // 3rd and 4th of November: DTEND is the 5th.
    assert_eq!(end.value.as_deref(), Some("20261105"));

    // A one-day event without `end` lasts that day.
    let mut one_day = s.events[2].clone();
    if let KindMeta::Event(ev) = &mut one_day.meta {
        ev.end = None;
    }
    let cal = parse(&event_ics(&one_day, &s.config, &s.now, &Default::default()));
    assert_eq!(value(&cal.events[0].properties, "DTEND"), "20261104");
}

#[test]
fn online_only_event_has_the_url_as_location_and_no_dtend_without_end() {
    let s = site();
    let cal = parse(&event_ics(
        &s.events[1],
        &s.config,
        &s.now,
        &Default::default(),
    ));
    let e = &cal.events[0].properties;
    assert_eq!(text(e, "LOCATION"), "https://meet.example.com/abc-defg");
    assert_eq!(value(e, "DTSTART"), "20260915T030000Z");
    assert!(props(e, "DTEND").is_empty());
    assert_eq!(text(e, "SUMMARY"), "ランチ勉強会: SaaS の価格設計");
}

#[test]
fn daylight_saving_zone_converts_to_utc() {
    let config = config_with("Europe/Berlin", "en");
    let now = at(&config, "2026-01-01T00:00");
    let summer = event_page(
        "summer",
        "Summer",
        event_meta(at(&config, "2026-07-01T10:00"), None),
    );
    let winter = event_page(
        "winter",
        "Winter",
        event_meta(at(&config, "2026-12-01T10:00"), None),
    );
    let ics = calendar_ics(&[&winter, &summer], &config, &now, &Default::default());
    let cal = parse(&ics);
    assert_eq!(value(&cal.properties, "X-WR-TIMEZONE"), "Europe/Berlin");
    assert!(value(&cal.properties, "PRODID").ends_with("//EN"));
    assert_eq!(
        value(&cal.events[0].properties, "DTSTART"),
        "20260701T080000Z"
    );
    assert_eq!(
        value(&cal.events[1].properties, "DTSTART"),
        "20261201T090000Z"
    );
    assert_eq!(
        value(&cal.events[0].properties, "DTSTAMP"),
        "20251231T230000Z"
    );
}

#[test]
fn drafts_and_non_events_never_reach_the_feed() {
    let s = site();
    let mut draft = s.events[0].clone();
    draft.draft = true;
    draft.path = "/events/draft/".into();
    let news = page(Kind::News, "n", "News", KindMeta::News);
    let dup = s.events[1].clone();
    let ics = calendar_ics(
        &[&draft, &news, &s.events[1], &dup],
        &s.config,
        &s.now,
        &Default::default(),
    );
    assert_eq!(parse(&ics).events.len(), 1);
    // A non-event page gives a valid, empty calendar rather than a panic.
    assert_eq!(
        parse(&event_ics(&news, &s.config, &s.now, &Default::default()))
            .events
            .len(),
        0
    );
}

#[test]
fn google_calendar_link() {
    let s = site();
    let url = google_calendar_url(&s.events[0], &s.config);
    assert!(url.starts_with("https://calendar.google.com/calendar/render?action=TEMPLATE&"));
    assert!(url.contains("&dates=20261020T100000Z/20261020T123000Z"));
    assert!(url.contains("&ctz=Asia%2FTokyo"));
    // Every user value is percent-encoded: no raw newline, space, `&` from the
    // register URL or `#`.
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    let keys: Vec<&str> = query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, _)| k)
        .collect();
    assert_eq!(
        keys,
        ["action", "text", "dates", "details", "location", "ctz"]
    );
    assert!(!url.contains(['\n', ' ', '#']));
    let text = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("text="))
        .unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(text).decode_utf8_lossy();
    assert_eq!(decoded, HARD_TITLE);

    let all_day = google_calendar_url(&s.events[2], &s.config);
    assert!(all_day.contains("&dates=20261103/20261105"));
    assert_eq!(
        google_calendar_url(&page(Kind::News, "n", "N", KindMeta::News), &s.config),
        ""
    );
}

#[test]
#[ignore = "prints a sample for eyeballing: cargo test --test ics_parse dump -- --ignored --nocapture"]
fn dump() {
    let s = site();
    let refs: Vec<&Page> = s.events.iter().collect();
    print!(
        "{}",
        calendar_ics(&refs, &s.config, &s.now, &Default::default())
    );
    println!("{}", google_calendar_url(&s.events[0], &s.config));
}

#[test]
fn outputs_are_one_file_per_event_plus_the_feed() {
    let s = site();
    let refs: Vec<&Page> = s.events.iter().collect();
    let files = enishi::outputs::calendar::outputs(&refs, &s.config, &s.now, &Default::default());
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "events/2026-autumn-reunion/event.ics",
            "events/aa-postponed/event.ics",
            "events/calendar.ics",
            "events/fukuoka-pitch/event.ics",
            "events/osaka-fes/event.ics",
            "events/spring-meetup/event.ics",
            "events/ランチ勉強会/event.ics",
        ]
    );
    for f in &files {
        let text = String::from_utf8(f.bytes.clone()).unwrap_or_else(|e| panic!("{e}"));
        let cal = parse(&text);
        let expected = if f.path == "events/calendar.ics" {
            6
        } else {
            1
        };
        assert_eq!(cal.events.len(), expected, "{}", f.path);
    }
    // No events: still a parseable calendar, so subscriptions keep working.
    let empty = enishi::outputs::calendar::outputs(&[], &s.config, &s.now, &Default::default());
    assert_eq!(empty.len(), 1);
    let text = String::from_utf8(empty[0].bytes.clone()).unwrap_or_default();
    let cal = parse(&text);
    check_calendar_props(&cal, &s.config);
    assert!(cal.events.is_empty());
    assert_eq!(
        s.config.webcal_url(),
        "webcal://alumni.example.co.jp/events/calendar.ics"
    );
}

mod prop {
    use super::*;
    use proptest::prelude::*;

    /// Words of Japanese, ASCII, emoji and the characters TEXT escapes,
    /// joined by single spaces or newlines.
    fn word() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("縁".to_string()),
                Just("アルムナイ".to_string()),
                Just("𠮷野家".to_string()),
                Just("🎉".to_string()),
                Just(",".to_string()),
                Just(";".to_string()),
                Just("\\".to_string()),
                Just(":".to_string()),
                Just("\"".to_string()),
                "[a-zA-Z0-9]{1,12}",
                "[ぁ-ゖ]{1,8}",
            ],
            1..6,
        )
        .prop_map(|parts| parts.concat())
    }

    /// Never starts with `:`: ical 0.11 strips leading colons from every
    /// value (`trim_start_matches(':')`), a parser bug; colons inside are
    /// covered, and `check_ics.py` (Python icalendar) checks real sites.
    fn any_text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            (word(), prop_oneof![Just(" "), Just("\n"), Just("\r\n")]),
            1..30,
        )
        .prop_map(|ws| {
            let mut s = String::new();
            for (w, sep) in ws {
                if !s.is_empty() {
                    s.push_str(sep);
                }
                s.push_str(&w);
            }
            if s.starts_with(':') {
                s.insert(0, 'x');
            }
            s
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        #[test]
        fn any_title_and_summary_round_trip(title in any_text(), summary in any_text(), place in any_text()) {
            let config = config();
            let now = at(&config, "2026-09-01T00:00");
            let mut meta = event_meta(at(&config, "2026-10-20T19:00"), None);
            meta.venue = Some(Venue { name: Some(place.clone()), address: None });
            let mut page = event_page("x", &title, meta);
            page.summary = summary.clone();
            let ics = event_ics(&page, &config, &now, &Default::default());
            for line in ics.as_bytes().split(|b| *b == b'\n') {
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                prop_assert!(line.len() <= 75);
                prop_assert!(std::str::from_utf8(line).is_ok());
            }
            prop_assert!(!ics.replace("\r\n", "").contains('\n'));
            let cal = parse(&ics);
            let e = &cal.events[0].properties;
            let norm = |s: &str| s.replace("\r\n", "\n");
            prop_assert_eq!(text(e, "SUMMARY"), norm(&title));
            prop_assert_eq!(text(e, "LOCATION"), norm(place.trim()));
            prop_assert!(text(e, "DESCRIPTION").starts_with(&norm(summary.trim())));
        }
    }
}
