//! The static cost model: capital amortized into level monthly payments, plus
//! energy, people and maintenance, in the manner of Hamilton's data-center cost
//! spreadsheets.
//!
//! Source: J. Hamilton, "Cost of Power in Large-Scale Data Centers" (Perspectives,
//! Nov 2008) and "Overall Data Center Costs" (Perspectives, Sept 2010). Capital
//! becomes a monthly payment with Excel's PMT at the nominal annual cost of money
//! divided by 12; energy is priced with 730 hours a month.
//!
//! Simplification: the model is a steady state. Every month costs the same; there
//! is no inflation, no residual value and no tax.

use crate::units::{HOURS_PER_MONTH, MONTHS_PER_YEAR};
use serde::Serialize;

/// Level monthly payment that repays `principal_usd` over `years` at the nominal
/// `annual_rate` (a fraction, 0.05 for 5%), compounded monthly.
///
/// Excel's `PMT(rate/12, years*12, -pv)`: `pmt = pv·r / (1 − (1+r)^−n)`. With a zero
/// rate the payment is straight-line, `pv / n`.
pub fn monthly_payment_usd(principal_usd: f64, annual_rate: f64, years: f64) -> f64 {
    let months = years * MONTHS_PER_YEAR;
    let monthly_rate = annual_rate / MONTHS_PER_YEAR;
    if monthly_rate == 0.0 {
        return principal_usd / months;
    }
    // (1+r)^-n computed through ln_1p/exp_m1 keeps precision for small rates.
    let growth = (-months * monthly_rate.ln_1p()).exp_m1(); // (1+r)^-n − 1
    principal_usd * monthly_rate / -growth
}

/// Monthly energy cost of a site whose average draw is a fraction of its critical
/// power, with facility overhead given by a fixed PUE.
///
/// `critical_kW × average_load × PUE × $/kWh × 730 h` (Hamilton 2008, 2010).
pub fn static_energy_monthly_usd(
    critical_power_kw: f64,
    average_load_fraction: f64,
    pue: f64,
    price_usd_per_kwh: f64,
) -> f64 {
    critical_power_kw * average_load_fraction * pue * price_usd_per_kwh * HOURS_PER_MONTH
}

/// The lines of a monthly cost breakdown, in US dollars a month.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct CostLines {
    /// Server purchases, amortized.
    pub servers: f64,
    /// Network gear, amortized.
    pub networking: f64,
    /// The power distribution and cooling share of the facility, amortized.
    pub power_distribution_cooling: f64,
    /// The rest of the facility (building, land, fit-out), amortized.
    pub other_infrastructure: f64,
    /// Electricity.
    pub energy: f64,
    /// Operations staff.
    pub people: f64,
    /// Maintenance as a yearly share of capital.
    pub maintenance: f64,
}

impl CostLines {
    /// Line names in report order, matching the serialized field names.
    pub const NAMES: [&'static str; 7] = [
        "servers",
        "networking",
        "power_distribution_cooling",
        "other_infrastructure",
        "energy",
        "people",
        "maintenance",
    ];

    /// Line labels for people (tables, reports), in the order of [`CostLines::NAMES`].
    pub const LABELS: [&'static str; 7] = [
        "Servers",
        "Networking",
        "Power distribution & cooling",
        "Other infrastructure",
        "Energy",
        "People",
        "Maintenance",
    ];

    /// The lines in the order of [`CostLines::NAMES`].
    pub fn values(&self) -> [f64; 7] {
        [
            self.servers,
            self.networking,
            self.power_distribution_cooling,
            self.other_infrastructure,
            self.energy,
            self.people,
            self.maintenance,
        ]
    }

    /// Lines from their values in the order of [`CostLines::NAMES`].
    pub fn from_values(values: [f64; 7]) -> CostLines {
        let [
            servers,
            networking,
            power_distribution_cooling,
            other_infrastructure,
            energy,
            people,
            maintenance,
        ] = values;
        CostLines {
            servers,
            networking,
            power_distribution_cooling,
            other_infrastructure,
            energy,
            people,
            maintenance,
        }
    }

    /// Sum of all lines.
    pub fn total(&self) -> f64 {
        self.values().iter().sum()
    }

    /// Each line as a fraction of the total (all zero when the total is zero).
    pub fn shares(&self) -> CostLines {
        let total = self.total();
        let share = |x: f64| if total > 0.0 { x / total } else { 0.0 };
        CostLines {
            servers: share(self.servers),
            networking: share(self.networking),
            power_distribution_cooling: share(self.power_distribution_cooling),
            other_infrastructure: share(self.other_infrastructure),
            energy: share(self.energy),
            people: share(self.people),
            maintenance: share(self.maintenance),
        }
    }

    /// Hamilton's "fully burdened cost of power": power distribution & cooling
    /// infrastructure plus the energy itself.
    pub fn fully_burdened_power(&self) -> f64 {
        self.power_distribution_cooling + self.energy
    }
}

