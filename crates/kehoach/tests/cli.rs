//! The binary's subcommands, run as a user would run them.

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
