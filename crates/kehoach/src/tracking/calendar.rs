//! A subscribable calendar (.ics) per unit: its duties' deadlines and its
//! reports' due dates in published plans, and its activities. The URL holds
//! a secret token, since calendar programs cannot log in.

use askama::Template;
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use rand::RngCore;

use super::repo::{self, Dated};
use super::require_unit_record;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::state::{AppState, ClientIp};
use crate::web::{Ctx, render};

/// One all-day event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub uid: String,
    pub date: String,
    pub summary: String,
}

/// Pure: the calendar text (RFC 5545): CRLF lines folded at 75 octets,
/// text escaped.
pub fn ics(name: &str, events: &[Event], stamp: &str) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".into(),
        "PRODID:-//kehoach//vi".into(),
        "CALSCALE:GREGORIAN".into(),
        format!("X-WR-CALNAME:{}", escape(name)),
        "X-WR-TIMEZONE:Asia/Ho_Chi_Minh".into(),
    ];
    for e in events {
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:{}", e.uid));
        lines.push(format!("DTSTAMP:{stamp}"));
        lines.push(format!("DTSTART;VALUE=DATE:{}", e.date.replace('-', "")));
        lines.push(format!("SUMMARY:{}", escape(&e.summary)));
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    lines.iter().map(|l| fold(l)).collect::<Vec<_>>().join("")
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace(['\n', '\r'], "\\n")
}

/// Lines longer than 75 octets continue on lines starting with a space,
/// never splitting a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
    out
}

async fn events(db: &Db, unit_id: i64) -> Result<Vec<Event>, sqlx::Error> {
    let event = |uid: String, d: Dated, summary: String| Event {
        uid,
        date: d.date,
        summary,
    };
    let mut out = Vec::new();
    for d in repo::duty_deadlines(db, unit_id).await? {
        let text: String = d.text.chars().take(120).collect();
        out.push(event(
            format!("duty-{}-{unit_id}@kehoach", d.id),
            d,
            format!("Hạn nhiệm vụ: {text}"),
        ));
    }
    for d in repo::report_due_dates(db, unit_id).await? {
        let summary = format!("Hạn nộp báo cáo {}", d.text);
        out.push(event(
            format!("period-{}-{unit_id}@kehoach", d.id),
            d,
            summary,
        ));
    }
    for d in repo::activity_days(db, unit_id).await? {
        let summary = d.text.clone();
        out.push(event(format!("activity-{}@kehoach", d.id), d, summary));
    }
    Ok(out)
}

pub async fn feed(
    state: AppState,
    svc: super::Services,
    ClientIp(ip): ClientIp,
    Path(file): Path<String>,
) -> AppResult<Response> {
    svc.feed_limiter.check(&ip).map_err(AppError::RateLimited)?;
    let token = file.strip_suffix(".ics").ok_or(AppError::NotFound)?;
    if token.len() != 64 || !token.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    let unit = repo::unit_by_token(&state.db, token)
        .await?
        .ok_or(AppError::NotFound)?;
    let events = events(&state.db, unit.id).await?;
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    Ok((
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        ics(&unit.name, &events, &stamp),
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "tracking/templates/calendar.html")]
struct CalendarPage {
    ctx: Ctx,
    unit_name: String,
    unit_id: i64,
    url: Option<String>,
}

pub async fn page(state: AppState, ctx: Ctx, Path(unit_id): Path<i64>) -> AppResult<Response> {
    require_unit_record(ctx.user()?, unit_id)?;
    let unit = repo::feed_unit(&state.db, unit_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let url = unit.feed_token.map(|t| format!("/calendar/{t}.ics"));
    Ok(render(&CalendarPage {
        ctx,
        unit_name: unit.name,
        unit_id,
        url,
    })?
    .into_response())
}

/// Creates the feed URL, or replaces it (which revokes the old one).
pub async fn renew(state: AppState, ctx: Ctx, Path(unit_id): Path<i64>) -> AppResult<Response> {
    let user = ctx.user()?;
    require_unit_record(user, unit_id)?;
    if repo::feed_unit(&state.db, unit_id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    repo::renew_token(&state.db, user.id, unit_id, &token).await?;
    Ok(Redirect::to(&format!("/units/{unit_id}/calendar")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_text_is_escaped_and_folded() {
        let long = "Hạn nộp báo cáo; quý I, năm 2021 ".repeat(5);
        let text = ics(
            "Báo Phú Yên",
            &[Event {
                uid: "a@k".into(),
                date: "2021-04-05".into(),
                summary: long,
            }],
            "20210101T000000Z",
        );
        assert!(text.contains("DTSTART;VALUE=DATE:20210405\r\n"));
        assert!(text.contains("\\;") && text.contains("\\,"));
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
    }
}
