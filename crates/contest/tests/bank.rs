//! Importing a question bank from spreadsheet rows and from Word text.

use kehoach_contest::{BankError, QuestionDraft, TEMPLATE_HEADER, parse_rows, parse_text};
use proptest::prelude::*;

fn sheet(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
        .collect()
}

fn template() -> Vec<&'static str> {
    TEMPLATE_HEADER.to_vec()
}

fn q(text: &str, options: &[&str], correct: u8, topic: &str, difficulty: u8) -> QuestionDraft {
    QuestionDraft {
        text: text.into(),
        options: options.iter().map(|o| (*o).to_owned()).collect(),
        correct,
        topic: topic.into(),
        difficulty,
    }
}

fn messages(errors: &[BankError]) -> Vec<(usize, &str)> {
    errors
        .iter()
        .map(|e| (e.line, e.message.as_str()))
        .collect()
}

fn expect_errors(result: Result<Vec<QuestionDraft>, Vec<BankError>>) -> Vec<BankError> {
    match result {
        Ok(drafts) => panic!("expected errors, got {drafts:#?}"),
        Err(errors) => errors,
    }
}

// ---------------------------------------------------------------------------
// Spreadsheet

#[test]
fn template_header_is_the_documented_one() {
    assert_eq!(
        TEMPLATE_HEADER,
        [
            "Câu hỏi",
            "Phương án A",
            "Phương án B",
            "Phương án C",
            "Phương án D",
            "Phương án E",
            "Phương án F",
            "Đáp án",
            "Chủ đề",
            "Mức độ",
        ]
    );
    // The template itself is accepted.
    let t = template();
    let row = ["Hỏi?", "Một", "Hai", "", "", "", "", "A", "Chung", ""];
    let drafts = parse_rows(&sheet(&[&t, &row])).unwrap();
    assert_eq!(drafts, [q("Hỏi?", &["Một", "Hai"], 0, "Chung", 1)]);
}

#[test]
fn good_spreadsheet_with_header_variations() {
    // Reordered columns, an extra "STT" column, headers without tone marks,
    // in capitals, with extra spaces; no "Phương án E"/"F" columns.
    let header = [
        "STT",
        "cau hoi",
        "PHƯƠNG ÁN A",
        "Phương  án b",
        "phuong an C",
        "Phương án D",
        "Chủ đề",
        "ĐÁP ÁN",
        "Mức Độ",
    ];
    let rows = sheet(&[
        &header,
        &[
            "1",
            "  Đảng Cộng sản   Việt Nam ra đời\tnăm nào? ",
            "1925",
            " 1930 ",
            "1945",
            "1954",
            "Lịch sử Đảng",
            "B",
            "",
        ],
        // Completely empty rows are skipped, whether short or full of blanks.
        &[],
        &["", " ", "", "", "", "", "", "", ""],
        // Only the unrecognised STT column filled: nothing to import.
        &["3"],
        &[
            "4",
            "Thủ đô của Việt Nam?",
            "Huế",
            "Hà   Nội",
            "",
            "",
            "Địa lý",
            " b ",
            "dễ",
        ],
        &[
            "5",
            "Nhiệt độ đóng băng của nước (°C)?",
            "-5",
            "0",
            "+84",
            "",
            "Khoa học",
            "Phương án B",
            "Trung bình",
        ],
        &[
            "6",
            "Ai đọc Tuyên ngôn độc lập?",
            "Chủ tịch Hồ Chí Minh",
            "Võ Nguyên Giáp",
            "Trường Chinh",
            "",
            "Lịch sử Đảng",
            "chủ tịch  HỒ CHÍ MINH",
            "KHÓ",
        ],
        &[
            "7",
            "Năm nay là năm?",
            "2024",
            "2025",
            "",
            "",
            "Chung",
            "a",
            "3",
        ],
        // A short row: missing trailing cells count as empty.
        &["8", "Câu cuối?", "Có", "Không", "", "", "Chung", "A"],
    ]);
    let drafts = parse_rows(&rows).unwrap();
    assert_eq!(
        drafts,
        [
            q(
                "Đảng Cộng sản Việt Nam ra đời năm nào?",
                &["1925", "1930", "1945", "1954"],
                1,
                "Lịch sử Đảng",
                1
            ),
            q("Thủ đô của Việt Nam?", &["Huế", "Hà Nội"], 1, "Địa lý", 1),
            q(
                "Nhiệt độ đóng băng của nước (°C)?",
                &["-5", "0", "+84"],
                1,
                "Khoa học",
                2
            ),
            q(
                "Ai đọc Tuyên ngôn độc lập?",
                &["Chủ tịch Hồ Chí Minh", "Võ Nguyên Giáp", "Trường Chinh"],
                0,
                "Lịch sử Đảng",
                3
            ),
            q("Năm nay là năm?", &["2024", "2025"], 0, "Chung", 3),
            q("Câu cuối?", &["Có", "Không"], 0, "Chung", 1),
        ]
    );
}

