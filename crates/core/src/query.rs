//! A query folder's `query.toml`: the questionnaire as data.
//!
//! Parsed once into a validated [`Query`]; every problem is reported with the
//! line and column of `query.toml` where it sits and what is expected there.

use crate::country::{Countries, suggestion};
use crate::error::{Error, Result};
use crate::network::{Network, date_key};
use crate::record::{CountryRef, Dissemination};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use toml::Spanned;
use toml::value::{Date, Datetime};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuestionType {
    /// Answers start with yes or no; tallies count them.
    YesNo,
    /// Free text.
    Text,
    /// Answers name countries.
    Countries,
}

impl QuestionType {
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionType::YesNo => "yes-no",
            QuestionType::Text => "text",
            QuestionType::Countries => "countries",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Question {
    pub id: String,
    pub text: String,
    #[serde(rename = "type")]
    pub kind: QuestionType,
}

/// A validated query.
#[derive(Debug, Clone)]
pub struct Query {
    /// The query folder.
    pub dir: PathBuf,
    pub title: String,
    pub reference: Option<String>,
    pub requested_by: CountryRef,
    pub requested_on: Date,
    pub deadline: Option<Date>,
    pub compiled_on: Option<Date>,
    pub network: &'static Network,
    /// EU codes of the countries expected to answer.
    pub expected: Vec<String>,
    pub default_dissemination: Dissemination,
    pub background: Option<String>,
    pub questions: Vec<Question>,
    /// Each question's id and text as labels are matched against them
    /// ([`crate::text::key`], [`crate::text::compact_key`]): folded once,
    /// not for every cell of every file.
    pub question_keys: Vec<(String, String)>,
    /// Letters and digits of the longest question text's key: no label is
    /// much longer (a cell that is, is an answer; see `layout`).
    pub longest_key_chars: usize,
    /// The coordinator's decisions (decisions.toml beside query.toml);
    /// empty for a query that came any other way.
    pub decisions: crate::decisions::Decisions,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum IdValue {
    Text(String),
    Number(i64),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Spanned<IdValue>,
    text: Spanned<String>,
    #[serde(rename = "type", default = "default_type")]
    kind: QuestionType,
}

fn default_type() -> QuestionType {
    QuestionType::Text
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuery {
    title: Spanned<String>,
    reference: Option<Spanned<IdValue>>,
    requested_by: Spanned<String>,
    requested_on: Spanned<Datetime>,
    deadline: Option<Spanned<Datetime>>,
    compiled_on: Option<Spanned<Datetime>>,
    network: Option<Spanned<String>>,
    expected: Option<Vec<Spanned<String>>>,
    default_dissemination: Option<Spanned<String>>,
    background: Option<String>,
    #[serde(default)]
    questions: Vec<RawQuestion>,
}

/// The keys a query.toml may hold, at the top and in a `[[questions]]` table.
const QUERY_KEYS: &[&str] = &[
    "title",
    "reference",
    "requested_by",
    "requested_on",
    "deadline",
    "compiled_on",
    "network",
    "expected",
    "default_dissemination",
    "background",
    "questions",
];
const QUESTION_KEYS: &[&str] = &["id", "text", "type"];
const DATE_KEYS: &[&str] = &["requested_on", "deadline", "compiled_on"];

/// The TOML reader's message, with what to do where it is not plain: the
/// nearest valid key for a mistyped one, the form of a date for a date
/// written another way ("invalid float" for `26.07.2010`).
fn explain_toml_error(text: &str, span: std::ops::Range<usize>, message: &str) -> String {
    if let Some(unknown) = message
        .strip_prefix("unknown field `")
        .and_then(|m| m.split('`').next())
    {
        let keys = if message.contains("`title`") {
            QUERY_KEYS
        } else {
            QUESTION_KEYS
        };
        let near = keys
            .iter()
            .map(|k| (strsim::jaro_winkler(k, unknown), *k))
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        return match near {
            Some((_, k)) => format!("unknown key `{unknown}`: did you mean `{k}`?"),
            None => format!("unknown key `{unknown}`: the keys are {}", keys.join(", ")),
        };
    }
    // The key on the line of the error, if it is a date's.
    let start = text[..span.start.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line = &text[start..];
    let key = line.split('=').next().unwrap_or("").trim();
    if DATE_KEYS.contains(&key) && line.contains('=') {
        let value = line
            .split_once('=')
            .map_or("", |(_, v)| v)
            .lines()
            .next()
            .unwrap_or("")
            .trim();
        return format!(
            "{key} = {value} is not a date ahq reads: write dates as year-month-day without \
             quotes, like {key} = 2010-07-26"
        );
    }
    message.to_string()
}

/// Turns a byte offset into a 1-based line and column.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

struct Ctx<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Ctx<'_> {
    fn err(&self, span: std::ops::Range<usize>, message: impl Into<String>) -> Error {
        let (line, column) = line_col(self.text, span.start);
        Error::Query {
            path: self.path.to_path_buf(),
            line,
            column,
            message: message.into(),
        }
    }

    fn date(&self, v: &Spanned<Datetime>, field: &str) -> Result<Date> {
        let dt = v.get_ref();
        match (dt.date, dt.time) {
            (Some(d), None) => Ok(d),
            _ => Err(self.err(
                v.span(),
                format!("{field} must be a date without a time, like 2010-07-26"),
            )),
        }
    }
}

/// Why `dir` is not a query folder, with the query folder the person most
/// likely meant: the one a query.toml or responses/ is in, the ones a folder
/// of queries holds, a name one or two letters away.
fn not_a_query(dir: &Path) -> Error {
    let path = dir.to_path_buf();
    let is_query = |d: &Path| d.join("query.toml").is_file();
    let shown = |d: &Path| d.display().to_string();
    // A query.toml, a response, or a folder in a query folder: its parent,
    // or (in responses/ or compiled/) its grandparent, never further up,
    // where a stray query.toml is no query of this path.
    let dir_or_here = |p: &Path| -> PathBuf {
        if p.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            p.to_path_buf()
        }
    };
    let parent = dir_or_here(dir.parent().unwrap_or(Path::new("")));
    let around: Option<PathBuf> = if is_query(&parent) {
        Some(parent)
    } else {
        let named = dir
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|n| n == "responses" || n == "compiled");
        let grand = dir_or_here(dir.parent().and_then(Path::parent).unwrap_or(Path::new("")));
        (named && is_query(&grand)).then_some(grand)
    };
    let around = around.as_deref();
    if dir.is_file() {
        let advice = match around {
            Some(q) if dir.file_name().is_some_and(|n| n == "query.toml") => {
                format!("give the folder that holds query.toml: {}", shown(q))
            }
            Some(q) => format!(
                "it is in the query folder {}: give that folder (to check this file alone: `ahq validate {} {}`)",
                shown(q),
                crate::text::shell_quoted(&shown(q)),
                crate::text::shell_quoted(&shown(dir))
            ),
            None => format!(
                "give the query folder first, then the file, as in `ahq validate QUERY_FOLDER {}`",
                crate::text::shell_quoted(&shown(dir))
            ),
        };
        return Error::NotAQueryDir { path, advice };
    }
    let siblings = |parent: &Path| -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = std::fs::read_dir(parent)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| is_query(p))
            .collect();
        found.sort();
        found
    };
    if !dir.is_dir() {
        // A name one or two letters from a query beside it (2026.07, 2026.7).
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned());
        let near = name.and_then(|name| {
            siblings(parent)
                .into_iter()
                .filter_map(|p| {
                    let other = p.file_name()?.to_string_lossy().into_owned();
                    let d = strsim::levenshtein(&name, &other);
                    (d <= 2).then_some((d, p))
                })
                .min_by_key(|(d, _)| *d)
        });
        let advice = match (near, around) {
            (Some((_, p)), _) => format!(
                "did you mean {}?",
                shown(&dir.with_file_name(p.file_name().unwrap_or_default()))
            ),
            // A path inside a query folder (`Q/respnses`): that query.
            (None, Some(q)) => format!("did you mean {}?", shown(q)),
            (None, None) => format!(
                "give the query folder (it holds query.toml and responses/), or create one with `ahq new {}`",
                crate::text::shell_quoted(&shown(dir))
            ),
        };
        return Error::NoQueryDir { path, advice };
    }
    let held = siblings(dir);
    let advice = if let Some(q) = around {
        format!("did you mean {}?", shown(q))
    } else if let Some(first) = held.first() {
        let names: Vec<String> = held
            .iter()
            .take(3)
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        format!(
            "it holds {} query folder{} ({}{}): did you mean {}? (all of them: {}/*)",
            held.len(),
            if held.len() == 1 { "" } else { "s" },
            names.join(", "),
            if held.len() > 3 { ", …" } else { "" },
            shown(first),
            shown(dir)
        )
    } else {
        format!(
            "give the folder that holds query.toml and responses/, or write a starter query.toml into this one with `ahq new {}`",
            crate::text::shell_quoted(&shown(dir))
        )
    };
    Error::NoQueryToml { path, advice }
}

