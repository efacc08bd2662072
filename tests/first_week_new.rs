//! Issue 18: `enishi new` writes what it says — every kind is a draft.
mod common;
use common::*;

#[test]
fn new_page_writes_draft_true_for_every_kind() {
    let dir = site(&[]);
    for kind in ["interview", "news", "job", "event", "page"] {
        let o = bin()
            .args(["new", kind, &format!("Hello {kind}"), "--root"])
            .arg(dir.path())
            .output()
            .expect("run enishi new");
        assert!(o.status.success(), "{kind}: {}", stderr(&o));
        let said = stderr(&o);
        assert!(said.contains("draft: true"), "{kind}: {said}");
        let path = String::from_utf8_lossy(&o.stdout).trim().to_string();
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let fm = text.split("---").nth(1).unwrap_or("");
        assert!(
            fm.lines().any(|l| l.trim() == "draft: true"),
            "{kind} front matter lacks draft: true:\n{fm}"
        );
    }
    // And the build then publishes none of them.
    let o = build(dir.path(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!exists(dir.path(), "hello-page/index.html"));
    assert!(!exists(dir.path(), "news/hello-news/index.html"));
}
