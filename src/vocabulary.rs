//! The vocabularies kept as data under `templates/`: the words a flag cell
//! holds (`flags.toml`) and the wording that says a response must not be
//! disseminated (`restrictions.toml`). Built in at compile time, checked
//! once when first used.

use crate::error::{Error, Result};
use crate::record::Dissemination;
use crate::text::key;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

const FLAGS: &str = include_str!("../templates/flags.toml");
const LABELS: &str = include_str!("../templates/labels.toml");
const RESTRICTIONS: &str = include_str!("../templates/restrictions.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFlags {
    marks: Vec<String>,
    empty_boxes: Vec<String>,
    language: Vec<FlagLanguage>,
}

/// One language's flag words, as `flags.toml` lists them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagLanguage {
    pub code: String,
    pub name: String,
    pub yes: Vec<String>,
    pub no: Vec<String>,
}

/// Flag words of every language, pooled by their loose key.
#[derive(Debug)]
pub struct FlagWords {
    pub languages: Vec<FlagLanguage>,
    /// What marks a check box as chosen ("x", "☒"), in lower case.
    pub marks: Vec<String>,
    /// Boxes left empty ("☐").
    pub empty_boxes: Vec<String>,
    yes: HashSet<String>,
    no: HashSet<String>,
}

impl FlagWords {
    /// What a whole cell's text means, if it is one flag word.
    pub fn meaning(&self, text: &str) -> Option<Dissemination> {
        let k = key(text);
        if self.yes.contains(&k) {
            Some(Dissemination::Yes)
        } else if self.no.contains(&k) {
            Some(Dissemination::No)
        } else {
            None
        }
    }
}

fn load_flags() -> Result<FlagWords> {
    let bad = |message: String| Error::BuiltIn {
        name: "templates/flags.toml",
        message,
    };
    let raw: RawFlags = toml::from_str(FLAGS).map_err(|e| bad(e.to_string()))?;
    let (mut yes, mut no) = (HashSet::new(), HashSet::new());
    for l in &raw.language {
        yes.extend(l.yes.iter().map(|w| key(w)));
        no.extend(l.no.iter().map(|w| key(w)));
    }
    if let Some(both) = yes.intersection(&no).next() {
        return Err(bad(format!("\"{both}\" is both a yes and a no word")));
    }
    if yes.contains("") || no.contains("") {
        return Err(bad("an empty word".into()));
    }
    Ok(FlagWords {
        marks: raw.marks.iter().map(|m| m.to_lowercase()).collect(),
        empty_boxes: raw.empty_boxes,
        languages: raw.language,
        yes,
        no,
    })
}

/// The flag words (`templates/flags.toml`).
pub fn flag_words() -> &'static FlagWords {
    static WORDS: OnceLock<FlagWords> = OnceLock::new();
    WORDS.get_or_init(|| load_flags().unwrap_or_else(|e| panic!("{e}")))
}

/// The labels of a response sheet (`templates/labels.toml`), by their keys.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    pub country: HashSet<String>,
    pub contact: HashSet<String>,
    pub date: HashSet<String>,
    pub whole: HashSet<String>,
    pub heading: HashSet<String>,
    pub answer_heading: HashSet<String>,
    pub plain_flag: HashSet<String>,
    pub title_cues: HashSet<String>,
    pub flag_words: HashSet<String>,
}

fn load_labels() -> Result<Labels> {
    let raw: Labels = toml::from_str(LABELS).map_err(|e| Error::BuiltIn {
        name: "templates/labels.toml",
        message: e.to_string(),
    })?;
    // Stored by key, as cells are compared.
    let fold = |set: HashSet<String>| set.iter().map(|w| key(w)).collect();
    Ok(Labels {
        country: fold(raw.country),
        contact: fold(raw.contact),
        date: fold(raw.date),
        whole: fold(raw.whole),
        heading: fold(raw.heading),
        answer_heading: fold(raw.answer_heading),
        plain_flag: fold(raw.plain_flag),
        title_cues: fold(raw.title_cues),
        flag_words: fold(raw.flag_words),
    })
}

