//! Named random streams, and the samplers every model draws from them with.
//!
//! A stream's seed is a hash of the scenario seed, the stream's name and an
//! index (a replication, a component), so streams are independent of each
//! other and of the order in which they are created. The hash is FNV-1a over
//! the name followed by SplitMix64 finalisation (S. Vigna, "Further scramblings
//! of Marsaglia's xorshift generators", 2017), both fixed algorithms, so a seed
//! gives the same numbers on every platform and release. The generator is
//! Xoshiro256++ (D. Blackman, S. Vigna, "Scrambled linear pseudorandom number
//! generators", ACM TOMS 2021).
//!
//! The samplers are fixed algorithms of our own, so a stream gives the same
//! draws on every release (a library's sampler may change between versions):
//! - uniforms from the top 53 bits of a draw: [`unit_f64`] in [0, 1) and
//!   [`unit_open`] in (0, 1), half a step off both ends; indices in `0..n`
//!   by [`index_by_modulo`] or [`index_by_multiply`] (each kept where it
//!   shipped);
//! - exponentials by inversion, `−ln(U)·mean` ([`exponential`]; L. Devroye,
//!   *Non-Uniform Random Variate Generation*, 1986, §II.2), or by the
//!   ziggurat ([`standard_exponential`]) where millions are drawn;
//! - normals by the Box-Muller transform, cosine branch (G. E. P. Box, M. E.
//!   Muller, "A note on the generation of random normal deviates", Ann. Math.
//!   Stat. 29(2), 1958): [`standard_normal`] on `1 − unit_f64` and `unit_f64`,
//!   [`standard_normal_midpoint`] on two [`unit_open`] draws. Both are the same
//!   transform ([`box_muller`]); the two uniform conventions are kept because
//!   each has shipped results (synthetic workloads, weather and forecasts on
//!   the first, reliability lifetimes on the second) that must not move;
//!   [`standard_normal_ziggurat`], the `rand_distr` ziggurat (J. A. Doornik,
//!   "An Improved Ziggurat Method to Generate Normal Random Samples", 2005),
//!   draws the build-out plan's demand paths for the same reason.

use rand_core::{Rng, SeedableRng};
pub use rand_xoshiro::Xoshiro256PlusPlus as RngStream;

fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The FNV-1a hash of a stream's name, the part of [`stream_seed`] that
/// depends on the name alone: callers that open the same named streams for
/// many indices hash each name once ([`stream_of_name_hash`]).
pub fn stream_name_hash(name: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325; // FNV-1a offset basis
    for byte in name.as_bytes() {
        h ^= u64::from(*byte);
        h = h.wrapping_mul(0x0000_0100_0000_01B3); // FNV prime
    }
    h
}

/// [`stream_seed`] from the name's [`stream_name_hash`].
fn stream_seed_of_name_hash(seed: u64, name_hash: u64, index: u64) -> u64 {
    splitmix64(splitmix64(seed ^ name_hash) ^ splitmix64(index.wrapping_add(0x5851_F42D_4C95_7F2D)))
}

/// The 64-bit seed of stream `name` number `index` under scenario seed `seed`.
pub fn stream_seed(seed: u64, name: &str, index: u64) -> u64 {
    stream_seed_of_name_hash(seed, stream_name_hash(name), index)
}

/// A reproducible random stream for the process `name`, number `index`.
pub fn stream(seed: u64, name: &str, index: u64) -> RngStream {
    RngStream::seed_from_u64(stream_seed(seed, name, index))
}

/// [`stream`] for the name whose [`stream_name_hash`] is `name_hash`: the
/// same stream, without hashing (or formatting) the name again.
pub fn stream_of_name_hash(seed: u64, name_hash: u64, index: u64) -> RngStream {
    RngStream::seed_from_u64(stream_seed_of_name_hash(seed, name_hash, index))
}

/// A uniform draw in [0, 1) with 53 random bits.
#[inline]
pub fn unit_f64(rng: &mut RngStream) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A uniform draw in the open interval (0, 1): the top 53 bits, offset by half
/// a step so that neither 0 nor 1 can occur.
#[inline]
pub fn unit_open(rng: &mut RngStream) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
}

