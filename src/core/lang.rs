//! The portal's languages and how dates read in them. Pure.

use serde::Deserialize;

/// UI language of the portal: strings, date formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Ja,
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::Ja => "ja",
            Language::En => "en",
        }
    }

    /// The language of a code (`ja`, `en`), if enishi has its strings.
    pub fn from_code(code: &str) -> Option<Language> {
        [Language::Ja, Language::En]
            .into_iter()
            .find(|l| l.code() == code)
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `2026年10月20日` / `October 20, 2026`.
pub fn format_date(d: jiff::civil::Date, lang: Language) -> String {
    match lang {
        Language::Ja => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Language::En => format!(
            "{} {}, {}",
            MONTHS[(d.month() - 1) as usize],
            d.day(),
            d.year()
        ),
    }
}

/// `2026年10月20日(火)` / `Tue, October 20, 2026`: with the weekday, for events.
pub fn format_date_weekday(d: jiff::civil::Date, lang: Language) -> String {
    let wd = d.weekday().to_monday_zero_offset() as usize;
    match lang {
        Language::Ja => format!(
            "{}({})",
            format_date(d, lang),
            ["月", "火", "水", "木", "金", "土", "日"][wd]
        ),
        Language::En => format!(
            "{}, {}",
            ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][wd],
            format_date(d, lang)
        ),
    }
}

/// `19:00`.
pub fn format_time(t: jiff::civil::Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// RFC 822 date for RSS: `Tue, 20 Oct 2026 10:00:00 +0900`.
pub fn rfc822(z: &jiff::Zoned) -> String {
    z.strftime("%a, %d %b %Y %H:%M:%S %z").to_string()
}

/// RFC 3339 with offset: `2026-10-20T10:00:00+09:00`.
pub fn rfc3339(z: &jiff::Zoned) -> String {
    z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_per_language() {
        let d = jiff::civil::date(2026, 10, 20);
        assert_eq!(format_date(d, Language::Ja), "2026年10月20日");
        assert_eq!(format_date(d, Language::En), "October 20, 2026");
    }
}
