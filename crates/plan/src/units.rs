//! Recognising unit names ("Sở Thông tin và Truyền thông", "Các huyện, thị,
//! thành ủy...") and the phrases that assign work to them.

use crate::fold::{find_either_case, fold_prefix, squash, starts_upper, strip_word};
use crate::names::org_name;

/// Words a unit name starts with (folded). Kept as whole words.
#[rustfmt::skip]
const HEADS: &[&str] = &[
    "ban", "so", "uy ban", "ubnd", "ubmttq", "mttq", "hdnd", "hoi", "hoi dong", "mat tran",
    "dang uy", "dang doan", "dang bo", "chi bo", "huyen uy", "thi uy", "thanh uy", "tinh uy",
    "quan uy", "tinh doan", "thanh doan", "huyen doan", "doan", "lien doan", "lien hiep",
    "hiep hoi", "dai", "bao", "tap chi", "van phong", "cong an", "bo chi huy", "bo", "truong",
    "trung tam", "phong", "cong thong tin", "co quan", "don vi", "vien", "toa an", "thuong truc",
    "cuc", "chi cuc", "kho bac", "ngan hang", "bao hiem", "cong ty", "tong cong ty", "nha xuat ban",
    "thu truong", "giam doc", "chu tich", "cap uy", "chinh quyen", "thong tan xa", "ttxvn",
    "hoc vien", "dai hoc", "bo doi", "ban quan ly", "thanh tra",
];

/// Folded prefixes that begin with a head word but are not units:
/// "Ban hành", "Sơ kết", "Hội nghị", "Báo cáo", "Phong trào", "Bố trí"...
#[rustfmt::skip]
const NOT_UNITS: &[&str] = &[
    "ban hanh", "ban giao", "ban bac", "ban dau", "so luong", "so lieu", "so huu", "so ket",
    "so bo", "so do", "so sanh", "so khao", "so cap", "so tay", "hoi nghi", "hoi thao", "hoi thi",
    "hoi dien", "hoi vien", "hoi dap", "hoi cho", "hoi nhap", "truong hop", "phong trao",
    "phong chong", "phong ngua", "phong su", "phong vien", "bo sung", "bo tri", "bo may",
    "doan ket", "doan vien", "dai hoi", "dai dien", "dai bieu", "dai le", "dai tra", "bao cao",
    "bao dam", "bao ve", "bao gom", "bao chi", "cuc bo", "vien chuc",
];

/// Nouns that follow "Các"/"Tất cả" in a group of units.
#[rustfmt::skip]
const GROUP_NOUNS: &[&str] = &[
    "huyen", "thi", "thanh", "chi", "co quan", "so", "ban", "don vi", "to chuc", "doan the",
    "dia phuong", "nganh", "cap uy", "hoi", "truong", "doanh nghiep", "xa", "phuong", "chi bo",
    "dang bo", "dang uy", "thanh vien", "dai", "bao", "phong", "uy ban", "dong chi", "d/c",
    "tap chi", "trung tam", "tinh uy", "huyen uy", "dang doan", "ban can su",
];

fn starts_with_word(folded: &str, word: &str) -> bool {
    folded
        .strip_prefix(word)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', ',', ':', ';', '-', '(']))
}

/// Whether a (folded) phrase opens with a unit noun; case is not checked so
/// that it also works inside a list ("phối hợp với các cơ quan báo chí").
pub(crate) fn unit_head(folded: &str) -> bool {
    let folded = folded.strip_prefix("de nghi ").unwrap_or(folded);
    if NOT_UNITS.iter().any(|n| starts_with_word(folded, n)) {
        return false;
    }
    if let Some(rest) = folded
        .strip_prefix("cac ")
        .or_else(|| folded.strip_prefix("tat ca cac "))
    {
        return GROUP_NOUNS.iter().any(|n| starts_with_word(rest, n));
    }
    if folded.starts_with("so ") && folded[3..].starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    HEADS.iter().any(|h| starts_with_word(folded, h))
}

/// A unit name standing on its own: starts with a capital and a unit noun
/// and is short enough to be a name rather than a sentence.
pub(crate) fn looks_like_unit(text: &str) -> bool {
    let text = strip_request(text.trim());
    starts_upper(text)
        && text.chars().count() <= 160
        && !text.ends_with('.')
        && unit_head(&fold_prefix(text, 40))
}

/// "Đề nghị Ủy ban MTTQ tỉnh ..." → "Ủy ban MTTQ tỉnh ...".
pub(crate) fn strip_request(text: &str) -> &str {
    strip_word(text, "đề nghị ")
        .map(str::trim_start)
        .unwrap_or(text)
}

/// A unit name as it should be stored: no "Đề nghị", no trailing colon or
/// punctuation, single spaces.
pub(crate) fn clean_name(text: &str) -> String {
    let text = strip_request(text.trim());
    squash(text.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ':' | ',' | ';' | '.')))
}

