//! `cargo +nightly fuzz run parse_bytes` from crates/plan.
//! Any input must end in Ok or a ParseError, never a panic or a hang.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = kehoach_plan::parse_bytes(data);
});
