//! `enishi roster import`: a CSV from the HR system merged into the roster,
//! with the consent rules and the summary of what changed.

use std::path::Path;

use super::report::report_failure;
use super::{build_options, BuildArgs};

pub(super) fn cmd_roster_import(root: &Path, file: &Path, now: Option<String>) -> i32 {
    let config = match crate::config::load(root, None) {
        Ok(c) => c,
        Err(d) => return report_failure(&d),
    };
    let opts = build_options(&BuildArgs {
        root: root.to_path_buf(),
        output: None,
        base_url: None,
        drafts: false,
        now,
        timings: false,
        locked: false,
    });
    let today = match crate::site::resolve_now(&opts, &config) {
        Ok(z) => z.date(),
        Err(d) => return report_failure(&[d]),
    };
    match crate::input::roster::import_csv(root, file, &config, today) {
        Ok(s) => {
            eprintln!(
                "Imported {} into data/roster.yaml: {} added, {} updated, {} unchanged.",
                file.display(),
                s.added,
                s.updated,
                s.unchanged
            );
            let n = s.consent_changes.len();
            if n > 0 {
                eprintln!(
                    "Consent changed for {n} {}:",
                    if n == 1 { "person" } else { "people" }
                );
                for c in &s.consent_changes {
                    eprintln!("  {c}");
                }
            }
            0
        }
        Err(d) => report_failure(&d),
    }
}
