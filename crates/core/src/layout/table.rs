//! A table: a header row with a "Country" column and question, "Response"
//! or dissemination columns; each row below is a country.

use super::beside::Target;
use super::classify::{Label, classify};
use super::{Found, LayoutKind, RawResponse, Slot, found, loc, stray};
use crate::dissemination::option;
use crate::query::Query;
use crate::reading::{Cell, Sheet};
use crate::record::Dissemination;
use crate::record::Finding;
use crate::text::first_line;

/// Columns of flag options in the header row: "Wider dissemination: Yes" |
/// "No", or "Wider dissemination" | "Yes" | "No", each row marking one.
/// Empty unless there is a Yes option and a No option.
fn option_columns(sheet: &Sheet, query: &Query, anchor: &Cell) -> Vec<(u32, Dissemination)> {
    let mut out = Vec::new();
    for c in sheet
        .row(anchor.row)
        .iter()
        .filter(|c| !c.hidden && c.col != anchor.col)
    {
        let text = if classify(&c.text, query) == Some(Label::Flag) {
            // The option typed into the flag's own heading.
            let lower = c.text.to_ascii_lowercase();
            lower
                .rfind("dissemination")
                .map_or("", |i| &c.text[i + "dissemination".len()..])
        } else {
            c.text.as_str()
        };
        if let Some((value, _)) =
            option(text.trim_matches(|ch: char| ch == ':' || ch == '?' || ch.is_whitespace()))
        {
            out.push((c.col, value));
        }
    }
    let both = out.iter().any(|o| o.1 == Dissemination::Yes)
        && out.iter().any(|o| o.1 == Dissemination::No);
    if both { out } else { Vec::new() }
}

/// The flag of one row from its marks under the option columns: exactly one
/// marked option is the value; none or several is an error.
fn flag_from_boxes(r: &mut RawResponse, sheet: &Sheet, row: u32, boxes: &[(u32, Dissemination)]) {
    let marked: Vec<(&Cell, Dissemination)> = boxes
        .iter()
        .filter_map(|(col, v)| {
            sheet
                .get(row, *col)
                .filter(|c| !c.hidden && !c.text.trim().is_empty())
                .map(|c| (c, *v))
        })
        .collect();
    let at = loc(sheet, row, boxes[0].0);
    match marked.as_slice() {
        [(cell, value)] => {
            r.flag = Some(Found {
                text: value.label().to_string(),
                at: loc(sheet, cell.row, cell.col),
                error: false,
                formula: None,
            });
            r.flag_at = Some(loc(sheet, cell.row, cell.col));
        }
        _ => {
            r.flag_at.get_or_insert(at.clone());
            r.flag = None;
            r.flag_error = Some(Finding::error(
                format!(
                    "this row marks {} of the wider-dissemination options: mark one, under Yes or \
                     under No",
                    if marked.is_empty() {
                        "none"
                    } else {
                        "more than one"
                    }
                ),
                Some(at),
            ));
        }
    }
}

