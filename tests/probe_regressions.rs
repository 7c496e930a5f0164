//! Issue 19: what an independent probe found, each pinned through the
//! binary under the name of the fault. Restricted text reached the wider
//! outputs five ways (an open CSV quote, a merged flag cell, a file copied
//! over while it was read, zip entries that could not be read or shared a
//! name, the network's own wording unrecognised); question ids the labels
//! could not tell apart; messages that showed two things as one.

mod support;

use std::path::{Path, PathBuf};
use support::{Case, Rows, has_message, in_wider, outputs};

/// A program the test needs, installed with apt-get when missing (as root).
fn tool(program: &str, package: &str) -> PathBuf {
    use support::libreoffice::{apt_install, on_path};
    on_path(program).unwrap_or_else(|| {
        apt_install(package).unwrap_or_else(|e| panic!("this test needs {program}: {e}"));
        on_path(program).unwrap_or_else(|| panic!("{package} is installed but not {program}"))
    })
}

// ---- 1. a CSV field left open ---------------------------------------------

#[test]
fn a_csv_quote_left_open_is_damage_not_one_answer_holding_the_next_rows() {
    let table = "Country,Wider Dissemination,Response\n\
                 Germany,Yes,\"Germany has a partnership with Moldova\n\
                 Austria,No,AT-RESTRICTED-TEXT\n\
                 France,Yes,France answers\n";
    let case = Case::new().file("table.csv", table);
    let (run, out) = case.compile_with(&[]);
    run.status(1)
        .stderr_has("table.csv")
        .stderr_has("opens on line 2 is never closed where its field ends");
    assert!(outputs(&out).is_empty(), "{:?}", outputs(&out));
    // With --skip-invalid the file is left out, named, and nothing of it is compiled.
    let out = case.compile(&["--skip-invalid"]);
    assert_eq!(in_wider(&out, "AT-RESTRICTED-TEXT"), Vec::<String>::new());
    assert_eq!(in_wider(&out, "Germany has"), Vec::<String>::new());

    // Label and value: the flag row swallowed into answer 1, the default Yes.
    let labelled = "Country;Belgium\n1;\"BE-RESTRICTED answer\n2;Moldova\nWider dissemination;No\n";
    let case = Case::new().file("BE.csv", labelled);
    let (code, files) = case.json();
    assert_eq!(code, 1, "{files:#?}");
    assert!(
        has_message(
            &files[0],
            "errors",
            "opens on line 2 is never closed where its field ends"
        ),
        "{files:#?}"
    );
}

// ---- 2. a merged flag cell -------------------------------------------------

const TABLE: Rows = &[
    &["Country", "Wider Dissemination", "1", "2", "3", "4"],
    &["Austria", "No", "AT-SECRET-1", "AT-SECRET-2", "", ""],
    &["Czech Republic", "", "CZ-SECRET-1", "CZ-SECRET-2", "", ""],
    &["France", "Yes", "FR-OPEN-1", "FR-OPEN-2", "", ""],
];

/// The table above with "No" merged over B2:B3 (Austria's and the Czech
/// Republic's flag cells), as rust_xlsxwriter writes it.
fn merged_table() -> Vec<u8> {
    support::xlsx(&[("Responses", TABLE)], |wb| {
        let ws = wb.worksheet_from_index(0).unwrap();
        ws.merge_range(1, 1, 2, 1, "No", &rust_xlsxwriter::Format::new())
            .unwrap();
    })
}

/// Compiles `name` holding `bytes`, and checks that the merged "No" covered
/// both countries: both flagged No, neither's text in any wider output.
fn assert_both_withheld(name: &str, bytes: Vec<u8>) {
    let case = Case::new().file(name, bytes);
    let (code, files) = case.json();
    assert_eq!(code, 0, "{name}: {files:#?}");
    let records = files[0]["records"].as_array().unwrap();
    let flag_of = |code: &str| {
        records
            .iter()
            .find(|r| r["country"]["code"] == code)
            .map(|r| r["dissemination"]["value"].clone())
    };
    assert_eq!(flag_of("AT"), Some("no".into()), "{name}: {files:#?}");
    assert_eq!(flag_of("CZ"), Some("no".into()), "{name}: {files:#?}");
    assert_eq!(flag_of("FR"), Some("yes".into()), "{name}: {files:#?}");
    let out = case.compile(&[]);
    for secret in ["AT-SECRET-1", "CZ-SECRET-1", "CZ-SECRET-2"] {
        assert_eq!(in_wider(&out, secret), Vec::<String>::new(), "{name}");
    }
    assert!(!in_wider(&out, "FR-OPEN-1").is_empty(), "{name}");
    // The members' compilation keeps every answer.
    let full = std::fs::read_to_string(out.join("responses-full.csv")).unwrap();
    assert!(full.contains("CZ-SECRET-2"), "{name}");
}

