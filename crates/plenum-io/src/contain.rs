//! Containing a dependency's panic on malformed input. The Parquet decoder
//! (arrow-rs `parquet` 60) can panic on a corrupt file instead of returning
//! an error (found by fuzzing: a definition-level run past the end of its
//! page panics in arrow-buffer's `bit_chunk_iterator`). A reader runs such a
//! decoder through [`contained`], which turns the panic into an error message
//! and keeps the panic's report off stderr, so the user sees one located
//! error and exit status 2, as for any other bad file.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    static CONTAINING: Cell<bool> = const { Cell::new(false) };
}

/// Run `f`; a panic inside it becomes `Err(message)`. Only panics of this
/// thread inside `f` are silenced; every other panic reaches the hook that
/// was installed before (the default report, a test harness, a fuzzer).
pub fn contained<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !CONTAINING.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = CONTAINING.with(|c| c.replace(true));
    let outcome = panic::catch_unwind(AssertUnwindSafe(f));
    CONTAINING.with(|c| c.set(was));
    outcome.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "the decoder failed".to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_inside_becomes_an_error_and_others_pass_through() {
        assert_eq!(contained(|| 7), Ok(7));
        assert_eq!(
            contained(|| -> u8 { panic!("offset + len out of bounds") }),
            Err("offset + len out of bounds".into())
        );
        let nested = std::thread::spawn(|| contained(|| -> u8 { panic!("{}", String::from("owned")) }));
        assert_eq!(nested.join().unwrap(), Err("owned".into()));
        // Outside `contained`, a panic still unwinds to its catcher.
        assert!(std::panic::catch_unwind(|| panic!("not contained")).is_err());
    }
}
