//! The workbooks as a coordinator prints them: the sample compiled, both
//! workbooks turned into PDF by LibreOffice, and the PDF read back with
//! poppler's tools (pdfinfo, pdftotext): every page A4, text at a readable
//! size, every answer whole on paper.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use support::{repo, sheet};

/// pdftotext and pdfinfo, installed with apt-get (poppler-utils) when
/// missing and running as root.
fn poppler() {
    static READY: OnceLock<Result<(), String>> = OnceLock::new();
    let ready = READY.get_or_init(|| {
        let found = || Command::new("pdfinfo").arg("-v").output().is_ok();
        if found() {
            return Ok(());
        }
        let how = "these tests need poppler's pdfinfo and pdftotext: run `apt-get install poppler-utils` (as root)";
        let apt = |args: &[&str]| {
            Command::new("apt-get")
                .args(args)
                .env("DEBIAN_FRONTEND", "noninteractive")
                .status()
                .map_err(|e| format!("cannot run apt-get ({e}): {how}"))
        };
        if !apt(&["install", "-y", "-q", "poppler-utils"])?.success() {
            apt(&["update", "-q"])?;
            apt(&["install", "-y", "-q", "poppler-utils"])?;
        }
        if found() { Ok(()) } else { Err(how.to_string()) }
    });
    ready.clone().unwrap_or_else(|e| panic!("{e}"));
}

