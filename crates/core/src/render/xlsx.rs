//! The compilation workbook: Cover, Responses (an Excel table), Summary, and
//! Log (members only), each set up to print on A4 at a readable size.

use super::{
    Cover, Properties, cell_text, join_names, paragraphs, question_heading, question_text,
    skipped_lines,
};
use crate::compile::Compilation;
use crate::error::{Error, Result};
use crate::policy::Audience;
use crate::templates::{fill_with, labels};
use rust_xlsxwriter::{
    Chart, Color, ConditionalFormat2ColorScale, ConditionalFormatBlank, DocProperties,
    ExcelDateTime, Format, FormatAlign, FormatBorder, Table, TableColumn, Workbook, Worksheet,
    XlsxError,
};

/// Excel's tallest row, in points.
const MAX_ROW_HEIGHT: f64 = 409.0;
/// A line of Arial 11, in points: Excel's row for it (LibreOffice's lines
/// are shorter, 12.7 pt).
const LINE: f64 = 14.25;
/// The most lines a piece of text is given before it continues in the row
/// below: 27 lines (385 pt), under the tallest row with a line to spare.
const PIECE_LINES: f64 = 27.0;
/// Characters of running text per unit of column width (the width of "0").
/// LibreOffice fits about 1.27 on the sample; less is assumed, so that a
/// wider font or a ragged right edge still fits the height given.
const CHARS_PER_UNIT: f64 = 1.1;
/// Text is never printed smaller than this share of its size (11 pt prints
/// at 8.8 pt or more): a sheet wider than that continues on further pages.
const MIN_SCALE: f64 = 0.8;
/// Page margins, left and right, in inches.
const SIDE_MARGIN: f64 = 0.4;
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
    /// Centred on one line.
    centred: Format,
}

/// The workbook's font: Arial, which LibreOffice replaces by the
/// metric-compatible Liberation Sans where Arial is missing, so that columns,
/// wrapping and page breaks come out as computed here (Calibri has no such
/// twin on a machine without Carlito).
fn base() -> Format {
    Format::new().set_font_name("Arial").set_font_size(11)
}

impl Formats {
    fn new() -> Formats {
        let wrap = base().set_text_wrap().set_align(FormatAlign::Top);
        Formats {
            title: base().set_bold().set_font_size(16),
            heading: base()
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
            centred: base().set_align(FormatAlign::Center),
            wrap,
        }
    }
}

fn build(c: &Compilation<'_>) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    // The fastest deflate: a compilation is small, and writing it is most of
    // a compile's time at the default level.
    wb.set_zip_compression_level(1);
    // Arial 11: a width unit (the digit "0") is 8 pixels, a row 19.
    wb.set_default_format(&base(), 19, 72)?;
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
    responses(wb.add_worksheet(), c, &f)?;
    summary(wb.add_worksheet(), c, &f)?;
    named(wb.add_worksheet(), c, &f, crate::analysis::Kind::Partner)?;
    named(wb.add_worksheet(), c, &f, crate::analysis::Kind::Theme)?;
    if c.changes.is_some() {
        changes(wb.add_worksheet(), c, &f)?;
    }
    if c.audience == Audience::Members {
        log(wb.add_worksheet(), c, &f)?;
    }
    wb.save_to_buffer()
}

/// Lines of a text wrapped in a column `width` characters wide (an estimate).
fn lines_for(text: &str, width: f64) -> f64 {
    let per_line = (width * CHARS_PER_UNIT).max(1.0);
    text.split('\n')
        .map(|l| (l.chars().count() as f64 / per_line).ceil().max(1.0))
        .sum()
}

/// Points for a text wrapped in a column `width` characters wide.
fn height_for(text: &str, width: f64) -> f64 {
    (lines_for(text, width) * LINE).clamp(LINE, MAX_ROW_HEIGHT)
}