impl Query {
    /// Loads `DIR/query.toml`.
    pub fn load(dir: &Path) -> Result<Query> {
        let path = dir.join("query.toml");
        if !path.is_file() {
            return Err(not_a_query(dir));
        }
        let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        let mut query = Query::parse(dir, &path, &text)?;
        query.decisions = crate::decisions::Decisions::load(dir)?;
        Ok(query)
    }

    /// Parses the text of a query.toml; `path` is only for messages.
    pub fn parse(dir: &Path, path: &Path, text: &str) -> Result<Query> {
        let ctx = Ctx { path, text };
        let raw: RawQuery = toml::from_str(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            ctx.err(
                span.clone(),
                explain_toml_error(text, span, e.message().trim()),
            )
        })?;
        let countries = Countries::builtin()?;

        let title = raw.title.get_ref().trim().to_string();
        if title.is_empty() {
            return Err(ctx.err(
                raw.title.span(),
                "title is empty: give the query's subject, as in \"Ad-Hoc Query on <title>\"",
            ));
        }

        let network_id = raw
            .network
            .as_ref()
            .map_or("emn".to_string(), |n| n.get_ref().clone());
        let network = match Network::builtin(&network_id) {
            Some(n) => n?,
            None => {
                let span = raw.network.as_ref().map_or(0..0, |n| n.span());
                return Err(ctx.err(
                    span,
                    format!(
                        "unknown network \"{network_id}\": the built-in networks are {}",
                        Network::builtin_ids().join(", ")
                    ),
                ));
            }
        };

