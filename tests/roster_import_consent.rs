//! `enishi roster import` and consent changes (issue 17 "Consent", issue 18
//! "Data and privacy"): widening consent needs, in the same row, a
//! `consent_given` later than the stored one (not after `--now`) and the
//! current notice version; narrowing is always allowed; a file with any
//! bad row writes nothing; the summary lists every change by person and
//! field. Errors name file, row and column, never a cell value.

mod common;

use std::path::Path;

use common::*;

const ROSTER: &str = "\
- id: tanaka
  name: 田中 花子
  email: hanako@example.com
  message: 福岡でSaaSの会社をやっています。
  consent:
    given: 2026-04-01
    public: [name]
    members: [email]
- id: sato
  name: 佐藤 健
";

/// `enishi roster import hr.csv --now 2026-11-22` on the site at `root`.
fn import(root: &Path, csv: &str) -> std::process::Output {
    write(root, "hr.csv", csv);
    bin()
        .args(["roster", "import"])
        .arg(root.join("hr.csv"))
        .arg("--root")
        .arg(root)
        .args(["--now", "2026-11-22"])
        .output()
        .expect("run enishi")
}

fn roster(root: &Path) -> String {
    std::fs::read_to_string(root.join("data/roster.yaml")).expect("roster")
}

/// Exit 1, every `want` in stderr, no roster value quoted, nothing written.
fn refused(root: &Path, before: &str, out: &std::process::Output, want: &[&str]) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for w in want {
        assert!(err.contains(w), "missing {w:?}:\n{err}");
    }
    for value in ["hanako@example.com", "田中", "福岡", "2026-04-01"] {
        assert!(!err.contains(value), "the log quotes {value:?}:\n{err}");
    }
    assert_eq!(roster(root), before, "nothing may be written");
}

