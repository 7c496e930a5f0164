//! Properties over random corpora: layouts (labelled rows, answers under
//! their labels, a table of countries, one numbered cell), formats (xlsx,
//! CSV), flags in the network's languages, as check boxes or blank, with or
//! without a restriction note on top ("CONFIDENTIAL – do not disseminate
//! further"), unicode answers with line breaks, long answers; a table row's
//! flag cell merged with the row above's (issue 19: the merged value is
//! both rows' flag), a CSV whose quote is left open above its flag (damage:
//! refused), and a file copied over a few times as the compilation starts
//! (the compilation is of one whole version of it, or stops saying it
//! changed and writes nothing); an earlier version of a reply ("BE v0.xlsx",
//! flagged No, part 13), superseded by the later one, whose change to Yes
//! is confirmed in decisions.toml or not (then an error: refused).
//!
//! (a) No text of a response that is not plainly open (flagged No, or a Yes
//!     or blank contradicted by a note, or an earlier version) appears in any wider output,
//!     searched byte by byte in every file and inside every xlsx and docx part.
//! (b) Every non-empty answer cell of every compiled input is in the full
//!     outputs: in its Responses cell (with the rows that continue it),
//!     whole; a file that is not compiled is named in the manifest.

mod support;

use proptest::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;
use support::{Case, occurrences, sheet};

const COUNTRIES: [(&str, &str); 10] = [
    ("BE", "Belgium"),
    ("FR", "France"),
    ("DE", "Germany"),
    ("IT", "Italy"),
    ("ES", "Spain"),
    ("PL", "Poland"),
    ("SE", "Sweden"),
    ("FI", "Finland"),
    ("PT", "Portugal"),
    ("EE", "Estonia"),
];
/// Every output for the wider audience (whatever its kind, by its name).
fn wider_outputs(out: &std::path::Path) -> Vec<std::path::PathBuf> {
    let files: Vec<_> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().contains("wider"))
        .collect();
    assert_eq!(files.len(), 6, "{files:?}");
    files
}

#[derive(Debug, Clone, Copy)]
enum Layout {
    LabelledXlsx,
    LabelledCsv,
    /// Each answer in the cell under its question's label (xlsx).
    BelowXlsx,
    /// One numbered cell answering all four questions (CSV: no length limit).
    NumberedCsv,
    /// A row in a shared table of countries (xlsx).
    TableRow,
}

/// How the flag is given.
#[derive(Debug, Clone, Copy)]
enum Flag {
    /// A word in the cell beside the label ("" blank: the default Yes).
    Word(&'static str),
    /// Options "Yes" | "No" beside the label, an X under the chosen one.
    Boxes(bool),
    /// "☒ Yes ☐ No" in the cell beside the label.
    BoxesInCell(bool),
}

const YES_WORDS: [&str; 7] = ["Yes", "Ja", "Oui", "Sí", "Kyllä", "Tak", "Да"];
const NO_WORDS: [&str; 8] = ["No", "Nein", "Non", "Όχι", "Le", "Níl", "Nu", "Не"];

/// What should become of a response.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fate {
    /// Compiled, and in the wider compilation.
    Open,
    /// Compiled, with the statement in the wider compilation.
    Restricted,
    /// An error (a Yes or blank under a restriction note): not compiled.
    Refused,
}

#[derive(Debug, Clone)]
struct Response {
    flag: Flag,
    /// A restriction note above the answers.
    note: bool,
    layout: Layout,
    /// Four answers; `None` left blank.
    answers: Vec<Option<String>>,
    /// A table row whose flag cell is merged into the row above's, when
    /// that row is a table row too ([`settle_merges`]).
    merge_up: bool,
    /// A CSV with a quote left open above the flag: damage, refused.
    open_quote: bool,
    /// The file is copied over (the same bytes, truncated then written in
    /// two pieces) a few times as the compilation starts.
    changing: bool,
    /// An earlier version of the reply, flagged No, in a file of its own
    /// ("BE v0.xlsx"); with `true`, decisions.toml confirms the later
    /// reply's Yes.
    earlier: Option<bool>,
}

