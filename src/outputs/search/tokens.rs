//! Normalisation and tokenisation: the rules that `themes/default/static/js/search.js`
//! mirrors line by line (see the parent module).

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::core::text::stable;

/// What a token is: a Latin/digit word, or a run of CJK characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TokenKind {
    Word,
    Cjk,
}

/// A term of normalised text: a whole word or a whole CJK run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub kind: TokenKind,
    /// Offset in characters (code points) in the normalised text.
    pub pos: usize,
}

/// Characters that attach to the previous unit: combining marks, half-width
/// (semi-)voiced sound marks and Hangul medial/final jamo (they compose under
/// NFKC with what precedes them). JS: `/[\p{M}\uFF9E\uFF9F\u1160-\u11FF]/u`.
pub(super) fn attaches(c: char) -> bool {
    // Fast path (same result): nothing below U+0300 is a mark, nor kana or
    // kanji; the table lookup is only for the rest.
    match c {
        '\0'..='\u{2ff}'
        | '\u{3041}'..='\u{3096}'
        | '\u{30a0}'..='\u{30fe}'
        | '\u{4e00}'..='\u{9fff}' => false,
        _ => attaches_slow(c),
    }
}

pub(super) fn attaches_slow(c: char) -> bool {
    is_combining_mark(c) || matches!(c, '\u{ff9e}' | '\u{ff9f}' | '\u{1160}'..='\u{11ff}')
}

/// Normalises one unit: NFKC, then full lower-casing.
pub(super) fn normalize_unit(u: &str) -> String {
    u.nfkc().collect::<String>().to_lowercase()
}

/// NFKC + lower case, unit by unit (see the module docs). The browser does
/// the same with `unit.normalize('NFKC').toLowerCase()`.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(&mut out, s, false);
    out
}

/// True if the character at byte `i` of `s` attaches to the one before.
#[inline]
pub(super) fn attached_at(s: &str, i: usize) -> bool {
    // Below U+0300 (lead byte 0xCC) nothing attaches.
    s.as_bytes().get(i).is_some_and(|&b| b >= 0xcc)
        && s.get(i..)
            .and_then(|t| t.chars().next())
            .is_some_and(attaches)
}

/// A character that is a unit by itself whatever follows it (nothing
/// attaches to it, it attaches to nothing) and that normalises to itself up
/// to ASCII case: ASCII (with `clean`, not a record separator) and the
/// kana/kanji of [`stable`] except the marks U+302A–302F.
#[inline]
pub(super) fn simple(c: char, clean: bool) -> bool {
    match c {
        '\u{1d}'..='\u{1f}' => !clean,
        '\0'..='\u{7f}' => true,
        '\u{302a}'..='\u{302f}' => false,
        _ => stable(c),
    }
}

/// Appends [`normalize`] of `s` to `out`; with `clean`, record separators
/// become spaces first. Runs of [`simple`] characters are copied whole and
/// lower-cased in place; the units between them go through
/// [`normalize_unit`] (or the single-character fast paths).
pub(super) fn normalize_into(out: &mut String, s: &str, clean: bool) {
    let map = |c: char| if clean { clean_char(c) } else { c };
    let mut rest = s;
    while !rest.is_empty() {
        let mut chars = rest.char_indices();
        // The simple run, then the first unit after it.
        let (mut start, first) = match chars.find(|&(_, c)| !simple(c, clean)) {
            None => (rest.len(), None),
            Some((n, c)) => (n, Some(c)),
        };
        if first.is_some_and(attaches) {
            // It joins the unit of the run's last character, if any.
            start = rest[..start]
                .char_indices()
                .next_back()
                .map_or(0, |(k, _)| k);
        }
        push_lower(out, rest.get(..start).unwrap_or_default());
        let tail = rest.get(start..).unwrap_or_default();
        let mut unit = tail.chars();
        let Some(c) = unit.next() else {
            break;
        };
        let mut end = c.len_utf8();
        for d in unit.take_while(|&d| attaches(d)) {
            end += d.len_utf8();
        }
        let m = map(c);
        if end > c.len_utf8() {
            let u: String = tail
                .get(..end)
                .unwrap_or_default()
                .chars()
                .map(map)
                .collect();
            out.push_str(&normalize_unit(&u));
        } else if m.is_ascii() {
            out.push(m.to_ascii_lowercase());
        } else if stable(m) {
            out.push(m);
        } else {
            out.push_str(&normalize_unit(m.encode_utf8(&mut [0; 4])));
        }
        rest = tail.get(end..).unwrap_or_default();
    }
}

