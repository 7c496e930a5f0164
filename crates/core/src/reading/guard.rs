//! Limits checked before a parser sees the bytes.
//!
//! calamine is trusted with files of a sane size; what it must not be handed
//! is a zip that inflates to gigabytes, or an xls or ods sheet that it would
//! expand into a dense grid of billions of cells (xls and ods are read into a
//! full rectangle from the first used cell to the last; an ods row may say it
//! repeats a billion times). So: every zip part is inflated once, counting
//! bytes against a cap; an ods sheet's expanded size and an xls sheet's
//! rectangle are computed from the raw records, cheaply, and refused when
//! over the cell limit, with the sheet named.

use super::{Limits, ReadError};
use std::io::{Cursor, Read};

/// Runs a third-party reader so that a panic inside it (a bug it has on
/// malformed input, as fuzzing found) becomes "damaged" for this one file,
/// not the end of the whole run. The panic is not printed: the file's
/// message says what to do.
pub fn contained<T>(read: impl FnOnce() -> Result<T, ReadError>) -> Result<T, ReadError> {
    let result = quietly(read);
    result.unwrap_or_else(|_| {
        // Not "damaged": a reader's bug on a file Excel opens looks the same.
        Err(ReadError::Corrupt {
            detail: "the spreadsheet reader stopped (a panic) on this file".into(),
        })
    })
}

/// Runs a third-party reader with a panic caught and not printed: a bug in
/// it on one file is that file's failure, not the end of the run.
pub(crate) fn quietly<R>(read: impl FnOnce() -> R) -> std::thread::Result<R> {
    use std::cell::Cell;
    use std::sync::Once;
    thread_local! {
        static QUIET: Cell<bool> = const { Cell::new(false) };
    }
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
    QUIET.with(|q| q.set(false));
    result
}

/// Excel's grid: what a sheet can reach.
const MAX_ROWS: u64 = 1_048_576;
const MAX_COLUMNS: u64 = 16_384;

fn corrupt(e: impl std::fmt::Display) -> ReadError {
    super::reader_error(e)
}

/// Refuses a zip (xlsx, ods) whose parts together would inflate beyond
/// `limits.max_inflated_bytes`, from the sizes its directory declares,
/// without inflating anything. A part cannot lie about its size: the zip
/// reader that calamine uses stops a part that inflates past its declared
/// size ("damaged").
pub fn check_zip(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
    // ahq's own finding: no reader opens a zip without its directory.
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| ReadError::Damaged {
        why: "its zip container is broken or cut short, as when a download or a copy stops \
              before the end"
            .into(),
    })?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        // A part whose entry cannot be read is left to calamine, which reads
        // only the parts it needs and says what is wrong with them.
        let Ok(part) = zip.by_index_raw(i) else {
            continue;
        };
        total = total.saturating_add(part.size());
        if total > limits.max_inflated_bytes {
            return Err(ReadError::TooMuchInflated {
                limit: limits.max_inflated_bytes,
            });
        }
    }
    Ok(())
}

