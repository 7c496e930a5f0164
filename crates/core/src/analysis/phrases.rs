//! Finding listed phrases in running text: words folded as everywhere in
//! ahq (case, diacritics, punctuation), the longest phrase first, a word
//! ending in `*` matching every word it begins, the last word of a phrase
//! its English plural too. Shared by the countries and the themes.

use crate::text::key;
// FxHash: the lookups run for every word of every answer, twice per query;
// the keys are our own vocabulary's words, so no flooding to defend against.
use rustc_hash::FxHashMap as HashMap;

/// One word of a phrase.
#[derive(Debug, Clone)]
enum Word {
    /// This word, or one of its English plurals (made once, here: matching
    /// runs for every word of every answer).
    Exact { word: String, plurals: Vec<String> },
    /// Any word it begins.
    Prefix(String),
}

impl Word {
    fn matches(&self, token: &str) -> bool {
        match self {
            Word::Exact { word, plurals } => token == word || plurals.iter().any(|p| p == token),
            Word::Prefix(p) => token.starts_with(p.as_str()),
        }
    }
}

/// "campaign" -> "campaigns"; "agency" -> "agencies"; "box" -> "boxes".
fn plural_of(word: &str) -> Vec<String> {
    let mut out = vec![format!("{word}s"), format!("{word}es")];
    if let Some(stem) = word.strip_suffix('y') {
        out.push(format!("{stem}ies"));
    }
    out
}

/// A word of the text: folded, and where it stands in the original.
#[derive(Debug, Clone)]
pub struct Token<'t> {
    /// Borrowed from the text when the word is already folded (most are).
    pub folded: std::borrow::Cow<'t, str>,
    pub written: &'t str,
}

/// The words of `text`, as the phrases are compared with them. A
/// combining accent belongs to its word: text typed with decomposed
/// letters ("u" and a combining diaeresis, as macOS writes it) is not
/// split inside its words.
pub fn tokens(text: &str) -> Vec<Token<'_>> {
    use unicode_normalization::char::is_combining_mark;
    let mut out = Vec::new();
    for w in text
        .split(|c: char| !c.is_alphanumeric() && !is_combining_mark(c))
        .filter(|w| !w.is_empty())
    {
        // ASCII letters and digits fold to their lower case: one word, no
        // decomposition (the common case, for every word of every answer).
        if w.is_ascii() {
            let folded = if w.bytes().any(|b| b.is_ascii_uppercase()) {
                std::borrow::Cow::Owned(w.to_ascii_lowercase())
            } else {
                std::borrow::Cow::Borrowed(w)
            };
            out.push(Token { folded, written: w });
            continue;
        }
        out.extend(
            // Folding may split a word (a ligature, a compatibility form):
            // each part is a word, shown as the whole written word.
            key(w).split(' ').filter(|f| !f.is_empty()).map(|f| Token {
                folded: std::borrow::Cow::Owned(f.to_string()),
                written: w,
            }),
        );
    }
    out
}

/// A found phrase: what it stands for, and the words it covered as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit<T> {
    pub what: T,
    pub written: String,
}

/// Phrases, each standing for a `T`.
#[derive(Debug)]
pub struct Phrases<T> {
    /// By their first word, when it is an exact word (its plural too).
    by_first: HashMap<String, Vec<usize>>,
    /// Those whose first word is a prefix, by the prefix's first character.
    by_prefix: HashMap<char, Vec<usize>>,
    list: Vec<(Vec<Word>, bool, T)>,
}

impl<T: Clone> Phrases<T> {
    pub fn new() -> Phrases<T> {
        Phrases {
            by_first: HashMap::default(),
            by_prefix: HashMap::default(),
            list: Vec::new(),
        }
    }

