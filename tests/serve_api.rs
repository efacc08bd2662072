//! Issue 21, the editor's local backend: `POST /api/v1` of `enishi serve`
//! speaks decap-server's protocol (list, read, write and delete entries and
//! media), writes only inside `content/` and `static/`, and only for the
//! editor page of this very server (same `Origin`). Every refusal is a 4xx
//! and leaves every file as it was.

mod serve_support;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};
use serve_support::{api, api_as, get_as, origin, raw, snapshot, Site};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\nnot really a picture";

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn call(a: SocketAddr, action: &str, params: Value) -> (u16, Value) {
    let r = api(a, &json!({ "action": action, "params": params }));
    (r.status, r.json())
}

fn persist(path: &str, raw: &str, assets: Value) -> Value {
    json!({
        "branch": "main",
        "dataFiles": [{ "slug": "x", "path": path, "raw": raw }],
        "assets": assets,
        "options": { "commitMessage": "Create", "useWorkflow": false, "status": "" },
    })
}

fn within(limit: Duration, mut f: impl FnMut() -> bool) -> bool {
    let t0 = Instant::now();
    while t0.elapsed() < limit {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    false
}

#[test]
fn entries_and_media_round_trip() {
    let site = Site::new();
    let srv = site.start();
    let a = srv.addr();

    let (status, info) = call(a, "info", Value::Null);
    assert_eq!(status, 200);
    assert_eq!(info["type"], "local_fs");
    assert_eq!(info["publish_modes"], json!(["simple"]));
    assert!(info["repo"].is_string());

    // A new entry: the editor first asks whether its file exists.
    let path = "content/news/ブラウザ.md";
    let (status, v) = call(a, "getEntry", json!({ "branch": "main", "path": path }));
    assert_eq!(status, 404, "{v}");
    assert!(v["error"].is_string());

    let text = "---\ntitle: ブラウザ\ndate: 2026-11-01\n---\n本文\n";
    let asset =
        json!([{ "path": "static/images/a.png", "content": b64(PNG), "encoding": "base64" }]);
    let (status, v) = call(a, "persistEntry", persist(path, text, asset));
    assert_eq!(status, 200, "{v}");
    assert_eq!(site.read(path).as_deref(), Some(text));
    assert_eq!(
        std::fs::read(site.path("static/images/a.png")).unwrap(),
        PNG
    );
    // Atomic writes leave no temp files behind.
    let names: Vec<String> = std::fs::read_dir(site.path("content/news"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["ブラウザ.md"]);

    let (status, v) = call(a, "getEntry", json!({ "branch": "main", "path": path }));
    assert_eq!(status, 200);
    assert_eq!(v["data"], text);
    assert_eq!(v["file"]["path"], path);
    assert_eq!(v["file"]["id"].as_str().unwrap().len(), 64);

    site.write("content/news/other.txt", "not an entry");
    site.write("content/news/deep/sub.md", "too deep");
    let (status, v) = call(
        a,
        "entriesByFolder",
        json!({ "branch": "main", "folder": "content/news", "extension": "md", "depth": 1 }),
    );
    assert_eq!(status, 200);
    let listed: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["file"]["path"].as_str().unwrap())
        .collect();
    assert_eq!(listed, [path]);
    assert_eq!(v[0]["data"], text);

    let (status, v) = call(
        a,
        "entriesByFiles",
        json!({ "branch": "main", "files": [{ "path": path }, { "path": "content/news/none.md" }] }),
    );
    assert_eq!(status, 200);
    assert_eq!(v[0]["data"], text);
    assert_eq!(v[1]["data"], Value::Null);

    // Media: list, read, upload.
    let (status, v) = call(
        a,
        "getMedia",
        json!({ "branch": "main", "mediaFolder": "static/images" }),
    );
    assert_eq!(status, 200);
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["name"], "a.png");
    assert_eq!(v[0]["path"], "static/images/a.png");
    assert_eq!(v[0]["content"], b64(PNG));
    let (status, v) = call(
        a,
        "getMediaFile",
        json!({ "branch": "main", "path": "static/images/a.png" }),
    );
    assert_eq!(status, 200);
    assert_eq!(v["encoding"], "base64");
    let (status, v) = call(
        a,
        "persistMedia",
        json!({
            "branch": "main",
            "asset": { "path": "static/images/b.png", "content": b64(b"b"), "encoding": "base64" },
            "options": { "commitMessage": "Upload" },
        }),
    );
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["name"], "b.png");
    assert_eq!(
        std::fs::read(site.path("static/images/b.png")).unwrap(),
        b"b"
    );

    // Edit in place, then delete.
    let (status, _) = call(
        a,
        "persistEntry",
        persist(path, "---\ntitle: 直した\n---\n", json!([])),
    );
    assert_eq!(status, 200);
    assert!(site.read(path).unwrap().contains("直した"));
    let opts = json!({ "commitMessage": "Delete" });
    let (status, v) = call(
        a,
        "deleteFile",
        json!({ "branch": "main", "path": path, "options": opts }),
    );
    assert_eq!(status, 200, "{v}");
    assert!(!site.path(path).exists());
    let (status, _) = call(
        a,
        "deleteFiles",
        json!({ "branch": "main", "paths": ["static/images/a.png", "static/images/b.png"], "options": opts }),
    );
    assert_eq!(status, 200);
    assert!(!site.path("static/images/a.png").exists());
    assert!(!site.path("static/images/b.png").exists());

    let (status, v) = call(a, "unpublishedEntries", json!({ "branch": "main" }));
    assert_eq!(status, 422);
    assert!(v["error"].as_str().unwrap().contains("unknown action"));
}

