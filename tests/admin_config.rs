//! `/admin/` (issue 21): the editor configuration that `enishi build` writes
//! is generated from the front matter schema, and the loader agrees with it:
//! every field the editor offers is accepted for its kind, every key the
//! loader reads is offered, selects offer exactly the allowed values,
//! `required` is exactly what the build requires, and every key of every
//! example-site file is covered. `/admin/` is noindex and in no sitemap,
//! search index or feed.

mod common;

use std::path::Path;

use common::*;
use enishi::model::schema::{self, Field, Value as Shape};
use enishi::model::Kind;
use serde_yaml_ng::{Mapping, Value};

const ROSTER: &str = "- id: sample-id\n  name: 見本 太郎\n";

/// A copy of example-site with `cms:` replaced by `cms`, built with
/// `extra` arguments; returns the temp dir (output in `public/`).
fn example_with(cms: &str, extra: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site");
    for e in walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(&src).expect("prefix");
        if rel.starts_with("public") {
            continue;
        }
        let to = dir.path().join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("mkdir");
        } else {
            std::fs::copy(e.path(), &to).expect("copy");
        }
    }
    let yaml = std::fs::read_to_string(dir.path().join("site.yaml")).expect("site.yaml");
    let start = yaml.find("\ncms:").expect("example-site has cms:");
    let mut yaml = yaml[..start + 1].to_string();
    yaml.push_str(cms);
    write(dir.path(), "site.yaml", &yaml);
    let o = build(dir.path(), extra);
    assert!(o.status.success(), "{}", stderr(&o));
    dir
}

fn config_of(root: &Path) -> Value {
    serde_yaml_ng::from_str(&read(root, "admin/config.yml")).expect("config.yml is YAML")
}

fn get<'a>(v: &'a Value, key: &str) -> &'a Value {
    v.get(key).unwrap_or_else(|| panic!("no `{key}` in {v:?}"))
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    get(v, key)
        .as_str()
        .unwrap_or_else(|| panic!("`{key}` not a string"))
}

fn seq<'a>(v: &'a Value, key: &str) -> &'a Vec<Value> {
    get(v, key)
        .as_sequence()
        .unwrap_or_else(|| panic!("`{key}` not a list"))
}

fn collection(config: &Value, kind: Kind) -> &Value {
    seq(config, "collections")
        .iter()
        .find(|c| str_of(c, "name") == kind.dir())
        .unwrap_or_else(|| panic!("no collection {}", kind.dir()))
}

/// The editor's fields of a collection, without the Markdown body.
fn front_fields(c: &Value) -> Vec<&Value> {
    seq(c, "fields")
        .iter()
        .filter(|f| str_of(f, "name") != "body")
        .collect()
}

/// The editor field matches the schema key: name, widget, values, required,
/// and the same for every nested key.
fn assert_matches(f: &Value, spec: &Field, kind: Kind, path: &str) {
    assert_eq!(str_of(f, "name"), spec.key, "{path}");
    let widget = str_of(f, "widget");
    let want = match spec.value {
        Shape::Line | Shape::Url { .. } => "string",
        Shape::Text => "text",
        Shape::Date | Shape::DateTime => "datetime",
        Shape::Bool => "boolean",
        Shape::Int => "number",
        Shape::Choice { .. } => "select",
        Shape::List => "list",
        Shape::Image => "image",
        Shape::Object(_) => "object",
    };
    assert_eq!(widget, want, "{path}: widget");
    let required = get(f, "required").as_bool().expect("required is a bool");
    assert_eq!(required, spec.required.contains(&kind), "{path}: required");
    assert_ne!(
        str_of(f, "label"),
        spec.key,
        "{path}: no label in the i18n strings"
    );
    match spec.value {
        Shape::Choice { values, .. } => {
            let offered: Vec<&str> = seq(f, "options")
                .iter()
                .map(|o| str_of(o, "value"))
                .collect();
            assert_eq!(offered, values, "{path}: options");
        }
        Shape::Object(fields) => {
            let inner = seq(f, "fields");
            assert_eq!(inner.len(), fields.len(), "{path}: nested fields");
            for (g, s) in inner.iter().zip(fields) {
                assert_matches(g, s, kind, &format!("{path}.{}", s.key));
            }
        }
        Shape::Date => assert_eq!(get(f, "time_format"), &Value::Bool(false), "{path}"),
        Shape::Image => {}
        _ => {}
    }
}

