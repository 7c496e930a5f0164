//! Where a collection stands: who has answered, who has not, whose file
//! needs fixing. For the coordinator during collection, members only.

use crate::country::Countries;
use crate::network::date_key;
use crate::policy::{is_disseminable, order_key};
use crate::query::Query;
use crate::validate::FileReport;
use serde::Serialize;
use toml::value::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Received,
    /// Received, but every answer is empty.
    Empty,
    Missing,
    Invalid,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Received => "received",
            State::Empty => "received, empty",
            State::Missing => "missing",
            State::Invalid => "invalid",
        }
    }
}

/// One country (or one file whose country is unknown).
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    /// EU code; `None` for a file whose country could not be read.
    pub country: Option<String>,
    pub name: String,
    pub status: State,
    /// "yes", "no", or `None` when missing or unreadable.
    pub dissemination: Option<&'static str>,
    /// The files it came in, relative to responses/ (two or more make it
    /// invalid; a name may hold a comma, so they are never joined).
    pub files: Vec<String>,
    /// Whether it came after the deadline; `None` when there is no deadline,
    /// no response, or no date to judge by.
    pub late: Option<bool>,
    /// The day that judged `late` (YYYY-MM-DD), and where it came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dated: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dated_by: Option<crate::policy::DatedBy>,
    /// Whether the query expects this country.
    pub expected: bool,
    /// For an invalid file: why it is not compiled (its first error).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// Earlier versions of the reply, which a later one replaces.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub superseded: Vec<String>,
    /// Whether the file came after the last compilation in the query's
    /// compiled/ folder; `None` when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_compilation: Option<bool>,
}

impl Line {
    /// A file that could not be read as a response: by the country its name
    /// names, if any.
    fn invalid(country: Option<String>, name: String, file: &str, expected: bool) -> Line {
        Line {
            country,
            name,
            status: State::Invalid,
            dissemination: None,
            files: vec![file.to_string()],
            late: None,
            dated: None,
            dated_by: None,
            expected,
            why: None,
            superseded: Vec::new(),
            after_compilation: None,
        }
    }
}

/// A file's first error, as `status` says why it is not compiled.
fn first_error(r: &FileReport) -> Option<String> {
    r.findings
        .iter()
        .chain(
            r.records
                .iter()
                .filter(|rec| rec.superseded.is_none())
                .flat_map(|rec| rec.findings.iter()),
        )
        .find(|f| f.severity == crate::record::Severity::Error)
        .map(|f| match &f.location {
            Some(at) => format!("{at}: {}", f.message),
            None => f.message.clone(),
        })
}

