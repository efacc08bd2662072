//! Photos (issue 20, SPEC "Images and photos"): what a phone puts in a
//! photo never reaches the output, a rotated photo comes out upright, the
//! markup has srcset/width/height, nothing is upscaled, the cache changes
//! no byte, and bad images are errors that say where and how to fix them.
//!
//! The photos are made here: pixels from the `image` crate, and the
//! metadata a phone writes (EXIF with GPS and a camera serial, XMP, a JPEG
//! comment; PNG eXIf/iTXt/tEXt chunks) spliced in as raw segments, each
//! carrying a canary string that must not appear in any output byte.

mod common;

use std::path::Path;

use common::*;

const CANARIES: [&str; 4] = [
    "GPSCANARY-35.6812N",
    "SERIALCANARY-0042",
    "XMPCANARY-home",
    "COMMENTCANARY-taken",
];

const IMAGES_YAML: &str = "images:\n  widths: [480, 960, 1600]\n  quality: 80\n";

/// A little-endian TIFF (the EXIF payload): orientation, a GPS IFD with a
/// latitude reference and an area text, a body serial number.
fn exif_tiff(orientation: u16) -> Vec<u8> {
    let serial = format!("{}\0", CANARIES[1]).into_bytes();
    let gps = CANARIES[0].as_bytes().to_vec();
    let (ifd0, gps_ifd, strings) = (8u32, 50u32, 80u32);
    let mut t = Vec::new();
    t.extend_from_slice(b"II");
    t.extend_from_slice(&42u16.to_le_bytes());
    t.extend_from_slice(&ifd0.to_le_bytes());
    let entry = |t: &mut Vec<u8>, tag: u16, typ: u16, count: u32, value: [u8; 4]| {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&typ.to_le_bytes());
        t.extend_from_slice(&count.to_le_bytes());
        t.extend_from_slice(&value);
    };
    // IFD0: Orientation, GPS IFD pointer, BodySerialNumber.
    t.extend_from_slice(&3u16.to_le_bytes());
    let o = orientation.to_le_bytes();
    entry(&mut t, 0x0112, 3, 1, [o[0], o[1], 0, 0]);
    entry(&mut t, 0x8825, 4, 1, gps_ifd.to_le_bytes());
    entry(
        &mut t,
        0xA431,
        2,
        serial.len() as u32,
        strings.to_le_bytes(),
    );
    t.extend_from_slice(&0u32.to_le_bytes());
    assert_eq!(t.len(), gps_ifd as usize);
    // GPS IFD: GPSLatitudeRef "N", GPSAreaInformation.
    t.extend_from_slice(&2u16.to_le_bytes());
    entry(&mut t, 0x0001, 2, 2, [b'N', 0, 0, 0]);
    let gps_at = strings + serial.len() as u32;
    entry(&mut t, 0x001C, 7, gps.len() as u32, gps_at.to_le_bytes());
    t.extend_from_slice(&0u32.to_le_bytes());
    assert_eq!(t.len(), strings as usize);
    t.extend_from_slice(&serial);
    t.extend_from_slice(&gps);
    t
}

fn xmp_packet() -> String {
    format!("<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?><x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description xmlns:photoshop=\"http://ns.adobe.com/photoshop/1.0/\" photoshop:City=\"{}\"/></rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>", CANARIES[2])
}

/// Four coloured quadrants (red, blue / green, white), `w` x `h`, upright.
fn quadrants(w: u32, h: u32) -> image::RgbImage {
    image::RgbImage::from_fn(w, h, |x, y| {
        let c = match (x < w / 2, y < h / 2) {
            (true, true) => [220, 20, 20],
            (false, true) => [20, 20, 220],
            (true, false) => [20, 200, 20],
            (false, false) => [240, 240, 240],
        };
        image::Rgb(c)
    })
}

