//! What changed between two compilations of one query: countries added,
//! responses corrected, flags changed, responses no longer included, files
//! left out. Said on an updated compilation's cover and in its Changes
//! sheet and section, kept in its manifest, and printed by `ahq diff`.
//!
//! Both sides are read the same way, from records.json (and the manifest
//! beside it), so that what `ahq diff` says of two folders is what the
//! second compilation said of the first. No answer's words are ever part
//! of a change: only which questions changed.

use crate::policy::Audience;
use crate::templates::{fill_values, labels};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// One compilation, as far as comparing needs it.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// YYYY-MM-DD, when known (from the manifest).
    pub compiled_on: Option<String>,
    /// The query's title and reference (from the manifest): two
    /// compilations of different queries are not compared.
    pub query: Option<(String, Option<String>)>,
    /// SHA-256 of its manifest.json, when read from one.
    pub manifest_sha256: Option<String>,
    /// The responses compiled, by EU code.
    pub replies: BTreeMap<String, Reply>,
    /// Files not compiled (errors, not responses), with the reason.
    pub left_out: BTreeMap<String, String>,
    /// The update the compilation itself recorded (its manifest's).
    pub update: Option<Update>,
}

/// One compiled response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub name: String,
    pub file: String,
    pub sha256: String,
    /// "Yes", "No", or "unreadable".
    pub flag: String,
    /// Answer text by question id ("other" for other information).
    pub answers: BTreeMap<String, String>,
}

impl Reply {
    fn restricted(&self) -> bool {
        self.flag != "Yes"
    }
}

/// What kind of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A country's response is in this compilation and was not before.
    Added,
    /// A country's response was replaced, or its answers or flag changed.
    Corrected,
    /// A country's response was compiled before and is not now.
    Removed,
    /// A file is left out now that was not before.
    LeftOut,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub kind: Kind,
    /// The country's EU code and name (none for a file left out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default)]
    pub country: String,
    /// Whether the response is, or was, not for wider dissemination: its
    /// change is then said to the wider audience as little as possible.
    #[serde(default)]
    pub restricted: bool,
    /// The questions whose answers changed (ids; "other" for other information).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<String>,
    /// The flag before and after, when it changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag: Option<[String; 2]>,
    /// The file compiled now, and the one before (members only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earlier_file: Option<String>,
    /// Why a file is left out, or a response no longer included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// An updated compilation: what it changes, and what it updates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Update {
    /// The earlier compilation's date (YYYY-MM-DD), when known.
    pub since: Option<String>,
    /// SHA-256 of the earlier compilation's manifest.json.
    pub previous_manifest_sha256: Option<String>,
    pub changes: Vec<Change>,
}

impl Snapshot {
    /// Reads a compilation from its records.json and, if there, manifest.json.
    pub fn read(records: &[u8], manifest_bytes: Option<&[u8]>) -> Result<Snapshot, String> {
        let manifest = manifest_bytes;
        let records: Value = serde_json::from_slice(records)
            .map_err(|e| format!("records.json is not the JSON ahq writes ({e})"))?;
        let manifest: Option<Value> = match manifest {
            Some(m) => Some(
                serde_json::from_slice(m)
                    .map_err(|e| format!("manifest.json is not the JSON ahq writes ({e})"))?,
            ),
            None => None,
        };
        let mut s = Snapshot::from_records(&records)?;
        if let Some(m) = &manifest {
            s.compiled_on = m["compiled_on"].as_str().map(str::to_string);
            s.query = m["query"]["title"].as_str().map(|t| {
                (
                    t.to_string(),
                    m["query"]["reference"].as_str().map(str::to_string),
                )
            });
            for f in m["files"].as_array().into_iter().flatten() {
                if f["outcome"] == "skipped" {
                    let path = f["path"].as_str().unwrap_or_default();
                    s.left_out.insert(
                        path.strip_prefix("responses/").unwrap_or(path).to_string(),
                        f["reason"].as_str().unwrap_or_default().to_string(),
                    );
                }
            }
            s.update = serde_json::from_value(m["update"].clone()).ok();
        }
        s.manifest_sha256 = manifest_bytes.map(crate::validate::sha256_hex);
        Ok(s)
    }

