//! The parsed structure. Its JSON form is a documented contract
//! (docs/plan-json.md): fields may be added, never renamed or removed.

use serde::{Deserialize, Serialize};

/// A plan document turned into structure. Every `line` is 1-based in the
/// decoded text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanDocument {
    /// Document type as written in capitals, e.g. "KẾ HOẠCH"; empty when the
    /// document has no type heading (a `missing_kind` warning is added).
    pub kind: String,
    pub number: Option<String>,
    pub issuer: Option<String>,
    pub place: Option<String>,
    /// ISO `YYYY-MM-DD`.
    pub date: Option<String>,
    pub title: String,
    pub year: Option<i32>,
    pub preamble: Option<Block>,
    pub sections: Vec<Section>,
    pub purposes: Vec<Block>,
    pub requirements: Vec<Block>,
    pub themes: Vec<Theme>,
    pub theme_groups: Vec<ThemeGroup>,
    pub channels: Vec<Channel>,
    pub units: Vec<ImplementingUnit>,
    pub duties: Vec<Duty>,
    pub references: Vec<DocRef>,
    pub recipients: Vec<Recipient>,
    pub signature: Option<Signature>,
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    pub text: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// Roman numeral as written, e.g. "IV".
    pub number: String,
    pub heading: String,
    pub role: SectionRole,
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionRole {
    PurposesRequirements,
    Content,
    Forms,
    Implementation,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Theme {
    pub number: String,
    pub text: String,
    pub kind: ThemeKind,
    /// Number of the group heading the theme sits under, if any.
    pub group: Option<String>,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeGroup {
    pub number: String,
    pub heading: String,
    pub kind: ThemeKind,
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThemeKind {
    Key,
    Regular,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Channel {
    pub number: String,
    pub text: String,
    pub parent: Option<String>,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImplementingUnit {
    pub number: Option<String>,
    pub name: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duty {
    /// Name of the responsible unit; empty when the text names none (a
    /// `duty_without_unit` warning is added).
    pub unit: String,
    pub role: DutyRole,
    /// Units named after "phối hợp với": for a lead duty the units that help,
    /// for a support duty the units being helped.
    pub support: Vec<String>,
    pub text: String,
    /// ISO `YYYY-MM-DD`.
    pub deadline: Option<String>,
    pub deadline_text: Option<String>,
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DutyRole {
    Lead,
    Support,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocRef {
    pub number: String,
    #[serde(rename = "type")]
    pub doc_type: String,
    pub issuer: Option<String>,
    /// ISO `YYYY-MM-DD`.
    pub date: Option<String>,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    pub name: String,
    pub for_report: bool,
    pub file_copy: bool,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    pub authority: Option<String>,
    pub role: Option<String>,
    pub name: Option<String>,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub line: Option<usize>,
    pub code: String,
    pub message: String,
}

macro_rules! str_enum {
    ($t:ty { $($variant:ident => $s:literal),* $(,)? }) => {
        impl $t {
            /// The JSON spelling.
            pub fn as_str(self) -> &'static str {
                match self { $(<$t>::$variant => $s),* }
            }
        }
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        // Lets callers compare with the JSON spelling: `duty.role == "lead"`.
        impl PartialEq<str> for $t {
            fn eq(&self, other: &str) -> bool { self.as_str() == other }
        }
        impl PartialEq<&str> for $t {
            fn eq(&self, other: &&str) -> bool { self.as_str() == *other }
        }
    };
}

str_enum!(SectionRole {
    PurposesRequirements => "purposes_requirements",
    Content => "content",
    Forms => "forms",
    Implementation => "implementation",
    Other => "other",
});
str_enum!(ThemeKind { Key => "key", Regular => "regular" });
str_enum!(DutyRole { Lead => "lead", Support => "support" });
