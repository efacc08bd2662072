//! The theme: templates, static files and UI strings, found along a lookup
//! chain so that a site overrides one file, not a whole theme:
//!
//! 1. the site's `templates/` (and `static/`),
//! 2. `themes/<name>/` in the site, when `theme:` names one,
//! 3. the default theme embedded in the binary (`themes/default/` of this
//!    repository, via `include_dir`), so `enishi init` works anywhere.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use crate::config::Config;
use crate::core::diag::Diagnostic;
use crate::core::fs::{Found, Jail, Read};
use crate::core::output::OutputFile;

/// The default theme, embedded at compile time.
pub static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

pub struct Theme {
    pub tera: tera::Tera,
    /// UI strings for the site's language.
    pub strings: BTreeMap<String, String>,
    /// Static files to copy to the output root, site files last (they win).
    pub static_files: Vec<OutputFile>,
    /// Template name -> where it came from, for error messages.
    pub origins: HashMap<String, PathBuf>,
    /// What was skipped: links out of the site or theme, FIFOs, devices.
    pub warnings: Vec<Diagnostic>,
}

/// The files under `dir` of `jail` by name (`a/b.css`, relative to `dir`),
/// with the jail's warnings about what it skipped.
fn read_dir_files(jail: &Jail, dir: &str, warnings: &mut Vec<Diagnostic>) -> Vec<(String, Found)> {
    let walk = jail.walk(Path::new(dir));
    warnings.extend(walk.diags);
    walk.files
        .into_iter()
        .filter_map(|f| {
            let rel = f.rel.strip_prefix(dir).ok()?;
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            Some((name, f))
        })
        .collect()
}

fn embedded_files<'a>(dir: &'a Dir<'a>, out: &mut Vec<(String, &'a [u8])>) {
    for f in dir.files() {
        out.push((f.path().to_string_lossy().replace('\\', "/"), f.contents()));
    }
    for d in dir.dirs() {
        embedded_files(d, out);
    }
}

/// Convert a tera error into a diagnostic naming the template file and line.
pub fn tera_diagnostic(
    err: &tera::Error,
    origins: &HashMap<String, PathBuf>,
    context: &str,
) -> Diagnostic {
    let report = match err.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    match report {
        Some(r) => {
            let file = origins
                .get(r.filename())
                .cloned()
                .unwrap_or_else(|| PathBuf::from(r.filename()));
            Diagnostic::error(file, format!("{}{context}", r.message()))
                .at(r.span().start_line, r.span().start_col + 1)
        }
        None => Diagnostic::error("templates", format!("{err}{context}")),
    }
}

/// Load the theme for `config` from `root`.
pub fn load(root: &Path, config: &Config) -> Result<Theme, Vec<Diagnostic>> {
    load_skipping(root, config, &std::collections::BTreeSet::new())
}

