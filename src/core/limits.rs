//! Resource limits on what a site's files may ask of a build: file sizes
//! (checked while reading, before a file is held whole), YAML flow
//! nesting (checked by a linear scan before a YAML parser sees the text)
//! and list lengths (checked by the readers after parsing).
//!
//! Why: content arrives by pull request and builds run in CI, so a small
//! file must not stall or kill a build. libyaml's scanner takes time
//! quadratic in the depth of `[`/`{` nesting (100,000 `[` took over 60 s)
//! before serde's recursion limit applies, so depth is checked first.
//! Each limit is far above what a real portal writes; the errors say
//! which limit was hit and how to stay under it.

use std::io::Read;
use std::path::Path;

use crate::core::diag::Diagnostic;

/// Deepest nesting of flow collections (`[…]`, `{…}`) in any YAML file.
pub const MAX_DEPTH: usize = 64;
/// Largest front matter (the YAML between the `---` lines).
pub const MAX_FRONT_MATTER: usize = 1 << 20;
/// Largest content file (Markdown included).
pub const MAX_CONTENT_FILE: u64 = 64 << 20;
/// Largest `data/roster.yaml` (33,000 people take about 20 MB).
pub const MAX_ROSTER_FILE: u64 = 256 << 20;
/// Largest line of the roster (one value, or one entry in flow style).
pub const MAX_ROSTER_LINE: usize = 64 << 10;
/// Largest `site.yaml` or theme string file.
pub const MAX_CONFIG_FILE: u64 = 1 << 20;
/// Largest CSV file `roster import` reads.
pub const MAX_CSV_FILE: u64 = 256 << 20;
/// Most tags or aliases of one page.
pub const MAX_PAGE_LIST: usize = 1_000;
/// Most skills or links of one person.
pub const MAX_PERSON_LIST: usize = 100;

/// Bytes in words: `1 MB`, `64 KB`.
pub fn size(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{} MB", n >> 20)
    } else {
        format!("{} KB", n >> 10)
    }
}

/// Read at most `limit` bytes of `path`: `Ok(None)` if it holds more. The
/// file is never read past the limit, so a huge file (or an endless one)
/// costs at most `limit` bytes of memory.
pub fn read_capped(path: &Path, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    let file = std::fs::File::open(path)?;
    let hint = file.metadata().map(|m| m.len()).unwrap_or(0);
    if hint > limit {
        return Ok(None);
    }
    let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    file.take(limit + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// The error for a file over its size limit (`what` says how to fix it).
pub fn file_too_large(shown: &Path, limit: u64, what: &str) -> Diagnostic {
    Diagnostic::error(
        shown,
        format!(
            "file is larger than {}, the limit for this file: {what}",
            size(limit)
        ),
    )
    .at(1, 1)
}

/// The error for a list over its limit, `key` named, at `line`.
pub fn list_too_long(
    shown: &Path,
    line: Option<usize>,
    key: &str,
    n: usize,
    limit: usize,
) -> Diagnostic {
    Diagnostic::error(
        shown,
        format!("`{key}` has {n} items, more than the limit of {limit}: keep the list to {limit} or fewer"),
    )
    .at_line(line)
}

/// Where YAML `text` breaks a limit: its flow collections nest deeper
/// than [`MAX_DEPTH`] or (with `max_line`) a line is longer than that.
/// Returns the 1-based line and column (in characters) of the offending
/// bracket or line, and the message. One pass over the bytes.
///
/// The scan is conservative, not a parser: a bracket counts where YAML
/// can open a collection (at the start of a value, or inside another
/// one), not in quoted text, comments or block scalars.
pub fn check_yaml(text: &str, max_line: Option<usize>) -> Option<(usize, usize, String)> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    // A node may start here: after indentation, `- `, `: `, `[`, `{`, `,`.
    let mut node_start = true;
    // Lines of a block scalar: more indented than `Some(indent)`.
    let mut block: Option<usize> = None;
    let mut line = 1usize;
    let mut line_start = 0usize;
    let mut i = 0usize;
    let col = |line_start: usize, i: usize| text[line_start..i].chars().count() + 1;
    while i < b.len() {
        let c = b[i];
        if i == line_start {
            let end = b[i..]
                .iter()
                .position(|&x| x == b'\n')
                .map_or(b.len(), |p| i + p);
            if max_line.is_some_and(|m| end - i > m) {
                let m = max_line.unwrap_or(0);
                return Some((
                    line,
                    1,
                    format!(
                        "line is longer than {}, the limit for one line of this file: shorten the value (or split it over several lines)",
                        size(m as u64)
                    ),
                ));
            }
            let indent = b[i..end].iter().take_while(|&&x| x == b' ').count();
            if let Some(bi) = block {
                if indent > bi || i + indent == end {
                    i = end + 1;
                    line += 1;
                    line_start = i;
                    continue;
                }
                block = None;
            }
            if quote.is_none() {
                node_start = true;
            }
        }
        match (quote, c) {
            (_, b'\n') => {
                line += 1;
                line_start = i + 1;
            }
            (Some(q), _) if c == q => {
                if q == b'\'' && b.get(i + 1) == Some(&b'\'') {
                    i += 1;
                } else {
                    quote = None;
                    node_start = false;
                }
            }
            (Some(b'"'), b'\\') => i += 1,
            (Some(_), _) => {}
            (None, b' ' | b'\t' | b'\r') => {}
            (None, b'#')
                if node_start || matches!(b.get(i.wrapping_sub(1)), Some(b' ' | b'\t')) =>
            {
                while i + 1 < b.len() && b[i + 1] != b'\n' {
                    i += 1;
                }
            }
            (None, b'[' | b'{') if node_start || depth > 0 => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some((
                        line,
                        col(line_start, i),
                        format!(
                            "`[` and `{{` nest more than {MAX_DEPTH} levels deep here: close the brackets you opened (a text value that starts with `[` or `{{` must be quoted)"
                        ),
                    ));
                }
                node_start = true;
            }
            (None, b']' | b'}') if depth > 0 => {
                depth -= 1;
                node_start = false;
            }
            (None, b',') if depth > 0 => node_start = true,
            (None, b'"' | b'\'') if node_start => quote = Some(c),
            (None, b'-' | b':' | b'?')
                if matches!(b.get(i + 1), None | Some(b' ' | b'\n' | b'\r'))
                    && (c == b':' || node_start) =>
            {
                node_start = true;
            }
            (None, b'|' | b'>') if node_start && depth == 0 => {
                let indent = b[line_start..].iter().take_while(|&&x| x == b' ').count();
                block = Some(indent);
                while i + 1 < b.len() && b[i + 1] != b'\n' {
                    i += 1;
                }
            }
            (None, _) => node_start = false,
        }
        i += 1;
    }
    None
}

