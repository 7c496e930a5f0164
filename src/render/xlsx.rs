//! The compilation workbook: Cover, Responses (an Excel table), Long answers
//! (when an answer outgrows a cell), Summary, and Log (members only).

use super::{Cover, Properties, cell_text, join_names, question_heading};
use crate::compile::Compilation;
use crate::error::{Error, Result};
use crate::policy::Audience;
use crate::templates::{fill_with, labels};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Table, TableColumn,
    Workbook, Worksheet, XlsxError,
};

/// The most characters an Excel cell holds, counted as Excel counts them:
/// UTF-16 units (an emoji counts two).
pub const CELL_LIMIT: usize = 32_767;
/// The size of each piece of a longer text, in UTF-16 units: under the
/// limit, with room for the note that says where the rest is.
const PIECE: usize = 32_000;
/// Excel's tallest row, in points.
const MAX_ROW_HEIGHT: f64 = 409.0;
/// Column headers of a table longer than this are shortened (the full
/// question is on the cover).
const MAX_HEADER: usize = 255;

/// Renders `c` as an xlsx file.
pub fn render(c: &Compilation<'_>) -> Result<Vec<u8>> {
    build(c).map_err(|e| Error::Render {
        output: format!("compilation-{}.xlsx", c.audience.file_word()),
        message: e.to_string(),
    })
}

struct Formats {
    title: Format,
    heading: Format,
    bold: Format,
    wrap: Format,
    audience: Format,
    header: Format,
    italic: Format,
    count: Format,
}

impl Formats {
    fn new() -> Formats {
        let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        Formats {
            title: Format::new().set_bold().set_font_size(16),
            heading: Format::new()
                .set_bold()
                .set_font_size(13)
                .set_align(FormatAlign::Top),
            bold: wrap.clone().set_bold(),
            audience: wrap.clone().set_bold().set_font_color(Color::RGB(0x9C0006)),
            header: wrap
                .clone()
                .set_bold()
                .set_border_bottom(FormatBorder::Thin),
            italic: wrap.clone().set_italic(),
            count: wrap.clone().set_align(FormatAlign::Center),
            wrap,
        }
    }
}

fn build(c: &Compilation<'_>) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    // The fastest deflate: a compilation is small, and writing it is most of
    // a compile's time at the default level.
    wb.set_zip_compression_level(1);
    let p = Properties::of(c);
    let d = c.compiled_on;
    let mut props = DocProperties::new()
        .set_title(&p.title)
        .set_subject(&p.subject)
        .set_keywords(&p.keywords)
        // Fixed to the compile date: the same input gives the same file.
        .set_creation_datetime(&ExcelDateTime::from_ymd(d.year, d.month, d.day)?);
    if let Some(comment) = &p.comment {
        props = props.set_comment(comment);
    }
    wb.set_properties(&props);
    let f = Formats::new();

    cover(wb.add_worksheet(), c, &f)?;
    let long = responses(wb.add_worksheet(), c, &f)?;
    if !long.is_empty() {
        long_answers(wb.add_worksheet(), &long, &f)?;
    }
    summary(wb.add_worksheet(), c, &f)?;
    if c.audience == Audience::Members {
        log(wb.add_worksheet(), c, &f)?;
    }
    wb.save_to_buffer()
}

/// Points for a text wrapped in a column `width` characters wide.
fn height_for(text: &str, width: f64) -> f64 {
    // A character of running text is narrower than Excel's width unit ("0").
    let per_line = (width * 1.25).max(1.0);
    let lines: f64 = text
        .split('\n')
        .map(|l| (l.chars().count() as f64 / per_line).ceil().max(1.0))
        .sum();
    (lines * 15.0).clamp(15.0, MAX_ROW_HEIGHT)
}

/// The length of `text` as Excel counts it.
fn excel_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// Pieces of at most `PIECE` UTF-16 units, never splitting a character.
fn pieces(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut piece = String::new();
    let mut units = 0;
    for ch in text.chars() {
        if units + ch.len_utf16() > PIECE {
            out.push(std::mem::take(&mut piece));
            units = 0;
        }
        piece.push(ch);
        units += ch.len_utf16();
    }
    if !piece.is_empty() || out.is_empty() {
        out.push(piece);
    }
    out
}

