//! Finding the answers in a workbook by their anchors: labels, question ids
//! and question texts, never fixed cell positions.
//!
//! Three layouts are recognised:
//! - **labelled**: labels in one column and values in the next ("Country" |
//!   "Belgium", "Wider Dissemination?" | "Yes", "1" | answer, or
//!   "1" | question text | answer, which is also the `ahq template` layout);
//! - **table**: a header row with a "Country" column and question, "Response"
//!   or dissemination columns; each following row is a country;
//! - **template**: the labelled layout in a workbook that `ahq template` wrote,
//!   known by its hidden metadata sheet.
//!
//! Cells that hold text but belong to no anchor are reported, never dropped.

use crate::dissemination::parse_flag;
use crate::query::Query;
use crate::reading::{Cell, Sheet, Workbook};
use crate::record::{Finding, Location};
use crate::text::{compact_key, first_line, key};
use regex::Regex;
use std::collections::HashSet;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LayoutKind {
    Template,
    Labelled,
    Table,
}

impl LayoutKind {
    pub fn describe(self) -> &'static str {
        match self {
            LayoutKind::Template => "the ahq template layout",
            LayoutKind::Labelled => "labels with values beside them",
            LayoutKind::Table => "a table with one row per country",
        }
    }
}

/// A value found in a cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub text: String,
    pub at: Location,
    /// The cell holds an error value (#N/A).
    pub error: bool,
}

/// A question's slot: where its answer is (or was expected), and what it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    pub question: usize,
    /// Where the answer is, or the cell where it was expected.
    pub at: Location,
    pub value: Option<Found>,
}

/// One country's response as located in a sheet, before normalising.
#[derive(Debug, Clone, PartialEq)]
pub struct RawResponse {
    pub layout: LayoutKind,
    /// The country cell, or where it was expected when blank.
    pub country: Option<Found>,
    pub country_at: Location,
    /// The wider-dissemination label cell, as written.
    pub flag_label: Option<Found>,
    /// `None`: no wider-dissemination anchor at all.
    pub flag_at: Option<Location>,
    pub flag: Option<Found>,
    pub slots: Vec<Slot>,
    /// A single "Response" cell answering every question.
    pub whole: Option<Found>,
    pub whole_at: Option<Location>,
    pub contact: Option<Found>,
    pub date: Option<Found>,
    /// Text under no label: kept, compiled as other information, and said.
    pub extra: Vec<Found>,
    /// Things to tell about this response (continuation rows, stray text).
    pub findings: Vec<Finding>,
}

/// What [`locate`] found in a workbook.
#[derive(Debug, Clone)]
pub struct Located {
    pub sheet: String,
    pub responses: Vec<RawResponse>,
    /// Findings about the file as a whole (which sheet, other sheets).
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Country,
    Flag,
    Contact,
    Date,
    Whole,
    Question(usize),
    /// Column or row headings that carry no value ("Question", "Your answer").
    Heading,
}

const COUNTRY: &[&str] = &[
    "country",
    "country name",
    "member state",
    "member state country",
    "ms",
    "emn ncp",
    "ncp",
    "state",
    "country ncp",
    "responding country",
    "reporting country",
];
const CONTACT: &[&str] = &[
    "contact",
    "contact person",
    "contact details",
    "name",
    "email",
    "e mail",
    "sender",
];
const DATE: &[&str] = &[
    "date",
    "date sent",
    "date of reply",
    "date of response",
    "sent on",
    "submitted",
    "submitted on",
    "submission date",
    "reply date",
    "response date",
];
const WHOLE: &[&str] = &[
    "response",
    "responses",
    "answer",
    "answers",
    "reply",
    "your response",
    "response to all questions",
    "responses to all questions",
];
const HEADING: &[&str] = &[
    "question",
    "questions",
    "question text",
    "your answer",
    "your answers",
    "no",
    "nr",
    "id",
    "number",
];

/// Headings of the column that holds the answers, in a question table.
const ANSWER_HEADING: &[&str] = &[
    "your answer",
    "your answers",
    "answer",
    "answers",
    "your response",
    "response",
];

fn id_and_text() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?is)^\s*(?:q(?:uestion)?\s*)?(\d+[a-z]?)\s*[.):]\s*(\S.*)$")
            .expect("valid regex")
    })
}

fn id_only() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(?:q|question|question no|question nr|question number)?\s*([0-9a-z]+)$")
            .expect("valid regex")
    })
}