        let requested_by = countries
            .resolve(raw.requested_by.get_ref())
            .map_err(|near| {
                ctx.err(
                    raw.requested_by.span(),
                    format!(
                        "requested_by \"{}\" is not a country ahq knows: {}",
                        raw.requested_by.get_ref(),
                        suggestion(&near)
                    ),
                )
            })?
            .to_ref();

        let requested_on = ctx.date(&raw.requested_on, "requested_on")?;
        let deadline = raw
            .deadline
            .as_ref()
            .map(|d| ctx.date(d, "deadline"))
            .transpose()?;
        if let (Some(d), Some(span)) = (deadline, raw.deadline.as_ref().map(|d| d.span()))
            && date_key(d) < date_key(requested_on)
        {
            return Err(ctx.err(span, "deadline is before requested_on"));
        }
        let compiled_on = raw
            .compiled_on
            .as_ref()
            .map(|d| ctx.date(d, "compiled_on"))
            .transpose()?;

        let expected = match &raw.expected {
            Some(list) => {
                let mut codes: Vec<String> = Vec::new();
                for item in list {
                    let c = countries.resolve(item.get_ref()).map_err(|near| {
                        ctx.err(
                            item.span(),
                            format!(
                                "expected: \"{}\" is not a country ahq knows: {}",
                                item.get_ref(),
                                suggestion(&near)
                            ),
                        )
                    })?;
                    if codes.contains(&c.code) {
                        return Err(
                            ctx.err(item.span(), format!("expected: {} is listed twice", c.name))
                        );
                    }
                    codes.push(c.code.clone());
                }
                codes
            }
            None => network
                .members_on(requested_on)
                .iter()
                .map(|m| m.code.clone())
                .collect(),
        };

