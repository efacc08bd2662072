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
    let mut out = String::with_capacity(s.len());
    let mut dash = false;
    for c in s.nfkc().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' || c == 'ー' || c == '々' {
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
    path.split('/')
        .map(|seg| percent_encoding::utf8_percent_encode(seg, PATH_SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
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
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            _ => out.push(c),
        }
    }
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

/// Collapse runs of whitespace into one space and trim.
pub fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
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
}
