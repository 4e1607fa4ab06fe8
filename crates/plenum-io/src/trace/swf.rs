//! Standard Workload Format job logs (Parallel Workloads Archive; Chapin et
//! al., "Benchmarks and standards for the evaluation of parallel job
//! schedulers", JSSPP 1999).
//!
//! Lines starting with `;` are header comments (`UnixStartTime` is read);
//! every other non-blank line has 18 whitespace-separated numbers, `-1` for
//! unknown. A job becomes a task submitted at field 2 (s), running field 4
//! (s) on field 5 processors (field 8, requested, when 5 is unknown), each
//! processor a vCPU at `core_mhz` and fully busy; memory is field 7 (used KB
//! per processor) or else field 10 (requested), read as KiB, times the
//! processors. Jobs with unknown or zero run time or processors cannot be
//! replayed and are skipped (counted in the notes); a log with no other job
//! is an error. Job numbers must be unique, submit times ascending (as the
//! format requires) and fields 1-10 at least 0 or -1 (unknown).

use super::{open, parse_num};
use crate::DataError;
use plenum_models::workload::{TaskSpec, Trace, TraceBuilder};
use std::io::{BufRead, BufReader};
use std::path::Path;

const FIELDS: [&str; 18] = [
    "job number",
    "submit time",
    "wait time",
    "run time",
    "allocated processors",
    "average cpu time used",
    "used memory",
    "requested processors",
    "requested time",
    "requested memory",
    "status",
    "user id",
    "group id",
    "executable number",
    "queue number",
    "partition number",
    "preceding job number",
    "think time",
];

/// 1 January 3000 in Unix seconds: later start times are not plausible.
const YEAR_3000_S: i64 = 32_503_680_000;

