//! Workbooks through calamine: xlsx/xlsm, xls and ods.

use super::{Cell, Format, Limits, MAX_SHEETS, ReadError, Sheet, Workbook};
use calamine::{Data, DataRef, Ods, Range, Reader, SheetType, SheetVisible, Xls, Xlsb, Xlsx};
use std::collections::HashMap;
use std::io::Cursor;

/// The hidden sheet in which `ahq template` records which query a file answers.
pub const META_SHEET: &str = "ahq";

/// The text a person saw in a cell.
fn display(value: &Data) -> Option<(String, bool)> {
    Some(match value {
        Data::Empty => return None,
        Data::String(s) => (s.clone(), false),
        Data::Int(i) => (i.to_string(), false),
        Data::Float(f) => (number(*f), false),
        Data::Bool(b) => ((if *b { "TRUE" } else { "FALSE" }).to_string(), false),
        Data::DateTime(dt) => {
            if dt.is_duration() {
                (number(dt.as_f64()), false)
            } else {
                let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
                if (hh, mm, ss) == (0, 0, 0) {
                    (format!("{y:04}-{m:02}-{d:02}"), false)
                } else {
                    (format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}"), false)
                }
            }
        }
        Data::DateTimeIso(s) => (s.strip_suffix("T00:00:00").unwrap_or(s).to_string(), false),
        Data::DurationIso(s) => (s.clone(), false),
        Data::Error(e) => (e.to_string(), true),
    })
}

/// Numbers as typed: 21 not 21.0, 0.1 not 0.1000000001.
fn number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        // Spreadsheets keep 15 significant digits; what lies beyond is float noise
        // (0.1 + 0.2), so round to 15 significant digits, not 15 decimals.
        let parsed: f64 = format!("{f:.14e}").parse().unwrap_or(f);
        format!("{parsed}")
    }
}

fn corrupt(e: impl std::fmt::Display) -> ReadError {
    super::reader_error(e)
}

fn range_cells(range: &Range<Data>, sheet: &str, limit: usize) -> Result<Vec<Cell>, ReadError> {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut out = Vec::new();
    for (row, col, value) in range.used_cells() {
        push_cell(
            &mut out,
            sheet,
            r0 + row as u32,
            c0 + col as u32,
            value,
            limit,
        )?;
    }
    Ok(out)
}

/// Builds the workbook from per-sheet cells, splitting off the metadata sheet.
fn assemble(format: Format, sheets: Vec<Sheet>, modified: Option<String>) -> Workbook {
    let mut meta = None;
    let mut kept = Vec::new();
    for s in sheets {
        if s.name == META_SHEET && !s.visible {
            let mut map = HashMap::new();
            for row in s.rows() {
                let cells = s.row(row);
                if let [k, v, ..] = cells {
                    map.insert(k.text.trim().to_string(), v.text.trim().to_string());
                }
            }
            meta = Some(map);
        } else {
            kept.push(s);
        }
    }
    Workbook {
        format,
        sheets: kept,
        notes: Vec::new(),
        modified,
        ahq_meta: meta,
        asides: Vec::new(),
    }
}

/// Names and visibility of the worksheets (not chart sheets), within the limit.
fn worksheets(sheets: &[calamine::Sheet]) -> Result<Vec<(String, bool)>, ReadError> {
    let list: Vec<(String, bool)> = sheets
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| (s.name.clone(), s.visible == SheetVisible::Visible))
        .collect();
    if list.len() > MAX_SHEETS {
        return Err(ReadError::TooManySheets {
            count: list.len(),
            limit: MAX_SHEETS,
        });
    }
    Ok(list)
}

/// Adds a cell's display text, refusing sheets over the cell limit.
fn push_cell(
    cells: &mut Vec<Cell>,
    sheet: &str,
    row: u32,
    col: u32,
    value: &Data,
    limit: usize,
) -> Result<(), ReadError> {
    if let Some((text, error)) = display(value) {
        if cells.len() >= limit {
            return Err(ReadError::TooManyCells {
                sheet: sheet.into(),
                limit,
            });
        }
        cells.push(Cell {
            error,
            ..Cell::new(row, col, text)
        });
    }
    Ok(())
}

/// xlsx as it is; where calamine refuses it, once more mended
/// ([`super::mend::xlsx`]).
pub fn read_xlsx(bytes: &[u8], limits: &Limits) -> Result<Workbook, ReadError> {
    read_or_mend(bytes, limits, read_xlsx_as_is, super::mend::xlsx)
}

