//! Hostile and broken inputs: what coordinators really receive. Each file is
//! built here (from the sample's own files where a real writer is needed)
//! and must get its message; none may panic, hang, or take unbounded memory:
//! `ahq` runs under a 2 GiB address-space limit and a time limit.

mod support;

use serde_json::Value;
use std::io::{Cursor, Read, Write};
use std::path::Path;
use std::time::Duration;
use support::{Case, repo};

/// A small valid response, as a real xlsx.
fn response_xlsx() -> Vec<u8> {
    support::xlsx(
        &[(
            "Response",
            &[
                &["Country", "Belgium"],
                &["Wider dissemination", "Yes"],
                &["1", "Yes"],
            ],
        )],
        |_| {},
    )
}

/// A zip with some parts replaced or added, the others copied as they are.
fn rezip(zip_bytes: &[u8], replace: &[(&str, &[u8])]) -> Vec<u8> {
    let mut src = zip::ZipArchive::new(Cursor::new(zip_bytes)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    let mut done = Vec::new();
    for i in 0..src.len() {
        let mut part = src.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        let mut bytes = Vec::new();
        part.read_to_end(&mut bytes).unwrap();
        if let Some((_, new)) = replace.iter().find(|(n, _)| *n == name) {
            bytes = new.to_vec();
            done.push(name.clone());
        }
        out.start_file(name, opts).unwrap();
        out.write_all(&bytes).unwrap();
    }
    for (name, bytes) in replace.iter().filter(|(n, _)| !done.iter().any(|d| d == n)) {
        out.start_file(*name, opts).unwrap();
        out.write_all(bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// The name of an xlsx's first worksheet part.
fn first_sheet_part(xlsx: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(xlsx)).unwrap();
    (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().unwrap().to_string())
        .find(|n| n.starts_with("xl/worksheets/sheet"))
        .unwrap()
}

/// A minimal OpenDocument spreadsheet around a `<table:table>` body.
fn ods(table: &str) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    out.start_file("mimetype", stored).unwrap();
    out.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    let opts = zip::write::SimpleFileOptions::default();
    out.start_file("META-INF/manifest.xml", opts).unwrap();
    out.write_all(
        br#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"#,
    )
    .unwrap();
    out.start_file("content.xml", opts).unwrap();
    write!(
        out,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet>{table}</office:spreadsheet></office:body></office:document-content>"#
    )
    .unwrap();
    out.finish().unwrap().into_inner()
}

fn ods_cell(text: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>"#
    )
}

/// The sample's xls (written by LibreOffice), its Workbook stream changed by `patch`.
fn patched_xls(patch: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let bytes = std::fs::read(repo(
        "samples/migration-partnerships/responses/UK response.xls",
    ))
    .unwrap();
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes)).unwrap();
    let mut stream = Vec::new();
    cf.open_stream("/Workbook")
        .unwrap()
        .read_to_end(&mut stream)
        .unwrap();
    patch(&mut stream);
    cf.create_stream("/Workbook")
        .unwrap()
        .write_all(&stream)
        .unwrap();
    cf.flush().unwrap();
    cf.into_inner().into_inner()
}

/// Positions of the records of one type in the first sheet's substream.
fn sheet_records(stream: &[u8], kind: u16) -> Vec<usize> {
    let mut at = 0;
    let mut bofs = 0;
    let mut found = Vec::new();
    while at + 4 <= stream.len() {
        let t = u16::from_le_bytes([stream[at], stream[at + 1]]);
        let len = u16::from_le_bytes([stream[at + 2], stream[at + 3]]) as usize;
        if t == 0x0809 {
            bofs += 1;
        }
        if bofs == 2 && t == kind {
            found.push(at);
        }
        at += 4 + len;
    }
    found
}

/// Runs `ahq validate DIR --format json EXTRA...` under limits of time and
/// address space; the parsed reports.
fn validate_bounded(dir: &Path, extra: &[&str]) -> (Vec<Value>, String) {
    let mut args = vec!["validate", dir.to_str().unwrap(), "--format", "json"];
    args.extend(extra);
    let r = support::run_bounded(&args, Duration::from_secs(120));
    assert!(
        matches!(r.code, 0 | 1),
        "ahq validate ended with {}: a crash or an allocation over 2 GiB\n{}",
        r.code,
        r.stderr
    );
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    (support::json_list(&r.stdout, "files"), r.stderr)
}

