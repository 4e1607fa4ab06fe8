//! Raw types of accelerator servers (`[servers.accelerators]`) and of the
//! power-delivery stages built for dense racks (`kind` of a
//! `[[power_chain.stages]]` entry): the words and keys as written.

use super::choice::choice;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Accelerators (GPUs) in each server of a SKU. With this table the SKU's
/// `idle_power_w` and `peak_power_w` are the host's alone (CPUs, memory,
/// NICs, switches, fans: everything but the accelerators) and may be left
/// to the preset; the server draws the host plus its accelerators. The
/// fleet's `[utilization]` drives host and accelerators together, along the
/// SKU's `power_model` (the accelerator utilization is the server's).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAccelerators {
    /// A built-in accelerator SKU: `dgx-h100` (8x H100 SXM, 10.2 kW max, NVIDIA
    /// DGX H100 datasheet), `gb200-nvl72` (a GB200 NVL72 rack as one unit, 72
    /// GPUs, 132 kW) or `l40s-8` (8x L40S inference server). It gives the
    /// keys below and the host's power; keys given here or on the SKU replace
    /// the preset's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<AcceleratorPresetName>,
    /// Accelerators in one server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub count: Option<u64>,
    /// Power of one accelerator at rest, in watts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub idle_power_w: Option<f64>,
    /// Thermal design power of one accelerator (its most at full load), in watts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub tdp_w: Option<f64>,
}

choice! {
    /// A built-in accelerator SKU (`plenum_models::accelerators::PRESETS`):
    /// `dgx-h100`, `gb200-nvl72` or `l40s-8`.
    pub enum AcceleratorPresetName {
        DgxH100 = "dgx-h100",
        Gb200Nvl72 = "gb200-nvl72",
        L40s8 = "l40s-8",
    }
}

choice! {
    /// A power-delivery stage whose losses, unit size and redundancy come from
    /// a cited source: `busway` (overhead busway feeding a row, I²R only),
    /// `rack_pdu_ac` (a 415/240 V rack PDU without transformer; conversion
    /// stays in each server's `psu`), or `power_shelf_dc` (an Open Rack V3
    /// 48-54 V DC power shelf of 5.5 kW rectifiers, N+N; its servers then have
    /// no AC `psu`).
    pub enum StageKind {
        Busway = "busway",
        RackPduAc = "rack_pdu_ac",
        PowerShelfDc = "power_shelf_dc",
    }
}