/// Pieces of `text`, each short enough to show whole in one row of a column
/// `width` wide, cut after a line break or a space (a word longer than a
/// piece is cut where it must); concatenated, they are `text`.
fn pieces_for(text: &str, width: f64) -> Vec<String> {
    let per_line = (width * CHARS_PER_UNIT).floor().max(1.0) as usize;
    let budget = PIECE_LINES as usize * per_line;
    // Most texts fit whole: each line break wastes less than a line, and a
    // character is at least a byte, so this bounds what the loop counts.
    let breaks = text.bytes().filter(|&b| b == b'\n').count();
    if text.len() + breaks * per_line <= budget {
        return vec![text.to_string()];
    }
    let mut out = Vec::new();
    let mut piece = String::new();
    // Lines already full in `piece`, and characters on its last line.
    let (mut lines, mut last) = (0usize, 0usize);
    for word in text.split_inclusive([' ', '\n']) {
        let n = word.trim_end_matches('\n').chars().count();
        if (lines * per_line + last + n > budget) && !piece.is_empty() {
            out.push(std::mem::take(&mut piece));
            (lines, last) = (0, 0);
        }
        if n > budget {
            // A word longer than a piece: as much as fits, then the rest.
            let chars: Vec<char> = word.chars().collect();
            for chunk in chars.chunks(budget) {
                if !piece.is_empty() {
                    out.push(std::mem::take(&mut piece));
                }
                piece.extend(chunk);
            }
            (lines, last) = (0, piece.chars().count());
            continue;
        }
        piece.push_str(word);
        last += n;
        if word.ends_with('\n') {
            lines += last.div_ceil(per_line).max(1);
            last = 0;
        }
    }
    if !piece.is_empty() || out.is_empty() {
        out.push(piece);
    }
    out
}

/// How a sheet prints: A4 landscape, its header rows (`repeat_rows`, the
/// last of them) and its first columns (`repeat_columns`, the last of them)
/// on every page, the sheet's name and page numbers in the footer. One page
/// wide when that keeps text at `MIN_SCALE` or more; else at `MIN_SCALE`,
/// its columns continuing on further pages, one band of rows across all its
/// columns before the next.
fn print_setup(
    ws: &mut Worksheet,
    widths: &[f64],
    repeat_rows: Option<u32>,
    repeat_columns: Option<u16>,
) -> std::result::Result<(), XlsxError> {
    const A4: u8 = 9;
    ws.set_paper_size(A4);
    ws.set_landscape();
    ws.set_margins(SIDE_MARGIN, SIDE_MARGIN, 0.6, 0.7, 0.3, 0.3);
    ws.set_footer(&labels().print.footer);
    if let Some(last) = repeat_rows {
        ws.set_repeat_rows(0, last)?;
    }
    // Set whether or not the sheet is wider than a page: they cost nothing
    // on one page, and a reader's narrower paper may still need them.
    if let Some(last) = repeat_columns {
        ws.set_repeat_columns(0, last)?;
    }
    // Pixels at 96 dpi: a width unit is 8 pixels in Arial 11, plus 5 of padding.
    let sheet_px: f64 = widths.iter().map(|w| w * 8.0 + 5.0).sum();
    let page_px = (297.0 / 25.4 - 2.0 * SIDE_MARGIN) * 96.0;
    if sheet_px * MIN_SCALE <= page_px {
        ws.set_print_fit_to_pages(1, 0);
    } else {
        ws.set_print_scale((MIN_SCALE * 100.0) as u16);
        ws.set_page_order(false);
    }
    Ok(())
}

/// Writes a text that may outgrow one row down column A from `row`, a piece
/// per row; returns the next free row.
fn write_paragraph(
    ws: &mut Worksheet,
    row: u32,
    text: &str,
    width: f64,
    format: &Format,
) -> std::result::Result<u32, XlsxError> {
    let mut row = row;
    for piece in pieces_for(text, width) {
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
        for para in paragraphs(bg) {
            line(ws, &mut row, &para, &f.wrap)?;
        }
        row += 1;
    }
    line(ws, &mut row, &l.questions, &f.heading)?;
    for q in &c.query.questions {
        line(ws, &mut row, &question_heading(q), &f.wrap)?;
    }
    let skipped = skipped_lines(c);
    if !skipped.is_empty() {
        row += 1;
        line(ws, &mut row, &l.skipped, &f.heading)?;
        for text in &skipped {
            line(ws, &mut row, text, &f.wrap)?;
        }
    }
    print_setup(ws, &[width], None, None)?;
    Ok(())
}

