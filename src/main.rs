//! The `ahq` command line: parses arguments once, runs a command, reports
//! errors once. The work itself is in the library.

mod cmd;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cmd::Cli::parse();
    match cmd::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("ahq: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
