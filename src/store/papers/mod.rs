//! Papers and what hangs off them, one file per job: who may see which
//! papers (`scope`), lists of them (`list`), a paper's own row (`write`),
//! its texts, contributors, history and revisions.

mod contributors;
mod history;
mod list;
mod revisions;
mod scope;
mod texts;
mod with_lists;
mod write;

use crate::store::entity::{contributor, paper, paper_text, stage_event};

pub use contributor::Model as ContributorRow;
pub use paper::Model as PaperRow;
pub use paper_text::Model as TextRow;
pub use stage_event::Model as StageEventRow;

pub use contributors::{contributors_of, insert_contributors, replace_contributors};
pub use history::{
    HistoryEntry, insert_history, insert_stage_event, last_actor_into, stage_events_of,
};
pub use list::{
    PageWindow, PaperCursor, PaperFilter, PaperOrder, PaperSort, SortValue, TimeRange, count, page,
};
pub use revisions::{
    NewRevision, Revision, RevisionRow, RevisionTextRow, record_revision, revisions_of,
};
pub use scope::{
    find_visible, find_visible_for_update, lock_of_task, relations, visible, visible_by_ids,
};
pub use texts::{
    TextHeading, TextWrite, confirm_translation, content_of, insert_text, key_findings,
    original_text, put_text, texts_of, texts_of_papers,
};
pub use with_lists::{NestedLists, NestedRows, PaperWithLists, Part, page_with_lists};
pub use write::{
    NewPaperRow, PaperChange, by_external_keys, due_for_release, find, insert,
    set_release_held_back, slug_taken, update_if_version,
};

/// How a paper is named in a request.
#[derive(Debug, Clone)]
pub enum PaperKey {
    Id(i64),
    Slug(String),
}
