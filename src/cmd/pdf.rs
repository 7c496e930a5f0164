//! `compile --pdf`: the Word compilations turned into PDF by LibreOffice,
//! the way the network publishes them.

use ahq::output::Output;
use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What to do when LibreOffice is missing.
pub const HOW_TO_INSTALL: &str = "compile --pdf needs LibreOffice's `soffice` on PATH: install it (Debian, Ubuntu: `sudo apt-get install libreoffice-writer-nogui`; elsewhere from https://www.libreoffice.org), or compile without --pdf, which writes the .docx files";

/// A conversion that takes longer than this is stuck (a dialog, a lock).
const LIMIT: Duration = Duration::from_secs(300);

/// `soffice` on PATH, or the message saying how to install it.
pub fn soffice() -> anyhow::Result<PathBuf> {
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|d| d.join("soffice"))
                .find(|p| p.is_file())
        })
        .context(HOW_TO_INSTALL)
}

/// The PDF of every .docx among `outputs`, named alike (compilation-wider.pdf).
pub fn convert(outputs: &[Output]) -> anyhow::Result<Vec<Output>> {
    let soffice = soffice()?;
    let docs: Vec<&Output> = outputs
        .iter()
        .filter(|o| o.name.ends_with(".docx"))
        .collect();
    let tmp = tempfile::Builder::new()
        .prefix("ahq-pdf-")
        .tempdir()
        .context("cannot make a temporary folder for LibreOffice")?;
    let pdf_dir = tmp.path().join("pdf");
    let mut files = Vec::new();
    for d in &docs {
        let path = tmp.path().join(&d.name);
        std::fs::write(&path, &d.bytes)
            .with_context(|| format!("{}: cannot write", path.display()))?;
        files.push(path);
    }
    // A profile of its own: a LibreOffice the user has open (or another
    // compile converting at the same time) neither blocks nor takes over
    // the conversion.
    let profile = file_url(&tmp.path().join("profile"));
    let mut child = Command::new(&soffice)
        .arg(format!("-env:UserInstallation={profile}"))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(&pdf_dir)
        .args(&files)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot run {}", soffice.display()))?;
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait()? {
            break s;
        }
        if start.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            bail!(
                "LibreOffice took more than {} s to convert the Word compilations to PDF",
                LIMIT.as_secs()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        use std::io::Read;
        let _ = e.read_to_string(&mut stderr);
    }
    let mut pdfs = Vec::new();
    for d in &docs {
        let name = Path::new(&d.name).with_extension("pdf");
        let path = pdf_dir.join(&name);
        let bytes = std::fs::read(&path).map_err(|_| {
            anyhow::anyhow!(
                "LibreOffice ({}, {status}) did not convert {} to PDF{}",
                soffice.display(),
                d.name,
                if stderr.trim().is_empty() {
                    String::new()
                } else {
                    format!("; it said: {}", stderr.trim())
                }
            )
        })?;
        pdfs.push(Output {
            name: name.to_string_lossy().into_owned(),
            bytes,
        });
    }
    Ok(pdfs)
}

/// A `file://` URL for an absolute path, as `-env:UserInstallation` takes it.
fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}
