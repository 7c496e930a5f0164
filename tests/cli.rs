//! A command-line citizen: output into a pipe whose reader goes away ends
//! quietly, a full disk under `> file` is one error, never a panic.

mod support;

use std::process::{Command, Stdio};
use support::{Case, repo};

fn ahq() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ahq"))
}

/// Every command that prints, with its arguments.
fn commands(case: &Case) -> Vec<Vec<String>> {
    let dir = case.dir().to_str().unwrap().to_string();
    let sample = repo("samples/migration-partnerships")
        .to_str()
        .unwrap()
        .to_string();
    let out = case.dir().join("out").to_str().unwrap().to_string();
    // A new query's folder goes outside any query folder (ahq new refuses
    // one inside): beside the case, in cargo's own temporary folder.
    let new = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!(
            "cli-new{}",
            case.dir().file_name().unwrap().to_string_lossy()
        ))
        .to_str()
        .unwrap()
        .to_string();
    vec![
        vec!["validate".into(), sample.clone()],
        vec!["validate".into(), sample.clone(), "-v".into()],
        vec![
            "validate".into(),
            sample.clone(),
            "--format".into(),
            "json".into(),
        ],
        vec!["status".into(), sample.clone()],
        vec![
            "status".into(),
            sample.clone(),
            "--format".into(),
            "json".into(),
        ],
        vec!["compile".into(), sample, "-o".into(), out],
        vec![
            "template".into(),
            dir.clone(),
            "-o".into(),
            format!("{dir}/t.xlsx"),
        ],
        vec!["new".into(), new],
        vec!["compile".into(), "--help".into()],
        vec!["--version".into()],
    ]
}

#[test]
fn a_reader_that_goes_away_ends_each_command_quietly() {
    let case = Case::new();
    for args in commands(&case) {
        // The reader is gone before a line is written, as after `| head -0`.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = ahq()
            .args(&args)
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
            "{args:?}: {stderr}"
        );
        assert_eq!(out.status.code(), Some(141), "{args:?}: {stderr}");
    }
}

#[test]
fn a_full_disk_under_stdout_is_one_error_and_a_failure() {
    let case = Case::new();
    for args in commands(&case) {
        let full = std::fs::File::options()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = ahq().args(&args).stdout(full).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        let errors: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("ahq: error:"))
            .collect();
        assert_eq!(errors.len(), 1, "{args:?}: {stderr}");
        assert!(
            errors[0].contains("cannot write to standard output: No space left on device"),
            "{args:?}: {stderr}"
        );
    }
}

/// The repository's helper programs, built beside `ahq` by `cargo test`.
fn example(name: &str) -> Command {
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_ahq"));
    let path = bin.parent().unwrap().join("examples").join(name);
    assert!(
        path.is_file(),
        "{} is not built: `cargo test` builds the examples (a filtered run may not: `cargo build --release --examples`)",
        path.display()
    );
    Command::new(path)
}

#[test]
fn each_example_prints_help_and_refuses_unknown_flags_writing_nothing() {
    for name in ["make-archive", "make-sample", "inflate-floor"] {
        let tmp = tempfile::tempdir().unwrap();
        let help = example(name)
            .arg("--help")
            .current_dir(tmp.path())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&help.stdout);
        assert!(help.status.success(), "{name} --help: {stdout}");
        assert!(stdout.contains("Usage:"), "{name} --help: {stdout}");
        let wrong = example(name)
            .args(["--bogus", "x"])
            .current_dir(tmp.path())
            .output()
            .unwrap();
        assert_eq!(wrong.status.code(), Some(2), "{name} --bogus");
        assert!(String::from_utf8_lossy(&wrong.stderr).contains("--bogus"));
        let written: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert!(written.is_empty(), "{name} wrote {written:?}");
    }
}

#[test]
fn the_scripts_print_help_and_refuse_unknown_arguments() {
    for script in ["benches/run.sh", "fuzz/run.sh"] {
        let path = repo(script);
        let help = Command::new("bash")
            .arg(&path)
            .arg("--help")
            .output()
            .unwrap();
        assert!(help.status.success(), "{script}");
        assert!(String::from_utf8_lossy(&help.stdout).starts_with("usage:"));
        let wrong = Command::new("bash")
            .arg(&path)
            .arg("--bogus")
            .output()
            .unwrap();
        assert_eq!(wrong.status.code(), Some(2), "{script}");
    }
}
