//! Builds a stand-alone search test site (index + search.js + a hand-written
//! search page) until the core pipeline produces real ones.
//!
//! ```text
//! cargo run --example search_site -- fixture OUT_DIR
//! cargo run --release --example search_site -- corpus CORPUS_DIR OUT_DIR [NOW]
//! ```
//! `fixture` uses the built-in documents below (tricky cases for the browser
//! test); `corpus` reads a `gen_corpus.py` site roughly the way the core will
//! (front matter title/date/tags, Markdown body as text, public roster fields),
//! for size and download measurements.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use enishi::search::{build_index, SearchDoc};

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (docs, out) = match args.first().map(String::as_str) {
        Some("fixture") if args.len() == 2 => (fixture_docs(), PathBuf::from(&args[1])),
        Some("corpus") if args.len() >= 3 => {
            let now = args.get(3).cloned().unwrap_or_else(|| "2026-11-01".into());
            match corpus_docs(Path::new(&args[1]), &now) {
                Ok(d) => (d, PathBuf::from(&args[2])),
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(1);
                }
            }
        }
        _ => {
            eprintln!("usage: search_site fixture OUT | search_site corpus CORPUS OUT [NOW]");
            return ExitCode::from(2);
        }
    };
    match write_site(&docs, &out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn write_site(docs: &[SearchDoc], out: &Path) -> std::io::Result<()> {
    let t = std::time::Instant::now();
    let files = build_index(docs);
    let took = t.elapsed();
    let mut bytes = 0;
    for f in &files {
        let p = out.join(&f.path);
        if let Some(dir) = p.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&p, &f.bytes)?;
        bytes += f.bytes.len();
    }
    let theme = Path::new(MANIFEST_DIR).join("themes/default/static/js/search.js");
    std::fs::create_dir_all(out.join("js"))?;
    std::fs::copy(theme, out.join("js/search.js"))?;
    let page = Path::new(MANIFEST_DIR).join("tests/fixtures/search/search/index.html");
    std::fs::copy(page, out.join("search/index.html"))?;
    eprintln!(
        "{} docs, {} index files, {} bytes, built in {:.2?}",
        docs.len(),
        files.len(),
        bytes,
        took
    );
    Ok(())
}

fn d(
    url: &str,
    kind: &str,
    date: Option<&str>,
    title: &str,
    tags: &[&str],
    body: &str,
) -> SearchDoc {
    SearchDoc {
        url: url.into(),
        title: title.into(),
        kind: kind.into(),
        date: date.map(str::to_string),
        date_display: date.map(|s| {
            let p: Vec<&str> = s.split('-').collect();
            match p.as_slice() {
                [y, m, dd] => format!(
                    "{y}年{}月{}日",
                    m.trim_start_matches('0'),
                    dd.trim_start_matches('0')
                ),
                _ => s.to_string(),
            }
        }),
        tags: tags.iter().map(|s| s.to_string()).collect(),
        body: body.into(),
    }
}

/// Documents with the cases the browser test checks.
fn fixture_docs() -> Vec<SearchDoc> {
    let mut v = vec![
        d(
            "/news/quantum/",
            "news",
            Some("2026-10-20"),
            "量子コンピュータ研究会を開催しました",
            &["イベント"],
            "当社OBが立ち上げた量子コンピュータの勉強会について。",
        ),
        d(
            "/news/apart-mask/",
            "news",
            Some("2026-10-19"),
            "研究会の報告",
            &[],
            "量子コンピ部の研究会とのピュータ（位置の署名では区別できない配置）。",
        ),
        d(
            "/news/apart/",
            "news",
            Some("2026-10-18"),
            "部活動の紹介",
            &[],
            "量子コンピ部とピュータ同好会があります。",
        ),
        d(
            "/interviews/tanaka/",
            "interview",
            Some("2026-09-01"),
            "Alumni story: 田中さん",
            &["Alumni", "Rust"],
            "Rust エンジニアとして独立。アルムナイ・ネットワークで仕事を得た。",
        ),
        d(
            "/interviews/suzuki/",
            "interview",
            Some("2026-08-01"),
            "鈴木さんの今",
            &["SaaS"],
            "The alumni network helped me. 現在はRustエンジニアです。",
        ),
        d(
            "/news/palumni/",
            "news",
            Some("2026-07-01"),
            "Palumnis and napalm",
            &[],
            "Words that contain alum inside: palumni, malum. Not a prefix.",
        ),
        d(
            "/news/mau/",
            "news",
            Some("2026-06-01"),
            "ＭＡＵ（月間アクティブユーザー）が増加",
            &[],
            "全角のＭＡＵと半角のﾘﾌｧﾗﾙ採用について。",
        ),
        d(
            "/jobs/referral/",
            "job",
            Some("2026-05-01"),
            "リファラル採用のお知らせ",
            &["採用"],
            "リファラル採用を始めます。交通機関の費用は支給します。",
        ),
        d(
            "/news/kotsu/",
            "news",
            Some("2026-04-01"),
            "交通 機関 のお知らせ",
            &[],
            "交通と機関が離れている文書。交通、機。",
        ),
        d(
            "/events/meetup/",
            "event",
            Some("2026-12-01"),
            "忘年会 2026",
            &["交流"],
            "会場までの交通機関はJRをご利用ください。😀 絵文字と𠮷野家も。",
        ),
        d(
            "/xss/",
            "page",
            None,
            "<img src=x onerror=alert(1)> & \"quotes\"",
            &[],
            "<script>alert('x')</script> text with img tag mention.",
        ),
        d(
            "/alumni/#tanaka-hanako",
            "alumni",
            None,
            "田中 花子",
            &[],
            "Hanako Tanaka 株式会社ミライ CTO 営業本部",
        ),
        d(
            "/ja/日本語/",
            "page",
            None,
            "日本語のURL",
            &[],
            "エンコード済みでないURLも壊さない。量",
        ),
    ];
    for i in 0..23 {
        v.push(d(
            &format!("/news/saiyo-{i:02}/"),
            "news",
            Some(&format!("2025-{:02}-{:02}", i % 12 + 1, i + 1)),
            &format!("お知らせ第{i}号"),
            &[],
            &format!("今月の採用情報です。{}", "長い本文。".repeat(i * 20)),
        ));
    }
    v
}

