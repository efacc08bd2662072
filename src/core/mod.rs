//! The bottom layer: what every later layer speaks and none of them owns.
//!
//! - [`diag`]: `Diagnostic` (file, line, column, message, suggestion), collected
//!   across all files so that a build reports every error at once; UTF-8
//!   decoding and key lines for messages;
//! - [`text`]: slugs, whitespace, truncation, HTML to plain text;
//! - [`escape`]: HTML, XML, JSON inside `<script>`, URL paths;
//! - [`fs`]: every file a build reads, resolved in safe mode (no link out of
//!   the site, no FIFOs or devices);
//! - [`abs_urls`]: the links and images of an HTML fragment made absolute
//!   (for feeds, read away from the site);
//! - [`limits`]: file sizes, YAML nesting and list lengths a build accepts;
//! - [`lang`]: the portal's languages and dates in them;
//! - [`url`]: which URLs a page may link to (`site.yaml` and content);
//! - [`output`]: the shapes outputs produce (`OutputFile`, `HtmlPage`) and
//!   where a build puts them (`Sink`, `MemSink`).
//!
//! Must not import anything of the crate outside `core`.
pub mod abs_urls;
pub mod diag;
pub mod escape;
pub mod fs;
pub mod lang;
pub mod limits;
pub mod memo;
pub mod output;
pub mod text;
pub mod url;
