//! A matrix: a header row of countries, the questions down a column (a
//! legacy compilation turned on its side). Each country's column is one
//! response; its header names the country.

use super::classify::{Label, classify};
use super::{Found, Hint, HintSource, LayoutKind, RawResponse, Slot, found, loc, stray};
use crate::country::Countries;
use crate::dissemination::{is_mark, option};
use crate::query::Query;
use crate::reading::{Cell, Sheet};
use crate::record::{Dissemination, Finding};

/// Rows under a flag label whose label cell is a Yes or No option (a pair
/// of both): (row, the option as written). Empty when there is no such pair.
fn option_rows(sheet: &Sheet, label: &Cell) -> Vec<(u32, String)> {
    let rows: Vec<(u32, String, Dissemination)> = (label.row + 1..label.row + 3)
        .filter_map(|r| {
            let c = sheet.get(r, label.col).filter(|c| !c.hidden)?;
            let (value, _) = option(&c.text)?;
            Some((r, c.text.clone(), value))
        })
        .collect();
    let both = rows.iter().any(|r| r.2 == Dissemination::Yes)
        && rows.iter().any(|r| r.2 == Dissemination::No);
    if both {
        rows.into_iter().map(|(r, t, _)| (r, t)).collect()
    } else {
        Vec::new()
    }
}

