//! `ahq validate` through the binary: layouts, formats, normalisation rules
//! and findings, on real spreadsheet files built here or shipped in samples/.

mod support;

use serde_json::Value;
use support::{Case, has_message, messages, repo, xlsx};

const Q1: &str =
    "Do you currently or in the past have/had a Migration Partnership with a third country?";

fn one(case: &Case) -> (i32, Value) {
    let (code, files) = case.json();
    assert_eq!(files.len(), 1, "{files:#?}");
    (code, files.into_iter().next().unwrap())
}

// ---- the shipped sample -------------------------------------------------

#[test]
fn sample_validates_18_countries_16_for_wider_dissemination_and_no_errors() {
    let dir = repo("samples/migration-partnerships");
    let r = support::run(&["validate".into(), dir.to_str().unwrap().into()]);
    r.status(0)
        .stdout_has(
            "18 files, 18 countries: 16 for wider dissemination, 2 not (Austria, Czech Republic)",
        )
        .stdout_has("0 errors");
    // Errors and warnings by default, one summary line at the end; each
    // answer and the notes only with -v.
    let lines = r.stdout.lines().count();
    assert!(!r.stdout.contains(": info: "), "{}", r.stdout);
    assert!(
        r.stdout.trim_end().lines().last().is_some_and(
            |l| l.starts_with("18 files, 18 countries") && l.ends_with("0 errors, 2 warnings")
        ),
        "{}",
        r.stdout
    );
    let v = support::run(&["validate".into(), dir.to_str().unwrap().into(), "-v".into()]);
    v.status(0).stdout_has(": info: ").stdout_has("[Folha1!B");
    assert!(v.stdout.lines().count() > lines + 50, "{}", v.stdout);

    let r = support::run(&[
        "validate".into(),
        dir.to_str().unwrap().into(),
        "--format".into(),
        "json".into(),
    ]);
    r.status(0);
    let files = support::json_list(&r.stdout, "files");
    assert_eq!(files.len(), 18);
    let mut no: Vec<&str> = files
        .iter()
        .filter(|f| f["dissemination"] == "no")
        .map(|f| f["country"].as_str().unwrap())
        .collect();
    no.sort();
    assert_eq!(no, ["AT", "CZ"]);
    assert_eq!(
        files.iter().filter(|f| f["dissemination"] == "yes").count(),
        16
    );
    assert!(
        files
            .iter()
            .all(|f| f["errors"].as_array().unwrap().is_empty())
    );
    let mut codes: Vec<&str> = files
        .iter()
        .map(|f| f["country"].as_str().unwrap())
        .collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), 18);
}

/// Every format and layout of the sample reads back the exact source text.
#[test]
fn sample_answers_read_back_exactly_in_every_format() {
    let src: toml::Table = toml::from_str(
        &std::fs::read_to_string(repo("samples/source/migration-partnerships.toml")).unwrap(),
    )
    .unwrap();
    let dir = repo("samples/migration-partnerships");
    let r = support::run(&[
        "validate".into(),
        dir.to_str().unwrap().into(),
        "--format".into(),
        "json".into(),
    ]);
    let files = support::json_list(&r.stdout, "files");
    let mut formats = std::collections::BTreeSet::new();
    for resp in src["response"].as_array().unwrap() {
        let code = resp["code"].as_str().unwrap();
        let f = files
            .iter()
            .find(|f| f["country"] == code)
            .unwrap_or_else(|| panic!("{code} missing"));
        formats.insert(f["format"].as_str().unwrap().to_string());
        let rec = &f["records"][0];
        if let Some(text) = resp.get("response").and_then(|v| v.as_str()) {
            assert_eq!(
                rec["original"]["text"].as_str().unwrap(),
                text.trim(),
                "{code}"
            );
        } else {
            for (id, text) in resp["answers"].as_table().unwrap() {
                assert_eq!(
                    f["answers"][id].as_str().unwrap(),
                    text.as_str().unwrap().trim(),
                    "{code} q{id}"
                );
            }
        }
    }
    assert_eq!(
        formats.into_iter().collect::<Vec<_>>(),
        ["csv", "ods", "xls", "xlsx"]
    );
}

