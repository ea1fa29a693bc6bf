//! How many attempts a participant may make in one round.
//!
//! Stored as a short string in the round's settings so that an office can
//! read and edit it in a spreadsheet or an admin form without knowing the
//! program's internals.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The attempt policy of a round.
///
/// `Once` and `AtMost(1)` allow the same thing; both exist because offices
/// word their rules ("mỗi người chỉ được thi một lần" vs "tối đa 1 lượt")
/// differently and the settings should read back the way they were written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum AttemptPolicy {
    /// Any number of attempts; the best one counts.
    Unlimited,
    /// At most this many attempts (always at least 1).
    AtMost(u32),
    /// Exactly one attempt.
    Once,
}

impl AttemptPolicy {
    /// Whether one more attempt may start, given how many the participant
    /// has already made in this round.
    #[must_use]
    pub fn allows(&self, attempts_so_far: u32) -> bool {
        match *self {
            Self::Unlimited => true,
            Self::AtMost(n) => attempts_so_far < n,
            Self::Once => attempts_so_far == 0,
        }
    }
}

/// Why a policy string was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// Not one of the known forms.
    #[error("Quy định số lượt thi không hợp lệ: “{0}” (dùng “unlimited”, “once” hoặc “at-most:N”)")]
    Unknown(String),
    /// `at-most:` followed by something that is not a positive whole number.
    /// Zero is refused: a round nobody may enter is a typing mistake.
    #[error("Số lượt thi tối đa phải là số nguyên dương, nhận được “{0}”")]
    BadCount(String),
}

impl fmt::Display for AttemptPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unlimited => f.write_str("unlimited"),
            Self::AtMost(n) => write!(f, "at-most:{n}"),
            Self::Once => f.write_str("once"),
        }
    }
}

impl FromStr for AttemptPolicy {
    type Err = PolicyError;

    /// Case and surrounding spaces are forgiven because the value is often
    /// typed by hand into a settings sheet.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        match lower.as_str() {
            "unlimited" => Ok(Self::Unlimited),
            "once" => Ok(Self::Once),
            other => {
                let Some(count) = other.strip_prefix("at-most:") else {
                    return Err(PolicyError::Unknown(s.to_owned()));
                };
                let count = count.trim();
                match count.parse::<u32>() {
                    Ok(n) if n > 0 => Ok(Self::AtMost(n)),
                    _ => Err(PolicyError::BadCount(count.to_owned())),
                }
            }
        }
    }
}

impl TryFrom<String> for AttemptPolicy {
    type Error = PolicyError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<AttemptPolicy> for String {
    fn from(p: AttemptPolicy) -> Self {
        p.to_string()
    }
}
