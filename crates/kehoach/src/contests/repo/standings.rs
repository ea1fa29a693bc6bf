//! The whole ranking of a round (or of the contest overall) as the last run
//! computed it, the boundary ties it found, and the office's decisions on
//! them. `round_key` is the round's id, or 0 for the overall ranking.

use kehoach_contest::{Attempt, BoundaryTie, Decision, Settled};

use crate::audit::{self, Entry};
use crate::db::Db;
use crate::db::batch::{self, Value};

/// The key of a ranking's rows: the round, or 0 for the overall ranking.
pub fn round_key(round: Option<i64>) -> i64 {
    round.unwrap_or(0)
}

/// One line of a ranking, as stored.
#[derive(Debug, Clone)]
pub struct Standing {
    pub line: i64,
    pub place: i64,
    pub tied: bool,
    pub participant: i64,
    pub score: i64,
    pub duration_ms: i64,
    pub prediction: Option<i64>,
    pub submitted_ms: i64,
    /// Which of the participant's attempts this is (1 = the first started);
    /// in the overall ranking, 0.
    pub attempt_no: i64,
    /// The participant's attempts in the round; overall, their rounds.
    pub attempts: i64,
    /// The prize or qualification given, "" for none.
    pub tier: String,
}

/// Replaces a ranking's lines and ties in the caller's transaction.
pub(super) async fn replace(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    db: &Db,
    contest: i64,
    key: i64,
    standings: &[Standing],
    ties: &[BoundaryTie],
) -> Result<(), sqlx::Error> {
    for sql in [
        "DELETE FROM contest_standings WHERE contest_id = $1 AND round_key = $2",
        "DELETE FROM contest_ties WHERE contest_id = $1 AND round_key = $2",
    ] {
        sqlx::query(sql)
            .bind(contest)
            .bind(key)
            .execute(&mut **tx)
            .await?;
    }
    let rows = standings
        .iter()
        .map(|s| {
            vec![
                Value::Int(contest),
                Value::Int(key),
                Value::Int(s.line),
                Value::Int(s.place),
                Value::Int(i64::from(s.tied)),
                Value::Int(s.participant),
                Value::Int(s.score),
                Value::Int(s.duration_ms),
                Value::OptInt(s.prediction),
                Value::Int(s.submitted_ms),
                Value::Int(s.attempt_no),
                Value::Int(s.attempts),
                Value::Text(s.tier.clone()),
            ]
        })
        .collect();
    batch::insert(
        tx,
        db.engine,
        "INSERT INTO contest_standings (contest_id, round_key, line, place, tied, participant_id, \
         score, duration_ms, prediction, submitted_ms, attempt_no, attempts, tier) VALUES ",
        "",
        rows,
    )
    .await?;
    for t in ties {
        sqlx::query(
            "INSERT INTO contest_ties (contest_id, round_key, place, tier, next_tier, slots, \
             candidates, chosen, settled) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(contest)
        .bind(key)
        .bind(i64::from(t.place))
        .bind(&t.tier)
        .bind(t.next.as_deref())
        .bind(i64::from(t.slots))
        .bind(serde_json::to_string(&t.candidates).unwrap_or_default())
        .bind(ids(&t.chosen))
        .bind(settled_name(t.settled))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

fn ids(list: &[i64]) -> String {
    list.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

fn parse_ids(s: &str) -> Vec<i64> {
    s.split(',').filter_map(|p| p.trim().parse().ok()).collect()
}

fn settled_name(s: Settled) -> &'static str {
    match s {
        Settled::Undecided => "undecided",
        Settled::Office => "office",
        Settled::Lottery => "lottery",
        Settled::All => "all",
    }
}

fn settled_from(s: &str) -> Result<Settled, sqlx::Error> {
    Ok(match s {
        "undecided" => Settled::Undecided,
        "office" => Settled::Office,
        "lottery" => Settled::Lottery,
        "all" => Settled::All,
        _ => return Err(sqlx::Error::Decode("contest_ties.settled".into())),
    })
}

#[derive(sqlx::FromRow)]
struct TieRecord {
    place: i64,
    tier: String,
    next_tier: Option<String>,
    slots: i64,
    candidates: String,
    chosen: String,
    settled: String,
}

/// The boundary ties of the last ranking, best place first.
pub async fn ties(db: &Db, contest: i64, key: i64) -> Result<Vec<BoundaryTie>, sqlx::Error> {
    let rows: Vec<TieRecord> = sqlx::query_as(
        "SELECT place, tier, next_tier, slots, candidates, chosen, settled FROM contest_ties \
         WHERE contest_id = $1 AND round_key = $2 ORDER BY id",
    )
    .bind(contest)
    .bind(key)
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            let candidates: Vec<Attempt> = serde_json::from_str(&r.candidates)
                .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
            Ok(BoundaryTie {
                place: u32::try_from(r.place).unwrap_or(0),
                tier: r.tier,
                next: r.next_tier,
                slots: u32::try_from(r.slots).unwrap_or(0),
                candidates,
                chosen: parse_ids(&r.chosen),
                settled: settled_from(&r.settled)?,
            })
        })
        .collect()
}

/// The office's decisions on ties, to apply again on the next ranking.
pub async fn tie_decisions(db: &Db, contest: i64, key: i64) -> Result<Vec<Decision>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT candidates, chosen FROM contest_tie_decisions WHERE contest_id = $1 AND round_key = $2",
    )
    .bind(contest)
    .bind(key)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(c, ch)| Decision {
            candidates: parse_ids(&c),
            chosen: parse_ids(&ch),
        })
        .collect())
}

