//! Incremental rebuilds (`serve`) must produce exactly the tree of a full
//! build after every kind of edit, and must redo only what depends on it.
mod common;
use common::*;

use std::path::{Path, PathBuf};

use enishi::build::Timings;
use enishi::incremental::{Incremental, Work};
use enishi::output::OutputTree;
use enishi::site::BuildOptions;

fn opts(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        base_url: Some("http://127.0.0.1:1111".into()),
        now: Some("2026-11-22".into()),
        ..Default::default()
    }
}

fn full(root: &Path) -> Result<OutputTree, Vec<String>> {
    enishi::build::build(&opts(root), &mut Timings::default())
        .map(|b| b.tree)
        .map_err(|d| d.iter().map(|d| d.to_string()).collect())
}

/// Apply `edit` (rel path -> Some(content) to write, None to delete), then
/// rebuild incrementally and compare with a full build.
fn step(
    state: &mut Incremental,
    root: &Path,
    what: &str,
    edits: &[(&str, Option<&str>)],
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
    let inc = state
        .build(&opts(root), &mut Timings::default())
        .map(|b| b.tree)
        .map_err(|d| d.iter().map(|d| d.to_string()).collect::<Vec<_>>());
    let work = state.work();
    let fresh = full(root);
    match (&inc, &fresh) {
        (Ok(a), Ok(b)) => {
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
        let (r, _) = step(&mut state, root, what, &edits);
        assert_eq!(r.is_ok(), ok, "{what}: {r:?}");
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
    assert_eq!(Ok(first.clone()), full(root));

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
    let fresh = full(root).unwrap();
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
    tree.retain(|k, _| !enishi::incremental::is_search_index_file(k));
    tree.extend(new);
    assert!(tree == fresh, "after the job the tree is the full build's");
}
