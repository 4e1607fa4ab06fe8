//! The `plenum` command: parse arguments, load the scenario, call the engine,
//! print. All modelling lives in the library crates; this is glue.
//!
//! Exit status: 0 on success, 2 when the input (scenario file, override) is
//! wrong, 1 for anything else.

mod reliability_table;
mod table;
mod workload;

use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};
use plenum_scenario::{Scenario, ScenarioError};
use std::io::IsTerminal;
use std::path::PathBuf;
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
    match execute(cli) {
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
            } else {
                eprintln!("error: {error:#}");
                ExitCode::from(1)
            }
        }
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
            let scenario = load(scenario.as_ref(), &common.set)?;
            let mut inputs = plenum_io::load_inputs(&scenario)?;
            let replay = workload::replay(&scenario)?;
            inputs.replay_hourly = replay.as_ref().and_then(workload::hourly);
            let mut results = plenum_engine::run(&scenario, &inputs)?;
            if let Some(outcome) = replay {
                workload::attach(outcome, &mut results);
            }
            let summary = results.to_json();
            if let Some(dir) = &common.out {
                write_outputs(dir, &scenario, &summary, &results, common.csv)?;
            }
            match common.format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&summary)?),
                Format::Table => {
                    print!("{}", table::run(&scenario, &results));
                    results.workload.iter().for_each(|w| print!("{}", workload::table(w)));
                }
            }
            if let Some(dir) = &common.out {
                eprintln!("results written to {}", dir.display());
            }
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
            let scenario = load(Some(&scenario), &common.set)?;
            anyhow::ensure!(scenario.plan.is_some(), "{} has no [plan] table", scenario.document.origin);
            let inputs = plenum_io::load_plan_inputs(&scenario)?;
            let (summary, tables) =
                plenum_engine::plan::plan(&scenario, &inputs)?.expect("the scenario has a plan");
            let json = serde_json::json!({ "scenario": { "name": scenario.name, "seed": scenario.seed }, "plan": summary });
            if let Some(dir) = &common.out {
                let out = plenum_io::write::OutputDir::create(dir)?;
                out.write_json("summary.json", &json)?;
                out.write_bytes("scenario.toml", scenario.document.source.as_bytes())?;
                for t in &tables {
                    out.write_table(t, common.csv)?;
                }
                out.commit()?;
            }
            match common.format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&json)?),
                Format::Table => print!("{}", table::plan(&scenario, &summary, &tables[0], monthly)),
            }
        }
        Command::Schema => {
            println!("{}", serde_json::to_string_pretty(plenum_scenario::json_schema())?);
        }
        Command::Sensitivity { scenario, delta, top, common } => {
            anyhow::ensure!(
                delta > 0.0 && delta < 1.0,
                "--delta must be a fraction between 0 and 1, got {delta}"
            );
            let scenario = load(scenario.as_ref(), &common.set)?;
            let inputs = plenum_io::load_inputs(&scenario)?;
            let rows = plenum_engine::sensitivity(&scenario, &inputs, delta);
            if let Some(dir) = &common.out {
                let out = plenum_io::write::OutputDir::create(dir)?;
                out.write_json("sensitivity.json", &serde_json::to_value(&rows)?)?;
                out.commit()?;
            }
            match common.format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&rows)?),
                Format::Table => {
                    let base = plenum_engine::run(&scenario, &inputs)?;
                    print!("{}", table::sensitivity(&scenario, &base, &rows, delta, top))
                }
            }
        }
    }
    Ok(())
}

/// Write a run's outputs into `dir`, atomically.
fn write_outputs(
    dir: &std::path::Path,
    scenario: &Scenario,
    summary: &serde_json::Value,
    results: &plenum_engine::Results,
    csv: bool,
) -> Result<()> {
    let out = plenum_io::write::OutputDir::create(dir)?;
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
    for table in &results.tables {
        out.write_table(table, csv)?;
    }
    out.commit()?;
    Ok(())
}
