//! Monte Carlo reliability: many independent replications of the site's
//! diagram (see `plenum_models::reliability`), run in parallel, summarised as
//! availability of IT power and of capacity, downtime per year (mean, interval
//! and percentiles), outages and their lengths, capacity-hours lost, event
//! rates, and for fail-in-place fleets the capacity curve and its cost against
//! repair-based service.
//!
//! Determinism: replication `r` draws only from streams indexed by `r`, and
//! replications run in batches whose results are collected in replication
//! order before anything is added up; the early-stopping rule is looked at only
//! between batches. So the replications run, and every sum, are the same on
//! one thread or many.
//!
//! Intervals stay possible: an availability interval lies in [0, 1], a
//! downtime, outage, capacity-lost or event-rate interval at or above 0. Where
//! the study saw something at most once, Student's t says nothing (a zero-width
//! interval, or one reaching below zero), so the interval is exact instead (see
//! `plenum_models::reliability::stats`): for a count seen 0 or 1 times, the
//! Garwood Poisson interval over the simulated years; for a per-replication
//! amount (downtime, capacity lost) seen in no replication, 0 up to the
//! Clopper-Pearson bound on the share of replications that could have seen
//! some times the most a replication can hold (the whole horizon), and seen in
//! exactly one replication, the observed mean scaled by the Garwood interval of
//! a count of one (the one event's size taken as typical).

use crate::control::{Control, Interrupted};
use crate::tables::{ColumnValues, DataTable};
use plenum_models::reliability::sim::ride_through_nodes;
use plenum_models::reliability::stats::{Accumulator, Estimate, none_of_n_upper_ci95, poisson_ci95, t_975};
use plenum_models::reliability::{
    Diagram, MonteCarloSettings, Outcome, RunOptions, Simulator, Subject, build_site,
};
use plenum_models::units::{HOURS_PER_MONTH, HOURS_PER_YEAR};
use plenum_scenario::reliability::Reliability;
use rayon::prelude::*;
use serde::Serialize;

/// The `reliability` part of the JSON summary.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReliabilitySummary {
    /// The Uptime tier the site started from, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
    /// Replications run.
    pub replications: u64,
    /// Simulated years in each replication.
    pub years_per_replication: f64,
    /// Replications × years.
    pub simulated_years: f64,
    /// Whether the precision target stopped the run before the last replication.
    pub stopped_early: bool,
    /// Mean fraction of time every rack had power and cooling.
    pub availability: f64,
    /// 95% confidence interval of `availability`, within [0, 1]; exact when at
    /// most one replication had downtime (see the module doc).
    pub availability_ci95: [f64; 2],
    /// Mean fraction of server capacity serving (servers up behind a working rack).
    pub capacity_availability: f64,
    /// 95% confidence interval of `capacity_availability`.
    pub capacity_availability_ci95: [f64; 2],
    /// Mean hours a year without IT power (some rack without power or cooling).
    pub downtime_hours_per_year: f64,
    /// 95% confidence interval of `downtime_hours_per_year`, at or above 0;
    /// with no downtime seen, an upper bound rather than a point.
    pub downtime_hours_per_year_ci95: [f64; 2],
    /// Percentiles of downtime per year across replications.
    pub downtime_hours_per_year_percentiles: Percentiles,
    /// Mean outages of IT power a year.
    pub outages_per_year: f64,
    /// 95% confidence interval of `outages_per_year`, at or above 0; exact
    /// (Garwood) when the study saw 0 or 1 outage.
    pub outages_per_year_ci95: [f64; 2],
    /// Lengths of all outages, in hours.
    pub outage_hours: OutageLengths,
    /// Mean server-hours a year of capacity not serving.
    pub capacity_hours_lost_per_year: f64,
    /// 95% confidence interval of `capacity_hours_lost_per_year`.
    pub capacity_hours_lost_per_year_ci95: [f64; 2],
    /// Mean events a year by component kind, event and failure mode.
    pub events_per_year: Vec<EventRate>,
    /// Events simulated (popped from the queue) across all replications.
    pub events_simulated: u64,
    /// Fail-in-place fleet against repair-based service, when the scenario asks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_in_place: Option<FailInPlaceSummary>,
}

