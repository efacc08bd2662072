//! Files outside the site (issue 17, Jekyll's safe mode): a symbolic link
//! whose target leaves the site (or, for a theme's files, the theme's
//! folder) is never read, and each such link is a warning naming it; a link
//! that stays inside is followed; FIFOs, devices and `/proc` are never
//! opened, so they cannot hang or exhaust a build.
#![cfg(unix)]

mod common;

use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// Values that exist only outside the site: none may reach an output byte
/// or a message.
const CANARIES: &[&str] = &[
    "canary-content-4c1e",
    "canary-static-9a02",
    "canary-template-77b1",
    "canary-roster-e5d3",
    "SECRET=canary",
    "canary-env-3f8a",
];

/// `<tmp>/site` and `<tmp>/outside`, the latter full of canaries.
fn layout() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    let out = tmp.path().join("outside");
    write(&site, "site.yaml", SITE_YAML);
    write(
        &site,
        "content/news/ok.md",
        &news("ふつうの記事", "2026-11-01", "", "本文です。"),
    );
    let leak = news("漏れ", "2026-11-02", "", "canary-content-4c1e");
    write(&out, "secret.md", &leak);
    write(&out, "jobs/leak.md", &leak.replace("漏れ", "漏れ2"));
    write(
        &out,
        "pages/leak.md",
        "---\ntitle: 漏れ3\n---\ncanary-content-4c1e\n",
    );
    write(&out, "secret.css", "/* canary-static-9a02 */");
    write(&out, "assets/leak.js", "// canary-static-9a02");
    write(
        &out,
        "tpl/base.html",
        "canary-template-77b1 {{ page.title }}",
    );
    write(&out, "tpl/extra.html", "canary-template-77b1");
    write(&out, ".env", "SECRET=canary-env-3f8a\n");
    write(
        &out,
        "roster.yaml",
        "- id: kanaria\n  name: canary-roster-e5d3\n  consent:\n    given: 2026-01-01\n    public: [name]\n",
    );
    write(&out, "data/roster.yaml", "- id: [canary-roster-e5d3\n");
    (tmp, site, out)
}

fn link(target: &Path, link: &Path) {
    std::fs::create_dir_all(link.parent().expect("parent")).expect("mkdir");
    symlink(target, link).expect("symlink");
}

/// `enishi build` that is killed (and fails the test) after 30 s.
fn build_within(root: &Path) -> (Output, Duration) {
    let t = Instant::now();
    let mut child = bin()
        .arg("build")
        .arg("--root")
        .arg(root)
        .args(["--now", "2026-11-22"])
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run enishi");
    while child.try_wait().expect("wait").is_none() {
        if t.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the build hung for 30 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    (child.wait_with_output().expect("output"), t.elapsed())
}

fn assert_no_canary(root: &Path, o: &Output) {
    let err = stderr(o);
    let outs = String::from_utf8_lossy(&o.stdout);
    for c in CANARIES {
        assert!(!err.contains(c), "stderr quotes {c:?}:\n{err}");
        assert!(!outs.contains(c), "stdout quotes {c:?}");
        for (p, bytes) in tree(&root.join("public")) {
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains(c), "{} contains {c:?}", p.display());
        }
    }
}

/// A warning line naming `link`.
fn assert_warned(o: &Output, link: &str) {
    let err = stderr(o);
    assert!(
        err.lines()
            .any(|l| l.starts_with(&format!("warning: {link}: "))),
        "no warning naming {link}:\n{err}"
    );
}

