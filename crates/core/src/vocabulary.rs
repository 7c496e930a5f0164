//! The vocabularies kept as data under `templates/`: the words a flag cell
//! holds (`flags.toml`) and the wording that says a response must not be
//! disseminated (`restrictions.toml`). Built in at compile time, checked
//! once when first used.

use crate::error::{Error, Result};
use crate::record::Dissemination;
use crate::templates::builtin_toml;
use crate::text::key;
use serde::Deserialize;
// FxHash: every word of every cell is looked up here; the keys are the
// vocabularies' own words, so there is no flooding to defend against.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::OnceLock;

const FLAGS: &str = builtin_toml!(include_str!("../../../templates/flags.toml"));
const LABELS: &str = builtin_toml!(include_str!("../../../templates/labels.toml"));
const RESTRICTIONS: &str = builtin_toml!(include_str!("../../../templates/restrictions.toml"));
const TALLIES: &str = builtin_toml!(include_str!("../../../templates/tallies.toml"));

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
    let (mut yes, mut no) = (HashSet::default(), HashSet::default());
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
    pub contact_point: HashSet<String>,
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
        contact_point: fold(raw.contact_point),
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
    guidance: RawGuidance,
    language: Vec<RestrictionLanguage>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGuidance {
    conditions: Vec<String>,
    instructions: Vec<String>,
    headings: Vec<String>,
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
    conditions: HashMap<String, Vec<Entry>>,
    instructions: HashMap<String, Vec<Entry>>,
    headings: Vec<String>,
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
        self.find_in_key(&key(text), place, mask).or_else(|| {
            // A marking disguised (look-alike letters, spelt out, zero-width
            // characters inside) still marks: searched a second time undone.
            match crate::text::undisguised(text) {
                std::borrow::Cow::Owned(plain) if plain != text => {
                    self.find_in_key(&key(&plain), place, mask)
                }
                _ => None,
            }
        })
    }

    fn find_in_key(&self, folded: &str, place: Place, mask: &Mask) -> Option<&str> {
        let lists: &[&HashMap<String, Vec<Entry>>] = match place {
            Place::Answer => &[&self.phrases],
            Place::Label => &[&self.phrases, &self.words],
        };
        // Most cells hold no word that starts a wording: masking only takes
        // matches away, so such a cell has none (and nothing is allocated).
        let mut words = folded.split(' ').filter(|t| !t.is_empty());
        if !words.any(|t| lists.iter().any(|list| list.contains_key(t))) {
            return None;
        }
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

impl Restrictions {
    /// Whether restriction wording in `text` is guidance on how to fill in
    /// the flag rather than a marking: every sentence that holds wording
    /// states a condition and tells which flag word to write (see
    /// `[guidance]` in templates/restrictions.toml), or the text stands in
    /// a sheet of instructions (`sheet`, its name). Any doubt: a marking.
    pub fn is_guidance(&self, text: &str, sheet: Option<&str>) -> bool {
        if let Some(name) = sheet {
            let k = key(name);
            if self
                .headings
                .iter()
                .any(|h| format!(" {k} ").contains(&format!(" {h} ")))
            {
                return true;
            }
        }
        // Each sentence with wording must be guidance, and what is left
        // once they are set aside must hold none (a marking spelt across
        // sentences, "N.O.T. F.O.R. …", is still one).
        let mut rest = String::new();
        let mut guided = false;
        for sentence in text.split(['.', ';', '!', '\n', '?']) {
            if self.find(sentence, Place::Label).is_none() {
                rest.push_str(sentence);
                rest.push(' ');
            } else if self.guidance_sentence(sentence) {
                guided = true;
            } else {
                return false;
            }
        }
        guided && self.find(&rest, Place::Label).is_none()
    }

    /// A sentence that states a condition holding the wording ("if your
    /// response is not for wider dissemination") and says which flag word
    /// to write: no wording before the condition ("Not for wider
    /// dissemination – mark No if compiled" is a marking).
    fn guidance_sentence(&self, sentence: &str) -> bool {
        let k = key(sentence);
        let tokens: Vec<&str> = k.split(' ').filter(|t| !t.is_empty()).collect();
        let none = vec![false; tokens.len()];
        let starts = |list: &HashMap<String, Vec<Entry>>, i: usize| {
            list.get(tokens[i])
                .into_iter()
                .flatten()
                .find(|e| e.at(&tokens, &none, i))
                .map(|e| e.words.len())
        };
        let Some(condition) = (0..tokens.len()).find(|&i| starts(&self.conditions, i).is_some())
        else {
            return false;
        };
        let before = tokens[..condition].join(" ");
        if self
            .find_in_key(&before, Place::Label, &Mask::default())
            .is_some()
        {
            return false;
        }
        (0..tokens.len()).any(|i| {
            starts(&self.instructions, i).is_some_and(|n| {
                tokens[i + n..]
                    .iter()
                    .take(3)
                    .any(|w| flag_words().meaning(w).is_some())
            })
        })
    }
}

fn index(entries: impl Iterator<Item = String>) -> HashMap<String, Vec<Entry>> {
    let mut map: HashMap<String, Vec<Entry>> = HashMap::default();
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
        conditions: index(raw.guidance.conditions.into_iter()),
        instructions: index(raw.guidance.instructions.into_iter()),
        headings: raw.guidance.headings.iter().map(|h| key(h)).collect(),
        phrases: index(phrases.into_iter().flatten()),
        words: index(words.into_iter().flatten()),
    })
}