fn first_error(files: &[Value], name: &str) -> String {
    let f = files
        .iter()
        .find(|f| f["file"] == name)
        .unwrap_or_else(|| panic!("no report for {name}"));
    f["errors"][0]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("{name}: no error: {f:#}"))
        .to_string()
}

#[test]
fn every_broken_file_gets_its_message_and_none_crashes_hangs_or_balloons() {
    let good = response_xlsx();
    let broken_xml: &[u8] = b"<?xml version=\"1.0\"?><worksheet><sheetData><row><c r=\"A1\"";
    let sheet_name = first_sheet_part(&good);
    let mut corrupt = good.clone();
    let mid = corrupt.len() / 2;
    for b in &mut corrupt[mid..mid + 64] {
        *b ^= 0x5A;
    }
    let lying_dimension = patched_xls(|s| {
        let at = sheet_records(s, 0x0200)[0];
        // rwMac: the last row + 1, claimed as 4 billion.
        s[at + 8..at + 12].copy_from_slice(&u32::MAX.to_le_bytes());
    });
    let far_cell = patched_xls(|s| {
        let at = *sheet_records(s, 0x00FD).last().unwrap();
        s[at + 4..at + 6].copy_from_slice(&65_535u16.to_le_bytes());
        s[at + 6..at + 8].copy_from_slice(&255u16.to_le_bytes());
    });
    let billion_rows = ods(&format!(
        r#"<table:table table:name="Sheet1"><table:table-row>{}{}</table:table-row>
<table:table-row table:number-rows-repeated="1000000000">{}</table:table-row></table:table>"#,
        ods_cell("Country"),
        ods_cell("Belgium"),
        ods_cell("x")
    ));
    let mut garbage = b"Country;Belgium\n".to_vec();
    garbage.extend((0..4000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));

    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.xlsx", Vec::new(), "the file is empty"),
        ("truncated.xlsx", good[..good.len() / 2].to_vec(), "damaged"),
        ("corrupt.xlsx", corrupt, "damaged"),
        (
            "csv.xlsx",
            b"Country;Belgium\n1;Yes\n".to_vec(),
            "plain text (CSV) saved with a .xlsx name",
        ),
        (
            "page.xlsx",
            b"<!DOCTYPE html><html><body>x</body></html>".to_vec(),
            "web page",
        ),
        (
            "page.xls",
            b"<html><table><tr><td>Country</td></tr></table></html>".to_vec(),
            "web page (HTML) saved with a spreadsheet name: open it in Excel or LibreOffice and save it as .xlsx",
        ),
        ("doc.xlsx", b"%PDF-1.7\n...".to_vec(), "PDF"),
        (
            "xml.xlsx",
            rezip(&good, &[(sheet_name.as_str(), broken_xml)]),
            "damaged",
        ),
        (
            "lying-dimension.xls",
            lying_dimension,
            "more than an .xls sheet can hold",
        ),
        (
            "far-cell.xls",
            far_cell,
            "spans 16777216 cells (up to row 65536, column 256)",
        ),
        (
            "billion-rows.ods",
            billion_rows,
            "raise the limit with --max-cells",
        ),
        ("garbage.csv", garbage, "binary data"),
        (
            "2000-sheets.xlsx",
            support::xlsx(&[], |wb| {
                for _ in 0..2000 {
                    wb.add_worksheet();
                }
            }),
            "has 2000 sheets, over the limit of 256",
        ),
    ];
    let mut case = Case::new();
    for (name, bytes, _) in &cases {
        case = case.file(name, bytes);
    }
    let (files, _) = validate_bounded(case.dir(), &[]);
    for (name, _, expected) in &cases {
        let message = first_error(&files, name);
        assert!(message.contains(expected), "{name}: {message}");
    }
}

