//! OpenDC topology JSON: clusters of host groups.
//!
//! Read fields (OpenDC `opendc-compute-topology` `TopologySpecs`): `clusters[]`
//! with optional `count`; `hosts[]` with `name`, `count` (default 1),
//! `cpu.coreCount`, `cpu.coreSpeed`, `cpu.count` (CPUs per host, default 1),
//! `memory.memorySize`, and `cpuPowerModel` (`modelType`, `idlePower`,
//! `maxPower`, `power` for `constant`). Plain numbers carry OpenDC's default
//! units: MHz for speeds, MiB for sizes, W for power; strings with a unit
//! (`"2.1 GHz"`, `"100 GiB"`, `"180 W"`) are converted. Power model types
//! `linear`, `square`, `cubic`, `sqrt`, `mse` (Fan et al. with
//! `calibrationFactor` as r) and `constant` are supported; OpenDC's default
//! when `cpuPowerModel` is absent is linear, idle 200 W, max 400 W.

use super::open;
use crate::{DataError, Position};
use plenum_models::it_power::PowerCurve;
use plenum_models::workload::HostGroup;
use serde_json::Value;
use std::path::Path;

fn field<'a>(path: &Path, v: &'a Value, at: &str, key: &str) -> Result<&'a Value, DataError> {
    v.get(key).ok_or_else(|| DataError::column(path, &format!("{at}.{key}"), "missing field"))
}

/// A number with an optional unit, converted to the base unit by `units`
/// (suffix, factor); a plain number is already in the base unit.
fn quantity(
    path: &Path,
    v: &Value,
    at: &str,
    units: &[(&str, f64)],
    expected: &str,
) -> Result<f64, DataError> {
    let bad = || DataError::column(path, at, format!("expected {expected}, found {v}"));
    let x = match v {
        Value::Number(n) => n.as_f64().ok_or_else(bad)?,
        Value::String(s) => {
            let s = s.trim();
            let split = s
                .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == 'e' || c == 'E'))
                .unwrap_or(s.len());
            let (num, unit) = (s[..split].trim(), s[split..].trim());
            let num: f64 = num.parse().map_err(|_| bad())?;
            let factor =
                units.iter().find(|(u, _)| u.eq_ignore_ascii_case(unit)).map(|(_, f)| *f).ok_or_else(bad)?;
            num * factor
        }
        _ => return Err(bad()),
    };
    if !x.is_finite() || x < 0.0 {
        return Err(bad());
    }
    Ok(x)
}

const MHZ: [(&str, f64); 5] = [("", 1.0), ("Hz", 1e-6), ("KHz", 1e-3), ("MHz", 1.0), ("GHz", 1e3)];
const MIB: [(&str, f64); 9] = [
    ("", 1.0),
    ("B", 1.0 / 1_048_576.0),
    ("KiB", 1.0 / 1024.0),
    ("MiB", 1.0),
    ("GiB", 1024.0),
    ("TiB", 1_048_576.0),
    ("KB", 1e3 / 1_048_576.0),
    ("MB", 1e6 / 1_048_576.0),
    ("GB", 1e9 / 1_048_576.0),
];
const WATT: [(&str, f64); 3] = [("", 1.0), ("W", 1.0), ("kW", 1e3)];

fn count(path: &Path, v: &Value, at: &str) -> Result<u64, DataError> {
    match v.get("count") {
        None => Ok(1),
        Some(c) => c.as_u64().filter(|&c| c >= 1).ok_or_else(|| {
            DataError::column(path, &format!("{at}.count"), format!("expected a positive integer, found {c}"))
        }),
    }
}

/// Read an OpenDC topology file into host groups. Errors name the field by
/// its JSON path (`clusters[0].hosts[1].cpu.coreCount`) and its line.
pub fn read_topology(path: &Path) -> Result<Vec<HostGroup>, DataError> {
    let mut text = String::new();
    std::io::Read::read_to_string(&mut open(path)?, &mut text)
        .map_err(|e| DataError::file(path, format!("cannot read: {e}")))?;
    parse(path, &text).map_err(|mut e| {
        if e.position.is_none() {
            e.position =
                e.field.as_deref().and_then(|c| json_lines(&text).get(c).copied()).map(Position::Line);
        }
        e
    })
}

