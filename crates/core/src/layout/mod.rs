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

mod beside;
mod checkbox;
mod classify;
mod enumerated;
mod inline;
mod matrix;
mod table;

use crate::dissemination::parse_flag;
use crate::query::Query;
use crate::reading::{Cell, Sheet, Workbook};
use crate::record::{Finding, Location};
use crate::text::first_line;
use classify::{Label, classify};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LayoutKind {
    Template,
    Labelled,
    Table,
    Matrix,
}

impl LayoutKind {
    pub fn describe(self) -> &'static str {
        match self {
            LayoutKind::Template => "the ahq template layout",
            LayoutKind::Labelled => "labels with values beside them",
            LayoutKind::Table => "a table with one row per country",
            LayoutKind::Matrix => "a table with one column per country",
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
    /// A formula saved without its result: what the cell shows is unknown.
    pub formula: Option<String>,
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
    /// Whether the sheet has a "Country" label (or column) for this response.
    pub country_label: bool,
    /// The country cell, or where it was expected when blank.
    pub country: Option<Found>,
    pub country_at: Location,
    /// The wider-dissemination label cell, as written.
    pub flag_label: Option<Found>,
    /// `None`: no wider-dissemination anchor at all.
    pub flag_at: Option<Location>,
    pub flag: Option<Found>,
    /// Every wider-dissemination label this response's reading took.
    pub flag_labels_read: Vec<Location>,
    /// The flag could not be read (check boxes both or neither marked):
    /// the error, which keeps the response from wider dissemination.
    pub flag_error: Option<Finding>,
    pub slots: Vec<Slot>,
    /// A single "Response" cell answering every question.
    pub whole: Option<Found>,
    pub whole_at: Option<Location>,
    pub contact: Option<Found>,
    pub date: Option<Found>,
    /// Text under no label: kept, compiled as other information, and said.
    pub extra: Vec<Found>,
    /// Other places that may name the country, in the order they count:
    /// a matrix header, the sheet's name, a title line.
    pub hints: Vec<Hint>,
    /// Things to tell about this response (continuation rows, stray text).
    pub findings: Vec<Finding>,
}

/// Where a hint of the country comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HintSource {
    /// The header of a country's column in a matrix.
    MatrixHeader,
    /// The name of the sheet the response is on.
    SheetName,
    /// A line above the answers ("Response of the Belgian EMN NCP").
    Title,
}

impl HintSource {
    pub fn describe(self) -> &'static str {
        match self {
            HintSource::MatrixHeader => "the column's heading",
            HintSource::SheetName => "the sheet's name",
            HintSource::Title => "the title",
        }
    }
}

/// A text that may name the response's country.
#[derive(Debug, Clone, PartialEq)]
pub struct Hint {
    pub source: HintSource,
    pub text: String,
    pub at: Option<Location>,
}

/// What [`locate`] found in a workbook.
#[derive(Debug, Clone)]
pub struct Located {
    pub sheet: String,
    pub responses: Vec<RawResponse>,
    /// Findings about the file as a whole (which sheet, other sheets).
    pub findings: Vec<Finding>,
}

pub(super) fn loc(sheet: &Sheet, row: u32, col: u32) -> Location {
    Location::at(sheet, row, col)
}

/// What a cell holds, at the place a person finds it: a value typed in its
/// label's cell, at that cell. (A merged range's copy stays at its own
/// place: the range's first cell is searched for markings as a title is.)
pub(super) fn found(sheet: &Sheet, cell: &Cell) -> Found {
    let (row, col) = cell.split_from.unwrap_or((cell.row, cell.col));
    Found {
        text: cell.text.clone(),
        at: loc(sheet, row, col),
        error: cell.error,
        formula: cell.formula.clone(),
    }
}