#[test]
fn links_leaving_the_site_are_never_read() {
    let (_tmp, site, out) = layout();
    // Files and whole folders, in content/, static/, templates/ and data/.
    link(&out.join("secret.md"), &site.join("content/news/leak.md"));
    link(&out.join("jobs"), &site.join("content/jobs"));
    link(&out.join("pages"), &site.join("content/news/more"));
    link(&out.join("secret.css"), &site.join("static/leak.css"));
    link(&out.join("assets"), &site.join("static/assets"));
    link(
        &out.join("tpl/base.html"),
        &site.join("templates/base.html"),
    );
    link(&out.join("tpl"), &site.join("templates/partials"));
    link(&out.join("roster.yaml"), &site.join("data/roster.yaml"));
    // A theme: its files stay inside the theme's folder (`.env` beside the
    // theme is as secret as one outside the site).
    std::fs::rename(out.join(".env"), site.join(".env")).expect("mv");
    write(&site, "site.yaml", &format!("{SITE_YAML}theme: x\n"));
    link(
        Path::new("../../../.env"),
        &site.join("themes/x/i18n/ja.yaml"),
    );
    link(&out.join("tpl"), &site.join("themes/x/templates"));
    link(&out.join("secret.css"), &site.join("themes/x/static/x.css"));

    let (o, _) = build_within(&site);
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
    assert_no_canary(&site, &o);
    for l in [
        "content/news/leak.md",
        "content/jobs",
        "content/news/more",
        "static/leak.css",
        "static/assets",
        "templates/base.html",
        "templates/partials",
        "data/roster.yaml",
        "themes/x/i18n/ja.yaml",
        "themes/x/templates",
        "themes/x/static/x.css",
    ] {
        assert_warned(&o, l);
    }
    // The rest of the site is built as usual.
    assert!(read(&site, "news/ok/index.html").contains("ふつうの記事"));
    assert!(!exists(&site, "leak.css"));
    assert!(!exists(&site, "x.css"));
}

#[test]
fn a_data_folder_and_a_site_yaml_leaving_the_site_are_not_read() {
    let (_tmp, site, out) = layout();
    link(&out.join("data"), &site.join("data"));
    let (o, _) = build_within(&site);
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
    assert_no_canary(&site, &o);
    assert_warned(&o, "data");

    std::fs::remove_file(site.join("data")).expect("rm");
    std::fs::rename(site.join("site.yaml"), out.join("site.yaml")).expect("mv");
    write(
        &out,
        "site.yaml",
        &format!("{SITE_YAML}# canary-env-3f8a\n"),
    );
    link(&out.join("site.yaml"), &site.join("site.yaml"));
    let (o, _) = build_within(&site);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("site.yaml"), "{}", stderr(&o));
    assert_no_canary(&site, &o);
}

#[test]
fn links_inside_the_site_are_followed() {
    let (_tmp, site, _out) = layout();
    write(
        &site,
        "drafts/inside.md",
        &news("内側の記事", "2026-11-03", "", "リンク先"),
    );
    write(&site, "assets/inside.css", "/* inside-css */");
    write(
        &site,
        "shared/about.md",
        "---\ntitle: 共有ページ\n---\n共有\n",
    );
    write(&site, "tpl/extra.html", "inside-template");
    link(
        Path::new("../../drafts/inside.md"),
        &site.join("content/news/inside.md"),
    );
    link(Path::new("../shared"), &site.join("content/pages"));
    link(
        Path::new("../assets/inside.css"),
        &site.join("static/inside.css"),
    );
    link(Path::new("../tpl"), &site.join("templates/partials"));
    // A link back to its own folder is not followed (no endless walk).
    link(Path::new("."), &site.join("static/loop"));
    link(Path::new(".."), &site.join("content/news/up"));

    let (o, took) = build_within(&site);
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert!(read(&site, "news/inside/index.html").contains("内側の記事"));
    assert!(read(&site, "about/index.html").contains("共有ページ"));
    assert_eq!(read(&site, "inside.css"), "/* inside-css */");
    assert!(!exists(&site, "loop/inside.css"));
    assert_warned(&o, "static/loop");
    assert_warned(&o, "content/news/up");
    let err = stderr(&o);
    for l in [
        "content/news/inside.md",
        "content/pages",
        "static/inside.css",
        "templates/partials",
    ] {
        assert!(
            !err.contains(&format!("warning: {l}:")),
            "{l} warned:\n{err}"
        );
    }
}

fn mkfifo(p: &Path) {
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    let st = Command::new("mkfifo").arg(p).status().expect("mkfifo");
    assert!(st.success());
}

#[test]
fn special_files_never_hang_a_build() {
    let (_tmp, site, _out) = layout();
    mkfifo(&site.join("static/pipe.css"));
    mkfifo(&site.join("content/news/pipe.md"));
    mkfifo(&site.join("templates/pipe.html"));
    mkfifo(&site.join("data/roster.yaml"));
    link(Path::new("/dev/zero"), &site.join("static/zero.bin"));
    let (o, took) = build_within(&site);
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
    assert!(took < Duration::from_secs(10), "took {took:?}");
    for l in [
        "static/pipe.css",
        "content/news/pipe.md",
        "templates/pipe.html",
        "data/roster.yaml",
        "static/zero.bin",
    ] {
        assert_warned(&o, l);
    }
    assert!(!exists(&site, "pipe.css"));
}

