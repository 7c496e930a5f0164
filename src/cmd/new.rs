use anyhow::{Context, bail};
use std::path::PathBuf;
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
