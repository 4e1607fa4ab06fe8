//! Accelerator servers: a host (CPUs, memory, NICs, switches, fans, power
//! conversion) carrying accelerators (GPUs), and the built-in SKU presets.
//!
//! Power. A server with `n` accelerators, each drawing `a_idle` at rest and
//! up to its thermal design power `a_tdp`, on a host drawing `h_idle` to
//! `h_peak`, draws `h_idle + n·a_idle` idle and `h_peak + n·a_tdp` at full
//! load. Between them it follows one curve of the [`PowerCurve`] family
//! (linear, `fwb`, power law or a table of the whole server) at one
//! utilization: the accelerators' utilization drives the host too.
//! Simplification: host and accelerators share the curve's shape; a real
//! training step alternates compute phases near TDP with communication
//! phases below it within a second, which the hourly mean utilization
//! averages over.
//!
//! Presets cite their datasheets; where a datasheet gives no figure (idle
//! power of an accelerator, the host's idle draw) the preset says so and
//! states the assumption.

use crate::it_power::PowerCurve;

/// An accelerator server's power: its accelerators and its host.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AcceleratorServer {
    /// Accelerators in one server (one unit: a GB200 NVL72 rack is one unit of 72).
    pub accelerators: u64,
    /// Power of one accelerator at rest, W.
    pub accelerator_idle_w: f64,
    /// Thermal design power of one accelerator: its most at full load, W.
    pub accelerator_tdp_w: f64,
    /// Everything else at rest (CPUs, memory, NICs, switches, fans, conversion), W.
    pub host_idle_w: f64,
    /// Everything else at full load, W.
    pub host_peak_w: f64,
}

impl AcceleratorServer {
    /// The whole server at rest, W.
    pub fn idle_w(&self) -> f64 {
        self.host_idle_w + self.accelerators as f64 * self.accelerator_idle_w
    }

    /// The whole server at full load, W.
    pub fn peak_w(&self) -> f64 {
        self.host_peak_w + self.accelerators as f64 * self.accelerator_tdp_w
    }

    /// Thermal design power of all its accelerators, W.
    pub fn tdp_total_w(&self) -> f64 {
        self.accelerators as f64 * self.accelerator_tdp_w
    }

    /// The accelerators' part of the server's draw when the whole server
    /// follows `curve` (from [`Self::idle_w`] to [`Self::peak_w`]) at
    /// utilization `u`: the same shape between their idle and TDP, W.
    pub fn accelerators_w(&self, curve: &PowerCurve, u: f64) -> f64 {
        let span_w = self.peak_w() - self.idle_w();
        let shape = if span_w > 0.0 { (curve.power_w(u) - curve.idle_w()) / span_w } else { 0.0 };
        self.accelerators as f64
            * (self.accelerator_idle_w + (self.accelerator_tdp_w - self.accelerator_idle_w) * shape)
    }
}

/// A built-in accelerator SKU.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AcceleratorPreset {
    /// The word a scenario writes (`dgx-h100`).
    pub key: &'static str,
    /// What it is.
    pub description: &'static str,
    /// Its power.
    pub server: AcceleratorServer,
    /// Where the figures come from, and what is assumed.
    pub source: &'static str,
}

/// Assumption for idle accelerators, which datasheets do not give: 10% of
/// TDP at rest (clocks down, memory refreshed).
const IDLE_SHARE_OF_TDP: f64 = 0.10;

