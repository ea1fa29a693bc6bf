//! Account input parsed once at the edge into types that cannot be invalid.

use crate::web::Role;

use super::password::MIN_LEN;

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
    pub password: String,
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
        if password.chars().count() < MIN_LEN {
            return Err("err-password-short");
        }
        let role = Role::parse(role).ok_or("err-role")?;
        if role == Role::Member && unit_ids.is_empty() {
            return Err("err-member-needs-unit");
        }
        Ok(Self {
            username,
            display_name: display_name.to_owned(),
            password: password.to_owned(),
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
            NewUser::parse("donvi", "Đơn vị", "0123456789", "member", vec![], "").unwrap_err(),
            "err-member-needs-unit"
        );
        assert_eq!(
            NewUser::parse("donvi", "Đơn vị", "short", "member", vec![1], "").unwrap_err(),
            "err-password-short"
        );
        assert!(NewUser::parse("donvi", "Đơn vị", "0123456789", "member", vec![1], "").is_ok());
    }
}
