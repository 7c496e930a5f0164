//! Builds the response files of the shipped sample `samples/migration-partnerships/`.
//!
//! ```text
//! cargo run --example make-sample -- OUT_DIR
//! ```
//!
//! Reads `samples/source/migration-partnerships.toml` (the 18 responses of the seed compilation)
//! and `samples/migration-partnerships/query.toml` (question texts for the template layout), and
//! writes one file per country into `OUT_DIR/responses/`. Responses whose `format` is `ods` or
//! `xls` are written as `.xlsx` into `OUT_DIR/to-convert/<ext>/`, for `samples/make.sh` to convert
//! with LibreOffice. Output is deterministic: the same input gives byte-identical files.
//!
//! This example deliberately does not use the `ahq` library: it plays the member states.

use std::collections::BTreeMap;
use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet};
use serde::Deserialize;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

#[derive(Debug, Deserialize)]
struct Source {
    response: Vec<Response>,
}

#[derive(Debug, Deserialize)]
struct Response {
    code: String,
    country: String,
    dissemination: String,
    layout: String,
    format: String,
    file: String,
    #[serde(default)]
    response: Option<String>,
    #[serde(default)]
    answers: Option<BTreeMap<String, String>>,
    #[serde(default)]
    sheet: Option<String>,
    #[serde(default)]
    titles: Vec<String>,
    #[serde(default)]
    merge_titles: bool,
    #[serde(default)]
    label_column: Option<String>,
    #[serde(default)]
    dissemination_label: Option<String>,
    #[serde(default)]
    extra_sheet: Option<String>,
    #[serde(default)]
    hidden_sheet: Option<String>,
    #[serde(default)]
    delimiter: Option<String>,
    #[serde(default)]
    bom: bool,
    #[serde(default)]
    crlf: bool,
}

#[derive(Debug, Deserialize)]
struct Query {
    title: String,
    requested_by: String,
    questions: Vec<Question>,
}

#[derive(Debug, Deserialize)]
struct Question {
    id: String,
    text: String,
}

/// One cell of the layout grid, before it is written to xlsx or csv.
#[derive(Clone, Debug)]
enum Cell {
    Empty,
    /// A title cell (bold in xlsx).
    Title(String),
    /// A label or header cell (bold in xlsx).
    Label(String),
    /// A plain value.
    Value(String),
    /// A long answer text (wrapped in xlsx).
    Long(String),
    /// A date (a real date cell in xlsx; ISO text in csv).
    Date(u16, u8, u8),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Title(s) | Cell::Label(s) | Cell::Value(s) | Cell::Long(s) => s.clone(),
            Cell::Date(y, m, d) => format!("{y:04}-{m:02}-{d:02}"),
        }
    }
}

/// The rows of a sheet, plus which title rows to merge and how wide the sheet is.
struct Grid {
    rows: Vec<Vec<Cell>>,
    /// Rows (0-based) whose first cell is a title to merge across `width` columns.
    merged: Vec<usize>,
    width: u16,
    /// Column (0-based) holding long texts.
    long_col: u16,
}

/// Write the shipped sample's response files from samples/source/.
///
/// Example:
///   cargo run --example make-sample -- /tmp/sample   (samples/make.sh does this)
#[derive(clap::Parser)]
#[command(verbatim_doc_comment)]
struct Args {
    /// The folder to write (responses/ inside it).
    out: PathBuf,
}

fn main() -> Result<()> {
    let out = <Args as clap::Parser>::parse().out;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source: Source = toml::from_str(&fs::read_to_string(
        root.join("samples/source/migration-partnerships.toml"),
    )?)?;
    let query: Query = toml::from_str(&fs::read_to_string(
        root.join("samples/migration-partnerships/query.toml"),
    )?)?;

    let responses_dir = out.join("responses");
    fs::create_dir_all(&responses_dir)?;
    for r in &source.response {
        let grid = match r.layout.as_str() {
            "two-column" => two_column(r)?,
            "table" => table(r)?,
            "template" => template(r, &query)?,
            other => return Err(format!("{}: unknown layout {other:?}", r.code).into()),
        };
        match r.format.as_str() {
            "csv" => write_csv(r, &grid, &responses_dir.join(&r.file))?,
            "xlsx" => write_xlsx(r, &grid, &responses_dir.join(&r.file))?,
            "ods" | "xls" => {
                let dir = out.join("to-convert").join(&r.format);
                fs::create_dir_all(&dir)?;
                let stem = r
                    .file
                    .strip_suffix(&format!(".{}", r.format))
                    .ok_or_else(|| format!("{}: file name must end in .{}", r.code, r.format))?;
                write_xlsx(r, &grid, &dir.join(format!("{stem}.xlsx")))?;
            }
            other => return Err(format!("{}: unknown format {other:?}", r.code).into()),
        }
        println!("{:2}  {:10}  {:4}  {}", r.code, r.layout, r.format, r.file);
    }
    Ok(())
}

