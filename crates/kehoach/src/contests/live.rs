//! The in-memory copy of each open round that the hot path works from:
//! settings, the question bank with its answer key, and how a paper is
//! drawn, shuffled and scored from an attempt's seed. Loaded on first use
//! and dropped whenever the office changes the contest.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, RwLock};

use kehoach_contest::{
    AnswerKey, AttemptPolicy, Bank, Prediction, QuestionSet, derive_seed, original_option,
    permutation,
};
use serde::Serialize;

use super::domain::{RequiredFields, question_set_from_str};
use super::repo;
use super::states::{ContestStatus, RoundStage};
use crate::db::Db;

pub struct Question {
    pub id: i64,
    pub topic: String,
    pub text: String,
    pub options: Vec<String>,
}

/// A question as one attempt shows it: options in that attempt's order.
#[derive(Serialize)]
pub struct Shown<'a> {
    pub id: i64,
    pub text: &'a str,
    pub options: Vec<&'a str>,
}

pub struct Round {
    pub id: i64,
    /// The contest's status when loaded; rechecked against the database at
    /// most [`STATUS_TTL_MS`] later, so every server instance follows the
    /// office's pause or close within a second.
    pub status: ContestStatus,
    /// Why no full paper can be drawn from the bank, if so.
    pub paper_problem: Option<String>,
    checked_ms: AtomicI64,
    /// The office was told this round cannot draw a paper.
    pub alerted: AtomicBool,
    pub contest_id: i64,
    pub contest_title: String,
    pub number: i64,
    pub title: String,
    pub opens_ms: i64,
    pub closes_ms: i64,
    pub time_limit_ms: i64,
    pub policy: AttemptPolicy,
    pub set: QuestionSet,
    pub prediction: Option<Prediction>,
    pub required: RequiredFields,
    pub stage: RoundStage,
    /// Who may play an online final; `None` for a weekly round.
    pub finalists: Option<std::collections::HashSet<i64>>,
    bank: Vec<Question>,
    by_id: HashMap<i64, usize>,
    drawer: Bank,
    key: AnswerKey,
}

/// Submissions this long after the time limit (or the round's close) are
/// still taken: the clock starts on the server, and the last request of a
/// participant on a slow phone network may take that long to arrive.
pub const GRACE_MS: i64 = 30_000;

/// How long a cached round trusts the contest status it was loaded with.
pub const STATUS_TTL_MS: i64 = 1_000;

impl Round {
    pub fn is_open(&self, now_ms: i64) -> bool {
        (self.opens_ms..self.closes_ms).contains(&now_ms)
    }

    /// Whether the contest takes play at all (registration, start, save,
    /// hand-in): only when open.
    pub fn in_play(&self) -> bool {
        self.status.is_open()
    }

    /// Questions per paper.
    pub fn paper_size(&self) -> u32 {
        repo::paper_size(&self.set)
    }

    /// The question ids of an attempt, in the order shown; empty only when
    /// the bank cannot give a full paper, which refuses the start first.
    pub fn paper_ids(&self, seed: u64) -> Vec<i64> {
        self.drawer.draw(&self.set, seed).unwrap_or_default()
    }

    fn order(&self, seed: u64, q: &Question) -> Vec<usize> {
        permutation(q.options.len(), derive_seed(seed, q.id as u64))
    }

    /// The paper as the participant sees it; never carries the answers.
    pub fn paper(&self, seed: u64) -> Vec<Shown<'_>> {
        self.paper_ids(seed)
            .into_iter()
            .filter_map(|id| self.by_id.get(&id).map(|&i| &self.bank[i]))
            .map(|q| Shown {
                id: q.id,
                text: &q.text,
                options: self
                    .order(seed, q)
                    .into_iter()
                    .map(|o| q.options[o].as_str())
                    .collect(),
            })
            .collect()
    }

    /// Maps answers given in shown order to the original option order,
    /// keeping only questions of this attempt's paper.
    pub fn to_original(&self, seed: u64, shown: &[(i64, u8)]) -> Vec<(i64, u8)> {
        let paper = self.paper_ids(seed);
        let mut out = Vec::with_capacity(shown.len());
        for &(qid, choice) in shown {
            if !paper.contains(&qid) || out.iter().any(|(q, _)| *q == qid) {
                continue;
            }
            let Some(q) = self.by_id.get(&qid).map(|&i| &self.bank[i]) else {
                continue;
            };
            if let Some(o) = original_option(&self.order(seed, q), choice) {
                out.push((qid, o));
            }
        }
        out
    }

    /// The reverse, to put a saved draft back on the page.
    pub fn to_shown(&self, seed: u64, original: &[(i64, u8)]) -> HashMap<i64, u8> {
        original
            .iter()
            .filter_map(|&(qid, o)| {
                let q = &self.bank[*self.by_id.get(&qid)?];
                let pos = self.order(seed, q).iter().position(|&x| x == o as usize)?;
                Some((qid, pos as u8))
            })
            .collect()
    }

    pub fn score(&self, original: &[(i64, u8)]) -> u32 {
        let answers: Vec<(i64, Option<u8>)> = original.iter().map(|&(q, o)| (q, Some(o))).collect();
        kehoach_contest::score(&self.key, &answers)
    }
}

/// Answers travel and are stored as `question:option` pairs, comma-separated.
pub fn parse_answers(s: &str) -> Vec<(i64, u8)> {
    s.split(',')
        .take(500)
        .filter_map(|pair| {
            let (q, o) = pair.split_once(':')?;
            Some((q.trim().parse().ok()?, o.trim().parse().ok()?))
        })
        .collect()
}

