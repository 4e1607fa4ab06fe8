//! Validation of `[plan]` into [`crate::model::Plan`].

use crate::check::closest;
use crate::model::*;
use crate::paths::data_file;
use crate::physics::{SiteNames, resolve_site};
use crate::presets;
use crate::problems::Problems;
use crate::raw::{BuildPolicy, DemandShape, RawPlan};
use plenum_models::buildout::{DemandCurve, SiteChoice};

/// Validate `[plan]`.
pub(crate) fn plan(p: &mut Problems<'_>, raw: &RawPlan) -> Option<Plan> {
    let before = p.count();
    let d = &raw.demand;
    let ends = |p: &mut Problems<'_>| match (d.start_mw, d.end_mw) {
        (Some(s), Some(e)) => Some((s, e)),
        _ => {
            p.add("plan.demand", format!("a \"{}\" curve needs `start_mw` and `end_mw`", d.curve), None);
            None
        }
    };
    let demand = match d.curve {
        DemandShape::Linear => {
            ends(p).map(|(start_mw, end_mw)| PlanDemand::Curve(DemandCurve::Linear { start_mw, end_mw }))
        }
        DemandShape::Exponential => ends(p).and_then(|(start_mw, end_mw)| {
            if start_mw <= 0.0 {
                p.add("plan.demand.start_mw", "an exponential curve needs `start_mw` > 0", None);
                return None;
            }
            Some(PlanDemand::Curve(DemandCurve::Exponential { start_mw, end_mw }))
        }),
        DemandShape::Logistic => ends(p).map(|(start_mw, end_mw)| {
            PlanDemand::Curve(DemandCurve::Logistic {
                start_mw,
                end_mw,
                midpoint_month: d.midpoint_month.unwrap_or(f64::from(raw.horizon_months) / 2.0),
                steepness_per_month: d.steepness_per_month.unwrap_or(0.1),
            })
        }),
        DemandShape::Csv => match &d.csv {
            Some(text) => data_file(p, "plan.demand.csv", text).map(|path| PlanDemand::Csv {
                path,
                column: d.csv_column.clone().unwrap_or_else(|| "mw".into()),
            }),
            None => {
                p.add("plan.demand", "a \"csv\" curve needs `csv` (the file)", None);
                None
            }
        },
    };
    let m = &raw.module;
    let fail_in_place_annual_fraction = match (m.fail_in_place, m.annual_failure_fraction) {
        (false, _) => 0.0,
        (true, Some(f)) => f,
        (true, None) => {
            p.add("plan.module", "missing key `annual_failure_fraction`: fail-in-place modules need the yearly server failure fraction", None);
            0.0
        }
    };
    let module_power_chain = m.power_chain.map(presets::power_chain);
    let module_cooling = m.cooling.map(presets::cooling);
    let site_choice = match raw.policy.site_choice {
        crate::raw::SiteChoice::Cheapest => SiteChoice::Cheapest,
        crate::raw::SiteChoice::Greenest => SiteChoice::Greenest,
        crate::raw::SiteChoice::InOrder => SiteChoice::InOrder,
    };
    let mut sites = Vec::new();
    for (i, s) in raw.sites.iter().enumerate() {
        let field = |k: &str| format!("plan.sites[{i}].{k}");
        if raw.sites[..i].iter().any(|o| o.name == s.name) {
            p.add(&field("name"), format!("duplicate site name {:?}", s.name), None);
        }
        let names = SiteNames {
            climate: s.climate.as_deref(),
            weather_epw: s.weather_epw.as_deref(),
            grid: s.grid.as_deref(),
            carbon_csv: s.carbon_csv.as_deref(),
            carbon_csv_column: None,
        };
        let (builtin, weather, carbon) = resolve_site(p, &format!("plan.sites[{i}]"), &names, false);
        let max_mw = s.max_mw.unwrap_or(f64::INFINITY);
        if s.initial_mw > max_mw {
            p.add(
                &field("initial_mw"),
                format!("{} MW built is more than the site's {max_mw} MW room", s.initial_mw),
                None,
            );
        }
        sites.push(PlanSite {
            name: s.name.clone(),
            weather,
            carbon,
            utc_offset_hours: builtin.map(|b| b.utc_offset_hours),
            price_usd_per_kwh: s.price_usd_per_kwh,
            cost_usd_per_critical_w: s.cost_usd_per_critical_w,
            max_mw,
            initial_mw: s.initial_mw,
        });
    }
    let build = match raw.policy.build {
        BuildPolicy::Threshold => BuildRule::Threshold {
            utilization: raw.policy.utilization_threshold,
            percentile: raw.policy.forecast_percentile,
        },
        BuildPolicy::Schedule => {
            if raw.schedule.is_empty() {
                p.add("plan.policy.build", "a \"schedule\" policy needs `[[plan.schedule]]` entries", None);
            }
            let mut list = Vec::new();
            for (i, b) in raw.schedule.iter().enumerate() {
                match raw.sites.iter().position(|s| s.name == b.site) {
                    Some(site) => list.push((b.month, site, b.modules)),
                    None => {
                        // Site names are the file's own, so the schema cannot list them.
                        let names: Vec<&str> = raw.sites.iter().map(|s| s.name.as_str()).collect();
                        let help =
                            closest(&b.site, names.iter().copied()).map(|c| format!("did you mean {c:?}?"));
                        p.add(
                            &format!("plan.schedule[{i}].site"),
                            format!("no site {:?} in [[plan.sites]] ({})", b.site, names.join(", ")),
                            help.as_deref(),
                        );
                    }
                }
                if b.month >= raw.horizon_months {
                    p.add(
                        &format!("plan.schedule[{i}].month"),
                        format!("month {} is past the {}-month horizon", b.month, raw.horizon_months),
                        None,
                    );
                }
            }
            BuildRule::Schedule(list)
        }
    };
    if p.count() > before {
        return None;
    }
    Some(Plan {
        horizon_months: raw.horizon_months,
        samples: raw.samples,
        unserved_penalty_usd_per_mw_month: raw.unserved_penalty_usd_per_mw_month,
        demand: demand?,
        noise_sigma_annual: d.noise_sigma_annual,
        module_size_mw: m.size_mw,
        lead_time_months: m.lead_time_months,
        module_cooling_mw: m.cooling_mw,
        module_racks: m.racks,
        module_power_chain,
        module_cooling,
        fail_in_place_annual_fraction,
        build,
        site_choice,
        sites,
    })
}
