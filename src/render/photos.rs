//! Photos in templates (SPEC "Images and photos"): the `photo` value of
//! cards and pages, and the two template functions.
//!
//! - `picture(photo=item.photo, sizes="…", class="…", eager=false, alt="…")`
//!   writes the `<picture>` of a photo: the one piece of image markup, the
//!   same [`picture_html`] that Markdown bodies get. `path="/images/x.jpg"`
//!   instead of `photo=` names a photo that content uses.
//! - `image(path="/images/x.jpg", width=960)` gives theme authors the
//!   published size nearest to `width` (not narrower, else the widest):
//!   `{url, width, height, srcset, webp_url, webp_srcset}`.
//!
//! Imports `config`, `site` and `render`'s own `Obj`.

use std::path::Path;
use std::sync::Arc;

use crate::config::Config;
use crate::model::Page;
use crate::render::{int, Obj};
use crate::site::images::{fallback, picture_html, srcset, url, Format, Loading, Photo, Photos};
use crate::site::Site;

/// The photo a page's `image:` names, when it is processed.
pub fn page_photo<'a>(site: &'a Site, page: &Page) -> Option<&'a Photo> {
    let img = page.image.as_deref()?;
    site.photos
        .get(&page.source, img)
        .filter(|p| p.format.is_processed())
}

/// The site path of a photo's fallback size (what a plain `<img src>` or an
/// old template's `{{ item.image }}` shows).
pub fn fallback_url(config: &Config, photo: &Photo) -> String {
    match fallback(config, photo) {
        Some(s) => url(config, &photo.file(s.width, photo.format)),
        None => url(config, &photo.copy_file()),
    }
}

/// The template value of a photo: `src` (its key for `picture`), `url`,
/// `width`, `height` (upright, of the widest size), `srcset`,
/// `webp_srcset`, `alt`.
pub fn photo_value(config: &Config, photo: &Photo, alt: &str) -> tera::Value {
    let widest = photo.sizes(&config.images).last().copied();
    Obj::default()
        .set("src", photo.source.to_string_lossy().as_ref())
        .set("url", fallback_url(config, photo))
        .set("width", int(widest.map_or(0, |s| i64::from(s.width))))
        .set("height", int(widest.map_or(0, |s| i64::from(s.height))))
        .set("srcset", srcset(config, photo, photo.format))
        .set("webp_srcset", srcset(config, photo, Format::WebP))
        .set("alt", alt)
        .build()
}

fn error(msg: String) -> tera::Error {
    tera::Error::message(msg)
}

/// The photo a call names: `photo=` (a `photo` value) or `path=` (a site
/// path such as `/images/x.jpg`, of an image content uses).
fn named<'a>(photos: &'a Photos, kwargs: &tera::Kwargs) -> tera::TeraResult<&'a Photo> {
    let photo: Option<tera::Value> = kwargs.get("photo")?;
    if let Some(src) = photo.as_ref().and_then(|v| v.as_map()).and_then(|m| {
        m.get(&tera::value::Key::Str("src"))
            .and_then(|s| s.as_str().map(str::to_string))
    }) {
        return photos
            .by_source
            .get(Path::new(&src))
            .ok_or_else(|| error(format!("picture(): no photo {src:?}")));
    }
    let path: Option<String> = kwargs.get("path")?;
    let Some(path) = path else {
        return Err(error(
            "expected `photo=` (a card's or page's `photo`) or `path=\"/images/…\"`".into(),
        ));
    };
    photos.by_site_path(&path).ok_or_else(|| {
        error(format!(
            "image {path:?} is not used by any content: only images that a page uses (`image:` or ![alt](path)) are processed; use it from a page, or link static/{} as it is",
            path.trim_start_matches('/')
        ))
    })
}

/// Register `picture` and `image` for `site`'s templates.
pub fn register(tera: &mut tera::Tera, site: &Site) {
    register_with(
        tera,
        Arc::clone(&site.photos),
        Arc::new(site.config.clone()),
    );
}

/// Register `picture` and `image` over `photos` (the theme registers them
/// with none before it compiles its templates, which must know them).
pub fn register_with(tera: &mut tera::Tera, photos: Arc<Photos>, config: Arc<Config>) {
    let (p2, c2) = (Arc::clone(&photos), Arc::clone(&config));
    tera.register_function(
        "picture",
        move |kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<tera::Value> {
            let photo = named(&photos, &kwargs)?;
            let sizes: Option<String> = kwargs.get("sizes")?;
            let class: Option<String> = kwargs.get("class")?;
            let eager: Option<bool> = kwargs.get("eager")?;
            let alt: Option<String> = kwargs.get("alt")?;
            let alt = alt.or_else(|| {
                let v: Option<tera::Value> = kwargs.get("photo").ok().flatten();
                v.and_then(|v| {
                    v.as_map()
                        .and_then(|m| m.get(&tera::value::Key::Str("alt")))
                        .and_then(|a| a.as_str().map(str::to_string))
                })
            });
            let html = picture_html(
                &config,
                photo,
                alt.as_deref().unwrap_or(""),
                sizes.as_deref().unwrap_or("100vw"),
                if eager.unwrap_or(false) {
                    Loading::Eager
                } else {
                    Loading::Lazy
                },
                class.as_deref().unwrap_or(""),
            );
            Ok(tera::Value::safe_string(&html))
        },
    );
    tera.register_function(
        "image",
        move |kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<tera::Value> {
            let photo = named(&p2, &kwargs)?;
            let want: Option<u32> = kwargs.get("width")?;
            let sizes = photo.sizes(&c2.images);
            let Some(size) = sizes
                .iter()
                .find(|s| want.is_some_and(|w| s.width >= w))
                .or(sizes.last())
                .copied()
            else {
                return Ok(Obj::default()
                    .set("url", url(&c2, &photo.copy_file()))
                    .build());
            };
            Ok(Obj::default()
                .set("url", url(&c2, &photo.file(size.width, photo.format)))
                .set("webp_url", url(&c2, &photo.file(size.width, Format::WebP)))
                .set("width", int(i64::from(size.width)))
                .set("height", int(i64::from(size.height)))
                .set("srcset", srcset(&c2, photo, photo.format))
                .set("webp_srcset", srcset(&c2, photo, Format::WebP))
                .build())
        },
    );
}
