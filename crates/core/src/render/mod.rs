//! Rendering a compilation to each format: one module per format, all
//! drawing the same texts from here, so the workbook, the Markdown and the
//! CSV never disagree.

pub mod csv;
pub mod docx;
pub mod json;
pub mod markdown;
pub mod xlsx;

use crate::compile::{Compilation, Intake};
use crate::error::Result;
use crate::policy::{Audience, Cell};
use crate::query::Question;
use crate::templates::{self, fill_with, labels, long_date};
use crate::validate::FileReport;
use std::borrow::Cow;

/// One produced file, held in memory until every output is ready (the
/// command line writes them whole or not at all).
#[derive(Debug, Clone)]
pub struct Output {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Which kinds of output a compilation writes (`compile --formats`); the
/// manifest is always written, and names what was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    pub xlsx: bool,
    pub docx: bool,
    pub md: bool,
    /// responses-, partners- and themes-*.csv.
    pub csv: bool,
    /// records.json (what `ahq index`, `ahq diff` and an updated compilation read).
    pub json: bool,
}

impl Formats {
    pub const ALL: Formats = Formats {
        xlsx: true,
        docx: true,
        md: true,
        csv: true,
        json: true,
    };
    pub const NAMES: [&'static str; 5] = ["xlsx", "docx", "md", "csv", "json"];

    /// `xlsx,docx`: the formats named, or the name that is not one.
    pub fn parse(list: &str) -> std::result::Result<Formats, String> {
        let mut f = Formats {
            xlsx: false,
            docx: false,
            md: false,
            csv: false,
            json: false,
        };
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match name.to_ascii_lowercase().as_str() {
                "xlsx" => f.xlsx = true,
                "docx" | "word" => f.docx = true,
                "md" | "markdown" => f.md = true,
                "csv" => f.csv = true,
                "json" => f.json = true,
                _ => {
                    return Err(format!(
                        "\"{name}\" is not an output format: give some of {}, separated by commas",
                        Formats::NAMES.join(", ")
                    ));
                }
            }
        }
        if f.names().is_empty() {
            return Err(format!(
                "no output format given: give some of {}, separated by commas",
                Formats::NAMES.join(", ")
            ));
        }
        Ok(f)
    }

    /// The formats chosen, by name, in the order of [`Formats::NAMES`].
    pub fn names(&self) -> Vec<&'static str> {
        let on = [self.xlsx, self.docx, self.md, self.csv, self.json];
        Formats::NAMES
            .iter()
            .zip(on)
            .filter(|(_, on)| *on)
            .map(|(n, _)| *n)
            .collect()
    }
}

/// Whether `name` is one ahq writes into a compilation's folder (any
/// format, either audience, the PDFs of `--pdf`): a set written with fewer
/// formats replaces these too, so that no earlier output stays beside a
/// manifest that does not name it.
pub fn is_output_name(name: &str) -> bool {
    if name == "records.json" || name == "manifest.json" {
        return true;
    }
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    let Some((kind, audience)) = stem.rsplit_once('-') else {
        return false;
    };
    matches!(audience, "full" | "wider")
        && match kind {
            "compilation" => matches!(ext, "xlsx" | "md" | "docx" | "pdf"),
            "responses" | "partners" | "themes" => ext == "csv",
            _ => false,
        }
}

/// One output to make: each is made apart from the others, so that the
/// command line can make them at once (the core starts no thread).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    Workbook(Audience),
    Markdown(Audience),
    Word(Audience),
    /// responses-*.csv.
    ResponsesCsv(Audience),
    /// partners-*.csv (`false`) or themes-*.csv (`true`).
    MentionsCsv(Audience, bool),
    /// records.json, the members' records.
    Records,
}

/// Both audiences' compilations of one query, and what each output is made
/// from.
pub struct Compilations<'a, 'q> {
    pub members: Compilation<'q>,
    pub wider: Compilation<'q>,
    reports: &'a [FileReport],
    intake: &'a Intake<'a>,
}

impl<'a, 'q> Compilations<'a, 'q> {
    /// The members' compilation, then the wider one (which takes from it
    /// what it may: see [`Compilation::after`]).
    pub fn new(
        query: &'q crate::query::Query,
        reports: &'a [FileReport],
        intake: &'a Intake<'a>,
        compiled_on: toml::value::Date,
        update: Option<&crate::changes::Update>,
    ) -> Self {
        let members = Compilation::new(
            query,
            reports,
            intake,
            compiled_on,
            Audience::Members,
            update,
        );
        let wider = Compilation::after(
            query,
            reports,
            intake,
            compiled_on,
            Audience::Wider,
            update,
            Some(&members),
        );
        Compilations {
            members,
            wider,
            reports,
            intake,
        }
    }

