//! Synthetic workloads: Poisson arrivals, lognormal lifetimes and a diurnal
//! utilization cycle for VM fleets; fixed round-robin job sets for
//! benchmarks.
//!
//! - Arrivals: a homogeneous Poisson process of rate λ has independent
//!   exponential gaps, drawn by inversion as `−ln(U)/λ` (Devroye, "Non-Uniform
//!   Random Variate Generation", 1986, §II.2).
//! - Lifetimes: lognormal, `exp(μ + σZ)` with `μ = ln(median)` and Z standard
//!   normal from the Box–Muller transform (Box and Muller, "A note on the
//!   generation of random normal deviates", Ann. Math. Stat. 1958).
//! - Diurnal utilization: one cosine a day around each VM's own level,
//!   `1 + A·cos(2π(h − h_peak)/24)`, applied fleet-wide as a stepwise
//!   per-mille [`DemandScale`] so demand stays integral.
//!
//! Every random process draws from its own named stream (`plenum-kernel`), so
//! the same seed gives the same trace on any machine and thread count.

use crate::workload::{DemandScale, TaskSpec, Trace, TraceBuilder};
use plenum_kernel::rng::{exponential, index_by_modulo, standard_normal, unit_f64};
use plenum_kernel::stream;

/// Parameters of a synthetic VM fleet workload.
#[derive(Debug, Clone, PartialEq)]
pub struct VmWorkload {
    /// VMs to generate.
    pub vms: u64,
    /// Window over which they arrive, s (the Poisson rate is `vms / window`).
    pub arrival_window_s: f64,
    /// Median VM lifetime, s.
    pub median_lifetime_s: f64,
    /// σ of ln(lifetime).
    pub lifetime_sigma: f64,
    /// vCPU counts, drawn uniformly.
    pub cpu_counts: Vec<u32>,
    /// Clock of one vCPU, MHz.
    pub core_mhz: f64,
    /// Memory per vCPU, MiB.
    pub memory_mib_per_cpu: u64,
    /// Lowest and highest mean utilization of a VM (uniform between).
    pub utilization_range: (f64, f64),
    /// Diurnal swing A (0 = flat).
    pub diurnal_amplitude: f64,
    /// Hour of the daily peak, counted from the trace start.
    pub peak_hour: f64,
    /// Step of the diurnal scale, s.
    pub diurnal_step_s: u64,
}

/// Generate a VM fleet workload from `seed` (streams `workload.arrivals`,
/// `workload.lifetimes`, `workload.shapes`).
pub fn vm_workload(p: &VmWorkload, seed: u64) -> Trace {
    let mut arrivals = stream(seed, "workload.arrivals", 0);
    let mut lifetimes = stream(seed, "workload.lifetimes", 0);
    let mut shapes = stream(seed, "workload.shapes", 0);
    let mean_gap_s = p.arrival_window_s / p.vms.max(1) as f64;
    let mu = p.median_lifetime_s.ln();
    let mut b = TraceBuilder::new(&format!(
        "generated: {} VMs, Poisson arrivals over {} s, lognormal lifetimes (median {} s, sigma {})",
        p.vms, p.arrival_window_s, p.median_lifetime_s, p.lifetime_sigma
    ));
    b.reserve(p.vms as usize, p.vms as usize);
    let mut t_s = 0.0;
    let mut last_end_ms = 0u64;
    for id in 0..p.vms {
        t_s += exponential(&mut arrivals, mean_gap_s);
        let submit_ms = (t_s * 1000.0).round() as u64;
        let life_s = (mu + p.lifetime_sigma * standard_normal(&mut lifetimes)).exp();
        let duration_ms = ((life_s * 1000.0).round() as u64).max(1);
        let cpu_count = p.cpu_counts[index_by_modulo(&mut shapes, p.cpu_counts.len() as u64) as usize];
        let (lo, hi) = p.utilization_range;
        let utilization = lo + (hi - lo) * unit_f64(&mut shapes);
        let capacity_mhz = f64::from(cpu_count) * p.core_mhz;
        b.task(TaskSpec {
            id,
            submit_ms,
            duration_ms,
            cpu_count,
            cpu_capacity_mhz: capacity_mhz,
            memory_mib: u64::from(cpu_count) * p.memory_mib_per_cpu,
        });
        // Whole MHz: demand stays integral, so work is conserved exactly.
        b.fragment(duration_ms, (utilization * capacity_mhz).round());
        last_end_ms = last_end_ms.max(submit_ms + duration_ms);
    }
    if p.diurnal_amplitude > 0.0 {
        let step_ms = p.diurnal_step_s * 1000;
        let steps = last_end_ms / step_ms + 1;
        let permille = (0..steps)
            .map(|k| {
                let hour = (k * step_ms) as f64 / 3_600_000.0;
                let phase = std::f64::consts::TAU * (hour - p.peak_hour) / 24.0;
                (1000.0 * (1.0 + p.diurnal_amplitude * phase.cos())).round().max(0.0) as u32
            })
            .collect();
        b.demand_scale(DemandScale { step_ms, permille });
    }
    b.finish()
}

