//! Reading around what calamine refuses in files that Excel and LibreOffice
//! open. Tried only after calamine has failed on the file as it is, so a
//! well-made file never takes these paths; each mend rewrites the package in
//! memory and says what it changed, and the mended bytes are read by the
//! same reader with the same limits.
//!
//! What is mended (each seen in real files, see tests/real_files.rs):
//! - xlsx: `<v>` values written with line breaks around the number
//!   (LibreOffice's "ooxml-strict" templates): calamine parses "\n0.7" as a
//!   number and stops;
//! - xlsx: a sheet whose relationship is missing, or that is an Excel 4.0
//!   macro sheet or a dialog sheet: calamine stops on the whole workbook; the
//!   sheet is left out, the others read, and the file is refused with an error
//!   naming it (it may hold the flag: fail closed);
//! - xlsx: a package relationship part (`_rels/.rels`) that is not XML;
//! - ods: XML indented between table elements (calamine expects a cell where
//!   it finds the indentation), and a `mimetype` that is not the first entry.

use super::{Limits, ReadError};
use quick_xml::events::Event;
use std::collections::HashMap;
use std::io::{Cursor, Read, Write};

/// A package rewritten so that calamine reads it, and what was changed.
pub struct Mended {
    pub bytes: Vec<u8>,
    /// Sheets left out, with why: each is said to the person.
    pub left_out: Vec<String>,
}

/// Every entry of a zip, in order, within the inflated-size limit (the
/// guards have checked the declared sizes; this counts what comes out).
fn entries(bytes: &[u8], limits: &Limits) -> Option<Vec<(String, Vec<u8>)>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut out = Vec::new();
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let f = zip.by_index(i).ok()?;
        if f.is_dir() {
            continue;
        }
        let name = f.name().ok()?.to_string();
        let mut data = Vec::new();
        let budget = limits.max_inflated_bytes.saturating_sub(total);
        f.take(budget.saturating_add(1))
            .read_to_end(&mut data)
            .ok()?;
        total += data.len() as u64;
        if total > limits.max_inflated_bytes {
            return None;
        }
        out.push((name, data));
    }
    Some(out)
}

fn write_zip(parts: &[(String, Vec<u8>)], stored_first: Option<&str>) -> Option<Vec<u8>> {
    use zip::write::SimpleFileOptions;
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let deflate = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let first = stored_first.and_then(|n| parts.iter().find(|(p, _)| p == n));
    for (name, data) in first.into_iter().chain(
        parts
            .iter()
            .filter(|(p, _)| Some(p.as_str()) != stored_first),
    ) {
        let options = if Some(name.as_str()) == stored_first {
            stored
        } else {
            deflate
        };
        w.start_file(name.as_str(), options).ok()?;
        w.write_all(data).ok()?;
    }
    Some(w.finish().ok()?.into_inner())
}

fn well_formed(xml: &[u8]) -> bool {
    let mut r = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut depth: i64 = 0;
    let mut seen = false;
    loop {
        match r.read_event_into(&mut buf) {
            Ok(Event::Start(_)) => {
                depth += 1;
                seen = true;
            }
            Ok(Event::Empty(_)) => seen = true,
            Ok(Event::End(_)) => depth -= 1,
            Ok(Event::Eof) => return seen && depth == 0,
            Ok(_) => {}
            Err(_) => return false,
        }
        buf.clear();
    }
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// Relationship id → (type, target) of a `.rels` part.
fn relationships(xml: &[u8]) -> HashMap<String, (String, String)> {
    let mut r = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out = HashMap::new();
    loop {
        match r.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e))
                if local(e.name().into_inner()) == "Relationship" =>
            {
                let mut id = String::new();
                let mut typ = String::new();
                let mut target = String::new();
                for a in e.attributes().flatten() {
                    let v = a.value.to_string();
                    match a.key.as_ref() {
                        "Id" => id = v,
                        "Type" => typ = v,
                        "Target" => target = v,
                        _ => {}
                    }
                }
                out.insert(id, (typ, target));
            }
            Ok(Event::Eof) | Err(_) => return out,
            Ok(_) => {}
        }
        buf.clear();
    }
}