    /// The outputs of `formats`, in the order they are listed in the
    /// manifest: each audience's workbook, Markdown, Word and CSV, then
    /// records.json.
    pub fn pieces(&self, formats: Formats) -> Vec<Piece> {
        let mut out = Vec::new();
        for a in [Audience::Members, Audience::Wider] {
            let table = [
                (formats.xlsx, vec![Piece::Workbook(a)]),
                (formats.md, vec![Piece::Markdown(a)]),
                (formats.docx, vec![Piece::Word(a)]),
                (
                    formats.csv,
                    vec![
                        Piece::ResponsesCsv(a),
                        Piece::MentionsCsv(a, false),
                        Piece::MentionsCsv(a, true),
                    ],
                ),
            ];
            out.extend(table.into_iter().filter(|(on, _)| *on).flat_map(|(_, p)| p));
        }
        if formats.json {
            out.push(Piece::Records);
        }
        out
    }

    /// Makes one output.
    pub fn make(&self, piece: Piece) -> Result<Output> {
        let of = |a: Audience| match a {
            Audience::Members => &self.members,
            Audience::Wider => &self.wider,
        };
        let word = |a: Audience| a.file_word();
        Ok(match piece {
            Piece::Workbook(a) => Output {
                name: format!("compilation-{}.xlsx", word(a)),
                bytes: xlsx::render(of(a))?,
            },
            // Answers are tidied of unsafe characters already; file names and
            // reasons quoted in the outputs are escaped here, visibly.
            Piece::Markdown(a) => Output {
                name: format!("compilation-{}.md", word(a)),
                bytes: crate::text::escape_unsafe(&markdown::render(of(a)))
                    .into_owned()
                    .into_bytes(),
            },
            Piece::Word(a) => Output {
                name: format!("compilation-{}.docx", word(a)),
                bytes: docx::render(of(a))?,
            },
            Piece::ResponsesCsv(a) => Output {
                name: format!("responses-{}.csv", word(a)),
                bytes: escape_text_bytes(csv::render(of(a))?),
            },
            Piece::MentionsCsv(a, themes) => Output {
                name: format!(
                    "{}-{}.csv",
                    if themes { "themes" } else { "partners" },
                    word(a)
                ),
                bytes: escape_text_bytes(csv::mentions(of(a), themes)?),
            },
            Piece::Records => Output {
                name: "records.json".into(),
                bytes: escape_json_bytes(json::records(
                    self.reports,
                    self.intake,
                    &self.members.analysis,
                )?),
            },
        })
    }
}

/// Every output of `formats` but the manifest, made in turn (the command
/// line makes [`Compilations::pieces`] at once), so that outputs made from
/// these (the PDFs of `compile --pdf`) are named in the manifest too.
pub fn documents(
    query: &crate::query::Query,
    reports: &[FileReport],
    intake: &Intake<'_>,
    compiled_on: toml::value::Date,
    update: Option<&crate::changes::Update>,
    formats: Formats,
) -> Result<Vec<Output>> {
    let c = Compilations::new(query, reports, intake, compiled_on, update);
    c.pieces(formats).into_iter().map(|p| c.make(p)).collect()
}

/// Appends manifest.json, which names and hashes every output before it.
pub fn add_manifest(
    query: &crate::query::Query,
    reports: &[FileReport],
    intake: &Intake<'_>,
    compiled_on: toml::value::Date,
    update: Option<&crate::changes::Update>,
    outputs: &mut Vec<Output>,
) -> Result<()> {
    let hashes: Vec<(String, String)> = outputs
        .iter()
        .map(|o| (o.name.clone(), crate::validate::sha256_hex(&o.bytes)))
        .collect();
    outputs.push(Output {
        name: "manifest.json".into(),
        bytes: escape_json_bytes(json::manifest(
            query,
            reports,
            intake,
            compiled_on,
            update,
            &hashes,
        )?),
    });
    Ok(())
}

/// A UTF-8 text output with its unsafe characters escaped (`\u{1b}`).
fn escape_text_bytes(bytes: Vec<u8>) -> Vec<u8> {
    match String::from_utf8(bytes) {
        Ok(text) => crate::text::escape_unsafe(&text).into_owned().into_bytes(),
        Err(e) => e.into_bytes(),
    }
}

/// JSON with its unsafe characters as JSON escapes (see
/// [`crate::text::json_escape_unsafe`]).
fn escape_json_bytes(bytes: Vec<u8>) -> Vec<u8> {
    let text = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    crate::text::json_escape_unsafe(&text).into_bytes()
}

