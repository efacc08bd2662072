//! End-to-end tests of `enishi digest`: the window's edges, what is left out,
//! the `.eml` as an independent MIME parser (mailparse) reads it, and
//! determinism.
mod common;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Output;

use common::*;

fn job(title: &str, date: &str, closes: Option<&str>) -> String {
    let closes = closes.map(|c| format!("closes: {c}\n")).unwrap_or_default();
    format!(
        "---\ntitle: {title}\ndate: {date}\nkind: comeback\nlocation: 東京\n{closes}---\n本文\n"
    )
}

fn event(title: &str, start: &str, place: &str) -> String {
    format!(
        "---\ntitle: {title}\ndate: 2026-10-01\nkind: meetup\nstart: {start}\n{place}---\n本文\n"
    )
}

const ROSTER: &str = "- id: roster-person\n  name: ROSTER_PERSON\n  now: { company: ROSTER_COMPANY }\n  email: roster@example.com\n  consent:\n    given: 2026-04-01\n    public: [name, now]\n";

/// A site with items on both sides of the window 2026-11-01 .. 2026-11-30.
fn edges() -> tempfile::TempDir {
    site(&[
        ("content/news/before.md", &news("BEFORE_EDGE", "2026-10-31T23:59:59+09:00", "", "x")),
        ("content/news/first.md", &news("FIRST_DAY", "2026-11-01", "summary: 初日の要約\n", "x")),
        // 15:30 UTC on Oct 31 is 00:30 on Nov 1 in Tokyo: inside.
        ("content/news/utc.md", &news("UTC_EDGE", "2026-10-31T15:30:00Z", "", "x")),
        ("content/news/last.md", &news("LAST_DAY", "2026-11-30T23:59:00+09:00", "", "x")),
        ("content/news/after.md", &news("AFTER_EDGE", "2026-12-01T00:00:00+09:00", "", "x")),
        ("content/news/draft.md", &news("DRAFT_ITEM", "2026-11-10", "draft: true\n", "x")),
        ("content/news/amp.md", &news("'\"Q&A\" <特集>'", "2026-11-12", "", "x")),
        (
            "content/interviews/iv.md",
            "---\ntitle: INTERVIEW_ITEM\ndate: 2026-11-15\nperson: { name: 佐藤 健, now: { company: 株式会社スタート } }\n---\n本文\n",
        ),
        ("content/jobs/later.md", &job("JOB_LATER", "2026-09-01", Some("2026-12-10"))),
        ("content/jobs/soon.md", &job("JOB_SOON", "2026-11-20", Some("2026-12-05"))),
        ("content/jobs/open.md", &job("JOB_NO_DEADLINE", "2026-08-01", None)),
        ("content/jobs/closed.md", &job("JOB_CLOSED", "2026-11-02", Some("2026-11-30"))),
        (
            "content/events/past.md",
            &event("EVENT_PAST", "2026-11-20T19:00:00+09:00", "venue: { name: 過去会場 }\n"),
        ),
        (
            "content/events/next.md",
            &event(
                "EVENT_NEXT",
                "2026-12-20T19:00:00+09:00",
                "end: 2026-12-20T21:00:00+09:00\nvenue: { name: 本社ラウンジ, address: 東京都千代田区 }\nregister: https://example.jp/register?id=1&x=2\n",
            ),
        ),
        (
            "content/events/online.md",
            &event("EVENT_ONLINE", "2026-12-03T12:00:00+09:00", "online: https://meet.example.jp/x\n"),
        ),
        ("data/roster.yaml", ROSTER),
    ])
}

fn digest(root: &Path, args: &[&str]) -> Output {
    let mut c = bin();
    c.arg("digest").arg("--root").arg(root).args(args);
    c.env_remove("SOURCE_DATE_EPOCH");
    c.output().expect("run enishi")
}

const NOV: [&str; 6] = [
    "--since",
    "2026-11-01",
    "--until",
    "2026-11-30",
    "--now",
    "2026-12-01",
];

