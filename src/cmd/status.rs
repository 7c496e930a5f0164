use ahq::files::check;
use ahq::policy::DatedBy;
use ahq::query::Query;
use ahq::status::{Line, State, status};
use std::path::PathBuf;
use std::process::ExitCode;

/// Show who has answered during a collection: every expected country
/// (and any other that answered) as received, missing or invalid.
///
/// Examples:
///   ahq status queries/2026.1                  a line per country, then the totals
///   ahq status queries/*                       each query in turn
///   ahq status queries/2026.1 -q               only the files that need fixing
///   ahq status queries/2026.1 --format json    for scripts (README: "JSON output")
///
/// "expected" counts every country the query.toml's network expects,
/// observers (Norway, Georgia, …) included.
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Query folders (each holds query.toml and responses/).
    #[arg(required = true, value_name = "QUERY_FOLDER")]
    query_dirs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = super::validate::OutputFormat::Text)]
    format: super::validate::OutputFormat,
    /// Print only the files that need fixing (invalid), as errors.
    #[arg(short, long)]
    quiet: bool,
    #[command(flatten)]
    limits: super::LimitArgs,
}

/// One query's standing.
struct Standing {
    query: Query,
    lines: Vec<Line>,
    reports: Vec<ahq::validate::FileReport>,
    /// The last compilation in the query's own folder: its date, and the
    /// files it read.
    last: Option<(String, Vec<String>)>,
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let queries = a
        .query_dirs
        .iter()
        .map(|dir| Query::load(dir))
        .collect::<Result<Vec<Query>, _>>()?;
    let limits = a.limits.limits();
    let mut standings = Vec::new();
    for query in queries {
        let reports = check(&query, &[], &limits)?;
        let last = last_compilation(&query);
        let lines = status(
            &query,
            &reports,
            ahq::today(),
            last.as_ref().map(|(_, shas)| shas.as_slice()),
        );
        standings.push(Standing {
            query,
            lines,
            reports,
            last,
        });
    }
    if a.format == super::validate::OutputFormat::Json {
        super::print_json(&json(&standings))?;
        return Ok(ExitCode::SUCCESS);
    }
    let several = standings.len() > 1;
    for (i, s) in standings.iter().enumerate() {
        if a.quiet {
            for l in s.lines.iter().filter(|l| l.status == State::Invalid) {
                let at = if several {
                    format!("{}: ", s.query.dir.display())
                } else {
                    String::new()
                };
                err!(
                    "{at}{}: error: {}",
                    l.files.join(" and "),
                    l.why.as_deref().unwrap_or("invalid")
                );
            }
            continue;
        }
        if several {
            if i > 0 {
                out!("")?;
            }
            out!("{}: {}", s.query.dir.display(), s.query.title)?;
        }
        print_text(s)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The date and the files of the last compilation in the query's own
/// compiled/ folder.
fn last_compilation(query: &Query) -> Option<(String, Vec<String>)> {
    std::fs::read(query.dir.join("compiled").join("manifest.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .map(|m| {
            let shas = m["files"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|f| f["sha256"].as_str().map(str::to_string))
                .collect();
            (m["compiled_on"].as_str().unwrap_or("?").to_string(), shas)
        })
}

/// The counts the last line gives: against the expected list; others who
/// answered apart.
#[derive(Debug, Default, serde::Serialize)]
struct Counts {
    expected: usize,
    received: usize,
    empty: usize,
    invalid: usize,
    missing: usize,
    late: usize,
    others: usize,
}

impl Counts {
    fn of(query: &Query, lines: &[Line]) -> Counts {
        let count = |s: State| lines.iter().filter(|l| l.expected && l.status == s).count();
        Counts {
            expected: query.expected.len(),
            received: count(State::Received) + count(State::Empty),
            empty: count(State::Empty),
            invalid: count(State::Invalid),
            missing: lines.iter().filter(|l| l.status == State::Missing).count(),
            late: lines.iter().filter(|l| l.late == Some(true)).count(),
            others: lines.iter().filter(|l| !l.expected).count(),
        }
    }

    fn add(mut self, o: Counts) -> Counts {
        self.expected += o.expected;
        self.received += o.received;
        self.empty += o.empty;
        self.invalid += o.invalid;
        self.missing += o.missing;
        self.late += o.late;
        self.others += o.others;
        self
    }
}

/// `ahq status --format json`: docs/json/status.schema.json.
fn json(standings: &[Standing]) -> serde_json::Value {
    use serde_json::json;
    let mut countries = Vec::new();
    let mut not_read = Vec::new();
    let mut summary = Counts::default();
    for s in standings {
        let mut query = super::query_json(&s.query);
        query["last_compiled"] = json!(s.last.as_ref().map(|(day, _)| day));
        for l in &s.lines {
            let mut v = serde_json::to_value(l).unwrap_or_default();
            v["query"] = query.clone();
            countries.push(v);
        }
        for p in passed_over(&s.reports) {
            let mut v = serde_json::to_value(p).unwrap_or_default();
            v["query"] = query.clone();
            not_read.push(v);
        }
        summary = summary.add(Counts::of(&s.query, &s.lines));
    }
    json!({
        "schema_version": super::JSON_SCHEMA_VERSION,
        "countries": countries,
        "not_read": not_read,
        "summary": summary,
    })
}

/// A file not read as a response.
#[derive(serde::Serialize)]
struct PassedOver {
    file: String,
    why: String,
    /// An archive or e-mail whose files were read one by one.
    unpacked: bool,
}

/// Files not read as responses, and why.
fn passed_over(reports: &[ahq::validate::FileReport]) -> Vec<PassedOver> {
    reports
        .iter()
        .filter(|r| r.skipped.is_some())
        .map(|r| {
            // An archive (or e-mail) passed over is one whose files were read,
            // one by one; one inside another is not opened.
            let inside = format!("{}/", r.file);
            let unpacked = matches!(
                ahq::reading::classify(std::path::Path::new(&r.file)),
                ahq::reading::Kind::Archive | ahq::reading::Kind::Mail
            ) && reports.iter().any(|m| m.file.starts_with(&inside));
            PassedOver {
                file: r.file.clone(),
                why: r.skipped.clone().unwrap_or_default(),
                unpacked,
            }
        })
        .collect()
}

fn print_text(s: &Standing) -> std::io::Result<()> {
    let (query, lines) = (&s.query, &s.lines);
    let width = lines
        .iter()
        .map(|l| l.name.chars().count())
        .max()
        .unwrap_or(0);
    for l in lines {
        let flag = match l.dissemination {
            Some("yes") => "wider: Yes",
            Some(_) => "wider: No ",
            None => "          ",
        };
        // Late, and by which date: a person may know the file was re-saved.
        let late = match (l.late, &l.dated, l.dated_by) {
            (Some(true), Some(day), Some(DatedBy::DateCell)) => {
                format!("  late (dated {day} in the file)")
            }
            (Some(true), Some(day), Some(DatedBy::Email)) => {
                format!("  late (e-mail of {day})")
            }
            (Some(true), Some(day), _) => format!("  late (received {day})"),
            _ => String::new(),
        };
        let note = if l.expected || l.status == State::Missing {
            ""
        } else {
            "  (not expected)"
        };
        let earlier = if l.superseded.is_empty() {
            String::new()
        } else {
            format!("  (supersedes {})", l.superseded.join(", "))
        };
        let line = format!(
            "{:<width$}  {:<8}  {flag}  {}{earlier}{late}{note}",
            l.name,
            l.status.as_str(),
            l.files.join(" and ")
        );
        out!("{}", line.trim_end())?;
        // Why it is not compiled, as compile would say.
        if let Some(why) = &l.why {
            out!("{:<width$}    not included: {why}", "")?;
        }
    }
    let c = Counts::of(query, lines);
    let missing: Vec<&str> = lines
        .iter()
        .filter(|l| l.status == State::Missing)
        .map(|l| l.name.as_str())
        .collect();
    // "35 expected" surprises whoever counts 27 member states: say who.
    let observers = query
        .expected
        .iter()
        .filter(|code| {
            query
                .network
                .membership(code)
                .is_some_and(|m| m.role == ahq::network::Role::Observer)
        })
        .count();
    let who = if observers > 0 {
        format!(
            " ({} member states, {observers} {})",
            c.expected - observers,
            if observers == 1 {
                "observer"
            } else {
                "observers"
            }
        )
    } else {
        String::new()
    };
    out!(
        "\n{} expected{who}: {} received{}, {} invalid, {} missing{}{}{}",
        c.expected,
        c.received,
        match c.empty {
            0 => String::new(),
            n => format!(" ({n} empty)"),
        },
        c.invalid,
        c.missing,
        if c.late > 0 {
            format!(
                ", {} late (by the received date in decisions.toml, else the e-mail's, else the date in the file)",
                c.late
            )
        } else {
            String::new()
        },
        match c.others {
            0 => String::new(),
            n => format!("; {n} more from outside the expected list"),
        },
        if missing.is_empty() {
            String::new()
        } else {
            format!("\nmissing: {}", missing.join(", "))
        }
    )?;
    for p in passed_over(&s.reports) {
        out!(
            "{}: {}: {}",
            if p.unpacked { "unpacked" } else { "not read" },
            p.file,
            p.why
        )?;
    }
    if let Some((day, _)) = &s.last {
        let new: Vec<String> = lines
            .iter()
            .filter(|l| l.after_compilation == Some(true))
            .map(|l| format!("{} ({})", l.files.join(" and "), l.name))
            .collect();
        if new.is_empty() {
            out!("received after the last compilation ({day}): none")?;
        } else {
            out!(
                "received after the last compilation ({day}): {}; compile again for an updated compilation",
                new.join(", ")
            )?;
        }
    }
    if lines.iter().any(|l| l.status == State::Invalid) {
        out!(
            "invalid files: run `ahq validate {}` to see what to fix",
            query.dir.display()
        )?;
    }
    Ok(())
}
