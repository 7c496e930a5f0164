//! Compiling: the checked files become one [`Compilation`] per audience,
//! rows in the seed's order with coverage and per-question tallies.
//!
//! Everything here is counted from [`policy::Row`]s, never from records, so a
//! wider compilation's figures cannot include what its rows withhold.

use crate::country::Countries;
use crate::network::date_key;
use crate::policy::{self, Audience, Cell, Row};
use crate::query::{Query, QuestionType};
use crate::record::{CountryRef, Dissemination, Severity, YesNo};
use crate::templates::{fill_values, labels};
use crate::validate::FileReport;
use toml::value::Date;

/// A file that is not in the compilation, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Skipped {
    pub file: String,
    pub reason: String,
    /// The responses the file held, which are therefore not compiled.
    pub countries: Vec<CountryRef>,
}

/// Which checked files go into the compilation.
#[derive(Debug)]
pub struct Intake<'r> {
    pub compiled: Vec<&'r FileReport>,
    pub skipped: Vec<Skipped>,
    /// Files whose every reply a later version replaces
    /// ([`crate::versions`]): not compiled, named with what replaced them.
    pub superseded: Vec<Skipped>,
}

impl Intake<'_> {
    /// The records compiled: those of the compiled files that no later
    /// version replaces.
    pub fn records(&self) -> impl Iterator<Item = &crate::record::Record> {
        self.compiled
            .iter()
            .flat_map(|r| r.records.iter())
            .filter(|rec| rec.superseded.is_none())
    }
}

/// Whether every reply in a file is replaced by a later version.
pub fn all_superseded(r: &FileReport) -> bool {
    !r.records.is_empty() && r.records.iter().all(|rec| rec.superseded.is_some())
}

/// Sorts the checked files into compiled and skipped. Files that are not
/// responses (a README, a PDF) are skipped with their reason. A file with an
/// error refuses the whole compilation (`Err` holds those files) unless
/// `skip_invalid`, when it is skipped with its errors as the reason.
pub fn intake(
    reports: &[FileReport],
    skip_invalid: bool,
) -> std::result::Result<Intake<'_>, Vec<&FileReport>> {
    let invalid: Vec<&FileReport> = reports
        .iter()
        .filter(|r| r.skipped.is_none() && !all_superseded(r) && !compilable(r))
        .collect();
    if !invalid.is_empty() && !skip_invalid {
        return Err(invalid);
    }
    let mut intake = Intake {
        compiled: Vec::new(),
        skipped: Vec::new(),
        superseded: Vec::new(),
    };
    for r in reports {
        if all_superseded(r) {
            let by: Vec<String> = r
                .records
                .iter()
                .filter_map(|rec| rec.superseded.as_ref())
                .map(|s| format!("{} ({})", s.by, s.how))
                .collect();
            intake.superseded.push(Skipped {
                file: r.file.clone(),
                reason: fill_values(&labels().intake.superseded, &[("by", &by.join(", "))]),
                countries: r
                    .records
                    .iter()
                    .filter_map(|rec| rec.country.clone())
                    .collect(),
            });
        } else if let Some(reason) = &r.skipped {
            intake.skipped.push(Skipped {
                file: r.file.clone(),
                reason: reason.clone(),
                countries: Vec::new(),
            });
        } else if !compilable(r) {
            let mut errors: Vec<String> = r
                .all_findings()
                .filter(|f| f.severity == Severity::Error)
                .map(|f| match &f.location {
                    Some(at) => format!("{at}: {}", f.message),
                    None => f.message.clone(),
                })
                .collect();
            let l = &labels().intake;
            if errors.is_empty() {
                errors.push(l.no_response.clone());
            }
            let mut countries: Vec<CountryRef> = r
                .records
                .iter()
                .filter_map(|rec| rec.country.clone())
                .collect();
            // A file whose country could not be read, named by its file
            // name ("EE.xlsx"), is that country's: received, not included,
            // as `ahq status` says too; never "not received".
            if countries.is_empty()
                && let Some(c) = named_by_file(&r.file)
            {
                countries.push(c);
            }
            let mut reason = fill_values(
                if errors.len() == 1 {
                    &l.invalid_one
                } else {
                    &l.invalid
                },
                &[
                    ("count", &errors.len().to_string()),
                    ("errors", &errors.join("; ")),
                ],
            );
            if !countries.is_empty() {
                let names: Vec<&str> = countries.iter().map(|c| c.name.as_str()).collect();
                reason.push_str(&fill_values(&l.countries, &[("names", &names.join(", "))]));
            }
            intake.skipped.push(Skipped {
                file: r.file.clone(),
                reason,
                countries,
            });
        } else {
            intake.compiled.push(r);
        }
    }
    Ok(intake)
}

