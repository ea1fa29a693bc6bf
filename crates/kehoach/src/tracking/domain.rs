//! Tracking input parsed once into values that cannot be invalid: activity
//! kinds, activities, reporting periods, and the report workflow's rules.

use serde::Serialize;

use crate::web::dates;

crate::db::db_enum! {
    /// What a unit did. The order is the order forms and statistics list them in.
    pub enum ActivityKind {
        Article = "article",
        Broadcast = "broadcast",
        SpecialPage = "special_page",
        Seminar = "seminar",
        Dialogue = "dialogue",
        Exhibition = "exhibition",
        KnowledgeContest = "knowledge_contest",
        CreativeContest = "creative_contest",
        Training = "training",
        BriefersConference = "briefers_conference",
        VisualDisplay = "visual_display",
        Publication = "publication",
        CurrentAffairsClub = "current_affairs_club",
        PartyCellMeeting = "party_cell_meeting",
        SocialPost = "social_post",
    }
}

impl ActivityKind {
    /// The Fluent key of the kind's name.
    pub fn label_key(self) -> String {
        format!("kind-{}", self.as_str())
    }

    /// Accepts the code or the Vietnamese name as a spreadsheet would carry
    /// it, ignoring case and tone marks ("tin bai" finds "Tin, bài").
    pub fn parse(s: &str, vietnamese_names: impl Fn(Self) -> String) -> Option<Self> {
        let key = kehoach_plan::fold(s);
        let key = key.trim();
        Self::ALL.iter().copied().find(|k| {
            k.as_str() == key
                || kehoach_plan::fold(&vietnamese_names(*k)).replace(',', "")
                    == key.replace(',', "")
        })
    }
}

const MAX_TITLE: usize = 500;
const MAX_QUANTITY: i64 = 1_000_000_000;

#[derive(Debug, Clone, Serialize)]
pub struct NewActivity {
    pub plan_id: i64,
    pub unit_id: i64,
    pub duty_id: Option<i64>,
    pub channel_id: Option<i64>,
    pub kind: ActivityKind,
    pub title: String,
    pub date_from: String,
    pub date_to: Option<String>,
    pub link: Option<String>,
    pub items: i64,
    pub participants: i64,
    pub reach: i64,
    pub theme_ids: Vec<i64>,
}

/// The raw fields of an activity, from a form or a spreadsheet row.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ActivityInput {
    #[serde(default)]
    pub plan_id: String,
    #[serde(default)]
    pub unit_id: String,
    #[serde(default)]
    pub duty_id: String,
    #[serde(default)]
    pub channel_id: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub date_from: String,
    #[serde(default)]
    pub date_to: String,
    #[serde(default)]
    pub link: String,
    #[serde(default)]
    pub items: String,
    #[serde(default)]
    pub participants: String,
    #[serde(default)]
    pub reach: String,
    #[serde(default)]
    pub theme_ids: Vec<i64>,
}

fn id(s: &str, err: &'static str) -> Result<Option<i64>, &'static str> {
    match s.trim() {
        "" => Ok(None),
        v => v.parse().map(Some).map_err(|_| err),
    }
}

fn quantity(s: &str) -> Result<i64, &'static str> {
    let s = s.trim().replace(['.', ',', ' '], "");
    if s.is_empty() {
        return Ok(0);
    }
    match s.parse::<i64>() {
        Ok(n) if (0..=MAX_QUANTITY).contains(&n) => Ok(n),
        _ => Err("err-quantity"),
    }
}

impl ActivityInput {
    /// Checks every field; the error is the Fluent key of the first problem.
    pub fn parse(&self, kind: Option<ActivityKind>) -> Result<NewActivity, &'static str> {
        let plan_id = id(&self.plan_id, "err-plan")?.ok_or("err-plan")?;
        let unit_id = id(&self.unit_id, "err-choose-unit")?.ok_or("err-choose-unit")?;
        let kind = kind.ok_or("err-activity-kind")?;
        let title = crate::text::required(&self.title, MAX_TITLE)?;
        if title.starts_with(['=', '+', '@']) {
            return Err("err-formula");
        }
        let date_from = dates::parse_vn(&self.date_from)
            .map_err(|_| "err-date")?
            .ok_or("err-date-required")?;
        let date_to = dates::parse_vn(&self.date_to).map_err(|_| "err-date")?;
        if date_to.as_deref().is_some_and(|to| to < date_from.as_str()) {
            return Err("err-date-order");
        }
        let link = match self.link.trim() {
            "" => None,
            l if (l.starts_with("https://") || l.starts_with("http://")) && l.len() <= 2000 => {
                Some(l.to_owned())
            }
            _ => return Err("err-link"),
        };
        Ok(NewActivity {
            plan_id,
            unit_id,
            duty_id: id(&self.duty_id, "err-duty")?,
            channel_id: id(&self.channel_id, "err-channel")?,
            kind,
            title,
            date_from,
            date_to,
            link,
            items: quantity(&self.items)?,
            participants: quantity(&self.participants)?,
            reach: quantity(&self.reach)?,
            theme_ids: self.theme_ids.clone(),
        })
    }
}

