//! Writing outputs so that nobody ever sees half of them.
//!
//! A set of outputs (a compilation's folder) is written whole into a fresh
//! folder beside the target, then swapped with the target in one atomic
//! step (Linux `renameat2(RENAME_EXCHANGE)`): no crash at any instant leaves
//! a mixture of two compiles. One compile writes into a folder at a time
//! (an advisory lock on the folder that holds it). Temporary names carry the writer's process
//! id, so a later run removes what a dead one left. Where the swap cannot
//! be used (another system, a file system without it, or a target folder
//! that holds files of the user's own, which a swap would carry away), each
//! file is written to a temporary file and renamed, and a failed rename puts
//! back the files already replaced.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::Path;

pub use crate::render::Output;

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

/// Writes files that go together (templates and their page) as one: all of
/// them, or none, the previous ones put back. They should share a file
/// system: the temporary files are made beside the first.
pub fn write_together(files: &[(&Path, &[u8])]) -> Result<()> {
    if let Some((dir, _)) = files.iter().find(|(p, _)| p.is_dir()) {
        return Err(write_error(
            dir,
            "is a folder, where a file is to be written: move it or choose another name",
        ));
    }
    // A device or a pipe (-o /dev/stdout) is written to, never replaced.
    let (special, regular): (Vec<_>, Vec<_>) = files
        .iter()
        .partition(|(p, _)| std::fs::symlink_metadata(p).is_ok_and(|m| !m.file_type().is_file()));
    if let Some((first, _)) = regular.first() {
        write_all(
            first
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new(".")),
            &regular,
        )?;
    }
    for (path, bytes) in special {
        write_atomically(path, bytes)?;
    }
    Ok(())
}

/// The prefix of every temporary name, followed by the writer's process id.
const TEMP: &str = ".ahq-";

/// Test hooks: with `AHQ_TEST_CRASH_AT=<step>` in the environment the
/// process aborts at that step, as a crash or a SIGKILL there would end it;
/// with `AHQ_TEST_PAUSE_AT=<step>` it waits there (for a signal).
fn crash_point(step: &str) {
    if std::env::var_os("AHQ_TEST_CRASH_AT").is_some_and(|s| s == step) {
        std::process::abort();
    }
    if std::env::var_os("AHQ_TEST_PAUSE_AT").is_some_and(|s| s == step) {
        std::thread::sleep(std::time::Duration::from_secs(60));
    }
}

/// Holds the advisory lock of one output folder while a set is written.
pub struct FolderLock {
    _file: std::fs::File,
    _in_process: std::sync::MutexGuard<'static, ()>,
}

impl FolderLock {
    /// Takes the lock of `dir`: an advisory lock (flock) on the folder that
    /// holds it, so that no file is added anywhere. If another process holds
    /// it, `waiting` is told, and this waits. Within one process, writers
    /// take turns first (two locks of one folder from one process would
    /// wait on each other).
    pub fn acquire(dir: &Path, waiting: impl FnOnce()) -> Result<FolderLock> {
        static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let (parent, _) = parent_and_name(dir)?;
        if let Some(file) = parent.ancestors().find(|a| a.is_file()) {
            return Err(write_error(
                file,
                "is a file, where a folder of the output's path should be: choose another output folder with -o",
            ));
        }
        std::fs::create_dir_all(&parent).map_err(|e| write_error(&parent, e))?;
        let turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
        let file = std::fs::File::open(&parent).map_err(|e| write_error(&parent, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                waiting();
                file.lock().map_err(|e| write_error(&parent, e))?;
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(write_error(&parent, e)),
        }
        Ok(FolderLock {
            _file: file,
            _in_process: turn,
        })
    }
}

fn parent_and_name(dir: &Path) -> Result<(std::path::PathBuf, String)> {
    let abs = std::path::absolute(dir).map_err(|e| write_error(dir, e))?;
    let name = abs
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| write_error(dir, "not a folder that can be written into"))?;
    let parent = abs
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| ".".into());
    Ok((parent, name))
}

