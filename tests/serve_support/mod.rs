//! Helpers shared by the dev-server tests that check who may talk to it
//! (`serve_host`, `serve_origin`, `serve_stream_limit`, `serve_api`): a
//! server started in process on a temp site root with a tiny rebuild, and a
//! raw HTTP/1.1 client whose every header (`Host` included) is the test's.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

use enishi::core::diag::Diagnostic;
use enishi::core::output::OutputTree;
use enishi::serve::{start, ChangeSet, DevServer, ServeOptions};

pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: not JSON: {}", self.text()))
    }
}

/// Send `head` (request line and headers, each line ending in `\r\n`, without
/// the blank line) and `body`, read the whole answer (`Connection: close` is
/// added). The Host header is whatever `head` says, none if it says none.
pub fn raw(addr: SocketAddr, head: &str, body: &[u8]) -> Resp {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let len = if body.is_empty() {
        String::new()
    } else {
        format!("Content-Length: {}\r\n", body.len())
    };
    write!(s, "{head}{len}Connection: close\r\n\r\n").unwrap();
    s.write_all(body).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    parse(&raw)
}

/// `GET target` with the given Host (and more header lines in `extra`).
pub fn get_as(addr: SocketAddr, host: &str, target: &str, extra: &str) -> Resp {
    raw(
        addr,
        &format!("GET {target} HTTP/1.1\r\nHost: {host}\r\n{extra}"),
        b"",
    )
}

/// The origin a browser on this server sends: `http://127.0.0.1:P`.
pub fn origin(addr: SocketAddr) -> String {
    format!("http://{addr}")
}

/// `POST /api/v1` with a JSON body, from `origin` (None: no Origin header).
pub fn api_as(addr: SocketAddr, origin: Option<&str>, body: &serde_json::Value) -> Resp {
    let origin = origin
        .map(|o| format!("Origin: {o}\r\n"))
        .unwrap_or_default();
    raw(
        addr,
        &format!(
            "POST /api/v1 HTTP/1.1\r\nHost: {addr}\r\n{origin}Content-Type: application/json; charset=utf-8\r\n"
        ),
        body.to_string().as_bytes(),
    )
}

/// `POST /api/v1` as the editor page on this server sends it.
pub fn api(addr: SocketAddr, body: &serde_json::Value) -> Resp {
    api_as(addr, Some(&origin(addr)), body)
}

pub fn parse(raw: &[u8]) -> Resp {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let mut body = raw[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Resp {
        status,
        headers,
        body,
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(nl) = b.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size =
            usize::from_str_radix(std::str::from_utf8(&b[..nl]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[nl + 2..nl + 2 + size]);
        b = &b[nl + 2 + size + 2..];
    }
}

/// Open the live-reload stream with the given header lines and return the
/// status line and headers once they arrive; the stream stays open in the
/// returned reader.
pub fn open_stream(addr: SocketAddr, headers: &str) -> (u16, BufReader<TcpStream>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        s,
        "GET {} HTTP/1.1\r\n{headers}Accept: text/event-stream\r\n\r\n",
        enishi::serve::EVENTS_PATH
    )
    .unwrap();
    let mut reader = BufReader::new(s);
    let mut status = String::new();
    reader.read_line(&mut status).unwrap();
    let code = status.split(' ').nth(1).unwrap_or("0").parse().unwrap_or(0);
    loop {
        let mut l = String::new();
        if reader.read_line(&mut l).unwrap_or(0) == 0 || l == "\r\n" {
            break;
        }
    }
    (code, reader)
}

/// A temp site root (`site.yaml`, `content/`, `static/`, `data/`) served in
/// process; the rebuild renders `content/page.md` into `index.html`, and
/// fails with an error at 2:5 when the file contains "BROKEN".
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    pub fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for d in ["content/news", "static/images", "data", "templates"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        std::fs::write(root.join("site.yaml"), "title: t\n").unwrap();
        std::fs::write(root.join("content/page.md"), "hello").unwrap();
        std::fs::write(root.join("data/roster.yaml"), "[]\n").unwrap();
        Site { dir }
    }

    pub fn root(&self) -> PathBuf {
        std::fs::canonicalize(self.dir.path()).unwrap()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> Option<String> {
        std::fs::read_to_string(self.path(rel)).ok()
    }

    pub fn start(&self) -> DevServer {
        self.start_on("127.0.0.1")
    }

    pub fn start_on(&self, bind: &str) -> DevServer {
        let page = self.path("content/page.md");
        let opts = ServeOptions {
            root: self.dir.path().to_path_buf(),
            bind: bind.into(),
            port: 0,
        };
        start(&opts, move |_: &ChangeSet| {
            build(&std::fs::read_to_string(&page).unwrap_or_default())
        })
        .unwrap()
    }
}

impl Default for Site {
    fn default() -> Self {
        Site::new()
    }
}

fn build(text: &str) -> Result<OutputTree, Vec<Diagnostic>> {
    if text.contains("BROKEN") {
        return Err(vec![Diagnostic::error(
            "content/page.md",
            "expected a date like 2026-10-20",
        )
        .at(2, 5)]);
    }
    let mut t = OutputTree::new();
    t.insert(
        "index.html".into(),
        format!(
            "<!doctype html><html><body><h1>{}</h1></body></html>",
            text.trim()
        )
        .into_bytes()
        .into(),
    );
    Ok(t)
}

/// Every file under `dir` with its bytes, sorted: to prove nothing changed.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            (e.path().strip_prefix(dir).unwrap().to_path_buf(), bytes)
        })
        .collect();
    v.sort();
    v
}
