//! enishi: a static site generator for company alumni portals.
//!
//! The folders are the layers of one data flow; each imports only from the
//! layers before it (`tests/layers.rs` checks it):
//!
//! ```text
//! core      diagnostics, text and escaping, dates, output files and sinks
//! config    site.yaml -> Config
//! model     the typed vocabulary: kinds, front matter metadata, Page
//! input     content and roster: read + validate (plain YAML, consent, import)
//! markdown  Markdown -> HTML, headings, links
//! site      the site model: Site::load and its phases, tags, load caches
//! render    theme, template context, views (cards, lists)
//! outputs   feeds, sitemap, calendar, JSON-LD, directory + members, search
//! pipeline  one build: phases, timings, caches; serve's incremental state;
//!           writing the output directory atomically
//! serve     the dev server (in memory, live reload)
//! digest    the monthly newsletter
//! commands  the CLI
//! ```
pub mod commands;
pub mod config;
pub mod core;
pub mod digest;
pub mod input;
pub mod markdown;
pub mod model;
pub mod outputs;
pub mod pipeline;
pub mod render;
pub mod serve;
pub mod site;
