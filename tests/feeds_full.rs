//! Issue 18, "Feeds carry only summaries": RSS items carry the whole body as
//! `content:encoded` with absolute links and images (parsed here with a real
//! XML parser, namespaces included), `feeds.full_content: false` turns it
//! off, a JSON Feed 1.1 sits beside every RSS feed with the same items, and
//! every page's head advertises the feeds and, when the site has events, the
//! calendar.

mod common;

use std::path::Path;

const CONTENT_NS: &str = "http://purl.org/rss/1.0/modules/content/";

fn site_yaml(extra: &str) -> String {
    format!(
        "title: テスト株式会社 アルムナイ\nbase_url: https://alumni.example.jp/portal\nlanguage: ja\n\
         timezone: Asia/Tokyo\norganization: {{ name: テスト株式会社, url: https://example.jp }}\n{extra}"
    )
}

fn make_site(extra_yaml: &str, with_event: bool) -> tempfile::TempDir {
    let site = common::site(&[
        (
            "content/news/a.md",
            &common::news(
                "移転のお知らせ",
                "2026-10-20",
                "tags: [本社]\n",
                "詳しくは[こちら](b.md)と[見出し](#移転)、[外部](https://example.com/x?a=1&b=2)、\
                 [メール](mailto:office@example.jp)。\n\n![新本社](/portal/images/hq.png)\n\n\
                 <a href=\"../b/\">raw</a> <img src='hq-small.png' alt=''>\n\n## 移転\n\n本文 & 1 < 2",
            ),
        ),
        ("content/news/b.md", &common::news("二つ目", "2026-10-10", "", "二つ目の本文。")),
    ]);
    common::write_png(site.path(), "static/images/hq.png", 640, 480);
    common::write(site.path(), "site.yaml", &site_yaml(extra_yaml));
    if with_event {
        common::write(
            site.path(),
            "content/events/meetup.md",
            "---\ntitle: 交流会\ndate: 2026-10-01\nkind: meetup\nstart: 2026-12-01T19:00:00+09:00\n\
             venue: { name: 本社 }\n---\n交流会です。\n",
        );
    }
    let o = common::build(site.path(), &[]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    site
}

/// (guid, content:encoded) of every item of an RSS file.
fn rss_items(xml: &str) -> Vec<(String, Option<String>)> {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("RSS is not XML: {e}"));
    doc.descendants()
        .filter(|n| n.has_tag_name("item"))
        .map(|item| {
            let text = |pred: &dyn Fn(roxmltree::Node) -> bool| {
                item.children()
                    .find(|n| pred(*n))
                    .and_then(|n| n.text())
                    .map(str::to_string)
            };
            let guid = text(&|n| n.has_tag_name("guid")).unwrap_or_default();
            let content = text(&|n| n.has_tag_name((CONTENT_NS, "encoded")));
            (guid, content)
        })
        .collect()
}

