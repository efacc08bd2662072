//! Markdown to HTML with pulldown-cmark (CommonMark + tables, footnotes,
//! strikethrough, task lists, heading attributes).
//!
//! Beyond plain rendering this module: gives headings ids that work for
//! Japanese (the heading text slugified, scripts kept), turns links to other
//! content files (`../news/foo.md#anchor`) into their page URLs and reports
//! links to missing files, collects the plain text (for search and
//! summaries), and wraps tables so that they scroll on a phone.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::config::Config;
use crate::core::diag::Diagnostic;
use crate::core::escape::encode_path;
use crate::core::lang::Language;
use crate::core::text::slugify;
use crate::model::Heading;

/// A link to an anchor of another content file, checked once every page's
/// headings are known.
#[derive(Debug, Clone)]
pub struct AnchorRef {
    pub target: PathBuf,
    pub anchor: String,
    pub line: usize,
    pub col: usize,
}

/// A Markdown image of a local file (`![alt](photo.jpg)`): the HTML holds
/// [`image_mark`]`(i)` in its place until the site layer, which knows the
/// photo's sizes, puts the `<picture>` there ([`fill_image_marks`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageUse {
    /// As written (percent-decoded).
    pub dest: String,
    pub alt: String,
    pub line: usize,
    pub col: usize,
}

/// What stands in the HTML for the `i`-th [`ImageUse`] of a body:
/// noncharacters around it, which no HTML or Markdown produces.
pub fn image_mark(i: usize) -> String {
    format!("\u{FDD0}enishi-image:{i}\u{FDD1}")
}

