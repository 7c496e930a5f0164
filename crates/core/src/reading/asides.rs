//! Text a person may read outside the cells and the body: comments and
//! notes, page headers and footers, text boxes, document properties. None
//! of it is an answer, and calamine reports none of it; all of it may say
//! "not for wider dissemination" (a flag cell left blank with a comment on
//! it saying so), so the restriction search reads it all.
//!
//! Read from the package's own parts, which `guard` has bounded; a part
//! that cannot be read is passed over (the reader proper says what is
//! wrong with the file).

use super::guard::{Biff, attr};
use quick_xml::events::Event;
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Cursor, Read};

/// Where an aside stands, as a content layer of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    /// A cell comment or note, a Word comment.
    Comment,
    /// A page header or footer.
    Furniture,
    /// A footnote or an endnote.
    Note,
    /// A text box or a shape's text.
    Shape,
    /// A document property (title, subject, keywords, description, category).
    Property,
    /// Text in the body that a person does not see (Word's hidden font).
    Hidden,
}

/// One piece of text outside the cells or the body, with its place in words.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Aside {
    pub layer: Layer,
    /// "the comment on Response!B2", "the page header of sheet "Response"".
    pub place: String,
    pub text: String,
}

impl Aside {
    fn new(layer: Layer, place: impl Into<String>, text: String) -> Option<Aside> {
        let text = text.trim().to_string();
        (!text.is_empty()).then(|| Aside {
            layer,
            place: place.into(),
            text,
        })
    }
}

type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

fn part(zip: &mut Zip<'_>, name: &str) -> Option<String> {
    let mut text = String::new();
    zip.by_name(name).ok()?.read_to_string(&mut text).ok()?;
    Some(text)
}

fn names(zip: &Zip<'_>, keep: impl Fn(&str) -> bool) -> Vec<String> {
    let mut v: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .filter(|n| keep(n))
        .collect();
    v.sort();
    v
}

