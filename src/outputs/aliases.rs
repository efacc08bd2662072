//! Redirect pages for front matter `aliases:`: a `noindex` page with a
//! canonical link and a meta refresh to the page's URL.

use crate::core::escape::{encode_path, escape_html};
use crate::core::output::OutputFile;
use crate::render::views::link;
use crate::site::Site;

/// Redirect pages for `aliases:` (plain HTML, no template needed).
pub fn outputs(site: &Site) -> Vec<OutputFile> {
    let mut out = Vec::new();
    for p in &site.pages {
        for a in &p.aliases {
            let target = link(site, &p.path);
            let abs = site.config.abs_url(&encode_path(&p.path));
            let title = escape_html(&p.title);
            let html = format!(
                "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<link rel=\"canonical\" href=\"{abs}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n<body>\n<p><a href=\"{target}\">{title}</a></p>\n</body>\n</html>\n",
                lang = site.config.language.code(),
                abs = escape_html(&abs),
                target = escape_html(&target),
            );
            out.push(OutputFile::new(crate::render::output_path(a), html));
        }
    }
    out
}

/// Redirect pages of `aliases:`.
pub struct Aliases;

impl crate::outputs::Output for Aliases {
    fn name(&self) -> &'static str {
        "aliases"
    }
    fn reads(&self) -> crate::outputs::Reads {
        crate::outputs::Reads {
            cards: true,
            ..Default::default()
        }
    }
    fn run(&self, cx: &crate::outputs::Cx<'_>) -> Vec<OutputFile> {
        outputs(cx.site)
    }
}