fn json(root: &Path, rel: &str) -> serde_json::Value {
    serde_json::from_str(&common::read(root, rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn rss_carries_the_full_body_with_absolute_urls() {
    let site = make_site("", true);
    let items = rss_items(&common::read(site.path(), "news/feed.xml"));
    let (_, content) = items
        .iter()
        .find(|(g, _)| g == "https://alumni.example.jp/portal/news/a/")
        .unwrap_or_else(|| panic!("item a missing: {items:?}"));
    let html = content
        .as_deref()
        .unwrap_or_else(|| panic!("no content:encoded"));
    for want in [
        "href=\"https://alumni.example.jp/portal/news/b/\"",
        "href=\"https://alumni.example.jp/portal/news/a/#%E7%A7%BB%E8%BB%A2\"",
        "src=\"https://alumni.example.jp/portal/images/hq.",
        "src='https://alumni.example.jp/portal/news/a/hq-small.png'",
        "href=\"https://example.com/x?a=1&amp;b=2\"",
        "href=\"mailto:office@example.jp\"",
        "本文 &amp; 1 &lt; 2",
    ] {
        assert!(html.contains(want), "content:encoded lacks {want}:\n{html}");
    }
    for (guid, c) in &items {
        let c = c.as_deref().unwrap_or_default();
        for bad in ["href=\"/", "src=\"/", "href=\"#", "href=\"../", "src='hq"] {
            assert!(!c.contains(bad), "{guid}: relative URL {bad} left in:\n{c}");
        }
    }
    // Every feed has it, the site-wide one too.
    assert!(rss_items(&common::read(site.path(), "feed.xml"))
        .iter()
        .all(|(_, c)| c.is_some()));
}

#[test]
fn full_content_can_be_turned_off_and_is_validated() {
    let site = make_site("feeds: { limit: 10, full_content: false }\n", false);
    let xml = common::read(site.path(), "news/feed.xml");
    assert!(rss_items(&xml).iter().all(|(_, c)| c.is_none()), "{xml}");
    let jf = json(site.path(), "news/feed.json");
    for it in jf["items"].as_array().into_iter().flatten() {
        assert!(it.get("content_html").is_none(), "{it}");
        assert!(it["content_text"].is_string(), "{it}");
    }

    let bad = common::site(&[(
        "content/news/b.md",
        &common::news("b", "2026-10-10", "", "x"),
    )]);
    common::write(
        bad.path(),
        "site.yaml",
        &site_yaml("feeds: { full_contents: false }\n"),
    );
    let o = common::build(bad.path(), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        common::stderr(&o).contains("full_content"),
        "{}",
        common::stderr(&o)
    );
    let bad_type = common::site(&[]);
    common::write(
        bad_type.path(),
        "site.yaml",
        &site_yaml("feeds: { full_content: sometimes }\n"),
    );
    let o = common::build(bad_type.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", common::stderr(&o));
    assert!(
        common::stderr(&o).contains("site.yaml:"),
        "{}",
        common::stderr(&o)
    );
}

#[test]
fn json_feed_beside_every_rss_feed() {
    let site = make_site("", true);
    let public = site.path().join("public");
    let rss: Vec<_> = walkdir::WalkDir::new(&public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "feed.xml")
        .map(|e| {
            e.path()
                .strip_prefix(&public)
                .map(Path::to_path_buf)
                .unwrap_or_default()
        })
        .collect();
    assert!(rss.len() >= 6, "{rss:?}");
    for x in rss {
        let xr = x.to_string_lossy().into_owned();
        let jr = xr.replace("feed.xml", "feed.json");
        let jf = json(site.path(), &jr);
        // JSON Feed 1.1 required fields and types.
        assert_eq!(jf["version"], "https://jsonfeed.org/version/1.1", "{jr}");
        assert!(jf["title"].as_str().is_some_and(|t| !t.is_empty()), "{jr}");
        let self_url = format!("https://alumni.example.jp/portal/{}", jr);
        let encoded = self_url.replace("本社", "%E6%9C%AC%E7%A4%BE");
        assert_eq!(jf["feed_url"], encoded.as_str(), "{jr}");
        assert!(jf["home_page_url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://")));
        let items = jf["items"]
            .as_array()
            .unwrap_or_else(|| panic!("{jr}: no items array"));
        for it in items {
            assert!(it["id"].is_string(), "{jr}: item without id: {it}");
            assert!(
                it["content_html"].is_string() || it["content_text"].is_string(),
                "{it}"
            );
            if let Some(d) = it.get("date_published") {
                assert!(
                    d.as_str().is_some_and(|d| d.len() == 25 && d.contains('T')),
                    "{d}"
                );
            }
        }
        // Same items, same order as the RSS feed beside it.
        let ids: Vec<String> = items
            .iter()
            .filter_map(|i| i["id"].as_str().map(str::to_string))
            .collect();
        let guids: Vec<String> = rss_items(&common::read(site.path(), &xr))
            .into_iter()
            .map(|(g, _)| g)
            .collect();
        assert_eq!(ids, guids, "{jr}");
    }
    let news = json(site.path(), "news/feed.json");
    let a = news["items"]
        .as_array()
        .and_then(|v| {
            v.iter()
                .find(|i| i["id"] == "https://alumni.example.jp/portal/news/a/")
        })
        .unwrap_or_else(|| panic!("item a missing: {news}"));
    assert!(a["content_html"]
        .as_str()
        .is_some_and(|h| h.contains("src=\"https://alumni.example.jp/portal/images/hq.")));
    assert_eq!(a["tags"][0], "本社");
}

#[test]
fn heads_advertise_feeds_and_the_calendar() {
    let site = make_site("", true);
    for page in [
        "index.html",
        "news/a/index.html",
        "events/index.html",
        "search/index.html",
    ] {
        let html = common::read(site.path(), page);
        assert!(html.contains("type=\"application/rss+xml\""), "{page}");
        assert!(
            html.contains("type=\"application/feed+json\"")
                && html.contains("href=\"/portal/feed.json\""),
            "{page}: no JSON feed link"
        );
        assert!(
            html.contains("<link rel=\"alternate\" type=\"text/calendar\"")
                && html.contains("href=\"/portal/events/calendar.ics\""),
            "{page}: no calendar link"
        );
    }
    let news = common::read(site.path(), "news/index.html");
    assert!(
        news.contains("href=\"/portal/news/feed.json\""),
        "section JSON feed not advertised"
    );
    let no_events = make_site("", false);
    let html = common::read(no_events.path(), "index.html");
    assert!(
        !html.contains("type=\"text/calendar\""),
        "calendar advertised without events"
    );
}