/// Run with `--output <dir>/d.eml`; returns (eml bytes, html, text).
fn written(root: &Path, args: &[&str]) -> (Vec<u8>, String, String) {
    let out = root.join("out").join("d.eml");
    let mut all: Vec<&str> = args.to_vec();
    let o_str = out.to_string_lossy().into_owned();
    all.extend(["--output", &o_str]);
    let o = digest(root, &all);
    assert!(o.status.success(), "{}", stderr(&o));
    let dir = root.join("out");
    (
        std::fs::read(dir.join("d.eml")).expect("eml"),
        std::fs::read_to_string(dir.join("d.html")).expect("html"),
        std::fs::read_to_string(dir.join("d.txt")).expect("txt"),
    )
}

fn hrefs(html: &str) -> BTreeSet<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(|s| s.replace("&amp;", "&"))
        .collect()
}

fn text_urls(text: &str) -> BTreeSet<String> {
    text.split_whitespace()
        .filter(|w| w.starts_with("https://") || w.starts_with("http://"))
        .map(str::to_string)
        .collect()
}

#[test]
fn window_edges_are_inclusive_by_day_in_the_site_time_zone() {
    let s = edges();
    let o = digest(s.path(), &NOV);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    for inside in [
        "FIRST_DAY",
        "UTC_EDGE",
        "LAST_DAY",
        "INTERVIEW_ITEM",
        "\"Q&A\" <特集>",
    ] {
        assert!(text.contains(inside), "{inside} missing:\n{text}");
    }
    for outside in ["BEFORE_EDGE", "AFTER_EDGE", "DRAFT_ITEM"] {
        assert!(
            !text.contains(outside),
            "{outside} should be left out:\n{text}"
        );
    }
    // Absolute links, dates, summaries.
    assert!(
        text.contains("https://alumni.example.jp/news/first/"),
        "{text}"
    );
    assert!(
        text.contains("2026年11月1日") && text.contains("初日の要約"),
        "{text}"
    );
    // Narrow the window by one day on each side: the edge items drop out.
    let o = digest(
        s.path(),
        &[
            "--since",
            "2026-11-02",
            "--until",
            "2026-11-29",
            "--now",
            "2026-12-01",
        ],
    );
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", stderr(&o));
    for outside in ["FIRST_DAY", "UTC_EDGE", "LAST_DAY"] {
        assert!(!text.contains(outside), "{outside} should be out:\n{text}");
    }
    assert!(text.contains("INTERVIEW_ITEM"));
}

#[test]
fn scheduled_posts_are_left_out_and_the_default_window_is_30_days() {
    let s = edges();
    write(
        s.path(),
        "content/news/scheduled.md",
        &news("SCHEDULED", "2026-11-25", "", "x"),
    );
    // Window up to Nov 30, but "now" is Nov 20: the Nov 25 post is not published yet.
    let o = digest(
        s.path(),
        &[
            "--since",
            "2026-11-01",
            "--until",
            "2026-11-30",
            "--now",
            "2026-11-20",
        ],
    );
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !text.contains("SCHEDULED") && text.contains("FIRST_DAY"),
        "{text}"
    );
    // Default: Nov 1 .. Nov 30 (30 days up to now, inclusive).
    let o = digest(s.path(), &["--now", "2026-11-30T12:00:00+09:00"]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("2026年11月1日〜2026年11月30日"), "{text}");
    assert!(
        text.contains("FIRST_DAY") && !text.contains("BEFORE_EDGE"),
        "{text}"
    );
}

#[test]
fn jobs_close_soonest_first_and_closed_jobs_past_events_and_roster_stay_out() {
    let s = edges();
    let (eml, html, text) = written(s.path(), &NOV);
    let soon = text.find("JOB_SOON").expect("soon");
    let later = text.find("JOB_LATER").expect("later");
    let open = text.find("JOB_NO_DEADLINE").expect("open");
    assert!(soon < later && later < open, "{text}");
    assert!(text.contains("締切まであと4日"), "{text}");
    assert!(text.contains("締切なし"), "{text}");
    // Upcoming events soonest first, with time zone, venue and registration.
    let online = text.find("EVENT_ONLINE").expect("online");
    let next = text.find("EVENT_NEXT").expect("next");
    assert!(online < next, "{text}");
    assert!(text.contains("19:00–21:00 (JST)"), "{text}");
    assert!(
        text.contains("本社ラウンジ") && text.contains("オンライン"),
        "{text}"
    );
    assert!(
        text.contains("https://example.jp/register?id=1&x=2"),
        "{text}"
    );
    let eml = String::from_utf8_lossy(&eml);
    for (name, body) in [("text", &text), ("html", &html), ("eml", &eml.to_string())] {
        for gone in [
            "JOB_CLOSED",
            "EVENT_PAST",
            "ROSTER_PERSON",
            "ROSTER_COMPANY",
            "roster@example.com",
        ] {
            assert!(!body.contains(gone), "{gone} in the {name}");
        }
    }
}

