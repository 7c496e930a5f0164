use ahq::compile::intake;
use ahq::output::{Output, write_outputs};
use ahq::query::Query;
use ahq::record::Severity;
use ahq::validate::{FileReport, check};
use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use toml::value::Date;

/// Compile the responses: both compilations (members only, wider
/// dissemination) as xlsx, Markdown and CSV, with records.json and manifest.json.
///
/// Examples:
///   ahq compile queries/2026.1                    writes queries/2026.1/compiled/
///   ahq compile queries/2026.1 -o ~/compiled      writes ~/compiled/
///   ahq compile queries/2026.1 --skip-invalid     leaves out files with errors, and names them
///   ahq compile queries/2026.1 --date 2026-03-01  the compilation date on the cover
///   ahq compile queries/* -o ~/compiled           one folder per query in ~/compiled
///
/// A file with an error stops the compilation: nothing is written, the
/// errors are printed, and the exit status is 1 (fix them, or --skip-invalid).
/// Exit status: 0 compiled, 1 some file has an error, 2 the command could not run.
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Query folders (each holds query.toml and responses/).
    #[arg(required = true)]
    query_dirs: Vec<PathBuf>,
    /// Where to write; default QUERY_DIR/compiled. With several queries, a
    /// folder holding one folder per query.
    #[arg(short, long, value_name = "OUT")]
    out: Option<PathBuf>,
    /// The compilation date (YYYY-MM-DD); default the query's compiled_on, else today.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    date: Option<Date>,
    /// Compile the valid files and leave out those with errors (named on the
    /// members' cover, in its log and in manifest.json).
    #[arg(long)]
    skip_invalid: bool,
    /// Print nothing but errors.
    #[arg(short, long)]
    quiet: bool,
    #[command(flatten)]
    limits: super::LimitArgs,
}

fn parse_date(s: &str) -> Result<Date, String> {
    let ok = s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
    ok.then(|| ahq::dates::parse_day(s))
        .flatten()
        // Workbooks hold dates from 1900 on.
        .filter(|d| (1900..=9999).contains(&d.year))
        .ok_or_else(|| {
            format!("\"{s}\" is not a date written YYYY-MM-DD, from 1900 on (e.g. 2026-03-01)")
        })
}

/// One query, checked and ready to write.
struct Job {
    query: Query,
    out: PathBuf,
    reports: Vec<FileReport>,
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let limits = a.limits.limits();
    let mut jobs = Vec::new();
    for dir in &a.query_dirs {
        let query = Query::load(dir)?;
        let out = resolved(&out_dir(&a, dir)?);
        if out.starts_with(resolved(&query.responses_dir())) {
            bail!(
                "{}: the output folder is inside responses/, where its files would be read as responses next time: choose another with -o",
                out.display()
            );
        }
        if jobs.iter().any(|j: &Job| j.out == out) {
            bail!(
                "{}: two queries would be written to the same folder: give them folders with different names",
                out.display()
            );
        }
        let reports = check(&query, &[], &limits)?;
        jobs.push(Job {
            query,
            out,
            reports,
        });
    }

    // Everything is checked before anything is written.
    let mut refused = false;
    for job in &jobs {
        if let Err(invalid) = intake(&job.reports, a.skip_invalid) {
            refused = true;
            for r in invalid {
                for f in r.all_findings().filter(|f| f.severity == Severity::Error) {
                    eprintln!("{}", super::validate::finding_line(&r.file, f));
                }
                if !r.has_errors() {
                    eprintln!(
                        "{}: error: {}",
                        r.file,
                        ahq::templates::labels().intake.no_response
                    );
                }
            }
            eprintln!(
                "{}: nothing written: fix the errors above (`ahq validate {}` shows every finding), \
                 or use --skip-invalid to compile the other files",
                job.query.dir.display(),
                job.query.dir.display()
            );
        }
    }
    if refused {
        return Ok(ExitCode::from(1));
    }

    let mut produced: Vec<(&Job, Vec<Output>, String)> = Vec::new();
    for job in &jobs {
        let intake = intake(&job.reports, true).expect("skipping never refuses");
        let date = a
            .date
            .or(job.query.compiled_on)
            .unwrap_or_else(ahq::dates::today);
        let requested = job.query.requested_on;
        if ahq::network::date_key(date) < ahq::network::date_key(requested) {
            bail!(
                "{}: the compilation date {} is before the query was requested ({}): give the right one with --date YYYY-MM-DD",
                job.query.dir.display(),
                ahq::dates::iso(date),
                ahq::dates::iso(requested)
            );
        }
        let outputs = ahq::render::all(&job.query, &job.reports, &intake, date)?;
        let line = summary(job, &intake);
        for s in &intake.skipped {
            if !a.quiet {
                eprintln!("{}: not compiled: {}", s.file, s.reason);
            }
        }
        produced.push((job, outputs, line));
    }
    for (job, outputs, line) in &produced {
        write_outputs(&job.out, outputs)
            .with_context(|| format!("{}: nothing more written", job.out.display()))?;
        if !a.quiet {
            println!("{line}");
            println!(
                "  wrote {}: {}",
                job.out.display(),
                outputs
                    .iter()
                    .map(|o| o.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `path` made absolute, its existing part resolved (symlinks, `..`), so
/// that two spellings of one folder compare equal.
fn resolved(path: &Path) -> PathBuf {
    use std::path::Component;
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.parent() {
            Some(parent) => {
                rest.extend(existing.components().next_back());
                existing = parent;
            }
            None => break,
        }
    }
    let mut out = std::fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
    for c in rest.iter().rev() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(n) => out.push(n),
            _ => {}
        }
    }
    out
}

fn out_dir(a: &Args, dir: &Path) -> anyhow::Result<PathBuf> {
    Ok(match (&a.out, a.query_dirs.len()) {
        (None, _) => dir.join("compiled"),
        (Some(out), 1) => out.clone(),
        (Some(out), _) => {
            let name = std::fs::canonicalize(dir)
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_owned()))
                .with_context(|| format!("{}: cannot name its output folder", dir.display()))?;
            out.join(name)
        }
    })
}

fn summary(job: &Job, intake: &ahq::compile::Intake<'_>) -> String {
    let records: Vec<_> = intake
        .compiled
        .iter()
        .flat_map(|r| r.records.iter())
        .collect();
    let restricted: Vec<&str> = records
        .iter()
        .filter(|r| !ahq::policy::is_disseminable(r))
        .filter_map(|r| r.country.as_ref().map(|c| c.name.as_str()))
        .collect();
    let warnings: usize = intake
        .compiled
        .iter()
        .map(|r| r.count(Severity::Warning))
        .sum();
    let mut line = format!(
        "{}: {} response{}, {} for wider dissemination, {} not{}",
        job.query.dir.display(),
        records.len(),
        if records.len() == 1 { "" } else { "s" },
        records.len() - restricted.len(),
        restricted.len(),
        if restricted.is_empty() {
            String::new()
        } else {
            format!(" ({})", restricted.join(", "))
        }
    );
    if !intake.skipped.is_empty() {
        line.push_str(&format!("; {} file(s) not compiled", intake.skipped.len()));
    }
    if warnings > 0 {
        line.push_str(&format!(
            "; {warnings} warning{} (see the Log sheet of compilation-full.xlsx)",
            if warnings == 1 { "" } else { "s" }
        ));
    }
    line
}
