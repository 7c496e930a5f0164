use ahq::compile::intake;
use ahq::files::check_each;
use ahq::output::write_outputs;
use ahq::query::Query;
use ahq::record::Severity;
use anyhow::{Context, bail};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use toml::value::Date;

/// Compile the responses: both compilations (members only, wider
/// dissemination) as xlsx, Markdown, Word and CSV, with records.json and
/// manifest.json; with --pdf, the Word compilations as PDF too.
///
/// Examples:
///   ahq compile queries/2026.1                    writes queries/2026.1/compiled/
///   ahq compile queries/2026.1 -o ~/compiled      writes ~/compiled/
///   ahq compile queries/2026.1 --skip-invalid     leaves out files with errors, and names them
///   ahq compile queries/2026.1 --date 2026-03-01  the compilation date on the cover
///   ahq compile queries/* -o ~/compiled           one folder per query in ~/compiled
///   ahq compile queries/2026.1 --pdf              also compilation-full.pdf, compilation-wider.pdf
///   ahq compile queries/* --format json           for scripts: what was written, per query
///   ahq compile queries/* --formats xlsx,json     only the workbooks (and records.json)
///
/// A file with an error stops its query's compilation: nothing is written for
/// that query, the errors are printed, and the exit status is 1 (fix them, or
/// --skip-invalid). Other queries are compiled. Queries and files are read in
/// parallel; a progress bar shows on a terminal when it takes a while.
/// Interrupted (Ctrl-C), it says which queries were written; the others
/// are as they were (a query's folder is replaced whole or not at all).
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
    /// Also write compilation-full.pdf and compilation-wider.pdf, converted
    /// from the Word compilations by LibreOffice (soffice on PATH; without
    /// it, nothing is written and the exit status is 2).
    #[arg(long)]
    pdf: bool,
    /// The outputs to write, separated by commas: some of xlsx, docx, md,
    /// csv, json (records.json, which an updated compilation, `ahq diff`
    /// and `ahq index` read). manifest.json is always written and names them.
    #[arg(long, value_name = "LIST", default_value = "xlsx,docx,md,csv,json",
          value_parser = |s: &str| ahq::render::Formats::parse(s))]
    formats: ahq::render::Formats,
    /// Print nothing but errors.
    #[arg(short, long)]
    quiet: bool,
    /// Output format of what is printed: text, or json (what was written
    /// for each query; README: "JSON output").
    #[arg(long, value_enum, default_value_t = super::validate::OutputFormat::Text)]
    format: super::validate::OutputFormat,
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

/// One query to compile, its folders checked before any file is read. The
/// query itself is loaded again when compiled, not kept: memory follows the
/// queries in flight, never the number asked for.
struct Plan {
    dir: PathBuf,
    out: PathBuf,
    /// Entries in its responses folder, for the progress bar.
    files: u64,
    /// The query as `--format json` names it.
    shown: Option<serde_json::Value>,
}

/// What compiling one query came to.
enum Outcome {
    Compiled(Compiled),
    /// A file has an error and --skip-invalid was not given: nothing written.
    Refused {
        errors: Vec<String>,
    },
}

/// A query compiled and written.
struct Compiled {
    out: PathBuf,
    /// The files written, by name.
    written: Vec<String>,
    responses: usize,
    for_wider: usize,
    /// The countries whose responses are withheld from the wider compilation.
    not_for_wider: Vec<String>,
    /// Files received and not compiled, and why.
    not_compiled: Vec<(String, String)>,
    warnings: Vec<String>,
    /// For an updated compilation: what changed since the earlier one.
    update: Option<String>,
    /// Warnings in the responses compiled (their lines are in the Log).
    response_warnings: usize,
}

impl Compiled {
    /// Only what the summary line and the warnings need.
    fn counted(self) -> Compiled {
        Compiled {
            written: Vec::new(),
            not_for_wider: Vec::new(),
            update: None,
            ..self
        }
    }
}

/// Queries this run compiles (their output folder, and the folder as given),
/// for the line an interrupt prints.
static PLANNED: std::sync::Mutex<Vec<(PathBuf, String)>> = std::sync::Mutex::new(Vec::new());

