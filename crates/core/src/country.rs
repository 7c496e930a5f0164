//! Country names and codes, from `templates/countries.toml`.
//!
//! A country is recognised by its EU code, ISO 3166 alpha-2 and alpha-3 codes,
//! its compilation name and the aliases the table lists, in any case and with
//! or without diacritics. Records carry the EU code and the compilation name.

use crate::error::{Error, Result};
use crate::record::CountryRef;
use crate::templates::builtin_toml;
use crate::text::key;
use serde::Deserialize;
// FxHash: every cell that may name a country is looked up here.
use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

const TABLE: &str = builtin_toml!(include_str!("../../../templates/countries.toml"));

#[derive(Debug, Clone, Deserialize)]
pub struct Country {
    /// EU code (EL for Greece, UK for the United Kingdom).
    pub code: String,
    #[serde(default)]
    pub iso2: String,
    #[serde(default)]
    pub iso3: String,
    /// The name compilations use.
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// "Belgian", "belge", "belgischen": how a title line names the country
    /// ("Response of the Belgian EMN NCP").
    #[serde(default)]
    pub adjectives: Vec<String>,
}

impl Country {
    pub fn to_ref(&self) -> CountryRef {
        CountryRef {
            code: self.code.clone(),
            name: self.name.clone(),
        }
    }
}

#[derive(Debug)]
pub struct Countries {
    list: Vec<Country>,
    by_key: HashMap<String, usize>,
    /// Names, aliases and adjectives (no codes): what running text names.
    by_words: HashMap<String, usize>,
}

#[derive(Deserialize)]
struct Table {
    country: Vec<Country>,
}

impl Countries {
    /// The built-in table, parsed once.
    pub fn builtin() -> Result<&'static Countries> {
        static CELL: OnceLock<std::result::Result<Countries, String>> = OnceLock::new();
        CELL.get_or_init(|| Countries::parse(TABLE))
            .as_ref()
            .map_err(|message| Error::BuiltIn {
                name: "templates/countries.toml",
                message: message.clone(),
            })
    }

    fn parse(text: &str) -> std::result::Result<Countries, String> {
        let table: Table = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut by_key = HashMap::default();
        for (i, c) in table.country.iter().enumerate() {
            let names = [&c.code, &c.iso2, &c.iso3, &c.name]
                .into_iter()
                .chain(c.aliases.iter());
            for n in names {
                let k = key(n);
                if k.is_empty() {
                    continue;
                }
                if let Some(j) = by_key.insert(k.clone(), i)
                    && j != i
                {
                    return Err(format!(
                        "\"{n}\" names both {} and {}",
                        table.country[j].name, c.name
                    ));
                }
            }
        }
        let mut by_words = HashMap::default();
        // Not the European Commission ("Commission" is a word of prose).
        for (i, c) in table
            .country
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.iso2.is_empty())
        {
            let words = std::iter::once(&c.name)
                .chain(c.aliases.iter())
                .chain(c.adjectives.iter());
            for w in words {
                let k = key(w);
                // Short words ("uk", "usa") are codes in disguise: not in prose.
                if k.chars().count() <= 3 {
                    continue;
                }
                if let Some(j) = by_words.insert(k.clone(), i)
                    && j != i
                {
                    return Err(format!(
                        "\"{w}\" names both {} and {}",
                        table.country[j].name, c.name
                    ));
                }
            }
        }
        Ok(Countries {
            list: table.country,
            by_key,
            by_words,
        })
    }

    pub fn all(&self) -> &[Country] {
        &self.list
    }

    /// The country with this EU code (exact, upper case).
    pub fn by_code(&self, code: &str) -> Option<&Country> {
        self.list.iter().find(|c| c.code == code)
    }

    /// Recognises a country as a sender writes it. On failure, the nearest
    /// known names, best first, for the message.
    pub fn resolve(&self, text: &str) -> std::result::Result<&Country, Vec<String>> {
        self.find(text).ok_or_else(|| self.nearest(&key(text)))
    }

    /// The country a file name names, if exactly one: "BE.xlsx", "Belgium
    /// reply.xlsx". Short codes count only in capitals, so "is", "at" and
    /// "no" in names are words.
    pub fn in_file_name(&self, path: &std::path::Path) -> Option<String> {
        let stem = path.file_stem()?.to_str()?;
        let words: Vec<&str> = stem
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let mut found: Vec<String> = Vec::new();
        for size in (1..=3).rev() {
            for window in words.windows(size) {
                let phrase = window.join(" ");
                let short = size == 1 && phrase.chars().count() <= 3;
                if short && phrase != phrase.to_uppercase() {
                    continue;
                }
                if !short && key(&phrase).len() <= 3 {
                    continue;
                }
                if let Some(c) = self.find(&phrase)
                    && !found.contains(&c.code)
                {
                    found.push(c.code.clone());
                }
            }
        }
        match found.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        }
    }

    /// [`Countries::resolve`] without the suggestions: for looking, not telling.
    pub fn find(&self, text: &str) -> Option<&Country> {
        let k = key(text);
        if let Some(&i) = self.by_key.get(&k) {
            return Some(&self.list[i]);
        }
        // The country named through its contact point: "EMN NCP Austria",
        // "Austrian EMN NCP", "NCP BE" (templates/labels.toml `contact_point`).
        let words = &crate::vocabulary::labels().contact_point;
        let stripped: Vec<&str> = k.split(' ').filter(|w| !words.contains(*w)).collect();
        if stripped.is_empty() || stripped.len() == k.split(' ').count() {
            return None;
        }
        let rest = stripped.join(" ");
        self.by_key
            .get(&rest)
            .or_else(|| self.by_words.get(&rest))
            .map(|&i| &self.list[i])
    }

    /// The countries a text names, in order, each once: by name, alias or
    /// adjective ("Response of the Belgian EMN NCP"), and, with `codes`, by a
    /// code written in capitals ("BE/LU"). Longest names first, so "Czech
    /// Republic" is one country, not a word and another.
    pub fn named_in(&self, text: &str, codes: bool) -> Vec<&Country> {
        let folded = key(text);
        let tokens: Vec<&str> = folded.split(' ').filter(|t| !t.is_empty()).collect();
        // Capitalised words of the original, for codes.
        let capitals: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| {
                (2..=3).contains(&w.chars().count()) && w.chars().all(|c| c.is_ascii_uppercase())
            })
            .map(str::to_lowercase)
            .collect();
        let mut found: Vec<usize> = Vec::new();
        let mut at = 0;
        while at < tokens.len() {
            let hit = (1..=8.min(tokens.len() - at)).rev().find_map(|n| {
                let phrase = tokens[at..at + n].join(" ");
                let by_code = (codes && n == 1 && capitals.contains(&phrase))
                    .then(|| self.by_key.get(&phrase))
                    .flatten();
                self.by_words.get(&phrase).or(by_code).map(|&i| (i, n))
            });
            match hit {
                Some((i, n)) => {
                    if !found.contains(&i) {
                        found.push(i);
                    }
                    at += n;
                }
                None => at += 1,
            }
        }
        found.into_iter().map(|i| &self.list[i]).collect()
    }

    fn nearest(&self, k: &str) -> Vec<String> {
        let mut scored: Vec<(f64, usize)> = self
            .by_key
            .iter()
            .filter(|(name, _)| name.len() > 3)
            .map(|(name, &i)| (strsim::jaro_winkler(k, name), i))
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut out: Vec<String> = Vec::new();
        for (score, i) in scored {
            let name = &self.list[i].name;
            if score < 0.75 || out.len() == 3 {
                break;
            }
            if !out.contains(name) {
                out.push(name.clone());
            }
        }
        out
    }
}

