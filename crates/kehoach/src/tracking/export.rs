//! Exports of a period: the province's summary report (.docx, Party format,
//! text editable before export) and the statistics workbook (.xlsx). The
//! web form and `kehoach report export` share these functions.

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use kehoach_office::{Cell, Sheet};
use serde::Deserialize;

use super::domain::{ActivityKind, ReportStatus};
use super::repo::{self, ActivityFilter, PeriodRow, UnitTotals};
use super::summary::{self, Letterhead, UnitPart};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::plans::repo::{self as plans, PlanRow};
use crate::state::AppState;
use crate::web::{Ctx, HtmlForm, Tr, dates, render};

struct Gathered {
    plan: PlanRow,
    period: PeriodRow,
    counts: repo::Counts,
    units: Vec<UnitLine>,
}

/// A unit's words, figures and report state in the period.
struct UnitLine {
    part: UnitPart,
    totals: UnitTotals,
    status: Option<ReportStatus>,
}

async fn gather(db: &Db, period_id: i64) -> AppResult<Gathered> {
    let (period, plan) = super::periods::with_plan(db, period_id).await?;
    let counts = repo::counts(db, &period, None).await?;
    let totals = repo::unit_totals(db, &period).await?;
    let mut units = Vec::new();
    for r in repo::period_reports(db, &period).await? {
        let report = repo::report(db, period.id, r.unit_id).await?;
        let totals = totals
            .iter()
            .find(|t| t.unit_id == r.unit_id)
            .copied()
            .unwrap_or_default();
        // Only what the office accepted or has in hand speaks for a unit.
        let usable = report.filter(|_| r.status.is_some_and(|s| !s.editable_by_unit()));
        let text = |f: fn(&repo::ReportRow) -> &String| {
            usable.as_ref().map(|r| f(r).clone()).unwrap_or_default()
        };
        units.push(UnitLine {
            part: UnitPart {
                name: r.unit_name,
                activities: totals.n,
                results: text(|r| &r.results),
                shortcomings: text(|r| &r.shortcomings),
                proposals: text(|r| &r.proposals),
            },
            totals,
            status: r.status,
        });
    }
    Ok(Gathered {
        plan,
        period,
        counts,
        units,
    })
}

fn kind_name(tr: Tr) -> impl Fn(ActivityKind) -> String {
    move |kind| tr.t(&kind.label_key())
}

/// The default letterhead and body for a period.
pub async fn draft(db: &Db, tr: Tr, period_id: i64) -> AppResult<(Letterhead, String)> {
    let g = gather(db, period_id).await?;
    let parts: Vec<UnitPart> = g.units.into_iter().map(|u| u.part).collect();
    let body = summary::draft_body(&g.period, &g.counts, kind_name(tr), &parts);
    let today = dates::today_iso();
    let (y, m, d) = (&today[0..4], &today[5..7], &today[8..10]);
    let head = Letterhead {
        issuer: g.plan.issuer.clone().unwrap_or_else(|| "TỈNH ỦY".into()),
        number: "Số      -BC/TU".into(),
        place: g.plan.place.clone().unwrap_or_default(),
        date: (
            d.parse().unwrap_or(1),
            m.parse().unwrap_or(1),
            y.parse().unwrap_or(2000),
        ),
    };
    Ok((head, body))
}

pub async fn docx(db: &Db, period_id: i64, head: Letterhead, body: &str) -> AppResult<Vec<u8>> {
    let (period, plan) = super::periods::with_plan(db, period_id).await?;
    let doc = plans::document(db, plan.id).await?;
    let report = summary::report(&doc, &plan.title, &period, head, body);
    kehoach_office::party_report_docx(&report).map_err(|e| AppError::BadRequest(e.to_string()))
}

