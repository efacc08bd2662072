//! Photos in a whole site (issue 20): body images on a sub-path site carry
//! the base path, the template functions work for theme authors, a photo
//! dropped in while `serve` runs appears on the next rebuild, and
//! `images:` is validated with its line.

mod common;

use common::*;

#[test]
fn body_images_carry_the_base_path_of_a_sub_path_site() {
    let dir = site(&[(
        "content/news/a.md",
        "---\ntitle: A\ndate: 2026-11-01\n---\nText\n\n![会場](/images/hall.png)\n",
    )]);
    let root = dir.path();
    write(
        root,
        "site.yaml",
        &SITE_YAML.replace("https://alumni.example.jp", "https://x.github.io/portal"),
    );
    write_png(root, "static/images/hall.png", 800, 600);
    let out = build(root, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = read(root, "news/a/index.html");
    assert!(html.contains("src=\"/portal/images/hall."), "{html}");
    assert!(html.contains("srcset=\"/portal/images/hall."), "{html}");
    assert!(!html.contains("\"/images/hall"), "{html}");
    // The first image of a page without `image:` is not lazy.
    assert!(
        html.contains("alt=\"会場\" decoding=\"async\" fetchpriority=\"high\""),
        "{html}"
    );
}

#[test]
fn template_functions_give_url_size_and_srcset() {
    let dir = site(&[(
        "content/news/a.md",
        "---\ntitle: A\ndate: 2026-11-01\nimage: /images/team.png\n---\nText\n",
    )]);
    let root = dir.path();
    write_png(root, "static/images/team.png", 1000, 500);
    // A theme author's template: the site's own templates/ override the theme.
    write(
        root,
        "templates/news.html",
        "{% set i = image(path=\"/images/team.png\", width=500) %}<p id=\"fn\">{{ i.url }} {{ i.width }}x{{ i.height }} [{{ i.srcset }}] {{ i.webp_url }}</p>{{ picture(path=\"/images/team.png\", alt=\"チーム\", sizes=\"50vw\") }}",
    );
    let out = build(root, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = read(root, "news/a/index.html");
    let hash = html
        .split("/images/team.")
        .nth(1)
        .and_then(|s| s.split('.').next())
        .expect("hash");
    assert!(
        html.contains(&format!("<p id=\"fn\">/images/team.{hash}.960.png 960x480 [/images/team.{hash}.480.png 480w, /images/team.{hash}.960.png 960w, /images/team.{hash}.1000.png 1000w] /images/team.{hash}.960.webp</p>")),
        "{html}"
    );
    assert!(html.contains("sizes=\"50vw\" width=\"1000\" height=\"500\" alt=\"チーム\" decoding=\"async\" loading=\"lazy\""), "{html}");
    for f in ["480.png", "960.webp", "1000.png"] {
        assert!(exists(root, &format!("images/team.{hash}.{f}")), "{f}");
    }
    // An image no content uses: an error that says what to do.
    write(
        root,
        "templates/news.html",
        "{% set o = image(path=\"/images/other.png\") %}{{ o.url }}",
    );
    let out = build(root, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("is not used by any content"), "{err}");
}

#[test]
fn a_photo_dropped_in_while_serving_appears_without_a_restart() {
    use enishi::pipeline::{incremental::Incremental, Timings};
    let dir = site(&[(
        "content/news/a.md",
        "---\ntitle: A\ndate: 2026-11-01\n---\nText\n",
    )]);
    let root = dir.path();
    let opts = enishi::site::BuildOptions {
        root: root.to_path_buf(),
        base_url: Some("http://127.0.0.1:1111".into()),
        now: Some("2026-11-22".into()),
        ..Default::default()
    };
    let mut state = Incremental::new();
    assert!(state.build(&opts, &mut Timings::default()).is_ok());
    // The page starts using a photo that is not there yet: an error...
    let rel = "content/news/a.md";
    write(
        root,
        rel,
        "---\ntitle: A\ndate: 2026-11-01\n---\nText\n\n![新しい写真](/images/new.png)\n",
    );
    state.note_changes(root, &[rel.into()]);
    let Err(errors) = state.build(&opts, &mut Timings::default()) else {
        panic!("a missing photo must fail the build");
    };
    assert!(format!("{errors:?}").contains("not found"), "{errors:?}");
    // ...until the photo is dropped in.
    write_png(root, "static/images/new.png", 700, 400);
    state.note_changes(root, &["static/images/new.png".into()]);
    let built = state.build(&opts, &mut Timings::default());
    let Ok(tree) = built.map(|b| b.tree) else {
        panic!("build after the photo arrived");
    };
    let page = String::from_utf8_lossy(&tree["news/a/index.html"]).into_owned();
    assert!(page.contains("alt=\"新しい写真\""), "{page}");
    assert!(tree
        .keys()
        .any(|k| k.starts_with("images/new.") && k.ends_with(".700.webp")));
    // The same tree as a full build.
    let Ok(full) = enishi::pipeline::build(&opts, &mut Timings::default()).map(|b| b.tree) else {
        panic!("full build");
    };
    assert!(
        tree == full,
        "the incremental tree differs from a full build"
    );
    // A replaced photo gets new names.
    write_png(root, "static/images/new.png", 710, 400);
    state.note_changes(root, &["static/images/new.png".into()]);
    let Ok(tree) = state.build(&opts, &mut Timings::default()).map(|b| b.tree) else {
        panic!("build after the photo changed");
    };
    assert!(tree.keys().any(|k| k.ends_with(".710.webp")));
    assert!(!tree.keys().any(|k| k.ends_with(".700.webp")));
    let page = String::from_utf8_lossy(&tree["news/a/index.html"]).into_owned();
    assert!(page.contains(".710.webp 710w"), "{page}");
}

#[test]
fn images_config_is_validated_with_lines() {
    let dir = site(&[]);
    let root = dir.path();
    write(
        root,
        "site.yaml",
        &format!("{SITE_YAML}images:\n  widths: [0, 960]\n  quality: 0\n  max_pixels: 10\n"),
    );
    let out = build(root, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("site.yaml:8:"), "{err}");
    assert!(err.contains("`images.widths` must list widths"), "{err}");
    assert!(
        err.contains("site.yaml:9:") && err.contains("`images.quality`"),
        "{err}"
    );
    assert!(
        err.contains("site.yaml:10:") && err.contains("`images.max_pixels`"),
        "{err}"
    );
}
