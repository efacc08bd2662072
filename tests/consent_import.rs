//! `enishi roster import` and consent (issues 17 and 18): messages quote no
//! CSV value; an empty consent cell keeps consent, `-` clears it; widening
//! needs a new `consent_given` and the current notice; the summary lists
//! every consent change by person and field.

mod common;

use std::path::Path;

use common::*;

const ROSTER: &str = "\
- id: tanaka
  name: 田中 花子
  email: hanako@example.com
  consent:
    given: 2026-04-01
    public: [name]
    members: [email]
- id: sato
  name: 佐藤 健
";

fn import(root: &Path, csv: &str) -> std::process::Output {
    write(root, "hr.csv", csv);
    let mut c = bin();
    c.args(["roster", "import"])
        .arg(root.join("hr.csv"))
        .arg("--root")
        .arg(root);
    c.output().expect("run enishi")
}

fn roster(root: &Path) -> String {
    std::fs::read_to_string(root.join("data/roster.yaml")).expect("roster")
}

#[test]
fn import_errors_quote_no_value() {
    let dir = site(&[("data/roster.yaml", ROSTER)]);
    let out = import(
        dir.path(),
        "id,name,email,consent_version\n\
         tanaka,,hanako.private@@example.jp,\n\
         Tanaka Hanako,X,,\n\
         sato,,,v二\n",
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for s in ["hanako.private", "Tanaka Hanako", "v二"] {
        assert!(!err.contains(s), "the log quotes {s:?}:\n{err}");
    }
    for want in [
        "row 2 (id `tanaka`): entry `tanaka`: invalid `email`",
        "row 3, column `id`: invalid id",
        "row 4 (id `sato`): `consent_version` is not a whole number",
    ] {
        assert!(err.contains(want), "missing {want:?}:\n{err}");
    }
    assert_eq!(roster(dir.path()), ROSTER, "nothing may be written");
}

/// `consent.<level>` of entry `id` in the roster, as written (`None`: no key).
fn consent_list(root: &Path, id: &str, level: &str) -> Option<Vec<String>> {
    let v: serde_yaml_ng::Value = serde_yaml_ng::from_str(&roster(root)).expect("yaml");
    let entry = v
        .as_sequence()?
        .iter()
        .find(|e| e.get("id").and_then(|i| i.as_str()) == Some(id))?;
    let list = entry.get("consent")?.get(level)?.as_sequence()?;
    Some(
        list.iter()
            .filter_map(|s| s.as_str().map(str::to_string))
            .collect(),
    )
}

#[test]
fn empty_consent_cell_keeps_consent() {
    let dir = site(&[("data/roster.yaml", ROSTER)]);
    let out = import(
        dir.path(),
        "id,name,consent_public,consent_members\ntanaka,田中 花子（旧姓 山田）,,\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let r = roster(dir.path());
    assert!(r.contains("旧姓"), "the name was not updated:\n{r}");
    assert_eq!(
        consent_list(dir.path(), "tanaka", "public"),
        Some(vec!["name".into()])
    );
    assert_eq!(
        consent_list(dir.path(), "tanaka", "members"),
        Some(vec!["email".into()])
    );
}

#[test]
fn dash_consent_cell_clears_that_level() {
    let dir = site(&[("data/roster.yaml", ROSTER)]);
    let out = import(
        dir.path(),
        "id,consent_public,consent_members\ntanaka,-,\nsato,-,-\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(consent_list(dir.path(), "tanaka", "public"), Some(vec![]));
    assert_eq!(
        consent_list(dir.path(), "tanaka", "members"),
        Some(vec!["email".into()])
    );
    // `-` for someone with no consent changes nothing (no empty `consent:` added).
    assert!(
        roster(dir.path()).ends_with("- id: sato\n  name: 佐藤 健\n"),
        "{}",
        roster(dir.path())
    );
}

#[test]
fn consent_stats_column_is_imported_like_the_others() {
    let dir = site(&[("data/roster.yaml", ROSTER)]);
    let out = import(
        dir.path(),
        "id,consent_given,Consent_Stats\ntanaka,2026-05-01,location;left\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        consent_list(dir.path(), "tanaka", "stats"),
        Some(vec!["location".into(), "left".into()])
    );
    // Only the fields that can be counted; `-` clears, empty keeps.
    let bad = import(dir.path(), "id,consent_stats\ntanaka,email\n");
    assert_eq!(bad.status.code(), Some(1), "{}", stderr(&bad));
    assert!(
        stderr(&bad).contains("unknown field `email` in `consent.stats`"),
        "{}",
        stderr(&bad)
    );
    let out = import(dir.path(), "id,consent_stats\ntanaka,\n");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        consent_list(dir.path(), "tanaka", "stats").map(|l| l.len()),
        Some(2)
    );
    let out = import(dir.path(), "id,consent_stats\ntanaka,-\n");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(consent_list(dir.path(), "tanaka", "stats"), Some(vec![]));
}