#[test]
fn difficulty_column_is_optional_and_six_options_work() {
    let header = [
        "Câu hỏi",
        "Phương án A",
        "Phương án B",
        "Phương án C",
        "Phương án D",
        "Phương án E",
        "Phương án F",
        "Đáp án đúng",
        "Chủ đề",
    ];
    let rows = sheet(&[
        &header,
        &["Chọn F?", "a1", "b1", "c1", "d1", "e1", "f1", "F", "Chung"],
        &["Chọn E?", "a1", "b1", "c1", "d1", "e1", "", "e", "Chung"],
    ]);
    assert_eq!(
        parse_rows(&rows).unwrap(),
        [
            q(
                "Chọn F?",
                &["a1", "b1", "c1", "d1", "e1", "f1"],
                5,
                "Chung",
                1
            ),
            q("Chọn E?", &["a1", "b1", "c1", "d1", "e1"], 4, "Chung", 1),
        ]
    );
}

#[test]
fn missing_header_columns_are_named_at_line_1() {
    let rows = sheet(&[
        &["Câu hỏi", "Phương án A", "Phương án B", "Mức độ"],
        &["Hỏi?", "Một", "Hai", "1"],
    ]);
    let errors = expect_errors(parse_rows(&rows));
    assert_eq!(
        messages(&errors),
        [(1, "Dòng 1: thiếu cột \"Đáp án\", \"Chủ đề\"")]
    );

    // An option column after a missing one: the missing one is named.
    let rows = sheet(&[&[
        "Câu hỏi",
        "Phương án A",
        "Phương án B",
        "Phương án D",
        "Đáp án",
        "Chủ đề",
    ]]);
    let errors = expect_errors(parse_rows(&rows));
    assert_eq!(
        messages(&errors),
        [(1, "Dòng 1: thiếu cột \"Phương án C\"")]
    );

    // Everything missing, in template order.
    let errors = expect_errors(parse_rows(&sheet(&[&["STT", "Ghi chú"]])));
    assert_eq!(
        messages(&errors),
        [(
            1,
            "Dòng 1: thiếu cột \"Câu hỏi\", \"Phương án A\", \"Phương án B\", \"Đáp án\", \"Chủ đề\""
        )]
    );
}

#[test]
fn duplicated_header_column_is_refused() {
    let rows = sheet(&[&[
        "Câu hỏi",
        "Phương án A",
        "Phương án B",
        "Đáp án",
        "Chủ đề",
        "CÂU HỎI",
    ]]);
    let errors = expect_errors(parse_rows(&rows));
    assert_eq!(
        messages(&errors),
        [(1, "Dòng 1: cột \"Câu hỏi\" xuất hiện nhiều lần")]
    );
}

#[test]
fn empty_sheets_are_refused() {
    let errors = expect_errors(parse_rows(&[]));
    assert_eq!(messages(&errors), [(1, "Tệp trống: không có dòng tiêu đề")]);

    let t = template();
    let errors = expect_errors(parse_rows(&sheet(&[&t, &[], &["", ""]])));
    assert_eq!(messages(&errors), [(1, "Tệp không có câu hỏi nào")]);
}

