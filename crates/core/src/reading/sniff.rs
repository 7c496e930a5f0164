//! What a file is, by its bytes: the formats ahq reads, and the ones it
//! does not, named so that the message says what was sent.

/// What the bytes say the file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sniffed {
    Zip,
    Xlsb,
    Docx,
    Ods,
    Ole,
    Html,
    Pdf,
    Binary,
    Text,
    /// A format ahq does not read, named by its content.
    Foreign(Foreign),
}

pub(super) fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.starts_with(b"PK\x03\x04") {
        // ODF puts an uncompressed "mimetype" entry first (ODF 1.2, 3.3).
        let ods = b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet";
        if bytes.get(30..30 + ods.len()) == Some(&ods[..]) {
            return Sniffed::Ods;
        }
        return zip_kind(bytes);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Sniffed::Ole;
    }
    if bytes.starts_with(b"%PDF") {
        return Sniffed::Pdf;
    }
    if let Some(f) = foreign(bytes) {
        return Sniffed::Foreign(f);
    }
    let head: Vec<u8> = bytes
        .iter()
        .take(1024)
        .skip_while(|b| b.is_ascii_whitespace() || **b == 0xEF || **b == 0xBB || **b == 0xBF)
        .map(u8::to_ascii_lowercase)
        .collect();
    if looks_binary(bytes) {
        return Sniffed::Binary;
    }
    let head = String::from_utf8_lossy(&head);
    // A "Single File Web Page" (.mht) is a web page too.
    if head.starts_with("mime-version:")
        || head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || (head.starts_with('<') && (head.contains("<html") || head.contains("<table")))
    {
        return Sniffed::Html;
    }
    Sniffed::Text
}

/// Text has no NUL bytes (UTF-16 has them, and a byte-order mark first) and
/// few other control bytes.
fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return false;
    }
    let head = &bytes[..bytes.len().min(8192)];
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | 0x1a))
        .count();
    head.contains(&0) || controls * 20 > head.len()
}

/// What a zip holds: an Excel workbook (xml or binary), a Word document,
/// or something else, by the parts it names.
fn zip_kind(bytes: &[u8]) -> Sniffed {
    let Ok(zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Sniffed::Zip;
    };
    let has = |name: &str| zip.file_names().any(|n| n.is_ok_and(|n| n == name));
    if has("xl/workbook.bin") {
        Sniffed::Xlsb
    } else if has("word/document.xml") {
        Sniffed::Docx
    } else if has("content.xml") && has("mimetype") {
        // An ODF package whose mimetype is not the first entry.
        let mut mime = String::new();
        let mut zip = zip;
        if let Ok(f) = zip.by_name("mimetype") {
            let _ = std::io::Read::read_to_string(&mut std::io::Read::take(f, 200), &mut mime);
        }
        if mime.trim() == "application/vnd.oasis.opendocument.spreadsheet" {
            Sniffed::Ods
        } else if mime.trim() == "application/vnd.oasis.opendocument.text" {
            Sniffed::Foreign(Foreign::Odt)
        } else {
            Sniffed::Zip
        }
    } else if zip.is_empty() {
        Sniffed::Foreign(Foreign::EmptyZip)
    } else if zip.file_names().any(|n| {
        n.is_ok_and(|n| {
            n.starts_with("Index/") || n.ends_with("Index.zip") || n.contains(".numbers/")
        })
    }) {
        Sniffed::Foreign(Foreign::Numbers)
    } else {
        Sniffed::Zip
    }
}

/// Formats ahq does not read, each named by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Foreign {
    SpreadsheetMl,
    FlatOds,
    Sylk,
    /// Excel 2.x, 3.0 or 4.0: a worksheet stream with no container.
    OldExcel(u8),
    Lotus,
    LockFile,
    Rtf,
    EmptyZip,
    Numbers,
    Odt,
    Doc,
}

impl Foreign {
    /// What the file is, and what to do: "this file is …, which ahq does not read: …".
    pub fn describe(self) -> (String, &'static str) {
        let save = "open it in Excel or LibreOffice and save it as .xlsx";
        match self {
            Foreign::SpreadsheetMl => ("an Excel 2003 XML spreadsheet (SpreadsheetML)".into(), save),
            Foreign::FlatOds => (
                "a flat OpenDocument spreadsheet (.fods)".into(),
                "open it in LibreOffice and save it as .ods or .xlsx",
            ),
            Foreign::Sylk => ("a SYLK file (.slk)".into(), save),
            Foreign::OldExcel(v) => (format!("an Excel {v} worksheet (from before 1995)"), save),
            Foreign::Lotus => ("a Lotus 1-2-3 worksheet".into(), save),
            Foreign::LockFile => (
                "an Excel lock file (Excel leaves it beside a workbook that is open; it holds only \
                 the name of whoever has it open)"
                    .into(),
                "send the workbook itself, not the file whose name starts with ~$",
            ),
            Foreign::Rtf => (
                "a Rich Text document (.rtf)".into(),
                "save it as .docx, or send the answers in the spreadsheet template",
            ),
            Foreign::EmptyZip => (
                "an empty zip archive (it holds no file)".into(),
                "ask the sender to send the response again",
            ),
            Foreign::Numbers => (
                "an Apple Numbers document".into(),
                "in Numbers, choose File > Export To > Excel and send the .xlsx",
            ),
            Foreign::Odt => (
                "an OpenDocument text (.odt)".into(),
                "save it as .docx, or send the answers in the spreadsheet template",
            ),
            Foreign::Doc => (
                "an old Word document (.doc)".into(),
                "open it in Word or LibreOffice and save it as .docx",
            ),
        }
    }
}