/// calamine's own files that teach what ahq's built files cannot (used from
/// `../shared/real-files/calamine-tests`, never copied here).
#[test]
#[ignore = "needs ../shared/real-files"]
fn calamine_files_for_passwords_repeats_and_damage_get_their_messages() {
    let cases = [
        // an xlsx encrypted with a password (an OLE container)
        ("pass_protected.xlsx", "protected by a password"),
        // an xls encrypted with a password (FILEPASS)
        ("issue_385.xls", "protected by a password"),
        // an ods whose repeats expand to 17 billion cells
        ("issue_594_dos.ods", "spans 17179869184 cells"),
        // an xls whose container points past its end
        ("OOM_alloc3.xls", "damaged"),
        // an ods encrypted with a password (content.xml is ciphertext)
        ("pass_protected.ods", "protected by a password"),
    ];
    let mut case = Case::new();
    for (name, _) in &cases {
        let path = repo("../shared/real-files/calamine-tests").join(name);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (CI has ../shared beside the repository)",
                path.display()
            )
        });
        case = case.file(name, &bytes);
    }
    let (files, _) = validate_bounded(case.dir(), &[]);
    for (name, expected) in &cases {
        let message = first_error(&files, name);
        assert!(message.contains(expected), "{name}: {message}");
    }
}

#[test]
fn a_deflate_bomb_is_refused_before_it_is_parsed() {
    // One part of a real xlsx that inflates to 1 GiB of zeros.
    let mut bomb = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9))
        .large_file(true);
    let good = response_xlsx();
    let mut src = zip::ZipArchive::new(Cursor::new(good)).unwrap();
    for i in 0..src.len() {
        let part = src.by_index(i).unwrap();
        bomb.raw_copy_file(part).unwrap();
    }
    bomb.start_file("xl/media/image1.png", opts).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..1024 {
        bomb.write_all(&zeros).unwrap();
    }
    let bytes = bomb.finish().unwrap().into_inner();
    assert!(bytes.len() < 2 << 20, "a bomb: {} bytes", bytes.len());
    let case = Case::new().file("bomb.xlsx", &bytes);
    let (files, _) = validate_bounded(case.dir(), &[]);
    let message = first_error(&files, "bomb.xlsx");
    assert!(
        message.contains("inflates to more than 268435456 bytes")
            && message.contains("--max-inflated-bytes"),
        "{message}"
    );
    // Raising the limit lets it through (to the next question: where are the answers).
    let (files, _) = validate_bounded(case.dir(), &["--max-inflated-bytes", "2000000000"]);
    let f = files.iter().find(|f| f["file"] == "bomb.xlsx").unwrap();
    assert_eq!(f["country"], "BE", "{f:#}");
}

/// Sets the uncompressed size a zip declares for `name` (local header and
/// central directory) to `size`: a part that lies about what it inflates to.
fn declare_size(zip: &mut [u8], name: &str, size: u32) {
    let patch = |zip: &mut [u8], sig: &[u8; 4], name_at: usize, size_at: usize| {
        let mut at = 0;
        while let Some(i) = zip[at..].windows(4).position(|w| w == sig) {
            let h = at + i;
            if zip[h + name_at..].starts_with(name.as_bytes()) {
                zip[h + size_at..h + size_at + 4].copy_from_slice(&size.to_le_bytes());
            }
            at = h + 4;
        }
    };
    patch(zip, b"PK\x03\x04", 30, 22);
    patch(zip, b"PK\x01\x02", 46, 24);
}

