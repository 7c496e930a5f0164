//! Spreadsheets nobody here wrote: calamine's own test files (../shared/real-files).
//! None is a questionnaire response; each must still get an answer that names
//! the file, with no panic, in bounded time and memory.

mod support;

use std::path::PathBuf;

/// The entries of `dir`, sorted.
fn listing(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e} (CI has ../shared beside the repository)",
                dir.display()
            )
        })
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

#[test]
#[ignore = "needs ../shared/real-files"]
fn every_calamine_test_file_gets_a_named_answer_and_no_panic() {
    let files = listing(&support::repo("../shared/real-files/calamine-tests"));
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
    let out = support::json_list(&r.stdout, "files");
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

/// Every file of ../shared/real-files (1,913 spreadsheets from seven projects'
/// test suites and a folder of misnamed copies), each named alone on the
/// command line as a member state would: none is a response, so none may
/// pass; none that openpyxl or xlrd opens may be called damaged; no message
/// may show a reader's internals; no panic, no hang.
#[test]
#[ignore = "needs ../shared/real-files"]
fn every_real_file_named_alone_fails_with_a_true_diagnosis() {
    // Each file alone, under 2 GiB and 60 s (calamine's own among them).
    let mut files: Vec<PathBuf> = listing(&support::repo("../shared/real-files"))
        .iter()
        .filter(|d| d.is_dir())
        .flat_map(|d| listing(d))
        .collect();
    files.sort();
    assert_eq!(
        files.len(),
        1913,
        "the README of ../shared/real-files counts 1,913 files"
    );

    // Which files real readers open: openpyxl (xlsx family), xlrd (xls).
    let tmp = tempfile::tempdir().unwrap();
    let list = tmp.path().join("files.txt");
    std::fs::write(
        &list,
        files
            .iter()
            .map(|f| f.to_string_lossy() + "\n")
            .collect::<String>(),
    )
    .unwrap();
    let opened = tmp.path().join("opened.txt");
    let script = |module: &str, exts: &str, open: &str| {
        format!(
            "import sys, warnings\nwarnings.simplefilter('ignore')\nimport {module}\n\
             out = open(sys.argv[2], 'a')\n\
             for f in open(sys.argv[1]).read().splitlines():\n\
             \x20   if f.lower().endswith({exts}):\n\
             \x20       try:\n\
             \x20           {open}\n\
             \x20           out.write(f + '\\n')\n\
             \x20       except Exception:\n\
             \x20           pass\n"
        )
    };
    let args = [list.to_str().unwrap(), opened.to_str().unwrap()];
    support::python::run_with(
        "openpyxl",
        "openpyxl==3.1.5",
        &script(
            "openpyxl",
            "('.xlsx', '.xlsm', '.xltx', '.xltm')",
            "openpyxl.load_workbook(f, read_only=True).close()",
        ),
        &args,
    );
    support::python::run_with(
        "xlrd",
        "xlrd==2.0.2",
        &script("xlrd", "('.xls',)", "xlrd.open_workbook(f, on_demand=True)"),
        &args,
    );
    let opens: std::collections::HashSet<String> = std::fs::read_to_string(&opened)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert!(
        opens.len() > 1000,
        "openpyxl and xlrd open {} files",
        opens.len()
    );

    let query = support::repo("samples/migration-partnerships");
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let Some(f) = files.get(i) else { break };
                    let r = support::run_bounded(
                        &[
                            "validate",
                            query.to_str().unwrap(),
                            f.to_str().unwrap(),
                            "--format",
                            "json",
                        ],
                        std::time::Duration::from_secs(60),
                    );
                    results.lock().unwrap().push((f.clone(), r));
                }
            });
        }
    });
    let results = results.into_inner().unwrap();
    // A reader's words: Rust debug output, and the phrases calamine, zip
    // and quick-xml use.
    let internals = [
        "Borrowed(",
        "BytesText",
        "Cfb error",
        "Relationship not found",
        "Unrecognized",
        "Xml error",
        "invalid Zip archive",
        "EOCD",
        "Parse float",
        "End of stream",
        "Expecting '",
        "panicked",
    ];
    let (mut passed, mut crashed, mut damaged, mut leaked) = (vec![], vec![], vec![], vec![]);
    let mut not_read = 0;
    for (f, r) in &results {
        let name = f.to_string_lossy().into_owned();
        if r.code == 0 {
            passed.push(name.clone());
        }
        if r.code != 1 || r.stderr.contains("panicked") {
            crashed.push(format!("{name}: exit {}: {}", r.code, r.stderr));
            continue;
        }
        let out = support::json_list(&r.stdout, "files");
        assert_eq!(out[0]["file"].as_str().unwrap(), name);
        let said: Vec<&str> = ["errors", "warnings"]
            .iter()
            .flat_map(|k| out[0][k].as_array().unwrap())
            .chain(
                out[0]["records"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .flat_map(|r| r["errors"].as_array().into_iter().flatten()),
            )
            .filter_map(|m| m["message"].as_str())
            .collect();
        if said.iter().any(|m| m.starts_with("not read")) {
            not_read += 1;
        }
        if opens.contains(&name) && said.iter().any(|m| m.contains("damaged")) {
            damaged.push(format!("{name}: {said:?}"));
        }
        if let Some(m) = said
            .iter()
            .find(|m| internals.iter().any(|i| m.contains(i)))
        {
            leaked.push(format!("{name}: {m}"));
        }
    }
    eprintln!(
        "{} files: {} exit 1 ({not_read} not read by their name), {} opened by openpyxl or xlrd",
        results.len(),
        results.len() - crashed.len(),
        opens.len()
    );
    assert_eq!(results.len(), files.len());
    assert!(
        crashed.is_empty(),
        "no panic, hang or other exit:\n{}",
        crashed.join("\n")
    );
    assert!(
        passed.is_empty(),
        "none is a response, yet these passed:\n{}",
        passed.join("\n")
    );
    assert!(
        damaged.is_empty(),
        "openpyxl or xlrd opens these, and ahq calls them damaged:\n{}",
        damaged.join("\n")
    );
    assert!(
        leaked.is_empty(),
        "a reader's internals in a message:\n{}",
        leaked.join("\n")
    );
}
