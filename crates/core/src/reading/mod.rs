//! Reading a response file into sheets of display texts.
//!
//! The format is told by the file's bytes, not its name, so that an "xls"
//! that is really a web page gets a message saying so. Every cell becomes
//! the text a person saw ("21", not "21.0"; a date as a date); finding
//! answers in those cells is the job of [`crate::layout`].

pub mod archive;
pub mod asides;
mod csv;
mod docx;
pub(crate) mod guard;
mod mend;
mod sniff;
mod spreadsheet;
pub mod unseen;

pub use spreadsheet::META_SHEET;

use sniff::{Sniffed, sniff};
use std::collections::HashMap;
// FxHash for the grid's (row, column) index: looked up for every cell read.
use rustc_hash::FxHashMap;
use std::path::Path;

/// Files larger than this are refused before they are parsed (`--max-file-bytes`).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Cells of one sheet at the most (`--max-cells`): filled cells, and for xls
/// and ods, whose readers build a full grid, the cells of that grid.
pub const MAX_CELLS_PER_SHEET: usize = 1_000_000;
/// What the parts of one xlsx or ods may inflate to (`--max-inflated-bytes`):
/// a zip bomb is refused before it is parsed.
pub const MAX_INFLATED_BYTES: u64 = 256 * 1024 * 1024;
/// Sheets read from one workbook at the most.
pub const MAX_SHEETS: usize = 256;
/// Characters of one cell at the most (`--max-answer-chars`): the longest
/// real answers run to tens of thousands; a cell of millions is a file built
/// to exhaust its reader, refused before it leaves the reading process.
pub const MAX_ANSWER_CHARS: usize = 1_000_000;
/// What the reading process may send back for one file, in bytes. The main
/// process holds a reply and what it decodes into (about as much again)
/// per file being read.
pub const MAX_REPLY_BYTES: u64 = 128 * 1024 * 1024;

/// The limits a response file is read within; each has a flag to raise it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Limits {
    pub max_file_bytes: u64,
    pub max_cells: usize,
    pub max_inflated_bytes: u64,
    pub max_answer_chars: usize,
    /// Where to read each file instead of here: the command line reads in
    /// a separate process with a memory and time limit; `None` reads here.
    #[serde(skip)]
    pub isolation: Option<Elsewhere>,
}

/// Reads a response somewhere other than the calling thread (the core
/// itself starts no process and no thread).
pub trait ReadElsewhere: Send + Sync {
    fn read(&self, bytes: &[u8], format: Format, limits: &Limits) -> Result<Workbook, ReadError>;
}

/// A [`ReadElsewhere`] in [`Limits`]: two are equal when they are the same.
#[derive(Clone)]
pub struct Elsewhere(pub std::sync::Arc<dyn ReadElsewhere>);

impl std::fmt::Debug for Elsewhere {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Elsewhere")
    }
}

impl PartialEq for Elsewhere {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Elsewhere {}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: MAX_FILE_BYTES,
            max_cells: MAX_CELLS_PER_SHEET,
            max_inflated_bytes: MAX_INFLATED_BYTES,
            max_answer_chars: MAX_ANSWER_CHARS,
            isolation: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Xlsx,
    /// Excel's binary workbook.
    Xlsb,
    Xls,
    Ods,
    /// Delimited text: CSV, and tab-separated text (Excel's "Unicode text").
    Csv,
    /// A Word document: its tables are read as sheets.
    Docx,
}

/// Whether a file of `format` may be read in the calling process rather
/// than the reading worker: only when ahq's own reader reads it, in time and
/// memory linear in its bytes (already within `max_file_bytes`), with no
/// construct that expands (repeated cells, shared strings, spans) and no
/// third-party parser that has hung or crashed on a crafted file. Delimited
/// text alone qualifies, and only up to [`IN_PROCESS_BYTES`]: a field costs
/// memory even when empty, which `--max-cells` does not count (64 MB of
/// commas would be gigabytes). The worker costs a round trip per file.
pub fn safe_in_process(format: Format, bytes: usize) -> bool {
    matches!(format, Format::Csv) && bytes <= IN_PROCESS_BYTES
}

/// The largest delimited text read in the calling process: at most a
/// million fields, some tens of MB however they are written.
pub const IN_PROCESS_BYTES: usize = 1024 * 1024;

