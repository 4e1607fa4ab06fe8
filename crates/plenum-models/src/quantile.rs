//! Percentiles: the one convention every figure that states a percentile uses.
//!
//! The `q` quantile (`q` in 0..=1) of `n` sorted values sits at position
//! `h = q·(n − 1)`, counting from 0: Hyndman and Fan's type 7 ("Sample
//! quantiles in statistical packages", Am. Stat. 50(4), 1996), the default of
//! R and NumPy. A caller with a percentile `p` in 0..100 passes `p / 100`.
//! Two readings of that position:
//! - [`quantile`]: linear interpolation between the order statistics either
//!   side of `h` (type 7 itself): Monte Carlo percentiles, report statistics;
//! - [`nearest_rank`]: the order statistic at `round(h)` (half away from
//!   zero), a value that occurred: the figures that must be one real hour's
//!   reading (the year's oversubscription loading, capacity advice, the plan's
//!   sample percentiles).

/// The `q` quantile (0..=1, clamped) of sorted values, interpolating linearly
/// between order statistics; `None` for no values.
pub fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let h = (sorted.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// The index of the order statistic nearest position `q·(len − 1)`, within
/// `0..len` (`len` must be above 0).
pub fn nearest_rank_index(len: usize, q: f64) -> usize {
    let rank = (q * (len - 1) as f64).round() as usize;
    rank.min(len - 1)
}

/// The `q` quantile (0..=1) of sorted values as the order statistic nearest
/// its position; `None` for no values.
pub fn nearest_rank(sorted: &[f64], q: f64) -> Option<f64> {
    (!sorted.is_empty()).then(|| sorted[nearest_rank_index(sorted.len(), q)])
}

/// [`nearest_rank`] of values in any order, found by selection (the slice is
/// reordered); `None` for no values.
pub fn nearest_rank_unsorted(values: &mut [f64], q: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let rank = nearest_rank_index(values.len(), q);
    Some(*values.select_nth_unstable_by(rank, f64::total_cmp).1)
}

/// A sorted copy of `values`, ascending by IEEE total order (NaN last).
pub fn sorted(values: &[f64]) -> Vec<f64> {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolated_quantiles_match_numpy() {
        // numpy.percentile([1, 2, 3, 4], [0, 50, 95, 100]) = [1, 2.5, 3.85, 4]
        let s = [1.0, 2.0, 3.0, 4.0];
        let got: Vec<f64> = [0.0, 0.5, 0.95, 1.0].iter().map(|q| quantile(&s, *q).unwrap()).collect();
        assert_eq!(got[..2], [1.0, 2.5]);
        assert!((got[2] - 3.85).abs() < 1e-12);
        assert_eq!(got[3], 4.0);
        let s = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&s, 0.9), Some(4.6));
        assert_eq!(quantile(&[], 0.5), None);
        assert_eq!(quantile(&[7.0], 0.3), Some(7.0));
    }

    #[test]
    fn nearest_rank_picks_a_value_that_occurred() {
        let s: Vec<f64> = (0..=100).map(f64::from).collect();
        assert_eq!(nearest_rank(&s, 0.99), Some(99.0));
        assert_eq!(nearest_rank(&s, 1.0), Some(100.0));
        assert_eq!(nearest_rank(&s, 0.0), Some(0.0));
        // Position 0.5·3 = 1.5 rounds half away from zero, to index 2.
        assert_eq!(nearest_rank(&[1.0, 2.0, 3.0, 4.0], 0.5), Some(3.0));
        assert_eq!(nearest_rank(&[], 0.5), None);
        let mut shuffled = vec![5.0, 1.0, 4.0, 2.0, 3.0];
        assert_eq!(nearest_rank_unsorted(&mut shuffled, 0.75), Some(4.0));
        assert_eq!(nearest_rank_unsorted(&mut [], 0.75), None);
        assert_eq!(nearest_rank_index(5, 7.0), 4, "positions past the end clamp to the last value");
    }
}
