//! The entry form: a work's metadata and authors as the entrant types them.

use serde::{Deserialize, Serialize};

use super::EditionSettings;
use super::lines;
use crate::text::{number, required};
use crate::web::dates;

/// One author as typed: real name, pen name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Author {
    pub real_name: String,
    pub pen_name: String,
}

/// The entry form as typed. Authors are one per line, `Real name | pen name`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EntryForm {
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub authors: String,
    #[serde(default)]
    pub outlet: String,
    #[serde(default)]
    pub published_on: String,
    #[serde(default)]
    pub link: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub series_parts: String,
    #[serde(default)]
    pub locality: String,
}

/// An entry's metadata after parsing; files are checked as they stream in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewEntry {
    pub category: String,
    pub title: String,
    pub authors: Vec<Author>,
    pub outlet: String,
    pub published_on: String,
    pub link: String,
    pub summary: String,
    pub series_parts: u32,
    pub locality: String,
}

impl NewEntry {
    /// Each author's identity key ([`kehoach_award::person_key`]).
    pub fn author_keys(&self) -> Vec<String> {
        self.authors
            .iter()
            .map(|a| kehoach_award::person_key(&a.real_name))
            .collect()
    }
}

impl EntryForm {
    pub fn parse(&self, settings: &EditionSettings) -> Result<NewEntry, &'static str> {
        let category = settings
            .category(self.category.trim())
            .ok_or("err-award-category")?;
        let authors: Vec<Author> = lines(&self.authors)
            .map(|l| {
                let (real, pen) = l.split_once('|').unwrap_or((l, ""));
                // Names are kept as written, without invisible characters.
                Ok(Author {
                    real_name: required(&kehoach_award::clean_name(real), 100)
                        .map_err(|_| "err-award-authors")?,
                    pen_name: kehoach_award::clean_name(pen).chars().take(100).collect(),
                })
            })
            .collect::<Result<_, &'static str>>()?;
        if authors.is_empty() {
            return Err("err-award-authors");
        }
        let link = self.link.trim();
        if !(link.is_empty() || link.starts_with("https://") || link.starts_with("http://"))
            || link.len() > 1000
        {
            return Err("err-award-link");
        }
        Ok(NewEntry {
            category: category.key.clone(),
            title: required(&self.title, 500).map_err(|_| "err-award-title")?,
            authors,
            outlet: required(&self.outlet, 200).map_err(|_| "err-award-outlet")?,
            published_on: dates::parse_vn(&self.published_on)
                .ok()
                .flatten()
                .ok_or("err-award-published")?,
            link: link.to_owned(),
            summary: required(&self.summary, 5000).unwrap_or_default(),
            series_parts: number(
                if self.series_parts.trim().is_empty() {
                    "1"
                } else {
                    &self.series_parts
                },
                1..=100,
                "err-award-series-parts",
            )? as u32,
            locality: self.locality.trim().chars().take(100).collect(),
        })
    }

    pub fn from_entry(e: &NewEntry) -> Self {
        Self {
            category: e.category.clone(),
            title: e.title.clone(),
            authors: e
                .authors
                .iter()
                .map(|a| format!("{} | {}", a.real_name, a.pen_name))
                .collect::<Vec<_>>()
                .join("\n"),
            outlet: e.outlet.clone(),
            published_on: dates::iso_to_vn(&e.published_on),
            link: e.link.clone(),
            summary: e.summary.clone(),
            series_parts: e.series_parts.to_string(),
            locality: e.locality.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::awards::domain::default_form;

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
    }

    #[test]
    fn entries_parse_authors_and_dates() {
        let s = default_form(today()).parse().unwrap();
        let f = EntryForm {
            category: "bao-in".into(),
            title: "Đảng viên trẻ nơi biên giới".into(),
            authors: "Nguyễn Thị Hoa | Hoa Biển\nTrần Văn Bình".into(),
            outlet: "Báo Phú Yên".into(),
            published_on: "03/02/2026".into(),
            ..Default::default()
        };
        let e = f.parse(&s).unwrap();
        assert_eq!(e.authors[0].pen_name, "Hoa Biển");
        assert_eq!(e.published_on, "2026-02-03");
        assert_eq!(e.series_parts, 1);
        assert_eq!(
            e.author_keys()[1],
            kehoach_award::person_key("Trần Văn Bình")
        );
        let bad = EntryForm {
            link: "javascript:alert(1)".into(),
            ..f
        };
        assert_eq!(bad.parse(&s).unwrap_err(), "err-award-link");
    }
}
