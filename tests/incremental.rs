//! Incremental rebuilds (`serve`) must produce exactly the tree of a full
//! build after every kind of edit, and must redo only what depends on it.
mod common;
use common::*;

use std::path::{Path, PathBuf};

use enishi::core::output::OutputTree;
use enishi::pipeline::incremental::Incremental;
use enishi::pipeline::Timings;
use enishi::site::memo::Work;
use enishi::site::BuildOptions;

fn opts(root: &Path) -> BuildOptions {
    opts_at(root, "2026-11-22")
}

/// `serve` without `--now` builds at the clock's time; a test moves it.
fn opts_at(root: &Path, now: &str) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        base_url: Some("http://127.0.0.1:1111".into()),
        now: Some(now.into()),
        ..Default::default()
    }
}

/// A build's tree and warnings, or its errors.
type Outcome = Result<(OutputTree, Vec<String>), Vec<String>>;

fn outcome(built: Result<enishi::pipeline::Built, Vec<enishi::core::diag::Diagnostic>>) -> Outcome {
    let shown = |d: &[enishi::core::diag::Diagnostic]| d.iter().map(|d| d.to_string()).collect();
    built
        .map(|b| (b.tree, shown(&b.warnings)))
        .map_err(|d| shown(&d))
}

fn full(root: &Path) -> Outcome {
    full_at(root, "2026-11-22")
}

fn full_at(root: &Path, now: &str) -> Outcome {
    outcome(enishi::pipeline::build(
        &opts_at(root, now),
        &mut Timings::default(),
    ))
}

/// Apply `edit` (rel path -> Some(content) to write, None to delete), then
/// rebuild incrementally and compare with a full build.
fn step(
    state: &mut Incremental,
    root: &Path,
    what: &str,
    edits: &[(&str, Option<&str>)],
) -> (Result<(), Vec<String>>, Work) {
    step_at(state, root, what, edits, "2026-11-22")
}

/// [`step`] with the build's "now".
fn step_at(
    state: &mut Incremental,
    root: &Path,
    what: &str,
    edits: &[(&str, Option<&str>)],
    now: &str,
) -> (Result<(), Vec<String>>, Work) {
    let mut changed = Vec::new();
    for (rel, content) in edits {
        match content {
            Some(c) => write(root, rel, c),
            None => std::fs::remove_file(root.join(rel)).expect("remove"),
        }
        changed.push(PathBuf::from(rel));
    }
    state.note_changes(root, &changed);
    let inc = outcome(state.build(&opts_at(root, now), &mut Timings::default()));
    let work = state.work();
    let fresh = full_at(root, now);
    match (&inc, &fresh) {
        (Ok((a, wa)), Ok((b, wb))) => {
            assert_eq!(wa, wb, "{what}: different warnings");
            let ka: Vec<&String> = a.keys().collect();
            let kb: Vec<&String> = b.keys().collect();
            assert_eq!(ka, kb, "{what}: file lists differ");
            for (k, v) in a {
                assert!(
                    b.get(k) == Some(v),
                    "{what}: {k} differs from the full build:\n--- incremental\n{}\n--- full\n{}",
                    String::from_utf8_lossy(v),
                    String::from_utf8_lossy(&b[k])
                );
            }
        }
        (Err(a), Err(b)) => assert_eq!(a, b, "{what}: different errors"),
        _ => panic!("{what}: incremental {inc:?} vs full {fresh:?}"),
    }
    (inc.map(|_| ()), work)
}

