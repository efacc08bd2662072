//! `enishi digest`: load the site, render the month's digest, print it or
//! write the `.eml`, `.html` and `.txt` files.

use crate::commands::report::{print_diags, report_failure};
use crate::commands::DigestArgs;
use crate::digest::{digest, output_paths, DigestOptions};
use crate::site::Site;

/// `enishi digest`: load the site, render, print or write. Exit codes as the
/// other commands: 0 ok, 1 content errors, 2 usage errors (dates, addresses).
pub fn run(args: &DigestArgs) -> i32 {
    let opts = crate::site::BuildOptions {
        root: args.root.clone(),
        now: args.now.clone(),
        source_date_epoch: std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .filter(|s| !s.is_empty()),
        ..Default::default()
    };
    let site = match Site::load(&opts) {
        Ok(s) => s,
        Err(d) => return report_failure(&d),
    };
    print_diags(&site.warnings);
    let site = match &args.lang {
        None => site,
        Some(code) if code == site.config.language.code() => site,
        Some(code) => match site
            .language_sites()
            .into_iter()
            .find(|s| s.config.language.code() == code)
        {
            Some(s) => s,
            None => {
                eprintln!(
                    "error: --lang {code:?} is not one of the site's `languages:` in site.yaml"
                );
                return 2;
            }
        },
    };
    let theme = match crate::render::theme::load(&site.root, &site.config) {
        Ok(t) => t,
        Err(d) => return report_failure(&d),
    };
    print_diags(&theme.warnings);
    let dopts = DigestOptions {
        since: args.since.clone(),
        until: args.until.clone(),
        from: args.from.clone(),
        to: args.to.clone(),
    };
    let d = match digest(&site, &theme, &dopts) {
        Ok(d) => d,
        Err(diags) => {
            let usage = diags
                .iter()
                .all(|x| x.file.to_string_lossy().starts_with("--"));
            let code = report_failure(&diags);
            return if usage { 2 } else { code };
        }
    };
    let Some(file) = &args.output else {
        print!("{}", d.text);
        return 0;
    };
    let paths = output_paths(file);
    for (path, bytes) in paths
        .iter()
        .zip([d.eml.as_slice(), d.html.as_bytes(), d.text.as_bytes()])
    {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            if let Err(e) = std::fs::create_dir_all(parent) {
                eprintln!("error: cannot create {}: {e}", parent.display());
                return 1;
            }
        }
        if let Err(e) = std::fs::write(path, bytes) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return 1;
        }
    }
    eprintln!(
        "Digest \"{}\": wrote {}, {} and {}",
        d.subject,
        paths[0].display(),
        paths[1].display(),
        paths[2].display()
    );
    0
}
