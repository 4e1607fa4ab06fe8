//! The validated `[workload]` section: which trace or generator, which hosts,
//! and how tasks are placed, queued and powered. Relative paths are resolved
//! against the scenario's folder and checked ([`resolve_paths`]); a path
//! whose `${PLENUM_DATA}` is not set stays as written, so a scenario validates
//! without the data present and `plenum-io` says which variable is missing
//! when a run loads the workload.

use crate::raw::workload::RawWorkload;
pub use plenum_models::generators::VmWorkload;
use plenum_models::it_power::PowerCurve;
pub use plenum_models::placement::Policy;

/// A validated workload replay.
#[derive(Debug, Clone, PartialEq)]
pub struct Workload {
    /// Where tasks come from.
    pub source: WorkloadSource,
    /// Where hosts come from.
    pub hosts: HostSource,
    /// Placement policy.
    pub placement: Policy,
    /// vCPUs per physical slot (≥ 1).
    pub cpu_overcommit: f64,
    /// Wait in order, or reject, when nothing fits.
    pub queue: Queue,
    /// Switch empty hosts off.
    pub power_down_idle: bool,
    /// Boot time of a switched-off host, ms.
    pub wake_up_delay_ms: u64,
    /// Interval of the output series, ms.
    pub sample_interval_ms: u64,
    /// Produce the per-host series.
    pub host_series: bool,
    /// End of the replay, ms after the first submission (`None`: when work ends).
    pub until_ms: Option<u64>,
    /// Which jobs may move in time, for `[carbon_aware]`.
    pub flexibility: Option<crate::carbon_aware::FlexibilityRule>,
}

/// Source of tasks.
#[derive(Debug, Clone, PartialEq)]
pub enum WorkloadSource {
    /// OpenDC workload folder.
    OpenDc {
        /// Folder (unexpanded).
        path: String,
        /// `auto`, `kib`, `mib` or `gib`.
        memory_unit: String,
    },
    /// Bitbrains GWA-T-12 file or folder.
    Bitbrains {
        /// Path (unexpanded).
        path: String,
    },
    /// Azure V1 folder.
    Azure {
        /// Folder (unexpanded).
        path: String,
        /// Clock of a vCPU, MHz.
        core_mhz: f64,
    },
    /// SWF log.
    Swf {
        /// File (unexpanded).
        path: String,
        /// Clock of a processor, MHz.
        core_mhz: f64,
    },
    /// Synthetic VM fleet.
    Generated(VmWorkload),
    /// Benchmark jobs for the round-robin comparison.
    RoundRobinJobs {
        /// Jobs.
        jobs: u64,
        /// Cycle of lengths.
        cycle: u64,
        /// Seconds per unit.
        unit_s: f64,
        /// Clock of a core, MHz.
        core_mhz: f64,
    },
}

/// Source of hosts.
#[derive(Debug, Clone, PartialEq)]
pub enum HostSource {
    /// The scenario's `[[servers]]`: one vCPU slot per hardware thread.
    Servers {
        /// Name of the power model (see [`PowerCurve::by_name`]).
        power_model: String,
        /// Clock of one vCPU, MHz.
        core_mhz: f64,
        /// Exponent of the `power` model or `r` of `fwb` (`None`: the model's default).
        power_exponent: Option<f64>,
    },
    /// An OpenDC topology file.
    OpenDcTopology {
        /// Path (unexpanded).
        path: String,
    },
}

/// What happens to work that does not fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    /// Wait in submission order (head-of-line blocking, as OpenDC).
    Fifo,
    /// Reject at once.
    Reject,
}

fn one_of(field: &str, value: &str, names: &[&str], problems: &mut Vec<(String, String)>) {
    if !names.contains(&value) {
        problems.push((field.into(), format!("expected one of {}, found {value:?}", names.join(", "))));
    }
}

