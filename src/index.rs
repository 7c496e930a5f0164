//! The archive index (part 15): "has this been asked before?". An embedded
//! SQLite database (rusqlite, its bundled SQLite with FTS5) of compiled
//! queries: a row per query (title, reference, requester, dates, background,
//! questions) and a row per answer (country, question, text, flag, partners,
//! themes), with full-text search ranked by BM25.
//!
//! An index is made for one audience, and holds only what that audience's
//! compilations hold: the wider index reads `responses-wider.csv` and keeps
//! only the responses for wider dissemination, so no restricted text is
//! anywhere in its file (deleted rows are zeroed: `secure_delete`). One file
//! per audience, so that ranking statistics and snippets are never computed
//! over text the audience may not read.

use rusqlite::{Connection, OptionalExtension, params};
use std::path::{Path, PathBuf};

/// The schema's version, in the file's metadata. The answers' text is held
/// once: the full-text index is an external-content index over `answers`
/// (the folded text is what is indexed; snippets read the text as written,
/// which folding leaves word for word in place).
const SCHEMA: &str = "2";

/// Who an index is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Wider,
    Members,
}

impl Audience {
    pub fn word(self) -> &'static str {
        match self {
            Audience::Wider => "wider",
            Audience::Members => "members",
        }
    }

    /// The compilation outputs it is read from: "wider" or "full".
    fn file_word(self) -> &'static str {
        match self {
            Audience::Wider => "wider",
            Audience::Members => "full",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// The database could not be opened, read or written.
    #[error("{path}: {message}")]
    Database { path: PathBuf, message: String },
    /// The file is an index for the other audience.
    #[error(
        "{path} is an index for {found} dissemination ({found_hint}); {asked_hint}, or choose another file with --db"
    )]
    Audience {
        path: PathBuf,
        found: &'static str,
        found_hint: &'static str,
        asked_hint: &'static str,
    },
    /// The file is not an index ahq made.
    #[error("{path} is not an index ahq made: choose another file with --db")]
    NotAnIndex { path: PathBuf },
    /// No index at the path given to search.
    #[error("{path}: no index there: make one with `ahq index ARCHIVE --db {path}{members}`")]
    Missing {
        path: PathBuf,
        members: &'static str,
    },
    /// An index of another layout, made by another version of ahq.
    #[error("{path} was made by another version of ahq: delete it and run `ahq index` again")]
    OtherVersion { path: PathBuf },
}

fn db_error(path: &Path) -> impl Fn(rusqlite::Error) -> IndexError + '_ {
    move |e| IndexError::Database {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// An open index.
pub struct Index {
    conn: Connection,
    path: PathBuf,
    pub audience: Audience,
}

/// The letters the `unicode61` tokenizer does not fold ("ł", "ø", "æ",
/// "đ", "œ", "ß"), folded the same way in the indexed text and the query.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'ł' => out.push('l'),
            'Ł' => out.push('L'),
            'ø' => out.push('o'),
            'Ø' => out.push('O'),
            'æ' => out.push_str("ae"),
            'Æ' => out.push_str("AE"),
            'đ' => out.push('d'),
            'Đ' => out.push('D'),
            'œ' => out.push_str("oe"),
            'Œ' => out.push_str("OE"),
            'ß' => out.push_str("ss"),
            c => out.push(c),
        }
    }
    out
}

const TOKENIZER: &str = "porter unicode61 remove_diacritics 2";

