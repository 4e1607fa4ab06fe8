//! What the grid sees of a power signal sampled at a fixed step, and the
//! storage that smooths it.
//!
//! The figures are those a grid operator limits for large AI training loads
//! (E. Choukse et al. (Microsoft, OpenAI, NVIDIA), "Power stabilization for
//! AI training datacenters", arXiv:2508.14318, 2025): the swing (largest less
//! smallest power), the ramp (first difference over the step; its largest and
//! its 99th percentile, type 7 as in [`crate::quantile`]), and the share of the
//! signal's variance in a frequency band (0.1-20 Hz by default, where grid
//! oscillations and turbine shafts respond). The band share is read off a
//! discrete Fourier transform (rustfft) of the signal less its mean: by
//! Parseval's theorem the variance is the sum of the squared magnitudes of the
//! bins over `n²`, and each bin `k` carries frequency `min(k, n − k) / (n·Δt)`;
//! frequencies above Nyquist (`1 / 2Δt`) are not seen at a step of `Δt`.
//!
//! Storage that smooths to a ramp limit ([`smooth_to_ramp`]): each step the
//! grid moves toward the load (plus a term that steers the store's charge
//! back to its start, [`RESTORE_S`]), never faster than the limit; storage
//! supplies (or absorbs) the difference within its power and its stored energy. When
//! storage runs out of either, the grid follows the load and the ramp limit
//! is broken. [`size_storage`] finds the smallest power and energy with which
//! nothing runs out over the signal: the site battery (BESS) Plenum sizes.
//! Simplification: storage is lossless (no round-trip loss, full depth of
//! discharge), and rack-level storage of identical racks in lockstep acts as
//! one store of their summed power and energy.

use crate::quantile::quantile;
use rustfft::FftPlanner;
use rustfft::num_complex::Complex;

/// Swing, ramps and band share of one signal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dynamics {
    /// Mean power, MW.
    pub mean_mw: f64,
    /// Largest less smallest sample, MW.
    pub swing_mw: f64,
    /// Largest absolute ramp between consecutive samples, MW/s.
    pub max_ramp_mw_per_s: f64,
    /// 99th percentile of the absolute ramp, MW/s.
    pub p99_ramp_mw_per_s: f64,
    /// Share of the variance in the band (0..1; 0 for a constant signal).
    pub band_energy_share: f64,
}

/// The dynamics of `power_kw` sampled every `step_s`, with the band
/// `[band_low_hz, band_high_hz]`.
pub fn dynamics(power_kw: &[f64], step_s: f64, band_low_hz: f64, band_high_hz: f64) -> Dynamics {
    let n = power_kw.len();
    let mean_kw = power_kw.iter().sum::<f64>() / n.max(1) as f64;
    let (lo, hi) =
        power_kw.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| (a.min(*x), b.max(*x)));
    let mut ramps: Vec<f64> = power_kw.windows(2).map(|w| (w[1] - w[0]).abs() / step_s / 1_000.0).collect();
    ramps.sort_by(f64::total_cmp);
    Dynamics {
        mean_mw: mean_kw / 1_000.0,
        swing_mw: if n == 0 { 0.0 } else { (hi - lo) / 1_000.0 },
        max_ramp_mw_per_s: ramps.last().copied().unwrap_or(0.0),
        p99_ramp_mw_per_s: quantile(&ramps, 0.99).unwrap_or(0.0),
        band_energy_share: band_energy_share(power_kw, step_s, band_low_hz, band_high_hz),
    }
}

/// Share of the variance of `signal` (sampled every `step_s`) at frequencies
/// in `[low_hz, high_hz]`; 0 when the signal is constant.
pub fn band_energy_share(signal: &[f64], step_s: f64, low_hz: f64, high_hz: f64) -> f64 {
    let n = signal.len();
    if n < 2 {
        return 0.0;
    }
    let mean = signal.iter().sum::<f64>() / n as f64;
    let mut buffer: Vec<Complex<f64>> = signal.iter().map(|x| Complex::new(x - mean, 0.0)).collect();
    FftPlanner::new().plan_fft_forward(n).process(&mut buffer);
    let (mut total, mut band) = (0.0, 0.0);
    for (k, bin) in buffer.iter().enumerate().skip(1) {
        let power = bin.norm_sqr();
        let hz = k.min(n - k) as f64 / (n as f64 * step_s);
        total += power;
        if hz >= low_hz && hz <= high_hz {
            band += power;
        }
    }
    if total <= 0.0 { 0.0 } else { band / total }
}

