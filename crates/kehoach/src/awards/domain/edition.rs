//! The edition form: categories, tiers, criteria, the shortlist rule and
//! the letterhead, as the secretariat types them and as they are stored.

use kehoach_award::{
    CategoryRule, Criterion, EntryRules, Kind, Overflow, Scale, Shortlist, TiePolicy, TieRule, Tier,
};
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::fields::{
    categories_to_string, parse_categories, parse_criteria, parse_final_judges, parse_quotas,
    parse_shortlist, parse_tie_rules, parse_tiers, shortlist_to_string, tie_rule_key,
    tiers_to_string,
};
use super::fields::{parse_topics, topics_to_string};
use super::lines;
use super::outlets::{Outlet, Outlets, outlets_to_string, parse_outlets};
use crate::text::{number, required};
use crate::web::dates;

/// A scoring criterion with the label judges see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedCriterion {
    pub key: String,
    pub name: String,
    pub weight: u32,
}

/// Who signs the decision and the minutes, and where they are issued.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Letterhead {
    /// The body above the issuer (e.g. "TỈNH ỦY PHÚ YÊN"); may be empty.
    #[serde(default)]
    pub superior: String,
    pub issuer: String,
    pub place: String,
    pub signer_role: String,
    pub signer_name: String,
    /// What follows the number of the decision and of the minutes
    /// ("QĐ/BTGDV", "BB/HĐGK"); the number itself is written at signing.
    #[serde(default = "decision_symbol")]
    pub decision_symbol: String,
    #[serde(default = "minutes_symbol")]
    pub minutes_symbol: String,
    /// "Nơi nhận", one a line.
    #[serde(default = "recipients")]
    pub recipients: Vec<String>,
}

// What editions stored before these were settings printed.
fn decision_symbol() -> String {
    "QĐ/BTGDV".into()
}

fn minutes_symbol() -> String {
    "BB/HĐGK".into()
}

fn recipients() -> Vec<String> {
    [
        "Ban Thường vụ Tỉnh ủy (b/c)",
        "Các cơ quan báo chí trong tỉnh",
        "Các tác giả đạt giải",
        "Lưu Văn phòng",
    ]
    .map(String::from)
    .to_vec()
}

/// Everything the secretariat configures for an edition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditionSettings {
    pub title: String,
    pub description: String,
    pub categories: Vec<CategoryRule>,
    pub rules: EntryRules,
    pub tiers: Vec<Tier>,
    pub per_category_prizes: bool,
    pub overflow: Overflow,
    pub tie_policy: TiePolicy,
    pub scale_max: u32,
    pub criteria: Vec<NamedCriterion>,
    pub judges_per_entry: usize,
    /// How many of the final council judge each finalist.
    #[serde(default)]
    pub final_judges: FinalJudges,
    pub blind: bool,
    pub shortlist: Shortlist,
    /// A sub-council's own shortlist rule, by category key; the others use
    /// `shortlist`.
    #[serde(default)]
    pub shortlist_quotas: BTreeMap<String, Shortlist>,
    /// Prizes for a topic, beside the main tiers: the council names the
    /// works, a work may hold one beside its main prize.
    #[serde(default)]
    pub topic_prizes: Vec<TopicPrize>,
    /// The outlet directory conflicts and statistics go through.
    #[serde(default)]
    pub outlets: Vec<Outlet>,
    /// Scores further apart than this (in points) are flagged.
    pub disagreement: f64,
    /// What separates equal means, in order; entries equal on all of them
    /// are a tie for the tie policy. Editions stored before this was a
    /// setting keep the order they were ranked with.
    #[serde(default = "earlier_tie_rules")]
    pub tie_rules: Vec<TieRule>,
    pub letterhead: Letterhead,
}

/// A topic prize: its name, how many works may receive it, and which works
/// may (finalists only, or any accepted entry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicPrize {
    pub name: String,
    pub quota: u32,
    pub finalists_only: bool,
}