    /// The responses of records.json's records (a superseded one is not
    /// compiled, and is passed over).
    pub fn from_records(records: &Value) -> Result<Snapshot, String> {
        let list = records
            .as_array()
            .ok_or("records.json does not hold a list of records")?;
        let mut s = Snapshot::default();
        for r in list {
            if !r["superseded"].is_null() {
                continue;
            }
            let (Some(code), Some(name)) =
                (r["country"]["code"].as_str(), r["country"]["name"].as_str())
            else {
                continue;
            };
            let flag = match r["dissemination"]["value"].as_str() {
                Some("yes") => "Yes",
                Some("no") => "No",
                _ => "unreadable",
            };
            let mut answers: BTreeMap<String, String> = BTreeMap::new();
            for a in r["answers"].as_array().into_iter().flatten() {
                if let (Some(id), Some(text)) = (a["question_id"].as_str(), a["text"].as_str()) {
                    answers.insert(id.to_string(), text.to_string());
                }
            }
            let other: Vec<&str> = r["extra"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|e| e["text"].as_str())
                .collect();
            if !other.is_empty() {
                answers.insert("other".into(), other.join("\n"));
            }
            s.replies.insert(
                code.to_string(),
                Reply {
                    name: name.to_string(),
                    file: r["file"].as_str().unwrap_or_default().to_string(),
                    sha256: r["sha256"].as_str().unwrap_or_default().to_string(),
                    flag: flag.to_string(),
                    answers,
                },
            );
        }
        Ok(s)
    }

    /// Whether `other` is a compilation of the same query (by the title and
    /// reference its manifest records); unknown counts as the same.
    pub fn same_query(&self, other: &Snapshot) -> bool {
        match (&self.query, &other.query) {
            (Some((ta, ra)), Some((tb, rb))) => match (ra, rb) {
                (Some(a), Some(b)) => a == b,
                _ => ta == tb,
            },
            _ => true,
        }
    }
}

/// The changes from `old` to `new`, countries in `order`'s order (codes;
/// others after, alphabetically).
pub fn compare(old: &Snapshot, new: &Snapshot, order: &[String]) -> Vec<Change> {
    let mut codes: Vec<&String> = old.replies.keys().chain(new.replies.keys()).collect();
    codes.sort_by_key(|c| (order.iter().position(|o| o == *c).unwrap_or(usize::MAX), *c));
    codes.dedup();
    let mut out = Vec::new();
    for code in codes {
        match (old.replies.get(code), new.replies.get(code)) {
            (None, Some(n)) => out.push(Change {
                kind: Kind::Added,
                code: Some(code.clone()),
                country: n.name.clone(),
                restricted: n.restricted(),
                questions: Vec::new(),
                flag: None,
                file: Some(n.file.clone()),
                earlier_file: None,
                reason: None,
            }),
            (Some(o), None) => out.push(Change {
                kind: Kind::Removed,
                code: Some(code.clone()),
                country: o.name.clone(),
                restricted: o.restricted(),
                questions: Vec::new(),
                flag: None,
                file: None,
                earlier_file: Some(o.file.clone()),
                reason: new
                    .left_out
                    .iter()
                    .find(|(_, why)| why.contains(&o.name))
                    .map(|(f, why)| format!("{f}: {why}")),
            }),
            (Some(o), Some(n)) => {
                let mut ids: Vec<&String> = o.answers.keys().chain(n.answers.keys()).collect();
                ids.sort();
                ids.dedup();
                let questions: Vec<String> = ids
                    .into_iter()
                    .filter(|id| o.answers.get(*id) != n.answers.get(*id))
                    .cloned()
                    .collect();
                let flag = (o.flag != n.flag).then(|| [o.flag.clone(), n.flag.clone()]);
                if questions.is_empty() && flag.is_none() && o.sha256 == n.sha256 {
                    continue;
                }
                if questions.is_empty() && flag.is_none() && o.file == n.file {
                    // The same words from the same file saved again: nothing
                    // a reader would call a change.
                    continue;
                }
                out.push(Change {
                    kind: Kind::Corrected,
                    code: Some(code.clone()),
                    country: n.name.clone(),
                    restricted: o.restricted() || n.restricted(),
                    questions,
                    flag,
                    file: Some(n.file.clone()),
                    earlier_file: (o.file != n.file).then(|| o.file.clone()),
                    reason: None,
                });
            }
            (None, None) => {}
        }
    }
    for (file, why) in &new.left_out {
        if !old.left_out.contains_key(file) {
            out.push(Change {
                kind: Kind::LeftOut,
                code: None,
                country: String::new(),
                restricted: true,
                questions: Vec::new(),
                flag: None,
                file: Some(file.clone()),
                earlier_file: None,
                reason: Some(why.clone()),
            });
        }
    }
    out
}

