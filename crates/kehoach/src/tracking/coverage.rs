//! Which of a plan's themes a unit's sub-plan covers. Pure: compares the
//! distinctive words of each theme's clauses with the sub-plan's words,
//! ignoring case, tone marks and the genre's most common words.

use std::collections::HashSet;

/// Words too common in the genre to tell themes apart.
const COMMON: &[&str] = &[
    "cac", "cua", "va", "ve", "voi", "trong", "cho", "theo", "nhung", "mot", "tinh", "tren",
    "dang", "xay", "dung", "thuc", "hien", "cong", "tac", "tuyen", "truyen", "nam", "hoa", "cap",
];

fn words(text: &str) -> HashSet<String> {
    kehoach_plan::fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3 && !COMMON.contains(w))
        .map(str::to_owned)
        .collect()
}

/// For each theme (in order): covered or not. A theme is covered when one
/// of its clauses (split at punctuation) with at least two distinctive
/// words has 80% of them in the sub-plan: units often take up one aspect of
/// a long theme ("phòng, chống tham nhũng" out of theme 1.5) in their own words.
pub fn covered(themes: &[String], subplan_text: &str) -> Vec<bool> {
    let have = words(subplan_text);
    themes
        .iter()
        .map(|t| {
            t.split([',', ';', '.', ':', '(', ')', '"', '“', '”'])
                .map(words)
                .filter(|need| need.len() >= 2)
                .any(|need| {
                    need.iter().filter(|w| have.contains(*w)).count() * 10 >= need.len() * 8
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_theme_is_covered_by_its_distinctive_words_in_any_spelling() {
        let themes = [
            "Công tác chuẩn bị, tổ chức bầu cử đại biểu Quốc hội khóa XV".to_owned(),
            "Phòng, chống tham nhũng, lãng phí, tiêu cực".to_owned(),
        ];
        let sub = "1. Tuyên truyền bau cu dai bieu Quoc hoi khoa XV và HĐND các cấp";
        assert_eq!(covered(&themes, sub), vec![true, false]);
        assert_eq!(
            covered(&themes, "chống tham nhũng và lãng phí"),
            vec![false, true]
        );
        assert_eq!(covered(&themes, ""), vec![false, false]);
    }
}