/// The table layout, anchored at the "Country" header cell.
pub(super) fn table(sheet: &Sheet, query: &Query, anchor: &Cell) -> Vec<RawResponse> {
    let hr = anchor.row;
    let mut columns: Vec<(u32, Label)> = Vec::new();
    let mut notes: Vec<Finding> = Vec::new();
    let boxes = option_columns(sheet, query, anchor);
    for c in sheet
        .row(hr)
        .iter()
        .filter(|c| c.col != anchor.col && !c.hidden)
    {
        // Option columns ("Yes" | "No" under the flag): read per row below.
        if boxes.iter().any(|(col, _)| *col == c.col)
            && classify(&c.text, query) != Some(Label::Flag)
        {
            continue;
        }
        let label = classify(&c.text, query)
            .or_else(|| super::classify::lists_questions(&c.text, query).then_some(Label::Whole));
        match label {
            Some(Label::Country | Label::Heading) | None => notes.push(Finding::warning(
                format!(
                    "column heading \"{}\" is not a question of this query, so this column is not compiled: \
                     head it with the question's number, or delete it",
                    first_line(&c.text, 60)
                ),
                Some(loc(sheet, c.row, c.col)),
            )),
            Some(label) => {
                if label != Label::Flag && columns.iter().any(|(_, l)| *l == label) {
                    notes.push(Finding::warning(
                        "this column repeats another column's heading; its text is compiled after the first",
                        Some(loc(sheet, c.row, c.col)),
                    ));
                }
                columns.push((c.col, label));
            }
        }
    }
    let mut out: Vec<RawResponse> = Vec::new();
    let mut header_notes = Some(notes);
    for row in sheet.rows().into_iter().filter(|r| *r > hr) {
        // Hidden rows and columns are never read (`locate` names what they hold).
        let cells: Vec<&Cell> = sheet.row(row).iter().filter(|c| !c.hidden).collect();
        if cells.is_empty() {
            continue;
        }
        let country = sheet.get(row, anchor.col).filter(|c| !c.hidden);
        let is_new = country.is_some() || out.is_empty();
        if is_new {
            let mut r = RawResponse::new(LayoutKind::Table, loc(sheet, row, anchor.col));
            r.country_label = true;
            r.country = country.map(|c| found(sheet, c));
            r.findings = header_notes.take().unwrap_or_default();
            for (col, label) in &columns {
                let at = loc(sheet, row, *col);
                let value = sheet
                    .get(row, *col)
                    .filter(|c| !c.hidden)
                    .map(|c| found(sheet, c));
                match label {
                    Label::Flag => {
                        let label = sheet
                            .get(hr, *col)
                            .map(|c| found(sheet, c))
                            .expect("a header cell");
                        r.set_flag(label, at, value);
                    }
                    Label::Whole => {
                        r.whole_at = Some(at);
                        if r.whole.is_none() {
                            r.whole = value;
                        } else if let (Some(w), Some(v)) = (r.whole.as_mut(), value) {
                            w.text.push('\n');
                            w.text.push_str(&v.text);
                        }
                    }
                    Label::Question(qi) => r.slots.push(Slot {
                        question: *qi,
                        at,
                        value,
                    }),
                    Label::Contact => r.contact = value,
                    Label::Date => r.date = value,
                    Label::Country | Label::Heading => {}
                }
            }
            if !boxes.is_empty() {
                flag_from_boxes(&mut r, sheet, row, &boxes);
            }
            for c in cells {
                let known = columns.iter().any(|(col, _)| *col == c.col)
                    || boxes.iter().any(|(col, _)| *col == c.col);
                if c.col != anchor.col && !known {
                    stray(&mut r, sheet, c, "its column has no question heading");
                }
            }
            out.push(r);
        } else {
            // A row without a country continues the row above (a long answer
            // split over rows, as compilations pasted from documents are).
            let r = out.last_mut().expect("checked above");
            for c in cells {
                let Some((_, label)) = columns.iter().find(|(col, _)| *col == c.col) else {
                    stray(r, sheet, c, "its column has no question heading");
                    continue;
                };
                let target = match label {
                    Label::Whole => Some(Target::Whole),
                    Label::Question(qi) => r
                        .slots
                        .iter()
                        .position(|s| s.question == *qi)
                        .map(Target::Slot),
                    _ => None,
                };
                match target {
                    Some(t) => {
                        r.findings.push(Finding::info(
                            "this row has no country, so its text is joined to the answer above it",
                            Some(loc(sheet, c.row, c.col)),
                        ));
                        t.append(r, &c.text, loc(sheet, c.row, c.col));
                    }
                    None => stray(r, sheet, c, "its row has no country"),
                }
            }
        }
    }
    without_blank_rows(out, sheet)
}

/// A table of every country returned with only the sender's row filled
/// (the network's compilation table): a row that names a country and holds
/// nothing else is not a response, and never counts as received. When no
/// row holds anything, the rows stay, and each says what is missing.
fn without_blank_rows(rows: Vec<RawResponse>, sheet: &Sheet) -> Vec<RawResponse> {
    let said = |f: &Option<Found>| f.as_ref().is_some_and(|f| !f.text.trim().is_empty());
    let blank = |r: &RawResponse| {
        !said(&r.flag)
            && r.flag_error.is_none()
            && !said(&r.whole)
            && !said(&r.contact)
            && !said(&r.date)
            && r.extra.is_empty()
            && r.slots.iter().all(|s| !said(&s.value))
    };
    if rows.iter().all(blank) {
        return rows;
    }
    let (empty, mut kept): (Vec<RawResponse>, Vec<RawResponse>) =
        rows.into_iter().partition(|r| blank(r));
    if !empty.is_empty()
        && let Some(first) = kept.first_mut()
    {
        let names: Vec<String> = empty
            .iter()
            .filter_map(|r| r.country.as_ref().map(|c| c.text.trim().to_string()))
            .collect();
        first.findings.push(Finding::info(
            format!(
                "{} row(s) of {} name a country and hold nothing else ({}): not responses",
                empty.len(),
                match sheet.part {
                    crate::reading::Part::Sheet => format!("the table on {}", sheet.what()),
                    _ => sheet.what(),
                },
                first_line(&names.join(", "), 120)
            ),
            None,
        ));
    }
    kept
}

/// A table whose country column has no heading (the network's compilation
/// table: a blank corner, "Wider Dissemination?", the questions): anchored
/// where the heading would be, in the row of the flag's heading, over a
/// column that names countries in two rows or more.
pub(super) fn headless(sheet: &Sheet, query: &Query) -> Option<Cell> {
    let countries = crate::country::Countries::builtin().ok()?;
    sheet
        .cells()
        .iter()
        .filter(|c| !c.hidden && classify(&c.text, query) == Some(Label::Flag))
        .find_map(|flag| {
            (0..flag.col).rev().find_map(|col| {
                let named = sheet
                    .rows()
                    .into_iter()
                    .filter(|&r| r > flag.row)
                    .filter_map(|r| sheet.get(r, col))
                    .filter(|c| !c.hidden && countries.find(&c.text).is_some())
                    .count();
                (named >= 2 && sheet.get(flag.row, col).is_none())
                    .then(|| Cell::new(flag.row, col, "Country"))
            })
        })
}
