//! Spreadsheets nobody here wrote: calamine's own test files (../shared/real-files).
//! None is a questionnaire response; each must still get an answer that names
//! the file, with no panic, in bounded time and memory.

mod support;

use serde_json::Value;
use std::path::PathBuf;

#[test]
#[ignore = "needs ../shared/real-files"]
fn every_calamine_test_file_gets_a_named_answer_and_no_panic() {
    let dir = support::repo("../shared/real-files/calamine-tests");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e} (CI has ../shared beside the repository)",
                dir.display()
            )
        })
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(
        files.len() >= 100,
        "expected calamine's 132 files, found {}",
        files.len()
    );
    let mut args: Vec<String> = vec![
        "validate".into(),
        support::repo("samples/migration-partnerships")
            .to_string_lossy()
            .into_owned(),
        "--format".into(),
        "json".into(),
    ];
    args.extend(files.iter().map(|f| f.to_string_lossy().into_owned()));
    let r = support::run(&args);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert_eq!(
        r.code, 1,
        "none of them is a response, so errors are expected:\n{}",
        r.stderr
    );
    let out: Vec<Value> = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(out.len(), files.len());
    for (f, o) in files.iter().zip(&out) {
        let name = f.to_string_lossy();
        assert_eq!(
            o["file"].as_str().unwrap(),
            name,
            "reports come in the order given"
        );
        let said = ["errors", "warnings", "infos"]
            .iter()
            .map(|k| o[k].as_array().unwrap().len())
            .sum::<usize>();
        assert!(
            said > 0 || !o["records"].as_array().unwrap().is_empty(),
            "{name}: nothing said"
        );
        for e in o["errors"].as_array().unwrap() {
            assert!(!e["message"].as_str().unwrap().is_empty(), "{name}");
        }
    }
}

/// Each file alone, under a 2 GiB address-space limit and 30 seconds: no
/// file of them may take the process down or hold it.
#[test]
#[ignore = "needs ../shared/real-files"]
fn every_calamine_test_file_alone_in_bounded_time_and_memory() {
    let dir = support::repo("../shared/real-files/calamine-tests");
    let query = support::repo("samples/migration-partnerships");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in &files {
        let r = support::run_bounded(
            &[
                "validate",
                query.to_str().unwrap(),
                f.to_str().unwrap(),
                "--format",
                "json",
            ],
            std::time::Duration::from_secs(30),
        );
        assert!(
            matches!(r.code, 0 | 1) && !r.stderr.contains("panicked"),
            "{}: ended with {}\n{}",
            f.display(),
            r.code,
            r.stderr
        );
        let out: Vec<Value> = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(out[0]["file"].as_str().unwrap(), f.to_string_lossy());
    }
}
