//! Consent, as `enishi build` and `enishi check` report it: messages never
//! quote a roster value (issue 17), a consent dated after "now" publishes no
//! one yet (issue 17), `check` lists who is not shown and why, and a weak
//! members passphrase is a warning (issue 18).

mod common;

use common::*;

/// Values that must never appear in a log: each is personal data.
const SECRETS: [&str; 7] = [
    "hanako.private",
    "javascript:alert",
    "20x2",
    "2026-13-01",
    "秘密の技能",
    "Tanaka Hanako",
    "1999-99",
];

const BAD_ROSTER: &str = "\
- id: tanaka
  name: 田中 花子
  email: hanako.private@@example.jp
  links: { blog: \"javascript:alert(1)\" }
- id: sato
  joined: 20x2
  left: 1999-99
- id: ito
  consent: { given: 2026-13-01, public: [name] }
- id: kato
  skills: 秘密の技能
- id: Tanaka Hanako
  name: X
";

fn check(root: &std::path::Path) -> std::process::Output {
    let mut c = bin();
    c.args(["check", "--now", "2026-11-22", "--root"]).arg(root);
    c.env_remove("SOURCE_DATE_EPOCH");
    c.output().expect("run enishi")
}

#[test]
fn roster_errors_quote_no_value() {
    let dir = site(&[("data/roster.yaml", BAD_ROSTER)]);
    for out in [build(dir.path(), &[]), check(dir.path())] {
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        for s in SECRETS {
            assert!(!err.contains(s), "the log quotes {s:?}:\n{err}");
        }
        // Each names the entry, the field, line:col and the rule.
        for want in [
            "data/roster.yaml:3:3: entry `tanaka`: invalid `email`: expected",
            "data/roster.yaml:4:3: entry `tanaka`: invalid link `links.blog`: only http://",
            "data/roster.yaml:6:3: entry `sato`: `joined` is not a year",
            "data/roster.yaml:7:3: entry `sato`: `left` is not a year",
            "entry `ito`: `consent.given` is not a date",
            "entry `kato`: in `skills`: invalid type: string, expected a sequence",
            "data/roster.yaml:12:3: entry `?`: invalid `id`: expected lowercase",
        ] {
            assert!(err.contains(want), "missing {want:?}:\n{err}");
        }
    }
}

/// `mirai` consented with a date after the build's "now"; `ima` before it.
const FUTURE_ROSTER: &str = "\
- id: ima
  name: 今 花子
  department: 営業部
  consent: { given: 2026-04-01, public: [name, department] }
- id: mirai
  name: 未来 太郎
  email: mirai@example.jp
  department: 開発部
  consent:
    given: 2099-12-31
    public: [name, department]
    members: [email]
    stats: [department]
";

fn future_site() -> tempfile::TempDir {
    site(&[("data/roster.yaml", FUTURE_ROSTER)])
}

fn config(root: &std::path::Path) -> enishi::config::Config {
    enishi::config::load(root, None).expect("site.yaml")
}

#[test]
fn future_consent_publishes_no_one_yet() {
    let dir = future_site();
    let root = dir.path();
    let out = build(root, &[]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(
            "warning: data/roster.yaml:10:5: entry `mirai`: `consent.given` is 2099-12-31, after today (2026-11-22): treated as not yet given"
        ),
        "{err}"
    );
    for (path, bytes) in tree(&root.join("public")) {
        let text = String::from_utf8_lossy(&bytes);
        for s in ["未来 太郎", "mirai", "開発部"] {
            assert!(!text.contains(s), "{} shows {s:?}", path.display());
        }
    }
    assert!(read(root, "alumni/index.html").contains("今 花子"));

    // Members and stats see no one either, until that day.
    let roster = enishi::input::roster::load(root, &config(root)).expect("roster");
    let c = config(root);
    let before = roster.publishable(&c, jiff::civil::date(2099, 12, 30));
    assert!(before.members().iter().all(|p| p.id != "mirai"));
    assert!(!before.stats().fields[1].contains_key("開発部"));
    let on = roster.publishable(&c, jiff::civil::date(2099, 12, 31));
    assert!(on.members().iter().any(|p| p.id == "mirai"));
    assert_eq!(on.stats().fields[1].get("開発部"), Some(&1));

    // From that day on, published (and no warning).
    let out = bin()
        .args(["build", "--now", "2099-12-31", "--root"])
        .arg(root)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("run enishi");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("mirai"), "{}", stderr(&out));
    assert!(read(root, "alumni/index.html").contains("未来 太郎"));
}

