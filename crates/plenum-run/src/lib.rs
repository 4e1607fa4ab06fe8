//! What the front ends (the `plenum` command and the Python package) share:
//! a complete run of a scenario — its data files read, its workload replayed,
//! its year simulated, its reliability studied, its capacity planned — as one
//! [`Run`] with the summary the CLI prints and every table; [`sweep`], the
//! same run over a grid of overrides and seeds; [`sensitivity`], every
//! numeric input moved down and up around it; the run-size limits
//! ([`check_size`]) every front end applies before it starts; and
//! [`output`], the run folder they write.
//!
//! ```
//! // What `plenum run hamilton-2010 --format json` prints, as a typed summary.
//! let scenario = plenum_scenario::embedded::load("hamilton-2010").unwrap();
//! let run = plenum_run::run(&scenario).unwrap();
//! let json = run.summary().to_value();
//! assert!(json["cost"]["per_server_month_usd"].as_f64().unwrap() > 0.0);
//! ```
//!
//! Every fallible function returns [`RunError`]: one variant per kind of
//! failure a front end treats differently (a bad scenario, a bad data file,
//! a bad setting beside the scenario, a run above the size caps, a cancelled
//! run, a failure of the model), so the CLI, Python and the web server
//! `match` on it.

pub mod calibrate;
mod carbon_aware;
mod error;
pub mod figures;
pub mod output;
pub mod sensitivity;
pub mod sweep;
pub mod telemetry;
mod workload;

pub use error::RunError;
pub use plenum_engine::Summary;
pub use plenum_engine::limits::Limits;
use plenum_engine::limits::RunSize;
use plenum_engine::plan::PlanSummary;
pub use plenum_engine::{CancelToken, Control as RunControl};
use plenum_engine::{Control, DataTable, Results};
use plenum_scenario::Scenario;

/// A plenum-run result.
pub type Result<T, E = RunError> = std::result::Result<T, E>;

/// Everything one scenario produced.
#[derive(Debug, Clone)]
pub struct Run {
    /// The cost model, the simulated year, the reliability study and the
    /// workload replay.
    pub results: Results,
    /// The capacity plan and its tables, when the scenario has a `[plan]`.
    pub plan: Option<(PlanSummary, Vec<DataTable>)>,
    /// Figures computed from absent inputs (the scenario's notes).
    pub notes: Vec<plenum_scenario::notes::Note>,
    /// The comparison with measured telemetry (the summary's `calibration`
    /// object), when the scenario has `[telemetry]`.
    pub calibration: Option<plenum_engine::calibration::Calibration>,
}

impl Run {
    /// The run's summary: the results with the plan, the notes and the
    /// calibration. Serialized, this is what `plenum run --format json` prints.
    pub fn summary(&self) -> Summary {
        Summary::new(
            &self.results,
            self.plan.as_ref().map(|(plan, _)| plan),
            &self.notes,
            self.calibration.as_ref(),
        )
    }

    /// Every table the run produced: series and event logs, then the plan's.
    pub fn tables(&self) -> impl Iterator<Item = &DataTable> {
        self.results.tables.iter().chain(self.plan.iter().flat_map(|(_, tables)| tables))
    }
}

/// Run everything the scenario asks for: read its data files, replay its
/// workload (which then drives the facility year), evaluate cost, the year
/// and reliability, and plan capacity; within the limits of the environment
/// ([`limits_from_env`]).
pub fn run(scenario: &Scenario) -> Result<Run> {
    run_limited(scenario, &limits_from_env()?)
}

/// [`run`] under explicit limits: the run's size is estimated before it
/// starts (and again once its trace is read), and a run above a cap is
/// refused ([`RunError::TooLarge`]) with a diagnostic at the field that drives it.
pub fn run_limited(scenario: &Scenario, limits: &Limits) -> Result<Run> {
    run_streaming(scenario, limits, None)
}

/// Where a run writes tables too large to keep, as it produces them: an
/// output folder being staged, and whether tables also go out as CSV.
#[derive(Clone, Copy)]
pub struct Streams<'a> {
    /// The folder (its staging area until the caller commits it).
    pub out: &'a plenum_io::write::OutputDir,
    /// Also write CSV.
    pub csv: bool,
}

/// [`run_limited`], streaming the replay's per-host series into `streams`
/// when given (that table is then in the folder and not in the [`Run`]), so
/// memory stays bounded however long the replay.
pub fn run_streaming(scenario: &Scenario, limits: &Limits, streams: Option<Streams<'_>>) -> Result<Run> {
    run_controlled(scenario, limits, streams, &Control::default())
}

/// [`run_streaming`] under `control`: every stage (replay, year,
/// reliability, plan) reports its progress to it and stops soon after its
/// token is cancelled, with [`RunError::Interrupted`]. Not cancelled,
/// the run is bit-identical to [`run_streaming`]'s.
pub fn run_controlled(
    scenario: &Scenario,
    limits: &Limits,
    streams: Option<Streams<'_>>,
    control: &Control<'_>,
) -> Result<Run> {
    run_sharing(scenario, limits, streams, control, SharedYear::default())
}

