//! Issue 18, "The default theme as a company's face": the home page's key
//! visual and message, interview pages built around the person, share
//! links without third-party scripts, job and event pages that lead with
//! what a visitor acts on, and card grids whose cards all have an image or
//! none. Each test builds a small site with the real binary and reads the
//! HTML (the look itself: screenshots in `target/screenshots/`).

mod common;

use common::*;

fn site_with(extra_yaml: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = site(files);
    write(dir.path(), "site.yaml", &format!("{SITE_YAML}{extra_yaml}"));
    dir
}

fn ok(root: &std::path::Path) {
    let o = build(root, &[]);
    assert!(o.status.success(), "build failed: {}", stderr(&o));
}

/// The text between `start` and the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in {html}"));
    let rest = &html[i..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

const SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 9\"/>";

fn interview(slug: &str, date: &str, extra: &str, body: &str) -> (String, String) {
    (
        format!("content/interviews/{slug}.md"),
        format!("---\ntitle: {slug} さんの話\ndate: {date}\n{extra}---\n{body}\n"),
    )
}

fn job(slug: &str, kind: &str, closes: &str) -> (String, String) {
    (
        format!("content/jobs/{slug}.md"),
        format!("---\ntitle: {slug} 募集\ndate: 2026-11-01\nkind: {kind}\ncloses: {closes}\napply: https://example.jp/apply?job={slug}&src=alumni\n---\n仕事の説明。\n"),
    )
}

fn files(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
}

// ---- 1. Home: key visual, message, featured interview, comeback jobs

#[test]
fn home_hero_from_site_yaml() {
    let dir = site_with(
        "hero:\n  image: /images/key.svg\n  heading: 離れても、<仲間>。\n  text: \"卒業生 & 会社\"\n  cta: { label: 名簿に登録する, url: \"/join/#登録方法\" }\n",
        &[
            ("static/images/key.svg", SVG),
            ("content/pages/join.md", "---\ntitle: 参加方法\n---\n## 登録方法\n本文\n"),
        ],
    );
    ok(dir.path());
    let home = read(dir.path(), "index.html");
    let hero = between(&home, "<section class=\"hero", "</section>");
    assert!(
        hero.contains("<h1 id=\"h-hero\">離れても、&lt;仲間&gt;。</h1>"),
        "{hero}"
    );
    assert!(
        hero.contains("<p class=\"lead\">卒業生 &amp; 会社</p>"),
        "{hero}"
    );
    assert!(
        hero.contains("<p class=\"hero-site\">テスト株式会社 アルムナイ</p>"),
        "{hero}"
    );
    assert!(
        hero.contains("<a class=\"button button-cta\" href=\"/join/#登録方法\">名簿に登録する</a>"),
        "{hero}"
    );
    // The key visual is the page's largest paint: sized (no layout shift),
    // fetched first, never lazy.
    assert!(
        hero.contains("<img class=\"hero-img\" src=\"/images/key.svg\" alt=\"\" width=\"1600\" height=\"900\" fetchpriority=\"high\" decoding=\"async\">"),
        "{hero}"
    );
    // Without `hero:`, the site's title and description as before.
    let dir = site(&[]);
    ok(dir.path());
    let home = read(dir.path(), "index.html");
    assert!(
        home.contains("<h1 id=\"h-hero\">テスト株式会社 アルムナイ</h1>"),
        "{home}"
    );
    assert!(!home.contains("hero-img"));
}

#[test]
fn home_hero_cta_on_a_site_under_a_path() {
    let dir = site_with(
        "hero: { heading: ようこそ, cta: { label: 参加する, url: /join/ } }\n",
        &[],
    );
    let o = build(dir.path(), &["--base-url", "https://x.github.io/portal"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let home = read(dir.path(), "index.html");
    assert!(
        home.contains("href=\"/portal/join/\">参加する</a>"),
        "{home}"
    );
}

#[test]
fn home_hero_is_validated() {
    // Every mistake of `hero:` at once, each at its line of site.yaml
    // (SITE_YAML has 6 lines).
    let dir = site_with(
        "hero:\n  image: ../secret.png\n  heading: \"  \"\n  cta:\n    label: \"\"\n    url: \"javascript:alert(1)\"\n",
        &[],
    );
    let o = build(dir.path(), &[]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    for want in [
        "site.yaml:8:1: `hero.image` \"../secret.png\" must be a path to a file under static/",
        "site.yaml:9:1: `hero.heading` is empty",
        "site.yaml:11:1: `hero.cta.label` is empty",
        "site.yaml:12:1: `hero.cta.url` must be an absolute http(s) URL or a path on the site such as /join/, found \"javascript:alert(1)\"",
    ] {
        assert!(e.contains(want), "missing {want:?} in:\n{e}");
    }
    assert!(e.contains("4 errors"), "{e}");
    // A key visual that is not in static/, and an unknown key.
    let dir = site_with("hero:\n  image: /images/missing.jpg\n", &[]);
    let e = stderr(&build(dir.path(), &[]));
    assert!(
        e.contains("site.yaml:8:1: `hero.image` \"/images/missing.jpg\": no such file in static/"),
        "{e}"
    );
    let dir = site_with("hero:\n  headline: x\n", &[]);
    let e = stderr(&build(dir.path(), &[]));
    assert!(
        e.contains("site.yaml:8:3: hero: unknown key `headline`: did you mean `heading`?"),
        "{e}"
    );
}

#[test]
fn home_features_the_newest_interview_and_lists_comeback_jobs_first() {
    let v = vec![
        interview(
            "old",
            "2026-09-01",
            "image: /images/a.svg\nperson: { name: 佐藤 美咲, then: 製品企画部, now: { company: ミドリテック, role: CPO } }\n",
            "本文",
        ),
        interview(
            "new",
            "2026-11-01",
            "image: /images/a.svg\nperson: { name: 鈴木 拓也, then: 組込み開発部, now: { company: あおば, role: 部長 } }\n",
            "本文",
        ),
        // The referral closes first: /jobs/ lists it first, the home page
        // after the comeback ones.
        job("referral", "referral", "2026-11-30"),
        job("comeback-b", "comeback", "2027-03-01"),
        job("comeback-a", "comeback", "2027-02-01"),
        (
            "static/images/a.svg".to_string(),
            SVG.to_string(),
        ),
    ];
    let dir = site(&files(&v));
    ok(dir.path());
    let home = read(dir.path(), "index.html");
    let featured = between(&home, "<section class=\"home-featured\"", "</section>");
    assert!(featured.contains("注目のインタビュー"), "{featured}");
    assert!(featured.contains("href=\"/interviews/new/\""), "{featured}");
    assert!(
        featured.contains("<span class=\"feature-name\">鈴木 拓也</span>")
            && featured.contains("<span>組込み開発部</span>")
            && featured.contains("<span>あおば 部長</span>"),
        "then and now: {featured}"
    );
    // The featured interview is not repeated in the list below.
    let list = between(
        &home,
        "<section class=\"home-section home-interviews\"",
        "</section>",
    );
    assert!(
        !list.contains("/interviews/new/") && list.contains("/interviews/old/"),
        "{list}"
    );
    // Jobs come right after the featured interview, comeback ones first.
    let jobs = between(
        &home,
        "<section class=\"home-section home-jobs\"",
        "</section>",
    );
    assert!(home.find("home-jobs") < home.find("home-interviews"));
    let at = |s: &str| jobs.find(s).unwrap_or_else(|| panic!("no {s} in {jobs}"));
    assert!(at("/jobs/comeback-a/") < at("/jobs/comeback-b/"));
    assert!(at("/jobs/comeback-b/") < at("/jobs/referral/"));
    assert!(
        jobs.contains("<a href=\"/jobs/kind/comeback/\">カムバック採用 2件 →</a>"),
        "{jobs}"
    );
    let all = read(dir.path(), "jobs/index.html");
    assert!(all.find("/jobs/referral/") < all.find("/jobs/comeback-a/"));
}

#[test]
fn home_lists_leave_no_empty_column() {
    // Events and news share a row in auto-fit tracks (one of them alone, or
    // a phone: the full width); the other lists span the page. The old
    // two-column grid (2fr 1fr) left a tall empty column beside the
    // interviews when there were few jobs and events.
    let dir = site(&[]);
    ok(dir.path());
    let home = read(dir.path(), "index.html");
    assert!(!home.contains("home-grid"), "{home}");
    let pair = between(&home, "<div class=\"home-pair\">", "\n</div>");
    assert!(
        pair.contains("home-events") && pair.contains("home-news"),
        "{pair}"
    );
    assert!(!pair.contains("home-jobs") && !pair.contains("home-interviews"));
    let css = read(dir.path(), "css/style.css");
    assert!(
        css.contains(".home-pair { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 22rem), 1fr));"),
        "auto-fit tracks collapse when a list is missing"
    );
    assert!(
        !css.contains("2fr 1fr"),
        "no fixed columns on the home page"
    );
}
