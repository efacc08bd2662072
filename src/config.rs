//! `site.yaml`: parsed once into typed structs; unknown keys are errors with a
//! suggestion. Everything after this module works on [`Config`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::core::diag::{from_yaml_error, Diagnostic};
use crate::core::lang::Language;

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub logo: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedsConfig {
    #[serde(default = "default_feed_limit")]
    pub limit: usize,
    /// Items carry the whole body (RSS `content:encoded`, JSON Feed
    /// `content_html`) with absolute URLs; `false`: the summary only.
    #[serde(default = "default_true")]
    pub full_content: bool,
}

impl Default for FeedsConfig {
    fn default() -> Self {
        FeedsConfig {
            limit: default_feed_limit(),
            full_content: true,
        }
    }
}

fn default_true() -> bool {
    true
}

fn default_feed_limit() -> usize {
    20
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MembersConfig {
    /// Name of the environment variable holding the members passphrase.
    pub passphrase_env: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RosterConfig {
    #[serde(default = "one")]
    pub consent_version: u32,
    #[serde(default)]
    pub stats: StatsConfig,
}

impl Default for RosterConfig {
    fn default() -> Self {
        RosterConfig {
            consent_version: 1,
            stats: StatsConfig::default(),
        }
    }
}

/// `roster.stats`: how `/alumni/stats/` protects small groups.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct StatsConfig {
    /// Groups of fewer people go into "Other" (at least 2; default 5).
    #[serde(default = "five")]
    pub min_group: usize,
    /// Counts are rounded to the nearest multiple (at least 1; default 5).
    #[serde(default = "five")]
    pub round: usize,
}

impl Default for StatsConfig {
    fn default() -> Self {
        StatsConfig {
            min_group: 5,
            round: 5,
        }
    }
}

/// `images`: how photos used by content are published (SPEC "Images and
/// photos").
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
pub struct ImagesConfig {
    /// Widths in pixels to publish (each one not wider than the original).
    #[serde(default = "default_widths")]
    pub widths: Vec<u32>,
    /// JPEG and WebP quality, 1-100.
    #[serde(default = "default_quality")]
    pub quality: u8,
    /// Larger images (width x height) are refused before they are decoded.
    #[serde(default = "default_max_pixels")]
    pub max_pixels: u64,
}

impl Default for ImagesConfig {
    fn default() -> Self {
        ImagesConfig {
            widths: default_widths(),
            quality: default_quality(),
            max_pixels: default_max_pixels(),
        }
    }
}

fn default_widths() -> Vec<u32> {
    vec![480, 960, 1600]
}
fn default_quality() -> u8 {
    80
}
/// 50 megapixels: a 48 MP phone photo passes, a decompression bomb not.
fn default_max_pixels() -> u64 {
    50_000_000
}

/// The widest width `images.widths` may ask for.
pub const MAX_IMAGE_WIDTH: u32 = 8192;

/// `cms:`: the browser editor at `/admin/` (see `outputs::admin`).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CmsConfig {
    /// Where the editor saves: `local` (only `enishi serve`'s `/api/v1`),
    /// or commits to a `github` / `gitlab` repository.
    pub backend: CmsBackend,
    /// `owner/name` of the repository (github, gitlab).
    #[serde(default)]
    pub repo: Option<String>,
    #[serde(default = "default_branch")]
    pub branch: String,
    /// The OAuth provider that signs editors in (github, gitlab); Decap's
    /// default is Netlify's (`https://api.netlify.com`).
    #[serde(default)]
    pub base_url: Option<String>,
    /// Path of the provider's authorisation endpoint (default `auth`).
    #[serde(default)]
    pub auth_endpoint: Option<String>,
    /// GitLab only: the application id for sign-in without a server (PKCE).
    #[serde(default)]
    pub app_id: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum CmsBackend {
    Local,
    Github,
    Gitlab,
}

impl CmsBackend {
    pub fn as_str(self) -> &'static str {
        match self {
            CmsBackend::Local => "local",
            CmsBackend::Github => "github",
            CmsBackend::Gitlab => "gitlab",
        }
    }
}

/// `hero:` of `site.yaml`: the home page's key visual and message.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHero {
    #[serde(default)]
    image: Option<String>,
    #[serde(default)]
    heading: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    cta: Option<RawCta>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCta {
    label: String,
    url: String,
}

