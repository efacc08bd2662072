//! Writes a miniature built site (HTML pages with embedded JSON-LD, every
//! `.ics` file) for trying `tests/ci/check_ics.py` and
//! `tests/ci/check_jsonld.py` before the full pipeline exists:
//!
//! ```sh
//! ENISHI_FIXTURE_OUT=/tmp/site cargo test --test ci_fixture -- --ignored
//! python3 tests/ci/check_ics.py /tmp/site && python3 tests/ci/check_jsonld.py /tmp/site
//! ```

mod testmodel;

use std::path::Path;

use enishi::model::*;
use enishi::outputs::calendar::{calendar_ics, event_ics};
use enishi::outputs::jsonld;
use testmodel::*;

fn html(title: &str, ld: Option<serde_json::Value>, article_attr: &str) -> String {
    let script = ld
        .map(|v| {
            format!(
                "<script type=\"application/ld+json\">{}</script>",
                enishi::core::escape::json_for_script(&v)
            )
        })
        .unwrap_or_default();
    format!(
        "<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>{}</title>{script}</head>\
         <body><main><article{article_attr}><h1>{}</h1></article></main></body></html>\n",
        enishi::core::escape::escape_html(title),
        enishi::core::escape::escape_html(title)
    )
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    }
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

#[test]
#[ignore = "writes a fixture site to $ENISHI_FIXTURE_OUT for the CI scripts"]
fn write_fixture_site() {
    let Ok(out) = std::env::var("ENISHI_FIXTURE_OUT") else {
        panic!("set ENISHI_FIXTURE_OUT to a directory");
    };
    let root = Path::new(&out);
    let c = config();
    let now = at(&c, "2026-09-01T09:00");

    write(
        root,
        "index.html",
        &html("ホーム", Some(jsonld::organization(&c)), ""),
    );

    let mut open = job_meta(JobKind::Comeback);
    open.location = Some("東京都渋谷区".into());
    open.remote = Some(Remote::Hybrid);
    open.closes = Some(jiff::civil::date(2026, 10, 31));
    open.apply = Some("https://example.co.jp/apply".into());
    open.salary = Some(Salary {
        min: Some(6e6),
        max: Some(9e6),
        currency: "JPY".into(),
        unit: "YEAR".into(),
    });
    let mut open = job_page("backend", "バックエンドエンジニア", open);
    open.date = Some(at(&c, "2026-08-20T00:00"));
    open.content_html = "<p>出戻り歓迎</p>".into();
    let mut closed = job_meta(JobKind::SideJob);
    closed.closes = Some(jiff::civil::date(2026, 8, 1));
    closed.closed = true;
    let mut closed = job_page("old-side-job", "終了した副業案件", closed);
    closed.date = Some(at(&c, "2026-07-01T00:00"));
    for (p, status) in [(&open, "open"), (&closed, "closed")] {
        let attr = format!(" data-job-status=\"{status}\"");
        write(
            root,
            &format!("{}index.html", &p.path[1..]),
            &html(&p.title, jsonld::for_page(p, &c), &attr),
        );
    }
    write(root, "jobs/index.html", &html("求人", None, ""));

    let mut reunion = event_meta(at(&c, "2026-10-20T19:00"), Some(at(&c, "2026-10-20T21:30")));
    reunion.venue = venue("本社 20F", "東京都千代田区丸の内1-1-1, 丸の内ビル");
    reunion.register = Some("https://example.co.jp/register".into());
    let mut reunion = event_page(
        "2026-autumn-reunion",
        "2026年 秋のアルムナイ交流会、東京・大阪同時開催, 懇親会あり; 参加費無料\n第二部はライトニングトーク",
        reunion,
    );
    reunion.summary = "年に一度の交流会です。".into();
    let mut online = event_meta(at(&c, "2026-09-15T12:00"), None);
    online.online = Some("https://meet.example.com/abc".into());
    let online = event_page("ランチ勉強会", "ランチ勉強会", online);
    let mut cancelled = event_meta(at(&c, "2026-10-01T18:00"), Some(at(&c, "2026-10-01T20:00")));
    cancelled.status = EventStatus::Cancelled;
    cancelled.venue = venue("福岡支社", "福岡県福岡市中央区天神3-3-3");
    let cancelled = event_page("fukuoka-pitch", "福岡ピッチナイト", cancelled);
    let mut all_day = event_meta(at(&c, "2026-11-03T00:00"), Some(at(&c, "2026-11-04T00:00")));
    all_day.all_day = true;
    all_day.venue = venue("大阪オフィス", "大阪府大阪市北区梅田2-2-2");
    let all_day = event_page("osaka-fes", "大阪アルムナイ祭り", all_day);
    let events = [&reunion, &online, &cancelled, &all_day];
    for p in events {
        write(
            root,
            &format!("{}index.html", &p.path[1..]),
            &html(&p.title, jsonld::for_page(p, &c), ""),
        );
        write(
            root,
            &format!("{}event.ics", &p.path[1..]),
            &event_ics(p, &c, &now, &Default::default()),
        );
    }
    write(
        root,
        "events/calendar.ics",
        &calendar_ics(&events, &c, &now, &Default::default()),
    );
    write(
        root,
        "events/archive/index.html",
        &html("過去のイベント", None, ""),
    );

    let person = Person {
        name: "田中 花子".into(),
        now_company: Some("株式会社ミライ".into()),
        now_role: Some("CTO".into()),
        ..Person::default()
    };
    let mut interview = page(
        Kind::Interview,
        "tanaka",
        "福岡でSaaSをつくる",
        KindMeta::Interview(InterviewMeta {
            person: Some(person),
            roster_id: None,
            quote: None,
        }),
    );
    interview.date = Some(at(&c, "2026-04-10T09:00"));
    interview.image = Some("/images/tanaka.jpg".into());
    let mut news = page(
        Kind::News,
        "new-office",
        "新オフィスのお知らせ",
        KindMeta::News,
    );
    news.date = Some(at(&c, "2026-05-01T00:00"));
    for p in [&interview, &news] {
        write(
            root,
            &format!("{}index.html", &p.path[1..]),
            &html(&p.title, jsonld::for_page(p, &c), ""),
        );
    }
    write(root, "about/index.html", &html("About", None, ""));
}