crate::db::db_enum! {
    /// How often a plan asks for reports.
    pub enum PeriodKind {
        Monthly = "monthly",
        Quarterly = "quarterly",
        SixMonth = "six_month",
        YearEnd = "year_end",
    }
}

impl PeriodKind {
    /// The Fluent key of the kind's name.
    pub fn label_key(self) -> String {
        format!("period-kind-{}", self.as_str())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct NewPeriod {
    pub kind: PeriodKind,
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub due_on: String,
}

impl NewPeriod {
    pub fn parse(
        kind: &str,
        name: &str,
        starts: &str,
        ends: &str,
        due: &str,
    ) -> Result<Self, &'static str> {
        let kind: PeriodKind = kind.parse().map_err(|_| "err-period-kind")?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err("err-text-empty");
        }
        let date = |s: &str| {
            dates::parse_vn(s)
                .map_err(|_| "err-date")?
                .ok_or("err-date-required")
        };
        let (starts_on, ends_on, due_on) = (date(starts)?, date(ends)?, date(due)?);
        if ends_on < starts_on {
            return Err("err-date-order");
        }
        Ok(Self {
            kind,
            name: name.to_owned(),
            starts_on,
            ends_on,
            due_on,
        })
    }
}

crate::db::db_enum! {
    /// A unit's report moves draft → submitted → (returned → submitted)* → accepted.
    pub enum ReportStatus {
        Draft = "draft",
        Submitted = "submitted",
        Returned = "returned",
        Accepted = "accepted",
    }
}

crate::db::db_enum! {
    /// What is done to a report: the unit saves or submits it, the office
    /// accepts or returns it. The spelling is the form's button value and
    /// the audit entry's action.
    pub enum ReportAction {
        Save = "save",
        Submit = "submit",
        Accept = "accept",
        Return = "return",
    }
}

impl ReportStatus {
    pub fn label_key(self) -> String {
        format!("report-status-{}", self.as_str())
    }

    /// The unit may change the text only while the office does not hold it.
    pub fn editable_by_unit(self) -> bool {
        matches!(self, Self::Draft | Self::Returned)
    }

    /// The office decides only on a submitted report.
    pub fn decidable_by_office(self) -> bool {
        self == Self::Submitted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ActivityInput {
        ActivityInput {
            plan_id: "1".into(),
            unit_id: "2".into(),
            kind: "article".into(),
            title: "Bài viết về xây dựng Đảng".into(),
            date_from: "05/03/2021".into(),
            items: "3".into(),
            reach: "12.000".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_activity_parses() {
        let a = input().parse(Some(ActivityKind::Article)).unwrap();
        assert_eq!(a.date_from, "2021-03-05");
        assert_eq!((a.items, a.reach), (3, 12_000));
    }

    #[test]
    fn each_bad_field_is_named() {
        type Change = fn(&mut ActivityInput);
        let cases: [(Change, &str); 6] = [
            (|i| i.date_from = "31/02/2021".into(), "err-date"),
            (|i| i.date_from = String::new(), "err-date-required"),
            (|i| i.date_to = "01/01/2021".into(), "err-date-order"),
            (|i| i.items = "-4".into(), "err-quantity"),
            (|i| i.title = "=HYPERLINK(\"x\")".into(), "err-formula"),
            (|i| i.link = "javascript:alert(1)".into(), "err-link"),
        ];
        for (change, key) in cases {
            let mut i = input();
            change(&mut i);
            assert_eq!(i.parse(Some(ActivityKind::Article)).unwrap_err(), key);
        }
        assert_eq!(input().parse(None).unwrap_err(), "err-activity-kind");
    }

    #[test]
    fn kinds_parse_from_codes_and_vietnamese_names() {
        let name = |k: ActivityKind| {
            if k == ActivityKind::Article {
                "Tin, bài".into()
            } else {
                String::new()
            }
        };
        assert_eq!(
            ActivityKind::parse("article", name),
            Some(ActivityKind::Article)
        );
        assert_eq!(
            ActivityKind::parse("TIN BAI", name),
            Some(ActivityKind::Article)
        );
        assert_eq!(ActivityKind::parse("khác", name), None);
    }

    #[test]
    fn the_report_workflow_locks_submitted_reports() {
        assert!(ReportStatus::Draft.editable_by_unit());
        assert!(ReportStatus::Returned.editable_by_unit());
        assert!(!ReportStatus::Submitted.editable_by_unit());
        assert!(!ReportStatus::Accepted.editable_by_unit());
        assert!(ReportStatus::Submitted.decidable_by_office());
        assert!(!ReportStatus::Returned.decidable_by_office());
    }

    #[test]
    fn periods_need_ordered_real_dates() {
        assert!(
            NewPeriod::parse(
                "quarterly",
                "Quý I",
                "01/01/2021",
                "31/03/2021",
                "05/04/2021"
            )
            .is_ok()
        );
        assert_eq!(
            NewPeriod::parse(
                "quarterly",
                "Quý I",
                "01/04/2021",
                "31/03/2021",
                "05/04/2021"
            )
            .unwrap_err(),
            "err-date-order"
        );
        assert_eq!(
            NewPeriod::parse("weekly", "x", "", "", "").unwrap_err(),
            "err-period-kind"
        );
    }
}
