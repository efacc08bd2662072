//! schema.org JSON-LD of jobs, events and articles built from hand-made pages.

mod testmodel;

use enishi::model::*;
use enishi::outputs::jsonld::{article, event, for_page, job_posting, organization};
use serde_json::{json, Value};
use testmodel::*;

fn open_job(remote: Option<Remote>) -> Page {
    let mut meta = job_meta(JobKind::Comeback);
    meta.department = Some("プロダクト開発部".into());
    meta.location = Some("東京都渋谷区".into());
    meta.remote = remote;
    meta.employment = Some("FULL_TIME".into());
    meta.salary = Some(Salary {
        min: Some(6_000_000.0),
        max: Some(9_000_000.0),
        currency: "JPY".into(),
        unit: "YEAR".into(),
    });
    meta.apply = Some("https://example.co.jp/careers/apply?job=backend".into());
    meta.closes = Some(jiff::civil::date(2026, 10, 31));
    meta.closes_in_days = Some(60);
    let mut p = job_page(
        "backend-comeback",
        "バックエンドエンジニア(カムバック採用)",
        meta,
    );
    let c = config();
    p.date = Some(at(&c, "2026-09-01T00:00"));
    p.content_html = "<p>出戻り歓迎。<strong>Rust</strong> の経験者。</p>".into();
    p.summary = "出戻り歓迎。".into();
    p
}

#[test]
fn open_onsite_job_posting() {
    let c = config();
    let v = job_posting(&open_job(Some(Remote::Onsite)), &c)
        .unwrap_or_else(|| panic!("open job has JobPosting"));
    assert_eq!(v["@context"], "https://schema.org");
    assert_eq!(v["@type"], "JobPosting");
    assert_eq!(v["title"], "バックエンドエンジニア(カムバック採用)");
    assert_eq!(
        v["description"],
        "<p>出戻り歓迎。<strong>Rust</strong> の経験者。</p>"
    );
    assert_eq!(v["datePosted"], "2026-09-01T00:00:00+09:00");
    assert_eq!(v["validThrough"], "2026-10-31T23:59:59+09:00");
    assert_eq!(v["employmentType"], "FULL_TIME");
    assert_eq!(
        v["hiringOrganization"],
        json!({
            "@type": "Organization",
            "name": "株式会社サンプル",
            "sameAs": "https://example.co.jp",
            "logo": "https://alumni.example.co.jp/images/logo.png"
        })
    );
    assert_eq!(
        v["jobLocation"],
        json!({
            "@type": "Place",
            "address": { "@type": "PostalAddress", "addressLocality": "東京都渋谷区", "addressCountry": "JP" }
        })
    );
    assert!(v.get("jobLocationType").is_none());
    assert!(v.get("applicantLocationRequirements").is_none());
    assert_eq!(
        v["baseSalary"],
        json!({
            "@type": "MonetaryAmount",
            "currency": "JPY",
            "value": { "@type": "QuantitativeValue", "minValue": 6000000, "maxValue": 9000000, "unitText": "YEAR" }
        })
    );
    assert_eq!(
        v["identifier"],
        json!({ "@type": "PropertyValue", "name": "株式会社サンプル", "value": "backend-comeback" })
    );
    assert_eq!(v["directApply"], true, "own-domain application form");
    assert_eq!(
        v["url"],
        "https://alumni.example.co.jp/jobs/backend-comeback/"
    );
}

