//! Text: slugs, whitespace, truncation, HTML to plain text. Pure.

use std::fmt::Write as _;

use unicode_normalization::UnicodeNormalization;
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
        .all(|c| c.is_ascii() || crate::core::text::stable(c))
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

/// Characters that NFKC and lower-casing map to themselves, checked cheaply:
/// kana, kanji and the Japanese punctuation and marks around them
/// (`、。「」『』【】〜ー・`; not U+3000, U+3036, U+3038–303A, which NFKC maps).
pub fn stable(c: char) -> bool {
    matches!(
        c,
        '\u{3001}'..='\u{3035}'
            | '\u{3041}'..='\u{3096}'
            | '\u{309d}'..='\u{309e}'
            | '\u{30a0}'..='\u{30fe}'
            | '\u{4e00}'..='\u{9fff}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

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
    fn html_text() {
        assert_eq!(html_to_text("<p>a &amp; <b>b</b></p>"), "a & b");
    }
}