#[test]
fn static_linked_to_proc_finishes_fast() {
    let (_tmp, site, _out) = layout();
    link(Path::new("/proc/self"), &site.join("static"));
    link(
        Path::new("/proc/self/environ"),
        &site.join("templates/env.html"),
    );
    let (o, took) = build_within(&site);
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert_warned(&o, "static");
    assert_warned(&o, "templates/env.html");
    assert!(!exists(&site, "environ"));
}

#[test]
fn new_and_roster_import_do_not_write_through_links_out() {
    let (_tmp, site, out) = layout();
    link(&out.join("jobs"), &site.join("content/jobs"));
    let o = bin()
        .args(["new", "job", "Rust engineer", "--root"])
        .arg(&site)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("content/jobs"), "{}", stderr(&o));
    let names: Vec<_> = std::fs::read_dir(out.join("jobs"))
        .expect("ls")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names, ["leak.md"], "a file was written outside the site");

    link(&out.join("roster.yaml"), &site.join("data/roster.yaml"));
    write(
        &site,
        "import.csv",
        "id,name,consent_public,consent_given\nsato,佐藤,name,2026-01-01\n",
    );
    let before = std::fs::read(out.join("roster.yaml")).expect("read");
    let o = bin()
        .args(["roster", "import", "import.csv", "--root"])
        .arg(&site)
        .current_dir(&site)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("data/roster.yaml"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("canary-roster-e5d3"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(out.join("roster.yaml")).expect("read"),
        before
    );
    assert!(site.join("data/roster.yaml").is_symlink());
}

#[test]
fn an_output_link_out_of_the_site_is_not_replaced() {
    let (_tmp, site, out) = layout();
    write(&out, "site/index.html", "someone else's site");
    link(&out.join("site"), &site.join("public"));
    let (o, _) = build_within(&site);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("symbolic link"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(out.join("site/index.html")).expect("read"),
        "someone else's site"
    );
}

/// `enishi serve` neither watches nor serves through links out: with
/// `static -> /proc/self` it starts at once and keeps watching the site (a
/// recursive watch following the link fails, or walks the whole disk
/// through `/proc/self/root`).
#[test]
fn serve_starts_fast_and_serves_nothing_from_outside() {
    use std::io::{BufRead, BufReader, Read, Write};
    let (_tmp, site, out) = layout();
    link(Path::new("/proc/self"), &site.join("static"));
    link(&out.join("tpl"), &site.join("templates"));
    link(&out.join("secret.md"), &site.join("content/news/leak.md"));
    let mut child = bin()
        .args(["serve", "--port", "0", "--now", "2026-11-22", "--root"])
        .arg(&site)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run enishi serve");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout);
        let mut line = String::new();
        while lines.read_line(&mut line).unwrap_or(0) > 0 {
            if let Some(rest) = line.strip_prefix("Serving http://") {
                let _ = tx.send(rest.split('/').next().unwrap_or("").to_string());
            }
            line.clear();
        }
    });
    let addr = rx.recv_timeout(Duration::from_secs(20));
    let Ok(addr) = addr else {
        let _ = child.kill();
        let _ = child.wait();
        panic!("`enishi serve` did not start within 20 s");
    };
    let get = |target: &str| {
        let mut s = std::net::TcpStream::connect(&addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        write!(
            s,
            "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        String::from_utf8_lossy(&raw).into_owned()
    };
    let home = get("/");
    let leak = get("/news/leak/");
    let environ = get("/environ");
    let _ = child.kill();
    let err = child
        .wait_with_output()
        .map(|o| stderr(&o))
        .unwrap_or_default();
    // Links out are skipped, not a reason to stop watching the site.
    assert!(!err.contains("cannot watch"), "{err}");
    assert!(err.contains("warning: static: "), "{err}");
    assert!(home.starts_with("HTTP/1.1 200"), "{home}");
    for page in [&home, &leak, &environ] {
        for c in CANARIES {
            assert!(!page.contains(c), "served {c:?}");
        }
    }
    assert!(!leak.starts_with("HTTP/1.1 200"), "{leak}");
    assert!(!environ.starts_with("HTTP/1.1 200"), "{environ}");
}