/// The matrix on `sheet`, if one: its score (labelled rows and countries)
/// and a response per country column.
pub(super) fn matrix(sheet: &Sheet, query: &Query) -> Option<(usize, Vec<RawResponse>)> {
    let countries = Countries::builtin().ok()?;
    // The header: the first row with two or more cells that are countries.
    // A country's name is short: longer cells are not looked up.
    let is_country =
        |c: &Cell| !c.hidden && c.text.len() <= 60 && countries.find(&c.text).is_some();
    let header_row = sheet.rows().into_iter().find(|&r| {
        sheet.row(r).len() >= 2 && sheet.row(r).iter().filter(|c| is_country(c)).count() >= 2
    })?;
    let heads: Vec<&Cell> = sheet
        .row(header_row)
        .iter()
        .filter(|c| is_country(c))
        .collect();
    let first_col = heads[0].col;
    // A matrix has its labels under the header, and no other country label:
    // a row of partner countries inside a labelled response is no header.
    let label_of = |c: &Cell| classify(&c.text, query);
    let corner_is_label = sheet.row(header_row).iter().any(|c| {
        !c.hidden
            && c.col < first_col
            && matches!(
                label_of(c),
                Some(Label::Question(_) | Label::Flag | Label::Whole)
            )
    });
    let labels_above = sheet.cells().iter().any(|c| {
        !c.hidden
            && c.row != header_row
            && (c.row < header_row && label_of(c).is_some_and(|l| l != Label::Heading)
                || label_of(c) == Some(Label::Country))
    });
    let all_expected = heads.iter().all(|h| {
        countries
            .find(&h.text)
            .is_some_and(|c| query.expected.contains(&c.code))
    });
    if corner_is_label || labels_above || !all_expected {
        return None;
    }
    // The labels: a column left of the countries, under the header.
    let labels: Vec<(&Cell, Label)> = sheet
        .cells()
        .iter()
        .filter(|c| !c.hidden && c.row > header_row && c.col < first_col)
        .filter_map(|c| classify(&c.text, query).map(|l| (c, l)))
        .filter(|(_, l)| matches!(l, Label::Question(_) | Label::Flag | Label::Whole))
        .collect();
    if !labels.iter().any(|(_, l)| matches!(l, Label::Question(_))) {
        return None;
    }
    let label_col = labels
        .iter()
        .map(|(c, _)| c.col)
        .max_by_key(|col| labels.iter().filter(|(c, _)| c.col == *col).count())?;
    let labels: Vec<(&Cell, Label)> = labels
        .into_iter()
        .filter(|(c, _)| c.col == label_col)
        .collect();
    // Questions come down the column in their order, each once: numbers
    // that happen to equal question ids ("2", "3", "1" in a table of
    // figures) are no questionnaire.
    let order: Vec<usize> = labels
        .iter()
        .filter_map(|(_, l)| match l {
            Label::Question(qi) => Some(*qi),
            _ => None,
        })
        .collect();
    if order.windows(2).any(|w| w[0] >= w[1]) {
        return None;
    }
    let mut out = Vec::new();
    for head in &heads {
        let mut r = RawResponse::new(LayoutKind::Matrix, loc(sheet, head.row, head.col));
        r.country_label = true;
        r.country = Some(found(sheet, head));
        r.hints.push(Hint {
            source: HintSource::MatrixHeader,
            text: head.text.clone(),
            at: Some(loc(sheet, head.row, head.col)),
        });
        for (label, kind) in &labels {
            let at = loc(sheet, label.row, head.col);
            let value = sheet
                .get(label.row, head.col)
                .filter(|c| !c.hidden)
                .map(|c| found(sheet, c));
            match kind {
                Label::Question(qi) => r.slots.push(Slot {
                    question: *qi,
                    at,
                    value,
                }),
                Label::Flag if value.is_none() && !option_rows(sheet, label).is_empty() => {
                    // Options down the label column, an X in the country's column.
                    let options = option_rows(sheet, label);
                    let marked: Vec<&(u32, String)> = options
                        .iter()
                        .filter(|(row, _)| {
                            sheet
                                .get(*row, head.col)
                                .is_some_and(|c| !c.hidden && is_mark(&c.text))
                        })
                        .collect();
                    match marked.as_slice() {
                        [(row, word)] => {
                            let at = loc(sheet, *row, head.col);
                            let value = Found {
                                text: word.clone(),
                                at: at.clone(),
                                error: false,
                                formula: None,
                            };
                            r.set_flag(found(sheet, label), at, Some(value));
                        }
                        _ => {
                            r.flag_error = Some(Finding::error(
                                format!(
                                    "the wider-dissemination options under {} have {} mark in \
                                     this column: put one X, beside Yes or No",
                                    loc(sheet, label.row, label.col),
                                    if marked.is_empty() {
                                        "no"
                                    } else {
                                        "more than one"
                                    }
                                ),
                                Some(at.clone()),
                            ));
                            r.set_flag(found(sheet, label), at, None);
                        }
                    }
                }
                Label::Flag => r.set_flag(found(sheet, label), at, value),
                Label::Whole => {
                    r.whole_at.get_or_insert(at);
                    r.whole = r.whole.take().or(value);
                }
                _ => {}
            }
        }
        // Text in this column under no label (nor a flag option's row):
        // kept as other information.
        let option_rows: Vec<u32> = labels
            .iter()
            .filter(|(_, k)| *k == Label::Flag)
            .flat_map(|(l, _)| option_rows(sheet, l).into_iter().map(|(r, _)| r))
            .collect();
        for c in sheet.cells().iter().filter(|c| {
            !c.hidden
                && c.col == head.col
                && c.row > header_row
                && !labels.iter().any(|(l, _)| l.row == c.row)
                && !option_rows.contains(&c.row)
        }) {
            stray(&mut r, sheet, c, "its row has no question label");
        }
        out.push(r);
    }
    // Columns that are neither the labels' nor a country's: said, not lost.
    let mut other_cols: Vec<u32> = sheet
        .cells()
        .iter()
        .filter(|c| {
            !c.hidden
                && c.row >= header_row
                && c.col != label_col
                && !heads.iter().any(|h| h.col == c.col)
                && (c.col > label_col || c.row == header_row)
        })
        .map(|c| c.col)
        .collect();
    other_cols.sort_unstable();
    other_cols.dedup();
    if let Some(first) = out.first_mut() {
        for col in other_cols {
            let head = sheet
                .get(header_row, col)
                .map_or(String::new(), |c| c.text.clone());
            first.findings.push(crate::record::Finding::warning(
                format!(
                    "the column headed at {} (\"{}\") is not a country of this query's, so it is \
                     not compiled: head it with the country's name if it is a response",
                    loc(sheet, header_row, col).cell(),
                    crate::text::first_line(&head, 40)
                ),
                Some(loc(sheet, header_row, col)),
            ));
        }
    }
    Some((labels.len() + heads.len(), out))
}
