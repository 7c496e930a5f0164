//! "A template filled in by any spreadsheet program and read back gives
//! exactly the answers typed."
//!
//! Each test makes a template with the built `ahq` binary, has a program that
//! is not ahq fill it in (Python's openpyxl, through
//! `tests/tools/fill_template.py`, which finds the cells by their labels), and
//! optionally has LibreOffice save it again as ods, xls or xlsx. `ahq validate
//! --format json` must then give back the country, the flag and exactly the
//! answers typed (after ahq's documented tidying: trimmed ends, `\n` line
//! endings, runs of spaces collapsed).
//!
//! The tests provide their tools themselves and fail, never skip, when they
//! cannot: openpyxl is installed with pip into `CARGO_TARGET_TMPDIR/pydeps`,
//! and LibreOffice with apt-get when running as root.

mod support;

use serde_json::Value;
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::libreoffice::convert;
use support::python::{openpyxl_path, python_path};
use support::show;
use tempfile::TempDir;

const AHQ: &str = env!("CARGO_BIN_EXE_ahq");

/// Four questions, one of them yes-no, and a background, as real queries have
/// (the shipped sample does too).
const QUERY_TOML: &str = r#"
title = "Round Trips"
reference = "T.1"
requested_by = "AT"
requested_on = 2024-03-01
deadline = 2024-04-01
network = "emn"
default_dissemination = "yes"
background = """
A query made by the template round-trip test: its answers are typed by
programs other than ahq and must come back unchanged.
"""

[[questions]]
id = "1"
text = "Does your Member State run a return counselling programme?"
type = "yes-no"

[[questions]]
id = "2"
text = "Which countries take part in the programme?"
type = "countries"

[[questions]]
id = "3"
text = "How many counsellors work in the programme?"
type = "text"

[[questions]]
id = "4"
text = "What are your experiences with the programme?"
type = "text"
"#;

const CONTACT: &str = "Jan Peeters, jan.peeters@example.be";

/// What is typed, per question, and what ahq must read back.
const TYPED: [(&str, &str, &str); 4] = [
    ("1", "Yes.\nSecond line", "Yes.\nSecond line"),
    (
        "2",
        "Česká republika – ß ü € 中文",
        "Česká republika – ß ü € 中文",
    ),
    // A number typed as text: read back as typed, not as 21.0.
    ("3", "21", "21"),
    // Spaces at either end, as pasted text has them: ahq trims them.
    (
        "4",
        "   Mostly positive, with some delays.  ",
        "Mostly positive, with some delays.",
    ),
];

// ---------------------------------------------------------------------------
// Running ahq

fn run(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

fn ahq<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    run(Command::new(AHQ).args(args))
}

/// A query folder: query.toml, an empty responses/ and out/ for the files made.
struct QueryDir {
    tmp: TempDir,
}

impl QueryDir {
    fn new() -> QueryDir {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        fs::write(tmp.path().join("query.toml"), QUERY_TOML).unwrap();
        fs::create_dir(tmp.path().join("responses")).unwrap();
        fs::create_dir(tmp.path().join("out")).unwrap();
        QueryDir { tmp }
    }

    fn path(&self) -> &Path {
        self.tmp.path()
    }

    fn out(&self, name: &str) -> PathBuf {
        self.path().join("out").join(name)
    }

    /// `ahq template DIR --country BE -o DIR/out/template-BE.xlsx`.
    fn template(&self) -> PathBuf {
        let file = self.out("template-BE.xlsx");
        let out = ahq([
            OsStr::new("template"),
            self.path().as_os_str(),
            OsStr::new("--country"),
            OsStr::new("BE"),
            OsStr::new("-o"),
            file.as_os_str(),
        ]);
        assert!(out.status.success(), "ahq template failed:\n{}", show(&out));
        assert!(
            file.is_file(),
            "ahq template reported success but wrote no {}",
            file.display()
        );
        file
    }

    /// `ahq validate DIR FILE --format json`: exit 0 and the one file's report.
    fn validate(&self, file: &Path) -> Value {
        self.validate_expecting(file, true)
    }

    /// `validate` of one file, which must exit 0 (`ok`) or 1 (errors found).
    fn validate_expecting(&self, file: &Path, ok: bool) -> Value {
        let out = ahq([
            OsStr::new("validate"),
            self.path().as_os_str(),
            file.as_os_str(),
            OsStr::new("--format"),
            OsStr::new("json"),
        ]);
        let expected = if ok { 0 } else { 1 };
        assert_eq!(
            out.status.code(),
            Some(expected),
            "ahq validate {} did not exit {expected}:\n{}",
            file.display(),
            show(&out)
        );
        let reports = support::json_list(&String::from_utf8_lossy(&out.stdout), "files");
        assert_eq!(reports.len(), 1, "one file, one report:\n{reports:#?}");
        reports[0].clone()
    }
}