/// The changes `audience` may read: the wider audience never sees a file
/// left out, nor what changed in a response that is, or was, restricted.
pub fn for_audience(changes: &[Change], audience: Audience) -> Vec<Change> {
    if audience == Audience::Members {
        return changes.to_vec();
    }
    changes
        .iter()
        .filter(|c| c.kind != Kind::LeftOut)
        .filter(|c| !(c.kind == Kind::Corrected && c.restricted))
        .map(|c| Change {
            questions: if c.restricted {
                Vec::new()
            } else {
                c.questions.clone()
            },
            flag: None,
            file: None,
            earlier_file: None,
            reason: None,
            ..c.clone()
        })
        .collect()
}

/// A change in a line, as people read it: "adds the response of Malta",
/// "Belgium's response corrected (changed: 2, 3)"; with `details`, what
/// changed in it.
pub fn describe(c: &Change, details: bool) -> String {
    let l = &labels().changes;
    let name = [("name", c.country.as_str())];
    match c.kind {
        Kind::Added => fill_values(&l.added, &name),
        Kind::Removed => {
            let mut s = fill_values(&l.removed, &name);
            if details && let Some(r) = &c.reason {
                s.push_str(&format!(" ({r})"));
            }
            s
        }
        Kind::LeftOut => fill_values(
            &l.left_out,
            &[
                ("file", c.file.as_deref().unwrap_or_default()),
                ("reason", c.reason.as_deref().unwrap_or_default()),
            ],
        ),
        Kind::Corrected => {
            let mut s = fill_values(&l.corrected, &name);
            if !details {
                return s;
            }
            let mut parts = Vec::new();
            if let Some([a, b]) = &c.flag {
                parts.push(fill_values(&l.flag, &[("from", a), ("to", b)]));
            }
            if !c.questions.is_empty() {
                let ids: Vec<&str> = c
                    .questions
                    .iter()
                    .map(|q| {
                        if q == "other" {
                            l.other.as_str()
                        } else {
                            q.as_str()
                        }
                    })
                    .collect();
                parts.push(fill_values(&l.questions, &[("ids", &ids.join(", "))]));
            }
            if let Some(f) = &c.earlier_file {
                parts.push(fill_values(
                    &l.in_place,
                    &[
                        ("file", c.file.as_deref().unwrap_or_default()),
                        ("earlier", f),
                    ],
                ));
            }
            if !parts.is_empty() {
                s.push_str(&format!(" ({})", parts.join("; ")));
            }
            s
        }
    }
}

/// The cover's summary: "adds the responses of Malta and Cyprus; Belgium's
/// response corrected".
pub fn summary(changes: &[Change]) -> String {
    let l = &labels().changes;
    let added: Vec<&str> = changes
        .iter()
        .filter(|c| c.kind == Kind::Added)
        .map(|c| c.country.as_str())
        .collect();
    let mut parts = Vec::new();
    match added.as_slice() {
        [] => {}
        [one] => parts.push(fill_values(&l.added, &[("name", one)])),
        [rest @ .., last] => parts.push(fill_values(
            &l.added_many,
            &[("names", &rest.join(", ")), ("last", last)],
        )),
    }
    parts.extend(
        changes
            .iter()
            .filter(|c| c.kind == Kind::Corrected || c.kind == Kind::Removed)
            .map(|c| describe(c, false)),
    );
    let left = changes.iter().filter(|c| c.kind == Kind::LeftOut).count();
    if left > 0 {
        parts.push(fill_values(
            if left == 1 {
                &l.more_left_out_one
            } else {
                &l.more_left_out
            },
            &[("count", &left.to_string())],
        ));
    }
    parts.join("; ")
}