fn response_text(r: &Response) -> Result<String> {
    r.response
        .clone()
        .ok_or_else(|| format!("{}: layout {} needs `response`", r.code, r.layout).into())
}

fn title_rows(r: &Response, rows: &mut Vec<Vec<Cell>>, merged: &mut Vec<usize>) {
    for t in &r.titles {
        if t.is_empty() {
            rows.push(vec![]);
        } else {
            if r.merge_titles {
                merged.push(rows.len());
            }
            rows.push(vec![Cell::Title(t.clone())]);
        }
    }
}

/// Labels in one column, values in the next; the whole response in one cell.
fn two_column(r: &Response) -> Result<Grid> {
    let offset = match r.label_column.as_deref().unwrap_or("A") {
        "A" => 0,
        "B" => 1,
        other => return Err(format!("{}: label_column {other:?}", r.code).into()),
    };
    let (mut rows, mut merged) = (vec![], vec![]);
    title_rows(r, &mut rows, &mut merged);
    let pad = |mut v: Vec<Cell>| {
        for _ in 0..offset {
            v.insert(0, Cell::Empty);
        }
        v
    };
    let flag_label = r
        .dissemination_label
        .clone()
        .unwrap_or("Wider Dissemination?".into());
    rows.push(pad(vec![
        Cell::Label("Country".into()),
        Cell::Value(r.country.clone()),
    ]));
    rows.push(pad(vec![
        Cell::Label(flag_label),
        Cell::Value(r.dissemination.clone()),
    ]));
    rows.push(pad(vec![
        Cell::Label("Response".into()),
        Cell::Long(response_text(r)?),
    ]));
    Ok(Grid {
        rows,
        merged,
        width: offset as u16 + 2,
        long_col: offset as u16 + 1,
    })
}

/// A header row "Country | Wider Dissemination | Response", then the country's row.
fn table(r: &Response) -> Result<Grid> {
    let (mut rows, mut merged) = (vec![], vec![]);
    title_rows(r, &mut rows, &mut merged);
    rows.push(vec![
        Cell::Label("Country".into()),
        Cell::Label("Wider Dissemination".into()),
        Cell::Label("Response".into()),
    ]);
    rows.push(vec![
        Cell::Value(r.country.clone()),
        Cell::Value(r.dissemination.clone()),
        Cell::Long(response_text(r)?),
    ]);
    Ok(Grid {
        rows,
        merged,
        width: 3,
        long_col: 2,
    })
}

/// The per-question template: metadata block, then one row per question.
fn template(r: &Response, q: &Query) -> Result<Grid> {
    let answers = r
        .answers
        .as_ref()
        .ok_or_else(|| format!("{}: layout template needs `answers`", r.code))?;
    let mut rows = vec![
        vec![Cell::Title(format!("EMN Ad-Hoc Query on {}", q.title))],
        vec![Cell::Title(format!(
            "Requested by {} EMN NCP on 26 July 2010",
            q.requested_by
        ))],
        vec![],
        vec![
            Cell::Label("Country".into()),
            Cell::Value(r.country.clone()),
        ],
        vec![
            Cell::Label("Contact".into()),
            Cell::Value("placeholder contact".into()),
        ],
        vec![Cell::Label("Date".into()), Cell::Date(2010, 8, 20)],
        vec![
            Cell::Label("Wider dissemination?".into()),
            Cell::Value(r.dissemination.clone()),
        ],
        vec![],
        vec![
            Cell::Label("Question".into()),
            Cell::Empty,
            Cell::Label("Answer".into()),
        ],
    ];
    for question in &q.questions {
        let answer = answers
            .get(&question.id)
            .ok_or_else(|| format!("{}: no answer to question {}", r.code, question.id))?;
        rows.push(vec![
            Cell::Value(question.id.clone()),
            Cell::Long(question.text.clone()),
            Cell::Long(answer.clone()),
        ]);
    }
    Ok(Grid {
        rows,
        merged: vec![],
        width: 3,
        long_col: 2,
    })
}

