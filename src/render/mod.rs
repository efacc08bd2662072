//! Rendering [`HtmlPage`]s through the theme's tera templates.
//!
//! The context every template sees: `site` (title, base_path, language,
//! organization, nav, …) and `t` (UI strings) as globals, then per page
//! `page_path`, `canonical`, `page_title`, `description`, `noindex`,
//! `og_image`, `og_type`, `jsonld` and the page's own `vars`.
//! Rendering is pure (model in, bytes out) and runs in parallel.
//!
//! [`theme`] loads the templates and strings, [`views`] turns pages into
//! template values (cards, lists, pagination), [`related`] finds an
//! interview's related, previous and next interviews. Imports `core`, `config`,
//! `model`, `markdown` and `site`; never `outputs` or `pipeline`.

pub mod photos;
pub mod related;
pub mod share;
pub mod theme;
pub mod views;

use serde_json::{json, Value};

use crate::core::escape::encode_path;
use crate::core::output::{HtmlPage, OutputFile};
use crate::render::theme::{tera_diagnostic, Theme};
use crate::site::Site;

/// Output file path for a site path: `/news/` -> `news/index.html`,
/// `/404.html` -> `404.html`.
pub fn output_path(site_path: &str) -> String {
    let p = site_path.trim_start_matches('/');
    if p.ends_with(".html") {
        p.to_string()
    } else if p.is_empty() {
        "index.html".to_string()
    } else {
        format!("{}/index.html", p.trim_end_matches('/'))
    }
}

/// The `site` global of every template.
pub fn site_value(site: &Site, strings: &std::collections::BTreeMap<String, String>) -> Value {
    let c = &site.config;
    let t = |k: &str| strings.get(k).cloned().unwrap_or_else(|| k.to_string());
    let link = |p: &str| encode_path(&c.site_path(p));
    let asset = |p: &str| encode_path(&c.asset_path(p));
    let nav: Vec<Value> = [
        ("interviews", "/interviews/"),
        ("news", "/news/"),
        ("jobs", "/jobs/"),
        ("events", "/events/"),
        ("alumni", "/alumni/"),
    ]
    .iter()
    .map(|(k, p)| json!({"key": k, "label": t(&format!("nav_{k}")), "url": link(p), "path": p}))
    .collect();
    let footer_pages: Vec<Value> = site
        .of_kind(crate::model::Kind::Page)
        .map(|p| (p.path.clone(), p.title.clone()))
        .collect::<std::collections::BTreeMap<_, _>>()
        .into_iter()
        .map(|(path, title)| json!({"title": title, "url": link(&path)}))
        .collect();
    json!({
        "title": c.title,
        "description": c.description.clone().unwrap_or_default(),
        "base_url": c.base_url,
        "base_path": c.base_path(),
        "language": c.language.code(),
        "timezone": c.timezone_name,
        "organization": {
            "name": c.organization.name,
            "url": c.organization.url,
            "logo": c.organization.logo.as_ref().map(|l| if l.starts_with("http") { l.clone() } else { asset(l) }),
        },
        "analytics": c.analytics,
        "year": site.now.year(),
        "nav": nav,
        "footer_pages": footer_pages,
        "home_url": link("/"),
        "feed_url": link("/feed.xml"),
        "json_feed_url": link("/feed.json"),
        "has_events": site.of_kind(crate::model::Kind::Event).next().is_some(),
        "search_url": link("/search/"),
        "calendar_url": link("/events/calendar.ics"),
        "css_url": asset("/css/style.css"),
        "lang_base": format!("{}{}", c.base_path(), c.lang_prefix),
        "tags_url": link("/tags/"),
        "members_enabled": c.members.is_some(),
        "icons": icons(c),
        "hero": c.hero.as_ref().map(|h| hero(c, h)),
    })
}

/// `site.hero`: the home page's key visual and message, its links as the
/// page needs them (a site path of the CTA in the page's language tree).
fn hero(c: &crate::config::Config, h: &crate::config::Hero) -> Value {
    let image = h.image.as_ref().map(|a| match a.static_name() {
        Some(_) => encode_path(&c.asset_path(&a.value)),
        None => a.value.clone(),
    });
    let cta = h.cta.as_ref().map(|(label, url)| {
        let href = if crate::core::url::is_web_url(url) {
            url.clone()
        } else {
            // `/join/#登録方法`: the path encoded, the query or fragment kept.
            let (path, rest) = url.split_at(url.find(['?', '#']).unwrap_or(url.len()));
            format!("{}{rest}", encode_path(&c.site_path(path)))
        };
        json!({"label": label, "url": href})
    });
    json!({"image": image, "heading": h.heading, "text": h.text, "cta": cta})
}

