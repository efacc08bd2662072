//! Same-origin checks: for every request that is not a plain read (`POST`,
//! `PUT`, `DELETE`, … and so every write of the editor's `/api/v1`), and for
//! the live-reload stream.
//!
//! Any web page open in the same browser can `fetch` or `<form>`-post to
//! `http://127.0.0.1:1111/`. Browsers put `Origin` on every cross-origin
//! request and on every same-origin `POST`, and a page cannot forge it. So a
//! write is accepted only when `Origin` is present and equals the origin the
//! request was addressed to (`http://` + its `Host`, which the guard has
//! already matched against this server's own names). `localhost:P` and
//! `127.0.0.1:P` are different origins to a browser, so each only writes
//! through itself.
//!
//! The live-reload stream is a `GET`, and a same-origin `EventSource` sends
//! no `Origin` (Chromium 156: `Sec-Fetch-Site: same-origin`, `Sec-Fetch-Mode:
//! cors`, no `Origin`); a cross-origin one sends `Origin`, and an `<img>`
//! pointed at the stream (which would hold a slot for nothing) sends
//! `Sec-Fetch-Site: same-site` or `cross-site`. So the stream refuses a
//! present `Origin` that is not this server's and a `Sec-Fetch-Site` that
//! names another site ([`foreign_read`]); a client without either (curl, an
//! older browser) is let in.
//!
//! Pure functions over header values; `mod.rs` applies them.

/// Whether `origin` (the `Origin` header) is this server's own origin as
/// addressed by `host` (the `Host` header, already checked). Absent, `null`,
/// another scheme, host or port: no.
pub fn same_origin(origin: Option<&str>, host: &str) -> bool {
    let Some(origin) = origin.map(str::trim) else {
        return false;
    };
    let host = host.trim();
    if !origin
        .get(..7)
        .is_some_and(|s| s.eq_ignore_ascii_case("http://"))
    {
        return false;
    }
    !host.is_empty() && origin[7..].eq_ignore_ascii_case(host)
}

/// Whether a read (the live-reload stream) comes from another site's page:
/// an `Origin` that is not this server's, or a `Sec-Fetch-Site` other than
/// `same-origin` or `none` (typed into the address bar). Neither header:
/// not foreign (a same-origin `EventSource`, curl).
pub fn foreign_read(origin: Option<&str>, fetch_site: Option<&str>, host: &str) -> bool {
    if origin.is_some() && !same_origin(origin, host) {
        return true;
    }
    match fetch_site.map(str::trim) {
        None => false,
        Some(site) => {
            !(site.eq_ignore_ascii_case("same-origin") || site.eq_ignore_ascii_case("none"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_addressed_origin_is_same_origin() {
        let host = "127.0.0.1:1111";
        assert!(same_origin(Some("http://127.0.0.1:1111"), host));
        assert!(same_origin(Some("HTTP://127.0.0.1:1111"), host));
        assert!(same_origin(Some("http://localhost:1111"), "LocalHost:1111"));
        for bad in [
            None,
            Some(""),
            Some("null"),
            Some("http://127.0.0.1:1112"),
            Some("http://127.0.0.1"),
            Some("https://127.0.0.1:1111"),
            Some("http://localhost:1111"),
            Some("http://evil.example"),
            Some("http://127.0.0.1:1111.evil.example"),
            Some("http://127.0.0.1:1111/"),
            Some("http://user@127.0.0.1:1111"),
        ] {
            assert!(!same_origin(bad, host), "{bad:?}");
        }
        assert!(!same_origin(Some("http://"), ""));
    }

    #[test]
    fn reads_from_other_sites() {
        let host = "127.0.0.1:1111";
        let own = Some("http://127.0.0.1:1111");
        // What Chromium sends for a same-origin EventSource, and curl.
        assert!(!foreign_read(None, Some("same-origin"), host));
        assert!(!foreign_read(None, None, host));
        assert!(!foreign_read(own, Some("same-origin"), host));
        assert!(!foreign_read(None, Some("none"), host));
        // A cross-origin EventSource; an <img> from another port or site.
        assert!(foreign_read(Some("http://evil.example"), None, host));
        assert!(foreign_read(Some("null"), None, host));
        assert!(foreign_read(
            Some("http://localhost:1111"),
            Some("cross-site"),
            host
        ));
        assert!(foreign_read(None, Some("same-site"), host));
        assert!(foreign_read(None, Some("cross-site"), host));
    }
}
