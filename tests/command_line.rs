//! The command line as users of ripgrep, cargo and xsv expect it (part 18):
//! colour on a terminal only, one documented JSON shape per command, advice
//! that names the folder meant, counts in words, and an interrupt that says
//! what was written.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use support::{Case, Run};

fn ahq_in(dir: &Path, args: &[&str]) -> Run {
    support::run_command(
        Command::new(env!("CARGO_BIN_EXE_ahq"))
            .current_dir(dir)
            .args(args)
            .env_remove("NO_COLOR"),
    )
}

/// A case with one file in error (no country), one good file.
fn with_an_error() -> Case {
    Case::new()
        .csv("BE.csv", &[&["Country", "Belgium"], &["1", "Yes"]])
        .csv("broken.csv", &[&["Country", "Atlantis"], &["1", "Yes"]])
}

const RED: &str = "\x1b[1;31merror\x1b[0m:";

// ---- colour ------------------------------------------------------------------

#[test]
fn errors_are_coloured_when_asked_and_never_in_a_pipe() {
    let case = with_an_error();
    let d = case.dir().to_str().unwrap();
    let piped = ahq_in(case.dir(), &["validate", d]);
    piped.status(1).stdout_has("error:");
    assert!(!piped.stdout.contains('\x1b'), "{}", piped.stdout);

    let forced = ahq_in(case.dir(), &["validate", d, "--color", "always"]);
    forced.status(1);
    assert!(forced.stdout.contains(RED), "{:?}", forced.stdout);
    // Only the severity word: the file's text is as it was.
    assert!(forced.stdout.contains("broken.csv: "), "{}", forced.stdout);

    // JSON is never coloured, even forced, even when a string in it reads
    // like a message ("see: error: none" in an answer).
    let quoting = Case::new().csv(
        "FR.csv",
        &[&["Country", "France"], &["1", "Oui, see: error: none"]],
    );
    let q = quoting.dir().to_str().unwrap();
    for cmd in ["validate", "status"] {
        let json = ahq_in(
            quoting.dir(),
            &[cmd, q, "--format", "json", "--color", "always"],
        );
        assert!(!json.stdout.contains('\x1b'), "{cmd}: {:?}", json.stdout);
        serde_json::from_str::<Value>(&json.stdout).unwrap();
    }
    assert!(
        ahq_in(quoting.dir(), &["validate", q, "--format", "json"])
            .stdout
            .contains("see: error: none")
    );

    let never = ahq_in(case.dir(), &["--color=never", "validate", d]);
    assert!(!never.stdout.contains('\x1b'), "{}", never.stdout);

    // The edge's own error line, and clap's messages, follow it too.
    let missing = ahq_in(
        case.dir(),
        &["compile", "no-such-query", "--color", "always"],
    );
    missing.status(2);
    assert!(
        missing.stderr.starts_with("ahq: \x1b[1;31merror"),
        "{:?}",
        missing.stderr
    );
    let unknown = ahq_in(case.dir(), &["--color", "always", "validate", "--bogus"]);
    unknown.status(2);
    assert!(unknown.stderr.contains('\x1b'), "{:?}", unknown.stderr);
    let unknown = ahq_in(case.dir(), &["validate", "--bogus"]);
    assert!(!unknown.stderr.contains('\x1b'), "{:?}", unknown.stderr);
}