        let default_dissemination = match &raw.default_dissemination {
            None => Dissemination::Yes,
            Some(v) => match crate::dissemination::parse_flag(v.get_ref()) {
                Ok(Some(d)) => d,
                _ => {
                    return Err(
                        ctx.err(v.span(), "default_dissemination must be \"yes\" or \"no\"")
                    );
                }
            },
        };

        if raw.questions.is_empty() {
            return Err(ctx.err(
                text.len()..text.len(),
                "no questions: add at least one [[questions]] table with id, text and type",
            ));
        }
        let mut questions: Vec<Question> = Vec::new();
        for q in &raw.questions {
            let id = match q.id.get_ref() {
                IdValue::Text(s) => s.trim().to_string(),
                IdValue::Number(n) => n.to_string(),
            };
            if id.is_empty() || id.chars().any(char::is_whitespace) {
                return Err(ctx.err(
                    q.id.span(),
                    "question id must be a short label without spaces, like \"1\" or \"2a\"",
                ));
            }
            // "1" and "1.", "a" and "A" are one label to a person, and to the
            // readers of answers: they must differ in more than case and dots.
            let same = |a: &str, b: &str| {
                a.trim_end_matches('.').to_lowercase() == b.trim_end_matches('.').to_lowercase()
            };
            // "1" and "Q1", "(1)", "#1", "1.0": the same label to the readers
            // of answers, which would put one's answer under the other.
            if let Some(p) = questions.iter().find(|p| confusable(&p.id, &id)) {
                return Err(ctx.err(
                    q.id.span(),
                    format!(
                        "question ids \"{}\" and \"{id}\" are read as the same label (a label \
                         \"{id}\" in a response could be the answer to question \"{}\"), so \
                         answers labelled with them cannot be told apart: give them ids that \
                         differ in their number or letter, like \"1\" and \"2\", or \"2a\" \
                         and \"2b\"",
                        p.id, p.id
                    ),
                ));
            }
            if let Some(p) = questions.iter().find(|p| same(&p.id, &id)) {
                let what = if p.id == id {
                    format!("question id \"{id}\" is used twice")
                } else {
                    format!(
                        "question ids \"{}\" and \"{id}\" differ only in case or a dot, so answers \
                         labelled with them cannot be told apart: give them different ids",
                        p.id
                    )
                };
                return Err(ctx.err(q.id.span(), what));
            }
            let qtext = q.text.get_ref().trim().to_string();
            if qtext.is_empty() {
                return Err(ctx.err(q.text.span(), format!("question {id} has no text")));
            }
            questions.push(Question {
                id,
                text: qtext,
                kind: q.kind,
            });
        }

        Ok(Query {
            dir: dir.to_path_buf(),
            title,
            reference: raw.reference.map(|r| match r.into_inner() {
                IdValue::Text(s) => s,
                IdValue::Number(n) => n.to_string(),
            }),
            requested_by,
            requested_on,
            deadline,
            compiled_on,
            network,
            expected,
            default_dissemination,
            background: raw
                .background
                .map(|b| b.trim().to_string())
                .filter(|b| !b.is_empty()),
            longest_key_chars: questions
                .iter()
                .map(|q| crate::text::compact_key(&q.text).chars().count())
                .max()
                .unwrap_or(0),
            question_keys: questions
                .iter()
                .map(|q| (crate::text::key(&q.id), crate::text::compact_key(&q.text)))
                .collect(),
            questions,
            decisions: crate::decisions::Decisions::default(),
        })
    }

    /// A short fingerprint of the questions (ids, types, texts): tells which
    /// version of a query a returned template answers.
    pub fn fingerprint(&self) -> String {
        let mut h = Sha256::new();
        for q in &self.questions {
            h.update(q.id.as_bytes());
            h.update(b"\t");
            h.update(q.kind.as_str().as_bytes());
            h.update(b"\t");
            h.update(crate::text::key(&q.text).as_bytes());
            h.update(b"\n");
        }
        let digest = h.finalize();
        digest[..8].iter().map(|b| format!("{b:02x}")).collect()
    }

    /// What of the starter query.toml (`ahq new`) is still unchanged: the
    /// title, the background, a question's text. A template or compilation
    /// made from it would go out titled "Subject of the query".
    pub fn placeholders(&self) -> Vec<String> {
        let Ok(starter) = Query::parse(
            Path::new("starter"),
            Path::new("starter/query.toml"),
            crate::templates::STARTER_QUERY,
        ) else {
            return Vec::new();
        };
        let mut left = Vec::new();
        if self.title == starter.title {
            left.push(format!("title = \"{}\"", self.title));
        }
        if self.background.is_some() && self.background == starter.background {
            left.push("the background".to_string());
        }
        for q in &self.questions {
            if starter.questions.iter().any(|s| s.text == q.text) {
                left.push(format!("question {} (\"{}\")", q.id, q.text));
            }
        }
        left
    }

    /// Refuses a query that still holds the starter's placeholders.
    pub fn check_edited(&self) -> Result<()> {
        let left = self.placeholders();
        if left.is_empty() {
            return Ok(());
        }
        Err(Error::Placeholders {
            path: self.dir.join("query.toml"),
            what: left.join("; "),
        })
    }

    pub fn responses_dir(&self) -> PathBuf {
        self.dir.join("responses")
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }
}