/// Text that belongs to no label: kept whole as other information of the
/// response (never dropped), with a warning that says where it is.
pub(super) fn stray(r: &mut RawResponse, sheet: &Sheet, cell: &Cell, why: &str) {
    // A merged range's copy: its first cell is read, or said, already.
    if cell.merged_from.is_some() {
        return;
    }
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

/// Hidden cells named one by one, at most; the rest are counted.
const MAX_HIDDEN_SAID: usize = 20;

/// What hidden rows and columns hold is never compiled, and never passed
/// over in silence: an older draft, or an answer someone hid by mistake.
fn hidden_findings(sheet: &Sheet) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut hidden = sheet
        .cells()
        .iter()
        .filter(|c| c.hidden && !c.text.trim().is_empty());
    for c in hidden.by_ref().take(MAX_HIDDEN_SAID) {
        findings.push(Finding::warning(
            format!(
                "this cell is in a hidden row or column and holds \"{}\": it is not compiled; \
                 unhide it if it is part of your answer, or delete it",
                first_line(&c.text, 60)
            ),
            Some(loc(sheet, c.row, c.col)),
        ));
    }
    let more = hidden.count();
    if more > 0 {
        findings.push(Finding::warning(
            format!("{more} more cells in hidden rows or columns hold text; none is compiled"),
            None,
        ));
    }
    findings
}

/// Locates the responses in a workbook, choosing the sheet that holds the
/// anchors; then makes sure no wider-dissemination cell was passed over.
pub fn locate(wb: &Workbook, query: &Query) -> Result<Located, Finding> {
    let kept = without_label_copies(wb, query);
    let wb = kept.as_ref().unwrap_or(wb);
    let split = inline::split_labels(wb, query);
    let wb = split.as_ref().unwrap_or(wb);
    let numbered = enumerated::read_runs(wb, query);
    let wb = numbered.as_ref().unwrap_or(wb);
    let mut located = find_responses(wb, query)?;
    check_every_flag_read(wb, query, &mut located.responses);
    Ok(located)
}

/// `wb` with the cells of each sheet for which `found` holds something
/// changed by `change`; `None` when it holds nothing for any sheet (the
/// workbook is then read as it is, without a copy).
pub(super) fn rewritten<T>(
    wb: &Workbook,
    found: Vec<Vec<T>>,
    change: impl Fn(&mut Vec<Cell>, Vec<T>),
) -> Option<Workbook> {
    if found.iter().all(Vec::is_empty) {
        return None;
    }
    let mut out = wb.clone();
    out.sheets = wb
        .sheets
        .iter()
        .zip(found)
        .map(|(s, found)| {
            if found.is_empty() {
                return s.clone();
            }
            let mut cells = s.cells().to_vec();
            change(&mut cells, found);
            s.with_cells(cells)
        })
        .collect();
    Some(out)
}

/// A merged value covers its range (a "No" over two countries' flag cells
/// is both flags), but a merged label is one label at its first cell: its
/// copies ("Country" over A3:B3) are not values beside it. `None` when no
/// sheet has a copy of a label.
fn without_label_copies(wb: &Workbook, query: &Query) -> Option<Workbook> {
    let is_label_copy = |sheet: &Sheet, c: &Cell| {
        c.merged_from
            .and_then(|(r, col)| sheet.get(r, col))
            // "No" is a heading ("No." for number) and a flag: a flag word is a value.
            .is_some_and(|origin| {
                classify(&origin.text, query).is_some()
                    && !matches!(parse_flag(&origin.text), Ok(Some(_)))
            })
    };
    if !wb
        .sheets
        .iter()
        .any(|s| s.cells().iter().any(|c| is_label_copy(s, c)))
    {
        return None;
    }
    let mut out = wb.clone();
    out.sheets = wb
        .sheets
        .iter()
        .map(|s| {
            let cells = s
                .cells()
                .iter()
                .filter(|c| !is_label_copy(s, c))
                .cloned()
                .collect();
            s.with_cells(cells)
        })
        .collect();
    Some(out)
}

