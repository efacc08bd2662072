//! Every file a build writes besides the theme's HTML pages' rendering:
//! feeds and the sitemap ([`feeds`]), calendars ([`calendar`]), structured
//! data ([`jsonld`]), the alumni directory and the encrypted members area
//! ([`directory`], [`members`]), and the search index ([`search`]).
//! Each output is a pure function from the site model (and "now") to files.
//!
//! Add an output here (one file); the pipeline runs it.
//! Imports `core`, `config`, `model`, `input` (the consent-filtered roster
//! view), `markdown`, `site` and `render`; never `pipeline`, `serve` or the CLI.
pub mod calendar;
pub mod directory;
pub mod feeds;
pub mod jsonld;
pub mod members;
pub mod search;