/// Writes a text that may outgrow one cell down column A from `row`, a piece
/// per row; returns the next free row.
fn write_paragraph(
    ws: &mut Worksheet,
    row: u32,
    text: &str,
    width: f64,
    format: &Format,
) -> std::result::Result<u32, XlsxError> {
    let mut row = row;
    for piece in pieces(text) {
        ws.write_string_with_format(row, 0, &piece, format)?;
        ws.set_row_height(row, height_for(&piece, width))?;
        row += 1;
    }
    Ok(row)
}

fn cover(
    ws: &mut Worksheet,
    c: &Compilation<'_>,
    f: &Formats,
) -> std::result::Result<(), XlsxError> {
    let l = &labels().cover;
    let width = 95.0;
    ws.set_name(&l.sheet)?;
    ws.set_column_width(0, width)?;
    let cover = Cover::of(c);
    ws.write_string_with_format(0, 0, &cover.title, &f.title)?;
    let mut row = 2;
    let line = |ws: &mut Worksheet, row: &mut u32, text: &str, format: &Format| {
        let next = write_paragraph(ws, *row, text, width, format)?;
        *row = next;
        Ok::<(), XlsxError>(())
    };
    if let Some(r) = &cover.reference {
        line(ws, &mut row, r, &f.wrap)?;
    }
    line(ws, &mut row, &cover.requested, &f.wrap)?;
    line(ws, &mut row, &cover.produced, &f.wrap)?;
    line(ws, &mut row, &cover.audience, &f.audience)?;
    row += 1;
    line(ws, &mut row, &cover.responses, &f.wrap)?;
    row += 1;
    line(ws, &mut row, &cover.disclaimer, &f.italic)?;
    row += 1;
    if let Some(bg) = &c.query.background {
        line(ws, &mut row, &l.background, &f.heading)?;
        for para in bg.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
            line(ws, &mut row, para, &f.wrap)?;
        }
        row += 1;
    }
    line(ws, &mut row, &l.questions, &f.heading)?;
    for q in &c.query.questions {
        line(ws, &mut row, &question_heading(q), &f.wrap)?;
    }
    if !c.skipped.is_empty() {
        row += 1;
        line(ws, &mut row, &l.skipped, &f.heading)?;
        for s in &c.skipped {
            let text = fill_with(
                &l.skipped_line,
                c.query.network,
                &[("file", &s.file), ("reason", &s.reason)],
            );
            line(ws, &mut row, &text, &f.wrap)?;
        }
    }
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

/// A piece of an answer too long for its cell, for the "Long answers" sheet.
struct LongPiece {
    country: String,
    question: String,
    part: String,
    text: String,
}

