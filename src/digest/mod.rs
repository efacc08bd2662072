//! `enishi digest`: the month's portal news as a mail-ready newsletter.
//!
//! One window of days (`since` and `until`, both inclusive, whole days in the
//! site time zone) and one "now" give one digest: interviews and news
//! published in the window, open jobs (closing soonest first) and upcoming
//! events. It is rendered through the theme's `digest.html` and `digest.txt`
//! (overridable like every template) and packed into an `.eml`
//! (multipart/alternative, text then HTML, UTF-8, base64 bodies).
//!
//! Why the choices:
//! - Only published pages of the [`Site`] are used (never the roster, drafts,
//!   scheduled posts, closed jobs or past events): a newsletter goes to
//!   people's inboxes and cannot be taken back.
//! - Everything is a function of the window and "now": the `Date:` header is
//!   "now", the Message-ID is derived from the site host and the window, and
//!   the MIME boundary from a hash of the bodies, so the same inputs give the
//!   same bytes (reviewable in CI, diffable month to month).
//! - Every link is absolute (`config.abs_url`) and the HTML has no images,
//!   scripts or external resources: mail clients block them, and the digest
//!   must read well with images off.
//! - Bodies are base64 (lines of 76): Japanese text in quoted-printable would
//!   triple in size, and base64 survives every transport unchanged.

use std::path::{Path, PathBuf};

use base64::Engine;
use jiff::civil::Date;
use jiff::Zoned;
use serde_json::{json, Value};
use sha2::{Digest as _, Sha256};

use crate::core::diag::Diagnostic;
use crate::core::escape::encode_path;
use crate::core::lang::{format_date, rfc822};
use crate::model::{Kind, Page};
use crate::render::theme::{tera_diagnostic, Theme};
use crate::render::views::{card, Strings};
use crate::site::Site;

/// What to put in the digest. Dates are `YYYY-MM-DD` (or `YYYY-MM`: the first
/// day of that month for `since`, the last for `until`).
#[derive(Debug, Clone, Default)]
pub struct DigestOptions {
    /// First day of the window (inclusive). Default: `until` minus 29 days
    /// (a 30-day window).
    pub since: Option<String>,
    /// Last day of the window (inclusive, the whole day). Default: the day of "now".
    pub until: Option<String>,
    /// `From:` address, `addr@host` or `Name <addr@host>`.
    /// Default: the organization name `<noreply@host-of-base_url>`.
    pub from: Option<String>,
    /// `To:` address. Default: `<alumni@host-of-base_url>` (a placeholder:
    /// mail programs replace it, or send with Bcc).
    pub to: Option<String>,
}

/// A rendered digest.
#[derive(Debug, Clone)]
pub struct Digest {
    /// Subject line (plain Unicode; RFC 2047-encoded in the `.eml`).
    pub subject: String,
    /// The HTML body (a complete HTML5 document).
    pub html: String,
    /// The plain-text body (`\n` line ends).
    pub text: String,
    /// The whole message: RFC 5322 + MIME, CRLF line ends.
    pub eml: Vec<u8>,
}

/// The days of a digest, both inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub since: Date,
    pub until: Date,
}

fn parse_day(flag: &str, s: &str, end_of_month: bool) -> Result<Date, Diagnostic> {
    let s = s.trim();
    if let Ok(d) = s.parse::<Date>() {
        return Ok(d);
    }
    // YYYY-MM: a whole month.
    if let Some((y, m)) = s.split_once('-') {
        if let (Ok(y), Ok(m)) = (y.parse::<i16>(), m.parse::<i8>()) {
            if let Ok(first) = Date::new(y, m, 1) {
                return Ok(if end_of_month {
                    first.last_of_month()
                } else {
                    first
                });
            }
        }
    }
    Err(Diagnostic::error(
        flag,
        format!("expected a date like 2026-11-01 (or a month like 2026-11), found {s:?}"),
    ))
}

