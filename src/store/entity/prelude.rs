//! Every entity under its table's name in the singular: `User`, `Paper`, ….

pub use super::contributor::Entity as Contributor;
pub use super::paper::Entity as Paper;
pub use super::paper_revision::Entity as PaperRevision;
pub use super::paper_revision_text::Entity as PaperRevisionText;
pub use super::paper_text::Entity as PaperText;
pub use super::review::Entity as Review;
pub use super::series::Entity as Series;
pub use super::stage_event::Entity as StageEvent;
pub use super::task_event::Entity as TaskEvent;
pub use super::translation_task::Entity as TranslationTask;
pub use super::user::Entity as User;
