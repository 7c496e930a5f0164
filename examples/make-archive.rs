//! Builds a synthetic archive of ad-hoc queries for benchmarks.
//!
//! ```text
//! cargo run --release --example make-archive -- --queries 200 --responses 25 OUT
//! ```
//!
//! Writes `OUT/q0001/ … OUT/qNNNN/`, each a query folder (query.toml and
//! responses/) with one response per country, across the layouts and formats
//! member states send: labelled xlsx (55%), labelled CSV (15%), one numbered
//! CSV cell (10%), labelled ods (15%), a table of two countries in one xlsx
//! (5%). Answers run from 100 to 3,000 characters; about one response in ten
//! is flagged No. Deterministic: the same arguments give the same files.
//!
//! Like make-sample, it plays the member states and does not use the library.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};
use std::error::Error;
use std::fs;
use std::io::Write;
use std::path::Path;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// The EU member states of the EMN after 2013 (Denmark does not take part).
const COUNTRIES: [(&str, &str); 26] = [
    ("AT", "Austria"),
    ("BE", "Belgium"),
    ("BG", "Bulgaria"),
    ("HR", "Croatia"),
    ("CY", "Cyprus"),
    ("CZ", "Czech Republic"),
    ("EE", "Estonia"),
    ("FI", "Finland"),
    ("FR", "France"),
    ("DE", "Germany"),
    ("EL", "Greece"),
    ("HU", "Hungary"),
    ("IE", "Ireland"),
    ("IT", "Italy"),
    ("LV", "Latvia"),
    ("LT", "Lithuania"),
    ("LU", "Luxembourg"),
    ("MT", "Malta"),
    ("NL", "Netherlands"),
    ("PL", "Poland"),
    ("PT", "Portugal"),
    ("RO", "Romania"),
    ("SK", "Slovak Republic"),
    ("SI", "Slovenia"),
    ("ES", "Spain"),
    ("SE", "Sweden"),
];

const WORDS: [&str; 40] = [
    "migration",
    "partnership",
    "return",
    "reintegration",
    "labour",
    "mobility",
    "agreement",
    "Georgia",
    "Moldova",
    "Cape Verde",
    "national",
    "authorities",
    "programme",
    "cooperation",
    "third",
    "countries",
    "asylum",
    "procedure",
    "legislation",
    "the",
    "of",
    "and",
    "in",
    "with",
    "for",
    "is",
    "was",
    "has been",
    "implemented",
    "project",
    "funding",
    "voluntary",
    "integration",
    "measures",
    "applicants",
    "residence",
    "permit",
    "Ministry of Interior",
    "since 2015",
    "under review",
];

/// A small deterministic generator (xorshift64*): no dependency, same output everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn text(&mut self, min: usize, max: usize) -> String {
        let target = min + self.below(max - min + 1);
        let mut s = String::with_capacity(target + 20);
        let mut sentence_start = true;
        while s.len() < target {
            let w = WORDS[self.below(WORDS.len())];
            if sentence_start {
                let mut c = w.chars();
                if let Some(f) = c.next() {
                    s.extend(f.to_uppercase());
                    s.push_str(c.as_str());
                }
            } else {
                s.push_str(w);
            }
            sentence_start = self.below(12) == 0;
            s.push_str(if sentence_start { ". " } else { " " });
        }
        s.trim_end().to_string() + "."
    }
}

struct Answered {
    code: &'static str,
    name: &'static str,
    flag: &'static str,
    answers: [String; 4],
}

/// Write a synthetic archive of ad-hoc queries, for benchmarks.
///
/// Example:
///   make-archive --queries 200 --responses 25 /tmp/archive
#[derive(clap::Parser)]
#[command(verbatim_doc_comment)]
struct Args {
    /// How many query folders.
    #[arg(long, default_value_t = 200)]
    queries: usize,
    /// Responses per query (at most 26, one per country).
    #[arg(long, default_value_t = 25,
          value_parser = clap::value_parser!(u64).range(1..=COUNTRIES.len() as u64))]
    responses: u64,
    /// The folder to write (q0001/, q0002/, … inside it).
    out: std::path::PathBuf,
}

