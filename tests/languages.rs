//! Languages (issue 22): `languages:` in site.yaml, translations
//! `name.<code>.md` beside their originals, and the guarantee that a site
//! without `languages:` builds exactly as before.

mod common;

use common::*;

const LANGS: &str =
    "languages:\n  en:\n    title: Test Co. Alumni\n    description: Alumni portal of Test Co.\n";

fn multilingual(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = site(files);
    write(dir.path(), "site.yaml", &format!("{SITE_YAML}{LANGS}"));
    dir
}

fn job(extra: &str) -> String {
    format!("---\ntitle: 求人\ndate: 2026-11-01\nkind: comeback\napply: https://example.jp/apply\nclo{extra}---\n本文\n")
}

#[test]
fn without_languages_a_dotted_name_is_an_ordinary_page() {
    // No `languages:`: `hello.en.md` is a page of its own, as before.
    let dir = site(&[(
        "content/news/hello.en.md",
        &news("Hello", "2026-11-01", "", "Body."),
    )]);
    let out = build(dir.path(), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(exists(dir.path(), "news/hello.en/index.html"));
    assert!(!exists(dir.path(), "en"));
}

/// example-site without its `languages:` block and its translations.
fn example_without_languages(dest: &std::path::Path) {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site");
    for e in walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(&src).expect("prefix");
        let name = rel.to_string_lossy();
        if name.starts_with("public") || name.ends_with(".en.md") || !e.file_type().is_file() {
            continue;
        }
        let to = dest.join(rel);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(e.path(), &to).expect("copy");
    }
    let yaml = std::fs::read_to_string(dest.join("site.yaml")).expect("site.yaml");
    let start = yaml
        .find("\nlanguages:\n")
        .expect("example-site has languages:");
    let end = yaml[start + 1..]
        .find("\n\n")
        .map_or(yaml.len(), |i| start + 1 + i);
    let stripped = format!("{}{}", &yaml[..start], &yaml[end..]);
    std::fs::write(dest.join("site.yaml"), stripped).expect("write");
}

