//! Saved e-mails, read as containers of their attachments: an `.eml`
//! (RFC 5322, as Thunderbird, Apple Mail or Outlook's "Save as" write it) or
//! an Outlook `.msg`. What kind of e-mail it is is told by its bytes, not its
//! name: an Outlook message is an OLE compound file.
//!
//! The subject and the text are kept, to be searched for restriction
//! wording ("not for wider dissemination" in the subject holds for every
//! response attached).

/// An e-mail, as far as ahq reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mail {
    pub subject: String,
    /// The day it was sent (its Date header), YYYY-MM-DD, when it says.
    pub date: Option<String>,
    /// Its text: the plain-text body, or the HTML body's text.
    pub text: String,
    pub attachments: Vec<Attachment>,
}

/// One attachment: its name, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// As the e-mail names it; an attachment with no name is called
    /// "attachment N" (with the extension its type says, where it is known).
    pub name: String,
    pub bytes: Vec<u8>,
    /// An e-mail attached to this one (a forwarded message).
    pub message: bool,
    /// A picture (a signature's logo, an image in the text).
    pub picture: bool,
}

/// Why an e-mail could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    #[error(
        "this file is not a saved e-mail that ahq can read ({0}): save the e-mail again from \
         the mail program (as .eml or .msg), or save its attachments into responses/"
    )]
    NotMail(&'static str),
    #[error(
        "this Outlook e-mail (.msg) is damaged or cannot be read ({0}): save its attachments \
         into responses/, or save the e-mail again from Outlook"
    )]
    Outlook(String),
    #[error(
        "the e-mail reader stopped on this e-mail (it is damaged): save its attachments into \
         responses/"
    )]
    Stopped,
}

/// The first bytes of an OLE compound file (an Outlook .msg, an old .xls).
const OLE: [u8; 8] = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/// Reads an e-mail's subject, text and attachments.
pub fn read(bytes: &[u8]) -> Result<Mail, MailError> {
    contained(|| {
        if bytes.starts_with(&OLE) {
            read_msg(bytes)
        } else {
            read_eml(bytes)
        }
    })
}

/// Runs a third-party reader so that a panic inside it is "damaged" for
/// this one e-mail, not the end of the run, and is not printed.
fn contained(read: impl FnOnce() -> Result<Mail, MailError>) -> Result<Mail, MailError> {
    crate::reading::guard::quietly(read).unwrap_or(Err(MailError::Stopped))
}

/// A mail date's day, when it is a real one.
fn day(d: &mail_parser::DateTime) -> Option<String> {
    let text = format!("{:04}-{:02}-{:02}", d.year, d.month, d.day);
    crate::dates::parse_day(&text).map(crate::dates::iso)
}

fn read_eml(bytes: &[u8]) -> Result<Mail, MailError> {
    use mail_parser::{HeaderName, MessageParser, MimeHeaders, PartType};
    let message = MessageParser::new()
        .parse(bytes)
        .ok_or(MailError::NotMail("it is empty"))?;
    // Any text parses as a message; one without a single header an e-mail
    // has (From, Subject, Content-Type, …) is not an e-mail.
    if message
        .headers()
        .iter()
        .all(|h| matches!(h.name, HeaderName::Other(_)))
    {
        return Err(MailError::NotMail("it has no e-mail headers"));
    }
    let text = (0..message.text_body_count())
        .filter_map(|i| message.body_text(i))
        .collect::<Vec<_>>()
        .join("\n");
    let attachments = message
        .attachments()
        .enumerate()
        .map(|(i, part)| {
            let ctype = part.content_type();
            let (main, sub) = ctype.map_or(("", ""), |c| (c.ctype(), c.subtype().unwrap_or("")));
            let message = matches!(part.body, PartType::Message(_));
            let name = match part.attachment_name().map(str::trim) {
                Some(n) if message && !n.to_ascii_lowercase().ends_with(".eml") => {
                    format!("{n}.eml")
                }
                Some(n) if !n.is_empty() => n.to_string(),
                _ if message => format!("attachment {} (an e-mail).eml", i + 1),
                _ => unnamed(i, &format!("{main}/{sub}")),
            };
            Attachment {
                picture: main.eq_ignore_ascii_case("image") || is_picture(&name),
                name,
                bytes: part.contents().to_vec(),
                message,
            }
        })
        .collect();
    Ok(Mail {
        subject: message.subject().unwrap_or_default().to_string(),
        date: message.date().and_then(day),
        text,
        attachments,
    })
}