impl Response {
    fn says_yes(&self) -> bool {
        match self.flag {
            Flag::Word(w) => w.is_empty() || YES_WORDS.contains(&w),
            Flag::Boxes(yes) | Flag::BoxesInCell(yes) => yes,
        }
    }

    fn fate(&self) -> Fate {
        if self.open_quote {
            return Fate::Refused;
        }
        match (self.says_yes(), self.note) {
            // A No that became Yes, unconfirmed: an error until it is.
            (true, false) if self.earlier == Some(false) => Fate::Refused,
            (true, false) => Fate::Open,
            (true, true) => Fate::Refused,
            (false, _) => Fate::Restricted,
        }
    }

    fn restricted(&self) -> bool {
        self.fate() != Fate::Open
    }

    /// The flag's rows, after the label: the label's row, then any below it.
    fn flag_rows(&self) -> Vec<Vec<String>> {
        let label = "Wider dissemination".to_string();
        match self.flag {
            Flag::Word(w) => vec![vec![label, w.into()]],
            Flag::Boxes(yes) => vec![
                vec![label, "Yes".into(), "No".into()],
                if yes {
                    vec!["".into(), "X".into()]
                } else {
                    vec!["".into(), "".into(), "X".into()]
                },
            ],
            Flag::BoxesInCell(yes) => vec![vec![
                label,
                if yes {
                    "☒ Yes ☐ No"
                } else {
                    "☐ Yes ☒ No"
                }
                .into(),
            ]],
        }
    }
}

/// Words of letters from several scripts, spaces, punctuation, line breaks.
fn text() -> impl Strategy<Value = String> {
    let word = "[a-zA-Zàéîõüßçøłšžαβγδжшщ中文日本🙂]{1,12}";
    prop::collection::vec(
        (
            word,
            prop::sample::select(vec![" ", " ", ", ", "; ", "\n", ". "]),
        ),
        1..12,
    )
    .prop_map(|parts| {
        let s: String = parts.into_iter().map(|(w, sep)| w + sep).collect();
        s.trim().to_string()
    })
    .prop_filter("not blank", |s| !s.trim().is_empty())
}

fn answer(long: bool) -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        1 => Just(None),
        6 => text().prop_map(Some),
        2 => (prop::sample::select(vec!["Yes", "No"]), text()).prop_map(|(yn, t)| Some(format!("{yn}, {t}"))),
        // A partner country and a theme (part 14), for the analysis.
        2 => (
            prop::sample::select(vec!["Morocco", "Cape Verde", "Kazakhstan", "the Moldovan"]),
            prop::sample::select(vec!["readmission", "border management", "remittances"]),
            text(),
        )
            .prop_map(|(p, t, x)| Some(format!("With {p} on {t}: {x}"))),
        if long { 1 } else { 0 } => text().prop_map(|t| Some(format!("{t} ").repeat(40_000 / (t.len() + 1) + 1).trim().to_string())),
    ]
}

fn flag() -> impl Strategy<Value = Flag> {
    let words: Vec<&'static str> = YES_WORDS
        .iter()
        .chain(NO_WORDS.iter())
        .chain([""].iter())
        .copied()
        .collect();
    prop_oneof![
        4 => prop::sample::select(words).prop_map(Flag::Word),
        1 => any::<bool>().prop_map(Flag::Boxes),
        1 => any::<bool>().prop_map(Flag::BoxesInCell),
    ]
}

