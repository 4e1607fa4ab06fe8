//! The validated `[workload]` section: which trace or generator, which hosts,
//! and how tasks are placed, queued and powered. Relative paths are resolved
//! against the scenario's folder and checked (`resolve_paths`); a path
//! whose `${PLENUM_DATA}` is not set stays as written, so a scenario validates
//! without the data present and `plenum-io` says which variable is missing
//! when a run loads the workload.

use crate::paths::{PathKind, data_path};
use crate::problems::Problems;
pub use crate::raw::PowerModel;
pub use crate::raw::workload::MemoryUnit;
use crate::raw::workload::{Placement, QueueRule, RawWorkload, TraceSource};
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
        /// Unit of `mem_capacity`.
        memory_unit: MemoryUnit,
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
        /// How host power follows utilization ([`host_power_model`]; never `table`).
        power_model: PowerModel,
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

/// Validate `[workload]`, adding its problems to `p`.
pub(crate) fn validate(raw: &RawWorkload, p: &mut Problems<'_>) -> Option<Workload> {
    let before = p.count();
    let core_mhz = raw.core_mhz.unwrap_or(0.0);
    let need_core_mhz = |why: &str, p: &mut Problems<'_>| {
        if raw.core_mhz.is_none() {
            p.add("workload", format!("missing key `core_mhz`: {why}"), None);
        }
    };
    let path = |p: &mut Problems<'_>| match &raw.path {
        Some(path) => path.clone(),
        None => {
            p.add("workload", format!("missing key `path`: source \"{}\" reads a trace", raw.source), None);
            String::new()
        }
    };
    let source = match raw.source {
        TraceSource::OpenDc => Some(WorkloadSource::OpenDc { path: path(p), memory_unit: raw.memory_unit }),
        TraceSource::Bitbrains => Some(WorkloadSource::Bitbrains { path: path(p) }),
        TraceSource::Azure => {
            need_core_mhz("Azure traces give CPU in percent", p);
            Some(WorkloadSource::Azure { path: path(p), core_mhz })
        }
        TraceSource::Swf => {
            need_core_mhz("SWF logs give processors, not clock speed", p);
            Some(WorkloadSource::Swf { path: path(p), core_mhz })
        }
        TraceSource::Generate => {
            need_core_mhz("generated VMs need a vCPU clock", p);
            match &raw.generate {
                None => {
                    p.add("workload", "missing table `[workload.generate]` for source \"generate\"", None);
                    None
                }
                Some(g) => {
                    if g.utilization_min > g.utilization_max {
                        p.add(
                            "workload.generate.utilization_min",
                            format!(
                                "utilization_min {} is above utilization_max {}",
                                g.utilization_min, g.utilization_max
                            ),
                            None,
                        );
                    }
                    if g.cpu_counts.contains(&0) {
                        p.add("workload.generate.cpu_counts", "expected positive vCPU counts, found 0", None);
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
        TraceSource::RoundRobinJobs => {
            need_core_mhz("jobs run at full load on one vCPU of this clock", p);
            match &raw.jobs {
                None => {
                    p.add(
                        "workload",
                        "missing table `[workload.jobs]` for source \"round_robin_jobs\"",
                        None,
                    );
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
    };
    let hosts = match &raw.topology {
        Some(path) => HostSource::OpenDcTopology { path: path.clone() },
        None => {
            need_core_mhz("hosts from [[servers]] need a vCPU clock", p);
            let model = raw.power_model;
            if model == PowerModel::Table {
                p.add(
                    "workload.power_model",
                    "power_model \"table\" reads a SKU's `power_table_w`, which the replay does not take",
                    Some("the replay takes linear, fwb, sqrt, square, cubic or power"),
                );
            }
            if model == PowerModel::Power && raw.power_exponent.is_none() {
                p.add(
                    "workload",
                    "missing key `power_exponent`: power_model \"power\" is u^power_exponent",
                    None,
                );
            }
            if raw.power_exponent.is_some() && !model.takes_exponent() {
                p.add(
                    "workload.power_exponent",
                    format!("power_model \"{model}\" has no exponent (use \"power\" or \"fwb\")"),
                    None,
                );
            }
            HostSource::Servers { power_model: model, core_mhz, power_exponent: raw.power_exponent }
        }
    };
    let placement = match raw.placement {
        Placement::FirstFit => Policy::FirstFit,
        Placement::BestFit => Policy::BestFit,
        Placement::WorstFit => Policy::WorstFit,
        Placement::MostFreeMemory => Policy::MostFreeMemory,
        Placement::Random => Policy::Random,
        Placement::PowerAware => Policy::PowerAware,
        Placement::RoundRobin => Policy::RoundRobin,
    };
    let flexibility = raw.flexibility.as_ref().and_then(|f| crate::carbon_aware::validate_flexibility(f, p));
    if p.count() > before {
        return None;
    }
    Some(Workload {
        source: source?,
        hosts,
        placement,
        cpu_overcommit: raw.cpu_overcommit,
        queue: match raw.queue {
            QueueRule::Fifo => Queue::Fifo,
            QueueRule::Reject => Queue::Reject,
        },
        power_down_idle: raw.power_down_idle,
        wake_up_delay_ms: (raw.wake_up_delay_s * 1000.0).round() as u64,
        sample_interval_ms: raw.sample_interval_s * 1000,
        host_series: raw.host_series,
        until_ms: raw.until_s.map(|s| (s * 1000.0).round() as u64),
        flexibility,
    })
}

/// The replay's power model of a host with a SKU's idle and peak power:
/// `power` starts at exponent 1 until `with_exponent` sets it, as `fwb` at
/// r = 1.4; `None` for `table`, which the replay does not take.
pub fn host_power_model(model: PowerModel, idle_w: f64, peak_w: f64) -> Option<PowerCurve> {
    // `table` needs a SKU's points, which a replay host does not carry.
    PowerCurve::by_name(model.as_str(), idle_w, peak_w)
}

/// Resolve the paths of a validated workload against the scenario's folder
/// (as `[site]` paths), reporting paths that do not exist or are of the
/// wrong kind.
pub(crate) fn resolve_paths(mut w: Workload, p: &mut Problems<'_>) -> Workload {
    let field = "workload.path";
    match &mut w.source {
        WorkloadSource::OpenDc { path, .. } | WorkloadSource::Azure { path, .. } => {
            *path = data_path(p, field, path, PathKind::Folder);
        }
        WorkloadSource::Bitbrains { path } => *path = data_path(p, field, path, PathKind::FileOrFolder),
        WorkloadSource::Swf { path, .. } => *path = data_path(p, field, path, PathKind::File),
        WorkloadSource::Generated(_) | WorkloadSource::RoundRobinJobs { .. } => {}
    }
    if let HostSource::OpenDcTopology { path } = &mut w.hosts {
        *path = data_path(p, "workload.topology", path, PathKind::File);
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_replay_power_model_runs_from_idle_to_peak() {
        for model in PowerModel::ALL {
            let curve = host_power_model(*model, 30.0, 200.0);
            assert_eq!(curve.is_none(), *model == PowerModel::Table, "{model}");
            if let Some(c) = curve {
                assert_eq!((c.power_w(0.0), c.power_w(1.0)), (30.0, 200.0), "{model}");
            }
        }
    }
}