// ---------------------------------------------------------------------------
// openpyxl

/// Fills `template` with openpyxl into `out`; see tests/tools/fill_template.py for `spec`.
fn fill(template: &Path, out: &Path, spec: &Value) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/fill_template.py");
    let mut cmd = Command::new("python3");
    cmd.arg(&script)
        .arg(template)
        .arg(out)
        .arg(spec.to_string());
    if let Some(p) = openpyxl_path() {
        cmd.env("PYTHONPATH", python_path(&p));
    }
    let result = run(&mut cmd);
    assert!(
        result.status.success(),
        "fill_template.py failed:\n{}",
        show(&result)
    );
    assert!(out.is_file(), "fill_template.py wrote no {}", out.display());
}

/// The answers of [`TYPED`], as fill_template.py takes them.
fn typed_answers() -> Value {
    Value::Object(
        TYPED
            .iter()
            .map(|(id, typed, _)| (id.to_string(), Value::from(*typed)))
            .collect(),
    )
}

fn expected_answers() -> BTreeMap<String, String> {
    TYPED
        .iter()
        .map(|(id, _, read)| (id.to_string(), read.to_string()))
        .collect()
}

/// A query folder with the template filled in by openpyxl: answers as typed,
/// the flag "No", the contact: out/filled.xlsx.
fn filled() -> (QueryDir, PathBuf) {
    let q = QueryDir::new();
    let template = q.template();
    let file = q.out("filled.xlsx");
    let spec = serde_json::json!({ "flag": "No", "contact": CONTACT, "answers": typed_answers() });
    fill(&template, &file, &spec);
    (q, file)
}

// ---------------------------------------------------------------------------
// Checks

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn findings<'a>(report: &'a Value, kind: &str) -> &'a [Value] {
    report[kind]
        .as_array()
        .unwrap_or_else(|| panic!("\"{kind}\" is not a list:\n{report:#}"))
}

fn answers(report: &Value) -> BTreeMap<String, String> {
    report["answers"]
        .as_object()
        .unwrap_or_else(|| panic!("\"answers\" is not an object:\n{report:#}"))
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_str().expect("answers are texts").to_string(),
            )
        })
        .collect()
}

/// The report of a fully filled template: Belgium, "No", every answer as typed,
/// read from the template layout (its hidden sheet survived), no errors, and
/// no claim that the questions changed.
fn assert_reads_back(report: &Value, what: &str) {
    assert_eq!(
        findings(report, "errors"),
        &[] as &[Value],
        "{what}: errors:\n{report:#}"
    );
    assert_eq!(
        text(report, "country"),
        Some("BE"),
        "{what}: country:\n{report:#}"
    );
    assert_eq!(
        text(report, "dissemination"),
        Some("no"),
        "{what}: the flag typed was No:\n{report:#}"
    );
    assert_eq!(
        answers(report),
        expected_answers(),
        "{what}: the answers are not those typed:\n{report:#}"
    );
    assert_eq!(
        text(&report["records"][0], "contact"),
        Some(CONTACT),
        "{what}: contact:\n{report:#}"
    );
    assert!(
        !findings(report, "warnings")
            .iter()
            .any(|w| text(w, "message").is_some_and(|m| m.contains("version of the questions"))),
        "{what}: the questions did not change, yet:\n{report:#}"
    );
    assert_eq!(
        text(report, "layout"),
        Some("template"),
        "{what}: the template's hidden sheet was not recognised:\n{report:#}"
    );
}

/// Fills the template with openpyxl, has LibreOffice save it as `format`, and
/// checks the copy reads back as typed.
fn libreoffice_round_trip(format: &str) {
    let (q, filled) = filled();
    let copy = convert(
        &filled,
        format,
        &q.out("libreoffice"),
        &q.path().join("lo-profile"),
    );
    let report = q.validate(&copy);
    assert_reads_back(&report, &format!("saved as {format} by LibreOffice"));
    assert_eq!(text(&report, "format"), Some(format), "{report:#}");
}

// ---------------------------------------------------------------------------
// Tests

#[test]
fn template_filled_by_openpyxl_reads_back_exactly() {
    let (q, filled) = filled();
    let report = q.validate(&filled);
    assert_reads_back(&report, "filled by openpyxl");
    // The answers come from the answer column, one row per question.
    let first = ahq::template::FIRST_QUESTION_ROW;
    for (i, (id, _, _)) in TYPED.iter().enumerate() {
        let source = report["records"][0]["answers"][i]["source"].as_str();
        assert_eq!(
            source,
            Some(format!("Response!C{}", first + 1 + i as u32).as_str()),
            "question {id}:\n{report:#}"
        );
    }
}

