//! Part 12: responses in forms no issue described, made by real writers
//! (openpyxl, python-docx, LibreOffice), read through the binary. Each is
//! read as a careful coordinator reads it, or stopped with an error that
//! says why; restriction wording wherever it hides keeps a response out of
//! the wider compilation.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use support::{has_message, repo};

const ANSWERS: [&str; 4] = [
    "Yes, with Moldova.",
    "Moldova and Georgia.",
    "Return and reintegration.",
    "Positive overall.",
];

/// The forms, made once for all tests, in a folder that lives as long as
/// the test binary.
fn forms() -> &'static Path {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("unseen_forms");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("query.toml"), support::QUERY).unwrap();
        let script = std::fs::read_to_string(repo("tests/tools/unseen_forms.py")).unwrap();
        support::python::openpyxl_path();
        let out = dir.join("responses");
        support::python::run_with(
            "docx",
            "python-docx==1.2.0",
            &script,
            &[out.to_str().unwrap()],
        );
        dir
    })
}

/// `ahq validate --query query.toml FILE --format json`: the file's object.
fn validate(file: &Path) -> Value {
    let query = forms().join("query.toml");
    let r = support::run(&[
        "validate".into(),
        "--query".into(),
        query.to_str().unwrap().into(),
        file.to_str().unwrap().into(),
        "--format".into(),
        "json".into(),
    ]);
    support::json_list(&r.stdout, "files")[0].clone()
}

fn form(name: &str) -> Value {
    validate(&forms().join("responses").join(name))
}

fn errors(v: &Value) -> Vec<String> {
    support::messages(v, "errors")
        .into_iter()
        .map(|(m, _)| m)
        .collect()
}

/// Read right: the country, the flag, and the four answers, with no error.
fn read_right(v: &Value, country: &str, flag: &str) {
    assert_eq!(errors(v), Vec::<String>::new(), "{v:#}");
    assert_eq!(v["country"], country, "{v:#}");
    assert_eq!(v["dissemination"], flag, "{v:#}");
    for (i, a) in ANSWERS.iter().enumerate() {
        assert_eq!(v["answers"][(i + 1).to_string()], *a, "{v:#}");
    }
}

/// Stopped: an error naming `place`, and never published as Yes.
fn stopped_by(v: &Value, place: &str) {
    assert!(
        errors(v).iter().any(|e| e.contains(place)),
        "no error names {place}: {v:#}"
    );
    assert_ne!(v["dissemination"], "yes", "{v:#}");
}

#[test]
fn a_comment_on_a_blank_flag_cell_saying_not_to_disseminate_stops_the_default_yes() {
    stopped_by(
        &form("comment_on_blank_flag_BE.xlsx"),
        "the comment on Response!B2",
    );
}

#[test]
fn a_page_header_marking_the_workbook_restricted_stops_it() {
    stopped_by(&form("header_CZ.xlsx"), "page header");
}

#[test]
fn a_document_property_marking_the_workbook_restricted_stops_it() {
    stopped_by(&form("property_DK.xlsx"), "the document's subject");
}

#[test]
fn a_word_reply_whose_page_header_says_restricted_is_not_published() {
    stopped_by(&form("word_header_LV.docx"), "the page header");
}

#[test]
fn a_word_comment_saying_not_for_wider_dissemination_stops_a_blank_flag() {
    stopped_by(&form("word_comment_FI.docx"), "a comment");
}

#[test]
fn question_labels_with_a_letter_before_the_question_text_are_read() {
    read_right(&form("lettered_EE.xlsx"), "EE", "yes");
}

#[test]
fn runs_of_letters_roman_numerals_and_words_of_another_language_are_question_labels() {
    read_right(&form("letters_alone_IE.xlsx"), "IE", "yes");
    read_right(&form("roman_HR.xlsx"), "HR", "yes");
    read_right(&form("frage_AT.xlsx"), "AT", "yes");
}

