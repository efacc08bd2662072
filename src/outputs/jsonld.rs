//! schema.org structured data as JSON-LD values. The core embeds them with
//! [`crate::core::escape::json_for_script`] in `<script type="application/ld+json">`,
//! which makes any string safe inside the script element; here values are
//! plain text (or HTML where schema.org expects HTML, as in
//! `JobPosting.description`).
//!
//! Choices worth knowing:
//!
//! - Closed jobs get no JobPosting (Google's job search penalises expired
//!   postings); [`for_page`] returns `None` for them.
//! - `validThrough` is the last second of the `closes` day in the site zone,
//!   with its offset (`2026-10-31T23:59:59+09:00`).
//! - `directApply` is `true` only when `apply` is an http(s) URL on the
//!   organisation's own host or the portal's host (or a subdomain of either):
//!   the company's own application form. A third-party job board or ATS link
//!   and a `mailto:` are `false`, because we cannot tell whether they apply in
//!   one step, and a wrong `true` misleads job seekers.
//! - Addresses are free text in front matter; `addressCountry` is `JP`
//!   (the portals are Japanese), the text goes to `addressLocality` (jobs) or
//!   `streetAddress` (event venues).
//! - Events get `offers` (free, JPY) only with an http(s) `register` link;
//!   `url` (the event page) is always present.

use serde_json::{json, Map, Value};

use crate::config::Config;
use crate::core::{escape, lang, text};
use crate::model::{EventMeta, EventStatus, JobKind, JobMeta, Kind, Page, Remote};

const CONTEXT: &str = "https://schema.org";
const COUNTRY: &str = "JP";

/// Structured data for a page by its kind: JobPosting (open jobs only), Event,
/// Article (interviews and news); `None` for free pages, closed jobs and drafts.
pub fn for_page(page: &Page, config: &Config) -> Option<Value> {
    let mut v = match page.kind {
        Kind::Job => job_posting(page, config),
        Kind::Event => event(page, config),
        Kind::Interview | Kind::News => article(page, config),
        Kind::Page => None,
    }?;
    // A portal of several languages says which one each page is in.
    if !config.languages.is_empty() {
        if let Value::Object(m) = &mut v {
            let lang = page.lang.unwrap_or(config.main_language);
            m.insert("inLanguage".into(), lang.code().into());
        }
    }
    Some(v)
}

/// The organisation, for the home page: name, url, logo.
pub fn organization(config: &Config) -> Value {
    let mut v = org(config);
    v.insert("@context".into(), CONTEXT.into());
    Value::Object(v)
}

