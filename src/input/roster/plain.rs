//! Roster items of the plain shape ([`crate::input::yaml_plain`]) read straight
//! into a [`RawEntry`], without libyaml: parsing the 33,000 people of the
//! benchmark roster with it was about a tenth of a build. `None` leaves the
//! item to serde_yaml_ng, which reads it the same way (the tests compare
//! both on generated items).

use std::collections::BTreeMap;

use serde_yaml_ng::{Number, Value};

use super::{RawConsent, RawEntry, RawNow};
use crate::input::yaml_plain::{mapping, string_fields, Map, Node, Resolved};

impl RawNow {
    /// A plain `now:` mapping (`company`, `role`) or null; also front
    /// matter's `person.now`. `None` when it is not of the plain shape.
    pub(crate) fn plain(node: Node) -> Option<Option<RawNow>> {
        Some(match node.map_or_null()? {
            None => None,
            Some(m) => {
                let [company, role] = string_fields(m, ["company", "role"])?;
                Some(RawNow { company, role })
            }
        })
    }
}

/// The item `chunk` (its lines, each ending in `\n`, the first `- key: …`)
/// as a [`RawEntry`], or `None` when it is not of the plain shape.
pub(super) fn entry(chunk: &str) -> Option<RawEntry> {
    let mut e = RawEntry::default();
    for (key, node) in mapping(chunk, true)? {
        set(&mut e, key, node)?;
    }
    Some(e)
}

/// An `Option<Value>` field: null is `None`.
fn opt_value(node: Node<'_>) -> Option<Option<Value>> {
    Some(match node.scalar()?.resolve()? {
        Resolved::Null => None,
        Resolved::Bool(b) => Some(Value::Bool(b)),
        Resolved::Int(n) => Some(Value::Number(Number::from(n))),
        Resolved::Str(s) => Some(Value::String(s.to_string())),
    })
}

/// Set field `key` of `e`; `None` for a key or value this path leaves to
/// serde_yaml_ng (including unknown keys, which serde reports).
fn set(e: &mut RawEntry, key: &str, node: Node<'_>) -> Option<()> {
    match key {
        "id" => e.id = opt_value(node)?,
        "joined" => e.joined = opt_value(node)?,
        "left" => e.left = opt_value(node)?,
        "name" => e.name = node.opt_string()?,
        "name_en" => e.name_en = node.opt_string()?,
        "reading" => e.reading = node.opt_string()?,
        "department" => e.department = node.opt_string()?,
        "location" => e.location = node.opt_string()?,
        "email" => e.email = node.opt_string()?,
        "message" => e.message = node.opt_string()?,
        "skills" => e.skills = node.opt_strings()?,
        "links" => {
            e.links = match node.map_or_null()? {
                None => None,
                Some(m) => Some(
                    m.into_iter()
                        .map(|(k, v)| Some((k.to_string(), v.string()?)))
                        .collect::<Option<BTreeMap<_, _>>>()?,
                ),
            }
        }
        "now" => e.now = RawNow::plain(node)?,
        "consent" => {
            e.consent = match node.map_or_null()? {
                None => None,
                Some(m) => Some(consent(m)?),
            }
        }
        _ => return None,
    }
    Some(())
}

fn consent(m: Map<'_>) -> Option<RawConsent> {
    let mut c = RawConsent::default();
    for (k, v) in m {
        match k {
            "given" => c.given = opt_value(v)?,
            "withdrawn" => c.withdrawn = opt_value(v)?,
            "public" => c.public = v.opt_strings()?,
            "members" => c.members = v.opt_strings()?,
            "stats" => c.stats = v.opt_strings()?,
            "version" => c.version = v.opt_u32()?,
            _ => return None,
        }
    }
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::yaml_plain::tests::{lines_strategy, push_lines, value_strategy, Line};

    fn serde(chunk: &str) -> Option<RawEntry> {
        let mut v = serde_yaml_ng::from_str::<Vec<RawEntry>>(chunk).ok()?;
        (v.len() == 1).then(|| v.pop()).flatten()
    }

    /// Keys of an entry: `id`, `consent`, the fields one consents to, and
    /// two unknown ones.
    static KEYS: std::sync::LazyLock<Vec<&str>> = std::sync::LazyLock::new(|| {
        let mut keys = vec!["id", "consent", "other", "Name"];
        keys.extend(super::super::FIELDS);
        keys
    });

    /// Keys of nested mappings, and `-` for a block list item.
    const NESTED: &[&str] = &[
        "-",
        "-",
        "-",
        "given",
        "version",
        "public",
        "members",
        "stats",
        "withdrawn",
        "company",
        "role",
        "linkedin",
        "github",
        "other",
    ];

    /// An item from generated lines.
    fn item(indent: usize, first: &str, lines: &[Line]) -> String {
        let pad = " ".repeat(indent);
        let mut chunk = format!("{pad}- id: {first}\n");
        push_lines(&mut chunk, &format!("{pad}  "), lines);
        chunk
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20000))]
        #[test]
        fn plain_items_read_as_serde_reads_them(
            lines in lines_strategy(KEYS.as_slice(), NESTED),
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
            "- id: g\n  skills:\n    - x\n    - \"y\"\n",
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
