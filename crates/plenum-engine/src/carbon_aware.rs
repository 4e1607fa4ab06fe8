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
    Comparison, Fleet, Flexibility, Forecast, IntensityGrid, Job, Mode, Placement, Schedule, Window, compare,
    schedule_fleet,
};
use plenum_models::workload::{HostGroup, Trace};
use plenum_scenario::carbon_aware::{FlexibilityRule, Periodic, RuleWindow};
use serde::Serialize;

use crate::{ColumnValues, DataTable};

/// `carbon_aware.*` in the summary.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, schemars::JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CarbonAwareSummary {
    /// The policy compared with running at arrival: `temporal`, `spatial` or `both`.
    pub policy: String,
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
    /// Jobs run at a site other than their home (spatial policies).
    pub moved_jobs: usize,
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
    /// Per site by name, when the fleet has more than one (the home site's
    /// figures above are its own: capacity, peak hosts, intensity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sites: Option<std::collections::BTreeMap<String, SiteFigures>>,
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

/// One site of the comparison, by name.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, schemars::JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SiteFigures {
    /// Emissions of the jobs that ran here with every job at arrival at home, tCO2.
    pub baseline_t: f64,
    /// Emissions of the jobs that ran here, shifted, tCO2.
    pub shifted_t: f64,
    /// Energy of the jobs that ran here at arrival, MWh.
    pub baseline_mwh: f64,
    /// Energy of the jobs that ran here, shifted, MWh.
    pub shifted_mwh: f64,
    /// Most hosts busy in one slot, shifted.
    pub shifted_peak_hosts: u32,
    /// Host limit (`null`: unlimited).
    pub capacity_hosts: Option<u32>,
    /// Mean intensity of its series over the slots jobs may use, gCO2/kWh.
    pub mean_intensity_g_per_kwh: f64,
}

/// The name of each policy in the summary.
fn policy_name(mode: Mode) -> &'static str {
    match mode {
        Mode::AtArrival => "at_arrival",
        Mode::Shift => "temporal",
        Mode::Spatial => "spatial",
        Mode::ShiftAndSpatial => "both",
    }
}

/// Both schedules (every job at arrival at home, and `policy`), their
/// comparison and its tables, on one site.
pub fn evaluate(
    jobs: &[Job],
    grid: &IntensityGrid,
    forecast: Forecast,
    capacity_hosts: Option<u32>,
) -> (CarbonAwareSummary, Vec<DataTable>) {
    let homes = vec![0; jobs.len()];
    evaluate_fleet(
        jobs,
        &homes,
        &Fleet::single(grid, capacity_hosts),
        &["home".to_string()],
        Mode::Shift,
        forecast,
    )
}

