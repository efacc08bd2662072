//! `enishi serve`: build into memory, serve over HTTP, rebuild on change,
//! reload open tabs.
//!
//! The site lives only in memory (Zola's `BuildMode::Memory` idea): the
//! rebuild closure returns an [`OutputTree`], requests are lookups in it, and
//! nothing on disk is ever served — so no path, however encoded, can reach a
//! file outside the output. The live-reload script and the error overlay are
//! added to HTML *responses*, never to the tree, so `enishi build` output
//! cannot contain them.
//!
//! Threads: one per connection (bounded, see the `conn` module; a
//! live-reload stream is written on its connection's thread, and the
//! streams are bounded too, see the `hub` module), and one rebuild thread that owns
//! the watcher and the closure: it waits for a debounced batch of changes
//! (the `watch` module), rebuilds, swaps the snapshot and tells the tabs. A failed
//! rebuild keeps the last good tree and adds its diagnostics to the snapshot,
//! which the overlay shows until a later build succeeds.
//!
//! `POST /api/v1` is the browser editor's local backend (the `api` module):
//! it writes into `content/` and `static/` only, for requests from the
//! served origin only (the `origin` module), and the watcher turns each save
//! into a rebuild like any other edit. Pages under `/admin/` get neither the
//! reload script nor the overlay: reloading the editor would lose its form.

mod api;
mod conn;
mod guard;
mod http;
mod hub;
mod origin;
mod watch;

use std::fmt;
use std::io;
use std::net::{SocketAddr, TcpListener, ToSocketAddrs};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::core::diag::Diagnostic;
use crate::core::output::OutputTree;

pub use api::API_PATH;
pub use http::EVENTS_PATH;
pub use hub::MAX_CLIENTS as MAX_RELOAD_CLIENTS;
pub use watch::{QUIET as DEBOUNCE, SETTLE, WATCHED_DIRS, WATCHED_FILES};

use conn::{Reply, Request, Response};
use guard::Guard;
use http::Resolved;
use hub::Hub;
use watch::{Msg, Watcher};

/// Where and what to serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeOptions {
    /// Site root: watched for changes (`content/`, `data/`, `static/`,
    /// `templates/`, `themes/`, `site.yaml`).
    pub root: PathBuf,
    /// Address to bind; loopback by default. Anything else is announced.
    pub bind: String,
    /// TCP port (0 picks a free one, handy in tests).
    pub port: u16,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            root: PathBuf::from("."),
            bind: "127.0.0.1".to_string(),
            port: 1111,
        }
    }
}

impl ServeOptions {
    /// `host:port` as asked (before binding), for messages.
    fn shown_addr(&self) -> String {
        if self.bind.contains(':') && !self.bind.starts_with('[') {
            format!("[{}]:{}", self.bind, self.port)
        } else {
            format!("{}:{}", self.bind, self.port)
        }
    }
}

/// What changed since the last build: absolute paths from the watcher,
/// debounced, sorted, unique. Empty for the first build.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeSet {
    pub paths: Vec<PathBuf>,
    /// Where the site is served, without trailing slash
    /// (`http://127.0.0.1:1111`): build with this as `base_url` so that
    /// absolute links (canonical, feeds, OpenGraph) stay on the dev server.
    /// Known only once bound, hence here (`--port 0` picks the port).
    pub base_url: String,
}

impl ChangeSet {
    /// The first build (nothing changed, build everything).
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }
}

/// What a rebuild returns: the tree to serve now and, optionally, outputs
/// that are slow to make and can follow a moment later ([`Later`]).
pub struct Rebuilt {
    pub tree: OutputTree,
    pub later: Option<Later>,
}

impl From<OutputTree> for Rebuilt {
    fn from(tree: OutputTree) -> Self {
        Rebuilt { tree, later: None }
    }
}

/// Files made a moment after the tree (on a thread of their own, so the
/// next rebuild does not wait): they replace every file of the tree for
/// which `replaces` holds.
pub struct Later {
    pub run: Box<dyn FnOnce() -> Vec<(String, crate::core::output::Bytes)> + Send>,
    pub replaces: fn(&str) -> bool,
}

