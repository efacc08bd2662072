//! `enishi roster import`: Shift_JIS, BOM, bad rows, re-import, consent safety.

mod roster_support;

use std::path::{Path, PathBuf};

use enishi::input::roster::{self, ImportSummary};
use roster_support::*;

fn site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let fx = fixture("roster_import");
    std::fs::copy(fx.join("site.yaml"), dir.path().join("site.yaml")).unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    std::fs::copy(fx.join("roster.yaml"), dir.path().join("data/roster.yaml")).unwrap();
    let root = dir.path().to_path_buf();
    (dir, root)
}

fn roster_text(root: &Path) -> String {
    std::fs::read_to_string(root.join("data/roster.yaml")).unwrap()
}

#[test]
fn shift_jis_import_keeps_consent_and_comments() {
    let (_d, root) = site();
    let config = load_config(&root);
    let before = roster::load(&root, &config)
        .unwrap()
        .publishable(&config, jiff::civil::date(2026, 11, 22));
    let s = roster::import_csv(&root, &fixture("roster_import/hr_sjis.csv"), &config).unwrap();
    assert_eq!(
        s,
        ImportSummary {
            added: 1,
            updated: 1,
            unchanged: 0
        }
    );
    let text = roster_text(&root);
    assert!(text.starts_with("# opt-in roster (hand-edited; comments must survive imports)\n"));
    assert!(
        text.contains("# 佐藤さんはまだ同意していない\n- id: sato-ken\n  name: 佐藤 健\n"),
        "{text}"
    );
    assert!(text.contains("株式会社ミライ"), "{text}");
    let r = roster::load(&root, &config).unwrap();
    assert_eq!(r.len(), 3);
    let after = r.publishable(&config, jiff::civil::date(2026, 11, 22));
    // Consent neither dropped nor widened: same public fields as before.
    assert_eq!(before.public(), after.public());
    // The new person has no consent: published nowhere.
    assert!(after.members().iter().all(|p| p.id != "yamada-taro"));
    // Members see the updated e-mail only (the only consented members field).
    let t = after
        .members()
        .iter()
        .find(|p| p.id == "tanaka-hanako")
        .unwrap();
    assert_eq!(t.email.as_deref(), Some("hanako@example.com"));
    assert!(t.skills.is_empty() && t.now.is_none() && t.links.is_empty());

    // Re-import: nothing changes, not even a byte.
    let s2 = roster::import_csv(&root, &fixture("roster_import/hr_sjis.csv"), &config).unwrap();
    assert_eq!(
        s2,
        ImportSummary {
            added: 0,
            updated: 0,
            unchanged: 2
        }
    );
    assert_eq!(roster_text(&root), text);
}

#[test]
fn bom_import_with_consent_columns() {
    let (_d, root) = site();
    let config = load_config(&root);
    let s = roster::import_csv(&root, &fixture("roster_import/hr_bom.csv"), &config).unwrap();
    assert_eq!((s.added, s.updated, s.unchanged), (1, 1, 0));
    let r = roster::load(&root, &config).unwrap();
    let p = r.publishable(&config, jiff::civil::date(2026, 11, 22));
    let sato = p.public().iter().find(|p| p.id == "sato-ken").unwrap();
    assert_eq!(sato.name_en.as_deref(), Some("Ken Sato"));
    let suzuki = p
        .members()
        .iter()
        .find(|p| p.id == "suzuki-ichiro")
        .unwrap();
    assert_eq!(suzuki.name.as_deref(), Some("鈴木 一郎"));
    // The BOM did not end up in the id or the file.
    assert!(!roster_text(&root).contains('\u{feff}'));
    let again = roster::import_csv(&root, &fixture("roster_import/hr_bom.csv"), &config).unwrap();
    assert_eq!((again.added, again.updated, again.unchanged), (0, 0, 2));
}

#[test]
fn bad_email_rows_reported_nothing_written() {
    let (_d, root) = site();
    let config = load_config(&root);
    let before = std::fs::read(root.join("data/roster.yaml")).unwrap();
    let csv = fixture("roster_import/hr_bad_email.csv");
    let errs = roster::import_csv(&root, &csv, &config).unwrap_err();
    let all: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
    assert_eq!(errs.len(), 2, "{all:#?}");
    assert!(
        all[0].contains(":3:1: row 3 (id `ito-mai`)") && all[0].contains("invalid `email`"),
        "{all:#?}"
    );
    assert!(all[1].contains("row 4 (id `ogawa-jun`)"), "{all:#?}");
    assert_eq!(
        std::fs::read(root.join("data/roster.yaml")).unwrap(),
        before
    );
    // No temporary file left behind.
    let names: Vec<_> = std::fs::read_dir(root.join("data"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn consent_list_without_date_and_unknown_column() {
    let (_d, root) = site();
    let config = load_config(&root);
    let csv = root.join("x.csv");
    std::fs::write(&csv, "id,name,consent_public\nnew-one,N,name\n").unwrap();
    let e = roster::import_csv(&root, &csv, &config).unwrap_err();
    assert!(
        e[0].message
            .contains("row 2 (id `new-one`): consent fields without a `consent_given` date"),
        "{}",
        e[0]
    );
    std::fs::write(&csv, "id,emial\nx,a@b.jp\n").unwrap();
    let e = roster::import_csv(&root, &csv, &config).unwrap_err();
    assert!(e[0].message.contains("did you mean `email`?"), "{}", e[0]);
    // An empty consent_public cell keeps public consent; `-` removes it.
    std::fs::write(&csv, "id,consent_public\ntanaka-hanako,\n").unwrap();
    let s = roster::import_csv(&root, &csv, &config).unwrap();
    assert_eq!((s.updated, s.unchanged), (0, 1));
    std::fs::write(&csv, "id,consent_public\ntanaka-hanako,-\n").unwrap();
    let s = roster::import_csv(&root, &csv, &config).unwrap();
    assert_eq!(s.updated, 1);
    let p = roster::load(&root, &config)
        .unwrap()
        .publishable(&config, jiff::civil::date(2026, 11, 22));
    assert!(p.public().is_empty());
    // Still in the members area with the e-mail only (no name consented).
    assert_eq!(p.members().len(), 1);
    assert_eq!(p.members()[0].name, None);
}

#[test]
fn import_into_missing_roster_creates_it() {
    let (_d, root) = site();
    std::fs::remove_file(root.join("data/roster.yaml")).unwrap();
    let config = load_config(&root);
    let s = roster::import_csv(&root, &fixture("roster_import/hr_sjis.csv"), &config).unwrap();
    assert_eq!(s.added, 2);
    assert_eq!(roster::load(&root, &config).unwrap().len(), 2);
}