/// The cover's lines, in order.
#[derive(Debug, Clone)]
pub struct Cover {
    pub title: String,
    pub reference: Option<String>,
    pub requested: String,
    pub produced: String,
    pub audience: String,
    pub responses: String,
    pub disclaimer: String,
}

impl Cover {
    pub fn of(c: &Compilation<'_>) -> Cover {
        let l = &labels().cover;
        let q = c.query;
        let net = q.network;
        let names = join_names(&c.coverage.received);
        let count = c.rows.len().to_string();
        Cover {
            title: fill_with(&l.title, net, &[("title", &q.title)]),
            reference: q
                .reference
                .as_ref()
                .map(|r| fill_with(&l.reference, net, &[("reference", r)])),
            requested: fill_with(
                &l.requested,
                net,
                &[
                    ("requester", &q.requested_by.name),
                    ("date", &long_date(q.requested_on)),
                ],
            ),
            produced: match &c.changes {
                None => fill_with(&l.produced, net, &[("date", &long_date(c.compiled_on))]),
                Some(ch) if ch.list.is_empty() => fill_with(
                    &l.produced_update_plain,
                    net,
                    &[("date", &long_date(c.compiled_on))],
                ),
                Some(ch) => fill_with(
                    &l.produced_update,
                    net,
                    &[
                        ("date", &long_date(c.compiled_on)),
                        ("changes", &crate::changes::summary(&ch.list)),
                    ],
                ),
            },
            audience: match c.audience {
                Audience::Wider => fill_with(&l.audience_wider, net, &[]),
                Audience::Members if c.coverage.restricted.is_empty() => {
                    fill_with(&l.audience_members_open, net, &[])
                }
                Audience::Members => fill_with(&l.audience_members, net, &[]),
            },
            responses: if c.rows.is_empty() {
                fill_with(&l.no_responses, net, &[])
            } else {
                fill_with(&l.responses, net, &[("names", &names), ("count", &count)])
            },
            disclaimer: templates::disclaimer(net),
        }
    }
}

/// The Changes heading: "Changes since the compilation of 8th October 2010".
pub fn changes_heading(ch: &crate::compile::Changes) -> String {
    let l = &labels().changes;
    match ch.since.as_deref().and_then(crate::dates::parse_day) {
        Some(d) => crate::templates::fill_values(&l.heading, &[("date", &long_date(d))]),
        None => l.heading_undated.clone(),
    }
}

/// The lines of a Changes sheet or section: (country, change).
pub fn change_lines(ch: &crate::compile::Changes) -> Vec<(String, String)> {
    if ch.list.is_empty() {
        return vec![(String::new(), labels().changes.none.clone())];
    }
    ch.list
        .iter()
        .map(|c| (c.country.clone(), crate::changes::describe(c, true)))
        .collect()
}

/// "A, B, C": names as the seed's cover joins them.
pub fn join_names(names: &[String]) -> String {
    names.join(", ")
}

/// The "At a glance" section after the cover (part 14): its heading, then
/// parts, each a heading and lines. From the compilation's rows only: a
/// wider compilation counts only the responses it shows.
pub struct Glance {
    pub heading: String,
    pub parts: Vec<(String, Vec<String>)>,
    pub note: String,
}

impl Glance {
    pub fn of(c: &Compilation<'_>) -> Glance {
        use crate::analysis::Kind;
        let l = &labels().analysis;
        let net = c.query.network;
        let mut parts = Vec::new();
        let tallies: Vec<String> = c
            .tallies
            .iter()
            .filter_map(|t| {
                let yn = t.yes_no.as_ref()?;
                let mut line = fill_with(
                    &l.glance_tally,
                    net,
                    &[
                        ("id", &t.id),
                        ("yes", &yn.yes.len().to_string()),
                        ("no", &yn.no.len().to_string()),
                        ("unclear", &yn.unclear.len().to_string()),
                    ],
                );
                // The rest of the received, so that the line adds up to the
                // cover's total.
                for (template, names) in [
                    (&l.glance_not_answered, &t.not_answered),
                    (&l.glance_withheld, &t.withheld),
                ] {
                    if !names.is_empty() {
                        let count = names.len().to_string();
                        line.push_str(&fill_with(template, net, &[("count", &count)]));
                    }
                }
                Some(line)
            })
            .collect();
        if !tallies.is_empty() {
            parts.push((l.glance_tallies.clone(), tallies));
        }
        let a = &c.analysis;
        let line = |template: &str, col: &crate::analysis::Column| {
            fill_with(
                template,
                net,
                &[
                    ("name", &col.name),
                    ("count", &col.count().to_string()),
                    ("names", &col.named_by(a).join(", ")),
                ],
            )
        };
        let mut partners: Vec<String> = a
            .columns(Kind::Partner)
            .iter()
            .filter(|col| col.count() >= 2)
            .map(|col| line(&l.glance_partner, col))
            .collect();
        if partners.is_empty() {
            partners.push(l.glance_no_partners.clone());
        }
        let members: Vec<String> = a
            .columns(Kind::Member)
            .iter()
            .map(|col| format!("{} ({})", col.name, col.named_by(a).join(", ")))
            .collect();
        if !members.is_empty() {
            partners.push(fill_with(
                &l.glance_members,
                net,
                &[("names", &members.join("; "))],
            ));
        }
        parts.push((l.glance_partners.clone(), partners));
        let themes: Vec<String> = a
            .columns(Kind::Theme)
            .iter()
            .map(|col| line(&l.glance_theme, col))
            .collect();
        parts.push((
            l.glance_themes.clone(),
            if themes.is_empty() {
                vec![l.none.clone()]
            } else {
                themes
            },
        ));
        Glance {
            heading: l.glance.clone(),
            parts,
            note: fill_with(
                &l.glance_note,
                net,
                &[("date", &long_date(c.query.requested_on))],
            ),
        }
    }
}

