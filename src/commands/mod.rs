//! Command-line interface. Thin: parses arguments, calls the library, prints
//! diagnostics and the summary, and maps outcomes to exit codes
//! (0 ok, 1 content/config errors, 2 usage errors).
//!
//! Imports any layer; nothing imports it but the binary.

mod calendar;
pub mod digest;
pub mod report;
pub mod scaffold;
pub mod stats;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Parser, Subcommand};

use crate::commands::report::{human_bytes, print_diags, report_failure};
use crate::site::BuildOptions;

#[derive(Parser, Debug)]
#[command(
    name = "enishi",
    version,
    about = "Static site generator for company alumni portals",
    long_about = "enishi (縁) turns Markdown interviews, news, jobs, events and pages plus a YAML opt-in roster into a static alumni portal: directory, members area, search, feeds and calendars.",
    after_help = "Examples:\n  enishi init my-portal\n  cd my-portal && enishi build\n  enishi serve\n  enishi new interview \"田中さんインタビュー\""
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(clap::Args, Debug, Clone)]
pub struct BuildArgs {
    /// Site directory (with site.yaml)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Output directory [default: <root>/public]
    // The text is also `--help`'s, where `<root>` reads as a placeholder.
    #[allow(rustdoc::invalid_html_tags)]
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Override `base_url` of site.yaml (e.g. for previews)
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include drafts and scheduled (future-dated) content
    #[arg(long)]
    pub drafts: bool,
    /// "Today" for expiry, scheduling and feeds: 2026-11-01 or 2026-11-01T09:00:00+09:00
    /// [default: SOURCE_DATE_EPOCH, else the current time]
    #[arg(long)]
    pub now: Option<String>,
    /// Print the time of each build phase
    #[arg(long)]
    pub timings: bool,
    /// Fail instead of updating calendar.lock when it is out of date (for CI, like `cargo build --locked`)
    #[arg(long)]
    pub locked: bool,
}

#[derive(clap::Args, Debug, Clone)]
pub struct ServeArgs {
    /// Site directory (with site.yaml)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// TCP port
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on; anything but loopback is reachable from other machines
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// Include drafts and scheduled (future-dated) content
    #[arg(long)]
    pub drafts: bool,
    /// "Today" (see `build --now`)
    #[arg(long)]
    pub now: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create a new site with sample content (the default theme is built in)
    #[command(after_help = "Example:\n  enishi init my-portal && enishi build --root my-portal")]
    Init {
        /// Directory to create (must be empty or missing) [default: .]
        dir: Option<PathBuf>,
    },
    /// Create a new content file with front matter to fill in
    #[command(
        after_help = "Examples:\n  enishi new news \"オフィス移転のお知らせ\"\n  enishi new event \"2027年 新年会\" --slug new-year-2027\n  enishi new --lang en event \"New Year party 2027\" --slug new-year-2027   # its English translation\n\nKinds: interview, news, job, event, page. Japanese titles get a date-based slug unless --slug is given."
    )]
    New {
        /// interview | news | job | event | page
        kind: String,
        /// Title of the new page
        title: String,
        /// URL slug (file name) [default: from the title, or the date]
        #[arg(long)]
        slug: Option<String>,
        /// Write a translation into this language (one of `languages:`) of
        /// the existing file named by --slug: `<slug>.<lang>.md`
        #[arg(long)]
        lang: Option<String>,
        /// Site directory
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Build the site into the output directory (atomically)
    #[command(
        after_help = "Examples:\n  enishi build\n  enishi build --root example-site --output /tmp/out --now 2026-11-22\n  SOURCE_DATE_EPOCH=1793000000 enishi build --base-url https://preview.example.com"
    )]
    Build(BuildArgs),
    /// Build into memory, serve with live reload, rebuild on every save
    #[command(
        after_help = "Examples:\n  enishi serve\n  enishi serve --root example-site --port 8080\n  enishi serve --bind 0.0.0.0   # reachable from your phone on the same network\n\nNothing is written to disk; the pages served are never part of `enishi build` output."
    )]
    Serve(ServeArgs),
    /// Write the newsletter of a window of days: text to stdout, or .eml + .html + .txt
    #[command(
        after_help = "Window: --since and --until are days in the site time zone, both included \
(YYYY-MM-DD, or YYYY-MM for a whole month); default: the 30 days up to --now.\n\
Contents: interviews and news published in the window, open jobs and upcoming events as of --now.\n\n\
--output FILE: writes FILE.eml, FILE.html and FILE.txt (a trailing .eml, .html or .txt \
on FILE is dropped first, so --output out/2026-11.eml gives out/2026-11.eml, .html and .txt).\n\
Without --output, the text version goes to stdout.\n\n\
Addresses: From defaults to the organization name <noreply@HOST>, To to alumni@HOST \
(HOST of base_url); change them with --from and --to, or in your mail program.\n\n\
Examples:\n  enishi digest --since 2026-11 --until 2026-11 --output digest/2026-11.eml\n  \
enishi digest --now 2026-12-01 --from \"Alumni office <alumni@example.co.jp>\" --output out/digest"
    )]
    Digest(DigestArgs),
    /// Validate everything and write nothing; exit 1 on errors
    #[command(after_help = "Example:\n  enishi check --root example-site")]
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// "Today" (see `build --now`)
        #[arg(long)]
        now: Option<String>,
    },
    /// Work with the alumni roster (data/roster.yaml)
    #[command(
        subcommand,
        after_help = "Example:\n  enishi roster import hr-export.csv --root example-site"
    )]
    Roster(RosterCommand),
}

