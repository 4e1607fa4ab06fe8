//! `plenum validate`: check a scenario file and report every problem in it.

use super::{emit, load};
use crate::failure::Result;
use crate::{Edits, table};
use std::path::PathBuf;

// No doc comment here: clap would take it as the subcommand's about,
// which the variant of `crate::Command` gives.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML; `-` reads stdin).
    pub scenario: PathBuf,
    #[command(flatten)]
    pub edits: Edits,
}

/// Run `plenum validate`.
pub fn command(args: Args) -> Result<()> {
    let Args { scenario, edits } = args;
    let s = load(Some(&scenario), &edits)?;
    emit(&format!(
        "{}: ok ({}: {}, {} kW critical)\n",
        if scenario.as_os_str() == "-" { "<stdin>".into() } else { scenario.display().to_string() },
        s.name,
        table::count(s.server_count() as u64, "server", "servers")
            + &format!(" in {}", table::count(s.servers.len() as u64, "SKU", "SKUs")),
        s.facility.critical_power_kw
    ))?;
    Ok(())
}
