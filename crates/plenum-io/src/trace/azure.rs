//! Azure Public Dataset V1 (2017) VM traces: a folder with `vmtable.csv[.gz]`
//! and any number of `vm_cpu_readings-*.csv[.gz]`; no header lines; gzip is
//! detected by its magic bytes.
//!
//! - `vmtable`: vm id, subscription id, deployment id, created (s), deleted
//!   (s), max cpu %, avg cpu %, p95 max cpu %, category, core-count bucket,
//!   memory bucket (GB, read as GiB). Buckets written `>24` or `>64` are read
//!   as their lower bound (noted).
//! - readings: timestamp (s), vm id, min cpu %, max cpu %, avg cpu %, one row
//!   per VM per 5 minutes.
//!
//! A VM is a task from `created` to `deleted` (at least one 5-minute slot);
//! each 5-minute slot is a fragment at the reading's average CPU, or at the
//! VM's average from `vmtable` when the slot has no reading. The trace has no
//! clock speed, so `core_mhz` (the scenario's) turns percentages into MHz.

use super::{open, parse_num};
use crate::DataError;
use flate2::read::MultiGzDecoder;
use plenum_models::workload::{TaskSpec, Trace, TraceBuilder};
use std::collections::HashMap;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

const SLOT_S: i64 = 300;

fn reader(path: &Path) -> Result<csv::Reader<Box<dyn Read>>, DataError> {
    let mut file = BufReader::new(open(path)?);
    let mut magic = [0u8; 2];
    let n = file.read(&mut magic).map_err(|e| DataError::file(path, format!("cannot read: {e}")))?;
    let head = std::io::Cursor::new(magic[..n].to_vec());
    let chained: Box<dyn Read> = Box::new(head.chain(file));
    let input: Box<dyn Read> =
        if magic == [0x1f, 0x8b] { Box::new(MultiGzDecoder::new(chained)) } else { chained };
    Ok(csv::ReaderBuilder::new().has_headers(false).flexible(false).from_reader(input))
}

fn find(folder: &Path, prefix: &str) -> Result<Vec<PathBuf>, DataError> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .map_err(|e| DataError::file(folder, format!("cannot list: {e}")))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(prefix)))
        .collect();
    files.sort();
    Ok(files)
}

fn bucket(
    path: &Path,
    row: u64,
    column: &str,
    text: &str,
    lower_bounds: &mut usize,
) -> Result<f64, DataError> {
    let t = text.trim();
    let (t, bound) = match t.strip_prefix('>') {
        Some(rest) => (rest, true),
        None => (t, false),
    };
    let v: f64 = parse_num(path, row, column, t, "a number or a bucket like \">24\"")?;
    if !(v.is_finite() && v > 0.0) {
        return Err(DataError::at_row(
            path,
            row,
            column,
            format!("expected a positive number, found {text:?}"),
        ));
    }
    *lower_bounds += usize::from(bound);
    Ok(v)
}

/// The `avg cpu` field: a percentage 0..100.
fn percentage(path: &Path, row: u64, text: &str) -> Result<f64, DataError> {
    let v: f64 = parse_num(path, row, "avg cpu", text, "a percentage")?;
    if !(0.0..=100.0).contains(&v) {
        return Err(DataError::at_row(
            path,
            row,
            "avg cpu",
            format!("expected a percentage 0..100, found {v}"),
        ));
    }
    Ok(v)
}

/// The longest VM lifetime read: one year, in seconds.
const MAX_LIFETIME_S: i64 = 366 * 86_400;

/// The furthest creation time read from the trace's start: 100 years, in
/// seconds (times in ms then still fit an i64).
const MAX_TIME_S: i64 = 100 * 366 * 86_400;

