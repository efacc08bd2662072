//! JSON Feed 1.1 (<https://jsonfeed.org/version/1.1>) beside every RSS feed:
//! `/feed.json`, `/<kind>/feed.json`, `/tags/<tag>/feed.json`, with the same
//! items as the RSS feed next to it ([`feeds::channels`]). Each item has
//! `id` (its absolute URL, stable), `url`, `title`, `summary`,
//! `date_published` (RFC 3339), `tags`, `image`, and `content_html` (the
//! whole body, absolute URLs) or, with `feeds.full_content: false`,
//! `content_text` (the summary), since 1.1 requires one of the two.

use serde_json::{json, Map, Value};

use crate::core::escape::encode_path;
use crate::core::lang::rfc3339;
use crate::core::output::OutputFile;
use crate::outputs::feeds::{self, Channel};
use crate::outputs::jsonld::image_url;
use crate::site::Site;

fn feed(site: &Site, ch: &Channel<'_>) -> String {
    let c = &site.config;
    let items: Vec<Value> = ch
        .items
        .iter()
        .map(|p| {
            let url = feeds::page_url(site, p);
            let mut item = Map::new();
            item.insert("id".into(), url.clone().into());
            item.insert("url".into(), url.into());
            item.insert("title".into(), p.title.clone().into());
            if !p.summary.is_empty() {
                item.insert("summary".into(), p.summary.clone().into());
            }
            match feeds::full_html(site, p) {
                Some(html) => item.insert("content_html".into(), html.into()),
                None => item.insert("content_text".into(), p.summary.clone().into()),
            };
            if let Some(d) = &p.date {
                item.insert("date_published".into(), rfc3339(d).into());
            }
            if let Some(img) = image_url(c, p) {
                item.insert("image".into(), img.into());
            }
            if !p.tags.is_empty() {
                item.insert("tags".into(), p.tags.clone().into());
            }
            Value::Object(item)
        })
        .collect();
    let mut v = json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": ch.title,
        "home_page_url": c.abs_url(&encode_path(&ch.link_path)),
        "feed_url": c.abs_url(&encode_path(&format!("{}.json", ch.stem))),
        "language": c.language.code(),
        "items": items,
    });
    if let (Some(d), Some(o)) = (c.description.as_deref(), v.as_object_mut()) {
        if !d.trim().is_empty() {
            o.insert("description".into(), d.into());
        }
    }
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}

/// `feed.json` beside each `feed.xml`.
pub struct JsonFeed;

impl crate::outputs::Output for JsonFeed {
    fn name(&self) -> &'static str {
        "json feed"
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
        feeds::channels(cx.site, cx.strings)
            .iter()
            .map(|ch| {
                let path = format!("{}.json", ch.stem);
                OutputFile::new(path.trim_start_matches('/'), feed(cx.site, ch))
            })
            .collect()
    }
}
