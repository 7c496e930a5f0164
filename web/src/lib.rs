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

/// Where the query comes from: a `.toml` given, else the first file that
/// carries one (a blank or filled template from `ahq template`).
fn check_set(files: &[(String, &[u8])]) -> Value {
    let limits = Limits::default();
    let tomls: Vec<&(String, &[u8])> = files
        .iter()
        .filter(|(n, _)| n.to_ascii_lowercase().ends_with(".toml"))
        .collect();
    let responses: Vec<&(String, &[u8])> = files
        .iter()
        .filter(|(n, _)| !n.to_ascii_lowercase().ends_with(".toml"))
        .collect();
    let query = match tomls.as_slice() {
        [] => carried(&responses, &limits),
        [(name, text)] => match std::str::from_utf8(text) {
            Ok(text) => Query::parse(Path::new("."), Path::new(name), text)
                .map(|q| Some((q, name.clone())))
                .map_err(|e| e.to_string()),
            Err(_) => Err(format!(
                "{name}: a query.toml is text (UTF-8); this one is not"
            )),
        },
        _ => Err(format!(
            "{} query files were given ({}): give the one query this response answers",
            tomls.len(),
            tomls
                .iter()
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    };
    let (query, source) = match query {
        Ok(Some(q)) => q,
        Ok(None) => {
            return json!({
                "query": null,
                "files": [],
                "error": "these files do not say which query they answer: add the query's \
                          query.toml, or the blank template from the coordinator, with your file",
            });
        }
        Err(e) => return json!({ "query": null, "files": [], "error": e }),
    };
    let mut reports = Vec::new();
    for (name, bytes) in &responses {
        match ahq_core::validate::check_named_bytes(&query, name, bytes, &limits) {
            Ok(r) => reports.extend(r),
            Err(e) => return json!({ "query": null, "files": [], "error": e.to_string() }),
        }
    }
    // A blank template given for its query is not a response.
    reports.retain(|r| !(r.file == source && r.records.iter().all(|rec| rec.country.is_none())));
    json!({
        "query": {
            "title": query.title,
            "reference": query.reference,
            "network": query.network.name,
            "from": source,
        },
        "files": ahq_core::validate::reports_json(&reports),
        "error": null,
    })
}

/// The query the first template-based file carries, with the file's name.
fn carried(files: &[&(String, &[u8])], limits: &Limits) -> Result<Option<(Query, String)>, String> {
    for (name, bytes) in files {
        let Kind::Response(format) = reading::classify(Path::new(name)) else {
            continue;
        };
        let Ok(wb) = reading::read_bytes(bytes, format, limits) else {
            continue;
        };
        if let Some(meta) = &wb.ahq_meta
            && let Some(q) = ahq_core::query::embedded(meta)
        {
            return q
                .map(|q| Some((q, name.clone())))
                .map_err(|e| format!("{name}: {e}"));
        }
    }
    Ok(None)
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
        assert!(
            out["error"]
                .as_str()
                .unwrap()
                .contains("add the query's query.toml"),
            "{out}"
        );
    }
}
