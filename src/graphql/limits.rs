//! Caps on the shape of a document, checked before any validation in time
//! linear in its size.
//!
//! async-graphql's validation walks every operation and every fragment
//! definition with each fragment spread expanded in place, so a kilobyte of
//! fragments that spread each other twice over costs it minutes of CPU that
//! never yield; its complexity check does not count `__typename` either, so
//! ten thousand aliased `__typename` fields would pass it. This check counts
//! what validation would visit (fields, `__typename` included, aliases and
//! spreads) without expanding anything: each fragment's cost is worked out
//! once and reused wherever it is spread. A spread of an unknown fragment,
//! a fragment that spreads itself and selections nested past any sensible
//! depth are refused here too, since each would send validation into the
//! same expansion or deep into its stack.
//!
//! It runs on the request before execution (HTTP and WebSocket alike), not
//! as a schema extension: any extension sends every field through a slower
//! path in async-graphql, and the parsed document is kept in the request so
//! it is not parsed twice.

use std::collections::HashMap;

use async_graphql::parser::types::{ExecutableDocument, Field, Selection, SelectionSet};
use async_graphql::{Name, Pos, ServerError, ServerResult, Value, Variables};

/// How large one document may be, counted as validation would walk it:
/// every operation and every fragment definition, with spreads expanded.
#[derive(Debug, Clone, Copy)]
pub struct DocumentLimits {
    /// Length of the document's text: parsing costs about a millisecond per
    /// 10 KB even when the document is refused next.
    pub max_bytes: usize,
    /// Operations in one document (only one runs; all are validated).
    pub max_operations: usize,
    pub max_fields: usize,
    pub max_aliases: usize,
    pub max_spreads: usize,
    /// Nesting of fields, fragment spreads and inline fragments together.
    pub max_nesting: usize,
    /// Nesting of lists and input objects in one argument or variable.
    pub max_input_depth: usize,
}

impl DocumentLimits {
    /// Refuses a document over any cap, or one whose fragments validation
    /// could not expand (unknown or cyclic). Answers where the document's
    /// arguments take variables: an invalid value reported there came from
    /// the caller's variables, not from the document.
    pub fn check(&self, document: &ExecutableDocument) -> ServerResult<Vec<Pos>> {
        let operations = document.operations.iter().count();
        if operations > self.max_operations {
            return Err(refusal(format!(
                "the document holds {operations} operations, more than {}; send the one to run",
                self.max_operations
            )));
        }
        let mut walk = Walk {
            limits: self,
            document,
            fragments: HashMap::new(),
            variable_arguments: Vec::new(),
        };
        let mut total = Cost::default();
        for (_, operation) in document.operations.iter() {
            let operation = &operation.node;
            for variable in &operation.variable_definitions {
                if let Some(default) = &variable.node.default_value {
                    self.check_input(&variable.node.name.node, &default.node)?;
                }
            }
            total = total.plus(walk.of_set(&operation.selection_set.node, 0)?);
        }
        for name in document.fragments.keys() {
            total = total.plus(walk.of_fragment(name, 0)?);
        }
        self.within_caps(total)?;
        Ok(walk.variable_arguments)
    }

    /// Refuses a document too long to parse, before parsing it.
    pub fn check_size(&self, document: &str) -> ServerResult<()> {
        if document.len() > self.max_bytes {
            return Err(refusal(format!(
                "the document is {} bytes long, more than {}; send a shorter one",
                document.len(),
                self.max_bytes
            )));
        }
        Ok(())
    }

    /// Refuses variables nested deeper than an argument may be.
    pub fn check_variables(&self, variables: &Variables) -> ServerResult<()> {
        for (name, value) in variables.iter() {
            self.check_input(name, value)?;
        }
        Ok(())
    }

    fn check_input(&self, name: &Name, value: &Value) -> ServerResult<()> {
        if depth_exceeds(value, self.max_input_depth) {
            return Err(refusal(format!(
                "\"{name}\" nests lists and objects more than {} levels deep",
                self.max_input_depth
            )));
        }
        Ok(())
    }

    fn within_caps(&self, cost: Cost) -> ServerResult<()> {
        let over = if cost.aliases > self.max_aliases {
            format!("uses more than {} aliases", self.max_aliases)
        } else if cost.fields > self.max_fields {
            format!("selects more than {} fields", self.max_fields)
        } else if cost.spreads > self.max_spreads {
            format!("spreads fragments more than {} times", self.max_spreads)
        } else {
            return Ok(());
        };
        Err(refusal(format!(
            "the document {over} (its fragments expanded); split it into smaller queries"
        )))
    }
}

fn refusal(message: String) -> ServerError {
    ServerError::new(message, None)
}

