//! `/admin/`: the browser editor for the alumni office (with `cms:` in
//! `site.yaml`). Three parts:
//!
//! - `admin/config.yml`, the Decap CMS configuration, **generated** from
//!   [`crate::model::schema`], the table the loader validates front matter
//!   against: a collection per kind, a field per key with the widget that
//!   fits, selects offering exactly the allowed values, `required` exactly
//!   where the build requires, labels and hints from the theme's UI strings
//!   (`admin_field_<key>`, `admin_hint_<key>`, the option labels the pages
//!   use). Nobody writes it by hand, so it cannot drift from the loader.
//! - `admin/index.html` (`noindex`) and `admin/enishi-admin.js`, which
//!   registers the theme's CSS for the previews and, in a build for
//!   `enishi serve` (a loopback `base_url`), points the editor at serve's
//!   `/api/v1` on the page's own origin.
//! - The editor itself, Decap CMS [`DECAP_VERSION`] from npm, vendored in
//!   `themes/default/admin/` (checked against its `SHA256SUMS`; re-fetch
//!   with `.ci/fetch-decap-cms.sh`) and embedded in the binary with the
//!   default theme, so no request leaves the site.
//!
//! `/admin/` is written as plain files, not pages: it is in no sitemap,
//! search index or feed.
//!
//! Imports `core`, `config`, `model` and `render` (the embedded theme).

use std::collections::BTreeMap;

use serde_yaml_ng::{Mapping, Value};

use crate::config::{CmsBackend, Config};
use crate::core::output::OutputFile;
use crate::model::schema::{self, Field, Value as Shape};
use crate::model::Kind;

/// The Decap CMS release served from `/admin/` (npm `decap-cms`).
pub const DECAP_VERSION: &str = "3.16.3";
/// SHA-256 of its `dist/decap-cms.js`; every file of the bundle is listed in
/// `themes/default/admin/SHA256SUMS` (a test checks both).
pub const DECAP_SHA256: &str = "7c1efd6b616b4786e279aeef194dd21649a72058d3bc8d1f78901b574610dfb8";

/// Where uploads go in the site, and the path the front matter gets.
pub const MEDIA_FOLDER: &str = "static/images";
pub const PUBLIC_FOLDER: &str = "/images";

