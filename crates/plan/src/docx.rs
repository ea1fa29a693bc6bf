//! Text of a .docx: `word/document.xml` read with a streaming XML reader.
//! Each paragraph becomes a line; table cells are paragraphs too, so they
//! come out as separate lines.

use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesRef, Event};

use crate::ParseError;
use crate::numbering::Numbering;

/// Cap on the decompressed main part, against zip bombs.
pub(crate) const MAX_DOCX_XML_BYTES: usize = 50 * 1024 * 1024;

pub(crate) fn extract_text(bytes: &[u8]) -> Result<String, ParseError> {
    // The zip reader is third-party code facing hostile archives; a panic in
    // it must surface as a corrupt file, not take the caller down.
    let (xml, numbering) =
        std::panic::catch_unwind(|| read_parts(bytes)).unwrap_or(Err(ParseError::CorruptDocx))?;
    let numbering = numbering.map(|n| Numbering::parse(&n)).unwrap_or_default();
    paragraphs(&xml, numbering)
}

/// The main part and, when present, the list definitions.
fn read_parts(bytes: &[u8]) -> Result<(Vec<u8>, Option<Vec<u8>>), ParseError> {
    let main = read_main_part(bytes)?;
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| ParseError::CorruptDocx)?;
    let numbering = archive.by_name("word/numbering.xml").ok().and_then(|file| {
        let mut xml = Vec::new();
        file.take(MAX_DOCX_XML_BYTES as u64)
            .read_to_end(&mut xml)
            .ok()?;
        Some(xml)
    });
    Ok((main, numbering))
}

fn read_main_part(bytes: &[u8]) -> Result<Vec<u8>, ParseError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| ParseError::CorruptDocx)?;
    let name = archive
        .file_names()
        .filter_map(Result::ok)
        .filter(|n| is_main_part(n))
        .min_by_key(|n| n.len())
        .map(|n| n.into_owned())
        .ok_or(ParseError::CorruptDocx)?;
    let file = archive
        .by_name(&name)
        .map_err(|_| ParseError::CorruptDocx)?;
    let mut xml = Vec::new();
    file.take(MAX_DOCX_XML_BYTES as u64 + 1)
        .read_to_end(&mut xml)
        .map_err(|_| ParseError::CorruptDocx)?;
    if xml.len() > MAX_DOCX_XML_BYTES {
        return Err(ParseError::DocxTooLarge {
            limit_bytes: MAX_DOCX_XML_BYTES,
        });
    }
    Ok(xml)
}

/// `word/document.xml`, or the `document2.xml` some tools write.
fn is_main_part(name: &str) -> bool {
    name.strip_prefix("word/document")
        .and_then(|rest| rest.strip_suffix(".xml"))
        .is_some_and(|mid| mid.chars().all(|c| c.is_ascii_digit()))
}

#[derive(Default)]
struct State {
    out: String,
    para: String,
    in_text: bool,
    run_depth: usize,
    para_depth: usize,
    /// Inside `mc:Fallback`, which repeats the text of `mc:Choice`.
    fallback_depth: usize,
    numbering: Numbering,
    /// The current paragraph's list (numId, ilvl), from its properties.
    list: (Option<u32>, usize),
}

impl State {
    fn flush(&mut self) {
        if let (Some(num), ilvl) = std::mem::take(&mut self.list)
            && num != 0
            && let Some(label) = self.numbering.next_label(num, ilvl)
        {
            self.para.insert_str(0, &format!("{label} "));
        }
        if !self.out.is_empty() || !self.para.is_empty() {
            if !self.out.is_empty() {
                self.out.push('\n');
            }
            self.out.push_str(&self.para);
        }
        self.para.clear();
    }

    fn start(&mut self, name: &str) {
        if self.fallback_depth > 0 {
            if name == "Fallback" {
                self.fallback_depth += 1;
            }
            return;
        }
        match name {
            "Fallback" => self.fallback_depth = 1,
            "p" => {
                // A text box nests a paragraph inside a paragraph: keep what
                // came before it on its own line.
                if self.para_depth > 0 && !self.para.is_empty() {
                    self.flush();
                }
                self.para_depth += 1;
            }
            "t" => self.in_text = true,
            "r" => self.run_depth += 1,
            _ => self.empty(name),
        }
    }

