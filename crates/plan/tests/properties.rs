//! Properties: the parser never panics or hangs, whatever the input, and
//! folding and parsing do not depend on Unicode normalisation form.

use std::io::{Cursor, Write};
use std::time::{Duration, Instant};

use kehoach_plan::{fold, parse_bytes, parse_text};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

const SEED: &str = include_str!("../../../fixtures/plans/plan-2021.txt");
const FIXTURES: &[&str] = &[
    SEED,
    include_str!("../../../fixtures/plans/ubnd-159-chuyen-doi-so-2025.txt"),
    include_str!("../../../fixtures/plans/huong-dan-37-ky-niem-2025.txt"),
    include_str!("../../../fixtures/plans/so-tttt-85-phan-cong-2024.txt"),
    include_str!("../../../fixtures/plans/huyen-uy-58-trach-nhiem-2023.txt"),
];

/// Lines that look like parts of a plan, to reach deep into the parser.
const PIECES: &[&str] = &[
    "KẾ HOẠCH",
    "HƯỚNG DẪN",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "II. NỘI DUNG",
    "III. HÌNH THỨC",
    "IV. TỔ CHỨC THỰC HIỆN",
    "V. PHÂN CÔNG NHIỆM VỤ",
    "1. Mục đích",
    "2. Yêu cầu",
    "1.1. Một",
    "1.1.1 x",
    "a) Sở Y tế: Chủ trì, phối hợp với Sở Nội vụ, Sở Văn hóa, Thể thao và Du lịch",
    "đ) Phối hợp với",
    "- Giao Sở Tài chính chủ trì; giao",
    "+ Thời gian: Quý IV/2021",
    "Thời gian:",
    "Cơ quan chủ trì:",
    "trước ngày 31/02/2021",
    "ngày 99 tháng 99 năm 9999",
    "Số: 159/KH-UBND",
    "Số 37-HD/BTGDVTW",
    "Tuy Hòa, ngày 05 tháng 4 năm 2021",
    "Nghị quyết số 35-NQ/TW, ngày 22/10/2018 của Bộ Chính trị (khóa",
    "của",
    "tầm nhìn đến năm 1945",
    "Nơi nhận:",
    "- Lưu: VT.",
    "  đảng ủy,",
    "T/M BAN THƯỜNG VỤ",
    "KT. CHỦ TỊCH",
    "PHÓ BÍ THƯ",
    "Cao Thị Hòa An",
    "Trên đây là",
    "\t",
    "",
    "*",
    "-----",
    "Đề nghị",
    "(b/c)",
    "Phần IX",
];

fn mutate(lines: &[&str], ops: &[(u8, usize)]) -> String {
    let mut v: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
    for &(op, at) in ops {
        if v.is_empty() {
            break;
        }
        let i = at % v.len();
        match op % 4 {
            0 => {
                v.remove(i);
            }
            1 => {
                let dup = v[i].clone();
                v.insert(i, dup);
            }
            2 => {
                let j = (at / 7) % v.len();
                v.swap(i, j);
            }
            _ => {
                let line = &v[i];
                let cut = line
                    .char_indices()
                    .nth(at % (line.chars().count() + 1))
                    .map_or(line.len(), |(c, _)| c);
                v[i] = line[..cut].to_string();
            }
        }
    }
    v.join("\n")
}

