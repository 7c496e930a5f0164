use super::beside::inline_answer;
use super::classify::{Label, classify};
use super::*;
use crate::reading::{Format, Workbook};

fn sheet(name: &str, rows: &[&[&str]]) -> Sheet {
    let mut cells = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        for (c, t) in row.iter().enumerate() {
            cells.push(Cell::new(r as u32, c as u32, *t));
        }
    }
    Sheet::new(name, true, cells)
}

fn wb(sheets: Vec<Sheet>) -> Workbook {
    Workbook {
        format: Format::Xlsx,
        sheets,
        notes: vec![],
        modified: None,
        ahq_meta: None,
        asides: Vec::new(),
    }
}

#[test]
fn labels_match_ids_texts_and_loose_spellings() {
    let q = crate::query::test_query();
    for s in ["1", "1.", "Q1", "q 1", "Question 1", "Question 1:", "1)"] {
        assert_eq!(classify(s, &q), Some(Label::Question(0)), "{s}");
    }
    assert_eq!(
        classify("2. If yes, which third countries are / were involved", &q),
        Some(Label::Question(1))
    );
    assert_eq!(
        classify("IF YES WHICH THIRD COUNTRIES ARE/WERE INVOLVED", &q),
        Some(Label::Question(1))
    );
    assert_eq!(classify("Wider Dissemination?", &q), Some(Label::Flag));
    assert_eq!(classify("Country:", &q), Some(Label::Country));
    assert_eq!(classify("3", &q), None);
    assert_eq!(classify("Belgium", &q), None);
}

#[test]
fn labelled_layout_with_title_rows_and_offset_columns() {
    let s = sheet(
        "Reply",
        &[
            &["", "EMN Ad-Hoc Query"],
            &[],
            &["", "Country", "Belgium"],
            &["", "Wider dissemination", "Yes"],
            &["", "Q1", "Yes, with Georgia"],
            &["", "2", "Georgia"],
            &["", "", "and Moldova"],
        ],
    );
    let l = locate(&wb(vec![s]), &crate::query::test_query()).unwrap();
    let r = &l.responses[0];
    assert_eq!(r.layout, LayoutKind::Labelled);
    assert_eq!(r.country.as_ref().unwrap().text, "Belgium");
    assert_eq!(r.country.as_ref().unwrap().at.to_string(), "Reply!C3");
    assert_eq!(r.flag.as_ref().unwrap().text, "Yes");
    assert_eq!(r.slots.len(), 2);
    assert_eq!(
        r.slots[1].value.as_ref().unwrap().text,
        "Georgia\nand Moldova"
    );
    assert!(r.findings.iter().any(|f| f.message.contains("continues")));
}

#[test]
fn id_text_answer_rows_take_the_cell_after_the_text() {
    let q = crate::query::test_query();
    let s = sheet(
        "Response",
        &[
            &["Country", "Latvia"],
            &["Wider dissemination?", "No"],
            &["No.", "Question", "Your answer"],
            &["1", &q.questions[0].text, "No"],
            &["2", &q.questions[1].text],
        ],
    );
    let l = locate(&wb(vec![s]), &q).unwrap();
    let r = &l.responses[0];
    assert_eq!(r.slots[0].value.as_ref().unwrap().text, "No");
    assert_eq!(r.slots[0].at.to_string(), "Response!C4");
    assert_eq!(r.slots[1].value, None);
    assert_eq!(
        r.slots[1].at.to_string(),
        "Response!C5",
        "an empty answer points at its cell"
    );
    assert!(r.findings.is_empty(), "{:?}", r.findings);
}

