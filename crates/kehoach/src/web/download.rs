//! Spreadsheet templates offered for download: a header row and one example
//! row, as CSV with a BOM and CRLF so that Excel opens Vietnamese text as
//! UTF-8.

use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::AppResult;

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
