//! The stages a paper moves through, and the one table of rules that every
//! stage change obeys. `movePaper` enforces it; `availableTransitions` shows
//! it; both call [`evaluate`], so there is no second copy of a rule.
//!
//! ```text
//! DRAFT → SUBMITTED → TRANSLATION → REVIEW → (SCHEDULED →) PUBLISHED,  plus ARCHIVED
//! ```
//!
//! A move to PUBLISHED with a future `publishAt` is a move to SCHEDULED
//! ([`crate::domain::publishing`]); at that time the clock makes the
//! SCHEDULED → PUBLISHED move itself, checked by the same row as an
//! editor's ([`check_release`]).

use std::fmt;
use std::str::FromStr;

use super::{DomainError, Language, Recommendation, ReviewStatus, TaskKind, TaskStatus};

/// Where a paper is in the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    Draft,
    Submitted,
    Translation,
    Review,
    /// To be published at its `publishAt`; seen only by editors and its
    /// owning authors until then.
    Scheduled,
    Published,
    /// Withdrawn, rejected or retracted.
    Archived,
}

impl Stage {
    pub const ALL: [Stage; 7] = [
        Stage::Draft,
        Stage::Submitted,
        Stage::Translation,
        Stage::Review,
        Stage::Scheduled,
        Stage::Published,
        Stage::Archived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Draft => "DRAFT",
            Stage::Submitted => "SUBMITTED",
            Stage::Translation => "TRANSLATION",
            Stage::Review => "REVIEW",
            Stage::Scheduled => "SCHEDULED",
            Stage::Published => "PUBLISHED",
            Stage::Archived => "ARCHIVED",
        }
    }

    /// Editors may edit a paper's content in any stage before publication.
    pub fn is_editable(self) -> bool {
        !matches!(self, Stage::Published | Stage::Archived)
    }

    /// Under embargo: known only to editors and the paper's owning authors
    /// ([`crate::domain::policy`]).
    pub fn is_embargoed(self) -> bool {
        self == Stage::Scheduled
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for Stage {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Stage::ALL
            .into_iter()
            .find(|stage| stage.as_str() == s)
            .ok_or_else(|| DomainError::bad_input(format!("unknown stage {s:?}")))
    }
}

/// Who may make a move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Movers {
    Editor,
    OwningAuthorOrEditor,
}

/// A condition on the paper that must hold for a move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Guard {
    /// The original text has a title and an abstract or body.
    OriginalComplete,
    /// At least one translation task that is not cancelled.
    SomeActiveTask,
    /// No task is open, claimed or submitted: nothing left to translate.
    NoPendingTask,
    /// At least one task; every task not cancelled is accepted.
    AllTasksAccepted,
    /// No accepted translation was made from an older original.
    NoStaleTranslation,
    /// This round has a submitted ACCEPT and no review still requested.
    ReviewAccepted,
}

/// One row of the stage table.
#[derive(Debug, Clone, Copy)]
struct Rule {
    from: &'static [Stage],
    to: Stage,
    movers: Movers,
    note_required: bool,
    guards: &'static [Guard],
}

use Guard::*;
use Stage::*;

/// The stage table, as in the design. Anything not here is an invalid
/// transition.
#[rustfmt::skip]
const RULES: &[Rule] = &[
    Rule { from: &[Draft], to: Submitted, movers: Movers::OwningAuthorOrEditor, note_required: false, guards: &[OriginalComplete] },
    Rule { from: &[Submitted], to: Draft, movers: Movers::Editor, note_required: true, guards: &[] },
    Rule { from: &[Submitted], to: Translation, movers: Movers::Editor, note_required: false, guards: &[SomeActiveTask] },
    Rule { from: &[Submitted], to: Review, movers: Movers::Editor, note_required: false, guards: &[NoPendingTask] },
    Rule { from: &[Translation], to: Review, movers: Movers::Editor, note_required: false, guards: &[AllTasksAccepted, NoStaleTranslation] },
    Rule { from: &[Review], to: Translation, movers: Movers::Editor, note_required: true, guards: &[] },
    Rule { from: &[Review], to: Draft, movers: Movers::Editor, note_required: true, guards: &[] },
    Rule { from: &[Review], to: Published, movers: Movers::Editor, note_required: false, guards: &[ReviewAccepted, NoStaleTranslation] },
    Rule { from: &[Review], to: Scheduled, movers: Movers::Editor, note_required: false, guards: &[ReviewAccepted, NoStaleTranslation] },
    // Publishing now, or the release at `publishAt` (guards checked again).
    Rule { from: &[Scheduled], to: Published, movers: Movers::Editor, note_required: false, guards: &[ReviewAccepted, NoStaleTranslation] },
    // Cancelling a schedule.
    Rule { from: &[Scheduled], to: Review, movers: Movers::Editor, note_required: true, guards: &[] },
    Rule { from: &[Draft, Submitted], to: Archived, movers: Movers::OwningAuthorOrEditor, note_required: false, guards: &[] },
    Rule { from: &[Translation, Review, Scheduled, Published], to: Archived, movers: Movers::Editor, note_required: true, guards: &[] },
    Rule { from: &[Archived], to: Draft, movers: Movers::Editor, note_required: false, guards: &[] },
];