/// The home page's key visual and message (`hero:`), validated.
#[derive(Debug, Clone, Default)]
pub struct Hero {
    /// A file of `static/` (checked with the theme's files) or an http(s) URL.
    pub image: Option<AssetRef>,
    pub heading: Option<String>,
    pub text: Option<String>,
    /// The call to action: its label and where it leads (an http(s) URL or
    /// a path on the site such as `/join/`).
    pub cta: Option<(String, String)>,
}

/// The line of `key` inside the top-level block `block:` of `text` (its
/// first line when the key is written inline), else the block's line.
fn line_in_block(text: &str, block: &str, key: &str) -> Option<usize> {
    let start = text.lines().position(|l| {
        l.strip_prefix(block)
            .is_some_and(|r| r.trim_start().starts_with(':'))
    })?;
    let inside = text
        .lines()
        .enumerate()
        .skip(start + 1)
        .take_while(|(_, l)| l.trim().is_empty() || l.starts_with([' ', '\t', '#']))
        .find(|(_, l)| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with(':'))
        });
    Some(inside.map_or(start, |(i, _)| i) + 1)
}

/// Validates `hero:`: a non-empty heading and text when given, an image as
/// `og_image` is (a raster or SVG file), a call to action with a label and
/// a web URL or site path (`core::url`).
fn check_hero(
    raw: Option<RawHero>,
    text: &str,
    shown: &Path,
    errors: &mut Vec<Diagnostic>,
) -> Option<Hero> {
    let raw = raw?;
    let line = |key: &str| line_in_block(text, "hero", key);
    let mut err = |msg: String, key: &str| {
        errors.push(Diagnostic::error(shown, msg).at_line(line(key)));
    };
    let nonempty = |v: Option<String>| v.map(|s| s.trim().to_string());
    let (heading, body) = (nonempty(raw.heading), nonempty(raw.text));
    for (key, v) in [("heading", &heading), ("text", &body)] {
        if v.as_deref() == Some("") {
            err(
                format!("`hero.{key}` is empty: write it, or remove the line"),
                key,
            );
        }
    }
    let cta = raw.cta.and_then(|c| {
        let (label, url) = (c.label.trim().to_string(), c.url.trim().to_string());
        if label.is_empty() {
            err("`hero.cta.label` is empty: write the button's text, e.g. `label: 名簿に登録する`".into(), "label");
        }
        if !crate::core::url::is_web_url_or_root_path(&url) {
            err(
                format!("`hero.cta.url` must be an absolute http(s) URL or a path on the site such as /join/, found {url:?}"),
                "url",
            );
            return None;
        }
        (!label.is_empty()).then_some((label, url))
    });
    let image = asset_ref(
        raw.image,
        "hero.image",
        &["png", "jpg", "jpeg", "webp", "gif", "svg", "avif"],
        "/images/hero.jpg",
        line("image"),
        shown,
        errors,
    );
    Some(Hero {
        image,
        heading: heading.filter(|s| !s.is_empty()),
        text: body.filter(|s| !s.is_empty()),
        cta,
    })
}

fn default_branch() -> String {
    "main".into()
}

fn five() -> usize {
    5
}

fn one() -> u32 {
    1
}

/// The raw shape of `site.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    language: Language,
    #[serde(default = "default_tz")]
    timezone: String,
    #[serde(default)]
    organization: Organization,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default = "default_paginate")]
    paginate: usize,
    #[serde(default)]
    feeds: FeedsConfig,
    #[serde(default)]
    members: Option<MembersConfig>,
    #[serde(default)]
    roster: RosterConfig,
    #[serde(default)]
    analytics: String,
    #[serde(default)]
    images: ImagesConfig,
    #[serde(default)]
    favicon: Option<String>,
    #[serde(default)]
    og_image: Option<String>,
    #[serde(default)]
    hero: Option<RawHero>,
    cms: Option<CmsConfig>,
    #[serde(default)]
    languages: BTreeMap<String, RawLanguage>,
}

/// One entry of `languages:` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    title: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    fallback: bool,
}

