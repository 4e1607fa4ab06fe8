//! The `[training]` study against its goals: Llama 3's interruption rate and
//! goodput, goodput against cluster size and checkpoint interval, the
//! waveform's energy against the hourly year, and the sized site battery
//! replayed.

use plenum_engine::Control;
use plenum_engine::tables::ColumnValues;
use plenum_engine::training::{TrainingPrices, goodput_estimate, replicate, run_controlled, run_spec};
use plenum_models::training::daly_interval_h;
use plenum_models::training_dynamics::{size_storage, smooth_to_ramp};
use plenum_scenario::Scenario;

const SCENARIO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/llama3-scale-training.toml");

fn scenario(overrides: &[&str]) -> Scenario {
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    Scenario::from_path_with(SCENARIO, &overrides).expect("the training scenario loads")
}

const PRICES: TrainingPrices = TrainingPrices { total_monthly_usd: 1e7, price_usd_per_kwh: 0.07 };

fn column<'a>(table: &'a plenum_engine::DataTable, name: &str) -> &'a [f64] {
    match &table.column(name).unwrap_or_else(|| panic!("column {name}")).values {
        ColumnValues::F64(v) => v,
        other => panic!("{name}: {other:?}"),
    }
}

#[test]
fn llama3_rate_gives_its_mtbi_and_over_90_percent_goodput() {
    let s = scenario(&[]);
    let t = s.training.as_ref().expect("[training]");
    let chain = s.physics.as_ref().map(|p| &p.power_chain);
    let r = run_controlled(t, s.seed, chain, PRICES, &Control::default()).unwrap().training;
    // Dubey et al. 2024: 419 interruptions in 54 days, one every 3.1 hours.
    let [lo, hi] = r.mean_hours_between_interruptions_ci95;
    assert!(lo <= 3.1 && 3.1 <= hi, "MTBI interval [{lo}, {hi}]");
    let [lo, hi] = r.interruptions_ci95;
    assert!(lo <= 419.0 && 419.0 <= hi, "interruptions [{lo}, {hi}]");
    // Over 90% effective training time with the published checkpoint write
    // (6.5 TB at 2 TB/s) and a restart of minutes.
    assert!(r.goodput_ci95[0] > 0.90, "goodput {:?}", r.goodput_ci95);
    // The first-order formula agrees with the Monte Carlo at this τ/M.
    assert!((r.goodput - r.goodput_first_order).abs() < 0.01, "{} vs {}", r.goodput, r.goodput_first_order);
    let faulty = &r.interruptions_by_cause[0];
    assert_eq!(faulty.cause, "faulty_gpu");
    assert!(faulty.mean_ci95[0] <= 148.0 && 148.0 <= faulty.mean_ci95[1]);
    plenum_references::case("llama3-interruptions").check(&[
        ("interruptions in 54 days", r.interruptions),
        ("mean hours between interruptions", r.mean_hours_between_interruptions),
        ("faulty GPU interruptions", faulty.mean),
        ("GPU HBM3 interruptions", r.interruptions_by_cause[1].mean),
    ]);
    assert!(r.cost_per_useful_gpu_hour_usd > r.cost_per_gpu_hour_usd);
}

#[test]
fn goodput_falls_as_the_cluster_grows() {
    let s = scenario(&["training.replications=100"]);
    let t = s.training.as_ref().expect("[training]");
    let mut previous: Option<(f64, f64)> = None;
    for gpus in [4_096u64, 16_384, 65_536] {
        let mut t = t.clone();
        t.accelerators = gpus;
        let (spec, _) = run_spec(&t);
        let e = goodput_estimate(&replicate(&spec, 5, 100, &Control::default()).unwrap(), spec.run_hours);
        if let Some((low, _)) = previous {
            assert!(e.ci95_high < low, "{gpus} GPUs: {e:?} not below the smaller cluster's {low}");
        }
        previous = Some((e.ci95_low, e.ci95_high));
    }
}

#[test]
fn young_daly_interval_maximises_goodput_over_a_sweep() {
    let s = scenario(&["training.replications=200"]);
    let t = s.training.as_ref().expect("[training]");
    let (mut spec, source) = run_spec(t);
    assert_eq!(source, "young_daly");
    let optimum_h = daly_interval_h(spec.checkpoint_write_h, spec.mtbi_h());
    let mut at = |factor: f64| {
        spec.checkpoint_interval_h = optimum_h * factor;
        // The same seed for every interval: common random numbers.
        goodput_estimate(&replicate(&spec, 11, 200, &Control::default()).unwrap(), spec.run_hours)
    };
    let best = at(1.0);
    for factor in [0.25, 0.5, 2.0, 4.0] {
        let other = at(factor);
        assert!(
            other.mean <= best.mean + best.half_width(),
            "τ = {factor} × optimum gives {other:?}, above the optimum's {best:?}"
        );
    }
    // And the sweep is not flat: a quarter of the optimum is clearly worse.
    assert!(at(0.25).ci95_high < best.ci95_low);
}

