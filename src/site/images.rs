//! The photos that content uses (SPEC "Images and photos"), as far as
//! `Site::load` needs them: every front matter `image:` and Markdown
//! `![alt](path)` is resolved (`/images/x.jpg` is `static/images/x.jpg`, a
//! relative path is beside the content file) and its file is *inspected*,
//! never decoded: format, dimensions and EXIF orientation from the header,
//! the pixel count checked against `images.max_pixels` (so a decompression
//! bomb is refused before a byte of it is decoded), and a hash of the bytes,
//! which names the published files. Decoding, resizing and encoding are
//! `outputs::images`; the `<picture>` markup both layers write is
//! [`picture_html`].
//!
//! Also here: the GPS warning for `static/` images that no content uses
//! (they are published as they are).
//!
//! Imports `core`, `config`, `model` and `markdown`.

use std::collections::BTreeMap;
use std::io::{BufReader, Cursor};
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::config::{Config, ImagesConfig};
use crate::core::diag::Diagnostic;
use crate::core::escape::{encode_path, escape_html};

/// Where processed images are published, under the output root.
pub const OUT_DIR: &str = "images";

/// Size of the share (OpenGraph/Twitter) crop.
pub const OG_SIZE: (u32, u32) = (1200, 630);

/// The version of the processing: part of every published name, so that a
/// change of how photos are made gives new URLs.
const PROCESS_VERSION: &str = "enishi-image-v1";

/// What a used image is, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Jpeg,
    Png,
    WebP,
    /// Not a raster photo: copied as it is (hash-named).
    Svg,
    Gif,
}

impl Format {
    pub fn ext(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::WebP => "webp",
            Format::Svg => "svg",
            Format::Gif => "gif",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::WebP => "image/webp",
            Format::Svg => "image/svg+xml",
            Format::Gif => "image/gif",
        }
    }

    /// Decoded, resized and re-encoded (the others are copied).
    pub fn is_processed(self) -> bool {
        matches!(self, Format::Jpeg | Format::Png | Format::WebP)
    }
}

/// A used image, inspected.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Photo {
    /// Relative to the site root (`static/images/a.jpg`).
    pub source: PathBuf,
    pub format: Format,
    /// Upright (after the EXIF orientation); 0 for SVG.
    pub width: u32,
    pub height: u32,
    /// EXIF orientation, 1 (as stored) to 8.
    pub orientation: u8,
    /// Hex, of the bytes, the processing version and the quality.
    pub hash: String,
    /// The file name without extension, as a URL segment.
    pub stem: String,
}

/// One published size of a photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub width: u32,
    pub height: u32,
}

impl Photo {
    /// The widths it is published at: each of `widths` not wider than the
    /// photo, and the photo's own width when it is narrower than the
    /// widest (never upscaled).
    pub fn sizes(&self, cfg: &ImagesConfig) -> Vec<Size> {
        if !self.format.is_processed() {
            return Vec::new();
        }
        let mut ws: Vec<u32> = cfg
            .widths
            .iter()
            .copied()
            .filter(|w| *w <= self.width)
            .collect();
        if cfg.widths.iter().all(|w| *w != self.width) && cfg.widths.iter().any(|w| *w > self.width)
        {
            ws.push(self.width);
        }
        ws.into_iter()
            .map(|w| Size {
                width: w,
                height: self.height_at(w),
            })
            .collect()
    }

    fn height_at(&self, w: u32) -> u32 {
        let h = (u64::from(self.height) * u64::from(w) + u64::from(self.width) / 2)
            / u64::from(self.width.max(1));
        (h as u32).max(1)
    }

    /// Output path (under the output root) of one size in one format.
    pub fn file(&self, width: u32, format: Format) -> String {
        format!(
            "{OUT_DIR}/{}.{}.{width}.{}",
            self.stem,
            self.hash,
            format.ext()
        )
    }

    /// Output path of a file copied as it is (SVG, GIF).
    pub fn copy_file(&self) -> String {
        format!(
            "{OUT_DIR}/{}.{}.{}",
            self.stem,
            self.hash,
            self.format.ext()
        )
    }

    /// The formats each size is published in: WebP, and the source's own.
    pub fn formats(&self) -> Vec<Format> {
        match self.format {
            Format::WebP => vec![Format::WebP],
            f if f.is_processed() => vec![Format::WebP, f],
            _ => Vec::new(),
        }
    }

