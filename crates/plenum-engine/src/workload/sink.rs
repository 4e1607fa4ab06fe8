//! Where replay series go as they are produced: a [`SeriesSink`] receives one
//! cluster row per sample and, when it asks for them, every host's means over
//! the interval. [`TableSink`] keeps them as [`DataTable`]s; a writer that
//! streams to disk implements the same trait and keeps memory bounded.

use crate::tables::{ColumnValues, DataTable};

/// One sample of the whole fleet, over the interval ending at `time_ms`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClusterRow {
    /// End of the interval, ms after the first submission.
    pub time_ms: u64,
    /// Mean IT power over the interval, kW.
    pub it_power_kw: f64,
    /// Mean CPU utilization over hosts and the interval (0..1).
    pub mean_utilization: f64,
    /// Hosts running work at the sample.
    pub active_hosts: u64,
    /// Tasks running at the sample.
    pub running_tasks: u64,
    /// Tasks waiting in queues at the sample.
    pub queued_tasks: u64,
}

/// Receives series from a replay.
pub trait SeriesSink {
    /// One cluster row.
    fn cluster(&mut self, row: &ClusterRow);
    /// Whether [`SeriesSink::hosts`] should be called.
    fn wants_hosts(&self) -> bool {
        false
    }
    /// Every host's mean power (W) and utilization over the interval ending at `time_ms`.
    fn hosts(&mut self, time_ms: u64, power_w: &[f64], utilization: &[f64]) {
        let _ = (time_ms, power_w, utilization);
    }
}

/// Collects series into tables (`workload_cluster`, and `workload_host_series`
/// when asked).
#[derive(Debug, Default)]
pub struct TableSink {
    host_series: bool,
    time_s: Vec<f64>,
    it_power_kw: Vec<f64>,
    mean_utilization: Vec<f64>,
    active_hosts: Vec<u64>,
    running_tasks: Vec<u64>,
    queued_tasks: Vec<u64>,
    host_time_s: Vec<f64>,
    host: Vec<u64>,
    host_power_w: Vec<f64>,
    host_utilization: Vec<f64>,
}

impl TableSink {
    /// A sink; `host_series` also keeps per-host rows.
    pub fn new(host_series: bool) -> Self {
        TableSink { host_series, ..TableSink::default() }
    }

    /// The collected tables.
    pub fn into_tables(self) -> Vec<DataTable> {
        let mut tables = vec![
            DataTable::new("workload_cluster", "the fleet over time, one row per sample interval")
                .with(
                    "time_s",
                    "end of the interval, s after the first submission",
                    ColumnValues::F64(self.time_s),
                )
                .with(
                    "it_power_kw",
                    "mean IT power of all hosts over the interval",
                    ColumnValues::F64(self.it_power_kw),
                )
                .with(
                    "mean_utilization",
                    "mean CPU utilization over hosts and the interval (0..1)",
                    ColumnValues::F64(self.mean_utilization),
                )
                .with(
                    "active_hosts",
                    "hosts running work at the sample",
                    ColumnValues::U64(self.active_hosts),
                )
                .with("running_tasks", "tasks running at the sample", ColumnValues::U64(self.running_tasks))
                .with("queued_tasks", "tasks waiting at the sample", ColumnValues::U64(self.queued_tasks)),
        ];
        if self.host_series {
            tables.push(host_series_table(
                self.host_time_s,
                self.host,
                self.host_power_w,
                self.host_utilization,
            ));
        }
        tables
    }
}

/// Rows of the per-host series as the table `workload_host_series` (the
/// whole series, or a chunk of it for a writer that streams).
pub fn host_series_table(
    time_s: Vec<f64>,
    host: Vec<u64>,
    power_w: Vec<f64>,
    utilization: Vec<f64>,
) -> DataTable {
    DataTable::new("workload_host_series", "each host over time, one row per host and interval")
        .with("time_s", "end of the interval, s", ColumnValues::F64(time_s))
        .with("host", "host index", ColumnValues::U64(host))
        .with("power_w", "mean power over the interval", ColumnValues::F64(power_w))
        .with("utilization", "mean CPU utilization over the interval (0..1)", ColumnValues::F64(utilization))
}

impl SeriesSink for TableSink {
    fn cluster(&mut self, row: &ClusterRow) {
        self.time_s.push(row.time_ms as f64 / 1000.0);
        self.it_power_kw.push(row.it_power_kw);
        self.mean_utilization.push(row.mean_utilization);
        self.active_hosts.push(row.active_hosts);
        self.running_tasks.push(row.running_tasks);
        self.queued_tasks.push(row.queued_tasks);
    }

    fn wants_hosts(&self) -> bool {
        self.host_series
    }

    fn hosts(&mut self, time_ms: u64, power_w: &[f64], utilization: &[f64]) {
        for (h, (&p, &u)) in power_w.iter().zip(utilization).enumerate() {
            self.host_time_s.push(time_ms as f64 / 1000.0);
            self.host.push(h as u64);
            self.host_power_w.push(p);
            self.host_utilization.push(u);
        }
    }
}
