//! The training section of `plenum run`'s table: goodput and interruptions
//! with their intervals, the checkpoint interval, the cost of a useful
//! GPU-hour, and what the grid sees of the job's power before and after each
//! mitigation, with its cost.

use crate::table::{new_table, right};
use plenum_engine::training::{PowerDynamicsSummary, SignalFigures, TrainingSummary};
use plenum_report::format;
use std::fmt::Write;

/// The training lines, where the scenario has `[training]`.
pub fn render(t: &TrainingSummary, d: Option<&PowerDynamicsSummary>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nTraining: {} accelerators for {} days, {} replications (rates: {})",
        format::number(t.accelerators as f64, 0),
        format::trimmed(t.run_days),
        t.replications,
        t.interruption_rates_source
    );
    let _ = writeln!(
        out,
        "  goodput {} (95% CI {} to {}; first order {}); {:.1} interruptions ({:.1} to {:.1}), one every {:.2} h ({:.2} to {:.2})",
        format::percent(t.goodput, 2),
        format::percent(t.goodput_ci95[0], 2),
        format::percent(t.goodput_ci95[1], 2),
        format::percent(t.goodput_first_order, 2),
        t.interruptions,
        t.interruptions_ci95[0],
        t.interruptions_ci95[1],
        t.mean_hours_between_interruptions,
        t.mean_hours_between_interruptions_ci95[0],
        t.mean_hours_between_interruptions_ci95[1],
    );
    let _ = writeln!(
        out,
        "  checkpoint every {:.2} min ({}; Daly's optimum {:.2}, Young's {:.2}), restart {:.1} min; {:.0} GPU-hours lost; \
         {} per GPU-hour, {} per useful GPU-hour",
        t.checkpoint_interval_min,
        t.checkpoint_interval_source,
        t.optimal_checkpoint_interval_min,
        t.young_checkpoint_interval_min,
        t.restart_min,
        t.lost_gpu_hours,
        format::usd_fixed(t.cost_per_gpu_hour_usd, 3),
        format::usd_fixed(t.cost_per_useful_gpu_hour_usd, 3),
    );
    let Some(d) = d else { return out };
    let mut k = new_table(&[
        "Grid sees",
        "Mean MW",
        "Swing MW",
        "Max ramp MW/s",
        "p99 ramp MW/s",
        "Band share",
        "Cost",
    ]);
    let mut row = |name: String, s: SignalFigures, cost: String| {
        k.add_row(vec![
            name,
            format!("{:.2}", s.mean_mw),
            format!("{:.2}", s.swing_mw),
            format!("{:.2}", s.max_ramp_mw_per_s),
            format!("{:.2}", s.p99_ramp_mw_per_s),
            format::percent(s.band_energy_share, 1),
            cost,
        ]);
    };
    let before = SignalFigures {
        mean_mw: d.mean_mw,
        swing_mw: d.swing_mw,
        max_ramp_mw_per_s: d.max_ramp_mw_per_s,
        p99_ramp_mw_per_s: d.p99_ramp_mw_per_s,
        band_energy_share: d.band_energy_share,
    };
    row("no mitigation".into(), before, "-".into());
    if let Some(f) = &d.power_floor {
        row(
            format!("power floor {:.0} W", f.floor_w_per_accelerator),
            f.after,
            format!("{} a year", format::usd(f.wasted_cost_usd_per_year)),
        );
    }
    if let Some(r) = &d.rack_storage {
        row(
            format!("rack storage ({} racks)", r.racks),
            r.after,
            format!("{} capital, {} steps over", format::usd(r.capex_usd), r.steps_over_limit),
        );
    }
    if let Some(b) = &d.site_bess {
        row(
            format!("site battery {:.0} kWh / {:.0} kW", b.energy_kwh, b.power_kw),
            b.after,
            format!("{} capital", format::usd(b.capex_usd)),
        );
    }
    right(&mut k, 1);
    let _ = writeln!(
        out,
        "\nPower at the {} ({} s at {} ms; band {}-{} Hz, seen up to {} Hz)\n{k}",
        d.measured_at,
        format::trimmed(d.window_s),
        format::trimmed(d.step_ms),
        format::trimmed(d.band_low_hz),
        format::trimmed(d.band_high_hz),
        format::trimmed(d.nyquist_hz),
    );
    out
}