/// Judges per finalist in the final round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum FinalJudges {
    /// As many as in the preliminary round (`judges_per_entry`).
    #[default]
    Same,
    Count(usize),
    /// Every member of the final council scores every finalist.
    WholeCouncil,
}

/// The order editions were ranked with before it was a visible setting.
fn earlier_tie_rules() -> Vec<TieRule> {
    vec![
        TieRule::Median,
        TieRule::MaxSingle,
        TieRule::EarlierSubmission,
    ]
}

/// The settings a round's outcome depends on, as its seal records them.
#[derive(Serialize)]
struct Outcome<'a> {
    scale_max: u32,
    criteria: Vec<(&'a str, u32)>,
    tie_rules: &'a [TieRule],
    shortlist: Shortlist,
    shortlist_quotas: &'a BTreeMap<String, Shortlist>,
}

impl EditionSettings {
    pub fn category(&self, key: &str) -> Option<&CategoryRule> {
        self.categories.iter().find(|c| c.key == key)
    }

    pub fn category_name(&self, key: &str) -> String {
        self.category(key)
            .map(|c| c.name.clone())
            .unwrap_or_else(|| key.to_owned())
    }

    pub fn scale(&self) -> Scale {
        Scale {
            min: 0,
            max: self.scale_max,
        }
    }

    /// The outlet directory, ready for lookups.
    pub fn outlet_directory(&self) -> Outlets<'_> {
        Outlets::new(&self.outlets)
    }

    pub fn criteria(&self) -> Vec<Criterion> {
        self.criteria
            .iter()
            .map(|c| Criterion {
                key: c.key.clone(),
                weight: c.weight,
            })
            .collect()
    }

    /// The settings that decide a round's outcome (scale, criteria and
    /// weights, tie rules, shortlist rule) as canonical text: the last row
    /// of a sealed round's log, and locked once a round is sealed.
    pub fn outcome(&self) -> String {
        let outcome = Outcome {
            scale_max: self.scale_max,
            criteria: self
                .criteria
                .iter()
                .map(|c| (c.key.as_str(), c.weight))
                .collect(),
            tie_rules: &self.tie_rules,
            shortlist: self.shortlist,
            shortlist_quotas: &self.shortlist_quotas,
        };
        serde_json::to_string(&outcome).unwrap_or_default()
    }

    pub fn deadline_vn(&self) -> String {
        dates::instant_vn(self.rules.deadline)
    }

    pub fn window_vn(&self) -> String {
        format!(
            "{} – {}",
            dates::iso_to_vn(&self.rules.window_from),
            dates::iso_to_vn(&self.rules.window_to)
        )
    }

    /// The file kinds an entry form may accept, for the `accept` attribute.
    pub fn accept(&self, category: &CategoryRule) -> String {
        category
            .kinds
            .iter()
            .map(|k| match k {
                Kind::Pdf => ".pdf,application/pdf",
                Kind::Image => "image/*",
                Kind::Audio => "audio/*",
                Kind::Video => "video/*",
                Kind::Document => ".docx",
            })
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// The edition form as typed: one text per field, lists one item a line.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EditionForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// `key | Name | kinds | max MB | need` per line.
    #[serde(default)]
    pub categories: String,
    #[serde(default)]
    pub window_from: String,
    #[serde(default)]
    pub window_to: String,
    #[serde(default)]
    pub deadline: String,
    #[serde(default)]
    pub per_author: String,
    #[serde(default)]
    pub series_max: String,
    #[serde(default)]
    pub team_max: String,
    /// `Name: quota` per line, best first.
    #[serde(default)]
    pub tiers: String,
    #[serde(default)]
    pub prize_scope: String,
    #[serde(default)]
    pub overflow: String,
    #[serde(default)]
    pub tie_policy: String,
    /// Tie rules in order, comma-separated: `median`, `max-single`,
    /// `earlier-submission`; empty for none.
    #[serde(default)]
    pub tie_rules: String,
    #[serde(default)]
    pub scale_max: String,
    /// `key | Name | weight` per line.
    #[serde(default)]
    pub criteria: String,
    #[serde(default)]
    pub judges_per_entry: String,
    /// Empty (as the preliminary round), a number, or `all`.
    #[serde(default)]
    pub final_judges: String,
    #[serde(default)]
    pub blind: Option<String>,
    /// `top:N`, `threshold:X` or `top:N threshold:X`.
    #[serde(default)]
    pub shortlist: String,
    /// `category-key: rule` per line.
    #[serde(default)]
    pub shortlist_quotas: String,
    /// `Name: quota | finalists` or `| accepted` per line.
    #[serde(default)]
    pub topic_prizes: String,
    /// `Name | other name | ...` per line.
    #[serde(default)]
    pub outlets: String,
    #[serde(default)]
    pub disagreement: String,
    #[serde(default)]
    pub superior: String,
    #[serde(default)]
    pub issuer: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub signer_role: String,
    #[serde(default)]
    pub signer_name: String,
    #[serde(default)]
    pub decision_symbol: String,
    #[serde(default)]
    pub minutes_symbol: String,
    /// One a line.
    #[serde(default)]
    pub recipients: String,
}

