//! How big a run is before it starts, and the caps it must stay under.
//!
//! [`estimate`] counts the steps each part of a scenario will take (servers
//! × hours of the facility year, replay events, reliability events, plan
//! sample-months) and the memory of what it keeps, and turns steps into CPU
//! seconds with rates measured on the project's benchmark machine (2 cores,
//! see `bench/RESULTS.md`). [`RunSize::check`] refuses a run above
//! [`Limits`] with a [`LimitError`] naming the part and the scenario field
//! that drive it, so a front end can point at the line and say how to raise
//! the cap.
//!
//! The estimates are deliberately simple: within a factor of about 3 for the
//! shipped scenarios, and meant to catch the orders of magnitude that make a
//! run impossible (a trillion servers, a billion simulated years), not to
//! predict run time.

use plenum_models::weather::HOURS_PER_YEAR;
use plenum_models::workload::Trace;
use plenum_scenario::Scenario;
use plenum_scenario::workload::WorkloadSource;
use std::fmt;

// Measured costs per step (single core, release build; bench/RESULTS.md).
/// A server-hour of the facility year with per-server spread: 5-7 ns
/// (`facility/year_100k_servers_hourly`, 100,000 servers in 4.4-6.5 s CPU).
const FACILITY_SERVER_HOUR_S: f64 = 7e-9;
/// A rack-hour without spread, of a replay-driven year, or with the
/// `normal` spread method (0.47 s CPU for 100,000 servers in 2,500 racks of
/// 40 without spread: about 20 ns a rack-hour; doubled for the power chain
/// above the racks and the normal draw: the default year, 1,150 racks, takes
/// 0.4 s of CPU with it).
const FACILITY_RACK_HOUR_S: f64 = 40e-9;
/// A replay event: 36.7 M fragments/s on the SURF week (about 27 ns), up to
/// about 100 ns with placement searches in the fleet-scale bench.
const REPLAY_EVENT_S: f64 = 100e-9;
/// A host's part of one sample or one step of the fleet-wide demand scale:
/// the fleet-scale bench (100,000 hosts, 720 hourly samples and demand
/// steps) spends about 3 s of its 3.4 s on these 1.44e8 host updates.
const HOST_UPDATE_S: f64 = 20e-9;
/// A reliability event: 16.5 to 19.2 M events per CPU-second (Tier IV bench).
const RELIABILITY_EVENT_S: f64 = 60e-9;
/// One site-month of one plan sample: 1.52 s on 2 cores for 10 sites × 180
/// months × 1,000 samples (`plan/15y_10_sites_1000_samples`).
const PLAN_SAMPLE_MONTH_S: f64 = 2e-6;

/// Bytes kept per server by the facility year (its SKU index), per rack
/// (loads, peaks, shares), per replay task (trace record and replay state),
/// fragment, host, and row of a series.
const SERVER_BYTES: f64 = 2.0;
const RACK_BYTES: f64 = 64.0;
const TASK_BYTES: f64 = 160.0;
const FRAGMENT_BYTES: f64 = 16.0;
const HOST_BYTES: f64 = 256.0;
const CLUSTER_ROW_BYTES: f64 = 48.0;
const HOST_ROW_BYTES: f64 = 32.0;
/// The hourly table of a year (about 40 columns of 8 bytes).
const YEAR_TABLE_BYTES: f64 = HOURS_PER_YEAR as f64 * 40.0 * 8.0;

/// What sizes a workload replay: counts as `f64` (they only scale costs).
#[derive(Debug, Clone, PartialEq)]
pub struct WorkloadShape {
    /// Tasks in the trace.
    pub tasks: f64,
    /// Fragments in the trace.
    pub fragments: f64,
    /// Hosts in the fleet.
    pub hosts: f64,
    /// From the first submission to the last task's end, ms.
    pub span_ms: u64,
    /// Steps of the fleet-wide demand scale (each re-powers every host).
    pub demand_steps: f64,
    /// The scenario field to point at when the replay is too large.
    pub field: String,
    /// The per-host series goes to disk as it is produced (not kept).
    pub host_series_streamed: bool,
}

