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
            clauses(t)
                .map(words)
                .filter(|need| need.len() >= 2)
                .any(|need| {
                    need.iter().filter(|w| have.contains(*w)).count() * 10 >= need.len() * 8
                })
        })
        .collect()
}

/// Themes an article seems to be about, for the member to confirm. A
/// headline is short and shares common words ("đại hội", "nhân dân") with
/// many themes, so only words found in at most a tenth of the themes count,
/// and a clause needs two of them, half of its own.
pub fn suggested(themes: &[(i64, String)], article_text: &str) -> Vec<i64> {
    let have = words(article_text);
    let mut spread: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (_, text) in themes {
        for w in words(text) {
            *spread.entry(w).or_default() += 1;
        }
    }
    let rare_limit = (themes.len() / 10).max(2);
    let rare = |w: &String| spread.get(w).is_some_and(|&n| n <= rare_limit);
    themes
        .iter()
        .filter(|(_, text)| {
            clauses(text).any(|clause| {
                let need: Vec<String> = words(clause).into_iter().filter(|w| rare(w)).collect();
                let hits = need.iter().filter(|w| have.contains(*w)).count();
                hits >= 2 && hits * 2 >= need.len()
            })
        })
        .map(|t| t.0)
        .collect()
}

fn clauses(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', ';', '.', ':', '(', ')', '"', '“', '”'])
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

    #[test]
    fn a_headline_suggests_the_themes_it_names() {
        let seed =
            kehoach_plan::parse_bytes(include_bytes!("../../../../fixtures/plans/plan-2021.txt"))
                .unwrap();
        let themes: Vec<(i64, String)> = seed
            .themes
            .iter()
            .enumerate()
            .map(|(i, t)| (i as i64, t.text.clone()))
            .collect();
        let number = |text: &str| -> Vec<&str> {
            suggested(&themes, text)
                .iter()
                .map(|&i| seed.themes[i as usize].number.as_str())
                .collect()
        };
        assert_eq!(
            number("Phú Yên sẵn sàng cho bầu cử đại biểu Quốc hội khóa XV và HĐND các cấp"),
            ["1.2"]
        );
        assert_eq!(number("Xử lý nghiêm tham nhũng, lãng phí"), ["1.5"]);
        assert!(number("Thời tiết hôm nay nắng nóng").is_empty());
    }
}
