//! Dates as Vietnamese users write them (dd/mm/yyyy) and Vietnam time (UTC+7).

use chrono::{DateTime, FixedOffset, NaiveDate};

fn vietnam() -> FixedOffset {
    // Vietnam has no daylight saving: a fixed offset is exact.
    FixedOffset::east_opt(7 * 3600).expect("valid offset")
}

/// "2021-12-15" → "15/12/2021"; anything else is shown as stored.
pub fn iso_to_vn(iso: &str) -> String {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_else(|_| iso.to_owned())
}

/// A stored instant shown in Vietnam time.
pub fn instant_vn(unix: i64) -> String {
    DateTime::from_timestamp(unix, 0)
        .map(|t| {
            t.with_timezone(&vietnam())
                .format("%d/%m/%Y %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

/// A stored instant in milliseconds, to the second, in Vietnam time: where
/// the second decides (a contest's hand-in time), it is shown.
pub fn instant_ms_vn(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms)
        .map(|t| {
            t.with_timezone(&vietnam())
                .format("%d/%m/%Y %H:%M:%S")
                .to_string()
        })
        .unwrap_or_default()
}

/// A typed date that is not a real calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidDate;

/// Parses a user-typed date ("15/12/2021", "5/1/2022") into ISO; empty is `None`.
pub fn parse_vn(input: &str) -> Result<Option<String>, InvalidDate> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let mut parts = s.split(['/', '-', '.']);
    let (Some(d), Some(m), Some(y), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(InvalidDate);
    };
    let (d, m, y) = (
        d.parse::<u32>().map_err(|_| InvalidDate)?,
        m.parse::<u32>().map_err(|_| InvalidDate)?,
        y.parse::<i32>().map_err(|_| InvalidDate)?,
    );
    if !(1900..=2200).contains(&y) {
        return Err(InvalidDate);
    }
    NaiveDate::from_ymd_opt(y, m, d)
        .map(|d| Some(d.format("%Y-%m-%d").to_string()))
        .ok_or(InvalidDate)
}

/// Parses "15/12/2021 08:30" (Vietnam time; the time defaults to 00:00)
/// into seconds since the epoch.
pub fn parse_vn_instant(input: &str) -> Result<i64, InvalidDate> {
    let s = input.trim();
    let (date, time) = s.split_once(' ').unwrap_or((s, "00:00"));
    let iso = parse_vn(date)?.ok_or(InvalidDate)?;
    let (h, m) = time.trim().split_once(':').ok_or(InvalidDate)?;
    let (h, m) = (
        h.parse::<u32>().map_err(|_| InvalidDate)?,
        m.parse::<u32>().map_err(|_| InvalidDate)?,
    );
    NaiveDate::parse_from_str(&iso, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(h, m, 0))
        .and_then(|t| t.and_local_timezone(vietnam()).single())
        .map(|t| t.timestamp())
        .ok_or(InvalidDate)
}

/// A deadline as users read it: the date if there is one, else the words
/// the plan used ("thường xuyên", "Quý II").
pub fn deadline_vn(date: Option<&str>, words: Option<&str>) -> String {
    match (date, words) {
        (Some(d), _) => iso_to_vn(d),
        (None, Some(w)) => w.to_owned(),
        (None, None) => String::new(),
    }
}

/// Today's date in Vietnam.
pub fn today() -> NaiveDate {
    chrono::Utc::now().with_timezone(&vietnam()).date_naive()
}

/// Today's date in Vietnam, ISO.
pub fn today_iso() -> String {
    chrono::Utc::now()
        .with_timezone(&vietnam())
        .format("%Y-%m-%d")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_read_in_vietnam_time() {
        assert_eq!(
            instant_vn(parse_vn_instant("01/06/2021 08:30").unwrap()),
            "01/06/2021 08:30"
        );
        assert_eq!(parse_vn_instant("01/06/2021").unwrap() % 86400, 17 * 3600);
        for bad in ["31/02/2021 08:00", "01/06/2021 25:00", "", "01/06/2021 8h"] {
            assert!(parse_vn_instant(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn vietnamese_dates_round_trip() {
        assert_eq!(parse_vn("15/12/2021"), Ok(Some("2021-12-15".into())));
        assert_eq!(parse_vn(" 5/1/2022 "), Ok(Some("2022-01-05".into())));
        assert_eq!(parse_vn(""), Ok(None));
        assert_eq!(parse_vn("31/02/2021"), Err(InvalidDate));
        assert_eq!(parse_vn("15/12"), Err(InvalidDate));
        assert_eq!(iso_to_vn("2021-12-15"), "15/12/2021");
    }

    #[test]
    fn instants_are_shown_in_vietnam_time() {
        // 2021-01-01T17:30:00Z is 00:30 the next day in Vietnam.
        assert_eq!(instant_vn(1_609_522_200), "02/01/2021 00:30");
    }
}