const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

/// The xlsx package mended, or `None` when nothing here would help.
pub fn xlsx(bytes: &[u8], limits: &Limits) -> Option<Mended> {
    let mut parts = entries(bytes, limits)?;
    let has = |parts: &[(String, Vec<u8>)], n: &str| parts.iter().any(|(p, _)| p == n);
    if !has(&parts, "xl/workbook.xml") {
        return None;
    }
    let mut changed = false;
    let mut left_out = Vec::new();
    match parts.iter_mut().find(|(p, _)| p == "_rels/.rels") {
        Some((_, data)) if !well_formed(data) => {
            *data = PACKAGE_RELS.as_bytes().to_vec();
            changed = true;
        }
        Some(_) => {}
        None => {
            parts.push(("_rels/.rels".into(), PACKAGE_RELS.as_bytes().to_vec()));
            changed = true;
        }
    }
    let rels = parts
        .iter()
        .find(|(p, _)| p == "xl/_rels/workbook.xml.rels")
        .map(|(_, d)| relationships(d))
        .unwrap_or_default();
    // Part names as calamine matches them: any case, "\\" as "/".
    let fold = |n: &str| n.replace('\\', "/").to_lowercase();
    let names: Vec<String> = parts.iter().map(|(p, _)| fold(p)).collect();
    let target_exists = |target: &str| {
        let path = match target.strip_prefix('/') {
            Some(abs) => abs.to_string(),
            None => format!("xl/{target}"),
        };
        names.contains(&fold(&path))
    };
    let wb = parts.iter_mut().find(|(p, _)| p == "xl/workbook.xml")?;
    let (rewritten, dropped) = drop_sheets(&wb.1, |id| match rels.get(id) {
        None => Some("its part is missing from the workbook's relationships"),
        Some((typ, _)) if typ.ends_with("/xlMacrosheet") || typ.ends_with("/xlIntlMacrosheet") => {
            Some("an Excel 4.0 macro sheet")
        }
        Some((typ, _)) if typ.ends_with("/dialogsheet") => Some("an Excel 5.0 dialog sheet"),
        Some((_, target)) if !target_exists(target) => Some("its part is missing from the file"),
        _ => None,
    })?;
    if !dropped.is_empty() {
        wb.1 = rewritten;
        changed = true;
        left_out = dropped;
    }
    // Values written over several lines: the number is what is between.
    let v = regex::bytes::Regex::new(r"<v>\s+|\s+</v>").ok()?;
    for (name, data) in parts.iter_mut() {
        if name.starts_with("xl/worksheets/") && name.ends_with(".xml") && v.is_match(data) {
            *data = v
                .replace_all(data, |c: &regex::bytes::Captures<'_>| {
                    if c[0].starts_with(b"<") {
                        b"<v>".to_vec()
                    } else {
                        b"</v>".to_vec()
                    }
                })
                .into_owned();
            changed = true;
        }
    }
    if !changed {
        return None;
    }
    Some(Mended {
        bytes: write_zip(&parts, None)?,
        left_out,
    })
}

