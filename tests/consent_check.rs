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
