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
use crate::restriction::Restricted;
use crate::vocabulary::{Mask, Place, restrictions};
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
    /// The sheet read, as its maker names it: `sheet "Response"`, `table 1`.
    #[serde(skip)]
    pub read_from: Option<String>,
    /// The file's modification time (its day, YYYY-MM-DD): what judges
    /// lateness when the response carries no date of its own.
    pub modified: Option<String>,
    /// The document's own last-saved time (its properties), as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub saved: Option<String>,
    /// The day of the e-mail it came attached to (YYYY-MM-DD).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mail_date: Option<String>,
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
    /// Restriction wording in what the file came in (the subject or text
    /// of the e-mail it was attached to, the name of its archive or of a
    /// folder in it): it holds for every response in the file, as wording
    /// in the file itself does.
    #[serde(skip)]
    pub marked: Vec<Restricted>,
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
            read_from: None,
            modified: None,
            saved: None,
            mail_date: None,
            records: Vec::new(),
            findings: Vec::new(),
            skipped: None,
            stamp: None,
            marked: Vec::new(),
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
    /// that is not read. An archive or e-mail inside an archive is not
    /// opened. `None` with the report of a file that is not read.
    pub fn format(self, kind: Kind, in_archive: bool) -> (Option<Format>, FileReport) {
        self.format_in(kind, in_archive.then_some(Holder::Zip))
    }

    /// [`format`](Self::format), for a file in `holder` (`None`: on its own).
    fn format_in(self, kind: Kind, holder: Option<Holder>) -> (Option<Format>, FileReport) {
        let (reason, quiet) = match (kind, holder) {
            (Kind::Response(f), _) => return (Some(f), self),
            (Kind::Skip(reason), _) => (reason, true),
            (Kind::NotRead(reason) | Kind::Unknown(reason), _) => (reason, false),
            (Kind::Archive, Some(Holder::Zip)) => (
                "an archive inside an archive is not unpacked: unzip it".to_string(),
                false,
            ),
            (Kind::Archive, Some(Holder::Mail)) => (
                "a zip attached to an e-mail is not unpacked: save it into responses/, where \
                 it is read file by file"
                    .to_string(),
                false,
            ),
            (Kind::Mail, Some(Holder::Zip)) => (
                "a saved e-mail inside an archive is not opened: unzip it into responses/, \
                 where its attachments are read"
                    .to_string(),
                false,
            ),
            (Kind::Mail, Some(Holder::Mail)) => (
                "an e-mail attached to an e-mail is not opened: save it, or its attachments, \
                 into responses/"
                    .to_string(),
                false,
            ),
            (Kind::Archive, None) => (
                "a zip archive, read member by member by `ahq validate` and `ahq compile`"
                    .to_string(),
                true,
            ),
            (Kind::Mail, None) => (
                "a saved e-mail, read attachment by attachment by `ahq validate` and \
                 `ahq compile`"
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

    /// The day this file was received, as known for the whole file: the
    /// coordinator's decision, else the date of the e-mail it came in.
    /// (A file's own time is when it was saved here, never when it came.)
    pub fn received(&self, query: &Query) -> Option<(toml::value::Date, crate::policy::DatedBy)> {
        use crate::policy::DatedBy;
        // The file's own decision, else that of the zip or e-mail it came in.
        let decided = std::iter::successors(Some(self.file.as_str()), |f| {
            f.rsplit_once('/').map(|(holder, _)| holder)
        })
        .find_map(|f| query.decisions.file(f).and_then(|d| d.received.as_ref()))
        .map(|d| (d.value, DatedBy::Decision));
        decided.or_else(|| {
            self.mail_date
                .as_deref()
                .and_then(crate::dates::parse_day)
                .map(|d| (d, DatedBy::Email))
        })
    }
}

/// Members of a zip (or attachments of an e-mail) read at the most.
const MAX_MEMBERS: usize = 500;

/// What holds files that are read one by one: a zip, or a saved e-mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holder {
    Zip,
    Mail,
}

impl Holder {
    /// "archive", "e-mail": what the holder is called in messages.
    fn noun(self) -> &'static str {
        match self {
            Holder::Zip => "archive",
            Holder::Mail => "e-mail",
        }
    }
}

