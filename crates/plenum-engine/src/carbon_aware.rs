//! `[carbon_aware]`: the jobs to shift (the workload trace's, made flexible by
//! `[workload.flexibility]`, or the periodic generator's), the two schedules
//! (at arrival and shifted, `plenum_models::carbon_aware`) and their summary
//! and per-slot table.
//!
//! A trace task becomes one job: it holds `ceil(cpu_count / cores)` whole
//! hosts of the fleet's largest host group (a simplification: the replay's
//! placement and overcommit are not used here), and draws the host power
//! model's power at each fragment's utilization, summed into one energy and
//! spread evenly over its run (a task without fragments runs at full load).
//! Capacity is the fleet's host count unless `capacity_hosts` says otherwise.

use plenum_kernel::rng::unit_f64;
use plenum_kernel::stream;
use plenum_models::carbon_aware::{
    Comparison, Flexibility, Forecast, IntensityGrid, Job, Mode, Schedule, Window, compare, schedule,
};
use plenum_models::workload::{HostGroup, Trace};
use plenum_scenario::carbon_aware::{FlexibilityRule, Periodic, RuleWindow};
use serde::Serialize;

use crate::{ColumnValues, DataTable};

/// `carbon_aware.*` in the summary.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CarbonAwareSummary {
    /// Jobs compared (placed in both schedules).
    pub jobs: usize,
    /// Jobs with a flexibility.
    pub flexible_jobs: usize,
    /// Jobs left out: outside the series, or still waiting for capacity when it ends.
    pub unplaced_jobs: usize,
    /// Emissions with every job at arrival, tCO2.
    pub baseline_t: f64,
    /// Emissions with flexible jobs shifted, tCO2.
    pub shifted_t: f64,
    /// 1 − shifted_t / baseline_t.
    pub saving_share: f64,
    /// Mean of each job's finish minus its finish at arrival, h (negative: earlier).
    pub mean_delay_h: f64,
    /// 95th percentile of the same, h.
    pub p95_delay_h: f64,
    /// Shifted energy − energy at arrival, MWh (zero: only timing changes).
    pub energy_mwh_change: f64,
    /// Energy of the jobs, MWh.
    pub energy_mwh: f64,
    /// Jobs that waited for capacity beyond their window, shifted.
    pub queued_jobs: usize,
    /// Jobs that waited for capacity, at arrival.
    pub baseline_queued_jobs: usize,
    /// Mean delay at arrival from waiting for capacity, h.
    pub baseline_mean_delay_h: f64,
    /// Shifted jobs that ran at a dirtier start in their window because the cleanest was full.
    pub displaced_jobs: usize,
    /// Mean wait of the jobs that waited (shifted), h.
    pub mean_queue_h: f64,
    /// Longest wait (shifted), h.
    pub max_queue_h: f64,
    /// Most hosts busy in one slot, at arrival.
    pub baseline_peak_hosts: u32,
    /// Most hosts busy in one slot, shifted.
    pub shifted_peak_hosts: u32,
    /// Host limit (`null`: unlimited).
    pub capacity_hosts: Option<u32>,
    /// Slot length of the series, min.
    pub step_min: f64,
    /// Mean intensity of the series over the slots jobs may use, gCO2/kWh.
    pub mean_intensity_g_per_kwh: f64,
    /// `perfect` or `noisy (σ = x)`.
    pub forecast: String,
}

/// The jobs of a periodic generator: one a day at the same time, ± window.
pub fn periodic_jobs(p: &Periodic) -> Vec<Job> {
    (0..p.days as i64)
        .map(|day| Job {
            arrival_ms: p.first_day_ms + day * 86_400_000 + p.start_of_day_ms,
            duration_ms: p.duration_ms,
            hosts: 1,
            power_kw: p.power_kw,
            flexibility: Some(Flexibility {
                window: Window::AroundStart { before_ms: p.window_ms, after_ms: p.window_ms },
                interruptible: p.interruptible,
            }),
        })
        .collect()
}

