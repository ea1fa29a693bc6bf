//! The edition's outlet directory: each press agency under one name, with
//! the other names its works and judges write ("Nhân Dân", "Báo Nhân Dân
//! cuối tuần" for "Báo Nhân Dân"). Conflict matching and the statistics go
//! through it; a name not in it stands for itself.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{cells, lines};
use crate::text::required;

/// One agency: the name it is shown under and its other names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outlet {
    pub name: String,
    pub aliases: Vec<String>,
}

/// Names folded (case and diacritics aside, as outlets are written loosely)
/// to the agency they belong to.
pub struct Outlets<'a> {
    by_name: HashMap<String, &'a str>,
}

fn fold(name: &str) -> String {
    kehoach_plan::fold(name)
}

impl<'a> Outlets<'a> {
    pub fn new(directory: &'a [Outlet]) -> Self {
        let by_name = directory
            .iter()
            .flat_map(|o| {
                std::iter::once(&o.name)
                    .chain(&o.aliases)
                    .map(move |n| (fold(n), o.name.as_str()))
            })
            .collect();
        Self { by_name }
    }

    /// The name the agency is shown under: the directory's, or the name as
    /// written when the directory does not know it.
    pub fn display(&self, written: &str) -> String {
        match self.by_name.get(&fold(written)) {
            Some(name) => (*name).to_owned(),
            None => written.trim().to_owned(),
        }
    }

    /// The key conflicts compare: one per agency; `None` for no outlet.
    pub fn key(&self, written: &str) -> Option<String> {
        Some(fold(&self.display(written))).filter(|k| !k.is_empty())
    }
}

/// `Name | other name | other name` a line. A name may belong to one
/// agency only.
pub fn parse_outlets(s: &str) -> Result<Vec<Outlet>, &'static str> {
    let err = "err-award-outlets";
    let directory: Vec<Outlet> = lines(s)
        .map(|l| {
            let names = cells(l)
                .into_iter()
                .map(|n| required(n, 200).map_err(|_| err))
                .collect::<Result<Vec<String>, _>>()?;
            let (name, aliases) = names.split_first().ok_or(err)?;
            Ok(Outlet {
                name: name.clone(),
                aliases: aliases.to_vec(),
            })
        })
        .collect::<Result<_, &'static str>>()?;
    let mut seen = HashMap::new();
    for o in &directory {
        for n in std::iter::once(&o.name).chain(&o.aliases) {
            if seen
                .insert(fold(n), &o.name)
                .is_some_and(|other| other != &o.name)
            {
                return Err(err);
            }
        }
    }
    Ok(directory)
}

pub fn outlets_to_string(directory: &[Outlet]) -> String {
    directory
        .iter()
        .map(|o| {
            std::iter::once(o.name.as_str())
                .chain(o.aliases.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_agency_is_one_outlet_under_all_its_names() {
        let d = parse_outlets("Báo Nhân Dân | Nhân Dân | Báo Nhân Dân cuối tuần\nVTV").unwrap();
        let o = Outlets::new(&d);
        assert_eq!(o.key("nhân dân"), o.key("Báo Nhân Dân cuối tuần"));
        assert_eq!(o.display("NHÂN DÂN"), "Báo Nhân Dân");
        assert_ne!(o.key("Báo Nhân Dân"), o.key("Báo Thanh Niên"));
        assert_eq!(o.display("Báo Thanh Niên "), "Báo Thanh Niên");
        assert_eq!(o.key(""), None);
        assert_eq!(parse_outlets(&outlets_to_string(&d)).unwrap(), d);
    }

    #[test]
    fn a_name_belongs_to_one_agency() {
        assert!(parse_outlets("Báo A | Tin nhanh\nBáo B | tin nhanh").is_err());
        assert!(parse_outlets("Báo A | | Tin").is_err());
    }
}
