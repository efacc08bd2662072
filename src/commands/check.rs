//! `enishi check`: a build that writes nothing, then who is not shown in the
//! directory and why.

use std::path::{Path, PathBuf};

use super::report::print_diags;
use super::{build_options, members_passphrase, stats, BuildArgs};
use crate::site::BuildOptions;

/// Roster entries published nowhere on `today`, by reason (ids only):
/// printed by `check` so the office knows who is not shown and why, and
/// whom to ask.
fn print_unshown(root: &Path, today: jiff::civil::Date) {
    use crate::input::roster::Unshown;
    let Ok(config) = crate::config::load(root, None) else {
        return;
    };
    let Ok(roster) = crate::input::roster::load(root, &config) else {
        return;
    };
    let unshown = roster.unshown(&config, today);
    let mut groups: [(&str, Vec<String>); 6] = [
        (
            "no consent at all (no `consent`, or one with no `given` date and no fields)",
            Vec::new(),
        ),
        ("fields but no `consent.given` date", Vec::new()),
        (
            "consent not yet valid (`consent.given` after today)",
            Vec::new(),
        ),
        ("consent given to no field", Vec::new()),
        ("consent withdrawn", Vec::new()),
        (
            "consent to an older privacy notice: published nowhere until they renew",
            Vec::new(),
        ),
    ];
    for (id, why) in &unshown {
        let (i, shown) = match why {
            Unshown::NoConsent => (0, id.clone()),
            Unshown::NoDate => (1, id.clone()),
            Unshown::NotYet(d) => (2, format!("{id} (from {d})")),
            Unshown::NoFields => (3, id.clone()),
            Unshown::Withdrawn => (4, id.clone()),
            Unshown::OlderNotice(v) => (5, format!("{id} (notice version {v})")),
        };
        groups[i].1.push(shown);
    }
    if unshown.is_empty() {
        return;
    }
    eprintln!(
        "note: {} of {} roster entries are published nowhere (current privacy notice: version {}):",
        unshown.len(),
        roster.len(),
        config.roster.consent_version
    );
    for (what, ids) in groups.iter().filter(|(_, ids)| !ids.is_empty()) {
        eprintln!("  {what} ({}): {}", ids.len(), ids.join(", "));
    }
}

/// The day of the build's "now" (`--now`, `SOURCE_DATE_EPOCH` or the
/// clock) in the site's time zone; `None` when the config does not load
/// (the build reports why).
fn today(opts: &BuildOptions) -> Option<jiff::civil::Date> {
    let config = crate::config::load(&opts.root, None).ok()?;
    crate::site::resolve_now(opts, &config)
        .ok()
        .map(|z| z.date())
}

pub(super) fn cmd_check(root: PathBuf, now: Option<String>) -> i32 {
    let args = BuildArgs {
        root,
        output: None,
        base_url: None,
        drafts: false,
        now,
        timings: false,
        locked: false,
    };
    let mut opts = build_options(&args);
    opts.members_passphrase = members_passphrase(&args.root);
    let today = today(&opts);
    if let Some(today) = today {
        print_unshown(&args.root, today);
    }
    let mut timings = crate::pipeline::Timings::default();
    let built = crate::pipeline::load_site(&opts, None, &mut timings).and_then(|site| {
        let b = crate::pipeline::render_site(&site, &mut timings)?;
        // A record that is out of date: SEQUENCE would not rise at the
        // next change (CI fails here when calendar.lock was not committed
        // after a change). Events it has no record of yet (a new or
        // scheduled one, or no file at all) are a warning: nothing
        // published has fallen behind it.
        let lock = super::calendar::Lock::after(&site, &b.calendar_entries);
        match lock.stale() {
            Some(stale) if lock.only_new() => {
                let mut b = b;
                b.warnings.push(crate::core::diag::Diagnostic::warning(
                    crate::input::calendar_lock::CALENDAR_LOCK,
                    format!("{stale}: run `enishi build` and commit calendar.lock"),
                ));
                Ok(b)
            }
            Some(stale) => {
                let mut diags = b.warnings;
                diags.push(crate::core::diag::Diagnostic::error(
                    crate::input::calendar_lock::CALENDAR_LOCK,
                    format!("{stale}: run `enishi build` and commit calendar.lock"),
                ));
                Err(diags)
            }
            None => Ok(b),
        }
    });
    match built {
        Ok(b) => {
            print_diags(&b.warnings);
            if let Some(today) = today {
                stats::print_exact_tables(&args.root, today);
            }
            eprintln!(
                "No errors: {} pages would be written ({} warnings).",
                b.stats.pages,
                b.warnings.len()
            );
            0
        }
        Err(diags) => {
            print_diags(&diags);
            let n = diags.iter().filter(|d| d.is_error()).count().max(1);
            eprintln!("error: {n} error{} found", if n == 1 { "" } else { "s" });
            1
        }
    }
}