/// A text typed in query.toml (the background, a question) as paragraphs:
/// a blank line ends a paragraph; a single line break is where the author's
/// editor wrapped the line, so it becomes a space, never a ragged line.
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            if !current.is_empty() {
                out.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current.join(" "));
    }
    out
}

/// A question's text as every output shows it: its paragraphs (see
/// [`paragraphs`]), each on a line of its own.
pub fn question_text(q: &Question) -> String {
    paragraphs(&q.text).join("\n")
}

/// A question as a column header and a cover line: "1. Do you ...".
pub fn question_heading(q: &Question) -> String {
    let id = q.id.trim_end_matches('.');
    format!("{id}. {}", question_text(q))
}

/// The members' cover's list of what came and is not in the compilation,
/// as the network writes it: "Portugal: received, not included", by the
/// country when known, else by the file's name. Why each was left out is
/// the coordinator's business: the Log sheet and manifest.json say it.
pub fn skipped_lines(c: &Compilation<'_>) -> Vec<String> {
    let l = &labels().cover;
    let line = |name: &str| fill_with(&l.skipped_line, c.query.network, &[("name", name)]);
    if c.skipped.is_empty() {
        return Vec::new();
    }
    // Countries in the compilation's order, each once; none that a row of
    // this compilation holds (it came again, in a file that is compiled).
    let not_compiled = &c.coverage.not_compiled;
    let mut lines: Vec<String> = not_compiled.iter().map(|n| line(n)).collect();
    lines.extend(
        c.skipped
            .iter()
            .filter(|s| !s.countries.iter().any(|k| not_compiled.contains(&k.name)))
            .map(|s| line(&s.file)),
    );
    lines
}

/// What a cell shows, in every format.
pub fn cell_text<'a>(c: &Compilation<'_>, cell: &'a Cell) -> Cow<'a, str> {
    match cell {
        Cell::Answer { text, .. } => Cow::Borrowed(text),
        Cell::SameAs { id, .. } => Cow::Owned(fill_with(
            &labels().responses.same_as,
            c.query.network,
            &[("id", id)],
        )),
        Cell::NoAnswer => Cow::Borrowed(""),
        Cell::Withheld => Cow::Owned(templates::statement(c.query.network)),
    }
}

/// Document title, subject and keywords, from templates/ only: nothing in
/// them comes from a response.
pub struct Properties {
    pub title: String,
    pub subject: String,
    pub keywords: String,
    pub comment: Option<String>,
}

impl Properties {
    pub fn of(c: &Compilation<'_>) -> Properties {
        let l = &labels().properties;
        let net = c.query.network;
        let title = [("title", c.query.title.as_str())];
        match c.audience {
            Audience::Wider => Properties {
                title: fill_with(&l.title_wider, net, &title),
                subject: fill_with(&l.subject, net, &[]),
                keywords: fill_with(&l.keywords_wider, net, &[]),
                comment: None,
            },
            Audience::Members => Properties {
                title: fill_with(&l.title_members, net, &title),
                subject: fill_with(&l.subject, net, &[]),
                keywords: fill_with(&l.keywords_members, net, &[]),
                comment: Some(fill_with(&l.comment_members, net, &[])),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::paragraphs;

    #[test]
    fn a_blank_line_ends_a_paragraph_and_a_single_break_is_a_space() {
        assert_eq!(
            paragraphs("Austria would\nlike to know.\n\n  In this regard  \n\n\n we ask\r\nthis:"),
            [
                "Austria would like to know.",
                "In this regard",
                "we ask this:"
            ]
        );
        assert!(paragraphs(" \n\n").is_empty());
    }
}
