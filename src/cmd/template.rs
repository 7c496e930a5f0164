use ahq::country::{Countries, suggestion};
use ahq::query::Query;
use anyhow::{Context, anyhow};
use std::path::PathBuf;
use std::process::ExitCode;

/// Write the response workbook that member states fill in.
///
/// Examples:
///   ahq template queries/2026.1                   writes queries/2026.1/template.xlsx
///   ahq template queries/2026.1 --country BE      Belgium filled in: template-BE.xlsx
///   ahq template queries/2026.1 -o reply.xlsx
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The query folder (holds query.toml).
    query_dir: PathBuf,
    /// Where to write the workbook.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Fill in the country (name or code).
    #[arg(long)]
    country: Option<String>,
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
        .map(|c| {
            countries.resolve(c).map_err(|near| {
                anyhow!(
                    "--country {c}: not a country ahq knows: {}",
                    suggestion(&near)
                )
            })
        })
        .transpose()?;
    let mut list: Vec<_> = query
        .expected
        .iter()
        .filter_map(|c| countries.by_code(c))
        .collect();
    list.sort_by(|a, b| a.name.cmp(&b.name));
    let bytes =
        ahq::template::build(&query, country, &list).context("cannot build the template")?;
    let out = a.output.unwrap_or_else(|| {
        let name = country.map_or("template.xlsx".to_string(), |c| {
            format!("template-{}.xlsx", c.code)
        });
        a.query_dir.join(name)
    });
    super::write_atomically(&out, &bytes)?;
    out!("wrote {}", out.display())?;
    Ok(ExitCode::SUCCESS)
}
