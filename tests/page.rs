//! The checking page kept in the repository (web/dist, part 17): what
//! `ahq template` writes beside every template, so that a fresh machine
//! needs no WebAssembly toolchain. It must be built from the sources as
//! they are: this test fails when they changed since `web/build.sh --dist`.

mod support;

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use support::repo;

/// What the page is built from, as `web/build.sh` lists it.
const PAGE_SOURCES: [&str; 9] = [
    "Cargo.toml",
    "Cargo.lock",
    "crates/core/Cargo.toml",
    "crates/core/src",
    "web/Cargo.toml",
    "web/build.sh",
    "web/src",
    "web/page",
    "templates",
];

/// The files the page is built from, relative to the repository's root,
/// in byte order: those git tracks (as `web/build.sh --dist` lists them,
/// so an editor's swap file is no source); without git (an unpacked
/// archive), every regular file under them.
fn sources() -> Vec<String> {
    let root = repo("");
    let git = std::process::Command::new("git")
        .arg("-C")
        .arg(&root)
        .args(["ls-files", "-z", "--"])
        .args(PAGE_SOURCES)
        .output()
        .ok()
        .filter(|o| o.status.success() && !o.stdout.is_empty());
    let mut out: Vec<String> = match git {
        Some(o) => String::from_utf8(o.stdout)
            .unwrap()
            .split('\0')
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect(),
        None => {
            fn walk(root: &Path, rel: &str, out: &mut Vec<String>) {
                let path = root.join(rel);
                let Ok(meta) = std::fs::symlink_metadata(&path) else {
                    return;
                };
                if meta.is_file() {
                    out.push(rel.to_string());
                } else if meta.is_dir() {
                    for e in std::fs::read_dir(&path).unwrap() {
                        let name = e.unwrap().file_name().to_string_lossy().into_owned();
                        walk(root, &format!("{rel}/{name}"), out);
                    }
                }
            }
            let mut out = Vec::new();
            for rel in PAGE_SOURCES {
                walk(&root, rel, &mut out);
            }
            out
        }
    };
    out.sort();
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `sha256sum` of each source, as lines, hashed: the digest build.sh keeps.
fn digest() -> String {
    let root = repo("");
    let mut listing = String::new();
    for rel in sources() {
        let bytes = std::fs::read(root.join(&rel)).unwrap();
        listing.push_str(&format!("{}  {rel}\n", hex(&Sha256::digest(&bytes))));
    }
    hex(&Sha256::digest(listing.as_bytes()))
}

#[test]
fn the_page_kept_in_web_dist_is_built_from_the_sources_as_they_are() {
    let kept = std::fs::read_to_string(repo("web/dist/SOURCES")).unwrap();
    assert_eq!(
        kept.trim(),
        digest(),
        "web/dist/ahq-validate.html.gz was built from other sources than these: `git add` any \
         new source, run `web/build.sh --dist` and commit web/dist"
    );
}

#[test]
fn ahq_template_writes_the_page_for_its_query_beside_the_template() {
    let case = support::Case::new();
    let r = case.run(&["template", "{dir}", "--country", "BE"]);
    r.status(0).stdout_has("check-your-response-2010.12.html");
    let page: PathBuf = case.dir().join("check-your-response-2010.12.html");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(!html.contains("@@QUERY_BASE64@@"), "the query is put in");
    use base64::Engine;
    let toml = base64::engine::general_purpose::STANDARD
        .encode(ahq::query::Query::load(case.dir()).unwrap().to_toml());
    assert!(html.contains(&toml));
    assert!(
        !html.contains("@@QUERY_TITLE_BASE64@@"),
        "the title is put in"
    );
    assert!(
        html.contains(&base64::engine::general_purpose::STANDARD.encode("Migration Partnerships"))
    );
    assert!(
        html.contains("connect-src 'none'"),
        "the page makes no connection"
    );
    // The template's instructions name the page.
    let rows = support::sheet(&case.dir().join("template-BE.xlsx"), "Response");
    let text = rows.concat().join(" ");
    assert!(
        text.contains("open check-your-response-2010.12.html (sent with this workbook)"),
        "{text}"
    );
    assert!(
        !text.contains("ahq validate"),
        "no coordinator command: {text}"
    );
}

/// Part 16's budget: the page goes by e-mail beside each template, to
/// contacts on every kind of connection. A change that grows the page as
/// built past 1.5 MB (a writer or a table pulled into the WebAssembly) fails
/// here, not in an inbox. A page written for a query carries the query too,
/// as base64 (4/3 of its query.toml, and the title).
#[test]
fn the_page_as_built_stays_under_1_5_mb() {
    let page = ahq::page::as_built().unwrap();
    assert!(
        page.len() <= 1_500_000,
        "web/dist/ahq-validate.html.gz unpacks to {} bytes, over the 1.5 MB budget: see BENCHMARKS.md (part 16) for what keeps it small",
        page.len()
    );
    // What a contact receives: the sample query adds about 2 KB.
    let case = support::Case::new();
    case.run(&["template", "{dir}", "--country", "BE"])
        .status(0);
    let written = std::fs::metadata(case.dir().join("check-your-response-2010.12.html"))
        .unwrap()
        .len();
    assert!(
        written > page.len() as u64 && written <= 1_500_000,
        "{written}"
    );
}

#[test]
fn ahq_template_all_writes_every_expected_country_s_template_and_one_page() {
    let case = support::Case::new().query(&support::QUERY.replace(
        "deadline = 2010-08-31",
        "deadline = 2010-08-31\nexpected = [\"BE\", \"FR\", \"MT\"]",
    ));
    case.run(&["template", "{dir}", "--all"]).status(0);
    for code in ["BE", "FR", "MT"] {
        let rows = support::sheet(
            &case.dir().join(format!("template-{code}.xlsx")),
            "Response",
        );
        let country = rows.iter().find(|r| r[0] == "Country").unwrap();
        let name = ahq::country::Countries::builtin()
            .unwrap()
            .by_code(code)
            .unwrap()
            .name
            .clone();
        assert_eq!(country[1], name);
    }
    assert!(
        case.dir()
            .join("check-your-response-2010.12.html")
            .is_file()
    );
    assert!(!case.dir().join("template.xlsx").exists());
}

#[test]
fn the_page_is_never_written_into_a_query_s_responses_folder() {
    let case = support::Case::new();
    case.run(&["template", "{dir}", "-o", "{dir}/responses/BE.xlsx"])
        .status(0);
    assert!(
        case.dir()
            .join("check-your-response-2010.12.html")
            .is_file()
    );
    let inside: Vec<String> = support::outputs(&case.dir().join("responses"));
    assert_eq!(
        inside,
        ["BE.xlsx"],
        "only the workbook: the page would be read as a reply"
    );
}

#[test]
fn ahq_template_all_with_no_country_expected_says_so_and_writes_nothing() {
    let case = support::Case::new().query(&support::QUERY.replace(
        "deadline = 2010-08-31",
        "deadline = 2010-08-31\nexpected = []",
    ));
    case.run(&["template", "{dir}", "--all"])
        .status(2)
        .stderr_has("--all: the query expects no country");
    assert!(!case.dir().join("check-your-response-2010.12.html").exists());
}

#[test]
fn a_template_is_never_written_without_its_page() {
    let case = support::Case::new();
    // Where the page goes, a folder: nothing can be written.
    std::fs::create_dir(case.dir().join("check-your-response-2010.12.html")).unwrap();
    let r = case.run(&["template", "{dir}", "--country", "BE"]);
    r.status(2)
        .stderr_has("check-your-response-2010.12.html")
        .stderr_has("is a folder");
    let written: Vec<String> = std::fs::read_dir(case.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".xlsx"))
        .collect();
    assert!(
        written.is_empty(),
        "templates without their page: {written:?}"
    );
}