#[test]
fn sample_numbered_responses_are_split_and_the_original_kept() {
    let dir = repo("samples/migration-partnerships");
    let r = support::run(&[
        "validate".into(),
        dir.to_str().unwrap().into(),
        "--format".into(),
        "json".into(),
    ]);
    let files = support::json_list(&r.stdout, "files");
    let be = files.iter().find(|f| f["country"] == "BE").unwrap();
    assert_eq!(be["answers"]["1"], "Yes");
    assert_eq!(
        be["answers"]["2"],
        "There is a mobility partnership with Georgia"
    );
    assert_eq!(
        be["answers"]["4"],
        "For the moment it is too early for an evaluation."
    );
    assert_eq!(be["records"][0]["answers"][0]["yes_no"], "yes");
    assert!(
        be["records"][0]["original"]["text"]
            .as_str()
            .unwrap()
            .starts_with("1.Yes 2.There is")
    );
    let lu = files.iter().find(|f| f["country"] == "LU").unwrap();
    assert_eq!(
        lu["answers"]["1"], lu["answers"]["2"],
        "1./2. names both questions"
    );
    let fi = files.iter().find(|f| f["country"] == "FI").unwrap();
    assert_eq!(fi["records"][0]["original"]["split"], false);
    assert!(has_message(fi, "infos", "stays whole"));
}

// ---- layouts -------------------------------------------------------------

#[test]
fn labelled_layout_finds_questions_by_id_forms_and_text() {
    let case = Case::new().xlsx(
        "Belgium reply.xlsx",
        &[(
            "Reply",
            &[
                &["EMN Ad-Hoc Query on Migration Partnerships"],
                &["Response from the Belgian NCP"],
                &[],
                &["Country", "Belgium"],
                &["Wider Dissemination?", "yes"],
                &["Q1", "Yes, with Georgia"],
                &["Question 2", "Georgia"],
                &["3.", "Mobility"],
                &["What are/were your experiences (positive and negative) with Migration Partnerships", "Too early"],
            ],
        )],
    );
    let (code, f) = one(&case);
    assert_eq!(code, 0);
    assert_eq!(f["country"], "BE");
    assert_eq!(f["dissemination"], "yes");
    assert_eq!(f["answers"]["1"], "Yes, with Georgia");
    assert_eq!(f["answers"]["2"], "Georgia");
    assert_eq!(f["answers"]["3"], "Mobility");
    assert_eq!(f["answers"]["4"], "Too early");
    assert_eq!(f["records"][0]["answers"][3]["source"], "Reply!B9");
    assert_eq!(f["layout"], "labelled");
}

#[test]
fn table_layout_with_question_columns_reads_each_country_row() {
    let case = Case::new().xlsx(
        "legacy compilation.xlsx",
        &[(
            "Sheet1",
            &[
                &["Ad-Hoc Query on Migration Partnerships"],
                &[
                    "Country",
                    "Wider Dissemination",
                    &format!("1. {Q1}"),
                    "2",
                    "Q3",
                    "Question 4",
                ],
                &["Finland", "Yes", "No", "None", "N/A", "N/A"],
                &["Slovak Republic", "No", "No.", "", "x", "y"],
            ],
        )],
    );
    let (code, f) = one(&case);
    assert_eq!(code, 0);
    assert_eq!(f["layout"], "table");
    let recs = f["records"].as_array().unwrap();
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0]["country"]["code"], "FI");
    assert_eq!(recs[1]["country"]["name"], "Slovak Republic");
    assert_eq!(recs[1]["dissemination"]["value"], "no");
    assert_eq!(recs[1]["answers"][0]["yes_no"], "no");
    // Slovakia left question 2 empty: a warning at that cell.
    assert!(
        messages(&f, "warnings")
            .iter()
            .any(|(m, l)| m.contains("question 2 has no answer")
                && l.as_deref() == Some("Sheet1!D4"))
    );
    assert!(
        f["country"].is_null(),
        "a file of several countries names none at top level"
    );
}

