//! Why a public request was refused, from the form check to the writer:
//! one type, each case with its message key and HTTP status.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    BadToken,
    NotOpen,
    /// The contest is paused, closed or not yet published: no play at all.
    NotInPlay,
    /// The bank cannot give this round a full paper; the office is told.
    NoPaper,
    /// The final is for the finalists only.
    NotFinalist,
    /// A final scored by a jury is not played online.
    NotOnline,
    TimeUp,
    /// The attempt policy allows no further attempt in this round.
    NoAttemptsLeft,
    /// This attempt was already submitted (a replayed token).
    AlreadySubmitted,
    /// The phone number is already registered in this contest.
    DuplicatePhone,
    /// The ID number is already registered in this contest.
    DuplicateId,
    Invalid(&'static str),
    RateLimited,
    /// The queue is full or the store failed; nothing was written.
    Busy,
}

impl Refused {
    pub fn key(self) -> &'static str {
        match self {
            Self::BadToken => "contest-err-token",
            Self::NotOpen => "contest-err-not-open",
            Self::NotInPlay => "contest-err-not-in-play",
            Self::NoPaper => "contest-err-no-paper",
            Self::NotFinalist => "contest-err-not-finalist",
            Self::NotOnline => "contest-err-not-online",
            Self::TimeUp => "contest-err-time-up",
            Self::NoAttemptsLeft => "contest-err-no-attempts",
            Self::AlreadySubmitted => "contest-err-already-submitted",
            Self::DuplicatePhone => "contest-err-duplicate-phone",
            Self::DuplicateId => "contest-err-duplicate-id",
            Self::Invalid(key) => key,
            Self::RateLimited => "contest-err-rate-limited",
            Self::Busy => "contest-err-busy",
        }
    }

    pub fn status(self) -> StatusCode {
        match self {
            Self::BadToken | Self::NotFinalist => StatusCode::FORBIDDEN,
            Self::NotOnline => StatusCode::CONFLICT,
            Self::NotOpen
            | Self::NotInPlay
            | Self::TimeUp
            | Self::NoAttemptsLeft
            | Self::AlreadySubmitted => StatusCode::CONFLICT,
            Self::DuplicatePhone | Self::DuplicateId | Self::Invalid(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::NoPaper => StatusCode::SERVICE_UNAVAILABLE,
            Self::Busy => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The answer to a script: the status, a stable code and the message
    /// in Vietnamese; busy and rate-limited answers say when to retry.
    pub fn json(self) -> Response {
        let message = crate::web::Tr(crate::web::Lang::Vi).t(self.key());
        let body = serde_json::json!({ "error": self.key(), "message": message });
        let mut res = (self.status(), axum::Json(body)).into_response();
        if matches!(self, Self::Busy | Self::RateLimited) {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
        }
        res
    }
}
