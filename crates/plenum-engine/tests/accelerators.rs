//! Accelerator servers, rack density and the power-delivery stages built for
//! them (busways, DC power shelves): presets resolve to their datasheets, the
//! price per GPU-hour is the total over used accelerator-hours, and a shelf
//! has losses, loading, stranded power and a place in the capacity advice
//! like any stage.

use plenum_engine::{Inputs, Results};
use plenum_models::power_chain::Stage;
use plenum_scenario::presets::delivery_kind;
use plenum_scenario::raw::StageKind;
use plenum_scenario::{Level, Scenario};

/// 100 DGX H100 servers (800 GPUs, 1,020 kW at nameplate) at Ashburn, in
/// racks of 41 kW fed by a busway per row and N+N 48 V power shelves.
const HALL: &str = r#"
[scenario]
name = "gpu-test"
seed = 1

[finance]
cost_of_money_annual = 0.05
server_amortization_years = 4
facility_amortization_years = 15

[facility]
critical_power_kw = 1100
cost_usd_per_critical_w = 11.0
power_cooling_share = 0.82

[[servers]]
name = "dgx"
count = 100
price_usd = 300000
cores = 112
memory_gib = 2048

[servers.accelerators]
preset = "dgx-h100"

[energy]
price_usd_per_kwh = 0.07

[utilization]
mean_cpu_fraction = 0.8

[site]
climate = "ashburn"

[power_chain]
rack_power_kw = 41

[[power_chain.stages]]
name = "ups"
level = "site"
redundancy = "n+1"
no_load_loss = 0.00949
proportional_loss = 0.01058
square_loss = 0.01701

[[power_chain.stages]]
name = "busway"
level = "pdu"
kind = "busway"

[[power_chain.stages]]
name = "shelf"
level = "rack"
kind = "power_shelf_dc"

[cooling]
preset = "modern"
"#;

fn hall(edit: &[(&str, &str)]) -> Result<Scenario, plenum_scenario::ScenarioError> {
    let mut text = HALL.to_string();
    for (from, to) in edit {
        assert!(text.contains(from), "{from}");
        text = text.replacen(from, to, 1);
    }
    Scenario::from_toml_str(&text, "gpu-test.toml")
}

fn run(s: &Scenario) -> Results {
    plenum_engine::run(s, &Inputs::default()).unwrap()
}

#[test]
fn a_dgx_h100_preset_is_its_datasheet_and_fills_racks_by_power() {
    let s = hall(&[]).unwrap();
    // 8 x 700 W on a 4.6 kW host: 10.2 kW (NVIDIA DGX H100 datasheet); idle
    // 1.4 kW host plus 8 x 70 W.
    assert_eq!(s.servers[0].peak_power_w, 10_200.0);
    assert_eq!(s.servers[0].idle_power_w, 1_960.0);
    assert_eq!(s.accelerator_count(), 800);
    // 41 kW holds four 10.2 kW servers.
    assert_eq!(s.physics.as_ref().unwrap().power_chain.servers_per_rack, 4);
    let summary = run(&s).summary();
    let a = summary.it.accelerators.as_ref().unwrap();
    assert_eq!((a.count, a.servers), (800, 100));
    assert!((a.tdp_total_kw - 560.0).abs() < 1e-9 && (a.idle_total_kw - 56.0).abs() < 1e-9);
    assert!((a.servers_nameplate_kw - 1_020.0).abs() < 1e-9);
    assert!((summary.it.nameplate_kw - 1_020.0).abs() < 1e-9);
    assert!((a.tdp_share_of_nameplate - 560.0 / 1_020.0).abs() < 1e-12);
}

#[test]
fn keys_beside_a_preset_replace_its_figures() {
    let s = hall(&[("preset = \"dgx-h100\"\n", "preset = \"dgx-h100\"\ntdp_w = 800\n")]).unwrap();
    assert_eq!(s.servers[0].peak_power_w, 4_600.0 + 8.0 * 800.0);
    let s = hall(&[("memory_gib = 2048\n", "memory_gib = 2048\npeak_power_w = 5000\n")]).unwrap();
    assert_eq!(s.servers[0].peak_power_w, 5_000.0 + 5_600.0);
    let e = hall(&[("memory_gib = 2048\n", "memory_gib = 2048\npower_model = \"table\"\n")]).unwrap_err();
    assert!(e.to_string().contains("with accelerators use a curve"), "{e}");
}

#[test]
fn the_gpu_hour_is_the_total_over_used_accelerator_hours() {
    let summary = run(&hall(&[]).unwrap()).summary();
    let u = summary.cost.per_gpu_hour_assumed_utilization.unwrap();
    // A constant profile: the year's mean is the scenario's.
    assert!((u - 0.8).abs() < 1e-12, "{u}");
    let expected = summary.cost.total_monthly_usd / (800.0 * 730.0 * u);
    let per_gpu_hour = summary.cost.per_gpu_hour_usd.unwrap();
    assert!((per_gpu_hour - expected).abs() <= 1e-12 * expected, "{per_gpu_hour} vs {expected}");
    // In the range GPU clouds charge for an H100-hour ($2-4), as a floor should be.
    assert!(per_gpu_hour > 1.0 && per_gpu_hour < 4.0, "{per_gpu_hour}");
}

