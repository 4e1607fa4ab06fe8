//! The unit and a description of every figure of the run's summary, by its
//! dotted path (`cost.per_server_month_usd`, `reliability.availability_ci95[0]`),
//! for the columns of a sweep table.
//!
//! Units follow the project's naming rule (a quantity carries its unit in its
//! name: `_usd`, `_kw`, `_mwh`, `_hours`, `_per_year`, …), read from the last
//! key that carries one; a figure inside a group (`percentiles.p99`,
//! `_ci95[1]`) takes the unit of the figure it describes. Descriptions are
//! written out for the headline figures and composed from the path's words
//! for the rest (section › figure, percentile or interval bound), so a new
//! summary field is described without touching this file. Simplification:
//! the composed descriptions are the field names in words, not the doc
//! comments of the summary types.

/// Unit and description of the summary figure at `path`.
pub fn describe(path: &str) -> (String, String) {
    (unit(path), description(path))
}

/// Headline figures described in full (path, description).
const DESCRIBED: &[(&str, &str)] = &[
    ("scenario.seed", "Seed of every random stream of the run"),
    ("scenario.servers", "Servers in the fleet"),
    ("scenario.vcpus", "Virtual CPUs in the fleet"),
    ("scenario.critical_power_kw", "Critical (IT) power capacity of the facility"),
    (
        "cost.total_monthly_usd",
        "Total cost of ownership per month: amortized capital, energy, people, maintenance",
    ),
    ("cost.per_server_month_usd", "Total cost per server per month"),
    ("cost.per_server_hour_usd", "Total cost per server per hour"),
    ("cost.per_critical_kw_month_usd", "Total cost per kW of critical power per month"),
    ("cost.per_vcpu_hour_usd", "Price floor per vCPU-hour at the fleet's mean CPU utilization"),
    ("cost.per_gpu_hour_usd", "Price floor per used accelerator (GPU) hour at the assumed utilization"),
    ("cost.per_gpu_hour_assumed_utilization", "Accelerator utilization the price per GPU-hour assumes"),
    ("it.accelerators.count", "Accelerators (GPUs) in the fleet"),
    ("it.accelerators.tdp_total_kw", "Thermal design power of all the fleet's accelerators"),
    (
        "cost.fully_burdened_power_monthly_usd",
        "Fully burdened cost of power per month: energy plus power and cooling infrastructure",
    ),
    ("cost.fully_burdened_power_share", "Share of the total monthly cost that is fully burdened power"),
    ("cost.mean_cpu_utilization", "Mean CPU utilization of the fleet used for the price per vCPU-hour"),
    ("pue.annual", "Annual power usage effectiveness: facility energy over IT energy"),
    ("pue.min_hourly", "Lowest hourly PUE of the year"),
    ("pue.max_hourly", "Highest hourly PUE of the year"),
    ("energy.it_mwh", "IT energy over the year, at the equipment input"),
    ("energy.facility_mwh", "Facility energy drawn from the utility over the year"),
    ("energy.cooling_mwh", "Cooling plant energy over the year"),
    ("energy.cost_usd", "Energy cost over the year"),
    ("carbon.operational_t", "Operational emissions over the year (energy × grid intensity)"),
    ("carbon.embodied_t", "Embodied emissions amortized per year (servers and building)"),
    ("carbon.total_t", "Operational plus embodied emissions per year"),
    ("carbon.mean_intensity_g_per_kwh", "Energy-weighted mean carbon intensity of the grid"),
    (
        "carbon.market_based_t",
        "Market-based emissions over the year: consumption no contracted clean energy or certificate covers × the residual mix",
    ),
    (
        "carbon.cfe_score",
        "24/7 carbon-free-energy score: consumption matched hour by hour by contracted clean supply, over consumption",
    ),
    ("reliability.availability", "Mean fraction of time every rack had power and cooling"),
    (
        "water.wue_l_per_kwh",
        "Site water usage effectiveness: litres of water over IT kWh (The Green Grid WP #35)",
    ),
    (
        "water.annual_m3",
        "Water drawn by cooling towers and adiabatic pads over the year (evaporation plus blowdown)",
    ),
    ("cooling.liquid.captured_share", "Share of the year's indoor heat carried by the facility water"),
    ("cooling.liquid.chiller_hours", "Hours the liquid plant's trim chillers ran"),
    ("cooling.liquid.dry_cooler_only_hours", "Hours the dry coolers alone met the facility water set point"),
    ("reliability.capacity_availability", "Mean fraction of server capacity serving"),
    ("reliability.downtime_hours_per_year", "Mean hours a year without IT power"),
    ("reliability.outages_per_year", "Mean outages of IT power a year"),
    ("reliability.capacity_hours_lost_per_year", "Mean server-hours a year of capacity not serving"),
    ("training.goodput", "Mean share of the run's wall-clock time whose training work was kept"),
    ("training.mean_hours_between_interruptions", "Mean hours of the training run between interruptions"),
    ("training.lost_gpu_hours", "Accelerator-hours of the run that produced no kept work"),
    ("power_dynamics.swing_mw", "Largest less smallest power of the training waveform at the meter"),
    ("power_dynamics.max_ramp_mw_per_s", "Largest ramp of the training waveform at the meter"),
];