/// Percentiles of a per-replication figure.
#[derive(Debug, Clone, Copy, Default, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Percentiles {
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Largest.
    pub max: f64,
}

/// Lengths of outages, pooled across replications.
#[derive(Debug, Clone, Copy, Default, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutageLengths {
    /// Outages observed.
    pub count: u64,
    /// Mean length, in hours: total downtime over total outages.
    pub mean: f64,
    /// 95% confidence interval of `mean`, treating it as a ratio of two
    /// per-replication means (downtime over outages) by the delta method
    /// (A. M. Law, *Simulation Modeling and Analysis*, 5th ed., §9.5.3), since
    /// outages within one replication are not independent of each other.
    pub mean_ci95: [f64; 2],
    /// Percentiles of the length, in hours.
    pub percentiles: Percentiles,
}

/// How often something happens.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventRate {
    /// Kind of component (`pdu`), or the block (`room`) for ride-through events.
    pub component: String,
    /// What happened (`failure`, `maintenance_start`, `fail_to_start`, …).
    pub kind: String,
    /// Failure mode, for failures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// Mean events a year.
    pub per_year: f64,
    /// 95% confidence interval of `per_year`.
    pub per_year_ci95: [f64; 2],
}

/// Fail-in-place service against repair-based service.
#[derive(Debug, Clone, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FailInPlaceSummary {
    /// Mean fraction of capacity serving in each month of a replication (fail in place).
    pub capacity_curve_by_month: Vec<f64>,
    /// Modules replaced a year.
    pub module_replacements_per_year: f64,
    /// Server-hours a year lost under fail-in-place.
    pub capacity_hours_lost_per_year: f64,
    /// Server-hours a year lost under repair-based service.
    pub repair_capacity_hours_lost_per_year: f64,
    /// Server repairs a year under repair-based service.
    pub repairs_per_year: f64,
    /// Cost of a server-hour used to value lost capacity (the scenario's total cost per server-hour).
    pub server_hour_usd: f64,
    /// Fail in place: early module replacements (servers × mean price) plus lost capacity, a year.
    pub fail_in_place_cost_usd_per_year: f64,
    /// Repair-based: repairs × repair cost plus lost capacity, a year.
    pub repair_cost_usd_per_year: f64,
    /// Repair-based minus fail-in-place cost (positive: fail in place is cheaper).
    pub fail_in_place_saving_usd_per_year: f64,
}

/// Prices the fail-in-place comparison needs from the cost model.
#[derive(Debug, Clone, Copy)]
pub struct ServicePrices {
    /// Total cost of one server-hour (the value of a lost server-hour).
    pub server_hour_usd: f64,
    /// Mean purchase price of one server.
    pub server_price_usd: f64,
}

/// Everything many replications add up to.
#[derive(Debug, Clone)]
pub struct MonteCarlo {
    /// Replications run.
    pub replications: u64,
    /// Whether the stopping rule ended the run early.
    pub stopped_early: bool,
    /// Years per replication.
    pub years_per_replication: f64,
    /// Availability of the site block per replication.
    pub availability: Estimate,
    /// Capacity availability per replication.
    pub capacity_availability: Estimate,
    /// Downtime per year per replication.
    pub downtime_hours_per_year: Estimate,
    /// Downtime per year of each replication, in replication order: with the
    /// same seed, two designs see the same random draws wherever their classes
    /// match (common random numbers), so differences can be compared pairwise.
    pub downtime_by_replication: Vec<f64>,
    /// The same, sorted.
    pub downtime_sorted: Vec<f64>,
    /// Outages per year per replication.
    pub outages_per_year: Estimate,
    /// Sorted lengths of every outage.
    pub outage_lengths_sorted: Vec<f64>,
    /// Mean outage length (total downtime over total outages) with its interval.
    pub outage_length: Estimate,
    /// Lost server-hours per year per replication.
    pub capacity_hours_lost_per_year: Estimate,
    /// Event rates.
    pub events_per_year: Vec<EventRate>,
    /// Module replacements per year.
    pub module_replacements_per_year: Estimate,
    /// Failures of capacity units (servers) per year; under repair-based
    /// service, each is a repair visit.
    pub capacity_unit_failures_per_year: Estimate,
    /// Mean capacity fraction by month, for a fleet that fails in place
    /// (modules replaced) over replications of a month or more; else empty.
    pub capacity_curve: Vec<f64>,
    /// Events popped.
    pub events: u64,
    /// Outcomes of the logged replications, in order.
    pub logged: Vec<Outcome>,
}

