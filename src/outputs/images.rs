//! The processed photos (SPEC "Images and photos"): each image content uses
//! is decoded, turned upright by its EXIF orientation, resized to each of
//! `images.widths` it is not narrower than, and encoded as WebP and in its
//! own format at `images.quality`, plus the 1200x630 share crop of each
//! page `image:`. Everything is re-encoded from pixels, so no metadata of
//! the source (EXIF, GPS, XMP, IPTC, ICC, comments, maker notes) can reach
//! the output; the encoders write none.
//!
//! Files are named by `site::images::Photo` (a hash of the source bytes and
//! the parameters) and cached under `<root>/.enishi/cache/images/` with the
//! same names: a photo whose files are all there is never decoded again, in
//! `build` and in `serve`. The encoders are deterministic, so the bytes are
//! the same with or without the cache. At most [`DECODERS`] photos are
//! decoded at a time (a 12-megapixel photo is ~36 MB decoded).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;
use std::path::{Path, PathBuf};

use fast_image_resize as fr;

use crate::core::diag::Diagnostic;
use crate::core::output::OutputFile;
use crate::model::ImageFocus;
use crate::outputs::{Cx, Output, Reads};
use crate::site::images::{og_crop, Format, Photo, Size};

/// Photos decoded at the same time.
pub const DECODERS: usize = 2;

/// Where processed files are kept between builds, under the site root.
pub fn cache_dir(root: &Path) -> PathBuf {
    root.join(".enishi").join("cache").join("images")
}

pub struct Images;

impl Output for Images {
    fn name(&self) -> &'static str {
        "images"
    }

    fn reads(&self) -> Reads {
        // Which photos and crops are used: every page's `image:` (cards)
        // and body images (bodies).
        Reads {
            cards: true,
            bodies: true,
            ..Reads::default()
        }
    }

    fn run(&self, cx: &Cx<'_>) -> Vec<OutputFile> {
        self.run_checked(cx).0
    }

    fn run_checked(&self, cx: &Cx<'_>) -> (Vec<OutputFile>, Vec<Diagnostic>) {
        let site = cx.site;
        let mut crops: BTreeMap<&Path, BTreeSet<ImageFocus>> = BTreeMap::new();
        for p in &site.pages {
            if let Some(photo) = p
                .image
                .as_deref()
                .and_then(|i| site.photos.get(&p.source, i))
            {
                crops
                    .entry(photo.source.as_path())
                    .or_default()
                    .insert(p.image_focus);
            }
        }
        let jobs: Vec<(&Photo, Vec<ImageFocus>)> = site
            .photos
            .by_source
            .values()
            .map(|ph| {
                let f = crops
                    .get(ph.source.as_path())
                    .map(|s| s.iter().copied().collect())
                    .unwrap_or_default();
                (ph, f)
            })
            .collect();
        let cache = cache_dir(&site.root);
        let cfg = &site.config.images;
        let work = |(photo, focuses): &(&Photo, Vec<ImageFocus>)| {
            publish(&site.root, &cache, cfg, photo, focuses)
        };
        use rayon::prelude::*;
        let results: Vec<Result<Vec<OutputFile>, Diagnostic>> =
            match rayon::ThreadPoolBuilder::new()
                .num_threads(DECODERS)
                .build()
            {
                Ok(pool) => pool.install(|| jobs.par_iter().map(work).collect()),
                Err(_) => jobs.iter().map(work).collect(),
            };
        let mut files = Vec::new();
        let mut errors = Vec::new();
        for r in results {
            match r {
                Ok(f) => files.extend(f),
                Err(d) => errors.push(d),
            }
        }
        (files, errors)
    }
}

/// The files of one photo: from the cache when all are there, else made
/// (and cached).
fn publish(
    root: &Path,
    cache: &Path,
    cfg: &crate::config::ImagesConfig,
    photo: &Photo,
    focuses: &[ImageFocus],
) -> Result<Vec<OutputFile>, Diagnostic> {
    let mut names = photo.files(cfg);
    names.extend(
        focuses
            .iter()
            .filter_map(|f| photo.og_file(*f).map(|(n, _)| n)),
    );
    let cached: Option<Vec<OutputFile>> = names
        .iter()
        .map(|n| {
            std::fs::read(cache.join(file_name(n)))
                .ok()
                .map(|b| OutputFile::new(n.clone(), b))
        })
        .collect();
    if let Some(files) = cached {
        return Ok(files);
    }
    let bad = |m: String| Diagnostic::error(&photo.source, m);
    let bytes =
        std::fs::read(root.join(&photo.source)).map_err(|e| bad(format!("cannot be read: {e}")))?;
    let files = if photo.format.is_processed() {
        process(&bytes, cfg, photo, focuses).map_err(|m| {
            bad(format!(
                "cannot be decoded: {m} (the file may be damaged or cut off: export or copy it again)"
            ))
        })?
    } else {
        vec![OutputFile::new(photo.copy_file(), bytes)]
    };
    // The cache is only an optimisation: a failure to write it costs time
    // on the next build, nothing else.
    if std::fs::create_dir_all(cache).is_ok() {
        for f in &files {
            let dest = cache.join(file_name(&f.path));
            let tmp = cache.join(format!(".{}.tmp", file_name(&f.path)));
            if std::fs::write(&tmp, &f.bytes).is_ok() {
                let _ = std::fs::rename(&tmp, &dest);
            }
        }
    }
    Ok(files)
}

/// The last segment of an output path (`images/a.h.960.webp`).
fn file_name(out: &str) -> &str {
    out.rsplit('/').next().unwrap_or(out)
}

