use kehoach_office::Paragraph::{self, Bullet, Heading, SubHeading, Text};

fn h(s: &str) -> Paragraph {
    Heading(s.into())
}
fn sh(s: &str) -> Paragraph {
    SubHeading(s.into())
}
fn t(s: &str) -> Paragraph {
    Text(s.into())
}
fn b(s: &str) -> Paragraph {
    Bullet(s.into())
}

#[test]
fn single_lines() {
    let cases: Vec<(&str, Paragraph)> = vec![
        ("I. KẾT QUẢ THỰC HIỆN", h("I. KẾT QUẢ THỰC HIỆN")),
        ("II. NHIỆM VỤ", h("II. NHIỆM VỤ")),
        ("IV. KIẾN NGHỊ", h("IV. KIẾN NGHỊ")),
        ("IX. Khác", h("IX. Khác")),
        ("XIV. PHỤ LỤC", h("XIV. PHỤ LỤC")),
        ("III.", h("III.")),
        ("  I. Thụt lề  ", h("I. Thụt lề")),
        // Not canonical Roman numerals, or not followed by a space.
        ("IIII. SAI", t("IIII. SAI")),
        ("VX. SAI", t("VX. SAI")),
        ("V.v. là viết tắt", t("V.v. là viết tắt")),
        ("I.KHÔNG CÁCH", t("I.KHÔNG CÁCH")),
        ("i. chữ thường", t("i. chữ thường")),
        ("C. Lettered section", t("C. Lettered section")),
        ("Ia. Không", t("Ia. Không")),
        ("1. Công tác tuyên truyền", sh("1. Công tác tuyên truyền")),
        ("1.1. Trên báo chí", sh("1.1. Trên báo chí")),
        ("2.3.1. Cấp cơ sở", sh("2.3.1. Cấp cơ sở")),
        (
            "1.2 Không có dấu chấm cuối",
            sh("1.2 Không có dấu chấm cuối"),
        ),
        ("12. Mục mười hai", sh("12. Mục mười hai")),
        ("3.", sh("3.")),
        ("1.000 người tham dự", t("1.000 người tham dự")),
        ("2021. Năm bản lề", t("2021. Năm bản lề")),
        ("1 số nội dung", t("1 số nội dung")),
        ("1.5% tăng", t("1.5% tăng")),
        (
            "- Báo Phú Yên: 120 tin, bài;",
            b("Báo Phú Yên: 120 tin, bài;"),
        ),
        ("-   thừa khoảng trắng", b("thừa khoảng trắng")),
        ("– gạch ngang dài", b("gạch ngang dài")),
        ("• chấm tròn", b("chấm tròn")),
        ("+ Trong đó có 15 bài", b("+ Trong đó có 15 bài")),
        ("-5% so với cùng kỳ", t("-5% so với cùng kỳ")),
        ("-", t("-")),
        ("Các cơ quan báo chí", t("Các cơ quan báo chí")),
        ("a) Nội dung", t("a) Nội dung")),
    ];
    for (input, expected) in cases {
        assert_eq!(Paragraph::from_plain(input), vec![expected], "{input:?}");
    }
}

#[test]
fn documents() {
    let cases: Vec<(&str, Vec<Paragraph>)> = vec![
        ("", vec![]),
        ("\n\n  \r\n\t\n", vec![]),
        (
            "I. KẾT QUẢ\n1. Báo chí\nDòng một\nDòng hai\n\n- mục\n+ mục con\nII. TỒN TẠI",
            vec![
                h("I. KẾT QUẢ"),
                sh("1. Báo chí"),
                t("Dòng một"),
                t("Dòng hai"),
                b("mục"),
                b("+ mục con"),
                h("II. TỒN TẠI"),
            ],
        ),
        (
            "\u{feff}Đoạn đầu\r\n\r\nĐoạn sau\r\n",
            vec![t("Đoạn đầu"), t("Đoạn sau")],
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(Paragraph::from_plain(input), expected, "{input:?}");
    }
}
