//! The `plenum` command: parse arguments, load the scenario, call the engine,
//! print. All modelling lives in the library crates; this is glue.
//!
//! Exit status: 0 on success, 2 when the input (scenario file, override, run
//! folder) is wrong, 3 when `--strict` and the run gave warnings, 130 on
//! Ctrl-C (143 on SIGTERM; see [`interrupt`]), 1 for anything else.

mod calibrate;
mod interrupt;
mod progress;
mod reliability_table;
mod table;
mod workload;

use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};
use plenum_scenario::{Scenario, ScenarioError};
use progress::{Mode, Progress};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Plenum: a data-center digital twin. Cost, power, cooling, carbon and
/// reliability from one scenario file.
#[derive(Parser)]
#[command(name = "plenum", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Evaluate a scenario (the embedded default when no file is given).
    Run {
        /// Scenario file (TOML). Omit to run the embedded default.
        scenario: Option<PathBuf>,
        #[command(flatten)]
        common: Common,
    },
    /// Check a scenario file and report every problem in it.
    Validate {
        /// Scenario file (TOML).
        scenario: PathBuf,
        /// Override a value: `--set energy.pue=1.2` (repeatable).
        #[arg(long = "set", value_name = "PATH=VALUE")]
        set: Vec<String>,
    },
    /// Print the JSON Schema of scenario files (for editors).
    Schema,
    /// Plan capacity over years: demand growth, modules, lead times, sites.
    Plan {
        /// Scenario file with a `[plan]` table.
        scenario: PathBuf,
        /// Print every month instead of every year.
        #[arg(long)]
        monthly: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Move every numeric input down and up and rank the effect on cost.
    Sensitivity {
        /// Scenario file (TOML). Omit to use the embedded default.
        scenario: Option<PathBuf>,
        /// Fraction each input moves by.
        #[arg(long, default_value_t = 0.2)]
        delta: f64,
        /// Show only the largest N rows in the table.
        #[arg(long)]
        top: Option<usize>,
        #[command(flatten)]
        common: Common,
    },
    /// Run a scenario over a grid of values (and seeds) on all cores, writing
    /// one Parquet table: a row per variant and sample, the inputs set, then
    /// every figure of the run's summary.
    Sweep {
        /// Scenario file (TOML). Omit to use the embedded default.
        scenario: Option<PathBuf>,
        /// A grid key and its values: `--vary site.climate=ashburn,phoenix`
        /// (repeatable; every combination runs, the last key fastest).
        #[arg(long = "vary", value_name = "KEY=A,B,...", required = true)]
        vary: Vec<String>,
        /// Seeds per variant: sample j runs with seed + j.
        #[arg(long, default_value_t = 1)]
        samples: u64,
        /// Seed of sample 0 (default: the scenario's).
        #[arg(long)]
        seed: Option<u64>,
        /// The Parquet file to write (replaced whole or not at all).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Override a value of the base scenario: `--set energy.pue=1.2` (repeatable).
        #[arg(long = "set", value_name = "PATH=VALUE")]
        set: Vec<String>,
        /// Print no progress on stderr.
        #[arg(long)]
        quiet: bool,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Fit the hosts' power model to the scenario's measured telemetry on a
    /// window, report the error on it and on the held-out rest, and write the
    /// calibrated scenario.
    Calibrate(calibrate::Args),
    /// Rebuild report.html from a run folder without simulating, or compare
    /// two run folders (inputs that differ, then every headline figure).
    Report {
        /// A run folder (written by `plenum run --out DIR`).
        run: PathBuf,
        /// A second run folder: compare it with the first.
        other: Option<PathBuf>,
        /// Write the HTML here (default: RUN/report.html; with two runs the
        /// comparison is printed, and written as HTML only when this is given).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(clap::Args)]
struct Common {
    /// Write results to this folder: summary.json and Parquet tables (written
    /// whole or not at all).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// With --out, also write every table as CSV.
    #[arg(long)]
    csv: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Override a value: `--set energy.pue=1.2` (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    set: Vec<String>,
    /// Print no progress and no notes on stderr (errors still go there).
    #[arg(long, conflicts_with = "progress")]
    quiet: bool,
    /// Show progress on stderr even when it is not a terminal.
    #[arg(long)]
    progress: bool,
    /// Exit with status 3 when the run gives any warning (the run completes
    /// and its outputs are written first).
    #[arg(long)]
    strict: bool,
    #[command(flatten)]
    limits: LimitArgs,
}

/// Caps on a run's size, checked before it starts (see README, "Limits").
#[derive(clap::Args)]
struct LimitArgs {
    /// Refuse runs estimated to need more CPU time than this, in seconds of
    /// all threads together [default: PLENUM_MAX_CPU_S, else 600].
    #[arg(long, value_name = "SECONDS", value_parser = positive)]
    max_cpu_s: Option<f64>,
    /// Refuse runs estimated to need more memory than this, in GiB
    /// [default: PLENUM_MAX_MEMORY_GIB, else 8].
    #[arg(long, value_name = "GIB", value_parser = positive)]
    max_memory_gib: Option<f64>,
}

impl LimitArgs {
    /// The environment's limits with the flags given applied.
    fn limits(&self) -> Result<plenum_run::Limits> {
        let mut limits = plenum_run::limits_from_env()?;
        limits.max_cpu_s = self.max_cpu_s.unwrap_or(limits.max_cpu_s);
        limits.max_memory_gib = self.max_memory_gib.unwrap_or(limits.max_memory_gib);
        Ok(limits)
    }
}

fn positive(text: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|x| *x > 0.0)
        .ok_or_else(|| format!("expected a number > 0, found {text:?}"))
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// A readable table.
    Table,
    /// One JSON object.
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(e) = interrupt::install(output_path(&cli.command)) {
        eprintln!("warning: cannot handle Ctrl-C ({e}); an interrupted run may leave a staging folder");
    }
    let outcome = execute(cli);
    interrupt::wait_if_requested();
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            if let Some(scenario_error) = error.downcast_ref::<ScenarioError>() {
                eprint!("{}", scenario_error.render(std::io::stderr().is_terminal()));
                ExitCode::from(2)
            } else if let Some(data_error) = error.downcast_ref::<plenum_io::DataError>() {
                eprintln!("error: {data_error}");
                ExitCode::from(2)
            } else if let Some(trace_error) = error.downcast_ref::<plenum_io::trace::TraceError>() {
                eprintln!("error: {trace_error}");
                ExitCode::from(2)
            } else if let Some(strict) = error.downcast_ref::<StrictWarnings>() {
                eprintln!("error: {strict}");
                ExitCode::from(3)
            } else {
                eprintln!("error: {error:#}");
                ExitCode::from(1)
            }
        }
    }
}

/// `--strict` and the run gave warnings (exit status 3).
#[derive(Debug)]
struct StrictWarnings(usize);

impl std::fmt::Display for StrictWarnings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = if self.0 == 1 { "" } else { "s" };
        write!(f, "--strict: the run gave {} warning{s} (listed above)", self.0)
    }
}

