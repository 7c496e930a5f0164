use ahq::files::check;
use ahq::policy::DatedBy;
use ahq::query::Query;
use ahq::status::{State, status};
use std::path::PathBuf;
use std::process::ExitCode;

/// Show who has answered during a collection: every expected country
/// (and any other that answered) as received, missing or invalid.
///
/// Examples:
///   ahq status queries/2026.1                  a line per country, then the totals
///   ahq status queries/2026.1 --format json    for scripts: country, name, status, ...
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The query folder (holds query.toml and responses/).
    query_dir: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = super::validate::OutputFormat::Text)]
    format: super::validate::OutputFormat,
    #[command(flatten)]
    limits: super::LimitArgs,
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let query = Query::load(&a.query_dir)?;
    let reports = check(&query, &[], &a.limits.limits())?;
    // The last compilation in the query's own folder: which files it read.
    let last: Option<(String, Vec<String>)> =
        std::fs::read(query.dir.join("compiled").join("manifest.json"))
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .map(|m| {
                let shas = m["files"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|f| f["sha256"].as_str().map(str::to_string))
                    .collect();
                (m["compiled_on"].as_str().unwrap_or("?").to_string(), shas)
            });
    let lines = status(
        &query,
        &reports,
        ahq::today(),
        last.as_ref().map(|(_, shas)| shas.as_slice()),
    );
    if a.format == super::validate::OutputFormat::Json {
        let json = serde_json::to_string_pretty(&lines)?;
        out!("{}", ahq::text::json_escape_unsafe(&json))?;
        return Ok(ExitCode::SUCCESS);
    }
    let width = lines
        .iter()
        .map(|l| l.name.chars().count())
        .max()
        .unwrap_or(0);
    for l in &lines {
        let flag = match l.dissemination {
            Some("yes") => "wider: Yes",
            Some(_) => "wider: No ",
            None => "          ",
        };
        // Late, and by which date: a person may know the file was re-saved.
        let late = match (l.late, &l.dated, l.dated_by) {
            (Some(true), Some(day), Some(DatedBy::DateCell)) => {
                format!("  late (dated {day} in the file)")
            }
            (Some(true), Some(day), Some(DatedBy::Email)) => {
                format!("  late (e-mail of {day})")
            }
            (Some(true), Some(day), _) => format!("  late (received {day})"),
            _ => String::new(),
        };
        let note = if l.expected || l.status == State::Missing {
            ""
        } else {
            "  (not expected)"
        };
        let earlier = if l.superseded.is_empty() {
            String::new()
        } else {
            format!("  (supersedes {})", l.superseded.join(", "))
        };
        let line = format!(
            "{:<width$}  {:<8}  {flag}  {}{earlier}{late}{note}",
            l.name,
            l.status.as_str(),
            l.file.as_deref().unwrap_or("")
        );
        out!("{}", line.trim_end())?;
        // Why it is not compiled, as compile would say.
        if let Some(why) = &l.why {
            out!("{:<width$}    not included: {why}", "")?;
        }
    }
    // Totals against the expected list; others who answered are counted apart.
    let count = |s: State| lines.iter().filter(|l| l.expected && l.status == s).count();
    let others = lines.iter().filter(|l| !l.expected).count();
    let late = lines.iter().filter(|l| l.late == Some(true)).count();
    let missing: Vec<&str> = lines
        .iter()
        .filter(|l| l.status == State::Missing)
        .map(|l| l.name.as_str())
        .collect();
    out!(
        "\n{} expected: {} received{}, {} invalid, {} missing{}{}{}",
        query.expected.len(),
        count(State::Received) + count(State::Empty),
        match count(State::Empty) {
            0 => String::new(),
            n => format!(" ({n} empty)"),
        },
        count(State::Invalid),
        missing.len(),
        if late > 0 {
            format!(
                ", {late} late (by the received date in decisions.toml, else the e-mail's, else the date in the file)"
            )
        } else {
            String::new()
        },
        if others > 0 {
            format!("; {others} more from outside the expected list")
        } else {
            String::new()
        },
        if missing.is_empty() {
            String::new()
        } else {
            format!("\nmissing: {}", missing.join(", "))
        }
    )?;
    for r in reports.iter().filter(|r| r.skipped.is_some()) {
        // An archive (or e-mail) passed over is one whose files were read,
        // one by one; one inside another is not opened.
        let inside = format!("{}/", r.file);
        let unpacked = matches!(
            ahq::reading::classify(std::path::Path::new(&r.file)),
            ahq::reading::Kind::Archive | ahq::reading::Kind::Mail
        ) && reports.iter().any(|m| m.file.starts_with(&inside));
        out!(
            "{}: {}: {}",
            if unpacked { "unpacked" } else { "not read" },
            r.file,
            r.skipped.as_deref().unwrap_or_default()
        )?;
    }
    if let Some((day, _)) = &last {
        let new: Vec<String> = lines
            .iter()
            .filter(|l| l.after_compilation == Some(true))
            .map(|l| format!("{} ({})", l.file.as_deref().unwrap_or(""), l.name))
            .collect();
        if new.is_empty() {
            out!("received after the last compilation ({day}): none")?;
        } else {
            out!(
                "received after the last compilation ({day}): {}; compile again for an updated compilation",
                new.join(", ")
            )?;
        }
    }
    if lines.iter().any(|l| l.status == State::Invalid) {
        out!(
            "invalid files: run `ahq validate {}` to see what to fix",
            query.dir.display()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
