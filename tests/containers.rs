//! Issue "part 12", 8: what responses arrive in besides themselves. A zip
//! with the files in a folder (as a Mac's "Compress" or Windows' "Send to
//! compressed folder" makes it), what a Mac or Windows adds by itself
//! (`__MACOSX/`, `._` files, `.DS_Store`, `Thumbs.db`, `desktop.ini`), and
//! a saved e-mail (.eml, Outlook .msg) read as the responses attached, its
//! subject and text searched for restriction wording. Zips are written by
//! Python's zipfile, e-mails by Python's email package, the workbooks in
//! them by openpyxl; an Outlook message by the cfb crate, as MS-OXMSG lays
//! one out.

mod support;

use serde_json::Value;
use std::path::Path;
use support::python::run_openpyxl;
use support::{Case, has_message, in_wider, messages, outputs};

fn names(files: &[Value]) -> Vec<&str> {
    files.iter().map(|f| f["file"].as_str().unwrap()).collect()
}

fn file<'a>(files: &'a [Value], name: &str) -> &'a Value {
    files
        .iter()
        .find(|f| f["file"] == name)
        .unwrap_or_else(|| panic!("no report of {name}: {files:#?}"))
}

/// A response's rows: country, flag ("" leaves it blank), answers 1 and 3.
fn reply(country: &str, flag: &str, answer: &str) -> Value {
    serde_json::json!([
        ["Country", country],
        ["Wider Dissemination?", flag],
        ["1", "Yes"],
        ["3", answer]
    ])
}

