//! Word's automatic list numbering. Plans typed in Word often number their
//! sections ("I.", "1.", "a)") through `word/numbering.xml` rather than in
//! the text; the labels are rendered here so the parser sees what the
//! reader sees.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

#[derive(Debug, Clone, Default)]
struct Level {
    format: String,
    text: String,
    start: u32,
}

/// The list definitions of a document, and the running counters.
#[derive(Debug, Default)]
pub(crate) struct Numbering {
    /// numId → abstractNumId
    nums: HashMap<u32, u32>,
    /// abstractNumId → levels by ilvl
    abstracts: HashMap<u32, Vec<Level>>,
    counters: HashMap<u32, [u32; 9]>,
}

/// An attribute's raw text. List attributes are numbers and short formats
/// ("%1."), which carry no entities worth decoding.
fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| a.value.into_owned())
}

/// The `w:val` of an element.
pub(crate) fn val(e: &BytesStart<'_>) -> Option<String> {
    attr(e, "val")
}

fn attr_u32(e: &BytesStart<'_>, name: &str) -> Option<u32> {
    attr(e, name)?.parse().ok()
}

impl Numbering {
    /// Reads `word/numbering.xml`; anything unreadable just means no labels.
    pub(crate) fn parse(xml: &[u8]) -> Self {
        let mut n = Self::default();
        let mut reader = Reader::from_reader(xml);
        let (mut abs, mut lvl, mut num): (Option<u32>, Option<usize>, Option<u32>) =
            (None, None, None);
        loop {
            let event = match reader.read_event() {
                Ok(Event::Eof) | Err(_) => break,
                Ok(e) => e,
            };
            let (Event::Start(e) | Event::Empty(e)) = &event else {
                if let Event::End(e) = &event {
                    match e.local_name().as_ref() {
                        "abstractNum" => abs = None,
                        "lvl" => lvl = None,
                        "num" => num = None,
                        _ => {}
                    }
                }
                continue;
            };
            match e.local_name().as_ref() {
                "abstractNum" => abs = attr_u32(e, "abstractNumId"),
                "lvl" => {
                    lvl = attr_u32(e, "ilvl").map(|l| l as usize).filter(|l| *l < 9);
                    if let (Some(a), Some(l)) = (abs, lvl) {
                        let levels = n.abstracts.entry(a).or_default();
                        if levels.len() <= l {
                            levels.resize(
                                l + 1,
                                Level {
                                    start: 1,
                                    ..Level::default()
                                },
                            );
                        }
                    }
                }
                "num" => num = attr_u32(e, "numId"),
                "abstractNumId" => {
                    if let (Some(id), Some(a)) = (num, val(e).and_then(|v| v.parse().ok())) {
                        n.nums.insert(id, a);
                    }
                }
                name @ ("numFmt" | "lvlText" | "start") => {
                    let (Some(a), Some(l)) = (abs, lvl) else {
                        continue;
                    };
                    let Some(level) = n.abstracts.get_mut(&a).and_then(|v| v.get_mut(l)) else {
                        continue;
                    };
                    let v = val(e).unwrap_or_default();
                    match name {
                        "numFmt" => level.format = v,
                        "lvlText" => level.text = v,
                        _ => level.start = v.parse().unwrap_or(1),
                    }
                }
                _ => {}
            }
        }
        n
    }

    /// The label of the next paragraph in list `num` at level `ilvl`
    /// ("II.", "1.2.", "a)", "-"), advancing the counters.
    pub(crate) fn next_label(&mut self, num: u32, ilvl: usize) -> Option<String> {
        let levels = self.abstracts.get(self.nums.get(&num)?)?;
        let level = levels.get(ilvl.min(8))?;
        let ilvl = ilvl.min(8);
        let counters = self.counters.entry(num).or_insert([0; 9]);
        counters[ilvl] = if counters[ilvl] == 0 {
            level.start.max(1)
        } else {
            counters[ilvl] + 1
        };
        for deeper in counters.iter_mut().skip(ilvl + 1) {
            *deeper = 0;
        }
        if level.format == "bullet" {
            return Some("-".into());
        }
        if level.format == "none" || level.text.is_empty() {
            return None;
        }
        let mut label = level.text.clone();
        for (i, l) in levels.iter().enumerate().take(ilvl + 1).rev() {
            let value = counters[i].max(l.start.max(1));
            label = label.replace(&format!("%{}", i + 1), &format_number(&l.format, value));
        }
        Some(label)
    }
}

fn format_number(format: &str, n: u32) -> String {
    match format {
        "upperRoman" => roman(n),
        "lowerRoman" => roman(n).to_lowercase(),
        "upperLetter" => letter(n).to_uppercase(),
        "lowerLetter" => letter(n),
        _ => n.to_string(),
    }
}

/// `n` in upper-case Roman numerals ("XIV"); report parts and list
/// numbering both count this way.
pub fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

fn letter(n: u32) -> String {
    // Word repeats the letter after z: aa, bb, ...
    let n = n.max(1) - 1;
    let c = char::from(b'a' + (n % 26) as u8);
    c.to_string().repeat((n / 26 + 1) as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = r#"<w:numbering xmlns:w="w">
      <w:abstractNum w:abstractNumId="3">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2.%3."/></w:lvl>
        <w:lvl w:ilvl="3"><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%4)"/></w:lvl>
        <w:lvl w:ilvl="4"><w:numFmt w:val="bullet"/><w:lvlText w:val=""/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="7"><w:abstractNumId w:val="3"/></w:num>
    </w:numbering>"#;

    #[test]
    fn labels_follow_levels_and_restart_below() {
        let mut n = Numbering::parse(XML.as_bytes());
        let labels: Vec<Option<String>> = [0, 1, 2, 2, 1, 3, 3, 4, 0, 1]
            .into_iter()
            .map(|l| n.next_label(7, l))
            .collect();
        let want = [
            "I.", "1.", "1.1.", "1.2.", "2.", "a)", "b)", "-", "II.", "1.",
        ];
        assert_eq!(labels, want.map(|s| Some(s.to_owned())));
        assert_eq!(n.next_label(99, 0), None, "unknown list");
    }

    #[test]
    fn hostile_xml_gives_no_labels_and_no_panic() {
        let mut n = Numbering::parse(b"<w:numbering><w:lvl w:ilvl=\"99\">");
        assert_eq!(n.next_label(1, 0), None);
        assert_eq!(roman(2024), "MMXXIV");
        assert_eq!(letter(27), "aa");
    }
}