    /// Output path and size of the share crop (a JPEG).
    pub fn og_file(&self, focus: crate::model::ImageFocus) -> Option<(String, Size)> {
        if !self.format.is_processed() {
            return None;
        }
        let (ow, oh) = OG_SIZE;
        // Crop to 1200:630 in the photo's pixels, then scale down to 1200
        // wide (never up).
        let (cw, ch) = og_crop(self.width, self.height);
        let w = cw.min(ow);
        let h = if w == ow {
            oh
        } else {
            ((u64::from(ch) * u64::from(w)) / u64::from(cw.max(1))).max(1) as u32
        };
        Some((
            format!(
                "{OUT_DIR}/{}.{}.og-{}.jpg",
                self.stem,
                self.hash,
                focus.as_str()
            ),
            Size {
                width: w,
                height: h,
            },
        ))
    }

    /// The share crop as the model keeps it (a site path).
    pub fn share_image(&self, focus: crate::model::ImageFocus) -> Option<crate::model::ShareImage> {
        self.og_file(focus)
            .map(|(file, s)| crate::model::ShareImage {
                path: format!("/{file}"),
                width: s.width,
                height: s.height,
            })
    }

    /// Every output path of this photo (without the share crops).
    pub fn files(&self, cfg: &ImagesConfig) -> Vec<String> {
        if !self.format.is_processed() {
            return vec![self.copy_file()];
        }
        let formats = self.formats();
        self.sizes(cfg)
            .iter()
            .flat_map(|s| formats.iter().map(|f| self.file(s.width, *f)))
            .collect()
    }
}

/// The largest 1200:630 rectangle inside `w` x `h`.
pub fn og_crop(w: u32, h: u32) -> (u32, u32) {
    let (ow, oh) = (u64::from(OG_SIZE.0), u64::from(OG_SIZE.1));
    let (w64, h64) = (u64::from(w), u64::from(h));
    if w64 * oh > h64 * ow {
        (((h64 * ow) / oh).max(1) as u32, h)
    } else {
        (w, ((w64 * oh) / ow).max(1) as u32)
    }
}

/// The used images, by source path.
#[derive(Debug, Clone, Default)]
pub struct Photos {
    pub by_source: BTreeMap<PathBuf, Photo>,
    /// The path of `base_url` (`/portal`), which a link may start with.
    pub base_path: String,
}

/// `dest` without the site's base path: on a site at `…/portal`,
/// `/portal/images/a.jpg` is `/images/a.jpg`.
pub fn strip_base<'a>(base_path: &str, dest: &'a str) -> &'a str {
    match dest.strip_prefix(base_path) {
        Some(rest) if !base_path.is_empty() && rest.starts_with('/') => rest,
        _ => dest,
    }
}

impl Photos {
    /// The photo `dest` (as written in `source`) names, if it is a used one.
    pub fn get(&self, source: &Path, dest: &str) -> Option<&Photo> {
        self.by_source
            .get(&resolve(source, strip_base(&self.base_path, dest)).ok()?)
    }

    /// The photo a site path such as `/images/a.jpg` names (the template
    /// function).
    pub fn by_site_path(&self, path: &str) -> Option<&Photo> {
        self.get(
            Path::new("content/x.md"),
            &format!("/{}", path.trim_start_matches('/')),
        )
    }

    /// Output paths (under the output root) of the `static/` files that are
    /// published processed, and so not copied.
    pub fn static_sources(&self) -> std::collections::BTreeSet<String> {
        self.by_source
            .keys()
            .filter_map(|p| p.strip_prefix("static").ok())
            .map(|p| {
                p.components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .collect()
    }
}

/// Normalise `a/b/../c` without touching the file system; `None` when it
/// leaves the root.
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
            Component::CurDir | Component::RootDir => {}
            _ => return None,
        }
    }
    Some(out)
}

/// Whether `image:` is a remote URL (published as it is).
pub fn is_remote(dest: &str) -> bool {
    let d = dest.trim().to_ascii_lowercase();
    d.starts_with("http://") || d.starts_with("https://") || d.starts_with("//")
}

/// The file (relative to the root) that `dest`, written in the content file
/// `source`, names: `/x` is `static/x`, anything else is beside `source`.
pub fn resolve(source: &Path, dest: &str) -> Result<PathBuf, String> {
    let path = dest.split(['?', '#']).next().unwrap_or("").trim();
    let joined = match path.strip_prefix('/') {
        Some(abs) => Path::new("static").join(abs),
        None => source.parent().unwrap_or(Path::new("")).join(path),
    };
    match normalize(&joined) {
        Some(p) if p.starts_with("static") || p.starts_with("content") => Ok(p),
        _ => Err(format!(
            "image {dest:?} points outside static/ and content/: put the file in static/images/ and write /images/<name>"
        )),
    }
}