/// The line of every key and array element of a (valid) JSON text, by its
/// path in the form the errors use.
fn json_lines(text: &str) -> std::collections::HashMap<String, u64> {
    struct Walk<'a> {
        b: &'a [u8],
        i: usize,
        line: u64,
        out: std::collections::HashMap<String, u64>,
    }
    impl Walk<'_> {
        fn ws(&mut self) {
            while let Some(&c) = self.b.get(self.i) {
                if !c.is_ascii_whitespace() {
                    break;
                }
                self.line += u64::from(c == b'\n');
                self.i += 1;
            }
        }
        fn string(&mut self) -> String {
            let start = self.i + 1;
            self.i += 1;
            while let Some(&c) = self.b.get(self.i) {
                self.i += if c == b'\\' { 2 } else { 1 };
                if c == b'"' {
                    break;
                }
            }
            String::from_utf8_lossy(&self.b[start..self.i.saturating_sub(1).max(start)]).into_owned()
        }
        fn value(&mut self, path: &str) {
            self.ws();
            match self.b.get(self.i) {
                Some(b'{') => {
                    self.i += 1;
                    loop {
                        self.ws();
                        match self.b.get(self.i) {
                            Some(b'"') => {
                                let key = self.string();
                                let child = if path.is_empty() { key } else { format!("{path}.{key}") };
                                self.out.entry(child.clone()).or_insert(self.line);
                                self.ws();
                                self.i += 1; // the colon
                                self.value(&child);
                                self.ws();
                                if self.b.get(self.i) == Some(&b',') {
                                    self.i += 1;
                                }
                            }
                            Some(b'}') => {
                                self.i += 1;
                                return;
                            }
                            _ => return,
                        }
                    }
                }
                Some(b'[') => {
                    self.i += 1;
                    for k in 0.. {
                        self.ws();
                        match self.b.get(self.i) {
                            Some(b']') | None => {
                                self.i += 1;
                                return;
                            }
                            _ => {
                                let child = format!("{path}[{k}]");
                                self.out.entry(child.clone()).or_insert(self.line);
                                self.value(&child);
                                self.ws();
                                if self.b.get(self.i) == Some(&b',') {
                                    self.i += 1;
                                }
                            }
                        }
                    }
                }
                Some(b'"') => {
                    self.string();
                }
                Some(_) => {
                    while self.b.get(self.i).is_some_and(|c| !b",]} \t\r\n".contains(c)) {
                        self.i += 1;
                    }
                }
                None => {}
            }
        }
    }
    let mut w = Walk { b: text.as_bytes(), i: 0, line: 1, out: Default::default() };
    w.value("");
    w.out
}

