//! The entrant's side: an account, entries with their files, edits until
//! the deadline, and each entry's status.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, Path};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use kehoach_award::{Candidate, Kind, Problem, check};
use serde::Deserialize;

use super::access::{self, Access};
use super::domain::{EntryForm, NewEntry};
use super::problems::{problem_message, problem_messages, upload_message};
use super::repo::{self, AwardError, EntryRow, FileRow};
use super::states::EditionStatus;
use super::store::{Stored, UploadError};
use super::{EditionRow, Services, files};
use crate::accounts::domain::NewUser;
use crate::clock::now;
use crate::error::{AppError, AppResult};
use crate::session;
use crate::session::password;
use crate::state::{AppState, ClientIp};
use crate::web::{Ctx, HtmlForm, Role, render, render_form};

/// A whole entry request: several files of up to the largest category cap.
pub const MAX_REQUEST_BYTES: usize = 2 * 1024 * 1024 * 1024;

fn entrant(ctx: &Ctx) -> AppResult<i64> {
    let user = ctx.account()?;
    if user.role == Role::Entrant {
        Ok(user.id)
    } else {
        Err(AppError::Forbidden)
    }
}

// ------------------------------------------------------------ registration

#[derive(Template)]
#[template(path = "awards/templates/register.html")]
struct RegisterPage {
    ctx: Ctx,
    error: Option<String>,
    username: String,
    display_name: String,
    email: String,
}

pub async fn register_form(ctx: Ctx) -> AppResult<Response> {
    Ok(render(&RegisterPage {
        ctx,
        error: None,
        username: String::new(),
        display_name: String::new(),
        email: String::new(),
    })?
    .into_response())
}

#[derive(Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    consent: Option<String>,
}

pub async fn register(
    state: AppState,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    HtmlForm(form): HtmlForm<RegisterForm>,
) -> AppResult<Response> {
    state
        .login
        .register(&ip, &form.email)
        .map_err(AppError::RateLimited)?;
    let parsed = NewUser::parse(
        &form.username,
        &form.display_name,
        &form.password,
        "entrant",
        vec![],
        &form.email,
    )
    .and_then(|u| form.consent.as_ref().map(|_| u).ok_or("err-award-consent"));
    let refuse = |ctx: Ctx, key: &str| {
        let page = RegisterPage {
            error: Some(ctx.t(key)),
            username: form.username.clone(),
            display_name: form.display_name.clone(),
            email: form.email.clone(),
            ctx,
        };
        render_form(&page, true)
    };
    let user = match parsed {
        Ok(u) => u,
        Err(key) => return refuse(ctx, key),
    };
    if crate::accounts::repo::username_taken(&state.db, user.username.as_str()).await? {
        return refuse(ctx, "err-username-taken");
    }
    let hash = password::hash(user.password.as_str().to_owned()).await?;
    let id = crate::accounts::repo::insert(&state.db, None, &user, &hash).await?;
    Ok(session::login_response(&state.db, &state.settings, id, "/giai/cua-toi").await?)
}

// ------------------------------------------------------------- my entries

#[derive(Template)]
#[template(path = "awards/templates/mine.html")]
struct MinePage {
    ctx: Ctx,
    open: Vec<EditionRow>,
    /// Each entry with its edition's title and, once published, its prize.
    entries: Vec<(EntryRow, String, String)>,
}

pub async fn mine(state: AppState, ctx: Ctx) -> AppResult<Response> {
    let me = entrant(&ctx)?;
    let editions = repo::editions(&state.db).await?;
    let titles: HashMap<i64, String> = editions.iter().map(|e| (e.id, e.title.clone())).collect();
    let mut prizes: HashMap<i64, String> = HashMap::new();
    for edition in editions.iter().filter(|e| e.is_published()) {
        for p in repo::prizes(&state.db, edition.id).await? {
            prizes.insert(p.entry_id, p.tier);
        }
    }
    let entries = repo::entries_of(&state.db, me)
        .await?
        .into_iter()
        .map(|e| {
            let t = titles.get(&e.edition_id).cloned().unwrap_or_default();
            let prize = prizes.get(&e.id).cloned().unwrap_or_default();
            (e, t, prize)
        })
        .collect();
    let open = editions.into_iter().filter(EditionRow::is_open).collect();
    Ok(render(&MinePage { ctx, open, entries })?.into_response())
}

