//! How tracking records read on a page: dates as dd/mm/yyyy and ranges.
//! Rows stay plain data; pages bring these traits into scope.

use super::feeds::{FeedRow, ItemRow};
use super::repo::{ActivityRow, EvidenceFile, PeriodRow};
use crate::web::dates;

/// An activity's dates: one day, or "from – to".
pub trait ActivityDates {
    fn dates_vn(&self) -> String;
}

impl ActivityDates for ActivityRow {
    fn dates_vn(&self) -> String {
        let from = dates::iso_to_vn(&self.date_from);
        match &self.date_to {
            Some(to) if *to != self.date_from => format!("{from} – {}", dates::iso_to_vn(to)),
            _ => from,
        }
    }
}

/// A period's span and due date.
pub trait PeriodDates {
    fn range_vn(&self) -> String;
    fn due_vn(&self) -> String;
}

impl PeriodDates for PeriodRow {
    fn range_vn(&self) -> String {
        format!(
            "{} – {}",
            dates::iso_to_vn(&self.starts_on),
            dates::iso_to_vn(&self.ends_on)
        )
    }

    fn due_vn(&self) -> String {
        dates::iso_to_vn(&self.due_on)
    }
}

/// When a feed was last read.
pub trait FeedDates {
    fn fetched_vn(&self) -> String;
}

impl FeedDates for FeedRow {
    fn fetched_vn(&self) -> String {
        self.last_fetched_at
            .map(dates::instant_vn)
            .unwrap_or_default()
    }
}

/// The date the confirm form of an offered article starts with: the
/// article's, else today.
pub trait ItemDates {
    fn date_vn(&self) -> String;
}

impl ItemDates for ItemRow {
    fn date_vn(&self) -> String {
        dates::iso_to_vn(&self.published_on.clone().unwrap_or_else(dates::today_iso))
    }
}

/// A file's size as the file list shows it.
pub trait FileSize {
    fn size_kb(&self) -> i64;
}

impl FileSize for EvidenceFile {
    /// Whole kilobytes, rounded up.
    fn size_kb(&self) -> i64 {
        (self.size + 1023) / 1024
    }
}