/// A store of energy: its power and energy limits and where it starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Storage {
    /// Most power it charges or discharges at, kW.
    pub power_kw: f64,
    /// Energy it holds when full, kWh.
    pub energy_kwh: f64,
    /// Energy at the start, kWh.
    pub initial_kwh: f64,
}

/// Time over which storage steers its charge back to where it started:
/// the grid is asked for `load + (start − charge) / RESTORE_S` before the ramp
/// limit applies, so that an asymmetric load (long compute, short
/// communication) does not drain or fill the store step after step. 60 s is
/// an assumption of this model, long against an iteration and short against
/// the window.
pub const RESTORE_S: f64 = 60.0;

/// The grid power `storage` asks for at a step: the load plus the charge
/// restoring term, within the ramp limit of the previous step's grid power.
#[inline]
fn wanted_kw(load_kw: f64, previous_kw: f64, max_move_kw: f64, charge_kwh: f64, start_kwh: f64) -> f64 {
    let target = load_kw + (start_kwh - charge_kwh) * 3_600.0 / RESTORE_S;
    target.clamp(previous_kw - max_move_kw, previous_kw + max_move_kw)
}

/// The grid's power when `storage` smooths `load_kw` to `ramp_limit_kw_per_s`
/// (module doc); the grid starts at the first sample's load. Returns the
/// grid's power and the number of steps at which storage ran out (the grid
/// then follows the load faster than the limit).
pub fn smooth_to_ramp(
    load_kw: &[f64],
    step_s: f64,
    ramp_limit_kw_per_s: f64,
    storage: Storage,
) -> (Vec<f64>, usize) {
    let mut grid = Vec::with_capacity(load_kw.len());
    let Some(&first) = load_kw.first() else { return (grid, 0) };
    let max_move_kw = ramp_limit_kw_per_s * step_s;
    let hours = step_s / 3_600.0;
    let mut charge_kwh = storage.initial_kwh;
    let mut previous = first;
    let mut ran_out = 0;
    grid.push(first);
    for &load in &load_kw[1..] {
        let wanted = wanted_kw(load, previous, max_move_kw, charge_kwh, storage.initial_kwh);
        // Storage supplies what the grid does not (negative: it absorbs).
        let asked_kw = load - wanted;
        let supply_kw = asked_kw
            .clamp(-storage.power_kw, storage.power_kw)
            .clamp(-(storage.energy_kwh - charge_kwh) / hours, charge_kwh / hours);
        charge_kwh = (charge_kwh - supply_kw * hours).clamp(0.0, storage.energy_kwh);
        let g = if supply_kw == asked_kw {
            wanted
        } else {
            ran_out += 1;
            load - supply_kw
        };
        grid.push(g);
        previous = g;
    }
    (grid, ran_out)
}

