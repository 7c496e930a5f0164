//! Question labels numbered in a style the vocabulary does not name:
//! letters ("a)", "(b)", "c."), roman numerals ("I.", "II", "iv)"), or a
//! word in another language before the number ("Frage 1", "Pregunta 2").
//! Such a cell alone could be anything ("Article 3" is an answer), so a
//! style counts only as a run: two or more labels of one sheet in that
//! style, numbered 1, 2, … without a gap and no further than the questions
//! go. Each is then read as the question of its rank.

use crate::query::Query;
use crate::reading::{Sheet, Workbook};
use crate::text::key;
use regex::Regex;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// A cell's numbering: its style and its rank (1-based).
fn numbering(text: &str) -> Option<(String, usize)> {
    static LETTER: OnceLock<Regex> = OnceLock::new();
    static WORD: OnceLock<Regex> = OnceLock::new();
    let letter = LETTER.get_or_init(|| {
        Regex::new(r"^\s*\(?([a-zA-Z]|[ivxIVX]{1,5})\s*[.):]?\s*$").expect("valid regex")
    });
    let word = WORD.get_or_init(|| {
        Regex::new(r"^\s*(\p{L}{2,15})\.?\s*(?:n[or]?\.?\s*)?(\d{1,2})\s*[.):]?\s*$")
            .expect("valid regex")
    });
    if let Some(c) = letter.captures(text) {
        let m = &c[1];
        // "i", "v", "x" alone are letters when the run is of letters, and
        // numerals when it is of numerals: both are offered.
        let lower = m.to_ascii_lowercase();
        if let Some(n) = roman(&lower)
            && (lower.len() > 1 || text.contains(['.', ')']))
        {
            return Some(("roman".into(), n));
        }
        // A lone letter without its mark is a check box's mark ("x"), not a label.
        if m.len() == 1 && (text.contains(['.', ')', ':']) || text.trim_start().starts_with('(')) {
            let rank = (lower.as_bytes()[0] - b'a') as usize + 1;
            return Some(("letter".into(), rank));
        }
        return None;
    }
    let c = word.captures(text)?;
    Some((format!("word {}", key(&c[1])), c[2].parse().ok()?))
}

fn roman(s: &str) -> Option<usize> {
    const NUMERALS: [&str; 12] = [
        "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii",
    ];
    NUMERALS.iter().position(|n| *n == s).map(|i| i + 1)
}

/// The cells of `sheet` that are numbered question labels, with the
/// question each names.
fn runs(sheet: &Sheet, query: &Query) -> Vec<(usize, usize)> {
    let n = query.questions.len();
    let mut styles: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    // The top cell of each column: labels across a row stand there.
    let mut top: std::collections::HashMap<u32, u32> = std::collections::HashMap::new();
    for c in sheet.cells() {
        top.entry(c.col).or_insert(c.row);
    }
    for (i, c) in sheet.cells().iter().enumerate() {
        // A label's place only: the first cell of its row (labels down a
        // column), or the top cell of its column (labels across a row);
        // answers such as "Option 1", "Option 2" stand beside or under them.
        let first_in_row = sheet.row(c.row).first().is_some_and(|f| f.col == c.col);
        let top_of_column = top.get(&c.col) == Some(&c.row);
        if c.merged_from.is_some() || c.text.len() > 40 || !(first_in_row || top_of_column) {
            continue;
        }
        if let Some((style, rank)) = numbering(&c.text) {
            let line = if first_in_row {
                format!("column {}", c.col)
            } else {
                format!("row {}", c.row)
            };
            styles
                .entry(format!("{style} in {line}"))
                .or_default()
                .push((i, rank));
        }
        // A lone "i", "v" or "x" may be a letter in a run of letters too.
        let t = c
            .text
            .trim()
            .trim_end_matches(['.', ')'])
            .trim_start_matches('(');
        if t.len() == 1 && roman(&t.to_ascii_lowercase()).is_some() && c.text.contains(['.', ')']) {
            let rank = (t.to_ascii_lowercase().as_bytes()[0] - b'a') as usize + 1;
            let line = if first_in_row {
                format!("column {}", c.col)
            } else {
                format!("row {}", c.row)
            };
            styles
                .entry(format!("letter in {line}"))
                .or_default()
                .push((i, rank));
        }
    }
    let mut out = Vec::new();
    for (style, cells) in styles {
        let mut ranks: Vec<usize> = cells.iter().map(|&(_, r)| r).collect();
        ranks.sort_unstable();
        ranks.dedup();
        // Each rank once, 1, 2, … with no gap, within the questions.
        let lines_up = ranks.len() >= 2
            && ranks.len() == cells.len()
            && ranks.iter().enumerate().all(|(k, &r)| r == k + 1)
            && ranks.len() <= n;
        // A word the query's own ids already use ("Question 1") is read as such.
        let word = style
            .strip_prefix("word ")
            .and_then(|w| w.split(" in ").next());
        if lines_up && !word.is_some_and(known_prefix) {
            out.extend(cells.into_iter().map(|(i, r)| (i, r - 1)));
        }
    }
    out
}

fn known_prefix(word: &str) -> bool {
    matches!(word, "q" | "question" | "no" | "nr")
}

/// The workbook with numbered labels of a run rewritten as the question's
/// id; `None` when no sheet has such a run.
pub(super) fn read_runs(wb: &Workbook, query: &Query) -> Option<Workbook> {
    let found = wb.sheets.iter().map(|s| runs(s, query)).collect();
    super::rewritten(wb, found, |cells, found| {
        for (i, q) in found {
            cells[i].text = query.questions[q].id.clone();
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reading::Cell;

    fn column(texts: &[&str]) -> Sheet {
        let cells = texts
            .iter()
            .enumerate()
            .map(|(r, t)| Cell::new(r as u32, 0, *t))
            .collect();
        Sheet::new("S", true, cells)
    }

    #[test]
    fn runs_of_letters_numerals_and_foreign_words_name_the_questions() {
        let q = crate::query::test_query();
        for texts in [
            &["a)", "b)"][..],
            &["(a)", "(b)"],
            &["I.", "II."],
            &["Frage 1", "Frage 2"],
            &["Pregunta 1.", "Pregunta 2."],
        ] {
            let got = runs(&column(texts), &q);
            let ranks: Vec<usize> = got.iter().map(|&(_, r)| r).collect();
            assert_eq!(ranks, (0..texts.len()).collect::<Vec<_>>(), "{texts:?}");
        }
    }

    #[test]
    fn a_check_box_mark_is_not_a_letter_that_breaks_the_run() {
        let q = crate::query::test_query();
        let got = runs(&column(&["a)", "x", "b)"]), &q);
        assert_eq!(got, vec![(0, 0), (2, 1)]);
    }

    #[test]
    fn numbered_answers_beside_their_labels_are_not_labels() {
        let q = crate::query::test_query();
        let cells = vec![
            Cell::new(0, 0, "1"),
            Cell::new(0, 1, "Option 1"),
            Cell::new(1, 0, "2"),
            Cell::new(1, 1, "Option 2"),
        ];
        assert!(runs(&Sheet::new("S", true, cells), &q).is_empty());
    }

    #[test]
    fn a_lone_or_gapped_numbering_is_not_a_run() {
        let q = crate::query::test_query();
        for texts in [
            &["Article 3"][..],
            &["a)"],
            &["a)", "c)"],
            &["Annex 2", "Annex 3"],
            // The test query has two questions.
            &["a)", "b)", "c)"],
        ] {
            assert!(runs(&column(texts), &q).is_empty(), "{texts:?}");
        }
    }
}
