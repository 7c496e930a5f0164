//! The normalised per-country record and the findings attached to it.
//!
//! This is the hand-off point of the pipeline: reading and normalising produce
//! [`Record`]s; validating reports them; compiling (part 2) builds on them.

use crate::reading::{Part, Sheet};
use serde::Serialize;
use std::fmt;

/// A cell in a response file: sheet (none for CSV) and zero-based row and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub sheet: Option<String>,
    pub row: u32,
    pub col: u32,
    /// A Word table or the text around them: the place is then said in
    /// Word's terms, never as a spreadsheet cell the sender cannot find.
    pub part: Part,
    /// What a person sees there: the row's label in a Word table, the
    /// paragraph's opening words outside them.
    pub label: Option<String>,
}

impl Location {
    pub fn new(sheet: Option<&str>, row: u32, col: u32) -> Self {
        Location {
            sheet: sheet.map(str::to_owned),
            row,
            col,
            part: Part::Sheet,
            label: None,
        }
    }

    /// A cell of `sheet`, said as its maker would find it.
    pub fn at(sheet: &Sheet, row: u32, col: u32) -> Self {
        // Quoted in double quotes: the label's own become single ones, so
        // that where the label ends is never in doubt.
        let quoted = |c: Option<&crate::reading::Cell>| {
            c.map(|c| crate::text::first_line(c.text.trim(), 40).replace('"', "'"))
                .filter(|t| !t.is_empty())
        };
        let label = match sheet.part {
            Part::Sheet => None,
            Part::WordTable(_) if col > 0 => quoted(sheet.get(row, 0)),
            Part::WordTable(_) => None,
            Part::WordText => quoted(sheet.get(row, col)),
        };
        Location {
            part: sheet.part,
            label,
            ..Location::new((!sheet.name.is_empty()).then_some(&sheet.name), row, col)
        }
    }

    /// The A1-style cell name ("B9"), without the sheet.
    pub fn cell(&self) -> String {
        format!("{}{}", column_name(self.col), self.row + 1)
    }
}

/// Excel column letters for a zero-based column: 0 -> A, 26 -> AA.
pub fn column_name(col: u32) -> String {
    let mut n = col as u64 + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.part, &self.label) {
            (Part::WordTable(n), label) => {
                write!(f, "table {n}, row {}", self.row + 1)?;
                if let Some(l) = label {
                    write!(f, " (\"{l}\")")?;
                }
                return write!(f, ", column {}", self.col + 1);
            }
            (Part::WordText, Some(l)) => return write!(f, "the paragraph \"{l}\""),
            (Part::WordText, None) => return write!(f, "paragraph {}", self.row + 1),
            (Part::Sheet, _) => {}
        }
        match &self.sheet {
            // Quoted as a spreadsheet formula would, so the reference can be pasted.
            Some(s) if s.chars().any(|c| !c.is_alphanumeric() && c != '_') => {
                write!(f, "'{}'!{}", s.replace('\'', "''"), self.cell())
            }
            Some(s) => write!(f, "{s}!{}", self.cell()),
            None => f.write_str(&self.cell()),
        }
    }
}

impl Serialize for Location {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

/// Something a person should know about a response: what, where, and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    #[serde(skip)]
    pub severity: Severity,
    pub message: String,
    /// Sheet and cell ("Response!B9"); `None` when the finding is about the whole file.
    pub location: Option<Location>,
}

impl Finding {
    pub fn error(message: impl Into<String>, location: Option<Location>) -> Self {
        Finding {
            severity: Severity::Error,
            message: message.into(),
            location,
        }
    }
    pub fn warning(message: impl Into<String>, location: Option<Location>) -> Self {
        Finding {
            severity: Severity::Warning,
            message: message.into(),
            location,
        }
    }
    pub fn info(message: impl Into<String>, location: Option<Location>) -> Self {
        Finding {
            severity: Severity::Info,
            message: message.into(),
            location,
        }
    }
}

/// A country as compilations name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountryRef {
    /// EU code: EL for Greece, UK for the United Kingdom.
    pub code: String,
    /// The name compilations use ("Czech Republic", "Slovak Republic").
    pub name: String,
}

/// The "Wider Dissemination?" flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dissemination {
    Yes,
    No,
}

impl Dissemination {
    pub fn as_str(self) -> &'static str {
        match self {
            Dissemination::Yes => "yes",
            Dissemination::No => "no",
        }
    }
    /// As compilations print it: "Yes" / "No".
    pub fn label(self) -> &'static str {
        match self {
            Dissemination::Yes => "Yes",
            Dissemination::No => "No",
        }
    }
}

/// The flag as the record holds it: its value, and whether the sender gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flag {
    pub value: Dissemination,
    /// false when the cell was blank or absent and the query's default applied.
    pub given: bool,
    /// The cell the flag was read from, if there was one.
    pub source: Option<Location>,
}

/// The leading yes or no of an answer to a yes-no question, for tallies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum YesNo {
    Yes,
    No,
}

/// One question's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    pub question_id: String,
    /// The answer text, trimmed and with spacing tidied; words never changed.
    pub text: String,
    /// Where it came from.
    pub source: Location,
    /// For yes-no questions: the answer's leading yes or no, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub yes_no: Option<YesNo>,
    /// When one text answers several questions ("1., 2. …", or one cell for
    /// all): the first of them, under which the text stands in compilations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub together_with: Option<String>,
}

/// A response that came as one cell answering several questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Original {
    pub text: String,
    pub source: Location,
    /// true when numbered markers split it into the answers; false when the
    /// whole text stands as the answer to every question.
    pub split: bool,
}

/// One country's response, normalised.
/// Text a response holds under no label, kept whole so nothing is lost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Extra {
    pub text: String,
    pub source: Location,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    /// `None` when the country cell could not be read (an error says why).
    pub country: Option<CountryRef>,
    /// The country as the sender wrote it, and where.
    pub country_as_written: String,
    pub country_source: Location,
    /// `None` when the flag could not be read (an error says why). Never
    /// treat `None` as Yes: a response of unknown status is restricted.
    pub dissemination: Option<Flag>,
    /// Answers in the query's question order; unanswered questions are absent
    /// (and a warning says so).
    pub answers: Vec<Answer>,
    /// The unsplit response, when it came as one cell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original: Option<Original>,
    /// Text under no label (a warning says where), in reading order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<Extra>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// The response's own date (the template's date cell), as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The file, relative to the query folder's responses/ (or as given).
    pub file: String,
    pub sha256: String,
    pub findings: Vec<Finding>,
    /// Set when a later version of this country's reply counts instead:
    /// this one is not compiled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub superseded: Option<crate::versions::Superseded>,
}

impl Record {
    pub fn answer(&self, question_id: &str) -> Option<&Answer> {
        self.answers.iter().find(|a| a.question_id == question_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_follow_excel() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
        assert_eq!(column_name(16383), "XFD");
    }

    #[test]
    fn locations_quote_sheet_names_that_need_it() {
        assert_eq!(
            Location::new(Some("Response"), 8, 1).to_string(),
            "Response!B9"
        );
        assert_eq!(
            Location::new(Some("My reply"), 0, 0).to_string(),
            "'My reply'!A1"
        );
        assert_eq!(
            Location::new(Some("O'Neil"), 0, 0).to_string(),
            "'O''Neil'!A1"
        );
        assert_eq!(Location::new(None, 2, 2).to_string(), "C3");
    }
}
