//! Restriction wording anywhere in a response file: a title, a note, a
//! sheet name, a heading, an answer ("CONFIDENTIAL – do not disseminate
//! further"). It does not decide the flag; it stops a Yes, or a blank that
//! would take the default Yes, until a person decides (see `normalise`).
//!
//! Every sheet is searched, hidden ones and hidden cells included: a
//! restriction nobody sees still says what the sender wanted.

use crate::layout::Located;
use crate::query::Query;
use crate::reading::Workbook;
use crate::record::Location;
use crate::text::first_line;
use crate::vocabulary::{Place, restrictions};
use rustc_hash::FxHashMap as HashMap;

/// Wording that restricts a response, and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Restricted {
    /// "A1", "Sheet1!A1", or the name of a sheet.
    pub place: String,
    pub at: Option<Location>,
    /// The cell's text (its first line, cut).
    pub quote: String,
    /// The wording found, as `templates/restrictions.toml` writes it.
    pub wording: String,
    /// The response whose answer holds it; `None`: the file as a whole.
    pub owner: Option<usize>,
    /// The sentence tells how to fill in the flag ("if …, write No"):
    /// guidance, said as an info, not a marking.
    pub guidance: bool,
}

/// Answers of at most this many words count as labels too: "Confidential"
/// alone under a question is a marking more likely than an answer.
const SHORT: usize = 3;

/// Restriction wording in `wb`, with the responses `located` in it.
pub fn scan(wb: &Workbook, located: &Located, query: &Query, file_name: &str) -> Vec<Restricted> {
    let vocabulary = restrictions();
    // The query's own texts, which every template carries.
    let mut texts: Vec<String> = vec![query.title.clone()];
    texts.extend(query.questions.iter().map(|q| q.text.clone()));
    texts.extend(query.background.iter().cloned());
    let mask = crate::vocabulary::Mask::new(&texts);
    // Answer cells, by location, with the response they belong to.
    let mut answers: HashMap<(Option<&str>, u32, u32), usize> = HashMap::default();
    for (i, r) in located.responses.iter().enumerate() {
        let cells = r
            .slots
            .iter()
            .filter_map(|s| s.value.as_ref())
            .chain(r.whole.as_ref());
        for f in cells {
            answers.insert((f.at.sheet.as_deref(), f.at.row, f.at.col), i);
        }
    }
    let mut out = Vec::new();
    // The file's own name ("BE - CONFIDENTIAL.xlsx").
    let name = std::path::Path::new(file_name)
        .file_stem()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    if let Some(w) = vocabulary.find_masking(&name, Place::Label, &mask) {
        out.push(Restricted {
            place: "the file name".into(),
            at: None,
            quote: name.clone(),
            wording: w.to_string(),
            owner: None,
            guidance: false,
        });
    }
    // Comments, headers and footers, text boxes, properties: never an
    // answer, so any wording there speaks for the whole file.
    for a in &wb.asides {
        if let Some(w) = vocabulary.find_masking(&a.text, Place::Label, &mask) {
            out.push(Restricted {
                place: a.place.clone(),
                at: None,
                quote: first_line(&a.text, 80),
                wording: w.to_string(),
                owner: None,
                guidance: vocabulary.is_guidance(&a.text, None),
            });
        }
    }
    for sheet in &wb.sheets {
        if !sheet.name.is_empty()
            && let Some(w) = vocabulary.find_masking(&sheet.name, Place::Label, &mask)
        {
            out.push(Restricted {
                place: format!("the name of sheet \"{}\"", sheet.name),
                at: None,
                quote: sheet.name.clone(),
                wording: w.to_string(),
                owner: None,
                guidance: false,
            });
        }
        let name = (!sheet.name.is_empty()).then_some(sheet.name.as_str());
        // A merged range is searched once, at its first cell.
        for c in sheet.cells().iter().filter(|c| c.merged_from.is_none()) {
            // Where the cell is said only when it holds wording (as the
            // answers are keyed: by the sheet's name, if it has one).
            let owner = answers.get(&(name, c.row, c.col)).copied();
            // Anything that is not an answer (a title, a note, a heading,
            // other information) is searched for markings too, however long.
            let place = if owner.is_none() || c.text.split_whitespace().count() <= SHORT {
                Place::Label
            } else {
                Place::Answer
            };
            if let Some(w) = vocabulary.find_masking(&c.text, place, &mask) {
                let at = Location::at(sheet, c.row, c.col);
                out.push(Restricted {
                    place: at.to_string(),
                    at: Some(at),
                    quote: first_line(&c.text, 80),
                    wording: w.to_string(),
                    owner,
                    // An instructions sheet is guidance, unless it is the
                    // sheet the answers are read from.
                    guidance: owner.is_none()
                        && vocabulary.is_guidance(&c.text, name.filter(|n| *n != located.sheet)),
                });
            }
        }
    }
    out
}
