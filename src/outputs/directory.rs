//! The directory outputs: `/alumni/` (public, paginated, works without JS)
//! and `/members/` (passphrase form + encrypted members directory).
//!
//! Everything here starts from a [`Publishable`], so it can only ever see
//! consented fields.
//!
//! Files written:
//! - `/alumni/`, `/alumni/page/N/` ([`HtmlPage`], template `alumni.html`),
//!   [`PAGE_SIZE`](crate::input::roster::PAGE_SIZE) people per page, in reading order.
//! - `alumni/directory.json`: compact data for JS filtering, fetched only when
//!   the visitor starts filtering, so the first page load stays small:
//!   `{"v":1,"companies":[…],"departments":[…],"skills":[…],"people":[[…]]}`
//!   where each person is
//!   `[id, name, name_en, reading, joined, left, dept_idx, company_idx, role,
//!     location, [skill_idx…], page, interview_url, interview_title, email,
//!     [[link_name, url]…], message]`
//!   (`joined`/`left` are the text as written or "", indexes are -1 for none,
//!   `page` is the 1-based directory page, interview fields "" for none).
//! - `/members/` ([`HtmlPage`], template `members.html`, noindex, not in the
//!   sitemap) and `members/data.json` (see [`crate::outputs::members`]), whose
//!   plaintext is `{"v":1,"people":[…]}`: each person is a
//!   [`crate::input::roster::PersonView`] as JSON without `id` (ids are
//!   often derived from names), plus `interview: {url, title}` and
//!   `public_url` (the public entry) where they exist. People may lack a
//!   name (consent to e.g. only `email` at members level).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::config::Config;
use crate::core::diag::Diagnostic;
use crate::core::escape::encode_path;
use crate::core::lang::Language;
use crate::core::output::{HtmlPage, OutputFile};
use crate::input::roster::{page_path, PersonView, Publishable};

/// Output path of the filter data.
pub const DIRECTORY_JSON: &str = "alumni/directory.json";
/// Output path of the encrypted members payload.
pub const MEMBERS_JSON: &str = "members/data.json";

/// /alumni/ pages (+ pagination) and /members/ page, plus data files (JSON
/// for JS filtering, encrypted members payload). `interviews` maps roster_id
/// -> (site path without base path, title) of an interview about that person.
/// `passphrase` None (or empty) => no members fields anywhere, and a warning.
pub fn outputs(
    p: &Publishable,
    config: &Config,
    interviews: &BTreeMap<String, (String, String)>,
    passphrase: Option<&str>,
) -> (Vec<HtmlPage>, Vec<OutputFile>, Vec<Diagnostic>) {
    outputs_with_iterations(
        p,
        config,
        interviews,
        passphrase,
        crate::outputs::members::ITERATIONS,
    )
}

