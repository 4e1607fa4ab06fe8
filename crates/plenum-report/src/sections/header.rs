//! The summary header: the scenario's name and description, the headline
//! figures as tiles, and the key inputs (site, fleet, power chain, cooling,
//! finance, overrides).

use super::tiles;
use crate::format::{self, html};
use crate::headline::headline_figures;
use crate::inputs::{self, get};
use crate::{ReportError, Run};
use plenum_engine::Summary;
use toml::Value as Toml;

/// The header's HTML and the scenario name.
pub struct Header {
    /// Scenario name.
    pub name: String,
    /// The `<header>` element.
    pub html: String,
}

/// Build the header.
pub fn header(run: &Run) -> Result<Header, ReportError> {
    let summary = run.summary;
    let name = summary.scenario.name.clone();
    let scenario = run.scenario_toml.map(inputs::parse).transpose()?;
    let tree = scenario.as_ref().map(|s| &s.tree);
    let description = tree.and_then(|t| get(t, "scenario.description")).and_then(Toml::as_str).unwrap_or("");
    let mut out = format!("<header>\n<h1>{}</h1>\n", html(&name));
    if !description.is_empty() {
        out.push_str(&format!("<p class=\"lede\">{}</p>\n", html(description)));
    }
    out.push_str(&warnings(summary));
    let figures: Vec<(String, String, String)> = headline_figures(summary)
        .into_iter()
        .filter(|f| f.tile)
        .map(|f| {
            let mut unit = f.unit.to_string();
            if f.key == "carbon.total_t"
                && let (Some(op), Some(emb)) = (
                    crate::headline::figure_value(summary, "carbon.operational_t"),
                    crate::headline::figure_value(summary, "carbon.embodied_t"),
                )
            {
                unit = format!(
                    "tCO2e a year ({} operational, {} embodied)",
                    format::number(op, 0),
                    format::number(emb, 0)
                );
            }
            if f.key == "cost.per_vcpu_hour_usd"
                && let Some(u) = summary.cost.mean_cpu_utilization.filter(|u| u.is_finite())
            {
                unit = format!("at {} mean CPU utilization", format::percent(u, 0));
            }
            if f.key == "cost.per_gpu_hour_usd"
                && let Some(u) = summary.cost.per_gpu_hour_assumed_utilization.filter(|u| u.is_finite())
            {
                unit = format!("at {} accelerator utilization (assumed)", format::percent(u, 0));
            }
            if f.key == "reliability.availability"
                && let Some([lo, hi]) = summary.reliability.as_ref().map(|r| r.availability_ci95)
                && lo.is_finite()
                && hi.is_finite()
            {
                unit = format!("95% CI {} to {}", format::availability(lo), format::availability(hi));
            }
            (f.label.to_string(), f.text(), unit)
        })
        .collect();
    out.push_str(&tiles(&figures));
    let items = key_inputs(summary, tree, &scenario.as_ref().map(|s| s.flags()).unwrap_or_default());
    out.push_str("<dl class=\"inputs\">\n");
    for (label, value) in items {
        out.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", html(&label), html(&value)));
    }
    out.push_str("</dl>\n</header>\n");
    Ok(Header { name, html: out })
}

/// The run's warnings (`warnings[]` of the summary: code, message, field) as
/// a list at the top of the page; empty when there are none.
fn warnings(summary: &Summary) -> String {
    let list = &summary.warnings;
    if list.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "<div class=\"warnings\" role=\"alert\">\n<p><strong>{} warning{}</strong>: the design is \
         infeasible as run; the figures below are what it would do.</p>\n<ul>\n",
        list.len(),
        if list.len() == 1 { "" } else { "s" }
    );
    for w in list {
        out.push_str(&format!(
            "<li><code>{}</code> {} (<code>{}</code>)</li>\n",
            html(&w.code),
            html(&w.message),
            html(&w.field)
        ));
    }
    out.push_str("</ul>\n</div>\n");
    out
}

