use ahq::files::check;
use ahq::query::Query;
use ahq::record::{Finding, Severity};
use ahq::text::first_line;
use ahq::validate::FileReport;
use std::path::PathBuf;
use std::process::ExitCode;

/// Check response files with the rules the coordinator applies.
///
/// Examples:
///   ahq validate queries/2026.1                      every file in responses/
///   ahq validate queries/2026.1 ~/Desktop/BE.xlsx    one file, before sending it
///   ahq validate queries/2026.1 -v                   also each answer read, and notes
///   ahq validate queries/2026.1 --format json        for scripts (everything)
///
/// Exit status: 0 no errors, 1 some file has an error, 2 the command could not run.
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The query folder (holds query.toml and responses/).
    query_dir: PathBuf,
    /// Files to check; default: every file in responses/.
    files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
    /// Also print each answer as read, with its cell, and the notes (info).
    #[arg(short, long)]
    verbose: bool,
    #[command(flatten)]
    limits: super::LimitArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let query = Query::load(&a.query_dir)?;
    query.check_edited()?;
    // A path that is there but is no regular file (a folder, a FIFO) is
    // checked like any file, and named with what it is.
    for f in &a.files {
        if std::fs::symlink_metadata(f).is_err() {
            anyhow::bail!("{}: no such file", f.display());
        }
    }
    let limits = a.limits.limits();
    let reports = check(&query, &a.files, &limits)?;
    match a.format {
        OutputFormat::Text => print_text(&query, &reports, a.verbose)?,
        OutputFormat::Json => {
            // Escaped as JSON, so still JSON: `out!` then finds nothing raw.
            let json = serde_json::to_string_pretty(&ahq::validate::reports_json(&reports))?;
            out!("{}", ahq::text::json_escape_unsafe(&json))?
        }
    }
    let failed = reports.iter().any(FileReport::has_errors);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn finding_line(file: &str, f: &Finding) -> String {
    match &f.location {
        Some(at) => format!("{file}: {at}: {}: {}", f.severity, f.message),
        None => format!("{file}: {}: {}", f.severity, f.message),
    }
}

fn print_text(query: &Query, reports: &[FileReport], verbose: bool) -> std::io::Result<()> {
    for r in reports {
        if r.skipped.is_some() {
            // Not read: what it is and why, at the severity it has (quiet
            // for a lock file, unless asked for).
            let said: Vec<&Finding> = r
                .all_findings()
                .filter(|f| verbose || f.severity != Severity::Info)
                .collect();
            for f in &said {
                out!("{}", finding_line(&r.file, f))?;
            }
            if !said.is_empty() {
                out!("")?;
            }
            continue;
        }
        let how = match (&r.layout, &r.sheet) {
            (Some(l), Some(s)) => format!(" ({}, sheet \"{s}\")", l.describe()),
            (Some(l), None) => format!(" ({})", l.describe()),
            _ => String::new(),
        };
        out!("{}{how}", r.file)?;
        for rec in &r.records {
            let country = rec.country.as_ref().map_or(
                format!("\"{}\" (not recognised)", rec.country_as_written),
                |c| format!("{} ({})", c.name, c.code),
            );
            let flag = rec
                .dissemination
                .as_ref()
                .map_or("unreadable".to_string(), |f| {
                    format!(
                        "{}{}",
                        f.value.label(),
                        if f.given { "" } else { " (default)" }
                    )
                });
            out!("  country: {country}   wider dissemination: {flag}")?;
            if !verbose {
                continue;
            }
            if let Some(o) = rec.original.as_ref().filter(|o| !o.split) {
                out!("  all  {}  [{}]", first_line(&o.text, 70), o.source)?;
            }
            let whole = rec.original.as_ref().is_some_and(|o| !o.split);
            for q in query.questions.iter().filter(|_| !whole) {
                match rec.answer(&q.id) {
                    Some(ans) => out!(
                        "  {:>3}  {}  [{}]",
                        q.id,
                        first_line(&ans.text, 70),
                        ans.source
                    )?,
                    None => out!("  {:>3}  (no answer)", q.id)?,
                }
            }
        }
        for f in r
            .all_findings()
            .filter(|f| verbose || f.severity != Severity::Info)
        {
            out!("  {}", finding_line(&r.file, f))?;
        }
        out!("")?;
    }
    let files = reports.iter().filter(|r| r.skipped.is_none()).count();
    let records: Vec<_> = reports
        .iter()
        .flat_map(|r| r.records.iter())
        .filter(|r| r.country.is_some())
        .collect();
    let count = |s: Severity| reports.iter().map(|r| r.count(s)).sum::<usize>();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    out!(
        "{files} file{}, {} countr{}: {}; {errors} error{}, {warnings} warning{}{}",
        if files == 1 { "" } else { "s" },
        records.len(),
        if records.len() == 1 { "y" } else { "ies" },
        super::dissemination_line(&records),
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
        if errors > 0 {
            ": fix the errors above and validate again"
        } else {
            ""
        }
    )?;
    Ok(())
}
