//! Write operations, one file per feature. Never served over GET.

mod catalogue;
mod papers;
mod reviews;
mod tasks;
mod users;

use async_graphql::MergedObject;

/// The root of every mutation.
#[derive(Default, MergedObject)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(
    users::UserMutation,
    papers::PaperMutation,
    catalogue::CatalogueMutation,
    tasks::TaskMutation,
    reviews::ReviewMutation,
);