impl std::error::Error for StrictWarnings {}

/// Print a run's warnings on stderr, one line each, after its output; with
/// `strict`, any warning is an error (exit status 3).
fn report_warnings(warnings: &[plenum_engine::Warning], strict: bool) -> Result<()> {
    for w in warnings {
        eprintln!("{w}");
    }
    if strict && !warnings.is_empty() {
        return Err(StrictWarnings(warnings.len()).into());
    }
    Ok(())
}

/// The folder or file a command writes, for the message on Ctrl-C.
fn output_path(command: &Command) -> Option<PathBuf> {
    match command {
        Command::Run { common, .. } | Command::Plan { common, .. } | Command::Sensitivity { common, .. } => {
            common.out.clone()
        }
        Command::Sweep { out, .. } => Some(out.clone()),
        Command::Report { run, other, out } => {
            out.clone().or_else(|| other.is_none().then(|| run.join("report.html")))
        }
        Command::Calibrate(args) => args.out.clone(),
        Command::Validate { .. } | Command::Schema => None,
    }
}

fn load(path: Option<&PathBuf>, overrides: &[String]) -> Result<Scenario, ScenarioError> {
    match path {
        Some(path) => Scenario::from_path_with(path, overrides),
        None => {
            let (_, text) = plenum_scenario::embedded::SCENARIOS[0];
            Scenario::load("<embedded default>", text, overrides)
        }
    }
}

