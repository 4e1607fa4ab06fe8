//! Bitbrains GWA-T-12 per-VM CSV files (Shen, van Beek, Iosup, "Statistical
//! characterization of business-critical workloads hosted in cloud
//! datacenters", CCGrid 2015).
//!
//! One file is one VM; fields are separated by `;` followed by a tab, after a
//! header line. Columns used: 0 `Timestamp [ms]` (despite its name, epoch
//! **seconds**), 1 `CPU cores`, 2 `CPU capacity provisioned [MHZ]`, 3 `CPU
//! usage [MHZ]`, 5 `Memory capacity provisioned [KB]` (KiB). Each row becomes
//! a fragment lasting until the next row's timestamp; the last row lasts the
//! median sampling gap (5 minutes in GWA-T-12). The VM asks for its first
//! row's cores and capacity and the largest provisioned memory.
//!
//! A path may be one file or a folder of `.csv` files (one VM each, read in
//! name order; the file stem is the VM id).

use super::{open, parse_num};
use crate::DataError;
use plenum_models::workload::{TaskSpec, Trace, TraceBuilder};
use std::path::{Path, PathBuf};

const COLUMNS: [&str; 6] = [
    "Timestamp [ms]",
    "CPU cores",
    "CPU capacity provisioned [MHZ]",
    "CPU usage [MHZ]",
    "CPU usage [%]",
    "Memory capacity provisioned [KB]",
];

struct Vm {
    name: String,
    times_s: Vec<i64>,
    usage_mhz: Vec<f64>,
    cores: u32,
    capacity_mhz: f64,
    memory_kib: u64,
}

fn read_vm(path: &Path) -> Result<Vm, DataError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .trim(csv::Trim::All)
        .has_headers(true)
        .flexible(true)
        .from_reader(std::io::BufReader::new(open(path)?));
    let headers =
        reader.headers().map_err(|e| DataError::file(path, format!("cannot read the header: {e}")))?;
    if headers.len() < COLUMNS.len() || !headers[0].starts_with("Timestamp") {
        return Err(DataError::at_row(
            path,
            1,
            "header",
            format!(
                "expected the GWA-T-12 header (`{}; ...`), found {:?}",
                COLUMNS[0],
                headers.iter().collect::<Vec<_>>()
            ),
        ));
    }
    let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let mut vm =
        Vm { name, times_s: Vec::new(), usage_mhz: Vec::new(), cores: 0, capacity_mhz: 0.0, memory_kib: 0 };
    for (k, record) in reader.records().enumerate() {
        let row = k as u64 + 2;
        let r = record.map_err(|e| {
            DataError::at_row(path, row, "row", format!("expected {} fields: {e}", COLUMNS.len()))
        })?;
        if r.len() < COLUMNS.len() {
            return Err(DataError::at_row(
                path,
                row,
                COLUMNS[r.len()],
                format!("missing: the row has {} fields, expected at least {}", r.len(), COLUMNS.len()),
            ));
        }
        let num = |i: usize| -> Result<f64, DataError> {
            let v: f64 = parse_num(path, row, COLUMNS[i], &r[i], "a number")?;
            if v.is_finite() && v >= 0.0 {
                Ok(v)
            } else {
                Err(DataError::at_row(
                    path,
                    row,
                    COLUMNS[i],
                    format!("expected a non-negative number, found {v}"),
                ))
            }
        };
        let t: i64 = parse_num(path, row, COLUMNS[0], &r[0], "an integer time in epoch seconds")?;
        // Epoch seconds before 2100 are below 4.1e9; milliseconds since 1970
        // are above 1e11 (GWA-T-12 was traced in 2013: about 1.38e9 s).
        if !(0..=4_102_444_800).contains(&t) {
            return Err(DataError::at_row(
                path,
                row,
                COLUMNS[0],
                format!(
                    "expected epoch seconds (1970-2100), found {t}{}",
                    if t > 100_000_000_000 {
                        ": milliseconds? GWA-T-12 stores seconds; divide by 1,000"
                    } else {
                        ""
                    }
                ),
            ));
        }
        if let Some(&prev) = vm.times_s.last()
            && t <= prev
        {
            return Err(DataError::at_row(
                path,
                row,
                COLUMNS[0],
                format!("expected a time after the previous row's {prev}, found {t}"),
            ));
        }
        let cores = num(1)?;
        if vm.times_s.is_empty() {
            if cores < 1.0 || cores.fract() != 0.0 {
                return Err(DataError::at_row(
                    path,
                    row,
                    COLUMNS[1],
                    format!("expected a positive whole core count, found {cores}"),
                ));
            }
            vm.cores = cores as u32;
            vm.capacity_mhz = num(2)?;
        }
        vm.times_s.push(t);
        vm.usage_mhz.push(num(3)?);
        vm.memory_kib = vm.memory_kib.max(num(5)?.ceil() as u64);
    }
    if vm.times_s.is_empty() {
        return Err(DataError::file(path, "expected at least one data row"));
    }
    Ok(vm)
}

