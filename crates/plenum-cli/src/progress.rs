//! Progress on stderr: a spinner while work of unknown length runs, a bar
//! with rate and ETA once an engine reports `(done, total)` through the hook.
//!
//! Shown when stderr is a terminal, hidden otherwise; `--progress` forces it
//! (to a pipe or file it prints one plain line a second instead of redrawing)
//! and `--quiet` hides it. Engines stay free of I/O: they take a
//! `&dyn Fn(u64, u64)` ([`Progress::hook`]) and know nothing of terminals.

use indicatif::ProgressState;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle, TermLike};
use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};

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
            _ => ProgressDrawTarget::term_like(Box::new(PlainLines::default())),
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
                    "{msg} [{bar:30}] {pos}/{len} ({rate}, ETA {eta}, {elapsed} elapsed)",
                )
                .expect("valid template")
                .with_key("rate", |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.1}/s", state.per_sec());
                })
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

/// A draw target for a pipe or file: one plain line per redraw, at most one a
/// second (the last state is always printed), no cursor movement or padding.
#[derive(Debug, Default)]
struct PlainLines {
    state: Mutex<PlainState>,
}

#[derive(Debug, Default)]
struct PlainState {
    last_printed: Option<Instant>,
    pending: Option<String>,
}

impl PlainLines {
    fn print(line: &str) -> std::io::Result<()> {
        writeln!(std::io::stderr().lock(), "{line}")
    }

    fn draw(&self, s: &str) -> std::io::Result<()> {
        let line = s.trim_end();
        if line.is_empty() {
            return Ok(());
        }
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.last_printed.is_some_and(|t| t.elapsed() < Duration::from_secs(1)) {
            state.pending = Some(line.to_string());
            return Ok(());
        }
        state.last_printed = Some(Instant::now());
        state.pending = None;
        Self::print(line)
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
        self.draw(s)
    }
    fn write_str(&self, s: &str) -> std::io::Result<()> {
        self.draw(s)
    }
    fn clear_line(&self) -> std::io::Result<()> {
        Ok(())
    }
    fn flush(&self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

impl Drop for PlainLines {
    fn drop(&mut self) {
        let state = self.state.get_mut().unwrap_or_else(|e| e.into_inner());
        if let Some(line) = state.pending.take() {
            let _ = Self::print(&line);
        }
    }
}