fn response() -> impl Strategy<Value = Response> {
    (
        flag(),
        prop::bool::weighted(0.2),
        prop::sample::select(vec![
            Layout::LabelledXlsx,
            Layout::LabelledCsv,
            Layout::BelowXlsx,
            Layout::NumberedCsv,
            Layout::TableRow,
        ]),
        (
            prop::bool::weighted(0.4),
            prop::bool::weighted(0.15),
            prop::bool::weighted(0.1),
        ),
    )
        .prop_map(|(flag, note, layout, extras)| ((flag, note, layout), extras))
        .prop_map(|((flag, note, layout), (merge_up, open_quote, changing))| {
            let csv = matches!(layout, Layout::LabelledCsv | Layout::NumberedCsv);
            let table = matches!(layout, Layout::TableRow);
            (
                (flag, note, layout),
                (merge_up && table, open_quote && csv, changing && !table),
            )
        })
        .prop_map(|((flag, note, layout), extras)| {
            let (flag, note, layout) = (flag, note, layout);
            (
                match layout {
                    // A table row has one flag cell and no note of its own.
                    Layout::TableRow => {
                        let word = match flag {
                            Flag::Word(w) => w,
                            Flag::Boxes(y) | Flag::BoxesInCell(y) => {
                                if y {
                                    "Yes"
                                } else {
                                    "No"
                                }
                            }
                        };
                        (Flag::Word(word), false, layout)
                    }
                    _ => (flag, note, layout),
                },
                extras,
            )
        })
        .prop_flat_map(|((flag, note, layout), (merge_up, open_quote, changing))| {
            // Long answers only where a cell can hold them (CSV).
            let long = matches!(layout, Layout::LabelledCsv | Layout::NumberedCsv);
            let numbered = matches!(layout, Layout::NumberedCsv);
            // Versions are files of one response each; a damaged later
            // version (an open quote) is not one ahq can tell is a version.
            let versioned = !matches!(layout, Layout::TableRow) && !open_quote;
            (
                prop::collection::vec(answer(long), 4),
                prop::option::weighted(0.3, any::<bool>()),
            )
                .prop_map(move |(mut answers, earlier)| {
                    let earlier = earlier.filter(|_| versioned);
                    if numbered {
                        // A numbered cell names every question it answers.
                        for a in &mut answers {
                            a.get_or_insert_with(|| "n/a".into());
                        }
                    }
                    Response {
                        flag,
                        note,
                        layout,
                        answers,
                        merge_up,
                        open_quote,
                        changing,
                        earlier,
                    }
                })
        })
}

/// A table row merged into the row above takes that row's flag word (what
/// a person sees over the merged cells); a first table row is not merged.
fn settle_merges(corpus: &mut [Response]) {
    let mut above: Option<Flag> = None;
    for r in corpus.iter_mut() {
        if !matches!(r.layout, Layout::TableRow) {
            continue;
        }
        match above {
            Some(flag) if r.merge_up => r.flag = flag,
            _ => r.merge_up = false,
        }
        above = Some(r.flag);
    }
}

/// Gives each restricted answer a unique token, so that a leak is a search.
fn mark(corpus: &mut [Response]) -> Vec<String> {
    // An earlier version's words are never compiled: each is a token.
    let mut tokens: Vec<String> = corpus
        .iter()
        .enumerate()
        .filter(|(_, r)| r.earlier.is_some())
        .map(|(i, _)| format!("ZQXE{i}EARLIER"))
        .collect();
    for (i, r) in corpus.iter_mut().enumerate() {
        if !r.restricted() {
            continue;
        }
        for (q, a) in r.answers.iter_mut().enumerate() {
            if let Some(a) = a {
                // At both ends: a quote of the first words, or of the last,
                // is caught as surely as the whole.
                let (head, tail) = (format!("ZQX{i}Q{q}HEAD"), format!("ZQX{i}Q{q}TAIL"));
                *a = format!("{head} {a} {tail}");
                tokens.push(head);
                tokens.push(tail);
            }
        }
    }
    tokens
}

/// A restriction note, as a title above the answers.
const NOTE: &str = "CONFIDENTIAL – do not disseminate further";

