//! Translation tasks: a request to produce one text, claimed by one
//! translator at a time. The task table below is the whole life of a task.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use super::{DomainError, Language, Stage};

/// What a task produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaskKind {
    /// The whole paper in another language.
    Full,
    /// A summary with key findings, e.g. an English summary of a Russian report.
    Summary,
}

/// Where a task is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TaskStatus {
    Open,
    Claimed,
    Submitted,
    Accepted,
    Cancelled,
}

/// Something done to an existing task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskAction {
    Claim,
    Release,
    Submit,
    Accept,
    Reject,
    Cancel,
}

macro_rules! text_enum {
    ($name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = DomainError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|value| value.as_str() == s)
                    .ok_or_else(|| DomainError::bad_input(format!(
                        concat!("unknown ", stringify!($name), " {:?}"), s
                    )))
            }
        }
    };
}
pub(crate) use text_enum;

text_enum!(TaskKind { Full => "FULL", Summary => "SUMMARY" });
text_enum!(TaskStatus {
    Open => "OPEN",
    Claimed => "CLAIMED",
    Submitted => "SUBMITTED",
    Accepted => "ACCEPTED",
    Cancelled => "CANCELLED",
});

impl TaskStatus {
    /// Work not finished and not abandoned.
    pub fn is_pending(self) -> bool {
        matches!(
            self,
            TaskStatus::Open | TaskStatus::Claimed | TaskStatus::Submitted
        )
    }

    /// Past its due date and not finished. (The store's `overdue` filter
    /// says the same in SQL: due before now, status not ACCEPTED/CANCELLED.)
    pub fn is_overdue(self, due_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
        self.is_pending() && due_at.is_some_and(|due| due < now)
    }
}

/// Who may act on a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Actors {
    Translator,
    Claimant,
    ClaimantOrEditor,
    Editor,
}

struct TaskRule {
    action: TaskAction,
    from: &'static [TaskStatus],
    to: TaskStatus,
    actors: Actors,
    note_required: bool,
}

use TaskAction::*;
use TaskStatus::*;

/// The task table, as in the design. A lease running out also takes a task
/// from CLAIMED back to OPEN; the system does that, not a person.
#[rustfmt::skip]
const TASK_RULES: &[TaskRule] = &[
    TaskRule { action: Claim,   from: &[Open],                       to: Claimed,   actors: Actors::Translator,       note_required: false },
    TaskRule { action: Release, from: &[Claimed],                    to: Open,      actors: Actors::ClaimantOrEditor, note_required: false },
    TaskRule { action: Submit,  from: &[Claimed],                    to: Submitted, actors: Actors::Claimant,         note_required: false },
    TaskRule { action: Accept,  from: &[Submitted],                  to: Accepted,  actors: Actors::Editor,           note_required: false },
    TaskRule { action: Reject,  from: &[Submitted],                  to: Claimed,   actors: Actors::Editor,           note_required: true },
    TaskRule { action: Cancel,  from: &[Open, Claimed, Submitted],   to: Cancelled, actors: Actors::Editor,           note_required: false },
];

/// The viewer's standing towards one task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TaskStanding {
    pub is_editor: bool,
    pub is_translator: bool,
    /// Holds the task's current claim.
    pub is_claimant: bool,
}

/// Checks an action on a task and answers the status it leads to.
/// Claiming a task someone else holds is ALREADY_CLAIMED; any other action
/// from the wrong status is INVALID_TRANSITION.
pub fn check_task_action(
    action: TaskAction,
    standing: TaskStanding,
    status: TaskStatus,
    paper_stage: Stage,
    note: Option<&str>,
) -> Result<TaskStatus, DomainError> {
    let rule = TASK_RULES
        .iter()
        .find(|rule| rule.action == action)
        .ok_or_else(|| DomainError::InvalidTransition(format!("unknown task action {action:?}")))?;
    let permitted = match rule.actors {
        Actors::Translator => standing.is_translator,
        Actors::Claimant => standing.is_claimant,
        Actors::ClaimantOrEditor => standing.is_claimant || standing.is_editor,
        Actors::Editor => standing.is_editor,
    };
    if !permitted {
        let who = match rule.actors {
            Actors::Translator => "a translator",
            Actors::Claimant => "the translator who claimed it",
            Actors::ClaimantOrEditor => "the translator who claimed it or an editor",
            Actors::Editor => "an editor",
        };
        return Err(DomainError::forbidden(format!(
            "only {who} may {} this task",
            action_verb(action)
        )));
    }
    if !rule.from.contains(&status) {
        if action == Claim && matches!(status, Claimed | Submitted) {
            return Err(DomainError::AlreadyClaimed(
                "another translator claimed this task first".into(),
            ));
        }
        return Err(DomainError::InvalidTransition(format!(
            "a {} task cannot be {}",
            status.as_str().to_lowercase(),
            past_tense(action)
        )));
    }
    if action == Claim && paper_stage != Stage::Translation {
        return Err(DomainError::InvalidTransition(format!(
            "tasks can be claimed while the paper is in TRANSLATION; it is in {paper_stage}"
        )));
    }
    if rule.note_required && note.is_none_or(|note| note.trim().is_empty()) {
        return Err(DomainError::bad_input(format!(
            "to {} a translation, say why in a note",
            action_verb(action)
        )));
    }
    Ok(rule.to)
}

fn action_verb(action: TaskAction) -> &'static str {
    match action {
        Claim => "claim",
        Release => "release",
        Submit => "submit",
        Accept => "accept",
        Reject => "reject",
        Cancel => "cancel",
    }
}

fn past_tense(action: TaskAction) -> &'static str {
    match action {
        Claim => "claimed",
        Release => "released",
        Submit => "submitted",
        Accept => "accepted",
        Reject => "rejected",
        Cancel => "cancelled",
    }
}

/// Checks that an editor may open a task for this paper and language.
pub fn check_new_task(
    is_editor: bool,
    paper_stage: Stage,
    original_language: &Language,
    target_language: &Language,
) -> Result<(), DomainError> {
    if !is_editor {
        return Err(DomainError::forbidden(
            "only an editor may create translation tasks",
        ));
    }
    if !matches!(
        paper_stage,
        Stage::Submitted | Stage::Translation | Stage::Review
    ) {
        return Err(DomainError::InvalidTransition(format!(
            "tasks can be created while the paper is SUBMITTED, in TRANSLATION or in REVIEW; it is {paper_stage}"
        )));
    }
    if original_language == target_language {
        return Err(DomainError::bad_input(format!(
            "the paper is already in {}: choose another target language",
            target_language.display_name()
        )));
    }
    Ok(())
}

/// A translator holds at most `max` claims at once.
pub fn check_claim_limit(held: u64, max: u64) -> Result<(), DomainError> {
    if held >= max {
        return Err(DomainError::InvalidTransition(format!(
            "you already hold {held} claim(s), the most allowed at once: submit or release one first"
        )));
    }
    Ok(())
}

#[cfg(test)]
#[path = "task_tests.rs"]
mod tests;
