//! What a person does not see in a sheet, and calamine does not report:
//! hidden rows and columns (an older draft kept out of sight is not the
//! answer), and formulas saved without their result (openpyxl and other
//! generators write `=IF(…)` and leave the value to Excel; calamine reads
//! such a cell as empty, and a blank flag must not default to Yes).
//!
//! Read from the file's own records, in bounded passes: the zip parts were
//! bounded by `guard::check_zip`, and every range is kept as a range, so a
//! row "repeated" a million times costs nothing.

use super::guard::{Biff, attr, number};
use quick_xml::events::Event;
use std::collections::HashMap;
use std::io::{Cursor, Read};

/// One sheet's unseen parts. Rows and columns are 0-based, ranges inclusive.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Unseen {
    pub rows: Vec<(u64, u64)>,
    pub cols: Vec<(u64, u64)>,
    /// Cells holding a formula whose result was not saved: (row, col, formula).
    pub formulas: Vec<(u32, u32, String)>,
    /// Merged ranges: (first row, first column, last row, last column). The
    /// first cell's value is what a person sees over the whole range.
    pub merged: Vec<(u32, u32, u32, u32)>,
}

impl Unseen {
    pub fn hides(&self, row: u32, col: u32) -> bool {
        let within = |ranges: &[(u64, u64)], i: u32| {
            ranges
                .iter()
                .any(|&(a, b)| a <= u64::from(i) && u64::from(i) <= b)
        };
        within(&self.rows, row) || within(&self.cols, col)
    }
}

/// Unseen parts by sheet name.
pub type BySheet = HashMap<String, Unseen>;

/// Cap on formulas without a result remembered per sheet: a response has a
/// handful; the rest would only be said again.
const MAX_FORMULAS: usize = 1000;

/// "B3" as (row 2, col 1).
pub(super) fn cell_ref(r: &str) -> Option<(u32, u32)> {
    let letters = r.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = r[..letters].bytes().fold(0u32, |acc, b| {
        acc * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1)
    });
    let row: u32 = r[letters..].parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

/// "B2:C3" as (1, 1, 2, 2).
fn merged_range(r: &str) -> Option<(u32, u32, u32, u32)> {
    let (a, b) = r.split_once(':')?;
    let ((r0, c0), (r1, c1)) = (cell_ref(a)?, cell_ref(b)?);
    Some((r0.min(r1), c0.min(c1), r0.max(r1), c0.max(c1)))
}

fn truthy(v: Option<String>) -> bool {
    matches!(v.as_deref(), Some("1" | "true"))
}

fn read_part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<String> {
    let mut text = String::new();
    // check_zip has bounded what the parts inflate to.
    zip.by_name(name).ok()?.read_to_string(&mut text).ok()?;
    Some(text)
}

/// xlsx: `<row hidden="1">`, `<col hidden="1">`, and `<c>` with an `<f>`
/// but no `<v>`. Anything unreadable is left to calamine, which says what
/// is wrong: this returns what it could read.
pub fn xlsx(bytes: &[u8]) -> BySheet {
    let mut out = BySheet::new();
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return out;
    };
    let (Some(workbook), Some(rels)) = (
        read_part(&mut zip, "xl/workbook.xml"),
        read_part(&mut zip, "xl/_rels/workbook.xml.rels"),
    ) else {
        return out;
    };
    let mut targets: HashMap<String, String> = HashMap::new();
    for_each_start(&rels, |name, e| {
        if name.ends_with("Relationship")
            && let (Some(id), Some(target)) = (attr(e, "Id"), attr(e, "Target"))
        {
            let path = match target.strip_prefix('/') {
                Some(abs) => abs.to_string(),
                None => format!("xl/{target}"),
            };
            targets.insert(id, path);
        }
    });
    let mut sheets: Vec<(String, String)> = Vec::new();
    for_each_start(&workbook, |name, e| {
        if name == "sheet" || name.ends_with(":sheet") {
            let id = e
                .attributes()
                .flatten()
                .find(|a| {
                    let k = a.key.into_inner();
                    k.ends_with(":id")
                })
                .map(|a| a.value.to_string());
            if let (Some(sheet), Some(part)) =
                (attr(e, "name"), id.and_then(|i| targets.get(&i).cloned()))
            {
                sheets.push((sheet, part));
            }
        }
    });
    for (sheet, part) in sheets {
        if let Some(xml) = read_part(&mut zip, &part) {
            // Most sheets hide nothing and cache every formula: no second parse.
            if !xml.contains("hidden")
                && !xml.contains("<f")
                && !xml.contains(":f")
                && !xml.contains("mergeCell")
            {
                continue;
            }
            let unseen = xlsx_sheet(&xml);
            if unseen != Unseen::default() {
                out.insert(sheet, unseen);
            }
        }
    }
    out
}

