//! Colour for what a person must act on, as cargo and ripgrep give it:
//! `error` red and `warning` yellow on a terminal, nothing in a pipe or a
//! file; `--color always|never` decides instead, and `NO_COLOR` (any
//! value) turns the automatic choice off.

use std::borrow::Cow;
use std::ffi::OsString;
use std::sync::atomic::{AtomicBool, Ordering};

/// When to colour (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum When {
    /// On a terminal, unless NO_COLOR is set.
    #[default]
    Auto,
    Always,
    Never,
}

impl When {
    /// The choice for clap's own messages (help, usage errors).
    pub fn for_clap(self) -> clap::ColorChoice {
        match self {
            When::Auto if no_color() => clap::ColorChoice::Never,
            When::Auto => clap::ColorChoice::Auto,
            When::Always => clap::ColorChoice::Always,
            When::Never => clap::ColorChoice::Never,
        }
    }
}

static STDOUT: AtomicBool = AtomicBool::new(false);
static STDERR: AtomicBool = AtomicBool::new(false);

fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// `--color` as given, read before clap parses the rest, so that clap's own
/// messages (an unknown option) follow it too. The last one given wins.
pub fn given(args: &[OsString]) -> When {
    let mut when = When::Auto;
    let mut next_is_value = false;
    for a in args.iter().map(|a| a.to_string_lossy()) {
        if a == "--" {
            break;
        }
        let value = if next_is_value {
            next_is_value = false;
            Some(a.as_ref())
        } else if a == "--color" {
            next_is_value = true;
            None
        } else {
            a.strip_prefix("--color=")
        };
        match value {
            Some("always") => when = When::Always,
            Some("never") => when = When::Never,
            Some("auto") => when = When::Auto,
            _ => {}
        }
    }
    when
}

/// Settles colour for standard output and standard error, each by whether
/// it is a terminal.
pub fn decide(when: When) {
    use std::io::IsTerminal;
    let on = |terminal: bool| match when {
        When::Always => true,
        When::Never => false,
        When::Auto => terminal && !no_color(),
    };
    STDOUT.store(on(std::io::stdout().is_terminal()), Ordering::Relaxed);
    STDERR.store(on(std::io::stderr().is_terminal()), Ordering::Relaxed);
}

/// A line for standard output, its severity word coloured if colour is on.
pub fn out(line: &str) -> Cow<'_, str> {
    paint(line, STDOUT.load(Ordering::Relaxed))
}

/// A line for standard error, its severity word coloured if colour is on.
pub fn err(line: &str) -> Cow<'_, str> {
    paint(line, STDERR.load(Ordering::Relaxed))
}

const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[1;33m";
const RESET: &str = "\x1b[0m";

/// Colours, on each line, the first `error:` or `warning:` that opens it or
/// follows `: ` (the place a severity has in every ahq message). The text
/// was escaped before: an escape sequence here can only be ahq's own.
fn paint(text: &str, on: bool) -> Cow<'_, str> {
    if !on {
        return Cow::Borrowed(text);
    }
    if text.contains('\n') {
        let lines: Vec<Cow<str>> = text.split('\n').map(paint_line).collect();
        return Cow::Owned(lines.join("\n"));
    }
    paint_line(text)
}

fn paint_line(line: &str) -> Cow<'_, str> {
    let found = [("error:", RED), ("warning:", YELLOW)]
        .iter()
        .filter_map(|(word, colour)| {
            let at = if line.starts_with(word) {
                Some(0)
            } else {
                line.find(&format!(": {word}")).map(|i| i + 2)
            }?;
            Some((at, *word, *colour))
        })
        .min_by_key(|(at, _, _)| *at);
    match found {
        Some((at, word, colour)) => {
            let (head, tail) = line.split_at(at);
            let word = &word[..word.len() - 1];
            Cow::Owned(format!(
                "{head}{colour}{word}{RESET}{}",
                &tail[word.len()..]
            ))
        }
        None => Cow::Borrowed(line),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_severity_word_is_coloured_and_nothing_else() {
        assert_eq!(
            paint("BE.xlsx: Response!B8: error: no flag", true),
            "BE.xlsx: Response!B8: \x1b[1;31merror\x1b[0m: no flag"
        );
        assert_eq!(
            paint("warning: two files", true),
            "\x1b[1;33mwarning\x1b[0m: two files"
        );
        assert_eq!(paint("an error: in words", true), "an error: in words");
        assert_eq!(paint("x: error: y", false), "x: error: y");
        assert_eq!(
            paint("a: error: b\nahq: error: c", true),
            "a: \x1b[1;31merror\x1b[0m: b\nahq: \x1b[1;31merror\x1b[0m: c"
        );
    }

    #[test]
    fn the_last_color_option_wins_and_stops_at_a_double_dash() {
        let args = |a: &[&str]| a.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            given(&args(&["ahq", "--color", "always", "validate"])),
            When::Always
        );
        assert_eq!(
            given(&args(&["ahq", "--color=always", "x", "--color=never"])),
            When::Never
        );
        assert_eq!(
            given(&args(&["ahq", "validate", "--", "--color=always"])),
            When::Auto
        );
    }
}
