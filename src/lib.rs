//! enishi: a static site generator for company alumni portals.
//!
//! Data flows one way:
//! `config` -> `content` (load + validate) -> `site` (model: sections, tags,
//! roster view) -> `render` (markdown, templates) -> outputs (`feeds`,
//! `calendar`, `search`, `sitemap`, …) -> `write` (atomic).
pub mod build;
pub mod calendar;
pub mod cli;
pub mod config;
pub mod content;
pub mod diag;
pub mod digest;
pub mod directory;
pub mod feeds;
pub mod html;
pub mod incremental;
pub mod jsonld;
pub mod markdown;
pub mod members;
pub mod model;
pub mod output;
pub mod render;
pub mod roster;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod theme;
pub mod util;
pub mod write;
pub(crate) mod yaml_plain;
