//! Automatic judge assignment.
//!
//! Each entry of a press award (or poster / writing contest) is marked by
//! several judges of the sub-council for its category. The office wants the
//! work spread evenly, and above all it must be able to show that nobody
//! marked an entry they have a stake in: their own outlet's work, work they
//! co-authored, or an entry they declared a conflict on. This module computes
//! such an assignment deterministically (the same input always gives the same
//! pairs, so a re-run never silently reshuffles judges), keeping the office's
//! manual decisions untouched.
//!
//! # Algorithm
//!
//! Every category is its own pool: the judges whose `categories` list it.
//! A judge sitting on several sub-councils is balanced independently in each
//! pool, because each sub-council meets and divides its work separately.
//!
//! 1. Manual overrides (`existing`) are kept as they are and count towards
//!    both the entry's `k` and the judge's load in the entry's pool.
//! 2. Greedy: entries with the fewest eligible (in pool, unconflicted) judges
//!    are served first — they have the least freedom — ties by entry id. Each
//!    takes the least-loaded eligible judges, ties by judge id.
//! 3. Repair: while some judge's load exceeds another's by two or more in the
//!    same pool, move one automatic pair from the heavier to the lighter judge
//!    when that creates neither a conflict nor a duplicate. Every move lowers
//!    the sum of squared loads, so the pass terminates. Without conflicts this
//!    reaches loads differing by at most one; with conflicts it is a best
//!    effort (some imbalances would need chains of moves, which the office
//!    can fix by hand).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::{Deserialize, Serialize};

/// An entry to be judged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryInfo {
    pub id: i64,
    /// The sub-council (category) that judges it.
    pub category: String,
    /// The press outlet (newspaper, station) that published it, if any.
    pub outlet: Option<String>,
    /// Person ids of the authors.
    pub authors: Vec<i64>,
}

/// A judge and what is known about their possible conflicts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JudgeInfo {
    pub id: i64,
    /// The sub-councils (categories) the judge sits on.
    pub categories: Vec<String>,
    /// The outlet the judge works for, if any.
    pub outlet: Option<String>,
    /// The judge's person id, to detect co-authorship.
    pub person: Option<i64>,
    /// Entry ids the judge declared a conflict of interest on.
    pub declared_conflicts: Vec<i64>,
}

/// Why a judge may not mark an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ConflictReason {
    /// The judge works for the outlet that published the entry.
    SameOutlet,
    /// The judge declared a conflict on this entry.
    Declared,
    /// The judge is one of the entry's authors.
    CoAuthor,
}

/// An entry that could not get `needed` judges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shortfall {
    pub entry: i64,
    /// The `k` that was asked for.
    pub needed: usize,
    /// How many distinct judges the entry could get — eligible unconflicted
    /// judges of its pool plus any manual overrides — which is also how many
    /// it got.
    pub eligible: usize,
}

/// A manual override that pairs a judge with an entry they conflict with.
/// Kept (it is the office's decision) but reported so it is made knowingly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictingOverride {
    pub entry: i64,
    pub judge: i64,
    pub reasons: Vec<ConflictReason>,
}

/// The outcome of [`assign`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// `(entry, judge)` pairs, overrides included, sorted and distinct.
    pub pairs: Vec<(i64, i64)>,
    /// Entries with fewer than `k` judges, by entry id.
    pub shortfalls: Vec<Shortfall>,
    /// Manual overrides that conflict, by `(entry, judge)`.
    pub conflicting_overrides: Vec<ConflictingOverride>,
    /// Per category pool, every pool judge's load (number of entries of that
    /// category they mark), zero loads included. Overrides that pair an entry
    /// with a judge outside its pool are in `pairs` but not here.
    pub loads: BTreeMap<String, BTreeMap<i64, usize>>,
}

/// Outlet names are typed by hand in different offices: compare them
/// trimmed and case-insensitively. Empty names mean "no outlet".
fn norm_outlet(outlet: &Option<String>) -> Option<String> {
    outlet
        .as_deref()
        .map(|o| o.trim().to_lowercase())
        .filter(|o| !o.is_empty())
}

/// All the reasons `judge` may not mark `entry` (empty when there is none).
pub fn conflicts(entry: &EntryInfo, judge: &JudgeInfo) -> Vec<ConflictReason> {
    let mut reasons = Vec::new();
    if let (Some(a), Some(b)) = (norm_outlet(&entry.outlet), norm_outlet(&judge.outlet))
        && a == b
    {
        reasons.push(ConflictReason::SameOutlet);
    }
    if judge.declared_conflicts.contains(&entry.id) {
        reasons.push(ConflictReason::Declared);
    }
    if let Some(p) = judge.person
        && entry.authors.contains(&p)
    {
        reasons.push(ConflictReason::CoAuthor);
    }
    reasons
}

