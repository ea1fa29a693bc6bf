//! Loading a unit directory from CSV: `name,short_name,parent,aliases,groups`
//! (aliases and groups separated by `;`). Parsing is pure and reports every
//! bad row; storing is one transaction, so a bad file writes nothing.

use unicode_normalization::UnicodeNormalization;

use super::repo::{self, NewUnit};
use crate::db::Db;

pub const HEADER: &str = "name,short_name,parent,aliases,groups";

#[derive(Debug, Clone, PartialEq)]
pub struct CsvUnit {
    pub line: usize,
    pub name: String,
    pub short_name: Option<String>,
    pub parent: Option<String>,
    pub aliases: Vec<String>,
    pub groups: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    pub line: usize,
    pub message: String,
}

fn list(s: &str) -> Vec<String> {
    s.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn opt(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

pub fn parse(bytes: &[u8]) -> Result<Vec<CsvUnit>, Vec<RowError>> {
    let text = match std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) {
        Ok(t) => t.nfc().collect::<String>(),
        Err(_) => {
            return Err(vec![RowError {
                line: 1,
                message: "Tệp CSV phải mã hóa UTF-8.".into(),
            }]);
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header_ok = reader
        .headers()
        .map(|h| h.iter().map(str::trim).collect::<Vec<_>>().join(",") == HEADER)
        .unwrap_or(false);
    if !header_ok {
        return Err(vec![RowError {
            line: 1,
            message: format!("Dòng tiêu đề phải là: {HEADER}"),
        }]);
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(RowError {
                    line,
                    message: format!("Dòng không đọc được: {e}"),
                });
                continue;
            }
        };
        let field = |n: usize| record.get(n).unwrap_or("");
        let name = field(0).trim();
        if name.is_empty() {
            errors.push(RowError {
                line,
                message: "Thiếu tên đơn vị.".into(),
            });
            continue;
        }
        if name.starts_with(['=', '+', '@']) {
            errors.push(RowError {
                line,
                message: "Tên đơn vị không được bắt đầu bằng công thức (=, +, @).".into(),
            });
            continue;
        }
        if !seen.insert(super::matching::key(name)) {
            errors.push(RowError {
                line,
                message: format!("Đơn vị \"{name}\" bị lặp."),
            });
            continue;
        }
        rows.push(CsvUnit {
            line,
            name: name.to_owned(),
            short_name: opt(field(1)),
            parent: opt(field(2)),
            aliases: list(field(3)),
            groups: list(field(4)),
        });
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

#[derive(Debug, Default, PartialEq)]
pub struct Summary {
    pub units: usize,
    pub groups: usize,
}

/// Stores parsed rows in one transaction. A parent must be a unit named
/// earlier in the file or already in the directory.
pub async fn store(db: &Db, actor: Option<i64>, rows: &[CsvUnit]) -> Result<Summary, ImportError> {
    let dir_before = repo::directory(db).await?;
    let mut tx = db.begin().await?;
    let mut by_key: std::collections::HashMap<String, i64> = Default::default();
    let mut groups = std::collections::HashSet::new();
    for row in rows {
        let parent_id = match &row.parent {
            None => None,
            Some(p) => match by_key.get(&super::matching::key(p)).copied().or_else(|| {
                match dir_before.find(p) {
                    Some(super::matching::Target::Unit(id)) => Some(id),
                    _ => None,
                }
            }) {
                Some(id) => Some(id),
                None => {
                    return Err(ImportError::Rows(vec![RowError {
                        line: row.line,
                        message: format!("Không tìm thấy đơn vị cấp trên \"{p}\"."),
                    }]));
                }
            },
        };
        let id = repo::upsert_unit(
            &mut tx,
            actor,
            &NewUnit {
                name: row.name.clone(),
                short_name: row.short_name.clone(),
                parent_id,
                aliases: row.aliases.clone(),
            },
        )
        .await?;
        by_key.insert(super::matching::key(&row.name), id);
        for g in &row.groups {
            let gid = repo::upsert_group(&mut tx, actor, g).await?;
            repo::add_group_member(&mut tx, gid, id).await?;
            groups.insert(gid);
        }
    }
    tx.commit().await?;
    Ok(Summary {
        units: rows.len(),
        groups: groups.len(),
    })
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{}", .0.iter().map(|e| format!("dòng {}: {}", e.line, e.message)).collect::<Vec<_>>().join("; "))]
    Rows(Vec<RowError>),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lists_and_reports_every_bad_row() {
        let ok = parse(
            format!("{HEADER}\nSở Thông tin và Truyền thông,Sở TT&TT,,Sở TTTT;STTTT,Sở ngành\n")
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(ok[0].short_name.as_deref(), Some("Sở TT&TT"));
        assert_eq!(ok[0].aliases, vec!["Sở TTTT", "STTTT"]);
        assert_eq!(ok[0].groups, vec!["Sở ngành"]);

        let bad = parse(format!("{HEADER}\n,x\n=cmd(),\nA\na\n").as_bytes()).unwrap_err();
        assert_eq!(
            bad.iter().map(|e| e.line).collect::<Vec<_>>(),
            vec![2, 3, 5]
        );
        assert!(parse(b"ten,viet tat\n").is_err());
        assert!(parse(&[0xff, 0xfe, 0x00]).is_err());
    }
}