#[test]
fn answers_on_a_later_sheet_are_found_and_other_sheets_ignored() {
    let case = Case::new().xlsx(
        "SE.xlsx",
        &[
            ("Instructions", &[&["Please answer on the next sheet"]]),
            (
                "Answers",
                &[
                    &["Country", "Sweden"],
                    &["Wider dissemination", "No"],
                    &["1", "No"],
                ],
            ),
        ],
    );
    let (_, f) = one(&case);
    assert_eq!(f["country"], "SE");
    assert_eq!(f["sheet"], "Answers");
    assert!(has_message(
        &f,
        "infos",
        "answers read from sheet \"Answers\""
    ));
}

#[test]
fn two_sheets_that_both_hold_answers_are_named() {
    let rows: support::Rows = &[&["Country", "Sweden"], &["1", "No"]];
    let case = Case::new().xlsx("SE.xlsx", &[("Draft", rows), ("Final", rows)]);
    let (_, f) = one(&case);
    assert!(has_message(
        &f,
        "warnings",
        "sheet \"Final\" also looks like a response, but only sheet \"Draft\" was read"
    ));
}

#[test]
fn merged_label_cells_and_hidden_sheets_do_not_confuse_reading() {
    let bytes = xlsx(
        &[("Response", &[]), ("lists", &[&["Yes"], &["No"]])],
        |wb| {
            let ws = wb.worksheet_from_name("Response").unwrap();
            let f = rust_xlsxwriter::Format::new();
            ws.merge_range(0, 0, 0, 3, "Ad-Hoc Query on Migration Partnerships", &f)
                .unwrap();
            ws.merge_range(2, 0, 2, 1, "Country", &f).unwrap();
            ws.write_string(2, 2, "Italy").unwrap();
            ws.merge_range(3, 0, 3, 1, "Wider dissemination", &f)
                .unwrap();
            ws.write_string(3, 2, "Yes").unwrap();
            ws.write_string(4, 0, "1").unwrap();
            ws.write_string(4, 1, Q1).unwrap();
            ws.write_string(4, 2, "Yes").unwrap();
            wb.worksheet_from_name("lists").unwrap().set_hidden(true);
        },
    );
    let (code, f) = one(&Case::new().file("IT.xlsx", bytes));
    assert_eq!(code, 0);
    assert_eq!(f["country"], "IT");
    assert_eq!(f["answers"]["1"], "Yes");
}

#[test]
fn numbers_dates_and_formulas_read_as_the_person_saw_them() {
    let bytes = xlsx(
        &[(
            "S",
            &[&["Country", "Spain"], &["Wider dissemination", "Yes"]],
        )],
        |wb| {
            let ws = wb.worksheet_from_name("S").unwrap();
            ws.write_string(2, 0, "Date").unwrap();
            let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2010, 8, 20).unwrap();
            ws.write_datetime_with_format(
                2,
                1,
                &date,
                &rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy"),
            )
            .unwrap();
            ws.write_string(3, 0, "1").unwrap();
            ws.write_number(3, 1, 21.0).unwrap();
            ws.write_string(4, 0, "2").unwrap();
            ws.write_number(4, 1, 2.5).unwrap();
            ws.write_string(5, 0, "3").unwrap();
            ws.write_formula(
                5,
                1,
                rust_xlsxwriter::Formula::new("=\"Cape\"&\" Verde\"").set_result("Cape Verde"),
            )
            .unwrap();
        },
    );
    let (_, f) = one(&Case::new().file("ES.xlsx", bytes));
    assert_eq!(f["answers"]["1"], "21");
    assert_eq!(f["answers"]["2"], "2.5");
    assert_eq!(f["answers"]["3"], "Cape Verde");
    assert_eq!(f["records"][0]["date"], "2010-08-20");
}

// ---- CSV -------------------------------------------------------------------

