//! Issue 17 "URLs": every URL of `site.yaml` is validated like the content's.
mod common;
use common::*;

fn site_with_org(org: &str) -> tempfile::TempDir {
    let dir = site(&[(
        "content/news/a.md",
        &news("お知らせ", "2026-11-01", "", "本文"),
    )]);
    let yaml = SITE_YAML.replace(
        "organization: { name: テスト株式会社, url: https://example.jp }",
        org,
    );
    write(dir.path(), "site.yaml", &yaml);
    dir
}

#[test]
fn organization_url_javascript_is_an_error_at_its_line() {
    let dir =
        site_with_org("organization:\n  name: テスト株式会社\n  url: \"javascript:alert(1)\"");
    let o = build(dir.path(), &[]);
    let err = stderr(&o);
    assert!(!o.status.success(), "javascript: URL must fail the build");
    assert!(err.contains("organization.url"), "{err}");
    assert!(err.contains("site.yaml:7"), "names the line: {err}");
    assert!(!dir.path().join("public").exists(), "nothing written");
}

#[test]
fn organization_logo_must_be_web_url_or_root_path() {
    for bad in [
        "javascript:alert(1)",
        "//evil.example/logo.png",
        "data:image/png;base64,AAAA",
    ] {
        let dir = site_with_org(&format!(
            "organization: {{ name: テスト株式会社, logo: \"{bad}\" }}"
        ));
        let o = build(dir.path(), &[]);
        assert!(!o.status.success(), "{bad} must fail");
        assert!(stderr(&o).contains("organization.logo"), "{}", stderr(&o));
    }
    for good in ["/images/logo.png", "https://cdn.example.jp/logo.png"] {
        let dir = site_with_org(&format!(
            "organization: {{ name: テスト株式会社, url: \"https://example.jp/\", logo: \"{good}\" }}"
        ));
        let o = build(dir.path(), &[]);
        assert!(o.status.success(), "{good}: {}", stderr(&o));
        assert!(read(dir.path(), "index.html").contains("https://example.jp/"));
    }
}
