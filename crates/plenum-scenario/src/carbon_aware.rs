//! The validated `[carbon_aware]` section and `[workload.flexibility]` rule:
//! which intensity series (and how its times read), which jobs, which
//! forecast and how much capacity. The policies themselves are in
//! `plenum_models::carbon_aware`.

use crate::problems::Problems;
use crate::raw::carbon_aware::{
    Aggregate, DstRule, ForecastKind, JobsSource, RawCarbonAware, SeriesClockKind,
};
use crate::raw::workload::RawFlexibility;
pub use plenum_models::carbon_aware::Forecast;
use plenum_models::carbon_aware::parse_civil_ms;

/// A validated `[carbon_aware]`.
#[derive(Debug, Clone, PartialEq)]
pub struct CarbonAware {
    /// Intensity file (resolved; unexpanded when its variable is unset).
    pub intensity_path: String,
    /// Timestamp column, if named.
    pub time_column: Option<String>,
    /// Intensity column, if named.
    pub intensity_column: Option<String>,
    /// What times without an offset mean.
    pub clock: SeriesClock,
    /// Slot length, s (`None`: the file's usual step).
    pub step_s: Option<i64>,
    /// Slots take the value at their start (else the time-weighted mean).
    pub aggregate_first: bool,
    /// Which jobs.
    pub jobs: CarbonJobs,
    /// The forecast the policy sees.
    pub forecast: Forecast,
    /// Hosts at once (`None`: the workload's hosts, or unlimited).
    pub capacity_hosts: Option<u32>,
    /// The workload's time 0 on the series' clock, ms since 1970 (`None`: the trace's own).
    pub trace_start_ms: Option<i64>,
    /// What the shifted schedule may change.
    pub policy: Policy,
    /// Name of the home site.
    pub site_name: String,
    /// The other sites, each with whether the home site's jobs may move there.
    pub sites: Vec<FleetSite>,
}

/// What the shifted schedule may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// When, at the home site.
    Temporal,
    /// Where, starting at arrival.
    Spatial,
    /// Both.
    Both,
}

/// Another site of the fleet.
#[derive(Debug, Clone, PartialEq)]
pub struct FleetSite {
    /// Name.
    pub name: String,
    /// Intensity file (resolved).
    pub intensity_path: String,
    /// Hosts at once (`None`: unlimited).
    pub capacity_hosts: Option<u32>,
    /// Whether the home site's jobs may move here (latency and residency rules).
    pub reachable: bool,
}

/// What a timestamp without an offset means.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SeriesClock {
    /// UTC.
    Utc,
    /// Local civil time.
    Local {
        /// Standard time minus UTC, s.
        standard_offset_s: i64,
        /// Daylight-saving rule.
        dst: Dst,
    },
    /// The file's own clock, as written.
    Continuous,
}

/// A daylight-saving rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dst {
    /// None.
    None,
    /// European Union.
    Eu,
    /// United States.
    Us,
}

/// Where the jobs come from.
#[derive(Debug, Clone, PartialEq)]
pub enum CarbonJobs {
    /// The `[workload]` trace, flexible by `[workload.flexibility]`.
    Workload,
    /// One job a day.
    Periodic(Periodic),
}

/// One job a day at the same time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Periodic {
    /// Midnight of the first day, ms on the series' clock.
    pub first_day_ms: i64,
    /// Days.
    pub days: u64,
    /// Arrival after midnight, ms.
    pub start_of_day_ms: i64,
    /// Run time, ms.
    pub duration_ms: i64,
    /// ± window, ms.
    pub window_ms: i64,
    /// May be paused.
    pub interruptible: bool,
    /// Power, kW.
    pub power_kw: f64,
}

/// A validated `[workload.flexibility]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlexibilityRule {
    /// Window around the start, or a deadline after arrival.
    pub window: RuleWindow,
    /// May be paused.
    pub interruptible: bool,
    /// Only jobs this short or shorter, ms.
    pub max_duration_ms: Option<i64>,
    /// Share of eligible jobs made flexible.
    pub share: f64,
}

