//! `enishi serve` as a user runs it: the real binary on a site made by
//! `enishi init`, on a free port (`--port 0`, address read from its output).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_enishi");

fn get(addr: SocketAddr, target: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text.split(' ').nth(1).unwrap().parse().unwrap();
    (status, text)
}

struct Serve {
    child: Child,
    addr: SocketAddr,
}

impl Serve {
    fn start(root: &Path) -> Serve {
        let mut child = Command::new(BIN)
            .args(["serve", "--port", "0", "--now", "2026-11-01", "--root"])
            .arg(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut addr = None;
        for _ in 0..50 {
            let mut line = String::new();
            if out.read_line(&mut line).unwrap() == 0 {
                break;
            }
            if let Some(rest) = line.strip_prefix("Serving http://") {
                addr = rest.split('/').next().and_then(|a| a.parse().ok());
                break;
            }
        }
        // Keep draining stdout so the child never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut sink = String::new();
            let _ = out.read_to_string(&mut sink);
        });
        Serve {
            child,
            addr: addr.expect("`enishi serve` announces its address"),
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn init_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let st = Command::new(BIN)
        .arg("init")
        .arg(dir.path().join("site"))
        .output()
        .unwrap();
    assert!(st.status.success(), "{st:?}");
    dir
}

fn within(limit: Duration, mut f: impl FnMut() -> bool) -> bool {
    let t0 = Instant::now();
    while t0.elapsed() < limit {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

#[test]
fn serve_end_to_end() {
    let dir = init_site();
    let root = dir.path().join("site");
    let srv = Serve::start(&root);
    let a = srv.addr;

    // Pages served, with the live-reload script.
    let (status, home) = get(a, "/");
    assert_eq!(status, 200);
    assert!(home.contains("__enishi/events"));
    let (status, news) = get(a, "/news/welcome/");
    assert_eq!(status, 200);
    assert!(news.contains("アルムナイポータルを開設しました"));
    // Links point at the dev server, not at the production base_url.
    assert!(
        news.contains(&format!("http://{a}/")) || !news.contains("https://"),
        "base_url"
    );
    // Directory redirect, 404 with the site's page, traversal refused.
    let (status, redirect) = get(a, "/news");
    assert_eq!(status, 308);
    assert!(redirect.contains("Location: /news/") || redirect.contains("location: /news/"));
    let (status, _) = get(a, "/no/such/page/");
    assert_eq!(status, 404);
    for bad in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/..%2fsite.yaml",
        "/..\\site.yaml",
    ] {
        let (status, body) = get(a, bad);
        assert_eq!(status, 400, "{bad}");
        assert!(!body.contains("base_url"), "{bad}");
    }

    // An edit is visible within a second (after the first build).
    let page = root.join("content/news/welcome.md");
    let orig = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        orig.replace(
            "ポータルを開設しました。[",
            "ポータルを開設しました。EDITED-ONCE [",
        ),
    )
    .unwrap();
    assert!(
        within(Duration::from_secs(1), || get(a, "/news/welcome/")
            .1
            .contains("EDITED-ONCE")),
        "edit visible within 1 s"
    );

    // A broken edit keeps the last good page and reports the error.
    std::fs::write(&page, orig.replace("date: 2026-01-10", "date: not-a-date")).unwrap();
    assert!(within(Duration::from_secs(2), || get(a, "/news/welcome/")
        .1
        .contains("__enishi_errors")));
    let (status, body) = get(a, "/news/welcome/");
    assert_eq!(status, 200);
    assert!(body.contains("EDITED-ONCE"), "last good page kept");
    assert!(
        body.contains("content/news/welcome.md:"),
        "error located in the overlay"
    );
    // Fixing it clears the overlay.
    std::fs::write(&page, &orig).unwrap();
    assert!(within(Duration::from_secs(2), || {
        let b = get(a, "/news/welcome/").1;
        !b.contains("__enishi_errors") && !b.contains("EDITED-ONCE")
    }));
}

#[test]
fn build_output_has_no_live_reload_script() {
    let dir = init_site();
    let root = dir.path().join("site");
    let out = dir.path().join("out");
    let st = Command::new(BIN)
        .args(["build", "--now", "2026-11-01", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert!(st.status.success(), "{st:?}");
    let mut html_files = 0;
    for e in walkdir::WalkDir::new(&out) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let bytes = std::fs::read(e.path()).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains("__enishi"), "{}", e.path().display());
            html_files += usize::from(e.path().extension().is_some_and(|x| x == "html"));
        }
    }
    assert!(html_files > 5);
}

#[test]
fn serve_reports_a_taken_port() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let dir = init_site();
    let out = Command::new(BIN)
        .args(["serve", "--port", &port, "--root"])
        .arg(dir.path().join("site"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("already in use"), "{err}");
}
