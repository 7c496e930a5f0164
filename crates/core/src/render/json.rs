//! The members-only JSON files: `records.json` (the normalised records) and
//! `manifest.json` (what went in, what came out).

use crate::compile::Intake;
use crate::dates::iso;
use crate::error::{Error, Result};
use crate::query::Query;
use crate::validate::FileReport;
use serde_json::{Value, json};
use toml::value::Date;

fn to_bytes(output: &str, v: &Value) -> Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(v).map_err(|e| Error::Render {
        output: output.into(),
        message: e.to_string(),
    })?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Every record of every compiled file, as normalised, and those a later
/// version superseded (each with its `superseded`: what replaced it, and
/// what changed).
/// `analysis` is the members' compilation's: each compiled record gets the
/// partners, members and themes its answers name (`mentions`).
pub fn records(
    reports: &[FileReport],
    intake: &Intake<'_>,
    analysis: &crate::analysis::Analysis,
) -> Result<Vec<u8>> {
    let records: Vec<&crate::record::Record> = intake
        .compiled
        .iter()
        .copied()
        .chain(
            reports
                .iter()
                .filter(|r| intake.superseded.iter().any(|s| s.file == r.file)),
        )
        .flat_map(|r| r.records.iter())
        .collect();
    let fail = |e: serde_json::Error| Error::Render {
        output: "records.json".into(),
        message: e.to_string(),
    };
    let mut list = serde_json::to_value(&records).map_err(fail)?;
    for (value, record) in list.as_array_mut().into_iter().flatten().zip(&records) {
        let named = record
            .country
            .as_ref()
            .filter(|_| record.superseded.is_none())
            .and_then(|c| analysis.countries.iter().find(|n| n.code == c.code));
        if let (Some(named), Some(object)) = (named, value.as_object_mut()) {
            object.insert(
                "mentions".into(),
                serde_json::to_value(&named.mentions).map_err(fail)?,
            );
        }
    }
    let mut bytes = serde_json::to_vec_pretty(&list).map_err(fail)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// The manifest: tool, query, date, and for every input file its path
/// (relative to the query folder), SHA-256, countries and outcome; and every
/// output with its SHA-256.
pub fn manifest(
    query: &Query,
    reports: &[FileReport],
    intake: &Intake<'_>,
    compiled_on: Date,
    update: Option<&crate::changes::Update>,
    outputs: &[(String, String)],
) -> Result<Vec<u8>> {
    let files: Vec<Value> = reports
        .iter()
        .map(|r| {
            let countries: Vec<&str> = r
                .records
                .iter()
                .filter_map(|rec| rec.country.as_ref().map(|c| c.code.as_str()))
                .collect();
            let skipped = intake.skipped.iter().find(|s| s.file == r.file);
            let superseded = intake.superseded.iter().find(|s| s.file == r.file);
            // By its name as shown: a zip's member is "responses/a.zip/BE.xlsx".
            let path = if r.path.starts_with(query.responses_dir()) {
                format!("responses/{}", r.file)
            } else {
                r.path
                    .strip_prefix(&query.dir)
                    .map_or_else(|_| r.path.clone(), |p| p.to_path_buf())
                    .to_string_lossy()
                    .replace('\\', "/")
            };
            json!({
                // As shown: a byte that is not UTF-8 stays written "\xff".
                "path": path,
                "sha256": r.sha256,
                "country": (countries.len() == 1).then(|| countries[0]),
                "countries": countries,
                "outcome": if skipped.is_some() {
                    "skipped"
                } else if superseded.is_some() {
                    "superseded"
                } else {
                    "compiled"
                },
                "reason": skipped.or(superseded).map(|s| s.reason.as_str()),
                "received": r.received(query).map(|(d, by)| json!({ "date": iso(d), "by": by })),
            })
        })
        .collect();
    let v = json!({
        "tool": "ahq",
        "version": env!("CARGO_PKG_VERSION"),
        "query": {
            "title": query.title,
            "reference": query.reference,
            "fingerprint": query.fingerprint(),
        },
        "compiled_on": iso(compiled_on),
        "files": files,
        "decisions": query.decisions.path.as_ref().map(|_| json!({
            "file": crate::decisions::FILE_NAME,
            "sha256": query.decisions.sha256,
            "lines": query.decisions.lines.iter().map(|(line, what)| json!({ "line": line, "decision": what })).collect::<Vec<_>>(),
        })),
        "update": update,
        "outputs": outputs
            .iter()
            .map(|(name, sha)| json!({ "file": name, "sha256": sha }))
            .collect::<Vec<_>>(),
    });
    to_bytes("manifest.json", &v)
}