#[test]
fn a_no_merged_over_two_countries_flag_cells_withholds_both_in_xlsx() {
    assert_both_withheld("table.xlsx", merged_table());
}

#[test]
fn a_no_merged_over_two_countries_flag_cells_withholds_both_in_ods_and_xls() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("table.xlsx");
    std::fs::write(&src, merged_table()).unwrap();
    for format in ["ods", "xls"] {
        let converted = support::libreoffice::convert(
            &src,
            format,
            &tmp.path().join(format),
            &tmp.path().join("profile"),
        );
        let bytes = std::fs::read(&converted).unwrap();
        if format == "ods" {
            // LibreOffice writes the merge as a spanned cell.
            let content = support::zip_entries(&converted)
                .into_iter()
                .find(|(n, _)| n == "content.xml")
                .unwrap()
                .1;
            assert!(
                String::from_utf8_lossy(&content).contains("number-rows-spanned=\"2\""),
                "the ods holds no spanned cell"
            );
        }
        assert_both_withheld(&format!("table.{format}"), bytes);
    }
}

#[test]
fn a_no_merged_across_two_country_columns_of_a_matrix_withholds_both() {
    let rows: Rows = &[
        &["Question", "Austria", "Czech Republic", "France"],
        &["Wider Dissemination", "No", "", "Yes"],
        &["1", "AT-SECRET-1", "CZ-SECRET-1", "FR-OPEN-1"],
        &["2", "AT-SECRET-2", "CZ-SECRET-2", "FR-OPEN-2"],
    ];
    let bytes = support::xlsx(&[("Sheet1", rows)], |wb| {
        let ws = wb.worksheet_from_index(0).unwrap();
        ws.merge_range(1, 1, 1, 2, "No", &rust_xlsxwriter::Format::new())
            .unwrap();
    });
    assert_both_withheld("matrix.xlsx", bytes);
}

// ---- 3. a file that changes while it is read -------------------------------

