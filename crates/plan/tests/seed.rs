//! The seed plan (fixtures/plans/plan-2021.txt): every extracted field.

use kehoach_plan::{DutyRole, PlanDocument, SectionRole, ThemeKind, parse_bytes};

const SEED: &[u8] = include_bytes!("../../../fixtures/plans/plan-2021.txt");

fn seed() -> PlanDocument {
    parse_bytes(SEED).expect("the seed parses")
}

#[test]
fn header() {
    let plan = seed();
    assert_eq!(plan.kind, "KẾ HOẠCH");
    assert_eq!(plan.number, None);
    assert_eq!(plan.issuer, None);
    assert_eq!((plan.place.as_deref(), plan.date.as_deref()), (None, None));
    assert_eq!(
        plan.title,
        "thông tin, tuyên truyền về công tác xây dựng Đảng, xây dựng hệ thống chính trị năm 2021"
    );
    assert_eq!(plan.year, Some(2021));
    let preamble = plan.preamble.expect("preamble");
    assert_eq!(preamble.line, 5);
    assert!(
        preamble
            .text
            .starts_with("Thực hiện Kế hoạch số 04-KH/BTCTW")
    );
}

#[test]
fn sections() {
    let plan = seed();
    let got: Vec<_> = plan
        .sections
        .iter()
        .map(|s| (s.number.as_str(), s.heading.as_str(), s.role, s.line))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "I",
                "MỤC ĐÍCH, YÊU CẦU",
                SectionRole::PurposesRequirements,
                6
            ),
            (
                "II",
                "NỘI DUNG TUYÊN TRUYỀN (có đề cương kèm theo)",
                SectionRole::Content,
                13
            ),
            ("III", "HÌNH THỨC TUYÊN TRUYỀN", SectionRole::Forms, 30),
            ("IV", "TỔ CHỨC THỰC HIỆN", SectionRole::Implementation, 41),
        ]
    );
    assert_eq!(plan.sections[3].role, "implementation");
}

#[test]
fn purposes_and_requirements() {
    let plan = seed();
    let lines: Vec<_> = plan.purposes.iter().map(|b| b.line).collect();
    assert_eq!(lines, vec![8, 9, 10]);
    assert!(plan.purposes[0].text.starts_with("Tuyên truyền sâu rộng"));
    assert_eq!(plan.requirements.len(), 1);
    assert_eq!(plan.requirements[0].line, 12);
    assert!(
        plan.requirements[0]
            .text
            .starts_with("Công tác tuyên truyền cần được tiến hành")
    );
}

#[test]
fn themes() {
    let plan = seed();
    assert_eq!(plan.themes.len(), 14);
    let key: Vec<_> = plan
        .themes
        .iter()
        .filter(|t| t.kind == ThemeKind::Key)
        .map(|t| t.number.as_str())
        .collect();
    assert_eq!(key, vec!["1.1", "1.2", "1.3", "1.4", "1.5"]);
    let regular: Vec<_> = plan
        .themes
        .iter()
        .filter(|t| t.kind == ThemeKind::Regular)
        .map(|t| t.number.as_str())
        .collect();
    assert_eq!(
        regular,
        vec![
            "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8", "2.9"
        ]
    );
    let last = plan.themes.last().unwrap();
    assert_eq!((last.line, last.group.as_deref()), (29, Some("2")));
    assert_eq!(
        last.text,
        "Việc nghiên cứu tổng kết thực tiễn, phát triển lý luận về xây dựng Đảng."
    );
    let groups: Vec<_> = plan
        .theme_groups
        .iter()
        .map(|g| (g.number.as_str(), g.kind, g.line))
        .collect();
    assert_eq!(
        groups,
        vec![("1", ThemeKind::Key, 14), ("2", ThemeKind::Regular, 20)]
    );
}

#[test]
fn channels() {
    let plan = seed();
    let got: Vec<_> = plan
        .channels
        .iter()
        .map(|c| (c.number.as_str(), c.parent.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("1", None),
            ("1.1", Some("1")),
            ("1.2", Some("1")),
            ("2", None),
            ("2.1", Some("2")),
            ("2.2", Some("2")),
            ("3", None),
            ("3.1", Some("3")),
            ("3.2", Some("3")),
            ("4", None),
        ]
    );
    assert!(plan.channels[7].text.contains("Búa liềm vàng"));
}

