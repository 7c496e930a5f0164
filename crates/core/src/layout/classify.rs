//! Classifying a cell's text once: a label (country, flag, contact, date,
//! a general response, a question by id or text), a heading, or nothing.

use crate::query::Query;
use crate::text::{compact_key, key};
use crate::vocabulary::labels;
use regex::Regex;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Label {
    Country,
    Flag,
    Contact,
    Date,
    Whole,
    Question(usize),
    /// Column or row headings that carry no value ("Question", "Your answer").
    Heading,
}

pub(super) fn id_and_text() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?is)^\s*(?:q(?:uestion)?\s*)?(\d+[a-z]?)\s*[.):]\s*(\S.*)$")
            .expect("valid regex")
    })
}

fn id_only() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(?:q|question|question no|question nr|question number)?\s*([0-9a-z]+)$")
            .expect("valid regex")
    })
}

/// The question a label names, by id ("1", "1.", "Q1", "Question 1"), by id
/// and text ("1. Do you ..."), or by text alone (ignoring case, punctuation, spacing).
pub(super) fn question_label(text: &str, query: &Query) -> Option<usize> {
    let k = key(text);
    // The id as the query writes it ("Q1" for a question whose id is "Q1").
    if let Some(i) = query.question_keys.iter().position(|(id, _)| *id == k) {
        return Some(i);
    }
    if let Some(c) = id_only().captures(&k) {
        let id = &c[1];
        if let Some(i) = query.question_keys.iter().position(|(k, _)| k == id) {
            return Some(i);
        }
    }
    if let Some(c) = id_and_text().captures(text) {
        let id = c[1].to_lowercase();
        if let Some(i) = query
            .questions
            .iter()
            .position(|q| q.id.to_lowercase() == id)
        {
            return Some(i);
        }
    }
    question_text(text, query)
}

/// Whether `text` is longer than any label can be: a known phrase or a
/// question's text, give or take spacing, punctuation and an id. Answers run
/// to thousands of characters and are not folded and compared for nothing.
fn too_long_for_a_label(text: &str, query: &Query) -> bool {
    // Counted without folding: letters and digits are what the folded keys
    // keep (an id prefix such as "Question 12" adds a few).
    let longest = query.longest_key_chars.max(40);
    text.len() > 4 * longest + 100
        || text.chars().filter(|c| c.is_alphanumeric()).count() > longest + 16
}

pub(super) fn question_text(text: &str, query: &Query) -> Option<usize> {
    if too_long_for_a_label(text, query) {
        return None;
    }
    let ck = compact_key(text);
    if ck.is_empty() {
        return None;
    }
    query.question_keys.iter().position(|(_, qk)| {
        // A heading may be cut short by its writer; a long enough start is
        // the question. Anything short before the whole text ("a) …",
        // "Question 1 – …") is a numbering in some style (the length bound
        // above keeps it short); nothing may follow it, or an answer
        // quoting the question would be taken for its label.
        *qk == ck
            || (ck.len() >= 24 && qk.starts_with(&ck))
            || (qk.len() >= 24 && ck.ends_with(qk.as_str()))
    })
}

pub(super) fn classify(text: &str, query: &Query) -> Option<Label> {
    // A label is a known phrase or a question's text (give or take spacing,
    // punctuation and an id): a cell far longer is an answer, and is not
    // folded and compared (answers run to thousands of characters).
    if too_long_for_a_label(text, query) {
        return None;
    }
    let k = key(text);
    if k.is_empty() {
        return None;
    }
    if labels().country.contains(&k) {
        return Some(Label::Country);
    }
    // A question's own label first: "3. Has your Member State evaluated the
    // dissemination campaign?" names a question, not the flag.
    if let Some(qi) = question_label(text, query) {
        return Some(Label::Question(qi));
    }
    // A label, not a sentence: instructions that mention dissemination are not the flag.
    // A restriction note ("do not disseminate further") is a note, not the
    // flag's label: it is quoted as such (`restriction`), never defaulted.
    // Up to six words; up to ten when the cell ends as a label does, with
    // a question mark or a colon ("Can this reply be used for wider
    // dissemination?"), which a sentence of instructions does not.
    let longest = if text.trim_end().ends_with(['?', ':', '：']) {
        10
    } else {
        6
    };
    if k.split(' ').any(|w| labels().flag_words.contains(w))
        && k.split(' ').count() <= longest
        && crate::vocabulary::restrictions()
            .find(text, crate::vocabulary::Place::Answer)
            .is_none()
    {
        return Some(Label::Flag);
    }
    if labels().heading.contains(&k) {
        return Some(Label::Heading);
    }
    if labels().whole.contains(&k) {
        return Some(Label::Whole);
    }
    if labels().contact.contains(&k) || k.starts_with("contact ") {
        return Some(Label::Contact);
    }
    if labels().date.contains(&k) {
        return Some(Label::Date);
    }
    None
}

/// Whether a heading lists the questions, one per line ("1. Do you …\n2.
/// If yes …"), as the network's compilation table heads its answer column:
/// two questions or more, each once, and at most one other line.
pub(super) fn lists_questions(text: &str, query: &Query) -> bool {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let mut found: Vec<usize> = lines
        .iter()
        .filter_map(|l| question_label(l, query))
        .collect();
    let n = found.len();
    found.sort_unstable();
    found.dedup();
    n >= 2 && found.len() == n && lines.len() <= n + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_question_about_dissemination_is_a_question_not_the_flag() {
        let q = Query::parse(
            std::path::Path::new("q"),
            std::path::Path::new("q/query.toml"),
            r#"
title = "T"
requested_by = "AT"
requested_on = 2010-07-26
[[questions]]
id = "1"
text = "Has your Member State evaluated the dissemination campaign?"
"#,
        )
        .expect("the query parses");
        let label = "1. Has your Member State evaluated the dissemination campaign?";
        assert_eq!(classify(label, &q), Some(Label::Question(0)));
        assert_eq!(classify("Wider dissemination?", &q), Some(Label::Flag));
    }
}
