//! Issue "part 12", point 9: prove that reading generalises. Hundreds of
//! responses are composed from independent random choices by
//! `tests/tools/generate_responses.py` (format, orientation, question
//! labels, the language of the country and flag labels, how the country
//! and the flag are written, titles, offsets, decoy sheets, split answers,
//! label and value in one cell, restriction wording and where it stands),
//! each written by a real writer (openpyxl, python-docx, Python's csv, and
//! with LibreOffice ods and xls), with the truth about each. The real `ahq`
//! validates and compiles them with `--skip-invalid`, and the outputs are
//! held against the truth:
//!
//! - (a) no marker of a restricted response is in any wider output (every
//!   part of the workbooks and documents searched byte by byte);
//! - (b) no response is compiled with a wrong country, flag or answer (a
//!   file stopped with an error is allowed);
//! - (c) the share compiled with everything right, and the share compiled
//!   right or stopped for restriction wording against a Yes or a blank flag
//!   (as the tool means to), are printed and held to floors measured on the
//!   reading code of the day (the aim is 95%).
//!
//! The responses go into batches of query folders, one file per country in
//! each (two files for one country would be an error across files), all
//! compiled by one `ahq compile Q1 Q2 … -o OUT --skip-invalid`. The run
//! prints, per choice and value, how many responses were compiled right,
//! stopped, compiled wrong and leaked, and the errors that stopped them.
//!
//! Seeded and deterministic. `AHQ_GENERATOR_KEEP=/some/new/folder` keeps the
//! corpus, the outputs and `outcomes.json` (each response's outcome with its
//! choices) there.

mod support;

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SEED: u64 = 20_100_726;
const RESPONSES: usize = 500;

/// The share of responses compiled with everything right (country, flag,
/// every answer), at least. Measured on part 12's reading: 81.8% (409 of
/// 500; seed 20100726, no LibreOffice); 65.6% before it. Restriction
/// wording against a flag of Yes or a blank one (89 of the 500) is stopped
/// by design, so this share cannot pass 82.2% with this corpus; the next
/// floor counts those.
const FLOOR_RIGHT: f64 = 0.81;

/// The share compiled right, or stopped where restriction wording
/// contradicts a flag of Yes or a blank one with an error that says so,
/// at least (the aim is 95%). Measured with the floor above: 99.4% (497 of
/// 500); 78.4% before part 12.
const FLOOR_RIGHT_OR_RIGHTLY_STOPPED: f64 = 0.99;

/// The same with ods and xls (converted by LibreOffice) among the formats,
/// measured at the same time: 84.8% (424) and 99.4% (497).
const FLOOR_RIGHT_LIBREOFFICE: f64 = 0.84;
const FLOOR_RIGHT_OR_RIGHTLY_STOPPED_LIBREOFFICE: f64 = 0.99;

#[test]
fn generated_responses_are_compiled_right_or_stopped_and_never_leak() {
    corpus(false, FLOOR_RIGHT, FLOOR_RIGHT_OR_RIGHTLY_STOPPED);
}

#[test]
#[ignore = "needs LibreOffice (ods and xls); run with --ignored"]
fn generated_responses_with_ods_and_xls_are_compiled_right_or_stopped_and_never_leak() {
    corpus(
        true,
        FLOOR_RIGHT_LIBREOFFICE,
        FLOOR_RIGHT_OR_RIGHTLY_STOPPED_LIBREOFFICE,
    );
}

/// What became of one response.
#[derive(Debug, Default)]
struct Outcome {
    /// Compiled with the right country, flag and answers.
    right: bool,
    /// Not compiled: the errors that stopped it.
    stopped: Option<Vec<String>>,
    /// What was wrong in what was compiled, or leaked ("wrong country", …).
    faults: Vec<String>,
    /// What was read, for the report.
    read: String,
}

