//! `Site::load`: config, content and roster into one typed, validated model.
//!
//! Every error of every file is collected before giving up, so that one build
//! reports all of them. Time-dependent state (scheduled posts, closed jobs,
//! past events) is decided here from the single "now" input, so everything
//! after this is a pure function of the `Site`.

pub mod checks;
pub mod images;
pub mod memo;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use jiff::Zoned;
use rayon::prelude::*;

use crate::config::{self, Config};
use crate::core::diag::{Diagnostic, Diagnostics};
use crate::core::text::truncate_chars;
use crate::input::content::{self, Document};
use crate::markdown::{self, Links};
use crate::model::*;

/// Inputs of a build, as the CLI (or `serve`) gives them.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// `--now`: a date (start of that day in the site time zone) or an RFC 3339 date-time.
    pub now: Option<String>,
    /// `SOURCE_DATE_EPOCH` (seconds since 1970), used when `now` is not given.
    pub source_date_epoch: Option<String>,
    /// Members passphrase (read from the environment variable named in site.yaml).
    pub members_passphrase: Option<String>,
}

/// A tag and the listed pages that carry it.
#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    pub slug: String,
    /// Indices into `Site::pages`, newest first.
    pub pages: Vec<usize>,
}

/// The loaded site (`Clone` so that `serve` can patch a shared one). Pages are the published ones only, sorted newest first
/// (then by path), so every list derived from them is deterministic.
#[derive(Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub now: Zoned,
    pub drafts: bool,
    pub pages: Vec<Page>,
    /// Pages of the other languages (`languages:`), site order.
    pub translations: Vec<Page>,
    /// Which pages translate which (shared by every language's site).
    pub lang_links: std::sync::Arc<LangLinks>,
    pub tags: BTreeMap<String, Tag>,
    /// Warnings to show (the build still succeeds).
    pub warnings: Vec<Diagnostic>,
    /// Number of drafts and scheduled pages left out.
    pub hidden: usize,
    pub members_passphrase: Option<String>,
    /// The consent-filtered roster: the only roster data renderers can see.
    pub roster: std::sync::Arc<crate::input::roster::Publishable>,
    /// The images content uses, inspected (not decoded).
    pub photos: std::sync::Arc<images::Photos>,
    /// `calendar.lock` as read (every language's events).
    pub calendar_lock: std::sync::Arc<crate::input::calendar_lock::CalendarLock>,
}

/// The versions of each translated page, by site path (with the
/// language's `/<code>` prefix, without the base URL's path).
#[derive(Debug, Default)]
pub struct LangLinks {
    /// Every version of a page that has translations, the main language
    /// first, then in the order of `languages:`; under each version's path.
    pub groups: HashMap<String, std::sync::Arc<Vec<(crate::core::lang::Language, String)>>>,
}

impl LangLinks {
    fn new(config: &Config, pages: &[Page], translations: &[Page]) -> LangLinks {
        let by_source: HashMap<&Path, &Page> =
            pages.iter().map(|p| (p.source.as_path(), p)).collect();
        let mut versions: BTreeMap<&Path, Vec<(crate::core::lang::Language, String)>> =
            BTreeMap::new();
        for t in translations {
            let (Some(l), Some(o)) = (t.lang, t.original.as_deref()) else {
                continue;
            };
            let Some(original) = by_source.get(o) else {
                continue;
            };
            versions
                .entry(o)
                .or_insert_with(|| vec![(config.language, original.path.clone())])
                .push((l, format!("/{}{}", l.code(), t.path)));
        }
        let mut groups = HashMap::new();
        for (_, mut v) in versions {
            let rank = |l: &crate::core::lang::Language| {
                config.languages.iter().position(|c| c.lang == *l)
            };
            v.sort_by_key(|(l, _)| rank(l));
            let v = std::sync::Arc::new(v);
            for (_, path) in v.iter() {
                groups.insert(path.clone(), v.clone());
            }
        }
        LangLinks { groups }
    }
}

/// Paths the generator writes itself: a `pages/*.md` may not take them.
const RESERVED: [&str; 12] = [
    "interviews",
    "news",
    "jobs",
    "events",
    "tags",
    "alumni",
    "members",
    "search",
    "page",
    "js",
    "css",
    "__enishi",
];

