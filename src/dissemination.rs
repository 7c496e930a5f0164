//! The dissemination policy: reading the "Wider Dissemination?" flag.
//!
//! A flag cell holds yes or no in the sender's language. "NO" here is always
//! No, never Norway: this module never consults the country table.

use crate::record::Dissemination;
use crate::text::key;

/// Words read as Yes, by their loose key (lower case, no diacritics).
const YES: &[&str] = &[
    "yes", "y", "ja", "j", "oui", "si", "tak", "da", "jah", "igen", "kylla", "sim", "ano", "taip",
    "iva", "nai", "ναι", "да", "так", "po",
];

/// Words read as No.
const NO: &[&str] = &[
    "no", "n", "nein", "non", "nie", "ne", "nej", "ei", "nem", "nao", "nee", "neen", "nu", "ochi",
    "οχι", "не", "ні",
];

/// Parses a flag cell. `Ok(None)`: blank (the query's default applies).
/// `Err`: the text is neither yes nor no ("Yes/No", "maybe").
pub fn parse_flag(text: &str) -> Result<Option<Dissemination>, String> {
    let k = key(text);
    if k.is_empty() {
        return Ok(None);
    }
    if YES.contains(&k.as_str()) {
        return Ok(Some(Dissemination::Yes));
    }
    if NO.contains(&k.as_str()) {
        return Ok(Some(Dissemination::No));
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
}
