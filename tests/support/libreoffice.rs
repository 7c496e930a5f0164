//! LibreOffice for tests: `soffice`, installed with apt-get when missing
//! (as root), and one conversion at a time with a profile of the test's own.

use super::show;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

pub fn on_path(program: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// `soffice`, installed once with apt-get when missing and running as root.
pub fn soffice() -> PathBuf {
    static SOFFICE: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let found = SOFFICE.get_or_init(|| {
        if let Some(p) = on_path("soffice") {
            return Ok(p);
        }
        let how =
            "these tests need LibreOffice: run `apt-get install libreoffice-calc-nogui` (as root)";
        if !is_root() {
            return Err(format!(
                "soffice is not on PATH and the test is not running as root: {how}"
            ));
        }
        let apt = |args: &[&str]| {
            Command::new("apt-get")
                .args(args)
                .env("DEBIAN_FRONTEND", "noninteractive")
                .output()
                .map_err(|e| format!("cannot run apt-get ({e}): {how}"))
        };
        let install = ["install", "-y", "-q", "libreoffice-calc-nogui"];
        let mut out = apt(&install)?;
        if !out.status.success() {
            apt(&["update", "-q"])?;
            out = apt(&install)?;
        }
        if !out.status.success() {
            return Err(format!(
                "`apt-get install -y -q libreoffice-calc-nogui` failed: {how}\n{}",
                show(&out)
            ));
        }
        on_path("soffice").ok_or_else(|| {
            format!("libreoffice-calc-nogui is installed but soffice is not on PATH: {how}")
        })
    });
    found.clone().unwrap_or_else(|e| panic!("{e}"))
}

/// LibreOffice runs one conversion at a time in these tests.
static SOFFICE_LOCK: Mutex<()> = Mutex::new(());

/// A `file://` URL for an absolute path, for `-env:UserInstallation`.
fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for b in path.to_str().expect("a UTF-8 temporary path").bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

/// `soffice --headless --convert-to FORMAT --outdir OUTDIR FILE` with a
/// profile of the test's own; the converted file's path.
pub fn convert(file: &Path, format: &str, outdir: &Path, profile: &Path) -> PathBuf {
    convert_to(file, format, format, outdir, profile)
}

/// Makes sure LibreOffice Writer is there (Calc alone cannot read or write
/// Word documents), installing it with apt-get when missing (as root).
pub fn writer() {
    static WRITER: OnceLock<Result<(), String>> = OnceLock::new();
    let ready = WRITER.get_or_init(|| {
        soffice();
        // Writer's library.
        if Path::new("/usr/lib/libreoffice/program/libswlo.so").exists() {
            return Ok(());
        }
        apt_install("libreoffice-writer-nogui")
    });
    ready.clone().unwrap_or_else(|e| panic!("{e}"));
}

/// `pdftotext` (poppler-utils), installed with apt-get when missing (as root).
pub fn pdftotext() -> PathBuf {
    static FOUND: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            if let Some(p) = on_path("pdftotext") {
                return Ok(p);
            }
            apt_install("poppler-utils")?;
            on_path("pdftotext").ok_or_else(|| "poppler-utils installed, no pdftotext".into())
        })
        .clone()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// `apt-get install PACKAGE`, fetching the package lists once when a new
/// machine has none.
pub fn apt_install(package: &str) -> Result<(), String> {
    let how = format!("run `apt-get install {package}` (as root)");
    let apt = |args: &[&str]| {
        Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .output()
            .map_err(|e| format!("cannot run apt-get ({e}): {how}"))
    };
    let install = ["install", "-y", "-q", package];
    let mut out = apt(&install)?;
    if !out.status.success() {
        apt(&["update", "-q"])?;
        out = apt(&install)?;
    }
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "`apt-get install {package}` failed: {how}\n{}",
            show(&out)
        ))
    }
}

/// Converts a document (HTML, say) with LibreOffice Writer, installed with
/// apt-get when missing (as root), into `outdir`: a .docx written by Word's
/// filter.
pub fn convert_with_writer(file: &Path, ext: &str, outdir: &Path) -> PathBuf {
    writer();
    let filter = match ext {
        "docx" => "docx:MS Word 2007 XML",
        other => other,
    };
    convert_to(file, filter, ext, outdir, &outdir.join("profile"))
}

fn convert_to(file: &Path, format: &str, ext: &str, outdir: &Path, profile: &Path) -> PathBuf {
    let soffice = soffice();
    fs::create_dir_all(outdir).unwrap();
    let target = outdir.join(file.file_stem().unwrap()).with_extension(ext);
    let log = outdir.join(format!("soffice-{ext}.log"));
    let _one_at_a_time = SOFFICE_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let mut child = Command::new(&soffice)
        .arg(format!("-env:UserInstallation={}", file_url(profile)))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            format,
            "--outdir",
        ])
        .arg(outdir)
        .arg(file)
        .stdin(Stdio::null())
        .stdout(fs::File::create(&log).unwrap())
        .stderr(fs::File::create(log.with_extension("err")).unwrap())
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
            panic!(
                "soffice took more than 5 minutes to convert {} to {format}",
                file.display()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let logs = format!(
        "{}{}",
        fs::read_to_string(&log).unwrap_or_default(),
        fs::read_to_string(log.with_extension("err")).unwrap_or_default()
    );
    assert!(
        status.success() && target.is_file(),
        "soffice did not convert {} to {format} ({status}, no {}):\n{logs}",
        file.display(),
        target.display()
    );
    target
}