/// One non-empty cell as a person saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub row: u32,
    pub col: u32,
    pub text: String,
    /// The cell holds an error value (#N/A, #REF!).
    pub error: bool,
    /// The cell is in a hidden row or column: a person does not see it.
    pub hidden: bool,
    /// A formula saved without its result (the text is then empty): what
    /// the cell shows depends on a program recomputing it.
    pub formula: Option<String>,
    /// The cell is covered by a merged range whose value, at (row, col), it
    /// shows: a "No" merged over two countries' flag cells is both flags.
    pub merged_from: Option<(u32, u32)>,
    /// The value of a label typed in the same cell ("Country: Slovenia"),
    /// set apart by locating: the cell that holds both.
    pub split_from: Option<(u32, u32)>,
    /// A heading or title of a document (a Word paragraph in a Heading or
    /// Title style): read like any text, never taken for a stray answer.
    pub heading: bool,
}

impl Cell {
    /// A visible cell showing `text`.
    pub fn new(row: u32, col: u32, text: impl Into<String>) -> Cell {
        Cell {
            row,
            col,
            text: text.into(),
            error: false,
            hidden: false,
            formula: None,
            merged_from: None,
            split_from: None,
            heading: false,
        }
    }
}

/// What a sheet is to the person who made the file, so that places are
/// said in their words: a spreadsheet's sheet, or a Word document's table
/// or its text around the tables.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub enum Part {
    #[default]
    Sheet,
    /// A Word table, numbered from 1 in the document's order.
    WordTable(u32),
    /// A Word document's paragraphs outside its tables, one per row.
    WordText,
}

#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub visible: bool,
    pub part: Part,
    /// Non-empty cells in row-major order.
    cells: Vec<Cell>,
    index: FxHashMap<(u32, u32), usize>,
}

impl Sheet {
    pub fn new(name: impl Into<String>, visible: bool, mut cells: Vec<Cell>) -> Sheet {
        cells.retain(|c| !c.text.trim().is_empty() || c.formula.is_some());
        cells.sort_by_key(|c| (c.row, c.col));
        let index = cells
            .iter()
            .enumerate()
            .map(|(i, c)| ((c.row, c.col), i))
            .collect();
        Sheet {
            name: name.into(),
            visible,
            part: Part::Sheet,
            cells,
            index,
        }
    }

    /// The same sheet (name, visibility, what it is) holding `cells`.
    pub fn with_cells(&self, cells: Vec<Cell>) -> Sheet {
        Sheet::new(self.name.clone(), self.visible, cells).in_word(self.part)
    }

    /// The same sheet, said to be a part of a Word document.
    pub fn in_word(mut self, part: Part) -> Sheet {
        self.part = part;
        self
    }

    /// The sheet as its maker names it: `sheet "Response"`, `table 2`,
    /// `the text outside the tables`.
    pub fn what(&self) -> String {
        match self.part {
            Part::Sheet => format!("sheet \"{}\"", self.name),
            Part::WordTable(n) => format!("table {n}"),
            Part::WordText => "the text outside the tables".into(),
        }
    }

    pub fn cells(&self) -> &[Cell] {
        &self.cells
    }

    pub fn get(&self, row: u32, col: u32) -> Option<&Cell> {
        self.index.get(&(row, col)).map(|&i| &self.cells[i])
    }

    /// Cells of one row, left to right.
    pub fn row(&self, row: u32) -> &[Cell] {
        let start = self.cells.partition_point(|c| c.row < row);
        let end = self.cells.partition_point(|c| c.row <= row);
        &self.cells[start..end]
    }

