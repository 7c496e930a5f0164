//! Part 13: the coordinator decides without editing what was received.
//! Versions of one country's reply ordered by what they say (a version in
//! the name, the date in the reply, the document's saved time, the file's
//! time), signs that disagree stopped until decided in decisions.toml, a
//! flag changed from No to Yes stopped until confirmed, a misspelt country,
//! an older version of the questions, the day a reply was received; an
//! updated compilation that says what changed, and `ahq diff`.
//!
//! The replies are written by Python's openpyxl (tests/tools/reply.py),
//! the e-mail by Python's email package; the binary is run on them.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use support::python::run_openpyxl;
use support::{Case, Run, in_wider, sheet};

/// A reply written by openpyxl into the case's responses/: `rows` of
/// label and value; its document saved at `saved`, its file dated `mtime`.
fn reply(case: &Case, file: &str, rows: &[[&str; 2]], saved: &str, mtime: &str) -> PathBuf {
    let path = case.dir().join("responses").join(file);
    let spec = serde_json::json!({
        "path": path,
        "rows": rows,
        "saved": saved,
        "mtime": mtime,
    });
    run_openpyxl(include_str!("tools/reply.py"), &[spec.to_string().as_str()]);
    path
}

/// Belgium's reply: its flag, question 1's answer, and any more rows.
fn belgium(flag: &str, answer: &str) -> Vec<[&'static str; 2]> {
    let answer: &'static str = Box::leak(answer.to_string().into_boxed_str());
    let flag: &'static str = Box::leak(flag.to_string().into_boxed_str());
    vec![
        ["Country", "Belgium"],
        ["Wider dissemination", flag],
        ["1", answer],
        ["2", "Morocco"],
    ]
}

const SAVED: &str = "2010-08-20T10:00:00Z";
const DAY: &str = "2010-08-20";

fn compile(case: &Case) -> (Run, PathBuf) {
    case.compile_with(&["--date", "2010-10-08"])
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The Responses row of `country` in a compiled workbook.
fn row(out: &Path, book: &str, country: &str) -> Vec<String> {
    sheet(&out.join(book), "Responses")
        .into_iter()
        .find(|r| r[0] == country)
        .unwrap_or_else(|| panic!("no row for {country} in {book}"))
}

/// The record of `file` in records.json.
fn record(out: &Path, file: &str) -> Value {
    json(&out.join("records.json"))
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["file"] == file)
        .cloned()
        .unwrap_or_else(|| panic!("no record of {file}"))
}

