//! The editor's local backend: `POST /api/v1`, the protocol of
//! `decap-server`'s `local_fs` mode, so that Decap CMS (and Sveltia CMS) on
//! `/admin/` save straight into the site.
//!
//! A request is JSON `{ "action": …, "params": { … } }`; the answer is JSON,
//! `{ "error": … }` with a 4xx/5xx status when it fails. Actions: `info`,
//! `entriesByFolder`, `entriesByFiles`, `getEntry` (404 for a missing file:
//! the editor asks that to find a free slug), `persistEntry`, `getMedia`,
//! `getMediaFile`, `persistMedia`, `deleteFile`, `deleteFiles` and
//! `getDeployPreview` (none). The editorial workflow's actions are unknown
//! (422), as in `decap-server`: the configuration says `publish_mode: simple`.
//!
//! Confinement: every path of a request is checked before anything is read
//! or written, and one bad path refuses the whole request, so nothing is
//! written. A path is relative, `/`-separated, each part a safe segment
//! ([`is_safe_segment`], not hidden), not percent-encoded, and under
//! `content/` or `static/`; the folder it resolves to (symbolic links
//! included, through [`Jail`]) must still be inside one of those two. So
//! `site.yaml`, `data/` (the roster: personal data is not edited in the
//! browser), `templates/`, `..`, absolute paths and links out are refused
//! with 400 or 403. Writes go through [`write_atomic`]: the watcher sees
//! whole files, rebuilds and reloads the tabs; a save that does not build is
//! still written (it is the author's work) and the overlay names its error.
//!
//! Who may call it is `mod.rs`'s and [`super::origin`]'s business (`Host`,
//! then `Origin` equal to the served origin); this module answers a body.

use std::path::{Path, PathBuf};

use super::conn::Request;
use base64::Engine as _;
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest as _, Sha256};

use crate::core::fs::{write_atomic, Entry, Jail};
use crate::core::output::Bytes;
use crate::core::text::is_safe_segment;

/// Where the editor's backend answers (`local_backend.url` in
/// `admin/config.yml`).
pub const API_PATH: &str = "/api/v1";

/// Largest request body: an upload arrives base64-encoded inside the JSON.
pub const MAX_BODY: usize = 64 << 20;

/// The folders the editor may read and write, relative to the site root.
pub const EDITABLE: [&str; 2] = ["content", "static"];

/// The local backend of one site.
pub struct Api {
    /// The site root, canonical.
    root: PathBuf,
    jail: Jail,
}

/// An answer: status and JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
    /// Files written into `static/`, as the output keys and bytes the next
    /// build will serve them as (`static/images/a.png` is `images/a.png`).
    pub served: Vec<(String, Bytes)>,
}

/// Files written into `static/` by a request (see [`Reply::served`]).
type Served = Vec<(String, Bytes)>;

/// A refused or failed request.
#[derive(Debug)]
struct Fail {
    status: u16,
    message: String,
}

fn fail(status: u16, message: impl Into<String>) -> Fail {
    Fail {
        status,
        message: message.into(),
    }
}

impl From<Fail> for Reply {
    fn from(f: Fail) -> Reply {
        Reply {
            status: f.status,
            body: json!({ "error": f.message }),
            served: Vec::new(),
        }
    }
}

#[derive(Deserialize)]
struct Body {
    action: Option<String>,
    #[serde(default)]
    params: Value,
}

#[derive(Deserialize)]
struct ByFolder {
    folder: String,
    extension: String,
    depth: f64,
}

#[derive(Deserialize)]
struct FileRef {
    path: String,
    label: Option<String>,
}

#[derive(Deserialize)]
struct ByFiles {
    files: Vec<FileRef>,
}

#[derive(Deserialize)]
struct OnePath {
    path: String,
}

#[derive(Deserialize)]
struct Paths {
    paths: Vec<String>,
}

#[derive(Deserialize)]
struct DataFile {
    path: String,
    raw: String,
    #[serde(rename = "newPath")]
    new_path: Option<String>,
}

#[derive(Deserialize)]
struct Asset {
    path: String,
    content: String,
    encoding: String,
}

#[derive(Deserialize)]
struct PersistEntry {
    entry: Option<DataFile>,
    #[serde(rename = "dataFiles")]
    data_files: Option<Vec<DataFile>>,
    #[serde(default)]
    assets: Vec<Asset>,
}

#[derive(Deserialize)]
struct Media {
    #[serde(rename = "mediaFolder")]
    media_folder: String,
}

