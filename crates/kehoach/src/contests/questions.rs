//! The question bank: import from .xlsx/.csv/.docx with per-row errors
//! (all or nothing), preview, edit. A question that a round which has
//! opened can draw is locked: changing it would change papers already
//! handed out and scores already earned.

use askama::Template;
use axum::extract::{Multipart, Path};
use axum::response::{IntoResponse, Redirect, Response};
use kehoach_contest::{QuestionDraft, QuestionSet};
use serde::Deserialize;

use super::repo;
use super::{ContestRow, find_contest};
use crate::contests::Services;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::web::{Ctx, HtmlForm, render_form, upload};

const MAX_BYTES: usize = 5 * 1024 * 1024;
const LETTERS: [char; 6] = ['A', 'B', 'C', 'D', 'E', 'F'];

pub struct QuestionRow {
    pub id: i64,
    pub text: String,
    pub options: Vec<String>,
    pub correct: usize,
    pub topic: String,
    pub difficulty: i64,
    pub locked: bool,
}

impl QuestionRow {
    pub fn letter(&self, i: &usize) -> char {
        LETTERS.get(*i).copied().unwrap_or('?')
    }
}

async fn rows(db: &Db, contest: &ContestRow) -> Result<Vec<QuestionRow>, sqlx::Error> {
    let locked = Locked {
        any_round_opened: repo::any_round_opened(db, contest.id, crate::clock::now()).await?,
        set: contest.question_set.clone(),
    };
    repo::questions(db, contest.id)
        .await?
        .into_iter()
        .map(|r| {
            Ok(QuestionRow {
                options: r.option_texts()?,
                correct: r.correct as usize,
                locked: locked.is_locked(r.id, &r.topic),
                id: r.id,
                text: r.text,
                topic: r.topic,
                difficulty: r.difficulty,
            })
        })
        .collect()
}

struct Locked {
    any_round_opened: bool,
    set: QuestionSet,
}

impl Locked {
    fn is_locked(&self, id: i64, topic: &str) -> bool {
        self.any_round_opened
            && match &self.set {
                QuestionSet::Fixed(ids) => ids.contains(&id),
                QuestionSet::Random { per_topic } => per_topic.iter().any(|(t, _)| t == topic),
            }
    }
}

#[derive(Template)]
#[template(path = "contests/templates/questions.html")]
struct ListPage {
    ctx: Ctx,
    contest: ContestRow,
    questions: Vec<QuestionRow>,
    topics: Vec<(String, usize)>,
    errors: Vec<String>,
}

async fn list_page(
    state: &Services,
    ctx: Ctx,
    id: i64,
    errors: Vec<String>,
) -> AppResult<Response> {
    let contest = find_contest(state, id).await?;
    let questions = rows(&state.db, &contest).await?;
    let mut topics: Vec<(String, usize)> = Vec::new();
    for q in &questions {
        match topics.iter_mut().find(|t| t.0 == q.topic) {
            Some(t) => t.1 += 1,
            None => topics.push((q.topic.clone(), 1)),
        }
    }
    let has_error = !errors.is_empty();
    render_form(
        &ListPage {
            ctx,
            contest,
            questions,
            topics,
            errors,
        },
        has_error,
    )
}

pub async fn list(state: Services, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    ctx.office()?;
    list_page(&state, ctx, id, Vec::new()).await
}

pub async fn template(ctx: Ctx, Path(_id): Path<i64>) -> AppResult<Response> {
    ctx.office()?;
    let example = [
        "Đảng Cộng sản Việt Nam được thành lập năm nào?",
        "1925",
        "1930",
        "1945",
        "1954",
        "",
        "",
        "B",
        "Lịch sử Đảng",
        "1",
    ];
    crate::web::download::csv_template("mau-cau-hoi.csv", kehoach_contest::TEMPLATE_HEADER, example)
}

/// Reads an upload into question drafts: Word and text files as the
/// office writes them, spreadsheets by the template's columns.
fn parse_upload(name: &str, bytes: &[u8]) -> Result<Vec<QuestionDraft>, Vec<String>> {
    let lower = name.to_lowercase();
    let errors = |e: Vec<kehoach_contest::BankError>| -> Vec<String> {
        e.into_iter().map(|e| e.message).collect()
    };
    if lower.ends_with(".docx") || lower.ends_with(".txt") {
        let text = kehoach_plan::decode(bytes).map_err(|e| vec![e.to_string()])?;
        return kehoach_contest::parse_text(&text).map_err(errors);
    }
    let table =
        kehoach_office::read_table(bytes, MAX_BYTES, 5000).map_err(|e| vec![e.to_string()])?;
    // Rows keep their spreadsheet line numbers so errors point at them.
    let mut rows: Vec<Vec<String>> = vec![table.header.clone()];
    for row in table.rows {
        while rows.len() + 1 < row.line {
            rows.push(Vec::new());
        }
        rows.push(row.cells);
    }
    kehoach_contest::parse_rows(&rows).map_err(errors)
}