/// The restriction wording (`templates/restrictions.toml`).
pub fn restrictions() -> &'static Restrictions {
    static R: OnceLock<Restrictions> = OnceLock::new();
    R.get_or_init(|| load_restrictions().unwrap_or_else(|e| panic!("{e}")))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTallies {
    openers: Vec<String>,
    subjects: Vec<String>,
    adverbs: Vec<String>,
    negations: Vec<String>,
    not_after: Vec<String>,
    contrasts: Vec<String>,
    counted_no: String,
    unclear: String,
    unclear_contrast: String,
}

/// The words that count a yes-no answer as No without a leading "No"
/// (`templates/tallies.toml`), and the notes saying how it was counted.
#[derive(Debug)]
pub struct TallyWords {
    openers: Vec<Entry>,
    subjects: Vec<Entry>,
    adverbs: Vec<Entry>,
    negations: Vec<Entry>,
    not_after: HashSet<String>,
    contrasts: Vec<Entry>,
    pub counted_no: String,
    pub unclear: String,
    pub unclear_contrast: String,
}

/// What the opening of a yes-no answer says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opening<'w> {
    /// A plain negative opening: these words (as `tallies.toml` writes them)
    /// decided it.
    No { words: &'w str },
    /// A negative opening, then a word that turns towards a yes.
    Contrast { words: &'w str, word: &'w str },
    /// Nothing this module can count.
    Unclear,
}

impl TallyWords {
    /// How `text` opens, for a response from the country called `names`
    /// (its name and aliases).
    pub fn opening(&self, text: &str, names: &[&str]) -> Opening<'_> {
        let folded = key(text);
        let tokens: Vec<&str> = folded.split(' ').filter(|t| !t.is_empty()).collect();
        let none = vec![false; tokens.len()];
        let at = |e: &Entry, i: usize| e.at(&tokens, &none, i).then(|| i + e.words.len());
        // The longest entry of `list` at `i`, and where it ends.
        let longest = |list: &[Entry], i: usize| list.iter().filter_map(|e| at(e, i)).max();
        let skip_adverbs = |mut i: usize| {
            while let Some(end) = longest(&self.adverbs, i) {
                i = end;
            }
            i
        };
        let mut i = 0;
        while let Some(end) = longest(&self.openers, i) {
            i = end;
        }
        if tokens.get(i) == Some(&"the") {
            i += 1;
        }
        let named: Vec<Entry> = names.iter().map(|n| Entry::new(n)).collect();
        let Some(end) = longest(&self.subjects, i).max(longest(&named, i)) else {
            return Opening::Unclear;
        };
        // The negation, adverbs allowed before and between its words.
        let negation = self.negations.iter().find_map(|e| {
            let mut j = end;
            for w in &e.words {
                j = skip_adverbs(j);
                if tokens.get(j) != Some(&w.as_str()) {
                    return None;
                }
                j += 1;
            }
            Some((e, j))
        });
        let Some((negation, after)) = negation else {
            return Opening::Unclear;
        };
        let next = skip_adverbs(after);
        if tokens
            .get(next)
            .is_some_and(|t| self.not_after.contains(*t))
        {
            return Opening::Unclear;
        }
        let words = negation.written.as_str();
        for j in after..tokens.len() {
            if let Some(c) = self.contrasts.iter().find(|c| at(c, j).is_some()) {
                return Opening::Contrast {
                    words,
                    word: &c.written,
                };
            }
        }
        Opening::No { words }
    }
}

fn load_tallies() -> Result<TallyWords> {
    let raw: RawTallies = toml::from_str(TALLIES).map_err(|e| Error::BuiltIn {
        name: "templates/tallies.toml",
        message: e.to_string(),
    })?;
    let entries = |list: Vec<String>| list.iter().map(|w| Entry::new(w)).collect::<Vec<_>>();
    Ok(TallyWords {
        openers: entries(raw.openers),
        subjects: entries(raw.subjects),
        adverbs: entries(raw.adverbs),
        // Longest first: "has not had" before "has no" would not matter, but
        // "has been no" must not lose to a shorter entry that also fits.
        negations: {
            let mut n = entries(raw.negations);
            n.sort_by_key(|e| std::cmp::Reverse(e.words.len()));
            n
        },
        not_after: raw.not_after.iter().map(|w| key(w)).collect(),
        contrasts: entries(raw.contrasts),
        counted_no: raw.counted_no,
        unclear: raw.unclear,
        unclear_contrast: raw.unclear_contrast,
    })
}