    fn empty(&mut self, name: &str) {
        if self.fallback_depth > 0 {
            return;
        }
        match name {
            // `w:tab` also appears in paragraph properties as a tab stop.
            "tab" if self.run_depth > 0 => self.para.push('\t'),
            "br" | "cr" if self.run_depth > 0 => self.para.push('\n'),
            "noBreakHyphen" if self.run_depth > 0 => self.para.push('-'),
            "p" => self.flush(),
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        if self.fallback_depth > 0 {
            if name == "Fallback" {
                self.fallback_depth -= 1;
            }
            return;
        }
        match name {
            "p" => {
                self.para_depth = self.para_depth.saturating_sub(1);
                self.flush();
            }
            "t" => self.in_text = false,
            "r" => self.run_depth = self.run_depth.saturating_sub(1),
            _ => {}
        }
    }

    fn text(&mut self, s: &str) {
        if self.in_text && self.fallback_depth == 0 {
            self.para.push_str(s);
        }
    }

    fn reference(&mut self, r: &BytesRef<'_>) {
        let c = match r.resolve_char_ref() {
            Ok(Some(c)) => Some(c),
            Ok(None) => match &**r {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => None,
            },
            Err(_) => None,
        };
        if let Some(c) = c {
            let mut buf = [0u8; 4];
            self.text(c.encode_utf8(&mut buf));
        }
    }
}

/// `w:numId` and `w:ilvl` in a paragraph's properties put it in a list.
fn list_property(state: &mut State, e: &quick_xml::events::BytesStart<'_>) {
    let name = e.local_name();
    if !matches!(name.as_ref(), "numId" | "ilvl") || state.para_depth == 0 {
        return;
    }
    let value = crate::numbering::val(e).and_then(|v| v.parse::<u32>().ok());
    if let Some(v) = value {
        if name.as_ref() == "numId" {
            state.list.0 = Some(v);
        } else {
            state.list.1 = v as usize;
        }
    }
}

fn paragraphs(xml: &[u8], numbering: Numbering) -> Result<String, ParseError> {
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().check_end_names = false;
    let mut state = State {
        numbering,
        ..State::default()
    };
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                list_property(&mut state, &e);
                state.start(e.local_name().as_ref())
            }
            Ok(Event::Empty(e)) => {
                list_property(&mut state, &e);
                state.empty(e.local_name().as_ref())
            }
            Ok(Event::End(e)) => state.end(e.local_name().as_ref()),
            Ok(Event::Text(t)) => state.text(&t),
            Ok(Event::CData(t)) => state.text(&t),
            Ok(Event::GeneralRef(r)) => state.reference(&r),
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(_) => return Err(ParseError::CorruptDocx),
        }
    }
    if !state.para.is_empty() {
        state.flush();
    }
    Ok(state.out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_tabs_breaks_and_entities() {
        let xml = br#"<?xml version="1.0"?><w:document xmlns:w="x"><w:body>
            <w:p><w:pPr><w:tabs><w:tab w:val="left"/></w:tabs></w:pPr><w:r><w:t>A &amp; B</w:t><w:tab/><w:t>C</w:t></w:r></w:p>
            <w:p/>
            <w:p><w:r><w:t xml:space="preserve">D </w:t><w:br/><w:t>E&#7871;</w:t></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>left</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>right</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            </w:body></w:document>"#;
        assert_eq!(
            paragraphs(xml, Numbering::default()).unwrap(),
            "A & B\tC\n\nD \nEế\nleft\nright"
        );
    }

    #[test]
    fn broken_xml_is_corrupt() {
        assert_eq!(
            paragraphs(b"<w:p><w:t>x</w:t", Numbering::default()),
            Err(ParseError::CorruptDocx)
        );
    }

    #[test]
    fn main_part_names() {
        assert!(is_main_part("word/document.xml"));
        assert!(is_main_part("word/document2.xml"));
        assert!(!is_main_part("word/documents.xml"));
        assert!(!is_main_part("xl/workbook.xml"));
    }
}