/// An updated compilation's record of what changed since `previous` (read
/// from the output folder), or `None`: no earlier compilation, one of
/// another query, or nothing changed since one that was no update itself.
/// When nothing changed, the earlier compilation's own update stands, so
/// that compiling again gives the same files.
pub fn update(
    query: &crate::query::Query,
    intake: &crate::compile::Intake<'_>,
    previous: Option<&Snapshot>,
) -> Option<Update> {
    let previous = previous?;
    // Without its manifest, nothing says the earlier one is of this query.
    previous.query.as_ref()?;
    let records: Vec<&crate::record::Record> = intake.records().collect();
    let mut current = Snapshot::from_records(&serde_json::to_value(records).ok()?).ok()?;
    current.query = Some((query.title.clone(), query.reference.clone()));
    for s in &intake.skipped {
        current.left_out.insert(s.file.clone(), s.reason.clone());
    }
    if !previous.same_query(&current) {
        return None;
    }
    let mut names: Vec<(&String, &String)> = previous
        .replies
        .iter()
        .chain(current.replies.iter())
        .map(|(code, r)| (code, &r.name))
        .collect();
    names.sort_by_cached_key(|(code, name)| crate::policy::order_key(query, code, name));
    let order: Vec<String> = names.into_iter().map(|(c, _)| c.clone()).collect();
    let changes = compare(previous, &current, &order);
    if changes.is_empty() {
        return previous.update.clone();
    }
    Some(Update {
        since: previous.compiled_on.clone(),
        previous_manifest_sha256: previous.manifest_sha256.clone(),
        changes,
    })
}

/// The responses an update would open to the wider audience that the
/// earlier compilation held back (No, or a flag it could not read), whose
/// file's Yes the coordinator has not confirmed: each an error, with the
/// line that confirms it. (The earlier file may be gone from responses/,
/// so the check between versions in one compile cannot see it.)
pub fn opened_unconfirmed(update: &Update, query: &crate::query::Query) -> Vec<(String, String)> {
    update
        .changes
        .iter()
        .filter(|c| c.kind == Kind::Corrected)
        .filter_map(|c| {
            let [before, after] = c.flag.as_ref()?;
            if before == "Yes" || after != "Yes" {
                return None;
            }
            let file = c.file.clone()?;
            let confirmed = query
                .decisions
                .file(&file)
                .and_then(|d| d.flag.as_ref())
                .is_some_and(|d| d.value == crate::record::Dissemination::Yes);
            (!confirmed).then(|| {
                (
                    file.clone(),
                    format!(
                        "{}'s reply was not for wider dissemination in the earlier compilation{} \
                         (its flag: {before}) and this one says Yes: the sender may have \
                         forgotten the No; ask them, and once they confirm Yes add this line to \
                         {} in the query folder: {}",
                        c.country,
                        update
                            .since
                            .as_deref()
                            .map_or(String::new(), |d| format!(" of {d}")),
                        crate::decisions::FILE_NAME,
                        crate::decisions::file_line(&file, "flag", "\"Yes\"")
                    ),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(name: &str, file: &str, flag: &str, answers: &[(&str, &str)]) -> Reply {
        Reply {
            name: name.into(),
            file: file.into(),
            sha256: file.into(),
            flag: flag.into(),
            answers: answers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn a_restricted_response_s_change_says_nothing_of_it_to_the_wider_audience() {
        let mut old = Snapshot::default();
        old.replies.insert(
            "BE".into(),
            reply("Belgium", "BE.xlsx", "No", &[("1", "secret")]),
        );
        old.replies.insert(
            "FR".into(),
            reply("France", "FR.xlsx", "Yes", &[("1", "a")]),
        );
        let mut new = Snapshot::default();
        new.replies.insert(
            "BE".into(),
            reply("Belgium", "BE_v2.xlsx", "Yes", &[("1", "secret 2")]),
        );
        new.replies.insert(
            "FR".into(),
            reply("France", "FR.xlsx", "Yes", &[("1", "b")]),
        );
        new.replies
            .insert("MT".into(), reply("Malta", "MT.xlsx", "No", &[("1", "x")]));
        new.left_out.insert("junk.xlsx".into(), "1 error".into());
        let all = compare(&old, &new, &["BE".into(), "FR".into(), "MT".into()]);
        assert_eq!(all.len(), 4);
        assert_eq!(
            describe(&all[0], true),
            "Belgium's response corrected (wider dissemination changed from No to Yes; questions changed: 1; BE_v2.xlsx in place of BE.xlsx)"
        );
        let wider = for_audience(&all, Audience::Wider);
        let text: Vec<String> = wider.iter().map(|c| describe(c, true)).collect();
        assert_eq!(
            text,
            [
                "France's response corrected (questions changed: 1)",
                "adds the response of Malta"
            ]
        );
        assert_eq!(
            summary(&all),
            "adds the response of Malta; Belgium's response corrected; France's response corrected; 1 more file left out"
        );
    }
}