/// The built-in accelerator SKUs.
pub const PRESETS: [AcceleratorPreset; 3] = [
    AcceleratorPreset {
        key: "dgx-h100",
        description: "8-GPU H100 SXM server (NVIDIA DGX H100 class), 10.2 kW at most",
        server: AcceleratorServer {
            accelerators: 8,
            accelerator_idle_w: IDLE_SHARE_OF_TDP * 700.0,
            accelerator_tdp_w: 700.0,
            // 10.2 kW system maximum less 8 x 700 W.
            host_idle_w: 1_400.0,
            host_peak_w: 4_600.0,
        },
        source: "NVIDIA DGX H100 datasheet (system power ~10.2 kW max; 8x H100 SXM5); NVIDIA H100 \
                 Tensor Core GPU datasheet (SXM max TDP 700 W). Host peak = 10.2 kW - 8 x 700 W. \
                 Assumed: GPU idle 10% of TDP; host idle 1.4 kW (two 350 W CPUs near idle, fans, \
                 NVSwitches and NICs powered)",
    },
    AcceleratorPreset {
        key: "gb200-nvl72",
        description: "GB200 NVL72 rack as one unit: 72 Blackwell GPUs, 36 Grace CPUs, 9 NVLink switch trays, ~132 kW",
        server: AcceleratorServer {
            accelerators: 72,
            accelerator_idle_w: IDLE_SHARE_OF_TDP * 1_200.0,
            accelerator_tdp_w: 1_200.0,
            // 132 kW rack less 72 x 1,200 W.
            host_idle_w: 15_000.0,
            host_peak_w: 45_600.0,
        },
        source: "NVIDIA GB200 NVL72 (72 Blackwell GPUs, 36 Grace CPUs, liquid-cooled rack); \
                 Blackwell GPU at 1,200 W in GB200; rack power reported at ~120 kW (Introl, \
                 GB200 NVL72 deployment, 2025) to 132 kW of power-shelf output (Supermicro \
                 NVL72 rack: 8 power shelves, 132 kW); the preset takes 132 kW. Host peak = \
                 132 kW - 72 x 1.2 kW. Assumed: GPU idle 10% of TDP; host idle 15 kW (CPUs, \
                 switch trays, NICs, pumps and fans at rest)",
    },
    AcceleratorPreset {
        key: "l40s-8",
        description: "8-GPU L40S inference server (PCIe, air-cooled), ~4.2 kW at most",
        server: AcceleratorServer {
            accelerators: 8,
            accelerator_idle_w: IDLE_SHARE_OF_TDP * 350.0,
            accelerator_tdp_w: 350.0,
            host_idle_w: 450.0,
            host_peak_w: 1_400.0,
        },
        source: "NVIDIA L40S datasheet (max power consumption 350 W, PCIe, passive cooling). \
                 Assumed: a two-socket host of 1.4 kW at full load (two 350 W CPUs, memory, \
                 NICs, fans) and 450 W at rest; GPU idle 10% of TDP",
    },
];

/// The words of [`PRESETS`], in order.
pub fn preset_keys() -> Vec<&'static str> {
    PRESETS.iter().map(|p| p.key).collect()
}

/// A built-in accelerator SKU by its word.
pub fn preset(key: &str) -> Option<&'static AcceleratorPreset> {
    PRESETS.iter().find(|p| p.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_reach_their_datasheet_maxima() {
        // DGX H100: 10.2 kW max; GB200 NVL72: 132 kW; L40S: 350 W per GPU.
        assert_eq!(preset("dgx-h100").unwrap().server.peak_w(), 10_200.0);
        assert_eq!(preset("gb200-nvl72").unwrap().server.peak_w(), 132_000.0);
        assert_eq!(preset("gb200-nvl72").unwrap().server.tdp_total_w(), 86_400.0);
        assert_eq!(preset("l40s-8").unwrap().server.accelerator_tdp_w, 350.0);
        for p in &PRESETS {
            assert!(p.server.idle_w() < p.server.peak_w(), "{}", p.key);
            assert!(p.server.host_idle_w <= p.server.host_peak_w, "{}", p.key);
        }
        assert!(preset("h200").is_none());
        assert_eq!(preset_keys(), ["dgx-h100", "gb200-nvl72", "l40s-8"]);
    }

    #[test]
    fn accelerators_follow_the_server_curve() {
        let s = preset("dgx-h100").unwrap().server;
        let linear = PowerCurve::Linear { idle_w: s.idle_w(), peak_w: s.peak_w() };
        assert!((s.accelerators_w(&linear, 0.0) - 8.0 * 70.0).abs() < 1e-9);
        assert!((s.accelerators_w(&linear, 1.0) - 5_600.0).abs() < 1e-9);
        // Half way on a linear curve: half way between 560 W and 5,600 W.
        assert!((s.accelerators_w(&linear, 0.5) - 3_080.0).abs() < 1e-9);
        let fwb = PowerCurve::FanWeberBarroso { idle_w: s.idle_w(), peak_w: s.peak_w(), r: 1.4 };
        // The accelerators' part never exceeds the server's draw, and the host is the rest.
        for u in [0.0, 0.1, 0.3, 0.7, 1.0] {
            let host_w = fwb.power_w(u) - s.accelerators_w(&fwb, u);
            assert!(host_w >= s.host_idle_w - 1e-9 && host_w <= s.host_peak_w + 1e-9, "u = {u}");
        }
    }
}
