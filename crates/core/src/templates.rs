//! The fixed texts under `templates/`, with the network's names filled in.
//!
//! They live in files, not code, so that wording can be reviewed and changed
//! without touching the program; they are built in at compile time.

use crate::network::Network;
use serde::Deserialize;
use std::sync::OnceLock;
use toml::value::Date;

/// The commented starter `query.toml` that `ahq new` writes.
pub const STARTER_QUERY: &str = include_str!("../../../templates/query.toml");
const DISCLAIMER: &str = include_str!("../../../templates/disclaimer.txt");
const STATEMENT: &str = include_str!("../../../templates/statement.txt");
const INSTRUCTIONS: &str = include_str!("../../../templates/instructions.txt");
const COMPILATION: &str = builtin_toml!(include_str!("../../../templates/compilation.toml"));

/// A built-in TOML table (`include_str!` of a file under `templates/`) as
/// the program parses it: without its comment lines and blank lines,
/// dropped at compile time. The comments are for whoever edits the file;
/// kept, they would weigh on the web page, which carries the tables. A
/// line inside a multi-line string that looks like a comment would be
/// dropped too: the unit test `built_in_tables_parse_the_same_without_their_comment_lines`
/// parses each table both ways, and each use of this macro belongs in it.
macro_rules! builtin_toml {
    ($raw:expr) => {{
        const RAW: &str = $raw;
        const LEN: usize = $crate::templates::kept_len(RAW);
        const KEPT: &[u8; LEN] = &$crate::templates::without_comment_lines::<LEN>(RAW);
        match ::std::str::from_utf8(KEPT) {
            Ok(text) => text,
            Err(_) => panic!("whole lines dropped from UTF-8 leave UTF-8"),
        }
    }};
}
pub(crate) use builtin_toml;

/// The line of `raw` that starts at `start`: where it ends (past its
/// newline), and whether it is kept (neither blank nor a `#` comment).
const fn line_at(raw: &[u8], start: usize) -> (usize, bool) {
    let mut end = start;
    while end < raw.len() && raw[end] != b'\n' {
        end += 1;
    }
    if end < raw.len() {
        end += 1; // the line's own newline
    }
    let mut first = start;
    while first < end && raw[first].is_ascii_whitespace() {
        first += 1;
    }
    (end, first < end && raw[first] != b'#')
}

/// The length of `raw`'s kept lines, together.
pub(crate) const fn kept_len(raw: &str) -> usize {
    let raw = raw.as_bytes();
    let (mut start, mut len) = (0, 0);
    while start < raw.len() {
        let (end, kept) = line_at(raw, start);
        if kept {
            len += end - start;
        }
        start = end;
    }
    len
}

/// `raw`'s kept lines, together; `N` is their length ([`kept_len`]).
pub(crate) const fn without_comment_lines<const N: usize>(raw: &str) -> [u8; N] {
    let raw = raw.as_bytes();
    let mut out = [0u8; N];
    let (mut start, mut len) = (0, 0);
    while start < raw.len() {
        let (end, kept) = line_at(raw, start);
        let mut i = start;
        while kept && i < end {
            out[len] = raw[i];
            len += 1;
            i += 1;
        }
        start = end;
    }
    assert!(len == N, "N is kept_len(raw)");
    out
}

fn fill(text: &str, network: &Network) -> String {
    text.trim()
        .replace("{network}", &network.name)
        .replace("{contact_point}", &network.contact_point)
}

/// The disclaimer printed on every compilation.
pub fn disclaimer(network: &Network) -> String {
    fill(DISCLAIMER, network)
}

/// What replaces a restricted response in the compilation for wider dissemination.
pub fn statement(network: &Network) -> String {
    fill(STATEMENT, network)
}

/// The instructions at the top of a response template; `page`, the name
/// of the checking page sent with it.
pub fn instructions(network: &Network, deadline: Option<Date>, page: Option<&str>) -> String {
    let clause = deadline.map_or(String::new(), |d| format!(" by {}", long_date(d)));
    let check = page.map_or(String::new(), |p| {
        format!(
            " Before you send it, open {p} (sent with this workbook) in your web browser and \
             drop your file on it: it checks your file as the coordinator will, and nothing \
             leaves your computer."
        )
    });
    fill(INSTRUCTIONS, network)
        .replace("{deadline_clause}", &clause)
        .replace("{check_clause}", &check)
}