/// Read one GWA-T-12 file or a folder of them.
pub fn read_bitbrains(path: &Path) -> Result<Trace, DataError> {
    let files: Vec<PathBuf> = if path.is_dir() {
        let mut f: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| DataError::file(path, format!("cannot list: {e}")))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "csv"))
            .collect();
        f.sort();
        if f.is_empty() {
            return Err(DataError::file(path, "expected .csv files (one VM each) in this folder"));
        }
        f
    } else {
        vec![path.to_path_buf()]
    };
    let vms = files.iter().map(|f| read_vm(f)).collect::<Result<Vec<_>, _>>()?;
    let start_s = vms.iter().map(|v| v.times_s[0]).min().unwrap_or(0);
    let mut b = TraceBuilder::new(&format!("Bitbrains GWA-T-12 {}", path.display()));
    b.start_epoch_ms(Some(start_s * 1000));
    b.note("Timestamp column read as epoch seconds (the header says ms; GWA-T-12 stores seconds)");
    b.note("Memory capacity provisioned read as KiB, rounded up to MiB");
    let numeric = vms.iter().all(|v| v.name.parse::<u64>().is_ok());
    for (i, vm) in vms.iter().enumerate() {
        let mut gaps: Vec<i64> = vm.times_s.windows(2).map(|w| w[1] - w[0]).collect();
        gaps.sort_unstable();
        let last_s = gaps.get(gaps.len() / 2).copied().unwrap_or(300);
        b.task(TaskSpec {
            id: if numeric { vm.name.parse().unwrap_or(i as u64) } else { i as u64 },
            submit_ms: ((vm.times_s[0] - start_s) * 1000) as u64,
            duration_ms: 0,
            cpu_count: vm.cores,
            cpu_capacity_mhz: vm.capacity_mhz,
            memory_mib: vm.memory_kib.div_ceil(1024),
        });
        for k in 0..vm.times_s.len() {
            let gap_s = vm.times_s.get(k + 1).map_or(last_s, |t| t - vm.times_s[k]);
            b.fragment((gap_s * 1000) as u64, vm.usage_mhz[k]);
        }
    }
    if !numeric {
        b.labels(vms.iter().map(|v| v.name.clone()).collect());
    }
    Ok(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "Timestamp [ms];\tCPU cores;\tCPU capacity provisioned [MHZ];\tCPU usage [MHZ];\tCPU usage [%];\tMemory capacity provisioned [KB];\tMemory usage [KB];\tDisk read throughput [KB/s];\tDisk write throughput [KB/s];\tNetwork received throughput [KB/s];\tNetwork transmitted throughput [KB/s]\n";

    fn row(t: i64, usage: f64) -> String {
        format!("{t};\t2;\t5200.0;\t{usage};\t1.0;\t2097152.0;\t1.0;\t0.0;\t0.0;\t0.0;\t0.0\n")
    }

    #[test]
    fn folder_of_vms_with_seconds_timestamps() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("7.csv"),
            format!("{HEADER}{}{}{}", row(1000, 10.0), row(1300, 20.0), row(1600, 30.0)),
        )
        .unwrap();
        std::fs::write(dir.path().join("3.csv"), format!("{HEADER}{}", row(1100, 5.0))).unwrap();
        let t = read_bitbrains(dir.path()).unwrap();
        assert_eq!(t.tasks.id, vec![7, 3]);
        assert_eq!(t.tasks.submit_ms, vec![0, 100_000]);
        assert_eq!(t.tasks.duration_ms, vec![900_000, 300_000]);
        assert_eq!(t.tasks.memory_mib, vec![2048, 2048]);
        assert_eq!(t.tasks.cpu_count, vec![2, 2]);
        assert_eq!(t.fragments.cpu_usage_mhz, vec![10.0, 20.0, 30.0, 5.0]);
        assert_eq!(t.start_epoch_ms, Some(1_000_000));
    }

    #[test]
    fn errors_name_row_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("1.csv");
        std::fs::write(&p, format!("{HEADER}{}{}", row(1000, 1.0), row(1000, 1.0))).unwrap();
        let e = read_bitbrains(&p).unwrap_err();
        assert_eq!((e.line_or_row(), e.field.as_deref()), (Some(3), Some("Timestamp [ms]")), "{e}");
        std::fs::write(&p, format!("{HEADER}{}", row(1000, 1.0).replace("\t5200.0", "\tlots"))).unwrap();
        let e = read_bitbrains(&p).unwrap_err();
        assert!(
            e.to_string()
                .contains("row 2: `CPU capacity provisioned [MHZ]`: expected a number, found \"lots\""),
            "{e}"
        );
        std::fs::write(&p, "a,b,c\n1,2,3\n").unwrap();
        assert!(read_bitbrains(&p).unwrap_err().to_string().contains("expected the GWA-T-12 header"));
    }

    #[test]
    fn shipped_vm_when_plenum_data_is_set() {
        let Some(data) = crate::trace::test_data_dir() else { return };
        let t = read_bitbrains(&Path::new(&data).join("bitbrains-gwa-t12-sample/gwa_t12_raw_one_vm.csv"))
            .unwrap();
        assert_eq!(t.fragments.len(), 8_619);
        assert_eq!(t.start_epoch_ms, Some(1_376_314_846_000));
        assert_eq!(t.tasks.memory_mib, vec![2048]);
    }
}
