//! Office documents for kehoach: reports in the Party document format
//! (.docx), exports as workbooks (.xlsx, .csv), and reading uploaded tables
//! for bulk import.
//!
//! Everything here is pure — bytes and values in, bytes and values out —
//! and returns [`OfficeError`] rather than panicking, whatever the input.

mod csv;
mod docx;
mod error;
mod plain;
mod table;
mod text;
mod xlsx;

pub use crate::csv::csv_bytes;
pub use crate::docx::{
    Certificate, Paragraph, PartyReport, Signature, certificate_docx, party_report_docx,
};
pub use crate::error::OfficeError;
pub use crate::table::{MAX_COLUMNS, Table, TableRow, read_table};
pub use crate::xlsx::{Cell, Sheet, workbook_xlsx};
