//! Files and folders: the responses/ folder listed, each file read within
//! its limits (never waiting on a FIFO), files checked in parallel, then
//! handed to the core as bytes.

use ahq_core::country::Countries;
use ahq_core::error::{Error, Result};
use ahq_core::query::Query;
use ahq_core::reading::{self, Kind, Limits};
use ahq_core::record::{Finding, Severity};
use ahq_core::validate::{self, FileReport, Stamp, check_bytes};
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
    shown(path.strip_prefix(query.responses_dir()).unwrap_or(path))
}

/// A path as text: where its bytes are not UTF-8, each such byte written
/// as `\xNN`, so that two names never show (or are recorded) as one.
pub fn shown(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in path.as_os_str().as_bytes().utf8_chunks() {
            out.push_str(chunk.valid());
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().into_owned()
    }
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
            if !p.is_dir() && os_junk_in(p).is_none() {
                let kind = reading::classify(p);
                if kind == Kind::Archive || kind == Kind::Mail {
                    done();
                    return check_container(query, countries, p, &name, kind, limits);
                }
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
    validate::finish(&mut reports, query);
    Ok(reports)
}

/// A zip archive or a saved e-mail, read within the file limit, its
/// members checked by the core ([`validate::check_archive_bytes`],
/// [`validate::check_mail_bytes`]).
fn check_container(
    query: &Query,
    countries: &Countries,
    path: &Path,
    name: &str,
    kind: Kind,
    limits: &Limits,
) -> Vec<FileReport> {
    let mut container = FileReport::new(name.to_string(), path.to_path_buf());
    match read_stamped(path, limits.max_file_bytes) {
        Ok((bytes, stamp)) => {
            container.stamp = Some(stamp);
            let check = if kind == Kind::Mail {
                validate::check_mail_bytes
            } else {
                validate::check_archive_bytes
            };
            check(query, countries, container, &bytes, stamp.modified, limits)
        }
        // Not "skipped": an archive or e-mail that cannot be read may hold responses.
        Err(f) => {
            container.findings.push(f);
            vec![container]
        }
    }
}

/// What a Mac or Windows adds to a folder by itself (`Thumbs.db`,
/// `desktop.ini`, a `__MACOSX` folder left by unzipping a Mac's archive),
/// by the name of the file or folder at `path`.
fn os_junk_in(path: &Path) -> Option<&'static str> {
    validate::os_junk(path.file_name()?.to_str()?)
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
    if let Some(junk) = os_junk_in(path) {
        // Passed over quietly, as a hidden file is: never a response.
        let reason = if junk == "__MACOSX/" {
            "the folder a Mac adds to its archives (__MACOSX), left by unzipping one: skipped"
                .to_string()
        } else {
            format!("a file a Mac or Windows adds to folders ({junk}): skipped")
        };
        return report.format(Kind::Skip(reason), false).1;
    }
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
    let (bytes, stamp) = match read_stamped(path, limits.max_file_bytes) {
        Ok(b) => b,
        Err(f) => {
            report.format = Some(format);
            report.findings.push(f);
            return report;
        }
    };
    report.stamp = Some(stamp);
    check_bytes(
        query,
        countries,
        report,
        &bytes,
        stamp.modified,
        format,
        limits,
    )
}

/// How many times a file that changes while it is read is read again
/// before ahq stops with an error.
const READ_ATTEMPTS: usize = 5;

/// The stamp of a file's metadata (see [`Stamp`]).
pub fn stamp_of(meta: &std::fs::Metadata) -> Stamp {
    #[cfg(unix)]
    let identity = {
        use std::os::unix::fs::MetadataExt;
        (meta.dev(), meta.ino())
    };
    #[cfg(not(unix))]
    let identity = (0, 0);
    Stamp {
        len: meta.len(),
        modified: meta.modified().ok(),
        identity,
    }
}

/// The file at `path` now, when it is no longer the version `stamp` was
/// taken of: what it has become, in words.
pub fn changed_since(path: &Path, stamp: &Stamp) -> Option<String> {
    match std::fs::metadata(path) {
        Ok(meta) if stamp_of(&meta) == *stamp => None,
        Ok(_) => Some("it has changed since it was read".into()),
        Err(e) => Some(format!("it can no longer be read ({e})")),
    }
}

/// The files of `reports` that changed after they were read, each with a
/// message: a compilation is made of one version of each file or not at all.
pub fn changed_since_read(reports: &[FileReport]) -> Vec<(String, String)> {
    reports
        .iter()
        .filter_map(|r| {
            let why = changed_since(&r.path, r.stamp.as_ref()?)?;
            Some((
                r.file.clone(),
                format!(
                    "the file changed while the responses were read ({why}): it is being \
                     copied or saved; wait until it is complete and compile again"
                ),
            ))
        })
        .collect()
}

/// Reads a regular file whole, within `limit`, with its modification time.
/// The file is opened without blocking and checked to be a regular file on
/// the handle itself: a FIFO, socket or device (even one swapped in after
/// the folder was listed) is named, never waited on. The bytes are those of
/// one version of the file: when its size, time or identity differ after
/// the read from before it (it is being copied or saved), it is read again,
/// and after [`READ_ATTEMPTS`] an error says so.
pub fn read_limited(
    path: &Path,
    limit: u64,
) -> std::result::Result<(Vec<u8>, Option<std::time::SystemTime>), Finding> {
    read_stamped(path, limit).map(|(bytes, stamp)| (bytes, stamp.modified))
}

/// [`read_limited`], with the stamp of the version read.
pub fn read_stamped(path: &Path, limit: u64) -> std::result::Result<(Vec<u8>, Stamp), Finding> {
    for attempt in 1..=READ_ATTEMPTS {
        let (bytes, before) = read_once(path, limit)?;
        let after = std::fs::metadata(path).map(|m| stamp_of(&m));
        let settled = after.as_ref().ok() == Some(&before) && bytes.len() as u64 == before.len;
        // A file being written is empty at first, and the clock that stamps
        // it may not tick between two writes: an empty read counts only if
        // the file is still the same a moment later.
        if settled && bytes.is_empty() && attempt < READ_ATTEMPTS {
            std::thread::sleep(std::time::Duration::from_millis(20));
            if std::fs::metadata(path).map(|m| stamp_of(&m)).ok() == Some(before) {
                return Ok((bytes, before));
            }
            continue;
        }
        if settled {
            return Ok((bytes, before));
        }
        if attempt < READ_ATTEMPTS {
            std::thread::sleep(std::time::Duration::from_millis(50 * attempt as u64));
        }
    }
    Err(Finding::error(
        format!(
            "the file changed each time it was read ({READ_ATTEMPTS} times): it is being copied \
             or saved; wait until it is complete and run again"
        ),
        None,
    ))
}

fn read_once(path: &Path, limit: u64) -> std::result::Result<(Vec<u8>, Stamp), Finding> {
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
    let too_large = |size: u64| {
        Finding::error(
            reading::ReadError::TooLarge { size, limit }.to_string(),
            None,
        )
    };
    if meta.len() > limit {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The file may grow after it was measured: never past the limit.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok((bytes, stamp_of(&meta)))
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