/// Runs `ahq ARGS` on a pseudo-terminal (Python's pty), with `env` set;
/// what the terminal showed.
fn on_a_terminal(args: &[&str], env: &[(&str, &str)]) -> String {
    let script = "import os, pty, sys\n\
        out = bytearray()\n\
        def read(fd):\n    data = os.read(fd, 65536)\n    out.extend(data)\n    return data\n\
        pty.spawn(sys.argv[1:], read)\n\
        sys.stdout.buffer.write(bytes(out))\n";
    let mut cmd = Command::new("python3");
    cmd.arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_ahq"))
        .args(args)
        .env_remove("NO_COLOR")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("python3 runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_terminal_gets_colour_unless_no_color_is_set() {
    let case = with_an_error();
    let d = case.dir().to_str().unwrap();
    let shown = on_a_terminal(&["validate", d], &[]);
    assert!(shown.contains(RED), "{shown:?}");
    let shown = on_a_terminal(&["validate", d], &[("NO_COLOR", "1")]);
    assert!(shown.contains("error:"), "{shown:?}");
    assert!(!shown.contains('\x1b'), "{shown:?}");
    // An explicit --color always is obeyed over NO_COLOR, as ripgrep does.
    let shown = on_a_terminal(&["validate", d, "--color", "always"], &[("NO_COLOR", "1")]);
    assert!(shown.contains(RED), "{shown:?}");
}

// ---- JSON ----------------------------------------------------------------------

/// `stdout` checked against docs/json/COMMAND.schema.json.
fn valid_json(command: &str, stdout: &str) -> Value {
    let schema: Value = serde_json::from_slice(
        &std::fs::read(support::repo(&format!("docs/json/{command}.schema.json"))).unwrap(),
    )
    .unwrap();
    let v: Value =
        serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"));
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let errors: Vec<String> = validator
        .iter_errors(&v)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{command}: {errors:#?}\n{stdout}");
    v
}

#[test]
fn each_commands_json_has_its_documented_shape_and_totals() {
    let case = with_an_error().csv("BE second.csv", &[&["Country", "Belgium"], &["1", "No"]]);
    let d = case.dir().to_str().unwrap();

    let r = case.run(&["validate", d, "--format", "json"]);
    r.status(1);
    let v = valid_json("validate", &r.stdout);
    assert_eq!(v["files"].as_array().unwrap().len(), 3);
    assert_eq!(v["files"][0]["query"]["title"], "Migration Partnerships");
    // Two files of Belgium are one country; Atlantis is none.
    assert_eq!(v["summary"]["files"], 3);
    assert_eq!(v["summary"]["countries"], 1);
    assert!(v["summary"]["errors"].as_u64().unwrap() >= 3, "{v:#}");

    let r = case.run(&["status", d, "--format", "json"]);
    r.status(0);
    let v = valid_json("status", &r.stdout);
    let be = v["countries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["country"] == "BE")
        .unwrap();
    // Each file apart, never joined with a comma.
    let mut files: Vec<&str> = be["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    files.sort();
    assert_eq!(files, ["BE second.csv", "BE.csv"]);
    assert_eq!(v["summary"]["expected"], 26);
    assert_eq!(v["summary"]["invalid"], 1, "{v:#}");

    // Two queries: one compiled, one refused; what was written is said.
    let good = Case::new().csv("FR.csv", &[&["Country", "France"], &["1", "Oui"]]);
    let out = tempfile::tempdir().unwrap();
    let r = support::run(&[
        "compile".into(),
        good.dir().to_string_lossy().into_owned(),
        d.into(),
        "-o".into(),
        out.path().to_string_lossy().into_owned(),
        "--format".into(),
        "json".into(),
    ]);
    r.status(1);
    let v = valid_json("compile", &r.stdout);
    assert_eq!(v["summary"]["queries"], 2);
    assert_eq!(v["summary"]["compiled"], 1);
    assert_eq!(v["summary"]["refused"], 1);
    let compiled = &v["queries"][0];
    assert_eq!(compiled["result"], "compiled");
    let dir = PathBuf::from(compiled["out"].as_str().unwrap());
    let mut written: Vec<String> = compiled["written"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap().to_string())
        .collect();
    written.sort();
    let mut there = support::outputs(&dir);
    there.sort();
    assert_eq!(written, there, "said is what is there");
    assert_eq!(v["queries"][1]["result"], "refused");
    assert!(!out.path().join(case.dir().file_name().unwrap()).exists());
    // In JSON mode standard error is left for failures of the command itself.
    assert!(r.stderr.is_empty(), "{}", r.stderr);
}

// ---- advice for wrong places -------------------------------------------------

/// A folder of queries, `queries/2026.7`, in a temporary folder.
fn queries() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let q = root.path().join("queries").join("2026.7");
    std::fs::create_dir_all(q.join("responses")).unwrap();
    std::fs::write(q.join("query.toml"), support::QUERY).unwrap();
    std::fs::write(
        q.join("responses").join("BE.csv"),
        support::csv(&[&["Country", "Belgium"], &["1", "Yes"]], b';'),
    )
    .unwrap();
    root
}

#[test]
fn a_wrong_place_gets_advice_naming_the_query_folder_meant() {
    let root = queries();
    let at = |args: &[&str]| ahq_in(root.path(), args);
    // The folder of queries: not "ahq new queries".
    let r = at(&["compile", "queries"]);
    r.status(2).stderr_has("did you mean queries/2026.7?");
    assert!(!r.stderr.contains("ahq new"), "{}", r.stderr);
    // Its responses/ folder, and its query.toml.
    at(&["compile", "queries/2026.7/responses"])
        .status(2)
        .stderr_has("did you mean queries/2026.7?");
    let r = at(&["compile", "queries/2026.7/query.toml"]);
    r.status(2)
        .stderr_has("give the folder that holds query.toml: queries/2026.7");
    assert!(!r.stderr.contains("QUERY_FOLDER"), "{}", r.stderr);
    at(&["status", "queries/2026.7/responses/BE.csv"])
        .status(2)
        .stderr_has("it is in the query folder queries/2026.7");
    // A name a letter away.
    at(&["validate", "queries/2026.07"])
        .status(2)
        .stderr_has("did you mean queries/2026.7?");
    // ahq new given a query.toml, or a folder inside a query: no raw OS error.
    let r = at(&["new", "queries/2026.7/query.toml"]);
    r.status(2).stderr_has("give the folder to create");
    assert!(!r.stderr.contains("os error"), "{}", r.stderr);
    at(&["new", "queries/2026.7/responses/next"])
        .status(2)
        .stderr_has("is inside the query folder queries/2026.7");
    at(&["new", "queries"])
        .status(2)
        .stderr_has("a new query goes beside them");
    // A folder that is nothing yet is still offered `ahq new`.
    std::fs::create_dir(root.path().join("blank")).unwrap();
    at(&["compile", "blank"])
        .status(2)
        .stderr_has("`ahq new blank`");
}

// ---- counts and words ----------------------------------------------------------

#[test]
fn counts_are_of_countries_and_in_words_and_a_folder_keeps_its_name() {
    let root = tempfile::tempdir().unwrap();
    let q = root.path().join("q4");
    std::fs::create_dir_all(q.join("responses")).unwrap();
    std::fs::write(q.join("query.toml"), support::QUERY).unwrap();
    let put = |name: &str, country: &str| {
        std::fs::write(
            q.join("responses").join(name),
            support::csv(&[&["Country", country], &["1", "Yes"]], b';'),
        )
        .unwrap()
    };
    for (f, c) in [
        ("BE.csv", "Belgium"),
        ("BE again.csv", "Belgium"),
        ("FR.csv", "France"),
        ("DE.csv", "Germany"),
        ("IT.csv", "Italy"),
        ("ES.csv", "Spain"),
    ] {
        put(f, c);
    }
    let r = ahq_in(root.path(), &["validate", "q4"]);
    r.status(1).stdout_has("6 files, 5 countries");
    let r = ahq_in(root.path(), &["compile", "q4", "--skip-invalid"]);
    r.status(0)
        .stdout_has("q4: 4 responses")
        .stdout_has("; 2 files not compiled");
    for text in [&r.stdout, &r.stderr] {
        assert!(!text.contains("(s)"), "{text}");
    }
    let r = ahq_in(
        root.path(),
        &["compile", "q4", "q4", "-o", "elsewhere", "--skip-invalid"],
    );
    r.status(2).stderr_has("the same folder");
    // One of each: singular.
    std::fs::remove_file(q.join("responses").join("BE again.csv")).unwrap();
    for f in ["FR.csv", "DE.csv", "IT.csv", "ES.csv"] {
        std::fs::remove_file(q.join("responses").join(f)).unwrap();
    }
    ahq_in(root.path(), &["validate", "q4"])
        .status(0)
        .stdout_has("1 file, 1 country: 1 for wider dissemination, 0 not; 0 errors, 4 warnings");
    ahq_in(root.path(), &["compile", "q4"])
        .status(0)
        .stdout_has("q4: 1 response, ");
}

// ---- quiet, several queries, the help ----------------------------------------------

#[test]
fn validate_and_status_take_several_queries_and_quiet() {
    let bad = with_an_error();
    let good = Case::new().csv("FR.csv", &[&["Country", "France"], &["1", "Oui"]]);
    let (b, g) = (
        bad.dir().to_string_lossy().into_owned(),
        good.dir().to_string_lossy().into_owned(),
    );
    let r = support::run(&["validate".into(), g.clone(), b.clone()]);
    r.status(1).stdout_has("FR.csv").stdout_has("broken.csv");
    let r = support::run(&["validate".into(), "-q".into(), g.clone(), b.clone()]);
    r.status(1);
    assert!(
        r.stdout.lines().all(|l| l.contains(": error: ")),
        "only errors: {}",
        r.stdout
    );
    assert!(r.stdout.contains("broken.csv"), "{}", r.stdout);
    let r = support::run(&["status".into(), g.clone(), b.clone()]);
    r.status(0)
        .stdout_has(&format!("{g}: Migration Partnerships"))
        .stdout_has(&format!("{b}: Migration Partnerships"));
    assert_eq!(r.stdout.matches("26 expected").count(), 2, "{}", r.stdout);
    let r = support::run(&["status".into(), "-q".into(), g, b]);
    r.status(0);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(r.stderr.contains("broken.csv: error:"), "{}", r.stderr);
}

#[test]
fn the_limits_come_after_the_options_people_use() {
    for cmd in ["validate", "compile", "status"] {
        let r = support::run(&[cmd.into(), "--help".into()]);
        r.status(0);
        let limits = r
            .stdout
            .find("\nLimits")
            .unwrap_or_else(|| panic!("{cmd}: {}", r.stdout));
        let first_max = r.stdout.find("--max-").unwrap();
        assert!(first_max > limits, "{cmd}: a limit before the heading");
        for option in ["--format", "--color", "--quiet"] {
            let at = r
                .stdout
                .find(option)
                .unwrap_or_else(|| panic!("{cmd} {option}"));
            assert!(at < limits, "{cmd}: {option} after the limits");
        }
    }
}

// ---- Ctrl-C ------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn an_interrupted_compile_says_which_queries_were_written() {
    let root = tempfile::tempdir().unwrap();
    let sample = support::copy_sample();
    let n = 40;
    let mut dirs = Vec::new();
    for i in 0..n {
        let d = root.path().join(format!("q{i:02}"));
        std::fs::create_dir_all(d.join("responses")).unwrap();
        std::fs::copy(sample.path().join("query.toml"), d.join("query.toml")).unwrap();
        for e in std::fs::read_dir(sample.path().join("responses")).unwrap() {
            let p = e.unwrap().path();
            std::fs::copy(&p, d.join("responses").join(p.file_name().unwrap())).unwrap();
        }
        dirs.push(d);
    }
    let child = Command::new(env!("CARGO_BIN_EXE_ahq"))
        .current_dir(root.path())
        .arg("compile")
        .args((0..n).map(|i| format!("q{i:02}")))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let written = |d: &PathBuf| d.join("compiled").join("manifest.json").is_file();
    // Once the first query is written, and before the last is.
    let start = std::time::Instant::now();
    while !dirs.iter().any(written) {
        assert!(
            start.elapsed().as_secs() < 300,
            "nothing written in 5 minutes"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    // SAFETY: a signal to our own child, whose id we hold.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let done = dirs.iter().filter(|d| written(d)).count();
    if done == n {
        // Finished before the signal landed: nothing to say, and said nothing.
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        return;
    }
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    let line = stderr
        .lines()
        .find(|l| l.starts_with("ahq: interrupted: "))
        .unwrap_or_else(|| panic!("no line: {stderr}"));
    assert!(
        line.contains(&format!("{done} of {n} queries written")),
        "{line} ({done} written)"
    );
    assert!(
        line.ends_with(&format!(
            "the other {} are as they were before this run",
            n - done
        )) || (n - done == 1 && line.ends_with("the other one is as it was before this run")),
        "{line}"
    );
    // Those it names are written; none it leaves out is.
    for d in &dirs {
        let name = d.file_name().unwrap().to_string_lossy().into_owned();
        if done <= 10 {
            assert_eq!(line.contains(&name), written(d), "{name}: {line}");
        }
        // No half-written set anywhere.
        assert!(
            !d.join("compiled").exists() || written(d),
            "{name}: a compiled/ without its manifest"
        );
    }
}

// ---- compile --formats ---------------------------------------------------------

#[test]
fn compile_writes_only_the_formats_asked_and_the_manifest_names_them() {
    let case = Case::new().csv("FR.csv", &[&["Country", "France"], &["1", "Oui"]]);
    let (run, out) = case.compile_with(&["--formats", "xlsx,json"]);
    run.status(0);
    let mut there = support::outputs(&out);
    there.sort();
    assert_eq!(
        there,
        [
            "compilation-full.xlsx",
            "compilation-wider.xlsx",
            "manifest.json",
            "records.json"
        ]
    );
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let mut named: Vec<&str> = manifest["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["file"].as_str().unwrap())
        .collect();
    named.sort();
    assert_eq!(
        named,
        there[..2]
            .iter()
            .chain(&there[3..])
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
    );
    // The default is every format; compiled over a set without records.json,
    // it says it cannot tell what changed.
    // Fewer formats over more: no earlier output stays beside a manifest
    // that does not name it (a stale wider workbook could hold a reply since
    // flagged No), whether the folder is swapped whole or, holding a file of
    // someone else's, written file by file.
    case.compile_with(&["--formats", "md"]).0.status(0);
    let mut there = support::outputs(&out);
    there.sort();
    assert_eq!(
        there,
        [
            "compilation-full.md",
            "compilation-wider.md",
            "manifest.json"
        ]
    );
    case.compile_with(&["--formats", "xlsx,json"]).0.status(0);
    std::fs::write(out.join("notes.txt"), "the coordinator's own").unwrap();
    case.compile_with(&["--formats", "md"]).0.status(0);
    let mut there = support::outputs(&out);
    there.sort();
    assert_eq!(
        there,
        [
            "compilation-full.md",
            "compilation-wider.md",
            "manifest.json",
            "notes.txt"
        ]
    );
    std::fs::remove_file(out.join("notes.txt")).unwrap();
    let (run, out) = case.compile_with(&[]);
    run.status(0)
        .stderr_has("written without records.json (--formats without json)");
    assert_eq!(
        support::outputs(&out).len(),
        14,
        "{:?}",
        support::outputs(&out)
    );
    // Mistakes are said before anything is read.
    case.run(&["compile", "{dir}", "--formats", "xlsx,pfd"])
        .status(2)
        .stderr_has("\"pfd\" is not an output format: give some of xlsx, docx, md, csv, json");
    case.run(&["compile", "{dir}", "--formats", "xlsx", "--pdf"])
        .status(2)
        .stderr_has("add docx to --formats");
}
