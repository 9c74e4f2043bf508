//! The rules of Imprint in plain Rust: no GraphQL, no SQL. Read this module
//! to know the whole workflow:
//!
//! - [`workflow`]: stages and the one table of stage changes;
//! - [`task`]: the life of a translation task;
//! - [`review`]: review requests and answers;
//! - [`policy`]: who sees which papers, and which parts of them;
//! - [`status`]: cycle times and percentiles for publication status;
//! - [`search`]: how texts are indexed and the search query language;
//! - [`catalogue`]: publication dates, datelines and catalogue import lines;
//! - [`publishing`]: publishing on a chosen date (SCHEDULED);
//! - [`event`]: what subscribers learn of a paper;
//! - the value types every input is parsed into (languages, e-mails, texts).

pub mod catalogue;
mod error;
pub mod event;
mod language;
pub mod paper;
pub mod policy;
pub mod publishing;
pub mod review;
mod role;
pub mod search;
pub mod status;
pub mod task;
mod text;
mod user;
mod viewer;
pub mod workflow;

pub use error::DomainError;
pub use language::Language;
pub use paper::{ContributorInput, Slug, TextContent, TextEdit, TextKind};
pub use review::{Recommendation, ReviewStatus};
pub use role::{Role, Roles};
pub use task::{TaskAction, TaskKind, TaskStatus};
pub use text::{PlainText, TextField};
pub use user::{DisplayName, Email, NewPassword};
pub use viewer::{Actor, Viewer};
pub use workflow::Stage;
