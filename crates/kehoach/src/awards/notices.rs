//! What the council must know about computed results, kept with them: ties
//! at a prize boundary, tiers left unfilled or over-filled, tiers no work
//! reached. Stored when results are computed, so every view, the minutes
//! and the decision show the same list, not only the page that computed.

use std::collections::HashMap;

use kehoach_award::Allocation;
use serde::{Deserialize, Serialize};

use crate::web::i18n::Tr;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Notice {
    /// Entries equal on every declared rule across a tier boundary.
    Tie { entries: Vec<i64> },
    /// Slots of a tier nobody received.
    Unfilled { tier: String, slots: u32 },
    /// Prizes given beyond a tier's quota (ties included by the policy).
    Exceeded { tier: String, extra: u32 },
    /// A tier whose minimum score no remaining work reached.
    NotReached { tier: String, slots: u32 },
}

/// The notices of one computation, category by category.
pub fn from_allocations(allocations: &[Allocation]) -> Vec<Notice> {
    let mut out = Vec::new();
    for a in allocations {
        out.extend(
            a.ties_for_council
                .iter()
                .map(|g| Notice::Tie { entries: g.clone() }),
        );
        out.extend(
            a.not_reached
                .iter()
                .map(|(tier, slots)| Notice::NotReached {
                    tier: tier.clone(),
                    slots: *slots,
                }),
        );
        // A tier stopped by its minimum is said once, as such.
        let reached = |tier: &String| !a.not_reached.iter().any(|(t, _)| t == tier);
        out.extend(
            a.unfilled
                .iter()
                .filter(|(tier, _)| reached(tier))
                .map(|(tier, slots)| Notice::Unfilled {
                    tier: tier.clone(),
                    slots: *slots,
                }),
        );
        out.extend(a.exceeded.iter().map(|(tier, extra)| Notice::Exceeded {
            tier: tier.clone(),
            extra: *extra,
        }));
    }
    out
}

impl Notice {
    /// One sentence, entries named by their codes.
    pub fn text(&self, tr: &Tr, codes: &HashMap<i64, String>) -> String {
        match self {
            Notice::Tie { entries } => {
                let names: Vec<&str> = entries
                    .iter()
                    .filter_map(|e| codes.get(e).map(String::as_str))
                    .collect();
                tr.t1("award-notice-tie", "entries", names.join(", "))
            }
            Notice::Unfilled { tier, slots } => {
                tr.t2("award-notice-unfilled", ("tier", tier), ("n", slots))
            }
            Notice::Exceeded { tier, extra } => {
                tr.t2("award-notice-exceeded", ("tier", tier), ("n", extra))
            }
            Notice::NotReached { tier, slots } => {
                tr.t2("award-notice-not-reached", ("tier", tier), ("n", slots))
            }
        }
    }
}
