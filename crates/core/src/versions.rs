//! Several replies from one country: versions of one reply, ordered by what
//! they say ("BE_reply_v2.xlsx", "… corrected", a later date), the latest
//! compiled and the others superseded, with what changed; or, when nothing
//! tells them apart or the signs disagree, an error that says how to decide
//! in decisions.toml. Received files are never edited.
//!
//! Fail closed across versions: a flag that goes from No (or unreadable) to
//! Yes is an error until the coordinator confirms it, and a superseded
//! version is never compiled, so its text reaches no output but the
//! members' Log and records.json.

use crate::decisions::{FILE_NAME, country_line, quoted};
use crate::policy::is_disseminable;
use crate::query::Query;
use crate::record::{Dissemination, Finding, Flag, Record};
use crate::validate::FileReport;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use toml::value::Date;

/// Why a record is not compiled: a later version of its country's reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Superseded {
    /// The file whose reply counts instead.
    pub by: String,
    /// How the order was known ("the version numbers in their names").
    pub how: String,
    /// The flag of this version and of the one that counts, when they differ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flag_changed: Option<[String; 2]>,
    /// What changed, question by question, from this version to that one.
    pub changed: Vec<Change>,
}

/// One question whose answer differs between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The question's id, or "other" for other information.
    pub question_id: String,
    /// The difference word by word: removed words in `[-…-]`, added in
    /// `{+…+}`, long unchanged stretches shortened to "…".
    pub difference: String,
}

/// One sign of which of two replies is the later.
struct Signal {
    /// How messages name it: "the version numbers in their names".
    name: &'static str,
    /// The order of `a` against `b`, when this sign tells.
    order: fn(&Version, &Version) -> Option<Ordering>,
}

/// One country's reply in one file, with the signs read from it.
struct Version<'a> {
    report: usize,
    record: usize,
    file: &'a str,
    name: NameSigns,
    received: Option<Date>,
    date_cell: Option<Date>,
    saved: Option<String>,
    file_day: Option<String>,
}

/// What a file's name says of its version.
#[derive(Debug, Default, PartialEq, Eq)]
struct NameSigns {
    date: Option<Date>,
    /// "v2", "rev 3", "version 2"; a name with none is the first.
    number: Option<u32>,
    /// "corrected", "final", "updated", "revised", "amended".
    corrected: bool,
}

const SIGNALS: &[Signal] = &[
    Signal {
        name: "the days they were received",
        order: |a, b| cmp_some(&a.received, &b.received),
    },
    Signal {
        name: "the dates in their names",
        order: |a, b| cmp_some(&a.name.date, &b.name.date),
    },
    Signal {
        name: "the version numbers in their names",
        order: |a, b| {
            let (x, y) = (a.name.number.unwrap_or(1), b.name.number.unwrap_or(1));
            (x != y).then(|| x.cmp(&y))
        },
    },
    Signal {
        name: "the words in their names (corrected, final, updated)",
        order: |a, b| {
            (a.name.corrected != b.name.corrected).then(|| a.name.corrected.cmp(&b.name.corrected))
        },
    },
    Signal {
        name: "the dates written in the replies",
        order: |a, b| cmp_some(&a.date_cell, &b.date_cell),
    },
    Signal {
        name: "the times the documents were last saved",
        order: |a, b| cmp_some(&a.saved, &b.saved),
    },
    Signal {
        name: "the days the files were saved here",
        order: |a, b| cmp_some(&a.file_day, &b.file_day),
    },
];

/// The signs that are only the times a file was saved: one saved again
/// (downloaded twice) changes them.
const WEAK: &[&str] = &[
    "the times the documents were last saved",
    "the days the files were saved here",
];

/// Whether the signs that ordered the replies are only weak ones.
fn weak_only(signs: &str) -> bool {
    let rest = SIGNALS
        .iter()
        .filter(|s| !WEAK.contains(&s.name))
        .any(|s| signs.contains(s.name));
    !rest
}

/// The order of two known values that differ; nothing otherwise.
fn cmp_some<T: PartialOrd>(a: &Option<T>, b: &Option<T>) -> Option<Ordering> {
    match (a, b) {
        (Some(a), Some(b)) => a.partial_cmp(b).filter(|o| *o != Ordering::Equal),
        _ => None,
    }
}