impl Index {
    /// Opens (or makes) the index at `path` for `audience`.
    pub fn open(path: &Path, audience: Audience) -> Result<Index, IndexError> {
        let e = db_error(path);
        let existed = std::fs::metadata(path).is_ok_and(|m| m.len() > 0);
        let conn = Connection::open(path).map_err(&e)?;
        if existed {
            // Never take over a database ahq did not make, nor one of
            // another layout.
            let schema: Option<String> = conn
                .query_row("SELECT value FROM meta WHERE key = 'schema'", [], |r| {
                    r.get(0)
                })
                .optional()
                .map_err(|_| IndexError::NotAnIndex {
                    path: path.to_path_buf(),
                })?;
            match schema.as_deref() {
                Some(SCHEMA) => {}
                Some(_) => {
                    return Err(IndexError::OtherVersion {
                        path: path.to_path_buf(),
                    });
                }
                None => {
                    return Err(IndexError::NotAnIndex {
                        path: path.to_path_buf(),
                    });
                }
            }
        }
        conn.execute_batch(&format!(
            "PRAGMA secure_delete = ON;
             CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS queries(
                 id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL, manifest TEXT NOT NULL,
                 title TEXT NOT NULL, reference TEXT, requested_by TEXT NOT NULL,
                 requested_by_code TEXT NOT NULL, requested_on TEXT NOT NULL, deadline TEXT,
                 background TEXT, questions TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS answers(
                 id INTEGER PRIMARY KEY, query INTEGER NOT NULL, country_code TEXT NOT NULL,
                 country TEXT NOT NULL, question_id TEXT NOT NULL, question TEXT NOT NULL,
                 text TEXT NOT NULL, flag TEXT NOT NULL, partners TEXT NOT NULL,
                 themes TEXT NOT NULL);
             CREATE INDEX IF NOT EXISTS answers_query ON answers(query);
             CREATE VIRTUAL TABLE IF NOT EXISTS queries_fts USING fts5(title, background, questions, tokenize = '{TOKENIZER}');
             CREATE VIRTUAL TABLE IF NOT EXISTS answers_fts USING fts5(text, content = 'answers', content_rowid = 'id', tokenize = '{TOKENIZER}');
             -- A deleted row leaves no word in the full-text index either
             -- (secure_delete zeroes freed pages; FTS5 would keep its terms
             -- until a merge).
             INSERT INTO queries_fts(queries_fts, rank) VALUES ('secure-delete', 1);
             INSERT INTO answers_fts(answers_fts, rank) VALUES ('secure-delete', 1);"
        ))
        .map_err(|err| match err {
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase => {
                IndexError::NotAnIndex {
                    path: path.to_path_buf(),
                }
            }
            other => e(other),
        })?;
        let found: Option<String> = conn
            .query_row("SELECT value FROM meta WHERE key = 'audience'", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(&e)?;
        match found.as_deref() {
            None => {
                conn.execute(
                    "INSERT INTO meta(key, value) VALUES ('audience', ?1), ('schema', ?2)",
                    params![audience.word(), SCHEMA],
                )
                .map_err(&e)?;
            }
            Some(w) if w == audience.word() => {}
            Some(other) => {
                let (found, found_hint, asked_hint) = if other == "members" {
                    (
                        "members-only",
                        "made with --members",
                        "add --members to use it",
                    )
                } else {
                    (
                        "wider",
                        "made without --members",
                        "leave out --members to use it",
                    )
                };
                return Err(IndexError::Audience {
                    path: path.to_path_buf(),
                    found,
                    found_hint,
                    asked_hint,
                });
            }
        }
        Ok(Index {
            conn,
            path: path.to_path_buf(),
            audience,
        })
    }

    /// Opens an existing index, whatever its audience, for searching.
    /// `members`: the search asked for the members' index (said in the
    /// advice when there is none).
    pub fn open_existing(path: &Path, members: bool) -> Result<Index, IndexError> {
        if !path.is_file() {
            return Err(IndexError::Missing {
                path: path.to_path_buf(),
                members: if members { " --members" } else { "" },
            });
        }
        let e = db_error(path);
        let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(&e)?;
        let audience: Option<String> = conn
            .query_row("SELECT value FROM meta WHERE key = 'audience'", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|_| IndexError::NotAnIndex {
                path: path.to_path_buf(),
            })?;
        let audience = match audience.as_deref() {
            Some("members") => Audience::Members,
            Some("wider") => Audience::Wider,
            _ => {
                return Err(IndexError::NotAnIndex {
                    path: path.to_path_buf(),
                });
            }
        };
        Ok(Index {
            conn,
            path: path.to_path_buf(),
            audience,
        })
    }

    /// The manifest hash recorded for each query path.
    pub fn known(&self) -> Result<Vec<(String, String)>, IndexError> {
        let e = db_error(&self.path);
        let mut st = self
            .conn
            .prepare("SELECT path, manifest FROM queries")
            .map_err(&e)?;
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(&e)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(&e)?;
        Ok(rows)
    }

    /// Removes a query and its answers (their text zeroed on disk).
    pub fn remove(&mut self, path: &str) -> Result<(), IndexError> {
        let e = db_error(&self.path);
        let tx = self.conn.transaction().map_err(&e)?;
        remove_in(&tx, path).map_err(&e)?;
        tx.commit().map_err(&e)
    }

    /// Puts `q` in the index, in place of what it held for the same path.
    pub fn put(&mut self, q: &Indexed) -> Result<(), IndexError> {
        let e = db_error(&self.path);
        let tx = self.conn.transaction().map_err(&e)?;
        remove_in(&tx, &q.path).map_err(&e)?;
        tx.execute(
            "INSERT INTO queries(path, manifest, title, reference, requested_by,
                 requested_by_code, requested_on, deadline, background, questions)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                q.path,
                q.manifest,
                q.title,
                q.reference,
                q.requested_by,
                q.requested_by_code,
                q.requested_on,
                q.deadline,
                q.background,
                q.questions.join("\n"),
            ],
        )
        .map_err(&e)?;
        let id = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO queries_fts(rowid, title, background, questions) VALUES (?1, ?2, ?3, ?4)",
            params![
                id,
                fold(&q.title),
                fold(q.background.as_deref().unwrap_or("")),
                fold(&q.questions.join("\n"))
            ],
        )
        .map_err(&e)?;
        {
            let mut answer = tx
                .prepare(
                    "INSERT INTO answers(query, country_code, country, question_id, question,
                         text, flag, partners, themes)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )
                .map_err(&e)?;
            let mut fts = tx
                .prepare("INSERT INTO answers_fts(rowid, text) VALUES (?1, ?2)")
                .map_err(&e)?;
            for a in &q.answers {
                answer
                    .execute(params![
                        id,
                        a.country_code,
                        a.country,
                        a.question_id,
                        a.question,
                        a.text,
                        a.flag,
                        a.partners.join(" "),
                        a.themes.join(" "),
                    ])
                    .map_err(&e)?;
                fts.execute(params![tx.last_insert_rowid(), fold(&a.text)])
                    .map_err(&e)?;
            }
        }
        tx.commit().map_err(&e)
    }

    /// Answers matching `s`, the best first.
    pub fn search(&self, s: &Search) -> Result<Vec<Hit>, IndexError> {
        let e = db_error(&self.path);
        let words = match_expression(&s.words, " ");
        let sql = format!(
            "SELECT q.title, q.reference, q.requested_on, q.requested_by, a.country_code,
                    a.country, a.question_id, a.question, {snippet}, {score}, a.themes
             FROM {from}
             WHERE (?1 IS NULL OR a.country_code = ?1)
               AND (?2 IS NULL OR q.requested_by_code = ?2)
               AND (?3 IS NULL OR q.requested_on >= ?3)
               AND (?4 IS NULL OR (' ' || a.themes || ' ') LIKE ('% ' || ?4 || ' %'))
               {matching}
             ORDER BY {order} LIMIT ?5",
            snippet = if words.is_some() {
                "snippet(answers_fts, 0, '**', '**', '…', 16)"
            } else {
                "substr(a.text, 1, 160)"
            },
            score = if words.is_some() {
                "bm25(answers_fts)"
            } else {
                "0.0"
            },
            // The best rows are chosen first, then only they get a snippet:
            // a snippet for every match made a common word's search slow.
            from = if words.is_some() {
                "answers_fts JOIN answers a ON a.id = answers_fts.rowid JOIN queries q ON q.id = a.query"
            } else {
                "answers a JOIN queries q ON q.id = a.query"
            },
            matching = if words.is_some() {
                "AND answers_fts MATCH ?6 AND a.id IN (
                     SELECT a2.id FROM answers_fts f2 JOIN answers a2 ON a2.id = f2.rowid
                         JOIN queries q2 ON q2.id = a2.query
                     WHERE f2.answers_fts MATCH ?6
                       AND (?1 IS NULL OR a2.country_code = ?1)
                       AND (?2 IS NULL OR q2.requested_by_code = ?2)
                       AND (?3 IS NULL OR q2.requested_on >= ?3)
                       AND (?4 IS NULL OR (' ' || a2.themes || ' ') LIKE ('% ' || ?4 || ' %'))
                     ORDER BY bm25(f2.answers_fts) LIMIT ?5)"
            } else {
                "AND ?6 IS NULL"
            },
            order = if words.is_some() {
                "bm25(answers_fts), q.requested_on DESC"
            } else {
                "q.requested_on DESC, a.country, a.question_id"
            },
        );
        let mut st = self.conn.prepare(&sql).map_err(&e)?;
        let rows = st
            .query_map(
                params![
                    s.country,
                    s.requested_by,
                    s.since,
                    s.theme,
                    s.limit as i64,
                    words
                ],
                |r| {
                    Ok(Hit {
                        title: r.get(0)?,
                        reference: r.get(1)?,
                        requested_on: r.get(2)?,
                        requested_by: r.get(3)?,
                        country_code: r.get(4)?,
                        country: r.get(5)?,
                        question_id: r.get(6)?,
                        question: r.get(7)?,
                        snippet: r.get(8)?,
                        score: -r.get::<_, f64>(9)?,
                        themes: r
                            .get::<_, String>(10)?
                            .split_whitespace()
                            .map(String::from)
                            .collect(),
                    })
                },
            )
            .map_err(&e)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(&e)?;
        Ok(rows)
    }

    /// Past queries ranked by how much they resemble `draft` (its title,
    /// background and questions): the "has this been asked?" check.
    pub fn similar(&self, draft: &str, limit: usize) -> Result<Vec<Similar>, IndexError> {
        let e = db_error(&self.path);
        let Some(words) = match_expression(&significant(draft), " OR ") else {
            return Ok(Vec::new());
        };
        let mut st = self
            .conn
            .prepare(
                "SELECT q.title, q.reference, q.requested_on, q.requested_by,
                        bm25(queries_fts, 3.0, 1.0, 2.0)
                 FROM queries_fts JOIN queries q ON q.id = queries_fts.rowid
                 WHERE queries_fts MATCH ?1
                 ORDER BY bm25(queries_fts, 3.0, 1.0, 2.0) LIMIT ?2",
            )
            .map_err(&e)?;
        let rows = st
            .query_map(params![words, limit as i64], |r| {
                Ok(Similar {
                    title: r.get(0)?,
                    reference: r.get(1)?,
                    requested_on: r.get(2)?,
                    requested_by: r.get(3)?,
                    score: -r.get::<_, f64>(4)?,
                })
            })
            .map_err(&e)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(&e)?;
        Ok(rows)
    }

    /// How many queries and answers the index holds.
    pub fn counts(&self) -> Result<(u64, u64), IndexError> {
        let e = db_error(&self.path);
        let q = self
            .conn
            .query_row("SELECT count(*) FROM queries", [], |r| r.get(0))
            .map_err(&e)?;
        let a = self
            .conn
            .query_row("SELECT count(*) FROM answers", [], |r| r.get(0))
            .map_err(&e)?;
        Ok((q, a))
    }
}