    /// Marks the cells a person does not see, and adds the formulas saved
    /// without a result (unless the cell has a value after all).
    ///
    /// A merged range's value is copied into every cell it covers that lies
    /// in a row and a column holding other cells (where a reading could look
    /// for it), at most `limit` cells in all.
    pub fn with_unseen(
        mut self,
        unseen: Option<&unseen::Unseen>,
        limit: usize,
    ) -> Result<Sheet, ReadError> {
        let Some(u) = unseen else { return Ok(self) };
        let mut cells = std::mem::take(&mut self.cells);
        if !u.merged.is_empty() {
            let rows: std::collections::BTreeSet<u32> = cells.iter().map(|c| c.row).collect();
            let cols: std::collections::BTreeSet<u32> = cells.iter().map(|c| c.col).collect();
            let mut copies = Vec::new();
            // Ranges that overlap (Excel never writes them) must not make
            // this walk long: the places looked at count against the limit too.
            let mut looked = 0usize;
            for &(r0, c0, r1, c1) in &u.merged {
                let Some(&i) = self.index.get(&(r0, c0)) else {
                    continue;
                };
                for r in rows.range(r0..=r1) {
                    for c in cols.range(c0..=c1) {
                        looked += 1;
                        if (*r, *c) != (r0, c0) && !self.index.contains_key(&(*r, *c)) {
                            copies.push(Cell {
                                row: *r,
                                col: *c,
                                merged_from: Some((r0, c0)),
                                ..cells[i].clone()
                            });
                        }
                        if looked > limit || cells.len() + copies.len() > limit {
                            return Err(ReadError::TooManyCells {
                                sheet: self.name.clone(),
                                limit,
                            });
                        }
                    }
                }
            }
            cells.extend(copies);
        }
        for c in &mut cells {
            c.hidden = u.hides(c.row, c.col);
        }
        for (row, col, f) in &u.formulas {
            if !self.index.contains_key(&(*row, *col)) {
                cells.push(Cell {
                    hidden: u.hides(*row, *col),
                    formula: Some(f.clone()),
                    ..Cell::new(*row, *col, "")
                });
            }
        }
        Ok(Sheet::new(std::mem::take(&mut self.name), self.visible, cells).in_word(self.part))
    }

    /// Distinct row numbers that hold cells, top to bottom.
    pub fn rows(&self) -> Vec<u32> {
        let mut rows: Vec<u32> = self.cells.iter().map(|c| c.row).collect();
        rows.dedup();
        rows
    }
}

#[derive(Debug, Clone)]
pub struct Workbook {
    pub format: Format,
    pub sheets: Vec<Sheet>,
    /// How the file was read (a CSV's encoding and delimiter), and anything
    /// that could not be read.
    pub notes: Vec<crate::record::Finding>,
    /// The workbook's own last-modified date (document properties), if any.
    pub modified: Option<String>,
    /// The key/value pairs of the ahq template's hidden sheet, when the file is one.
    pub ahq_meta: Option<HashMap<String, String>>,
    /// Text outside the cells and the body (comments, headers and footers,
    /// text boxes, properties): never an answer, always searched for
    /// restriction wording.
    pub asides: Vec<asides::Aside>,
}

