//! Ctrl-C (SIGINT) and SIGTERM: stop at once, say what became of the output,
//! and exit with 128 + the signal's number (130 for Ctrl-C, 143 for SIGTERM).
//!
//! A thread waits for the signal (signal-hook turns it into a message; the
//! handler itself only writes to a pipe). It then removes every staging path
//! of this process and blocks further commits (`plenum_io::staging::abandon`),
//! prints one line and exits. Nothing checks a flag inside the engine: an
//! interrupt is served in the same few milliseconds whether the process is
//! reading a trace, simulating on every core or writing Parquet, and the
//! output folder holds the previous results or the new ones, never a mix
//! (a commit in progress finishes first).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Whether a signal has arrived; its thread is then about to exit the process.
pub fn requested() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Handle SIGINT and SIGTERM from now on. `out` is the folder or file this
/// command writes, named in the message.
#[cfg(unix)]
pub fn install(out: Option<PathBuf>) -> std::io::Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])?;
    std::thread::Builder::new().name("interrupt".into()).spawn(move || {
        if let Some(signal) = signals.forever().next() {
            INTERRUPTED.store(true, Ordering::SeqCst);
            let committed = plenum_io::staging::abandon();
            let message = match &out {
                None => "interrupted".to_string(),
                Some(out) if committed.contains(out) => {
                    format!("interrupted: the new results were already written to {}", out.display())
                }
                Some(out) if out.exists() => {
                    format!("interrupted: {} still holds the previous results, unchanged", out.display())
                }
                Some(out) => format!("interrupted: nothing was written to {}", out.display()),
            };
            // Start on a fresh line: a progress bar or the echoed ^C may end the current one.
            let newline = if std::io::stderr().is_terminal() { "\n" } else { "" };
            eprintln!("{newline}{message}");
            std::process::exit(128 + signal);
        }
    })?;
    Ok(())
}

/// Elsewhere the default handling stays (the process ends; staging paths
/// left behind are removed by the next run).
#[cfg(not(unix))]
pub fn install(_out: Option<PathBuf>) -> std::io::Result<()> {
    Ok(())
}

/// Called when the command finished (or failed) on the main thread: if a
/// signal arrived meanwhile, let its thread report it and set the exit status
/// instead of returning (a write failing because the handler removed its
/// staging folder is not an error to print).
pub fn wait_if_requested() {
    while requested() {
        std::thread::park();
    }
}
