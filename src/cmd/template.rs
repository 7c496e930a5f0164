use ahq::country::{Countries, Country};
use ahq::query::Query;
use anyhow::Context;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Write the response workbook that member states fill in, and beside it
/// the page on which they check their file before sending it (it carries
/// the query, reads any format ahq reads, and makes no connection).
///
/// Examples:
///   ahq template queries/2026.1                   template.xlsx and check-your-response-2026.1.html
///   ahq template queries/2026.1 --country BE      Belgium filled in: template-BE.xlsx
///   ahq template queries/2026.1 --all             template-AT.xlsx … for every expected country
///   ahq template queries/2026.1 -o reply.xlsx     the page beside reply.xlsx
///
/// Send each contact point its template and the page; the template's
/// instructions name the page.
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The query folder (holds query.toml).
    query_dir: PathBuf,
    /// Where to write the workbook (the page goes in the same folder).
    #[arg(short, long, conflicts_with = "all")]
    output: Option<PathBuf>,
    /// Fill in the country (name or code).
    #[arg(long, conflicts_with = "all")]
    country: Option<String>,
    /// A template for every expected country, each with its country filled
    /// in (template-XX.xlsx), and one page beside them.
    #[arg(long)]
    all: bool,
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let query = Query::load(&a.query_dir)?;
    query.check_edited()?;
    if let Some(out) = a.output.as_ref().filter(|o| o.is_dir()) {
        anyhow::bail!(
            "{}: is a folder: -o names the workbook to write, e.g. -o {}",
            out.display(),
            out.join("template.xlsx").display()
        );
    }
    let countries = Countries::builtin()?;
    let country = a
        .country
        .as_deref()
        .map(|c| super::country_option(c, "--country"))
        .transpose()?;
    let mut list: Vec<_> = query
        .expected
        .iter()
        .filter_map(|c| countries.by_code(c))
        .collect();
    list.sort_by(|a, b| a.name.cmp(&b.name));
    if a.all && list.is_empty() {
        anyhow::bail!(
            "--all: the query expects no country: list them in query.toml (expected = [\"BE\", \"FR\"]), \
             or name one with --country"
        );
    }
    let page_name = ahq::page::file_name(&query);
    // Everything is made before anything is written.
    let page = ahq::page::for_query(&query)?;
    let named = |c: Option<&Country>| {
        a.query_dir.join(c.map_or("template.xlsx".to_string(), |c| {
            format!("template-{}.xlsx", c.code)
        }))
    };
    let wanted: Vec<(Option<&Country>, PathBuf)> = if a.all {
        list.iter().map(|c| (Some(*c), named(Some(*c)))).collect()
    } else {
        vec![(country, a.output.clone().unwrap_or_else(|| named(country)))]
    };
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for (c, out) in wanted {
        let bytes = ahq::template::build(&query, c, &list, Some(&page_name))
            .context("cannot build the template")?;
        files.push((out, bytes));
    }
    let folder = files[0]
        .0
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    // Never into a query's responses/, where it would be read as a reply:
    // the page goes in the query folder then.
    let in_responses = folder.file_name().is_some_and(|n| n == "responses")
        && folder
            .parent()
            .is_some_and(|q| q.join("query.toml").is_file());
    let page_folder = if in_responses {
        folder.parent().map_or(folder.clone(), Path::to_path_buf)
    } else {
        folder
    };
    files.push((page_folder.join(&page_name), page));
    // All or nothing: a contact never gets a template without its page.
    let set: Vec<(&Path, &[u8])> = files
        .iter()
        .map(|(p, b)| (p.as_path(), b.as_slice()))
        .collect();
    ahq::output::write_together(&set)?;
    for (path, _) in &files {
        out!("wrote {}", path.display())?;
    }
    out!(
        "send each contact point its template and {page_name}: they open the page in a browser \
         and drop their file on it to check it before sending (nothing leaves their computer)"
    )?;
    Ok(ExitCode::SUCCESS)
}