/// Why a file could not be read. Each message says what to do.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ReadError {
    #[error("the file is empty (0 bytes): ask the sender to send it again")]
    Empty,
    #[error(
        "the file is {size} bytes, over the limit of {limit} bytes for one response: \
         check it is the right file (raise the limit with --max-file-bytes)"
    )]
    TooLarge { size: u64, limit: u64 },
    #[error(
        "the file is protected by a password: open it, save it without a password \
         (File > Info > Protect Workbook > Encrypt with Password, clear it) and send it again"
    )]
    Password,
    #[error(
        "this is a web page (HTML) saved with a spreadsheet name: open it in Excel or \
         LibreOffice and save it as .xlsx, or ask the sender for the real spreadsheet"
    )]
    Html,
    #[error("this is a PDF document, not a spreadsheet: ask the sender for the spreadsheet")]
    Pdf,
    /// A format ahq does not read, named by its content.
    #[error("this file is {}, which ahq does not read: {}", .0.describe().0, .0.describe().1)]
    Foreign(sniff::Foreign),
    /// A CSV quote opened and never closed: everything after it would be
    /// one field, other rows and their flags inside an answer.
    #[error(
        "the CSV is damaged: the quoted text that opens on line {line} is never closed where its \
         field ends (a closing quote mark is missing, or there is one too many), so the rows \
         after it would be read as part of one answer: put the closing quote (\") where that \
         answer ends, or open the file in a spreadsheet program and save it again as .xlsx"
    )]
    OpenQuote { line: usize },
    #[error(
        "this is plain text (CSV) saved with a .{ext} name: rename it to .csv, or open it \
         and save it as .xlsx"
    )]
    TextWithSpreadsheetName { ext: String },
    #[error("this {claimed} file is really {actual}: rename it to .{actual_ext}")]
    WrongExtension {
        claimed: String,
        actual: String,
        actual_ext: String,
    },
    /// What ahq itself found wrong, in plain words.
    #[error(
        "the file is damaged ({why}): open it in a spreadsheet program, save it again as .xlsx, and resend"
    )]
    Damaged { why: String },
    /// A part of the package that is not well-formed XML: ahq's own finding,
    /// with the reader's words kept apart as for [`ReadError::Corrupt`].
    #[error(
        "the file is damaged (its part {part} is not well-formed XML): open it in a spreadsheet \
         program, save it again as .xlsx, and resend"
    )]
    BrokenPart { part: String, detail: String },
    /// The reader's own words are in `detail`: kept for the Log and
    /// records.json ([`ReadError::detail`]), never in the message a person reads.
    #[error(
        "ahq's spreadsheet reader cannot read this file: open it in Excel or LibreOffice; if it \
         opens, save it again as .xlsx and send that; if it does not open there either, ask the \
         sender to send it again"
    )]
    Corrupt { detail: String },
    #[error(
        "sheet \"{sheet}\" has more than {limit} filled cells: a response is far smaller; \
         check it is the right file (raise the limit with --max-cells)"
    )]
    TooManyCells { sheet: String, limit: usize },
    #[error(
        "sheet \"{sheet}\" spans {cells} cells (up to row {rows}, column {columns}), over the \
         limit of {limit}: delete the rows and columns beyond the answers and save it again \
         (raise the limit with --max-cells)"
    )]
    TooBigSheet {
        sheet: String,
        cells: u64,
        rows: u64,
        columns: u64,
        limit: usize,
    },
    #[error(
        "the file inflates to more than {limit} bytes when unzipped (a damaged file or a zip \
         bomb, not a response): ask the sender to save it again (raise the limit with \
         --max-inflated-bytes)"
    )]
    TooMuchInflated { limit: u64 },
    #[error(
        "this file holds binary data, not text or a spreadsheet ahq reads: ask the sender for \
         the spreadsheet as .xlsx"
    )]
    Binary,
    #[error(
        "reading this file needed more than {mib} MiB of memory (a damaged file, or one built \
         to exhaust readers): ask the sender to save it again (raise the limit with --max-memory)"
    )]
    ReaderMemory { mib: u64 },
    #[error(
        "reading this file took more than {seconds} seconds: ask the sender to save it again \
         (raise the limit with --max-seconds)"
    )]
    ReaderTime { seconds: u64 },
    #[error(
        "the spreadsheet reader stopped on this file ({detail}): open it in Excel or \
         LibreOffice and save it again as .xlsx, or ask the sender to"
    )]
    ReaderFailed { detail: String },
    /// A message from the reading process, passed on as it was, with the
    /// reader's technical detail when there is one.
    #[error("{message}")]
    Reported {
        message: String,
        detail: Option<String>,
    },
    #[error(
        "the workbook has {count} sheets, over the limit of {limit}: remove the sheets that are not the response"
    )]
    TooManySheets { count: usize, limit: usize },
    #[error(
        "cell {at} holds {chars} characters, over the limit of {limit} for one answer: a real \
         answer is far shorter; check it is the right file (raise the limit with --max-answer-chars)"
    )]
    CellTooLong {
        at: String,
        chars: usize,
        limit: usize,
    },
    #[error(
        "what this file holds comes to more than {limit} bytes of text: a response is far \
         smaller; check it is the right file"
    )]
    TooMuchText { limit: u64 },
}

