//! "Has this been asked before?" (part 15): `ahq index` and `ahq search`
//! through the binary, on an archive of compiled queries made from the
//! shipped sample.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use support::run;

fn ahq(args: &[&str]) -> support::Run {
    run(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
}

/// An archive of two compiled queries: the sample (2010, requested by
/// Austria) and a second one on return (2016, requested by Belgium) with a
/// French answer in accents and a Polish one.
fn archive() -> (tempfile::TempDir, PathBuf) {
    let root = tempfile::tempdir().unwrap();
    let archive = root.path().join("archive");
    std::fs::create_dir(&archive).unwrap();
    let sample = support::copy_sample();
    copy_dir(sample.path(), &archive.join("2010.12"));
    let q2 = archive.join("2016.3");
    std::fs::create_dir_all(q2.join("responses")).unwrap();
    std::fs::write(
        q2.join("query.toml"),
        support::QUERY
            .replace(
                "title = \"Migration Partnerships\"",
                "title = \"Return and Reintegration\"",
            )
            .replace("requested_by = \"AT\"", "requested_by = \"BE\"")
            .replace("Migration Partnership", "return programme")
            .replace("third countries", "countries of origin")
            .replace("requested_on = 2010-07-26", "requested_on = 2016-03-01")
            .replace("deadline = 2010-08-31", "deadline = 2016-04-01")
            .replace("reference = \"2010.12\"", "reference = \"2016.3\""),
    )
    .unwrap();
    std::fs::write(
        q2.join("responses/FR.csv"),
        "Country,France\nWider Dissemination?,Oui\n1,\"Oui: réintégration des migrants en Côte d'Ivoire, partenariats\"\n",
    )
    .unwrap();
    std::fs::write(
        q2.join("responses/PL.csv"),
        "Country,Poland\nWider Dissemination?,Yes\n1,\"Yes: a readmission agreement with Georgia, signed in Łódź\"\n",
    )
    .unwrap();
    std::fs::write(
        q2.join("responses/DE.csv"),
        "Country,Germany\nWider Dissemination?,No\n1,\"SECRETGERMANANSWER about readmission\"\n",
    )
    .unwrap();
    for q in ["2010.12", "2016.3"] {
        let r = ahq(&["compile", archive.join(q).to_str().unwrap(), "-q"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    (root, archive)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// `ahq index ARCHIVE --db DB EXTRA...`, however it ends.
fn index(archive: &str, db: &Path, extra: &[&str]) -> support::Run {
    let mut all = vec!["index", archive, "--db", db.to_str().unwrap()];
    all.extend(extra);
    ahq(&all)
}

fn search(db: &Path, args: &[&str]) -> Value {
    let mut all = vec!["search", "--db", db.to_str().unwrap(), "--format", "json"];
    all.extend(args);
    let r = ahq(&all);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

fn countries(v: &Value) -> Vec<String> {
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["country_code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn an_archive_is_indexed_and_searched_by_words_country_theme_and_requester() {
    let (root, archive) = archive();
    let db = root.path().join("index.sqlite");
    let r = index(archive.to_str().unwrap(), &db, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("2 queries"), "{}", r.stdout);
    assert!(r.stdout.contains("2 read, 0 unchanged"), "{}", r.stdout);

    // Words, best first, with the query's title, reference, date, country,
    // question and the words highlighted.
    let v = search(&db, &["readmission"]);
    assert_eq!(v["audience"], "wider");
    let first = &v["results"][0];
    assert!(
        first["snippet"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("**readmission**"),
        "{v:#}"
    );
    assert!(first["title"].is_string() && first["reference"].is_string());
    assert!(countries(&v).contains(&"PL".to_string()), "{v:#}");
    // By country, by requester, since a year.
    let v = search(&db, &["readmission", "--country", "Poland"]);
    assert!(countries(&v).iter().all(|c| c == "PL") && !countries(&v).is_empty());
    let v = search(&db, &["readmission", "--requested-by", "AT"]);
    assert!(
        v["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["requested_by"] == "Austria")
    );
    assert!(!countries(&v).is_empty());
    let v = search(&db, &["readmission", "--since", "2015"]);
    assert_eq!(countries(&v), ["PL"], "{v:#}");
    // By theme (part 14's themes), with no words.
    let v = search(&db, &["--theme", "readmission", "--since", "2015"]);
    assert_eq!(countries(&v), ["PL"], "{v:#}");
    // Diacritics and word forms: "reintegration" finds "réintégration",
    // "partnership" finds "partenariats"' neighbour "partnerships", and
    // "Lodz" finds "Łódź".
    let v = search(&db, &["reintegration", "--since", "2015"]);
    assert_eq!(countries(&v), ["FR"], "{v:#}");
    let v = search(&db, &["cote", "d'ivoire"]);
    assert_eq!(countries(&v), ["FR"], "{v:#}");
    let v = search(&db, &["Lodz"]);
    assert_eq!(countries(&v), ["PL"], "{v:#}");
    let v = search(&db, &["partnership", "--country", "PL", "--since", "2010"]);
    assert!(
        v["results"][0]["snippet"]
            .as_str()
            .unwrap()
            .contains("**partnerships**")
            || v["results"][0]["snippet"]
                .as_str()
                .unwrap()
                .contains("**partnership**"),
        "{v:#}"
    );
    // An unknown theme is said, with the known ones.
    let r = ahq(&[
        "search",
        "--db",
        db.to_str().unwrap(),
        "--theme",
        "readmision",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not a theme ahq knows") && r.stderr.contains("readmission"));
    drop(root);
}

#[test]
fn similar_ranks_past_queries_by_a_draft() {
    let (root, archive) = archive();
    let db = root.path().join("index.sqlite");
    index(archive.to_str().unwrap(), &db, &[]).status(0);
    let draft = root.path().join("draft");
    std::fs::create_dir_all(&draft).unwrap();
    std::fs::write(
        draft.join("query.toml"),
        support::QUERY.replace(
            "title = \"Migration Partnerships\"",
            "title = \"Partnerships on migration with third countries\"",
        ),
    )
    .unwrap();
    let v = search(&db, &["--similar", draft.to_str().unwrap()]);
    let similar = v["similar"].as_array().unwrap();
    assert_eq!(similar[0]["title"], "Migration Partnerships", "{v:#}");
}

#[test]
fn reindexing_reads_only_what_changed_and_drops_what_is_gone() {
    let (root, archive) = archive();
    let db = root.path().join("index.sqlite");
    let index = |expect: &str| {
        let r = index(archive.to_str().unwrap(), &db, &[]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.contains(expect), "{expect}: {}", r.stdout);
    };
    index("2 read, 0 unchanged, 0 removed");
    index("0 read, 2 unchanged, 0 removed");
    // A recompiled query (another date, so another manifest) is read again.
    let r = ahq(&[
        "compile",
        archive.join("2016.3").to_str().unwrap(),
        "-q",
        "--date",
        "2017-01-01",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    index("1 read, 1 unchanged, 0 removed");
    // A query removed from the archive leaves the index.
    std::fs::remove_dir_all(archive.join("2016.3")).unwrap();
    index("1 query,");
    index("0 removed");
    let v = search(&db, &["Lodz"]);
    assert!(countries(&v).is_empty(), "{v:#}");
}

#[test]
fn the_wider_index_holds_no_restricted_byte_and_the_members_index_says_what_it_is() {
    let (root, archive) = archive();
    let db = root.path().join("index.sqlite");
    index(archive.to_str().unwrap(), &db, &[]).status(0);
    let bytes = std::fs::read(&db).unwrap();
    // The sample's restricted answers carry these tokens; Germany's answer
    // in the second query is restricted too.
    for token in ["AT-RESTRICTED", "CZ-RESTRICTED", "SECRETGERMANANSWER"] {
        assert!(
            !bytes.windows(token.len()).any(|w| w == token.as_bytes()),
            "{token} is in the wider index's file"
        );
    }
    // The members' index holds them, and says so at the top of a search.
    let members = root.path().join("members.sqlite");
    index(archive.to_str().unwrap(), &members, &["--members"]).status(0);
    let r = ahq(&[
        "search",
        "--db",
        members.to_str().unwrap(),
        "SECRETGERMANANSWER",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("members-only index"), "{}", r.stdout);
    assert!(r.stdout.contains("Germany, question 1"), "{}", r.stdout);
    // One file per audience: the wider file refuses --members, and the
    // members' file cannot be updated as a wider one.
    let r = index(archive.to_str().unwrap(), &members, &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("members-only"), "{}", r.stderr);
    let r = ahq(&[
        "search",
        "--db",
        db.to_str().unwrap(),
        "--members",
        "readmission",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("for wider dissemination"), "{}", r.stderr);
}

#[test]
fn a_query_not_compiled_is_named_not_silently_left_out() {
    let (root, archive) = archive();
    let draft = archive.join("2026.1");
    std::fs::create_dir_all(draft.join("responses")).unwrap();
    std::fs::write(draft.join("query.toml"), support::QUERY).unwrap();
    let db = root.path().join("index.sqlite");
    let r = index(archive.to_str().unwrap(), &db, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("2026.1: not indexed") && r.stderr.contains("ahq compile"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.contains("2 queries"), "{}", r.stdout);
}

#[test]
fn a_response_restricted_after_indexing_leaves_no_word_in_the_wider_file() {
    let (root, archive) = archive();
    let db = root.path().join("index.sqlite");
    let index = || {
        let r = index(archive.to_str().unwrap(), &db, &[]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    };
    index();
    let has = |needle: &str| {
        let bytes = std::fs::read(&db).unwrap();
        bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
    };
    // Poland's answer, in the wider index: its words as written and as
    // the full-text index keeps them (folded, lower case).
    assert!(has("lodz"), "the folded word is indexed");
    // Poland now says No: the compilation is made again, and so the index.
    let pl = archive.join("2016.3/responses/PL.csv");
    let text = std::fs::read_to_string(&pl).unwrap();
    std::fs::write(
        &pl,
        text.replace("Wider Dissemination?,Yes", "Wider Dissemination?,No"),
    )
    .unwrap();
    let r = ahq(&["compile", archive.join("2016.3").to_str().unwrap(), "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    index();
    for needle in ["lodz", "Łódź", "signed in"] {
        assert!(
            !has(needle),
            "{needle:?} is still in the wider index's file"
        );
    }
}

#[test]
fn the_same_archive_spelt_two_ways_is_indexed_once_and_other_databases_are_refused() {
    let (root, archive) = archive();
    let db = root.path().join("index.sqlite");
    let plain = archive.to_str().unwrap().to_string();
    let dotted = format!("{}/../archive", archive.display());
    for spelt in [&plain, &dotted] {
        let r = ahq(&["index", spelt, "--db", db.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.contains("2 queries"), "{}", r.stdout);
    }
    // A SQLite file ahq did not make is left alone.
    let other = root.path().join("other.sqlite");
    let r = index(&plain, &root.path().join("x.sqlite"), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    std::fs::write(
        &other,
        b"not a database at all, but long enough to be read as a header",
    )
    .unwrap();
    let r = ahq(&["index", &plain, "--db", other.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("is not an index ahq made"),
        "{}",
        r.stderr
    );
}