/// The nearest names as a clause for a message: "did you mean Belgium or Bulgaria?"
pub fn suggestion(nearest: &[String]) -> String {
    match nearest {
        [] => "write the country's English name or its two-letter code".into(),
        [one] => format!("did you mean {one}?"),
        [init @ .., last] => format!("did you mean {} or {last}?", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c() -> &'static Countries {
        Countries::builtin().unwrap()
    }

    fn code(s: &str) -> String {
        c().resolve(s)
            .map(|c| c.code.clone())
            .unwrap_or_else(|_| panic!("{s} not recognised"))
    }

    #[test]
    fn names_variants_and_codes_resolve_to_eu_codes() {
        for (s, want) in [
            ("Czech Republic", "CZ"),
            ("Czechia", "CZ"),
            ("CZE", "CZ"),
            ("Slovak Republic", "SK"),
            ("Slovakia", "SK"),
            ("Netherlands", "NL"),
            ("The Netherlands", "NL"),
            ("Moldova", "MD"),
            ("Republic of Moldova", "MD"),
            ("EL", "EL"),
            ("GR", "EL"),
            ("GRC", "EL"),
            ("Greece", "EL"),
            ("UK", "UK"),
            ("GB", "UK"),
            ("GBR", "UK"),
            ("united kingdom", "UK"),
            ("österreich", "AT"),
            ("Osterreich", "AT"),
            ("BE", "BE"),
            ("be", "BE"),
            ("EMN NCP Belgium", "BE"),
            ("NO", "NO"),
            ("Norway", "NO"),
        ] {
            assert_eq!(code(s), want, "{s}");
        }
    }

    #[test]
    fn compilation_names_are_the_ones_seeds_use() {
        for (s, name) in [
            ("CZ", "Czech Republic"),
            ("SK", "Slovak Republic"),
            ("NL", "Netherlands"),
            ("GB", "United Kingdom"),
        ] {
            assert_eq!(c().resolve(s).unwrap().name, name);
        }
    }

    #[test]
    fn running_text_names_countries_by_name_and_adjective_never_by_lowercase_codes() {
        let names = |t: &str, codes: bool| -> Vec<String> {
            c().named_in(t, codes)
                .iter()
                .map(|c| c.code.clone())
                .collect()
        };
        assert_eq!(names("Response of Belgium to the query", false), ["BE"]);
        assert_eq!(names("Belgium / Luxembourg", false), ["BE", "LU"]);
        assert_eq!(names("BE/LU", true), ["BE", "LU"]);
        assert_eq!(names("it is as it is", true), Vec::<String>::new());
        assert_eq!(names("The Czech Republic replies", false), ["CZ"]);
    }

    #[test]
    fn unknown_country_gets_the_nearest_names() {
        let near = c().resolve("Belgum").unwrap_err();
        assert_eq!(near.first().map(String::as_str), Some("Belgium"));
        assert!(c().resolve("Atlantis").is_err());
        assert!(suggestion(&near).starts_with("did you mean Belgium"));
    }
}
