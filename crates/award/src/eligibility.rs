//! Whether an entry may enter an edition, with every reason it may not, so
//! the entrant can fix them all at once. Dates are ISO calendar dates
//! (`YYYY-MM-DD`, comparable as text); instants are Unix seconds.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::media::Kind;

/// What a category needs besides its metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Need {
    /// At least one file.
    File,
    /// A file or a link (a broadcast that lives on the station's site).
    FileOrLink,
    /// A link; files are optional.
    Link,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryRule {
    pub key: String,
    pub name: String,
    pub kinds: Vec<Kind>,
    pub max_mb: u64,
    pub need: Need,
    /// At most this many files per entry.
    #[serde(default = "default_max_files")]
    pub max_files: u32,
    /// At most this many MB of files per entry together; 0 means
    /// `max_mb × max_files`.
    #[serde(default)]
    pub max_total_mb: u64,
}

fn default_max_files() -> u32 {
    10
}

impl CategoryRule {
    pub fn max_bytes(&self) -> u64 {
        self.max_mb * 1024 * 1024
    }

    /// The cap on an entry's files together, in bytes.
    pub fn max_total_bytes(&self) -> u64 {
        let mb = if self.max_total_mb == 0 {
            self.max_mb * u64::from(self.max_files)
        } else {
            self.max_total_mb
        };
        mb * 1024 * 1024
    }
}

/// The edition's rules for every entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryRules {
    /// The publication window, inclusive.
    pub window_from: String,
    pub window_to: String,
    /// Entries are accepted and edited until this instant.
    pub deadline: i64,
    /// At most this many entries per author (by folded real name).
    pub per_author: u32,
    /// A series has at most this many parts.
    pub series_max: u32,
    /// A team entry has at most this many authors.
    pub team_max: u32,
}

/// The entry as submitted.
#[derive(Debug, Clone)]
pub struct Candidate<'a> {
    pub category: &'a CategoryRule,
    pub published_on: &'a str,
    pub series_parts: u32,
    /// Folded real names of the authors.
    pub authors: &'a [String],
    pub files: &'a [(Kind, u64)],
    pub link: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    DeadlinePassed,
    OutsideWindow,
    NoAuthor,
    TeamTooLarge {
        max: u32,
    },
    SeriesTooLong {
        max: u32,
    },
    /// This author already has `max` other entries.
    TooManyEntries {
        author: String,
        max: u32,
    },
    MissingFile,
    MissingLink,
    WrongKind {
        kind: Kind,
    },
    TooLarge {
        max_mb: u64,
    },
    TooManyFiles {
        max: u32,
    },
    TotalTooLarge {
        max_mb: u64,
    },
}