/// The `<link rel="icon">`s: the organisation's (`site.yaml` `favicon`) or
/// the theme's, whose `favicon.ico` at the root also answers browsers'
/// default request.
fn icons(c: &crate::config::Config) -> Vec<Value> {
    let link = |p: &str| encode_path(&c.asset_path(p));
    match &c.favicon {
        Some(a) => {
            let href = match a.static_name() {
                Some(_) => link(&a.value),
                None => a.value.clone(),
            };
            let ty = match a.extension().as_str() {
                "svg" => "image/svg+xml",
                "png" => "image/png",
                _ => "image/x-icon",
            };
            vec![json!({"rel": "icon", "href": href, "type": ty})]
        }
        None => vec![
            json!({"rel": "icon", "href": link("/favicon.ico"), "sizes": "32x32"}),
            json!({"rel": "icon", "href": link("/favicon.svg"), "type": "image/svg+xml"}),
            json!({"rel": "apple-touch-icon", "href": link("/apple-touch-icon.png")}),
        ],
    }
}

/// The share image of a page without its own `image:`: `site.yaml`'s
/// `og_image`, else the theme's generic card (`images/share-card.png`).
pub fn default_og_image(c: &crate::config::Config) -> String {
    match &c.og_image {
        Some(a) if a.static_name().is_none() => a.value.clone(),
        Some(a) => c.asset_url(&encode_path(&a.value)),
        None => c.asset_url(&encode_path(DEFAULT_SHARE_CARD)),
    }
}

/// A page's versions in other languages: the `hreflang` alternates (each
/// language's version, then `x-default`, the main language's) and the
/// language switch (the other languages' versions). A content page without
/// a translation has no alternates; its switch offers the original, or from
/// the main language the other languages' home pages. Generated pages
/// (home, lists, search, directory) exist in every language at the same
/// path; a tag page or a page of a list offers the tags or the list.
fn language_links(
    site: &Site,
    hp: &HtmlPage,
    strings: &std::collections::BTreeMap<String, String>,
) -> (Vec<Value>, Vec<Value>) {
    use crate::core::lang::Language;
    let c = &site.config;
    let label = |l: Language| {
        strings
            .get(&format!("language_{}", l.code()))
            .cloned()
            .unwrap_or_else(|| l.code().to_string())
    };
    let prefix = |l: Language| {
        if l == c.main_language {
            String::new()
        } else {
            format!("/{}", l.code())
        }
    };
    let all: Vec<Language> = std::iter::once(c.main_language)
        .chain(c.languages.iter().map(|l| l.lang))
        .collect();
    let full = format!("{}{}", c.lang_prefix, hp.path);
    let is_content = matches!(
        hp.template.as_str(),
        "interview.html" | "news.html" | "job.html" | "event.html" | "page.html"
    );
    let versions: Vec<(Language, String, bool)> = if let Some(g) = site.lang_links.groups.get(&full)
    {
        g.iter().map(|(l, p)| (*l, p.clone(), true)).collect()
    } else if is_content {
        // Untranslated: the original, or the other languages' homes.
        all.iter()
            .map(|l| {
                let p = if *l == c.language {
                    full.clone()
                } else if *l == c.main_language {
                    hp.path.clone()
                } else {
                    format!("{}/", prefix(*l))
                };
                (*l, p, false)
            })
            .collect()
    } else {
        // Tag pages and later pages of a list differ between languages.
        let (same, path) = if hp.path.starts_with("/tags/") {
            (hp.path == "/tags/", "/tags/".to_string())
        } else if let Some(i) = hp.path.find("/page/") {
            (false, hp.path[..=i].to_string())
        } else {
            (true, hp.path.clone())
        };
        all.iter()
            .map(|l| (*l, format!("{}{path}", prefix(*l)), same))
            .collect()
    };
    let abs = |p: &str| c.asset_url(&encode_path(p));
    let mut alternates: Vec<Value> = Vec::new();
    if versions.iter().all(|v| v.2) {
        alternates = versions
            .iter()
            .map(|(l, p, _)| json!({"code": l.code(), "href": abs(p)}))
            .collect();
        if let Some((_, p, _)) = versions.iter().find(|v| v.0 == c.main_language) {
            alternates.push(json!({"code": "x-default", "href": abs(p)}));
        }
    }
    let switch = versions
        .iter()
        .filter(|(l, _, _)| *l != c.language)
        .map(|(l, p, _)| {
            json!({"code": l.code(), "label": label(*l), "href": encode_path(&c.asset_path(p))})
        })
        .collect();
    (alternates, switch)
}