/// The hidden sheet's keys of the query a template carries: its TOML text in
/// `query_toml.1`, `query_toml.2`, … (one cell holds 32,767 characters at
/// most), and the SHA-256 of the whole text.
pub const CARRIED_PART: &str = "query_toml";
pub const CARRIED_SHA256: &str = "query_sha256";

/// Characters (UTF-16 units, as Excel counts them) per part: under Excel's
/// 32,767 with room to spare.
const PART_UNITS: usize = 32_000;

/// A carried query's name in messages, where a query.toml's path would go.
const CARRIED_NAME: &str = "the query this file carries";

#[derive(serde::Serialize)]
struct CarriedToml<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reference: Option<&'a str>,
    requested_by: &'a str,
    requested_on: Datetime,
    #[serde(skip_serializing_if = "Option::is_none")]
    deadline: Option<Datetime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    compiled_on: Option<Datetime>,
    network: &'a str,
    expected: &'a [String],
    default_dissemination: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    background: Option<&'a str>,
    questions: &'a [Question],
}

/// A question id as the readers of answers read a label written with it:
/// folded, without a "Q" or "Question" before it, a ".0" after it, or the
/// punctuation around it ("(1)", "#1", "1)"); and whether it had a prefix.
fn label_form(id: &str) -> (String, bool) {
    let k = crate::text::key(id).replace(' ', "");
    // "1.0" folds to "10": the ".0" is not part of the number a sender writes.
    let k = match k.strip_suffix('0') {
        Some(number) if id.ends_with(".0") => number.to_string(),
        _ => k,
    };
    for prefix in [
        "questionnumber",
        "questionno",
        "questionnr",
        "question",
        "q",
    ] {
        if let Some(rest) = k.strip_prefix(prefix)
            && rest.starts_with(|c: char| c.is_ascii_digit())
        {
            return (rest.to_string(), true);
        }
    }
    (k, false)
}

