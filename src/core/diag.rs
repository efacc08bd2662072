//! Diagnostics: every problem enishi reports carries the file, and where it
//! has one, the line and column (1-based, of the whole file), plus what was
//! expected. A build collects all of them and reports them together.

use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a diagnostic is. Errors fail the build; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in a file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path as the user knows it (relative to the site root where possible).
    pub file: PathBuf,
    pub line: Option<usize>,
    pub col: Option<usize>,
    pub message: String,
}

impl Diagnostic {
    pub fn error(file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.as_ref().to_path_buf(),
            line: None,
            col: None,
            message: message.into(),
        }
    }

    pub fn warning(file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    pub fn at(mut self, line: usize, col: usize) -> Self {
        self.line = Some(line);
        self.col = Some(col);
        self
    }

    pub fn at_line(mut self, line: Option<usize>) -> Self {
        if let Some(l) = line {
            self.line = Some(l);
            self.col.get_or_insert(1);
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.col {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

/// A list of diagnostics being collected.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }
    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }
    /// Sorted, de-duplicated, errors first within a file: stable output.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort_by(|a, b| {
            (&a.file, a.line, a.col, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.col, b.severity, &b.message))
        });
        self.0.dedup();
        self.0
    }
}

/// Levenshtein distance, for "did you mean …?" suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The closest candidate to `word`, if it is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = edit_distance(word, c);
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    let limit = (word.chars().count() / 3).max(2);
    best.filter(|(d, _)| *d <= limit).map(|(_, c)| c)
}

/// Turn a serde "unknown field `x`, expected one of `a`, `b`" message into
/// one that also says "did you mean `a`?".
/// A nested key keeps serde's path before it (`cms: unknown key …`).
pub fn improve_serde_message(msg: &str) -> String {
    let Some(at) = msg.find("unknown field `") else {
        return msg.to_string();
    };
    let (path, rest) = msg.split_at(at);
    let rest = &rest["unknown field `".len()..];
    let Some(end) = rest.find('`') else {
        return msg.to_string();
    };
    let field = &rest[..end];
    let expected: Vec<&str> = rest[end + 1..]
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s)
        .collect();
    match suggest(field, expected.iter().copied()) {
        Some(s) => format!(
            "{path}unknown key `{field}`: did you mean `{s}`? (valid keys: {})",
            expected.join(", ")
        ),
        None => format!(
            "{path}unknown key `{field}` (valid keys: {})",
            expected.join(", ")
        ),
    }
}

/// Convert a YAML error into a diagnostic, shifting its line by `line_offset`
/// (the number of file lines before the YAML text starts).
pub fn from_yaml_error(file: &Path, err: &serde_yaml_ng::Error, line_offset: usize) -> Diagnostic {
    let raw = err.to_string();
    // serde_yaml appends " at line X column Y"; we print the location ourselves.
    let msg = match raw.find(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw.clone(),
    };
    let msg = improve_serde_message(&msg);
    let d = Diagnostic::error(file, msg);
    match err.location() {
        Some(loc) => d.at(loc.line() + line_offset, loc.column()),
        // Some errors ("more than one document") carry no position: point at
        // the first line of the YAML.
        None => d.at(line_offset + 1, 1),
    }
}

/// 1-based line of the first `key:` in a YAML text (any indentation), for
/// diagnostics about values that deserialised but did not validate.
pub fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let t = l.trim_start().trim_start_matches("- ");
            t.strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with(':'))
        })
        .map(|i| i + 1)
}

/// Decode a file as UTF-8, or say where it is not.
pub fn decode_utf8(source: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let before = &bytes[..valid];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let col_start = before.iter().rposition(|&b| b == b'\n').map(|i| i + 1).unwrap_or(0);
        let col = String::from_utf8_lossy(&before[col_start..]).chars().count() + 1;
        Diagnostic::error(source, "not valid UTF-8: save the file as UTF-8 (Shift_JIS and other encodings are not supported here)").at(line, col)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys() {
        assert_eq!(suggest("titel", ["title", "date", "tags"]), Some("title"));
        assert_eq!(suggest("zzzzzz", ["title", "date"]), None);
    }

    #[test]
    fn improves_unknown_field() {
        let m = improve_serde_message("unknown field `titel`, expected one of `title`, `date`");
        assert!(m.contains("did you mean `title`?"), "{m}");
    }

    #[test]
    fn display_has_location() {
        let d = Diagnostic::error("content/a.md", "boom").at(3, 7);
        assert_eq!(d.to_string(), "error: content/a.md:3:7: boom");
    }

    #[test]
    fn line_of_nested_key() {
        assert_eq!(line_of_key("a: 1\nb:\n  c: 2\n", "c"), Some(3));
    }
}
