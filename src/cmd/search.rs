use ahq::index::{Audience, Index, Search};
use anyhow::bail;
use std::path::PathBuf;
use std::process::ExitCode;

/// Searches the archive index (`ahq index`): "has this been asked before?".
///
/// Examples:
///   ahq search readmission Georgia                 answers naming both, best first
///   ahq search "mobility partnership" --country BE Belgium's answers
///   ahq search return --requested-by AT --since 2015
///   ahq search --theme readmission                 every answer on a theme, newest first
///   ahq search --similar queries/2026.1            past queries like this draft
///   ahq search partnership --format json
///
/// Matching ignores case and accents ("reintegration" finds
/// "réintégration") and finds word forms ("partnership" finds
/// "partnerships"). Each match shows its query's title, reference and date,
/// the country and question, and the matching words between ** **.
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Words to look for in the answers (all of them).
    words: Vec<String>,
    /// Only this country's answers (a code or a name).
    #[arg(long)]
    country: Option<String>,
    /// Only queries this country asked.
    #[arg(long)]
    requested_by: Option<String>,
    /// Only queries asked since this year or day (2015, 2015-06-01).
    #[arg(long)]
    since: Option<String>,
    /// Only answers naming this theme (an id of templates/themes.toml: readmission, border-management …).
    #[arg(long)]
    theme: Option<String>,
    /// Rank past queries by how much they resemble this draft (a query folder or its query.toml).
    #[arg(long, value_name = "QUERY")]
    similar: Option<PathBuf>,
    /// The index file [default: ahq-index.sqlite, or ahq-index-members.sqlite with --members].
    #[arg(long)]
    db: Option<PathBuf>,
    /// Search the members-only index.
    #[arg(long)]
    members: bool,
    /// At most this many results.
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = super::validate::OutputFormat::Text)]
    format: super::validate::OutputFormat,
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let db =
        a.db.clone()
            .unwrap_or_else(|| super::index::default_db(a.members));
    let index = Index::open_existing(&db, a.members)?;
    if a.members && index.audience != Audience::Members {
        bail!(
            "{}: this index is for wider dissemination: make the members' one with `ahq index ARCHIVE --members`",
            db.display()
        );
    }
    let json = matches!(a.format, super::validate::OutputFormat::Json);
    let audience = match index.audience {
        Audience::Members => "members",
        Audience::Wider => "wider",
    };
    if let Some(draft) = &a.similar {
        let dir = if draft.is_file() {
            draft.parent().map_or(PathBuf::from("."), PathBuf::from)
        } else {
            draft.clone()
        };
        let q = ahq_core::query::Query::load(&dir)?;
        let mut text = format!(
            "{}\n{}\n",
            q.title,
            q.background.clone().unwrap_or_default()
        );
        for question in &q.questions {
            text.push_str(&question.text);
            text.push('\n');
        }
        let found = index.similar(&text, a.limit)?;
        if json {
            return print_json(audience, "similar", &found);
        }
        banner(index.audience)?;
        if found.is_empty() {
            out!("no past query resembles \"{}\"", q.title)?;
        }
        for (i, s) in found.iter().enumerate() {
            let line = query_line(
                i,
                &s.title,
                s.reference.as_deref(),
                &s.requested_by,
                &s.requested_on,
            );
            out!("{line} (score {:.1})", s.score)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let words = a.words.join(" ");
    if !words.chars().any(char::is_alphanumeric) && a.theme.is_none() && a.country.is_none() {
        bail!(
            "nothing to search for: give words (ahq search readmission), a --theme, a --country, or --similar QUERY"
        );
    }
    let theme = match &a.theme {
        Some(t) => {
            let themes = ahq_core::analysis::themes::Themes::builtin()?;
            let known: Vec<&str> = themes.list.iter().map(|t| t.id.as_str()).collect();
            if !known.contains(&t.as_str()) {
                bail!(
                    "--theme {t}: not a theme ahq knows: one of {}",
                    known.join(", ")
                );
            }
            Some(t.clone())
        }
        None => None,
    };
    let since = match &a.since {
        Some(s) if s.len() == 4 && s.chars().all(|c| c.is_ascii_digit()) => {
            Some(format!("{s}-01-01"))
        }
        Some(s) => match ahq_core::dates::parse_day(s) {
            Some(d) => Some(ahq_core::dates::iso(d)),
            None => bail!("--since {s}: not a year or a day: write 2015 or 2015-06-01"),
        },
        None => None,
    };
    let search = Search {
        words,
        country: a
            .country
            .as_deref()
            .map(|c| super::country_option(c, "--country").map(|c| c.code.clone()))
            .transpose()?,
        requested_by: a
            .requested_by
            .as_deref()
            .map(|c| super::country_option(c, "--requested-by").map(|c| c.code.clone()))
            .transpose()?,
        since,
        theme,
        limit: a.limit,
    };
    let hits = index.search(&search)?;
    if json {
        return print_json(audience, "results", &hits);
    }
    banner(index.audience)?;
    if hits.is_empty() {
        out!("no answer matches")?;
    }
    for (i, h) in hits.iter().enumerate() {
        let line = query_line(
            i,
            &h.title,
            h.reference.as_deref(),
            &h.requested_by,
            &h.requested_on,
        );
        out!("{line}")?;
        out!(
            "   {}, question {}: {}",
            h.country,
            h.question_id,
            h.snippet.replace('\n', " ")
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The one JSON shape of a search: `{"schema_version", "audience", KEY}`.
fn print_json(audience: &str, key: &str, list: &impl serde::Serialize) -> anyhow::Result<ExitCode> {
    let mut v =
        serde_json::json!({ "schema_version": super::JSON_SCHEMA_VERSION, "audience": audience });
    v[key] = serde_json::to_value(list)?;
    super::print_json(&v)?;
    Ok(ExitCode::SUCCESS)
}

/// A past query as a result line: "1. Title (2010.12), requested by Austria on 2010-07-26".
fn query_line(i: usize, title: &str, reference: Option<&str>, by: &str, on: &str) -> String {
    let reference = reference.map_or(String::new(), |r| format!(" ({r})"));
    format!("{}. {title}{reference}, requested by {by} on {on}", i + 1)
}

/// A members-only index says so before anything else.
fn banner(audience: Audience) -> anyhow::Result<()> {
    if audience == Audience::Members {
        out!("members-only index: for the network's members, not for wider dissemination")?;
    }
    Ok(())
}