/// What a Mac or Windows adds to a folder or an archive by itself, which is
/// never a response: a `__MACOSX/` folder and the `._` files in it (a Mac's
/// resource forks), `.DS_Store`, `Thumbs.db`, `desktop.ini`. The name of
/// the kind, or `None`. `path` is a file's path in an archive or its name.
pub fn os_junk(path: &str) -> Option<&'static str> {
    let parts: Vec<&str> = path.split(['/', '\\']).filter(|p| !p.is_empty()).collect();
    if parts.contains(&"__MACOSX") {
        return Some("__MACOSX/");
    }
    let last = parts.last()?;
    if last.starts_with("._") {
        Some("._ files")
    } else if *last == ".DS_Store" {
        Some(".DS_Store")
    } else if last.eq_ignore_ascii_case("Thumbs.db") {
        Some("Thumbs.db")
    } else if last.eq_ignore_ascii_case("desktop.ini") {
        Some("desktop.ini")
    } else {
        None
    }
}

/// The query's own texts (its title, questions, background), which are
/// not searched for restriction wording: a reply's subject often repeats
/// the query's title.
fn query_mask(query: &Query) -> Mask {
    let mut texts: Vec<String> = vec![query.title.clone()];
    texts.extend(query.questions.iter().map(|q| q.text.clone()));
    texts.extend(query.background.iter().cloned());
    Mask::new(&texts)
}

/// Restriction wording in `text` (a name, a subject, an e-mail's text),
/// as a marking that holds for the whole file: `place` says where, for the
/// message ("the subject of the e-mail it came in").
fn marking(text: &str, place: String, mask: &Mask) -> Option<Restricted> {
    marking_in(text, place, mask, Place::Label)
}

/// [`marking`], with the wording that counts where `text` stands: an
/// e-mail's text is searched as an answer is (phrases only), for a stock
/// footer ("this e-mail and any attachments are confidential") is not the
/// sender's marking of the response it carries.
fn marking_in(text: &str, place: String, mask: &Mask, at: Place) -> Option<Restricted> {
    let wording = restrictions().find_masking(text, at, mask)?;
    // The line that holds it, where one line does.
    let line = text
        .lines()
        .find(|l| restrictions().find_masking(l, at, mask).is_some())
        .unwrap_or(text);
    Some(Restricted {
        place,
        at: None,
        quote: crate::text::first_line(line.trim(), 80),
        wording: wording.to_string(),
        owner: None,
        guidance: false,
    })
}

/// A container's name without its extension ("BE - restricted" of
/// "BE - restricted.zip"), searched for restriction wording.
fn stem(name: &str) -> String {
    Path::new(name)
        .file_stem()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned())
}

/// A file of a container: its path inside it, its place in the container
/// (from 1: the archive's entry, the e-mail's attachment), and whether it
/// is a picture (in an e-mail: a signature's logo, passed over quietly).
struct Member<'a> {
    name: &'a str,
    number: usize,
    picture: bool,
}

