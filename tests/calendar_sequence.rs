//! Issue 18, "iCalendar SEQUENCE": any change of an event's start, end,
//! place, title or status raises its SEQUENCE, which never goes down
//! (RFC 5545 §3.8.7.4), through the record `calendar.lock` that `build`
//! keeps; output stays deterministic, `check` and `build --locked` fail on
//! a record that is out of date, and `serve`'s incremental builds equal
//! full builds.
mod common;
use common::*;

use std::path::Path;

fn event(start: &str, extra: &str) -> String {
    format!(
        "---\ntitle: 春の交流会\ndate: 2026-01-10\nkind: reunion\nstart: {start}\nvenue: {{ name: 本社, address: 東京都千代田区 }}\n{extra}---\n本文。\n"
    )
}

const EVENT: &str = "content/events/spring.md";

/// The SEQUENCE of the one event in `events/spring/event.ics` and in the
/// subscribed feed (which must agree).
fn sequence(root: &Path) -> u32 {
    let of = |ics: &str| -> u32 {
        let line = ics
            .lines()
            .find_map(|l| l.strip_prefix("SEQUENCE:"))
            .unwrap_or_else(|| panic!("no SEQUENCE in {ics}"));
        line.trim().parse().expect("a number")
    };
    let single = of(&read(root, "events/spring/event.ics"));
    assert_eq!(single, of(&read(root, "events/calendar.ics")));
    single
}

