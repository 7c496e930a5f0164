use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Create a query folder from the commented starter query.toml.
///
/// Example:
///   ahq new queries/2026.1
///   (edit queries/2026.1/query.toml, then: ahq template queries/2026.1)
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The folder to create (it may exist, but not hold a query.toml yet).
    dir: PathBuf,
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    refuse_wrong_place(&a.dir)?;
    let query = a.dir.join("query.toml");
    if query.exists() {
        bail!(
            "{}: already exists; ahq new does not overwrite a query",
            query.display()
        );
    }
    std::fs::create_dir_all(a.dir.join("responses"))
        .with_context(|| format!("{}: cannot create the folder", a.dir.display()))?;
    super::write_atomically(&query, ahq::templates::STARTER_QUERY.as_bytes())?;
    out!("created {}", query.display())?;
    out!(
        "next: edit it, then `ahq template {} --all` to write the response workbooks and the \
         page on which contact points check their file before sending it",
        a.dir.display()
    )?;
    Ok(ExitCode::SUCCESS)
}

/// A query folder goes beside the others, never inside one nor in place
/// of a file: the mistakes a path pasted from elsewhere makes.
fn refuse_wrong_place(dir: &Path) -> anyhow::Result<()> {
    let shown = dir.display();
    if dir.is_file() {
        if dir.file_name().is_some_and(|n| n == "query.toml") {
            bail!(
                "{shown}: is a file: give the folder to create, not its query.toml \
                 (this one already holds a query)"
            );
        }
        bail!(
            "{shown}: is a file: give the folder to create for the query, as in `ahq new queries/2026.1`"
        );
    }
    // Part of the path is a file: nothing can be created below it.
    if let Some(file) = dir.ancestors().skip(1).find(|a| a.is_file()) {
        bail!(
            "{}: is a file, so {shown} cannot be created: give a folder beside it",
            file.display()
        );
    }
    // Directly in a query folder, or in its responses/ or compiled/: a
    // query.toml further up is some other arrangement, not ours to judge.
    let is_query = |a: &Path| !a.as_os_str().is_empty() && a.join("query.toml").is_file();
    let parent = dir.parent().unwrap_or(Path::new(""));
    let inside = if is_query(parent) {
        Some(parent)
    } else {
        parent
            .file_name()
            .filter(|n| *n == "responses" || *n == "compiled")
            .and(parent.parent())
            .filter(|g| is_query(g))
    };
    if let Some(query) = inside {
        let beside = query.parent().filter(|p| !p.as_os_str().is_empty());
        bail!(
            "{shown}: is inside the query folder {}: a query needs a folder of its own, as in `ahq new {}`",
            query.display(),
            beside.map_or("NEW_FOLDER".to_string(), |p| p
                .join("NEW_FOLDER")
                .display()
                .to_string())
        );
    }
    // A folder of queries: the new one goes beside them, not above.
    let held = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .find(|e| e.path().join("query.toml").is_file());
    if let Some(q) = held {
        bail!(
            "{shown}: holds query folders ({}, …): a new query goes beside them, as in `ahq new {}`",
            q.file_name().to_string_lossy(),
            dir.join("NEW_FOLDER").display()
        );
    }
    Ok(())
}
