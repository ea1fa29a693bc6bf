//! How the contests' pages show stored values: masked phone numbers,
//! durations, rates and instants.

use crate::web::dates;

/// A phone number with its middle hidden; empty when there is none.
pub fn masked(phone: Option<&str>) -> String {
    phone
        .and_then(|p| kehoach_contest::normalise_phone(p).ok())
        .map(|p| p.masked())
        .unwrap_or_default()
}

/// Minutes, seconds and milliseconds: `m:ss.mmm`.
pub fn duration(ms: i64) -> String {
    let s = ms / 1000;
    format!("{}:{:02}.{:03}", s / 60, s % 60, ms % 1000)
}

/// Participants per hundred of the population, when it is known.
pub fn rate(participants: i64, population: Option<i64>) -> String {
    match population {
        Some(p) if p > 0 => format!("{:.2}%", participants as f64 * 100.0 / p as f64),
        _ => "—".into(),
    }
}

/// An instant stored in seconds, as dd/mm/yyyy hh:mm.
pub fn instant(at: i64) -> String {
    dates::instant_vn(at)
}
