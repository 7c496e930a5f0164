//! What arrives beside spreadsheets: Word documents, Excel's "Unicode
//! text", xlsb workbooks, and files ahq cannot read, each read by the same
//! layouts or named with what it is and what to send instead. Files are
//! made by real writers (python-docx, LibreOffice, pyxlsbwriter, the bytes
//! Excel writes).

mod support;

use serde_json::Value;
use support::{Case, has_message, python::run_with};

fn one(case: &Case) -> (i32, Value) {
    let (code, files) = case.json();
    assert_eq!(files.len(), 1, "{files:#?}");
    (code, files.into_iter().next().unwrap())
}

fn answer<'a>(f: &'a Value, id: &str) -> Option<&'a str> {
    f["answers"][id].as_str()
}

const DOCX_SCRIPT: &str = r#"
import sys, docx
d = docx.Document()
d.add_paragraph('Response of the Belgian EMN NCP')
t = d.add_table(rows=4, cols=2)
rows = [('Country', 'Belgium'), ('Wider Dissemination?', 'No'), ('1', 'Yes, with Georgia'), ('2', '')]
for r, (a, b) in enumerate(rows):
    t.cell(r, 0).text = a
    t.cell(r, 1).text = b
c = t.cell(3, 1)
c.paragraphs[0].text = 'Georgia'
c.add_paragraph('and Moldova')
d.save(sys.argv[1])
"#;

#[test]
fn a_word_form_made_by_python_docx_is_read_by_the_same_layouts() {
    let case = Case::new();
    let path = case.dir().join("responses/BE reply.docx");
    run_with(
        "docx",
        "python-docx==1.2.0",
        DOCX_SCRIPT,
        &[path.to_str().unwrap()],
    );
    let (code, f) = one(&case);
    assert_eq!(code, 0, "{f:#}");
    assert_eq!(f["format"], "docx");
    assert_eq!(f["country"], "BE");
    assert_eq!(f["dissemination"], "no");
    assert_eq!(answer(&f, "1"), Some("Yes, with Georgia"));
    assert_eq!(
        answer(&f, "2"),
        Some("Georgia\nand Moldova"),
        "a cell's paragraphs are its lines"
    );
    let out = case.compile(&[]);
    let csv = std::fs::read_to_string(out.join("responses-full.csv")).unwrap();
    assert!(csv.contains("Georgia\nand Moldova"));
    let wider = std::fs::read_to_string(out.join("responses-wider.csv")).unwrap();
    assert!(!wider.contains("Yes, with Georgia"), "flagged No: {wider}");
}

/// A Word reply as contacts write them: a title and headings in Word's
/// styles, a note under them, the form's table.
const DOCX_HEADINGS: &str = r#"
import sys, docx
d = docx.Document()
d.add_heading('EMN Ad-Hoc Query on Migration Partnerships', 0)
d.add_heading('Response from Slovenia', 1)
d.add_paragraph('Prepared by the Ministry of the Interior for this query.')
t = d.add_table(rows=3, cols=2)
rows = [('Country', 'Slovenia'), ('Wider Dissemination?', 'Later'), ('1', 'Yes, with Moldova')]
for r, (a, b) in enumerate(rows):
    t.cell(r, 0).text = a
    t.cell(r, 1).text = b
d.add_heading('Contact', 2)
d.save(sys.argv[1])
"#;

#[test]
fn a_word_reply_is_told_its_places_in_word_s_terms_and_its_headings_are_not_warnings() {
    let case = Case::new();
    let path = case.dir().join("responses/SI.docx");
    run_with(
        "docx",
        "python-docx==1.2.0",
        DOCX_HEADINGS,
        &[path.to_str().unwrap()],
    );
    let (code, f) = one(&case);
    assert_eq!(code, 1, "the flag \"Later\" is not a Yes: {f:#}");
    assert_eq!(f["country"], "SI", "{f:#}");
    let all: Vec<(String, Option<String>)> = ["errors", "warnings", "infos"]
        .iter()
        .flat_map(|s| support::messages(&f, s))
        .collect();
    // The flag's place: the table, the row's label, the column.
    assert!(
        all.iter()
            .any(|(_, at)| at.as_deref()
                == Some("table 1, row 2 (\"Wider Dissemination?\"), column 2")),
        "{all:#?}"
    );
    // Never a spreadsheet's sheet or cell for a Word file.
    for (m, at) in &all {
        let said = format!("{m} {}", at.as_deref().unwrap_or(""));
        assert!(
            !said.contains("sheet") && !said.contains("!B") && !said.contains("Table 1"),
            "{said}"
        );
    }
    // The note outside the table is named, in Word's terms.
    let warnings = support::messages(&f, "warnings");
    assert!(
        warnings
            .iter()
            .any(|(m, _)| m.contains("the text outside the tables")
                && m.contains("the paragraph \"Prepared by the Ministry")
                && m.contains("type it into table 1")),
        "{warnings:#?}"
    );
    // Headings and the title are plainly not answers.
    for heading in ["EMN Ad-Hoc Query", "Response from Slovenia", "Contact"] {
        assert!(
            !warnings.iter().any(|(m, _)| m.contains(heading)),
            "{heading}: {warnings:#?}"
        );
    }
}