#[test]
fn incremental_tree_equals_full_build_after_every_edit() {
    let s = site(&[
        ("content/news/a.md", &news("お知らせA", "2026-10-01", "tags: [採用, Rust]\n", "本文A。[参加方法](../pages/join.md#登録方法)")),
        ("content/news/b.md", &news("お知らせB", "2026-10-02", "tags: [採用]\naliases: [/old/b/]\n", "本文B")),
        ("content/news/c.md", &news("お知らせC", "2026-10-03", "", "本文C\n\n二段落目。")),
        ("content/news/d.md", &news("お知らせD", "2026-10-04", "tags: [Rust]\n", "本文D")),
        ("content/news/e.md", &news("お知らせE", "2026-10-05", "", "本文E [B](b.md)")),
        ("content/pages/join.md", "---\ntitle: 参加方法\n---\n## 登録方法\n\nメールで。\n"),
        (
            "content/events/next.md",
            "---\ntitle: 新年会\ndate: 2026-11-01\nkind: reunion\nstart: \"2027-01-15 19:00\"\nonline: https://meet.example.jp/x\n---\n本文\n",
        ),
    ]);
    let root = s.path();
    let mut state = Incremental::new();
    let (r, w) = step(&mut state, root, "first build", &[]);
    assert!(r.is_ok(), "{r:?}");
    let all_pages = w.rendered;
    assert!(all_pages > 10, "{w:?}");

    // Body only (not the first paragraph, which is the summary on cards):
    // one document parsed, its Markdown and its page rendered.
    let (r, w) = step(
        &mut state,
        root,
        "body only",
        &[(
            "content/news/c.md",
            Some(&news(
                "お知らせC",
                "2026-10-03",
                "",
                "本文C\n\n二段落目を書き換えた。",
            )),
        )],
    );
    assert!(r.is_ok(), "{r:?}");
    assert_eq!((w.parsed, w.markdown, w.rendered), (1, 1, 1), "{w:?}");
    assert_eq!(w.reused, all_pages - 1);
    assert_eq!(w.patched, 1, "a body edit patches the kept site: {w:?}");

    // Same file, same length, same mtime tick: the watcher's report is enough.
    let (r, w) = step(
        &mut state,
        root,
        "same length",
        &[(
            "content/news/c.md",
            Some(&news(
                "お知らせC",
                "2026-10-03",
                "",
                "本文C\n\n二段落目を書き換えた！",
            )),
        )],
    );
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(w.rendered, 1, "{w:?}");

    // Title: its card changes, so lists/home/tags re-render too, not all.
    let (r, w) = step(
        &mut state,
        root,
        "title",
        &[(
            "content/news/a.md",
            Some(&news(
                "お知らせA（改）",
                "2026-10-01",
                "tags: [採用, Rust]\n",
                "本文A。[参加方法](../pages/join.md#登録方法)",
            )),
        )],
    );
    assert!(r.is_ok(), "{r:?}");
    assert!(w.rendered > 1 && w.rendered < all_pages, "{w:?}");
    assert_eq!(w.patched, 1, "a title edit patches the kept site: {w:?}");

    // (what, edits, builds without errors)
    for (what, edits, ok) in [
        ("tags", vec![("content/news/b.md", Some(news("お知らせB", "2026-10-02", "tags: [採用, 新しいタグ]\naliases: [/old/b/]\n", "本文B")))], true),
        ("date into the future", vec![("content/news/d.md", Some(news("お知らせD", "2027-03-01", "tags: [Rust]\n", "本文D")))], true),
        ("date back", vec![("content/news/d.md", Some(news("お知らせD", "2026-09-01", "tags: [Rust]\n", "本文D")))], true),
        ("add", vec![("content/news/f.md", Some(news("お知らせF", "2026-11-10", "tags: [Rust]\n", "新しい記事")))], true),
        ("delete a link target", vec![("content/news/b.md", None)], false),
        ("restore it", vec![("content/news/b.md", Some(news("お知らせB", "2026-10-02", "tags: [採用]\naliases: [/old/b/]\n", "本文B")))], true),
        ("rename", vec![("content/news/c.md", None), ("content/news/c2.md", Some(news("お知らせC", "2026-10-03", "", "本文C")))], true),
        ("heading renamed (anchor link breaks)", vec![("content/pages/join.md", Some("---\ntitle: 参加方法\n---\n## 申込方法\n\nメールで。\n".to_string()))], false),
        ("heading back", vec![("content/pages/join.md", Some("---\ntitle: 参加方法\n---\n## 登録方法\n\nメールで。\n".to_string()))], true),
        ("event moved", vec![("content/events/next.md", Some("---\ntitle: 新年会\ndate: 2026-11-01\nkind: reunion\nstart: \"2027-01-16 18:00\"\n---\n本文\n".to_string()))], true),
    ] {
        let edits: Vec<(&str, Option<&str>)> = edits.iter().map(|(p, c)| (*p, c.as_deref())).collect();
        let (r, w) = step(&mut state, root, what, &edits);
        assert_eq!(r.is_ok(), ok, "{what}: {r:?}");
        // Each of these but the event's new time moves a page, a tag, a
        // URL or a heading: the site is loaded again.
        let patched = usize::from(what == "event moved");
        assert_eq!(w.patched, patched, "{what}: {w:?}");
    }

    // A broken edit fails like a full build, then the fix builds again.
    let (r, _) = step(
        &mut state,
        root,
        "broken front matter",
        &[(
            "content/news/e.md",
            Some("---\ntitle: [unclosed\ndate: 2026-10-05\n---\n本文E\n"),
        )],
    );
    assert!(r.is_err());
    let (r, w) = step(
        &mut state,
        root,
        "fixed",
        &[(
            "content/news/e.md",
            Some(&news(
                "お知らせE",
                "2026-10-05",
                "",
                "本文E [B](b.md) 直した",
            )),
        )],
    );
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(w.parsed, 1, "{w:?}");

    // A roster: data/ changes redo everything; content edits keep it.
    let roster = include_str!("fixtures/sites/search/data/roster.yaml");
    let (r, w) = step(
        &mut state,
        root,
        "roster added",
        &[("data/roster.yaml", Some(roster))],
    );
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(w.reused, 0, "{w:?}");
    let (r, _) = step(
        &mut state,
        root,
        "interview about a roster person",
        &[(
            "content/interviews/tanaka.md",
            Some("---\ntitle: 田中さん\ndate: 2026-10-06\nroster_id: tanaka-hanako\n---\n話\n"),
        )],
    );
    assert!(r.is_ok(), "{r:?}");
    let (r, _) = step(
        &mut state,
        root,
        "roster edited",
        &[("data/roster.yaml", Some(&roster.replace("CTO", "CEO")))],
    );
    assert!(r.is_ok(), "{r:?}");

    // Outside content/: everything is redone.
    let (r, w) = step(
        &mut state,
        root,
        "site.yaml",
        &[(
            "site.yaml",
            Some(&SITE_YAML.replace("paginate: 2", "paginate: 3")),
        )],
    );
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(w.reused, 0, "{w:?}");
    assert!(w.parsed >= 7, "{w:?}");
}