fn remove_in(tx: &rusqlite::Transaction<'_>, path: &str) -> rusqlite::Result<()> {
    let id: Option<i64> = tx
        .query_row("SELECT id FROM queries WHERE path = ?1", [path], |r| {
            r.get(0)
        })
        .optional()?;
    if let Some(id) = id {
        // An external-content index forgets a row when told what it indexed.
        let mut st = tx.prepare("SELECT id, text FROM answers WHERE query = ?1")?;
        let rows = st
            .query_map([id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        drop(st);
        let mut forget = tx.prepare(
            "INSERT INTO answers_fts(answers_fts, rowid, text) VALUES ('delete', ?1, ?2)",
        )?;
        for (rowid, text) in rows {
            forget.execute(params![rowid, fold(&text)])?;
        }
        drop(forget);
        tx.execute("DELETE FROM answers WHERE query = ?1", [id])?;
        tx.execute("DELETE FROM queries_fts WHERE rowid = ?1", [id])?;
        tx.execute("DELETE FROM queries WHERE id = ?1", [id])?;
    }
    Ok(())
}

/// The words of `text` as an FTS5 expression, each quoted (so that no word
/// is read as FTS5 syntax), joined by `join`; `None` when it has none.
fn match_expression(text: &str, join: &str) -> Option<String> {
    let folded = fold(text);
    let words: Vec<String> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\""))
        .collect();
    (!words.is_empty()).then(|| words.join(join))
}