/// A uniform index in `0..n` (`n` > 0) as the draw modulo `n`: biased by
/// under `n / 2^64`, nothing at the sizes drawn here (a fleet's hosts, a list
/// of vCPU counts); random placement and synthetic fleets use it.
#[inline]
pub fn index_by_modulo(rng: &mut RngStream, n: u64) -> u64 {
    rng.next_u64() % n
}

/// A uniform index in `0..n` (`n` > 0) by multiplying the draw by `n` and
/// keeping the high 64 bits (D. Lemire, "Fast Random Integer Generation in an
/// Interval", ACM TOMS 2019, without its rejection step: biased by under
/// `n / 2^64`); the reliability simulator uses it.
#[inline]
pub fn index_by_multiply(rng: &mut RngStream, n: u64) -> u64 {
    ((u128::from(rng.next_u64()) * u128::from(n)) >> 64) as u64
}

/// An exponential draw with the given mean, by inversion (one logarithm).
pub fn exponential(rng: &mut RngStream, mean: f64) -> f64 {
    -(1.0 - unit_f64(rng)).ln() * mean
}

/// The Box-Muller transform, cosine branch: a standard normal deviate from
/// `u1` in (0, 1] and `u2` in [0, 1), `√(−2 ln u1) · cos(2π u2)`.
#[inline]
pub fn box_muller(u1: f64, u2: f64) -> f64 {
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// A standard normal draw: [`box_muller`] of `1 − unit_f64` (so `ln` is
/// finite) and `unit_f64`, drawn in that order.
pub fn standard_normal(rng: &mut RngStream) -> f64 {
    let u1 = 1.0 - unit_f64(rng);
    let u2 = unit_f64(rng);
    box_muller(u1, u2)
}

/// A standard normal draw: [`box_muller`] of two [`unit_open`] draws, the
/// convention of the reliability lifetimes (see the module doc).
pub fn standard_normal_midpoint(rng: &mut RngStream) -> f64 {
    let u1 = unit_open(rng);
    let u2 = unit_open(rng);
    box_muller(u1, u2)
}

/// A standard normal draw by `rand_distr`'s `StandardNormal` (a ziggurat;
/// the version is pinned by Cargo.lock, and the plan's pinned results would
/// show a change of algorithm).
pub fn standard_normal_ziggurat(rng: &mut RngStream) -> f64 {
    rand_distr::Distribution::sample(&rand_distr::StandardNormal, rng)
}

/// An exponential draw with mean 1, by the ziggurat method of G. Marsaglia
/// and W. W. Tsang ("The Ziggurat Method for Generating Random Variables",
/// J. Stat. Software 5(8), 2000) with their 256 strips (r = 7.697117470131487,
/// v = 3.949659822581572e-3): one 64-bit draw and a table look-up 98% of the
/// time, instead of a logarithm. The strip index takes the low 8 bits and the
/// abscissa the top 53, so the two are independent.
#[inline]
pub fn standard_exponential(rng: &mut RngStream) -> f64 {
    standard_exponential_with(ziggurat(), rng)
}

/// The strip tables of [`standard_exponential`], built once per process:
/// a hot loop holds them (see [`standard_exponential_with`]) instead of
/// checking on every draw that they are built.
pub fn exponential_tables() -> &'static Ziggurat {
    ziggurat()
}

/// [`standard_exponential`] with its tables already in hand
/// ([`exponential_tables`]): the same draws and results.
#[inline]
pub fn standard_exponential_with(z: &Ziggurat, rng: &mut RngStream) -> f64 {
    // The common case (a draw inside its strip's rectangle, 98.9% of draws)
    // is kept small enough to inline into the hot loops that call it; the
    // tail and wedge cases continue from the same draw out of line, so the
    // sequence of draws and results is that of one loop.
    let bits = rng.next_u64();
    let i = (bits & 0xff) as usize;
    let u = bits >> 11;
    if u < z.inner[i] {
        return u as f64 * z.width[i];
    }
    standard_exponential_rejected(rng, z, bits)
}