#[test]
fn eml_parses_into_matching_text_and_html_parts() {
    let s = edges();
    let (eml, html, text) = written(s.path(), &NOV);
    let raw = String::from_utf8(eml.clone()).expect("eml is ASCII");
    assert!(raw.is_ascii());
    for line in raw.split("\r\n") {
        assert!(line.len() <= 78, "line too long: {line}");
        assert!(!line.contains('\n'), "bare LF in the .eml");
    }
    let m = mailparse::parse_mail(&eml).expect("parses");
    assert_eq!(m.ctype.mimetype, "multipart/alternative");
    let h = |k: &str| {
        mailparse::MailHeaderMap::get_first_value(m.headers.as_slice(), k).unwrap_or_default()
    };
    assert_eq!(
        h("Subject"),
        "テスト株式会社 アルムナイ ニュースレター（2026年11月1日〜2026年11月30日）"
    );
    assert_eq!(h("MIME-Version"), "1.0");
    assert_eq!(h("Date"), "Tue, 01 Dec 2026 00:00:00 +0900");
    assert_eq!(
        h("Message-ID"),
        "<digest.2026-11-01.2026-11-30@alumni.example.jp>"
    );
    let from = mailparse::addrparse(&h("From")).expect("From parses");
    match &from[0] {
        mailparse::MailAddr::Single(a) => {
            assert_eq!(a.addr, "noreply@alumni.example.jp");
            assert_eq!(a.display_name.as_deref(), Some("テスト株式会社"));
        }
        other => panic!("{other:?}"),
    }
    assert!(mailparse::addrparse(&h("To")).is_ok_and(|a| a.len() == 1));

    assert_eq!(m.subparts.len(), 2);
    let (tp, hp) = (&m.subparts[0], &m.subparts[1]);
    assert_eq!(tp.ctype.mimetype, "text/plain");
    assert_eq!(hp.ctype.mimetype, "text/html");
    assert_eq!(tp.ctype.charset.to_ascii_lowercase(), "utf-8");
    assert_eq!(hp.ctype.charset.to_ascii_lowercase(), "utf-8");
    let tbody = tp.get_body().expect("text body").replace("\r\n", "\n");
    let hbody = hp.get_body().expect("html body").replace("\r\n", "\n");
    assert_eq!(tbody, text, "text part = the .txt file");
    assert_eq!(hbody, html, "html part = the .html file");

    // Same links and the same titles in both parts.
    let (hl, tl) = (hrefs(&hbody), text_urls(&tbody));
    assert!(
        hl.contains("https://alumni.example.jp/news/first/"),
        "{hl:?}"
    );
    assert_eq!(hl, tl, "links differ between the HTML and the text part");
    for title in [
        "FIRST_DAY",
        "UTC_EDGE",
        "LAST_DAY",
        "INTERVIEW_ITEM",
        "JOB_SOON",
        "EVENT_NEXT",
    ] {
        assert!(tbody.contains(title) && hbody.contains(title), "{title}");
    }
    // Escaped for where it lands: raw in text, entities in HTML.
    assert!(tbody.contains("\"Q&A\" <特集>"), "{tbody}");
    assert!(
        hbody.contains("&quot;Q&amp;A&quot; &lt;特集&gt;"),
        "{hbody}"
    );

    // HTML for mail clients: a document, nothing to load, nothing to run.
    let lower = hbody.to_ascii_lowercase();
    assert!(lower.starts_with("<!doctype html>") || lower.contains("\n<!doctype html>"));
    for bad in [
        "<script", " src=", "<img", "<link", "<style", "url(", "<iframe",
    ] {
        assert!(!lower.contains(bad), "{bad} in the HTML digest");
    }
    assert!(hl.iter().all(|u| u.starts_with("https://")), "{hl:?}");
}

