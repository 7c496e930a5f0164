//! Checking response files: read, locate, normalise, then the checks that
//! need several files at once (two files for one country).
//!
//! The same checks serve a member state's contact before sending and the
//! coordinator before compiling.

use crate::country::Countries;
use crate::error::Result;
use crate::layout::{LayoutKind, locate};
use crate::normalise::{Source, normalise};
use crate::query::Query;
use crate::reading::{self, Format, Kind};
use crate::record::{Finding, Record, Severity};
use crate::text::key;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The limits files are read within.
pub use crate::reading::Limits;

/// What one file gave.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// As shown to people: relative to responses/ when it is in there.
    pub file: String,
    #[serde(skip)]
    pub path: PathBuf,
    pub sha256: Option<String>,
    pub format: Option<Format>,
    pub layout: Option<LayoutKind>,
    pub sheet: Option<String>,
    /// The file's modification time (its day, YYYY-MM-DD): what judges
    /// lateness when the response carries no date of its own.
    pub modified: Option<String>,
    /// The responses found: one, or several in a table of countries.
    pub records: Vec<Record>,
    /// Findings about the file as a whole.
    pub findings: Vec<Finding>,
    /// Set when the file is not a response and was passed over.
    pub skipped: Option<String>,
    /// The file as it was when its bytes were read (set by whoever read
    /// them from a disk): to tell, before anything is written, whether it
    /// has changed since.
    #[serde(skip)]
    pub stamp: Option<Stamp>,
}

/// What identifies one version of a file on a disk: its size, modification
/// time, and device and inode (a file replaced by another has new ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub len: u64,
    pub modified: Option<std::time::SystemTime>,
    pub identity: (u64, u64),
}

impl FileReport {
    /// A report of `file` (as shown) at `path`, before anything is read.
    pub fn new(file: impl Into<String>, path: impl Into<PathBuf>) -> FileReport {
        FileReport {
            file: file.into(),
            path: path.into(),
            sha256: None,
            format: None,
            layout: None,
            sheet: None,
            modified: None,
            records: Vec::new(),
            findings: Vec::new(),
            skipped: None,
            stamp: None,
        }
    }

    /// The file not read: its reason, said quietly (an info) or not (a warning).
    pub fn not_read(mut self, reason: String, quiet: bool) -> FileReport {
        self.findings.push(if quiet {
            Finding::info(format!("not a response: {reason}"), None)
        } else {
            Finding::warning(format!("not read: {reason}"), None)
        });
        self.skipped = Some(reason);
        self
    }

    /// The format to read a file of this kind in, or the report of a file
    /// that is not read. An archive inside an archive is not unpacked.
    /// `None` with the report of a file that is not read.
    pub fn format(self, kind: Kind, in_archive: bool) -> (Option<Format>, FileReport) {
        let (reason, quiet) = match kind {
            Kind::Response(f) => return (Some(f), self),
            Kind::Skip(reason) => (reason, true),
            Kind::NotRead(reason) | Kind::Unknown(reason) => (reason, false),
            Kind::Archive if in_archive => (
                "an archive inside an archive is not unpacked: unzip it".to_string(),
                false,
            ),
            Kind::Archive => (
                "a zip archive, read member by member by `ahq validate` and `ahq compile`"
                    .to_string(),
                true,
            ),
        };
        (None, self.not_read(reason, quiet))
    }

    /// Every finding, the file's own first, then each record's.
    pub fn all_findings(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .chain(self.records.iter().flat_map(|r| r.findings.iter()))
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.all_findings()
            .filter(|f| f.severity == severity)
            .count()
    }

    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }
}

/// Members of a zip read at the most.
const MAX_MEMBERS: usize = 500;