#[test]
fn table_layout_holds_several_countries_and_continuations() {
    let s = sheet(
        "Compilation",
        &[
            &["Ad-Hoc Query on Migration Partnerships"],
            &["Country", "Wider Dissemination", "Response", "Comments"],
            &["Belgium", "Yes", "1.Yes 2.Georgia"],
            &["", "", "continued"],
            &["Finland", "Yes", "Finland does not", "internal note"],
        ],
    );
    let l = locate(&wb(vec![s]), &crate::query::test_query()).unwrap();
    assert_eq!(l.responses.len(), 2);
    assert_eq!(
        l.responses[0].whole.as_ref().unwrap().text,
        "1.Yes 2.Georgia\ncontinued"
    );
    assert!(
        l.responses[0]
            .findings
            .iter()
            .any(|f| f.message.contains("Comments"))
    );
    let f = &l.responses[1];
    assert_eq!(f.country.as_ref().unwrap().text, "Finland");
    assert!(
        f.findings
            .iter()
            .any(|x| x.message.contains("internal note")
                && x.location.as_ref().unwrap().to_string() == "Compilation!D5")
    );
}

#[test]
fn the_sheet_with_anchors_is_chosen_and_others_are_named() {
    let notes = sheet("Notes", &[&["Some notes"]]);
    let a = sheet("Answer", &[&["Country", "BE"], &["1", "Yes"]]);
    let b = sheet("Copy", &[&["Country", "BE"], &["1", "Yes"]]);
    let l = locate(&wb(vec![notes, a, b]), &crate::query::test_query()).unwrap();
    assert_eq!(l.sheet, "Answer");
    assert!(
        l.findings
            .iter()
            .any(|f| f.message.contains("\"Copy\" also looks like a response"))
    );
    let none = locate(
        &wb(vec![sheet("S", &[&["hello"]])]),
        &crate::query::test_query(),
    )
    .unwrap_err();
    assert!(none.message.contains("Country"));
}

#[test]
fn instructions_mentioning_dissemination_are_not_the_flag_label() {
    let q = crate::query::test_query();
    let long = "Wider dissemination is Yes by default: change it to No if your response must not be shared";
    assert_eq!(classify(long, &q), None);
    assert_eq!(
        classify("Wider dissemination (Yes/No)", &q),
        Some(Label::Flag)
    );
}

#[test]
fn reworded_question_text_is_not_taken_as_the_answer_under_an_answer_heading() {
    let q = crate::query::test_query();
    let s = sheet(
        "Response",
        &[
            &["Country", "Latvia"],
            &["No.", "Question", "Your answer"],
            &["1", "An older wording of question one", "Yes"],
            &["2", "Another old wording", ""],
        ],
    );
    let l = locate(&wb(vec![s]), &q).unwrap();
    let r = &l.responses[0];
    assert_eq!(r.slots[0].value.as_ref().unwrap().text, "Yes");
    assert_eq!(r.slots[1].value, None);
    assert_eq!(r.slots[1].at.to_string(), "Response!C4");
    let said: Vec<String> = r
        .findings
        .iter()
        .map(|f| f.location.as_ref().unwrap().to_string())
        .collect();
    assert_eq!(
        said,
        ["Response!B3", "Response!B4"],
        "the other wordings are named"
    );
}

#[test]
fn an_inline_answer_starting_with_a_multibyte_letter_does_not_panic() {
    // Regression: the label was sliced one byte before the answer's first character.
    let q = crate::query::test_query();
    assert_eq!(inline_answer("1. Ça va", 0, &q).as_deref(), Some("Ça va"));
    assert_eq!(inline_answer("1.€ 5", 0, &q).as_deref(), Some("€ 5"));
    assert_eq!(
        inline_answer(&format!("1. {}", q.questions[0].text), 0, &q),
        None
    );
}

#[test]
fn stray_text_below_the_anchors_is_reported() {
    let s = sheet(
        "S",
        &[
            &["Country", "BE"],
            &["1", "Yes"],
            &[],
            &["", "", "", "forgotten answer"],
        ],
    );
    let l = locate(&wb(vec![s]), &crate::query::test_query()).unwrap();
    assert!(
        l.responses[0]
            .findings
            .iter()
            .any(|f| f.message.contains("forgotten answer"))
    );
}
