//! Share links without third-party scripts: each service's plain share URL
//! (X, LinkedIn, Facebook, LINE, Hatena Bookmark) with the page's canonical
//! URL and title as percent-encoded parameters, so nothing is loaded from
//! those services until a visitor follows a link. The theme adds "copy
//! link" (a link to the page itself that a few lines of inline script turn
//! into a copy button). Imports `core` and `config` only.

use serde_json::{json, Value};

use crate::config::Config;
use crate::core::escape::{encode_path, encode_query_value};

/// The share links of the page at site path `path` titled `title`, in the
/// order the theme shows them: `name` (CSS class, stable), `label` (the
/// service's own name) and `url`.
pub fn share_links(c: &Config, path: &str, title: &str) -> Vec<Value> {
    let url = encode_query_value(&c.abs_url(&encode_path(path)));
    let text = encode_query_value(title);
    [
        (
            "x",
            "X",
            format!("https://x.com/intent/post?url={url}&text={text}"),
        ),
        (
            "linkedin",
            "LinkedIn",
            format!("https://www.linkedin.com/sharing/share-offsite/?url={url}"),
        ),
        (
            "facebook",
            "Facebook",
            format!("https://www.facebook.com/sharer/sharer.php?u={url}"),
        ),
        (
            "line",
            "LINE",
            format!("https://social-plugins.line.me/lineit/share?url={url}"),
        ),
        (
            "hatena",
            "はてなブックマーク",
            format!("https://b.hatena.ne.jp/add?mode=confirm&url={url}&title={text}"),
        ),
    ]
    .into_iter()
    .map(|(name, label, url)| json!({"name": name, "label": label, "url": url}))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_percent_encoded() {
        let c = crate::config::parse(
            "title: t\nbase_url: https://a.example.jp/portal\n",
            std::path::Path::new("site.yaml"),
            None,
        )
        .unwrap();
        let links = share_links(&c, "/interviews/田中/", "A&B #1 = 100%?");
        let x = links[0]["url"].as_str().unwrap();
        assert_eq!(
            x,
            "https://x.com/intent/post?url=https%3A%2F%2Fa.example.jp%2Fportal%2Finterviews%2F%25E7%2594%25B0%25E4%25B8%25AD%2F&text=A%26B%20%231%20%3D%20100%25%3F"
        );
    }
}