/// The fixed texts of a compilation (`templates/compilation.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    pub cover: CoverLabels,
    pub responses: ResponsesLabels,
    pub summary: SummaryLabels,
    pub log: LogLabels,
    pub intake: IntakeLabels,
    pub properties: PropertyLabels,
    pub document: DocumentLabels,
    pub print: PrintLabels,
    pub changes: ChangesLabels,
    pub analysis: AnalysisLabels,
}

/// The Partners and Themes sheets, and the "At a glance" section (part 14).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnalysisLabels {
    pub partners_sheet: String,
    pub partners_heading: String,
    pub themes_sheet: String,
    pub themes_heading: String,
    pub members_heading: String,
    pub country: String,
    pub total: String,
    pub cell_note: String,
    pub chart_partners: String,
    pub chart_themes: String,
    pub chart_axis: String,
    pub none: String,
    pub glance: String,
    pub glance_tallies: String,
    pub glance_tally: String,
    pub glance_not_answered: String,
    pub glance_withheld: String,
    pub glance_partners: String,
    pub glance_partner: String,
    pub glance_no_partners: String,
    pub glance_members: String,
    pub glance_themes: String,
    pub glance_theme: String,
    pub glance_note: String,
    pub log_mention: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangesLabels {
    pub sheet: String,
    pub heading: String,
    pub heading_undated: String,
    pub country: String,
    pub change: String,
    pub none: String,
    pub added: String,
    pub added_many: String,
    pub corrected: String,
    pub removed: String,
    pub left_out: String,
    pub more_left_out: String,
    pub more_left_out_one: String,
    pub flag: String,
    pub questions: String,
    pub in_place: String,
    pub other: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentLabels {
    pub dissemination: String,
    pub response: String,
    pub dissemination_rule: String,
    pub general: String,
    pub page: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrintLabels {
    pub footer: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntakeLabels {
    pub invalid: String,
    pub invalid_one: String,
    pub countries: String,
    pub no_response: String,
    pub superseded: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoverLabels {
    pub sheet: String,
    pub title: String,
    pub requested: String,
    pub produced: String,
    pub produced_update: String,
    pub produced_update_plain: String,
    pub audience_wider: String,
    pub audience_members: String,
    pub audience_members_open: String,
    pub responses: String,
    pub no_responses: String,
    pub reference: String,
    pub background: String,
    pub questions: String,
    pub responses_heading: String,
    pub skipped: String,
    pub skipped_line: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponsesLabels {
    pub sheet: String,
    pub country: String,
    pub dissemination: String,
    pub same_as: String,
    pub general: String,
    pub general_id: String,
    pub continued_row: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SummaryLabels {
    pub sheet: String,
    pub heading: String,
    pub coverage: String,
    pub expected: String,
    pub received: String,
    pub missing: String,
    pub not_compiled: String,
    pub unexpected: String,
    pub restricted: String,
    pub late: String,
    pub late_by_date_cell: String,
    pub late_by_email: String,
    pub late_by_decision: String,
    pub undated: String,
    pub question: String,
    pub answered: String,
    pub not_answered: String,
    pub withheld: String,
    pub yes: String,
    pub no: String,
    pub unclear: String,
    pub none: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogLabels {
    pub sheet: String,
    pub file: String,
    pub country: String,
    pub severity: String,
    pub location: String,
    pub message: String,
    pub skipped: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PropertyLabels {
    pub title_wider: String,
    pub title_members: String,
    pub subject: String,
    pub keywords_wider: String,
    pub keywords_members: String,
    pub comment_members: String,
}

/// The built-in compilation texts, parsed once.
pub fn labels() -> &'static Labels {
    static LABELS: OnceLock<Labels> = OnceLock::new();
    // Built in at compile time and checked by a unit test: a parse error is a bug.
    LABELS.get_or_init(|| toml::from_str(COMPILATION).expect("templates/compilation.toml parses"))
}

/// Fills `{name}` placeholders, the network's names included, in one pass:
/// a value that itself holds braces (a title "{date}") is never filled again.
pub fn fill_with(text: &str, network: &Network, values: &[(&str, &str)]) -> String {
    fill_values(&fill(text, network), values)
}

/// Fills `{name}` placeholders in one pass; unknown names stay as written.
pub fn fill_values(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let value = after.find('}').and_then(|end| {
            let name = &after[..end];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v, end))
        });
        match value {
            Some((v, end)) => {
                out.push_str(v);
                rest = &after[end + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
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

/// A date as compilations write it: "26th July 2010", "1st March 2021".
pub fn long_date(d: Date) -> String {
    let suffix = match (d.day % 10, d.day % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    let month = MONTHS
        .get(usize::from(d.month).saturating_sub(1))
        .unwrap_or(&"?");
    format!("{}{suffix} {month} {}", d.day, d.year)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_tables_parse_the_same_without_their_comment_lines() {
        macro_rules! both {
            ($path:literal) => {
                (
                    $path,
                    include_str!($path),
                    builtin_toml!(include_str!($path)),
                )
            };
        }
        for (path, raw, kept) in [
            both!("../../../templates/compilation.toml"),
            both!("../../../templates/countries.toml"),
            both!("../../../templates/flags.toml"),
            both!("../../../templates/labels.toml"),
            both!("../../../templates/restrictions.toml"),
            both!("../../../templates/tallies.toml"),
            both!("../../../templates/networks/emn.toml"),
        ] {
            let raw_table: toml::Table = toml::from_str(raw).unwrap();
            let kept_table: toml::Table = toml::from_str(kept).unwrap();
            assert_eq!(raw_table, kept_table, "{path}");
            assert!(kept.len() < raw.len() && !kept.contains("\n#"), "{path}");
        }
        assert_eq!(
            builtin_toml!("# a comment\n\n  # another\na = 1 # kept\n\nb = \"#\"\n"),
            "a = 1 # kept\nb = \"#\"\n"
        );
    }

    fn date(year: u16, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }

    #[test]
    fn compilation_texts_parse_and_name_the_network() {
        let l = labels();
        assert_eq!(l.cover.sheet, "Cover");
        let net = crate::network::Network::builtin("emn").unwrap().unwrap();
        assert_eq!(
            fill_with(
                &l.cover.requested,
                net,
                &[("requester", "Austria"), ("date", "26th July 2010")]
            ),
            "Requested by Austria EMN NCP on 26th July 2010"
        );
        assert_eq!(
            fill_with(
                "{title} on {date}",
                net,
                &[("title", "{date}"), ("date", "today")]
            ),
            "{date} on today"
        );
    }

    #[test]
    fn long_dates_are_written_as_the_seed_writes_them() {
        assert_eq!(long_date(date(2010, 7, 26)), "26th July 2010");
        assert_eq!(long_date(date(2010, 10, 8)), "8th October 2010");
        assert_eq!(long_date(date(2021, 3, 1)), "1st March 2021");
        assert_eq!(long_date(date(2021, 3, 2)), "2nd March 2021");
        assert_eq!(long_date(date(2021, 3, 3)), "3rd March 2021");
        assert_eq!(long_date(date(2021, 3, 11)), "11th March 2021");
        assert_eq!(long_date(date(2021, 3, 12)), "12th March 2021");
        assert_eq!(long_date(date(2021, 3, 22)), "22nd March 2021");
    }

    #[test]
    fn the_statement_names_the_network() {
        let emn = Network::builtin("emn").unwrap().unwrap();
        assert_eq!(
            statement(emn),
            "This EMN NCP has provided a response to the requesting EMN NCP. However, they have \
             requested that it is not disseminated further."
        );
        assert!(disclaimer(emn).starts_with("Disclaimer: The following responses"));
        assert!(instructions(emn, Some(date(2010, 8, 31)), None).contains("by 31st August 2010"));
        let named = instructions(emn, None, Some("check-your-response-2010.12.html"));
        assert!(
            named.contains("open check-your-response-2010.12.html"),
            "{named}"
        );
        assert!(!named.contains('{'), "{named}");
    }
}
