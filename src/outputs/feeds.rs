//! RSS 2.0 feeds: `/feed.xml` (all kinds), `/<kind>/feed.xml` and
//! `/tags/<tag>/feed.xml`. Valid RSS 2.0 with `atom:link rel="self"`,
//! RFC 822 dates, permalink guids and absolute URLs. Each item carries the
//! summary as `description` and, unless `feeds.full_content: false`, the
//! whole body as `content:encoded` with its links and images made absolute.
//! [`channels`] is the list of feeds, shared with the JSON Feed output. `lastBuildDate` is the
//! newest item's date, not the clock, so an unchanged site gives unchanged
//! feeds.

use std::collections::BTreeMap;

use crate::core::abs_urls::absolutize;
use crate::core::escape::{encode_path, escape_xml};
use crate::core::lang::rfc822;
use crate::core::output::OutputFile;
use crate::model::{Kind, Page};
use crate::site::Site;

/// One feed of the site, whatever its format: `/feed`, `/<kind>/feed` or
/// `/tags/<tag>/feed` (the format adds `.xml` or `.json`).
pub struct Channel<'a> {
    /// Site path without the extension, e.g. `/news/feed`.
    pub stem: String,
    /// Site path of the HTML page it follows, e.g. `/news/`.
    pub link_path: String,
    pub title: String,
    /// Listed, dated pages, newest first, at most `feeds.limit`.
    pub items: Vec<&'a Page>,
}

/// Every feed of the site, in a fixed order: all kinds, each section, each tag.
pub fn channels<'a>(site: &'a Site, strings: &BTreeMap<String, String>) -> Vec<Channel<'a>> {
    let limit = site.config.feeds.limit.max(1);
    let t = |k: &str| strings.get(k).cloned().unwrap_or_else(|| k.to_string());
    let title = &site.config.title;
    let mut out = vec![Channel {
        stem: "/feed".into(),
        link_path: "/".into(),
        title: title.clone(),
        items: feed_items(site.pages.iter(), limit),
    }];
    for kind in Kind::SECTIONS {
        out.push(Channel {
            stem: format!("/{}/feed", kind.dir()),
            link_path: format!("/{}/", kind.dir()),
            title: format!("{} – {}", t(&format!("nav_{}", kind.dir())), title),
            items: feed_items(site.of_kind(kind), limit),
        });
    }
    for tag in site.tags.values() {
        let base = crate::render::views::tag_path(&tag.slug);
        out.push(Channel {
            stem: format!("{base}feed"),
            link_path: base,
            title: format!("{} – {}", t("tag_title").replace("{tag}", &tag.name), title),
            items: feed_items(tag.pages.iter().map(|i| &site.pages[*i]), limit),
        });
    }
    out
}

/// Absolute URL of a page.
pub fn page_url(site: &Site, p: &Page) -> String {
    site.config.abs_url(&encode_path(&p.path))
}

/// The page's body with every link and image absolute (for readers that
/// show it away from the site), or `None` with `feeds.full_content: false`.
pub fn full_html(site: &Site, p: &Page) -> Option<String> {
    site.config
        .feeds
        .full_content
        .then(|| absolutize(&p.content_html, &page_url(site, p)))
}

fn channel(site: &Site, ch: &Channel<'_>) -> String {
    let c = &site.config;
    let self_url = c.abs_url(&encode_path(&format!("{}.xml", ch.stem)));
    let link = c.abs_url(&encode_path(&ch.link_path));
    let mut s = String::with_capacity(1024 + ch.items.len() * 512);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\"");
    if c.feeds.full_content {
        s.push_str(" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"");
    }
    s.push_str(">\n<channel>\n");
    s.push_str(&format!("<title>{}</title>\n", escape_xml(&ch.title)));
    s.push_str(&format!("<link>{}</link>\n", escape_xml(&link)));
    let desc = c.description.clone().unwrap_or_else(|| c.title.clone());
    s.push_str(&format!(
        "<description>{}</description>\n",
        escape_xml(&desc)
    ));
    s.push_str(&format!("<language>{}</language>\n", c.language.code()));
    s.push_str(&format!(
        "<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        escape_xml(&self_url)
    ));
    s.push_str("<generator>enishi</generator>\n");
    if let Some(d) = ch.items.iter().filter_map(|p| p.date.as_ref()).max() {
        s.push_str(&format!("<lastBuildDate>{}</lastBuildDate>\n", rfc822(d)));
    }
    for p in &ch.items {
        let url = page_url(site, p);
        s.push_str("<item>\n");
        s.push_str(&format!("<title>{}</title>\n", escape_xml(&p.title)));
        s.push_str(&format!("<link>{}</link>\n", escape_xml(&url)));
        s.push_str(&format!(
            "<guid isPermaLink=\"true\">{}</guid>\n",
            escape_xml(&url)
        ));
        if let Some(d) = &p.date {
            s.push_str(&format!("<pubDate>{}</pubDate>\n", rfc822(d)));
        }
        if !p.summary.is_empty() {
            s.push_str(&format!(
                "<description>{}</description>\n",
                escape_xml(&p.summary)
            ));
        }
        if let Some(html) = full_html(site, p) {
            s.push_str(&format!(
                "<content:encoded>{}</content:encoded>\n",
                escape_xml(&html)
            ));
        }
        for t in &p.tags {
            s.push_str(&format!("<category>{}</category>\n", escape_xml(t)));
        }
        s.push_str("</item>\n");
    }
    s.push_str("</channel>\n</rss>\n");
    s
}

/// Pages that belong in feeds: listed, dated, newest first.
fn feed_items<'a>(pages: impl Iterator<Item = &'a Page>, limit: usize) -> Vec<&'a Page> {
    let mut v: Vec<&Page> = pages
        .filter(|p| p.is_listed() && p.date.is_some() && p.kind != Kind::Page)
        .collect();
    v.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.path.cmp(&b.path)));
    v.truncate(limit);
    v
}

pub fn outputs(site: &Site, strings: &BTreeMap<String, String>) -> Vec<OutputFile> {
    channels(site, strings)
        .iter()
        .map(|ch| {
            let path = format!("{}.xml", ch.stem);
            OutputFile::new(path.trim_start_matches('/'), channel(site, ch))
        })
        .collect()
}

/// RSS feeds of every kind and tag.
pub struct Feeds;

impl crate::outputs::Output for Feeds {
    fn name(&self) -> &'static str {
        "feeds"
    }
    fn reads(&self) -> crate::outputs::Reads {
        crate::outputs::Reads {
            cards: true,
            bodies: true,
            ..Default::default()
        }
    }
    fn is_feed(&self) -> bool {
        true
    }
    fn run(&self, cx: &crate::outputs::Cx<'_>) -> Vec<OutputFile> {
        outputs(cx.site, cx.strings)
    }
}
