//! The dissemination policy: reading the "Wider Dissemination?" flag.
//!
//! A flag cell holds yes or no in the sender's language (the words are
//! data: `templates/flags.toml`), or check boxes ("☐ Yes ☒ No"). "NO" here
//! is always No, never Norway: this module never consults the country table.
//! What it cannot read is an error, never a guess.

use crate::record::Dissemination;
use crate::vocabulary::flag_words;

/// Whether a cell's whole text is a mark (an "X" under an option).
pub fn is_mark(text: &str) -> bool {
    let t = text.trim().to_lowercase();
    t == "(x)" || t == "[x]" || flag_words().marks.contains(&t)
}

/// Whether a token is an empty box ("☐").
fn is_empty_box(t: &str) -> bool {
    flag_words().empty_boxes.iter().any(|b| b == t)
}

/// Whether a character draws a box or a mark, so stands apart from words.
fn is_box_char(c: char) -> bool {
    let words = flag_words();
    let one = |s: &String| s.chars().count() == 1 && s.starts_with(c) && !c.is_alphanumeric();
    words.marks.iter().any(one) || words.empty_boxes.iter().any(one)
}

/// What a cell's whole text means as a flag word, if it is one.
pub fn word(text: &str) -> Option<Dissemination> {
    flag_words().meaning(text)
}

/// The text split into words and boxes: "☐Yes ☒No" is `☐ Yes ☒ No`, "(x) No"
/// keeps "(x)" whole.
fn tokens(text: &str) -> Vec<String> {
    let mut spaced = String::new();
    // Boxes typed with brackets become the box characters.
    let mut t = text.to_string();
    for (typed, drawn) in [
        ("( )", "☐"),
        ("[ ]", "☐"),
        ("()", "☐"),
        ("[]", "☐"),
        ("(x)", "☒"),
        ("(X)", "☒"),
        ("[x]", "☒"),
        ("[X]", "☒"),
    ] {
        t = t.replace(typed, drawn);
    }
    for c in t.chars() {
        if is_box_char(c) {
            spaced.push(' ');
            spaced.push(c);
            spaced.push(' ');
        } else if c == ':' || c == ',' || c == ';' || c == '/' || c == '|' {
            spaced.push(' ');
        } else {
            spaced.push(c);
        }
    }
    spaced.split_whitespace().map(str::to_string).collect()
}

/// Whether a text draws check boxes or marks ("☐ Yes ☒ No", "[x] No").
pub fn has_boxes(text: &str) -> bool {
    tokens(text).iter().any(|t| is_mark(t) || is_empty_box(t))
}

/// A cell of check boxes: "☐ Yes ☒ No", "Yes [ ] No [x]", "X No". `None`
/// when the text has no box or mark at all.
fn boxes(text: &str) -> Option<Result<Dissemination, String>> {
    let toks = tokens(text);
    let is_box = |t: &str| is_mark(t) || is_empty_box(t);
    if !toks.iter().any(|t| is_box(t)) {
        return None;
    }
    // Boxes stand before their options ("☒ No") or after them ("No ☒"):
    // which, the text's first token tells.
    let before = is_box(&toks[0]);
    let mut options: Vec<(Dissemination, bool)> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if is_box(t) {
            continue;
        }
        let value = word(t)?;
        let next = if before {
            i.checked_sub(1).map(|j| toks[j].as_str())
        } else {
            toks.get(i + 1).map(String::as_str)
        };
        options.push((value, next.is_some_and(is_mark)));
    }
    let marked: Vec<Dissemination> = options
        .iter()
        .filter(|(_, m)| *m)
        .map(|(v, _)| *v)
        .collect();
    Some(match marked.as_slice() {
        [one] if options.len() <= 2 => Ok(*one),
        [] => Err(format!(
            "the wider-dissemination check boxes \"{}\" have no option marked: mark Yes or No \
             (or write Yes or No in the cell)",
            text.trim()
        )),
        _ => Err(format!(
            "the wider-dissemination check boxes \"{}\" mark more than one option: keep the \
             mark on Yes or on No",
            text.trim()
        )),
    })
}