/// Reads a file name's signs of version. Only marks that say "version":
/// a bare number ("reply 2", "(1)") is as often a copy's as a version's.
fn name_signs(file: &str) -> NameSigns {
    use std::sync::LazyLock;
    static DATE: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"(?:^|\D)((?:19|20)\d\d)[-_.]?(\d\d)[-_.]?(\d\d)(?:\D|$)|(?:^|\D)(\d\d)[-_.](\d\d)[-_.]((?:19|20)\d\d)(?:\D|$)")
            .expect("valid regex")
    });
    static NUMBER: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"(?i)(?:^|[^a-z])(?:v|ver|version|rev|revision)[ _.-]?(\d{1,3})(?:\D|$)")
            .expect("valid regex")
    });
    static WORD: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"(?i)(?:^|[^a-z])(corrected|correction|final|updated|update|revised|amended)(?:[^a-z]|$)")
            .expect("valid regex")
    });
    let stem = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
    let date = DATE.captures(stem).and_then(|c| {
        let (y, m, d) = match c.get(1) {
            Some(y) => (y.as_str(), &c[2], &c[3]),
            None => (&c[6], &c[5], &c[4]),
        };
        crate::dates::parse_day(&format!("{y}-{m}-{d}"))
    });
    NameSigns {
        date,
        number: NUMBER.captures(stem).and_then(|c| c[1].parse().ok()),
        corrected: WORD.is_match(stem),
    }
}

/// Settles every country answered in more than one file: the latest
/// version compiled and the others marked [`Superseded`], or an error on
/// each naming the others and the line that decides. Also applies each
/// country's confirmed flag. Two responses for one country inside one
/// file (a table) stay an error: they are not versions.
pub fn settle(reports: &mut [FileReport], query: &Query) {
    let mut by_country: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    for (ri, r) in reports.iter().enumerate() {
        for (ki, rec) in r.records.iter().enumerate() {
            if let Some(c) = &rec.country {
                by_country.entry(c.code.clone()).or_default().push((ri, ki));
            }
        }
    }
    decided_flags(reports, query);
    unread_versions(reports, query, &by_country);
    for (code, entries) in &by_country {
        if entries.len() > 1 {
            let one_file = entries
                .iter()
                .any(|(ri, _)| entries.iter().filter(|(o, _)| o == ri).count() > 1);
            if one_file {
                same_file(reports, entries);
            } else {
                versions(reports, query, code, entries);
            }
        }
    }
}

/// A file whose country could not be read, whose name names a country
/// that another file answers for: it may be a later version, so the reply
/// compiled may be out of date. Said on that reply, with the way out.
fn unread_versions(
    reports: &mut [FileReport],
    query: &Query,
    by_country: &BTreeMap<String, Vec<(usize, usize)>>,
) {
    let unread: Vec<(String, String)> = reports
        .iter()
        .filter(|r| r.skipped.is_none() && r.records.iter().all(|rec| rec.country.is_none()))
        .filter_map(|r| crate::compile::named_by_file(&r.file).map(|c| (r.file.clone(), c.code)))
        .collect();
    for (file, code) in unread {
        // The coordinator said which file counts: the unread one is not it.
        let decided = query
            .decisions
            .country(&code)
            .and_then(|d| d.compile.as_ref());
        for &(ri, ki) in by_country.get(&code).into_iter().flatten() {
            let this = reports[ri].file.clone();
            let rec = &mut reports[ri].records[ki];
            match decided {
                Some(d) if d.value == this => rec.findings.push(Finding::info(
                    format!(
                        "{file} is named as this country's too, but could not be read; this \
                         reply counts, as decided in {}",
                        d.cite()
                    ),
                    Some(rec.country_source.clone()),
                )),
                _ => rec.findings.push(Finding::error(
                    format!(
                        "{file} is named as this country's too, but its country could not be \
                         read: if it is a later version of this reply (it may say No), this one \
                         is out of date; fix or replace {file}, or, once you know this reply \
                         counts, add this line to {FILE_NAME} in the query folder: {}",
                        country_line(&code, "compile", &quoted(&this))
                    ),
                    Some(rec.country_source.clone()),
                )),
            }
        }
    }
}

