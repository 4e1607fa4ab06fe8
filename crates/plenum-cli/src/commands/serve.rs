//! `plenum serve`: its flags, as a `plenum_serve::ServeConfig`; the server
//! itself is the `plenum-serve` crate.

use crate::failure::Result;
use std::net::IpAddr;
use std::path::PathBuf;

/// The flags of `plenum serve`.
#[derive(clap::Args)]
pub struct Args {
    /// Port to listen on (0 picks a free one; the address printed says which).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Address to listen on. Anything but loopback requires a token.
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
    bind: IpAddr,
    /// Folder that data paths in submitted scenarios resolve in
    /// (`${PLENUM_DATA}` means it); without it scenarios can name no data file.
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// The database of runs (SQLite); run folders go in `NAME-runs/` beside it.
    #[arg(long, value_name = "FILE", default_value = "plenum.db")]
    db: PathBuf,
    /// The token API calls must carry (`Authorization: Bearer T`); generated
    /// and printed when binding to a non-loopback address without one.
    #[arg(long, value_name = "T")]
    token: Option<String>,
    /// Runs computing at once; the others queue [default: the core count].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    workers: Option<u64>,
    #[command(flatten)]
    limits: crate::LimitArgs,
}

/// Run the server until the process is stopped.
pub fn command(args: Args) -> Result<()> {
    let defaults = plenum_serve::ServeConfig::default();
    plenum_serve::serve(plenum_serve::ServeConfig {
        bind: args.bind,
        port: args.port,
        data: args.data,
        db: args.db,
        token: args.token,
        workers: args.workers.map_or(defaults.workers, |n| n as usize),
        limits: args.limits.limits()?,
        ..defaults
    })?;
    Ok(())
}
