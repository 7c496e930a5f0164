//! The compilation as a Word document, laid out as the network publishes
//! its compilations (the seed): the cover lines, the disclaimer, the
//! background and the questions, then one table, Country | Wider
//! Dissemination? | Response, each response a run of numbered paragraphs.
//!
//! Built with docx-rs; two things it cannot say are set in its XML parts
//! before they are zipped: the table's repeated header row (`w:tblHeader`)
//! and the document properties (title, subject, keywords, fixed dates).

use super::{Cover, Properties, paragraphs, question_heading, skipped_lines};
use crate::compile::Compilation;
use crate::error::{Error, Result};
use crate::policy::{Cell, Row};
use crate::templates::{self, fill_with, labels};
use docx_rs::{
    AlignmentType, BreakType, Docx, Footer, Footnote, LineSpacing, NumPages, PageMargin, PageNum,
    Paragraph, Run, RunFonts, Shading, ShdType, SpecialIndentType, Style, StyleType, Table,
    TableCell, TableCellMargins, TableLayoutType, TableRow, VAlignType, WidthType,
};
use std::borrow::Cow;

/// A4 in twentieths of a point (the network works on A4).
const PAGE_W: u32 = 11906;
const PAGE_H: u32 = 16838;
/// 2 cm on every side: room for binding and notes, as office documents have.
const MARGIN: i32 = 1134;
/// The table fills the text width: Country | Wider Dissemination? | Response;
/// the middle one fits "Dissemination?" in bold on one line.
const COLUMNS: [usize; 3] = [
    1650,
    1800,
    PAGE_W as usize - 2 * MARGIN as usize - 1650 - 1800,
];
/// Where a numbered answer's text starts, after its number.
const HANGING: i32 = 567;
/// Half-points: 11 pt text, 10 pt in the table, 9 pt notes and footer.
const BODY: usize = 22;
const TABLE: usize = 20;
const SMALL: usize = 18;
/// A font every office suite has, or has a metric twin of (Liberation Sans).
const FONT: &str = "Arial";
/// The header row's shading: light grey, legible when printed in black.
const HEADER_FILL: &str = "D9D9D9";
/// The dissemination rule's footnote (the only one).
const RULE_NOTE: usize = 1;
/// Twentieths of a point: the space after the cover's title (18 pt) and
/// after each of its date lines (9 pt), so that the lines stand apart as
/// in the seed; and before a heading that follows a table (18 pt), which
/// would otherwise touch the table's last row.
const AFTER_TITLE: u32 = 360;
const AFTER_COVER_LINE: u32 = 180;
const BEFORE_HEADING: u32 = 360;
/// Before any other section heading (12 pt), and after the audience line.
const BEFORE_SECTION: u32 = 240;

/// Renders `c` as a .docx file's bytes.
pub fn render(c: &Compilation<'_>) -> Result<Vec<u8>> {
    // docx-rs numbers paragraphs from a counter per thread, set back to 1
    // only when a document is built: building an empty one first starts this
    // one at 1 whatever this thread did before (the core starts no thread),
    // so the same input gives the same bytes.
    let _ = Docx::new().build();
    render_here(c)
}

