//! "A response that knows its query": a workbook made with `ahq template`
//! carries the whole query in its hidden sheet, so `ahq validate FILE` needs
//! no query folder; any other file is told how to give the query
//! (`--query query.toml`, or a blank template); a carried query edited by
//! hand is refused, never used.
//!
//! The templates are filled in by openpyxl (tests/tools/fill_template.py),
//! a program that is not ahq, as in tests/template_roundtrip.rs.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use support::python::run_openpyxl;
use support::{Case, QUERY, Run};

/// `ahq ARGS` with paths as arguments.
fn ahq(args: &[&Path]) -> Run {
    let args: Vec<String> = args
        .iter()
        .map(|a| a.to_str().expect("a UTF-8 path").to_string())
        .collect();
    support::run(&args)
}

fn p(s: &str) -> &Path {
    Path::new(s)
}

/// `ahq template DIR [--country BE] -o OUT`, which must succeed.
fn template(case: &Case, country: Option<&str>, out: &Path) -> PathBuf {
    let mut args = vec![p("template"), case.dir(), p("-o"), out];
    if let Some(c) = country {
        args.extend([p("--country"), p(c)]);
    }
    ahq(&args).status(0);
    out.to_path_buf()
}

/// Fills `template` with openpyxl into `out`: a contact, the flag "No" and
/// an answer to every question.
fn fill(template: &Path, out: &Path) -> PathBuf {
    let spec = serde_json::json!({
        "flag": "No",
        "contact": "Jan Peeters",
        "answers": { "1": "Yes, with Moldova.", "2": "Moldova", "3": "Labour migration", "4": "Good." }
    });
    support::python::fill_template(template, out, &spec.to_string());
    out.to_path_buf()
}

/// A query folder, and its template for Belgium filled in, outside it
/// (as on a member state's desktop).
fn filled(case: &Case) -> PathBuf {
    let blank = template(case, Some("BE"), &case.dir().join("template-BE.xlsx"));
    fill(&blank, &case.dir().join("BE filled.xlsx"))
}

fn json(run: &Run) -> Vec<Value> {
    support::json_list(&run.stdout, "files")
}

fn errors(report: &Value) -> Vec<String> {
    support::messages(report, "errors")
        .into_iter()
        .map(|(m, _)| m)
        .collect()
}

/// Country, flag and answers as the query folder gives them.
fn assert_belgium(report: &Value) {
    assert_eq!(report["country"], "BE", "{report:#}");
    assert_eq!(report["dissemination"], "no", "{report:#}");
    assert_eq!(report["layout"], "template", "{report:#}");
    assert_eq!(report["answers"]["2"], "Moldova", "{report:#}");
    assert_eq!(report["answers"]["4"], "Good.", "{report:#}");
    assert!(errors(report).is_empty(), "{report:#}");
}

#[test]
fn a_filled_template_alone_is_validated_against_the_query_it_carries() {
    let case = Case::new();
    let file = filled(&case);
    let alone = ahq(&[p("validate"), &file, p("--format"), p("json")]);
    alone.status(0);
    let with_folder = ahq(&[p("validate"), case.dir(), &file, p("--format"), p("json")]);
    with_folder.status(0);
    let (alone, with_folder) = (json(&alone), json(&with_folder));
    assert_eq!(alone.len(), 1);
    assert_belgium(&alone[0]);
    assert_eq!(alone[0]["answers"], with_folder[0]["answers"]);
    assert_eq!(alone[0]["records"], with_folder[0]["records"]);

    // In text too, with the summary line.
    ahq(&[p("validate"), &file])
        .status(0)
        .stdout_has("country: Belgium (BE)   wider dissemination: No")
        .stdout_has("1 file, 1 country");
}

#[test]
fn a_blank_template_carries_the_query_even_when_the_query_is_long() {
    // A query past one cell's 32,767 characters (forty long questions): it is
    // split over several cells of the hidden sheet and joined back.
    let mut toml = QUERY.to_string();
    for i in 5..=40 {
        let text = format!("Question {i}: describe the partnership in detail. ").repeat(25);
        toml.push_str(&format!(
            "\n[[questions]]\nid = \"{i}\"\ntext = \"{text}\"\n"
        ));
    }
    assert!(toml.len() > 40_000);
    let case = Case::new().query(&toml);
    let file = filled(&case);
    let run = ahq(&[p("validate"), &file, p("--format"), p("json")]);
    run.status(0);
    assert_belgium(&json(&run)[0]);
}

