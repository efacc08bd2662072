//! Escaping for where a value lands: HTML text and attributes, XML, JSON
//! inside `<script>`, URL path segments. Pure.

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

/// Everything but RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`).
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encode `s` as one query parameter value (`?url=<this>`): UTF-8,
/// and every reserved character (`&`, `=`, `?`, `#`, `/`, `:`, `+`, space).
pub fn encode_query_value(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, QUERY_VALUE).to_string()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_paths() {
        assert_eq!(encode_path("/tags/採用/"), "/tags/%E6%8E%A1%E7%94%A8/");
        assert_eq!(encode_path("/a b/"), "/a%20b/");
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