pub async fn import(
    state: Services,
    ctx: Ctx,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> AppResult<Response> {
    let user = ctx.office()?.id;
    find_contest(&state, id).await?;
    let (name, bytes) = match upload::first_file(multipart, MAX_BYTES).await {
        Ok(Some(f)) => f,
        Ok(None) => {
            let msg = ctx.t("err-no-file");
            return list_page(&state, ctx, id, vec![msg]).await;
        }
        Err(AppError::BadRequest(msg)) => return list_page(&state, ctx, id, vec![msg]).await,
        Err(e) => return Err(e),
    };
    let drafts = match parse_upload(&name, &bytes) {
        Ok(d) => d,
        Err(errors) => return list_page(&state, ctx, id, errors).await,
    };
    repo::import_questions(&state.db, user, id, &drafts).await?;
    state.contest_live.forget_contest(id);
    Ok(Redirect::to(&format!("/contests/{id}/questions")).into_response())
}

#[derive(Template)]
#[template(path = "contests/templates/question_form.html")]
struct EditPage {
    ctx: Ctx,
    contest_id: i64,
    question: QuestionRow,
    form: QuestionForm,
    error: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct QuestionForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    options: String,
    #[serde(default)]
    correct: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    difficulty: String,
}

impl QuestionForm {
    fn from_row(q: &QuestionRow) -> Self {
        Self {
            text: q.text.clone(),
            options: q.options.join("\n"),
            correct: q.letter(&q.correct).to_string(),
            topic: q.topic.clone(),
            difficulty: q.difficulty.to_string(),
        }
    }

    /// Checked by the same rules as an imported row.
    fn parse(&self) -> Result<QuestionDraft, String> {
        let mut row: Vec<String> = vec![self.text.clone()];
        let options: Vec<&str> = self
            .options
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect();
        if options.len() > 6 {
            return Err("Tối đa 6 phương án".into());
        }
        for i in 0..6 {
            row.push(options.get(i).map(|s| s.to_string()).unwrap_or_default());
        }
        row.extend([
            self.correct.clone(),
            self.topic.clone(),
            self.difficulty.clone(),
        ]);
        let header: Vec<String> = kehoach_contest::TEMPLATE_HEADER
            .iter()
            .map(|s| s.to_string())
            .collect();
        kehoach_contest::parse_rows(&[header, row])
            .map(|mut v| v.remove(0))
            .map_err(|e| {
                e.into_iter()
                    .map(|e| e.message)
                    .collect::<Vec<_>>()
                    .join("; ")
            })
    }
}

async fn question(state: &Services, contest: &ContestRow, q: i64) -> AppResult<QuestionRow> {
    rows(&state.db, contest)
        .await?
        .into_iter()
        .find(|r| r.id == q)
        .ok_or(AppError::NotFound)
}

pub async fn edit_form(
    state: Services,
    ctx: Ctx,
    Path((id, q)): Path<(i64, i64)>,
) -> AppResult<Response> {
    ctx.office()?;
    let contest = find_contest(&state, id).await?;
    let question = question(&state, &contest, q).await?;
    let form = QuestionForm::from_row(&question);
    render_form(
        &EditPage {
            ctx,
            contest_id: id,
            question,
            form,
            error: None,
        },
        false,
    )
}

pub async fn update(
    state: Services,
    ctx: Ctx,
    Path((id, q)): Path<(i64, i64)>,
    HtmlForm(form): HtmlForm<QuestionForm>,
) -> AppResult<Response> {
    let user = ctx.office()?.id;
    let contest = find_contest(&state, id).await?;
    let question = question(&state, &contest, q).await?;
    let parsed = if question.locked {
        Err(ctx.t("err-question-locked"))
    } else {
        form.parse()
    };
    let draft = match parsed {
        Ok(d) => d,
        Err(error) => {
            return render_form(
                &EditPage {
                    ctx,
                    contest_id: id,
                    question,
                    form,
                    error: Some(error),
                },
                true,
            );
        }
    };
    repo::update_question(&state.db, user, id, q, &draft).await?;
    state.contest_live.forget_contest(id);
    Ok(Redirect::to(&format!("/contests/{id}/questions")).into_response())
}

pub async fn delete(
    state: Services,
    ctx: Ctx,
    Path((id, q)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let user = ctx.office()?.id;
    let contest = find_contest(&state, id).await?;
    let question = question(&state, &contest, q).await?;
    if question.locked {
        return Err(AppError::BadRequest(ctx.t("err-question-locked")));
    }
    repo::delete_question(&state.db, user, id, q, &question.text).await?;
    state.contest_live.forget_contest(id);
    Ok(Redirect::to(&format!("/contests/{id}/questions")).into_response())
}