#[test]
fn every_row_error_is_reported_together_with_its_row_number() {
    let t = template();
    let long_text = "x".repeat(1_001);
    let long_option = "y".repeat(301);
    let rows = sheet(&[
        &t,
        /* 2 */
        &[
            "Thủ đô  là gì?",
            "Huế",
            "Hà Nội",
            "",
            "",
            "",
            "",
            "B",
            "Địa lý",
            "",
        ],
        /* 3 */
        &[
            "THỦ ĐÔ LÀ GÌ?",
            "Huế",
            "Hà Nội",
            "",
            "",
            "",
            "",
            "B",
            "Địa lý",
            "",
        ],
        /* 4 */
        &[
            "Câu 4?",
            "Hà Nội",
            "hà  nội",
            "Huế",
            "",
            "",
            "",
            "A",
            "Địa lý",
            "",
        ],
        /* 5 */ &["", "Một", "Hai", "", "", "", "", "A", "Chung", ""],
        /* 6 */
        &[
            "Câu 6?", "=SUM(A1)", "Hai", "", "", "", "", "B", "Chung", "",
        ],
        /* 7 */ &["Câu 7?", "Một", "", "", "", "", "", "A", "Chung", ""],
        /* 8 */
        &[
            "Câu 8?", "Một", "Hai", "Ba", "Bốn", "", "", "E", "Chung", "",
        ],
        /* 9 */ &["Câu 9?", "Một", "Hai", "", "", "", "", "A", "Chung", "4"],
        /* 10 */ &["", "", "", "", "", "", "", "", "", ""],
        /* 11 */ &["Câu 11?", "Một", "Hai", "", "Bốn", "", "", "A", "Chung", ""],
        /* 12 */ &[&long_text, "Một", "Hai", "", "", "", "", "A", "Chung", ""],
        /* 13 */
        &[
            "Câu 13?",
            "Một",
            &long_option,
            "",
            "",
            "",
            "",
            "A",
            "Chung",
            "",
        ],
        /* 14 */ &["Câu 14?", "Một", "Hai", "", "", "", "", "A", "  ", ""],
        /* 15 */ &["Câu 15?", "Một", "Hai", "", "", "", "", "", "Chung", ""],
        /* 16 */
        &[
            "Câu 16?",
            "Một",
            "Hai",
            "",
            "",
            "",
            "",
            "Hà Nội",
            "Chung",
            "",
        ],
        /* 17 */
        &[
            "+Cmd",
            "Một",
            "Hai",
            "",
            "",
            "",
            "",
            "",
            "@Chung",
            "khó lắm",
        ],
        /* 18 */ &["Câu 18?", "Một", "Hai", "", "", "", "", "G", "Chung", ""],
        /* 19 */
        &[
            "Câu 19?", "Một", "Hai", "", "", "", "", "B. Ba", "Chung", "",
        ],
        /* 20 */ &["Câu 20?", "Một", "Hai", "", "", "", "", "A", "-Chung", "-2"],
    ]);
    let errors = expect_errors(parse_rows(&rows));
    assert_eq!(
        messages(&errors),
        [
            (3, "Dòng 3: câu hỏi trùng với dòng 2"),
            (4, "Dòng 4: phương án trùng nhau"),
            (5, "Dòng 5: thiếu nội dung câu hỏi"),
            (
                6,
                "Dòng 6: ô bắt đầu bằng dấu = (công thức) không được chấp nhận"
            ),
            (7, "Dòng 7: cần ít nhất 2 phương án"),
            (8, "Dòng 8: đáp án \"E\" không có phương án tương ứng"),
            (9, "Dòng 9: mức độ phải là 1, 2 hoặc 3"),
            (11, "Dòng 11: phương án D đứng sau ô trống"),
            (12, "Dòng 12: câu hỏi dài quá 1.000 ký tự (có 1.001 ký tự)"),
            (13, "Dòng 13: phương án B dài quá 300 ký tự (có 301 ký tự)"),
            (14, "Dòng 14: thiếu chủ đề"),
            (15, "Dòng 15: thiếu đáp án"),
            (
                16,
                "Dòng 16: đáp án \"Hà Nội\" không phải chữ cái A–F và không trùng với phương án nào"
            ),
            (
                17,
                "Dòng 17: ô bắt đầu bằng dấu + (công thức) không được chấp nhận"
            ),
            (
                17,
                "Dòng 17: ô bắt đầu bằng dấu @ (công thức) không được chấp nhận"
            ),
            (17, "Dòng 17: thiếu đáp án"),
            (17, "Dòng 17: mức độ phải là 1, 2 hoặc 3"),
            (
                18,
                "Dòng 18: đáp án \"G\" không phải chữ cái A–F và không trùng với phương án nào"
            ),
            (
                19,
                "Dòng 19: đáp án \"B. Ba\" không khớp với nội dung phương án B"
            ),
            (
                20,
                "Dòng 20: ô bắt đầu bằng dấu - (công thức) không được chấp nhận"
            ),
            (20, "Dòng 20: mức độ phải là 1, 2 hoặc 3"),
        ]
    );
    // Display shows the message as it is.
    assert_eq!(errors[0].to_string(), "Dòng 3: câu hỏi trùng với dòng 2");
}