/// [`standard_exponential`] after a first draw `bits` that fell outside its
/// strip's rectangle: the tail, or the wedge test, then fresh draws.
#[cold]
#[inline(never)]
fn standard_exponential_rejected(rng: &mut RngStream, z: &Ziggurat, mut bits: u64) -> f64 {
    loop {
        let i = (bits & 0xff) as usize;
        let u = bits >> 11;
        let x = u as f64 * z.width[i];
        if u < z.inner[i] {
            return x;
        }
        if i == 0 {
            // The tail beyond r is r plus a fresh exponential (memorylessness).
            return ZIGGURAT_R - unit_open(rng).ln();
        }
        // The wedge between the strip's inner part and the curve.
        let y = z.height[i] + unit_open(rng) * (z.height[i + 1] - z.height[i]);
        if y < (-x).exp() {
            return x;
        }
        bits = rng.next_u64();
    }
}

/// The standard normal quantile `Φ⁻¹(p)` for `p` in (0, 1), by P. J. Acklam's
/// rational approximation ("An algorithm for computing the inverse normal
/// cumulative distribution function", 2003): relative error under 1.15e-9
/// over the whole range, one division in the central region
/// (0.02425 ≤ p ≤ 0.97575) and a logarithm and a square root in the tails.
/// A normal draw from one uniform, for hot loops that draw from a
/// counter-based hash rather than a stream (a tenth of Box-Muller's cost).
#[inline]
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] =
        [7.784_695_709_041_462e-3, 3.224_671_290_700_398e-1, 2.445_134_137_142_996, 3.754_408_661_907_416];
    const P_LOW: f64 = 0.02425;
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < P_LOW {
        tail((-2.0 * p.ln()).sqrt())
    } else if p <= 1.0 - P_LOW {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    }
}

const ZIGGURAT_R: f64 = 7.697_117_470_131_487;
const ZIGGURAT_V: f64 = 3.949_659_822_581_572e-3;

/// Strip tables: strip i spans [0, x_i) with x_0 = v / e^(−r), x_1 = r,
/// x_(i+1) = −ln(v / x_i + e^(−x_i)), x_256 = 0.
pub struct Ziggurat {
    /// 2^53 · x_(i+1) / x_i: below this the draw is inside the curve.
    inner: [u64; 256],
    /// x_i / 2^53.
    width: [f64; 256],
    /// e^(−x_i), i = 0..=256.
    height: [f64; 257],
}