#[test]
fn config_is_generated_from_the_schema_both_ways() {
    let dir = example_with(
        "cms: { backend: github, repo: sample-co/alumni-portal, branch: main }\n",
        &[],
    );
    let config = config_of(dir.path());
    let backend = get(&config, "backend");
    assert_eq!(str_of(backend, "name"), "github");
    assert_eq!(str_of(backend, "repo"), "sample-co/alumni-portal");
    assert_eq!(str_of(backend, "branch"), "main");
    assert!(
        config.get("local_backend").is_none(),
        "deployed: no local backend"
    );
    assert_eq!(str_of(&config, "media_folder"), "static/images");
    assert_eq!(str_of(&config, "public_folder"), "/images");
    assert_eq!(str_of(&config, "locale"), "ja");
    let names: Vec<&str> = seq(&config, "collections")
        .iter()
        .map(|c| str_of(c, "name"))
        .collect();
    assert_eq!(names, Kind::ALL.map(|k| k.dir()));
    for kind in Kind::ALL {
        let c = collection(&config, kind);
        assert_eq!(str_of(c, "folder"), format!("content/{}", kind.dir()));
        assert_eq!(get(c, "create"), &Value::Bool(true));
        assert!(str_of(c, "slug").contains("{{slug}}"));
        let fields = front_fields(c);
        let spec: Vec<&Field> = schema::fields(kind).collect();
        let offered: Vec<&str> = fields.iter().map(|f| str_of(f, "name")).collect();
        let keys: Vec<&str> = spec.iter().map(|f| f.key).collect();
        assert_eq!(offered, keys, "{}: editor fields vs schema", kind.dir());
        for (f, s) in fields.iter().zip(&spec) {
            assert_matches(f, s, kind, &format!("{}.{}", kind.dir(), s.key));
        }
        let body = seq(c, "fields").last().expect("fields");
        assert_eq!(
            (str_of(body, "name"), str_of(body, "widget")),
            ("body", "markdown")
        );
    }
    // Labels in the site's language.
    let title = front_fields(collection(&config, Kind::News))[0];
    assert_eq!(str_of(title, "label"), "タイトル");
}

/// A value of the editor's field as an author would enter it.
fn sample(f: &Value) -> Value {
    let s = |v: &str| Value::String(v.to_string());
    let name = str_of(f, "name");
    match (str_of(f, "widget"), name) {
        ("string", "roster_id") => s("sample-id"),
        ("string", "slug") => s("sample-slug"),
        ("string", "currency") => s("JPY"),
        ("string", _) if f.get("pattern").is_some() => s("https://example.jp/form"),
        ("string" | "text", _) => s("見本のテキスト"),
        ("list", "aliases") => Value::Sequence(vec![s("/old/sample/")]),
        ("list", _) => Value::Sequence(vec![s("見本タグ")]),
        ("image", _) => s("/images/sample.png"),
        ("boolean", _) => Value::Bool(false),
        ("number", _) => Value::Number(10.into()),
        ("datetime", _) if get(f, "time_format") == &Value::Bool(false) => s("2026-10-01"),
        ("datetime", _) => s("2026-12-01T19:00:00+09:00"),
        ("select", _) => match f.get("default") {
            Some(d) => d.clone(),
            None => get(&seq(f, "options")[0], "value").clone(),
        },
        ("object", _) => {
            let mut m = Mapping::new();
            for g in seq(f, "fields") {
                m.insert(get(g, "name").clone(), sample(g));
            }
            Value::Mapping(m)
        }
        (w, _) => panic!("{name}: unexpected widget {w}"),
    }
}

/// A content file with these front matter fields set to samples.
fn file_with(fields: &[&Value]) -> String {
    let mut m = Mapping::new();
    for f in fields {
        m.insert(get(f, "name").clone(), sample(f));
    }
    let yaml = serde_yaml_ng::to_string(&Value::Mapping(m)).expect("yaml");
    format!("---\n{yaml}---\n本文です。\n")
}

fn check(files: &[(&str, String)]) -> std::process::Output {
    let dir = site(&[("data/roster.yaml", ROSTER)]);
    // The image the samples use (a missing image is an error).
    write_png(dir.path(), "static/images/sample.png", 64, 48);
    for (p, c) in files {
        write(dir.path(), p, c);
    }
    let o = bin()
        .args(["check", "--root"])
        .arg(dir.path())
        .output()
        .expect("run enishi check");
    o
}

