//! The dissemination policy: what each audience may see of a response.
//!
//! A [`Row`] is built here and only here, from a record and an [`Audience`].
//! For the wider audience a response not flagged Yes becomes a row that holds
//! its country, "No" and nothing else: no answer, no date, no remark. Every
//! later stage (tallies, workbooks, Markdown, CSV) works from rows, so what a
//! row does not hold cannot leak into a wider output.

use crate::network::{Network, Role};
use crate::query::Query;
use crate::record::{Dissemination, Record, YesNo};
use toml::value::Date;

/// Who a compilation is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The network's members: every response as given.
    Members,
    /// Anyone: responses not flagged Yes are withheld.
    Wider,
}

impl Audience {
    /// The word in output file names: `compilation-full.xlsx`, `compilation-wider.xlsx`.
    pub fn file_word(self) -> &'static str {
        match self {
            Audience::Members => "full",
            Audience::Wider => "wider",
        }
    }
}

/// Where a country stands in the network on the query's date: compilations
/// list member states, then observers, then anyone else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Standing {
    Member,
    Observer,
    Outside,
}

impl Standing {
    pub fn of(network: &Network, code: &str, day: Date) -> Standing {
        match network.membership(code) {
            Some(m) if m.active_on(day) => match m.role {
                Role::Member => Standing::Member,
                Role::Observer => Standing::Observer,
            },
            _ => Standing::Outside,
        }
    }
}

/// One question's cell in a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// The answer as given.
    Answer { text: String, yes_no: Option<YesNo> },
    /// The text that answers this question answers question `id` too, and
    /// stands in its cell.
    SameAs { id: String, yes_no: Option<YesNo> },
    /// No answer came.
    NoAnswer,
    /// Restricted: the statement stands here instead.
    Withheld,
}

/// One responding country, as one audience may see it.
#[derive(Debug, Clone)]
pub struct Row {
    pub code: String,
    pub name: String,
    /// As shown in the "Wider Dissemination" column; an unreadable flag shows
    /// (and counts) as No.
    pub dissemination: Dissemination,
    /// True when this audience sees the statement in place of the answers.
    pub withheld: bool,
    /// One per question, in the query's order.
    pub cells: Vec<Cell>,
    /// Other information: a general remark on top of per-question answers,
    /// and text under no label.
    pub general: Option<String>,
    /// The day the response carries (its date cell, or the file's modified
    /// date), when it is a plausible sending day.
    pub dated: Option<(Date, DatedBy)>,
    /// One text, written without question numbers, answers every question:
    /// a document shows it as it came, not numbered.
    pub one_text: bool,
}

/// Whether `record` may be seen by everyone: only an explicit or defaulted
/// Yes; an unreadable flag (`None`) is restricted.
pub fn is_disseminable(record: &Record) -> bool {
    record
        .dissemination
        .as_ref()
        .is_some_and(|f| f.value == Dissemination::Yes)
}

/// The row `audience` sees for `record`. `received` is the day known for
/// its whole file ([`crate::validate::FileReport::received`]).
/// `None` for a record without a recognised country: such a record has an
/// error and is never compiled.
pub fn row(
    record: &Record,
    received: Option<(Date, DatedBy)>,
    query: &Query,
    compiled_on: Date,
    audience: Audience,
) -> Option<Row> {
    let country = record.country.as_ref()?;
    // A version a later one replaces is never a row, for any audience.
    if record.superseded.is_some() {
        return None;
    }
    let open = is_disseminable(record);
    let dissemination = if open {
        Dissemination::Yes
    } else {
        Dissemination::No
    };
    let withheld = !open && audience == Audience::Wider;
    let mut row = Row {
        code: country.code.clone(),
        name: country.name.clone(),
        dissemination,
        withheld,
        cells: vec![Cell::Withheld; query.questions.len()],
        general: None,
        dated: None,
        one_text: false,
    };
    if withheld {
        return Some(row);
    }
    row.dated = response_day(record, received, query, compiled_on);
    // One text for every question is the answer, not other information.
    let whole = record.original.as_ref().filter(|o| !o.split);
    let one_text_for_all = whole.is_some_and(|o| {
        !record.answers.is_empty() && record.answers.iter().all(|a| a.source == o.source)
    });
    // Other information: a whole-response cell on top of per-question
    // answers, and text under no label; kept whole, in reading order.
    row.one_text = one_text_for_all;
    let mut other: Vec<&str> = Vec::new();
    if let Some(o) = whole.filter(|_| !one_text_for_all) {
        other.push(&o.text);
    }
    other.extend(record.extra.iter().map(|e| e.text.as_str()));
    row.general = (!other.is_empty()).then(|| other.join("\n\n"));
    // One rule for a text that answers several questions, however it came
    // (one cell for all, or "1., 2., 3."): it stands once, under the first.
    for (i, q) in query.questions.iter().enumerate() {
        row.cells[i] = match record.answer(&q.id) {
            Some(a) => match &a.together_with {
                Some(first) if record.answer(first).is_some() => Cell::SameAs {
                    id: first.clone(),
                    yes_no: a.yes_no,
                },
                _ => Cell::Answer {
                    text: a.text.clone(),
                    yes_no: a.yes_no,
                },
            },
            None => Cell::NoAnswer,
        };
    }
    Some(row)
}

