//! The edition form's list fields, one parser and one printer each: the
//! categories, tiers, criteria, tie rules and shortlist rules as typed.

use std::collections::BTreeMap;

use kehoach_award::{CategoryRule, Kind, Need, Shortlist, TieRule, Tier};

use super::edition::{FinalJudges, NamedCriterion, TopicPrize};
use super::{cells, lines};
use crate::text::{number, required};

pub(super) fn key_ok(k: &str) -> bool {
    !k.is_empty()
        && k.len() <= 40
        && k.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

pub(super) fn need_str(n: Need) -> &'static str {
    match n {
        Need::File => "file",
        Need::FileOrLink => "file-or-link",
        Need::Link => "link",
    }
}

pub fn parse_categories(s: &str) -> Result<Vec<CategoryRule>, &'static str> {
    let err = "err-award-categories";
    let mut out: Vec<CategoryRule> = Vec::new();
    for line in lines(s) {
        let c = cells(line);
        // Files per entry and their total are optional trailing cells.
        let (key, name, kinds, max_mb, need, max_files, max_total) = match c.as_slice() {
            [k, n, kinds, mb, need] => (k, n, kinds, mb, need, "10", "0"),
            [k, n, kinds, mb, need, files] => (k, n, kinds, mb, need, *files, "0"),
            [k, n, kinds, mb, need, files, total] => (k, n, kinds, mb, need, *files, *total),
            _ => return Err(err),
        };
        let kinds: Option<Vec<Kind>> = kinds.split(',').map(Kind::parse).collect();
        let need = match *need {
            "file" => Need::File,
            "file-or-link" => Need::FileOrLink,
            "link" => Need::Link,
            _ => return Err(err),
        };
        // An entry request is capped at 2 GiB (entrant::MAX_REQUEST_BYTES).
        let max_mb = number(max_mb, 1..=2048, err)? as u64;
        if !key_ok(key) || name.is_empty() || out.iter().any(|o| o.key == *key) {
            return Err(err);
        }
        out.push(CategoryRule {
            key: (*key).to_owned(),
            name: (*name).to_owned(),
            kinds: kinds.filter(|k| !k.is_empty()).ok_or(err)?,
            max_mb,
            need,
            max_files: number(max_files, 1..=100, err)? as u32,
            max_total_mb: number(max_total, 0..=2048, err)? as u64,
        });
    }
    if out.is_empty() { Err(err) } else { Ok(out) }
}