/// The tally words (`templates/tallies.toml`).
pub fn tally_words() -> &'static TallyWords {
    static T: OnceLock<TallyWords> = OnceLock::new();
    T.get_or_init(|| load_tallies().unwrap_or_else(|e| panic!("{e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Dissemination::*;

    #[test]
    fn the_built_in_vocabularies_load() {
        load_flags().unwrap();
        load_restrictions().unwrap();
        load_tallies().unwrap();
        let l = load_labels().unwrap();
        assert!(l.country.contains("country") && l.plain_flag.contains("wider dissemination"));
    }

    /// Issue 19, 6: the network's own wording, and markings disguised with
    /// look-alike letters, spelt out, or with zero-width characters inside.
    #[test]
    fn the_statements_wording_and_disguised_markings_are_restrictions() {
        let r = restrictions();
        for text in [
            "We request that this response is not disseminated further.",
            "This answer should not be disseminated further",
            "Not to be disseminated",
            "This reply should not be circulated.",
            "Not for circulation",
            "For internal use of the NCPs",
            "C o n f i d e n t i a l",
            "N O T  F O R  W I D E R  D I S S E M I N A T I O N",
            "\u{421}\u{43e}nfidential",
            "C\u{200b}onfidential",
            "Conf\u{ad}idential",
            "\u{39d}\u{39f}T for wider dissemination",
        ] {
            assert!(
                r.find(text, Place::Label).is_some(),
                "not found in {text:?}"
            );
        }
        // The statement itself, as ahq writes it for a withheld response, is not one.
        let statement = "This EMN NCP has provided a response to the requesting EMN NCP. \
                         However, they have requested that it is not disseminated further.";
        assert_eq!(r.find(statement, Place::Label), None);
        // Nor a plain word spelt with spaces that spells nothing.
        assert_eq!(r.find("a b c d", Place::Label), None);
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
    fn guidance_holds_its_wording_inside_the_condition_and_names_the_flag_word() {
        let r = restrictions();
        for text in [
            "If your response is not for wider dissemination, write No in the cell below.",
            "Select No if the response must not be disseminated further.",
        ] {
            assert!(r.is_guidance(text, None), "{text}");
        }
        for text in [
            "Not for wider dissemination – please mark No if compiled.",
            "If possible, please do not disseminate our reply further.",
            "Confidential: when we answer, no data may be shared.",
        ] {
            assert!(!r.is_guidance(text, None), "{text}");
        }
    }

    #[test]
    fn the_templates_own_instructions_are_not_a_restriction() {
        let network = crate::network::Network::builtin("emn").unwrap().unwrap();
        let instructions =
            crate::templates::instructions(network, None, Some("check-your-response.html"));
        assert_eq!(
            restrictions().find(&instructions, Place::Label),
            None,
            "{instructions}"
        );
        let statement = crate::templates::statement(network);
        assert_eq!(restrictions().find(&statement, Place::Label), None);
    }

    /// The sample's plain negative openings count as No, with the words
    /// that decided it; near misses stay unclear.
    #[test]
    fn plain_negative_openings_are_no_and_near_misses_stay_unclear() {
        let t = tally_words();
        let no = |text: &str, names: &[&str]| match t.opening(text, names) {
            Opening::No { words } => words.to_string(),
            other => panic!("{text}: {other:?}"),
        };
        assert_eq!(
            no(
                "Finland does not currently have, nor has ever had in the past, any mobility partnerships.",
                &["Finland"]
            ),
            "does not have"
        );
        assert_eq!(
            no("Until now Slovenia had no such partnership.", &["Slovenia"]),
            "had no"
        );
        assert_eq!(
            no(
                "Sweden has not so far had partnership with any third countries.",
                &["Sweden"]
            ),
            "has not had"
        );
        assert_eq!(
            no(
                "Currently there are no specific bilateral agreements concluded.",
                &["Slovak Republic"]
            ),
            "are no"
        );
        assert_eq!(
            no(
                "The Slovak Republic has no Migration Partnership.",
                &["Slovak Republic"]
            ),
            "has no"
        );
        assert_eq!(no("There is no such partnership.", &["Malta"]), "is no");
        assert_eq!(no("Malta doesn't have one.", &["Malta"]), "doesn t have");
        for unclear in [
            "There is no doubt that Malta has a partnership with Libya.",
            "While the Grand Duchy of Luxembourg does not have a Migration Partnership, it is signatory to …",
            "The Netherlands does have a Migration Partnership.",
            "Malta has no other partnership than with Libya.",
            "Malta has no longer a partnership with Libya.",
            "Portugal does not have a partnership: it is Malta that has.",
            "In the framework of the Global Approach, Malta has no partnership.",
            "Malta is not only a partner but a leader.",
            "No.",
            "",
        ] {
            assert_eq!(
                t.opening(unclear, &["Malta"]),
                Opening::Unclear,
                "{unclear}"
            );
        }
        assert_eq!(
            t.opening(
                "Lithuania does not have any bilateral migration partnership with third countries. \
                 Lithuania only participates in mobility partnerships with Moldova and Georgia.",
                &["Lithuania"]
            ),
            Opening::Contrast {
                words: "does not have",
                word: "only"
            }
        );
    }
}