fn iso(s: &str, err: &'static str) -> Result<String, &'static str> {
    dates::parse_vn(s).ok().flatten().ok_or(err)
}

impl EditionForm {
    /// The error is the Fluent key of the first problem.
    pub fn parse(&self) -> Result<EditionSettings, &'static str> {
        let rules = EntryRules {
            window_from: iso(&self.window_from, "err-award-window")?,
            window_to: iso(&self.window_to, "err-award-window")?,
            deadline: dates::parse_vn_instant(&self.deadline).map_err(|_| "err-award-deadline")?,
            per_author: number(&self.per_author, 1..=100, "err-award-per-author")? as u32,
            series_max: number(&self.series_max, 1..=100, "err-award-series")? as u32,
            team_max: number(&self.team_max, 1..=50, "err-award-team")? as u32,
        };
        if rules.window_from > rules.window_to {
            return Err("err-award-window");
        }
        let scale_max = number(&self.scale_max, 1..=1000, "err-award-scale")? as u32;
        let disagreement = self
            .disagreement
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|d| d.is_finite() && *d > 0.0)
            .ok_or("err-award-disagreement")?;
        let categories = parse_categories(&self.categories)?;
        let shortlist_quotas = parse_quotas(&self.shortlist_quotas, &categories)?;
        let topic_prizes = parse_topics(&self.topic_prizes)?;
        let outlets = parse_outlets(&self.outlets)?;
        Ok(EditionSettings {
            title: required(&self.title, 300)?,
            description: required(&self.description, 5000).unwrap_or_default(),
            categories,
            rules,
            tiers: parse_tiers(&self.tiers)?,
            per_category_prizes: match self.prize_scope.as_str() {
                "overall" => false,
                "per-category" => true,
                _ => return Err("err-award-scope"),
            },
            overflow: match self.overflow.as_str() {
                "cascade" => Overflow::CascadeDown,
                "drop" => Overflow::Drop,
                _ => return Err("err-award-overflow"),
            },
            tie_policy: match self.tie_policy.as_str() {
                "exclude" => TiePolicy::Exclude,
                "include" => TiePolicy::Include,
                "council" => TiePolicy::CouncilDecides,
                _ => return Err("err-award-tie-policy"),
            },
            tie_rules: parse_tie_rules(&self.tie_rules)?,
            scale_max,
            criteria: parse_criteria(&self.criteria)?,
            judges_per_entry: number(&self.judges_per_entry, 1..=20, "err-award-k")? as usize,
            final_judges: parse_final_judges(&self.final_judges)?,
            blind: self.blind.is_some(),
            shortlist: parse_shortlist(&self.shortlist)?,
            shortlist_quotas,
            topic_prizes,
            outlets,
            disagreement,
            letterhead: Letterhead {
                superior: required(&self.superior, 200).unwrap_or_default(),
                decision_symbol: required(&self.decision_symbol, 40)
                    .map_err(|_| "err-award-letterhead")?,
                minutes_symbol: required(&self.minutes_symbol, 40)
                    .map_err(|_| "err-award-letterhead")?,
                recipients: Some(
                    lines(&self.recipients)
                        .map(str::to_owned)
                        .collect::<Vec<_>>(),
                )
                .filter(|r| !r.is_empty() && r.iter().all(|l| l.chars().count() <= 200))
                .ok_or("err-award-letterhead")?,
                issuer: required(&self.issuer, 200).map_err(|_| "err-award-letterhead")?,
                place: required(&self.place, 100).map_err(|_| "err-award-letterhead")?,
                signer_role: required(&self.signer_role, 100)
                    .map_err(|_| "err-award-letterhead")?,
                signer_name: required(&self.signer_name, 100)
                    .map_err(|_| "err-award-letterhead")?,
            },
        })
    }

    pub fn from_settings(s: &EditionSettings) -> Self {
        Self {
            title: s.title.clone(),
            description: s.description.clone(),
            categories: categories_to_string(&s.categories),
            window_from: dates::iso_to_vn(&s.rules.window_from),
            window_to: dates::iso_to_vn(&s.rules.window_to),
            deadline: dates::instant_vn(s.rules.deadline),
            per_author: s.rules.per_author.to_string(),
            series_max: s.rules.series_max.to_string(),
            team_max: s.rules.team_max.to_string(),
            tiers: tiers_to_string(&s.tiers),
            prize_scope: if s.per_category_prizes {
                "per-category"
            } else {
                "overall"
            }
            .into(),
            overflow: match s.overflow {
                Overflow::CascadeDown => "cascade",
                Overflow::Drop => "drop",
            }
            .into(),
            tie_policy: match s.tie_policy {
                TiePolicy::Exclude => "exclude",
                TiePolicy::Include => "include",
                TiePolicy::CouncilDecides => "council",
            }
            .into(),
            tie_rules: s
                .tie_rules
                .iter()
                .map(|r| tie_rule_key(*r))
                .collect::<Vec<_>>()
                .join(", "),
            scale_max: s.scale_max.to_string(),
            criteria: s
                .criteria
                .iter()
                .map(|c| format!("{} | {} | {}", c.key, c.name, c.weight))
                .collect::<Vec<_>>()
                .join("\n"),
            judges_per_entry: s.judges_per_entry.to_string(),
            final_judges: match s.final_judges {
                FinalJudges::Same => String::new(),
                FinalJudges::Count(n) => n.to_string(),
                FinalJudges::WholeCouncil => "all".into(),
            },
            blind: s.blind.then(|| "on".into()),
            shortlist: shortlist_to_string(s.shortlist),
            shortlist_quotas: s
                .shortlist_quotas
                .iter()
                .map(|(k, r)| format!("{k}: {}", shortlist_to_string(*r)))
                .collect::<Vec<_>>()
                .join("\n"),
            topic_prizes: topics_to_string(&s.topic_prizes),
            outlets: outlets_to_string(&s.outlets),
            disagreement: s.disagreement.to_string(),
            superior: s.letterhead.superior.clone(),
            decision_symbol: s.letterhead.decision_symbol.clone(),
            minutes_symbol: s.letterhead.minutes_symbol.clone(),
            recipients: s.letterhead.recipients.join("\n"),
            issuer: s.letterhead.issuer.clone(),
            place: s.letterhead.place.clone(),
            signer_role: s.letterhead.signer_role.clone(),
            signer_name: s.letterhead.signer_name.clone(),
        }
    }
}

