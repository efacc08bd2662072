//! Front matter of the plain shape ([`crate::input::yaml_plain`]) read straight
//! into a [`RawFrontMatter`], without libyaml (about 3 % of a 10,000-page
//! build). `None` leaves the front matter to serde_yaml_ng, which reads it
//! the same way (the tests compare both on generated front matter).

use super::{RawFrontMatter, RawPerson, RawSalary, RawVenue, Scalar};
use crate::input::roster::RawNow;
use crate::input::yaml_plain::{mapping, string_fields, Node, Resolved};

/// The front matter `yaml` (its lines, each ending in `\n`), or `None`
/// when it is not of the plain shape.
pub(super) fn front_matter(yaml: &str) -> Option<RawFrontMatter> {
    let mut title = None;
    let mut f = RawFrontMatter::default();
    for (key, v) in mapping(yaml, false)? {
        match key {
            "title" => title = Some(v.string()?),
            "date" => f.date = scalar(v)?,
            "slug" => f.slug = scalar(v)?,
            "closes" => f.closes = scalar(v)?,
            "start" => f.start = scalar(v)?,
            "end" => f.end = scalar(v)?,
            "tags" => {
                f.tags = match v.list_or_null()? {
                    None => None,
                    Some(items) => Some(
                        items
                            .into_iter()
                            .map(|n| scalar(n).flatten())
                            .collect::<Option<_>>()?,
                    ),
                }
            }
            "aliases" => f.aliases = v.opt_strings()?,
            "draft" => {
                f.draft = match v.scalar()?.resolve()? {
                    Resolved::Null => None,
                    Resolved::Bool(b) => Some(b),
                    _ => return None,
                }
            }
            "capacity" => f.capacity = v.opt_u32()?,
            "sequence" => f.sequence = v.opt_u32()?,
            "summary" => f.summary = v.opt_string()?,
            "image" => f.image = v.opt_string()?,
            "image_alt" => f.image_alt = v.opt_string()?,
            "image_focus" => f.image_focus = v.opt_string()?,
            "roster_id" => f.roster_id = v.opt_string()?,
            "quote" => f.quote = v.opt_string()?,
            "kind" => f.kind = v.opt_string()?,
            "department" => f.department = v.opt_string()?,
            "location" => f.location = v.opt_string()?,
            "remote" => f.remote = v.opt_string()?,
            "employment" => f.employment = v.opt_string()?,
            "apply" => f.apply = v.opt_string()?,
            "online" => f.online = v.opt_string()?,
            "register" => f.register = v.opt_string()?,
            "status" => f.status = v.opt_string()?,
            "person" => f.person = person(v)?,
            "salary" => f.salary = salary(v)?,
            "venue" => f.venue = venue(v)?,
            _ => return None,
        }
    }
    f.title = title?;
    Some(f)
}

/// An `Option<Scalar>`: null is `None`; an untagged [`Scalar`] is what
/// YAML resolves the text to.
fn scalar(v: Node<'_>) -> Option<Option<Scalar>> {
    Some(match v.scalar()?.resolve()? {
        Resolved::Null => None,
        Resolved::Bool(b) => Some(Scalar::Bool(b)),
        Resolved::Int(n) => Some(Scalar::Int(i64::try_from(n).ok()?)),
        Resolved::Str(s) => Some(Scalar::Str(s.to_string())),
    })
}

fn person(v: Node<'_>) -> Option<Option<RawPerson>> {
    let Some(m) = v.map_or_null()? else {
        return Some(None);
    };
    let mut name = None;
    let mut p = RawPerson::default();
    for (key, v) in m {
        match key {
            "name" => name = Some(v.string()?),
            "name_en" => p.name_en = v.opt_string()?,
            "reading" => p.reading = v.opt_string()?,
            "then" => p.then = v.opt_string()?,
            "department" => p.department = v.opt_string()?,
            "joined" => p.joined = scalar(v)?,
            "left" => p.left = scalar(v)?,
            "now" => p.now = RawNow::plain(v)?,
            _ => return None,
        }
    }
    p.name = name?;
    Some(Some(p))
}

fn salary(v: Node<'_>) -> Option<Option<RawSalary>> {
    let Some(m) = v.map_or_null()? else {
        return Some(None);
    };
    let number = |v: Node<'_>| -> Option<Option<f64>> {
        match v.scalar()?.resolve()? {
            Resolved::Null => Some(None),
            // At most 15 digits: exact as f64.
            Resolved::Int(n) => Some(Some(n as f64)),
            _ => None,
        }
    };
    let mut s = RawSalary {
        min: None,
        max: None,
        currency: None,
        unit: None,
    };
    for (key, v) in m {
        match key {
            "min" => s.min = number(v)?,
            "max" => s.max = number(v)?,
            "currency" => s.currency = v.opt_string()?,
            "unit" => s.unit = v.opt_string()?,
            _ => return None,
        }
    }
    Some(Some(s))
}

