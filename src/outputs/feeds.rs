//! RSS 2.0 feeds: `/feed.xml` (all kinds), `/<kind>/feed.xml` and
//! `/tags/<tag>/feed.xml`. Valid RSS 2.0 with `atom:link rel="self"`,
//! RFC 822 dates, permalink guids and absolute URLs. `lastBuildDate` is the
//! newest item's date, not the clock, so an unchanged site gives unchanged
//! feeds.

use crate::core::escape::{encode_path, escape_xml};
use crate::core::lang::rfc822;
use crate::core::output::OutputFile;
use crate::model::{Kind, Page};
use crate::site::Site;

fn channel(site: &Site, self_path: &str, link_path: &str, title: &str, items: &[&Page]) -> String {
    let c = &site.config;
    let self_url = c.abs_url(&encode_path(self_path));
    let link = c.abs_url(&encode_path(link_path));
    let mut s = String::with_capacity(1024 + items.len() * 512);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n");
    s.push_str(&format!("<title>{}</title>\n", escape_xml(title)));
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
    if let Some(d) = items.iter().filter_map(|p| p.date.as_ref()).max() {
        s.push_str(&format!("<lastBuildDate>{}</lastBuildDate>\n", rfc822(d)));
    }
    for p in items {
        let url = c.abs_url(&encode_path(&p.path));
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

pub fn outputs(
    site: &Site,
    strings: &std::collections::BTreeMap<String, String>,
) -> Vec<OutputFile> {
    let limit = site.config.feeds.limit.max(1);
    let t = |k: &str| strings.get(k).cloned().unwrap_or_else(|| k.to_string());
    let title = &site.config.title;
    let mut out = Vec::new();
    let all = feed_items(site.pages.iter(), limit);
    out.push(OutputFile::new(
        "feed.xml",
        channel(site, "/feed.xml", "/", title, &all),
    ));
    for kind in Kind::SECTIONS {
        let items = feed_items(site.of_kind(kind), limit);
        let path = format!("/{}/feed.xml", kind.dir());
        let ch_title = format!("{} – {}", t(&format!("nav_{}", kind.dir())), title);
        out.push(OutputFile::new(
            path.trim_start_matches('/'),
            channel(site, &path, &format!("/{}/", kind.dir()), &ch_title, &items),
        ));
    }
    for tag in site.tags.values() {
        let items = feed_items(tag.pages.iter().map(|i| &site.pages[*i]), limit);
        let base = crate::render::views::tag_path(&tag.slug);
        let path = format!("{base}feed.xml");
        let ch_title = format!("{} – {}", t("tag_title").replace("{tag}", &tag.name), title);
        out.push(OutputFile::new(
            path.trim_start_matches('/'),
            channel(site, &path, &base, &ch_title, &items),
        ));
    }
    out
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