/// [`outputs`] with an explicit PBKDF2 iteration count. **Test-only**: debug
/// builds derive keys slowly; the build always calls [`outputs`].
#[doc(hidden)]
pub fn outputs_with_iterations(
    p: &Publishable,
    config: &Config,
    interviews: &BTreeMap<String, (String, String)>,
    passphrase: Option<&str>,
    iterations: u32,
) -> (Vec<HtmlPage>, Vec<OutputFile>, Vec<Diagnostic>) {
    let passphrase = passphrase.filter(|s| !s.is_empty());
    // The members payload is one long sequential chain (serialise, deflate,
    // PBKDF2, encrypt): started first, beside the directory pages.
    let (members, (mut pages, directory)) = rayon::join(
        || {
            passphrase.map(|pw| {
                let plain = members_plaintext(p, config, interviews);
                let payload =
                    crate::outputs::members::encrypt_with_iterations(&plain, pw, iterations);
                serde_json::to_vec(&payload).unwrap_or_default()
            })
        },
        || {
            (
                alumni_pages(p, config, interviews),
                directory_json(p, config, interviews),
            )
        },
    );
    let mut files = vec![OutputFile::new(DIRECTORY_JSON, directory)];
    let mut diags = Vec::new();
    let labels = labels(config.language);
    let enabled = passphrase.is_some();
    let weakness = passphrase.and_then(crate::outputs::members::passphrase_weakness);
    if let (Some(why), Some(m)) = (weakness, &config.members) {
        diags.push(Diagnostic::warning(
            "site.yaml",
            format!(
                "the members passphrase (environment variable `{}`, members.passphrase_env) is weak: {why}. members/data.json is public, so anyone can try guesses offline, as fast and as often as they like, until one decrypts it: use four or more random words, or 16+ random characters from a password manager, then tell members the new one",
                m.passphrase_env
            ),
        ));
    }
    match members {
        Some(bytes) => files.push(OutputFile::new(MEMBERS_JSON, bytes)),
        // A members area that was never set up is only worth a warning when
        // someone consented to share more with members than publicly (a
        // fresh site's first build stays quiet).
        None if config.members.is_none() && !has_members_only_fields(p) => {}
        None => {
            let why = match &config.members {
                Some(m) => format!(
                    "members area disabled: the environment variable `{}` (members.passphrase_env) is not set or empty, so members-only roster fields are published nowhere",
                    m.passphrase_env
                ),
                None => "members area disabled: site.yaml has no `members: { passphrase_env: … }`, so members-only roster fields are published nowhere".to_string(),
            };
            diags.push(Diagnostic::warning("site.yaml", why));
        }
    }
    pages.push(crate::outputs::stats::page(p, config));
    pages.push(HtmlPage {
        path: "/members/".into(),
        template: "members.html".into(),
        title: labels["members_title"].as_str().unwrap_or_default().into(),
        description: String::new(),
        vars: json!({
            "members": {
                "enabled": enabled,
                "data_url": encode_path(&config.site_path(&format!("/{MEMBERS_JSON}"))),
                "script_url": config.asset_path("/js/members.js"),
                "css_url": config.asset_path("/css/directory.css"),
                "privacy_url": config.site_path("/privacy/"),
                "alumni_url": config.site_path("/alumni/"),
                "labels_json": crate::core::escape::json_for_script(&labels),
            },
            "labels": labels,
        }),
        values: Vec::new(),
        in_sitemap: false,
        noindex: true,
    });
    (pages, files, diags)
}

/// Page numbers to link from page `n` of `total`: first, last and the
/// neighbourhood of `n`; `None` is a gap ("…"). Keeps pagination small at
/// hundreds of pages.
fn page_window(n: usize, total: usize) -> Vec<Option<usize>> {
    let mut out = Vec::new();
    let mut last = 0;
    for i in 1..=total {
        if i == 1 || i == total || i.abs_diff(n) <= 2 {
            if last != 0 && i > last + 1 {
                out.push(None);
            }
            out.push(Some(i));
            last = i;
        }
    }
    out
}

fn interview_of(
    id: &str,
    config: &Config,
    interviews: &BTreeMap<String, (String, String)>,
) -> Option<(String, String)> {
    interviews
        .get(id)
        .map(|(path, title)| (encode_path(&config.site_path(path)), title.clone()))
}

/// Whether any person has a field that only the members area would show.
fn has_members_only_fields(p: &Publishable) -> bool {
    let public: BTreeMap<&str, &PersonView> =
        p.public().iter().map(|v| (v.id.as_str(), v)).collect();
    p.members()
        .iter()
        .any(|m| public.get(m.id.as_str()).is_none_or(|v| *v != m))
}

/// One person as template data (all strings; the template escapes them).
fn person_vars(
    person: &PersonView,
    labels: &Value,
    config: &Config,
    interviews: &BTreeMap<String, (String, String)>,
) -> Value {
    let mut v = json!({
        "id": person.id,
        "name": person.display_name().unwrap_or_default(),
        "name_en": if person.name.is_some() { person.name_en.clone() } else { None },
        "reading": person.reading,
        "joined": person.joined.as_ref().map(|y| y.text.clone()),
        "left": person.left.as_ref().map(|y| y.text.clone()),
        "department": person.department,
        "company": person.now.as_ref().and_then(|n| n.company.clone()),
        "role": person.now.as_ref().and_then(|n| n.role.clone()),
        "location": person.location,
        "skills": person.skills,
        "email": person.email,
        "links": person.links.iter().map(|(k, v)| json!({"name": link_label(labels, k), "url": v})).collect::<Vec<_>>(),
        "message": person.message,
    });
    if let Some((url, title)) = interview_of(&person.id, config, interviews) {
        v["interview"] = json!({ "url": url, "title": title });
    }
    v
}