/// The question a label names, by id ("1", "1.", "Q1", "Question 1"), by id
/// and text ("1. Do you ..."), or by text alone (ignoring case, punctuation, spacing).
fn question_label(text: &str, query: &Query) -> Option<usize> {
    let k = key(text);
    if let Some(c) = id_only().captures(&k) {
        let id = &c[1];
        if let Some(i) = query.question_keys.iter().position(|(k, _)| k == id) {
            return Some(i);
        }
    }
    if let Some(c) = id_and_text().captures(text) {
        let id = c[1].to_lowercase();
        if let Some(i) = query
            .questions
            .iter()
            .position(|q| q.id.to_lowercase() == id)
        {
            return Some(i);
        }
    }
    question_text(text, query)
}

/// Whether `text` is longer than any label can be: a known phrase or a
/// question's text, give or take spacing, punctuation and an id. Answers run
/// to thousands of characters and are not folded and compared for nothing.
fn too_long_for_a_label(text: &str, query: &Query) -> bool {
    // Counted without folding: letters and digits are what the folded keys
    // keep (an id prefix such as "Question 12" adds a few).
    let longest = query.longest_key_chars.max(40);
    text.len() > 4 * longest + 100
        || text.chars().filter(|c| c.is_alphanumeric()).count() > longest + 16
}

fn question_text(text: &str, query: &Query) -> Option<usize> {
    if too_long_for_a_label(text, query) {
        return None;
    }
    let ck = compact_key(text);
    if ck.is_empty() {
        return None;
    }
    query.question_keys.iter().position(|(_, qk)| {
        // A heading may be cut short by its writer; a long enough start is the question.
        *qk == ck || (ck.len() >= 24 && qk.starts_with(&ck))
    })
}

fn classify(text: &str, query: &Query) -> Option<Label> {
    // A label is a known phrase or a question's text (give or take spacing,
    // punctuation and an id): a cell far longer is an answer, and is not
    // folded and compared (answers run to thousands of characters).
    if too_long_for_a_label(text, query) {
        return None;
    }
    let k = key(text);
    if k.is_empty() {
        return None;
    }
    if COUNTRY.contains(&k.as_str()) {
        return Some(Label::Country);
    }
    // A label, not a sentence: instructions that mention dissemination are not the flag.
    if k.split(' ').any(|w| w == "dissemination") && k.split(' ').count() <= 6 {
        return Some(Label::Flag);
    }
    if HEADING.contains(&k.as_str()) {
        return Some(Label::Heading);
    }
    if WHOLE.contains(&k.as_str()) {
        return Some(Label::Whole);
    }
    if CONTACT.contains(&k.as_str()) || k.starts_with("contact ") {
        return Some(Label::Contact);
    }
    if DATE.contains(&k.as_str()) {
        return Some(Label::Date);
    }
    question_label(text, query).map(Label::Question)
}

fn loc(sheet: &Sheet, row: u32, col: u32) -> Location {
    Location::new(
        (!sheet.name.is_empty()).then_some(sheet.name.as_str()),
        row,
        col,
    )
}

fn found(sheet: &Sheet, cell: &Cell) -> Found {
    Found {
        text: cell.text.clone(),
        at: loc(sheet, cell.row, cell.col),
        error: cell.error,
    }
}

/// Text that belongs to no label: kept whole as other information of the
/// response (never dropped), with a warning that says where it is.
fn stray(r: &mut RawResponse, sheet: &Sheet, cell: &Cell, why: &str) {
    r.findings.push(Finding::warning(
        format!(
            "this cell holds \"{}\" but {why}, so it is compiled as other information, not as an \
             answer: move it into an answer cell if it answers a question, or delete it",
            first_line(&cell.text, 60)
        ),
        Some(loc(sheet, cell.row, cell.col)),
    ));
    r.extra.push(found(sheet, cell));
}