/// One use of an image by a content file.
#[derive(Debug, Clone)]
pub struct Use {
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
    pub dest: String,
}

/// How to get a JPEG out of a phone or a Mac, for HEIC errors.
const EXPORT_JPEG: &str = "export it as JPEG instead (iPhone: Settings > Camera > Formats > Most Compatible, or share the photo by mail or AirDrop as JPEG; Mac: open it in Preview, File > Export, Format JPEG; Windows: open it in Photos, Save as JPEG)";

/// Why an image cannot be used.
enum Refusal {
    /// The file is not there: reported at each use.
    Missing(String),
    /// The file is there but unusable: reported at the image.
    Bad(String),
}

/// The format from the first bytes (and the extension, for SVG).
fn sniff(bytes: &[u8], path: &Path) -> Result<Format, Refusal> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let bad = |m: String| Err(Refusal::Bad(m));
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        let brand = &bytes[8..12];
        return if [b"avif", b"avis"].iter().any(|b| brand == *b) {
            bad("is an AVIF image, which enishi cannot process: export it as JPEG or PNG".into())
        } else {
            bad(format!("is a HEIC/HEIF photo (the iPhone's default), which browsers cannot show: {EXPORT_JPEG}"))
        };
    }
    if ext == "heic" || ext == "heif" {
        return bad(format!(
            "is a HEIC/HEIF photo, which browsers cannot show: {EXPORT_JPEG}"
        ));
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(Format::Jpeg);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(Format::Png);
    }
    if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        return Ok(Format::WebP);
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Ok(Format::Gif);
    }
    if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        return bad("is a TIFF image, which browsers cannot show: export it as JPEG (photos) or PNG (drawings)".into());
    }
    if ext == "svg" {
        return Ok(Format::Svg);
    }
    if bytes.is_empty() {
        return bad("is empty: copy the image again".into());
    }
    bad("is not an image enishi can publish (expected JPEG, PNG, WebP, GIF or SVG): export it as JPEG or PNG".into())
}

/// The EXIF orientation (1 when there is none).
fn orientation(bytes: &[u8]) -> u8 {
    let Ok(exif) = exif::Reader::new().read_from_container(&mut Cursor::new(bytes)) else {
        return 1;
    };
    exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY)
        .and_then(|f| f.value.get_uint(0))
        .filter(|o| (1..=8).contains(o))
        .map_or(1, |o| o as u8)
}

/// Whether the EXIF data of an image (read from its start) has GPS fields.
pub fn has_gps<R: std::io::BufRead + std::io::Seek>(reader: &mut R) -> bool {
    match exif::Reader::new().read_from_container(reader) {
        Ok(exif) => exif.fields().any(|f| f.tag.context() == exif::Context::Gps),
        Err(_) => false,
    }
}

/// A quick check that the file ends as its format says (a copy cut off
/// half-way is the usual way a photo breaks).
fn truncated(format: Format, bytes: &[u8]) -> bool {
    match format {
        Format::Png => !bytes.windows(8).rev().take(64).any(|w| &w[4..8] == b"IEND"),
        // An end-of-image marker somewhere in the last part (phones may
        // append data after it: motion photos, maker trailers).
        Format::Jpeg => !bytes.windows(2).any(|w| w == [0xFF, 0xD9]),
        _ => false,
    }
}

/// A URL segment for a file stem: slug rules (Japanese kept).
fn stem_of(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let s = crate::core::text::slugify(&stem);
    if s.is_empty() {
        "image".into()
    } else {
        s
    }
}

