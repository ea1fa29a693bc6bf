//! How stored award values read on pages and in documents: sizes, scores
//! kept in thousandths, dates, and how a work and its authors are named.
//! Templates call these by path; rows stay plain data.

use super::domain::Author;

/// A file size as people read it: megabytes to one decimal, else whole
/// kilobytes rounded up.
pub fn size_vn(bytes: i64) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if mb >= 1.0 {
        format!("{mb:.1} MB")
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

/// A score stored in thousandths, shown to two decimals.
pub fn milli(value: i64) -> String {
    format!("{:.2}", value as f64 / 1000.0)
}

/// An ISO date as dd/mm/yyyy.
pub fn date_vn(iso: &str) -> String {
    crate::web::dates::iso_to_vn(iso)
}

/// An instant, if there is one, as Vietnamese local time.
pub fn instant_vn(at: Option<i64>) -> String {
    at.map(crate::web::dates::instant_vn).unwrap_or_default()
}

/// "Real name (pen name), …", as lists and documents name the authors.
pub fn author_names(authors: &[Author]) -> String {
    authors
        .iter()
        .map(|a| {
            if a.pen_name.is_empty() {
                a.real_name.clone()
            } else {
                format!("{} ({})", a.real_name, a.pen_name)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// "Title (BI-0001)", as documents list a work.
pub fn title_and_code(title: &str, code: &str) -> String {
    format!("{title} ({code})")
}
