//! GraphQL object types: views of store rows shaped for clients, each field
//! documented for `schema.graphql`. Every one carries what the viewer may
//! see of it, decided by the policy when it was loaded.

mod announcement;
mod paper;
mod review;
mod revision;
mod series;
mod status;
mod task;
mod user;

pub use paper::{Paper, PaperConnection, PaperTotals, StageValue};
pub use review::{RecommendationValue, Review};
pub use series::Series;
pub use status::PublicationStatus;
pub use task::{TaskConnection, TaskKindValue, TaskStatusValue, TaskTotals, TranslationTask};
pub use user::{LoginPayload, RoleValue, User, UserConnection, UserTotals};
