//! The dissemination rule fails closed: a response reaches the wider
//! compilation only when its flag says Yes, or is blank under a default Yes
//! with nothing in the file saying otherwise. Each form a member state
//! really sends is here, as a file made by a real writer, read by the binary.

mod support;

use serde_json::Value;
use support::{Case, Rows, has_message, messages, python::run_openpyxl};

/// The answers every case carries, so that a leak would show.
const ANSWERS: [&[&str]; 2] = [&["1", "Yes, with Georgia"], &["2", "Georgia"]];

/// A response sheet: `head` rows, then the answers.
fn rows(head: &[&[&'static str]]) -> Vec<Vec<&'static str>> {
    head.iter()
        .chain(ANSWERS.iter())
        .map(|r| r.to_vec())
        .collect()
}

fn as_rows<'a>(v: &'a [Vec<&'static str>]) -> Vec<&'a [&'static str]> {
    v.iter().map(Vec::as_slice).collect()
}

fn one(case: &Case) -> (i32, Value) {
    let (code, files) = case.json();
    assert_eq!(files.len(), 1, "{files:#?}");
    (code, files.into_iter().next().unwrap())
}

/// The flag a file's single record was read with: "yes", "no", or None.
fn flag(f: &Value) -> Option<&str> {
    f["records"][0]["dissemination"]["value"].as_str()
}

fn xlsx_case(head: &[&[&'static str]]) -> Case {
    let r = rows(head);
    Case::new().xlsx("BE.xlsx", &[("Reply", &as_rows(&r))])
}

// ---- check boxes ---------------------------------------------------------

#[test]
fn check_boxes_with_an_x_under_no_are_read_as_no_never_from_the_yes_heading() {
    let case = xlsx_case(&[
        &["Country", "Belgium"],
        &["Wider Dissemination", "Yes", "No"],
        &["", "", "X"],
    ]);
    let (code, f) = one(&case);
    assert_eq!(code, 0, "{f:#}");
    assert_eq!(flag(&f), Some("no"), "{f:#}");
    assert_eq!(
        f["records"][0]["dissemination"]["source"].as_str(),
        Some("Reply!C3")
    );
    // The options and the mark are not text to compile.
    assert!(!has_message(&f, "warnings", "other information"), "{f:#}");
}

#[test]
fn check_boxes_drawn_in_the_option_cells_and_beside_them() {
    for head in [
        &[
            &["Country", "Belgium"][..],
            &["Wider Dissemination?", "☐ Yes", "☒ No"],
        ][..],
        &[
            &["Country", "Belgium"],
            &["Wider Dissemination?", "Yes", "", "No", "X"],
        ],
        &[
            &["Country", "Belgium"],
            &["Wider Dissemination?", "[ ] Yes [x] No"],
        ],
        &[
            &["Country", "Belgium"],
            &["Wider Dissemination?"],
            &["Yes", ""],
            &["No", "X"],
        ],
    ] {
        let (code, f) = one(&xlsx_case(head));
        assert_eq!((code, flag(&f)), (0, Some("no")), "{head:?}\n{f:#}");
    }
    let (_, f) = one(&xlsx_case(&[
        &["Country", "Belgium"],
        &["Wider Dissemination?", "Ja", "Nein"],
        &["", "✓", ""],
    ]));
    assert_eq!(flag(&f), Some("yes"), "{f:#}");
}

#[test]
fn check_boxes_with_both_or_neither_marked_stop_the_file() {
    for (head, says) in [
        (
            &[
                &["Country", "Belgium"][..],
                &["Wider Dissemination", "Yes", "No"],
            ][..],
            "have no mark",
        ),
        (
            &[
                &["Country", "Belgium"],
                &["Wider Dissemination", "Yes", "No"],
                &["", "X", "X"],
            ],
            "are both marked",
        ),
        (
            &[
                &["Country", "Belgium"],
                &["Wider Dissemination", "☒ Yes ☒ No"],
            ],
            "more than one",
        ),
    ] {
        let (code, f) = one(&xlsx_case(head));
        assert_eq!(code, 1, "{f:#}");
        assert_eq!(flag(&f), None, "{f:#}");
        assert!(has_message(&f, "errors", says), "{says}: {f:#}");
    }
}

// ---- restriction wording -------------------------------------------------

#[test]
fn a_confidential_title_over_a_blank_flag_is_an_error_quoting_it() {
    let case = xlsx_case(&[
        &["CONFIDENTIAL – do not disseminate further"],
        &["Country", "Belgium"],
        &["Wider Dissemination?", ""],
    ]);
    let (code, f) = one(&case);
    assert_eq!(code, 1, "{f:#}");
    assert_eq!(flag(&f), None);
    let errors = messages(&f, "errors");
    assert!(
        errors.iter().any(|(m, at)| m
            .contains("Reply!A1 says \"CONFIDENTIAL – do not disseminate further\"")
            && m.contains("but the flag is blank")
            && m.contains("set the flag to No")
            && at.as_deref() == Some("Reply!A1")),
        "{errors:#?}"
    );
    // And it is compiled nowhere: not even with --skip-invalid.
    let out = case.compile(&["--skip-invalid"]);
    assert!(support::occurrences(&out.join("compilation-wider.xlsx"), "Georgia").is_empty());
}

#[test]
fn restriction_wording_against_a_yes_is_an_error_and_against_a_no_is_fine() {
    for (head, where_) in [
        (
            &[
                &["Note: not for wider dissemination"][..],
                &["Country", "Belgium"],
                &["Wider Dissemination?", "Yes"],
            ][..],
            "Reply!A1",
        ),
        (
            &[
                &["Country", "Belgium"],
                &["Wider Dissemination?", "Yes"],
                &["Réponse confidentielle – merci de ne pas diffuser"],
            ],
            "Reply!A3",
        ),
        (
            &[
                &["Country", "Belgium"],
                &["Wider Dissemination?", "Yes"],
                &["VERTRAULICH"],
            ],
            "Reply!A3",
        ),
    ] {
        let (code, f) = one(&xlsx_case(head));
        assert_eq!(code, 1, "{f:#}");
        assert!(
            messages(&f, "errors")
                .iter()
                .any(|(m, at)| m.contains("but the flag in") && at.as_deref() == Some(where_)),
            "{f:#}"
        );
        // The same file flagged No: nothing to say about the wording.
        let no: Vec<Vec<&str>> = head
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| if *c == "Yes" { "No" } else { *c })
                    .collect()
            })
            .collect();
        let no: Vec<&[&str]> = no.iter().map(Vec::as_slice).collect();
        let (code, f) = one(&xlsx_case(&no));
        assert_eq!((code, flag(&f)), (0, Some("no")), "{f:#}");
    }
}

#[test]
fn a_sheet_named_confidential_and_a_restricted_answer_stop_a_yes() {
    let r = rows(&[&["Country", "Belgium"], &["Wider Dissemination?", "Yes"]]);
    let case = Case::new().xlsx("BE.xlsx", &[("Confidential", &as_rows(&r))]);
    let (code, f) = one(&case);
    assert_eq!(code, 1);
    assert!(
        has_message(&f, "errors", "the name of sheet \"Confidential\" says"),
        "{f:#}"
    );
    let case = xlsx_case(&[
        &["Country", "Belgium"],
        &["Wider Dissemination?", "Yes"],
        &["3", "This response is not for wider dissemination."],
    ]);
    let (code, f) = one(&case);
    assert_eq!(code, 1, "{f:#}");
    // A marking inside an answer is the answer's business: "restricted"
    // describes a labour market, and is no restriction.
    let case = xlsx_case(&[
        &["Country", "Belgium"],
        &["Wider Dissemination?", "Yes"],
        &["3", "Access to the labour market is restricted."],
    ]);
    let (code, f) = one(&case);
    assert_eq!((code, flag(&f)), (0, Some("yes")), "{f:#}");
}

#[test]
fn the_template_with_its_instructions_is_not_restricted_by_them() {
    let case = Case::new();
    case.template("BE", "{dir}/responses/BE.xlsx").status(0);
    let (_, f) = one(&case);
    assert_eq!(flag(&f), Some("yes"), "{f:#}");
    assert!(!has_message(&f, "errors", "says"), "{f:#}");
}

// ---- flags that cannot be read --------------------------------------------

#[test]
fn a_flag_formula_saved_without_its_result_is_an_error_not_a_blank() {
    let case = Case::new();
    let out = case.dir().join("responses/BE.xlsx");
    // openpyxl saves formulas without a result, as many generators do.
    run_openpyxl(
        "import sys, openpyxl\n\
         wb = openpyxl.Workbook(); ws = wb.active; ws.title = 'Reply'\n\
         ws.append(['Country', 'Belgium'])\n\
         ws.append(['Wider Dissemination?', '=IF(1=1,\"No\",\"Yes\")'])\n\
         ws.append(['1', 'Yes, with Georgia'])\n\
         wb.save(sys.argv[1])\n",
        &[out.to_str().unwrap()],
    );
    let (code, f) = one(&case);
    assert_eq!(code, 1, "{f:#}");
    assert_eq!(flag(&f), None);
    let errors = messages(&f, "errors");
    assert!(
        errors.iter().any(|(m, at)| m
            .contains("holds a formula (=IF(1=1,\"No\",\"Yes\")) saved without its result")
            && at.as_deref() == Some("Reply!B2")),
        "{errors:#?}"
    );
}

#[test]
fn an_error_value_or_a_number_in_the_flag_cell_is_an_error() {
    let bytes = support::xlsx(&[], |wb| {
        let ws = wb.add_worksheet();
        ws.set_name("Reply").unwrap();
        ws.write_string(0, 0, "Country").unwrap();
        ws.write_string(0, 1, "Belgium").unwrap();
        ws.write_string(1, 0, "Wider Dissemination?").unwrap();
        ws.write_formula(
            1,
            1,
            rust_xlsxwriter::Formula::new("=NA()").set_result("#N/A"),
        )
        .unwrap();
        ws.write_string(2, 0, "1").unwrap();
        ws.write_string(2, 1, "Yes").unwrap();
    });
    let (code, f) = one(&Case::new().file("BE.xlsx", bytes));
    assert_eq!(code, 1, "{f:#}");
    assert!(has_message(&f, "errors", "spreadsheet error #N/A"), "{f:#}");
    let (code, f) = one(&xlsx_case(&[
        &["Country", "Belgium"],
        &["Wider Dissemination?", "1"],
    ]));
    assert_eq!(code, 1);
    assert!(has_message(&f, "errors", "says \"1\""), "{f:#}");
}

// ---- hidden rows and columns ----------------------------------------------

#[test]
fn a_hidden_column_is_never_compiled_and_the_visible_answers_are() {
    let bytes = support::xlsx(&[], |wb| {
        let ws = wb.add_worksheet();
        ws.set_name("Reply").unwrap();
        let cells: Rows = &[
            &["Country", "OLD DRAFT Belgium", "Belgium"],
            &["Wider Dissemination?", "OLD DRAFT Yes", "No"],
            &["1", "OLD DRAFT answer one", "Yes, with Georgia"],
            &["2", "OLD DRAFT answer two", "Georgia"],
        ];
        for (r, row) in cells.iter().enumerate() {
            for (c, t) in row.iter().enumerate() {
                ws.write_string(r as u32, c as u16, *t).unwrap();
            }
        }
        ws.set_column_hidden(1).unwrap();
    });
    let case = Case::new().file("BE.xlsx", bytes);
    let (code, f) = one(&case);
    assert_eq!(code, 0, "{f:#}");
    assert_eq!(f["country"], "BE");
    assert_eq!(flag(&f), Some("no"));
    assert_eq!(f["records"][0]["answers"][0]["text"], "Yes, with Georgia");
    assert!(
        messages(&f, "warnings")
            .iter()
            .any(|(m, at)| m.contains("hidden row or column") && at.as_deref() == Some("Reply!B3")),
        "{f:#}"
    );
    let out = case.compile(&[]);
    // Not an answer anywhere; the members' Log names it (its warning).
    let responses = support::sheet(&out.join("compilation-full.xlsx"), "Responses");
    let all: Vec<&String> = responses.iter().flatten().collect();
    assert!(all.iter().all(|c| !c.contains("OLD DRAFT")), "{all:?}");
    assert!(all.iter().any(|c| *c == "Yes, with Georgia"), "{all:?}");
    for f in [
        "compilation-wider.xlsx",
        "responses-full.csv",
        "compilation-full.md",
    ] {
        assert!(
            support::occurrences(&out.join(f), "OLD DRAFT answer").is_empty(),
            "{f}"
        );
    }
}

#[test]
fn a_hidden_row_is_not_read_as_a_label_or_an_answer() {
    let bytes = support::xlsx(&[], |wb| {
        let ws = wb.add_worksheet();
        ws.set_name("Reply").unwrap();
        let cells: Rows = &[
            &["Country", "Belgium"],
            &["Wider Dissemination?", "Yes"],
            &["1", "an older answer, hidden"],
            &["1", "Yes, with Georgia"],
        ];
        for (r, row) in cells.iter().enumerate() {
            for (c, t) in row.iter().enumerate() {
                ws.write_string(r as u32, c as u16, *t).unwrap();
            }
        }
        ws.set_row_hidden(2).unwrap();
    });
    let (code, f) = one(&Case::new().file("BE.xlsx", bytes));
    assert_eq!(code, 0, "{f:#}");
    assert_eq!(f["answers"]["1"], "Yes, with Georgia", "{f:#}");
    assert!(
        has_message(&f, "warnings", "an older answer, hidden"),
        "{f:#}"
    );
}

// ---- the same forms through LibreOffice (ods, xls) ------------------------

#[test]
fn check_boxes_titles_and_hidden_columns_survive_libreoffice_as_ods_and_xls() {
    let tmp = tempfile::tempdir().unwrap();
    let profile = tmp.path().join("profile");
    let made = |name: &str, bytes: Vec<u8>| {
        let p = tmp.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let boxes = made(
        "boxes.xlsx",
        support::xlsx(
            &[(
                "Reply",
                &as_rows(&rows(&[
                    &["Country", "Belgium"],
                    &["Wider Dissemination", "Yes", "No"],
                    &["", "", "X"],
                ])),
            )],
            |_| {},
        ),
    );
    let title = made(
        "title.xlsx",
        support::xlsx(
            &[(
                "Reply",
                &as_rows(&rows(&[
                    &["CONFIDENTIAL – do not disseminate further"],
                    &["Country", "Belgium"],
                    &["Wider Dissemination?", ""],
                ])),
            )],
            |_| {},
        ),
    );
    let hidden = made(
        "hidden.xlsx",
        support::xlsx(&[], |wb| {
            let ws = wb.add_worksheet();
            ws.set_name("Reply").unwrap();
            for (r, row) in [
                ["Country", "Belgium", "Belgium"],
                ["Wider Dissemination?", "OLD DRAFT", "No"],
                ["1", "OLD DRAFT answer", "Yes, with Georgia"],
            ]
            .iter()
            .enumerate()
            {
                for (c, t) in row.iter().enumerate() {
                    ws.write_string(r as u32, c as u16, *t).unwrap();
                }
            }
            ws.set_column_hidden(1).unwrap();
        }),
    );
    for format in ["ods", "xls"] {
        let out = tmp.path().join(format);
        for (file, check) in [(&boxes, "boxes"), (&title, "title"), (&hidden, "hidden")] {
            let converted = support::libreoffice::convert(file, format, &out, &profile);
            let case =
                Case::new().file(&format!("BE.{format}"), std::fs::read(&converted).unwrap());
            let (code, f) = one(&case);
            match check {
                "boxes" => assert_eq!((code, flag(&f)), (0, Some("no")), "{format}: {f:#}"),
                "title" => {
                    assert_eq!(code, 1, "{format}: {f:#}");
                    assert!(
                        has_message(&f, "errors", "but the flag is blank"),
                        "{format}: {f:#}"
                    );
                }
                _ => {
                    assert_eq!((code, flag(&f)), (0, Some("no")), "{format}: {f:#}");
                    assert_eq!(f["answers"]["1"], "Yes, with Georgia", "{format}: {f:#}");
                }
            }
        }
    }
}

// ---- CSV ------------------------------------------------------------------

#[test]
fn csv_check_boxes_and_restriction_notes_fail_closed_too() {
    let r = rows(&[
        &["Country", "Belgium"],
        &["Wider Dissemination", "Yes", "No"],
        &["", "", "x"],
    ]);
    let (code, f) = one(&Case::new().csv("BE.csv", &as_rows(&r)));
    assert_eq!((code, flag(&f)), (0, Some("no")), "{f:#}");
    let r = rows(&[
        &["For NCPs only"],
        &["Country", "Belgium"],
        &["Wider Dissemination", ""],
    ]);
    let (code, f) = one(&Case::new().csv("BE.csv", &as_rows(&r)));
    assert_eq!(code, 1, "{f:#}");
    assert!(
        has_message(&f, "errors", "A1 says \"For NCPs only\""),
        "{f:#}"
    );
}

// ---- regressions from review: forms that were read as Yes ------------------

/// An xlsx of one sheet, some rows and columns hidden.
fn hiding(rows: Rows, hidden_rows: &[u32], hidden_cols: &[u16]) -> Vec<u8> {
    support::xlsx(&[], |wb| {
        let ws = wb.add_worksheet();
        ws.set_name("Reply").unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, t) in row.iter().enumerate() {
                if !t.is_empty() {
                    ws.write_string(r as u32, c as u16, *t).unwrap();
                }
            }
        }
        for r in hidden_rows {
            ws.set_row_hidden(*r).unwrap();
        }
        for c in hidden_cols {
            ws.set_column_hidden(*c).unwrap();
        }
    })
}

/// The wider CSV of a compilation of `case` with --skip-invalid.
fn wider_csv(case: &Case) -> String {
    let out = case.compile(&["--skip-invalid"]);
    std::fs::read_to_string(out.join("responses-wider.csv")).unwrap()
}

#[test]
fn a_row_of_partner_countries_inside_a_labelled_response_is_not_a_matrix() {
    let case = Case::new().csv(
        "AHQ reply.csv",
        &[
            &["Country", "Belgium"],
            &["Wider dissemination?", "No"],
            &["1", "Yes X"],
            &["2", "Moldova", "Georgia", "Armenia"],
            &["3", "SECRET3"],
        ],
    );
    let (code, f) = one(&case);
    assert_eq!(f["records"].as_array().unwrap().len(), 1, "{f:#}");
    assert_eq!(
        (f["country"].as_str(), flag(&f)),
        (Some("BE"), Some("no")),
        "{f:#}"
    );
    assert_eq!(code, 0, "{f:#}");
    assert!(!wider_csv(&case).contains("SECRET3"));
}

#[test]
fn a_flag_in_a_hidden_row_or_column_stops_the_file_unless_the_visible_flag_is_no() {
    let rows: Rows = &[
        &["Country", "Belgium"],
        &["Wider dissemination?", "No"],
        &["1", "SECRET1"],
    ];
    // The flag's row hidden: nothing visible says No.
    let case = Case::new().file("BE.xlsx", hiding(rows, &[1], &[]));
    let (code, f) = one(&case);
    assert_eq!((code, flag(&f)), (1, None), "{f:#}");
    assert!(
        has_message(&f, "errors", "another wider-dissemination cell"),
        "{f:#}"
    );
    assert!(!wider_csv(&case).contains("SECRET1"));
    // The No in a hidden column beside its label.
    let rows: Rows = &[
        &["Country", "Belgium", "Belgium"],
        &["Wider dissemination?", "No", ""],
        &["1", "", "SECRET1"],
    ];
    let case = Case::new().file("BE.xlsx", hiding(rows, &[], &[1]));
    let (code, f) = one(&case);
    assert_eq!((code, flag(&f)), (1, None), "{f:#}");
    assert!(
        has_message(&f, "errors", "in a hidden row or column"),
        "{f:#}"
    );
}

#[test]
fn check_boxes_in_the_label_under_it_or_down_the_value_column_are_read() {
    for head in [
        &[
            &["Country", "Belgium"][..],
            &["Wider dissemination: ☐ Yes ☒ No"],
        ][..],
        &[
            &["Country", "Belgium"],
            &["Wider dissemination?"],
            &["☐ Yes", "☒ No"],
        ],
        &[
            &["Country", "Belgium"],
            &["Wider dissemination?", "Yes"],
            &["", "No", "X"],
        ],
        &[
            &["Country", "Belgium"],
            &["Wider dissemination?"],
            &["No", "(decided on 3 May)"],
        ],
    ] {
        let r = rows(head);
        let case = Case::new().csv("BE.csv", &as_rows(&r));
        let (_, f) = one(&case);
        assert_eq!(flag(&f), Some("no"), "{head:?}\n{f:#}");
        assert!(!wider_csv(&case).contains("Yes, with Georgia"), "{head:?}");
    }
}

#[test]
fn a_table_with_yes_and_no_option_columns_reads_each_rows_mark() {
    let case = Case::new().csv(
        "table.csv",
        &[
            &["Country", "1", "Wider dissemination: Yes", "No"],
            &["Belgium", "SECRETBE", "", "X"],
            &["France", "open FR", "X", ""],
            &["Spain", "SECRETES", "", ""],
        ],
    );
    let (code, f) = one(&case);
    assert_eq!(code, 1, "Spain marks nothing: {f:#}");
    let records = f["records"].as_array().unwrap();
    let flags: Vec<Option<&str>> = records
        .iter()
        .map(|r| r["dissemination"]["value"].as_str())
        .collect();
    assert_eq!(flags, [Some("no"), Some("yes"), None], "{f:#}");
    let wider = wider_csv(&case);
    assert!(!wider.contains("SECRET"), "{wider}");
}

#[test]
fn matrix_flag_options_read_each_countrys_mark() {
    let case = Case::new().csv(
        "m.csv",
        &[
            &["Question", "Belgium", "France"],
            &["Wider dissemination?", "", ""],
            &["Yes", "", "X"],
            &["No", "X", ""],
            &["1", "SECRETBE", "open FR"],
        ],
    );
    let (code, f) = one(&case);
    assert_eq!(code, 0, "{f:#}");
    let flags: Vec<&str> = f["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["dissemination"]["value"].as_str().unwrap())
        .collect();
    assert_eq!(flags, ["no", "yes"]);
    assert!(!wider_csv(&case).contains("SECRETBE"));
}

#[test]
fn a_flag_on_another_sheet_than_the_answers_stops_the_file() {
    let sheet = |a: &'static str| -> Vec<Vec<&'static str>> { vec![vec!["1", a], vec!["2", a]] };
    let (be, lu) = (sheet("SECRETBE"), sheet("SECRETLU"));
    let be: Vec<&[&str]> = be.iter().map(Vec::as_slice).collect();
    let lu: Vec<&[&str]> = lu.iter().map(Vec::as_slice).collect();
    let cover: Rows = &[&["Wider dissemination?", "No"]];
    let case = Case::new().xlsx(
        "replies.xlsx",
        &[("Cover", cover), ("Belgium", &be), ("Luxembourg", &lu)],
    );
    let (code, f) = one(&case);
    assert_eq!(code, 1, "{f:#}");
    assert!(
        has_message(&f, "errors", "Cover!A1 is another wider-dissemination cell"),
        "{f:#}"
    );
    assert!(!wider_csv(&case).contains("SECRET"));
}

#[test]
fn markings_in_long_titles_and_notes_and_in_one_word_answers_count() {
    for rows in [
        &[
            &[
                "CONFIDENTIAL: this reply was prepared by the Belgian NCP for the requesting Member State and the Commission.",
            ][..],
            &["Country", "Belgium"],
            &["Wider dissemination?", ""],
            &["1", "SECRET1"],
        ][..],
        &[
            &["Country", "Belgium"],
            &["Wider dissemination?", "Yes"],
            &["1", "SECRET1"],
            &[
                "Note: the information in this reply is for the internal use of EMN NCPs and must not be shared with the public.",
            ],
        ],
        &[
            &["Country", "Belgium"],
            &["Wider dissemination?", "Yes"],
            &["1", "SECRET1"],
            &["2"],
            &["Confidential"],
        ],
    ] {
        let case = Case::new().csv("BE.csv", rows);
        let (code, f) = one(&case);
        assert_eq!(code, 1, "{rows:?}\n{f:#}");
        assert!(!wider_csv(&case).contains("SECRET1"), "{rows:?}");
    }
}

#[test]
fn hidden_sheets_are_never_the_answer() {
    let visible: Rows = &[
        &["Country", "Belgium"],
        &["Wider dissemination?", "No"],
        &["1", "final"],
    ];
    let hidden: Rows = &[
        &["Country", "Belgium"],
        &["Wider dissemination?", "Yes"],
        &["1", "DRAFT"],
        &["2", "DRAFT"],
        &["3", "DRAFT"],
    ];
    let bytes = support::xlsx(&[("Final", visible), ("Draft", hidden)], |wb| {
        wb.worksheet_from_name("Draft").unwrap().set_hidden(true);
    });
    let case = Case::new().file("BE.xlsx", bytes);
    let (_, f) = one(&case);
    assert_eq!(f["sheet"], "Final", "{f:#}");
    assert_eq!(flag(&f), Some("no"));
    assert!(!wider_csv(&case).contains("DRAFT"));
}

#[test]
fn a_title_about_a_partner_country_names_no_sender() {
    let case = Case::new().csv(
        "AHQ reply.csv",
        &[
            &["Mobility Partnership with Moldova: our experience"],
            &["Wider dissemination?", "Yes"],
            &["1", "Yes"],
        ],
    );
    let (code, f) = one(&case);
    assert_eq!(code, 1, "{f:#}");
    assert!(
        has_message(&f, "errors", "no cell says which country"),
        "{f:#}"
    );
}

// ---- regressions from the second review ------------------------------------

#[test]
fn flag_labels_in_other_words_and_languages_are_read() {
    for label in [
        "May this response be disseminated further?",
        "Wider disemination",
        "Diffusion élargie",
    ] {
        let r = rows(&[&["Country", "Belgium"], &[label, "No"]]);
        let case = Case::new().csv("BE.csv", &as_rows(&r));
        let (code, f) = one(&case);
        assert_eq!((code, flag(&f)), (0, Some("no")), "{label}: {f:#}");
    }
}

#[test]
fn a_no_under_no_label_stops_a_default_yes() {
    let case = Case::new().csv(
        "BE.csv",
        &[
            &["Country", "Belgium"],
            &["1", "SECRET1"],
            &["Can we share it?", "No"],
        ],
    );
    let (code, f) = one(&case);
    assert_eq!((code, flag(&f)), (1, None), "{f:#}");
    assert!(
        has_message(&f, "errors", "\"No\" stands under no label"),
        "{f:#}"
    );
    assert!(!wider_csv(&case).contains("SECRET1"));
}

#[test]
fn restriction_wording_in_the_file_name_or_said_of_the_reply_stops_a_yes() {
    let r = rows(&[&["Country", "Belgium"], &["Wider Dissemination?", ""]]);
    let case = Case::new().csv(
        "BE CONFIDENTIAL not for wider dissemination.csv",
        &as_rows(&r),
    );
    let (code, f) = one(&case);
    assert_eq!(code, 1, "{f:#}");
    assert!(has_message(&f, "errors", "the file name says"), "{f:#}");
    let case = Case::new().csv(
        "BE.csv",
        &[
            &["Country", "Belgium"],
            &["Wider Dissemination?", "Yes"],
            &["1", "This reply must not be disseminated beyond the EMN."],
        ],
    );
    let (code, f) = one(&case);
    assert_eq!(code, 1, "{f:#}");
}

#[test]
fn an_instructions_sheet_that_names_the_flag_is_no_second_flag() {
    let instructions: Rows = &[&["Wider dissemination", "Please indicate Yes or No"]];
    let reply: Rows = &[
        &["Country", "Belgium"],
        &["Wider Dissemination?", "Yes"],
        &["1", "Yes, with Georgia"],
    ];
    let case = Case::new().xlsx(
        "BE.xlsx",
        &[("Instructions", instructions), ("Reply", reply)],
    );
    let (code, f) = one(&case);
    assert_eq!((code, flag(&f)), (0, Some("yes")), "{f:#}");
}