/// Locates the responses in a workbook, choosing the sheet that holds the anchors.
pub fn locate(wb: &Workbook, query: &Query) -> Result<Located, Finding> {
    let template = wb.ahq_meta.is_some();
    let mut scans: Vec<(usize, usize, Vec<RawResponse>)> = Vec::new(); // (score, sheet index, responses)
    for (i, sheet) in wb.sheets.iter().enumerate() {
        if let Some((score, responses)) = scan_sheet(sheet, query, template) {
            scans.push((score, i, responses));
        }
    }
    // Best score first; on a tie a visible sheet, then the first.
    scans.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(wb.sheets[b.1].visible.cmp(&wb.sheets[a.1].visible))
            .then(a.1.cmp(&b.1))
    });
    let mut it = scans.into_iter();
    let Some((_, chosen, responses)) = it.next() else {
        return Err(Finding::error(
            "no sheet has a \"Country\" label with the country beside it (or a table with a \
             \"Country\" column), so the answers cannot be found: fill in the template from \
             `ahq template`, or label the cells \"Country\", \"Wider Dissemination?\" and each \
             question's number",
            None,
        ));
    };
    let sheet = &wb.sheets[chosen];
    if responses.is_empty() {
        return Err(Finding::error(
            format!(
                "sheet \"{}\" has a \"Country\" column heading but no country rows under it: \
                 put each country's response in a row under the headings",
                sheet.name
            ),
            None,
        ));
    }
    let mut findings = Vec::new();
    if wb.sheets.len() > 1 {
        findings.push(Finding::info(
            format!("answers read from sheet \"{}\"", sheet.name),
            None,
        ));
    }
    if !sheet.visible {
        findings.push(Finding::warning(
            format!(
                "the answers are on the hidden sheet \"{}\": check it is the sheet you meant to send",
                sheet.name
            ),
            None,
        ));
    }
    let mut looked: Vec<usize> = vec![chosen];
    for (_, other, _) in it {
        looked.push(other);
        findings.push(Finding::warning(
            format!(
                "sheet \"{}\" also looks like a response, but only \"{}\" was read: delete the \
                 sheet that is not your answer",
                wb.sheets[other].name, sheet.name
            ),
            None,
        ));
    }
    for (_, other) in wb
        .sheets
        .iter()
        .enumerate()
        .filter(|(i, _)| !looked.contains(i))
    {
        let Some(first) = other.cells().first() else {
            continue;
        };
        let message = format!(
            "{} \"{}\" is not read: it holds text (\"{}\" in {}) but no answers' labels; \
             if it holds part of your answer, move it to sheet \"{}\"",
            if other.visible {
                "sheet"
            } else {
                "hidden sheet"
            },
            other.name,
            first_line(&first.text, 50),
            loc(other, first.row, first.col).cell(),
            sheet.name
        );
        findings.push(if other.visible {
            Finding::warning(message, None)
        } else {
            Finding::info(message, None)
        });
    }
    Ok(Located {
        sheet: sheet.name.clone(),
        responses,
        findings,
    })
}

/// Scans one sheet; `None` when it holds no country anchor with anything else.
fn scan_sheet(sheet: &Sheet, query: &Query, template: bool) -> Option<(usize, Vec<RawResponse>)> {
    let mut best: Option<(usize, Vec<RawResponse>)> = None;
    for cell in sheet.cells() {
        if classify(&cell.text, query) != Some(Label::Country) {
            continue;
        }
        let header: Vec<Label> = sheet
            .row(cell.row)
            .iter()
            .filter(|c| c.col > cell.col)
            .filter_map(|c| classify(&c.text, query))
            .filter(|l| matches!(l, Label::Flag | Label::Question(_) | Label::Whole))
            .collect();
        let candidate = if header.is_empty() {
            labelled(sheet, query, cell, template)
        } else {
            Some((header.len() + 1, table(sheet, query, cell)))
        };
        if let Some((score, responses)) = candidate
            && best.as_ref().is_none_or(|(s, _)| score > *s)
        {
            best = Some((score, responses));
        }
    }
    best
}

