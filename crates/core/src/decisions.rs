//! The coordinator's decisions, kept beside the responses in the query
//! folder's `decisions.toml`, so that nothing received is ever edited: which
//! country a file answers, the date a reply was received, an older version
//! of the questions accepted for a file, which version of a country's reply
//! counts, and a reply's flag confirmed (a change from No to Yes) or set
//! to No.
//!
//! One decision per line, as the messages that ask for one print it:
//!
//! ```toml
//! files."PT_reply.xlsx".country = "PT"
//! files."PT_reply.xlsx".received = 2024-05-02
//! files."BE_reply.xlsx".questions = "3f2a9c0e1b7d4a55"
//! files."BE_reply_v2.xlsx".flag = "Yes"
//! countries.BE.compile = "BE_reply_v2.xlsx"
//! ```
//!
//! A flag is confirmed for one file, never for a country: a later version
//! that changes it again needs its own confirmation.
//!
//! Every decision is cited with its line wherever it acts (the Log,
//! records.json, the manifest).

use crate::country::Countries;
use crate::error::{Error, Result};
use crate::record::Dissemination;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;
use toml::value::{Date, Datetime};

/// The file's name in a query folder.
pub const FILE_NAME: &str = "decisions.toml";

/// One decision's value and the line it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided<T> {
    pub value: T,
    /// 1-based line in decisions.toml.
    pub line: usize,
}

impl<T> Decided<T> {
    /// "decisions.toml line 4": how messages cite it.
    pub fn cite(&self) -> String {
        format!("{FILE_NAME} line {}", self.line)
    }
}

/// What was decided about one received file (named as ahq names it:
/// relative to responses/, "replies.zip/BE.xlsx" for a zip's member).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileDecision {
    /// The country the file answers (EU code), whatever it says.
    pub country: Option<Decided<String>>,
    /// The day the reply was received.
    pub received: Option<Decided<Date>>,
    /// The fingerprint of an older version of the questions, accepted for
    /// this file once its answers were checked against the current ones.
    pub questions: Option<Decided<String>>,
    /// The flag the coordinator confirmed for this file's reply (a change
    /// from No to Yes between versions), or No to restrict it.
    pub flag: Option<Decided<Dissemination>>,
}

/// What was decided about one country's replies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CountryDecision {
    /// The file whose reply counts, when several answer for the country.
    pub compile: Option<Decided<String>>,
}

/// Everything decided for one query; empty when it has no decisions.toml.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decisions {
    /// The file read, `None` when there is none.
    pub path: Option<PathBuf>,
    /// SHA-256 of its bytes, for the manifest.
    pub sha256: Option<String>,
    pub files: BTreeMap<String, FileDecision>,
    /// By EU code.
    pub countries: BTreeMap<String, CountryDecision>,
    /// Each decision as written, with its line: what the manifest lists.
    pub lines: Vec<(usize, String)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    files: BTreeMap<Spanned<String>, RawFile>,
    #[serde(default)]
    countries: BTreeMap<Spanned<String>, RawCountry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    country: Option<Spanned<String>>,
    received: Option<Spanned<Datetime>>,
    questions: Option<Spanned<String>>,
    flag: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCountry {
    compile: Option<Spanned<String>>,
}

const KEYS: &[&str] = &[
    "files",
    "countries",
    "country",
    "received",
    "questions",
    "flag",
    "compile",
];