// 256 cases each by default; set PROPTEST_CASES for a longer run.
proptest! {

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = parse_bytes(&bytes);
    }

    #[test]
    fn arbitrary_strings_never_panic(s in "\\PC{0,400}") {
        let _ = parse_text(&s);
        let _ = parse_bytes(s.as_bytes());
    }

    #[test]
    fn plan_like_strings_never_panic(idx in proptest::collection::vec((0..PIECES.len(), "[ \\t]{0,2}", "\\PC{0,12}"), 0..60)) {
        let text: String = idx
            .iter()
            .map(|(i, pad, tail)| format!("{pad}{}{tail}\n", PIECES[*i]))
            .collect();
        let _ = parse_text(&text);
    }

    #[test]
    fn seed_mutations_never_panic(ops in proptest::collection::vec((any::<u8>(), any::<usize>()), 0..40)) {
        let lines: Vec<&str> = SEED.split('\n').collect();
        let text = mutate(&lines, &ops);
        if let Ok(plan) = parse_text(&text) {
            for w in &plan.warnings {
                prop_assert!(!w.message.is_empty());
            }
        }
    }

    #[test]
    fn fixture_mixtures_never_panic(picks in proptest::collection::vec((any::<usize>(), any::<usize>()), 0..150)) {
        let all: Vec<&str> = FIXTURES.iter().flat_map(|f| f.split('\n')).collect();
        let text: Vec<&str> = picks.iter().map(|(a, _)| all[a % all.len()]).collect();
        let _ = parse_text(&text.join("\n"));
        // Each fixture with a run of its lines moved elsewhere.
        let (f, cut) = picks.first().copied().unwrap_or_default();
        let lines: Vec<&str> = FIXTURES[f % FIXTURES.len()].split('\n').collect();
        let at = cut % lines.len();
        let rotated: Vec<&str> = lines[at..].iter().chain(&lines[..at]).copied().collect();
        let _ = parse_text(&rotated.join("\n"));
    }

    #[test]
    fn seed_byte_corruption_never_panics(flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..20)) {
        let mut bytes = SEED.as_bytes().to_vec();
        for (at, b) in flips {
            let i = at % bytes.len();
            bytes[i] = b;
        }
        let _ = parse_bytes(&bytes);
    }

    #[test]
    fn docx_corruption_never_panics(flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8), cut in any::<usize>()) {
        let mut bytes = small_docx();
        for (at, b) in flips {
            let i = at % bytes.len();
            bytes[i] = b;
        }
        let keep = 4 + cut % (bytes.len() - 3);
        bytes.truncate(keep);
        let _ = parse_bytes(&bytes);
    }

    #[test]
    fn fold_ignores_normalisation_form(s in "\\PC{0,60}") {
        let nfc: String = s.nfc().collect();
        let nfd: String = s.nfd().collect();
        prop_assert_eq!(fold(&nfc), fold(&nfd));
    }

    #[test]
    fn fold_ignores_vietnamese_normalisation_form(s in "[a-zA-ZàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđĐ ]{0,40}") {
        let nfc: String = s.nfc().collect();
        let nfd: String = s.nfd().collect();
        let folded = fold(&nfc);
        prop_assert_eq!(&folded, &fold(&nfd));
        prop_assert!(folded.is_ascii());
    }
}

fn small_docx() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    let body: String = SEED
        .lines()
        .take(20)
        .map(|l| {
            format!(
                "<w:p><w:r><w:t>{}</w:t></w:r></w:p>",
                l.replace('&', "&amp;").replace('<', "&lt;")
            )
        })
        .collect();
    write!(zip, "<w:document><w:body>{body}</w:body></w:document>").unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn nfd_seed_parses_like_nfc_seed() {
    let nfd: String = SEED.nfd().collect();
    assert_eq!(parse_text(&nfd).unwrap(), parse_text(SEED).unwrap());
}

#[test]
fn fold_examples() {
    assert_eq!(fold("Đảng ủy"), "dang uy");
    assert_eq!(fold("hòa"), fold("hoà"));
    assert_eq!(fold("  Ủy   ban\tNHÂN dân "), "uy ban nhan dan");
}

/// Inputs built to provoke quadratic work. Each must finish quickly even in
/// a debug build.
#[test]
fn pathological_inputs_finish_quickly() {
    let long_line = format!(
        "KẾ HOẠCH\nI. MỤC ĐÍCH\nII. NỘI DUNG\n1. {}",
        "ngày 1 tháng quý Giao của số 1-A/B ".repeat(60_000)
    );
    let many_lines = format!(
        "KẾ HOẠCH\nI. A\nII. B\n{}",
        "1.1.1.1.1 x\n- y\n+ z\na) Sở A: b\n".repeat(30_000)
    );
    let blank_lines = format!("KẾ HOẠCH\nI. A\nII. B\n{}", "\n".repeat(5_000_000));
    let deep_years = format!(
        "KẾ HOẠCH\nnăm 2021\nI. A\nII. B\n1. {}",
        "tầm nhìn đến năm 1900 ".repeat(80_000)
    );
    for (name, text) in [
        ("long line", long_line),
        ("many lines", many_lines),
        ("blank lines", blank_lines),
        ("years", deep_years),
    ] {
        let start = Instant::now();
        let result = parse_text(&text);
        let took = start.elapsed();
        assert!(result.is_ok(), "{name}: {result:?}");
        assert!(took < Duration::from_secs(10), "{name} took {took:?}");
    }
}
