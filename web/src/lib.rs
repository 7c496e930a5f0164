//! The core behind wasm-bindgen: what the page's worker calls. Everything
//! here works on bytes handed over by the page; nothing leaves the machine.
//!
//! One call, [`validate_set`], takes every file the person dropped at once:
//! a `query.toml` (or a template that carries its query) and the responses,
//! and answers with what `ahq validate --format json` says of each.

use ahq_core::query::Query;
use ahq_core::reading::{self, Kind, Limits};
use serde_json::{Value, json};
use std::path::Path;
use wasm_bindgen::prelude::wasm_bindgen;

/// The set of files, as `[[name, length], …]` (JSON) and their bytes one
/// after another. Returns JSON: `{"query": {...}|null, "files": [...],
/// "error": "..."|null}`, `files` as `ahq validate --format json` prints them.
#[wasm_bindgen]
pub fn validate_set(manifest: &str, bytes: &[u8]) -> String {
    let files = match split(manifest, bytes) {
        Ok(f) => f,
        Err(e) => return json!({ "error": e, "files": [] }).to_string(),
    };
    check_set(&files).to_string()
}

/// The ahq version the page was built from.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

fn split<'a>(manifest: &str, bytes: &'a [u8]) -> Result<Vec<(String, &'a [u8])>, String> {
    let list: Vec<(String, usize)> =
        serde_json::from_str(manifest).map_err(|e| format!("the page sent a bad list: {e}"))?;
    let mut at = 0usize;
    let mut out = Vec::new();
    for (name, len) in list {
        let end = at
            .checked_add(len)
            .filter(|&e| e <= bytes.len())
            .ok_or("the page sent fewer bytes than its list says")?;
        out.push((name, &bytes[at..end]));
        at = end;
    }
    Ok(out)
}

