//! The response workbook that member states fill in (`ahq template`).
//!
//! Its layout is the labelled layout that [`crate::layout`] reads: labels in
//! column A, the question text in B and the answer in C. A hidden sheet
//! records the query's reference and question fingerprint, so that reading
//! can tell which query, and which version of it, a returned file answers,
//! and the whole query, so that the file can be validated on its own.

use crate::country::Country;
use crate::query::Query;
use crate::reading::META_SHEET;
use crate::templates::{instructions, long_date};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format, FormatAlign,
    FormatBorder, Formula, ProtectionOptions, Workbook, XlsxError,
};

/// The widths of columns A (labels), B (questions) and C (answers), in
/// characters.
const WIDTHS: [f64; 3] = [20.0, 50.0, 110.0];

/// A row's height in points for `text` wrapped in `width` characters: 15
/// points a line, each paragraph's lines counted (a little more than one
/// character a width unit, for wide letters), at most Excel's 409.
fn height_for(text: &str, width: f64) -> f64 {
    let lines: f64 = text
        .split('\n')
        .map(|p| (p.chars().count() as f64 * 1.1 / width).ceil().max(1.0))
        .sum();
    (lines * 15.0 + 6.0).min(409.0)
}

/// The least height of a question's row: room for an answer of 300 words
/// (24 lines of the answer column) on screen and on paper. A row cannot
/// grow by itself: LibreOffice fits no row to its text when it opens a
/// workbook, and Excel fits none that has a height.
const ANSWER_ROW: f64 = 372.0;

/// Rows of the labelled cells, zero-based, for tests and documentation.
pub const COUNTRY_ROW: u32 = 7;
pub const FIRST_QUESTION_ROW: u32 = 13;

