//! The rules of Imprint in plain Rust: no GraphQL, no SQL. Who the viewer is,
//! what roles mean, and what valid input looks like. Every rule lives here
//! once; the layers above ask, the layers below store.

mod error;
pub mod policy;
mod role;
mod user;
mod viewer;

pub use error::DomainError;
pub use role::{Role, Roles};
pub use user::{DisplayName, Email, NewPassword, optional_line};
pub use viewer::{Actor, Viewer};
