//! Matching unit names as plans write them against the directory. Pure: the
//! caller loads the directory, this decides.
//!
//! Names are compared by a key that ignores case, tone marks (and where they
//! sit: hòa/hoà), punctuation, words that are not part of a name ("Đề nghị",
//! "Giao") and the usual abbreviations (Sở TT&TT, UBND, MTTQ...).

use kehoach_plan::fold;

/// Abbreviations as token sequences and what they stand for.
const ABBREVIATIONS: &[(&[&str], &str)] = &[
    (&["vh", "tt", "va", "dl"], "van hoa the thao va du lich"),
    (&["vhttdl"], "van hoa the thao va du lich"),
    (&["tt", "va", "tt"], "thong tin va truyen thong"),
    (&["tttt"], "thong tin va truyen thong"),
    (&["ct", "xh"], "chinh tri xa hoi"),
    (&["pt", "th"], "phat thanh truyen hinh"),
    (&["ptth"], "phat thanh truyen hinh"),
    (&["ubnd"], "uy ban nhan dan"),
    (&["hdnd"], "hoi dong nhan dan"),
    (&["mttq"], "mat tran to quoc"),
    (&["lhpn"], "lien hiep phu nu"),
    (&["ldld"], "lien doan lao dong"),
    (&["btv"], "ban thuong vu"),
    (&["tw"], "trung uong"),
    (&["vn"], "viet nam"),
];

/// Leading words that address a unit rather than name it.
const LEADING_NOISE: &[&[&str]] = &[&["de", "nghi"], &["giao"], &["yeu", "cau"]];

pub fn key(name: &str) -> String {
    let folded = fold(&name.replace('&', " và "));
    let mut tokens: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    while let Some(noise) = LEADING_NOISE.iter().find(|n| tokens.starts_with(n)) {
        tokens.drain(..noise.len());
    }
    let mut out: Vec<&str> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    'outer: while i < tokens.len() {
        for (abbr, full) in ABBREVIATIONS {
            if tokens[i..].starts_with(abbr) {
                out.extend(full.split(' '));
                i += abbr.len();
                continue 'outer;
            }
        }
        out.push(tokens[i]);
        i += 1;
    }
    out.join(" ")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Unit(i64),
    Group(i64),
}

/// The directory as the matcher sees it: every name, short name and alias
/// of every unit and group, by key.
#[derive(Debug, Default)]
pub struct Directory {
    keys: Vec<(String, Target)>,
}

impl Directory {
    pub fn add(&mut self, name: &str, target: Target) {
        let k = key(name);
        if !k.is_empty() {
            self.keys.push((k, target));
        }
    }

    pub fn find(&self, name: &str) -> Option<Target> {
        let k = key(name);
        self.keys.iter().find(|(key, _)| *key == k).map(|(_, t)| *t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dir() -> Directory {
        let mut d = Directory::default();
        d.add("Sở Thông tin và Truyền thông", Target::Unit(1));
        d.add("Sở Văn hóa, Thể thao và Du lịch", Target::Unit(2));
        d.add("Ủy ban nhân dân tỉnh", Target::Unit(3));
        d.add(
            "Các huyện, thị, thành ủy, đảng ủy trực thuộc Tỉnh ủy",
            Target::Group(9),
        );
        d
    }

    #[test]
    fn tolerates_case_tones_abbreviations_and_noise() {
        let d = dir();
        for name in [
            "Sở TT&TT",
            "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
            "Đề nghị Sở Thông tin và Truyền thông:",
            "Sở Thông tin & Truyền thông",
        ] {
            assert_eq!(d.find(name), Some(Target::Unit(1)), "{name}");
        }
        assert_eq!(d.find("Sở VH-TT&DL"), Some(Target::Unit(2)));
        assert_eq!(
            d.find("Sở Văn hoá, Thể thao và Du lịch"),
            Some(Target::Unit(2))
        );
        assert_eq!(d.find("Giao UBND tỉnh"), Some(Target::Unit(3)));
        assert_eq!(
            d.find("Các huyện, thị, thành ủy, đảng ủy trực thuộc Tỉnh ủy "),
            Some(Target::Group(9))
        );
        assert_eq!(d.find("Sở Tư pháp"), None);
    }

    proptest! {
        #[test]
        fn key_never_panics_and_is_idempotent_on_plain_words(s in "\\PC{0,60}") {
            let k = key(&s);
            prop_assert_eq!(key(&k), k.clone());
        }
    }
}
