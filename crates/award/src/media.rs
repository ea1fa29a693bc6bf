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

/// ISO media brands of ordinary video files (MP4, QuickTime, 3GP).
const VIDEO_BRANDS: [&[u8; 4]; 10] = [
    b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"qt  ", b"3gp4",
];

/// An MPEG audio Layer III frame header: the sync bits, a defined version,
/// layer III, a bitrate that is neither "free" nor invalid, and a defined
/// sample rate. Checking all of them keeps text with a UTF-16 byte-order
/// mark (FF FE) or other stray FF bytes from passing as sound.
fn is_mp3_frame(head: &[u8]) -> bool {
    let [a, b, c, ..] = head else {
        return false;
    };
    let version = (b >> 3) & 0b11;
    let layer = (b >> 1) & 0b11;
    let bitrate = c >> 4;
    let rate = (c >> 2) & 0b11;
    *a == 0xff
        && b & 0xe0 == 0xe0
        && version != 0b01
        && layer == 0b01
        && bitrate != 0
        && bitrate != 0xf
        && rate != 0b11
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
    if at(0, b"ID3") || is_mp3_frame(head) {
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
        // ISO media: the brand says what it is. Still images in the same
        // container (HEIC, AVIF) are not video, and browsers show few of them.
        let brand = head.get(8..12).unwrap_or_default();
        if brand == b"M4A " {
            return f(Kind::Audio, "audio/mp4", "m4a");
        }
        if VIDEO_BRANDS.iter().any(|b| b.as_slice() == brand) {
            return f(Kind::Video, "video/mp4", "mp4");
        }
        return None;
    }
    if at(0, b"PK\x03\x04") && (at(30, b"[Content_Types].xml") || at(30, b"word/")) {
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
        assert_eq!(sniff(b"\xff\xfb\x90\x64\0\0").unwrap().kind, Kind::Audio);
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
        // UTF-16 text and HTML with a byte-order mark are not MP3 frames.
        assert_eq!(sniff(b"\xff\xfe<\0h\0t\0m\0l\0"), None);
        assert_eq!(sniff(b"\xff\xfea\0b\0c\0"), None);
        // A HEIC photo is not a video.
        assert_eq!(sniff(b"\0\0\0\x18ftypheic\0\0"), None);
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