/// [`check_yaml`] as a diagnostic of file `shown`, whose YAML starts after
/// `line_offset` lines.
pub fn yaml_limits(
    shown: &Path,
    text: &str,
    line_offset: usize,
    max_line: Option<usize>,
) -> Result<(), Diagnostic> {
    match check_yaml(text, max_line) {
        None => Ok(()),
        Some((line, col, msg)) => Err(Diagnostic::error(shown, msg).at(line + line_offset, col)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_error(t: &str) -> Option<(usize, usize)> {
        check_yaml(t, None).map(|(l, c, _)| (l, c))
    }

    #[test]
    fn deep_flow_is_found_where_it_is() {
        let t = format!("a: 1\nb: {}\n", "[".repeat(100));
        assert_eq!(depth_error(&t), Some((2, 4 + MAX_DEPTH)));
        let t = format!("b: {}\n", "{a: ".repeat(100));
        assert!(depth_error(&t).is_some());
    }

    #[test]
    fn brackets_that_yaml_reads_as_text_do_not_count() {
        let deep = "[".repeat(100);
        for t in [
            format!("title: a{deep}\n"),
            format!("title: \"{deep}\"\n"),
            format!("title: '{deep}'\n"),
            format!("title: x # {deep}\n"),
            format!("# {deep}\n"),
            format!("body: |\n  {deep}\n  more\nnext: 1\n"),
            format!("list: [\"{deep}\", '{deep}', x]\n"),
            format!("t: \"it's\n  {deep}\"\n"),
        ] {
            assert_eq!(depth_error(&t), None, "{t}");
        }
        assert!(depth_error(&format!("body: |\n  x\nnext: {deep}\n")).is_some());
        assert!(depth_error(&format!("- - {deep}\n")).is_some());
        assert!(depth_error(&"[".repeat(65)).is_some());
        assert!(depth_error(&"[".repeat(64)).is_none());
    }

    #[test]
    fn long_lines() {
        let t = format!("a: 1\nb: {}\n", "x".repeat(100));
        assert_eq!(check_yaml(&t, Some(50)).map(|e| e.0), Some(2));
        assert_eq!(check_yaml(&t, Some(200)), None);
    }

    #[test]
    fn capped_read() {
        let dir = std::env::temp_dir().join(format!("enishi-limits-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("f");
        std::fs::write(&p, b"12345").unwrap();
        assert_eq!(read_capped(&p, 5).unwrap(), Some(b"12345".to_vec()));
        assert_eq!(read_capped(&p, 4).unwrap(), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