#[test]
fn fully_filled_template_gives_no_warnings() {
    // Every white cell is filled and every other cell is as ahq wrote it, so
    // there is nothing to warn about: in particular not the template's own
    // "Background" row, which the sender cannot even edit (the sheet is protected).
    let (q, filled) = filled();
    let report = q.validate(&filled);
    assert_eq!(findings(&report, "errors"), &[] as &[Value], "{report:#}");
    assert_eq!(
        findings(&report, "warnings"),
        &[] as &[Value],
        "a fully filled template gives warnings:\n{report:#}"
    );
}

#[test]
fn template_saved_as_ods_by_libreoffice_reads_back_exactly() {
    libreoffice_round_trip("ods");
}

#[test]
fn template_saved_as_xls_by_libreoffice_reads_back_exactly() {
    libreoffice_round_trip("xls");
}

#[test]
fn template_saved_as_xlsx_by_libreoffice_reads_back_exactly() {
    libreoffice_round_trip("xlsx");
}

#[test]
fn blank_answer_and_blank_flag_are_reported_at_their_cells() {
    let q = QueryDir::new();
    let template = q.template();
    let file = q.out("filled.xlsx");
    let mut typed = typed_answers();
    typed["3"] = Value::Null;
    // An empty string, as some programs store a cleared cell.
    let spec = serde_json::json!({ "flag": "", "contact": CONTACT, "answers": typed });
    fill(&template, &file, &spec);

    let report = q.validate(&file);
    assert_eq!(findings(&report, "errors"), &[] as &[Value], "{report:#}");
    assert_eq!(text(&report, "country"), Some("BE"), "{report:#}");
    assert_eq!(
        text(&report, "dissemination"),
        Some("yes"),
        "a blank flag is the query's default:\n{report:#}"
    );
    let mut expected = expected_answers();
    expected.remove("3");
    assert_eq!(answers(&report), expected, "{report:#}");

    let warnings = findings(&report, "warnings");
    // Question 3 is the third question row; answers are in column C.
    let q3_cell = format!("C{}", ahq::template::FIRST_QUESTION_ROW + 2 + 1);
    assert!(
        warnings.iter().any(|w| {
            text(w, "location").is_some_and(|l| l.ends_with(&format!("!{q3_cell}")))
                && text(w, "message").is_some_and(|m| m.contains("question 3"))
        }),
        "no warning about question 3 at {q3_cell}:\n{report:#}"
    );
    // The flag is three rows below the country, its value in column B.
    let flag_cell = format!("!B{}", ahq::template::COUNTRY_ROW + 3 + 1);
    assert!(
        warnings.iter().any(|w| {
            text(w, "message").is_some_and(|m| m.contains("blank") && m.contains("(Yes)"))
                && text(w, "location").is_some_and(|l| l.ends_with(&flag_cell))
        }),
        "no warning that the blank flag defaulted to Yes at {flag_cell}:\n{report:#}"
    );
    assert_eq!(
        report["records"][0]["dissemination"]["given"],
        Value::Bool(false),
        "{report:#}"
    );
}

/// A query folder whose question 2 was reworded after the template was filled in.
const OLD_Q2: &str = "Which countries take part in the programme?";

fn filled_then_question_2_reworded() -> (QueryDir, PathBuf) {
    let (q, filled) = filled();
    let toml = q.path().join("query.toml");
    let source = fs::read_to_string(&toml).unwrap();
    assert!(source.contains(OLD_Q2));
    let new = "Which third countries take part in the programme?";
    fs::write(&toml, source.replace(OLD_Q2, new)).unwrap();
    (q, filled)
}

#[test]
fn template_of_an_older_version_of_the_questions_is_an_error() {
    let (q, filled) = filled_then_question_2_reworded();
    let report = q.validate_expecting(&filled, false);
    assert!(
        findings(&report, "errors")
            .iter()
            .any(|w| text(w, "message")
                .is_some_and(|m| m.contains("another version of the questions"))),
        "no error that the template was made from another version of the questions:\n{report:#}"
    );
}

#[test]
fn template_of_an_older_version_of_the_questions_still_gives_the_typed_answers() {
    // The error asks the sender to copy the answers into a fresh template and
    // check each: the answers shown must be the ones typed in the answer
    // column, never the template's old question text.
    let (q, filled) = filled_then_question_2_reworded();
    let report = q.validate_expecting(&filled, false);
    assert_ne!(
        report["answers"]["2"].as_str(),
        Some(OLD_Q2),
        "the old text of question 2 was read as its answer:\n{report:#}"
    );
    assert_eq!(answers(&report), expected_answers(), "{report:#}");
}