/// What `read` makes of `bytes`; where the reader refuses them, what it
/// makes of them mended by `mend`, each sheet the mend left out an error (it
/// may hold the flag: fail closed). A package part that is not well-formed
/// XML is said as damage, ahq's own finding whatever the reader said.
fn read_or_mend(
    bytes: &[u8],
    limits: &Limits,
    read: fn(&[u8], &Limits) -> Result<Workbook, ReadError>,
    mend: fn(&[u8], &Limits) -> Option<super::mend::Mended>,
) -> Result<Workbook, ReadError> {
    let first = match read(bytes, limits) {
        Err(e @ ReadError::Corrupt { .. }) => e,
        other => return other,
    };
    let (mut wb, left_out) = super::mend::retry(first, mend(bytes, limits), |b| read(b, limits))
        .map_err(|e| match (e, super::mend::broken_xml(bytes, limits)) {
            (ReadError::Corrupt { detail }, Some(part)) => ReadError::BrokenPart { part, detail },
            (e, _) => e,
        })?;
    if let Some(note) = super::mend::note(&left_out) {
        wb.notes.push(crate::record::Finding::error(note, None));
    }
    Ok(wb)
}

fn read_xlsx_as_is(bytes: &[u8], limits: &Limits) -> Result<Workbook, ReadError> {
    let mut wb: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| match e {
            calamine::XlsxError::Password => ReadError::Password,
            e => corrupt(e),
        })?;
    let modified = wb.workbook_properties().ok().and_then(|p| p.modified);
    let metas = worksheets(wb.sheets_metadata())?;
    let unseen = super::unseen::xlsx(bytes);
    let mut sheets = Vec::new();
    for (name, visible) in metas {
        // The streaming reader yields only used cells: no dense grid for a
        // sheet whose one cell sits at XFD1048576.
        let mut reader = wb.worksheet_cells_reader(&name).map_err(corrupt)?;
        let cells = stream(&name, limits, || {
            Ok(reader.next_cell().map_err(corrupt)?.map(owned))
        })?;
        let u = unseen.get(&name);
        sheets.push(Sheet::new(name, visible, cells).with_unseen(u, limits.max_cells)?);
    }
    Ok(assemble(Format::Xlsx, sheets, modified))
}

/// A streamed cell as (row, col, value), its shared string copied out.
fn owned(cell: calamine::Cell<DataRef<'_>>) -> (u32, u32, Data) {
    let (row, col) = cell.get_position();
    let value = match cell.get_value() {
        DataRef::SharedString(s) => Data::String((*s).to_string()),
        other => Data::from(other.clone()),
    };
    (row, col, value)
}

/// The cells a streaming reader yields (`next` until `None`), within the
/// sheet's cell limit: xlsx and xlsb alike.
fn stream(
    sheet: &str,
    limits: &Limits,
    mut next: impl FnMut() -> Result<Option<(u32, u32, Data)>, ReadError>,
) -> Result<Vec<Cell>, ReadError> {
    let mut cells = Vec::new();
    while let Some((row, col, value)) = next()? {
        push_cell(&mut cells, sheet, row, col, &value, limits.max_cells)?;
    }
    Ok(cells)
}

/// xlsb (Excel's binary workbook), through calamine's streaming cell reader
/// as xlsx is: no dense grid for a far cell.
pub fn read_xlsb(bytes: &[u8], limits: &Limits) -> Result<Workbook, ReadError> {
    let mut wb: Xlsb<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| match e {
            calamine::XlsbError::Password => ReadError::Password,
            e => corrupt(e),
        })?;
    let modified = wb.workbook_properties().ok().and_then(|p| p.modified);
    let metas = worksheets(wb.sheets_metadata())?;
    let mut sheets = Vec::new();
    for (name, visible) in metas {
        let mut reader = wb.worksheet_cells_reader(&name).map_err(corrupt)?;
        let cells = stream(&name, limits, || {
            Ok(reader.next_cell().map_err(corrupt)?.map(owned))
        })?;
        sheets.push(Sheet::new(name, visible, cells));
    }
    Ok(assemble(Format::Xlsb, sheets, modified))
}

pub fn read_xls(bytes: &[u8], limits: &Limits) -> Result<Workbook, ReadError> {
    match read_xls_in(bytes, limits, None) {
        // Excel 2-4 files (and Quattro Pro's) name code page 0x8001 or
        // 0x8000, which are not Windows code pages: Excel reads them as
        // Windows-1252 and Mac Roman.
        Err(ReadError::Corrupt { detail }) if detail.contains("Codepage") => {
            let (page, name) = if detail.contains("Codepage 8000 ") {
                (10000, "Mac Roman")
            } else {
                (1252, "Windows-1252 (Western European)")
            };
            // A limit or a password found on the second read is said as it is.
            let mut wb = read_xls_in(bytes, limits, Some(page)).map_err(|e| match e {
                ReadError::Corrupt { .. } => ReadError::Corrupt { detail },
                e => e,
            })?;
            wb.notes.push(crate::record::Finding::warning(
                format!(
                    "the file names a code page that is not a Windows one, so its text is read as \
                     {name}: check that the answers read as they were written"
                ),
                None,
            ));
            Ok(wb)
        }
        other => other,
    }
}