/// The manifest's entry for a file in responses/.
fn manifest_file(out: &Path, file: &str) -> Value {
    let m = json(&out.join("manifest.json"));
    m["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == format!("responses/{file}"))
        .cloned()
        .unwrap_or_else(|| panic!("{file} not in the manifest: {m:#}"))
}

/// Compiles `case`, which must succeed with `answer` as Belgium's answer
/// to question 1 and `earlier` superseded, ordered by `sign`.
fn assert_ordered(case: &Case, answer: &str, earlier: &str, sign: &str) -> PathBuf {
    let (run, out) = compile(case);
    run.status(0);
    assert_eq!(row(&out, "compilation-full.xlsx", "Belgium")[2], answer);
    let rec = record(&out, earlier);
    let how = rec["superseded"]["how"].as_str().unwrap_or_default();
    assert!(how.contains(sign), "{rec:#}");
    out
}

/// The members' Summary row whose label starts with `label`.
fn summary_row(out: &Path, label: &str) -> Vec<String> {
    let summary = sheet(&out.join("compilation-full.xlsx"), "Summary");
    summary
        .iter()
        .find(|r| r[0].starts_with(label))
        .cloned()
        .unwrap_or_else(|| panic!("no {label} row: {summary:#?}"))
}

fn decide(case: &Case, lines: &str) {
    std::fs::write(case.dir().join("decisions.toml"), lines).unwrap();
}

#[test]
fn versions_are_ordered_by_the_version_in_their_names() {
    let case = Case::new();
    let (v1, v2) = (
        belgium("Yes", "Yes, two agreements with Morocco."),
        belgium("Yes", "Yes, three agreements with Morocco."),
    );
    reply(&case, "BE_reply.xlsx", &v1, SAVED, DAY);
    reply(&case, "BE_reply_v2.xlsx", &v2, SAVED, DAY);
    let out = assert_ordered(
        &case,
        "Yes, three agreements with Morocco.",
        "BE_reply.xlsx",
        "the version numbers in their names",
    );
    // The earlier one is named, with what changed, word by word.
    let earlier = record(&out, "BE_reply.xlsx");
    assert_eq!(earlier["superseded"]["by"], "BE_reply_v2.xlsx");
    assert_eq!(earlier["superseded"]["changed"][0]["question_id"], "1");
    assert_eq!(
        earlier["superseded"]["changed"][0]["difference"],
        "Yes, [-two-]{+three+} agreements with Morocco."
    );
    let entry = manifest_file(&out, "BE_reply.xlsx");
    assert_eq!(entry["outcome"], "superseded");
    let bytes = std::fs::read(case.dir().join("responses/BE_reply.xlsx")).unwrap();
    assert_eq!(
        entry["sha256"],
        ahq::validate::sha256_hex(&bytes),
        "hashed like every input"
    );
    let log = sheet(&out.join("compilation-full.xlsx"), "Log");
    assert!(
        log.iter().any(|r| r[4].contains("question 1 changed since BE_reply.xlsx: Yes, [-two-]{+three+}")),
        "{log:#?}"
    );
    assert!(
        log.iter()
            .any(|r| r[0] == "BE_reply.xlsx" && r[2] == "superseded"),
        "{log:#?}"
    );
    // status says what compile says.
    case.run(&["status", "{dir}"])
        .status(0)
        .stdout_has("BE_reply_v2.xlsx  (supersedes BE_reply.xlsx)")
        .stdout_has("0 invalid");
}

#[test]
fn versions_are_ordered_by_the_dates_written_in_them() {
    let case = Case::new();
    let mut early = belgium("Yes", "Yes, with Morocco.");
    early.push(["Date", "10/08/2010"]);
    let mut late = belgium("Yes", "Yes, with Morocco and Tunisia.");
    late.push(["Date", "25/08/2010"]);
    // Names that say nothing of a version, written in the other order.
    reply(&case, "Belgium answers.xlsx", &late, SAVED, DAY);
    reply(&case, "BE reply.xlsx", &early, SAVED, DAY);
    assert_ordered(
        &case,
        "Yes, with Morocco and Tunisia.",
        "BE reply.xlsx",
        "the dates written in the replies",
    );
}

#[test]
fn versions_are_ordered_by_the_files_times_when_nothing_else_tells() {
    let case = Case::new();
    let (later, earlier) = (
        belgium("Yes", "Yes, later."),
        belgium("Yes", "Yes, earlier."),
    );
    reply(&case, "BE.xlsx", &later, SAVED, "2010-09-05");
    reply(&case, "Belgium.xlsx", &earlier, SAVED, "2010-09-01");
    assert_ordered(
        &case,
        "Yes, later.",
        "Belgium.xlsx",
        "the days the files were saved here",
    );
}

#[test]
fn signs_that_disagree_stop_both_until_the_version_is_decided() {
    let case = Case::new();
    // The name says v2 is later; the dates written in them say the opposite.
    let mut v1 = belgium("Yes", "Yes, as corrected.");
    v1.push(["Date", "25/08/2010"]);
    let mut v2 = belgium("Yes", "Yes, first draft.");
    v2.push(["Date", "10/08/2010"]);
    reply(&case, "BE.xlsx", &v1, SAVED, DAY);
    reply(&case, "BE_v2.xlsx", &v2, SAVED, DAY);
    let (run, out) = compile(&case);
    run.status(1)
        .stderr_has(
            "Belgium has 2 replies (BE.xlsx, BE_v2.xlsx) and ahq cannot tell which is the latest",
        )
        .stderr_has("the version numbers in their names put BE_v2.xlsx after BE.xlsx")
        .stderr_has("the dates written in the replies put BE.xlsx after BE_v2.xlsx")
        .stderr_has("countries.BE.compile = ");
    assert!(!out.exists());
    // With --skip-invalid the country is named as not compiled, not lost.
    let (run, out) = case.compile_with(&["--date", "2010-10-08", "--skip-invalid"]);
    run.status(0);
    let not_compiled = summary_row(&out, "Received but not compiled");
    assert_eq!(not_compiled[2], "Belgium");
    std::fs::remove_dir_all(&out).unwrap();
    // Decided: the line the message printed, naming the file that counts.
    decide(&case, "countries.BE.compile = \"BE.xlsx\"\n");
    let (run, out) = compile(&case);
    run.status(0);
    assert_eq!(
        row(&out, "compilation-full.xlsx", "Belgium")[2],
        "Yes, as corrected."
    );
    let earlier = record(&out, "BE_v2.xlsx");
    assert_eq!(
        earlier["superseded"]["how"],
        "as decided in decisions.toml line 1"
    );
    let m = json(&out.join("manifest.json"));
    assert_eq!(m["decisions"]["lines"][0]["line"], 1);
    assert_eq!(
        m["decisions"]["lines"][0]["decision"],
        "Belgium's reply is the one in BE.xlsx"
    );
    let bytes = std::fs::read(case.dir().join("decisions.toml")).unwrap();
    assert_eq!(m["decisions"]["sha256"], ahq::validate::sha256_hex(&bytes));
}

#[test]
fn two_copies_nothing_tells_apart_are_an_error_that_says_so() {
    let case = Case::new();
    reply(&case, "BE.xlsx", &belgium("Yes", "Yes."), SAVED, DAY);
    reply(&case, "Belgium.xlsx", &belgium("Yes", "No."), SAVED, DAY);
    let (run, _) = compile(&case);
    run.status(1)
        .stderr_has("nothing in their names, dates or properties tells them apart")
        .stderr_has("countries.BE.compile = ");
}

#[test]
fn a_flag_changed_from_no_to_yes_is_stopped_until_confirmed_and_the_no_never_leaks() {
    let case = Case::new();
    reply(
        &case,
        "BE.xlsx",
        &belgium("No", "Yes, RESTRICTEDDRAFT with Morocco."),
        SAVED,
        DAY,
    );
    reply(
        &case,
        "BE_corrected.xlsx",
        &belgium("Yes", "Yes, with Morocco."),
        SAVED,
        DAY,
    );
    let (run, out) = compile(&case);
    run.status(1)
        .stderr_has("the earlier reply BE.xlsx (No) was not for wider dissemination, and this later one says Yes")
        .stderr_has("files.\"BE_corrected.xlsx\".flag = \"Yes\"");
    assert!(!out.exists());
    decide(
        &case,
        "# confirmed by phone with the NCP\nfiles.\"BE_corrected.xlsx\".flag = \"Yes\"\n",
    );
    let (run, out) = compile(&case);
    run.status(0);
    assert_eq!(row(&out, "compilation-wider.xlsx", "Belgium")[1], "Yes");
    assert!(
        in_wider(&out, "RESTRICTEDDRAFT").is_empty(),
        "{:?}",
        in_wider(&out, "RESTRICTEDDRAFT")
    );
    // The earlier words are kept for the members: in records.json and the Log.
    assert!(!support::occurrences(&out.join("records.json"), "RESTRICTEDDRAFT").is_empty());
    let log = sheet(&out.join("compilation-full.xlsx"), "Log");
    assert!(
        log.iter()
            .any(|r| r[4].contains("confirmed in decisions.toml line 2")),
        "{log:#?}"
    );
    // The members' change says the flag changed; the record says so first.
    let earlier = record(&out, "BE.xlsx");
    assert_eq!(
        earlier["superseded"]["flag_changed"],
        serde_json::json!(["No", "Yes"])
    );
}

#[test]
fn a_confirmed_no_restricts_and_a_yes_never_overrides_a_reply_s_no() {
    let case = Case::new();
    reply(
        &case,
        "BE.xlsx",
        &belgium("Yes", "Yes, KEEPINSIDE."),
        SAVED,
        DAY,
    );
    reply(
        &case,
        "FR.xlsx",
        &[
            ["Country", "France"],
            ["Wider dissemination", "No"],
            ["1", "Yes, FRINSIDE."],
        ],
        SAVED,
        DAY,
    );
    decide(
        &case,
        "files.\"BE.xlsx\".flag = \"No\"\nfiles.\"FR.xlsx\".flag = \"Yes\"\n",
    );
    let (run, out) = compile(&case);
    run.status(0);
    assert!(in_wider(&out, "KEEPINSIDE").is_empty());
    assert!(in_wider(&out, "FRINSIDE").is_empty());
    assert_eq!(row(&out, "compilation-wider.xlsx", "France")[1], "No");
    let log = sheet(&out.join("compilation-full.xlsx"), "Log");
    assert!(
        log.iter()
            .any(|r| r[4]
                .contains("not for wider dissemination, as decided in decisions.toml line 1")),
        "{log:#?}"
    );
    assert!(
        log.iter().any(|r| r[2] == "warning"
            && r[4].contains("confirms Yes to wider dissemination, but this reply says No")),
        "{log:#?}"
    );
}

#[test]
fn a_misspelt_country_is_decided_in_decisions_toml_without_editing_the_file() {
    let case = Case::new();
    let path = reply(
        &case,
        "PT_reply.xlsx",
        &[
            ["Country", "Portgual"],
            ["Wider dissemination", "Yes"],
            ["1", "Yes, with Cape Verde."],
        ],
        SAVED,
        DAY,
    );
    let before = std::fs::read(&path).unwrap();
    case.run(&["validate", "{dir}"])
        .status(1)
        .stdout_has("\"Portgual\" is not a country ahq knows")
        .stdout_has("files.\"PT_reply.xlsx\".country = \"PT\"");
    decide(&case, "files.\"PT_reply.xlsx\".country = \"PT\"\n");
    let (run, out) = compile(&case);
    run.status(0);
    assert_eq!(
        row(&out, "compilation-wider.xlsx", "Portugal")[2],
        "Yes, with Cape Verde."
    );
    // The file as it came: the manifest's hash is of its bytes, unchanged.
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(
        manifest_file(&out, "PT_reply.xlsx")["sha256"],
        ahq::validate::sha256_hex(&before)
    );
    let m = json(&out.join("manifest.json"));
    assert_eq!(
        m["decisions"]["lines"][0]["decision"],
        "the country of PT_reply.xlsx is PT"
    );
    let log = sheet(&out.join("compilation-full.xlsx"), "Log");
    assert!(
        log.iter().any(|r| r[4].contains("compiled as Portugal's response, as decided in decisions.toml line 1 (the country cell says \"Portgual\"; the file name says Portugal)")),
        "{log:#?}"
    );
    // A decision about a file that is not there is said, with the nearest name.
    decide(
        &case,
        "files.\"PT_reply.xlsx\".country = \"PT\"\nfiles.\"PT_rep.xlsx\".received = 2010-08-01\n",
    );
    let (run, _) = case.compile_with(&["--date", "2010-10-08"]);
    run.status(0)
        .stderr_has("line 2 is about \"PT_rep.xlsx\", which is not among the files received (did you mean \"PT_reply.xlsx\"?)");
}

#[test]
fn a_mistake_in_decisions_toml_stops_with_its_line_and_column() {
    let case = Case::new();
    reply(&case, "BE.xlsx", &belgium("Yes", "Yes."), SAVED, DAY);
    decide(
        &case,
        "files.\"BE.xlsx\".flag = \"Yes\"\nfiles.\"BE.xlsx\".recieved = 2010-08-01\n",
    );
    let (run, _) = compile(&case);
    run.status(2)
        .stderr_has("decisions.toml:2:")
        .stderr_has("did you mean \"received\"");
}

#[test]
fn the_received_date_comes_from_the_decision_else_the_date_cell_never_the_file_time() {
    let case = Case::new();
    // Saved here long after the deadline (2010-08-31), with no date of its own.
    reply(
        &case,
        "FR.xlsx",
        &[
            ["Country", "France"],
            ["Wider dissemination", "Yes"],
            ["1", "Yes."],
        ],
        SAVED,
        "2010-10-01",
    );
    let (run, out) = compile(&case);
    run.status(0);
    let late = summary_row(&out, "Received after the deadline");
    assert_eq!(late[1], "0", "a file's time is not when it came: {late:?}");
    assert_eq!(summary_row(&out, "Without a date")[2], "France");
    std::fs::remove_dir_all(&out).unwrap();
    decide(&case, "files.\"FR.xlsx\".received = 2010-09-10\n");
    let (run, out) = compile(&case);
    run.status(0);
    let late = summary_row(&out, "Received after the deadline");
    assert_eq!(late[2], "France (received 2010-09-10)");
    let log = sheet(&out.join("compilation-full.xlsx"), "Log");
    assert!(
        log.iter().any(|r| r[0] == "FR.xlsx"
            && r[4] == "received on 2010-09-10, as decided in decisions.toml line 1"),
        "{log:#?}"
    );
    assert_eq!(
        manifest_file(&out, "FR.xlsx")["received"],
        serde_json::json!({"date": "2010-09-10", "by": "decision"})
    );
    // status says the same.
    let r = case.run(&["status", "{dir}", "--format", "json"]);
    let lines = support::json_list(&r.stdout, "countries");
    let fr = lines.iter().find(|l| l["country"] == "FR").unwrap();
    assert_eq!(fr["late"], true);
    assert_eq!(fr["dated_by"], "decision");
    // Late replies are the members' business only.
    assert!(in_wider(&out, "2010-09-10").is_empty());
}

#[test]
fn an_e_mail_s_date_is_the_day_its_reply_was_received() {
    let case = Case::new();
    let xlsx = reply(
        &case,
        "FR.xlsx",
        &[
            ["Country", "France"],
            ["Wider dissemination", "Yes"],
            ["1", "Yes."],
        ],
        SAVED,
        DAY,
    );
    let eml = case.dir().join("responses/FR reply.eml");
    let script = "import sys\n\
        from email.message import EmailMessage\n\
        m = EmailMessage()\n\
        m['From'] = 'ncp@example.fr'; m['To'] = 'emn@example.eu'\n\
        m['Subject'] = 'AHQ reply'\n\
        m['Date'] = 'Wed, 15 Sep 2010 09:30:00 +0200'\n\
        m.set_content('Please find our reply attached.')\n\
        data = open(sys.argv[1], 'rb').read()\n\
        m.add_attachment(data, maintype='application', subtype='vnd.openxmlformats-officedocument.spreadsheetml.sheet', filename='FR.xlsx')\n\
        open(sys.argv[2], 'wb').write(bytes(m))\n";
    run_openpyxl(script, &[xlsx.to_str().unwrap(), eml.to_str().unwrap()]);
    std::fs::remove_file(&xlsx).unwrap();
    let (run, out) = compile(&case);
    run.status(0);
    let late = summary_row(&out, "Received after the deadline");
    assert_eq!(late[2], "France (e-mail of 2010-09-15)");
}

#[test]
fn a_template_of_reworded_questions_names_the_question_and_can_be_accepted() {
    let case = Case::new();
    case.template("BE", "{dir}/responses/BE.xlsx").status(0);
    let case = case.query(&support::QUERY.replace(
        "If yes which third countries are/were involved?",
        "Which third countries are/were involved?",
    ));
    let r = case.run(&["validate", "{dir}"]);
    r.status(1)
        .stdout_has("question 2 was reworded: the template says \"If yes which third countries are/were involved?\", the query now says \"Which third countries are/were involved?\"")
        .stdout_has("files.\"BE.xlsx\".questions = \"");
    // The line as printed, pasted into decisions.toml.
    let line = r
        .stdout
        .split("files.\"BE.xlsx\".questions = ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .trim_end_matches(['.', ',', ';'])
        .to_string();
    decide(&case, &format!("files.\"BE.xlsx\".questions = {line}\n"));
    let r = case.run(&["validate", "{dir}", "--format", "json"]);
    let files = support::json_list(&r.stdout, "files");
    assert!(
        files[0]["errors"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| !e["message"].as_str().unwrap().contains("another version")),
        "{:#}",
        files[0]
    );
    assert!(
        support::has_message(
            &files[0],
            "warnings",
            "accepted for this file in decisions.toml line 1"
        ),
        "{:#}",
        files[0]
    );
}

/// The sample compiled, then a reply from Malta, a correction from Belgium
/// and one from Austria (restricted), compiled into the same folder.
fn updated() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = support::copy_sample();
    let q = dir.path();
    let out = q.join("compiled");
    let run = support::run(&[
        "compile".into(),
        q.to_str().unwrap().into(),
        "--date".into(),
        "2010-10-08".into(),
    ]);
    run.status(0);
    let first = dir.path().join("first");
    std::fs::create_dir(&first).unwrap();
    for f in ["records.json", "manifest.json"] {
        std::fs::copy(out.join(f), first.join(f)).unwrap();
    }
    let responses = q.join("responses");
    let script = "import sys, openpyxl\n\
        wb = openpyxl.load_workbook(sys.argv[1])\n\
        for ws in wb:\n\
        \x20   for row in ws.iter_rows():\n\
        \x20       for c in row:\n\
        \x20           if isinstance(c.value, str) and sys.argv[3] in c.value:\n\
        \x20               c.value = c.value.replace(sys.argv[3], sys.argv[4])\n\
        wb.save(sys.argv[2])\n";
    let be = responses.join("Belgium reply.xlsx");
    run_openpyxl(
        script,
        &[
            be.to_str().unwrap(),
            responses.join("Belgium reply v2.xlsx").to_str().unwrap(),
            "partnership with Georgia",
            "partnership with Georgia and Armenia",
        ],
    );
    let at = responses.join("AT_AHQ_2010.12_Migration_Partnerships.xlsx");
    let words = support::sheet(&at, "Response");
    let some = words
        .iter()
        .flatten()
        .find(|w| w.len() > 40)
        .unwrap()
        .clone();
    let first_word = some.split_whitespace().next().unwrap().to_string();
    run_openpyxl(
        script,
        &[
            at.to_str().unwrap(),
            responses
                .join("AT_AHQ_2010.12_Migration_Partnerships_v2.xlsx")
                .to_str()
                .unwrap(),
            &first_word,
            "AUSTRIANCORRECTION",
        ],
    );
    let mt = responses.join("MT.xlsx");
    let spec = serde_json::json!({
        "path": mt,
        "rows": [["Country", "Malta"], ["Wider dissemination", "Yes"], ["1", "No."], ["2", "None."]],
    });
    run_openpyxl(include_str!("tools/reply.py"), &[spec.to_string().as_str()]);
    // status tells what came after the compilation went out.
    let r = support::run(&["status".into(), q.to_str().unwrap().into()]);
    let after = r
        .stdout
        .lines()
        .find(|l| l.starts_with("received after the last compilation (2010-10-08): "))
        .unwrap_or_else(|| panic!("{}", r.stdout))
        .to_string();
    assert!(after.contains("MT.xlsx (Malta)"), "{after}");
    assert!(after.contains("Belgium reply v2.xlsx (Belgium)"), "{after}");
    let run = support::run(&[
        "compile".into(),
        q.to_str().unwrap().into(),
        "--date".into(),
        "2010-10-20".into(),
    ]);
    run.status(0)
        .stdout_has("an updated compilation: adds the response of Malta");
    (dir, first, out)
}

#[test]
fn an_updated_compilation_says_what_changed_on_its_cover_in_a_changes_sheet_and_its_manifest() {
    let (_dir, first, out) = updated();
    let cover = |book: &str| sheet(&out.join(book), "Cover").concat().join("\n");
    let full = cover("compilation-full.xlsx");
    assert!(
        full.contains("Updated compilation produced on 20th October 2010: adds the response of Malta; Austria's response corrected; Belgium's response corrected"),
        "{full}"
    );
    // The wider cover: nothing of the restricted Austrian change.
    let wider = cover("compilation-wider.xlsx");
    assert!(
        wider.contains("Updated compilation produced on 20th October 2010: adds the response of Malta; Belgium's response corrected"),
        "{wider}"
    );
    assert!(!wider.contains("Austria's response corrected"), "{wider}");
    let changes = sheet(&out.join("compilation-full.xlsx"), "Changes");
    assert_eq!(
        changes[0][0],
        "Changes since the compilation of 8th October 2010"
    );
    assert!(
        changes
            .iter()
            .any(|r| r[0] == "Malta" && r[1] == "adds the response of Malta"),
        "{changes:#?}"
    );
    assert!(
        changes.iter().any(|r| r[0] == "Belgium"
            && r[1] == "Belgium's response corrected (questions changed: 2; Belgium reply v2.xlsx in place of Belgium reply.xlsx)"),
        "{changes:#?}"
    );
    assert!(changes.iter().any(|r| r[0] == "Austria"), "{changes:#?}");
    let wider_changes = sheet(&out.join("compilation-wider.xlsx"), "Changes");
    assert!(
        !wider_changes.iter().any(|r| r[0] == "Austria"),
        "{wider_changes:#?}"
    );
    assert!(
        wider_changes
            .iter()
            .any(|r| r[1] == "Belgium's response corrected (questions changed: 2)"),
        "{wider_changes:#?}"
    );
    assert!(in_wider(&out, "AUSTRIANCORRECTION").is_empty());
    assert!(
        in_wider(&out, "v2.xlsx").is_empty(),
        "file names are the members' business"
    );
    // The Markdown and Word compilations have the section too.
    let md = std::fs::read_to_string(out.join("compilation-full.md")).unwrap();
    assert!(
        md.contains("## Changes since the compilation of 8th October 2010"),
        "{md}"
    );
    assert!(
        !support::occurrences(
            &out.join("compilation-wider.docx"),
            "Changes since the compilation of 8th October 2010"
        )
        .is_empty()
    );
    // The manifest keeps the earlier manifest's hash, and the changes.
    let m = json(&out.join("manifest.json"));
    let earlier = std::fs::read(first.join("manifest.json")).unwrap();
    assert_eq!(
        m["update"]["previous_manifest_sha256"],
        ahq::validate::sha256_hex(&earlier)
    );
    assert_eq!(m["update"]["since"], "2010-10-08");
    assert_eq!(m["update"]["changes"].as_array().unwrap().len(), 3, "{m:#}");
    // Compiling again with nothing new gives the same files.
    let before = std::fs::read(out.join("compilation-wider.xlsx")).unwrap();
    let run = support::run(&[
        "compile".into(),
        out.parent().unwrap().to_str().unwrap().into(),
        "--date".into(),
        "2010-10-20".into(),
    ]);
    run.status(0);
    assert_eq!(
        std::fs::read(out.join("compilation-wider.xlsx")).unwrap(),
        before
    );
}

#[test]
fn ahq_diff_says_the_changes_between_two_compilations_for_people_and_scripts() {
    let (_dir, first, out) = updated();
    let args = |more: &[&str]| {
        let mut a: Vec<String> = vec![
            "diff".into(),
            first.to_str().unwrap().into(),
            out.to_str().unwrap().into(),
        ];
        a.extend(more.iter().map(|s| s.to_string()));
        a
    };
    let r = support::run(&args(&[]));
    r.status(0)
        .stdout_has("(2010-10-08, 18 responses) to ")
        .stdout_has("(2010-10-20, 19 responses):")
        .stdout_has("  adds the response of Malta")
        .stdout_has("  Belgium's response corrected (questions changed: 2; Belgium reply v2.xlsx in place of Belgium reply.xlsx)")
        .stdout_has("3 changes");
    let r = support::run(&args(&["--format", "json"]));
    r.status(0);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["old"]["compiled_on"], "2010-10-08");
    assert_eq!(v["new"]["responses"], 19);
    let kinds: Vec<&str> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["corrected", "corrected", "added"], "{v:#}");
    // records.json given directly reads the same.
    let r = support::run(&[
        "diff".into(),
        first.join("records.json").to_str().unwrap().into(),
        out.join("records.json").to_str().unwrap().into(),
    ]);
    r.status(0).stdout_has("3 changes");
    // A folder that is no compilation is named, with what to give.
    let r = support::run(&[
        "diff".into(),
        first
            .parent()
            .unwrap()
            .join("responses")
            .to_str()
            .unwrap()
            .into(),
        out.to_str().unwrap().into(),
    ]);
    r.status(2).stderr_has("holds no records.json");
}

