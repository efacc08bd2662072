//! The dev server's connection model: one thread per connection, at most
//! [`MAX_CONNECTIONS`], HTTP/1.1 with keep-alive, heads parsed by
//! `httparse`.
//!
//! Why not tiny_http's model: it reads every connection on a pool thread
//! until the client closes it, so each live-reload stream and each idle
//! keep-alive connection holds one, and its pool adds a thread for a new
//! connection only when none is counted as waiting. When many connect at
//! once (tabs reconnecting after a restart) it queued connections behind
//! threads that were counted as waiting but already taken, and those
//! waited until another connection closed: with 70 streams opened at once,
//! 21 to 46 got no answer at all, neither the stream nor the 503. Here a
//! connection has its own thread from accept on; past the limit it gets an
//! immediate `503` with `Retry-After`. A stream writes on its connection's
//! thread, so it costs exactly that one thread.

use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Most connections at once; past it, `503` and close. Browsers keep about
/// six per origin and tab, plus the live-reload stream.
pub const MAX_CONNECTIONS: usize = 512;
/// A connection silent this long between requests is closed.
const IDLE: Duration = Duration::from_secs(60);
/// Largest request head (request line and headers).
const MAX_HEAD: usize = 64 * 1024;
/// Largest request body (the editor uploads pictures).
const MAX_BODY: usize = 64 * 1024 * 1024;
/// Most header lines in a request.
const MAX_HEADERS: usize = 100;

/// One request, head and body read.
#[derive(Debug, Clone)]
pub struct Request {
    method: String,
    target: String,
    http11: bool,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Request {
    /// `GET`, `POST`, … as sent (methods are case-sensitive).
    pub fn method(&self) -> &str {
        &self.method
    }
    /// The raw request-target (`/tags/%E6%8E%A1/?page=2`).
    pub fn url(&self) -> &str {
        &self.target
    }
    /// HTTP/1.1 (else 1.0).
    pub fn http11(&self) -> bool {
        self.http11
    }
    /// The first header called `name` (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// The body (`Content-Length` bytes; empty without one): the editor API.
    #[allow(dead_code)]
    pub fn body(&self) -> &[u8] {
        &self.body
    }
    fn keep_alive(&self) -> bool {
        let conn = self.header("Connection").unwrap_or("").to_ascii_lowercase();
        if self.http11 {
            !conn.contains("close")
        } else {
            conn.contains("keep-alive")
        }
    }
}

/// A whole response; `Content-Length` and `Connection` are added.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

/// A stream written on the connection's own thread, which then closes it
/// (the live-reload events).
pub type Stream = Box<dyn FnOnce(&mut TcpStream) + Send>;

/// What a handler answers.
pub enum Reply {
    Full(Response),
    Stream(Stream),
}

/// The function that answers every request.
pub type Handler = Arc<dyn Fn(&Request) -> Reply + Send + Sync>;

#[derive(Default)]
struct Conns {
    next: u64,
    open: BTreeMap<u64, TcpStream>,
}

/// The accept thread and the open connections.
pub struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    conns: Arc<Mutex<Conns>>,
    accept: Option<JoinHandle<()>>,
}

fn lock(conns: &Mutex<Conns>) -> MutexGuard<'_, Conns> {
    // Only a map of sockets; a panic elsewhere cannot leave it inconsistent.
    conns.lock().unwrap_or_else(|e| e.into_inner())
}

impl Server {
    /// Accept on `listener` and answer with `handler` until [`Server::stop`].
    pub fn start(listener: TcpListener, handler: Handler) -> io::Result<Server> {
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let conns = Arc::new(Mutex::new(Conns::default()));
        let accept = {
            let (stop, conns) = (Arc::clone(&stop), Arc::clone(&conns));
            std::thread::Builder::new()
                .name("enishi-accept".to_string())
                .spawn(move || accept_loop(listener, handler, &stop, &conns))?
        };
        Ok(Server {
            addr,
            stop,
            conns,
            accept: Some(accept),
        })
    }