/// Fills the Responses sheet. An answer taller than Excel's tallest row
/// continues in rows below its country's row, so that every word shows on
/// screen and on paper.
fn responses(
    ws: &mut Worksheet,
    c: &Compilation<'_>,
    f: &Formats,
) -> std::result::Result<(), XlsxError> {
    let l = &labels().responses;
    ws.set_name(&l.sheet)?;
    let questions = &c.query.questions;
    // Two answer columns beside the country on an A4 page at 80%.
    let answer_width = 48.0;
    let mut headers = vec![l.country.clone(), l.dissemination.clone()];
    let mut widths = vec![18.0, 14.0];
    for q in questions {
        headers.push(header_caption(&question_heading(q)));
        widths.push(answer_width);
    }
    let general = c.has_general();
    if general {
        headers.push(l.general.clone());
        widths.push(40.0);
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

    let mut row = 1u32;
    for r in &c.rows {
        let mut texts: Vec<String> = r
            .cells
            .iter()
            .map(|cell| cell_text(c, cell).into_owned())
            .collect();
        if general {
            texts.push(r.general.clone().unwrap_or_default());
        }
        let columns: Vec<Vec<String>> = texts
            .iter()
            .enumerate()
            .map(|(k, text)| pieces_for(text, widths[k + 2]))
            .collect();
        let depth = columns.iter().map(Vec::len).max().unwrap_or(1);
        for d in 0..depth {
            if d == 0 {
                ws.write_string_with_format(row, 0, &r.name, &f.bold)?;
                ws.write_string_with_format(row, 1, r.dissemination.label(), &f.wrap)?;
            } else {
                let label = fill_with(&l.continued_row, c.query.network, &[("name", &r.name)]);
                ws.write_string_with_format(row, 0, &label, &f.italic)?;
                ws.write_blank(row, 1, &f.wrap)?;
            }
            let mut height = LINE;
            for (k, pieces) in columns.iter().enumerate() {
                let col = (k + 2) as u16;
                match pieces.get(d).filter(|p| !p.is_empty()) {
                    Some(p) => {
                        ws.write_string_with_format(row, col, p, &f.wrap)?;
                        height = height.max(height_for(p, widths[k + 2]));
                    }
                    None => {
                        ws.write_blank(row, col, &f.wrap)?;
                    }
                }
            }
            ws.set_row_height(row, height)?;
            row += 1;
        }
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
        ws.add_table(0, 0, row - 1, last_col, &table)?;
    }
    // The country and its dissemination flag stay in view on screen and on
    // every printed page: a reader of any page sees which rows are withheld.
    ws.set_freeze_panes(1, 2)?;
    print_setup(ws, &widths, Some(0), Some(1))?;
    Ok(())
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
        let text = question_text(q);
        ws.write_string_with_format(row, 0, &label, &f.heading)?;
        ws.write_string_with_format(row, 2, &text, &f.bold)?;
        ws.set_row_height(row, height_for(&text, names_width))?;
        row += 1;
        line(ws, &mut row, &l.answered, &t.answered)?;
        line(ws, &mut row, &l.not_answered, &t.not_answered)?;
        if c.audience == Audience::Wider {
            line(ws, &mut row, &l.withheld, &t.withheld)?;
        }
        if let Some(yn) = &t.yes_no {
            line(ws, &mut row, &l.yes, &yn.yes)?;
            line(ws, &mut row, &l.no, &yn.no)?;
            line(ws, &mut row, &l.unclear, &yn.unclear)?;
        }
    }
    print_setup(ws, &[40.0, 8.0, names_width], Some(0), None)?;
    Ok(())
}

