//! Bytes → NFC text with one paragraph per line.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1258};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use crate::{MAX_INPUT_BYTES, ParseError, docx};

const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Decodes a .txt (UTF-8 with or without BOM, UTF-16 LE/BE with BOM,
/// otherwise Windows-1258) or a .docx (recognised by its zip signature) into
/// NFC text, one paragraph per line, with LF line ends and no BOM.
pub fn decode(bytes: &[u8]) -> Result<String, ParseError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(ParseError::TooLarge {
            limit_bytes: MAX_INPUT_BYTES,
        });
    }
    if bytes.is_empty() {
        return Err(ParseError::Empty);
    }
    let text = if is_zip(bytes) {
        docx::extract_text(bytes)?
    } else if bytes.starts_with(OLE_MAGIC) {
        return Err(ParseError::EncryptedOrLegacyDoc);
    } else {
        decode_plain(bytes)?
    };
    let found = inspect(&text);
    // NUL or more than a few stray control or replacement characters: a
    // binary file decoded as text.
    if found.nul || found.stray > 2 + text.len() / 300 {
        return Err(ParseError::Binary);
    }
    let cleaned = match normalize_with(&text, &found) {
        Cow::Borrowed(_) => None,
        Cow::Owned(clean) => Some(clean),
    };
    let text = cleaned.unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    Ok(text)
}

fn is_zip(bytes: &[u8]) -> bool {
    [b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"]
        .iter()
        .any(|magic| bytes.starts_with(*magic))
}

fn decode_plain(bytes: &[u8]) -> Result<String, ParseError> {
    if bytes.starts_with(&[0xFF, 0xFE, 0x00, 0x00]) || bytes.starts_with(&[0x00, 0x00, 0xFE, 0xFF])
    {
        // UTF-32 is legal but never produced by the tools our users have.
        return Err(ParseError::UnsupportedEncoding);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return decode_utf16(UTF_16LE, rest);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return decode_utf16(UTF_16BE, rest);
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if bytes.contains(&0) {
        return Err(if looks_like_bomless_utf16(bytes) {
            ParseError::UnsupportedEncoding
        } else {
            ParseError::Binary
        });
    }
    Ok(match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) if mostly_utf8(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        Err(_) => {
            // Legacy Vietnamese files are Windows-1258, whose tone marks decode
            // to combining characters; `normalize` composes them afterwards.
            let (text, _) = WINDOWS_1258.decode_without_bom_handling(bytes);
            text.into_owned()
        }
    })
}

fn decode_utf16(encoding: &'static Encoding, bytes: &[u8]) -> Result<String, ParseError> {
    let text = encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .ok_or(ParseError::UnsupportedEncoding)?;
    Ok(text.into_owned())
}

/// A UTF-8 file with a few damaged bytes is still UTF-8; Windows-1258 text
/// almost never forms valid multi-byte sequences.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut good, mut bad) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        good += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        bad += usize::from(!chunk.invalid().is_empty());
    }
    good > 0 && bad * 4 <= good
}

fn looks_like_bomless_utf16(bytes: &[u8]) -> bool {
    let pairs = bytes.len() / 2;
    if pairs < 4 {
        return false;
    }
    let even = bytes.iter().step_by(2).filter(|b| **b == 0).count();
    let odd = bytes.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    let (many, few) = if even > odd { (even, odd) } else { (odd, even) };
    many * 10 >= pairs * 3 && few * 20 <= pairs
}

