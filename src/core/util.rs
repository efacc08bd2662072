//! Small helpers shared by several modules: slugs, URL encoding, escaping,
//! date formatting. Everything here is pure.

use std::fmt::Write as _;

use unicode_normalization::UnicodeNormalization;

use crate::config::Language;

/// 1-based line of the first `key:` in a YAML text (any indentation), for
/// diagnostics about values that deserialised but did not validate.
pub fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let t = l.trim_start().trim_start_matches("- ");
            t.strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with(':'))
        })
        .map(|i| i + 1)
}

/// A single safe path segment: no separators, no dots-only, not empty.
pub fn is_safe_segment(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && !s.contains(['/', '\\', '\0'])
        && !s.chars().any(char::is_control)
}

/// Slug for URLs: NFKC, lowercase, keeps letters and digits of any script
/// (so Japanese slugs stay readable), everything else becomes `-`.
pub fn slugify(s: &str) -> String {
    // Most titles and headings are ASCII, kana and kanji only: NFKC keeps
    // those as they are (none composes with a neighbour) and lower-casing
    // only touches ASCII, so the normalisation pass can be skipped.
    if s.chars()
        .all(|c| c.is_ascii() || crate::outputs::search::stable(c))
    {
        slug_of(s.chars().map(|c| c.to_ascii_lowercase()), s.len())
    } else {
        slug_of(s.nfkc().flat_map(char::to_lowercase), s.len())
    }
}

/// [`slugify`] of normalised, lower-cased characters.
fn slug_of(chars: impl Iterator<Item = char>, capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    let mut dash = false;
    for c in chars {
        if alphanumeric(c) || c == '_' || c == 'ー' || c == '々' {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else if c == '.' && !out.is_empty() && !dash {
            // keep dots inside (v1.2), not at the start
            out.push('.');
        } else {
            dash = true;
        }
    }
    while out.ends_with('.') {
        out.pop();
    }
    out
}

/// `char::is_alphanumeric`, without the table search for ASCII, kana and
/// the common kanji.
#[inline]
fn alphanumeric(c: char) -> bool {
    match c {
        '\0'..='\u{7f}' => c.is_ascii_alphanumeric(),
        '\u{3041}'..='\u{3096}' | '\u{30a1}'..='\u{30fa}' | '\u{4e00}'..='\u{9fff}' => true,
        _ => c.is_alphanumeric(),
    }
}

/// Slug restricted to ASCII (for `enishi new` file names); empty when the
/// title has no ASCII letters or digits.
pub fn ascii_slug(s: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in s.nfkc().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    out
}

/// Characters percent-encoded in a URL path segment.
const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']')
    .add(b'\'');

/// Percent-encode a site path (`/tags/採用/` -> `/tags/%E6%8E%A1%E7%94%A8/`),
/// keeping the slashes.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for (i, seg) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.extend(percent_encoding::utf8_percent_encode(seg, PATH_SEGMENT));
    }
    out
}

/// Escape for HTML text and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escape for XML text and attributes; drops characters XML 1.0 forbids.
pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            _ => out.push(c),
        }
    }
    out
}

/// JSON for embedding in `<script type="application/ld+json">`: `<`, `>`
/// and `&` are escaped so that no string can close the script element.
pub fn json_for_script(v: &serde_json::Value) -> String {
    let s = serde_json::to_string(v).unwrap_or_else(|_| "{}".into());
    // Byte by byte: what changes is ASCII or U+2028/U+2029 (E2 80 A8/A9),
    // so the runs in between are copied whole (and often there is none).
    let bytes = s.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let (escaped, len) = match b {
            b'<' => ("\\u003c", 1),
            b'>' => ("\\u003e", 1),
            b'&' => ("\\u0026", 1),
            0xE2 if bytes.get(i + 1..i + 3) == Some(&[0x80, 0xA8]) => ("\\u2028", 3),
            0xE2 if bytes.get(i + 1..i + 3) == Some(&[0x80, 0xA9]) => ("\\u2029", 3),
            _ => continue,
        };
        if out.is_empty() {
            out.reserve(s.len() + 16);
        }
        out.push_str(&s[copied..i]);
        out.push_str(escaped);
        copied = i + len;
    }
    if copied == 0 {
        return s;
    }
    out.push_str(&s[copied..]);
    out
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `2026年10月20日` / `October 20, 2026`.
pub fn format_date(d: jiff::civil::Date, lang: Language) -> String {
    match lang {
        Language::Ja => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Language::En => format!(
            "{} {}, {}",
            MONTHS[(d.month() - 1) as usize],
            d.day(),
            d.year()
        ),
    }
}