/// The theme's share card, 1200×630 (the size OpenGraph previews use).
pub const DEFAULT_SHARE_CARD: &str = "/images/share-card.png";

/// Set the globals once per build.
pub fn prepare(theme: &mut Theme, site: &Site) {
    let site_v = site_value(site, &theme.strings);
    let strings = theme.strings.clone();
    photos::register(&mut theme.tera, site);
    let g = theme.tera.global_context();
    g.insert("site", &site_v);
    g.insert("t", &strings);
}

/// A template map built directly, its keys written in the code: the card
/// and page views are made once per page, and building them as serde_json
/// first and then converting them key by key did the work twice.
#[derive(Default)]
pub struct Obj(tera::Map);

impl Obj {
    /// Set `key` (a value of `None` is the template's `none`, as JSON null).
    pub fn set(&mut self, key: &'static str, v: impl Into<tera::Value>) -> &mut Self {
        self.0.insert(tera::value::Key::Str(key), v.into());
        self
    }

    pub fn build(&mut self) -> tera::Value {
        std::mem::take(&mut self.0).into()
    }
}

/// An integer as the views had it when they went through JSON: unsigned
/// when it can be.
pub fn int(i: i64) -> tera::Value {
    u64::try_from(i).map_or_else(|_| i.into(), Into::into)
}

/// A template value as JSON (digest items, the home page's variables).
pub fn json_value(v: &tera::Value) -> Value {
    serde_json::to_value(v).unwrap_or_default()
}

/// Room for a typical rendered page (most are 5–35 KB), so that the
/// buffer grows at most once or twice.
const PAGE_CAPACITY: usize = 16 * 1024;

/// Render one page.
pub fn render_page(
    theme: &Theme,
    site: &Site,
    hp: &HtmlPage,
) -> Result<OutputFile, crate::core::diag::Diagnostic> {
    let c = &site.config;
    let mut ctx = tera::Context::new();
    let page_path = encode_path(&c.site_path(&hp.path));
    ctx.insert("page_path", &page_path);
    ctx.insert(
        "section",
        &hp.path
            .trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or(""),
    );
    ctx.insert("canonical", &c.abs_url(&encode_path(&hp.path)));
    ctx.insert("page_title", &hp.title);
    ctx.insert("description", &hp.description);
    ctx.insert("noindex", &hp.noindex);
    ctx.insert("og_type", "website");
    ctx.insert("og_image", &default_og_image(c));
    ctx.insert("jsonld", &Value::Null);
    let (alternates, switch) = if c.languages.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        language_links(site, hp, &theme.strings)
    };
    ctx.insert("alternates", &alternates);
    ctx.insert("lang_switch", &switch);
    for (k, v) in &hp.values {
        ctx.insert_value(*k, v.clone());
    }
    if let Value::Object(map) = &hp.vars {
        for (k, v) in map {
            ctx.insert(k.clone(), v);
        }
    }
    // Into bytes directly: `Tera::render` would check the whole page for
    // valid UTF-8 again to return a `String`.
    let mut html = Vec::with_capacity(PAGE_CAPACITY);
    theme
        .tera
        .render_to(&hp.template, &ctx, &mut html)
        .map_err(|e| {
            tera_diagnostic(
                &e,
                &theme.origins,
                &format!(" (while rendering {})", hp.path),
            )
        })?;
    Ok(OutputFile::new(output_path(&hp.path), html))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths() {
        assert_eq!(output_path("/"), "index.html");
        assert_eq!(output_path("/news/page/2/"), "news/page/2/index.html");
        assert_eq!(output_path("/404.html"), "404.html");
    }
}