/// A language besides the main one (`languages.<code>` of `site.yaml`):
/// its pages live under `/<code>/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageConfig {
    pub lang: Language,
    pub title: String,
    pub description: Option<String>,
    /// List untranslated pages in this language's lists too, marked.
    pub fallback: bool,
}

impl LanguageConfig {
    pub fn code(&self) -> &'static str {
        self.lang.code()
    }
}

fn default_tz() -> String {
    "Asia/Tokyo".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_paginate() -> usize {
    20
}

/// Validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    /// Without a trailing slash, e.g. `https://alumni.example.co.jp` or
    /// `https://example.github.io/portal`.
    pub base_url: String,
    pub description: Option<String>,
    pub language: Language,
    pub timezone_name: String,
    pub timezone: jiff::tz::TimeZone,
    pub organization: Organization,
    pub theme: String,
    pub paginate: usize,
    pub feeds: FeedsConfig,
    pub members: Option<MembersConfig>,
    pub roster: RosterConfig,
    pub analytics: String,
    /// `images`: widths, quality and the size limit of published photos.
    pub images: ImagesConfig,
    /// `favicon`: the organisation's icon instead of the theme's.
    pub favicon: Option<AssetRef>,
    /// `og_image`: the share image of pages without their own `image:`.
    pub og_image: Option<AssetRef>,
    /// `hero:`: the home page's key visual and message.
    pub hero: Option<Hero>,
    /// `cms:`: write the browser editor at `/admin/`.
    pub cms: Option<CmsConfig>,
    /// `languages:`: the other languages, by code (empty: one language).
    pub languages: Vec<LanguageConfig>,
    /// `/<code>` in the configuration of another language's pages (see
    /// `Site::language_sites`): its site paths live under it; "" otherwise.
    pub lang_prefix: String,
    /// `language`: the main language, also in another language's configuration.
    pub main_language: Language,
}

/// A file that `site.yaml` points to (`favicon`, `og_image`): a site path
/// served from `static/` (checked to exist when the theme's and the site's
/// static files are known) or an absolute http(s) URL.
#[derive(Debug, Clone)]
pub struct AssetRef {
    /// As written, trimmed: `/images/icon.svg` or `https://…`.
    pub value: String,
    /// The `site.yaml` key, for messages.
    pub key: &'static str,
    /// Its line in `site.yaml`.
    pub line: Option<usize>,
}

impl AssetRef {
    /// The file's name under `static/` (`images/icon.svg`); `None` for a URL.
    pub fn static_name(&self) -> Option<&str> {
        (!is_http_url(&self.value)).then(|| self.value.trim_start_matches('/'))
    }

    /// The lower-case file extension (`svg`), of a URL's path too.
    pub fn extension(&self) -> String {
        let path = self.value.split(['?', '#']).next().unwrap_or_default();
        let file = path.rsplit('/').next().unwrap_or_default();
        file.rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default()
    }
}

fn is_http_url(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    ["http://", "https://"].iter().any(|p| {
        l.strip_prefix(p)
            .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
    })
}

/// Validates a `site.yaml` file reference: a site path without `..` or an
/// http(s) URL, with one of the extensions `exts` (what browsers and share
/// previews accept there).
fn asset_ref(
    raw: Option<String>,
    key: &'static str,
    exts: &[&str],
    example: &str,
    line: Option<usize>,
    shown: &Path,
    errors: &mut Vec<Diagnostic>,
) -> Option<AssetRef> {
    let value = raw?.trim().to_string();
    let a = AssetRef { value, key, line };
    let v = &a.value;
    let bad_path = !v.starts_with('/')
        || v.starts_with("//")
        || v.contains('\\')
        || v.split('/').any(|seg| seg == "..")
        || v.ends_with('/');
    let problem = if v.chars().any(|c| c.is_control() || c.is_whitespace()) {
        Some("contains a space or a control character".to_string())
    } else if !is_http_url(v) && bad_path {
        Some(format!(
            "must be a path to a file under static/ such as {example} (starting with /) or an http(s) URL"
        ))
    } else if !exts.contains(&a.extension().as_str()) {
        Some(format!(
            "must be a file of type {} (found {})",
            exts.iter()
                .map(|e| format!(".{e}"))
                .collect::<Vec<_>>()
                .join(", "),
            match a.extension().as_str() {
                "" => "no extension".to_string(),
                e => format!(".{e}"),
            }
        ))
    } else {
        None
    };
    match problem {
        Some(p) => {
            errors.push(Diagnostic::error(shown, format!("`{key}` {v:?} {p}")).at_line(line));
            None
        }
        None => Some(a),
    }
}