fn venue(v: Node<'_>) -> Option<Option<RawVenue>> {
    let Some(m) = v.map_or_null()? else {
        return Some(None);
    };
    let [name, address] = string_fields(m, ["name", "address"])?;
    Some(Some(RawVenue { name, address }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::yaml_plain::tests::{lines_strategy, push_lines, value_strategy, Line};

    /// What serde_yaml_ng reads, shown with `{:?}` (the raw shapes have
    /// floats, so no `Eq`).
    fn serde(yaml: &str) -> Option<String> {
        serde_yaml_ng::from_str::<RawFrontMatter>(yaml)
            .ok()
            .map(|f| format!("{f:?}"))
    }

    /// Every key, the typed ones (scalars that YAML resolves, booleans,
    /// numbers) more often.
    const KEYS: &[&str] = &[
        "date",
        "date",
        "start",
        "tags",
        "tags",
        "draft",
        "capacity",
        "person",
        "salary",
        "title",
        "date",
        "slug",
        "summary",
        "tags",
        "draft",
        "image",
        "image_alt",
        "image_focus",
        "aliases",
        "person",
        "roster_id",
        "quote",
        "kind",
        "department",
        "location",
        "remote",
        "employment",
        "salary",
        "apply",
        "closes",
        "start",
        "end",
        "venue",
        "online",
        "register",
        "capacity",
        "status",
        "sequence",
        "other",
    ];

    /// Keys of nested mappings, and `-` for a block list item.
    const NESTED: &[&str] = &[
        "-",
        "-",
        "-",
        "name",
        "name_en",
        "reading",
        "joined",
        "left",
        "then",
        "department",
        "now",
        "min",
        "max",
        "currency",
        "unit",
        "address",
        "company",
        "other",
    ];

    fn front(title: &str, lines: &[Line]) -> String {
        let mut yaml = format!("title: {title}\n");
        push_lines(&mut yaml, "", lines);
        yaml
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20000))]
        #[test]
        fn plain_front_matter_reads_as_serde_reads_it(
            lines in lines_strategy(KEYS, NESTED),
            title in value_strategy(),
        ) {
            let yaml = front(title, &lines);
            if let Some(fast) = front_matter(&yaml) {
                proptest::prop_assert_eq!(Some(format!("{fast:?}")), serde(&yaml), "{:?}", yaml);
            }
        }
    }

    #[test]
    fn the_usual_shapes_take_the_fast_path() {
        for yaml in [
            "title: \"Kenichi Fujita: from IT to Marketing Lead\"\ndate: 2020-12-19\nsummary: The session will be held in Japanese.\ntags: [投資]\nperson:\n  name: 藤田 健一\n  name_en: Kenichi Fujita\n  joined: 2001\n  left: 2006-04\n  then: 情報システム部 リーダー\n  now: { company: ユイマール株式会社, role: 代表取締役 }\nroster_id: fujita-kenichi\n",
            "title: Nagoya alumni meetup\ndate: 2023-08-14\ntags:\n  - ダイバーシティ\n  - Hiring\nstart: 2023-11-02T13:30:00+09:00\nend: 2023-11-02T15:30:00+09:00\nkind: pitch\nvenue: { name: 渋谷オフィス 8F ラウンジ, address: 東京都渋谷区道玄坂2-3-20 }\nregister: https://forms.example.com/e/66190\ncapacity: 200\n",
            "title: Engineer\nsalary: { min: 6000000, max: 9000000, currency: JPY, unit: year }\nremote: hybrid\ndraft: true\naliases: [/old/]\n",
        ] {
            let fast = front_matter(yaml).map(|f| format!("{f:?}"));
            assert!(fast.is_some(), "{yaml}");
            assert_eq!(fast, serde(yaml), "{yaml}");
        }
    }

    #[test]
    fn example_site_front_matter_reads_as_serde_reads_it() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/example-site/content");
        let (mut fast, mut all) = (0, 0);
        for e in walkdir::WalkDir::new(root).sort_by_file_name() {
            let e = e.unwrap();
            if e.path().extension().is_none_or(|x| x != "md") {
                continue;
            }
            let text = std::fs::read_to_string(e.path()).unwrap();
            let Ok((yaml, _, _)) = super::super::split_front_matter(&text) else {
                continue;
            };
            all += 1;
            if let Some(f) = front_matter(yaml) {
                fast += 1;
                assert_eq!(
                    Some(format!("{f:?}")),
                    serde(yaml),
                    "{}",
                    e.path().display()
                );
            }
        }
        assert!(fast * 5 > all * 4, "{fast} of {all}");
    }

    /// The field names serde reads for `T` (what `deserialize_struct` is
    /// given), without deserialising anything.
    fn serde_fields<T: serde::de::DeserializeOwned>() -> Vec<&'static str> {
        struct Grab<'a>(&'a mut Vec<&'static str>);
        impl<'de> serde::Deserializer<'de> for Grab<'_> {
            type Error = serde::de::value::Error;
            fn deserialize_any<V: serde::de::Visitor<'de>>(
                self,
                _: V,
            ) -> Result<V::Value, Self::Error> {
                Err(serde::de::Error::custom("not a struct"))
            }
            fn deserialize_struct<V: serde::de::Visitor<'de>>(
                self,
                _: &'static str,
                fields: &'static [&'static str],
                _: V,
            ) -> Result<V::Value, Self::Error> {
                self.0.extend_from_slice(fields);
                Err(serde::de::Error::custom("fields taken"))
            }
            serde::forward_to_deserialize_any! {
                bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
                bytes byte_buf option unit unit_struct newtype_struct seq tuple
                tuple_struct map enum identifier ignored_any
            }
        }
        let mut fields = Vec::new();
        let _ = T::deserialize(Grab(&mut fields));
        fields
    }

    /// The keys this module's `fn name` reads (from its source): its
    /// `"key" =>` match arms and its `string_fields(m, ["a", "b"])` lists.
    fn plain_arms(name: &str) -> Vec<String> {
        let src = include_str!("plain.rs");
        let start = src
            .find(&format!("fn {name}("))
            .unwrap_or_else(|| panic!("no fn {name}"));
        let body = &src[start..];
        let body = &body[..body.find("\n}\n").unwrap_or(body.len())];
        let mut keys = Vec::new();
        for l in body.lines() {
            if let Some((_, list)) = l.split_once("string_fields(") {
                keys.extend(list.split('"').skip(1).step_by(2).map(String::from));
            } else if let Some(t) = l.trim_start().strip_prefix('"') {
                if let Some((key, rest)) = t.split_once('"') {
                    if rest.trim_start().starts_with("=>") {
                        keys.push(key.to_string());
                    }
                }
            }
        }
        keys
    }

    /// The plain fast path is kept for front matter (about 1-3 % of a 10k
    /// build; cheap to keep in step): every key serde accepts has a plain
    /// arm and the other way round, so a key added to the serde structs
    /// without a plain arm fails here instead of silently taking the slow
    /// path (or a plain arm reading a key serde rejects).
    #[test]
    fn every_front_matter_key_has_a_plain_arm() {
        for (name, fields) in [
            ("front_matter", serde_fields::<RawFrontMatter>()),
            ("person", serde_fields::<RawPerson>()),
            ("salary", serde_fields::<RawSalary>()),
            ("venue", serde_fields::<RawVenue>()),
        ] {
            assert!(!fields.is_empty(), "{name}: serde listed no fields");
            let mut want: Vec<String> = fields.iter().map(|s| s.to_string()).collect();
            let mut have = plain_arms(name);
            want.sort();
            have.sort();
            assert_eq!(
                have, want,
                "plain::{name} arms vs the serde struct's fields"
            );
        }
    }

    /// One source of truth for the editor: the keys serde reads are the
    /// keys of the schema that `outputs::admin` turns into the editor's
    /// fields, at every level, and the other way round.
    #[test]
    fn every_front_matter_key_is_in_the_schema() {
        use crate::model::schema;
        let keys = |fields: &[schema::Field]| {
            let mut k: Vec<&str> = fields.iter().map(|f| f.key).collect();
            k.sort();
            k.dedup();
            k
        };
        for (name, mut fields, spec) in [
            (
                "front matter",
                serde_fields::<RawFrontMatter>(),
                schema::FRONT_MATTER,
            ),
            ("person", serde_fields::<RawPerson>(), schema::PERSON),
            ("person.now", serde_fields::<RawNow>(), schema::NOW),
            ("salary", serde_fields::<RawSalary>(), schema::SALARY),
            ("venue", serde_fields::<RawVenue>(), schema::VENUE),
        ] {
            assert!(!fields.is_empty(), "{name}: serde listed no fields");
            fields.sort();
            assert_eq!(fields, keys(spec), "{name}: serde struct vs model::schema");
        }
        let object = |key: &str| {
            schema::FRONT_MATTER
                .iter()
                .find(|f| f.key == key)
                .map(|f| f.value)
        };
        assert_eq!(
            object("person"),
            Some(schema::Value::Object(schema::PERSON))
        );
        assert_eq!(
            object("salary"),
            Some(schema::Value::Object(schema::SALARY))
        );
        assert_eq!(object("venue"), Some(schema::Value::Object(schema::VENUE)));
    }
}