/// Whether `value` nests lists and objects more than `levels` deep; stops
/// looking as soon as it does, so a deep value costs no deep recursion.
fn depth_exceeds(value: &Value, levels: usize) -> bool {
    let deeper = |child: &Value| depth_exceeds(child, levels - 1);
    match value {
        Value::List(items) => levels == 0 || items.iter().any(deeper),
        Value::Object(fields) => levels == 0 || fields.values().any(deeper),
        _ => false,
    }
}

/// What a selection set costs with its fragments expanded. Sums saturate:
/// a fragment spread twice in each of seventy fragments costs 2^70, which is
/// only ever compared with a cap.
#[derive(Debug, Clone, Copy, Default)]
struct Cost {
    fields: usize,
    aliases: usize,
    spreads: usize,
}

impl Cost {
    fn plus(self, other: Cost) -> Cost {
        Cost {
            fields: self.fields.saturating_add(other.fields),
            aliases: self.aliases.saturating_add(other.aliases),
            spreads: self.spreads.saturating_add(other.spreads),
        }
    }
}

/// A fragment's cost once known; `InProgress` while it is being worked out,
/// so meeting it again means the fragment spreads itself.
#[derive(Clone, Copy)]
enum Memo {
    InProgress,
    Known(Cost),
}

/// One pass over a document, each fragment's cost worked out at most once.
struct Walk<'d> {
    limits: &'d DocumentLimits,
    document: &'d ExecutableDocument,
    fragments: HashMap<&'d Name, Memo>,
    variable_arguments: Vec<Pos>,
}

