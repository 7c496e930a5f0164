//! A zip of responses, entry by entry, as its central directory lists them.
//!
//! The zip crate keys entries by name, so of two entries named `BE.csv` it
//! keeps one, and a thousand of them count as one. A response archive is
//! read here by index instead: every entry named, duplicates included, and
//! an entry that cannot be unpacked said with why (a password, a method ahq
//! does not unpack, damage), never passed over.

use std::io::Read;

/// One entry of the central directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its name, decoded (UTF-8 when flagged or valid, else code page 437).
    pub name: String,
    /// The entry's own comment, if any (a zip tool's "comment" field).
    pub comment: String,
    /// The general-purpose flags: bit 0 is encryption.
    flags: u16,
    method: u16,
    crc: u32,
    compressed: u64,
    size: u64,
    local: u64,
}

impl Entry {
    pub fn is_dir(&self) -> bool {
        self.name.ends_with('/') || self.name.ends_with('\\')
    }

    /// What the entry declares it unpacks to.
    pub fn size(&self) -> u64 {
        self.size
    }
}

/// Why an entry was not unpacked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    #[error(
        "this file of the archive is protected by a password: ask the sender for it on its \
         own, or for an archive without a password"
    )]
    Password,
    #[error(
        "this file of the archive is compressed with {0}, which ahq does not unpack: unzip the \
         archive and put the file in responses/, or ask the sender for a zip made with the \
         ordinary (deflate) method"
    )]
    Method(String),
    #[error("this file of the archive is damaged ({0}): ask the sender for it on its own")]
    Damaged(&'static str),
    #[error(
        "this file of the archive unpacks to more than {0} bytes, over the limit for one \
         response: check it is the right file (raise the limit with --max-file-bytes)"
    )]
    TooLarge(u64),
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// Where the central directory starts and how many entries it declares.
/// The archive's own comment (what `zip -z` or a zip tool's "comment"
/// writes), if any: a person may have written a marking there.
pub fn comment(bytes: &[u8]) -> Option<String> {
    let end = end_record(bytes)?;
    let len = usize::from(u16_at(bytes, end + 20)?);
    let raw = bytes.get(end + 22..(end + 22 + len).min(bytes.len()))?;
    let text = decode_name(raw, false);
    (!text.trim().is_empty()).then_some(text)
}

/// Where the end-of-central-directory record starts: in the last 22 +
/// 65,535 bytes (its comment).
fn end_record(bytes: &[u8]) -> Option<usize> {
    let from = bytes.len().saturating_sub(22 + 65_535);
    (from..=bytes.len().checked_sub(22)?)
        .rev()
        .find(|&i| bytes[i..i + 4] == [0x50, 0x4b, 0x05, 0x06])
}

fn directory(bytes: &[u8]) -> Option<(usize, u64)> {
    let end = end_record(bytes)?;
    let mut count = u64::from(u16_at(bytes, end + 10)?);
    let mut start = u64::from(u32_at(bytes, end + 16)?);
    if count == 0xffff || start == 0xffff_ffff {
        // Zip64: the locator just before the end record points at its own end record.
        let locator = end.checked_sub(20)?;
        if u32_at(bytes, locator)? != 0x0706_4b50 {
            return None;
        }
        let at = usize::try_from(u64_at(bytes, locator + 8)?).ok()?;
        if u32_at(bytes, at)? != 0x0606_4b50 {
            return None;
        }
        count = u64_at(bytes, at + 32)?;
        start = u64_at(bytes, at + 48)?;
    }
    Some((usize::try_from(start).ok()?, count))
}

/// Decodes an entry name: UTF-8 when the entry says so or when it is valid
/// UTF-8, else code page 437, the zip format's own.
fn decode_name(raw: &[u8], utf8: bool) -> String {
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) if utf8 => String::from_utf8_lossy(raw).into_owned(),
        Err(_) => raw.iter().map(|&b| cp437(b)).collect(),
    }
}

fn cp437(b: u8) -> char {
    const HIGH: &str = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{a0}";
    if b < 0x80 {
        b as char
    } else {
        HIGH.chars().nth(usize::from(b - 0x80)).unwrap_or('?')
    }
}

/// Every entry the central directory lists, in its order, at most
/// `max + 1` of them (enough to say there are too many). `None`: no
/// directory can be found (not a zip, or one cut short).
pub fn entries(bytes: &[u8], max: usize) -> Option<Vec<Entry>> {
    let (start, declared) = directory(bytes)?;
    let mut out = Vec::new();
    let mut at = start;
    while (out.len() as u64) < declared && out.len() <= max {
        if u32_at(bytes, at)? != 0x0201_4b50 {
            return None;
        }
        let flags = u16_at(bytes, at + 8)?;
        let name_len = usize::from(u16_at(bytes, at + 28)?);
        let extra_len = usize::from(u16_at(bytes, at + 30)?);
        let comment_len = usize::from(u16_at(bytes, at + 32)?);
        let raw_name = bytes.get(at + 46..at + 46 + name_len)?;
        let raw_comment = bytes
            .get(at + 46 + name_len + extra_len..at + 46 + name_len + extra_len + comment_len)
            .unwrap_or_default();
        let mut e = Entry {
            name: decode_name(raw_name, flags & 0x0800 != 0),
            comment: decode_name(raw_comment, flags & 0x0800 != 0),
            flags,
            method: u16_at(bytes, at + 10)?,
            crc: u32_at(bytes, at + 16)?,
            compressed: u64::from(u32_at(bytes, at + 20)?),
            size: u64::from(u32_at(bytes, at + 24)?),
            local: u64::from(u32_at(bytes, at + 42)?),
        };
        // Zip64 sizes and offset, in that order, for each field at its maximum.
        let extra = bytes.get(at + 46 + name_len..at + 46 + name_len + extra_len)?;
        let mut x = 0;
        while x + 4 <= extra.len() {
            let (id, len) = (u16_at(extra, x)?, usize::from(u16_at(extra, x + 2)?));
            if id == 1 {
                let mut f = x + 4;
                for field in [&mut e.size, &mut e.compressed, &mut e.local] {
                    if *field == 0xffff_ffff {
                        *field = u64_at(extra, f)?;
                        f += 8;
                    }
                }
            }
            x += 4 + len;
        }
        out.push(e);
        at += 46 + name_len + extra_len + comment_len;
    }
    Some(out)
}

