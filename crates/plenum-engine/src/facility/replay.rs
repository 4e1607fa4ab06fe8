//! A workload replay's fleet series resampled into the hours of the year
//! ([`ReplayHourly`]), which then drive the servers' IT power in place of the
//! utilization profile.

use plenum_models::weather::HOURS_PER_YEAR;

/// A workload replay's fleet series, averaged into hours of the year.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplayHourly {
    /// Server IT power per hour (8,760 values).
    pub it_kw: Vec<f64>,
    /// Mean utilization per hour.
    pub utilization: Vec<f64>,
    /// Hours of replay before the series repeats.
    pub real_hours: usize,
}

impl ReplayHourly {
    /// Average a replay's samples (interval ends `time_s`, interval means)
    /// into hours, then repeat the replayed hours to fill a year. Samples are
    /// weighted by the part of each hour they cover.
    pub fn from_samples(time_s: &[f64], it_kw: &[f64], utilization: &[f64]) -> Option<ReplayHourly> {
        let end_s = *time_s.last()?;
        let hours = (end_s / 3_600.0).ceil().max(1.0) as usize;
        let mut energy = vec![0.0; hours];
        let mut busy = vec![0.0; hours];
        let mut covered = vec![0.0; hours];
        let mut start = 0.0;
        for ((&end, &kw), &u) in time_s.iter().zip(it_kw).zip(utilization) {
            let mut t = start;
            while t < end {
                let h = ((t / 3_600.0) as usize).min(hours - 1);
                let next = end.min((h as f64 + 1.0) * 3_600.0);
                let span = next - t;
                energy[h] += kw * span;
                busy[h] += u * span;
                covered[h] += span;
                if next <= t {
                    break;
                }
                t = next;
            }
            start = end;
        }
        let it: Vec<f64> =
            (0..hours).map(|h| if covered[h] > 0.0 { energy[h] / covered[h] } else { 0.0 }).collect();
        let ut: Vec<f64> =
            (0..hours).map(|h| if covered[h] > 0.0 { busy[h] / covered[h] } else { 0.0 }).collect();
        Some(ReplayHourly {
            it_kw: (0..HOURS_PER_YEAR).map(|h| it[h % hours]).collect(),
            utilization: (0..HOURS_PER_YEAR).map(|h| ut[h % hours]).collect(),
            real_hours: hours.min(HOURS_PER_YEAR),
        })
    }
}