/// The case, and the files in it that are to change while it is compiled.
fn build(corpus: &[Response]) -> (Case, Vec<String>) {
    let mut case = Case::new();
    let mut decisions = String::new();
    let mut changing = Vec::new();
    // Runs of merged flag cells in the table: (first row, last row).
    let mut merges: Vec<(u32, u32)> = Vec::new();
    let mut table: Vec<Vec<String>> = vec![
        ["Country", "Wider Dissemination", "1", "2", "3", "4"]
            .map(String::from)
            .to_vec(),
    ];
    for (i, r) in corpus.iter().enumerate() {
        let (code, name) = COUNTRIES[i];
        let cell = |a: &Option<String>| a.clone().unwrap_or_default();
        let mut head: Vec<Vec<String>> = Vec::new();
        if r.note {
            head.push(vec![NOTE.into()]);
        }
        head.push(vec!["Country".into(), name.into()]);
        head.extend(r.flag_rows());
        if let Some(confirmed) = r.earlier {
            // Written first, so that every sign (its saving time, the
            // file's) puts it before the later reply, as "v0" does.
            let words = format!("ZQXE{i}EARLIER draft words");
            let rows: Vec<Vec<&str>> = vec![
                vec!["Country", name],
                vec!["Wider dissemination", "No"],
                vec!["1", &words],
            ];
            let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
            case = case.xlsx(&format!("{code} v0.xlsx"), &[("Response", &rows)]);
            if confirmed {
                let main = match r.layout {
                    Layout::LabelledCsv | Layout::NumberedCsv => format!("{code}.csv"),
                    _ => format!("{code}.xlsx"),
                };
                decisions.push_str(&format!("files.\"{main}\".flag = \"Yes\"\n"));
            }
        }
        match r.layout {
            Layout::LabelledXlsx | Layout::LabelledCsv | Layout::BelowXlsx => {
                let mut rows = head;
                for (q, a) in r.answers.iter().enumerate() {
                    if matches!(r.layout, Layout::BelowXlsx) {
                        rows.push(vec![format!("Question {}", q + 1)]);
                        rows.push(vec![cell(a)]);
                    } else {
                        rows.push(vec![(q + 1).to_string(), cell(a)]);
                    }
                }
                let rows: Vec<Vec<&str>> = rows
                    .iter()
                    .map(|r| r.iter().map(String::as_str).collect())
                    .collect();
                let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
                let file = match r.layout {
                    Layout::LabelledCsv => format!("{code}.csv"),
                    _ => format!("{code}.xlsx"),
                };
                case = match r.layout {
                    Layout::LabelledCsv => case.file(&file, open_quote_csv(&rows, r.open_quote)),
                    _ => case.xlsx(&file, &[("Response", &rows)]),
                };
                if r.changing {
                    changing.push(file);
                }
            }
            Layout::NumberedCsv => {
                let numbered: String = r
                    .answers
                    .iter()
                    .enumerate()
                    .map(|(q, a)| format!("{}. {} ", q + 1, cell(a)))
                    .collect();
                let mut rows = head;
                rows.push(vec!["Response".into(), numbered.trim().to_string()]);
                let rows: Vec<Vec<&str>> = rows
                    .iter()
                    .map(|r| r.iter().map(String::as_str).collect())
                    .collect();
                let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
                case = case.file(&format!("{code}.csv"), open_quote_csv(&rows, r.open_quote));
                if r.changing {
                    changing.push(format!("{code}.csv"));
                }
            }
            Layout::TableRow => {
                let Flag::Word(word) = r.flag else {
                    unreachable!("table rows are given words")
                };
                let row_at = table.len() as u32;
                // A merged row's own cell is blank: the value is the run's first cell's.
                let shown = if r.merge_up { "" } else { word };
                let mut row = vec![name.to_string(), shown.to_string()];
                row.extend(r.answers.iter().map(cell));
                table.push(row);
                match merges.last_mut() {
                    Some((_, last)) if r.merge_up && *last + 1 == row_at => *last = row_at,
                    _ if r.merge_up => merges.push((row_at - 1, row_at)),
                    _ => {}
                }
            }
        }
    }
    if table.len() > 1 {
        let rows: Vec<Vec<&str>> = table
            .iter()
            .map(|r| r.iter().map(String::as_str).collect())
            .collect();
        let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
        let first_words: Vec<String> = merges
            .iter()
            .map(|(first, _)| table[*first as usize][1].clone())
            .collect();
        let bytes = support::xlsx(&[("Sheet1", &rows)], |wb| {
            let ws = wb.worksheet_from_index(0).unwrap();
            for ((first, last), word) in merges.iter().zip(&first_words) {
                ws.merge_range(*first, 1, *last, 1, word, &rust_xlsxwriter::Format::new())
                    .unwrap();
            }
        });
        case = case.file("table.xlsx", bytes);
    }
    std::fs::write(case.dir().join("decisions.toml"), decisions).unwrap();
    (case, changing)
}