/// The name of a compression method ahq does not unpack.
fn method_name(method: u16) -> String {
    match method {
        9 => "Deflate64 (\"enhanced deflate\")".into(),
        12 => "bzip2".into(),
        14 => "LZMA".into(),
        93 => "Zstandard".into(),
        95 => "xz".into(),
        96 => "JPEG".into(),
        97 => "WavPack".into(),
        98 => "PPMd".into(),
        m => format!("compression method {m}"),
    }
}

/// The bytes of one entry, at most `limit` of them, checked against its CRC.
pub fn unpack(bytes: &[u8], e: &Entry, limit: u64) -> Result<Vec<u8>, EntryError> {
    // Bit 0: encrypted (ZipCrypto); method 99: WinZip's AES, also a password.
    if e.flags & 1 != 0 || e.method == 99 {
        return Err(EntryError::Password);
    }
    if e.method != 0 && e.method != 8 {
        return Err(EntryError::Method(method_name(e.method)));
    }
    let header = usize::try_from(e.local)
        .map_err(|_| EntryError::Damaged("its place in the archive is wrong"))?;
    if u32_at(bytes, header) != Some(0x0403_4b50) {
        return Err(EntryError::Damaged("its header in the archive is broken"));
    }
    let data = (|| {
        let start = header
            + 30
            + usize::from(u16_at(bytes, header + 26)?)
            + usize::from(u16_at(bytes, header + 28)?);
        let end = start.checked_add(usize::try_from(e.compressed).ok()?)?;
        bytes.get(start..end)
    })()
    .ok_or(EntryError::Damaged("it is cut short"))?;
    let mut out = Vec::new();
    let read = if e.method == 0 {
        std::io::Read::take(data, limit + 1).read_to_end(&mut out)
    } else {
        flate2::read::DeflateDecoder::new(data)
            .take(limit + 1)
            .read_to_end(&mut out)
    };
    if out.len() as u64 > limit {
        return Err(EntryError::TooLarge(limit));
    }
    if read.is_err() {
        return Err(EntryError::Damaged("its compressed bytes are broken"));
    }
    if out.len() as u64 != e.size || crc32fast::hash(&out) != e.crc {
        return Err(EntryError::Damaged(
            "what it unpacks to does not match its checksum",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(files: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, data) in files {
            let o = zip::write::SimpleFileOptions::default().compression_method(method);
            w.start_file(*name, o).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn entries_are_listed_and_unpacked_by_index_duplicates_included() {
        let mut bytes = zip_of(
            &[("BE.csv", b"one"), ("AT.csv", b"two")],
            zip::CompressionMethod::Deflated,
        );
        // Renaming the second entry (local header and directory) to the first's name.
        let rename = |b: &mut Vec<u8>| {
            let at: Vec<usize> = b
                .windows(6)
                .enumerate()
                .filter(|(_, w)| w == b"AT.csv")
                .map(|(i, _)| i)
                .collect();
            for i in at {
                b[i..i + 6].copy_from_slice(b"BE.csv");
            }
        };
        rename(&mut bytes);
        let list = entries(&bytes, 10).unwrap();
        assert_eq!(
            list.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(),
            ["BE.csv", "BE.csv"]
        );
        assert_eq!(unpack(&bytes, &list[0], 100).unwrap(), b"one");
        assert_eq!(unpack(&bytes, &list[1], 100).unwrap(), b"two");
        assert_eq!(unpack(&bytes, &list[1], 2), Err(EntryError::TooLarge(2)));
    }

    #[test]
    fn stored_entries_unpack_and_a_broken_one_is_damage() {
        let mut bytes = zip_of(
            &[("BE.csv", b"Country;Belgium\n")],
            zip::CompressionMethod::Stored,
        );
        let list = entries(&bytes, 10).unwrap();
        assert_eq!(unpack(&bytes, &list[0], 100).unwrap(), b"Country;Belgium\n");
        let at = bytes.windows(7).position(|w| w == b"Belgium").unwrap();
        bytes[at] = b'X';
        assert!(matches!(
            unpack(&bytes, &list[0], 100),
            Err(EntryError::Damaged(_))
        ));
        assert_eq!(entries(b"PK\x03\x04 cut", 10), None);
    }
}