/// Verbs that end a unit name at the start of a sentence ("Sở X chủ trì,
/// ...", "Các cơ quan báo chí tăng cường ..."). Lower case: inside a name
/// the same words are capitalised ("Ban Tổ chức", "Sở Thông tin").
#[rustfmt::skip]
const VERBS: &[&str] = &[
    "chủ trì", "phối hợp", "tham mưu", "tổ chức", "triển khai", "xây dựng", "hướng dẫn", "chỉ đạo",
    "thực hiện", "căn cứ", "chủ động", "có trách nhiệm", "tăng cường", "đẩy mạnh", "bố trí",
    "theo dõi", "báo cáo", "phát động", "tuyên truyền", "đăng tải", "mở", "dành", "lựa chọn", "cử",
    "vận động", "tích cực", "quán triệt", "định hướng", "cung cấp", "làm", "kịp thời",
    "thường xuyên", "nghiên cứu", "rà soát", "kiểm tra", "giám sát", "đôn đốc", "phản ánh",
    "tiếp tục", "đề xuất", "hỗ trợ", "bảo đảm", "đảm bảo", "phân công", "lãnh đạo", "cập nhật",
    "biên soạn", "phát hành", "in", "sản xuất", "trang trí", "đưa", "lồng ghép", "tập huấn",
    "bồi dưỡng", "khảo sát", "đánh giá", "tổng hợp", "phổ biến", "giới thiệu", "duy trì",
    "vận hành", "nâng cao", "sơ kết", "tổng kết",
];

/// Words that end a list of supporting units.
const LIST_STOPS: &[&str] = &["để", "nhằm", "trong", "về", "theo", "tại", "đối với", "cho"];

fn word_at(text: &str, at: usize, word: &str) -> bool {
    text[at..].starts_with(word)
        && text[at + word.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric())
}

/// Byte offset of the first lower-case verb (or, for lists, stop word)
/// that starts a word in `text`.
fn first_verb(text: &str, extra: &[&str]) -> Option<usize> {
    static HEADS: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    let heads = HEADS.get_or_init(|| {
        VERBS
            .iter()
            .chain(LIST_STOPS)
            .filter_map(|v| v.split(' ').next())
            .collect()
    });
    let mut prev_space = false;
    for (at, c) in text.char_indices() {
        if prev_space && c.is_lowercase() {
            // Compare whole verbs only when the syllable starts one.
            let syllable = text[at..]
                .split([' ', ',', ';', '.', ':'])
                .next()
                .unwrap_or_default();
            let hit =
                heads.contains(syllable) && VERBS.iter().chain(extra).any(|v| word_at(text, at, v));
            // After "các", "những" the word is a noun: "các tổ chức chính trị - xã hội".
            let prev_word = text[..at]
                .split_whitespace()
                .next_back()
                .unwrap_or_default();
            if hit
                && !matches!(
                    prev_word,
                    "các" | "những" | "mọi" | "từng" | "Các" | "Những"
                )
            {
                return Some(at);
            }
        }
        prev_space = c == ' ';
    }
    None
}

/// Splits "Sở X chủ trì, phối hợp ..." into ("Sở X", "chủ trì, phối hợp
/// ..."). Only when the subject looks like a unit.
pub(crate) fn subject(text: &str) -> Option<(&str, &str)> {
    let text = strip_request(text.trim());
    let window = text
        .char_indices()
        .nth(160)
        .map_or(text, |(cut, _)| &text[..cut]);
    let at = first_verb(window, &[])?;
    let subject = text[..at].trim_end().trim_end_matches(',').trim_end();
    (looks_like_unit(subject) && !subject.is_empty()).then(|| (subject, text[at..].trim_start()))
}

/// Splits "Unit: duty" when the part before the first colon is a unit name.
pub(crate) fn unit_colon(text: &str) -> Option<(&str, &str)> {
    let (head, rest) = text.split_once(':')?;
    (head.chars().count() <= 150 && looks_like_unit(head)).then(|| (head.trim(), rest.trim()))
}

