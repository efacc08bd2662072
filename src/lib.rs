//! enishi: a static site generator for company alumni portals.
//!
//! Data flows one way:
//! `config` -> `content` (load + validate) -> `site` (model: sections, tags,
//! roster view) -> `render` (markdown, templates) -> outputs (`feeds`,
//! `calendar`, `search`, `sitemap`, …) -> `write` (atomic).
pub mod cli;
pub mod config;
pub mod content;
pub mod diag;
pub mod markdown;
pub mod model;
pub mod output;
pub mod site;
pub mod util;
