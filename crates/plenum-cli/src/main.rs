//! The `plenum` command: its command line (the subcommands and the flags they
//! share), the exit statuses, and the dispatch to one function per subcommand
//! in [`commands`]. All modelling lives in the library crates.
//!
//! Exit status: 0 on success (and when the reader of stdout goes away, as
//! `plenum schema | head -1` does), 2 when the input (scenario file, override,
//! run folder, flag) is wrong or an output would replace a file Plenum may
//! not replace ([`guard`]), 3 when `--strict` and the run gave warnings, 130
//! on Ctrl-C (143 on SIGTERM; see [`interrupt`]), 1 for anything else.

mod commands;
mod failure;
mod guard;
mod interrupt;
mod progress;
mod table;
mod workload;

use clap::{Parser, Subcommand, ValueEnum};
use failure::Result;
use plenum_scenario::Scenario;
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
    Run(commands::run::Args),
    /// Check a scenario file and report every problem in it.
    Validate(commands::validate::Args),
    /// Print the JSON Schema of scenario files (for editors).
    Schema(commands::schema::Args),
    /// Plan capacity over years: demand growth, modules, lead times, sites.
    Plan(commands::plan::Args),
    /// Move every numeric input down and up and rank the effect on cost.
    Sensitivity(commands::sensitivity::Args),
    /// Run a scenario over a grid of values (and seeds) on all cores, writing
    /// one table (Parquet or CSV): a row per variant and sample, the inputs
    /// set, then every figure of the run's summary.
    Sweep(commands::sweep::Args),
    /// Fit the hosts' power model to the scenario's measured telemetry on a
    /// window, report the error on it and on the held-out rest, and write the
    /// calibrated scenario.
    Calibrate(commands::calibrate::Args),
    /// Rebuild report.html from a run folder without simulating, or compare
    /// two run folders (inputs that differ, then every headline figure).
    Report(commands::report::Args),
    /// Serve the web application: edit, run, compare and sweep scenarios in
    /// a browser, every run kept in a history.
    Serve(commands::serve::Args),
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
        Err(failure) => {
            eprint!("{}", failure.render(std::io::stderr().is_terminal()));
            ExitCode::from(failure.exit_code())
        }
    }
}

/// The folder or file a command writes, for the message on Ctrl-C.
fn output_path(command: &Command) -> Option<PathBuf> {
    match command {
        Command::Run(commands::run::Args { common, .. })
        | Command::Plan(commands::plan::Args { common, .. })
        | Command::Sensitivity(commands::sensitivity::Args { common, .. }) => common.out.clone(),
        Command::Sweep(args) => Some(args.out.clone()),
        Command::Report(commands::report::Args { run, other, out, .. }) => {
            out.clone().or_else(|| other.is_none().then(|| run.join("report.html")))
        }
        Command::Calibrate(args) => args.out.clone(),
        Command::Validate(_) | Command::Schema(_) | Command::Serve(_) => None,
    }
}

/// Run the subcommand (one function each, in [`commands`]).
fn execute(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run(args) => commands::run::command(args),
        Command::Validate(args) => commands::validate::command(args),
        Command::Schema(args) => commands::schema::command(args),
        Command::Plan(args) => commands::plan::command(args),
        Command::Sensitivity(args) => commands::sensitivity::command(args),
        Command::Sweep(args) => commands::sweep::command(args),
        Command::Calibrate(args) => commands::calibrate::command(args),
        Command::Report(args) => commands::report::command(args),
        Command::Serve(args) => commands::serve::command(args),
    }
}