fn xlsx_sheet(xml: &str) -> Unseen {
    let mut u = Unseen::default();
    let mut reader = quick_xml::Reader::from_str(xml);
    // The cell being read: where, whether it has a formula (and its text), a value.
    let mut cell: Option<((u32, u32), Option<String>, bool)> = None;
    let mut in_formula = false;
    let mut in_value = false;
    while let Ok(event) = reader.read_event() {
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.local_name().into_inner() {
                    "row" => {
                        if truthy(attr(e, "hidden"))
                            && let Some(r) = attr(e, "r").and_then(|r| r.parse::<u64>().ok())
                            && r > 0
                        {
                            u.rows.push((r - 1, r - 1));
                        }
                    }
                    "col" if truthy(attr(e, "hidden")) => {
                        let min = number(e, "min");
                        let max = number(e, "max").max(min);
                        u.cols.push((min - 1, max - 1));
                    }
                    "mergeCell" => {
                        if let Some(range) = attr(e, "ref").and_then(|r| merged_range(&r)) {
                            u.merged.push(range);
                        }
                    }
                    "c" if !empty => {
                        cell = attr(e, "r")
                            .and_then(|r| cell_ref(&r))
                            .map(|at| (at, None, false));
                    }
                    "f" => {
                        if let Some((_, f, _)) = cell.as_mut() {
                            *f = Some(String::new());
                        }
                        in_formula = !empty;
                    }
                    // A value counts when it holds text: `<v></v>` is none.
                    "v" | "t" => in_value = !empty,
                    _ => {}
                }
            }
            Event::Text(t) if in_value && !t.trim().is_empty() => {
                if let Some((_, _, v)) = cell.as_mut() {
                    *v = true;
                }
            }
            Event::GeneralRef(_) if in_value => {
                if let Some((_, _, v)) = cell.as_mut() {
                    *v = true;
                }
            }
            Event::Text(t) if in_formula => {
                if let Some((_, Some(f), _)) = cell.as_mut() {
                    f.push_str(t);
                }
            }
            // The formula's text is only shown to people: the five XML entities.
            Event::GeneralRef(r) if in_formula => {
                if let Some((_, Some(f), _)) = cell.as_mut() {
                    f.push_str(match &**r {
                        "quot" => "\"",
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "apos" => "'",
                        _ => "?",
                    });
                }
            }
            Event::End(e) => match e.local_name().into_inner() {
                "f" => in_formula = false,
                "v" | "t" => in_value = false,
                "c" => {
                    if let Some(((row, col), Some(f), false)) = cell.take()
                        && u.formulas.len() < MAX_FORMULAS
                    {
                        u.formulas.push((row, col, format!("={}", f.trim())));
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    u
}

/// Calls `f` with the local name and element of every start tag.
fn for_each_start(xml: &str, mut f: impl FnMut(&str, &quick_xml::events::BytesStart<'_>)) {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let name = e.name().into_inner().to_string();
                f(&name, &e);
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
}

/// ods: rows and columns whose `table:visibility` is "collapse" or "filter",
/// counted with their repeats (LibreOffice always saves formula results).
pub fn ods(bytes: &[u8]) -> BySheet {
    let mut out = BySheet::new();
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return out;
    };
    let Some(content) = read_part(&mut zip, "content.xml") else {
        return out;
    };
    if !content.contains("table:visibility") && !content.contains("-spanned") {
        return out;
    }
    let mut reader = quick_xml::Reader::from_str(&content);
    let mut name = String::new();
    let mut u = Unseen::default();
    let (mut row, mut col) = (0u64, 0u64);
    // Where the row being read starts, and the next cell's column in it.
    let (mut row_at, mut cell_at) = (0u64, 0u64);
    let hidden = |e: &quick_xml::events::BytesStart<'_>| {
        matches!(
            attr(e, "table:visibility").as_deref(),
            Some("collapse" | "filter")
        )
    };
    while let Ok(event) = reader.read_event() {
        match &event {
            Event::Start(e) | Event::Empty(e) => match e.name().into_inner() {
                "table:table" => {
                    name = attr(e, "table:name").unwrap_or_default();
                    u = Unseen::default();
                    (row, col) = (0, 0);
                }
                "table:table-column" => {
                    let n = number(e, "table:number-columns-repeated");
                    if hidden(e) {
                        u.cols.push((col, col.saturating_add(n - 1)));
                    }
                    col = col.saturating_add(n);
                }
                "table:table-row" => {
                    let n = number(e, "table:number-rows-repeated");
                    if hidden(e) {
                        u.rows.push((row, row.saturating_add(n - 1)));
                    }
                    row_at = row;
                    cell_at = 0;
                    row = row.saturating_add(n);
                }
                // A cell spanning rows or columns (number-…-spanned), and the
                // cells it covers, which take their places.
                "table:table-cell" | "table:covered-table-cell" => {
                    let rows = number(e, "table:number-rows-spanned");
                    let cols = number(e, "table:number-columns-spanned");
                    if (rows > 1 || cols > 1)
                        && let (Ok(r0), Ok(c0)) = (u32::try_from(row_at), u32::try_from(cell_at))
                    {
                        let last = |start: u32, n: u64| {
                            u32::try_from(u64::from(start) + n - 1).unwrap_or(u32::MAX)
                        };
                        u.merged.push((r0, c0, last(r0, rows), last(c0, cols)));
                    }
                    cell_at = cell_at.saturating_add(number(e, "table:number-columns-repeated"));
                }
                _ => {}
            },
            Event::End(e) if e.name().into_inner() == "table:table" && u != Unseen::default() => {
                out.insert(std::mem::take(&mut name), std::mem::take(&mut u));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// xls (BIFF8): ROW records with the hidden bit (fDyZero), COLINFO records
/// with fHidden.
pub fn xls(bytes: &[u8]) -> BySheet {
    let mut out = BySheet::new();
    let Ok(Some(biff)) = Biff::open(bytes) else {
        return out;
    };
    let u16_at = |d: &[u8], i: usize| u64::from(u16::from_le_bytes([d[i], d[i + 1]]));
    for (offset, name) in &biff.sheets {
        let mut u = Unseen::default();
        for (kind, data) in biff.sheet_records(*offset) {
            match kind {
                // ROW: rw, colMic, colMac, miyRw, reserved, unused, flags (bit 5: hidden).
                0x0208 if data.len() >= 16 && u16_at(data, 12) & 0x20 != 0 => {
                    let r = u16_at(data, 0);
                    u.rows.push((r, r));
                }
                // MERGEDCELLS: a count, then (rwFirst, rwLast, colFirst, colLast) each.
                0x00E5 if data.len() >= 2 => {
                    let n = u16_at(data, 0) as usize;
                    for k in 0..n {
                        let at = 2 + 8 * k;
                        if data.len() < at + 8 {
                            break;
                        }
                        let v = |i: usize| u16_at(data, at + i) as u32;
                        u.merged.push((v(0), v(4), v(2), v(6)));
                    }
                }
                // COLINFO: colFirst, colLast, coldx, ixfe, flags (bit 0: hidden).
                0x007D if data.len() >= 10 && u16_at(data, 8) & 0x1 != 0 => {
                    u.cols.push((u16_at(data, 0), u16_at(data, 2)));
                }
                _ => {}
            }
        }
        if u != Unseen::default() {
            out.insert(name.clone(), u);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_are_zero_based() {
        assert_eq!(cell_ref("A1"), Some((0, 0)));
        assert_eq!(cell_ref("B3"), Some((2, 1)));
        assert_eq!(cell_ref("AA10"), Some((9, 26)));
        assert_eq!(cell_ref("A0"), None);
        assert_eq!(cell_ref("12"), None);
    }

    #[test]
    fn an_xlsx_sheet_says_its_hidden_rows_columns_and_unsaved_formulas() {
        let xml = r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
            <cols><col min="3" max="4" width="9" hidden="1"/><col min="5" max="5"/></cols>
            <sheetData>
              <row r="2" hidden="1"><c r="A2" t="s"><v>0</v></c></row>
              <row r="3"><c r="B3"><f>IF(A1="x","Yes","No")</f></c>
                         <c r="C3"><f>1+1</f><v>2</v></c>
                         <c r="D3"><f t="shared" si="0"/></c>
                         <c r="E3"><f>IF(1,"No","No")</f><v></v></c>
                         <c r="F3" t="str"><f>"x"</f><v/></c>
                         <c r="G3" t="inlineStr"><f>"y"</f><is><t>y</t></is></c></row>
            </sheetData></worksheet>"#;
        let u = xlsx_sheet(xml);
        assert_eq!(u.rows, vec![(1, 1)]);
        assert_eq!(u.cols, vec![(2, 3)]);
        assert_eq!(
            u.formulas,
            vec![
                (2, 1, "=IF(A1=\"x\",\"Yes\",\"No\")".to_string()),
                (2, 3, "=".to_string()),
                (2, 4, "=IF(1,\"No\",\"No\")".to_string()),
                (2, 5, "=\"x\"".to_string()),
            ]
        );
        assert!(u.hides(1, 0) && u.hides(5, 2) && !u.hides(2, 1));
    }
}
