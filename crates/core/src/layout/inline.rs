//! A label and its value typed in one cell or paragraph: "Country:
//! Slovenia", "Member State: Netherlands", "Wider dissemination: No",
//! "Diffusion élargie : Non", "May this response be disseminated further?:
//! Ne". The cell, where a label stands (first in its row), is read as its
//! label, and the value as a cell beside it that names the cell it came
//! from (`split_from`), so that every arrangement reads it with the same
//! rules as two cells, and says it where it is.

use super::classify::{Label, classify};
use crate::dissemination::{has_boxes, parse_flag};
use crate::query::Query;
use crate::reading::{Cell, Sheet, Workbook};

/// Where a label may end and its value start.
const SEPARATORS: &[&str] = &[":", "：", "?", " – ", " - "];

/// `text` as (label, value) when it is a country or flag label followed by
/// a country or a flag value.
pub(super) fn split<'t>(text: &'t str, query: &Query) -> Option<(&'t str, &'t str)> {
    // Labels are short: an answer that happens to hold a colon is not one.
    if text.len() > 200 || text.contains('\n') {
        return None;
    }
    let countries = crate::country::Countries::builtin().ok()?;
    for sep in SEPARATORS {
        for (at, _) in text.match_indices(sep) {
            // "Disseminated further?: Ne": the mark ending the label stays with it.
            let keep = if sep.trim().len() == sep.len() {
                sep.len()
            } else {
                0
            };
            let head = text[..at + keep].trim();
            let tail = text[at + sep.len()..]
                .trim_start_matches([':', '：', ' '])
                .trim();
            if head.is_empty() || tail.is_empty() {
                continue;
            }
            let fits = match classify(head, query) {
                Some(Label::Country) => countries.find(tail).is_some(),
                Some(Label::Flag) => matches!(parse_flag(tail), Ok(Some(_))) || has_boxes(tail),
                _ => false,
            };
            if fits {
                return Some((head, tail));
            }
        }
    }
    None
}

/// The workbook with each such cell read as a label and a value beside it,
/// where the place beside it is empty; `None` when no cell is one.
pub(super) fn split_labels(wb: &Workbook, query: &Query) -> Option<Workbook> {
    let splits = |s: &Sheet| -> Vec<(usize, String, String)> {
        s.cells()
            .iter()
            .enumerate()
            // A label's place: the first cell of its row, nothing beside it.
            .filter(|(_, c)| {
                c.merged_from.is_none()
                    && s.get(c.row, c.col + 1).is_none()
                    && s.row(c.row).first().is_some_and(|f| f.col == c.col)
            })
            .filter_map(|(i, c)| split(&c.text, query).map(|(h, t)| (i, h.into(), t.into())))
            .collect()
    };
    let found = wb.sheets.iter().map(splits).collect();
    super::rewritten(wb, found, |cells, found| {
        for (i, head, tail) in found {
            let c = &mut cells[i];
            let value = Cell {
                col: c.col + 1,
                text: tail,
                split_from: Some((c.row, c.col)),
                ..c.clone()
            };
            c.text = head;
            cells.push(value);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query() -> Query {
        crate::query::test_query()
    }

    #[test]
    fn labels_and_values_in_one_cell_in_the_networks_languages() {
        let q = query();
        for (text, head, tail) in [
            ("Country: Slovenia", "Country:", "Slovenia"),
            ("Member State: Netherlands", "Member State:", "Netherlands"),
            ("Wider dissemination: No", "Wider dissemination:", "No"),
            ("Diffusion élargie : Non", "Diffusion élargie :", "Non"),
            ("Verbreitung: Nein", "Verbreitung:", "Nein"),
            (
                "May this response be disseminated further?: Ne",
                "May this response be disseminated further?:",
                "Ne",
            ),
            ("Wider dissemination? No", "Wider dissemination?", "No"),
            ("Vidare spridning: Nej", "Vidare spridning:", "Nej"),
            (
                "Can this reply be used for wider dissemination: Ne",
                "Can this reply be used for wider dissemination:",
                "Ne",
            ),
        ] {
            assert_eq!(split(text, &q), Some((head, tail)), "{text}");
        }
    }

    #[test]
    fn sentences_and_answers_with_colons_are_not_split() {
        let q = query();
        for text in [
            "Note: the figures are for 2020",
            "Country: see the attached letter",
            "Wider dissemination: please ask us first",
            "1: Yes, with Moldova",
        ] {
            assert_eq!(split(text, &q), None, "{text}");
        }
    }

    #[test]
    fn a_label_and_value_right_of_other_cells_is_not_split() {
        let q = query();
        let sheet = Sheet::new(
            "S",
            true,
            vec![Cell::new(0, 0, "1"), Cell::new(0, 1, "Country: Slovenia")],
        );
        let wb = Workbook {
            format: crate::reading::Format::Xlsx,
            sheets: vec![sheet],
            notes: Vec::new(),
            modified: None,
            ahq_meta: None,
            asides: Vec::new(),
        };
        assert!(split_labels(&wb, &q).is_none());
    }
}
