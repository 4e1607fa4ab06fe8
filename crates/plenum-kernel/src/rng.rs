//! Named random streams.
//!
//! A stream's seed is a hash of the scenario seed, the stream's name and an
//! index (a replication, a component), so streams are independent of each
//! other and of the order in which they are created. The hash is FNV-1a over
//! the name followed by SplitMix64 finalisation (S. Vigna, "Further scramblings
//! of Marsaglia's xorshift generators", 2017), both fixed algorithms, so a seed
//! gives the same numbers on every platform and release. The generator is
//! Xoshiro256++ (D. Blackman, S. Vigna, "Scrambled linear pseudorandom number
//! generators", ACM TOMS 2021).

use rand_core::SeedableRng;
pub use rand_xoshiro::Xoshiro256PlusPlus as RngStream;

fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The 64-bit seed of stream `name` number `index` under scenario seed `seed`.
pub fn stream_seed(seed: u64, name: &str, index: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325; // FNV-1a offset basis
    for byte in name.as_bytes() {
        h ^= u64::from(*byte);
        h = h.wrapping_mul(0x0000_0100_0000_01B3); // FNV prime
    }
    splitmix64(splitmix64(seed ^ h) ^ splitmix64(index.wrapping_add(0x5851_F42D_4C95_7F2D)))
}

/// A reproducible random stream for the process `name`, number `index`.
pub fn stream(seed: u64, name: &str, index: u64) -> RngStream {
    RngStream::seed_from_u64(stream_seed(seed, name, index))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::Rng;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let draw = |seed, name, index| stream(seed, name, index).next_u64();
        assert_eq!(draw(1, "failures", 0), draw(1, "failures", 0));
        assert_ne!(draw(1, "failures", 0), draw(1, "repairs", 0));
        assert_ne!(draw(1, "failures", 0), draw(1, "failures", 1));
        assert_ne!(draw(1, "failures", 0), draw(2, "failures", 0));
    }

    #[test]
    fn seeds_are_stable_across_releases() {
        // A change here changes every published result: keep these fixed.
        assert_eq!(stream_seed(42, "utility", 3), PINNED_SEED);
        assert_eq!(stream(42, "utility", 3).next_u64(), PINNED_FIRST_DRAW);
    }

    const PINNED_SEED: u64 = 12_596_839_888_864_951_470;
    const PINNED_FIRST_DRAW: u64 = 4_238_550_564_891_068_796;
}