#[test]
fn length_limits_are_inclusive() {
    let t = template();
    let text = "x".repeat(1_000);
    let option = "ư".repeat(300); // characters, not bytes
    let rows = sheet(&[
        &t,
        &[&text, &option, "Hai", "", "", "", "", "A", "Chung", ""],
    ]);
    let drafts = parse_rows(&rows).unwrap();
    assert_eq!(drafts[0].text.chars().count(), 1_000);
    assert_eq!(drafts[0].options[0].chars().count(), 300);
}

#[test]
fn one_good_row_is_not_imported_when_another_is_bad() {
    let t = template();
    let rows = sheet(&[
        &t,
        &["Đúng?", "Có", "Không", "", "", "", "", "A", "Chung", ""],
        &["Sai?", "Có", "", "", "", "", "", "A", "Chung", ""],
    ]);
    let errors = expect_errors(parse_rows(&rows));
    assert_eq!(messages(&errors), [(3, "Dòng 3: cần ít nhất 2 phương án")]);
}

#[test]
fn at_most_5000_questions() {
    let t: Vec<String> = template().into_iter().map(String::from).collect();
    let row = |i: usize| -> Vec<String> {
        [
            &format!("Câu hỏi số {i}?"),
            "Có",
            "Không",
            "",
            "",
            "",
            "",
            "A",
            "Chung",
            "",
        ]
        .map(String::from)
        .to_vec()
    };
    let mut rows = vec![t];
    rows.extend((1..=5_000).map(row));
    assert_eq!(parse_rows(&rows).unwrap().len(), 5_000);

    rows.push(row(5_001));
    rows.push(row(5_002));
    let errors = expect_errors(parse_rows(&rows));
    assert_eq!(
        messages(&errors),
        [(
            5_002,
            "Dòng 5002: vượt quá 5.000 câu hỏi, giới hạn của một lần nhập"
        )]
    );
}

// ---------------------------------------------------------------------------
// Word

const DOCUMENT: &str = "\u{feff}BỘ CÂU HỎI TRẮC NGHIỆM
Cuộc thi tìm hiểu lịch sử địa phương

Câu 1: Câu hỏi chưa có chủ đề?
A. Có
*B. Không

Chủ đề: Lịch sử Đảng
Câu 2: Đảng Cộng sản Việt Nam ra đời năm nào?
A. 1925
*B. 1930
C. 1945
D. 1954

Câu 3. Ai là người
  đọc Tuyên ngôn độc lập
ngày 2/9/1945? (Mức độ: 2)
A) Võ Nguyên Giáp
B) Hồ Chí Minh
C) Trường Chinh
Đáp án: b. Hồ  Chí Minh

CÂU 4 - Hội nghị thành lập Đảng diễn ra ở đâu? [khó]
A: Hương Cảng
B: Quảng Châu
*C: Ma Cao

Đáp án đúng: A
PHẦN II
B. PHÁP LUẬT

