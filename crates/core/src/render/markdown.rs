//! The compilation as Markdown: cover, questions, the responses table, the
//! summary. Answers are carried whole; line breaks become `<br>` so each
//! stays in its table cell.

use super::{Cover, cell_text, join_names, paragraphs, question_heading, skipped_lines};
use crate::compile::Compilation;
use crate::templates::{fill_with, labels, long_date};
use std::fmt::Write;

/// Renders `c` as Markdown.
pub fn render(c: &Compilation<'_>) -> String {
    let l = labels();
    let net = c.query.network;
    let cover = Cover::of(c);
    let mut md = String::new();
    // Takes Markdown: text from a query or a response goes through `escape_block` first.
    let para = |md: &mut String, markdown: &str| {
        md.push_str(markdown);
        md.push_str("\n\n");
    };
    para(&mut md, &format!("# {}", escape_inline(&cover.title)));
    if let Some(r) = &cover.reference {
        para(&mut md, &escape_block(r));
    }
    para(&mut md, &escape_block(&cover.requested));
    para(&mut md, &escape_block(&cover.produced));
    para(&mut md, &format!("**{}**", escape_inline(&cover.audience)));
    para(&mut md, &escape_block(&cover.responses));
    para(&mut md, &format!("*{}*", escape_inline(&cover.disclaimer)));
    if let Some(bg) = &c.query.background {
        para(
            &mut md,
            &format!("## {}", escape_inline(&l.cover.background)),
        );
        for p in paragraphs(bg) {
            para(&mut md, &escape_inline(&p));
        }
    }
    para(
        &mut md,
        &format!("## {}", escape_inline(&l.cover.questions)),
    );
    // Plain numbered lines, a paragraph each, the number as the query
    // gives it ("2a" too): a Markdown list would renumber them.
    for q in &c.query.questions {
        para(&mut md, &numbered_line(&question_heading(q)));
    }

    let glance = super::Glance::of(c);
    para(&mut md, &format!("## {}", escape_inline(&glance.heading)));
    for (heading, lines) in &glance.parts {
        para(&mut md, &format!("### {}", escape_inline(heading)));
        for line in lines {
            let _ = writeln!(md, "- {}", escape_inline(line));
        }
        md.push('\n');
    }
    para(&mut md, &format!("*{}*", escape_inline(&glance.note)));

    para(
        &mut md,
        &format!("## {}", escape_inline(&l.cover.responses_heading)),
    );
    let mut header = vec![
        l.responses.country.clone(),
        l.responses.dissemination.clone(),
    ];
    header.extend(c.query.questions.iter().map(question_heading));
    let general = c.has_general();
    if general {
        header.push(l.responses.general.clone());
    }
    table_row(&mut md, header.iter().map(String::as_str));
    table_row(&mut md, header.iter().map(|_| "---"));
    for r in &c.rows {
        let mut cells: Vec<String> = vec![r.name.clone(), r.dissemination.label().to_string()];
        cells.extend(r.cells.iter().map(|cell| cell_text(c, cell).into_owned()));
        if general {
            cells.push(r.general.clone().unwrap_or_default());
        }
        table_row(&mut md, cells.iter().map(String::as_str));
    }
    md.push('\n');

    let s = &l.summary;
    para(&mut md, &format!("## {}", escape_inline(&s.heading)));
    para(&mut md, &format!("### {}", escape_inline(&s.coverage)));
    let item = |md: &mut String, label: &str, names: &[String]| {
        let list = if names.is_empty() {
            s.none.clone()
        } else {
            join_names(names)
        };
        let _ = writeln!(
            md,
            "- {}: {} ({})",
            escape_inline(label),
            names.len(),
            escape_inline(&list)
        );
    };
    let cov = &c.coverage;
    item(&mut md, &s.expected, &cov.expected);
    item(&mut md, &s.received, &cov.received);
    item(&mut md, &s.missing, &cov.missing);
    if !cov.not_compiled.is_empty() {
        item(&mut md, &s.not_compiled, &cov.not_compiled);
    }
    if !cov.unexpected.is_empty() {
        item(&mut md, &s.unexpected, &cov.unexpected);
    }
    item(&mut md, &s.restricted, &cov.restricted);
    if let (Some(late), Some(deadline)) = (&cov.late, c.query.deadline) {
        let label = fill_with(&s.late, net, &[("date", &long_date(deadline))]);
        item(&mut md, &label, late);
        item(&mut md, &s.undated, &cov.undated);
    }
    md.push('\n');
    for t in &c.tallies {
        let label = fill_with(&s.question, net, &[("id", &t.id)]);
        // A heading is one line: the question's paragraphs run on.
        let text = paragraphs(&t.text).join(" ");
        para(
            &mut md,
            &format!("### {}: {}", escape_inline(&label), escape_inline(&text)),
        );
        item(&mut md, &s.answered, &t.answered);
        item(&mut md, &s.not_answered, &t.not_answered);
        if c.audience == crate::policy::Audience::Wider {
            item(&mut md, &s.withheld, &t.withheld);
        }
        if let Some(yn) = &t.yes_no {
            item(&mut md, &s.yes, &yn.yes);
            item(&mut md, &s.no, &yn.no);
            item(&mut md, &s.unclear, &yn.unclear);
        }
        md.push('\n');
    }

    let skipped = skipped_lines(c);
    if !skipped.is_empty() {
        para(&mut md, &format!("## {}", escape_inline(&l.cover.skipped)));
        for line in &skipped {
            let _ = writeln!(md, "- {}", escape_inline(line));
        }
        md.push('\n');
    }
    if let Some(ch) = &c.changes {
        para(
            &mut md,
            &format!("## {}", escape_inline(&super::changes_heading(ch))),
        );
        for (country, change) in super::change_lines(ch) {
            let _ = writeln!(
                md,
                "- {}{}",
                if country.is_empty() {
                    String::new()
                } else {
                    format!("**{}**: ", escape_inline(&country))
                },
                escape_inline(&change)
            );
        }
        md.push('\n');
    }
    while md.ends_with("\n\n") {
        md.pop();
    }
    md
}