/// `true` when `judge` may not mark `entry`.
pub fn is_conflict(entry: &EntryInfo, judge: &JudgeInfo) -> bool {
    !conflicts(entry, judge).is_empty()
}

/// Judge data pre-digested for fast conflict checks.
struct JudgeKey {
    id: i64,
    outlet: Option<String>,
    person: Option<i64>,
    declared: HashSet<i64>,
}

struct EntryKey<'a> {
    id: i64,
    outlet: Option<String>,
    authors: &'a [i64],
}

impl JudgeKey {
    fn conflicts_with(&self, e: &EntryKey<'_>) -> bool {
        matches!((&self.outlet, &e.outlet), (Some(a), Some(b)) if a == b)
            || self.declared.contains(&e.id)
            || self.person.is_some_and(|p| e.authors.contains(&p))
    }
}

/// Assigns `k` distinct judges to every entry; see the module docs.
///
/// `existing` holds manual `(entry, judge)` overrides; they are kept even when
/// they conflict or lie outside the entry's category (reported in
/// [`Assignment::conflicting_overrides`] when they conflict). Overrides naming
/// an unknown entry or judge are kept in `pairs` without checks. Ids should
/// be unique; if an entry or judge id repeats, its first occurrence is used.
pub fn assign(
    entries: &[EntryInfo],
    judges: &[JudgeInfo],
    k: usize,
    existing: &[(i64, i64)],
) -> Assignment {
    // Digest judges, first occurrence of an id wins.
    let mut judge_keys: Vec<JudgeKey> = Vec::new();
    let mut judge_src: Vec<&JudgeInfo> = Vec::new();
    let mut judge_index: HashMap<i64, usize> = HashMap::new();
    let mut pools: BTreeMap<String, BTreeSet<i64>> = BTreeMap::new();
    for j in judges {
        if judge_index.contains_key(&j.id) {
            continue;
        }
        judge_index.insert(j.id, judge_keys.len());
        judge_src.push(j);
        judge_keys.push(JudgeKey {
            id: j.id,
            outlet: norm_outlet(&j.outlet),
            person: j.person,
            declared: j.declared_conflicts.iter().copied().collect(),
        });
        for c in &j.categories {
            pools.entry(c.clone()).or_default().insert(j.id);
        }
    }
    let mut entry_index: HashMap<i64, usize> = HashMap::new();
    let mut entry_keys: Vec<EntryKey<'_>> = Vec::new();
    let mut entry_infos: Vec<&EntryInfo> = Vec::new();
    for e in entries {
        if entry_index.contains_key(&e.id) {
            continue;
        }
        entry_index.insert(e.id, entry_keys.len());
        entry_keys.push(EntryKey {
            id: e.id,
            outlet: norm_outlet(&e.outlet),
            authors: &e.authors,
        });
        entry_infos.push(e);
    }

    // Manual overrides.
    let mut all_pairs: BTreeSet<(i64, i64)> = existing.iter().copied().collect();
    let mut conflicting_overrides = Vec::new();
    // on_entry[entry idx] = judges already on the entry.
    let mut on_entry: Vec<BTreeSet<i64>> = vec![BTreeSet::new(); entry_keys.len()];
    // loads[category][judge] for pool members.
    let mut loads: BTreeMap<String, BTreeMap<i64, usize>> = pools
        .iter()
        .map(|(c, js)| (c.clone(), js.iter().map(|&j| (j, 0)).collect()))
        .collect();
    for &(e, j) in &all_pairs {
        let Some(&ei) = entry_index.get(&e) else {
            continue;
        };
        on_entry[ei].insert(j);
        if let Some(&ji) = judge_index.get(&j) {
            let reasons = conflicts(entry_infos[ei], judge_src[ji]);
            if !reasons.is_empty() {
                conflicting_overrides.push(ConflictingOverride {
                    entry: e,
                    judge: j,
                    reasons,
                });
            }
        }
        if let Some(l) = loads
            .get_mut(&entry_infos[ei].category)
            .and_then(|m| m.get_mut(&j))
        {
            *l += 1;
        }
    }

    // Group entries by category, computing their eligible judges.
    let mut shortfalls = Vec::new();
    let mut auto_pairs: BTreeMap<String, Vec<(i64, i64)>> = BTreeMap::new();
    let mut by_cat: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (ei, e) in entry_infos.iter().enumerate() {
        by_cat.entry(e.category.as_str()).or_default().push(ei);
    }
    for (cat, idxs) in by_cat {
        let pool: Vec<usize> = pools
            .get(cat)
            .map(|js| js.iter().map(|j| judge_index[j]).collect())
            .unwrap_or_default();
        // (eligible judge indices not yet on the entry, entry idx)
        let mut work: Vec<(Vec<usize>, usize)> = idxs
            .into_iter()
            .map(|ei| {
                let ek = &entry_keys[ei];
                let elig: Vec<usize> = pool
                    .iter()
                    .copied()
                    .filter(|&ji| !judge_keys[ji].conflicts_with(ek))
                    .filter(|&ji| !on_entry[ei].contains(&judge_keys[ji].id))
                    .collect();
                (elig, ei)
            })
            .collect();
        work.sort_by_key(|(elig, ei)| (elig.len() + on_entry[*ei].len(), entry_keys[*ei].id));
        // A category with no judges has no pool: its entries only get
        // shortfalls, and it gets no `loads` row.
        let mut no_pool = BTreeMap::new();
        let cat_loads = loads.get_mut(cat).unwrap_or(&mut no_pool);
        let mut cat_pairs = Vec::new();
        for (mut elig, ei) in work {
            let have = on_entry[ei].len();
            let needed = k.saturating_sub(have);
            let take = needed.min(elig.len());
            if take > 0 {
                elig.sort_by_key(|&ji| (cat_loads[&judge_keys[ji].id], judge_keys[ji].id));
                for &ji in &elig[..take] {
                    let jid = judge_keys[ji].id;
                    on_entry[ei].insert(jid);
                    *cat_loads.get_mut(&jid).expect("pool judge") += 1;
                    cat_pairs.push((entry_keys[ei].id, jid));
                }
            }
            if have + take < k {
                shortfalls.push(Shortfall {
                    entry: entry_keys[ei].id,
                    needed: k,
                    eligible: have + elig.len(),
                });
            }
        }
        repair(
            &mut cat_pairs,
            cat_loads,
            &mut on_entry,
            &entry_index,
            &entry_keys,
            &judge_index,
            &judge_keys,
        );
        auto_pairs.insert(cat.to_string(), cat_pairs);
    }
    for ps in auto_pairs.into_values() {
        all_pairs.extend(ps);
    }
    shortfalls.sort_by_key(|s| s.entry);
    Assignment {
        pairs: all_pairs.into_iter().collect(),
        shortfalls,
        conflicting_overrides,
        loads,
    }
}