Chủ đề:   Pháp   luật
Câu 5) Hiến pháp hiện hành được thông qua năm nào? [trung bình]
A. 1992\tB. 2013\tC. 2001
Đáp án: b
Câu 6: Tuổi được bầu cử?
A. 18
B. 21
Mức độ: 3
Đáp án: 18
Câu hỏi 7:
Câu trả lời đúng là gì? (dễ)
*A. Đáp án một
B. Đáp án hai
";

#[test]
fn word_document() {
    // Câu 4 has both a '*' (C) and an "Đáp án đúng" line (A): see the
    // conflicting-marks test; here it is fixed to agree.
    let text = DOCUMENT
        .replace("*C: Ma Cao", "C: Ma Cao")
        .replace("A: Hương Cảng", "*A: Hương Cảng");
    let drafts = parse_text(&text).unwrap();
    assert_eq!(
        drafts,
        [
            q("Câu hỏi chưa có chủ đề?", &["Có", "Không"], 1, "Chung", 1),
            q(
                "Đảng Cộng sản Việt Nam ra đời năm nào?",
                &["1925", "1930", "1945", "1954"],
                1,
                "Lịch sử Đảng",
                1
            ),
            q(
                "Ai là người đọc Tuyên ngôn độc lập ngày 2/9/1945?",
                &["Võ Nguyên Giáp", "Hồ Chí Minh", "Trường Chinh"],
                1,
                "Lịch sử Đảng",
                2
            ),
            q(
                "Hội nghị thành lập Đảng diễn ra ở đâu?",
                &["Hương Cảng", "Quảng Châu", "Ma Cao"],
                0,
                "Lịch sử Đảng",
                3
            ),
            q(
                "Hiến pháp hiện hành được thông qua năm nào?",
                &["1992", "2013", "2001"],
                1,
                "Pháp luật",
                2
            ),
            q("Tuổi được bầu cử?", &["18", "21"], 0, "Pháp luật", 3),
            q(
                "Câu trả lời đúng là gì?",
                &["Đáp án một", "Đáp án hai"],
                0,
                "Pháp luật",
                1
            ),
        ]
    );
}

#[test]
fn word_conflicting_marks() {
    let errors = expect_errors(parse_text(DOCUMENT));
    assert_eq!(
        messages(&errors),
        [(
            23,
            "Câu 4 (dòng 23): đáp án đánh dấu * (C) khác với dòng \"Đáp án\" (A)"
        )]
    );
}

#[test]
fn word_windows_line_endings() {
    let text = "Câu 1: Hỏi?\r\nA. Có\r\n*B. Không\r\n";
    assert_eq!(
        parse_text(text).unwrap(),
        [q("Hỏi?", &["Có", "Không"], 1, "Chung", 1)]
    );
}