/// The words of a draft query that say what it is about: four letters or
/// more, not among the words every query uses, each once, at most 64.
fn significant(text: &str) -> String {
    const COMMON: &[&str] = &[
        "with",
        "that",
        "this",
        "have",
        "from",
        "your",
        "what",
        "which",
        "were",
        "been",
        "there",
        "their",
        "they",
        "does",
        "would",
        "could",
        "should",
        "about",
        "other",
        "please",
        "member",
        "members",
        "state",
        "states",
        "country",
        "countries",
        "information",
        "query",
        "queries",
        "whether",
        "when",
        "where",
        "also",
        "into",
        "more",
        "such",
        "these",
        "those",
        "some",
        "than",
        "then",
        "will",
        "under",
        "between",
        "regard",
        "interested",
    ];
    let mut seen: Vec<String> = Vec::new();
    for w in text
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
    {
        if w.chars().count() >= 4 && !COMMON.contains(&w.as_str()) && !seen.contains(&w) {
            seen.push(w);
        }
        if seen.len() == 64 {
            break;
        }
    }
    seen.join(" ")
}

/// What to look for.
#[derive(Debug, Default)]
pub struct Search {
    pub words: String,
    pub country: Option<String>,
    pub requested_by: Option<String>,
    /// YYYY-MM-DD.
    pub since: Option<String>,
    pub theme: Option<String>,
    pub limit: usize,
}

