//! `/alumni/stats/` (issue 23): counts that protect small groups. Canary
//! names and companies are planted in a roster; the tests look for them in
//! every byte of the output.

mod common;

use common::*;

/// One roster entry: `name`, current `company`, and its consent lists.
fn person(id: &str, name: &str, company: &str, public: &str, members: &str, stats: &str) -> String {
    format!(
        "- id: {id}\n  name: {name}\n  department: 開発部\n  location: 東京\n  left: 2020\n  now: {{ company: {company}, role: エンジニア }}\n  email: {id}@example.com\n  consent:\n    given: 2026-01-10\n    public: [{public}]\n    members: [{members}]\n    stats: [{stats}]\n"
    )
}

/// A roster: `n_six` people at SixCo (public), 5 at BigCo (public), 4 at
/// FourCo (public), 5 stats-only people at StatsOnlyCo, 6 members-only
/// people at MembersOnlyCo.
fn roster(n_six: usize) -> String {
    let mut r = String::new();
    for i in 0..n_six {
        r += &person(
            &format!("six-{i}"),
            &format!("SixName{i}"),
            "SixCo",
            "name, now",
            "",
            "",
        );
    }
    for i in 0..5 {
        r += &person(
            &format!("big-{i}"),
            &format!("BigName{i}"),
            "BigCo",
            "name, now",
            "",
            "",
        );
    }
    for i in 0..4 {
        r += &person(
            &format!("four-{i}"),
            &format!("FourName{i}"),
            "FourCo",
            "name, now",
            "",
            "",
        );
    }
    for i in 0..5 {
        r += &person(
            &format!("so-{i}"),
            &format!("StatsOnlyName{i}"),
            "StatsOnlyCo",
            "",
            "",
            "now, department, location, left",
        );
    }
    for i in 0..6 {
        r += &person(
            &format!("mo-{i}"),
            &format!("MembersOnlyName{i}"),
            "MembersOnlyCo",
            "",
            "name, now",
            "",
        );
    }
    r
}

fn build_site(n_six: usize) -> (tempfile::TempDir, String) {
    let dir = site(&[("data/roster.yaml", &roster(n_six))]);
    let out = build(dir.path(), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = read(dir.path(), "alumni/stats/index.html");
    (dir, page)
}

#[test]
fn stats_only_people_appear_nowhere_by_name() {
    let (dir, page) = build_site(6);
    // Counted: StatsOnlyCo is a group of 5.
    assert!(
        page.contains("StatsOnlyCo"),
        "stats-only people are counted"
    );
    for (path, bytes) in tree(&dir.path().join("public")) {
        let text = String::from_utf8_lossy(&bytes);
        for i in 0..5 {
            let canary = format!("StatsOnlyName{i}");
            assert!(!text.contains(&canary), "{canary} in {}", path.display());
            assert!(
                !text.contains(&format!("so-{i}@")),
                "e-mail of so-{i} in {}",
                path.display()
            );
        }
    }
}

#[test]
fn a_company_with_four_consenting_people_is_never_named() {
    let (_dir, page) = build_site(6);
    assert!(page.contains("BigCo"), "a group of 5 is shown");
    assert!(
        !page.contains("FourCo"),
        "a group of 4 is named on the stats page"
    );
}

#[test]
fn members_only_consent_is_never_counted() {
    let (_dir, page) = build_site(6);
    assert!(!page.contains("MembersOnlyCo"));
    // Companies: SixCo 6 -> 5, BigCo 5, StatsOnlyCo 5, FourCo's 4 alone are
    // too few for "Other": total 15 (MembersOnlyCo's 6 would make it 20+).
    let companies = page
        .split("id=\"stats-now\"")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .unwrap_or_default()
        .to_string();
    assert!(
        companies.contains("<tfoot><tr><th scope=\"row\">合計</th><td>15人</td>"),
        "{companies}"
    );
}

#[test]
fn one_person_more_or_less_in_a_group_of_six_leaves_the_page_unchanged() {
    let (_a, six) = build_site(6);
    for n in [5, 7] {
        let (_b, other) = build_site(n);
        assert_eq!(other, six, "{n} people instead of 6 changed /alumni/stats/");
    }
}

#[test]
fn the_stats_page_is_linked_from_the_directory() {
    let (dir, _) = build_site(6);
    assert!(read(dir.path(), "alumni/index.html").contains("href=\"/alumni/stats/\""));
}

#[test]
fn stats_consent_is_validated_like_public() {
    let dir = site(&[(
        "data/roster.yaml",
        &person("x", "X", "XCo", "name", "", "email"),
    )]);
    let out = build(dir.path(), &[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("unknown field `email` in `consent.stats`"),
        "{err}"
    );
    assert!(err.contains("now, department, location, left"), "{err}");
}

#[test]
fn check_prints_exact_counts_marked_not_published() {
    let dir = site(&[("data/roster.yaml", &roster(6))]);
    let out = bin()
        .args(["check", "--root"])
        .arg(dir.path())
        .args(["--now", "2026-11-22"])
        .output()
        .expect("run enishi check");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("not published"), "{text}");
    assert!(text.contains("SixCo 6"), "exact, not rounded: {text}");
    assert!(!text.contains("FourCo"), "small groups stay merged: {text}");
}