/// The bundle files (embedded with the default theme), as output paths.
fn bundle() -> Vec<OutputFile> {
    let Some(dir) = crate::render::theme::DEFAULT_THEME.get_dir("admin") else {
        return Vec::new();
    };
    let mut files: Vec<OutputFile> = dir
        .files()
        .filter(|f| f.path().file_name().is_some_and(|n| n != "SHA256SUMS"))
        .filter_map(|f| {
            let name = f.path().file_name()?.to_str()?;
            Some(OutputFile::new(format!("admin/{name}"), f.contents()))
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// `http://127.0.0.1:1111` and the like: a build for `enishi serve` (or a
/// local preview), where the editor saves through serve's `/api/v1`.
fn is_loopback(base_url: &str) -> bool {
    let rest = base_url.strip_prefix("http://").unwrap_or("");
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match host.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => host,
    };
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

/// The origin of `base_url` (scheme and host, without its path).
fn origin(base_url: &str) -> &str {
    let after = base_url.find("://").map(|i| i + 3).unwrap_or(0);
    match base_url[after..].find('/') {
        Some(i) => &base_url[..after + i],
        None => base_url,
    }
}

/// Where serve's local backend answers, from the built site's point of view.
fn local_api(config: &Config) -> Option<String> {
    let cms = config.cms.as_ref()?;
    (cms.backend == CmsBackend::Local || is_loopback(&config.base_url))
        .then(|| format!("{}/api/v1", origin(&config.base_url)))
}

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

fn map<const N: usize>(entries: [(&str, Value); N]) -> Mapping {
    let mut m = Mapping::new();
    for (k, v) in entries {
        m.insert(s(k), v);
    }
    m
}

/// The UI strings of the site's language, with a visible fallback.
struct Strings<'a>(&'a BTreeMap<String, String>);

impl Strings<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
    fn or_key(&self, key: &str, fallback: &str) -> String {
        self.get(key).unwrap_or(fallback).to_string()
    }
}

/// The editor field of one schema key; `path` is its dotted place
/// (`person.now.company`), `kind` the collection's kind.
fn widget(f: &Field, path: &str, kind: Kind, t: &Strings<'_>) -> Mapping {
    let id = path.replace('.', "_");
    let mut m = map([
        ("label", s(&t.or_key(&format!("admin_field_{id}"), f.key))),
        ("name", s(f.key)),
    ]);
    let mut put = |k: &str, v: Value| {
        m.insert(s(k), v);
    };
    match f.value {
        Shape::Line => put("widget", s("string")),
        Shape::Text => put("widget", s("text")),
        Shape::Url { mailto } => {
            put("widget", s("string"));
            let (re, hint) = if mailto {
                (
                    r"^(https?://\S+|mailto:\S+@\S+)$",
                    "admin_pattern_url_or_mail",
                )
            } else {
                (r"^https?://\S+$", "admin_pattern_url")
            };
            put(
                "pattern",
                Value::Sequence(vec![s(re), s(&t.or_key(hint, "https://…"))]),
            );
        }
        Shape::Date => {
            put("widget", s("datetime"));
            put("format", s("YYYY-MM-DD"));
            put("date_format", s("YYYY-MM-DD"));
            put("time_format", Value::Bool(false));
        }
        Shape::DateTime => {
            put("widget", s("datetime"));
            put("format", s("YYYY-MM-DDTHH:mm:ssZ"));
            put("date_format", s("YYYY-MM-DD"));
            put("time_format", s("HH:mm"));
        }
        Shape::Bool => {
            put("widget", s("boolean"));
            put("default", Value::Bool(false));
        }
        Shape::Int => {
            put("widget", s("number"));
            put("value_type", s("int"));
            put("min", Value::Number(0.into()));
        }
        Shape::Choice { values, labels } => {
            put("widget", s("select"));
            let options = values
                .iter()
                .map(|v| {
                    let label = t.or_key(&format!("{labels}{v}"), v);
                    Value::Mapping(map([("label", s(&label)), ("value", s(v))]))
                })
                .collect();
            put("options", Value::Sequence(options));
        }
        Shape::List => put("widget", s("list")),
        Shape::Image => {
            put("widget", s("image"));
            put("choose_url", Value::Bool(true));
        }
        Shape::Object(fields) => {
            put("widget", s("object"));
            put("collapsed", Value::Bool(false));
            let inner = fields
                .iter()
                .map(|g| Value::Mapping(widget(g, &format!("{path}.{}", g.key), kind, t)))
                .collect();
            put("fields", Value::Sequence(inner));
        }
    }
    if let Some(d) = f.default {
        put("default", s(d));
    }
    put("required", Value::Bool(f.required.contains(&kind)));
    if let Some(h) = t.get(&format!("admin_hint_{id}")) {
        put("hint", s(h));
    }
    m
}

/// One collection: `content/<kind>/*.md`.
fn collection(kind: Kind, t: &Strings<'_>) -> Mapping {
    let mut fields: Vec<Value> = schema::fields(kind)
        .map(|f| Value::Mapping(widget(f, f.key, kind, t)))
        .collect();
    let mut body = map([
        ("label", s(&t.or_key("admin_field_body", "body"))),
        ("name", s("body")),
        ("widget", s("markdown")),
        ("required", Value::Bool(false)),
    ]);
    if let Some(h) = t.get("admin_hint_body") {
        body.insert(s("hint"), s(h));
    }
    fields.push(Value::Mapping(body));
    let label = t.or_key(&format!("kind_{}", kind.name()), kind.dir());
    let preview = match kind {
        Kind::Page => "{{slug}}/".to_string(),
        k => format!("{}/{{{{slug}}}}/", k.dir()),
    };
    map([
        ("name", s(kind.dir())),
        ("label", s(&label)),
        ("label_singular", s(&label)),
        ("folder", s(&format!("content/{}", kind.dir()))),
        ("create", Value::Bool(true)),
        ("slug", s("{{slug}}")),
        ("extension", s("md")),
        ("format", s("yaml-frontmatter")),
        ("preview_path", s(&preview)),
        ("summary", s("{{title}}")),
        ("fields", Value::Sequence(fields)),
    ])
}

/// The backend section: where saves go.
fn backend(config: &Config) -> Mapping {
    let Some(cms) = &config.cms else {
        return Mapping::new();
    };
    match cms.backend {
        CmsBackend::Local => map([
            ("name", s("proxy")),
            ("proxy_url", s(&local_api(config).unwrap_or_default())),
            ("branch", s(&cms.branch)),
        ]),
        CmsBackend::Github | CmsBackend::Gitlab => {
            let mut m = map([
                ("name", s(cms.backend.as_str())),
                ("repo", s(cms.repo.as_deref().unwrap_or_default())),
                ("branch", s(&cms.branch)),
            ]);
            if let Some(u) = &cms.base_url {
                m.insert(s("base_url"), s(u.trim_end_matches('/')));
            }
            if let Some(a) = &cms.auth_endpoint {
                m.insert(s("auth_endpoint"), s(a));
            }
            if let Some(id) = &cms.app_id {
                m.insert(s("auth_type"), s("pkce"));
                m.insert(s("app_id"), s(id));
            }
            m
        }
    }
}

/// The text of `admin/config.yml`.
pub fn config_yml(config: &Config, strings: &BTreeMap<String, String>) -> String {
    let t = Strings(strings);
    let mut root = map([("backend", Value::Mapping(backend(config)))]);
    if let Some(url) = local_api(config) {
        root.insert(s("local_backend"), Value::Mapping(map([("url", s(&url))])));
    }
    let rest = map([
        ("locale", s(config.language.code())),
        ("site_url", s(&config.base_url)),
        ("display_url", s(&config.base_url)),
        ("media_folder", s(MEDIA_FOLDER)),
        ("public_folder", s(PUBLIC_FOLDER)),
        ("publish_mode", s("simple")),
        (
            "slug",
            Value::Mapping(map([
                ("encoding", s("unicode")),
                ("clean_accents", Value::Bool(false)),
                ("sanitize_replacement", s("-")),
            ])),
        ),
        (
            "collections",
            Value::Sequence(
                Kind::ALL
                    .into_iter()
                    .map(|k| Value::Mapping(collection(k, &t)))
                    .collect(),
            ),
        ),
    ]);
    root.extend(rest);
    let yaml = serde_yaml_ng::to_string(&Value::Mapping(root)).unwrap_or_default();
    format!(
        "# Generated by enishi from its front matter schema (src/model/schema.rs)\n# at every build: edit site.yaml's `cms:` and the theme's i18n strings, not this file.\n{yaml}"
    )
}

/// `admin/index.html`: the editor's page, not indexed.
fn index_html(config: &Config, t: &Strings<'_>) -> String {
    use crate::core::escape::escape_html;
    let title = format!("{} | {}", t.or_key("admin_title", "Editor"), config.title);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"robots\" content=\"noindex, nofollow\">\n<title>{title}</title>\n<link rel=\"icon\" href=\"data:,\">\n<script>window.CMS_MANUAL_INIT = true;</script>\n</head>\n<body>\n<script src=\"decap-cms.js\"></script>\n<script src=\"enishi-admin.js\"></script>\n</body>\n</html>\n",
        lang = config.language.code(),
        title = escape_html(&title),
    )
}

