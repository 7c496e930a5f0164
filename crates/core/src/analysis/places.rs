//! The countries running text may name: the network's table
//! (`templates/countries.toml`, with its aliases and adjectives in the
//! network's languages) and every other country (`templates/world.toml`,
//! names in eight languages and English adjectives), each phrase standing
//! for its country; names that stand for more than one country ("Congo")
//! are kept as written.

use super::phrases::{Hit, Phrases};
use crate::error::{Error, Result};
use serde::Deserialize;
use std::sync::OnceLock;

const WORLD: &str = include_str!("../../../../templates/world.toml");

/// What a name stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A country: its code (the EU code for the network's table, ISO 3166
    /// alpha-2 for the others) and the name compilations show.
    Country { code: String, name: String },
    /// A name of several countries, as written in the list.
    Ambiguous(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct World {
    ambiguous: Vec<String>,
    country: Vec<WorldCountry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WorldCountry {
    iso2: String,
    name: String,
    names: Vec<String>,
    adjectives: Vec<String>,
}

/// The names of every country, built once.
pub fn gazetteer() -> Result<&'static Phrases<Place>> {
    static CELL: OnceLock<std::result::Result<Phrases<Place>, String>> = OnceLock::new();
    CELL.get_or_init(build)
        .as_ref()
        .map_err(|message| Error::BuiltIn {
            name: "templates/world.toml",
            message: message.clone(),
        })
}

fn build() -> std::result::Result<Phrases<Place>, String> {
    let world: World = toml::from_str(WORLD).map_err(|e| e.to_string())?;
    let countries = crate::country::Countries::builtin().map_err(|e| e.to_string())?;
    let mut p = Phrases::new();
    let mut add = |phrase: &str, place: Place| {
        // A short name ("USA", "DRC") counts only in capitals: "usa" is
        // not a name in prose.
        let short = crate::text::key(phrase).chars().count() <= 3;
        p.add(phrase, place, short);
    };
    for a in &world.ambiguous {
        add(a, Place::Ambiguous(a.clone()));
    }
    // Not the European Commission: "Commission" is a word of prose.
    for c in countries.all().iter().filter(|c| !c.iso2.is_empty()) {
        let place = Place::Country {
            code: c.code.clone(),
            name: c.name.clone(),
        };
        for w in std::iter::once(&c.name)
            .chain(&c.aliases)
            .chain(&c.adjectives)
            // Codes are never names in prose ("IT", "NO"); short aliases
            // of the network's table are codes in disguise ("UK", "USA").
            .filter(|w| crate::text::key(w).chars().count() > 3)
        {
            add(w, place.clone());
        }
    }
    for c in &world.country {
        if countries.by_code(&c.iso2).is_some() {
            return Err(format!(
                "{} ({}) is in templates/countries.toml already",
                c.name, c.iso2
            ));
        }
        let place = Place::Country {
            code: c.iso2.clone(),
            name: c.name.clone(),
        };
        for w in std::iter::once(&c.name)
            .chain(&c.names)
            .chain(&c.adjectives)
        {
            add(w, place.clone());
        }
    }
    Ok(p)
}

/// The places `text` names, left to right.
pub fn named_in(text: &str) -> Vec<Hit<Place>> {
    named_in_words(&super::phrases::tokens(text))
}

/// The places words already split and folded name, left to right.
pub fn named_in_words(words: &[super::phrases::Token<'_>]) -> Vec<Hit<Place>> {
    gazetteer().map(|g| g.find_in(words)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<String> {
        named_in(text)
            .into_iter()
            .map(|h| match h.what {
                Place::Country { code, .. } => code,
                Place::Ambiguous(w) => format!("?{w}"),
            })
            .collect()
    }

    #[test]
    fn the_world_table_loads() {
        gazetteer().unwrap();
    }

    #[test]
    fn names_adjectives_languages_and_the_longest_name() {
        assert_eq!(
            codes("Guinea-Bissau, Papua New Guinea, Guinea-Conakry and Equatorial Guinea"),
            ["GW", "PG", "GN", "GQ"]
        );
        assert_eq!(
            codes("Moroccan authorities; le Maroc; Marokko"),
            ["MA", "MA", "MA"]
        );
        assert_eq!(codes("the Georgians; Cape Verdean migrants"), ["GE", "CV"]);
        assert_eq!(
            codes("Congo, the DRC and the Republic of the Congo"),
            ["?Congo", "CD", "CG"]
        );
        assert_eq!(codes("Côte d'Ivoire and Cote d’Ivoire"), ["CI", "CI"]);
        // Codes and lower-case short words are not names.
        assert!(codes("it is as it is; usa; NO; IT").is_empty());
        assert_eq!(
            codes("Sudan and South Sudan, Niger and Nigeria"),
            ["SD", "SS", "NE", "NG"]
        );
    }
}
