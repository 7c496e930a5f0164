//! Integration-test builder: a query folder in a temporary directory, response
//! files built in code as real spreadsheets, and the real `ahq` binary run on it.
//!
//! ```ignore
//! Case::new()
//!     .xlsx("BE.xlsx", &[("Response", &[&["Country", "Belgium"], &["1", "Yes"]])])
//!     .run(&["validate", "{dir}"])
//!     .status(0);
//! ```
#![allow(dead_code)]

pub mod libreoffice;
pub mod python;

use rust_xlsxwriter::Workbook;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A query like the shipped sample's, with four questions.
pub const QUERY: &str = r#"
title = "Migration Partnerships"
reference = "2010.12"
requested_by = "AT"
requested_on = 2010-07-26
deadline = 2010-08-31

[[questions]]
id = "1"
text = "Do you currently or in the past have/had a Migration Partnership with a third country?"
type = "yes-no"

[[questions]]
id = "2"
text = "If yes which third countries are/were involved?"
type = "countries"

[[questions]]
id = "3"
text = "Which areas of focus are/were covered by the Migration Partnership?"
type = "text"

[[questions]]
id = "4"
text = "What are/were your experiences (positive and negative) with Migration Partnerships?"
type = "text"
"#;

pub type Rows<'a> = &'a [&'a [&'a str]];

pub struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    pub fn new() -> Case {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("query.toml"), QUERY).unwrap();
        std::fs::create_dir(dir.path().join("responses")).unwrap();
        Case { dir }
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn query(self, toml: &str) -> Case {
        std::fs::write(self.dir.path().join("query.toml"), toml).unwrap();
        self
    }

    /// A file in responses/ with these bytes.
    pub fn file(self, name: &str, bytes: impl AsRef<[u8]>) -> Case {
        std::fs::write(self.dir.path().join("responses").join(name), bytes).unwrap();
        self
    }

    /// An xlsx in responses/: one sheet per (name, rows); "" cells stay empty.
    pub fn xlsx(self, name: &str, sheets: &[(&str, Rows)]) -> Case {
        let bytes = xlsx(sheets, |_| {});
        self.file(name, bytes)
    }

    /// A CSV in responses/, `;`-separated, quoted where needed.
    pub fn csv(self, name: &str, rows: Rows) -> Case {
        self.file(name, csv(rows, b';'))
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let dir = self.dir.path().to_str().unwrap();
        let args: Vec<String> = args.iter().map(|a| a.replace("{dir}", dir)).collect();
        run(&args)
    }

    /// `ahq template DIR --country COUNTRY -o OUT`, however it ends (`OUT`
    /// may hold `{dir}`).
    pub fn template(&self, country: &str, out: &str) -> Run {
        self.run(&["template", "{dir}", "--country", country, "-o", out])
    }

    /// `ahq compile DIR -o DIR/out EXTRA...`, which must succeed; the output folder.
    pub fn compile(&self, extra: &[&str]) -> PathBuf {
        let (run, out) = self.compile_with(extra);
        run.status(0);
        out
    }

    /// `ahq compile DIR -o DIR/out EXTRA...`, however it ends; the output folder.
    pub fn compile_with(&self, extra: &[&str]) -> (Run, PathBuf) {
        let out = self.dir.path().join("out");
        let mut args = vec!["compile", "{dir}", "-o", out.to_str().unwrap()];
        args.extend(extra);
        (self.run(&args), out)
    }

    /// `ahq validate DIR --format json`, its files.
    pub fn json(&self) -> (i32, Vec<Value>) {
        let r = self.run(&["validate", "{dir}", "--format", "json"]);
        (r.code, json_list(&r.stdout, "files"))
    }
}

/// The list `key` of a command's JSON output (`files` of validate,
/// `countries` of status), its schema version checked.
pub fn json_list(stdout: &str, key: &str) -> Vec<Value> {
    let v: Value =
        serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"));
    assert_eq!(v["schema_version"], 1, "{stdout}");
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("no \"{key}\" list: {stdout}"))
        .clone()
}

pub fn run(args: &[String]) -> Run {
    run_command(Command::new(env!("CARGO_BIN_EXE_ahq")).args(args))
}

/// Runs a command made ready (a working folder, the environment), as [`run`].
pub fn run_command(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("run ahq");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `ahq ARGS` under a 2 GiB address-space limit (`ulimit -v`) and a
/// time limit, failing the test on a hang. `code` is -1 when a signal ended it.
pub fn run_bounded(args: &[&str], limit: std::time::Duration) -> Run {
    use std::io::Read;
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 2097152; exec \"$@\"")
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_ahq"))
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run ahq under sh");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let readers = (
        std::thread::spawn(move || {
            let mut s = Vec::new();
            out.read_to_end(&mut s).unwrap();
            s
        }),
        std::thread::spawn(move || {
            let mut s = Vec::new();
            err.read_to_end(&mut s).unwrap();
            s
        }),
    );
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("ahq {args:?} took more than {limit:?}: a hang");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&readers.0.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&readers.1.join().unwrap()).into_owned(),
    }
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn status(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "exit status\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
    pub fn stdout_has(&self, s: &str) -> &Run {
        assert!(
            self.stdout.contains(s),
            "stdout lacks {s:?}:\n{}",
            self.stdout
        );
        self
    }
    pub fn stderr_has(&self, s: &str) -> &Run {
        assert!(
            self.stderr.contains(s),
            "stderr lacks {s:?}:\n{}",
            self.stderr
        );
        self
    }
}

