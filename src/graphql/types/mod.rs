//! GraphQL object types: views of store rows shaped for clients, each field
//! documented for `schema.graphql`.

mod user;

pub use user::{LoginPayload, RoleValue, User, UserConnection, UserTotals};
