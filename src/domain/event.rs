//! What subscribers learn of a paper: the kinds of its events. Every change
//! a workflow operation makes to a paper is one of these (task changes are
//! their own events, with the task's status).

use std::fmt;
use std::str::FromStr;

use super::DomainError;
use super::catalogue::HistoryKind;
use super::task::text_enum;

/// What happened to a paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaperEventKind {
    /// Created as a DRAFT.
    Created,
    /// Created or updated by a catalogue import.
    Imported,
    /// Moved to another stage by someone.
    Moved,
    /// Published by the clock at its scheduled time.
    Released,
    /// Its texts, contributors, series or link were edited.
    Updated,
    /// Its publication date or dateline changed after publication.
    PublicationChanged,
    /// Its scheduled publication moved to another time.
    Rescheduled,
    /// A text of the published paper was corrected.
    Corrected,
    /// A reviewer was asked to review it.
    ReviewRequested,
    /// A reviewer submitted or declined their review.
    ReviewAnswered,
}

text_enum!(PaperEventKind {
    Created => "CREATED",
    Imported => "IMPORTED",
    Moved => "MOVED",
    Released => "RELEASED",
    Updated => "UPDATED",
    PublicationChanged => "PUBLICATION_CHANGED",
    Rescheduled => "RESCHEDULED",
    Corrected => "CORRECTED",
    ReviewRequested => "REVIEW_REQUESTED",
    ReviewAnswered => "REVIEW_ANSWERED",
});

impl From<HistoryKind> for PaperEventKind {
    /// The event a row of the paper's history reports.
    fn from(kind: HistoryKind) -> Self {
        match kind {
            HistoryKind::Moved => PaperEventKind::Moved,
            HistoryKind::Imported => PaperEventKind::Imported,
            HistoryKind::PublicationChanged => PaperEventKind::PublicationChanged,
            HistoryKind::Rescheduled => PaperEventKind::Rescheduled,
            HistoryKind::Corrected => PaperEventKind::Corrected,
        }
    }
}

impl PaperEventKind {
    /// Whether the event is the paper entering a stage (`to`), which those
    /// who do not read the paper's log learn only while it stays there.
    pub fn is_stage_change(self) -> bool {
        matches!(
            self,
            PaperEventKind::Created
                | PaperEventKind::Imported
                | PaperEventKind::Moved
                | PaperEventKind::Released
        )
    }
}
