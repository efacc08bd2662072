//! The dev server end to end, in process: a real socket, real file writes
//! under a temp site root, a fake rebuild closure that turns
//! `content/page.md` into a tiny tree. Once the CLI wires `enishi serve`,
//! the same checks can drive the binary (`env!("CARGO_BIN_EXE_enishi")`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use enishi::core::diag::Diagnostic;
use enishi::core::output::OutputTree;
use enishi::serve::{start, ChangeSet, DevServer, ServeError, ServeOptions, EVENTS_PATH};

// ---------------------------------------------------------------- helpers

mod serve_support;
use serve_support::Resp;

/// One HTTP/1.1 request with a raw request-target, exactly as given.
fn request(addr: SocketAddr, method: &str, target: &str) -> Resp {
    request_with(addr, method, target, "")
}

/// `extra`: more header lines, each ending in `\r\n`.
fn request_with(addr: SocketAddr, method: &str, target: &str, extra: &str) -> Resp {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        s,
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{extra}\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    serve_support::parse(&raw)
}

fn get(addr: SocketAddr, target: &str) -> Resp {
    request(addr, "GET", target)
}

/// A live-reload stream, read as a browser's EventSource would
/// (HTTP/1.1, chunked body).
struct Events {
    reader: BufReader<TcpStream>,
    /// Decoded body not yet parsed into events.
    buf: String,
    ended: bool,
}

impl Events {
    fn open(addr: SocketAddr) -> Events {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        write!(
            s,
            "GET {EVENTS_PATH} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(s);
        let mut status = String::new();
        reader.read_line(&mut status).unwrap();
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        let (mut saw_type, mut saw_chunked) = (false, false);
        loop {
            let mut l = String::new();
            reader.read_line(&mut l).unwrap();
            let lower = l.to_ascii_lowercase();
            saw_type |= lower.starts_with("content-type: text/event-stream");
            saw_chunked |= lower.starts_with("transfer-encoding: chunked");
            if l == "\r\n" {
                break;
            }
        }
        assert!(saw_type && saw_chunked);
        Events {
            reader,
            buf: String::new(),
            ended: false,
        }
    }

    /// Read one chunk into `buf`; false at the last (empty) chunk.
    fn read_chunk(&mut self) -> bool {
        let mut size = String::new();
        let n = self.reader.read_line(&mut size).expect("data within 5 s");
        assert!(n > 0, "connection closed mid-stream");
        let size = usize::from_str_radix(size.trim(), 16).expect("chunk size");
        let mut data = vec![0u8; size + 2];
        self.reader.read_exact(&mut data).unwrap();
        assert_eq!(&data[size..], b"\r\n");
        self.buf
            .push_str(std::str::from_utf8(&data[..size]).unwrap());
        size > 0
    }

    /// The data of the next `build` event.
    fn next_build(&mut self) -> String {
        loop {
            while let Some(end) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..end + 2).collect();
                let mut event = "";
                let mut data = "";
                for l in block.lines() {
                    if let Some(v) = l.strip_prefix("event: ") {
                        event = v;
                    } else if let Some(v) = l.strip_prefix("data: ") {
                        data = v;
                    }
                }
                if event == "build" {
                    return data.to_string();
                }
            }
            assert!(!self.ended, "stream ended");
            self.ended = !self.read_chunk();
        }
    }

    /// Read until the last chunk: the server ended the stream.
    fn read_to_end_of_stream(&mut self) {
        while self.read_chunk() {}
    }
}

/// A site root with `content/page.md`, and a rebuild closure that renders
/// it. "BROKEN" in the file is a build error at 2:5; "PANIC" panics.
struct Site {
    dir: tempfile::TempDir,
    calls: Arc<Mutex<Vec<ChangeSet>>>,
}

impl Site {
    fn new(text: &str) -> Site {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::create_dir_all(dir.path().join("data")).unwrap();
        std::fs::write(dir.path().join("site.yaml"), "title: t\n").unwrap();
        std::fs::write(dir.path().join("content/page.md"), text).unwrap();
        // A file next to the output that must never be served.
        std::fs::write(dir.path().join("secret.txt"), "TOP-SECRET").unwrap();
        Site {
            dir,
            calls: Arc::new(Mutex::new(Vec::new())),
        }
    }

