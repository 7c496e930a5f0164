//! Files and folders: the responses/ folder listed, each file read within
//! its limits (never waiting on a FIFO), files checked in parallel, then
//! handed to the core as bytes.

use ahq_core::country::Countries;
use ahq_core::error::{Error, Result};
use ahq_core::query::Query;
use ahq_core::reading::{self, Kind, Limits};
use ahq_core::record::{Finding, Severity};
use ahq_core::validate::{self, FileReport, check_bytes};
use std::path::{Path, PathBuf};

/// The entries of a query's responses/ folder, sorted by name: files, and
/// folders (which are not read, and are said to be skipped).
pub fn response_files(query: &Query) -> Result<Vec<PathBuf>> {
    let dir = query.responses_dir();
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "{}: no responses folder: put the files received in it",
            dir.display()
        )));
    }
    let entries = std::fs::read_dir(&dir).map_err(|source| Error::Io {
        path: dir.clone(),
        source,
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        // Every entry: a FIFO, a socket or a dangling link is named, not passed over.
        .map(|e| e.path())
        .collect();
    files.sort();
    Ok(files)
}

fn display_name(query: &Query, path: &Path) -> String {
    path.strip_prefix(query.responses_dir())
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

/// Checks the given files (all of responses/ when `files` is empty).
pub fn check(query: &Query, files: &[PathBuf], limits: &Limits) -> Result<Vec<FileReport>> {
    check_each(query, files, limits, &|| {})
}

/// [`check`], calling `done` as each file is checked (for a progress bar).
/// Files are read in parallel; the reports come in the files' order.
pub fn check_each(
    query: &Query,
    files: &[PathBuf],
    limits: &Limits,
    done: &(dyn Fn() + Sync),
) -> Result<Vec<FileReport>> {
    use rayon::prelude::*;
    let named = !files.is_empty();
    let files = if files.is_empty() {
        response_files(query)?
    } else {
        files.to_vec()
    };
    let countries = Countries::builtin()?;
    let mut reports: Vec<FileReport> = files
        .par_iter()
        .flat_map_iter(|p| {
            let name = display_name(query, p);
            if !p.is_dir() && reading::classify(p) == Kind::Archive {
                done();
                return check_archive(query, countries, p, &name, limits);
            }
            let mut report = check_file(query, countries, p, &name, limits);
            // A file named on the command line was meant to be checked: not
            // reading it is an error, never a quiet success.
            if named && report.skipped.is_some() {
                for f in &mut report.findings {
                    f.severity = Severity::Error;
                }
            }
            done();
            vec![report]
        })
        .collect();
    validate::finish(&mut reports);
    Ok(reports)
}

/// A zip archive, read within the file limit, its members checked by the
/// core ([`validate::check_archive_bytes`]).
fn check_archive(
    query: &Query,
    countries: &Countries,
    path: &Path,
    name: &str,
    limits: &Limits,
) -> Vec<FileReport> {
    let archive = FileReport::new(name.to_string(), path.to_path_buf());
    match read_limited(path, limits.max_file_bytes) {
        Ok((bytes, modified)) => {
            validate::check_archive_bytes(query, countries, archive, &bytes, modified, limits)
        }
        Err(f) => {
            let mut a = archive;
            a.skipped = Some(f.message.clone());
            a.findings.push(Finding::error(f.message, None));
            vec![a]
        }
    }
}

/// A regular file's first bytes, to tell what it is (never opens a FIFO or
/// a device: they are not regular files).
fn head_of(path: &Path) -> Option<Vec<u8>> {
    use std::io::Read;
    if !std::fs::metadata(path).ok()?.is_file() {
        return None;
    }
    let mut head = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(8192)
        .read_to_end(&mut head)
        .ok()?;
    Some(head)
}

/// Checks one file.
pub fn check_file(
    query: &Query,
    countries: &Countries,
    path: &Path,
    name: &str,
    limits: &Limits,
) -> FileReport {
    let report = FileReport::new(name.to_string(), path.to_path_buf());
    if path.is_dir() {
        // Said as before ("late: warning: a folder: …"), not as "not read".
        let reason =
            "a folder: files in folders inside responses/ are not read; move any response \
                      in it into responses/ itself"
                .to_string();
        let mut report = report;
        report.findings.push(Finding::warning(reason.clone(), None));
        report.skipped = Some(reason);
        return report;
    }
    let kind = match reading::classify(path) {
        Kind::Unknown(reason) => match head_of(path) {
            Some(head) => Kind::Unknown(reading::unknown_with_content(reason, &head)),
            None => Kind::Unknown(reason),
        },
        kind => kind,
    };
    let (format, mut report) = report.format(kind, false);
    let Some(format) = format else {
        return report;
    };
    let (bytes, modified) = match read_limited(path, limits.max_file_bytes) {
        Ok(b) => b,
        Err(f) => {
            report.format = Some(format);
            report.findings.push(f);
            return report;
        }
    };
    check_bytes(query, countries, report, &bytes, modified, format, limits)
}

/// Reads a regular file whole, within `limit`, with its modification time.
/// The file is opened without blocking and checked to be a regular file on
/// the handle itself: a FIFO, socket or device (even one swapped in after
/// the folder was listed) is named, never waited on.
pub fn read_limited(
    path: &Path,
    limit: u64,
) -> std::result::Result<(Vec<u8>, Option<std::time::SystemTime>), Finding> {
    use std::io::Read;
    let cannot = |e: std::io::Error| Finding::error(format!("cannot read the file: {e}"), None);
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    if !meta.file_type().is_file() {
        return Err(Finding::error(
            format!(
                "this is not a regular file but {}: it is not read; put the response file itself here",
                kind_of(&meta.file_type())
            ),
            None,
        ));
    }
    if meta.len() > limit {
        return Err(Finding::error(
            reading::ReadError::TooLarge {
                size: meta.len(),
                limit,
            }
            .to_string(),
            None,
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The file may grow after it was measured: never past the limit.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > limit {
        return Err(Finding::error(
            reading::ReadError::TooLarge {
                size: bytes.len() as u64,
                limit,
            }
            .to_string(),
            None,
        ));
    }
    Ok((bytes, meta.modified().ok()))
}

/// What a file that is not a regular file is, in words.
pub fn kind_of(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if t.is_dir() {
        "a folder"
    } else if t.is_symlink() {
        "a symbolic link"
    } else {
        "not a regular file"
    }
}
