//! Outputs that survive crashes, races and hostile files; each file read
//! once. Each test reproduces a finding of a fault-injection run against
//! `ahq compile`, through the binary.

mod support;

use serde_json::Value;
use std::io::{Cursor, Read, Write};
use std::path::Path;
use std::time::Duration;
use support::Case;

fn sha(bytes: &[u8]) -> String {
    ahq::validate::sha256_hex(bytes)
}

/// Every output of a folder against the hashes its manifest lists: a set
/// is one compile's when they all agree.
fn consistent(out: &Path) -> Result<(), String> {
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap())
            .map_err(|e| e.to_string())?;
    for o in manifest["outputs"]
        .as_array()
        .ok_or("no outputs in the manifest")?
    {
        let name = o["file"].as_str().unwrap();
        let bytes = std::fs::read(out.join(name)).map_err(|e| format!("{name}: {e}"))?;
        if sha(&bytes) != o["sha256"].as_str().unwrap() {
            return Err(format!("{name} is not the one the manifest lists"));
        }
    }
    Ok(())
}

fn belgium(answer: &str) -> Case {
    Case::new().csv(
        "BE.csv",
        &[
            &["Country", "Belgium"],
            &["Wider dissemination", "Yes"],
            &["1", answer],
        ],
    )
}

#[test]
fn a_crash_before_the_swap_leaves_the_previous_set_whole_and_its_litter_is_removed_later() {
    let case = belgium("first");
    let out = case.compile(&[]);
    let before: Vec<(String, Vec<u8>)> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    let case = case.csv(
        "BE.csv",
        &[
            &["Country", "Belgium"],
            &["Wider dissemination", "Yes"],
            &["1", "second"],
        ],
    );
    let crashed = std::process::Command::new(env!("CARGO_BIN_EXE_ahq"))
        .args([
            "compile",
            case.dir().to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
        .env("AHQ_TEST_CRASH_AT", "before-swap")
        .output()
        .unwrap();
    assert!(!crashed.status.success(), "the hook ends the process");
    for (name, bytes) in &before {
        assert_eq!(
            &std::fs::read(out.join(name)).unwrap(),
            bytes,
            "{name} changed"
        );
    }
    let parent = out.parent().unwrap();
    let litter = || {
        std::fs::read_dir(parent)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".ahq-"))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        litter().len(),
        1,
        "the dead compile's new set: {:?}",
        litter()
    );
    case.compile(&[]);
    assert_eq!(
        litter(),
        Vec::<String>::new(),
        "removed by the next compile"
    );
    consistent(&out).unwrap();
    let csv = std::fs::read_to_string(out.join("responses-full.csv")).unwrap();
    assert!(csv.contains("second"));
}

