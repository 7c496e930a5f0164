//! CSV responses: encoding and delimiter are detected, never assumed.

use super::{Cell, Format, Limits, ReadError, Sheet, Workbook};
use crate::record::Finding;
use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};

/// Decodes: UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1252, the
/// encoding Excel on Windows writes "CSV" in.
fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return (String::from_utf8_lossy(rest).into_owned(), "UTF-8 with BOM");
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        let (text, _, _) = UTF_16LE.decode(bytes);
        return (text.into_owned(), "UTF-16LE");
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        let (text, _, _) = UTF_16BE.decode(bytes);
        return (text.into_owned(), "UTF-16BE");
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), "UTF-8"),
        Err(_) => {
            let (text, _, _) = WINDOWS_1252.decode(bytes);
            (text.into_owned(), "Windows-1252")
        }
    }
}

/// The rows of a CSV text, and where and why reading stopped early, if it did.
struct Parsed {
    rows: Vec<Vec<String>>,
    stopped: Option<String>,
}

/// Parses with `delimiter`, stopping (with `None`) past `max_cells` fields.
fn parse(text: &str, delimiter: u8, max_cells: usize) -> Option<Parsed> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut cells = 0usize;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {
                cells += record.iter().filter(|f| !f.trim().is_empty()).count();
                if cells > max_cells {
                    return None;
                }
                rows.push(record.iter().map(str::to_string).collect())
            }
            Ok(false) => {
                return Some(Parsed {
                    rows,
                    stopped: None,
                });
            }
            // Lenient as the csv crate is, a stop must be said, never swallowed.
            Err(e) => {
                let why = format!("after line {}: {e}", rows.len());
                return Some(Parsed {
                    rows,
                    stopped: Some(why),
                });
            }
        }
    }
}

/// Picks the delimiter under which the fewest fields keep a quote mark, then
/// the largest share of records has more than one field. Read with the wrong
/// delimiter, a quoted field does not start at a field's start, so its quotes
/// are not honoured: they stay in the text, and its lines become records of
/// their own ("a, b" split at the comma), which a count of split records
/// would reward. `None` when the text holds more than `max_cells` fields.
fn detect(text: &str, max_cells: usize) -> Option<(u8, Parsed)> {
    // (fields with a quote mark, (split records, records)), delimiter, rows
    type Score = (usize, (usize, usize));
    let mut best: Option<(Score, u8, Parsed)> = None;
    for d in [b';', b',', b'\t'] {
        let parsed = parse(text, d, max_cells)?;
        let quoted = parsed
            .rows
            .iter()
            .flatten()
            .filter(|f| f.contains('"'))
            .count();
        let split = parsed.rows.iter().filter(|r| r.len() > 1).count();
        let share = (split, parsed.rows.len().max(1));
        // Fewer stray quotes, then split/total > best_split/best_total.
        let better = best.as_ref().is_none_or(|((q, (s, t)), _, _)| {
            quoted < *q || (quoted == *q && share.0 * t > s * share.1)
        });
        if better {
            best = Some(((quoted, share), d, parsed));
        }
    }
    let (_, d, parsed) = best.expect("three candidates");
    Some((d, parsed))
}

/// The line (from 1) of a quoted field that does not close where its field
/// ends: still open at the end of the text, or closed by a quote mark that
/// is followed by more text (the csv crate then reads on, unquoted, and a
/// quote left open swallows the rows up to the next quote mark). Read as the
/// csv crate reads: a quote opens a field only as its first character, and
/// `""` inside stands for one quote.
fn open_quote(text: &str, delimiter: u8) -> Option<usize> {
    let mut line = 1usize;
    let mut opened = 0usize;
    let mut quoted = false;
    let mut field_start = true;
    let mut bytes = text.bytes().peekable();
    while let Some(b) = bytes.next() {
        if quoted {
            match b {
                b'"' if bytes.peek() == Some(&b'"') => {
                    bytes.next();
                }
                b'"' => {
                    quoted = false;
                    match bytes.peek() {
                        None | Some(b'\n' | b'\r') => {}
                        Some(&d) if d == delimiter => {}
                        Some(_) => return Some(opened),
                    }
                }
                b'\n' => line += 1,
                b'\r' if bytes.peek() != Some(&b'\n') => line += 1,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' if field_start => {
                quoted = true;
                opened = line;
            }
            b'\n' => {
                line += 1;
                field_start = true;
                continue;
            }
            b'\r' => {
                // A line ending on its own (old Mac files), or before \n.
                if bytes.peek() != Some(&b'\n') {
                    line += 1;
                }
                field_start = true;
                continue;
            }
            d if d == delimiter => {
                field_start = true;
                continue;
            }
            _ => {}
        }
        field_start = false;
    }
    quoted.then_some(opened)
}

