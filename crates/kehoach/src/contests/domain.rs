//! Contest settings and registrations, parsed once from the office's and
//! the participant's forms into values the rest of the module can trust.

use kehoach_contest::{
    AttemptPolicy, Counted, IdNumber, Phone, Prediction, Qualify, QuestionSet, Quota, RankingRules,
    TiePolicy, normalise_id_number, normalise_phone,
};
use serde::Deserialize;

use super::states::{PolicyChoice, PredictionSetting, RegistrationField};
use crate::text::{non_blank, number, required};

/// Registration fields an office may require (the full name always is).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RequiredFields {
    pub birth_year: bool,
    pub phone: bool,
    pub id_number: bool,
    pub locality: bool,
    pub workplace: bool,
}

impl RequiredFields {
    /// The fields named in a comma-separated list; other names are ignored.
    pub fn parse(s: &str) -> Self {
        let has = |field: RegistrationField| s.split(',').any(|p| p.trim().parse() == Ok(field));
        Self {
            birth_year: has(RegistrationField::BirthYear),
            phone: has(RegistrationField::Phone),
            id_number: has(RegistrationField::IdNumber),
            locality: has(RegistrationField::Locality),
            workplace: has(RegistrationField::Workplace),
        }
    }

    /// One flag per field, in the order of [`RegistrationField::ALL`].
    pub fn flags(&self) -> [bool; 5] {
        [
            self.birth_year,
            self.phone,
            self.id_number,
            self.locality,
            self.workplace,
        ]
    }

    pub fn has(&self, field: RegistrationField) -> bool {
        RegistrationField::ALL
            .iter()
            .zip(self.flags())
            .any(|(f, on)| on && *f == field)
    }
}

impl std::fmt::Display for RequiredFields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let on: Vec<&str> = RegistrationField::ALL
            .iter()
            .zip(self.flags())
            .filter(|(_, on)| *on)
            .map(|(f, _)| f.as_str())
            .collect();
        f.write_str(&on.join(","))
    }
}

/// `random:Lịch sử=5;Pháp luật=5` or `fixed:12,13,14` in storage.
pub fn question_set_to_string(set: &QuestionSet) -> String {
    match set {
        QuestionSet::Fixed(ids) => format!(
            "fixed:{}",
            ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
        ),
        QuestionSet::Random { per_topic } => format!(
            "random:{}",
            per_topic
                .iter()
                .map(|(t, n)| format!("{t}={n}"))
                .collect::<Vec<_>>()
                .join(";")
        ),
    }
}

pub fn question_set_from_str(s: &str) -> Option<QuestionSet> {
    if let Some(ids) = s.strip_prefix("fixed:") {
        let ids: Option<Vec<i64>> = ids
            .split([',', ' ', ';'])
            .filter(|p| !p.trim().is_empty())
            .map(|p| p.trim().parse().ok())
            .collect();
        return ids.filter(|v| !v.is_empty()).map(QuestionSet::Fixed);
    }
    let body = s.strip_prefix("random:")?;
    let per_topic: Option<Vec<(String, u32)>> = body
        .split([';', '\n'])
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let (topic, n) = p.rsplit_once(['=', ':'])?;
            let n: u32 = n.trim().parse().ok().filter(|n| (1..=200).contains(n))?;
            Some((topic.trim().to_owned(), n)).filter(|(t, _)| !t.is_empty())
        })
        .collect();
    per_topic
        .filter(|v| !v.is_empty())
        .map(|per_topic| QuestionSet::Random { per_topic })
}

/// Prize quotas, one per line: `Giải Nhất: 1`.
pub fn quotas_from_str(s: &str) -> Option<Vec<Quota>> {
    s.split(['\n', ';'])
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (tier, n) = l.rsplit_once([':', '='])?;
            let count: u32 = n.trim().parse().ok().filter(|n| *n <= 10_000)?;
            let tier = tier.trim();
            (!tier.is_empty() && tier.chars().count() <= 100).then(|| Quota {
                tier: tier.to_owned(),
                count,
            })
        })
        .collect()
}

