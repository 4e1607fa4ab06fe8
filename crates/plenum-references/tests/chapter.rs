//! The validation chapter is what `references.toml` generates, and every case
//! names a test that exists and reads that case.

use std::path::Path;

fn repository() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

#[test]
fn the_book_validation_chapter_is_up_to_date() {
    let committed =
        std::fs::read_to_string(repository().join("docs/book/src/validation.md")).unwrap_or_default();
    assert!(
        committed == plenum_references::chapter_markdown(),
        "docs/book/src/validation.md differs from crates/plenum-references/references.toml; regenerate it with\n  {}",
        plenum_references::REGENERATE
    );
}

#[test]
fn every_case_is_held_by_a_test_that_reads_it() {
    for case in plenum_references::cases() {
        let (file, function) = case.test.split_once("::").expect("test = \"path::function\"");
        let text = std::fs::read_to_string(repository().join(file))
            .unwrap_or_else(|e| panic!("case `{}`: cannot read {file}: {e}", case.id));
        let start = text
            .find(&format!("fn {function}("))
            .unwrap_or_else(|| panic!("case `{}`: no `fn {function}` in {file}", case.id));
        // The function's body ends at the closing brace indented as its `fn` line.
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let indent: String = text[line_start..start].chars().take_while(|c| c.is_whitespace()).collect();
        let rest = &text[start..];
        let body = &rest[..rest.find(&format!("\n{indent}}}\n")).unwrap_or(rest.len())];
        assert!(
            body.contains(&format!("case(\"{}\")", case.id)),
            "case `{}`: {function} in {file} does not check it (expected `plenum_references::case(\"{}\")`)",
            case.id,
            case.id
        );
        for figure in &case.figures {
            assert!(figure.published_value().is_finite(), "{}: {}", case.id, figure.name);
        }
    }
}