#[test]
fn csv_in_utf16_and_windows_1252_with_either_delimiter() {
    let text = "Country;Wider dissemination;Response\r\nÖsterreich;Nein;\"1. Ja 2. Georgien\"\r\n";
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let (_, f) = one(&Case::new().file("a.csv", utf16));
    assert_eq!(f["country"], "AT");
    assert_eq!(f["dissemination"], "no");
    assert!(has_message(&f, "infos", "UTF-16LE"));

    let cp1252 = b"Country,Wider dissemination,Response\nFrance,Oui,\"R\xe9ponse \xe0 tout\"\n";
    let (_, f) = one(&Case::new().file("b.csv", cp1252.as_slice()));
    assert_eq!(f["country"], "FR");
    assert_eq!(f["answers"]["1"], "Réponse à tout");
    assert!(has_message(&f, "infos", "Windows-1252, comma-separated"));
}

// ---- normalisation rules ---------------------------------------------------

#[test]
fn answers_are_trimmed_and_spaces_collapsed_but_words_kept() {
    let case = Case::new().csv(
        "PL.csv",
        &[
            &["Country", "Poland"],
            &["Wider dissemination", "y"],
            &["1", "  Yes,   Poland   takes\r\npart  "],
        ],
    );
    let (_, f) = one(&case);
    assert_eq!(f["answers"]["1"], "Yes, Poland takes\npart");
    assert_eq!(f["dissemination"], "yes");
}

#[test]
fn country_variants_and_codes_give_eu_codes_and_compilation_names() {
    for (written, code, name) in [
        ("Czechia", "CZ", "Czech Republic"),
        ("slovakia", "SK", "Slovak Republic"),
        ("The Netherlands", "NL", "Netherlands"),
        ("GR", "EL", "Greece"),
        ("GBR", "UK", "United Kingdom"),
        ("ÖSTERREICH", "AT", "Austria"),
    ] {
        let case = Case::new().csv(
            "x.csv",
            &[
                &["Country", written],
                &["Wider dissemination", "Yes"],
                &["1", "Yes"],
            ],
        );
        let (_, f) = one(&case);
        assert_eq!(f["country"], code, "{written}");
        assert_eq!(f["records"][0]["country"]["name"], name, "{written}");
    }
}

#[test]
fn unknown_country_is_an_error_with_the_nearest_names() {
    let case = Case::new().csv("x.csv", &[&["Country", "Belgum"], &["1", "Yes"]]);
    let (code, f) = one(&case);
    assert_eq!(code, 1);
    assert!(f["country"].is_null());
    let errs = messages(&f, "errors");
    assert!(
        errs.iter()
            .any(|(m, l)| m.contains("\"Belgum\" is not a country")
                && m.contains("did you mean Belgium")
                && l.as_deref() == Some("B1")),
        "{errs:?}"
    );
}

#[test]
fn a_country_outside_the_network_on_the_request_date_is_a_warning() {
    // Croatia joined in 2013; Denmark never did.
    for c in ["Croatia", "Denmark"] {
        let case = Case::new().csv(
            "x.csv",
            &[
                &["Country", c],
                &["Wider dissemination", "Yes"],
                &["1", "Yes"],
            ],
        );
        let (code, f) = one(&case);
        assert_eq!(code, 0);
        assert!(
            has_message(&f, "warnings", "is not among the countries expected"),
            "{c}"
        );
    }
}

#[test]
fn a_file_name_naming_another_country_is_an_error_until_they_agree() {
    let case = Case::new().csv(
        "BE.csv",
        &[
            &["Country", "France"],
            &["Wider dissemination", "Yes"],
            &["1", "Yes"],
        ],
    );
    let (code, f) = one(&case);
    assert_eq!(code, 1);
    assert!(
        has_message(
            &f,
            "errors",
            "the country cell says France but the file name (\"BE.csv\") says Belgium: make them agree"
        ),
        "{f:#}"
    );
    // A file named after the requesting country names the query, not the sender.
    let case = Case::new().csv(
        "AT_AHQ_2010.12.csv",
        &[
            &["Country", "France"],
            &["Wider dissemination", "Yes"],
            &["1", "Yes"],
        ],
    );
    let (code, f) = one(&case);
    assert_eq!((code, f["country"].as_str()), (0, Some("FR")), "{f:#}");
    let case = Case::new().csv(
        "FR.csv",
        &[
            &["Country", "France"],
            &["Wider dissemination", "Yes"],
            &["1", "Yes"],
        ],
    );
    let (_, f) = one(&case);
    assert!(!has_message(&f, "warnings", "file name"));
}