/// A reader's failure as a person reads it: damage where the words show
/// damage whatever reads the file (a zip or OLE container that cannot hold
/// together), otherwise a file ahq's reader cannot read, the words kept as
/// detail ([`ReadError::detail`]).
pub(crate) fn reader_error(e: impl std::fmt::Display) -> ReadError {
    let detail = e.to_string();
    // The zip reader's check that a part holds what its header declares:
    // that is damage, whatever opens the file.
    if detail.contains("larger than its declared uncompressed size") {
        return ReadError::Damaged {
            why: "a part of it unpacks to more than the size the file declares for it".into(),
        };
    }
    // An OLE container whose sector chain points beyond the file's end.
    if detail.contains("points past end of file") {
        return ReadError::Damaged {
            why: "its container points beyond its own end, as in a file cut short or broken".into(),
        };
    }
    if [
        "corrupt deflate stream",
        "Invalid checksum",
        "invalid distance",
    ]
    .iter()
    .any(|w| detail.contains(w))
    {
        return ReadError::Damaged {
            why: "a part of its zip container does not unpack: its compressed bytes are broken"
                .into(),
        };
    }
    ReadError::Corrupt { detail }
}

impl ReadError {
    /// The reader's own technical words, when a message leaves them out.
    pub fn detail(&self) -> Option<&str> {
        match self {
            ReadError::Corrupt { detail } | ReadError::BrokenPart { detail, .. } => Some(detail),
            ReadError::Reported { detail, .. } => detail.as_deref(),
            _ => None,
        }
    }
}

/// What to do with a file found in responses/.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Response(Format),
    /// Not a response, passed over quietly (an info): an Excel lock file, a
    /// hidden file.
    Skip(String),
    /// Not read, and said (a warning; an error when the file was named on
    /// the command line): the reason, and what to send instead.
    NotRead(String),
    /// An extension ahq does not know: not read, and its content named
    /// where it can be ([`identify`]).
    Unknown(String),
    /// A zip archive: its files are read one by one, as if in responses/.
    Archive,
    /// A saved e-mail (.eml, Outlook .msg): its attachments are read one by
    /// one, as if in responses/.
    Mail,
}

