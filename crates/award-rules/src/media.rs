//! What an uploaded file really is, decided from its first bytes and never
//! from its name or the browser's claimed type: a renamed executable stays
//! an executable whatever its extension says.

use serde::{Deserialize, Serialize};

/// The kinds of file a category may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Kind {
    Pdf,
    Image,
    Audio,
    Video,
    /// A Word document (literary works).
    Document,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Pdf,
        Kind::Image,
        Kind::Audio,
        Kind::Video,
        Kind::Document,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Kind::Pdf => "pdf",
            Kind::Image => "image",
            Kind::Audio => "audio",
            Kind::Video => "video",
            Kind::Document => "docx",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.key() == s.trim())
    }
}

/// A recognised format: its kind, media type and file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    pub kind: Kind,
    pub media_type: &'static str,
    pub extension: &'static str,
}

const fn f(kind: Kind, media_type: &'static str, extension: &'static str) -> Option<Format> {
    Some(Format {
        kind,
        media_type,
        extension,
    })
}

/// How many leading bytes [`sniff`] needs to decide.
pub const SNIFF_LEN: usize = 64;

/// The format of a file from its first bytes (at least [`SNIFF_LEN`] of
/// them when the file is that long), or `None` when it is none we accept.
pub fn sniff(head: &[u8]) -> Option<Format> {
    let at = |i: usize, magic: &[u8]| head.get(i..i + magic.len()) == Some(magic);
    if at(0, b"%PDF-") {
        return f(Kind::Pdf, "application/pdf", "pdf");
    }
    if at(0, b"\x89PNG\r\n\x1a\n") {
        return f(Kind::Image, "image/png", "png");
    }
    if at(0, b"\xff\xd8\xff") {
        return f(Kind::Image, "image/jpeg", "jpg");
    }
    if at(0, b"RIFF") && at(8, b"WEBP") {
        return f(Kind::Image, "image/webp", "webp");
    }
    if at(0, b"RIFF") && at(8, b"WAVE") {
        return f(Kind::Audio, "audio/wav", "wav");
    }
    if at(0, b"ID3") || (head.len() >= 2 && head[0] == 0xff && head[1] & 0xe0 == 0xe0) {
        return f(Kind::Audio, "audio/mpeg", "mp3");
    }
    if at(0, b"OggS") {
        return f(Kind::Audio, "audio/ogg", "ogg");
    }
    if at(0, b"fLaC") {
        return f(Kind::Audio, "audio/flac", "flac");
    }
    if at(0, b"\x1a\x45\xdf\xa3") {
        return f(Kind::Video, "video/webm", "webm");
    }
    if at(4, b"ftyp") {
        // ISO media: the brand says whether it is sound only.
        return if at(8, b"M4A ") {
            f(Kind::Audio, "audio/mp4", "m4a")
        } else {
            f(Kind::Video, "video/mp4", "mp4")
        };
    }
    if at(0, b"PK\x03\x04")
        && (at(30, b"[Content_Types].xml") || at(30, b"word/") || at(30, b"_rels/"))
    {
        // A zip is accepted only as an Office Open XML document: its first
        // member is one of that format's parts.
        return f(
            Kind::Document,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_content() {
        assert_eq!(sniff(b"%PDF-1.7\n%....").unwrap().kind, Kind::Pdf);
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap().media_type,
            "image/png"
        );
        assert_eq!(
            sniff(b"\xff\xd8\xff\xe0\0\x10JFIF").unwrap().kind,
            Kind::Image
        );
        assert_eq!(sniff(b"ID3\x04\0\0\0\0\0\0").unwrap().kind, Kind::Audio);
        assert_eq!(sniff(b"\0\0\0\x20ftypisom\0\0").unwrap().kind, Kind::Video);
        assert_eq!(sniff(b"\0\0\0\x20ftypM4A \0\0").unwrap().kind, Kind::Audio);
        assert_eq!(sniff(b"\x1a\x45\xdf\xa3\x01").unwrap().kind, Kind::Video);
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 ").unwrap().kind, Kind::Image);
    }

    #[test]
    fn names_and_unknown_content_are_refused() {
        assert_eq!(sniff(b"MZ\x90\0 this is an exe"), None);
        assert_eq!(sniff(b"<html><script>"), None);
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(b"%PD"), None);
        let mut zip = b"PK\x03\x04".to_vec();
        zip.resize(30, 0);
        assert_eq!(sniff(&[zip.as_slice(), b"evil.exe"].concat()), None);
        assert_eq!(
            sniff(&[zip.as_slice(), b"[Content_Types].xml"].concat())
                .unwrap()
                .kind,
            Kind::Document
        );
    }

    #[test]
    fn kinds_round_trip_through_their_keys() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.key()), Some(k));
        }
        assert_eq!(Kind::parse("exe"), None);
    }
}