/// Both schedules (every job at arrival at its home site, and `policy`),
/// their comparison, per-site figures, and the tables `carbon_aware_slots`
/// (per site and slot: intensity and busy hosts) and `carbon_aware_jobs`
/// (per job compared: where and when it ran in each schedule).
pub fn evaluate_fleet(
    jobs: &[Job],
    homes: &[usize],
    fleet: &Fleet<'_>,
    names: &[String],
    policy: Mode,
    forecast: Forecast,
) -> (CarbonAwareSummary, Vec<DataTable>) {
    // The two schedules are independent: one per core.
    let (baseline, shifted) = rayon::join(
        || schedule_fleet(jobs, homes, fleet, Mode::AtArrival, forecast),
        || schedule_fleet(jobs, homes, fleet, policy, forecast),
    );
    let c: Comparison = compare(jobs, &baseline, &shifted);
    let unplaced = jobs.len() - c.jobs;
    let home = &fleet.sites[0];
    // The slots of each site from the earliest a job may run to the last a job ran.
    let spans: Vec<(usize, usize)> = (0..fleet.sites.len())
        .map(|k| used_slots(fleet.sites[k].grid, k, jobs, homes, &baseline, &shifted))
        .collect();
    let mean_over = |k: usize| {
        let (first, last) = spans[k];
        let span = &fleet.sites[k].grid.g_per_kwh[first..last];
        if span.is_empty() { 0.0 } else { span.iter().sum::<f64>() / span.len() as f64 }
    };
    let mut sites: Vec<SiteFigures> = (0..fleet.sites.len())
        .map(|k| SiteFigures {
            baseline_t: 0.0,
            shifted_t: 0.0,
            baseline_mwh: 0.0,
            shifted_mwh: 0.0,
            shifted_peak_hosts: shifted.busy_hosts[k].iter().copied().max().unwrap_or(0),
            capacity_hosts: fleet.sites[k].capacity_hosts,
            mean_intensity_g_per_kwh: mean_over(k),
        })
        .collect();
    for (b, s) in baseline.placements.iter().zip(&shifted.placements) {
        let (Some(b), Some(s)) = (b, s) else { continue };
        sites[b.site].baseline_t += b.emissions_g / 1e6;
        sites[b.site].baseline_mwh += b.energy_kwh / 1000.0;
        sites[s.site].shifted_t += s.emissions_g / 1e6;
        sites[s.site].shifted_mwh += s.energy_kwh / 1000.0;
    }
    let summary = CarbonAwareSummary {
        policy: policy_name(policy).to_string(),
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
        moved_jobs: c.moved_jobs,
        mean_queue_h: c.mean_queue_h,
        max_queue_h: c.max_queue_h,
        baseline_peak_hosts: baseline.busy_hosts[0].iter().copied().max().unwrap_or(0),
        shifted_peak_hosts: shifted.busy_hosts[0].iter().copied().max().unwrap_or(0),
        capacity_hosts: home.capacity_hosts,
        step_min: home.grid.step_ms as f64 / 60_000.0,
        mean_intensity_g_per_kwh: mean_over(0),
        forecast: match forecast {
            Forecast::Perfect => "perfect".into(),
            Forecast::Noisy { error_share, .. } => format!("noisy (σ = {error_share})"),
        },
        sites: (fleet.sites.len() > 1).then(|| names.iter().cloned().zip(sites).collect()),
    };
    let mut site_names = Vec::new();
    let (mut times_s, mut intensity, mut baseline_hosts, mut shifted_hosts) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (k, site) in fleet.sites.iter().enumerate() {
        let (first, last) = spans[k];
        for slot in first..last {
            site_names.push(names[k].clone());
            times_s.push((site.grid.start_ms + slot as i64 * site.grid.step_ms) as f64 / 1000.0);
            intensity.push(site.grid.g_per_kwh[slot]);
            baseline_hosts.push(f64::from(baseline.busy_hosts[k][slot]));
            shifted_hosts.push(f64::from(shifted.busy_hosts[k][slot]));
        }
    }
    let slots = DataTable::new(
        "carbon_aware_slots",
        "Grid intensity and busy hosts per site and slot, with every job at arrival and with flexible jobs shifted",
    )
    .with("site", "Site name", ColumnValues::Text(site_names))
    .with("time_s", "Start of the slot, s since 1970-01-01 on the series' clock", ColumnValues::F64(times_s))
    .with("intensity_g_per_kwh", "Actual grid intensity, gCO2/kWh", ColumnValues::F64(intensity))
    .with("baseline_hosts", "Hosts busy in the slot with every job at arrival", ColumnValues::F64(baseline_hosts))
    .with("shifted_hosts", "Hosts busy in the slot with flexible jobs shifted", ColumnValues::F64(shifted_hosts));
    let compared: Vec<(usize, &Placement, &Placement)> = baseline
        .placements
        .iter()
        .zip(&shifted.placements)
        .enumerate()
        .filter_map(|(i, (b, s))| Some((i, b.as_ref()?, s.as_ref()?)))
        .collect();
    let f = |g: &dyn Fn(usize, &Placement, &Placement) -> f64| {
        ColumnValues::F64(compared.iter().map(|&(i, b, s)| g(i, b, s)).collect())
    };
    let name = |k: usize| names[k].clone();
    let job_table =
        DataTable::new("carbon_aware_jobs", "One row per job placed in both schedules, in input order")
            .with(
                "job",
                "Index of the job in the input",
                ColumnValues::U64(compared.iter().map(|c| c.0 as u64).collect()),
            )
            .with(
                "arrival_s",
                "Arrival, s since 1970-01-01 on the series' clock",
                f(&|i, _, _| jobs[i].arrival_ms as f64 / 1000.0),
            )
            .with(
                "home_site",
                "Site the job belongs to",
                ColumnValues::Text(compared.iter().map(|c| name(homes[c.0])).collect()),
            )
            .with(
                "site",
                "Site it ran at, shifted",
                ColumnValues::Text(compared.iter().map(|c| name(c.2.site)).collect()),
            )
            .with(
                "baseline_start_s",
                "Start at arrival (after any wait for capacity), s",
                f(&|_, b, _| b.start_ms as f64 / 1000.0),
            )
            .with(
                "shifted_start_s",
                "First moment it ran, shifted, s",
                f(&|_, _, s| s.start_ms as f64 / 1000.0),
            )
            .with(
                "delay_h",
                "Finish shifted minus finish had it run at arrival, h (negative: earlier)",
                f(&|i, _, s| (s.finish_ms - (jobs[i].arrival_ms + jobs[i].duration_ms)) as f64 / 3_600_000.0),
            )
            .with(
                "queued_h",
                "Wait for capacity beyond its window, shifted, h",
                f(&|_, _, s| s.queued_ms as f64 / 3_600_000.0),
            )
            .with("baseline_kg", "Emissions at arrival, kgCO2", f(&|_, b, _| b.emissions_g / 1000.0))
            .with("shifted_kg", "Emissions shifted, kgCO2", f(&|_, _, s| s.emissions_g / 1000.0))
            .with("energy_kwh", "Energy of the job, kWh", f(&|_, _, s| s.energy_kwh));
    (summary, vec![slots, job_table])
}

fn used_slots(
    grid: &IntensityGrid,
    site: usize,
    jobs: &[Job],
    homes: &[usize],
    a: &Schedule,
    b: &Schedule,
) -> (usize, usize) {
    let slot = |t: i64| {
        ((t - grid.start_ms).div_euclid(grid.step_ms)).clamp(0, grid.g_per_kwh.len() as i64) as usize
    };
    let mut first = usize::MAX;
    let mut last = 0;
    for ((j, &home), (pa, pb)) in jobs.iter().zip(homes).zip(a.placements.iter().zip(&b.placements)) {
        if home == site {
            let earliest = match j.flexibility.map(|f| f.window) {
                Some(Window::AroundStart { before_ms, .. }) => j.arrival_ms - before_ms,
                _ => j.arrival_ms,
            };
            first = first.min(slot(earliest));
        }
        for p in [pa, pb].into_iter().flatten().filter(|p| p.site == site) {
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
