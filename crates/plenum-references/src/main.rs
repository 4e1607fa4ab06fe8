//! Prints the book's validation chapter, generated from `references.toml`:
//! `cargo run -p plenum-references > docs/book/src/validation.md`.

fn main() {
    print!("{}", plenum_references::chapter_markdown());
}
