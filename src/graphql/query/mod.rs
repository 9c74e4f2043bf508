//! Read operations, one file per feature.

mod users;

use async_graphql::MergedObject;

/// The root of every query.
#[derive(Default, MergedObject)]
#[graphql(name = "Query")]
pub struct QueryRoot(users::UserQuery);
