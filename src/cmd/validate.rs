use ahq::files::check;
use ahq::query::{Query, embedded};
use ahq::reading::{self, Kind, Limits};
use ahq::record::{Finding, Severity};
use ahq::text::first_line;
use ahq::validate::FileReport;
use anyhow::bail;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Check response files with the rules the coordinator applies.
///
/// Examples:
///   ahq validate ~/Desktop/BE.xlsx                   a filled-in template: it carries its query
///   ahq validate queries/2026.1                      every file in responses/
///   ahq validate queries/2026.1 ~/Desktop/BE.xlsx    one file, before sending it
///   ahq validate --query query.toml BE.docx          any file, with the query it answers
///   ahq validate --query template.xlsx BE.docx       the blank template carries the query too
///   ahq validate queries/*                           every query's files, in turn
///   ahq validate queries/2026.1 -q                   only the errors
///   ahq validate queries/2026.1 -v                   also each answer read, and notes
///   ahq validate queries/2026.1 --format json        for scripts (README: "JSON output")
///
/// A workbook made with `ahq template` carries its query, so it needs no
/// query folder; any other file needs the query: its folder first, or --query.
///
/// Exit status: 0 no errors, 1 some file has an error, 2 the command could not run.
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The query folder (holds query.toml and responses/), then the files to
    /// check (default: every file in responses/); or several query folders;
    /// or only files, each checked against the query it carries (or --query).
    #[arg(required_unless_present = "query", value_name = "QUERY_FOLDER|FILE")]
    paths: Vec<PathBuf>,
    /// The query the files answer: a query.toml, a query folder, or a blank
    /// template made with `ahq template`.
    #[arg(long, value_name = "PATH")]
    query: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
    /// Also print each answer as read, with its cell, and the notes (info).
    #[arg(short, long, conflicts_with = "quiet")]
    verbose: bool,
    /// Print nothing but the errors (the exit status says whether there are any).
    #[arg(short, long)]
    quiet: bool,
    #[command(flatten)]
    limits: super::LimitArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let limits = a.limits.limits();
    // Each group of files with the query they answer: one group, unless
    // files alone carry different queries.
    let is_query = |p: &PathBuf| p.is_dir() && p.join("query.toml").is_file();
    let groups: Vec<(Query, Vec<PathBuf>)> = match (&a.query, a.paths.split_first()) {
        // Query folders alone: each with every file in its responses/.
        (None, Some(_)) if a.paths.len() > 1 && a.paths.iter().all(is_query) => a
            .paths
            .iter()
            .map(|dir| {
                let query = Query::load(dir)?;
                query.check_edited()?;
                Ok((query, Vec::new()))
            })
            .collect::<anyhow::Result<_>>()?,
        (None, Some((first, files))) if first.is_dir() || !looks_like_a_file(first) => {
            let query = Query::load(first)?;
            query.check_edited()?;
            vec![(query, files.to_vec())]
        }
        (None, _) => by_carried_query(&a.paths, &limits)?,
        (Some(q), _) => {
            if let Some(dir) = a.paths.first().filter(|p| p.is_dir()) {
                bail!(
                    "{}: is a folder: with --query, name the response files themselves \
                     (or give the query folder alone: `ahq validate {}`)",
                    dir.display(),
                    dir.display()
                );
            }
            vec![(given_query(q, &a.paths, &limits)?, a.paths.clone())]
        }
    };
    // A path that is there but is no regular file (a folder, a FIFO) is
    // checked like any file, and named with what it is.
    for f in groups.iter().flat_map(|(_, files)| files) {
        if std::fs::symlink_metadata(f).is_err() {
            bail!("{}: no such file", f.display());
        }
    }
    let mut checked = Vec::new();
    for (query, files) in &groups {
        checked.push((query, check(query, files, &limits)?));
    }
    match a.format {
        OutputFormat::Text if a.quiet => print_errors(&checked)?,
        OutputFormat::Text => print_text(&checked, a.verbose)?,
        OutputFormat::Json => {
            super::print_json(&json(&checked))?;
        }
    }
    Ok(exit_status(checked.iter().flat_map(|(_, r)| r)))
}

/// `ahq validate --format json`: docs/json/validate.schema.json.
fn json(checked: &[(&Query, Vec<FileReport>)]) -> serde_json::Value {
    let mut files = Vec::new();
    for (query, reports) in checked {
        let q = super::query_json(query);
        if let serde_json::Value::Array(each) = ahq::validate::reports_json(reports) {
            files.extend(each.into_iter().map(|mut f| {
                f["query"] = q.clone();
                f
            }));
        }
    }
    serde_json::json!({
        "schema_version": super::JSON_SCHEMA_VERSION,
        "files": files,
        "summary": Summary::of(checked),
    })
}