fn is_stray_control(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

/// What one pass over a text's UTF-8 bytes finds.
#[derive(Debug, Default)]
struct Inspection {
    nul: bool,
    /// Control characters other than line ends and tabs, and U+FFFD.
    stray: usize,
    /// CR, vertical tab, form feed, BOM or stray controls to rewrite.
    cleanup: bool,
    /// Characters outside the ranges known to be NFC on their own.
    maybe_not_nfc: bool,
}

/// Byte-level scan, since it runs on every input. The NFC fast path covers
/// what Vietnamese text is made of: ASCII, Latin letters below U+0300, the
/// Latin Extended Additional block (precomposed Vietnamese letters) and
/// common punctuation, none of which combine or decompose under NFC.
fn inspect(text: &str) -> Inspection {
    let b = text.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let mut found = Inspection {
        cleanup: text.starts_with('\u{feff}'),
        ..Inspection::default()
    };
    let mut i = 0;
    while i < b.len() {
        let x = b[i];
        let (stray, cleanup, odd) = match x {
            b'\t' | b'\n' | 0x20..=0x7E => (false, false, false),
            b'\r' | 0x0B | 0x0C => (false, true, false),
            0x00..=0x1F | 0x7F => {
                found.nul |= x == 0;
                (true, true, false)
            }
            // C1 controls, U+0080..U+009F.
            0xC2 if (0x80..=0x9F).contains(&at(i + 1)) => (true, true, false),
            0xC2..=0xCB => (false, false, false),
            0xE1 if (0xB8..=0xBB).contains(&at(i + 1)) => (false, false, false),
            0xE2 if at(i + 1) == 0x80 && (0x90..=0xA7).contains(&at(i + 2)) => {
                (false, false, false)
            }
            0xEF if at(i + 1) == 0xBF && at(i + 2) == 0xBD => (true, false, true),
            _ => (false, false, true),
        };
        found.stray += usize::from(stray);
        found.cleanup |= cleanup;
        found.maybe_not_nfc |= odd;
        i += match x {
            0xF0.. => 4,
            0xE0.. => 3,
            0xC0.. => 2,
            _ => 1,
        };
    }
    found
}

/// Strips a BOM, turns CRLF/CR (and Word's vertical-tab and page-break
/// characters) into LF, drops other control characters and composes to NFC.
/// Borrows when the text is already clean, which is the common case.
pub(crate) fn normalize(text: &str) -> Cow<'_, str> {
    normalize_with(text, &inspect(text))
}

fn normalize_with<'a>(text: &'a str, found: &Inspection) -> Cow<'a, str> {
    let clean = !found.cleanup;
    let composed = !found.maybe_not_nfc || is_nfc_quick(text.chars()) == IsNormalized::Yes;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if clean && composed {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            '\u{b}' | '\u{c}' => out.push('\n'),
            c if is_stray_control(c) => {}
            c => out.push(c),
        }
    }
    if composed {
        Cow::Owned(out)
    } else {
        Cow::Owned(out.nfc().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_line_ends_and_bom() {
        assert_eq!(normalize("\u{feff}a\r\nb\rc\u{b}d"), "a\nb\nc\nd");
        assert!(matches!(normalize("plain\ntext"), Cow::Borrowed(_)));
        assert_eq!(normalize("ho\u{300}a"), "hòa");
    }

    #[test]
    fn detects_kinds_of_garbage() {
        assert_eq!(decode(b""), Err(ParseError::Empty));
        assert_eq!(decode(b"  \n\t"), Err(ParseError::Empty));
        assert_eq!(decode(OLE_MAGIC), Err(ParseError::EncryptedOrLegacyDoc));
        assert_eq!(
            decode(&[0xFF, 0xFE, 0, 0, 0x41, 0, 0, 0]),
            Err(ParseError::UnsupportedEncoding)
        );
        let utf16_no_bom: Vec<u8> = "KẾ HOẠCH abc"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(decode(&utf16_no_bom), Err(ParseError::UnsupportedEncoding));
        assert_eq!(
            decode(&[1, 2, 3, 4, 5, 6, 7, 8, 0x80, 0x81]),
            Err(ParseError::Binary)
        );
    }

    #[test]
    fn damaged_utf8_stays_utf8() {
        let mut bytes = "Kế hoạch tuyên truyền về công tác xây dựng Đảng"
            .as_bytes()
            .to_vec();
        bytes.push(0xFF);
        let text = decode(&bytes).unwrap();
        assert!(text.starts_with("Kế hoạch"));
    }
}