/// `serve` publishes a content rebuild before its search index: the tree
/// first carries the last index, then the job's files replace exactly those,
/// and the result is the full build's tree.
#[test]
fn deferred_search_index_completes_to_the_full_build() {
    let s = site(&[
        (
            "content/news/a.md",
            &news("お知らせA", "2026-10-01", "tags: [採用]\n", "本文A。"),
        ),
        (
            "content/news/b.md",
            &news("お知らせB", "2026-10-02", "", "本文B"),
        ),
    ]);
    let root = s.path();
    let mut state = Incremental::new();
    let (first, job) = state.build_deferred(&opts(root), &mut Timings::default());
    assert!(job.is_none(), "the first build makes its index at once");
    let first = first.map_err(|d| format!("{d:?}")).unwrap().tree;
    assert!(full(root).is_ok_and(|(t, _)| t == first));

    // Add a word only this edit has: the index must learn it, later.
    write(
        root,
        "content/news/b.md",
        &news("お知らせB", "2026-10-02", "", "本文B。ゆずり葉"),
    );
    state.note_changes(root, &[PathBuf::from("content/news/b.md")]);
    let (built, job) = state.build_deferred(&opts(root), &mut Timings::default());
    let mut tree = built.map_err(|d| format!("{d:?}")).unwrap().tree;
    let job = job.expect("a content rebuild leaves its index for later");
    let fresh = full(root).unwrap().0;
    assert!(String::from_utf8_lossy(&tree["news/b/index.html"]).contains("ゆずり葉"));
    let index: Vec<&String> = fresh
        .keys()
        .filter(|k| k.ends_with(".bin") || k.ends_with(".json"))
        .collect();
    assert!(
        index.iter().any(|k| tree[*k] != fresh[*k]),
        "the served index is the last one until the job ran"
    );
    let new = job.run();
    tree.retain(|k, _| !enishi::pipeline::incremental::is_search_index_file(k));
    tree.extend(new);
    assert!(tree == fresh, "after the job the tree is the full build's");
}

