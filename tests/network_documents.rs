//! The documents that go to every member read as the network writes them
//! (part 18): a file left out is "Portugal: received, not included" on the
//! cover, its reason kept for the coordinator; every question's figures add
//! up to the received, withheld responses counted as such and never as Yes
//! or No; the query's texts as paragraphs, not ragged lines; the Word cover
//! and headings with room; the Markdown questions numbered once; every
//! printed page of the Responses sheet showing the country and its flag.
//! Each read back by a real reader: openpyxl, python-docx, LibreOffice and
//! pdftotext.

mod support;

use serde_json::Value;
use std::path::Path;
use support::Case;
use support::python::run_with;

/// Runs a Python script that writes JSON to its first argument, with
/// `module` importable; the JSON.
fn python_json(module: &str, package: &str, script: &str, files: &[&Path]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("out.json");
    let mut args = vec![json.to_str().unwrap()];
    args.extend(files.iter().map(|p| p.to_str().unwrap()));
    run_with(module, package, script, &args);
    serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap()
}

fn openpyxl(script: &str, files: &[&Path]) -> Value {
    python_json("openpyxl", "openpyxl==3.1.5", script, files)
}

fn python_docx(script: &str, files: &[&Path]) -> Value {
    python_json("docx", "python-docx==1.2.0", script, files)
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(|s| s.as_str().unwrap_or_default().to_string())
        .collect()
}

/// A workbook's sheet as openpyxl reads it: its rows of cell values
/// ("" for an empty cell).
const SHEETS: &str = r#"
import sys, json, openpyxl
out = {}
for path in sys.argv[2:]:
    wb = openpyxl.load_workbook(path)
    out[path] = {
        ws.title: [["" if c is None else str(c) for c in row] for row in ws.iter_rows(values_only=True)]
        for ws in wb.worksheets
    }
json.dump(out, open(sys.argv[1], "w"))
"#;

fn sheets(path: &Path) -> Value {
    openpyxl(SHEETS, &[path])[path.to_str().unwrap()].clone()
}

/// Every paragraph of a Word document (style, text, space before and after
/// in points as set on the paragraph, whether a table comes just before).
const PARAGRAPHS: &str = r#"
import sys, json, docx
from docx.oxml.ns import qn
out = {}
for path in sys.argv[2:]:
    d = docx.Document(path)
    paras = []
    for p in d.paragraphs:
        f = p.paragraph_format
        prev = p._p.getprevious()
        paras.append({
            "style": p.style.name,
            "text": p.text,
            "before": None if f.space_before is None else f.space_before.pt,
            "after": None if f.space_after is None else f.space_after.pt,
            "after_table": prev is not None and prev.tag == qn("w:tbl"),
        })
    out[path] = paras
json.dump(out, open(sys.argv[1], "w"))
"#;

fn paragraphs(path: &Path) -> Vec<Value> {
    python_docx(PARAGRAPHS, &[path])[path.to_str().unwrap()]
        .as_array()
        .unwrap()
        .clone()
}

fn text_of(p: &Value) -> &str {
    p["text"].as_str().unwrap()
}

fn response(country: &str, flag: &str, answers: &[(&str, &str)]) -> Vec<Vec<String>> {
    let mut rows = vec![
        vec!["Country".to_string(), country.to_string()],
        vec!["Wider dissemination".to_string(), flag.to_string()],
    ];
    rows.extend(
        answers
            .iter()
            .map(|(id, text)| vec![id.to_string(), text.to_string()]),
    );
    rows
}

/// Writes `rows` as the only sheet, "Response", of responses/`name`.
fn add(case: Case, name: &str, rows: &[Vec<String>]) -> Case {
    let rows: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
    case.xlsx(name, &[("Response", &rows)])
}

// ---- 1. a file left out ------------------------------------------------------

/// Belgium's good reply, Portugal's with its country misspelt (known by its
/// file name), and a file that is no response: compiled with --skip-invalid.
fn left_out() -> (Case, std::path::PathBuf) {
    let all = [
        ("1", "Yes."),
        ("2", "Georgia"),
        ("3", "Return"),
        ("4", "Good"),
    ];
    let case = add(Case::new(), "BE.xlsx", &response("Belgium", "Yes", &all));
    let case = add(case, "PT_resposta.xlsx", &response("Portgual", "Yes", &all))
        .file("notes.xyz", "call Jan");
    let (run, out) = case.compile_with(&["--skip-invalid"]);
    run.status(0).stderr_has("PT_resposta.xlsx: not compiled");
    (case, out)
}