/// Splits a paragraph into parts that each start with "Giao"; the part
/// before the first "Giao" (if any) is returned with `false`.
pub(crate) fn giao_parts(text: &str) -> Vec<(&str, bool)> {
    if !text.contains("iao ") {
        return vec![(text, false)];
    }
    let mut starts: Vec<usize> = Vec::new();
    if strip_word(text, "giao ").is_some() {
        starts.push(0);
    }
    for sep in [". ", "; "] {
        let mut from = 0;
        while let Some(rel) = text.get(from..).and_then(|t| t.find(sep)) {
            let at = from + rel + sep.len();
            if strip_word(&text[at..], "giao ").is_some() {
                starts.push(at);
            }
            from = at;
        }
    }
    starts.sort_unstable();
    starts.dedup();
    let mut parts = Vec::new();
    if starts.first() != Some(&0) {
        let end = starts.first().copied().unwrap_or(text.len());
        parts.push((text[..end].trim(), false));
    }
    for (i, &s) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        parts.push((text[s..end].trim(), true));
    }
    parts.retain(|(p, _)| !p.is_empty());
    parts
}

/// "Giao Sở X chủ trì, phối hợp với ..." → ("Sở X", "chủ trì, phối hợp với ...").
pub(crate) fn giao(text: &str) -> Option<(&str, &str)> {
    let rest = strip_word(text, "giao ")?.trim_start();
    let rest = strip_word(rest, "nhiệm vụ ").map_or(rest, str::trim_start);
    let rest = strip_word(rest, "cho ").map_or(rest, str::trim_start);
    let window = rest
        .char_indices()
        .nth(160)
        .map_or(rest, |(cut, _)| &rest[..cut]);
    let at = window
        .find(" chủ trì")
        .map(|a| a + 1)
        .or_else(|| first_verb(window, &[]))?;
    let unit = rest[..at].trim_end().trim_end_matches(',').trim_end();
    (!unit.is_empty() && unit_head(&fold_prefix(unit, 40))).then(|| (unit, rest[at..].trim_start()))
}

/// Whether a duty's own text makes it a supporting one ("Phối hợp với ...").
pub(crate) fn is_support(predicate: &str) -> bool {
    fold_prefix(predicate, 10).starts_with("phoi hop")
}

/// Units named after "chủ trì, phối hợp với" (or after a leading "Phối hợp
/// với"), split at commas, semicolons and "và" but keeping names such as
/// "Sở Văn hóa, Thể thao và Du lịch" whole. Vague mentions ("các cơ quan
/// liên quan") are dropped.
pub(crate) fn support_units(text: &str) -> Vec<String> {
    let start = if is_support(text) {
        find_either_case(text, "phối hợp").map(|a| a + "phối hợp".len())
    } else {
        let Some(lead) = find_either_case(text, "chủ trì") else {
            return Vec::new();
        };
        let after = &text[lead + "chủ trì".len()..];
        let after_t = after.trim_start_matches([',', ' ']);
        let after_t = strip_word(after_t, "và ").unwrap_or(after_t);
        strip_word(after_t, "phối hợp").map(|r| text.len() - r.len())
    };
    let Some(start) = start else {
        return Vec::new();
    };
    // A list of units is short; bound the scan on very long paragraphs.
    let rest = text[start..].trim_start();
    let rest = rest
        .char_indices()
        .nth(400)
        .map_or(rest, |(cut, _)| &rest[..cut]);
    let rest = strip_word(rest, "với ").unwrap_or(rest).trim_start();
    // "phối hợp đăng tải tin, bài": no units named.
    if !unit_head(&fold_prefix(rest, 40)) {
        return Vec::new();
    }
    let end = [
        rest.find(['.', ';', ':', '(', '\n']),
        first_verb(rest, LIST_STOPS),
    ]
    .into_iter()
    .flatten()
    .min()
    .unwrap_or(rest.len());
    split_units(rest[..end].trim_end_matches([',', ' ']))
}

/// Splits a list of unit names; a fragment that does not open with a unit
/// noun continues the previous name.
pub(crate) fn split_units(list: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut rest = list;
    let mut sep = "";
    loop {
        let cut = [rest.find(", "), rest.find("; "), rest.find(" và ")]
            .into_iter()
            .flatten()
            .min();
        let (frag, next_sep, next) = match cut {
            Some(at) if rest[at..].starts_with(" và ") => {
                (&rest[..at], " và ", &rest[at + " và ".len()..])
            }
            Some(at) => (&rest[..at], &rest[at..at + 2], &rest[at + 2..]),
            None => (rest, "", ""),
        };
        let frag = frag.trim();
        if !frag.is_empty() {
            // "Trường Chính trị tỉnh đưa nội dung ..." → "Trường Chính trị tỉnh".
            let long = frag.split_whitespace().count() > 7;
            let frag = if long && starts_upper(frag) {
                org_name(frag).unwrap_or_else(|| frag.to_string())
            } else {
                frag.to_string()
            };
            let new = names.is_empty() || sep == "; " || unit_head(&fold_prefix(&frag, 40));
            match names.last_mut() {
                Some(last) if !new => {
                    last.push_str(sep.trim_end());
                    last.push(' ');
                    last.push_str(&frag);
                }
                _ => names.push(frag),
            }
        }
        if next_sep.is_empty() {
            break;
        }
        sep = next_sep;
        rest = next;
    }
    names
        .into_iter()
        .map(|n| clean_name(&n))
        .filter(|n| !n.is_empty() && !is_vague(n))
        .collect()
}