/// Resolve the window from the options and "now".
pub fn window(now: &Zoned, opts: &DigestOptions) -> Result<Window, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let until = match &opts.until {
        Some(s) => parse_day("--until", s, true)
            .map_err(|e| errors.push(e))
            .ok(),
        None => Some(now.date()),
    };
    let since = match &opts.since {
        Some(s) => parse_day("--since", s, false)
            .map_err(|e| errors.push(e))
            .ok(),
        None => until.and_then(|u| u.checked_sub(jiff::Span::new().days(29)).ok()),
    };
    match (since, until) {
        (Some(since), Some(until)) if errors.is_empty() => {
            if since > until {
                return Err(vec![Diagnostic::error(
                    "--since",
                    format!("the window is empty: --since {since} is after --until {until} (both days are included)"),
                )]);
            }
            Ok(Window { since, until })
        }
        _ => {
            if errors.is_empty() {
                errors.push(Diagnostic::error("--since", "date out of range"));
            }
            Err(errors)
        }
    }
}

impl Window {
    /// Whether a publication date falls in the window: on or after the
    /// start of `since`, before the start of the day after `until` (site
    /// time zone, which `Site` dates are already in).
    pub fn contains(&self, d: &Zoned) -> bool {
        let day = d.date();
        self.since <= day && day <= self.until
    }
}

/// Host of `base_url` without port or user info, for addresses and the Message-ID.
fn host(base_url: &str) -> String {
    let after = base_url
        .split_once("://")
        .map(|(_, r)| r)
        .unwrap_or(base_url);
    let h = after.split(['/', '?', '#']).next().unwrap_or(after);
    let h = h.rsplit_once('@').map(|(_, h)| h).unwrap_or(h);
    let h = if h.starts_with('[') {
        h.split_inclusive(']').next().unwrap_or(h)
    } else {
        h.split(':').next().unwrap_or(h)
    };
    let h = h.to_ascii_lowercase();
    if h.is_empty() {
        "localhost".to_string()
    } else {
        h
    }
}

fn abs(site: &Site, path: &str) -> String {
    site.config.abs_url(&encode_path(path))
}

/// A page as the digest templates see it: the card view of the site's lists
/// with absolute links and without images or tags (no external resources).
fn item(site: &Site, page: &Page, t: &Strings, window: &Window) -> Value {
    let mut v = crate::render::json_value(&card(site, page, t));
    if let Value::Object(m) = &mut v {
        m.insert("url".into(), json!(abs(site, &page.path)));
        m.remove("image");
        m.remove("tags");
        m.insert(
            "is_new".into(),
            json!(page.date.as_ref().is_some_and(|d| window.contains(d))),
        );
        if let Some(Value::Object(ev)) = m.get_mut("event") {
            ev.insert(
                "ics_url".into(),
                json!(abs(site, &format!("{}event.ics", page.path))),
            );
        }
        if let (Some(Value::Object(job)), Some(j)) = (m.get_mut("job"), page.job()) {
            let label = match j.closes_in_days {
                Some(0) => t.get("closes_today"),
                Some(1) => t.get("digest_closes_tomorrow"),
                Some(n) => t.get("closes_in_days").replace("{n}", &n.to_string()),
                None => t.get("digest_no_deadline"),
            };
            job.insert("closes_in_label".into(), json!(label));
        }
    }
    v
}

/// Parse a user-given address (`a@b` or `Name <a@b>`) into (name, addr).
fn parse_address(flag: &str, s: &str) -> Result<(String, String), Diagnostic> {
    let bad = |why: &str| {
        Diagnostic::error(
            flag,
            format!("{why}: expected an address like noreply@example.jp or \"Name <noreply@example.jp>\", found {s:?}"),
        )
    };
    if s.chars().any(|c| c.is_control()) {
        return Err(bad("control characters (line breaks) are not allowed"));
    }
    let s = s.trim();
    let (name, addr) = match s.rfind('<') {
        Some(i) if s.ends_with('>') => (
            s[..i].trim().trim_matches('"').trim().to_string(),
            s[i + 1..s.len() - 1].trim().to_string(),
        ),
        _ => (String::new(), s.to_string()),
    };
    let ok_addr = match addr.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && addr
                    .chars()
                    .all(|c| c.is_ascii_graphic() && !"<>()[]\\,;:\"".contains(c))
        }
        None => false,
    };
    if !ok_addr {
        return Err(bad("not a valid e-mail address"));
    }
    Ok((name, addr))
}