/// The jobs of a trace whose time 0 is `start_ms` on the series' clock, on
/// the largest of `groups`, flexible by `rule` (eligible jobs chosen with
/// the seeded stream `flexibility` when `rule.share < 1`).
pub fn trace_jobs(
    trace: &Trace,
    groups: &[HostGroup],
    rule: Option<&FlexibilityRule>,
    start_ms: i64,
    seed: u64,
) -> Vec<Job> {
    let Some(host) = groups.iter().max_by_key(|g| g.count) else { return Vec::new() };
    let host_mhz = f64::from(host.cores) * host.core_mhz;
    let mut rng = stream(seed, "flexibility", 0);
    let t = &trace.tasks;
    (0..t.len())
        .map(|i| {
            let hosts = t.cpu_count[i].div_ceil(host.cores.max(1)).max(1);
            let (a, b) = (t.fragment_start[i] as usize, t.fragment_start[i + 1] as usize);
            let capacity_mhz = host_mhz * f64::from(hosts);
            // Energy over the run, W·ms.
            let energy_wms: f64 = if b > a {
                (a..b)
                    .map(|f| {
                        let u = trace.fragments.cpu_usage_mhz[f] / capacity_mhz;
                        host.power.power_w(u) * f64::from(hosts) * trace.fragments.duration_ms[f] as f64
                    })
                    .sum()
            } else {
                let u = t.cpu_capacity_mhz[i] / capacity_mhz;
                host.power.power_w(u) * f64::from(hosts) * t.duration_ms[i] as f64
            };
            let duration_ms = (t.duration_ms[i] as i64).max(1);
            let flexibility = rule.and_then(|r| {
                let eligible = r.max_duration_ms.is_none_or(|m| duration_ms <= m);
                let chosen = r.share >= 1.0 || unit_f64(&mut rng) < r.share;
                (eligible && chosen).then_some(Flexibility {
                    window: match r.window {
                        RuleWindow::AroundStart { before_ms, after_ms } => {
                            Window::AroundStart { before_ms, after_ms }
                        }
                        RuleWindow::Deadline { after_arrival_ms } => Window::Deadline {
                            finish_by_ms: start_ms + t.submit_ms[i] as i64 + after_arrival_ms,
                        },
                    },
                    interruptible: r.interruptible,
                })
            });
            Job {
                arrival_ms: start_ms + t.submit_ms[i] as i64,
                duration_ms,
                hosts,
                power_kw: energy_wms / duration_ms as f64 / 1000.0,
                flexibility,
            }
        })
        .collect()
}

/// Both schedules, their comparison and the per-slot table.
pub fn evaluate(
    jobs: &[Job],
    grid: &IntensityGrid,
    forecast: Forecast,
    capacity_hosts: Option<u32>,
) -> (CarbonAwareSummary, DataTable) {
    // The two schedules are independent: one per core.
    let (baseline, shifted) = rayon::join(
        || schedule(jobs, grid, Mode::AtArrival, forecast, capacity_hosts),
        || schedule(jobs, grid, Mode::Shift, forecast, capacity_hosts),
    );
    let c: Comparison = compare(jobs, &baseline, &shifted);
    let unplaced = jobs.len() - c.jobs;
    // The slots from the earliest a job may run to the last a job ran.
    let (first, last) = used_slots(grid, jobs, &baseline, &shifted);
    let span = &grid.g_per_kwh[first..last];
    let summary = CarbonAwareSummary {
        jobs: c.jobs,
        flexible_jobs: jobs.iter().filter(|j| j.flexibility.is_some()).count(),
        unplaced_jobs: unplaced,
        baseline_t: c.baseline_t,
        shifted_t: c.shifted_t,
        saving_share: c.saving_share,
        mean_delay_h: c.mean_delay_h,
        p95_delay_h: c.p95_delay_h,
        energy_mwh_change: c.energy_mwh_change,
        energy_mwh: c.baseline_energy_mwh,
        queued_jobs: c.queued_jobs,
        baseline_queued_jobs: c.baseline_queued_jobs,
        baseline_mean_delay_h: c.baseline_mean_delay_h,
        displaced_jobs: c.displaced_jobs,
        mean_queue_h: c.mean_queue_h,
        max_queue_h: c.max_queue_h,
        baseline_peak_hosts: baseline.busy_hosts.iter().copied().max().unwrap_or(0),
        shifted_peak_hosts: shifted.busy_hosts.iter().copied().max().unwrap_or(0),
        capacity_hosts,
        step_min: grid.step_ms as f64 / 60_000.0,
        mean_intensity_g_per_kwh: if span.is_empty() {
            0.0
        } else {
            span.iter().sum::<f64>() / span.len() as f64
        },
        forecast: match forecast {
            Forecast::Perfect => "perfect".into(),
            Forecast::Noisy { error_share, .. } => format!("noisy (σ = {error_share})"),
        },
    };
    let times_s: Vec<f64> =
        (first..last).map(|k| (grid.start_ms + k as i64 * grid.step_ms) as f64 / 1000.0).collect();
    let hosts =
        |s: &Schedule| ColumnValues::F64(s.busy_hosts[first..last].iter().map(|&h| f64::from(h)).collect());
    let table = DataTable::new(
        "carbon_aware_slots",
        "Grid intensity and busy hosts per slot, with every job at arrival and with flexible jobs shifted",
    )
    .with("time_s", "Start of the slot, s since 1970-01-01 on the series' clock", ColumnValues::F64(times_s))
    .with("intensity_g_per_kwh", "Actual grid intensity, gCO2/kWh", ColumnValues::F64(span.to_vec()))
    .with("baseline_hosts", "Hosts busy in the slot with every job at arrival", hosts(&baseline))
    .with("shifted_hosts", "Hosts busy in the slot with flexible jobs shifted", hosts(&shifted));
    (summary, table)
}

