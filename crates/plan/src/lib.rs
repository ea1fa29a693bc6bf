//! Turns a Vietnamese plan document (KẾ HOẠCH, HƯỚNG DẪN, ...) into
//! structure: header, sections, purposes, themes, channels, implementing
//! units and their duties, cited documents, recipients, signature, and
//! warnings a careful reader would raise.
//!
//! Pure: bytes in, structure out. No I/O, no global state. Every input,
//! however broken, ends in `Ok` or a [`ParseError`]; the parser does not
//! panic and its work is linear in the input size.
//!
//! ```
//! let text = "KẾ HOẠCH\ntuyên truyền năm 2025\nI. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\n- Nâng cao nhận thức.\nII. TỔ CHỨC THỰC HIỆN\n1. Sở Thông tin và Truyền thông: Chủ trì thực hiện.";
//! let plan = kehoach_plan::parse_text(text).unwrap();
//! assert_eq!(plan.kind, "KẾ HOẠCH");
//! assert_eq!(plan.year, Some(2025));
//! assert_eq!(plan.duties[0].unit, "Sở Thông tin và Truyền thông");
//! ```

mod dates;
mod decode;
mod docx;
mod duties;
mod error;
mod fold;
mod header;
mod lines;
mod lint;
mod model;
mod names;
mod numbering;
mod outline;
mod parse;
mod references;
mod sections;
mod tail;
mod themes;
mod units;

pub use decode::decode;
pub use error::ParseError;
pub use fold::fold;
pub use model::{
    Block, Channel, DocRef, Duty, DutyRole, ImplementingUnit, PlanDocument, Recipient, Section,
    SectionRole, Signature, Theme, ThemeGroup, ThemeKind, Warning,
};
pub use numbering::roman;
pub use parse::parse_text;

/// Largest accepted input, checked before anything else.
pub const MAX_INPUT_BYTES: usize = 10 * 1024 * 1024;

/// [`decode`] then [`parse_text`].
pub fn parse_bytes(bytes: &[u8]) -> Result<PlanDocument, ParseError> {
    parse::parse_normalized(&decode(bytes)?)
}