/// JobPosting as Google's job search accepts it; `None` for closed jobs (and
/// for pages that are not jobs, or drafts).
pub fn job_posting(page: &Page, config: &Config) -> Option<Value> {
    let job = page.job()?;
    if job.closed || page.draft {
        return None;
    }
    let mut v = Map::new();
    v.insert("@context".into(), CONTEXT.into());
    v.insert("@type".into(), "JobPosting".into());
    v.insert("title".into(), page.title.clone().into());
    v.insert("description".into(), html_description(page).into());
    if let Some(d) = &page.date {
        v.insert("datePosted".into(), lang::rfc3339(d).into());
    }
    if let Some(closes) = job.closes {
        if let Ok(end) = closes.at(23, 59, 59, 0).to_zoned(config.timezone.clone()) {
            v.insert("validThrough".into(), lang::rfc3339(&end).into());
        }
    }
    if let Some(t) = employment_type(job) {
        v.insert("employmentType".into(), t.into());
    }
    let mut hiring = Map::new();
    hiring.insert("@type".into(), "Organization".into());
    hiring.insert("name".into(), org_name(config).into());
    if let Some(url) = org_url(config) {
        hiring.insert("sameAs".into(), url.into());
    }
    if let Some(logo) = org_logo(config) {
        hiring.insert("logo".into(), logo.into());
    }
    v.insert("hiringOrganization".into(), Value::Object(hiring));

    let remote = job.remote;
    if remote != Some(Remote::Remote) {
        let mut addr = Map::new();
        addr.insert("@type".into(), "PostalAddress".into());
        if let Some(loc) = nonempty(job.location.as_deref()) {
            addr.insert("addressLocality".into(), loc.into());
        }
        addr.insert("addressCountry".into(), COUNTRY.into());
        v.insert(
            "jobLocation".into(),
            json!({ "@type": "Place", "address": Value::Object(addr) }),
        );
    }
    // Google reserves TELECOMMUTE for fully remote jobs: a hybrid job carries
    // its office location only.
    if remote == Some(Remote::Remote) {
        v.insert("jobLocationType".into(), "TELECOMMUTE".into());
        v.insert(
            "applicantLocationRequirements".into(),
            json!({ "@type": "Country", "name": COUNTRY }),
        );
    }
    if let Some(salary) = &job.salary {
        let mut q = Map::new();
        q.insert("@type".into(), "QuantitativeValue".into());
        match (salary.min.and_then(number), salary.max.and_then(number)) {
            (Some(min), Some(max)) => {
                q.insert("minValue".into(), min);
                q.insert("maxValue".into(), max);
            }
            (Some(one), None) | (None, Some(one)) => {
                q.insert("value".into(), one);
            }
            (None, None) => {}
        }
        if q.len() > 1 {
            q.insert("unitText".into(), salary.unit.to_uppercase().into());
            let currency = if salary.currency.trim().is_empty() {
                "JPY".to_string()
            } else {
                salary.currency.trim().to_uppercase()
            };
            v.insert(
                "baseSalary".into(),
                json!({ "@type": "MonetaryAmount", "currency": currency, "value": Value::Object(q) }),
            );
        }
    }
    v.insert(
        "identifier".into(),
        json!({ "@type": "PropertyValue", "name": org_name(config), "value": page.slug }),
    );
    v.insert(
        "directApply".into(),
        direct_apply(job.apply.as_deref(), config).into(),
    );
    v.insert("url".into(), page_url(page, config).into());
    if let Some(img) = image_url(config, page) {
        v.insert("image".into(), img.into());
    }
    Some(Value::Object(v))
}

/// Event: dates with offset, attendance mode, status, location(s), organizer,
/// offers (registration) and url.
pub fn event(page: &Page, config: &Config) -> Option<Value> {
    let ev = page.event()?;
    if page.draft {
        return None;
    }
    let mut v = Map::new();
    v.insert("@context".into(), CONTEXT.into());
    v.insert("@type".into(), "Event".into());
    v.insert("name".into(), page.title.clone().into());
    if let Some(d) = description_text(page) {
        v.insert("description".into(), d.into());
    }
    let (start, end) = event_dates(ev);
    v.insert("startDate".into(), start.into());
    if let Some(end) = end {
        v.insert("endDate".into(), end.into());
    }
    let venue = venue_place(ev);
    let online = nonempty(ev.online.as_deref());
    let mode = match (&venue, online) {
        (Some(_), Some(_)) => "MixedEventAttendanceMode",
        (None, Some(_)) => "OnlineEventAttendanceMode",
        _ => "OfflineEventAttendanceMode",
    };
    v.insert(
        "eventAttendanceMode".into(),
        format!("{CONTEXT}/{mode}").into(),
    );
    let status = match ev.status {
        EventStatus::Scheduled => "EventScheduled",
        EventStatus::Cancelled => "EventCancelled",
        EventStatus::Postponed => "EventPostponed",
    };
    v.insert("eventStatus".into(), format!("{CONTEXT}/{status}").into());
    let mut locations = Vec::new();
    if let Some(p) = venue {
        locations.push(p);
    }
    if let Some(url) = online {
        locations.push(json!({ "@type": "VirtualLocation", "url": url }));
    }
    match locations.len() {
        0 => {}
        1 => {
            v.insert("location".into(), locations.remove(0));
        }
        _ => {
            v.insert("location".into(), Value::Array(locations));
        }
    }
    let mut organizer = Map::new();
    organizer.insert("@type".into(), "Organization".into());
    organizer.insert("name".into(), org_name(config).into());
    organizer.insert(
        "url".into(),
        org_url(config).unwrap_or_else(|| home_url(config)).into(),
    );
    v.insert("organizer".into(), Value::Object(organizer));
    // `register` may also be a mailto: address; an Offer needs a web page.
    if let Some(register) = nonempty(ev.register.as_deref()).filter(|r| url_host(r).is_some()) {
        let availability = match ev.status {
            EventStatus::Cancelled => "Discontinued",
            _ if ev.past => "Discontinued",
            _ => "InStock",
        };
        let mut offer = Map::new();
        offer.insert("@type".into(), "Offer".into());
        offer.insert("url".into(), register.into());
        offer.insert("price".into(), 0.into());
        offer.insert("priceCurrency".into(), "JPY".into());
        offer.insert(
            "availability".into(),
            format!("{CONTEXT}/{availability}").into(),
        );
        if let Some(d) = &page.date {
            offer.insert("validFrom".into(), lang::rfc3339(d).into());
        }
        v.insert("offers".into(), Value::Object(offer));
    }
    if let Some(cap) = ev.capacity {
        v.insert("maximumAttendeeCapacity".into(), cap.into());
    }
    v.insert("url".into(), page_url(page, config).into());
    if let Some(img) = image_url(config, page) {
        v.insert("image".into(), img.into());
    }
    Some(Value::Object(v))
}

