//! What ahq promises about files: inputs are never modified; outputs are
//! replaced whole or not at all; the same input and date give the same bytes
//! with no path or clock reading in them; text never runs as a formula.

mod support;

use std::collections::BTreeMap;
#[cfg(unix)]
use std::os::unix::fs::FileTypeExt;
use std::path::Path;
use support::{Case, occurrences, sheet};

fn hashes(dir: &Path) -> BTreeMap<String, (String, std::time::SystemTime)> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            let modified = std::fs::metadata(&p).unwrap().modified().unwrap();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                (ahq::validate::sha256_hex(&bytes), modified),
            )
        })
        .collect()
}

#[test]
fn inputs_are_never_modified_by_any_command() {
    let dir = support::copy_sample();
    let d = dir.path().to_str().unwrap().to_string();
    let template = tempfile::tempdir().unwrap();
    let template = template.path().join("template.xlsx");
    let template = template.to_str().unwrap().to_string();
    let before = (hashes(&dir.path().join("responses")), hashes(dir.path()));
    for args in [
        vec!["validate", &d],
        vec!["status", &d],
        vec!["compile", &d],
        vec!["template", &d, "-o", &template],
    ] {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let r = support::run(&args);
        assert!(r.code == 0, "{args:?}: {}", r.stderr);
    }
    let after = (hashes(&dir.path().join("responses")), hashes(dir.path()));
    assert_eq!(before, after, "content and modification times unchanged");
    assert_eq!(before.0.len(), 18);
}

/// Regression: `-o /dev/null` once renamed a temporary file over the device
/// (tested here with a pipe and a link, not the machine's own /dev/null).
#[test]
fn writing_to_a_pipe_or_a_link_writes_through_it() {
    let dir = support::copy_sample();
    let d = dir.path().to_str().unwrap();
    #[cfg(unix)]
    {
        let fifo = dir.path().join("pipe.xlsx");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        let r = support::run(&[
            "template".into(),
            d.into(),
            "-o".into(),
            fifo.to_str().unwrap().into(),
        ]);
        r.status(0);
        assert!(
            reader.join().unwrap().starts_with(b"PK"),
            "the workbook went down the pipe"
        );
        assert!(
            std::fs::symlink_metadata(&fifo)
                .unwrap()
                .file_type()
                .is_fifo()
        );

        let real = dir.path().join("real.xlsx");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.xlsx");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let r = support::run(&[
            "template".into(),
            d.into(),
            "-o".into(),
            link.to_str().unwrap().into(),
        ]);
        r.status(0);
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(
            std::fs::read(&real).unwrap().starts_with(b"PK"),
            "written through the link"
        );
    }
}

#[test]
fn a_failed_write_leaves_the_previous_outputs_whole() {
    let case = Case::new().csv("BE.csv", &[&["Country", "Belgium"], &["1", "Yes"]]);
    let out = case.compile(&["--date", "2010-10-08"]);
    let first = hashes(&out);
    // The last output cannot be replaced: a folder stands in its name.
    std::fs::remove_file(out.join("manifest.json")).unwrap();
    std::fs::create_dir(out.join("manifest.json")).unwrap();
    std::fs::write(out.join("manifest.json").join("keep"), "x").unwrap();
    let case = case.csv("FR.csv", &[&["Country", "France"], &["1", "No"]]);
    let (run, _) = case.compile_with(&["--date", "2010-10-08"]);
    run.status(2).stderr_has("manifest.json: cannot write");
    let now = hashes(&out);
    let mut expected = first.clone();
    expected.remove("manifest.json");
    let now_hashes: BTreeMap<_, _> = now.iter().map(|(k, v)| (k, &v.0)).collect();
    let expected_hashes: BTreeMap<_, _> = expected.iter().map(|(k, v)| (k, &v.0)).collect();
    assert_eq!(
        now_hashes, expected_hashes,
        "every other output is the first compile's, byte for byte, and no temporary file is left"
    );
    let rows = sheet(&out.join("compilation-full.xlsx"), "Responses");
    assert_eq!(
        rows.len(),
        2,
        "Belgium only: the second compile did not land"
    );
}

#[test]
fn outputs_hold_no_path_and_no_clock_reading() {
    let dir = support::copy_sample();
    let out = dir.path().join("out");
    let r = support::run(&[
        "compile".into(),
        dir.path().to_str().unwrap().into(),
        "-o".into(),
        out.to_str().unwrap().into(),
        "--date".into(),
        "2011-02-03".into(),
    ]);
    r.status(0);
    let dated = regex::Regex::new(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d").unwrap();
    for e in std::fs::read_dir(&out).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        // No absolute path: not the temporary folder, not the user's home.
        for needle in [dir.path().to_str().unwrap(), "/tmp/", "/root", "/home/"] {
            assert!(occurrences(&p, needle).is_empty(), "{name} holds {needle}");
        }
        if name.ends_with(".xlsx") || name.ends_with(".docx") {
            for (part, bytes) in support::zip_entries(&p) {
                let text = String::from_utf8_lossy(&bytes);
                for stamp in dated.find_iter(&text) {
                    assert!(
                        stamp.as_str().starts_with("2011-02-03T"),
                        "{name}:{part} holds the time {}",
                        stamp.as_str()
                    );
                }
            }
        }
    }
}