#[cfg(unix)]
#[test]
fn paths_leaving_content_and_static_are_refused_and_nothing_changes() {
    use std::os::unix::fs::symlink;
    let site = Site::new();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "TOPSECRET").unwrap();
    site.write("data/roster.yaml", "- id: TOPSECRET-person\n");
    symlink(outside.path(), site.path("content/out")).unwrap();
    symlink("../data", site.path("static/data")).unwrap();
    symlink(
        "../../data/roster.yaml",
        site.path("content/news/roster.md"),
    )
    .unwrap();
    let srv = site.start();
    let a = srv.addr();
    let before = (snapshot(&site.root()), snapshot(outside.path()));

    let abs = site.path("content/news/abs.md").display().to_string();
    let bad = [
        "../escape.md",
        "content/../site.yaml",
        "content/news/../../data/roster.yaml",
        "content/%2e%2e/site.yaml",
        "content/%2E%2E/%2e%2e/escape.md",
        "%2e%2e/escape.md",
        "/tmp/escape.md",
        abs.as_str(),
        "content\\..\\site.yaml",
        "content/out/secret.txt",
        "content/out/new.md",
        "static/data/roster.yaml",
        "content/news/roster.md",
        "data/roster.yaml",
        "site.yaml",
        "templates/base.html",
        "content/.hidden.md",
    ];
    for path in bad {
        let writes = [
            ("persistEntry", persist(path, "pwned", json!([]))),
            (
                "persistEntry",
                persist(
                    "content/news/ok.md",
                    "fine",
                    json!([{ "path": path, "content": b64(b"pwned"), "encoding": "base64" }]),
                ),
            ),
            (
                "persistMedia",
                json!({ "branch": "main", "asset": { "path": path, "content": b64(b"pwned"), "encoding": "base64" }, "options": { "commitMessage": "x" } }),
            ),
            (
                "deleteFile",
                json!({ "branch": "main", "path": path, "options": { "commitMessage": "x" } }),
            ),
            (
                "deleteFiles",
                json!({ "branch": "main", "paths": ["content/page.md", path], "options": { "commitMessage": "x" } }),
            ),
            ("getEntry", json!({ "branch": "main", "path": path })),
            ("getMediaFile", json!({ "branch": "main", "path": path })),
        ];
        for (action, params) in writes {
            let (status, v) = call(a, action, params);
            assert!(
                (400..500).contains(&status) && status != 404,
                "{action} {path:?}: {status} {v}"
            );
            assert!(v["error"].is_string(), "{action} {path:?}: {v}");
            assert!(!v.to_string().contains("TOPSECRET"), "{v}");
        }
    }
    // A folder listing does not follow links out of content/ and static/.
    for folder in ["content", "content/out", "content/news", "static"] {
        let (status, v) = call(
            a,
            "entriesByFolder",
            json!({ "branch": "main", "folder": folder, "extension": "md", "depth": 5 }),
        );
        assert!(status == 200 || status == 403, "{folder}: {status}");
        let text = v.to_string();
        assert!(
            !text.contains("TOPSECRET") && !text.contains("roster"),
            "{folder}: {text}"
        );
    }
    let (_, v) = call(
        a,
        "getMedia",
        json!({ "branch": "main", "mediaFolder": "static/data" }),
    );
    assert!(!v.to_string().contains("TOPSECRET"), "{v}");
    assert!(
        !v.to_string().contains(&b64(b"- id: TOPSECRET")[..8]),
        "{v}"
    );
    for folder in ["data", "../", "%2e%2e"] {
        let (status, _) = call(
            a,
            "getMedia",
            json!({ "branch": "main", "mediaFolder": folder }),
        );
        assert!((400..500).contains(&status), "{folder}: {status}");
    }

    assert_eq!(
        (snapshot(&site.root()), snapshot(outside.path())),
        before,
        "a refused request changed files"
    );
}

