//! URL checks shared by `site.yaml` and content: which links a page may carry.
//! Pure functions of a string; imports nothing of the crate.

/// An absolute `http://` or `https://` URL with a host, no whitespace or
/// control characters (so no `javascript:`, `data:` or `//evil`).
pub fn is_web_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let rest = ["https://", "http://"]
        .iter()
        .find_map(|p| lower.strip_prefix(p));
    match rest {
        Some(r) => {
            let host = r.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !url.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

/// A web URL, or a root-relative path on the site (`/images/logo.png`; not
/// `//host`, which browsers read as another site).
pub fn is_web_url_or_root_path(url: &str) -> bool {
    is_web_url(url)
        || (url.starts_with('/')
            && !url.starts_with("//")
            && !url.contains('\\')
            && !url.chars().any(|c| c.is_whitespace() || c.is_control()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_urls_and_paths() {
        for ok in ["https://example.co.jp", "http://a.b/c?d#e", "HTTPS://X.JP/"] {
            assert!(is_web_url(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " https://x.jp",
            "https://",
            "https:///path",
            "data:text/html,x",
            "//evil.example",
            "mailto:a@b.jp",
            "https://x.jp/a b",
        ] {
            assert!(!is_web_url(bad), "{bad}");
        }
        assert!(is_web_url_or_root_path("/images/logo.png"));
        assert!(!is_web_url_or_root_path("//evil.example/x.png"));
        assert!(!is_web_url_or_root_path("/\\evil.example"));
        assert!(!is_web_url_or_root_path("javascript:alert(1)"));
        assert!(!is_web_url_or_root_path("logo.png"));
    }
}