/// RFC 2047 encoded words (`=?UTF-8?B?…?=`), split between characters so
/// that each word is at most 64 characters; joined by folding whitespace.
pub fn encode_words(s: &str) -> String {
    const MAX_BYTES: usize = 39; // 52 base64 characters + 12 = 64 per word
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in s.chars() {
        if chunk.len() + c.len_utf8() > MAX_BYTES {
            words.push(format!("=?UTF-8?B?{}?=", b64.encode(chunk.as_bytes())));
            chunk.clear();
        }
        chunk.push(c);
    }
    if !chunk.is_empty() || words.is_empty() {
        words.push(format!("=?UTF-8?B?{}?=", b64.encode(chunk.as_bytes())));
    }
    words.join("\r\n ")
}

/// A mailbox header value: the display name quoted or encoded, then `<addr>`.
fn mailbox(name: &str, addr: &str) -> String {
    if name.is_empty() {
        return addr.to_string();
    }
    let plain = name
        .chars()
        .all(|c| (c.is_ascii_graphic() || c == ' ') && c != '"' && c != '\\');
    if plain && name.len() <= 40 {
        format!("\"{name}\" <{addr}>")
    } else {
        // The address on a folded line of its own keeps lines under 78.
        format!("{}\r\n <{addr}>", encode_words(name))
    }
}

fn base64_lines(body: &str) -> String {
    let crlf = body.replace("\r\n", "\n").replace('\n', "\r\n");
    let enc = base64::engine::general_purpose::STANDARD.encode(crlf.as_bytes());
    let mut out = String::with_capacity(enc.len() + enc.len() / 38);
    for (i, ch) in enc.as_bytes().chunks(76).enumerate() {
        if i > 0 {
            out.push_str("\r\n");
        }
        out.push_str(&String::from_utf8_lossy(ch));
    }
    out
}

/// Plain text from the template: no trailing spaces, at most one blank line
/// in a row, one final newline (so templates can be written readably).
fn tidy_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = 0;
    for line in s.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// Build the `.eml` from the rendered parts.
fn eml(
    subject: &str,
    from: &str,
    to: &str,
    date: &str,
    message_id: &str,
    text: &str,
    html: &str,
) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(text.as_bytes());
    h.update([0]);
    h.update(html.as_bytes());
    let hex: String = h
        .finalize()
        .iter()
        .take(12)
        .map(|b| format!("{b:02x}"))
        .collect();
    // "=_" never occurs in base64, so the boundary cannot appear in a body.
    let boundary = format!("=_enishi_{hex}");
    let mut m = String::new();
    m.push_str(&format!("From: {from}\r\n"));
    m.push_str(&format!("To: {to}\r\n"));
    m.push_str(&format!("Subject: {}\r\n", encode_words(subject)));
    m.push_str(&format!("Date: {date}\r\n"));
    m.push_str(&format!("Message-ID: {message_id}\r\n"));
    m.push_str("MIME-Version: 1.0\r\n");
    // Outlook opens a message with this header as a draft, ready to send.
    m.push_str("X-Unsent: 1\r\n");
    m.push_str(&format!(
        "Content-Type: multipart/alternative;\r\n boundary=\"{boundary}\"\r\n"
    ));
    m.push_str("\r\nThis is a multi-part message in MIME format.\r\n");
    for (ctype, body) in [("text/plain", text), ("text/html", html)] {
        m.push_str(&format!("\r\n--{boundary}\r\n"));
        m.push_str(&format!("Content-Type: {ctype}; charset=UTF-8\r\n"));
        m.push_str("Content-Transfer-Encoding: base64\r\n\r\n");
        m.push_str(&base64_lines(body));
        m.push_str("\r\n");
    }
    m.push_str(&format!("\r\n--{boundary}--\r\n"));
    m.into_bytes()
}