/// Whether a checked response file can go into a compilation: no error, and
/// every response in it has its country. (Validation makes the second an
/// error already; it is checked again because a row without a country would
/// otherwise be left out without a word.)
pub fn compilable(r: &FileReport) -> bool {
    use crate::record::Severity;
    let current: Vec<&crate::record::Record> = r
        .records
        .iter()
        .filter(|rec| rec.superseded.is_none())
        .collect();
    !r.findings.iter().any(|f| f.severity == Severity::Error)
        && !current.is_empty()
        && current.iter().all(|rec| {
            rec.country.is_some() && !rec.findings.iter().any(|f| f.severity == Severity::Error)
        })
}

/// The country a file's name names, when its content names none.
pub fn named_by_file(file: &str) -> Option<CountryRef> {
    let countries = Countries::builtin().ok()?;
    let code = countries.in_file_name(std::path::Path::new(file))?;
    countries.by_code(&code).map(|c| c.to_ref())
}

/// Who answered, who did not, and what may be shared.
#[derive(Debug, Clone, Default)]
pub struct Coverage {
    /// Names, in compilation order.
    pub expected: Vec<String>,
    pub received: Vec<String>,
    pub missing: Vec<String>,
    /// Countries whose file came but was not compiled (it had errors).
    pub not_compiled: Vec<String>,
    /// Responding countries not in the query's expected list.
    pub unexpected: Vec<String>,
    pub restricted: Vec<String>,
    /// `None` when the query has no deadline.
    pub late: Option<Vec<String>>,
    /// Responses without a date to judge lateness by (only with a deadline).
    pub undated: Vec<String>,
}

/// One question's figures.
#[derive(Debug, Clone)]
pub struct Tally {
    pub id: String,
    pub text: String,
    pub answered: Vec<String>,
    pub not_answered: Vec<String>,
    /// Responses not for wider dissemination, in a wider compilation: they
    /// count here, so that answered, not answered and withheld add up to
    /// the received; nothing of their answers counts anywhere.
    pub withheld: Vec<String>,
    /// For yes-no questions: the countries answering Yes, No, and neither.
    pub yes_no: Option<YesNoTally>,
}

#[derive(Debug, Clone, Default)]
pub struct YesNoTally {
    pub yes: Vec<String>,
    pub no: Vec<String>,
    pub unclear: Vec<String>,
}

/// One line of the members' log.
#[derive(Debug, Clone)]
pub struct LogEntry {
    pub file: String,
    pub country: String,
    pub severity: String,
    pub location: String,
    pub message: String,
}

/// A compilation for one audience: what every renderer draws from.
#[derive(Debug, Clone)]
pub struct Compilation<'q> {
    pub query: &'q Query,
    pub audience: Audience,
    pub compiled_on: Date,
    /// Responding countries in the cover's order.
    pub rows: Vec<Row>,
    pub coverage: Coverage,
    pub tallies: Vec<Tally>,
    /// Files not compiled (members only; empty for the wider audience).
    pub skipped: Vec<Skipped>,
    /// Every finding of every file (members only).
    pub log: Vec<LogEntry>,
    /// When this updates an earlier compilation: what changed since, as
    /// this audience may read it.
    pub changes: Option<Changes>,
    /// The partner countries, members and themes the rows' answers name:
    /// made from the rows, so a wider compilation counts wider responses only.
    pub analysis: crate::analysis::Analysis,
}

/// What an updated compilation says changed.
#[derive(Debug, Clone)]
pub struct Changes {
    /// The earlier compilation's date (YYYY-MM-DD), when known.
    pub since: Option<String>,
    pub list: Vec<crate::changes::Change>,
}