impl Config {
    /// The languages of `languages:` (not the main one).
    pub fn language_list(&self) -> Vec<Language> {
        self.languages.iter().map(|l| l.lang).collect()
    }

    /// `webcal://…/events/calendar.ics`: the subscription link for calendar apps
    /// (the https URL works too, for apps that ask for a URL).
    pub fn webcal_url(&self) -> String {
        let url = self.abs_url("/events/calendar.ics");
        match url.split_once("://") {
            Some((_, rest)) => format!("webcal://{rest}"),
            None => url,
        }
    }

    /// Absolute URL for a site path such as `/news/foo/`.
    pub fn abs_url(&self, path: &str) -> String {
        if path.starts_with("http://") || path.starts_with("https://") {
            return path.to_string();
        }
        let p = path.strip_prefix('/').unwrap_or(path);
        format!("{}{}/{}", self.base_url, self.lang_prefix, p)
    }

    /// Absolute URL of a file shared by every language (images, styles).
    pub fn asset_url(&self, path: &str) -> String {
        if path.starts_with("http://") || path.starts_with("https://") {
            return path.to_string();
        }
        let p = path.strip_prefix('/').unwrap_or(path);
        format!("{}/{}", self.base_url, p)
    }

    /// Site path of a file shared by every language (scripts, styles,
    /// images): never under a language's `/<code>/`.
    pub fn asset_path(&self, path: &str) -> String {
        let p = path.strip_prefix('/').unwrap_or(path);
        format!("{}/{p}", self.base_path())
    }

    /// Site-relative path (with the base URL's own path, if any), e.g. for a
    /// site at `https://x.github.io/portal`, `/news/` becomes `/portal/news/`.
    pub fn site_path(&self, path: &str) -> String {
        let base_path = self.base_path();
        let p = path.strip_prefix('/').unwrap_or(path);
        format!("{base_path}{}/{p}", self.lang_prefix)
    }

    /// The path part of `base_url`, without trailing slash ("" for a domain root).
    pub fn base_path(&self) -> &str {
        let after_scheme = self
            .base_url
            .split_once("://")
            .map(|(_, r)| r)
            .unwrap_or(&self.base_url);
        match after_scheme.find('/') {
            Some(i) => &after_scheme[i..],
            None => "",
        }
    }

    pub fn config_path(root: &Path) -> PathBuf {
        root.join("site.yaml")
    }
}

/// Read and validate `site.yaml`. `base_url_override` is `--base-url`.
pub fn load(root: &Path, base_url_override: Option<&str>) -> Result<Config, Vec<Diagnostic>> {
    let path = Config::config_path(root);
    let shown = PathBuf::from("site.yaml");
    let bytes = match crate::core::fs::Jail::site(root).read(&shown) {
        Ok(crate::core::fs::Read::Bytes(b)) => b,
        Ok(crate::core::fs::Read::Skipped(w)) => {
            return Err(vec![crate::core::fs::as_error(w)])
        }
        Ok(crate::core::fs::Read::Missing) => {
            return Err(vec![Diagnostic::error(
                &shown,
                format!(
                    "cannot read {}: not found (is this a site directory? `enishi init` creates one, or pass --root)",
                    path.display()
                ),
            )])
        }
        Err(e) => return Err(vec![e]),
    };
    let text = crate::core::diag::decode_utf8(&shown, bytes).map_err(|d| vec![d])?;
    parse(&text, &shown, base_url_override)
}

