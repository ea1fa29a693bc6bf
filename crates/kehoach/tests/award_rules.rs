//! Prize rules as the awards write them, through the real router: each
//! sub-council its own shortlist quota, the whole final council scoring
//! every finalist, a tier with a minimum score no work reaches, a tie on
//! every declared rule left to the council, the notices of a computation
//! kept for every later view and the minutes, and topic prizes beside the
//! main tiers.

mod common;

use axum::http::StatusCode;
use common::awards::*;
use common::{TestApp, document_xml};
use kehoach::awards::domain::EditionForm;

/// Saves the demo edition with the rules of this test.
async fn configure(app: &TestApp, office: &str) {
    let edition = kehoach::awards::repo::edition(&app.db, EDITION)
        .await
        .unwrap()
        .unwrap();
    let mut form = EditionForm::from_settings(&edition);
    form.tiers = "Giải Đặc biệt: 1 | 9,5\nGiải A: 1\nGiải B: 2".into();
    form.overflow = "drop".into();
    form.tie_policy = "council".into();
    form.tie_rules = String::new();
    form.final_judges = "all".into();
    form.shortlist = "top:5".into();
    form.shortlist_quotas = "bao-in: top:2".into();
    form.topic_prizes = "Biển đảo: 1 | finalists\nXây dựng Đảng: 2 | finalists".into();
    let res = save_edition(app, office, &form).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
}

