//! Signed tokens for the public side of a contest. Participants have no
//! password: registering returns a participant token (kept in a cookie), and
//! starting an attempt returns an attempt token that carries everything the
//! submission needs (attempt, round, participant, start time, seed), so the
//! hot path checks a MAC instead of reading the database. A forged or
//! altered token fails the MAC; a replayed one is refused by the writer,
//! which knows every submitted attempt.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// 128 bits of the MAC: plenty against forgery, and keeps URLs short.
const MAC_BYTES: usize = 16;

#[derive(Clone)]
pub struct Signer {
    key: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParticipantToken {
    pub contest: i64,
    pub participant: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttemptToken {
    pub attempt: i64,
    pub round: i64,
    pub participant: i64,
    pub started_ms: i64,
    pub seed: u64,
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

impl Signer {
    pub fn new(key: &[u8]) -> Self {
        Self { key: key.to_vec() }
    }

    fn mac(&self, domain: &str, body: &str) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(domain.as_bytes());
        mac.update(b"\0");
        mac.update(body.as_bytes());
        mac
    }

    fn sign(&self, domain: &str, body: String) -> String {
        let tag = self.mac(domain, &body).finalize().into_bytes();
        format!("{body}.{}", hex(&tag[..MAC_BYTES]))
    }

    /// The participant's personal code, `ABCD-EFGH`: 40 bits of a MAC over
    /// the contest and the participant, in Crockford's base32 (no I, L, O,
    /// U to misread). Shown to the participant so that they can continue on
    /// another device; nothing is stored, and only this key makes it.
    pub fn personal_code(&self, contest: i64, participant: i64) -> String {
        const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        let tag = self
            .mac("personal-code", &format!("{contest}-{participant}"))
            .finalize()
            .into_bytes();
        let bits = tag[..5]
            .iter()
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let chars: String = (0..8)
            .map(|i| ALPHABET[((bits >> (35 - 5 * i)) & 31) as usize] as char)
            .collect();
        format!("{}-{}", &chars[..4], &chars[4..])
    }

    /// Whether `typed` is the participant's code, forgiving case, spaces,
    /// dashes and the letters people put for digits (O for 0, I and L for 1).
    pub fn check_code(&self, contest: i64, participant: i64, typed: &str) -> bool {
        use subtle::ConstantTimeEq;
        let clean: String = typed
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            })
            .collect();
        let expected = self.personal_code(contest, participant).replace('-', "");
        clean.len() == expected.len() && bool::from(clean.as_bytes().ct_eq(expected.as_bytes()))
    }

    /// The body of a well-signed token, or None.
    fn open<'a>(&self, domain: &str, token: &'a str) -> Option<&'a str> {
        let (body, tag) = token.rsplit_once('.')?;
        if tag.len() != MAC_BYTES * 2 || token.len() > 200 {
            return None;
        }
        let mut raw = [0u8; MAC_BYTES];
        for (i, byte) in raw.iter_mut().enumerate() {
            *byte = u8::from_str_radix(tag.get(i * 2..i * 2 + 2)?, 16).ok()?;
        }
        // verify_truncated_left compares in constant time.
        self.mac(domain, body)
            .verify_truncated_left(&raw)
            .ok()
            .map(|()| body)
    }

    pub fn participant(&self, t: ParticipantToken) -> String {
        self.sign("participant", format!("{}-{}", t.contest, t.participant))
    }

    pub fn open_participant(&self, token: &str) -> Option<ParticipantToken> {
        let body = self.open("participant", token)?;
        let (contest, participant) = body.split_once('-')?;
        Some(ParticipantToken {
            contest: contest.parse().ok()?,
            participant: participant.parse().ok()?,
        })
    }

    pub fn attempt(&self, t: AttemptToken) -> String {
        self.sign(
            "attempt",
            format!(
                "{}-{}-{}-{}-{:x}",
                t.attempt, t.round, t.participant, t.started_ms, t.seed
            ),
        )
    }

    pub fn open_attempt(&self, token: &str) -> Option<AttemptToken> {
        let body = self.open("attempt", token)?;
        let mut parts = body.split('-');
        let t = AttemptToken {
            attempt: parts.next()?.parse().ok()?,
            round: parts.next()?.parse().ok()?,
            participant: parts.next()?.parse().ok()?,
            started_ms: parts.next()?.parse().ok()?,
            seed: u64::from_str_radix(parts.next()?, 16).ok()?,
        };
        parts.next().is_none().then_some(t)
    }

    /// The short code a participant keeps as proof of a submission: 40 bits
    /// of a MAC over the attempt, in a Crockford-style alphabet without
    /// look-alike letters, grouped for reading aloud ("K7Q2-MX9P").
    pub fn receipt(&self, attempt: i64) -> String {
        const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        let tag = self
            .mac("receipt", &attempt.to_string())
            .finalize()
            .into_bytes();
        let mut n = u64::from_be_bytes(tag[..8].try_into().expect("8 bytes")) >> 24;
        let mut code = [0u8; 8];
        for c in code.iter_mut().rev() {
            *c = ALPHABET[(n & 31) as usize];
            n >>= 5;
        }
        let code = String::from_utf8_lossy(&code).into_owned();
        format!("{}-{}", &code[..4], &code[4..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt() -> AttemptToken {
        AttemptToken {
            attempt: 41,
            round: 3,
            participant: 77,
            started_ms: 1_700_000_000_123,
            seed: 0xdead_beef_0042,
        }
    }

    #[test]
    fn tokens_round_trip_and_resist_tampering() {
        let s = Signer::new(b"k1");
        let t = s.attempt(attempt());
        assert_eq!(s.open_attempt(&t), Some(attempt()));
        assert_eq!(Signer::new(b"k2").open_attempt(&t), None, "other key");
        let forged = t.replacen("41-", "42-", 1);
        assert_eq!(s.open_attempt(&forged), None, "altered body");
        let p = s.participant(ParticipantToken {
            contest: 1,
            participant: 77,
        });
        assert_eq!(
            s.open_attempt(&p),
            None,
            "a participant token is not an attempt token"
        );
        assert_eq!(s.open_participant(&t), None);
        assert_eq!(s.open_participant(&p).map(|p| p.participant), Some(77));
        for junk in ["", ".", "1-2.zz", &"a".repeat(300)] {
            assert_eq!(s.open_attempt(junk), None);
        }
    }

    #[test]
    fn receipts_are_short_stable_and_distinct() {
        let s = Signer::new(b"k1");
        let r = s.receipt(41);
        assert_eq!(r.len(), 9);
        assert_eq!(r, s.receipt(41));
        assert_ne!(r, s.receipt(42));
        assert!(r.chars().all(|c| c == '-' || c.is_ascii_alphanumeric()));
    }
}