/// Whether the process `pid` is alive (on this machine).
fn alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        // SAFETY: kill with signal 0 only checks that the process exists.
        let r = unsafe { libc::kill(pid as libc::pid_t, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// The process id in a temporary name `.ahq-<kind>-<pid>-…`, if it is one.
fn temp_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(TEMP)?;
    rest.split('-').find_map(|part| part.parse::<u32>().ok())
}

/// Removes what dead writers left: `.ahq-…-<pid>-…` folders beside `dir`
/// for it, and `.ahq-<pid>-…` files inside it, whose process is gone.
fn remove_litter(dir: &Path) -> Result<()> {
    let (parent, name) = parent_and_name(dir)?;
    let own = std::process::id();
    let dead = |n: &str| temp_pid(n).is_some_and(|pid| pid != own && !alive(pid));
    if let Ok(entries) = std::fs::read_dir(&parent) {
        for e in entries.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if n.ends_with(&format!("-{name}")) && dead(&n) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if dead(&n) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    Ok(())
}

/// Folders being written now: what an interrupt removes.
static IN_PROGRESS: std::sync::Mutex<Vec<std::path::PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Folders this process has written whole: what an interrupt reports.
static WRITTEN: std::sync::Mutex<Vec<std::path::PathBuf>> = std::sync::Mutex::new(Vec::new());

fn written_whole(dir: &Path) {
    if let Ok(mut v) = WRITTEN.lock() {
        v.push(dir.to_path_buf());
    }
}

/// The folders this process has written whole so far. Called after
/// [`remove_in_progress`], whose lock stops any swap meanwhile, it is exact.
pub fn written() -> Vec<std::path::PathBuf> {
    WRITTEN.lock().map(|v| v.clone()).unwrap_or_default()
}

/// Removes what this process is writing (on SIGINT or SIGTERM, before it
/// ends): no half-written set stays behind.
/// The lock comes back held: kept until the process ends, no swap starts
/// after (nor falls back to writing in place).
pub fn remove_in_progress() -> std::sync::MutexGuard<'static, Vec<std::path::PathBuf>> {
    // Held: no swap starts or ends meanwhile. Another thread may still be
    // writing a file into the folder, so its removal is tried again.
    let dirs = IN_PROGRESS.lock().unwrap_or_else(|e| e.into_inner());
    for d in dirs.iter() {
        for _ in 0..20 {
            if std::fs::remove_dir_all(d).is_ok() || !d.exists() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
    dirs
}

/// Writes a set of outputs as `dir`, replacing the previous set whole. The
/// caller holds the folder's [`FolderLock`].
pub fn write_outputs(dir: &Path, outputs: &[Output]) -> Result<()> {
    remove_litter(dir)?;
    // An earlier output this set does not hold (written with more
    // --formats) is ours too: replaced with the set, never left behind.
    let ours = |n: &str| {
        outputs.iter().any(|o| o.name == n)
            || n.starts_with(TEMP)
            || ahq_core::render::is_output_name(n)
    };
    let only_ours = match std::fs::read_dir(dir) {
        Ok(entries) => entries.flatten().all(|e| {
            e.file_type().is_ok_and(|t| t.is_file()) && ours(&e.file_name().to_string_lossy())
        }),
        Err(_) => true,
    };
    if only_ours && swap_set(dir, outputs)? {
        return Ok(());
    }
    write_each(dir, outputs)?;
    // File by file (a folder holding other files): once the new set is
    // whole, the earlier outputs it does not hold go.
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if ahq_core::render::is_output_name(&n) && !outputs.iter().any(|o| o.name == n) {
                std::fs::remove_file(e.path()).map_err(|err| write_error(&e.path(), err))?;
            }
        }
    }
    written_whole(dir);
    Ok(())
}

/// Writes the set into a fresh folder beside `dir` and swaps the two in one
/// step. `Ok(false)`: the swap is not available here; nothing was changed.
fn swap_set(dir: &Path, outputs: &[Output]) -> Result<bool> {
    let (parent, name) = parent_and_name(dir)?;
    // A folder someone stands in (`-o .`, a shell's working folder) is not
    // swapped away from under them: its files are replaced one by one.
    if let (Ok(cwd), Ok(target)) = (
        std::env::current_dir().and_then(std::fs::canonicalize),
        std::fs::canonicalize(dir),
    ) && cwd.starts_with(&target)
    {
        return Ok(false);
    }
    // A symbolic link as the output folder: its target is written, not the link swapped.
    if std::fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) {
        return Ok(false);
    }
    let pid = std::process::id();
    let fresh = parent.join(format!("{TEMP}new-{pid}-{name}"));
    let _ = std::fs::remove_dir_all(&fresh);
    // Registered before it exists: an interrupt at any moment after finds it.
    if let Ok(mut v) = IN_PROGRESS.lock() {
        v.push(fresh.clone());
    }
    // A parent that cannot take a new folder (read-only): file by file.
    if std::fs::create_dir_all(&parent)
        .and_then(|_| std::fs::create_dir(&fresh))
        .is_err()
    {
        if let Ok(mut v) = IN_PROGRESS.lock() {
            v.retain(|p| p != &fresh);
        }
        return Ok(false);
    }
    let result = fill_and_swap(&fresh, dir, outputs);
    if let Ok(mut v) = IN_PROGRESS.lock() {
        v.retain(|p| p != &fresh);
    }
    // Nothing of a failed attempt stays behind (the previous set is whole).
    let _ = std::fs::remove_dir_all(&fresh);
    result
}