#[derive(Deserialize)]
struct PersistMedia {
    asset: Asset,
}

/// The actions this backend answers, for the "unknown action" message.
const ACTIONS: &str = "info, entriesByFolder, entriesByFiles, getEntry, persistEntry, getMedia, getMediaFile, persistMedia, deleteFile, deleteFiles, getDeployPreview";

fn params<T: for<'de> Deserialize<'de>>(action: &str, v: Value) -> Result<T, Fail> {
    serde_json::from_value(v).map_err(|e| {
        fail(
            422,
            format!("`{action}`: bad `params`: {e}; see decap-server's local backend API"),
        )
    })
}

/// `content/news/a.md` checked, before the file system is asked.
fn checked(raw: &str) -> Result<PathBuf, Fail> {
    let bad = |why: &str| fail(400, format!("path {raw:?} refused: {why}"));
    if raw.is_empty() {
        return Err(bad("empty; expected a path like content/news/post.md"));
    }
    if raw.starts_with('/') || Path::new(raw).is_absolute() {
        return Err(bad(
            "absolute; expected a path relative to the site root, like content/news/post.md",
        ));
    }
    let decoded = percent_encoding::percent_decode_str(raw).decode_utf8_lossy();
    if decoded != raw {
        return Err(bad("percent-encoded; send the path as plain text"));
    }
    let trimmed = raw.strip_suffix('/').unwrap_or(raw);
    let mut rel = PathBuf::new();
    for seg in trimmed.split('/') {
        if !is_safe_segment(seg) {
            return Err(bad(
                "an empty, `.` or `..` part, a backslash or a control character; expected a plain path like content/news/post.md",
            ));
        }
        if seg.starts_with('.') {
            return Err(bad("a hidden file or folder (name starting with `.`)"));
        }
        rel.push(seg);
    }
    let top = trimmed.split('/').next().unwrap_or_default();
    if !EDITABLE.contains(&top) {
        return Err(fail(
            403,
            format!(
                "path {raw:?} refused: the editor writes only in content/ and static/ (site.yaml, data/ and the templates are edited as files)"
            ),
        ));
    }
    Ok(rel)
}

