//! Who may try a password now. Two limits, both with growing waits rather
//! than a lock-out:
//!
//! - per address, across user names, so one machine cannot spray a password
//!   over many accounts; generous enough for an office behind one NAT
//!   address logging in at 8 o'clock;
//! - per user name, across addresses, so a botnet cannot guess one account.
//!
//! Every attempt counts (a success too), so a guesser cannot reset a limit
//! with an account of their own. The tiers are written here and in
//! docs/security.md.

use std::time::Duration;

use crate::web::ratelimit::{RateLimiter, Tier};

const fn tier(burst: u32, every_secs: u64) -> Tier {
    Tier {
        burst,
        every: Duration::from_secs(every_secs),
    }
}

/// 30 attempts at once, then one every 10 s; past 120, one a minute.
pub const BY_ADDRESS: [Tier; 2] = [tier(30, 10), tier(120, 60)];
/// 5 attempts at once, then one every 30 s; past 20, one every 5 minutes.
pub const BY_USER: [Tier; 2] = [tier(5, 30), tier(20, 300)];
/// New entrant accounts from one address: generous, since a newsroom
/// registers its journalists from one address: 60 at once, then one every
/// 10 s; past 300, one a minute.
pub const REGISTRATIONS: [Tier; 2] = [tier(60, 10), tier(300, 60)];
/// New accounts with one e-mail address, from anywhere: 3, then one an hour.
pub const REGISTRATIONS_BY_EMAIL: [Tier; 1] = [tier(3, 3600)];

pub struct LoginGuard {
    by_address: RateLimiter<String>,
    by_user: RateLimiter<String>,
    registrations: RateLimiter<String>,
    registrations_by_email: RateLimiter<String>,
}

impl Default for LoginGuard {
    fn default() -> Self {
        Self {
            by_address: RateLimiter::tiered(&BY_ADDRESS),
            by_user: RateLimiter::tiered(&BY_USER),
            registrations: RateLimiter::tiered(&REGISTRATIONS),
            registrations_by_email: RateLimiter::tiered(&REGISTRATIONS_BY_EMAIL),
        }
    }
}

impl LoginGuard {
    /// Counts an attempt on `user_name` from `address`; the wait if refused.
    /// The user name must already be bounded (a parsed `Username` or a
    /// short prefix), so the limiter's memory stays bounded.
    pub fn attempt(&self, address: &str, user_name: &str) -> Result<(), Duration> {
        self.by_address.check(&address_key(address))?;
        self.by_user.check(&user_name.to_owned())
    }

    /// Counts a registration of a new account from `address`, with the
    /// e-mail address typed (if any; case and surrounding space ignored).
    pub fn register(&self, address: &str, email: &str) -> Result<(), Duration> {
        self.registrations.check(&address_key(address))?;
        let email: String = email
            .trim()
            .chars()
            .take(254)
            .collect::<String>()
            .to_lowercase();
        if email.is_empty() {
            return Ok(());
        }
        self.registrations_by_email.check(&email)
    }
}

/// The unit an address is limited by: an IPv4 address, or an IPv6 /64
/// (one household or office is handed a whole /64).
pub fn address_key(address: &str) -> String {
    match address.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        _ => address.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_address_slows_down_but_is_not_locked_out() {
        let guard = LoginGuard::default();
        for i in 0..30 {
            assert!(guard.attempt("10.0.0.1", &format!("user{i}")).is_ok());
        }
        let wait = guard.attempt("10.0.0.1", "user99").unwrap_err();
        assert!(wait <= Duration::from_secs(10), "{wait:?}");
        // Another address is not affected.
        assert!(guard.attempt("10.0.0.2", "user99").is_ok());
    }

    #[test]
    fn one_user_name_is_limited_across_addresses() {
        let guard = LoginGuard::default();
        for i in 0..5 {
            assert!(guard.attempt(&format!("10.0.1.{i}"), "dieuphoi").is_ok());
        }
        assert!(guard.attempt("10.0.2.1", "dieuphoi").is_err());
        assert!(guard.attempt("10.0.2.1", "khac").is_ok());
    }

    #[test]
    fn a_newsroom_registers_from_one_address_but_one_e_mail_is_strict() {
        let guard = LoginGuard::default();
        for i in 0..60 {
            assert!(guard.register("10.0.3.1", &format!("pv{i}@bao.vn")).is_ok());
        }
        assert!(guard.register("10.0.3.1", "pv99@bao.vn").is_err());
        for _ in 0..3 {
            assert!(guard.register("10.0.4.1", " Mot@Bao.vn").is_ok());
        }
        assert!(guard.register("10.0.4.2", "mot@bao.vn").is_err());
        assert!(guard.register("10.0.4.2", "").is_ok());
    }

    #[test]
    fn ipv6_addresses_count_by_their_64_prefix() {
        assert_eq!(address_key("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
        assert_eq!(address_key("192.0.2.1"), "192.0.2.1");
    }
}