fn render_here(c: &Compilation<'_>) -> Result<Vec<u8>> {
    let l = labels();
    let net = c.query.network;
    let cover = Cover::of(c);
    let mut doc = styled(Docx::new())
        .page_size(PAGE_W, PAGE_H)
        .page_margin(
            PageMargin::new()
                .top(MARGIN)
                .bottom(MARGIN)
                .left(MARGIN)
                .right(MARGIN)
                .header(567)
                .footer(567),
        )
        .footer(footer(&fill_with(&l.document.page, net, &[])));

    // Spacing set on the paragraphs themselves, not only in their styles:
    // every reader honours it (and python-docx reads it back).
    doc = doc.add_paragraph(
        para(&cover.title)
            .style("Title")
            .line_spacing(LineSpacing::new().before(0).after(AFTER_TITLE)),
    );
    let centred = |text: &str| {
        para(text)
            .align(AlignmentType::Center)
            .line_spacing(LineSpacing::new().before(0).after(AFTER_COVER_LINE))
    };
    if let Some(r) = &cover.reference {
        doc = doc.add_paragraph(centred(r));
    }
    doc = doc
        .add_paragraph(centred(&cover.requested))
        .add_paragraph(centred(&cover.produced))
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .line_spacing(LineSpacing::new().before(0).after(BEFORE_SECTION))
                .add_run(run(&cover.audience).bold()),
        )
        .add_paragraph(para(&cover.responses))
        .add_paragraph(disclaimer(&cover.disclaimer));

    if let Some(bg) = &c.query.background {
        doc = doc.add_paragraph(para(&l.cover.background).style("Heading1"));
        for p in paragraphs(bg) {
            doc = doc.add_paragraph(justified(&p));
        }
    }
    for q in &c.query.questions {
        doc = doc.add_paragraph(numbered(&question_heading(q), TextSize::Body));
    }

    let glance = super::Glance::of(c);
    doc = doc.add_paragraph(para(&glance.heading).style("Heading1").keep_next(true));
    for (heading, lines) in &glance.parts {
        doc = doc.add_paragraph(
            Paragraph::new()
                .add_run(run(heading).bold())
                .keep_next(true),
        );
        for line in lines {
            doc = doc.add_paragraph(para(line));
        }
    }
    doc = doc.add_paragraph(Paragraph::new().add_run(run(&glance.note).italic()));

    doc = doc.add_paragraph(
        para(&l.cover.responses_heading)
            .style("Heading1")
            .keep_next(true),
    );
    doc = doc.add_table(responses_table(c));

    let skipped = skipped_lines(c);
    if !skipped.is_empty() {
        doc = doc.add_paragraph(after_table(&l.cover.skipped));
        for line in &skipped {
            doc = doc.add_paragraph(para(line));
        }
    }

    if let Some(ch) = &c.changes {
        // After the table, or after the list above (space before is room
        // between sections either way).
        doc = doc.add_paragraph(after_table(&super::changes_heading(ch)));
        for (country, change) in super::change_lines(ch) {
            let p = if country.is_empty() {
                para(&change)
            } else {
                Paragraph::new()
                    .add_run(run(&format!("{country}: ")).bold())
                    .add_run(run(&change))
            };
            doc = doc.add_paragraph(p);
        }
    }

    let mut xml = doc.build();
    xml.doc_props.core = core_properties(c).into_bytes();
    xml.document = repeat_header_row(&xml.document)?;
    xml.styles = default_normal_style(&xml.styles)?;
    let mut bytes = std::io::Cursor::new(Vec::new());
    xml.pack(&mut bytes).map_err(|e| Error::Render {
        output: format!("compilation-{}.docx", c.audience.file_word()),
        message: e.to_string(),
    })?;
    Ok(bytes.into_inner())
}

/// Word's built-in styles by their built-in names ("heading 1"), so that
/// Word's navigation pane and LibreOffice's navigator list the sections.
fn styled(doc: Docx) -> Docx {
    let fonts = || RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT);
    doc.default_fonts(fonts())
        .default_size(BODY)
        .default_line_spacing(LineSpacing::new().after(120).line(264))
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .based_on("Normal")
                .size(32)
                .bold()
                .align(AlignmentType::Center),
        )
        .add_style(
            Style::new("Heading1", StyleType::Paragraph)
                .name("heading 1")
                .based_on("Normal")
                .next("Normal")
                .size(28)
                .bold()
                // A section's heading apart from the text before it.
                .line_spacing(LineSpacing::new().before(BEFORE_SECTION).after(120))
                .outline_lvl(0),
        )
        .add_style(
            Style::new("Heading2", StyleType::Paragraph)
                .name("heading 2")
                .based_on("Normal")
                .next("Normal")
                .size(24)
                .bold()
                .outline_lvl(1),
        )
        // The page fields take the paragraph style's size, as the words do.
        .add_style(
            Style::new("Footer", StyleType::Paragraph)
                .name("footer")
                .based_on("Normal")
                .size(SMALL),
        )
        .add_style(
            Style::new("FootnoteText", StyleType::Paragraph)
                .name("footnote text")
                .based_on("Normal")
                .size(SMALL),
        )
        .add_style({
            let mut s =
                Style::new("FootnoteReference", StyleType::Character).name("footnote reference");
            s.run_property = s
                .run_property
                .vert_align(docx_rs::VertAlignType::SuperScript);
            s
        })
}

