//! `enishi check`'s "where our alumni went" tables: what `/alumni/stats/`
//! publishes, with exact counts, for the office's internal reports. Printed
//! on stdout, marked "not published"; the same small groups are merged as on
//! the page, so no one is singled out here either.

use std::path::Path;

use crate::outputs::stats::{labels, tables};

/// Print the tables of the site at `root` as of `today` (nothing when the
/// roster does not load: the build reports why).
pub fn print_exact_tables(root: &Path, today: jiff::civil::Date) {
    let Ok(config) = crate::config::load(root, None) else {
        return;
    };
    let Ok(roster) = crate::input::roster::load(root, &config) else {
        return;
    };
    if roster.is_empty() {
        return;
    }
    let labels = labels(config.language);
    let label = |k: &str| labels[k].as_str().unwrap_or_default().to_string();
    let rules = config.roster.stats;
    println!(
        "{} — exact counts, not published (the page merges groups under {} into \"{}\" and rounds to {}):",
        label("title"),
        rules.min_group,
        label("other"),
        rules.round
    );
    for t in tables(roster.publishable(&config, today).stats(), rules, true) {
        let rows: Vec<String> = t
            .rows
            .iter()
            .map(|r| {
                format!(
                    "{} {}",
                    r.label.as_deref().unwrap_or(&label("other")),
                    r.count
                )
            })
            .collect();
        println!(
            "  {}: {} ({} {})",
            label(t.field),
            if rows.is_empty() {
                "-".to_string()
            } else {
                rows.join(", ")
            },
            label("total"),
            t.total
        );
    }
}
