//! Plan storage, one file per aggregate: the plan with its themes and
//! channels, its duties with their assignments, and corrections to both.

mod duties;
pub mod edits;
mod plan;

pub use duties::*;
pub use plan::*;