// -------------------------------------------------------------- the entry

#[derive(Template)]
#[template(path = "awards/templates/entry_form.html")]
struct FormPage {
    ctx: Ctx,
    edition: EditionRow,
    entry_id: Option<i64>,
    form: EntryForm,
    files: Vec<FileRow>,
    errors: Vec<String>,
}

impl FormPage {
    fn action(&self) -> String {
        match self.entry_id {
            Some(id) => format!("/giai/bai/{id}/sua"),
            None => format!("/giai/{}/du-thi", self.edition.id),
        }
    }

    fn accept_all(&self) -> String {
        let cats = &self.edition.categories;
        let mut all: Vec<String> = cats.iter().map(|c| self.edition.accept(c)).collect();
        all.dedup();
        all.join(",")
    }
}

async fn open_edition(state: &AppState, id: i64) -> AppResult<EditionRow> {
    let edition = repo::edition(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if edition.status == EditionStatus::Draft {
        return Err(AppError::NotFound);
    }
    Ok(edition)
}

pub async fn new_form(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    entrant(&ctx)?;
    let edition = open_edition(&state, id).await?;
    let form = EntryForm {
        authors: format!("{} | ", ctx.display_name()),
        ..Default::default()
    };
    let page = FormPage {
        ctx,
        edition,
        entry_id: None,
        form,
        files: vec![],
        errors: vec![],
    };
    Ok(render(&page)?.into_response())
}

/// The entry's own, editable entry: its owner, before the deadline.
async fn own_entry(state: &AppState, ctx: &Ctx, id: i64) -> AppResult<(EntryRow, EditionRow)> {
    entrant(ctx)?;
    let (entry, edition, access) = access::entry(state, ctx, id).await?;
    if access != Access::Owner {
        return Err(AppError::NotFound);
    }
    Ok((entry, edition))
}

pub async fn edit_form(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let (entry, edition) = own_entry(&state, &ctx, id).await?;
    let page = FormPage {
        ctx,
        edition,
        entry_id: Some(entry.id),
        form: EntryForm::from_entry(&entry.new_entry()),
        files: entry.files,
        errors: vec![],
    };
    Ok(render(&page)?.into_response())
}

#[derive(Template)]
#[template(path = "awards/templates/entry.html")]
struct EntryPage {
    ctx: Ctx,
    edition: EditionRow,
    entry: EntryRow,
    editable: bool,
}

pub async fn show(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let (entry, edition) = own_entry(&state, &ctx, id).await?;
    let editable = edition.is_open() && now() <= edition.rules.deadline;
    Ok(render(&EntryPage {
        ctx,
        edition,
        entry,
        editable,
    })?
    .into_response())
}

/// A request declared larger than the edition's files and text could need
/// is refused before it is read.
fn within_limit(edition: &EditionRow, headers: &HeaderMap) -> AppResult<()> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let limit = edition.max_entry_bytes() + (MAX_TEXT_BYTES + 1024 * 1024) as u64;
    match declared {
        Some(n) if n > limit => Err(AppError::TooLarge),
        _ => Ok(()),
    }
}

pub async fn create(
    state: AppState,
    svc: Services,
    ctx: Ctx,
    Path(id): Path<i64>,
    headers: HeaderMap,
    multipart: Multipart,
) -> AppResult<Response> {
    let me = entrant(&ctx)?;
    let edition = open_edition(&state, id).await?;
    within_limit(&edition, &headers)?;
    submit(&state, &svc, ctx, me, edition, None, multipart).await
}