impl Decisions {
    /// Reads `DIR/decisions.toml`; no file is no decision.
    pub fn load(dir: &Path) -> Result<Decisions> {
        let path = dir.join(FILE_NAME);
        if !path.exists() {
            return Ok(Decisions::default());
        }
        let bytes = std::fs::read(&path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        let text = String::from_utf8(bytes.clone()).map_err(|_| Error::Query {
            path: path.clone(),
            line: 1,
            column: 1,
            message: "this file is not UTF-8 text: save it as UTF-8 (any text editor can)".into(),
        })?;
        let mut d = Decisions::parse(&path, &text)?;
        d.sha256 = Some(crate::validate::sha256_hex(&bytes));
        Ok(d)
    }

    /// Parses decisions.toml's text; `path` is for messages.
    pub fn parse(path: &Path, text: &str) -> Result<Decisions> {
        let err = |span: std::ops::Range<usize>, message: String| {
            let (line, column) = crate::query::line_col(text, span.start);
            Error::Query {
                path: path.to_path_buf(),
                line,
                column,
                message,
            }
        };
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            err(span, explain(e.message().trim()))
        })?;
        let line = |span: std::ops::Range<usize>| crate::query::line_col(text, span.start).0;
        let countries = Countries::builtin()?;
        let mut d = Decisions {
            path: Some(path.to_path_buf()),
            ..Decisions::default()
        };
        for (file, raw) in raw.files {
            let name = file.get_ref().trim().replace('\\', "/");
            if name.is_empty() {
                return Err(err(
                    file.span(),
                    "a file's name is empty: write it as ahq prints it, relative to responses/"
                        .into(),
                ));
            }
            // "a\\b.xlsx" and "a/b.xlsx" name one file: its decisions are
            // one set, and one decision given twice is a mistake to fix.
            let mut fd = d.files.remove(&name).unwrap_or_default();
            let twice = |what: &str, first: usize, span: std::ops::Range<usize>| {
                err(
                    span,
                    format!(
                        "{name}'s {what} is decided twice (here and on line {first}): keep one"
                    ),
                )
            };
            if let (Some(first), Some(again)) = (&fd.country, &raw.country) {
                return Err(twice("country", first.line, again.span()));
            }
            if let (Some(first), Some(again)) = (&fd.received, &raw.received) {
                return Err(twice("received date", first.line, again.span()));
            }
            if let (Some(first), Some(again)) = (&fd.questions, &raw.questions) {
                return Err(twice("questions", first.line, again.span()));
            }
            if let (Some(first), Some(again)) = (&fd.flag, &raw.flag) {
                return Err(twice("flag", first.line, again.span()));
            }
            if let Some(f) = raw.flag {
                let value = flag_value(&f).map_err(|m| err(f.span(), m))?;
                d.lines.push((
                    line(f.span()),
                    format!("the flag of {name} is {}", value.label()),
                ));
                fd.flag = Some(Decided {
                    value,
                    line: line(f.span()),
                });
            }
            if let Some(c) = raw.country {
                let code = countries
                    .resolve(c.get_ref())
                    .map_err(|near| {
                        err(
                            c.span(),
                            format!(
                                "\"{}\" is not a country ahq knows: {}",
                                c.get_ref(),
                                crate::country::suggestion(&near)
                            ),
                        )
                    })?
                    .code
                    .clone();
                d.lines
                    .push((line(c.span()), format!("the country of {name} is {code}")));
                fd.country = Some(Decided {
                    value: code,
                    line: line(c.span()),
                });
            }
            if let Some(r) = raw.received {
                let day = match (r.get_ref().date, r.get_ref().time) {
                    (Some(day), None) => day,
                    _ => {
                        return Err(err(
                            r.span(),
                            "received must be a day without a time, like 2024-05-02".into(),
                        ));
                    }
                };
                d.lines.push((
                    line(r.span()),
                    format!("{name} was received on {}", crate::dates::iso(day)),
                ));
                fd.received = Some(Decided {
                    value: day,
                    line: line(r.span()),
                });
            }
            if let Some(q) = raw.questions {
                let fp = q.get_ref().trim().to_ascii_lowercase();
                if fp.len() != 16 || !fp.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(err(
                        q.span(),
                        "questions takes the 16-character fingerprint of the questions the file \
                         was made from, as `ahq validate` prints it"
                            .into(),
                    ));
                }
                d.lines.push((
                    line(q.span()),
                    format!("{name} may answer the questions of version {fp}"),
                ));
                fd.questions = Some(Decided {
                    value: fp,
                    line: line(q.span()),
                });
            }
            d.files.insert(name, fd);
        }
        for (code, raw) in raw.countries {
            let country = countries
                .by_code(code.get_ref().trim())
                .or_else(|| countries.resolve(code.get_ref()).ok())
                .ok_or_else(|| {
                    err(
                        code.span(),
                        format!(
                            "\"{}\" is not a country's code: write the two-letter EU code, as in \
                             countries.BE",
                            code.get_ref()
                        ),
                    )
                })?;
            let mut cd = d.countries.remove(&country.code).unwrap_or_default();
            if let (Some(first), Some(again)) = (&cd.compile, &raw.compile) {
                return Err(err(
                    again.span(),
                    format!(
                        "which of {}'s replies counts is decided twice (here and on line {}): \
                         keep one",
                        country.name, first.line
                    ),
                ));
            }
            if let Some(f) = raw.compile {
                let file = f.get_ref().trim().replace('\\', "/");
                d.lines.push((
                    line(f.span()),
                    format!("{}'s reply is the one in {file}", country.name),
                ));
                cd.compile = Some(Decided {
                    value: file,
                    line: line(f.span()),
                });
            }
            d.countries.insert(country.code.clone(), cd);
        }
        d.lines.sort();
        Ok(d)
    }

    /// The decisions about one file, if any.
    pub fn file(&self, file: &str) -> Option<&FileDecision> {
        self.files.get(file)
    }

    /// The decisions about one country (EU code), if any.
    pub fn country(&self, code: &str) -> Option<&CountryDecision> {
        self.countries.get(code)
    }

    /// The files the decisions name that are not among `files` (what was
    /// read): a decision about a file that is not there decides nothing,
    /// and is most often a misspelt name.
    pub fn unknown_files<'a>(&'a self, files: &[&str]) -> Vec<(usize, &'a str)> {
        let mut out: Vec<(usize, &str)> = Vec::new();
        for (name, fd) in &self.files {
            if files.contains(&name.as_str()) {
                continue;
            }
            let line = [
                fd.country.as_ref().map(|d| d.line),
                fd.received.as_ref().map(|d| d.line),
                fd.questions.as_ref().map(|d| d.line),
                fd.flag.as_ref().map(|d| d.line),
            ]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(0);
            out.push((line, name));
        }
        for cd in self.countries.values() {
            if let Some(c) = &cd.compile
                && !files.contains(&c.value.as_str())
            {
                out.push((c.line, &c.value));
            }
        }
        out.sort();
        out
    }
}