/// Caps on a run's estimated CPU time and memory.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Estimated CPU seconds (all threads together).
    pub max_cpu_s: f64,
    /// Estimated peak memory, GiB.
    pub max_memory_gib: f64,
}

impl Default for Limits {
    /// 10 minutes of CPU (5 of wall time on the 2-core benchmark machine;
    /// every shipped scenario needs under 10 s) and 8 GiB (half of a 16 GiB
    /// machine; the largest shipped run, the SURF week, keeps under 1 GiB).
    fn default() -> Self {
        Limits { max_cpu_s: 600.0, max_memory_gib: 8.0 }
    }
}

/// What a part of a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    /// The facility year, hour by hour.
    FacilityYear,
    /// The Monte Carlo reliability study.
    Reliability,
    /// The capacity plan.
    Plan,
    /// The workload replay.
    Replay,
}

/// One part of a run's size.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// Which part.
    pub kind: PartKind,
    /// What is counted, with its numbers (`facility year: 200 servers x 8,760 h`).
    pub what: String,
    /// The scenario field that drives it (`servers[0].count`).
    pub field: String,
    /// Estimated CPU seconds.
    pub cpu_s: f64,
    /// Estimated memory kept, bytes.
    pub memory_bytes: f64,
}

/// A run's estimated size, part by part.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunSize {
    /// The parts, in the order the run does them.
    pub parts: Vec<Part>,
}

/// Which cap a run is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    /// `Limits::max_cpu_s`.
    CpuTime,
    /// `Limits::max_memory_gib`.
    Memory,
}

/// A run refused because its estimate is above a cap.
#[derive(Debug, Clone, PartialEq)]
pub struct LimitError {
    /// The cap exceeded.
    pub resource: Resource,
    /// The estimate (CPU seconds or GiB).
    pub estimate: f64,
    /// The cap (same unit).
    pub cap: f64,
    /// The part contributing most to it.
    pub part: Part,
}

impl fmt::Display for LimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (name, unit) = match self.resource {
            Resource::CpuTime => ("CPU time", "s"),
            Resource::Memory => ("memory", "GiB"),
        };
        write!(
            f,
            "this run needs about {} {unit} of {name} (estimate; mostly {}), above the cap of {} {unit}",
            significant(self.estimate),
            self.part.what,
            significant(self.cap)
        )
    }
}

impl std::error::Error for LimitError {}

/// Three significant digits, without exponent below 1e15.
fn significant(x: f64) -> String {
    if x >= 1e15 {
        format!("{x:.2e}")
    } else if x >= 100.0 {
        format!("{}", x.round())
    } else {
        format!("{}", (x * 1000.0).round() / 1000.0)
    }
}

const GIB: f64 = 1024.0 * 1024.0 * 1024.0;

impl RunSize {
    /// Estimated CPU seconds of the whole run.
    pub fn cpu_s(&self) -> f64 {
        self.parts.iter().map(|p| p.cpu_s).sum()
    }

    /// Estimated peak memory, GiB (the parts' memory is all kept to the end).
    pub fn memory_gib(&self) -> f64 {
        self.parts.iter().map(|p| p.memory_bytes).sum::<f64>() / GIB
    }

    /// The same run `n` times over (sensitivity variants, sweep rows): CPU
    /// time multiplies, memory does not (one run's results are kept at a time
    /// per thread; the summaries kept are small).
    pub fn times(mut self, n: f64, what: &str) -> RunSize {
        for p in &mut self.parts {
            p.cpu_s *= n;
            p.what = format!("{what}: {}", p.what);
        }
        self
    }

    /// Only the parts of these kinds.
    pub fn only(mut self, kinds: &[PartKind]) -> RunSize {
        self.parts.retain(|p| kinds.contains(&p.kind));
        self
    }

    /// Both runs' parts, one after the other.
    pub fn and(mut self, other: RunSize) -> RunSize {
        self.parts.extend(other.parts);
        self
    }