/// The labels of a response sheet (`templates/labels.toml`).
pub fn labels() -> &'static Labels {
    static L: OnceLock<Labels> = OnceLock::new();
    L.get_or_init(|| load_labels().unwrap_or_else(|e| panic!("{e}")))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRestrictions {
    ignore: Vec<String>,
    language: Vec<RestrictionLanguage>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RestrictionLanguage {
    #[allow(dead_code)]
    code: String,
    #[serde(default)]
    phrases: Vec<String>,
    #[serde(default)]
    words: Vec<String>,
}

/// An entry: its folded words, and how it is written in the file of data.
#[derive(Debug)]
pub struct Entry {
    words: Vec<String>,
    written: String,
}

impl Entry {
    fn new(written: &str) -> Entry {
        Entry {
            words: key(written).split(' ').map(str::to_string).collect(),
            written: written.to_string(),
        }
    }

    /// Whether the entry stands at `at` in `tokens`, on no masked token.
    fn at(&self, tokens: &[&str], masked: &[bool], at: usize) -> bool {
        at + self.words.len() <= tokens.len()
            && self
                .words
                .iter()
                .enumerate()
                .all(|(i, w)| tokens[at + i] == w && !masked[at + i])
    }
}

/// Restriction wording, indexed by first word.
#[derive(Debug)]
pub struct Restrictions {
    ignore: HashMap<String, Vec<Entry>>,
    phrases: HashMap<String, Vec<Entry>>,
    words: HashMap<String, Vec<Entry>>,
}

/// Texts not to search (the query's own title and questions), folded and
/// indexed once per file, not once per cell.
#[derive(Debug, Default)]
pub struct Mask(HashMap<String, Vec<Entry>>);

impl Mask {
    pub fn new(texts: &[String]) -> Mask {
        Mask(index(texts.iter().cloned()))
    }
}

/// Where a text stands, which decides what wording counts in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// An answer: only phrases that cannot be said of anything else count.
    Answer,
    /// A title, note, heading, sheet name or short cell that is not an
    /// answer: markings ("Confidential", "VS-NfD") count too.
    Label,
}

impl Restrictions {
    /// The first restriction wording in `text`, as the data writes it.
    pub fn find(&self, text: &str, place: Place) -> Option<&str> {
        self.find_masking(text, place, &Mask::default())
    }

    /// [`find`](Self::find), with `mask` (texts the query itself puts in a
    /// file: its title, its questions) not searched, as `ignore` is not.
    pub fn find_masking(&self, text: &str, place: Place, mask: &Mask) -> Option<&str> {
        let folded = key(text);
        let tokens: Vec<&str> = folded.split(' ').filter(|t| !t.is_empty()).collect();
        let mut masked = vec![false; tokens.len()];
        let unmasked = vec![false; tokens.len()];
        for (i, t) in tokens.iter().enumerate() {
            let ignored = self.ignore.get(*t).into_iter().flatten();
            for e in ignored.chain(mask.0.get(*t).into_iter().flatten()) {
                if e.at(&tokens, &unmasked, i) {
                    masked[i..i + e.words.len()]
                        .iter_mut()
                        .for_each(|m| *m = true);
                }
            }
        }
        let lists: &[&HashMap<String, Vec<Entry>>] = match place {
            Place::Answer => &[&self.phrases],
            Place::Label => &[&self.phrases, &self.words],
        };
        for (i, t) in tokens.iter().enumerate() {
            for list in lists {
                if let Some(e) = list
                    .get(*t)
                    .into_iter()
                    .flatten()
                    .find(|e| e.at(&tokens, &masked, i))
                {
                    return Some(&e.written);
                }
            }
        }
        None
    }
}

fn index(entries: impl Iterator<Item = String>) -> HashMap<String, Vec<Entry>> {
    let mut map: HashMap<String, Vec<Entry>> = HashMap::new();
    for w in entries {
        let e = Entry::new(&w);
        if let Some(first) = e.words.first().filter(|f| !f.is_empty()) {
            map.entry(first.clone()).or_default().push(e);
        }
    }
    map
}

fn load_restrictions() -> Result<Restrictions> {
    let raw: RawRestrictions = toml::from_str(RESTRICTIONS).map_err(|e| Error::BuiltIn {
        name: "templates/restrictions.toml",
        message: e.to_string(),
    })?;
    let (phrases, words): (Vec<_>, Vec<_>) = raw
        .language
        .into_iter()
        .map(|l| (l.phrases, l.words))
        .unzip();
    Ok(Restrictions {
        ignore: index(raw.ignore.into_iter()),
        phrases: index(phrases.into_iter().flatten()),
        words: index(words.into_iter().flatten()),
    })
}