#[test]
fn remote_job_is_telecommute_in_japan() {
    let c = config();
    let mut page = open_job(Some(Remote::Remote));
    if let KindMeta::Job(j) = &mut page.meta {
        j.apply = Some("mailto:hr@example.co.jp".into());
        j.employment = None;
        j.kind = JobKind::SideJob;
        j.salary = Some(Salary {
            min: Some(3000.0),
            max: None,
            currency: String::new(),
            unit: "hour".into(),
        });
    }
    let v = for_page(&page, &c).unwrap_or_else(|| panic!("open job has JobPosting"));
    assert_eq!(v["jobLocationType"], "TELECOMMUTE");
    assert_eq!(
        v["applicantLocationRequirements"],
        json!({ "@type": "Country", "name": "JP" })
    );
    assert!(
        v.get("jobLocation").is_none(),
        "fully remote: no office location"
    );
    assert_eq!(
        v["employmentType"], "PART_TIME",
        "side job implies part time"
    );
    assert_eq!(v["directApply"], false, "mailto is not one-click");
    assert_eq!(
        v["baseSalary"]["value"],
        json!({ "@type": "QuantitativeValue", "value": 3000, "unitText": "HOUR" })
    );
    assert_eq!(v["baseSalary"]["currency"], "JPY");
}

#[test]
fn hybrid_job_is_not_telecommute_and_carries_its_office() {
    // Google reserves TELECOMMUTE for fully remote jobs (issue 18).
    let c = config();
    let v = job_posting(&open_job(Some(Remote::Hybrid)), &c).unwrap_or_else(|| panic!("open"));
    assert!(v.get("jobLocationType").is_none(), "{v}");
    assert!(v.get("applicantLocationRequirements").is_none(), "{v}");
    assert_eq!(
        v["jobLocation"]["address"]["addressLocality"],
        "東京都渋谷区"
    );
}

#[test]
fn closed_job_has_no_job_posting() {
    let c = config();
    let mut page = open_job(Some(Remote::Onsite));
    if let KindMeta::Job(j) = &mut page.meta {
        j.closed = true;
        j.closes_in_days = None;
    }
    assert_eq!(job_posting(&page, &c), None);
    assert_eq!(for_page(&page, &c), None);
}

#[test]
fn third_party_apply_link_is_not_direct() {
    let c = config();
    let mut page = open_job(None);
    if let KindMeta::Job(j) = &mut page.meta {
        j.apply = Some("https://example.co.jp.jobs-board.example/apply".into());
        j.closes = None;
        j.salary = None;
    }
    let v = job_posting(&page, &c).unwrap_or_else(|| panic!("open"));
    assert_eq!(v["directApply"], false);
    assert!(v.get("validThrough").is_none());
    assert!(v.get("baseSalary").is_none());
}

fn venue_event(status: EventStatus) -> Page {
    let c = config();
    let mut meta = event_meta(at(&c, "2026-10-20T19:00"), Some(at(&c, "2026-10-20T21:30")));
    meta.venue = venue("サンプル本社 20F", "東京都千代田区丸の内1-1-1");
    meta.register = Some("https://example.co.jp/register/reunion".into());
    meta.capacity = Some(80);
    meta.status = status;
    let mut p = event_page("2026-autumn-reunion", "秋のアルムナイ交流会", meta);
    p.summary = "年に一度の交流会です。".into();
    p.date = Some(at(&c, "2026-08-01T00:00"));
    p.image = Some("/images/events/reunion.jpg".into());
    p
}