#[test]
fn waveform_mean_equals_the_hourly_figure_for_the_same_load() {
    // Ten whole checkpoint cycles of 30 iterations (180 s) and a 3.3 s write,
    // no interruption in the window.
    let s = scenario(&["training.checkpoint_interval_min=3", "training.window_s=1833"]);
    let mut t = s.training.clone().expect("[training]");
    t.window_interruption_at_s = None;
    let chain = s.physics.as_ref().map(|p| &p.power_chain);
    let r = run_controlled(&t, s.seed, chain, PRICES, &Control::default()).unwrap();
    let it_mw = column(&r.waveform, "it_power_mw");
    assert_eq!(it_mw.len(), 18_330);
    let mean_kw = it_mw.iter().sum::<f64>() / it_mw.len() as f64 * 1_000.0;
    let hourly_kw = r.training.mean_it_power_kw;
    assert!((mean_kw - hourly_kw).abs() < 1e-9 * hourly_kw, "{mean_kw} vs {hourly_kw}");

    // The facility year's IT power for the same load: servers of 8
    // accelerators and their host at the job's mean, as a utilization
    // between idle and peak on a linear curve.
    let per_server_w = hourly_kw * 1_000.0 / 2_048.0;
    let idle_w = 8.0 * (t.accelerator_idle_w + t.host_power_w_per_accelerator);
    let peak_w = 8.0 * (t.accelerator_tdp_w + t.host_power_w_per_accelerator);
    let u = (per_server_w - idle_w) / (peak_w - idle_w);
    let year = plenum_engine::run(
        &scenario(&[&format!("utilization.mean_cpu_fraction={u}")]),
        &plenum_engine::Inputs::default(),
    )
    .unwrap();
    let summary = year.summary();
    let Some(plenum_engine::summary::Energy::Year(energy)) = &summary.energy else {
        panic!("a simulated year")
    };
    let year_it_kw = energy.it_mwh * 1_000.0 / 8_760.0 - summary.network.power_kw;
    assert!(
        (year_it_kw - hourly_kw).abs() < 1e-6 * hourly_kw,
        "year {year_it_kw} kW vs waveform {hourly_kw} kW"
    );
}

#[test]
fn the_sized_site_battery_holds_the_ramp_limit_at_every_step() {
    let s = scenario(&[]);
    let t = s.training.as_ref().expect("[training]");
    let limit_mw_per_s = t.grid_ramp_limit_mw_per_s.expect("a ramp limit");
    let chain = s.physics.as_ref().map(|p| &p.power_chain);
    let r = run_controlled(t, s.seed, chain, PRICES, &Control::default()).unwrap();
    let before = &r.power_dynamics;
    assert!(before.max_ramp_mw_per_s > 10.0 * limit_mw_per_s, "the raw waveform breaks the limit");
    let bess = before.site_bess.as_ref().expect("a sized battery");
    assert!(bess.energy_kwh > 0.0 && bess.power_kw > 0.0 && bess.capex_usd > 0.0);
    // The table's replay, step by step.
    let grid = column(&r.waveform, "site_bess_grid_mw");
    let step_s = t.step_s;
    for (i, pair) in grid.windows(2).enumerate() {
        let ramp = (pair[1] - pair[0]).abs() / step_s;
        assert!(ramp <= limit_mw_per_s * (1.0 + 1e-9), "step {i}: {ramp} MW/s");
    }
    // An independent replay of the meter's waveform with the battery's size.
    let meter_kw: Vec<f64> = column(&r.waveform, "grid_power_mw").iter().map(|mw| mw * 1_000.0).collect();
    let store = size_storage(&meter_kw, step_s, limit_mw_per_s * 1_000.0);
    assert!((store.energy_kwh - bess.energy_kwh).abs() < 1e-9 * bess.energy_kwh);
    let (replayed, ran_out) = smooth_to_ramp(&meter_kw, step_s, limit_mw_per_s * 1_000.0, store);
    assert_eq!(ran_out, 0);
    assert!(
        replayed.windows(2).all(|p| (p[1] - p[0]).abs() / step_s <= limit_mw_per_s * 1_000.0 * (1.0 + 1e-9))
    );
    // Smaller, it cannot.
    let mut small = store;
    small.energy_kwh *= 0.5;
    small.initial_kwh *= 0.5;
    assert!(smooth_to_ramp(&meter_kw, step_s, limit_mw_per_s * 1_000.0, small).1 > 0);
    // Rack storage of the scenario keeps the limit too, and a floor damps the band.
    let rack = before.rack_storage.as_ref().expect("rack storage");
    assert_eq!(rack.steps_over_limit, 0);
    assert!(rack.after.max_ramp_mw_per_s <= limit_mw_per_s);
    let floor = before.power_floor.as_ref().expect("a power floor");
    assert!(floor.after.band_energy_share < before.band_energy_share);
    assert!(floor.wasted_mwh_per_year > 0.0 && floor.wasted_cost_usd_per_year > 0.0);
}
