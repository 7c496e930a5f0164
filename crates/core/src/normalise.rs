//! Normalising a located response into a [`Record`]: the country, the flag,
//! one tidied answer per question (splitting numbered single-cell answers),
//! and a finding for everything a person should know or fix.

use crate::country::{Countries, Country, suggestion};
use crate::dissemination::parse_flag;
use crate::layout::{Found, HintSource, LayoutKind, RawResponse};
use crate::query::{Query, QuestionType};
use crate::record::{
    Answer, CountryRef, Dissemination, Extra, Finding, Flag, Location, Original, Record, YesNo,
};
use crate::templates::fill_values;
use crate::text::{first_line, key, leading_yes_no, tidy};
use crate::vocabulary::Opening;

/// Where a response came from, for the record.
pub struct Source<'a> {
    pub file: &'a str,
    pub sha256: &'a str,
    /// Restriction wording in the file that bears on this response.
    pub restricted: &'a [crate::restriction::Restricted],
}

/// The record for one located response. The country and flag are `None`
/// when they could not be read; an error finding then says why.
pub fn normalise(raw: &RawResponse, query: &Query, countries: &Countries, src: &Source) -> Record {
    let mut findings = raw.findings.clone();
    // Said where they stand: the controls and direction overrides that
    // `tidy` leaves out of every output.
    let texts = raw
        .country
        .iter()
        .chain(raw.flag.iter())
        .chain(raw.slots.iter().filter_map(|s| s.value.as_ref()))
        .chain(raw.whole.iter())
        .chain(raw.extra.iter())
        .chain(raw.contact.iter())
        .chain(raw.date.iter());
    for f in texts {
        let n = crate::text::unsafe_count(&f.text);
        if n > 0 {
            findings.push(Finding::warning(
                format!(
                    "this cell holds {n} control or text-direction character{} (such as ESC or \
                     U+202E), left out of the compilation: check the text reads as meant",
                    if n == 1 { "" } else { "s" }
                ),
                Some(f.at.clone()),
            ));
        }
    }
    let (country, country_as_written, country_source) =
        country(raw, query, countries, src.file, &mut findings);
    let dissemination = flag(raw, query, &mut findings)
        .and_then(|f| not_contradicted(f, src.restricted, &mut findings))
        .and_then(|f| no_stray_no(f, raw, &mut findings));
    // The names an answer may open with ("Finland does not have …").
    let names: Vec<&str> = country
        .as_ref()
        .and_then(|c| countries.by_code(&c.code))
        .map(|c| {
            std::iter::once(c.name.as_str())
                .chain(c.aliases.iter().map(String::as_str))
                .collect()
        })
        .unwrap_or_default();
    let (answers, original) = answers(raw, query, &names, &mut findings);
    // A response holding text in which no answer was found is not ready to
    // send, and not a reading to compile: the answers are somewhere ahq did
    // not look. (One with no text at all is "empty", said per question.)
    if answers.iter().all(|a| a.text.trim().is_empty()) && !raw.extra.is_empty() {
        findings.push(Finding::error(
            format!(
                "no answer to any question was found, and the text that is there stands under \
                 no question ({}): type each answer beside or under its question's number (or in \
                 the query's template), then check again",
                raw.extra
                    .iter()
                    .take(3)
                    .map(|f| f.at.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Some(raw.country_at.clone()),
        ));
    }
    Record {
        country,
        country_as_written,
        country_source,
        dissemination,
        answers,
        original,
        extra: raw
            .extra
            .iter()
            .map(|f| Extra {
                text: tidy(&f.text),
                source: f.at.clone(),
            })
            .filter(|e| !e.text.is_empty())
            .collect(),
        contact: raw
            .contact
            .as_ref()
            .map(|c| tidy(&c.text))
            .filter(|c| !c.is_empty()),
        date: raw
            .date
            .as_ref()
            .map(|d| tidy(&d.text))
            .filter(|d| !d.is_empty()),
        file: src.file.to_string(),
        sha256: src.sha256.to_string(),
        findings,
        superseded: None,
    }
}

/// A country as one source names it.
struct Named<'c> {
    country: &'c Country,
    /// "the country cell", "the sheet's name", "the file name".
    source: String,
    text: String,
    at: Option<Location>,
}

/// Whether a line reads as a response's title ("Response of the Belgian EMN
/// NCP"), not a subject ("Mobility Partnership with Moldova").
fn is_response_title(text: &str) -> bool {
    let words = format!(" {} ", key(text));
    crate::vocabulary::labels()
        .title_cues
        .iter()
        .any(|cue| words.contains(&format!(" {cue} ")))
}

/// The other places that name a country, in the order they count: the
/// layout's hints (a matrix header, the sheet's name, a title line), then
/// the file's name. A title or file name that names the requesting country
/// names the query, not the sender, and is passed over.
fn inferred<'c>(
    raw: &RawResponse,
    query: &Query,
    countries: &'c Countries,
    file: &str,
) -> Vec<Named<'c>> {
    let mut out: Vec<Named<'c>> = Vec::new();
    let requester = query.requested_by.code.as_str();
    for h in &raw.hints {
        let country = match h.source {
            HintSource::MatrixHeader | HintSource::SheetName => countries.find(&h.text),
            HintSource::Title if is_response_title(&h.text) => {
                match countries.named_in(&h.text, false).as_slice() {
                    [one] if one.code != requester => Some(*one),
                    _ => None,
                }
            }
            HintSource::Title => None,
        };
        if let Some(country) = country {
            out.push(Named {
                country,
                source: h.source.describe().to_string(),
                text: h.text.clone(),
                at: h.at.clone(),
            });
        }
    }
    // A table holds many countries: its file name names none of them.
    if raw.layout != LayoutKind::Table
        && let Some(code) = countries.in_file_name(std::path::Path::new(file))
        && code != requester
        && let Some(country) = countries.by_code(&code)
    {
        let name = std::path::Path::new(file)
            .file_name()
            .map_or(file.to_string(), |n| n.to_string_lossy().into_owned());
        out.push(Named {
            country,
            source: "the file name".into(),
            text: name,
            at: None,
        });
    }
    out
}

