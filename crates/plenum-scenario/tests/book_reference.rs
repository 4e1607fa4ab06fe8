//! The book's scenario reference is the text generated from the schema: a
//! key added, renamed or documented differently in the raw types fails here
//! until the page is regenerated.

use std::path::Path;

#[test]
fn the_book_scenario_reference_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/book/src/reference/scenario.md");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let generated = plenum_scenario::reference::markdown();
    if committed != generated {
        let first_difference = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| committed.lines().count().min(generated.lines().count()));
        panic!(
            "docs/book/src/reference/scenario.md differs from the schema (first at line {}); regenerate it with\n  \
             cargo run --bin plenum -- schema --markdown > docs/book/src/reference/scenario.md",
            first_difference + 1
        );
    }
}