/// [`load`], leaving out (not even reading) the site's own `static/` files
/// named in `skip` (paths under `static/`, `/`-separated).
pub fn load_skipping(
    root: &Path,
    config: &Config,
    skip: &std::collections::BTreeSet<String>,
) -> Result<Theme, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut templates: BTreeMap<String, (String, PathBuf)> = BTreeMap::new();
    let mut statics: BTreeMap<String, (Vec<u8>, PathBuf)> = BTreeMap::new();
    let mut strings: BTreeMap<String, String> = BTreeMap::new();
    let lang = config.language.code();

    let mut embedded = Vec::new();
    embedded_files(&DEFAULT_THEME, &mut embedded);
    for (path, bytes) in embedded {
        let origin = PathBuf::from("(built-in theme)").join(&path);
        if let Some(name) = path.strip_prefix("templates/") {
            templates.insert(
                name.to_string(),
                (String::from_utf8_lossy(bytes).into_owned(), origin),
            );
        } else if let Some(name) = path.strip_prefix("static/") {
            statics.insert(name.to_string(), (bytes.to_vec(), origin));
        } else if path == format!("i18n/{lang}.yaml") {
            match serde_yaml_ng::from_slice::<BTreeMap<String, String>>(bytes) {
                Ok(m) => strings.extend(m),
                Err(e) => errors.push(crate::core::diag::from_yaml_error(&origin, &e, 0)),
            }
        }
    }

    // Site files are read inside the site; a theme's inside its own folder.
    let site = Jail::site(root);
    let theme_dir = PathBuf::from("themes").join(&config.theme);
    let theme = site.narrow(&theme_dir).unwrap_or_else(|w| {
        warnings.push(w);
        None
    });
    if theme.is_none() && config.theme != "default" {
        errors.push(Diagnostic::error(
            "site.yaml",
            format!("theme {:?} not found: expected a directory themes/{}/ with templates/ (or use `theme: default`)", config.theme, config.theme),
        ));
    }
    if let Some(theme) = &theme {
        let i18n = PathBuf::from("i18n").join(format!("{lang}.yaml"));
        match theme.read(&i18n) {
            Ok(Read::Bytes(bytes)) => {
                match serde_yaml_ng::from_slice::<BTreeMap<String, String>>(&bytes) {
                    Ok(m) => strings.extend(m),
                    Err(e) => errors.push(crate::core::diag::from_yaml_error(
                        &theme.shown(&i18n),
                        &e,
                        0,
                    )),
                }
            }
            Ok(Read::Missing) => {}
            Ok(Read::Skipped(w)) => warnings.push(w),
            Err(e) => errors.push(e),
        }
    }
    for layer in theme.iter().chain([&site]) {
        for (name, f) in read_dir_files(layer, "templates", &mut warnings) {
            let rel = layer.shown(&f.rel);
            match f.read().map(String::from_utf8) {
                Ok(Ok(s)) => {
                    templates.insert(name, (s, rel));
                }
                Ok(Err(_)) => errors.push(Diagnostic::error(&rel, "template is not valid UTF-8")),
                Err(e) => errors.push(e),
            }
        }
        for (name, f) in read_dir_files(layer, "static", &mut warnings) {
            if std::ptr::eq(layer, &site) && skip.contains(&name) {
                continue;
            }
            let rel = layer.shown(&f.rel);
            match f.read() {
                Ok(b) => {
                    statics.insert(name, (b, rel));
                }
                Err(e) => errors.push(e),
            }
        }
    }

    // `site.yaml`'s `favicon` / `og_image` / `hero.image` paths must be files
    // of the output.
    let hero = config.hero.as_ref().and_then(|h| h.image.as_ref());
    for a in [config.favicon.as_ref(), config.og_image.as_ref(), hero]
        .into_iter()
        .flatten()
    {
        if let Some(name) = a.static_name().filter(|n| !statics.contains_key(*n)) {
            errors.push(
                Diagnostic::error(
                    "site.yaml",
                    format!(
                        "`{}` {:?}: no such file in static/ (put the file at static/{name}, or fix the path)",
                        a.key, a.value
                    ),
                )
                .at_line(a.line),
            );
        }
    }

    let origins: HashMap<String, PathBuf> = templates
        .iter()
        .map(|(n, (_, o))| (n.clone(), o.clone()))
        .collect();
    let mut tera = tera::Tera::new();
    tera.autoescape_on(vec![".html", ".xml", ".txt.html"]);
    crate::render::photos::register_with(
        &mut tera,
        Default::default(),
        std::sync::Arc::new(config.clone()),
    );
    if let Err(e) =
        tera.add_raw_templates(templates.iter().map(|(n, (s, _))| (n.as_str(), s.as_str())))
    {
        errors.push(tera_diagnostic(&e, &origins, ""));
    }
    if !errors.is_empty() {
        errors.extend(warnings);
        return Err(errors);
    }
    let static_files = statics
        .into_iter()
        .map(|(p, (b, _))| OutputFile::new(p, b))
        .collect();
    Ok(Theme {
        tera,
        strings,
        static_files,
        origins,
        warnings,
    })
}