/// One option of a set of check boxes: its value, and whether the cell
/// itself marks it (`Some`: it has a box; `None`: a bare word, whose mark,
/// if any, is in a cell beside or under it).
pub fn option(text: &str) -> Option<(Dissemination, Option<bool>)> {
    let toks = tokens(text);
    let is_box = |t: &str| is_mark(t) || is_empty_box(t);
    let words: Vec<&String> = toks.iter().filter(|t| !is_box(t)).collect();
    if words.len() == toks.len() {
        return word(text).map(|v| (v, None));
    }
    match words.as_slice() {
        [w] => word(w).map(|v| (v, Some(toks.iter().any(|t| is_mark(t))))),
        _ => None,
    }
}

/// Parses a flag cell. `Ok(None)`: blank (the query's default applies).
/// `Err`: the text is neither yes nor no ("Yes/No", "maybe", "1", both
/// boxes marked): the message says what to write.
pub fn parse_flag(text: &str) -> Result<Option<Dissemination>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    // Boxes first: "☐ No" folds to the word "no", but says the opposite.
    if let Some(read) = boxes(text) {
        return read.map(Some);
    }
    if let Some(value) = word(text) {
        return Ok(Some(value));
    }
    Err(format!(
        "the wider-dissemination cell says \"{}\": write Yes (the response may be shared beyond \
         the network) or No (members only)",
        text.trim()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Dissemination::*;

    #[test]
    fn usual_spellings_in_any_case() {
        for s in [
            "yes", "Yes", "YES", "y", "Y", "Yes.", " yes ", "Ja", "oui", "Sí", "si", "TAK", "Ναι",
        ] {
            assert_eq!(parse_flag(s), Ok(Some(Yes)), "{s}");
        }
        for s in [
            "no", "No", "NO", "n", "N", "No.", "nein", "Non", "nie", "NEJ", "não", "όχι",
        ] {
            assert_eq!(parse_flag(s), Ok(Some(No)), "{s}");
        }
    }

    #[test]
    fn no_in_a_flag_cell_is_never_norway() {
        assert_eq!(parse_flag("NO"), Ok(Some(No)));
    }

    #[test]
    fn blank_is_none_so_the_default_applies() {
        assert_eq!(parse_flag(""), Ok(None));
        assert_eq!(parse_flag("   "), Ok(None));
    }

    #[test]
    fn anything_else_is_an_error_that_says_what_to_write() {
        for s in ["Yes/No", "maybe", "yes no", "Norway", "1"] {
            let e = parse_flag(s).unwrap_err();
            assert!(e.contains(s.trim()) && e.contains("write Yes"), "{e}");
        }
    }

    #[test]
    fn check_boxes_in_one_cell_read_the_marked_option() {
        for s in [
            "☐ Yes ☒ No",
            "☐Yes ☒No",
            "Yes ☐ No ☒",
            "[ ] Yes [x] No",
            "( ) Ja (x) Nein",
            "X No",
            "No X",
            "☒ Non",
            "Yes: No: X",
        ] {
            assert_eq!(parse_flag(s), Ok(Some(No)), "{s}");
        }
        for s in ["☒ Yes ☐ No", "x Yes", "✔ Oui ☐ Non"] {
            assert_eq!(parse_flag(s), Ok(Some(Yes)), "{s}");
        }
    }

    #[test]
    fn check_boxes_with_both_or_neither_marked_are_errors() {
        let e = parse_flag("☒ Yes ☒ No").unwrap_err();
        assert!(e.contains("more than one"), "{e}");
        let e = parse_flag("☐ Yes ☐ No").unwrap_err();
        assert!(e.contains("no option marked"), "{e}");
        let e = parse_flag("☐ No").unwrap_err();
        assert!(e.contains("no option marked"), "{e}");
    }
}