/// Run replications of `diagram` under `seed` until the settings say stop.
pub fn monte_carlo(diagram: &Diagram, seed: u64, settings: &MonteCarloSettings) -> MonteCarlo {
    monte_carlo_controlled(diagram, seed, settings, &Control::default(), "reliability replications")
        .expect("nothing cancels a run without a token")
}

/// [`monte_carlo`] under `control`: replications done are reported (as
/// `stage`) after each batch, and a cancelled token stops the run before the
/// next replication starts (replications under way finish; nothing is
/// returned but [`Interrupted`]).
pub fn monte_carlo_controlled(
    diagram: &Diagram,
    seed: u64,
    settings: &MonteCarloSettings,
    control: &Control<'_>,
    stage: &str,
) -> Result<MonteCarlo, Interrupted> {
    let sim = Simulator::new(diagram);
    let horizon_h = settings.years_per_replication * HOURS_PER_YEAR;
    let years = settings.years_per_replication;
    // The monthly curve is reported for fail-in-place fleets only, and costs
    // every event a bucket update: left out for the others.
    let fails_in_place = diagram.capacity.as_ref().is_some_and(|c| c.modules.is_some());
    let bucket = (horizon_h >= HOURS_PER_MONTH && fails_in_place).then_some(HOURS_PER_MONTH);
    let mut agg = Aggregate::new(diagram);
    let mut done = 0u64;
    let mut stopped_early = false;
    let batch = settings.batch_replications.max(1);
    while done < settings.replications {
        let end = (done + batch).min(settings.replications);
        // The token is looked at before each replication (a few
        // microseconds each), so a cancel stops a batch of any size at once.
        let outcomes: Option<Vec<Outcome>> = (done..end)
            .into_par_iter()
            // Each worker's replications reuse one set of buffers.
            .map_init(
                || sim.scratch(),
                |scratch, r| {
                    let options = RunOptions {
                        horizon_h,
                        log_events: r < settings.logged_replications,
                        capacity_bucket_h: bucket,
                    };
                    (!control.is_cancelled()).then(|| sim.run_with(scratch, seed, r, &options))
                },
            )
            .collect();
        for outcome in outcomes.ok_or(Interrupted)? {
            agg.add(outcome, years);
        }
        done = end;
        control.report(stage, done, settings.replications);
        if let Some(target) = settings.target_relative_ci95
            && done < settings.replications
        {
            let e = agg.downtime.estimate();
            if agg.downtime.count() >= 2 && e.mean > 0.0 && e.half_width() <= target * e.mean {
                stopped_early = true;
                break;
            }
        }
    }
    Ok(agg.finish(diagram, done, stopped_early, years))
}

