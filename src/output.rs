//! Writing outputs: each to a temporary file in the target folder, then
//! renamed into place, so nobody ever opens half a file; and a set of
//! outputs replaces the previous set whole or not at all: when one rename
//! fails, the files already replaced are put back.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::Path;

/// One produced file, held in memory until every output is ready.
#[derive(Debug, Clone)]
pub struct Output {
    pub name: String,
    pub bytes: Vec<u8>,
}

fn write_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Writes one file through a temporary file in the same folder and a rename.
/// A target that is not a regular file (a device such as /dev/null or
/// /dev/stdout, a pipe, a symbolic link) is written in place: renaming over
/// it would replace the device or the link with a plain file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| !m.file_type().is_file()) {
        return std::fs::File::create(path)
            .and_then(|mut f| f.write_all(bytes))
            .map_err(|e| write_error(path, e));
    }
    write_all(
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new(".")),
        &[(path, bytes)],
    )
}

/// Writes every output into `dir` (created if needed): all temporary files
/// first (a full disk stops here, the old files untouched), then the
/// renames, undone if one fails.
pub fn write_outputs(dir: &Path, outputs: &[Output]) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
    let paths: Vec<_> = outputs.iter().map(|o| dir.join(&o.name)).collect();
    let files: Vec<(&Path, &[u8])> = paths
        .iter()
        .zip(outputs)
        .map(|(p, o)| (p.as_path(), o.bytes.as_slice()))
        .collect();
    write_all(dir, &files)
}

fn write_all(dir: &Path, files: &[(&Path, &[u8])]) -> Result<()> {
    let mut temps = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        let mut tmp = temp_file(dir).map_err(|e| write_error(path, e))?;
        tmp.write_all(bytes).map_err(|e| write_error(path, e))?;
        // On disk before it replaces a previous output, so that a crash
        // cannot leave an empty file where a good one was. A new file has
        // nothing to lose: not synced (an fsync per output was a fifth of a
        // large first compile).
        if path.exists() {
            tmp.as_file().sync_all().map_err(|e| write_error(path, e))?;
        }
        temps.push((tmp, *path));
    }
    // Keep each file about to be replaced under a second name (a hard link:
    // no copy), so that a failed rename can put the previous set back.
    let mut kept: Vec<(tempfile::TempPath, &Path)> = Vec::new();
    for (_, path) in &temps {
        if path.is_file() {
            let backup = temp_file(dir)
                .map_err(|e| write_error(path, e))?
                .into_temp_path();
            std::fs::remove_file(&backup).map_err(|e| write_error(path, e))?;
            // Where hard links are not supported (FAT, exFAT, some network
            // drives), a copy does the same job.
            std::fs::hard_link(path, &backup)
                .or_else(|_| std::fs::copy(path, &backup).map(|_| ()))
                .map_err(|e| write_error(path, e))?;
            kept.push((backup, path));
        }
    }
    let mut replaced: Vec<&Path> = Vec::new();
    for (tmp, path) in temps {
        if let Err(e) = tmp.persist(path) {
            let mut lost = Vec::new();
            for done in &replaced {
                match kept.iter().position(|(_, p)| p == done) {
                    Some(i) => {
                        if std::fs::rename(&kept[i].0, done).is_err() {
                            // Could not be put back: the previous file is kept
                            // under its backup name, and the error says where.
                            let (backup, _) = kept.remove(i);
                            if let Ok(at) = backup.keep() {
                                lost.push(format!(
                                    "{} is kept as {}",
                                    done.display(),
                                    at.display()
                                ));
                            }
                        }
                    }
                    None => {
                        let _ = std::fs::remove_file(done);
                    }
                }
            }
            let mut message = e.error.to_string();
            if !lost.is_empty() {
                message.push_str(&format!(
                    "; the previous output could not be put back: {}",
                    lost.join(", ")
                ));
            }
            return Err(write_error(path, message));
        }
        replaced.push(path);
    }
    // The backups (TempPath) are deleted as they drop.
    Ok(())
}

/// A temporary file readable as any new file would be (the umask applies),
/// not the owner-only mode temporary files get by default.
fn temp_file(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut b = tempfile::Builder::new();
    b.prefix(".ahq-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(0o666));
    }
    b.tempfile_in(dir)
}