/// What makes two tag spellings the same tag: NFKC, lower case, collapsed
/// white space (`ＲＵＳＴ`, `Rust` and `rust` are one tag).
pub fn tag_identity(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let folded: String = name.nfkc().flat_map(char::to_lowercase).collect();
    crate::core::text::collapse_ws(&folded)
}

/// The URL segment of a tag: its identity with white space as `-`,
/// characters that cannot stand in a path segment or a file name as `%XX`
/// (literally: the URL then encodes the `%`), Japanese kept. Collisions
/// between distinct tags are resolved by the caller.
pub fn tag_slug(identity: &str) -> String {
    let mut out = String::new();
    for c in identity.chars() {
        match c {
            ' ' => out.push('-'),
            '/' | '\\' | '?' | '#' | '%' | '"' | '<' | '>' | '|' | '*' | ':' | '&' | '\'' => {
                out.push_str(&format!("%{:02X}", c as u32))
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    if out.starts_with('.') {
        out.replace_range(0..1, "%2E");
    }
    if out.is_empty() {
        out.push_str("tag");
    }
    out
}

/// Resolve "now" from `--now`, then `SOURCE_DATE_EPOCH`, then the clock.
pub fn resolve_now(opts: &BuildOptions, config: &Config) -> Result<Zoned, Diagnostic> {
    let tz = config.timezone.clone();
    if let Some(n) = &opts.now {
        return content::parse_datetime(n, &tz)
            .map(|(z, _)| z)
            .map_err(|m| Diagnostic::error("--now", m));
    }
    if let Some(e) = &opts.source_date_epoch {
        let secs: i64 = e.trim().parse().map_err(|_| {
            Diagnostic::error(
                "SOURCE_DATE_EPOCH",
                format!("expected seconds since 1970-01-01, found {e:?}"),
            )
        })?;
        return jiff::Timestamp::from_second(secs)
            .map(|t| t.to_zoned(tz))
            .map_err(|err| Diagnostic::error("SOURCE_DATE_EPOCH", format!("out of range: {err}")));
    }
    Ok(jiff::Timestamp::now().to_zoned(tz))
}

/// Read and parse one content file (`rel`, relative to `root`). A
/// translation (`name.<code>.md`, see [`content::translation_of`]) is read
/// with the front matter it inherits from its original.
pub fn read_document(
    root: &Path,
    kind: Kind,
    rel: &Path,
    config: &Config,
) -> Result<Document, Vec<Diagnostic>> {
    let text = read_text(root, rel)?;
    let tz = &config.timezone;
    let Some((lang, original)) = content::translation_of(rel, &config.language_list()) else {
        return content::parse_document_owned(kind, rel, text, tz, None);
    };
    let original_text = match crate::core::fs::Jail::site(root).read(&original) {
        Ok(crate::core::fs::Read::Bytes(b)) => String::from_utf8(b).unwrap_or_default(),
        _ => {
            return Err(vec![Diagnostic::error(
                rel,
                format!(
                    "a translation without an original: {} translates {}, which does not exist (add the original, or rename this file)",
                    rel.display(),
                    original.display()
                ),
            )
            .at(1, 1)])
        }
    };
    // An original that does not parse reports its own errors.
    let inherited = match (
        content::split_front_matter(&text),
        content::split_front_matter(&original_text),
    ) {
        (Ok((own, _, _)), Ok((theirs, _, _))) => content::inherited_front_matter(own, theirs),
        _ => String::new(),
    };
    let translation = content::Translation {
        lang,
        original: &original,
        inherited: &inherited,
    };
    content::parse_document_owned(kind, rel, text, tz, Some(translation))
}

/// The text of a content file, read through the jail.
fn read_text(root: &Path, rel: &Path) -> Result<String, Vec<Diagnostic>> {
    // Through the jail again: `serve` re-reads a listed file that may have
    // become a link or a FIFO since.
    let bytes = match crate::core::fs::Jail::site(root).read(rel) {
        Ok(crate::core::fs::Read::Bytes(b)) => b,
        Ok(crate::core::fs::Read::Skipped(w)) => return Err(vec![w]),
        Ok(crate::core::fs::Read::Missing) => {
            return Err(vec![Diagnostic::error(
                rel,
                "cannot read: the file is gone",
            )])
        }
        Err(e) => return Err(vec![e]),
    };
    use crate::core::limits::{file_too_large, MAX_CONTENT_FILE};
    if bytes.len() as u64 > MAX_CONTENT_FILE {
        return Err(vec![file_too_large(
            rel,
            MAX_CONTENT_FILE,
            "split the page into several, and put large files into static/ and link to them",
        )]);
    }
    crate::core::diag::decode_utf8(rel, bytes).map_err(|d| vec![d])
}

/// A published page from its document and Markdown; what "now" decides
/// (a job closed or closing in N days, an event past) is decided here.
pub fn page_from(d: Document, r: markdown::Rendered, now: &Zoned) -> Page {
    let today = now.date();
    let summary = d
        .summary
        .clone()
        .unwrap_or_else(|| truncate_chars(&r.first_paragraph, 140));
    let mut meta = d.meta;
    match &mut meta {
        KindMeta::Job(j) => {
            if let Some(c) = j.closes {
                j.closed = c < today;
                if !j.closed {
                    j.closes_in_days = Some((c - today).get_days() as i64);
                }
            }
        }
        KindMeta::Event(e) => {
            e.past = event_end(e).is_some_and(|end| end <= *now);
        }
        _ => {}
    }
    Page {
        kind: d.kind,
        source: d.source,
        slug: d.slug,
        path: d.path,
        title: d.title,
        date: d.date,
        summary,
        tags: d.tags,
        draft: d.draft,
        image: d.image,
        image_alt: d.image_alt,
        image_focus: d.image_focus,
        share_image: None,
        aliases: d.aliases,
        content_html: r.html,
        plain_text: r.text,
        headings: r.headings,
        meta,
        lang: d.lang,
        original: d.original,
    }
}

/// A body's HTML with each image mark replaced by its `<picture>`; the
/// first is loaded eagerly when the page has no `image:` of its own.
fn body_pictures(
    config: &Config,
    photos: &images::Photos,
    d: &Document,
    r: &markdown::Rendered,
    first_eager: bool,
) -> String {
    markdown::fill_image_marks(&r.html, |i| {
        let Some(u) = r.images.get(i) else {
            return String::new();
        };
        match photos.get(&d.source, &u.dest) {
            Some(p) => {
                let loading = if i == 0 && first_eager {
                    images::Loading::Eager
                } else {
                    images::Loading::Lazy
                };
                images::picture_html(config, p, &u.alt, images::BODY_SIZES, loading, "")
            }
            None => String::new(),
        }
    })
}

/// When an event is over: its end, or the end of its last day when given
/// as dates; its start when it has no end.
pub fn event_end(e: &EventMeta) -> Option<Zoned> {
    match (&e.end, e.all_day) {
        (Some(end), true) => next_day(end),
        (Some(end), false) => Some(end.clone()),
        (None, true) => next_day(&e.start),
        (None, false) => Some(e.start.clone()),
    }
}

/// The start of the day after `z`'s, in its time zone.
fn next_day(z: &Zoned) -> Option<Zoned> {
    z.date()
        .tomorrow()
        .ok()
        .and_then(|d| d.to_zoned(z.time_zone().clone()).ok())
}

/// The first instant after `now` at which "now" can decide anything else
/// for this site: a scheduled page appears, an event ends, or the date
/// changes (jobs close by date). A site loaded at `now` is the site loaded
/// at any instant before it (`serve` reuses it). None when unknown.
fn settled_until(now: &Zoned, next_scheduled: Option<Zoned>, pages: &[Page]) -> Option<Zoned> {
    let midnight = next_day(now)?;
    let ends = pages
        .iter()
        .filter_map(|p| p.event().and_then(event_end))
        .filter(|end| end > now);
    std::iter::once(midnight)
        .chain(next_scheduled)
        .chain(ends)
        .min()
}

/// The tags of `pages` (listed pages, not free pages).
fn build_tags(pages: &[Page]) -> BTreeMap<String, Tag> {
    // Tags are one tag when equal after NFKC and case folding; keyed by
    // that identity, each then gets a URL slug no other tag has.
    // The identities of each page's tags, in parallel (NFKC is not cheap).
    let identities: Vec<Vec<String>> = pages
        .par_iter()
        .map(|p| {
            if !p.is_listed() || p.kind == Kind::Page {
                return Vec::new();
            }
            p.tags.iter().map(|t| tag_identity(t)).collect()
        })
        .collect();
    let mut by_identity: BTreeMap<String, Tag> = BTreeMap::new();
    for (i, (p, ids)) in pages.iter().zip(identities).enumerate() {
        if !p.is_listed() || p.kind == Kind::Page {
            continue;
        }
        for (t, identity) in p.tags.iter().zip(ids) {
            let entry = by_identity.entry(identity).or_insert_with(|| Tag {
                name: t.clone(),
                slug: String::new(),
                pages: Vec::new(),
            });
            if t < &entry.name {
                entry.name = t.clone();
            }
            if entry.pages.last() != Some(&i) {
                entry.pages.push(i);
            }
        }
    }
    let mut tags: BTreeMap<String, Tag> = BTreeMap::new();
    let mut used: HashSet<String> = HashSet::new();
    for (identity, mut tag) in by_identity {
        let base = tag_slug(&identity);
        let mut slug = base.clone();
        let mut n = 2;
        while !used.insert(slug.clone()) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        tag.slug = slug;
        tags.insert(identity, tag);
    }

    tags
}

/// What loading the content gives: documents read and parsed, URL claims
/// checked, drafts and scheduled pages set aside, Markdown rendered.
struct Content {
    diags: Diagnostics,
    rendered: Vec<(Document, markdown::Rendered)>,
    /// Source -> site path of every document, published or not.
    pages_by_source: HashMap<PathBuf, String>,
    hidden_sources: HashSet<PathBuf>,
    hidden: usize,
    /// The first scheduled page to appear (drafts never do).
    next_scheduled: Option<Zoned>,
}

/// The content side of [`Site::load_cached`], beside the roster.
fn read_content(
    opts: &BuildOptions,
    config: &Config,
    now: &Zoned,
    mut cache: Option<&mut crate::site::memo::LoadCache>,
    markdown: &mut std::time::Duration,
) -> Content {
    let root = &opts.root;
    let mut diags = Diagnostics::default();
    let read_parse = |kind: Kind, rel: &Path| read_document(root, kind, rel, config);
    let (files, parsed, found) = match cache {
        Some(ref mut c) => {
            let (files, found) = c.listing(root);
            let langs = config.language_list();
            let original_of =
                |rel: &Path| content::translation_of(rel, &langs).map(|(_, original)| original);
            let parsed = c.documents(root, &files, read_parse, original_of);
            (files, parsed, found)
        }
        None => {
            let (files, found) = content::discover(root);
            let parsed: Vec<Result<Document, Vec<Diagnostic>>> = files
                .par_iter()
                .map(|(kind, rel)| read_parse(*kind, rel))
                .collect();
            (files, parsed, found)
        }
    };
    drop(files);
    diags.extend(found);
    let mut docs = Vec::new();
    for p in parsed {
        match p {
            Ok(d) => docs.push(d),
            Err(e) => diags.extend(e),
        }
    }
    diags.extend(checks::translation_errors(&docs));

    // Who claims which URL (all documents, published or not, and their aliases).
    let mut claims: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut claim = |path: &str, src: &Path, line: usize, what: &str, diags: &mut Diagnostics| {
        if let Some(other) = claims.get(path) {
            if other != src {
                diags.push(Diagnostic::error(
                        src,
                        format!("{what} {path} is also claimed by {}: two files cannot share one URL (set a different `slug:`)", other.display()),
                    ).at(line, 1));
            }
        } else {
            claims.insert(path.to_string(), src.to_path_buf());
        }
    };
    for d in &docs {
        if d.kind == Kind::Page && RESERVED.contains(&d.slug.as_str()) {
            diags.push(Diagnostic::error(
                    &d.source,
                    format!("the page slug {:?} is reserved for a section of the portal: set another `slug:`", d.slug),
                ).at(d.slug_line, 1));
        }
        claim(&d.url(), &d.source, d.slug_line, "URL", &mut diags);
    }
    for d in &docs {
        for a in &d.aliases {
            claim(a, &d.source, d.aliases_line, "alias", &mut diags);
        }
    }

    // Published or not.
    let visible =
        |d: &Document| opts.drafts || (!d.draft && d.date.as_ref().is_none_or(|dt| dt <= now));
    let pages_by_source: HashMap<PathBuf, String> =
        docs.iter().map(|d| (d.source.clone(), d.url())).collect();
    let hidden_sources: HashSet<PathBuf> = docs
        .iter()
        .filter(|d| !visible(d))
        .map(|d| d.source.clone())
        .collect();
    let hidden = hidden_sources.len();
    // The first scheduled page to appear (drafts never do).
    let next_scheduled = docs
        .iter()
        .filter(|d| !d.draft && !visible(d))
        .filter_map(|d| d.date.clone())
        .min();
    docs.retain(|d| visible(d));

    // Markdown, in parallel.
    let links = Links {
        pages: &pages_by_source,
        hidden: &hidden_sources,
        config,
    };
    let render_md = |d: &Document| {
        let lang = d.lang.unwrap_or(config.language);
        markdown::render(&d.body, &d.source, d.body_line, &links, lang)
    };
    let md_start = std::time::Instant::now();
    let rendered: Vec<(Document, markdown::Rendered)> = match cache {
        Some(ref mut c) => {
            let config_fp = crate::site::memo::config_fingerprint(config);
            c.markdown(
                docs,
                &pages_by_source,
                &hidden_sources,
                config_fp,
                render_md,
            )
        }
        None => docs
            .into_par_iter()
            .map(|d| {
                let r = render_md(&d);
                (d, r)
            })
            .collect(),
    };
    *markdown += md_start.elapsed();
    Content {
        diags,
        rendered,
        pages_by_source,
        hidden_sources,
        hidden,
        next_scheduled,
    }
}

impl Site {
    /// Load and validate everything. On error, all diagnostics (errors and
    /// warnings) are returned.
    pub fn load(opts: &BuildOptions) -> Result<Site, Vec<Diagnostic>> {
        Site::load_cached(opts, None, &mut std::time::Duration::default())
    }

    /// [`Site::load`], reusing unchanged documents and their Markdown from
    /// `cache` (`serve`'s incremental rebuilds; the result is the same), and
    /// adding the time spent rendering Markdown to `markdown` (`--timings`).
    pub fn load_cached(
        opts: &BuildOptions,
        mut cache: Option<&mut crate::site::memo::LoadCache>,
        markdown: &mut std::time::Duration,
    ) -> Result<Site, Vec<Diagnostic>> {
        let root = &opts.root;
        let config = config::load(root, opts.base_url.as_deref())?;
        let now = resolve_now(opts, &config).map_err(|d| vec![d])?;

        // The roster is parsed here and immediately reduced to its
        // consent-filtered view and its ids; the full `Roster` never leaves
        // this function.
        // Consent counts from its day: the view is of today's.
        let today = now.date();
        let reduce = |loaded: Result<crate::input::roster::Roster, Vec<Diagnostic>>| match loaded {
            Ok(r) => {
                let warnings = r.warnings(today);
                let publishable = std::sync::Arc::new(r.publishable(&config, today));
                (
                    warnings,
                    publishable,
                    Some(std::sync::Arc::new(r.into_ids())),
                )
            }
            Err(e) => (e, Default::default(), None),
        };
        let (roster, content) = match cache {
            Some(ref mut c) => {
                let roster = c.roster(&config, today, || {
                    reduce(crate::input::roster::load(root, &config))
                });
                let content = read_content(opts, &config, &now, Some(&mut **c), markdown);
                (roster, content)
            }
            // The roster beside the content, from reading the files to their
            // Markdown: both are parallel inside, and the sequential parts of
            // one (reading and checking roster.yaml, its consent views; the
            // URL claims) overlap with the other's parallel work.
            None => rayon::join(
                || reduce(crate::input::roster::load(root, &config)),
                || read_content(opts, &config, &now, None, markdown),
            ),
        };
        let (roster_diags, publishable, roster_ids) = roster;
        let Content {
            mut diags,
            rendered,
            pages_by_source,
            hidden_sources,
            hidden,
            next_scheduled,
        } = content;
        diags.extend(roster_diags);
        let calendar_lock = match cache {
            Some(ref mut c) => c.calendar_lock(root),
            None => crate::input::calendar_lock::load(root).map(std::sync::Arc::new),
        };
        let calendar_lock = calendar_lock.unwrap_or_else(|e| {
            diags.extend(e);
            Default::default()
        });
        // Heading ids of the pages anchor links point to (most pages are
        // pointed to by none).
        let targets: HashSet<&Path> = rendered
            .iter()
            .flat_map(|(_, r)| r.anchor_refs.iter().map(|a| a.target.as_path()))
            .collect();
        let headings: HashMap<&Path, HashSet<&str>> = rendered
            .iter()
            .filter(|(d, _)| targets.contains(d.source.as_path()))
            .map(|(d, r)| {
                (
                    d.source.as_path(),
                    r.headings.iter().map(|h| h.id.as_str()).collect(),
                )
            })
            .collect();
        for (d, r) in &rendered {
            diags.extend(r.errors.iter().cloned());
            diags.extend(r.warnings.iter().cloned());
            diags.extend(checks::anchor_errors(&d.source, &r.anchor_refs, |t| {
                headings.get(t).map(|ids| ids.iter().copied())
            }));
        }
        drop(headings);

        // `roster_id` must name a roster entry (published or not).
        if let Some(r) = &roster_ids {
            diags.extend(
                rendered
                    .iter()
                    .filter_map(|(d, _)| checks::roster_id_error(d, r)),
            );
        }
        drop(roster_ids);

        // Images: every local `image:` and Markdown image, inspected.
        let uses: Vec<images::Use> = rendered
            .iter()
            .flat_map(|(d, r)| {
                let front = d
                    .image
                    .iter()
                    .filter(|i| !images::is_remote(i))
                    .map(|i| images::Use {
                        file: d.source.clone(),
                        line: d.image_line,
                        col: 1,
                        dest: i.clone(),
                    });
                let body = r.images.iter().map(|i| images::Use {
                    file: d.source.clone(),
                    line: i.line,
                    col: i.col,
                    dest: i.dest.clone(),
                });
                front.chain(body).collect::<Vec<_>>()
            })
            .collect();
        let (photos, image_diags) = images::collect(root, &config.images, config.base_path(), uses);
        diags.extend(image_diags);
        diags.extend(images::static_gps_warnings(root, &photos));

        if diags.has_errors() {
            return Err(diags.sorted());
        }

        let pages: Vec<Page> = rendered
            .into_par_iter()
            .map(|(d, mut r)| {
                let hero = d.image.as_deref().and_then(|i| photos.get(&d.source, i));
                if !r.images.is_empty() {
                    r.html = body_pictures(&config, &photos, &d, &r, hero.is_none()).into();
                }
                let share = hero.and_then(|p| p.share_image(d.image_focus));
                let mut page = page_from(d, r, &now);
                page.share_image = share;
                page
            })
            .collect();
        // Translations are published in their language's own site
        // (`language_sites`).
        let (translations, mut pages): (Vec<Page>, Vec<Page>) =
            pages.into_iter().partition(|p| p.lang.is_some());
        // Stable, as `sort_by`.
        pages.par_sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.path.cmp(&b.path)));

        let tags = build_tags(&pages);

        let warnings = diags.sorted();
        if let Some(c) = cache {
            let until = settled_until(&now, next_scheduled, &pages);
            c.keep_links(crate::site::memo::LinkFacts {
                now: now.clone(),
                until,
                pages: pages_by_source,
                hidden: hidden_sources,
            });
        }
        let lang_links = std::sync::Arc::new(LangLinks::new(&config, &pages, &translations));
        Ok(Site {
            root: root.clone(),
            config,
            now,
            drafts: opts.drafts,
            lang_links,
            pages,
            translations,
            tags,
            warnings,
            hidden,
            members_passphrase: opts.members_passphrase.clone(),
            roster: publishable,
            photos: std::sync::Arc::new(photos),
            calendar_lock,
        })
    }

    /// The site of each other language (`languages:`), rendered as a site
    /// of its own under `/<code>/`: its translations (and, with
    /// `fallback: true`, the untranslated pages of the main language), its
    /// strings, title and dates. Empty for a site of one language, and for
    /// a language's site itself.
    pub fn language_sites(&self) -> Vec<Site> {
        if !self.config.lang_prefix.is_empty() {
            return Vec::new();
        }
        self.config
            .languages
            .iter()
            .map(|l| {
                let mut config = self.config.clone();
                config.language = l.lang;
                config.title = l.title.clone();
                config.description = l.description.clone();
                config.lang_prefix = format!("/{}", l.code());
                // One members area and one editor: the main language's.
                config.members = None;
                config.cms = None;
                // The hero's words are the main language's: another
                // language's home keeps the key visual with its own title
                // and description.
                if let Some(h) = &mut config.hero {
                    (h.heading, h.text, h.cta) = (None, None, None);
                }
                let translated: HashSet<&Path> = self
                    .translations
                    .iter()
                    .filter(|p| p.lang == Some(l.lang))
                    .filter_map(|p| p.original.as_deref())
                    .collect();
                let mut pages: Vec<Page> = self
                    .translations
                    .iter()
                    .filter(|p| p.lang == Some(l.lang))
                    .cloned()
                    .collect();
                if l.fallback {
                    pages.extend(
                        self.pages
                            .iter()
                            .filter(|p| !translated.contains(p.source.as_path()))
                            .cloned(),
                    );
                }
                pages.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.path.cmp(&b.path)));
                let tags = build_tags(&pages);
                Site {
                    root: self.root.clone(),
                    config,
                    now: self.now.clone(),
                    drafts: self.drafts,
                    pages,
                    translations: Vec::new(),
                    lang_links: self.lang_links.clone(),
                    tags,
                    warnings: Vec::new(),
                    hidden: 0,
                    members_passphrase: None,
                    roster: self.roster.clone(),
                    photos: self.photos.clone(),
                    calendar_lock: self.calendar_lock.clone(),
                }
            })
            .collect()
    }

    /// The tag page of a tag name, if it has one (tags of closed jobs and
    /// free pages only have none).
    pub fn tag(&self, name: &str) -> Option<&Tag> {
        self.tags.get(&tag_identity(name))
    }

    /// Published pages of one kind, in site order (newest first).
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Page> {
        self.pages.iter().filter(move |p| p.kind == kind)
    }

    /// Pages that appear in lists, feeds, tags, search and the sitemap.
    pub fn listed(&self, kind: Kind) -> impl Iterator<Item = &Page> {
        self.of_kind(kind).filter(|p| p.is_listed())
    }

    /// Upcoming events (not past), soonest first.
    pub fn upcoming_events(&self) -> Vec<&Page> {
        let mut v: Vec<&Page> = self
            .of_kind(Kind::Event)
            .filter(|p| p.event().is_some_and(|e| !e.past))
            .collect();
        v.sort_by(|a, b| {
            let (ea, eb) = (a.event().map(|e| &e.start), b.event().map(|e| &e.start));
            ea.cmp(&eb).then_with(|| a.path.cmp(&b.path))
        });
        v
    }

    /// Past events, most recent first.
    pub fn past_events(&self) -> Vec<&Page> {
        let mut v: Vec<&Page> = self
            .of_kind(Kind::Event)
            .filter(|p| p.event().is_some_and(|e| e.past))
            .collect();
        v.sort_by(|a, b| {
            let (ea, eb) = (a.event().map(|e| &e.start), b.event().map(|e| &e.start));
            eb.cmp(&ea).then_with(|| a.path.cmp(&b.path))
        });
        v
    }

    /// Open jobs, closing soonest first (no closing date last), then newest.
    pub fn open_jobs(&self) -> Vec<&Page> {
        let mut v: Vec<&Page> = self.listed(Kind::Job).collect();
        v.sort_by(|a, b| {
            let ca = a.job().and_then(|j| j.closes);
            let cb = b.job().and_then(|j| j.closes);
            match (ca, cb) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }
            .then_with(|| b.date.cmp(&a.date))
            .then_with(|| a.path.cmp(&b.path))
        });
        v
    }
}