fn corpus(libreoffice: bool, floor_right: f64, floor_right_or_stopped: f64) {
    let started = Instant::now();
    let (_tmp, work) = work_dir(libreoffice);
    generate(&work, libreoffice);
    if libreoffice {
        convert_with_libreoffice(&work);
    }
    let truth: Vec<Value> =
        serde_json::from_slice(&std::fs::read(work.join("truth.json")).unwrap()).unwrap();
    assert_eq!(truth.len(), RESPONSES);
    let batches: BTreeSet<String> = truth
        .iter()
        .map(|t| t["batch"].as_str().unwrap().to_string())
        .collect();
    for b in &batches {
        std::fs::write(work.join(b).join("query.toml"), support::QUERY).unwrap();
    }
    let generated = started.elapsed();

    // What validate says of each file, by batch and file.
    let mut validated: BTreeMap<(String, String), Value> = BTreeMap::new();
    for b in &batches {
        let dir = work.join(b);
        let r = support::run(&[
            "validate".into(),
            dir.to_str().unwrap().into(),
            "--format".into(),
            "json".into(),
        ]);
        assert!(r.code == 0 || r.code == 1, "validate {b}: {}", r.stderr);
        for f in &support::json_list(&r.stdout, "files") {
            let name = f["file"].as_str().unwrap().to_string();
            validated.insert((b.clone(), name), f.clone());
        }
    }

    // One compile of every batch, the files with errors left out.
    let out = work.join("compiled");
    let mut args: Vec<String> = vec!["compile".into()];
    args.extend(
        batches
            .iter()
            .map(|b| work.join(b).to_str().unwrap().to_string()),
    );
    args.extend(
        [
            "-o",
            out.to_str().unwrap(),
            "--skip-invalid",
            "--date",
            "2010-10-08",
            "-q",
        ]
        .map(String::from),
    );
    let r = support::run(&args);
    assert!(
        r.code == 0 || r.code == 1,
        "compile: status {}\n{}\n{}",
        r.code,
        r.stdout,
        r.stderr
    );
    let ran = started.elapsed() - generated;

    // The records compiled, and what the manifest says of each file.
    let mut records: BTreeMap<(String, String), Vec<Value>> = BTreeMap::new();
    let mut manifest: BTreeMap<(String, String), Value> = BTreeMap::new();
    for b in &batches {
        let dir = out.join(b);
        assert!(
            dir.join("records.json").is_file(),
            "batch {b} was not compiled at all:\n{}",
            r.stderr
        );
        let recs: Value =
            serde_json::from_slice(&std::fs::read(dir.join("records.json")).unwrap()).unwrap();
        for rec in recs.as_array().unwrap() {
            let file = rec["file"].as_str().unwrap().to_string();
            records
                .entry((b.clone(), file))
                .or_default()
                .push(rec.clone());
        }
        let man: Value =
            serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
        for f in man["files"].as_array().unwrap() {
            let path = f["path"].as_str().unwrap();
            let file = path.strip_prefix("responses/").unwrap_or(path).to_string();
            manifest.insert((b.clone(), file), f.clone());
        }
    }

    // Every record compiled is of a file the generator wrote.
    let known: BTreeSet<(String, String)> = truth
        .iter()
        .map(|t| {
            (
                t["batch"].as_str().unwrap().to_string(),
                t["file"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let strays: Vec<&(String, String)> = records.keys().filter(|k| !known.contains(k)).collect();

    // (a) Which responses' markers each wider output holds.
    let leaked = markers_in_wider_outputs(&out);

    let mut outcomes: Vec<Outcome> = Vec::new();
    for t in &truth {
        let key = (
            t["batch"].as_str().unwrap().to_string(),
            t["file"].as_str().unwrap().to_string(),
        );
        let n = t["n"].as_u64().unwrap();
        let mut o = judge(
            t,
            records.get(&key),
            manifest.get(&key),
            validated.get(&key),
        );
        if let Some(places) = leaked.get(&n)
            && t["flag"] == "no"
        {
            o.faults.push("LEAK".into());
            o.right = false;
            o.read.push_str(&format!("; its markers are in {places:?}"));
        }
        outcomes.push(o);
    }

    // The report.
    let total = truth.len() as f64;
    let right = outcomes.iter().filter(|o| o.right).count();
    let rightly_stopped = truth
        .iter()
        .zip(&outcomes)
        .filter(|(t, o)| rightly_stopped(t, o))
        .count();
    let stopped = outcomes.iter().filter(|o| o.stopped.is_some()).count();
    let faulty: Vec<(&Value, &Outcome)> = truth
        .iter()
        .zip(&outcomes)
        .filter(|(_, o)| !o.faults.is_empty())
        .collect();
    let leaks = faulty
        .iter()
        .filter(|(_, o)| o.faults.iter().any(|f| f == "LEAK"))
        .count();
    let share_right = right as f64 / total;
    let share_ok = (right + rightly_stopped) as f64 / total;
    println!(
        "generator (seed {SEED}, {RESPONSES} responses{}): generated in {:.1?}, validated and compiled in {:.1?}",
        if libreoffice {
            ", with ods and xls"
        } else {
            ""
        },
        generated,
        ran
    );
    println!(
        "compiled right: {right} ({:.1}%); stopped with an error: {stopped} ({rightly_stopped} of them \
         restriction wording against Yes or blank: right or rightly stopped {:.1}%); compiled wrong: {} \
         ({leaks} leaking)",
        100.0 * share_right,
        100.0 * share_ok,
        faulty.len()
    );
    print_breakdown(&truth, &outcomes);
    print_stops(&truth, &outcomes);
    let report: Vec<Value> = truth
        .iter()
        .zip(&outcomes)
        .map(|(t, o)| {
            serde_json::json!({
                "n": t["n"], "path": t["path"], "file": t["file"], "truth_country": t["country"],
                "truth_flag": t["flag"], "contradiction": t["contradiction"],
                "right": o.right, "stopped": o.stopped, "faults": o.faults, "read": o.read,
                "choices": t["choices"],
            })
        })
        .collect();
    std::fs::write(
        work.join("outcomes.json"),
        serde_json::to_vec_pretty(&report).unwrap(),
    )
    .unwrap();

    let mut failures = Vec::new();
    if !strays.is_empty() {
        failures.push(format!(
            "(b) records compiled from files the generator did not write: {strays:?}"
        ));
    }
    if !faulty.is_empty() {
        let mut lines: Vec<String> = faulty
            .iter()
            .take(40)
            .map(|(t, o)| {
                format!(
                    "  {} [{}]: {}",
                    t["path"].as_str().unwrap(),
                    o.faults.join(", "),
                    o.read
                )
            })
            .collect();
        if faulty.len() > 40 {
            lines.push(format!("  … and {} more", faulty.len() - 40));
        }
        failures.push(format!(
            "(a, b) {} responses compiled wrong, {leaks} of them leaking restricted text into a wider output:\n{}",
            faulty.len(),
            lines.join("\n")
        ));
    }
    if share_right < floor_right {
        failures.push(format!(
            "(c) {:.1}% compiled right, under the floor of {:.1}%",
            100.0 * share_right,
            100.0 * floor_right
        ));
    }
    if share_ok < floor_right_or_stopped {
        failures.push(format!(
            "(c) {:.1}% compiled right or rightly stopped, under the floor of {:.1}%",
            100.0 * share_ok,
            100.0 * floor_right_or_stopped
        ));
    }
    assert!(
        failures.is_empty(),
        "{}\n(the corpus: {}; keep it with AHQ_GENERATOR_KEEP=/a/new/folder)",
        failures.join("\n"),
        work.display()
    );
}

/// Stopped as the tool means to stop it: restriction wording against a flag
/// of Yes or a blank one, and an error that says so ("… says 'CONFIDENTIAL'
/// but the flag is blank"). Stopped for anything else (a label not
/// understood) is not reading it right.
fn rightly_stopped(t: &Value, o: &Outcome) -> bool {
    t["contradiction"] == true
        && o.faults.is_empty()
        && o.stopped
            .as_ref()
            .is_some_and(|errors| errors.iter().any(|e| e.contains("but the flag")))
}

/// The folder to work in: a temporary one, or AHQ_GENERATOR_KEEP (which
/// must not exist yet) to keep everything.
fn work_dir(libreoffice: bool) -> (Option<tempfile::TempDir>, PathBuf) {
    match std::env::var_os("AHQ_GENERATOR_KEEP") {
        Some(dir) => {
            let dir = PathBuf::from(dir).join(if libreoffice { "libreoffice" } else { "plain" });
            assert!(
                !dir.exists(),
                "{} exists: AHQ_GENERATOR_KEEP must name a new folder",
                dir.display()
            );
            std::fs::create_dir_all(&dir).unwrap();
            (None, dir)
        }
        None => {
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path().to_path_buf();
            (Some(tmp), dir)
        }
    }
}

/// Runs the generator with openpyxl and python-docx importable (installed
/// with pip into the tests' own folder when missing).
fn generate(work: &Path, libreoffice: bool) {
    let openpyxl = support::python::openpyxl_path();
    support::python::run_with("docx", "python-docx==1.2.0", "import docx", &[]);
    let deps = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pydeps");
    let mut path = vec![deps];
    path.extend(openpyxl);
    if let Some(old) = std::env::var_os("PYTHONPATH") {
        path.extend(std::env::split_paths(&old));
    }
    let mut cmd = Command::new("python3");
    cmd.arg(support::repo("tests/tools/generate_responses.py"))
        .arg(SEED.to_string())
        .arg(RESPONSES.to_string())
        .arg(work)
        .env("PYTHONPATH", std::env::join_paths(path).unwrap())
        .env("PYTHONHASHSEED", "0");
    if libreoffice {
        cmd.arg("--libreoffice");
    }
    let out = cmd.output().expect("python3 runs");
    assert!(
        out.status.success(),
        "generate_responses.py failed:\n{}",
        support::show(&out)
    );
}

/// Converts the workbooks the generator left in convert/FMT/ with one
/// LibreOffice call per format, and moves each to where its truth says.
fn convert_with_libreoffice(work: &Path) {
    let soffice = support::libreoffice::soffice();
    let truth: Vec<Value> =
        serde_json::from_slice(&std::fs::read(work.join("truth.json")).unwrap()).unwrap();
    for format in ["ods", "xls"] {
        let src = work.join("convert").join(format);
        let Ok(list) = std::fs::read_dir(&src) else {
            continue;
        };
        let mut files: Vec<PathBuf> = list.map(|e| e.unwrap().path()).collect();
        files.sort();
        let outdir = work.join("convert").join(format!("{format}-out"));
        std::fs::create_dir_all(&outdir).unwrap();
        let profile = work.join("convert").join("profile");
        let mut child = Command::new(&soffice)
            .arg(format!("-env:UserInstallation={}", file_url(&profile)))
            .args([
                "--headless",
                "--norestore",
                "--convert-to",
                format,
                "--outdir",
            ])
            .arg(&outdir)
            .args(&files)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", soffice.display()));
        let start = Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            if start.elapsed() > Duration::from_secs(300) {
                let _ = child.kill();
                let _ = child.wait();
                panic!("soffice took more than 5 minutes to convert {format}");
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        assert!(status.success(), "soffice --convert-to {format}: {status}");
        for t in &truth {
            let c = &t["convert"];
            if c["format"] != format {
                continue;
            }
            let stem = Path::new(c["src"].as_str().unwrap()).file_stem().unwrap();
            let made = outdir.join(stem).with_extension(format);
            assert!(made.is_file(), "soffice made no {}", made.display());
            std::fs::rename(&made, work.join(c["dest"].as_str().unwrap())).unwrap();
        }
    }
}

/// A `file://` URL for an absolute path.
fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for b in path.to_str().expect("a UTF-8 path").bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

/// Text compared with every run of white space (line breaks too) as one space.
fn loose(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Holds what was compiled of one response against its truth.
fn judge(
    t: &Value,
    records: Option<&Vec<Value>>,
    manifest: Option<&Value>,
    validated: Option<&Value>,
) -> Outcome {
    let mut o = Outcome::default();
    let errors: Vec<String> = validated
        .map(|v| {
            v["errors"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["message"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default();
    let compiled = manifest.is_some_and(|m| m["outcome"] == "compiled");
    let records = records.map(Vec::as_slice).unwrap_or_default();
    if !compiled || records.is_empty() {
        if !records.is_empty() {
            o.faults.push("records of a file not compiled".into());
        }
        let mut why = errors;
        if let Some(reason) = manifest.and_then(|m| m["reason"].as_str())
            && why.is_empty()
        {
            why.push(reason.to_string());
        }
        if manifest.is_none() && validated.is_none() {
            o.faults
                .push("named nowhere: neither by validate nor in the manifest".into());
        }
        o.read = format!("stopped: {}", why.join(" | "));
        o.stopped = Some(why);
        return o;
    }
    if records.len() > 1 {
        o.faults.push(format!("{} records", records.len()));
    }
    let rec = &records[0];
    let country = rec["country"]["code"].as_str().unwrap_or("");
    let flag = rec["dissemination"]["value"].as_str().unwrap_or("");
    o.read = format!("read as {country}, flag {flag}");
    if country != t["country"].as_str().unwrap() {
        o.faults.push("wrong country".into());
        o.read.push_str(&format!(" (truth {})", t["country"]));
    }
    if flag != t["flag"].as_str().unwrap() {
        o.faults.push(if t["flag"] == "no" {
            "flag Yes for a restricted response".into()
        } else {
            "flag No for an open response".into()
        });
    }
    let mut got: BTreeMap<String, String> = BTreeMap::new();
    for a in rec["answers"].as_array().unwrap() {
        let text = if a.get("together_with").is_some_and(|w| !w.is_null()) {
            format!("(together with {})", a["together_with"])
        } else {
            loose(a["text"].as_str().unwrap_or(""))
        };
        got.insert(a["question_id"].as_str().unwrap().to_string(), text);
    }
    let mut wrong = Vec::new();
    for (q, want) in t["answers"].as_object().unwrap() {
        let want = loose(want.as_str().unwrap());
        let have = got.get(q).cloned().unwrap_or_default();
        if have != want {
            wrong.push(q.clone());
            o.read.push_str(&format!(
                "; answer {q} {:?} (truth {:?})",
                cut(&have),
                cut(&want)
            ));
        }
    }
    if !wrong.is_empty() {
        o.faults.push(format!("wrong answer {}", wrong.join(",")));
    }
    o.right = o.faults.is_empty();
    o
}

fn cut(s: &str) -> String {
    cut_to(s, 60)
}

fn cut_to(s: &str, n: usize) -> String {
    if s.chars().count() > n {
        format!("{}…", s.chars().take(n).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Response number -> the wider outputs (and parts) that hold one of its
/// markers ("zq7k-0017-q3"): every file under `out` whose name says
/// "wider", and every part of those that are zips (xlsx, docx).
fn markers_in_wider_outputs(out: &Path) -> BTreeMap<u64, BTreeSet<String>> {
    let mut found: BTreeMap<u64, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![out.to_path_buf()];
    let mut searched = 0;
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if !name.contains("wider") {
                continue;
            }
            searched += 1;
            let bytes = std::fs::read(&p).unwrap();
            let place = p.strip_prefix(out).unwrap().display().to_string();
            let mut blobs = vec![(place.clone(), bytes.clone())];
            if bytes.starts_with(b"PK\x03\x04") {
                for (part, b) in support::zip_entries(&p) {
                    blobs.push((format!("{place}:{part}"), b));
                }
            }
            for (where_, blob) in blobs {
                for n in markers(&blob) {
                    found.entry(n).or_default().insert(where_.clone());
                }
            }
        }
    }
    assert!(searched > 0, "no wider output under {}", out.display());
    found
}

/// The response numbers of the markers in some bytes.
fn markers(hay: &[u8]) -> BTreeSet<u64> {
    const TAG: &[u8] = b"zq7k-";
    let mut out = BTreeSet::new();
    let mut i = 0;
    while i + TAG.len() + 4 <= hay.len() {
        if &hay[i..i + TAG.len()] == TAG {
            let digits = &hay[i + TAG.len()..i + TAG.len() + 4];
            if digits.iter().all(u8::is_ascii_digit) {
                out.insert(std::str::from_utf8(digits).unwrap().parse().unwrap());
            }
            i += TAG.len();
        } else {
            i += 1;
        }
    }
    out
}

/// For each choice and each of its values: how many responses, how many
/// compiled right, stopped, compiled wrong and leaking.
fn print_breakdown(truth: &[Value], outcomes: &[Outcome]) {
    #[derive(Default)]
    struct Tally {
        n: usize,
        right: usize,
        stopped: usize,
        wrong: usize,
        leak: usize,
    }
    let mut by: BTreeMap<(String, String), Tally> = BTreeMap::new();
    for (t, o) in truth.iter().zip(outcomes) {
        let mut keys: Vec<(String, String)> = t["choices"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| {
                let v = v
                    .as_str()
                    .map(String::from)
                    .unwrap_or_else(|| v.to_string());
                (k.clone(), v)
            })
            .collect();
        keys.push(("truth flag".into(), t["flag"].as_str().unwrap().into()));
        keys.push(("contradiction".into(), t["contradiction"].to_string()));
        for k in keys {
            let e = by.entry(k).or_default();
            e.n += 1;
            e.right += o.right as usize;
            e.stopped += o.stopped.is_some() as usize;
            e.wrong += !o.faults.is_empty() as usize;
            e.leak += o.faults.iter().any(|f| f == "LEAK") as usize;
        }
    }
    println!(
        "{:<22} {:<44} {:>4} {:>6} {:>7} {:>5} {:>4}",
        "choice", "value", "n", "right", "stopped", "wrong", "leak"
    );
    for ((k, v), e) in &by {
        println!(
            "{:<22} {:<44} {:>4} {:>5.0}% {:>7} {:>5} {:>4}",
            k,
            cut(v),
            e.n,
            100.0 * e.right as f64 / e.n as f64,
            e.stopped,
            e.wrong,
            e.leak
        );
    }
    let mut classes: BTreeMap<String, usize> = BTreeMap::new();
    for o in outcomes {
        for f in &o.faults {
            *classes.entry(f.clone()).or_default() += 1;
        }
    }
    println!("faults: {classes:?}");
}

/// The errors that stopped responses, grouped by their wording with the
/// quoted parts and cells left out, most frequent first; "restriction"
/// marks those stopped for restriction wording against Yes or blank.
fn print_stops(truth: &[Value], outcomes: &[Outcome]) {
    let mut by: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for (t, o) in truth.iter().zip(outcomes) {
        let Some(errors) = &o.stopped else { continue };
        let first = errors.first().map(String::as_str).unwrap_or("(no error)");
        let kind = if rightly_stopped(t, o) {
            "restriction"
        } else {
            "other"
        };
        let e = by
            .entry(format!("{kind}: {}", gist(first)))
            .or_insert((0, t["path"].as_str().unwrap().to_string()));
        e.0 += 1;
    }
    let mut list: Vec<_> = by.into_iter().collect();
    list.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(&b.0)));
    println!("stopped by:");
    for (gist, (n, example)) in list {
        println!("{n:>5}  {gist}  (e.g. {example})");
    }
}

/// A message with its quoted parts as "…" and its cell references as CELL,
/// cut to 100 characters.
fn gist(message: &str) -> String {
    // Quoted sheet names ('Table 1'!B2) first.
    let mut plain = String::new();
    let mut rest = message;
    while let Some(start) = rest.find('\'') {
        match rest[start + 1..].find("'!") {
            Some(len) if !rest[start + 1..start + 1 + len].contains('"') => {
                plain.push_str(&rest[..start]);
                rest = &rest[start + len + 3..];
            }
            _ => {
                plain.push_str(&rest[..=start]);
                rest = &rest[start + 1..];
            }
        }
    }
    plain.push_str(rest);
    let mut out = String::new();
    let mut quoted = false;
    for c in plain.chars() {
        if c == '"' {
            if !quoted {
                out.push_str("\"…\"");
            }
            quoted = !quoted;
        } else if !quoted {
            out.push(c);
        }
    }
    let words: Vec<String> = out
        .split(' ')
        .map(|w| {
            let core = w.trim_end_matches([':', ',', ';', '.', ')']);
            let cell = core.rsplit('!').next().unwrap_or(core);
            let letters = cell.chars().take_while(char::is_ascii_uppercase).count();
            let digits = cell[letters..].chars().all(|c| c.is_ascii_digit());
            if (1..=3).contains(&letters) && digits && cell.len() > letters {
                format!("CELL{}", &w[core.len()..])
            } else {
                w.to_string()
            }
        })
        .collect();
    cut_to(&words.join(" "), 100)
}
