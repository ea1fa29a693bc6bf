//! Reminders: N days before a period's due date and once it is overdue, each
//! member of a unit that has not handed in its report gets an in-app notice
//! and, when they have an address, an e-mail. Each reminder goes out once.
//! E-mail goes to an outbox folder (one .eml file each) unless SMTP is
//! configured; the folder is what tests and a first installation use.

use super::domain::ReportStatus;
use super::repo;
use super::view::PeriodDates;
use crate::db::Db;
use crate::mail::Mailer;

crate::db::db_enum! {
    /// Which reminder a unit gets: before the due date, or once overdue.
    pub enum ReminderKind { DueSoon = "due_soon", Overdue = "overdue" }
}

/// Pure: which reminder, if any, a unit's report is due for today.
pub fn due(
    status: Option<ReportStatus>,
    due_on: &str,
    today: &str,
    days_before: i64,
) -> Option<ReminderKind> {
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
        Some(ReminderKind::Overdue)
    } else if days <= days_before {
        Some(ReminderKind::DueSoon)
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
    for period_id in repo::published_period_ids(db).await? {
        let Some(period) = repo::period(db, period_id).await? else {
            continue;
        };
        for unit in repo::period_reports(db, &period).await? {
            let Some(kind) = due(unit.status, &period.due_on, today, days_before) else {
                continue;
            };
            let mut tx = db.begin().await?;
            if !repo::claim_reminder(&mut tx, period.id, unit.unit_id, kind).await? {
                continue;
            }
            let text = match kind {
                ReminderKind::DueSoon => format!(
                    "Nhắc hạn: báo cáo {} của {} cần nộp trước ngày {}.",
                    period.name,
                    unit.unit_name,
                    period.due_vn()
                ),
                ReminderKind::Overdue => format!(
                    "Quá hạn: {} chưa nộp báo cáo {} (hạn {}).",
                    unit.unit_name,
                    period.name,
                    period.due_vn()
                ),
            };
            let link = format!("/reports/{}/{}", period.id, unit.unit_id);
            let members = repo::active_members(&mut tx, unit.unit_id).await?;
            let mut mails = Vec::new();
            for m in members {
                repo::insert_notice(&mut tx, m.id, &text, &link).await?;
                sent.notices += 1;
                if let Some(addr) = m.email.filter(|a| a.contains('@')) {
                    mails.push((addr, m.display_name));
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
            Some(ReminderKind::DueSoon)
        );
        assert_eq!(
            due(Some(ReportStatus::Returned), "2021-04-05", "2021-04-06", 3),
            Some(ReminderKind::Overdue)
        );
        assert_eq!(
            due(Some(ReportStatus::Submitted), "2021-04-05", "2021-04-06", 3),
            None
        );
    }
}