pub async fn update(
    state: AppState,
    svc: Services,
    ctx: Ctx,
    Path(id): Path<i64>,
    headers: HeaderMap,
    multipart: Multipart,
) -> AppResult<Response> {
    let (entry, edition) = own_entry(&state, &ctx, id).await?;
    within_limit(&edition, &headers)?;
    // An entry being judged no longer changes.
    if repo::in_a_round(&state.db, entry.id).await? {
        return Err(AppError::BadRequest(ctx.t("err-award-in-round")));
    }
    let me = entry.entrant_id;
    submit(&state, &svc, ctx, me, edition, Some(entry), multipart).await
}

/// What the multipart form held: its text fields, files already stored,
/// files to remove, and upload refusals.
#[derive(Default)]
struct Received {
    fields: HashMap<String, String>,
    stored: Vec<(Stored, String)>,
    remove: Vec<i64>,
    refused: Vec<String>,
}

/// Text fields are small; anything longer is refused, not buffered.
const MAX_FIELD_BYTES: usize = 64 * 1024;
/// All text fields of one request together (repeated names included), so a
/// request cannot pile up megabytes of text to be held and shown back.
const MAX_TEXT_BYTES: usize = 256 * 1024;

/// Reads the request into `got`; on an error, what was already stored is
/// in `got.stored` for the caller to clean up.
async fn receive(
    svc: &Services,
    ctx: &Ctx,
    edition: &EditionRow,
    mut multipart: Multipart,
    got: &mut Received,
) -> AppResult<()> {
    let blobs = svc.blobs()?;
    // The category may come after the files in the request, so uploads are
    // checked against every category's kinds and the largest cap here and
    // against the chosen category by the eligibility rules afterwards.
    let mut kinds: Vec<Kind> = edition
        .categories
        .iter()
        .flat_map(|c| c.kinds.clone())
        .collect();
    kinds.sort();
    kinds.dedup();
    let max = edition
        .categories
        .iter()
        .map(|c| c.max_bytes())
        .max()
        .unwrap_or(0);
    // The most any category allows per entry; the chosen category's own
    // caps are checked by the eligibility rules afterwards.
    let max_files = edition
        .categories
        .iter()
        .map(|c| c.max_files)
        .max()
        .unwrap_or(0) as usize;
    let max_total = edition.max_entry_bytes();
    let bad_request = |_| AppError::BadRequest(ctx.t("err-award-upload"));
    let mut text_bytes = 0;
    while let Some(mut field) = multipart.next_field().await.map_err(bad_request)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "files" {
            let original: String = field
                .file_name()
                .unwrap_or_default()
                .chars()
                .filter(|c| !c.is_control())
                .take(200)
                .collect();
            if got.stored.len() >= max_files {
                return Err(AppError::BadRequest(ctx.t1(
                    "award-problem-files",
                    "max",
                    max_files,
                )));
            }
            let total: u64 = got.stored.iter().map(|(s, _)| s.size).sum();
            let room = max_total.saturating_sub(total);
            match blobs.put_field(&mut field, max.min(room), &kinds).await {
                Ok(stored) => got.stored.push((stored, original)),
                Err(UploadError::TooLarge { .. }) if room < max => {
                    return Err(AppError::BadRequest(ctx.t1(
                        "award-problem-total",
                        "max",
                        max_total / (1024 * 1024),
                    )));
                }
                Err(UploadError::Empty) if original.is_empty() => {}
                Err(UploadError::Store(e)) => return Err(AppError::Internal(e.into())),
                Err(e) => got.refused.push(upload_message(ctx, &e, &original)),
            }
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(bad_request)? {
            text_bytes += chunk.len();
            if bytes.len() + chunk.len() > MAX_FIELD_BYTES || text_bytes > MAX_TEXT_BYTES {
                return Err(AppError::BadRequest(ctx.t("err-award-field-long")));
            }
            bytes.extend_from_slice(&chunk);
        }
        let value = String::from_utf8(bytes)
            .map_err(|_| AppError::BadRequest(ctx.t("err-award-upload")))?;
        if name == "remove" {
            got.remove.extend(value.parse::<i64>().ok());
        } else {
            let slot = got.fields.entry(name).or_default();
            slot.push_str(&value);
        }
    }
    Ok(())
}