/// A finished command's status and output, for a failing test's message.
pub fn show(out: &std::process::Output) -> String {
    format!(
        "status {}\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Builds xlsx bytes; `more` may change the workbook before it is saved.
pub fn xlsx(sheets: &[(&str, Rows)], more: impl FnOnce(&mut Workbook)) -> Vec<u8> {
    let mut wb = Workbook::new();
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                if !text.is_empty() {
                    ws.write_string(r as u32, c as u16, *text).unwrap();
                }
            }
        }
    }
    more(&mut wb);
    wb.save_to_buffer().unwrap()
}

pub fn csv(rows: Rows, delimiter: u8) -> Vec<u8> {
    let mut w = ::csv::WriterBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_writer(Vec::new());
    for row in rows {
        w.write_record(*row).unwrap();
    }
    w.into_inner().unwrap()
}

/// Messages of one severity ("errors", "warnings", "infos") of a file object.
pub fn messages(file: &Value, severity: &str) -> Vec<(String, Option<String>)> {
    file[severity]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["message"].as_str().unwrap().to_string(),
                f["location"].as_str().map(String::from),
            )
        })
        .collect()
}

pub fn has_message(file: &Value, severity: &str, needle: &str) -> bool {
    messages(file, severity)
        .iter()
        .any(|(m, _)| m.contains(needle))
}

/// The shipped sample (query.toml and responses/) copied into a temporary folder.
pub fn copy_sample() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = repo("samples/migration-partnerships");
    std::fs::copy(src.join("query.toml"), dir.path().join("query.toml")).unwrap();
    std::fs::create_dir(dir.path().join("responses")).unwrap();
    for e in std::fs::read_dir(src.join("responses")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(
            &p,
            dir.path().join("responses").join(p.file_name().unwrap()),
        )
        .unwrap();
    }
    dir
}

pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// A sheet of a workbook as calamine reads it: rows of display texts, from A1.
pub fn sheet(path: &Path, name: &str) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut wb = calamine::open_workbook_auto(path)
        .unwrap_or_else(|e| panic!("{}: not a workbook calamine opens: {e}", path.display()));
    let range = wb
        .worksheet_range(name)
        .unwrap_or_else(|e| panic!("{}: no sheet {name:?}: {e}", path.display()));
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut rows = vec![Vec::new(); r0 as usize];
    for row in range.rows() {
        let mut cells = vec![String::new(); c0 as usize];
        cells.extend(row.iter().map(|c| c.to_string()));
        rows.push(cells);
    }
    rows
}

/// The sheet names of a workbook, in order.
pub fn sheet_names(path: &Path) -> Vec<String> {
    use calamine::Reader;
    calamine::open_workbook_auto(path).unwrap().sheet_names()
}

/// Every entry of a zip file (an xlsx) with its bytes.
pub fn zip_entries(path: &Path) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: not a zip: {e}", path.display()));
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (f.name().map(|n| n.to_string()).unwrap_or_default(), bytes)
        })
        .collect()
}

/// Where `needle` occurs in a file: in the file itself, or in an entry of it
/// when it is a zip (an xlsx); the names of the places.
pub fn occurrences(path: &Path, needle: &str) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap();
    let has = |hay: &[u8]| hay.windows(needle.len()).any(|w| w == needle.as_bytes());
    if bytes.starts_with(b"PK\x03\x04") {
        zip_entries(path)
            .into_iter()
            .filter(|(_, b)| has(b))
            .map(|(n, _)| format!("{}:{n}", path.display()))
            .collect()
    } else if has(&bytes) {
        vec![path.display().to_string()]
    } else {
        Vec::new()
    }
}

/// A Responses sheet's rows by country (from its second column on), each
/// cell joined with its continuation in the rows below ("Italy (continued)"),
/// where an answer taller than Excel's tallest row goes on.
pub fn responses_by_country(rows: &[Vec<String>]) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for r in rows.iter().skip(1) {
        match out.last_mut() {
            Some((name, cells)) if r[0] == format!("{name} (continued)") => {
                for (cell, more) in cells.iter_mut().zip(&r[2..]) {
                    cell.push_str(more);
                }
            }
            _ => out.push((r[0].clone(), r[2..].to_vec())),
        }
    }
    out
}

/// Every wider output of a compilation that holds `needle`, by file and part.
pub fn in_wider(out: &Path, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for e in std::fs::read_dir(out).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.contains("wider") {
            found.extend(occurrences(&p, needle));
        }
    }
    found
}

/// The files an output folder holds, by name.
pub fn outputs(out: &Path) -> Vec<String> {
    let Ok(list) = std::fs::read_dir(out) else {
        return Vec::new();
    };
    list.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect()
}