    fn root(&self) -> PathBuf {
        std::fs::canonicalize(self.dir.path()).unwrap()
    }

    fn page(&self) -> PathBuf {
        self.root().join("content/page.md")
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn calls(&self) -> usize {
        self.calls.lock().unwrap().len()
    }

    fn start(&self) -> DevServer {
        let page = self.page();
        let calls = Arc::clone(&self.calls);
        let opts = ServeOptions {
            root: self.dir.path().to_path_buf(),
            bind: "127.0.0.1".into(),
            port: 0,
        };
        start(&opts, move |changes: &ChangeSet| {
            calls.lock().unwrap().push(changes.clone());
            let text = std::fs::read_to_string(&page).unwrap_or_default();
            build(&text)
        })
        .unwrap()
    }
}

fn build(text: &str) -> Result<OutputTree, Vec<Diagnostic>> {
    if text.contains("PANIC") {
        panic!("boom in the pipeline");
    }
    if text.contains("BROKEN") {
        return Err(vec![Diagnostic::error(
            "content/page.md",
            "expected a date like 2026-10-20, found <script>alert(1)</script>",
        )
        .at(2, 5)]);
    }
    let mut t = OutputTree::new();
    let page = |body: &str| {
        format!("<!doctype html><html><body><h1>{body}</h1></body></html>")
            .into_bytes()
            .into()
    };
    t.insert("index.html".into(), page(text.trim()));
    t.insert("news/index.html".into(), page("news"));
    t.insert("news/a/index.html".into(), page("news a"));
    t.insert("tags/採用/index.html".into(), page("tag 採用"));
    t.insert("404.html".into(), page("SITE-404 ページが見つかりません"));
    t.insert(
        "feed.xml".into(),
        b"<rss><channel></channel></rss></body>".to_vec().into(),
    );
    t.insert(
        "events/calendar.ics".into(),
        b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".to_vec().into(),
    );
    t.insert("search/0a.json".into(), b"{}".to_vec().into());
    t.insert("js/search.js".into(), b"1;".to_vec().into());
    t.insert("css/site.css".into(), b"body{}".to_vec().into());
    t.insert("x.wasm".into(), b"\0asm".to_vec().into());
    t.insert("robots.txt".into(), b"User-agent: *\n".to_vec().into());
    // Big enough for tiny_http to switch to chunked transfer.
    t.insert("big.html".into(), page(&"あ".repeat(40_000)));
    Ok(t)
}

/// Poll `f` until it holds or `limit` passes; returns the time it took.
fn within(limit: Duration, mut f: impl FnMut() -> bool) -> Option<Duration> {
    let t0 = Instant::now();
    while t0.elapsed() < limit {
        if f() {
            return Some(t0.elapsed());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    None
}

// ---------------------------------------------------------------- serving

#[test]
fn serves_pages_with_types_and_no_store() {
    let site = Site::new("こんにちは");
    let srv = site.start();
    let a = srv.addr();

    let r = get(a, "/");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let html = r.text();
    assert!(html.contains("<h1>こんにちは</h1>"));
    // Live reload script injected into HTML responses, before </body>.
    let script = html.find(EVENTS_PATH).expect("reload script");
    assert!(script < html.rfind("</body>").unwrap());
    assert_eq!(
        r.header("content-length"),
        Some(r.body.len().to_string().as_str())
    );

    for (path, ct) in [
        ("/feed.xml", "application/xml; charset=utf-8"),
        ("/events/calendar.ics", "text/calendar; charset=utf-8"),
        ("/search/0a.json", "application/json; charset=utf-8"),
        ("/js/search.js", "text/javascript; charset=utf-8"),
        ("/css/site.css", "text/css; charset=utf-8"),
        ("/x.wasm", "application/wasm"),
        ("/robots.txt", "text/plain; charset=utf-8"),
    ] {
        let r = get(a, path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some(ct), "{path}");
        assert_eq!(r.header("cache-control"), Some("no-store"), "{path}");
        assert!(!r.text().contains(EVENTS_PATH), "no script in {path}");
    }
    // Non-HTML bytes are served untouched (feed.xml even contains "</body>").
    assert_eq!(
        get(a, "/feed.xml").body,
        b"<rss><channel></channel></rss></body>"
    );

    // Japanese paths, percent-encoded as browsers send them.
    let r = get(a, "/tags/%E6%8E%A1%E7%94%A8/");
    assert_eq!(r.status, 200);
    assert!(r.text().contains("tag 採用"));

    // A large page (chunked by tiny_http) arrives whole, script included.
    let r = get(a, "/big.html");
    assert_eq!(r.status, 200);
    assert!(r.text().contains(&"あ".repeat(40_000)));
    assert!(r.text().contains(EVENTS_PATH));

    // HEAD: headers, no body.
    let r = request(a, "HEAD", "/");
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());
    // Other methods are refused: 403 from another site or without Origin
    // (tests/serve_origin.rs), 405 from this server's own pages.
    assert_eq!(request(a, "POST", "/").status, 403);
    let r = request_with(a, "POST", "/", &format!("Origin: http://{a}\r\n"));
    assert_eq!(r.status, 405);
    assert_eq!(r.header("allow"), Some("GET, HEAD"));
    srv.stop();
}

#[test]
fn byte_ranges_are_served_with_206_and_416() {
    let site = Site::new("range");
    let srv = site.start();
    let a = srv.addr();
    let range = |h: &str| request_with(a, "GET", "/feed.xml", &format!("Range: {h}\r\n"));
    let whole = b"<rss><channel></channel></rss></body>";
    let r = range("bytes=5-13");
    assert_eq!(r.status, 206);
    assert_eq!(r.body, &whole[5..=13]);
    assert_eq!(r.header("content-range"), Some("bytes 5-13/37"));
    assert_eq!(r.header("accept-ranges"), Some("bytes"));
    assert_eq!(
        r.header("content-type"),
        Some("application/xml; charset=utf-8")
    );
    let r = range("bytes=30-");
    assert_eq!((r.status, r.body.as_slice()), (206, &whole[30..]));
    let r = range("bytes=-4");
    assert_eq!((r.status, r.body.as_slice()), (206, &whole[33..]));
    assert_eq!(r.header("content-range"), Some("bytes 33-36/37"));
    let r = range("bytes=37-40");
    assert_eq!(r.status, 416);
    assert_eq!(r.header("content-range"), Some("bytes */37"));
    // Several ranges or nonsense: the whole file, 200.
    let r = range("bytes=0-1,3-4");
    assert_eq!((r.status, r.body.as_slice()), (200, whole.as_slice()));
    let r = get(a, "/feed.xml");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("accept-ranges"), Some("bytes"));
    srv.stop();
}

#[test]
fn missing_pages_get_the_sites_404_with_status_404() {
    let site = Site::new("x");
    let srv = site.start();
    for path in ["/nope/", "/nope", "/news/zzz/", "/feed.xml/", "/index.htm"] {
        let r = get(srv.addr(), path);
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
        assert!(
            r.text().contains("SITE-404 ページが見つかりません"),
            "{path}"
        );
        assert!(r.text().contains(EVENTS_PATH));
    }
}

#[test]
fn directories_redirect_to_the_trailing_slash() {
    let site = Site::new("x");
    let srv = site.start();
    let r = get(srv.addr(), "/news");
    assert_eq!(r.status, 308);
    assert_eq!(r.header("location"), Some("/news/"));
    let r = get(srv.addr(), "/tags/%E6%8E%A1%E7%94%A8?x=1");
    assert_eq!(r.status, 308);
    assert_eq!(r.header("location"), Some("/tags/%E6%8E%A1%E7%94%A8/?x=1"));
    let r = get(srv.addr(), "/news/a/");
    assert_eq!(r.status, 200);
    assert!(r.text().contains("news a"));
}

#[test]
fn traversal_is_refused_in_every_encoding() {
    let site = Site::new("x");
    let srv = site.start();
    for bad in [
        "/../secret.txt",
        "/news/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2E/secret.txt",
        "/.%2e/secret.txt",
        "/news/..%2f..%2fsecret.txt",
        "/news%2f..%2f..%2fsecret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/secret.txt%00.html",
        "/%00",
        "//secret.txt",
        "/./secret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "http://evil.example/../secret.txt",
    ] {
        let r = get(srv.addr(), bad);
        assert_eq!(r.status, 400, "{bad}: {}", r.text());
        assert!(!r.text().contains("TOP-SECRET"), "{bad}");
    }
    // Things that merely do not exist in the tree, including the real file
    // next to it and a doubly encoded `..`, are 404: disk is never read.
    for missing in [
        "/secret.txt",
        "/%252e%252e/secret.txt",
        "/site.yaml",
        "/content/page.md",
    ] {
        let r = get(srv.addr(), missing);
        assert_eq!(r.status, 404, "{missing}");
        assert!(!r.text().contains("TOP-SECRET"), "{missing}");
    }
}

// ---------------------------------------------------------------- reload

#[test]
fn an_edit_is_visible_within_a_second_and_tabs_are_told() {
    let site = Site::new("version one");
    let srv = site.start();
    let a = srv.addr();
    assert!(get(a, "/").text().contains("version one"));
    let mut events = Events::open(a);
    let first = events.next_build();
    assert!(
        get(a, "/").text().contains(&format!("\"{first}\"")),
        "page carries its build token"
    );

    let t0 = Instant::now();
    site.write("content/page.md", "version two");
    let second = events.next_build();
    let latency = t0.elapsed();
    assert_ne!(first, second);
    let took = within(Duration::from_secs(1), || {
        get(a, "/").text().contains("version two")
    });
    assert!(took.is_some(), "edit not visible within 1 s");
    assert!(latency < Duration::from_secs(1), "{latency:?}");
    eprintln!("save -> SSE event: {} ms", latency.as_millis());

    let calls = site.calls.lock().unwrap().clone();
    assert!(
        calls[0].paths.is_empty(),
        "first build has an empty ChangeSet"
    );
    assert_eq!(calls.last().unwrap().paths, vec![site.page()]);
    assert_eq!(srv.reload_clients(), 1);
}

#[test]
fn a_broken_edit_keeps_the_last_good_page_and_shows_the_error() {
    let site = Site::new("good text");
    let srv = site.start();
    let a = srv.addr();
    let mut events = Events::open(a);
    events.next_build();

    site.write("content/page.md", "BROKEN");
    events.next_build();
    let r = get(a, "/");
    assert_eq!(r.status, 200);
    let html = r.text();
    assert!(html.contains("<h1>good text</h1>"), "last good page kept");
    assert!(html.contains("__enishi_errors"), "overlay shown");
    assert!(html.contains("content/page.md:2:5"));
    assert!(html.contains("found &lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<script>alert(1)"), "message escaped");
    // The overlay is on every HTML response, the 404 page included, but
    // never in other files.
    assert!(get(a, "/nope/").text().contains("content/page.md:2:5"));
    assert!(!get(a, "/feed.xml").text().contains("__enishi_errors"));

    site.write("content/page.md", "fixed text");
    events.next_build();
    let html = get(a, "/").text();
    assert!(html.contains("<h1>fixed text</h1>"));
    assert!(!html.contains("__enishi_errors"), "overlay cleared");
}

#[test]
fn a_panicking_rebuild_is_an_error_not_a_dead_server() {
    let site = Site::new("good");
    let srv = site.start();
    let mut events = Events::open(srv.addr());
    events.next_build();
    site.write("content/page.md", "PANIC");
    events.next_build();
    let html = get(srv.addr(), "/").text();
    assert!(html.contains("<h1>good</h1>"));
    assert!(html.contains("boom in the pipeline"));
    site.write("content/page.md", "recovered");
    events.next_build();
    assert!(get(srv.addr(), "/").text().contains("<h1>recovered</h1>"));
}

#[test]
fn a_failed_first_build_shows_errors_until_fixed() {
    let site = Site::new("BROKEN");
    let srv = site.start();
    let r = get(srv.addr(), "/");
    assert_eq!(r.status, 500);
    assert!(r.text().contains("content/page.md:2:5"));
    assert!(r.text().contains(EVENTS_PATH));
    assert_eq!(get(srv.addr(), "/%2e%2e/x").status, 400);
    let mut events = Events::open(srv.addr());
    events.next_build();
    site.write("content/page.md", "now fine");
    events.next_build();
    let r = get(srv.addr(), "/");
    assert_eq!(r.status, 200);
    assert!(r.text().contains("<h1>now fine</h1>"));
}

// ---------------------------------------------------------------- watching

#[test]
fn a_save_burst_is_one_rebuild_and_temp_files_are_ignored() {
    let site = Site::new("a");
    let srv = site.start();
    let mut events = Events::open(srv.addr());
    events.next_build();
    assert_eq!(site.calls(), 1);

    // What vim does on `:w` (backupcopy=no): probe file 4913, move the
    // original to a backup, write the new file, chmod it, drop the backup;
    // plus swap-file churn.
    let root = site.root();
    let burst_start = std::time::Instant::now();
    site.write("content/.page.md.swp", "swap");
    site.write("content/4913", "");
    std::fs::remove_file(root.join("content/4913")).unwrap();
    std::fs::rename(root.join("content/page.md"), root.join("content/page.md~")).unwrap();
    site.write("content/page.md", "burst 0");
    let perms = std::fs::metadata(root.join("content/page.md~"))
        .unwrap()
        .permissions();
    std::fs::set_permissions(root.join("content/page.md"), perms).unwrap();
    std::fs::remove_file(root.join("content/page.md~")).unwrap();
    // And an editor saving several times in quick succession.
    for i in 1..5 {
        std::thread::sleep(Duration::from_millis(5));
        site.write("content/page.md", &format!("burst {i}"));
    }
    let burst = burst_start.elapsed();
    events.next_build();
    std::thread::sleep(Duration::from_millis(400));
    let calls = site.calls.lock().unwrap().clone();
    // A burst is one rebuild when it really was a burst: on a machine so
    // loaded that the writes themselves took longer than the quiet period,
    // the debounce may rightly see two saves.
    if burst < Duration::from_millis(25) {
        assert_eq!(calls.len(), 2, "one rebuild for the burst");
    } else {
        assert!((2..=3).contains(&calls.len()), "{} rebuilds", calls.len());
    }
    assert!(
        calls[1..].iter().all(|c| c.paths == vec![site.page()]),
        "temp files are not changes"
    );

    // Only temp files, and files outside the watched dirs: no rebuild.
    site.write("content/.page.md.swp", "more swap");
    site.write("content/#page.md#", "emacs");
    site.write("public/index.html", "output dir");
    site.write("README.md", "not watched");
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(site.calls(), calls.len());
    assert!(get(srv.addr(), "/").text().contains("burst 4"));
}

#[test]
fn watches_site_yaml_data_and_dirs_created_later() {
    let site = Site::new("a");
    let _srv = site.start();
    let saw = |rel: &str| {
        let p = site.root().join(rel);
        within(Duration::from_secs(2), || {
            site.calls
                .lock()
                .unwrap()
                .iter()
                .any(|c| c.paths.contains(&p))
        })
        .is_some()
    };
    site.write("site.yaml", "title: changed\n");
    assert!(saw("site.yaml"));
    site.write("data/roster.yaml", "[]\n");
    assert!(saw("data/roster.yaml"));
    // templates/ did not exist at start.
    std::fs::create_dir(site.root().join("templates")).unwrap();
    assert!(saw("templates"));
    std::thread::sleep(Duration::from_millis(50));
    site.write("templates/base.html", "<html></html>");
    assert!(saw("templates/base.html"));
    site.write("themes/x/static/a.css", "a{}");
    assert!(saw("themes/x/static/a.css") || saw("themes"));
}

#[test]
fn save_to_reload_event_latency() {
    let site = Site::new("v0");
    let srv = site.start();
    let mut events = Events::open(srv.addr());
    events.next_build();
    let mut ms = Vec::new();
    for i in 1..=10 {
        let t0 = Instant::now();
        site.write("content/page.md", &format!("v{i}"));
        events.next_build();
        ms.push(t0.elapsed().as_millis());
        std::thread::sleep(Duration::from_millis(50));
    }
    ms.sort_unstable();
    eprintln!(
        "save -> SSE event over 10 edits (quiet {} ms, settle after close-write {} ms): min {} ms, median {} ms, max {} ms",
        enishi::serve::DEBOUNCE.as_millis(),
        enishi::serve::SETTLE.as_millis(),
        ms[0],
        ms[5],
        ms[9]
    );
    assert!(ms[9] < 1000, "{ms:?}");
}

// ---------------------------------------------------------------- lifecycle

#[test]
fn a_taken_port_is_a_clear_error() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let site = Site::new("x");
    let opts = ServeOptions {
        root: site.root(),
        bind: "127.0.0.1".into(),
        port,
    };
    let called = Arc::new(Mutex::new(false));
    let c2 = Arc::clone(&called);
    let err = match start(&opts, move |_: &ChangeSet| {
        *c2.lock().unwrap() = true;
        build("x")
    }) {
        Err(e) => e,
        Ok(_) => panic!("bound a taken port"),
    };
    assert!(matches!(err, ServeError::PortInUse { .. }), "{err:?}");
    assert_eq!(err.exit_code(), 1);
    let msg = err.to_string();
    assert!(msg.contains(&format!("127.0.0.1:{port}")), "{msg}");
    assert!(
        msg.contains("already in use") && msg.contains("--port"),
        "{msg}"
    );
    assert!(!*called.lock().unwrap(), "no build before the port is ours");
}