/// What the office decided about one tie, and why.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TieChoice<'a> {
    pub candidates: &'a [i64],
    pub chosen: &'a [i64],
    pub reason: &'a str,
}

/// Records (or replaces) the office's decision on a tie, audited.
pub async fn decide_tie(
    db: &Db,
    actor: i64,
    contest: i64,
    key: i64,
    choice: &TieChoice<'_>,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    let candidates = ids(choice.candidates);
    sqlx::query(
        "DELETE FROM contest_tie_decisions WHERE contest_id = $1 AND round_key = $2 AND candidates = $3",
    )
    .bind(contest)
    .bind(key)
    .bind(&candidates)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO contest_tie_decisions (contest_id, round_key, candidates, chosen, reason, \
         decided_by, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(contest)
    .bind(key)
    .bind(&candidates)
    .bind(ids(choice.chosen))
    .bind(choice.reason)
    .bind(actor)
    .bind(crate::clock::now())
    .execute(&mut *tx)
    .await?;
    let entity = if key == 0 { "contest" } else { "contest_round" };
    let entry = Entry::new(
        actor,
        "decide_tie",
        entity,
        if key == 0 { contest } else { key },
    );
    audit::record::<(), _>(&mut tx, entry, None, Some(choice)).await?;
    tx.commit().await
}

/// A ranking line with the person's details, for the office's pages.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StandingLine {
    pub line: i64,
    pub place: i64,
    pub tied: i64,
    pub participant_id: i64,
    pub name: String,
    pub locality: String,
    pub phone: Option<String>,
    pub score: i64,
    pub duration_ms: i64,
    pub prediction: Option<i64>,
    pub submitted_ms: i64,
    pub attempt_no: i64,
    pub attempts: i64,
    pub tier: String,
}

macro_rules! standing_select {
    () => {
        "SELECT s.line, s.place, s.tied, s.participant_id, p.full_name AS name, \
         COALESCE(u.name, '') AS locality, p.phone, s.score, s.duration_ms, s.prediction, \
         s.submitted_ms, s.attempt_no, s.attempts, s.tier FROM contest_standings s \
         JOIN contest_participants p ON p.id = s.participant_id \
         LEFT JOIN units u ON u.id = p.unit_id \
         WHERE s.contest_id = $1 AND s.round_key = $2"
    };
}

/// Lines `offset + 1 ..= offset + limit` of a ranking.
pub async fn standings(
    db: &Db,
    contest: i64,
    key: i64,
    offset: i64,
    limit: i64,
) -> Result<Vec<StandingLine>, sqlx::Error> {
    sqlx::query_as(concat!(
        standing_select!(),
        " AND s.line > $3 AND s.line <= $4 ORDER BY s.line"
    ))
    .bind(contest)
    .bind(key)
    .bind(offset)
    .bind(offset + limit)
    .fetch_all(&db.pool)
    .await
}

/// The lines sharing one place: the people of a tie.
pub async fn standings_at(
    db: &Db,
    contest: i64,
    key: i64,
    place: i64,
) -> Result<Vec<StandingLine>, sqlx::Error> {
    sqlx::query_as(concat!(
        standing_select!(),
        " AND s.place = $3 ORDER BY s.line"
    ))
    .bind(contest)
    .bind(key)
    .bind(place)
    .fetch_all(&db.pool)
    .await
}

/// How many lines a ranking has.
pub async fn standings_count(db: &Db, contest: i64, key: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(concat!(
        "SELECT ",
        crate::count_i64!("*"),
        " FROM contest_standings WHERE contest_id = $1 AND round_key = $2"
    ))
    .bind(contest)
    .bind(key)
    .fetch_one(&db.pool)
    .await
}

/// Whether the last ranking left a tie for the office to decide.
pub async fn has_undecided(db: &Db, contest: i64, key: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(concat!(
        "SELECT ",
        crate::count_i64!("*"),
        " FROM contest_ties WHERE contest_id = $1 AND round_key = $2 AND settled = 'undecided'"
    ))
    .bind(contest)
    .bind(key)
    .fetch_one(&db.pool)
    .await?;
    Ok(n > 0)
}