/// A JPEG of `img` with EXIF (orientation `o`), XMP and a comment.
fn phone_jpeg(img: &image::RgbImage, o: u16) -> Vec<u8> {
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 92)
        .encode_image(img)
        .expect("encode");
    let segment = |marker: u8, body: &[u8]| {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
        s.extend_from_slice(body);
        s
    };
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend_from_slice(&exif_tiff(o));
    let mut xmp = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    xmp.extend_from_slice(xmp_packet().as_bytes());
    let mut out = plain[..2].to_vec();
    out.extend(segment(0xE1, &exif));
    out.extend(segment(0xE1, &xmp));
    out.extend(segment(0xFE, CANARIES[3].as_bytes()));
    out.extend_from_slice(&plain[2..]);
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for b in bytes {
        c ^= u32::from(*b);
        for _ in 0..8 {
            c = if c & 1 == 1 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

/// A PNG of `img` with eXIf, XMP (iTXt) and a tEXt comment before IEND.
fn phone_png(img: &image::RgbImage) -> Vec<u8> {
    let mut plain = Vec::new();
    img.write_to(
        &mut std::io::Cursor::new(&mut plain),
        image::ImageFormat::Png,
    )
    .expect("png");
    let chunk = |kind: &[u8; 4], data: &[u8]| {
        let mut c = (data.len() as u32).to_be_bytes().to_vec();
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        c.extend_from_slice(&body);
        c.extend_from_slice(&crc32(&body).to_be_bytes());
        c
    };
    let mut itxt = b"XML:com.adobe.xmp\0\0\0\0\0".to_vec();
    itxt.extend_from_slice(xmp_packet().as_bytes());
    let mut text = b"Comment\0".to_vec();
    text.extend_from_slice(CANARIES[3].as_bytes());
    let iend = plain.len() - 12;
    let mut out = plain[..iend].to_vec();
    out.extend(chunk(b"eXIf", &exif_tiff(1)));
    out.extend(chunk(b"iTXt", &itxt));
    out.extend(chunk(b"tEXt", &text));
    out.extend_from_slice(&plain[iend..]);
    out
}

fn write_bytes(root: &Path, rel: &str, bytes: &[u8]) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, bytes).expect("write");
}

/// A site with three phone photos: a JPEG used by `image:`, an
/// EXIF-rotated JPEG (orientation 6, stored on its side) and a PNG used in
/// a Markdown body beside the content file.
fn photo_site() -> tempfile::TempDir {
    let dir = site(&[
        (
            "content/interviews/tanaka.md",
            "---\ntitle: 田中さん\ndate: 2026-11-01\nimage: /images/tanaka.jpg\nimage_alt: 田中さんの写真\nperson:\n  name: 田中 一郎\n---\n本文です。\n\n![横向きの写真](/images/sideways.jpg)\n\n![図](chart.png)\n",
        ),
        (
            "content/news/hello.md",
            "---\ntitle: お知らせ\ndate: 2026-11-02\nimage: /images/sideways.jpg\nimage_focus: top\n---\n本文。\n",
        ),
    ]);
    let root = dir.path();
    write(root, "site.yaml", &format!("{SITE_YAML}{IMAGES_YAML}"));
    write_bytes(
        root,
        "static/images/tanaka.jpg",
        &phone_jpeg(&quadrants(1200, 800), 1),
    );
    // Upright 600x400; stored turned a quarter to the left, to be turned
    // back by orientation 6.
    let sideways = image::imageops::rotate270(&quadrants(600, 400));
    write_bytes(
        root,
        "static/images/sideways.jpg",
        &phone_jpeg(&sideways, 6),
    );
    write_bytes(
        root,
        "content/interviews/chart.png",
        &phone_png(&quadrants(300, 200)),
    );
    dir
}

