//! Issue 17, cross-site requests: the live-reload stream refuses a page of
//! another site (a present foreign `Origin`, or `Sec-Fetch-Site` naming
//! another site) but accepts what a same-origin `EventSource` sends (no
//! `Origin`, `Sec-Fetch-Site: same-origin`, as Chromium 156 does); every
//! request that is not `GET` or `HEAD` needs this server's own `Origin`.

mod serve_support;

use serve_support::{api_as, open_stream, origin, raw, snapshot, Site};

#[test]
fn the_stream_accepts_its_own_pages_and_refuses_other_sites() {
    let site = Site::new();
    let srv = site.start();
    let a = srv.addr();
    let p = a.port();
    let host = format!("Host: {a}\r\n");
    let own = origin(a);
    let mut kept = Vec::new();
    for ok in [
        String::new(),
        "Sec-Fetch-Site: same-origin\r\nSec-Fetch-Mode: cors\r\n".to_string(),
        format!("Origin: {own}\r\n"),
        format!("Origin: {own}\r\nSec-Fetch-Site: same-origin\r\n"),
        "Sec-Fetch-Site: none\r\n".to_string(),
    ] {
        let (status, keep) = open_stream(a, &format!("{host}{ok}"));
        assert_eq!(status, 200, "{ok:?}");
        kept.push(keep);
    }
    for bad in [
        "Origin: http://evil.example\r\n".to_string(),
        format!("Origin: http://evil.example:{p}\r\n"),
        "Origin: null\r\n".to_string(),
        format!("Origin: https://127.0.0.1:{p}\r\n"),
        // Another origin of this very server is still another origin.
        format!("Origin: http://localhost:{p}\r\nSec-Fetch-Site: cross-site\r\n"),
        // An <img> or <link> on a page of another port or site.
        "Sec-Fetch-Site: same-site\r\nSec-Fetch-Mode: no-cors\r\n".to_string(),
        "Sec-Fetch-Site: cross-site\r\n".to_string(),
    ] {
        let (status, _) = open_stream(a, &format!("{host}{bad}"));
        assert_eq!(status, 403, "{bad:?}");
    }
    assert_eq!(srv.reload_clients(), kept.len());
}

#[test]
fn requests_other_than_reads_need_the_servers_own_origin() {
    let site = Site::new();
    let before = snapshot(&site.root());
    let srv = site.start();
    let a = srv.addr();
    let p = a.port();
    let write = serde_json::json!({
        "action": "save",
        "path": "content/page.md",
        "content": "pwned"
    });
    for from in [
        None,
        Some("null".to_string()),
        Some("http://evil.example".to_string()),
        Some(format!("http://localhost:{p}")),
        Some(format!("http://127.0.0.1:{}", p.wrapping_add(1))),
    ] {
        let r = api_as(a, from.as_deref(), &write);
        assert_eq!(r.status, 403, "{from:?}: {}", r.text());
        assert!(r.text().contains("Origin"), "{}", r.text());
        assert!(!r.text().contains("evil"), "{}", r.text());
        for method in ["PUT", "DELETE", "PATCH", "OPTIONS"] {
            let o = from
                .as_ref()
                .map(|o| format!("Origin: {o}\r\n"))
                .unwrap_or_default();
            let r = raw(
                a,
                &format!("{method} /content/page.md HTTP/1.1\r\nHost: {a}\r\n{o}"),
                b"x",
            );
            assert_eq!(r.status, 403, "{method} from {from:?}");
        }
    }
    // The stream's own path is no way around it.
    let r = raw(
        a,
        &format!(
            "POST {} HTTP/1.1\r\nHost: {a}\r\nOrigin: http://evil.example\r\n",
            enishi::serve::EVENTS_PATH
        ),
        b"x",
    );
    assert_eq!(r.status, 403);
    // From this server's own page the request gets past the origin check
    // (to whatever answers that path).
    let r = api_as(a, Some(&origin(a)), &serde_json::json!({"action": "info"}));
    assert_ne!(r.status, 403, "{}", r.text());
    let r = raw(
        a,
        &format!(
            "DELETE /content/page.md HTTP/1.1\r\nHost: {a}\r\nOrigin: {}\r\n",
            origin(a)
        ),
        b"",
    );
    assert_ne!(r.status, 403);
    drop(srv);
    assert_eq!(
        snapshot(&site.root()),
        before,
        "a refused request changed files"
    );
}