/// Article for interviews and news: headline, datePublished, author and
/// publisher (the organisation), `about` the interviewee, image,
/// mainEntityOfPage.
pub fn article(page: &Page, config: &Config) -> Option<Value> {
    if !matches!(page.kind, Kind::Interview | Kind::News) || page.draft {
        return None;
    }
    let url = page_url(page, config);
    let mut v = Map::new();
    v.insert("@context".into(), CONTEXT.into());
    v.insert("@type".into(), "Article".into());
    v.insert("headline".into(), page.title.clone().into());
    if let Some(d) = description_text(page) {
        v.insert("description".into(), d.into());
    }
    if let Some(d) = &page.date {
        v.insert("datePublished".into(), lang::rfc3339(d).into());
    }
    v.insert("inLanguage".into(), config.language.code().into());
    v.insert("author".into(), Value::Object(org(config)));
    v.insert("publisher".into(), Value::Object(org(config)));
    if let Some(person) = page.interview().and_then(|i| i.person.as_ref()) {
        if let Some(name) = nonempty(Some(&person.name)) {
            let mut p = Map::new();
            p.insert("@type".into(), "Person".into());
            p.insert("name".into(), name.into());
            if let Some(en) = nonempty(person.name_en.as_deref()) {
                p.insert("alternateName".into(), en.into());
            }
            if let Some(role) = nonempty(person.now_role.as_deref()) {
                p.insert("jobTitle".into(), role.into());
            }
            if let Some(company) = nonempty(person.now_company.as_deref()) {
                p.insert(
                    "worksFor".into(),
                    json!({ "@type": "Organization", "name": company }),
                );
            }
            p.insert(
                "alumniOf".into(),
                json!({ "@type": "Organization", "name": org_name(config) }),
            );
            v.insert("about".into(), Value::Object(p));
        }
    }
    if let Some(img) = image_url(config, page) {
        v.insert("image".into(), img.into());
    }
    if !page.tags.is_empty() {
        v.insert("keywords".into(), page.tags.join(", ").into());
    }
    v.insert(
        "mainEntityOfPage".into(),
        json!({ "@type": "WebPage", "@id": url }),
    );
    v.insert("url".into(), url.into());
    Some(Value::Object(v))
}

/// Organization object without `@context`.
fn org(config: &Config) -> Map<String, Value> {
    let mut v = Map::new();
    v.insert("@type".into(), "Organization".into());
    v.insert("name".into(), org_name(config).into());
    v.insert(
        "url".into(),
        org_url(config).unwrap_or_else(|| home_url(config)).into(),
    );
    if let Some(logo) = org_logo(config) {
        v.insert("logo".into(), logo.into());
    }
    v
}

