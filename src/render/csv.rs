//! The compilation in long format: a row per country and question, header
//! `country_code,country,dissemination,question_id,answer`. Answers are whole,
//! line breaks included (quoted as CSV requires).

use super::cell_text;
use crate::compile::Compilation;
use crate::error::{Error, Result};

/// Renders `c` as CSV (UTF-8, no byte-order mark, `\n` line ends).
pub fn render(c: &Compilation<'_>) -> Result<Vec<u8>> {
    let fail = |e: csv::Error| Error::Render {
        output: format!("responses-{}.csv", c.audience.file_word()),
        message: e.to_string(),
    };
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record([
        "country_code",
        "country",
        "dissemination",
        "question_id",
        "answer",
    ])
    .map_err(fail)?;
    let general = c.has_general();
    let general_id = &crate::templates::labels().responses.general_id;
    for r in &c.rows {
        let flag = r.dissemination.as_str();
        for (cell, q) in r.cells.iter().zip(&c.query.questions) {
            w.write_record([r.code.as_str(), &r.name, flag, &q.id, &cell_text(c, cell)])
                .map_err(fail)?;
        }
        if general && let Some(text) = &r.general {
            w.write_record([r.code.as_str(), &r.name, flag, general_id, text])
                .map_err(fail)?;
        }
    }
    w.into_inner().map_err(|e| Error::Render {
        output: format!("responses-{}.csv", c.audience.file_word()),
        message: e.to_string(),
    })
}