/// Decides from the name whether a file is a response to read.
pub fn classify(path: &Path) -> Kind {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with("~$") {
        return Kind::Skip("an Excel lock file (the workbook is open somewhere): skipped".into());
    }
    if name.starts_with('.') {
        return Kind::Skip("a hidden file: skipped".into());
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let send = "send the response as a spreadsheet (.xlsx), or in the query's template";
    match ext.as_str() {
        "xlsx" | "xlsm" | "xltx" | "xltm" => Kind::Response(Format::Xlsx),
        "xlsb" => Kind::Response(Format::Xlsb),
        "xls" => Kind::Response(Format::Xls),
        "ods" => Kind::Response(Format::Ods),
        // Excel's "Unicode text" is tab-separated UTF-16 saved as .txt.
        "csv" | "txt" | "tsv" | "tab" => Kind::Response(Format::Csv),
        "docx" => Kind::Response(Format::Docx),
        "doc" => Kind::NotRead(format!(
            "an old Word document (.doc), which ahq does not read: open it in Word or \
             LibreOffice and save it as .docx, or {send}"
        )),
        "pdf" => Kind::NotRead(format!(
            "a PDF document, from which answers cannot be read reliably: {send}"
        )),
        "rtf" => Kind::NotRead(format!(
            "a Rich Text document (.rtf), which ahq does not read: save it as .docx, or {send}"
        )),
        "odt" => Kind::NotRead(format!(
            "an OpenDocument text (.odt), which ahq does not read: save it as .docx, or {send}"
        )),
        "pages" | "numbers" | "key" => Kind::NotRead(format!(
            "an Apple iWork file (.{ext}), which ahq does not read: {send}"
        )),
        "zip" => Kind::Archive,
        "eml" | "msg" => Kind::Mail,
        "" => Kind::Unknown(format!(
            "a file without an extension, so not known to be a response (.xlsx, .xlsb, .xls, .ods, .csv, .txt or .docx): rename it with its extension, or {send}"
        )),
        other => Kind::Unknown(format!(
            "a .{other} file is not a response (.xlsx, .xlsb, .xls, .ods, .csv, .txt or .docx): {send}"
        )),
    }
}

/// What the first bytes of a file not read (by its name) show it to be,
/// and what to do: for a file whose extension ahq does not know.
pub fn identify(head: &[u8]) -> Option<String> {
    let (what, todo) = match sniff(head) {
        Sniffed::Foreign(f) => {
            let (what, todo) = f.describe();
            (what, todo.to_string())
        }
        Sniffed::Ole if sniff::ole_foreign(head).is_some() => {
            let (what, todo) = sniff::Foreign::Doc.describe();
            (what, todo.to_string())
        }
        Sniffed::Ole => (
            "an Excel 97-2003 workbook".into(),
            "rename it to .xls".into(),
        ),
        Sniffed::Xlsb => (
            "an Excel binary workbook".into(),
            "rename it to .xlsb".into(),
        ),
        Sniffed::Docx => ("a Word document".into(), "rename it to .docx".into()),
        Sniffed::Ods => (
            "an OpenDocument spreadsheet".into(),
            "rename it to .ods".into(),
        ),
        // A zip is an xlsx only if it holds a workbook; the first bytes
        // hold the first entry's name.
        Sniffed::Zip
            if head.windows(3).any(|w| w == b"xl/")
                || head.windows(19).any(|w| w == b"[Content_Types].xml") =>
        {
            ("an Excel workbook".into(), "rename it to .xlsx".into())
        }
        Sniffed::Pdf => ("a PDF document".into(), "ask for the spreadsheet".into()),
        Sniffed::Html => (
            "a web page (HTML)".into(),
            "open it in Excel or LibreOffice and save it as .xlsx".into(),
        ),
        _ => return None,
    };
    Some(format!("by its content it is {what}: {todo}"))
}

/// The reason a file of an unknown extension is not read, with what its
/// first bytes show it to be when they show it: what the content is says
/// more than the list of extensions.
pub fn unknown_with_content(reason: String, head: &[u8]) -> String {
    match identify(head) {
        Some(what) => format!("{}; {what}", reason.split(" (").next().unwrap_or(&reason)),
        None => reason,
    }
}

/// Reads a response from its bytes, within `limits`. `format` is what the
/// name claims. No cell comes out longer than `limits.max_answer_chars`.
pub fn read_bytes(bytes: &[u8], format: Format, limits: &Limits) -> Result<Workbook, ReadError> {
    let wb = read_format(bytes, format, limits)?;
    for a in &wb.asides {
        if a.text.len() > limits.max_answer_chars {
            let chars = a.text.chars().count();
            if chars > limits.max_answer_chars {
                return Err(ReadError::CellTooLong {
                    at: a.place.clone(),
                    chars,
                    limit: limits.max_answer_chars,
                });
            }
        }
    }
    for sheet in &wb.sheets {
        for c in sheet.cells() {
            // Bytes first: counting characters only where it can matter.
            if c.text.len() > limits.max_answer_chars {
                let chars = c.text.chars().count();
                if chars > limits.max_answer_chars {
                    return Err(ReadError::CellTooLong {
                        at: crate::record::Location::at(sheet, c.row, c.col).to_string(),
                        chars,
                        limit: limits.max_answer_chars,
                    });
                }
            }
        }
    }
    Ok(wb)
}

fn read_format(bytes: &[u8], format: Format, limits: &Limits) -> Result<Workbook, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit: limits.max_file_bytes,
        });
    }
    let mut sniffed = sniff(bytes);
    if sniffed == Sniffed::Ole {
        // An encrypted xlsx or xlsb is an OLE container, whatever its name.
        if spreadsheet::is_encrypted_ooxml(bytes) {
            return Err(ReadError::Password);
        }
        if let Some(f) = sniff::ole_foreign(bytes) {
            sniffed = Sniffed::Foreign(f);
        }
    }
    let wrong = |actual: &str, ext: &str| ReadError::WrongExtension {
        claimed: format!(".{}", ext_of(format)),
        actual: actual.into(),
        actual_ext: ext.into(),
    };
    match (format, sniffed) {
        (_, Sniffed::Html) => Err(ReadError::Html),
        (_, Sniffed::Pdf) => Err(ReadError::Pdf),
        (_, Sniffed::Foreign(f)) => Err(ReadError::Foreign(f)),
        (_, Sniffed::Binary) => Err(ReadError::Binary),
        (Format::Csv, Sniffed::Text) => csv::read(bytes, limits),
        (_, Sniffed::Text) => Err(ReadError::TextWithSpreadsheetName {
            ext: ext_of(format).into(),
        }),
        (Format::Xlsx, Sniffed::Zip) => {
            guard::check_zip(bytes, limits)?;
            guard::contained(|| {
                with_asides(spreadsheet::read_xlsx(bytes, limits), bytes, asides::xlsx)
            })
        }
        (Format::Xlsb, Sniffed::Xlsb) => {
            guard::check_zip(bytes, limits)?;
            guard::contained(|| {
                with_asides(spreadsheet::read_xlsb(bytes, limits), bytes, asides::xlsb)
            })
        }
        (Format::Docx, Sniffed::Docx) => {
            guard::check_zip(bytes, limits)?;
            guard::contained(|| with_asides(docx::read(bytes, limits), bytes, asides::docx))
        }
        (_, Sniffed::Xlsb) => Err(wrong("an Excel binary workbook (.xlsb)", "xlsb")),
        (_, Sniffed::Docx) => Err(wrong("a Word document (.docx)", "docx")),
        (Format::Xlsb | Format::Docx, Sniffed::Zip) => {
            Err(wrong("an Excel workbook (.xlsx)", "xlsx"))
        }
        (Format::Xlsb | Format::Docx, Sniffed::Ole) => {
            Err(wrong("an old-style Office 97-2003 file", "xls or .doc"))
        }
        (Format::Xlsb | Format::Docx, Sniffed::Ods) => {
            Err(wrong("an OpenDocument spreadsheet (.ods)", "ods"))
        }
        (Format::Ods, Sniffed::Ods) => {
            guard::check_zip(bytes, limits)?;
            guard::check_ods(bytes, limits)?;
            guard::contained(|| {
                with_asides(spreadsheet::read_ods(bytes, limits), bytes, asides::ods)
            })
        }
        (Format::Xls, Sniffed::Ole) => {
            guard::check_xls(bytes, limits)?;
            guard::contained(|| {
                with_asides(spreadsheet::read_xls(bytes, limits), bytes, asides::xls)
            })
        }
        // An encrypted xlsx is an OLE container holding the encrypted package.
        (Format::Xlsx, Sniffed::Ole) => {
            if spreadsheet::is_encrypted_ooxml(bytes) {
                Err(ReadError::Password)
            } else {
                Err(wrong("an old-style Excel 97-2003 workbook", "xls"))
            }
        }
        (Format::Xls, Sniffed::Zip) => Err(wrong("an Excel workbook (.xlsx)", "xlsx")),
        (Format::Ods, Sniffed::Zip) => Err(wrong("an Excel workbook (.xlsx)", "xlsx")),
        (Format::Xlsx | Format::Xls, Sniffed::Ods) => {
            Err(wrong("an OpenDocument spreadsheet (.ods)", "ods"))
        }
        (Format::Ods, Sniffed::Ole) => Err(wrong("an old-style Excel 97-2003 workbook", "xls")),
        (Format::Csv, Sniffed::Zip) => Err(wrong("an Excel workbook (.xlsx)", "xlsx")),
        (Format::Csv, Sniffed::Ods) => Err(wrong("an OpenDocument spreadsheet (.ods)", "ods")),
        (Format::Csv, Sniffed::Ole) => Err(wrong("an old-style Excel 97-2003 workbook", "xls")),
    }
}