/// The display form of a relative path (`/`-separated).
fn shown(rel: &Path) -> String {
    rel.to_string_lossy().replace('\\', "/")
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn base64_of(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn io_fail(rel: &Path, doing: &str, e: std::io::Error) -> Fail {
    eprintln!("editor: cannot {doing} {}: {e}", shown(rel));
    fail(500, format!("cannot {doing} {}: {e}", shown(rel)))
}

impl Api {
    /// The backend for the site at `root` (canonical).
    pub fn new(root: &Path) -> Api {
        Api {
            root: root.to_path_buf(),
            jail: Jail::site(root),
        }
    }

    /// Whether a canonical path is inside an editable folder (a link inside
    /// `content/` to `data/` is not).
    fn editable(&self, canon: &Path) -> bool {
        // The editable folder as resolved (it may be a link), which must
        // itself lie in an editable folder of the site.
        let top_editable = |p: &Path| {
            p.strip_prefix(&self.root)
                .ok()
                .and_then(|r| r.components().next())
                .is_some_and(|c| EDITABLE.iter().any(|d| c.as_os_str() == *d))
        };
        EDITABLE.iter().any(|d| {
            let dir =
                std::fs::canonicalize(self.root.join(d)).unwrap_or_else(|_| self.root.join(d));
            top_editable(&dir) && canon.starts_with(&dir)
        })
    }

    fn outside(&self, rel: &Path) -> Fail {
        fail(
            403,
            format!(
                "path {:?} refused: it leads out of content/ and static/ (a symbolic link); the editor writes only inside them",
                shown(rel)
            ),
        )
    }

    /// The regular file at `rel`, if there is one (canonical path).
    fn existing(&self, rel: &Path) -> Result<Option<PathBuf>, Fail> {
        match self.jail.resolve(rel) {
            Ok(Entry::File(c)) if self.editable(&c) => Ok(Some(c)),
            Ok(Entry::File(_)) | Ok(Entry::Skipped(_)) => Err(self.outside(rel)),
            Ok(Entry::Missing) => Ok(None),
            Ok(Entry::Dir(_)) => Err(fail(
                422,
                format!("{} is a folder; expected a file", shown(rel)),
            )),
            Err(d) => Err(fail(500, d.message)),
        }
    }

    /// Where `rel` may be written (canonical), or why not.
    fn place(&self, rel: &Path) -> Result<PathBuf, Fail> {
        let target = self.jail.target(rel).map_err(|_| self.outside(rel))?;
        if !self.editable(&target) {
            return Err(self.outside(rel));
        }
        if target.is_dir() {
            return Err(fail(
                422,
                format!("{} is a folder; expected a file path", shown(rel)),
            ));
        }
        Ok(target)
    }

    /// The files under the folder `rel`, at most `depth` levels down,
    /// ending in `.ext` (any with `None`), sorted; hidden files and links
    /// leading out are left out.
    fn list(&self, rel: &Path, ext: Option<&str>, depth: usize) -> Vec<(String, PathBuf)> {
        let base = rel.components().count();
        self.jail
            .walk(rel)
            .files
            .into_iter()
            .filter(|f| f.rel.components().count() - base <= depth)
            .filter(|f| self.editable(&f.path))
            .filter_map(|f| {
                let name = f.rel.file_name()?.to_str()?;
                if name.starts_with('.') {
                    return None;
                }
                if let Some(ext) = ext {
                    if !name.ends_with(&format!(".{ext}")) {
                        return None;
                    }
                }
                Some((f.rel.to_str()?.replace('\\', "/"), f.path))
            })
            .collect()
    }

    fn entry(path: &str, label: Option<&str>, bytes: Option<&[u8]>) -> Value {
        let mut file = json!({ "path": path, "id": bytes.map(sha256_hex) });
        if let Some(l) = label {
            file["label"] = json!(l);
        }
        json!({
            "data": bytes.map(|b| String::from_utf8_lossy(b).into_owned()),
            "file": file,
        })
    }

    fn media(rel: &str, bytes: &[u8]) -> Value {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        json!({
            "id": sha256_hex(bytes),
            "content": base64_of(bytes),
            "encoding": "base64",
            "path": rel,
            "name": name,
        })
    }

    fn read(&self, canon: &Path, rel: &Path) -> Result<Vec<u8>, Fail> {
        std::fs::read(canon).map_err(|e| io_fail(rel, "read", e))
    }

    /// The bytes of `rel`, which must exist (else 404).
    fn read_existing(&self, rel: &Path) -> Result<Vec<u8>, Fail> {
        let canon = self
            .existing(rel)?
            .ok_or_else(|| fail(404, format!("no file {}", shown(rel))))?;
        self.read(&canon, rel)
    }

    fn write(
        &self,
        canon: &Path,
        rel: &Path,
        bytes: &[u8],
        served: &mut Served,
    ) -> Result<(), Fail> {
        write_atomic(canon, bytes).map_err(|e| io_fail(rel, "write", e))?;
        println!("Saved {} (editor)", shown(rel));
        if let Ok(key) = rel.strip_prefix("static") {
            served.push((shown(key), Bytes::from(bytes)));
        }
        Ok(())
    }

    /// Answer one request body.
    pub fn answer(&self, body: &[u8]) -> Reply {
        let mut served = Vec::new();
        match self.dispatch(body, &mut served) {
            Ok(body) => Reply {
                status: 200,
                body,
                served,
            },
            // Even a failed request may have written some files first.
            Err(f) => Reply { served, ..f.into() },
        }
    }

    fn dispatch(&self, body: &[u8], served: &mut Served) -> Result<Value, Fail> {
        let body: Body = serde_json::from_slice(body).map_err(|e| {
            fail(
                400,
                format!("the request body is not the expected JSON {{\"action\": …, \"params\": {{…}}}}: {e}"),
            )
        })?;
        let action = body
            .action
            .ok_or_else(|| fail(422, format!("no `action`; expected one of {ACTIONS}")))?;
        let p = body.params;
        match action.as_str() {
            "info" => Ok(json!({
                "repo": self.root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
                "publish_modes": ["simple"],
                "type": "local_fs",
            })),
            "entriesByFolder" => {
                let q: ByFolder = params(&action, p)?;
                let rel = checked(&q.folder)?;
                let depth = if q.depth.is_finite() && q.depth > 0.0 {
                    q.depth.min(64.0) as usize
                } else {
                    0
                };
                let ext = q.extension.trim_start_matches('.');
                let mut out = Vec::new();
                for (path, canon) in self.list(&rel, Some(ext), depth) {
                    let bytes = std::fs::read(&canon).ok();
                    out.push(Self::entry(&path, None, bytes.as_deref()));
                }
                Ok(Value::Array(out))
            }
            "entriesByFiles" => {
                let q: ByFiles = params(&action, p)?;
                let rels = q
                    .files
                    .iter()
                    .map(|f| checked(&f.path))
                    .collect::<Result<Vec<_>, _>>()?;
                let mut out = Vec::new();
                for (f, rel) in q.files.iter().zip(&rels) {
                    let bytes = match self.existing(rel)? {
                        Some(c) => Some(self.read(&c, rel)?),
                        None => None,
                    };
                    out.push(Self::entry(&f.path, f.label.as_deref(), bytes.as_deref()));
                }
                Ok(Value::Array(out))
            }
            "getEntry" => {
                let q: OnePath = params(&action, p)?;
                let rel = checked(&q.path)?;
                let bytes = self.read_existing(&rel)?;
                Ok(Self::entry(&shown(&rel), None, Some(&bytes)))
            }
            "persistEntry" => self.persist_entry(&action, p, served),
            "getMedia" => {
                let q: Media = params(&action, p)?;
                let rel = checked(&q.media_folder)?;
                let mut out = Vec::new();
                for (path, canon) in self.list(&rel, None, 1) {
                    if let Ok(bytes) = std::fs::read(&canon) {
                        out.push(Self::media(&path, &bytes));
                    }
                }
                Ok(Value::Array(out))
            }
            "getMediaFile" => {
                let q: OnePath = params(&action, p)?;
                let rel = checked(&q.path)?;
                let bytes = self.read_existing(&rel)?;
                Ok(Self::media(&shown(&rel), &bytes))
            }
            "persistMedia" => {
                let q: PersistMedia = params(&action, p)?;
                let (rel, canon, bytes) = self.asset(&q.asset)?;
                self.write(&canon, &rel, &bytes, served)?;
                Ok(Self::media(&shown(&rel), &bytes))
            }
            "deleteFile" => {
                let q: OnePath = params(&action, p)?;
                self.delete(&[q.path])
            }
            "deleteFiles" => {
                let q: Paths = params(&action, p)?;
                self.delete(&q.paths)
            }
            "getDeployPreview" => Ok(Value::Null),
            other => Err(fail(
                422,
                format!("unknown action {other:?}; expected one of {ACTIONS} (no editorial workflow: publish_mode is simple)"),
            )),
        }
    }

    /// An upload, checked and decoded: (relative path, where, bytes).
    fn asset(&self, a: &Asset) -> Result<(PathBuf, PathBuf, Vec<u8>), Fail> {
        let rel = checked(&a.path)?;
        let canon = self.place(&rel)?;
        if a.encoding != "base64" {
            return Err(fail(
                422,
                format!(
                    "{}: encoding {:?}; expected \"base64\"",
                    shown(&rel),
                    a.encoding
                ),
            ));
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(a.content.trim())
            .map_err(|e| fail(422, format!("{}: content is not base64: {e}", shown(&rel))))?;
        Ok((rel, canon, bytes))
    }

    fn persist_entry(&self, action: &str, p: Value, served: &mut Served) -> Result<Value, Fail> {
        let q: PersistEntry = params(action, p)?;
        let files: Vec<DataFile> = match (q.data_files, q.entry) {
            (Some(files), _) if !files.is_empty() => files,
            (_, Some(entry)) => vec![entry],
            _ => {
                return Err(fail(
                    422,
                    "`persistEntry`: no `dataFiles` and no `entry`; expected the entry's file",
                ))
            }
        };
        // Every path and upload is checked before the first write.
        let assets = q
            .assets
            .iter()
            .map(|a| self.asset(a))
            .collect::<Result<Vec<_>, _>>()?;
        let mut writes = Vec::new();
        for f in &files {
            let rel = checked(&f.path)?;
            let from = self.place(&rel)?;
            let to = match f.new_path.as_deref().filter(|n| *n != f.path) {
                Some(n) => {
                    let new_rel = checked(n)?;
                    let to = self.place(&new_rel)?;
                    Some((new_rel, to))
                }
                None => None,
            };
            writes.push((rel, from, to, f.raw.as_bytes()));
        }
        for (rel, canon, bytes) in &assets {
            self.write(canon, rel, bytes, served)?;
        }
        for (rel, from, to, raw) in writes {
            match to {
                // A renamed entry (its slug changed): the new file, then the
                // old one goes.
                Some((new_rel, to)) => {
                    self.write(&to, &new_rel, raw, served)?;
                    if from.is_file() {
                        std::fs::remove_file(&from).map_err(|e| io_fail(&rel, "remove", e))?;
                    }
                }
                None => self.write(&from, &rel, raw, served)?,
            }
        }
        Ok(json!({ "message": "entry persisted" }))
    }

    fn delete(&self, paths: &[String]) -> Result<Value, Fail> {
        let rels = paths
            .iter()
            .map(|p| checked(p))
            .collect::<Result<Vec<_>, _>>()?;
        let mut found = Vec::new();
        for rel in &rels {
            if let Some(c) = self.existing(rel)? {
                found.push((rel, c));
            }
        }
        for (rel, canon) in found {
            std::fs::remove_file(&canon).map_err(|e| io_fail(rel, "delete", e))?;
            println!("Deleted {} (editor)", shown(rel));
        }
        let list: Vec<String> = rels.iter().map(|r| shown(r)).collect();
        Ok(json!({ "message": format!("deleted {}", list.join(", ")) }))
    }
}

fn json_reply(reply: Reply) -> super::conn::Reply {
    super::send(
        reply.status,
        "application/json; charset=utf-8",
        reply.body.to_string().into_bytes(),
        None,
    )
}

fn refuse(status: u16, message: &str, extra: super::Extra) -> super::conn::Reply {
    let body = json!({ "error": message }).to_string().into_bytes();
    super::send(status, "application/json; charset=utf-8", body, extra)
}

/// `POST /api/v1`, after the `Host` check: same origin only, JSON only,
/// bounded body; then [`Api::answer`]. `serve` gets the files written into
/// `static/` before the answer leaves.
pub(super) fn handle(
    api: &Api,
    rq: &Request,
    serve: impl FnOnce(Vec<(String, Bytes)>),
) -> super::conn::Reply {
    if rq.method() != "POST" {
        return refuse(
            405,
            "the editor's API takes POST with a JSON body",
            super::header("Allow", "POST"),
        );
    }
    let host = rq.header("Host").unwrap_or_default();
    if !super::origin::same_origin(rq.header("Origin"), host) {
        return refuse(
            403,
            &format!(
                "only the editor served by this server may save (Origin must be http://{host}); open http://{host}/admin/"
            ),
            None,
        );
    }
    let json_type = rq.header("Content-Type").is_some_and(|t| {
        t.split(';')
            .next()
            .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
    });
    if !json_type {
        return refuse(415, "expected Content-Type: application/json", None);
    }
    let body = rq.body();
    if body.len() > MAX_BODY {
        return refuse(
            413,
            &format!("request body over {} MiB", MAX_BODY >> 20),
            None,
        );
    }
    let mut reply = api.answer(body);
    let served = std::mem::take(&mut reply.served);
    if !served.is_empty() {
        serve(served);
    }
    json_reply(reply)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_checked_before_the_file_system() {
        for ok in [
            "content/news/a.md",
            "static/images/",
            "content/news/ブラウザ.md",
        ] {
            assert!(checked(ok).is_ok(), "{ok}");
        }
        for (bad, status) in [
            ("", 400),
            ("/etc/passwd", 400),
            ("../site.yaml", 400),
            ("content/../site.yaml", 400),
            ("content/%2e%2e/site.yaml", 400),
            ("content/%2E%2E/data/roster.yaml", 400),
            ("content//a.md", 400),
            ("content/./a.md", 400),
            ("content\\..\\site.yaml", 400),
            ("content/a\0.md", 400),
            ("content/.git/config", 400),
            ("site.yaml", 403),
            ("data/roster.yaml", 403),
            ("templates/base.html", 403),
            ("contents/a.md", 403),
        ] {
            match checked(bad) {
                Ok(p) => panic!("{bad:?} accepted as {p:?}"),
                Err(f) => assert_eq!(f.status, status, "{bad:?}: {}", f.message),
            }
        }
    }

    #[test]
    fn uploads_are_handed_over_as_the_output_files_they_become() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("static/images")).unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        let api = Api::new(&root);
        let body = json!({
            "action": "persistEntry",
            "params": {
                "dataFiles": [{ "path": "content/news/a.md", "raw": "---\ntitle: a\n---\n" }],
                "assets": [{ "path": "static/images/a.png", "content": base64_of(b"png"), "encoding": "base64" }],
            },
        });
        let reply = api.answer(body.to_string().as_bytes());
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(
            reply.served,
            [("images/a.png".to_string(), Bytes::from(&b"png"[..]))]
        );
        assert_eq!(
            std::fs::read(root.join("static/images/a.png")).unwrap(),
            b"png"
        );
    }
}