/// Two responses for one country, one of them inside a table with the
/// other: an error on each, naming the others.
fn same_file(reports: &mut [FileReport], entries: &[(usize, usize)]) {
    const NAMED: usize = 5;
    let places: Vec<(String, String)> = entries
        .iter()
        .map(|&(ri, ki)| {
            (
                reports[ri].file.clone(),
                reports[ri].records[ki].country_source.to_string(),
            )
        })
        .collect();
    for (i, &(ri, ki)) in entries.iter().enumerate() {
        let file = reports[ri].file.clone();
        let mut named: Vec<String> = places
            .iter()
            .enumerate()
            .filter(|(o, _)| *o != i)
            .take(NAMED)
            .map(|(_, (f, at))| {
                if *f == file {
                    format!("{at} in this file")
                } else {
                    format!("{f} ({at})")
                }
            })
            .collect();
        let more = (entries.len() - 1).saturating_sub(NAMED);
        if more > 0 {
            named.push(format!("and {more} more"));
        }
        let rec = &mut reports[ri].records[ki];
        let name = rec
            .country
            .as_ref()
            .map_or("", |c| c.name.as_str())
            .to_string();
        rec.findings.push(Finding::error(
            format!(
                "a second response for {name} is in {}: a file holds one response per \
                 country; keep one and remove the other",
                named.join(", ")
            ),
            Some(rec.country_source.clone()),
        ));
    }
}

