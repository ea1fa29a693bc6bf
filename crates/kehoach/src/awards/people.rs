//! Authors the secretariat should look at twice: names that differ only in
//! diacritics, case or spacing, from the same outlet ("Tô Anh Hoa" and "Tô
//! Anh Hòa" of one newspaper). They are different people to the rules —
//! names are compared as written — so the list is for a person to review,
//! never a silent merge.

use std::collections::{BTreeMap, BTreeSet};

use super::repo::EntryRow;

/// One name as written and the entries that carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub name: String,
    pub outlet: String,
    pub entries: Vec<String>,
}

/// Groups of two or more differently written names that fold to the same
/// name at the same outlet, each with its entry codes.
pub fn suspected_same(entries: &[EntryRow]) -> Vec<Vec<Written>> {
    // (folded name, folded outlet) → identity key → written name, codes.
    type Keyed = BTreeMap<String, (String, String, BTreeSet<String>)>;
    let mut groups: BTreeMap<(String, String), Keyed> = BTreeMap::new();
    for e in entries {
        for a in &e.authors {
            let fold = (
                kehoach_plan::fold(&a.real_name),
                kehoach_plan::fold(&e.outlet),
            );
            let slot = groups
                .entry(fold)
                .or_default()
                .entry(kehoach_award::person_key(&a.real_name))
                .or_insert_with(|| (a.real_name.clone(), e.outlet.clone(), BTreeSet::new()));
            slot.2.insert(e.code.clone());
        }
    }
    groups
        .into_values()
        .filter(|keys| keys.len() > 1)
        .map(|keys| {
            keys.into_values()
                .map(|(name, outlet, codes)| Written {
                    name,
                    outlet,
                    entries: codes.into_iter().collect(),
                })
                .collect()
        })
        .collect()
}