fn build_ok(root: &Path) -> String {
    let o = build(root, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    stderr(&o)
}

fn lock(root: &Path) -> String {
    std::fs::read_to_string(root.join("calendar.lock")).expect("calendar.lock written")
}

#[test]
fn moving_an_event_raises_sequence_and_an_unchanged_rebuild_keeps_it() {
    let site = site(&[(EVENT, &event("2026-03-20T18:30:00+09:00", ""))]);
    let root = site.path();
    build_ok(root);
    assert_eq!(sequence(root), 0);
    assert!(
        lock(root).contains("/events/spring/:\n  sequence: 0\n"),
        "{}",
        lock(root)
    );

    write(root, EVENT, &event("2026-03-27T18:30:00+09:00", ""));
    let said = build_ok(root);
    assert_eq!(sequence(root), 1);
    assert!(said.contains("/events/spring/: SEQUENCE 0 → 1"), "{said}");
    assert!(said.contains("commit it"), "{said}");

    // Unchanged: the same value, the same bytes, the record not rewritten.
    let (cal, record) = (read(root, "events/calendar.ics"), lock(root));
    let mtime = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let written = mtime(&root.join("calendar.lock"));
    std::thread::sleep(std::time::Duration::from_millis(20));
    let said = build_ok(root);
    assert!(!said.contains("calendar.lock"), "{said}");
    assert_eq!(sequence(root), 1);
    assert_eq!(read(root, "events/calendar.ics"), cal);
    assert_eq!(lock(root), record);
    assert_eq!(mtime(&root.join("calendar.lock")), written);

    // Moving it back is a change too: up again, never down.
    write(root, EVENT, &event("2026-03-20T18:30:00+09:00", ""));
    build_ok(root);
    assert_eq!(sequence(root), 2);
    // The end, too.
    write(
        root,
        EVENT,
        &event(
            "2026-03-20T18:30:00+09:00",
            "end: 2026-03-20T21:00:00+09:00\n",
        ),
    );
    build_ok(root);
    assert_eq!(sequence(root), 3);
}

#[test]
fn uncancelling_goes_from_2_to_3_never_0() {
    let site = site(&[(
        EVENT,
        &event("2026-03-20T18:30:00+09:00", "status: cancelled\n"),
    )]);
    let root = site.path();
    build_ok(root);
    assert_eq!(sequence(root), 2);
    write(root, EVENT, &event("2026-03-20T18:30:00+09:00", ""));
    build_ok(root);
    assert_eq!(sequence(root), 3);
    assert!(read(root, "events/calendar.ics").contains("STATUS:CONFIRMED"));
    write(
        root,
        EVENT,
        &event("2026-03-20T18:30:00+09:00", "status: postponed\n"),
    );
    build_ok(root);
    assert_eq!(sequence(root), 4);
}

#[test]
fn changing_title_or_place_raises_it_other_edits_do_not() {
    let site = site(&[(EVENT, &event("2026-03-20T18:30:00+09:00", ""))]);
    let root = site.path();
    build_ok(root);
    assert_eq!(sequence(root), 0);
    let text = event("2026-03-20T18:30:00+09:00", "");
    // The body and the summary are not what a calendar app tracks.
    write(
        root,
        EVENT,
        &text.replace("本文。", "本文を書き直しました。"),
    );
    build_ok(root);
    assert_eq!(sequence(root), 0);
    write(root, EVENT, &text.replace("春の交流会", "春の大交流会"));
    build_ok(root);
    assert_eq!(sequence(root), 1);
    let moved = text
        .replace("春の交流会", "春の大交流会")
        .replace("name: 本社", "name: 大阪支社");
    write(root, EVENT, &moved);
    build_ok(root);
    assert_eq!(sequence(root), 2);
}

#[test]
fn two_builds_of_the_same_inputs_are_identical() {
    let files = [
        (EVENT, event("2026-03-20T18:30:00+09:00", "")),
        (
            "content/events/autumn.md",
            event("2026-10-02", "status: cancelled\n").replace("春の", "秋の"),
        ),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(p, c)| (*p, c.as_str())).collect();
    let (a, b) = (site(&files), site(&files));
    build_ok(a.path());
    build_ok(b.path());
    assert_eq!(
        tree(&a.path().join("public")),
        tree(&b.path().join("public"))
    );
    assert_eq!(lock(a.path()), lock(b.path()));
    // And a second build of one of them changes nothing.
    let before = tree(&a.path().join("public"));
    build_ok(a.path());
    assert_eq!(tree(&a.path().join("public")), before);
}

#[test]
fn a_deleted_record_starts_from_the_status_value() {
    let site = site(&[(
        EVENT,
        &event("2026-03-20T18:30:00+09:00", "status: cancelled\n"),
    )]);
    let root = site.path();
    build_ok(root);
    write(
        root,
        EVENT,
        &event("2026-03-27T18:30:00+09:00", "status: cancelled\n"),
    );
    build_ok(root);
    assert_eq!(sequence(root), 3);
    std::fs::remove_file(root.join("calendar.lock")).expect("rm");
    build_ok(root);
    assert_eq!(sequence(root), 2);
}

#[test]
fn front_matter_sequence_is_a_floor() {
    let site = site(&[(EVENT, &event("2026-03-20T18:30:00+09:00", "sequence: 7\n"))]);
    let root = site.path();
    build_ok(root);
    assert_eq!(sequence(root), 7);
    // Without it, the recorded value stays.
    write(root, EVENT, &event("2026-03-20T18:30:00+09:00", ""));
    build_ok(root);
    assert_eq!(sequence(root), 7);
    write(root, EVENT, &event("2026-03-27T18:30:00+09:00", ""));
    build_ok(root);
    assert_eq!(sequence(root), 8);
    // Only events have it.
    write(
        root,
        "content/news/a.md",
        "---\ntitle: お知らせ\ndate: 2026-01-10\nsequence: 1\n---\n本文\n",
    );
    let o = build(root, &[]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("`sequence` is not valid for news"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn check_and_build_locked_fail_on_a_record_out_of_date() {
    let site = site(&[(EVENT, &event("2026-03-20T18:30:00+09:00", ""))]);
    let root = site.path();
    let check = || {
        let mut c = bin();
        c.args(["check", "--now", "2026-11-22", "--root"]).arg(root);
        c.output().expect("run")
    };
    // No record yet (a site from before it existed): a warning, nothing
    // to fall behind yet; `--locked` builds refuse to create it.
    let o = check();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning: calendar.lock: does not exist yet"),
        "{}",
        stderr(&o)
    );
    let o = build(root, &["--locked"]);
    assert!(!o.status.success(), "{}", stderr(&o));
    assert!(!root.join("calendar.lock").exists());
    assert!(!root.join("public").exists());

    build_ok(root);
    assert!(check().status.success(), "{}", stderr(&check()));
    // A new event (or a scheduled one whose day came): not recorded yet,
    // a warning; nothing published is behind the record.
    write(
        root,
        "content/events/autumn.md",
        &event("2026-10-02", "").replace("春の", "秋の"),
    );
    let o = check();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning: calendar.lock: out of date: 1 event"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("/events/autumn/: new, SEQUENCE 0"));
    build_ok(root);
    // Someone moves the event and commits without the record.
    write(root, EVENT, &event("2026-03-27T18:30:00+09:00", ""));
    let o = check();
    assert!(!o.status.success());
    let said = stderr(&o);
    assert!(
        said.contains("calendar.lock: out of date: 1 event"),
        "{said}"
    );
    assert!(said.contains("/events/spring/: SEQUENCE 0 → 1"), "{said}");
    assert!(
        said.contains("run `enishi build` and commit calendar.lock"),
        "{said}"
    );
    let before = lock(root);
    let o = build(root, &["--locked"]);
    assert!(!o.status.success());
    assert_eq!(lock(root), before);
    build_ok(root);
    assert!(check().status.success());
    assert!(build(root, &["--locked"]).status.success());
}

#[test]
fn a_broken_record_is_an_error_with_its_line() {
    let site = site(&[
        (EVENT, &event("2026-03-20T18:30:00+09:00", "")),
        ("calendar.lock", "/events/spring/:\n  sequence: many\n"),
    ]);
    let o = build(site.path(), &[]);
    assert!(!o.status.success());
    let said = stderr(&o);
    assert!(said.contains("calendar.lock:2:"), "{said}");
    assert!(said.contains("restore it from version control"), "{said}");
}

/// A fresh site and example-site come with their record, up to date.
#[test]
fn init_and_example_site_records_are_up_to_date() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("portal");
    assert!(bin()
        .arg("init")
        .arg(&dir)
        .status()
        .expect("init")
        .success());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for site in [
        dir,
        root.join("example-site"),
        root.join("tests/fixtures/sites/search"),
    ] {
        let o = bin()
            .args(["check", "--now", "2026-11-22", "--root"])
            .arg(&site)
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .expect("check");
        assert!(o.status.success(), "{}: {}", site.display(), stderr(&o));
        assert!(site.join("calendar.lock").exists());
    }
}

/// `serve`: an incremental build reads the record at every build (it is
/// not watched; `enishi build` may rewrite it meanwhile) and equals a full
/// build, for an event edit and for an edit that touches no event.
#[test]
fn incremental_builds_equal_full_builds() {
    use enishi::pipeline::{incremental::Incremental, Timings};
    let site = site(&[
        (EVENT, &event("2026-03-20T18:30:00+09:00", "")),
        (
            "content/news/a.md",
            &news("お知らせ", "2026-01-10", "", "本文"),
        ),
    ]);
    let root = site.path();
    let opts = enishi::site::BuildOptions {
        root: root.to_path_buf(),
        base_url: Some("http://127.0.0.1:1111".into()),
        now: Some("2026-11-22".into()),
        ..Default::default()
    };
    let full = || {
        let b = enishi::pipeline::build(&opts, &mut Timings::default()).expect("full build");
        b.tree
    };
    let mut state = Incremental::new();
    let mut incremental = |changed: &str| {
        state.note_changes(root, &[root.join(changed)]);
        state
            .build(&opts, &mut Timings::default())
            .expect("incremental")
            .tree
    };
    let ics = |t: &enishi::core::output::OutputTree| {
        String::from_utf8_lossy(&t["events/calendar.ics"]).into_owned()
    };
    let first = incremental(EVENT);
    assert!(ics(&first).contains("SEQUENCE:0"));
    build_ok(root);
    write(root, EVENT, &event("2026-03-27T18:30:00+09:00", ""));
    let moved = incremental(EVENT);
    assert!(ics(&moved).contains("SEQUENCE:1"), "{}", ics(&moved));
    assert!(moved == full(), "an event edit: incremental != full");
    // `enishi build` records the move while `serve` runs; then a news edit.
    build_ok(root);
    write(
        root,
        "content/news/a.md",
        &news("お知らせ", "2026-01-10", "", "本文2"),
    );
    let after = incremental("content/news/a.md");
    assert!(ics(&after).contains("SEQUENCE:1"));
    assert!(after == full(), "a news edit: incremental != full");
    // The next move counts from the new record.
    write(root, EVENT, &event("2026-04-03T18:30:00+09:00", ""));
    let again = incremental(EVENT);
    assert!(ics(&again).contains("SEQUENCE:2"), "{}", ics(&again));
    assert!(again == full(), "a second event edit: incremental != full");
    // `serve` without `--now`: every rebuild has a new DTSTAMP; the kept
    // VEVENTs are stamped again, nothing else of them changes.
    let later = enishi::site::BuildOptions {
        now: Some("2026-11-22T10:30:00+09:00".into()),
        ..opts.clone()
    };
    write(
        root,
        "content/news/a.md",
        &news("お知らせ", "2026-01-10", "", "本文3"),
    );
    state.note_changes(root, &[root.join("content/news/a.md")]);
    let stamped = state
        .build(&later, &mut Timings::default())
        .expect("incremental");
    let whole = enishi::pipeline::build(&later, &mut Timings::default()).expect("full");
    assert!(ics(&stamped.tree).contains("DTSTAMP:20261122T013000Z"));
    assert!(
        stamped.tree == whole.tree,
        "a later now: incremental != full"
    );
}
