//! End-to-end tests of `enishi build`, `check`, `init` and `new` on small sites.
mod common;
use common::*;

fn basic() -> tempfile::TempDir {
    site(&[
        ("content/news/a.md", &news("お知らせA", "2026-10-01", "tags: [採用, Rust]\n", "本文A。[参加方法](../pages/join.md#登録方法)")),
        ("content/news/b.md", &news("お知らせB", "2026-10-02", "tags: [採用]\naliases: [/old/b/]\n", "本文B")),
        ("content/news/c.md", &news("お知らせC", "2026-10-03", "", "本文C")),
        ("content/news/draft.md", &news("下書き", "2026-10-04", "draft: true\n", "DRAFTBODY")),
        ("content/news/future.md", &news("予約投稿", "2026-12-24", "", "FUTUREBODY")),
        ("content/pages/join.md", "---\ntitle: 参加方法\n---\n## 登録方法\n\nメールで。\n"),
        (
            "content/jobs/open.md",
            "---\ntitle: 募集中\ndate: 2026-10-01\nkind: comeback\ncloses: 2026-11-30\napply: https://example.jp/apply\n---\n仕事\n",
        ),
        (
            "content/jobs/closed.md",
            "---\ntitle: 締切済みの求人\ndate: 2026-09-01\nkind: referral\ncloses: 2026-10-31\ntags: [採用]\n---\nCLOSEDJOB\n",
        ),
        (
            "content/events/past.md",
            "---\ntitle: 過去の交流会\ndate: 2026-08-01\nkind: meetup\nstart: 2026-09-01T19:00:00+09:00\nend: 2026-09-01T21:00:00+09:00\n---\n",
        ),
        (
            "content/events/next.md",
            "---\ntitle: 新年会\ndate: 2026-11-01\nkind: reunion\nstart: \"2027-01-15 19:00\"\nonline: https://meet.example.jp/x\n---\n",
        ),
    ])
}

