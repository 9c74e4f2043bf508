//! Caps on how much one document may select. async-graphql's complexity
//! check does not count `__typename`, so a document of ten thousand aliased
//! `__typename` fields would pass it; this check counts every field
//! selection, `__typename` included, with fragments expanded.
//!
//! It runs on the request before execution (HTTP and WebSocket alike), not
//! as a schema extension: any extension sends every field through a slower
//! path in async-graphql, and the parsed document is kept in the request so
//! it is not parsed twice.

use std::collections::HashSet;

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Request, ServerError, ServerResult};

/// Largest number of field selections (after expanding fragments) and of
/// aliased fields one document may hold.
#[derive(Debug, Clone, Copy)]
pub struct SelectionLimits {
    pub max_fields: usize,
    pub max_aliases: usize,
}

impl SelectionLimits {
    /// Parses the request's document (kept for execution) and checks it.
    pub fn check(&self, request: &mut Request) -> ServerResult<()> {
        let document = request.parsed_query()?;
        self.check_document(document)
    }
}

#[derive(Default)]
struct Tally {
    fields: usize,
    aliases: usize,
}

impl SelectionLimits {
    fn check_document(&self, document: &ExecutableDocument) -> ServerResult<()> {
        let mut tally = Tally::default();
        for (_, operation) in document.operations.iter() {
            let mut expanding = HashSet::new();
            self.walk(
                document,
                &operation.node.selection_set.node,
                &mut tally,
                &mut expanding,
            )?;
        }
        Ok(())
    }

    /// Counts selections depth-first and stops as soon as a cap is passed, so
    /// a document built to explode under expansion costs little to refuse.
    /// Fragment cycles are skipped here; validation reports them.
    fn walk<'d>(
        &self,
        document: &'d ExecutableDocument,
        selections: &'d SelectionSet,
        tally: &mut Tally,
        expanding: &mut HashSet<&'d str>,
    ) -> ServerResult<()> {
        for selection in &selections.items {
            match &selection.node {
                Selection::Field(field) => {
                    tally.fields += 1;
                    if field.node.alias.is_some() {
                        tally.aliases += 1;
                    }
                    self.within_caps(tally)?;
                    self.walk(document, &field.node.selection_set.node, tally, expanding)?;
                }
                Selection::InlineFragment(fragment) => {
                    self.walk(
                        document,
                        &fragment.node.selection_set.node,
                        tally,
                        expanding,
                    )?;
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    let Some(fragment) = document.fragments.get(name) else {
                        continue;
                    };
                    if expanding.insert(name) {
                        self.walk(
                            document,
                            &fragment.node.selection_set.node,
                            tally,
                            expanding,
                        )?;
                        expanding.remove(name);
                    }
                }
            }
        }
        Ok(())
    }

    fn within_caps(&self, tally: &Tally) -> ServerResult<()> {
        if tally.fields > self.max_fields {
            return Err(ServerError::new(
                format!(
                    "the document selects more than {} fields; split it into smaller queries",
                    self.max_fields
                ),
                None,
            ));
        }
        if tally.aliases > self.max_aliases {
            return Err(ServerError::new(
                format!(
                    "the document uses more than {} aliases; split it into smaller queries",
                    self.max_aliases
                ),
                None,
            ));
        }
        Ok(())
    }
}
