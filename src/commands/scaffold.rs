//! `enishi init` (a new site from the embedded starter) and `enishi new`
//! (one content file with the front matter of its kind).

use std::path::Path;

use include_dir::{include_dir, Dir};

use crate::core::text::{ascii_slug, slugify};
use crate::model::Kind;

static STARTER: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/commands/starter");

fn write_dir(dir: &Dir<'_>, dest: &Path) -> std::io::Result<usize> {
    let mut n = 0;
    for f in dir.files() {
        let p = dest.join(f.path());
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&p, f.contents())?;
        n += 1;
    }
    for d in dir.dirs() {
        n += write_dir(d, dest)?;
    }
    Ok(n)
}

/// The new site's `.gitignore`: the build output and enishi's own cache
/// are made again by every build, so they stay out of the repository.
/// Written here, not kept in `starter/`, where git would apply it to this
/// repository.
const GITIGNORE: &str =
    "# enishi build output and cache: `enishi build` makes them again\n/public/\n/.enishi/\n";

/// `enishi init DIR`.
pub fn init(dir: &Path) -> i32 {
    if dir.exists() {
        let non_empty = std::fs::read_dir(dir)
            .map(|mut r| r.next().is_some())
            .unwrap_or(true);
        if non_empty {
            eprintln!(
                "error: {} is not empty; `enishi init` only writes into an empty or new directory",
                dir.display()
            );
            return 1;
        }
    }
    let written = std::fs::create_dir_all(dir)
        .and_then(|_| write_dir(&STARTER, dir))
        .and_then(|n| std::fs::write(dir.join(".gitignore"), GITIGNORE).map(|_| n + 1));
    match written {
        Ok(n) => {
            eprintln!(
                "Created a new enishi site in {} ({n} files).",
                dir.display()
            );
            eprintln!("Next:\n  cd {}\n  enishi serve      # preview at http://127.0.0.1:1111\n  enishi build      # write the site to public/", dir.display());
            0
        }
        Err(e) => {
            eprintln!("error: cannot create the site in {}: {e}", dir.display());
            1
        }
    }
}

fn front_matter(kind: Kind, title: &str, date: &str) -> String {
    let title = serde_json::to_string(title).unwrap_or_else(|_| "\"\"".into());
    let common = format!("title: {title}\ndate: {date}\nsummary: \"\"\ntags: []\ndraft: true\n");
    match kind {
        Kind::Interview => format!(
            "{common}person:\n  name: \"\"\n  reading: \"\"\n  joined: 2015\n  left: 2020\n  then: \"\"\n  now: {{ company: \"\", role: \"\" }}\n# roster_id: tanaka-hanako\n"
        ),
        Kind::News => common,
        Kind::Job => format!(
            "{common}kind: comeback          # comeback | referral | side-job | contract | full-time\ndepartment: \"\"\nlocation: 東京\nremote: hybrid          # onsite | hybrid | remote\nemployment: FULL_TIME   # FULL_TIME | PART_TIME | CONTRACTOR | TEMPORARY | INTERN | OTHER\n# salary: {{ min: 6000000, max: 9000000, currency: JPY, unit: YEAR }}\napply: mailto:alumni@example.co.jp\n# closes: 2027-01-31\n"
        ),
        Kind::Event => format!(
            "{common}kind: meetup            # reunion | pitch | seminar | meetup | other\nstart: {date}T19:00:00+09:00\nend: {date}T21:00:00+09:00\nvenue: {{ name: \"\", address: \"\" }}\n# online: https://meet.example.com/…\n# register: https://…\n# capacity: 30\n"
        ),
        Kind::Page => format!("title: {title}\nsummary: \"\"\ndraft: true\n"),
    }
}

/// `enishi new KIND TITLE [--slug S]`.
/// `rel_dir` (`content/<kind>/`) of the site, never through a link out of it
/// (`content/jobs -> /elsewhere`); `None` after printing why.
fn content_dir(root: &Path, rel_dir: &Path) -> Option<std::path::PathBuf> {
    match crate::core::fs::Jail::site(root).target(rel_dir) {
        Ok(d) => Some(d),
        Err(d) => {
            eprintln!("{d}");
            None
        }
    }
}