#[test]
fn dissemination_flags_in_many_languages_and_no_is_never_norway() {
    for (flag, want) in [
        ("NO", "no"),
        ("nein", "no"),
        ("Non", "no"),
        ("n", "no"),
        ("Ja", "yes"),
        ("sí", "yes"),
        ("TAK", "yes"),
    ] {
        let case = Case::new().csv(
            "x.csv",
            &[
                &["Country", "Poland"],
                &["Wider Dissemination?", flag],
                &["1", "Yes"],
            ],
        );
        let (code, f) = one(&case);
        assert_eq!(code, 0, "{flag}");
        assert_eq!(f["dissemination"], want, "{flag}");
        assert_eq!(f["country"], "PL");
    }
}

#[test]
fn blank_or_missing_flag_takes_the_default_with_a_warning() {
    let case = Case::new().csv(
        "x.csv",
        &[
            &["Country", "Poland"],
            &["Wider dissemination", ""],
            &["1", "Yes"],
        ],
    );
    let (code, f) = one(&case);
    assert_eq!(code, 0);
    assert_eq!(f["dissemination"], "yes");
    assert_eq!(f["records"][0]["dissemination"]["given"], false);
    assert!(
        messages(&f, "warnings")
            .iter()
            .any(|(m, l)| m.contains("blank")
                && m.contains("default (Yes)")
                && l.as_deref() == Some("B2"))
    );

    let no_default = support::QUERY.replace("deadline", "default_dissemination = \"no\"\ndeadline");
    let case = Case::new()
        .query(&no_default)
        .csv("x.csv", &[&["Country", "Poland"], &["1", "Yes"]]);
    let (_, f) = one(&case);
    assert_eq!(f["dissemination"], "no");
    assert!(has_message(
        &f,
        "warnings",
        "no \"Wider Dissemination?\" cell, so the query's default (No) applies"
    ));
}

#[test]
fn an_unreadable_flag_is_an_error_not_a_guess() {
    for flag in ["Yes/No", "maybe"] {
        let case = Case::new().csv(
            "x.csv",
            &[
                &["Country", "Poland"],
                &["Wider dissemination", flag],
                &["1", "Yes"],
            ],
        );
        let (code, f) = one(&case);
        assert_eq!(code, 1, "{flag}");
        assert!(f["dissemination"].is_null());
        assert!(
            messages(&f, "errors")
                .iter()
                .any(|(m, l)| m.contains(flag) && l.as_deref() == Some("B2"))
        );
    }
}

#[test]
fn numbered_single_cell_is_split_only_when_markers_follow_the_ids() {
    let case = Case::new().csv(
        "x.csv",
        &[
            &["Country", "Wider dissemination", "Response"],
            &[
                "Latvia",
                "Yes",
                "1., 2. Latvia works with Georgia. 3. Border 4. Positive",
            ],
        ],
    );
    let (_, f) = one(&case);
    assert_eq!(f["answers"]["1"], "Latvia works with Georgia.");
    assert_eq!(f["answers"]["2"], "Latvia works with Georgia.");
    assert_eq!(f["answers"]["3"], "Border");
    assert_eq!(f["answers"]["4"], "Positive");

    let case = Case::new().csv(
        "x.csv",
        &[
            &["Country", "Wider dissemination", "Response"],
            &["Latvia", "Yes", "Some prose. 2. Then 1. out of order"],
        ],
    );
    let (_, f) = one(&case);
    let whole = "Some prose. 2. Then 1. out of order";
    for id in ["1", "2", "3", "4"] {
        assert_eq!(f["answers"][id], whole);
    }
    assert!(has_message(&f, "infos", "stays whole"));
}

