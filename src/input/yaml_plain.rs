//! A reader for YAML of the plain shape that front matter and rosters are
//! written in, so that most files need no YAML parser at all.
//!
//! The shape: block mappings of `key: value` lines (keys are lower-case
//! names), nested by two spaces; block lists of scalars (`- item`, two
//! spaces deeper than their key); flow lists and mappings on one line;
//! plain scalars on one line, or quoted ones without escapes. Blank lines
//! and comments are skipped.
//!
//! Anything else gives `None`: block scalars, anchors and aliases, tags,
//! escapes, multi-line values, other indentations, and scalars whose YAML
//! type could be in doubt ([`Scalar::resolve`]). The caller then parses the
//! text with serde_yaml_ng, so the two must agree on everything read here:
//! the tests of the callers compare them on generated documents.

/// A scalar as written: its text and whether it was quoted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Scalar<'a> {
    pub text: &'a str,
    pub quoted: bool,
}

/// A scalar's YAML type, where it is certain.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Resolved<'a> {
    Null,
    Bool(bool),
    /// A decimal integer of at most 15 digits, no sign, no leading zero.
    Int(u64),
    Str(&'a str),
}

impl<'a> Scalar<'a> {
    /// YAML's null (`null`, `Null`, `NULL`, `~`), plain.
    pub fn is_null(self) -> bool {
        !self.quoted && matches!(self.text, "null" | "Null" | "NULL" | "~")
    }

    /// What serde_yaml_ng makes of the scalar as a self-describing value,
    /// for the scalars where that is certain: quoted text, null, booleans,
    /// small decimal integers, dates and date-times, and text starting with
    /// a letter. `None` for the rest (signs, leading zeros, floats, …).
    pub fn resolve(self) -> Option<Resolved<'a>> {
        let t = self.text;
        if self.quoted {
            return Some(Resolved::Str(t));
        }
        if self.is_null() {
            return Some(Resolved::Null);
        }
        match t {
            "true" | "True" | "TRUE" => return Some(Resolved::Bool(true)),
            "false" | "False" | "FALSE" => return Some(Resolved::Bool(false)),
            _ => {}
        }
        let b = t.as_bytes();
        if all_digits(b) && (1..=15).contains(&b.len()) && (b[0] != b'0' || b.len() == 1) {
            return t.parse().ok().map(Resolved::Int);
        }
        (is_date_like(b) || t.starts_with(char::is_alphabetic)).then_some(Resolved::Str(t))
    }
}

fn all_digits(b: &[u8]) -> bool {
    b.iter().all(u8::is_ascii_digit)
}

/// `YYYY-MM`, `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM` followed by digits,
/// colons, a fraction and an offset (`:SS`, `.123`, `Z`, `+09:00`): never a
/// number to YAML.
fn is_date_like(b: &[u8]) -> bool {
    let ym = b.len() >= 7 && all_digits(&b[..4]) && b[4] == b'-' && all_digits(&b[5..7]);
    if !ym || b.len() == 7 {
        return ym;
    }
    let ymd = b.len() >= 10 && b[7] == b'-' && all_digits(&b[8..10]);
    if !ymd || b.len() == 10 {
        return ymd;
    }
    b.len() >= 16
        && b[10] == b'T'
        && all_digits(&b[11..13])
        && b[13] == b':'
        && all_digits(&b[14..16])
        && b[16..]
            .iter()
            .all(|c| c.is_ascii_digit() || matches!(c, b':' | b'.' | b'Z' | b'+' | b'-'))
}