/// The repair pass: moves automatic pairs from heavier to lighter judges of
/// one pool until no move between judges whose loads differ by ≥ 2 is allowed.
fn repair(
    pairs: &mut [(i64, i64)],
    loads: &mut BTreeMap<i64, usize>,
    on_entry: &mut [BTreeSet<i64>],
    entry_index: &HashMap<i64, usize>,
    entry_keys: &[EntryKey<'_>],
    judge_index: &HashMap<i64, usize>,
    judge_keys: &[JudgeKey],
) {
    if loads.len() < 2 {
        return;
    }
    // Automatic pairs per judge: judge -> positions in `pairs`.
    let mut by_judge: BTreeMap<i64, BTreeSet<(i64, usize)>> = BTreeMap::new();
    for (pos, &(e, j)) in pairs.iter().enumerate() {
        by_judge.entry(j).or_default().insert((e, pos));
    }
    loop {
        let mut order: Vec<(usize, i64)> = loads.iter().map(|(&j, &l)| (l, j)).collect();
        order.sort();
        let (min_load, _) = order[0];
        let (max_load, _) = order[order.len() - 1];
        if max_load < min_load + 2 {
            return;
        }
        let mut moved = false;
        'outer: for &(hl, heavy) in order.iter().rev() {
            for &(ll, light) in &order {
                if hl < ll + 2 {
                    break;
                }
                let Some(cands) = by_judge.get(&heavy) else {
                    break;
                };
                let lk = &judge_keys[judge_index[&light]];
                let found = cands.iter().copied().find(|&(e, _)| {
                    let ei = entry_index[&e];
                    !on_entry[ei].contains(&light) && !lk.conflicts_with(&entry_keys[ei])
                });
                if let Some((e, pos)) = found {
                    let ei = entry_index[&e];
                    on_entry[ei].remove(&heavy);
                    on_entry[ei].insert(light);
                    pairs[pos].1 = light;
                    by_judge.get_mut(&heavy).expect("heavy").remove(&(e, pos));
                    by_judge.entry(light).or_default().insert((e, pos));
                    *loads.get_mut(&heavy).expect("pool") -= 1;
                    *loads.get_mut(&light).expect("pool") += 1;
                    moved = true;
                    break 'outer;
                }
            }
        }
        if !moved {
            return;
        }
    }
}

/// Per category pool, the smallest and largest judge load, for tests and
/// reports ("each judge of the reportage sub-council marks 41–42 entries").
/// Pools with no judge are absent.
pub fn load_spread(assignment: &Assignment) -> BTreeMap<String, (usize, usize)> {
    assignment
        .loads
        .iter()
        .filter_map(|(c, m)| {
            let min = m.values().min()?;
            let max = m.values().max()?;
            Some((c.clone(), (*min, *max)))
        })
        .collect()
}