/// The window a rule gives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RuleWindow {
    /// Start may move this much, ms.
    AroundStart {
        /// Earlier.
        before_ms: i64,
        /// Later.
        after_ms: i64,
    },
    /// Must finish this long after arrival, ms.
    Deadline {
        /// After arrival.
        after_arrival_ms: i64,
    },
}

fn ms(hours: f64) -> i64 {
    (hours * 3_600_000.0).round() as i64
}

/// Validate `[workload.flexibility]`, adding its problems to `p`.
pub(crate) fn validate_flexibility(raw: &RawFlexibility, p: &mut Problems<'_>) -> Option<FlexibilityRule> {
    let window = match (raw.window_after_h, raw.deadline_h) {
        (Some(after), None) => {
            RuleWindow::AroundStart { before_ms: ms(raw.window_before_h), after_ms: ms(after) }
        }
        (None, Some(deadline)) if raw.window_before_h == 0.0 => {
            RuleWindow::Deadline { after_arrival_ms: ms(deadline) }
        }
        (None, Some(_)) => {
            p.add(
                "workload.flexibility.window_before_h",
                "a deadline rule starts jobs at arrival or later: remove window_before_h or use window_after_h",
                None,
            );
            return None;
        }
        (Some(_), Some(_)) => {
            p.add(
                "workload.flexibility.deadline_h",
                "give window_after_h (a window around the start) or deadline_h (a deadline), not both",
                None,
            );
            return None;
        }
        (None, None) => {
            p.add(
                "workload.flexibility",
                "missing key `window_after_h` or `deadline_h`: how far may a job move?",
                None,
            );
            return None;
        }
    };
    Some(FlexibilityRule {
        window,
        interruptible: raw.interruptible,
        max_duration_ms: raw.max_duration_h.map(ms),
        share: raw.share,
    })
}

