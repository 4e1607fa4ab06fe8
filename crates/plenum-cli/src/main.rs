//! The `plenum` command: parse arguments, load the scenario, call the engine,
//! print. All modelling lives in the library crates; this is glue.
//!
//! Exit status: 0 on success, 2 when the input (scenario file, override) is
//! wrong, 1 for anything else.

mod reliability_table;
mod table;

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
        Err(error) => match error.downcast_ref::<ScenarioError>() {
            Some(scenario_error) => {
                eprint!("{}", scenario_error.render(std::io::stderr().is_terminal()));
                ExitCode::from(2)
            }
            None => {
                eprintln!("error: {error:#}");
                ExitCode::from(1)
            }
        },
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
            let results = plenum_engine::run(&scenario);
            match common.format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&results)?),
                Format::Table => print!("{}", table::run(&scenario, &results)),
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
        Command::Schema => {
            println!("{}", serde_json::to_string_pretty(plenum_scenario::json_schema())?);
        }
        Command::Sensitivity { scenario, delta, top, common } => {
            anyhow::ensure!(
                delta > 0.0 && delta < 1.0,
                "--delta must be a fraction between 0 and 1, got {delta}"
            );
            let scenario = load(scenario.as_ref(), &common.set)?;
            let rows = plenum_engine::sensitivity(&scenario, delta);
            match common.format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&rows)?),
                Format::Table => {
                    let base = plenum_engine::run(&scenario);
                    print!("{}", table::sensitivity(&scenario, &base, &rows, delta, top))
                }
            }
        }
    }
    Ok(())
}