#[test]
fn units_and_duties() {
    let plan = seed();
    let units: Vec<_> = plan
        .units
        .iter()
        .map(|u| (u.number.as_deref(), u.name.as_str(), u.line))
        .collect();
    assert_eq!(
        units,
        vec![
            (Some("1"), "Ban Tuyên giáo Tỉnh ủy", 42),
            (Some("2"), "Ban Tổ chức Tỉnh ủy", 46),
            (
                Some("3"),
                "Các huyện, thị, thành ủy, đảng ủy trực thuộc Tỉnh ủy",
                47
            ),
            (Some("4"), "Sở Thông tin và Truyền thông", 50),
            (Some("5"), "Sở Văn hóa, Thể thao và Du lịch", 51),
            (
                Some("6"),
                "Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội tỉnh",
                52
            ),
            (Some("7"), "Các cơ quan báo chí của tỉnh", 56),
        ]
    );
    assert_eq!(plan.duties.len(), 15);
    let per_unit: Vec<usize> = plan
        .units
        .iter()
        .map(|u| plan.duties.iter().filter(|d| d.unit == u.name).count())
        .collect();
    assert_eq!(per_unit, vec![3, 1, 2, 1, 1, 3, 4]);

    let organisation = plan
        .duties
        .iter()
        .find(|d| d.unit == "Ban Tổ chức Tỉnh ủy")
        .unwrap();
    assert!(
        organisation
            .text
            .starts_with("Chủ động phối hợp, cung cấp thông tin")
    );
    assert_eq!(organisation.line, 46);

    let ict = plan
        .duties
        .iter()
        .find(|d| d.unit == "Sở Thông tin và Truyền thông")
        .unwrap();
    assert_eq!(ict.role, DutyRole::Lead);
    assert_eq!(ict.support, vec!["Hội Nhà báo tỉnh"]);
    assert!(
        ict.text
            .starts_with("Chủ trì, phối hợp với Hội Nhà báo tỉnh")
    );

    let indented = plan.duties.iter().find(|d| d.line == 54).unwrap();
    assert_eq!(
        indented.unit,
        "Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội tỉnh"
    );
    assert!(indented.text.starts_with("Vận động cán bộ, đoàn viên"));

    assert!(
        plan.duties
            .iter()
            .all(|d| d.deadline.is_none() && d.role == DutyRole::Lead)
    );
}

#[test]
fn references() {
    let plan = seed();
    let got: Vec<_> = plan
        .references
        .iter()
        .map(|r| {
            (
                r.number.as_str(),
                r.date.as_deref(),
                r.doc_type.as_str(),
                r.issuer.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "04-KH/BTCTW",
                Some("2021-03-22"),
                "Kế hoạch",
                Some("Ban Tổ chức Trung ương")
            ),
            (
                "35-NQ/TW",
                Some("2018-10-22"),
                "Nghị quyết",
                Some("Bộ Chính trị")
            ),
            (
                "111-KH/TU",
                Some("2019-06-27"),
                "Kế hoạch",
                Some("Ban Thường vụ Tỉnh ủy")
            ),
            ("05-CT/TW", None, "Chỉ thị", Some("Bộ Chính trị")),
            (
                "39-NQ/TW",
                Some("2015-04-17"),
                "Nghị quyết",
                Some("Bộ Chính trị")
            ),
            (
                "115-KH/TU",
                Some("2015-08-13"),
                "Kế hoạch",
                Some("Ban Thường vụ Tỉnh ủy")
            ),
            (
                "38-KL/TW",
                Some("2018-11-13"),
                "Kết luận",
                Some("Bộ Chính trị")
            ),
            (
                "28-CT/TW",
                Some("2019-01-21"),
                "Chỉ thị",
                Some("Ban Bí thư Trung ương Đảng")
            ),
            (
                "92-KH/TU",
                Some("2019-02-25"),
                "Kế hoạch",
                Some("Ban Thường vụ Tỉnh ủy")
            ),
        ]
    );
}

#[test]
fn recipients_and_signature() {
    let plan = seed();
    assert_eq!(plan.recipients.len(), 10);
    assert_eq!(plan.recipients.iter().filter(|r| r.for_report).count(), 2);
    let copies: Vec<_> = plan
        .recipients
        .iter()
        .filter(|r| r.file_copy)
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(copies, vec!["Lưu Văn phòng Tỉnh ủy"]);
    assert_eq!(plan.recipients[0].name, "Ban Tổ chức Trung ương");
    let joined = &plan.recipients[4];
    assert_eq!(
        joined.name,
        "Các huyện ủy, thị ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy"
    );
    assert_eq!(joined.line, 67);
    let sig = plan.signature.expect("signature");
    assert_eq!(sig.authority.as_deref(), Some("T/M BAN THƯỜNG VỤ"));
    assert_eq!(sig.role.as_deref(), Some("PHÓ BÍ THƯ"));
    assert_eq!(sig.name.as_deref(), Some("Cao Thị Hòa An"));
    assert_eq!(sig.line, 77);
}

#[test]
fn warnings() {
    let plan = seed();
    assert_eq!(plan.warnings.len(), 1, "{:#?}", plan.warnings);
    let w = &plan.warnings[0];
    assert_eq!((w.code.as_str(), w.line), ("year_out_of_range", Some(17)));
    assert!(w.message.contains("1945"));
    assert_eq!(
        w.message,
        "Năm 1945 ở mục 1.3 nằm xa ngoài thời kỳ của kế hoạch (2021)"
    );
}

#[test]
fn json_snapshot() {
    insta::assert_json_snapshot!("seed", seed());
}

#[test]
fn json_round_trip() {
    let plan = seed();
    let json = serde_json::to_string_pretty(&plan).unwrap();
    let back: PlanDocument = serde_json::from_str(&json).unwrap();
    assert_eq!(back, plan);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["references"][0]["type"], "Kế hoạch");
    assert_eq!(value["sections"][0]["role"], "purposes_requirements");
}
