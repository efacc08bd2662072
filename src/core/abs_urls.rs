//! Absolute URLs in an HTML fragment: a feed reader shows a page's body away
//! from the site, where `/news/x/`, `../a.png` or `#top` resolve against
//! nothing. [`absolutize`] resolves every `href`, `src` and `srcset` value of
//! the fragment's tags against the page's URL, the way a browser on that
//! page would (RFC 3986 section 5.2), and leaves everything else byte for
//! byte: text, comments, other attributes, values with a scheme
//! (`https:`, `mailto:`). Values stay HTML-escaped as they were (`&amp;`
//! is not decoded); the resolved part (the base URL) is escaped on the way
//! in.

use crate::core::escape::escape_html;

/// `html` with the URLs of `href`, `src` and `srcset` made absolute
/// against `page_url` (absolute, e.g. `https://h/portal/news/x/`).
pub fn absolutize(html: &str, page_url: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            let end = rest.find("-->").map(|i| i + 3).unwrap_or(rest.len());
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        let end = tag_end(rest);
        rewrite_tag(&mut out, &rest[..end], page_url);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Length of the tag at the start of `s` (through its `>`; quotes respected).
fn tag_end(s: &str) -> usize {
    let mut quote: Option<u8> = None;
    for (i, &b) in s.as_bytes().iter().enumerate().skip(1) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return i + 1,
            _ => {}
        }
    }
    s.len()
}

/// Copies one tag, resolving the values of its URL attributes.
fn rewrite_tag(out: &mut String, tag: &str, page_url: &str) {
    let b = tag.as_bytes();
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        // An attribute name starts after whitespace.
        if !b[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let name_start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-' || b[i] == b':') {
            i += 1;
        }
        let name = tag[name_start..i].to_ascii_lowercase();
        let mut j = i;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        if j >= b.len() || b[j] != b'=' {
            continue;
        }
        j += 1;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        let (vs, ve) = match b.get(j) {
            Some(&q @ (b'"' | b'\'')) => {
                let close = tag[j + 1..]
                    .find(q as char)
                    .map(|k| j + 1 + k)
                    .unwrap_or(b.len());
                (j + 1, close)
            }
            Some(_) => {
                let mut k = j;
                while k < b.len() && !b[k].is_ascii_whitespace() && b[k] != b'>' {
                    k += 1;
                }
                (j, k)
            }
            None => (j, j),
        };
        if matches!(name.as_str(), "href" | "src" | "srcset") {
            out.push_str(&tag[copied..vs]);
            let value = &tag[vs..ve];
            if name == "srcset" {
                let parts: Vec<String> = value
                    .split(',')
                    .map(|c| {
                        let c = c.trim();
                        match c.split_once(char::is_whitespace) {
                            Some((u, d)) => {
                                format!("{} {}", resolve_escaped(u, page_url), d.trim())
                            }
                            None => resolve_escaped(c, page_url),
                        }
                    })
                    .collect();
                out.push_str(&parts.join(", "));
            } else {
                out.push_str(&resolve_escaped(value, page_url));
            }
            copied = ve;
        }
        i = ve.max(i + 1);
    }
    out.push_str(&tag[copied..]);
}

/// Resolves an HTML-escaped reference: the reference part is kept as it is
/// written, the base part added is escaped.
fn resolve_escaped(reference: &str, page_url: &str) -> String {
    let r = reference.trim();
    if has_scheme(r) {
        return r.to_string();
    }
    let resolved = resolve(page_url, r);
    // `resolved` = base part (unescaped) + the reference's remaining text.
    // Only the base part needs escaping; the base URL is ours and never
    // holds `&`, quotes or `<` in practice, but escape it all the same.
    match resolved.strip_suffix(tail_of(r)) {
        Some(base) => format!("{}{}", escape_html(base), tail_of(r)),
        None => escape_html(&resolved),
    }
}

/// The part of a reference that resolution keeps verbatim at the end: the
/// query and fragment (a path is normalised, so it may change).
fn tail_of(r: &str) -> &str {
    match r.find(['?', '#']) {
        Some(i) => &r[i..],
        None => "",
    }
}

fn has_scheme(r: &str) -> bool {
    let Some(colon) = r.find(':') else {
        return false;
    };
    let scheme = &r[..colon];
    !scheme.is_empty()
        && scheme.as_bytes()[0].is_ascii_alphabetic()
        && scheme
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
        && !r[..colon].contains(['/', '?', '#'])
}

