//! Bulk import of activities from a spreadsheet (.xlsx or .csv; the same columns as
//! the downloadable template). Every row is checked and every problem
//! reported with its row number; a file with any bad row stores nothing.

use std::collections::{HashMap, HashSet};

use axum::extract::{Multipart, Query};
use axum::response::Response;

use super::activities::{ListQuery, kind_label, list_page};
use super::columns::Column;
use super::domain::{ActivityInput, ActivityKind, NewActivity};
use super::may_act_for;
use super::repo::{self, ActivityKey};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::units::matching::Target;
use crate::units::repo as units;
use crate::web::{Ctx, SessionUser, Tr};

const MAX_BYTES: usize = 5 * 1024 * 1024;
const MAX_ROWS: usize = 5000;

/// The template: the header, then an example row in the user's language.
pub async fn template(ctx: Ctx) -> AppResult<Response> {
    ctx.user()?;
    let example = [
        "Báo Phú Yên",
        &kind_label(ctx.tr, ActivityKind::Article),
        "Chuyên mục Xây dựng Đảng số 1",
        "05/03/2021",
        "",
        "https://baophuyen.vn/",
        "1",
        "",
        "15000",
        "1.1;2.1",
        "1.1",
    ];
    crate::web::download::csv_template("mau-hoat-dong.csv", Column::ALL.map(Column::name), example)
}

/// A table as read from the upload (.xlsx or .csv): header and numbered rows.
pub use kehoach_office::Table;

fn read(bytes: &[u8]) -> Result<Table, String> {
    kehoach_office::read_table(bytes, MAX_BYTES, MAX_ROWS).map_err(|e| e.to_string())
}

/// Checks every row against the plan and the user's units.
pub async fn check(
    db: &Db,
    tr: Tr,
    user: &SessionUser,
    plan_id: i64,
    table: &Table,
) -> Result<Vec<NewActivity>, Vec<String>> {
    let expected = Column::names(&Column::ALL);
    if table.header != expected {
        return Err(vec![format!(
            "Dòng 1: các cột phải là: {}",
            expected.join(",")
        )]);
    }
    if table.rows.is_empty() {
        return Err(vec!["Tệp không có dòng dữ liệu nào.".into()]);
    }
    let lookups = match Lookups::load(db, plan_id).await {
        Ok(l) => l,
        Err(e) => return Err(vec![format!("Lỗi hệ thống: {e}")]),
    };
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for row in &table.rows {
        let line = row.line;
        match lookups.row(tr, user, plan_id, &row.cells) {
            Err(msg) => errors.push(format!("Dòng {line}: {msg}")),
            Ok(a) => {
                let key = ActivityKey {
                    unit_id: a.unit_id,
                    kind: a.kind,
                    folded_title: kehoach_plan::fold(&a.title),
                    date_from: a.date_from.clone(),
                };
                if lookups.existing.contains(&key) {
                    errors.push(format!(
                        "Dòng {line}: hoạt động này đã được ghi nhận trước đây."
                    ));
                } else if !seen.insert(key) {
                    errors.push(format!("Dòng {line}: trùng với một dòng phía trên."));
                } else {
                    out.push(a);
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

struct Lookups {
    dir: crate::units::matching::Directory,
    themes: HashMap<String, i64>,
    channels: HashMap<String, i64>,
    existing: HashSet<ActivityKey>,
}

impl Lookups {
    async fn load(db: &Db, plan_id: i64) -> Result<Self, sqlx::Error> {
        Ok(Self {
            dir: units::directory(db).await?,
            themes: repo::theme_numbers(db, plan_id).await?,
            channels: repo::channel_numbers(db, plan_id).await?,
            existing: repo::activity_keys(db, plan_id)
                .await?
                .into_iter()
                .collect(),
        })
    }

    fn row(
        &self,
        tr: Tr,
        user: &SessionUser,
        plan_id: i64,
        cells: &[String],
    ) -> Result<NewActivity, String> {
        let cell = |c: Column| cells.get(c as usize).map(|s| s.trim()).unwrap_or_default();
        let unit_id = match self.dir.find(cell(Column::Unit)) {
            Some(Target::Unit(id)) if may_act_for(user, id) => id,
            Some(Target::Unit(_)) => {
                return Err(format!(
                    "bạn không ghi nhận thay cho đơn vị \"{}\".",
                    cell(Column::Unit)
                ));
            }
            _ => {
                return Err(format!(
                    "không tìm thấy đơn vị \"{}\" trong danh mục.",
                    cell(Column::Unit)
                ));
            }
        };
        let mut theme_ids = Vec::new();
        for number in cell(Column::Themes)
            .split([';', ','])
            .map(|n| n.trim().trim_end_matches('.'))
            .filter(|n| !n.is_empty())
        {
            theme_ids.push(
                *self
                    .themes
                    .get(number)
                    .ok_or_else(|| format!("kế hoạch không có nội dung số {number}."))?,
            );
        }
        let channel = cell(Column::Channel).trim_end_matches('.');
        let channel_id = match channel {
            "" => None,
            n => Some(
                *self
                    .channels
                    .get(n)
                    .ok_or_else(|| format!("kế hoạch không có hình thức số {n}."))?,
            ),
        };
        let input = ActivityInput {
            plan_id: plan_id.to_string(),
            unit_id: unit_id.to_string(),
            kind: cell(Column::Kind).to_owned(),
            title: cell(Column::Title).to_owned(),
            date_from: cell(Column::DateFrom).to_owned(),
            date_to: cell(Column::DateTo).to_owned(),
            link: cell(Column::Link).to_owned(),
            items: cell(Column::Items).to_owned(),
            participants: cell(Column::Participants).to_owned(),
            reach: cell(Column::Reach).to_owned(),
            channel_id: channel_id.map(|c| c.to_string()).unwrap_or_default(),
            theme_ids,
            ..Default::default()
        };
        let kind = ActivityKind::parse(cell(Column::Kind), |k| kind_label(tr, k));
        input.parse(kind).map_err(|key| tr.t(key))
    }
}

pub async fn upload(
    state: AppState,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
    multipart: Multipart,
) -> AppResult<Response> {
    let user = ctx.user()?.clone();
    let plan_id = q
        .plan
        .ok_or_else(|| AppError::BadRequest(ctx.t("err-plan")))?;
    if !repo::published_plans(&state.db)
        .await?
        .iter()
        .any(|p| p.id == plan_id)
    {
        return Err(AppError::NotFound);
    }
    let q = ListQuery {
        plan: Some(plan_id),
        ..Default::default()
    };
    let file = match crate::web::upload::first_file(multipart, MAX_BYTES).await {
        Ok(Some((_, bytes))) => bytes,
        Ok(None) => {
            return list_page(&state, ctx.clone(), q, None, vec![ctx.t("err-no-file")]).await;
        }
        Err(AppError::BadRequest(msg)) => return list_page(&state, ctx, q, None, vec![msg]).await,
        Err(e) => return Err(e),
    };
    let table = match read(&file) {
        Ok(t) => t,
        Err(msg) => return list_page(&state, ctx, q, None, vec![msg]).await,
    };
    match check(&state.db, ctx.tr, &user, plan_id, &table).await {
        Ok(activities) => {
            repo::insert_activities(&state.db, user.id, &activities).await?;
            let notice = ctx.t1("activities-imported", "count", activities.len());
            list_page(&state, ctx, q, Some(notice), Vec::new()).await
        }
        Err(errors) => list_page(&state, ctx, q, None, errors).await,
    }
}