fn fill_and_swap(fresh: &Path, dir: &Path, outputs: &[Output]) -> Result<bool> {
    // Synced before they replace a previous set, so that a crash after the
    // swap cannot leave empty files where good ones were. A first set has
    // nothing to lose: not synced (an fsync per output was a fifth of a
    // large first compile).
    let replacing = dir.exists();
    for o in outputs {
        let path = fresh.join(&o.name);
        let mut f = std::fs::File::create(&path).map_err(|e| write_error(&path, e))?;
        f.write_all(&o.bytes).map_err(|e| write_error(&path, e))?;
        if replacing {
            f.sync_all().map_err(|e| write_error(&path, e))?;
        }
    }
    // The folder keeps its permissions (a members-only folder stays so).
    if let Ok(meta) = std::fs::metadata(dir) {
        let _ = std::fs::set_permissions(fresh, meta.permissions());
    }
    crash_point("before-swap");
    // Under the lock an interrupt takes: it never removes a set mid-swap.
    let _no_interrupt = IN_PROGRESS.lock().unwrap_or_else(|e| e.into_inner());
    if !dir.exists() {
        std::fs::rename(fresh, dir).map_err(|e| write_error(dir, e))?;
        written_whole(dir);
        return Ok(true);
    }
    if !exchange(fresh, dir) {
        return Ok(false);
    }
    written_whole(dir);
    crash_point("after-swap");
    // `fresh` now holds the previous set: removed by the caller.
    Ok(true)
}

/// Exchanges two paths atomically; `false` where the system cannot.
fn exchange(a: &Path, b: &Path) -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use std::os::unix::ffi::OsStrExt;
        let (Ok(a), Ok(b)) = (
            std::ffi::CString::new(a.as_os_str().as_bytes()),
            std::ffi::CString::new(b.as_os_str().as_bytes()),
        ) else {
            return false;
        };
        // SAFETY: two valid NUL-terminated paths, relative to the working folder.
        let r = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                a.as_ptr(),
                libc::AT_FDCWD,
                b.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        r == 0
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        let _ = (a, b);
        false
    }
}

/// Writes every output into `dir` (created if needed): all temporary files
/// first (a full disk stops here, the old files untouched), then the
/// renames, undone if one fails.
fn write_each(dir: &Path, outputs: &[Output]) -> Result<()> {
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
    // The process id in the name: a later run removes what a dead one left.
    let prefix = format!("{TEMP}{}-", std::process::id());
    b.prefix(&prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(0o666));
    }
    b.tempfile_in(dir)
}