/// Text as an output may hold it: an unsafe character shown as its escape
/// (names and reasons quoted; answers come tidied of them already), and so
/// is a character XML 1.0 cannot carry (a form feed, U+FFFE), which would
/// make the whole document unreadable.
fn safe(text: &str) -> Cow<'_, str> {
    let text = crate::text::escape_unsafe(text);
    let xml_invalid = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
    };
    if !text.chars().any(xml_invalid) {
        return text;
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if xml_invalid(c) {
                    format!("\\u{{{:x}}}", c as u32)
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

fn run(text: &str) -> Run {
    Run::new().add_text(safe(text))
}

/// One paragraph; a line break in the text stays a line break.
fn para(text: &str) -> Paragraph {
    let mut p = Paragraph::new();
    for (i, line) in text.split('\n').enumerate() {
        let mut r = run(line);
        if i > 0 {
            r = Run::new()
                .add_break(BreakType::TextWrapping)
                .add_text(safe(line));
        }
        p = p.add_run(r);
    }
    p
}

/// A paragraph of the background, justified as in the seed.
fn justified(text: &str) -> Paragraph {
    para(text).align(AlignmentType::Both)
}

/// A heading that follows the responses table, set apart from it.
fn after_table(text: &str) -> Paragraph {
    para(text)
        .style("Heading1")
        .keep_next(true)
        .line_spacing(LineSpacing::new().before(BEFORE_HEADING).after(120))
}

/// "Disclaimer: The following …", the word before the colon underlined as
/// in the seed.
fn disclaimer(text: &str) -> Paragraph {
    let p = Paragraph::new()
        .align(AlignmentType::Both)
        .size(TABLE)
        .italic();
    match text.split_once(": ") {
        Some((head, rest)) if head.len() <= 20 => p
            .add_run(run(head).underline("single").italic().size(TABLE))
            .add_run(run(&format!(": {rest}")).italic().size(TABLE)),
        _ => p.add_run(run(text).italic().size(TABLE)),
    }
}

#[derive(Clone, Copy)]
enum TextSize {
    Body,
    Table,
}

/// "1.\tText": a number, then the text hanging after it; the text's own
/// lines as breaks in the same paragraph.
fn numbered(text: &str, size: TextSize) -> Paragraph {
    let (number, rest) = match text.split_once(". ") {
        Some((n, rest)) if !n.is_empty() && n.len() <= 24 => (format!("{n}."), rest),
        _ => (String::new(), text),
    };
    numbered_parts(&number, rest, size)
}

fn numbered_parts(number: &str, text: &str, size: TextSize) -> Paragraph {
    let half_points = match size {
        TextSize::Body => BODY,
        TextSize::Table => TABLE,
    };
    let mut p = Paragraph::new().indent(
        Some(HANGING),
        Some(SpecialIndentType::Hanging(HANGING)),
        None,
        None,
    );
    if !number.is_empty() {
        p = p.add_run(run(number).bold().size(half_points).add_tab());
    } else {
        p = p.indent(Some(0), None, None, None);
    }
    for (i, line) in text.split('\n').enumerate() {
        let mut r = Run::new().size(half_points);
        if i > 0 {
            r = r.add_break(BreakType::TextWrapping);
        }
        p = p.add_run(r.add_text(safe(line)));
    }
    p
}

/// The responses table: a header row repeated on every page, then a row per
/// country; rows may break across pages (long answers would otherwise leave
/// pages half empty).
fn responses_table(c: &Compilation<'_>) -> Table {
    let l = labels();
    let net = c.query.network;
    let rule = fill_with(
        &l.document.dissemination_rule,
        net,
        &[("statement", &templates::statement(net))],
    );
    let note = Footnote {
        id: RULE_NOTE,
        content: vec![
            Paragraph::new()
                .style("FootnoteText")
                .add_run(run(&rule).size(SMALL)),
        ],
    };
    let head = |p: Paragraph| {
        TableCell::new()
            .shading(Shading::new().shd_type(ShdType::Clear).fill(HEADER_FILL))
            .vertical_align(VAlignType::Center)
            .add_paragraph(p)
    };
    let bold = |text: &str| Paragraph::new().add_run(run(text).bold().size(TABLE));
    let header = TableRow::new(vec![
        head(bold(&l.responses.country)),
        head(bold(&l.document.dissemination).add_run(Run::new().add_footnote_reference(note))),
        head(bold(&l.document.response)),
    ])
    // Only the header row may not split: see repeat_header_row.
    .cant_split();
    let mut rows = vec![header];
    for r in &c.rows {
        rows.push(TableRow::new(vec![
            TableCell::new().add_paragraph(bold(&r.name)),
            TableCell::new().add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .add_run(run(r.dissemination.label()).size(TABLE)),
            ),
            response_cell(c, r),
        ]));
    }
    let widths = COLUMNS.to_vec();
    let rows = rows
        .into_iter()
        .map(|row| {
            // Each cell's width said in the cell too: Word honours the grid,
            // LibreOffice the cells.
            let cells = row
                .cells
                .into_iter()
                .zip(&widths)
                .map(|(cell, w)| match cell {
                    docx_rs::TableRowChild::TableCell(tc) => {
                        docx_rs::TableRowChild::TableCell(tc.width(*w, WidthType::Dxa))
                    }
                })
                .collect();
            TableRow { cells, ..row }
        })
        .collect();
    Table::new(rows)
        .set_grid(widths)
        .layout(TableLayoutType::Fixed)
        .width(COLUMNS.iter().sum(), WidthType::Dxa)
        .margins(TableCellMargins::new().margin(60, 100, 60, 100))
}

/// A response's cell: the statement when it is withheld; else each answer
/// as a numbered paragraph (an answer given once for several questions
/// once, with their numbers), then other information.
fn response_cell(c: &Compilation<'_>, r: &Row) -> TableCell {
    let mut cell = TableCell::new();
    if r.withheld {
        return cell.add_paragraph(
            Paragraph::new().add_run(run(&templates::statement(c.query.network)).size(TABLE)),
        );
    }
    let ids: Vec<&str> = c
        .query
        .questions
        .iter()
        .map(|q| q.id.trim_end_matches('.'))
        .collect();
    let mut any = false;
    let mut i = 0;
    while i < r.cells.len() {
        let Cell::Answer { text, .. } = &r.cells[i] else {
            i += 1;
            continue;
        };
        // The questions this one text answers: those answered together
        // with it (SameAs), whether numbered "1./2. …" or one text for all.
        let first = c.query.questions[i].id.as_str();
        let together = (i..r.cells.len())
            .filter(|&k| k == i || matches!(&r.cells[k], Cell::SameAs { id, .. } if id == first));
        // One text for every question, written without numbers: as it came.
        let number = if r.one_text && i == 0 {
            String::new()
        } else {
            together
                .map(|k| format!("{}.", ids[k]))
                .collect::<Vec<_>>()
                .join(", ")
        };
        cell = cell.add_paragraph(numbered_parts(&number, text, TextSize::Table));
        any = true;
        i += 1;
    }
    if let Some(general) = &r.general {
        cell = cell.add_paragraph(
            Paragraph::new()
                .keep_next(true)
                .add_run(run(&labels().document.general).bold().size(TABLE)),
        );
        for p in general.split("\n\n") {
            cell = cell.add_paragraph(numbered_parts("", p, TextSize::Table));
        }
        any = true;
    }
    if !any {
        // A cell must hold a paragraph.
        cell = cell.add_paragraph(Paragraph::new());
    }
    cell
}

/// "Page 3 of 12", centred: the template's words around Word's fields.
fn footer(template: &str) -> Footer {
    let mut p = Paragraph::new()
        .style("Footer")
        .align(AlignmentType::Center);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let (before, after) = rest.split_at(start);
        if !before.is_empty() {
            p = p.add_run(run(before));
        }
        if let Some(tail) = after.strip_prefix("{page}") {
            p = p.add_page_num(PageNum::new());
            rest = tail;
        } else if let Some(tail) = after.strip_prefix("{pages}") {
            p = p.add_num_pages(NumPages::new());
            rest = tail;
        } else {
            p = p.add_run(run("{"));
            rest = &after[1..];
        }
    }
    if !rest.is_empty() {
        p = p.add_run(run(rest));
    }
    Footer::new().add_paragraph(p)
}

