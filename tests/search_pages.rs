//! Issue 18, "Search at 10,000 documents": the stated count was taken before
//! the in-order check (a page with `営業` and `業部` apart counted for
//! `営業部`), "more" stayed on screen after the last result (a `display` rule
//! beat `hidden`), so the list never ended. Here every page of results is
//! loaded in Chromium (tests/browser/search_pages.mjs) for substrings of
//! compounds, on a site where decoy pages hold the parts of the query at
//! every offset, and compared with a grep of the content files: the count
//! stated with the first page is the number of pages that contain the
//! string, the list holds each of them once, and "more" disappears at the
//! end. Skipped (with a note) without node, playwright-core or Chromium.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// `n` pages with the compound, then `n` older decoys with its parts apart
/// at every offset modulo 8 (what a position signature cannot tell apart).
fn corpus(root: &Path, n: usize) {
    for i in 0..n {
        // Newer than every decoy, so the first page shows only real matches.
        let body = format!("第一営業部長の{i}番目の話です。営業部では新しい取り組みがあります。");
        common::write(
            root,
            &format!("content/news/real-{i:02}.md"),
            &common::news(
                &format!("お知らせ {i}"),
                &format!("2026-10-{:02}", i % 28 + 1),
                "",
                &body,
            ),
        );
    }
    for i in 0..n {
        let mut body = String::new();
        for k in 0..9 {
            body.push_str(&format!(
                "第一営業{}業部{}部長。",
                "あ".repeat(k),
                "い".repeat(k)
            ));
        }
        common::write(
            root,
            &format!("content/news/decoy-{i:02}.md"),
            &common::news(
                &format!("報告 {i}"),
                &format!("2025-05-{:02}", i % 28 + 1),
                "",
                &body,
            ),
        );
    }
}

/// Site paths of the content files whose text contains `q` (the grep).
fn grep(root: &Path, q: &str) -> BTreeSet<String> {
    let dir = root.join("content/news");
    let mut out = BTreeSet::new();
    for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        if text.contains(q) {
            let stem = e
                .path()
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned());
            out.insert(format!("/news/{}/", stem.unwrap_or_default()));
        }
    }
    out
}

#[test]
fn every_page_of_results_matches_a_grep() {
    let node_ok = Command::new("node").arg("--version").output().is_ok();
    let pw = Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/playwright-core");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !node_ok || !pw.exists() || !Path::new(&chromium).exists() {
        eprintln!(
            "node, node_modules/playwright-core or Chromium missing: search pages test skipped"
        );
        return;
    }
    let site = common::site(&[]);
    corpus(site.path(), 24);
    let o = common::build(site.path(), &[]);
    assert!(o.status.success(), "{}", common::stderr(&o));

    let queries = ["営業部", "業部長", "営業部長", "第一営業部長"];
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/search_pages.mjs");
    let out = Command::new("node")
        .arg(&script)
        .arg(site.path().join("public"))
        .args(queries)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "search_pages.mjs failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert_eq!(lines.len(), queries.len(), "{stdout}");
    for (q, r) in queries.iter().zip(&lines) {
        let want = grep(site.path(), q);
        assert_eq!(
            want.len(),
            24,
            "{q}: the fixture holds it in the real pages only"
        );
        let hrefs: Vec<String> = r["hrefs"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|h| h.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let unique: BTreeSet<String> = hrefs.iter().cloned().collect();
        let stated = format!("{}件", want.len());
        let first = r["first"].as_str().unwrap_or_default();
        let last = r["last"].as_str().unwrap_or_default();
        assert!(
            first.contains(&stated),
            "{q}: first page states {first:?}, {} pages contain it",
            want.len()
        );
        assert!(last.contains(&stated), "{q}: last page states {last:?}");
        assert_eq!(
            unique.len(),
            hrefs.len(),
            "{q}: a result is listed twice: {hrefs:?}"
        );
        assert_eq!(unique, want, "{q}: listed pages differ from the grep");
        assert_eq!(
            r["moreVisible"], false,
            "{q}: \"more\" still shown after the last result"
        );
    }
}