/// Render the digest of `site` for the window of `opts`.
pub fn digest(site: &Site, theme: &Theme, opts: &DigestOptions) -> Result<Digest, Vec<Diagnostic>> {
    let window = window(&site.now, opts)?;
    let c = &site.config;
    let lang = c.language;
    let t = Strings(&theme.strings);
    let host = host(&c.base_url);

    let mut errors = Vec::new();
    let from = match &opts.from {
        Some(s) => parse_address("--from", s).map_err(|e| errors.push(e)).ok(),
        None => Some((c.organization.name.clone(), format!("noreply@{host}"))),
    };
    let to = match &opts.to {
        Some(s) => parse_address("--to", s).map_err(|e| errors.push(e)).ok(),
        None => Some((String::new(), format!("alumni@{host}"))),
    };
    let (Some(from), Some(to)) = (from, to) else {
        return Err(errors);
    };

    // Published pages only, whatever options the site was loaded with.
    let published = |p: &&Page| !p.draft && p.date.as_ref().is_none_or(|d| *d <= site.now);
    let new_of = |kind: Kind| -> Vec<Value> {
        site.listed(kind)
            .filter(published)
            .filter(|p| p.date.as_ref().is_some_and(|d| window.contains(d)))
            .map(|p| item(site, p, &t, &window))
            .collect()
    };
    let interviews = new_of(Kind::Interview);
    let news = new_of(Kind::News);
    let jobs: Vec<Value> = site
        .open_jobs()
        .into_iter()
        .filter(published)
        .filter(|p| p.job().is_some_and(|j| !j.closed))
        .map(|p| item(site, p, &t, &window))
        .collect();
    let events: Vec<Value> = site
        .upcoming_events()
        .into_iter()
        .filter(published)
        .filter(|p| p.event().is_some_and(|e| !e.past))
        .map(|p| item(site, p, &t, &window))
        .collect();

    let since_display = format_date(window.since, lang);
    let until_display = format_date(window.until, lang);
    let subject = t
        .get("digest_subject")
        .replace("{title}", &c.title)
        .replace("{since}", &since_display)
        .replace("{until}", &until_display);
    let intro = t
        .get("digest_intro")
        .replace("{title}", &c.title)
        .replace("{since}", &since_display)
        .replace("{until}", &until_display);

    let footer = t.get("digest_footer").replace("{title}", &c.title);

    let mut ctx = tera::Context::new();
    ctx.insert("site", &crate::render::site_value(site, &theme.strings));
    ctx.insert("t", &theme.strings);
    ctx.insert("subject", &subject);
    ctx.insert("intro", &intro);
    ctx.insert("footer", &footer);
    ctx.insert(
        "window",
        &json!({
            "since": window.since.to_string(),
            "until": window.until.to_string(),
            "since_display": since_display,
            "until_display": until_display,
        }),
    );
    ctx.insert("now_display", &format_date(site.now.date(), lang));
    ctx.insert(
        "links",
        &json!({
            "portal": abs(site, "/"),
            "interviews": abs(site, "/interviews/"),
            "news": abs(site, "/news/"),
            "jobs": abs(site, "/jobs/"),
            "events": abs(site, "/events/"),
            "calendar": abs(site, "/events/calendar.ics"),
        }),
    );
    ctx.insert("interviews", &interviews);
    ctx.insert("news", &news);
    ctx.insert("jobs", &jobs);
    ctx.insert("events", &events);
    ctx.insert(
        "empty",
        &(interviews.is_empty() && news.is_empty() && jobs.is_empty() && events.is_empty()),
    );

    let render = |name: &str| {
        theme
            .tera
            .render(name, &ctx)
            .map_err(|e| tera_diagnostic(&e, &theme.origins, " (while rendering the digest)"))
    };
    let (html, text) = match (render("digest.html"), render("digest.txt")) {
        (Ok(h), Ok(t)) => (h, tidy_text(&t)),
        (h, t) => return Err(h.err().into_iter().chain(t.err()).collect()),
    };

    let message_id = format!("<digest.{}.{}@{host}>", window.since, window.until);
    let eml = eml(
        &subject,
        &mailbox(&from.0, &from.1),
        &mailbox(&to.0, &to.1),
        &rfc822(&site.now),
        &message_id,
        &text,
        &html,
    );
    Ok(Digest {
        subject,
        html,
        text,
        eml,
    })
}