#[test]
fn a_label_and_its_value_in_one_cell_in_the_networks_languages() {
    read_right(&form("inline_SI.xlsx"), "SI", "no");
    read_right(&form("inline_fr_LU.xlsx"), "LU", "no");
    read_right(&form("inline_de_DE.xlsx"), "DE", "no");
}

#[test]
fn a_word_paragraph_holding_the_flag_label_and_ne_is_a_no() {
    read_right(&form("word_paragraphs_LT.docx"), "LT", "no");
}

#[test]
fn a_country_named_through_its_contact_point_is_that_country() {
    read_right(&form("contact_point_AT.xlsx"), "AT", "yes");
}

#[test]
fn instructions_that_explain_the_flag_are_guidance_and_a_marking_with_if_is_not() {
    let v = form("guidance_HU.xlsx");
    read_right(&v, "HU", "yes");
    assert!(has_message(&v, "infos", "guidance"), "{v:#}");
    stopped_by(
        &form("marking_with_if_NL.xlsx"),
        "please do not disseminate our reply",
    );
}

#[test]
fn word_text_in_the_hidden_font_is_not_compiled_and_is_said() {
    let v = form("word_hidden_MT.docx");
    read_right(&v, "MT", "yes");
    assert!(has_message(&v, "warnings", "hidden font"), "{v:#}");
}

#[test]
fn tracked_changes_deleted_text_is_not_an_answer_and_inserted_text_is() {
    let v = form("word_tracked_PL.docx");
    assert_eq!(errors(&v), Vec::<String>::new(), "{v:#}");
    assert_eq!(
        v["answers"]["1"], "Yes, with Moldova. inserted words",
        "{v:#}"
    );
}

#[test]
fn word_check_boxes_content_controls_and_legacy_fields_are_read_as_the_flag() {
    read_right(&form("word_content_controls_RO.docx"), "RO", "no");
    read_right(&form("word_legacy_boxes_SE.docx"), "SE", "no");
}

#[test]
fn placeholder_text_of_an_empty_content_control_is_no_answer() {
    let v = form("word_placeholder_SK.docx");
    assert_eq!(v["answers"].get("4"), None, "{v:#}");
    assert!(!v["answers"].to_string().contains("Click or tap"), "{v:#}");
    assert!(has_message(&v, "infos", "placeholder text"), "{v:#}");
}

#[test]
fn comments_headers_and_properties_stop_ods_and_xls_as_they_stop_xlsx() {
    let dir = forms().join("converted");
    std::fs::create_dir_all(&dir).unwrap();
    let profile = tempfile::tempdir().unwrap();
    for (name, place) in [
        ("comment_on_blank_flag_BE", "comment"),
        ("header_CZ", "page header"),
        ("property_DK", "the document's subject"),
    ] {
        let xlsx = forms().join("responses").join(format!("{name}.xlsx"));
        for ext in ["ods", "xls"] {
            let file = support::libreoffice::convert(&xlsx, ext, &dir, profile.path());
            stopped_by(&validate(&file), place);
        }
    }
}