/// Fails closed on a flag the reading did not take: a wider-dissemination
/// label anywhere else in the file (another sheet, a hidden row, a cover
/// sheet), or a value beside or under the label that is hidden. What it
/// says is not known to have been read, so no response of the file is
/// published until a person decides.
fn check_every_flag_read(wb: &Workbook, query: &Query, responses: &mut [RawResponse]) {
    let used: Vec<Location> = responses
        .iter()
        .flat_map(|r| r.flag_labels_read.iter().cloned())
        .collect();
    let mut problems: Vec<Finding> = Vec::new();
    for sheet in &wb.sheets {
        for c in sheet.cells() {
            // Short cells only: folding every cell of every sheet is the cost.
            if c.text.len() > 200 || classify(&c.text, query) != Some(Label::Flag) {
                continue;
            }
            let at = loc(sheet, c.row, c.col);
            // Another flag counts when it may say No: a No or check boxes
            // beside or under it, or in its label ("Wider dissemination:
            // No"). An instruction ("Please indicate Yes or No") does not.
            let says_no = |t: &str| {
                parse_flag(t) == Ok(Some(crate::record::Dissemination::No))
                    || crate::dissemination::has_boxes(t)
            };
            let value_says_no = [sheet.get(c.row, c.col + 1), sheet.get(c.row + 1, c.col)]
                .into_iter()
                .flatten()
                .any(|v| says_no(&v.text));
            let k = crate::text::key(&c.text);
            let words: Vec<&str> = k.split(' ').collect();
            let label_says_no = words
                .iter()
                .position(|w| crate::vocabulary::labels().flag_words.contains(*w))
                .is_some_and(|i| says_no(&words[i + 1..].join(" ")));
            if !used.contains(&at) && (value_says_no || label_says_no) {
                problems.push(Finding::error(
                    format!(
                        "{at}{} is another wider-dissemination cell (\"{}\"), not read with the \
                         answers: keep one flag, beside the answers, and delete the other",
                        if c.hidden || !sheet.visible {
                            ", hidden,"
                        } else {
                            ""
                        },
                        first_line(&c.text, 60)
                    ),
                    Some(at),
                ));
                continue;
            }
            if !used.contains(&at) {
                continue;
            }
            // The label was read: its value may not be hidden from view (the
            // cell beside it; or, with nothing beside it, a flag word under it).
            let beside = sheet.get(c.row, c.col + 1);
            let under = sheet
                .get(c.row + 1, c.col)
                .filter(|u| beside.is_none() && matches!(parse_flag(&u.text), Ok(Some(_))));
            if let Some(h) = [beside, under].into_iter().flatten().find(|h| h.hidden) {
                let hat = loc(sheet, h.row, h.col);
                problems.push(Finding::error(
                    format!(
                        "the wider-dissemination cell {hat} is in a hidden row or column \
                         (\"{}\"): unhide it, so that the flag read is the one a person sees",
                        first_line(&h.text, 60)
                    ),
                    Some(hat),
                ));
            }
        }
    }
    // A response read as No is withheld whatever the other cell says.
    for r in responses.iter_mut() {
        let no = r
            .flag
            .as_ref()
            .is_some_and(|f| parse_flag(&f.text) == Ok(Some(crate::record::Dissemination::No)));
        if r.flag_error.is_none()
            && !no
            && let Some(p) = problems.first()
        {
            r.flag_error = Some(p.clone());
            r.findings.extend(problems.iter().skip(1).cloned());
        }
    }
}

