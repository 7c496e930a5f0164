//! The checking page made for one query: the page kept in
//! `web/dist/ahq-validate.html.gz` (built by `web/build.sh --dist` from the
//! core, compiled to WebAssembly), with the query put in, so that a
//! member state's contact drops only their own file on it. `ahq template`
//! writes it beside the template.

use ahq_core::query::Query;
use std::io::Read;

/// The page as `web/build.sh --dist` left it, gzipped. `tests/page.rs`
/// fails when it was built from other sources than those in the tree.
const PAGE_GZ: &[u8] = include_bytes!("../web/dist/ahq-validate.html.gz");

/// Where the page holds its query: replaced by the query's TOML in base64.
const PLACEHOLDER: &str = "@@QUERY_BASE64@@";
/// Where it holds the query's title (UTF-8, base64): any character a title
/// may hold reaches the page as written.
const TITLE_PLACEHOLDER: &str = "@@QUERY_TITLE_BASE64@@";

/// The page as built, unpacked: without a query yet.
pub fn as_built() -> anyhow::Result<String> {
    let mut html = String::new();
    flate2::read::GzDecoder::new(PAGE_GZ)
        .read_to_string(&mut html)
        .map_err(|e| anyhow::anyhow!("the checking page built into ahq cannot be read ({e}): this build of ahq is broken; please report it"))?;
    Ok(html)
}

/// The page for `query`, as bytes to write.
pub fn for_query(query: &Query) -> anyhow::Result<Vec<u8>> {
    use base64::Engine;
    let html = as_built()?;
    if !html.contains(PLACEHOLDER) || !html.contains(TITLE_PLACEHOLDER) {
        anyhow::bail!(
            "the checking page built into ahq has no place for the query: this build of ahq is broken; please report it"
        );
    }
    let text = query.to_toml();
    // An empty query would leave the generic page, which asks for one.
    if text.trim().is_empty() {
        anyhow::bail!(
            "the query cannot be written into the checking page: this is a bug in ahq; please report it"
        );
    }
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    Ok(html
        .replacen(PLACEHOLDER, &b64(&text), 1)
        .replacen(TITLE_PLACEHOLDER, &b64(&query.title), 1)
        .into_bytes())
}

/// The page's file name: `check-your-response-2010.12.html`, after the
/// query's reference (or its title), in letters, digits, dots and dashes.
pub fn file_name(query: &Query) -> String {
    let name = query.reference.as_deref().unwrap_or(&query.title);
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '.' {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches(['-', '.']);
    if slug.is_empty() {
        "check-your-response.html".into()
    } else {
        format!("check-your-response-{slug}.html")
    }
}
