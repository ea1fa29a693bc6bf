//! Names of bodies in running text ("... của Ban Tổ chức Trung ương thông
//! tin, ...") and the document-type words that end them.

use crate::fold::{fold, starts_lower};

/// Document type words, folded, with their written form.
pub(crate) const TYPE_WORDS: &[(&str, &str)] = &[
    ("chuong trinh hanh dong", "Chương trình hành động"),
    ("thong tu lien tich", "Thông tư liên tịch"),
    ("nghi quyet lien tich", "Nghị quyết liên tịch"),
    ("ke hoach lien tich", "Kế hoạch liên tịch"),
    ("huong dan lien tich", "Hướng dẫn liên tịch"),
    ("ke hoach", "Kế hoạch"),
    ("nghi quyet", "Nghị quyết"),
    ("chi thi", "Chỉ thị"),
    ("ket luan", "Kết luận"),
    ("quyet dinh", "Quyết định"),
    ("quy dinh", "Quy định"),
    ("huong dan", "Hướng dẫn"),
    ("bao cao", "Báo cáo"),
    ("thong bao", "Thông báo"),
    ("thong tri", "Thông tri"),
    ("thong tu", "Thông tư"),
    ("to trinh", "Tờ trình"),
    ("cong van", "Công văn"),
    ("cong dien", "Công điện"),
    ("nghi dinh", "Nghị định"),
    ("chuong trinh", "Chương trình"),
    ("de an", "Đề án"),
    ("quy che", "Quy chế"),
    ("phuong an", "Phương án"),
    ("luat", "Luật"),
];

/// Lower-case words that may follow another lower-case word inside a body's
/// name ("Ủy ban nhân dân tỉnh", "Ban cán sự đảng").
#[rustfmt::skip]
const CHAIN: &[&str] = &[
    "nhân", "dân", "tỉnh", "huyện", "thị", "xã", "thành", "phố", "quận", "phường", "trấn", "thường",
    "vụ", "trung", "ương", "chính", "phủ", "quốc", "hội", "đảng", "cán", "sự", "đoàn", "việt",
    "nam", "các", "cấp",
];
#[rustfmt::skip]
const STOPS: &[&str] = &[
    "về", "đối", "với", "trong", "nhằm", "theo", "tại", "để", "đã", "thì", "đến", "cho", "khóa",
    "khoá", "của", "ngày", "số", "năm", "và",
];

fn is_type_word(words: &[&str]) -> bool {
    let two: String = words.iter().take(2).copied().collect::<Vec<_>>().join(" ");
    let f = fold(&two);
    TYPE_WORDS
        .iter()
        .any(|(w, _)| f == *w || f.starts_with(&format!("{w} ")))
        || words.first().is_some_and(|w| fold(w) == "luat")
}

/// The issuing body's name at the start of `s` ("Ban Tổ chức Trung ương
/// thông tin, ..." → "Ban Tổ chức Trung ương"). Vietnamese names capitalise
/// the first syllable of each word, so a name ends at two lower-case words in
/// a row, at a function word, or at punctuation.
pub(crate) fn org_name(s: &str) -> Option<String> {
    let words: Vec<&str> = s.split_whitespace().take(16).collect();
    let mut out: Vec<&str> = Vec::new();
    let mut prev_lower = false;
    for (i, w) in words.iter().enumerate() {
        if w.starts_with('(') {
            break;
        }
        let core = w.trim_end_matches([',', ';', '.', ':', ')']);
        if core.is_empty() {
            break;
        }
        let lower = starts_lower(core);
        let next_upper = words
            .get(i + 1)
            .is_some_and(|n| !starts_lower(n) && !n.starts_with('('));
        if lower {
            if i == 0 {
                return None;
            }
            if STOPS.contains(&core) {
                let joins = core == "và" && next_upper && !is_type_word(&words[i + 1..]);
                if !joins {
                    break;
                }
            } else if prev_lower && !CHAIN.contains(&core) {
                break;
            }
        }
        let comma = w.ends_with(',');
        out.push(if comma { w } else { core });
        prev_lower = lower;
        if w.ends_with([';', '.', ':', ')']) {
            break;
        }
        // After a comma the name goes on only into another capitalised
        // word that does not start a document type.
        if comma && (!next_upper || is_type_word(&words[i + 1..])) {
            break;
        }
    }
    // A trailing connector or comma is not part of the name.
    while out.last().is_some_and(|w| *w == "và") {
        out.pop();
    }
    if let Some(last) = out.last_mut() {
        *last = last.trim_end_matches(',');
    }
    (!out.is_empty()).then(|| out.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_words_start_a_new_document() {
        assert!(is_type_word(&["Kế", "hoạch", "số"]));
        assert!(is_type_word(&["Luật", "Báo", "chí"]));
        assert!(!is_type_word(&["Thông", "tin", "và"]));
    }

    #[test]
    fn body_names_keep_inner_words() {
        assert_eq!(
            org_name("Sở Kế hoạch và Đầu tư về việc").as_deref(),
            Some("Sở Kế hoạch và Đầu tư")
        );
        assert_eq!(
            org_name("Ủy ban nhân dân các huyện tổ chức").as_deref(),
            Some("Ủy ban nhân dân các huyện")
        );
        assert_eq!(org_name("các cơ quan"), None);
    }
}