fn tool(program: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(program)
        .args(args)
        .arg(pdf)
        // pdftotext writes to a file unless told "-"
        .args((program == "pdftotext").then_some("-"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    assert!(out.status.success(), "{program}: {}", support::show(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The sample compiled once, with both workbooks as PDF: (output folder,
/// [(workbook name, its PDF)]).
fn printed() -> &'static (tempfile::TempDir, Vec<(String, PathBuf)>) {
    static OUT: OnceLock<(tempfile::TempDir, Vec<(String, PathBuf)>)> = OnceLock::new();
    OUT.get_or_init(|| {
        poppler();
        let out = tempfile::tempdir().unwrap();
        let sample = repo("samples/migration-partnerships");
        support::run(&[
            "compile".into(),
            sample.to_str().unwrap().into(),
            "-o".into(),
            out.path().join("c").to_str().unwrap().into(),
        ])
        .status(0);
        let pdfs = ["full", "wider"]
            .iter()
            .map(|w| {
                let name = format!("compilation-{w}.xlsx");
                let pdf = support::libreoffice::convert(
                    &out.path().join("c").join(&name),
                    "pdf",
                    &out.path().join("pdf"),
                    &out.path().join("profile"),
                );
                (name, pdf)
            })
            .collect();
        (out, pdfs)
    })
}

/// Text without any white space: LibreOffice breaks lines between words and
/// after a hyphen ("AT-" / "RESTRICTED"), and pdftotext says so with spaces.
fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn every_page_of_both_workbooks_is_a4() {
    for (name, pdf) in &printed().1 {
        let info = tool("pdfinfo", &["-f", "1", "-l", "10000"], pdf);
        let sizes: Vec<&str> = info
            .lines()
            .filter(|l| l.starts_with("Page") && l.contains(" size:"))
            .collect();
        assert!(sizes.len() > 3, "{name}: {info}");
        for line in &sizes {
            let dims: Vec<f64> = line
                .split_whitespace()
                .filter_map(|w| w.parse().ok())
                .skip(1) // the page number
                .take(2)
                .collect();
            let (w, h) = (dims[0].min(dims[1]), dims[0].max(dims[1]));
            assert!(
                (w - 595.3).abs() < 1.0 && (h - 841.9).abs() < 1.0,
                "{name}: not A4: {line}"
            );
        }
        eprintln!("{name}: {} pages, all A4", sizes.len());
    }
}

/// Every answer shows whole on paper: its first and last words are in the
/// PDF's text, whatever its length (Italy's runs on below its row).
#[test]
fn every_answer_and_log_line_prints_to_its_last_words() {
    let (out, pdfs) = printed();
    for (name, pdf) in pdfs {
        let text = squeezed(&tool("pdftotext", &["-raw"], pdf));
        let xlsx = out.path().join("c").join(name);
        let rows = support::responses_by_country(&sheet(&xlsx, "Responses"));
        assert_eq!(rows.len(), 18, "{name}");
        let mut answers = 0;
        for (country, cells) in &rows {
            for cell in cells.iter().filter(|c| !c.trim().is_empty()) {
                let words: Vec<&str> = cell.split_whitespace().collect();
                let first = squeezed(&words[..words.len().min(4)].join(" "));
                let last = squeezed(&words[words.len().saturating_sub(4)..].join(" "));
                assert!(
                    text.contains(&first),
                    "{name}: {country}: {first:?} not printed"
                );
                assert!(
                    text.contains(&last),
                    "{name}: {country}: {last:?} not printed"
                );
                answers += 1;
            }
        }
        assert!(answers >= 60, "{name}: {answers} answers");
        if name.contains("full") {
            for line in sheet(&xlsx, "Log").iter().skip(1) {
                let words: Vec<&str> = line[4].split_whitespace().collect();
                let last = squeezed(&words[words.len().saturating_sub(4)..].join(" "));
                assert!(text.contains(&last), "{name}: Log line {:?} cut", line[4]);
            }
        }
    }
    // Italy's answer is taller than Excel's tallest row: it goes on below.
    let rows = sheet(&out.path().join("c/compilation-wider.xlsx"), "Responses");
    assert!(rows.iter().any(|r| r[0] == "Italy (continued)"));
}

/// No text is printed below 8 pt. pdftotext's word boxes are 1.3 times
/// the font size in Liberation Sans (Arial's twin), so a box under 10.4 pt
/// is text under 8 pt.
#[test]
fn text_prints_at_8_pt_or_more() {
    for (name, pdf) in &printed().1 {
        let fonts = tool("pdffonts", &[], pdf);
        assert!(
            fonts.contains("LiberationSans") || fonts.contains("Arial"),
            "{fonts}"
        );
        let boxes = tool("pdftotext", &["-bbox"], pdf);
        let heights: Vec<f64> = boxes
            .lines()
            .filter(|l| l.trim_start().starts_with("<word "))
            .map(|l| {
                let attr = |a: &str| -> f64 {
                    let at = l.find(&format!("{a}=\"")).unwrap() + a.len() + 2;
                    l[at..].split('"').next().unwrap().parse().unwrap()
                };
                attr("yMax") - attr("yMin")
            })
            .collect();
        assert!(heights.len() > 1000, "{name}");
        let smallest = heights.iter().copied().fold(f64::MAX, f64::min) / 1.3;
        eprintln!("{name}: the smallest text is {smallest:.1} pt");
        assert!(smallest >= 8.0, "{name}: text at {smallest:.1} pt");
    }
}

/// The template as a contact fills it in and prints it (part 17): a
/// three-line background, every question, and an answer of 300 words,
/// typed by openpyxl and printed by LibreOffice, show every word. (A
/// longer answer needs its row made taller, which the protection allows:
/// LibreOffice fits no row to its text when it opens a workbook.)
#[test]
fn a_filled_template_prints_its_background_every_question_and_an_answer_whole() {
    poppler();
    let background = "BACKGROUNDONE: member states were asked about partnerships.\n\
                      BACKGROUNDTWO: this second line follows a line break.\n\
                      BACKGROUNDTHREE: and the third line closes the background.";
    let query = support::QUERY.replace(
        "deadline = 2010-08-31",
        &format!("deadline = 2010-08-31\nbackground = \"\"\"\n{background}\"\"\""),
    );
    let case = support::Case::new().query(&query);
    let blank = case.dir().join("template.xlsx");
    case.template("BE", blank.to_str().unwrap()).status(0);
    // 300 words, each numbered, so a missing one is named.
    let answer: String = (1..=300)
        .map(|i| format!("word{i:03}"))
        .collect::<Vec<_>>()
        .join(" ");
    let filled = case.dir().join("BE.xlsx");
    let spec = serde_json::json!({ "answers": { "3": answer } });
    support::python::fill_template(&blank, &filled, &spec.to_string());
    let pdf = support::libreoffice::convert(
        &filled,
        "pdf",
        &case.dir().join("pdf"),
        &case.dir().join("profile"),
    );
    let text = squeezed(&tool("pdftotext", &["-raw"], &pdf));
    let missing: Vec<String> = (1..=300)
        .map(|i| format!("word{i:03}"))
        .filter(|w| !text.contains(w.as_str()))
        .collect();
    assert!(missing.is_empty(), "not printed: {missing:?}");
    for line in background.lines() {
        assert!(text.contains(&squeezed(line)), "{line:?} not printed");
    }
    let query = ahq::query::Query::load(case.dir()).unwrap();
    for q in &query.questions {
        assert!(
            text.contains(&squeezed(&q.text)),
            "question {} not printed whole",
            q.id
        );
    }
    // Every page A4.
    let info = tool("pdfinfo", &["-f", "1", "-l", "100"], &pdf);
    for line in info
        .lines()
        .filter(|l| l.starts_with("Page") && l.contains(" size:"))
    {
        assert!(line.contains("595.") && line.contains("841."), "{line}");
    }
}