/// The line an interrupt prints: which queries were written whole, and
/// that the others are untouched.
pub fn interrupted_line() -> String {
    let planned = PLANNED.lock().map(|p| p.clone()).unwrap_or_default();
    let written = ahq::output::written();
    // Named as they were given, in the order given.
    let mut named: Vec<String> = planned
        .iter()
        .filter(|(out, _)| written.contains(out))
        .map(|(_, dir)| dir.clone())
        .take(10)
        .collect();
    if written.len() > 10 {
        named.push(format!("and {} more", written.len() - 10));
    }
    let rest = match planned.len().saturating_sub(written.len()) {
        0 => String::new(),
        1 => "; the other one is as it was before this run".to_string(),
        n => format!("; the other {n} are as they were before this run"),
    };
    format!(
        "ahq: interrupted: {} of {} written{}{rest}",
        written.len(),
        super::count(planned.len(), "query", "queries"),
        if named.is_empty() {
            String::new()
        } else {
            format!(" ({})", named.join(", "))
        },
    )
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let start = std::time::Instant::now();
    // Built while the first files are read, not after.
    rayon::spawn(ahq::analysis::prepare);
    let limits = a.limits.limits();
    let plans = plan(&a)?;
    if let Some(iso) = a.limits.isolation() {
        ahq::isolate::prestart(&iso, rayon::current_num_threads());
    }
    if let Ok(mut planned) = PLANNED.lock() {
        *planned = plans
            .iter()
            .map(|p| (p.out.clone(), p.dir.display().to_string()))
            .collect();
    }
    let several = plans.len() > 1;
    let json = a.format == super::validate::OutputFormat::Json;
    let files: u64 = plans.iter().map(|p| p.files).sum();
    let bar = Progress::new(files, a.quiet, "files");

    // Queries in parallel, and the files of each: memory follows the
    // queries in flight, never the archive. Past MAX_LINES queries, what each
    // wrote is not printed, so not kept.
    let each_said = json || plans.len() <= MAX_LINES;
    let outcomes: Vec<anyhow::Result<Outcome>> = plans
        .par_iter()
        .map(|p| {
            let outcome = compile_one(p, &a, &limits, several, &|| bar.tick());
            match outcome {
                Ok(Outcome::Compiled(c)) if !each_said => Ok(Outcome::Compiled(c.counted())),
                other => other,
            }
        })
        .collect();
    bar.finish();

    let mut t = Totals::default();
    let mut reported = Vec::new();
    for (plan, outcome) in plans.iter().zip(outcomes) {
        if json {
            reported.push(query_json(plan, &outcome));
        }
        match outcome {
            Ok(Outcome::Compiled(c)) => {
                t.compiled += 1;
                t.responses += c.responses;
                t.not_compiled += c.not_compiled.len();
                if !a.quiet && !json {
                    c.warnings.iter().for_each(|w| err!("{w}"));
                    if each_said {
                        for l in lines(&plan.dir, &c) {
                            out!("{l}")?;
                        }
                    }
                }
            }
            Ok(Outcome::Refused { errors }) => {
                t.refused += 1;
                if !json {
                    errors.iter().for_each(|e| err!("{e}"));
                    err!(
                        "{}: nothing written: fix the errors above (`ahq validate {}` shows every finding), \
                         or use --skip-invalid to compile the other files",
                        plan.dir.display(),
                        plan.dir.display()
                    );
                }
            }
            Err(e) => {
                t.failed += 1;
                if !json {
                    err!("ahq: error: {e:#}");
                }
            }
        }
    }
    if json {
        let v = serde_json::json!({
            "schema_version": super::JSON_SCHEMA_VERSION,
            "queries": reported,
            "summary": {
                "queries": plans.len(),
                "compiled": t.compiled,
                "refused": t.refused,
                "failed": t.failed,
                "responses": t.responses,
                "not_compiled": t.not_compiled,
            },
        });
        super::print_json(&v)?;
    } else if several && !a.quiet {
        out!(
            "{} of {} compiled, {}, {} not compiled{}, in {:.1} s",
            t.compiled,
            super::count(plans.len(), "query", "queries"),
            super::count(t.responses, "response", "responses"),
            super::count(t.not_compiled, "file", "files"),
            if t.refused > 0 {
                format!(", {} refused for errors", t.refused)
            } else {
                String::new()
            },
            start.elapsed().as_secs_f64()
        )?;
    }
    Ok(if t.failed > 0 {
        ExitCode::from(2)
    } else if t.refused > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

#[derive(Default)]
struct Totals {
    compiled: usize,
    refused: usize,
    failed: usize,
    responses: usize,
    not_compiled: usize,
}

/// One query in `ahq compile --format json`: docs/json/compile.schema.json.
fn query_json(plan: &Plan, outcome: &anyhow::Result<Outcome>) -> serde_json::Value {
    use serde_json::json;
    let query = plan.shown.clone().unwrap_or_default();
    match outcome {
        Ok(Outcome::Compiled(c)) => json!({
            "query": query,
            "result": "compiled",
            "out": c.out.display().to_string(),
            "written": c.written,
            "responses": c.responses,
            "for_wider": c.for_wider,
            "not_for_wider": c.not_for_wider,
            "not_compiled": c.not_compiled.iter().map(|(file, reason)| json!({"file": file, "reason": reason})).collect::<Vec<_>>(),
            "update": c.update,
            "warnings": c.warnings,
            "errors": [],
        }),
        Ok(Outcome::Refused { errors }) => json!({
            "query": query,
            "result": "refused",
            "out": null,
            "written": [],
            "errors": errors,
        }),
        Err(e) => json!({
            "query": query,
            "result": "failed",
            "out": null,
            "written": [],
            "errors": [format!("{e:#}")],
        }),
    }
}

/// Beyond this many queries, only the summary line is printed.
const MAX_LINES: usize = 20;

/// Loads every query.toml and settles every output folder and date before
/// any response is read: a mistake there stops the run at once (exit 2).
fn plan(a: &Args) -> anyhow::Result<Vec<Plan>> {
    let mut plans: Vec<Plan> = Vec::new();
    // Before any file is read: a missing LibreOffice is known at once.
    if a.pdf {
        if !a.formats.docx {
            bail!("--pdf converts the Word compilations: add docx to --formats");
        }
        super::pdf::soffice()?;
    }
    for dir in &a.query_dirs {
        let query = Query::load(dir)?;
        query.check_edited()?;
        let out_given = out_dir(a, dir)?;
        if out_given.is_file() {
            bail!(
                "{}: is a file: -o names the folder the compilations are written into; give a folder (it is created if missing)",
                out_given.display()
            );
        }
        // A link to nowhere: creating the folder would fail with "File exists".
        if !out_given.exists()
            && let Ok(target) = std::fs::read_link(&out_given)
        {
            bail!(
                "{}: is a symbolic link to {}, which does not exist: create that folder, or give another with -o",
                out_given.display(),
                target.display()
            );
        }
        let out = resolved(&out_given);
        if out.starts_with(resolved(&query.responses_dir())) {
            bail!(
                "{}: the output folder is inside responses/, where its files would be read as responses next time: choose another with -o",
                out.display()
            );
        }
        // Another query's responses/ too: files written there
        // would be read as responses the next time that query is compiled.
        if let Some(responses) = out.ancestors().find(|a| {
            a.file_name().is_some_and(|n| n == "responses")
                && a.parent().is_some_and(|q| q.join("query.toml").is_file())
        }) {
            bail!(
                "{}: the output folder is inside {}, a query's responses/, where its files would be read as responses next time: choose another with -o",
                out.display(),
                responses.display()
            );
        }
        if plans.iter().any(|p| p.out == out) {
            bail!(
                "{}: two queries would be written to the same folder: give them folders with different names",
                out.display()
            );
        }
        compilation_date(a, &query)?;
        let shown =
            (a.format == super::validate::OutputFormat::Json).then(|| super::query_json(&query));
        plans.push(Plan {
            files: ahq::files::response_files(&query).map_or(0, |f| f.len() as u64),
            dir: query.dir.clone(),
            out,
            shown,
        });
    }
    Ok(plans)
}

/// The compilation date, never before the query was requested. Asked
/// again when a query is loaded for its turn: its query.toml may have been
/// edited while earlier queries compiled.
fn compilation_date(a: &Args, query: &Query) -> anyhow::Result<Date> {
    // Today as the run started: one run past midnight still dates every
    // query alike.
    static TODAY: std::sync::OnceLock<Date> = std::sync::OnceLock::new();
    let date = a
        .date
        .or(query.compiled_on)
        .unwrap_or_else(|| *TODAY.get_or_init(ahq::today));
    if ahq::network::date_key(date) < ahq::network::date_key(query.requested_on) {
        bail!(
            "{}: the compilation date {} is before the query was requested ({}): give the right one with --date YYYY-MM-DD",
            query.dir.display(),
            ahq::dates::iso(date),
            ahq::dates::iso(query.requested_on)
        );
    }
    Ok(date)
}

/// Checks, compiles and writes one query. Each query stands alone: one with
/// an invalid file writes nothing, the others are compiled.
fn compile_one(
    p: &Plan,
    a: &Args,
    limits: &ahq::reading::Limits,
    several: bool,
    tick: &(dyn Fn() + Sync),
) -> anyhow::Result<Outcome> {
    // Checked as `plan` checked it: the file may have been edited since.
    let query = Query::load(&p.dir)?;
    query.check_edited()?;
    let date = compilation_date(a, &query)?;
    // Folders, lock files, a stray .DS_Store or notes.pdf: no response yet.
    if !ahq::files::response_files(&query)?.iter().any(|f| {
        !f.is_dir()
            && matches!(
                ahq::reading::classify(f),
                ahq::reading::Kind::Response(_)
                    | ahq::reading::Kind::Archive
                    | ahq::reading::Kind::Mail
            )
    }) {
        bail!(
            "{}: no response files yet (no spreadsheet, text or Word file): put the files received in this folder, then compile (`ahq status {}` shows who has answered)",
            query.responses_dir().display(),
            query.dir.display()
        );
    }
    let reports = check_each(&query, &[], limits, tick)?;
    // Names as people see them: relative to responses/, and with the query
    // folder in front when there are several.
    let name = |file: &str| {
        if several {
            format!("{}: {file}", query.dir.display())
        } else {
            file.to_string()
        }
    };
    // The files that changed since they were read, as error lines.
    let changed = || -> Vec<String> {
        ahq::files::changed_since_read(&reports)
            .iter()
            .map(|(file, why)| format!("{}: error: {why}", name(file)))
            .collect()
    };
    let intake = match intake(&reports, a.skip_invalid) {
        Ok(intake) => intake,
        Err(invalid) => {
            // An error in a file that was being written says so first.
            let mut errors = changed();
            for r in invalid {
                for f in r.all_findings().filter(|f| f.severity == Severity::Error) {
                    errors.push(super::validate::finding_line(&name(&r.file), f));
                }
                if !r.has_errors() {
                    errors.push(format!(
                        "{}: error: {}",
                        name(&r.file),
                        ahq::templates::labels().intake.no_response
                    ));
                }
            }
            return Ok(Outcome::Refused { errors });
        }
    };
    // An earlier compilation in the folder: this one says what changed since.
    let previous = previous_compilation(&p.out);
    let update = match &previous {
        Ok(Some(prev)) => ahq::changes::update(&query, &intake, Some(prev)),
        _ => None,
    };
    // A reply the earlier compilation held back, now Yes: confirmed first.
    if let Some(u) = &update {
        let opened = ahq::changes::opened_unconfirmed(u, &query);
        if !opened.is_empty() {
            let mut errors = changed();
            errors.extend(
                opened
                    .iter()
                    .map(|(file, why)| format!("{}: error: {why}", name(file))),
            );
            return Ok(Outcome::Refused { errors });
        }
    }
    // The outputs are made at once: a single query's compile is then not
    // one thread writing its workbooks and documents in turn.
    let compilations =
        ahq::render::Compilations::new(&query, &reports, &intake, date, update.as_ref());
    let mut outputs = compilations
        .pieces(a.formats)
        .into_par_iter()
        .map(|piece| compilations.make(piece))
        .collect::<ahq::Result<Vec<_>>>()?;
    drop(compilations);
    if a.pdf {
        // Before the manifest, which hashes them too; the set is written whole.
        let pdfs = super::pdf::convert(&outputs)
            .with_context(|| format!("{}: nothing written", p.out.display()))?;
        outputs.extend(pdfs);
    }
    ahq::render::add_manifest(
        &query,
        &reports,
        &intake,
        date,
        update.as_ref(),
        &mut outputs,
    )?;
    // One version of each file or nothing: a file copied over while it was
    // read (a half-written one may not have its flag yet) stops the query.
    let errors = changed();
    if !errors.is_empty() {
        return Ok(Outcome::Refused { errors });
    }
    let _lock = ahq::output::FolderLock::acquire(&p.out, || {
        err!(
            "{}: another ahq compile is writing into this folder: waiting for it to finish",
            p.out.display()
        )
    })?;
    write_outputs(&p.out, &outputs)
        .with_context(|| format!("{}: nothing more written", p.out.display()))?;
    let records: Vec<&ahq::record::Record> = intake.records().collect();
    let not_for_wider: Vec<String> = records
        .iter()
        .filter(|r| !ahq::policy::is_disseminable(r))
        .filter_map(|r| r.country.as_ref().map(|c| c.name.clone()))
        .collect();
    let not_compiled: Vec<(String, String)> = intake
        .skipped
        .iter()
        .chain(&intake.superseded)
        .map(|s| (s.file.clone(), s.reason.clone()))
        .collect();
    let mut warnings: Vec<String> = not_compiled
        .iter()
        .map(|(file, reason)| format!("{}: not compiled: {reason}", name(file)))
        .collect();
    warnings.extend(super::unknown_decisions(&query, &reports));
    if let Ok(Some(prev)) = &previous
        && prev.query.is_none()
    {
        warnings.push(format!(
            "{}: holds a records.json without its manifest.json, so ahq cannot tell it is a \
             compilation of this query: this one does not say what changed since",
            p.out.display()
        ));
    }
    if let Err(why) = &previous {
        warnings.push(format!(
            "{}: the earlier compilation there could not be read ({why}): this one does not say \
             what changed since",
            p.out.display()
        ));
    }
    Ok(Outcome::Compiled(Compiled {
        out: p.out.clone(),
        written: outputs.iter().map(|o| o.name.clone()).collect(),
        responses: records.len(),
        for_wider: records.len() - not_for_wider.len(),
        not_for_wider,
        not_compiled,
        warnings,
        update: update
            .as_ref()
            .map(|u| match ahq::changes::summary(&u.changes) {
                s if s.is_empty() => "no change since the earlier one".to_string(),
                s => s,
            }),
        response_warnings: intake
            .compiled
            .iter()
            .map(|r| r.count(Severity::Warning))
            .sum(),
    }))
}

/// The compilation already in `out`, if any: its records.json and
/// manifest.json. `Err` when they are there but cannot be read.
fn previous_compilation(out: &Path) -> Result<Option<ahq::changes::Snapshot>, String> {
    let records = out.join("records.json");
    if !records.is_file() {
        // A compilation written without json (--formats): there, but unreadable.
        if out.join("manifest.json").is_file() {
            return Err("it was written without records.json (--formats without json)".into());
        }
        return Ok(None);
    }
    let bytes = std::fs::read(&records).map_err(|e| format!("records.json: {e}"))?;
    let manifest = std::fs::read(out.join("manifest.json")).ok();
    ahq::changes::Snapshot::read(&bytes, manifest.as_deref()).map(Some)
}

/// A progress bar on a terminal, shown once a compile has taken more than
/// a moment; nothing when output is not a terminal, or with --quiet.
pub(super) struct Progress {
    bar: Option<indicatif::ProgressBar>,
    start: std::time::Instant,
    shown: std::sync::atomic::AtomicBool,
}

impl Progress {
    /// A bar of `total` steps, each one of `what` ("files", "queries").
    pub(super) fn new(total: u64, quiet: bool, what: &str) -> Progress {
        use std::io::IsTerminal;
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                Some(total),
                indicatif::ProgressDrawTarget::hidden(),
            );
            if let Ok(style) = indicatif::ProgressStyle::with_template(&format!(
                "{{elapsed:>4}} [{{bar:40}}] {{pos}}/{{len}} {what}, {{eta}} left"
            )) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        });
        Progress {
            bar,
            start: std::time::Instant::now(),
            shown: std::sync::atomic::AtomicBool::new(false),
        }
    }

    pub(super) fn tick(&self) {
        use std::sync::atomic::Ordering;
        let Some(bar) = &self.bar else { return };
        bar.inc(1);
        if self.start.elapsed() > std::time::Duration::from_millis(500)
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }

    pub(super) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
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

/// What is printed for a query compiled: its summary, what changed, what
/// was written.
fn lines(dir: &Path, c: &Compiled) -> Vec<String> {
    let mut line = format!(
        "{}: {}, {}",
        dir.display(),
        super::count(c.responses, "response", "responses"),
        super::dissemination_line(c.for_wider, &c.not_for_wider)
    );
    if !c.not_compiled.is_empty() {
        line.push_str(&format!(
            "; {} not compiled",
            super::count(c.not_compiled.len(), "file", "files")
        ));
    }
    if c.response_warnings > 0 {
        line.push_str(&format!(
            "; {} (see the Log sheet of compilation-full.xlsx)",
            super::count(c.response_warnings, "warning", "warnings")
        ));
    }
    let mut lines = vec![line];
    if let Some(u) = &c.update {
        lines.push(format!("  an updated compilation: {u}"));
    }
    lines.push(format!(
        "  wrote {}: {}",
        c.out.display(),
        c.written.join(", ")
    ));
    lines
}