#[test]
fn sigterm_during_a_compile_removes_its_half_written_set() {
    let case = belgium("first");
    let out = case.compile(&[]);
    let before = std::fs::read(out.join("responses-full.csv")).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ahq"))
        .args([
            "compile",
            case.dir().to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
        .env("AHQ_TEST_PAUSE_AT", "before-swap")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let parent = out.parent().unwrap().to_path_buf();
    let litter = move || {
        std::fs::read_dir(&parent)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with(".ahq-new-")
            })
            .count()
    };
    let start = std::time::Instant::now();
    while litter() == 0 {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the new set never appeared"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // SAFETY: a signal to our own child.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(128 + libc::SIGTERM));
    assert_eq!(litter(), 0, "the half-written set is removed");
    assert_eq!(
        std::fs::read(out.join("responses-full.csv")).unwrap(),
        before
    );
    consistent(&out).unwrap();
}

#[test]
fn two_compiles_into_one_folder_at_once_leave_one_compiles_set() {
    let a = belgium("from A");
    let b = belgium("from B");
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("compiled");
    for _ in 0..10 {
        let start = |case: &Case| {
            std::process::Command::new(env!("CARGO_BIN_EXE_ahq"))
                .args([
                    "compile",
                    case.dir().to_str().unwrap(),
                    "-o",
                    target.to_str().unwrap(),
                ])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        };
        let (mut one, mut two) = (start(&a), start(&b));
        assert!(one.wait().unwrap().success() && two.wait().unwrap().success());
        consistent(&target).unwrap();
    }
}

#[test]
fn a_named_pipe_in_responses_is_named_and_never_waited_on() {
    let case = belgium("Yes");
    let fifo = case.dir().join("responses/FR.xlsx");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid path; mkfifo only creates the node.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let dir = case.dir().to_str().unwrap().to_string();
    for args in [
        vec!["validate", dir.as_str()],
        vec!["validate", dir.as_str(), fifo.to_str().unwrap()],
        vec!["compile", dir.as_str(), "--skip-invalid"],
    ] {
        let r = support::run_bounded(&args, Duration::from_secs(30));
        assert!(
            r.stdout.contains("named pipe (FIFO)") || r.stderr.contains("named pipe (FIFO)"),
            "{args:?}\n{}\n{}",
            r.stdout,
            r.stderr
        );
    }
}

#[test]
fn the_manifest_hashes_the_bytes_that_were_compiled_while_the_file_is_swapped() {
    let case = belgium("version A");
    let path = case.dir().join("responses/BE.csv");
    let a = std::fs::read(&path).unwrap();
    let b = String::from_utf8(a.clone())
        .unwrap()
        .replace("version A", "version B")
        .into_bytes();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let swapper = {
        let (stop, path, a, b) = (stop.clone(), path.clone(), a.clone(), b.clone());
        std::thread::spawn(move || {
            let tmp = path.with_extension("swap");
            let mut n = 0u64;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                std::fs::write(&tmp, if n.is_multiple_of(2) { &b } else { &a }).unwrap();
                std::fs::rename(&tmp, &path).unwrap();
                n += 1;
            }
        })
    };
    for _ in 0..15 {
        let (r, out) = case.compile_with(&[]);
        if r.code != 0 {
            continue; // the swap file itself was listed mid-rename: not this test's business
        }
        let manifest: Value =
            serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
        let file = manifest["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == "responses/BE.csv")
            .unwrap()
            .clone();
        let csv = std::fs::read_to_string(out.join("responses-full.csv")).unwrap();
        let hashed = file["sha256"].as_str().unwrap();
        if hashed == sha(&a) {
            assert!(csv.contains("version A"), "hashed A, compiled B");
        } else {
            assert_eq!(hashed, sha(&b));
            assert!(csv.contains("version B"), "hashed B, compiled A");
        }
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    swapper.join().unwrap();
}

#[test]
fn a_cell_of_240_million_characters_is_refused_and_the_main_process_stays_small() {
    let small = support::xlsx(
        &[("Reply", &[&["Country", "Belgium"], &["1", "HUGEANSWER"]])],
        |_| {},
    );
    let mut zip = zip::ZipArchive::new(Cursor::new(small)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        let mut text = String::new();
        part.read_to_string(&mut text).unwrap();
        out.start_file(name.as_str(), opts).unwrap();
        match text.split_once("HUGEANSWER") {
            Some((head, tail)) if name == "xl/sharedStrings.xml" => {
                out.write_all(head.as_bytes()).unwrap();
                let chunk = "a".repeat(1 << 20);
                for _ in 0..240 {
                    out.write_all(chunk.as_bytes()).unwrap();
                }
                out.write_all(tail.as_bytes()).unwrap();
            }
            _ => out.write_all(text.as_bytes()).unwrap(),
        }
    }
    let bytes = out.finish().unwrap().into_inner();
    assert!(
        bytes.len() < 2 << 20,
        "small on disk: {} bytes",
        bytes.len()
    );
    let case = Case::new().file("BE.xlsx", bytes);
    let r = support::run_bounded(
        &["validate", case.dir().to_str().unwrap(), "--format", "json"],
        Duration::from_secs(120),
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let files = support::json_list(&r.stdout, "files");
    let message = files[0]["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("over the limit of 1000000 for one answer")
            || message.contains("needed more than 2048 MiB"),
        "{message}"
    );
}

// ---- regressions from the second review ------------------------------------

#[test]
fn the_output_folder_keeps_its_permissions_and_a_folder_stood_in_is_not_swapped_away() {
    use std::os::unix::fs::PermissionsExt;
    let case = belgium("Yes");
    let out = case.compile(&[]);
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o2770)).unwrap();
    case.compile(&[]);
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o7777;
    assert_eq!(mode, 0o2770, "a members-only folder stays members-only");
    // Compiling into the folder one stands in: it is the same folder after.
    let ino = |p: &Path| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).unwrap());
    let before = ino(&out);
    let r = std::process::Command::new(env!("CARGO_BIN_EXE_ahq"))
        .args(["compile", case.dir().to_str().unwrap(), "-o", "."])
        .current_dir(&out)
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert_eq!(ino(&out), before);
    consistent(&out).unwrap();
}

#[test]
fn a_closed_standard_error_is_no_panic() {
    let case = Case::new().csv("XX.csv", &[&["Country", "Atlantis"]]);
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ahq"))
        .args(["compile", case.dir().to_str().unwrap()])
        .stderr(writer)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "the errors could not be shown, the status says it"
    );
}

#[test]
fn json_output_stays_json_with_a_direction_override_in_a_file_name() {
    let case = belgium("Yes").file("FR\u{202e}vsc.csv", "Country;France\n1;Oui\n");
    for cmd in ["validate", "status"] {
        let r = case.run(&[cmd, "{dir}", "--format", "json"]);
        let v: Value = serde_json::from_str(&r.stdout)
            .unwrap_or_else(|e| panic!("{cmd}: not JSON ({e}): {}", r.stdout));
        assert!(
            v.to_string().contains('\u{202e}'),
            "the same string to a parser"
        );
        assert!(!r.stdout.contains('\u{202e}'), "{cmd}: escaped in the text");
    }
}

#[test]
fn a_responses_folder_with_no_response_in_it_is_refused() {
    let case = Case::new()
        .file(".DS_Store", "x")
        .file("notes.pdf", "%PDF-1.4");
    let (r, out) = case.compile_with(&[]);
    r.status(2).stderr_has("no response files yet");
    assert!(!out.exists());
}