/// workbook.xml without the `<sheet>` entries `why` names a reason for:
/// the new XML and "NAME (why)" for each sheet left out.
fn drop_sheets(
    xml: &[u8],
    why: impl Fn(&str) -> Option<&'static str>,
) -> Option<(Vec<u8>, Vec<String>)> {
    let mut r = quick_xml::Reader::from_reader(xml);
    let mut w = quick_xml::Writer::new(Vec::new());
    let mut buf = Vec::new();
    let mut dropped = Vec::new();
    loop {
        let event = r.read_event_into(&mut buf).ok()?;
        match &event {
            Event::Eof => break,
            Event::Empty(e) | Event::Start(e) if local(e.name().into_inner()) == "sheet" => {
                let attr = |key: &str| {
                    e.attributes()
                        .flatten()
                        .find(|a| local(a.key.as_ref()) == key)
                        .map(|a| a.value.to_string())
                };
                let id = attr("id").unwrap_or_default();
                if let Some(reason) = why(&id) {
                    let name = attr("name").unwrap_or_default();
                    dropped.push(format!("\"{name}\" ({reason})"));
                    if matches!(event, Event::Start(_)) {
                        r.read_to_end_into(e.name(), &mut Vec::new()).ok()?;
                    }
                    buf.clear();
                    continue;
                }
            }
            _ => {}
        }
        w.write_event(event).ok()?;
        buf.clear();
    }
    Some((w.into_inner(), dropped))
}

const ODS_MIME: &str = "application/vnd.oasis.opendocument.spreadsheet";

/// The ods package with the indentation between table elements removed and
/// `mimetype` first, or `None` when nothing here would help.
pub fn ods(bytes: &[u8], limits: &Limits) -> Option<Mended> {
    let mut parts = entries(bytes, limits)?;
    let content = parts.iter_mut().find(|(p, _)| p == "content.xml")?;
    content.1 = without_table_indentation(&content.1)?;
    match parts.iter_mut().find(|(p, _)| p == "mimetype") {
        Some((_, m)) => *m = ODS_MIME.as_bytes().to_vec(),
        None => parts.push(("mimetype".into(), ODS_MIME.as_bytes().to_vec())),
    }
    Some(Mended {
        bytes: write_zip(&parts, Some("mimetype"))?,
        left_out: Vec::new(),
    })
}

/// content.xml without whitespace-only text directly inside table and
/// office elements, where it is only indentation (inside a paragraph,
/// `text:p`, spaces are the writer's and are kept).
fn without_table_indentation(xml: &[u8]) -> Option<Vec<u8>> {
    let mut r = quick_xml::Reader::from_reader(xml);
    let mut w = quick_xml::Writer::new(Vec::with_capacity(xml.len()));
    let mut buf = Vec::new();
    let mut open: Vec<String> = Vec::new();
    loop {
        let event = r.read_event_into(&mut buf).ok()?;
        match &event {
            Event::Eof => break,
            Event::Start(e) => open.push(e.name().into_inner().to_string()),
            Event::End(_) => {
                open.pop();
            }
            Event::Text(t) if t.chars().all(|c| c.is_ascii_whitespace()) => {
                let parent = open.last().map(String::as_str).unwrap_or("");
                if parent.starts_with("table:") || parent.starts_with("office:") {
                    buf.clear();
                    continue;
                }
            }
            _ => {}
        }
        w.write_event(event).ok()?;
        buf.clear();
    }
    Some(w.into_inner())
}

/// The first XML part of a package that is not well-formed, if one.
pub fn broken_xml(bytes: &[u8], limits: &Limits) -> Option<String> {
    entries(bytes, limits)?
        .into_iter()
        .find(|(name, data)| {
            (name.ends_with(".xml") || name.ends_with(".rels")) && !well_formed(data)
        })
        .map(|(name, _)| name)
}

/// What a mend left out, as the error a person reads: a sheet that is not
/// read may say "No" to wider dissemination, so the file is not compiled
/// until it is gone (fail closed); the other sheets are read and shown.
pub fn note(left_out: &[String]) -> Option<String> {
    (!left_out.is_empty()).then(|| {
        format!(
            "sheet {} cannot be read, and it may hold an answer, the wider-dissemination flag or a \
             restriction: copy anything it holds into a worksheet, delete it, save the workbook and \
             send it again (the other sheets are read)",
            left_out.join(", sheet ")
        )
    })
}