/// Suffixes of a name and the unit they carry, longest first where one
/// ends another.
const SUFFIXES: &[(&str, &str)] = &[
    ("work_per_tco_usd", "work/USD"),
    ("work_per_usd", "work/USD"),
    ("work_per_joule", "work/J"),
    ("_usd_per_mw_month", "USD/MW-month"),
    ("_usd_per_kw_month", "USD/kW-month"),
    ("_t_per_mw_month", "t CO2e/MW-month"),
    ("per_server_month_usd", "USD/server-month"),
    ("per_server_hour_usd", "USD/server-hour"),
    ("per_critical_kw_month_usd", "USD/kW-month"),
    ("per_vcpu_hour_usd", "USD/vCPU-hour"),
    ("per_gpu_hour_usd", "USD/GPU-hour"),
    ("per_mw_month_usd", "USD/MW-month"),
    ("monthly_usd", "USD/month"),
    ("gpu_hour_usd", "USD/GPU-hour"),
    ("_mwh_per_year", "MWh/year"),
    ("kwh_per_rack", "kWh"),
    ("kw_per_rack", "kW"),
    ("_days", "days"),
    ("gpu_hours", "GPU-h"),
    ("hours_between_interruptions", "h"),
    ("_mw_per_s", "MW/s"),
    ("_w_per_accelerator", "W"),
    ("_interval_min", "min"),
    ("restart_min", "min"),
    ("_hz", "Hz"),
    ("_usd_per_year", "USD/year"),
    ("_hours_per_year", "h/year"),
    ("_per_year", "1/year"),
    ("_g_per_kwh", "g CO2e/kWh"),
    ("_l_per_kwh", "L/kWh"),
    ("_m3", "m³"),
    ("_usd", "USD"),
    ("_mwh", "MWh"),
    ("_kwh", "kWh"),
    ("_mw", "MW"),
    ("_kw", "kW"),
    ("_w", "W"),
    ("_t", "t CO2e"),
    ("_hours", "h"),
    ("_h", "h"),
    ("_ms", "ms"),
    ("_s", "s"),
    ("_c", "°C"),
    ("_pa", "Pa"),
    ("_m", "m"),
    ("_years", "years"),
    ("_month", "month index"),
    ("_months", "months"),
];

/// Names (or endings) of dimensionless figures.
const RATIOS: &[&str] = &[
    "pue",
    "annual",
    "min_hourly",
    "max_hourly",
    "availability",
    "share",
    "fraction",
    "loading",
    "utilization",
    "_ratio",
    "over_critical",
    "work_rate",
    "_score",
    "goodput",
    "goodput_first_order",
];

/// The key names of `path` from the last back, without list indices.
fn keys(path: &str) -> Vec<&str> {
    let mut keys: Vec<&str> = path.split('.').map(|k| k.split('[').next().unwrap_or(k)).collect();
    keys.reverse();
    keys
}

fn unit(path: &str) -> String {
    for key in keys(path) {
        let key = key.trim_end_matches("_ci95").trim_end_matches("_percentiles");
        // `npv_usd_p95`: a percentile of `npv_usd`.
        let key = match key.rsplit_once("_p") {
            Some((figure, digits)) if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) => {
                figure
            }
            _ => key,
        };
        if let Some((_, unit)) =
            SUFFIXES.iter().find(|(suffix, _)| key.ends_with(suffix) || key == &suffix[1..])
        {
            return (*unit).to_string();
        }
        if RATIOS.iter().any(|r| key == r.trim_start_matches('_') || key.ends_with(r)) {
            return "1 (ratio)".to_string();
        }
        if key == "count" || key.ends_with("_count") {
            return "count".to_string();
        }
        // Otherwise a name without a unit (`capex_usd.servers`, a percentile
        // `p99`) takes the unit of the group it is in, if any.
    }
    "count".to_string()
}

