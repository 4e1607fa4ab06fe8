//! Progress on stderr: a spinner while work of unknown length runs, a bar
//! with rate and ETA once an engine reports `(done, total)` through the hook.
//!
//! Shown when stderr is a terminal, hidden otherwise; `--progress` forces it
//! (to a pipe or file it prints one plain line a second instead of redrawing)
//! and `--quiet` hides it. Engines stay free of I/O: they take a
//! `&dyn Fn(u64, u64)` ([`Progress::hook`]) and know nothing of terminals.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle, TermLike};
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Whether to show progress.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mode {
    /// When stderr is a terminal.
    Auto,
    /// Never (`--quiet`).
    Quiet,
    /// Always (`--progress`).
    Force,
}

impl Mode {
    /// From the two flags (clap keeps them exclusive).
    pub fn from_flags(quiet: bool, progress: bool) -> Mode {
        match (quiet, progress) {
            (true, _) => Mode::Quiet,
            (false, true) => Mode::Force,
            (false, false) => Mode::Auto,
        }
    }

    /// Whether informational messages (`results written to …`) are printed.
    pub fn chatty(self) -> bool {
        self != Mode::Quiet
    }
}

/// A progress display for one piece of work.
pub struct Progress {
    bar: ProgressBar,
    terminal: bool,
}

impl Progress {
    /// Start showing `message` with a spinner and the time elapsed.
    pub fn start(mode: Mode, message: &str) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        let target = match mode {
            Mode::Quiet => ProgressDrawTarget::hidden(),
            Mode::Auto if !terminal => ProgressDrawTarget::hidden(),
            _ if terminal => ProgressDrawTarget::stderr(),
            _ => ProgressDrawTarget::term_like_with_hz(Box::new(PlainLines::default()), 1),
        };
        let bar = ProgressBar::with_draw_target(None, target);
        bar.set_style(ProgressStyle::with_template("{spinner} {msg} ({elapsed})").expect("valid template"));
        bar.set_message(message.to_string());
        if terminal {
            bar.enable_steady_tick(Duration::from_millis(120));
        } else {
            bar.tick();
        }
        Progress { bar, terminal }
    }

    /// Report `done` of `total` units: turns the spinner into a bar with rate and ETA.
    pub fn update(&self, done: u64, total: u64) {
        if self.bar.length() != Some(total) {
            self.bar.set_length(total);
            self.bar.set_style(
                ProgressStyle::with_template(
                    "{msg} [{bar:30}] {pos}/{len} ({per_sec}, ETA {eta}, {elapsed} elapsed)",
                )
                .expect("valid template")
                .progress_chars("=> "),
            );
        }
        // Callbacks from worker threads may arrive out of order: never go back.
        if done > self.bar.position() {
            self.bar.set_position(done);
        }
    }

    /// The hook an engine calls.
    pub fn hook(&self) -> impl Fn(u64, u64) + Sync + '_ {
        move |done, total| self.update(done, total)
    }

    /// Stop: clear the line on a terminal, print the final state elsewhere.
    pub fn finish(self) {
        if self.terminal {
            self.bar.finish_and_clear();
        } else {
            self.bar.finish();
        }
    }
}

/// A draw target for a pipe or file: each redraw on its own line, no cursor movement.
#[derive(Debug, Default)]
struct PlainLines {
    open_line: AtomicBool,
}

impl PlainLines {
    fn write(&self, text: &str) -> std::io::Result<()> {
        let mut err = std::io::stderr().lock();
        err.write_all(text.as_bytes())
    }
}

impl TermLike for PlainLines {
    fn width(&self) -> u16 {
        100
    }
    fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn write_line(&self, s: &str) -> std::io::Result<()> {
        self.open_line.store(false, Ordering::Relaxed);
        self.write(&format!("{s}\n"))
    }
    fn write_str(&self, s: &str) -> std::io::Result<()> {
        if !s.is_empty() {
            self.open_line.store(true, Ordering::Relaxed);
        }
        self.write(s)
    }
    fn clear_line(&self) -> std::io::Result<()> {
        if self.open_line.swap(false, Ordering::Relaxed) { self.write("\n") } else { Ok(()) }
    }
    fn flush(&self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

impl Drop for PlainLines {
    fn drop(&mut self) {
        if self.open_line.load(Ordering::Relaxed) {
            let _ = self.write("\n");
        }
    }
}