/// `2026年10月20日(火)` / `Tue, October 20, 2026`: with the weekday, for events.
pub fn format_date_weekday(d: jiff::civil::Date, lang: Language) -> String {
    let wd = d.weekday().to_monday_zero_offset() as usize;
    match lang {
        Language::Ja => format!(
            "{}({})",
            format_date(d, lang),
            ["月", "火", "水", "木", "金", "土", "日"][wd]
        ),
        Language::En => format!(
            "{}, {}",
            ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][wd],
            format_date(d, lang)
        ),
    }
}

/// `19:00`.
pub fn format_time(t: jiff::civil::Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// RFC 822 date for RSS: `Tue, 20 Oct 2026 10:00:00 +0900`.
pub fn rfc822(z: &jiff::Zoned) -> String {
    z.strftime("%a, %d %b %Y %H:%M:%S %z").to_string()
}

/// RFC 3339 with offset: `2026-10-20T10:00:00+09:00`.
pub fn rfc3339(z: &jiff::Zoned) -> String {
    z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// Strip tags from an HTML fragment and decode the basic entities: used for
/// plain-text summaries and search text.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    let mut chars = html.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            '&' if !in_tag => {
                let mut ent = String::new();
                while let Some(&n) = chars.peek() {
                    if n == ';' || ent.len() > 8 {
                        break;
                    }
                    ent.push(n);
                    chars.next();
                }
                if chars.peek() == Some(&';') {
                    chars.next();
                    match ent.as_str() {
                        "amp" => out.push('&'),
                        "lt" => out.push('<'),
                        "gt" => out.push('>'),
                        "quot" => out.push('"'),
                        "#39" | "apos" => out.push('\''),
                        "nbsp" => out.push(' '),
                        _ => {
                            let _ = write!(out, "&{ent};");
                        }
                    }
                } else {
                    out.push('&');
                    out.push_str(&ent);
                }
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    collapse_ws(&out)
}

/// Collapse runs of whitespace into one space and trim: the words of
/// `s.split_whitespace()` joined by single spaces.
pub fn collapse_ws(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut word_start = 0;
    let mut i = 0;
    while i < b.len() {
        // One character at a time, by its UTF-8 length.
        let (len, ws) = char_at(b, i);
        if ws {
            if word_start < i {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&s[word_start..i]);
            }
            word_start = i + len;
        }
        i += len;
    }
    if word_start < b.len() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&s[word_start..]);
    }
    out
}

/// Byte length of the UTF-8 character starting at `b[i]`, and whether it is
/// whitespace (`char::is_whitespace`).
#[inline(always)]
fn char_at(b: &[u8], i: usize) -> (usize, bool) {
    let at = |k: usize| b.get(i + k).copied().unwrap_or(0);
    let c = b[i];
    if c < 0x80 {
        (1, matches!(c, b'\t'..=b'\r' | b' '))
    } else if c < 0xE0 {
        // U+0085, U+00A0 (a continuation byte, never at a character start, counts as 1)
        (
            if c < 0xC0 { 1 } else { 2 },
            c == 0xC2 && matches!(at(1), 0x85 | 0xA0),
        )
    } else if c < 0xF0 {
        let ws = match c {
            // U+1680
            0xE1 => at(1) == 0x9A && at(2) == 0x80,
            // U+2000..=U+200A, U+2028, U+2029, U+202F; U+205F
            0xE2 => match at(1) {
                0x80 => matches!(at(2), 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF),
                0x81 => at(2) == 0x9F,
                _ => false,
            },
            // U+3000
            0xE3 => at(1) == 0x80 && at(2) == 0x80,
            _ => false,
        };
        (3, ws)
    } else {
        (4, false)
    }
}