/// What a caller computed once for several scenarios and gives each run
/// (a sweep's rows): the year reads it instead of computing it, to the same
/// bits. Ignored when a workload replay drives the year.
#[derive(Default, Clone)]
pub(crate) struct SharedYear {
    /// The servers' power of every rack and hour, for a scenario that draws
    /// the same ([`plenum_engine::facility::same_servers_power`]).
    pub(crate) servers_power: Option<std::sync::Arc<plenum_engine::facility::ServersPower>>,
    /// A year's IT side, for a scenario that shares it
    /// ([`plenum_engine::facility::same_it_side`]).
    pub(crate) it_side: Option<std::sync::Arc<plenum_engine::facility::ItSide>>,
}

/// [`run_controlled`] with part of the year given by the caller
/// ([`SharedYear`]): bit-identical to [`run_controlled`]'s run.
pub(crate) fn run_sharing(
    scenario: &Scenario,
    limits: &Limits,
    streams: Option<Streams<'_>>,
    control: &Control<'_>,
    shared: SharedYear,
) -> Result<Run> {
    check_size(scenario, &plenum_engine::limits::estimate(scenario, None), limits)?;
    let mut inputs = plenum_io::load_inputs(scenario)?;
    (inputs.servers_power, inputs.it_side) = (shared.servers_power, shared.it_side);
    let plan_inputs = plenum_io::load_plan_inputs(scenario)?;
    control.check()?;
    let replay = workload::replay(scenario, limits, streams, control);
    // A replay stopped by the token fails; the token says which failure it was.
    control.check()?;
    let replay = replay?;
    inputs.replay_hourly = replay.as_ref().and_then(|(outcome, _)| workload::hourly(outcome));
    let mut results = plenum_engine::run_controlled(scenario, &inputs, control)?;
    let mut calibration = None;
    if let Some((outcome, _)) = &replay
        && let Some(measured) = telemetry::load(scenario, outcome.summary.workload.hosts)?
    {
        let (summary, table) = telemetry::compare(outcome, &measured);
        calibration = Some(summary);
        results.tables.push(table);
    }
    if let Some((summary, tables)) =
        carbon_aware::evaluate(scenario, replay.as_ref().map(|(_, input)| input))?
    {
        results.carbon_aware = Some(summary);
        results.tables.extend(tables);
    }
    if let Some((outcome, _)) = replay {
        results.workload = Some(outcome.summary);
        results.tables.extend(outcome.tables);
    }
    let plan = plenum_engine::plan::plan_controlled(scenario, &plan_inputs, control)?;
    Ok(Run { results, plan, calibration, notes: scenario.notes.clone() })
}

/// The variable that raises the CPU-time cap (seconds).
pub const MAX_CPU_S_VAR: &str = "PLENUM_MAX_CPU_S";
/// The variable that raises the memory cap (GiB).
pub const MAX_MEMORY_GIB_VAR: &str = "PLENUM_MAX_MEMORY_GIB";

/// The default [`Limits`], with each cap replaced by its environment
/// variable when set ([`MAX_CPU_S_VAR`], [`MAX_MEMORY_GIB_VAR`]).
pub fn limits_from_env() -> Result<Limits> {
    let mut limits = Limits::default();
    for (name, cap) in
        [(MAX_CPU_S_VAR, &mut limits.max_cpu_s), (MAX_MEMORY_GIB_VAR, &mut limits.max_memory_gib)]
    {
        if let Ok(text) = std::env::var(name) {
            *cap =
                text.trim().parse::<f64>().ok().filter(|x| *x > 0.0).ok_or_else(|| {
                    RunError::Usage(format!("{name}: expected a number > 0, found {text:?}"))
                })?;
        }
    }
    Ok(limits)
}

/// [`RunError::TooLarge`] when `size` is above a cap of `limits`: a
/// diagnostic at the scenario field that drives the largest part, saying how
/// to raise the cap.
pub fn check_size(scenario: &Scenario, size: &RunSize, limits: &Limits) -> Result<()> {
    size.check(limits).map_err(|e| {
        let (flag, var) = match e.resource {
            plenum_engine::limits::Resource::CpuTime => ("--max-cpu-s", MAX_CPU_S_VAR),
            plenum_engine::limits::Resource::Memory => ("--max-memory-gib", MAX_MEMORY_GIB_VAR),
        };
        RunError::TooLarge(Box::new(scenario.error_at(
            &e.part.field,
            e.to_string(),
            Some(format!(
                "if the machine has it, raise the cap with `plenum run {flag} N` or the environment variable {var}=N"
            )),
        )))
    })
}
