//! Shapes real documents take, and the linter's checks, on small texts.

use kehoach_plan::{DutyRole, ParseError, PlanDocument, SectionRole, parse_text};

fn parse(text: &str) -> PlanDocument {
    parse_text(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn codes(plan: &PlanDocument) -> Vec<&str> {
    plan.warnings.iter().map(|w| w.code.as_str()).collect()
}

const HEAD: &str = "KẾ HOẠCH\ntuyên truyền năm 2021\n";

#[test]
fn numbering_gaps_and_duplicates() {
    let plan = parse(&format!(
        "{HEAD}I. MỤC ĐÍCH, YÊU CẦU\n- Nâng cao nhận thức.\nIII. NỘI DUNG\n1. Nội dung trọng tâm\n1.1. Một.\n1.3. Ba.\n2. Nội dung thường xuyên\n2.1. Bốn.\n2. Nội dung khác\n"
    ));
    let got: Vec<_> = plan
        .warnings
        .iter()
        .map(|w| (w.code.as_str(), w.line))
        .collect();
    assert_eq!(
        got,
        [
            ("numbering_gap", Some(5)),
            ("numbering_gap", Some(8)),
            ("numbering_duplicate", Some(11))
        ]
    );
    assert!(plan.warnings[0].message.contains("thiếu mục II"));
    assert!(plan.warnings[1].message.contains("1.3") && plan.warnings[1].message.contains("1.2"));
    assert!(plan.warnings[2].message.contains("Mục 2"));
}

#[test]
fn years_far_from_the_plan() {
    let plan = parse(&format!(
        "{HEAD}I. NỘI DUNG\n\
         1. Kỷ niệm 91 năm Ngày thành lập Đảng (1930-2021) và nhiệm kỳ 2020-2025.\n\
         2. Chiến lược đến năm 2030, tầm nhìn đến năm 2045.\n\
         3. Mục tiêu đến năm 2015 của huyện.\n\
         4. Phấn đấu hoàn thành vào năm 2099.\n\
         5. Kỷ niệm 1010 năm Thăng Long, xây dựng năm 1010 đến nay.\n"
    ));
    let got: Vec<_> = plan
        .warnings
        .iter()
        .map(|w| (w.code.as_str(), w.line))
        .collect();
    assert_eq!(
        got,
        [
            ("year_out_of_range", Some(6)),
            ("year_out_of_range", Some(7))
        ]
    );
    assert_eq!(
        plan.warnings[0].message,
        "Năm 2015 ở mục 3 nằm xa ngoài thời kỳ của kế hoạch (2021)"
    );
    assert!(plan.warnings[1].message.contains("2099"));
}

#[test]
fn plan_period_from_title_range() {
    let plan = parse(
        "KẾ HOẠCH\nthực hiện Chiến lược giai đoạn 2021 - 2025\nI. NỘI DUNG\n1. Phấn đấu đến năm 2023 đạt mục tiêu.\n2. Tầm nhìn đến năm 2019.\n",
    );
    assert_eq!(plan.year, None);
    let plan = parse(
        "KẾ HOẠCH\nthực hiện Chiến lược năm 2022 giai đoạn 2021 - 2025\nI. NỘI DUNG\n1. Phấn đấu đến năm 2023 đạt mục tiêu.\n2. Tầm nhìn đến năm 2019.\n",
    );
    assert_eq!(plan.year, Some(2022));
    assert_eq!(plan.warnings.len(), 1);
    assert_eq!(
        plan.warnings[0].message,
        "Năm 2019 ở mục 2 nằm xa ngoài thời kỳ của kế hoạch (2021-2025)"
    );
}

#[test]
fn references_after_the_plan() {
    let dated = parse(
        "Huế, ngày 10 tháng 3 năm 2021\nKẾ HOẠCH\ntuyên truyền năm 2021\nThực hiện Kế hoạch số 12-KH/TU, ngày 15/3/2021 của Tỉnh ủy và Hướng dẫn số 3-HD/BTGTU ngày 01/3/2021 của Ban Tuyên giáo Tỉnh ủy.\nI. NỘI DUNG\n1. Tuyên truyền.\n",
    );
    assert_eq!(dated.date.as_deref(), Some("2021-03-10"));
    assert_eq!(codes(&dated), ["reference_after_plan"]);
    assert!(
        dated.warnings[0].message.contains("12-KH/TU")
            && dated.warnings[0].message.contains("15/03/2021")
    );
    let undated = parse(
        "KẾ HOẠCH\ntuyên truyền năm 2021\nI. NỘI DUNG\n1. Theo Chỉ thị số 7-CT/TU ngày 02/01/2022 của Tỉnh ủy.\n",
    );
    assert_eq!(codes(&undated), ["reference_after_plan"]);
}

#[test]
fn duties_in_many_shapes() {
    let plan = parse(&format!(
        "{HEAD}I. MỤC ĐÍCH, YÊU CẦU\n- Nâng cao nhận thức.\nII. TỔ CHỨC THỰC HIỆN\n\
         Triển khai nghiêm túc Kế hoạch này.\n\
         1. Sở Y tế:\n\
         \t- Phối hợp với Sở Thông tin và Truyền thông cung cấp thông tin về phòng, chống dịch.\n\
         + Chủ trì tổ chức tọa đàm trong Quý II.\n\
         2. Giao Sở Tư pháp chủ trì, phối hợp với Sở Nội vụ và Sở Văn hóa, Thể thao và Du lịch biên soạn tài liệu, hoàn thành trước ngày 31/02/2021.\n\
         3. Đề nghị Hội Liên hiệp Phụ nữ tỉnh: Vận động hội viên tham gia (thường xuyên).\n\
         4. Các cơ quan báo chí\n\
         a) Mở chuyên mục.\n\
         b) Đăng tin, bài. Thời gian: trước ngày 16 tháng 12 năm 2021.\n\
         đ) Phối hợp với Ban Tuyên giáo Tỉnh ủy tổ chức tọa đàm.\n"
    ));
    let d: Vec<_> = plan
        .duties
        .iter()
        .map(|d| (d.line, d.unit.as_str(), d.role))
        .collect();
    assert_eq!(
        d,
        [
            (6, "", DutyRole::Lead),
            (8, "Sở Y tế", DutyRole::Support),
            (9, "Sở Y tế", DutyRole::Lead),
            (10, "Sở Tư pháp", DutyRole::Lead),
            (11, "Hội Liên hiệp Phụ nữ tỉnh", DutyRole::Lead),
            (13, "Các cơ quan báo chí", DutyRole::Lead),
            (14, "Các cơ quan báo chí", DutyRole::Lead),
            (15, "Các cơ quan báo chí", DutyRole::Support),
        ]
    );
    assert_eq!(plan.duties[1].support, ["Sở Thông tin và Truyền thông"]);
    assert_eq!(plan.duties[2].deadline.as_deref(), Some("2021-06-30"));
    assert_eq!(
        plan.duties[3].support,
        ["Sở Nội vụ", "Sở Văn hóa, Thể thao và Du lịch"]
    );
    assert_eq!(plan.duties[3].deadline, None);
    assert_eq!(
        plan.duties[4].deadline_text.as_deref(),
        Some("thường xuyên")
    );
    assert_eq!(plan.duties[6].deadline.as_deref(), Some("2021-12-16"));
    let units: Vec<_> = plan
        .units
        .iter()
        .map(|u| (u.number.as_deref(), u.name.as_str()))
        .collect();
    assert_eq!(
        units,
        [
            (Some("1"), "Sở Y tế"),
            (None, "Sở Tư pháp"),
            (Some("3"), "Hội Liên hiệp Phụ nữ tỉnh"),
            (Some("4"), "Các cơ quan báo chí")
        ]
    );
    assert_eq!(codes(&plan), ["duty_without_unit", "invalid_date"]);
    assert!(plan.warnings[0].message.contains("Triển khai nghiêm túc"));
}

#[test]
fn task_list_with_lead_attributes() {
    let plan = parse(&format!(
        "{HEAD}I. NHIỆM VỤ CỤ THỂ\n\
         1. Tổ chức hội nghị quán triệt Nghị quyết\n\
         - Cơ quan chủ trì: Ban Tuyên giáo Tỉnh ủy.\n\
         - Cơ quan phối hợp: Văn phòng Tỉnh ủy, Ban Tổ chức Tỉnh ủy.\n\
         - Thời gian: Quý I/2021.\n\
         2. Xây dựng phóng sự chuyên đề\n\
         - Đơn vị chủ trì: Đài Phát thanh - Truyền hình tỉnh.\n\
         - Thời gian thực hiện: thường xuyên.\n"
    ));
    assert_eq!(plan.sections[0].role, SectionRole::Implementation);
    assert_eq!(plan.duties.len(), 2);
    let first = &plan.duties[0];
    assert_eq!(first.unit, "Ban Tuyên giáo Tỉnh ủy");
    assert_eq!(first.support, ["Văn phòng Tỉnh ủy", "Ban Tổ chức Tỉnh ủy"]);
    assert_eq!(first.deadline.as_deref(), Some("2021-03-31"));
    assert_eq!(first.text, "Tổ chức hội nghị quán triệt Nghị quyết");
    assert_eq!(plan.duties[1].unit, "Đài Phát thanh - Truyền hình tỉnh");
    assert_eq!(
        plan.duties[1].deadline_text.as_deref(),
        Some("thường xuyên")
    );
    assert!(plan.warnings.is_empty(), "{:#?}", plan.warnings);
}

#[test]
fn nested_numbering_and_letters() {
    let plan = parse(&format!(
        "{HEAD}I. NỘI DUNG\n1. Nội dung trọng tâm\n1.1. Về kinh tế\n1.1.1. Tăng trưởng.\n1.1.2. Đầu tư.\n1.2. Về xã hội\na) Y tế.\nb) Giáo dục.\n2. Nội dung thường xuyên\na) Quốc phòng.\nb) An ninh.\nc) Đối ngoại.\nđ) Biển đảo.\n"
    ));
    let themes: Vec<_> = plan
        .themes
        .iter()
        .map(|t| (t.number.as_str(), t.kind.as_str()))
        .collect();
    assert_eq!(
        themes,
        [
            ("1.1", "key"),
            ("1.2", "key"),
            ("2.a", "regular"),
            ("2.b", "regular"),
            ("2.c", "regular"),
            ("2.đ", "regular")
        ]
    );
    // Letters may skip "d": no gap warning for letters.
    assert!(plan.warnings.is_empty(), "{:#?}", plan.warnings);
}

#[test]
fn letterhead_on_one_line_and_impossible_date() {
    let plan = parse(
        "TỈNH ỦY QUẢNG NGÃI          ĐẢNG CỘNG SẢN VIỆT NAM\n*\nSố 12-KH/TU          Quảng Ngãi, ngày 31 tháng 02 năm 2021\nKẾ HOẠCH\ntuyên truyền năm 2021\nI. NỘI DUNG\n1. Một.\n",
    );
    assert_eq!(plan.issuer.as_deref(), Some("TỈNH ỦY QUẢNG NGÃI"));
    assert_eq!(plan.number.as_deref(), Some("12-KH/TU"));
    assert_eq!(plan.place.as_deref(), Some("Quảng Ngãi"));
    assert_eq!(plan.date, None);
    assert_eq!(plan.year, Some(2021));
    assert_eq!(codes(&plan), ["invalid_date"]);
    assert_eq!(plan.warnings[0].line, Some(3));
}

#[test]
fn title_on_the_kind_line_and_other_kinds() {
    let plan = parse(
        "CHƯƠNG TRÌNH HÀNH ĐỘNG thực hiện Nghị quyết năm 2024\nI. MỤC TIÊU\n1. Một.\nII. NHIỆM VỤ\n1. Hai.\n",
    );
    assert_eq!(plan.kind, "CHƯƠNG TRÌNH HÀNH ĐỘNG");
    assert_eq!(plan.title, "thực hiện Nghị quyết năm 2024");
    let report = parse("BÁO CÁO\nkết quả công tác tuyên truyền năm 2024\nI. KẾT QUẢ\n1. Một.\n");
    assert_eq!(report.kind, "BÁO CÁO");
    assert_eq!(report.sections[0].role, SectionRole::Other);
}

#[test]
fn sections_without_a_type_heading() {
    let plan = parse("I. MỤC ĐÍCH\n- Một.\nII. TỔ CHỨC THỰC HIỆN\n1. Sở Nội vụ: Làm.\n");
    assert_eq!(plan.kind, "");
    assert_eq!(codes(&plan), ["missing_kind"]);
    assert_eq!(plan.duties[0].unit, "Sở Nội vụ");
    assert_eq!(
        parse_text("Chỉ có một dòng.\nI. Một mục"),
        Err(ParseError::NotAPlan)
    );
}

#[test]
fn recipients_with_stray_lines_and_no_file_copy() {
    let plan = parse(&format!(
        "{HEAD}I. NỘI DUNG\n1. Một.\nNơi nhận:\n- Thường trực Tỉnh ủy (để báo cáo);\n- Như trên;\n-  Các sở, ngành\n   liên quan;\n\t\nGhi chú: gửi kèm bản điện tử\n\t\t\nKT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n[daky]\nLê Văn Tám\n"
    ));
    let names: Vec<_> = plan
        .recipients
        .iter()
        .map(|r| (r.name.as_str(), r.for_report))
        .collect();
    assert_eq!(
        names,
        [
            ("Thường trực Tỉnh ủy", true),
            ("Như trên", false),
            ("Các sở, ngành liên quan", false)
        ]
    );
    let sig = plan.signature.as_ref().unwrap();
    assert_eq!(
        (
            sig.authority.as_deref(),
            sig.role.as_deref(),
            sig.name.as_deref()
        ),
        (
            Some("KT. GIÁM ĐỐC"),
            Some("PHÓ GIÁM ĐỐC"),
            Some("Lê Văn Tám")
        )
    );
    assert_eq!(codes(&plan), ["no_file_copy"]);
}

#[test]
fn state_closing_paragraph_is_not_a_duty() {
    let plan = parse(&format!(
        "{HEAD}I. TỔ CHỨC THỰC HIỆN\n1. Sở Tài chính: Bố trí kinh phí.\nTrên đây là Kế hoạch tuyên truyền năm 2021 của Ủy ban nhân dân tỉnh./.\n"
    ));
    assert_eq!(plan.duties.len(), 1);
}

#[test]
fn enums_compare_with_their_json_spelling() {
    let plan = parse(&format!(
        "{HEAD}I. TỔ CHỨC THỰC HIỆN\n1. Sở Tài chính: Phối hợp với Sở Nội vụ bố trí kinh phí.\n"
    ));
    assert!(plan.duties[0].role == "support");
    assert!(plan.sections[0].role == "implementation");
    assert_eq!(plan.duties[0].role.to_string(), "support");
}