pub async fn xlsx(db: &Db, tr: Tr, period_id: i64) -> AppResult<Vec<u8>> {
    let g = gather(db, period_id).await?;
    let kind = kind_name(tr);
    let int = Cell::Integer;
    let by_unit = Sheet {
        name: tr.t("sheet-by-unit"),
        header: [
            "unit-name",
            "report-count",
            "activity-items",
            "activity-participants",
            "activity-reach",
            "status",
        ]
        .iter()
        .map(|k| tr.t(k))
        .collect(),
        rows: g
            .units
            .iter()
            .map(|u| {
                let status = u
                    .status
                    .map(|s| tr.t(&s.label_key()))
                    .unwrap_or_else(|| tr.t("report-status-missing"));
                vec![
                    Cell::Text(u.part.name.clone()),
                    int(u.part.activities),
                    int(u.totals.items),
                    int(u.totals.participants),
                    int(u.totals.reach),
                    Cell::Text(status),
                ]
            })
            .collect(),
        column_widths: vec![45.0, 14.0, 14.0, 14.0, 14.0, 16.0],
    };
    let pairs = |name: &str, head: &str, list: &[repo::LabelCount]| Sheet {
        name: tr.t(name),
        header: vec![tr.t(head), tr.t("report-count")],
        rows: list
            .iter()
            .map(|c| vec![Cell::Text(c.label.clone()), int(c.n)])
            .collect(),
        column_widths: vec![80.0, 14.0],
    };
    let by_kind = Sheet {
        name: tr.t("sheet-by-kind"),
        header: [
            "activity-kind",
            "report-count",
            "activity-items",
            "activity-participants",
            "activity-reach",
        ]
        .iter()
        .map(|k| tr.t(k))
        .collect(),
        rows: g
            .counts
            .by_kind
            .iter()
            .map(|k| {
                vec![
                    Cell::Text(kind(k.kind)),
                    int(k.n),
                    int(k.items),
                    int(k.participants),
                    int(k.reach),
                ]
            })
            .collect(),
        column_widths: vec![40.0, 14.0, 14.0, 14.0, 14.0],
    };
    let filter = ActivityFilter {
        plan_id: Some(g.period.plan_id),
        from: Some(g.period.starts_on.clone()),
        to: Some(g.period.ends_on.clone()),
        ..Default::default()
    };
    let (list, _) = repo::activities(db, &filter, i64::MAX, 0).await?;
    let date = |iso: &str| {
        let p = |a: usize, b: usize| iso.get(a..b).and_then(|s| s.parse().ok()).unwrap_or(1);
        Cell::Date {
            year: p(0, 4) as i32,
            month: p(5, 7),
            day: p(8, 10),
        }
    };
    let activities = Sheet {
        name: tr.t("sheet-activities"),
        header: [
            "unit-name",
            "activity-kind",
            "activity-title",
            "activity-date-from",
            "activity-items",
            "activity-participants",
            "activity-reach",
            "activity-link",
        ]
        .iter()
        .map(|k| tr.t(k))
        .collect(),
        rows: list
            .iter()
            .map(|a| {
                vec![
                    Cell::Text(a.unit_name.clone()),
                    Cell::Text(kind(a.kind)),
                    Cell::Text(a.title.clone()),
                    date(&a.date_from),
                    int(a.items),
                    int(a.participants),
                    int(a.reach),
                    Cell::Text(a.link.clone().unwrap_or_default()),
                ]
            })
            .collect(),
        column_widths: vec![35.0, 25.0, 60.0, 12.0, 10.0, 10.0, 12.0, 30.0],
    };
    let sheets = [
        by_unit,
        by_kind,
        pairs("sheet-by-theme", "review-themes", &g.counts.by_theme),
        pairs("sheet-by-channel", "review-channels", &g.counts.by_channel),
        activities,
    ];
    kehoach_office::workbook_xlsx(&sheets).map_err(|e| AppError::Internal(anyhow::anyhow!(e)))
}

use crate::web::download::attachment;
pub use crate::web::download::{DOCX, XLSX};

#[derive(Template)]
#[template(path = "tracking/templates/export.html")]
struct ExportPage {
    ctx: Ctx,
    period: PeriodRow,
    issuer: String,
    number: String,
    place: String,
    date: String,
    body: String,
    error: Option<String>,
}

pub async fn form(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    ctx.office()?;
    let period = repo::period(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (head, body) = draft(&state.db, ctx.tr, id).await?;
    let (d, m, y) = head.date;
    let page = ExportPage {
        period,
        issuer: head.issuer,
        number: head.number,
        place: head.place,
        date: format!("{d:02}/{m:02}/{y}"),
        body,
        error: None,
        ctx,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct ExportForm {
    issuer: String,
    number: String,
    place: String,
    date: String,
    body: String,
}

pub async fn download_docx(
    state: AppState,
    ctx: Ctx,
    Path(id): Path<i64>,
    HtmlForm(f): HtmlForm<ExportForm>,
) -> AppResult<Response> {
    ctx.office()?;
    let period = repo::period(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let date = match dates::parse_vn(&f.date) {
        Ok(Some(iso)) => iso,
        _ => {
            let error = Some(ctx.t("err-date"));
            let page = ExportPage {
                period,
                issuer: f.issuer,
                number: f.number,
                place: f.place,
                date: f.date,
                body: f.body,
                error,
                ctx,
            };
            return Ok(
                (axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response(),
            );
        }
    };
    let n = |a: usize, b: usize| date[a..b].parse().unwrap_or(1);
    let head = Letterhead {
        issuer: f.issuer.chars().take(200).collect(),
        number: f.number.chars().take(100).collect(),
        place: f.place.chars().take(100).collect(),
        date: (n(8, 10), n(5, 7), n(0, 4) as i32),
    };
    let body: String = f.body.chars().take(200_000).collect();
    let bytes = docx(&state.db, id, head, &body).await?;
    Ok(attachment(
        bytes,
        DOCX,
        &format!("bao-cao-ky-{}.docx", period.id),
    ))
}

pub async fn download_xlsx(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    ctx.office()?;
    let bytes = xlsx(&state.db, ctx.tr, id).await?;
    Ok(attachment(bytes, XLSX, &format!("thong-ke-ky-{id}.xlsx")))
}