fn all_files(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    tree(dir)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn no_metadata_reaches_any_output_byte() {
    let dir = photo_site();
    let out = build(dir.path(), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let files = all_files(&dir.path().join("public"));
    let images: Vec<_> = files
        .iter()
        .filter(|(p, _)| p.starts_with("images"))
        .collect();
    assert!(
        images.len() >= 10,
        "{:?}",
        images.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for (path, bytes) in &files {
        for c in CANARIES {
            assert!(!contains(bytes, c.as_bytes()), "{c} in {}", path.display());
        }
        for marker in [
            &b"Exif\0\0"[..],
            b"http://ns.adobe.com/xap",
            b"ICC_PROFILE",
            b"eXIf",
        ] {
            if path.starts_with("images") {
                assert!(
                    !contains(bytes, marker),
                    "{} in {}",
                    String::from_utf8_lossy(marker),
                    path.display()
                );
            }
        }
    }
    // The sources are not published as they are.
    assert!(!exists(dir.path(), "images/tanaka.jpg"));
    assert!(!exists(dir.path(), "images/sideways.jpg"));
    assert!(!files.iter().any(|(p, _)| p.ends_with("chart.png")));
}

fn decode(root: &Path, rel: &str) -> image::RgbImage {
    let bytes =
        std::fs::read(root.join("public").join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    if rel.ends_with(".webp") {
        // The `image` crate here reads JPEG and PNG only.
        let img = webp::Decoder::new(&bytes)
            .decode()
            .unwrap_or_else(|| panic!("{rel}: not WebP"));
        let (w, h, bpp) = (
            img.width(),
            img.height(),
            if img.is_alpha() { 4 } else { 3 },
        );
        let rgb: Vec<u8> = img
            .chunks_exact(bpp)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        return image::RgbImage::from_raw(w, h, rgb).expect("webp pixels");
    }
    image::load_from_memory(&bytes)
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
        .to_rgb8()
}

fn near(p: &image::Rgb<u8>, want: [u8; 3]) -> bool {
    p.0.iter().zip(want).all(|(a, b)| a.abs_diff(b) < 40)
}

#[test]
fn rotated_photo_comes_out_upright_and_never_upscaled() {
    let dir = photo_site();
    let root = dir.path();
    let out = build(root, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = read(root, "interviews/tanaka/index.html");
    // The body's sideways photo: 600x400 upright, published at 480 and at
    // its own 600, never at 960 or 1600.
    let names: Vec<String> = std::fs::read_dir(root.join("public/images"))
        .expect("images")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("sideways."))
        .collect();
    assert!(names.iter().any(|n| n.ends_with(".480.webp")), "{names:?}");
    assert!(names.iter().any(|n| n.ends_with(".600.jpg")), "{names:?}");
    assert!(
        !names
            .iter()
            .any(|n| n.contains(".960.") || n.contains(".1600.")),
        "upscaled: {names:?}"
    );
    let big = names
        .iter()
        .find(|n| n.ends_with(".600.jpg"))
        .expect("600 jpg");
    for rel in [
        format!("images/{big}"),
        format!("images/{}", big.replace(".jpg", ".webp")),
    ] {
        let img = decode(root, &rel);
        assert_eq!(img.dimensions(), (600, 400), "{rel}");
        assert!(
            near(img.get_pixel(100, 80), [220, 20, 20]),
            "{rel}: top left {:?}",
            img.get_pixel(100, 80)
        );
        assert!(
            near(img.get_pixel(500, 80), [20, 20, 220]),
            "{rel}: top right"
        );
        assert!(
            near(img.get_pixel(100, 320), [20, 200, 20]),
            "{rel}: bottom left"
        );
        assert!(
            near(img.get_pixel(500, 320), [240, 240, 240]),
            "{rel}: bottom right"
        );
    }
    // Markup: srcset, sizes, width/height of the upright photo, alt, async;
    // the page's first image (the hero) eager, the body's lazy.
    assert!(
        html.contains(
            "width=\"600\" height=\"400\" alt=\"横向きの写真\" decoding=\"async\" loading=\"lazy\""
        ),
        "{html}"
    );
    assert!(
        html.contains("alt=\"田中さんの写真\" decoding=\"async\" fetchpriority=\"high\""),
        "{html}"
    );
    assert!(html.contains(" 480w, "), "{html}");
    assert!(
        html.contains("<source type=\"image/webp\" srcset=\"/images/sideways."),
        "{html}"
    );
    assert!(html.contains("sizes=\""), "{html}");
    // The share crop: 1200x630 from the 1200x800 hero, with its size and alt.
    assert!(
        html.contains("<meta property=\"og:image:width\" content=\"1200\">"),
        "{html}"
    );
    assert!(
        html.contains("<meta property=\"og:image:height\" content=\"630\">"),
        "{html}"
    );
    assert!(
        html.contains("<meta property=\"og:image:alt\" content=\"田中さんの写真\">"),
        "{html}"
    );
    let og = html
        .split("<meta property=\"og:image\" content=\"https://alumni.example.jp/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("og:image");
    assert_eq!(decode(root, og).dimensions(), (1200, 630));
    // image_focus: top keeps the top of the (upright) photo: 600x315.
    let news = read(root, "news/hello/index.html");
    let og = news
        .split("<meta property=\"og:image\" content=\"https://alumni.example.jp/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("og:image");
    assert!(og.contains("og-top"), "{og}");
    let crop = decode(root, og);
    assert_eq!(crop.dimensions(), (600, 315));
    assert!(near(crop.get_pixel(100, 20), [220, 20, 20]));
    assert!(near(crop.get_pixel(100, 300), [20, 200, 20]));
}

#[test]
fn same_bytes_with_and_without_the_cache() {
    let dir = photo_site();
    let root = dir.path();
    let tmp = tempfile::tempdir().expect("tmp");
    let run = |out: &Path| {
        let o = bin()
            .args(["build", "--now", "2026-11-22", "--root"])
            .arg(root)
            .arg("--output")
            .arg(out)
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .expect("run");
        assert!(o.status.success(), "{}", stderr(&o));
    };
    let (cold, warm, again) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    run(&cold);
    assert!(root.join(".enishi/cache/images").is_dir());
    run(&warm);
    std::fs::remove_dir_all(root.join(".enishi")).expect("rm cache");
    run(&again);
    let (a, b, c) = (tree(&cold), tree(&warm), tree(&again));
    assert!(a == b, "a warm build differs from a cold one");
    assert!(a == c, "a build without the cache differs");
    assert!(!a.iter().any(|(p, _)| p.starts_with(".enishi")));
}

#[test]
fn bad_images_are_errors_with_where_and_how() {
    let dir = site(&[
        (
            "content/news/a.md",
            "---\ntitle: A\ndate: 2026-11-01\nimage: /images/none.jpg\n---\nText\n\n![x](gone.png)\n",
        ),
        (
            "content/news/b.md",
            "---\ntitle: B\ndate: 2026-11-01\n---\n![iPhone](/images/phone.heic)\n\n![bomb](/images/bomb.png)\n\n![cut](/images/cut.jpg)\n",
        ),
    ]);
    let root = dir.path();
    // HEIC: the ISO-BMFF box of an iPhone photo.
    let mut heic = vec![0, 0, 0, 24];
    heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    write_bytes(root, "static/images/phone.heic", &heic);
    // A PNG header that claims 30000x30000 and nothing after it: refused by
    // its header, never decoded (decoding would fail otherwise).
    let mut bomb = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&30000u32.to_be_bytes());
    ihdr.extend_from_slice(&30000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    bomb.extend_from_slice(&13u32.to_be_bytes());
    bomb.extend_from_slice(&ihdr);
    bomb.extend_from_slice(&crc32(&ihdr).to_be_bytes());
    write_bytes(root, "static/images/bomb.png", &bomb);
    // A JPEG cut off half-way.
    let full = phone_jpeg(&quadrants(400, 300), 1);
    write_bytes(root, "static/images/cut.jpg", &full[..full.len() / 2]);
    let out = build(root, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/news/a.md:4:1: image \"/images/none.jpg\" not found"),
        "{err}"
    );
    assert!(
        err.contains("content/news/a.md:8:1: image \"gone.png\" not found"),
        "{err}"
    );
    assert!(
        err.contains("static/images/phone.heic: is a HEIC/HEIF photo"),
        "{err}"
    );
    assert!(
        err.contains("Settings > Camera > Formats > Most Compatible"),
        "{err}"
    );
    assert!(
        err.contains("static/images/bomb.png: is 30000x30000 pixels"),
        "{err}"
    );
    assert!(err.contains("images.max_pixels"), "{err}");
    assert!(err.contains("static/images/cut.jpg: is cut off"), "{err}");
    assert!(err.contains("(used by content/news/b.md:"), "{err}");
    assert!(err.contains("5 errors"), "{err}");
    assert!(!exists(root, "index.html"));
}

#[test]
fn unreferenced_static_photo_with_gps_is_a_warning() {
    let dir = site(&[(
        "content/news/a.md",
        "---\ntitle: A\ndate: 2026-11-01\n---\nText\n",
    )]);
    let root = dir.path();
    write_bytes(
        root,
        "static/images/party.jpg",
        &phone_jpeg(&quadrants(64, 48), 1),
    );
    let out = build(root, &[]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("warning: static/images/party.jpg: carries GPS coordinates"),
        "{err}"
    );
    assert!(err.contains("exiftool -gps:all="), "{err}");
    // Copied as it is (no content uses it), as the warning says.
    assert!(exists(root, "images/party.jpg"));
}
