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

/// An attribute by its local name ("w:val" and "w14:val" alike).
fn attr_local(e: &quick_xml::events::BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().into_inner() == name)
        .map(|a| a.value.to_string())
}

fn corrupt(e: impl std::fmt::Display) -> ReadError {
    ReadError::Corrupt {
        detail: e.to_string(),
    }
}

/// The paragraph styles that are headings or titles. Style ids are
/// translated ("berschrift1", "Titre1"), so a style is known by its
/// built-in English name ("heading 1", "Title") or its outline level.
fn heading_styles(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> std::collections::HashSet<String> {
    let mut out = std::collections::HashSet::new();
    let mut xml = String::new();
    let Ok(mut part) = zip.by_name("word/styles.xml") else {
        return out;
    };
    if part.read_to_string(&mut xml).is_err() {
        return out;
    }
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut id: Option<String> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().into_inner() {
                "style" => id = attr_local(&e, "styleId"),
                level @ ("name" | "outlineLvl") => {
                    let name = attr_local(&e, "val").unwrap_or_default().to_lowercase();
                    // Level 9 is Word's "body text".
                    let heading = (level == "outlineLvl" && name != "9")
                        || name.starts_with("heading")
                        || matches!(name.as_str(), "title" | "subtitle");
                    if heading && let Some(i) = &id {
                        out.insert(i.clone());
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

pub fn read(bytes: &[u8], limits: &Limits) -> Result<Workbook, ReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
    let headings = heading_styles(&mut zip);
    let mut heading = false;
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .map_err(corrupt)?
        .read_to_string(&mut xml)
        .map_err(corrupt)?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    // Tables may nest (a table in a cell): the innermost is the one filled.
    let mut tables: Vec<Vec<Vec<String>>> = Vec::new();
    let mut done: Vec<Vec<Vec<String>>> = Vec::new();
    let mut outside: Vec<(String, bool)> = Vec::new();
    let mut paragraph = String::new();
    let mut in_text = false;
    let mut cells = 0usize;
    // What a person does not see: runs in Word's hidden font (w:vanish),
    // the fallback copy of a drawing (mc:Fallback repeats mc:Choice), and
    // placeholder text of an empty content control (w:showingPlcHdr).
    let mut hidden_run = false;
    let mut in_run = false;
    let mut hidden_text = String::new();
    let mut hidden: Vec<String> = Vec::new();
    let mut fallback = 0usize;
    let mut depth = 0usize;
    let mut controls: Vec<(usize, bool)> = Vec::new();
    // A legacy form check box: its state, written as the glyph Word shows.
    let mut legacy_box: Option<bool> = None;
    let mut placeholder_text = String::new();
    let mut placeholders: Vec<String> = Vec::new();
    loop {
        let event = reader.read_event().map_err(corrupt)?;
        if fallback > 0 {
            match &event {
                Event::Start(_) => fallback += 1,
                Event::End(_) => fallback -= 1,
                Event::Eof => break,
                _ => {}
            }
            continue;
        }
        if matches!(event, Event::End(_)) {
            depth = depth.saturating_sub(1);
        }
        let placeholder = controls.iter().any(|&(_, p)| p);
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                if !empty {
                    depth += 1;
                }
                let on = || !matches!(attr_local(e, "val").as_deref(), Some("0" | "false" | "off"));
                match e.local_name().into_inner() {
                    "Fallback" if !empty => fallback = 1,
                    "sdt" if !empty => controls.push((depth, false)),
                    "showingPlcHdr" if on() => {
                        if let Some(c) = controls.last_mut() {
                            c.1 = true;
                        }
                    }
                    "pStyle" => {
                        heading |= attr_local(e, "val").is_some_and(|v| headings.contains(&v))
                    }
                    "outlineLvl" => heading |= attr_local(e, "val").as_deref() != Some("9"),
                    "r" if !empty => {
                        in_run = true;
                        hidden_run = false;
                    }
                    "vanish" if in_run && on() => hidden_run = true,
                    "checkBox" if !empty => legacy_box = Some(false),
                    "default" if legacy_box.is_some() => legacy_box = Some(on()),
                    "checked" if legacy_box.is_some() => legacy_box = Some(on()),
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
            Event::Text(t) if in_text && placeholder => placeholder_text.push_str(t),
            Event::Text(t) if in_text => {
                if hidden_run {
                    hidden_text.push_str(t);
                } else {
                    paragraph.push_str(t);
                }
            }
            Event::GeneralRef(r) if in_text && !placeholder => {
                let c = match &**r {
                    "quot" => "\"",
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "apos" => "'",
                    _ => "",
                };
                if hidden_run {
                    hidden_text.push_str(c);
                } else {
                    paragraph.push_str(c);
                }
            }
            Event::End(e) => match e.local_name().into_inner() {
                "t" => in_text = false,
                "r" => {
                    in_run = false;
                    hidden_run = false;
                }
                "checkBox" => {
                    if let Some(checked) = legacy_box.take() {
                        paragraph.push(if checked { '☒' } else { '☐' });
                    }
                }
                "sdt" => {
                    controls.pop();
                    if !controls.iter().any(|&(_, p)| p) {
                        let t = std::mem::take(&mut placeholder_text);
                        if !t.trim().is_empty() {
                            placeholders.push(t);
                        }
                    }
                }
                "p" => {
                    let h = std::mem::take(&mut hidden_text);
                    if !h.trim().is_empty() {
                        hidden.push(h);
                    }
                    let text = std::mem::take(&mut paragraph);
                    let was_heading = std::mem::take(&mut heading);
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
                            outside.push((text, was_heading));
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
        sheets.push(
            Sheet::new(format!("Table {}", i + 1), true, cells)
                .in_word(super::Part::WordTable(i as u32 + 1)),
        );
    }
    // A Yes, a No or a check box may be the flag: never taken for a
    // heading, and never read or passed over when a person does not see it.
    let flag_like = |t: &str| {
        matches!(crate::dissemination::parse_flag(t.trim()), Ok(Some(_)))
            || crate::dissemination::has_boxes(t)
    };
    // A heading that holds a yes/no word ("Wider dissemination: No") is
    // read as text that may be the flag: it is never passed over.
    let holds_flag_word = |t: &str| {
        crate::text::key(t)
            .split(' ')
            .any(|w| crate::vocabulary::flag_words().meaning(w).is_some())
    };
    if !outside.is_empty() {
        let cells = outside
            .into_iter()
            .enumerate()
            .map(|(r, (t, heading))| Cell {
                heading: heading && !flag_like(&t) && !holds_flag_word(&t),
                ..Cell::new(r as u32, 0, t)
            })
            .collect();
        // Text around the tables: titles and notes, never answers' labels
        // unless the document has no table at all.
        sheets.push(Sheet::new("Text", true, cells).in_word(super::Part::WordText));
    }
    // Hidden text is never compiled, never passed over in silence, and
    // searched for restriction wording with the rest.
    let mut notes = Vec::new();
    for h in &hidden {
        let quoted = crate::text::first_line(h.trim(), 60);
        notes.push(if flag_like(h) {
            crate::record::Finding::error(
                format!(
                    "the document holds \"{quoted}\" in Word's hidden font, which may be the \
                     wider-dissemination answer a person does not see: unhide it (select it and \
                     clear Font > Hidden) or delete it, then check again"
                ),
                None,
            )
        } else {
            crate::record::Finding::warning(
                format!(
                    "the document holds text in Word's hidden font (\"{quoted}\"): it is not \
                     compiled; if it is part of your answer, select it and clear Font > Hidden"
                ),
                None,
            )
        });
    }
    for p in &placeholders {
        let quoted = crate::text::first_line(p.trim(), 60);
        notes.push(if flag_like(p) {
            crate::record::Finding::error(
                format!(
                    "a content control still marked as showing its placeholder holds \
                     \"{quoted}\": type the answer into it (or delete it), then check again"
                ),
                None,
            )
        } else {
            crate::record::Finding::info(
                format!("placeholder text of an empty content control (\"{quoted}\"): no answer"),
                None,
            )
        });
    }
    let aside = |place: &str, text: String| super::asides::Aside {
        layer: super::asides::Layer::Hidden,
        place: place.into(),
        text,
    };
    let asides = hidden
        .into_iter()
        .map(|t| aside("text in Word's hidden font", t))
        .chain(
            placeholders
                .into_iter()
                .map(|t| aside("placeholder text of a content control", t)),
        )
        .collect();
    Ok(Workbook {
        format: Format::Docx,
        sheets,
        notes,
        modified: None,
        ahq_meta: None,
        asides,
    })
}