#[test]
fn a_fleet_without_accelerators_reports_none() {
    let json = run(&Scenario::embedded_default()).summary().to_value();
    assert!(json["it"].get("accelerators").is_none(), "{}", json["it"]);
    assert!(json["cost"].get("per_gpu_hour_usd").is_none());
    assert!(json["cost"].get("per_gpu_hour_assumed_utilization").is_none());
}

#[test]
fn power_shelves_lose_load_and_strand_like_any_stage() {
    let s = hall(&[]).unwrap();
    let summary = run(&s).summary();
    let chain = summary.power_chain.as_ref().unwrap();
    let shelf = chain.get("shelf").unwrap();
    // 25 racks of 41 kW; N+N shelves of 5.5 kW rectifiers: 8 needed, 16 installed.
    assert_eq!((shelf.instances, shelf.capacity_kw, shelf.installed_units), (25, 41.0, 16.0));
    // Every hour a rack draws 4 x (1,960 + 8,240 x 0.8) W = 34.208 kW.
    let rack_kw = 4.0 * (1_960.0 + 8_240.0 * 0.8) / 1_000.0;
    let kind = delivery_kind(StageKind::PowerShelfDc);
    let stage = Stage {
        name: "shelf".into(),
        units_needed: 8,
        unit_rating_kw: 41.0 / 8.0,
        redundancy: kind.redundancy,
        loss: kind.loss,
        indoor: true,
    };
    let expected_mwh = 25.0 * stage.loss_kw(rack_kw) * 8_760.0 / 1_000.0;
    assert!(
        (shelf.losses_mwh - expected_mwh).abs() < 1e-6 * expected_mwh,
        "{} vs {expected_mwh}",
        shelf.losses_mwh
    );
    assert!((shelf.peak_loading - rack_kw / 41.0).abs() < 1e-9);
    assert!((shelf.stranded_kw - 25.0 * (41.0 - rack_kw)).abs() < 1e-6);
    // The busway: two rows of 20 racks, I²R only.
    let busway = chain.get("busway").unwrap();
    assert_eq!(busway.instances, 2);
    assert!(busway.losses_mwh > 0.0);
    assert_eq!(s.physics.as_ref().unwrap().power_chain.stages[2].level, Level::Rack);
}

#[test]
fn the_capacity_advice_names_a_shelf_that_binds() {
    // Shelves of 30 kW under racks drawing 34.2 kW: no server more fits, and
    // the shelf's spares carry the load (redundancy lost, not overloaded).
    let s =
        hall(&[("kind = \"power_shelf_dc\"\n", "kind = \"power_shelf_dc\"\ncapacity_kw = 30\n")]).unwrap();
    let r = run(&s);
    let o = &r.summary().oversubscription.unwrap();
    assert_eq!(o.binding_stage, "shelf");
    assert_eq!(o.max_servers, Some(0));
    assert!(o.loadings_at_percentile.iter().any(|(name, v)| *name == "shelf" && *v > 1.0));
    let lost: Vec<_> = r.warnings.iter().filter(|w| w.code == "redundancy_lost").collect();
    assert!(lost.iter().any(|w| w.message.starts_with("stage shelf")), "{:?}", r.warnings);
}

#[test]
fn racks_over_their_limits_warn_and_one_server_over_them_is_an_error() {
    let s =
        hall(&[("rack_power_kw = 41\n", "rack_power_kw = 30\nservers_per_rack = 4\nrack_cooling_kw = 25\n")])
            .unwrap();
    let r = run(&s);
    let power: Vec<_> = r.warnings.iter().filter(|w| w.code == "rack_over_power").collect();
    assert_eq!(power.len(), 1, "{:?}", r.warnings);
    assert_eq!(power[0].field, "power_chain.rack_power_kw");
    assert!(
        power[0].message.contains("40.8 kW") && power[0].message.contains("136.0%"),
        "{}",
        power[0].message
    );
    let cooling: Vec<_> = r.warnings.iter().filter(|w| w.code == "rack_over_cooling").collect();
    assert_eq!(cooling.len(), 1, "{:?}", r.warnings);
    assert_eq!(cooling[0].field, "power_chain.rack_cooling_kw");
    // Within the limits: no warning.
    let r = run(&hall(&[("rack_power_kw = 41\n", "rack_power_kw = 41\nrack_cooling_kw = 45\n")]).unwrap());
    assert!(!r.warnings.iter().any(|w| w.code.starts_with("rack_over")), "{:?}", r.warnings);
    // One 10.2 kW server cannot fit a rack of 8 kW.
    let e = hall(&[("rack_power_kw = 41\n", "rack_power_kw = 8\n")]).unwrap_err();
    let text = e.to_string();
    assert!(text.contains("power_chain.rack_power_kw") && text.contains("not one fits"), "{text}");
}