/// A zip archive: a report for the archive itself (its hash, how many files
/// it held), then one per member, named `archive.zip/BE.xlsx` (or
/// `archive.zip/folder/BE.xlsx` for a member in a folder), each read as if
/// it were in responses/. Archives and e-mails inside it are named and not
/// opened (one level deep); what a Mac or Windows adds to an archive
/// (`__MACOSX/`, `.DS_Store`, …) is passed over with one note. What the
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
    let mask = query_mask(query);
    let comment = reading::archive::comment(bytes).unwrap_or_default();
    let entry_comments: Vec<&str> = entries
        .iter()
        .map(|e| e.comment.as_str())
        .filter(|c| !c.trim().is_empty())
        .collect();
    let marked: Vec<Restricted> = [
        marking(
            &stem(&archive.file),
            "the name of the archive it came in".into(),
            &mask,
        ),
        marking(
            &comment,
            "the comment of the archive it came in".into(),
            &mask,
        ),
        marking(
            &entry_comments.join("\n"),
            "a comment on a file of the archive it came in".into(),
            &mask,
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    // Directory entries are not files.
    let files: Vec<(usize, &reading::archive::Entry)> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.is_dir())
        .collect();
    let members: Vec<Member> = files
        .iter()
        .map(|(i, e)| Member {
            name: &e.name,
            number: i + 1,
            picture: false,
        })
        .collect();
    let unpack = |i: usize| {
        reading::archive::unpack(bytes, files[i].1, limits.max_file_bytes)
            .map_err(|e| e.to_string())
    };
    let context = Context {
        query,
        countries,
        modified,
        mail_date: None,
        limits,
        mask: &mask,
    };
    check_members(&context, Holder::Zip, archive, &members, &unpack, &marked)
}