/// Which date judged a response's lateness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DatedBy {
    /// The day the coordinator recorded in decisions.toml.
    Decision,
    /// The Date of the e-mail it came attached to.
    Email,
    /// The date the file says it was sent (the template's date cell).
    DateCell,
}

/// The day a response was received, and how that is known: the
/// coordinator's decision, else the e-mail it came in, else its own date
/// cell. A file's time is when it was saved here, not when it came: it is
/// never taken for the day. An e-mail's or a cell's day after the
/// compilation, or before the request, is not when it was sent (a wrong
/// clock, an old template) and is passed over.
pub fn response_day(
    record: &Record,
    received: Option<(Date, DatedBy)>,
    query: &Query,
    compiled_on: Date,
) -> Option<(Date, DatedBy)> {
    use crate::network::date_key;
    let plausible = |d: &Date| {
        date_key(query.requested_on) <= date_key(*d) && date_key(*d) <= date_key(compiled_on)
    };
    received
        .filter(|(d, by)| *by == DatedBy::Decision || plausible(d))
        .or_else(|| {
            record
                .date
                .as_deref()
                .and_then(crate::dates::parse_day)
                .filter(plausible)
                .map(|d| (d, DatedBy::DateCell))
        })
}

/// Where a country comes in every list of a compilation (rows, cover,
/// coverage, status): member states, then observers, then others, each in
/// English alphabetical order.
pub fn order_key(query: &Query, code: &str, name: &str) -> (Standing, String) {
    (
        Standing::of(query.network, code, query.requested_on),
        crate::text::key(name),
    )
}

/// Orders rows by [`order_key`].
pub fn order(rows: &mut [Row], query: &Query) {
    rows.sort_by_cached_key(|r| order_key(query, &r.code, &r.name));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Answer, CountryRef, Flag, Location};

    fn record(flag: Option<Dissemination>) -> Record {
        let at = Location::new(Some("S"), 2, 1);
        Record {
            country: Some(CountryRef {
                code: "FR".into(),
                name: "France".into(),
            }),
            country_as_written: "France".into(),
            country_source: at.clone(),
            dissemination: flag.map(|value| Flag {
                value,
                given: true,
                source: Some(at.clone()),
            }),
            answers: vec![Answer {
                question_id: "1".into(),
                text: "Yes, secret".into(),
                source: at,
                yes_no: Some(YesNo::Yes),
                together_with: None,
            }],
            original: None,
            extra: Vec::new(),
            contact: None,
            date: Some("2010-08-01".into()),
            file: "FR.xlsx".into(),
            sha256: String::new(),
            findings: Vec::new(),
            superseded: None,
        }
    }

    fn day(year: u16, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }

    #[test]
    fn a_no_or_an_unreadable_flag_withholds_everything_from_the_wider_audience() {
        let q = crate::query::test_query();
        for flag in [Some(Dissemination::No), None] {
            let r = row(&record(flag), None, &q, day(2010, 10, 8), Audience::Wider).unwrap();
            assert!(r.withheld, "{flag:?}");
            assert_eq!(r.dissemination, Dissemination::No);
            assert_eq!(r.cells, [Cell::Withheld, Cell::Withheld]);
            assert!(r.dated.is_none() && r.general.is_none());
            let full = row(&record(flag), None, &q, day(2010, 10, 8), Audience::Members).unwrap();
            assert!(!full.withheld);
            assert!(matches!(&full.cells[0], Cell::Answer { text, .. } if text == "Yes, secret"));
            assert_eq!(full.cells[1], Cell::NoAnswer);
        }
        let open = row(
            &record(Some(Dissemination::Yes)),
            None,
            &q,
            day(2010, 10, 8),
            Audience::Wider,
        );
        assert!(!open.unwrap().withheld);
    }

    #[test]
    fn a_decision_then_an_email_then_the_date_cell_date_a_response_never_the_file_time() {
        let q = crate::query::test_query();
        let mut rec = record(Some(Dissemination::Yes));
        let on = |rec: &Record, received| response_day(rec, received, &q, day(2010, 10, 8));
        assert_eq!(on(&rec, None), Some((day(2010, 8, 1), DatedBy::DateCell)));
        let mail = (day(2010, 9, 2), DatedBy::Email);
        assert_eq!(on(&rec, Some(mail)), Some(mail));
        // An e-mail dated after the compilation: a wrong clock.
        let wrong = (day(2026, 1, 1), DatedBy::Email);
        assert_eq!(
            on(&rec, Some(wrong)),
            Some((day(2010, 8, 1), DatedBy::DateCell))
        );
        // The coordinator's word stands, whatever it says.
        let decided = (day(2010, 10, 9), DatedBy::Decision);
        assert_eq!(on(&rec, Some(decided)), Some(decided));
        rec.date = Some("2026-01-01".into());
        assert_eq!(on(&rec, None), None);
        rec.date = None;
        assert_eq!(on(&rec, None), None);
    }
}
