//! Hand-built model values for tests of the output modules: a site config and
//! `Page`s of every kind, without going through content loading.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use enishi::config::Config;
use enishi::model::*;
use jiff::civil::DateTime;
use jiff::Zoned;

pub fn config_with(tz: &str, language: &str) -> Config {
    let yaml = format!(
        "title: 株式会社サンプル アルムナイ\n\
         base_url: https://alumni.example.co.jp/\n\
         description: 退職者と会社をつなぐポータル\n\
         language: {language}\n\
         timezone: {tz}\n\
         organization:\n  name: 株式会社サンプル\n  url: https://example.co.jp\n  logo: /images/logo.png\n"
    );
    match enishi::config::parse(&yaml, Path::new("site.yaml"), None) {
        Ok(c) => c,
        Err(e) => panic!("test config does not parse: {e:?}"),
    }
}

pub fn config() -> Config {
    config_with("Asia/Tokyo", "ja")
}

/// A civil date-time `2026-10-20T19:00` in the config's zone.
pub fn at(config: &Config, civil: &str) -> Zoned {
    let dt: DateTime = civil.parse().unwrap_or_else(|e| panic!("{civil}: {e}"));
    dt.to_zoned(config.timezone.clone())
        .unwrap_or_else(|e| panic!("{civil}: {e}"))
}

pub fn page(kind: Kind, slug: &str, title: &str, meta: KindMeta) -> Page {
    Page {
        kind,
        source: PathBuf::from(format!("content/{}/{slug}.md", kind.dir())),
        slug: slug.to_string(),
        path: if kind == Kind::Page {
            format!("/{slug}/")
        } else {
            format!("/{}/{slug}/", kind.dir())
        },
        title: title.to_string(),
        date: None,
        summary: String::new(),
        tags: Vec::new(),
        draft: false,
        image: None,
        image_alt: None,
        image_focus: Default::default(),
        share_image: None,
        aliases: Vec::new(),
        content_html: Default::default(),
        plain_text: Default::default(),
        headings: Vec::new(),
        meta,
        lang: None,
        original: None,
    }
}

pub fn event_meta(start: Zoned, end: Option<Zoned>) -> EventMeta {
    EventMeta {
        start,
        end,
        all_day: false,
        kind: EventKind::Reunion,
        venue: None,
        online: None,
        register: None,
        capacity: None,
        status: EventStatus::Scheduled,
        sequence: None,
        past: false,
    }
}

pub fn event_page(slug: &str, title: &str, meta: EventMeta) -> Page {
    page(Kind::Event, slug, title, KindMeta::Event(Box::new(meta)))
}

pub fn job_meta(kind: JobKind) -> JobMeta {
    JobMeta {
        kind,
        department: None,
        location: None,
        remote: None,
        employment: None,
        salary: None,
        apply: None,
        closes: None,
        closed: false,
        closes_in_days: None,
    }
}

pub fn job_page(slug: &str, title: &str, meta: JobMeta) -> Page {
    page(Kind::Job, slug, title, KindMeta::Job(meta))
}

pub fn venue(name: &str, address: &str) -> Option<Venue> {
    Some(Venue {
        name: Some(name.to_string()),
        address: Some(address.to_string()),
    })
}