/// Fills the Responses sheet; returns what did not fit in its cells.
fn responses(
    ws: &mut Worksheet,
    c: &Compilation<'_>,
    f: &Formats,
) -> std::result::Result<Vec<LongPiece>, XlsxError> {
    let l = &labels().responses;
    ws.set_name(&l.sheet)?;
    let questions = &c.query.questions;
    let answer_width = if questions.len() <= 3 { 70.0 } else { 55.0 };
    let mut headers = vec![l.country.clone(), l.dissemination.clone()];
    let mut widths = vec![18.0, 14.0];
    for q in questions {
        headers.push(header_caption(&question_heading(q)));
        widths.push(answer_width);
    }
    let general = c.has_general();
    if general {
        headers.push(l.general.clone());
        widths.push(50.0);
    }
    for (col, w) in widths.iter().enumerate() {
        ws.set_column_width(col as u16, *w)?;
    }
    let last_col = (headers.len() - 1) as u16;
    let header_height = headers
        .iter()
        .zip(&widths)
        .map(|(h, w)| height_for(h, *w))
        .fold(15.0, f64::max);
    ws.set_row_height(0, header_height)?;

    let mut long = Vec::new();
    // The first "Long answers" row after its header.
    let mut next_long_row = 2u32;
    for (i, r) in c.rows.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string_with_format(row, 0, &r.name, &f.bold)?;
        ws.write_string_with_format(row, 1, r.dissemination.label(), &f.wrap)?;
        let mut texts: Vec<(String, String)> = r
            .cells
            .iter()
            .zip(questions)
            .map(|(cell, q)| (q.id.clone(), cell_text(c, cell).into_owned()))
            .collect();
        if general {
            texts.push((l.general.clone(), r.general.clone().unwrap_or_default()));
        }
        let mut height: f64 = 15.0;
        for (k, (question, text)) in texts.iter().enumerate() {
            let col = (k + 2) as u16;
            let shown = if excel_len(text) > CELL_LIMIT {
                let parts = pieces(text);
                let first_long = next_long_row;
                for (n, p) in parts.iter().enumerate().skip(1) {
                    long.push(LongPiece {
                        country: r.name.clone(),
                        question: question.clone(),
                        part: format!("{} / {}", n + 1, parts.len()),
                        text: p.clone(),
                    });
                    next_long_row += 1;
                }
                let at = format!("{first_long}–{}", next_long_row - 1);
                let note = fill_with(&l.continued, c.query.network, &[("at", &at)]);
                format!("{}\n{note}", parts[0])
            } else {
                text.clone()
            };
            if shown.is_empty() {
                ws.write_blank(row, col, &f.wrap)?;
            } else {
                ws.write_string_with_format(row, col, &shown, &f.wrap)?;
            }
            height = height.max(height_for(&shown, widths[k + 2]));
        }
        ws.set_row_height(row, height)?;
    }

    if c.rows.is_empty() {
        for (col, h) in headers.iter().enumerate() {
            ws.write_string_with_format(0, col as u16, h, &f.header)?;
        }
    } else {
        let columns: Vec<TableColumn> = headers
            .iter()
            .map(|h| {
                TableColumn::new()
                    .set_header(h)
                    .set_header_format(&f.header)
            })
            .collect();
        let table = Table::new().set_columns(&columns).set_name("Responses");
        ws.add_table(0, 0, c.rows.len() as u32, last_col, &table)?;
    }
    ws.set_freeze_panes(1, 1)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    Ok(long)
}

/// A table header: one line, unique by its question id, at most 255 characters.
fn header_caption(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= MAX_HEADER {
        one_line
    } else {
        let mut cut: String = one_line.chars().take(MAX_HEADER - 1).collect();
        cut.push('…');
        cut
    }
}

