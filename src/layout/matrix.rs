//! A matrix: a header row of countries, the questions down a column (a
//! legacy compilation turned on its side). Each country's column is one
//! response; its header names the country.

use super::classify::{Label, classify};
use super::{Hint, HintSource, LayoutKind, RawResponse, Slot, found, loc, stray};
use crate::country::Countries;
use crate::query::Query;
use crate::reading::{Cell, Sheet};

/// The matrix on `sheet`, if one: its score (labelled rows and countries)
/// and a response per country column.
pub(super) fn matrix(sheet: &Sheet, query: &Query) -> Option<(usize, Vec<RawResponse>)> {
    let countries = Countries::builtin().ok()?;
    // The header: the first row with two or more cells that are countries.
    let header_row = sheet.rows().into_iter().find(|&r| {
        sheet
            .row(r)
            .iter()
            .filter(|c| !c.hidden && countries.find(&c.text).is_some())
            .count()
            >= 2
    })?;
    let heads: Vec<&Cell> = sheet
        .row(header_row)
        .iter()
        .filter(|c| !c.hidden && countries.find(&c.text).is_some())
        .collect();
    let first_col = heads[0].col;
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
                Label::Flag => r.set_flag(found(sheet, label), at, value),
                Label::Whole => {
                    r.whole_at.get_or_insert(at);
                    r.whole = r.whole.take().or(value);
                }
                _ => {}
            }
        }
        // Text in this column under no label: kept as other information.
        for c in sheet.cells().iter().filter(|c| {
            !c.hidden
                && c.col == head.col
                && c.row > header_row
                && !labels.iter().any(|(l, _)| l.row == c.row)
        }) {
            stray(&mut r, sheet, c, "its row has no question label");
        }
        out.push(r);
    }
    Some((labels.len() + heads.len(), out))
}