#[test]
fn a_file_without_its_query_is_told_how_to_give_it() {
    let case = Case::new().csv(
        "BE.csv",
        &[
            &["Country", "Belgium"],
            &["Wider Dissemination?", "No"],
            &["1", "Yes"],
            &["2", "Moldova"],
            &["3", "Labour migration"],
            &["4", "Good."],
        ],
    );
    let csv = case.dir().join("responses/BE.csv");
    let f = csv.to_str().unwrap();
    ahq(&[p("validate"), &csv])
        .status(2)
        .stderr_has(&format!(
            "{f}: this file does not carry the query it answers"
        ))
        .stderr_has(&format!("`ahq validate --query query.toml {f}`"))
        .stderr_has(&format!("`ahq validate --query blank-template.xlsx {f}`"));

    // Given both ways, it is validated.
    let toml = case.dir().join("query.toml");
    let blank = template(&case, None, &case.dir().join("template.xlsx"));
    for query in [&toml, &blank] {
        let run = ahq(&[
            p("validate"),
            p("--query"),
            query,
            &csv,
            p("--format"),
            p("json"),
        ]);
        run.status(0);
        let reports = json(&run);
        assert_eq!(reports[0]["country"], "BE", "{}", run.stdout);
        assert_eq!(reports[0]["answers"]["2"], "Moldova", "{}", run.stdout);
    }

    // --query with a query.toml and no files: its folder's responses/.
    ahq(&[p("validate"), p("--query"), &toml])
        .status(0)
        .stdout_has("BE.csv");
    // A workbook that carries no query is no --query.
    let other = case.dir().join("plain.xlsx");
    std::fs::write(&other, support::xlsx(&[("S", &[&["a"]])], |_| {})).unwrap();
    ahq(&[p("validate"), p("--query"), &other, &csv])
        .status(2)
        .stderr_has("plain.xlsx: this file carries no query")
        .stderr_has("--query takes a query.toml, a query folder, or a blank template");
}

#[test]
fn a_template_of_another_query_given_with_this_query_is_refused() {
    let this = Case::new();
    let other = Case::new().query(
        &QUERY
            .replace("2010.12", "2011.3")
            .replace("Which areas of focus", "Which other areas of focus"),
    );
    let theirs = filled(&other);
    let run = ahq(&[
        p("validate"),
        p("--query"),
        &this.dir().join("query.toml"),
        &theirs,
        p("--format"),
        p("json"),
    ]);
    run.status(1);
    let errors = errors(&json(&run)[0]);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("made from the template of query 2011.3")),
        "{errors:?}"
    );

    // Alone, each file is checked against its own query, both at once.
    let ours = filled(&this);
    let run = ahq(&[p("validate"), &ours, &theirs, p("--format"), p("json")]);
    run.status(0);
    let reports = json(&run);
    assert_eq!(reports.len(), 2, "{}", run.stdout);
    for r in &reports {
        assert_belgium(r);
    }
}

/// Replaces `from` by `to` in the hidden sheet's carried query, as a person
/// who unhid the sheet would.
fn edit_carried(file: &Path, from: &str, to: &str) {
    let script = r#"
import sys, openpyxl
path, key, old, new = sys.argv[1:5]
wb = openpyxl.load_workbook(path)
ws = wb["ahq"]
for row in ws.iter_rows(min_col=1, max_col=2):
    if row[0].value == key:
        row[1].value = row[1].value.replace(old, new)
wb.save(path)
"#;
    let f = file.to_str().unwrap();
    run_openpyxl(script, &[f, "query_toml.1", from, to]);
}

#[test]
fn a_carried_query_edited_by_hand_is_an_error_never_used() {
    let case = Case::new();
    let file = filled(&case);
    edit_carried(&file, "Which areas of focus", "Which areas");
    let f = file.to_str().unwrap();
    ahq(&[p("validate"), &file])
        .status(2)
        .stderr_has(&format!("{f}: the query this file carries"))
        .stderr_has("changed after `ahq template` wrote it");

    // Even a change the fingerprint does not cover (the title).
    let file = filled(&case);
    edit_carried(
        &file,
        "title = \"Migration Partnerships\"",
        "title = \"Something Else\"",
    );
    ahq(&[p("validate"), &file])
        .status(2)
        .stderr_has("changed after `ahq template` wrote it");
    // The query given another way still validates it.
    ahq(&[p("validate"), case.dir(), &file]).status(0);
}