fn alumni_pages(
    p: &Publishable,
    config: &Config,
    interviews: &BTreeMap<String, (String, String)>,
) -> Vec<HtmlPage> {
    let size = p.page_size();
    let public = p.public();
    let total_pages = public.len().div_ceil(size).max(1);
    let labels = labels(config.language);
    let url = |n: usize| encode_path(&config.site_path(&page_path(n)));
    (1..=total_pages)
        .map(|n| {
            let people: Vec<Value> = public
                .iter()
                .skip((n - 1) * size)
                .take(size)
                .map(|person| person_vars(person, &labels, config, interviews))
                .collect();
            let title = match (n, config.language) {
                (1, _) => labels["alumni_title"].as_str().unwrap_or_default().to_string(),
                (_, Language::Ja) => format!("{} ({n}ページ目)", labels["alumni_title"].as_str().unwrap_or_default()),
                (_, Language::En) => format!("{} (page {n})", labels["alumni_title"].as_str().unwrap_or_default()),
            };
            let description = match config.language {
                Language::Ja => format!("{}のアルムナイ名簿（公開に同意した{}人）", config.organization.name, public.len()),
                Language::En => format!("Alumni directory of {} ({} people who agreed to be listed)", config.organization.name, public.len()),
            };
            HtmlPage {
                path: page_path(n),
                template: "alumni.html".into(),
                title,
                description,
                vars: json!({
                    "alumni": {
                        "people": people,
                        "total": public.len(),
                        "page": n,
                        "total_pages": total_pages,
                        "first": (n - 1) * size + 1,
                        "last": ((n - 1) * size + size).min(public.len()),
                        "prev_url": (n > 1).then(|| url(n - 1)),
                        "next_url": (n < total_pages).then(|| url(n + 1)),
                        "pages": page_window(n, total_pages).into_iter().map(|i| match i {
                            Some(i) => json!({"n": i, "url": url(i), "current": i == n}),
                            None => json!({"gap": true}),
                        }).collect::<Vec<_>>(),
                        "page_size": size,
                        "count_text": labels["count_all"].as_str().unwrap_or_default().replace("{n}", &public.len().to_string()),
                        "labels_json": crate::core::escape::json_for_script(&labels),
                        "data_url": encode_path(&config.site_path(&format!("/{DIRECTORY_JSON}"))),
                        "script_url": config.asset_path("/js/alumni.js"),
                        "css_url": config.asset_path("/css/directory.css"),
                        "privacy_url": config.site_path("/privacy/"),
                        "members_url": config.site_path("/members/"),
                        "stats_url": config.site_path(crate::outputs::stats::PATH),
                    },
                    "labels": labels,
                }),
                values: Vec::new(),
                in_sitemap: true,
                noindex: false,
            }
        })
        .collect()
}

fn directory_json(
    p: &Publishable,
    config: &Config,
    interviews: &BTreeMap<String, (String, String)>,
) -> Vec<u8> {
    // Dictionaries, sorted, so repeated strings are sent once.
    let mut companies = std::collections::BTreeSet::new();
    let mut departments = std::collections::BTreeSet::new();
    let mut skills = std::collections::BTreeSet::new();
    for person in p.public() {
        if let Some(c) = person.now.as_ref().and_then(|n| n.company.as_deref()) {
            companies.insert(c);
        }
        if let Some(d) = person.department.as_deref() {
            departments.insert(d);
        }
        skills.extend(person.skills.iter().map(String::as_str));
    }
    let companies_v: Vec<&str> = companies.iter().copied().collect();
    let departments_v: Vec<&str> = departments.iter().copied().collect();
    let skills_v: Vec<&str> = skills.iter().copied().collect();
    let pos = |v: &Vec<&str>, s: &str| v.binary_search(&s).map_or(-1, |i| i as i64);
    let size = p.page_size();
    let people: Vec<Value> = p
        .public()
        .iter()
        .enumerate()
        .map(|(i, person)| {
            let (iu, it) = interview_of(&person.id, config, interviews).unwrap_or_default();
            json!([
                person.id,
                person.name.clone().unwrap_or_default(),
                person.name_en.clone().unwrap_or_default(),
                person.reading.clone().unwrap_or_default(),
                person
                    .joined
                    .as_ref()
                    .map(|y| y.text.clone())
                    .unwrap_or_default(),
                person
                    .left
                    .as_ref()
                    .map(|y| y.text.clone())
                    .unwrap_or_default(),
                pos(
                    &departments_v,
                    person.department.as_deref().unwrap_or("\u{0}")
                ),
                pos(
                    &companies_v,
                    person
                        .now
                        .as_ref()
                        .and_then(|n| n.company.as_deref())
                        .unwrap_or("\u{0}")
                ),
                person
                    .now
                    .as_ref()
                    .and_then(|n| n.role.clone())
                    .unwrap_or_default(),
                person.location.clone().unwrap_or_default(),
                person
                    .skills
                    .iter()
                    .map(|s| pos(&skills_v, s))
                    .collect::<Vec<_>>(),
                i / size + 1,
                iu,
                it,
                person.email.clone().unwrap_or_default(),
                person
                    .links
                    .iter()
                    .map(|(k, v)| json!([k, v]))
                    .collect::<Vec<_>>(),
                person.message.clone().unwrap_or_default(),
            ])
        })
        .collect();
    let doc = json!({
        "v": 1,
        "page_size": size,
        "companies": companies_v,
        "departments": departments_v,
        "skills": skills_v,
        "people": people,
    });
    serde_json::to_vec(&doc).unwrap_or_default()
}