#[test]
fn output_is_deterministic() {
    let s = edges();
    let a = written(s.path(), &NOV);
    let b = written(s.path(), &NOV);
    assert_eq!(a, b);
    // The boundary depends on the content: another window, another boundary.
    let c = written(
        s.path(),
        &[
            "--since",
            "2026-11-02",
            "--until",
            "2026-11-30",
            "--now",
            "2026-12-01",
        ],
    );
    let boundary = |e: &[u8]| {
        let s = String::from_utf8_lossy(e).into_owned();
        s.split("boundary=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .map(str::to_string)
    };
    assert!(boundary(&a.0).is_some());
    assert_ne!(boundary(&a.0), boundary(&c.0));
    // stdout without --output is the text part.
    let o = digest(s.path(), &NOV);
    assert_eq!(String::from_utf8_lossy(&o.stdout), a.2);
}

#[test]
fn english_sites_and_template_overrides() {
    let s = edges();
    write(
        s.path(),
        "site.yaml",
        &SITE_YAML
            .replace("language: ja", "language: en")
            .replace("title: テスト株式会社 アルムナイ", "title: Test Alumni"),
    );
    let o = digest(s.path(), &NOV);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        text.starts_with("Test Alumni newsletter (November 1, 2026 – November 30, 2026)"),
        "{text}"
    );
    assert!(text.contains("Closes in 4 days"), "{text}");
    // A site template replaces the built-in one.
    write(
        s.path(),
        "templates/digest.txt",
        "CUSTOM {{ subject }} {{ news | length }}\n",
    );
    let o = digest(s.path(), &NOV);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "CUSTOM Test Alumni newsletter (November 1, 2026 – November 30, 2026) 4\n"
    );
}

#[test]
fn bad_dates_and_addresses_are_usage_errors() {
    let s = edges();
    let o = digest(s.path(), &["--since", "11/01/2026", "--now", "2026-12-01"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--since") && stderr(&o).contains("expected a date like 2026-11-01"),
        "{}",
        stderr(&o)
    );
    let o = digest(
        s.path(),
        &[
            "--since",
            "2026-11-30",
            "--until",
            "2026-11-01",
            "--now",
            "2026-12-01",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("the window is empty"), "{}", stderr(&o));
    let o = digest(
        s.path(),
        &["--to", "a@b.jp\nBcc: x@y.jp", "--now", "2026-12-01"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // A custom From with a Japanese name is encoded and parses back.
    let (eml, _, _) = written(
        s.path(),
        &[
            "--now",
            "2026-12-01",
            "--from",
            "人事部 アルムナイ担当 <hr@example.jp>",
            "--to",
            "list@example.jp",
        ],
    );
    let m = mailparse::parse_mail(&eml).expect("parses");
    let from =
        mailparse::MailHeaderMap::get_first_value(m.headers.as_slice(), "From").unwrap_or_default();
    assert_eq!(from, "人事部 アルムナイ担当 <hr@example.jp>");
    let to =
        mailparse::MailHeaderMap::get_first_value(m.headers.as_slice(), "To").unwrap_or_default();
    assert_eq!(to, "list@example.jp");
}

/// `tests/ci/check_digest.py` (Python's `email` package) accepts our .eml and
/// rejects one whose HTML runs a script, loads an image and has a link the
/// text lacks. Skipped when python3 is missing.
#[test]
fn ci_checker_accepts_the_digest_and_rejects_a_bad_one() {
    if std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("python3 not found: skipping");
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ci/check_digest.py");
    let s = edges();
    written(s.path(), &NOV);
    let run = |p: &Path| {
        std::process::Command::new("python3")
            .arg(&script)
            .arg(p)
            .output()
            .expect("run python3")
    };
    let o = run(&s.path().join("out"));
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        stderr(&o)
    );

    write(
        s.path(),
        "templates/digest.html",
        "<!DOCTYPE html><html lang=\"ja\"><head><title>x</title></head><body>\
         <script>alert(1)</script><img src=\"https://tracker.example/p.gif\" alt=\"\">\
         <a href=\"/news/\">{{ subject }}</a></body></html>",
    );
    written(s.path(), &NOV);
    let o = run(&s.path().join("out").join("d.eml"));
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    for want in [
        "<script>",
        "loads a resource",
        "not absolute",
        "link only in the text part",
    ] {
        assert!(out.contains(want), "{want} not reported:\n{out}");
    }
}
