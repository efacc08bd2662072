//! `enishi build`: one build into the output directory (atomically), with
//! its summary and timings.

use std::io::IsTerminal;
use std::time::Instant;

use super::report::{human_bytes, print_diags, report_failure};
use super::{build_options, members_passphrase, BuildArgs};

pub(super) fn cmd_build(args: BuildArgs) -> i32 {
    let start = Instant::now();
    let tty = std::io::stderr().is_terminal();
    let mut opts = build_options(&args);
    opts.members_passphrase = members_passphrase(&args.root);
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| args.root.join("public"));
    if let Err(e) = crate::pipeline::write::check_output_dir(&args.root, &output) {
        eprintln!("error: {e}");
        return 1;
    }
    let mut timings = crate::pipeline::Timings::with_progress(tty);
    // Content errors are found while loading, before anything is written.
    let site = match crate::pipeline::load_site(&opts, None, &mut timings) {
        Ok(s) => s,
        Err(diags) => return report_failure(&diags),
    };
    // Files are written into a staging directory as they are rendered, and
    // swapped in whole at the end; any error leaves the output untouched.
    let staging = match crate::pipeline::write::Staging::new(&args.root, &output) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot write the output: {e}");
            return 1;
        }
    };
    let built = match crate::pipeline::render_site_into(&site, &mut timings, None, &staging) {
        Ok(b) => b,
        Err(diags) => return report_failure(&diags),
    };
    print_diags(&built.warnings);
    // The record first: what is published never runs ahead of it.
    let lock = super::calendar::Lock::after(&site, &built.calendar_entries);
    if let Some(stale) = lock.stale() {
        if args.locked {
            eprintln!(
                "error: {}: {stale}; nothing was written (--locked: run `enishi build` and commit it)",
                crate::input::calendar_lock::CALENDAR_LOCK
            );
            return 1;
        }
        if let Err(e) = lock.write() {
            eprintln!("error: {e}; nothing was written");
            return 1;
        }
        eprintln!("note: {}", lock.updated_note());
    }
    // The process ends in a moment: freeing the site model's many small
    // allocations one by one would only add to the wall time.
    std::mem::forget(site);
    let write_start = Instant::now();
    if let Err(e) = staging.commit() {
        eprintln!("error: cannot write the output: {e}");
        return 1;
    }
    timings.0.push(("write", write_start.elapsed()));
    let s = &built.stats;
    let hidden = if s.hidden > 0 {
        format!(", {} drafts/scheduled left out", s.hidden)
    } else {
        String::new()
    };
    eprintln!(
        "Done in {} ms: {} pages, {} feeds, search index {}, {} files ({}) in {}{hidden}",
        start.elapsed().as_millis(),
        s.pages,
        s.feeds,
        human_bytes(s.index_bytes),
        s.files,
        human_bytes(s.bytes),
        output.display()
    );
    if args.timings {
        eprintln!("Timings: {timings}");
    }
    0
}