/// The smallest storage with which [`smooth_to_ramp`] never runs out over
/// `load_kw`: the largest power the grid's shortfall asks for, the range of
/// the charge it moves, and the start that keeps that range inside it.
pub fn size_storage(load_kw: &[f64], step_s: f64, ramp_limit_kw_per_s: f64) -> Storage {
    let Some(&first) = load_kw.first() else {
        return Storage { power_kw: 0.0, energy_kwh: 0.0, initial_kwh: 0.0 };
    };
    let max_move_kw = ramp_limit_kw_per_s * step_s;
    let hours = step_s / 3_600.0;
    let (mut previous, mut charge_kwh) = (first, 0.0f64);
    let (mut power_kw, mut low_kwh, mut high_kwh) = (0.0f64, 0.0f64, 0.0f64);
    for &load in &load_kw[1..] {
        let g = wanted_kw(load, previous, max_move_kw, charge_kwh, 0.0);
        let supply_kw = load - g;
        power_kw = power_kw.max(supply_kw.abs());
        charge_kwh -= supply_kw * hours;
        low_kwh = low_kwh.min(charge_kwh);
        high_kwh = high_kwh.max(charge_kwh);
        previous = g;
    }
    // Relative to the start, the charge ranged over [low, high]: a store of
    // that range starting at −low. A margin of a millionth keeps rounding in
    // the replay (charges offset by −low) from running it out.
    let margin = 1e-6 * (high_kwh - low_kwh) + 1e-9;
    Storage {
        power_kw: power_kw * (1.0 + 1e-6) + 1e-9,
        energy_kwh: high_kwh - low_kwh + 2.0 * margin,
        initial_kwh: -low_kwh + margin,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(n: usize, period: usize, low: f64, high: f64) -> Vec<f64> {
        (0..n).map(|i| if (i / (period / 2)).is_multiple_of(2) { high } else { low }).collect()
    }

    #[test]
    fn a_square_wave_swings_and_ramps() {
        let w = square(1_000, 20, 10_000.0, 30_000.0);
        let d = dynamics(&w, 0.1, 0.1, 20.0);
        assert!((d.swing_mw - 20.0).abs() < 1e-12);
        assert!((d.max_ramp_mw_per_s - 200.0).abs() < 1e-9);
        assert!((d.mean_mw - 20.0).abs() < 1e-9);
        // A 0.5 Hz square wave: all its variance is at 0.5 Hz and odd harmonics.
        assert!(d.band_energy_share > 0.999, "{}", d.band_energy_share);
        let slow = dynamics(&w, 0.1, 1.0, 20.0);
        // The fundamental holds 8/π² of a square wave's variance.
        assert!((slow.band_energy_share - (1.0 - 8.0 / std::f64::consts::PI.powi(2))).abs() < 0.01);
        assert_eq!(dynamics(&[5.0; 64], 0.1, 0.1, 20.0).band_energy_share, 0.0);
    }

    #[test]
    fn a_sized_store_keeps_the_ramp_under_the_limit() {
        let w = square(3_000, 200, 8_000.0, 20_000.0);
        let limit = 2_000.0; // kW/s
        let store = size_storage(&w, 0.1, limit);
        let (grid, ran_out) = smooth_to_ramp(&w, 0.1, limit, store);
        assert_eq!(ran_out, 0);
        for pair in grid.windows(2) {
            assert!((pair[1] - pair[0]).abs() / 0.1 <= limit * (1.0 + 1e-9));
        }
        // Each 12 MW step takes 6 s at 2 MW/s: about 36 MJ = 10 kWh moved
        // (the restoring term adds to it), 11.8 MW after the first step
        // and somewhat more as the restoring term adds to it.
        assert!(store.power_kw > 11_700.0 && store.power_kw < 13_000.0, "{}", store.power_kw);
        assert!(store.energy_kwh > 8.0 && store.energy_kwh < 20.0, "{}", store.energy_kwh);
        // A smaller store runs out.
        let half =
            Storage { energy_kwh: store.energy_kwh / 2.0, initial_kwh: store.initial_kwh / 2.0, ..store };
        assert!(smooth_to_ramp(&w, 0.1, limit, half).1 > 0);
    }

    #[test]
    fn an_asymmetric_load_does_not_drain_the_store() {
        // 5 s at 20 MW, 1 s at 14 MW: the grid cannot follow the 1 s dip at
        // 2 MW/s, and without the restoring term the store would fill by
        // about 1 kWh an iteration. With it, the size does not grow with the window.
        let wave = |seconds: usize| -> Vec<f64> {
            (0..seconds * 10).map(|i| if i % 60 < 50 { 20_000.0 } else { 14_000.0 }).collect()
        };
        let short = size_storage(&wave(600), 0.1, 2_000.0);
        let long = size_storage(&wave(2_400), 0.1, 2_000.0);
        assert!(long.energy_kwh < 1.05 * short.energy_kwh, "{} {}", short.energy_kwh, long.energy_kwh);
        let (grid, ran_out) = smooth_to_ramp(&wave(2_400), 0.1, 2_000.0, long);
        assert_eq!(ran_out, 0);
        let mean = grid.iter().sum::<f64>() / grid.len() as f64;
        assert!((mean - 19_000.0).abs() < 50.0, "{mean}");
    }
}
