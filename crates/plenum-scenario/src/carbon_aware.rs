//! The validated `[carbon_aware]` section and `[workload.flexibility]` rule:
//! which intensity series (and how its times read), which jobs, which
//! forecast and how much capacity. The policies themselves are in
//! `plenum_models::carbon_aware`.

use crate::raw::carbon_aware::RawCarbonAware;
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

/// Validate `[workload.flexibility]`.
pub fn validate_flexibility(
    raw: &RawFlexibility,
    add: &mut dyn FnMut(&str, String),
) -> Option<FlexibilityRule> {
    let window = match (raw.window_after_h, raw.deadline_h) {
        (Some(after), None) => {
            RuleWindow::AroundStart { before_ms: ms(raw.window_before_h), after_ms: ms(after) }
        }
        (None, Some(deadline)) if raw.window_before_h == 0.0 => {
            RuleWindow::Deadline { after_arrival_ms: ms(deadline) }
        }
        (None, Some(_)) => {
            add(
                "workload.flexibility.window_before_h",
                "a deadline rule starts jobs at arrival or later: remove window_before_h or use window_after_h".into(),
            );
            return None;
        }
        (Some(_), Some(_)) => {
            add(
                "workload.flexibility.deadline_h",
                "give window_after_h (a window around the start) or deadline_h (a deadline), not both".into(),
            );
            return None;
        }
        (None, None) => {
            add(
                "workload.flexibility",
                "missing key `window_after_h` or `deadline_h`: how far may a job move?".into(),
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

/// Validate `[carbon_aware]`; `has_workload` says whether `[workload]` exists.
pub fn validate(
    raw: &RawCarbonAware,
    seed: u64,
    has_workload: bool,
    add: &mut dyn FnMut(&str, String),
) -> Option<CarbonAware> {
    let mut ok = true;
    let mut bad = |field: &str, message: String| {
        ok = false;
        add(field, message);
    };
    let dst = match raw.dst.as_str() {
        "none" => Dst::None,
        "eu" => Dst::Eu,
        "us" => Dst::Us,
        other => {
            bad("carbon_aware.dst", format!("expected one of none, eu, us; found {other:?}"));
            Dst::None
        }
    };
    let clock = match raw.clock.as_str() {
        "utc" => SeriesClock::Utc,
        "continuous" => SeriesClock::Continuous,
        "local" => SeriesClock::Local { standard_offset_s: (raw.utc_offset_h * 3600.0).round() as i64, dst },
        other => {
            bad("carbon_aware.clock", format!("expected one of utc, local, continuous; found {other:?}"));
            SeriesClock::Utc
        }
    };
    if raw.clock != "local" && (raw.dst != "none" || raw.utc_offset_h != 0.0) {
        bad(
            "carbon_aware.clock",
            format!("utc_offset_h and dst apply to clock = \"local\", but clock is {:?}", raw.clock),
        );
    }
    let aggregate_first = match raw.aggregate.as_str() {
        "mean" => false,
        "first" => true,
        other => {
            bad("carbon_aware.aggregate", format!("expected one of mean, first; found {other:?}"));
            false
        }
    };
    let forecast = match raw.forecast.as_str() {
        "perfect" => {
            if raw.forecast_error_share != 0.0 {
                bad(
                    "carbon_aware.forecast_error_share",
                    "a perfect forecast has no error: set forecast = \"noisy\" or remove forecast_error_share".into(),
                );
            }
            Forecast::Perfect
        }
        "noisy" => Forecast::Noisy { error_share: raw.forecast_error_share, seed },
        other => {
            bad("carbon_aware.forecast", format!("expected one of perfect, noisy; found {other:?}"));
            Forecast::Perfect
        }
    };
    let jobs = match (raw.jobs.as_str(), &raw.periodic) {
        ("periodic", Some(p)) => match parse_civil_ms(&p.first_day) {
            Some(first_day_ms) if p.first_day.trim().len() == 10 => CarbonJobs::Periodic(Periodic {
                first_day_ms,
                days: p.days,
                start_of_day_ms: ms(p.start_h),
                duration_ms: (p.duration_min * 60_000.0).round().max(1.0) as i64,
                window_ms: ms(p.window_h),
                interruptible: p.interruptible,
                power_kw: p.power_kw,
            }),
            _ => {
                bad(
                    "carbon_aware.periodic.first_day",
                    format!("expected a date like 2020-01-01, found {:?}", p.first_day),
                );
                CarbonJobs::Workload
            }
        },
        ("periodic", None) => {
            bad("carbon_aware", "missing table `[carbon_aware.periodic]` for jobs = \"periodic\"".into());
            CarbonJobs::Workload
        }
        ("workload", _) => {
            if !has_workload {
                bad(
                    "carbon_aware.jobs",
                    "jobs = \"workload\" shifts the [workload] trace's jobs, but the scenario has no [workload]".into(),
                );
            }
            CarbonJobs::Workload
        }
        (other, _) => {
            bad("carbon_aware.jobs", format!("expected one of workload, periodic; found {other:?}"));
            CarbonJobs::Workload
        }
    };
    let trace_start_ms = match &raw.trace_start {
        Some(text) => match parse_civil_ms(text) {
            Some(t) => Some(t),
            None => {
                bad(
                    "carbon_aware.trace_start",
                    format!("expected a time like 2022-10-06 22:00:00, found {text:?}"),
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
            bad("carbon_aware.policy", format!("expected one of temporal, spatial, both; found {other:?}"));
            Policy::Temporal
        }
    };
    if policy != Policy::Temporal && raw.sites.is_empty() {
        bad(
            "carbon_aware.policy",
            format!(
                "policy = {:?} moves jobs between sites, but [[carbon_aware.sites]] lists none",
                raw.policy
            ),
        );
    }
    if raw.same_region_only && raw.region.is_none() {
        bad(
            "carbon_aware.same_region_only",
            "same_region_only needs the home site's carbon_aware.region".into(),
        );
    }
    let mut names = vec![raw.site_name.as_str()];
    let mut sites = Vec::new();
    for (i, s) in raw.sites.iter().enumerate() {
        if names.contains(&s.name.as_str()) {
            bad(&format!("carbon_aware.sites[{i}].name"), format!("site name {:?} is used twice", s.name));
        }
        names.push(s.name.as_str());
        if raw.same_region_only && s.region.is_none() {
            bad(
                &format!("carbon_aware.sites[{i}].region"),
                "same_region_only is set: every site needs its region".into(),
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
    if !ok {
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