#[test]
fn restricted_forms_leave_no_answer_in_the_wider_compilation() {
    // One query folder of the restricted forms, compiled, leaving out what stops.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("query.toml"), support::QUERY).unwrap();
    let responses = dir.path().join("responses");
    std::fs::create_dir(&responses).unwrap();
    for name in [
        "comment_on_blank_flag_BE.xlsx",
        "header_CZ.xlsx",
        "property_DK.xlsx",
        "word_header_LV.docx",
        "word_comment_FI.docx",
        "word_paragraphs_LT.docx",
        "inline_SI.xlsx",
        "word_hidden_no_DK.docx",
        "marking_on_instructions_named_sheet_CY.xlsx",
    ] {
        std::fs::copy(forms().join("responses").join(name), responses.join(name)).unwrap();
    }
    let out = dir.path().join("out");
    let r = support::run(&[
        "compile".into(),
        dir.path().to_str().unwrap().into(),
        "-o".into(),
        out.to_str().unwrap().into(),
        "--skip-invalid".into(),
    ]);
    assert!(r.code == 0 || r.code == 1, "{}\n{}", r.stdout, r.stderr);
    let mut wider = 0;
    for entry in walk(&out) {
        let name = entry.to_string_lossy().to_lowercase();
        if !name.contains("wider") {
            continue;
        }
        wider += 1;
        for answer in ANSWERS {
            assert!(
                support::occurrences(&entry, answer).is_empty(),
                "{answer:?} is in {}",
                entry.display()
            );
        }
    }
    assert!(wider > 0, "no wider output in {}", out.display());
    // The responses flagged No are in the members' compilation.
    let full = std::fs::read_to_string(out.join("compilation-full.md")).unwrap();
    assert!(
        full.contains("Slovenia") && full.contains("Lithuania"),
        "{full}"
    );
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn a_blank_copy_of_the_sheet_before_the_filled_one_is_passed_over() {
    let v = form("blank_copy_first_FI.xlsx");
    read_right(&v, "FI", "yes");
    assert!(has_message(&v, "infos", "blank copy"), "{v:#}");
}

#[test]
fn two_filled_sheets_that_disagree_are_an_error_that_quotes_both() {
    let v = form("two_filled_sheets_EL.xlsx");
    assert!(
        errors(&v)
            .iter()
            .any(|e| e.contains("\"Draft\"") && e.contains("\"Final\"") && e.contains("No.")),
        "{v:#}"
    );
}

#[test]
fn an_answer_typed_across_several_cells_of_its_row_is_one_answer() {
    read_right(&form("split_across_cells_FR.xlsx"), "FR", "yes");
}

#[test]
fn the_networks_compilation_table_returned_whole_reads_the_filled_row_only() {
    let v = form("compilation_table_returned_PT.xlsx");
    read_right(&v, "PT", "yes");
    // The blank rows are not responses: one record, and said.
    assert_eq!(v["records"].as_array().unwrap().len(), 1, "{v:#}");
    assert!(
        has_message(&v, "infos", "name a country and hold nothing else"),
        "{v:#}"
    );
}

#[test]
fn a_file_holding_text_but_no_answer_is_an_error_not_ready_to_send() {
    let v = form("no_answer_found_CY.xlsx");
    assert!(
        errors(&v)
            .iter()
            .any(|e| e.contains("no answer to any question was found")),
        "{v:#}"
    );
}

#[test]
fn a_long_or_foreign_flag_label_with_its_value_in_one_cell_is_read() {
    read_right(&form("long_flag_label_LT.xlsx"), "LT", "no");
    read_right(&form("swedish_flag_label_SE.xlsx"), "SE", "no");
}

#[test]
fn word_paragraphs_with_the_country_under_its_label() {
    read_right(&form("word_country_below_BG.docx"), "BG", "no");
}

#[test]
fn the_networks_word_template_returned_whole_reads_the_senders_row_only() {
    let v = form("word_compilation_template_IE.docx");
    read_right(&v, "IE", "no");
    assert_eq!(v["records"].as_array().unwrap().len(), 1, "{v:#}");
}

#[test]
fn a_marking_on_the_response_sheet_named_like_instructions_still_stops_it() {
    stopped_by(
        &form("marking_on_instructions_named_sheet_CY.xlsx"),
        "CONFIDENTIAL",
    );
}

#[test]
fn a_no_in_words_hidden_font_in_the_flag_cell_is_an_error_not_a_blank() {
    let v = form("word_hidden_no_DK.docx");
    // An error for the file: never compiled as it stands (and
    // `restricted_forms_leave_no_answer_in_the_wider_compilation` compiles it).
    assert!(
        errors(&v).iter().any(|e| e.contains("hidden font")),
        "{v:#}"
    );
}
