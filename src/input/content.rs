//! Content loading: read `content/<kind>/*.md`, split front matter from the
//! Markdown body, parse the front matter into typed structs and validate it.
//!
//! Front matter is YAML between `---` lines. Unknown keys are errors with a
//! suggestion; every diagnostic carries the line of the whole file (not of the
//! front matter block). Markdown is rendered later (see [`crate::markdown`]),
//! once every page's URL is known, so that links between files resolve.

use std::path::{Path, PathBuf};

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::Zoned;
use serde::Deserialize;

use crate::core::diag::line_of_key;
use crate::core::diag::{from_yaml_error, Diagnostic};
use crate::core::fs::Jail;
use crate::core::lang::Language;
use crate::core::limits;
use crate::core::text::slugify;
use crate::input::roster::RawNow;
use crate::model::schema;
use crate::model::*;

mod plain;

/// A YAML scalar accepted where text is expected (`joined: 2012`, `tags: [2026]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
}

impl Scalar {
    pub fn into_string(self) -> String {
        match self {
            Scalar::Str(s) => s,
            Scalar::Int(i) => i.to_string(),
            Scalar::Float(f) => f.to_string(),
            Scalar::Bool(b) => b.to_string(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPerson {
    name: String,
    name_en: Option<String>,
    reading: Option<String>,
    joined: Option<Scalar>,
    left: Option<Scalar>,
    then: Option<String>,
    department: Option<String>,
    now: Option<RawNow>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSalary {
    min: Option<f64>,
    max: Option<f64>,
    currency: Option<String>,
    unit: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawVenue {
    name: Option<String>,
    address: Option<String>,
}

/// Every key any kind accepts; kind-specific keys are checked after parsing.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFrontMatter {
    title: String,
    date: Option<Scalar>,
    slug: Option<Scalar>,
    summary: Option<String>,
    tags: Option<Vec<Scalar>>,
    draft: Option<bool>,
    image: Option<String>,
    image_alt: Option<String>,
    image_focus: Option<String>,
    aliases: Option<Vec<String>>,
    // interview
    person: Option<RawPerson>,
    roster_id: Option<String>,
    quote: Option<String>,
    // job and event
    kind: Option<String>,
    // job
    department: Option<String>,
    location: Option<String>,
    remote: Option<String>,
    employment: Option<String>,
    salary: Option<RawSalary>,
    apply: Option<String>,
    closes: Option<Scalar>,
    // event
    start: Option<Scalar>,
    end: Option<Scalar>,
    venue: Option<RawVenue>,
    online: Option<String>,
    register: Option<String>,
    capacity: Option<u32>,
    status: Option<String>,
    sequence: Option<u32>,
}

/// A content file after front matter parsing, before Markdown rendering.
#[derive(Debug, Clone)]
pub struct Document {
    pub kind: Kind,
    /// Relative to the site root.
    pub source: PathBuf,
    pub slug: String,
    pub path: String,
    pub title: String,
    pub date: Option<Zoned>,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub draft: bool,
    pub image: Option<String>,
    pub image_alt: Option<String>,
    pub image_focus: ImageFocus,
    /// Line of `image:` (or 1): where a missing image is reported.
    pub image_line: usize,
    pub aliases: Vec<String>,
    pub meta: KindMeta,
    /// Shared: `serve` keeps parsed documents between rebuilds.
    pub body: std::sync::Arc<str>,
    /// 1-based line of the file where `body` starts.
    pub body_line: usize,
    /// Line of `slug:` (or 1): where URL clashes are reported.
    pub slug_line: usize,
    /// Line of `aliases:` (or 1).
    pub aliases_line: usize,
    /// A translation (`name.<code>.md`): its language; None for a page of
    /// the main language.
    pub lang: Option<Language>,
    /// A translation's original (`name.md` beside it), relative to the root.
    pub original: Option<PathBuf>,
    /// A translation's lines of the keys it must not change (`closes`,
    /// `start`, `end`, `status`), where it sets them.
    pub pinned_lines: Vec<(&'static str, usize)>,
}

impl Document {
    /// The site path: `path`, under `/<code>` for a translation.
    pub fn url(&self) -> String {
        match self.lang {
            Some(l) => format!("/{}{}", l.code(), self.path),
            None => self.path.clone(),
        }
    }
    pub fn job_meta(&self) -> Option<&JobMeta> {
        match &self.meta {
            KindMeta::Job(j) => Some(j),
            _ => None,
        }
    }
    pub fn event_meta(&self) -> Option<&EventMeta> {
        match &self.meta {
            KindMeta::Event(e) => Some(e),
            _ => None,
        }
    }
    pub fn interview_roster_id(&self) -> Option<&str> {
        match &self.meta {
            KindMeta::Interview(i) => i.roster_id.as_deref(),
            _ => None,
        }
    }
}

/// Find the content files, sorted by path for determinism. Files are found
/// through [`Jail::walk`]: links out of the site, FIFOs and devices are
/// warnings, never read.
pub fn discover(root: &Path) -> (Vec<(Kind, PathBuf)>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let walk = Jail::site(root).walk(Path::new("content"));
    let mut diags = walk.diags;
    // The kind directories: `content/<kind>/`.
    let top = |rel: &Path| rel.components().nth(1).map(|c| c.as_os_str().to_owned());
    for d in walk.dirs.iter().filter(|d| d.components().count() == 2) {
        if let Some(name) = top(d) {
            if Kind::from_dir(&name.to_string_lossy()).is_none() {
                diags.push(unknown_dir(&name.to_string_lossy()));
            }
        }
    }
    for f in walk.files {
        if f.rel.extension().is_none_or(|x| x != "md") {
            continue;
        }
        if f.rel.components().count() == 2 {
            diags.push(Diagnostic::error(
                &f.rel,
                "content files go into a kind directory: content/interviews, news, jobs, events or pages",
            ));
        } else if let Some(kind) = top(&f.rel).and_then(|n| Kind::from_dir(&n.to_string_lossy())) {
            files.push((kind, f.rel));
        }
    }
    (files, diags)
}

fn unknown_dir(name: &str) -> Diagnostic {
    let known = Kind::ALL.map(|k| k.dir());
    let hint = crate::core::diag::suggest(name, known)
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default();
    Diagnostic::warning(
        Path::new("content").join(name),
        format!(
            "unknown content directory, ignored{hint}: expected one of {}",
            known.join(", ")
        ),
    )
}

/// Split `---\nyaml\n---\nbody`. Returns (yaml, body, body_start_line).
pub fn split_front_matter(text: &str) -> Result<(&str, &str, usize), String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Err("expected front matter: the file must start with a `---` line, then YAML (title, date, …), then a closing `---` line".into());
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut pos = yaml_start;
    let mut line = 2;
    while pos < text.len() {
        let end = text[pos..]
            .find('\n')
            .map(|i| pos + i)
            .unwrap_or(text.len());
        if text[pos..end].trim_end() == "---" {
            let body_start = (end + 1).min(text.len());
            return Ok((&text[yaml_start..pos], &text[body_start..], line + 1));
        }
        pos = end + 1;
        line += 1;
    }
    Err("front matter is not closed: add a `---` line after the YAML (did you forget it?)".into())
}

/// Parse a date or date-time. Date-only values are midnight in `tz`; values
/// without an offset are local times in `tz`; values with an offset are
/// converted to `tz`. Returns (zoned, date_only).
pub fn parse_datetime(s: &str, tz: &TimeZone) -> Result<(Zoned, bool), String> {
    let s = s.trim();
    let expected = "expected a date like 2026-10-20 or a date-time like 2026-10-20T19:00:00+09:00 (or local: 2026-10-20 19:00)";
    if let Ok(d) = s.parse::<Date>() {
        if s.len() == 10 {
            return d
                .to_zoned(tz.clone())
                .map(|z| (z, true))
                .map_err(|e| format!("{e}"));
        }
    }
    if let Ok(ts) = s.parse::<jiff::Timestamp>() {
        return Ok((ts.to_zoned(tz.clone()), false));
    }
    let normalized = s.replacen(' ', "T", 1);
    if let Ok(ts) = normalized.parse::<jiff::Timestamp>() {
        return Ok((ts.to_zoned(tz.clone()), false));
    }
    if let Ok(dt) = normalized.parse::<DateTime>() {
        return dt
            .to_zoned(tz.clone())
            .map(|z| (z, false))
            .map_err(|e| format!("{e}"));
    }
    Err(format!("invalid date {s:?}: {expected}"))
}

fn is_http_url(s: &str) -> bool {
    let l = s.trim().to_ascii_lowercase();
    (l.starts_with("https://") || l.starts_with("http://"))
        && s.len() > 8
        && !s.contains(char::is_whitespace)
}

fn is_mailto(s: &str) -> bool {
    let l = s.trim().to_ascii_lowercase();
    l.starts_with("mailto:") && s.contains('@')
}

/// Normalise an alias to `/a/b/`.
fn normalize_alias(a: &str) -> Option<String> {
    let a = a.trim();
    if a.is_empty() || a.contains("://") || a.contains(['?', '#', '\\']) {
        return None;
    }
    let segs: Vec<&str> = a.split('/').filter(|s| !s.is_empty()).collect();
    if segs.is_empty() || segs.iter().any(|s| *s == "." || *s == "..") {
        return None;
    }
    let segs: Vec<&str> = segs.into_iter().filter(|s| *s != "index.html").collect();
    Some(format!("/{}/", segs.join("/")))
}

/// A translation's language and original: `tanaka.en.md` with `en` among
/// `langs` translates `tanaka.md` beside it.
pub fn translation_of(rel: &Path, langs: &[Language]) -> Option<(Language, PathBuf)> {
    let stem = rel.file_stem()?.to_str()?;
    let (base, code) = stem.rsplit_once('.')?;
    let lang = langs.iter().copied().find(|l| l.code() == code)?;
    if base.is_empty() {
        return None;
    }
    Some((lang, rel.with_file_name(format!("{base}.md"))))
}

/// The front matter a translation inherits from its original: every
/// top-level key of `original` (its YAML between the `---` lines) that
/// `own` does not set, as YAML text to append to `own`. `aliases` is not
/// inherited (the original's old paths redirect to the original).
pub fn inherited_front_matter(own: &str, original: &str) -> String {
    let top_key = |line: &str| -> Option<String> {
        if line.starts_with([' ', '\t', '#', '-']) {
            return None;
        }
        let (k, _) = line.split_once(':')?;
        let k = k.trim().trim_matches(['"', '\'']);
        (!k.is_empty()).then(|| k.to_string())
    };
    let own_keys: std::collections::HashSet<String> = own.lines().filter_map(top_key).collect();
    let mut out = String::new();
    let mut keep = false;
    for line in original.lines() {
        if let Some(k) = top_key(line) {
            keep = k != "aliases" && !own_keys.contains(&k);
        }
        if keep {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// What a translation is parsed with: its language, and the front matter
/// it inherits (see [`inherited_front_matter`]).
#[derive(Debug, Clone, Copy)]
pub struct Translation<'a> {
    pub lang: Language,
    pub original: &'a Path,
    pub inherited: &'a str,
}

/// Load one content file. `text` is the file's contents.
pub fn parse_document(
    kind: Kind,
    source: &Path,
    text: &str,
    tz: &TimeZone,
) -> Result<Document, Vec<Diagnostic>> {
    let (mut doc, body_start) = parse_head(kind, source, text, tz, None)?;
    doc.body = text[body_start..].into();
    Ok(doc)
}

/// [`parse_document`] that keeps the file's text as the body (without its
/// front matter) instead of copying the body.
pub fn parse_document_owned(
    kind: Kind,
    source: &Path,
    text: String,
    tz: &TimeZone,
    translation: Option<Translation>,
) -> Result<Document, Vec<Diagnostic>> {
    let (mut doc, body_start) = parse_head(kind, source, &text, tz, translation)?;
    let mut text = text;
    text.drain(..body_start);
    doc.body = text.into();
    Ok(doc)
}

/// A document with an empty body, and where its body starts in `text`.
fn parse_head(
    kind: Kind,
    source: &Path,
    text: &str,
    tz: &TimeZone,
    translation: Option<Translation>,
) -> Result<(Document, usize), Vec<Diagnostic>> {
    let err = |msg: String| Diagnostic::error(source, msg);
    let (yaml, body, body_line) = split_front_matter(text).map_err(|m| vec![err(m).at(1, 1)])?;
    // A translation is read with what it inherits after its own keys, so
    // that the lines of its own keys stay its file's lines.
    let own_yaml = yaml;
    let merged;
    let yaml = match translation {
        Some(t) if !t.inherited.is_empty() => {
            merged = format!(
                "{yaml}{}{}",
                if yaml.ends_with('\n') { "" } else { "\n" },
                t.inherited
            );
            merged.as_str()
        }
        _ => yaml,
    };
    if yaml.trim().is_empty() {
        return Err(vec![err(
            "front matter is empty: expected at least `title:`".into(),
        )
        .at(2, 1)]);
    }
    if yaml.len() > limits::MAX_FRONT_MATTER {
        return Err(vec![err(format!(
            "front matter is larger than {}, the limit: keep long texts in the Markdown body, below the closing `---`",
            limits::size(limits::MAX_FRONT_MATTER as u64)
        ))
        .at(2, 1)]);
    }
    let raw: RawFrontMatter = match plain::front_matter(yaml) {
        Some(raw) => raw,
        None => {
            limits::yaml_limits(source, yaml, 1, None).map_err(|d| vec![d])?;
            serde_yaml_ng::from_str(yaml).map_err(|e| vec![from_yaml_error(source, &e, 1)])?
        }
    };
    let mut errors = Vec::new();
    let line = |key: &str| line_of_key(own_yaml, key).map(|l| l + 1);
    let at = |msg: String, key: &str| err(msg).at_line(line(key));

    // Keys that belong to another kind (the kinds come from the schema).
    let present = [
        (raw.person.is_some(), "person"),
        (raw.roster_id.is_some(), "roster_id"),
        (raw.quote.is_some(), "quote"),
        (raw.kind.is_some(), "kind"),
        (raw.department.is_some(), "department"),
        (raw.location.is_some(), "location"),
        (raw.remote.is_some(), "remote"),
        (raw.employment.is_some(), "employment"),
        (raw.salary.is_some(), "salary"),
        (raw.apply.is_some(), "apply"),
        (raw.closes.is_some(), "closes"),
        (raw.start.is_some(), "start"),
        (raw.end.is_some(), "end"),
        (raw.venue.is_some(), "venue"),
        (raw.online.is_some(), "online"),
        (raw.register.is_some(), "register"),
        (raw.capacity.is_some(), "capacity"),
        (raw.status.is_some(), "status"),
        (raw.sequence.is_some(), "sequence"),
    ];
    for (is_present, key) in present {
        let allowed = schema::kinds_of(key);
        if is_present && !allowed.contains(&kind) {
            let dirs: Vec<&str> = allowed.iter().map(|k| k.dir()).collect();
            errors.push(at(
                format!(
                    "`{key}` is not valid for {} (it belongs to content/{})",
                    kind.dir(),
                    dirs.join(", content/")
                ),
                key,
            ));
        }
    }

    let title = raw.title.trim().to_string();
    if title.is_empty() {
        errors.push(at("`title` must not be empty".into(), "title"));
    }
    let date = match raw.date.clone().map(Scalar::into_string) {
        Some(s) => match parse_datetime(&s, tz) {
            Ok((z, _)) => Some(z),
            Err(m) => {
                errors.push(at(format!("`date`: {m}"), "date"));
                None
            }
        },
        None => {
            if kind.needs_date() {
                errors.push(
                    err(format!(
                        "missing `date`: {} need a publication date such as `date: 2026-10-20`",
                        kind.dir()
                    ))
                    .at(1, 1),
                );
            }
            None
        }
    };
    let mut stem = source
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    if let Some(t) = translation {
        // `tanaka.en` is `tanaka` in English.
        if let Some(base) = stem.strip_suffix(&format!(".{}", t.lang.code())) {
            stem = base.to_string();
        }
    }
    let slug = match raw.slug.clone().map(Scalar::into_string) {
        Some(s) => {
            let sl = slugify(&s);
            if sl.is_empty() {
                errors.push(at(format!("`slug` {s:?} has no letters or digits"), "slug"));
            }
            sl
        }
        None => {
            let sl = slugify(&stem);
            if sl.is_empty() {
                errors.push(err(format!("cannot make a URL slug from the file name {stem:?}: rename the file or set `slug:`")).at(1, 1));
            }
            sl
        }
    };
    let path = match kind {
        Kind::Page => format!("/{slug}/"),
        k => format!("/{}/{slug}/", k.dir()),
    };
    for (key, n) in [
        ("tags", raw.tags.as_ref().map_or(0, Vec::len)),
        ("aliases", raw.aliases.as_ref().map_or(0, Vec::len)),
    ] {
        if n > limits::MAX_PAGE_LIST {
            return Err(vec![limits::list_too_long(
                source,
                line(key),
                key,
                n,
                limits::MAX_PAGE_LIST,
            )]);
        }
    }
    // Lines looked up once: a lookup reads the front matter.
    let (tags_line, aliases_line) = (line("tags"), line("aliases"));
    let mut tags: Vec<String> = Vec::new();
    let mut seen_tags = std::collections::HashSet::new();
    for t in raw.tags.clone().unwrap_or_default() {
        let t = t.into_string().trim().to_string();
        if t.is_empty() || slugify(&t).is_empty() {
            errors.push(err(format!("tag {t:?} has no letters or digits")).at_line(tags_line));
        } else if seen_tags.insert(t.clone()) {
            tags.push(t);
        }
    }
    let mut aliases = Vec::new();
    for a in raw.aliases.clone().unwrap_or_default() {
        match normalize_alias(&a) {
            Some(n) => aliases.push(n),
            None => errors.push(
                err(format!(
                    "alias {a:?} must be a site path such as /interviews/old-slug/"
                ))
                .at_line(aliases_line),
            ),
        }
    }
    if let Some(img) = &raw.image {
        if img.trim().is_empty()
            || img
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("javascript:")
        {
            errors.push(at(
                format!(
                    "`image` {img:?} must be a path such as /images/photo.jpg or an http(s) URL"
                ),
                "image",
            ));
        }
    }
    let image_focus = match raw
        .image_focus
        .as_deref()
        .map(|f| (f, ImageFocus::parse(f)))
    {
        None => ImageFocus::default(),
        Some((_, Some(f))) => f,
        Some((f, None)) => {
            errors.push(at(
                format!(
                    "`image_focus` {f:?} must be one of {} (the part of the photo the 1200x630 share image keeps)",
                    ImageFocus::NAMES.join(", ")
                ),
                "image_focus",
            ));
            ImageFocus::default()
        }
    };

    let meta = match kind {
        Kind::Interview => {
            let person = raw.person.clone().map(|p| Person {
                name: p.name,
                name_en: p.name_en,
                reading: p.reading,
                joined: p.joined.map(Scalar::into_string),
                left: p.left.map(Scalar::into_string),
                then: p.then,
                department: p.department,
                now_company: p.now.as_ref().and_then(|n| n.company.clone()),
                now_role: p.now.as_ref().and_then(|n| n.role.clone()),
            });
            KindMeta::Interview(InterviewMeta {
                person,
                roster_id: raw.roster_id.clone(),
                quote: raw
                    .quote
                    .as_deref()
                    .map(crate::core::text::collapse_ws)
                    .filter(|q| !q.is_empty()),
            })
        }
        Kind::News => KindMeta::News,
        Kind::Page => KindMeta::Page,
        Kind::Job => match parse_job(&raw, tz, &at) {
            Ok(j) => KindMeta::Job(j),
            Err(mut e) => {
                errors.append(&mut e);
                KindMeta::News
            }
        },
        Kind::Event => match parse_event(&raw, tz, &at) {
            Ok(ev) => KindMeta::Event(Box::new(ev)),
            Err(mut e) => {
                errors.append(&mut e);
                KindMeta::News
            }
        },
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let doc = Document {
        kind,
        source: source.to_path_buf(),
        slug,
        path,
        title,
        date,
        summary: raw
            .summary
            .map(|s| crate::core::text::collapse_ws(&s))
            .filter(|s| !s.is_empty()),
        tags,
        draft: raw.draft.unwrap_or(false),
        image: raw.image.map(|s| s.trim().to_string()),
        image_alt: raw
            .image_alt
            .map(|s| crate::core::text::collapse_ws(&s))
            .filter(|s| !s.is_empty()),
        image_focus,
        image_line: line("image").unwrap_or(1),
        aliases,
        meta,
        body: Default::default(),
        body_line,
        slug_line: line("slug").unwrap_or(1),
        aliases_line: aliases_line.unwrap_or(1),
        lang: translation.map(|t| t.lang),
        original: translation.map(|t| t.original.to_path_buf()),
        pinned_lines: match translation {
            Some(_) => ["closes", "start", "end", "status"]
                .into_iter()
                .filter_map(|k| line(k).map(|l| (k, l)))
                .collect(),
            None => Vec::new(),
        },
    };
    // `body` is the end of `text`.
    Ok((doc, text.len() - body.len()))
}

fn parse_job(
    raw: &RawFrontMatter,
    tz: &TimeZone,
    at: &dyn Fn(String, &str) -> Diagnostic,
) -> Result<JobMeta, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let kinds = JobKind::ALL.map(|k| k.as_str()).join(", ");
    let kind = match raw.kind.as_deref() {
        Some(k) => JobKind::parse(k).unwrap_or_else(|| {
            errors.push(at(
                format!("job `kind` {k:?} is not one of {kinds}"),
                "kind",
            ));
            JobKind::FullTime
        }),
        None => {
            errors.push(at(
                format!("missing `kind` for a job: one of {kinds}"),
                "title",
            ));
            JobKind::FullTime
        }
    };
    let remote = raw.remote.as_deref().and_then(|r| {
        let v = Remote::parse(r);
        if v.is_none() {
            errors.push(at(
                format!(
                    "`remote` {r:?} is not one of {}",
                    Remote::ALL.map(|v| v.as_str()).join(", ")
                ),
                "remote",
            ));
        }
        v
    });
    if let Some(e) = &raw.employment {
        if !EMPLOYMENT_TYPES.contains(&e.as_str()) {
            let hint = crate::core::diag::suggest(&e.to_ascii_uppercase(), EMPLOYMENT_TYPES)
                .map(|s| format!(" (did you mean {s}?)"))
                .unwrap_or_default();
            errors.push(at(
                format!(
                    "`employment` {e:?} is not a schema.org employmentType{hint}: one of {}",
                    EMPLOYMENT_TYPES.join(", ")
                ),
                "employment",
            ));
        }
    }
    let salary = raw.salary.as_ref().map(|s| {
        let unit = s
            .unit
            .clone()
            .unwrap_or_else(|| "YEAR".into())
            .to_ascii_uppercase();
        if !SALARY_UNITS.contains(&unit.as_str()) {
            errors.push(at(
                format!(
                    "`salary.unit` {unit:?} is not one of {}",
                    SALARY_UNITS.join(", ")
                ),
                "unit",
            ));
        }
        let currency = s
            .currency
            .clone()
            .unwrap_or_else(|| "JPY".into())
            .to_ascii_uppercase();
        if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_alphabetic()) {
            errors.push(at(
                format!("`salary.currency` {currency:?} is not an ISO 4217 code such as JPY"),
                "currency",
            ));
        }
        if s.min.is_none() && s.max.is_none() {
            errors.push(at("`salary` needs `min` and/or `max`".into(), "salary"));
        }
        if let (Some(a), Some(b)) = (s.min, s.max) {
            if a > b {
                errors.push(at(
                    format!("`salary.min` ({a}) is larger than `salary.max` ({b})"),
                    "salary",
                ));
            }
        }
        Salary {
            min: s.min,
            max: s.max,
            currency,
            unit,
        }
    });
    if let Some(a) = &raw.apply {
        if !is_http_url(a) && !is_mailto(a) {
            errors.push(at(
                format!("`apply` {a:?} must be an http(s) URL or a mailto: address"),
                "apply",
            ));
        }
    }
    let closes =
        raw.closes
            .clone()
            .map(Scalar::into_string)
            .and_then(|s| match parse_datetime(&s, tz) {
                Ok((z, _)) => Some(z.date()),
                Err(m) => {
                    errors.push(at(format!("`closes`: {m}"), "closes"));
                    None
                }
            });
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(JobMeta {
        kind,
        department: raw.department.clone(),
        location: raw.location.clone(),
        remote,
        employment: raw.employment.clone(),
        salary,
        apply: raw.apply.clone(),
        closes,
        closed: false,
        closes_in_days: None,
    })
}

fn parse_event(
    raw: &RawFrontMatter,
    tz: &TimeZone,
    at: &dyn Fn(String, &str) -> Diagnostic,
) -> Result<EventMeta, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let kinds = EventKind::ALL.map(|k| k.as_str()).join(", ");
    let kind = match raw.kind.as_deref() {
        Some(k) => EventKind::parse(k).unwrap_or_else(|| {
            errors.push(at(
                format!("event `kind` {k:?} is not one of {kinds}"),
                "kind",
            ));
            EventKind::Other
        }),
        None => EventKind::Other,
    };
    let start = match raw.start.clone().map(Scalar::into_string) {
        Some(s) => match parse_datetime(&s, tz) {
            Ok(v) => Some(v),
            Err(m) => {
                errors.push(at(format!("`start`: {m}"), "start"));
                None
            }
        },
        None => {
            errors.push(at(
                "missing `start` for an event: e.g. `start: 2026-12-12T18:30:00+09:00`".into(),
                "title",
            ));
            None
        }
    };
    let end = raw
        .end
        .clone()
        .map(Scalar::into_string)
        .and_then(|s| match parse_datetime(&s, tz) {
            Ok(v) => Some(v),
            Err(m) => {
                errors.push(at(format!("`end`: {m}"), "end"));
                None
            }
        });
    if let (Some((s, _)), Some((e, _))) = (&start, &end) {
        if e < s {
            errors.push(at(
                format!(
                    "`end` ({}) is before `start` ({}): an event cannot end before it starts",
                    crate::core::lang::rfc3339(e),
                    crate::core::lang::rfc3339(s)
                ),
                "end",
            ));
        }
    }
    let status = match raw.status.as_deref() {
        Some(s) => EventStatus::parse(s).unwrap_or_else(|| {
            errors.push(at(
                format!(
                    "`status` {s:?} is not one of {}",
                    EventStatus::ALL.map(|v| v.as_str()).join(", ")
                ),
                "status",
            ));
            EventStatus::Scheduled
        }),
        None => EventStatus::Scheduled,
    };
    for (v, key) in [(&raw.online, "online"), (&raw.register, "register")] {
        if let Some(u) = v {
            if !(is_http_url(u) || key == "register" && is_mailto(u)) {
                errors.push(at(format!("`{key}` {u:?} must be an http(s) URL"), key));
            }
        }
    }
    let venue = raw.venue.clone().map(|v| Venue {
        name: v.name,
        address: v.address,
    });
    if let Some(v) = &venue {
        if v.name.is_none() && v.address.is_none() {
            errors.push(at("`venue` needs `name` and/or `address`".into(), "venue"));
        }
    }
    let Some((start, start_date_only)) = start else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let all_day = start_date_only && end.as_ref().is_none_or(|(_, d)| *d);
    Ok(EventMeta {
        start,
        end: end.map(|(z, _)| z),
        all_day,
        kind,
        venue,
        online: raw.online.clone(),
        register: raw.register.clone(),
        capacity: raw.capacity,
        status,
        sequence: raw.sequence,
        past: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tz() -> TimeZone {
        TimeZone::get("Asia/Tokyo").unwrap()
    }

    #[test]
    fn splits_front_matter() {
        let (y, b, l) = split_front_matter("---\ntitle: a\n---\nbody\n").unwrap();
        assert_eq!(y, "title: a\n");
        assert_eq!(b, "body\n");
        assert_eq!(l, 4);
        assert!(split_front_matter("title: a").is_err());
        assert!(split_front_matter("---\ntitle: a\n").is_err());
        let (_, b, _) = split_front_matter("---\r\ntitle: a\r\n---\r\nbody").unwrap();
        assert_eq!(b, "body");
    }

    #[test]
    fn dates() {
        let (z, d) = parse_datetime("2026-10-20", &tz()).unwrap();
        assert!(d);
        assert_eq!(z.hour(), 0);
        let (z, _) = parse_datetime("2026-10-20T10:00:00Z", &tz()).unwrap();
        assert_eq!(z.hour(), 19);
        let (z, _) = parse_datetime("2026-10-20 19:30", &tz()).unwrap();
        assert_eq!((z.hour(), z.minute()), (19, 30));
        assert!(parse_datetime("2026-13-01", &tz()).is_err());
    }

    #[test]
    fn unknown_key_line_is_file_line() {
        let e = parse_document(
            Kind::News,
            Path::new("content/news/a.md"),
            "---\ntitle: a\ndate: 2026-01-01\ntgas: [x]\n---\n",
            &tz(),
        )
        .unwrap_err();
        assert_eq!(e[0].line, Some(4), "{}", e[0]);
        assert!(e[0].message.contains("did you mean `tags`"), "{}", e[0]);
    }

    #[test]
    fn end_before_start() {
        let e = parse_document(
            Kind::Event,
            Path::new("content/events/a.md"),
            "---\ntitle: a\ndate: 2026-01-01\nstart: 2026-02-01T10:00:00+09:00\nend: 2026-02-01T09:00:00+09:00\n---\n",
            &tz(),
        )
        .unwrap_err();
        assert!(e[0].message.contains("before `start`"), "{}", e[0]);
        assert_eq!(e[0].line, Some(5));
    }

    #[test]
    fn job_fields_only_on_jobs() {
        let e = parse_document(
            Kind::News,
            Path::new("n.md"),
            "---\ntitle: a\ndate: 2026-01-01\ncloses: 2026-02-01\n---\n",
            &tz(),
        )
        .unwrap_err();
        assert!(e[0].message.contains("content/jobs"), "{}", e[0]);
    }

    #[test]
    fn owned_parse_is_the_same() {
        for text in [
            "---\ntitle: a\ndate: 2026-01-01\n---\nbody\n",
            "\u{feff}---\r\ntitle: a\r\ndate: 2026-01-01\r\n---\r\n本文\r\n",
            "---\ntitle: a\ndate: 2026-01-01\n---",
            "---\ntitle: a\n---\nx",
        ] {
            let p = Path::new("content/news/a.md");
            let a = parse_document(Kind::News, p, text, &tz());
            let b = parse_document_owned(Kind::News, p, text.to_string(), &tz(), None);
            assert_eq!(format!("{a:?}"), format!("{b:?}"), "{text:?}");
        }
    }

    #[test]
    fn aliases_normalised() {
        assert_eq!(normalize_alias("old/slug").as_deref(), Some("/old/slug/"));
        assert_eq!(normalize_alias("/a/../b"), None);
    }
}