#[test]
fn venue_event_json_ld() {
    let c = config();
    let v = event(&venue_event(EventStatus::Scheduled), &c).unwrap_or_else(|| panic!("event"));
    assert_eq!(v["@type"], "Event");
    assert_eq!(v["name"], "秋のアルムナイ交流会");
    assert_eq!(v["description"], "年に一度の交流会です。");
    assert_eq!(v["startDate"], "2026-10-20T19:00:00+09:00");
    assert_eq!(v["endDate"], "2026-10-20T21:30:00+09:00");
    assert_eq!(
        v["eventAttendanceMode"],
        "https://schema.org/OfflineEventAttendanceMode"
    );
    assert_eq!(v["eventStatus"], "https://schema.org/EventScheduled");
    assert_eq!(
        v["location"],
        json!({
            "@type": "Place",
            "name": "サンプル本社 20F",
            "address": { "@type": "PostalAddress", "streetAddress": "東京都千代田区丸の内1-1-1", "addressCountry": "JP" }
        })
    );
    assert_eq!(
        v["organizer"],
        json!({ "@type": "Organization", "name": "株式会社サンプル", "url": "https://example.co.jp" })
    );
    assert_eq!(v["offers"]["@type"], "Offer");
    assert_eq!(v["offers"]["url"], "https://example.co.jp/register/reunion");
    assert_eq!(v["offers"]["price"], 0);
    assert_eq!(v["offers"]["priceCurrency"], "JPY");
    assert_eq!(v["offers"]["availability"], "https://schema.org/InStock");
    assert_eq!(v["maximumAttendeeCapacity"], 80);
    assert_eq!(
        v["url"],
        "https://alumni.example.co.jp/events/2026-autumn-reunion/"
    );
    assert_eq!(
        v["image"],
        "https://alumni.example.co.jp/images/events/reunion.jpg"
    );
}

#[test]
fn cancelled_and_postponed_events() {
    let c = config();
    let v = for_page(&venue_event(EventStatus::Cancelled), &c).unwrap_or_else(|| panic!("event"));
    assert_eq!(v["eventStatus"], "https://schema.org/EventCancelled");
    assert_eq!(
        v["offers"]["availability"],
        "https://schema.org/Discontinued"
    );
    let v = for_page(&venue_event(EventStatus::Postponed), &c).unwrap_or_else(|| panic!("event"));
    assert_eq!(v["eventStatus"], "https://schema.org/EventPostponed");
}

#[test]
fn online_and_mixed_events() {
    let c = config();
    let mut meta = event_meta(at(&c, "2026-09-15T12:00"), None);
    meta.online = Some("https://meet.example.com/abc".into());
    let online = event_page("lunch", "ランチ勉強会", meta);
    let v = event(&online, &c).unwrap_or_else(|| panic!("event"));
    assert_eq!(
        v["eventAttendanceMode"],
        "https://schema.org/OnlineEventAttendanceMode"
    );
    assert_eq!(
        v["location"],
        json!({ "@type": "VirtualLocation", "url": "https://meet.example.com/abc" })
    );
    assert!(v.get("endDate").is_none());
    assert!(v.get("offers").is_none(), "no registration link");
    assert_eq!(v["url"], "https://alumni.example.co.jp/events/lunch/");

    let mut mixed = venue_event(EventStatus::Scheduled);
    if let KindMeta::Event(e) = &mut mixed.meta {
        e.online = Some("https://meet.example.com/live".into());
    }
    let v = event(&mixed, &c).unwrap_or_else(|| panic!("event"));
    assert_eq!(
        v["eventAttendanceMode"],
        "https://schema.org/MixedEventAttendanceMode"
    );
    let locs = v["location"].as_array().cloned().unwrap_or_default();
    let types: Vec<&str> = locs.iter().filter_map(|l| l["@type"].as_str()).collect();
    assert_eq!(types, ["Place", "VirtualLocation"]);
}

#[test]
fn all_day_event_uses_dates() {
    let c = config();
    let mut meta = event_meta(at(&c, "2026-11-03T00:00"), Some(at(&c, "2026-11-04T00:00")));
    meta.all_day = true;
    let v = event(&event_page("fes", "祭り", meta), &c).unwrap_or_else(|| panic!("event"));
    assert_eq!(v["startDate"], "2026-11-03");
    assert_eq!(v["endDate"], "2026-11-04");
}