/// (label, value) pairs describing what was run.
fn key_inputs(summary: &Summary, tree: Option<&toml::Table>, overrides: &[String]) -> Vec<(String, String)> {
    let mut items = Vec::new();
    let info = &summary.scenario;
    let text = |path: &str| -> Option<String> {
        tree.and_then(|t| get(t, path)).map(|v| match v {
            Toml::String(s) => s.clone(),
            other => other.to_string(),
        })
    };
    let tnum = |path: &str| {
        tree.and_then(|t| get(t, path)).and_then(|v| v.as_float().or(v.as_integer().map(|i| i as f64)))
    };
    items.push(("Seed".into(), format::number(info.seed as f64, 0)));
    let site: Vec<String> = [
        text("site.climate").map(|c| format!("built-in climate {c}")),
        text("site.weather_epw").map(|p| format!("EPW weather {p}")),
        text("site.grid").map(|g| format!("grid {g}")),
        text("site.carbon_csv").map(|p| format!("carbon intensity from {p}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !site.is_empty() {
        items.push(("Site".into(), site.join(", ")));
    }
    if info.critical_power_kw.is_finite() {
        items.push(("Critical power".into(), format!("{} kW", format::number(info.critical_power_kw, 0))));
    }
    {
        let (servers, vcpus) = (info.servers as f64, info.vcpus as f64);
        let mut fleet = format!("{} servers, {} vCPUs", format::number(servers, 0), format::number(vcpus, 0));
        if let Some(Toml::Array(skus)) = tree.and_then(|t| t.get("servers")) {
            let names: Vec<String> = skus
                .iter()
                .filter_map(|s| {
                    let name = s.get("name")?.as_str()?;
                    let count = s.get("count")?.as_integer()?;
                    let peak =
                        s.get("peak_power_w").and_then(|p| p.as_float().or(p.as_integer().map(|i| i as f64)));
                    Some(match peak {
                        Some(w) => format!(
                            "{name} × {} ({} W peak)",
                            format::number(count as f64, 0),
                            format::number(w, 0)
                        ),
                        None => format!("{name} × {}", format::number(count as f64, 0)),
                    })
                })
                .collect();
            if !names.is_empty() {
                fleet.push_str(&format!(": {}", names.join(", ")));
            }
        }
        items.push(("Fleet".into(), fleet));
    }
    if let Some(u) = tnum("utilization.mean_cpu_fraction") {
        let profile = text("utilization.profile").unwrap_or_else(|| "constant".into());
        items.push(("Utilization".into(), format!("{} mean CPU, {profile} profile", format::percent(u, 0))));
    }
    if let Some(p) = tnum("energy.price_usd_per_kwh") {
        let tou = if tree.and_then(|t| get(t, "energy.price_usd_per_kwh_by_hour")).is_some() {
            " (time-of-use prices by hour)"
        } else {
            ""
        };
        items.push(("Energy price".into(), format!("${}/kWh{tou}", format::trimmed(p))));
    }
    if tree.is_some_and(|t| t.contains_key("cooling")) {
        let chain = match tree.and_then(|t| get(t, "power_chain.stages")) {
            Some(Toml::Array(stages)) => format!("{} custom stages", stages.len()),
            _ => format!("{} preset", text("power_chain.preset").unwrap_or_else(|| "modern".into())),
        };
        items.push(("Power chain".into(), chain));
        let mut cooling = format!("{} preset", text("cooling.preset").unwrap_or_else(|| "modern".into()));
        if let Some(e) = text("cooling.economizer") {
            cooling.push_str(&format!(", economizer {e}"));
        }
        items.push(("Cooling".into(), cooling));
    } else if let Some(pue) = tnum("energy.pue") {
        items.push(("Energy model".into(), format!("fixed PUE {pue} (no hourly simulation)")));
    }
    if let Some(rate) = tnum("finance.cost_of_money_annual") {
        let years: Vec<String> = [("server", "servers"), ("network", "network"), ("facility", "facility")]
            .iter()
            .filter_map(|(key, label)| {
                tnum(&format!("finance.{key}_amortization_years")).map(|y| format!("{label} {y} y"))
            })
            .collect();
        items.push((
            "Finance".into(),
            format!("cost of money {} a year; amortized over {}", format::percent(rate, 1), years.join(", ")),
        ));
    }
    if let Some(source) = &summary.weather_source {
        items.push(("Weather data".into(), source.clone()));
    }
    if let Some(carbon) = &summary.carbon {
        items.push(("Carbon data".into(), carbon.source.clone()));
    }
    if !overrides.is_empty() {
        items.push(("Overrides".into(), overrides.join("  ")));
    }
    // Figures computed from inputs the scenario leaves out (`notes`): a 0
    // that was never given says so.
    if !summary.notes.is_empty() {
        let messages: Vec<&str> = summary.notes.iter().map(|n| n.message.as_str()).collect();
        items.push(("Left out".into(), messages.join("; ")));
    }
    if tree.is_none() {
        items.push(("Inputs".into(), "scenario.toml not found beside summary.json: inputs not shown".into()));
    }
    items
}