/// `workbook(rows)`: an xlsx written by openpyxl, as bytes.
const WORKBOOK: &str = r#"
import io, json, sys, openpyxl
def workbook(rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Reply"
    for r in rows:
        ws.append([c if c != "" else None for c in r])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
"#;

/// A zip written by Python's zipfile from (name, kind, payload) entries:
/// "dir" (a folder entry), "xlsx" (payload: the rows), "bytes" (payload:
/// text whose characters are bytes).
fn python_zip(path: &Path, entries: Value) {
    let script = format!(
        "{WORKBOOK}{}",
        r#"
import zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for name, kind, payload in json.loads(sys.argv[2]):
        if kind == "dir":
            z.writestr(zipfile.ZipInfo(name), b"")
        elif kind == "xlsx":
            z.writestr(name, workbook(payload))
        else:
            z.writestr(name, payload.encode("latin-1"))
"#
    );
    run_openpyxl(&script, &[path.to_str().unwrap(), &entries.to_string()]);
}

/// An e-mail written by Python's email package (EmailMessage, saved as
/// Thunderbird or Outlook's "Save as" saves it): subject, text, and
/// attachments (name, kind, payload): "xlsx" (payload: the rows), "png".
fn python_eml(path: &Path, subject: &str, text: &str, attachments: Value) {
    let script = format!(
        "{WORKBOOK}{}",
        r#"
from email.message import EmailMessage
from email import policy
msg = EmailMessage()
msg["From"] = "EMN NCP <ncp@example.eu>"
msg["To"] = "coordinator@example.eu"
msg["Date"] = "Mon, 30 Aug 2010 10:00:00 +0200"
msg["Subject"] = sys.argv[2]
msg.set_content(sys.argv[3])
for name, kind, payload in json.loads(sys.argv[4]):
    if kind == "xlsx":
        msg.add_attachment(workbook(payload), maintype="application",
            subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename=name)
    else:
        msg.add_attachment(b"\x89PNG\r\n\x1a\n", maintype="image", subtype="png", filename=name)
with open(sys.argv[1], "wb") as f:
    f.write(msg.as_bytes(policy=policy.SMTP))
"#
    );
    run_openpyxl(
        &script,
        &[
            path.to_str().unwrap(),
            subject,
            text,
            &attachments.to_string(),
        ],
    );
}

// ---- zips ------------------------------------------------------------------

/// What a Mac's Archive Utility adds ("._" resource forks under
/// `__MACOSX/`, `.DS_Store`), and what Windows adds, are passed over with
/// one note; the response in the folder is read, named by its path.
#[test]
fn a_mac_zip_is_read_in_its_folder_and_what_the_mac_adds_is_noted_once() {
    let case = Case::new();
    let apple_double = "\u{0}\u{5}\u{16}\u{7}\u{0}\u{2}\u{0}\u{0}Mac OS X        ";
    python_zip(
        &case.dir().join("responses/reply.zip"),
        serde_json::json!([
            ["reply/", "dir", ""],
            [
                "reply/IE reply.xlsx",
                "xlsx",
                reply("Ireland", "Yes", "IE-OPEN-ANSWER")
            ],
            ["reply/.DS_Store", "bytes", "\u{0}\u{0}\u{0}\u{1}Bud1"],
            ["__MACOSX/", "dir", ""],
            ["__MACOSX/reply/", "dir", ""],
            ["__MACOSX/reply/._IE reply.xlsx", "bytes", apple_double],
            ["__MACOSX/reply/._.DS_Store", "bytes", apple_double],
            ["reply/Thumbs.db", "bytes", "\u{d0}\u{cf}\u{11}\u{e0}"],
            ["desktop.ini", "bytes", "[.ShellClassInfo]\r\n"],
        ]),
    );
    let (code, files) = case.json();
    assert_eq!(code, 0, "{files:#?}");
    assert_eq!(
        names(&files),
        ["reply.zip", "reply.zip/reply/IE reply.xlsx"],
        "{files:#?}"
    );
    let member = &files[1];
    assert_eq!(member["country"], "IE", "{member:#}");
    assert_eq!(member["dissemination"], "yes", "{member:#}");
    let archive = &files[0];
    assert!(messages(archive, "warnings").is_empty(), "{archive:#}");
    assert!(messages(archive, "errors").is_empty(), "{archive:#}");
    let junk: Vec<_> = messages(archive, "infos")
        .into_iter()
        .filter(|(m, _)| m.contains("a Mac or Windows adds"))
        .collect();
    assert_eq!(junk.len(), 1, "{archive:#}");
    let note = &junk[0].0;
    for part in [
        "passed over 5 files",
        "__MACOSX/",
        ".DS_Store",
        "Thumbs.db",
        "desktop.ini",
        "not responses",
    ] {
        assert!(note.contains(part), "{part:?} not in {note:?}");
    }
    let out = case.compile(&[]);
    assert!(!in_wider(&out, "IE-OPEN-ANSWER").is_empty());
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(
        manifest.contains("responses/reply.zip/reply/IE reply.xlsx"),
        "{manifest}"
    );
}

/// `Thumbs.db`, `desktop.ini` and a `__MACOSX` folder (a Mac's zip unzipped
/// on Windows) lying in responses/ are passed over quietly: a note, no
/// warning.
#[test]
fn thumbs_db_desktop_ini_and_macosx_in_responses_are_passed_over_quietly() {
    let case = Case::new()
        .csv(
            "BE.csv",
            &[
                &["Country", "Belgium"],
                &["Wider Dissemination?", "Yes"],
                &["1", "Yes"],
            ],
        )
        .file("Thumbs.db", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
        .file("desktop.ini", "[.ShellClassInfo]\r\nIconResource=x\r\n");
    std::fs::create_dir(case.dir().join("responses/__MACOSX")).unwrap();
    std::fs::write(
        case.dir().join("responses/__MACOSX/._BE.csv"),
        b"\0\x05\x16\x07",
    )
    .unwrap();
    let (code, files) = case.json();
    assert_eq!(code, 0, "{files:#?}");
    for name in ["Thumbs.db", "desktop.ini", "__MACOSX"] {
        let f = file(&files, name);
        assert!(messages(f, "warnings").is_empty(), "{f:#}");
        assert!(has_message(f, "infos", "a Mac"), "{f:#}");
        assert!(f["skipped"].is_string(), "{f:#}");
    }
}

// ---- e-mails ---------------------------------------------------------------

const NEUTRAL_TEXT: &str = "Dear colleagues,\n\nplease find attached the reply of our NCP \
                            to the ad-hoc query.\n\nBest regards,\nthe NCP";

/// The attachment is read as if it were in responses/, named by the e-mail;
/// the picture of a signature is passed over with a note.
#[test]
fn a_saved_eml_is_read_as_its_attachment() {
    let case = Case::new();
    python_eml(
        &case.dir().join("responses/reply.eml"),
        "Re: EMN Ad-Hoc Query 2010.12 – reply of Belgium",
        NEUTRAL_TEXT,
        serde_json::json!([
            [
                "BE reply.xlsx",
                "xlsx",
                reply("Belgium", "Yes", "BE-OPEN-ANSWER")
            ],
            ["image001.png", "png", ""],
        ]),
    );
    let (code, files) = case.json();
    assert_eq!(code, 0, "{files:#?}");
    assert_eq!(
        names(&files),
        ["reply.eml", "reply.eml/BE reply.xlsx"],
        "{files:#?}"
    );
    let mail = &files[0];
    assert!(messages(mail, "warnings").is_empty(), "{mail:#}");
    assert!(
        has_message(
            mail,
            "infos",
            "passed over 1 picture in the e-mail (image001.png)"
        ),
        "{mail:#}"
    );
    assert_eq!(files[1]["country"], "BE", "{files:#?}");
    assert_eq!(files[1]["dissemination"], "yes", "{files:#?}");
    let out = case.compile(&[]);
    assert!(!in_wider(&out, "BE-OPEN-ANSWER").is_empty());
}

/// Restriction wording in the subject or the text of an e-mail holds for
/// the response attached, as wording in the file's own name does: a Yes
/// (or a blank flag) is an error and nothing of it reaches the wider
/// outputs; a No is compiled for the members only.
#[test]
fn restriction_wording_in_an_emails_subject_or_text_keeps_its_responses_from_wider_outputs() {
    let fr = "Country;France\nWider Dissemination?;Yes\n1;Yes\n3;FR-OPEN-ANSWER\n";
    for (subject, text, flag) in [
        (
            "AHQ 2010.12 – reply of Belgium – Not for wider dissemination",
            NEUTRAL_TEXT,
            "Yes",
        ),
        (
            "AHQ 2010.12 – reply of Belgium",
            "Dear colleagues,\n\nattached is our reply.\nPlease do not share it beyond the \
             EMN.\n\nBest regards",
            "",
        ),
    ] {
        let case = Case::new().file("FR.csv", fr);
        python_eml(
            &case.dir().join("responses/reply.eml"),
            subject,
            text,
            serde_json::json!([[
                "BE reply.xlsx",
                "xlsx",
                reply("Belgium", flag, "BE-SECRET-ANSWER")
            ]]),
        );
        let (code, files) = case.json();
        assert_eq!(code, 1, "{subject}: {files:#?}");
        let member = file(&files, "reply.eml/BE reply.xlsx");
        assert!(
            has_message(member, "errors", "of the e-mail it came in says"),
            "{subject}: {member:#}"
        );
        assert!(member["dissemination"].is_null(), "{member:#}");
        let (run, out) = case.compile_with(&[]);
        run.status(1).stderr_has("reply.eml/BE reply.xlsx");
        assert!(outputs(&out).is_empty(), "{:?}", outputs(&out));
        let out = case.compile(&["--skip-invalid"]);
        assert_eq!(in_wider(&out, "BE-SECRET-ANSWER"), Vec::<String>::new());
        assert!(!in_wider(&out, "FR-OPEN-ANSWER").is_empty());
    }
    // Flagged No: compiled for the members, kept from the wider outputs.
    let case = Case::new().file("FR.csv", fr);
    python_eml(
        &case.dir().join("responses/reply.eml"),
        "AHQ 2010.12 – Not for wider dissemination",
        NEUTRAL_TEXT,
        serde_json::json!([[
            "BE reply.xlsx",
            "xlsx",
            reply("Belgium", "No", "BE-SECRET-ANSWER")
        ]]),
    );
    let out = case.compile(&[]);
    assert_eq!(in_wider(&out, "BE-SECRET-ANSWER"), Vec::<String>::new());
    let full = std::fs::read_to_string(out.join("responses-full.csv")).unwrap();
    assert!(full.contains("BE-SECRET-ANSWER"), "{full}");
}

#[test]
fn an_eml_with_no_response_attached_is_an_error() {
    let case = Case::new();
    python_eml(
        &case.dir().join("responses/reply.eml"),
        "AHQ 2010.12 – reply of Belgium",
        "Dear colleagues, our reply follows next week.",
        serde_json::json!([]),
    );
    let (code, files) = case.json();
    assert_eq!(code, 1, "{files:#?}");
    assert_eq!(names(&files), ["reply.eml"], "{files:#?}");
    assert!(
        has_message(&files[0], "errors", "this e-mail has no response attached"),
        "{files:#?}"
    );
    let (run, out) = case.compile_with(&[]);
    run.status(1)
        .stderr_has("reply.eml")
        .stderr_has("no response attached");
    assert!(outputs(&out).is_empty(), "{:?}", outputs(&out));
}

/// An Outlook message as MS-OXMSG lays it out (a compound file of version
/// 3, the streams `__substg1.0_<property><type>`), written by the cfb crate.
fn outlook_msg(subject: &str, text: &str, attachments: &[(&str, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let mut cf =
        cfb::CompoundFile::create_with_version(cfb::Version::V3, std::io::Cursor::new(Vec::new()))
            .unwrap();
    let put = |cf: &mut cfb::CompoundFile<_>, path: &str, data: &[u8]| {
        cf.create_stream(path).unwrap().write_all(data).unwrap();
    };
    put(&mut cf, "/__properties_version1.0", &[0; 32]);
    put(&mut cf, "/__substg1.0_001A001F", &utf16("IPM.Note"));
    put(&mut cf, "/__substg1.0_0037001F", &utf16(subject));
    put(&mut cf, "/__substg1.0_1000001F", &utf16(text));
    for (i, (name, data)) in attachments.iter().enumerate() {
        let dir = format!("/__attach_version1.0_#{i:08X}");
        cf.create_storage(&dir).unwrap();
        // AttachMethod (0x3705, an integer): 1, the file itself.
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

fn xlsx_reply(country: &str, flag: &str, answer: &str) -> Vec<u8> {
    support::xlsx(
        &[(
            "Reply",
            &[
                &["Country", country],
                &["Wider Dissemination?", flag],
                &["1", "Yes"],
                &["3", answer],
            ],
        )],
        |_| {},
    )
}

/// An Outlook .msg is read as its attachments too, and its subject searched.
#[test]
fn an_outlook_msg_is_read_as_its_attachments_and_its_subject_searched() {
    let case = Case::new()
        .file(
            "AT reply.msg",
            outlook_msg(
                "Reply of Austria",
                NEUTRAL_TEXT,
                &[("AT.xlsx", xlsx_reply("Austria", "Yes", "AT-OPEN-ANSWER"))],
            ),
        )
        .file(
            "BE reply.msg",
            outlook_msg(
                "Reply of Belgium – VS-NfD",
                NEUTRAL_TEXT,
                &[("BE.xlsx", xlsx_reply("Belgium", "Yes", "BE-SECRET-ANSWER"))],
            ),
        );
    let (code, files) = case.json();
    assert_eq!(code, 1, "{files:#?}");
    let at = file(&files, "AT reply.msg/AT.xlsx");
    assert_eq!(at["country"], "AT", "{at:#}");
    assert_eq!(at["dissemination"], "yes", "{at:#}");
    let be = file(&files, "BE reply.msg/BE.xlsx");
    assert!(
        has_message(be, "errors", "the subject of the e-mail it came in says"),
        "{be:#}"
    );
    let out = case.compile(&["--skip-invalid"]);
    assert!(!in_wider(&out, "AT-OPEN-ANSWER").is_empty());
    assert_eq!(in_wider(&out, "BE-SECRET-ANSWER"), Vec::<String>::new());
}