/// The staging holder and the replaced tree are gone after each build: only
/// the output is left beside the site's files, and the events' record
/// (`calendar.lock`, written once, then unchanged while no event changes).
#[test]
fn rebuilds_leave_only_the_output() {
    let s = basic();
    let before: std::collections::BTreeSet<_> = std::fs::read_dir(s.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    let mut lock = None;
    for _ in 0..2 {
        let o = build(s.path(), &[]);
        assert!(o.status.success(), "{}", stderr(&o));
        let now: std::collections::BTreeSet<_> = std::fs::read_dir(s.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        let added: Vec<_> = now.difference(&before).collect();
        assert_eq!(
            added,
            vec![
                std::ffi::OsStr::new("calendar.lock"),
                std::ffi::OsStr::new("public")
            ],
            "{now:?}"
        );
        assert!(exists(s.path(), "index.html"));
        let text = std::fs::read(s.path().join("calendar.lock")).unwrap();
        assert!(
            lock.as_ref().is_none_or(|l| *l == text),
            "calendar.lock changed"
        );
        lock = Some(text);
    }
}

#[test]
fn builds_every_output_of_the_spec() {
    let s = basic();
    let o = build(s.path(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let root = s.path();
    for f in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "feed.xml",
        "news/feed.xml",
        "jobs/feed.xml",
        "events/feed.xml",
        "interviews/feed.xml",
        "news/index.html",
        "news/page/2/index.html",
        "news/a/index.html",
        "join/index.html",
        "tags/index.html",
        "tags/採用/index.html",
        "tags/採用/feed.xml",
        "tags/rust/index.html",
        "events/archive/index.html",
        "jobs/kind/comeback/index.html",
        "old/b/index.html",
        "css/style.css",
    ] {
        assert!(exists(root, f), "missing {f}; {}", stderr(&o));
    }
    assert!(stderr(&o).contains("Done in"), "{}", stderr(&o));
    // Link to another content file with a Japanese anchor.
    assert!(read(root, "news/a/index.html")
        .contains("href=\"/join/#%E7%99%BB%E9%8C%B2%E6%96%B9%E6%B3%95\""));
    // Japanese dates, canonical, OpenGraph.
    let a = read(root, "news/a/index.html");
    assert!(a.contains("2026年10月1日"), "{a}");
    assert!(a.contains("<link rel=\"canonical\" href=\"https://alumni.example.jp/news/a/\">"));
    assert!(a.contains("property=\"og:title\""));
    assert!(a.contains("name=\"twitter:card\""));
    // Alias redirect.
    let alias = read(root, "old/b/index.html");
    assert!(
        alias.contains("url=/news/b/") && alias.contains("noindex"),
        "{alias}"
    );
    // robots points at the sitemap.
    assert!(read(root, "robots.txt").contains("Sitemap: https://alumni.example.jp/sitemap.xml"));
}

#[test]
fn drafts_and_scheduled_are_hidden_unless_asked() {
    let s = basic();
    assert!(build(s.path(), &[]).status.success());
    assert!(!exists(s.path(), "news/draft/index.html"));
    assert!(!exists(s.path(), "news/future/index.html"));
    let all: Vec<u8> = tree(&s.path().join("public"))
        .into_iter()
        .flat_map(|(_, b)| b)
        .collect();
    let all = String::from_utf8_lossy(&all);
    assert!(!all.contains("DRAFTBODY") && !all.contains("FUTUREBODY") && !all.contains("予約投稿"));
    let o = build(s.path(), &["--drafts"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(exists(s.path(), "news/draft/index.html"));
    assert!(exists(s.path(), "news/future/index.html"));
    // Moving "now" past the date publishes the scheduled post.
    let mut c = bin();
    let o = c
        .args(["build", "--root"])
        .arg(s.path())
        .args(["--now", "2026-12-25"])
        .output()
        .expect("run");
    assert!(o.status.success());
    assert!(exists(s.path(), "news/future/index.html"));
}

#[test]
fn closed_jobs_keep_their_page_but_leave_lists_feeds_and_sitemap() {
    let s = basic();
    assert!(build(s.path(), &[]).status.success());
    let root = s.path();
    let page = read(root, "jobs/closed/index.html");
    assert!(
        page.contains("noindex") && page.contains("data-job-status=\"closed\""),
        "{page}"
    );
    for f in [
        "jobs/index.html",
        "jobs/feed.xml",
        "feed.xml",
        "sitemap.xml",
        "tags/採用/index.html",
        "tags/採用/feed.xml",
        "index.html",
    ] {
        assert!(
            !read(root, f).contains("/jobs/closed/"),
            "closed job listed in {f}"
        );
    }
    assert!(read(root, "jobs/index.html").contains("/jobs/open/"));
    // Structured data: JobPosting only on the open job; calendars written.
    assert!(
        !page.contains("JobPosting"),
        "closed job carries JobPosting"
    );
    assert!(read(root, "jobs/open/index.html").contains("\"@type\":\"JobPosting\""));
    assert!(read(root, "events/calendar.ics").contains("BEGIN:VEVENT"));
    assert!(read(root, "events/next/event.ics").contains("SUMMARY:新年会"));
    assert!(read(root, "index.html").contains("\"@type\":\"Organization\""));
    assert!(read(root, "jobs/index.html").contains("締切まであと8日"));
    // Past events move to the archive.
    assert!(read(root, "events/archive/index.html").contains("/events/past/"));
    assert!(!read(root, "events/index.html").contains("/events/past/"));
    assert!(read(root, "events/index.html").contains("/events/next/"));
}

#[test]
fn same_inputs_give_identical_bytes() {
    let s = basic();
    assert!(build(s.path(), &[]).status.success());
    let first = tree(&s.path().join("public"));
    assert!(build(s.path(), &[]).status.success());
    assert_eq!(first, tree(&s.path().join("public")));
    // SOURCE_DATE_EPOCH is "now" too.
    let o = bin()
        .args(["build", "--root"])
        .arg(s.path())
        .env("SOURCE_DATE_EPOCH", "1795100400")
        .output()
        .expect("run");
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn errors_are_all_reported_with_locations_and_nothing_is_written() {
    let s = basic();
    assert!(build(s.path(), &[]).status.success());
    let before = tree(&s.path().join("public"));
    write(
        s.path(),
        "content/news/bad1.md",
        "---\ntitle: x\ndate: 2026-01-01\ntgas: [a]\n---\n",
    );
    write(
        s.path(),
        "content/news/bad2.md",
        "---\ntitle: y\ndate: 2026-01-01\n---\n\n[x](../news/missing.md)\n",
    );
    write(s.path(), "content/events/bad3.md", "---\ntitle: z\ndate: 2026-01-01\nstart: 2026-02-01T10:00:00+09:00\nend: 2026-02-01T09:00:00+09:00\n---\n");
    let o = build(s.path(), &[]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("content/news/bad1.md:4:1: unknown key `tgas`: did you mean `tags`?"),
        "{e}"
    );
    assert!(
        e.contains("content/news/bad2.md:6:1: link to a missing file"),
        "{e}"
    );
    assert!(
        e.contains("content/events/bad3.md:5:1:") && e.contains("before `start`"),
        "{e}"
    );
    assert!(e.contains("3 errors found"), "{e}");
    assert_eq!(
        before,
        tree(&s.path().join("public")),
        "output changed after a failed build"
    );
    // check reports the same and exits 1.
    let o = bin()
        .args(["check", "--root"])
        .arg(s.path())
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn two_files_claiming_one_url_is_an_error_naming_both() {
    let s = site(&[
        ("content/news/a.md", &news("A", "2026-01-01", "", "")),
        (
            "content/news/b.md",
            &news("B", "2026-01-01", "slug: a\n", ""),
        ),
    ]);
    let o = build(s.path(), &[]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("content/news/a.md") && e.contains("content/news/b.md"),
        "{e}"
    );
}

#[test]
fn missing_anchor_is_an_error_with_a_suggestion() {
    let s = site(&[
        ("content/pages/join.md", "---\ntitle: J\n---\n## 登録方法\n"),
        (
            "content/news/a.md",
            &news("A", "2026-01-01", "", "[x](../pages/join.md#登録方)"),
        ),
    ]);
    let o = build(s.path(), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("did you mean #登録方法?"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn refuses_dangerous_output_dirs() {
    let s = basic();
    let o = bin()
        .args(["build", "--root"])
        .arg(s.path())
        .arg("--output")
        .arg(s.path())
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("refusing"), "{}", stderr(&o));
    let o = bin()
        .args(["build", "--root"])
        .arg(s.path())
        .arg("--output")
        .arg(s.path().join("content"))
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(1));
    assert!(s.path().join("content/news/a.md").exists());
}

#[test]
fn usage_errors_exit_2() {
    let o = bin().args(["build", "--bogus"]).output().expect("run");
    assert_eq!(o.status.code(), Some(2));
    let o = bin().args(["new", "blog", "x"]).output().expect("run");
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn init_then_build_works_anywhere_and_new_picks_a_slug() {
    let d = tempfile::tempdir().expect("tmp");
    let root = d.path().join("portal");
    let o = bin()
        .arg("init")
        .arg(&root)
        .current_dir(d.path())
        .output()
        .expect("run");
    assert!(o.status.success(), "{}", stderr(&o));
    let o = bin()
        .args(["build", "--root"])
        .arg(&root)
        .current_dir(d.path())
        .output()
        .expect("run");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(root.join("public/index.html").exists());
    let o = bin()
        .args(["new", "news", "オフィス移転のお知らせ", "--root"])
        .arg(&root)
        .output()
        .expect("run");
    assert!(o.status.success(), "{}", stderr(&o));
    let path = String::from_utf8_lossy(&o.stdout).trim().to_string();
    assert!(
        path.ends_with(".md") && std::path::Path::new(&path).exists(),
        "{path}"
    );
    let name = std::path::Path::new(&path)
        .file_stem()
        .expect("stem")
        .to_string_lossy()
        .to_string();
    assert!(
        name.len() == 10 && name.starts_with("20"),
        "date-based slug expected, got {name}"
    );
    let o = bin()
        .args(["new", "job", "Backend Engineer", "--root"])
        .arg(&root)
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&o.stdout).contains("backend-engineer.md"));
    // The new files are drafts with valid front matter: the site still builds.
    let o = bin()
        .args(["build", "--root"])
        .arg(&root)
        .arg("--drafts")
        .output()
        .expect("run");
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn feeds_have_the_rss_essentials() {
    let s = basic();
    assert!(build(s.path(), &[]).status.success());
    let f = read(s.path(), "feed.xml");
    assert!(
        f.contains("<atom:link href=\"https://alumni.example.jp/feed.xml\" rel=\"self\""),
        "{f}"
    );
    assert!(f.contains("<language>ja</language>"));
    assert!(
        f.contains("<pubDate>Sat, 03 Oct 2026 00:00:00 +0900</pubDate>"),
        "{f}"
    );
    assert!(f.contains("<guid isPermaLink=\"true\">https://alumni.example.jp/news/c/</guid>"));
    let t = read(s.path(), "tags/採用/feed.xml");
    assert!(
        t.contains("https://alumni.example.jp/tags/%E6%8E%A1%E7%94%A8/feed.xml"),
        "{t}"
    );
}

/// The search index covers listed pages only: never a draft or a closed job.
#[test]
fn search_index_leaves_out_drafts_and_closed_jobs() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sites/search");
    let out = tempfile::tempdir().expect("tmp");
    let o = bin()
        .args(["build", "--root"])
        .arg(&src)
        .arg("--output")
        .arg(out.path().join("public"))
        .args(["--now", "2026-11-22"])
        .output()
        .expect("run");
    assert!(o.status.success(), "{}", stderr(&o));
    let files = tree(&out.path().join("public/search"));
    assert!(files.len() > 3, "no index written");
    let utf16 = |s: &str| {
        s.encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect::<Vec<u8>>()
    };
    for needle in [
        "CLOSEDJOBTEXT",
        "DRAFTTEXT",
        "締切済みの量子コンピュータ求人",
    ] {
        for (p, bytes) in &files {
            for enc in [needle.as_bytes().to_vec(), utf16(needle)] {
                assert!(
                    !bytes.windows(enc.len()).any(|w| w == enc.as_slice()),
                    "{needle} in {}",
                    p.display()
                );
            }
        }
    }
    let page =
        std::fs::read_to_string(out.path().join("public/search/index.html")).expect("search page");
    assert!(page.contains("data-index=\"/search/\"") && page.contains("/js/search.js"));
    // Positive control: an open job's text is in the index.
    let all: Vec<u8> = files.iter().flat_map(|(_, b)| b.clone()).collect();
    let want = utf16("リファラル採用を始めます");
    assert!(all.windows(want.len()).any(|w| w == want.as_slice()));
}

#[test]
fn roster_import_cli_reports_a_summary_and_check_lists_stale_consents() {
    let s = site(&[
        ("data/roster.yaml", "- id: old-notice\n  name: 旧 同意\n  consent: { given: 2025-01-01, version: 1, public: [name] }\n"),
        ("hr.csv", "id,name,reading,now_company\nsato-ken,佐藤 健,さとう けん,株式会社スタート\n"),
    ]);
    write(
        s.path(),
        "site.yaml",
        &format!("{SITE_YAML}roster: {{ consent_version: 2 }}\n"),
    );
    let o = bin()
        .args(["roster", "import"])
        .arg(s.path().join("hr.csv"))
        .arg("--root")
        .arg(s.path())
        .output()
        .expect("run");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("1 added, 0 updated, 0 unchanged"),
        "{}",
        stderr(&o)
    );
    let yaml = std::fs::read_to_string(s.path().join("data/roster.yaml")).expect("roster");
    assert!(yaml.contains("sato-ken") && yaml.contains("old-notice"));
    let o = bin()
        .args(["check", "--root"])
        .arg(s.path())
        .args(["--now", "2026-11-22"])
        .output()
        .expect("run");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("old-notice (notice version 1)"),
        "{}",
        stderr(&o)
    );
}

/// example-site: the people who did not consent (no consent, withdrawn, or
/// consent to the old notice 1) appear in no byte of the output, in any
/// encoding the output uses (UTF-8, `\uXXXX` JSON escapes, UTF-16LE search
/// records), with or without the members passphrase.
#[test]
fn example_site_publishes_nobody_without_consent() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site");
    let hidden = [
        "takahashi-mao",
        "高橋 真央",
        "mao.takahashi@example.sg",
        "ishikawa-goro",
        "石川 吾郎",
        "goro.ishikawa@example.jp",
        "maeda-rina",
        "前田 莉奈",
        "rina.maeda@example.com",
        "hasegawa-tomoya",
        "長谷川 智也",
        "tomoya@example.com",
        "nishimura-eri",
        "西村 恵理",
        "eri.nishimura@example.com",
        "endo-kazuya",
        "遠藤 和也",
        "kazuya.endo@example.com",
        "aoki-nanami",
        "青木 七海",
        "nanami.aoki@example.com",
        "murakami-shin",
        "村上 慎",
        "saito-miyu",
        "斎藤 美優",
        "miyu.saito@example.com",
    ];
    let encodings = |s: &str| -> Vec<Vec<u8>> {
        let json: String = s
            .chars()
            .map(|c| {
                if c.is_ascii() {
                    c.to_string()
                } else {
                    format!("\\u{:04x}", c as u32)
                }
            })
            .collect();
        let utf16: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
        vec![s.as_bytes().to_vec(), json.into_bytes(), utf16]
    };
    for passphrase in [None, Some("example-pass")] {
        let out = tempfile::tempdir().expect("tmp");
        let mut c = bin();
        c.args(["build", "--root"])
            .arg(&src)
            .arg("--output")
            .arg(out.path().join("p"))
            .args(["--now", "2026-11-22"]);
        match passphrase {
            Some(p) => c.env("ENISHI_MEMBERS_PASSPHRASE", p),
            None => c.env_remove("ENISHI_MEMBERS_PASSPHRASE"),
        };
        let o = c.output().expect("run");
        assert!(o.status.success(), "{}", stderr(&o));
        let files = tree(&out.path().join("p"));
        assert!(files.len() > 100);
        for needle in hidden {
            for enc in encodings(needle) {
                for (p, bytes) in &files {
                    assert!(
                        !bytes.windows(enc.len()).any(|w| w == enc.as_slice()),
                        "{needle} found in {}",
                        p.display()
                    );
                }
            }
        }
        // Positive control: consenting people are in the directory.
        let alumni = String::from_utf8_lossy(
            &files
                .iter()
                .find(|(p, _)| p == std::path::Path::new("alumni/index.html"))
                .expect("alumni")
                .1,
        )
        .to_string();
        assert!(
            alumni.contains("id=\"ito-naoki\""),
            "directory lacks a consenting person"
        );
    }
}

/// Two different tags never share a URL; spellings of one tag share one.
#[test]
fn tags_get_distinct_urls() {
    let s = site(&[
        ("content/news/a.md", &news("A", "2026-01-01", "tags: [\"C++\", \"C#\", C, Rust, ＲＵＳＴ, \"a/b\", .NET, \"hello world\", hello-world]\n", "")),
    ]);
    let o = build(s.path(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = read(s.path(), "news/a/index.html");
    let mut urls: Vec<String> = page
        .split("href=\"/tags/")
        .skip(1)
        .filter_map(|r| r.split('"').next().map(str::to_string))
        .filter(|u| !u.is_empty())
        .collect();
    assert_eq!(urls.len(), 9, "{urls:?}");
    urls.sort();
    urls.dedup();
    assert_eq!(
        urls.len(),
        8,
        "Rust and ＲＵＳＴ are one tag, the others distinct: {urls:?}"
    );
    for u in &urls {
        let dir = percent_encoding::percent_decode_str(u.trim_end_matches('/'))
            .decode_utf8_lossy()
            .to_string();
        assert!(
            exists(s.path(), &format!("tags/{dir}/index.html")),
            "no page for {u}"
        );
    }
}

/// `--timings` names every phase of issue 8's list, each with its time.
#[test]
fn timings_name_every_phase() {
    let s = basic();
    let o = build(s.path(), &["--timings"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    let line = err
        .lines()
        .find(|l| l.starts_with("Timings: "))
        .unwrap_or_else(|| panic!("no Timings line in:\n{err}"));
    for phase in [
        "load",
        "markdown",
        "theme",
        "search",
        "pages and templates",
        "roster and members",
        "directory pages",
        "feeds, sitemap and calendars",
        "write",
    ] {
        // "<phase> <digits> ms"
        let shown = line.match_indices(&format!("{phase} ")).any(|(at, m)| {
            let rest = &line[at + m.len()..];
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            digits > 0 && rest[digits..].starts_with(" ms")
        });
        assert!(shown, "{phase} missing: {line}");
    }
}