impl Later {
    fn apply(self, tree: &mut OutputTree) {
        let replaces = self.replaces;
        let files = (self.run)();
        put_later(tree, replaces, files);
    }
}

fn put_later(
    tree: &mut OutputTree,
    replaces: fn(&str) -> bool,
    files: Vec<(String, crate::core::output::Bytes)>,
) {
    tree.retain(|k, _| !replaces(k));
    tree.extend(files);
}

/// Why the server could not start.
#[derive(Debug)]
pub enum ServeError {
    /// `--bind` is not an address or host name that resolves.
    BadBind { bind: String, reason: String },
    /// Another process holds the port.
    PortInUse { addr: String },
    /// Any other failure to bind (permissions, address not on this machine).
    Bind { addr: String, source: io::Error },
    /// The site root does not exist or cannot be read.
    Root { root: PathBuf, source: io::Error },
    /// The accept thread could not start.
    Server(String),
}

impl ServeError {
    /// Process exit code: 2 for a usage error (`--bind`), 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            ServeError::BadBind { .. } => 2,
            _ => 1,
        }
    }
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServeError::BadBind { bind, reason } => write!(
                f,
                "--bind {bind:?} is not a usable address ({reason}); expected an IP address such as 127.0.0.1 or ::1, or a host name such as localhost"
            ),
            ServeError::PortInUse { addr } => write!(
                f,
                "cannot listen on {addr}: the port is already in use (another `enishi serve`?); stop that process or choose another port with --port"
            ),
            ServeError::Bind { addr, source } => match source.kind() {
                io::ErrorKind::PermissionDenied => write!(
                    f,
                    "cannot listen on {addr}: permission denied (ports below 1024 need privileges; try --port 1111)"
                ),
                io::ErrorKind::AddrNotAvailable => write!(
                    f,
                    "cannot listen on {addr}: this machine has no such address; expected one of its own addresses, e.g. --bind 127.0.0.1"
                ),
                _ => write!(f, "cannot listen on {addr}: {source}"),
            },
            ServeError::Root { root, source } => write!(
                f,
                "cannot read the site root {}: {source}; expected a directory with site.yaml (see --root)",
                root.display()
            ),
            ServeError::Server(msg) => write!(f, "cannot start the HTTP server: {msg}"),
        }
    }
}

impl std::error::Error for ServeError {}

/// The state every request sees: the last good tree, the diagnostics of the
/// last build if it failed, and the build token tabs compare against.
struct Snapshot {
    tree: Option<Arc<OutputTree>>,
    diags: Vec<Diagnostic>,
    token: String,
}

struct Shared {
    snapshot: Mutex<Arc<Snapshot>>,
    hub: Arc<Hub>,
    /// Generation of the newest [`Later`] files put in the tree.
    later_done: Mutex<u64>,
    /// The `Host` and `Origin` checks (DNS rebinding, cross-site requests).
    guard: Guard,
    /// The editor's local backend (`/api/v1`).
    api: api::Api,
}

