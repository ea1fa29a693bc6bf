//! Account input parsed once at the edge into types that cannot be invalid.

use crate::web::Role;

use crate::session::password::{MAX_LEN, MIN_LEN};

/// Passwords too common to keep anyone out (lower case, ten characters or
/// more; shorter ones fail the length rule first).
static COMMON: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
    std::sync::LazyLock::new(|| {
        include_str!("../session/data/common-passwords.txt")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .collect()
    });

/// A new password that passes the rules: long enough, not too long, not on
/// the list of common passwords, and not the user name itself.
#[derive(Debug, Clone)]
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(password: &str, username: &str) -> Result<Self, &'static str> {
        let len = password.chars().count();
        if len < MIN_LEN {
            return Err("err-password-short");
        }
        if password.len() > MAX_LEN {
            return Err("err-password-long");
        }
        let lower = password.to_lowercase();
        if COMMON.contains(lower.as_str()) {
            return Err("err-password-common");
        }
        if !username.is_empty() && lower.contains(&username.to_lowercase()) {
            return Err("err-password-username");
        }
        Ok(Self(password.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(s: &str) -> Result<Self, &'static str> {
        let s = s.trim().to_lowercase();
        let ok_chars = s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
        if (3..=40).contains(&s.len()) && ok_chars {
            Ok(Self(s))
        } else {
            Err("err-username")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: Username,
    pub display_name: String,
    pub password: NewPassword,
    pub role: Role,
    pub unit_ids: Vec<i64>,
    /// Where reminders are e-mailed; optional.
    pub email: Option<String>,
}

impl NewUser {
    /// Returns the Fluent key of the first problem found.
    pub fn parse(
        username: &str,
        display_name: &str,
        password: &str,
        role: &str,
        unit_ids: Vec<i64>,
        email: &str,
    ) -> Result<Self, &'static str> {
        let email = email.trim();
        let email = match email {
            "" => None,
            e if e.len() <= 200
                && e.split_once('@')
                    .is_some_and(|(a, b)| !a.is_empty() && b.contains('.'))
                && !e.contains(char::is_whitespace) =>
            {
                Some(e.to_owned())
            }
            _ => return Err("err-email"),
        };
        let username = Username::parse(username)?;
        let display_name = display_name.trim();
        if display_name.is_empty() || display_name.chars().count() > 100 {
            return Err("err-display-name");
        }
        let password = NewPassword::parse(password, username.as_str())?;
        let role = Role::parse(role).ok_or("err-role")?;
        if role == Role::Member && unit_ids.is_empty() {
            return Err("err-member-needs-unit");
        }
        Ok(Self {
            username,
            display_name: display_name.to_owned(),
            password,
            role,
            unit_ids,
            email,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_normalised_and_checked() {
        assert_eq!(Username::parse(" DieuPhoi ").unwrap().as_str(), "dieuphoi");
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse("tên có dấu").is_err());
    }

    #[test]
    fn members_need_a_unit_and_passwords_a_length() {
        assert_eq!(
            NewUser::parse("donvi", "Đơn vị", "sông Hồng 1975", "member", vec![], "").unwrap_err(),
            "err-member-needs-unit"
        );
        assert_eq!(
            NewUser::parse("donvi", "Đơn vị", "short", "member", vec![1], "").unwrap_err(),
            "err-password-short"
        );
        assert!(NewUser::parse("donvi", "Đơn vị", "sông Hồng 1975", "member", vec![1], "").is_ok());
    }

    #[test]
    fn common_passwords_and_the_user_name_are_refused() {
        assert_eq!(
            NewPassword::parse("1234567890", "a").unwrap_err(),
            "err-password-common"
        );
        assert_eq!(
            NewPassword::parse("MatKhau123", "a").unwrap_err(),
            "err-password-common"
        );
        assert_eq!(
            NewPassword::parse("dieuphoi-2026!", "dieuphoi").unwrap_err(),
            "err-password-username"
        );
        assert_eq!(
            NewPassword::parse(&"x".repeat(300), "a").unwrap_err(),
            "err-password-long"
        );
        assert!(NewPassword::parse("ba con sông Hồng", "dieuphoi").is_ok());
    }
}
