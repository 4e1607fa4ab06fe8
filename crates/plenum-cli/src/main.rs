//! The `plenum` command: parse arguments, load the scenario, call the engine,
//! print. All modelling lives in the library crates; this is glue.
//!
//! Exit status: 0 on success (and when the reader of stdout goes away, as
//! `plenum schema | head -1` does), 2 when the input (scenario file, override,
//! run folder, flag) is wrong or an output would replace a file Plenum may
//! not replace ([`guard`]), 3 when `--strict` and the run gave warnings, 130
//! on Ctrl-C (143 on SIGTERM; see [`interrupt`]), 1 for anything else.

mod calibrate;
mod guard;
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
#[command(
    name = "plenum",
    version,
    about = "Plenum: a digital twin of a data-center site. From one scenario file (servers, \
             building, power chain, cooling, climate, grid, prices) it works out what the site \
             costs a month and per server, its energy and PUE hour by hour over a year, its \
             carbon, how reliable it is, how many more servers fit, and when to build the next \
             module.",
    after_help = "Start with `plenum run` (the embedded 8 MW Ashburn site), then \
                  `plenum run my-site.toml -o results` and open results/report.html. \
                  A scenario file of `-` is read from stdin."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Evaluate a scenario (the embedded default when no file is given).
    Run {
        /// Scenario file (TOML; `-` reads stdin). Omit to run the embedded default.
        scenario: Option<PathBuf>,
        #[command(flatten)]
        common: Common,
    },
    /// Check a scenario file and report every problem in it.
    Validate {
        /// Scenario file (TOML; `-` reads stdin).
        scenario: PathBuf,
        #[command(flatten)]
        edits: Edits,
    },
    /// Print the JSON Schema of scenario files (for editors).
    Schema {
        /// Print the scenario reference in Markdown instead (the book's
        /// reference/scenario.md).
        #[arg(long)]
        markdown: bool,
        /// Print the JSON Schema of the summary instead (what `plenum run
        /// --format json` prints and summary.json holds).
        #[arg(long, conflicts_with = "markdown")]
        summary: bool,
    },
    /// Plan capacity over years: demand growth, modules, lead times, sites.
    Plan {
        /// Scenario file with a `[plan]` table (`-` reads stdin).
        scenario: PathBuf,
        /// Print every month instead of every year.
        #[arg(long)]
        monthly: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Move every numeric input down and up and rank the effect on cost.
    Sensitivity {
        /// Scenario file (TOML; `-` reads stdin). Omit to use the embedded default.
        scenario: Option<PathBuf>,
        /// Fraction each input moves by, above 0 and below 1.
        #[arg(long, default_value_t = 0.2, value_parser = fraction)]
        delta: f64,
        /// Show only the largest N rows in the table.
        #[arg(long)]
        top: Option<usize>,
        /// Move scale inputs too (server counts), which are left out by default.
        #[arg(long)]
        include_scale: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Run a scenario over a grid of values (and seeds) on all cores, writing
    /// one table (Parquet or CSV): a row per variant and sample, the inputs
    /// set, then every figure of the run's summary.
    Sweep {
        /// Scenario file (TOML; `-` reads stdin). Omit to use the embedded default.
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
        /// The table to write: `.parquet` or `.csv` (replaced whole or not at
        /// all; an existing file only when it is of that kind, or with --force).
        #[arg(short, long, value_name = "FILE")]
        out: PathBuf,
        /// Replace an existing --out file of another kind (never an input).
        #[arg(short, long)]
        force: bool,
        #[command(flatten)]
        edits: Edits,
        /// Print no progress on stderr.
        #[arg(short, long)]
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
        /// An existing file is replaced only when it is HTML, or with --force.
        #[arg(short, long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Replace an existing --out file that is not HTML (never an input).
        #[arg(short, long)]
        force: bool,
    },
}

#[derive(clap::Args)]
struct Common {
    /// Write results to this run folder: summary.json, Parquet tables and
    /// report.html (written whole or not at all). An existing folder is
    /// replaced only when Plenum wrote it or it is empty.
    #[arg(short, long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// With --out, also write every table as CSV.
    #[arg(long, requires = "out")]
    csv: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    #[command(flatten)]
    edits: Edits,
    /// Print no progress and no notes on stderr (errors still go there).
    #[arg(short, long, conflicts_with = "progress")]
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

/// Changes to the scenario on the command line: removals first, then values.
#[derive(clap::Args)]
struct Edits {
    /// Override a value: `--set energy.pue=1.2` (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    set: Vec<String>,
    /// Remove a key, e.g. to give the other of an either/or:
    /// `--unset facility.cost_usd_per_critical_w --set facility.capex_usd=88e6`
    /// (repeatable; removals apply before every `--set`).
    #[arg(long = "unset", value_name = "PATH")]
    unset: Vec<String>,
}

impl Common {
    /// Refuse an `--out` folder that would replace an input of `scenario`
    /// or a folder Plenum did not write, before anything runs.
    fn check_out(&self, scenario: &Scenario, file: Option<&Path>) -> Result<(), guard::Refusal> {
        match &self.out {
            Some(out) => guard::check_folder(out, &guard::scenario_inputs(scenario, file)),
            None => Ok(()),
        }
    }
}

/// Caps on a run's size, checked before it starts (the book: guide/cli.md, "Limits").
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

fn fraction(text: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|x| *x > 0.0 && *x < 1.0)
        .ok_or_else(|| format!("expected a fraction above 0 and below 1 (0.2 moves by 20%), found {text:?}"))
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
            } else if let Some(refusal) = error.downcast_ref::<guard::Refusal>() {
                eprintln!("error: {refusal}");
                ExitCode::from(2)
            } else if let Some(usage) = error.downcast_ref::<UsageError>() {
                eprintln!("error: {usage}");
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
        Command::Report { run, other, out, .. } => {
            out.clone().or_else(|| other.is_none().then(|| run.join("report.html")))
        }
        Command::Calibrate(args) => args.out.clone(),
        Command::Validate { .. } | Command::Schema { .. } => None,
    }
}