fn table_row<'a>(md: &mut String, cells: impl Iterator<Item = &'a str>) {
    md.push('|');
    for cell in cells {
        md.push(' ');
        md.push_str(&escape_cell(cell));
        md.push_str(" |");
    }
    md.push('\n');
}

/// Characters that would otherwise be read as Markdown or HTML.
fn escape_inline(text: &str) -> String {
    // Most answers hold none of these: copied as they are.
    if !text.bytes().any(|b| {
        matches!(
            b,
            b'\\' | b'`' | b'*' | b'_' | b'[' | b']' | b'|' | b'#' | b'<' | b'>' | b'&'
        )
    }) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for ch in text.chars() {
        match ch {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' => {
                out.push('\\');
                out.push(ch);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            _ => out.push(ch),
        }
    }
    out
}

/// A table cell: one line, its own line breaks written as `<br>`.
fn escape_cell(text: &str) -> String {
    text.lines()
        .map(escape_inline)
        .collect::<Vec<_>>()
        .join("<br>")
}

/// "1. Do you …" as a numbered line, not a list item: the number in bold,
/// the question's own lines kept.
fn numbered_line(heading: &str) -> String {
    match heading.split_once(". ") {
        Some((n, rest)) => format!("**{}.** {}", escape_inline(n), escape_block(rest)),
        None => escape_block(heading),
    }
}

/// A paragraph of plain text, its line breaks kept (two spaces, newline).
fn escape_block(text: &str) -> String {
    text.lines()
        .map(escape_inline)
        .collect::<Vec<_>>()
        .join("  \n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_keep_their_text_on_one_table_line() {
        assert_eq!(
            escape_cell("1. Yes | no\n2. <b>Georgia</b>"),
            "1. Yes \\| no<br>2. &lt;b&gt;Georgia&lt;/b&gt;"
        );
    }

    #[test]
    fn markdown_characters_in_answers_are_not_read_as_markup() {
        assert_eq!(
            escape_inline("*a* _b_ [c](d) #e"),
            "\\*a\\* \\_b\\_ \\[c\\](d) \\#e"
        );
    }
}