    /// Adds `phrase` for `what`. With `capitals`, it counts only written in
    /// capital letters (a short name such as "USA" or "DRC", never "usa").
    /// A phrase with no word is ignored.
    pub fn add(&mut self, phrase: &str, what: T, capitals: bool) {
        let parts: Vec<&str> = phrase.split_whitespace().collect();
        let mut words: Vec<Word> = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            let prefix = part.ends_with('*');
            let folded = key(part.trim_end_matches('*'));
            let pieces: Vec<&str> = folded.split(' ').filter(|p| !p.is_empty()).collect();
            for (j, piece) in pieces.iter().enumerate() {
                let last_piece = j + 1 == pieces.len();
                words.push(if prefix && last_piece {
                    Word::Prefix(piece.to_string())
                } else {
                    Word::Exact {
                        word: piece.to_string(),
                        plurals: if i + 1 == parts.len() && last_piece && !capitals {
                            plural_of(piece)
                        } else {
                            Vec::new()
                        },
                    }
                });
            }
        }
        let Some(first) = words.first() else { return };
        let index = self.list.len();
        match first {
            Word::Exact { word, plurals } => {
                for w in std::iter::once(word).chain(plurals) {
                    self.by_first.entry(w.clone()).or_default().push(index);
                }
            }
            Word::Prefix(p) => match p.chars().next() {
                Some(c) => self.by_prefix.entry(c).or_default().push(index),
                None => return,
            },
        }
        self.list.push((words, capitals, what));
    }

    /// Every phrase found in `text`, left to right, the longest where
    /// phrases overlap (the first listed where they are as long).
    pub fn find(&self, text: &str) -> Vec<Hit<T>> {
        self.find_in(&tokens(text))
    }

    /// [`Phrases::find`] over words already split and folded ([`tokens`]),
    /// so that one text's words serve several vocabularies.
    pub fn find_in(&self, tokens: &[Token<'_>]) -> Vec<Hit<T>> {
        let mut out = Vec::new();
        let mut at = 0;
        while at < tokens.len() {
            let first = tokens[at].folded.chars().next();
            let candidates = self
                .by_first
                .get(tokens[at].folded.as_ref())
                .into_iter()
                .flatten()
                .chain(
                    first
                        .and_then(|c| self.by_prefix.get(&c))
                        .into_iter()
                        .flatten(),
                );
            let mut best: Option<(usize, usize)> = None; // (length, index)
            for &i in candidates {
                let (words, capitals, _) = &self.list[i];
                let n = words.len();
                if at + n > tokens.len() {
                    continue;
                }
                let fits = words
                    .iter()
                    .zip(&tokens[at..at + n])
                    .all(|(w, t)| w.matches(&t.folded))
                    && (!capitals
                        || tokens[at..at + n]
                            .iter()
                            .all(|t| t.written.chars().all(|c| !c.is_lowercase())));
                if fits && best.is_none_or(|(len, j)| n > len || (n == len && i < j)) {
                    best = Some((n, i));
                }
            }
            match best {
                Some((n, i)) => {
                    let mut written: Vec<&str> = Vec::new();
                    for t in &tokens[at..at + n] {
                        if written.last() != Some(&t.written) {
                            written.push(t.written);
                        }
                    }
                    out.push(Hit {
                        what: self.list[i].2.clone(),
                        written: written.join(" "),
                    });
                    at += n;
                }
                None => at += 1,
            }
        }
        out
    }
}

impl<T: Clone> Default for Phrases<T> {
    fn default() -> Self {
        Phrases::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(p: &Phrases<&'static str>, text: &str) -> Vec<(&'static str, String)> {
        p.find(text)
            .into_iter()
            .map(|h| (h.what, h.written))
            .collect()
    }

    #[test]
    fn the_longest_phrase_wins_and_words_are_folded() {
        let mut p = Phrases::new();
        p.add("Guinea", "GN", false);
        p.add("Guinea-Bissau", "GW", false);
        p.add("Papua New Guinea", "PG", false);
        p.add("Côte d'Ivoire", "CI", false);
        assert_eq!(
            found(
                &p,
                "Guinea-Bissau, Papua New Guinea and GUINEA; cote d’ivoire"
            ),
            [
                ("GW", "Guinea Bissau".to_string()),
                ("PG", "Papua New Guinea".into()),
                ("GN", "GUINEA".into()),
                ("CI", "cote d ivoire".into())
            ]
        );
    }

    #[test]
    fn prefixes_plurals_and_capitals() {
        let mut p = Phrases::new();
        p.add("traffick*", "trafficking", false);
        p.add("information campaign", "info", false);
        p.add("agency", "agency", false);
        p.add("USA", "US", true);
        assert_eq!(
            found(
                &p,
                "Trafficked persons; information campaigns; agencies; usa; USA"
            ),
            [
                ("trafficking", "Trafficked".to_string()),
                ("info", "information campaigns".into()),
                ("agency", "agencies".into()),
                ("US", "USA".into())
            ]
        );
        // A prefix is a word's beginning, never its middle.
        assert!(found(&p, "countertrafficking").is_empty());
        // Decomposed accents stay in their word.
        let mut p = Phrases::new();
        p.add("Rückübernahme*", "readmission", false);
        assert_eq!(
            found(&p, "Ru\u{308}cku\u{308}bernahmeabkommen"),
            [(
                "readmission",
                "Ru\u{308}cku\u{308}bernahmeabkommen".to_string()
            )]
        );
    }
}