/// docProps/core.xml: title, subject and keywords from [`Properties`] (no
/// response text in them), dated the compilation day so that the same
/// input gives the same bytes.
fn core_properties(c: &Compilation<'_>) -> String {
    use quick_xml::escape::escape;
    let p = Properties::of(c);
    let d = c.compiled_on;
    let when = format!("{:04}-{:02}-{:02}T00:00:00Z", d.year, d.month, d.day);
    let description = p
        .comment
        .as_deref()
        .map(|c| format!("<dc:description>{}</dc:description>", escape(c)))
        .unwrap_or_default();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:subject>{}</dc:subject><cp:keywords>{}</cp:keywords>{description}<dc:creator>ahq</dc:creator><cp:lastModifiedBy>ahq</cp:lastModifiedBy><cp:revision>1</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified></cp:coreProperties>"#,
        escape(p.title.as_str()),
        escape(p.subject.as_str()),
        escape(p.keywords.as_str()),
    )
}

/// Marks the table's header row to repeat on every page. docx-rs has no
/// `tblHeader`; the header row is the only row written with `cantSplit`,
/// so the mark goes beside it.
fn repeat_header_row(document: &[u8]) -> Result<Vec<u8>> {
    const MARK: &str = "<w:cantSplit />";
    patch_once(
        "word/document.xml",
        document,
        MARK,
        "<w:cantSplit /><w:tblHeader />",
    )
}

