//! The fields of cooperation an answer may name (`templates/themes.toml`).

use super::phrases::{Hit, Phrases};
use crate::error::{Error, Result};
use serde::Deserialize;
use std::sync::OnceLock;

const THEMES: &str = include_str!("../../../../templates/themes.toml");

/// One theme, as the compilations name it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    pub id: String,
    pub name: String,
    terms: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    theme: Vec<Theme>,
}

/// The themes in their listed order, and their terms.
pub struct Themes {
    pub list: Vec<Theme>,
    phrases: Phrases<usize>,
}

impl Themes {
    pub fn builtin() -> Result<&'static Themes> {
        static CELL: OnceLock<std::result::Result<Themes, String>> = OnceLock::new();
        CELL.get_or_init(|| {
            let t: Table = toml::from_str(THEMES).map_err(|e| e.to_string())?;
            let mut phrases = Phrases::new();
            for (i, theme) in t.theme.iter().enumerate() {
                if theme.terms.is_empty() {
                    return Err(format!("theme \"{}\" has no terms", theme.id));
                }
                if t.theme[..i].iter().any(|o| o.id == theme.id) {
                    return Err(format!("theme \"{}\" is listed twice", theme.id));
                }
                for term in &theme.terms {
                    phrases.add(term, i, false);
                }
            }
            Ok(Themes {
                list: t.theme,
                phrases,
            })
        })
        .as_ref()
        .map_err(|message| Error::BuiltIn {
            name: "templates/themes.toml",
            message: message.clone(),
        })
    }

    /// The themes `text` names, left to right, as indexes into `list`.
    pub fn named_in(&self, text: &str) -> Vec<Hit<usize>> {
        self.phrases.find(text)
    }

    /// The themes words already split and folded name.
    pub fn named_in_words(&self, words: &[super::phrases::Token<'_>]) -> Vec<Hit<usize>> {
        self.phrases.find_in(words)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<String> {
        let t = Themes::builtin().unwrap();
        t.named_in(text)
            .into_iter()
            .map(|h| t.list[h.what].id.clone())
            .collect()
    }

    #[test]
    fn terms_in_several_languages_stems_and_plurals() {
        assert_eq!(
            ids("Readmission agreements; réadmission; Rückübernahmeabkommen"),
            ["readmission", "readmission", "readmission"]
        );
        assert_eq!(
            ids("counter-trafficking projects and information campaigns"),
            ["trafficking", "information-campaigns"]
        );
        assert_eq!(
            ids("Grenzschutz and border guards"),
            ["border-management", "border-management"]
        );
        // The longest term: "legal migration" is one theme, once.
        assert_eq!(ids("legal migration"), ["legal-labour-migration"]);
        assert_eq!(ids("the smuggling of migrants"), ["smuggling"]);
    }
}