/// Replace every [`image_mark`] in `html` by `fill(i)`.
pub fn fill_image_marks(html: &str, mut fill: impl FnMut(usize) -> String) -> String {
    const OPEN: &str = "\u{FDD0}enishi-image:";
    let mut out = String::with_capacity(html.len() + 512);
    let mut rest = html;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + OPEN.len()..];
        match after
            .find('\u{FDD1}')
            .and_then(|end| Some((end, after[..end].parse().ok()?)))
        {
            Some((end, i)) => {
                out.push_str(&fill(i));
                rest = &after[end + '\u{FDD1}'.len_utf8()..];
            }
            None => {
                out.push_str(OPEN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// Shared: `serve` keeps it between rebuilds and hands it to the page.
    pub html: std::sync::Arc<str>,
    pub text: std::sync::Arc<str>,
    pub first_paragraph: String,
    pub headings: Vec<Heading>,
    pub anchor_refs: Vec<AnchorRef>,
    /// Local images, in order; `html` holds a mark for each.
    pub images: Vec<ImageUse>,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

/// What links resolve against.
pub struct Links<'a> {
    /// Source path (relative to root, e.g. `content/news/a.md`) -> site path.
    pub pages: &'a HashMap<PathBuf, String>,
    /// Sources of pages that exist but are not published in this build.
    pub hidden: &'a HashSet<PathBuf>,
    pub config: &'a Config,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Normalise `a/b/../c` without touching the file system.
fn normalize(p: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Normal(s) => out.push(s),
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(out)
}

fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) => {
            let scheme = &url[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.')
                && !url[..i].contains('/')
        }
        None => false,
    }
}

fn line_col(line_starts: &[usize], offset: usize) -> (usize, usize) {
    let idx = match line_starts.binary_search(&offset) {
        Ok(i) => i,
        Err(i) => i.saturating_sub(1),
    };
    (idx + 1, offset - line_starts[idx] + 1)
}

/// Render a document body. `source` is the file (relative to the root) and
/// `first_line` the line of the file where the body starts.
pub fn render(
    body: &str,
    source: &Path,
    first_line: usize,
    links: &Links<'_>,
    lang: Language,
) -> Rendered {
    let mut out = Rendered::default();
    // Plain text, collected while walking the events.
    let mut text = String::with_capacity(body.len());
    // Line starts, computed at the first link (most bodies need none).
    let mut line_starts: Vec<usize> = Vec::new();
    let mut loc = |offset: usize| {
        if line_starts.is_empty() {
            line_starts.push(0);
            line_starts.extend(body.match_indices('\n').map(|(i, _)| i + 1));
        }
        let (l, c) = line_col(&line_starts, offset);
        (l + first_line - 1, c)
    };
    let parser = Parser::new_ext(body, options()).into_offset_iter();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut used_ids: HashSet<String> = HashSet::new();
    // Heading being collected: (index of its Start event in `events`, level, text).
    let mut heading: Option<(usize, HeadingLevel, String)> = None;
    let mut para_depth = 0usize;
    let mut first_para_done = false;
    let mut first_para = String::new();
    let mut in_first_para = false;
    // A local image being read: its alt text is collected, its events
    // replaced by one mark.
    let mut image: Option<ImageUse> = None;

    for (ev, range) in parser {
        if let Some(img) = image.as_mut() {
            match &ev {
                Event::Text(t) | Event::Code(t) => {
                    img.alt.push_str(t);
                    text.push_str(t);
                }
                Event::SoftBreak | Event::HardBreak => img.alt.push(' '),
                Event::End(TagEnd::Image) => {
                    if let Some(mut img) = image.take() {
                        img.alt = crate::core::text::collapse_ws(&img.alt);
                        events.push(Event::Html(CowStr::from(image_mark(out.images.len()))));
                        out.images.push(img);
                    }
                }
                _ => {}
            }
            continue;
        }
        if let Event::Start(Tag::Image { dest_url, .. }) = &ev {
            if !dest_url.is_empty() && !dest_url.starts_with("//") && !has_scheme(dest_url) {
                let (line, col) = loc(range.start);
                let dest = percent_encoding::percent_decode_str(dest_url)
                    .decode_utf8_lossy()
                    .to_string();
                image = Some(ImageUse {
                    dest,
                    alt: String::new(),
                    line,
                    col,
                });
                continue;
            }
        }
        match &ev {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((events.len(), *level, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                push_separator(&mut text);
                if let Some((idx, level, text)) = heading.take() {
                    let text = crate::core::text::collapse_ws(&text);
                    if let Event::Start(Tag::Heading { id, .. }) = &mut events[idx] {
                        let base = match id {
                            Some(given) => given.to_string(),
                            None => {
                                let s = slugify(&text);
                                if s.is_empty() {
                                    "section".to_string()
                                } else {
                                    s
                                }
                            }
                        };
                        let mut unique = base.clone();
                        let mut n = 1;
                        while !used_ids.insert(unique.clone()) {
                            unique = format!("{base}-{n}");
                            n += 1;
                        }
                        *id = Some(CowStr::from(unique.clone()));
                        out.headings.push(Heading {
                            level: level as u8,
                            id: unique,
                            text,
                        });
                    }
                }
            }
            Event::Start(Tag::Paragraph) => {
                para_depth += 1;
                if !first_para_done && para_depth == 1 {
                    in_first_para = true;
                }
            }
            Event::End(TagEnd::Paragraph) => {
                para_depth = para_depth.saturating_sub(1);
                if in_first_para {
                    in_first_para = false;
                    first_para_done = !first_para.trim().is_empty();
                }
                text.push(' ');
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, h)) = heading.as_mut() {
                    h.push_str(t);
                }
                if in_first_para {
                    first_para.push_str(t);
                }
                text.push_str(t);
            }
            Event::SoftBreak | Event::HardBreak => {
                text.push(' ');
                if in_first_para {
                    first_para.push(' ');
                }
            }
            Event::End(TagEnd::TableCell) => push_separator(&mut text),
            Event::End(TagEnd::Item | TagEnd::BlockQuote(_) | TagEnd::CodeBlock) => text.push(' '),
            _ => {}
        }
        let ev = match ev {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let (line, col) = loc(range.start);
                let dest = resolve_link(&dest_url, source, links, line, col, &mut out);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest.map(CowStr::from).unwrap_or(dest_url),
                    title,
                    id,
                })
            }
            Event::Start(Tag::Table(a)) => {
                events.push(Event::Html(CowStr::from("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"table\">")));
                Event::Start(Tag::Table(a))
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                Event::Html(CowStr::from("</div>"))
            }
            Event::TaskListMarker(done) => {
                let label = match (lang, done) {
                    (Language::Ja, true) => "完了",
                    (Language::Ja, false) => "未完了",
                    (Language::En, true) => "done",
                    (Language::En, false) => "not done",
                };
                let checked = if done { " checked" } else { "" };
                Event::Html(CowStr::from(format!(
                    "<input type=\"checkbox\" disabled{checked} aria-label=\"{label}\"> "
                )))
            }
            other => other,
        };
        events.push(ev);
    }
    let mut html = String::with_capacity(body.len() + body.len() / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    out.html = html.into();
    let text = crate::core::text::collapse_ws(&text);
    out.text = text.strip_suffix(" /").unwrap_or(&text).into();
    out.first_paragraph = crate::core::text::collapse_ws(&first_para);
    out
}

/// Ends a heading or a table cell in the plain text (search snippets,
/// descriptions): ` / `, so that `## 募集要項` and the cells `勤務地 | 東京`
/// do not run into the next words. Not twice in a row (an empty cell).
fn push_separator(text: &mut String) {
    if !text.trim_end().ends_with(" /") && !text.trim().is_empty() {
        text.push_str(" / ");
    }
}