#[inline]
fn ziggurat() -> &'static Ziggurat {
    static TABLES: std::sync::OnceLock<Ziggurat> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        let scale = (1u64 << 53) as f64;
        let mut x = [0.0f64; 257];
        x[0] = ZIGGURAT_V / (-ZIGGURAT_R).exp();
        x[1] = ZIGGURAT_R;
        for i in 1..255 {
            x[i + 1] = -(ZIGGURAT_V / x[i] + (-x[i]).exp()).ln();
        }
        x[256] = 0.0;
        let mut z = Ziggurat { inner: [0; 256], width: [0.0; 256], height: [0.0; 257] };
        for i in 0..256 {
            z.inner[i] = (x[i + 1] / x[i] * scale) as u64;
            z.width[i] = x[i] / scale;
        }
        for (h, xi) in z.height.iter_mut().zip(x) {
            *h = (-xi).exp();
        }
        z
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ziggurat's strips have equal area and end at the origin.
    #[test]
    fn ziggurat_tables_are_consistent() {
        let z = ziggurat();
        assert!(z.height[256] == 1.0 && z.height[1] == (-ZIGGURAT_R).exp());
        for i in 1..256 {
            let width = z.width[i] * (1u64 << 53) as f64;
            let area = width * (z.height[i + 1] - z.height[i]);
            assert!((area - ZIGGURAT_V).abs() < 1e-12, "strip {i}: {area}");
        }
        // Tail strip: rectangle to r plus the tail e^(−r).
        assert!((ZIGGURAT_R * z.height[1] + z.height[1] - ZIGGURAT_V).abs() < 1e-12);
    }

    /// Exponential moments: mean 1, variance 1, P(X > 8) = e^(−8) reaches the tail.
    #[test]
    fn standard_exponential_has_the_right_moments_and_tail() {
        let mut rng = stream(5, "ziggurat-test", 0);
        let n = 400_000;
        let (mut sum, mut sum2, mut tail) = (0.0, 0.0, 0u32);
        for _ in 0..n {
            let x = standard_exponential(&mut rng);
            sum += x;
            sum2 += x * x;
            tail += (x > 8.0) as u32;
        }
        let mean = sum / n as f64;
        let var = sum2 / n as f64 - mean * mean;
        // Standard errors: mean 1/√n = 0.0016, variance √(8/n) ≈ 0.0045, tail count √(134) ≈ 11.6.
        assert!((mean - 1.0).abs() < 0.0064, "{mean}");
        assert!((var - 1.0).abs() < 0.018, "{var}");
        let expected = n as f64 * (-8.0f64).exp();
        assert!((tail as f64 - expected).abs() < 4.0 * expected.sqrt(), "{tail} vs {expected}");
    }

    /// Acklam's quantile against Φ's tabulated values (Abramowitz and Stegun,
    /// Table 26.1, and Φ(−5) = 2.866515718791939e-7), within its 1.15e-9
    /// relative error, both tails and the centre.
    #[test]
    fn normal_quantile_matches_tabulated_values() {
        let cases = [
            (0.5, 0.0),
            (0.841_344_746_068_542_9, 1.0),
            (0.975, 1.959_963_984_540_054),
            (0.001_349_898_031_630_094_6, -3.0),
            (2.866_515_718_791_939e-7, -5.0),
            (0.02, -2.053_748_910_631_823),
            (0.99, 2.326_347_874_040_841),
        ];
        for (p, z) in cases {
            let got = normal_quantile(p);
            assert!((got - z).abs() <= 1.2e-9 * z.abs().max(1.0), "Φ⁻¹({p}) = {got}, expected {z}");
            assert!((normal_quantile(1.0 - p) + z).abs() <= 1e-8 * z.abs().max(1.0), "symmetry at {p}");
        }
    }

    /// Both normal samplers: mean 0 and variance 1 within 4 standard errors
    /// (mean 1/√n = 0.0022, variance √(2/n) ≈ 0.0032 for n = 200,000), and
    /// P(|Z| > 3) = 0.0027 within 4 standard errors of its count.
    #[test]
    fn normal_draws_have_the_right_moments_and_tails() {
        let samplers: [fn(&mut RngStream) -> f64; 3] =
            [standard_normal, standard_normal_midpoint, standard_normal_ziggurat];
        for (k, sample) in samplers.into_iter().enumerate() {
            let mut rng = stream(9, "normal-test", k as u64);
            let n = 200_000;
            let (mut sum, mut sum2, mut beyond3) = (0.0, 0.0, 0u32);
            for _ in 0..n {
                let z = sample(&mut rng);
                sum += z;
                sum2 += z * z;
                beyond3 += (z.abs() > 3.0) as u32;
            }
            let mean = sum / n as f64;
            let var = sum2 / n as f64 - mean * mean;
            assert!(mean.abs() < 0.009, "sampler {k}: mean {mean}");
            assert!((var - 1.0).abs() < 0.013, "sampler {k}: variance {var}");
            let expected = n as f64 * 0.002_699_796;
            assert!((beyond3 as f64 - expected).abs() < 4.0 * expected.sqrt(), "sampler {k}: {beyond3}");
        }
    }

    #[test]
    fn uniforms_stay_in_their_intervals() {
        let mut rng = stream(1, "uniform-test", 0);
        for _ in 0..10_000 {
            let (a, b) = (unit_f64(&mut rng), unit_open(&mut rng));
            assert!((0.0..1.0).contains(&a) && b > 0.0 && b < 1.0);
        }
        assert_eq!(box_muller(1.0, 0.0), 0.0);
        let mut seen = [[0u32; 5]; 2];
        for _ in 0..50_000 {
            seen[0][index_by_modulo(&mut rng, 5) as usize] += 1;
            seen[1][index_by_multiply(&mut rng, 5) as usize] += 1;
        }
        // 10,000 expected per index, standard deviation about 89.
        assert!(seen.iter().flatten().all(|c| (9_600..=10_400).contains(c)), "{seen:?}");
    }

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