    /// `Err` when the estimate is above a cap (memory first: running out of
    /// memory aborts, running long only waits).
    pub fn check(&self, limits: &Limits) -> Result<(), LimitError> {
        type Check = (Resource, f64, f64, fn(&Part) -> f64);
        let checks: [Check; 2] = [
            (Resource::Memory, self.memory_gib(), limits.max_memory_gib, |p| p.memory_bytes),
            (Resource::CpuTime, self.cpu_s(), limits.max_cpu_s, |p| p.cpu_s),
        ];
        for (resource, estimate, cap, key) in checks {
            if estimate.is_nan() || estimate > cap {
                let part = self.parts.iter().max_by(|a, b| key(a).total_cmp(&key(b))).cloned();
                // Parts exist: an empty run estimates zero, never above a cap.
                let part = part.expect("a run above a cap has parts");
                return Err(LimitError { resource, estimate, cap, part });
            }
        }
        Ok(())
    }
}

/// The field of `[[servers]]` with the most servers, for pointing at.
fn largest_sku(scenario: &Scenario) -> String {
    let i = (0..scenario.servers.len()).max_by_key(|&i| scenario.servers[i].count).unwrap_or(0);
    format!("servers[{i}].count")
}

/// Estimate the size of everything `scenario` asks for. `workload` is the
/// replay's shape once its trace and hosts are known
/// ([`WorkloadShape::of_trace`]); without it, generated workloads are sized
/// from their parameters and traces are not counted.
pub fn estimate(scenario: &Scenario, workload: Option<&WorkloadShape>) -> RunSize {
    let mut parts = Vec::new();
    let servers = scenario.server_count() as f64;
    if let Some(physics) = &scenario.physics {
        let racks = (servers / physics.power_chain.servers_per_rack.max(1) as f64).ceil();
        // The `normal` spread method draws one total per rack (and SKU), so it
        // costs what the rack loop costs, not a server-hour each; racks too
        // small for it are simulated server by server.
        let by_server = scenario.utilization.server_spread_method
            == plenum_scenario::raw::SpreadMethod::Exact
            || (physics.power_chain.servers_per_rack as usize) < crate::facility::NORMAL_MIN_RUN_SERVERS;
        let per_server = scenario.workload.is_none()
            && by_server
            && (scenario.utilization.server_spread > 0.0 || scenario.utilization.rack_spread > 0.0);
        let hours = HOURS_PER_YEAR as f64;
        parts.push(Part {
            kind: PartKind::FacilityYear,
            what: format!("facility year: {servers} servers in {racks} racks x {hours} h"),
            field: largest_sku(scenario),
            cpu_s: if per_server { servers * hours * FACILITY_SERVER_HOUR_S } else { 0.0 }
                + racks * hours * FACILITY_RACK_HOUR_S,
            memory_bytes: servers * SERVER_BYTES + racks * RACK_BYTES + YEAR_TABLE_BYTES,
        });
    }
    if let Some(r) = &scenario.reliability {
        let s = &r.settings;
        let per_year = reliability_events_per_year(&r.site);
        let years = s.replications as f64 * s.years_per_replication;
        let logged = s.logged_replications.min(s.replications) as f64 * s.years_per_replication;
        // A fail-in-place study runs the site twice (with and without repairs)
        // and keeps a capacity curve by month.
        let runs = if r.fail_in_place.is_some() { 2.0 } else { 1.0 };
        let field = if s.replications as f64 >= s.years_per_replication {
            "reliability.replications"
        } else {
            "reliability.years_per_replication"
        };
        parts.push(Part {
            kind: PartKind::Reliability,
            what: format!(
                "reliability: {} replications x {} years x {} events a year",
                s.replications,
                s.years_per_replication,
                significant(per_year)
            ),
            field: field.into(),
            cpu_s: runs * years * per_year * RELIABILITY_EVENT_S,
            memory_bytes: logged * per_year * 48.0
                + if r.fail_in_place.is_some() { s.years_per_replication * 12.0 * 16.0 } else { 0.0 },
        });
    }
    if let Some(plan) = &scenario.plan {
        let sample_months =
            f64::from(plan.samples) * f64::from(plan.horizon_months) * plan.sites.len() as f64;
        parts.push(Part {
            kind: PartKind::Plan,
            what: format!(
                "capacity plan: {} samples x {} months x {} sites",
                plan.samples,
                plan.horizon_months,
                plan.sites.len()
            ),
            field: "plan.samples".into(),
            cpu_s: sample_months * PLAN_SAMPLE_MONTH_S,
            // The timeline of every sample is reduced as it goes; one month
            // of every site is kept per sample.
            memory_bytes: f64::from(plan.horizon_months) * plan.sites.len() as f64 * 256.0,
        });
    }
    let generated = scenario.workload.as_ref().and_then(|w| WorkloadShape::of_generator(scenario, w));
    if let Some(shape) = workload.or(generated.as_ref()) {
        parts.push(replay_part(scenario, shape));
    }
    RunSize { parts }
}

