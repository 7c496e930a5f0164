//! Splitting one cell that answers several questions with numbered markers:
//! "1.Yes 2.There is ... 3. Mobility ...", "1./2. ... 3. ...", "1., 2., 3., 4. ...".
//!
//! A split happens only when the text opens with a marker and the markers
//! name the query's question ids in order, at least two of them. A marker
//! that breaks the order ("1) establishment ..." inside an answer to 4) is
//! part of the text. Only the markers themselves are removed; every word
//! stays, and the caller keeps the unsplit original.

use regex::Regex;
use std::sync::OnceLock;

/// A group of one or more markers: "3.", "1./2.", "1., 2., 3., 4.", "Q2)".
/// "Q" touches its number: in "2. q 3. n/a" the "q" is question 2's answer
/// (found by tests/properties.rs).
fn marker_group() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?:^|\s)((?:[Qq])?\d{1,3}\s?[.)](?:\s*[/,&]\s*(?:[Qq])?\d{1,3}\s?[.)])*)")
            .expect("valid regex")
    })
}

fn single_marker() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\d{1,3}").expect("valid regex"))
}

/// One piece of a split: the questions a marker group named, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub ids: Vec<String>,
    pub text: String,
}

/// Splits `text` by the question ids `ids` (in query order), or `None` when
/// the markers do not follow the ids in order.
pub fn split(text: &str, ids: &[String]) -> Option<Vec<Part>> {
    let body = text.trim_start();
    let offset = text.len() - body.len();
    let mut next = 0usize; // index into ids of the first id a marker may name
    let mut accepted: Vec<(usize, usize, Vec<String>)> = Vec::new(); // (start, end, ids)
    for caps in marker_group().captures_iter(text) {
        let group = caps.get(1).expect("group 1 always takes part");
        // "3.5" is a number and "4.)" a reference, not markers.
        if text[group.end()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == ')')
        {
            continue;
        }
        let mut named = Vec::new();
        let mut pos = next;
        let mut ok = true;
        for m in single_marker().find_iter(group.as_str()) {
            let n = m.as_str().trim_start_matches('0');
            // Markers name the ids one after another; a skipped id means the
            // number is part of the text ("see annex 4.").
            if ids.get(pos).is_some_and(|id| id == n) {
                named.push(ids[pos].clone());
                pos += 1;
            } else {
                ok = false;
                break;
            }
        }
        if !ok {
            continue;
        }
        if accepted.is_empty() && group.start() != offset {
            // The text must open with a marker; otherwise it is prose.
            return None;
        }
        next = pos;
        accepted.push((group.start(), group.end(), named));
    }
    let distinct: usize = accepted.iter().map(|(_, _, ids)| ids.len()).sum();
    if accepted.is_empty() || distinct < 2 {
        return None;
    }
    let mut parts = Vec::new();
    for (i, (_, end, named)) in accepted.iter().enumerate() {
        let stop = accepted.get(i + 1).map_or(text.len(), |(s, _, _)| *s);
        parts.push(Part {
            ids: named.clone(),
            text: crate::text::tidy(&text[*end..stop]),
        });
    }
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> Vec<String> {
        ["1", "2", "3", "4"].map(String::from).to_vec()
    }

    fn parts(text: &str) -> Vec<(Vec<&'static str>, String)> {
        split(text, &ids())
            .unwrap_or_else(|| panic!("no split: {text}"))
            .into_iter()
            .map(|p| {
                let named: Vec<&'static str> = p
                    .ids
                    .iter()
                    .map(|i| match i.as_str() {
                        "1" => "1",
                        "2" => "2",
                        "3" => "3",
                        _ => "4",
                    })
                    .collect();
                (named, p.text)
            })
            .collect()
    }

    #[test]
    fn belgium_style_markers_without_spaces() {
        let p = parts(
            "1.Yes 2.There is a mobility partnership with Georgia 3.\nMobility, legal migration\n4. Too early.",
        );
        assert_eq!(p.len(), 4);
        assert_eq!(p[0], (vec!["1"], "Yes".to_string()));
        assert_eq!(p[1].1, "There is a mobility partnership with Georgia");
        assert_eq!(p[2].1, "Mobility, legal migration");
        assert_eq!(p[3].1, "Too early.");
    }

    #[test]
    fn combined_markers_name_several_questions() {
        let p = parts(
            " 1./2. While Luxembourg does not (9460/08 of 21 May 2008). 3. The objectives 4. The provisions",
        );
        assert_eq!(p[0].0, vec!["1", "2"]);
        assert!(p[0].1.ends_with("21 May 2008)."));
        assert_eq!(p[1], (vec!["3"], "The objectives".to_string()));

        let p =
            parts("1., 2., 3., 4. Latvia is involved.\n1) establishment of dogs;\n2) activities");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].0, vec!["1", "2", "3", "4"]);
        assert!(
            p[0].1.contains("1) establishment of dogs;\n2) activities"),
            "{}",
            p[0].1
        );
    }

    #[test]
    fn no_split_for_prose_or_out_of_order_or_a_single_marker() {
        assert_eq!(split("Yes, Germany is engaged. 2. Moldova", &ids()), None);
        assert_eq!(
            split("2. b 1. a", &ids()).map(|p| p.len()),
            None,
            "2 then 1: only 2 accepted"
        );
        assert_eq!(split("1. Only one marker here", &ids()), None);
        assert_eq!(split("", &ids()), None);
        assert_eq!(split("3.5 percent 4. x", &ids()), None);
    }

    #[test]
    fn numbers_inside_answers_are_not_markers() {
        let p =
            parts("1. Yes, signed on 5 June 2008 and 30 November 2009); 2. Moldova; 3. N/A 4. N/A");
        assert_eq!(p.len(), 4);
        assert_eq!(p[0].1, "Yes, signed on 5 June 2008 and 30 November 2009);");
        assert_eq!(p[3].1, "N/A");
    }

    #[test]
    fn a_reference_that_skips_ids_is_not_a_marker() {
        // Regression: "(see annex 4.)" split question 4 off question 1.
        assert_eq!(
            split("1. Yes, with Georgia (see annex 4.) and Moldova", &ids()),
            None
        );
        assert_eq!(split("1. Yes 3. skipped two", &ids()), None);
    }

    /// Regression (found by tests/properties.rs): "q 3." was taken for a
    /// marker, and question 2's one-word answer "q" was lost from its cell.
    #[test]
    fn a_letter_q_before_a_number_is_a_word_not_a_marker() {
        let p = parts("1. n/a 2. q 3. n/a 4. n/a");
        assert_eq!(p[1].1, "q");
        assert_eq!(parts("Q1. Yes Q2. Georgia")[1].1, "Georgia");
    }

    #[test]
    fn words_are_never_lost() {
        let text = "1.Yes 2.There is 3. c 2) d 4. e";
        let joined: String = split(text, &ids())
            .unwrap()
            .iter()
            .map(|p| p.text.clone())
            .collect::<Vec<_>>()
            .join(" ");
        for w in ["Yes", "There", "is", "c", "2)", "d", "e"] {
            assert!(joined.split(' ').any(|x| x == w), "{w} lost from {joined}");
        }
    }
}