/// A zip archive: a report for the archive itself (its hash, how many files
/// it held), then one per member, named `archive.zip/BE.xlsx`, each read as
/// if it were in responses/. Members in folders inside the archive, and
/// archives inside it, are named and not read (one level deep). What the
/// members inflate to is bounded as an xlsx's parts are.
/// `archive` is the archive's own report (its name, its path); `modified`
/// its modification time, if known.
pub fn check_archive_bytes(
    query: &Query,
    countries: &Countries,
    mut archive: FileReport,
    bytes: &[u8],
    modified: Option<std::time::SystemTime>,
    limits: &Limits,
) -> Vec<FileReport> {
    let name = archive.file.clone();
    let path = archive.path.clone();
    // An archive that cannot be read may hold responses: an error that
    // stops the compilation (or is left out by --skip-invalid), never
    // passed over as "not a response".
    let fail = |mut a: FileReport, message: String| {
        a.findings.push(Finding::error(message, None));
        vec![a]
    };
    archive.sha256 = Some(sha256_hex(bytes));
    let Some(entries) = reading::archive::entries(bytes, MAX_MEMBERS) else {
        return fail(
            archive,
            "this .zip archive is damaged or not a zip: ask the sender to send the files again"
                .into(),
        );
    };
    // Entries, not names: a thousand entries named BE.csv are a thousand.
    if entries.len() > MAX_MEMBERS {
        return fail(
            archive,
            format!(
                "this archive holds more than {MAX_MEMBERS} files: it is not a set of responses; unzip the responses into responses/"
            ),
        );
    }
    let declared: u64 = entries
        .iter()
        .map(|e| e.size())
        .fold(0u64, u64::saturating_add);
    if declared > limits.max_inflated_bytes {
        return fail(
            archive,
            reading::ReadError::TooMuchInflated {
                limit: limits.max_inflated_bytes,
            }
            .to_string(),
        );
    }
    let mut named: HashMap<&str, usize> = HashMap::new();
    for e in &entries {
        *named.entry(e.name.as_str()).or_default() += 1;
    }
    let mut out = Vec::new();
    let (mut read, mut unreadable) = (0usize, 0usize);
    for (i, entry) in entries.iter().enumerate() {
        if entry.is_dir() {
            continue;
        }
        let inner = entry.name.as_str();
        let copies = named[inner];
        // Two entries of one name are two files: each named apart, each read.
        let shown = if copies > 1 {
            format!("{name}/{inner} (entry {} of the archive)", i + 1)
        } else {
            format!("{name}/{inner}")
        };
        let mut report = FileReport::new(shown.clone(), path.clone());
        if copies > 1 {
            report.findings.push(Finding::warning(
                format!(
                    "the archive holds {copies} files named \"{inner}\": each is read as a \
                     file of its own (unzipping it would keep only the last): ask the sender \
                     which is the response"
                ),
                None,
            ));
        }
        if inner.contains('/') || inner.contains('\\') {
            out.push(report.not_read(
                "in a folder inside the archive: only the archive's own files are read; move it to the archive's top".into(),
                false,
            ));
            continue;
        }
        let (format, mut report) = report.format(reading::classify(Path::new(inner)), true);
        let Some(format) = format else {
            out.push(report);
            continue;
        };
        let member_bytes = match reading::archive::unpack(bytes, entry, limits.max_file_bytes) {
            Ok(b) => b,
            Err(e) => {
                unreadable += 1;
                report.format = Some(format);
                report.findings.push(Finding::error(e.to_string(), None));
                out.push(report);
                continue;
            }
        };
        read += 1;
        out.push(check_bytes(
            query,
            countries,
            report,
            &member_bytes,
            modified,
            format,
            limits,
        ));
    }
    if read == 0 {
        let why = if unreadable > 0 {
            format!(
                "no file of this archive could be unpacked ({unreadable} could not; each is named \
                 below with why): ask the sender for the files themselves"
            )
        } else {
            "this archive holds no response file (.xlsx, .xlsb, .xls, .ods, .csv, .txt or .docx \
             at its top): ask the sender for the responses themselves"
                .to_string()
        };
        let mut all = fail(archive, why);
        all.extend(out);
        return all;
    }
    let reason =
        format!("a zip archive: its {read} response file(s) are read one by one, as {name}/…");
    archive.findings.push(Finding::info(reason.clone(), None));
    archive.skipped = Some(reason);
    let mut all = vec![archive];
    all.extend(out);
    all
}