#[test]
fn a_reply_held_back_before_that_comes_back_as_yes_stops_the_update_until_confirmed() {
    let case = Case::new();
    let old = reply(
        &case,
        "BE.xlsx",
        &belgium("No", "Yes, HELDBACK."),
        SAVED,
        DAY,
    );
    let (run, out) = compile(&case);
    run.status(0);
    // The earlier file taken out of responses/, a Yes put in its place.
    std::fs::remove_file(old).unwrap();
    reply(
        &case,
        "BE_new.xlsx",
        &belgium("Yes", "Yes, with Morocco."),
        SAVED,
        DAY,
    );
    let before = std::fs::read(out.join("compilation-wider.xlsx")).unwrap();
    let (run, _) = compile(&case);
    run.status(1)
        .stderr_has("Belgium's reply was not for wider dissemination in the earlier compilation of 2010-10-08 (its flag: No) and this one says Yes")
        .stderr_has("files.\"BE_new.xlsx\".flag = \"Yes\"");
    assert_eq!(
        std::fs::read(out.join("compilation-wider.xlsx")).unwrap(),
        before
    );
    decide(&case, "files.\"BE_new.xlsx\".flag = \"Yes\"\n");
    let (run, out) = compile(&case);
    run.status(0);
    assert_eq!(
        row(&out, "compilation-wider.xlsx", "Belgium")[2],
        "Yes, with Morocco."
    );
    assert!(in_wider(&out, "HELDBACK").is_empty());
}

#[test]
fn a_file_named_as_a_country_s_that_cannot_be_read_stops_its_other_reply_until_decided() {
    let case = Case::new()
        .file("EE_v2.xlsx", b"not a workbook at all")
        .xlsx(
            "EE.xlsx",
            &[(
                "Response",
                &[
                    &["Country", "Estonia"],
                    &["Wider dissemination", "Yes"],
                    &["1", "Yes."],
                ],
            )],
        );
    let (run, _) = compile(&case);
    run.status(1)
        .stderr_has("EE_v2.xlsx is named as this country's too, but its country could not be read")
        .stderr_has("countries.EE.compile = \"EE.xlsx\"");
    decide(&case, "countries.EE.compile = \"EE.xlsx\"\n");
    let (run, out) = case.compile_with(&["--date", "2010-10-08", "--skip-invalid"]);
    run.status(0).stderr_has("EE_v2.xlsx: not compiled");
    assert_eq!(row(&out, "compilation-wider.xlsx", "Estonia")[2], "Yes.");
}
