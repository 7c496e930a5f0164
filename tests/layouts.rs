//! What member states really send: each orientation and each source of the
//! country, read as a careful coordinator would, or stopped with an error
//! that says what to decide. Files are made by real writers (rust_xlsxwriter,
//! CSV, LibreOffice for ods and xls) and read by the binary.

mod support;

use serde_json::Value;
use support::{Case, has_message, messages};

fn one(case: &Case) -> (i32, Value) {
    let (code, files) = case.json();
    assert_eq!(files.len(), 1, "{files:#?}");
    (code, files.into_iter().next().unwrap())
}

fn answer<'a>(f: &'a Value, record: usize, id: &str) -> Option<&'a str> {
    f["records"][record]["answers"]
        .as_array()?
        .iter()
        .find(|a| a["question_id"] == id)?["text"]
        .as_str()
}

// ---- orientations ----------------------------------------------------------

#[test]
fn answers_written_below_their_questions_are_the_answers_not_other_information() {
    let case = Case::new().xlsx(
        "BE.xlsx",
        &[(
            "Reply",
            &[
                &["Country", "Belgium"],
                &["Wider Dissemination?", "Yes"],
                &["1. Do you currently or in the past have/had a Migration Partnership with a third country?"],
                &["Yes, with Georgia."],
                &[""],
                &["2. If yes which third countries are/were involved?"],
                &["Georgia"],
                &["and Moldova"],
                &["No"],
            ],
        )],
    );
    let (code, f) = one(&case);
    assert_eq!(code, 0, "{f:#}");
    assert_eq!(answer(&f, 0, "1"), Some("Yes, with Georgia."), "{f:#}");
    assert_eq!(
        answer(&f, 0, "2"),
        Some("Georgia\nand Moldova\nNo"),
        "{f:#}"
    );
    assert_eq!(f["records"][0]["answers"][0]["source"], "Reply!A4");
    assert!(f["records"][0]["extra"].is_null(), "{f:#}");
}

#[test]
fn a_matrix_of_countries_by_questions_gives_a_response_per_column() {
    let case = Case::new().xlsx(
        "compiled.xlsx",
        &[(
            "Sheet1",
            &[
                &["Question", "Belgium", "France"],
                &["Wider Dissemination", "Yes", "No"],
                &["1", "Yes", "No"],
                &["2", "Georgia", ""],
            ],
        )],
    );
    let (code, f) = one(&case);
    assert_eq!(code, 0, "{f:#}");
    assert_eq!(f["layout"], "matrix");
    let records = f["records"].as_array().unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["country"]["code"], "BE");
    assert_eq!(records[1]["country"]["code"], "FR");
    assert_eq!(records[1]["dissemination"]["value"], "no");
    assert_eq!(answer(&f, 0, "2"), Some("Georgia"));
    assert_eq!(answer(&f, 1, "1"), Some("No"));
}