/// A value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node<'a> {
    Scalar(Scalar<'a>),
    List(Vec<Node<'a>>),
    Map(Map<'a>),
}

/// A mapping's pairs in the order written, keys unique.
pub(crate) type Map<'a> = Vec<(&'a str, Node<'a>)>;

impl<'a> Node<'a> {
    pub fn scalar(self) -> Option<Scalar<'a>> {
        match self {
            Node::Scalar(s) => Some(s),
            _ => None,
        }
    }
    /// A value that is null or a mapping: `Some(None)` for null.
    pub fn map_or_null(self) -> Option<Option<Map<'a>>> {
        match self {
            Node::Scalar(s) if s.is_null() => Some(None),
            Node::Map(m) => Some(Some(m)),
            _ => None,
        }
    }
    /// A value that is null or a list: `Some(None)` for null.
    pub fn list_or_null(self) -> Option<Option<Vec<Node<'a>>>> {
        match self {
            Node::Scalar(s) if s.is_null() => Some(None),
            Node::List(l) => Some(Some(l)),
            _ => None,
        }
    }
    /// An `Option<String>` (serde_yaml_ng takes any scalar as a string):
    /// null is `None`.
    pub fn opt_string(self) -> Option<Option<String>> {
        let s = self.scalar()?;
        Some((!s.is_null()).then(|| s.text.to_string()))
    }
    /// A `String`: any scalar but null, which this reader leaves to serde.
    pub fn string(self) -> Option<String> {
        self.opt_string()?
    }
    /// An `Option<Vec<String>>`: null is `None`.
    pub fn opt_strings(self) -> Option<Option<Vec<String>>> {
        match self.list_or_null()? {
            None => Some(None),
            Some(items) => items
                .into_iter()
                .map(Node::string)
                .collect::<Option<_>>()
                .map(Some),
        }
    }
    /// An `Option<u32>`: null is `None`, else a decimal integer that fits.
    pub fn opt_u32(self) -> Option<Option<u32>> {
        match self.scalar()?.resolve()? {
            Resolved::Null => Some(None),
            Resolved::Int(n) => u32::try_from(n).ok().map(Some),
            _ => None,
        }
    }
}

/// The values of mapping `m` for `keys`, in that order, as optional
/// strings (null or absent is `None`); `None` if `m` has another key.
pub(crate) fn string_fields<const N: usize>(
    m: Map<'_>,
    keys: [&str; N],
) -> Option<[Option<String>; N]> {
    let mut out = [const { None }; N];
    for (k, v) in m {
        let i = keys.iter().position(|key| *key == k)?;
        out[i] = v.opt_string()?;
    }
    Some(out)
}

/// The block mapping making up `text` (lines ending in `\n`), keys at
/// column 0. With `item`, `text` is one item of a block list instead
/// (`- key: …` at some indentation, the other keys under the first).
pub(crate) fn mapping(text: &str, item: bool) -> Option<Map<'_>> {
    if !all_printable(text) {
        return None;
    }
    // Blank lines and comments are nothing to YAML: no scalar read here
    // spans lines.
    let mut lines = text
        .split_terminator('\n')
        .filter(|l| {
            let t = l.trim_start_matches(' ');
            !t.is_empty() && !t.starts_with('#')
        })
        .peekable();
    let (indent, first) = if item {
        let first = lines.next()?;
        let base = first.len() - first.trim_start_matches(' ').len();
        (base + 2, Some(first[base..].strip_prefix("- ")?))
    } else {
        (0, None)
    };
    let map = block_map(&mut lines, indent, first)?;
    lines.next().is_none().then_some(map)
}

/// The pairs of a block mapping with keys at `indent`, starting with
/// `first` (the rest of a list item's line) if given, up to the first line
/// not at `indent`.
fn block_map<'a, I: Iterator<Item = &'a str>>(
    lines: &mut std::iter::Peekable<I>,
    indent: usize,
    first: Option<&'a str>,
) -> Option<Map<'a>> {
    let mut map: Map<'a> = Vec::new();
    let mut line = match first {
        Some(l) => l,
        None => at_indent(lines.next()?, indent)?,
    };
    loop {
        let (key, rest) = key_line(line)?;
        if map.iter().any(|(k, _)| *k == key) {
            return None;
        }
        let node = if rest.is_empty() {
            nested(lines, indent + 2)?
        } else {
            value(rest)?
        };
        map.push((key, node));
        match lines.peek().and_then(|l| at_indent(l, indent)) {
            Some(l) => {
                line = l;
                lines.next();
            }
            None => return Some(map),
        }
    }
}