/// A `;`-separated CSV of `rows`; with `open`, a note whose quote is never
/// closed sits under the first row, above the flag, as a sender's
/// unfinished edit leaves it.
fn open_quote_csv(rows: &[&[&str]], open: bool) -> Vec<u8> {
    let mut bytes = support::csv(&rows[..1], b';');
    if open {
        bytes.extend_from_slice(b"Note;\"Comment: see below\n");
    }
    bytes.extend(support::csv(&rows[1..], b';'));
    bytes
}

/// Copies each file over itself (truncate, then two writes) a few times,
/// about 20 ms in all, from the moment the compilation starts: a read may
/// land on a half-written file, or on a whole one after the last copy.
fn keep_copying(dir: &std::path::Path, files: &[String]) {
    use std::io::Write;
    let texts: Vec<(std::path::PathBuf, Vec<u8>)> = files
        .iter()
        .map(|f| {
            let p = dir.join("responses").join(f);
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    for _ in 0..5 {
        for (p, bytes) in &texts {
            let mut f = std::fs::File::create(p).unwrap();
            f.write_all(&bytes[..bytes.len() / 2]).unwrap();
            f.flush().unwrap();
            std::thread::sleep(std::time::Duration::from_millis(1));
            f.write_all(&bytes[bytes.len() / 2..]).unwrap();
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
}

/// A Responses row's cells, each joined with its continuation rows below.
fn full_cells(out: &std::path::Path) -> BTreeMap<String, Vec<String>> {
    support::responses_by_country(&sheet(&out.join("compilation-full.xlsx"), "Responses"))
        .into_iter()
        .map(|(name, cells)| (name, cells[..4].to_vec()))
        .collect()
}

proptest! {
    // CI explores the same 64 corpora every run (a red build is a change's
    // doing, never the dice's); elsewhere each run draws new ones, and a
    // failure found is kept in properties.proptest-regressions.
    #![proptest_config(ProptestConfig {
        cases: 64,
        rng_seed: if std::env::var_os("CI").is_some() {
            proptest::test_runner::RngSeed::Fixed(20_261_123)
        } else {
            proptest::test_runner::RngSeed::Random
        },
        .. ProptestConfig::default()
    })]

    #[test]
    fn no_restricted_text_leaks_and_no_answer_is_lost(
        mut corpus in prop::collection::vec(response(), 1..COUNTRIES.len())
    ) {
        settle_merges(&mut corpus);
        let tokens = mark(&mut corpus);
        let (case, changing) = build(&corpus);
        let (run, out) = std::thread::scope(|s| {
            if !changing.is_empty() {
                s.spawn(|| keep_copying(case.dir(), &changing));
            }
            case.compile_with(&["--date", "2010-10-08", "--skip-invalid"])
        });
        // Only a file that changed may stop it, and then nothing is written;
        // once the copying is over, the same files compile (and are checked below).
        let out = if run.code != 0 {
            prop_assert!(!changing.is_empty(), "{}", run.stderr);
            prop_assert_eq!(run.code, 1, "{}", run.stderr);
            prop_assert!(run.stderr.contains("changed"), "{}", run.stderr);
            prop_assert!(!out.exists() || std::fs::read_dir(&out).unwrap().next().is_none());
            case.compile(&["--date", "2010-10-08", "--skip-invalid"])
        } else {
            out
        };

        // (a) nothing restricted in any wider output, in any part.
        let wider = wider_outputs(&out);
        for token in &tokens {
            for f in &wider {
                let found = occurrences(f, token);
                prop_assert!(found.is_empty(), "{} leaked into {:?}", token, found);
            }
        }
        // The wider Summary counts and names no restricted answer: its Yes and
        // No lists (question 1 answers start with Yes or No) hold only open countries.
        let summary = sheet(&out.join("compilation-wider.xlsx"), "Summary");
        for row in summary.iter().filter(|r| matches!(r[0].as_str(), "Yes" | "No" | "Answered")) {
            for (i, r) in corpus.iter().enumerate() {
                if r.restricted() {
                    prop_assert!(!row[2].split(", ").any(|n| n == COUNTRIES[i].1), "{:?}", row);
                }
            }
        }

        // The analysis (part 14): the wider partners and themes name only
        // open responses; the full ones hold the restricted ones' too.
        for (kind, i) in [("partners", 0usize), ("themes", 0)] {
            let rows = |word: &str| -> Vec<String> {
                let text = std::fs::read_to_string(out.join(format!("{kind}-{word}.csv"))).unwrap();
                text.lines().skip(1).map(|l| l.split(',').nth(i).unwrap_or("").to_string()).collect()
            };
            let (wider_codes, full_codes) = (rows("wider"), rows("full"));
            // What was compiled, as records.json says (a later version, an
            // earlier one): each record whose answers name a partner and a
            // theme is in the full analysis.
            let compiled: Vec<Value> =
                serde_json::from_slice(&std::fs::read(out.join("records.json")).unwrap()).unwrap();
            for (j, r) in corpus.iter().enumerate() {
                let code = COUNTRIES[j].0;
                if r.fate() != Fate::Open {
                    prop_assert!(!wider_codes.iter().any(|c| c == code), "{} in {}-wider.csv", code, kind);
                }
                let names = compiled.iter().any(|rec| {
                    rec["superseded"].is_null()
                        && rec["country"]["code"] == code
                        && rec["answers"].as_array().into_iter().flatten().any(|a| {
                            a["text"].as_str().is_some_and(|t| t.starts_with("With "))
                        })
                });
                if names {
                    prop_assert!(full_codes.iter().any(|c| c == code), "{} not in {}-full.csv", code, kind);
                }
            }
        }

        // (b) every answer given is in the full workbook, whole and as normalised.
        let records: Vec<Value> =
            serde_json::from_slice(&std::fs::read(out.join("records.json")).unwrap()).unwrap();
        let compiled = corpus.iter().filter(|r| r.fate() != Fate::Refused).count();
        let current = records.iter().filter(|r| r["superseded"].is_null()).count();
        prop_assert_eq!(current, compiled);
        // Each earlier version whose later one is compiled is named as superseded.
        for (i, r) in corpus.iter().enumerate() {
            if r.earlier.is_some() && r.fate() != Fate::Refused {
                let file = format!("{} v0.xlsx", COUNTRIES[i].0);
                prop_assert!(
                    records.iter().any(|rec| rec["file"] == file.as_str() && !rec["superseded"].is_null()),
                    "{} is not superseded in records.json", file
                );
            }
        }
        let cells = full_cells(&out);
        let wider_rows = sheet(&out.join("compilation-wider.xlsx"), "Responses");
        let manifest: Value =
            serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
        for (i, r) in corpus.iter().enumerate() {
            let name = COUNTRIES[i].1;
            let flag = wider_rows.iter().find(|row| row[0] == name).map(|row| row[1].as_str());
            match r.fate() {
                Fate::Open => prop_assert_eq!(flag, Some("Yes"), "{}", name),
                Fate::Restricted => prop_assert_eq!(flag, Some("No"), "{}", name),
                Fate::Refused => {
                    prop_assert_eq!(flag, None, "{} is refused, so in no row", name);
                    let skipped = manifest["files"].as_array().unwrap().iter().any(|f| {
                        f["outcome"] == "skipped"
                            && f["path"].as_str().is_some_and(|p| p.contains(COUNTRIES[i].0))
                    });
                    prop_assert!(skipped, "{} is not named as skipped: {}", name, manifest);
                    continue;
                }
            }
            let row = cells.get(name).unwrap();
            for (q, a) in r.answers.iter().enumerate() {
                let Some(a) = a else { continue };
                let expected = ahq::text::tidy(a);
                if expected.is_empty() {
                    continue;
                }
                prop_assert!(
                    row[q] == expected,
                    "{} question {}: {:?}, flag {:?}, note {}: {} characters compiled, {} given",
                    name, q + 1, r.layout, r.flag, r.note, row[q].len(), expected.len()
                );
            }
        }
        // Every token of a compiled response is in the members' outputs.
        for (i, _) in corpus.iter().enumerate().filter(|(_, r)| r.fate() == Fate::Restricted) {
            for token in tokens.iter().filter(|t| t.starts_with(&format!("ZQX{i}Q"))) {
                prop_assert!(!occurrences(&out.join("compilation-full.xlsx"), token).is_empty());
                prop_assert!(!occurrences(&out.join("responses-full.csv"), token).is_empty());
                prop_assert!(!occurrences(&out.join("compilation-full.docx"), token).is_empty());
            }
        }
    }
}