/// Which query each file is checked against, as `ahq validate` does: a
/// `.toml` given is the query of every file (`--query`); else each file is
/// checked against the query it carries, and a file that carries none
/// against the one query the others carry. A file that carries a query and
/// holds no answer is the blank template: used for its query, said in a note.
fn check_set(files: &[(String, &[u8])]) -> Value {
    let limits = Limits::default();
    let is_toml = |n: &str| n.to_ascii_lowercase().ends_with(".toml");
    let tomls: Vec<&(String, &[u8])> = files.iter().filter(|(n, _)| is_toml(n)).collect();
    let responses: Vec<&(String, &[u8])> = files.iter().filter(|(n, _)| !is_toml(n)).collect();
    let fail = |e: String| json!({ "query": null, "files": [], "notes": [], "error": e });
    let given = match tomls.as_slice() {
        [] => None,
        [(name, text)] => match std::str::from_utf8(text) {
            Ok(text) => match Query::parse(Path::new("."), Path::new(name), text)
                .and_then(|q| q.check_edited().map(|()| q))
            {
                Ok(q) => Some(q),
                Err(e) => return fail(e.to_string()),
            },
            Err(_) => {
                return fail(format!(
                    "{name}: a query.toml is text (UTF-8); this one is not"
                ));
            }
        },
        _ => {
            return fail(format!(
                "{} query files were given ({}): give the one query your response answers",
                tomls.len(),
                tomls
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    };
    // Each file's own query, when it carries one.
    let mut carried: Vec<Option<Query>> = Vec::new();
    for (name, bytes) in &responses {
        match carried_by(name, bytes, &limits) {
            Ok(q) => carried.push(q),
            Err(e) => return fail(e),
        }
    }
    let distinct: Vec<&Query> = carried.iter().flatten().fold(Vec::new(), |mut v, q| {
        if !v
            .iter()
            .any(|p: &&Query| p.fingerprint() == q.fingerprint() && p.title == q.title)
        {
            v.push(q);
        }
        v
    });
    let mut reports = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut shown: Option<&Query> = given.as_ref();
    for ((name, bytes), own) in responses.iter().zip(&carried) {
        let query = match (&given, own, distinct.as_slice()) {
            (Some(q), _, _) => q,
            (None, Some(q), _) => q,
            (None, None, [q]) => *q,
            (None, None, _) => {
                let mut r = ahq_core::validate::FileReport::new(name.clone(), name.clone());
                r.findings.push(ahq_core::record::Finding::error(
                    "this file does not say which query it answers: add the query's query.toml, \
                     or the blank template from the coordinator, with your file",
                    None,
                ));
                reports.push(r);
                continue;
            }
        };
        shown.get_or_insert(query);
        match ahq_core::validate::check_named_bytes(query, name, bytes, &limits) {
            Ok(mut r) => {
                // The blank template: it carries the query and holds no answer.
                let blank = own.is_some()
                    && r.iter()
                        .all(|f| f.records.iter().all(|rec| rec.answers.is_empty()));
                if blank && responses.len() > 1 {
                    notes.push(format!(
                        "{name} is a blank template: it gave the query, and is not a response"
                    ));
                    r.clear();
                }
                reports.extend(r);
            }
            Err(e) => return fail(e.to_string()),
        }
    }
    // Without a query no response was read: nothing to settle.
    if let Some(query) = shown {
        ahq_core::validate::finish(&mut reports, query);
    }
    json!({
        "query": shown.map(|q| json!({
            "title": q.title,
            "reference": q.reference,
            "network": q.network.name,
        })),
        "files": ahq_core::validate::reports_json(&reports),
        "notes": notes,
        "error": if reports.is_empty() && notes.is_empty() {
            json!("no response file was given: add your response file")
        } else {
            Value::Null
        },
    })
}

/// The query a template-based file carries, if any (an error when it was
/// changed by hand).
fn carried_by(name: &str, bytes: &[u8], limits: &Limits) -> Result<Option<Query>, String> {
    let Kind::Response(format) = reading::classify(Path::new(name)) else {
        return Ok(None);
    };
    let Ok(wb) = reading::read_bytes(bytes, format, limits) else {
        return Ok(None);
    };
    match wb.ahq_meta.as_ref().and_then(ahq_core::query::embedded) {
        None => Ok(None),
        Some(q) => q.map(Some).map_err(|e| format!("{name}: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_is_split_by_its_list_and_a_short_one_refused() {
        let files = split(r#"[["a.toml", 2], ["b.csv", 3]]"#, b"abxyz").unwrap();
        assert_eq!(
            files,
            [
                ("a.toml".to_string(), &b"ab"[..]),
                ("b.csv".to_string(), &b"xyz"[..])
            ]
        );
        assert!(split(r#"[["a", 9]]"#, b"ab").is_err());
    }

    #[test]
    fn a_response_with_its_query_toml_is_checked_as_the_command_line_checks_it() {
        let query = include_str!("../../samples/migration-partnerships/query.toml");
        let csv = b"Country,Belgium\nWider Dissemination?,No\n1,Yes\n";
        let manifest = json!([["query.toml", query.len()], ["BE.csv", csv.len()]]).to_string();
        let mut bytes = query.as_bytes().to_vec();
        bytes.extend_from_slice(csv);
        let out: Value = serde_json::from_str(&validate_set(&manifest, &bytes)).unwrap();
        assert!(out["error"].is_null(), "{out}");
        assert_eq!(out["query"]["title"], "Migration Partnerships");
        assert_eq!(out["files"][0]["file"], "BE.csv");
        assert_eq!(out["files"][0]["country"], "BE");
        assert_eq!(out["files"][0]["dissemination"], "no");
        assert_eq!(out["files"][0]["answers"]["1"], "Yes");
    }

    #[test]
    fn a_file_without_its_query_is_told_what_to_add() {
        let csv = b"Country,Belgium\n1,Yes\n";
        let manifest = json!([["BE.csv", csv.len()]]).to_string();
        let out: Value = serde_json::from_str(&validate_set(&manifest, csv)).unwrap();
        let message = out["files"][0]["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("add the query's query.toml"), "{out}");
    }

    /// As on the command line, a file of an unknown extension is named by
    /// its content.
    #[test]
    fn a_file_of_unknown_extension_is_named_by_its_content() {
        let query = include_str!("../../samples/migration-partnerships/query.toml");
        let xml = br#"<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>"#;
        let manifest = json!([["query.toml", query.len()], ["BE.xml", xml.len()]]).to_string();
        let mut bytes = query.as_bytes().to_vec();
        bytes.extend_from_slice(xml);
        let out: Value = serde_json::from_str(&validate_set(&manifest, &bytes)).unwrap();
        let message = out["files"][0]["errors"][0]["message"].as_str().unwrap();
        assert!(
            message.contains("by its content it is an Excel 2003 XML spreadsheet"),
            "{out}"
        );
    }
}
