//! Calibration against synthetic measurements: power generated from known
//! parameters plus independent noise is fitted back, and the parameters are
//! recovered within the uncertainty the fit states; the fit reads nothing
//! outside its window.

use plenum_engine::calibration::{GroupModel, HostUtilization, Measurements, fit_power, rolling};
use rand_distr::{Distribution, Normal, Uniform};

const HOSTS: usize = 40;
const INTERVALS: usize = 800;
const INTERVAL_MS: u64 = 30_000;

/// Random per-host utilizations (some hosts idle), one sample per interval.
fn utilization(seed: u64) -> (Vec<u64>, Vec<Vec<f64>>) {
    let mut rng = plenum_kernel::stream(seed, "calibration-test-utilization", 0);
    let u = Uniform::new(0.0, 1.0).unwrap();
    let ends: Vec<u64> = (1..=INTERVALS as u64).map(|k| k * INTERVAL_MS).collect();
    let rows = (0..INTERVALS)
        .map(|_| {
            (0..HOSTS).map(|_| if u.sample(&mut rng) < 0.3 { 0.0 } else { u.sample(&mut rng) }).collect()
        })
        .collect();
    (ends, rows)
}

/// The true model: idle 45 W, peak 210 W, exponent 0.6.
fn truth(rows: &[Vec<f64>]) -> Vec<f64> {
    rows.iter().map(|r| r.iter().map(|&u| 45.0 + 165.0 * u.powf(0.6)).sum::<f64>() / 1000.0).collect()
}

fn host_utilization(ends: &[u64], rows: &[Vec<f64>]) -> HostUtilization {
    HostUtilization::from_samples(
        ends.iter().copied().zip(rows.iter().map(Vec::as_slice)),
        INTERVAL_MS,
        &[0; HOSTS],
        1,
        ends,
        INTERVAL_MS,
    )
}

/// The scenario's (wrong) starting values: the fit must move away from them.
fn start() -> Vec<GroupModel> {
    vec![GroupModel { name: "node".into(), hosts: HOSTS as u64, idle_w: 30.0, peak_w: 180.0 }]
}

#[test]
fn known_parameters_are_recovered_within_their_stated_uncertainty() {
    // Over many noisy replications, the truth lies within one stated standard
    // deviation about 68% of the time and within three nearly always: the
    // uncertainty is neither too small nor too large.
    let noise = Normal::new(0.0, 0.05).unwrap(); // kW on about 4.5 kW
    let (mut within_1sd, mut within_3sd, mut total) = (0, 0, 0);
    for seed in 0..40 {
        let (ends, rows) = utilization(seed);
        let util = host_utilization(&ends, &rows);
        let mut rng = plenum_kernel::stream(seed, "calibration-test-noise", 0);
        let measured: Vec<f64> = truth(&rows).iter().map(|p| p + noise.sample(&mut rng)).collect();
        let fit = fit_power(&util, &start(), &measured).unwrap();
        let g = &fit.groups[0];
        for (value, sd, true_value) in
            [(g.idle_w, g.idle_w_sd, 45.0), (g.peak_w, g.peak_w_sd, 210.0), (g.exponent, g.exponent_sd, 0.6)]
        {
            assert!(sd > 0.0 && sd.is_finite(), "seed {seed}: sd {sd}");
            let z = (value - true_value).abs() / sd;
            within_1sd += u32::from(z <= 1.0);
            within_3sd += u32::from(z <= 3.0);
            total += 1;
        }
    }
    let share_1 = f64::from(within_1sd) / f64::from(total);
    let share_3 = f64::from(within_3sd) / f64::from(total);
    assert!((0.55..=0.82).contains(&share_1), "within 1 sd: {share_1}");
    assert!(share_3 >= 0.97, "within 3 sd: {share_3}");
}

#[test]
fn without_noise_the_fit_is_exact() {
    let (ends, rows) = utilization(7);
    let fit = fit_power(&host_utilization(&ends, &rows), &start(), &truth(&rows)).unwrap();
    let g = &fit.groups[0];
    assert!((g.idle_w - 45.0).abs() < 1e-3 && (g.peak_w - 210.0).abs() < 1e-3, "{g:?}");
    assert!((g.exponent - 0.6).abs() < 1e-5, "{g:?}");
    assert!(fit.sse_kw2 < 1e-9);
}

#[test]
fn the_fit_reads_only_its_window() {
    // Measurements outside the window are changed beyond recognition (and
    // made NaN): the fit on the window is the same to the bit.
    let (ends, rows) = utilization(3);
    let util = host_utilization(&ends, &rows);
    let power = truth(&rows);
    let all = Measurements {
        interval_ms: INTERVAL_MS,
        end_ms: ends.clone(),
        series: vec![("it_power".into(), power.clone())],
        notes: vec![],
    };
    let mut spoiled = all.clone();
    let (from, to) = (100 * INTERVAL_MS, 400 * INTERVAL_MS);
    for (t, v) in spoiled.end_ms.iter().zip(&mut spoiled.series[0].1) {
        if *t <= from || *t > to {
            *v = f64::NAN;
        }
    }
    let fit_on = |m: &Measurements| {
        let w = m.window(from, to);
        let keep: std::collections::HashSet<u64> = w.end_ms.iter().copied().collect();
        fit_power(&util.select(|t| keep.contains(&t)), &start(), w.values("it_power").unwrap()).unwrap()
    };
    let (a, b) = (fit_on(&all), fit_on(&spoiled));
    assert_eq!(a, b);
    assert_eq!(a.instants, 300);
}

#[test]
fn rolling_refits_predict_the_next_window() {
    let (ends, rows) = utilization(11);
    let util = host_utilization(&ends, &rows);
    let power = truth(&rows);
    // Windows of 100 intervals: 8 windows, 7 predicted from the one before.
    let r = rolling(&util, &start(), &power, 100 * INTERVAL_MS).unwrap();
    assert_eq!(r.fits.len(), 7);
    assert_eq!(r.end_ms.len(), 700);
    assert_eq!(r.end_ms[0], 101 * INTERVAL_MS);
    for (p, m) in r.predicted_kw.iter().zip(&r.measured_kw) {
        assert!((p - m).abs() < 1e-6, "{p} vs {m}");
    }
}