/// A workbook read, with the text `find` finds outside its cells.
fn with_asides(
    wb: Result<Workbook, ReadError>,
    bytes: &[u8],
    find: fn(&[u8]) -> Vec<asides::Aside>,
) -> Result<Workbook, ReadError> {
    wb.map(|mut wb| {
        wb.asides.extend(find(bytes));
        wb
    })
}

fn ext_of(format: Format) -> &'static str {
    match format {
        Format::Xlsx => "xlsx",
        Format::Xlsb => "xlsb",
        Format::Xls => "xls",
        Format::Ods => "ods",
        Format::Csv => "csv",
        Format::Docx => "docx",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_files_and_hidden_files_pass_quietly_and_other_files_are_named() {
        assert!(
            matches!(classify(Path::new("~$BE.xlsx")), Kind::Skip(r) if r.contains("lock file"))
        );
        assert!(matches!(classify(Path::new(".DS_Store")), Kind::Skip(_)));
        assert!(matches!(classify(Path::new("notes.doc")), Kind::NotRead(r) if r.contains(".doc")));
        assert!(
            matches!(classify(Path::new("reply")), Kind::Unknown(r) if r.contains("without an extension"))
        );
        assert_eq!(classify(Path::new("BE.docx")), Kind::Response(Format::Docx));
        assert_eq!(classify(Path::new("BE.xlsb")), Kind::Response(Format::Xlsb));
        assert_eq!(classify(Path::new("BE.txt")), Kind::Response(Format::Csv));
        assert_eq!(classify(Path::new("BE.XLSX")), Kind::Response(Format::Xlsx));
        assert_eq!(classify(Path::new("BE.xlsm")), Kind::Response(Format::Xlsx));
        assert_eq!(classify(Path::new("a.b.ods")), Kind::Response(Format::Ods));
    }

    #[test]
    fn html_saved_as_xls_says_so() {
        let html = b"<html><body><table><tr><td>Country</td></tr></table></body></html>";
        assert_eq!(
            read_bytes(html, Format::Xls, &Limits::default()).unwrap_err(),
            ReadError::Html
        );
        let e = ReadError::Html.to_string();
        assert!(
            e.contains("web page") && e.contains("save it as .xlsx"),
            "{e}"
        );
    }

    #[test]
    fn empty_pdf_and_text_named_xlsx_are_refused_with_reasons() {
        assert_eq!(
            read_bytes(b"", Format::Xlsx, &Limits::default()).unwrap_err(),
            ReadError::Empty
        );
        assert_eq!(
            read_bytes(b"%PDF-1.4 ...", Format::Xlsx, &Limits::default()).unwrap_err(),
            ReadError::Pdf
        );
        assert!(matches!(
            read_bytes(b"Country;BE\n", Format::Xlsx, &Limits::default()).unwrap_err(),
            ReadError::TextWithSpreadsheetName { .. }
        ));
        assert!(matches!(
            read_bytes(
                b"0123456789",
                Format::Csv,
                &Limits {
                    max_file_bytes: 4,
                    ..Limits::default()
                }
            )
            .unwrap_err(),
            ReadError::TooLarge { size: 10, limit: 4 }
        ));
    }

    #[test]
    fn truncated_zip_is_damaged_not_a_panic() {
        let e = read_bytes(b"PK\x03\x04garbage", Format::Xlsx, &Limits::default()).unwrap_err();
        assert!(
            matches!(&e, ReadError::Damaged { why } if why.contains("cut short")),
            "{e:?}"
        );
    }

    /// Issue 19, 2: a merged value covers its range where a reading looks.
    #[test]
    fn a_merged_value_is_copied_into_the_cells_it_covers_within_the_limit() {
        let cells = vec![
            Cell::new(0, 0, "Austria"),
            Cell::new(0, 1, "No"),
            Cell::new(1, 0, "Czech Republic"),
            Cell::new(2, 0, "France"),
        ];
        let u = unseen::Unseen {
            merged: vec![(0, 1, 1, 1), (0, 5, 9, 9)],
            ..unseen::Unseen::default()
        };
        let s = Sheet::new("S", true, cells.clone())
            .with_unseen(Some(&u), 100)
            .unwrap();
        let copy = s.get(1, 1).unwrap();
        assert_eq!((copy.text.as_str(), copy.merged_from), ("No", Some((0, 1))));
        // Not into rows no other cell uses, nor from a range with no first cell.
        assert!(s.get(2, 1).is_none() && s.cells().len() == 5);
        let e = Sheet::new("S", true, cells)
            .with_unseen(Some(&u), 4)
            .unwrap_err();
        assert_eq!(
            e,
            ReadError::TooManyCells {
                sheet: "S".into(),
                limit: 4
            }
        );
    }

    #[test]
    fn sheet_rows_and_lookup() {
        let cell = |row, col, t: &str| Cell::new(row, col, t);
        let s = Sheet::new(
            "S",
            true,
            vec![
                cell(2, 1, "b"),
                cell(0, 0, "a"),
                cell(2, 0, "c"),
                cell(3, 0, " "),
            ],
        );
        assert_eq!(s.rows(), vec![0, 2]);
        assert_eq!(
            s.row(2).iter().map(|c| c.text.as_str()).collect::<Vec<_>>(),
            ["c", "b"]
        );
        assert_eq!(s.get(2, 1).unwrap().text, "b");
        assert!(s.get(3, 0).is_none());
    }
}