fn resolve_link(
    dest: &str,
    source: &Path,
    links: &Links<'_>,
    line: usize,
    col: usize,
    out: &mut Rendered,
) -> Option<String> {
    if dest.is_empty()
        || dest.starts_with('#')
        || dest.starts_with('/')
        || dest.starts_with("//")
        || has_scheme(dest)
    {
        let lower = dest.trim().to_ascii_lowercase();
        if lower.starts_with("javascript:") || lower.starts_with("vbscript:") {
            out.warnings.push(
                Diagnostic::warning(
                    source,
                    format!("script link {dest:?} in content: is this intended?"),
                )
                .at(line, col),
            );
        }
        return None;
    }
    let (path_part, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (dest, None),
    };
    let path_part = path_part.split('?').next().unwrap_or("");
    let source_dir = source.parent().unwrap_or(Path::new(""));
    let decoded = percent_encoding::percent_decode_str(path_part)
        .decode_utf8_lossy()
        .to_string();
    if !decoded.ends_with(".md") {
        return None;
    }
    let Some(target) = normalize(&source_dir.join(&decoded)) else {
        out.errors.push(
            Diagnostic::error(source, format!("link {dest:?} points outside the site"))
                .at(line, col),
        );
        return None;
    };
    match links.pages.get(&target) {
        Some(site_path) => {
            if links.hidden.contains(&target) {
                out.warnings.push(Diagnostic::warning(
                    &target,
                    format!("is linked from a published page (line {line}) but is a draft or scheduled, so the link will not work yet"),
                ));
            }
            let mut url = encode_path(&links.config.site_path(site_path));
            if let Some(a) = anchor {
                let a = percent_encoding::percent_decode_str(a)
                    .decode_utf8_lossy()
                    .to_string();
                out.anchor_refs.push(AnchorRef {
                    target: target.clone(),
                    anchor: a.clone(),
                    line,
                    col,
                });
                url.push('#');
                url.push_str(&percent_encoding::utf8_percent_encode(&a, FRAGMENT).to_string());
            }
            Some(url)
        }
        None => {
            out.errors.push(
                Diagnostic::error(
                    source,
                    format!("link to a missing file: {dest:?} (looked for {}); check the file name, or link to a URL instead", target.display()),
                )
                .at(line, col),
            );
            None
        }
    }
}

/// Characters encoded in a URL fragment.
const FRAGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`');

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> Config {
        crate::config::parse(
            "title: T\nbase_url: https://a.example\n",
            Path::new("site.yaml"),
            None,
        )
        .unwrap()
    }

    /// Render `body` as `content/news/a.md` against the given pages.
    fn render_with(
        pages: &HashMap<PathBuf, String>,
        body: &str,
        first_line: usize,
        lang: Language,
    ) -> Rendered {
        let config = cfg();
        let hidden = HashSet::new();
        let links = Links {
            pages,
            hidden: &hidden,
            config: &config,
        };
        render(
            body,
            Path::new("content/news/a.md"),
            first_line,
            &links,
            lang,
        )
    }

    #[test]
    fn japanese_heading_ids_and_links() {
        let mut pages = HashMap::new();
        pages.insert(PathBuf::from("content/pages/join.md"), "/join/".to_string());
        let r = render_with(
            &pages,
            "## 登録方法\n\n本文 [参加](../pages/join.md#登録方法) と [x](../news/nope.md)\n\n| a |\n|---|\n| b |\n",
            5,
            Language::Ja,
        );
        assert!(r.html.contains("id=\"登録方法\""), "{}", r.html);
        assert!(
            r.html
                .contains("href=\"/join/#%E7%99%BB%E9%8C%B2%E6%96%B9%E6%B3%95\""),
            "{}",
            r.html
        );
        assert_eq!(r.errors.len(), 1);
        assert_eq!(r.errors[0].line, Some(7));
        assert_eq!(r.anchor_refs[0].anchor, "登録方法");
        assert!(r.html.contains("table-wrap"));
        assert_eq!(r.first_paragraph, "本文 参加 と x");
    }

    #[test]
    fn local_images_become_marks() {
        let r = render_with(
            &HashMap::new(),
            "Text\n\n![田中 *さん*](/images/a.jpg \"t\") and ![x](https://e.example/b.png)\n",
            3,
            Language::Ja,
        );
        assert_eq!(r.images.len(), 1);
        assert_eq!(r.images[0].dest, "/images/a.jpg");
        assert_eq!(r.images[0].alt, "田中 さん");
        assert_eq!((r.images[0].line, r.images[0].col), (5, 1));
        assert!(r.html.contains(&image_mark(0)), "{}", r.html);
        assert!(r.html.contains("https://e.example/b.png"), "{}", r.html);
        let filled = fill_image_marks(&r.html, |i| format!("<img id={i}>"));
        assert!(filled.contains("<p><img id=0> and"), "{filled}");
    }

    #[test]
    fn duplicate_heading_ids() {
        let r = render_with(&HashMap::new(), "# A\n\n# A\n", 1, Language::En);
        assert_eq!(r.headings[1].id, "a-1");
    }
}