/// One capital item: what it cost and over how many years it is amortized.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CapitalItem {
    /// Purchase price.
    pub capex_usd: f64,
    /// Amortization period.
    pub years: f64,
}

impl CapitalItem {
    /// Level monthly payment at the given nominal annual cost of money.
    pub fn monthly_usd(&self, annual_rate: f64) -> f64 {
        monthly_payment_usd(self.capex_usd, annual_rate, self.years)
    }
}

/// Everything the static cost model needs, in plain numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct StaticCostInputs {
    /// Nominal annual cost of money (fraction).
    pub cost_of_money_annual: f64,
    /// One item per server SKU.
    pub servers: Vec<CapitalItem>,
    /// Network gear.
    pub networking: CapitalItem,
    /// The whole facility (building, power distribution, cooling).
    pub facility: CapitalItem,
    /// Share of the facility cost that is power distribution and cooling (0..1).
    pub power_cooling_share: f64,
    /// Electricity cost a month, computed by the energy model in use.
    pub energy_monthly_usd: f64,
    /// Operations staff cost a month.
    pub people_monthly_usd: f64,
    /// Yearly maintenance as a fraction of facility capex.
    pub facility_maintenance_annual_fraction: f64,
    /// Yearly maintenance as a fraction of IT capex (servers and network).
    pub it_maintenance_annual_fraction: f64,
}

/// Monthly cost by line for the given inputs.
pub fn monthly_costs(inputs: &StaticCostInputs) -> CostLines {
    let rate = inputs.cost_of_money_annual;
    let facility_monthly = inputs.facility.monthly_usd(rate);
    let it_capex_usd: f64 =
        inputs.servers.iter().map(|s| s.capex_usd).sum::<f64>() + inputs.networking.capex_usd;
    let maintenance = (inputs.facility.capex_usd * inputs.facility_maintenance_annual_fraction
        + it_capex_usd * inputs.it_maintenance_annual_fraction)
        / MONTHS_PER_YEAR;
    CostLines {
        servers: inputs.servers.iter().map(|s| s.monthly_usd(rate)).sum(),
        networking: inputs.networking.monthly_usd(rate),
        power_distribution_cooling: facility_monthly * inputs.power_cooling_share,
        other_infrastructure: facility_monthly * (1.0 - inputs.power_cooling_share),
        energy: inputs.energy_monthly_usd,
        people: inputs.people_monthly_usd,
        maintenance,
    }
}

/// Cost of one vCPU-hour when the fleet's vCPUs are busy a fraction
/// `utilization` of the time: the price floor of a pay-as-you-go offering that
/// must recover the whole monthly cost from the hours it sells.
pub fn cost_per_vcpu_hour_usd(total_monthly_usd: f64, vcpus: f64, utilization: f64) -> f64 {
    total_monthly_usd / (vcpus * HOURS_PER_MONTH * utilization)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // Payment per $1 at 5%/yr (Excel PMT) and Hamilton's 2008 server line;
    // published values and tolerances in crates/plenum-references.
    #[test]
    fn pmt_matches_the_published_payment_factors() {
        plenum_references::case("pmt").check(&[
            ("payment per $1, 3 years", monthly_payment_usd(1.0, 0.05, 3.0)),
            ("payment per $1, 4 years", monthly_payment_usd(1.0, 0.05, 4.0)),
            ("payment per $1, 10 years", monthly_payment_usd(1.0, 0.05, 10.0)),
            ("payment per $1, 15 years", monthly_payment_usd(1.0, 0.05, 15.0)),
            ("$100M over 36 months", monthly_payment_usd(100e6, 0.05, 3.0)),
        ]);
    }

    #[test]
    fn zero_rate_is_straight_line() {
        assert_eq!(monthly_payment_usd(1200.0, 0.0, 1.0), 100.0);
    }

    #[test]
    fn energy_of_hamilton_2008() {
        let got = static_energy_monthly_usd(15_000.0, 0.8, 1.7, 0.07);
        assert!((got - 1_042_440.0).abs() < 1e-6, "{got}");
    }

    proptest! {
        #[test]
        fn payment_rises_with_rate_and_falls_with_term(
            pv in 1.0..1e9f64, rate in 0.0..0.3f64, years in 0.5..40.0f64,
        ) {
            let base = monthly_payment_usd(pv, rate, years);
            prop_assert!(base >= pv / (years * 12.0) * (1.0 - 1e-12));
            prop_assert!(monthly_payment_usd(pv, rate + 0.01, years) > base);
            prop_assert!(monthly_payment_usd(pv, rate, years + 1.0) < base);
        }

        #[test]
        fn payments_repay_the_principal(pv in 1.0..1e9f64, rate in 0.001..0.3f64, years in 1.0..30.0f64) {
            // Present value of the payment stream equals the principal.
            let pmt = monthly_payment_usd(pv, rate, years);
            let r = rate / 12.0;
            let n = years * 12.0;
            let pv_back = pmt * (1.0 - (1.0 + r).powf(-n)) / r;
            prop_assert!((pv_back - pv).abs() <= 1e-9 * pv);
        }
    }
}