#[test]
fn unanswered_question_is_a_warning_at_its_cell() {
    let case = Case::new().xlsx(
        "BE.xlsx",
        &[(
            "Response",
            &[
                &["Country", "Belgium"],
                &["Wider dissemination", "Yes"],
                &["1", Q1, "Yes"],
                &["2", "If yes which third countries are/were involved?"],
            ],
        )],
    );
    let (code, f) = one(&case);
    assert_eq!(code, 0);
    let w = messages(&f, "warnings");
    assert!(
        w.iter()
            .any(|(m, l)| m.starts_with("question 2 has no answer")
                && l.as_deref() == Some("Response!C4")),
        "{w:?}"
    );
    assert!(
        w.iter()
            .any(|(m, l)| m.starts_with("question 3 has no answer") && l.is_none()),
        "{w:?}"
    );
    let r = case.run(&["validate", "{dir}"]);
    r.status(0)
        .stdout_has("BE.xlsx: Response!C4: warning: question 2 has no answer");
}

#[test]
fn stray_text_is_reported_not_dropped() {
    let case = Case::new().xlsx(
        "BE.xlsx",
        &[(
            "Response",
            &[
                &["Country", "Belgium"],
                &["Wider dissemination", "Yes"],
                &["1", "Yes", "", "an extra remark"],
                &[],
                &["", "", "", "a lost paragraph"],
            ],
        )],
    );
    let (_, f) = one(&case);
    let w = messages(&f, "warnings");
    assert!(
        w.iter()
            .any(|(m, l)| m.contains("an extra remark") && l.as_deref() == Some("Response!D3")),
        "{w:?}"
    );
    assert!(
        w.iter()
            .any(|(m, l)| m.contains("a lost paragraph") && l.as_deref() == Some("Response!D5")),
        "{w:?}"
    );
}

// ---- several files -----------------------------------------------------------

#[test]
fn two_files_for_one_country_that_nothing_orders_are_an_error_on_both_naming_the_other() {
    let rows: support::Rows = &[
        &["Country", "Belgium"],
        &["Wider dissemination", "Yes"],
        &["1", "Yes"],
    ];
    let case = Case::new()
        .csv("BE.csv", rows)
        .xlsx("Belgium.xlsx", &[("S", rows)]);
    let (code, files) = case.json();
    assert_eq!(code, 1);
    for name in ["BE.csv", "Belgium.xlsx"] {
        let f = files.iter().find(|f| f["file"] == name).unwrap();
        assert!(
            has_message(
                f,
                "errors",
                "Belgium has 2 replies (BE.csv, Belgium.xlsx) and ahq cannot tell which is the latest"
            ),
            "{f:#}"
        );
    }
    // A version in the name orders them: the earlier is superseded, said.
    std::fs::rename(
        case.dir().join("responses/Belgium.xlsx"),
        case.dir().join("responses/BE v2.xlsx"),
    )
    .unwrap();
    let (code, files) = case.json();
    assert_eq!(code, 0, "{files:#?}");
    let a = files.iter().find(|f| f["file"] == "BE.csv").unwrap();
    assert!(has_message(a, "infos", "superseded by BE v2.xlsx"), "{a:#}");
}

#[test]
fn lock_files_and_hidden_files_pass_quietly_other_files_are_named_in_a_warning() {
    let case = Case::new()
        .file("~$BE.xlsx", b"lock")
        .file(".DS_Store", b"x")
        .file("cover letter.pages", b"x")
        .csv(
            "BE.csv",
            &[
                &["Country", "Belgium"],
                &["Wider dissemination", "Yes"],
                &["1", "Yes"],
            ],
        );
    let (code, files) = case.json();
    assert_eq!(code, 0);
    assert_eq!(files.len(), 4);
    let skipped: Vec<&Value> = files.iter().filter(|f| !f["skipped"].is_null()).collect();
    assert_eq!(skipped.len(), 3);
    for f in &skipped {
        assert!(f["errors"].as_array().unwrap().is_empty(), "{f:#}");
        let named = !f["warnings"].as_array().unwrap().is_empty();
        let quiet = !f["infos"].as_array().unwrap().is_empty();
        if f["file"] == "cover letter.pages" {
            assert!(
                named && has_message(f, "warnings", "an Apple iWork file"),
                "{f:#}"
            );
        } else {
            assert!(quiet && !named, "{f:#}");
        }
    }
}