struct Aggregate {
    availability: Accumulator,
    capacity: Accumulator,
    downtime: Accumulator,
    downtime_values: Vec<f64>,
    outages: Accumulator,
    outage_lengths: Vec<f64>,
    /// Outages and downtime hours of each replication, for the ratio estimate.
    per_replication: Vec<(f64, f64)>,
    lost: Accumulator,
    /// Replications with some downtime, and with some capacity lost.
    downtime_seen: u64,
    lost_seen: u64,
    /// Capacity units in the diagram (the most that can be lost at once).
    capacity_units: u32,
    failures: Vec<Vec<Accumulator>>,
    fail_to_start: Vec<Accumulator>,
    maintenance: Vec<Accumulator>,
    ride_through: Vec<Accumulator>,
    modules: Accumulator,
    capacity_class: Option<usize>,
    capacity_failures: Accumulator,
    curve: Vec<f64>,
    curve_n: u64,
    events: u64,
    logged: Vec<Outcome>,
}

impl Aggregate {
    fn new(d: &Diagram) -> Self {
        Aggregate {
            availability: Accumulator::default(),
            capacity: Accumulator::default(),
            downtime: Accumulator::default(),
            downtime_values: Vec::new(),
            outages: Accumulator::default(),
            outage_lengths: Vec::new(),
            per_replication: Vec::new(),
            lost: Accumulator::default(),
            downtime_seen: 0,
            lost_seen: 0,
            capacity_units: d.capacity.as_ref().map_or(0, |c| c.feeds.len() as u32),
            failures: d.classes.iter().map(|c| vec![Accumulator::default(); c.modes.len()]).collect(),
            fail_to_start: vec![Accumulator::default(); d.classes.len()],
            maintenance: vec![Accumulator::default(); d.classes.len()],
            ride_through: vec![Accumulator::default(); ride_through_nodes(d).len()],
            modules: Accumulator::default(),
            capacity_class: d.capacity.as_ref().and_then(|c| c.class),
            capacity_failures: Accumulator::default(),
            curve: Vec::new(),
            curve_n: 0,
            events: 0,
            logged: Vec::new(),
        }
    }

    fn add(&mut self, mut o: Outcome, years: f64) {
        let horizon_h = o.horizon_h;
        self.availability.push(1.0 - o.downtime_h / horizon_h);
        let capacity = if o.capacity_units > 0 {
            1.0 - o.lost_capacity_unit_h / (o.capacity_units as f64 * horizon_h)
        } else {
            1.0
        };
        self.capacity.push(capacity);
        self.downtime.push(o.downtime_h / years);
        self.downtime_values.push(o.downtime_h / years);
        self.outages.push(o.outage_durations_h.len() as f64 / years);
        self.outage_lengths.extend(&o.outage_durations_h);
        self.per_replication.push((o.outage_durations_h.len() as f64, o.downtime_h));
        self.lost.push(o.lost_capacity_unit_h / years);
        self.downtime_seen += u64::from(o.downtime_h > 0.0);
        self.lost_seen += u64::from(o.lost_capacity_unit_h > 0.0);
        for (acc, counts) in self.failures.iter_mut().zip(&o.failures) {
            for (a, &n) in acc.iter_mut().zip(counts) {
                a.push(n as f64 / years);
            }
        }
        for (a, &n) in self.fail_to_start.iter_mut().zip(&o.fail_to_start) {
            a.push(n as f64 / years);
        }
        for (a, &n) in self.maintenance.iter_mut().zip(&o.maintenance_windows) {
            a.push(n as f64 / years);
        }
        for (a, &n) in self.ride_through.iter_mut().zip(&o.ride_through_exhausted) {
            a.push(n as f64 / years);
        }
        self.modules.push(o.module_replacements as f64 / years);
        let unit_failures = self.capacity_class.map_or(0, |c| o.failures[c].iter().sum::<u64>());
        self.capacity_failures.push(unit_failures as f64 / years);
        if self.curve.len() < o.capacity_curve.len() {
            self.curve.resize(o.capacity_curve.len(), 0.0);
        }
        for (c, v) in self.curve.iter_mut().zip(&o.capacity_curve) {
            *c += v;
        }
        self.curve_n += 1;
        self.events += o.events;
        if !o.log.is_empty() {
            // Keep only what the event table needs.
            o.outage_durations_h = Vec::new();
            o.capacity_curve = Vec::new();
            self.logged.push(o);
        }
    }

