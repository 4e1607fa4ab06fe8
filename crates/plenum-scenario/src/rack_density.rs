//! Rack density as an input: how many servers a rack's power budget holds
//! (`power_chain.rack_power_kw` without `servers_per_rack`), and the absurd
//! cases, one server above a whole rack's power or cooling, as errors. A
//! full rack above its limits is a design that runs with a warning
//! (`plenum_engine::warnings`), not an error.

use crate::problems::Problems;
use crate::raw::RawPowerChain;
use plenum_models::units::W_PER_KW;

/// Servers of `largest_peak_w` (the SKU index and its peak) that fit under a
/// rack power of `rack_power_kw`, at least one; None without both.
pub(crate) fn servers_fitting(rack_power_kw: Option<f64>, largest: Option<(usize, f64)>) -> Option<u64> {
    let (kw, (_, peak_w)) = (rack_power_kw?, largest?);
    // A rack of exactly n servers' nameplate holds n, whatever the rounding of kW to W.
    let n = (kw * W_PER_KW / peak_w * (1.0 + 1e-12)).floor() as u64;
    Some(n.max(1))
}

/// One server whose peak is above a whole rack's power or cooling is an error.
pub(crate) fn check_limits(p: &mut Problems<'_>, chain: &RawPowerChain, largest: Option<(usize, f64)>) {
    let Some((sku, peak_w)) = largest else { return };
    let limits = [
        ("rack_power_kw", chain.rack_power_kw, "power"),
        ("rack_cooling_kw", chain.rack_cooling_kw, "cooling"),
    ];
    for (key, limit, what) in limits {
        if let Some(kw) = limit
            && peak_w > kw * W_PER_KW * (1.0 + 1e-12)
        {
            p.add(
                &format!("power_chain.{key}"),
                format!(
                    "one server of servers[{sku}] draws {:.1} kW at peak, more than a whole rack's {what} ({kw} kW): not one fits",
                    peak_w / W_PER_KW
                ),
                Some("raise the rack's limit, or describe the server as a smaller unit"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_power_budget_holds_whole_servers() {
        // 40.8 kW holds four 10.2 kW DGX H100s exactly; 40 kW holds three.
        assert_eq!(servers_fitting(Some(40.8), Some((0, 10_200.0))), Some(4));
        assert_eq!(servers_fitting(Some(40.0), Some((0, 10_200.0))), Some(3));
        assert_eq!(servers_fitting(Some(132.0), Some((0, 132_000.0))), Some(1));
        assert_eq!(servers_fitting(None, Some((0, 10_200.0))), None);
    }
}
