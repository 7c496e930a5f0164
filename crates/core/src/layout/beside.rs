//! Labels with their values beside them ("Country" | "Belgium", "1" |
//! answer, "1" | question text | answer), which is also the template's layout.

use super::checkbox;
use super::classify::{Label, classify, id_and_text, question_text};
use super::{Found, Hint, HintSource, LayoutKind, RawResponse, Slot, found, loc, stray};
use crate::dissemination::parse_flag;
use crate::query::Query;
use crate::reading::{Cell, Sheet};
use crate::record::{Finding, Location};
use crate::text::{first_line, key};
use crate::vocabulary::labels;
use std::collections::HashSet;

/// The labelled layout, anchored at the "Country" label cell.
pub(super) fn labelled(
    sheet: &Sheet,
    query: &Query,
    anchor: &Cell,
    template: bool,
) -> Option<(usize, Vec<RawResponse>)> {
    let lc = anchor.col;
    let layout = if template {
        LayoutKind::Template
    } else {
        LayoutKind::Labelled
    };
    let mut r = RawResponse::new(layout, loc(sheet, anchor.row, lc + 1));
    let mut score = 0usize;
    let mut first_anchor_row = u32::MAX;
    let mut seen_questions: HashSet<usize> = HashSet::new();
    // Where the last value went, for a continuation row beneath it.
    // `below`: the label had nothing beside it, so its value is the text
    // under it, in its column, up to the next label (blank rows allowed).
    let mut last_value: Option<(u32, u32, Target, bool)> = None;
    let mut pending: Vec<&Cell> = Vec::new();
    let mut answer_col: Option<u32> = None;
    // Cells already read as a value from another row (a flag under its label).
    let mut consumed: HashSet<(u32, u32)> = HashSet::new();

    for row in sheet.rows() {
        let all = sheet.row(row);
        // Hidden rows and columns are never read as labels or answers
        // (`locate` names what they hold).
        let cells: Vec<&Cell> = all
            .iter()
            .filter(|c| !c.hidden && !consumed.contains(&(c.row, c.col)))
            .collect();
        if cells.is_empty() {
            continue;
        }
        // The label is the leftmost cell in the label column or the one before it
        // (ids in A with texts in B, when "Country" sits in B).
        let label_cell = cells
            .iter()
            .copied()
            .find(|c| c.col + 1 >= lc && c.col <= lc);
        let label = label_cell.and_then(|c| classify(&c.text, query));
        // Under a label with nothing beside it, a lone "No" is an answer,
        // not the heading of a numbers column.
        let label = label.filter(|l| {
            !(*l == Label::Heading
                && cells.len() == 1
                && last_value
                    .as_ref()
                    .is_some_and(|(_, vc, _, below)| *below && cells[0].col == *vc))
        });
        let Some((label_cell, label)) = label_cell.zip(label) else {
            // No label: a continuation of the value above, or stray text.
            let continues = last_value.as_ref().filter(|(lr, vc, _, below)| {
                (*below || *lr + 1 == row) && cells.iter().all(|c| c.col == *vc)
            });
            // A short marking after an answer ("Note: for EMN NCPs only")
            // is about the response, not more of the answer.
            let marking = |r: &RawResponse, t: Target, text: &str| {
                t.has_value(r)
                    && text.split_whitespace().count() <= 12
                    && crate::vocabulary::restrictions()
                        .find(text, crate::vocabulary::Place::Label)
                        .is_some()
            };
            if let Some((_, _, target, _)) = continues
                && cells.len() == 1
                && marking(&r, *target, &cells[0].text)
            {
                stray(
                    &mut r,
                    sheet,
                    cells[0],
                    "it is a marking of the response (restriction wording), not more of the answer above",
                );
                continue;
            }
            if let Some((_, vc, target, below)) = continues.cloned() {
                let cell = cells[0];
                r.findings.push(Finding::info(
                    if below {
                        "this cell is under its label, with nothing beside the label: it is read as the answer"
                    } else {
                        "this cell continues the answer in the row above, and is joined to it"
                    },
                    Some(loc(sheet, cell.row, cell.col)),
                ));
                target.append(&mut r, &cell.text, loc(sheet, cell.row, cell.col));
                last_value = Some((row, vc, target, below));
            } else {
                pending.extend(cells);
            }
            continue;
        };
        for c in cells.iter().filter(|c| c.col < label_cell.col) {
            stray(&mut r, sheet, c, "it is left of the labels");
        }
        if label == Label::Heading {
            // "No. | Question | Your answer": answers sit under "Your answer".
            for c in cells.iter().filter(|c| c.col >= label_cell.col) {
                let k = key(&c.text);
                if labels().answer_heading.contains(&k) {
                    answer_col = Some(c.col);
                } else if !labels().heading.contains(&k) {
                    stray(&mut r, sheet, c, "it is in a row of column headings");
                }
            }
            last_value = None;
            continue;
        }
        first_anchor_row = first_anchor_row.min(row);
        if label == Label::Flag
            && let Some(boxes) = checkbox::read(sheet, label_cell)
        {
            score += 1;
            consumed.extend(boxes.cells.iter().copied());
            for c in cells
                .iter()
                .filter(|c| c.col > label_cell.col && !boxes.cells.contains(&(c.row, c.col)))
            {
                stray(
                    &mut r,
                    sheet,
                    c,
                    "it is beside the wider-dissemination check boxes",
                );
            }
            let label_found = found(sheet, label_cell);
            match boxes.value {
                Ok(v) => r.set_flag(label_found, v.at.clone(), Some(v)),
                Err(e) => {
                    let at = e.location.clone().unwrap_or_else(|| label_found.at.clone());
                    r.flag_error.get_or_insert(e);
                    r.set_flag(label_found, at, None);
                }
            }
            last_value = None;
            continue;
        }
        let mut rest = cells
            .iter()
            .copied()
            .filter(|c| c.col > label_cell.col)
            .peekable();
        let mut value_col = label_cell.col + 1;
        let mut skipped: Vec<&Cell> = Vec::new();
        if let Label::Question(qi) = label {
            if let Some(ac) = answer_col.filter(|ac| *ac > label_cell.col) {
                // Under an answer heading the answer is in that column, whatever
                // the question text beside the id says (it may be an older wording).
                value_col = ac;
                while let Some(c) = rest.next_if(|c| c.col < ac) {
                    if question_text(&c.text, query) != Some(qi) {
                        skipped.push(c);
                    }
                }
            } else if let Some(next) = rest.peek()
                && question_text(&next.text, query) == Some(qi)
            {
                // "1 | question text | answer": the text is part of the label.
                value_col = next.col + 1;
                rest.next();
            }
        }
        let mut rest = rest.filter(|c| c.col >= value_col).peekable();
        let value = rest.next_if(|c| {
            answer_col.is_none() || !matches!(label, Label::Question(_)) || c.col == value_col
        });
        // An answer typed across several cells of its row is one answer,
        // its cells joined in reading order; beside a country or a flag,
        // or right of an answer column, more text is other information.
        let spans = value.is_some()
            && answer_col.is_none()
            && matches!(label, Label::Question(_) | Label::Whole);
        let mut joined: Vec<&Cell> = Vec::new();
        // Only the cells that follow on without a gap: a remark set apart
        // by an empty column is other information.
        let mut next_col = value.map_or(0, |v| v.col + 1);
        for extra in rest {
            if spans && extra.merged_from.is_none() && extra.col == next_col {
                next_col += 1;
                joined.push(extra);
                continue;
            }
            stray(
                &mut r,
                sheet,
                extra,
                "it is beside a value that was already read",
            );
        }
        let mut value_found = value.map(|c| found(sheet, c));
        if let (Some(v), false) = (value_found.as_mut(), joined.is_empty()) {
            for c in &joined {
                v.text.push(' ');
                v.text.push_str(c.text.trim());
            }
            r.findings.push(Finding::info(
                format!(
                    "the answer runs on in {} more cell(s) of its row, read as one answer",
                    joined.len()
                ),
                Some(v.at.clone()),
            ));
        }
        let mut expected_at =
            value.map_or_else(|| loc(sheet, row, value_col), |c| loc(sheet, c.row, c.col));
        if let Label::Question(qi) = label {
            if value_found.is_none() {
                // An answer typed into the label cell ("1. Yes, with Georgia").
                if skipped.is_empty()
                    && let Some(inline) = inline_answer(&label_cell.text, qi, query)
                {
                    r.findings.push(Finding::info(
                        format!("the answer to question {} is typed after its number, in the label cell", query.questions[qi].id),
                        Some(loc(sheet, label_cell.row, label_cell.col)),
                    ));
                    value_found = Some(Found {
                        text: inline,
                        at: loc(sheet, label_cell.row, label_cell.col),
                        error: false,
                        formula: None,
                    });
                    expected_at = loc(sheet, label_cell.row, label_cell.col);
                }
            }
            // Text beside the id that is not this question's text: an older wording,
            // or an answer in the wrong column. Either way, said, not guessed.
            for c in skipped {
                r.findings.push(Finding::warning(
                    format!(
                        "this cell holds \"{}\", which is not the text of question {}; it is not read \
                         as the answer: if it is your answer, move it under \"Your answer\"",
                        first_line(&c.text, 60),
                        query.questions[qi].id
                    ),
                    Some(loc(sheet, c.row, c.col)),
                ));
            }
        }
        if label == Label::Flag
            && value_found
                .as_ref()
                .is_none_or(|v| v.text.trim().is_empty())
        {
            // "Wider dissemination?" with Yes or No in the cell below it.
            // Only a lone cell right under the label: the row below may be a
            // question whose answer is "Yes".
            // The leftmost cell of that row, in the label's column: a note
            // beside it ("No | decided 3 May") is other information.
            let below = sheet.get(row + 1, label_cell.col).filter(|c| {
                !c.hidden
                    && sheet.row(row + 1).first().is_some_and(|f| f.col == c.col)
                    && matches!(parse_flag(&c.text), Ok(Some(_)))
            });
            if let Some(c) = below {
                consumed.insert((c.row, c.col));
                r.findings.push(Finding::info(
                    "the wider-dissemination answer is read from this cell, under its label",
                    Some(loc(sheet, c.row, c.col)),
                ));
                value_found = Some(found(sheet, c));
                expected_at = loc(sheet, c.row, c.col);
            }
        }
        if label == Label::Country
            && value_found
                .as_ref()
                .is_none_or(|v| v.text.trim().is_empty())
            && let Ok(countries) = crate::country::Countries::builtin()
        {
            // "Country" with the country on the line under it (a Word reply
            // in paragraphs): a lone cell naming a country, nothing else.
            let below = sheet.get(row + 1, label_cell.col).filter(|c| {
                !c.hidden && sheet.row(row + 1).len() == 1 && countries.find(&c.text).is_some()
            });
            if let Some(c) = below {
                consumed.insert((c.row, c.col));
                r.findings.push(Finding::info(
                    "the country is read from this cell, under its label",
                    Some(loc(sheet, c.row, c.col)),
                ));
                value_found = Some(found(sheet, c));
                expected_at = loc(sheet, c.row, c.col);
            }
        }
        let label_found = found(sheet, label_cell);
        let vcol = value_found.as_ref().map_or(value_col, |v| v.at.col);
        // Nothing beside a question or response label: its answer may be under it.
        let below = value_found.is_none()
            && matches!(label, Label::Question(_) | Label::Whole)
            && answer_col.is_none();
        let target = match label {
            Label::Country => {
                if r.country_label {
                    r.findings.push(Finding::warning(
                        "a second \"Country\" label: only the first was read; delete the one that is wrong",
                        Some(loc(sheet, row, label_cell.col)),
                    ));
                } else {
                    score += 1;
                    r.country_label = true;
                    r.country_at = expected_at;
                    r.country = value_found;
                }
                None
            }
            Label::Flag => {
                score += 1;
                r.set_flag(label_found, expected_at, value_found);
                None
            }
            Label::Contact => {
                r.contact = join_value(r.contact.take(), value_found, &mut r.findings, "contact");
                Some(Target::Contact)
            }
            Label::Date => {
                r.date = join_value(r.date.take(), value_found, &mut r.findings, "date");
                None
            }
            Label::Whole => {
                score += 1;
                r.whole_at.get_or_insert(expected_at);
                r.whole = join_value(r.whole.take(), value_found, &mut r.findings, "response");
                Some(Target::Whole)
            }
            Label::Question(qi) => {
                score += 1;
                if !seen_questions.insert(qi) {
                    r.findings.push(Finding::warning(
                        format!(
                            "question {} is labelled twice; this second answer is compiled after the first",
                            query.questions[qi].id
                        ),
                        Some(expected_at.clone()),
                    ));
                }
                r.slots.push(Slot {
                    question: qi,
                    at: expected_at,
                    value: value_found,
                });
                Some(Target::Slot(r.slots.len() - 1))
            }
            Label::Heading => None,
        };
        last_value = target.map(|t| {
            if below {
                (row, label_cell.col, t, true)
            } else {
                (row, vcol, t, false)
            }
        });
    }
    if score < 2 {
        return None;
    }
    // Text above the first anchor is the sender's title: said, not compiled.
    // Text below it belongs to no label: a warning.
    for c in pending {
        if c.row > first_anchor_row {
            stray(&mut r, sheet, c, "it sits under no label");
        } else if !template {
            r.hints.push(Hint {
                source: HintSource::Title,
                text: c.text.clone(),
                at: Some(loc(sheet, c.row, c.col)),
            });
            r.findings.push(Finding::info(
                format!(
                    "\"{}\" is above the answers and read as a title, so it is not compiled",
                    first_line(&c.text, 60)
                ),
                Some(loc(sheet, c.row, c.col)),
            ));
        }
    }
    if !sheet.name.is_empty() {
        r.hints.push(Hint {
            source: HintSource::SheetName,
            text: sheet.name.clone(),
            at: None,
        });
    }
    Some((score, vec![r]))
}

