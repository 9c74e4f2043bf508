//! Read operations, one file per feature.

mod papers;
mod status;
mod tasks;
mod users;

use async_graphql::MergedObject;

pub(crate) use papers::{PageArgs, PaperOrderBy, PapersFilter, papers_page};

/// The root of every query.
#[derive(Default, MergedObject)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    users::UserQuery,
    papers::PaperQuery,
    tasks::TaskQuery,
    status::StatusQuery,
);