/// A format ahq does not read, by the first bytes.
fn foreign(bytes: &[u8]) -> Option<Foreign> {
    let head = &bytes[..bytes.len().min(4096)];
    let text = String::from_utf8_lossy(head);
    let trimmed = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if trimmed.starts_with('<') {
        if text.contains("urn:schemas-microsoft-com:office:spreadsheet") {
            return Some(Foreign::SpreadsheetMl);
        }
        if text.contains("<office:document") && text.contains("opendocument.spreadsheet") {
            return Some(Foreign::FlatOds);
        }
    }
    // SYLK: "ID;P…" first, then records such as "C;Y1;X1;K…" (a CSV
    // whose first word is "ID;P…" has no such lines).
    if bytes.starts_with(b"ID;P")
        && text
            .split(['\r', '\n'])
            .skip(1)
            .any(|l| l.starts_with("C;") || l.starts_with("B;"))
    {
        return Some(Foreign::Sylk);
    }
    if bytes.starts_with(b"{\\rtf") {
        return Some(Foreign::Rtf);
    }
    if bytes.starts_with(b"PK\x05\x06") {
        return Some(Foreign::EmptyZip);
    }
    // The BOF record of a bare BIFF stream: type 0x0009 (BIFF2), 0x0209
    // (BIFF3), 0x0409 (BIFF4), with its short length.
    if let [lo, hi, len, 0, ..] = *bytes {
        let len_ok = (4..=16).contains(&len);
        match (lo, hi) {
            (0x09, 0x00) if len_ok => return Some(Foreign::OldExcel(2)),
            (0x09, 0x02) if len_ok => return Some(Foreign::OldExcel(3)),
            (0x09, 0x04) if len_ok => return Some(Foreign::OldExcel(4)),
            _ => {}
        }
    }
    // Lotus: a BOF record of type 0 whose version is that of 1-2-3.
    if let [0, 0, 2, 0, 0x04..=0x06, 0x04, ..] | [0, 0, 0x1a, 0, ..] = *bytes {
        return Some(Foreign::Lotus);
    }
    if is_lock_file(bytes) {
        return Some(Foreign::LockFile);
    }
    None
}

/// An Office lock file: the owner's name as a counted string, padded with
/// spaces (or as UTF-16 after it), 162 or 165 bytes in all.
fn is_lock_file(bytes: &[u8]) -> bool {
    let n = usize::from(*bytes.first().unwrap_or(&0));
    matches!(bytes.len(), 162 | 165)
        && (1..=54).contains(&n)
        && bytes[1..=n].iter().all(|b| *b >= 0x20)
        && bytes
            .get(n + 1..55)
            .is_some_and(|pad| pad.iter().all(|b| *b == b' '))
}

/// What an OLE container holds, by the names of its streams (UTF-16 in its
/// directory): a Word document, or `None`.
pub(super) fn ole_foreign(bytes: &[u8]) -> Option<Foreign> {
    let has = |name: &str| {
        let needle: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        bytes.windows(needle.len()).any(|w| w == needle.as_slice())
    };
    (has("WordDocument") && !has("Workbook") && !has("Book")).then_some(Foreign::Doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_ahq_does_not_read_are_named_by_their_bytes() {
        let xml = br#"<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">"#;
        assert_eq!(sniff(xml), Sniffed::Foreign(Foreign::SpreadsheetMl));
        assert_eq!(
            sniff(b"ID;PWXL;N;E\r\nC;Y1;X1;K1\r\nE\r\n"),
            Sniffed::Foreign(Foreign::Sylk)
        );
        assert_eq!(
            sniff(&[0x09, 0x04, 0x06, 0x00, 0x00, 0x00, 0x10, 0x00, 0, 0]),
            Sniffed::Foreign(Foreign::OldExcel(4))
        );
        assert_eq!(
            sniff(b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"),
            Sniffed::Foreign(Foreign::EmptyZip)
        );
        let mut lock = vec![b' '; 165];
        lock[0] = 4;
        lock[1..5].copy_from_slice(b"Jane");
        assert_eq!(sniff(&lock), Sniffed::Foreign(Foreign::LockFile));
        assert_eq!(
            sniff(b"{\\rtf1\\ansi hello}"),
            Sniffed::Foreign(Foreign::Rtf)
        );
        // Text stays text, whatever its first word.
        assert_eq!(sniff(b"ID,Country\n1,BE\n"), Sniffed::Text);
    }
}
