//! `enishi roster import FILE.csv`: merge an HR export into `data/roster.yaml`.
//!
//! - **Encoding**: UTF-8 (with or without BOM) or Shift_JIS (Windows-31J, as
//!   written by Japanese Excel); anything else is an error.
//! - **Header row**: column names are roster field names: `id` (required),
//!   `name`, `name_en`, `reading`, `joined`, `left`, `department`,
//!   `location`, `skills`, `email`, `message`; nested fields with `_` or `.`:
//!   `now_company`/`now.company`, `now_role`/`now.role`,
//!   `links_<name>`/`links.<name>` (e.g. `links_linkedin`), and consent:
//!   `consent_given`, `consent_version`, `consent_public`, `consent_members`,
//!   `consent_stats`, `consent_withdrawn`. Names are case-insensitive; unknown
//!   columns are errors.
//! - **Lists** (`skills`, `consent_public`, `consent_members`,
//!   `consent_stats`): items separated
//!   by `;` or `|` (a comma would clash with CSV), e.g. `name;now;department`.
//! - **Merge by id**: a new id adds a person; an existing id updates the
//!   columns present. An empty cell leaves the existing value unchanged (an
//!   import never erases data by accident; edit the YAML to remove a value).
//! - **Consent**: an import changes consent only where a cell says so.
//!   Without consent columns, or with an empty consent cell, existing
//!   consent is kept exactly as it is and new people get none (default
//!   deny). A `consent_public` / `consent_members` / `consent_stats` cell
//!   lists the fields at that level (`stats`: counted in `/alumni/stats/`,
//!   never shown; `now`, `department`, `location`, `left` only); `-` deliberately means "no field" (an empty cell is too
//!   easy to leave by accident to mean that). A list without a
//!   `consent_given` date (in the CSV or already in the roster) is an error.
//!   `consent_withdrawn` can set a withdrawal, never clear one.
//! - **All or nothing**: every bad row is reported (row 1 is the header, so
//!   row numbers match the spreadsheet) and nothing is written. Otherwise the
//!   file is replaced atomically (temporary file + rename). Entries that did
//!   not change keep their text (and comments) byte for byte; if nothing
//!   changed the file is not touched at all.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_yaml_ng::Value;

use super::{parse_raw, split_items, RawEntry, RawNow, ROSTER_PATH};
use crate::config::Config;
use crate::core::diag::Diagnostic;
use crate::core::fs::{as_error, write_atomic, Jail, Read};

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportSummary {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// One CSV column, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Column {
    Field(&'static str),
    NowCompany,
    NowRole,
    Link(String),
    ConsentGiven,
    ConsentVersion,
    ConsentPublic,
    ConsentMembers,
    ConsentStats,
    ConsentWithdrawn,
}

const COLUMN_NAMES: &[&str] = &[
    "id",
    "name",
    "name_en",
    "reading",
    "joined",
    "left",
    "department",
    "location",
    "skills",
    "email",
    "message",
    "now_company",
    "now_role",
    "links_<name>",
    "consent_given",
    "consent_version",
    "consent_public",
    "consent_members",
    "consent_stats",
    "consent_withdrawn",
];

fn column(header: &str) -> Option<Column> {
    let h = header.trim().to_lowercase().replace('.', "_");
    // The plain field columns are the first eleven names.
    let simple = &COLUMN_NAMES[..11];
    if let Some(f) = simple.iter().find(|f| **f == h) {
        return Some(Column::Field(f));
    }
    Some(match h.as_str() {
        "now_company" => Column::NowCompany,
        "now_role" => Column::NowRole,
        "consent_given" => Column::ConsentGiven,
        "consent_version" => Column::ConsentVersion,
        "consent_public" => Column::ConsentPublic,
        "consent_members" => Column::ConsentMembers,
        "consent_stats" => Column::ConsentStats,
        "consent_withdrawn" => Column::ConsentWithdrawn,
        _ => {
            let name = h.strip_prefix("links_")?;
            if name.is_empty() {
                return None;
            }
            Column::Link(name.to_string())
        }
    })
}

/// Decode CSV bytes: UTF-8 (BOM optional), else Shift_JIS.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8(rest.to_vec())
            .map_err(|e| format!("starts with a UTF-8 BOM but is not valid UTF-8: {e}"));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(bytes);
    if had_errors {
        return Err(
            "neither UTF-8 nor Shift_JIS: save the CSV as UTF-8 (or \"CSV (Shift_JIS)\" from Excel)"
                .into(),
        );
    }
    Ok(text.into_owned())
}