    /// Stop accepting (the listener closes), then end idle connections;
    /// streams must be ended by their writers (the hub). Waits up to a
    /// second for the connection threads.
    pub fn stop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the blocking accept with a connection of our own.
        let mut wake = self.addr;
        if wake.ip().is_unspecified() {
            wake.set_ip(match wake {
                SocketAddr::V4(_) => [127, 0, 0, 1].into(),
                SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
            });
        }
        let _ = TcpStream::connect_timeout(&wake, Duration::from_secs(1));
        if let Some(a) = self.accept.take() {
            let _ = a.join();
        }
        for s in lock(&self.conns).open.values() {
            let _ = s.shutdown(Shutdown::Read);
        }
        let t0 = Instant::now();
        while !lock(&self.conns).open.is_empty() && t0.elapsed() < Duration::from_secs(1) {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

fn accept_loop(
    listener: TcpListener,
    handler: Handler,
    stop: &AtomicBool,
    conns: &Arc<Mutex<Conns>>,
) {
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(mut stream) = stream else {
            // EMFILE and the like: wait a little instead of spinning.
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        let id = {
            let mut c = lock(conns);
            let Ok(clone) = stream.try_clone() else {
                continue;
            };
            if c.open.len() >= MAX_CONNECTIONS {
                drop(c);
                let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
                let _ = write_response(&mut stream, &busy(), false, false);
                continue;
            }
            let id = c.next;
            c.next += 1;
            c.open.insert(id, clone);
            id
        };
        let (handler, conns2) = (Arc::clone(&handler), Arc::clone(conns));
        let spawned = std::thread::Builder::new()
            .name("enishi-conn".to_string())
            .spawn(move || {
                serve_connection(stream, &handler);
                lock(&conns2).open.remove(&id);
            });
        if spawned.is_err() {
            lock(conns).open.remove(&id);
        }
    }
}

fn busy() -> Response {
    Response {
        status: 503,
        headers: vec![
            ("Content-Type", "text/plain; charset=utf-8".to_string()),
            ("Retry-After", "1".to_string()),
        ],
        body: b"503 Service Unavailable: too many connections to the dev server\n".to_vec(),
    }
}

fn text(status: u16, msg: &str) -> Response {
    Response {
        status,
        headers: vec![("Content-Type", "text/plain; charset=utf-8".to_string())],
        body: msg.as_bytes().to_vec(),
    }
}

/// Requests on one connection until it closes, goes quiet or streams.
fn serve_connection(mut stream: TcpStream, handler: &Handler) {
    let _ = stream.set_nodelay(true);
    if stream.set_read_timeout(Some(IDLE)).is_err() {
        return;
    }
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    loop {
        let rq = match read_request(&mut reader, &mut stream) {
            Ok(Some(rq)) => rq,
            Ok(None) => return,
            Err(resp) => {
                let _ = write_response(&mut stream, &resp, false, false);
                return;
            }
        };
        let keep = rq.keep_alive();
        match handler(&rq) {
            Reply::Full(resp) => {
                let head_only = rq.method() == "HEAD";
                if write_response(&mut stream, &resp, keep, head_only).is_err() || !keep {
                    return;
                }
            }
            Reply::Stream(run) => {
                run(&mut stream);
                return;
            }
        }
    }
}

/// The next request: `Ok(None)` when the client closed or went quiet
/// between requests; `Err` is the response for a malformed one (then close).
fn read_request(
    reader: &mut BufReader<TcpStream>,
    out: &mut TcpStream,
) -> Result<Option<Request>, Response> {
    let mut head = Vec::new();
    loop {
        let before = head.len();
        match reader.read_until(b'\n', &mut head) {
            Ok(0) => return Ok(None),
            Ok(_) => {}
            Err(_) => return Ok(None),
        }
        // Blank lines before a request line are allowed (RFC 9112 2.2).
        if before == 0 && (head == b"\r\n" || head == b"\n") {
            head.clear();
            continue;
        }
        if head.len() > MAX_HEAD {
            return Err(text(431, "431 Request Header Fields Too Large\n"));
        }
        if head.ends_with(b"\r\n\r\n") || head.ends_with(b"\n\n") {
            break;
        }
    }
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut headers);
    match parsed.parse(&head) {
        Ok(httparse::Status::Complete(_)) => {}
        Ok(httparse::Status::Partial) | Err(httparse::Error::TooManyHeaders) => {
            return Err(text(431, "431 Request Header Fields Too Large\n"))
        }
        Err(_) => return Err(text(400, "400 Bad Request: malformed request head\n")),
    }
    let (Some(method), Some(target), Some(version)) = (parsed.method, parsed.path, parsed.version)
    else {
        return Err(text(400, "400 Bad Request: malformed request line\n"));
    };
    let mut rq = Request {
        method: method.to_string(),
        target: target.to_string(),
        http11: version >= 1,
        headers: Vec::with_capacity(parsed.headers.len()),
        body: Vec::new(),
    };
    for h in parsed.headers.iter() {
        let Ok(value) = std::str::from_utf8(h.value) else {
            return Err(text(400, "400 Bad Request: a header value is not UTF-8\n"));
        };
        rq.headers
            .push((h.name.to_string(), value.trim().to_string()));
    }
    if rq.header("Transfer-Encoding").is_some() {
        return Err(text(
            501,
            "501 Not Implemented: chunked request bodies; send Content-Length\n",
        ));
    }
    let len = match rq.header("Content-Length") {
        None => 0,
        Some(v) => match v.parse::<usize>() {
            Ok(n) => n,
            Err(_) => return Err(text(400, "400 Bad Request: bad Content-Length\n")),
        },
    };
    if len > MAX_BODY {
        return Err(text(
            413,
            &format!(
                "413 Content Too Large: at most {} MiB per request\n",
                MAX_BODY >> 20
            ),
        ));
    }
    if len > 0 {
        if rq
            .header("Expect")
            .is_some_and(|e| e.eq_ignore_ascii_case("100-continue"))
        {
            let _ = out.write_all(b"HTTP/1.1 100 Continue\r\n\r\n");
        }
        let mut body = vec![0u8; len];
        if reader.read_exact(&mut body).is_err() {
            return Ok(None);
        }
        rq.body = body;
    }
    Ok(Some(rq))
}

fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        206 => "Partial Content",
        304 => "Not Modified",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        422 => "Unprocessable Content",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        _ => "",
    }
}

fn write_response(
    w: &mut TcpStream,
    resp: &Response,
    keep_alive: bool,
    head_only: bool,
) -> io::Result<()> {
    let mut out = format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status));
    // A value with a line break would start a header of its own: dropped.
    for (k, v) in resp
        .headers
        .iter()
        .filter(|(_, v)| !v.contains(['\r', '\n']))
    {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!("Content-Length: {}\r\n", resp.body.len()));
    if !keep_alive {
        out.push_str("Connection: close\r\n");
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    if !head_only {
        bytes.extend_from_slice(&resp.body);
    }
    w.write_all(&bytes)?;
    w.flush()
}
