use ahq::index::{Audience, Index, read_compiled};
use anyhow::bail;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Builds or updates the archive index that `ahq search` reads: every
/// compiled query under the folders given.
///
/// Examples:
///   ahq index queries                          index every compiled query under queries/
///   ahq index queries old-archive --db all.sqlite
///   ahq index queries --members                the members-only index (ahq-index-members.sqlite)
///
/// A query is read from its compilation (QUERY/compiled/, as `ahq compile`
/// writes it) and its query.toml; a query folder not compiled yet is named,
/// not read: run `ahq compile` on it first. Run again after compiling more:
/// a query whose manifest.json did not change is not read again, and a
/// query no longer there leaves the index.
///
/// The index is for one audience. By default it holds only what the
/// compilations for wider dissemination hold (the responses flagged Yes):
/// no restricted text is anywhere in its file. --members makes the
/// members-only index, in its own file.
/// Exit status: 0 indexed, 1 some query could not be read (the others
/// are indexed), 2 the command could not run.
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Folders holding query folders (or query folders themselves).
    #[arg(required = true)]
    archives: Vec<PathBuf>,
    /// The index file [default: ahq-index.sqlite, or ahq-index-members.sqlite with --members].
    #[arg(long)]
    db: Option<PathBuf>,
    /// The members-only index: every response, restricted ones too.
    #[arg(long)]
    members: bool,
    /// No progress bar and no summary line.
    #[arg(short, long)]
    quiet: bool,
}

/// The default file of an audience's index.
pub fn default_db(members: bool) -> PathBuf {
    PathBuf::from(if members {
        "ahq-index-members.sqlite"
    } else {
        "ahq-index.sqlite"
    })
}

/// Query folders under `dir`: it, if it holds query.toml; else its
/// subfolders that do, at any depth, in name order.
fn query_folders(dir: &Path, out: &mut Vec<PathBuf>) {
    if dir.join("query.toml").is_file() {
        out.push(dir.to_path_buf());
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut subs: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    subs.sort();
    for s in subs {
        query_folders(&s, out);
    }
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let audience = if a.members {
        Audience::Members
    } else {
        Audience::Wider
    };
    let db = a.db.clone().unwrap_or_else(|| default_db(a.members));
    // Folders are known by their full path, however they are spelt
    // ("queries", "./queries"), so that no query is held twice.
    let mut folders = Vec::new();
    let mut archives = Vec::new();
    for dir in &a.archives {
        let Ok(dir) = std::fs::canonicalize(dir).map(|d| d.is_dir().then_some(d)) else {
            bail!(
                "{}: no such folder: give a folder of query folders (each with query.toml and compiled/)",
                dir.display()
            );
        };
        let Some(dir) = dir else {
            bail!(
                "{}: is a file: give a folder of query folders (each with query.toml and compiled/)",
                a.archives[archives.len()].display()
            );
        };
        query_folders(&dir, &mut folders);
        archives.push(dir);
    }
    let start = std::time::Instant::now();
    let mut index = Index::open(&db, audience)?;
    let known = index.known()?;
    let progress = super::compile::Progress::new(folders.len() as u64, a.quiet, "queries");
    let (mut read, mut unchanged, mut failed) = (0usize, 0usize, 0usize);
    let mut seen: Vec<String> = Vec::new();
    for q in &folders {
        progress.tick();
        let path = q.display().to_string();
        seen.push(path.clone());
        let compiled = q.join("compiled");
        let manifest = compiled.join("manifest.json");
        // What cannot be read now is not left as it was: an earlier
        // reading of it leaves the index (its flags may have changed).
        let mut forget = |index: &mut Index| -> anyhow::Result<&'static str> {
            failed += 1;
            if known.iter().any(|(p, _)| *p == path) {
                index.remove(&path)?;
                Ok("; its earlier reading is removed from the index")
            } else {
                Ok("")
            }
        };
        let Ok(bytes) = std::fs::read(&manifest) else {
            let removed = forget(&mut index)?;
            err!(
                "{path}: not indexed: it has no compilation (compiled/manifest.json): run `ahq compile {path}` first{removed}"
            );
            continue;
        };
        let sha = ahq_core::validate::sha256_hex(&bytes);
        if known.iter().any(|(p, m)| *p == path && *m == sha) {
            unchanged += 1;
            continue;
        }
        match read_compiled(q, &compiled, sha, audience) {
            Ok(indexed) => {
                index.put(&indexed)?;
                read += 1;
            }
            Err(e) => {
                let removed = forget(&mut index)?;
                err!("{path}: not indexed: {e}{removed}");
            }
        }
    }
    // Queries no longer under the folders given leave the index, when
    // they were under one of them.
    let mut removed = 0usize;
    for (path, _) in &known {
        let under = archives.iter().any(|dir| Path::new(path).starts_with(dir));
        if under && !seen.contains(path) {
            index.remove(path)?;
            removed += 1;
        }
    }
    progress.finish();
    let (queries, answers) = index.counts()?;
    if !a.quiet {
        out!(
            "{}: {queries} {}, {answers} {} ({} index); {read} read, {unchanged} unchanged, {removed} removed, {failed} not indexed, in {:.1} s",
            db.display(),
            if queries == 1 { "query" } else { "queries" },
            if answers == 1 { "answer" } else { "answers" },
            match audience {
                Audience::Members => "members-only",
                Audience::Wider => "wider",
            },
            start.elapsed().as_secs_f64()
        )?;
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
