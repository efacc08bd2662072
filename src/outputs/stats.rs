//! `/alumni/stats/`: where alumni went, counted, never shown one by one.
//!
//! From the consent-filtered roster view's exact counts
//! ([`crate::input::roster::AlumniCounts`]: people with current consent who
//! let a field be counted, by `consent.public` or `consent.stats`) it
//! publishes, per field (current company, former department, location, year
//! of leaving), one table:
//! - every group shown has at least `roster.stats.min_group` people; smaller
//!   groups are merged into "Other" without their names, and "Other" itself
//!   is shown only when it reaches `min_group`;
//! - every count is rounded to the nearest `roster.stats.round` (halves up),
//!   and rows are ordered by the *rounded* count (then by name), so one
//!   person more or less in a group changes nothing unless the rounded value
//!   changes;
//! - the total is the sum of the rounded counts shown (never the exact
//!   number of people, which would give away the size of "Other").
//!
//! The bar charts are SVG drawn here (no script, no chart library); the
//! same numbers are in a table beside each chart, which is what screen
//! readers read (the chart is `aria-hidden`).
//!
//! [`tables`] is also what `enishi check` prints, with `exact` counts, for
//! the office's own reports (marked "not published").

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::config::{Config, StatsConfig};
use crate::core::escape::escape_html;
use crate::core::lang::Language;
use crate::core::output::HtmlPage;
use crate::input::roster::{AlumniCounts, Publishable};

/// Site path of the page.
pub const PATH: &str = "/alumni/stats/";

/// One published row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The group's name; `None` for "Other".
    pub label: Option<String>,
    pub count: usize,
}

/// One field's table as published (or, with `exact`, as counted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The roster field (`now`, `department`, `location`, `left`).
    pub field: &'static str,
    /// Groups shown, biggest first; "Other" (if shown) last.
    pub rows: Vec<Row>,
    /// Sum of the counts shown.
    pub total: usize,
}

/// `n` rounded to the nearest multiple of `step` (halves up); `step` 0 or 1
/// keeps `n`.
pub fn round_to(n: usize, step: usize) -> usize {
    if step <= 1 {
        return n;
    }
    (n + step / 2) / step * step
}

/// The tables of `counts` under `rules`; `exact` skips rounding (for
/// `enishi check`; small groups are merged either way).
pub fn tables(counts: &AlumniCounts, rules: StatsConfig, exact: bool) -> Vec<Table> {
    let step = if exact { 1 } else { rules.round };
    counts
        .iter()
        .map(|(field, groups)| table(field, groups, rules.min_group, step))
        .collect()
}

fn table(field: &'static str, groups: &BTreeMap<String, usize>, min: usize, step: usize) -> Table {
    let mut rows: Vec<Row> = Vec::new();
    let mut other = 0;
    for (label, &n) in groups {
        if n >= min {
            rows.push(Row {
                label: Some(label.clone()),
                count: round_to(n, step),
            });
        } else {
            other += n;
        }
    }
    if field == "left" {
        // Years read in order; the map's order is the text's, which for
        // four-digit years is the year's.
    } else {
        rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    }
    if other >= min {
        rows.push(Row {
            label: None,
            count: round_to(other, step),
        });
    }
    let total = rows.iter().map(|r| r.count).sum();
    Table { field, rows, total }
}

/// Labels of the page, in the site's language.
pub fn labels(lang: Language) -> Value {
    let pairs: &[(&str, &str)] = match lang {
        Language::Ja => &[
            ("title", "アルムナイのいま"),
            ("intro", "退職したメンバーがいまどこで活躍しているかを、人数で示します。一人ひとりは表示しません。"),
            ("rule", "{min}人未満のグループは「その他」にまとめ、人数は{round}人単位に丸めています。数えているのは、公開または集計への利用に同意した人だけです。"),
            ("now", "現在の勤務先"),
            ("department", "在籍時の部署"),
            ("location", "所在地"),
            ("left", "退職した年"),
            ("other", "その他"),
            ("group", "グループ"),
            ("people", "人数"),
            ("total", "合計"),
            ("none", "公表できる人数のグループはまだありません。"),
            ("unit", "人"),
            ("alumni", "アルムナイ名簿へ"),
            ("privacy", "個人情報の取り扱い"),
        ],
        Language::En => &[
            ("title", "Where our alumni went"),
            ("intro", "Where former members work now, in numbers. No one is shown individually."),
            ("rule", "Groups of fewer than {min} people are merged into \u{201c}Other\u{201d}, and counts are rounded to the nearest {round}. Only people who agreed to be listed or counted are included."),
            ("now", "Current company"),
            ("department", "Former department"),
            ("location", "Location"),
            ("left", "Year of leaving"),
            ("other", "Other"),
            ("group", "Group"),
            ("people", "People"),
            ("total", "Total"),
            ("none", "No group is large enough to publish yet."),
            ("unit", ""),
            ("alumni", "Alumni directory"),
            ("privacy", "Privacy"),
        ],
    };
    Value::Object(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
            .collect(),
    )
}

/// Width of the chart's drawing, in its own units (it scales to the page).
const CHART_W: usize = 320;
/// Room for the number right of the longest bar.
const NUM_W: usize = 44;
const ROW_H: usize = 38;
/// Characters of a label drawn in the chart (the table has it whole).
const LABEL_CHARS: usize = 22;