impl Shared {
    fn current(&self) -> Arc<Snapshot> {
        // The lock only guards an Arc swap; a poisoned lock still holds a valid one.
        Arc::clone(&self.snapshot.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Put files made after the build of `generation` into the current
    /// tree, without telling the tabs (the token stays). Files of an older
    /// generation than some already put are dropped.
    fn put_later(
        &self,
        generation: u64,
        replaces: fn(&str) -> bool,
        files: Vec<(String, crate::core::output::Bytes)>,
    ) {
        let mut done = self.later_done.lock().unwrap_or_else(|e| e.into_inner());
        if *done > generation {
            return;
        }
        *done = generation;
        self.edit_tree(|tree| put_later(tree, replaces, files));
    }

    /// Change the current tree in place, without telling the tabs.
    fn edit_tree(&self, edit: impl FnOnce(&mut OutputTree)) {
        let mut snap = self.snapshot.lock().unwrap_or_else(|e| e.into_inner());
        let Some(tree) = &snap.tree else { return };
        let mut tree = OutputTree::clone(tree);
        edit(&mut tree);
        *snap = Arc::new(Snapshot {
            tree: Some(Arc::new(tree)),
            diags: snap.diags.clone(),
            token: snap.token.clone(),
        });
    }

    fn replace(&self, snap: Snapshot) {
        let token = snap.token.clone();
        let old = std::mem::replace(
            &mut *self.snapshot.lock().unwrap_or_else(|e| e.into_inner()),
            Arc::new(snap),
        );
        self.hub.broadcast(&token);
        // Freeing the last tree (thousands of files) takes milliseconds:
        // after the tabs are told, and outside the lock.
        drop(old);
    }
}

/// A running dev server. Dropping it (or [`DevServer::stop`]) shuts it down.
pub struct DevServer {
    addr: SocketAddr,
    server: conn::Server,
    shared: Arc<Shared>,
    rebuilder: Option<JoinHandle<()>>,
    control: Sender<Msg>,
}

impl DevServer {
    /// The bound address (with the real port when 0 was asked).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://addr/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Connected live-reload clients.
    pub fn reload_clients(&self) -> usize {
        self.shared.hub.clients()
    }

    /// Stop serving, watching and rebuilding; waits for a running rebuild.
    pub fn stop(self) {}

    fn shutdown(&mut self) {
        let _ = self.control.send(Msg::Stop);
        // Streams end with their last chunk before the sockets are closed.
        self.shared.hub.close();
        self.server.stop();
        if let Some(r) = self.rebuilder.take() {
            let _ = r.join();
        }
    }
}

impl Drop for DevServer {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Runs until Ctrl-C. `rebuild` is called once with an empty [`ChangeSet`]
/// at start, then for each debounced batch of file changes under the
/// watched dirs. Returns the process exit code (0 after Ctrl-C; 1 when the
/// server cannot start, e.g. the port is taken; 2 for a bad `--bind`).
pub fn serve<F, R>(opts: ServeOptions, rebuild: F) -> i32
where
    F: FnMut(&ChangeSet) -> Result<R, Vec<Diagnostic>> + Send + 'static,
    R: Into<Rebuilt>,
{
    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    // Kept alive so that without a handler we wait forever instead of stopping.
    let _keep = stop_tx.clone();
    let presses = AtomicUsize::new(0);
    let handler = ctrlc::set_handler(move || {
        if presses.fetch_add(1, Ordering::SeqCst) > 0 {
            // Second Ctrl-C: the first is waiting for a slow rebuild.
            eprintln!("\nStopping now.");
            std::process::exit(130);
        }
        let _ = stop_tx.send(());
    });
    if let Err(e) = handler {
        eprintln!("warning: cannot handle Ctrl-C ({e}); stop the server by killing the process");
    }
    let server = match start(&opts, rebuild) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return e.exit_code();
        }
    };
    let _ = stop_rx.recv();
    eprintln!("\nStopping…");
    server.stop();
    0
}

/// Bind, build once, start watching and serving; returns at once with a
/// handle. [`serve`] is this plus waiting for Ctrl-C.
pub fn start<F, R>(opts: &ServeOptions, mut rebuild: F) -> Result<DevServer, ServeError>
where
    F: FnMut(&ChangeSet) -> Result<R, Vec<Diagnostic>> + Send + 'static,
    R: Into<Rebuilt>,
{
    // Bind first: a taken port is reported before a long build.
    let listener = bind(opts)?;
    let addr = listener
        .local_addr()
        .map_err(|e| ServeError::Server(e.to_string()))?;
    if !addr.ip().is_loopback() {
        eprintln!(
            "note: listening on {addr}, not loopback: other machines on your network can reach this dev server (the default is --bind 127.0.0.1)"
        );
    }
    let root = std::fs::canonicalize(&opts.root).map_err(|source| ServeError::Root {
        root: opts.root.clone(),
        source,
    })?;

    // Watch before the first build so that edits made during it are seen.
    let (control, rx) = mpsc::channel();
    let watcher = match Watcher::new(&root, control.clone()) {
        Ok(w) => Some(w),
        Err(e) => {
            eprintln!(
                "warning: cannot watch {} ({e}); serving without rebuilds or live reload",
                root.display()
            );
            None
        }
    };

    let instance = instance_id();
    let mut generation: u64 = 1;
    let base_url = format!("http://{addr}");
    let first_changes = ChangeSet {
        paths: Vec::new(),
        base_url: base_url.clone(),
    };
    let (result, took) = timed(&mut rebuild, &first_changes);
    let first = match result {
        Ok(Rebuilt { mut tree, later }) => {
            if let Some(later) = later {
                later.apply(&mut tree);
            }
            println!("Built in {} ms ({} files)", took.as_millis(), tree.len());
            Snapshot {
                tree: Some(Arc::new(tree)),
                diags: Vec::new(),
                token: format!("{instance}-{generation}"),
            }
        }
        Err(diags) => {
            report_failure(&diags, took, false);
            Snapshot {
                tree: None,
                diags,
                token: format!("{instance}-{generation}"),
            }
        }
    };
    let shared = Arc::new(Shared {
        snapshot: Mutex::new(Arc::new(first)),
        hub: Arc::new(Hub::default()),
        later_done: Mutex::new(0),
        guard: Guard::new(&opts.bind, addr),
        api: api::Api::new(&root),
    });

    let server = {
        let shared = Arc::clone(&shared);
        conn::Server::start(listener, Arc::new(move |rq: &Request| handle(&shared, rq)))
            .map_err(|e| ServeError::Server(e.to_string()))?
    };

    let rebuilder = {
        let shared = Arc::clone(&shared);
        let mut watcher = watcher;
        std::thread::Builder::new()
            .name("enishi-rebuild".to_string())
            .spawn(move || loop {
                let relevant = |ev: &notify::Event| match watcher.as_mut() {
                    Some(w) => w.relevant(ev),
                    None => Vec::new(),
                };
                let Some(paths) = watch::next_batch(&rx, relevant, watch::Debounce::default())
                else {
                    return;
                };
                if paths.is_empty() {
                    continue;
                }
                let changes = ChangeSet {
                    paths,
                    base_url: base_url.clone(),
                };
                let (result, took) = timed(&mut rebuild, &changes);
                generation += 1;
                let token = format!("{instance}-{generation}");
                let prev = shared.current();
                let mut later = None;
                let snap = match result {
                    Ok(Rebuilt { tree, later: l }) => {
                        later = l;
                        let n = changes.paths.len();
                        println!(
                            "Rebuilt in {} ms ({n} file{} changed)",
                            took.as_millis(),
                            if n == 1 { "" } else { "s" }
                        );
                        Snapshot {
                            tree: Some(Arc::new(tree)),
                            diags: Vec::new(),
                            token,
                        }
                    }
                    Err(diags) => {
                        report_failure(&diags, took, prev.tree.is_some());
                        Snapshot {
                            tree: prev.tree.clone(),
                            diags,
                            token,
                        }
                    }
                };
                shared.replace(snap);
                // Outputs left for later (the search index): made on a
                // thread of their own and swapped in without a reload (tabs
                // already show the page), unless a newer one came first.
                if let Some(Later { run, replaces }) = later {
                    let shared = Arc::clone(&shared);
                    let spawned = std::thread::Builder::new()
                        .name("enishi-later".to_string())
                        .spawn(move || {
                            if let Ok(files) = catch_unwind(AssertUnwindSafe(run)) {
                                shared.put_later(generation, replaces, files);
                            }
                        });
                    if let Err(e) = spawned {
                        eprintln!("warning: cannot start a thread for the search index ({e})");
                    }
                }
            })
            .map_err(|e| ServeError::Server(e.to_string()))?
    };

    println!(
        "Serving http://{addr}/ with live reload; watching {}/ and {} (Ctrl-C to stop)",
        WATCHED_DIRS.join("/, "),
        WATCHED_FILES.join(", ")
    );
    Ok(DevServer {
        addr,
        server,
        shared,
        rebuilder: Some(rebuilder),
        control,
    })
}

fn bind(opts: &ServeOptions) -> Result<TcpListener, ServeError> {
    let shown = opts.shown_addr();
    let addrs: Vec<SocketAddr> = (opts.bind.as_str(), opts.port)
        .to_socket_addrs()
        .map_err(|e| ServeError::BadBind {
            bind: opts.bind.clone(),
            reason: e.to_string(),
        })?
        .collect();
    if addrs.is_empty() {
        return Err(ServeError::BadBind {
            bind: opts.bind.clone(),
            reason: "it resolves to no address".to_string(),
        });
    }
    TcpListener::bind(&addrs[..]).map_err(|source| {
        if source.kind() == io::ErrorKind::AddrInUse {
            ServeError::PortInUse { addr: shown }
        } else {
            ServeError::Bind {
                addr: shown,
                source,
            }
        }
    })
}

/// Distinguishes this server process in build tokens, so tabs left open
/// across a restart reload once they reconnect. Not part of any output.
fn instance_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{:x}", (nanos as u64) ^ u64::from(std::process::id()))
}

