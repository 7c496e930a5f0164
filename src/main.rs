//! The `ahq` command line: parses arguments once, runs a command, reports
//! errors once. The work itself is in the library.

mod cmd;

use clap::{CommandFactory, FromArgMatches};
use std::process::ExitCode;

/// Whether an error is a write to a pipe whose reader has closed it.
fn closed_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn main() -> ExitCode {
    // clap prints help, versions and usage errors itself, and would end the
    // process with success even when that print failed (`--help > /dev/full`).
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let when = cmd::paint::given(&args);
    cmd::paint::decide(when);
    let parsed = cmd::Cli::command()
        .color(when.for_clap())
        .try_get_matches_from(args)
        .and_then(|m| cmd::Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            return match e.print() {
                Err(io) if io.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::from(141),
                Err(io) => {
                    use std::io::Write as _;
                    let _ = writeln!(
                        std::io::stderr().lock(),
                        "ahq: error: cannot write to standard output: {io}"
                    );
                    ExitCode::from(2)
                }
                Ok(()) => ExitCode::from(e.exit_code() as u8),
            };
        }
    };
    match cmd::run(cli) {
        Ok(code) => code,
        Err(e) if closed_pipe(&e) => {
            // The reader went away (`ahq validate Q | head`): stop quietly,
            // with the status a process ended by SIGPIPE has.
            ExitCode::from(141)
        }
        Err(e) => {
            use std::io::Write as _;
            // Not eprintln!: a closed standard error is no reason to panic.
            let line = format!(
                "ahq: error: {}",
                ahq::text::escape_for_terminal(&format!("{e:#}"))
            );
            let _ = writeln!(std::io::stderr().lock(), "{}", cmd::paint::err(&line));
            ExitCode::from(2)
        }
    }
}