/// The totals the last line gives.
#[derive(serde::Serialize)]
struct Summary {
    /// Files read as responses (not those passed over: lock files, notes).
    files: usize,
    /// Countries that answered, each once however many files it sent.
    countries: usize,
    errors: usize,
    warnings: usize,
    /// Responses that may go to the wider compilation, and those that may not.
    for_wider: usize,
    not_for_wider: usize,
    /// The countries whose responses may not.
    not_for_wider_countries: Vec<String>,
}

impl Summary {
    fn of(checked: &[(&Query, Vec<FileReport>)]) -> Summary {
        let reports: Vec<&FileReport> = checked.iter().flat_map(|(_, r)| r).collect();
        let records: Vec<&ahq::record::Record> = reports
            .iter()
            .flat_map(|r| r.records.iter())
            .filter(|r| r.country.is_some())
            .collect();
        let mut countries: Vec<&str> = records
            .iter()
            .filter_map(|r| r.country.as_ref().map(|c| c.code.as_str()))
            .collect();
        countries.sort_unstable();
        countries.dedup();
        let not: Vec<String> = records
            .iter()
            .filter(|r| !ahq::policy::is_disseminable(r))
            .filter_map(|r| r.country.as_ref().map(|c| c.name.clone()))
            .collect();
        let count = |s: Severity| reports.iter().map(|r| r.count(s)).sum::<usize>();
        Summary {
            files: reports.iter().filter(|r| r.skipped.is_none()).count(),
            countries: countries.len(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            for_wider: records.len() - not.len(),
            not_for_wider: not.len(),
            not_for_wider_countries: not,
        }
    }
}

/// `-q`: the error lines alone.
fn print_errors(checked: &[(&Query, Vec<FileReport>)]) -> std::io::Result<()> {
    for r in checked.iter().flat_map(|(_, r)| r) {
        for f in r.all_findings().filter(|f| f.severity == Severity::Error) {
            out!("{}", finding_line(&r.file, f))?;
        }
    }
    Ok(())
}

fn exit_status<'a>(mut reports: impl Iterator<Item = &'a FileReport>) -> ExitCode {
    if reports.any(FileReport::has_errors) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A path that is not there but names a file (`BE.xlsx`), not a query
/// folder (`queries/2026.1`): said to be missing as a file.
fn looks_like_a_file(path: &Path) -> bool {
    path.exists()
        || matches!(
            reading::classify(path),
            Kind::Response(_) | Kind::Archive | Kind::Mail
        )
}

/// How to give the query of `file`, for messages.
fn how_to_give(file: &Path) -> String {
    let f = file.display();
    format!(
        "give the query it answers: `ahq validate --query query.toml {f}`, or \
         `ahq validate --query blank-template.xlsx {f}` (a blank template made with \
         `ahq template` carries the query too), or the query folder first: \
         `ahq validate QUERY_FOLDER {f}`"
    )
}

/// What a file says of the query it answers.
enum Carries {
    Query(Box<Query>),
    /// Why it carries none.
    Nothing(&'static str),
}

/// The query `path` carries, read as `ahq validate` reads files, within the
/// limits. `Err` when the file cannot be read, or carries a query that was
/// changed after `ahq template` wrote it.
fn carried(path: &Path, limits: &Limits) -> Result<Carries, String> {
    let f = path.display();
    let meta = std::fs::metadata(path).map_err(|e| format!("{f}: cannot read: {e}"))?;
    if meta.is_dir() {
        return Err(format!(
            "{f}: is a folder: a query folder goes first, then the files, as in \
             `ahq validate {f} FILE`"
        ));
    }
    let format = match reading::classify(path) {
        Kind::Response(format) => format,
        Kind::Skip(reason) | Kind::NotRead(reason) | Kind::Unknown(reason) => {
            return Err(format!("{f}: not read: {reason}"));
        }
        Kind::Archive => return Ok(Carries::Nothing("a zip archive carries no query")),
        Kind::Mail => return Ok(Carries::Nothing("a saved e-mail carries no query")),
    };
    // The one way files are read: never waiting on a FIFO or a device,
    // never past the size limit.
    let (bytes, _) = ahq::files::read_limited(path, limits.max_file_bytes)
        .map_err(|finding| format!("{f}: {}", finding.message))?;
    let wb = match &limits.isolation {
        Some(elsewhere) => elsewhere.0.read(&bytes, format, limits),
        None => reading::read_bytes(&bytes, format, limits),
    }
    .map_err(|e| format!("{f}: {e}"))?;
    let Some(meta) = wb.ahq_meta else {
        return Ok(Carries::Nothing(
            "only a workbook made with `ahq template` carries its query",
        ));
    };
    match embedded(&meta) {
        None => Ok(Carries::Nothing(
            "it was made from a template of an older ahq, which did not store the query",
        )),
        Some(Ok(q)) => Ok(Carries::Query(Box::new(q))),
        Some(Err(e)) => Err(format!("{f}: {e}")),
    }
}

/// Files named alone: each checked against the query it carries, files
/// that carry the same query together (so two files of one country are
/// still found). Any file without one stops the command, naming it.
fn by_carried_query(
    files: &[PathBuf],
    limits: &Limits,
) -> anyhow::Result<Vec<(Query, Vec<PathBuf>)>> {
    let mut groups: Vec<(String, Query, Vec<PathBuf>)> = Vec::new();
    let mut problems = Vec::new();
    for f in files {
        if std::fs::symlink_metadata(f).is_err() {
            bail!("{}: no such file", f.display());
        }
        match carried(f, limits) {
            Ok(Carries::Query(q)) => {
                let text = q.to_toml();
                match groups.iter_mut().find(|(t, _, _)| *t == text) {
                    Some((_, _, list)) => list.push(f.clone()),
                    None => groups.push((text, *q, vec![f.clone()])),
                }
            }
            Ok(Carries::Nothing(why)) => problems.push(format!(
                "{}: this file does not carry the query it answers ({why}): {}",
                f.display(),
                how_to_give(f)
            )),
            Err(message) => problems.push(message),
        }
    }
    if !problems.is_empty() {
        bail!("{}", problems.join("\nahq: error: "));
    }
    Ok(groups.into_iter().map(|(_, q, files)| (q, files)).collect())
}

/// The query `--query PATH` names: a query folder, a query.toml, or a
/// workbook that carries one (a blank template).
fn given_query(path: &Path, files: &[PathBuf], limits: &Limits) -> anyhow::Result<Query> {
    let p = path.display();
    let what = "--query takes a query.toml, a query folder, or a blank template made with \
                `ahq template`";
    if path.is_dir() {
        let query = Query::load(path)?;
        query.check_edited()?;
        return Ok(query);
    }
    if !path.exists() {
        bail!("--query {p}: no such file or folder: {what}");
    }
    let toml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    if toml {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("--query {p}: cannot read: {e}"))?;
        // Its folder is the query folder: with no files named, its responses/.
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let query = Query::parse(dir, path, &text)?;
        query.check_edited()?;
        return Ok(query);
    }
    match carried(path, limits) {
        Ok(Carries::Query(_)) if files.is_empty() => bail!(
            "--query {p}: name the files to check after it, as in \
             `ahq validate --query {p} BE.xlsx`"
        ),
        Ok(Carries::Query(q)) => Ok(*q),
        Ok(Carries::Nothing(why)) => {
            bail!("--query {p}: this file carries no query ({why}): {what}")
        }
        Err(message) => bail!("--query {message}"),
    }
}

pub fn finding_line(file: &str, f: &Finding) -> String {
    match &f.location {
        Some(at) => format!("{file}: {at}: {}: {}", f.severity, f.message),
        None => format!("{file}: {}: {}", f.severity, f.message),
    }
}

fn print_text(checked: &[(&Query, Vec<FileReport>)], verbose: bool) -> std::io::Result<()> {
    let each = checked
        .iter()
        .flat_map(|(q, reports)| reports.iter().map(move |r| (*q, r)));
    for (query, r) in each {
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
        let how = match (&r.layout, &r.read_from) {
            (Some(l), Some(s)) => format!(" ({}, {s})", l.describe()),
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
    let t = Summary::of(checked);
    let wider = super::dissemination_line(t.for_wider, &t.not_for_wider_countries);
    out!(
        "{}, {}: {wider}; {}, {}{}",
        super::count(t.files, "file", "files"),
        super::count(t.countries, "country", "countries"),
        super::count(t.errors, "error", "errors"),
        super::count(t.warnings, "warning", "warnings"),
        if t.errors > 0 {
            ": fix the errors above and validate again"
        } else {
            ""
        }
    )?;
    Ok(())
}