/// The labelled layout, anchored at the "Country" label cell.
fn labelled(
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
    let mut last_value: Option<(u32, u32, Target)> = None;
    let mut pending: Vec<&Cell> = Vec::new();
    let mut answer_col: Option<u32> = None;
    // Cells already read as a value from another row (a flag under its label).
    let mut consumed: HashSet<(u32, u32)> = HashSet::new();

    for row in sheet.rows() {
        let all = sheet.row(row);
        let cells: Vec<&Cell> = all
            .iter()
            .filter(|c| !consumed.contains(&(c.row, c.col)))
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
        let Some((label_cell, label)) = label_cell.zip(label) else {
            // No label: a continuation of the value above, or stray text.
            let continues = last_value
                .as_ref()
                .filter(|(lr, vc, _)| *lr + 1 == row && cells.iter().all(|c| c.col == *vc));
            if let Some((_, vc, target)) = continues.cloned() {
                let cell = cells[0];
                r.findings.push(Finding::info(
                    "this cell continues the answer in the row above, and is joined to it",
                    Some(loc(sheet, cell.row, cell.col)),
                ));
                target.append(&mut r, &cell.text);
                last_value = Some((row, vc, target));
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
                if ANSWER_HEADING.contains(&k.as_str()) {
                    answer_col = Some(c.col);
                } else if !HEADING.contains(&k.as_str()) {
                    stray(&mut r, sheet, c, "it is in a row of column headings");
                }
            }
            last_value = None;
            continue;
        }
        first_anchor_row = first_anchor_row.min(row);
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
        for extra in rest {
            stray(
                &mut r,
                sheet,
                extra,
                "it is beside a value that was already read",
            );
        }
        let mut value_found = value.map(|c| found(sheet, c));
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
            let below = sheet.get(row + 1, label_cell.col).filter(|c| {
                sheet.row(row + 1).len() == 1 && matches!(parse_flag(&c.text), Ok(Some(_)))
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
        let label_found = found(sheet, label_cell);
        let vcol = value_found.as_ref().map_or(value_col, |v| v.at.col);
        let target = match label {
            Label::Country => {
                if r.country.is_some() {
                    r.findings.push(Finding::warning(
                        "a second \"Country\" label: only the first was read; delete the one that is wrong",
                        Some(loc(sheet, row, label_cell.col)),
                    ));
                } else {
                    score += 1;
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
        last_value = target.map(|t| (row, vcol, t));
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
            r.findings.push(Finding::info(
                format!(
                    "\"{}\" is above the answers and read as a title, so it is not compiled",
                    first_line(&c.text, 60)
                ),
                Some(loc(sheet, c.row, c.col)),
            ));
        }
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
fn inline_answer(label: &str, qi: usize, query: &Query) -> Option<String> {
    let rest = id_and_text().captures(label)?.get(2)?.as_str().trim();
    (question_text(rest, query) != Some(qi)).then(|| rest.to_string())
}

impl RawResponse {
    fn new(layout: LayoutKind, country_at: Location) -> RawResponse {
        RawResponse {
            layout,
            country: None,
            country_at,
            flag_label: None,
            flag_at: None,
            flag: None,
            slots: Vec::new(),
            whole: None,
            whole_at: None,
            contact: None,
            date: None,
            extra: Vec::new(),
            findings: Vec::new(),
        }
    }

    /// Keeps the first flag that says something; two that disagree are an error.
    fn set_flag(&mut self, label: Found, at: Location, value: Option<Found>) {
        let said = |v: &Option<Found>| v.as_ref().is_some_and(|f| !f.text.trim().is_empty());
        if self.flag_at.is_none() || (!said(&self.flag) && said(&value)) {
            self.flag_label = Some(label);
            self.flag_at = Some(at);
            self.flag = value;
            return;
        }
        if said(&value) && said(&self.flag) {
            let (a, b) = (
                self.flag.as_ref().expect("said"),
                value.as_ref().expect("said"),
            );
            if parse_flag(&a.text) != parse_flag(&b.text) {
                self.findings.push(Finding::error(
                    format!(
                        "two wider-dissemination cells disagree: {} says \"{}\" and this one says \"{}\": keep one",
                        a.at,
                        a.text.trim(),
                        b.text.trim()
                    ),
                    Some(b.at.clone()),
                ));
            }
        }
    }
}

/// Where a continuation row's text goes.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Target {
    Slot(usize),
    Whole,
    Contact,
}

impl Target {
    fn append(self, r: &mut RawResponse, text: &str) {
        let at = match self {
            Target::Slot(i) => r.slots[i].at.clone(),
            Target::Whole => r.whole_at.clone().unwrap_or_else(|| r.country_at.clone()),
            Target::Contact => r.country_at.clone(),
        };
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
                    at,
                    error: false,
                });
            }
        }
    }
}

/// The table layout, anchored at the "Country" header cell.
fn table(sheet: &Sheet, query: &Query, anchor: &Cell) -> Vec<RawResponse> {
    let hr = anchor.row;
    let mut columns: Vec<(u32, Label)> = Vec::new();
    let mut notes: Vec<Finding> = Vec::new();
    for c in sheet.row(hr).iter().filter(|c| c.col != anchor.col) {
        match classify(&c.text, query) {
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
        let cells = sheet.row(row);
        let country = sheet.get(row, anchor.col);
        let is_new = country.is_some() || out.is_empty();
        if is_new {
            let mut r = RawResponse::new(LayoutKind::Table, loc(sheet, row, anchor.col));
            r.country = country.map(|c| found(sheet, c));
            r.findings = header_notes.take().unwrap_or_default();
            for (col, label) in &columns {
                let at = loc(sheet, row, *col);
                let value = sheet.get(row, *col).map(|c| found(sheet, c));
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
            for c in cells {
                if c.col != anchor.col && !columns.iter().any(|(col, _)| *col == c.col) {
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
                        t.append(r, &c.text);
                    }
                    None => stray(r, sheet, c, "its row has no country"),
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reading::{Format, Workbook};

    fn sheet(name: &str, rows: &[&[&str]]) -> Sheet {
        let mut cells = Vec::new();
        for (r, row) in rows.iter().enumerate() {
            for (c, t) in row.iter().enumerate() {
                cells.push(Cell {
                    row: r as u32,
                    col: c as u32,
                    text: t.to_string(),
                    error: false,
                });
            }
        }
        Sheet::new(name, true, cells)
    }

    fn wb(sheets: Vec<Sheet>) -> Workbook {
        Workbook {
            format: Format::Xlsx,
            sheets,
            notes: vec![],
            modified: None,
            ahq_meta: None,
        }
    }

    #[test]
    fn labels_match_ids_texts_and_loose_spellings() {
        let q = crate::query::test_query();
        for s in ["1", "1.", "Q1", "q 1", "Question 1", "Question 1:", "1)"] {
            assert_eq!(classify(s, &q), Some(Label::Question(0)), "{s}");
        }
        assert_eq!(
            classify("2. If yes, which third countries are / were involved", &q),
            Some(Label::Question(1))
        );
        assert_eq!(
            classify("IF YES WHICH THIRD COUNTRIES ARE/WERE INVOLVED", &q),
            Some(Label::Question(1))
        );
        assert_eq!(classify("Wider Dissemination?", &q), Some(Label::Flag));
        assert_eq!(classify("Country:", &q), Some(Label::Country));
        assert_eq!(classify("3", &q), None);
        assert_eq!(classify("Belgium", &q), None);
    }

    #[test]
    fn labelled_layout_with_title_rows_and_offset_columns() {
        let s = sheet(
            "Reply",
            &[
                &["", "EMN Ad-Hoc Query"],
                &[],
                &["", "Country", "Belgium"],
                &["", "Wider dissemination", "Yes"],
                &["", "Q1", "Yes, with Georgia"],
                &["", "2", "Georgia"],
                &["", "", "and Moldova"],
            ],
        );
        let l = locate(&wb(vec![s]), &crate::query::test_query()).unwrap();
        let r = &l.responses[0];
        assert_eq!(r.layout, LayoutKind::Labelled);
        assert_eq!(r.country.as_ref().unwrap().text, "Belgium");
        assert_eq!(r.country.as_ref().unwrap().at.to_string(), "Reply!C3");
        assert_eq!(r.flag.as_ref().unwrap().text, "Yes");
        assert_eq!(r.slots.len(), 2);
        assert_eq!(
            r.slots[1].value.as_ref().unwrap().text,
            "Georgia\nand Moldova"
        );
        assert!(r.findings.iter().any(|f| f.message.contains("continues")));
    }

    #[test]
    fn id_text_answer_rows_take_the_cell_after_the_text() {
        let q = crate::query::test_query();
        let s = sheet(
            "Response",
            &[
                &["Country", "Latvia"],
                &["Wider dissemination?", "No"],
                &["No.", "Question", "Your answer"],
                &["1", &q.questions[0].text, "No"],
                &["2", &q.questions[1].text],
            ],
        );
        let l = locate(&wb(vec![s]), &q).unwrap();
        let r = &l.responses[0];
        assert_eq!(r.slots[0].value.as_ref().unwrap().text, "No");
        assert_eq!(r.slots[0].at.to_string(), "Response!C4");
        assert_eq!(r.slots[1].value, None);
        assert_eq!(
            r.slots[1].at.to_string(),
            "Response!C5",
            "an empty answer points at its cell"
        );
        assert!(r.findings.is_empty(), "{:?}", r.findings);
    }

    #[test]
    fn table_layout_holds_several_countries_and_continuations() {
        let s = sheet(
            "Compilation",
            &[
                &["Ad-Hoc Query on Migration Partnerships"],
                &["Country", "Wider Dissemination", "Response", "Comments"],
                &["Belgium", "Yes", "1.Yes 2.Georgia"],
                &["", "", "continued"],
                &["Finland", "Yes", "Finland does not", "internal note"],
            ],
        );
        let l = locate(&wb(vec![s]), &crate::query::test_query()).unwrap();
        assert_eq!(l.responses.len(), 2);
        assert_eq!(
            l.responses[0].whole.as_ref().unwrap().text,
            "1.Yes 2.Georgia\ncontinued"
        );
        assert!(
            l.responses[0]
                .findings
                .iter()
                .any(|f| f.message.contains("Comments"))
        );
        let f = &l.responses[1];
        assert_eq!(f.country.as_ref().unwrap().text, "Finland");
        assert!(
            f.findings
                .iter()
                .any(|x| x.message.contains("internal note")
                    && x.location.as_ref().unwrap().to_string() == "Compilation!D5")
        );
    }

    #[test]
    fn the_sheet_with_anchors_is_chosen_and_others_are_named() {
        let notes = sheet("Notes", &[&["Some notes"]]);
        let a = sheet("Answer", &[&["Country", "BE"], &["1", "Yes"]]);
        let b = sheet("Copy", &[&["Country", "BE"], &["1", "Yes"]]);
        let l = locate(&wb(vec![notes, a, b]), &crate::query::test_query()).unwrap();
        assert_eq!(l.sheet, "Answer");
        assert!(
            l.findings
                .iter()
                .any(|f| f.message.contains("\"Copy\" also looks like a response"))
        );
        let none = locate(
            &wb(vec![sheet("S", &[&["hello"]])]),
            &crate::query::test_query(),
        )
        .unwrap_err();
        assert!(none.message.contains("Country"));
    }

    #[test]
    fn instructions_mentioning_dissemination_are_not_the_flag_label() {
        let q = crate::query::test_query();
        let long = "Wider dissemination is Yes by default: change it to No if your response must not be shared";
        assert_eq!(classify(long, &q), None);
        assert_eq!(
            classify("Wider dissemination (Yes/No)", &q),
            Some(Label::Flag)
        );
    }

    #[test]
    fn reworded_question_text_is_not_taken_as_the_answer_under_an_answer_heading() {
        let q = crate::query::test_query();
        let s = sheet(
            "Response",
            &[
                &["Country", "Latvia"],
                &["No.", "Question", "Your answer"],
                &["1", "An older wording of question one", "Yes"],
                &["2", "Another old wording", ""],
            ],
        );
        let l = locate(&wb(vec![s]), &q).unwrap();
        let r = &l.responses[0];
        assert_eq!(r.slots[0].value.as_ref().unwrap().text, "Yes");
        assert_eq!(r.slots[1].value, None);
        assert_eq!(r.slots[1].at.to_string(), "Response!C4");
        let said: Vec<String> = r
            .findings
            .iter()
            .map(|f| f.location.as_ref().unwrap().to_string())
            .collect();
        assert_eq!(
            said,
            ["Response!B3", "Response!B4"],
            "the other wordings are named"
        );
    }

    #[test]
    fn an_inline_answer_starting_with_a_multibyte_letter_does_not_panic() {
        // Regression: the label was sliced one byte before the answer's first character.
        let q = crate::query::test_query();
        assert_eq!(inline_answer("1. Ça va", 0, &q).as_deref(), Some("Ça va"));
        assert_eq!(inline_answer("1.€ 5", 0, &q).as_deref(), Some("€ 5"));
        assert_eq!(
            inline_answer(&format!("1. {}", q.questions[0].text), 0, &q),
            None
        );
    }

    #[test]
    fn stray_text_below_the_anchors_is_reported() {
        let s = sheet(
            "S",
            &[
                &["Country", "BE"],
                &["1", "Yes"],
                &[],
                &["", "", "", "forgotten answer"],
            ],
        );
        let l = locate(&wb(vec![s]), &crate::query::test_query()).unwrap();
        assert!(
            l.responses[0]
                .findings
                .iter()
                .any(|f| f.message.contains("forgotten answer"))
        );
    }
}