pub fn new_content(root: &Path, kind: &str, title: &str, slug: Option<&str>) -> i32 {
    let Some(kind) = Kind::from_name(kind) else {
        eprintln!(
            "error: unknown kind {kind:?}: expected one of interview, news, job, event, page"
        );
        return 2;
    };
    if !root.join("site.yaml").is_file() {
        eprintln!("error: {} has no site.yaml: run this inside a site (or pass --root), or create one with `enishi init`", root.display());
        return 1;
    }
    let today = jiff::Zoned::now().date();
    let base = match slug {
        Some(s) => {
            let s = slugify(s);
            if s.is_empty() {
                eprintln!("error: --slug needs letters or digits");
                return 2;
            }
            s
        }
        None => {
            let a = ascii_slug(title);
            if a.len() >= 3 {
                a
            } else {
                // Japanese titles: a readable, stable date-based slug.
                format!("{today}")
            }
        }
    };
    let rel_dir = Path::new("content").join(kind.dir());
    let Some(dir) = content_dir(root, &rel_dir) else {
        return 1;
    };
    let mut name = base.clone();
    let mut n = 2;
    // A dangling link counts as taken: writing to it would create its target.
    while dir.join(format!("{name}.md")).symlink_metadata().is_ok() {
        name = format!("{base}-{n}");
        n += 1;
    }
    let shown = root.join(&rel_dir).join(format!("{name}.md"));
    let path = dir.join(format!("{name}.md"));
    let body = format!(
        "---\n{}---\n\nここに本文を書きます。\n",
        front_matter(kind, title, &today.to_string())
    );
    let create = || {
        use std::io::Write as _;
        std::fs::create_dir_all(&dir)?;
        // create_new: fails on anything already there, a link included.
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        f.write_all(body.as_bytes())
    };
    match create() {
        Ok(()) => {
            println!("{}", shown.display());
            eprintln!(
                "Created {} (draft: true — remove it to publish). URL: {}",
                shown.display(),
                match kind {
                    Kind::Page => format!("/{name}/"),
                    k => format!("/{}/{name}/", k.dir()),
                }
            );
            0
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", shown.display());
            1
        }
    }
}

/// `enishi new --lang CODE KIND TITLE --slug S`: the translation
/// skeleton `content/<kind>/<S>.<CODE>.md` of the existing `<S>.md`, with
/// only its title; every other front matter key is inherited.
pub fn new_translation(
    root: &Path,
    kind: &str,
    title: &str,
    slug: Option<&str>,
    lang: &str,
) -> i32 {
    let Some(kind) = Kind::from_name(kind) else {
        eprintln!(
            "error: unknown kind {kind:?}: expected one of interview, news, job, event, page"
        );
        return 2;
    };
    let config = match crate::config::load(root, None) {
        Ok(c) => c,
        Err(errors) => {
            for e in errors {
                eprintln!("{e}");
            }
            return 1;
        }
    };
    if !config.languages.iter().any(|l| l.code() == lang) {
        eprintln!("error: --lang {lang:?} is not one of the site's `languages:` in site.yaml (add it there first, e.g. `languages: {{ {lang}: {{ title: … }} }}`)");
        return 2;
    }
    let Some(slug) = slug else {
        eprintln!(
            "error: --lang needs --slug, the file name of the original (content/{}/<slug>.md)",
            kind.dir()
        );
        return 2;
    };
    let rel_dir = Path::new("content").join(kind.dir());
    let Some(dir) = content_dir(root, &rel_dir) else {
        return 1;
    };
    let original = dir.join(format!("{slug}.md"));
    if !original.is_file() {
        eprintln!(
            "error: no original {}: a translation sits beside the file it translates (check --slug)",
            root.join(&rel_dir).join(format!("{slug}.md")).display()
        );
        return 1;
    }
    let name = format!("{slug}.{lang}.md");
    let shown = root.join(&rel_dir).join(&name);
    let title = serde_json::to_string(title).unwrap_or_else(|_| "\"\"".into());
    let body = format!(
        "---\ntitle: {title}\n# Every other key (date, tags, person, job and event details) comes from {slug}.md;\n# set one here only to translate it (summary, tags, venue …).\n---\n\nThe translated text goes here.\n"
    );
    let create = || {
        use std::io::Write as _;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(dir.join(&name))?;
        f.write_all(body.as_bytes())
    };
    match create() {
        Ok(()) => {
            println!("{}", shown.display());
            let path = match kind {
                Kind::Page => format!("/{lang}/{slug}/"),
                k => format!("/{lang}/{}/{slug}/", k.dir()),
            };
            eprintln!(
                "Created {} (translates {slug}.md). URL: {path}",
                shown.display()
            );
            0
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", shown.display());
            1
        }
    }
}