#[test]
fn word_every_error_is_reported_together() {
    let long = "x".repeat(1_001);
    let long_option = "y".repeat(301);
    let text = format!(
        "Tiêu đề
Câu 1: Không có đáp án?
A. Có
B. Không

Câu 2: Hai dấu sao?
*A. Có
*B. Không

Câu 3: Một phương án?
*A. Có

Câu 4: Đáp án ngoài phạm vi?
A. Có
B. Có nữa
Đáp án: E

Câu 5: KHÔNG CÓ   đáp án?
*A. Có
B. Không

Câu 6: =HYPERLINK(\"x\")
*A. Có
B. -Không

Câu 7: {long}
*A. Có
B. {long_option}

Câu 8: Thứ tự sai?
A. Một
C. Hai
*B. Ba
Giải thích: vì sao đó

Câu 9: Mức độ sai? (Mức độ: 5)
*A. Một
B. một

Chủ đề:
Câu 10:
*A. Một
B. Hai
C.
Đáp án: A
Đáp án: B
"
    );
    let errors = expect_errors(parse_text(&text));
    assert_eq!(
        messages(&errors),
        [
            (2, "Câu 1 (dòng 2): không có đáp án đúng"),
            (6, "Câu 2 (dòng 6): có 2 đáp án được đánh dấu"),
            (10, "Câu 3 (dòng 10): cần ít nhất 2 phương án"),
            (
                13,
                "Câu 4 (dòng 13): đáp án \"E\" không có phương án tương ứng"
            ),
            (18, "Câu 5 (dòng 18): câu hỏi trùng với câu 1 (dòng 2)"),
            (
                22,
                "Câu 6 (dòng 22): câu hỏi bắt đầu bằng dấu = (công thức) không được chấp nhận"
            ),
            (
                22,
                "Câu 6 (dòng 22): phương án B bắt đầu bằng dấu - (công thức) không được chấp nhận"
            ),
            (
                26,
                "Câu 7 (dòng 26): câu hỏi dài quá 1.000 ký tự (có 1.001 ký tự)"
            ),
            (
                26,
                "Câu 7 (dòng 26): phương án B dài quá 300 ký tự (có 301 ký tự)"
            ),
            (30, "Câu 8 (dòng 30): phương án C không đúng thứ tự (cần B)"),
            (30, "Câu 8 (dòng 30): phương án B không đúng thứ tự (cần C)"),
            (
                30,
                "Câu 8 (dòng 30): dòng 34 nằm sau các phương án nhưng không phải phương án hay \"Đáp án:\": \"Giải thích: vì sao đó\""
            ),
            (36, "Câu 9 (dòng 36): mức độ phải là 1, 2 hoặc 3"),
            (36, "Câu 9 (dòng 36): phương án trùng nhau"),
            (40, "Dòng 40: thiếu tên chủ đề sau \"Chủ đề:\""),
            (41, "Câu 10 (dòng 41): thiếu nội dung câu hỏi"),
            (41, "Câu 10 (dòng 41): phương án C để trống"),
            (41, "Câu 10 (dòng 41): có nhiều dòng \"Đáp án\" khác nhau"),
        ]
    );
}

#[test]
fn word_empty_or_without_questions() {
    for text in [
        "",
        "\n\n",
        "BỘ CÂU HỎI\nChủ đề: Lịch sử\n1. Không có chữ Câu\nA. Có\nB. Không\n",
    ] {
        let errors = expect_errors(parse_text(text));
        assert_eq!(errors.len(), 1, "{text:?}");
        assert_eq!(errors[0].line, 1);
        assert!(
            errors[0]
                .message
                .starts_with("Văn bản không có câu hỏi nào")
        );
    }
}

#[test]
fn word_blank_lines_inside_a_question() {
    // Question text may span paragraphs; a blank line between options keeps
    // them in the same question as long as the letters follow on.
    let text = "Câu 1: Đọc đoạn sau:

\"Không có gì quý hơn độc lập, tự do\"

Câu nói trên của ai?
A. Hồ Chí Minh

B. Lê Duẩn
Đáp án: A
";
    assert_eq!(
        parse_text(text).unwrap(),
        [q(
            "Đọc đoạn sau: \"Không có gì quý hơn độc lập, tự do\" Câu nói trên của ai?",
            &["Hồ Chí Minh", "Lê Duẩn"],
            0,
            "Chung",
            1
        )]
    );
}

#[test]
fn word_too_many_questions() {
    let mut text = String::new();
    for i in 1..=5_001 {
        text.push_str(&format!("Câu {i}: Hỏi số {i}?\n*A. Có\nB. Không\n"));
    }
    let errors = expect_errors(parse_text(&text));
    assert_eq!(
        messages(&errors),
        [(
            15_001,
            "Câu 5001 (dòng 15001): vượt quá 5.000 câu hỏi, giới hạn của một lần nhập"
        )]
    );
}

// ---------------------------------------------------------------------------
// Round trip

const WORDS: &[&str] = &[
    "Đảng", "cộng", "sản", "Việt", "Nam", "ra", "đời", "năm", "nào", "người", "sáng", "lập",
    "Hiến", "pháp", "quy", "định", "quyền", "công", "dân", "tỉnh", "huyện", "xã", "thôn", "bản",
    "HỎI", "nghị", "quyết", "chiến", "lược", "bầu", "cử", "Quốc", "hội", "đại", "biểu", "ĐÚNG",
    "sai", "điều", "khoản", "luật", "văn", "hoá", "ưu", "tiên", "phát", "triển", "kinh", "tế",
];
const OPTION_WORDS: &[&str] = &[
    "1930", "1945", "-5", "+84", "Hồ", "Chí", "Minh", "Hà", "Nội", "Huế", "năm", "tuổi", "18",
    "21", "Quốc", "hội", "Chính", "phủ", "ba", "Mười", "ĐÚNG", "không", "có", "%",
];
const TOPICS: &[&str] = &[
    "Chung",
    "Lịch sử Đảng",
    "Pháp luật",
    "Văn hoá - xã hội",
    "Địa lý",
];

/// How a question is written out: answer form, difficulty form, padding,
/// where the text is split, separators, blank lines, tabs.
#[derive(Clone, Debug)]
struct Style {
    answer: u8,
    difficulty: u8,
    pad: bool,
    split: usize,
    separator: u8,
    blank: bool,
    tabs: bool,
}

fn words(
    pool: &'static [&'static str],
    n: std::ops::Range<usize>,
) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(pool), n).prop_map(|w| w.join(" "))
}