/// A writer copies a No version and a Yes version over BE.csv in turn, as
/// `cp` does (truncate, then write, in two pieces), while the query is
/// compiled again and again: no compilation may hold the No version's text
/// in a wider output. A compilation may stop with an error saying the file
/// changed, and then writes nothing.
#[test]
fn a_file_copied_over_while_it_is_compiled_is_never_half_read() {
    use std::io::Write;
    // Answers first, the flag last: half of it is answers with no flag yet.
    // (Plain words: a marking such as "restricted" would stop it on its own.)
    let no = "1;BEHALF alpha beta gamma delta\n2;BEHALF epsilon zeta eta theta\n3;x\n4;y\nCountry;Belgium\nWider dissemination;No\n";
    let yes = "Country;Belgium\nWider dissemination;Yes\n1;BE-OPEN-ANSWER\n2;Georgia\n3;x\n4;y\n";
    let case = Case::new()
        .file("BE.csv", yes)
        .csv("FR.csv", &[&["Country", "France"], &["1", "FR answer"]]);
    let path = case.dir().join("responses/BE.csv");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (path, stop) = (path.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut n = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let text = if n.is_multiple_of(2) { no } else { yes };
                let mut f = std::fs::File::create(&path).unwrap();
                let (a, b) = text.split_at(text.len() / 2);
                f.write_all(a.as_bytes()).unwrap();
                f.flush().unwrap();
                std::thread::sleep(std::time::Duration::from_millis(3 + n % 4));
                f.write_all(b.as_bytes()).unwrap();
                drop(f);
                std::thread::sleep(std::time::Duration::from_millis(n % 2));
                n += 1;
            }
        })
    };
    let (mut compiled, mut stopped) = (0, 0);
    for i in 0..60 {
        let out = case.dir().join(format!("out{i}"));
        let run = case.run(&["compile", "{dir}", "-o", out.to_str().unwrap(), "-q"]);
        if run.code == 0 {
            compiled += 1;
            assert_eq!(
                in_wider(&out, "BEHALF"),
                Vec::<String>::new(),
                "compile {i}: {}",
                run.stderr
            );
        } else {
            stopped += 1;
            // A stop says the file changed; or, when the writer stalled
            // (two cores, tests in parallel) with the file truncated for the
            // whole compilation, that it is empty: both true, neither a leak.
            let said = run.stderr.contains("changed") || run.stderr.contains("the file is empty");
            assert!(
                run.code == 1 && said && !run.stderr.contains("panicked"),
                "compile {i}: {}",
                run.stderr
            );
            assert!(
                outputs(&out).is_empty(),
                "compile {i} wrote {:?}",
                outputs(&out)
            );
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    writer.join().unwrap();
    eprintln!("{compiled} compiled, {stopped} stopped with an error");
    // Still, the file is compiled once it stops changing.
    std::fs::write(&path, yes).unwrap();
    let out = case.compile(&[]);
    assert!(!in_wider(&out, "BE-OPEN-ANSWER").is_empty());
}

/// A file rewritten (same bytes, new time) every 2 ms while it is compiled:
/// a compilation that stops says the file changed while it was read.
#[test]
fn a_file_rewritten_during_the_compilation_is_said_to_have_changed() {
    let case = Case::new().csv(
        "BE.csv",
        &[
            &["Country", "Belgium"],
            &["Wider dissemination", "Yes"],
            &["1", "ok"],
        ],
    );
    let path = case.dir().join("responses/BE.csv");
    let text = std::fs::read(&path).unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let toucher = std::thread::spawn({
        let (path, stop) = (path.clone(), stop.clone());
        move || {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                std::thread::sleep(std::time::Duration::from_millis(2));
                std::fs::write(&path, &text).unwrap();
            }
        }
    });
    let mut saw_change = 0;
    for i in 0..10 {
        let out = case.dir().join(format!("o{i}"));
        let run = case.run(&["compile", "{dir}", "-o", out.to_str().unwrap(), "-q"]);
        if run.code != 0 {
            run.status(1);
            assert!(outputs(&out).is_empty());
            // A writer stalled between truncating and writing (a loaded
            // machine) leaves a file that is empty to every look: an honest
            // stop too, but not the one this test counts.
            if run.stderr.contains("the file is empty") && !run.stderr.contains("changed") {
                continue;
            }
            run.stderr_has("changed");
            saw_change += 1;
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    toucher.join().unwrap();
    assert!(
        saw_change > 0,
        "a file rewritten every 2 ms was never seen to change"
    );
}

// ---- 4. and 5. zip entries -------------------------------------------------

/// A zip written by Python's zipfile from (name, text, method) entries.
fn python_zip(path: &Path, entries: &[(&str, &str, &str)]) {
    let script = r#"
import sys, zipfile, json
entries = json.loads(sys.argv[2])
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for name, text, method in entries:
        m = {"deflate": zipfile.ZIP_DEFLATED, "bzip2": zipfile.ZIP_BZIP2, "lzma": zipfile.ZIP_LZMA}[method]
        import warnings
        warnings.simplefilter("ignore")
        z.writestr(zipfile.ZipInfo(name), text, compress_type=m)
"#;
    let json = serde_json::to_string(entries).unwrap();
    let out = std::process::Command::new("python3")
        .args(["-c", script, path.to_str().unwrap(), &json])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", support::show(&out));
}

const AT_NO: &str = "Country;Austria\nWider dissemination;No\n1;AT-RESTRICTED\n";
const BE_YES: &str = "Country;Belgium\nWider dissemination;Yes\n1;BE-OPEN\n";

#[test]
fn a_zip_with_a_password_is_named_never_an_empty_success() {
    let zip = tool("zip", "zip");
    let case = Case::new();
    let work = case.dir().join("work");
    std::fs::create_dir(&work).unwrap();
    std::fs::write(work.join("AT.csv"), AT_NO).unwrap();
    let out = std::process::Command::new(zip)
        .current_dir(&work)
        .args(["-q", "-P", "secret", "../responses/replies.zip", "AT.csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", support::show(&out));
    let (code, files) = case.json();
    assert_eq!(code, 1, "{files:#?}");
    let member = files
        .iter()
        .find(|f| f["file"] == "replies.zip/AT.csv")
        .unwrap();
    assert!(
        has_message(member, "errors", "protected by a password"),
        "{files:#?}"
    );
    assert!(
        has_message(
            &files[0],
            "errors",
            "no file of this archive could be unpacked"
        ),
        "{files:#?}"
    );
    let (run, _) = case.compile_with(&[]);
    run.status(1).stderr_has("protected by a password");
}

#[test]
fn zip_entries_compressed_with_bzip2_or_lzma_or_damaged_are_named_with_why() {
    let case = Case::new();
    let path = case.dir().join("responses/replies.zip");
    python_zip(
        &path,
        &[
            ("AT.csv", AT_NO, "bzip2"),
            ("CZ.csv", "Country;Czechia\n1;x\n", "lzma"),
            ("BE.csv", BE_YES, "deflate"),
            (
                "FR.csv",
                "Country;France\nWider dissemination;Yes\n1;FR\n",
                "deflate",
            ),
        ],
    );
    // FR.csv's local header broken (its signature), as a bad copy leaves it.
    let mut bytes = std::fs::read(&path).unwrap();
    let name = bytes.windows(6).position(|w| w == b"FR.csv").unwrap();
    bytes[name - 30] = b'X';
    std::fs::write(&path, bytes).unwrap();
    let (code, files) = case.json();
    assert_eq!(code, 1, "{files:#?}");
    let of = |n: &str| {
        files
            .iter()
            .find(|f| f["file"] == format!("replies.zip/{n}"))
            .unwrap()
    };
    assert!(
        has_message(of("AT.csv"), "errors", "compressed with bzip2"),
        "{files:#?}"
    );
    assert!(
        has_message(of("CZ.csv"), "errors", "compressed with LZMA"),
        "{files:#?}"
    );
    assert!(
        has_message(of("FR.csv"), "errors", "header in the archive is broken"),
        "{files:#?}"
    );
    assert_eq!(of("BE.csv")["country"], "BE");
    let (run, _) = case.compile_with(&[]);
    run.status(1).stderr_has("replies.zip/AT.csv");
}

/// Two entries of one name, written by Python's zipfile (which warns and writes both).
#[test]
fn two_zip_entries_with_one_name_are_both_read() {
    let case = Case::new();
    python_zip(
        &case.dir().join("responses/replies.zip"),
        &[
            ("reply.csv", AT_NO, "deflate"),
            ("reply.csv", BE_YES, "deflate"),
        ],
    );
    let (_, files) = case.json();
    let members: Vec<&serde_json::Value> = files
        .iter()
        .filter(|f| {
            f["file"]
                .as_str()
                .unwrap()
                .starts_with("replies.zip/reply.csv")
        })
        .collect();
    assert_eq!(members.len(), 2, "{files:#?}");
    assert_eq!(members[0]["country"], "AT", "{files:#?}");
    assert_eq!(members[0]["dissemination"], "no", "{files:#?}");
    assert_eq!(members[1]["country"], "BE", "{files:#?}");
    assert!(
        has_message(members[0], "warnings", "2 files named \"reply.csv\""),
        "{files:#?}"
    );
    let out = case.compile(&[]);
    assert_eq!(in_wider(&out, "AT-RESTRICTED"), Vec::<String>::new());
    let full = std::fs::read_to_string(out.join("responses-full.csv")).unwrap();
    assert!(
        full.contains("AT-RESTRICTED") && full.contains("BE-OPEN"),
        "{full}"
    );
}

#[test]
fn a_thousand_zip_entries_with_one_name_count_as_a_thousand() {
    let case = Case::new();
    let entries: Vec<(&str, &str, &str)> =
        (0..1000).map(|_| ("BE.csv", BE_YES, "deflate")).collect();
    python_zip(&case.dir().join("responses/replies.zip"), &entries);
    let (code, files) = case.json();
    assert_eq!(code, 1);
    assert!(
        has_message(&files[0], "errors", "holds more than 500 files"),
        "{:#}",
        files[0]
    );
}

// ---- 6. the network's own wording ------------------------------------------

#[test]
fn the_statements_own_wording_with_a_blank_flag_is_not_published() {
    for note in [
        "We request that this response is not disseminated further.",
        "This response should not be circulated.",
        "For internal use of the NCPs",
        "C o n f i d e n t i a l",
        "\u{421}\u{43e}nfidential",
    ] {
        let case = Case::new().csv(
            "BE.csv",
            &[
                &["Country", "Belgium"],
                &["Wider dissemination", ""],
                &[note],
                &["1", "BE-ANSWER-ONE"],
            ],
        );
        let (code, files) = case.json();
        assert_eq!(code, 1, "{note}: {files:#?}");
        let (run, out) = case.compile_with(&[]);
        run.status(1);
        assert!(outputs(&out).is_empty(), "{note}");
    }
}

// ---- 7. question ids the labels cannot tell apart --------------------------

#[test]
fn question_ids_the_labels_cannot_tell_apart_are_refused() {
    for (a, b) in [("1", "Q1"), ("1", "(1)"), ("1", "1.0"), ("2", "Q2a")] {
        let query = support::QUERY
            .replacen("id = \"1\"", &format!("id = \"{a}\""), 1)
            .replacen("id = \"2\"", &format!("id = \"{b}\""), 1);
        let query = if a == "2" {
            support::QUERY.replacen("id = \"3\"", &format!("id = \"{b}\""), 1)
        } else {
            query
        };
        let case = Case::new()
            .query(&query)
            .csv("BE.csv", &[&["Country", "Belgium"]]);
        case.run(&["validate", "{dir}"])
            .status(2)
            .stderr_has(&format!("\"{a}\" and \"{b}\" are read as the same label"));
    }
}

// ---- 8. messages -------------------------------------------------------------

#[test]
fn a_zero_width_character_in_a_flag_is_shown_escaped() {
    let case = Case::new().csv(
        "BE.csv",
        &[
            &["Country", "Belgium"],
            &["Wider dissemination", "N\u{200b}o"],
            &["1", "x"],
        ],
    );
    let run = case.run(&["validate", "{dir}"]);
    assert!(!run.stdout.contains('\u{200b}'), "{}", run.stdout);
    run.status(1).stdout_has("N\\u{200b}o");
    let json = case.run(&["validate", "{dir}", "--format", "json"]);
    assert!(!json.stdout.contains('\u{200b}'));
}

#[test]
fn two_names_that_differ_only_in_unicode_form_are_both_named() {
    let nfc = "\u{d6}sterreich.csv";
    let nfd = "O\u{308}sterreich.csv";
    let case = Case::new()
        .csv(nfc, &[&["Country", "Austria"], &["1", "one"]])
        .csv(nfd, &[&["Country", "Austria"], &["1", "two"]]);
    let (_, files) = case.json();
    assert_eq!(files.len(), 2);
    for f in &files {
        assert!(
            has_message(f, "warnings", "\\u{d6}sterreich.csv")
                && has_message(f, "warnings", "O\\u{308}sterreich.csv"),
            "{f:#}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_keeps_its_bytes_in_the_manifest() {
    use std::os::unix::ffi::OsStrExt;
    let case = Case::new();
    let name = std::ffi::OsStr::from_bytes(b"BE-\xff.csv");
    std::fs::write(
        case.dir().join("responses").join(name),
        "Country;Belgium\nWider dissemination;Yes\n1;ok\n",
    )
    .unwrap();
    let out = case.compile(&[]);
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("BE-\\\\xff.csv"), "{manifest}");
    assert!(!manifest.contains('\u{fffd}'), "{manifest}");
}

#[test]
fn status_says_a_zip_that_was_read_was_unpacked() {
    let case = Case::new();
    python_zip(
        &case.dir().join("responses/replies.zip"),
        &[("BE.csv", BE_YES, "deflate")],
    );
    let run = case.run(&["status", "{dir}"]);
    run.status(0).stdout_has("unpacked: replies.zip");
    assert!(
        !run.stdout.contains("not read: replies.zip"),
        "{}",
        run.stdout
    );
}

#[cfg(unix)]
#[test]
fn a_dangling_output_link_and_another_querys_responses_are_refused() {
    let case = Case::new().csv("BE.csv", &[&["Country", "Belgium"], &["1", "ok"]]);
    let link = case.dir().join("out-link");
    std::os::unix::fs::symlink(case.dir().join("nowhere"), &link).unwrap();
    case.run(&["compile", "{dir}", "-o", link.to_str().unwrap()])
        .status(2)
        .stderr_has("is a symbolic link to")
        .stderr_has("which does not exist");
    let other = Case::new();
    let into = other.dir().join("responses/compiled");
    case.run(&["compile", "{dir}", "-o", into.to_str().unwrap()])
        .status(2)
        .stderr_has("a query's responses/");
    assert!(!into.exists());
}

/// An archive that cannot be read at all (here: over the file limit) may
/// hold responses: an error that stops the compilation, not "not compiled".
#[test]
fn an_archive_that_cannot_be_read_stops_the_compilation() {
    let case = Case::new();
    python_zip(
        &case.dir().join("responses/replies.zip"),
        &[("BE.csv", BE_YES, "deflate")],
    );
    let (run, out) = case.compile_with(&["--max-file-bytes", "20"]);
    run.status(1)
        .stderr_has("replies.zip")
        .stderr_has("over the limit");
    assert!(outputs(&out).is_empty(), "{:?}", outputs(&out));
}