#[test]
fn a_file_left_out_reads_received_not_included_and_its_reason_stays_in_the_log_and_manifest() {
    let (_case, out) = left_out();
    let portugal = "Portugal: received, not included";
    let notes = "notes.xyz: received, not included";
    // Words of the reasons, which the covers must not print.
    let raw = [
        "Portgual",
        "1 error",
        "not a country",
        "files.\"",
        "not a response",
    ];

    // The workbook's cover, as openpyxl reads it.
    let book = sheets(&out.join("compilation-full.xlsx"));
    let cover: Vec<String> = book["Cover"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[0].as_str().unwrap().to_string())
        .collect();
    let at = cover
        .iter()
        .position(|c| c == "Files not compiled")
        .unwrap_or_else(|| panic!("{cover:#?}"));
    assert_eq!(cover[at + 1..at + 3], [portugal, notes], "{cover:#?}");
    for word in raw {
        assert!(
            !cover.iter().any(|c| c.contains(word)),
            "{word:?} on the cover: {cover:#?}"
        );
    }
    // The full reason is the Log's and the manifest's.
    let log = book["Log"].as_array().unwrap();
    let skipped = log
        .iter()
        .find(|r| r[0] == "PT_resposta.xlsx" && r[2] == "skipped")
        .unwrap_or_else(|| panic!("{log:#?}"));
    let message = skipped[4].as_str().unwrap();
    assert!(
        message.starts_with("not compiled: 1 error: ")
            && message.contains("\"Portgual\" is not a country")
            && message.contains("not compiled: Portugal"),
        "{message}"
    );
    assert!(
        log.iter()
            .any(|r| r[0] == "notes.xyz" && r[4].as_str().unwrap().contains("not a response"))
    );
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let file = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "responses/PT_resposta.xlsx")
        .unwrap();
    assert_eq!(file["outcome"], "skipped");
    assert!(
        file["reason"]
            .as_str()
            .unwrap()
            .contains("\"Portgual\" is not a country"),
        "{file}"
    );

    // The Word document, as python-docx reads it.
    let doc = paragraphs(&out.join("compilation-full.docx"));
    let texts: Vec<&str> = doc.iter().map(text_of).collect();
    let at = texts
        .iter()
        .position(|t| *t == "Files not compiled")
        .unwrap();
    assert_eq!(texts[at + 1..at + 3], [portugal, notes], "{texts:#?}");
    for word in raw {
        assert!(!texts.iter().any(|t| t.contains(word)), "{word:?} in Word");
    }

    // The Markdown.
    let md = std::fs::read_to_string(out.join("compilation-full.md")).unwrap();
    assert!(
        md.contains(&format!(
            "## Files not compiled\n\n- {portugal}\n- notes.xyz: received, not included\n"
        )),
        "{md}"
    );
    for word in raw {
        assert!(!md.contains(word), "{word:?} in the Markdown");
    }

    // The wider documents name no file left out.
    for name in [
        "compilation-wider.xlsx",
        "compilation-wider.docx",
        "compilation-wider.md",
    ] {
        assert!(
            support::occurrences(&out.join(name), "received, not included").is_empty(),
            "{name}"
        );
    }
}

/// The Word cover's title and date lines stand apart, and a heading after
/// the responses table does not touch it: spacing set on the paragraphs.
#[test]
fn the_word_cover_lines_and_the_heading_after_the_table_have_room() {
    let (_case, out) = left_out();
    let doc = paragraphs(&out.join("compilation-full.docx"));
    let find = |start: &str| {
        doc.iter()
            .find(|p| text_of(p).starts_with(start))
            .unwrap_or_else(|| panic!("no {start:?}: {doc:#?}"))
    };
    let title = find("Ad-Hoc Query on Migration Partnerships");
    assert_eq!(title["style"], "Title");
    assert!(title["after"].as_f64().unwrap() >= 12.0, "{title}");
    for line in ["Reference: ", "Requested by ", "Compilation produced on "] {
        let p = find(line);
        assert!(p["after"].as_f64().unwrap() >= 6.0, "{p}");
    }
    let heading = find("Files not compiled");
    assert_eq!(heading["style"], "Heading 1");
    assert_eq!(heading["after_table"], true, "{heading}");
    assert!(heading["before"].as_f64().unwrap() >= 12.0, "{heading}");
}

// ---- 2. tallies that add up -----------------------------------------------------

