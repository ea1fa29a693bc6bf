//! The hand-written documents in fixtures/plans/: a People's Committee plan
//! (state style), a Party guidance document, a department plan with a
//! "PHÂN CÔNG NHIỆM VỤ" section, and a district plan whose assignments sit
//! under "Trách nhiệm thực hiện".

use kehoach_plan::{DutyRole, PlanDocument, SectionRole, ThemeKind, parse_bytes};

fn load(name: &str) -> PlanDocument {
    let path = format!("{}/../../fixtures/plans/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    parse_bytes(&bytes).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn duty(plan: &PlanDocument, line: usize) -> &kehoach_plan::Duty {
    plan.duties
        .iter()
        .find(|d| d.line == line)
        .unwrap_or_else(|| panic!("no duty at line {line}: {:#?}", plan.duties))
}

fn codes(plan: &PlanDocument) -> Vec<(&str, Option<usize>)> {
    plan.warnings
        .iter()
        .map(|w| (w.code.as_str(), w.line))
        .collect()
}

#[test]
fn peoples_committee_plan() {
    let plan = load("ubnd-159-chuyen-doi-so-2025.txt");
    assert_eq!(plan.kind, "KẾ HOẠCH");
    assert_eq!(plan.number.as_deref(), Some("159/KH-UBND"));
    assert_eq!(plan.issuer.as_deref(), Some("ỦY BAN NHÂN DÂN TỈNH PHÚ YÊN"));
    assert_eq!(plan.place.as_deref(), Some("Phú Yên"));
    assert_eq!(plan.date.as_deref(), Some("2025-05-16"));
    assert_eq!(
        plan.title,
        "Tuyên truyền về chuyển đổi số và phát triển chính quyền số trên địa bàn tỉnh năm 2025"
    );
    assert_eq!(plan.year, Some(2025));
    assert_eq!(plan.preamble.as_ref().map(|p| p.line), Some(10));
    let roles: Vec<_> = plan.sections.iter().map(|s| s.role).collect();
    assert_eq!(
        roles,
        [
            SectionRole::PurposesRequirements,
            SectionRole::Content,
            SectionRole::Forms,
            SectionRole::Implementation
        ]
    );
    assert_eq!((plan.purposes.len(), plan.requirements.len()), (2, 2));
    assert_eq!(plan.themes.len(), 5);
    assert_eq!(
        plan.themes
            .iter()
            .filter(|t| t.kind == ThemeKind::Key)
            .count(),
        3
    );
    let channels: Vec<_> = plan.channels.iter().map(|c| c.number.as_str()).collect();
    assert_eq!(channels, ["1", "1.a", "1.b", "2", "3"]);
    assert_eq!(plan.channels[1].parent.as_deref(), Some("1"));

    let units: Vec<_> = plan.units.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(
        units,
        [
            "Sở Thông tin và Truyền thông",
            "Sở Nội vụ",
            "Các sở, ban, ngành tỉnh",
            "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội tỉnh",
            "Ủy ban nhân dân các huyện, thị xã, thành phố",
            "Báo Phú Yên, Đài Phát thanh - Truyền hình Phú Yên",
            "Sở Tài chính",
        ]
    );
    assert_eq!(plan.duties.len(), 15);

    let lead = duty(&plan, 36);
    assert_eq!(
        lead.support,
        ["Sở Nội vụ", "Sở Văn hóa, Thể thao và Du lịch"]
    );
    assert_eq!(lead.deadline.as_deref(), Some("2025-12-15"));
    assert_eq!(lead.deadline_text.as_deref(), Some("trước ngày 15/12/2025"));
    let quarter = duty(&plan, 37);
    assert_eq!(
        (
            quarter.deadline.as_deref(),
            quarter.deadline_text.as_deref()
        ),
        (Some("2025-06-30"), Some("Quý II"))
    );
    assert_eq!(duty(&plan, 38).deadline.as_deref(), Some("2025-12-16"));

    let giao = duty(&plan, 39);
    assert_eq!(giao.unit, "Sở Nội vụ");
    assert_eq!(giao.role, DutyRole::Lead);
    assert_eq!(
        giao.support,
        ["Sở Thông tin và Truyền thông", "Trường Chính trị tỉnh"]
    );
    assert_eq!(giao.deadline.as_deref(), Some("2025-09-30"));

    assert_eq!(duty(&plan, 41).deadline.as_deref(), Some("2025-06-30"));
    let regular = duty(&plan, 42);
    assert_eq!(
        (
            regular.deadline.as_deref(),
            regular.deadline_text.as_deref()
        ),
        (None, Some("thường xuyên"))
    );
    let support = duty(&plan, 43);
    assert_eq!(support.role, DutyRole::Support);
    assert_eq!(support.support, ["Sở Thông tin và Truyền thông"]);
    assert_eq!(duty(&plan, 44).unit, plan.units[3].name);
    assert_eq!(
        plan.duties
            .iter()
            .filter(|d| d.unit == plan.units[4].name)
            .count(),
        5
    );
    assert_eq!(duty(&plan, 50).deadline.as_deref(), Some("2025-11-30"));
    assert_eq!(
        duty(&plan, 52).deadline_text.as_deref(),
        Some("Quý III năm 2025")
    );

    let refs: Vec<_> = plan
        .references
        .iter()
        .map(|r| (r.number.as_str(), r.doc_type.as_str()))
        .collect();
    assert_eq!(
        refs,
        [
            ("749/QĐ-TTg", "Quyết định"),
            ("57-NQ/TW", "Nghị quyết"),
            ("45/TTr-STTTT", "Tờ trình")
        ]
    );
    assert_eq!(
        plan.references[0].issuer.as_deref(),
        Some("Thủ tướng Chính phủ")
    );

    assert_eq!(plan.recipients.len(), 8);
    assert_eq!(plan.recipients.iter().filter(|r| r.for_report).count(), 2);
    assert_eq!(
        plan.recipients[3].name,
        "UBMTTQ Việt Nam tỉnh và các tổ chức chính trị - xã hội tỉnh"
    );
    assert!(plan.recipients[7].file_copy);
    let sig = plan.signature.as_ref().unwrap();
    assert_eq!(
        sig.authority.as_deref(),
        Some("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH")
    );
    assert_eq!(sig.role.as_deref(), Some("PHÓ CHỦ TỊCH"));
    assert_eq!(sig.name.as_deref(), Some("Nguyễn Thị Thanh Hà"));
    assert!(plan.warnings.is_empty(), "{:#?}", plan.warnings);
}

#[test]
fn party_guidance() {
    let plan = load("huong-dan-37-ky-niem-2025.txt");
    assert_eq!(plan.kind, "HƯỚNG DẪN");
    assert_eq!(plan.number.as_deref(), Some("37-HD/BTGDVTW"));
    assert_eq!(plan.issuer.as_deref(), Some("BAN TUYÊN GIÁO VÀ DÂN VẬN"));
    assert_eq!(
        (plan.place.as_deref(), plan.date.as_deref()),
        (Some("Hà Nội"), Some("2025-03-12"))
    );
    assert_eq!(
        plan.title,
        "tuyên truyền kỷ niệm 135 năm Ngày sinh Chủ tịch Hồ Chí Minh (19/5/1890 - 19/5/2025)"
    );
    // No "năm 2025" in the title: the year comes from the date.
    assert_eq!(plan.year, Some(2025));
    assert_eq!((plan.purposes.len(), plan.requirements.len()), (3, 2));
    // One level of numbering: regular themes without a group.
    assert_eq!(plan.themes.len(), 4);
    assert!(
        plan.themes
            .iter()
            .all(|t| t.kind == ThemeKind::Regular && t.group.is_none())
    );
    assert!(plan.theme_groups.is_empty());
    assert_eq!(plan.channels.len(), 5);

    let units: Vec<_> = plan.units.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(
        units,
        [
            "Ban tuyên giáo và dân vận các tỉnh ủy, thành ủy, đảng ủy trực thuộc Trung ương",
            "Các cơ quan báo chí Trung ương và địa phương",
            "Bộ Văn hóa, Thể thao và Du lịch",
            "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam và các tổ chức chính trị - xã hội",
            "Ban Tuyên giáo và Dân vận Trung ương",
        ]
    );
    assert_eq!(plan.duties.len(), 10);
    assert_eq!(duty(&plan, 31).deadline.as_deref(), Some("2025-05-30"));
    assert_eq!(duty(&plan, 33).deadline.as_deref(), Some("2025-05-31"));
    assert_eq!(duty(&plan, 34).deadline.as_deref(), Some("2025-06-30"));
    assert_eq!(
        duty(&plan, 35).unit,
        "Các cơ quan báo chí Trung ương và địa phương"
    );
    assert_eq!(
        duty(&plan, 37).support,
        ["Bộ Quốc phòng", "Ủy ban nhân dân các tỉnh, thành phố"]
    );
    let front = duty(&plan, 39);
    assert_eq!(front.role, DutyRole::Support);
    assert_eq!(front.support, ["Ban Tuyên giáo và Dân vận Trung ương"]);

    let refs: Vec<_> = plan.references.iter().map(|r| r.number.as_str()).collect();
    assert_eq!(refs, ["45-KL/TW", "05-CT/TW", "126-TB/TW"]);
    assert_eq!(plan.references[0].issuer.as_deref(), Some("Ban Bí thư"));
    assert_eq!(plan.recipients.len(), 5);
    assert_eq!(
        plan.recipients[0].name,
        "Các tỉnh ủy, thành ủy, đảng ủy trực thuộc Trung ương"
    );
    let sig = plan.signature.as_ref().unwrap();
    assert_eq!(
        (
            sig.authority.as_deref(),
            sig.role.as_deref(),
            sig.name.as_deref()
        ),
        (
            Some("K/T TRƯỞNG BAN"),
            Some("PHÓ TRƯỞNG BAN"),
            Some("Lại Xuân Môn")
        )
    );
    // 126-TB/TW is dated 20/3/2025, after the guidance itself (12/3/2025).
    assert_eq!(codes(&plan), [("reference_after_plan", Some(43))]);
    assert!(plan.warnings[0].message.contains("126-TB/TW"));
}

#[test]
fn department_plan_with_assignment_section() {
    let plan = load("so-tttt-85-phan-cong-2024.txt");
    assert_eq!(plan.number.as_deref(), Some("85/KH-STTTT"));
    assert_eq!(plan.issuer.as_deref(), Some("SỞ THÔNG TIN VÀ TRUYỀN THÔNG"));
    assert_eq!(plan.date.as_deref(), Some("2024-01-20"));
    assert_eq!(plan.sections[2].heading, "PHÂN CÔNG NHIỆM VỤ");
    assert_eq!(plan.sections[2].role, SectionRole::Implementation);
    assert_eq!(plan.sections[3].role, SectionRole::Other);
    // "1. Mục đích: ..." on one line.
    assert_eq!(plan.purposes[0].line, 13);
    assert!(plan.purposes[0].text.starts_with("Nâng cao nhận thức"));
    assert_eq!(plan.requirements[0].line, 14);
    // Themes from "1. Nội dung"; "2. Hình thức" gives channels instead.
    let themes: Vec<_> = plan.themes.iter().map(|t| t.number.as_str()).collect();
    assert_eq!(themes, ["1.1", "1.2", "1.4"]);
    let channels: Vec<_> = plan.channels.iter().map(|c| c.number.as_str()).collect();
    assert_eq!(channels, ["2.1", "2.2", "2.3"]);

    assert_eq!(plan.units.len(), 6);
    assert!(plan.units.iter().all(|u| u.number.is_none()));
    assert_eq!(plan.duties.len(), 8);
    assert_eq!(duty(&plan, 25).unit, "");
    let colon = duty(&plan, 26);
    assert_eq!(colon.unit, "Phòng Thông tin - Báo chí - Xuất bản");
    assert_eq!(
        colon.support,
        [
            "Văn phòng Sở",
            "Trung tâm Công nghệ thông tin và Truyền thông"
        ]
    );
    assert_eq!(colon.deadline.as_deref(), Some("2024-06-30"));
    let impossible = duty(&plan, 27);
    assert_eq!(
        impossible.unit,
        "Phòng Bưu chính, Viễn thông và Công nghệ thông tin"
    );
    assert_eq!(
        (
            impossible.deadline.as_deref(),
            impossible.deadline_text.as_deref()
        ),
        (None, Some("trước ngày 31/02/2024"))
    );
    let paragraph = duty(&plan, 28);
    assert_eq!(
        paragraph.unit,
        "Trung tâm Công nghệ thông tin và Truyền thông"
    );
    assert_eq!(paragraph.deadline_text.as_deref(), Some("thường xuyên"));
    // A paragraph with no unit continues the unit of the paragraph above.
    let follow = duty(&plan, 29);
    assert_eq!(
        (follow.unit.as_str(), follow.role),
        (
            "Trung tâm Công nghệ thông tin và Truyền thông",
            DutyRole::Support
        )
    );
    assert_eq!(follow.support, ["Đài Phát thanh - Truyền hình Phú Yên"]);
    assert_eq!(duty(&plan, 31).unit, "Thanh tra Sở");
    assert_eq!(duty(&plan, 31).deadline.as_deref(), Some("2024-12-10"));
    let request = duty(&plan, 32);
    assert_eq!(
        (request.unit.as_str(), request.role),
        (
            "Báo Phú Yên, Đài Phát thanh - Truyền hình Phú Yên",
            DutyRole::Support
        )
    );

    let refs: Vec<_> = plan
        .references
        .iter()
        .map(|r| (r.number.as_str(), r.issuer.as_deref()))
        .collect();
    assert_eq!(
        refs,
        [
            ("12/KH-UBND", Some("Ủy ban nhân dân tỉnh")),
            ("13/2023/NĐ-CP", Some("Chính phủ"))
        ]
    );
    let sig = plan.signature.as_ref().unwrap();
    assert_eq!(
        (
            sig.authority.as_deref(),
            sig.role.as_deref(),
            sig.name.as_deref()
        ),
        (None, Some("GIÁM ĐỐC"), Some("Phạm Minh Tuấn"))
    );
    assert_eq!(
        codes(&plan),
        [
            ("numbering_gap", Some(19)),
            ("duty_without_unit", Some(25)),
            ("invalid_date", Some(27))
        ]
    );
    assert!(plan.warnings[0].message.contains("1.3"));
    assert!(plan.warnings[2].message.contains("31/02/2024"));
}

#[test]
fn district_plan_with_responsibility_subheading() {
    let plan = load("huyen-uy-58-trach-nhiem-2023.txt");
    assert_eq!(plan.number.as_deref(), Some("58-KH/HU"));
    assert_eq!(plan.issuer.as_deref(), Some("HUYỆN ỦY TUY AN"));
    assert_eq!(
        (plan.place.as_deref(), plan.date.as_deref()),
        (Some("Tuy An"), Some("2023-01-05"))
    );
    assert_eq!(plan.year, Some(2023));
    assert_eq!(plan.sections.len(), 3);
    assert_eq!(plan.sections[1].role, SectionRole::Content);
    // Purposes without sub-headings.
    assert_eq!(plan.purposes.len(), 3);
    // "3. Giải pháp" and "4. Trách nhiệm thực hiện" are not themes.
    assert_eq!(plan.themes.len(), 6);
    assert_eq!(plan.theme_groups.len(), 2);

    let units: Vec<_> = plan
        .units
        .iter()
        .map(|u| (u.number.as_deref(), u.name.as_str()))
        .collect();
    assert_eq!(
        units,
        [
            (None, "Ban Tuyên giáo Huyện ủy"),
            (Some("4.b"), "Ủy ban nhân dân huyện"),
            (
                Some("4.c"),
                "Trung tâm Văn hóa - Thông tin và Thể thao huyện"
            ),
            (
                Some("4.d"),
                "Ủy ban Mặt trận Tổ quốc Việt Nam và các đoàn thể chính trị - xã hội huyện"
            ),
            (Some("4.đ"), "Các chi, đảng bộ trực thuộc"),
        ]
    );
    // A "Giao ..." sentence outside the assignment part still counts.
    let giao = duty(&plan, 26);
    assert_eq!(giao.unit, "Ban Tuyên giáo Huyện ủy");
    assert_eq!(
        giao.support,
        ["Trung tâm Văn hóa - Thông tin và Thể thao huyện"]
    );
    assert_eq!(duty(&plan, 28).deadline.as_deref(), Some("2023-12-15"));
    // Paragraph duties (no bullets) under "b) Ủy ban nhân dân huyện".
    assert_eq!(duty(&plan, 30).unit, "Ủy ban nhân dân huyện");
    assert_eq!(duty(&plan, 31).unit, "Ủy ban nhân dân huyện");
    assert_eq!(duty(&plan, 31).deadline.as_deref(), Some("2023-01-15"));
    assert_eq!(duty(&plan, 32).deadline.as_deref(), Some("2023-06-30"));
    assert_eq!(duty(&plan, 33).role, DutyRole::Support);
    assert_eq!(plan.duties.len(), 7);
    // "III. CHẾ ĐỘ THÔNG TIN, BÁO CÁO" assigns nothing explicitly.
    assert!(plan.duties.iter().all(|d| d.line < 35));

    assert_eq!(plan.recipients.len(), 5);
    assert!(plan.recipients[0].for_report && plan.recipients[1].for_report);
    let sig = plan.signature.as_ref().unwrap();
    assert_eq!(
        (sig.authority.as_deref(), sig.role.as_deref()),
        (Some("T/M BAN THƯỜNG VỤ"), Some("BÍ THƯ"))
    );
    assert_eq!(codes(&plan), [("no_file_copy", Some(43))]);
}

#[test]
fn every_fixture_parses_and_serialises() {
    let dir = format!("{}/../../fixtures/plans", env!("CARGO_MANIFEST_DIR"));
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let plan = parse_bytes(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            !plan.sections.is_empty() && !plan.duties.is_empty(),
            "{}",
            path.display()
        );
        serde_json::to_string(&plan).unwrap();
        seen += 1;
    }
    assert!(seen >= 5);
}