fn read_msg(bytes: &[u8]) -> Result<Mail, MailError> {
    let outlook = match msg_parser::Outlook::from_slice(bytes) {
        Ok(o) => o,
        // msg_parser opens compound files of version 3 (512-byte sectors)
        // only; one of version 4 is read from its streams directly.
        Err(e) => return read_msg_streams(bytes).ok_or(MailError::Outlook(e.to_string())),
    };
    if outlook.subject.is_empty()
        && outlook.body.is_empty()
        && outlook.html.is_empty()
        && outlook.attachments.is_empty()
        && outlook.message_class.is_empty()
    {
        return Err(MailError::NotMail(
            "it is an Office file, but holds no e-mail",
        ));
    }
    let text = if !outlook.body.trim().is_empty() {
        outlook.body.clone()
    } else if !outlook.html.trim().is_empty() {
        html_text(&outlook.html)
    } else {
        outlook
            .html_from_rtf()
            .map(|h| html_text(&h))
            .unwrap_or_default()
    };
    let attachments = outlook
        .attachments
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let message = a.is_embedded_message();
            let name = [&a.long_file_name, &a.file_name, &a.display_name]
                .into_iter()
                .map(|n| n.trim())
                .find(|n| !n.is_empty());
            let name = match name {
                Some(n) if message && !n.to_ascii_lowercase().ends_with(".msg") => {
                    format!("{n}.msg")
                }
                Some(n) => n.to_string(),
                None if message => format!("attachment {} (an e-mail).msg", i + 1),
                None => unnamed(i, &a.mime_tag),
            };
            Attachment {
                picture: a.mime_tag.to_ascii_lowercase().starts_with("image/") || is_picture(&name),
                name,
                bytes: a.payload_bytes.clone(),
                message,
            }
        })
        .collect();
    Ok(Mail {
        subject: outlook.subject.clone(),
        date: mail_parser::DateTime::parse_rfc822(outlook.headers.date.trim())
            .as_ref()
            .and_then(day),
        text,
        attachments,
    })
}

/// An Outlook message read from its compound file's streams as MS-OXMSG
/// lays them out (`__substg1.0_` + property + type): for the files
/// msg_parser does not open. `None`: not an Outlook message.
fn read_msg_streams(bytes: &[u8]) -> Option<Mail> {
    use std::io::Read;
    type Cf<'b> = cfb::CompoundFile<std::io::Cursor<&'b [u8]>>;
    let mut cf: Cf = cfb::CompoundFile::open(std::io::Cursor::new(bytes)).ok()?;
    fn stream(cf: &mut Cf, path: &str) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        cf.open_stream(path).ok()?.read_to_end(&mut out).ok()?;
        Some(out)
    }
    // A string property: UTF-16 (type 001F), or 8-bit (001E, Windows-1252).
    fn string(cf: &mut Cf, dir: &str, id: &str) -> Option<String> {
        if let Some(b) = stream(cf, &format!("{dir}/__substg1.0_{id}001F")) {
            let units: Vec<u16> = b
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            return Some(
                String::from_utf16_lossy(&units)
                    .trim_end_matches('\0')
                    .into(),
            );
        }
        let b = stream(cf, &format!("{dir}/__substg1.0_{id}001E"))?;
        let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&b);
        Some(text.trim_end_matches('\0').to_string())
    }
    // The message class (IPM.Note) or a subject: what every e-mail has.
    let class = string(&mut cf, "", "001A");
    let subject = string(&mut cf, "", "0037");
    if class.is_none() && subject.is_none() {
        return None;
    }
    let text = match string(&mut cf, "", "1000") {
        Some(t) if !t.trim().is_empty() => t,
        _ => stream(&mut cf, "/__substg1.0_10130102")
            .map(|h| html_text(&String::from_utf8_lossy(&h)))
            .unwrap_or_default(),
    };
    let mut dirs: Vec<String> = cf
        .read_storage("/")
        .ok()?
        .filter(|e| e.is_storage() && e.name().starts_with("__attach_version1.0_#"))
        .map(|e| format!("/{}", e.name()))
        .collect();
    dirs.sort();
    let mut attachments = Vec::new();
    for (i, dir) in dirs.iter().enumerate() {
        let message = cf.is_storage(format!("{dir}/__substg1.0_3701000D"));
        let mime = string(&mut cf, dir, "370E").unwrap_or_default();
        let name = ["3707", "3704", "3001"]
            .into_iter()
            .filter_map(|id| string(&mut cf, dir, id))
            .map(|n| n.trim().to_string())
            .find(|n| !n.is_empty());
        let name = match name {
            Some(n) if message && !n.to_ascii_lowercase().ends_with(".msg") => format!("{n}.msg"),
            Some(n) => n,
            None if message => format!("attachment {} (an e-mail).msg", i + 1),
            None => unnamed(i, &mime),
        };
        attachments.push(Attachment {
            picture: mime.to_ascii_lowercase().starts_with("image/") || is_picture(&name),
            bytes: stream(&mut cf, &format!("{dir}/__substg1.0_37010102")).unwrap_or_default(),
            name,
            message,
        });
    }
    Some(Mail {
        subject: subject.unwrap_or_default(),
        date: None,
        text,
        attachments,
    })
}