/// Inspect one image file (relative to `root`): header only, never decoded.
fn inspect(root: &Path, rel: &Path, cfg: &ImagesConfig) -> Result<Photo, Refusal> {
    let bytes = match std::fs::read(root.join(rel)) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Refusal::Missing(format!(
                "{} does not exist",
                rel.display()
            )))
        }
        Err(e) => return Err(Refusal::Bad(format!("cannot be read: {e}"))),
    };
    let format = sniff(&bytes, rel)?;
    let mut h = Sha256::new();
    h.update(PROCESS_VERSION.as_bytes());
    h.update([0, cfg.quality]);
    h.update(&bytes);
    let digest = h.finalize();
    let hash: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    let stem = stem_of(rel);
    if !format.is_processed() {
        return Ok(Photo {
            source: rel.to_path_buf(),
            format,
            width: 0,
            height: 0,
            orientation: 1,
            hash,
            stem,
        });
    }
    // The header only: a decompression bomb is refused before a byte of
    // its pixels is read.
    let (w, h) = imagesize::blob_size(&bytes)
        .map_err(|e| {
            Refusal::Bad(format!(
                "cannot be read as {}: {e} (the file may be damaged: export or copy it again)",
                format.ext().to_uppercase()
            ))
        })
        .map(|s| {
            (
                u32::try_from(s.width).unwrap_or(u32::MAX),
                u32::try_from(s.height).unwrap_or(u32::MAX),
            )
        })?;
    if w == 0 || h == 0 {
        return Err(Refusal::Bad(format!(
            "has no pixels ({w}x{h}): export or copy it again"
        )));
    }
    let pixels = u64::from(w) * u64::from(h);
    if pixels > cfg.max_pixels {
        return Err(Refusal::Bad(format!(
            "is {w}x{h} pixels ({:.1} megapixels), more than `images.max_pixels` ({} in site.yaml): resize it before adding it, or raise the limit",
            pixels as f64 / 1e6,
            cfg.max_pixels
        )));
    }
    if truncated(format, &bytes) {
        return Err(Refusal::Bad(
            "is cut off (the end of the image is missing): copy or export it again".into(),
        ));
    }
    let orientation = orientation(&bytes);
    let (width, height) = if orientation >= 5 { (h, w) } else { (w, h) };
    Ok(Photo {
        source: rel.to_path_buf(),
        format,
        width,
        height,
        orientation,
        hash,
        stem,
    })
}

/// Inspect every used image (in parallel, each file once); errors for the
/// missing (at each use) and the unusable (at the image, naming its uses).
pub fn collect(
    root: &Path,
    cfg: &ImagesConfig,
    base_path: &str,
    uses: Vec<Use>,
) -> (Photos, Vec<Diagnostic>) {
    use rayon::prelude::*;
    let mut diags = Vec::new();
    let mut by_file: BTreeMap<PathBuf, Vec<Use>> = BTreeMap::new();
    for u in uses {
        match resolve(&u.file, strip_base(base_path, &u.dest)) {
            Ok(p) => by_file.entry(p).or_default().push(u),
            Err(m) => diags.push(Diagnostic::error(&u.file, m).at(u.line, u.col)),
        }
    }
    let inspected: Vec<(PathBuf, Vec<Use>, Result<Photo, Refusal>)> = by_file
        .into_par_iter()
        .map(|(p, uses)| {
            let r = inspect(root, &p, cfg);
            (p, uses, r)
        })
        .collect();
    let mut photos = Photos {
        base_path: base_path.to_string(),
        ..Photos::default()
    };
    for (path, uses, r) in inspected {
        match r {
            Ok(photo) => {
                photos.by_source.insert(path, photo);
            }
            Err(Refusal::Missing(m)) => {
                for u in uses {
                    diags.push(
                        Diagnostic::error(
                            &u.file,
                            format!(
                                "image {:?} not found: {m}; check the file name (a path starting with / is under static/, any other beside this file)",
                                u.dest
                            ),
                        )
                        .at(u.line, u.col),
                    );
                }
            }
            Err(Refusal::Bad(m)) => {
                let mut users: Vec<String> = uses
                    .iter()
                    .map(|u| format!("{}:{}", u.file.display(), u.line))
                    .collect();
                users.dedup();
                diags.push(Diagnostic::error(
                    &path,
                    format!("{m} (used by {})", users.join(", ")),
                ));
            }
        }
    }
    (photos, diags)
}

/// Extensions of the images whose GPS data is looked for in `static/`.
const GPS_EXTS: [&str; 7] = ["jpg", "jpeg", "png", "webp", "tif", "tiff", "heic"];

/// Warnings for `static/` images that no content uses (so they are
/// published as they are) and that carry GPS coordinates.
pub fn static_gps_warnings(root: &Path, photos: &Photos) -> Vec<Diagnostic> {
    let dir = root.join("static");
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let ext = e
            .path()
            .extension()
            .map(|x| x.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if !GPS_EXTS.contains(&ext.as_str()) || ext == "heif" {
            continue;
        }
        let Ok(rel) = e.path().strip_prefix(root) else {
            continue;
        };
        if photos.by_source.contains_key(rel) {
            continue;
        }
        let Ok(f) = std::fs::File::open(e.path()) else {
            continue;
        };
        if has_gps(&mut BufReader::new(f)) {
            out.push(Diagnostic::warning(
                rel,
                "carries GPS coordinates (where the photo was taken) and no content uses it, so it is published as it is: use it from content (`image:` or ![alt](path)) so that enishi strips its metadata, or remove the location (e.g. exiftool -gps:all= FILE, or turn off location when sharing from the phone)",
            ));
        }
    }
    out
}