fn find_responses(wb: &Workbook, query: &Query) -> Result<Located, Finding> {
    let template = wb.ahq_meta.is_some();
    let mut scans: Vec<(usize, usize, Vec<RawResponse>)> = Vec::new(); // (score, sheet index, responses)
    for (i, sheet) in wb.sheets.iter().enumerate() {
        if let Some((score, responses)) = scan_sheet(sheet, query, template) {
            scans.push((score, i, responses));
        }
    }
    // Visible sheets first (a hidden one is never the answer), then the
    // reading that explains most (answers given: a blank copy of the sheet
    // never beats the filled one), then the best score, then the first.
    scans.sort_by(|a, b| {
        (wb.sheets[b.1].visible.cmp(&wb.sheets[a.1].visible))
            .then(filled(&b.2).cmp(&filled(&a.2)))
            .then(b.0.cmp(&a.0))
            .then(a.1.cmp(&b.1))
    });
    if let Some(located) = one_sheet_per_country(wb, query, &scans) {
        return Ok(located);
    }
    let mut it = scans.into_iter();
    let Some((_, chosen, mut responses)) = it.next() else {
        return Err(Finding::error(
            "no sheet has a \"Country\" label with the country beside it (or a table with a \
             \"Country\" column), so the answers cannot be found: fill in the query's \
             template, or label the cells \"Country\", \"Wider Dissemination?\" and each \
             question's number",
            None,
        ));
    };
    let sheet = &wb.sheets[chosen];
    if responses.is_empty() {
        return Err(Finding::error(
            format!(
                "{} has a \"Country\" column heading but no country rows under it: \
                 put each country's response in a row under the headings",
                sheet.what()
            ),
            None,
        ));
    }
    let mut findings = Vec::new();
    if wb.sheets.len() > 1 {
        findings.push(Finding::info(
            format!("answers read from {}", sheet.what()),
            None,
        ));
    }
    if !sheet.visible {
        return Err(Finding::error(
            format!(
                "the only answers are on the hidden sheet \"{}\", and a hidden sheet is never \
                 compiled: unhide it if it is your answer (or move the answers to a visible \
                 sheet), then validate again",
                sheet.name
            ),
            None,
        ));
    }
    findings.extend(hidden_findings(sheet));
    let mut looked: Vec<usize> = vec![chosen];
    for (_, other, theirs) in it {
        looked.push(other);
        // Two filled readings that disagree: which one is the response is
        // not for ahq to guess.
        if wb.sheets[other].visible
            && let Some((qi, ours, other_text)) = disagreement(&responses, &theirs)
        {
            findings.push(Finding::error(
                format!(
                    "{} and {} both hold answers, and they differ (question {}: \
                     \"{}\" and \"{}\"), so which one is the response cannot be told: delete \
                     the one that is not your answer",
                    sheet.what(),
                    wb.sheets[other].what(),
                    query.questions[qi].id,
                    first_line(&ours, 40),
                    first_line(&other_text, 40)
                ),
                None,
            ));
            continue;
        }
        if filled(&theirs) == 0
            && theirs
                .iter()
                .all(|r| r.extra.is_empty() && r.contact.is_none() && r.date.is_none())
        {
            findings.push(Finding::info(
                format!(
                    "{} holds the form's labels with nothing filled in (a blank copy): \
                     not read",
                    wb.sheets[other].what()
                ),
                None,
            ));
            continue;
        }
        findings.push(Finding::warning(
            format!(
                "{} also looks like a response, but only {} was read: delete the \
                 one that is not your answer",
                wb.sheets[other].what(),
                sheet.what()
            ),
            None,
        ));
    }
    // One sheet per question: a sheet named "Q2" (or "2", or the question's
    // text) holds that question's answer.
    if let [r] = responses.as_mut_slice() {
        for (i, other) in wb.sheets.iter().enumerate() {
            if looked.contains(&i) || !other.visible {
                continue;
            }
            if let Some(Label::Question(qi)) = classify(&other.name, query) {
                looked.push(i);
                findings.extend(hidden_findings(other));
                question_sheet(r, other, qi, query);
            }
        }
    }
    findings.extend(unread(wb, &looked, sheet));
    Ok(Located {
        sheet: sheet.name.clone(),
        responses,
        findings,
    })
}

/// What a reading explains: the answers, countries and flags it found
/// filled in, per response (in hundredths), so that a sheet of many
/// countries' answers does not outweigh the one response by its size.
fn filled(responses: &[RawResponse]) -> usize {
    let said = |f: &Option<Found>| f.as_ref().is_some_and(|f| !f.text.trim().is_empty());
    let total: usize = responses
        .iter()
        .map(|r| {
            r.slots.iter().filter(|s| said(&s.value)).count()
                + usize::from(said(&r.country))
                + usize::from(said(&r.flag))
                + usize::from(said(&r.whole))
        })
        .sum();
    total * 100 / responses.len().max(1)
}

/// The first question two single-response readings answer differently,
/// both with text: (question, one answer, the other).
fn disagreement(ours: &[RawResponse], theirs: &[RawResponse]) -> Option<(usize, String, String)> {
    let ([a], [b]) = (ours, theirs) else {
        return None;
    };
    let text = |r: &RawResponse, qi: usize| {
        r.slots
            .iter()
            .find(|s| s.question == qi)
            .and_then(|s| s.value.as_ref())
            .map(|f| f.text.trim().to_string())
            .filter(|t| !t.is_empty())
    };
    a.slots.iter().find_map(|s| {
        let (x, y) = (text(a, s.question)?, text(b, s.question)?);
        (crate::text::key(&x) != crate::text::key(&y)).then_some((s.question, x, y))
    })
}