#[test]
fn a_worksheet_that_lies_about_its_size_is_damaged_not_a_bomb() {
    // The sheet calamine must read inflates to 512 MiB but declares 1,000 bytes.
    let good = response_xlsx();
    let sheet = first_sheet_part(&good);
    let mut bomb = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let mut src = zip::ZipArchive::new(Cursor::new(good)).unwrap();
    for i in 0..src.len() {
        let part = src.by_index(i).unwrap();
        if part.name().unwrap() != sheet {
            bomb.raw_copy_file(part).unwrap();
        }
    }
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    bomb.start_file(sheet.as_str(), opts).unwrap();
    bomb.write_all(b"<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>")
        .unwrap();
    let spaces = vec![b' '; 1 << 20];
    for _ in 0..512 {
        bomb.write_all(&spaces).unwrap();
    }
    bomb.write_all(b"</sheetData></worksheet>").unwrap();
    let mut bytes = bomb.finish().unwrap().into_inner();
    declare_size(&mut bytes, &sheet, 1000);
    let case = Case::new().file("liar.xlsx", &bytes);
    let (files, _) = validate_bounded(case.dir(), &[]);
    let message = first_error(&files, "liar.xlsx");
    assert!(message.contains("damaged"), "{message}");
}

#[test]
fn limits_are_said_with_the_flag_that_raises_them() {
    let case = Case::new().xlsx(
        "BE.xlsx",
        &[(
            "Response",
            &[
                &["Country", "Belgium"],
                &["Wider dissemination", "Yes"],
                &["1", "Yes"],
                &["2", "Georgia"],
            ],
        )],
    );
    let (files, _) = validate_bounded(case.dir(), &["--max-cells", "5"]);
    let m = first_error(&files, "BE.xlsx");
    assert!(
        m.contains("more than 5 filled cells") && m.contains("--max-cells"),
        "{m}"
    );
    let (files, _) = validate_bounded(case.dir(), &["--max-file-bytes", "100"]);
    let m = first_error(&files, "BE.xlsx");
    assert!(
        m.contains("over the limit of 100 bytes") && m.contains("--max-file-bytes"),
        "{m}"
    );
    let (files, _) = validate_bounded(case.dir(), &["--max-inflated-bytes", "1000"]);
    let m = first_error(&files, "BE.xlsx");
    assert!(m.contains("--max-inflated-bytes"), "{m}");
    // The sample's LibreOffice ods repeat empty rows a million times: not refused.
    let (files, _) = validate_bounded(&repo("samples/migration-partnerships"), &[]);
    assert!(
        files
            .iter()
            .all(|f| f["errors"].as_array().unwrap().is_empty())
    );
}

#[test]
fn odd_but_honest_cells_read_as_seen() {
    // Error values, rich text, a cell at XFD1048576, a dimension that lies.
    let sheet = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>Country</t></is></c><c r="B1" t="inlineStr"><is><t>Belgium</t></is></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>1</t></is></c><c r="B2" t="e"><v>#N/A</v></c></row>
<row r="3"><c r="A3" t="inlineStr"><is><t>2</t></is></c><c r="B3" t="inlineStr"><is><r><rPr><b/></rPr><t>Bold</t></r><r><t xml:space="preserve"> and plain</t></r></is></c></row>
<row r="4"><c r="A4" t="inlineStr"><is><t>3</t></is></c><c r="B4" t="e"><f>#REF!+1</f><v>#REF!</v></c></row>
<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>far away</t></is></c></row>
</sheetData></worksheet>"#;
    let good = response_xlsx();
    let name = first_sheet_part(&good);
    let case = Case::new().file("BE.xlsx", rezip(&good, &[(name.as_str(), sheet)]));
    let (files, _) = validate_bounded(case.dir(), &[]);
    let f = &files[0];
    assert_eq!(f["answers"]["2"], "Bold and plain");
    let warnings: Vec<&str> = f["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["message"].as_str().unwrap())
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("question 1 is the spreadsheet error #N/A")),
        "{warnings:#?}"
    );
    assert!(
        warnings.iter().any(|w| w.contains("#REF!")),
        "{warnings:#?}"
    );
    assert!(
        warnings.iter().any(|w| w.contains("far away")),
        "{warnings:#?}"
    );
}

#[test]
fn a_40000_character_answer_is_read_whole() {
    let long: String = "Lorem ipsum dolor sit amet, ".repeat(1500);
    let long = long.trim().to_string();
    assert!(long.chars().count() > 40_000);
    let case = Case::new().csv("BE.csv", &[&["Country", "Belgium"], &["1", &long]]);
    let (files, _) = validate_bounded(case.dir(), &[]);
    assert_eq!(files[0]["answers"]["1"].as_str().unwrap(), long);
}

