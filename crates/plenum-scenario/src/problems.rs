//! The one collector of validation problems: every check after the schema
//! ([`crate::validate`] and the section validators it calls) adds what it
//! finds here, located through the document at the value (or the `--set`
//! that gave it), so that every problem of a file is reported in one pass.
//!
//! This module depends only on [`crate::diagnostic`] and [`crate::document`],
//! so the section validators and [`crate::validate`] share it without
//! importing one another.

use crate::diagnostic::Diagnostic;
use crate::document::Document;

/// Problems found so far, located through the document.
pub(crate) struct Problems<'d> {
    /// The document the fields are located in.
    pub(crate) document: &'d Document,
    /// Every problem, in the order found.
    pub(crate) out: Vec<Diagnostic>,
}

impl<'d> Problems<'d> {
    /// An empty collector for `document`.
    pub(crate) fn new(document: &'d Document) -> Problems<'d> {
        Problems { document, out: Vec::new() }
    }

    /// Record a problem at `field` (a dotted path such as `servers[0].price_usd`).
    pub(crate) fn add(&mut self, field: &str, message: impl Into<String>, help: Option<&str>) {
        let mut d = Diagnostic::new(field, message).at(self.document.locate(field, false));
        d.help = help.map(str::to_string);
        self.out.push(d);
    }

    /// Problems recorded so far; a validator compares counts before and after
    /// a section to know whether that section had any.
    pub(crate) fn count(&self) -> usize {
        self.out.len()
    }
}