    fn finish(mut self, d: &Diagram, replications: u64, stopped_early: bool, years: f64) -> MonteCarlo {
        let simulated_years = replications as f64 * years;
        let rate = |component: &str, kind: &str, mode: Option<&str>, a: &Accumulator| {
            let e = count_rate(a.estimate(), simulated_years);
            EventRate {
                component: component.to_string(),
                kind: kind.to_string(),
                mode: mode.map(str::to_string),
                per_year: e.mean,
                per_year_ci95: [e.ci95_low, e.ci95_high],
            }
        };
        let mut events_per_year = Vec::new();
        for (i, class) in d.classes.iter().enumerate() {
            for (m, mode) in class.modes.iter().enumerate() {
                events_per_year.push(rate(&class.name, "failure", Some(&mode.name), &self.failures[i][m]));
            }
            if class.standby.is_some() {
                events_per_year.push(rate(&class.name, "fail_to_start", None, &self.fail_to_start[i]));
            }
            if class.maintenance.is_some() {
                events_per_year.push(rate(&class.name, "maintenance_start", None, &self.maintenance[i]));
            }
        }
        for (i, node) in ride_through_nodes(d).into_iter().enumerate() {
            let name = &d.nodes[node as usize].name;
            events_per_year.push(rate(name, "ride_through_exhausted", None, &self.ride_through[i]));
        }
        let downtime_by_replication = self.downtime_values.clone();
        self.downtime_values.sort_by(f64::total_cmp);
        self.outage_lengths.sort_by(f64::total_cmp);
        let n = self.curve_n.max(1) as f64;
        let downtime =
            amount_per_year(self.downtime.estimate(), self.downtime_seen, replications, HOURS_PER_YEAR);
        let units = f64::from(self.capacity_units);
        let lost =
            amount_per_year(self.lost.estimate(), self.lost_seen, replications, units * HOURS_PER_YEAR);
        let outages = self.outage_lengths.len() as u64;
        let mut outage_length = ratio_estimate(&self.per_replication);
        if outages <= 1 {
            // One length (or none) says nothing about the spread: only the horizon bounds it.
            outage_length.ci95_low = 0.0;
            outage_length.ci95_high = years * HOURS_PER_YEAR;
        }
        MonteCarlo {
            replications,
            stopped_early,
            years_per_replication: years,
            availability: availability_from_downtime(self.availability.estimate().mean, &downtime, 1.0),
            capacity_availability: if units > 0.0 {
                availability_from_downtime(self.capacity.estimate().mean, &lost, units)
            } else {
                self.capacity.estimate()
            },
            downtime_hours_per_year: downtime,
            downtime_by_replication,
            downtime_sorted: self.downtime_values,
            outages_per_year: count_rate(self.outages.estimate(), simulated_years),
            outage_lengths_sorted: self.outage_lengths,
            outage_length: nonnegative(outage_length),
            capacity_hours_lost_per_year: lost,
            events_per_year,
            module_replacements_per_year: self.modules.estimate(),
            capacity_unit_failures_per_year: self.capacity_failures.estimate(),
            capacity_curve: self.curve.iter().map(|c| c / n).collect(),
            events: self.events,
            logged: self.logged,
        }
    }
}

/// `e` with its interval cut at 0 from below.
fn nonnegative(mut e: Estimate) -> Estimate {
    e.ci95_low = e.ci95_low.max(0.0);
    e.ci95_high = e.ci95_high.max(0.0);
    e
}

/// The rate a year of something counted (outages, failures of one kind), from
/// its per-replication estimate over `simulated_years`: Student's t cut at 0
/// while the total count is 2 or more, the exact Garwood interval of the
/// total count below that.
fn count_rate(e: Estimate, simulated_years: f64) -> Estimate {
    // The per-replication rates are counts over the years of a replication,
    // so the total count is an integer up to rounding.
    let count = (e.mean * simulated_years).round().max(0.0) as u64;
    if count >= 2 {
        return nonnegative(e);
    }
    let (low, high) = poisson_ci95(count);
    Estimate { mean: e.mean, ci95_low: low / simulated_years, ci95_high: high / simulated_years }
}

