//! Command-line interface. Thin: parses arguments, calls the library, prints
//! diagnostics and the summary, and maps outcomes to exit codes
//! (0 ok, 1 content/config errors, 2 usage errors).
//!
//! One file a command: `build`, `check`, `serve`, `roster` (import),
//! `digest`, `scaffold` (`init`, `new`); `stats` prints `check`'s tables and
//! `report` the shared diagnostics and sizes. This file holds the argument
//! types and the dispatch.
//!
//! Imports any layer; nothing imports it but the binary.

mod build;
mod calendar;
mod check;
pub mod digest;
pub mod report;
mod roster;
pub mod scaffold;
mod serve;
pub mod stats;

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

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
        after_help = "Example:\n  enishi roster import hr-export.csv --root example-site\n\nThe header row names the fields (id, name, name_en, reading, joined, left, department,\nnow_company, now_role, location, skills, email, message, links_<name>, consent_given,\nconsent_version, consent_public, consent_members, consent_stats, consent_withdrawn;\nlists separated by `;`). Empty cells keep the existing value, consent too; `-` in a\nconsent cell means no field at that level. Widening consent (a field added to a level,\nor a newer consent_version) needs in the same row a consent_given later than the stored\none and not after --now, and the current consent_version; narrowing needs nothing.\nNothing is written if any row is invalid. Consent changes are listed by person and field."
    )]
    Import {
        /// The CSV file
        file: PathBuf,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// "Today": a `consent_given` after it is an error (see `build --now`)
        #[arg(long)]
        now: Option<String>,
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

/// The members passphrase from the variable `site.yaml` names, if set.
pub(super) fn members_passphrase(root: &Path) -> Option<String> {
    let config = crate::config::load(root, None).ok()?;
    let var = config.members?.passphrase_env;
    std::env::var(var).ok().filter(|s| !s.is_empty())
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
        Command::Build(args) => build::cmd_build(args),
        Command::Serve(args) => serve::cmd_serve(args),
        Command::Check { root, now } => check::cmd_check(root, now),
        Command::Roster(RosterCommand::Import { file, root, now }) => {
            roster::cmd_roster_import(&root, &file, now)
        }
        Command::Digest(args) => digest::run(&args),
    }
}