#[test]
fn a_web_page_saved_as_xls_says_what_it_is_and_what_to_do() {
    let case = Case::new().file(
        "NL.xls",
        "<html><body><table><tr><td>Country</td></tr></table></body></html>",
    );
    let (code, f) = one(&case);
    assert_eq!(code, 1);
    assert!(has_message(&f, "errors", "web page (HTML)"));
    case.run(&["validate", "{dir}"])
        .status(1)
        .stdout_has("NL.xls: error: this is a web page");
}

#[test]
fn a_single_file_can_be_checked_from_anywhere() {
    let case = Case::new();
    let outside = tempfile::tempdir().unwrap();
    let path = outside.path().join("my answer.csv");
    std::fs::write(
        &path,
        support::csv(
            &[
                &["Country", "Malta"],
                &["Wider dissemination", "Yes"],
                &["1", "Yes"],
            ],
            b';',
        ),
    )
    .unwrap();
    let r = case.run(&[
        "validate",
        "{dir}",
        path.to_str().unwrap(),
        "--format",
        "json",
    ]);
    r.status(0);
    let files = support::json_list(&r.stdout, "files");
    assert_eq!(files[0]["country"], "MT");
}

// ---- the command itself ------------------------------------------------------

#[test]
fn a_bad_query_toml_stops_with_line_and_column() {
    let case =
        Case::new().query(&support::QUERY.replace("type = \"countries\"", "type = \"list\""));
    let r = case.run(&["validate", "{dir}"]);
    r.status(2)
        .stderr_has("query.toml:16:8: unknown variant `list`")
        .stderr_has("yes-no");
}

#[test]
fn a_missing_folder_stops_with_status_2() {
    support::run(&["validate".into(), "/nonexistent/query".into()])
        .status(2)
        .stderr_has("/nonexistent/query: no such folder")
        .stderr_has("ahq new /nonexistent/query");
}

#[test]
fn new_writes_a_starter_that_validates_and_makes_a_template() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("q");
    let d = dir.to_str().unwrap().to_string();
    support::run(&["new".into(), d.clone()]).status(0);
    assert!(dir.join("responses").is_dir());
    // The starter's placeholders are refused until they are replaced.
    for cmd in ["validate", "template", "compile"] {
        support::run(&[cmd.into(), d.clone()])
            .status(2)
            .stderr_has("still holds the starter's placeholders")
            .stderr_has("title = \"Subject of the query\"")
            .stderr_has("write the query's own title and questions");
    }
    assert!(!dir.join("template.xlsx").exists());
    support::run(&["new".into(), d.clone()])
        .status(2)
        .stderr_has("already exists");
    let toml = dir.join("query.toml");
    let edited = std::fs::read_to_string(&toml)
        .unwrap()
        .replace("Subject of the query", "Return counselling")
        .replace(
            "Does your Member State ...?",
            "Does your Member State offer it?",
        )
        .replace("If yes, which ...?", "If yes, which services?")
        .replace(
            "Why the question is asked, in a few sentences.",
            "Counselling.",
        );
    std::fs::write(&toml, edited).unwrap();
    support::run(&["validate".into(), d.clone()])
        .status(0)
        .stdout_has("0 files");
    support::run(&["template".into(), d.clone()]).status(0);
    assert!(dir.join("template.xlsx").is_file());
}

