//! A fast path for roster items of the plain shape that rosters are
//! written in: one `key: value` per line, nested mappings one level deep,
//! flow lists and mappings on one line, plain or simply quoted scalars.
//!
//! [`entry`] reads such an item straight into a [`RawEntry`] and gives up
//! (`None`) on anything else: block scalars, anchors, tags, escapes,
//! multi-line values, a scalar YAML could read as something other than
//! what it reads here. The caller then parses with
//! serde_yaml_ng, so an item read here gives exactly what serde_yaml_ng
//! gives (the tests compare both on generated items). Parsing the 33,000
//! people of the benchmark roster with libyaml was about a tenth of a build.

use std::collections::BTreeMap;

use serde_yaml_ng::{Number, Value};

use super::{RawConsent, RawEntry, RawNow};

/// A scalar as written: its text and whether it was quoted.
#[derive(Clone, Copy)]
struct Scalar<'a> {
    text: &'a str,
    quoted: bool,
}

/// A value: a scalar, a list of scalars, or a mapping (of scalars or
/// lists, one level deep).
enum Node<'a> {
    Scalar(Scalar<'a>),
    List(Vec<Scalar<'a>>),
    Map(Vec<(&'a str, Node<'a>)>),
}

/// The item `chunk` (its lines, each ending in `\n`, the first `- key: …`)
/// as a [`RawEntry`], or `None` when it is not of the plain shape.
pub(super) fn entry(chunk: &str) -> Option<RawEntry> {
    if !chunk.chars().all(printable) {
        return None;
    }
    // Blank lines and comments are nothing to YAML (no scalar read here
    // spans lines).
    let mut lines = chunk
        .split_terminator('\n')
        .filter(|l| {
            let t = l.trim_start_matches(' ');
            !t.is_empty() && !t.starts_with('#')
        })
        .peekable();
    let first = lines.next()?;
    let base = first.len() - first.trim_start_matches(' ').len();
    let first = first[base..].strip_prefix("- ")?;
    let (top, inner) = (base + 2, base + 4);
    let mut e = RawEntry::default();
    let mut seen: Vec<&str> = Vec::new();
    let mut line = first;
    loop {
        let (key, rest) = key_line(line)?;
        if seen.contains(&key) {
            return None;
        }
        seen.push(key);
        let node = if rest.is_empty() {
            // A nested block mapping: the lines indented one step deeper.
            let mut pairs = Vec::new();
            while let Some(l) = lines.peek().and_then(|l| at_indent(l, inner)) {
                lines.next();
                let (k, v) = key_line(l)?;
                match value(v)? {
                    Node::Map(_) => return None,
                    n => pairs.push((k, n)),
                }
            }
            if pairs.is_empty() {
                return None;
            }
            Node::Map(pairs)
        } else {
            value(rest)?
        };
        set(&mut e, key, node)?;
        match lines.next() {
            None => return Some(e),
            Some(l) => line = at_indent(l, top)?,
        }
    }
}

/// Characters YAML reads as themselves in a one-line scalar: printable,
/// and none of its line breaks (NEL, LS, PS) or the byte order mark.
fn printable(c: char) -> bool {
    matches!(c, '\n' | '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// `line` without exactly `n` leading spaces (and not more).
fn at_indent(line: &str, n: usize) -> Option<&str> {
    let rest = line.get(n..)?;
    (line.as_bytes()[..n].iter().all(|&b| b == b' ') && !rest.starts_with(' ')).then_some(rest)
}

/// `key: rest` (or `key:` with nothing after it): the key, a lower-case
/// name, and what follows the spaces after the colon.
fn key_line(line: &str) -> Option<(&str, &str)> {
    let colon = line.find(':')?;
    let key = &line[..colon];
    if key.is_empty() || !key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
        return None;
    }
    let rest = &line[colon + 1..];
    if rest.is_empty() {
        return Some((key, rest));
    }
    let value = rest.trim_start_matches(' ');
    (value.len() < rest.len() && !value.is_empty()).then_some((key, value))
}

/// The value after `key: `, up to the end of the line.
fn value(v: &str) -> Option<Node<'_>> {
    if v.starts_with(['[', '{']) {
        let (node, rest) = flow(v, true)?;
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
/// what follows it. Mappings hold scalars and (when `nest`) lists.
fn flow(s: &str, nest: bool) -> Option<(Node<'_>, &str)> {
    let (close, is_map) = match s.as_bytes().first()? {
        b'[' => (b']', false),
        b'{' => (b'}', true),
        _ => return None,
    };
    let mut rest = s[1..].trim_start_matches(' ');
    let mut items = Vec::new();
    let mut pairs = Vec::new();
    if rest.as_bytes().first() == Some(&close) {
        rest = &rest[1..];
    } else {
        loop {
            if is_map {
                let colon = rest.find(':')?;
                let key = &rest[..colon];
                if key.is_empty() || !key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
                    return None;
                }
                let after = &rest[colon + 1..];
                rest = after.trim_start_matches(' ');
                if rest.len() == after.len() {
                    return None;
                }
                let (node, r) = if nest && rest.starts_with('[') {
                    flow(rest, false)?
                } else {
                    let (s, r) = flow_scalar(rest)?;
                    (Node::Scalar(s), r)
                };
                pairs.push((key, node));
                rest = r;
            } else {
                let (s, r) = flow_scalar(rest)?;
                items.push(s);
                rest = r;
            }
            rest = rest.trim_start_matches(' ');
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
/// comments or brackets, which YAML could read otherwise).
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

/// Whether a plain scalar is YAML's null.
fn is_null(s: Scalar<'_>) -> bool {
    !s.quoted && matches!(s.text, "null" | "Null" | "NULL" | "~")
}

/// An `Option<String>` field: null is `None`, anything else its text.
fn opt_string(s: Scalar<'_>) -> Option<String> {
    (!is_null(s)).then(|| s.text.to_string())
}

/// A `String` (a list item, a link): YAML's null does not fit.
fn string(s: Scalar<'_>) -> Option<String> {
    (!is_null(s)).then(|| s.text.to_string())
}

/// An `Option<Value>` field, for the scalars whose YAML type is certain:
/// null, a decimal integer, a date or year-month, or text starting with a
/// letter that is not a boolean. `None` (outer) gives up.
fn opt_value(s: Scalar<'_>) -> Option<Option<Value>> {
    if s.quoted {
        return Some(Some(Value::String(s.text.to_string())));
    }
    if is_null(s) {
        return Some(None);
    }
    let t = s.text;
    let b = t.as_bytes();
    let digits = |r: &[u8]| r.iter().all(u8::is_ascii_digit);
    if digits(b) && (1..=18).contains(&b.len()) && (b[0] != b'0' || b.len() == 1) {
        let n: u64 = t.parse().ok()?;
        return Some(Some(Value::Number(Number::from(n))));
    }
    let date = matches!(b.len(), 7 | 10)
        && digits(&b[..4])
        && b[4] == b'-'
        && digits(&b[5..7])
        && (b.len() == 7 || (b[7] == b'-' && digits(&b[8..])));
    let text = t.starts_with(|c: char| c.is_alphabetic())
        && !matches!(t, "true" | "True" | "TRUE" | "false" | "False" | "FALSE");
    (date || text).then(|| Some(Value::String(t.to_string())))
}

fn list(node: Node<'_>) -> Option<Option<Vec<String>>> {
    match node {
        Node::Scalar(s) if is_null(s) => Some(None),
        Node::List(items) => items
            .into_iter()
            .map(string)
            .collect::<Option<_>>()
            .map(Some),
        _ => None,
    }
}

/// The pairs of a mapping value (`None` for null), keys unique.
type Pairs<'a> = Vec<(&'a str, Node<'a>)>;

fn pairs(node: Node<'_>) -> Option<Option<Pairs<'_>>> {
    match node {
        Node::Scalar(s) if is_null(s) => Some(None),
        Node::Map(pairs) => {
            let unique = pairs
                .iter()
                .enumerate()
                .all(|(i, (k, _))| pairs[..i].iter().all(|(j, _)| j != k));
            unique.then_some(Some(pairs))
        }
        _ => None,
    }
}

fn scalar(node: Node<'_>) -> Option<Scalar<'_>> {
    match node {
        Node::Scalar(s) => Some(s),
        _ => None,
    }
}

/// Set field `key` of `e`; `None` for a key or value this path leaves to
/// serde_yaml_ng (including unknown keys, which serde reports).
fn set(e: &mut RawEntry, key: &str, node: Node<'_>) -> Option<()> {
    match key {
        "id" => e.id = opt_value(scalar(node)?)?,
        "joined" => e.joined = opt_value(scalar(node)?)?,
        "left" => e.left = opt_value(scalar(node)?)?,
        "name" => e.name = opt_string(scalar(node)?),
        "name_en" => e.name_en = opt_string(scalar(node)?),
        "reading" => e.reading = opt_string(scalar(node)?),
        "department" => e.department = opt_string(scalar(node)?),
        "location" => e.location = opt_string(scalar(node)?),
        "email" => e.email = opt_string(scalar(node)?),
        "message" => e.message = opt_string(scalar(node)?),
        "skills" => e.skills = list(node)?,
        "links" => {
            e.links = match pairs(node)? {
                None => None,
                Some(ps) => Some(
                    ps.into_iter()
                        .map(|(k, v)| Some((k.to_string(), string(scalar(v)?)?)))
                        .collect::<Option<BTreeMap<_, _>>>()?,
                ),
            }
        }
        "now" => {
            e.now = match pairs(node)? {
                None => None,
                Some(ps) => {
                    let mut now = RawNow::default();
                    for (k, v) in ps {
                        match k {
                            "company" => now.company = opt_string(scalar(v)?),
                            "role" => now.role = opt_string(scalar(v)?),
                            _ => return None,
                        }
                    }
                    Some(now)
                }
            }
        }
        "consent" => {
            e.consent = match pairs(node)? {
                None => None,
                Some(ps) => Some(consent(ps)?),
            }
        }
        _ => return None,
    }
    Some(())
}

fn consent(ps: Pairs<'_>) -> Option<RawConsent> {
    let mut c = RawConsent::default();
    for (k, v) in ps {
        match k {
            "given" => c.given = opt_value(scalar(v)?)?,
            "withdrawn" => c.withdrawn = opt_value(scalar(v)?)?,
            "public" => c.public = list(v)?,
            "members" => c.members = list(v)?,
            "version" => {
                let v = scalar(v)?;
                let b = v.text.as_bytes();
                c.version = if is_null(v) {
                    None
                } else if !v.quoted
                    && (1..=9).contains(&b.len())
                    && b.iter().all(u8::is_ascii_digit)
                    && (b[0] != b'0' || b.len() == 1)
                {
                    Some(v.text.parse().ok()?)
                } else {
                    return None;
                };
            }
            _ => return None,
        }
    }
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serde(chunk: &str) -> Option<RawEntry> {
        let mut v = serde_yaml_ng::from_str::<Vec<RawEntry>>(chunk).ok()?;
        (v.len() == 1).then(|| v.pop()).flatten()
    }

    /// Scalars and flow values YAML reads in many ways.
    const VALUES: &[&str] = &[
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

    const KEYS: &[&str] = &[
        "id",
        "name",
        "name_en",
        "reading",
        "joined",
        "left",
        "department",
        "now",
        "location",
        "skills",
        "links",
        "email",
        "message",
        "consent",
        "other",
        "Name",
    ];

    const NESTED: &[&str] = &[
        "given",
        "version",
        "public",
        "members",
        "withdrawn",
        "company",
        "role",
        "linkedin",
        "github",
        "other",
    ];

    /// Values of the shape the fast path takes, to mix in with the above.
    const USUAL: &[&str] = &[
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

    /// A generated line: key, value, and nested (key, value)s instead.
    type Line = (usize, &'static str, Vec<(usize, &'static str)>);

    /// An item from generated lines.
    fn item(indent: usize, first: &str, lines: &[Line]) -> String {
        let pad = " ".repeat(indent);
        let mut chunk = format!("{pad}- id: {first}\n");
        for (i, (k, v, nested)) in lines.iter().enumerate() {
            // Now and then a blank line or a comment, at some indentation.
            chunk.push_str(
                [
                    "",
                    "",
                    "",
                    "",
                    "\n",
                    "   \n",
                    "# c\n",
                    "  # c: [x\n",
                    "    #c\n",
                ][(i + k) % 9],
            );
            if nested.is_empty() {
                chunk.push_str(&format!("{pad}  {}: {v}\n", KEYS[*k]));
            } else {
                chunk.push_str(&format!("{pad}  {}:\n", KEYS[*k]));
                for (nk, nv) in nested {
                    chunk.push_str(&format!("{pad}    {}: {nv}\n", NESTED[*nk]));
                }
            }
        }
        chunk
    }

    fn value_strategy() -> impl proptest::strategy::Strategy<Value = &'static str> {
        use proptest::prelude::*;
        prop_oneof![
            1 => proptest::sample::select(VALUES),
            2 => proptest::sample::select(USUAL),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20000))]
        #[test]
        fn plain_items_read_as_serde_reads_them(
            lines in proptest::collection::vec(
                (0usize..KEYS.len(), value_strategy(),
                 proptest::collection::vec((0usize..NESTED.len(), value_strategy()), 0..3)),
                0..6),
            first in value_strategy(),
            indent in 0usize..3,
        ) {
            let chunk = item(indent, first, &lines);
            if let Some(fast) = entry(&chunk) {
                proptest::prop_assert_eq!(Some(fast), serde(&chunk), "{:?}", chunk);
            }
        }
    }

    #[test]
    fn the_usual_shapes_take_the_fast_path() {
        for chunk in [
            "- id: onishi-takuya\n  name: 大西 拓也\n  name_en: Takuya Onishi\n  reading: おおにし たくや\n  joined: 2004\n  left: 2008\n  department: 物流部\n  now: { company: Yuzu Cloud Pte. Ltd., role: QAエンジニア }\n  location: 福岡\n  skills: [LLM活用, 営業企画, iOS, M&A]\n  email: onishi.takuya@example.com\n  consent:\n    given: 2020-04-14\n    public: [name, name_en, now]\n    members: [email, links]\n    withdrawn: null\n",
            "- id: b\n  links: { linkedin: \"https://www.linkedin.com/in/b\", github: \"https://github.com/b\" }\n  message: 採用のご相談は \"カジュアル面談\" からどうぞ。\n  consent: {}\n",
            "- id: c\n  consent: null\n  skills: []\n",
            "  - id: d\n    joined: 2012-04\n    consent: { given: 2026-01-01, public: [name], version: 2 }\n",
            "- id: e\n  links:\n    web: https://e.example/\n",
            "- id: f\n  # a comment\n\n  name: F\n  consent:\n\n    # given later\n    given: 2026-01-01\n\n",
        ] {
            let fast = entry(chunk);
            assert!(fast.is_some(), "{chunk}");
            assert_eq!(fast, serde(chunk), "{chunk}");
        }
    }

    #[test]
    fn other_shapes_are_left_to_yaml() {
        for chunk in [
            "- id: a\n  message: |\n    text\n",
            "- id: a\n  name: A\n    continued\n",
            "- id: a\n  skills:\n    - x\n",
            "- id: a\n  name: &n A\n",
            "- id: a\n  id: b\n",
            "- id: a\n  nickname: A\n",
            "-  id: a\n",
        ] {
            assert_eq!(entry(chunk), None, "{chunk}");
        }
    }

    #[test]
    fn example_roster_reads_as_serde_reads_it() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/example-site/data/roster.yaml");
        let text = std::fs::read_to_string(path).unwrap();
        let spans = super::super::item_spans(&text);
        let mut fast = 0;
        for span in &spans {
            let chunk = super::super::item_text(&text, span);
            if let Some(e) = entry(&chunk) {
                fast += 1;
                assert_eq!(Some(e), serde(&chunk), "{chunk}");
            }
        }
        // Escaped quotes are left to serde_yaml_ng; the rest is plain.
        assert!(fast * 5 > spans.len() * 4, "{fast} of {}", spans.len());
    }
}