/// Parse the text of `site.yaml`.
pub fn parse(
    text: &str,
    shown: &Path,
    base_url_override: Option<&str>,
) -> Result<Config, Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    crate::core::limits::yaml_limits(shown, text, 0, None).map_err(|d| vec![d])?;
    let raw: RawConfig =
        serde_yaml_ng::from_str(text).map_err(|e| vec![from_yaml_error(shown, &e, 0)])?;
    let mut errors = Vec::new();
    let line_of = |key: &str| crate::core::diag::line_of_key(text, key);

    let base_url = base_url_override
        .unwrap_or(&raw.base_url)
        .trim()
        .trim_end_matches('/')
        .to_string();
    if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
        errors.push(
            Diagnostic::error(
                shown,
                format!("`base_url` must be an absolute http(s) URL, found {base_url:?}"),
            )
            .at_line(line_of("base_url")),
        );
    }
    let timezone = match jiff::tz::TimeZone::get(&raw.timezone) {
        Ok(tz) => tz,
        Err(_) => {
            errors.push(
                Diagnostic::error(
                    shown,
                    format!("unknown time zone {:?}: expected an IANA name such as Asia/Tokyo or Europe/Berlin", raw.timezone),
                )
                .at_line(line_of("timezone")),
            );
            jiff::tz::TimeZone::UTC
        }
    };
    if raw.paginate == 0 {
        errors.push(
            Diagnostic::error(shown, "`paginate` must be at least 1").at_line(line_of("paginate")),
        );
    }
    if raw.title.trim().is_empty() {
        errors
            .push(Diagnostic::error(shown, "`title` must not be empty").at_line(line_of("title")));
    }
    if !crate::core::text::is_safe_segment(&raw.theme) {
        errors.push(
            Diagnostic::error(
                shown,
                format!(
                    "`theme` must be a directory name under themes/, found {:?}",
                    raw.theme
                ),
            )
            .at_line(line_of("theme")),
        );
    }
    if raw.roster.stats.min_group < 2 {
        errors.push(
            Diagnostic::error(
                shown,
                "`roster.stats.min_group` must be at least 2 (a group of one is a person); 5 is the usual minimum",
            )
            .at_line(line_of("min_group")),
        );
    }
    if raw.roster.stats.round == 0 {
        errors.push(
            Diagnostic::error(
                shown,
                "`roster.stats.round` must be at least 1 (1 publishes exact counts; 5 is the usual rounding)",
            )
            .at_line(line_of("round")),
        );
    }
    for (key, value, what) in [
        (
            "url",
            &raw.organization.url,
            "an absolute http(s) URL such as https://www.example.co.jp/",
        ),
        (
            "logo",
            &raw.organization.logo,
            "an absolute http(s) URL or a path on the site such as /images/logo.png",
        ),
    ] {
        let Some(value) = value.as_deref() else {
            continue;
        };
        let ok = if key == "url" {
            crate::core::url::is_web_url(value.trim())
        } else {
            crate::core::url::is_web_url_or_root_path(value.trim())
        };
        if !ok {
            errors.push(
                Diagnostic::error(
                    shown,
                    format!("`organization.{key}` must be {what}, found {value:?}"),
                )
                .at_line(line_of(key)),
            );
        }
    }
    let mut images = raw.images.clone();
    if images.widths.is_empty()
        || images
            .widths
            .iter()
            .any(|w| *w < 16 || *w > MAX_IMAGE_WIDTH)
    {
        errors.push(
            Diagnostic::error(
                shown,
                format!("`images.widths` must list widths in pixels from 16 to {MAX_IMAGE_WIDTH}, such as [480, 960, 1600]"),
            )
            .at_line(line_of("widths")),
        );
    }
    images.widths.sort_unstable();
    images.widths.dedup();
    if !(1..=100).contains(&images.quality) {
        errors.push(
            Diagnostic::error(
                shown,
                "`images.quality` must be from 1 to 100 (80 is a good default for photos)",
            )
            .at_line(line_of("quality")),
        );
    }
    if images.max_pixels < 1_000_000 {
        errors.push(
            Diagnostic::error(
                shown,
                "`images.max_pixels` must be at least 1000000 (the default 50000000 lets a 48-megapixel phone photo through)",
            )
            .at_line(line_of("max_pixels")),
        );
    }
    if let Some(m) = &raw.members {
        if m.passphrase_env.trim().is_empty() {
            errors.push(
                Diagnostic::error(
                    shown,
                    "`members.passphrase_env` must name an environment variable",
                )
                .at_line(line_of("passphrase_env")),
            );
        }
    }
    let languages = check_languages(&raw, text, shown, &mut errors);
    let favicon = asset_ref(
        raw.favicon,
        "favicon",
        &["ico", "svg", "png"],
        "/images/favicon.svg",
        line_of("favicon"),
        shown,
        &mut errors,
    );
    // No SVG: share previews (Facebook, X, LINE) do not show it.
    let og_image = asset_ref(
        raw.og_image,
        "og_image",
        &["png", "jpg", "jpeg", "webp", "gif"],
        "/images/share.png",
        line_of("og_image"),
        shown,
        &mut errors,
    );
    let hero = check_hero(raw.hero, text, shown, &mut errors);
    if let Some(cms) = &raw.cms {
        check_cms(cms, text, shown, &mut errors);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Config {
        title: raw.title,
        base_url,
        description: raw.description,
        language: raw.language,
        timezone_name: raw.timezone,
        timezone,
        organization: raw.organization,
        theme: raw.theme,
        paginate: raw.paginate,
        feeds: raw.feeds,
        members: raw.members,
        roster: raw.roster,
        analytics: raw.analytics,
        images,
        favicon,
        og_image,
        hero,
        cms: raw.cms,
        languages,
        lang_prefix: String::new(),
        main_language: raw.language,
    })
}