fn replay_part(scenario: &Scenario, shape: &WorkloadShape) -> Part {
    let w = scenario.workload.as_ref().expect("a shape comes from a [workload]");
    let span_ms = w.until_ms.map_or(shape.span_ms, |u| u.min(shape.span_ms)) as f64;
    let samples = span_ms / w.sample_interval_ms.max(1) as f64;
    let events = shape.fragments + 3.0 * shape.tasks + samples;
    let host_updates = (samples + shape.demand_steps) * shape.hosts;
    let host_rows = if w.host_series { samples * shape.hosts } else { 0.0 };
    Part {
        kind: PartKind::Replay,
        what: format!(
            "workload replay: {} tasks, {} fragments on {} hosts, {} samples",
            shape.tasks,
            shape.fragments,
            shape.hosts,
            significant(samples)
        ),
        field: shape.field.clone(),
        cpu_s: events * REPLAY_EVENT_S + host_updates * HOST_UPDATE_S,
        memory_bytes: shape.tasks * TASK_BYTES
            + shape.fragments * FRAGMENT_BYTES
            + shape.hosts * HOST_BYTES
            + samples * CLUSTER_ROW_BYTES
            + host_rows * HOST_ROW_BYTES * f64::from(!shape.host_series_streamed),
    }
}

/// Expected events (failures, repairs, maintenance starts and ends) a
/// simulated year: every unit's failure rate from its modes' mean times.
fn reliability_events_per_year(site: &plenum_models::reliability::SiteSpec) -> f64 {
    let t = &site.topology;
    let c = &site.components;
    let racks = f64::from(t.racks());
    let classes = [
        (f64::from(t.utility_feeds), &c.utility),
        (f64::from(t.generators()), &c.generator),
        (f64::from(t.ups_systems) * f64::from(t.ups_modules_per_system()), &c.ups),
        (f64::from(t.distribution_paths) * f64::from(t.pdus_per_path), &c.pdu),
        (f64::from(t.cooling_units()), &c.cooling),
        (f64::from(t.routers()), &c.router),
        (racks, &c.rack),
        (racks * f64::from(t.tors_per_rack), &c.tor),
        (f64::from(t.servers), &c.server),
    ];
    let hours = HOURS_PER_YEAR as f64;
    classes
        .iter()
        .filter_map(|(count, data)| data.as_ref().map(|d| (count, d)))
        .map(|(count, d)| {
            let failures: f64 = d.modes.iter().map(|m| hours / m.time_to_failure.mean_h().max(1e-9)).sum();
            let maintenance = d.maintenance.map_or(0.0, |m| hours / m.interval_h.max(1e-9));
            // A failure and its repair, a maintenance start and end.
            count * 2.0 * (failures + maintenance)
        })
        .sum::<f64>()
        // The generator start attempts and the yearly bookkeeping events.
        + 10.0
}

