//! The HTTP side of `serve`, as pure functions over the in-memory tree:
//! request-target -> tree key (or redirect / 404 / 400), content types, and
//! the live-reload script and error overlay injected into HTML responses.
//!
//! Serving only from the [`OutputTree`] (never from disk) is what makes
//! traversal impossible by construction: a key is a lookup in a map, so the
//! worst a hostile path can do is miss. We still refuse `..`, encoded
//! separators, backslashes and NUL with 400, so that a probe is visible as
//! such and never depends on map contents.

use std::borrow::Cow;

use percent_encoding::percent_decode_str;

use crate::core::diag::{Diagnostic, Severity};
use crate::core::escape::escape_html;
use crate::core::output::OutputTree;
use crate::core::text::is_safe_segment;

/// Path of the Server-Sent Events endpoint that drives live reload.
pub const EVENTS_PATH: &str = "/__enishi/events";

/// Where a request-target leads in the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// Serve this key of the tree.
    File(String),
    /// Redirect (308) to this location: a directory without its trailing slash.
    Redirect(String),
    /// Nothing there: serve the site's `404.html` with status 404.
    NotFound,
    /// A malformed or hostile path (`..`, `%2f`, backslash, NUL, …): 400.
    BadRequest(&'static str),
}

/// Map a raw request-target (`/tags/%E6%8E%A1/?page=2`) to a tree key.
///
/// Each segment is percent-decoded on its own (so `%2F` cannot smuggle a
/// separator), must be UTF-8, and must be a safe segment: not empty, `.` or
/// `..`, and free of `/`, `\`, NUL and control characters.
pub fn resolve(tree: &OutputTree, target: &str) -> Resolved {
    let end = target.find(['?', '#']).unwrap_or(target.len());
    let (path, query) = target.split_at(end);
    let query = if query.starts_with('?') { query } else { "" };
    let Some(rest) = path.strip_prefix('/') else {
        return Resolved::BadRequest("the request path must start with `/`");
    };
    let raw_segments: Vec<&str> = rest.split('/').collect();
    let last = raw_segments.len() - 1;
    let mut segments: Vec<Cow<'_, str>> = Vec::with_capacity(raw_segments.len());
    for (i, raw) in raw_segments.iter().enumerate() {
        if raw.is_empty() {
            if i == last {
                break;
            }
            return Resolved::BadRequest("empty path segment (`//`)");
        }
        let Ok(seg) = percent_decode_str(raw).decode_utf8() else {
            return Resolved::BadRequest("the path is not valid UTF-8 after percent-decoding");
        };
        if !is_safe_segment(&seg) {
            return Resolved::BadRequest(
                "unsafe path segment (`.`, `..`, `/`, `\\`, NUL or a control character)",
            );
        }
        segments.push(seg);
    }
    let joined = segments.join("/");
    if path.ends_with('/') {
        let key = if joined.is_empty() {
            "index.html".to_string()
        } else {
            format!("{joined}/index.html")
        };
        return if tree.contains_key(&key) {
            Resolved::File(key)
        } else {
            Resolved::NotFound
        };
    }
    if tree.contains_key(&joined) {
        return Resolved::File(joined);
    }
    if tree.contains_key(&format!("{joined}/index.html")) {
        // `path` is the client's own (already encoded) spelling, checked above.
        return Resolved::Redirect(format!("{path}/{query}"));
    }
    Resolved::NotFound
}

/// `Content-Type` for a tree key, by extension; text types carry
/// `; charset=utf-8`.
pub fn content_type(key: &str) -> &'static str {
    let name = key.rsplit('/').next().unwrap_or(key);
    let ext = match name.rsplit_once('.') {
        Some((_, ext)) => ext.to_ascii_lowercase(),
        None => String::new(),
    };
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json; charset=utf-8",
        "webmanifest" => "application/manifest+json; charset=utf-8",
        "xml" | "xsl" => "application/xml; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "yml" | "yaml" => "text/yaml; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "wasm" => "application/wasm",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

/// Whether a content type gets the live-reload script and the overlay.
pub fn is_html(content_type: &str) -> bool {
    content_type.starts_with("text/html")
}