/// Validate `[carbon_aware]`, adding its problems to `p`; `has_workload`
/// says whether `[workload]` exists.
pub(crate) fn validate(
    raw: &RawCarbonAware,
    seed: u64,
    has_workload: bool,
    p: &mut Problems<'_>,
) -> Option<CarbonAware> {
    let before = p.count();
    let dst = match raw.dst {
        DstRule::None => Dst::None,
        DstRule::Eu => Dst::Eu,
        DstRule::Us => Dst::Us,
    };
    let clock = match raw.clock {
        SeriesClockKind::Utc => SeriesClock::Utc,
        SeriesClockKind::Continuous => SeriesClock::Continuous,
        SeriesClockKind::Local => {
            SeriesClock::Local { standard_offset_s: (raw.utc_offset_h * 3600.0).round() as i64, dst }
        }
    };
    if raw.clock != SeriesClockKind::Local && (raw.dst != DstRule::None || raw.utc_offset_h != 0.0) {
        p.add(
            "carbon_aware.clock",
            format!("utc_offset_h and dst apply to clock = \"local\", but clock is \"{}\"", raw.clock),
            None,
        );
    }
    let aggregate_first = raw.aggregate == Aggregate::First;
    let forecast = match raw.forecast {
        ForecastKind::Perfect => {
            if raw.forecast_error_share != 0.0 {
                p.add(
                    "carbon_aware.forecast_error_share",
                    "a perfect forecast has no error: set forecast = \"noisy\" or remove forecast_error_share",
                    None,
                );
            }
            Forecast::Perfect
        }
        ForecastKind::Noisy => Forecast::Noisy { error_share: raw.forecast_error_share, seed },
    };
    let jobs = match (raw.jobs, &raw.periodic) {
        (JobsSource::Periodic, Some(periodic)) => match parse_civil_ms(&periodic.first_day) {
            Some(first_day_ms) if periodic.first_day.trim().len() == 10 => CarbonJobs::Periodic(Periodic {
                first_day_ms,
                days: periodic.days,
                start_of_day_ms: ms(periodic.start_h),
                duration_ms: (periodic.duration_min * 60_000.0).round().max(1.0) as i64,
                window_ms: ms(periodic.window_h),
                interruptible: periodic.interruptible,
                power_kw: periodic.power_kw,
            }),
            _ => {
                p.add(
                    "carbon_aware.periodic.first_day",
                    format!("expected a date like 2020-01-01, found {:?}", periodic.first_day),
                    None,
                );
                CarbonJobs::Workload
            }
        },
        (JobsSource::Periodic, None) => {
            p.add("carbon_aware", "missing table `[carbon_aware.periodic]` for jobs = \"periodic\"", None);
            CarbonJobs::Workload
        }
        (JobsSource::Workload, _) => {
            if !has_workload {
                p.add(
                    "carbon_aware.jobs",
                    "jobs = \"workload\" shifts the [workload] trace's jobs, but the scenario has no [workload]",
                    None,
                );
            }
            CarbonJobs::Workload
        }
    };
    let trace_start_ms = match &raw.trace_start {
        Some(text) => match parse_civil_ms(text) {
            Some(t) => Some(t),
            None => {
                p.add(
                    "carbon_aware.trace_start",
                    format!("expected a time like 2022-10-06 22:00:00, found {text:?}"),
                    None,
                );
                None
            }
        },
        None => None,
    };
    let capacity_hosts = raw.capacity_hosts.map(|c| c.min(u64::from(u32::MAX)) as u32);
    let policy = match raw.policy.as_str() {
        "temporal" => Policy::Temporal,
        "spatial" => Policy::Spatial,
        "both" => Policy::Both,
        other => {
            p.add(
                "carbon_aware.policy",
                format!("expected one of temporal, spatial, both; found {other:?}"),
                None,
            );
            Policy::Temporal
        }
    };
    if policy != Policy::Temporal && raw.sites.is_empty() {
        p.add(
            "carbon_aware.policy",
            format!(
                "policy = {:?} moves jobs between sites, but [[carbon_aware.sites]] lists none",
                raw.policy
            ),
            None,
        );
    }
    if raw.same_region_only && raw.region.is_none() {
        p.add(
            "carbon_aware.same_region_only",
            "same_region_only needs the home site's carbon_aware.region",
            None,
        );
    }
    let mut names = vec![raw.site_name.as_str()];
    let mut sites = Vec::new();
    for (i, s) in raw.sites.iter().enumerate() {
        if names.contains(&s.name.as_str()) {
            p.add(
                &format!("carbon_aware.sites[{i}].name"),
                format!("site name {:?} is used twice", s.name),
                None,
            );
        }
        names.push(s.name.as_str());
        if raw.same_region_only && s.region.is_none() {
            p.add(
                &format!("carbon_aware.sites[{i}].region"),
                "same_region_only is set: every site needs its region",
                None,
            );
        }
        let residency = !raw.same_region_only || s.region == raw.region;
        let latency = raw.max_latency_ms.is_none_or(|m| s.latency_ms <= m);
        sites.push(FleetSite {
            name: s.name.clone(),
            intensity_path: s.intensity.clone(),
            capacity_hosts: s.capacity_hosts.map(|c| c.min(u64::from(u32::MAX)) as u32),
            reachable: residency && latency,
        });
    }
    if p.count() > before {
        return None;
    }
    Some(CarbonAware {
        intensity_path: raw.intensity.clone(),
        time_column: raw.time_column.clone(),
        intensity_column: raw.intensity_column.clone(),
        clock,
        step_s: raw.step_min.map(|m| m as i64 * 60),
        aggregate_first,
        jobs,
        forecast,
        capacity_hosts,
        trace_start_ms,
        policy,
        site_name: raw.site_name.clone(),
        sites,
    })
}