/// A sheet that answers one question: its visible text, in reading order,
/// less the question's own text, is the answer (after any answer the main
/// sheet gave it, with a warning).
fn question_sheet(r: &mut RawResponse, sheet: &Sheet, qi: usize, query: &Query) {
    let cells: Vec<&Cell> = sheet
        .cells()
        .iter()
        .filter(|c| !c.hidden && classify::question_text(&c.text, query) != Some(qi))
        .collect();
    let Some(first) = cells.first() else { return };
    let at = loc(sheet, first.row, first.col);
    let text = cells
        .iter()
        .map(|c| c.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let id = &query.questions[qi].id;
    r.findings.push(Finding::info(
        format!("the answer to question {id} is read from {}", sheet.what()),
        Some(at.clone()),
    ));
    match r
        .slots
        .iter_mut()
        .find(|s| s.question == qi && s.value.is_some())
    {
        Some(slot) => {
            r.findings.push(Finding::warning(
                format!(
                    "question {id} is answered on the main sheet and on {}: both are \
                     compiled, the main sheet's first; delete the one that is not your answer",
                    sheet.what()
                ),
                Some(at),
            ));
            if let Some(v) = slot.value.as_mut() {
                v.text.push('\n');
                v.text.push_str(&text);
            }
        }
        None => {
            r.slots.retain(|s| s.question != qi);
            r.slots.push(Slot {
                question: qi,
                at: at.clone(),
                value: Some(Found {
                    text,
                    at,
                    error: first.error,
                    formula: None,
                }),
            });
        }
    }
}

/// The sheets not in `looked` that hold text: each named, with where its
/// text starts (a warning; an info for a hidden sheet).
fn unread(wb: &Workbook, looked: &[usize], read_from: &Sheet) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (_, other) in wb
        .sheets
        .iter()
        .enumerate()
        .filter(|(i, _)| !looked.contains(i))
    {
        // A document's headings and titles are plainly not answers.
        let Some(first) = other.cells().iter().find(|c| !c.heading) else {
            continue;
        };
        let message = match (other.part, read_from.part) {
            (crate::reading::Part::Sheet, _) => format!(
                "{}{} is not read: it holds text (\"{}\" in {}) but no answers' labels; \
                 if it holds part of your answer, move it to {}",
                if other.visible { "" } else { "hidden " },
                other.what(),
                first_line(&first.text, 50),
                loc(other, first.row, first.col).cell(),
                read_from.what()
            ),
            (_, crate::reading::Part::Sheet) => format!(
                "{} is not read: it holds text (\"{}\") but no answers' labels; if it holds \
                 part of your answer, move it to {}",
                other.what(),
                first_line(&first.text, 50),
                read_from.what()
            ),
            _ => format!(
                "{} is not read ({}); if it is part of your answer, type it into {} beside its \
                 question",
                other.what(),
                loc(other, first.row, first.col),
                read_from.what()
            ),
        };
        findings.push(if other.visible {
            Finding::warning(message, None)
        } else {
            Finding::info(message, None)
        });
    }
    findings
}

