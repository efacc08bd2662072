//! Issue 18, "The default theme as a company's face": the home page's key
//! visual and message, interview pages built around the person, share
//! links without third-party scripts, job and event pages that lead with
//! what a visitor acts on, and card grids whose cards all have an image or
//! none. Each test builds a small site with the real binary and reads the
//! HTML (the look itself: screenshots in `target/screenshots/`).

mod common;

use common::*;

fn site_with(extra_yaml: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = site(files);
    write(dir.path(), "site.yaml", &format!("{SITE_YAML}{extra_yaml}"));
    dir
}

fn ok(root: &std::path::Path) {
    let o = build(root, &[]);
    assert!(o.status.success(), "build failed: {}", stderr(&o));
}

/// The text between `start` and the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in {html}"));
    let rest = &html[i..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

const SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 9\"/>";

fn interview(slug: &str, date: &str, extra: &str, body: &str) -> (String, String) {
    (
        format!("content/interviews/{slug}.md"),
        format!("---\ntitle: {slug} さんの話\ndate: {date}\n{extra}---\n{body}\n"),
    )
}

fn job(slug: &str, kind: &str, closes: &str) -> (String, String) {
    (
        format!("content/jobs/{slug}.md"),
        format!("---\ntitle: {slug} 募集\ndate: 2026-11-01\nkind: {kind}\ncloses: {closes}\napply: https://example.jp/apply?job={slug}&src=alumni\n---\n仕事の説明。\n"),
    )
}

fn files(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
}

// ---- 1. Home: key visual, message, featured interview, comeback jobs

#[test]
fn home_hero_from_site_yaml() {
    let dir = site_with(
        "hero:\n  image: /images/key.svg\n  heading: 離れても、<仲間>。\n  text: \"卒業生 & 会社\"\n  cta: { label: 名簿に登録する, url: \"/join/#登録方法\" }\n",
        &[
            ("static/images/key.svg", SVG),
            ("content/pages/join.md", "---\ntitle: 参加方法\n---\n## 登録方法\n本文\n"),
        ],
    );
    ok(dir.path());
    let home = read(dir.path(), "index.html");
    let hero = between(&home, "<section class=\"hero", "</section>");
    assert!(
        hero.contains("<h1 id=\"h-hero\">離れても、&lt;仲間&gt;。</h1>"),
        "{hero}"
    );
    assert!(
        hero.contains("<p class=\"lead\">卒業生 &amp; 会社</p>"),
        "{hero}"
    );
    assert!(
        hero.contains("<p class=\"hero-site\">テスト株式会社 アルムナイ</p>"),
        "{hero}"
    );
    assert!(
        hero.contains("<a class=\"button button-cta\" href=\"/join/#登録方法\">名簿に登録する</a>"),
        "{hero}"
    );
    // The key visual is the page's largest paint: sized (no layout shift),
    // fetched first, never lazy.
    assert!(
        hero.contains("<img class=\"hero-img\" src=\"/images/key.svg\" alt=\"\" width=\"1600\" height=\"900\" fetchpriority=\"high\" decoding=\"async\">"),
        "{hero}"
    );
    // Without `hero:`, the site's title and description as before.
    let dir = site(&[]);
    ok(dir.path());
    let home = read(dir.path(), "index.html");
    assert!(
        home.contains("<h1 id=\"h-hero\">テスト株式会社 アルムナイ</h1>"),
        "{home}"
    );
    assert!(!home.contains("hero-img"));
}

#[test]
fn home_hero_cta_on_a_site_under_a_path() {
    let dir = site_with(
        "hero: { heading: ようこそ, cta: { label: 参加する, url: /join/ } }\n",
        &[],
    );
    let o = build(dir.path(), &["--base-url", "https://x.github.io/portal"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let home = read(dir.path(), "index.html");
    assert!(
        home.contains("href=\"/portal/join/\">参加する</a>"),
        "{home}"
    );
}

#[test]
fn home_hero_is_validated() {
    // Every mistake of `hero:` at once, each at its line of site.yaml
    // (SITE_YAML has 6 lines).
    let dir = site_with(
        "hero:\n  image: ../secret.png\n  heading: \"  \"\n  cta:\n    label: \"\"\n    url: \"javascript:alert(1)\"\n",
        &[],
    );
    let o = build(dir.path(), &[]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    for want in [
        "site.yaml:8:1: `hero.image` \"../secret.png\" must be a path to a file under static/",
        "site.yaml:9:1: `hero.heading` is empty",
        "site.yaml:11:1: `hero.cta.label` is empty",
        "site.yaml:12:1: `hero.cta.url` must be an absolute http(s) URL or a path on the site such as /join/, found \"javascript:alert(1)\"",
    ] {
        assert!(e.contains(want), "missing {want:?} in:\n{e}");
    }
    assert!(e.contains("4 errors"), "{e}");
    // A key visual that is not in static/, and an unknown key.
    let dir = site_with("hero:\n  image: /images/missing.jpg\n", &[]);
    let e = stderr(&build(dir.path(), &[]));
    assert!(
        e.contains("site.yaml:8:1: `hero.image` \"/images/missing.jpg\": no such file in static/"),
        "{e}"
    );
    let dir = site_with("hero:\n  headline: x\n", &[]);
    let e = stderr(&build(dir.path(), &[]));
    assert!(
        e.contains("site.yaml:8:3: hero: unknown key `headline`: did you mean `heading`?"),
        "{e}"
    );
}

#[test]
fn home_features_the_newest_interview_and_lists_comeback_jobs_first() {
    let v = vec![
        interview(
            "old",
            "2026-09-01",
            "image: /images/a.svg\nperson: { name: 佐藤 美咲, then: 製品企画部, now: { company: ミドリテック, role: CPO } }\n",
            "本文",
        ),
        interview(
            "new",
            "2026-11-01",
            "image: /images/a.svg\nperson: { name: 鈴木 拓也, then: 組込み開発部, now: { company: あおば, role: 部長 } }\n",
            "本文",
        ),
        // The referral closes first: /jobs/ lists it first, the home page
        // after the comeback ones.
        job("referral", "referral", "2026-11-30"),
        job("comeback-b", "comeback", "2027-03-01"),
        job("comeback-a", "comeback", "2027-02-01"),
        (
            "static/images/a.svg".to_string(),
            SVG.to_string(),
        ),
    ];
    let dir = site(&files(&v));
    ok(dir.path());
    let home = read(dir.path(), "index.html");
    let featured = between(&home, "<section class=\"home-featured\"", "</section>");
    assert!(featured.contains("注目のインタビュー"), "{featured}");
    assert!(featured.contains("href=\"/interviews/new/\""), "{featured}");
    assert!(
        featured.contains("<span class=\"feature-name\">鈴木 拓也</span>")
            && featured.contains("<span>組込み開発部</span>")
            && featured.contains("<span>あおば 部長</span>"),
        "then and now: {featured}"
    );
    // The featured interview is not repeated in the list below.
    let list = between(
        &home,
        "<section class=\"home-section home-interviews\"",
        "</section>",
    );
    assert!(
        !list.contains("/interviews/new/") && list.contains("/interviews/old/"),
        "{list}"
    );
    // Jobs come right after the featured interview, comeback ones first.
    let jobs = between(
        &home,
        "<section class=\"home-section home-jobs\"",
        "</section>",
    );
    assert!(home.find("home-jobs") < home.find("home-interviews"));
    let at = |s: &str| jobs.find(s).unwrap_or_else(|| panic!("no {s} in {jobs}"));
    assert!(at("/jobs/comeback-a/") < at("/jobs/comeback-b/"));
    assert!(at("/jobs/comeback-b/") < at("/jobs/referral/"));
    assert!(
        jobs.contains("<a href=\"/jobs/kind/comeback/\">カムバック採用 2件 →</a>"),
        "{jobs}"
    );
    let all = read(dir.path(), "jobs/index.html");
    assert!(all.find("/jobs/referral/") < all.find("/jobs/comeback-a/"));
}

#[test]
fn home_lists_leave_no_empty_column() {
    // Events and news share a row in auto-fit tracks (one of them alone, or
    // a phone: the full width); the other lists span the page. The old
    // two-column grid (2fr 1fr) left a tall empty column beside the
    // interviews when there were few jobs and events.
    let dir = site(&[]);
    ok(dir.path());
    let home = read(dir.path(), "index.html");
    assert!(!home.contains("home-grid"), "{home}");
    let pair = between(&home, "<div class=\"home-pair\">", "\n</div>");
    assert!(
        pair.contains("home-events") && pair.contains("home-news"),
        "{pair}"
    );
    assert!(!pair.contains("home-jobs") && !pair.contains("home-interviews"));
    let css = read(dir.path(), "css/style.css");
    assert!(
        css.contains(".home-pair { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 22rem), 1fr));"),
        "auto-fit tracks collapse when a list is missing"
    );
    assert!(
        !css.contains("2fr 1fr"),
        "no fixed columns on the home page"
    );
}

// ---- 2. Interview pages built around the person

#[test]
fn interview_page_is_built_around_the_person() {
    let v = vec![
        interview(
            "sato",
            "2026-11-01",
            "image: /images/a.svg\nperson:\n  name: 佐藤 <美咲>\n  name_en: Misaki Sato\n  joined: 2011\n  left: 2018\n  department: 製品企画部\n  then: プロダクトマネージャー\n  now: { company: ミドリテック, role: CPO }\n",
            "本文",
        ),
        ("static/images/a.svg".to_string(), SVG.to_string()),
    ];
    let dir = site(&files(&v));
    ok(dir.path());
    let html = read(dir.path(), "interviews/sato/index.html");
    let head = between(&html, "<header class=\"interview-head", "</header>");
    // A large photo first: sized, the page's first image (not lazy).
    assert!(
        head.contains("<img class=\"interview-img\" src=\"/images/a.svg\" alt=\"\" width=\"1200\" height=\"675\" fetchpriority=\"high\" decoding=\"async\">"),
        "{head}"
    );
    assert!(
        head.contains("<p class=\"person-name\">佐藤 &lt;美咲&gt; <span class=\"person-name-en\" lang=\"en\">Misaki Sato</span></p>"),
        "{head}"
    );
    assert!(
        head.contains("<div class=\"fact-then\"><dt>在籍時 <span class=\"tenure\">2011年–2018年</span></dt><dd>製品企画部 プロダクトマネージャー</dd></div>"),
        "{head}"
    );
    assert!(
        head.contains("<div class=\"fact-now\"><dt>現在</dt><dd>ミドリテック<br>CPO</dd></div>"),
        "{head}"
    );
    assert!(
        head.find("interview-img") < head.find("<h1>"),
        "photo, then title"
    );
}

#[test]
fn interview_pull_quote_from_front_matter_or_first_blockquote() {
    let v = vec![
        interview(
            "own",
            "2026-11-03",
            "quote: \"戻れる場所が <ある> から\"\nperson: { name: 田中 花子 }\n",
            "> 本文の引用\n",
        ),
        interview(
            "first",
            "2026-11-02",
            "person: { name: 鈴木 拓也 }\n",
            "前置き。\n\n> 行ってこい。**そして**、いつか\n> 戻ってきて & 教えてくれ。\n\n> 二つ目の引用\n",
        ),
        interview("none", "2026-11-01", "", "引用のない本文。\n"),
    ];
    let dir = site(&files(&v));
    ok(dir.path());
    let own = read(dir.path(), "interviews/own/index.html");
    assert!(
        own.contains("<figure class=\"pull-quote\"><blockquote><p>戻れる場所が &lt;ある&gt; から</p></blockquote><figcaption>田中 花子</figcaption></figure>"),
        "{own}"
    );
    let first = read(dir.path(), "interviews/first/index.html");
    assert!(
        first.contains("<figure class=\"pull-quote\"><blockquote><p>行ってこい。 そして 、いつか 戻ってきて &amp; 教えてくれ。</p></blockquote>"),
        "{first}"
    );
    assert!(!first.contains("<p>二つ目の引用</p></blockquote><figcaption>"));
    let none = read(dir.path(), "interviews/none/index.html");
    assert!(!none.contains("pull-quote"), "{none}");
    // `quote:` belongs to interviews.
    let dir = site(&[(
        "content/news/a.md",
        "---\ntitle: a\ndate: 2026-11-01\nquote: x\n---\n本文\n",
    )]);
    let e = stderr(&build(dir.path(), &[]));
    assert!(
        e.contains("content/news/a.md:4:1: `quote` is not valid for news (it belongs to content/interviews)"),
        "{e}"
    );
}

fn related_site() -> tempfile::TempDir {
    let v = vec![
        interview(
            "a",
            "2026-11-10",
            "tags: [x, y]\nperson: { name: A, department: 開発部 }\n",
            "本文",
        ),
        // Shares x and the department: 1 + 2.
        interview(
            "b",
            "2026-10-01",
            "tags: [x]\nperson: { name: B, department: 開発部 }\n",
            "本文",
        ),
        // Shares x and y: 2. Older than d, newer than b.
        interview(
            "c",
            "2026-10-05",
            "tags: [x, y]\nperson: { name: C, department: 営業部 }\n",
            "本文",
        ),
        // Shares x: 1, newest of the rest.
        interview("d", "2026-11-05", "tags: [x]\n", "本文"),
        // Shares nothing.
        interview(
            "e",
            "2026-11-08",
            "tags: [z]\nperson: { name: E, department: 総務部 }\n",
            "本文",
        ),
        // Shares y: 1, but older than d: fourth, not shown.
        interview("f", "2026-09-01", "tags: [y]\n", "本文"),
    ];
    site(&files(&v))
}

#[test]
fn interview_related_by_shared_tags_and_department_in_a_fixed_order() {
    let dir = related_site();
    ok(dir.path());
    let html = read(dir.path(), "interviews/a/index.html");
    let related = between(&html, "<section class=\"related\"", "</section>");
    assert!(
        related.contains("<h2 id=\"h-related\">関連インタビュー</h2>"),
        "{related}"
    );
    let links: Vec<&str> = related
        .split("<h3 class=\"card-title\"><a href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    assert_eq!(
        links,
        ["/interviews/b/", "/interviews/c/", "/interviews/d/"],
        "{related}"
    );
    // An interview sharing nothing has no related section.
    let e = read(dir.path(), "interviews/e/index.html");
    assert!(!e.contains("class=\"related\""), "{e}");
    // Same inputs, same bytes.
    let before = tree(&dir.path().join("public"));
    ok(dir.path());
    assert!(before == tree(&dir.path().join("public")));
}

#[test]
fn interview_previous_and_next_by_date() {
    let dir = related_site();
    ok(dir.path());
    // By date: a (11-10), e (11-08), d (11-05), c (10-05), b (10-01), f (09-01).
    let d = read(dir.path(), "interviews/d/index.html");
    let nav = between(&d, "<nav class=\"prev-next\"", "</nav>");
    assert!(nav.contains("aria-label=\"前後のインタビュー\""), "{nav}");
    assert!(
        nav.contains("<a class=\"prev-next-link prev-link\" href=\"/interviews/c/\"><span class=\"prev-next-dir\">← 前のインタビュー</span><span class=\"prev-next-title\">c さんの話</span></a>"),
        "{nav}"
    );
    assert!(
        nav.contains("<a class=\"prev-next-link next-link\" href=\"/interviews/e/\"><span class=\"prev-next-dir\">次のインタビュー →</span>"),
        "{nav}"
    );
    let newest = read(dir.path(), "interviews/a/index.html");
    assert!(!newest.contains("next-link\" href") && newest.contains("prev-link\" href"));
    let oldest = read(dir.path(), "interviews/f/index.html");
    assert!(oldest.contains("next-link\" href") && !oldest.contains("prev-link\" href"));
}

#[test]
fn interview_neighbours_follow_edits_in_serve() {
    use enishi::pipeline::incremental::Incremental;
    use enishi::pipeline::Timings;
    let dir = related_site();
    let root = dir.path();
    let opts = enishi::site::BuildOptions {
        root: root.to_path_buf(),
        base_url: Some("http://127.0.0.1:1111".into()),
        now: Some("2026-11-22".into()),
        ..Default::default()
    };
    let page = |tree: &enishi::core::output::OutputTree| {
        String::from_utf8_lossy(&tree["interviews/a/index.html"]).into_owned()
    };
    let mut state = Incremental::new();
    let first = state.build(&opts, &mut Timings::default()).expect("build");
    assert!(page(&first.tree).contains("b さんの話"));
    // Retitling b (a related interview) must re-render a, though a itself
    // did not change.
    let (rel, _) = interview(
        "b",
        "2026-10-01",
        "tags: [x]\nperson: { name: B, department: 開発部 }\n",
        "本文",
    );
    write(
        root,
        &rel,
        "---\ntitle: 新しい題\ndate: 2026-10-01\ntags: [x]\nperson: { name: B, department: 開発部 }\n---\n本文\n",
    );
    state.note_changes(root, &[std::path::PathBuf::from(&rel)]);
    let second = state
        .build(&opts, &mut Timings::default())
        .expect("rebuild");
    let full = enishi::pipeline::build(&opts, &mut Timings::default()).expect("full");
    assert!(
        page(&second.tree).contains("新しい題"),
        "{}",
        page(&second.tree)
    );
    assert_eq!(page(&second.tree), page(&full.tree));
}

// ---- 3. Share links without third-party scripts

#[test]
fn share_links_are_plain_urls_with_encoded_parameters() {
    let v = vec![interview("tanaka", "2026-11-01", "", "本文")];
    let mut v = v;
    v[0].1 = v[0]
        .1
        .replace("title: tanaka さんの話", "title: \"A&B #1 = 100%? 田中\"");
    let dir = site(&files(&v));
    ok(dir.path());
    let html = read(dir.path(), "interviews/tanaka/index.html");
    let share = between(&html, "<div class=\"share\">", "</div>");
    let url = "https%3A%2F%2Falumni.example.jp%2Finterviews%2Ftanaka%2F";
    let title = "A%26B%20%231%20%3D%20100%25%3F%20%E7%94%B0%E4%B8%AD";
    for want in [
        format!("<a class=\"share-link share-x\" href=\"https://x.com/intent/post?url={url}&amp;text={title}\">X</a>"),
        format!("<a class=\"share-link share-linkedin\" href=\"https://www.linkedin.com/sharing/share-offsite/?url={url}\">LinkedIn</a>"),
        format!("<a class=\"share-link share-facebook\" href=\"https://www.facebook.com/sharer/sharer.php?u={url}\">Facebook</a>"),
        format!("<a class=\"share-link share-line\" href=\"https://social-plugins.line.me/lineit/share?url={url}\">LINE</a>"),
        format!("<a class=\"share-link share-hatena\" href=\"https://b.hatena.ne.jp/add?mode=confirm&amp;url={url}&amp;title={title}\">はてなブックマーク</a>"),
        // Copy link: without script, a plain link to the page.
        "<a class=\"share-link share-copy\" href=\"https://alumni.example.jp/interviews/tanaka/\" data-copied=\"リンクをコピーしました\">リンクをコピー</a>".to_string(),
    ] {
        assert!(share.contains(&want), "missing {want}\nin {share}");
    }
    // No third-party script: the page's only scripts are inline or its own.
    for (i, _) in html.match_indices("<script") {
        let tag = &html[i..i + html[i..].find('>').unwrap_or(0)];
        assert!(!tag.contains("src=\"http"), "{tag}");
    }
    assert!(
        share.contains("navigator.clipboard.writeText(a.href)"),
        "{share}"
    );
    // News, jobs and events share too.
    let dir = site(&[
        (
            "content/news/a.md",
            "---\ntitle: a\ndate: 2026-11-01\n---\n本文\n",
        ),
        (
            &job("j", "comeback", "2027-01-31").0,
            &job("j", "comeback", "2027-01-31").1,
        ),
    ]);
    ok(dir.path());
    for page in ["news/a/index.html", "jobs/j/index.html"] {
        assert!(read(dir.path(), page).contains("share-hatena"), "{page}");
    }
}

// ---- 4. Job and event pages lead with what a visitor acts on

#[test]
fn job_page_has_apply_at_top_and_bottom_and_deadline_near_the_title() {
    let (rel, text) = job("eng", "comeback", "2027-01-31");
    let (closed_rel, closed) = job("old", "referral", "2026-10-31");
    let dir = site(&[(&rel, &text), (&closed_rel, &closed)]);
    ok(dir.path());
    let html = read(dir.path(), "jobs/eng/index.html");
    let head = between(&html, "<header class=\"entry-header\">", "</header>");
    let after_h1 = &head[head.find("</h1>").expect("h1")..];
    assert!(
        after_h1.contains("<span class=\"key-fact\"><span class=\"key-label\">応募締切</span> <time datetime=\"2027-01-31\">2027年1月31日</time></span><span class=\"key-fact\"><span class=\"key-label\">種類</span> カムバック</span>"),
        "{head}"
    );
    let button = "<a class=\"button button-cta button-large\" href=\"https://example.jp/apply?job=eng&amp;src=alumni\">応募する</a>";
    assert!(after_h1.contains(button), "apply at the top: {head}");
    let body = &html[html.find("<div class=\"prose\">").expect("prose")..];
    assert!(
        body.contains(&format!("<p class=\"cta cta-bottom\">{button}")),
        "and at the bottom"
    );
    assert_eq!(html.matches(button).count(), 2);
    // A closed job offers no button, only the notice.
    let old = read(dir.path(), "jobs/old/index.html");
    assert!(
        !old.contains("button-cta") && old.contains("notice-closed"),
        "{old}"
    );
}

#[test]
fn event_page_has_date_place_and_calendar_at_the_top() {
    let dir = site(&[(
        "content/events/reunion.md",
        "---\ntitle: 新年会\ndate: 2026-11-01\nkind: reunion\nstart: \"2027-01-15 19:00\"\nend: \"2027-01-15 21:00\"\nvenue: { name: 本社 10F, address: 東京都千代田区 }\nonline: https://meet.example.jp/x\nregister: https://forms.example.jp/r\n---\n長い説明。\n",
    )]);
    ok(dir.path());
    let html = read(dir.path(), "events/reunion/index.html");
    let head = between(&html, "<header class=\"entry-header\">", "</header>");
    let after_h1 = &head[head.find("</h1>").expect("h1")..];
    for want in [
        "<span class=\"key-label\">日程</span> <time datetime=\"2027-01-15T19:00:00+09:00\">2027年1月15日(金)</time> 19:00–21:00 (JST)",
        "<span class=\"key-label\">会場</span> 本社 10F＋オンライン",
        "<a class=\"button button-cta button-large\" href=\"https://forms.example.jp/r\">参加を申し込む</a>",
        "<a class=\"button button-secondary\" href=\"/events/reunion/event.ics\">カレンダーに追加 (.ics)</a>",
    ] {
        assert!(after_h1.contains(want), "missing {want}\nin {head}");
    }
    assert!(html.find("event.ics") < html.find("<div class=\"prose\">"));
}

// ---- 5. Cards of one grid: all with an image, or none

#[test]
fn cards_of_one_grid_all_with_or_all_without_images() {
    let v = vec![
        interview(
            "photo",
            "2026-11-02",
            "tags: [採用]\nimage: /images/a.svg\nperson: { name: 佐藤 美咲 }\n",
            "本文",
        ),
        interview(
            "nophoto",
            "2026-11-01",
            "tags: [採用]\nperson: { name: 鈴木 拓也 }\n",
            "本文",
        ),
        (
            "content/news/n.md".to_string(),
            "---\ntitle: お知らせ\ndate: 2026-10-01\ntags: [採用]\n---\n本文\n".to_string(),
        ),
        (
            "content/news/m.md".to_string(),
            "---\ntitle: お知らせ2\ndate: 2026-10-02\n---\n本文\n".to_string(),
        ),
        ("static/images/a.svg".to_string(), SVG.to_string()),
    ];
    let dir = site(&files(&v));
    write(
        dir.path(),
        "site.yaml",
        &SITE_YAML.replace("paginate: 2", "paginate: 10"),
    );
    ok(dir.path());
    let count = |html: &str, s: &str| html.matches(s).count();
    // Interviews: one photo, one drawn stand-in with the person's initial
    // (CSS, no request).
    let list = read(dir.path(), "interviews/index.html");
    assert_eq!(count(&list, "<img class=\"card-image\""), 1, "{list}");
    assert!(
        list.contains("<span class=\"card-image placeholder placeholder-interview\" aria-hidden=\"true\"><span class=\"placeholder-mark\">鈴</span></span>"),
        "{list}"
    );
    // A tag page mixing an interview with a photo and news without.
    let tag = read(dir.path(), "tags/採用/index.html");
    let cards = count(&tag, "<article class=\"card ");
    assert_eq!(cards, 3, "{tag}");
    assert_eq!(
        count(&tag, "<img class=\"card-image\"") + count(&tag, "class=\"card-image placeholder"),
        cards,
        "every card has an image or its stand-in: {tag}"
    );
    assert!(tag.contains(
        "placeholder-news\" aria-hidden=\"true\"><span class=\"placeholder-mark\">お知らせ</span>"
    ));
    // News alone: no images, no stand-ins.
    let news = read(dir.path(), "news/index.html");
    assert!(!news.contains("card-image"), "{news}");
    let css = read(dir.path(), "css/style.css");
    assert!(css.contains(".placeholder { display: grid;") && css.contains("aspect-ratio: 16 / 9"));
}