/// The country decided in decisions.toml for this file: it stands, and the
/// file's own word is said beside it (a warning when it names another).
fn decided_country(
    decided: &crate::decisions::Decided<String>,
    raw: &RawResponse,
    others: &[Named],
    countries: &Countries,
    written: String,
    at: Location,
    findings: &mut Vec<Finding>,
) -> (Option<CountryRef>, String, Location) {
    let Some(chosen) = countries.by_code(&decided.value) else {
        return (None, written, at);
    };
    if raw.layout == LayoutKind::Table {
        findings.push(Finding::error(
            format!(
                "{} gives this file's country, but it holds a table of countries: a country \
                 is decided for a file of one response; remove the line",
                decided.cite()
            ),
            Some(at.clone()),
        ));
        return (None, written, at);
    }
    let mut said: Vec<String> = Vec::new();
    if !written.is_empty() {
        said.push(format!(
            "the country cell says \"{}\"",
            first_line(&written, 60)
        ));
    }
    said.extend(
        others
            .iter()
            .map(|o| format!("{} says {}", o.source, o.country.name)),
    );
    let disagrees = countries
        .resolve(&written)
        .is_ok_and(|c| c.code != chosen.code)
        || others.iter().any(|o| o.country.code != chosen.code);
    let message = format!(
        "compiled as {}'s response, as decided in {}{}",
        chosen.name,
        decided.cite(),
        if said.is_empty() {
            String::new()
        } else {
            format!(" ({})", said.join("; "))
        }
    );
    findings.push(if disagrees {
        Finding::warning(message, Some(at.clone()))
    } else {
        Finding::info(message, Some(at.clone()))
    });
    (Some(chosen.to_ref()), written, at)
}

