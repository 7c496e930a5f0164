//! The validation page (web/): built by web/build.sh, opened from file:// in
//! Debian's headless Chromium, given files through its one file input as a
//! member state would, and compared with `ahq validate --format json` on the
//! same files. The page must make no network request.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::python::fill_template;
use support::repo;

/// Builds the page (and installs the browser tools), once.
fn page() -> PathBuf {
    let out = Command::new("bash")
        .arg(repo("web/build.sh"))
        .arg("--browser")
        .output()
        .expect("bash runs web/build.sh");
    assert!(
        out.status.success(),
        "web/build.sh failed:\n{}",
        support::show(&out)
    );
    let page = repo("target/web/ahq-validate.html");
    assert!(page.is_file(), "web/build.sh wrote no {}", page.display());
    page
}

/// What `ahq validate` says of `files` (with `query` as its query folder or,
/// with `None`, the query each file carries).
fn cli(query: Option<&Path>, files: &[&Path]) -> Vec<Value> {
    let mut args: Vec<String> = vec!["validate".into()];
    if let Some(q) = query {
        args.push(q.to_string_lossy().into_owned());
    }
    args.extend(files.iter().map(|f| f.to_string_lossy().into_owned()));
    args.extend(["--format".into(), "json".into()]);
    let r = support::run(&args);
    support::json_list(&r.stdout, "files")
}

/// The fields a person reads, from a report of either side.
fn seen(report: &Value) -> Value {
    let messages = |k: &str| -> Vec<Value> {
        report[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| serde_json::json!([m["location"], m["message"]]))
            .collect()
    };
    serde_json::json!({
        "file": Path::new(report["file"].as_str().unwrap()).file_name().unwrap().to_string_lossy(),
        "country": report["country"],
        "dissemination": report["dissemination"],
        "answers": report["answers"],
        "errors": messages("errors"),
        "warnings": messages("warnings"),
    })
}