fn versions(reports: &mut [FileReport], query: &Query, code: &str, entries: &[(usize, usize)]) {
    let list: Vec<Version> = entries
        .iter()
        .map(|&(ri, ki)| {
            let r = &reports[ri];
            let rec = &r.records[ki];
            Version {
                report: ri,
                record: ki,
                file: &r.file,
                name: name_signs(&r.file),
                received: r.received(query).map(|(d, _)| d),
                date_cell: rec.date.as_deref().and_then(crate::dates::parse_day),
                saved: r
                    .saved
                    .clone()
                    .filter(|s| s.get(..10).and_then(crate::dates::parse_day).is_some()),
                file_day: r.modified.clone(),
            }
        })
        .collect();
    let country = reports[entries[0].0].records[entries[0].1]
        .country
        .clone()
        .expect("grouped by country");
    let files: Vec<String> = list.iter().map(|v| v.file.to_string()).collect();
    let decided = query
        .decisions
        .country(code)
        .and_then(|d| d.compile.as_ref());
    // What the files say of their order, read once.
    let by_files = by_signals(&list);
    let latest: Result<(usize, String), String> = match decided {
        Some(d) => match list.iter().position(|v| v.file == d.value) {
            Some(i) => Ok((i, format!("as decided in {}", d.cite()))),
            None => Err(format!(
                "{} says {}'s reply is in {}, which is not one of its files here ({}): write \
                 one of these",
                d.cite(),
                country.name,
                quoted(&d.value),
                files.join(", ")
            )),
        },
        None => by_files.clone().map_err(|why| {
            format!(
                "{} has {} replies ({}) and ahq cannot tell which is the latest: {why}; check \
                 with the sender, then add this line to {FILE_NAME} in the query folder, naming \
                 the file that counts: {}",
                country.name,
                list.len(),
                files.join(", "),
                country_line(code, "compile", "\"NAME OF THE FILE THAT COUNTS\"")
            )
        }),
    };
    // What the files themselves say, against a decision or to warn that
    // only their saved times tell.
    let mut doubts: Vec<String> = Vec::new();
    match (&decided, &by_files) {
        (Some(d), Ok((j, signs))) if list[*j].file != d.value => doubts.push(format!(
            "{} is later than this file by what the files say ({signs}), but {} says this one \
             counts: check that line",
            list[*j].file,
            d.cite()
        )),
        (None, Ok((_, signs))) if weak_only(signs) => doubts.push(format!(
            "only the times the files were saved tell which reply is the latest ({signs}): \
                 a file saved again (downloaded twice) changes them; if this is not the latest, \
                 add to {FILE_NAME} in the query folder: {}",
            country_line(code, "compile", "\"NAME OF THE FILE THAT COUNTS\"")
        )),
        _ => {}
    }
    let (li, how) = match latest {
        Ok(l) => l,
        Err(message) => {
            drop(list);
            for &(ri, ki) in entries {
                let rec = &mut reports[ri].records[ki];
                rec.findings.push(Finding::error(
                    message.clone(),
                    Some(rec.country_source.clone()),
                ));
            }
            return;
        }
    };
    let (lr, lk) = (list[li].report, list[li].record);
    let latest_file = list[li].file.to_string();
    let mut replaced = Vec::new();
    let positions: Vec<(usize, usize, String)> = list
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != li)
        .map(|(_, v)| (v.report, v.record, v.file.to_string()))
        .collect();
    drop(list);
    let mut earlier_not_open: Vec<String> = Vec::new();
    for (ri, ki, file) in positions {
        let (old, new) = (&reports[ri].records[ki], &reports[lr].records[lk]);
        let (changed, flag_changed) = differences(old, new, query);
        if !is_disseminable(old) && is_disseminable(new) {
            earlier_not_open.push(format!("{file} ({})", flag_word(old)));
        }
        let mut summary = Vec::new();
        if let Some([a, b]) = &flag_changed {
            summary.push(format!("the flag changed from {a} to {b}"));
        }
        if changed.is_empty() {
            summary.push("no answer changed".into());
        } else {
            summary.push(format!(
                "changed: {}",
                changed
                    .iter()
                    .map(|c| question_name(&c.question_id))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let summary = summary.join("; ");
        replaced.push((file.clone(), summary.clone(), changed.clone()));
        let rec = &mut reports[ri].records[ki];
        rec.findings.push(Finding::info(
            format!("superseded by {latest_file} ({how}): not compiled; {summary}"),
            Some(rec.country_source.clone()),
        ));
        rec.superseded = Some(Superseded {
            by: latest_file.clone(),
            how: how.clone(),
            flag_changed,
            changed,
        });
    }
    let rec = &mut reports[lr].records[lk];
    for doubt in doubts {
        rec.findings
            .push(Finding::warning(doubt, Some(rec.country_source.clone())));
    }
    for (file, summary, changed) in replaced {
        rec.findings.push(Finding::info(
            format!("replaces the earlier reply in {file} ({how}): {summary}"),
            Some(rec.country_source.clone()),
        ));
        for c in changed {
            rec.findings.push(Finding::info(
                format!(
                    "{} changed since {file}: {}",
                    question_name(&c.question_id),
                    c.difference
                ),
                Some(rec.country_source.clone()),
            ));
        }
    }
    if !earlier_not_open.is_empty() {
        let confirmed = query
            .decisions
            .file(&latest_file)
            .and_then(|d| d.flag.as_ref())
            .filter(|f| f.value == Dissemination::Yes);
        let at = rec.dissemination.as_ref().and_then(|f| f.source.clone());
        match confirmed {
            Some(d) => rec.findings.push(Finding::info(
                format!(
                    "the earlier reply {} was not for wider dissemination and this one says Yes: \
                     confirmed in {}",
                    earlier_not_open.join(", "),
                    d.cite()
                ),
                at,
            )),
            None => rec.findings.push(Finding::error(
                format!(
                    "the earlier reply {} was not for wider dissemination, and this later one \
                     says Yes: the sender may have forgotten the No; ask them, and once they \
                     confirm Yes add this line to {FILE_NAME} in the query folder: {}",
                    earlier_not_open.join(", "),
                    crate::decisions::file_line(&latest_file, "flag", "\"Yes\"")
                ),
                at,
            )),
        }
    }
}

/// The flag as a person reads it: "No", "Yes", or "an unreadable flag".
fn flag_word(rec: &Record) -> &'static str {
    match &rec.dissemination {
        Some(f) => f.value.label(),
        None => "unreadable",
    }
}

fn question_name(id: &str) -> String {
    if id == "other" {
        "other information".into()
    } else {
        format!("question {id}")
    }
}

/// The version every sign puts after all the others, or why there is none.
fn by_signals(list: &[Version]) -> Result<(usize, String), String> {
    let mut used: Vec<&str> = Vec::new();
    for (i, candidate) in list.iter().enumerate() {
        let mut ok = true;
        let mut signs: Vec<&str> = Vec::new();
        for (j, other) in list.iter().enumerate() {
            if i == j {
                continue;
            }
            let said: Vec<(&str, Ordering)> = SIGNALS
                .iter()
                .filter_map(|s| (s.order)(candidate, other).map(|o| (s.name, o)))
                .collect();
            if said.is_empty() || said.iter().any(|(_, o)| *o != Ordering::Greater) {
                ok = false;
                break;
            }
            for (name, _) in said {
                if !signs.contains(&name) {
                    signs.push(name);
                }
            }
        }
        if ok {
            used = signs;
            let list = match used.as_slice() {
                [one] => one.to_string(),
                [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
                [] => String::new(),
            };
            return Ok((i, format!("ordered by {list}")));
        }
    }
    // Say what each sign told, for the person who decides.
    let mut told: Vec<String> = Vec::new();
    for s in SIGNALS {
        let mut pairs = Vec::new();
        for a in list {
            for b in list {
                if (s.order)(a, b) == Some(Ordering::Greater) {
                    pairs.push(format!("{} after {}", a.file, b.file));
                }
            }
        }
        if !pairs.is_empty() {
            told.push(format!("{} put {}", s.name, pairs.join(", ")));
        }
    }
    let _ = used;
    Err(if told.is_empty() {
        "nothing in their names, dates or properties tells them apart".into()
    } else {
        format!(
            "the signs disagree or leave some unordered ({})",
            told.join("; ")
        )
    })
}

/// What changed from `old` to `new`: the questions whose answers differ,
/// word by word, and the flag.
fn differences(old: &Record, new: &Record, query: &Query) -> (Vec<Change>, Option<[String; 2]>) {
    let text = |r: &Record, id: &str| r.answer(id).map_or(String::new(), |a| a.text.clone());
    let mut changed: Vec<Change> = query
        .questions
        .iter()
        .filter_map(|q| {
            let (a, b) = (text(old, &q.id), text(new, &q.id));
            (a != b).then(|| Change {
                question_id: q.id.clone(),
                difference: word_difference(&a, &b),
            })
        })
        .collect();
    let extra = |r: &Record| {
        r.extra
            .iter()
            .map(|e| e.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let (a, b) = (extra(old), extra(new));
    if a != b {
        changed.push(Change {
            question_id: "other".into(),
            difference: word_difference(&a, &b),
        });
    }
    let flag = |r: &Record| r.dissemination.as_ref().map(|f: &Flag| f.value);
    let flag_changed =
        (flag(old) != flag(new)).then(|| [flag_word(old).to_string(), flag_word(new).to_string()]);
    (changed, flag_changed)
}

/// Words of an answer compared word by word, at the most.
const MAX_DIFF_WORDS: usize = 5000;

/// Words kept either side of a change, at the most.
const CONTEXT_WORDS: usize = 4;

/// The difference between two texts word by word: removed words in
/// `[-…-]`, added ones in `{+…+}`, unchanged stretches longer than a few
/// words shortened to "…".
pub fn word_difference(old: &str, new: &str) -> String {
    use similar::{ChangeTag, TextDiff};
    if old.trim().is_empty() {
        return format!("{{+{}+}}", new.trim());
    }
    if new.trim().is_empty() {
        return format!("[-{}-]", old.trim());
    }
    // Myers' difference is quadratic at worst: two long answers rewritten
    // whole are said as such rather than compared word by word.
    if old
        .split_whitespace()
        .count()
        .max(new.split_whitespace().count())
        > MAX_DIFF_WORDS
    {
        return format!(
            "rewritten ({} words, then {})",
            old.split_whitespace().count(),
            new.split_whitespace().count()
        );
    }
    let diff = TextDiff::from_words(old, new);
    // Runs of one tag, in order.
    let mut runs: Vec<(ChangeTag, String)> = Vec::new();
    for c in diff.iter_all_changes() {
        match runs.last_mut() {
            Some((tag, text)) if *tag == c.tag() => text.push_str(c.value()),
            _ => runs.push((c.tag(), c.value().to_string())),
        }
    }
    let last = runs.len().saturating_sub(1);
    let mut out = String::new();
    for (i, (tag, text)) in runs.iter().enumerate() {
        match tag {
            ChangeTag::Delete => out.push_str(&format!("[-{}-]", text.trim())),
            ChangeTag::Insert => out.push_str(&format!("{{+{}+}}", text.trim())),
            ChangeTag::Equal => {
                let words: Vec<&str> = text.split_whitespace().collect();
                let keep_before = if i == 0 { 0 } else { CONTEXT_WORDS };
                let keep_after = if i == last { 0 } else { CONTEXT_WORDS };
                let piece = if words.len() <= keep_before + keep_after {
                    words.join(" ")
                } else {
                    let mut p = Vec::new();
                    if keep_before > 0 {
                        p.push(words[..keep_before].join(" "));
                    }
                    p.push("…".into());
                    if keep_after > 0 {
                        p.push(words[words.len() - keep_after..].join(" "));
                    }
                    p.join(" ")
                };
                out.push(' ');
                out.push_str(&piece);
                out.push(' ');
            }
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A file's flag decided in decisions.toml: No restricts its replies (a
/// restriction is always safe to apply); Yes confirms a change between
/// versions (see [`versions`]), and never overrides a reply's own No.
fn decided_flags(reports: &mut [FileReport], query: &Query) {
    for r in reports.iter_mut() {
        let Some(d) = query.decisions.file(&r.file).and_then(|d| d.flag.as_ref()) else {
            continue;
        };
        for rec in &mut r.records {
            let at = rec.dissemination.as_ref().and_then(|f| f.source.clone());
            match d.value {
                Dissemination::No => {
                    rec.findings.push(Finding::info(
                        format!("not for wider dissemination, as decided in {}", d.cite()),
                        at.clone(),
                    ));
                    rec.dissemination = Some(Flag {
                        value: Dissemination::No,
                        given: true,
                        source: at,
                    });
                }
                Dissemination::Yes if !is_disseminable(rec) => {
                    rec.findings.push(Finding::warning(
                        format!(
                            "{} confirms Yes to wider dissemination, but this reply says {}: \
                             the reply's word counts, so it is not for wider dissemination; \
                             remove the line, or ask the sender for a reply that says Yes",
                            d.cite(),
                            flag_word(rec)
                        ),
                        at,
                    ));
                }
                Dissemination::Yes => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_tell_versions_by_marks_that_say_version() {
        let n = name_signs;
        assert_eq!(n("BE_reply_v2.xlsx").number, Some(2));
        assert_eq!(n("BE reply rev1.xlsx").number, Some(1));
        assert_eq!(n("BE_version_3.docx").number, Some(3));
        assert_eq!(n("BE.xlsx"), NameSigns::default());
        assert_eq!(
            n("BE reply 2.xlsx").number,
            None,
            "a bare number is no version"
        );
        assert!(n("BE corrected.xlsx").corrected);
        assert!(n("BE_FINAL.xlsx").corrected);
        assert!(!n("BE_finalised_by_NCP.xlsx").corrected);
        assert_eq!(
            n("BE_2024-05-02.xlsx").date,
            Some(Date {
                year: 2024,
                month: 5,
                day: 2
            })
        );
        assert_eq!(
            n("BE 02.05.2024.xlsx").date,
            Some(Date {
                year: 2024,
                month: 5,
                day: 2
            })
        );
        assert_eq!(n("AHQ 2010.12 BE.xlsx").date, None);
        assert_eq!(n("replies.zip/BE_v3.xlsx").number, Some(3));
    }

    #[test]
    fn differences_are_said_word_by_word() {
        assert_eq!(
            word_difference(
                "Belgium has two agreements with Morocco and Tunisia since 2008.",
                "Belgium has three agreements with Morocco and Tunisia since 2008."
            ),
            "Belgium has [-two-]{+three+} agreements with Morocco and …"
        );
        assert_eq!(word_difference("", "Yes."), "{+Yes.+}");
        assert_eq!(word_difference("No.", ""), "[-No.-]");
    }
}