#[test]
fn one_sheet_per_country_reads_each_sheet_as_its_country() {
    let sheet = |answer: &'static str, flag: &'static str| -> Vec<Vec<&'static str>> {
        vec![
            vec!["Wider Dissemination?", flag],
            vec!["1", answer],
            vec!["2", "Georgia"],
        ]
    };
    let (be, fr) = (sheet("Yes", "Yes"), sheet("No", "No"));
    let be: Vec<&[&str]> = be.iter().map(Vec::as_slice).collect();
    let fr: Vec<&[&str]> = fr.iter().map(Vec::as_slice).collect();
    let case = Case::new().xlsx("replies.xlsx", &[("Belgium", &be), ("France", &fr)]);
    let (code, f) = one(&case);
    assert_eq!(code, 0, "{f:#}");
    let records = f["records"].as_array().unwrap();
    let codes: Vec<&str> = records
        .iter()
        .map(|r| r["country"]["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["BE", "FR"]);
    assert_eq!(answer(&f, 1, "1"), Some("No"));
    // The inference is said, with where it came from.
    assert!(has_message(
        &f,
        "warnings",
        "the country is taken from the sheet's name (\"France\")"
    ));
}

#[test]
fn one_sheet_per_question_gives_each_question_its_sheets_text() {
    let main: &[&[&str]] = &[&["Country", "Belgium"], &["Wider Dissemination?", "No"]];
    let q1: &[&[&str]] = &[
        &["Do you currently or in the past have/had a Migration Partnership with a third country?"],
        &["Yes, with Georgia."],
        &["Since 2009."],
    ];
    let q2: &[&[&str]] = &[&["Georgia"]];
    let case = Case::new().xlsx(
        "BE.xlsx",
        &[("Reply", main), ("Q1", q1), ("Question 2", q2)],
    );
    let (code, f) = one(&case);
    assert_eq!(code, 0, "{f:#}");
    assert_eq!(
        answer(&f, 0, "1"),
        Some("Yes, with Georgia.\nSince 2009."),
        "{f:#}"
    );
    assert_eq!(answer(&f, 0, "2"), Some("Georgia"), "{f:#}");
    assert!(!has_message(&f, "warnings", "is not read"), "{f:#}");
}

// ---- where the country comes from ------------------------------------------

#[test]
fn the_country_from_a_title_adjective_or_the_file_name_is_said_in_a_warning() {
    let rows: &[&[&str]] = &[
        &["Response of the Belgian EMN NCP"],
        &["Wider Dissemination?", "Yes"],
        &["1", "Yes"],
    ];
    let (code, f) = one(&Case::new().xlsx("reply.xlsx", &[("Reply", rows)]));
    assert_eq!((code, f["country"].as_str()), (0, Some("BE")), "{f:#}");
    assert!(has_message(
        &f,
        "warnings",
        "the country is taken from the title (\"Response of the Belgian EMN NCP\"): Belgium"
    ));
    let rows: &[&[&str]] = &[
        &["Réponse du PCN français"],
        &["1", "Oui"],
        &["2", "Géorgie"],
    ];
    let (_, f) = one(&Case::new().csv("reponse.csv", rows));
    assert_eq!(f["country"], "FR", "{f:#}");
    let rows: &[&[&str]] = &[&["Wider Dissemination?", "Yes"], &["1", "Yes"]];
    let (code, f) = one(&Case::new().xlsx("EMN AHQ reply - Latvia.xlsx", &[("Sheet1", rows)]));
    assert_eq!((code, f["country"].as_str()), (0, Some("LV")), "{f:#}");
    assert!(
        has_message(&f, "warnings", "taken from the file name"),
        "{f:#}"
    );
}

#[test]
fn two_sources_that_disagree_stop_the_file() {
    let rows: &[&[&str]] = &[
        &["Response of the Belgian EMN NCP"],
        &["Country", "France"],
        &["Wider Dissemination?", "Yes"],
        &["1", "Yes"],
    ];
    let (code, f) = one(&Case::new().xlsx("reply.xlsx", &[("Reply", rows)]));
    assert_eq!(code, 1, "{f:#}");
    assert!(
        messages(&f, "errors").iter().any(|(m, at)| m
            .contains("the country cell says France but the title (\"Response of the Belgian EMN NCP\") says Belgium")
            && at.as_deref() == Some("Reply!A1")),
        "{f:#}"
    );
}

#[test]
fn a_cell_naming_two_countries_is_an_error_never_a_pick() {
    let rows: &[&[&str]] = &[
        &["Country", "Belgium / Luxembourg"],
        &["Wider Dissemination?", "Yes"],
        &["1", "Yes"],
    ];
    let (code, f) = one(&Case::new().xlsx("reply.xlsx", &[("Reply", rows)]));
    assert_eq!(code, 1);
    assert!(
        has_message(&f, "errors", "names 2 countries (Belgium, Luxembourg)"),
        "{f:#}"
    );
}

#[test]
fn short_and_old_names_are_recognised() {
    for (name, code) in [
        ("Rep. of Moldova", "MD"),
        ("Luxemburg", "LU"),
        ("Holland", "NL"),
        ("Great Britain", "UK"),
    ] {
        let rows: &[&[&str]] = &[
            &["Country", name],
            &["Wider Dissemination?", "No"],
            &["1", "No"],
        ];
        let (_, f) = one(&Case::new().csv("x.csv", rows));
        assert_eq!(f["country"], code, "{name}: {f:#}");
    }
}

#[test]
fn a_file_with_no_country_anywhere_says_how_to_give_it() {
    let rows: &[&[&str]] = &[&["Wider Dissemination?", "Yes"], &["1", "Yes"]];
    let (code, f) = one(&Case::new().xlsx("reply.xlsx", &[("Sheet1", rows)]));
    assert_eq!(code, 1);
    assert!(
        has_message(
            &f,
            "errors",
            "no cell says which country this response is from"
        ),
        "{f:#}"
    );
}

// ---- the same through LibreOffice ------------------------------------------

#[test]
fn a_matrix_and_answers_below_survive_libreoffice_as_ods_and_xls() {
    let tmp = tempfile::tempdir().unwrap();
    let profile = tmp.path().join("profile");
    let src = tmp.path().join("matrix.xlsx");
    std::fs::write(
        &src,
        support::xlsx(
            &[(
                "Sheet1",
                &[
                    &["Question", "Belgium", "France"],
                    &["Wider Dissemination", "Yes", "No"],
                    &["1", "Yes", "No"],
                ],
            )],
            |_| {},
        ),
    )
    .unwrap();
    let below = tmp.path().join("below.xlsx");
    std::fs::write(
        &below,
        support::xlsx(
            &[(
                "Reply",
                &[
                    &["Country", "Belgium"],
                    &["Wider Dissemination?", "No"],
                    &["Question 1"],
                    &["Yes, with Georgia."],
                ],
            )],
            |_| {},
        ),
    )
    .unwrap();
    for format in ["ods", "xls"] {
        let out = tmp.path().join(format);
        let m = support::libreoffice::convert(&src, format, &out, &profile);
        let (code, f) = one(&Case::new().file(&format!("m.{format}"), std::fs::read(m).unwrap()));
        assert_eq!(code, 0, "{format}: {f:#}");
        assert_eq!(f["records"].as_array().unwrap().len(), 2, "{format}: {f:#}");
        let b = support::libreoffice::convert(&below, format, &out, &profile);
        let (code, f) = one(&Case::new().file(&format!("b.{format}"), std::fs::read(b).unwrap()));
        assert_eq!(code, 0, "{format}: {f:#}");
        assert_eq!(
            answer(&f, 0, "1"),
            Some("Yes, with Georgia."),
            "{format}: {f:#}"
        );
    }
}