fn form_of(fields: &HashMap<String, String>) -> EntryForm {
    let f = |k: &str| fields.get(k).cloned().unwrap_or_default();
    EntryForm {
        category: f("category"),
        title: f("title"),
        authors: f("authors"),
        outlet: f("outlet"),
        published_on: f("published_on"),
        link: f("link"),
        summary: f("summary"),
        series_parts: f("series_parts"),
        locality: f("locality"),
    }
}

async fn submit(
    state: &AppState,
    svc: &Services,
    ctx: Ctx,
    me: i64,
    edition: EditionRow,
    existing: Option<EntryRow>,
    multipart: Multipart,
) -> AppResult<Response> {
    if !edition.is_open() {
        return Err(AppError::BadRequest(ctx.t("award-problem-closed")));
    }
    let mut got = Received::default();
    let outcome = match receive(svc, &ctx, &edition, multipart, &mut got).await {
        Ok(()) => decide(state, ctx, me, edition, existing, &got).await,
        Err(e) => Err(e),
    };
    // Whatever went wrong (a refusal, a dropped connection, a failed
    // write), uploads that no stored entry refers to are removed.
    if !matches!(&outcome, Ok((_, true))) {
        files::forget_unreferenced(
            state,
            svc,
            got.stored.iter().map(|(s, _)| s.sha256.as_str()),
        )
        .await;
    }
    outcome.map(|(response, _)| response)
}

/// Checks and stores the entry; the flag says whether it was stored.
async fn decide(
    state: &AppState,
    ctx: Ctx,
    me: i64,
    edition: EditionRow,
    existing: Option<EntryRow>,
    got: &Received,
) -> AppResult<(Response, bool)> {
    let form = form_of(&got.fields);
    let mut errors = got.refused.clone();
    let entry: Option<NewEntry> = match form.parse(&edition) {
        Ok(e) => Some(e),
        Err(key) => {
            errors.push(ctx.t(key));
            None
        }
    };
    let kept: Vec<FileRow> = existing
        .as_ref()
        .map(|e| {
            e.files
                .iter()
                .filter(|f| !got.remove.contains(&f.id))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    if let Some(e) = &entry {
        let category = edition.category(&e.category).ok_or(AppError::NotFound)?;
        let files: Vec<(Kind, u64)> = kept
            .iter()
            .filter_map(|f| f.kind.rule_kind().map(|k| (k, f.size as u64)))
            .chain(got.stored.iter().map(|(s, _)| (s.format.kind, s.size)))
            .collect();
        let authors = e.author_keys();
        let candidate = Candidate {
            category,
            published_on: &e.published_on,
            series_parts: e.series_parts,
            authors: &authors,
            files: &files,
            link: &e.link,
        };
        let others =
            repo::author_counts(&state.db, edition.id, existing.as_ref().map(|x| x.id)).await?;
        // Problems name an author by identity key; show the typed name.
        let problems = check(&edition.rules, &candidate, &others, now());
        errors.extend(problem_messages(&ctx, e, problems));
    }
    if let Some(e) = entry.as_ref().filter(|_| errors.is_empty()) {
        let saved = repo::save_entry(
            &state.db,
            me,
            edition.id,
            existing.as_ref().map(|x| x.id),
            e,
            &got.stored,
            &got.remove,
            edition.rules.per_author,
        )
        .await;
        match saved {
            Ok(id) => {
                return Ok((
                    Redirect::to(&format!("/giai/bai/{id}")).into_response(),
                    true,
                ));
            }
            // Another entry of the same author was stored in between.
            Err(AwardError::OverLimit(key)) => {
                let author = e
                    .authors
                    .iter()
                    .find(|a| kehoach_award::person_key(&a.real_name) == key)
                    .map(|a| a.real_name.clone())
                    .unwrap_or(key);
                let max = edition.rules.per_author;
                errors.push(problem_message(
                    &ctx,
                    &Problem::TooManyEntries { author, max },
                ));
            }
            Err(e) => return Err(e.into()),
        }
    }
    let page = FormPage {
        ctx,
        entry_id: existing.as_ref().map(|x| x.id),
        files: kept,
        edition,
        form,
        errors,
    };
    Ok((render_form(&page, true)?, false))
}
