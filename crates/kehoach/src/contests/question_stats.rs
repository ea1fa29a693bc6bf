//! How each question of a round fared: how many answered it, the share
//! answered right and how the answers spread over the options, hardest
//! first. Read from the hand-ins' answer sheets; the time spent on a single
//! question is not recorded, so it is not shown.

use std::collections::HashMap;

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Response};

use super::ContestRow;
use super::live::parse_answers;
use super::repo::{self, RoundRow};
use super::results::contest_and_round;
use crate::contests::Services;
use crate::error::AppResult;
use crate::web::{Ctx, render};

/// One question's figures.
pub struct QuestionStat {
    pub id: i64,
    pub text: String,
    pub topic: String,
    /// (option text, answers, whether it is the right one).
    pub options: Vec<(String, u64, bool)>,
    pub answered: u64,
    pub correct: u64,
}

impl QuestionStat {
    /// The share answered right, in per cent with one decimal ("—" if none).
    pub fn correct_rate(&self) -> String {
        percent(self.correct, self.answered)
    }

    pub fn share(&self, n: &u64) -> String {
        percent(*n, self.answered)
    }
}

fn percent(n: u64, of: u64) -> String {
    if of == 0 {
        "—".into()
    } else {
        format!("{:.1}%", n as f64 * 100.0 / of as f64)
    }
}

/// Counts per (question, option) from answer sheets.
#[derive(Default)]
pub struct Tally(HashMap<(i64, u8), u64>);

impl Tally {
    pub fn add(&mut self, sheet: &str) {
        for (q, o) in parse_answers(sheet) {
            *self.0.entry((q, o)).or_default() += 1;
        }
    }

    /// The figures of the questions given (id, text, topic, options,
    /// correct option), hardest first; unanswered questions are left out.
    pub fn stats(&self, bank: Vec<(i64, String, String, Vec<String>, u8)>) -> Vec<QuestionStat> {
        let mut out: Vec<QuestionStat> = bank
            .into_iter()
            .map(|(id, text, topic, options, right)| {
                let options: Vec<(String, u64, bool)> = options
                    .into_iter()
                    .enumerate()
                    .map(|(i, o)| {
                        let n = self.0.get(&(id, i as u8)).copied().unwrap_or(0);
                        (o, n, i as u8 == right)
                    })
                    .collect();
                let answered = options.iter().map(|o| o.1).sum();
                let correct = options.iter().filter(|o| o.2).map(|o| o.1).sum();
                QuestionStat {
                    id,
                    text,
                    topic,
                    options,
                    answered,
                    correct,
                }
            })
            .filter(|s| s.answered > 0)
            .collect();
        // Hardest first: the lowest share right (compared exactly).
        out.sort_by(|a, b| {
            (u128::from(a.correct) * u128::from(b.answered))
                .cmp(&(u128::from(b.correct) * u128::from(a.answered)))
                .then(a.id.cmp(&b.id))
        });
        out
    }
}

#[derive(Template)]
#[template(path = "contests/templates/question_stats.html")]
struct StatsPage {
    ctx: Ctx,
    contest: ContestRow,
    round: RoundRow,
    questions: Vec<QuestionStat>,
}

impl StatsPage {
    fn letter(&self, i: &usize) -> char {
        (b'A' + *i as u8) as char
    }
}

pub async fn page(
    state: Services,
    ctx: Ctx,
    Path((id, round)): Path<(i64, i64)>,
) -> AppResult<Response> {
    ctx.office()?;
    let (contest, round) = contest_and_round(&state, id, round).await?;
    let mut tally = Tally::default();
    repo::each_answer_sheet(&state.db, round.id, |sheet| tally.add(sheet)).await?;
    let mut bank = Vec::new();
    for q in repo::bank(&state.db, id).await? {
        let options = q.option_texts()?;
        bank.push((q.id, q.text, q.topic, options, q.correct as u8));
    }
    let questions = tally.stats(bank);
    Ok(render(&StatsPage {
        ctx,
        contest,
        round,
        questions,
    })?
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hardest_question_comes_first_with_its_spread() {
        let mut t = Tally::default();
        for sheet in ["1:0,2:1", "1:0,2:2", "1:1,2:2", "2:0"] {
            t.add(sheet);
        }
        let opts = || vec!["a".to_owned(), "b".to_owned(), "c".to_owned()];
        let stats = t.stats(vec![
            (1, "Một".into(), "T".into(), opts(), 0),
            (2, "Hai".into(), "T".into(), opts(), 1),
            (3, "Ba".into(), "T".into(), opts(), 0),
        ]);
        assert_eq!(stats.len(), 2, "question 3 was never answered");
        assert_eq!(stats[0].id, 2);
        assert_eq!((stats[0].answered, stats[0].correct), (4, 1));
        assert_eq!(stats[0].correct_rate(), "25.0%");
        assert_eq!(stats[0].options[2].1, 2);
        assert_eq!(stats[1].correct_rate(), "66.7%");
    }
}