/// The state of every expected country and of every file received, in
/// compilation order, as `compile` would say it: a file with an error is
/// received, not included (and why); an earlier version is superseded.
/// `today` bounds the dates a response may carry; `compiled`, the files
/// (SHA-256) of the last compilation, if there is one.
pub fn status(
    query: &Query,
    reports: &[FileReport],
    today: Date,
    compiled: Option<&[String]>,
) -> Vec<Line> {
    let countries = Countries::builtin().ok();
    let mut lines: Vec<Line> = Vec::new();
    let after =
        |r: &FileReport| compiled.map(|shas| r.sha256.as_ref().is_none_or(|s| !shas.contains(s)));
    // Each country's current reply first, so that its earlier versions
    // join its line.
    let (mut current, mut earlier): (Vec<&FileReport>, Vec<&FileReport>) = reports
        .iter()
        .filter(|r| r.skipped.is_none())
        .partition(|r| !crate::compile::all_superseded(r));
    current.append(&mut earlier);
    for r in current {
        if crate::compile::all_superseded(r) {
            for rec in &r.records {
                let Some(c) = &rec.country else { continue };
                if let Some(l) = lines
                    .iter_mut()
                    .find(|l| l.country.as_deref() == Some(c.code.as_str()))
                {
                    l.superseded.push(r.file.clone());
                }
            }
            continue;
        }
        let state = if crate::compile::compilable(r) {
            State::Received
        } else {
            State::Invalid
        };
        if r.records.iter().all(|rec| rec.country.is_none()) {
            // A file that cannot be read, but whose name names a country
            // ("EE.xlsx"), is that country's, and invalid: never "missing".
            let named = countries.and_then(|c| {
                c.in_file_name(std::path::Path::new(&r.file))
                    .and_then(|code| c.by_code(&code))
            });
            if let Some(c) = named
                && !lines
                    .iter()
                    .any(|l| l.country.as_deref() == Some(c.code.as_str()))
            {
                lines.push(Line {
                    why: first_error(r),
                    after_compilation: after(r),
                    ..Line::invalid(
                        Some(c.code.clone()),
                        c.name.clone(),
                        &r.file,
                        query.expected.contains(&c.code),
                    )
                });
                continue;
            }
            // A second file of a country already listed: named as its, not
            // as a stranger's.
            if let Some(c) = named {
                lines.push(Line {
                    why: first_error(r),
                    after_compilation: after(r),
                    ..Line::invalid(
                        None,
                        c.name.clone(),
                        &r.file,
                        query.expected.contains(&c.code),
                    )
                });
                continue;
            }
            let name = r
                .records
                .first()
                .map(|rec| rec.country_as_written.clone())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "(country not read)".into());
            lines.push(Line {
                why: first_error(r),
                after_compilation: after(r),
                ..Line::invalid(None, name, &r.file, false)
            });
            continue;
        }
        for rec in r.records.iter().filter(|rec| rec.superseded.is_none()) {
            let Some(c) = &rec.country else { continue };
            let day = query
                .deadline
                .and_then(|_| crate::policy::response_day(rec, r.received(query), query, today));
            let late = query
                .deadline
                .zip(day)
                .map(|(deadline, (d, _))| date_key(d) > date_key(deadline));
            let dissemination = rec
                .dissemination
                .as_ref()
                .map(|_| if is_disseminable(rec) { "yes" } else { "no" });
            match lines
                .iter_mut()
                .find(|l| l.country.as_deref() == Some(c.code.as_str()))
            {
                // Two files for one country: both are invalid (validate says so).
                Some(l) => {
                    l.status = State::Invalid;
                    l.files.push(r.file.clone());
                }
                None => lines.push(Line {
                    country: Some(c.code.clone()),
                    name: c.name.clone(),
                    // Every answer empty: received, but nothing to compile.
                    status: if state == State::Received
                        && rec.answers.iter().all(|a| a.text.trim().is_empty())
                        && rec.original.is_none()
                    {
                        State::Empty
                    } else {
                        state
                    },
                    dissemination,
                    files: vec![r.file.clone()],
                    late,
                    dated: day.map(|(d, _)| crate::dates::iso(d)),
                    dated_by: day.map(|(_, by)| by),
                    expected: query.expected.contains(&c.code),
                    why: (state == State::Invalid).then(|| first_error(r)).flatten(),
                    superseded: Vec::new(),
                    after_compilation: after(r),
                }),
            }
        }
    }
    for code in &query.expected {
        if lines.iter().any(|l| l.country.as_deref() == Some(code)) {
            continue;
        }
        let name = countries
            .and_then(|c| c.by_code(code))
            .map_or_else(|| code.clone(), |c| c.name.clone());
        lines.push(Line {
            country: Some(code.clone()),
            name,
            status: State::Missing,
            dissemination: None,
            files: Vec::new(),
            late: None,
            dated: None,
            dated_by: None,
            expected: true,
            why: None,
            superseded: Vec::new(),
            after_compilation: None,
        });
    }
    // Files whose country is unknown come last, as countries outside the network do.
    lines.sort_by_cached_key(|l| order_key(query, l.country.as_deref().unwrap_or(""), &l.name));
    lines
}