#[test]
fn example_site_without_languages_has_no_trace_of_them() {
    // Without `languages:` nothing of this feature shows: no /en/ tree, no
    // alternates or switch, no inLanguage, the same bytes every build.
    // (Checked by hand against main's binary too: `diff -r` found nothing.)
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    example_without_languages(&site);
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for out in [&a, &b] {
        let o = bin()
            .args(["build", "--now", "2026-11-22", "--root"])
            .arg(&site)
            .arg("--output")
            .arg(out)
            .env_remove("SOURCE_DATE_EPOCH")
            .env_remove("ENISHI_MEMBERS_PASSPHRASE")
            .output()
            .expect("run");
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let files = tree(&a);
    assert!(files == tree(&b));
    assert!(!a.join("en").exists());
    for (path, bytes) in files.iter().filter(|(p, _)| !p.starts_with("admin")) {
        let text = String::from_utf8_lossy(bytes);
        for trace in ["hreflang", "lang-switch", "xmlns:xhtml", "badge-lang"] {
            assert!(!text.contains(trace), "{}: {trace}", path.display());
        }
    }
}

#[test]
fn example_site_shows_both_trees() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site");
    let tmp = tempfile::tempdir().expect("tempdir");
    let o = bin()
        .args(["build", "--now", "2026-11-22", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(tmp.path())
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("ENISHI_MEMBERS_PASSPHRASE")
        .output()
        .expect("run");
    assert!(o.status.success(), "{}", stderr(&o));
    for p in [
        "en/index.html",
        "en/interviews/emily-clarke/index.html",
        "en/about/index.html",
        "en/events/homecoming-2026-winter/index.html",
    ] {
        assert!(tmp.path().join(p).is_file(), "{p}");
    }
}

#[test]
fn languages_config_is_validated_with_lines() {
    let dir = site(&[]);
    write(
        dir.path(),
        "site.yaml",
        &format!("{SITE_YAML}languages:\n  ja:\n    title: 日本語\n  fr:\n    title: Français\n  en:\n    title: \"\"\n"),
    );
    let out = build(dir.path(), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("site.yaml:8:1: `languages.ja` is the main language"),
        "{err}"
    );
    assert!(
        err.contains("site.yaml:10:1: unknown language code `fr`"),
        "{err}"
    );
    assert!(
        err.contains("site.yaml:12:1: `languages.en.title` must not be empty"),
        "{err}"
    );
    let dir = site(&[]);
    write(
        dir.path(),
        "site.yaml",
        &format!("{SITE_YAML}languages:\n  en:\n    titel: x\n"),
    );
    let out = build(dir.path(), &[]);
    assert!(
        stderr(&out).contains("unknown key `titel`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_translation_inherits_and_must_have_an_original() {
    let dir = multilingual(&[
        (
            "content/news/orphan.en.md",
            &news("Orphan", "2026-11-01", "", "x"),
        ),
        (
            "content/news/hello.md",
            &news("こんにちは", "2026-11-01", "tags: [お知らせ]\n", "本文"),
        ),
        // No date: inherited.
        (
            "content/news/hello.en.md",
            "---\ntitle: Hello\n---\nBody.\n",
        ),
    ]);
    let out = build(dir.path(), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/news/orphan.en.md:1:1: a translation without an original: content/news/orphan.en.md translates content/news/orphan.md"),
        "{err}"
    );
    assert!(!err.contains("hello.en.md"), "{err}");
    assert!(err.contains("1 error"), "{err}");
}

#[test]
fn a_translation_cannot_change_a_deadline_or_an_event_time() {
    let event = |extra: &str| {
        format!("---\ntitle: 新年会\ndate: 2026-11-01\nkind: reunion\nstart: 2027-01-15T19:00:00+09:00\nend: 2027-01-15T21:00:00+09:00\nonline: https://meet.example.com/x\n{extra}---\n本文\n")
    };
    let dir = multilingual(&[
        ("content/jobs/dev.md", &job("ses: 2027-01-31\n")),
        ("content/jobs/dev.en.md", "---\ntitle: Job\ncloses: 2027-02-28\n---\nBody.\n"),
        ("content/events/party.md", &event("")),
        (
            "content/events/party.en.md",
            "---\ntitle: New Year party\nstatus: cancelled\nstart: 2027-01-16T19:00:00+09:00\nend: 2027-01-16T21:00:00+09:00\n---\nBody.\n",
        ),
        // Same values as the original: fine.
        ("content/events/other.md", &event("")),
        ("content/events/other.en.md", "---\ntitle: Other\nstart: 2027-01-15T19:00:00+09:00\n---\nBody.\n"),
    ]);
    let out = build(dir.path(), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "content/jobs/dev.en.md:3:1: `closes` differs from the original content/jobs/dev.md"
        ),
        "{err}"
    );
    assert!(err.contains("content/events/party.en.md:4:1: `start` differs from the original content/events/party.md"), "{err}");
    assert!(err.contains("content/events/party.en.md:3:1: `status` differs from the original content/events/party.md"), "{err}");
    assert!(
        err.contains("content/events/party.en.md:5:1: `end` differs"),
        "{err}"
    );
    assert!(!err.contains("other.en.md"), "{err}");
    assert!(err.contains("4 errors"), "{err}");
}

/// A site in Japanese and English: `hello` translated, `only-ja` not.
fn bilingual(fallback: bool) -> tempfile::TempDir {
    let dir = multilingual(&[
        (
            "content/news/hello.md",
            &news(
                "こんにちは",
                "2026-11-01",
                "tags: [お知らせ]\nimage: /images/x.png\n",
                "本文です。",
            ),
        ),
        (
            "content/news/hello.en.md",
            "---\ntitle: Hello there\ntags: [Notice]\n---\nEnglish body.\n",
        ),
        (
            "content/news/only-ja.md",
            &news("未翻訳の記事", "2026-11-02", "", "日本語だけ。"),
        ),
    ]);
    write_png(dir.path(), "static/images/x.png", 640, 480);
    if fallback {
        write(
            dir.path(),
            "site.yaml",
            &format!("{SITE_YAML}{LANGS}    fallback: true\n"),
        );
    }
    let out = build(dir.path(), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    dir
}

#[test]
fn each_language_has_its_own_tree() {
    let dir = bilingual(false);
    let root = dir.path();
    // The main language keeps its URLs and lists only its own pages.
    let ja_list = read(root, "news/index.html");
    assert!(ja_list.contains("<html lang=\"ja\">"));
    assert!(ja_list.contains("こんにちは") && !ja_list.contains("Hello there"));
    assert!(!exists(root, "news/hello.en/index.html"));
    // English under /en/: its strings, title, dates, tags, feed, search.
    let en = read(root, "en/news/hello/index.html");
    assert!(en.contains("<html lang=\"en\">"), "{en}");
    assert!(
        en.contains("<title>Hello there | Test Co. Alumni</title>"),
        "{en}"
    );
    assert!(en.contains("November 1, 2026"), "{en}");
    assert!(en.contains("English body."));
    // Shared files stay at the root.
    assert!(en.contains("href=\"/css/style.css\""), "{en}");
    assert!(en.contains("src=\"/images/x."), "{en}");
    assert!(!en.contains("/en/images/"), "{en}");
    assert!(!exists(root, "en/css/style.css"));
    let en_list = read(root, "en/news/index.html");
    assert!(en_list.contains("href=\"/en/news/hello/\""), "{en_list}");
    assert!(!en_list.contains("未翻訳"), "{en_list}");
    assert!(exists(root, "en/index.html") && exists(root, "en/404.html"));
    assert!(exists(root, "en/tags/notice/index.html"));
    assert!(!exists(root, "en/tags/お知らせ/index.html"));
    assert!(read(root, "en/feed.xml").contains("https://alumni.example.jp/en/news/hello/"));
    assert!(exists(root, "en/events/calendar.ics"));
    assert!(exists(root, "en/search/index.html") && exists(root, "en/alumni/index.html"));
    assert!(!exists(root, "en/news/only-ja/index.html"));
}

#[test]
fn fallback_lists_untranslated_pages_marked_with_their_language() {
    let dir = bilingual(true);
    let root = dir.path();
    let en_list = read(root, "en/news/index.html");
    assert!(en_list.contains("未翻訳の記事"), "{en_list}");
    assert!(en_list.contains("lang=\"ja\""), "{en_list}");
    // Once, and the translated page by its translation only.
    assert_eq!(en_list.matches("Hello there").count(), 1);
    assert!(!en_list.contains("こんにちは"), "{en_list}");
}

#[test]
fn translated_pages_link_their_versions() {
    let dir = bilingual(false);
    let root = dir.path();
    let ja = read(root, "news/hello/index.html");
    let en = read(root, "en/news/hello/index.html");
    for page in [&ja, &en] {
        assert!(page.contains("<link rel=\"alternate\" hreflang=\"ja\" href=\"https://alumni.example.jp/news/hello/\">"), "{page}");
        assert!(page.contains("<link rel=\"alternate\" hreflang=\"en\" href=\"https://alumni.example.jp/en/news/hello/\">"), "{page}");
        assert!(page.contains("<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://alumni.example.jp/news/hello/\">"), "{page}");
    }
    // The visible switch, named for assistive technology.
    assert!(ja.contains("<nav class=\"lang-switch\" aria-label=\"言語\"><a href=\"/en/news/hello/\" hreflang=\"en\" lang=\"en\">English</a></nav>"), "{ja}");
    assert!(
        en.contains("<a href=\"/news/hello/\" hreflang=\"ja\" lang=\"ja\">日本語</a>"),
        "{en}"
    );
    // Untranslated: no alternates; the switch offers the English home.
    let only = read(root, "news/only-ja/index.html");
    assert!(!only.contains("hreflang=\"x-default\""), "{only}");
    assert!(only.contains("<a href=\"/en/\" hreflang=\"en\""), "{only}");
    // Lists exist in both languages.
    assert!(read(root, "news/index.html")
        .contains("hreflang=\"en\" href=\"https://alumni.example.jp/en/news/\""));
    assert!(en.contains("\"inLanguage\":\"en\""), "{en}");
    assert!(ja.contains("\"inLanguage\":\"ja\""), "{ja}");
    // One sitemap, both trees, with the alternates.
    let sitemap = read(root, "sitemap.xml");
    assert!(sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    assert!(sitemap.contains("<loc>https://alumni.example.jp/en/news/hello/</loc><lastmod>2026-11-01</lastmod><xhtml:link rel=\"alternate\" hreflang=\"ja\" href=\"https://alumni.example.jp/news/hello/\"/>"), "{sitemap}");
    assert!(sitemap.contains("<loc>https://alumni.example.jp/en/news/</loc>"));
    assert!(!exists(root, "en/sitemap.xml"));
}

#[test]
fn fallback_pages_offer_their_original() {
    let dir = bilingual(true);
    let copy = read(dir.path(), "en/news/only-ja/index.html");
    assert!(
        copy.contains("<a href=\"/news/only-ja/\" hreflang=\"ja\""),
        "{copy}"
    );
}

#[test]
fn english_names_come_first_in_english() {
    let person = "person:\n  name: 田中 花子\n  name_en: Hanako Tanaka\n";
    let dir = multilingual(&[
        (
            "content/interviews/tanaka.md",
            &format!("---\ntitle: 挑戦\ndate: 2026-10-20\n{person}---\n本文\n"),
        ),
        (
            "content/interviews/tanaka.en.md",
            "---\ntitle: A challenge\n---\nBody\n",
        ),
    ]);
    let out = build(dir.path(), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let en = read(dir.path(), "en/interviews/index.html");
    assert!(
        en.contains("<p class=\"card-person\">Hanako Tanaka"),
        "{en}"
    );
    let ja = read(dir.path(), "interviews/index.html");
    assert!(ja.contains("<p class=\"card-person\">田中 花子"), "{ja}");
}

/// The `docs` count of a search index's manifest, and its dictionary.
fn index(root: &std::path::Path, dir: &str) -> (String, String) {
    (
        read(root, &format!("{dir}/manifest.json")),
        read(root, &format!("{dir}/d/0.json")),
    )
}

#[test]
fn each_language_searches_its_own_pages() {
    for fallback in [false, true] {
        let dir = bilingual(fallback);
        let root = dir.path();
        // /en/search/ has its own index: the English page's words are in it.
        let (manifest, dict) = index(root, "en/search");
        assert!(dict.contains("[\"hello\","), "{dict}");
        assert!(dict.contains("[\"english\","), "{dict}");
        let en_docs = if fallback { 2 } else { 1 };
        assert!(
            manifest.contains(&format!("\"docs\":{en_docs},")),
            "{manifest}"
        );
        assert!(read(root, "en/search/index.html").contains("data-index=\"/en/search/\""));
        // The main index holds each Japanese page once, no translation.
        let (manifest, dict) = index(root, "search");
        assert!(manifest.contains("\"docs\":2,"), "{manifest}");
        assert!(
            !dict.contains("hello") && !dict.contains("english"),
            "{dict}"
        );
        assert!(dict.contains("[\"こん\","), "{dict}");
    }
}

#[test]
fn serve_rebuilds_both_languages_after_an_edit() {
    use enishi::pipeline::{incremental::Incremental, Timings};
    let dir = bilingual(false);
    let root = dir.path();
    let opts = enishi::site::BuildOptions {
        root: root.to_path_buf(),
        base_url: Some("http://127.0.0.1:1111".into()),
        now: Some("2026-11-22".into()),
        ..Default::default()
    };
    let mut state = Incremental::new();
    let first = state.build(&opts, &mut Timings::default());
    assert!(first.is_ok());
    let edits: [(&str, String); 3] = [
        // A translation's text.
        (
            "content/news/hello.en.md",
            "---\ntitle: Hello there\ntags: [Notice]\n---\nA new English body.\n".into(),
        ),
        // The original's date, inherited by the translation.
        (
            "content/news/hello.md",
            news(
                "こんにちは",
                "2026-10-15",
                "tags: [お知らせ]\nimage: /images/x.png\n",
                "本文です。",
            ),
        ),
        // The translation's title, shown in the English lists.
        (
            "content/news/hello.en.md",
            "---\ntitle: Hello again\ntags: [Notice]\n---\nA new English body.\n".into(),
        ),
    ];
    for (rel, text) in edits {
        write(root, rel, &text);
        state.note_changes(root, &[std::path::PathBuf::from(rel)]);
        let inc = state.build(&opts, &mut Timings::default()).map(|b| b.tree);
        let full = enishi::pipeline::build(&opts, &mut Timings::default()).map(|b| b.tree);
        let (Ok(inc), Ok(full)) = (inc, full) else {
            panic!("{rel}: a build failed");
        };
        assert!(
            inc == full,
            "{rel}: the incremental tree differs from a full build"
        );
    }
    let last = enishi::pipeline::build(&opts, &mut Timings::default()).map(|b| b.tree);
    let Ok(tree) = last else { panic!("build") };
    let en = String::from_utf8_lossy(&tree["en/news/hello/index.html"]).into_owned();
    assert!(
        en.contains("A new English body.") && en.contains("October 15, 2026"),
        "{en}"
    );
}

#[test]
fn new_writes_a_translation_skeleton() {
    let dir = multilingual(&[(
        "content/news/hello.md",
        &news("こんにちは", "2026-11-01", "", "本文"),
    )]);
    let root = dir.path();
    let run = |args: &[&str]| {
        bin()
            .arg("new")
            .args(args)
            .arg("--root")
            .arg(root)
            .output()
            .expect("run")
    };
    let out = run(&["--lang", "en", "news", "Hello", "--slug", "hello"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(root.join("content/news/hello.en.md")).expect("written");
    assert!(text.starts_with("---\ntitle: \"Hello\"\n"), "{text}");
    assert!(
        stderr(&out).contains("URL: /en/news/hello/"),
        "{}",
        stderr(&out)
    );
    // It builds: every other key comes from the original.
    let b = build(root, &[]);
    assert!(b.status.success(), "{}", stderr(&b));
    assert!(read(root, "en/news/hello/index.html").contains("November 1, 2026"));
    // No original, no such language, already there.
    assert_eq!(
        run(&["--lang", "en", "news", "X", "--slug", "nope"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        run(&["--lang", "fr", "news", "X", "--slug", "hello"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(&["--lang", "en", "news", "X", "--slug", "hello"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn digest_in_another_language() {
    let dir = bilingual(false);
    let out = bin()
        .args(["digest", "--now", "2026-11-22", "--lang", "en", "--root"])
        .arg(dir.path())
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Hello there") && !text.contains("こんにちは"),
        "{text}"
    );
    assert!(
        text.contains("http://alumni.example.jp/en/news/hello/")
            || text.contains("https://alumni.example.jp/en/news/hello/"),
        "{text}"
    );
}