#[tokio::test]
async fn the_national_rules_run_as_written() {
    let app = TestApp::demo().await;
    let office = app.coordinator().await;
    configure(&app, &office).await;
    add_judge(&app, &office, "gk-doclap", "Báo Thanh Niên").await;
    let entrant = app.login("tacgia", "vinh-xuan-dai-2021").await;
    let mut entries = Vec::new();
    for author in ["Lê Văn An", "Phạm Thị Bình", "Võ Minh Châu"] {
        let res = submit_as(
            &app,
            &entrant,
            &days_ago(3),
            Some(author),
            &[("a.pdf", PDF)],
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let id = app.scalar("SELECT MAX(id) FROM award_entries").await;
        accept(&app, &office, id).await;
        entries.push(id);
    }
    set_status(&app, &office, "judging").await;
    let prelim = round_id(&app, "preliminary").await;
    open_round(&app, &office, prelim).await;
    let judges = [
        app.login("giamkhao", "nui-da-bia-2021").await,
        app.login("gk-doclap", "matkhau-giamkhao").await,
    ];
    for (entry, mark) in entries.iter().zip(["9", "8", "7"]) {
        for judge in &judges {
            let res = score(&app, judge, prelim, *entry, mark).await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        }
    }
    close_sealed(&app, &office, prelim).await;

    // "bao-in: top:2" overrides the general top:5; every council member
    // judges every finalist.
    let final_round = round_id(&app, "final").await;
    open_round(&app, &office, final_round).await;
    let finalists = app
        .scalar("SELECT COUNT(*) FROM award_round_entries WHERE round_id = (SELECT id FROM award_rounds WHERE stage = 'final')")
        .await;
    assert_eq!(finalists, 2);
    let sheets = app
        .scalar("SELECT COUNT(*) FROM award_assignments WHERE round_id = (SELECT id FROM award_rounds WHERE stage = 'final')")
        .await;
    assert_eq!(sheets, 4, "the whole council scores every finalist");

    // Two finalists equal on every rule (no tie rules), both under 9.5.
    for entry in &entries[..2] {
        for judge in &judges {
            score(&app, judge, final_round, *entry, "9").await;
        }
    }
    close_sealed(&app, &office, final_round).await;
    let res = compute(&app, &office).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

    // The notices survive a reload and reach the minutes.
    for _ in 0..2 {
        let page = app
            .get(&format!("/awards/{EDITION}/results"), Some(&office))
            .await;
        assert!(
            page.body
                .contains("Giải Đặc biệt: không tác phẩm nào đạt điểm tối thiểu"),
            "{}",
            page.body
        );
        assert!(
            page.body.contains("Đồng điểm ở ranh giới giải"),
            "{}",
            page.body
        );
    }
    assert_eq!(
        app.scalar_bind(
            "SELECT COUNT(*) FROM award_prizes WHERE computed_tier = $1",
            "Giải Đặc biệt"
        )
        .await,
        0
    );
    let minutes = app
        .get(
            &format!("/awards/{EDITION}/export/minutes.docx"),
            Some(&office),
        )
        .await;
    assert_eq!(minutes.status, StatusCode::OK);
    let xml = document_xml(&minutes.bytes);
    assert!(
        xml.contains("không tác phẩm nào đạt điểm tối thiểu"),
        "{xml}"
    );
    assert!(xml.contains("HMAC-SHA-256, khóa"), "{xml}");

    // Topic prizes, within their quota and to finalists only.
    let code = |id: i64| {
        let app = &app;
        async move {
            let e = kehoach::awards::repo::entry(&app.db, id)
                .await
                .unwrap()
                .unwrap();
            e.code
        }
    };
    let give = async |topic: &str, code: &str| {
        app.post(
            &format!("/awards/{EDITION}/topics"),
            Some(&office),
            &[("topic", topic), ("code", code), ("action", "give")],
        )
        .await
        .status
    };
    let (first, second, third) = (
        code(entries[0]).await,
        code(entries[1]).await,
        code(entries[2]).await,
    );
    assert_eq!(give("Biển đảo", &first).await, StatusCode::SEE_OTHER);
    assert_eq!(
        give("Biển đảo", &second).await,
        StatusCode::BAD_REQUEST,
        "over the quota"
    );
    assert_eq!(
        give("Xây dựng Đảng", &third).await,
        StatusCode::BAD_REQUEST,
        "not a finalist"
    );
    assert_eq!(
        give("Xây dựng Đảng", &first).await,
        StatusCode::SEE_OTHER,
        "beside another"
    );
    let page = app
        .get(&format!("/awards/{EDITION}/results"), Some(&office))
        .await;
    assert!(page.body.contains("Biển đảo (1/1)"), "{}", page.body);
    let decision = app
        .get(
            &format!("/awards/{EDITION}/export/decision.docx"),
            Some(&office),
        )
        .await;
    let xml = document_xml(&decision.bytes);
    assert!(
        xml.contains("Trao giải chủ đề") && xml.contains("Biển đảo"),
        "{xml}"
    );
    tier_decisions(&app, &office, entries[0]).await;
}

/// The council decides a tier is not awarded (with a reason, only while no
/// work holds it), and the tiers change after sealing: both reach the
/// papers.
async fn tier_decisions(app: &TestApp, office: &str, entry: i64) {
    let tiers = format!("/awards/{EDITION}/tiers");
    let decide = async |tier: &str, reason: &str| {
        app.post(
            &tiers,
            Some(office),
            &[
                ("tier", tier),
                ("reason", reason),
                ("action", "not-awarded"),
            ],
        )
        .await
    };
    let res = decide("Giải Đặc biệt", " ").await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(res.body.contains("lý do"), "{}", res.body);
    let res = decide("Giải Đặc biệt", "Không tác phẩm nào xứng đáng").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let give = async |tier: &str| {
        app.post(
            &format!("/awards/{EDITION}/results/{entry}"),
            Some(office),
            &[("tier", tier), ("reason", "Hội đồng biểu quyết")],
        )
        .await
        .status
    };
    assert_eq!(give("Giải Đặc biệt").await, StatusCode::BAD_REQUEST);
    assert_eq!(give("Giải A").await, StatusCode::SEE_OTHER);
    let res = decide("Giải A", "Không đạt").await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "a work holds it");
    assert!(res.body.contains("Còn tác phẩm"), "{}", res.body);

    // A recompute keeps the decision and the council's change.
    assert_eq!(compute(app, office).await.status, StatusCode::SEE_OTHER);
    let page = app
        .get(&format!("/awards/{EDITION}/results"), Some(office))
        .await;
    assert!(
        page.body
            .contains("Không trao (Không tác phẩm nào xứng đáng)"),
        "{}",
        page.body
    );

    // Tiers may change until publication; the minutes list the change.
    let edition = kehoach::awards::repo::edition(&app.db, EDITION)
        .await
        .unwrap()
        .unwrap();
    let mut form = EditionForm::from_settings(&edition);
    form.tiers = "Giải Đặc biệt: 1 | 9,5\nGiải A: 1\nGiải B: 2\nGiải Khuyến khích: 3".into();
    let res = save_edition(app, office, &form).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let minutes = app
        .get(
            &format!("/awards/{EDITION}/export/minutes.docx"),
            Some(office),
        )
        .await;
    let xml = document_xml(&minutes.bytes);
    assert!(
        xml.contains("Giải Đặc biệt: không trao. Lý do: Không tác phẩm nào xứng đáng"),
        "{xml}"
    );
    assert!(
        xml.contains("điều chỉnh sau khi niêm phong") && xml.contains("Giải Khuyến khích: 3"),
        "{xml}"
    );
    let decision = app
        .get(
            &format!("/awards/{EDITION}/export/decision.docx"),
            Some(office),
        )
        .await;
    assert!(document_xml(&decision.bytes).contains("Giải Đặc biệt: không trao"));
}
