//! The compilation in long format: a row per country and question, header
//! `country_code,country,dissemination,question_id,answer`. Answers are whole,
//! line breaks included (quoted as CSV requires). A field that a spreadsheet
//! program would run as a formula (it begins with `=`, `+`, `-`, `@`, a tab
//! or a carriage return) gets a leading `'`, the usual guard against formula
//! injection: opened in Excel, it shows as the text it is.

use super::cell_text;
use crate::compile::Compilation;
use crate::error::{Error, Result};

/// Renders `c` as CSV: UTF-8 with a byte-order mark (without one, Excel on
/// Windows reads the file as its ANSI code page and garbles every accent),
/// `\n` line ends, the flag as the workbooks print it ("Yes" / "No").
pub fn render(c: &Compilation<'_>) -> Result<Vec<u8>> {
    let output = format!("responses-{}.csv", c.audience.file_word());
    let fail = failed(&output);
    let mut w = writer();
    w.write_record([
        "country_code",
        "country",
        "dissemination",
        "question_id",
        "answer",
    ])
    .map_err(&fail)?;
    let general = c.has_general();
    let general_id = &crate::templates::labels().responses.general_id;
    for r in &c.rows {
        let flag = r.dissemination.label();
        for (cell, q) in r.cells.iter().zip(&c.query.questions) {
            let answer = cell_text(c, cell);
            let fields: [&str; 5] = [&r.code, &r.name, flag, &q.id, &answer];
            w.write_record(fields.map(inert).iter().map(|f| f.as_bytes()))
                .map_err(&fail)?;
        }
        if general && let Some(text) = &r.general {
            let fields: [&str; 5] = [&r.code, &r.name, flag, general_id, text];
            w.write_record(fields.map(inert).iter().map(|f| f.as_bytes()))
                .map_err(&fail)?;
        }
    }
    w.into_inner()
        .map_err(|e| failed(&output)(e.into_error().into()))
}

/// What the answers name, in long format (part 14): `partners-*.csv` (the
/// partner countries, then the members named) when `themes` is false,
/// `themes-*.csv` when true. Header `country_code,country,kind,id,name,
/// question_id,words`; the words as written, separated by " | ".
pub fn mentions(c: &Compilation<'_>, themes: bool) -> Result<Vec<u8>> {
    use crate::analysis::Kind;
    let output = format!(
        "{}-{}.csv",
        if themes { "themes" } else { "partners" },
        c.audience.file_word()
    );
    let fail = failed(&output);
    let mut w = writer();
    w.write_record([
        "country_code",
        "country",
        "kind",
        "id",
        "name",
        "question_id",
        "words",
    ])
    .map_err(&fail)?;
    let kinds: &[Kind] = if themes {
        &[Kind::Theme]
    } else {
        &[Kind::Partner, Kind::Member]
    };
    for kind in kinds {
        for named in &c.analysis.countries {
            for m in named.mentions.iter().filter(|m| m.kind == *kind) {
                let words = m.words.join(" | ");
                let fields: [&str; 7] = [
                    &named.code,
                    &named.name,
                    kind.word(),
                    &m.id,
                    &m.name,
                    &m.question,
                    &words,
                ];
                w.write_record(fields.map(inert).iter().map(|f| f.as_bytes()))
                    .map_err(&fail)?;
            }
        }
    }
    w.into_inner()
        .map_err(|e| failed(&output)(e.into_error().into()))
}

/// A CSV writer as every CSV output is written: UTF-8 with a byte-order
/// mark, `\n` line ends.
fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer("\u{feff}".as_bytes().to_vec())
}

/// The error of writing `output`.
fn failed(output: &str) -> impl Fn(csv::Error) -> Error + '_ {
    move |e| Error::Render {
        output: output.to_string(),
        message: e.to_string(),
    }
}

/// The field as text a spreadsheet program will not run as a formula.
fn inert(field: &str) -> std::borrow::Cow<'_, str> {
    if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{field}"))
    } else {
        std::borrow::Cow::Borrowed(field)
    }
}

#[cfg(test)]
mod tests {
    use super::inert;

    #[test]
    fn fields_that_would_run_as_formulas_are_made_inert() {
        for f in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            assert_eq!(inert(f), format!("'{f}"));
        }
        for f in ["Yes", "1. Georgia", "", " =1", "'quoted"] {
            assert_eq!(inert(f), f);
        }
    }
}
