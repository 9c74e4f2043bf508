//! sea-orm entities, one module per table, named in the singular. They mirror the
//! schema in the `migration` crate column for column and carry no API derives: the
//! database is not the API.

pub mod contributor;
pub mod outbox_event;
pub mod outbox_retention;
pub mod paper;
pub mod paper_revision;
pub mod paper_revision_text;
pub mod paper_stage_count;
pub mod paper_text;
pub mod prelude;
pub mod review;
pub mod series;
pub mod stage_event;
pub mod task_event;
pub mod translation_task;
pub mod user;