/// The defaults of a provincial press award on Party building, with its
/// window the year up to `today` and entries open for a month.
pub fn default_form(today: chrono::NaiveDate) -> EditionForm {
    let day = |d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();
    let deadline = today + chrono::Days::new(30);
    EditionForm {
        title: "Giải Báo chí về xây dựng Đảng tỉnh (Búa liềm vàng) lần thứ VI".into(),
        description: "Tác phẩm báo chí về công tác xây dựng Đảng, hệ thống chính trị \
                      đăng, phát trên các cơ quan báo chí trong thời gian xét giải."
            .into(),
        categories: "bao-in | Báo in | pdf,image | 20 | file\n\
                     bao-dien-tu | Báo điện tử | pdf,image | 20 | file-or-link\n\
                     phat-thanh | Phát thanh | audio | 100 | file\n\
                     truyen-hinh | Truyền hình | video | 500 | file-or-link\n\
                     anh | Ảnh báo chí | image | 20 | file"
            .into(),
        window_from: day(today - chrono::Days::new(365)),
        window_to: day(deadline),
        deadline: format!("{} 17:00", day(deadline)),
        per_author: "2".into(),
        series_max: "5".into(),
        team_max: "5".into(),
        tiers: "Giải A: 1\nGiải B: 2\nGiải C: 3\nGiải Khuyến khích: 5".into(),
        prize_scope: "overall".into(),
        overflow: "cascade".into(),
        tie_policy: "council".into(),
        tie_rules: "median, max-single".into(),
        scale_max: "10".into(),
        criteria: "noi-dung | Nội dung, tư tưởng | 4\n\
                   hinh-thuc | Hình thức thể hiện | 3\n\
                   tac-dong | Tính phát hiện, tác động xã hội | 3"
            .into(),
        judges_per_entry: "3".into(),
        final_judges: "all".into(),
        blind: None,
        shortlist: "top:5".into(),
        shortlist_quotas: String::new(),
        topic_prizes: String::new(),
        outlets: String::new(),
        disagreement: "3".into(),
        superior: "TỈNH ỦY PHÚ YÊN".into(),
        issuer: "BAN TUYÊN GIÁO VÀ DÂN VẬN".into(),
        decision_symbol: decision_symbol(),
        minutes_symbol: minutes_symbol(),
        recipients: recipients().join("\n"),
        place: "Tuy Hòa".into(),
        signer_role: "Trưởng ban".into(),
        signer_name: "Nguyễn Văn A".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
    }

    #[test]
    fn the_default_edition_parses_and_round_trips() {
        let s = default_form(today()).parse().unwrap();
        assert_eq!(s.categories.len(), 5);
        assert_eq!(s.tiers[0].quota, 1);
        assert_eq!(EditionForm::from_settings(&s).parse().unwrap(), s);
    }

    #[test]
    fn bad_editions_name_their_field() {
        let mut f = default_form(today());
        f.categories = "bao-in | Báo in | exe | 20 | file".into();
        assert_eq!(f.parse().unwrap_err(), "err-award-categories");
        let mut f = default_form(today());
        f.window_from = "01/12/2026".into();
        assert_eq!(f.parse().unwrap_err(), "err-award-window");
        let mut f = default_form(today());
        f.shortlist = "best:3".into();
        assert_eq!(f.parse().unwrap_err(), "err-award-shortlist");
        let mut f = default_form(today());
        f.tie_rules = "median, median".into();
        assert_eq!(f.parse().unwrap_err(), "err-award-tie-rules");
        f.tie_rules = "coin".into();
        assert_eq!(f.parse().unwrap_err(), "err-award-tie-rules");
        f.tie_rules = String::new();
        assert!(f.parse().unwrap().tie_rules.is_empty());
        let mut f = default_form(today());
        f.shortlist_quotas = "bao-in: top:15\nanh: top:9 threshold:7.5".into();
        f.tiers = "Giải Đặc biệt: 1 | 9.5\nGiải A: 6".into();
        let s = f.parse().unwrap();
        assert_eq!(s.shortlist_quotas["anh"], Shortlist::TopNAbove(9, 7.5));
        assert_eq!(s.tiers[0].min_milli, Some(9_500));
        assert_eq!(EditionForm::from_settings(&s).parse().unwrap(), s);
        f.shortlist_quotas = "bao-giay: top:15".into();
        assert_eq!(f.parse().unwrap_err(), "err-award-shortlist-quotas");
    }
}