/// RFC 3986 5.2.2 for an absolute `base` (`scheme://authority/path…`) and a
/// reference without a scheme.
pub fn resolve(base: &str, r: &str) -> String {
    let (scheme, after) = base.split_once("://").unwrap_or(("https", base));
    let auth_end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let authority = &after[..auth_end];
    let base_path_q = &after[auth_end..];
    let base_path = &base_path_q[..base_path_q.find(['?', '#']).unwrap_or(base_path_q.len())];
    let base_query = &base_path_q[base_path.len()..];
    let base_query = &base_query[..base_query.find('#').unwrap_or(base_query.len())];
    if let Some(net) = r.strip_prefix("//") {
        return format!("{scheme}://{net}");
    }
    let split = r.find(['?', '#']).unwrap_or(r.len());
    let (rpath, tail) = r.split_at(split);
    let path = if rpath.is_empty() {
        // Same document: keep the base path (and its query unless replaced).
        return if tail.starts_with('?') {
            format!("{scheme}://{authority}{base_path}{tail}")
        } else {
            format!("{scheme}://{authority}{base_path}{base_query}{tail}")
        };
    } else if rpath.starts_with('/') {
        remove_dots(rpath)
    } else {
        let dir = match base_path.rfind('/') {
            Some(i) => &base_path[..=i],
            None => "/",
        };
        remove_dots(&format!("{dir}{rpath}"))
    };
    format!("{scheme}://{authority}{path}{tail}")
}

/// RFC 3986 5.2.4 (on a path that starts with `/`).
fn remove_dots(path: &str) -> String {
    let mut segs: Vec<&str> = Vec::new();
    let parts: Vec<&str> = path.split('/').skip(1).collect();
    let n = parts.len();
    for (k, seg) in parts.into_iter().enumerate() {
        let last = k + 1 == n;
        match seg {
            "." => {
                if last {
                    segs.push("");
                }
            }
            ".." => {
                segs.pop();
                if last {
                    segs.push("");
                }
            }
            s => segs.push(s),
        }
    }
    format!("/{}", segs.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "https://h.example/portal/news/x/";

    #[test]
    fn resolves_like_a_browser() {
        assert_eq!(resolve(PAGE, "/portal/a/"), "https://h.example/portal/a/");
        assert_eq!(resolve(PAGE, "../y/"), "https://h.example/portal/news/y/");
        assert_eq!(
            resolve(PAGE, "img.png"),
            "https://h.example/portal/news/x/img.png"
        );
        assert_eq!(
            resolve(PAGE, "#top"),
            "https://h.example/portal/news/x/#top"
        );
        assert_eq!(
            resolve(PAGE, "?q=1"),
            "https://h.example/portal/news/x/?q=1"
        );
        assert_eq!(resolve(PAGE, "//cdn.example/a"), "https://cdn.example/a");
        assert_eq!(resolve(PAGE, "../../../../a"), "https://h.example/a");
        assert_eq!(resolve(PAGE, "./"), "https://h.example/portal/news/x/");
    }

    #[test]
    fn rewrites_url_attributes_only() {
        let html = concat!(
            "<p>see <a href=\"/portal/a/#b\" title=\"/x\">/portal/a/</a> ",
            "<img src='../i.png' alt=\"src=/no\"> <a href=mailto:a@b.jp>m</a> ",
            "<a HREF=\"https://o.example/\">o</a><!-- <a href=\"/c\"> --> ",
            "<img srcset=\"/s.png 1x, s2.png 2x\"> <a href=\"?a=1&amp;b=2\">q</a></p>"
        );
        let got = absolutize(html, PAGE);
        assert_eq!(
            got,
            concat!(
                "<p>see <a href=\"https://h.example/portal/a/#b\" title=\"/x\">/portal/a/</a> ",
                "<img src='https://h.example/portal/news/i.png' alt=\"src=/no\"> <a href=mailto:a@b.jp>m</a> ",
                "<a HREF=\"https://o.example/\">o</a><!-- <a href=\"/c\"> --> ",
                "<img srcset=\"https://h.example/s.png 1x, https://h.example/portal/news/x/s2.png 2x\"> ",
                "<a href=\"https://h.example/portal/news/x/?a=1&amp;b=2\">q</a></p>"
            )
        );
    }

    #[test]
    fn text_and_broken_markup_pass_through() {
        assert_eq!(absolutize("a < b > c", PAGE), "a < b > c");
        assert_eq!(
            absolutize("<a href=\"/x", PAGE),
            "<a href=\"https://h.example/x"
        );
        assert_eq!(absolutize("日本語 <b>太字</b>", PAGE), "日本語 <b>太字</b>");
    }
}