/// Six replies: two restricted, one of them answering "No" and one "Yes";
/// one that leaves question 1 unanswered; one Yes, one No, one unclear.
fn tallied() -> (Case, std::path::PathBuf) {
    let rest = [("2", "Georgia"), ("3", "Return"), ("4", "Good")];
    let with = |q1: &'static str| {
        let mut a = vec![("1", q1)];
        a.extend(rest);
        a
    };
    let mut case = Case::new();
    for (file, country, flag, answers) in [
        ("BE.xlsx", "Belgium", "Yes", with("Yes, with Georgia.")),
        ("FR.xlsx", "France", "No", with("No, SECRETFR none.")),
        ("DE.xlsx", "Germany", "No", with("Yes, SECRETDE Moldova.")),
        ("IT.xlsx", "Italy", "Yes", with("No partnership so far.")),
        ("NL.xlsx", "Netherlands", "Yes", rest.to_vec()),
        ("ES.xlsx", "Spain", "Yes", with("It depends on the region.")),
    ] {
        case = add(case, file, &response(country, flag, &answers));
    }
    let out = case.compile(&[]);
    (case, out)
}

/// The Summary's lines under each "Question N" heading, by label: (count, names).
fn question_blocks(rows: &[Value]) -> Vec<Vec<(String, (usize, String))>> {
    let mut blocks: Vec<Vec<(String, (usize, String))>> = Vec::new();
    for r in rows {
        let label = r[0].as_str().unwrap_or_default();
        if label.starts_with("Question ") {
            blocks.push(Vec::new());
        } else if let (Some(block), Ok(n)) = (
            blocks.last_mut(),
            r[1].as_str().unwrap_or_default().parse::<f64>(),
        ) {
            block.push((
                label.to_string(),
                (n as usize, r[2].as_str().unwrap_or_default().to_string()),
            ));
        }
    }
    blocks
}

fn get<'a>(block: &'a [(String, (usize, String))], label: &str) -> Option<&'a (usize, String)> {
    block.iter().find(|(l, _)| l == label).map(|(_, v)| v)
}

fn names(list: &str) -> Vec<&str> {
    if list == "none" {
        Vec::new()
    } else {
        list.split(", ").collect()
    }
}

#[test]
fn every_question_adds_up_to_the_received_and_withheld_is_never_yes_or_no() {
    let (_case, out) = tallied();
    let unclear = "Unclear (no Yes, No or plain negative opening)";
    for word in ["wider", "full"] {
        let book = sheets(&out.join(format!("compilation-{word}.xlsx")));
        let rows = book["Summary"].as_array().unwrap().clone();
        let received = rows
            .iter()
            .find(|r| r[0] == "Received")
            .map(|r| r[1].as_str().unwrap().parse::<f64>().unwrap() as usize)
            .unwrap();
        assert_eq!(received, 6, "{word}");
        let blocks = question_blocks(&rows);
        assert_eq!(blocks.len(), 4, "{word}: {rows:#?}");
        for (i, block) in blocks.iter().enumerate() {
            let answered = get(block, "Answered").unwrap();
            let not_answered = get(block, "Not answered").unwrap();
            let withheld = get(block, "Not for wider dissemination");
            let held = withheld.map_or(0, |w| w.0);
            assert_eq!(
                answered.0 + not_answered.0 + held,
                received,
                "{word}: question {}: {block:#?}",
                i + 1
            );
            if word == "wider" {
                let withheld = withheld.expect("the wider Summary shows the withheld");
                assert_eq!(withheld, &(2, "France, Germany".to_string()));
            } else {
                assert!(withheld.is_none(), "nothing is withheld from members");
            }
        }
        // Question 1 (yes-no): Yes + No + unclear = answered, and in the
        // wider Summary no withheld response is counted as Yes or No.
        let q1 = &blocks[0];
        let (yes, no, other) = (
            get(q1, "Yes").unwrap(),
            get(q1, "No").unwrap(),
            get(q1, unclear).unwrap(),
        );
        assert_eq!(yes.0 + no.0 + other.0, get(q1, "Answered").unwrap().0);
        assert_eq!(get(q1, "Not answered").unwrap().1, "Netherlands");
        if word == "wider" {
            assert_eq!(yes.1, "Belgium");
            assert_eq!(no.1, "Italy");
            assert_eq!(other.1, "Spain");
            for list in [&yes.1, &no.1, &other.1] {
                for withheld in ["France", "Germany"] {
                    assert!(!names(list).contains(&withheld), "{withheld} in {list}");
                }
            }
        } else {
            assert_eq!(yes.1, "Belgium, Germany");
            assert_eq!(no.1, "France, Italy");
        }
    }

    // The Markdown: the same lines, adding up.
    let md = std::fs::read_to_string(out.join("compilation-wider.md")).unwrap();
    let q1 = md
        .split("### Question 1: ")
        .nth(1)
        .unwrap()
        .split("\n\n### ")
        .next()
        .unwrap();
    for line in [
        "- Answered: 3 (Belgium, Italy, Spain)",
        "- Not answered: 1 (Netherlands)",
        "- Not for wider dissemination: 2 (France, Germany)",
        "- Yes: 1 (Belgium)",
        "- No: 1 (Italy)",
    ] {
        assert!(q1.contains(line), "{line:?} not in\n{q1}");
    }
    for (id, block) in md.split("### Question ").skip(1).enumerate() {
        let count = |label: &str| -> usize {
            let at = block.find(&format!("- {label}: ")).unwrap() + label.len() + 4;
            block[at..].split(' ').next().unwrap().parse().unwrap()
        };
        assert_eq!(
            count("Answered") + count("Not answered") + count("Not for wider dissemination"),
            6,
            "question {}",
            id + 1
        );
    }

    // Word's "At a glance" line adds up to the cover's total, withheld apart.
    for (word, line) in [
        (
            "wider",
            "Question 1: Yes 1, No 1, other or unclear 1, not answered 1, not for wider dissemination 2",
        ),
        (
            "full",
            "Question 1: Yes 2, No 2, other or unclear 1, not answered 1",
        ),
    ] {
        let doc = paragraphs(&out.join(format!("compilation-{word}.docx")));
        let texts: Vec<&str> = doc.iter().map(text_of).collect();
        assert!(texts.contains(&line), "{word}: {texts:#?}");
        assert!(texts.iter().any(|t| t.contains("(6 in Total)")));
    }
    // Nothing of a withheld answer in a wider output.
    for token in ["SECRETFR", "SECRETDE"] {
        assert_eq!(support::in_wider(&out, token), Vec::<String>::new());
    }
}