#[test]
fn serve_caches_follow_the_day_of_consent() {
    use enishi::pipeline::{incremental::Incremental, Timings};
    let dir = future_site();
    let root = dir.path();
    let opts = |now: &str| enishi::site::BuildOptions {
        root: root.to_path_buf(),
        base_url: Some("http://127.0.0.1:1111".into()),
        now: Some(now.into()),
        ..Default::default()
    };
    let mut state = Incremental::new();
    let page = |state: &mut Incremental, now: &str| {
        let built = state
            .build(&opts(now), &mut Timings::default())
            .map_err(|d| format!("{d:?}"))
            .expect("build");
        let full = enishi::pipeline::build(&opts(now), &mut Timings::default())
            .map_err(|d| format!("{d:?}"))
            .expect("full build");
        assert!(built.tree == full.tree, "incremental != full at {now}");
        String::from_utf8_lossy(&built.tree["alumni/index.html"]).into_owned()
    };
    assert!(!page(&mut state, "2099-12-30T23:59:00+09:00").contains("未来 太郎"));
    // Nothing changed on disk; only the day did.
    assert!(page(&mut state, "2099-12-31T00:00:01+09:00").contains("未来 太郎"));
}

#[test]
fn check_lists_who_is_not_shown_and_why() {
    let roster = "\
- id: shown
  name: 表示 さん
  consent: { given: 2026-04-01, public: [name] }
- id: none
  name: 同意なし 一郎
- id: empty
  name: 空 二郎
  consent: {}
- id: undated
  name: 日付なし 三郎
  consent: { public: [name] }
- id: later
  name: 後日 四郎
  consent: { given: 2027-01-15, public: [name] }
- id: nothing
  name: 項目なし 五郎
  consent: { given: 2026-04-01, public: [] }
- id: gone
  name: 撤回 六郎
  consent: { given: 2026-04-01, public: [name], withdrawn: 2026-06-01 }
";
    let dir = site(&[("data/roster.yaml", roster)]);
    let out = check(dir.path());
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    for want in [
        "note: 6 of 7 roster entries are published nowhere",
        "  no consent at all (no `consent`, or one with no `given` date and no fields) (2): empty, none\n",
        "  fields but no `consent.given` date (1): undated\n",
        "  consent not yet valid (`consent.given` after today) (1): later (from 2027-01-15)\n",
        "  consent given to no field (1): nothing\n",
        "  consent withdrawn (1): gone\n",
    ] {
        assert!(err.contains(want), "missing {want:?}:\n{err}");
    }
    // Ids only: no one's name.
    for name in ["一郎", "二郎", "三郎", "四郎", "五郎", "六郎"] {
        assert!(!err.contains(name), "quotes {name}:\n{err}");
    }
}

#[test]
fn weak_members_passphrase_is_a_warning() {
    let dir = site(&[("data/roster.yaml", FUTURE_ROSTER)]);
    let root = dir.path();
    let yaml = format!("{SITE_YAML}members: {{ passphrase_env: ENISHI_CONSENT_PASS }}\n");
    write(root, "site.yaml", &yaml);
    let run = |cmd: &str, pass: &str| {
        let mut c = bin();
        c.args([cmd, "--now", "2026-11-22", "--root"])
            .arg(root)
            .env_remove("SOURCE_DATE_EPOCH")
            .env("ENISHI_CONSENT_PASS", pass);
        let out = c.output().expect("run enishi");
        assert!(out.status.success(), "{}", stderr(&out));
        stderr(&out)
    };
    for (cmd, pass, why) in [
        ("build", "1234", "shorter than 12 characters"),
        ("check", "Password1234", "a common password"),
    ] {
        let err = run(cmd, pass);
        assert!(
            err.contains("warning: site.yaml: the members passphrase (environment variable `ENISHI_CONSENT_PASS`, members.passphrase_env) is weak: it is ")
                && err.contains(why)
                && err.contains("members/data.json is public, so anyone can try guesses offline")
                && err.contains("use four or more random words"),
            "{cmd} {why}:\n{err}"
        );
        assert!(!err.contains(pass), "{cmd} prints the passphrase:\n{err}");
    }
    let err = run("build", "kiri-ame umi tsubame 7");
    assert!(!err.contains("is weak"), "{err}");
}
