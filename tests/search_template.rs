//! The theme's search page renders with tera 2 under a stand-in base layout,
//! with the landmarks, labels and data attributes search.js relies on.

#[test]
fn search_page_renders_with_base_path() {
    let page = include_str!("../themes/default/templates/search.html");
    let base = "<!doctype html><html lang=\"{{ site.language }}\"><body><main>{% block main %}{% endblock main %}</main></body></html>";
    let mut tera = tera::Tera::new();
    let added = tera.add_raw_templates(vec![("base.html", base), ("search.html", page)]);
    assert!(added.is_ok(), "{added:?}");
    let mut ctx = tera::Context::new();
    ctx.insert(
        "site",
        &serde_json::json!({ "base_path": "/alumni-portal", "lang_base": "/alumni-portal", "language": "ja", "title": "T" }),
    );
    ctx.insert("t", &serde_json::json!({ "search_label": "キーワード" }));
    let html = match tera.render("search.html", &ctx) {
        Ok(h) => h,
        Err(e) => panic!("render failed: {e:?}"),
    };
    assert!(
        html.contains(r#"data-index="/alumni-portal/search/""#),
        "{html}"
    );
    assert!(html.contains(r#"<form role="search" action="/alumni-portal/search/""#));
    assert!(html.contains(r#"<label for="search-q">キーワード</label>"#));
    assert!(html.contains(r#"id="search-q" type="search" name="q""#));
    assert!(html.contains(r#"role="status" aria-live="polite""#));
    assert!(html.contains(r#"<script src="/alumni-portal/js/search.js" defer></script>"#));
    let main = html.find("<main>").unwrap_or(usize::MAX);
    let list = html.find("data-search-results").unwrap_or(0);
    assert!(main < list, "results list must be inside <main>");
}