fn question() -> impl Strategy<Value = (QuestionDraft, Style)> {
    (
        (words(WORDS, 1..14), any::<bool>()),
        prop::collection::vec(words(OPTION_WORDS, 1..5), 2..=6),
        any::<u8>(),
        prop::sample::select(TOPICS),
        1u8..=3,
        (
            0u8..4,
            0u8..3,
            any::<bool>(),
            0usize..16,
            0u8..4,
            any::<bool>(),
            any::<bool>(),
        ),
    )
        .prop_filter_map(
            "options must differ",
            |((text, ask), mut options, seed, topic, difficulty, s)| {
                let mut keys: Vec<String> = Vec::new();
                options.retain(|o| {
                    let k = o.to_lowercase();
                    let fresh = !keys.contains(&k);
                    keys.push(k);
                    fresh
                });
                if options.len() < 2 {
                    return None;
                }
                let correct = seed % u8::try_from(options.len()).unwrap();
                let text = if ask { text + "?" } else { text };
                Some((
                    QuestionDraft {
                        text,
                        options,
                        correct,
                        topic: topic.to_owned(),
                        difficulty,
                    },
                    Style {
                        answer: s.0,
                        difficulty: s.1,
                        pad: s.2,
                        split: s.3,
                        separator: s.4,
                        blank: s.5,
                        tabs: s.6,
                    },
                ))
            },
        )
}

fn bank() -> impl Strategy<Value = Vec<(QuestionDraft, Style)>> {
    prop::collection::vec(question(), 1..25).prop_map(|mut qs| {
        let mut seen: Vec<String> = Vec::new();
        qs.retain(|(q, _)| {
            let k = q.text.to_lowercase();
            let fresh = !seen.contains(&k);
            seen.push(k);
            fresh
        });
        qs
    })
}

const LETTERS: [&str; 6] = ["A", "B", "C", "D", "E", "F"];
const LEVELS: [&str; 3] = ["dễ", "Trung bình", "KHÓ"];

