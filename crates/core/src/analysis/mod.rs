//! Who works with whom, on what (part 14): the countries and the themes
//! each answer names, read from the rows an audience sees.
//!
//! The analysis is made from [`Row`]s, never from records: a row the wider
//! audience sees withheld holds the statement and nothing else, so a
//! restricted response's partners, themes and counts cannot reach a wider
//! output (even a count of one could reveal it).

pub mod phrases;
pub mod places;
pub mod themes;

use crate::policy::{Cell, Row, Standing};
use crate::query::Query;
use places::Place;
use serde::Serialize;

/// What a mention names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A country outside the network on the query's date (a third country).
    Partner,
    /// A member or observer of the network, other than the one answering.
    Member,
    /// A field of cooperation (`templates/themes.toml`).
    Theme,
}

impl Kind {
    pub fn word(self) -> &'static str {
        match self {
            Kind::Partner => "partner",
            Kind::Member => "member",
            Kind::Theme => "theme",
        }
    }
}

/// One thing an answer names, with the words that named it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mention {
    pub kind: Kind,
    /// The country's code (the EU code in the network's table, ISO 3166
    /// alpha-2 otherwise), an ambiguous name as written ("Congo"), or the
    /// theme's id.
    pub id: String,
    /// As the compilations show it: "Cape Verde", "Readmission".
    pub name: String,
    /// The question whose answer names it; [`OTHER`] for other information.
    pub question: String,
    /// The words that named it, as written, each once.
    pub words: Vec<String>,
}

/// The "question" of a mention in a row's other information.
pub const OTHER: &str = "other";

/// Builds the vocabularies (every country's names, the themes) now rather
/// than at the first answer: a caller with threads builds them while the
/// files are read. Errors are not lost: they are said again where the
/// vocabularies are used.
pub fn prepare() {
    let _ = places::gazetteer();
    let _ = themes::Themes::builtin();
}

/// What one responding country's answers name.
#[derive(Debug, Clone)]
pub struct Named {
    pub code: String,
    pub name: String,
    pub mentions: Vec<Mention>,
}

/// What every row of a compilation names, in the rows' order.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub countries: Vec<Named>,
}

impl Analysis {
    /// The analysis of `rows`: a withheld row names nothing.
    pub fn of(rows: &[Row], query: &Query) -> Analysis {
        Analysis::reusing(rows, query, None)
    }

    /// [`Analysis::of`], taking a row's mentions from an analysis of other
    /// rows (the other audience's) where that row is there with the very
    /// same texts: the same answers name the same places, so nothing is
    /// found twice, and a row whose texts differ is read afresh.
    pub fn reusing(rows: &[Row], query: &Query, earlier: Option<(&[Row], &Analysis)>) -> Analysis {
        let same = |row: &Row| -> Option<Vec<Mention>> {
            let (earlier_rows, analysis) = earlier?;
            let i = earlier_rows.iter().position(|e| {
                e.code == row.code
                    && !e.withheld
                    && e.cells == row.cells
                    && e.general == row.general
            })?;
            analysis.countries.get(i).map(|n| n.mentions.clone())
        };
        Analysis {
            countries: rows
                .iter()
                .map(|row| Named {
                    code: row.code.clone(),
                    name: row.name.clone(),
                    mentions: if row.withheld {
                        Vec::new()
                    } else {
                        same(row).unwrap_or_else(|| mentions(row, query))
                    },
                })
                .collect(),
        }
    }

    /// Every column of one kind: who names it, sorted by how many countries
    /// name it (most first), then by name (countries) or listed order
    /// (themes).
    pub fn columns(&self, kind: Kind) -> Vec<Column> {
        let mut columns: Vec<Column> = Vec::new();
        for (row, named) in self.countries.iter().enumerate() {
            for m in named.mentions.iter().filter(|m| m.kind == kind) {
                let i = match columns.iter().position(|c| c.id == m.id) {
                    Some(i) => i,
                    None => {
                        columns.push(Column {
                            id: m.id.clone(),
                            name: m.name.clone(),
                            cells: vec![Vec::new(); self.countries.len()],
                        });
                        columns.len() - 1
                    }
                };
                let cell = &mut columns[i].cells[row];
                if !cell.contains(&m.question) {
                    cell.push(m.question.clone());
                }
            }
        }
        let listed = themes::Themes::builtin()
            .map(|t| &t.list[..])
            .unwrap_or(&[]);
        let order = |id: &str| listed.iter().position(|t| t.id == id).unwrap_or(usize::MAX);
        columns.sort_by(|a, b| {
            b.count().cmp(&a.count()).then_with(|| {
                if kind == Kind::Theme {
                    order(&a.id).cmp(&order(&b.id))
                } else {
                    a.name.cmp(&b.name)
                }
            })
        });
        columns
    }
}

/// One partner, member or theme across the rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub id: String,
    pub name: String,
    /// Per row of the analysis: the questions whose answers name it.
    pub cells: Vec<Vec<String>>,
}

impl Column {
    /// How many countries name it.
    pub fn count(&self) -> usize {
        self.cells.iter().filter(|c| !c.is_empty()).count()
    }

    /// The countries that name it, in the rows' order.
    pub fn named_by<'a>(&self, analysis: &'a Analysis) -> Vec<&'a str> {
        analysis
            .countries
            .iter()
            .zip(&self.cells)
            .filter(|(_, c)| !c.is_empty())
            .map(|(n, _)| n.name.as_str())
            .collect()
    }
}

/// The mentions of one row's answers and other information.
fn mentions(row: &Row, query: &Query) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::new();
    let texts = row
        .cells
        .iter()
        .zip(&query.questions)
        .filter_map(|(cell, q)| match cell {
            Cell::Answer { text, .. } => Some((q.id.as_str(), text.as_str())),
            _ => None,
        })
        .chain(row.general.as_deref().map(|g| (OTHER, g)));
    for (question, text) in texts {
        // Split and folded once, for both vocabularies.
        let words = phrases::tokens(text);
        for hit in places::named_in_words(&words) {
            let (kind, id, name) = match hit.what {
                Place::Country { code, .. } if code == row.code => continue,
                Place::Country { code, name } => {
                    match Standing::of(query.network, &code, query.requested_on) {
                        Standing::Outside => (Kind::Partner, code, name),
                        _ => (Kind::Member, code, name),
                    }
                }
                Place::Ambiguous(written) => (Kind::Partner, written.clone(), written),
            };
            add(&mut out, kind, id, name, question, hit.written);
        }
        if let Ok(themes) = themes::Themes::builtin() {
            for hit in themes.named_in_words(&words) {
                let t = &themes.list[hit.what];
                add(
                    &mut out,
                    Kind::Theme,
                    t.id.clone(),
                    t.name.clone(),
                    question,
                    hit.written,
                );
            }
        }
    }
    out
}

fn add(
    out: &mut Vec<Mention>,
    kind: Kind,
    id: String,
    name: String,
    question: &str,
    words: String,
) {
    match out
        .iter_mut()
        .find(|m| m.kind == kind && m.id == id && m.question == question)
    {
        Some(m) => {
            if !m.words.contains(&words) {
                m.words.push(words);
            }
        }
        None => out.push(Mention {
            kind,
            id,
            name,
            question: question.to_string(),
            words: vec![words],
        }),
    }
}