/// Keeps the first error when a mend does not help: it is the file's own.
/// A limit the mended file meets (too many sheets) is said as it is.
pub fn retry<T>(
    first: ReadError,
    mended: Option<Mended>,
    read: impl FnOnce(&[u8]) -> Result<T, ReadError>,
) -> Result<(T, Vec<String>), ReadError> {
    let Some(m) = mended else {
        return Err(first);
    };
    match read(&m.bytes) {
        Ok(v) => Ok((v, m.left_out)),
        Err(ReadError::Corrupt { .. }) => Err(first),
        Err(limit) => Err(limit),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_over_several_lines_are_trimmed_and_other_text_kept() {
        let mut parts = vec![
            (
                "xl/workbook.xml".to_string(),
                b"<workbook><sheets/></workbook>".to_vec(),
            ),
            (
                "xl/worksheets/sheet1.xml".to_string(),
                b"<c><v>\n0.7</v></c><c t=\"inlineStr\"><is><t> keep </t></is></c>".to_vec(),
            ),
        ];
        let bytes = write_zip(&parts, None).unwrap();
        let m = xlsx(&bytes, &Limits::default()).unwrap();
        parts = entries(&m.bytes, &Limits::default()).unwrap();
        let sheet = &parts.iter().find(|(p, _)| p.contains("sheet1")).unwrap().1;
        assert_eq!(
            String::from_utf8_lossy(sheet),
            "<c><v>0.7</v></c><c t=\"inlineStr\"><is><t> keep </t></is></c>"
        );
    }

    #[test]
    fn a_sheet_without_relationship_or_a_macro_sheet_is_left_out_and_named() {
        let wb = br#"<workbook xmlns:r="r"><sheets><sheet name="Answers" sheetId="1" r:id="rId1"/><sheet name="Macro1" sheetId="2" r:id="rId2"/><sheet name="Lost" sheetId="3" r:id="rId9"/></sheets></workbook>"#;
        let rels = br#"<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="x/xlMacrosheet" Target="macrosheets/sheet1.xml"/></Relationships>"#;
        let parts = vec![
            ("xl/workbook.xml".to_string(), wb.to_vec()),
            ("xl/_rels/workbook.xml.rels".to_string(), rels.to_vec()),
            (
                "xl/worksheets/sheet1.xml".to_string(),
                b"<worksheet/>".to_vec(),
            ),
            ("xl/macrosheets/sheet1.xml".to_string(), b"<xm/>".to_vec()),
            ("_rels/.rels".to_string(), b"CORRUPTED<?xml".to_vec()),
        ];
        let m = xlsx(&write_zip(&parts, None).unwrap(), &Limits::default()).unwrap();
        assert_eq!(m.left_out.len(), 2, "{:?}", m.left_out);
        assert!(m.left_out[0].contains("Macro1") && m.left_out[0].contains("macro sheet"));
        assert!(m.left_out[1].contains("Lost") && m.left_out[1].contains("relationships"));
        let out = entries(&m.bytes, &Limits::default()).unwrap();
        let wb =
            String::from_utf8_lossy(&out.iter().find(|(p, _)| p == "xl/workbook.xml").unwrap().1)
                .into_owned();
        assert!(wb.contains("Answers") && !wb.contains("Macro1") && !wb.contains("Lost"));
        let rels = &out.iter().find(|(p, _)| p == "_rels/.rels").unwrap().1;
        assert!(well_formed(rels));
    }

    #[test]
    fn ods_indentation_between_table_elements_goes_and_paragraph_spaces_stay() {
        let xml = b"<office:body><table:table>\n  <table:table-row>\n    <table:table-cell><text:p>a <text:s/> </text:p></table:table-cell>\n  </table:table-row>\n</table:table></office:body>";
        let out = without_table_indentation(xml).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out),
            "<office:body><table:table><table:table-row><table:table-cell><text:p>a <text:s/> </text:p></table:table-cell></table:table-row></table:table></office:body>"
        );
    }
}
