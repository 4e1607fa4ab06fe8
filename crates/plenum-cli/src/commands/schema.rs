//! `plenum schema`: print the JSON Schema of scenario files, or the scenario
//! reference in Markdown (the book's reference/scenario.md).

use super::emit;
use anyhow::Result;

// No doc comment here: clap would take it as the subcommand's about,
// which the variant of `crate::Command` gives.
#[derive(clap::Args)]
pub struct Args {
    /// Print the scenario reference in Markdown instead (the book's
    /// reference/scenario.md).
    #[arg(long)]
    pub markdown: bool,
}

/// Run `plenum schema`.
pub fn command(args: Args) -> Result<()> {
    if args.markdown {
        emit(&plenum_scenario::reference::markdown())?;
    } else {
        emit(&format!("{}\n", serde_json::to_string_pretty(plenum_scenario::json_schema())?))?;
    }
    Ok(())
}