#[test]
fn a_blank_template_is_recognised_and_asks_for_the_country() {
    let case = Case::new();
    case.run(&["template", "{dir}", "-o", "{dir}/responses/blank.xlsx"])
        .status(0);
    let (code, f) = one(&case);
    assert_eq!(code, 1);
    assert_eq!(f["layout"], "template");
    assert!(
        messages(&f, "errors").iter().any(
            |(m, l)| m.contains("country cell is empty") && l.as_deref() == Some("Response!B8")
        )
    );
    assert!(!has_message(&f, "warnings", "another version"));
    // The wider-dissemination cell comes filled with the default Yes.
    assert_eq!(f["records"][0]["dissemination"]["value"], "yes");
    assert_eq!(f["records"][0]["dissemination"]["given"], true);
}

#[test]
fn a_template_from_another_version_of_the_questions_is_an_error_naming_both() {
    let case = Case::new();
    case.template("BE", "{dir}/responses/BE.xlsx").status(0);
    let case = case
        .query(&support::QUERY.replace("If yes which third countries", "Which third countries"));
    let (code, f) = one(&case);
    assert_eq!(code, 1);
    assert_eq!(f["country"], "BE");
    assert!(has_message(
        &f,
        "errors",
        "another version of the questions"
    ));
}

// ---- regressions from review: a written No must never become the default Yes ----

#[test]
fn flag_typed_into_its_label_cell_is_read_not_defaulted() {
    let case = Case::new().csv(
        "x.csv",
        &[
            &["Country", "Poland"],
            &["Wider dissemination: No"],
            &["1", "Yes"],
        ],
    );
    let (code, f) = one(&case);
    assert_eq!(code, 0);
    assert_eq!(f["dissemination"], "no");
    let case = Case::new().csv(
        "x.csv",
        &[
            &["Country", "Poland"],
            &["Not for wider dissemination"],
            &["1", "Yes"],
        ],
    );
    let (code, f) = one(&case);
    assert_eq!(
        code, 1,
        "a label that says more than a label, with no value, is an error"
    );
    assert!(f["dissemination"].is_null());
}

#[test]
fn flag_under_its_label_is_read_and_no_is_not_taken_for_a_heading() {
    let case = Case::new().csv(
        "x.csv",
        &[
            &["Country", "Poland"],
            &["Wider dissemination?"],
            &["No"],
            &["1", "Yes"],
        ],
    );
    let (_, f) = one(&case);
    assert_eq!(f["dissemination"], "no");
    // A question answered "Yes" below a blank flag is not the flag.
    let case = Case::new().csv(
        "x.csv",
        &[
            &["Country", "Poland"],
            &["Wider dissemination?", ""],
            &["1", "Yes"],
        ],
    );
    let (_, f) = one(&case);
    assert_eq!(f["records"][0]["dissemination"]["given"], false);
}

#[test]
fn two_flag_cells_keep_the_one_that_speaks_and_disagreement_is_an_error() {
    let case = Case::new().csv(
        "x.csv",
        &[
            &["Country", "Poland"],
            &["Wider dissemination?", "No"],
            &["1", "Yes"],
            &["Dissemination (Yes/No)", ""],
        ],
    );
    let (_, f) = one(&case);
    assert_eq!(f["dissemination"], "no");
    let case = Case::new().csv(
        "x.csv",
        &[
            &["Country", "Poland"],
            &["Wider dissemination?", "No"],
            &["1", "Yes"],
            &["Dissemination", "Yes"],
        ],
    );
    let (code, f) = one(&case);
    assert_eq!(code, 1);
    assert!(has_message(
        &f,
        "errors",
        "two wider-dissemination cells disagree"
    ));
}

#[test]
fn titles_and_unused_sheets_are_said_not_silently_skipped() {
    let case = Case::new().xlsx(
        "PL.xlsx",
        &[
            (
                "Reply",
                &[
                    &["Note: not to be shared outside the network"],
                    &["Country", "Poland"],
                    &["Wider dissemination", "No"],
                    &["1", "Yes"],
                ],
            ),
            ("Annex", &[&["Answer to question 2: Georgia, Moldova"]]),
        ],
    );
    let (_, f) = one(&case);
    assert!(has_message(
        &f,
        "infos",
        "\"Note: not to be shared outside the network\" is above the answers"
    ));
    assert!(has_message(&f, "warnings", "sheet \"Annex\" is not read"));
}