/// Wrong input that is neither a scenario nor a data file: a flag's value
/// (exit status 2).
#[derive(Debug)]
struct UsageError(String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Write `text` to stdout. When the reader has gone (`plenum schema | head
/// -1`), stop quietly with status 0: what is left to print is not wanted.
fn emit(text: &str) -> Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        other => Ok(other?),
    }
}

/// The scenario file the command reads (None for stdin or the embedded default).
fn scenario_file(path: Option<&PathBuf>) -> Option<&Path> {
    path.map(PathBuf::as_path).filter(|p| *p != Path::new("-"))
}

fn load(path: Option<&PathBuf>, edits: &Edits) -> Result<Scenario, ScenarioError> {
    match path {
        Some(path) if path.as_os_str() == "-" => {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                .map_err(|e| ScenarioError::file("<stdin>", format!("cannot read: {e}")))?;
            Scenario::load_edited("<stdin>", &text, &edits.unset, &edits.set)
        }
        Some(path) => Scenario::from_path_edited(path, &edits.unset, &edits.set),
        None => {
            let (_, text) = plenum_scenario::embedded::SCENARIOS[0];
            Scenario::load_edited("<embedded default>", text, &edits.unset, &edits.set)
        }
    }
}

fn execute(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run { scenario, common } => {
            let mode = Mode::from_flags(common.quiet, common.progress);
            let file = scenario.clone();
            let scenario = load(scenario.as_ref(), &common.edits)?;
            common.check_out(&scenario, scenario_file(file.as_ref()))?;
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
                Format::Json => emit(&format!("{}\n", serde_json::to_string_pretty(&summary)?))?,
                Format::Table => {
                    let mut text = table::run(&scenario, &run.results);
                    text.push_str(&table::notes(&scenario.notes));
                    run.results.workload.iter().for_each(|w| text.push_str(&workload::table(w)));
                    if let Some((p, t)) = &run.plan {
                        text.push_str(&format!("\n{}", table::plan(&scenario, p, &t[0], false)));
                    }
                    emit(&text)?;
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
        Command::Validate { scenario, edits } => {
            let s = load(Some(&scenario), &edits)?;
            emit(&format!(
                "{}: ok ({}: {}, {} kW critical)\n",
                if scenario.as_os_str() == "-" { "<stdin>".into() } else { scenario.display().to_string() },
                s.name,
                table::count(s.server_count() as u64, "server", "servers")
                    + &format!(" in {}", table::count(s.servers.len() as u64, "SKU", "SKUs")),
                s.facility.critical_power_kw
            ))?;
        }
        Command::Plan { scenario, monthly, common } => {
            let mode = Mode::from_flags(common.quiet, common.progress);
            let file = scenario.clone();
            let scenario = load(Some(&scenario), &common.edits)?;
            if scenario.plan.is_none() {
                return Err(ScenarioError::file(
                    &scenario.document.origin,
                    "has no [plan] table: `plenum plan` needs one (see scenarios/plan-*.toml)",
                )
                .into());
            }
            common.check_out(&scenario, scenario_file(Some(&file)))?;
            let run = run_everything(&scenario, mode, &common.limits.limits()?)?;
            let (p, plan_tables) = run.plan.as_ref().expect("the scenario has a plan");
            let summary = run.summary();
            if let Some(dir) = &common.out {
                let tables: Vec<_> = run.tables().cloned().collect();
                let out = plenum_io::write::OutputDir::create(dir)?;
                write_outputs(out, &scenario, &summary, &tables, None, common.csv)?;
            }
            match common.format {
                Format::Json => emit(&format!("{}\n", serde_json::to_string_pretty(&summary)?))?,
                Format::Table => emit(&table::plan(&scenario, p, &plan_tables[0], monthly))?,
            }
            report_warnings(&run.results.warnings, common.strict)?;
        }
        Command::Schema { summary: true, .. } => {
            emit(&format!("{}\n", serde_json::to_string_pretty(&plenum_run::Summary::json_schema())?))?;
        }
        Command::Schema { markdown: true, .. } => emit(&plenum_scenario::reference::markdown())?,
        Command::Schema { markdown: false, .. } => {
            emit(&format!("{}\n", serde_json::to_string_pretty(plenum_scenario::json_schema())?))?;
        }
        Command::Sensitivity { scenario, delta, top, include_scale, common } => {
            let mode = Mode::from_flags(common.quiet, common.progress);
            let file = scenario.clone();
            let scenario = load(scenario.as_ref(), &common.edits)?;
            common.check_out(&scenario, scenario_file(file.as_ref()))?;
            // Every numeric input moved down and up (the cost model and the
            // year, as `engine::run` without reliability), and the base run.
            use plenum_engine::limits::{PartKind, estimate};
            let selection = plenum_engine::sensitivity::Selection { include_scale };
            let (moved, left_out) = plenum_engine::sensitivity::selected_inputs(&scenario, delta, selection);
            let variants = 2 * moved.len();
            let base = estimate(&scenario, None).only(&[PartKind::FacilityYear, PartKind::Reliability]);
            let size = base
                .clone()
                .only(&[PartKind::FacilityYear])
                .times(variants as f64, &format!("{variants} variants"))
                .and(base);
            plenum_run::check_size(&scenario, &size, &common.limits.limits()?)?;
            let inputs = plenum_io::load_inputs(&scenario)?;
            let progress = Progress::start(mode, "moving inputs");
            let rows = plenum_engine::sensitivity::sensitivity_selected(
                &scenario,
                &inputs,
                delta,
                selection,
                &progress.hook(),
            );
            progress.finish();
            let rows_json = serde_json::to_value(&rows)?;
            let base = plenum_engine::run(&scenario, &inputs)?;
            if let Some(dir) = &common.out {
                let summary = plenum_engine::Summary::new(&base, None, &scenario.notes, None);
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
                Format::Json => emit(&format!("{}\n", serde_json::to_string_pretty(&rows_json)?))?,
                Format::Table => {
                    let mut text = table::sensitivity(&scenario, &base, &rows, delta, top);
                    if !left_out.is_empty() {
                        text.push_str(&format!("\nNot moved ({}):\n", left_out.len()));
                        for (path, why) in &left_out {
                            text.push_str(&format!("  {path}: {why}\n"));
                        }
                    }
                    emit(&text)?
                }
            }
            report_warnings(&base.warnings, common.strict)?;
        }
        Command::Sweep { scenario, vary, samples, seed, out, force, edits, quiet, limits } => {
            let file = scenario.clone();
            let scenario = load(scenario.as_ref(), &edits)?;
            let inputs = guard::scenario_inputs(&scenario, scenario_file(file.as_ref()));
            let kind = guard::FileKind::from_extension(&out).ok_or_else(|| {
                UsageError(format!(
                    "--out {}: name a .parquet or a .csv file (the extension picks the format)",
                    out.display()
                ))
            })?;
            guard::check_file(&out, kind, force, &inputs)?;
            let usage = |e: anyhow::Error| anyhow::Error::new(UsageError(format!("{e:#}")));
            let axes = vary
                .iter()
                .map(|v| plenum_run::sweep::Axis::parse(v))
                .collect::<Result<Vec<_>>>()
                .map_err(usage)?;
            let sweep = plenum_run::sweep::Sweep::new(&scenario, axes, samples, seed).map_err(usage)?;
            sweep.check(&scenario)?;
            // The base scenario's size for every row (variants differ, but
            // rarely by orders of magnitude).
            let size = plenum_engine::limits::estimate(&scenario, None)
                .times(sweep.rows() as f64, &format!("{} rows", sweep.rows()));
            plenum_run::check_size(&scenario, &size, &limits.limits()?)?;
            let mode = Mode::from_flags(quiet, false);
            let progress = Progress::start(
                mode,
                &format!("sweeping {} ({})", scenario.name, table::count(sweep.rows() as u64, "row", "rows")),
            );
            let table = plenum_run::sweep::evaluate(&scenario, &sweep, 0..sweep.rows());
            progress.finish();
            let table = table?;
            let bytes = match kind {
                guard::FileKind::Csv => plenum_io::write::csv_bytes(&table)?,
                _ => plenum_io::write::parquet_bytes(&table)?,
            };
            plenum_io::atomic_file::replace_file(&out, &bytes)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", out.display()))?;
            let keys: Vec<String> = sweep.axes.iter().map(|a| a.key.clone()).collect();
            emit(&table::sweep(&table, &keys, samples))?;
            if mode.chatty() {
                eprintln!(
                    "{} ({} x {}), {} written to {}",
                    table::count(table.rows() as u64, "row", "rows"),
                    table::count(sweep.variants() as u64, "variant", "variants"),
                    table::count(samples, "sample", "samples"),
                    table::count(table.columns.len() as u64, "column", "columns"),
                    out.display()
                );
            }
        }
        Command::Calibrate(args) => calibrate::command(args)?,
        Command::Report { run, other, out, force } => match other {
            None => {
                let folder = plenum_io::run_folder::read_run_folder(&run)?;
                let target = out.unwrap_or_else(|| run.join("report.html"));
                guard::check_file(&target, guard::FileKind::Html, force, &guard::run_folder_inputs(&run))?;
                let html = plenum_report::render_report(&as_run(&folder)).map_err(|e| in_folder(&run, e))?;
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
                if let Some(target) = &out {
                    let inputs = [guard::run_folder_inputs(&run), guard::run_folder_inputs(&other)].concat();
                    guard::check_file(target, guard::FileKind::Html, force, &inputs)?;
                }
                emit(&table::comparison(&comparison, &run, &other))?;
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
    summary: &plenum_engine::Summary,
    tables: &[plenum_engine::DataTable],
    sensitivity: Option<&serde_json::Value>,
    csv: bool,
) -> Result<()> {
    out.write_json("summary.json", &summary.to_value())?;
    // The scenario as run: the file's text, then the overrides applied to it.
    let mut text = scenario.document.source.to_string();
    let overrides = scenario.document.overrides();
    let removed = scenario.document.removed();
    if !overrides.is_empty() || !removed.is_empty() {
        text.push_str("\n# Overrides applied on the command line:\n");
        for path in removed {
            text.push_str(&format!("#   --unset {path}\n"));
        }
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