#[derive(Subcommand, Debug)]
pub enum RosterCommand {
    /// Merge an HR export (CSV: UTF-8, UTF-8 with BOM or Shift_JIS) into data/roster.yaml by id
    #[command(
        after_help = "Example:\n  enishi roster import hr-export.csv --root example-site\n\nThe header row names the fields (id, name, name_en, reading, joined, left, department,\nnow_company, now_role, location, skills, email, message, links_<name>, consent_given,\nconsent_version, consent_public, consent_members, consent_stats, consent_withdrawn;\nlists separated by `;`). Empty cells keep the existing value, consent too; `-` in a\nconsent cell means no field at that level. Nothing is written if any row is invalid."
    )]
    Import {
        /// The CSV file
        file: PathBuf,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(clap::Args, Debug, Clone)]
pub struct DigestArgs {
    /// Site directory (with site.yaml)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// First day of the window, included (YYYY-MM-DD or YYYY-MM) [default: --until minus 29 days]
    #[arg(long)]
    pub since: Option<String>,
    /// Last day of the window, included (YYYY-MM-DD or YYYY-MM) [default: the day of --now]
    #[arg(long)]
    pub until: Option<String>,
    /// "Now" for open jobs, upcoming events and the Date header (see `build --now`)
    #[arg(long)]
    pub now: Option<String>,
    /// Write FILE.eml, FILE.html and FILE.txt instead of printing the text
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// From address: addr@host or "Name <addr@host>"
    #[arg(long)]
    pub from: Option<String>,
    /// To address: addr@host or "Name <addr@host>"
    #[arg(long)]
    pub to: Option<String>,
    /// The newsletter in another of the site's `languages:` (its pages, strings, links)
    #[arg(long)]
    pub lang: Option<String>,
}

pub fn build_options(args: &BuildArgs) -> BuildOptions {
    BuildOptions {
        root: args.root.clone(),
        output: args.output.clone(),
        base_url: args.base_url.clone(),
        drafts: args.drafts,
        now: args.now.clone(),
        source_date_epoch: std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .filter(|s| !s.is_empty()),
        members_passphrase: None,
    }
}

fn members_passphrase(root: &Path) -> Option<String> {
    let config = crate::config::load(root, None).ok()?;
    let var = config.members?.passphrase_env;
    std::env::var(var).ok().filter(|s| !s.is_empty())
}

