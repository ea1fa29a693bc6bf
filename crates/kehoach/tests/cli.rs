//! The binary's subcommands, run as a user would run them.

mod common;

use std::process::{Command, Output};

fn kehoach(data: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kehoach"))
        .args(args)
        .env("KEHOACH_DATA_DIR", data)
        .env_remove("DATABASE_URL")
        .env("KEHOACH_PASSWORD", "mat-khau-du-dai")
        .output()
        .expect("run kehoach")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../fixtures/plans/plan-2021.txt"
);
const UNITS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../fixtures/units/phu-yen.csv"
);

#[test]
fn plan_parse_prints_the_json_contract_without_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let out = kehoach(dir.path(), &["plan", "parse", SEED, "--json"]);
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["themes"].as_array().unwrap().len(), 14);
    assert_eq!(json["duties"].as_array().unwrap().len(), 15);
    assert_eq!(json["signature"]["name"], "Cao Thị Hòa An");
    assert!(
        !dir.path().join("kehoach.db").exists(),
        "parse must not touch a database"
    );
}

#[test]
fn bad_files_fail_with_a_vietnamese_message() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("rong.txt");
    std::fs::write(&empty, b"").unwrap();
    let out = kehoach(dir.path(), &["plan", "parse", empty.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Tệp rỗng"));
}

#[test]
fn units_plans_and_users_are_loaded_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = kehoach(dir.path(), &["db", "migrate"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = kehoach(dir.path(), &["unit", "import", UNITS]);
    assert!(
        stdout(&out).contains("Đã nạp 34 đơn vị"),
        "{}",
        stdout(&out)
    );
    let out = kehoach(dir.path(), &["plan", "import", SEED, "--publish"]);
    assert!(
        stdout(&out).contains("Đã nhập và ban hành kế hoạch #1"),
        "{}",
        stdout(&out)
    );
    let out = kehoach(
        dir.path(),
        &[
            "user",
            "add",
            "bao",
            "--name",
            "Báo Phú Yên",
            "--role",
            "member",
            "--unit",
            "Báo Phú Yên",
        ],
    );
    assert!(
        stdout(&out).contains("Đã tạo tài khoản bao"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = kehoach(
        dir.path(),
        &["user", "add", "x", "--name", "X", "--unit", "Không có"],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("không tìm thấy đơn vị"));
}

/// A sealed preliminary round with one score, written through the same
/// functions the pages use, in the SQLite file the binary then opens.
async fn sealed_round(dir: &std::path::Path) -> i64 {
    use kehoach::awards::states::{EditionStatus, EntryStatus};
    use kehoach::awards::{domain, repo, rounds};
    let url = format!("sqlite://{}", dir.join("kehoach.db").display());
    let db = kehoach::db::Db::open(&url, 2).await.unwrap();
    kehoach::demo::load(&db).await.unwrap();
    let id_of = |name: &'static str| {
        sqlx::query_scalar::<_, i64>("SELECT id FROM users WHERE username = $1")
            .bind(name)
            .fetch_one(&db.pool)
    };
    let (entrant, judge, office) = (
        id_of("tacgia").await.unwrap(),
        id_of("giamkhao").await.unwrap(),
        id_of("dieuphoi").await.unwrap(),
    );
    let entry = domain::NewEntry {
        category: "bao-in".into(),
        title: "Bí thư chi bộ bản".into(),
        authors: vec![domain::Author {
            real_name: "Trần Thị Hoa".into(),
            pen_name: String::new(),
        }],
        outlet: "Báo Phú Yên".into(),
        published_on: kehoach::web::dates::today_iso(),
        link: String::new(),
        summary: String::new(),
        series_parts: 1,
        locality: String::new(),
    };
    let entry = repo::save_entry(&db, entrant, 1, None, &entry, &[], &[], 2)
        .await
        .unwrap();
    repo::set_intake(&db, office, entry, EntryStatus::Accepted, "")
        .await
        .unwrap();
    repo::set_status(&db, office, 1, EditionStatus::Judging)
        .await
        .unwrap();
    let edition = repo::edition(&db, 1).await.unwrap().unwrap();
    let round = repo::rounds(&db, 1).await.unwrap().remove(0);
    // The key the binary finds in the same data folder.
    let settings = kehoach::config::Settings {
        data_dir: dir.to_owned(),
        ..Default::default()
    };
    let key = kehoach::awards::seal_key::load(&settings).unwrap();
    rounds::open_round(&db, &key, office, &edition, &round)
        .await
        .unwrap();
    let marks = vec![
        ("noi-dung".to_owned(), 8),
        ("hinh-thuc".to_owned(), 7),
        ("tac-dong".to_owned(), 9),
    ];
    let payload = kehoach_award::canonical_payload(&marks, "");
    let total = kehoach_award::to_milli(kehoach_award::weighted(
        &kehoach_award::ScoreSheet {
            entry,
            judge,
            marks: marks.clone(),
        },
        &edition.criteria(),
    ));
    let sheet = repo::Sheet {
        marks: &marks,
        comment: "",
        total_milli: total,
        payload: &payload,
    };
    repo::save_score(&db, &key, round.id, entry, judge, sheet)
        .await
        .unwrap();
    repo::close_round(
        &db,
        &key,
        office,
        round.id,
        &edition.criteria(),
        &edition.outcome(),
    )
    .await
    .unwrap();
    db.pool.close().await;
    round.id
}

#[tokio::test]
async fn award_verify_passes_a_sealed_round_and_names_a_tampered_one() {
    let dir = tempfile::tempdir().unwrap();
    let round = sealed_round(dir.path()).await;
    let out = kehoach(dir.path(), &["award", "verify"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout(&out).contains(&format!("vòng {round}")));
    assert!(stdout(&out).contains("khớp"));

    let url = format!("sqlite://{}", dir.path().join("kehoach.db").display());
    let db = kehoach::db::Db::open(&url, 1).await.unwrap();
    sqlx::query("UPDATE award_score_log SET payload = REPLACE(payload, '8', '9')")
        .execute(&db.pool)
        .await
        .unwrap();
    db.pool.close().await;
    let out = kehoach(
        dir.path(),
        &["award", "verify", "--round", &round.to_string()],
    );
    assert!(!out.status.success());
    assert!(stdout(&out).contains("SAI"), "{}", stdout(&out));
}

#[tokio::test]
async fn award_verify_checks_the_seals_printed_in_the_minutes() {
    let dir = tempfile::tempdir().unwrap();
    let round = sealed_round(dir.path()).await;
    let url = format!("sqlite://{}", dir.path().join("kehoach.db").display());
    let db = kehoach::db::Db::open(&url, 1).await.unwrap();
    let seal: String = sqlx::query_scalar("SELECT seal FROM award_rounds WHERE id = $1")
        .bind(round)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    db.pool.close().await;
    let minutes = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, common::docx(text)).unwrap();
        path.display().to_string()
    };
    let good = minutes(
        "bien-ban.docx",
        &format!("Vòng Sơ khảo kết thúc; dấu niêm phong điểm (HMAC-SHA-256): {seal}"),
    );
    let out = kehoach(dir.path(), &["award", "verify", "--minutes", &good]);
    assert!(
        out.status.success(),
        "{}{}",
        stdout(&out),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout(&out).contains(&format!("khớp vòng {round}")),
        "{}",
        stdout(&out)
    );
    let forged = minutes(
        "gia.docx",
        &format!("dấu niêm phong điểm: {}", "ab".repeat(32)),
    );
    let out = kehoach(dir.path(), &["award", "verify", "--minutes", &forged]);
    assert!(!out.status.success());
    assert!(
        stdout(&out).contains("không khớp vòng nào"),
        "{}",
        stdout(&out)
    );
    let empty = minutes("trong.docx", "Biên bản không ghi dấu niêm phong.");
    let out = kehoach(dir.path(), &["award", "verify", "--minutes", &empty]);
    assert!(!out.status.success());
    assert!(
        stdout(&out).contains("không có dấu niêm phong"),
        "{}",
        stdout(&out)
    );
}