fn execute(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run { scenario, common } => {
            let mode = Mode::from_flags(common.quiet, common.progress);
            let scenario = load(scenario.as_ref(), &common.set)?;
            // With --out, the folder is staged first so that long series
            // stream into it; dropped unfinished on any error, it leaves nothing.
            let out = common.out.as_deref().map(plenum_io::write::OutputDir::create).transpose()?;
            let streams = out.as_ref().map(|out| plenum_run::Streams { out, csv: common.csv });
            let limits = common.limits.limits()?;
            let progress = Progress::start(mode, &format!("running {}", scenario.name));
            let run = plenum_run::run_streaming(&scenario, &limits, streams);
            progress.finish();
            let run = run?;
            let summary = run.summary();
            if let Some(out) = out {
                let tables: Vec<_> = run.tables().cloned().collect();
                write_outputs(out, &scenario, &summary, &tables, None, common.csv)?;
            }
            match common.format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&summary)?),
                Format::Table => {
                    print!("{}", table::run(&scenario, &run.results));
                    run.results.workload.iter().for_each(|w| print!("{}", workload::table(w)));
                    if let Some((p, t)) = &run.plan {
                        print!("\n{}", table::plan(&scenario, p, &t[0], false));
                    }
                }
            }
            if let Some(dir) = &common.out
                && mode.chatty()
            {
                eprintln!(
                    "results written to {} (open {})",
                    dir.display(),
                    dir.join("report.html").display()
                );
            }
            report_warnings(&run.results.warnings, common.strict)?;
        }
        Command::Validate { scenario, set } => {
            let s = Scenario::from_path_with(&scenario, &set)?;
            println!(
                "{}: ok ({}: {} servers in {} SKU{}, {} kW critical)",
                scenario.display(),
                s.name,
                s.server_count(),
                s.servers.len(),
                if s.servers.len() == 1 { "" } else { "s" },
                s.facility.critical_power_kw
            );
        }
        Command::Plan { scenario, monthly, common } => {
            let mode = Mode::from_flags(common.quiet, common.progress);
            let scenario = load(Some(&scenario), &common.set)?;
            anyhow::ensure!(scenario.plan.is_some(), "{} has no [plan] table", scenario.document.origin);
            let run = run_everything(&scenario, mode, &common.limits.limits()?)?;
            let (p, plan_tables) = run.plan.as_ref().expect("the scenario has a plan");
            let summary = run.summary();
            if let Some(dir) = &common.out {
                let tables: Vec<_> = run.tables().cloned().collect();
                let out = plenum_io::write::OutputDir::create(dir)?;
                write_outputs(out, &scenario, &summary, &tables, None, common.csv)?;
            }
            match common.format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&summary)?),
                Format::Table => print!("{}", table::plan(&scenario, p, &plan_tables[0], monthly)),
            }
            report_warnings(&run.results.warnings, common.strict)?;
        }
        Command::Schema => {
            println!("{}", serde_json::to_string_pretty(plenum_scenario::json_schema())?);
        }
        Command::Sensitivity { scenario, delta, top, common } => {
            anyhow::ensure!(
                delta > 0.0 && delta < 1.0,
                "--delta must be a fraction between 0 and 1, got {delta}"
            );
            let mode = Mode::from_flags(common.quiet, common.progress);
            let scenario = load(scenario.as_ref(), &common.set)?;
            // Every numeric input moved down and up (the cost model and the
            // year, as `engine::run` without reliability), and the base run.
            use plenum_engine::limits::{PartKind, estimate};
            let variants = 2 * scenario.document.numeric_leaves().len();
            let base = estimate(&scenario, None).only(&[PartKind::FacilityYear, PartKind::Reliability]);
            let size = base
                .clone()
                .only(&[PartKind::FacilityYear])
                .times(variants as f64, &format!("{variants} variants"))
                .and(base);
            plenum_run::check_size(&scenario, &size, &common.limits.limits()?)?;
            let inputs = plenum_io::load_inputs(&scenario)?;
            let progress = Progress::start(mode, "moving inputs");
            let rows = plenum_engine::sensitivity_with_progress(&scenario, &inputs, delta, &progress.hook());
            progress.finish();
            let rows_json = serde_json::to_value(&rows)?;
            let base = plenum_engine::run(&scenario, &inputs)?;
            if let Some(dir) = &common.out {
                let summary = base.to_json();
                let out = plenum_io::write::OutputDir::create(dir)?;
                write_outputs(out, &scenario, &summary, &base.tables, Some(&rows_json), common.csv)?;
                if mode.chatty() {
                    eprintln!(
                        "results written to {} (open {})",
                        dir.display(),
                        dir.join("report.html").display()
                    );
                }
            }
            match common.format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&rows_json)?),
                Format::Table => print!("{}", table::sensitivity(&scenario, &base, &rows, delta, top)),
            }
            report_warnings(&base.warnings, common.strict)?;
        }
        Command::Sweep { scenario, vary, samples, seed, out, set, quiet, limits } => {
            let scenario = load(scenario.as_ref(), &set)?;
            let axes = vary.iter().map(|v| plenum_run::sweep::Axis::parse(v)).collect::<Result<Vec<_>>>()?;
            let sweep = plenum_run::sweep::Sweep::new(&scenario, axes, samples, seed)?;
            sweep.check(&scenario)?;
            // The base scenario's size for every row (variants differ, but
            // rarely by orders of magnitude).
            let size = plenum_engine::limits::estimate(&scenario, None)
                .times(sweep.rows() as f64, &format!("{} rows", sweep.rows()));
            plenum_run::check_size(&scenario, &size, &limits.limits()?)?;
            let mode = Mode::from_flags(quiet, false);
            let progress =
                Progress::start(mode, &format!("sweeping {} ({} rows)", scenario.name, sweep.rows()));
            let table = plenum_run::sweep::evaluate(&scenario, &sweep, 0..sweep.rows());
            progress.finish();
            let table = table?;
            let bytes = plenum_io::write::parquet_bytes(&table)?;
            plenum_io::atomic_file::replace_file(&out, &bytes)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", out.display()))?;
            if mode.chatty() {
                eprintln!(
                    "{} rows ({} variants x {} samples), {} columns written to {}",
                    table.rows(),
                    sweep.variants(),
                    samples,
                    table.columns.len(),
                    out.display()
                );
            }
        }
        Command::Calibrate(args) => calibrate::command(args)?,
        Command::Report { run, other, out } => match other {
            None => {
                let folder = plenum_io::run_folder::read_run_folder(&run)?;
                let html = plenum_report::render_report(&as_run(&folder)).map_err(|e| in_folder(&run, e))?;
                let target = out.unwrap_or_else(|| run.join("report.html"));
                plenum_io::atomic_file::replace_file(&target, html.as_bytes())
                    .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", target.display()))?;
                eprintln!("report written to {}", target.display());
            }
            Some(other) => {
                let a = plenum_io::run_folder::read_run_folder(&run)?;
                let b = plenum_io::run_folder::read_run_folder(&other)?;
                for (dir, folder) in [(&run, &a), (&other, &b)] {
                    plenum_report::validate(&as_run(folder)).map_err(|e| in_folder(dir, e))?;
                }
                let comparison = plenum_report::compare(&as_run(&a), &as_run(&b)).map_err(|e| {
                    anyhow::anyhow!("comparing {} and {}: {e}", run.display(), other.display())
                })?;
                print!("{}", table::comparison(&comparison, &run, &other));
                if let Some(target) = out {
                    let html = plenum_report::render_comparison(
                        &comparison,
                        &run.display().to_string(),
                        &other.display().to_string(),
                    );
                    plenum_io::atomic_file::replace_file(&target, html.as_bytes())
                        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", target.display()))?;
                    eprintln!("comparison written to {}", target.display());
                }
            }
        },
    }
    Ok(())
}

