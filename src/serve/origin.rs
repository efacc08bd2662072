//! Same-origin check for requests that change files (the editor's
//! `/api/v1`).
//!
//! Any web page open in the same browser can `fetch` or `<form>`-post to
//! `http://127.0.0.1:1111/api/v1`. Browsers put `Origin` on every such
//! cross-origin request, and on every same-origin `POST`, and a page cannot
//! forge it. So a write is accepted only when `Origin` is present and equals
//! the origin the request was addressed to (`http://` + its `Host`, which
//! the guard has already matched against this server's own names): the
//! editor page served by this server. `localhost:P` and `127.0.0.1:P` are
//! different origins to a browser, so each only writes through itself.
//!
//! Pure function over header values; `mod.rs` applies it.

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

#[cfg(test)]
mod tests {
    use super::same_origin;

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
}