/// Validate `[workload]`; `add(field, message)` records each problem.
pub fn validate(raw: &RawWorkload, add: &mut dyn FnMut(&str, String)) -> Option<Workload> {
    let mut problems: Vec<(String, String)> = Vec::new();
    let p = &mut problems;
    let core_mhz = raw.core_mhz.unwrap_or(0.0);
    let need_core_mhz = |why: &str, p: &mut Vec<(String, String)>| {
        if raw.core_mhz.is_none() {
            p.push(("workload".into(), format!("missing key `core_mhz`: {why}")));
        }
    };
    let path = |p: &mut Vec<(String, String)>| match &raw.path {
        Some(path) => path.clone(),
        None => {
            p.push(("workload".into(), format!("missing key `path`: source {:?} reads a trace", raw.source)));
            String::new()
        }
    };
    let source = match raw.source.as_str() {
        "opendc" => {
            one_of("workload.memory_unit", &raw.memory_unit, &["auto", "kib", "mib", "gib"], p);
            Some(WorkloadSource::OpenDc { path: path(p), memory_unit: raw.memory_unit.clone() })
        }
        "bitbrains" => Some(WorkloadSource::Bitbrains { path: path(p) }),
        "azure" => {
            need_core_mhz("Azure traces give CPU in percent", p);
            Some(WorkloadSource::Azure { path: path(p), core_mhz })
        }
        "swf" => {
            need_core_mhz("SWF logs give processors, not clock speed", p);
            Some(WorkloadSource::Swf { path: path(p), core_mhz })
        }
        "generate" => {
            need_core_mhz("generated VMs need a vCPU clock", p);
            match &raw.generate {
                None => {
                    p.push((
                        "workload".into(),
                        "missing table `[workload.generate]` for source \"generate\"".into(),
                    ));
                    None
                }
                Some(g) => {
                    if g.utilization_min > g.utilization_max {
                        p.push((
                            "workload.generate.utilization_min".into(),
                            format!(
                                "utilization_min {} is above utilization_max {}",
                                g.utilization_min, g.utilization_max
                            ),
                        ));
                    }
                    if g.cpu_counts.contains(&0) {
                        p.push((
                            "workload.generate.cpu_counts".into(),
                            "expected positive vCPU counts, found 0".into(),
                        ));
                    }
                    Some(WorkloadSource::Generated(VmWorkload {
                        vms: g.vms,
                        arrival_window_s: g.arrival_window_s,
                        median_lifetime_s: g.median_lifetime_s,
                        lifetime_sigma: g.lifetime_sigma,
                        cpu_counts: g.cpu_counts.clone(),
                        core_mhz,
                        memory_mib_per_cpu: g.memory_mib_per_cpu,
                        utilization_range: (g.utilization_min, g.utilization_max),
                        diurnal_amplitude: g.diurnal_amplitude,
                        peak_hour: g.peak_hour,
                        diurnal_step_s: g.diurnal_step_s,
                    }))
                }
            }
        }
        "round_robin_jobs" => {
            need_core_mhz("jobs run at full load on one vCPU of this clock", p);
            match &raw.jobs {
                None => {
                    p.push((
                        "workload".into(),
                        "missing table `[workload.jobs]` for source \"round_robin_jobs\"".into(),
                    ));
                    None
                }
                Some(j) => Some(WorkloadSource::RoundRobinJobs {
                    jobs: j.count,
                    cycle: j.cycle,
                    unit_s: j.unit_s,
                    core_mhz,
                }),
            }
        }
        other => {
            p.push((
                "workload.source".into(),
                format!("expected one of opendc, bitbrains, azure, swf, generate, round_robin_jobs; found {other:?}"),
            ));
            None
        }
    };
    let hosts = match &raw.topology {
        Some(path) => HostSource::OpenDcTopology { path: path.clone() },
        None => {
            one_of("workload.power_model", &raw.power_model, &PowerCurve::NAMES, p);
            need_core_mhz("hosts from [[servers]] need a vCPU clock", p);
            if raw.power_model == "power" && raw.power_exponent.is_none() {
                p.push((
                    "workload".into(),
                    "missing key `power_exponent`: power_model \"power\" is u^power_exponent".into(),
                ));
            }
            if raw.power_exponent.is_some() && !matches!(raw.power_model.as_str(), "power" | "fwb") {
                p.push((
                    "workload.power_exponent".into(),
                    format!("power_model {:?} has no exponent (use \"power\" or \"fwb\")", raw.power_model),
                ));
            }
            HostSource::Servers {
                power_model: raw.power_model.clone(),
                core_mhz,
                power_exponent: raw.power_exponent,
            }
        }
    };
    let placement = Policy::by_name(&raw.placement);
    one_of("workload.placement", &raw.placement, &Policy::NAMES, p);
    one_of("workload.queue", &raw.queue, &["fifo", "reject"], p);
    let flexibility = raw.flexibility.as_ref().and_then(|f| {
        crate::carbon_aware::validate_flexibility(f, &mut |field, message| p.push((field.into(), message)))
    });
    if !problems.is_empty() {
        for (field, message) in problems {
            add(&field, message);
        }
        return None;
    }
    Some(Workload {
        source: source?,
        hosts,
        placement: placement?,
        cpu_overcommit: raw.cpu_overcommit,
        queue: if raw.queue == "reject" { Queue::Reject } else { Queue::Fifo },
        power_down_idle: raw.power_down_idle,
        wake_up_delay_ms: (raw.wake_up_delay_s * 1000.0).round() as u64,
        sample_interval_ms: raw.sample_interval_s * 1000,
        host_series: raw.host_series,
        until_ms: raw.until_s.map(|s| (s * 1000.0).round() as u64),
        flexibility,
    })
}

/// Resolve the paths of a validated workload through `resolve(field, path,
/// kind)` (relative paths against the scenario's folder, as `[site]` paths;
/// `kind` is "file", "folder" or "file or folder"), which also reports paths
/// that do not exist or are of the wrong kind.
pub fn resolve_paths(mut w: Workload, resolve: &mut dyn FnMut(&str, &str, &str) -> String) -> Workload {
    match &mut w.source {
        WorkloadSource::OpenDc { path, .. } | WorkloadSource::Azure { path, .. } => {
            *path = resolve("workload.path", path, "folder");
        }
        WorkloadSource::Bitbrains { path } => *path = resolve("workload.path", path, "file or folder"),
        WorkloadSource::Swf { path, .. } => *path = resolve("workload.path", path, "file"),
        WorkloadSource::Generated(_) | WorkloadSource::RoundRobinJobs { .. } => {}
    }
    if let HostSource::OpenDcTopology { path } = &mut w.hosts {
        *path = resolve("workload.topology", path, "file");
    }
    w
}
