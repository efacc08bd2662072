//! Issue 17, DNS rebinding: `serve` answers only requests whose `Host` names
//! the server (`127.0.0.1:P`, `localhost:P`, `[::1]:P`, the `--bind` name).
//! A page on `evil.example` rebound to 127.0.0.1 sends `Host:
//! evil.example:P` and must read nothing: not the pages, not the error
//! overlay (which can quote roster values), not the live-reload stream, not
//! the editor API.

mod serve_support;

use serve_support::{get_as, open_stream, raw, Site};

const WRONG: &[&str] = &[
    "evil.example:{P}",
    "evil.example",
    "127.0.0.1.nip.io:{P}",
    "localhost.evil.example:{P}",
    "127.0.0.1",
    "127.0.0.1:1",
    "10.1.2.3:{P}",
];

fn hosts(list: &[&str], port: u16) -> Vec<String> {
    list.iter()
        .map(|h| h.replace("{P}", &port.to_string()))
        .collect()
}

#[test]
fn pages_answer_only_to_the_names_of_the_server() {
    let site = Site::new();
    let srv = site.start();
    let a = srv.addr();
    for host in hosts(
        &[
            "127.0.0.1:{P}",
            "localhost:{P}",
            "LOCALHOST:{P}",
            "[::1]:{P}",
        ],
        a.port(),
    ) {
        let r = get_as(a, &host, "/", "");
        assert_eq!(r.status, 200, "{host}: {}", r.text());
        assert!(r.text().contains("<h1>hello</h1>"));
    }
    for host in hosts(WRONG, a.port()) {
        let r = get_as(a, &host, "/", "");
        assert_eq!(r.status, 403, "{host}");
        assert!(!r.text().contains("hello"), "{host}: {}", r.text());
        assert!(r.text().contains("http://127.0.0.1:"), "{}", r.text());
        assert!(r.header("content-type").unwrap().starts_with("text/plain"));
    }
    // No Host at all (HTTP/1.0 style) and an empty one.
    for head in ["GET / HTTP/1.0\r\n", "GET / HTTP/1.1\r\nHost: \r\n"] {
        let r = raw(a, head, b"");
        assert_eq!(r.status, 403, "{head:?}");
    }
}

#[test]
fn the_error_overlay_is_not_shown_to_another_host() {
    let site = Site::new();
    site.write("content/page.md", "BROKEN");
    let srv = site.start();
    let a = srv.addr();
    let ok = get_as(a, &a.to_string(), "/", "");
    assert!(ok.text().contains("expected a date like"), "{}", ok.text());
    for host in hosts(WRONG, a.port()) {
        let r = get_as(a, &host, "/", "");
        assert_eq!(r.status, 403, "{host}");
        assert!(!r.text().contains("expected a date"), "{host}");
        assert!(!r.text().contains("__enishi_errors"), "{host}");
    }
}

#[test]
fn the_live_reload_stream_answers_only_to_the_server_names() {
    let site = Site::new();
    let srv = site.start();
    let a = srv.addr();
    let (ok, _keep) = open_stream(a, &format!("Host: localhost:{}\r\n", a.port()));
    assert_eq!(ok, 200);
    for host in hosts(WRONG, a.port()) {
        let (status, _) = open_stream(a, &format!("Host: {host}\r\n"));
        assert_eq!(status, 403, "{host}");
    }
    assert_eq!(srv.reload_clients(), 1);
}

#[test]
fn the_editor_api_answers_only_to_the_server_names() {
    let site = Site::new();
    let srv = site.start();
    let a = srv.addr();
    let body = br#"{"action":"info"}"#;
    for host in hosts(WRONG, a.port()) {
        let r = raw(
            a,
            &format!(
                "POST /api/v1 HTTP/1.1\r\nHost: {host}\r\nOrigin: http://{host}\r\nContent-Type: application/json\r\n"
            ),
            body,
        );
        assert_eq!(r.status, 403, "{host}");
        assert!(!r.text().contains("local_fs"), "{host}");
    }
}

#[test]
fn the_bind_name_is_accepted() {
    let site = Site::new();
    let srv = site.start_on("localhost");
    let a = srv.addr();
    let r = get_as(a, &format!("localhost:{}", a.port()), "/", "");
    assert_eq!(r.status, 200);
    let r = get_as(a, &format!("evil.example:{}", a.port()), "/", "");
    assert_eq!(r.status, 403);
}