#[test]
fn a_bad_bind_address_is_a_usage_error() {
    let site = Site::new("x");
    let opts = ServeOptions {
        root: site.root(),
        bind: "not an address".into(),
        port: 0,
    };
    let err = match start(&opts, |_: &ChangeSet| build("x")) {
        Err(e) => e,
        Ok(_) => panic!("bound a bad address"),
    };
    assert!(matches!(err, ServeError::BadBind { .. }), "{err:?}");
    assert_eq!(err.exit_code(), 2);
    assert!(err.to_string().contains("127.0.0.1"));
}

#[test]
fn live_reload_clients_are_bounded_and_stop_ends_streams() {
    let site = Site::new("x");
    let srv = site.start();
    let a = srv.addr();
    let mut streams: Vec<Events> = (0..64).map(|_| Events::open(a)).collect();
    for s in &mut streams {
        s.next_build();
    }
    assert_eq!(srv.reload_clients(), 64);
    let r = get(a, EVENTS_PATH);
    assert_eq!(r.status, 503);
    // Pages are still served while the streams are open.
    assert_eq!(get(a, "/").status, 200);

    let t0 = Instant::now();
    srv.stop();
    assert!(t0.elapsed() < Duration::from_secs(2), "{:?}", t0.elapsed());
    // Every stream ends (EOF), as a tab sees when the server goes away.
    for s in &mut streams {
        s.read_to_end_of_stream();
    }
    assert!(TcpStream::connect_timeout(&a, Duration::from_millis(500))
        .map(|mut s| {
            let _ = s.set_read_timeout(Some(Duration::from_millis(500)));
            let _ = s.write_all(b"GET / HTTP/1.1\r\n\r\n");
            let mut buf = [0u8; 16];
            matches!(s.read(&mut buf), Ok(0) | Err(_))
        })
        .unwrap_or(true));
}

