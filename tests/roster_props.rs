//! No panics on any roster or CSV input (SPEC: "No panics on any input").

use std::path::Path;

use proptest::prelude::*;

fn config() -> enishi::config::Config {
    enishi::config::parse(
        "title: T\nbase_url: https://a.example\nroster: { consent_version: 2 }\n",
        Path::new("site.yaml"),
        None,
    )
    .unwrap()
}

const VALID: &str = "- id: tanaka-hanako\n  name: 田中 花子\n  reading: たなか はなこ\n  joined: 2012\n  left: 2019-03\n  now: { company: ミライ, role: CTO }\n  skills: [営業, SaaS]\n  links: { x: \"https://x.example/\" }\n  email: a@example.com\n  consent:\n    given: 2026-04-01\n    version: 2\n    public: [name, now]\n    members: [email, links]\n    withdrawn: null\n";

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,400}") {
        let c = config();
        if let Ok(r) = enishi::input::roster::parse(&s, Path::new("data/roster.yaml"), &c) {
            let p = r.publishable(&c, jiff::civil::date(2026, 11, 22));
            let _ = p.search_entries();
            let _ = r.stale_consents(&c);
        }
    }

    #[test]
    fn mutated_roster_never_panics(pos in 0usize..400, ins in "[-:\\[\\]{}#'\" \\n\\ta-z0-9@./]{0,6}", cut in 0usize..4) {
        let c = config();
        let mut chars: Vec<char> = VALID.chars().collect();
        let at = pos.min(chars.len());
        let end = (at + cut).min(chars.len());
        chars.splice(at..end, ins.chars());
        let text: String = chars.into_iter().collect();
        match enishi::input::roster::parse(&text, Path::new("data/roster.yaml"), &c) {
            Ok(r) => {
                let p = r.publishable(&c, jiff::civil::date(2026, 11, 22));
                let _ = enishi::outputs::directory::outputs_with_iterations(&p, &c, &Default::default(), Some("pw"), 1);
            }
            Err(errs) => {
                // Every error names the file and a line.
                for e in errs {
                    prop_assert_eq!(e.file.to_str(), Some("data/roster.yaml"));
                    prop_assert!(e.line.is_some(), "no line: {}", e);
                }
            }
        }
    }

    #[test]
    fn arbitrary_csv_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("x.csv");
        std::fs::write(&csv, &bytes).unwrap();
        let _ = enishi::input::roster::import_csv(dir.path(), &csv, &config(), jiff::civil::date(2026, 11, 22));
    }
}
