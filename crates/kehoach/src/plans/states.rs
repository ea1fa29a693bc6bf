//! The states a plan and its duties go through, each stored as short text.

crate::db::db_enum! {
    /// Where a plan stands: a draft under review, published to the units, or
    /// a unit's own implementing plan.
    pub enum PlanStatus { Draft = "draft", Published = "published", Subplan = "subplan" }
}

impl PlanStatus {
    /// The Fluent key of the badge (a unit's sub-plan reads as a draft).
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Published => "plan-status-published",
            Self::Draft | Self::Subplan => "plan-status-draft",
        }
    }
}

crate::db::db_enum! {
    /// Whether a theme is one of the year's key themes.
    pub enum ThemeKind { Key = "key", Regular = "regular" }
}

impl From<kehoach_plan::ThemeKind> for ThemeKind {
    fn from(k: kehoach_plan::ThemeKind) -> Self {
        match k {
            kehoach_plan::ThemeKind::Key => Self::Key,
            kehoach_plan::ThemeKind::Regular => Self::Regular,
        }
    }
}

crate::db::db_enum! {
    /// A unit's part in a duty: it leads, or it supports the lead.
    pub enum AssignmentRole { Lead = "lead", Support = "support" }
}

impl AssignmentRole {
    pub fn is_lead(self) -> bool {
        self == Self::Lead
    }
}

impl From<kehoach_plan::DutyRole> for AssignmentRole {
    fn from(r: kehoach_plan::DutyRole) -> Self {
        match r {
            kehoach_plan::DutyRole::Lead => Self::Lead,
            kehoach_plan::DutyRole::Support => Self::Support,
        }
    }
}

crate::db::db_enum! {
    /// A unit's progress on one duty.
    pub enum AssignmentStatus { NotStarted = "not_started", InProgress = "in_progress", Done = "done" }
}
