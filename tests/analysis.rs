//! Who works with whom, on what (part 14): the partner countries and themes
//! the sample's answers name, measured against a truth made by hand
//! (`tests/fixtures/analysis/sample-truth.toml`), and where they appear.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn compile_sample() -> (tempfile::TempDir, PathBuf) {
    let dir = support::copy_sample();
    let out = dir.path().join("out");
    let r = support::run(&[
        "compile".into(),
        dir.path().to_string_lossy().into_owned(),
        "-o".into(),
        out.to_string_lossy().into_owned(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    (dir, out)
}

/// (country, kind) -> ids, from a partners or themes CSV.
fn found(path: &Path) -> BTreeMap<(String, String), BTreeSet<String>> {
    let mut out: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    let mut rd = csv::Reader::from_path(path).unwrap();
    let headers = rd.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "country_code",
            "country",
            "kind",
            "id",
            "name",
            "question_id",
            "words"
        ]
    );
    for row in rd.records() {
        let row = row.unwrap();
        out.entry((row[0].to_string(), row[2].to_string()))
            .or_default()
            .insert(row[3].to_string());
    }
    out
}

/// Precision and recall of `got` against the truth's `field` for `kind`.
fn measure(
    truth: &toml::Table,
    got: &BTreeMap<(String, String), BTreeSet<String>>,
    kind: &str,
    field: &str,
) -> (f64, f64, Vec<String>) {
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    let mut misses = Vec::new();
    for (country, t) in truth {
        let want: BTreeSet<String> = t[field]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        let empty = BTreeSet::new();
        let have = got.get(&(country.clone(), kind.into())).unwrap_or(&empty);
        tp += have.intersection(&want).count();
        for extra in have.difference(&want) {
            fp += 1;
            misses.push(format!("{country}: {extra} found, not in the truth"));
        }
        for missing in want.difference(have) {
            fn_ += 1;
            misses.push(format!("{country}: {missing} missed"));
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    (precision, recall, misses)
}

#[test]
fn partners_and_themes_of_the_sample_match_the_hand_made_truth() {
    let truth: toml::Table = toml::from_str(
        &std::fs::read_to_string(support::repo("tests/fixtures/analysis/sample-truth.toml"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(truth.len(), 18, "the truth covers every response");
    let (_dir, out) = compile_sample();
    let partners = found(&out.join("partners-full.csv"));
    let themes = found(&out.join("themes-full.csv"));
    // The level reached (README, "Partners and themes"): partners 100%
    // precision and 96% recall, members 100% and 100%, themes 98% and 98%.
    let (p, r, misses) = measure(&truth, &partners, "partner", "partners");
    assert!(
        p >= 0.98 && r >= 0.95,
        "partners {p:.3} {r:.3}: {misses:#?}"
    );
    let (p, r, misses) = measure(&truth, &partners, "member", "members");
    assert!(p >= 0.98 && r >= 0.98, "members {p:.3} {r:.3}: {misses:#?}");
    let (p, r, misses) = measure(&truth, &themes, "theme", "themes");
    assert!(p >= 0.95 && r >= 0.95, "themes {p:.3} {r:.3}: {misses:#?}");
}

#[test]
fn the_analysis_is_in_every_output_and_the_log_shows_its_words() {
    let (_dir, out) = compile_sample();
    for word in ["full", "wider"] {
        let book = out.join(format!("compilation-{word}.xlsx"));
        let partners = support::sheet(&book, "Partners");
        // The most named partner first: Georgia, by seven countries.
        let header = partners.iter().find(|r| r[0] == "Country").unwrap();
        assert_eq!(header[1], "Georgia", "{header:?}");
        let total = partners
            .iter()
            .find(|r| r[0] == "Countries naming it")
            .unwrap();
        assert_eq!(total[1], "7");
        let belgium = partners.iter().find(|r| r[0] == "Belgium").unwrap();
        assert_eq!(belgium[1], "2, 3", "the questions that name it");
        let themes = support::sheet(&book, "Themes");
        assert!(themes.iter().any(|r| r.iter().any(|c| c == "Readmission")));
        // The chart and the heat map are in the workbook.
        let zip = zip::ZipArchive::new(std::fs::File::open(&book).unwrap()).unwrap();
        let charts = zip
            .file_names()
            .filter(|n| n.as_ref().is_ok_and(|n| n.starts_with("xl/charts/chart")))
            .count();
        assert_eq!(charts, 2, "a bar chart on Partners and on Themes");
        let md = std::fs::read_to_string(out.join(format!("compilation-{word}.md"))).unwrap();
        let glance = md.find("## At a glance").expect("At a glance");
        assert!(
            glance < md.find("## 2. Responses").unwrap(),
            "after the cover"
        );
        assert!(md.contains(
            "- Georgia (7): Belgium, Germany, Latvia, Lithuania, Netherlands, Poland, United Kingdom"
        ));
    }
    // A restricted response names nothing in the wider analysis: Austria
    // and the Czech Republic are no row of the wider Partners sheet.
    let wider = support::sheet(&out.join("compilation-wider.xlsx"), "Partners");
    let grid: Vec<&str> = wider
        .iter()
        .map(|r| r[0].as_str())
        .skip_while(|c| *c != "Country")
        .skip(1)
        .take_while(|c| *c != "Countries naming it")
        .collect();
    assert_eq!(grid.len(), 16, "{grid:?}");
    assert!(!grid.contains(&"Austria") && !grid.contains(&"Czech Republic"));
    let full = support::sheet(&out.join("compilation-full.xlsx"), "Partners");
    assert!(
        full.iter().any(|r| r[0] == "Austria"),
        "the members' sheet lists every response"
    );
    // Each mention, with its words, in the members' Log.
    let log = support::sheet(&out.join("compilation-full.xlsx"), "Log");
    assert!(
        log.iter().any(|r| r[1] == "Luxembourg"
            && r[2] == "mention"
            && r[4].contains("partner Cape Verde")
            && r[4].contains("\"Cape Verdean\"")),
        "{log:#?}"
    );
    // In records.json, each compiled record's mentions.
    let records: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("records.json")).unwrap()).unwrap();
    let lu = records
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["country"]["code"] == "LU")
        .unwrap();
    assert!(
        lu["mentions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["kind"] == "partner" && m["id"] == "CV" && m["question"] == "3"),
        "{lu:#}"
    );
}