fn members_plaintext(
    p: &Publishable,
    config: &Config,
    interviews: &BTreeMap<String, (String, String)>,
) -> Vec<u8> {
    use rayon::prelude::*;
    // Each person serialised on its own, in parallel, then joined: the
    // bytes of `{"people":[…],"v":1}` serialised at once (keys sorted).
    let people: Vec<Vec<u8>> = p
        .members()
        .par_iter()
        .map(|person| {
            let mut v = serde_json::to_value(person).unwrap_or(Value::Null);
            // Ids are often derived from names; a members-only person may not
            // have shared a name. The browser does not need ids.
            if let Value::Object(m) = &mut v {
                m.remove("id");
            }
            if let Some((url, title)) = interview_of(&person.id, config, interviews) {
                v["interview"] = json!({ "url": url, "title": title });
            }
            if let Some(url) = p.public_entry_path(&person.id) {
                v["public_url"] = json!(encode_path(&config.site_path(&url)));
            }
            serde_json::to_vec(&v).unwrap_or_default()
        })
        .collect();
    let mut out = Vec::with_capacity(people.iter().map(|b| b.len() + 1).sum::<usize>() + 24);
    out.extend_from_slice(br#"{"people":["#);
    for (i, person) in people.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(person);
    }
    out.extend_from_slice(br#"],"v":1}"#);
    out
}

/// A roster link's label in the page's language (`website` -> ウェブサイト);
/// a name without a `link_<name>` string is shown as written.
fn link_label(labels: &Value, name: &str) -> String {
    labels[format!("link_{}", name.to_ascii_lowercase())]
        .as_str()
        .unwrap_or(name)
        .to_string()
}

/// UI strings of the directory pages (`labels` in the templates and JS).
pub fn labels(lang: Language) -> Value {
    let pairs: &[(&str, &str)] = match lang {
        Language::Ja => JA,
        Language::En => EN,
    };
    Value::Object(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
            .collect(),
    )
}

const JA: &[(&str, &str)] = &[
            ("alumni_title", "アルムナイ名簿"),
            ("stats_link", "アルムナイのいま（人数で見る）"),
            ("alumni_intro", "掲載に同意したアルムナイの名簿です。掲載されている項目は、本人が公開に同意したものだけです。"),
            ("privacy", "プライバシーポリシー（利用目的・同意の撤回方法）"),
            ("members_link", "メンバー限定名簿"),
            ("filter_heading", "絞り込み"),
            ("filter_name", "名前"),
            ("filter_company", "現在の会社"),
            ("filter_department", "在籍時の部署"),
            ("filter_year", "在籍していた年"),
            ("filter_skill", "スキル"),
            ("sort", "並び順"),
            ("sort_reading", "名前（五十音順）"),
            ("sort_joined", "入社年"),
            ("sort_left", "退職年"),
            ("reset", "条件をクリア"),
            ("loading", "名簿データを読み込み中…"),
            ("load_error", "名簿データを読み込めませんでした。"),
            ("count_all", "{n}人が掲載されています"),
            ("count_match", "{n}人が見つかりました"),
            ("more", "さらに表示"),
            ("none", "まだ掲載されている人はいません。"),
            ("joined", "入社"),
            ("left", "退職"),
            ("department", "部署"),
            ("now", "現在"),
            ("location", "拠点"),
            ("skills", "スキル"),
            ("links", "リンク"),
            ("link_website", "ウェブサイト"),
            ("link_blog", "ブログ"),
            ("link_portfolio", "ポートフォリオ"),
            ("link_linkedin", "LinkedIn"),
            ("link_github", "GitHub"),
            ("link_x", "X"),
            ("link_twitter", "X（Twitter）"),
            ("link_facebook", "Facebook"),
            ("link_note", "note"),
            ("email", "メール"),
            ("message", "メッセージ"),
            ("interview", "インタビューを読む"),
            ("pagination", "ページ"),
            ("prev", "前へ"),
            ("next", "次へ"),
            ("members_title", "メンバー限定名簿"),
            ("members_intro", "アルムナイ限定の名簿です。共有されているパスフレーズを入力してください。名簿はこの端末の中だけで復号されます。"),
            ("passphrase", "パスフレーズ"),
            ("unlock", "開く"),
            ("wrong_passphrase", "パスフレーズが違います。もう一度入力してください。"),
            ("decrypting", "復号しています…"),
            ("disabled", "メンバー限定名簿は現在公開されていません。"),
            ("nojs", "メンバー限定名簿の表示にはJavaScriptが必要です。"),
            ("public_entry", "公開名簿の掲載"),
    ("anonymous", "（氏名非公開）"),
    ("unsupported", "このブラウザではメンバー限定名簿を表示できません（HTTPS接続と最近のブラウザが必要です）。"),
];

const EN: &[(&str, &str)] = &[
            ("alumni_title", "Alumni directory"),
            ("stats_link", "Where our alumni went"),
            ("alumni_intro", "Alumni who agreed to be listed. Only the details each person agreed to publish are shown."),
            ("privacy", "Privacy policy (purpose of use, how to withdraw consent)"),
            ("members_link", "Members-only directory"),
            ("filter_heading", "Filter"),
            ("filter_name", "Name"),
            ("filter_company", "Current company"),
            ("filter_department", "Department"),
            ("filter_year", "Worked here in (year)"),
            ("filter_skill", "Skill"),
            ("sort", "Sort by"),
            ("sort_reading", "Name"),
            ("sort_joined", "Year joined"),
            ("sort_left", "Year left"),
            ("reset", "Clear filters"),
            ("loading", "Loading the directory…"),
            ("load_error", "Could not load the directory data."),
            ("count_all", "{n} people listed"),
            ("count_match", "{n} people found"),
            ("more", "Show more"),
            ("none", "Nobody is listed yet."),
            ("joined", "Joined"),
            ("left", "Left"),
            ("department", "Department"),
            ("now", "Now"),
            ("location", "Location"),
            ("skills", "Skills"),
            ("links", "Links"),
            ("link_website", "Website"),
            ("link_blog", "Blog"),
            ("link_portfolio", "Portfolio"),
            ("link_linkedin", "LinkedIn"),
            ("link_github", "GitHub"),
            ("link_x", "X"),
            ("link_twitter", "X (Twitter)"),
            ("link_facebook", "Facebook"),
            ("link_note", "note"),
            ("email", "E-mail"),
            ("message", "Message"),
            ("interview", "Read the interview"),
            ("pagination", "Pages"),
            ("prev", "Previous"),
            ("next", "Next"),
            ("members_title", "Members-only directory"),
            ("members_intro", "The directory for alumni only. Enter the shared passphrase; the directory is decrypted on this device only."),
            ("passphrase", "Passphrase"),
            ("unlock", "Open"),
            ("wrong_passphrase", "Wrong passphrase. Please try again."),
            ("decrypting", "Decrypting…"),
            ("disabled", "The members-only directory is not available."),
            ("nojs", "The members-only directory needs JavaScript."),
            ("public_entry", "Public directory entry"),
    ("anonymous", "(name not shared)"),
    ("unsupported", "This browser cannot open the members directory (it needs HTTPS and a recent browser)."),
];