/// `languages:`: each code known (its UI strings and date formats), not the
/// main language, with a title.
fn check_languages(
    raw: &RawConfig,
    text: &str,
    shown: &Path,
    errors: &mut Vec<Diagnostic>,
) -> Vec<LanguageConfig> {
    let mut out = Vec::new();
    for (code, l) in &raw.languages {
        let line = crate::core::diag::line_of_key(text, code);
        let Some(lang) = Language::from_code(code) else {
            errors.push(
                Diagnostic::error(
                    shown,
                    format!(
                        "unknown language code `{code}` in `languages`: enishi has UI strings and date formats for ja and en only (use one of them)"
                    ),
                )
                .at_line(line),
            );
            continue;
        };
        if lang == raw.language {
            errors.push(
                Diagnostic::error(
                    shown,
                    format!(
                        "`languages.{code}` is the main language (`language: {code}`): list only the other languages here"
                    ),
                )
                .at_line(line),
            );
            continue;
        }
        if l.title.trim().is_empty() {
            errors.push(
                Diagnostic::error(
                    shown,
                    format!("`languages.{code}.title` must not be empty: the portal's name in that language"),
                )
                .at_line(line),
            );
        }
        out.push(LanguageConfig {
            lang,
            title: l.title.clone(),
            description: l.description.clone(),
            fallback: l.fallback,
        });
    }
    out
}

/// `cms:` keys that the backend needs or does not take.
fn check_cms(cms: &CmsConfig, text: &str, shown: &Path, errors: &mut Vec<Diagnostic>) {
    use crate::core::diag::line_of_key;
    let backend = cms.backend.as_str();
    let cms_line = line_of_key(text, "cms");
    // The line of a key inside the `cms:` block (else the block's line).
    let line_of = |key: &str| {
        let start = cms_line.unwrap_or(1);
        let rest: String = text.lines().skip(start).collect::<Vec<_>>().join("\n");
        line_of_key(&rest, key).map(|l| l + start).or(cms_line)
    };
    let mut err = |msg: String, key: &str| {
        errors.push(Diagnostic::error(shown, msg).at_line(line_of(key)));
    };
    match (&cms.repo, cms.backend) {
        (None, CmsBackend::Github | CmsBackend::Gitlab) => err(
            format!("`cms.repo` is missing: the {backend} backend saves into a repository, e.g. `repo: your-org/alumni-portal`"),
            "cms",
        ),
        (Some(r), _) if !is_repo_name(r) => err(
            format!("`cms.repo` must be `owner/name` (GitLab: `group/subgroup/name`), found {r:?}"),
            "repo",
        ),
        _ => {}
    }
    if cms.branch.trim().is_empty() || cms.branch.contains(char::is_whitespace) {
        err(
            format!(
                "`cms.branch` must be a branch name such as main, found {:?}",
                cms.branch
            ),
            "branch",
        );
    }
    for (key, v) in [
        ("base_url", &cms.base_url),
        ("auth_endpoint", &cms.auth_endpoint),
    ] {
        if v.is_some() && cms.backend == CmsBackend::Local {
            err(
                format!("`cms.{key}` is for signing in to github or gitlab; the local backend needs none (remove it, or set `backend: github`)"),
                key,
            );
        }
    }
    if let Some(u) = &cms.base_url {
        if !u.starts_with("https://") && !u.starts_with("http://") {
            err(
                format!(
                    "`cms.base_url` must be the http(s) URL of the OAuth provider, found {u:?}"
                ),
                "base_url",
            );
        }
    }
    if cms.app_id.is_some() && cms.backend != CmsBackend::Gitlab {
        err(
            "`cms.app_id` is a GitLab application id: only for `backend: gitlab`".into(),
            "app_id",
        );
    }
}

