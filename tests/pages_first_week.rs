//! Issue 18, "Pages": what a new alumni office met in its first week on the
//! portal's pages. One test (or a few) per item, named after it, each running
//! the real binary on a small site in a temp dir and reading the HTML.
//! The layout items (phone header, layout shift) are checked in a browser by
//! `tests/browser/pages.mjs`.

mod common;

use common::*;

const NEWS: &str = "---\ntitle: お知らせ\ndate: 2026-11-01\n---\n本文です。\n";

fn site_with(extra_yaml: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = site(files);
    write(dir.path(), "site.yaml", &format!("{SITE_YAML}{extra_yaml}"));
    dir
}

fn ok(root: &std::path::Path) {
    let o = build(root, &[]);
    assert!(o.status.success(), "build failed: {}", stderr(&o));
}

fn attr_of<'a>(html: &'a str, needle: &str) -> Option<&'a str> {
    let i = html.find(needle)? + needle.len();
    let rest = &html[i..];
    Some(&rest[..rest.find('"')?])
}

// ---- 1. favicon

#[test]
fn favicon_ships_with_the_theme() {
    let dir = site(&[("content/news/a.md", NEWS)]);
    ok(dir.path());
    let ico = std::fs::read(dir.path().join("public/favicon.ico")).expect("favicon.ico");
    assert_eq!(&ico[..4], &[0, 0, 1, 0], "an ICO header");
    assert!(read(dir.path(), "favicon.svg").starts_with("<svg"));
    for page in [
        "index.html",
        "news/a/index.html",
        "search/index.html",
        "404.html",
    ] {
        let html = read(dir.path(), page);
        assert!(
            html.contains(r#"<link rel="icon" href="/favicon.ico" sizes="32x32">"#)
                && html.contains(r#"<link rel="icon" href="/favicon.svg" type="image/svg+xml">"#),
            "{page}: no icon links"
        );
    }
}

#[test]
fn favicon_from_site_yaml() {
    let dir = site_with(
        "favicon: /images/org-icon.svg\n",
        &[
            ("content/news/a.md", NEWS),
            (
                "static/images/org-icon.svg",
                "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            ),
        ],
    );
    ok(dir.path());
    let html = read(dir.path(), "news/a/index.html");
    assert!(
        html.contains(r#"<link rel="icon" href="/images/org-icon.svg" type="image/svg+xml">"#),
        "{html}"
    );
    assert!(
        !html.contains("/favicon.svg"),
        "the theme's icon is replaced"
    );
    // Browsers still ask for /favicon.ico: it stays there.
    assert!(exists(dir.path(), "favicon.ico"));
}

#[test]
fn favicon_and_og_image_are_validated() {
    // A missing file, a path with `..`, a script URL and an SVG share image:
    // four errors at once, each with its line in site.yaml.
    let dir = site_with(
        "favicon: /images/missing.svg\n",
        &[("content/news/a.md", NEWS)],
    );
    let o = build(dir.path(), &[]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(
        e.contains("site.yaml:7:1: `favicon` \"/images/missing.svg\": no such file in static/ (put the file at static/images/missing.svg"),
        "{e}"
    );
    for (yaml, want) in [
        (
            "favicon: ../secret.png\n",
            "`favicon` \"../secret.png\" must be a path to a file under static/",
        ),
        (
            "favicon: \"javascript:alert(1)\"\n",
            "`favicon` \"javascript:alert(1)\" must be a path",
        ),
        (
            "favicon: /images/icon.gif\n",
            "`favicon` \"/images/icon.gif\" must be a file of type .ico, .svg, .png (found .gif)",
        ),
        (
            "og_image: /images/card.svg\n",
            "`og_image` \"/images/card.svg\" must be a file of type .png, .jpg",
        ),
        (
            "og_image: https://cdn.example.jp/share\n",
            "(found no extension)",
        ),
    ] {
        let dir = site_with(yaml, &[("content/news/a.md", NEWS)]);
        let o = build(dir.path(), &[]);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{yaml}: {e}");
        assert!(
            e.contains("site.yaml:7:1: ") && e.contains(want),
            "{yaml}: {e}"
        );
    }
    // A URL is taken as it is.
    let dir = site_with(
        "favicon: https://www.example.jp/favicon.png\nog_image: https://www.example.jp/share.jpg\n",
        &[("content/news/a.md", NEWS)],
    );
    ok(dir.path());
    let html = read(dir.path(), "news/a/index.html");
    assert!(html.contains(
        r#"<link rel="icon" href="https://www.example.jp/favicon.png" type="image/png">"#
    ));
    assert_eq!(
        attr_of(&html, r#"<meta property="og:image" content=""#),
        Some("https://www.example.jp/share.jpg")
    );
}

// ---- 2. default share image

#[test]
fn default_share_image_from_site_yaml() {
    let dir = site_with(
        "og_image: /images/share.png\n",
        &[
            ("content/news/a.md", NEWS),
            (
                "content/news/b.md",
                "---\ntitle: 写真つき\ndate: 2026-11-02\nimage: /images/photo.png\n---\n本文\n",
            ),
            ("static/images/share.png", "png"),
        ],
    );
    // A real photo: content may only use images enishi can process.
    write_png(dir.path(), "static/images/photo.png", 1600, 900);
    ok(dir.path());
    for page in [
        "index.html",
        "news/a/index.html",
        "news/index.html",
        "search/index.html",
        "alumni/index.html",
    ] {
        let html = read(dir.path(), page);
        assert_eq!(
            attr_of(&html, r#"<meta property="og:image" content=""#),
            Some("https://alumni.example.jp/images/share.png"),
            "{page}"
        );
        assert!(html.contains(r#"<meta name="twitter:card" content="summary_large_image">"#));
    }
    // A page's own image wins: its 1200x630 share crop.
    let html = read(dir.path(), "news/b/index.html");
    let og = attr_of(&html, r#"<meta property="og:image" content=""#).unwrap_or_default();
    assert!(
        og.starts_with("https://alumni.example.jp/images/photo."),
        "{og}"
    );
    assert!(og.ends_with(".og-center.jpg"), "{og}");
}

#[test]
fn default_share_image_falls_back_to_the_theme_card() {
    let dir = site(&[("content/news/a.md", NEWS)]);
    ok(dir.path());
    let html = read(dir.path(), "news/a/index.html");
    assert_eq!(
        attr_of(&html, r#"<meta property="og:image" content=""#),
        Some("https://alumni.example.jp/images/share-card.png")
    );
    // A real PNG of the size share previews use (1200×630).
    let png = std::fs::read(dir.path().join("public/images/share-card.png")).expect("card");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(&png[16..24], &[0, 0, 4, 176, 0, 0, 2, 118], "1200x630");
}

// ---- 3. search page

#[test]
fn search_page_has_a_description_and_fills_the_header_box() {
    let dir = site(&[("content/news/a.md", NEWS)]);
    ok(dir.path());
    let html = read(dir.path(), "search/index.html");
    assert!(
        html.contains(r#"<meta name="description" content="インタビュー、お知らせ、求人、イベント、アルムナイ名簿をまとめて検索できます。">"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<meta name="robots" content="noindex">"#),
        "search stays noindex"
    );
    // The header box gets `?q=` as a value (text, not HTML) on this page.
    assert!(html.contains("document.getElementById('header-q')"));
    assert!(html.contains("h.value = new URLSearchParams(window.location.search).get('q')"));
}

// ---- 7. jobs list shows the deadline

#[test]
fn jobs_list_cards_show_the_deadline() {
    let job = |closes: &str| {
        format!("---\ntitle: 求人\ndate: 2026-11-01\nkind: comeback\napply: https://example.jp/apply\n{closes}---\n本文\n")
    };
    let dir = site(&[
        ("content/jobs/a.md", &job("closes: 2027-01-31\n")),
        ("content/jobs/b.md", &job("")),
    ]);
    ok(dir.path());
    for page in [
        "jobs/index.html",
        "jobs/kind/comeback/index.html",
        "index.html",
    ] {
        let html = read(dir.path(), page);
        assert!(
            html.contains(r#"<span class="card-deadline">応募締切 <time datetime="2027-01-31">2027年1月31日</time></span>"#),
            "{page}: {html}"
        );
        assert!(html.contains("締切なし（充足次第終了）"), "{page}");
        assert!(
            !html.contains(r#"<time datetime="2026-11-01">"#),
            "{page}: the posting date"
        );
    }
}

// ---- 8. directory links in the page's language

fn roster_with_links() -> &'static str {
    "- id: sato-ken\n  name: 佐藤 健\n  reading: さとう けん\n  links: { website: \"https://sato.example.jp\", linkedin: \"https://www.linkedin.com/in/sato\", mastodon: \"https://social.example/@sato\" }\n  consent:\n    given: 2026-01-10\n    public: [name, links]\n"
}

#[test]
fn directory_links_are_labelled_in_the_page_language() {
    let dir = site(&[("data/roster.yaml", roster_with_links())]);
    ok(dir.path());
    let html = read(dir.path(), "alumni/index.html");
    assert!(
        html.contains(r#"<a href="https://sato.example.jp" rel="noopener">ウェブサイト</a>"#),
        "{html}"
    );
    assert!(html.contains(">LinkedIn</a>"));
    assert!(html.contains(">mastodon</a>"), "an unknown name as written");
    assert!(!html.contains(">website</a>") && !html.contains(">linkedin</a>"));
    // The labels the filter script renders with (same strings).
    assert!(html.contains(r#""link_website":"ウェブサイト""#));

    let dir = site(&[("data/roster.yaml", roster_with_links())]);
    write(
        dir.path(),
        "site.yaml",
        &SITE_YAML.replace("language: ja", "language: en"),
    );
    ok(dir.path());
    let html = read(dir.path(), "alumni/index.html");
    assert!(html.contains(">Website</a>"), "{html}");
}

// ---- 9. search snippets keep separators

/// The stored text of every search record (UTF-16LE packs).
fn search_records(root: &std::path::Path) -> String {
    let mut out = String::new();
    for e in std::fs::read_dir(root.join("public/search/r")).expect("records") {
        let b = std::fs::read(e.expect("entry").path()).expect("read");
        let units: Vec<u16> = b
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        out += &String::from_utf16_lossy(&units);
    }
    out
}

#[test]
fn search_snippets_keep_a_separator_between_cells_and_headings() {
    let body = "最初の段落です。\n\n## 募集要項\n\n| 項目 | 内容 |\n| --- | --- |\n| 勤務地 | 東京都千代田区 |\n| 雇用形態 | 正社員 |\n\n### 応募方法\n\nフォームから応募してください。\n";
    let dir = site(&[(
        "content/news/t.md",
        &news("表のテスト", "2026-11-01", "", body),
    )]);
    ok(dir.path());
    let text = search_records(dir.path());
    assert!(
        text.contains("最初の段落です。 募集要項 / 項目 / 内容 / 勤務地 / 東京都千代田区 / 雇用形態 / 正社員 / 応募方法 / フォームから応募してください。"),
        "{text}"
    );
}

// ---- 10. enishi init

#[test]
fn init_writes_a_gitignore_and_the_first_build_is_quiet() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("portal");
    let o = bin().arg("init").arg(&root).output().expect("init");
    assert!(o.status.success(), "{}", stderr(&o));
    let gi = std::fs::read_to_string(root.join(".gitignore")).expect(".gitignore");
    let lines: Vec<&str> = gi.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(lines, ["/public/", "/.enishi/"]);
    let o = build(&root, &[]);
    let e = stderr(&o);
    assert!(o.status.success(), "{e}");
    assert!(
        !e.contains("warning"),
        "a fresh site's first build warns: {e}"
    );
    // A members area that is configured but has no passphrase still warns.
    let yaml = std::fs::read_to_string(root.join("site.yaml")).expect("site.yaml");
    write(
        &root,
        "site.yaml",
        &format!("{yaml}members: {{ passphrase_env: ENISHI_TEST_UNSET_PASSPHRASE }}\n"),
    );
    let e = stderr(&build(&root, &[]));
    assert!(
        e.contains("warning: site.yaml: members area disabled"),
        "{e}"
    );
}

#[test]
fn members_fields_without_a_members_area_still_warn() {
    let roster = "- id: sato-ken\n  name: 佐藤 健\n  email: sato@example.jp\n  consent:\n    given: 2026-01-10\n    public: [name]\n    members: [email]\n";
    let dir = site(&[("data/roster.yaml", roster)]);
    let e = stderr(&build(dir.path(), &[]));
    assert!(
        e.contains("members area disabled: site.yaml has no `members:"),
        "{e}"
    );
}