/// Joins a repeated value (a second "Response" row) to the first, with a word.
fn join_value(
    first: Option<Found>,
    second: Option<Found>,
    findings: &mut Vec<Finding>,
    what: &str,
) -> Option<Found> {
    match (first, second) {
        (Some(mut a), Some(b)) => {
            findings.push(Finding::warning(
                format!("a second {what} cell; its text is kept after the first"),
                Some(b.at.clone()),
            ));
            a.text.push('\n');
            a.text.push_str(&b.text);
            Some(a)
        }
        (a, b) => a.or(b),
    }
}

/// "1. Yes, with Georgia" in a label cell: the text after the id, when it is
/// not the question's own text.
pub(super) fn inline_answer(label: &str, qi: usize, query: &Query) -> Option<String> {
    let rest = id_and_text().captures(label)?.get(2)?.as_str().trim();
    (question_text(rest, query) != Some(qi)).then(|| rest.to_string())
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Target {
    Slot(usize),
    Whole,
    Contact,
}

impl Target {
    /// Whether the value already holds text.
    fn has_value(self, r: &RawResponse) -> bool {
        match self {
            Target::Slot(i) => r.slots[i].value.is_some(),
            Target::Whole => r.whole.is_some(),
            Target::Contact => r.contact.is_some(),
        }
    }

    /// Adds `text`, from the cell `at`, to the value (or makes it the value).
    pub(super) fn append(self, r: &mut RawResponse, text: &str, at: Location) {
        let value = match self {
            Target::Slot(i) => &mut r.slots[i].value,
            Target::Whole => &mut r.whole,
            Target::Contact => &mut r.contact,
        };
        match value {
            Some(v) => {
                v.text.push('\n');
                v.text.push_str(text);
            }
            None => {
                // Blank first row, text below it: the text is the value.
                *value = Some(Found {
                    text: text.to_string(),
                    at: at.clone(),
                    error: false,
                    formula: None,
                });
                if let Target::Slot(i) = self {
                    r.slots[i].at = at;
                }
            }
        }
    }
}
