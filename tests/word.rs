//! The Word compilations, read back by real readers: python-docx for the
//! document's paragraphs, styles, table and properties, LibreOffice (through
//! `compile --pdf`) and pdftotext for what prints.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use support::python::run_with;

/// The seed's countries, in the order of its cover and table.
const COUNTRIES: [&str; 18] = [
    "Austria",
    "Belgium",
    "Czech Republic",
    "Finland",
    "France",
    "Germany",
    "Italy",
    "Latvia",
    "Lithuania",
    "Luxembourg",
    "Netherlands",
    "Poland",
    "Portugal",
    "Slovak Republic",
    "Slovenia",
    "Spain",
    "Sweden",
    "United Kingdom",
];

const STATEMENT: &str = "This EMN NCP has provided a response to the requesting EMN NCP. However, they have requested that it is not disseminated further.";

/// The seed's cover lines, in its order (the questions' numbers and texts
/// as python-docx gives them, a tab after the number).
fn cover_lines() -> Vec<String> {
    let mut lines = vec![
        "Ad-Hoc Query on Migration Partnerships".to_string(),
        "Requested by Austria EMN NCP on 26th July 2010".into(),
        "Compilation produced on 8th October 2010".into(),
        format!("Responses from {} (18 in Total)", COUNTRIES.join(", ")),
        "Disclaimer: The following responses have been provided primarily for the purpose of information exchange among EMN NCPs in the framework of the EMN.".into(),
        "1. Background Information".into(),
        "Austria would be interested, if Member States do have experiences with so called \"Migration Partnerships\"".into(),
        "In this regard we would be interested in the following issues:".into(),
    ];
    lines.extend(
        [
            "1.\tDo you currently or in the past have/had a Migration Partnership with a third country?",
            "2.\tIf yes which third countries are/were involved?",
            "3.\tWhich areas of focus",
            "4.\tWhat are/were your experiences (positive and negative) with Migration Partnerships?",
            "2. Responses",
        ]
        .map(String::from),
    );
    lines
}

const READ: &str = r#"
import sys, json, docx
out = {}
for path in sys.argv[2:]:
    d = docx.Document(path)
    sec = d.sections[0]
    cp = d.core_properties
    out[path] = {
        "paragraphs": [[p.style.name, p.text] for p in d.paragraphs],
        "rows": [[c.text for c in r.cells] for r in d.tables[0].rows],
        "title": cp.title, "subject": cp.subject, "keywords": cp.keywords,
        "comments": cp.comments,
        "page": [sec.page_width.twips, sec.page_height.twips],
        "footer": [p.text for p in sec.footer.paragraphs],
    }
json.dump(out, open(sys.argv[1], "w"))
"#;

/// Each document as python-docx reads it.
fn read(paths: &[&Path]) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("docx.json");
    let mut args = vec![json.to_str().unwrap()];
    args.extend(paths.iter().map(|p| p.to_str().unwrap()));
    run_with("docx", "python-docx==1.2.0", READ, &args);
    let all: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    paths
        .iter()
        .map(|p| all[p.to_str().unwrap()].clone())
        .collect()
}