/// Each element of `xml` whose local name `unit` accepts: its start's
/// attributes and its text. With `inside`, only text within elements of that
/// local name counts (a comment's `t` runs, not its author); paragraphs end
/// in a line break.
fn units(
    xml: &str,
    unit: impl Fn(&str) -> bool,
    inside: Option<&str>,
) -> Vec<(HashMap<String, String>, String)> {
    let mut out = Vec::new();
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut open: Option<(usize, HashMap<String, String>, String)> = None;
    let mut depth = 0usize;
    let mut within = 0usize;
    let keep = |within: usize| inside.is_none() || within > 0;
    while let Ok(event) = reader.read_event() {
        match &event {
            Event::Start(e) => {
                depth += 1;
                let local = e.local_name().into_inner();
                if open.is_none() && unit(local) {
                    let attrs = e
                        .attributes()
                        .flatten()
                        .map(|a| {
                            let key = a.key.local_name().into_inner().to_string();
                            (key, a.value.to_string())
                        })
                        .collect();
                    open = Some((depth, attrs, String::new()));
                } else if open.is_some() && Some(local) == inside {
                    within += 1;
                }
            }
            Event::Empty(e) => {
                if let Some((_, _, text)) = open.as_mut()
                    && matches!(e.local_name().into_inner(), "br" | "tab" | "line-break")
                {
                    text.push(' ');
                }
            }
            Event::Text(t) => {
                if let Some((_, _, text)) = open.as_mut()
                    && keep(within)
                {
                    text.push_str(t);
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, _, text)) = open.as_mut()
                    && keep(within)
                {
                    text.push_str(match &**r {
                        "quot" => "\"",
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "apos" => "'",
                        _ => "",
                    });
                }
            }
            Event::End(e) => {
                let local = e.local_name().into_inner();
                if let Some((at, _, text)) = open.as_mut() {
                    if Some(local) == inside {
                        within = within.saturating_sub(1);
                    }
                    if local == "p" {
                        text.push('\n');
                    }
                    if *at == depth {
                        let (_, attrs, text) = open.take().expect("open");
                        out.push((attrs, text));
                        within = 0;
                    }
                }
                depth = depth.saturating_sub(1);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// The document properties a person fills in (File > Properties), from
/// `docProps/core.xml` (Office) or `meta.xml` (OpenDocument).
fn properties(zip: &mut Zip<'_>, name: &str) -> Vec<Aside> {
    let Some(xml) = part(zip, name) else {
        return Vec::new();
    };
    let wanted = [
        ("title", "title"),
        ("subject", "subject"),
        ("keywords", "keywords"),
        ("keyword", "keywords"),
        ("description", "description (comments)"),
        ("category", "category"),
    ];
    units(&xml, |l| wanted.iter().any(|(k, _)| *k == l), None)
        .into_iter()
        .zip(units_names(&xml, |l| wanted.iter().any(|(k, _)| *k == l)))
        .filter_map(|((_, text), local)| {
            let label = wanted.iter().find(|(k, _)| *k == local).map_or("", |w| w.1);
            Aside::new(Layer::Property, format!("the document's {label}"), text)
        })
        .collect()
}

/// The local names of the elements `units` takes, in the same order.
fn units_names(xml: &str, unit: impl Fn(&str) -> bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut depth = 0usize;
    let mut open: Option<usize> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                depth += 1;
                let local = e.local_name().into_inner();
                if open.is_none() && unit(local) {
                    open = Some(depth);
                    out.push(local.to_string());
                }
            }
            Ok(Event::End(_)) => {
                if open == Some(depth) {
                    open = None;
                }
                depth = depth.saturating_sub(1);
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// A header or footer without Excel's codes ("&C", "&\"Arial,Bold\"", "&12",
/// "&P"): the words a person reads on the printed page.
fn header_text(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '&' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('&') => out.push('&'),
            Some('"') => {
                for f in chars.by_ref() {
                    if f == '"' {
                        break;
                    }
                }
            }
            Some('K') => {
                for _ in 0..6 {
                    chars.next();
                }
            }
            Some(d) if d.is_ascii_digit() => {
                while chars.peek().is_some_and(char::is_ascii_digit) {
                    chars.next();
                }
            }
            // A section (&L, &C, &R) starts: keep its words apart.
            Some(_) => out.push(' '),
            None => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The worksheets of an xlsx: (name, part path), from the workbook's relations.
pub(super) fn xlsx_sheets(zip: &mut Zip<'_>) -> Vec<(String, String)> {
    let (Some(workbook), Some(rels)) = (
        part(zip, "xl/workbook.xml"),
        part(zip, "xl/_rels/workbook.xml.rels"),
    ) else {
        return Vec::new();
    };
    let targets = relations(&rels, "xl");
    let mut sheets = Vec::new();
    for (attrs, _) in units(&workbook, |l| l == "sheet", None) {
        if let (Some(name), Some(part)) = (
            attrs.get("name"),
            attrs.get("id").and_then(|i| targets.get(i)),
        ) {
            sheets.push((name.clone(), part.clone()));
        }
    }
    // A self-closing <sheet/> is an Empty event, which `units` does not take.
    if sheets.is_empty() {
        let mut reader = quick_xml::Reader::from_str(&workbook);
        while let Ok(event) = reader.read_event() {
            match event {
                Event::Start(e) | Event::Empty(e) if e.local_name().into_inner() == "sheet" => {
                    let id = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.local_name().into_inner() == "id")
                        .map(|a| a.value.to_string());
                    if let (Some(name), Some(part)) =
                        (attr(&e, "name"), id.and_then(|i| targets.get(&i).cloned()))
                    {
                        sheets.push((name, part));
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
    }
    sheets
}

/// A relations part's targets by id, as paths in the package (`base` is
/// the folder relative targets start from).
fn relations(rels: &str, base: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut reader = quick_xml::Reader::from_str(rels);
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().into_inner() == "Relationship" => {
                if let (Some(id), Some(target)) = (attr(&e, "Id"), attr(&e, "Target")) {
                    out.insert(id, resolve(base, &target));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// `target` relative to `base` ("xl/worksheets" + "../comments1.xml").
fn resolve(base: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for piece in target.split('/') {
        match piece {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// xlsx: each sheet's comments (legacy and threaded), page headers and
/// footers, and text boxes; the document properties.
pub fn xlsx(bytes: &[u8]) -> Vec<Aside> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (sheet, path) in xlsx_sheets(&mut zip) {
        let on = |attrs: &HashMap<String, String>| match attrs
            .get("ref")
            .and_then(|r| super::unseen::cell_ref(r))
        {
            Some((row, col)) => format!(
                "the comment on {}",
                crate::record::Location::new(Some(&sheet), row, col)
            ),
            None => format!("a comment on sheet \"{sheet}\""),
        };
        if let Some(xml) = part(&mut zip, &path) {
            let furniture = |l: &str| l.ends_with("Header") || l.ends_with("Footer");
            for (_, code) in units(&without_cells(&xml), furniture, None) {
                out.extend(Aside::new(
                    Layer::Furniture,
                    format!("the page header or footer of sheet \"{sheet}\""),
                    header_text(&code),
                ));
            }
        }
        let (folder, file) = path.rsplit_once('/').unwrap_or(("", &path));
        let Some(rels) = part(&mut zip, &format!("{folder}/_rels/{file}.rels")) else {
            continue;
        };
        for target in relations(&rels, folder).into_values() {
            let Some(xml) = part(&mut zip, &target) else {
                continue;
            };
            let lower = target.to_ascii_lowercase();
            if lower.contains("threadedcomment") {
                for (attrs, text) in units(&xml, |l| l == "threadedComment", Some("text")) {
                    out.extend(Aside::new(Layer::Comment, on(&attrs), text));
                }
            } else if lower.contains("comments") {
                for (attrs, text) in units(&xml, |l| l == "comment", Some("t")) {
                    out.extend(Aside::new(Layer::Comment, on(&attrs), text));
                }
            } else if lower.contains("drawings/drawing") {
                for (_, text) in units(&xml, |l| l == "sp", Some("t")) {
                    out.extend(Aside::new(
                        Layer::Shape,
                        format!("a text box on sheet \"{sheet}\""),
                        text,
                    ));
                }
            }
        }
    }
    out.extend(properties(&mut zip, "docProps/core.xml"));
    out
}

/// A worksheet's XML without its cells, where no header or footer can
/// stand: parsing the cells again only to pass them by is most of the cost.
/// The whole XML when the cells cannot be told apart for certain (a prefix,
/// more than one cell table, a CDATA section that could hide a tag).
fn without_cells(xml: &str) -> Cow<'_, str> {
    const OPEN: &str = "<sheetData>";
    const CLOSE: &str = "</sheetData>";
    if xml.matches(OPEN).count() != 1
        || xml.matches(CLOSE).count() != 1
        || xml.contains("<![CDATA[")
        || xml.contains("<sheetData ")
    {
        return Cow::Borrowed(xml);
    }
    match (xml.find(OPEN), xml.find(CLOSE)) {
        (Some(start), Some(end)) if start < end => {
            Cow::Owned(format!("{}{}", &xml[..start], &xml[end + CLOSE.len()..]))
        }
        _ => Cow::Borrowed(xml),
    }
}

/// ods: cell comments (annotations), page headers and footers, text boxes
/// and shapes; the document properties.
pub fn ods(bytes: &[u8]) -> Vec<Aside> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(xml) = part(&mut zip, "content.xml") {
        // The sheet each annotation or shape stands in.
        let tables = units_names_with_sheet(&xml);
        let wanted = |l: &str| matches!(l, "annotation" | "text-box" | "custom-shape");
        for ((_, text), (local, sheet)) in units(&xml, wanted, Some("p")).into_iter().zip(tables) {
            let (layer, what) = if local == "annotation" {
                (Layer::Comment, "a comment")
            } else {
                (Layer::Shape, "a text box")
            };
            out.extend(Aside::new(
                layer,
                format!("{what} in sheet \"{sheet}\""),
                text,
            ));
        }
    }
    if let Some(xml) = part(&mut zip, "styles.xml") {
        let furniture = |l: &str| l.starts_with("header") || l.starts_with("footer");
        for (_, text) in units(&xml, furniture, Some("p")) {
            out.extend(Aside::new(
                Layer::Furniture,
                "a page header or footer",
                text,
            ));
        }
    }
    out.extend(properties(&mut zip, "meta.xml"));
    out
}

/// For each annotation, text box or shape in an ods's content (the order
/// `units` takes them in): its local name and the sheet it stands in.
fn units_names_with_sheet(xml: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut sheet = String::new();
    let mut depth = 0usize;
    let mut open: Option<usize> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                depth += 1;
                let local = e.local_name().into_inner();
                if local == "table" {
                    sheet = attr(&e, "table:name").unwrap_or_default();
                }
                if open.is_none() && matches!(local, "annotation" | "text-box" | "custom-shape") {
                    open = Some(depth);
                    out.push((local.to_string(), sheet.clone()));
                }
            }
            Ok(Event::End(_)) => {
                if open == Some(depth) {
                    open = None;
                }
                depth = depth.saturating_sub(1);
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// docx: page headers and footers, comments, footnotes and endnotes; the
/// document properties. (Text boxes in the body are read with the body.)
pub fn docx(bytes: &[u8]) -> Vec<Aside> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let kinds: [(&str, &[&str], Layer, &str); 5] = [
        ("word/header", &["hdr"], Layer::Furniture, "the page header"),
        ("word/footer", &["ftr"], Layer::Furniture, "the page footer"),
        ("word/comments", &["comment"], Layer::Comment, "a comment"),
        ("word/footnotes", &["footnote"], Layer::Note, "a footnote"),
        ("word/endnotes", &["endnote"], Layer::Note, "an endnote"),
    ];
    for (prefix, unit, layer, what) in kinds {
        for name in names(&zip, |n| n.starts_with(prefix) && n.ends_with(".xml")) {
            let Some(xml) = part(&mut zip, &name) else {
                continue;
            };
            for (_, text) in units(&xml, |l| unit.contains(&l), Some("t")) {
                out.extend(Aside::new(layer, what, text));
            }
        }
    }
    out.extend(properties(&mut zip, "docProps/core.xml"));
    out
}

/// xls (BIFF8): each sheet's HEADER and FOOTER, and the text of its notes
/// and text boxes (TXO records, their text in the CONTINUE that follows).
pub fn xls(bytes: &[u8]) -> Vec<Aside> {
    let mut out = ole_properties(bytes);
    let Ok(Some(biff)) = Biff::open(bytes) else {
        return out;
    };
    for (offset, sheet) in &biff.sheets {
        let mut pending_text: Option<usize> = None;
        for (kind, data) in biff.sheet_records(*offset) {
            match kind {
                // HEADER, FOOTER: an XLUnicodeString (empty record: none).
                0x0014 | 0x0015 if data.len() >= 3 => {
                    let chars = u16::from_le_bytes([data[0], data[1]]) as usize;
                    out.extend(Aside::new(
                        Layer::Furniture,
                        format!("the page header or footer of sheet \"{sheet}\""),
                        header_text(&biff_chars(&data[3..], data[2] & 1 != 0, chars)),
                    ));
                }
                // TXO: cchText at offset 10; the text follows in a CONTINUE.
                0x01B6 if data.len() >= 12 => {
                    pending_text = Some(u16::from_le_bytes([data[10], data[11]]) as usize);
                }
                0x003C if pending_text.is_some() && !data.is_empty() => {
                    let chars = pending_text.take().unwrap_or(0);
                    out.extend(Aside::new(
                        Layer::Comment,
                        format!("a comment or text box on sheet \"{sheet}\""),
                        biff_chars(&data[1..], data[0] & 1 != 0, chars),
                    ));
                }
                _ => pending_text = pending_text.filter(|_| kind == 0x003C),
            }
        }
    }
    out
}

/// xlsb: the document properties (its comments and headers are binary
/// records not read yet).
pub fn xlsb(bytes: &[u8]) -> Vec<Aside> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Vec::new();
    };
    properties(&mut zip, "docProps/core.xml")
}

/// An OLE file's summary properties (title, subject, keywords, comments):
/// the `\u{5}SummaryInformation` property set, its strings as the code page
/// the set names (Windows-1252 when it names none readable).
fn ole_properties(bytes: &[u8]) -> Vec<Aside> {
    let Ok(mut cf) = cfb::CompoundFile::open(Cursor::new(bytes)) else {
        return Vec::new();
    };
    let mut data = Vec::new();
    let Ok(mut stream) = cf.open_stream("/\u{5}SummaryInformation") else {
        return Vec::new();
    };
    if stream
        .by_ref()
        .take(1 << 20)
        .read_to_end(&mut data)
        .is_err()
    {
        return Vec::new();
    }
    let u32_at = |i: usize| {
        data.get(i..i + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    let Some(section) = u32_at(44) else {
        return Vec::new();
    };
    let count = u32_at(section + 4).unwrap_or(0).min(256);
    let wanted = [
        (2, "title"),
        (3, "subject"),
        (5, "keywords"),
        (6, "comments"),
    ];
    let mut out = Vec::new();
    for k in 0..count {
        let (Some(id), Some(offset)) = (u32_at(section + 8 + 8 * k), u32_at(section + 12 + 8 * k))
        else {
            break;
        };
        let Some(&(_, label)) = wanted.iter().find(|(w, _)| *w == id) else {
            continue;
        };
        let at = section + offset;
        // VT_LPSTR: a byte count (the closing NUL included), then the bytes.
        if u32_at(at) != Some(0x1E) {
            continue;
        }
        let Some(len) = u32_at(at + 4) else { continue };
        let Some(raw) = data.get(at + 8..(at + 8 + len).min(data.len())) else {
            continue;
        };
        let (text, _, _) = encoding_rs::WINDOWS_1252.decode(raw);
        out.extend(Aside::new(
            Layer::Property,
            format!("the document's {label}"),
            text.trim_end_matches('\0').to_string(),
        ));
    }
    out
}

/// `chars` characters of BIFF text: one byte each (Latin-1) or UTF-16.
fn biff_chars(data: &[u8], wide: bool, chars: usize) -> String {
    if wide {
        let units: Vec<u16> = data
            .chunks_exact(2)
            .take(chars)
            .map(|p| u16::from_le_bytes([p[0], p[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        data.iter().take(chars).map(|&b| char::from(b)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_codes_are_dropped_and_words_kept() {
        assert_eq!(
            header_text("&L&\"Arial,Bold\"&12RESTRICTED&Rpage &P of &N"),
            "RESTRICTED page of"
        );
        assert_eq!(header_text("&CR&&D"), "R&D");
    }

    #[test]
    fn relative_targets_resolve_from_their_folder() {
        assert_eq!(
            resolve("xl/worksheets", "../comments1.xml"),
            "xl/comments1.xml"
        );
        assert_eq!(
            resolve("xl", "/xl/worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
    }

    #[test]
    fn a_comment_keeps_its_runs_and_not_its_author() {
        let xml = r#"<comments><authors><author>NCP</author></authors><commentList>
            <comment ref="B2" authorId="0"><text><r><t>Not for wider </t></r><r><t>dissemination</t></r></text></comment>
            </commentList></comments>"#;
        let got = units(xml, |l| l == "comment", Some("t"));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0.get("ref").map(String::as_str), Some("B2"));
        assert_eq!(got[0].1, "Not for wider dissemination");
    }

    #[test]
    fn headers_are_found_past_the_cells_and_only_the_cells_are_passed_by() {
        let furniture = |l: &str| l.ends_with("Header") || l.ends_with("Footer");
        let sheet = r#"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Header &lt;oddHeader&gt;</t></is></c></row></sheetData><headerFooter><oddHeader>&amp;CRESTRICTED</oddHeader></headerFooter></worksheet>"#;
        let cut = without_cells(sheet);
        assert!(!cut.contains("A1") && cut.contains("RESTRICTED"), "{cut}");
        let found = units(&cut, furniture, None);
        assert_eq!(found.len(), 1);
        assert_eq!(header_text(&found[0].1), "RESTRICTED");
        // Not cut where the cells cannot be told apart for certain.
        for whole in [
            r#"<x:worksheet><x:sheetData/><x:headerFooter/></x:worksheet>"#,
            r#"<worksheet><sheetData><c><![CDATA[</sheetData>]]></c></sheetData></worksheet>"#,
            r#"<worksheet><sheetData></sheetData><sheetData></sheetData></worksheet>"#,
        ] {
            assert!(matches!(without_cells(whole), Cow::Borrowed(_)), "{whole}");
        }
    }
}