/// Read an SWF file; `core_mhz` is the clock of one processor.
pub fn read_swf(path: &Path, core_mhz: f64) -> Result<Trace, DataError> {
    let reader = BufReader::new(open(path)?);
    let mut b = TraceBuilder::new(&format!("SWF {}", path.display()));
    let mut skipped = 0usize;
    let mut first_submit: Option<i64> = None;
    let mut jobs: Vec<(i64, TaskSpec)> = Vec::new();
    let mut job_numbers = std::collections::HashSet::new();
    let mut last_submit = f64::NEG_INFINITY;
    let mut first_skipped: Option<(u64, &str)> = None;
    for (k, line) in reader.lines().enumerate() {
        let row = k as u64 + 1;
        let line =
            line.map_err(|e| DataError::at_row(path, row, "line", format!("expected UTF-8 text: {e}")))?;
        let text = line.trim();
        if text.is_empty() {
            continue;
        }
        if let Some(comment) = text.strip_prefix(';') {
            if let Some(v) = comment.trim().strip_prefix("UnixStartTime:") {
                let t: i64 = parse_num(path, row, "UnixStartTime", v, "an integer epoch time (s)")?;
                // Found by fuzzing: a huge value overflowed the conversion to ms.
                let ms = t.checked_mul(1000).filter(|_| (0..=YEAR_3000_S).contains(&t)).ok_or_else(|| {
                    DataError::at_row(
                        path,
                        row,
                        "UnixStartTime",
                        format!("expected an epoch time in seconds between 1970 and 3000, found {t}"),
                    )
                })?;
                b.start_epoch_ms(Some(ms));
            }
            continue;
        }
        let parts: Vec<&str> = text.split_whitespace().collect();
        if parts.len() != FIELDS.len() {
            // Name the first missing field (or the first surplus one).
            let field = FIELDS.get(parts.len()).copied().unwrap_or("line");
            return Err(DataError::at_row(
                path,
                row,
                field,
                format!("expected 18 fields, found {}", parts.len()),
            ));
        }
        let mut v = [0f64; 18];
        for (i, p) in parts.iter().enumerate() {
            v[i] = parse_num(path, row, FIELDS[i], p, "a number (-1 when unknown)")?;
            // Times, counts and sizes (fields 1-10) are ≥ 0, or -1 for unknown.
            if (1..=10).contains(&i) && v[i] < 0.0 && v[i] != -1.0 {
                return Err(DataError::at_row(
                    path,
                    row,
                    FIELDS[i],
                    format!("expected a value ≥ 0, or -1 when unknown, found {p}"),
                ));
            }
        }
        if !job_numbers.insert(v[0] as i64) {
            return Err(DataError::at_row(
                path,
                row,
                FIELDS[0],
                format!("duplicate job number {}: each job has its own", v[0]),
            ));
        }
        // The format orders jobs by submit time (Chapin et al., "the lines in
        // the file are sorted by ascending submittal times").
        if v[1] >= 0.0 {
            if v[1] < last_submit {
                return Err(DataError::at_row(
                    path,
                    row,
                    FIELDS[1],
                    format!("expected jobs in ascending submit time, found {} after {last_submit}", v[1]),
                ));
            }
            last_submit = v[1];
        }
        let procs = if v[4] > 0.0 { v[4] } else { v[7] };
        let run_s = v[3];
        if procs <= 0.0 || run_s <= 0.0 || v[1] < 0.0 {
            let field = if run_s <= 0.0 {
                FIELDS[3]
            } else if procs <= 0.0 {
                FIELDS[4]
            } else {
                FIELDS[1]
            };
            first_skipped.get_or_insert((row, field));
            skipped += 1;
            continue;
        }
        let kb_per_proc = if v[6] > 0.0 {
            v[6]
        } else if v[9] > 0.0 {
            v[9]
        } else {
            0.0
        };
        let submit_s = v[1] as i64;
        first_submit = Some(first_submit.map_or(submit_s, |f| f.min(submit_s)));
        let cpu_count = procs.round() as u32;
        jobs.push((
            submit_s,
            TaskSpec {
                id: v[0] as u64,
                submit_ms: 0,
                duration_ms: (run_s * 1000.0).round() as u64,
                cpu_count,
                cpu_capacity_mhz: f64::from(cpu_count) * core_mhz,
                memory_mib: ((kb_per_proc * procs) / 1024.0).ceil() as u64,
            },
        ));
    }
    if let (true, Some((row, field))) = (jobs.is_empty(), first_skipped) {
        return Err(DataError::at_row(
            path,
            row,
            field,
            format!("no job can be replayed: all {skipped} have an unknown or zero run time or processors"),
        ));
    }
    let origin = first_submit.unwrap_or(0);
    b.reserve(jobs.len(), 0);
    for (submit_s, mut spec) in jobs {
        spec.submit_ms = ((submit_s - origin) * 1000) as u64;
        b.task(spec);
    }
    b.note(format!("each processor is one vCPU at {core_mhz} MHz, fully busy while the job runs"));
    b.note("memory fields read as KiB per processor");
    if skipped > 0 {
        b.note(format!("{skipped} jobs skipped: unknown or zero run time or processors"));
    }
    Ok(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Trace, DataError> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("log.swf");
        std::fs::write(&p, text).unwrap();
        read_swf(&p, 1000.0)
    }

    #[test]
    fn jobs_from_fields() {
        let t = read(
            "; UnixStartTime: 749458803\n;\n\
             2 5 -1 50 -1 -1 -1 2 -1 1024 1 1 1 -1 -1 -1 -1 -1\n\
             3 7 -1 -1 8 -1 -1 -1 -1 -1 0 1 1 -1 -1 -1 -1 -1\n\
             1 10 -1 100 4 -1 2048 -1 -1 -1 1 1 1 -1 -1 -1 -1 -1\n",
        )
        .unwrap();
        assert_eq!(t.tasks.id, vec![2, 1]);
        assert_eq!(t.tasks.submit_ms, vec![0, 5_000]);
        assert_eq!(t.tasks.duration_ms, vec![50_000, 100_000]);
        assert_eq!(t.tasks.cpu_count, vec![2, 4]);
        assert_eq!(t.tasks.memory_mib, vec![2, 8]);
        assert_eq!(t.tasks.cpu_capacity_mhz, vec![2000.0, 4000.0]);
        assert_eq!(t.start_epoch_ms, Some(749_458_803_000));
        assert!(t.notes.iter().any(|n| n.contains("1 jobs skipped")));
    }

    #[test]
    fn errors_name_line_and_field() {
        let e = read("1 10 -1 x 4 -1 2048 -1 -1 -1 1 1 1 -1 -1 -1 -1 -1\n").unwrap_err();
        assert_eq!(
            e.to_string().split(": ").skip(1).collect::<Vec<_>>().join(": "),
            "row 1: `run time`: expected a number (-1 when unknown), found \"x\""
        );
        let e = read("; x\n1 2 3\n").unwrap_err();
        assert_eq!((e.line_or_row(), e.field.as_deref()), (Some(2), Some("run time")));
    }

    #[test]
    fn shipped_nasa_log_when_plenum_data_is_set() {
        let Some(data) = crate::trace::test_data_dir() else { return };
        let t =
            read_swf(&Path::new(&data).join("swf-nasa-ipsc-1993/NASA-iPSC-1993-3.1-cln.swf"), 40.0).unwrap();
        assert!(t.tasks.len() > 18_000, "{}", t.tasks.len());
        assert!(t.tasks.cpu_count.iter().all(|&c| (1..=128).contains(&c)));
    }
}