/// Edits that keep every page in place patch the kept site; what they may
/// break (anchors, links, warnings shared with other pages) must come out
/// exactly as a full build says.
#[test]
fn patched_site_equals_full_build() {
    let s = site(&[
        (
            "content/news/g.md",
            &news("G", "2026-10-01", "", "本文G\n\n[下書き](draft.md)"),
        ),
        (
            "content/news/h.md",
            &news("H", "2026-10-02", "", "本文H\n\n[下書き](draft.md)"),
        ),
        (
            "content/news/draft.md",
            &news("下書き", "2026-10-03", "draft: true\n", "まだ"),
        ),
        (
            "content/pages/about.md",
            "---\ntitle: 概要\n---\n## 沿革\n\n本文\n",
        ),
    ]);
    let root = s.path();
    let mut state = Incremental::new();
    let (r, _) = step(&mut state, root, "first build", &[]);
    assert!(r.is_ok(), "{r:?}");
    // g and h give the same warning (a link to a draft, same line): it
    // stays while either still links there.
    for (what, rel, body, ok, patched) in [
        (
            "one of two links to a draft removed",
            "content/news/g.md",
            "本文G\n\nリンクなし",
            true,
            1,
        ),
        (
            "the other removed too",
            "content/news/h.md",
            "本文H\n\nリンクなし",
            true,
            1,
        ),
        (
            "a link to a draft added back",
            "content/news/g.md",
            "本文G\n\n[下書き](draft.md)",
            true,
            1,
        ),
        (
            "anchor link that resolves",
            "content/news/h.md",
            "本文H\n\n[沿革](../pages/about.md#沿革)",
            true,
            1,
        ),
        (
            "anchor link to a missing heading",
            "content/news/h.md",
            "本文H\n\n[沿革](../pages/about.md#ない)",
            false,
            0,
        ),
        (
            "fixed again",
            "content/news/h.md",
            "本文H\n\n[沿革](../pages/about.md#沿革)",
            true,
            0,
        ),
        (
            "body edit after the fix",
            "content/news/h.md",
            "本文H2\n\n[沿革](../pages/about.md#沿革)",
            true,
            1,
        ),
        (
            "link outside the site",
            "content/news/g.md",
            "本文G\n\n[外](../../../x.md)",
            false,
            0,
        ),
        ("link back inside", "content/news/g.md", "本文G", true, 0),
        (
            "a link to a page that does not exist",
            "content/news/g.md",
            "本文G [無い](nothing.md)",
            false,
            0,
        ),
        ("link removed", "content/news/g.md", "本文G", true, 0),
    ] {
        let date = if rel.ends_with("g.md") {
            "2026-10-01"
        } else {
            "2026-10-02"
        };
        let title = if rel.ends_with("g.md") { "G" } else { "H" };
        let text = news(title, date, "", body);
        let (r, w) = step(&mut state, root, what, &[(rel, Some(&text))]);
        assert_eq!(r.is_ok(), ok, "{what}: {r:?}");
        assert_eq!(w.patched, patched, "{what}: {w:?}");
    }
    // A draft stays a draft: nothing shows it, the site is kept as is.
    let (r, w) = step(
        &mut state,
        root,
        "draft edited",
        &[(
            "content/news/draft.md",
            Some(&news("下書き", "2026-10-03", "draft: true\n", "まだまだ")),
        )],
    );
    assert!(r.is_ok(), "{r:?}");
    assert_eq!((w.parsed, w.markdown, w.patched), (1, 0, 1), "{w:?}");
    // Published: the site is loaded again (lists, feeds and links change).
    let (r, w) = step(
        &mut state,
        root,
        "draft published",
        &[(
            "content/news/draft.md",
            Some(&news("下書き", "2026-10-03", "", "公開")),
        )],
    );
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(w.patched, 0, "{w:?}");
    // A heading edit of an anchor target is a reload: h points at the
    // old heading, so the build fails as a full build does.
    let (r, w) = step(
        &mut state,
        root,
        "heading renamed",
        &[(
            "content/pages/about.md",
            Some("---\ntitle: 概要\n---\n## 歴史\n\n本文\n"),
        )],
    );
    assert!(r.is_err(), "{r:?}");
    assert_eq!(w.patched, 0, "{w:?}");
}