/// The value of a `key:` with nothing after it: a block list or mapping
/// on the lines indented two spaces deeper (an empty value, null to YAML,
/// is left to serde).
fn nested<'a, I: Iterator<Item = &'a str>>(
    lines: &mut std::iter::Peekable<I>,
    indent: usize,
) -> Option<Node<'a>> {
    let next = at_indent(lines.peek()?, indent)?;
    if next != "-" && !next.starts_with("- ") {
        return block_map(lines, indent, None).map(Node::Map);
    }
    let mut items = Vec::new();
    while let Some(item) = lines
        .peek()
        .and_then(|l| at_indent(l, indent))
        .and_then(|l| l.strip_prefix("- "))
    {
        lines.next();
        items.push(Node::Scalar(value(item)?.scalar()?));
    }
    (!items.is_empty()).then_some(Node::List(items))
}

/// Characters YAML reads as themselves in a one-line scalar: printable,
/// and none of its line breaks (NEL, LS, PS) or the byte order mark.
#[cfg(test)]
fn printable(c: char) -> bool {
    matches!(c, '\n' | '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// Whether every character of `text` is [`printable`], byte by byte (the
/// check was a tenth of reading a roster char by char): ASCII controls
/// but `\n` and DEL are out, and of the rest only C1 controls (`C2 80` to
/// `C2 9F` in UTF-8), LS and PS (`E2 80 A8`, `E2 80 A9`), the byte order
/// mark (`EF BB BF`) and U+FFFE, U+FFFF (`EF BF BE`, `EF BF BF`).
fn all_printable(text: &str) -> bool {
    let b = text.as_bytes();
    b.iter().enumerate().all(|(i, &c)| match c {
        b'\n' | 0x20..=0x7e => true,
        0xc2 => !matches!(b.get(i + 1), Some(0x80..=0x9f)),
        0xe2 => !matches!(
            (b.get(i + 1), b.get(i + 2)),
            (Some(0x80), Some(0xa8 | 0xa9))
        ),
        0xef => !matches!(
            (b.get(i + 1), b.get(i + 2)),
            (Some(0xbb), Some(0xbf)) | (Some(0xbf), Some(0xbe | 0xbf))
        ),
        0x80.. => true,
        _ => false,
    })
}

/// `line` without exactly `n` leading spaces (and not more).
fn at_indent(line: &str, n: usize) -> Option<&str> {
    let rest = line.get(n..)?;
    (line.as_bytes()[..n].iter().all(|&b| b == b' ') && !rest.starts_with(' ')).then_some(rest)
}

/// A key: a lower-case name.
fn is_key(k: &str) -> bool {
    !k.is_empty() && k.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
}

/// `key: rest` (or `key:` with nothing after it): the key and what follows
/// the spaces after the colon.
fn key_line(line: &str) -> Option<(&str, &str)> {
    let colon = line.find(':')?;
    let key = &line[..colon];
    if !is_key(key) {
        return None;
    }
    let rest = &line[colon + 1..];
    if rest.is_empty() {
        return Some((key, rest));
    }
    let value = rest.trim_start_matches(' ');
    (value.len() < rest.len() && !value.is_empty()).then_some((key, value))
}

/// The value after `key: ` (or `- `), up to the end of the line.
fn value(v: &str) -> Option<Node<'_>> {
    if v.starts_with(['[', '{']) {
        let (node, rest) = flow(v, 0)?;
        return rest.is_empty().then_some(node);
    }
    if v.starts_with(['"', '\'']) {
        return quoted(v).map(Node::Scalar);
    }
    // A plain scalar ends at `: ` or ` #`; it must not start with an
    // indicator nor end with spaces (or a colon).
    let plain = !v.contains(": ")
        && !v.contains(" #")
        && !v.ends_with([' ', ':'])
        && !v.starts_with(INDICATORS);
    plain.then_some(Node::Scalar(Scalar {
        text: v,
        quoted: false,
    }))
}

/// Characters that give a scalar another meaning when it starts with them.
const INDICATORS: [char; 20] = [
    '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`',
    ' ',
];

/// A flow list `[a, b]` or mapping `{ k: v, … }` at the start of `s`, and
/// what follows it; collections nest two deep at most.
fn flow(s: &str, depth: usize) -> Option<(Node<'_>, &str)> {
    let (close, is_map) = match s.as_bytes().first()? {
        b'[' => (b']', false),
        b'{' => (b'}', true),
        _ => return None,
    };
    let mut rest = s[1..].trim_start_matches(' ');
    let mut items = Vec::new();
    let mut pairs: Map<'_> = Vec::new();
    if rest.as_bytes().first() == Some(&close) {
        rest = &rest[1..];
    } else {
        loop {
            let key = if is_map {
                let (key, after) = key_line(rest)?;
                if pairs.iter().any(|(k, _)| *k == key) {
                    return None;
                }
                rest = after;
                Some(key)
            } else {
                None
            };
            let (node, r) = if rest.starts_with(['[', '{']) {
                if depth > 0 {
                    return None;
                }
                flow(rest, depth + 1)?
            } else {
                let (s, r) = flow_scalar(rest)?;
                (Node::Scalar(s), r)
            };
            match key {
                Some(k) => pairs.push((k, node)),
                None => items.push(node),
            }
            rest = r.trim_start_matches(' ');
            match rest.as_bytes().first()? {
                b',' => rest = rest[1..].trim_start_matches(' '),
                &c if c == close => {
                    rest = &rest[1..];
                    break;
                }
                _ => return None,
            }
        }
    }
    let node = if is_map {
        Node::Map(pairs)
    } else {
        Node::List(items)
    };
    Some((node, rest))
}

/// A scalar in a flow collection at the start of `s`, and what follows
/// it: quoted, or plain up to the next `,`, `]` or `}` (without colons,
/// comments, brackets or quotes, which YAML could read otherwise).
fn flow_scalar(s: &str) -> Option<(Scalar<'_>, &str)> {
    if let Some(q) = s.chars().next().filter(|c| matches!(c, '"' | '\'')) {
        let end = s[1..].find(q)? + 1;
        let sc = quoted(&s[..=end])?;
        return Some((sc, &s[end + 1..]));
    }
    let end = s.find([',', ']', '}'])?;
    let text = s[..end].trim_end_matches(' ');
    let plain = !text.is_empty()
        && !text.starts_with(INDICATORS)
        && !text.contains([':', '#', '[', '{', '"', '\'']);
    plain.then_some((
        Scalar {
            text,
            quoted: false,
        },
        &s[end..],
    ))
}

/// `"text"` or `'text'` with no quote, backslash or break inside.
fn quoted(v: &str) -> Option<Scalar<'_>> {
    let q = v.chars().next()?;
    let text = v.strip_prefix(q)?.strip_suffix(q)?;
    if text.contains(['"', '\'', '\\']) {
        return None;
    }
    Some(Scalar { text, quoted: true })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Scalars and flow values YAML reads in many ways.
    pub(crate) const VALUES: &[&str] = &[
        "2023-11-02 13:30",
        "2023-11-02T13:30:00Z",
        "2023-11-02T1:30",
        "2023-11-02T13:30:00+0900 x",
        "12:30",
        "6.5e6",
        "1234567890123456",
        "4294967296",
        "onishi-takuya",
        "2004",
        "2004-04",
        "2020-04-14",
        "2020-4-14",
        "null",
        "Null",
        "NULL",
        "~",
        "true",
        "True",
        "false",
        "yes",
        "no",
        "on",
        "0",
        "0123",
        "123456789012345678",
        "12345678901234567890",
        "1e5",
        "1.5",
        "e5",
        ".inf",
        "inf",
        "Infinity",
        "nan",
        "-1",
        "+1",
        "0x1F",
        "0o17",
        "1_000",
        "１２３",
        "大西 拓也",
        "M&A",
        "C++",
        "Node.js",
        "Yuzu Cloud Pte. Ltd.",
        "\"quoted\"",
        "'single'",
        "\"with, comma\"",
        "\"a\\\"b\"",
        "'it''s'",
        "\"\"",
        "''",
        "a: b",
        "a #b",
        "a#b",
        "a:b",
        "https://x.example/a#top",
        "&anchor x",
        "*alias",
        "!tag x",
        "!!str 12",
        "|",
        ">",
        "@x",
        "`x",
        "%x",
        "- x",
        "-x",
        "?x",
        ":x",
        "x:",
        "x ",
        "x  y",
        "[a, b]",
        "[]",
        "[ ]",
        "[a,b]",
        "[a, ]",
        "[, a]",
        "[a:b]",
        "[a, [b]]",
        "[\"q,q\", 'r']",
        "[null, x]",
        "[~]",
        "[ C++ , M&A ]",
        "{}",
        "{ }",
        "{ company: X, role: Y }",
        "{company: X}",
        "{ company: [x] }",
        "{ company: }",
        "{ company: null }",
        "{ company: X, company: Y }",
        "{ linkedin: \"https://x\" }",
        "{ web: https://x }",
        "{ given: 2020-01-01, public: [name, email] }",
        "{ given: 2020-01-01, public: [name], members: [] }",
        "{ version: 2, given: x }",
        "{ version: 02 }",
        "{ version: 4294967296 }",
        "{ withdrawn: 2024-01-01 }",
        "{ other: 1 }",
        "採用のご相談は \"カジュアル面談\" からどうぞ。",
        "x\u{2028}y",
        "a\u{85}b",
        "x\u{feff}",
        "a\tb",
        "a\rb",
        "{a: b} x",
        "[a] # c",
        "x # c",
    ];

    /// Values of the plain shape, to mix in with the above.
    pub(crate) const USUAL: &[&str] = &[
        "2023-11-02T13:30:00+09:00",
        "2023-11-02T13:30",
        "6000000",
        "true",
        "2004",
        "2004-04",
        "2020-04-14",
        "null",
        "~",
        "大西 拓也",
        "M&A",
        "x  y",
        "a#b",
        "https://x.example/a#top",
        "\"quoted\"",
        "'single'",
        "[a, b]",
        "[]",
        "[ C++ , M&A ]",
        "{}",
        "{ company: X, role: Y }",
        "{ given: 2020-01-01, public: [name, email] }",
        "{ linkedin: \"https://x\" }",
        "Infinity",
        "e5",
        "True",
        "yes",
        "0",
    ];

    /// A generated line: a key, and its value or (when not empty) the
    /// nested lines under it instead: `-` for a list item, else a key.
    pub(crate) type Line = (
        &'static str,
        &'static str,
        Vec<(&'static str, &'static str)>,
    );

    /// Generated lines of a mapping with `keys`, nested ones with `nested`.
    pub(crate) fn lines_strategy(
        keys: &'static [&'static str],
        nested: &'static [&'static str],
    ) -> impl proptest::strategy::Strategy<Value = Vec<Line>> {
        use proptest::sample::select;
        proptest::collection::vec(
            (
                select(keys),
                value_strategy(),
                proptest::collection::vec((select(nested), value_strategy()), 0..3),
            ),
            0..6,
        )
    }

    /// Appends `lines` with keys at `pad`, and now and then a blank line or
    /// a comment at some indentation.
    pub(crate) fn push_lines(out: &mut String, pad: &str, lines: &[Line]) {
        const FILLER: [&str; 9] = [
            "",
            "",
            "",
            "",
            "\n",
            "   \n",
            "# c\n",
            "  # c: [x\n",
            "    #c\n",
        ];
        for (i, (k, v, nested)) in lines.iter().enumerate() {
            out.push_str(FILLER[(i + k.len()) % FILLER.len()]);
            if nested.is_empty() {
                out.push_str(&format!("{pad}{k}: {v}\n"));
                continue;
            }
            out.push_str(&format!("{pad}{k}:\n"));
            for (nk, nv) in nested {
                match *nk {
                    "-" => out.push_str(&format!("{pad}  - {nv}\n")),
                    nk => out.push_str(&format!("{pad}  {nk}: {nv}\n")),
                }
            }
        }
    }

    /// A value for a generated document: tricky or (twice as often) usual.
    pub(crate) fn value_strategy() -> impl proptest::strategy::Strategy<Value = &'static str> {
        use proptest::prelude::*;
        prop_oneof![
            1 => proptest::sample::select(VALUES),
            2 => proptest::sample::select(USUAL),
        ]
    }

    fn plain(text: &str) -> Node<'_> {
        Node::Scalar(Scalar {
            text,
            quoted: false,
        })
    }

    /// Pieces of YAML to build arbitrary text from.
    const PIECES: &[&str] = &[
        "a",
        "key",
        ": ",
        ":",
        "- ",
        "-",
        "  ",
        " ",
        "\n",
        "[",
        "]",
        "{",
        "}",
        ", ",
        ",",
        "\"",
        "'",
        "#",
        " #",
        "2020-01-01",
        "T12:30",
        "+09:00",
        "7",
        "0",
        "true",
        "~",
        "null",
        "&",
        "*",
        "|",
        "\\",
        "\t",
        "\u{3042}",
        "\u{2028}",
        "\u{feff}",
        "\r",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]
        /// Any text at all: an answer, never a panic.
        #[test]
        fn never_panics(
            pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..40),
            item in proptest::bool::ANY,
        ) {
            let text = pieces.concat();
            let _ = mapping(&text, item);
            for t in text.split([' ', '\n']) {
                let _ = Scalar { text: t, quoted: false }.resolve();
            }
        }
    }

    #[test]
    fn printable_bytes_agree_with_characters() {
        let mut buf = [0u8; 4];
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let s = c.encode_utf8(&mut buf);
            assert_eq!(all_printable(s), printable(c), "{:x}", c as u32);
        }
    }

    #[test]
    fn reads_the_plain_shape() {
        let text = "title: \"A: b\"\ntags:\n  - x\n  - 'y'\n# note\n\nperson:\n  name: N\n  now: { company: C, role: [r] }\n";
        assert_eq!(
            mapping(text, false),
            Some(vec![
                (
                    "title",
                    Node::Scalar(Scalar {
                        text: "A: b",
                        quoted: true
                    })
                ),
                (
                    "tags",
                    Node::List(vec![
                        plain("x"),
                        Node::Scalar(Scalar {
                            text: "y",
                            quoted: true
                        })
                    ])
                ),
                (
                    "person",
                    Node::Map(vec![
                        ("name", plain("N")),
                        (
                            "now",
                            Node::Map(vec![
                                ("company", plain("C")),
                                ("role", Node::List(vec![plain("r")]))
                            ])
                        )
                    ])
                ),
            ])
        );
        assert_eq!(
            mapping("  - id: a\n    b: [1, 2]\n", true),
            Some(vec![
                ("id", plain("a")),
                ("b", Node::List(vec![plain("1"), plain("2")]))
            ])
        );
    }

    #[test]
    fn leaves_other_shapes_to_yaml() {
        for text in [
            "a: |\n  text\n",
            "a: b\n  continued\n",
            "a:\n- x\n",
            "a:\n   b: c\n",
            "a:\n",
            "a: &x b\n",
            "a: *x\n",
            "a: !tag b\n",
            "a: \"\\n\"\n",
            "a: 'it''s'\n",
            "a: b # c\n",
            "a: [b] c\n",
            "a: [[[b]]]\n",
            "a: [b:c]\n",
            "a: b\na: c\n",
            "A: b\n",
            "a: b\r\n",
            "a:\tb\n",
            "a: b\u{2028}\n",
            "  a: b\n",
        ] {
            assert_eq!(mapping(text, false), None, "{text:?}");
        }
    }

    #[test]
    fn resolves_only_certain_types() {
        let r = |t| {
            Scalar {
                text: t,
                quoted: false,
            }
            .resolve()
        };
        assert_eq!(r("2004"), Some(Resolved::Int(2004)));
        assert_eq!(r("~"), Some(Resolved::Null));
        assert_eq!(r("True"), Some(Resolved::Bool(true)));
        assert_eq!(r("2020-04-14"), Some(Resolved::Str("2020-04-14")));
        assert_eq!(
            r("2023-11-02T13:30:00+09:00"),
            Some(Resolved::Str("2023-11-02T13:30:00+09:00"))
        );
        assert_eq!(r("Infinity"), Some(Resolved::Str("Infinity")));
        for t in [
            "0123", "-1", "+1", "1.5", "1e5", ".inf", "0x1F", "1_000", "２",
        ] {
            assert_eq!(r(t), None, "{t}");
        }
    }
}
