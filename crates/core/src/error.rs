//! Errors that stop a command before it can judge any response.
//!
//! Problems *inside* a response file are not errors of this kind: they are
//! [`Finding`](crate::record::Finding)s, reported per file with a location,
//! so that one bad file never hides what the others say.

use std::path::PathBuf;

/// Why a command could not run at all (exit status 2 at the command line).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The query folder does not exist.
    #[error("{path}: no such folder: {advice}")]
    NoQueryDir { path: PathBuf, advice: String },

    /// The folder exists but holds no `query.toml`.
    #[error("{path}: this folder has no query.toml, so it is not a query folder: {advice}")]
    NoQueryToml { path: PathBuf, advice: String },

    /// A file was given where the query folder goes.
    #[error("{path} is a file, not a query folder: {advice}")]
    NotAQueryDir { path: PathBuf, advice: String },

    /// query.toml still holds the starter's placeholder texts.
    #[error(
        "{path} still holds the starter's placeholders ({what}): write the query's own title and questions there first"
    )]
    Placeholders { path: PathBuf, what: String },

    /// `query.toml` could not be read from disk.
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// `query.toml` is not valid, with line and column and what is expected.
    #[error("{path}:{line}:{column}: {message}")]
    Query {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },

    /// The query a template carries is not the one `ahq template` wrote there.
    #[error("{0}")]
    Carried(String),

    /// A value given on the command line is not usable.
    #[error("{0}")]
    Usage(String),

    /// A file to write could not be written.
    #[error("{path}: cannot write: {message}")]
    Write { path: PathBuf, message: String },

    /// An output could not be produced (a limit of the file format that the
    /// compilation could not work around).
    #[error("cannot produce {output}: {message}")]
    Render { output: String, message: String },

    /// A built-in table under templates/ is broken: a bug in this build of ahq.
    #[error("built-in {name} is invalid: {message} (this is a bug in ahq; please report it)")]
    BuiltIn { name: &'static str, message: String },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