/// Makes docx-rs's Normal style the default paragraph style (docx-rs cannot
/// say so), as Word's own documents have it: readers that look for the
/// default (python-docx) find it.
fn default_normal_style(styles: &[u8]) -> Result<Vec<u8>> {
    patch_once(
        "word/styles.xml",
        styles,
        r#"<w:style w:type="paragraph" w:styleId="Normal">"#,
        r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal">"#,
    )
}

/// `xml` with its one `from` replaced by `to`; an error when docx-rs wrote
/// it otherwise than expected (none, or more than one), never a silent miss.
fn patch_once(part: &str, xml: &[u8], from: &str, to: &str) -> Result<Vec<u8>> {
    let bad = |message: String| Error::Render {
        output: part.into(),
        message,
    };
    let text = std::str::from_utf8(xml).map_err(|e| bad(e.to_string()))?;
    if text.matches(from).count() != 1 {
        return Err(bad(format!("expected {from} once")));
    }
    Ok(text.replacen(from, to, 1).into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_xml_cannot_carry_are_shown_escaped() {
        assert_eq!(safe("a\u{c}b\u{fffe}c\td"), "a\\u{c}b\\u{fffe}c\td");
        assert!(matches!(safe("plain text"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_header_row_is_marked_once_or_not_at_all() {
        let one = repeat_header_row(b"<w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr>").unwrap();
        assert_eq!(
            String::from_utf8(one).unwrap(),
            "<w:tr><w:trPr><w:cantSplit /><w:tblHeader /></w:trPr></w:tr>"
        );
        assert!(repeat_header_row(b"<w:tr></w:tr>").is_err());
    }
}