/// "các cơ quan liên quan", "đơn vị liên quan", "các cơ quan": not a unit
/// anyone can be held to.
fn is_vague(name: &str) -> bool {
    let f = fold_prefix(name, 60);
    let generic = [
        "cac co quan",
        "cac don vi",
        "co quan",
        "don vi",
        "cac nganh",
        "cac so",
        "cac dia phuong",
        "dia phuong",
    ]
    .iter()
    .any(|g| f.starts_with(g));
    generic && (f.ends_with("lien quan") || f.split(' ').count() <= 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_names() {
        assert!(looks_like_unit("Ban Tuyên giáo Tỉnh ủy"));
        assert!(looks_like_unit(
            "Các huyện, thị, thành ủy, đảng ủy trực thuộc Tỉnh ủy"
        ));
        assert!(looks_like_unit(
            "Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội tỉnh"
        ));
        assert!(looks_like_unit("Đề nghị Ủy ban MTTQ Việt Nam tỉnh"));
        assert!(!looks_like_unit("Ban hành kế hoạch"));
        assert!(!looks_like_unit("Sơ kết, tổng kết"));
        assert!(!looks_like_unit("Tổ chức các hoạt động"));
        assert!(!looks_like_unit("Thường xuyên chỉ đạo"));
        assert!(!looks_like_unit("Báo cáo kết quả"));
        assert_eq!(
            clean_name("Đề nghị  Hội Nông dân tỉnh: "),
            "Hội Nông dân tỉnh"
        );
    }

    #[test]
    fn subjects_and_giao() {
        assert_eq!(
            subject("Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với Sở Tài chính tổ chức"),
            Some((
                "Sở Văn hóa, Thể thao và Du lịch",
                "chủ trì, phối hợp với Sở Tài chính tổ chức"
            ))
        );
        assert_eq!(subject("Tổ chức hội nghị báo cáo viên"), None);
        assert_eq!(
            giao("Giao Sở Thông tin và Truyền thông chủ trì, phối hợp với Báo Phú Yên thực hiện."),
            Some((
                "Sở Thông tin và Truyền thông",
                "chủ trì, phối hợp với Báo Phú Yên thực hiện."
            ))
        );
        let parts = giao_parts("Các sở triển khai. Giao Sở A chủ trì; giao Sở B thực hiện.");
        assert_eq!(
            parts,
            vec![
                ("Các sở triển khai.", false),
                ("Giao Sở A chủ trì;", true),
                ("giao Sở B thực hiện.", true)
            ]
        );
    }

    #[test]
    fn support_lists() {
        assert_eq!(
            support_units(
                "Chủ trì, phối hợp với Hội Nhà báo tỉnh tham mưu Ủy ban nhân dân tỉnh mở lớp"
            ),
            vec!["Hội Nhà báo tỉnh"]
        );
        assert_eq!(
            support_units(
                "chủ trì, phối hợp với Sở Văn hóa, Thể thao và Du lịch, Sở Tài chính và Báo Phú Yên tổ chức"
            ),
            vec![
                "Sở Văn hóa, Thể thao và Du lịch",
                "Sở Tài chính",
                "Báo Phú Yên"
            ]
        );
        assert!(support_units("Chủ trì, phối hợp với các cơ quan liên quan tham mưu").is_empty());
        assert!(
            support_units("Chủ trì, phối hợp với các cơ quan, đơn vị liên quan tổ chức").is_empty()
        );
        assert_eq!(
            support_units("Phối hợp với Sở Nội vụ trong việc"),
            vec!["Sở Nội vụ"]
        );
        assert!(support_units("Thường xuyên chỉ đạo; phối hợp với các cơ quan").is_empty());
        assert_eq!(
            support_units(
                "Chủ trì, phối hợp với Sở Kế hoạch và Đầu tư, Trường Chính trị tỉnh đưa nội dung vào chương trình"
            ),
            vec!["Sở Kế hoạch và Đầu tư", "Trường Chính trị tỉnh"]
        );
        assert_eq!(
            support_units(
                "Chủ trì, phối hợp với Văn phòng Sở, Trung tâm Công nghệ thông tin và Truyền thông tổ chức"
            ),
            vec![
                "Văn phòng Sở",
                "Trung tâm Công nghệ thông tin và Truyền thông"
            ]
        );
        assert!(support_units("phối hợp đăng tải tin, bài").is_empty());
    }
}
