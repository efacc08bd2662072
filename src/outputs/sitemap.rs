//! `sitemap.xml` (every page a view marks `in_sitemap`, with `lastmod` from
//! its date) and `robots.txt` pointing at it.

use crate::core::escape::{encode_path, escape_xml};
use crate::core::output::OutputFile;
use crate::site::Site;

/// `sitemap.xml` listing `paths` (site paths of the indexable pages), and
/// `robots.txt` pointing at it.
pub fn outputs(site: &Site, paths: &[&str]) -> Vec<OutputFile> {
    let c = &site.config;
    let mut lastmod: std::collections::HashMap<String, String> = site
        .pages
        .iter()
        .filter_map(|p| {
            p.date
                .as_ref()
                .map(|d| (p.path.clone(), d.date().to_string()))
        })
        .collect();
    for t in &site.translations {
        if let (Some(l), Some(d)) = (t.lang, &t.date) {
            lastmod.insert(format!("/{}{}", l.code(), t.path), d.date().to_string());
        }
    }
    let multilingual = !c.languages.is_empty();
    let mut urls: Vec<(&str, String)> = paths
        .iter()
        .map(|p| (*p, c.abs_url(&encode_path(p))))
        .collect();
    urls.sort();
    urls.dedup();
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"");
    if multilingual {
        s.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    s.push_str(">\n");
    for (path, url) in urls {
        s.push_str("<url><loc>");
        s.push_str(&escape_xml(&url));
        s.push_str("</loc>");
        if let Some(d) = lastmod.get(path) {
            s.push_str(&format!("<lastmod>{d}</lastmod>"));
        }
        // Every version of a translated page, and the main one as x-default.
        if let Some(g) = site.lang_links.groups.get(path) {
            let codes = g.iter().map(|(l, p)| (l.code(), p));
            for (code, p) in codes.chain(g.first().map(|(_, p)| ("x-default", p))) {
                s.push_str(&format!(
                    "<xhtml:link rel=\"alternate\" hreflang=\"{code}\" href=\"{}\"/>",
                    escape_xml(&c.abs_url(&encode_path(p)))
                ));
            }
        }
        s.push_str("</url>\n");
    }
    s.push_str("</urlset>\n");
    let robots = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        c.abs_url("/sitemap.xml")
    );
    vec![
        OutputFile::new("sitemap.xml", s),
        OutputFile::new("robots.txt", robots),
    ]
}

/// `sitemap.xml` and `robots.txt`.
pub struct Sitemap;

impl crate::outputs::Output for Sitemap {
    fn name(&self) -> &'static str {
        "sitemap"
    }
    fn reads(&self) -> crate::outputs::Reads {
        crate::outputs::Reads {
            cards: true,
            page_paths: true,
            ..Default::default()
        }
    }
    fn run(&self, cx: &crate::outputs::Cx<'_>) -> Vec<OutputFile> {
        outputs(cx.site, cx.sitemap_paths)
    }
}