/// Read an Azure V1 folder; `core_mhz` is the clock assumed for one vCPU.
pub fn read_azure(folder: &Path, core_mhz: f64) -> Result<Trace, DataError> {
    let vmtable = find(folder, "vmtable")?.into_iter().next().ok_or_else(|| {
        DataError::file(folder, "expected a vmtable.csv.gz (or vmtable.csv) in this folder")
    })?;
    struct Vm {
        id: String,
        created_s: i64,
        deleted_s: i64,
        avg_pct: f64,
        cores: u32,
        memory_mib: u64,
    }
    let mut vms = Vec::new();
    let mut lower_bounds = 0usize;
    let mut seen = std::collections::HashSet::new();
    for (k, rec) in reader(&vmtable)?.records().enumerate() {
        let row = k as u64 + 1;
        let r =
            rec.map_err(|e| DataError::at_row(&vmtable, row, "row", format!("expected 11 fields: {e}")))?;
        if r.len() != 11 {
            return Err(DataError::at_row(
                &vmtable,
                row,
                "row",
                format!("expected 11 fields, found {}", r.len()),
            ));
        }
        let created_s: i64 = parse_num(&vmtable, row, "timestamp vm created", &r[3], "an integer time (s)")?;
        let deleted_s: i64 = parse_num(&vmtable, row, "timestamp vm deleted", &r[4], "an integer time (s)")?;
        if deleted_s < created_s {
            return Err(DataError::at_row(
                &vmtable,
                row,
                "timestamp vm deleted",
                format!("expected a time not before creation ({created_s}), found {deleted_s}"),
            ));
        }
        // Found by fuzzing: a VM living billions of seconds expanded to
        // billions of five-minute fragments and exhausted memory. The v1
        // trace covers 30 days; a year is far beyond any VM in it.
        if created_s.abs() > MAX_TIME_S {
            return Err(DataError::at_row(
                &vmtable,
                row,
                "timestamp vm created",
                format!("expected seconds from the trace's start within ±100 years, found {created_s}"),
            ));
        }
        if deleted_s.checked_sub(created_s).is_none_or(|lifetime| lifetime > MAX_LIFETIME_S) {
            return Err(DataError::at_row(
                &vmtable,
                row,
                "timestamp vm deleted",
                format!(
                    "expected a lifetime of at most one year ({MAX_LIFETIME_S} s) after creation at {created_s}, found {deleted_s} (seconds, not milliseconds?)"
                ),
            ));
        }
        if !seen.insert(r[0].to_string()) {
            return Err(DataError::at_row(
                &vmtable,
                row,
                "vm id",
                format!("duplicate VM id {:?}: each VM has one row", &r[0]),
            ));
        }
        let avg_pct = percentage(&vmtable, row, &r[6])?;
        let cores = bucket(&vmtable, row, "vm virtual core count", &r[9], &mut lower_bounds)?;
        let memory_gib = bucket(&vmtable, row, "vm memory (GB)", &r[10], &mut lower_bounds)?;
        vms.push(Vm {
            id: r[0].to_string(),
            created_s,
            deleted_s,
            avg_pct,
            cores: cores.ceil() as u32,
            memory_mib: (memory_gib * 1024.0).ceil() as u64,
        });
    }
    let index: HashMap<&str, usize> = vms.iter().enumerate().map(|(i, v)| (v.id.as_str(), i)).collect();
    // Readings: (vm, slot) -> avg %.
    let mut readings: Vec<HashMap<i64, f64>> = vec![HashMap::new(); vms.len()];
    let mut unknown = 0usize;
    for file in find(folder, "vm_cpu_readings")? {
        for (k, rec) in reader(&file)?.records().enumerate() {
            let row = k as u64 + 1;
            let r =
                rec.map_err(|e| DataError::at_row(&file, row, "row", format!("expected 5 fields: {e}")))?;
            if r.len() != 5 {
                return Err(DataError::at_row(
                    &file,
                    row,
                    "row",
                    format!("expected 5 fields, found {}", r.len()),
                ));
            }
            let t: i64 = parse_num(&file, row, "timestamp", &r[0], "an integer time (s)")?;
            let avg = percentage(&file, row, &r[4])?;
            match index.get(&r[1]) {
                Some(&i) => {
                    readings[i].insert(t.div_euclid(SLOT_S), avg);
                }
                None => unknown += 1,
            }
        }
    }
    let start_s = vms.iter().map(|v| v.created_s).min().unwrap_or(0);
    let mut b = TraceBuilder::new(&format!("Azure VM trace V1 {}", folder.display()));
    b.note(format!(
        "CPU percentages converted with {core_mhz} MHz per vCPU (the trace gives no clock speed)"
    ));
    b.note("memory bucket read as GiB; times as seconds from the trace's own origin");
    if lower_bounds > 0 {
        b.note(format!("{lower_bounds} open-ended buckets (\">N\") read as N"));
    }
    if unknown > 0 {
        b.note(format!("{unknown} readings of VMs not in vmtable ignored"));
    }
    let mut with_readings = 0;
    for (i, vm) in vms.iter().enumerate() {
        let capacity_mhz = f64::from(vm.cores) * core_mhz;
        b.task(TaskSpec {
            id: i as u64,
            submit_ms: ((vm.created_s - start_s) * 1000) as u64,
            duration_ms: 0,
            cpu_count: vm.cores,
            cpu_capacity_mhz: capacity_mhz,
            memory_mib: vm.memory_mib,
        });
        with_readings += usize::from(!readings[i].is_empty());
        let slots = ((vm.deleted_s - vm.created_s) / SLOT_S).max(1);
        let first_slot = vm.created_s.div_euclid(SLOT_S);
        for s in 0..slots {
            let pct = readings[i].get(&(first_slot + s)).copied().unwrap_or(vm.avg_pct);
            b.fragment(SLOT_S as u64 * 1000, pct / 100.0 * capacity_mhz);
        }
    }
    b.note(format!(
        "{with_readings} of {} VMs have readings; the others run at their vmtable average",
        vms.len()
    ));
    b.labels(vms.into_iter().map(|v| v.id).collect());
    Ok(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::Compression;
    use flate2::write::GzEncoder;
    use std::io::Write;

    fn gz(path: &Path, text: &str) {
        let mut e = GzEncoder::new(std::fs::File::create(path).unwrap(), Compression::default());
        e.write_all(text.as_bytes()).unwrap();
        e.finish().unwrap();
    }

    #[test]
    fn vms_with_and_without_readings() {
        let dir = tempfile::tempdir().unwrap();
        gz(
            &dir.path().join("vmtable.csv.gz"),
            "a,s,d,0,900,90,10,50,Interactive,2,4\nb,s,d,300,600,90,20,50,Unknown,>24,>64\n",
        );
        std::fs::write(
            dir.path().join("vm_cpu_readings-file-1-of-1.csv"),
            "0,a,1,2,50\n600,a,1,2,25\n0,zz,1,1,1\n",
        )
        .unwrap();
        let t = read_azure(dir.path(), 2000.0).unwrap();
        assert_eq!(t.labels.as_deref().unwrap(), ["a", "b"]);
        assert_eq!(t.tasks.submit_ms, vec![0, 300_000]);
        assert_eq!(t.tasks.cpu_count, vec![2, 24]);
        assert_eq!(t.tasks.memory_mib, vec![4096, 65_536]);
        // a: slots 0 (50%), 1 (vmtable avg 10%), 2 (25%) of 4000 MHz; b: one slot at 20% of 48,000.
        assert_eq!(t.fragments.cpu_usage_mhz, vec![2000.0, 400.0, 1000.0, 9600.0]);
        assert!(t.notes.iter().any(|n| n.contains("1 readings of VMs not in vmtable")));
    }

    #[test]
    fn errors_name_file_row_and_column() {
        let dir = tempfile::tempdir().unwrap();
        gz(
            &dir.path().join("vmtable.csv.gz"),
            "a,s,d,0,900,90,10,50,Interactive,2,4\nb,s,d,300,200,90,20,50,Unknown,2,4\n",
        );
        let e = read_azure(dir.path(), 2000.0).unwrap_err();
        assert_eq!((e.line_or_row(), e.field.as_deref()), (Some(2), Some("timestamp vm deleted")), "{e}");
        gz(&dir.path().join("vmtable.csv.gz"), "a,s,d,0,900,90,10,50,Interactive,two,4\n");
        let e = read_azure(dir.path(), 2000.0).unwrap_err();
        assert!(
            e.to_string().contains("vmtable.csv.gz: row 1: `vm virtual core count`: expected a number"),
            "{e}"
        );
    }

    #[test]
    fn shipped_sample_when_plenum_data_is_set() {
        let Some(data) = crate::trace::test_data_dir() else { return };
        let t = read_azure(&Path::new(&data).join("azure-vm-v1-sample"), 2400.0).unwrap();
        assert_eq!(t.tasks.len(), 10);
        assert!(t.tasks.duration_ms.iter().all(|&d| d >= 300_000));
    }
}