fn used_slots(grid: &IntensityGrid, jobs: &[Job], a: &Schedule, b: &Schedule) -> (usize, usize) {
    let slot = |t: i64| {
        ((t - grid.start_ms).div_euclid(grid.step_ms)).clamp(0, grid.g_per_kwh.len() as i64) as usize
    };
    let mut first = usize::MAX;
    let mut last = 0;
    for (j, (pa, pb)) in jobs.iter().zip(a.placements.iter().zip(&b.placements)) {
        let earliest = match j.flexibility.map(|f| f.window) {
            Some(Window::AroundStart { before_ms, .. }) => j.arrival_ms - before_ms,
            _ => j.arrival_ms,
        };
        first = first.min(slot(earliest));
        for p in [pa, pb].into_iter().flatten() {
            first = first.min(slot(p.start_ms));
            last = last.max(slot(p.finish_ms - 1) + 1);
        }
    }
    if first >= last { (0, 0) } else { (first, last.min(grid.g_per_kwh.len())) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plenum_models::it_power::PowerCurve;
    use plenum_models::workload::{TaskSpec, TraceBuilder};

    #[test]
    fn trace_jobs_take_whole_hosts_and_fragment_energy() {
        let mut b = TraceBuilder::new("t");
        let spec = |id, cpu_count| TaskSpec {
            id,
            submit_ms: 1000,
            duration_ms: 3_600_000,
            cpu_count,
            cpu_capacity_mhz: 1000.0 * f64::from(cpu_count),
            memory_mib: 1,
        };
        b.task(spec(1, 4));
        b.fragment(1_800_000, 2000.0); // half of a 4 × 1,000 MHz host
        b.fragment(1_800_000, 4000.0);
        b.task(spec(2, 8)); // no fragments, two hosts at full load
        let trace = b.finish();
        let group = HostGroup {
            name: "h".into(),
            count: 10,
            cores: 4,
            core_mhz: 1000.0,
            memory_mib: 1,
            power: PowerCurve::Linear { idle_w: 100.0, peak_w: 300.0 },
        };
        let rule = FlexibilityRule {
            window: RuleWindow::Deadline { after_arrival_ms: 7_200_000 },
            interruptible: true,
            max_duration_ms: None,
            share: 1.0,
        };
        let jobs = trace_jobs(&trace, &[group], Some(&rule), 5_000, 0);
        assert_eq!((jobs[0].hosts, jobs[1].hosts), (1, 2));
        // (200 W + 300 W) / 2 = 250 W; two hosts at 300 W = 600 W.
        assert!((jobs[0].power_kw - 0.25).abs() < 1e-12 && (jobs[1].power_kw - 0.6).abs() < 1e-12);
        assert_eq!(jobs[0].arrival_ms, 6_000);
        assert_eq!(jobs[0].flexibility.unwrap().window, Window::Deadline { finish_by_ms: 6_000 + 7_200_000 });
    }

    #[test]
    fn periodic_jobs_are_daily() {
        let p = Periodic {
            first_day_ms: 0,
            days: 3,
            start_of_day_ms: 3_600_000,
            duration_ms: 1_800_000,
            window_ms: 7_200_000,
            interruptible: false,
            power_kw: 1.0,
        };
        let jobs = periodic_jobs(&p);
        assert_eq!(
            jobs.iter().map(|j| j.arrival_ms).collect::<Vec<_>>(),
            vec![3_600_000, 90_000_000, 176_400_000]
        );
    }
}
