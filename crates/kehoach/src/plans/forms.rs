//! Plan edit forms, parsed once into values that cannot be invalid. Errors
//! are Fluent keys so the page can say what is wrong in the user's language.

use serde::{Deserialize, Serialize};

use crate::text::required;
use crate::web::dates;

pub use super::states::{AssignmentRole, ThemeKind};

/// The longest theme or duty text a coordinator may write.
const MAX_TEXT: usize = 5000;

#[derive(Debug, Deserialize)]
pub struct ThemeForm {
    pub number: String,
    pub kind: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThemeEdit {
    pub number: String,
    pub kind: ThemeKind,
    pub text: String,
}

impl ThemeForm {
    pub fn parse(&self) -> Result<ThemeEdit, &'static str> {
        let number = self.number.trim();
        let valid_number = !number.is_empty()
            && number.len() <= 20
            && number.chars().all(|c| c.is_ascii_digit() || c == '.');
        if !valid_number {
            return Err("err-theme-number");
        }
        let kind: ThemeKind = self.kind.parse().map_err(|_| "err-theme-kind")?;
        Ok(ThemeEdit {
            number: number.trim_end_matches('.').to_owned(),
            kind,
            text: required(&self.text, MAX_TEXT)?,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Assignment {
    pub unit_id: i64,
    pub role: AssignmentRole,
}

#[derive(Debug, Deserialize)]
pub struct DutyForm {
    pub text: String,
    #[serde(default)]
    pub deadline: String,
    #[serde(default)]
    pub deadline_text: String,
    #[serde(default)]
    pub lead: Vec<i64>,
    #[serde(default)]
    pub support: Vec<i64>,
    #[serde(default)]
    pub lead_group: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DutyEdit {
    pub text: String,
    pub deadline: Option<String>,
    pub deadline_text: Option<String>,
}

impl DutyForm {
    /// The duty and its units; a unit marked both lead and support leads.
    pub fn parse(&self) -> Result<(DutyEdit, Vec<Assignment>), &'static str> {
        let deadline = dates::parse_vn(&self.deadline).map_err(|_| "err-date")?;
        let note = self.deadline_text.trim();
        let mut units: Vec<Assignment> = Vec::new();
        for &unit_id in &self.lead {
            if !units.iter().any(|a| a.unit_id == unit_id) {
                units.push(Assignment {
                    unit_id,
                    role: AssignmentRole::Lead,
                });
            }
        }
        for &unit_id in &self.support {
            if !units.iter().any(|a| a.unit_id == unit_id) {
                units.push(Assignment {
                    unit_id,
                    role: AssignmentRole::Support,
                });
            }
        }
        Ok((
            DutyEdit {
                text: required(&self.text, MAX_TEXT)?,
                deadline,
                deadline_text: (!note.is_empty()).then(|| note.chars().take(200).collect()),
            },
            units,
        ))
    }
}

#[derive(Debug, Deserialize)]
pub struct SplitForm {
    pub first: String,
    pub second: String,
}

impl SplitForm {
    pub fn parse(&self) -> Result<(String, String), &'static str> {
        Ok((
            required(&self.first, MAX_TEXT)?,
            required(&self.second, MAX_TEXT)?,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duty_form_parses_dates_and_roles() {
        let f = DutyForm {
            text: " Mở lớp tập huấn ".into(),
            deadline: "15/12/2021".into(),
            deadline_text: String::new(),
            lead: vec![1, 1],
            support: vec![1, 2],
            lead_group: String::new(),
        };
        let (edit, units) = f.parse().unwrap();
        assert_eq!(edit.text, "Mở lớp tập huấn");
        assert_eq!(edit.deadline.as_deref(), Some("2021-12-15"));
        assert_eq!(units.len(), 2);
        assert_eq!(units[0].role, AssignmentRole::Lead);
        assert_eq!(units[1].role, AssignmentRole::Support);
    }

    #[test]
    fn bad_input_names_the_problem() {
        let f = DutyForm {
            text: "x".into(),
            deadline: "31/02/2021".into(),
            deadline_text: String::new(),
            lead: vec![],
            support: vec![],
            lead_group: String::new(),
        };
        assert_eq!(f.parse().unwrap_err(), "err-date");
        let t = ThemeForm {
            number: "1.a".into(),
            kind: "key".into(),
            text: "x".into(),
        };
        assert_eq!(t.parse().unwrap_err(), "err-theme-number");
        let t = ThemeForm {
            number: "1.2".into(),
            kind: "key".into(),
            text: "  ".into(),
        };
        assert_eq!(t.parse().unwrap_err(), "err-text-empty");
    }
}