/// A saved e-mail (`.eml`, or an Outlook `.msg`): a report for the e-mail
/// itself, then one per attachment, named `mail.eml/BE.xlsx`, each read as
/// if it were in responses/. Restriction wording in the e-mail's subject or
/// text (or its file name) holds for every response attached: a Yes, or a
/// blank flag, is then an error, as wording in the file itself makes it.
/// Pictures (a signature's logo) are passed over with one note; an e-mail
/// with no response attached is an error.
pub fn check_mail_bytes(
    query: &Query,
    countries: &Countries,
    mut mail: FileReport,
    bytes: &[u8],
    modified: Option<std::time::SystemTime>,
    limits: &Limits,
) -> Vec<FileReport> {
    mail.sha256 = Some(sha256_hex(bytes));
    let read = match crate::mail::read(bytes) {
        Ok(m) => m,
        Err(e) => return fail(mail, e.to_string()),
    };
    if read.attachments.len() > MAX_MEMBERS {
        return fail(
            mail,
            format!(
                "this e-mail has more than {MAX_MEMBERS} attachments: it is not a set of \
                 responses; save the responses into responses/"
            ),
        );
    }
    let mask = query_mask(query);
    let marked: Vec<Restricted> = [
        marking(
            &read.subject,
            "the subject of the e-mail it came in".into(),
            &mask,
        ),
        marking_in(
            &read.text,
            "the text of the e-mail it came in".into(),
            &mask,
            Place::Answer,
        ),
        marking(
            &stem(&mail.file),
            "the name of the e-mail it came in".into(),
            &mask,
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    for m in &marked {
        mail.findings.push(Finding::info(
            format!(
                "{} says \"{}\" (\"{}\"): every response attached must say No to wider \
                 dissemination, and one that says Yes, or nothing, is an error; if they may \
                 be disseminated, save the attachments into responses/ in place of the e-mail",
                m.place.replace(" it came in", ""),
                m.quote,
                m.wording
            ),
            None,
        ));
    }
    let members: Vec<Member> = read
        .attachments
        .iter()
        .enumerate()
        .map(|(i, a)| Member {
            name: &a.name,
            number: i + 1,
            picture: a.picture,
        })
        .collect();
    let unpack = |i: usize| Ok(read.attachments[i].bytes.clone());
    let context = Context {
        query,
        countries,
        modified,
        mail_date: read.date.clone(),
        limits,
        mask: &mask,
    };
    check_members(&context, Holder::Mail, mail, &members, &unpack, &marked)
}

/// A container's report with an error: what stops the compilation (or is
/// left out by --skip-invalid), never passed over as "not a response": a
/// container that cannot be read may hold responses.
fn fail(mut container: FileReport, message: String) -> Vec<FileReport> {
    container.findings.push(Finding::error(message, None));
    vec![container]
}

/// What every member of a container is read with.
struct Context<'a> {
    query: &'a Query,
    countries: &'a Countries,
    modified: Option<std::time::SystemTime>,
    /// The day of the e-mail the members came attached to.
    mail_date: Option<String>,
    limits: &'a Limits,
    mask: &'a Mask,
}

/// The members of a container, each read as if it were in responses/ and
/// named `container/member`; `unpack` gives the bytes of the i-th;
/// `marked`, restriction wording that holds for them all.
fn check_members(
    cx: &Context,
    holder: Holder,
    mut container: FileReport,
    members: &[Member],
    unpack: &dyn Fn(usize) -> std::result::Result<Vec<u8>, String>,
    marked: &[Restricted],
) -> Vec<FileReport> {
    let name = container.file.clone();
    let path = container.path.clone();
    let noun = holder.noun();
    let mut named: HashMap<&str, usize> = HashMap::new();
    for m in members {
        *named.entry(m.name).or_default() += 1;
    }
    let mut out = Vec::new();
    let (mut read, mut unreadable) = (0usize, 0usize);
    let (mut junk, mut junk_kinds) = (0usize, Vec::new());
    let mut pictures = Vec::new();
    for (i, member) in members.iter().enumerate() {
        let inner = member.name;
        if let Some(kind) = os_junk(inner) {
            junk += 1;
            if !junk_kinds.contains(&kind) {
                junk_kinds.push(kind);
            }
            continue;
        }
        if member.picture {
            pictures.push(inner);
            continue;
        }
        let (copies, n) = (named[inner], member.number);
        // Two members of one name are two files: each named apart, each read.
        let shown = if copies > 1 {
            match holder {
                Holder::Zip => format!("{name}/{inner} (entry {n} of the archive)"),
                Holder::Mail => format!("{name}/{inner} (attachment {n} of the e-mail)"),
            }
        } else {
            format!("{name}/{inner}")
        };
        let mut report = FileReport::new(shown, path.clone());
        if copies > 1 {
            let keep = match holder {
                Holder::Zip => "unzipping it would keep only the last",
                Holder::Mail => "saving them into one folder would keep only the last",
            };
            report.findings.push(Finding::warning(
                format!(
                    "the {noun} holds {copies} files named \"{inner}\": each is read as a \
                     file of its own ({keep}): ask the sender which is the response"
                ),
                None,
            ));
        }
        // Told by its own name: a folder's name is no extension.
        let own = inner.rsplit(['/', '\\']).next().unwrap_or(inner);
        let (format, mut report) =
            report.format_in(reading::classify(Path::new(own)), Some(holder));
        let Some(format) = format else {
            out.push(report);
            continue;
        };
        let member_bytes = match unpack(i) {
            Ok(b) => b,
            Err(e) => {
                unreadable += 1;
                report.format = Some(format);
                report.findings.push(Finding::error(e, None));
                out.push(report);
                continue;
            }
        };
        read += 1;
        report.marked = marked.to_vec();
        report.mail_date = cx.mail_date.clone();
        // A folder's name inside the archive marks what is in it, as the
        // file's own name does ("CONFIDENTIAL/BE.xlsx").
        let folders: Vec<&str> = match holder {
            Holder::Zip => inner.split(['/', '\\']).filter(|p| !p.is_empty()).collect(),
            Holder::Mail => Vec::new(),
        };
        for folder in folders.iter().take(folders.len().saturating_sub(1)) {
            report.marked.extend(marking(
                folder,
                format!("the name of the folder \"{folder}\" it is in inside the archive"),
                cx.mask,
            ));
        }
        out.push(check_bytes(
            cx.query,
            cx.countries,
            report,
            &member_bytes,
            cx.modified,
            format,
            cx.limits,
        ));
    }
    if junk > 0 {
        container.findings.push(Finding::info(
            format!(
                "passed over {junk} file{} a Mac or Windows adds to an {noun} ({}): not \
                 responses",
                if junk == 1 { "" } else { "s" },
                junk_kinds.join(", ")
            ),
            None,
        ));
    }
    if !pictures.is_empty() {
        const NAMED: usize = 5;
        let mut names: Vec<String> = pictures.iter().take(NAMED).map(|p| p.to_string()).collect();
        if pictures.len() > NAMED {
            names.push(format!("and {} more", pictures.len() - NAMED));
        }
        container.findings.push(Finding::info(
            format!(
                "passed over {} picture{} in the {noun} ({}): not responses",
                pictures.len(),
                if pictures.len() == 1 { "" } else { "s" },
                names.join(", ")
            ),
            None,
        ));
    }
    if read == 0 {
        let why = match holder {
            _ if unreadable > 0 => format!(
                "no file of this {noun} could be unpacked ({unreadable} could not; each is named \
                 below with why): ask the sender for the files themselves"
            ),
            Holder::Zip => "this archive holds no response file (.xlsx, .xlsb, .xls, .ods, .csv, \
                            .txt or .docx): ask the sender for the responses themselves"
                .to_string(),
            Holder::Mail => "this e-mail has no response attached (.xlsx, .xlsb, .xls, .ods, \
                             .csv, .txt or .docx): ask the sender for the response as an \
                             attachment, or save the one you received into responses/"
                .to_string(),
        };
        let mut all = fail(container, why);
        all.extend(out);
        return all;
    }
    let reason = match holder {
        Holder::Zip => {
            format!(
                "a zip archive: its {} read one by one, as {name}/…",
                files_are(read, "response file")
            )
        }
        Holder::Mail => format!(
            "a saved e-mail: its {} read one by one, as {name}/…",
            files_are(read, "attached response file")
        ),
    };
    container.findings.push(Finding::info(reason.clone(), None));
    container.skipped = Some(reason);
    let mut all = vec![container];
    all.extend(out);
    all
}

/// One file's bytes, checked as `ahq validate` checks a file of that name
/// (a zip's members, or an e-mail's attachments, one by one): what the web
/// page calls, with no file system. Call [`finish`] once over all the
/// reports of a run.
pub fn check_named_bytes(
    query: &Query,
    name: &str,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Vec<FileReport>> {
    let countries = Countries::builtin()?;
    let report = FileReport::new(name.to_string(), PathBuf::from(name));
    let kind = match os_junk(name) {
        Some(junk) => Kind::Skip(format!(
            "a file a Mac or Windows adds to folders ({junk}), not a response: skipped"
        )),
        None => reading::classify(Path::new(name)),
    };
    let reports = match kind {
        Kind::Archive => check_archive_bytes(query, countries, report, bytes, None, limits),
        Kind::Mail => check_mail_bytes(query, countries, report, bytes, None, limits),
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

/// What every run does once its files are checked: several replies for
/// one country settled as versions ([`crate::versions`]), and findings
/// capped per file and per response.
pub fn finish(reports: &mut [FileReport], query: &Query) {
    // The day each file was received, as decided: said where it acts.
    for r in reports.iter_mut() {
        if let Some(d) = query
            .decisions
            .file(&r.file)
            .and_then(|d| d.received.as_ref())
        {
            r.findings.push(Finding::info(
                format!(
                    "received on {}, as decided in {}",
                    crate::dates::iso(d.value),
                    d.cite()
                ),
                None,
            ));
        }
    }
    crate::versions::settle(reports, query);
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

/// "1 response file is", "3 response files are".
fn files_are(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun} is")
    } else {
        format!("{n} {noun}s are")
    }
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
        Some(elsewhere) if !reading::safe_in_process(format, bytes.len()) => {
            elsewhere.0.read(bytes, format, limits)
        }
        _ => reading::read_bytes(bytes, format, limits),
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
    report.saved = wb.modified.clone();
    report.findings.extend(wb.notes.iter().cloned());
    check_template_meta(&wb, query, name, &mut report.findings);
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
    report.read_from = report
        .sheet
        .as_ref()
        .and_then(|name| wb.sheets.iter().find(|s| &s.name == name))
        .map(|s| s.what());
    report.layout = located.responses.first().map(|r| r.layout);
    let mut restricted = crate::restriction::scan(&wb, &located, query, name);
    // What the file came in says holds for it too (an e-mail's subject).
    restricted.extend(report.marked.iter().cloned());
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
fn check_template_meta(
    wb: &reading::Workbook,
    query: &Query,
    file: &str,
    findings: &mut Vec<Finding>,
) {
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
                 belong to other questions; fill in the template of {ours} (the coordinator sends it), \
                 or send this file to the query it answers"
            ),
            None,
        ));
    } else if let Some(fp) = meta.get("fingerprint")
        && *fp != query.fingerprint()
    {
        // What changed, from the questions the template carries.
        let changed = crate::query::embedded(meta)
            .and_then(|q| q.ok())
            .map(|older| question_changes(&older, query))
            .filter(|c| !c.is_empty())
            .map_or_else(
                || "its questions differ from the current ones".to_string(),
                |c| c.join("; "),
            );
        let accepted = query
            .decisions
            .file(file)
            .and_then(|d| d.questions.as_ref())
            .filter(|d| d.value == fp.to_ascii_lowercase());
        match accepted {
            Some(d) => findings.push(Finding::warning(
                format!(
                    "made from another version of the questions ({fp}), accepted for this file \
                     in {}: its answers are read under the current questions ({changed})",
                    d.cite()
                ),
                None,
            )),
            None => findings.push(Finding::error(
                format!(
                    "this file was made from the template of another version of the questions \
                     ({fp}), not the current one of {ours}: {changed}; its answers may stand \
                     under the wrong questions: check each, then either copy them into a fresh \
                     template (the coordinator's current one), or accept this version for this file by adding \
                     this line to {} in the query folder: {}",
                    crate::decisions::FILE_NAME,
                    crate::decisions::file_line(file, "questions", &crate::decisions::quoted(fp))
                ),
                None,
            )),
        }
    }
}