pub fn format_answers(answers: &[(i64, u8)]) -> String {
    let mut s = String::with_capacity(answers.len() * 8);
    for (i, (q, o)) in answers.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&q.to_string());
        s.push(':');
        s.push_str(&o.to_string());
    }
    s
}

#[derive(Default)]
pub struct Live {
    rounds: RwLock<HashMap<i64, Arc<Round>>>,
    /// Each contest with when its status was last compared with the store.
    contests: RwLock<HashMap<i64, (Arc<super::ContestRow>, i64)>>,
}

impl Live {
    pub async fn contest(
        &self,
        db: &Db,
        id: i64,
    ) -> Result<Option<Arc<super::ContestRow>>, sqlx::Error> {
        let cached = self
            .contests
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&id)
            .cloned();
        let now = crate::clock::now_ms();
        if let Some((c, checked)) = cached {
            if now - checked < STATUS_TTL_MS {
                return Ok(Some(c));
            }
            if repo::contest_status(db, id).await? == Some(c.status) {
                self.contests
                    .write()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(id, (c.clone(), now));
                return Ok(Some(c));
            }
            self.forget_contest(id);
        }
        let Some(c) = repo::contest(db, id).await? else {
            return Ok(None);
        };
        let c = Arc::new(c);
        self.contests
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id, (c.clone(), now));
        Ok(Some(c))
    }

    pub async fn round(&self, db: &Db, id: i64) -> Result<Option<Arc<Round>>, sqlx::Error> {
        let cached = self
            .rounds
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&id)
            .cloned();
        if let Some(r) = cached {
            let now = crate::clock::now_ms();
            let checked = r.checked_ms.load(Ordering::Relaxed);
            // One request rechecks; the others of a surge go on with the
            // cached round meanwhile instead of each querying the store.
            if now - checked < STATUS_TTL_MS
                || r.checked_ms
                    .compare_exchange(checked, now, Ordering::Relaxed, Ordering::Relaxed)
                    .is_err()
            {
                return Ok(Some(r));
            }
            // Another instance may have paused or closed the contest.
            if repo::contest_status(db, r.contest_id).await? == Some(r.status) {
                return Ok(Some(r));
            }
            self.forget_contest(r.contest_id);
        }
        let Some(round) = load(db, id).await? else {
            return Ok(None);
        };
        let round = Arc::new(round);
        self.rounds
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id, round.clone());
        Ok(Some(round))
    }

    /// Called after any change to a contest, its rounds or its questions.
    pub fn forget_contest(&self, contest_id: i64) {
        self.rounds
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|_, r| r.contest_id != contest_id);
        self.contests
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&contest_id);
    }
}

/// A paper of `set` from `bank`, or why there is none; the one rule the
/// office pages, the round cache and the preview share.
pub fn draw(bank: &Bank, empty: bool, set: &QuestionSet, seed: u64) -> Result<Vec<i64>, String> {
    if empty {
        return Err("Ngân hàng câu hỏi chưa có câu hỏi nào".to_owned());
    }
    bank.draw(set, seed).map_err(|e| e.to_string())
}

async fn load(db: &Db, round_id: i64) -> Result<Option<Round>, sqlx::Error> {
    let Some(r) = repo::live_round(db, round_id).await? else {
        return Ok(None);
    };
    let rows = repo::bank(db, r.contest_id).await?;
    let mut bank = Vec::with_capacity(rows.len());
    let mut key = HashMap::new();
    for q in rows {
        let options = q.option_texts()?;
        key.insert(q.id, q.correct as u8);
        bank.push(Question {
            id: q.id,
            topic: q.topic,
            text: q.text,
            options,
        });
    }
    let by_id = bank.iter().enumerate().map(|(i, q)| (q.id, i)).collect();
    let pairs: Vec<(i64, &str)> = bank.iter().map(|q| (q.id, q.topic.as_str())).collect();
    let drawer = Bank::new(&pairs);
    let set = question_set_from_str(&r.question_set).ok_or_else(|| {
        sqlx::Error::Decode("contests.question_set: giá trị không đọc được".into())
    })?;
    let paper_problem = draw(&drawer, bank.is_empty(), &set, 0).err();
    let finalists = match r.stage {
        RoundStage::Weekly => None,
        _ => Some(
            repo::finalists(db, r.contest_id, 0)
                .await?
                .into_iter()
                .map(|f| f.participant_id)
                .collect(),
        ),
    };
    Ok(Some(Round {
        stage: r.stage,
        finalists,
        id: r.id,
        status: r.status,
        paper_problem,
        checked_ms: AtomicI64::new(crate::clock::now_ms()),
        alerted: AtomicBool::new(false),
        contest_id: r.contest_id,
        contest_title: r.contest_title,
        number: r.number,
        title: r.title,
        opens_ms: r.opens_at * 1000,
        closes_ms: r.closes_at * 1000,
        time_limit_ms: r.time_limit_secs * 1000,
        policy: r.attempt_policy,
        set,
        prediction: r.prediction.rules(),
        required: RequiredFields::parse(&r.required_fields),
        bank,
        by_id,
        drawer,
        key: AnswerKey::new(key),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_round_trip_through_their_text_form() {
        let a = vec![(12, 0), (7, 3)];
        assert_eq!(parse_answers(&format_answers(&a)), a);
        assert_eq!(parse_answers("1:2,x:1,3,4:z,5:1"), vec![(1, 2), (5, 1)]);
    }
}