#[test]
#[ignore = "builds the web page"]
fn the_page_says_what_ahq_validate_says_and_makes_no_request() {
    let page = page();
    let sample = repo("samples/migration-partnerships");
    let query = sample.join("query.toml");
    let tmp = tempfile::tempdir().unwrap();

    // A template-based response, filled by openpyxl: it carries its query.
    let template = tmp.path().join("template.xlsx");
    let r = support::run(&[
        "template".into(),
        sample.to_string_lossy().into_owned(),
        "--country".into(),
        "BE".into(),
        "-o".into(),
        template.to_string_lossy().into_owned(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let filled = tmp.path().join("BE-filled.xlsx");
    fill_template(
        &template,
        &filled,
        r#"{"flag": "No", "answers": {"1": "Yes, with Georgia.", "2": "Georgia"}}"#,
    );

    // A response to another query: the sample's with a question changed,
    // its template filled, given with this query's query.toml.
    let other_dir = tmp.path().join("other");
    std::fs::create_dir_all(other_dir.join("responses")).unwrap();
    let other_toml = std::fs::read_to_string(&query).unwrap().replace(
        "What are/were your experiences",
        "What lessons have you drawn from your experiences",
    );
    std::fs::write(other_dir.join("query.toml"), other_toml).unwrap();
    let other_template = tmp.path().join("other-template.xlsx");
    let r = support::run(&[
        "template".into(),
        other_dir.to_string_lossy().into_owned(),
        "--country".into(),
        "FR".into(),
        "-o".into(),
        other_template.to_string_lossy().into_owned(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let other = tmp.path().join("FR-other-query.xlsx");
    fill_template(
        &other_template,
        &other,
        r#"{"flag": "Yes", "answers": {"1": "No."}}"#,
    );

    let damaged = tmp.path().join("damaged.xlsx");
    let good = std::fs::read(sample.join("responses/IT.xlsx")).unwrap();
    std::fs::write(&damaged, &good[..good.len() / 2]).unwrap();
    // A password-protected workbook: an OLE container with an encrypted package.
    let protected = tmp.path().join("protected.xlsx");
    std::fs::write(&protected, password_protected()).unwrap();

    // Text, but no answer where the questions are: not ready to send.
    let unanswered = tmp.path().join("CY-no-answer.xlsx");
    std::fs::write(
        &unanswered,
        support::xlsx(
            &[(
                "Response",
                &[
                    &["Country", "Cyprus"],
                    &["Wider dissemination", "Yes"],
                    &["Our reply is in the attached letter."],
                ],
            )],
            |_| {},
        ),
    )
    .unwrap();

    let mut responses: Vec<PathBuf> = std::fs::read_dir(sample.join("responses"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    responses.sort();
    assert!(responses.len() >= 18);

    // (name, files given to the page, what ahq validate is run as)
    let mut cases: Vec<(String, Vec<PathBuf>, Option<PathBuf>)> = responses
        .iter()
        .map(|r| {
            let name = r.file_name().unwrap().to_string_lossy().into_owned();
            (name, vec![query.clone(), r.clone()], Some(sample.clone()))
        })
        .collect();
    cases.push(("template alone".into(), vec![filled.clone()], None));
    cases.push((
        "damaged".into(),
        vec![query.clone(), damaged.clone()],
        Some(sample.clone()),
    ));
    cases.push((
        "protected".into(),
        vec![query.clone(), protected.clone()],
        Some(sample.clone()),
    ));
    cases.push((
        "no answer".into(),
        vec![query.clone(), unanswered.clone()],
        Some(sample.clone()),
    ));
    let mut list: Vec<Value> = cases
        .iter()
        .map(|(name, files, _)| serde_json::json!({"name": name, "files": files}))
        .collect();
    // A read that outlasts the page's limit (here 1 ms, so any read does):
    // the worker is ended and the page says so, never frozen.
    list.push(serde_json::json!({
        "name": "time limit",
        "files": [&query, &responses[0]],
        "timeout": 1,
    }));
    let cases_file = tmp.path().join("cases.json");
    std::fs::write(&cases_file, serde_json::to_string(&list).unwrap()).unwrap();
    let out = Command::new("node")
        .arg(repo("web/drive.mjs"))
        .arg(&page)
        .arg(&cases_file)
        .env("SCREENSHOT", repo("target/web/ahq-validate.png"))
        .output()
        .expect("node runs web/drive.mjs");
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("drive.mjs printed no JSON ({e}):\n{}", support::show(&out)));
    assert!(report["error"].is_null(), "{report:#}");
    assert_eq!(
        report["networkRequests"],
        serde_json::json!([]),
        "the page made requests"
    );
    assert_eq!(report["pageErrors"], serde_json::json!([]));
    assert!(
        report["fetchProbe"]
            .as_str()
            .unwrap()
            .starts_with("blocked"),
        "the page's policy lets a fetch through: {}",
        report["fetchProbe"]
    );

    for ((name, files, query_dir), got) in cases.iter().zip(report["cases"].as_array().unwrap()) {
        assert_eq!(got["ready"], "ready", "{name}: {got:#}");
        let result = &got["result"];
        assert!(result["error"].is_null(), "{name}: {got:#}");
        let response = files.last().unwrap();
        let expected = cli(query_dir.as_deref(), &[response]);
        let page_files = result["files"].as_array().unwrap();
        assert_eq!(page_files.len(), expected.len(), "{name}: {got:#}");
        for (p, e) in page_files.iter().zip(&expected) {
            assert_eq!(seen(p), seen(e), "{name}: the page and ahq validate differ");
        }
        // The verdict a person reads follows the errors.
        let errors = expected[0]["errors"].as_array().unwrap().len();
        assert_eq!(
            got["verdicts"][0],
            if errors == 0 { "ready" } else { "fix" },
            "{name}"
        );
    }
    // The damaged and protected files are refused, in plain words.
    let by_name = |n: &str| {
        report["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == n)
            .unwrap()
            .clone()
    };
    assert!(
        by_name("damaged")["text"]
            .as_str()
            .unwrap()
            .contains("damaged")
    );
    assert!(
        by_name("protected")["text"]
            .as_str()
            .unwrap()
            .contains("password")
    );
    // A file in which no answer was found is never "ready to send".
    assert_eq!(by_name("no answer")["verdicts"][0], "fix");
    let alone = by_name("template alone");
    assert_eq!(alone["result"]["files"][0]["country"], "BE");
    assert_eq!(alone["result"]["files"][0]["dissemination"], "no");
}

/// An OLE compound file holding an "EncryptedPackage" stream: what Excel
/// writes for a workbook with a password to open.
fn password_protected() -> Vec<u8> {
    let mut c = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    for (name, data) in [
        ("EncryptionInfo", &b"\x04\x00\x04\x00"[..]),
        ("EncryptedPackage", &[0u8; 64][..]),
    ] {
        let mut s = c.create_stream(name).unwrap();
        std::io::Write::write_all(&mut s, data).unwrap();
    }
    c.flush().unwrap();
    c.into_inner().into_inner()
}

/// Part 17: the page `ahq template` writes beside the template carries the
/// query, so a contact drops only their own file: the filled template, a
/// workbook of their own, a Word reply, a PDF. Each is checked alone, in
/// Chromium, from file://, and the page says what `ahq validate` says.
#[test]
#[ignore = "drives Chromium (installed by web/build.sh --browser)"]
fn the_page_made_for_a_query_checks_any_file_without_asking_for_the_query() {
    page(); // the browser tools
    let sample = repo("samples/migration-partnerships");
    let tmp = tempfile::tempdir().unwrap();
    let template = tmp.path().join("template.xlsx");
    let r = support::run(&[
        "template".into(),
        sample.to_string_lossy().into_owned(),
        "--country".into(),
        "BE".into(),
        "-o".into(),
        template.to_string_lossy().into_owned(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let made = tmp.path().join("check-your-response-2010.12.html");
    assert!(made.is_file(), "{}", r.stdout);
    let filled = tmp.path().join("BE-filled.xlsx");
    fill_template(
        &template,
        &filled,
        r#"{"flag": "Yes", "answers": {"1": "Yes, with Georgia.", "2": "Georgia"}}"#,
    );
    let own = sample.join("responses/ES response.xlsx");
    let word = tmp.path().join("FR reply.docx");
    support::python::run_with(
        "docx",
        "python-docx==1.2.0",
        "import sys, docx\n\
         d = docx.Document()\n\
         d.add_paragraph('Reply of the French EMN NCP')\n\
         t = d.add_table(rows=0, cols=2)\n\
         for k, v in [('Country', 'France'), ('Wider Dissemination?', 'Yes'), ('1', 'No.'), ('2', 'None.')]:\n\
         \x20   r = t.add_row().cells; r[0].text = k; r[1].text = v\n\
         d.save(sys.argv[1])\n",
        &[word.to_str().unwrap()],
    );
    let pdf = tmp.path().join("reply.pdf");
    std::fs::write(
        &pdf,
        b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n",
    )
    .unwrap();
    let files = [&filled, &own, &word, &pdf];
    let list: Vec<Value> = files
        .iter()
        .map(
            |f| serde_json::json!({"name": f.file_name().unwrap().to_string_lossy(), "files": [f]}),
        )
        .collect();
    let cases_file = tmp.path().join("cases.json");
    std::fs::write(&cases_file, serde_json::to_string(&list).unwrap()).unwrap();
    let out = Command::new("node")
        .arg(repo("web/drive.mjs"))
        .arg(&made)
        .arg(&cases_file)
        .env("SCREENSHOT", repo("target/web/check-your-response.png"))
        .output()
        .expect("node runs web/drive.mjs");
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("drive.mjs printed no JSON ({e}):\n{}", support::show(&out)));
    assert!(report["error"].is_null(), "{report:#}");
    assert_eq!(report["networkRequests"], serde_json::json!([]));
    assert_eq!(report["pageErrors"], serde_json::json!([]));
    for (file, got) in files.iter().zip(report["cases"].as_array().unwrap()) {
        let name = file.file_name().unwrap().to_string_lossy();
        assert_eq!(got["ready"], "ready", "{name}: {got:#}");
        let result = &got["result"];
        assert!(result["error"].is_null(), "{name}: {got:#}");
        assert_eq!(result["query"]["reference"], "2010.12", "{name}: {got:#}");
        let expected = cli(Some(&sample), &[file]);
        let page_files = result["files"].as_array().unwrap();
        assert_eq!(
            page_files.len(),
            1,
            "{name}: the page shows its query as a file: {got:#}"
        );
        assert_eq!(
            seen(&page_files[0]),
            seen(&expected[0]),
            "{name}: the page and ahq validate differ"
        );
        let errors = expected[0]["errors"].as_array().unwrap().len();
        assert_eq!(
            got["verdicts"][0],
            if errors == 0 { "ready" } else { "fix" },
            "{name}"
        );
    }
    let cases = report["cases"].as_array().unwrap();
    // The page greets the contact with the query it was made for.
    assert_eq!(
        cases[0]["greeting"],
        "Ready: choose your response to the ad-hoc query \"Migration Partnerships\".",
        "{:#}",
        cases[0]
    );
    assert!(
        cases[0]["title"]
            .as_str()
            .unwrap()
            .contains("\"Migration Partnerships\""),
        "{:#}",
        cases[0]
    );
    assert_eq!(cases[0]["verdicts"][0], "ready", "{:#}", cases[0]);
    assert_eq!(
        cases[2]["result"]["files"][0]["country"], "FR",
        "{:#}",
        cases[2]
    );
    assert!(
        cases[3]["text"].as_str().unwrap().contains("PDF"),
        "{:#}",
        cases[3]
    );
}
