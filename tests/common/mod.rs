//! Helpers for integration tests: make small sites in temp dirs and run the
//! real `enishi` binary on them.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const SITE_YAML: &str = "title: テスト株式会社 アルムナイ\nbase_url: https://alumni.example.jp\nlanguage: ja\ntimezone: Asia/Tokyo\norganization: { name: テスト株式会社, url: https://example.jp }\npaginate: 2\n";

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_enishi"))
}

/// A temp site with `site.yaml` plus the given files.
pub fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "site.yaml", SITE_YAML);
    for (p, c) in files {
        write(dir.path(), p, c);
    }
    dir
}

pub fn write(root: &Path, rel: &str, content: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, content).expect("write");
}

pub fn build(root: &Path, extra: &[&str]) -> Output {
    let mut c = bin();
    c.arg("build")
        .arg("--root")
        .arg(root)
        .args(["--now", "2026-11-22"])
        .args(extra);
    c.env_remove("SOURCE_DATE_EPOCH");
    c.output().expect("run enishi")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join("public").join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

pub fn exists(root: &Path, rel: &str) -> bool {
    root.join("public").join(rel).exists()
}

/// Every file under `dir`, relative, sorted.
pub fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).expect("prefix").to_path_buf(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect();
    v.sort();
    v
}

pub fn news(title: &str, date: &str, extra: &str, body: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\n{extra}---\n{body}\n")
}

/// A small real PNG (a colour gradient) at `rel`: content may only use
/// images that exist.
pub fn write_png(root: &Path, rel: &str, width: u32, height: u32) {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([
            (x * 255 / width.max(1)) as u8,
            (y * 255 / height.max(1)) as u8,
            128,
        ])
    });
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    img.save_with_format(p, image::ImageFormat::Png)
        .expect("png");
}