/// `admin/enishi-admin.js`: the theme's CSS in the previews, then start the
/// editor (on serve, against `/api/v1` of the page's own origin, so that
/// `localhost` and `127.0.0.1` both work).
fn admin_js(config: &Config) -> String {
    let css = serde_json::to_string(&config.site_path("/css/style.css")).unwrap_or_default();
    let init = match local_api(config) {
        Some(_) => {
            "CMS.init({ config: { local_backend: { url: location.origin + \"/api/v1\" } } });"
        }
        None => "CMS.init();",
    };
    format!("// Generated by enishi (src/outputs/admin.rs).\nCMS.registerPreviewStyle({css});\n{init}\n")
}

/// Every file of `/admin/` for this site (none without `cms:`).
pub fn outputs(config: &Config, strings: &BTreeMap<String, String>) -> Vec<OutputFile> {
    if config.cms.is_none() {
        return Vec::new();
    }
    let t = Strings(strings);
    let mut files = bundle();
    files.push(OutputFile::new(
        "admin/config.yml",
        config_yml(config, strings),
    ));
    files.push(OutputFile::new("admin/enishi-admin.js", admin_js(config)));
    files.push(OutputFile::new("admin/index.html", index_html(config, &t)));
    files
}

/// `/admin/`: the browser editor.
pub struct Admin;

impl crate::outputs::Output for Admin {
    fn name(&self) -> &'static str {
        "admin"
    }
    fn reads(&self) -> crate::outputs::Reads {
        // Only the config and the UI strings, which every output may read.
        crate::outputs::Reads::default()
    }
    fn run(&self, cx: &crate::outputs::Cx<'_>) -> Vec<OutputFile> {
        outputs(&cx.site.config, cx.strings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    fn hex(bytes: &[u8]) -> String {
        Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The vendored bundle is the pinned release: the main script's hash is
    /// pinned here, every file's in `SHA256SUMS` (which
    /// `.ci/fetch-decap-cms.sh` checks against a fresh download).
    #[test]
    fn bundle_is_the_pinned_release() {
        let dir = crate::render::theme::DEFAULT_THEME
            .get_dir("admin")
            .expect("themes/default/admin is embedded");
        let sums = dir
            .get_file("admin/SHA256SUMS")
            .and_then(|f| f.contents_utf8())
            .expect("SHA256SUMS");
        assert!(
            sums.starts_with(&format!("# decap-cms@{DECAP_VERSION}\n")),
            "{sums:.40}"
        );
        let mut listed = 0;
        for line in sums.lines().filter(|l| !l.starts_with('#')) {
            let (sum, name) = line.split_once("  ").expect("sha256sum line");
            let f = dir
                .get_file(format!("admin/{name}"))
                .unwrap_or_else(|| panic!("{name} listed but missing"));
            assert_eq!(hex(f.contents()), sum, "{name}");
            listed += 1;
        }
        assert_eq!(listed + 1, dir.files().count(), "a file not in SHA256SUMS");
        let main = dir.get_file("admin/decap-cms.js").expect("decap-cms.js");
        assert_eq!(hex(main.contents()), DECAP_SHA256);
    }

    #[test]
    fn loopback_origins() {
        assert!(is_loopback("http://127.0.0.1:1111"));
        assert!(is_loopback("http://localhost/portal"));
        assert!(!is_loopback("https://alumni.example.co.jp"));
        assert!(!is_loopback("http://127.0.0.1.example.com"));
        assert_eq!(origin("https://x.github.io/portal"), "https://x.github.io");
        assert_eq!(origin("http://127.0.0.1:1111"), "http://127.0.0.1:1111");
    }
}