/// The live-reload client. The server sends a `build` event carrying the
/// current build token on connect and after each rebuild; a token different
/// from the one this page was served with means "show the new page". So a tab
/// also catches up after a missed event or a server restart (EventSource
/// reconnects by itself, `retry:` is 1 s).
///
/// A page without scripts of its own (interviews, news, jobs: what one edits)
/// is fetched and its `<body>` swapped in place, keeping the stylesheets, the
/// scroll position and the stream: no navigation, so the new text shows a few
/// milliseconds after the server has it. A page with scripts (search, the
/// directory), or whose stylesheets changed, is reloaded as a whole. The new
/// page's own copy of this script comes from a `DOMParser` document, where
/// scripts never run; it only hands over its token (`data-enishi`).
fn reload_script(token: &str) -> String {
    // The token is `[0-9a-f-]`, safe in a JS string and an attribute; escape anyway.
    let token = escape_html(token);
    format!(
        "<script data-enishi=\"{token}\">/* enishi serve: live reload (not in `enishi build` output) */\
(function(){{var t=\"{token}\",want=t,busy=0,again=0;if(!window.EventSource)return;\
var es=new EventSource(\"{EVENTS_PATH}\");\
function reload(){{es.close();location.reload();}}\
function live(d){{return d.querySelector('script:not([type=\"application/ld+json\"]):not([data-enishi])');}}\
function css(d){{return [].map.call(d.querySelectorAll('link[rel~=\"stylesheet\"],head style'),function(n){{return n.outerHTML;}}).join();}}\
function swap(){{if(!window.fetch||!window.DOMParser||live(document)){{reload();return;}}busy=1;\
fetch(location.href,{{cache:\"no-store\"}}).then(function(r){{return r.text();}}).then(function(h){{\
var d=new DOMParser().parseFromString(h,\"text/html\"),s=d.querySelector(\"script[data-enishi]\");\
if(!s||live(d)||css(d)!==css(document)){{reload();return;}}\
var y=window.scrollY;document.title=d.title;document.body.replaceWith(document.adoptNode(d.body));window.scrollTo(0,y);\
t=s.getAttribute(\"data-enishi\");busy=0;if(again){{again=0;if(want!==t)swap();}}}}).catch(reload);}}\
es.addEventListener(\"build\",function(e){{want=e.data;if(busy){{again=1;return;}}if(want!==t)swap();}});}})();\
</script>"
    )
}