// ---- 3. the query's texts as paragraphs -------------------------------------------

const WRAPPED: &str = r#"
title = "Migration Partnerships"
requested_by = "AT"
requested_on = 2010-07-26
background = """
Austria would be interested, if Member States do have
experiences with so called Migration Partnerships.
This might include development aid.

In this regard we would be interested
in the following issues:"""

[[questions]]
id = "1"
text = """Do you currently or in the past have/had
a Migration Partnership with a third country?"""
type = "yes-no"

[[questions]]
id = "2a"
text = "If yes which third countries are/were involved?"
type = "countries"
"#;

#[test]
fn the_query_texts_are_paragraphs_and_the_markdown_numbers_each_question_once() {
    let case = add(
        Case::new().query(WRAPPED),
        "BE.xlsx",
        &response("Belgium", "Yes", &[("1", "Yes."), ("2a", "Georgia")]),
    );
    let out = case.compile(&[]);
    let first = "Austria would be interested, if Member States do have experiences with so called \
                 Migration Partnerships. This might include development aid.";
    let second = "In this regard we would be interested in the following issues:";
    let q1 =
        "Do you currently or in the past have/had a Migration Partnership with a third country?";

    let md = std::fs::read_to_string(out.join("compilation-full.md")).unwrap();
    assert!(md.contains(&format!("\n\n{first}\n\n{second}\n\n")), "{md}");
    assert!(!md.contains("- 1.") && !md.contains("- 2a."), "{md}");
    assert!(
        md.contains(&format!(
            "\n\n**1.** {q1}\n\n**2a.** If yes which third countries are/were involved?\n\n"
        )),
        "{md}"
    );
    assert!(md.contains(&format!("### Question 1: {q1}\n")), "{md}");

    let doc = paragraphs(&out.join("compilation-full.docx"));
    let texts: Vec<&str> = doc.iter().map(text_of).collect();
    assert!(
        texts.contains(&first) && texts.contains(&second),
        "{texts:#?}"
    );
    assert!(texts.contains(&format!("1.\t{q1}").as_str()), "{texts:#?}");

    let book = sheets(&out.join("compilation-full.xlsx"));
    let cover: Vec<&str> = book["Cover"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[0].as_str().unwrap())
        .collect();
    assert!(
        cover.contains(&first) && cover.contains(&second),
        "{cover:#?}"
    );
    assert!(cover.contains(&format!("1. {q1}").as_str()), "{cover:#?}");
    let summary = book["Summary"].as_array().unwrap();
    assert!(summary.iter().any(|r| r[2] == q1), "{summary:#?}");
}