/// How the questions of `older` differ from `current`'s, question by
/// question: reworded (old and new), added, removed, of another type.
fn question_changes(older: &Query, current: &Query) -> Vec<String> {
    let mut out = Vec::new();
    for q in &current.questions {
        match older.question(&q.id) {
            None => out.push(format!("question {} (\"{}\") is new", q.id, q.text)),
            Some(o) if crate::text::key(&o.text) != crate::text::key(&q.text) => out.push(format!(
                "question {} was reworded: the template says \"{}\", the query now says \"{}\"",
                q.id, o.text, q.text
            )),
            Some(o) if o.kind != q.kind => out.push(format!(
                "question {} is now a {} question (the template's was {})",
                q.id,
                q.kind.as_str(),
                o.kind.as_str()
            )),
            Some(_) => {}
        }
    }
    for o in &older.questions {
        if current.question(&o.id).is_none() {
            out.push(format!("question {} (\"{}\") was removed", o.id, o.text));
        }
    }
    out
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
    fn what_a_mac_or_windows_adds_is_told_anywhere_in_a_path() {
        assert_eq!(os_junk("__MACOSX/reply/._BE.xlsx"), Some("__MACOSX/"));
        assert_eq!(os_junk("__MACOSX/"), Some("__MACOSX/"));
        assert_eq!(os_junk("reply/._BE.xlsx"), Some("._ files"));
        assert_eq!(os_junk("reply\\.DS_Store"), Some(".DS_Store"));
        assert_eq!(os_junk("THUMBS.DB"), Some("Thumbs.db"));
        assert_eq!(os_junk("a/Desktop.ini"), Some("desktop.ini"));
        assert_eq!(os_junk("reply/BE.xlsx"), None);
        assert_eq!(os_junk("MACOSX notes/BE.xlsx"), None);
    }

    #[test]
    fn file_names_name_countries_by_name_or_capital_codes() {
        let c = Countries::builtin().unwrap();
        let n = |s: &str| c.in_file_name(Path::new(s));
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