/// The name of an attachment that has none: "attachment 2.xlsx" when its
/// type is a response's, else "attachment 2".
fn unnamed(i: usize, mime: &str) -> String {
    let ext = match mime.to_ascii_lowercase().as_str() {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => ".xlsx",
        "application/vnd.ms-excel" => ".xls",
        "application/vnd.ms-excel.sheet.binary.macroenabled.12" => ".xlsb",
        "application/vnd.oasis.opendocument.spreadsheet" => ".ods",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => ".docx",
        "text/csv" => ".csv",
        "application/zip" | "application/x-zip-compressed" => ".zip",
        _ => "",
    };
    format!("attachment {}{ext}", i + 1)
}

fn is_picture(name: &str) -> bool {
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    [
        "png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "emz", "wmf", "emf", "svg", "webp",
    ]
    .iter()
    .any(|p| ext.eq_ignore_ascii_case(p))
}

/// The text of an HTML body: tags dropped, the common entities decoded,
/// block ends made line breaks.
fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            rest = "";
            break;
        };
        let tag = rest[open + 1..open + close].trim_start_matches('/');
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if matches!(
            name.as_str(),
            "br" | "p" | "div" | "tr" | "li" | "h1" | "h2" | "h3" | "td"
        ) {
            out.push('\n');
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    decode_entities(&out)
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let entity = &after[..e];
            let c = match entity {
                "nbsp" => ' ',
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                _ => {
                    let n = entity.strip_prefix('#')?;
                    let code = match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => n.parse().ok()?,
                    };
                    char::from_u32(code)?
                }
            };
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const EML: &str = "From: Belgian NCP <ncp@example.be>\r\n\
        To: emn@example.eu\r\n\
        Subject: =?UTF-8?Q?AHQ_reply_=E2=80=93_not_for_wider_dissemination?=\r\n\
        MIME-Version: 1.0\r\n\
        Content-Type: multipart/mixed; boundary=\"b\"\r\n\
        \r\n\
        --b\r\n\
        Content-Type: text/plain; charset=utf-8\r\n\
        \r\n\
        Please find our reply attached.\r\n\
        --b\r\n\
        Content-Type: text/csv\r\n\
        Content-Disposition: attachment; filename=\"BE.csv\"\r\n\
        \r\n\
        Country;Belgium\r\n\
        --b\r\n\
        Content-Type: image/png\r\n\
        Content-Disposition: inline\r\n\
        Content-Transfer-Encoding: base64\r\n\
        \r\n\
        iVBORw0KGgo=\r\n\
        --b\r\n\
        Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\
        Content-Disposition: attachment\r\n\
        Content-Transfer-Encoding: base64\r\n\
        \r\n\
        UEsDBA==\r\n\
        --b--\r\n";

    #[test]
    fn an_eml_gives_its_subject_text_and_attachments_named() {
        let mail = read(EML.as_bytes()).unwrap();
        assert_eq!(mail.subject, "AHQ reply – not for wider dissemination");
        assert!(mail.text.contains("Please find our reply"), "{mail:?}");
        let names: Vec<_> = mail.attachments.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["BE.csv", "attachment 2", "attachment 3.xlsx"]);
        assert_eq!(mail.attachments[0].bytes, b"Country;Belgium");
        assert!(mail.attachments[1].picture);
        assert_eq!(mail.attachments[2].bytes, b"PK\x03\x04");
    }

    /// An Outlook message as MS-OXMSG lays it out, written by the cfb crate.
    fn msg(
        version: cfb::Version,
        subject: &str,
        body: &str,
        attachments: &[(&str, &[u8])],
    ) -> Vec<u8> {
        use std::io::Write;
        let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
        let mut cf =
            cfb::CompoundFile::create_with_version(version, std::io::Cursor::new(Vec::new()))
                .unwrap();
        let put = |cf: &mut cfb::CompoundFile<_>, path: &str, data: &[u8]| {
            cf.create_stream(path).unwrap().write_all(data).unwrap();
        };
        put(&mut cf, "/__properties_version1.0", &[0; 32]);
        put(&mut cf, "/__substg1.0_001A001F", &utf16("IPM.Note"));
        put(&mut cf, "/__substg1.0_0037001F", &utf16(subject));
        put(&mut cf, "/__substg1.0_1000001F", &utf16(body));
        for (i, (name, data)) in attachments.iter().enumerate() {
            let dir = format!("/__attach_version1.0_#{i:08X}");
            cf.create_storage(&dir).unwrap();
            // AttachMethod (0x3705, an integer): 1, by value.
            let mut props = vec![0u8; 8];
            props.extend(3u16.to_le_bytes());
            props.extend(0x3705u16.to_le_bytes());
            props.extend(6u32.to_le_bytes());
            props.extend(1u64.to_le_bytes());
            put(&mut cf, &format!("{dir}/__properties_version1.0"), &props);
            put(
                &mut cf,
                &format!("{dir}/__substg1.0_3707001F"),
                &utf16(name),
            );
            put(&mut cf, &format!("{dir}/__substg1.0_37010102"), data);
        }
        cf.flush().unwrap();
        cf.into_inner().into_inner()
    }

    /// Version 3 (512-byte sectors), as Outlook writes it, read by
    /// msg_parser; version 4, which msg_parser does not open, from its streams.
    #[test]
    fn an_outlook_msg_gives_its_subject_text_and_attachments() {
        for version in [cfb::Version::V3, cfb::Version::V4] {
            let bytes = msg(
                version,
                "Reply – VS-NfD",
                "Dear colleagues,\r\nour reply is attached.",
                &[
                    ("BE reply.xlsx", b"PK\x03\x04"),
                    ("image001.png", b"\x89PNG"),
                ],
            );
            outlook_read(&bytes);
        }
    }

    fn outlook_read(bytes: &[u8]) {
        let mail = read(bytes).unwrap();
        assert_eq!(mail.subject, "Reply – VS-NfD");
        assert!(mail.text.contains("our reply is attached"), "{mail:?}");
        let names: Vec<_> = mail.attachments.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["BE reply.xlsx", "image001.png"]);
        assert_eq!(mail.attachments[0].bytes, b"PK\x03\x04");
        assert!(!mail.attachments[0].picture && mail.attachments[1].picture);
    }

    #[test]
    fn text_without_headers_and_a_broken_msg_are_not_mail() {
        assert!(matches!(
            read(b"\x00\x01\x02 not an e-mail"),
            Err(MailError::NotMail(_))
        ));
        let mut ole = OLE.to_vec();
        ole.extend([0u8; 600]);
        assert!(matches!(read(&ole), Err(MailError::Outlook(_))));
    }

    #[test]
    fn html_text_drops_tags_and_decodes_entities() {
        assert_eq!(
            html_text("<p>Not&nbsp;for wider<br>dissemination &amp; &#233;</p>"),
            "\nNot for wider\ndissemination & é\n"
        );
    }
}