fn description(path: &str) -> String {
    if let Some((_, text)) = DESCRIBED.iter().find(|(p, _)| *p == path) {
        return (*text).to_string();
    }
    // `a.b_ci95[1]`: the upper bound of b's interval.
    let (base, bound) = match path.strip_suffix("_ci95[0]") {
        Some(base) => (base, Some("lower")),
        None => match path.strip_suffix("_ci95[1]") {
            Some(base) => (base, Some("upper")),
            None => (path, None),
        },
    };
    let base_text = DESCRIBED.iter().find(|(p, _)| *p == base).map(|(_, t)| (*t).to_string());
    let text = base_text.unwrap_or_else(|| {
        base.split('.')
            .map(|part| {
                let (name, index) = part.split_once('[').map_or((part, None), |(n, i)| (n, Some(i)));
                let words = match name {
                    "p50" => "median".to_string(),
                    "max" => "largest".to_string(),
                    p if p.starts_with('p') && p[1..].chars().all(|c| c.is_ascii_digit()) && p.len() > 1 => {
                        format!("{}th percentile", &p[1..])
                    }
                    other => other.replace('_', " "),
                };
                match index {
                    Some(i) => format!("{words} #{}", i.trim_end_matches(']')),
                    None => words,
                }
            })
            .collect::<Vec<_>>()
            .join(" › ")
    });
    match bound {
        Some(side) => format!("{text}: {side} bound of the 95% confidence interval"),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_come_from_the_name_or_the_figure_a_group_describes() {
        let u = |p: &str| unit(p);
        assert_eq!(u("cost.per_server_month_usd"), "USD/server-month");
        assert_eq!(u("cost.monthly_usd.energy"), "USD/month");
        assert_eq!(u("cost.capex_usd.servers"), "USD");
        assert_eq!(u("cost.capex_usd.liquid_cooling"), "USD");
        assert_eq!(u("water.wue_l_per_kwh"), "L/kWh");
        assert_eq!(u("water.annual_m3"), "m³");
        assert_eq!(u("cooling.liquid.captured_share"), "1 (ratio)");
        assert_eq!(u("cooling.liquid.chiller_hours"), "h");
        assert_eq!(u("energy.it_mwh"), "MWh");
        assert_eq!(u("pue.annual"), "1 (ratio)");
        assert_eq!(u("training.goodput_ci95[1]"), "1 (ratio)");
        assert_eq!(u("training.cost_per_useful_gpu_hour_usd"), "USD/GPU-hour");
        assert_eq!(u("training.lost_gpu_hours"), "GPU-h");
        assert_eq!(u("training.mean_hours_between_interruptions_ci95[0]"), "h");
        assert_eq!(u("training.optimal_checkpoint_interval_min"), "min");
        assert_eq!(u("power_dynamics.site_bess.after.max_ramp_mw_per_s"), "MW/s");
        assert_eq!(u("power_dynamics.power_floor.wasted_mwh_per_year"), "MWh/year");
        assert_eq!(u("power_dynamics.rack_storage.kwh_per_rack"), "kWh");
        assert_eq!(u("reliability.availability_ci95[0]"), "1 (ratio)");
        assert_eq!(u("reliability.downtime_hours_per_year_percentiles.p99"), "h/year");
        assert_eq!(u("reliability.outage_hours.percentiles.p90"), "h");
        assert_eq!(u("reliability.outages_per_year"), "1/year");
        assert_eq!(u("carbon.operational_t"), "t CO2e");
        assert_eq!(u("carbon.mean_intensity_g_per_kwh"), "g CO2e/kWh");
        assert_eq!(u("carbon.market_based_t"), "t CO2e");
        assert_eq!(u("carbon.cfe_score"), "1 (ratio)");
        assert_eq!(u("plan.sites.seattle.economics.it_usd_per_mw_month"), "USD/MW-month");
        assert_eq!(u("network.sizing.spine_switches"), "count");
        assert_eq!(u("reliability.outage_hours.count"), "count");
        assert_eq!(u("cost.share.energy"), "1 (ratio)");
        assert_eq!(u("scenario.critical_power_kw"), "kW");
        assert_eq!(u("plan.npv_usd_p95"), "USD");
        assert_eq!(u("skus[0].work_per_tco_usd"), "work/USD");
    }

    #[test]
    fn descriptions_name_bounds_and_percentiles() {
        assert_eq!(
            description("reliability.availability_ci95[1]"),
            "Mean fraction of time every rack had power and cooling: upper bound of the 95% confidence interval"
        );
        assert_eq!(
            description("reliability.outage_hours.percentiles.p99"),
            "reliability › outage hours › percentiles › 99th percentile"
        );
        assert_eq!(description("skus[1].work_per_usd"), "skus #1 › work per usd");
        assert_eq!(
            description("pue.annual"),
            "Annual power usage effectiveness: facility energy over IT energy"
        );
    }
}
