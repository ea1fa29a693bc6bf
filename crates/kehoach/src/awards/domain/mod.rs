//! An edition's rules and an entry, parsed once from the secretariat's and
//! the entrant's forms into values the rest of the module can trust.

mod edition;
mod entry;
mod fields;
mod outlets;

pub use edition::{
    EditionForm, EditionSettings, FinalJudges, Letterhead, NamedCriterion, TopicPrize, default_form,
};
pub use entry::{Author, EntryForm, NewEntry};
pub use fields::{TIE_RULE_KEYS, parse_categories, parse_tiers, tie_rule_key, tiers_to_string};
pub use outlets::{Outlet, Outlets};

pub(super) fn cells(line: &str) -> Vec<&str> {
    line.split('|').map(str::trim).collect()
}

pub(super) fn lines(s: &str) -> impl Iterator<Item = &str> {
    s.lines().map(str::trim).filter(|l| !l.is_empty())
}