/// One sheet per country: two or more sheets that each hold one response,
/// for different countries (by the country cell, else the sheet's name).
/// Each is read; `None` when the workbook is not so.
fn one_sheet_per_country(
    wb: &Workbook,
    query: &Query,
    scans: &[(usize, usize, Vec<RawResponse>)],
) -> Option<Located> {
    let countries = crate::country::Countries::builtin().ok()?;
    let mut codes: Vec<String> = Vec::new();
    let mut read: Vec<usize> = Vec::new();
    for (k, (_, i, responses)) in scans.iter().enumerate() {
        let [r] = responses.as_slice() else { continue };
        if !wb.sheets[*i].visible {
            continue;
        }
        let named = r
            .country
            .as_ref()
            .and_then(|c| countries.find(&c.text))
            .or_else(|| countries.find(&wb.sheets[*i].name));
        // Only countries asked to answer: sheets named after the partner
        // countries a response writes about are not responses.
        if let Some(c) = named
            && query.expected.contains(&c.code)
            && !codes.contains(&c.code)
        {
            codes.push(c.code.clone());
            read.push(k);
        }
    }
    if read.len() < 2 {
        return None;
    }
    let names: Vec<String> = read
        .iter()
        .map(|&k| format!("\"{}\"", wb.sheets[scans[k].1].name))
        .collect();
    let mut findings = vec![Finding::info(
        format!("one sheet per country: read sheets {}", names.join(", ")),
        None,
    )];
    for &k in &read {
        findings.extend(hidden_findings(&wb.sheets[scans[k].1]));
    }
    for (_, i, _) in scans
        .iter()
        .enumerate()
        .filter(|(k, _)| !read.contains(k))
        .map(|(_, s)| s)
    {
        findings.push(Finding::warning(
            format!(
                "{} also looks like a response, for a country another sheet answers \
                 already: only the first was read; delete the one that is wrong",
                wb.sheets[*i].what()
            ),
            None,
        ));
    }
    let looked: Vec<usize> = scans.iter().map(|s| s.1).collect();
    findings.extend(unread(wb, &looked, &wb.sheets[scans[read[0]].1]));
    Some(Located {
        sheet: String::new(),
        responses: read.iter().flat_map(|&k| scans[k].2.clone()).collect(),
        findings,
    })
}

/// Scans one sheet; `None` when it holds no country anchor with anything else.
fn scan_sheet(sheet: &Sheet, query: &Query, template: bool) -> Option<(usize, Vec<RawResponse>)> {
    let mut best: Option<(usize, Vec<RawResponse>)> = None;
    for cell in sheet.cells().iter().filter(|c| !c.hidden) {
        if classify(&cell.text, query) != Some(Label::Country) {
            continue;
        }
        let header: Vec<Label> = sheet
            .row(cell.row)
            .iter()
            .filter(|c| c.col > cell.col && !c.hidden)
            .filter_map(|c| classify(&c.text, query))
            .filter(|l| matches!(l, Label::Flag | Label::Question(_) | Label::Whole))
            .collect();
        let candidate = if header.is_empty() {
            beside::labelled(sheet, query, cell, template)
        } else {
            Some((header.len() + 1, table::table(sheet, query, cell)))
        };
        if let Some((score, responses)) = candidate
            && best.as_ref().is_none_or(|(s, _)| score > *s)
        {
            best = Some((score, responses));
        }
    }
    if let Some((score, responses)) = matrix::matrix(sheet, query)
        && best.as_ref().is_none_or(|(s, _)| score > *s)
    {
        best = Some((score, responses));
    }
    if best.is_none()
        && let Some(anchor) = table::headless(sheet, query)
    {
        let headings = sheet
            .row(anchor.row)
            .iter()
            .filter(|c| c.col > anchor.col && !c.hidden)
            .count();
        best = Some((headings + 1, table::table(sheet, query, &anchor)));
    }
    if best.is_none() {
        // No "Country" label: the labels read from the first flag or
        // question label; the country then comes from elsewhere (`normalise`).
        let first = sheet.cells().iter().filter(|c| !c.hidden).find(|c| {
            matches!(
                classify(&c.text, query),
                Some(Label::Flag | Label::Question(_))
            )
        });
        best = first.and_then(|c| beside::labelled(sheet, query, c, template));
    }
    best
}

impl RawResponse {
    pub(super) fn new(layout: LayoutKind, country_at: Location) -> RawResponse {
        RawResponse {
            layout,
            country_label: false,
            country: None,
            country_at,
            flag_label: None,
            flag_at: None,
            flag: None,
            flag_error: None,
            flag_labels_read: Vec::new(),
            slots: Vec::new(),
            whole: None,
            whole_at: None,
            contact: None,
            date: None,
            extra: Vec::new(),
            hints: Vec::new(),
            findings: Vec::new(),
        }
    }

    /// Keeps the first flag that says something; two that disagree are an error.
    pub(super) fn set_flag(&mut self, label: Found, at: Location, value: Option<Found>) {
        self.flag_labels_read.push(label.at.clone());
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

#[cfg(test)]
mod tests;