/// `owner/name` (GitLab groups may nest): safe path segments.
fn is_repo_name(s: &str) -> bool {
    let parts: Vec<&str> = s.split('/').collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && *p != "."
                && *p != ".."
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_config() {
        let c = parse(
            "title: T\nbase_url: https://a.example/\n",
            Path::new("site.yaml"),
            None,
        )
        .unwrap();
        assert_eq!(c.base_url, "https://a.example");
        assert_eq!(c.abs_url("/news/"), "https://a.example/news/");
        assert_eq!(c.roster.consent_version, 1);
    }

    #[test]
    fn unknown_key_suggests() {
        let e = parse(
            "title: T\nbase_url: https://a.example\ntimezon: UTC\n",
            Path::new("site.yaml"),
            None,
        )
        .unwrap_err();
        let s = e[0].to_string();
        assert!(s.contains("did you mean `timezone`"), "{s}");
        assert_eq!(e[0].line, Some(3), "{s}");
    }

    #[test]
    fn base_path() {
        let c = parse(
            "title: T\nbase_url: https://a.example/portal/\n",
            Path::new("site.yaml"),
            None,
        )
        .unwrap();
        assert_eq!(c.site_path("/news/"), "/portal/news/");
    }

    fn cms(yaml: &str) -> Result<Config, Vec<Diagnostic>> {
        parse(
            &format!("title: T\nbase_url: https://a.example\n{yaml}"),
            Path::new("site.yaml"),
            None,
        )
    }

    #[test]
    fn cms_backends() {
        let c = cms("cms: { backend: github, repo: sample-co/portal }\n").unwrap();
        let m = c.cms.unwrap();
        assert_eq!((m.backend, m.branch.as_str()), (CmsBackend::Github, "main"));
        assert!(cms("cms: { backend: local }\n").is_ok());
        assert!(cms("").unwrap().cms.is_none());
        let e = cms("cms:\n  backend: gitbub\n").unwrap_err();
        assert!(e[0].message.contains("local"), "{}", e[0]);
        assert_eq!(e[0].line, Some(4), "{}", e[0]);
        let e = cms("cms:\n  backend: github\n  rpo: a/b\n").unwrap_err();
        assert!(e[0].message.contains("did you mean `repo`"), "{}", e[0]);
        assert_eq!(e[0].line, Some(5), "{}", e[0]);
        let e = cms("cms:\n  backend: gitlab\n").unwrap_err();
        assert!(e[0].message.contains("cms.repo"), "{}", e[0]);
        assert_eq!(e[0].line, Some(3), "{}", e[0]);
        let e = cms("cms:\n  backend: github\n  repo: ../x\n  app_id: x\n").unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        assert_eq!(e[0].line, Some(5), "{}", e[0]);
    }

    #[test]
    fn images_defaults_and_checks() {
        let c = parse(
            "title: T\nbase_url: https://a.example\n",
            Path::new("site.yaml"),
            None,
        )
        .unwrap();
        assert_eq!(c.images, ImagesConfig::default());
        let c = parse(
            "title: T\nbase_url: https://a.example\nimages: { widths: [960, 480, 960] }\n",
            Path::new("site.yaml"),
            None,
        )
        .unwrap();
        assert_eq!(c.images.widths, vec![480, 960]);
        let e = parse(
            "title: T\nbase_url: https://a.example\nimages:\n  widths: [0]\n  quality: 101\n  max_pixels: 5\n",
            Path::new("site.yaml"),
            None,
        )
        .unwrap_err();
        assert_eq!(e.len(), 3, "{e:?}");
        assert_eq!(e[0].line, Some(4));
        assert_eq!(e[1].line, Some(5));
    }
}