#[test]
fn interview_article_is_about_the_person() {
    let c = config();
    let person = Person {
        name: "田中 花子".into(),
        name_en: Some("Hanako Tanaka".into()),
        now_company: Some("株式会社ミライ".into()),
        now_role: Some("CTO".into()),
        ..Person::default()
    };
    let mut p = page(
        Kind::Interview,
        "tanaka",
        "福岡でSaaSをつくる",
        KindMeta::Interview(InterviewMeta {
            person: Some(person),
            roster_id: None,
            quote: None,
        }),
    );
    p.date = Some(at(&c, "2026-04-10T09:00"));
    p.summary = "元営業企画の田中さんに聞きました。".into();
    p.image = Some("/images/interviews/tanaka.jpg".into());
    p.tags = vec!["起業".into(), "福岡".into()];
    let v = for_page(&p, &c).unwrap_or_else(|| panic!("article"));
    assert_eq!(v["@type"], "Article");
    assert_eq!(v["headline"], "福岡でSaaSをつくる");
    assert_eq!(v["datePublished"], "2026-04-10T09:00:00+09:00");
    assert_eq!(v["author"]["@type"], "Organization");
    assert_eq!(v["author"]["name"], "株式会社サンプル");
    assert_eq!(
        v["publisher"]["logo"],
        "https://alumni.example.co.jp/images/logo.png"
    );
    assert_eq!(
        v["about"],
        json!({
            "@type": "Person",
            "name": "田中 花子",
            "alternateName": "Hanako Tanaka",
            "jobTitle": "CTO",
            "worksFor": { "@type": "Organization", "name": "株式会社ミライ" },
            "alumniOf": { "@type": "Organization", "name": "株式会社サンプル" }
        })
    );
    assert_eq!(
        v["image"],
        "https://alumni.example.co.jp/images/interviews/tanaka.jpg"
    );
    assert_eq!(
        v["mainEntityOfPage"],
        json!({ "@type": "WebPage", "@id": "https://alumni.example.co.jp/interviews/tanaka/" })
    );
    assert_eq!(v["keywords"], "起業, 福岡");
}

#[test]
fn news_article_has_no_person_and_pages_have_nothing() {
    let c = config();
    let mut news = page(
        Kind::News,
        "お知らせ",
        "新オフィスのお知らせ",
        KindMeta::News,
    );
    news.date = Some(at(&c, "2026-05-01T00:00"));
    let v = article(&news, &c).unwrap_or_else(|| panic!("article"));
    assert!(v.get("about").is_none());
    assert!(v.get("image").is_none());
    assert_eq!(
        v["url"],
        "https://alumni.example.co.jp/news/%E3%81%8A%E7%9F%A5%E3%82%89%E3%81%9B/"
    );
    let about = page(Kind::Page, "about", "About", KindMeta::Page);
    assert_eq!(for_page(&about, &c), None);
    let mut draft = news.clone();
    draft.draft = true;
    assert_eq!(for_page(&draft, &c), None);
}

#[test]
fn organization_falls_back_to_site() {
    let yaml = "title: Alumni\nbase_url: https://a.example/portal\n";
    let c = enishi::config::parse(yaml, std::path::Path::new("site.yaml"), None)
        .unwrap_or_else(|e| panic!("{e:?}"));
    let v = organization(&c);
    assert_eq!(
        v,
        json!({ "@context": "https://schema.org", "@type": "Organization", "name": "Alumni", "url": "https://a.example/portal/" })
    );
}

#[test]
fn script_embedding_is_safe() {
    let c = config();
    let mut p = venue_event(EventStatus::Scheduled);
    p.title = "</script><script>alert(1)</script>".into();
    let v: Value = for_page(&p, &c).unwrap_or_else(|| panic!("event"));
    let s = enishi::core::escape::json_for_script(&v);
    assert!(!s.contains("</script"));
    let back: Value = serde_json::from_str(&s).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back["name"], "</script><script>alert(1)</script>");
}

#[test]
fn mailto_registration_is_not_an_offer() {
    let c = config();
    let mut p = venue_event(EventStatus::Scheduled);
    if let KindMeta::Event(e) = &mut p.meta {
        e.register = Some("mailto:alumni@example.co.jp".into());
    }
    let v = event(&p, &c).unwrap_or_else(|| panic!("event"));
    assert!(v.get("offers").is_none());
}
