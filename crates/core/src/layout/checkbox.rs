//! The flag given as check boxes: option cells "Yes" / "No" (in any of the
//! network's languages) beside or under the flag label, with a mark (X, ☒,
//! ✓, …) beside or under one of them, or in the option cell itself. An
//! option heading is never itself the answer: both or neither marked is an
//! error.

use super::{Found, loc};
use crate::dissemination::{is_mark, option};
use crate::reading::{Cell, Sheet};
use crate::record::{Dissemination, Finding};

/// What the boxes around a flag label say.
pub(super) struct Boxes {
    /// The chosen option (its word, where its mark is), or the error.
    pub value: Result<Found, Finding>,
    /// Cells the boxes took (options, marks): not text to compile.
    pub cells: Vec<(u32, u32)>,
}

/// One option cell and its mark, once found.
struct Choice<'a> {
    value: Dissemination,
    cell: &'a Cell,
    mark: Option<&'a Cell>,
    marked: bool,
}

/// The check boxes beside (same row) or under (the rows below) the flag
/// label; `None` when there is no pair of Yes and No options there.
pub(super) fn read(sheet: &Sheet, label: &Cell) -> Option<Boxes> {
    let visible = |row: u32, col: u32| sheet.get(row, col).filter(|c| !c.hidden);
    // Beside: the cells right of the label, until something that is neither
    // an option nor a mark.
    let row: Vec<&Cell> = sheet
        .row(label.row)
        .iter()
        .filter(|c| c.col > label.col && !c.hidden)
        .take_while(|c| option(&c.text).is_some() || is_mark(&c.text))
        .collect();
    let beside = choices(&row, |c| {
        visible(c.row + 1, c.col).filter(|m| is_mark(&m.text))
    });
    if let Some(b) = beside.filter(|b| both(b)) {
        return Some(decide(sheet, label, b));
    }
    // Side by side in the row under the label.
    let below: Vec<&Cell> = sheet
        .row(label.row + 1)
        .iter()
        .filter(|c| c.col >= label.col && !c.hidden)
        .take_while(|c| option(&c.text).is_some() || is_mark(&c.text))
        .collect();
    if let Some(b) = choices(&below, |_| None).filter(|b| both(b)) {
        return Some(decide(sheet, label, b));
    }
    // One per row: under the label, in its column or the next, or down the
    // value column from the label's own row; marks beside them.
    for (col, first) in [
        (label.col, label.row + 1),
        (label.col + 1, label.row + 1),
        (label.col + 1, label.row),
    ] {
        let mut column: Vec<&Cell> = Vec::new();
        for r in first..first + 2 {
            let Some(c) = visible(r, col) else { break };
            // An option's row holds no label of its own: "1 | No" under
            // "Wider dissemination | Yes" is question 1 answered, not a box.
            let labelled = r > label.row && col > label.col && visible(r, label.col).is_some();
            if labelled || option(&c.text).is_none() {
                break;
            }
            column.push(c);
        }
        let under = column
            .iter()
            .map(|c| {
                let (value, own) = option(&c.text).expect("checked");
                let mark = [c.col + 1, c.col.wrapping_sub(1)]
                    .into_iter()
                    .find_map(|mc| visible(c.row, mc).filter(|m| is_mark(&m.text)));
                Choice {
                    value,
                    cell: c,
                    mark,
                    marked: own.unwrap_or(mark.is_some()),
                }
            })
            .collect::<Vec<_>>();
        if both(&under) {
            return Some(decide(sheet, label, under));
        }
    }
    None
}

/// Options in one row, with marks beside them (on the side the row's first
/// box stands) or under them.
fn choices<'a>(
    row: &[&'a Cell],
    under: impl Fn(&Cell) -> Option<&'a Cell>,
) -> Option<Vec<Choice<'a>>> {
    let marks_before = row.first().is_some_and(|c| is_mark(&c.text));
    let mut out = Vec::new();
    for (i, c) in row.iter().enumerate() {
        let Some((value, own)) = option(&c.text) else {
            continue;
        };
        let neighbour = if marks_before {
            i.checked_sub(1).map(|j| row[j])
        } else {
            row.get(i + 1).copied()
        }
        .filter(|m| is_mark(&m.text) && m.col.abs_diff(c.col) == 1);
        let mark = neighbour.or_else(|| under(c));
        out.push(Choice {
            value,
            cell: c,
            mark,
            marked: own.unwrap_or(false) || mark.is_some(),
        });
    }
    Some(out)
}

/// A Yes option and a No option: a set of check boxes, not a value.
fn both(choices: &[Choice<'_>]) -> bool {
    choices.iter().any(|c| c.value == Dissemination::Yes)
        && choices.iter().any(|c| c.value == Dissemination::No)
}

fn decide(sheet: &Sheet, label: &Cell, choices: Vec<Choice<'_>>) -> Boxes {
    let mut cells: Vec<(u32, u32)> = Vec::new();
    for c in &choices {
        cells.push((c.cell.row, c.cell.col));
        if let Some(m) = c.mark {
            cells.push((m.row, m.col));
        }
    }
    let marked: Vec<&Choice<'_>> = choices.iter().filter(|c| c.marked).collect();
    let options = choices
        .iter()
        .map(|c| format!("\"{}\"", c.cell.text.trim()))
        .collect::<Vec<_>>()
        .join(" and ");
    let at = loc(sheet, label.row, label.col);
    let value = match marked.as_slice() {
        [one] => {
            let where_ = one.mark.unwrap_or(one.cell);
            Ok(Found {
                text: one.cell.text.clone(),
                at: loc(sheet, where_.row, where_.col),
                error: false,
                formula: None,
            })
        }
        [] => Err(Finding::error(
            format!(
                "the wider-dissemination options {options} have no mark: put an X beside (or \
                 under) Yes or No, or write Yes or No in one cell; an option's heading is not an \
                 answer"
            ),
            Some(at),
        )),
        _ => Err(Finding::error(
            format!(
                "the wider-dissemination options {options} are both marked: keep the mark on Yes \
                 or on No"
            ),
            Some(at),
        )),
    };
    Boxes { value, cells }
}