pub(super) fn categories_to_string(cats: &[CategoryRule]) -> String {
    cats.iter()
        .map(|c| {
            let kinds: Vec<&str> = c.kinds.iter().map(|k| k.key()).collect();
            format!(
                "{} | {} | {} | {} | {} | {} | {}",
                c.key,
                c.name,
                kinds.join(","),
                c.max_mb,
                need_str(c.need),
                c.max_files,
                c.max_total_mb
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `Name: quota` a line, best first; `| minimum` after the quota sets the
/// lowest mean score the tier may go to.
pub fn parse_tiers(s: &str) -> Result<Vec<Tier>, &'static str> {
    let err = "err-award-tiers";
    let tiers: Vec<Tier> = lines(s)
        .map(|l| {
            let (l, min) = match l.split_once('|') {
                Some((l, min)) => (l, Some(points(min).ok_or(err)?)),
                None => (l, None),
            };
            let (name, quota) = l.rsplit_once(':').ok_or(err)?;
            Ok(Tier {
                name: required(name, 100).map_err(|_| err)?,
                quota: number(quota, 0..=1000, err)? as u32,
                min_milli: min.map(kehoach_award::to_milli),
            })
        })
        .collect::<Result<_, &'static str>>()?;
    if tiers.is_empty() {
        Err(err)
    } else {
        Ok(tiers)
    }
}

/// Tiers as the form writes them, a line each.
pub fn tiers_to_string(tiers: &[Tier]) -> String {
    tiers
        .iter()
        .map(|t| match t.min_milli {
            Some(min) => format!("{}: {} | {}", t.name, t.quota, min as f64 / 1000.0),
            None => format!("{}: {}", t.name, t.quota),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub(super) fn parse_criteria(s: &str) -> Result<Vec<NamedCriterion>, &'static str> {
    let err = "err-award-criteria";
    let mut out: Vec<NamedCriterion> = Vec::new();
    for line in lines(s) {
        let c = cells(line);
        let [key, name, weight] = c.as_slice() else {
            return Err(err);
        };
        if !key_ok(key) || name.is_empty() || out.iter().any(|o| o.key == *key) {
            return Err(err);
        }
        out.push(NamedCriterion {
            key: (*key).to_owned(),
            name: (*name).to_owned(),
            weight: number(weight, 1..=100, err)? as u32,
        });
    }
    if out.is_empty() { Err(err) } else { Ok(out) }
}

/// The form's name of each tie rule.
pub const TIE_RULE_KEYS: [(TieRule, &str); 3] = [
    (TieRule::Median, "median"),
    (TieRule::MaxSingle, "max-single"),
    (TieRule::EarlierSubmission, "earlier-submission"),
];

pub fn tie_rule_key(rule: TieRule) -> &'static str {
    TIE_RULE_KEYS
        .iter()
        .find(|(r, _)| *r == rule)
        .map(|(_, k)| *k)
        .unwrap_or_default()
}

pub(super) fn parse_tie_rules(s: &str) -> Result<Vec<TieRule>, &'static str> {
    let mut out = Vec::new();
    for part in s
        .split([',', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let rule = TIE_RULE_KEYS
            .iter()
            .find(|(_, k)| *k == part)
            .map(|(r, _)| *r)
            .ok_or("err-award-tie-rules")?;
        if out.contains(&rule) {
            return Err("err-award-tie-rules");
        }
        out.push(rule);
    }
    Ok(out)
}

/// A score in points, non-negative.
pub(super) fn points(s: &str) -> Option<f64> {
    // Vietnamese writes the decimal comma.
    s.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite() && *x >= 0.0)
}

pub(super) fn parse_shortlist(s: &str) -> Result<Shortlist, &'static str> {
    let err = "err-award-shortlist";
    let (mut top, mut min) = (None, None);
    for part in s.split_whitespace() {
        match part.split_once(':') {
            Some(("top", n)) if top.is_none() => top = Some(number(n, 1..=10_000, err)? as usize),
            Some(("threshold", x)) if min.is_none() => min = Some(points(x).ok_or(err)?),
            _ => return Err(err),
        }
    }
    match (top, min) {
        (Some(n), None) => Ok(Shortlist::TopN(n)),
        (None, Some(x)) => Ok(Shortlist::Threshold(x)),
        (Some(n), Some(x)) => Ok(Shortlist::TopNAbove(n, x)),
        (None, None) => Err(err),
    }
}

pub(super) fn shortlist_to_string(s: Shortlist) -> String {
    match s {
        Shortlist::TopN(n) => format!("top:{n}"),
        Shortlist::Threshold(x) => format!("threshold:{x}"),
        Shortlist::TopNAbove(n, x) => format!("top:{n} threshold:{x}"),
    }
}

pub(super) fn parse_quotas(
    s: &str,
    categories: &[CategoryRule],
) -> Result<BTreeMap<String, Shortlist>, &'static str> {
    let err = "err-award-shortlist-quotas";
    let mut out = BTreeMap::new();
    for line in lines(s) {
        let (key, rule) = line.split_once(':').ok_or(err)?;
        let key = key.trim();
        if !categories.iter().any(|c| c.key == key) || out.contains_key(key) {
            return Err(err);
        }
        out.insert(key.to_owned(), parse_shortlist(rule).map_err(|_| err)?);
    }
    Ok(out)
}

pub(super) fn parse_final_judges(s: &str) -> Result<FinalJudges, &'static str> {
    match s.trim() {
        "" => Ok(FinalJudges::Same),
        "all" => Ok(FinalJudges::WholeCouncil),
        n => Ok(FinalJudges::Count(
            number(n, 1..=50, "err-award-final-judges")? as usize,
        )),
    }
}

/// `Name: quota | finalists` (only works of the final round) or
/// `| accepted` (any accepted entry) a line.
pub(super) fn parse_topics(s: &str) -> Result<Vec<TopicPrize>, &'static str> {
    let err = "err-award-topics";
    let mut out: Vec<TopicPrize> = Vec::new();
    for line in lines(s) {
        let (head, who) = line.split_once('|').ok_or(err)?;
        let (name, quota) = head.rsplit_once(':').ok_or(err)?;
        let name = required(name, 200).map_err(|_| err)?;
        let finalists_only = match who.trim() {
            "finalists" => true,
            "accepted" => false,
            _ => return Err(err),
        };
        if out.iter().any(|t| t.name == name) {
            return Err(err);
        }
        out.push(TopicPrize {
            name,
            quota: number(quota, 1..=100, err)? as u32,
            finalists_only,
        });
    }
    Ok(out)
}

pub(super) fn topics_to_string(topics: &[TopicPrize]) -> String {
    topics
        .iter()
        .map(|t| {
            let who = if t.finalists_only {
                "finalists"
            } else {
                "accepted"
            };
            format!("{}: {} | {who}", t.name, t.quota)
        })
        .collect::<Vec<_>>()
        .join("\n")
}