/// The viewer's standing towards one paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Standing {
    pub is_editor: bool,
    /// Created the paper as an author, or is linked to it as a contributor.
    pub is_owning_author: bool,
}

impl Standing {
    /// Whether the paper's moves are shown to them at all: only editors and
    /// its owning author take part in its workflow.
    pub fn sees_moves(self) -> bool {
        self.is_editor || self.is_owning_author
    }
}

/// One translation task, as the guards see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskFact {
    pub target_language: Language,
    pub kind: TaskKind,
    pub status: TaskStatus,
}

/// One review of the current round, as the guards see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewFact {
    pub status: ReviewStatus,
    pub recommendation: Option<Recommendation>,
}

/// What the guards need to know about a paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperFacts {
    pub stage: Stage,
    pub original_has_title: bool,
    pub original_has_abstract_or_body: bool,
    pub tasks: Vec<TaskFact>,
    /// Languages whose accepted translation was made from an older original.
    pub stale_languages: Vec<Language>,
    pub current_round_reviews: Vec<ReviewFact>,
}

impl TaskFact {
    fn describe(&self) -> String {
        let kind = match self.kind {
            TaskKind::Summary => "summary",
            TaskKind::Full => "translation",
        };
        format!("the {} {kind}", self.target_language.display_name())
    }
}

impl Guard {
    /// The unmet conditions, in words a person can act on; empty when met.
    fn unmet(self, facts: &PaperFacts) -> Vec<String> {
        let active = || {
            facts
                .tasks
                .iter()
                .filter(|t| t.status != TaskStatus::Cancelled)
        };
        match self {
            OriginalComplete => {
                let mut unmet = vec![];
                if !facts.original_has_title {
                    unmet.push("the original text has no title".to_owned());
                }
                if !facts.original_has_abstract_or_body {
                    unmet.push("the original text has neither an abstract nor a body".to_owned());
                }
                unmet
            }
            SomeActiveTask => match active().next() {
                Some(_) => vec![],
                None => vec!["there is no translation task: create one first".to_owned()],
            },
            NoPendingTask => active()
                .filter(|t| t.status.is_pending())
                .map(|t| {
                    format!(
                        "{} is still {}",
                        t.describe(),
                        t.status.as_str().to_lowercase()
                    )
                })
                .collect(),
            AllTasksAccepted => {
                if active().next().is_none() {
                    return vec!["there is no translation task".to_owned()];
                }
                active()
                    .filter(|t| t.status != TaskStatus::Accepted)
                    .map(|t| format!("{} is not accepted yet", t.describe()))
                    .collect()
            }
            NoStaleTranslation => facts
                .stale_languages
                .iter()
                .map(|language| {
                    format!(
                        "the {} translation is stale: the original changed after it was made",
                        language.display_name()
                    )
                })
                .collect(),
            ReviewAccepted => {
                let reviews = &facts.current_round_reviews;
                let mut unmet = vec![];
                let accepted = reviews.iter().any(|r| {
                    r.status == ReviewStatus::Submitted
                        && r.recommendation == Some(Recommendation::Accept)
                });
                if !accepted {
                    unmet.push("no review in this round recommends ACCEPT".to_owned());
                }
                let waiting = reviews
                    .iter()
                    .filter(|r| r.status == ReviewStatus::Requested)
                    .count();
                if waiting > 0 {
                    unmet.push(format!("{waiting} requested review(s) not answered yet"));
                }
                unmet
            }
        }
    }
}

/// A stage the paper could move to, judged for one viewer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionOption {
    pub to: Stage,
    /// Whether the viewer is one of those who may make this move.
    pub permitted: bool,
    pub note_required: bool,
    /// Conditions still unmet, in words; empty when the move can happen now.
    pub unmet: Vec<String>,
}

impl TransitionOption {
    /// The viewer may make this move right now.
    pub fn allowed(&self) -> bool {
        self.permitted && self.unmet.is_empty()
    }
}

fn rule_for(from: Stage, to: Stage) -> Option<&'static Rule> {
    RULES
        .iter()
        .find(|rule| rule.to == to && rule.from.contains(&from))
}

fn judge(rule: &Rule, standing: Standing, facts: &PaperFacts) -> TransitionOption {
    let permitted = match rule.movers {
        Movers::Editor => standing.is_editor,
        Movers::OwningAuthorOrEditor => standing.is_editor || standing.is_owning_author,
    };
    TransitionOption {
        to: rule.to,
        permitted,
        note_required: rule.note_required,
        unmet: unmet(rule, facts),
    }
}

