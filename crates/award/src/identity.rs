//! Who a name is. Authors, entrants and judges are told apart by their
//! names as written — never by a diacritic-less fold, which would make
//! "Tô Anh Hoa" and "Tô Anh Hòa" one person — but invisible characters and
//! look-alike letters from other scripts must not make one person two: a
//! zero-width space or a Cyrillic "е" inside a name is the same name.
//!
//! [`clean_name`] is what is stored and shown; [`person_key`] is what is
//! compared. Names that differ only in ways a person might write the same
//! name twice ("Hòa"/"Hoà", "Hoa"/"Hòa" from one outlet) are not merged: the
//! secretariat reviews them (the application lists them).

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
use unicode_security::confusable_detection::skeleton;

/// A name as written: NFC, invisible format characters (zero-width spaces
/// and joiners, soft hyphens, byte-order marks) removed, runs of white
/// space collapsed to one space, trimmed.
pub fn clean_name(name: &str) -> String {
    let visible: String = name
        .nfc()
        .filter(|c| c.general_category() != GeneralCategory::Format)
        .collect();
    visible.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The key two names share when they are the same written name: the clean
/// name in lower case, each letter mapped to its Unicode (UTS #39) skeleton
/// so that look-alike letters of other scripts count as the Latin letter,
/// then recomposed. Diacritics stay: "Hoa" and "Hòa" have different keys.
pub fn person_key(name: &str) -> String {
    let lower = clean_name(name).to_lowercase();
    skeleton(&lower).nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diacritics_make_different_people() {
        assert_ne!(person_key("Tô Anh Hoa"), person_key("Tô Anh Hòa"));
        assert_ne!(person_key("Nguyễn Văn Đức"), person_key("Nguyen Van Duc"));
    }

    #[test]
    fn invisible_characters_and_look_alikes_do_not() {
        assert_eq!(person_key("Tô Anh Hò\u{200b}a"), person_key("Tô Anh Hòa"));
        assert_eq!(
            person_key("\u{feff}Tô  Anh\tHòa "),
            person_key("Tô Anh Hòa")
        );
        // A Cyrillic "е" (U+0435) inside a Latin name.
        assert_eq!(
            person_key("L\u{435} Văn Nam"),
            person_key("Lê Văn Nam".replace('ê', "e").as_str())
        );
        assert_eq!(person_key("Tr\u{430}n Thị Hoa"), person_key("Tran Thị Hoa"));
        // The same name typed decomposed, or in capitals.
        assert_eq!(person_key("Tô Anh Ho\u{300}a"), person_key("TÔ ANH HÒA"));
        assert_eq!(clean_name("Tô\u{200b} Anh  Hòa"), "Tô Anh Hòa");
    }
}
