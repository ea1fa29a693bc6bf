//! The demo data a first run loads: the seed province's unit
//! directory, three accounts and the seed plan, published.

use crate::accounts::{domain::NewUser, repo as accounts};
use crate::db::Db;
use crate::session::password;
use crate::units::matching::Target;
use crate::units::{csv_import, repo as units};

pub const SEED_PLAN: &[u8] = include_bytes!("../../../fixtures/plans/plan-2021.txt");
pub const SEED_UNITS: &[u8] = include_bytes!("../../../fixtures/units/phu-yen.csv");

/// The demo log-ins, printed at start-up: user name, password, role, units.
pub const DEMO_USERS: &[(&str, &str, &str, &str, &[&str])] = &[
    ("quantri", "hoa-mai-2021", "Quản trị hệ thống", "admin", &[]),
    (
        "dieuphoi",
        "song-da-rang-2021",
        "Chuyên viên Ban Tuyên giáo",
        "coordinator",
        &["Ban Tuyên giáo Tỉnh ủy"],
    ),
    (
        "donvi",
        "ganh-da-dia-2021",
        "Cán bộ đơn vị",
        "member",
        &[
            "Báo Phú Yên",
            "Đài Phát thanh - Truyền hình tỉnh",
            "Huyện ủy Tuy An",
        ],
    ),
    (
        "giamkhao",
        "nui-da-bia-2021",
        "Giám khảo Lê Văn Bình",
        "judge",
        &[],
    ),
    (
        "tacgia",
        "vinh-xuan-dai-2021",
        "Nhà báo Trần Thị Hoa",
        "entrant",
        &[],
    ),
];

/// Creates an account; unit names are matched like plan text.
pub async fn add_user(
    db: &Db,
    username: &str,
    display_name: &str,
    pass: &str,
    role: &str,
    unit_names: &[impl AsRef<str>],
    email: &str,
) -> anyhow::Result<i64> {
    let dir = units::directory(db).await?;
    let mut unit_ids = Vec::new();
    for name in unit_names {
        match dir.find(name.as_ref()) {
            Some(Target::Unit(id)) => unit_ids.push(id),
            _ => anyhow::bail!("không tìm thấy đơn vị \"{}\" trong danh mục", name.as_ref()),
        }
    }
    let user = NewUser::parse(username, display_name, pass, role, unit_ids, email)
        .map_err(|key| anyhow::anyhow!(crate::web::Tr::default().t(key)))?;
    if accounts::username_taken(db, user.username.as_str()).await? {
        anyhow::bail!("tên đăng nhập \"{}\" đã có", user.username.as_str());
    }
    let hash = password::hash(user.password.as_str().to_owned()).await?;
    Ok(accounts::insert(db, None, &user, &hash).await?)
}

/// Loads the demo into an empty database; a database with accounts is left alone.
pub async fn load(db: &Db) -> anyhow::Result<bool> {
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&db.pool)
        .await?;
    if users > 0 {
        return Ok(false);
    }
    let rows = csv_import::parse(SEED_UNITS)
        .map_err(|e| anyhow::anyhow!(csv_import::ImportError::Rows(e)))?;
    csv_import::store(db, None, &rows).await?;
    for (username, pass, name, role, units) in DEMO_USERS {
        add_user(db, username, name, pass, role, units, "").await?;
    }
    let plan_id = crate::plans::import_bytes(db, None, "plan-2021.txt", SEED_PLAN).await?;
    let admin: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = 'quantri'")
        .fetch_one(&db.pool)
        .await?;
    crate::plans::repo::publish(db, Some(admin), plan_id).await?;
    crate::contests::loadgen::demo_contest(db, admin).await?;
    crate::contests::demo::demo_final_contest(db, admin).await?;
    demo_award(db, admin).await?;
    Ok(true)
}

/// The provincial press award taking entries, the demo judge seated on
/// every sub-council and the final council.
async fn demo_award(db: &Db, admin: i64) -> anyhow::Result<()> {
    use crate::awards::{domain, repo};
    let settings = domain::default_form(crate::web::dates::today())
        .parse()
        .map_err(|k| anyhow::anyhow!(k))?;
    let id = repo::save_edition(db, admin, None, &settings, None).await?;
    repo::set_status(db, admin, id, crate::awards::states::EditionStatus::Open).await?;
    let judge: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = 'giamkhao'")
        .fetch_one(&db.pool)
        .await?;
    let categories: Vec<String> = settings.categories.iter().map(|c| c.key.clone()).collect();
    let seat = repo::Seat {
        categories: &categories,
        outlet: "",
        final_council: true,
        declared: &[],
    };
    repo::update_seat(db, admin, id, judge, &seat).await?;
    Ok(())
}