/// The sample compiled on its own date into a fresh folder.
fn compile(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = support::copy_sample();
    let out = dir.path().join("out");
    let mut args: Vec<String> = vec![
        "compile".into(),
        dir.path().to_str().unwrap().into(),
        "-o".into(),
        out.to_str().unwrap().into(),
        "--quiet".into(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    support::run(&args).status(0);
    (dir, out)
}

fn texts(doc: &Value) -> Vec<(String, String)> {
    doc["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_string(),
                p[1].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_sample_s_word_compilations_hold_the_seed_s_cover_table_and_statement() {
    let (_dir, out) = compile(&[]);
    let (full_path, wider_path) = (
        out.join("compilation-full.docx"),
        out.join("compilation-wider.docx"),
    );
    let docs = read(&[&full_path, &wider_path]);
    for (doc, wider) in docs.iter().zip([false, true]) {
        let paragraphs = texts(doc);
        // The cover lines, in the seed's order.
        let mut at = 0;
        for line in cover_lines() {
            let found = paragraphs[at..]
                .iter()
                .position(|(_, t)| t.starts_with(&line))
                .unwrap_or_else(|| {
                    panic!("wider={wider}: {line:?} not after paragraph {at}: {paragraphs:#?}")
                });
            at += found + 1;
        }
        // Word's built-in styles: the title, the two sections as headings.
        let style = |text: &str| {
            paragraphs
                .iter()
                .find(|(_, t)| t == text)
                .map(|(s, _)| s.clone())
        };
        assert_eq!(
            style("Ad-Hoc Query on Migration Partnerships").as_deref(),
            Some("Title")
        );
        assert_eq!(
            style("1. Background Information").as_deref(),
            Some("Heading 1")
        );
        assert_eq!(style("2. Responses").as_deref(), Some("Heading 1"));
        assert_eq!(
            style("Compilation produced on 8th October 2010").as_deref(),
            Some("Normal")
        );

        // The table: its header, then the 18 rows in the seed's order.
        let rows: Vec<Vec<String>> = serde_json::from_value(doc["rows"].clone()).unwrap();
        assert_eq!(rows[0], ["Country", "Wider Dissemination?", "Response"]);
        let names: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
        assert_eq!(names, COUNTRIES);
        for r in &rows[1..] {
            let restricted = ["Austria", "Czech Republic"].contains(&r[0].as_str());
            assert_eq!(r[1], if restricted { "No" } else { "Yes" }, "{r:?}");
            if restricted && wider {
                assert_eq!(r[2], STATEMENT);
            } else {
                assert!(!r[2].contains(STATEMENT), "{r:?}");
                assert!(!r[2].trim().is_empty(), "{r:?}");
            }
        }
        // Each answer a numbered paragraph; one text for several questions
        // once, with their numbers.
        let row = |name: &str| rows.iter().find(|r| r[0] == name).unwrap()[2].clone();
        assert!(
            row("Belgium")
                .starts_with("1.\tYes\n2.\tThere is a mobility partnership with Georgia\n3.\t"),
            "{}",
            row("Belgium")
        );
        assert!(row("Belgium").contains("\n4.\tFor the moment it is too early for an evaluation."));
        assert!(
            row("Latvia").starts_with("1., 2., 3., 4.\tLatvia is currently involved"),
            "{}",
            row("Latvia")
        );
        assert!(
            row("Finland").starts_with("Finland does not currently have"),
            "{}",
            row("Finland")
        );
        let at = row("Austria");
        assert_eq!(at.contains("AT-RESTRICTED-Q1"), !wider, "{at}");

        // The properties say the audience.
        let title = doc["title"].as_str().unwrap();
        let keywords = doc["keywords"].as_str().unwrap();
        if wider {
            assert_eq!(
                title,
                "Ad-Hoc Query on Migration Partnerships: compilation for wider dissemination"
            );
            assert!(!keywords.contains("members only"), "{keywords}");
            assert_eq!(doc["comments"], "");
        } else {
            assert!(
                title.ends_with("compilation for EMN members only"),
                "{title}"
            );
            assert!(keywords.contains("members only"), "{keywords}");
        }
        assert_eq!(doc["subject"], "EMN ad-hoc query compilation");
        // A4, and page numbers in the footer.
        assert_eq!(doc["page"], serde_json::json!([11906, 16838]));
        let footer = doc["footer"].to_string();
        assert!(footer.contains("Page") && footer.contains("of"), "{footer}");
    }

    // In the XML: the header row repeats, rows may break, A4, the page
    // fields, the dissemination rule as a footnote.
    for path in [&full_path, &wider_path] {
        let parts = support::zip_entries(path);
        let part = |name: &str| {
            String::from_utf8(parts.iter().find(|(n, _)| n == name).unwrap().1.clone()).unwrap()
        };
        let document = part("word/document.xml");
        assert_eq!(document.matches("<w:tblHeader />").count(), 1);
        assert_eq!(document.matches("<w:cantSplit />").count(), 1);
        assert!(document.contains(r#"<w:pgSz w:w="11906" w:h="16838" />"#));
        let footer = part("word/footer1.xml");
        assert!(footer.contains(">PAGE<") && footer.contains(">NUMPAGES<"));
        let notes = part("word/footnotes.xml");
        assert!(
            notes.contains(
                "A default &quot;Yes&quot; is given for your response to be circulated further"
            ) || notes
                .contains("A default \"Yes\" is given for your response to be circulated further"),
            "{notes}"
        );
    }
}

/// Austria's and the Czech Republic's answers, as records.json holds them.
fn restricted_answers(out: &Path) -> Vec<String> {
    let records: Value =
        serde_json::from_slice(&std::fs::read(out.join("records.json")).unwrap()).unwrap();
    let mut answers = Vec::new();
    for r in records.as_array().unwrap() {
        let code = r["country"]["code"].as_str();
        if !matches!(code, Some("AT" | "CZ")) {
            continue;
        }
        for a in r["answers"].as_array().unwrap() {
            answers.push(a["text"].as_str().unwrap().to_string());
        }
    }
    answers
}

fn xml_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

#[test]
fn no_word_of_a_restricted_answer_is_in_any_part_of_the_wider_docx() {
    let (_dir, out) = compile(&[]);
    let answers = restricted_answers(&out);
    assert_eq!(answers.len(), 8, "{answers:?}");
    let parts = |file: &str| support::zip_entries(&out.join(file));
    let has = |hay: &[u8], needle: &str| hay.windows(needle.len()).any(|w| w == needle.as_bytes());
    let full = parts("compilation-full.docx");
    for answer in &answers {
        // Each line, raw and as XML writes it.
        for line in answer.lines().filter(|l| l.len() >= 12) {
            assert!(
                full.iter().any(|(_, b)| has(b, &xml_escaped(line))),
                "the search can find {line:?}: it is in the full docx"
            );
            for needle in [line.to_string(), xml_escaped(line)] {
                for (name, bytes) in parts("compilation-wider.docx") {
                    assert!(
                        !has(&bytes, &needle),
                        "{needle:?} in wider docx part {name}"
                    );
                }
            }
        }
    }
    for token in ["RESTRICTED", "PLACEHOLDER"] {
        for (name, bytes) in parts("compilation-wider.docx") {
            assert!(!has(&bytes, token), "{token} in wider docx part {name}");
        }
    }
}

#[test]
fn the_same_input_gives_the_same_docx_bytes() {
    let (_a, first) = compile(&[]);
    let (_b, second) = compile(&[]);
    for name in ["compilation-full.docx", "compilation-wider.docx"] {
        let (x, y) = (
            std::fs::read(first.join(name)).unwrap(),
            std::fs::read(second.join(name)).unwrap(),
        );
        assert!(x == y, "{name} differs between two compiles");
    }
}

#[test]
fn compile_pdf_prints_the_cover_through_libreoffice() {
    support::libreoffice::writer();
    let pdftotext = support::libreoffice::pdftotext();
    let (_dir, out) = compile(&["--pdf"]);
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    for audience in ["full", "wider"] {
        let pdf = out.join(format!("compilation-{audience}.pdf"));
        assert!(pdf.is_file(), "{}", pdf.display());
        assert!(manifest.contains(&format!("compilation-{audience}.pdf")));
        let text_path = out.join(format!("{audience}.txt"));
        let status = std::process::Command::new(&pdftotext)
            .arg(&pdf)
            .arg(&text_path)
            .status()
            .unwrap();
        assert!(status.success());
        let text = std::fs::read_to_string(&text_path).unwrap();
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut at = 0;
        for line in cover_lines() {
            let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
            let found = flat[at..].find(&line).unwrap_or_else(|| {
                panic!("{audience}: {line:?} not in the PDF after {at}:\n{flat}")
            });
            at += found + line.len();
        }
        for name in COUNTRIES {
            assert!(flat.contains(name), "{audience}: {name}");
        }
        assert!(flat.contains("Page 1 of"), "{audience}: no page numbers");
        // "RESTRICTED-Q1", not "AT-RESTRICTED-Q1": pdftotext drops a hyphen
        // that ends a line.
        assert_eq!(flat.contains("RESTRICTED-Q1"), audience == "full");
        if audience == "wider" {
            assert_eq!(
                flat.matches(STATEMENT).count(),
                2 + 1,
                "two rows and the footnote"
            );
        }
    }
}

/// Queries compiled together are rendered on threads that rendered other
/// documents before: each one's documents are the same bytes as alone.
#[test]
fn a_query_compiled_beside_others_gives_the_same_docx_bytes() {
    let (_a, alone) = compile(&[]);
    let (one, two) = (support::copy_sample(), support::copy_sample());
    let out = tempfile::tempdir().unwrap();
    let arg = |p: &Path| p.to_str().unwrap().to_string();
    support::run(&[
        "compile".into(),
        arg(one.path()),
        arg(two.path()),
        "-o".into(),
        arg(out.path()),
        "--quiet".into(),
    ])
    .status(0);
    for dir in [&one, &two] {
        let name = std::fs::canonicalize(dir.path()).unwrap();
        let sub = out.path().join(name.file_name().unwrap());
        for file in ["compilation-full.docx", "compilation-wider.docx"] {
            assert!(
                std::fs::read(sub.join(file)).unwrap() == std::fs::read(alone.join(file)).unwrap(),
                "{file} of {} differs from the one compiled alone",
                sub.display()
            );
        }
    }
}