fn yaml_str(v: &serde_yaml_ng::Value) -> Option<String> {
    match v {
        serde_yaml_ng::Value::String(s) => Some(s.clone()),
        serde_yaml_ng::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Reads a gen_corpus.py site: enough of it to measure the index.
fn corpus_docs(root: &Path, now: &str) -> Result<Vec<SearchDoc>, String> {
    let mut docs = Vec::new();
    for (dir, kind, prefix) in [
        ("interviews", "interview", "/interviews/"),
        ("news", "news", "/news/"),
        ("jobs", "job", "/jobs/"),
        ("events", "event", "/events/"),
        ("pages", "page", "/"),
    ] {
        let path = root.join("content").join(dir);
        let Ok(rd) = std::fs::read_dir(&path) else {
            continue;
        };
        let mut files: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(&f).map_err(|e| format!("{}: {e}", f.display()))?;
            let Some(rest) = text.strip_prefix("---\n") else {
                continue;
            };
            let Some((fm, body)) = rest.split_once("\n---\n") else {
                continue;
            };
            let Ok(v) = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(fm) else {
                continue;
            };
            if v.get("draft").and_then(|x| x.as_bool()) == Some(true) {
                continue;
            }
            let date = v
                .get("date")
                .and_then(yaml_str)
                .map(|s| s.chars().take(10).collect::<String>());
            if date.as_deref().is_some_and(|x| x > now) && kind != "event" {
                continue;
            }
            if kind == "job"
                && v.get("closes")
                    .and_then(yaml_str)
                    .is_some_and(|c| c.as_str() < now)
            {
                continue;
            }
            let stem = f
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            let slug = v.get("slug").and_then(yaml_str).unwrap_or(stem);
            let tags = v
                .get("tags")
                .and_then(|t| t.as_sequence())
                .map(|s| s.iter().filter_map(yaml_str).collect())
                .unwrap_or_default();
            let mut html = String::new();
            let opts = pulldown_cmark::Options::all();
            pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new_ext(body, opts));
            let mut doc = d(
                &enishi::util::encode_path(&format!("{prefix}{slug}/")),
                kind,
                date.as_deref(),
                &v.get("title").and_then(yaml_str).unwrap_or_default(),
                &[],
                &enishi::util::html_to_text(&html),
            );
            doc.tags = tags;
            docs.push(doc);
        }
    }
    let roster = root.join("data/roster.yaml");
    if let Ok(text) = std::fs::read_to_string(&roster) {
        let v: serde_yaml_ng::Value =
            serde_yaml_ng::from_str(&text).map_err(|e| format!("{}: {e}", roster.display()))?;
        for p in v.as_sequence().into_iter().flatten() {
            let Some(c) = p.get("consent") else { continue };
            if c.get("withdrawn").is_some_and(|w| !w.is_null()) {
                continue;
            }
            let public: Vec<String> = c
                .get("public")
                .and_then(|x| x.as_sequence())
                .map(|s| s.iter().filter_map(yaml_str).collect())
                .unwrap_or_default();
            if !public.iter().any(|f| f == "name") {
                continue;
            }
            let get = |k: &str| p.get(k).and_then(yaml_str).unwrap_or_default();
            let mut body = Vec::new();
            for f in &public {
                match f.as_str() {
                    "name_en" | "department" | "joined" | "left" | "location" => body.push(get(f)),
                    "now" => {
                        if let Some(n) = p.get("now") {
                            body.push(n.get("company").and_then(yaml_str).unwrap_or_default());
                            body.push(n.get("role").and_then(yaml_str).unwrap_or_default());
                        }
                    }
                    _ => {}
                }
            }
            docs.push(d(
                &format!("/alumni/#{}", get("id")),
                "alumni",
                None,
                &get("name"),
                &[],
                &body.join(" "),
            ));
        }
    }
    docs.sort_by(|a, b| a.url.cmp(&b.url));
    Ok(docs)
}
