//! The bottom layer: what every later layer speaks and none of them owns.
//!
//! - [`diag`]: `Diagnostic` (file, line, column, message, suggestion), collected
//!   across all files so that a build reports every error at once;
//! - [`util`]: text (slugs, whitespace, truncation), escaping for HTML, XML,
//!   JSON in `<script>` and URL paths, dates in the site's language;
//! - [`output`]: the shapes outputs produce (`OutputFile`, `HtmlPage`) and
//!   where a build puts them (`Sink`, `MemSink`).
//!
//! Must not import anything of the crate outside `core`.
pub mod diag;
pub mod output;
pub mod util;
