//! Normalising the phone numbers and identity numbers participants type in.
//!
//! The same person writes "0912 345 678", "+84 912.345.678" and
//! "(091) 234-5678"; de-duplicating participants, sending prizes and
//! checking eligibility all need one canonical form. Results are published,
//! so both types also know how to mask themselves, and their `Debug` output
//! is masked so that a stray log line does not leak them.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a phone or identity number was refused. Messages are in Vietnamese
/// because they are shown to participants and office staff as they are.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PersonError {
    /// A character that cannot be part of a phone number.
    #[error("Số điện thoại chứa ký tự không hợp lệ: “{0}”")]
    PhoneCharacter(char),
    /// Wrong length or prefix.
    #[error("Số điện thoại không hợp lệ: cần 10 chữ số, bắt đầu bằng 0 hoặc +84")]
    PhoneFormat,
    /// Well-formed, but not a Vietnamese mobile prefix (03, 05, 07, 08, 09):
    /// prize notifications go by SMS, so a landline is of no use.
    #[error("Số điện thoại không phải số di động Việt Nam (đầu số phải là 03, 05, 07, 08 hoặc 09)")]
    PhoneNotMobile,
    /// A character other than a digit or a space.
    #[error("Số CMND/CCCD chỉ được gồm chữ số, gặp ký tự “{0}”")]
    IdCharacter(char),
    /// Neither 9 (CMND) nor 12 (CCCD) digits.
    #[error(
        "Số CMND/CCCD không hợp lệ: cần 9 chữ số (CMND) hoặc 12 chữ số (CCCD), nhận được {0} chữ số"
    )]
    IdLength(usize),
}

/// A Vietnamese mobile number in its domestic form: "0" and nine digits.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl Phone {
    /// The ten digits, e.g. "0912345678".
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first three and last three digits, the rest as `*`, e.g.
    /// "091****678": enough for a winner to recognise their own number on a
    /// published list, not enough for anyone else to call it.
    #[must_use]
    pub fn masked(&self) -> String {
        mask(&self.0, 3, 3)
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

impl TryFrom<String> for Phone {
    type Error = PersonError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        normalise_phone(&s)
    }
}

impl From<Phone> for String {
    fn from(p: Phone) -> Self {
        p.0
    }
}

/// Canonicalises a Vietnamese mobile number.
///
/// Spaces (any Unicode space, as spreadsheets insert non-breaking ones),
/// dots, dashes and parentheses are dropped. The country code may be
/// written "+84" or "84", and a trunk "0" after it ("+84 (0) 912 ...") is
/// tolerated. What remains must be nine digits starting with a mobile
/// prefix digit.
///
/// # Errors
/// See [`PersonError`].
pub fn normalise_phone(s: &str) -> Result<Phone, PersonError> {
    let mut cleaned = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '0'..='9' => cleaned.push(c),
            // Only a leading '+' (separators aside) is a country-code sign.
            '+' if cleaned.is_empty() => cleaned.push(c),
            c if is_separator(c) => {}
            c => return Err(PersonError::PhoneCharacter(c)),
        }
    }
    let national = if let Some(rest) = cleaned.strip_prefix("+84") {
        rest.strip_prefix('0')
            .filter(|r| r.len() == 9)
            .unwrap_or(rest)
    } else if cleaned.starts_with('+') {
        return Err(PersonError::PhoneFormat);
    } else if cleaned.len() == 11 && cleaned.starts_with("84") {
        &cleaned[2..]
    } else if let Some(rest) = cleaned.strip_prefix('0') {
        rest
    } else {
        return Err(PersonError::PhoneFormat);
    };
    if national.len() != 9 {
        return Err(PersonError::PhoneFormat);
    }
    if !matches!(national.as_bytes()[0], b'3' | b'5' | b'7' | b'8' | b'9') {
        return Err(PersonError::PhoneNotMobile);
    }
    Ok(Phone(format!("0{national}")))
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '.' | '-' | '(' | ')')
}

/// A Vietnamese identity number: 9 digits (old CMND) or 12 digits (CCCD).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IdNumber(String);

impl IdNumber {
    /// The digits, without spaces.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Only the last three digits, the rest as `*` (same length), e.g.
    /// "*********789": identity numbers open bank and SIM registrations, so
    /// a published list shows as little as lets a winner recognise theirs.
    #[must_use]
    pub fn masked(&self) -> String {
        mask(&self.0, 0, 3)
    }

    /// Whether this is a 12-digit citizen identity card number (CCCD)
    /// rather than an old 9-digit CMND.
    #[must_use]
    pub fn is_cccd(&self) -> bool {
        self.0.len() == 12
    }
}

impl fmt::Display for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdNumber({})", self.masked())
    }
}

impl TryFrom<String> for IdNumber {
    type Error = PersonError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        normalise_id_number(&s)
    }
}

impl From<IdNumber> for String {
    fn from(id: IdNumber) -> Self {
        id.0
    }
}

/// Canonicalises a CMND/CCCD number: spaces are dropped (cards print the
/// number in groups), anything else but digits is refused, and the length
/// must be 9 or 12. Leading zeros are kept: they are part of the number.
///
/// # Errors
/// See [`PersonError`].
pub fn normalise_id_number(s: &str) -> Result<IdNumber, PersonError> {
    let mut digits = String::with_capacity(12);
    for c in s.chars() {
        match c {
            '0'..='9' => digits.push(c),
            c if c.is_whitespace() => {}
            c => return Err(PersonError::IdCharacter(c)),
        }
    }
    match digits.len() {
        9 | 12 => Ok(IdNumber(digits)),
        n => Err(PersonError::IdLength(n)),
    }
}

/// Keeps `head` leading and `tail` trailing characters of an ASCII string.
fn mask(s: &str, head: usize, tail: usize) -> String {
    let n = s.len();
    s.char_indices()
        .map(|(i, c)| if i < head || i + tail >= n { c } else { '*' })
        .collect()
}
