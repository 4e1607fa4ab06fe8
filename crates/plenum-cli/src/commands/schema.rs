//! `plenum schema`: print the JSON Schema of scenario files, the scenario
//! reference in Markdown (the book's reference/scenario.md), or the JSON
//! Schema of the summary (`--summary`).

use super::emit;
use crate::failure::Result;

// No doc comment here: clap would take it as the subcommand's about,
// which the variant of `crate::Command` gives.
#[derive(clap::Args)]
pub struct Args {
    /// Print the scenario reference in Markdown instead (the book's
    /// reference/scenario.md).
    #[arg(long)]
    pub markdown: bool,
    /// Print the JSON Schema of the summary instead (what `plenum run
    /// --format json` prints and summary.json holds).
    #[arg(long, conflicts_with = "markdown")]
    pub summary: bool,
}

/// Run `plenum schema`.
pub fn command(args: Args) -> Result<()> {
    if args.summary {
        emit(&format!("{}\n", serde_json::to_string_pretty(&plenum_run::Summary::json_schema())?))?;
    } else if args.markdown {
        emit(&plenum_scenario::reference::markdown())?;
    } else {
        emit(&format!("{}\n", serde_json::to_string_pretty(plenum_scenario::json_schema())?))?;
    }
    Ok(())
}