pub fn read(bytes: &[u8], limits: &Limits) -> Result<Workbook, ReadError> {
    let (text, encoding) = decode(bytes);
    let (delimiter, Parsed { rows, stopped }) =
        detect(&text, limits.max_cells).ok_or_else(|| ReadError::TooManyCells {
            sheet: "CSV".into(),
            limit: limits.max_cells,
        })?;
    // The csv crate, lenient, reads a quote left open to the end of the file
    // as one field: the rows after it (another country's, its "No") would
    // become this answer's text.
    if let Some(line) = open_quote(&text, delimiter) {
        return Err(ReadError::OpenQuote { line });
    }
    let mut cells = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            // NUL and other control bytes are garbage from a broken export, not text.
            let clean: String = value
                .chars()
                // Line-break controls stay for tidy() to turn into breaks; other
                // control bytes (garbage from a broken export) become spaces, so
                // no two words are glued together.
                .map(|ch| match ch {
                    '\n' | '\r' | '\t' | '\u{0b}' | '\u{0c}' | '\u{85}' => ch,
                    c if c.is_control() => ' ',
                    c => c,
                })
                .collect();
            if !clean.trim().is_empty() {
                cells.push(Cell::new(r as u32, c as u32, clean));
            }
        }
    }
    let name = match delimiter {
        b';' => "semicolon",
        b',' => "comma",
        _ => "tab",
    };
    Ok(Workbook {
        format: Format::Csv,
        sheets: vec![Sheet::new("", true, cells)],
        notes: std::iter::once(Finding::info(
            format!("read as CSV, {encoding}, {name}-separated"),
            None,
        ))
        .chain(stopped.map(|why| {
            Finding::warning(
                format!(
                    "the CSV could not be read to its end ({why}); what follows is not read: \
                         open the file in a spreadsheet program and save it again as CSV or .xlsx"
                ),
                None,
            )
        }))
        .collect(),
        modified: None,
        ahq_meta: None,
        asides: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_ok(bytes: &[u8]) -> Workbook {
        read(bytes, &Limits::default()).unwrap()
    }

    /// Found by the property tests: a semicolon file with a one-field title
    /// row and a long quoted answer whose many lines each hold a comma was
    /// read as comma-separated, and its answers were lost.
    #[test]
    fn a_long_quoted_answer_full_of_commas_does_not_make_the_comma_the_delimiter() {
        let answer = "a, b\n".repeat(200);
        let text = format!("Title\nCountry;Belgium\n1;\"{}\"\n", answer.trim());
        let wb = read_ok(text.as_bytes());
        let t = texts(&wb);
        assert_eq!(t[1], (1, 0, "Country".to_string()), "{:?}", &t[..3]);
        assert_eq!(t[4].2, answer.trim());
    }

    fn texts(wb: &Workbook) -> Vec<(u32, u32, String)> {
        wb.sheets[0]
            .cells()
            .iter()
            .map(|c| (c.row, c.col, c.text.clone()))
            .collect()
    }

    #[test]
    fn semicolon_and_comma_are_detected() {
        let a = read_ok("Country;Belgium\nWider dissemination;Yes, of course\n".as_bytes());
        assert_eq!(texts(&a)[3], (1, 1, "Yes, of course".into()));
        let b = read_ok(b"Country,Wider dissemination,Response\nBE,Yes,\"1. a; b\"\n");
        assert_eq!(texts(&b)[5], (1, 2, "1. a; b".into()));
        assert!(b.notes[0].message.contains("comma"));
    }

    #[test]
    fn encodings_bom_utf16_and_windows_1252() {
        let mut utf8_bom = vec![0xEF, 0xBB, 0xBF];
        utf8_bom.extend_from_slice("Country;Österreich\n".as_bytes());
        assert_eq!(texts(&read_ok(&utf8_bom))[1].2, "Österreich");

        let mut utf16: Vec<u8> = vec![0xFF, 0xFE];
        utf16.extend(
            "Country;Česko\r\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        let wb = read_ok(&utf16);
        assert_eq!(texts(&wb)[1].2, "Česko");
        assert!(wb.notes[0].message.contains("UTF-16LE"));

        let cp1252 = b"Country;\xd6sterreich\n";
        let wb = read_ok(cp1252);
        assert_eq!(texts(&wb)[1].2, "Österreich");
        assert!(wb.notes[0].message.contains("Windows-1252"));
    }

    /// Regression (found by tests/properties.rs): a semicolon CSV whose
    /// multi-line answer has commas on every line was read as comma-separated.
    #[test]
    fn commas_in_a_multi_line_answer_do_not_make_it_comma_separated() {
        let text = "Country;Belgium\n1;\"a, b\nc, d\ne, f\ng, h\"\n2;x\n";
        let wb = read_ok(text.as_bytes());
        assert!(wb.notes[0].message.contains("semicolon"), "{:?}", wb.notes);
        assert_eq!(texts(&wb)[3].2, "a, b\nc, d\ne, f\ng, h");
    }

    /// Issue 19, 1: a quote left open swallowed the rows after it (Austria's
    /// "No" and its restricted text) into Germany's answer.
    #[test]
    fn a_quote_left_open_to_the_end_is_damage_naming_its_line() {
        let text = "Country,Wider Dissemination,Response\nGermany,Yes,\"Germany has a partnership\nAustria,No,restricted\nFrance,Yes,ok\n";
        let e = read(text.as_bytes(), &Limits::default()).unwrap_err();
        assert_eq!(e, ReadError::OpenQuote { line: 2 });
        // Closed, with "" inside and a quote mid-field (not an opening), it reads.
        let fine = "Country,Response\nGermany,\"a \"\"b\"\"\nc\"\nAustria,5\" tall\n";
        assert_eq!(open_quote(fine, b','), None);
        assert_eq!(open_quote("a;\"b\n\nc", b';'), Some(1));
        // Left open, then "closed" by the next quoted field's opening quote.
        let swallowed = "Country;Belgium\nNote;\"open\nWider dissemination;No\n1;\"a; b\"\n";
        assert_eq!(open_quote(swallowed, b';'), Some(2));
        assert_eq!(open_quote("a;b\rc;\"d\re", b';'), Some(2));
    }

    #[test]
    fn multi_line_quoted_cells_and_mixed_line_endings() {
        let wb = read_ok(b"Country;BE\r\nResponse;\"1. Yes\r\n2. Georgia\"\nX;Y\r");
        let t = texts(&wb);
        assert_eq!(t[3].2, "1. Yes\r\n2. Georgia");
        assert_eq!(t[4], (2, 0, "X".into()));
    }
}
