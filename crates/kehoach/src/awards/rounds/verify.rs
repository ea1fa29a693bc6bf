//! `kehoach award verify`: every sealed round checked, and the seals a
//! council's minutes print checked against them.

use super::verify_round;
use crate::awards::repo;
use crate::config::Settings;
use crate::db::Db;

/// Checks every sealed round (or `only` one), printing a line each, and
/// the seals printed in `minutes`; an error when anything fails.
pub async fn verify_all(
    db: &Db,
    settings: &Settings,
    only: Option<i64>,
    minutes: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    let rounds: Vec<_> = repo::sealed_rounds(db)
        .await?
        .into_iter()
        .filter(|r| only.is_none_or(|id| id == r.id))
        .collect();
    if rounds.is_empty() {
        anyhow::bail!("không có vòng chấm nào đã niêm phong");
    }
    let mut failed = 0;
    let mut good: Vec<(i64, String)> = Vec::new();
    for r in &rounds {
        match verify_round(db, settings, r.id).await {
            Ok(seal) => {
                let chain = match &r.key_id {
                    Some(id) => format!("khóa {id}"),
                    None => "chuỗi cũ không khóa: ai ghi được cơ sở dữ liệu có thể làm lại".into(),
                };
                println!(
                    "vòng {} (giải {}, {}): khớp, niêm phong {seal} ({chain})",
                    r.id, r.edition_id, r.stage
                );
                good.push((r.id, seal));
            }
            Err(e) => {
                failed += 1;
                println!(
                    "vòng {} (giải {}, {}): SAI: {e}",
                    r.id, r.edition_id, r.stage
                );
            }
        }
    }
    if let Some(path) = minutes {
        failed += check_minutes(path, &good)?;
    }
    if failed > 0 {
        anyhow::bail!("{failed} lỗi: niêm phong không khớp");
    }
    Ok(())
}

/// Every seal printed in the minutes must be the seal of a round that
/// checks out; returns how many do not.
fn check_minutes(path: &std::path::Path, good: &[(i64, String)]) -> anyhow::Result<usize> {
    let bytes = std::fs::read(path)
        .map_err(|e| anyhow::anyhow!("không đọc được biên bản {}: {e}", path.display()))?;
    let text = kehoach_plan::decode(&bytes)
        .map_err(|e| anyhow::anyhow!("không đọc được biên bản {}: {e}", path.display()))?;
    let printed: Vec<&str> = text
        .split(|c: char| !c.is_ascii_hexdigit())
        .filter(|w| w.len() == 64)
        .collect();
    if printed.is_empty() {
        println!(
            "biên bản {}: SAI: không có dấu niêm phong nào",
            path.display()
        );
        return Ok(1);
    }
    let mut failed = 0;
    for seal in printed {
        match good.iter().find(|(_, s)| s.eq_ignore_ascii_case(seal)) {
            Some((round, _)) => println!("biên bản: dấu {seal} khớp vòng {round}"),
            None => {
                failed += 1;
                println!("biên bản: SAI: dấu {seal} không khớp vòng nào đã kiểm tra");
            }
        }
    }
    Ok(failed)
}