#[test]
fn text_that_looks_like_a_formula_stays_text() {
    let case = Case::new().csv(
        "BE.csv",
        &[
            &["Country", "Belgium"],
            &["1", "=HYPERLINK(\"http://example.com\",\"click\")"],
            &["2", "+32 2 123 45 67"],
            &["3", "-1+2"],
            &["4", "@SUM(A1:A2)"],
        ],
    );
    let out = case.compile(&[]);
    for file in ["compilation-full.xlsx", "compilation-wider.xlsx"] {
        let rows = sheet(&out.join(file), "Responses");
        assert_eq!(rows[1][2], "=HYPERLINK(\"http://example.com\",\"click\")");
        assert_eq!(rows[1][3], "+32 2 123 45 67");
        assert_eq!(rows[1][4], "-1+2");
        assert_eq!(rows[1][5], "@SUM(A1:A2)");
        for (part, bytes) in support::zip_entries(&out.join(file)) {
            if part.starts_with("xl/worksheets/") {
                let xml = String::from_utf8_lossy(&bytes);
                assert!(!xml.contains("<f>"), "{file}:{part} holds a formula");
            }
        }
    }
    for file in ["responses-full.csv", "responses-wider.csv"] {
        let csv = std::fs::read_to_string(out.join(file)).unwrap();
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let answers: Vec<String> = reader
            .records()
            .map(|r| r.unwrap()[4].to_string())
            .collect();
        assert_eq!(
            answers,
            [
                "'=HYPERLINK(\"http://example.com\",\"click\")",
                "'+32 2 123 45 67",
                "'-1+2",
                "'@SUM(A1:A2)"
            ]
        );
    }
    let md = std::fs::read_to_string(out.join("compilation-full.md")).unwrap();
    assert!(md.contains("| Belgium | Yes | =HYPERLINK(\"http://example.com\",\"click\") |"));
}

#[test]
fn sheet_names_are_fixed_valid_excel_names() {
    let l = ahq::templates::labels();
    for name in [
        &l.cover.sheet,
        &l.responses.sheet,
        &l.summary.sheet,
        &l.log.sheet,
    ] {
        assert!(!name.is_empty() && name.chars().count() <= 31, "{name}");
        assert!(
            !name.contains(['[', ']', ':', '*', '?', '/', '\\']),
            "{name}"
        );
        assert!(!name.starts_with('\'') && !name.ends_with('\''), "{name}");
    }
}

/// Found by a fault-injection run: `validate` printed raw ESC and BEL from a
/// response, `compile` quoted a country cell raw, and the Markdown and CSV
/// outputs kept ESC, NUL and U+202E.
#[test]
fn control_characters_never_reach_a_terminal_or_an_output_raw() {
    let esc = "\u{1b}]0;pwned\u{7}\u{1b}[2J";
    let answer = format!("Yes{esc}, with \u{202e}Georgia\u{0}");
    let country = format!("Atlantis{esc}");
    let case = Case::new()
        .xlsx(
            "BE.xlsx",
            &[(
                "Reply",
                &[
                    &["Country", "Belgium"],
                    &["Wider dissemination", "Yes"],
                    &["1", &answer],
                ],
            )],
        )
        .xlsx(
            "XX.xlsx",
            &[("Reply", &[&["Country", &country], &["1", "Yes"]])],
        )
        .file("note\u{1b}[2J.txt", "a file name with an escape");
    let raw = |s: &str| s.contains('\u{1b}') || s.contains('\u{7}') || s.contains('\u{202e}');
    let v = case.run(&["validate", "{dir}"]);
    assert!(!raw(&v.stdout) && !raw(&v.stderr), "{:?}", v.stdout);
    assert!(
        v.stdout.contains("note\\u{1b}[2J.txt"),
        "shown escaped: {}",
        v.stdout
    );
    assert!(
        v.stdout
            .contains("\"Atlantis]0;pwned[2J\" is not a country"),
        "{}",
        v.stdout
    );
    let (c, _) = case.compile_with(&[]);
    assert!(!raw(&c.stdout) && !raw(&c.stderr), "{:?}", c.stderr);
    assert!(c.stderr.contains("Atlantis]0;pwned[2J"), "{}", c.stderr);
    // Compiled without the bad file: no output carries the characters, and
    // the answer keeps every printable one.
    let out = case.compile(&["--skip-invalid"]);
    for f in std::fs::read_dir(&out).unwrap() {
        let path = f.unwrap().path();
        for bad in ["\u{1b}", "\u{7}", "\u{202e}", "\u{0}"] {
            assert!(
                occurrences(&path, bad).is_empty(),
                "{} holds {bad:?}",
                path.display()
            );
        }
    }
    let csv = std::fs::read_to_string(out.join("responses-full.csv")).unwrap();
    assert!(csv.contains("Yes]0;pwned[2J, with Georgia"), "{csv}");
    let (_, files) = case.json();
    let be = files.iter().find(|f| f["file"] == "BE.xlsx").unwrap();
    assert!(support::has_message(
        be,
        "warnings",
        "control or text-direction character"
    ));
}