/// Every field the editor offers is accepted by the loader for that kind
/// (a file using all of them passes `enishi check`); a key the editor
/// offers only to other kinds is refused.
#[test]
fn the_loader_accepts_every_offered_field_and_only_for_its_kind() {
    let dir = example_with("cms: { backend: local }\n", &[]);
    let config = config_of(dir.path());
    for kind in Kind::ALL {
        let fields = front_fields(collection(&config, kind));
        let path = format!("content/{}/sample.md", kind.dir());
        let o = check(&[(&path, file_with(&fields))]);
        assert!(o.status.success(), "{}: {}", kind.dir(), stderr(&o));
        let own: Vec<&str> = fields.iter().map(|f| str_of(f, "name")).collect();
        for other in Kind::ALL {
            for f in front_fields(collection(&config, other)) {
                if own.contains(&str_of(f, "name")) {
                    continue;
                }
                let mut with = fields.clone();
                with.push(f);
                let o = check(&[(&path, file_with(&with))]);
                assert!(
                    !o.status.success(),
                    "{}: `{}` (offered for {}) was accepted",
                    kind.dir(),
                    str_of(f, "name"),
                    other.dir()
                );
            }
        }
    }
}

/// `required: true` exactly where the build requires: the required fields
/// alone pass, and leaving out any one of them fails.
#[test]
fn required_exactly_where_the_build_requires() {
    let dir = example_with("cms: { backend: local }\n", &[]);
    let config = config_of(dir.path());
    for kind in Kind::ALL {
        let required: Vec<&Value> = front_fields(collection(&config, kind))
            .into_iter()
            .filter(|f| get(f, "required") == &Value::Bool(true))
            .collect();
        assert!(!required.is_empty(), "{}: title at least", kind.dir());
        let path = format!("content/{}/sample.md", kind.dir());
        let o = check(&[(&path, file_with(&required))]);
        assert!(o.status.success(), "{}: {}", kind.dir(), stderr(&o));
        for i in 0..required.len() {
            let mut less = required.clone();
            let gone = less.remove(i);
            let o = check(&[(&path, file_with(&less))]);
            assert!(
                !o.status.success(),
                "{}: without required `{}` the build passed",
                kind.dir(),
                str_of(gone, "name")
            );
        }
    }
}

#[test]
fn job_kind_select_offers_exactly_the_five_job_kinds() {
    let dir = example_with("cms: { backend: local }\n", &[]);
    let config = config_of(dir.path());
    let jobs = front_fields(collection(&config, Kind::Job));
    let kind = jobs
        .iter()
        .find(|f| str_of(f, "name") == "kind")
        .expect("job kind");
    let values: Vec<&str> = seq(kind, "options")
        .iter()
        .map(|o| str_of(o, "value"))
        .collect();
    assert_eq!(
        values,
        ["comeback", "referral", "side-job", "contract", "full-time"]
    );
    let labels: Vec<&str> = seq(kind, "options")
        .iter()
        .map(|o| str_of(o, "label"))
        .collect();
    assert_eq!(labels[0], "カムバック");
    // The build agrees: each is accepted, anything else is not.
    for v in values.iter().copied().chain(["internship"]) {
        let o = check(&[(
            "content/jobs/j.md",
            format!("---\ntitle: J\ndate: 2026-10-01\nkind: {v}\n---\n"),
        )]);
        assert_eq!(o.status.success(), v != "internship", "{v}: {}", stderr(&o));
    }
}