/// Refuses an ods whose sheets would expand beyond the cell limit.
pub fn check_ods(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
    use quick_xml::events::Event;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
    // An encrypted ods says so in its manifest; its content.xml is ciphertext.
    if let Ok(mut manifest) = zip.by_name("META-INF/manifest.xml") {
        let mut text = String::new();
        let _ = manifest
            .by_ref()
            .take(limits.max_inflated_bytes)
            .read_to_string(&mut text);
        if text.contains("manifest:encryption-data") {
            return Err(ReadError::Password);
        }
    }
    let Ok(content) = zip.by_name("content.xml") else {
        return Ok(()); // calamine says what is missing
    };
    // check_zip has bounded what this can inflate to.
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    let mut buf = Vec::new();
    let mut sheet = SheetExtent::default();
    let mut row = RowExtent::default();
    // The cell being read: its repeat count, and whether it holds anything.
    let mut cell: Option<(u64, bool)> = None;
    loop {
        // What cannot be parsed here is left to calamine, which says what is wrong.
        let Ok(event) = reader.read_event_into(&mut buf) else {
            return Ok(());
        };
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.name().into_inner() {
                    "table:table" => {
                        sheet = SheetExtent {
                            name: attr(e, "table:name").unwrap_or_default(),
                            ..SheetExtent::default()
                        }
                    }
                    "table:table-row" => {
                        row = RowExtent {
                            repeats: number(e, "table:number-rows-repeated"),
                            ..RowExtent::default()
                        };
                        if empty {
                            sheet.add_row(&row, limits)?;
                        }
                    }
                    "table:table-cell" | "table:covered-table-cell" => {
                        let repeats = number(e, "table:number-columns-repeated");
                        // Filled as calamine reads it: a stated value or a
                        // formula, or (below) text inside the cell.
                        let valued = VALUE_ATTRIBUTES.iter().any(|a| attr(e, a).is_some());
                        if empty {
                            row.add(repeats, valued);
                        } else {
                            cell = Some((repeats, valued));
                        }
                    }
                    "text:s" | "text:tab" | "text:line-break" if cell.is_some() => {
                        if let Some((_, filled)) = cell.as_mut() {
                            *filled = true;
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if cell.is_some() && !t.trim().is_empty() => {
                if let Some((_, filled)) = cell.as_mut() {
                    *filled = true;
                }
            }
            Event::End(e)
                if matches!(
                    e.name().into_inner(),
                    "table:table-cell" | "table:covered-table-cell"
                ) =>
            {
                if let Some((repeats, filled)) = cell.take() {
                    row.add(repeats, filled);
                }
            }
            Event::End(e) if e.name().into_inner() == "table:table-row" => {
                sheet.add_row(&row, limits)?;
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}

/// Attributes that give an ods cell a value.
const VALUE_ATTRIBUTES: [&str; 6] = [
    "office:value-type",
    "office:value",
    "office:string-value",
    "office:boolean-value",
    "office:date-value",
    "table:formula",
];

#[derive(Default)]
struct RowExtent {
    repeats: u64,
    /// Columns so far (repeats counted).
    cursor: u64,
    /// Columns up to the last filled cell.
    width: u64,
}

#[derive(Default)]
struct SheetExtent {
    name: String,
    /// Rows so far (repeats counted).
    rows: u64,
    first_filled: Option<u64>,
    /// The grid calamine would build: first to last filled row, widest row.
    last_filled_end: u64,
    width: u64,
    /// Cells calamine holds before it builds the grid: each row element's
    /// cells up to its last filled one.
    raw: u64,
}

impl RowExtent {
    fn add(&mut self, repeats: u64, filled: bool) {
        self.cursor = self.cursor.saturating_add(repeats).min(MAX_COLUMNS);
        if filled {
            self.width = self.cursor;
        }
    }
}

impl SheetExtent {
    fn add_row(&mut self, row: &RowExtent, limits: &Limits) -> Result<(), ReadError> {
        let repeats = row.repeats.max(1).min(MAX_ROWS - self.rows.min(MAX_ROWS));
        if row.width > 0 {
            self.first_filled.get_or_insert(self.rows);
            self.last_filled_end = self.rows + repeats;
            self.width = self.width.max(row.width);
            self.raw = self.raw.saturating_add(row.width);
        }
        self.rows += repeats;
        let dense = self.first_filled.map_or(0, |first| {
            (self.last_filled_end - first).saturating_mul(self.width)
        });
        let limit = limits.max_cells as u64;
        if dense > limit || self.raw > limit {
            return Err(ReadError::TooBigSheet {
                sheet: self.name.clone(),
                cells: dense.max(self.raw),
                rows: self.last_filled_end,
                columns: self.width,
                limit: limits.max_cells,
            });
        }
        Ok(())
    }
}

pub(super) fn attr(e: &quick_xml::events::BytesStart<'_>, name: &str) -> Option<String> {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .map(|a| a.value.into_owned())
}

/// A repeat count: 1 when absent or unreadable (calamine fails on the
/// unreadable itself, with its own message).
pub(super) fn number(e: &quick_xml::events::BytesStart<'_>, name: &str) -> u64 {
    attr(e, name)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(1)
        .max(1)
}

/// Refuses an xls whose sheets span more cells than the limit, from the
/// cell records of its Workbook stream (BIFF8).
pub fn check_xls(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
    // A container the cfb crate cannot walk is left to calamine, which has its
    // own reader (and refuses what it cannot read).
    let Some(biff) = Biff::open(bytes)? else {
        return Ok(());
    };
    if biff.encrypted {
        return Err(ReadError::Password);
    }
    for (offset, name) in &biff.sheets {
        let mut extent = Extent::new(name.clone());
        for (kind, data) in biff.sheet_records(*offset) {
            match kind {
                // DIMENSIONS: what the sheet says it spans (calamine reserves it).
                0x0200 => extent.declared(data, limits)?,
                // Cell records: row and column first. MULRK spans columns.
                0x00FD | 0x0203 | 0x027E | 0x0006 | 0x0204 | 0x0205 | 0x00D6 | 0x00BD
                    if data.len() >= 4 =>
                {
                    let row = u16::from_le_bytes([data[0], data[1]]) as u64;
                    let col = u16::from_le_bytes([data[2], data[3]]) as u64;
                    let last_col = if kind == 0x00BD && data.len() >= 6 {
                        let n = data.len();
                        u16::from_le_bytes([data[n - 2], data[n - 1]]) as u64
                    } else {
                        col
                    };
                    extent.add(row, col, last_col.max(col));
                }
                _ => {}
            }
        }
        extent.check(limits)?;
    }
    Ok(())
}

/// An xls (BIFF8) workbook stream, and its sheets: where each one's
/// records start, and its name.
pub(super) struct Biff {
    stream: Vec<u8>,
    pub sheets: Vec<(usize, String)>,
    /// FILEPASS: the rest is encrypted.
    pub encrypted: bool,
}

impl Biff {
    /// `None` when the cfb crate cannot walk the container (calamine has its
    /// own reader, and says what is wrong).
    pub fn open(bytes: &[u8]) -> Result<Option<Biff>, ReadError> {
        let Ok(mut cf) = cfb::CompoundFile::open(Cursor::new(bytes)) else {
            return Ok(None);
        };
        let name = ["/Workbook", "/Book"]
            .into_iter()
            .find(|n| cf.is_stream(n))
            .ok_or_else(|| corrupt("no Workbook stream"))?;
        let mut stream = Vec::new();
        cf.open_stream(name)
            .map_err(corrupt)?
            .read_to_end(&mut stream)
            .map_err(corrupt)?;
        // The globals substream names each sheet and where its records start
        // (BOUNDSHEET8).
        let mut sheets: Vec<(usize, String)> = Vec::new();
        let mut encrypted = false;
        for (kind, data, _) in records(&stream, 0) {
            match kind {
                0x0085 if data.len() >= 8 => {
                    let offset = u32::from_le_bytes([data[0], data[1], data[2], data[3]]);
                    sheets.push((offset as usize, short_string(&data[6..])));
                }
                0x002F => {
                    encrypted = true;
                    break;
                }
                0x000A => break,
                _ => {}
            }
        }
        Ok(Some(Biff {
            stream,
            sheets,
            encrypted,
        }))
    }

    /// A sheet's own records (type, data), from `offset` to its end: those of
    /// a substream inside it (a chart) are left out.
    pub fn sheet_records(&self, offset: usize) -> impl Iterator<Item = (u16, &[u8])> {
        let mut depth = 0usize;
        records(&self.stream, offset)
            .map_while(move |(kind, data, _)| {
                match kind {
                    0x0809 => depth += 1,
                    0x000A => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return None;
                        }
                    }
                    _ => {}
                }
                Some((kind, data, depth))
            })
            .filter(|&(kind, _, depth)| depth == 1 && kind != 0x0809 && kind != 0x000A)
            .map(|(kind, data, _)| (kind, data))
    }
}

/// BIFF records from `offset`: (type, data, position).
fn records(stream: &[u8], offset: usize) -> impl Iterator<Item = (u16, &[u8], usize)> {
    let mut at = offset;
    std::iter::from_fn(move || {
        let header = stream.get(at..at + 4)?;
        let kind = u16::from_le_bytes([header[0], header[1]]);
        let len = u16::from_le_bytes([header[2], header[3]]) as usize;
        let data = stream.get(at + 4..(at + 4 + len).min(stream.len()))?;
        let item = (kind, data, at);
        at += 4 + len;
        Some(item)
    })
}

/// An xls sheet's used rectangle and cell count.
struct Extent {
    name: String,
    rows: Option<(u64, u64)>,
    cols: Option<(u64, u64)>,
    cells: u64,
}

impl Extent {
    fn new(name: String) -> Extent {
        Extent {
            name,
            rows: None,
            cols: None,
            cells: 0,
        }
    }

    fn add(&mut self, row: u64, first_col: u64, last_col: u64) {
        let widen = |span: Option<(u64, u64)>, lo: u64, hi: u64| {
            Some(span.map_or((lo, hi), |(a, b)| (a.min(lo), b.max(hi))))
        };
        self.rows = widen(self.rows, row, row);
        self.cols = widen(self.cols, first_col, last_col);
        self.cells += last_col - first_col + 1;
    }

    /// The DIMENSIONS record, read as calamine reads it: first row, last
    /// row + 1, first column, last column + 1.
    fn declared(&self, data: &[u8], limits: &Limits) -> Result<(), ReadError> {
        let u16_at = |i: usize| u16::from_le_bytes([data[i], data[i + 1]]) as u64;
        let u32_at =
            |i: usize| u32::from_le_bytes([data[i], data[i + 1], data[i + 2], data[i + 3]]) as u64;
        let (rf, rl, mut cf, cl) = match data.len() {
            10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
            14 | 16 => (u32_at(0), u32_at(4), u16_at(8), u16_at(10)),
            _ => return Ok(()), // calamine refuses it with its own message
        };
        if cf > 0xFF || cl < cf {
            cf = 0;
        }
        if rl == 0 || cl == 0 {
            return Ok(());
        }
        if rl - 1 < rf || cl - 1 < cf {
            return Err(ReadError::Damaged {
                why: format!(
                    "sheet \"{}\" declares an impossible size (rows {rf} to {}, columns {cf} to {})",
                    self.name,
                    rl - 1,
                    cl - 1
                ),
            });
        }
        // The size record only reserves memory (formatted blank cells count
        // in it, but are not read): refused when it claims more than an xls
        // sheet can hold (65,536 rows by 256 columns), which is a lie.
        let cells = (rl - rf).saturating_mul(cl - cf);
        let _ = limits;
        if cells > 65_536 * 256 {
            return Err(ReadError::Damaged {
                why: format!(
                    "sheet \"{}\" claims {cells} cells (up to row {rl}, column {cl}), more than an \
                     .xls sheet can hold",
                    self.name
                ),
            });
        }
        Ok(())
    }

    fn check(&self, limits: &Limits) -> Result<(), ReadError> {
        let (Some((r0, r1)), Some((c0, c1))) = (self.rows, self.cols) else {
            return Ok(());
        };
        let dense = (r1 - r0 + 1) * (c1 - c0 + 1);
        if dense.max(self.cells) > limits.max_cells as u64 {
            return Err(ReadError::TooBigSheet {
                sheet: self.name.clone(),
                cells: dense.max(self.cells),
                rows: r1 + 1,
                columns: c1 + 1,
                limit: limits.max_cells,
            });
        }
        Ok(())
    }
}

/// A BIFF8 ShortXLUnicodeString: length, flags, then Latin-1 or UTF-16LE.
fn short_string(data: &[u8]) -> String {
    let (Some(&n), Some(&flags)) = (data.first(), data.get(1)) else {
        return String::new();
    };
    let body = &data[2..];
    if flags & 1 == 1 {
        let units: Vec<u16> = body
            .chunks_exact(2)
            .take(n as usize)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        body.iter().take(n as usize).map(|&b| b as char).collect()
    }
}