fn write_csv(r: &Response, grid: &Grid, path: &Path) -> Result<()> {
    let delimiter = match r.delimiter.as_deref().unwrap_or(",") {
        d if d.len() == 1 => d.as_bytes()[0],
        d => return Err(format!("{}: delimiter {d:?}", r.code).into()),
    };
    let mut builder = csv::WriterBuilder::new();
    builder.delimiter(delimiter).flexible(true);
    if r.crlf {
        builder.terminator(csv::Terminator::CRLF);
    }
    let mut bytes = Vec::new();
    if r.bom {
        bytes.extend_from_slice("\u{feff}".as_bytes());
    }
    {
        let mut w = builder.from_writer(&mut bytes);
        // Like a spreadsheet's csv export: every row padded to the width of the sheet.
        for row in &grid.rows {
            let mut record: Vec<String> = row.iter().map(Cell::text).collect();
            record.resize(grid.width as usize, String::new());
            w.write_record(&record)?;
        }
        w.flush()?;
    }
    fs::write(path, bytes)?;
    Ok(())
}

fn write_xlsx(r: &Response, grid: &Grid, path: &Path) -> Result<()> {
    let mut wb = Workbook::new();
    // Fixed creation date and author: byte-identical output for the same input.
    let created = ExcelDateTime::from_ymd(2010, 8, 20)?.and_hms(9, 0, 0)?;
    wb.set_properties(
        &DocProperties::new()
            .set_author(format!("{} EMN NCP", r.code))
            .set_creation_datetime(&created),
    );

    let title = Format::new().set_bold().set_font_size(13);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let top = Format::new().set_align(FormatAlign::Top);
    let label = Format::new().set_bold().set_align(FormatAlign::Top);
    let date = Format::new()
        .set_num_format("dd/mm/yyyy")
        .set_align(FormatAlign::Left);

    let ws = wb.add_worksheet();
    ws.set_name(r.sheet.as_deref().unwrap_or("Sheet1"))?;
    for c in 0..grid.width {
        let width = if c == grid.long_col {
            100.0
        } else if r.layout == "template" && c == 1 {
            45.0
        } else {
            24.0
        };
        ws.set_column_width(c, width)?;
    }
    for (i, row) in grid.rows.iter().enumerate() {
        let i = i as u32;
        if grid.merged.contains(&(i as usize)) {
            ws.merge_range(i, 0, i, grid.width - 1, &row[0].text(), &title)?;
            continue;
        }
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Empty => {}
                Cell::Title(s) => {
                    ws.write_string_with_format(i, c, s, &title)?;
                }
                Cell::Label(s) => {
                    ws.write_string_with_format(i, c, s, &label)?;
                }
                Cell::Value(s) if s.is_empty() => {}
                Cell::Value(s) => {
                    ws.write_string_with_format(i, c, s, &top)?;
                }
                Cell::Long(s) => {
                    ws.write_string_with_format(i, c, s, &wrap)?;
                }
                Cell::Date(y, m, d) => {
                    ws.write_datetime_with_format(
                        i,
                        c,
                        ExcelDateTime::from_ymd(*y, *m, *d)?,
                        &date,
                    )?;
                }
            }
        }
    }

    if let Some(name) = &r.extra_sheet {
        notes_sheet(wb.add_worksheet(), name)?;
    }
    if let Some(name) = &r.hidden_sheet {
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        for (i, v) in ["Yes", "No"].iter().enumerate() {
            ws.write_string(i as u32, 0, *v)?;
        }
        ws.set_hidden(true);
    }
    wb.save(path)?;
    Ok(())
}

/// An irrelevant sheet a sender might leave in the workbook.
fn notes_sheet(ws: &mut Worksheet, name: &str) -> Result<()> {
    ws.set_name(name)?;
    ws.set_column_width(0, 80.0)?;
    let lines = [
        "Internal notes (not part of the reply)",
        "Draft checked by the Migration Department on 19 August 2010.",
        "Send to the Austrian EMN NCP by e-mail.",
    ];
    for (i, s) in lines.iter().enumerate() {
        ws.write_string(i as u32, 0, *s)?;
    }
    Ok(())
}