#[test]
fn only_the_served_editor_may_call_it() {
    let site = Site::new();
    let srv = site.start();
    let a = srv.addr();
    let before = snapshot(&site.root());
    let write = json!({ "action": "persistEntry", "params": persist("content/page.md", "pwned", json!([])) });
    let port = a.port();
    let others = [
        Some("http://evil.example".to_string()),
        Some("null".to_string()),
        Some(format!("http://localhost:{port}")),
        Some(format!("https://127.0.0.1:{port}")),
        Some(format!("http://127.0.0.1:{}", port.wrapping_add(1))),
        None,
    ];
    for o in &others {
        let r = api_as(a, o.as_deref(), &write);
        assert_eq!(r.status, 403, "{o:?}: {}", r.text());
        assert!(r.json()["error"].as_str().unwrap().contains("/admin/"));
        assert!(r.header("access-control-allow-origin").is_none());
    }
    // A plain form post (no preflight) and a GET are refused too.
    let form = raw(
        a,
        &format!(
            "POST /api/v1 HTTP/1.1\r\nHost: {a}\r\nOrigin: {}\r\nContent-Type: text/plain\r\n",
            origin(a)
        ),
        write.to_string().as_bytes(),
    );
    assert_eq!(form.status, 415);
    let r = get_as(
        a,
        &a.to_string(),
        "/api/v1",
        &format!("Origin: {}\r\n", origin(a)),
    );
    assert_eq!(r.status, 405);
    assert_eq!(r.header("allow"), Some("POST"));
    // Not JSON, or no action: 4xx naming what was expected.
    let r = raw(
        a,
        &format!(
            "POST /api/v1 HTTP/1.1\r\nHost: {a}\r\nOrigin: {}\r\nContent-Type: application/json\r\n",
            origin(a)
        ),
        b"{\"action\": ",
    );
    assert_eq!(r.status, 400);
    assert!(r.json()["error"].as_str().unwrap().contains("line 1"));
    assert_eq!(
        snapshot(&site.root()),
        before,
        "a refused request changed files"
    );
}

#[test]
fn a_save_rebuilds_and_a_broken_save_is_written_and_shown() {
    let site = Site::new();
    let srv = site.start();
    let a = srv.addr();
    let (status, _) = call(
        a,
        "persistEntry",
        persist("content/page.md", "saved from the editor", json!([])),
    );
    assert_eq!(status, 200);
    assert!(
        within(Duration::from_secs(10), || get_as(
            a,
            &a.to_string(),
            "/",
            ""
        )
        .text()
        .contains("<h1>saved from the editor</h1>")),
        "the save was not rebuilt"
    );
    // The author's work is kept even when it does not build; the site's
    // tabs show why, with file and line.
    let (status, _) = call(
        a,
        "persistEntry",
        persist("content/page.md", "BROKEN", json!([])),
    );
    assert_eq!(status, 200);
    assert_eq!(site.read("content/page.md").as_deref(), Some("BROKEN"));
    assert!(
        within(Duration::from_secs(10), || get_as(
            a,
            &a.to_string(),
            "/",
            ""
        )
        .text()
        .contains("content/page.md:2:5")),
        "the error is not in the overlay"
    );
}
