//! Files offered for download: generated documents and workbooks, and
//! spreadsheet templates (a header row and one example row, as CSV with a
//! BOM and CRLF so that Excel opens Vietnamese text as UTF-8).

use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::AppResult;

pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A generated file as an attachment; `name` is ASCII and built by the
/// caller from fixed words and numbers (never user input).
pub fn attachment(bytes: Vec<u8>, mime: &'static str, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// `filename` is ASCII and fixed by the caller (never user input).
pub fn csv_template<'a>(
    filename: &'static str,
    header_row: impl IntoIterator<Item = &'a str>,
    example: impl IntoIterator<Item = &'a str>,
) -> AppResult<Response> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(header_row).map_err(anyhow::Error::from)?;
    w.write_record(example).map_err(anyhow::Error::from)?;
    let body = w.into_inner().map_err(|e| anyhow::anyhow!("csv: {e}"))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response())
}