/// Decoded pixels, upright: RGB, or RGBA when the source has alpha.
#[derive(Clone)]
struct Pixels {
    data: Vec<u8>,
    width: u32,
    height: u32,
    alpha: bool,
}

fn decode(
    bytes: &[u8],
    photo: &Photo,
    cfg: &crate::config::ImagesConfig,
) -> Result<Pixels, String> {
    let format = match photo.format {
        Format::Jpeg => image::ImageFormat::Jpeg,
        Format::Png => image::ImageFormat::Png,
        _ => image::ImageFormat::WebP,
    };
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    // The header was checked against max_pixels; this bounds what the
    // decoder may allocate whatever the header said.
    limits.max_alloc = Some(cfg.max_pixels.saturating_mul(8));
    reader.limits(limits);
    let mut img = reader.decode().map_err(|e| e.to_string())?;
    if let Some(o) = image::metadata::Orientation::from_exif(photo.orientation) {
        img.apply_orientation(o);
    }
    let alpha = img.color().has_alpha();
    let (width, height) = (img.width(), img.height());
    let data = if alpha {
        img.into_rgba8().into_raw()
    } else {
        img.into_rgb8().into_raw()
    };
    Ok(Pixels {
        data,
        width,
        height,
        alpha,
    })
}

/// Resize (and crop: `crop` is left, top, width, height in source pixels).
fn resize(px: &Pixels, to: Size, crop: Option<(f64, f64, f64, f64)>) -> Result<Vec<u8>, String> {
    let kind = if px.alpha {
        fr::PixelType::U8x4
    } else {
        fr::PixelType::U8x3
    };
    let src = fr::images::ImageRef::new(px.width, px.height, &px.data, kind)
        .map_err(|e| e.to_string())?;
    let mut dst = fr::images::Image::new(to.width, to.height, kind);
    let mut opts =
        fr::ResizeOptions::new().resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3));
    if let Some((l, t, w, h)) = crop {
        opts = opts.crop(l, t, w, h);
    }
    fr::Resizer::new()
        .resize(&src, &mut dst, &opts)
        .map_err(|e| e.to_string())?;
    Ok(dst.into_vec())
}

/// RGBA over white, as RGB (JPEG has no alpha).
fn flatten(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .flat_map(|p| {
            let a = u16::from(p[3]);
            let mix = |c: u8| ((u16::from(c) * a + 255 * (255 - a) + 127) / 255) as u8;
            [mix(p[0]), mix(p[1]), mix(p[2])]
        })
        .collect()
}

fn encode(
    data: &[u8],
    size: Size,
    alpha: bool,
    format: Format,
    quality: u8,
) -> Result<Vec<u8>, String> {
    use image::ImageEncoder;
    let color = if alpha {
        image::ExtendedColorType::Rgba8
    } else {
        image::ExtendedColorType::Rgb8
    };
    let mut out = Vec::new();
    match format {
        Format::WebP => {
            let enc = if alpha {
                webp::Encoder::from_rgba(data, size.width, size.height)
            } else {
                webp::Encoder::from_rgb(data, size.width, size.height)
            };
            out.extend_from_slice(&enc.encode(f32::from(quality)));
        }
        Format::Jpeg => {
            let rgb;
            let (data, color) = if alpha {
                rgb = flatten(data);
                (&rgb[..], image::ExtendedColorType::Rgb8)
            } else {
                (data, color)
            };
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
                .write_image(data, size.width, size.height, color)
                .map_err(|e| e.to_string())?;
        }
        Format::Png => {
            image::codecs::png::PngEncoder::new(&mut out)
                .write_image(data, size.width, size.height, color)
                .map_err(|e| e.to_string())?;
        }
        Format::Svg | Format::Gif => return Err("not a processed format".into()),
    }
    Ok(out)
}

/// Every size in every format, and the share crops.
fn process(
    bytes: &[u8],
    cfg: &crate::config::ImagesConfig,
    photo: &Photo,
    focuses: &[ImageFocus],
) -> Result<Vec<OutputFile>, String> {
    let full = decode(bytes, photo, cfg)?;
    // Every size is made from the widest (one resize of the full photo,
    // the others from a third of its pixels or less): cheaper, and no
    // visible difference with Lanczos3.
    let sizes = photo.sizes(cfg);
    let base = match sizes.last() {
        Some(w) if (w.width, w.height) != (full.width, full.height) => Pixels {
            data: resize(&full, *w, None)?,
            width: w.width,
            height: w.height,
            alpha: full.alpha,
        },
        _ => full.clone(),
    };
    let mut files = Vec::new();
    for size in sizes {
        let data = if size.width == base.width && size.height == base.height {
            base.data.clone()
        } else {
            resize(&base, size, None)?
        };
        for f in photo.formats() {
            files.push(OutputFile::new(
                photo.file(size.width, f),
                encode(&data, size, base.alpha, f, cfg.quality)?,
            ));
        }
    }
    for focus in focuses {
        let Some((name, size)) = photo.og_file(*focus) else {
            continue;
        };
        // From the widest size when its crop is still 1200 wide, else from
        // the full photo.
        let px = if og_crop(base.width, base.height).0 >= size.width {
            &base
        } else {
            &full
        };
        let (cw, ch) = og_crop(px.width, px.height);
        let left = f64::from((px.width - cw) / 2);
        let top = match focus {
            ImageFocus::Top => 0.0,
            ImageFocus::Center => f64::from((px.height - ch) / 2),
            ImageFocus::Bottom => f64::from(px.height - ch),
        };
        let data = resize(px, size, Some((left, top, f64::from(cw), f64::from(ch))))?;
        files.push(OutputFile::new(
            name,
            encode(&data, size, px.alpha, Format::Jpeg, cfg.quality)?,
        ));
    }
    Ok(files)
}
