//! Word documents (.docx): each table of the document is read as a sheet
//! (each row a row, each cell a cell, a cell's paragraphs its lines), so
//! that a response typed into a Word form is read by the same layouts as a
//! spreadsheet. Text outside tables (a title, a note) is read too, as a
//! sheet of its own paragraphs, one per row, so that restriction wording in
//! it is seen and nothing said is lost.
//!
//! The zip's parts were bounded by `guard::check_zip`; the XML is read with
//! the same reader as ods and xlsx, streaming.

use super::{Cell, Format, Limits, ReadError, Sheet, Workbook};
use quick_xml::events::Event;
use std::io::{Cursor, Read};

fn corrupt(e: impl std::fmt::Display) -> ReadError {
    ReadError::Corrupt {
        detail: e.to_string(),
    }
}

pub fn read(bytes: &[u8], limits: &Limits) -> Result<Workbook, ReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .map_err(corrupt)?
        .read_to_string(&mut xml)
        .map_err(corrupt)?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    // Tables may nest (a table in a cell): the innermost is the one filled.
    let mut tables: Vec<Vec<Vec<String>>> = Vec::new();
    let mut done: Vec<Vec<Vec<String>>> = Vec::new();
    let mut outside: Vec<String> = Vec::new();
    let mut paragraph = String::new();
    let mut in_text = false;
    let mut cells = 0usize;
    loop {
        let event = reader.read_event().map_err(corrupt)?;
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.local_name().into_inner() {
                    "tbl" if !empty => tables.push(Vec::new()),
                    "tr" if !empty => {
                        if let Some(t) = tables.last_mut() {
                            t.push(Vec::new());
                        }
                    }
                    "tc" if !empty => {
                        cells += 1;
                        if cells > limits.max_cells {
                            return Err(ReadError::TooManyCells {
                                sheet: "the document's tables".into(),
                                limit: limits.max_cells,
                            });
                        }
                        if let Some(row) = tables.last_mut().and_then(|t| t.last_mut()) {
                            row.push(String::new());
                        }
                    }
                    "t" => in_text = !empty,
                    "tab" => paragraph.push('\t'),
                    "br" | "cr" => paragraph.push('\n'),
                    _ => {}
                }
            }
            Event::Text(t) if in_text => paragraph.push_str(t),
            Event::GeneralRef(r) if in_text => paragraph.push_str(match &**r {
                "quot" => "\"",
                "amp" => "&",
                "lt" => "<",
                "gt" => ">",
                "apos" => "'",
                _ => "",
            }),
            Event::End(e) => match e.local_name().into_inner() {
                "t" => in_text = false,
                "p" => {
                    let text = std::mem::take(&mut paragraph);
                    match tables
                        .last_mut()
                        .and_then(|t| t.last_mut())
                        .and_then(|r| r.last_mut())
                    {
                        Some(cell) => {
                            if !cell.is_empty() {
                                cell.push('\n');
                            }
                            cell.push_str(&text);
                        }
                        None if !text.trim().is_empty() => {
                            if outside.len() >= limits.max_cells {
                                return Err(ReadError::TooManyCells {
                                    sheet: "the document's text".into(),
                                    limit: limits.max_cells,
                                });
                            }
                            outside.push(text);
                        }
                        None => {}
                    }
                }
                "tbl" => {
                    if let Some(t) = tables.pop() {
                        done.push(t);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    let mut sheets: Vec<Sheet> = Vec::new();
    for (i, table) in done.iter().enumerate() {
        let mut cells = Vec::new();
        for (r, row) in table.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                cells.push(Cell::new(r as u32, c as u32, text.clone()));
            }
        }
        sheets.push(Sheet::new(format!("Table {}", i + 1), true, cells));
    }
    if !outside.is_empty() {
        let cells = outside
            .into_iter()
            .enumerate()
            .map(|(r, t)| Cell::new(r as u32, 0, t))
            .collect();
        // Text around the tables: titles and notes, never answers' labels
        // unless the document has no table at all.
        sheets.push(Sheet::new("Text", true, cells));
    }
    Ok(Workbook {
        format: Format::Docx,
        sheets,
        notes: Vec::new(),
        modified: None,
        ahq_meta: None,
        asides: Vec::new(),
    })
}