/// A nonnegative amount a year (downtime hours, server-hours lost) from its
/// per-replication estimate, `seen` of `replications` replications having
/// some, at most `most_per_year` a year: Student's t cut to [0, most] while two
/// or more replications saw some; with one, the mean scaled by the Garwood
/// interval of a count of one; with none, 0 up to the Clopper-Pearson bound on
/// the share of replications with some, times the most.
fn amount_per_year(e: Estimate, seen: u64, replications: u64, most_per_year: f64) -> Estimate {
    let (low, high) = match seen {
        0 => (0.0, none_of_n_upper_ci95(replications) * most_per_year),
        1 => {
            let (low, high) = poisson_ci95(1);
            (e.mean * low, e.mean * high)
        }
        _ => (e.ci95_low, e.ci95_high),
    };
    Estimate {
        mean: e.mean,
        ci95_low: low.clamp(0.0, most_per_year),
        ci95_high: high.clamp(0.0, most_per_year),
    }
}

/// An availability (mean `mean`) whose interval follows from that of the
/// amount lost a year, for `units` units: `1 − lost / (units · hours a year)`,
/// so it lies in [0, 1] and agrees with the downtime interval.
fn availability_from_downtime(mean: f64, lost_per_year: &Estimate, units: f64) -> Estimate {
    let fraction = |lost: f64| (1.0 - lost / (units * HOURS_PER_YEAR)).clamp(0.0, 1.0);
    Estimate {
        mean: mean.clamp(0.0, 1.0),
        ci95_low: fraction(lost_per_year.ci95_high),
        ci95_high: fraction(lost_per_year.ci95_low),
    }
}

/// Σ downtime / Σ outages over replications, with a delta-method interval:
/// R = D̄/Ō, s² = Σ (Dᵢ − R·Oᵢ)² / (n − 1), half-width t·s / (Ō·√n).
fn ratio_estimate(pairs: &[(f64, f64)]) -> Estimate {
    let n = pairs.len() as f64;
    let outages: f64 = pairs.iter().map(|p| p.0).sum();
    if outages == 0.0 {
        return Estimate { mean: 0.0, ci95_low: 0.0, ci95_high: 0.0 };
    }
    let r = pairs.iter().map(|p| p.1).sum::<f64>() / outages;
    if pairs.len() < 2 {
        return Estimate { mean: r, ci95_low: r, ci95_high: r };
    }
    let s2 = pairs.iter().map(|(o, d)| (d - r * o).powi(2)).sum::<f64>() / (n - 1.0);
    let half = t_975(pairs.len() as u64 - 1) * s2.sqrt() / (outages / n * n.sqrt());
    Estimate { mean: r, ci95_low: r - half, ci95_high: r + half }
}

fn ci(e: &Estimate) -> [f64; 2] {
    [e.ci95_low, e.ci95_high]
}

fn percentiles(sorted: &[f64]) -> Percentiles {
    let p = |q| plenum_models::quantile::quantile(sorted, q).unwrap_or(0.0);
    Percentiles { p50: p(0.5), p90: p(0.9), p99: p(0.99), max: p(1.0) }
}

/// The reliability study of a scenario: its summary and its tables
/// (`reliability_events`, and `reliability_capacity` for fail-in-place fleets).
pub fn run(study: &Reliability, seed: u64, prices: ServicePrices) -> (ReliabilitySummary, Vec<DataTable>) {
    run_controlled(study, seed, prices, &Control::default()).expect("nothing cancels a run without a token")
}

