//! Text rules shared by every stage: tidying answers without changing words,
//! and the loose keys that labels, countries and flags are matched by.

use crate::record::YesNo;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Characters no output carries and no terminal is sent raw: controls other
/// than tab and line breaks (ESC retitles or clears a terminal, NUL cuts a
/// C string), and the bidirectional overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069), which make text display in another order than it reads.
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{85}'))
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// Characters that show as nothing (zero-width spaces and joiners, the soft
/// hyphen, the byte-order mark, direction marks): "N\u{200b}o" looks like
/// "No" and is not. Messages show them escaped; answers keep them.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{180e}' | '\u{200b}'..='\u{200f}'
            | '\u{2060}'..='\u{2064}' | '\u{feff}'
    )
}

/// A message as a terminal shows it: unsafe and invisible characters
/// written as escapes (`\u{200b}`), so that what looks alike is alike.
pub fn escape_for_terminal(s: &str) -> std::borrow::Cow<'_, str> {
    escape_where(s, |c| is_unsafe(c) || is_invisible(c))
}

/// A path or word as it can be pasted into a shell: in single quotes when
/// it holds anything but letters, digits and `_ . / - , : @ +`.
pub fn shell_quoted(s: &str) -> std::borrow::Cow<'_, str> {
    let plain = |c: char| c.is_alphanumeric() || "_./-,:@+".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(format!("'{}'", s.replace('\'', "'\\''")))
    }
}

/// How many unsafe characters a text holds.
pub fn unsafe_count(s: &str) -> usize {
    s.chars().filter(|c| is_unsafe(*c)).count()
}

/// JSON text with its unsafe characters as JSON escapes (`\u202e`): the
/// same strings to a parser, nothing raw to a terminal or an editor. They
/// can only stand inside strings, where an escape is valid.
pub fn json_escape_unsafe(json: &str) -> String {
    let escaped = |c: char| is_unsafe(c) || is_invisible(c);
    if !json.chars().any(escaped) {
        return json.to_string();
    }
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if escaped(c) {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The text as a terminal may show it: each unsafe character (an ESC, a
/// BEL, a bidirectional override) written as its escape, `\u{1b}`.
pub fn escape_unsafe(s: &str) -> std::borrow::Cow<'_, str> {
    escape_where(s, is_unsafe)
}

/// Every character outside ASCII written as its escape (`\u{308}`): to
/// show how two names that look alike are written.
pub fn escape_non_ascii(s: &str) -> std::borrow::Cow<'_, str> {
    escape_where(s, |c| !c.is_ascii())
}

fn escape_where(s: &str, escaped: impl Fn(char) -> bool) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(&escaped) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| {
                if escaped(c) {
                    format!("\\u{{{:x}}}", c as u32)
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// Tidies an answer: trims, turns every line ending into `\n`, collapses runs
/// of spaces and tabs inside a line, trims each line's ends, and drops blank
/// lines at either end. Words are never dropped, reordered or rewritten;
/// characters no output may carry ([`is_unsafe`]) are left out.
pub fn tidy(raw: &str) -> String {
    // One pass, one allocation: every answer of every file passes here.
    let mut out = String::with_capacity(raw.len());
    // Line breaks since the last line with text (none counted before the
    // first: blank lines at the start are dropped, and at the end never
    // written), whether the current line has text, and spacing pending.
    let (mut breaks, mut line_has_text, mut in_space) = (0usize, false, false);
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        // Vertical tab is Excel's and Word's line break inside a cell; the
        // Unicode line and paragraph separators are line breaks too.
        let line_break = match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                true
            }
            '\n' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}' => true,
            _ => false,
        };
        if line_break {
            if !out.is_empty() {
                breaks += 1;
            }
            (line_has_text, in_space) = (false, false);
        } else if c.is_whitespace() {
            // Non-breaking spaces count as spacing: pasted web text is full of them.
            in_space = true;
        } else if is_unsafe(c) {
            // Dropped: normalise says so where it happens.
        } else {
            if !line_has_text {
                out.extend(std::iter::repeat_n('\n', breaks));
                breaks = 0;
            } else if in_space {
                out.push(' ');
            }
            (line_has_text, in_space) = (true, false);
            out.push(c);
        }
    }
    out
}

/// The loose key used to match labels, countries and flag words: lower case,
/// no diacritics, punctuation turned into spaces, spacing collapsed.
pub fn key(s: &str) -> String {
    // ASCII has no diacritics to fold: the common case, without the
    // decomposition's cost (every cell of every file is folded once or more).
    if s.is_ascii() {
        let mut out = String::with_capacity(s.len());
        for word in s
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            if !out.is_empty() {
                out.push(' ');
            }
            out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        }
        return out;
    }
    let folded: String = s
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text as it reads once disguises are undone, for the restriction
/// search only: characters that show as nothing removed, letters spelt out
/// with spaces joined ("C o n f i d e n t i a l"), compatibility forms
/// (full-width, mathematical letters) and Cyrillic or Greek letters that look
/// Latin ("Соnfidential" with a Cyrillic С) read as the Latin letters.
/// Borrowed when there is nothing to undo: every cell searched passes here.
pub fn undisguised(s: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    // ASCII has no compatibility forms, invisible characters or look-alikes.
    let plain: Cow<'_, str> = if s.is_ascii() {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(
            s.nfkc()
                .filter(|c| !is_invisible(*c))
                .map(latin_look_alike)
                .collect(),
        )
    };
    if !spelt_out().is_match(&plain) {
        return plain;
    }
    let chars: Vec<char> = plain.chars().collect();
    Cow::Owned(join_spelt_out(&chars).into_iter().collect())
}

