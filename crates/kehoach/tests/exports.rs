//! The period's exports, read back: the .docx report's XML, the .xlsx
//! workbook's numbers, and the command line that writes them.

mod common;

use axum::http::StatusCode;
use common::{TestApp, document_xml};

async fn period_with_activities(app: &TestApp) -> (String, i64) {
    let coordinator = app.coordinator().await;
    app.first_quarter(&coordinator).await;
    let member = app.member().await;
    let csv = "unit,kind,title,date_from,date_to,link,items,participants,reach,themes,channel\n\
               Báo Phú Yên,article,Chuyên mục số 1,05/03/2021,,,3,,15000,1.1,1.1\n\
               Đài PT-TH tỉnh,broadcast,Tọa đàm,12/03/2021,,,1,6,20000,1.4,1.2\n";
    let res = app
        .upload(
            "/activities/import?plan=1",
            &member,
            "a.csv",
            csv.as_bytes(),
        )
        .await;
    assert!(res.body.contains("Đã nhập 2 hoạt động."), "{}", res.body);
    (coordinator, app.scalar("SELECT id FROM periods").await)
}

#[tokio::test]
async fn the_summary_report_is_a_party_format_docx_with_the_edited_text() {
    let app = TestApp::demo().await;
    let (coordinator, period) = period_with_activities(&app).await;
    let form = app
        .get(&format!("/periods/{period}/export"), Some(&coordinator))
        .await;
    assert!(
        form.body.contains("ghi nhận 2 hoạt động"),
        "the draft is pre-filled"
    );
    let body = "I. KẾT QUẢ THỰC HIỆN\n- Đã ghi nhận 2 hoạt động, 35.000 lượt tiếp cận.\nII. HẠN CHẾ, KHÓ KHĂN\nMột số đơn vị báo cáo chậm.";
    let res = app
        .post(
            &format!("/periods/{period}/export.docx"),
            Some(&coordinator),
            &[
                ("issuer", "TỈNH ỦY PHÚ YÊN"),
                ("number", "Số 25-BC/TU"),
                ("place", "Tuy Hòa"),
                ("date", "05/04/2021"),
                ("body", body),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(
        res.headers["content-type"]
            .to_str()
            .unwrap()
            .contains("wordprocessingml")
    );
    let xml = document_xml(&res.bytes);
    quick_xml_is_well_formed(&xml);
    for text in [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "TỈNH ỦY PHÚ YÊN",
        "Số 25-BC/TU",
        "Tuy Hòa, ngày 05 tháng 04 năm 2021",
        "BÁO CÁO",
        "35.000 lượt tiếp cận",
        "Nơi nhận:",
        "Ban Tổ chức Trung ương (b/c)",
        "Lưu Văn phòng Tỉnh ủy",
        "T/M BAN THƯỜNG VỤ",
        "Cao Thị Hòa An",
    ] {
        assert!(xml.contains(text), "report lacks {text}");
    }
    assert!(xml.contains("Times New Roman"));

    let bad = app
        .post(
            &format!("/periods/{period}/export.docx"),
            Some(&coordinator),
            &[
                ("issuer", "X"),
                ("number", ""),
                ("place", ""),
                ("date", "31/02/2021"),
                ("body", "x"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let member = app.member().await;
    assert_eq!(
        app.get(&format!("/periods/{period}/export.xlsx"), Some(&member))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

/// The report's document.xml, one paragraph a line, stays as reviewed: the
/// Party format's layout (letterhead, numbering, signature, recipients) is
/// what a change to the writer or the summary would silently move. The
/// issue date is the only date in the document; it is redacted, and so are
/// paragraph ids, which the writer numbers across the whole process.
#[tokio::test]
async fn the_summary_report_document_matches_its_snapshot() {
    let app = TestApp::demo().await;
    let (coordinator, period) = period_with_activities(&app).await;
    let body = "I. KẾT QUẢ THỰC HIỆN\n1. Số liệu chung\n- Đã ghi nhận 2 hoạt động, 35.000 lượt tiếp cận.\n+ Báo Phú Yên: 1 hoạt động.\nII. HẠN CHẾ, KHÓ KHĂN\nMột số đơn vị báo cáo chậm.\nIII. KIẾN NGHỊ, ĐỀ XUẤT";
    let res = app
        .post(
            &format!("/periods/{period}/export.docx"),
            Some(&coordinator),
            &[
                ("issuer", "TỈNH ỦY PHÚ YÊN"),
                ("number", "Số 25-BC/TU"),
                ("place", "Tuy Hòa"),
                ("date", "05/04/2021"),
                ("body", body),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let xml = document_xml(&res.bytes);
    let issued = "ngày 05 tháng 04 năm 2021";
    assert!(
        xml.contains(issued),
        "the issue date is where it is redacted"
    );
    let readable = without_paragraph_ids(&xml)
        .replace(issued, "ngày [dd] tháng [mm] năm [yyyy]")
        .replace("<w:p>", "\n<w:p>")
        .replace("<w:p ", "\n<w:p ");
    insta::assert_snapshot!(readable);
}

/// `w14:paraId="0000002A"` → `w14:paraId="[id]"`.
fn without_paragraph_ids(xml: &str) -> String {
    const ATTR: &str = "w14:paraId=\"";
    let mut parts = xml.split(ATTR);
    let mut out = parts.next().unwrap_or_default().to_owned();
    for part in parts {
        let rest = part.split_once('"').map_or("", |(_, rest)| rest);
        out.push_str(ATTR);
        out.push_str("[id]\"");
        out.push_str(rest);
    }
    out
}

/// Fails the test on malformed XML without pulling in an XML parser: the
/// zip's document must at least balance its body and paragraphs.
fn quick_xml_is_well_formed(xml: &str) {
    assert!(xml.starts_with("<?xml"));
    assert_eq!(xml.matches("<w:body>").count(), 1);
    assert_eq!(
        xml.matches("<w:p>").count() + xml.matches("<w:p ").count(),
        xml.matches("</w:p>").count()
    );
}

#[tokio::test]
async fn the_workbook_rereads_with_the_same_numbers() {
    use calamine::Reader;
    let app = TestApp::demo().await;
    let (coordinator, period) = period_with_activities(&app).await;
    let res = app
        .get(
            &format!("/periods/{period}/export.xlsx"),
            Some(&coordinator),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(res.bytes)).unwrap();
    let names = book.sheet_names();
    assert_eq!(
        names,
        [
            "Theo đơn vị",
            "Theo loại hoạt động",
            "Theo nội dung",
            "Theo hình thức",
            "Danh sách hoạt động"
        ]
    );
    let units = book.worksheet_range("Theo đơn vị").unwrap();
    let bao = units.rows().find(|r| r[0] == "Báo Phú Yên").unwrap();
    assert_eq!(bao[1].to_string(), "1");
    assert_eq!(bao[4].to_string(), "15000");
    let list = book.worksheet_range("Danh sách hoạt động").unwrap();
    assert_eq!(list.rows().count(), 3, "header and two activities");
}

#[test]
fn the_command_line_writes_both_exports() {
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let url = format!("sqlite://{}", dir.path().join("kehoach.db").display());
        let db = kehoach::db::Db::open(&url, 2).await.unwrap();
        kehoach::demo::load(&db).await.unwrap();
        let p = kehoach::tracking::domain::NewPeriod::parse(
            "quarterly",
            "Quý I",
            "01/01/2021",
            "31/03/2021",
            "05/04/2021",
        )
        .unwrap();
        kehoach::tracking::repo::insert_period(&db, None, 1, &p)
            .await
            .unwrap();
    });
    for format in ["docx", "xlsx"] {
        let out = dir.path().join(format!("bao-cao.{format}"));
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_kehoach"))
            .args([
                "report", "export", "--plan", "1", "--period", "1", "--format", format, "--out",
            ])
            .arg(&out)
            .env("KEHOACH_DATA_DIR", dir.path())
            .env_remove("DATABASE_URL")
            .status()
            .unwrap();
        assert!(status.success());
        assert_eq!(&std::fs::read(&out).unwrap()[..2], b"PK");
    }
}