impl<'d> Walk<'d> {
    /// The cost of `selections`, found `nesting` levels down.
    fn of_set(&mut self, selections: &'d SelectionSet, nesting: usize) -> ServerResult<Cost> {
        if nesting >= self.limits.max_nesting {
            return Err(refusal(format!(
                "selections nest more than {} levels deep (fields and fragments together)",
                self.limits.max_nesting
            )));
        }
        let mut cost = Cost::default();
        for selection in &selections.items {
            let part = match &selection.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    self.check_arguments(field)?;
                    let own = Cost {
                        fields: 1,
                        aliases: usize::from(field.alias.is_some()),
                        spreads: 0,
                    };
                    own.plus(self.of_set(&field.selection_set.node, nesting + 1)?)
                }
                Selection::InlineFragment(fragment) => {
                    self.of_set(&fragment.node.selection_set.node, nesting + 1)?
                }
                Selection::FragmentSpread(spread) => {
                    let own = Cost {
                        spreads: 1,
                        ..Cost::default()
                    };
                    own.plus(self.of_fragment(&spread.node.fragment_name.node, nesting + 1)?)
                }
            };
            cost = cost.plus(part);
        }
        Ok(cost)
    }

    /// Checks a field's arguments (its directives' too) as the document
    /// spells them, and notes those that take variables.
    fn check_arguments(&mut self, field: &Field) -> ServerResult<()> {
        let directives = field.directives.iter();
        let arguments = field
            .arguments
            .iter()
            .chain(directives.flat_map(|directive| directive.node.arguments.iter()));
        for (name, value) in arguments {
            let mut takes_variables = false;
            let literal = value.node.clone().into_const_with(|_| {
                takes_variables = true;
                Ok::<_, std::convert::Infallible>(Value::Null)
            });
            let Ok(literal) = literal;
            self.limits.check_input(&name.node, &literal)?;
            if takes_variables {
                self.variable_arguments.push(name.pos);
            }
        }
        Ok(())
    }

    fn of_fragment(&mut self, name: &'d Name, nesting: usize) -> ServerResult<Cost> {
        match self.fragments.get(name) {
            Some(Memo::Known(cost)) => return Ok(*cost),
            Some(Memo::InProgress) => {
                return Err(refusal(format!(
                    "fragment \"{name}\" spreads itself, directly or through other fragments"
                )));
            }
            None => {}
        }
        let Some(fragment) = self.document.fragments.get(name) else {
            return Err(refusal(format!("unknown fragment \"{name}\"")));
        };
        self.fragments.insert(name, Memo::InProgress);
        let cost = self.of_set(&fragment.node.selection_set.node, nesting)?;
        self.fragments.insert(name, Memo::Known(cost));
        Ok(cost)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: DocumentLimits = DocumentLimits {
        max_bytes: 1 << 20,
        max_operations: 3,
        max_fields: 500,
        max_aliases: 50,
        max_spreads: 500,
        max_nesting: 32,
        max_input_depth: 4,
    };

    fn check(query: &str) -> Result<(), String> {
        let document = async_graphql::parser::parse_query(query).map_err(|err| err.to_string())?;
        LIMITS.check(&document).map(drop).map_err(|err| err.message)
    }

    /// `count` fragments, each spreading the next twice; the last one `last`.
    fn doubling(count: usize, last: &str) -> String {
        let mut query = String::from("{ ...F0 }\n");
        for n in 0..count {
            let next = format!("F{}", n + 1);
            query.push_str(&format!(
                "fragment F{n} on Query {{ ...{next} ...{next} }}\n"
            ));
        }
        query.push_str(&format!("fragment F{count} on Query {{ {last} }}\n"));
        query
    }

    #[test]
    fn doubling_fragments_are_refused_without_being_expanded() {
        let refused = check(&doubling(30, "__typename")).unwrap_err();
        assert!(refused.contains("fields"), "{refused}");
        let refused = check(&doubling(30, "...Missing")).unwrap_err();
        assert!(
            refused.contains("unknown fragment \"Missing\""),
            "{refused}"
        );
    }

    #[test]
    fn a_spread_of_a_missing_fragment_is_refused() {
        let refused = check("{ ...Missing }").unwrap_err();
        assert_eq!(refused, "unknown fragment \"Missing\"");
    }

    #[test]
    fn every_fragment_counts_as_validation_walks_it() {
        // The operation expands to 2^n spreads, and every definition is
        // walked again on its own: 2^(n+1) - 2 + the ones below it.
        assert_eq!(check(&doubling(6, "__typename")), Ok(()));
        let refused = check(&doubling(7, "__typename")).unwrap_err();
        assert!(refused.contains("spreads"), "{refused}");
        let refused = check(&doubling(8, "__typename")).unwrap_err();
        assert!(refused.contains("fields"), "{refused}");
    }

    #[test]
    fn fragments_no_operation_spreads_count_too() {
        let mut query = doubling(12, "__typename");
        query = query.replacen("{ ...F0 }", "{ __typename }", 1);
        let refused = check(&query).unwrap_err();
        assert!(refused.contains("fields"), "{refused}");
    }

    #[test]
    fn a_fragment_that_spreads_itself_is_refused() {
        let query = "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A __typename }";
        let refused = check(query).unwrap_err();
        assert!(refused.contains("spreads itself"), "{refused}");
        let refused = check("fragment A on Query { ...A } { __typename }").unwrap_err();
        assert!(refused.contains("\"A\" spreads itself"), "{refused}");
    }

    #[test]
    fn a_long_chain_of_fragments_is_refused_at_the_nesting_cap() {
        let mut query = String::from("{ ...F0 }\n");
        for n in 0..10_000 {
            query.push_str(&format!("fragment F{n} on Query {{ ...F{} }}\n", n + 1));
        }
        query.push_str("fragment F10000 on Query { __typename }\n");
        let refused = check(&query).unwrap_err();
        assert!(refused.contains("nest more than 32 levels"), "{refused}");
    }

    #[test]
    fn operations_are_counted() {
        assert_eq!(
            check("query A { __typename } query B { __typename }"),
            Ok(())
        );
        let many = "query A { __typename } query B { __typename } query C { __typename } query D { __typename }";
        let refused = check(many).unwrap_err();
        assert!(refused.contains("4 operations, more than 3"), "{refused}");
    }

    #[test]
    fn input_nested_too_deep_is_refused_in_arguments_defaults_and_variables() {
        assert_eq!(check("{ f(a: [[[[1]]]]) }"), Ok(()));
        let refused = check("{ f(a: [[[[[1]]]]]) }").unwrap_err();
        assert!(refused.contains("\"a\" nests"), "{refused}");
        let refused = check("{ f(a: {b: {c: {d: {e: {f: 1}}}}}) }").unwrap_err();
        assert!(refused.contains("more than 4 levels"), "{refused}");
        let refused = check("query($v: [[Int]] = [[[[[[1]]]]]]) { f(a: $v) }").unwrap_err();
        assert!(refused.contains("\"v\" nests"), "{refused}");
        let refused = check("{ f @include(if: [[[[[true]]]]]) }").unwrap_err();
        assert!(refused.contains("\"if\" nests"), "{refused}");

        let deep = serde_json::json!({ "v": [[[[[1]]]]] });
        let refused = LIMITS
            .check_variables(&Variables::from_json(deep))
            .unwrap_err();
        assert!(
            refused.message.contains("\"v\" nests"),
            "{}",
            refused.message
        );
        let fine = serde_json::json!({ "v": [[[[1]]]], "w": "text" });
        assert!(LIMITS.check_variables(&Variables::from_json(fine)).is_ok());
    }
}