pub fn quotas_to_string(q: &[Quota]) -> String {
    q.iter()
        .map(|q| format!("{}: {}", q.tier, q.count))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The prediction question as the form names it ("" is none).
pub fn prediction_from_str(s: &str) -> Option<Option<Prediction>> {
    if s.is_empty() {
        return Some(None);
    }
    s.parse::<PredictionSetting>()
        .ok()
        .map(PredictionSetting::rules)
}

/// A contest's settings, valid by construction.
#[derive(Debug, Clone)]
pub struct ContestSettings {
    pub title: String,
    pub description: String,
    pub question_set: QuestionSet,
    pub time_limit_secs: i64,
    pub policy: AttemptPolicy,
    pub counted: Counted,
    pub rules: RankingRules,
    pub ties: TiePolicy,
    /// Lines scoring less get no prize (0: no minimum).
    pub min_prize_score: i64,
    /// How weekly rounds combine, for the final or the overall ranking.
    pub qualify: Qualify,
    /// How many go to the final (0: no final).
    pub finalists: i64,
    pub prediction: Option<Prediction>,
    pub min_age: i64,
    pub localities: Vec<i64>,
    pub required: RequiredFields,
    pub round_quotas: Vec<Quota>,
    pub overall_quotas: Vec<Quota>,
    pub collective_count: i64,
    pub consent_text: String,
    pub retention_days: i64,
}

/// The office's contest form, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ContestForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub question_set: String,
    #[serde(default)]
    pub time_limit_minutes: String,
    #[serde(default)]
    pub attempt_policy: String,
    #[serde(default)]
    pub max_attempts: String,
    #[serde(default)]
    pub counted_attempt: String,
    #[serde(default)]
    pub ranking_rules: String,
    #[serde(default)]
    pub tie_policy: String,
    #[serde(default)]
    pub min_prize_score: String,
    #[serde(default)]
    pub qualify_by: String,
    #[serde(default)]
    pub finalists: String,
    #[serde(default)]
    pub prediction: String,
    #[serde(default)]
    pub min_age: String,
    #[serde(default)]
    pub localities: Vec<i64>,
    #[serde(default)]
    pub required: Vec<String>,
    #[serde(default)]
    pub round_quotas: String,
    #[serde(default)]
    pub overall_quotas: String,
    #[serde(default)]
    pub collective_count: String,
    #[serde(default)]
    pub consent_text: String,
    #[serde(default)]
    pub retention_days: String,
}

impl ContestForm {
    /// The error is the Fluent key of the first problem.
    pub fn parse(&self) -> Result<ContestSettings, &'static str> {
        let choice: PolicyChoice = self
            .attempt_policy
            .parse()
            .map_err(|_| "err-contest-policy")?;
        let policy = match choice {
            PolicyChoice::Unlimited => AttemptPolicy::Unlimited,
            PolicyChoice::Once => AttemptPolicy::Once,
            PolicyChoice::AtMost => AttemptPolicy::AtMost(number(
                &self.max_attempts,
                1..=1000,
                "err-contest-max-attempts",
            )? as u32),
        };
        Ok(ContestSettings {
            title: required(&self.title, 300)?,
            description: required(&self.description, 5000).unwrap_or_default(),
            question_set: question_set_from_str(self.question_set.trim())
                .ok_or("err-contest-question-set")?,
            time_limit_secs: number(&self.time_limit_minutes, 1..=240, "err-contest-time-limit")?
                * 60,
            policy,
            counted: self
                .counted_attempt
                .parse()
                .map_err(|_| "err-contest-counted")?,
            rules: self
                .ranking_rules
                .parse()
                .map_err(|_| "err-contest-ranking")?,
            ties: self.tie_policy.parse().map_err(|_| "err-contest-ties")?,
            min_prize_score: number(&self.min_prize_score, 0..=1000, "err-contest-min-score")?,
            qualify: self.qualify_by.parse().map_err(|_| "err-contest-qualify")?,
            finalists: number(&self.finalists, 0..=10_000, "err-contest-finalists")?,
            prediction: prediction_from_str(&self.prediction).ok_or("err-contest-prediction")?,
            min_age: number(&self.min_age, 0..=100, "err-contest-min-age")?,
            localities: self.localities.clone(),
            required: RequiredFields::parse(&self.required.join(",")),
            round_quotas: quotas_from_str(&self.round_quotas).ok_or("err-contest-quotas")?,
            overall_quotas: quotas_from_str(&self.overall_quotas).ok_or("err-contest-quotas")?,
            collective_count: number(&self.collective_count, 0..=100, "err-contest-collective")?,
            consent_text: required(&self.consent_text, 5000).map_err(|_| "err-contest-consent")?,
            retention_days: number(&self.retention_days, 30..=3650, "err-contest-retention")?,
        })
    }

    pub fn from_settings(s: &ContestSettings) -> Self {
        let (policy, max) = match s.policy {
            AttemptPolicy::Unlimited => (PolicyChoice::Unlimited, String::new()),
            AttemptPolicy::Once => (PolicyChoice::Once, String::new()),
            AttemptPolicy::AtMost(n) => (PolicyChoice::AtMost, n.to_string()),
        };
        Self {
            title: s.title.clone(),
            description: s.description.clone(),
            question_set: question_set_to_string(&s.question_set),
            time_limit_minutes: (s.time_limit_secs / 60).to_string(),
            attempt_policy: policy.as_str().into(),
            max_attempts: max,
            counted_attempt: s.counted.to_string(),
            ranking_rules: s.rules.to_string(),
            tie_policy: s.ties.to_string(),
            min_prize_score: s.min_prize_score.to_string(),
            qualify_by: s.qualify.to_string(),
            finalists: s.finalists.to_string(),
            prediction: PredictionSetting::of(s.prediction).as_str().into(),
            min_age: s.min_age.to_string(),
            localities: s.localities.clone(),
            required: s
                .required
                .to_string()
                .split(',')
                .map(str::to_owned)
                .collect(),
            round_quotas: quotas_to_string(&s.round_quotas),
            overall_quotas: quotas_to_string(&s.overall_quotas),
            collective_count: s.collective_count.to_string(),
            consent_text: s.consent_text.clone(),
            retention_days: s.retention_days.to_string(),
        }
    }
}