/// Builds the template workbook for `query`, the country filled in when
/// given; `page`, the name of the checking page sent with it, which its
/// instructions name.
pub fn build(
    query: &Query,
    country: Option<&Country>,
    countries: &[&Country],
    page: Option<&str>,
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let network = query.network;
    let title = format!("Ad-Hoc Query on {}", query.title);
    let d = query.requested_on;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{title}: response template"))
            .set_subject(format!("Response to the {} ad-hoc query", network.name))
            .set_comment("Made by ahq")
            // Fixed, so the same query always gives the same file.
            .set_creation_datetime(&ExcelDateTime::from_ymd(d.year, d.month, d.day)?),
    );

    let bold = Format::new().set_bold();
    let heading = Format::new().set_bold().set_font_size(14);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let label = Format::new().set_bold().set_align(FormatAlign::Top);
    let input = Format::new()
        .set_unlocked()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin)
        .set_background_color("#FFFFFF");
    let date_input = input.clone().set_num_format("yyyy-mm-dd");
    let note = Format::new()
        .set_italic()
        .set_text_wrap()
        .set_align(FormatAlign::Top);

    let ws = wb.add_worksheet();
    ws.set_name("Response")?;
    for (col, width) in WIDTHS.iter().enumerate() {
        ws.set_column_width(col as u16, *width)?;
    }

    ws.merge_range(0, 0, 0, 2, &title, &heading)?;
    let requester = format!(
        "Requested by {} {} {} on {}",
        query.requested_by.name,
        network.name,
        network.contact_point,
        long_date(d)
    );
    ws.merge_range(1, 0, 1, 2, &requester, &bold)?;
    let mut line = Vec::new();
    if let Some(r) = &query.reference {
        line.push(format!("Reference {r}"));
    }
    if let Some(dl) = query.deadline {
        line.push(format!("Please reply by {}", long_date(dl)));
    }
    ws.merge_range(2, 0, 2, 2, &line.join(". "), &Format::new())?;
    // Merged cells never grow with their text: their rows are as tall as
    // the text the template holds, line breaks and wrapping counted.
    let text = instructions(network, query.deadline, page);
    ws.merge_range(3, 0, 3, 2, &text, &note)?;
    ws.set_row_height(3, height_for(&text, WIDTHS.iter().sum()))?;
    if let Some(bg) = &query.background {
        // As the compilations show it: a line break typed in query.toml is a
        // space, a blank line a new paragraph.
        let bg = crate::render::paragraphs(bg).join("\n\n");
        ws.write_string_with_format(5, 0, "Background", &label)?;
        ws.merge_range(5, 1, 5, 2, &bg, &wrap)?;
        ws.set_row_height(5, height_for(&bg, WIDTHS[1] + WIDTHS[2]))?;
    }

    ws.write_string_with_format(COUNTRY_ROW, 0, "Country", &label)?;
    match country {
        Some(c) => ws.write_string_with_format(COUNTRY_ROW, 1, &c.name, &input)?,
        None => ws.write_blank(COUNTRY_ROW, 1, &input)?,
    };
    let list = format!("={}!$D$1:$D${}", META_SHEET, countries.len().max(1));
    ws.add_data_validation(
        COUNTRY_ROW,
        1,
        COUNTRY_ROW,
        1,
        &DataValidation::new()
            .allow_list_formula(Formula::new(list))
            .set_error_style(DataValidationErrorStyle::Information)
            .set_input_title("Country")?
            .set_input_message("Choose your country from the list.")?,
    )?;
    ws.write_string_with_format(COUNTRY_ROW + 1, 0, "Contact", &label)?;
    ws.write_blank(COUNTRY_ROW + 1, 1, &input)?;
    ws.write_string_with_format(COUNTRY_ROW + 2, 0, "Date", &label)?;
    ws.write_blank(COUNTRY_ROW + 2, 1, &date_input)?;
    ws.write_string_with_format(COUNTRY_ROW + 3, 0, "Wider Dissemination?", &label)?;
    ws.write_string_with_format(COUNTRY_ROW + 3, 1, "Yes", &input)?;
    ws.add_data_validation(
        COUNTRY_ROW + 3,
        1,
        COUNTRY_ROW + 3,
        1,
        &DataValidation::new()
            .allow_list_strings(&["Yes", "No"])?
            .set_input_title("Wider dissemination")?
            .set_input_message(format!(
                "Yes (the default): your response may be shared beyond the {0} {1}s. \
                 No: members only; the compilation for wider dissemination shows a standard statement instead.",
                network.name, network.contact_point
            ))?,
    )?;

    ws.write_string_with_format(FIRST_QUESTION_ROW - 1, 0, "No.", &bold)?;
    ws.write_string_with_format(FIRST_QUESTION_ROW - 1, 1, "Question", &bold)?;
    ws.write_string_with_format(FIRST_QUESTION_ROW - 1, 2, "Your answer", &bold)?;
    for (i, q) in query.questions.iter().enumerate() {
        let row = FIRST_QUESTION_ROW + i as u32;
        ws.write_string_with_format(row, 0, &q.id, &label)?;
        let text = crate::render::question_text(q);
        ws.write_string_with_format(row, 1, &text, &wrap)?;
        ws.write_blank(row, 2, &input)?;
        // As tall as the question, and room for an answer of 300 words.
        // Rows may be resized under the protection, for a longer answer.
        ws.set_row_height(row, height_for(&text, WIDTHS[1]).max(ANSWER_ROW))?;
    }
    // Printed on A4, the three columns on one page width, the questions'
    // heading on every page.
    const A4: u8 = 9;
    ws.set_paper_size(A4);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(FIRST_QUESTION_ROW - 1, FIRST_QUESTION_ROW - 1)?;
    // Only the white cells take text; rows and columns may be resized, so
    // that a contact can always see the whole of an answer.
    ws.protect_with_options(&ProtectionOptions {
        format_rows: true,
        format_columns: true,
        ..ProtectionOptions::default()
    });
    ws.set_active(true);

    // The hidden sheet: key/value pairs in A:B, the country list in D.
    let meta = wb.add_worksheet();
    meta.set_name(META_SHEET)?;
    let mut pairs: Vec<(String, String)> = [
        ("ahq template", env!("CARGO_PKG_VERSION").to_string()),
        ("reference", query.reference.clone().unwrap_or_default()),
        ("fingerprint", query.fingerprint()),
        ("title", query.title.clone()),
        ("requested_by", query.requested_by.code.clone()),
    ]
    .map(|(k, v)| (k.to_string(), v))
    .into();
    // The whole query, so the file alone can be validated (`ahq validate
    // FILE`, the web page): `query::embedded` reads it back.
    pairs.extend(query.carried_pairs());
    for (row, (k, v)) in pairs.iter().enumerate() {
        meta.write_string(row as u32, 0, k)?;
        meta.write_string(row as u32, 1, v)?;
    }
    for (row, c) in countries.iter().enumerate() {
        meta.write_string(row as u32, 3, &c.name)?;
    }
    meta.set_hidden(true);
    meta.protect();
    wb.save_to_buffer()
}