/// [`run`] under `control` (see [`monte_carlo_controlled`]).
pub fn run_controlled(
    study: &Reliability,
    seed: u64,
    prices: ServicePrices,
    control: &Control<'_>,
) -> Result<(ReliabilitySummary, Vec<DataTable>), Interrupted> {
    let diagram = build_site(&study.site).expect("validation builds the same site");
    let mc = monte_carlo_controlled(&diagram, seed, &study.settings, control, "reliability replications")?;
    let mut tables = vec![event_table(&diagram, &mc)];
    let fail_in_place = study.fail_in_place.map(|service| {
        let mut repaired = study.site.clone();
        repaired.fail_in_place = None;
        let repaired = build_site(&repaired).expect("the same site with repairs builds");
        let stage = "reliability replications (repair baseline)";
        let baseline = monte_carlo_controlled(&repaired, seed, &study.settings, control, stage)?;
        let module_servers = study.site.fail_in_place.map_or(0, |m| m.size) as f64;
        let lost_fip = mc.capacity_hours_lost_per_year.mean;
        let lost_repair = baseline.capacity_hours_lost_per_year.mean;
        let fip_cost = mc.module_replacements_per_year.mean * module_servers * prices.server_price_usd
            + lost_fip * prices.server_hour_usd;
        let repairs = baseline.capacity_unit_failures_per_year.mean;
        let repair_cost = repairs * service.repair_cost_usd + lost_repair * prices.server_hour_usd;
        tables.push(capacity_table(&mc.capacity_curve));
        Ok(FailInPlaceSummary {
            capacity_curve_by_month: mc.capacity_curve.clone(),
            module_replacements_per_year: mc.module_replacements_per_year.mean,
            capacity_hours_lost_per_year: lost_fip,
            repair_capacity_hours_lost_per_year: lost_repair,
            repairs_per_year: repairs,
            server_hour_usd: prices.server_hour_usd,
            fail_in_place_cost_usd_per_year: fip_cost,
            repair_cost_usd_per_year: repair_cost,
            fail_in_place_saving_usd_per_year: repair_cost - fip_cost,
        })
    });
    let fail_in_place = fail_in_place.transpose()?;
    let summary = ReliabilitySummary {
        tier: study.tier.map(|t| t.name().to_string()),
        replications: mc.replications,
        years_per_replication: mc.years_per_replication,
        simulated_years: mc.replications as f64 * mc.years_per_replication,
        stopped_early: mc.stopped_early,
        availability: mc.availability.mean,
        availability_ci95: ci(&mc.availability),
        capacity_availability: mc.capacity_availability.mean,
        capacity_availability_ci95: ci(&mc.capacity_availability),
        downtime_hours_per_year: mc.downtime_hours_per_year.mean,
        downtime_hours_per_year_ci95: ci(&mc.downtime_hours_per_year),
        downtime_hours_per_year_percentiles: percentiles(&mc.downtime_sorted),
        outages_per_year: mc.outages_per_year.mean,
        outages_per_year_ci95: ci(&mc.outages_per_year),
        outage_hours: OutageLengths {
            count: mc.outage_lengths_sorted.len() as u64,
            mean: mc.outage_length.mean,
            mean_ci95: ci(&mc.outage_length),
            percentiles: percentiles(&mc.outage_lengths_sorted),
        },
        capacity_hours_lost_per_year: mc.capacity_hours_lost_per_year.mean,
        capacity_hours_lost_per_year_ci95: ci(&mc.capacity_hours_lost_per_year),
        events_per_year: mc.events_per_year.clone(),
        events_simulated: mc.events,
        fail_in_place,
    };
    Ok((summary, tables))
}