/// One matching answer.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Hit {
    pub title: String,
    pub reference: Option<String>,
    pub requested_on: String,
    pub requested_by: String,
    pub country_code: String,
    pub country: String,
    pub question_id: String,
    pub question: String,
    /// The matching words between `**`.
    pub snippet: String,
    /// Higher is better (BM25, negated as SQLite gives it).
    pub score: f64,
    pub themes: Vec<String>,
}

/// One past query resembling a draft.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Similar {
    pub title: String,
    pub reference: Option<String>,
    pub requested_on: String,
    pub requested_by: String,
    pub score: f64,
}

/// One compiled query, as the index holds it.
#[derive(Debug, Clone)]
pub struct Indexed {
    /// The query folder, as given (relative to where `ahq index` ran).
    pub path: String,
    /// The SHA-256 of its manifest.json: unchanged, it is not read again.
    pub manifest: String,
    pub title: String,
    pub reference: Option<String>,
    pub requested_by: String,
    pub requested_by_code: String,
    pub requested_on: String,
    pub deadline: Option<String>,
    pub background: Option<String>,
    pub questions: Vec<String>,
    pub answers: Vec<Answer>,
}

#[derive(Debug, Clone)]
pub struct Answer {
    pub country_code: String,
    pub country: String,
    pub question_id: String,
    pub question: String,
    pub text: String,
    pub flag: String,
    pub partners: Vec<String>,
    pub themes: Vec<String>,
}

