//! Reminders: N days before a period's due date and once it is overdue, each
//! member of a unit that has not handed in its report gets an in-app notice
//! and, when they have an address, an e-mail. Each reminder goes out once.
//! E-mail goes to an outbox folder (one .eml file each) unless SMTP is
//! configured; the folder is what tests and a first installation use.

use sqlx::Row;

use super::domain::ReportStatus;
use crate::db::{Db, now};
use crate::mail::Mailer;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    DueSoon,
    Overdue,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Self::DueSoon => "due_soon",
            Self::Overdue => "overdue",
        }
    }
}

/// Pure: which reminder, if any, a unit's report is due for today.
pub fn due(
    status: Option<ReportStatus>,
    due_on: &str,
    today: &str,
    days_before: i64,
) -> Option<Kind> {
    if matches!(
        status,
        Some(ReportStatus::Submitted | ReportStatus::Accepted)
    ) {
        return None;
    }
    let due = chrono::NaiveDate::parse_from_str(due_on, "%Y-%m-%d").ok()?;
    let today = chrono::NaiveDate::parse_from_str(today, "%Y-%m-%d").ok()?;
    let days = (due - today).num_days();
    if days < 0 {
        Some(Kind::Overdue)
    } else if days <= days_before {
        Some(Kind::DueSoon)
    } else {
        None
    }
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Sent {
    pub notices: usize,
    pub emails: usize,
}

/// Sends what is due today. Safe to run often: sent reminders are recorded.
pub async fn run(db: &Db, mailer: &Mailer, today: &str, days_before: i64) -> anyhow::Result<Sent> {
    let mut sent = Sent::default();
    let periods = sqlx::query(
        "SELECT p.id FROM periods p JOIN plans pl ON pl.id = p.plan_id WHERE pl.status = 'published'",
    )
    .fetch_all(&db.pool)
    .await?;
    for row in periods {
        let Some(period) = super::repo::period(db, row.get(0)).await? else {
            continue;
        };
        for (unit_id, unit_name, status, _) in super::repo::period_reports(db, &period).await? {
            let Some(kind) = due(status, &period.due_on, today, days_before) else {
                continue;
            };
            let mut tx = db.begin().await?;
            let fresh = sqlx::query(
                "INSERT INTO reminders_sent (period_id, unit_id, kind, sent_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (period_id, unit_id, kind) DO NOTHING",
            )
            .bind(period.id)
            .bind(unit_id)
            .bind(kind.as_str())
            .bind(now())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if fresh == 0 {
                continue;
            }
            let text = match kind {
                Kind::DueSoon => format!(
                    "Nhắc hạn: báo cáo {} của {} cần nộp trước ngày {}.",
                    period.name,
                    unit_name,
                    period.due_vn()
                ),
                Kind::Overdue => format!(
                    "Quá hạn: {} chưa nộp báo cáo {} (hạn {}).",
                    unit_name,
                    period.name,
                    period.due_vn()
                ),
            };
            let link = format!("/reports/{}/{unit_id}", period.id);
            let members = sqlx::query(
                "SELECT u.id, u.email, u.display_name FROM users u JOIN user_units uu ON uu.user_id = u.id \
                 WHERE uu.unit_id = $1 AND u.disabled = 0",
            )
            .bind(unit_id)
            .fetch_all(&mut *tx)
            .await?;
            let mut mails = Vec::new();
            for m in &members {
                sqlx::query(
                    "INSERT INTO notices (user_id, text, link, created_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(m.get::<i64, _>(0))
                .bind(&text)
                .bind(&link)
                .bind(now())
                .execute(&mut *tx)
                .await?;
                sent.notices += 1;
                if let Some(addr) = m.get::<Option<String>, _>(1).filter(|a| a.contains('@')) {
                    mails.push((addr, m.get::<String, _>(2)));
                }
            }
            tx.commit().await?;
            for (addr, name) in mails {
                let body = format!("{text}\r\n\r\n{link}\r\n");
                mailer.send(&addr, &name, &text, &body).await?;
                sent.emails += 1;
            }
        }
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminders_fall_due_before_and_after_the_due_date() {
        assert_eq!(due(None, "2021-04-05", "2021-04-01", 3), None);
        assert_eq!(
            due(None, "2021-04-05", "2021-04-02", 3),
            Some(Kind::DueSoon)
        );
        assert_eq!(
            due(Some(ReportStatus::Returned), "2021-04-05", "2021-04-06", 3),
            Some(Kind::Overdue)
        );
        assert_eq!(
            due(Some(ReportStatus::Submitted), "2021-04-05", "2021-04-06", 3),
            None
        );
    }
}