impl<'q> Compilation<'q> {
    /// Builds the compilation `audience` sees.
    pub fn new(
        query: &'q Query,
        reports: &[FileReport],
        intake: &Intake<'_>,
        compiled_on: Date,
        audience: Audience,
        update: Option<&crate::changes::Update>,
    ) -> Compilation<'q> {
        Compilation::after(query, reports, intake, compiled_on, audience, update, None)
    }

    /// [`Compilation::new`], after the other audience's compilation: the
    /// partners and themes of rows both show alike are not looked for again.
    pub fn after(
        query: &'q Query,
        reports: &[FileReport],
        intake: &Intake<'_>,
        compiled_on: Date,
        audience: Audience,
        update: Option<&crate::changes::Update>,
        earlier: Option<&Compilation<'_>>,
    ) -> Compilation<'q> {
        let mut rows: Vec<Row> = intake
            .compiled
            .iter()
            .flat_map(|r| {
                let received = r.received(query);
                r.records
                    .iter()
                    .filter_map(move |rec| policy::row(rec, received, query, compiled_on, audience))
            })
            .collect();
        policy::order(&mut rows, query);
        let mut coverage = coverage(query, &rows, &intake.skipped);
        // Who was late is the members' business, not the public's.
        if audience == Audience::Wider {
            coverage.late = None;
            coverage.undated.clear();
        }
        let tallies = tallies(query, &rows);
        let members = audience == Audience::Members;
        let analysis = crate::analysis::Analysis::reusing(
            &rows,
            query,
            earlier.map(|e| (e.rows.as_slice(), &e.analysis)),
        );
        Compilation {
            query,
            audience,
            compiled_on,
            coverage,
            tallies,
            skipped: if members {
                intake.skipped.clone()
            } else {
                Vec::new()
            },
            log: if members {
                let mut entries = log(reports, intake);
                entries.extend(mention_log(&analysis, intake));
                entries
            } else {
                Vec::new()
            },
            changes: update.map(|u| Changes {
                since: u.since.clone(),
                list: crate::changes::for_audience(&u.changes, audience),
            }),
            rows,
            analysis,
        }
    }

    /// Whether any row has a general remark besides its answers.
    pub fn has_general(&self) -> bool {
        self.rows.iter().any(|r| r.general.is_some())
    }
}

fn names(rows: &[&Row]) -> Vec<String> {
    rows.iter().map(|r| r.name.clone()).collect()
}

fn coverage(query: &Query, rows: &[Row], skipped: &[Skipped]) -> Coverage {
    let countries = Countries::builtin().ok();
    // Expected countries, ordered as rows are.
    let mut expected: Vec<(String, String)> = query
        .expected
        .iter()
        .map(|code| {
            let name = countries
                .and_then(|c| c.by_code(code))
                .map_or_else(|| code.clone(), |c| c.name.clone());
            (name, code.clone())
        })
        .collect();
    expected.sort_by_cached_key(|(name, code)| policy::order_key(query, code, name));
    let mut not_compiled: Vec<&CountryRef> = skipped
        .iter()
        .flat_map(|s| s.countries.iter())
        .filter(|c| !rows.iter().any(|r| r.code == c.code))
        .collect();
    not_compiled.sort_by_cached_key(|c| policy::order_key(query, &c.code, &c.name));
    not_compiled.dedup_by(|a, b| a.code == b.code);
    let has = |code: &str| {
        rows.iter().any(|r| r.code == code) || not_compiled.iter().any(|c| c.code == code)
    };
    let all: Vec<&Row> = rows.iter().collect();
    let open: Vec<&Row> = rows.iter().filter(|r| !r.withheld).collect();
    let late = query.deadline.map(|deadline| {
        let labels = &crate::templates::labels().summary;
        open.iter()
            .filter_map(|r| {
                let (day, by) = r.dated.filter(|(d, _)| date_key(*d) > date_key(deadline))?;
                let label = match by {
                    policy::DatedBy::Decision => &labels.late_by_decision,
                    policy::DatedBy::Email => &labels.late_by_email,
                    policy::DatedBy::DateCell => &labels.late_by_date_cell,
                };
                Some(crate::templates::fill_values(
                    label,
                    &[("name", &r.name), ("date", &crate::dates::iso(day))],
                ))
            })
            .collect()
    });
    let undated: Vec<&Row> = if query.deadline.is_some() {
        open.iter().copied().filter(|r| r.dated.is_none()).collect()
    } else {
        Vec::new()
    };
    Coverage {
        expected: expected.iter().map(|(n, _)| n.clone()).collect(),
        received: names(&all),
        missing: expected
            .iter()
            .filter(|(_, code)| !has(code))
            .map(|(n, _)| n.clone())
            .collect(),
        not_compiled: not_compiled.iter().map(|c| c.name.clone()).collect(),
        unexpected: names(
            &all.iter()
                .copied()
                .filter(|r| !query.expected.contains(&r.code))
                .collect::<Vec<_>>(),
        ),
        restricted: names(
            &all.iter()
                .copied()
                .filter(|r| r.dissemination == Dissemination::No)
                .collect::<Vec<_>>(),
        ),
        late,
        undated: names(&undated),
    }
}