/// Reads a compiled query for `audience`: its query.toml, and the
/// compilation's CSVs for that audience (`responses-*.csv`, `partners-*.csv`,
/// `themes-*.csv`). The wider audience gets only responses flagged Yes.
pub fn read_compiled(
    query_dir: &Path,
    compiled: &Path,
    manifest_sha: String,
    audience: Audience,
) -> Result<Indexed, String> {
    let query = ahq_core::query::Query::load(query_dir).map_err(|e| e.to_string())?;
    let word = audience.file_word();
    let responses = compiled.join(format!("responses-{word}.csv"));
    if !responses.is_file() {
        // `compile --formats` without csv: the index reads the CSVs.
        return Err(format!(
            "{}: compiled without its CSV files (compile --formats): compile it again with csv \
             among the formats to index it",
            compiled.display()
        ));
    }
    let mut rd =
        csv::Reader::from_path(&responses).map_err(|e| format!("{}: {e}", responses.display()))?;
    let mut answers: Vec<Answer> = Vec::new();
    let together = ahq_core::templates::labels()
        .responses
        .same_as
        .split('{')
        .next()
        .unwrap_or_default()
        .to_string();
    for row in rd.records() {
        let row = row.map_err(|e| format!("{}: {e}", responses.display()))?;
        if row.len() < 5 {
            return Err(format!(
                "{}: a row has {} fields where ahq writes 5: compile the query again",
                responses.display(),
                row.len()
            ));
        }
        let (code, country, flag, id, text) = (&row[0], &row[1], &row[2], &row[3], &row[4]);
        // The wider compilation shows the statement for a restricted
        // response: nothing of it is indexed.
        if audience == Audience::Wider && flag != "Yes" {
            continue;
        }
        // An answer given with another question's stands once, there.
        if text.trim().is_empty() || (!together.is_empty() && text.starts_with(&together)) {
            continue;
        }
        let question = query
            .questions
            .iter()
            .find(|q| q.id == id)
            .map_or(String::new(), |q| q.text.clone());
        answers.push(Answer {
            country_code: code.to_string(),
            country: country.to_string(),
            question_id: id.to_string(),
            question,
            // The CSV's guard against formulas ('=…) taken off again.
            text: text
                .strip_prefix('\'')
                .filter(|t| t.starts_with(['=', '+', '-', '@', '\t', '\r']))
                .unwrap_or(text)
                .to_string(),
            flag: flag.to_string(),
            partners: Vec::new(),
            themes: Vec::new(),
        });
    }
    // Partners and themes (part 14), where the compilation has them.
    for (name, themes) in [("partners", false), ("themes", true)] {
        let path = compiled.join(format!("{name}-{word}.csv"));
        let Ok(mut rd) = csv::Reader::from_path(&path) else {
            continue;
        };
        for row in rd.records().flatten() {
            if row.len() < 6 || (!themes && &row[2] != "partner") {
                continue;
            }
            if let Some(a) = answers
                .iter_mut()
                .find(|a| a.country_code == row[0] && a.question_id == row[5])
            {
                let list = if themes {
                    &mut a.themes
                } else {
                    &mut a.partners
                };
                if !list.iter().any(|x| x == &row[3]) {
                    list.push(row[3].to_string());
                }
            }
        }
    }
    let date = ahq_core::dates::iso;
    Ok(Indexed {
        path: query_dir.display().to_string(),
        manifest: manifest_sha,
        title: query.title.clone(),
        reference: query.reference.clone(),
        requested_by: query.requested_by.name.clone(),
        requested_by_code: query.requested_by.code.clone(),
        requested_on: date(query.requested_on),
        deadline: query.deadline.map(date),
        background: query.background.clone(),
        questions: query
            .questions
            .iter()
            .map(|q| format!("{}. {}", q.id, q.text))
            .collect(),
        answers,
    })
}
