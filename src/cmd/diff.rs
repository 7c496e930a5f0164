use ahq::changes::{Snapshot, compare, describe};
use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// What changed between two compilations of one query: countries added,
/// responses corrected (which questions, the flag), responses no longer
/// included, files left out. The same list an updated compilation prints
/// in its Changes sheet for the members.
///
/// Examples:
///   ahq diff old/compiled queries/2026.1/compiled       two compilation folders
///   ahq diff old/records.json new/records.json          their records.json
///   ahq diff OLD NEW --format json                      for scripts: {"old", "new", "changes"}
///
/// Each side is a folder ahq compile wrote (its records.json and
/// manifest.json are read) or a records.json. records.json is for the
/// network's members only, and so is what this prints.
/// Exit status: 0 compared (with or without changes), 2 the command could not run.
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The earlier compilation: its folder, or its records.json.
    old: PathBuf,
    /// The later compilation: its folder, or its records.json.
    new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = super::validate::OutputFormat::Text)]
    format: super::validate::OutputFormat,
}

/// Reads one side: a compilation folder or a records.json.
fn read(path: &Path) -> anyhow::Result<Snapshot> {
    let (records, manifest) = if path.is_dir() {
        (path.join("records.json"), path.join("manifest.json"))
    } else {
        let dir = path.parent().unwrap_or(Path::new("."));
        (path.to_path_buf(), dir.join("manifest.json"))
    };
    if !path.exists() {
        bail!(
            "{}: no such file or folder: give a folder ahq compile wrote, or its records.json",
            path.display()
        );
    }
    if !records.is_file() {
        bail!(
            "{}: holds no records.json, so it is not a folder ahq compile wrote: give the \
             compilation's folder (queries/2026.1/compiled) or its records.json",
            path.display()
        );
    }
    let bytes =
        std::fs::read(&records).with_context(|| format!("{}: cannot read", records.display()))?;
    let manifest = std::fs::read(&manifest).ok();
    Snapshot::read(&bytes, manifest.as_deref())
        .map_err(|e| anyhow::anyhow!("{}: {e}", records.display()))
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let old = read(&a.old)?;
    let new = read(&a.new)?;
    if !old.same_query(&new) {
        let name = |s: &Snapshot| {
            s.query.as_ref().map_or("?".to_string(), |(t, r)| match r {
                Some(r) => format!("{r} \"{t}\""),
                None => format!("\"{t}\""),
            })
        };
        bail!(
            "{} and {} are compilations of two queries ({} and {}): give two compilations of one",
            a.old.display(),
            a.new.display(),
            name(&old),
            name(&new)
        );
    }
    // Countries as a compilation lists them: by name.
    let mut order: Vec<(&String, &String)> = old
        .replies
        .iter()
        .chain(new.replies.iter())
        .map(|(code, r)| (&r.name, code))
        .collect();
    order.sort();
    let order: Vec<String> = order.into_iter().map(|(_, c)| c.clone()).collect();
    let changes = compare(&old, &new, &order);
    if a.format == super::validate::OutputFormat::Json {
        let side = |p: &Path, s: &Snapshot| {
            serde_json::json!({
                "path": p.display().to_string(),
                "compiled_on": s.compiled_on,
                "responses": s.replies.len(),
            })
        };
        let json = serde_json::json!({
            "schema_version": super::JSON_SCHEMA_VERSION,
            "old": side(&a.old, &old),
            "new": side(&a.new, &new),
            "changes": changes,
        });
        super::print_json(&json)?;
        return Ok(ExitCode::SUCCESS);
    }
    let when = |s: &Snapshot| s.compiled_on.clone().unwrap_or_else(|| "undated".into());
    out!(
        "from {} ({}, {} responses) to {} ({}, {} responses):",
        a.old.display(),
        when(&old),
        old.replies.len(),
        a.new.display(),
        when(&new),
        new.replies.len()
    )?;
    for c in &changes {
        out!("  {}", describe(c, true))?;
    }
    out!(
        "{} change{}",
        if changes.is_empty() {
            "no".to_string()
        } else {
            changes.len().to_string()
        },
        if changes.len() == 1 { "" } else { "s" }
    )?;
    Ok(ExitCode::SUCCESS)
}