/// Every key (at every level) of every example-site content file is a field
/// the editor offers in that file's collection.
#[test]
fn example_site_files_are_covered_by_the_editor() {
    let dir = example_with("cms: { backend: local }\n", &[]);
    let config = config_of(dir.path());
    fn covered(front: &Mapping, fields: &[Value], file: &str, at: &str) -> usize {
        let mut n = 0;
        for (k, v) in front {
            let k = k.as_str().unwrap_or_default();
            let f = fields
                .iter()
                .find(|f| str_of(f, "name") == k)
                .unwrap_or_else(|| panic!("{file}: `{at}{k}` is not offered by the editor"));
            n += 1;
            if let (Some(m), Some(inner)) = (v.as_mapping(), f.get("fields")) {
                let inner = inner.as_sequence().expect("fields");
                n += covered(m, inner, file, &format!("{at}{k}."));
            }
        }
        n
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site/content");
    let (mut files, mut keys) = (0, 0);
    for kind in Kind::ALL {
        let fields = seq(collection(&config, kind), "fields");
        for e in walkdir::WalkDir::new(root.join(kind.dir()))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        {
            let text = std::fs::read_to_string(e.path()).expect("read");
            let yaml = text
                .split("\n---")
                .next()
                .and_then(|t| t.strip_prefix("---\n"))
                .expect("front matter");
            let front: Mapping = serde_yaml_ng::from_str(yaml).expect("yaml");
            keys += covered(&front, fields, &e.path().display().to_string(), "");
            files += 1;
        }
    }
    assert!(
        files >= 20 && keys > files * 4,
        "{files} files, {keys} keys"
    );
}

#[test]
fn admin_is_noindex_and_in_no_sitemap_search_or_feed() {
    let dir = example_with(
        "cms: { backend: github, repo: sample-co/alumni-portal }\n",
        &[],
    );
    let root = dir.path();
    let html = read(root, "admin/index.html");
    assert!(
        html.contains("<meta name=\"robots\" content=\"noindex"),
        "{html}"
    );
    assert!(
        html.contains("<script src=\"decap-cms.js\"></script>"),
        "{html}"
    );
    assert!(!html.contains("http"), "no other origin: {html}");
    assert!(exists(root, "admin/decap-cms.js"));
    assert!(
        read(root, "admin/enishi-admin.js").contains("registerPreviewStyle(\"/css/style.css\")")
    );
    let mut checked = 0;
    for (path, bytes) in tree(&root.join("public")) {
        let p = path.to_string_lossy();
        let listing = p == "sitemap.xml" || p.ends_with(".xml") || p.starts_with("search/");
        if listing {
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains("/admin"), "{p} mentions /admin");
            checked += 1;
        }
    }
    assert!(checked > 5, "{checked} listings checked");
}

#[test]
fn without_cms_no_admin() {
    let dir = site(&[("content/news/a.md", &news("A", "2026-10-01", "", "x"))]);
    let o = build(dir.path(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!exists(dir.path(), "admin"));
}

/// A build for `enishi serve` (loopback base URL) saves through serve's
/// `/api/v1`, whatever the deployed backend; the local backend always.
#[test]
fn serve_builds_use_the_local_api() {
    let dir = example_with(
        "cms: { backend: local }\n",
        &["--base-url", "http://127.0.0.1:1111"],
    );
    let config = config_of(dir.path());
    let backend = get(&config, "backend");
    assert_eq!(str_of(backend, "name"), "proxy");
    assert_eq!(str_of(backend, "proxy_url"), "http://127.0.0.1:1111/api/v1");
    assert_eq!(
        str_of(get(&config, "local_backend"), "url"),
        "http://127.0.0.1:1111/api/v1"
    );
    let js = read(dir.path(), "admin/enishi-admin.js");
    assert!(js.contains("location.origin + \"/api/v1\""), "{js}");

    let dir = example_with(
        "cms: { backend: github, repo: a/b }\n",
        &["--base-url", "http://127.0.0.1:1111"],
    );
    let config = config_of(dir.path());
    assert_eq!(str_of(get(&config, "backend"), "name"), "github");
    assert_eq!(
        str_of(get(&config, "local_backend"), "url"),
        "http://127.0.0.1:1111/api/v1"
    );
}

#[test]
fn english_site_gets_english_labels() {
    let dir = site(&[("content/news/a.md", &news("A", "2026-10-01", "", "x"))]);
    let yaml = SITE_YAML.replace("language: ja", "language: en") + "cms: { backend: local }\n";
    write(dir.path(), "site.yaml", &yaml);
    let o = build(dir.path(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let config = config_of(dir.path());
    assert_eq!(str_of(&config, "locale"), "en");
    let jobs = front_fields(collection(&config, Kind::Job));
    let labels: Vec<&str> = jobs.iter().map(|f| str_of(f, "label")).collect();
    assert_eq!(labels[0], "Title");
    for (f, s) in jobs.iter().zip(schema::fields(Kind::Job)) {
        assert_matches(f, s, Kind::Job, s.key);
    }
}

#[test]
fn a_bad_cms_key_is_an_error_with_its_line() {
    let dir = site(&[]);
    write(
        dir.path(),
        "site.yaml",
        &format!("{SITE_YAML}cms:\n  backend: github\n  branh: main\n"),
    );
    let o = build(dir.path(), &[]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains("site.yaml:9:3"), "{e}");
    assert!(e.contains("did you mean `branch`"), "{e}");
}