/// How the `<img>` of a picture loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loading {
    /// The first image of a page: loaded at once, with high priority.
    Eager,
    Lazy,
}

/// Site-relative URL of an output path.
pub fn url(config: &Config, file: &str) -> String {
    encode_path(&config.asset_path(file))
}

/// `srcset` of a photo in one format.
pub fn srcset(config: &Config, photo: &Photo, format: Format) -> String {
    photo
        .sizes(&config.images)
        .iter()
        .map(|s| format!("{} {}w", url(config, &photo.file(s.width, format)), s.width))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The size an `<img>` falls back to (without `srcset` support): the
/// largest up to 960 pixels wide, else the smallest.
pub fn fallback(config: &Config, photo: &Photo) -> Option<Size> {
    let sizes = photo.sizes(&config.images);
    sizes
        .iter()
        .rev()
        .find(|s| s.width <= 960)
        .or(sizes.first())
        .copied()
}

/// The markup of a used image: `<picture>` with a WebP source and an
/// `<img>` in the source format, `srcset`/`sizes`, `width`/`height` (of
/// the largest size: the aspect ratio, so the page does not jump),
/// `alt`, `decoding="async"` and lazy loading unless `loading` is eager.
pub fn picture_html(
    config: &Config,
    photo: &Photo,
    alt: &str,
    sizes: &str,
    loading: Loading,
    class: &str,
) -> String {
    let alt = escape_html(alt);
    let class_attr = if class.is_empty() {
        String::new()
    } else {
        format!(" class=\"{}\"", escape_html(class))
    };
    let load = match loading {
        Loading::Eager => " fetchpriority=\"high\"",
        Loading::Lazy => " loading=\"lazy\"",
    };
    let (Some(fb), Some(largest)) = (
        fallback(config, photo),
        photo.sizes(&config.images).last().copied(),
    ) else {
        return format!(
            "<img{class_attr} src=\"{}\" alt=\"{alt}\" decoding=\"async\"{load}>",
            escape_html(&url(config, &photo.copy_file()))
        );
    };
    let own = if photo.format == Format::WebP {
        String::new()
    } else {
        Format::WebP.mime().to_string()
    };
    let source = if own.is_empty() {
        String::new()
    } else {
        format!(
            "<source type=\"{own}\" srcset=\"{}\" sizes=\"{}\">",
            escape_html(&srcset(config, photo, Format::WebP)),
            escape_html(sizes)
        )
    };
    format!(
        "<picture>{source}<img{class_attr} src=\"{}\" srcset=\"{}\" sizes=\"{}\" width=\"{}\" height=\"{}\" alt=\"{alt}\" decoding=\"async\"{load}></picture>",
        escape_html(&url(config, &photo.file(fb.width, photo.format))),
        escape_html(&srcset(config, photo, photo.format)),
        escape_html(sizes),
        largest.width,
        largest.height,
    )
}

/// `sizes` of an image in a page body (the text column).
pub const BODY_SIZES: &str = "(min-width: 48rem) 46rem, calc(100vw - 2rem)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_static_and_beside() {
        let src = Path::new("content/interviews/tanaka.md");
        assert_eq!(
            resolve(src, "/images/a.jpg").unwrap(),
            PathBuf::from("static/images/a.jpg")
        );
        assert_eq!(
            resolve(src, "tanaka.jpg").unwrap(),
            PathBuf::from("content/interviews/tanaka.jpg")
        );
        assert!(resolve(src, "../../../etc/passwd").is_err());
        assert!(resolve(src, "../../site.yaml").is_err());
    }

    #[test]
    fn sizes_never_upscale() {
        let p = Photo {
            source: "static/a.jpg".into(),
            format: Format::Jpeg,
            width: 1200,
            height: 900,
            orientation: 1,
            hash: "00".into(),
            stem: "a".into(),
        };
        let ws: Vec<u32> = p
            .sizes(&ImagesConfig::default())
            .iter()
            .map(|s| s.width)
            .collect();
        assert_eq!(ws, vec![480, 960, 1200]);
        assert_eq!(p.sizes(&ImagesConfig::default())[0].height, 360);
        assert_eq!(og_crop(4032, 3024), (4032, 2116));
        assert_eq!(og_crop(1000, 3000), (1000, 525));
    }
}