impl WorkloadShape {
    /// The shape of a loaded trace on `hosts` hosts; `field` is the scenario
    /// field to point at when it is too large.
    pub fn of_trace(trace: &Trace, hosts: u64, field: &str) -> WorkloadShape {
        let t = &trace.tasks;
        let span_ms =
            (0..t.len()).map(|i| t.submit_ms[i].saturating_add(t.duration_ms[i])).max().unwrap_or(0);
        WorkloadShape {
            tasks: t.len() as f64,
            fragments: trace.fragments.len() as f64,
            hosts: hosts as f64,
            span_ms,
            demand_steps: trace.demand_scale.as_ref().map_or(0.0, |d| d.permille.len() as f64),
            field: field.to_string(),
            host_series_streamed: false,
        }
    }

    /// The shape of a generated workload from its parameters, before
    /// generating it (so a trillion VMs are refused, not allocated). Hosts
    /// are the scenario's `[[servers]]`, unless a topology names them.
    pub fn of_generator(
        scenario: &Scenario,
        w: &plenum_scenario::workload::Workload,
    ) -> Option<WorkloadShape> {
        let hosts = match &w.hosts {
            plenum_scenario::workload::HostSource::Servers { .. } => scenario.server_count() as f64,
            plenum_scenario::workload::HostSource::OpenDcTopology { .. } => 0.0,
        };
        let (tasks, fragments, span_ms, demand_steps, field) = match &w.source {
            WorkloadSource::Generated(g) => {
                // Lognormal lifetimes: mean = median · exp(σ²/2).
                let mean_life_s = g.median_lifetime_s * (g.lifetime_sigma * g.lifetime_sigma / 2.0).exp();
                let span_s = g.arrival_window_s + 3.0 * mean_life_s;
                let span_s = w.until_ms.map_or(span_s, |u| span_s.min(u as f64 / 1e3));
                let steps =
                    if g.diurnal_amplitude > 0.0 { span_s / g.diurnal_step_s.max(1) as f64 } else { 0.0 };
                let vms = g.vms as f64;
                (vms, vms, span_s * 1e3, steps, "workload.generate.vms")
            }
            WorkloadSource::RoundRobinJobs { jobs, cycle, unit_s, .. } => {
                let hosts = hosts.max(1.0);
                let span_s = (*jobs as f64 / hosts).ceil() * *cycle as f64 * unit_s;
                (*jobs as f64, 0.0, span_s * 1e3, 0.0, "workload.jobs.count")
            }
            _ => return None,
        };
        Some(WorkloadShape {
            tasks,
            fragments,
            hosts,
            span_ms: span_ms.min(u64::MAX as f64) as u64,
            demand_steps,
            field: field.into(),
            host_series_streamed: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(text: &str) -> Scenario {
        Scenario::from_toml_str(text, "t.toml").unwrap_or_else(|e| panic!("{e}"))
    }

    const BASE: &str = plenum_scenario::embedded::SCENARIOS[0].1;

    #[test]
    fn the_default_year_is_small_and_counted_per_rack_or_per_server() {
        let s = Scenario::embedded_default();
        let size = estimate(&s, None);
        assert_eq!(size.parts.len(), 1);
        let p = &size.parts[0];
        assert_eq!(p.field, "servers[0].count");
        // The `normal` spread method: 1,150 racks x 8,760 h at 40 ns.
        let per_rack = 1_150.0 * 8_760.0 * 40e-9;
        assert!((p.cpu_s - per_rack).abs() < 1e-9, "{} vs {per_rack}", p.cpu_s);
        assert!(size.check(&Limits::default()).is_ok());
        assert!(size.memory_gib() < 0.01);
        // The exact method adds 45,978 servers x 8,760 h at 7 ns; so do racks
        // too small for the normal draw (8 servers).
        let exact = 45_978.0 * 8_760.0 * 7e-9 + per_rack;
        let method = [("utilization.server_spread_method", toml::Value::String("exact".into()))];
        let p = &estimate(&s.with_values(&method).unwrap(), None).parts[0];
        assert!((p.cpu_s - exact).abs() < 1e-9, "{} vs {exact}", p.cpu_s);
        let racks_of_8 = [("network.leaf_spine.servers_per_rack", toml::Value::Integer(8))];
        let p = &estimate(&s.with_values(&racks_of_8).unwrap(), None).parts[0];
        let expected = 45_978.0 * 8_760.0 * 7e-9 + (45_978.0f64 / 8.0).ceil() * 8_760.0 * 40e-9;
        assert!((p.cpu_s - expected).abs() < 1e-9, "{} vs {expected}", p.cpu_s);
    }

    #[test]
    fn a_trillion_servers_are_refused_on_memory_naming_the_field() {
        // Critical power grows with the fleet (else it is an implausible site).
        let text = BASE
            .replace("count = 45978", "count = 1000000000000")
            .replace("critical_power_kw = 8000", "critical_power_kw = 2e11");
        let size = estimate(&scenario(&text), None);
        let e = size.check(&Limits::default()).unwrap_err();
        assert_eq!((e.resource, e.part.field.as_str()), (Resource::Memory, "servers[0].count"));
        // 2 bytes a server and 64 a rack of 40: 3.3 TiB.
        let expected = (2.0 + 64.0 / 40.0) * 1e12 / GIB;
        assert!((e.estimate - expected).abs() / expected < 0.01, "{}", e.estimate);
        assert!(e.to_string().contains("above the cap of 8 GiB"), "{e}");
    }

    #[test]
    fn a_lower_cap_refuses_the_default_on_cpu_time() {
        let size = estimate(&Scenario::embedded_default(), None);
        let limits = Limits { max_cpu_s: 0.1, ..Limits::default() };
        let e = size.check(&limits).unwrap_err();
        assert_eq!(e.resource, Resource::CpuTime);
        assert!(e.to_string().starts_with("this run needs about 0.4"), "{e}");
        // Repeated runs multiply time, not memory.
        let twice = size.clone().times(2.0, "2 variants");
        assert!((twice.cpu_s() - 2.0 * size.cpu_s()).abs() < 1e-12);
        assert_eq!(twice.memory_gib(), size.memory_gib());
        assert!(twice.parts[0].what.starts_with("2 variants: facility year"));
        // Parts are chosen by kind and added up.
        let both = twice.and(size.clone()).only(&[PartKind::FacilityYear]);
        assert_eq!(both.parts.len(), 2);
        assert!((both.cpu_s() - 3.0 * size.cpu_s()).abs() < 1e-12);
        assert!(size.only(&[PartKind::Reliability]).parts.is_empty());
    }

    #[test]
    fn reliability_counts_events_from_failure_rates() {
        let text = include_str!("../../../scenarios/dean-cluster-year.toml");
        let s = scenario(text);
        let size = estimate(&s, None);
        let p = size.parts.iter().find(|p| p.what.starts_with("reliability")).unwrap();
        assert_eq!(p.field, "reliability.replications");
        // Dean's cluster year has on the order of a thousand events a year
        // (server failures dominate): 1,000 years take well under a minute.
        assert!(p.cpu_s > 1e-3 && p.cpu_s < 60.0, "{}", p.cpu_s);
        // A million replications of the longest allowed (1,000 years) are not.
        let long = scenario(
            &text
                .replace("years_per_replication = 1", "years_per_replication = 1000")
                .replace("replications = 1000\n", "replications = 1000000\n"),
        );
        let e = estimate(&long, None).check(&Limits::default()).unwrap_err();
        assert_eq!((e.resource, e.part.field.as_str()), (Resource::CpuTime, "reliability.replications"));
    }

    #[test]
    fn generated_workloads_are_sized_from_their_parameters() {
        let text = include_str!("../../../bench/peers/round_robin_jobs.toml");
        let s = scenario(text);
        let shape = WorkloadShape::of_generator(&s, s.workload.as_ref().unwrap()).unwrap();
        assert_eq!((shape.tasks, shape.hosts, shape.field.as_str()), (10_000.0, 99.0, "workload.jobs.count"));
        assert!(estimate(&s, None).check(&Limits::default()).is_ok());
        let huge = scenario(&text.replace("count = 10000\n", "count = 1000000000000\n"));
        let e = estimate(&huge, None).check(&Limits::default()).unwrap_err();
        assert_eq!(e.part.field, "workload.jobs.count");
    }
}