/// Whether two question ids would be taken for one another in a response:
/// the same label form, or one written with a prefix ("Q2a") starting with
/// the other's number ("2"), which senders write as "Q2" or "2" alike.
fn confusable(a: &str, b: &str) -> bool {
    let ((fa, pa), (fb, pb)) = (label_form(a), label_form(b));
    if a.eq_ignore_ascii_case(b)
        || a.trim_end_matches('.')
            .eq_ignore_ascii_case(b.trim_end_matches('.'))
    {
        return false; // said by the check for ids that differ only in case or a dot
    }
    fa == fb || (pa != pb && (fa.starts_with(&fb) || fb.starts_with(&fa)))
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn datetime(d: Date) -> Datetime {
    Datetime {
        date: Some(d),
        time: None,
        offset: None,
    }
}

/// The query a template-based file carries, from its hidden sheet's pairs
/// ([`crate::reading::Workbook::ahq_meta`]): `None` when it carries none
/// (not a template, or one made by an older ahq, which did not store it).
/// An error when the text is not what `ahq template` wrote (edited by hand,
/// a part missing) or does not match the fingerprint beside it: a query
/// changed after the fact is never used.
pub fn embedded(meta: &HashMap<String, String>) -> Option<Result<Query>> {
    meta.get(&format!("{CARRIED_PART}.1"))?;
    Some(parse_carried(meta))
}

fn parse_carried(meta: &HashMap<String, String>) -> Result<Query> {
    let changed = |what: &str| {
        Error::Carried(format!(
            "{CARRIED_NAME} (in its hidden sheet \"{}\") {what}: it was changed after \
             `ahq template` wrote it, so ahq cannot trust it; fill in a fresh template, or \
             give the query with --query query.toml",
            crate::reading::META_SHEET
        ))
    };
    let text: String = (1..)
        .map_while(|i| meta.get(&format!("{CARRIED_PART}.{i}")))
        .map(String::as_str)
        .collect();
    match meta.get(CARRIED_SHA256) {
        Some(sum) if *sum == sha256_hex(&text) => {}
        Some(_) => return Err(changed("is not the text ahq wrote there")),
        None => return Err(changed("has lost its checksum")),
    }
    let query = Query::parse(Path::new("."), Path::new(CARRIED_NAME), &text)?;
    match meta.get("fingerprint") {
        Some(fp) if *fp == query.fingerprint() => Ok(query),
        _ => Err(changed("does not match the fingerprint of its questions")),
    }
}

impl Query {
    /// The query as query.toml text, every value spelled out (the network's
    /// members resolved to `expected`): what a template carries.
    pub fn to_toml(&self) -> String {
        let network = Network::builtin_ids()
            .iter()
            .find(|id| {
                Network::builtin(id)
                    .and_then(|n| n.ok())
                    .is_some_and(|n| std::ptr::eq(n, self.network))
            })
            .copied()
            .unwrap_or("emn");
        let carried = CarriedToml {
            title: &self.title,
            reference: self.reference.as_deref(),
            requested_by: &self.requested_by.code,
            requested_on: datetime(self.requested_on),
            deadline: self.deadline.map(datetime),
            compiled_on: self.compiled_on.map(datetime),
            network,
            expected: &self.expected,
            default_dissemination: self.default_dissemination.as_str(),
            background: self.background.as_deref(),
            questions: &self.questions,
        };
        toml::to_string(&carried).unwrap_or_default()
    }

    /// The hidden sheet's pairs that carry this query ([`embedded`] reads
    /// them back). Trimmed, and cut only between two characters that are not
    /// spaces, so a reader that trims each cell loses nothing.
    pub fn carried_pairs(&self) -> Vec<(String, String)> {
        let text = self.to_toml().trim().to_string();
        let mut pairs = Vec::new();
        let mut rest = text.as_str();
        while !rest.is_empty() {
            let cut = cut_point(rest);
            pairs.push((
                format!("{CARRIED_PART}.{}", pairs.len() + 1),
                rest[..cut].to_string(),
            ));
            rest = &rest[cut..];
        }
        pairs.push((CARRIED_SHA256.to_string(), sha256_hex(&text)));
        pairs
    }
}

/// Where to end the next part of `rest`: all of it when it fits, else the
/// last place within [`PART_UNITS`] between two characters that are not
/// white space (a hard cut only in a run of spaces longer than a part).
fn cut_point(rest: &str) -> usize {
    let mut units = 0;
    let mut fits = rest.len();
    for (i, c) in rest.char_indices() {
        units += c.len_utf16();
        if units > PART_UNITS {
            fits = i;
            break;
        }
    }
    if fits == rest.len() {
        return fits;
    }
    let mut best = fits;
    let mut prev: Option<char> = None;
    for (i, c) in rest.char_indices().take_while(|(i, _)| *i <= fits) {
        if prev.is_some_and(|p| !p.is_whitespace()) && !c.is_whitespace() {
            best = i;
        }
        prev = Some(c);
    }
    best
}

/// A two-question query (yes-no, then text) for the library's unit tests.
#[cfg(test)]
pub(crate) fn test_query() -> Query {
    Query::parse(
        Path::new("q"),
        Path::new("q/query.toml"),
        r#"
title = "T"
requested_by = "AT"
requested_on = 2010-07-26
[[questions]]
id = "1"
text = "Do you currently or in the past have/had a Migration Partnership with a third country?"
type = "yes-no"
[[questions]]
id = "2"
text = "If yes which third countries are/were involved?"
"#,
    )
    .expect("the test query parses")
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
title = "Migration Partnerships"
requested_by = "Austria"
requested_on = 2010-07-26
deadline = 2010-08-31

[[questions]]
id = "1"
text = "Do you?"
type = "yes-no"

[[questions]]
id = 2
text = "Which?"
"#;

    fn parse(text: &str) -> Result<Query> {
        Query::parse(Path::new("q"), Path::new("q/query.toml"), text)
    }

    fn err(text: &str) -> (usize, usize, String) {
        match parse(text) {
            Err(Error::Query {
                line,
                column,
                message,
                ..
            }) => (line, column, message),
            other => panic!("expected a query error, got {other:?}"),
        }
    }

    #[test]
    fn a_good_query_parses_with_defaults() {
        let q = parse(GOOD).unwrap();
        assert_eq!(q.requested_by.code, "AT");
        assert_eq!(q.questions.len(), 2);
        assert_eq!(q.questions[1].id, "2");
        assert_eq!(q.questions[1].kind, QuestionType::Text);
        assert_eq!(q.default_dissemination, Dissemination::Yes);
        assert_eq!(q.network.name, "EMN");
        assert!(q.expected.contains(&"UK".to_string()) && !q.expected.contains(&"HR".to_string()));
        assert_eq!(q.fingerprint().len(), 16);
    }

    #[test]
    fn fingerprint_changes_with_the_questions() {
        let a = parse(GOOD).unwrap().fingerprint();
        let b = parse(&GOOD.replace("Which?", "Which ones?"))
            .unwrap()
            .fingerprint();
        assert_ne!(a, b);
    }

    #[test]
    fn bad_values_point_at_their_line_and_column() {
        let (line, col, msg) = err(&GOOD.replace("\"Austria\"", "\"Austira\""));
        assert_eq!((line, col), (3, 16));
        assert!(msg.contains("did you mean Austria"), "{msg}");

        let (line, _, msg) = err(&GOOD.replace("type = \"yes-no\"", "type = \"boolean\""));
        assert_eq!(line, 10);
        assert!(msg.contains("yes-no"), "{msg}");

        let (line, _, msg) = err(&GOOD.replace("deadline = 2010-08-31", "deadline = 2010-07-01"));
        assert_eq!(line, 5);
        assert!(msg.contains("before requested_on"), "{msg}");

        let (line, _, msg) = err(&GOOD.replace("id = 2", "id = \"1\""));
        assert_eq!(line, 13);
        assert!(msg.contains("used twice"), "{msg}");
        let (line, _, msg) = err(&GOOD.replace("id = 2", "id = \"1.\""));
        assert_eq!(line, 13);
        assert!(msg.contains("differ only in case or a dot"), "{msg}");

        let (_, _, msg) = err(&GOOD.replace("title = \"Migration Partnerships\"\n", ""));
        assert!(msg.contains("title"), "{msg}");

        let (line, _, msg) = err(&GOOD.replace("deadline", "dead_line"));
        assert_eq!(line, 5);
        assert!(msg.contains("dead_line"), "{msg}");
    }

    /// Issue 19, 7: ids the label matcher reads as one are refused, naming both.
    #[test]
    fn question_ids_read_as_the_same_label_are_refused() {
        for (a, b) in [
            ("1", "Q1"),
            ("1", "Question1"),
            ("1", "1)"),
            ("1", "(1)"),
            ("1", "#1"),
            ("1", "1.0"),
            ("2", "Q2a"),
        ] {
            let text = GOOD
                .replace("id = \"1\"", &format!("id = \"{a}\""))
                .replace("id = 2", &format!("id = \"{b}\""));
            let (_, _, msg) = err(&text);
            assert!(
                msg.contains(&format!("\"{a}\" and \"{b}\" are read as the same label")),
                "{a} / {b}: {msg}"
            );
        }
        for (a, b) in [
            ("1", "2"),
            ("2", "2a"),
            ("2a", "2b"),
            ("Q1", "Q2"),
            ("1", "10"),
        ] {
            assert!(!confusable(a, b), "{a} / {b}");
        }
    }

    #[test]
    fn a_date_written_another_way_says_how_to_write_it() {
        let (line, _, msg) = err(&GOOD.replace("2010-07-26", "26.07.2010"));
        assert_eq!(line, 4);
        assert!(msg.contains("like requested_on = 2010-07-26"), "{msg}");
        assert!(msg.contains("26.07.2010"), "{msg}");
    }

    #[test]
    fn a_mistyped_key_names_the_nearest_one() {
        let (line, _, msg) = err(&GOOD.replace("requested_on", "requsted_on"));
        assert_eq!(line, 4);
        assert!(msg.contains("did you mean `requested_on`"), "{msg}");
        let (_, _, msg) = err(&GOOD.replace("text = \"Which?\"", "txet = \"Which?\""));
        assert!(msg.contains("did you mean `text`"), "{msg}");
    }

    #[test]
    fn the_starter_is_all_placeholders_and_an_edited_query_none() {
        let starter = parse(crate::templates::STARTER_QUERY).unwrap();
        let left = starter.placeholders();
        assert!(
            left.iter().any(|l| l.contains("Subject of the query")),
            "{left:?}"
        );
        assert!(left.iter().any(|l| l.starts_with("question 1")), "{left:?}");
        assert!(starter.check_edited().is_err());
        assert!(parse(GOOD).unwrap().placeholders().is_empty());
    }

    fn meta_of(q: &Query) -> HashMap<String, String> {
        let mut meta: HashMap<String, String> = q.carried_pairs().into_iter().collect();
        meta.insert("fingerprint".into(), q.fingerprint());
        meta
    }

    #[test]
    fn a_carried_query_comes_back_whole() {
        let q = parse(&GOOD.replace(
            "deadline",
            "reference = \"2010.12\"\nbackground = \"\"\"\nTwo\n  lines\"\"\"\ndefault_dissemination = \"no\"\ndeadline",
        ))
        .unwrap();
        let back = embedded(&meta_of(&q)).unwrap().unwrap();
        assert_eq!(back.to_toml(), q.to_toml());
        assert_eq!(back.questions, q.questions);
        assert_eq!(back.expected, q.expected);
        assert_eq!(back.background.as_deref(), Some("Two\n  lines"));
        assert_eq!(back.default_dissemination, Dissemination::No);
        assert_eq!(back.reference.as_deref(), Some("2010.12"));
        assert_eq!(
            (back.title, back.deadline, back.requested_by.code),
            (q.title.clone(), q.deadline, q.requested_by.code.clone())
        );
        assert!(embedded(&HashMap::new()).is_none());
    }

    #[test]
    fn a_long_query_is_carried_in_parts_that_survive_trimming() {
        let long = "word ".repeat(20_000) + "end\n\n   indented";
        let q = parse(&GOOD.replace("Which?", &long.replace('\n', "\\n"))).unwrap();
        let pairs = q.carried_pairs();
        assert!(pairs.len() >= 5, "{}", pairs.len());
        for (_, v) in &pairs {
            assert!(v.encode_utf16().count() <= 32_767);
            assert_eq!(v.trim(), v);
        }
        let back = embedded(&meta_of(&q)).unwrap().unwrap();
        assert_eq!(back.questions, q.questions);
    }

    #[test]
    fn a_carried_query_edited_by_hand_is_refused() {
        let q = parse(GOOD).unwrap();
        let mut meta = meta_of(&q);
        let part = meta.get_mut("query_toml.1").unwrap();
        *part = part.replace("Which?", "Which ones?");
        let err = embedded(&meta).unwrap().unwrap_err().to_string();
        assert!(err.contains("changed after `ahq template`"), "{err}");

        let mut meta = meta_of(&q);
        meta.insert("fingerprint".into(), "0000".into());
        let err = embedded(&meta).unwrap().unwrap_err().to_string();
        assert!(err.contains("fingerprint"), "{err}");
    }

    #[test]
    fn expected_overrides_the_network_list() {
        let q =
            parse(&GOOD.replace("deadline", "expected = [\"BE\", \"Greece\"]\ndeadline")).unwrap();
        assert_eq!(q.expected, vec!["BE", "EL"]);
    }
}