fn render_rows(
    bank: &[(QuestionDraft, Style)],
    order: &[usize],
    variants: &[u8],
) -> Vec<Vec<String>> {
    // Column 10 is an unrecognised "STT" column.
    let header_cell = |c: usize| -> String {
        if c == 10 {
            return "STT".into();
        }
        let name = TEMPLATE_HEADER[c];
        match variants[c] {
            0 => name.to_owned(),
            1 => name.to_uppercase(),
            _ => format!(" {} ", name.to_lowercase().replace(' ', "  ")),
        }
    };
    let mut rows = vec![order.iter().map(|&c| header_cell(c)).collect::<Vec<_>>()];
    for (i, (q, style)) in bank.iter().enumerate() {
        let pad = |s: &str| {
            if style.pad {
                format!("  {}\t", s.replace(' ', "   "))
            } else {
                s.to_owned()
            }
        };
        let letter = LETTERS[usize::from(q.correct)];
        let answer = match style.answer {
            0 => letter.to_owned(),
            1 => format!(" {} ", letter.to_lowercase()),
            2 => format!("Phương án {letter}"),
            _ => q.options[usize::from(q.correct)].to_uppercase(),
        };
        let difficulty = match (style.difficulty, q.difficulty) {
            (0, d) => d.to_string(),
            (1, d) => LEVELS[usize::from(d) - 1].to_owned(),
            (_, 1) => String::new(),
            (_, d) => format!("{d}.0"),
        };
        let cell = |c: usize| -> String {
            match c {
                0 => pad(&q.text),
                1..=6 => q.options.get(c - 1).map_or_else(String::new, |o| pad(o)),
                7 => answer.clone(),
                8 => pad(&q.topic),
                9 => difficulty.clone(),
                _ => (i + 1).to_string(),
            }
        };
        if style.blank {
            rows.push(vec![String::new(); 3]);
        }
        rows.push(order.iter().map(|&c| cell(c)).collect());
    }
    rows
}

fn render_text(bank: &[(QuestionDraft, Style)]) -> String {
    let mut out = String::from("BỘ CÂU HỎI TRẮC NGHIỆM\n\n");
    let mut topic = "Chung";
    for (i, (q, style)) in bank.iter().enumerate() {
        if q.topic != topic {
            topic = &q.topic;
            out.push_str(&format!("Chủ đề: {topic}\n"));
        }
        let marker = match (style.difficulty, q.difficulty) {
            (0, 1) => String::new(),
            (1, d) => format!(" [{}]", LEVELS[usize::from(d) - 1].to_lowercase()),
            (_, d) => format!(" (Mức độ: {d})"),
        };
        let separator = [":", ".", " -", ")"][usize::from(style.separator)];
        let words: Vec<&str> = q.text.split(' ').collect();
        let split = style.split.min(words.len());
        out.push_str(&format!(
            "Câu {}{separator} {}",
            i + 1,
            words[..split].join(" ")
        ));
        if split < words.len() {
            // Continues on the next line (and, if long, the one after).
            let rest = &words[split..];
            let half = rest.len().div_ceil(2);
            out.push('\n');
            out.push_str(&rest[..half].join(" "));
            if half < rest.len() {
                out.push('\n');
                out.push_str(&rest[half..].join(" "));
            }
        }
        out.push_str(&marker);
        out.push('\n');
        let star = matches!(style.answer, 0 | 2);
        let options: Vec<String> = q
            .options
            .iter()
            .enumerate()
            .map(|(j, o)| {
                let mark = if star && j == usize::from(q.correct) {
                    "*"
                } else {
                    ""
                };
                format!("{mark}{}{} {o}", LETTERS[j], [".", ")", ":"][j % 3])
            })
            .collect();
        out.push_str(&options.join(if style.tabs { "\t" } else { "\n" }));
        out.push('\n');
        if style.blank {
            out.push('\n');
        }
        let letter = LETTERS[usize::from(q.correct)];
        match style.answer {
            1 | 2 => out.push_str(&format!("Đáp án: {letter}\n")),
            3 => out.push_str(&format!(
                "Đáp án đúng: {}\n",
                q.options[usize::from(q.correct)]
            )),
            _ => {}
        }
        if style.blank {
            out.push('\n');
        }
    }
    out
}

proptest! {
    #[test]
    fn round_trip(
        bank in bank(),
        order in Just((0..11).collect::<Vec<usize>>()).prop_shuffle(),
        variants in prop::collection::vec(0u8..3, 10),
    ) {
        let expected: Vec<QuestionDraft> = bank.iter().map(|(q, _)| q.clone()).collect();

        let rows = render_rows(&bank, &order, &variants);
        prop_assert_eq!(parse_rows(&rows), Ok(expected.clone()), "rows: {:#?}", rows);

        let text = render_text(&bank);
        prop_assert_eq!(parse_text(&text), Ok(expected), "text:\n{}", text);
    }
}
