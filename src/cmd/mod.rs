//! One module per subcommand; each starts its help from worked examples.

/// Writes a line to standard output and returns the write's result: a
/// closed pipe (`ahq validate Q | head`) or a full disk is an error for the
/// caller to pass up, never a panic as `println!` makes it.
/// `eprintln!` with a response's text escaped (see `out!`), and no panic
/// when standard error is closed (`ahq compile Q 2>&1 | head`).
macro_rules! err {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let line = format!($($arg)*);
        let line = ahq::text::escape_for_terminal(&line);
        let _ = writeln!(std::io::stderr().lock(), "{}", $crate::cmd::paint::err(&line));
    }};
}

macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        // A response's text reaches the terminal escaped, never raw (an ESC
        // can retitle or clear it).
        let line = format!($($arg)*);
        let line = ahq::text::escape_for_terminal(&line);
        writeln!(std::io::stdout().lock(), "{}", $crate::cmd::paint::out(&line)).map_err(|e| {
            // The kind is kept: main tells a closed pipe from a full disk by it.
            std::io::Error::new(e.kind(), format!("cannot write to standard output: {e}"))
        })
    }};
}

mod compile;
mod diff;
mod index;
mod new;
pub mod paint;
mod pdf;
mod search;
mod status;
mod template;
mod validate;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "ahq",
    version,
    about = "Compile the answers to a network's ad-hoc queries",
    long_about = "Compile the answers to a network's ad-hoc queries.\n\n\
        A query is a folder: query.toml (the questions), responses/ (the files received).\n\n\
        Examples:\n  \
        ahq new queries/2026.1                  start a query from the commented starter\n  \
        ahq template queries/2026.1             write the workbook member states fill in\n  \
        ahq validate queries/2026.1             check every file in responses/\n  \
        ahq validate queries/2026.1 BE.xlsx     check one file before sending it\n  \
        ahq status queries/2026.1               who has answered, who has not\n  \
        ahq compile queries/2026.1              write the compilations to queries/2026.1/compiled/\n  \
        ahq diff OLD_FOLDER NEW_FOLDER          what changed between two compilations\n  \
        ahq index queries                       index every compiled query for searching\n  \
        ahq search readmission --country BE     has this been asked before?"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// When to colour errors and warnings: auto (on a terminal, unless
    /// NO_COLOR is set), always, never.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = paint::When::Auto)]
    color: paint::When,
}

#[derive(Debug, Subcommand)]
enum Command {
    New(new::Args),
    Validate(validate::Args),
    Template(template::Args),
    Compile(compile::Args),
    Status(status::Args),
    Diff(diff::Args),
    Index(index::Args),
    Search(search::Args),
    /// The reading process (internal): reads the files it is sent, one per line.
    #[command(name = "__read", hide = true)]
    Read,
}

/// On SIGINT or SIGTERM, removes the output set being written, then ends
/// as the signal would have. Signals are taken by one thread (`sigwait`),
/// where removing files is safe; reading workers get them back (`isolate`).
#[cfg(unix)]
fn clean_up_on_signals() {
    // SAFETY: plain libc signal-set calls on a local set, before any other
    // thread of this process is started (main has started none).
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGINT);
        libc::sigaddset(&mut set, libc::SIGTERM);
        if libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) != 0 {
            return;
        }
        let set = set;
        std::thread::spawn(move || {
            let mut sig: libc::c_int = 0;
            if libc::sigwait(&set, &mut sig) == 0 {
                // Held until exit: no set is swapped in, or written in place, after.
                let _held = ahq::output::remove_in_progress();
                use std::io::{IsTerminal, Write as _};
                let mut e = std::io::stderr().lock();
                // Over the progress bar and the terminal's "^C": a clean line.
                let clear = if std::io::stderr().is_terminal() {
                    "\r\x1b[2K"
                } else {
                    ""
                };
                let line = compile::interrupted_line();
                let _ = writeln!(e, "{clear}{}", ahq::text::escape_for_terminal(&line));
                std::process::exit(128 + sig);
            }
        });
    }
}

/// Runs the command; `Err` only when it could not run at all (exit 2).
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    paint::decide(cli.color);
    #[cfg(unix)]
    if matches!(cli.command, Command::Compile(_)) {
        clean_up_on_signals();
    }
    let result = dispatch(cli);
    ahq::isolate::shutdown();
    result
}

fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::New(a) => new::run(a),
        Command::Validate(a) => validate::run(a),
        Command::Template(a) => template::run(a),
        Command::Compile(a) => compile::run(a),
        Command::Status(a) => status::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Index(a) => index::run(a),
        Command::Search(a) => search::run(a),
        Command::Read => {
            ahq::isolate::serve()?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The `schema_version` of every JSON output (docs/json/): raised when a
/// field changes meaning or goes; new fields do not raise it.
pub const JSON_SCHEMA_VERSION: u32 = 1;

/// "1 file", "2 files": a count with its noun, never "file(s)".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Prints a JSON value: its unsafe characters as JSON escapes, and never
/// coloured (a string holding ": error:" stays JSON on a terminal too).
pub fn print_json(v: &impl serde::Serialize) -> anyhow::Result<()> {
    use std::io::Write as _;
    let text = ahq::text::json_escape_unsafe(&serde_json::to_string_pretty(v)?);
    writeln!(std::io::stdout().lock(), "{text}").map_err(|e| {
        // The kind is kept: main tells a closed pipe from a full disk by it.
        std::io::Error::new(e.kind(), format!("cannot write to standard output: {e}"))
    })?;
    Ok(())
}

/// A query as JSON outputs name it.
pub fn query_json(q: &ahq::query::Query) -> serde_json::Value {
    serde_json::json!({
        "dir": q.dir.display().to_string(),
        "title": q.title,
        "reference": q.reference,
    })
}

/// The country an option names (`--country BE`, `--requested-by Austria`),
/// or an error with the nearest names.
pub fn country_option(
    text: &str,
    option: &str,
) -> anyhow::Result<&'static ahq_core::country::Country> {
    let countries = ahq_core::country::Countries::builtin()?;
    countries.resolve(text).map_err(|near| {
        anyhow::anyhow!(
            "{option} {text}: not a country ahq knows: {}",
            ahq_core::country::suggestion(&near)
        )
    })
}

/// Warnings for decisions.toml lines about files that are not there: a
/// decision that decides nothing is most often a misspelt name.
pub fn unknown_decisions(
    query: &ahq::query::Query,
    reports: &[ahq::validate::FileReport],
) -> Vec<String> {
    let files: Vec<&str> = reports.iter().map(|r| r.file.as_str()).collect();
    query
        .decisions
        .unknown_files(&files)
        .into_iter()
        .map(|(line, file)| {
            let near = files
                .iter()
                .min_by_key(|f| strsim::levenshtein(f, file))
                .map(|f| format!(" (did you mean \"{f}\"?)"))
                .unwrap_or_default();
            format!(
                "{}: warning: line {line} is about \"{file}\", which is not among the files \
                 received{near}: it decides nothing; write the name as ahq prints it",
                query.dir.join(ahq::decisions::FILE_NAME).display()
            )
        })
        .collect()
}

/// Writes a file through a temporary file and a rename.
pub fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    Ok(ahq::output::write_atomically(path, bytes)?)
}

/// Limits on one response file; each can be raised when a real response needs it.
/// Listed apart in the help ("Limits"), after the options people use.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Limits (raise one when a real response needs it)")]
pub struct LimitArgs {
    /// Largest response file accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = ahq::reading::MAX_FILE_BYTES)]
    max_file_bytes: u64,
    /// Most cells of one sheet (for xls and ods, of the grid they are read into).
    #[arg(long, value_name = "CELLS", default_value_t = ahq::reading::MAX_CELLS_PER_SHEET)]
    max_cells: usize,
    /// Most bytes the parts of one xlsx or ods may unzip to.
    #[arg(long, value_name = "BYTES", default_value_t = ahq::reading::MAX_INFLATED_BYTES)]
    max_inflated_bytes: u64,
    /// Characters of one cell at the most (the longest real answers run to
    /// tens of thousands).
    #[arg(long, value_name = "CHARS", default_value_t = ahq::reading::MAX_ANSWER_CHARS)]
    max_answer_chars: usize,
    /// Memory the process reading one file may use, in MiB (at least 64).
    #[arg(long, value_name = "MIB", default_value_t = 2048,
          value_parser = clap::value_parser!(u64).range(64..))]
    max_memory: u64,
    /// Time the process reading one file may take, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..))]
    max_seconds: u64,
}

impl LimitArgs {
    pub fn limits(&self) -> ahq::reading::Limits {
        ahq::reading::Limits {
            max_file_bytes: self.max_file_bytes,
            max_cells: self.max_cells,
            max_inflated_bytes: self.max_inflated_bytes,
            max_answer_chars: self.max_answer_chars,
            // Each file is read in a process of its own under these limits;
            // if this program cannot name itself, in this process.
            isolation: self
                .isolation()
                .map(|iso| ahq::reading::Elsewhere(std::sync::Arc::new(iso))),
        }
    }

    /// How the reading workers are started: `None` when this program
    /// cannot name itself (files are then read in this process).
    pub fn isolation(&self) -> Option<ahq::isolate::Isolation> {
        std::env::current_exe()
            .ok()
            .map(|program| ahq::isolate::Isolation {
                program,
                max_memory: self.max_memory.saturating_mul(1024 * 1024),
                max_seconds: self.max_seconds,
            })
    }
}

/// "16 for wider dissemination, 2 not (Austria, Czech Republic)": the
/// counts by the rule the compilation applies (an unreadable flag counts
/// as not), and the countries held back.
pub fn dissemination_line(for_wider: usize, not: &[String]) -> String {
    let mut line = format!("{for_wider} for wider dissemination, {} not", not.len());
    if !not.is_empty() {
        line.push_str(&format!(" ({})", not.join(", ")));
    }
    line
}