/// Workload (a) of the peer comparison: `jobs` single-core jobs, all
/// submitted at 0, job `i` running `(1 + i mod cycle) · unit_s` seconds at full
/// load on a core of `core_mhz` (with 1 Gflop/s cores and `unit_s` = 1, job i
/// is `1e9·(1 + i mod 5)` flops). Meant for the `round_robin` placement.
pub fn round_robin_jobs(jobs: u64, cycle: u64, unit_s: f64, core_mhz: f64) -> Trace {
    let mut b = TraceBuilder::new(&format!("generated: {jobs} jobs of (1 + i mod {cycle}) x {unit_s} s"));
    b.reserve(jobs as usize, 0);
    for i in 0..jobs {
        b.task(TaskSpec {
            id: i,
            submit_ms: 0,
            duration_ms: ((1 + i % cycle) as f64 * unit_s * 1000.0).round() as u64,
            cpu_count: 1,
            cpu_capacity_mhz: core_mhz,
            memory_mib: 0,
        });
    }
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> VmWorkload {
        VmWorkload {
            vms: 20_000,
            arrival_window_s: 86_400.0,
            median_lifetime_s: 3_600.0,
            lifetime_sigma: 1.0,
            cpu_counts: vec![1, 2, 4],
            core_mhz: 2_000.0,
            memory_mib_per_cpu: 4_096,
            utilization_range: (0.2, 0.6),
            diurnal_amplitude: 0.3,
            peak_hour: 14.0,
            diurnal_step_s: 3_600,
        }
    }

    #[test]
    fn same_seed_same_trace_other_seed_other_trace() {
        assert_eq!(vm_workload(&params(), 7), vm_workload(&params(), 7));
        assert_ne!(vm_workload(&params(), 7).tasks.submit_ms, vm_workload(&params(), 8).tasks.submit_ms);
    }

    #[test]
    fn statistics_match_the_parameters() {
        let p = params();
        let t = vm_workload(&p, 1);
        let n = t.tasks.len() as f64;
        // Poisson: the last arrival is near the window (sd = window / sqrt(n)).
        let last_s = *t.tasks.submit_ms.last().unwrap() as f64 / 1000.0;
        assert!((last_s - p.arrival_window_s).abs() < 4.0 * p.arrival_window_s / n.sqrt(), "{last_s}");
        // Lognormal: the median lifetime is near the parameter (within 5%).
        let mut d = t.tasks.duration_ms.clone();
        d.sort_unstable();
        let median_s = d[d.len() / 2] as f64 / 1000.0;
        assert!((median_s / p.median_lifetime_s - 1.0).abs() < 0.05, "{median_s}");
        // Utilization within range, integral MHz.
        for (i, &u) in t.fragments.cpu_usage_mhz.iter().enumerate() {
            let cap = t.tasks.cpu_capacity_mhz[i];
            assert!(u >= 0.2 * cap - 0.5 && u <= 0.6 * cap + 0.5 && u.fract() == 0.0);
        }
        // Diurnal scale: peak at hour 14, trough at hour 2.
        let s = t.demand_scale.unwrap();
        assert_eq!(s.permille[14], 1300);
        assert_eq!(s.permille[2], 700);
    }

    #[test]
    fn round_robin_jobs_cycle_their_lengths() {
        let t = round_robin_jobs(7, 5, 1.0, 1000.0);
        assert_eq!(t.tasks.duration_ms, vec![1000, 2000, 3000, 4000, 5000, 1000, 2000]);
        assert!(t.tasks.submit_ms.iter().all(|&s| s == 0));
    }
}