/// The rule's guards that do not hold, in words; empty when all do.
fn unmet(rule: &Rule, facts: &PaperFacts) -> Vec<String> {
    rule.guards
        .iter()
        .flat_map(|guard| guard.unmet(facts))
        .collect()
}

/// Every stage reachable from the paper's stage, judged for this viewer;
/// none for a viewer who does not see moves.
pub fn available_transitions(standing: Standing, facts: &PaperFacts) -> Vec<TransitionOption> {
    if !standing.sees_moves() {
        return vec![];
    }
    RULES
        .iter()
        .filter(|rule| rule.from.contains(&facts.stage))
        .map(|rule| judge(rule, standing, facts))
        .collect()
}

/// What a move changes besides the stage, all in the same transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MoveEffects {
    /// Moving to DRAFT or ARCHIVED cancels open, claimed and submitted tasks.
    pub cancel_pending_tasks: bool,
    /// Leaving REVIEW cancels reviews still requested.
    pub cancel_requested_reviews: bool,
    /// Entering REVIEW starts a new review round, unless a schedule is
    /// cancelled: the paper returns to the round it was scheduled from.
    pub start_review_round: bool,
    /// PUBLISHED sets `publishedAt`, once.
    pub mark_published: bool,
    /// Entering SCHEDULED sets `publishAt`; leaving it clears it.
    pub set_schedule: bool,
    pub clear_schedule: bool,
}

/// Checks a move against the table: INVALID_TRANSITION when there is no such
/// move or a guard is unmet, FORBIDDEN when the viewer may not make it,
/// BAD_USER_INPUT when a required note is missing.
pub fn check_move(
    standing: Standing,
    facts: &PaperFacts,
    to: Stage,
    note: Option<&str>,
) -> Result<MoveEffects, DomainError> {
    let from = facts.stage;
    let rule = rule_for(from, to).ok_or_else(|| {
        DomainError::InvalidTransition(format!("a paper cannot move from {from} to {to}"))
    })?;
    let option = judge(rule, standing, facts);
    if !option.permitted {
        let who = match rule.movers {
            Movers::Editor => "an editor",
            Movers::OwningAuthorOrEditor => "the paper's author or an editor",
        };
        return Err(DomainError::forbidden(format!(
            "only {who} may move a paper from {from} to {to}"
        )));
    }
    if rule.note_required && note.is_none_or(|note| note.trim().is_empty()) {
        return Err(DomainError::bad_input(format!(
            "moving a paper from {from} to {to} needs a note saying why"
        )));
    }
    if !option.unmet.is_empty() {
        return Err(DomainError::InvalidTransition(format!(
            "the paper cannot move from {from} to {to} yet: {}",
            option.unmet.join("; ")
        )));
    }
    Ok(effects_of(from, to))
}

fn effects_of(from: Stage, to: Stage) -> MoveEffects {
    MoveEffects {
        cancel_pending_tasks: matches!(to, Draft | Archived),
        cancel_requested_reviews: from == Review,
        start_review_round: to == Review && from != Scheduled,
        mark_published: to == Published,
        set_schedule: to == Scheduled,
        clear_schedule: from == Scheduled,
    }
}

/// The release of a SCHEDULED paper at its `publishAt`: the SCHEDULED →
/// PUBLISHED row, its guards checked again (the clock, not a person, makes
/// the move). `Err` holds the unmet guards, in words: the paper then stays
/// SCHEDULED and editors are shown why.
pub fn check_release(facts: &PaperFacts) -> Result<MoveEffects, Vec<String>> {
    let rule = match (facts.stage, rule_for(Scheduled, Published)) {
        (Scheduled, Some(rule)) => rule,
        (stage, _) => return Err(vec![format!("the paper is {stage}, not SCHEDULED")]),
    };
    let unmet = unmet(rule, facts);
    match unmet.is_empty() {
        true => Ok(effects_of(Scheduled, Published)),
        false => Err(unmet),
    }
}

/// Who may edit a paper's content: its owning author while it is a DRAFT,
/// editors in any stage before publication.
pub fn check_edit(standing: Standing, stage: Stage) -> Result<(), DomainError> {
    if standing.is_editor && stage.is_editable() {
        return Ok(());
    }
    if standing.is_owning_author && stage == Draft {
        return Ok(());
    }
    Err(DomainError::forbidden(
        match (standing.is_editor, standing.is_owning_author) {
            (true, _) => format!("a {stage} paper can no longer be edited"),
            (false, true) => {
                format!("authors edit their papers while they are DRAFT; this one is {stage}")
            }
            (false, false) => "only the paper's author or an editor may edit it".to_owned(),
        },
    ))
}

#[cfg(test)]
#[path = "workflow_tests.rs"]
mod tests;
