//! Inputs the fuzzers (fuzz/, see the README) found, kept so they stay fixed.

mod support;

use support::{Case, repo};

/// A damaged xls whose container sends calamine's own CFB reader past the
/// end of a sector (a panic inside calamine 0.38, cfb.rs:320): now a file the
/// reader cannot read (not called damaged: a reader's panic on a file Excel
/// opens looks the same), and the other files of the run are still read.
#[test]
fn calamine_cfb_slice_panic_is_a_file_not_read_not_a_crash() {
    let bytes = std::fs::read(repo("tests/fixtures/fuzz/calamine-cfb-slice-panic.xls")).unwrap();
    let case = Case::new()
        .file("broken.xls", bytes)
        .csv("BE.csv", &[&["Country", "Belgium"], &["1", "Yes"]]);
    let (code, files) = case.json();
    assert_eq!(code, 1);
    let broken = files.iter().find(|f| f["file"] == "broken.xls").unwrap();
    let message = broken["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("ahq's spreadsheet reader cannot read this file: open it in Excel"),
        "{message}"
    );
    let be = files.iter().find(|f| f["file"] == "BE.csv").unwrap();
    assert_eq!(be["country"], "BE");
    let r = case.run(&["validate", "{dir}"]);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}

/// Control characters between numbered answers: the split keeps the words.
#[test]
fn numbered_answer_with_control_characters_splits_into_the_same_words() {
    let text =
        std::fs::read_to_string(repo("tests/fixtures/fuzz/numbered-control-chars.txt")).unwrap();
    let ids: Vec<String> = ["1", "2", "3", "4"].map(String::from).to_vec();
    let tidy = ahq::text::tidy(&text);
    let parts = ahq::numbered::split(&text, &ids).expect("1. and 2. open it");
    assert_eq!(parts[0].ids, ["1"]);
    for p in &parts {
        assert!(
            p.text.split_whitespace().all(|w| tidy.contains(w)),
            "{:?}",
            p.text
        );
    }
}