/// The error overlay: every diagnostic as `file:line:col: message`, all
/// HTML-escaped. Empty when there are no diagnostics.
pub fn overlay(diags: &[Diagnostic]) -> String {
    if diags.is_empty() {
        return String::new();
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let mut items = String::new();
    for d in diags {
        let mut loc = d.file.display().to_string();
        if let Some(line) = d.line {
            loc.push_str(&format!(":{line}"));
            if let Some(col) = d.col {
                loc.push_str(&format!(":{col}"));
            }
        }
        let label = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        items.push_str(&format!(
            "<li><b>{label}</b> <code>{}</code><br>{}</li>",
            escape_html(&loc),
            escape_html(&d.message)
        ));
    }
    format!(
        "<div id=\"__enishi_errors\" role=\"alert\" style=\"position:fixed;left:0;right:0;top:0;\
z-index:2147483647;max-height:70vh;overflow:auto;margin:0;padding:1rem 1.25rem;\
background:#fff4f4;color:#5c0011;border-bottom:4px solid #c4001d;\
font:14px/1.6 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;\
box-shadow:0 4px 16px rgba(0,0,0,.25);text-align:left\">\
<button type=\"button\" onclick=\"this.parentNode.remove()\" aria-label=\"閉じる / Close\" \
style=\"float:right;font:inherit;cursor:pointer\">×</button>\
<p style=\"margin:0 0 .5rem;font-weight:bold\">ビルドに失敗しました / Build failed \
({errors} error{s}) — 最後に成功したビルドを表示中 / showing the last good build</p>\
<ol style=\"margin:0;padding-left:1.5rem\">{items}</ol></div>",
        s = if errors == 1 { "" } else { "s" },
    )
}

/// Insert the overlay and the reload script before the last `</body>`
/// (ASCII case-insensitive), or append them when there is none.
pub fn inject(html: &[u8], token: &str, diags: &[Diagnostic]) -> Vec<u8> {
    let snippet = format!("{}{}", overlay(diags), reload_script(token));
    let at = rfind_ascii_ci(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn rfind_ascii_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// Built-in page for a 404 when the site has no `404.html`.
pub fn fallback_404() -> Vec<u8> {
    "<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>404 Not Found</title></head>\
<body><h1>404 Not Found</h1><p>ページが見つかりません / This page does not exist.</p></body></html>"
        .as_bytes()
        .to_vec()
}

/// Built-in page while there is no good build yet (the first build failed):
/// the overlay says why, and the reload script brings the site once fixed.
pub fn no_build_page() -> Vec<u8> {
    "<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>Build failed</title></head>\
<body><main style=\"margin-top:50vh;padding:1rem;font-family:sans-serif\">\
<p>まだ成功したビルドがありません。エラーを直して保存すると自動で再読み込みします。<br>\
No successful build yet. Fix the errors above and save; this tab reloads by itself.</p></main></body></html>"
        .as_bytes()
        .to_vec()
}

/// What a `Range` request header asks of a body of `len` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByteRange {
    /// No usable single range (absent, malformed, several ranges, or another
    /// unit): send the whole body with 200, as RFC 9110 allows.
    Whole,
    /// Bytes `start..=end` (inclusive, within the body): 206.
    Part { start: usize, end: usize },
    /// A well-formed range that starts at or past the end: 416.
    Unsatisfiable,
}

/// Parse `bytes=a-b`, `bytes=a-` or `bytes=-n` against a body of `len` bytes.
pub fn byte_range(header: Option<&str>, len: usize) -> ByteRange {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return ByteRange::Whole;
    };
    if spec.contains(',') {
        return ByteRange::Whole;
    }
    let Some((a, b)) = spec.trim().split_once('-') else {
        return ByteRange::Whole;
    };
    let num = |s: &str| -> Option<usize> {
        if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        // Longer than usize: clamp (a start past any body, or "to the end").
        Some(s.parse().unwrap_or(usize::MAX))
    };
    match (a.trim(), b.trim()) {
        ("", n) => match num(n) {
            None => ByteRange::Whole,
            Some(0) => ByteRange::Unsatisfiable,
            Some(_) if len == 0 => ByteRange::Unsatisfiable,
            Some(n) => ByteRange::Part {
                start: len.saturating_sub(n),
                end: len - 1,
            },
        },
        (a, b) => {
            let Some(start) = num(a) else {
                return ByteRange::Whole;
            };
            let end = if b.is_empty() {
                usize::MAX
            } else {
                match num(b) {
                    Some(e) if e >= start => e,
                    _ => return ByteRange::Whole,
                }
            };
            if start >= len {
                ByteRange::Unsatisfiable
            } else {
                ByteRange::Part {
                    start,
                    end: end.min(len - 1),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_ranges() {
        use super::ByteRange::*;
        let r = |h: &str, len| byte_range(Some(h), len);
        assert_eq!(byte_range(None, 10), Whole);
        assert_eq!(r("bytes=0-3", 10), Part { start: 0, end: 3 });
        assert_eq!(r("bytes=4-", 10), Part { start: 4, end: 9 });
        assert_eq!(r("bytes=5-100", 10), Part { start: 5, end: 9 });
        assert_eq!(r("bytes=-3", 10), Part { start: 7, end: 9 });
        assert_eq!(r("bytes=-30", 10), Part { start: 0, end: 9 });
        assert_eq!(r("bytes=10-12", 10), Unsatisfiable);
        assert_eq!(r("bytes=99999999999999999999999-", 10), Unsatisfiable);
        assert_eq!(r("bytes=-0", 10), Unsatisfiable);
        assert_eq!(r("bytes=0-0", 0), Unsatisfiable);
        assert_eq!(r("bytes=3-1", 10), Whole);
        assert_eq!(r("bytes=0-1,4-5", 10), Whole);
        assert_eq!(r("items=0-1", 10), Whole);
        assert_eq!(r("bytes=a-b", 10), Whole);
        assert_eq!(r("bytes=+1-2", 10), Whole);
    }

    fn tree() -> OutputTree {
        let mut t = OutputTree::new();
        for k in [
            "index.html",
            "news/index.html",
            "news/a/index.html",
            "tags/採用/index.html",
            "feed.xml",
            "404.html",
        ] {
            t.insert(
                k.to_string(),
                b"<html><body>x</body></html>".to_vec().into(),
            );
        }
        t
    }

    #[test]
    fn resolves_files_dirs_and_redirects() {
        let t = tree();
        assert_eq!(resolve(&t, "/"), Resolved::File("index.html".into()));
        assert_eq!(resolve(&t, "/?q=1"), Resolved::File("index.html".into()));
        assert_eq!(resolve(&t, "/feed.xml"), Resolved::File("feed.xml".into()));
        assert_eq!(
            resolve(&t, "/news/a/"),
            Resolved::File("news/a/index.html".into())
        );
        assert_eq!(
            resolve(&t, "/news/a/index.html"),
            Resolved::File("news/a/index.html".into())
        );
        assert_eq!(
            resolve(&t, "/tags/%E6%8E%A1%E7%94%A8/"),
            Resolved::File("tags/採用/index.html".into())
        );
        assert_eq!(resolve(&t, "/news"), Resolved::Redirect("/news/".into()));
        assert_eq!(
            resolve(&t, "/tags/%E6%8E%A1%E7%94%A8?x=1"),
            Resolved::Redirect("/tags/%E6%8E%A1%E7%94%A8/?x=1".into())
        );
        assert_eq!(resolve(&t, "/nope/"), Resolved::NotFound);
        assert_eq!(resolve(&t, "/feed.xml/"), Resolved::NotFound);
        // Double encoding is decoded once only: a literal `%2e%2e` segment.
        assert_eq!(resolve(&t, "/%252e%252e/feed.xml"), Resolved::NotFound);
    }

    #[test]
    fn refuses_traversal_in_every_spelling() {
        let t = tree();
        for bad in [
            "/../etc/passwd",
            "/news/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2E%2E/etc/passwd",
            "/.%2e/feed.xml",
            "/news/..%2f..%2fetc%2fpasswd",
            "/news%2f..%2ffeed.xml",
            "/..\\..\\etc\\passwd",
            "/%5c..%5cetc",
            "/feed.xml%00.html",
            "//etc/passwd",
            "/./feed.xml",
            "etc/passwd",
            "http://evil.example/feed.xml",
            "/%ff%fe/",
        ] {
            assert!(
                matches!(resolve(&t, bad), Resolved::BadRequest(_)),
                "{bad} -> {:?}",
                resolve(&t, bad)
            );
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("events/calendar.ics"),
            "text/calendar; charset=utf-8"
        );
        assert_eq!(content_type("feed.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("s/0a.json"), "application/json; charset=utf-8");
        assert_eq!(
            content_type("js/search.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("x.WASM"), "application/wasm");
        assert_eq!(content_type("f.woff2"), "font/woff2");
        assert_eq!(content_type("i/logo.PNG"), "image/png");
        assert_eq!(content_type("robots.txt"), "text/plain; charset=utf-8");
        assert_eq!(content_type("v1.0/LICENSE"), "application/octet-stream");
    }

    #[test]
    fn injects_before_last_body_close() {
        let html = b"<html><body><p>a</p></BODY></html>";
        let out = String::from_utf8(inject(html, "t-1", &[])).unwrap();
        let script = out.find("<script data-enishi=\"t-1\">").unwrap();
        assert!(script < out.find("</BODY>").unwrap());
        assert!(out.contains("\"t-1\""));
        assert!(out.contains(EVENTS_PATH));
        assert!(!out.contains("__enishi_errors"));
        // No </body>: appended.
        let out = String::from_utf8(inject(b"plain", "t", &[])).unwrap();
        assert!(out.starts_with("plain<script data-enishi="));
    }

    #[test]
    fn overlay_escapes_and_locates() {
        let d =
            Diagnostic::error("content/news/<a>.md", "expected `date`, found <script>").at(3, 7);
        let out = String::from_utf8(inject(b"<body></body>", "t", &[d])).unwrap();
        assert!(out.contains("content/news/&lt;a&gt;.md:3:7"), "{out}");
        assert!(out.contains("found &lt;script&gt;"));
        assert!(!out.contains("<a>.md"));
        assert!(out.contains("(1 error)"));
    }
}