#[test]
fn a_word_document_made_by_libreoffice_is_read_too() {
    let tmp = tempfile::tempdir().unwrap();
    let html = tmp.path().join("reply.html");
    std::fs::write(
        &html,
        "<html><body><p>CONFIDENTIAL - do not disseminate further</p><table>\
         <tr><td>Country</td><td>France</td></tr>\
         <tr><td>Wider Dissemination?</td><td>Yes</td></tr>\
         <tr><td>1</td><td>Non</td></tr></table></body></html>",
    )
    .unwrap();
    let docx = support::libreoffice::convert_with_writer(&html, "docx", tmp.path());
    let case = Case::new().file("FR.docx", std::fs::read(docx).unwrap());
    let (code, f) = one(&case);
    assert_eq!(f["country"], "FR", "{f:#}");
    assert_eq!(answer(&f, "1"), Some("Non"), "{f:#}");
    // The note outside the table is read, and fails the Yes closed.
    assert_eq!(code, 1, "{f:#}");
    assert!(
        has_message(&f, "errors", "CONFIDENTIAL - do not disseminate further"),
        "{f:#}"
    );
}

#[test]
fn excels_unicode_text_is_read_as_tab_separated_text() {
    // What Excel's "Save as Unicode Text" writes: UTF-16LE, a byte-order
    // mark, tabs between cells, CRLF, quotes around a cell with a line break.
    let text = "Country\tSlovenija\r\nWider Dissemination?\tDa\r\n1\t\"Yes,\nwith Georgia\"\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let case = Case::new().file("SI reply.txt", bytes);
    let (code, f) = one(&case);
    assert_eq!(code, 0, "{f:#}");
    assert_eq!(f["country"], "SI");
    assert_eq!(f["dissemination"], "yes");
    assert_eq!(answer(&f, "1"), Some("Yes,\nwith Georgia"));
}

#[test]
fn an_xlsb_made_by_pyxlsbwriter_is_read() {
    let case = Case::new();
    let path = case.dir().join("responses/LV.xlsb");
    run_with(
        "pyxlsbwriter",
        "pyxlsbwriter==0.1.0",
        r#"
import sys
from pyxlsbwriter import XlsbWriter
with XlsbWriter(sys.argv[1]) as w:
    w.add_sheet('Reply')
    w.write_sheet([['Country', 'Latvia'], ['Wider Dissemination?', 'Nē'], ['1', 'Jā, ar Gruziju']])
"#,
        &[path.to_str().unwrap()],
    );
    let (code, f) = one(&case);
    assert_eq!(code, 0, "{f:#}");
    assert_eq!(f["format"], "xlsb");
    assert_eq!(
        (f["country"].as_str(), f["dissemination"].as_str()),
        (Some("LV"), Some("no"))
    );
    assert_eq!(answer(&f, "1"), Some("Jā, ar Gruziju"));
}