fn cmd_build(args: BuildArgs) -> i32 {
    let start = Instant::now();
    let tty = std::io::stderr().is_terminal();
    let mut opts = build_options(&args);
    opts.members_passphrase = members_passphrase(&args.root);
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| args.root.join("public"));
    if let Err(e) = crate::write::check_output_dir(&args.root, &output) {
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
    let staging = match crate::write::Staging::new(&args.root, &output) {
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
    let lock = calendar::Lock::after(&site, &built.calendar_entries);
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

fn cmd_roster_import(root: &Path, file: &Path) -> i32 {
    let config = match crate::config::load(root, None) {
        Ok(c) => c,
        Err(d) => return report_failure(&d),
    };
    match crate::input::roster::import_csv(root, file, &config) {
        Ok(s) => {
            eprintln!(
                "Imported {} into data/roster.yaml: {} added, {} updated, {} unchanged.",
                file.display(),
                s.added,
                s.updated,
                s.unchanged
            );
            0
        }
        Err(d) => report_failure(&d),
    }
}

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

fn cmd_check(root: PathBuf, now: Option<String>) -> i32 {
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
        let lock = calendar::Lock::after(&site, &b.calendar_entries);
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

/// `enishi serve`: in-memory builds, incremental after the first one (see
/// [`crate::pipeline::incremental`]), with `base_url` =
/// the address actually bound, so every link stays on the dev server.
fn cmd_serve(args: ServeArgs) -> i32 {
    let serve_opts = crate::serve::ServeOptions {
        root: args.root.clone(),
        bind: args.bind,
        port: args.port,
    };
    let mut opts = build_options(&BuildArgs {
        root: args.root.clone(),
        output: None,
        base_url: None,
        drafts: args.drafts,
        now: args.now,
        timings: false,
        locked: false,
    });
    let root = args.root;
    // Kept between rebuilds: unchanged documents, Markdown and pages are reused.
    let mut state = crate::pipeline::incremental::Incremental::new();
    // Per-phase times of every rebuild, for measuring (`tests/bench_serve.py`).
    let show_timings = std::env::var_os("ENISHI_SERVE_TIMINGS").is_some_and(|v| !v.is_empty());
    crate::serve::serve(serve_opts, move |changes| {
        opts.base_url = Some(changes.base_url.clone());
        // Re-read each time: site.yaml may have changed the variable's name.
        opts.members_passphrase = members_passphrase(&root);
        let mut timings = crate::pipeline::Timings::default();
        let start = Instant::now();
        state.note_changes(&root, &changes.paths);
        let (built, search) = state.build_deferred(&opts, &mut timings);
        if show_timings {
            eprintln!(
                "  {timings}; total {} ms; {:?}",
                start.elapsed().as_millis(),
                state.work()
            );
        }
        let built = built?;
        print_diags(&built.warnings);
        Ok(crate::serve::Rebuilt {
            tree: built.tree,
            later: search.map(|job| crate::serve::Later {
                run: Box::new(move || job.run()),
                replaces: crate::pipeline::incremental::is_search_index_file,
            }),
        })
    })
}

pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match cli.command {
        Command::Init { dir } => {
            crate::commands::scaffold::init(&dir.unwrap_or_else(|| PathBuf::from(".")))
        }
        Command::New {
            kind,
            title,
            slug,
            lang: Some(lang),
            root,
        } => {
            crate::commands::scaffold::new_translation(&root, &kind, &title, slug.as_deref(), &lang)
        }
        Command::New {
            kind,
            title,
            slug,
            lang: None,
            root,
        } => crate::commands::scaffold::new_content(&root, &kind, &title, slug.as_deref()),
        Command::Build(args) => cmd_build(args),
        Command::Serve(args) => cmd_serve(args),
        Command::Check { root, now } => cmd_check(root, now),
        Command::Roster(RosterCommand::Import { file, root }) => cmd_roster_import(&root, &file),
        Command::Digest(args) => digest::run(&args),
    }
}
