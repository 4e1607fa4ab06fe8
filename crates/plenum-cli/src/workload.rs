//! `[workload]` in the table output: the replay's figures under the main table.

use plenum_engine::workload::WorkloadSummary;

/// The replay's figures as text lines under the main table.
pub fn table(s: &WorkloadSummary) -> String {
    let w = &s.workload;
    let mut out = format!(
        "\nWorkload replay ({})\n  tasks {}: placed {}, completed {}, rejected {}, unfinished {}\n  \
         CPU core-hours: requested {:.1}, served {:.1}, throttled {:.1}\n  \
         mean wait {:.1} s (max {:.1} s), peak active hosts {} of {}, makespan {:.0} s\n  \
         IT energy {:.4} MWh (mean {:.2} kW)\n",
        w.source,
        w.tasks,
        w.placed,
        w.completed,
        w.rejected,
        w.unfinished,
        w.requested_cpu_core_hours,
        w.served_cpu_core_hours,
        w.throttled_cpu_core_hours,
        w.mean_wait_s,
        w.max_wait_s,
        w.peak_active_hosts,
        w.hosts,
        w.makespan_s,
        s.energy.it_mwh,
        s.energy.mean_it_kw
    );
    for note in &w.notes {
        out.push_str(&format!("  note: {note}\n"));
    }
    out
}