/// The three files `--output FILE` writes: a trailing `.eml`, `.html` or
/// `.txt` on FILE is dropped, then each extension is appended.
pub fn output_paths(file: &Path) -> [PathBuf; 3] {
    let s = file.as_os_str().to_string_lossy();
    let stem = [".eml", ".html", ".txt"]
        .iter()
        .find_map(|e| s.strip_suffix(e))
        .map(PathBuf::from)
        .unwrap_or_else(|| file.to_path_buf());
    let with = |ext: &str| {
        let mut p = stem.clone().into_os_string();
        p.push(ext);
        PathBuf::from(p)
    };
    [with(".eml"), with(".html"), with(".txt")]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now(s: &str) -> Zoned {
        match format!("{s}T09:00:00[Asia/Tokyo]").parse() {
            Ok(z) => z,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn default_window_is_thirty_days_up_to_now() {
        let w = window(&now("2026-11-30"), &DigestOptions::default()).unwrap();
        assert_eq!(w.since.to_string(), "2026-11-01");
        assert_eq!(w.until.to_string(), "2026-11-30");
    }

    #[test]
    fn months_and_errors() {
        let o = DigestOptions {
            since: Some("2026-02".into()),
            until: Some("2026-02".into()),
            ..Default::default()
        };
        let w = window(&now("2026-03-01"), &o).unwrap();
        assert_eq!(
            (w.since.to_string(), w.until.to_string()),
            ("2026-02-01".into(), "2026-02-28".into())
        );
        let bad = DigestOptions {
            since: Some("11/01".into()),
            until: Some("2026-10-01".into()),
            ..Default::default()
        };
        let e = window(&now("2026-03-01"), &bad).unwrap_err();
        assert!(
            e[0].to_string().contains("expected a date like 2026-11-01"),
            "{}",
            e[0]
        );
        let empty = DigestOptions {
            since: Some("2026-11-02".into()),
            until: Some("2026-11-01".into()),
            ..Default::default()
        };
        assert!(window(&now("2026-12-01"), &empty).is_err());
    }

    #[test]
    fn subject_words_are_short_and_split_between_characters() {
        let s = "テスト株式会社 アルムナイ ニュースレター（2026年11月1日〜2026年11月30日）";
        let enc = encode_words(s);
        let mut decoded = Vec::new();
        for w in enc.split("\r\n ") {
            assert!(w.len() <= 64, "{w}");
            let inner = w.trim_start_matches("=?UTF-8?B?").trim_end_matches("?=");
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(inner)
                .unwrap();
            assert!(
                String::from_utf8(bytes.clone()).is_ok(),
                "split inside a character"
            );
            decoded.extend(bytes);
        }
        assert_eq!(String::from_utf8(decoded).unwrap(), s);
    }

    #[test]
    fn addresses() {
        assert_eq!(
            parse_address("--from", "広報 <pr@example.jp>").unwrap(),
            ("広報".to_string(), "pr@example.jp".to_string())
        );
        assert!(parse_address("--to", "a@b\r\nBcc: x@y").is_err());
        assert!(parse_address("--to", "not an address").is_err());
        assert_eq!(mailbox("HR", "hr@x.jp"), "\"HR\" <hr@x.jp>");
        assert!(mailbox("人事部", "hr@x.jp").starts_with("=?UTF-8?B?"));
        assert_eq!(
            host("https://Alumni.Example.jp:8443/portal"),
            "alumni.example.jp"
        );
    }

    #[test]
    fn output_file_names() {
        let names = |f: &str| output_paths(Path::new(f)).map(|p| p.to_string_lossy().into_owned());
        let want = ["out/2026-11.eml", "out/2026-11.html", "out/2026-11.txt"];
        assert_eq!(names("out/2026-11.eml"), want);
        assert_eq!(names("out/2026-11.txt"), want);
        assert_eq!(names("out/2026-11"), want);
        assert_eq!(names("d.v2")[0], "d.v2.eml");
    }

    #[test]
    fn text_is_tidied() {
        assert_eq!(tidy_text("\n\na  \n\n\n\nb\n\n"), "a\n\nb\n");
    }
}
