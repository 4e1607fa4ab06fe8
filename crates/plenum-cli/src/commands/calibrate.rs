//! `plenum calibrate`: arguments, the calibration (plenum-run), the printed
//! figures, and with `--out` the run folder plus `calibrated.toml`.

use crate::failure::Result;
use crate::progress::{Mode, Progress};
use plenum_engine::calibration::PowerErrorMetrics;
use std::path::PathBuf;

/// Fit the hosts' power model to the scenario's measured telemetry.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML) with `[workload]` and `[telemetry]`.
    pub scenario: PathBuf,
    /// The fit window: offsets from the first submission (`0d..2d`,
    /// `6h..30h`) or RFC 3339 instants; measurements outside it are not read to fit.
    #[arg(long, value_name = "START..END")]
    pub fit: String,
    /// Also calibrate online: refit every WINDOW (`1d`, `12h`) on the window
    /// just past and predict the next (`calibration.rolling.*`).
    #[arg(long, value_name = "WINDOW")]
    pub rolling: Option<String>,
    /// Write the run folder of the calibrated scenario and `calibrated.toml`
    /// here (written whole or not at all).
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// With --out, also write every table as CSV.
    #[arg(long, requires = "out")]
    pub csv: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = crate::Format::Table)]
    pub format: crate::Format,
    /// Print no progress on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub limits: crate::LimitArgs,
}

/// Run `plenum calibrate`.
pub fn command(args: Args) -> Result<()> {
    let mode = Mode::from_flags(args.quiet, false);
    let scenario = plenum_scenario::Scenario::from_path(&args.scenario)?;
    if let Some(dir) = &args.out {
        crate::guard::check_folder(dir, &crate::guard::scenario_inputs(&scenario, Some(&args.scenario)))?;
    }
    let out = args.out.as_deref().map(plenum_io::write::OutputDir::create).transpose()?;
    let streams = out.as_ref().map(|out| plenum_run::Streams { out, csv: args.csv });
    let options = plenum_run::calibrate::Options { fit: args.fit.clone(), rolling: args.rolling.clone() };
    let progress = Progress::start(mode, &format!("calibrating {}", scenario.name));
    let calibrated = plenum_run::calibrate::calibrate(&scenario, &args.limits.limits()?, &options, streams);
    progress.finish();
    let calibrated = calibrated?;
    let summary = calibrated.run.summary();
    if let Some(out) = out {
        out.write_bytes("calibrated.toml", calibrated.toml.as_bytes())?;
        let tables: Vec<_> = calibrated.run.tables().cloned().collect();
        plenum_run::output::write_run_folder(out, &calibrated.scenario, &summary, &tables, None, args.csv)?;
    }
    match args.format {
        crate::Format::Json => super::emit(&format!("{}\n", serde_json::to_string_pretty(&summary)?))?,
        crate::Format::Table => super::emit(&table(&summary))?,
    }
    if let Some(dir) = &args.out
        && mode.chatty()
    {
        eprintln!(
            "results written to {} (calibrated scenario: {})",
            dir.display(),
            dir.join("calibrated.toml").display()
        );
    }
    Ok(())
}

/// The calibration's figures as text.
fn table(summary: &plenum_run::Summary) -> String {
    let pct = |x: f64| if x.is_finite() { format!("{:.2}%", 100.0 * x) } else { "-".to_string() };
    let kw = |x: f64| if x.is_finite() { format!("{x:.2}") } else { "-".to_string() };
    let mut out = String::from(
        "Calibration against measured power\n  window        instants   MAPE     RMSE kW   bias kW   under 10%\n",
    );
    let Some(c) = &summary.calibration else { return out };
    let rolling = c.rolling.clone().flatten().map(|m| PowerErrorMetrics {
        mape: m.mape,
        rmse_kw: m.rmse_kw,
        bias_kw: m.bias_kw,
        share_under_10pct: m.share_under_10pct,
        instants: m.instants,
    });
    for (label, metrics) in [
        ("uncalibrated", c.uncalibrated.flatten()),
        ("fit", c.fit.flatten()),
        ("held out", c.holdout.flatten()),
        ("rolling", rolling),
    ] {
        if let Some(m) = metrics {
            out.push_str(&format!(
                "  {label:<13} {:>8}   {:<8} {:>8}  {:>8}   {}\n",
                m.instants,
                pct(m.mape),
                kw(m.rmse_kw),
                kw(m.bias_kw),
                pct(m.share_under_10pct)
            ));
        }
    }
    if let Some(params) = &c.params {
        out.push_str("Fitted power model (± one standard deviation)\n");
        for (_, p) in params {
            out.push_str(&format!(
                "  {}: idle {:.1} ± {:.1} W, peak {:.1} ± {:.1} W, P = idle + (peak - idle) * u^{:.3} (± {:.3})\n",
                p.name, p.idle_w, p.idle_w_sd, p.peak_w, p.peak_w_sd, p.exponent, p.exponent_sd,
            ));
        }
    }
    out
}