/// One file's bytes, checked as `ahq validate` checks a file of that name
/// (a zip's members one by one): what the web page calls, with no file
/// system. Call [`finish`] once over all the reports of a run.
pub fn check_named_bytes(
    query: &Query,
    name: &str,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Vec<FileReport>> {
    let countries = Countries::builtin()?;
    let report = FileReport::new(name.to_string(), PathBuf::from(name));
    let reports = match reading::classify(Path::new(name)) {
        Kind::Archive => check_archive_bytes(query, countries, report, bytes, None, limits),
        kind => {
            let kind = match kind {
                Kind::Unknown(reason) => Kind::Unknown(reading::unknown_with_content(
                    reason,
                    &bytes[..bytes.len().min(8192)],
                )),
                kind => kind,
            };
            let (format, mut report) = report.format(kind, false);
            match format {
                Some(format) => vec![check_bytes(
                    query, countries, report, bytes, None, format, limits,
                )],
                None => {
                    // Named by the person: not reading it is an error.
                    for f in &mut report.findings {
                        f.severity = Severity::Error;
                    }
                    vec![report]
                }
            }
        }
    };
    Ok(reports)
}

/// What every run does once its files are checked: two responses for one
/// country named on each, and findings capped per file and per response.
pub fn finish(reports: &mut [FileReport]) {
    cross_check(reports);
    look_alike_names(reports);
    for r in reports.iter_mut() {
        cap_findings(&mut r.findings);
        for rec in &mut r.records {
            cap_findings(&mut rec.findings);
        }
    }
}
fn findings_json(r: &FileReport, s: Severity) -> serde_json::Value {
    use serde_json::{Value, json};
    Value::Array(
        r.all_findings()
            .filter(|f| f.severity == s)
            .map(|f| json!({ "message": f.message, "location": f.location.as_ref().map(|l| l.to_string()) }))
            .collect(),
    )
}

/// The reports as `ahq validate --format json` prints them (and the web
/// page reads them): one object per file.
pub fn reports_json(reports: &[FileReport]) -> serde_json::Value {
    use serde_json::{Map, Value, json};
    Value::Array(
        reports
            .iter()
            .map(|r| {
                // One response per file is the rule; a table of several keeps
                // them all under "records" and names no single country.
                let single = (r.records.len() == 1).then(|| &r.records[0]);
                let answers: Map<String, Value> = single
                    .map(|rec| rec.answers.iter().map(|a| (a.question_id.clone(), Value::String(a.text.clone()))).collect())
                    .unwrap_or_default();
                json!({
                    "file": r.file,
                    "country": single.and_then(|rec| rec.country.as_ref()).map(|c| c.code.clone()),
                    "dissemination": single.and_then(|rec| rec.dissemination.as_ref()).map(|f| f.value.as_str()),
                    "answers": answers,
                    "errors": findings_json(r, Severity::Error),
                    "warnings": findings_json(r, Severity::Warning),
                    "infos": findings_json(r, Severity::Info),
                    "sha256": r.sha256,
                    "format": r.format,
                    "layout": r.layout,
                    "sheet": r.sheet,
                    "skipped": r.skipped,
                    "records": r.records,
                })
            })
            .collect(),
    )
}

/// Checks a response's bytes, read once (from a file, or a zip's member).
pub fn check_bytes(
    query: &Query,
    countries: &Countries,
    mut report: FileReport,
    bytes: &[u8],
    modified: Option<std::time::SystemTime>,
    format: Format,
    limits: &Limits,
) -> FileReport {
    let name = report.file.clone();
    let name = name.as_str();
    report.format = Some(format);
    // One read: these bytes are hashed and these bytes are read, so the
    // manifest's hash is by construction that of what was compiled.
    let sha = sha256_hex(bytes);
    report.sha256 = Some(sha.clone());
    let read = match &limits.isolation {
        Some(elsewhere) => elsewhere.0.read(bytes, format, limits),
        None => reading::read_bytes(bytes, format, limits),
    };
    let wb = match read {
        Ok(wb) => wb,
        Err(e) => {
            report.findings.push(Finding::error(e.to_string(), None));
            // The reader's own words, for whoever repairs the file: in the
            // Log and records.json, and with `validate -v`.
            if let Some(detail) = e.detail() {
                report.findings.push(Finding::info(
                    format!("the spreadsheet reader said: {detail}"),
                    None,
                ));
            }
            return report;
        }
    };
    report.modified = modified.map(|t| crate::dates::iso(crate::dates::day_of(t)));
    report.findings.extend(wb.notes.iter().cloned());
    check_template_meta(&wb, query, &mut report.findings);
    let located = match locate(&wb, query) {
        Ok(l) => l,
        Err(f) => {
            report.findings.push(f);
            return report;
        }
    };
    if located.responses.len() > MAX_RESPONSES_PER_FILE {
        report.findings.push(Finding::error(
            format!(
                "this file holds {} country rows, more than any network has members (at most {} are \
                 read from one file): check it is a response, or split it",
                located.responses.len(),
                MAX_RESPONSES_PER_FILE
            ),
            None,
        ));
        return report;
    }
    report.findings.extend(located.findings.iter().cloned());
    report.sheet = (!located.sheet.is_empty()).then(|| located.sheet.clone());
    report.layout = located.responses.first().map(|r| r.layout);
    let restricted = crate::restriction::scan(&wb, &located, query, name);
    report.records = located
        .responses
        .iter()
        .enumerate()
        .map(|(i, raw)| {
            let applies: Vec<_> = restricted
                .iter()
                .filter(|r| r.owner.is_none_or(|o| o == i))
                .cloned()
                .collect();
            let src = Source {
                file: name,
                sha256: &sha,
                restricted: &applies,
            };
            normalise(raw, query, countries, &src)
        })
        .collect();
    report
}

/// SHA-256 of `bytes`, in lower-case hex: how files are named in reports and manifests.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A returned template says which query, and which version of its questions,
/// it answers. Another query's, or another version's, would put its answers
/// under the wrong questions: an error naming both.
fn check_template_meta(wb: &reading::Workbook, query: &Query, findings: &mut Vec<Finding>) {
    let Some(meta) = &wb.ahq_meta else { return };
    let name = |reference: Option<&str>, title: Option<&str>| {
        let mut n = String::from("query");
        if let Some(r) = reference.filter(|r| !r.is_empty()) {
            n.push_str(&format!(" {r}"));
        }
        if let Some(t) = title.filter(|t| !t.is_empty()) {
            n.push_str(&format!(" \"{t}\""));
        }
        n
    };
    let theirs = name(
        meta.get("reference").map(String::as_str),
        meta.get("title").map(String::as_str),
    );
    let ours = name(query.reference.as_deref(), Some(&query.title));
    let other_query = matches!(
        (&query.reference, meta.get("reference")),
        (Some(r), Some(t)) if !t.is_empty() && t != r
    );
    if other_query {
        findings.push(Finding::error(
            format!(
                "this file was made from the template of {theirs}, not of {ours}: its answers \
                 belong to other questions; fill in the template of {ours} (`ahq template`), \
                 or send this file to the query it answers"
            ),
            None,
        ));
    } else if let Some(fp) = meta.get("fingerprint")
        && *fp != query.fingerprint()
    {
        findings.push(Finding::error(
            format!(
                "this file was made from the template of another version of the questions \
                 ({theirs}), not the current {ours}: its answers may stand under the wrong \
                 questions; copy them into a fresh template (`ahq template`) and check each"
            ),
            None,
        ));
    }
}

/// The country a file name names, if exactly one: "BE.xlsx", "Belgium reply.xlsx".
/// Short codes count only in capitals, so "is", "at" and "no" in names are words.
pub fn country_in_name(path: &Path, countries: &Countries) -> Option<String> {
    let stem = path.file_stem()?.to_str()?;
    let words: Vec<&str> = stem
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut found: Vec<String> = Vec::new();
    for size in (1..=3).rev() {
        for window in words.windows(size) {
            let phrase = window.join(" ");
            let short = size == 1 && phrase.chars().count() <= 3;
            if short && phrase != phrase.to_uppercase() {
                continue;
            }
            if !short && key(&phrase).len() <= 3 {
                continue;
            }
            if let Some(c) = countries.find(&phrase)
                && !found.contains(&c.code)
            {
                found.push(c.code.clone());
            }
        }
    }
    match found.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// Two files whose names differ only in how their letters are encoded (an
/// "Ö" as one character, or as "O" and a combining mark: macOS writes the
/// second) print the same: each is named with both spellings.
fn look_alike_names(reports: &mut [FileReport]) {
    use unicode_normalization::UnicodeNormalization;
    let mut by_form: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, r) in reports.iter().enumerate() {
        by_form.entry(r.file.nfc().collect()).or_default().push(i);
    }
    for group in by_form.into_values().filter(|g| g.len() > 1) {
        let spelt: Vec<String> = group
            .iter()
            .map(|&i| crate::text::escape_non_ascii(&reports[i].file).into_owned())
            .collect();
        for (k, &i) in group.iter().enumerate() {
            let others: Vec<String> = (0..group.len())
                .filter(|&o| o != k && spelt[o] != spelt[k])
                .map(|o| format!("\"{}\"", spelt[o]))
                .collect();
            if others.is_empty() {
                continue;
            }
            reports[i].findings.push(Finding::warning(
                format!(
                    "another file's name looks the same as this one's but is written with other \
                     characters (this: \"{}\"; the other: {}): they are two files, both read; \
                     rename one so that they can be told apart",
                    spelt[k],
                    others.join(", ")
                ),
                None,
            ));
        }
    }
}

/// Two responses for one country: an error on each, naming the others
/// (the first few: a table may repeat one country thousands of times).
fn cross_check(reports: &mut [FileReport]) {
    use std::collections::HashMap;
    let mut seen: HashMap<String, Vec<(String, String)>> = HashMap::new(); // code -> (file, location)
    for r in reports.iter() {
        for rec in &r.records {
            if let Some(c) = &rec.country {
                seen.entry(c.code.clone())
                    .or_default()
                    .push((r.file.clone(), rec.country_source.to_string()));
            }
        }
    }
    const NAMED: usize = 5;
    for r in reports.iter_mut() {
        let file = r.file.clone();
        for rec in &mut r.records {
            let Some(c) = rec.country.clone() else {
                continue;
            };
            let all = &seen[&c.code];
            if all.len() < 2 {
                continue;
            }
            let here = rec.country_source.to_string();
            let others = all.iter().filter(|(f, at)| !(*f == file && *at == here));
            let mut named: Vec<String> = others
                .take(NAMED)
                .map(|(f, at)| {
                    if *f == file {
                        format!("{at} in this file")
                    } else {
                        format!("{f} ({at})")
                    }
                })
                .collect();
            // Every other entry is another response: no need to walk them all.
            let more = (all.len() - 1).saturating_sub(NAMED);
            if more > 0 {
                named.push(format!("and {more} more"));
            }
            rec.findings.push(Finding::error(
                format!(
                    "a second response for {} is in {}: keep one and remove the other",
                    c.name,
                    named.join(", ")
                ),
                Some(rec.country_source.clone()),
            ));
        }
    }
}

/// Responses one file may hold (a table of countries): more is not a response.
pub const MAX_RESPONSES_PER_FILE: usize = 200;

/// Findings listed per file (and per response) at the most: a damaged or
/// foreign file can raise one per cell. Errors are kept first; one line
/// says how many more there were.
pub const MAX_FINDINGS: usize = 200;

fn cap_findings(findings: &mut Vec<Finding>) {
    if findings.len() <= MAX_FINDINGS {
        return;
    }
    // Stable: errors first, each kind in the order found.
    findings.sort_by_key(|f| f.severity);
    let dropped = findings.split_off(MAX_FINDINGS - 1);
    let count = |s: Severity| dropped.iter().filter(|f| f.severity == s).count();
    findings.push(Finding::warning(
        format!(
            "{} more findings are not listed ({} errors, {} warnings, {} notes): this file has \
             many problems; check it is a response",
            dropped.len(),
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Info)
        ),
        None,
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_name_countries_by_name_or_capital_codes() {
        let c = Countries::builtin().unwrap();
        let n = |s: &str| country_in_name(Path::new(s), c);
        assert_eq!(n("BE.xlsx").as_deref(), Some("BE"));
        assert_eq!(n("Belgium reply.xlsx").as_deref(), Some("BE"));
        assert_eq!(
            n("AHQ_Migration_Partnerships_FI.xlsx").as_deref(),
            Some("FI")
        );
        assert_eq!(n("EMN AHQ 2010.12 France.ods").as_deref(), Some("FR"));
        assert_eq!(n("reply of the Czech Republic.xlsx").as_deref(), Some("CZ"));
        assert_eq!(n("response-de.csv"), None, "lower-case codes are words");
        assert_eq!(n("answer is late.xlsx"), None);
        assert_eq!(n("AT-BE.xlsx"), None, "two countries: no claim");
    }
}