fn tallies(query: &Query, rows: &[Row]) -> Vec<Tally> {
    query
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let mut t = Tally {
                id: q.id.clone(),
                text: q.text.clone(),
                answered: Vec::new(),
                not_answered: Vec::new(),
                withheld: Vec::new(),
                yes_no: (q.kind == QuestionType::YesNo).then(YesNoTally::default),
            };
            for r in rows {
                let yes_no = match &r.cells[i] {
                    // Withheld content is counted nowhere: the response only
                    // as withheld, never as Yes or No.
                    Cell::Withheld => {
                        t.withheld.push(r.name.clone());
                        continue;
                    }
                    Cell::NoAnswer => {
                        t.not_answered.push(r.name.clone());
                        continue;
                    }
                    Cell::Answer { yes_no, .. } | Cell::SameAs { yes_no, .. } => *yes_no,
                };
                t.answered.push(r.name.clone());
                if let Some(yn) = &mut t.yes_no {
                    match yes_no {
                        Some(YesNo::Yes) => yn.yes.push(r.name.clone()),
                        Some(YesNo::No) => yn.no.push(r.name.clone()),
                        None => yn.unclear.push(r.name.clone()),
                    }
                }
            }
            t
        })
        .collect()
}

/// One Log line per mention, with the words that made it, so that a
/// coordinator can check what the Partners and Themes sheets count.
fn mention_log(analysis: &crate::analysis::Analysis, intake: &Intake<'_>) -> Vec<LogEntry> {
    let l = &crate::templates::labels().analysis;
    let mut out = Vec::new();
    for named in &analysis.countries {
        let file = intake
            .compiled
            .iter()
            .find(|r| {
                r.records.iter().any(|rec| {
                    rec.superseded.is_none()
                        && rec.country.as_ref().is_some_and(|c| c.code == named.code)
                })
            })
            .map_or(String::new(), |r| r.file.clone());
        for m in &named.mentions {
            let question = if m.question == crate::analysis::OTHER {
                crate::templates::labels().changes.other.clone()
            } else {
                fill_values(
                    &crate::templates::labels().summary.question,
                    &[("id", &m.question)],
                )
            };
            let words: Vec<String> = m.words.iter().map(|w| format!("\"{w}\"")).collect();
            out.push(LogEntry {
                file: file.clone(),
                country: named.name.clone(),
                severity: "mention".into(),
                location: question.clone(),
                message: fill_values(
                    &l.log_mention,
                    &[
                        ("kind", m.kind.word()),
                        ("name", &m.name),
                        ("question", &question),
                        ("words", &words.join(", ")),
                    ],
                ),
            });
        }
    }
    out
}

fn log(reports: &[FileReport], intake: &Intake<'_>) -> Vec<LogEntry> {
    let mut out = Vec::new();
    for r in reports {
        let mut push = |country: &str, f: &crate::record::Finding| {
            out.push(LogEntry {
                file: r.file.clone(),
                country: country.to_string(),
                severity: f.severity.to_string(),
                location: f.location.as_ref().map_or(String::new(), |l| l.to_string()),
                message: f.message.clone(),
            })
        };
        for f in &r.findings {
            push("", f);
        }
        for rec in &r.records {
            let country = rec
                .country
                .as_ref()
                .map_or(rec.country_as_written.as_str(), |c| c.name.as_str());
            for f in &rec.findings {
                push(country, f);
            }
        }
    }
    let labels = &crate::templates::labels().log;
    for s in &intake.skipped {
        out.push(LogEntry {
            file: s.file.clone(),
            country: String::new(),
            severity: "skipped".into(),
            location: String::new(),
            message: fill_values(&labels.skipped, &[("reason", &s.reason)]),
        });
    }
    for s in &intake.superseded {
        out.push(LogEntry {
            file: s.file.clone(),
            country: s
                .countries
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            severity: "superseded".into(),
            location: String::new(),
            message: s.reason.clone(),
        });
    }
    out
}