/// The event log of the logged replications.
fn event_table(d: &Diagram, mc: &MonteCarlo) -> DataTable {
    let rows: usize = mc.logged.iter().map(|o| o.log.len()).sum();
    let mut replication = Vec::with_capacity(rows);
    let mut time_h = Vec::with_capacity(rows);
    let mut component = Vec::with_capacity(rows);
    let mut class = Vec::with_capacity(rows);
    let mut kind = Vec::with_capacity(rows);
    let mut mode = Vec::with_capacity(rows);
    let mut site_up = Vec::with_capacity(rows);
    let mut serving = Vec::with_capacity(rows);
    for (r, o) in mc.logged.iter().enumerate() {
        for row in &o.log {
            replication.push(r as u64);
            time_h.push(row.time_h);
            let (name, kind_of) = match row.subject {
                Subject::Component(c) => {
                    let (ci, i) = d.locate(c);
                    let class = &d.classes[ci];
                    let m = row.mode.map(|m| class.modes[m as usize].name.clone()).unwrap_or_default();
                    mode.push(m);
                    (format!("{}[{i}]", class.name), class.name.clone())
                }
                Subject::Node(n) => {
                    mode.push(String::new());
                    (d.nodes[n as usize].name.clone(), "block".to_string())
                }
                Subject::Module(m) => {
                    mode.push(String::new());
                    (format!("module[{m}]"), "module".to_string())
                }
            };
            component.push(name);
            class.push(kind_of);
            kind.push(row.kind.name().to_string());
            site_up.push(row.site_up);
            serving.push(u64::from(row.serving));
        }
    }
    DataTable::new(
        "reliability_events",
        "One row per event of the logged replications of the reliability study, in time order.",
    )
    .with("replication", "Replication number (from 0).", ColumnValues::U64(replication))
    .with("time_h", "Hours from the start of the replication.", ColumnValues::F64(time_h))
    .with("component", "Unit (`pdu[2]`), block (`room`, `site`) or module the event is about.", ColumnValues::Text(component))
    .with("component_kind", "Kind of unit (`pdu`), or `block` / `module`.", ColumnValues::Text(class))
    .with(
        "kind",
        "failure, repair, maintenance_start/end, fail_to_start, start, stop, ride_through_exhausted, outage_start/end, module_replaced.",
        ColumnValues::Text(kind),
    )
    .with("mode", "Failure mode, for failures; empty otherwise.", ColumnValues::Text(mode))
    .with("site_up", "Whether every rack has power and cooling after the event.", ColumnValues::Bool(site_up))
    .with("serving_servers", "Servers serving after the event (count).", ColumnValues::U64(serving))
}

/// The mean capacity curve of a fail-in-place fleet, by month.
fn capacity_table(curve: &[f64]) -> DataTable {
    DataTable::new(
        "reliability_capacity",
        "Mean fraction of server capacity serving in each 730-hour month of a replication (fail-in-place fleet).",
    )
    .with("month", "Month of the replication (from 0).", ColumnValues::U64((0..curve.len() as u64).collect()))
    .with(
        "start_h",
        "Hours from the start of the replication to the start of the month.",
        ColumnValues::F64((0..curve.len()).map(|m| m as f64 * HOURS_PER_MONTH).collect()),
    )
    .with("capacity_fraction", "Mean fraction of servers serving (0..1).", ColumnValues::F64(curve.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ratio_estimate_of_outage_length() {
        // Outages and downtime per replication: (1, 2 h), (1, 4 h), (2, 6 h).
        let e = ratio_estimate(&[(1.0, 2.0), (1.0, 4.0), (2.0, 6.0)]);
        assert_eq!(e.mean, 3.0);
        // s² = ((2−3)² + (4−3)² + (6−6)²) / 2 = 1; Ō = 4/3; t(2) = 4.303.
        assert!((t_975(2) - 4.303).abs() < 5e-4);
        let half = t_975(2) / (4.0 / 3.0 * 3f64.sqrt());
        assert!((e.half_width() - half).abs() < 1e-12, "{e:?}");
        assert_eq!(ratio_estimate(&[(0.0, 0.0), (0.0, 0.0)]).mean, 0.0);
    }

    #[test]
    fn percentiles_of_nothing_are_zero() {
        let p = percentiles(&[]);
        assert_eq!((p.p50, p.max), (0.0, 0.0));
    }
}
