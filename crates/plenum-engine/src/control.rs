//! What a caller can say to a long computation while it runs: stop
//! ([`CancelToken`], answered with [`Interrupted`]) and how far along it is
//! (a progress hook). Together they are a [`Control`], passed by reference
//! through the run layer to the engines.
//!
//! The engines look at the token only between units of work that finish
//! quickly (a reliability replication, a chunk of the simulated year, a block
//! of replay events, a plan site, a sweep row), never inside one, and an
//! interrupted computation returns nothing but [`Interrupted`]. A run that is
//! not cancelled therefore does exactly the same arithmetic in the same order
//! as one without a token: results stay bit-identical.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A shared stop flag: any clone can [`cancel`](CancelToken::cancel); the
/// engines poll [`is_cancelled`](CancelToken::is_cancelled).
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    /// A token nobody has cancelled yet.
    pub fn new() -> Self {
        CancelToken::default()
    }

    /// Ask every computation holding this token (or a clone) to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether [`cancel`](CancelToken::cancel) was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// The error of a computation stopped by its [`CancelToken`]: it produced
/// nothing (partial results are returned only where a caller documents it,
/// as a sweep's finished rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("interrupted")]
pub struct Interrupted;

/// A progress hook: `(stage, done, total)`, where `stage` names the unit
/// counted (`"reliability replications"`, `"year hours"`). Called from any
/// thread, in no particular order between threads, so a hook keeps the
/// largest `done` it has seen.
pub type ProgressHook<'a> = dyn Fn(&str, u64, u64) + Sync + 'a;

/// A cancel token and a progress hook, either optional. `Control::default()`
/// has neither: the computation runs to the end and reports nothing.
#[derive(Clone, Copy, Default)]
pub struct Control<'a> {
    cancel: Option<&'a CancelToken>,
    progress: Option<&'a ProgressHook<'a>>,
}

impl std::fmt::Debug for Control<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Control")
            .field("cancel", &self.cancel)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl<'a> Control<'a> {
    /// Stop when `token` is cancelled.
    pub fn with_cancel(mut self, token: &'a CancelToken) -> Self {
        self.cancel = Some(token);
        self
    }

    /// Report progress to `hook`.
    pub fn with_progress(mut self, hook: &'a ProgressHook<'a>) -> Self {
        self.progress = Some(hook);
        self
    }

    /// The same cancel token without the progress hook (for work whose own
    /// stages a caller does not want reported, as the runs inside a sweep).
    pub fn cancel_only(&self) -> Control<'a> {
        Control { cancel: self.cancel, progress: None }
    }

    /// Whether the computation should stop now.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.is_some_and(CancelToken::is_cancelled)
    }

    /// `Err(Interrupted)` when the computation should stop now.
    pub fn check(&self) -> Result<(), Interrupted> {
        if self.is_cancelled() { Err(Interrupted) } else { Ok(()) }
    }

    /// Report `done` of `total` units of `stage`.
    pub fn report(&self, stage: &str, done: u64, total: u64) {
        if let Some(hook) = self.progress {
            hook(stage, done, total);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn a_clone_of_the_token_cancels_the_original() {
        let token = CancelToken::new();
        let control = Control::default().with_cancel(&token);
        assert_eq!(control.check(), Ok(()));
        token.clone().cancel();
        assert_eq!(control.check(), Err(Interrupted));
        assert!(control.cancel_only().is_cancelled());
        assert!(!Control::default().is_cancelled());
    }

    fn dean_cluster(replications: u64) -> plenum_scenario::Scenario {
        let text = include_str!("../../../scenarios/dean-cluster-year.toml");
        let base = plenum_scenario::Scenario::from_toml_str(text, "dean").expect("a shipped scenario");
        base.with_values(&[("reliability.replications", toml::Value::Integer(replications as i64))])
            .expect("a valid count")
    }

    #[test]
    fn a_watched_run_equals_a_plain_one_bit_for_bit() {
        let scenario = dean_cluster(300);
        let inputs = crate::Inputs::default();
        let plain = crate::run(&scenario, &inputs).unwrap().summary().to_value();
        let token = CancelToken::new();
        let reports = Mutex::new(Vec::new());
        let hook = |stage: &str, done, total| reports.lock().unwrap().push((stage.to_string(), done, total));
        let control = Control::default().with_cancel(&token).with_progress(&hook);
        let watched = crate::run_controlled(&scenario, &inputs, &control).unwrap().summary().to_value();
        assert_eq!(plain.to_string(), watched.to_string());
        let reports = reports.into_inner().unwrap();
        assert_eq!(reports.last(), Some(&("reliability replications".to_string(), 300, 300)));
    }

    #[test]
    fn a_cancelled_token_stops_engines_with_interrupted() {
        let token = CancelToken::new();
        token.cancel();
        let control = Control::default().with_cancel(&token);
        // A million replications would take minutes: none of them runs.
        let long = dean_cluster(1_000_000);
        let stopped = crate::run_controlled(&long, &crate::Inputs::default(), &control);
        assert!(matches!(stopped, Err(crate::FacilityError::Interrupted(Interrupted))), "{stopped:?}");
        let year = plenum_scenario::Scenario::embedded_default();
        let stopped = crate::facility::simulate_controlled(&year, &crate::Inputs::default(), &control);
        assert!(matches!(stopped, Err(crate::FacilityError::Interrupted(_))));
    }

    #[test]
    fn progress_reaches_the_hook_and_cancel_only_drops_it() {
        let seen = Mutex::new(Vec::new());
        let hook = |stage: &str, done, total| seen.lock().unwrap().push((stage.to_string(), done, total));
        let control = Control::default().with_progress(&hook);
        control.report("rows", 1, 3);
        control.cancel_only().report("rows", 2, 3);
        assert_eq!(*seen.lock().unwrap(), [("rows".to_string(), 1, 3)]);
    }
}