/// What a participant typed at registration.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RegistrationForm {
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub birth_year: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub id_number: String,
    #[serde(default)]
    pub unit_id: String,
    #[serde(default)]
    pub workplace: String,
    #[serde(default)]
    pub consent: String,
    /// Hidden from people; bots fill it in.
    #[serde(default)]
    pub website: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub full_name: String,
    pub birth_year: Option<i64>,
    pub phone: Option<Phone>,
    pub id_number: Option<IdNumber>,
    pub unit_id: Option<i64>,
    pub workplace: String,
}

/// The rules a registration is checked against.
pub struct Eligibility<'a> {
    pub required: RequiredFields,
    pub min_age: i64,
    pub localities: &'a [i64],
    pub this_year: i64,
}

impl RegistrationForm {
    pub fn parse(&self, rules: &Eligibility<'_>) -> Result<Registration, &'static str> {
        if !self.website.is_empty() {
            return Err("err-contest-bot");
        }
        if self.consent != "yes" {
            return Err("err-contest-consent-required");
        }
        let full_name = required(&self.full_name, 100).map_err(|_| "err-contest-name")?;
        let birth_year = match non_blank(&self.birth_year) {
            Some(y) => Some(number(y, 1900..=rules.this_year, "err-contest-birth-year")?),
            None if rules.required.birth_year || rules.min_age > 0 => {
                return Err("err-contest-birth-year");
            }
            None => None,
        };
        if birth_year.is_some_and(|y| rules.this_year - y < rules.min_age) {
            return Err("err-contest-too-young");
        }
        let phone = match non_blank(&self.phone) {
            Some(p) => Some(normalise_phone(p).map_err(|_| "err-contest-phone")?),
            None if rules.required.phone => return Err("err-contest-phone"),
            None => None,
        };
        let id_number = match non_blank(&self.id_number) {
            Some(p) => Some(normalise_id_number(p).map_err(|_| "err-contest-id-number")?),
            None if rules.required.id_number => return Err("err-contest-id-number"),
            None => None,
        };
        if phone.is_none() && id_number.is_none() {
            // One registration per person needs something to recognise them by.
            return Err("err-contest-phone");
        }
        let unit_id = match non_blank(&self.unit_id) {
            Some(u) => Some(u.parse::<i64>().map_err(|_| "err-contest-locality")?),
            None if rules.required.locality || !rules.localities.is_empty() => {
                return Err("err-contest-locality");
            }
            None => None,
        };
        if let Some(u) = unit_id
            && !rules.localities.is_empty()
            && !rules.localities.contains(&u)
        {
            return Err("err-contest-locality-outside");
        }
        let workplace = self.workplace.trim();
        if rules.required.workplace && workplace.is_empty() {
            return Err("err-contest-workplace");
        }
        Ok(Registration {
            full_name,
            birth_year,
            phone,
            id_number,
            unit_id,
            workplace: workplace.chars().take(200).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(localities: &[i64]) -> Eligibility<'_> {
        Eligibility {
            required: RequiredFields::parse("birth_year,phone,locality"),
            min_age: 16,
            localities,
            this_year: 2026,
        }
    }

    fn form() -> RegistrationForm {
        RegistrationForm {
            full_name: " Nguyễn Văn An ".into(),
            birth_year: "1990".into(),
            phone: "+84 912 345 678".into(),
            unit_id: "7".into(),
            consent: "yes".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_registration_is_normalised_and_checked_for_eligibility() {
        let r = form().parse(&rules(&[7, 8])).unwrap();
        assert_eq!(r.full_name, "Nguyễn Văn An");
        assert_eq!(r.phone.unwrap().as_str(), "0912345678");
        let refuse = |f: RegistrationForm, l: &[i64]| f.parse(&rules(l)).unwrap_err();
        assert_eq!(
            refuse(
                RegistrationForm {
                    consent: String::new(),
                    ..form()
                },
                &[]
            ),
            "err-contest-consent-required"
        );
        assert_eq!(
            refuse(
                RegistrationForm {
                    website: "x".into(),
                    ..form()
                },
                &[]
            ),
            "err-contest-bot"
        );
        assert_eq!(
            refuse(
                RegistrationForm {
                    birth_year: "2015".into(),
                    ..form()
                },
                &[]
            ),
            "err-contest-too-young"
        );
        assert_eq!(
            refuse(
                RegistrationForm {
                    phone: "12345".into(),
                    ..form()
                },
                &[]
            ),
            "err-contest-phone"
        );
        assert_eq!(refuse(form(), &[8]), "err-contest-locality-outside");
        assert_eq!(
            refuse(
                RegistrationForm {
                    unit_id: String::new(),
                    ..form()
                },
                &[]
            ),
            "err-contest-locality"
        );
    }

    #[test]
    fn settings_survive_a_round_trip_through_the_form() {
        let form = ContestForm {
            title: "Tìm hiểu 90 năm Đảng bộ tỉnh".into(),
            question_set: "random:Lịch sử=5; Pháp luật = 5".into(),
            time_limit_minutes: "20".into(),
            attempt_policy: "at-most".into(),
            max_attempts: "3".into(),
            counted_attempt: "best-fastest".into(),
            ranking_rules: "score,duration,prediction".into(),
            tie_policy: "lottery".into(),
            min_prize_score: "5".into(),
            qualify_by: "best-round".into(),
            finalists: "10".into(),
            prediction: "participants".into(),
            min_age: "0".into(),
            required: vec!["phone".into(), "locality".into()],
            round_quotas: "Giải Nhất: 1\nGiải Nhì: 2".into(),
            overall_quotas: String::new(),
            collective_count: "3".into(),
            consent_text: "Đồng ý".into(),
            retention_days: "365".into(),
            ..Default::default()
        };
        let settings = form.parse().unwrap();
        assert_eq!(settings.policy, AttemptPolicy::AtMost(3));
        assert_eq!(settings.round_quotas.len(), 2);
        assert!(settings.overall_quotas.is_empty());
        let again = ContestForm::from_settings(&settings).parse().unwrap();
        assert_eq!(
            question_set_to_string(&again.question_set),
            "random:Lịch sử=5;Pháp luật=5"
        );
        assert_eq!(again.rules.to_string(), "score,duration,prediction");
        assert_eq!(again.counted, kehoach_contest::Counted::BestThenFastest);
        assert_eq!(again.ties, kehoach_contest::TiePolicy::Lottery);
        assert_eq!(again.min_prize_score, 5);
        assert_eq!((again.qualify, again.finalists), (Qualify::BestRound, 10));
        assert_eq!(again.required, settings.required);
        let bad = ContestForm {
            question_set: "random:".into(),
            ..form.clone()
        };
        assert_eq!(bad.parse().unwrap_err(), "err-contest-question-set");
        let bad = ContestForm {
            round_quotas: "Giải Nhất: một".into(),
            ..form
        };
        assert_eq!(bad.parse().unwrap_err(), "err-contest-quotas");
    }
}