fn split_list(cell: &str) -> Vec<String> {
    cell.split([';', '|'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// What a consent list cell (`consent_public`, …) sets, given the stored
/// list: `-` is "no field", anything else the fields listed. `None` when
/// that is what is stored already (same fields, in any order), so the
/// entry keeps its text.
fn consent_cell(cell: &str, stored: Option<&[String]>) -> Option<Vec<String>> {
    let stored = stored.unwrap_or_default();
    let list = if cell == "-" {
        Vec::new()
    } else {
        let mut seen = BTreeSet::new();
        split_list(cell)
            .into_iter()
            .filter(|f| seen.insert(f.clone()))
            .collect()
    };
    let same = list.len() == stored.len() && list.iter().all(|f| stored.contains(f));
    (!same).then_some(list)
}

fn year_value(cell: &str) -> Value {
    match cell.parse::<u64>() {
        Ok(n) if cell.len() == 4 => Value::Number(n.into()),
        _ => Value::String(cell.to_string()),
    }
}

/// Apply one CSV row to an entry (a copy of the existing one, or empty).
fn apply_row(
    entry: &mut RawEntry,
    cols: &[Column],
    record: &csv::StringRecord,
) -> Result<(), String> {
    let mut consent = entry.consent.clone().unwrap_or_default();
    let mut consent_touched = false;
    for (col, cell) in cols.iter().zip(record.iter()) {
        let cell = cell.trim();
        if cell.is_empty() {
            continue;
        }
        let s = || Some(cell.to_string());
        match col {
            Column::Field("id") => {}
            Column::Field("name") => entry.name = s(),
            Column::Field("name_en") => entry.name_en = s(),
            Column::Field("reading") => entry.reading = s(),
            Column::Field("joined") => entry.joined = Some(year_value(cell)),
            Column::Field("left") => entry.left = Some(year_value(cell)),
            Column::Field("department") => entry.department = s(),
            Column::Field("location") => entry.location = s(),
            Column::Field("skills") => entry.skills = Some(split_list(cell)),
            Column::Field("email") => entry.email = s(),
            Column::Field("message") => entry.message = s(),
            Column::Field(_) => {}
            Column::NowCompany => entry.now.get_or_insert_with(RawNow::default).company = s(),
            Column::NowRole => entry.now.get_or_insert_with(RawNow::default).role = s(),
            Column::Link(name) => {
                entry
                    .links
                    .get_or_insert_with(BTreeMap::new)
                    .insert(name.clone(), cell.to_string());
            }
            Column::ConsentGiven => {
                consent.given = Some(Value::String(cell.to_string()));
                consent_touched = true;
            }
            Column::ConsentVersion => {
                consent.version = Some(cell.parse().map_err(|_| {
                    "`consent_version` is not a whole number: expected a notice version such as 1".to_string()
                })?);
                consent_touched = true;
            }
            Column::ConsentPublic | Column::ConsentMembers | Column::ConsentStats => {
                let slot = match col {
                    Column::ConsentPublic => &mut consent.public,
                    Column::ConsentMembers => &mut consent.members,
                    _ => &mut consent.stats,
                };
                if let Some(list) = consent_cell(cell, slot.as_deref()) {
                    *slot = Some(list);
                    consent_touched = true;
                }
            }
            Column::ConsentWithdrawn => {
                consent.withdrawn = Some(Value::String(cell.to_string()));
                consent_touched = true;
            }
        }
    }
    if consent_touched {
        let has_fields = consent
            .public
            .iter()
            .chain(&consent.members)
            .chain(&consent.stats)
            .any(|l| !l.is_empty());
        let given = consent.given.as_ref().is_some_and(|g| !g.is_null());
        if has_fields && !given {
            return Err(
                "consent fields without a `consent_given` date: add the date the person opted in"
                    .into(),
            );
        }
        entry.consent = Some(consent);
    }
    Ok(())
}

/// `enishi roster import FILE.csv`: merge into `<root>/data/roster.yaml` by
/// id; atomic write. See the module docs for the CSV format.
pub fn import_csv(
    root: &Path,
    csv_path: &Path,
    config: &Config,
) -> Result<ImportSummary, Vec<Diagnostic>> {
    let shown_csv = csv_path.to_path_buf();
    let bytes = crate::core::fs::read_named(csv_path).map_err(|d| vec![d])?;
    use crate::core::limits::{file_too_large, MAX_CSV_FILE};
    if bytes.len() as u64 > MAX_CSV_FILE {
        return Err(vec![file_too_large(
            &shown_csv,
            MAX_CSV_FILE,
            "export fewer columns or split the people over several files",
        )]);
    }
    let text = decode(&bytes).map_err(|m| vec![Diagnostic::error(&shown_csv, m)])?;

    // The existing roster must be valid before we touch it.
    // Read and replaced only inside the site: never through a link out
    // (the rename would replace the link; reading it would publish a file
    // from elsewhere), never a FIFO.
    let shown_roster = PathBuf::from(ROSTER_PATH);
    let jail = Jail::site(root);
    let roster_file = jail.target(&shown_roster).map_err(|d| vec![d])?;
    let existing_text = match jail.read(&shown_roster).map_err(|d| vec![d])? {
        Read::Bytes(b) => String::from_utf8(b)
            .map_err(|_| vec![Diagnostic::error(&shown_roster, "not valid UTF-8")])?,
        Read::Missing => String::new(),
        Read::Skipped(w) => return Err(vec![as_error(w)]),
    };
    super::parse(&existing_text, &shown_roster, config)?;
    let (existing, errs) = parse_raw(&existing_text, &shown_roster);
    if !errs.is_empty() {
        return Err(errs);
    }
    let chunks = split_items(
        existing_text
            .strip_prefix('\u{feff}')
            .unwrap_or(&existing_text),
    );
    // Items must map 1:1 onto chunks to rewrite in place.
    if chunks.len() != existing.len() && !existing.is_empty() {
        return Err(vec![Diagnostic::error(
            &shown_roster,
            "cannot merge into this layout: write the roster as a block list (`- id: …` items)",
        )]);
    }
    let id_of = |r: &RawEntry| match &r.id {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let index: BTreeMap<String, usize> = existing
        .iter()
        .enumerate()
        .map(|(i, (r, _, _))| (id_of(r), i))
        .collect();

    // Read the CSV.
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::None)
        .from_reader(text.as_bytes());
    let mut errors = Vec::new();
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Err(vec![
                Diagnostic::error(&shown_csv, format!("row 1: {e}")).at_line(Some(1))
            ])
        }
    };
    let mut cols = Vec::new();
    let mut seen_cols = BTreeSet::new();
    for h in headers.iter() {
        match column(h) {
            Some(c) => {
                if !seen_cols.insert(format!("{c:?}")) {
                    errors.push(
                        Diagnostic::error(&shown_csv, format!("row 1: column `{h}` appears twice"))
                            .at_line(Some(1)),
                    );
                }
                cols.push(c);
            }
            None => {
                let norm = h.trim().to_lowercase().replace('.', "_");
                let hint = crate::core::diag::suggest(&norm, COLUMN_NAMES.iter().copied())
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                errors.push(
                    Diagnostic::error(
                        &shown_csv,
                        format!(
                            "row 1: unknown column `{h}`: {hint}(columns: {})",
                            COLUMN_NAMES.join(", ")
                        ),
                    )
                    .at_line(Some(1)),
                );
                cols.push(Column::Field("id"));
            }
        }
    }
    let Some(id_col) = headers
        .iter()
        .position(|h| h.trim().eq_ignore_ascii_case("id"))
    else {
        errors.push(
            Diagnostic::error(
                &shown_csv,
                "row 1: no `id` column: every row needs the person's id",
            )
            .at_line(Some(1)),
        );
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut updated_entries: BTreeMap<usize, RawEntry> = BTreeMap::new();
    let mut added: Vec<(String, RawEntry)> = Vec::new();
    let mut rows_seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut summary = ImportSummary::default();
    for (i, rec) in reader.records().enumerate() {
        let row = i + 2;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                errors.push(
                    Diagnostic::error(&shown_csv, format!("row {row}: {e}")).at_line(Some(row)),
                );
                continue;
            }
        };
        let line = rec.position().map(|p| p.line() as usize).unwrap_or(row);
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let id = rec.get(id_col).unwrap_or("").trim().to_string();
        if !super::is_valid_id(&id) {
            // Never quoted: an invalid id may be a name or an address.
            errors.push(
                Diagnostic::error(
                    &shown_csv,
                    format!("row {row}, column `{}`: invalid id: expected lowercase ASCII letters, digits, `-` and `_` (e.g. `tanaka-hanako`)", headers.get(id_col).unwrap_or("id").trim()),
                )
                .at_line(Some(line)),
            );
            continue;
        }
        let err = |m: String| {
            Diagnostic::error(&shown_csv, format!("row {row} (id `{id}`): {m}")).at_line(Some(line))
        };
        if let Some(first) = rows_seen.insert(id.clone(), row) {
            errors.push(err(format!(
                "id `{id}` also on row {first}: one row per person"
            )));
            continue;
        }
        let existing_idx = index.get(&id).copied();
        let mut entry = match existing_idx {
            Some(k) => existing[k].0.clone(),
            None => RawEntry {
                id: Some(Value::String(id.clone())),
                ..RawEntry::default()
            },
        };
        if let Err(m) = apply_row(&mut entry, &cols, &rec) {
            errors.push(err(m));
            continue;
        }
        // Validate the merged entry with the roster's own rules.
        let snippet = serialize_entry(&entry);
        if let Err(es) = super::parse(&snippet, &shown_roster, config) {
            for e in es {
                errors.push(err(e.message));
            }
            continue;
        }
        match existing_idx {
            Some(k) if existing[k].0 == entry => summary.unchanged += 1,
            Some(k) => {
                summary.updated += 1;
                updated_entries.insert(k, entry);
            }
            None => {
                summary.added += 1;
                added.push((id, entry));
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if summary.added == 0 && summary.updated == 0 {
        return Ok(summary);
    }

    // Rebuild the text: unchanged items verbatim, updated ones re-serialised
    // (keeping trailing comments that introduce the next item), new ones appended.
    let mut out = String::new();
    let first_item_line = chunks.first().map(|(l, _)| *l).unwrap_or(usize::MAX);
    for (n, line) in existing_text.lines().enumerate() {
        if n + 1 >= first_item_line {
            break;
        }
        out.push_str(line);
        out.push('\n');
    }
    for (k, (_, chunk)) in chunks.iter().enumerate() {
        match updated_entries.get(&k) {
            Some(e) => {
                out.push_str(&serialize_entry(e));
                let trailing: Vec<&str> = chunk
                    .lines()
                    .rev()
                    .take_while(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
                    .collect();
                for l in trailing.iter().rev() {
                    out.push_str(l);
                    out.push('\n');
                }
            }
            None => out.push_str(chunk),
        }
    }
    for (_, e) in &added {
        out.push_str(&serialize_entry(e));
    }
    // Final check of the whole file before it replaces the old one.
    super::parse(&out, &shown_roster, config)?;
    write_atomic(&roster_file, out.as_bytes()).map_err(|e| {
        vec![Diagnostic::error(
            &shown_roster,
            format!("cannot write {}: {e}", root.join(ROSTER_PATH).display()),
        )]
    })?;
    Ok(summary)
}

/// One entry as a YAML list item (`- id: …`).
fn serialize_entry(e: &RawEntry) -> String {
    serde_yaml_ng::to_string(&vec![e]).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns() {
        assert_eq!(column("now.company"), Some(Column::NowCompany));
        assert_eq!(column(" Now_Role "), Some(Column::NowRole));
        assert_eq!(
            column("links_linkedin"),
            Some(Column::Link("linkedin".into()))
        );
        assert_eq!(column("emial"), None);
    }

    #[test]
    fn decodes_shift_jis() {
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("id,name\nx,田中\n");
        assert_eq!(decode(&sjis).unwrap(), "id,name\nx,田中\n");
        assert_eq!(decode(b"\xEF\xBB\xBFid\n").unwrap(), "id\n");
        assert!(decode(b"\xff\xff\xff").is_err());
    }

    #[test]
    fn lists() {
        assert_eq!(
            split_list("name; now|department ;"),
            ["name", "now", "department"]
        );
    }
}