/// The restriction wording (`templates/restrictions.toml`).
pub fn restrictions() -> &'static Restrictions {
    static R: OnceLock<Restrictions> = OnceLock::new();
    R.get_or_init(|| load_restrictions().unwrap_or_else(|e| panic!("{e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Dissemination::*;

    #[test]
    fn the_built_in_vocabularies_load() {
        load_flags().unwrap();
        load_restrictions().unwrap();
        let l = load_labels().unwrap();
        assert!(l.country.contains("country") && l.plain_flag.contains("wider dissemination"));
    }

    /// One pair per language the network works in: the words as a sender
    /// of that language writes them, diacritics and all, and without.
    #[test]
    fn yes_and_no_in_every_language_of_the_network() {
        let w = flag_words();
        let pairs: &[(&str, &str, &str)] = &[
            ("bg", "Да", "Не"),
            ("cs", "Ano", "Ne"),
            ("da", "Ja", "Nej"),
            ("de", "Ja", "Nein"),
            ("el", "Ναι", "Όχι"),
            ("en", "Yes", "No"),
            ("es", "Sí", "No"),
            ("et", "Jah", "Ei"),
            ("fi", "Kyllä", "Ei"),
            ("fr", "Oui", "Non"),
            ("ga", "Tá", "Níl"),
            ("hr", "Da", "Ne"),
            ("hu", "Igen", "Nem"),
            ("it", "Sì", "No"),
            ("lt", "Taip", "Ne"),
            ("lv", "Jā", "Nē"),
            ("mt", "Iva", "Le"),
            ("nl", "Ja", "Nee"),
            ("pl", "Tak", "Nie"),
            ("pt", "Sim", "Não"),
            ("ro", "Da", "Nu"),
            ("sk", "Áno", "Nie"),
            ("sl", "Da", "Ne"),
            ("sv", "Ja", "Nej"),
            ("nb", "Ja", "Nei"),
            ("ka", "დიახ", "არა"),
            ("uk", "Так", "Ні"),
            ("sr", "Да", "Не"),
            ("sr-Latn", "Da", "Ne"),
            ("cnr", "Da", "Ne"),
            ("hy", "Այո", "Ոչ"),
            ("sq", "Po", "Jo"),
            ("mk", "Да", "Не"),
        ];
        for (lang, yes, no) in pairs {
            for (word, meant) in [(yes, Yes), (no, No)] {
                assert_eq!(w.meaning(word), Some(meant), "{lang}: {word}");
                assert_eq!(
                    w.meaning(&word.to_uppercase()),
                    Some(meant),
                    "{lang}: {word}"
                );
                let bare = key(word);
                assert_eq!(w.meaning(&bare), Some(meant), "{lang}: {bare}");
            }
        }
        for lang in ["bg", "ga", "mt", "hu", "el", "ka", "hy", "sq", "mk", "uk"] {
            assert!(w.languages.iter().any(|l| l.code == lang), "{lang}");
        }
    }

    #[test]
    fn sentences_and_both_options_are_not_flag_words() {
        let w = flag_words();
        for s in ["Yes/No", "yes no", "Yes, of course", "maybe", "Norway", "1"] {
            assert_eq!(w.meaning(s), None, "{s}");
        }
    }

    #[test]
    fn phrases_count_anywhere_and_markings_only_outside_answers() {
        let r = restrictions();
        let title = "CONFIDENTIAL – do not disseminate further";
        assert!(r.find(title, Place::Label).is_some());
        assert!(
            r.find("Not for wider dissemination", Place::Answer)
                .is_some()
        );
        assert!(r.find("Réponse confidentielle", Place::Label).is_some());
        assert!(r.find("VERTRAULICH", Place::Label).is_some());
        assert_eq!(r.find("Confidential", Place::Answer), None);
        assert_eq!(
            r.find("Access to the labour market is restricted.", Place::Answer),
            None
        );
        assert_eq!(r.find("Wider Dissemination?", Place::Label), None);
        assert_eq!(r.find("unrestricted", Place::Label), None);
    }

    #[test]
    fn the_templates_own_instructions_are_not_a_restriction() {
        let network = crate::network::Network::builtin("emn").unwrap().unwrap();
        let instructions = crate::templates::instructions(network, None);
        assert_eq!(
            restrictions().find(&instructions, Place::Label),
            None,
            "{instructions}"
        );
        let statement = crate::templates::statement(network);
        assert_eq!(restrictions().find(&statement, Place::Label), None);
    }
}