/// Run the closure, timing it; a panic becomes an error diagnostic so the
/// server keeps going with the last good build.
fn timed<F, R>(rebuild: &mut F, changes: &ChangeSet) -> (Result<Rebuilt, Vec<Diagnostic>>, Duration)
where
    F: FnMut(&ChangeSet) -> Result<R, Vec<Diagnostic>>,
    R: Into<Rebuilt>,
{
    let t0 = Instant::now();
    let result = catch_unwind(AssertUnwindSafe(|| rebuild(changes).map(Into::into)))
        .unwrap_or_else(|payload| {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Err(vec![Diagnostic::error(
                "<enishi>",
                format!("internal error while building (please report this bug): {what}"),
            )])
        });
    (result, t0.elapsed())
}

fn report_failure(diags: &[Diagnostic], took: Duration, have_good: bool) {
    for d in diags {
        eprintln!("{d}");
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let tail = if have_good {
        "still serving the last good build; the errors are shown in the browser"
    } else {
        "nothing to serve yet; the errors are shown in the browser"
    };
    eprintln!(
        "Build failed in {} ms: {errors} error{}; {tail}",
        took.as_millis(),
        if errors == 1 { "" } else { "s" }
    );
}

type Extra = Option<(&'static str, String)>;

fn header(name: &'static str, value: &str) -> Extra {
    Some((name, value.to_string()))
}

/// A response with the headers every response carries.
fn send(status: u16, content_type: &str, body: Vec<u8>, extra: Extra) -> Reply {
    send_with(status, content_type, body, [extra, None])
}

fn send_with(status: u16, content_type: &str, body: Vec<u8>, extra: [Extra; 2]) -> Reply {
    let [e1, e2] = extra;
    let headers = [
        header("Content-Type", content_type),
        header("Cache-Control", "no-store"),
        header("X-Content-Type-Options", "nosniff"),
        e1,
        e2,
    ]
    .into_iter()
    .flatten()
    .collect();
    Reply::Full(Response {
        status,
        headers,
        body,
    })
}

fn send_text(status: u16, text: &str, extra: Extra) -> Reply {
    send(
        status,
        "text/plain; charset=utf-8",
        text.as_bytes().to_vec(),
        extra,
    )
}

fn handle(shared: &Shared, rq: &Request) -> Reply {
    // Before anything is read or served: a request whose Host names another
    // site is a DNS-rebinding page (see the `guard` module).
    if !shared.guard.host_ok(rq.header("Host")) {
        let msg = format!(
            "403 Forbidden: this dev server answers only to {} \
(the Host header names another site)\n",
            shared.guard.origins()
        );
        return send_text(403, &msg, None);
    }
    let target = rq.url().to_string();
    let path = target.split(['?', '#']).next().unwrap_or("");
    let is_get = rq.method() == "GET";
    let is_head = rq.method() == "HEAD";
    let host = rq.header("Host").unwrap_or_default();
    let from = rq.header("Origin");

    // The editor's API checks the origin itself and answers in JSON.
    if path == API_PATH {
        // An upload is served at once, as the rebuild it starts will: the
        // editor shows it from its public URL right after the upload.
        return api::handle(&shared.api, rq, |files| {
            shared.edit_tree(|tree| tree.extend(files))
        });
    }
    // Anything but a read may change something (the editor API): only this
    // server's own pages may ask (see the `origin` module).
    if !is_get && !is_head && !origin::same_origin(from, host) {
        let msg = format!(
            "403 Forbidden: a {} request needs an Origin header of this server (http://{host}); \
requests from other sites, and clients that send no Origin, cannot change anything here\n",
            rq.method()
        );
        return send_text(403, &msg, None);
    }
    if path == EVENTS_PATH {
        if !is_get {
            return send_text(405, "405 Method Not Allowed\n", header("Allow", "GET"));
        }
        if origin::foreign_read(from, rq.header("Sec-Fetch-Site"), host) {
            return send_text(
                403,
                "403 Forbidden: the live-reload stream is only for pages of this server \
(the Origin or Sec-Fetch-Site header names another site)\n",
                None,
            );
        }
        return live_reload(shared, rq);
    }
    if !is_get && !is_head {
        return send_text(
            405,
            "405 Method Not Allowed\n",
            header("Allow", "GET, HEAD"),
        );
    }

    let snap = shared.current();
    let empty = OutputTree::new();
    let tree = snap.tree.as_deref().unwrap_or(&empty);
    let html = |body: &[u8]| http::inject(body, &snap.token, &snap.diags);
    match http::resolve(tree, &target) {
        Resolved::BadRequest(why) => send_text(400, &format!("400 Bad Request: {why}\n"), None),
        _ if snap.tree.is_none() => send(
            500,
            "text/html; charset=utf-8",
            html(&http::no_build_page()),
            None,
        ),
        Resolved::File(key) => {
            let ct = http::content_type(&key);
            let bytes = tree.get(&key).map(|b| &b[..]).unwrap_or_default();
            // Not into the editor: a reload would lose the form being filled
            // (an upload is a save, and rebuilds); its saves show in the site's tabs.
            if http::is_html(ct) && !key.starts_with("admin/") {
                return send(200, ct, html(bytes), None);
            }
            // Byte ranges (the search client reads its packs this way).
            let range = rq.header("Range");
            let accept = header("Accept-Ranges", "bytes");
            let len = bytes.len();
            match http::byte_range(range, len) {
                http::ByteRange::Whole => send_with(200, ct, bytes.to_vec(), [accept, None]),
                http::ByteRange::Part { start, end } => send_with(
                    206,
                    ct,
                    bytes.get(start..=end).unwrap_or_default().to_vec(),
                    [
                        accept,
                        header("Content-Range", &format!("bytes {start}-{end}/{len}")),
                    ],
                ),
                http::ByteRange::Unsatisfiable => send_with(
                    416,
                    "text/plain; charset=utf-8",
                    b"416 Range Not Satisfiable\n".to_vec(),
                    [accept, header("Content-Range", &format!("bytes */{len}"))],
                ),
            }
        }
        Resolved::Redirect(location) => send_text(
            308,
            &format!("308 Permanent Redirect: {location}\n"),
            header("Location", &location),
        ),
        Resolved::NotFound => {
            let body = match tree.get("404.html") {
                Some(b) => html(b),
                None => html(&http::fallback_404()),
            };
            send(404, "text/html; charset=utf-8", body, None)
        }
    }
}

fn live_reload(shared: &Shared, rq: &Request) -> Reply {
    let Some(sub) = shared.hub.subscribe() else {
        return send_text(
            503,
            "503 Service Unavailable: too many live-reload connections\n",
            header("Retry-After", "5"),
        );
    };
    // Token read after subscribing: a rebuild in between is then sent twice,
    // never missed.
    let token = shared.current().token.clone();
    let http11 = rq.http11();
    // Written on this connection's own thread (see the `conn` module).
    Reply::Stream(Box::new(move |w| hub::run_stream(w, sub, &token, http11)))
}