fn parse(path: &Path, text: &str) -> Result<Vec<HostGroup>, DataError> {
    let root: Value = serde_json::from_str(text).map_err(|e| DataError {
        file: path.to_path_buf(),
        position: Some(Position::Line(e.line() as u64)),
        field: Some("JSON syntax".into()),
        message: format!("expected JSON: {e}"),
    })?;
    let clusters = field(path, &root, "$", "clusters")?
        .as_array()
        .ok_or_else(|| DataError::column(path, "clusters", "expected an array"))?;
    let mut groups = Vec::new();
    for (ci, cluster) in clusters.iter().enumerate() {
        let cat = format!("clusters[{ci}]");
        let cluster_count = count(path, cluster, &cat)?;
        let cname = cluster.get("name").and_then(Value::as_str).unwrap_or("Cluster");
        let hosts = field(path, cluster, &cat, "hosts")?
            .as_array()
            .ok_or_else(|| DataError::column(path, &format!("{cat}.hosts"), "expected an array"))?;
        for (hi, host) in hosts.iter().enumerate() {
            let at = format!("{cat}.hosts[{hi}]");
            let cpu = field(path, host, &at, "cpu")?;
            let cores_v = field(path, cpu, &format!("{at}.cpu"), "coreCount")?;
            let cores =
                cores_v.as_u64().filter(|&c| c >= 1 && c <= u64::from(u32::MAX)).ok_or_else(|| {
                    DataError::column(
                        path,
                        &format!("{at}.cpu.coreCount"),
                        format!("expected a positive integer, found {cores_v}"),
                    )
                })?;
            let cpus = count(path, cpu, &format!("{at}.cpu"))?;
            let speed = field(path, cpu, &format!("{at}.cpu"), "coreSpeed")?;
            let core_mhz = quantity(
                path,
                speed,
                &format!("{at}.cpu.coreSpeed"),
                &MHZ,
                "a frequency (MHz, or a string like \"2.1 GHz\")",
            )?;
            // No server core since the early 1990s runs below 50 MHz: a plain
            // number that small is GHz written where OpenDC reads MHz.
            if core_mhz < 50.0 {
                return Err(DataError::column(
                    path,
                    &format!("{at}.cpu.coreSpeed"),
                    format!("expected MHz, found {speed} MHz: in GHz? write {speed}000 or \"{speed} GHz\""),
                ));
            }
            let memory = field(path, host, &at, "memory")?;
            let memory_mib = quantity(
                path,
                field(path, memory, &format!("{at}.memory"), "memorySize")?,
                &format!("{at}.memory.memorySize"),
                &MIB,
                "a size (MiB, or a string like \"100 GiB\")",
            )?;
            let power = match host.get("cpuPowerModel") {
                None => PowerCurve::Linear { idle_w: 200.0, peak_w: 400.0 },
                Some(pm) => {
                    let pat = format!("{at}.cpuPowerModel");
                    let kind = field(path, pm, &pat, "modelType")?.as_str().unwrap_or("");
                    // A host's power under 1 W is kW written where OpenDC reads W.
                    let watts = |key: &str, default: f64| match pm.get(key) {
                        None => Ok(default),
                        Some(v) => {
                            let w = quantity(path, v, &format!("{pat}.{key}"), &WATT, "a power (W)")?;
                            if w > 0.0 && w < 1.0 {
                                return Err(DataError::column(
                                    path,
                                    &format!("{pat}.{key}"),
                                    format!(
                                        "expected W, found {v} W: in kW? write {} or \"{v} kW\"",
                                        w * 1e3
                                    ),
                                ));
                            }
                            Ok(w)
                        }
                    };
                    let idle_w = watts("idlePower", 200.0)?;
                    let max_w = watts("maxPower", 350.0)?;
                    if max_w < idle_w {
                        return Err(DataError::column(
                            path,
                            &format!("{pat}.maxPower"),
                            format!("expected maxPower ≥ idlePower ({idle_w} W), found {max_w} W"),
                        ));
                    }
                    match kind {
                        "constant" => {
                            let p = watts("power", 400.0)?;
                            PowerCurve::Linear { idle_w: p, peak_w: p }
                        }
                        "mse" => {
                            let r = pm.get("calibrationFactor").and_then(Value::as_f64).unwrap_or(1.0);
                            PowerCurve::FanWeberBarroso { idle_w, peak_w: max_w, r }
                        }
                        other => PowerCurve::by_name(other, idle_w, max_w).filter(|_| other != "fwb").ok_or_else(|| {
                            DataError::column(
                                path,
                                &format!("{pat}.modelType"),
                                format!("expected one of linear, square, cubic, sqrt, mse, constant; found {other:?}"),
                            )
                        })?,
                    }
                }
            };
            groups.push(HostGroup {
                name: format!("{cname}/{}", host.get("name").and_then(Value::as_str).unwrap_or("Host")),
                count: cluster_count * count(path, host, &at)?,
                cores: (cores * cpus) as u32,
                core_mhz,
                memory_mib: memory_mib.round() as u64,
                power,
            });
        }
    }
    Ok(groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<HostGroup>, DataError> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("topology.json");
        std::fs::write(&p, text).unwrap();
        read_topology(&p)
    }

    #[test]
    fn surf_style_topology() {
        let g = read(
            r#"{"clusters":[{"name":"C01","hosts":[{"name":"H01","cpu":{"coreCount":16,"coreSpeed":2100},
            "memory":{"memorySize":100000},"cpuPowerModel":{"modelType":"sqrt","power":400.0,"idlePower":32.0,"maxPower":180.0},
            "count":277}]}]}"#,
        )
        .unwrap();
        assert_eq!(
            g,
            vec![HostGroup {
                name: "C01/H01".into(),
                count: 277,
                cores: 16,
                core_mhz: 2100.0,
                memory_mib: 100_000,
                power: PowerCurve::Sqrt { idle_w: 32.0, peak_w: 180.0 },
            }]
        );
    }

    #[test]
    fn units_in_strings_and_defaults() {
        let g = read(
            r#"{"clusters":[{"count":2,"hosts":[{"cpu":{"coreCount":8,"count":2,"coreSpeed":"2.5 GHz"},
            "memory":{"memorySize":"64 GiB"}}]}]}"#,
        )
        .unwrap();
        assert_eq!((g[0].count, g[0].cores, g[0].core_mhz, g[0].memory_mib), (2, 16, 2500.0, 65_536));
        assert_eq!(g[0].power, PowerCurve::Linear { idle_w: 200.0, peak_w: 400.0 });
    }

    #[test]
    fn errors_name_the_field() {
        let e = read(
            r#"{"clusters":[{"hosts":[{"cpu":{"coreCount":0,"coreSpeed":1},"memory":{"memorySize":1}}]}]}"#,
        )
        .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("clusters[0].hosts[0].cpu.coreCount"));
        let e = read(r#"{"clusters":[{"hosts":[{"cpu":{"coreCount":1,"coreSpeed":"fast"},"memory":{"memorySize":1}}]}]}"#)
            .unwrap_err();
        assert!(e.to_string().contains("cpu.coreSpeed`: expected a frequency"), "{e}");
        let e = read(
            r#"{"clusters":[{"hosts":[{"cpu":{"coreCount":1,"coreSpeed":1000},"memory":{"memorySize":1},
            "cpuPowerModel":{"modelType":"asymptotic","idlePower":1,"maxPower":2}}]}]}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("modelType`: expected one of"), "{e}");
        let e = read("{\n\"clusters\": [,]}").unwrap_err();
        assert_eq!(e.position, Some(crate::Position::Line(2)));
        let e = read("{\"clusters\": [\n{\"hosts\": [\n{\"cpu\": {\"coreCount\": 1, \"coreSpeed\": 1000},\n \"memory\": {\"memorySize\": \"1 XB\"}}]}]}")
            .unwrap_err();
        assert_eq!(
            (e.line_or_row(), e.field.as_deref()),
            (Some(4), Some("clusters[0].hosts[0].memory.memorySize")),
            "{e}"
        );
    }
}
