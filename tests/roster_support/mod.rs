//! Helpers shared by the roster integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use enishi::config::Config;
use enishi::core::output::{HtmlPage, OutputFile};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn load_config(root: &Path) -> Config {
    match enishi::config::load(root, None) {
        Ok(c) => c,
        Err(e) => panic!("config: {e:?}"),
    }
}

/// Stand-in for the lead's base layout: just the `main` block, plus the
/// common context values the real one uses.
const STUB_BASE: &str = r#"<!doctype html><html lang="{{ site.language }}"><head><meta charset="utf-8"><title>{{ page.title }}</title>{% block head %}{% endblock head %}</head><body><main>{% block main %}{% endblock main %}</main></body></html>"#;

/// Render the directory pages with the theme templates and the stub base.
pub fn render_pages(pages: &[HtmlPage], config: &Config) -> BTreeMap<String, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    let mut tera = tera::Tera::default();
    let read = |n: &str| std::fs::read_to_string(dir.join(n)).unwrap();
    tera.add_raw_templates(vec![
        ("base.html", STUB_BASE.to_string()),
        ("alumni.html", read("alumni.html")),
        ("members.html", read("members.html")),
        ("alumni_stats.html", read("alumni_stats.html")),
    ])
    .unwrap();
    let mut out = BTreeMap::new();
    for p in pages {
        let mut ctx = tera::Context::new();
        ctx.insert(
            "site",
            &serde_json::json!({"title": config.title, "language": config.language.code(), "base_path": config.base_path()}),
        );
        ctx.insert("t", &serde_json::json!({}));
        ctx.insert("page_url", &config.abs_url(&p.path));
        ctx.insert(
            "page",
            &serde_json::json!({"title": p.title, "description": p.description}),
        );
        if let serde_json::Value::Object(m) = &p.vars {
            for (k, v) in m {
                ctx.insert(k.clone(), v);
            }
        }
        let html = tera
            .render(&p.template, &ctx)
            .unwrap_or_else(|e| panic!("render {}: {e:?}", p.path));
        out.insert(
            format!("{}index.html", p.path.trim_start_matches('/')),
            html,
        );
    }
    out
}

/// Write rendered pages, files and the theme's static files into `dir`: a
/// browsable site of the directory part (for the browser test).
pub fn write_site(dir: &Path, html: &BTreeMap<String, String>, files: &[OutputFile]) {
    let stat = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/js");
    std::fs::create_dir_all(dir.join("js")).unwrap();
    for f in ["alumni.js", "members.js"] {
        std::fs::copy(stat.join(f), dir.join("js").join(f)).unwrap();
    }
    for (p, s) in html {
        let path = dir.join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, s).unwrap();
    }
    for f in files {
        let path = dir.join(&f.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &f.bytes).unwrap();
    }
}

/// Undo every encoding a value may hide behind in output: HTML entities
/// (named, decimal, hex), JSON/JS `\uXXXX` escapes (with surrogate pairs) and
/// URL percent-encoding. Applied repeatedly, so nested encodings unwrap too.
pub fn decode_all(s: &str) -> String {
    let mut cur = s.to_string();
    for _ in 0..3 {
        let next = percent_decode(&json_unescape(&html_unescape(&cur)));
        if next == cur {
            break;
        }
        cur = next;
    }
    cur
}

fn html_unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let ent = &after[..e];
            let c = match ent {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ if ent.starts_with("#x") || ent.starts_with("#X") => {
                    u32::from_str_radix(&ent[2..], 16)
                        .ok()
                        .and_then(char::from_u32)
                }
                _ if ent.starts_with('#') => ent[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn json_unescape(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let hex = |i: usize| -> Option<u32> {
        if i + 6 <= chars.len() && chars[i] == '\\' && (chars[i + 1] == 'u' || chars[i + 1] == 'U')
        {
            let h: String = chars[i + 2..i + 6].iter().collect();
            u32::from_str_radix(&h, 16).ok()
        } else {
            None
        }
    };
    while i < chars.len() {
        if let Some(u) = hex(i) {
            if (0xD800..0xDC00).contains(&u) {
                if let Some(l) = hex(i + 6).filter(|l| (0xDC00..0xE000).contains(l)) {
                    let c = 0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00);
                    out.extend(char::from_u32(c));
                    i += 12;
                    continue;
                }
            }
            out.push(char::from_u32(u).unwrap_or('\u{FFFD}'));
            i += 6;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Forbidden markers found in `text` (case-insensitive, after decoding).
pub fn find_markers(text: &str, markers: &[&str]) -> Vec<String> {
    let decoded = decode_all(text).to_lowercase();
    let raw = text.to_lowercase();
    markers
        .iter()
        .filter(|m| {
            let m = m.to_lowercase();
            decoded.contains(&m) || raw.contains(&m)
        })
        .map(|m| m.to_string())
        .collect()
}

/// Render through the real theme (the lead's base.html, i18n strings and the
/// `site` globals), as the build will once the directory is wired in.
/// Returns (output path -> HTML, theme static files).
pub fn render_with_theme(
    root: &Path,
    pages: &[HtmlPage],
) -> (BTreeMap<String, String>, Vec<OutputFile>) {
    let opts = enishi::site::BuildOptions {
        root: root.to_path_buf(),
        now: Some("2026-11-01".into()),
        ..Default::default()
    };
    let site = enishi::site::Site::load(&opts).unwrap_or_else(|e| panic!("site: {e:#?}"));
    let mut theme =
        enishi::render::theme::load(root, &site.config).unwrap_or_else(|e| panic!("theme: {e:#?}"));
    enishi::render::prepare(&mut theme, &site);
    let mut out = BTreeMap::new();
    for p in pages {
        let f = enishi::render::render_page(&theme, &site, p)
            .unwrap_or_else(|e| panic!("render {}: {e}", p.path));
        out.insert(f.path, String::from_utf8(f.bytes).unwrap());
    }
    (out, theme.static_files.clone())
}