fn long_answers(
    ws: &mut Worksheet,
    long: &[LongPiece],
    f: &Formats,
) -> std::result::Result<(), XlsxError> {
    let l = &labels().responses;
    ws.set_name(&l.long_sheet)?;
    let widths = [18.0, 10.0, 8.0, 120.0];
    for (col, w) in widths.iter().enumerate() {
        ws.set_column_width(col as u16, *w)?;
    }
    for (col, h) in [
        &l.long_country,
        &l.long_question,
        &l.long_part,
        &l.long_text,
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(0, col as u16, *h, &f.header)?;
    }
    for (i, p) in long.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string_with_format(row, 0, &p.country, &f.bold)?;
        ws.write_string_with_format(row, 1, &p.question, &f.wrap)?;
        ws.write_string_with_format(row, 2, &p.part, &f.wrap)?;
        ws.write_string_with_format(row, 3, &p.text, &f.wrap)?;
        ws.set_row_height(row, MAX_ROW_HEIGHT)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

fn summary(
    ws: &mut Worksheet,
    c: &Compilation<'_>,
    f: &Formats,
) -> std::result::Result<(), XlsxError> {
    let l = &labels().summary;
    let net = c.query.network;
    ws.set_name(&l.sheet)?;
    let names_width = 100.0;
    ws.set_column_width(0, 40)?;
    ws.set_column_width(1, 8)?;
    ws.set_column_width(2, names_width)?;
    ws.write_string_with_format(0, 0, &l.heading, &f.title)?;
    let mut row = 2u32;
    let line = |ws: &mut Worksheet, row: &mut u32, label: &str, names: &[String]| {
        ws.write_string_with_format(*row, 0, label, &f.wrap)?;
        ws.write_number_with_format(*row, 1, names.len() as f64, &f.count)?;
        let list = if names.is_empty() {
            l.none.clone()
        } else {
            join_names(names)
        };
        ws.write_string_with_format(*row, 2, &list, &f.wrap)?;
        ws.set_row_height(*row, height_for(&list, names_width))?;
        *row += 1;
        Ok::<(), XlsxError>(())
    };
    let cov = &c.coverage;
    ws.write_string_with_format(row, 0, &l.coverage, &f.heading)?;
    row += 1;
    line(ws, &mut row, &l.expected, &cov.expected)?;
    line(ws, &mut row, &l.received, &cov.received)?;
    line(ws, &mut row, &l.missing, &cov.missing)?;
    if !cov.not_compiled.is_empty() {
        line(ws, &mut row, &l.not_compiled, &cov.not_compiled)?;
    }
    if !cov.unexpected.is_empty() {
        line(ws, &mut row, &l.unexpected, &cov.unexpected)?;
    }
    line(ws, &mut row, &l.restricted, &cov.restricted)?;
    if let (Some(late), Some(deadline)) = (&cov.late, c.query.deadline) {
        let label = fill_with(
            &l.late,
            net,
            &[("date", &crate::templates::long_date(deadline))],
        );
        line(ws, &mut row, &label, late)?;
        line(ws, &mut row, &l.undated, &cov.undated)?;
    }
    for (t, q) in c.tallies.iter().zip(&c.query.questions) {
        row += 1;
        let label = fill_with(&l.question, net, &[("id", &t.id)]);
        ws.write_string_with_format(row, 0, &label, &f.heading)?;
        ws.write_string_with_format(row, 2, &q.text, &f.bold)?;
        ws.set_row_height(row, height_for(&q.text, names_width))?;
        row += 1;
        line(ws, &mut row, &l.answered, &t.answered)?;
        line(ws, &mut row, &l.not_answered, &t.not_answered)?;
        if let Some(yn) = &t.yes_no {
            line(ws, &mut row, &l.yes, &yn.yes)?;
            line(ws, &mut row, &l.no, &yn.no)?;
            line(ws, &mut row, &l.unclear, &yn.unclear)?;
        }
    }
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

fn log(ws: &mut Worksheet, c: &Compilation<'_>, f: &Formats) -> std::result::Result<(), XlsxError> {
    let l = &labels().log;
    ws.set_name(&l.sheet)?;
    let widths = [28.0, 18.0, 10.0, 16.0, 100.0];
    for (col, w) in widths.iter().enumerate() {
        ws.set_column_width(col as u16, *w)?;
    }
    for (col, h) in [&l.file, &l.country, &l.severity, &l.location, &l.message]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(0, col as u16, *h, &f.header)?;
    }
    for (i, e) in c.log.iter().enumerate() {
        let row = i as u32 + 1;
        for (col, text) in [&e.file, &e.country, &e.severity, &e.location, &e.message]
            .iter()
            .enumerate()
        {
            // Log lines are ahq's own short messages; should one outgrow a
            // cell, its first piece is kept and the cut is marked.
            let parts = pieces(text);
            let shown = if parts.len() > 1 {
                format!("{} …", parts[0])
            } else {
                parts[0].clone()
            };
            ws.write_string_with_format(row, col as u16, &shown, &f.wrap)?;
        }
        ws.set_row_height(row, height_for(&e.message, widths[4]))?;
    }
    ws.autofilter(0, 0, c.log.len() as u32, 4)?;
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_count_utf16_units_and_keep_every_character() {
        let text = "😀".repeat(20_000); // 40,000 UTF-16 units
        let parts = pieces(&text);
        assert_eq!(parts.len(), 2);
        assert!(parts.iter().all(|p| excel_len(p) <= PIECE));
        assert_eq!(parts.concat(), text);
        assert_eq!(pieces(""), [""]);
        assert_eq!(pieces("abc"), ["abc"]);
    }

    #[test]
    fn long_headers_are_cut_to_one_line_of_255() {
        assert_eq!(header_caption("1. Do\nyou  agree?"), "1. Do you agree?");
        let long = header_caption(&"x".repeat(300));
        assert_eq!(long.chars().count(), 255);
        assert!(long.ends_with('…'));
    }
}