/// The bar chart of one table, as SVG markup (every text escaped).
pub fn chart_svg(t: &Table, other: &str) -> String {
    let max = t.rows.iter().map(|r| r.count).max().unwrap_or(0).max(1);
    let h = t.rows.len() * ROW_H;
    let mut s = format!(
        "<svg class=\"stats-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {CHART_W} {h}\" width=\"100%\" height=\"{h}\" preserveAspectRatio=\"xMinYMin meet\" aria-hidden=\"true\" focusable=\"false\">"
    );
    for (i, r) in t.rows.iter().enumerate() {
        let y = i * ROW_H;
        let label = r.label.as_deref().unwrap_or(other);
        let mut shown: String = label.chars().take(LABEL_CHARS).collect();
        if label.chars().count() > LABEL_CHARS {
            shown.push('…');
        }
        let w = (r.count * (CHART_W - NUM_W)).div_ceil(max).max(2);
        s.push_str(&format!(
            "<text x=\"0\" y=\"{}\" class=\"stats-label\">{}</text><rect x=\"0\" y=\"{}\" width=\"{w}\" height=\"14\" rx=\"3\" class=\"stats-bar\"/><text x=\"{}\" y=\"{}\" class=\"stats-num\">{}</text>",
            y + 14,
            escape_html(&shown),
            y + 19,
            w + 6,
            y + 31,
            r.count
        ));
    }
    s.push_str("</svg>");
    s
}

/// The page, from the consent-filtered view only.
pub fn page(p: &Publishable, config: &Config) -> HtmlPage {
    let labels = labels(config.language);
    let label = |k: &str| labels[k].as_str().unwrap_or_default().to_string();
    let rules = config.roster.stats;
    let other = label("other");
    let tables: Vec<Value> = tables(p.stats(), rules, false)
        .into_iter()
        .map(|t| {
            json!({
                "field": t.field,
                "heading": label(t.field),
                "id": format!("stats-{}", t.field),
                "rows": t.rows.iter().map(|r| json!({
                    "label": r.label.clone().unwrap_or_else(|| other.clone()),
                    "other": r.label.is_none(),
                    "count": r.count,
                })).collect::<Vec<_>>(),
                "total": t.total,
                "svg": if t.rows.is_empty() { String::new() } else { chart_svg(&t, &other) },
            })
        })
        .collect();
    let rule = label("rule")
        .replace("{min}", &rules.min_group.to_string())
        .replace("{round}", &rules.round.to_string());
    HtmlPage {
        path: PATH.into(),
        template: "alumni_stats.html".into(),
        title: label("title"),
        description: label("intro"),
        vars: json!({
            "stats": {
                "tables": tables,
                "rule": rule,
                "css_url": config.asset_path("/css/directory.css"),
                "alumni_url": config.site_path("/alumni/"),
                "privacy_url": config.site_path("/privacy/"),
            },
            "labels": labels,
        }),
        values: Vec::new(),
        in_sitemap: true,
        noindex: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(groups: &[(&str, usize)]) -> AlumniCounts {
        let mut c = AlumniCounts::default();
        c.fields[0] = groups.iter().map(|(k, n)| (k.to_string(), *n)).collect();
        c
    }

    #[test]
    fn rounds_to_the_nearest_step_halves_up() {
        assert_eq!(
            [0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 13].map(|n| round_to(n, 5)),
            [0, 0, 0, 5, 5, 5, 5, 5, 10, 10, 15]
        );
        assert_eq!(round_to(7, 1), 7);
    }

    #[test]
    fn small_groups_are_merged_without_their_names() {
        let t = &tables(
            &counts(&[("A社", 4), ("B社", 6), ("C社", 3), ("D社", 1)]),
            StatsConfig::default(),
            false,
        )[0];
        assert_eq!(
            t.rows,
            vec![
                Row {
                    label: Some("B社".into()),
                    count: 5
                },
                Row {
                    label: None,
                    count: 10
                },
            ]
        );
        assert_eq!(t.total, 15);
    }

    #[test]
    fn a_small_other_is_not_shown() {
        let t = &tables(
            &counts(&[("A社", 4), ("B社", 9)]),
            StatsConfig::default(),
            false,
        )[0];
        assert_eq!(
            t.rows,
            vec![Row {
                label: Some("B社".into()),
                count: 10
            }]
        );
    }

    #[test]
    fn one_person_more_or_less_in_a_group_of_six_changes_nothing() {
        let rules = StatsConfig::default();
        let base = tables(&counts(&[("A社", 6), ("B社", 12)]), rules, false);
        for n in [5, 7] {
            assert_eq!(
                tables(&counts(&[("A社", n), ("B社", 12)]), rules, false),
                base
            );
        }
    }

    #[test]
    fn check_sees_exact_counts() {
        let t = &tables(
            &counts(&[("A社", 6), ("B社", 2)]),
            StatsConfig::default(),
            true,
        )[0];
        assert_eq!(
            t.rows,
            vec![Row {
                label: Some("A社".into()),
                count: 6
            }]
        );
    }

    #[test]
    fn chart_escapes_labels() {
        let t = Table {
            field: "now",
            rows: vec![Row {
                label: Some("<b>&".into()),
                count: 5,
            }],
            total: 5,
        };
        let svg = chart_svg(&t, "Other");
        assert!(
            svg.contains("&lt;b&gt;&amp;") && !svg.contains("<b>"),
            "{svg}"
        );
    }
}