fn main() -> Result<()> {
    let args = <Args as clap::Parser>::parse();
    let (queries, responses, out) = (args.queries, args.responses as usize, args.out);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for q in 1..=queries {
        let dir = Path::new(&out).join(format!("q{q:04}"));
        query(&dir, q)?;
        let mut order: Vec<usize> = (0..COUNTRIES.len()).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i + 1));
        }
        let mut table: Vec<Answered> = Vec::new();
        for &c in order.iter().take(responses) {
            let (code, name) = COUNTRIES[c];
            let a = Answered {
                code,
                name,
                flag: if rng.below(10) == 0 { "No" } else { "Yes" },
                answers: [
                    format!("{}. {}", ["Yes", "No"][rng.below(2)], rng.text(100, 600)),
                    rng.text(100, 800),
                    rng.text(100, 3000),
                    rng.text(100, 3000),
                ],
            };
            let responses_dir = dir.join("responses");
            match rng.below(20) {
                0..=10 => labelled_xlsx(&responses_dir.join(format!("{code}.xlsx")), &a)?,
                11..=13 => labelled_csv(&responses_dir.join(format!("{code}.csv")), &a)?,
                14..=15 => numbered_csv(&responses_dir.join(format!("{code}_numbered.csv")), &a)?,
                16..=18 => labelled_ods(&responses_dir.join(format!("{code}.ods")), &a)?,
                _ => table.push(a),
            }
        }
        for pair in table.chunks(2) {
            let codes: Vec<&str> = pair.iter().map(|a| a.code).collect();
            table_xlsx(
                &dir.join("responses")
                    .join(format!("table_{}.xlsx", codes.join("_"))),
                pair,
            )?;
        }
    }
    Ok(())
}

fn query(dir: &Path, q: usize) -> Result<()> {
    fs::create_dir_all(dir.join("responses"))?;
    let year = 2014 + (q % 11);
    let month = 1 + (q % 12);
    fs::write(
        dir.join("query.toml"),
        format!(
            r#"title = "Synthetic query {q}"
reference = "{year}.{q}"
requested_by = "BE"
requested_on = {year}-{month:02}-01
deadline = {year}-{month:02}-28
compiled_on = {year}-{month:02}-28

[[questions]]
id = "1"
text = "Do you have a programme for this in your Member State?"
type = "yes-no"

[[questions]]
id = "2"
text = "Which third countries are involved?"
type = "countries"

[[questions]]
id = "3"
text = "Which measures are in place, and since when?"

[[questions]]
id = "4"
text = "What are your experiences, positive and negative?"
"#
        ),
    )?;
    Ok(())
}

fn rows(a: &Answered) -> Vec<[String; 2]> {
    let mut rows = vec![
        ["Country".to_string(), a.name.to_string()],
        ["Wider dissemination".to_string(), a.flag.to_string()],
    ];
    for (i, t) in a.answers.iter().enumerate() {
        rows.push([(i + 1).to_string(), t.clone()]);
    }
    rows
}

fn new_workbook() -> Result<Workbook> {
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2015, 1, 1)?),
    );
    Ok(wb)
}

fn labelled_xlsx(path: &Path, a: &Answered) -> Result<()> {
    let mut wb = new_workbook()?;
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, format!("Response from {}", a.name))?;
    for (r, [k, v]) in rows(a).iter().enumerate() {
        ws.write_string(r as u32 + 2, 0, k)?;
        ws.write_string(r as u32 + 2, 1, v)?;
    }
    wb.save(path)?;
    Ok(())
}

fn table_xlsx(path: &Path, answered: &[Answered]) -> Result<()> {
    let mut wb = new_workbook()?;
    let ws = wb.add_worksheet();
    for (c, h) in ["Country", "Wider Dissemination", "1", "2", "3", "4"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h)?;
    }
    for (r, a) in answered.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_string(r, 0, a.name)?;
        ws.write_string(r, 1, a.flag)?;
        for (c, t) in a.answers.iter().enumerate() {
            ws.write_string(r, c as u16 + 2, t)?;
        }
    }
    wb.save(path)?;
    Ok(())
}

fn csv_field(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn labelled_csv(path: &Path, a: &Answered) -> Result<()> {
    let mut f = fs::File::create(path)?;
    for [k, v] in rows(a) {
        writeln!(f, "{};{}", csv_field(&k), csv_field(&v))?;
    }
    Ok(())
}

fn numbered_csv(path: &Path, a: &Answered) -> Result<()> {
    let all: String = a
        .answers
        .iter()
        .enumerate()
        .map(|(i, t)| format!("{}. {t}\n", i + 1))
        .collect();
    let mut f = fs::File::create(path)?;
    writeln!(f, "Country;{}", csv_field(a.name))?;
    writeln!(f, "Wider dissemination;{}", a.flag)?;
    writeln!(f, "Response;{}", csv_field(all.trim()))?;
    Ok(())
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An OpenDocument spreadsheet as LibreOffice writes one: trailing empty
/// columns and rows repeated to the edge of the sheet.
fn labelled_ods(path: &Path, a: &Answered) -> Result<()> {
    let mut body = String::new();
    for [k, v] in rows(a) {
        body.push_str(&format!(
            r#"<table:table-row><table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell><table:table-cell table:number-columns-repeated="1022"/></table:table-row>"#,
            xml_escape(&k),
            xml_escape(&v)
        ));
    }
    body.push_str(r#"<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#);
    let mut zip = zip::ZipWriter::new(fs::File::create(path)?);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored)?;
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")?;
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("META-INF/manifest.xml", opts)?;
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#)?;
    zip.start_file("content.xml", opts)?;
    write!(
        zip,
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Sheet1">{body}</table:table></office:spreadsheet></office:body></office:document-content>"#
    )?;
    zip.finish()?;
    Ok(())
}