/// Three letters, each alone, one separator apart: a word spelt out.
fn spelt_out() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r"(?:^|[^\p{L}\p{N}])[\p{L}\p{N}][ \u{a0}.\-_\u{b7}][\p{L}\p{N}][ \u{a0}.\-_\u{b7}][\p{L}\p{N}](?:$|[^\p{L}\p{N}])")
            .expect("valid regex")
    })
}

/// Joins runs of three or more single letters each one separator apart
/// ("N O T  F O R" becomes "NOT  FOR": words stay apart where the gap is wider).
fn join_spelt_out(chars: &[char]) -> Vec<char> {
    let single_gap = |c: char| matches!(c, ' ' | '\u{a0}' | '.' | '-' | '_' | '\u{b7}');
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let starts_word = i == 0 || !chars[i - 1].is_alphanumeric();
        if starts_word && chars[i].is_alphanumeric() {
            // Letters at i, i+2, i+4 … with one gap between each.
            let mut end = i;
            while end + 2 < chars.len()
                && single_gap(chars[end + 1])
                && chars[end + 2].is_alphanumeric()
                && chars.get(end + 3).is_none_or(|c| !c.is_alphanumeric())
            {
                end += 2;
            }
            let letters = (end - i) / 2 + 1;
            let lone = chars.get(i + 1).is_none_or(|c| !c.is_alphanumeric());
            if lone && letters >= 3 {
                out.extend((i..=end).step_by(2).map(|k| chars[k]));
                i = end + 1;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// The Latin letter a Cyrillic or Greek letter is mistaken for, if any.
fn latin_look_alike(c: char) -> char {
    match c {
        'а' | 'А' | 'α' | 'Α' => 'a',
        'В' | 'Β' => 'b',
        'с' | 'С' => 'c',
        'ԁ' => 'd',
        'е' | 'Е' | 'ё' | 'Ё' | 'ε' | 'Ε' => 'e',
        'Н' | 'Η' | 'һ' => 'h',
        'і' | 'І' | 'ї' | 'ι' | 'Ι' => 'i',
        'ј' | 'Ј' => 'j',
        'к' | 'К' | 'κ' | 'Κ' => 'k',
        'М' | 'Μ' => 'm',
        'Ν' => 'n',
        'о' | 'О' | 'ο' | 'Ο' => 'o',
        'р' | 'Р' | 'ρ' | 'Ρ' => 'p',
        'ԛ' => 'q',
        'ѕ' | 'Ѕ' => 's',
        'т' | 'Т' | 'τ' | 'Τ' => 't',
        'υ' => 'u',
        'ν' => 'v',
        'ԝ' => 'w',
        'х' | 'Х' | 'χ' | 'Χ' => 'x',
        'у' | 'У' | 'Υ' => 'y',
        'Ζ' => 'z',
        c => c,
    }
}

/// Like [`key`] but without any spaces: for texts whose spacing and
/// punctuation senders vary ("have/had" vs "have / had").
pub fn compact_key(s: &str) -> String {
    key(s).replace(' ', "")
}

/// The first line of a text, cut to `max` characters with an ellipsis.
pub fn first_line(s: &str, max: usize) -> String {
    let line = s.lines().next().unwrap_or("");
    let more = s.lines().nth(1).is_some();
    let mut out: String = line.chars().take(max).collect();
    if line.chars().count() > max || more {
        out.push('…');
    }
    out
}

/// The leading yes or no of an answer ("Yes, Germany is engaged ..." -> Yes).
/// Anything else (a country name, "N/A", "Not applicable") is unclear: `None`.
pub fn leading_yes_no(answer: &str) -> Option<YesNo> {
    let k = key(answer);
    let first = k.split(' ').next()?;
    match first {
        "yes" => Some(YesNo::Yes),
        "no" => Some(YesNo::No),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `tidy` as it was first written, line by line: the one-pass version
    /// must say the same for any text.
    fn tidy_by_lines(raw: &str) -> String {
        let unified = raw.replace("\r\n", "\n").replace(
            ['\r', '\u{0b}', '\u{0c}', '\u{85}', '\u{2028}', '\u{2029}'],
            "\n",
        );
        let mut lines: Vec<String> = unified
            .split('\n')
            .map(|line| {
                let mut out = String::new();
                let mut in_space = false;
                for c in line.chars() {
                    if c.is_whitespace() {
                        in_space = true;
                    } else if !is_unsafe(c) {
                        if in_space && !out.is_empty() {
                            out.push(' ');
                        }
                        in_space = false;
                        out.push(c);
                    }
                }
                out
            })
            .collect();
        while lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        let start = lines
            .iter()
            .position(|l| !l.is_empty())
            .unwrap_or(lines.len());
        lines[start..].join("\n")
    }

    proptest::proptest! {
        #[test]
        fn tidy_in_one_pass_says_what_tidy_by_lines_says(
            raw in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "B", "é", " ", "  ", "\t", "\u{a0}", "\n", "\r", "\r\n",
                    "\u{0b}", "\u{0c}", "\u{85}", "\u{2028}", "\u{2029}", "\u{1}",
                    "\u{1b}", "\u{200b}", "\u{feff}", "x y",
                ]),
                0..40,
            )
        ) {
            let raw = raw.concat();
            proptest::prop_assert_eq!(tidy(&raw), tidy_by_lines(&raw));
        }
    }

    #[test]
    fn tidy_keeps_inner_blank_lines_and_drops_the_outer_ones() {
        assert_eq!(tidy("\n \r\n a  b \r\r\n\u{0b}c\t\n\n"), "a b\n\n\nc");
        assert_eq!(tidy(" \u{1} "), "");
    }

    #[test]
    fn undisguised_joins_spelt_out_letters_and_reads_look_alikes_as_latin() {
        assert_eq!(undisguised("C o n f"), "Conf");
        assert_eq!(undisguised("N O T  F O R"), "NOT  FOR");
        assert_eq!(undisguised("a, b, c"), "a, b, c");
        assert_eq!(undisguised("in a b"), "in a b");
        assert_eq!(undisguised("\u{421}\u{43e}n"), "con");
        assert_eq!(undisguised("N\u{200b}o"), "No");
        assert_eq!(escape_for_terminal("N\u{200b}o"), "N\\u{200b}o");
        // Nothing to undo: borrowed, not copied.
        assert!(matches!(
            undisguised("plain text, a b"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn controls_and_bidi_overrides_are_dropped_from_answers_and_escaped_for_terminals() {
        assert_eq!(tidy("a\u{1b}[2Jb\u{7}c\u{202e}d\u{0}"), "a[2Jbcd");
        assert_eq!(tidy("tab\tkept"), "tab kept");
        assert_eq!(
            escape_unsafe("x\u{1b}]0;title\u{7}"),
            "x\\u{1b}]0;title\\u{7}"
        );
        assert_eq!(escape_unsafe("line\nnext"), "line\nnext");
        assert_eq!(unsafe_count("\u{1b}\u{202e}ok\t"), 2);
    }

    #[test]
    fn tidy_trims_and_collapses_spaces_but_keeps_words_and_lines() {
        assert_eq!(
            tidy("  Yes,   Germany\tis  engaged  "),
            "Yes, Germany is engaged"
        );
        assert_eq!(tidy("a\r\nb\rc\n"), "a\nb\nc");
        assert_eq!(tidy("\n\n first \n\n second \n\n"), "first\n\nsecond");
        assert_eq!(tidy("x\u{a0}\u{a0}y"), "x y");
        assert_eq!(
            tidy("Yes\u{0b}with Georgia"),
            "Yes\nwith Georgia",
            "a vertical tab is a line break"
        );
        assert_eq!(tidy("a\u{2009}\u{3000}b"), "a b");
        assert_eq!(tidy(""), "");
        assert_eq!(tidy(" \n \t "), "");
    }

    #[test]
    fn key_ignores_case_diacritics_and_punctuation() {
        assert_eq!(key("Wider Dissemination?"), "wider dissemination");
        assert_eq!(
            key("  a--B  c_d "),
            "a b c d",
            "the ASCII path folds as the other"
        );
        assert_eq!(key("  a--B  c_dé "), "a b c de");
        assert_eq!(key("  ČESKÁ   republika "), "ceska republika");
        assert_eq!(key("have/had"), "have had");
        assert_eq!(compact_key("have / had"), "havehad");
    }

    #[test]
    fn first_line_marks_what_it_leaves_out() {
        assert_eq!(first_line("one\ntwo", 80), "one…");
        assert_eq!(first_line("abcdef", 3), "abc…");
        assert_eq!(first_line("abc", 3), "abc");
    }

    #[test]
    fn leading_yes_or_no_is_recognised_only_at_the_start() {
        assert_eq!(leading_yes_no("Yes, Germany is engaged"), Some(YesNo::Yes));
        assert_eq!(leading_yes_no("NO."), Some(YesNo::No));
        assert_eq!(leading_yes_no("No, not yet"), Some(YesNo::No));
        assert_eq!(leading_yes_no("Norway has ..."), None);
        assert_eq!(leading_yes_no("There is no partnership"), None);
        assert_eq!(leading_yes_no("N/A"), None);
        assert_eq!(leading_yes_no(""), None);
    }
}