/// Cut a text to at most `max` characters at a character boundary, adding `…`.
pub fn truncate_chars(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alphanumeric_fast_path_agrees() {
        for c in ('\0'..='\u{d7ff}').chain('\u{e000}'..='\u{ffff}') {
            assert_eq!(alphanumeric(c), c.is_alphanumeric(), "U+{:04X}", c as u32);
        }
    }

    /// The slug as it was before the fast path: NFKC and lower case always.
    fn slugify_reference(s: &str) -> String {
        slug_of(s.nfkc().flat_map(char::to_lowercase), 0)
    }

    #[test]
    fn slug_fast_path_agrees() {
        // Every ASCII character and the kana/kanji edges of the fast path,
        // beside each other and beside the marks that compose with kana.
        let mut pieces: Vec<char> = (' '..='~').collect();
        pieces.extend([
            '\u{3001}', '\u{3035}', '\u{3041}', '\u{304b}', '\u{3096}', '\u{3099}', '\u{309a}',
            '\u{309b}', '\u{309d}', '\u{30a0}', '\u{30ab}', '\u{30fb}', '\u{30fc}', '\u{30fe}',
            '\u{30ff}', '\u{4e00}', '\u{9fff}', '\u{3000}', '\u{ff21}', '\u{ff71}', '\u{ff9e}',
            '\u{2160}', '\u{00c9}', '\u{0301}', '\u{1100}', '\u{1161}', 'İ', 'ẞ', 'Σ',
        ]);
        for &a in &pieces {
            for &b in &pieces {
                for s in [
                    format!("{a}{b}"),
                    format!("x{a}{b}.y"),
                    format!("{a}{b}{a}"),
                ] {
                    assert_eq!(slugify(&s), slugify_reference(&s), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn slugs_keep_japanese() {
        assert_eq!(slugify("リファラル採用 2026"), "リファラル採用-2026");
        assert_eq!(slugify("Hello, World!"), "hello-world");
        assert_eq!(slugify("ＭＡＵ"), "mau");
        assert_eq!(ascii_slug("新年会 2027"), "2027");
        assert_eq!(ascii_slug("新年会"), "");
    }

    #[test]
    fn encodes_paths() {
        assert_eq!(encode_path("/tags/採用/"), "/tags/%E6%8E%A1%E7%94%A8/");
        assert_eq!(encode_path("/a b/"), "/a%20b/");
    }

    #[test]
    fn dates_per_language() {
        let d = jiff::civil::date(2026, 10, 20);
        assert_eq!(format_date(d, Language::Ja), "2026年10月20日");
        assert_eq!(format_date(d, Language::En), "October 20, 2026");
    }

    #[test]
    fn collapse_ws_is_split_whitespace() {
        let reference = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        // Every whitespace character, and neighbours of their encodings.
        let ws: Vec<char> = (0..=0x3001u32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .collect();
        assert_eq!(ws.len(), 25);
        let mut odd: Vec<char> = ws.clone();
        odd.extend([
            '\u{84}',
            '\u{86}',
            '\u{9f}',
            '\u{a1}',
            '\u{167f}',
            '\u{1681}',
            '\u{200b}',
            '\u{2027}',
            '\u{202a}',
            '\u{2030}',
            '\u{205e}',
            '\u{2060}',
            '\u{2fff}',
            '\u{3001}',
            'a',
            'あ',
            '語',
            '\u{1f600}',
        ]);
        for &a in &odd {
            for &b in &odd {
                for &c in &['x', ' ', '\u{3000}'] {
                    let s: String = [a, b, c, a, 'y', b].iter().collect();
                    assert_eq!(collapse_ws(&s), reference(&s), "{s:?}");
                }
            }
        }
        for s in [
            "",
            " ",
            "a",
            " a ",
            "a  b\n\tc",
            "\u{3000}全角\u{3000}空白\u{3000}",
            "x\u{85}",
        ] {
            assert_eq!(collapse_ws(s), reference(s), "{s:?}");
        }
    }

    #[test]
    fn line_of_nested_key() {
        assert_eq!(line_of_key("a: 1\nb:\n  c: 2\n", "c"), Some(3));
    }

    #[test]
    fn html_text() {
        assert_eq!(html_to_text("<p>a &amp; <b>b</b></p>"), "a & b");
    }

    #[test]
    fn json_script_safe() {
        let v = serde_json::json!({"a": "</script><b>"});
        assert!(!json_for_script(&v).contains('<'));
    }

    #[test]
    fn json_script_escapes() {
        let v = serde_json::json!({"a": "<&>\u{2028}é\u{2029}x", "b": "plain 日本"});
        assert_eq!(
            json_for_script(&v),
            r#"{"a":"\u003c\u0026\u003e\u2028é\u2029x","b":"plain 日本"}"#
        );
        let plain = serde_json::json!(["no escapes", "\u{2027}\u{202a}"]);
        assert_eq!(
            json_for_script(&plain),
            serde_json::to_string(&plain).unwrap()
        );
    }
}