#[test]
fn widening_consent_without_a_new_date_is_an_error() {
    let dir = site(&[("data/roster.yaml", ROSTER)]);
    let root = dir.path();
    // The case of the review: public [name] widened to name, email, message.
    let out = import(root, "id,Consent_Public\ntanaka,name;email;message\n");
    refused(
        root,
        ROSTER,
        &out,
        &[
            "hr.csv:2:1: row 2 (id `tanaka`), column `Consent_Public`: widens consent (adds `email`, `message` to the open web)",
            "in `consent_given`",
        ],
    );
    // The stored date again is not a new consent.
    let out = import(
        root,
        "id,consent_given,consent_public\ntanaka,2026-04-01,name;email\n",
    );
    refused(
        root,
        ROSTER,
        &out,
        &["row 2 (id `tanaka`), column `consent_given`: widens consent (adds `email` to the open web): `consent_given` is not later"],
    );
    // Stats turned on, or a field moved up from members, widen too.
    for (csv, want) in [
        (
            "id,consent_stats\ntanaka,location\n",
            "column `consent_stats`: widens consent (adds `location` to /alumni/stats/)",
        ),
        (
            "id,consent_public,consent_members\ntanaka,name;email,-\n",
            "column `consent_public`: widens consent (adds `email` to the open web)",
        ),
        (
            "id,consent_members\ntanaka,email;message\n",
            "column `consent_members`: widens consent (adds `message` to the members area)",
        ),
    ] {
        refused(root, ROSTER, &import(root, csv), &[want]);
    }
    // With a later date (and notice 1, this site's current one) it is recorded.
    let out = import(
        root,
        "id,consent_given,consent_public\ntanaka,2026-10-01,name;email;message\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let r = roster(root);
    assert!(r.contains("given: 2026-10-01"), "{r}");
    assert!(r.contains("- email\n    - message"), "{r}");
}

#[test]
fn widening_needs_the_current_notice_version() {
    let site_yaml = format!("{SITE_YAML}roster: {{ consent_version: 2 }}\n");
    let roster_v2 = ROSTER.replace("given: 2026-04-01\n", "given: 2026-04-01\n    version: 2\n");
    let dir = site(&[("data/roster.yaml", &roster_v2)]);
    let root = dir.path();
    write(root, "site.yaml", &site_yaml);
    let base = "id,consent_given,consent_public";
    let out = import(root, &format!("{base}\ntanaka,2026-10-01,name;email\n"));
    refused(
        root,
        &roster_v2,
        &out,
        &["row 2 (id `tanaka`), column `consent_public`: widens consent (adds `email` to the open web): a wider consent must be to the current privacy notice: add a `consent_version` column with 2"],
    );
    let out = import(
        root,
        &format!("{base},consent_version\ntanaka,2026-10-01,name;email,1\n"),
    );
    refused(
        root,
        &roster_v2,
        &out,
        &["column `consent_version`: widens consent (adds `email` to the open web): a wider consent must be to the current privacy notice: write 2"],
    );
    let out = import(
        root,
        &format!("{base},consent_version\ntanaka,2026-10-01,name;email,2\n"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        roster(root).contains("- email\n    members:"),
        "{}",
        roster(root)
    );
}

#[test]
fn consent_given_after_now_is_an_error_for_widening() {
    let dir = site(&[("data/roster.yaml", ROSTER)]);
    let root = dir.path();
    for csv in [
        // Later than the stored date, but after --now (2026-11-22).
        "id,consent_given,consent_public\ntanaka,2026-12-01,name;email\n",
        // A new person whose consent is dated in the future.
        "id,name,consent_given,consent_public\nsuzuki,鈴木,2099-12-31,name\n",
    ] {
        let out = import(root, csv);
        refused(
            root,
            ROSTER,
            &out,
            &[
                "column `consent_given`: widens consent",
                "`consent_given` is after today (2026-11-22)",
            ],
        );
        assert!(!stderr(&out).contains("2099"), "{}", stderr(&out));
    }
}

#[test]
fn narrowing_consent_is_always_allowed() {
    let dir = site(&[("data/roster.yaml", ROSTER)]);
    let root = dir.path();
    // No date, no version: taking fields off, or moving one down a level.
    let out = import(
        root,
        "id,consent_public,consent_members\ntanaka,-,name;email\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let r = roster(root);
    assert!(
        r.contains("public: []") && r.contains("given: 2026-04-01"),
        "{r}"
    );
    // A withdrawal, on a site whose notice is newer than the consent.
    write(
        root,
        "site.yaml",
        &format!("{SITE_YAML}roster: {{ consent_version: 2 }}\n"),
    );
    let out = import(root, "id,consent_withdrawn\ntanaka,2026-11-20\n");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(roster(root).contains("withdrawn: 2026-11-20"));
}

#[test]
fn a_file_with_one_bad_consent_row_changes_nothing() {
    let dir = site(&[("data/roster.yaml", ROSTER)]);
    let root = dir.path();
    let out = import(
        root,
        "id,name,consent_given,consent_public\n\
         suzuki,鈴木 一郎,2026-10-01,name\n\
         sato,佐藤 健（新）,,\n\
         tanaka,,,name;email\n",
    );
    refused(root, ROSTER, &out, &["row 4 (id `tanaka`)", "1 error"]);
    assert!(!stderr(&out).contains("row 2") && !stderr(&out).contains("row 3"));
}

#[test]
fn summary_lists_every_consent_change_by_person_and_field() {
    let dir = site(&[("data/roster.yaml", ROSTER)]);
    let root = dir.path();
    let out = import(
        root,
        "id,name,consent_given,consent_public,consent_members,consent_stats\n\
         tanaka,,2026-10-01,name;email;message,-,location\n\
         sato,佐藤 健（新）,,,,\n\
         suzuki,鈴木 一郎,2026-09-01,name,,\n",
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(
            "1 added, 2 updated, 0 unchanged.\n\
             Consent changed for 2 people:\n  \
             tanaka: public +email +message; members -email; stats +location; consent date changed\n  \
             suzuki: public +name; consent date changed\n"
        ),
        "{err}"
    );
    assert!(
        !err.contains("2026-10-01") && !err.contains("鈴木"),
        "{err}"
    );
    // Narrowing is listed the same way; nothing is listed when consent stays.
    let out = import(root, "id,consent_public\ntanaka,name\nsato,-\n");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.ends_with("Consent changed for 1 person:\n  tanaka: public -email -message\n"),
        "{err}"
    );
    let out = import(root, "id,consent_public\ntanaka,name\n");
    assert!(
        !stderr(&out).contains("Consent changed"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn renewing_to_a_newer_notice_needs_a_new_date() {
    let dir = site(&[("data/roster.yaml", ROSTER)]);
    let root = dir.path();
    write(
        root,
        "site.yaml",
        &format!("{SITE_YAML}roster: {{ consent_version: 2 }}\n"),
    );
    let out = import(root, "id,consent_given,consent_version\ntanaka,,2\n");
    refused(
        root,
        ROSTER,
        &out,
        &["row 2 (id `tanaka`), column `consent_version`: renews consent to a newer privacy notice: a wider consent needs, in the same row, the day the person agreed to it in `consent_given`"],
    );
    let out = import(
        root,
        "id,consent_given,consent_version\ntanaka,2026-11-01,2\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("tanaka: notice version 1 -> 2; consent date changed"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_value_in_a_consent_cell_is_not_quoted() {
    let dir = site(&[("data/roster.yaml", ROSTER)]);
    let root = dir.path();
    let out = import(
        root,
        "id,consent_given,consent_public\ntanaka,2026-10-01,name;hanako@example.com;Hanako Tanaka\n",
    );
    refused(
        root,
        ROSTER,
        &out,
        &["an item that is not a field name (not quoted here) in `consent.public`"],
    );
    assert!(!stderr(&out).contains("Hanako Tanaka"), "{}", stderr(&out));
}