#[test]
fn documents_ahq_cannot_read_are_named_with_what_to_send_instead() {
    let case = Case::new()
        .file("BE.doc", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        .file("FR.pdf", b"%PDF-1.4\n")
        .file("DE.rtf", b"{\\rtf1 Germany}")
        .file("IT.odt", b"PK\x03\x04")
        .file("~$BE.xlsx", b"lock");
    let (code, files) = case.json();
    assert_eq!(code, 0, "in responses/, a warning each: {files:#?}");
    let said = |name: &str, needle: &str| {
        let f = files.iter().find(|f| f["file"] == name).unwrap();
        assert!(has_message(f, "warnings", needle), "{name}: {f:#}");
    };
    said("BE.doc", "an old Word document (.doc)");
    said("FR.pdf", "a PDF document");
    said("DE.rtf", "a Rich Text document (.rtf)");
    said("IT.odt", "an OpenDocument text (.odt)");
    // The lock file is passed over quietly.
    let lock = files.iter().find(|f| f["file"] == "~$BE.xlsx").unwrap();
    assert!(lock["warnings"].as_array().unwrap().is_empty(), "{lock:#}");
    // Named on the command line, a file that is not read is an error.
    let doc = case.dir().join("responses/BE.doc");
    let r = case.run(&["validate", "{dir}", doc.to_str().unwrap()]);
    r.status(1)
        .stdout_has("error: not read: an old Word document (.doc)");
}

#[test]
fn a_word_document_named_xlsx_is_told_by_its_real_format() {
    let case = Case::new();
    let path = case.dir().join("responses/BE.xlsx");
    run_with(
        "docx",
        "python-docx==1.2.0",
        DOCX_SCRIPT,
        &[path.to_str().unwrap()],
    );
    let (code, f) = one(&case);
    assert_eq!(code, 1);
    assert!(
        has_message(
            &f,
            "errors",
            "this .xlsx file is really a Word document (.docx): rename it to .docx"
        ),
        "{f:#}"
    );
}

#[test]
fn a_zip_of_responses_is_read_member_by_member_and_hashed_whole_and_each() {
    use std::io::Write;
    let be = support::xlsx(
        &[(
            "Reply",
            &[
                &["Country", "Belgium"],
                &["Wider Dissemination?", "No"],
                &["1", "SECRETBE"],
            ],
        )],
        |_| {},
    );
    let fr = "Country;France\nWider Dissemination?;Oui\n1;open FR\n";
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for (name, bytes) in [
        ("BE.xlsx", be.as_slice()),
        ("FR.csv", fr.as_bytes()),
        (
            "replies/LU.csv",
            b"Country;Luxembourg\nWider Dissemination?;Yes\n1;open LU\n".as_slice(),
        ),
        ("more.zip", b"PK\x05\x06".as_slice()),
    ] {
        zip.start_file(name, opts).unwrap();
        zip.write_all(bytes).unwrap();
    }
    let archive = zip.finish().unwrap().into_inner();
    let case = Case::new().file("replies.zip", &archive);
    let (code, files) = case.json();
    let names: Vec<&str> = files.iter().map(|f| f["file"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "replies.zip",
            "replies.zip/BE.xlsx",
            "replies.zip/FR.csv",
            "replies.zip/replies/LU.csv",
            "replies.zip/more.zip"
        ]
    );
    assert_eq!(code, 0, "{files:#?}");
    assert_eq!(files[1]["country"], "BE");
    assert_eq!(files[2]["country"], "FR");
    // A file in a folder of the archive is read, named by its path.
    assert_eq!(files[3]["country"], "LU", "{files:#?}");
    assert!(has_message(
        &files[4],
        "warnings",
        "an archive inside an archive"
    ));
    let out = case.compile(&[]);
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let hashed: Vec<(&str, &str)> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap(),
                f["sha256"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert!(
        hashed.contains(&(
            "responses/replies.zip",
            ahq::validate::sha256_hex(&archive).as_str()
        )),
        "{hashed:?}"
    );
    assert!(
        hashed.contains(&(
            "responses/replies.zip/BE.xlsx",
            ahq::validate::sha256_hex(&be).as_str()
        )),
        "{hashed:?}"
    );
    let wider = std::fs::read_to_string(out.join("responses-wider.csv")).unwrap();
    assert!(
        wider.contains("open FR") && wider.contains("open LU") && !wider.contains("SECRETBE"),
        "{wider}"
    );
}

/// The reader's own words stay out of the message a person reads; they are
/// kept for whoever repairs the file (an info: the Log, records.json, -v).
#[test]
fn a_damaged_workbook_is_said_in_plain_words_with_the_readers_detail_kept_apart() {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("xl/workbook.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(b"<workbook><sheets><sheet name=").unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    let case = Case::new().file("BE.xlsx", bytes);
    let (code, f) = one(&case);
    assert_eq!(code, 1);
    let errors = f["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{f:#}");
    assert_eq!(
        errors[0]["message"],
        "the file is damaged (its part xl/workbook.xml is not well-formed XML): open it in a \
         spreadsheet program, save it again as .xlsx, and resend"
    );
    assert!(
        has_message(&f, "infos", "the spreadsheet reader said: "),
        "{f:#}"
    );
}

/// A heading that holds a yes/no word may be the flag: it is never passed
/// over as a mere heading.
#[test]
fn a_heading_that_says_no_is_never_passed_over() {
    let case = Case::new();
    let path = case.dir().join("responses/SI.docx");
    run_with(
        "docx",
        "python-docx==1.2.0",
        r#"
import sys, docx
d = docx.Document()
d.add_heading('Wider dissemination: No', 1)
t = d.add_table(rows=3, cols=2)
rows = [('Country', 'Slovenia'), ('Wider Dissemination?', 'Yes'), ('1', 'Yes, with Moldova')]
for r, (a, b) in enumerate(rows):
    t.cell(r, 0).text = a
    t.cell(r, 1).text = b
d.save(sys.argv[1])
"#,
        &[path.to_str().unwrap()],
    );
    let (code, f) = one(&case);
    // Two flags that disagree: an error, never a silent Yes.
    assert_eq!(code, 1, "{f:#}");
    let errors = support::messages(&f, "errors");
    assert!(
        errors
            .iter()
            .any(|(m, _)| m.contains("another wider-dissemination cell")
                && m.starts_with("the paragraph \"Wider dissemination:\"")),
        "{errors:#?}"
    );
}
