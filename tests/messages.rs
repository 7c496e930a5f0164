//! Messages a coordinator can act on: each mistake a newcomer makes in their
//! first hour gets a message that says what is wrong, where, and what to do,
//! through the real binary.

mod support;

use support::{Case, QUERY};

#[test]
fn a_folder_without_query_toml_says_what_a_query_folder_holds_and_how_to_make_one() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().to_str().unwrap();
    support::run(&["compile".into(), d.into()])
        .status(2)
        .stderr_has(&format!("{d}: this folder has no query.toml"))
        .stderr_has("give the folder that holds query.toml and responses/")
        .stderr_has(&format!("`ahq new {d}`"));
}

#[test]
fn validate_given_a_file_without_its_query_says_how_to_give_the_query() {
    let case = Case::new().csv("BE.csv", &[&["Country", "Belgium"]]);
    let file = case.dir().join("responses/BE.csv");
    let f = file.to_str().unwrap();
    support::run(&["validate".into(), f.into()])
        .status(2)
        .stderr_has(&format!(
            "{f}: this file does not carry the query it answers"
        ))
        .stderr_has(&format!("ahq validate --query query.toml {f}"))
        .stderr_has(&format!("ahq validate QUERY_FOLDER {f}"));
}

#[test]
fn compile_out_naming_an_existing_file_says_it_wants_a_folder() {
    let case = Case::new().csv(
        "BE.csv",
        &[&["Country", "Belgium"], &["Wider Dissemination?", "Yes"]],
    );
    std::fs::write(case.dir().join("out.xlsx"), b"mine").unwrap();
    case.run(&["compile", "{dir}", "-o", "{dir}/out.xlsx"])
        .status(2)
        .stderr_has("out.xlsx: is a file: -o names the folder")
        .stderr_has("give a folder");
    assert_eq!(std::fs::read(case.dir().join("out.xlsx")).unwrap(), b"mine");
}

#[test]
fn template_out_naming_a_folder_says_it_wants_a_workbook_name() {
    let case = Case::new();
    case.run(&["template", "{dir}", "-o", "{dir}/responses"])
        .status(2)
        .stderr_has("responses: is a folder: -o names the workbook to write")
        .stderr_has("responses/template.xlsx");
}

#[test]
fn a_date_written_day_first_says_dates_are_year_month_day() {
    let case = Case::new().query(&QUERY.replace("2010-07-26", "26.07.2010"));
    case.run(&["validate", "{dir}"])
        .status(2)
        .stderr_has("query.toml:5:")
        .stderr_has("requested_on = 26.07.2010 is not a date ahq reads")
        .stderr_has("like requested_on = 2010-07-26");
}

#[test]
fn a_mistyped_key_gets_the_nearest_valid_one() {
    let case = Case::new().query(&QUERY.replace("deadline", "dedline"));
    case.run(&["compile", "{dir}"])
        .status(2)
        .stderr_has("query.toml:6:")
        .stderr_has("unknown key `dedline`: did you mean `deadline`?");
}

#[test]
fn compile_with_no_response_files_is_an_error_not_an_empty_compilation() {
    let case = Case::new();
    let (run, out) = case.compile_with(&[]);
    run.status(2)
        .stderr_has("no response files yet (no spreadsheet, text or Word file): put the files received in this folder");
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn a_response_on_another_querys_template_is_an_error_naming_both_queries() {
    let other = tempfile::tempdir().unwrap();
    std::fs::write(
        other.path().join("query.toml"),
        QUERY
            .replace("2010.12", "2011.3")
            .replace("Migration Partnerships", "Return counselling"),
    )
    .unwrap();
    let case = Case::new();
    let out = case.dir().join("responses/BE.xlsx");
    support::run(&[
        "template".into(),
        other.path().to_str().unwrap().into(),
        "--country".into(),
        "BE".into(),
        "-o".into(),
        out.to_str().unwrap().into(),
    ])
    .status(0);
    case.run(&["validate", "{dir}"])
        .status(1)
        .stdout_has("error: this file was made from the template of query 2011.3 \"Return counselling\", not of query 2010.12 \"Migration Partnerships\"")
        .stdout_has("fill in the template of query 2010.12");
    case.compile_with(&[])
        .0
        .status(1)
        .stderr_has("made from the template of query 2011.3");
}