/// A run folder as the report's input.
fn as_run(folder: &plenum_io::run_folder::RunFolder) -> plenum_report::Run<'_> {
    plenum_report::Run {
        summary: &folder.summary,
        scenario_toml: folder.scenario_toml.as_deref(),
        tables: &folder.tables,
        sensitivity: folder.sensitivity.as_ref(),
    }
}

/// A report error about a file of the run folder `dir`, as a data error (exit 2).
fn in_folder(dir: &Path, e: plenum_report::ReportError) -> plenum_io::DataError {
    plenum_io::DataError {
        file: dir.join(e.file),
        line: None,
        field: (!e.field.is_empty()).then_some(e.field),
        message: e.message,
    }
}

/// Write a run's outputs into `out` and commit it (the folder appears whole):
/// summary.json, scenario.toml, the tables (Parquet, and CSV when `csv`),
/// sensitivity.json when given, and report.html.
fn write_outputs(
    out: plenum_io::write::OutputDir,
    scenario: &Scenario,
    summary: &serde_json::Value,
    tables: &[plenum_engine::DataTable],
    sensitivity: Option<&serde_json::Value>,
    csv: bool,
) -> Result<()> {
    out.write_json("summary.json", summary)?;
    // The scenario as run: the file's text, then the overrides applied to it.
    let mut text = scenario.document.source.to_string();
    let overrides = scenario.document.overrides();
    if !overrides.is_empty() {
        text.push_str("\n# Overrides applied on the command line:\n");
        for o in overrides {
            text.push_str(&format!("#   --set {o}\n"));
        }
    }
    out.write_bytes("scenario.toml", text.as_bytes())?;
    for table in tables {
        out.write_table(table, csv)?;
    }
    if let Some(rows) = sensitivity {
        out.write_json("sensitivity.json", rows)?;
    }
    let run = plenum_report::Run { summary, scenario_toml: Some(&text), tables, sensitivity };
    let html = plenum_report::render_report(&run).map_err(|e| anyhow::anyhow!("building the report: {e}"))?;
    out.write_bytes("report.html", html.as_bytes())?;
    out.commit()?;
    Ok(())
}

/// Everything the scenario asks for (`plenum_run::run_limited`), with progress on stderr.
fn run_everything(scenario: &Scenario, mode: Mode, limits: &plenum_run::Limits) -> Result<plenum_run::Run> {
    let progress = Progress::start(mode, &format!("running {}", scenario.name));
    let outcome = plenum_run::run_limited(scenario, limits);
    progress.finish();
    outcome
}