/// The Partners sheet (`kind` Partner: the partner countries, then the
/// members named) or the Themes sheet: a row per responding country, a
/// column per partner or theme (most named first), each cell the questions
/// that name it; a total per column, shaded as a heat map, and a bar chart
/// of the most named. Rows withheld from this audience are not listed: the
/// analysis holds nothing of them.
fn named(
    ws: &mut Worksheet,
    c: &Compilation<'_>,
    f: &Formats,
    kind: crate::analysis::Kind,
) -> std::result::Result<(), XlsxError> {
    use crate::analysis::Kind;
    let l = &labels().analysis;
    let net = c.query.network;
    let (sheet, heading) = match kind {
        Kind::Theme => (&l.themes_sheet, &l.themes_heading),
        _ => (&l.partners_sheet, &l.partners_heading),
    };
    ws.set_name(sheet)?;
    let a = &c.analysis;
    let shown: Vec<usize> = c
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.withheld)
        .map(|(i, _)| i)
        .collect();
    let first_width = 22.0;
    ws.set_column_width(0, first_width)?;
    ws.write_string_with_format(0, 0, heading, &f.title)?;
    ws.write_string(1, 0, &l.cell_note)?;
    let columns = a.columns(kind);
    // As wide as the longest list of questions ("1, 2, 3, 4"), on one line.
    let width = columns
        .iter()
        .flat_map(|c| &c.cells)
        .map(|q| q.join(", ").chars().count() as f64 + 1.0)
        .chain(
            // Every word of a name on one line.
            columns
                .iter()
                .flat_map(|c| c.name.split_whitespace())
                .map(|w| w.chars().count() as f64 * 1.15 + 1.0),
        )
        .fold(9.0, f64::max);
    let header = 3u32;
    // Names wrap in their column (upright text would print its short
    // words too small to read in some viewers' measure, and turns the page).
    let names = f
        .header
        .clone()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::Bottom);
    ws.write_string_with_format(header, 0, &l.country, &f.header)?;
    if columns.is_empty() {
        ws.write_string_with_format(header + 1, 0, &l.none, &f.italic)?;
    }
    let tallest = columns
        .iter()
        .map(|c| height_for(&c.name, width))
        .fold(LINE, f64::max);
    ws.set_row_height(header, tallest)?;
    for (j, col) in columns.iter().enumerate() {
        let x = j as u16 + 1;
        ws.set_column_width(x, width)?;
        ws.write_string_with_format(header, x, &col.name, &names)?;
    }
    let mut row = header + 1;
    for &i in &shown {
        ws.write_string_with_format(row, 0, &a.countries[i].name, &f.wrap)?;
        for (j, col) in columns.iter().enumerate() {
            if !col.cells[i].is_empty() {
                ws.write_string_with_format(
                    row,
                    j as u16 + 1,
                    col.cells[i].join(", "),
                    &f.centred,
                )?;
            }
        }
        row += 1;
    }
    let total = row;
    ws.write_string_with_format(total, 0, &l.total, &f.bold)?;
    for (j, col) in columns.iter().enumerate() {
        ws.write_number_with_format(total, j as u16 + 1, col.count() as f64, &f.count)?;
    }
    if !columns.is_empty() && !shown.is_empty() {
        let last = columns.len() as u16;
        // The heat map: every cell that names it shaded, and the totals
        // from light to dark.
        ws.add_conditional_format(
            header + 1,
            1,
            total - 1,
            last,
            &ConditionalFormatBlank::new()
                .invert()
                .set_format(Format::new().set_background_color(Color::RGB(0xFCE4D6))),
        )?;
        ws.add_conditional_format(
            total,
            1,
            total,
            last,
            &ConditionalFormat2ColorScale::new()
                .set_minimum_color(Color::RGB(0xFFF2CC))
                .set_maximum_color(Color::RGB(0xC55A11)),
        )?;
    }
    row = total + 2;
    if kind == Kind::Partner {
        let members = a.columns(Kind::Member);
        if !members.is_empty() {
            let title = fill_with(&l.members_heading, net, &[]);
            ws.write_string_with_format(row, 0, &title, &f.heading)?;
            row += 1;
            for m in &members {
                let who: Vec<String> = a
                    .countries
                    .iter()
                    .zip(&m.cells)
                    .filter(|(_, q)| !q.is_empty())
                    .map(|(n, q)| format!("{} ({})", n.name, q.join(", ")))
                    .collect();
                ws.write_string_with_format(row, 0, &m.name, &f.wrap)?;
                ws.write_string(row, 1, who.join("; "))?;
                row += 1;
            }
            row += 1;
        }
    }
    // The most named, up to 15, in a bar chart under the table.
    let shown_columns = columns.len().min(15) as u16;
    if shown_columns > 0 && !shown.is_empty() {
        let mut chart = Chart::new_bar();
        chart
            .add_series()
            .set_categories((sheet.as_str(), header, 1, header, shown_columns))
            .set_values((sheet.as_str(), total, 1, total, shown_columns))
            .set_name(l.chart_axis.as_str());
        chart.title().set_name(match kind {
            Kind::Theme => &l.chart_themes,
            _ => &l.chart_partners,
        });
        chart.legend().set_hidden();
        // The most named at the top.
        chart.y_axis().set_reverse();
        chart.x_axis().set_name(l.chart_axis.as_str());
        chart
            .set_width(720)
            .set_height(20 * shown_columns as u32 + 120);
        // On a page of its own, never cut in two.
        ws.set_page_breaks(&[row])?;
        ws.insert_chart(row, 0, &chart)?;
    }
    let mut widths = vec![first_width];
    widths.extend(std::iter::repeat_n(width, columns.len()));
    print_setup(ws, &widths, Some(header), Some(0))?;
    ws.set_freeze_panes(header + 1, 1)?;
    Ok(())
}