fn read_xls_in(
    bytes: &[u8],
    limits: &Limits,
    codepage: Option<u16>,
) -> Result<Workbook, ReadError> {
    let mut options = calamine::XlsOptions::default();
    options.force_codepage = codepage;
    let mut wb = Xls::new_with_options(Cursor::new(bytes), options).map_err(|e| match e {
        calamine::XlsError::Password => ReadError::Password,
        e => corrupt(e),
    })?;
    let modified = wb.workbook_properties().ok().and_then(|p| p.modified);
    let unseen = super::unseen::xls(bytes);
    read_ranges(&mut wb, Format::Xls, modified, &unseen, limits)
}

/// ods as it is; where calamine refuses it, once more without the
/// indentation between table elements ([`super::mend::ods`]).
pub fn read_ods(bytes: &[u8], limits: &Limits) -> Result<Workbook, ReadError> {
    read_or_mend(bytes, limits, read_ods_as_is, super::mend::ods)
}

fn read_ods_as_is(bytes: &[u8], limits: &Limits) -> Result<Workbook, ReadError> {
    let mut wb: Ods<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| match e {
            calamine::OdsError::Password => ReadError::Password,
            e => corrupt(e),
        })?;
    let modified = wb.workbook_properties().ok().and_then(|p| p.modified);
    let unseen = super::unseen::ods(bytes);
    read_ranges(&mut wb, Format::Ods, modified, &unseen, limits)
}

fn read_ranges<'a, R>(
    wb: &mut R,
    format: Format,
    modified: Option<String>,
    unseen: &super::unseen::BySheet,
    limits: &Limits,
) -> Result<Workbook, ReadError>
where
    R: Reader<Cursor<&'a [u8]>>,
    R::Error: std::fmt::Display,
{
    let metas = worksheets(wb.sheets_metadata())?;
    let mut sheets = Vec::new();
    for (name, visible) in metas {
        let range = wb.worksheet_range(&name).map_err(corrupt)?;
        let cells = range_cells(&range, &name, limits.max_cells)?;
        let u = unseen.get(&name);
        sheets.push(Sheet::new(name, visible, cells).with_unseen(u, limits.max_cells)?);
    }
    Ok(assemble(format, sheets, modified))
}

/// An encrypted xlsx is an OLE compound file with an "EncryptedPackage" stream;
/// its directory names are UTF-16.
pub fn is_encrypted_ooxml(bytes: &[u8]) -> bool {
    let needle: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sheet a mend left out may hold a "No": the file is refused (an
    /// error), never compiled with a warning.
    #[test]
    fn a_sheet_left_out_is_an_error_not_a_warning() {
        fn refused(_: &[u8], _: &Limits) -> Result<Workbook, ReadError> {
            Err(ReadError::Corrupt {
                detail: "refused".into(),
            })
        }
        fn as_mended(b: &[u8], _: &Limits) -> Result<Workbook, ReadError> {
            if b == b"mended" {
                Ok(assemble(Format::Xlsx, Vec::new(), None))
            } else {
                refused(b, &Limits::default())
            }
        }
        fn mend(_: &[u8], _: &Limits) -> Option<crate::reading::mend::Mended> {
            Some(crate::reading::mend::Mended {
                bytes: b"mended".to_vec(),
                left_out: vec!["\"Macro1\" (an Excel 4.0 macro sheet)".to_string()],
            })
        }
        let wb = read_or_mend(b"original", &Limits::default(), as_mended, mend).unwrap();
        assert_eq!(wb.notes.len(), 1);
        assert_eq!(wb.notes[0].severity, crate::record::Severity::Error);
        assert!(wb.notes[0].message.contains("Macro1") && wb.notes[0].message.contains("flag"));
    }

    #[test]
    fn numbers_read_as_typed() {
        assert_eq!(number(21.0), "21");
        assert_eq!(number(-3.0), "-3");
        assert_eq!(number(0.1), "0.1");
        assert_eq!(number(2.5), "2.5");
        assert_eq!(number(0.1 + 0.2), "0.3");
        assert_eq!(number(1e20), "100000000000000000000");
        // Regression: rounding to 15 decimals turned small values into "0".
        assert_eq!(number(1.5e-20), "0.000000000000000000015");
        assert_eq!(number(123456.789), "123456.789");
    }

    #[test]
    fn errors_and_dates_display_as_seen() {
        assert_eq!(
            display(&Data::Error(calamine::CellErrorType::NA)),
            Some(("#N/A".into(), true))
        );
        let d = calamine::ExcelDateTime::new(40410.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(
            display(&Data::DateTime(d)),
            Some(("2010-08-20".into(), false))
        );
        assert_eq!(
            display(&Data::DateTimeIso("2010-08-20T00:00:00".into())),
            Some(("2010-08-20".into(), false))
        );
        assert_eq!(display(&Data::Empty), None);
    }
}