#[test]
fn csv_in_utf16_windows_1252_and_mixed_line_endings() {
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(
        "Country;Österreich\r\nWider dissemination;Nein\n1;Ja, mit Georgien\r"
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    let case = Case::new().file("AT.csv", utf16).file(
        "FR.csv",
        b"Country;France\r\n1;Oui, d\xe9j\xe0\n2;G\xe9orgie\r\n",
    );
    let (files, _) = validate_bounded(case.dir(), &[]);
    let at = files.iter().find(|f| f["file"] == "AT.csv").unwrap();
    assert_eq!(at["country"], "AT");
    assert_eq!(at["dissemination"], "no");
    assert_eq!(at["answers"]["1"], "Ja, mit Georgien");
    let fr = files.iter().find(|f| f["file"] == "FR.csv").unwrap();
    assert_eq!(fr["answers"]["1"], "Oui, déjà");
    assert_eq!(fr["answers"]["2"], "Géorgie");
}

/// Files crafted to get past the guards (tests/fixtures/hostile/README.md):
/// each is read in a process of its own under --max-memory, so each gets a
/// message, and the run goes on with the next file.
#[test]
fn files_built_to_exhaust_readers_end_one_reader_not_the_run() {
    let expected = [
        ("badend.ods", "needed more than 512 MiB of memory"),
        ("valuenotype.ods", "spans"),
        ("overflow.ods", "spans"),
        ("spaces2.ods", "needed more than 512 MiB of memory"),
        ("sst_amp.xlsx", "needed more than 512 MiB of memory"),
        ("ld_28.xls", "needed more than 512 MiB of memory"),
        ("skipbof_dims.xls", "needed more than 512 MiB of memory"),
        ("manyalias.xls", "needed more than 512 MiB of memory"),
        ("mht.xls", "web page"),
        ("table_3000.csv", "more than any network has members"),
    ];
    let mut case = Case::new().csv("BE.csv", &[&["Country", "Belgium"], &["1", "Yes"]]);
    for (name, _) in expected
        .iter()
        .chain(&[("emptyp.ods", ""), ("nested.ods", "")])
    {
        let bytes = std::fs::read(repo(&format!("tests/fixtures/hostile/{name}"))).unwrap();
        case = case.file(name, bytes);
    }
    let (files, _) = validate_bounded(case.dir(), &["--max-memory", "512"]);
    for (name, message) in expected {
        let m = first_error(&files, name);
        assert!(m.contains(message), "{name}: {m}");
    }
    // Read, not refused: each is Belgium's (so the three are duplicates of one another).
    for name in ["emptyp.ods", "BE.csv"] {
        let f = files.iter().find(|f| f["file"] == name).unwrap();
        assert_eq!(f["country"], "BE", "{name}: {f:#}");
        for e in f["errors"].as_array().unwrap() {
            let m = e["message"].as_str().unwrap();
            assert!(m.contains("Belgium has 3 replies"), "{name}: {m}");
        }
    }
    let nested = files.iter().find(|f| f["file"] == "nested.ods").unwrap();
    let warnings = nested["warnings"].as_array().unwrap();
    assert!(
        warnings.len() <= 200,
        "findings are capped: {}",
        warnings.len()
    );
    assert!(
        warnings.last().unwrap()["message"]
            .as_str()
            .unwrap()
            .contains("more findings are not listed")
    );
}

/// Regression: a file name that is not UTF-8 was refused by the reading
/// process (its request was JSON text); it is read like any other.
#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_read() {
    use std::os::unix::ffi::OsStrExt;
    let case = Case::new();
    let name = std::ffi::OsStr::from_bytes(b"si\xff.csv");
    std::fs::write(
        case.dir().join("responses").join(name),
        "Country;Slovenia\n1;Yes\n",
    )
    .unwrap();
    let (files, _) = validate_bounded(case.dir(), &[]);
    assert_eq!(files[0]["country"], "SI", "{:#}", files[0]);
    assert!(files[0]["errors"].as_array().unwrap().is_empty());
}
