//! Makes example-site's interview photos: procedural scenes (sky, sun,
//! clouds, ridges, water, a skyline, fields, trees), 3024x2016 JPEGs like a
//! phone's, each with the EXIF a phone writes (camera model and the GPS
//! position of a public place, Tokyo Station), which `enishi build` strips.
//! No stock photos: every pixel comes from the code below.
//!
//!     cargo run --example example_photos -- example-site/static/images/interviews
//!     cargo run --release --example example_photos -- --bench DIR 200   (tests/bench_images.sh)
//!
//! Deterministic: the same files every run.

use std::path::Path;

const W: u32 = 3024;
const H: u32 = 2016;

/// Integer hash noise in [0, 1).
fn hash(x: i64, y: i64, seed: u64) -> f64 {
    let mut h = (x as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (y as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F)
        ^ seed.wrapping_mul(0x1656_67B1_9E37_79F9);
    h ^= h >> 31;
    h = h.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h ^= h >> 29;
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// Smooth value noise.
fn noise(x: f64, y: f64, seed: u64) -> f64 {
    let (xi, yi) = (x.floor() as i64, y.floor() as i64);
    let (fx, fy) = (x - x.floor(), y - y.floor());
    let s = |t: f64| t * t * (3.0 - 2.0 * t);
    let (sx, sy) = (s(fx), s(fy));
    let a = hash(xi, yi, seed);
    let b = hash(xi + 1, yi, seed);
    let c = hash(xi, yi + 1, seed);
    let d = hash(xi + 1, yi + 1, seed);
    (a + (b - a) * sx) + ((c + (d - c) * sx) - (a + (b - a) * sx)) * sy
}

/// Fractal noise, 0..1.
fn fbm(x: f64, y: f64, seed: u64, octaves: u32) -> f64 {
    let (mut v, mut amp, mut f, mut norm) = (0.0, 0.5, 1.0, 0.0);
    for o in 0..octaves {
        v += amp * noise(x * f, y * f, seed + u64::from(o));
        norm += amp;
        amp *= 0.5;
        f *= 2.0;
    }
    v / norm
}

type Rgb = [f64; 3];

fn mix(a: Rgb, b: Rgb, t: f64) -> Rgb {
    let t = t.clamp(0.0, 1.0);
    [
        a[0] + (b[0] - a[0]) * t,
        a[1] + (b[1] - a[1]) * t,
        a[2] + (b[2] - a[2]) * t,
    ]
}

struct Scene {
    name: &'static str,
    seed: u64,
    sky_top: Rgb,
    sky_low: Rgb,
    sun: Option<(f64, f64, Rgb)>,
    /// Ridges: (base height 0..1 from top, roughness, colour).
    ridges: &'static [(f64, f64, Rgb)],
    ground: Ground,
}

enum Ground {
    /// Water from this height, reflecting the sky.
    Sea(f64),
    /// A skyline of buildings with lit windows, from this height.
    City(f64),
    /// Striped fields.
    Fields(f64, Rgb, Rgb),
    /// A row of trees.
    Forest(f64, Rgb),
}

fn ridge_height(x: f64, base: f64, rough: f64, seed: u64) -> f64 {
    base - rough * (fbm(x * 3.0, 0.5, seed, 5) - 0.5) * 2.0
}

fn pixel(s: &Scene, px: u32, py: u32) -> Rgb {
    let (x, y) = (f64::from(px) / f64::from(W), f64::from(py) / f64::from(H));
    // Sky with clouds.
    let mut c = mix(s.sky_top, s.sky_low, y * 1.4);
    if let Some((sx, sy, col)) = s.sun {
        let d = ((x - sx).powi(2) * 2.2 + (y - sy).powi(2) * 5.0).sqrt();
        c = mix(c, col, (0.5 - d * 2.0).max(0.0) * 1.2);
        if d < 0.035 {
            c = mix(c, [255.0, 250.0, 225.0], 0.9);
        }
    }
    let cloud = fbm(x * 4.0, y * 9.0, s.seed, 6);
    c = mix(
        c,
        [250.0, 248.0, 245.0],
        ((cloud - 0.55) * 3.0).max(0.0) * (1.0 - y),
    );
    // Ridges, far to near.
    for (i, (base, rough, col)) in s.ridges.iter().enumerate() {
        let h = ridge_height(x, *base, *rough, s.seed + 10 + i as u64);
        if y > h {
            let shade = fbm(x * 18.0, y * 18.0, s.seed + 20 + i as u64, 4);
            c = mix(*col, [col[0] * 0.7, col[1] * 0.7, col[2] * 0.75], shade);
            c = mix(c, s.sky_low, 0.25 / (i as f64 + 1.0));
        }
    }
    match s.ground {
        Ground::Sea(h0) if y > h0 => {
            let wave = fbm(x * 40.0, y * 300.0, s.seed + 30, 3);
            let refl = mix(s.sky_low, s.sky_top, (y - h0) * 2.5);
            c = mix(refl, [20.0, 40.0, 70.0], (y - h0) * 1.5 + wave * 0.3);
            if let Some((sx, _, col)) = s.sun {
                let glint = (1.0 - (x - sx).abs() * 8.0).max(0.0) * ((wave - 0.45) * 4.0).max(0.0);
                c = mix(c, col, glint);
            }
        }
        Ground::City(h0) => {
            let bw = 0.028;
            let b = (x / bw).floor();
            let top = h0 - 0.25 * hash(b as i64, 0, s.seed + 40);
            if y > top {
                let (wx, wy) = ((x / bw).fract(), (y - top) * 70.0);
                let lit = hash((x * 70.0) as i64, wy as i64, s.seed + 41) > 0.55;
                let window =
                    wx > 0.15 && wx < 0.85 && (x * 70.0).fract() < 0.6 && wy.fract() < 0.55;
                c = if window && lit {
                    [250.0, 215.0, 140.0]
                } else {
                    mix(
                        [35.0, 38.0, 55.0],
                        [60.0, 60.0, 80.0],
                        hash(b as i64, 1, s.seed),
                    )
                };
            }
        }
        Ground::Fields(h0, a, b) if y > h0 => {
            let depth = (y - h0) / (1.0 - h0);
            let stripe = ((x - 0.5) / (0.05 + depth) * 6.0 + depth * 4.0).sin();
            c = mix(a, b, 0.5 + 0.5 * stripe);
            c = mix(
                c,
                [c[0] * 0.8, c[1] * 0.8, c[2] * 0.8],
                fbm(x * 60.0, y * 60.0, s.seed, 3),
            );
        }
        Ground::Forest(h0, col) => {
            let tw = 0.018;
            let t = (x / tw).floor();
            let top = h0 - 0.12 * hash(t as i64, 2, s.seed) - 0.05;
            let cx = (x / tw).fract() - 0.5;
            let half = (y - top) * 1.6;
            if y > top && cx.abs() < half {
                c = mix(
                    col,
                    [col[0] * 0.5, col[1] * 0.6, col[2] * 0.5],
                    fbm(x * 80.0, y * 80.0, s.seed + 50, 3),
                );
            } else if y > h0 + 0.1 {
                c = mix(
                    [90.0, 120.0, 60.0],
                    [60.0, 90.0, 40.0],
                    fbm(x * 30.0, y * 30.0, s.seed + 51, 4),
                );
            }
        }
        _ => {}
    }
    // A little sensor grain.
    let g = (hash(i64::from(px), i64::from(py), s.seed + 99) - 0.5) * 4.0;
    [c[0] + g, c[1] + g, c[2] + g]
}

/// The EXIF a phone writes: camera model and GPS (Tokyo Station).
fn exif() -> Vec<u8> {
    let model = b"enishi example camera\0";
    let mut t = b"II*\0".to_vec();
    t.extend_from_slice(&8u32.to_le_bytes());
    let entry = |t: &mut Vec<u8>, tag: u16, typ: u16, n: u32, v: u32| {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&typ.to_le_bytes());
        t.extend_from_slice(&n.to_le_bytes());
        t.extend_from_slice(&v.to_le_bytes());
    };
    // IFD0 at 8: Model, Orientation, GPS pointer (2 + 3*12 + 4 = 42 bytes).
    let gps_at = 8 + 42;
    // GPS IFD: 4 entries (2 + 4*12 + 4 = 54 bytes), then data.
    let data_at = gps_at + 54;
    let (lat_at, lon_at, model_at) = (data_at, data_at + 24, data_at + 48);
    t.extend_from_slice(&3u16.to_le_bytes());
    entry(&mut t, 0x0110, 2, model.len() as u32, model_at);
    entry(&mut t, 0x0112, 3, 1, 1);
    entry(&mut t, 0x8825, 4, 1, gps_at);
    t.extend_from_slice(&0u32.to_le_bytes());
    t.extend_from_slice(&4u16.to_le_bytes());
    entry(&mut t, 0x0001, 2, 2, u32::from(b'N'));
    entry(&mut t, 0x0002, 5, 3, lat_at);
    entry(&mut t, 0x0003, 2, 2, u32::from(b'E'));
    entry(&mut t, 0x0004, 5, 3, lon_at);
    t.extend_from_slice(&0u32.to_le_bytes());
    for (d, m, s100) in [(35u32, 40u32, 5160u32), (139, 46, 1460)] {
        for (n, den) in [(d, 1u32), (m, 1), (s100, 100)] {
            t.extend_from_slice(&n.to_le_bytes());
            t.extend_from_slice(&den.to_le_bytes());
        }
    }
    t.extend_from_slice(model);
    let mut seg = vec![0xFF, 0xE1];
    seg.extend_from_slice(&((t.len() + 8) as u16).to_be_bytes());
    seg.extend_from_slice(b"Exif\0\0");
    seg.extend_from_slice(&t);
    seg
}

const SCENES: &[Scene] = &[
    Scene {
        name: "tanaka-kenichi",
        seed: 1,
        sky_top: [40.0, 60.0, 120.0],
        sky_low: [250.0, 160.0, 90.0],
        sun: Some((0.62, 0.52, [255.0, 200.0, 120.0])),
        ridges: &[
            (0.5, 0.08, [90.0, 80.0, 110.0]),
            (0.56, 0.05, [50.0, 45.0, 70.0]),
        ],
        ground: Ground::Sea(0.6),
    },
    Scene {
        name: "sato-misaki",
        seed: 2,
        sky_top: [20.0, 25.0, 60.0],
        sky_low: [200.0, 110.0, 120.0],
        sun: None,
        ridges: &[],
        ground: Ground::City(0.74),
    },
    Scene {
        name: "suzuki-takuya",
        seed: 3,
        sky_top: [70.0, 130.0, 210.0],
        sky_low: [190.0, 220.0, 240.0],
        sun: Some((0.2, 0.15, [255.0, 250.0, 220.0])),
        ridges: &[
            (0.45, 0.1, [110.0, 140.0, 160.0]),
            (0.52, 0.06, [70.0, 110.0, 80.0]),
        ],
        ground: Ground::Fields(0.58, [120.0, 170.0, 60.0], [170.0, 190.0, 80.0]),
    },
    Scene {
        name: "kobayashi-ryo",
        seed: 4,
        sky_top: [120.0, 160.0, 200.0],
        sky_low: [220.0, 225.0, 215.0],
        sun: None,
        ridges: &[(0.42, 0.12, [120.0, 140.0, 150.0])],
        ground: Ground::Forest(0.55, [40.0, 90.0, 50.0]),
    },
    Scene {
        name: "emily-clarke",
        seed: 5,
        sky_top: [30.0, 90.0, 190.0],
        sky_low: [170.0, 210.0, 245.0],
        sun: Some((0.8, 0.12, [255.0, 255.0, 240.0])),
        ridges: &[
            (0.38, 0.2, [235.0, 240.0, 250.0]),
            (0.55, 0.1, [120.0, 130.0, 150.0]),
        ],
        ground: Ground::Sea(0.7),
    },
];

/// `--bench DIR N`: N different 4032x3024 phone-sized JPEGs for
/// tests/bench_images.sh (four scenes, each copy marked with its number).
fn bench(dir: &Path, n: usize) {
    let (w, h) = (4032u32, 3024u32);
    let scenes: Vec<image::RgbImage> = SCENES[..4]
        .iter()
        .map(|s| {
            image::RgbImage::from_fn(w, h, |x, y| {
                let p = pixel(s, x * W / w, y * H / h);
                image::Rgb([
                    p[0].clamp(0.0, 255.0) as u8,
                    p[1].clamp(0.0, 255.0) as u8,
                    p[2].clamp(0.0, 255.0) as u8,
                ])
            })
        })
        .collect();
    for i in 0..n {
        let mut img = scenes[i % scenes.len()].clone();
        // Sixteen bits of the number as squares along the top.
        for bit in 0..16u32 {
            let on = (i >> bit) & 1 == 1;
            for y in 40..200 {
                for x in (100 + bit * 220)..(260 + bit * 220) {
                    img.put_pixel(
                        x,
                        y,
                        image::Rgb(if on { [250, 250, 250] } else { [10, 10, 10] }),
                    );
                }
            }
        }
        let mut jpeg = Vec::new();
        if let Err(e) =
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85).encode_image(&img)
        {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
        let mut out = jpeg[..2].to_vec();
        out.extend(exif());
        out.extend_from_slice(&jpeg[2..]);
        let path = dir.join(format!("p{i:03}.jpg"));
        if let Err(e) = std::fs::write(&path, &out) {
            eprintln!("error: {}: {e}", path.display());
            std::process::exit(1);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--bench") {
        let dir = Path::new(args.get(2).map_or(".", String::as_str));
        let n = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(200);
        if let Err(e) = std::fs::create_dir_all(dir) {
            eprintln!("error: {}: {e}", dir.display());
            std::process::exit(1);
        }
        bench(dir, n);
        return;
    }
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "example-site/static/images/interviews".into());
    let dir = Path::new(&dir);
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("error: {}: {e}", dir.display());
        std::process::exit(1);
    }
    for s in SCENES {
        let img = image::RgbImage::from_fn(W, H, |x, y| {
            let p = pixel(s, x, y);
            image::Rgb([
                p[0].clamp(0.0, 255.0) as u8,
                p[1].clamp(0.0, 255.0) as u8,
                p[2].clamp(0.0, 255.0) as u8,
            ])
        });
        let mut jpeg = Vec::new();
        if let Err(e) =
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 62).encode_image(&img)
        {
            eprintln!("error: {}: {e}", s.name);
            std::process::exit(1);
        }
        let mut out = jpeg[..2].to_vec();
        out.extend(exif());
        out.extend_from_slice(&jpeg[2..]);
        let path = dir.join(format!("{}.jpg", s.name));
        if let Err(e) = std::fs::write(&path, &out) {
            eprintln!("error: {}: {e}", path.display());
            std::process::exit(1);
        }
        println!("{} {} KB", path.display(), out.len() / 1024);
    }
}
