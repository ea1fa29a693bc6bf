//! A tiny deterministic pseudo-random generator (SplitMix64).
//!
//! Why not the `rand` crate: a draw must be replayable from the seed stored
//! with the attempt, years later, when a participant disputes which
//! questions they were shown. That only holds if the stream for a seed never
//! changes, and a dependency's generator may change between versions. The
//! stream produced here is therefore part of this crate's contract: changing
//! it changes what past attempts were shown.
//!
//! It is not cryptographic. Seeds must come from the server, never from the
//! participant, or a participant could pick a seed that draws easy questions.

/// SplitMix64 (Steele, Lea and Flood, 2014): one `u64` of state, passes
/// BigCrush, and is trivial to re-implement in another language if the
/// office ever has to replay a draw outside this program.
#[derive(Clone, Debug)]
pub(crate) struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.state)
    }

    /// A value in `0..n` for `n > 0`, by the multiply-shift method. Its bias
    /// is below `n / 2^64`, far under anything a contest could notice, and it
    /// needs no rejection loop, so every draw consumes exactly one output and
    /// replays stay simple.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        debug_assert!(n > 0);
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }
}

/// The SplitMix64 finaliser: spreads every input bit over the whole output.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Fisher–Yates, from the back, so that each arrangement is equally likely.
pub(crate) fn shuffle<T>(items: &mut [T], rng: &mut SplitMix64) {
    for i in (1..items.len()).rev() {
        let j = rng.below(i + 1);
        items.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pins the stream: these are the published SplitMix64 outputs for seed 0.
    /// If this test fails, past draws can no longer be replayed.
    #[test]
    fn stream_is_the_reference_splitmix64() {
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(rng.next_u64(), 0x06C4_5D18_8009_454F);
    }

    #[test]
    fn below_stays_in_range() {
        let mut rng = SplitMix64::new(7);
        for n in 1..200 {
            assert!(rng.below(n) < n);
        }
    }
}