/// A flag decision's value: "Yes" or "No", any case.
fn flag_value(f: &Spanned<String>) -> std::result::Result<Dissemination, String> {
    match f.get_ref().trim().to_ascii_lowercase().as_str() {
        "yes" => Ok(Dissemination::Yes),
        "no" => Ok(Dissemination::No),
        _ => Err(
            "flag must be \"Yes\" or \"No\": the wider-dissemination flag \
                  confirmed for the file's reply"
                .into(),
        ),
    }
}

/// The line to add to decisions.toml for a decision about a file: what a
/// message that needs one prints, ready to paste.
pub fn file_line(file: &str, key: &str, value: &str) -> String {
    format!("files.{}.{key} = {value}", quoted(file))
}

/// The line to add for a decision about a country.
pub fn country_line(code: &str, key: &str, value: &str) -> String {
    format!("countries.{code}.{key} = {value}")
}

/// `s` as a TOML basic string.
pub fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn explain(message: &str) -> String {
    if let Some(unknown) = message
        .strip_prefix("unknown field `")
        .and_then(|m| m.split('`').next())
    {
        let nearest = KEYS
            .iter()
            .min_by_key(|k| strsim::levenshtein(k, unknown))
            .copied()
            .unwrap_or("country");
        return format!(
            "\"{unknown}\" is not a decision ahq knows (did you mean \"{nearest}\"?): a file's \
             decisions are country, received, questions and flag; a country's, compile"
        );
    }
    format!("{message}: each line is one decision, as in files.\"BE.xlsx\".country = \"BE\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Decisions> {
        Decisions::parse(Path::new("q/decisions.toml"), text)
    }

    #[test]
    fn each_kind_of_decision_is_read_with_its_line() {
        let d = parse(
            "# decided on 2 May\n\
             files.\"PT_reply.xlsx\".country = \"Portugal\"\n\
             files.\"PT_reply.xlsx\".received = 2024-05-02\n\
             files.\"sub\\\\BE.xlsx\".questions = \"3F2A9C0E1B7D4A55\"\n\
             countries.BE.compile = \"BE_v2.xlsx\"\n\
             files.\"BE_v2.xlsx\".flag = \"yes\"\n",
        )
        .unwrap();
        let pt = d.file("PT_reply.xlsx").unwrap();
        assert_eq!(pt.country.as_ref().unwrap().value, "PT");
        assert_eq!(pt.country.as_ref().unwrap().line, 2);
        assert_eq!(pt.received.as_ref().unwrap().line, 3);
        let be = d.file("sub/BE.xlsx").unwrap();
        assert_eq!(be.questions.as_ref().unwrap().value, "3f2a9c0e1b7d4a55");
        let c = d.country("BE").unwrap();
        assert_eq!(c.compile.as_ref().unwrap().value, "BE_v2.xlsx");
        let v2 = d.file("BE_v2.xlsx").unwrap();
        assert_eq!(v2.flag.as_ref().unwrap().value, Dissemination::Yes);
        assert_eq!(v2.flag.as_ref().unwrap().cite(), "decisions.toml line 6");
        assert_eq!(d.lines.len(), 5);
        assert_eq!(
            d.unknown_files(&["PT_reply.xlsx", "sub/BE.xlsx"]),
            vec![(5, "BE_v2.xlsx"), (6, "BE_v2.xlsx")]
        );
    }

    #[test]
    fn mistakes_are_reported_with_line_and_column() {
        let e = parse("files.\"a.xlsx\".contry = \"BE\"\n").unwrap_err();
        let m = e.to_string();
        assert!(m.starts_with("q/decisions.toml:1:"), "{m}");
        assert!(m.contains("did you mean \"country\""), "{m}");
        let e = parse("\nfiles.\"a.xlsx\".country = \"Portgual\"\n").unwrap_err();
        assert!(e.to_string().contains(":2:"), "{e}");
        assert!(e.to_string().contains("Portugal"), "{e}");
        let e = parse("files.\"a.xlsx\".flag = \"maybe\"\n").unwrap_err();
        assert!(e.to_string().contains("\"Yes\" or \"No\""), "{e}");
        // One decision reached by two spellings is given twice.
        let e =
            parse("countries.BE.compile = \"a.xlsx\"\ncountries.Belgium.compile = \"b.xlsx\"\n")
                .unwrap_err();
        assert!(
            e.to_string().contains("decided twice (here and on line 1)"),
            "{e}"
        );
        let e = parse("files.\"x/a.xlsx\".flag = \"No\"\nfiles.\"x\\\\a.xlsx\".flag = \"Yes\"\n")
            .unwrap_err();
        assert!(e.to_string().contains("flag is decided twice"), "{e}");
        let e = parse("files.\"a.xlsx\".received = 2024-05-02T10:00:00\n").unwrap_err();
        assert!(e.to_string().contains("without a time"), "{e}");
        let e = parse("countries.XX.compile = \"a.xlsx\"\n").unwrap_err();
        assert!(e.to_string().contains("not a country's code"), "{e}");
    }

    #[test]
    fn the_lines_messages_print_parse_back() {
        let text = [
            file_line("PT \"draft\".xlsx", "country", "\"PT\""),
            file_line("PT \"draft\".xlsx", "received", "2024-05-02"),
            country_line("BE", "compile", &quoted("BE_v2.xlsx")),
        ]
        .join("\n");
        let d = parse(&text).unwrap();
        assert!(d.file("PT \"draft\".xlsx").is_some());
        assert!(d.country("BE").is_some());
    }
}