// ---------------------------------------------------------------- serve() in a real process

/// Not a test on its own: the body of the child process that the tests
/// below start (this test binary again, filtered to this test), running the
/// real `serve()` with its Ctrl-C handler. Without the variables it does
/// nothing.
#[test]
fn child_process_running_serve() {
    let (Ok(root), Ok(port)) = (
        std::env::var("ENISHI_TEST_SERVE_ROOT"),
        std::env::var("ENISHI_TEST_SERVE_PORT"),
    ) else {
        return;
    };
    let opts = ServeOptions {
        root: PathBuf::from(root),
        bind: "127.0.0.1".into(),
        port: port.parse().unwrap(),
    };
    let page = opts.root.join("content/page.md");
    let code = enishi::serve::serve(opts, move |_: &ChangeSet| {
        let text = std::fs::read_to_string(&page).unwrap_or_default();
        build(&format!("from the child: {text}"))
    });
    std::process::exit(code);
}

fn spawn_child(root: &std::path::Path, port: u16) -> std::process::Child {
    std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_process_running_serve",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("ENISHI_TEST_SERVE_ROOT", root)
        .env("ENISHI_TEST_SERVE_PORT", port.to_string())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

fn wait_with_timeout(child: &mut std::process::Child, limit: Duration) -> Option<i32> {
    let t0 = Instant::now();
    while t0.elapsed() < limit {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    None
}

#[test]
fn ctrl_c_stops_serve_cleanly_with_exit_code_0() {
    let site = Site::new("x");
    let mut child = spawn_child(&site.root(), 0);
    // Port 0: the child prints the address it got.
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut addr = None;
    for _ in 0..50 {
        let mut line = String::new();
        if out.read_line(&mut line).unwrap() == 0 {
            break;
        }
        if let Some(rest) = line.strip_prefix("Serving http://") {
            addr = rest
                .split('/')
                .next()
                .and_then(|a| a.parse::<SocketAddr>().ok());
            break;
        }
    }
    let addr = addr.expect("the child announces its address");
    let r = get(addr, "/");
    assert_eq!(r.status, 200);
    assert!(r.text().contains("from the child"));
    let mut events = Events::open(addr);
    events.next_build();

    let pid = child.id().to_string();
    let kill = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    assert!(kill.success());
    let code = wait_with_timeout(&mut child, Duration::from_secs(5));
    assert_eq!(code, Some(0), "Ctrl-C ends serve with 0");
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(err.contains("Stopping"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(TcpStream::connect(addr).is_err(), "port released");
}

#[test]
fn serve_says_clearly_when_the_port_is_taken() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let site = Site::new("x");
    let mut child = spawn_child(&site.root(), port);
    let code = wait_with_timeout(&mut child, Duration::from_secs(10));
    assert_eq!(code, Some(1));
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(
        err.contains(&format!(
            "error: cannot listen on 127.0.0.1:{port}: the port is already in use"
        )),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

/// Outputs left for later (the search index) are served once made, replace
/// the previous ones, and do not make tabs reload (the build token stays).
#[test]
fn later_outputs_are_swapped_in_without_a_reload() {
    use enishi::serve::{Later, Rebuilt};
    let site = Site::new("version one");
    let page = site.page();
    let opts = ServeOptions {
        root: site.dir.path().to_path_buf(),
        bind: "127.0.0.1".into(),
        port: 0,
    };
    let srv = start(&opts, move |_: &ChangeSet| {
        let text = std::fs::read_to_string(&page).unwrap_or_default();
        let mut tree = build(&text)?;
        tree.insert("later/old.bin".into(), b"previous index".to_vec().into());
        let made = text.clone();
        Ok(Rebuilt {
            tree,
            later: Some(Later {
                run: Box::new(move || {
                    std::thread::sleep(Duration::from_millis(200));
                    vec![("later/new.bin".to_string(), made.into_bytes().into())]
                }),
                replaces: |p| p.starts_with("later/"),
            }),
        })
    })
    .unwrap();
    let a = srv.addr();
    // The first build waits for them.
    assert_eq!(get(a, "/later/new.bin").text(), "version one");
    assert_eq!(get(a, "/later/old.bin").status, 404);
    let mut events = Events::open(a);
    let first = events.next_build();
    site.write("content/page.md", "version two");
    let second = events.next_build();
    assert_ne!(first, second);
    // The page is out first; the later file follows without a new token.
    assert!(get(a, "/").text().contains("version two"));
    let took = within(Duration::from_secs(3), || {
        get(a, "/later/new.bin").text() == "version two"
    });
    assert!(took.is_some(), "later output never swapped in");
    assert_eq!(
        get(a, "/later/old.bin").status,
        404,
        "replaced files are gone"
    );
    assert!(
        get(a, "/").text().contains(&format!("\"{second}\"")),
        "same build token: tabs do not reload"
    );
}