// ---- 4. printed Responses pages -------------------------------------------------

/// Six questions: the Responses sheet prints three pages wide, so its
/// third page holds questions 5 and 6 only, beside the repeated columns.
fn six_questions() -> String {
    let mut q = String::from(
        "title = \"Migration Partnerships\"\nrequested_by = \"AT\"\nrequested_on = 2010-07-26\n",
    );
    for i in 1..=6 {
        q.push_str(&format!(
            "\n[[questions]]\nid = \"{i}\"\ntext = \"Question number {i} about partnerships?\"\ntype = \"text\"\n"
        ));
    }
    q
}

#[test]
fn every_printed_responses_page_shows_the_country_and_its_dissemination() {
    let countries = [
        ("BE", "Belgium", "Yes"),
        ("CZ", "Czech Republic", "No"),
        ("DE", "Germany", "Yes"),
        ("EE", "Estonia", "No"),
        ("FR", "France", "Yes"),
        ("IT", "Italy", "Yes"),
        ("LV", "Latvia", "No"),
        ("PL", "Poland", "Yes"),
    ];
    let mut case = Case::new().query(&six_questions());
    for (code, name, flag) in countries {
        let answers: Vec<(String, String)> = (1..=6)
            .map(|i| {
                // Running text, its first and last words naming their place.
                let text = "the partnership works on return, readmission and legal migration ";
                let answer = format!("{code}q{i}start {} {code}q{i}end", text.repeat(6));
                (i.to_string(), answer)
            })
            .collect();
        let answers: Vec<(&str, &str)> = answers
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        case = add(
            case,
            &format!("{code}.xlsx"),
            &response(name, flag, &answers),
        );
    }
    let out = case.compile(&[]);
    let wider = out.join("compilation-wider.xlsx");

    // The print titles, as openpyxl reads them.
    let titles = openpyxl(
        r#"
import sys, json, openpyxl
ws = openpyxl.load_workbook(sys.argv[2])["Responses"]
json.dump({"cols": ws.print_title_cols, "rows": ws.print_title_rows,
           "header": [c.value for c in ws[1][:2]]}, open(sys.argv[1], "w"))
"#,
        &[&wider],
    );
    assert_eq!(titles["cols"], "$A:$B", "{titles}");
    assert_eq!(titles["rows"], "$1:$1", "{titles}");
    assert_eq!(
        strings(&titles["header"]),
        ["Country", "Wider Dissemination"]
    );

    // Printed by LibreOffice: the Responses sheet's third page.
    let pdf = support::libreoffice::convert(
        &wider,
        "pdf",
        &case.dir().join("pdf"),
        &case.dir().join("profile"),
    );
    let pdftotext = support::libreoffice::pdftotext();
    let page = |n: usize| -> Option<String> {
        let out = std::process::Command::new(&pdftotext)
            .args(["-layout", "-f", &n.to_string(), "-l", &n.to_string()])
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        (out.status.success() && !text.trim().is_empty()).then_some(text)
    };
    // The footer names the sheet; LibreOffice numbers pages across the workbook.
    let responses: Vec<String> = (1..200)
        .map_while(page)
        .filter(|t| {
            t.lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .is_some_and(|l| l.trim_start().starts_with("Responses "))
        })
        .collect();
    assert!(responses.len() >= 3, "{} Responses pages", responses.len());
    let third = &responses[2];
    assert!(
        third.contains("q5start") && !third.contains("q1start"),
        "page 3 holds questions 5 and 6:\n{third}"
    );
    assert!(third.contains("Wider"), "{third}");
    assert!(third.contains("Dissemination"), "{third}");
    // Each country's row on the page shows its flag beside its name.
    let mut seen = 0;
    for (_, name, flag) in countries {
        if let Some(line) = third.lines().find(|l| l.trim_start().starts_with(name)) {
            let after = line.trim_start()[name.len()..].split_whitespace().next();
            assert_eq!(after, Some(flag), "{name} on page 3: {line:?}");
            seen += 1;
        }
    }
    assert!(seen >= 2, "{seen} countries on page 3:\n{third}");
    // Each Responses page, whichever columns it holds, has the heading.
    for (i, p) in responses.iter().enumerate() {
        assert!(
            p.contains("Dissemination"),
            "Responses page {}:\n{p}",
            i + 1
        );
    }
}