/// An updated compilation's Changes sheet: a heading, then a row per change.
fn changes(
    ws: &mut Worksheet,
    c: &Compilation<'_>,
    f: &Formats,
) -> std::result::Result<(), XlsxError> {
    let Some(ch) = &c.changes else { return Ok(()) };
    let l = &labels().changes;
    ws.set_name(&l.sheet)?;
    let widths = [24.0, 100.0];
    for (col, w) in widths.iter().enumerate() {
        ws.set_column_width(col as u16, *w)?;
    }
    ws.write_string_with_format(0, 0, super::changes_heading(ch), &f.heading)?;
    ws.write_string_with_format(2, 0, &l.country, &f.header)?;
    ws.write_string_with_format(2, 1, &l.change, &f.header)?;
    for (row, (country, change)) in (3u32..).zip(super::change_lines(ch)) {
        ws.write_string_with_format(row, 0, &country, &f.wrap)?;
        ws.write_string_with_format(row, 1, &change, &f.wrap)?;
        ws.set_row_height(row, height_for(&change, widths[1]))?;
    }
    print_setup(ws, &widths, Some(2), None)?;
    Ok(())
}

fn log(ws: &mut Worksheet, c: &Compilation<'_>, f: &Formats) -> std::result::Result<(), XlsxError> {
    let l = &labels().log;
    ws.set_name(&l.sheet)?;
    // One A4 page wide at about 90%, the message column widest.
    let widths = [24.0, 14.0, 8.0, 12.0, 82.0];
    for (col, w) in widths.iter().enumerate() {
        ws.set_column_width(col as u16, *w)?;
    }
    for (col, h) in [&l.file, &l.country, &l.severity, &l.location, &l.message]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(0, col as u16, *h, &f.header)?;
    }
    let mut row = 1u32;
    for e in &c.log {
        // A message taller than a row (a skipped file's many errors) goes
        // on in the rows below, as answers do.
        let message = pieces_for(&e.message, widths[4]);
        let mut height = LINE;
        for (col, text) in [&e.file, &e.country, &e.severity, &e.location, &message[0]]
            .iter()
            .enumerate()
        {
            ws.write_string_with_format(row, col as u16, *text, &f.wrap)?;
            height = height.max(height_for(text, widths[col]));
        }
        ws.set_row_height(row, height)?;
        for more in &message[1..] {
            row += 1;
            ws.write_string_with_format(row, 4, more, &f.wrap)?;
            ws.set_row_height(row, height_for(more, widths[4]))?;
        }
        row += 1;
    }
    ws.autofilter(0, 0, row - 1, 4)?;
    ws.set_freeze_panes(1, 0)?;
    print_setup(ws, &widths, Some(0), None)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_fit_a_row_and_keep_every_character() {
        let width = 48.0;
        let words: String = (0..2_000).map(|i| format!("word{i} ")).collect();
        let lines = "a line\n".repeat(100);
        let emoji = "😀".repeat(20_000); // no space to cut at
        for text in [words.as_str(), lines.as_str(), emoji.as_str(), "", "abc"] {
            let parts = pieces_for(text, width);
            assert_eq!(parts.concat(), text, "nothing lost, nothing added");
            for p in &parts {
                assert!(lines_for(p, width) <= PIECE_LINES + 1.0, "{p:?}");
                assert!(p.encode_utf16().count() <= 32_767);
            }
        }
        assert_eq!(pieces_for("abc", width), ["abc"]);
        assert!(pieces_for(&words, width).len() > 5);
        // Cut after a space: each piece but the last ends with one.
        let parts = pieces_for(&words, width);
        assert!(parts[..parts.len() - 1].iter().all(|p| p.ends_with(' ')));
    }

    #[test]
    fn long_headers_are_cut_to_one_line_of_255() {
        assert_eq!(header_caption("1. Do\nyou  agree?"), "1. Do you agree?");
        let long = header_caption(&"x".repeat(300));
        assert_eq!(long.chars().count(), 255);
        assert!(long.ends_with('…'));
    }
}