fn org_name(config: &Config) -> String {
    nonempty(Some(&config.organization.name))
        .unwrap_or(&config.title)
        .to_string()
}

fn org_url(config: &Config) -> Option<String> {
    config
        .organization
        .url
        .as_deref()
        .and_then(|u| abs(config, u))
}

fn org_logo(config: &Config) -> Option<String> {
    config
        .organization
        .logo
        .as_deref()
        .and_then(|u| abs(config, u))
}

fn home_url(config: &Config) -> String {
    config.abs_url("/")
}

fn page_url(page: &Page, config: &Config) -> String {
    config.abs_url(&escape::encode_path(&page.path))
}

/// Absolute URL of a page's share image: the 1200x630 crop of its photo,
/// shared by every language; a remote `image:` as it is.
pub fn image_url(config: &Config, page: &Page) -> Option<String> {
    match &page.share_image {
        Some(s) => Some(config.asset_url(&escape::encode_path(&s.path))),
        // Remote, or a site path enishi does not process (SVG, GIF).
        None => match page.image.as_deref()? {
            i if crate::site::images::is_remote(i) => abs(config, i),
            i if i.starts_with('/') => Some(config.asset_url(&escape::encode_path(i))),
            _ => None,
        },
    }
}

/// Absolute URL for a value from config or front matter: http(s) URLs as
/// they are, site paths resolved against `base_url`; anything else (another
/// scheme, empty) is dropped.
pub fn abs(config: &Config, s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let lower = s.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return Some(s.to_string());
    }
    if s.contains(':') && !s.starts_with('/') {
        // e.g. `javascript:`; a relative path with a colon is not worth the risk.
        return None;
    }
    let path = if s.starts_with('/') {
        s.to_string()
    } else {
        format!("/{s}")
    };
    Some(config.abs_url(&escape::encode_path(&path)))
}

fn nonempty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

fn description_text(page: &Page) -> Option<String> {
    if let Some(s) = nonempty(Some(&page.summary)) {
        return Some(s.to_string());
    }
    nonempty(Some(&page.plain_text)).map(|t| text::truncate_chars(t, 300))
}

fn html_description(page: &Page) -> String {
    if !page.content_html.trim().is_empty() {
        return page.content_html.to_string();
    }
    match description_text(page) {
        Some(t) => format!("<p>{}</p>", escape::escape_html(&t)),
        None => format!("<p>{}</p>", escape::escape_html(&page.title)),
    }
}

/// `employment` as given; else what the job kind implies unambiguously.
fn employment_type(job: &JobMeta) -> Option<String> {
    if let Some(e) = nonempty(job.employment.as_deref()) {
        return Some(e.to_uppercase());
    }
    match job.kind {
        JobKind::FullTime => Some("FULL_TIME".into()),
        JobKind::Contract => Some("CONTRACTOR".into()),
        JobKind::SideJob => Some("PART_TIME".into()),
        JobKind::Comeback | JobKind::Referral => None,
    }
}

/// Integral amounts as JSON integers (`300000`, not `300000.0`).
fn number(x: f64) -> Option<Value> {
    if !x.is_finite() || x < 0.0 {
        return None;
    }
    if x.fract() == 0.0 && x < 9.0e15 {
        return Some((x as i64).into());
    }
    serde_json::Number::from_f64(x).map(Value::Number)
}

fn url_host(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host.split(':').next()?.trim_end_matches('.');
    (!host.is_empty()).then(|| host.to_string())
}

/// See the module docs: own-domain http(s) application forms only.
fn direct_apply(apply: Option<&str>, config: &Config) -> bool {
    let Some(host) = apply.and_then(url_host) else {
        return false;
    };
    let own: Vec<String> = [config.organization.url.as_deref(), Some(&config.base_url)]
        .into_iter()
        .flatten()
        .filter_map(url_host)
        .map(|h| h.strip_prefix("www.").unwrap_or(&h).to_string())
        .collect();
    own.iter()
        .any(|o| host == *o || host.ends_with(&format!(".{o}")))
}