fn country(
    raw: &RawResponse,
    query: &Query,
    countries: &Countries,
    file: &str,
    findings: &mut Vec<Finding>,
) -> (Option<CountryRef>, String, Location) {
    let at = raw
        .country
        .as_ref()
        .map_or(raw.country_at.clone(), |c| c.at.clone());
    let written = raw
        .country
        .as_ref()
        .map(|c| tidy(&c.text))
        .unwrap_or_default();
    let others = inferred(raw, query, countries, file);
    if let Some(decided) = query.decisions.file(file).and_then(|d| d.country.as_ref()) {
        return decided_country(decided, raw, &others, countries, written, at, findings);
    }
    let (chosen, at) = if written.is_empty() {
        // No country cell, or a blank one: the first other source, said.
        let Some(first) = others.first() else {
            findings.push(Finding::error(
                if raw.country_label {
                    "the country cell is empty: write your country's name (for example Belgium) or its two-letter code"
                } else {
                    "no cell says which country this response is from: add a row \"Country\" with your \
                     country's name (for example Belgium) beside it"
                },
                Some(at.clone()),
            ));
            return (None, written, at);
        };
        findings.push(Finding::warning(
            format!(
                "the country is taken from {} (\"{}\"): {}; write it in a \"Country\" cell to be sure",
                first.source,
                first_line(&first.text, 60),
                first.country.name
            ),
            first.at.clone().or(Some(at.clone())),
        ));
        (first.country, first.at.clone().unwrap_or(at))
    } else {
        match countries.resolve(&written) {
            Ok(c) => (c, at),
            Err(near) => {
                let named = countries.named_in(&written, true);
                let message = if named.len() > 1 {
                    format!(
                        "\"{written}\" names {} countries ({}): a response is one country's; \
                         write one, and send each other country's response on its own",
                        named.len(),
                        named
                            .iter()
                            .map(|c| c.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                } else {
                    // The way out that leaves the file as it came.
                    let code = near
                        .first()
                        .and_then(|n| countries.resolve(n).ok())
                        .or_else(|| {
                            countries
                                .in_file_name(std::path::Path::new(file))
                                .and_then(|c| countries.by_code(&c))
                        })
                        .map_or("CODE", |c| c.code.as_str());
                    format!(
                        "\"{written}\" is not a country ahq knows: {}; if you received this \
                         file and know whose it is, add this line to {} in the query folder \
                         rather than editing it: {}",
                        suggestion(&near),
                        crate::decisions::FILE_NAME,
                        crate::decisions::file_line(file, "country", &format!("\"{code}\""))
                    )
                };
                findings.push(Finding::error(message, Some(at.clone())));
                return (None, written, at);
            }
        }
    };
    // Every source must agree with the one chosen.
    let chose = if written.is_empty() {
        others.first().map_or(String::new(), |o| o.source.clone())
    } else {
        "the country cell".to_string()
    };
    for o in others.iter().filter(|o| o.country.code != chosen.code) {
        findings.push(Finding::error(
            format!(
                "{chose} says {} but {} (\"{}\") says {}: make them agree, so that the response \
                 is compiled under the right country",
                chosen.name,
                o.source,
                first_line(&o.text, 60),
                o.country.name
            ),
            o.at.clone().or(Some(at.clone())),
        ));
    }
    if others.iter().any(|o| o.country.code != chosen.code) {
        return (None, written, at);
    }
    if !query.expected.contains(&chosen.code) {
        findings.push(Finding::warning(
            format!(
                "{} is not among the countries expected to answer this query ({}): check the country cell",
                chosen.name,
                expected_basis(query)
            ),
            Some(at.clone()),
        ));
    }
    (Some(chosen.to_ref()), written, at)
}

/// Why these countries are expected, for messages.
pub fn expected_basis(query: &Query) -> String {
    let d = query.requested_on;
    format!(
        "the {} on {}-{:02}-{:02}",
        query.network.name, d.year, d.month, d.day
    )
}

/// A default Yes stands only when no cell under no label says No: a flag
/// whose label was not recognised ("May we share it? | No") leaves its No
/// as other information or a title line, and that No is never overruled.
fn no_stray_no(flag: Flag, raw: &RawResponse, findings: &mut Vec<Finding>) -> Option<Flag> {
    if flag.given || flag.value == Dissemination::No {
        return Some(flag);
    }
    let titles = raw
        .hints
        .iter()
        .filter(|h| h.source == HintSource::Title)
        .map(|h| (h.text.as_str(), h.at.clone()));
    let extras = raw
        .extra
        .iter()
        .map(|f| (f.text.as_str(), Some(f.at.clone())));
    // A No alone, or after a label ahq does not know ("Vidare spridning: Nej").
    let says_no = |text: &str| {
        let no = |t: &str| parse_flag(t.trim()) == Ok(Some(Dissemination::No));
        no(text)
            || text
                .rsplit_once([':', '?'])
                .is_some_and(|(_, tail)| no(tail))
    };
    let stray = titles.chain(extras).find(|(text, _)| says_no(text));
    let Some((text, at)) = stray else {
        return Some(flag);
    };
    findings.push(Finding::error(
        format!(
            "\"{}\" stands under no label while the wider-dissemination flag is not given, so \
             the default Yes would apply: if it answers \"Wider Dissemination?\", put it beside \
             that label; otherwise write Yes or No beside the label",
            text.trim()
        ),
        at,
    ));
    None
}

/// The text of a flag label after its word "dissemination", as written
/// (boxes and marks kept, which the loose key would drop).
fn after_dissemination(label: &str) -> &str {
    let lower = label.to_ascii_lowercase();
    // ASCII lowering keeps every byte where it was: the index holds for `label`.
    lower
        .rfind("dissemination")
        .map_or("", |i| label[i + "dissemination".len()..].trim())
}

/// A Yes, given or by default, stands only when nothing in the file says
/// otherwise: restriction wording against it is an error that names the
/// cell and quotes it, and the response is not for wider dissemination
/// until someone decides. Against a No there is nothing to say.
fn not_contradicted(
    flag: Flag,
    restricted: &[crate::restriction::Restricted],
    findings: &mut Vec<Finding>,
) -> Option<Flag> {
    // Guidance on filling in the flag ("if …, write No") is said, and stops nothing.
    for r in restricted.iter().filter(|r| r.guidance) {
        findings.push(Finding::info(
            format!(
                "{} says \"{}\" (\"{}\"): read as guidance on filling in the flag, not as a \
                 marking of this response",
                r.place, r.quote, r.wording
            ),
            r.at.clone(),
        ));
    }
    let marks: Vec<&crate::restriction::Restricted> =
        restricted.iter().filter(|r| !r.guidance).collect();
    if flag.value == Dissemination::No || marks.is_empty() {
        return Some(flag);
    }
    let how = if flag.given {
        format!(
            "the flag{} says Yes",
            flag.source
                .as_ref()
                .map_or(String::new(), |s| format!(" in {}", s.cell()))
        )
    } else {
        "the flag is blank (the default would be Yes)".to_string()
    };
    for r in marks.iter().take(3) {
        findings.push(Finding::error(
            format!(
                "{} says \"{}\" (\"{}\") but {how}: set the flag to No if the response must \
                 not be disseminated further; if it may be, remove or reword those words",
                r.place, r.quote, r.wording
            ),
            r.at.clone(),
        ));
    }
    None
}

fn flag(raw: &RawResponse, query: &Query, findings: &mut Vec<Finding>) -> Option<Flag> {
    let default = query.default_dissemination;
    if let Some(e) = &raw.flag_error {
        findings.push(e.clone());
        return None;
    }
    if let Some(f) = &raw.flag {
        // What the cell shows is not known, or not a word: never a default.
        if let Some(formula) = &f.formula {
            findings.push(Finding::error(
                format!(
                    "the wider-dissemination cell holds a formula ({}) saved without its result, \
                     so what it says is unknown: type Yes or No in it",
                    first_line(formula, 60)
                ),
                Some(f.at.clone()),
            ));
            return None;
        }
        if f.error {
            findings.push(Finding::error(
                format!(
                    "the wider-dissemination cell holds the spreadsheet error {}: type Yes or No in it",
                    f.text.trim()
                ),
                Some(f.at.clone()),
            ));
            return None;
        }
    }
    let Some(at) = raw.flag_at.clone() else {
        findings.push(Finding::warning(
            format!(
                "there is no \"Wider Dissemination?\" cell, so the query's default ({}) applies: \
                 add one with Yes or No to decide it yourself",
                default.label()
            ),
            Some(raw.country_at.clone()),
        ));
        return Some(Flag {
            value: default,
            given: false,
            source: None,
        });
    };
    let text = raw.flag.as_ref().map_or("", |f| f.text.as_str());
    if text.trim().is_empty()
        && let Some(label) = &raw.flag_label
    {
        // The answer typed into the label cell ("Wider dissemination: No",
        // "Wider dissemination: ☐ Yes ☒ No"), or a label that says more than a
        // label ("Not for wider dissemination"): read the one, refuse the
        // other; never the default. In a table the label is a column's
        // heading, and says nothing of any row.
        let k = key(&label.text);
        let after = after_dissemination(&label.text);
        let in_heading = matches!(raw.layout, LayoutKind::Table | LayoutKind::Matrix);
        match parse_flag(after) {
            Ok(Some(value)) if !in_heading => {
                return Some(Flag {
                    value,
                    given: true,
                    source: Some(label.at.clone()),
                });
            }
            Err(message) if !in_heading && crate::dissemination::has_boxes(after) => {
                findings.push(Finding::error(message, Some(label.at.clone())));
                return None;
            }
            _ => {}
        }
        if !crate::vocabulary::labels().plain_flag.contains(&k)
            || crate::dissemination::has_boxes(after)
        {
            findings.push(Finding::error(
                format!(
                    "the label \"{}\" has no Yes or No beside it: write Yes or No in {at}",
                    label.text.trim()
                ),
                Some(label.at.clone()),
            ));
            return None;
        }
    }
    match parse_flag(text) {
        Ok(Some(value)) => Some(Flag {
            value,
            given: true,
            source: Some(at),
        }),
        Ok(None) => {
            findings.push(Finding::warning(
                format!(
                    "the wider-dissemination cell is blank, so the query's default ({}) applies: \
                     write Yes or No to decide it yourself",
                    default.label()
                ),
                Some(at.clone()),
            ));
            Some(Flag {
                value: default,
                given: false,
                source: Some(at),
            })
        }
        Err(message) => {
            findings.push(Finding::error(message, Some(at)));
            None
        }
    }
}

/// A usable answer text from a found cell, or a finding saying why not.
fn answer_text(found: &Found, qid: &str, findings: &mut Vec<Finding>) -> Option<String> {
    if let Some(formula) = found
        .formula
        .as_ref()
        .filter(|_| found.text.trim().is_empty())
    {
        findings.push(Finding::warning(
            format!(
                "the answer to question {qid} is a formula ({}) saved without its result, so \
                 what it says is unknown: type the answer itself",
                first_line(formula, 60)
            ),
            Some(found.at.clone()),
        ));
        return None;
    }
    if found.error {
        findings.push(Finding::warning(
            format!(
                "the answer to question {qid} is the spreadsheet error {}, not text: type the answer itself",
                found.text.trim()
            ),
            Some(found.at.clone()),
        ));
        return None;
    }
    let t = tidy(&found.text);
    (!t.is_empty()).then_some(t)
}

fn answers(
    raw: &RawResponse,
    query: &Query,
    names: &[&str],
    findings: &mut Vec<Finding>,
) -> (Vec<Answer>, Option<Original>) {
    let mut by_question: Vec<Option<Answer>> = vec![None; query.questions.len()];
    for slot in &raw.slots {
        let q = &query.questions[slot.question];
        let Some(found) = &slot.value else { continue };
        let Some(text) = answer_text(found, &q.id, findings) else {
            continue;
        };
        match &mut by_question[slot.question] {
            // A question labelled twice: both texts kept, in reading order.
            Some(a) => {
                a.text.push('\n');
                a.text.push_str(&text);
            }
            none => {
                *none = Some(Answer {
                    question_id: q.id.clone(),
                    text,
                    source: found.at.clone(),
                    yes_no: None,
                    together_with: None,
                })
            }
        }
    }

    let mut original = None;
    if let Some(whole) = &raw.whole
        && let Some(text) = answer_text(whole, "(all questions)", findings)
    {
        let any_slot = by_question.iter().any(Option::is_some);
        let ids: Vec<String> = query.questions.iter().map(|q| q.id.clone()).collect();
        let parts = if any_slot {
            None
        } else {
            crate::numbered::split(&text, &ids)
        };
        let split = match parts {
            Some(parts) => {
                let mut named = Vec::new();
                for part in parts {
                    for (k, id) in part.ids.iter().enumerate() {
                        named.push(id.clone());
                        let i = query
                            .questions
                            .iter()
                            .position(|q| &q.id == id)
                            .expect("split names query ids");
                        if !part.text.is_empty() {
                            by_question[i] = Some(Answer {
                                question_id: id.clone(),
                                text: part.text.clone(),
                                source: whole.at.clone(),
                                yes_no: None,
                                together_with: (k > 0).then(|| part.ids[0].clone()),
                            });
                        }
                    }
                }
                findings.push(Finding::info(
                    format!(
                        "this one cell was split into questions {} by its numbers",
                        join_ids(&named)
                    ),
                    Some(whole.at.clone()),
                ));
                true
            }
            None if any_slot => {
                findings.push(Finding::warning(
                    "this \"Response\" cell comes on top of per-question answers; it is kept as a \
                     general answer: move its text into the questions' cells if it answers them",
                    Some(whole.at.clone()),
                ));
                false
            }
            None => {
                findings.push(Finding::info(
                    "this one cell answers all the questions; it has no numbers 1., 2., ... that follow \
                     the questions, so it stays whole",
                    Some(whole.at.clone()),
                ));
                for (i, q) in query.questions.iter().enumerate() {
                    by_question[i] = Some(Answer {
                        question_id: q.id.clone(),
                        text: text.clone(),
                        source: whole.at.clone(),
                        yes_no: None,
                        together_with: (i > 0).then(|| query.questions[0].id.clone()),
                    });
                }
                false
            }
        };
        original = Some(Original {
            text,
            source: whole.at.clone(),
            split,
        });
    }

    let words = crate::vocabulary::tally_words();
    let mut out = Vec::new();
    for (i, q) in query.questions.iter().enumerate() {
        match by_question[i].take() {
            Some(mut a) => {
                // A yes-no answer without a leading Yes or No is said in the
                // Log: counted No by its words, or unclear, with its first words.
                if q.kind == QuestionType::YesNo {
                    a.yes_no = leading_yes_no(&a.text);
                    let first = first_line(&a.text, 60);
                    let note = |template: &str, values: &[(&str, &str)]| {
                        let mut all = vec![("id", q.id.as_str()), ("first", first.as_str())];
                        all.extend_from_slice(values);
                        Finding::info(fill_values(template, &all), Some(a.source.clone()))
                    };
                    if a.yes_no.is_none() {
                        let opening = words.opening(&a.text, names);
                        let said = match opening {
                            Opening::No { words: w } => {
                                a.yes_no = Some(YesNo::No);
                                note(&words.counted_no, &[("words", w)])
                            }
                            Opening::Contrast { words: w, word } => {
                                note(&words.unclear_contrast, &[("words", w), ("word", word)])
                            }
                            Opening::Unclear => note(&words.unclear, &[]),
                        };
                        findings.push(said);
                    }
                }
                out.push(a);
            }
            None => {
                let at = raw
                    .slots
                    .iter()
                    .find(|s| s.question == i)
                    .map(|s| s.at.clone())
                    .or_else(|| raw.whole.as_ref().map(|w| w.at.clone()));
                let message = match (&at, raw.slots.iter().any(|s| s.question == i)) {
                    (Some(_), true) => format!(
                        "question {} has no answer: type it in this cell, or write \"No answer\" if you have none",
                        q.id
                    ),
                    (Some(_), false) => {
                        format!(
                            "question {} is not answered in the numbered response: add \"{}.\" and its answer to this cell",
                            q.id, q.id
                        )
                    }
                    (None, _) => format!(
                        "question {} has no answer: there is no row or column labelled \"{}\" (\"{}\")",
                        q.id,
                        q.id,
                        first_line(&q.text, 50)
                    ),
                };
                findings.push(Finding::warning(message, at));
            }
        }
    }
    (out, original)
}

fn join_ids(ids: &[String]) -> String {
    match ids {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