/// Appends `run` to `out`, ASCII lower-cased.
pub(super) fn push_lower(out: &mut String, run: &str) {
    let start = out.len();
    out.push_str(run);
    if let Some(t) = out.get_mut(start..) {
        t.make_ascii_lowercase();
    }
}

/// Appends [`normalize`] of `sep` followed by `s` (cleaned), where nothing
/// attaches to what precedes `sep`.
pub(super) fn normalize_after(out: &mut String, sep: char, s: &str) {
    if attached_at(s, 0) {
        // Rare: `s` starts with marks, which join `sep`'s unit.
        let mut end = 0;
        while attached_at(s, end) {
            end += s[end..].chars().next().map_or(1, char::len_utf8);
        }
        let mut unit = String::from(sep);
        unit.push_str(s.get(..end).unwrap_or_default());
        out.push_str(&normalize_unit(&unit));
        normalize_into(out, s.get(end..).unwrap_or_default(), true);
    } else {
        out.push(sep.to_ascii_lowercase());
        normalize_into(out, s, true);
    }
}

/// CJK characters (after NFKC): indexed as unigrams and bigrams. `・` (U+30FB)
/// and `゠` are punctuation; `ー`, `々`, `〆`, `〇` are part of words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3005..=0x3007
        | 0x3041..=0x3096
        | 0x309D..=0x309F
        | 0x30A1..=0x30FA
        | 0x30FC..=0x30FF
        | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0x20000..=0x3FFFF)
}

/// Word characters: alphabetic or numeric, not CJK.
/// JS: `/[\p{Alphabetic}\p{N}]/u` and not CJK.
pub fn is_word(c: char) -> bool {
    !is_cjk(c) && (c.is_alphabetic() || c.is_numeric())
}

/// What a character is in a token: CJK, word, or neither (a separator).
pub(super) fn char_kind_slow(c: char) -> Option<TokenKind> {
    if is_cjk(c) {
        Some(TokenKind::Cjk)
    } else if is_word(c) {
        Some(TokenKind::Word)
    } else {
        None
    }
}

/// [`char_kind_slow`], from a table for the BMP (the Unicode property
/// lookups were a good part of tokenising).
#[inline]
pub(super) fn char_kind(c: char) -> Option<TokenKind> {
    static BMP: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    let table = BMP.get_or_init(|| {
        (0..=0xffff_u32)
            .map(|u| match char::from_u32(u).and_then(char_kind_slow) {
                None => 0,
                Some(TokenKind::Word) => 1,
                Some(TokenKind::Cjk) => 2,
            })
            .collect()
    });
    match table.get(c as usize) {
        Some(0) => None,
        Some(1) => Some(TokenKind::Word),
        Some(_) => Some(TokenKind::Cjk),
        None => char_kind_slow(c),
    }
}

/// Splits already normalised text into words and CJK runs; everything else
/// (spaces, punctuation such as `・`, `、`, `。`) separates them.
pub(super) fn tokenize_normalized(n: &str) -> Vec<Token> {
    let mut out = Vec::new();
    scan(n, |kind, text, pos| {
        out.push(Token {
            text: text.to_string(),
            kind,
            pos,
        })
    });
    out
}

/// The tokens of normalised text as slices of it: `f(kind, text, pos)`,
/// `pos` counted in characters. A token is a maximal run of one kind.
pub(super) fn scan<'t>(n: &'t str, mut f: impl FnMut(TokenKind, &'t str, usize)) {
    let mut kind: Option<TokenKind> = None;
    let mut start = 0;
    let mut start_byte = 0;
    for (i, (b, c)) in n.char_indices().enumerate() {
        let k = char_kind(c);
        if k != kind {
            if let Some(kd) = kind {
                f(kd, &n[start_byte..b], start);
            }
            kind = k;
            start = i;
            start_byte = b;
        }
    }
    if let Some(kd) = kind {
        f(kd, &n[start_byte..], start);
    }
}

/// Normalises `s` and splits it into words and CJK runs, with their
/// positions in the normalised text. The query side uses the same function
/// (mirrored in search.js), so `新幹線` is cut the same way on both sides.
pub fn tokenize(s: &str) -> Vec<Token> {
    tokenize_normalized(&normalize(s))
}

/// Field character without the record separators.
pub(super) fn clean_char(c: char) -> char {
    if matches!(c, '\u{1d}'..='\u{1f}') {
        ' '
    } else {
        c
    }
}