fn event_dates(ev: &EventMeta) -> (String, Option<String>) {
    if ev.all_day {
        let start = ev.start.date();
        let end = ev.end.as_ref().map(|e| e.date().max(start));
        (
            start.to_string(),
            end.filter(|e| *e != start).map(|e| e.to_string()),
        )
    } else {
        (lang::rfc3339(&ev.start), ev.end.as_ref().map(lang::rfc3339))
    }
}

fn venue_place(ev: &EventMeta) -> Option<Value> {
    let venue = ev.venue.as_ref()?;
    let name = nonempty(venue.name.as_deref());
    let address = nonempty(venue.address.as_deref());
    if name.is_none() && address.is_none() {
        return None;
    }
    let mut place = Map::new();
    place.insert("@type".into(), "Place".into());
    place.insert("name".into(), name.or(address).unwrap_or_default().into());
    let mut addr = Map::new();
    addr.insert("@type".into(), "PostalAddress".into());
    if let Some(a) = address {
        addr.insert("streetAddress".into(), a.into());
    }
    addr.insert("addressCountry".into(), COUNTRY.into());
    place.insert("address".into(), Value::Object(addr));
    Some(Value::Object(place))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(org_url: &str) -> Config {
        let yaml = format!(
            "title: T\nbase_url: https://alumni.example.co.jp\norganization:\n  name: 株式会社サンプル\n  url: {org_url}\n  logo: /images/ロゴ.png\n"
        );
        match crate::config::parse(&yaml, std::path::Path::new("site.yaml"), None) {
            Ok(c) => c,
            Err(e) => panic!("{e:?}"),
        }
    }

    #[test]
    fn direct_apply_rule() {
        let c = config("https://www.example.co.jp");
        assert!(direct_apply(Some("https://example.co.jp/apply"), &c));
        assert!(direct_apply(
            Some("https://recruit.example.co.jp/form?id=1"),
            &c
        ));
        assert!(direct_apply(
            Some("https://alumni.example.co.jp/apply/"),
            &c
        ));
        assert!(!direct_apply(Some("mailto:hr@example.co.jp"), &c));
        assert!(!direct_apply(Some("https://jobs.example-ats.com/x"), &c));
        assert!(!direct_apply(Some("https://evil-example.co.jp/x"), &c));
        assert!(!direct_apply(Some("https://example.co.jp.evil.com/x"), &c));
        assert!(!direct_apply(None, &c));
    }

    #[test]
    fn absolute_urls() {
        let c = config("https://example.co.jp");
        assert_eq!(
            org_logo(&c).as_deref(),
            Some("https://alumni.example.co.jp/images/%E3%83%AD%E3%82%B4.png")
        );
        assert_eq!(
            abs(&c, "https://cdn.example/x.png").as_deref(),
            Some("https://cdn.example/x.png")
        );
        assert_eq!(abs(&c, "javascript:alert(1)"), None);
        assert_eq!(abs(&c, "  "), None);
        assert_eq!(
            abs(&c, "img/a.png").as_deref(),
            Some("https://alumni.example.co.jp/img/a.png")
        );
    }

    #[test]
    fn numbers_are_integers_when_integral() {
        assert_eq!(number(300000.0), Some(json!(300000)));
        assert_eq!(number(1500.5), Some(json!(1500.5)));
        assert_eq!(number(f64::NAN), None);
        assert_eq!(number(-1.0), None);
    }

    #[test]
    fn organization_for_home() {
        let c = config("https://example.co.jp");
        let v = organization(&c);
        assert_eq!(v["@context"], "https://schema.org");
        assert_eq!(v["@type"], "Organization");
        assert_eq!(v["name"], "株式会社サンプル");
        assert_eq!(v["url"], "https://example.co.jp");
        assert_eq!(
            v["logo"],
            "https://alumni.example.co.jp/images/%E3%83%AD%E3%82%B4.png"
        );
    }
}