/// Without `--now`, every rebuild of `serve` has a new "now". The kept site
/// is patched only while that changes nothing: not once the date changes
/// (jobs close by date), an event ends or a scheduled page is due.
#[test]
fn a_moving_now_patches_only_while_it_changes_nothing() {
    let s = site(&[
        ("content/news/a.md", &news("A", "2026-11-01", "", "本文A")),
        ("content/news/later.md", &news("予約投稿", "2026-11-23T23:00:00+09:00", "", "まだ先")),
        (
            "content/events/party.md",
            "---\ntitle: 交流会\ndate: 2026-11-01\nkind: reunion\nstart: \"2026-11-23 18:00\"\nend: \"2026-11-23 20:00\"\nonline: https://meet.example.jp/x\n---\n本文\n",
        ),
        (
            "content/jobs/open.md",
            "---\ntitle: 募集中\ndate: 2026-11-01\nkind: comeback\ncloses: 2026-11-30\napply: https://example.jp/apply\n---\n仕事\n",
        ),
    ]);
    let root = s.path();
    let mut state = Incremental::new();
    let (r, _) = step_at(
        &mut state,
        root,
        "first build",
        &[],
        "2026-11-22T10:00:00+09:00",
    );
    assert!(r.is_ok(), "{r:?}");
    for (n, (now, patched)) in [
        ("2026-11-22T12:00:00+09:00", 1), // same day, nothing due
        ("2026-11-23T00:30:00+09:00", 0), // a new day: the job closes a day sooner
        ("2026-11-23T19:00:00+09:00", 1),
        ("2026-11-23T20:30:00+09:00", 0), // the event has ended
        ("2026-11-23T22:00:00+09:00", 1),
        ("2026-11-23T23:30:00+09:00", 0), // the scheduled page is out
        ("2026-11-23T23:40:00+09:00", 1),
        ("2026-11-23T21:00:00+09:00", 0), // back in time (a clock set back)
    ]
    .into_iter()
    .enumerate()
    {
        let what = format!("body edit at {now}");
        let text = news("A", "2026-11-01", "", &format!("本文A {n}"));
        let (r, w) = step_at(
            &mut state,
            root,
            &what,
            &[("content/news/a.md", Some(&text))],
            now,
        );
        assert!(r.is_ok(), "{what}: {r:?}");
        assert_eq!(w.patched, patched, "{what}: {w:?}");
    }
}