/// Every problem with `c`. `others` counts each author's other entries in
/// the edition (the entry being edited excluded).
pub fn check(
    rules: &EntryRules,
    c: &Candidate<'_>,
    others: &HashMap<String, u32>,
    now: i64,
) -> Vec<Problem> {
    let mut out = Vec::new();
    if now > rules.deadline {
        out.push(Problem::DeadlinePassed);
    }
    if c.published_on < rules.window_from.as_str() || c.published_on > rules.window_to.as_str() {
        out.push(Problem::OutsideWindow);
    }
    if c.authors.is_empty() {
        out.push(Problem::NoAuthor);
    }
    if c.authors.len() > rules.team_max as usize {
        out.push(Problem::TeamTooLarge {
            max: rules.team_max,
        });
    }
    if c.series_parts == 0 || c.series_parts > rules.series_max {
        out.push(Problem::SeriesTooLong {
            max: rules.series_max,
        });
    }
    for author in c.authors {
        if others.get(author).copied().unwrap_or(0) >= rules.per_author {
            out.push(Problem::TooManyEntries {
                author: author.clone(),
                max: rules.per_author,
            });
        }
    }
    let has_link = !c.link.trim().is_empty();
    match c.category.need {
        Need::File if c.files.is_empty() => out.push(Problem::MissingFile),
        Need::FileOrLink if c.files.is_empty() && !has_link => out.push(Problem::MissingFile),
        Need::Link if !has_link => out.push(Problem::MissingLink),
        _ => {}
    }
    for &(kind, size) in c.files {
        if !c.category.kinds.contains(&kind) {
            out.push(Problem::WrongKind { kind });
        }
        if size > c.category.max_bytes() {
            out.push(Problem::TooLarge {
                max_mb: c.category.max_mb,
            });
        }
    }
    if c.files.len() > c.category.max_files as usize {
        out.push(Problem::TooManyFiles {
            max: c.category.max_files,
        });
    }
    if c.files.iter().map(|f| f.1).sum::<u64>() > c.category.max_total_bytes() {
        out.push(Problem::TotalTooLarge {
            max_mb: c.category.max_total_bytes() / (1024 * 1024),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> EntryRules {
        EntryRules {
            window_from: "2025-11-01".into(),
            window_to: "2026-10-31".into(),
            deadline: 1_000,
            per_author: 2,
            series_max: 5,
            team_max: 3,
        }
    }

    fn print() -> CategoryRule {
        CategoryRule {
            key: "bao-in".into(),
            name: "Báo in".into(),
            kinds: vec![Kind::Pdf, Kind::Image],
            max_mb: 20,
            need: Need::File,
            max_files: 2,
            max_total_mb: 30,
        }
    }

    #[test]
    fn a_good_entry_passes() {
        let cat = print();
        let authors = vec!["nguyen van a".to_owned()];
        let c = Candidate {
            category: &cat,
            published_on: "2026-03-02",
            series_parts: 1,
            authors: &authors,
            files: &[(Kind::Pdf, 1_000)],
            link: "",
        };
        assert_eq!(check(&rules(), &c, &HashMap::new(), 999), vec![]);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let cat = print();
        let authors: Vec<String> = ["a", "b", "c", "d"].map(String::from).to_vec();
        let c = Candidate {
            category: &cat,
            published_on: "2025-10-31",
            series_parts: 6,
            authors: &authors,
            files: &[
                (Kind::Video, 21 * 1024 * 1024),
                (Kind::Pdf, 5 * 1024 * 1024),
                (Kind::Pdf, 5 * 1024 * 1024),
            ],
            link: "",
        };
        let others = HashMap::from([("b".to_owned(), 2)]);
        assert_eq!(
            check(&rules(), &c, &others, 1_001),
            vec![
                Problem::DeadlinePassed,
                Problem::OutsideWindow,
                Problem::TeamTooLarge { max: 3 },
                Problem::SeriesTooLong { max: 5 },
                Problem::TooManyEntries {
                    author: "b".into(),
                    max: 2
                },
                Problem::WrongKind { kind: Kind::Video },
                Problem::TooLarge { max_mb: 20 },
                Problem::TooManyFiles { max: 2 },
                Problem::TotalTooLarge { max_mb: 30 },
            ]
        );
    }

    #[test]
    fn the_window_is_inclusive_and_files_or_links_satisfy_television() {
        let tv = CategoryRule {
            need: Need::FileOrLink,
            kinds: vec![Kind::Video],
            ..print()
        };
        let authors = vec!["a".to_owned()];
        let mut c = Candidate {
            category: &tv,
            published_on: "2026-10-31",
            series_parts: 1,
            authors: &authors,
            files: &[],
            link: "",
        };
        assert_eq!(
            check(&rules(), &c, &HashMap::new(), 0),
            vec![Problem::MissingFile]
        );
        c.link = "https://truyenhinh.example/phong-su";
        assert_eq!(check(&rules(), &c, &HashMap::new(), 0), vec![]);
        c.published_on = "2025-11-01";
        assert_eq!(check(&rules(), &c, &HashMap::new(), 0), vec![]);
    }
}
