//! Who may see what. The policy turns a viewer into a [`PaperScope`] (which
//! papers exist for them at all; the store makes it a query condition, so an
//! invisible paper is never loaded) and, per paper, into a [`PaperAccess`]
//! (which parts of it they see). Every entry point — `paper`, lists,
//! `series.papers`, nested fields, subscriptions — goes through these two.
//!
//! A SCHEDULED paper is under embargo: only editors and its owning authors
//! know it exists; a translator or reviewer who worked on it sees it again
//! once it is published ([`Stage::is_embargoed`]).

use super::event::PaperEventKind;
use super::{Role, Stage, TaskStatus, Viewer};

/// E-mail addresses, roles and account state are visible to the account's
/// owner, editors and admins only.
pub fn may_see_account_details(viewer: &Viewer, user_id: i64) -> bool {
    viewer.user_id() == Some(user_id) || viewer.has(Role::Editor) || viewer.has(Role::Admin)
}

/// Which papers a viewer may know exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaperScope {
    /// Editors: every paper.
    All,
    /// Everyone else: published papers, plus those the user is related to in
    /// the ways their roles allow (as translator or reviewer, only while
    /// the paper is not under embargo).
    Related {
        user_id: Option<i64>,
        /// Papers the user created or is a linked contributor of.
        as_author: bool,
        /// Papers in TRANSLATION with an open task, or with a task the user
        /// holds or held.
        as_translator: bool,
        /// Papers with a review requested of the user.
        as_reviewer: bool,
    },
}

impl PaperScope {
    pub fn for_viewer(viewer: &Viewer) -> PaperScope {
        if viewer.has(Role::Editor) {
            return PaperScope::All;
        }
        PaperScope::Related {
            user_id: viewer.user_id(),
            as_author: viewer.has(Role::Author),
            as_translator: viewer.has(Role::Translator),
            as_reviewer: viewer.has(Role::Reviewer),
        }
    }
}

/// How a user is related to one paper, as loaded from the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PaperRelation {
    pub created_it: bool,
    pub is_linked_contributor: bool,
    /// Holds a claim on one of its tasks now, or held one before.
    pub holds_or_held_task: bool,
    /// It is in TRANSLATION and has an open task.
    pub has_open_task: bool,
    pub review_requested: bool,
}

/// Which reviews of a paper the viewer sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewAccess {
    None,
    /// Only the viewer's own review.
    Own,
    /// Every review, without the reviewer's identity (authors).
    Blind,
    /// Every review with its reviewer (editors).
    Full,
}

/// Which tasks of a paper the viewer sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskAccess {
    None,
    /// Open tasks and those the viewer holds or held (translators).
    Workable,
    /// Every task's status, language and dates, but not the translator or
    /// the submitted text (authors).
    Statuses,
    Full,
}

/// Which texts of a paper the viewer sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextAccess {
    /// Only the source texts of the tasks the viewer may work on.
    Sources,
    /// The original and every accepted translation.
    All,
}

impl TextAccess {
    /// Whether some paper's texts may be [`TextAccess::Sources`] for this
    /// viewer, so that reading them needs the paper's tasks: for everyone
    /// but editors, who see every text ([`PaperAccess::for_viewer`]).
    pub fn may_follow_tasks(viewer: &Viewer) -> bool {
        !viewer.has(Role::Editor)
    }
}

/// What one viewer sees of one paper they may see at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaperAccess {
    pub texts: TextAccess,
    pub tasks: TaskAccess,
    pub reviews: ReviewAccess,
    pub history: bool,
    /// May see what only editors see: who moved the paper, who holds
    /// tasks, its key in the publisher's catalogue.
    pub is_editor: bool,
    /// Created it as an author or is linked to it: may submit and withdraw it.
    pub is_owning_author: bool,
}

impl PaperAccess {
    /// Whether the texts and tasks this viewer sees are all the paper has
    /// (some of their fields may still be hidden), so that what the paper
    /// may move to can be judged from them.
    pub fn sees_every_text_and_task(&self) -> bool {
        self.texts == TextAccess::All
            && matches!(self.tasks, TaskAccess::Statuses | TaskAccess::Full)
    }

    /// The parts of a visible paper this viewer sees, from the roles table:
    /// the union of what each of the viewer's relations to it grants.
    pub fn for_viewer(viewer: &Viewer, stage: Stage, relation: PaperRelation) -> PaperAccess {
        if viewer.has(Role::Editor) {
            return PaperAccess {
                texts: TextAccess::All,
                tasks: TaskAccess::Full,
                reviews: ReviewAccess::Full,
                history: true,
                is_editor: true,
                is_owning_author: is_owning_author(viewer, relation),
            };
        }
        let author = is_owning_author(viewer, relation);
        let translator = viewer.has(Role::Translator)
            && !stage.is_embargoed()
            && (relation.holds_or_held_task
                || (relation.has_open_task && stage == Stage::Translation));
        let reviewer =
            viewer.has(Role::Reviewer) && !stage.is_embargoed() && relation.review_requested;
        let public_or_wider = stage == Stage::Published || author || reviewer;
        PaperAccess {
            texts: if public_or_wider {
                TextAccess::All
            } else {
                TextAccess::Sources
            },
            tasks: if author {
                TaskAccess::Statuses
            } else if translator {
                TaskAccess::Workable
            } else {
                TaskAccess::None
            },
            reviews: if author {
                ReviewAccess::Blind
            } else if reviewer {
                ReviewAccess::Own
            } else {
                ReviewAccess::None
            },
            history: author,
            is_editor: false,
            is_owning_author: author,
        }
    }
}

/// The owning author: an AUTHOR who created the paper or is linked to it.
fn is_owning_author(viewer: &Viewer, relation: PaperRelation) -> bool {
    viewer.has(Role::Author) && (relation.created_it || relation.is_linked_contributor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Actor;

    fn as_user(id: i64, roles: &[Role]) -> Viewer {
        Viewer::User(Actor {
            id,
            roles: roles.iter().copied().collect(),
        })
    }

    #[test]
    fn account_details_are_for_the_owner_editors_and_admins() {
        let cases = [
            (Viewer::Anonymous, false),
            (as_user(1, &[Role::Author]), true),
            (as_user(2, &[Role::Author]), false),
            (as_user(2, &[Role::Translator, Role::Reviewer]), false),
            (as_user(2, &[Role::Editor]), true),
            (as_user(2, &[Role::Admin]), true),
        ];
        for (viewer, expected) in cases {
            assert_eq!(may_see_account_details(&viewer, 1), expected, "{viewer:?}");
        }
    }

    #[test]
    fn editors_see_every_paper_and_others_a_related_scope() {
        assert_eq!(
            PaperScope::for_viewer(&as_user(1, &[Role::Editor])),
            PaperScope::All
        );
        assert_eq!(
            PaperScope::for_viewer(&Viewer::Anonymous),
            PaperScope::Related {
                user_id: None,
                as_author: false,
                as_translator: false,
                as_reviewer: false
            }
        );
        assert_eq!(
            PaperScope::for_viewer(&as_user(3, &[Role::Translator, Role::Admin])),
            PaperScope::Related {
                user_id: Some(3),
                as_author: false,
                as_translator: true,
                as_reviewer: false
            }
        );
    }

    /// `Paper.availableTransitions` judges the workflow from the texts and
    /// tasks the viewer sees: whoever may move a paper must see them all.
    #[test]
    fn whoever_may_move_a_paper_sees_every_text_and_task() {
        // Every set of roles, every stage, every relation (one bit each).
        let subset = |bits: u32, at: usize| bits & (1 << at) != 0;
        for roles in 0..(1u32 << Role::ALL.len()) {
            let roles: Vec<Role> = (0..Role::ALL.len())
                .filter(|at| subset(roles, *at))
                .map(|at| Role::ALL[at])
                .collect();
            let viewer = as_user(1, &roles);
            for (stage, relation) in Stage::ALL.into_iter().flat_map(|stage| {
                (0..1u32 << 5).map(move |bits| {
                    let relation = PaperRelation {
                        created_it: subset(bits, 0),
                        is_linked_contributor: subset(bits, 1),
                        holds_or_held_task: subset(bits, 2),
                        has_open_task: subset(bits, 3),
                        review_requested: subset(bits, 4),
                    };
                    (stage, relation)
                })
            }) {
                let access = PaperAccess::for_viewer(&viewer, stage, relation);
                if access.is_editor || access.is_owning_author {
                    assert!(
                        access.sees_every_text_and_task(),
                        "{roles:?} {stage:?} {relation:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn each_relation_grants_what_the_roles_table_says() {
        let author = as_user(1, &[Role::Author]);
        let translator = as_user(2, &[Role::Translator]);
        let reviewer = as_user(3, &[Role::Reviewer]);
        let created = PaperRelation {
            created_it: true,
            ..Default::default()
        };
        let held = PaperRelation {
            holds_or_held_task: true,
            ..Default::default()
        };
        let asked = PaperRelation {
            review_requested: true,
            ..Default::default()
        };

        let access = PaperAccess::for_viewer(&author, Stage::Review, created);
        assert_eq!(
            (access.texts, access.tasks, access.reviews, access.history),
            (
                TextAccess::All,
                TaskAccess::Statuses,
                ReviewAccess::Blind,
                true
            )
        );
        assert!(access.is_owning_author);

        let access = PaperAccess::for_viewer(&translator, Stage::Translation, held);
        assert_eq!(
            (access.texts, access.tasks, access.reviews, access.history),
            (
                TextAccess::Sources,
                TaskAccess::Workable,
                ReviewAccess::None,
                false
            )
        );

        let access = PaperAccess::for_viewer(&reviewer, Stage::Review, asked);
        assert_eq!(
            (access.texts, access.tasks, access.reviews, access.history),
            (TextAccess::All, TaskAccess::None, ReviewAccess::Own, false)
        );

        let access = PaperAccess::for_viewer(
            &Viewer::Anonymous,
            Stage::Published,
            PaperRelation::default(),
        );
        assert_eq!(
            (access.texts, access.tasks, access.reviews, access.history),
            (TextAccess::All, TaskAccess::None, ReviewAccess::None, false)
        );

        // A role without the relation grants nothing; a relation without the role neither.
        let access = PaperAccess::for_viewer(&author, Stage::Published, PaperRelation::default());
        assert!(!access.is_owning_author && !access.history);
        let access = PaperAccess::for_viewer(&reviewer, Stage::Review, created);
        assert_eq!(access.reviews, ReviewAccess::None);
    }

    #[test]
    fn a_scheduled_paper_is_seen_through_no_work_on_it() {
        let worked_on = PaperRelation {
            holds_or_held_task: true,
            has_open_task: true,
            review_requested: true,
            ..Default::default()
        };
        let worker = as_user(4, &[Role::Translator, Role::Reviewer]);
        let scheduled = PaperAccess::for_viewer(&worker, Stage::Scheduled, worked_on);
        assert_eq!(
            (scheduled.texts, scheduled.tasks, scheduled.reviews),
            (TextAccess::Sources, TaskAccess::None, ReviewAccess::None)
        );
        let published = PaperAccess::for_viewer(&worker, Stage::Published, worked_on);
        assert_eq!(
            (published.tasks, published.reviews),
            (TaskAccess::Workable, ReviewAccess::Own)
        );
        let author = as_user(1, &[Role::Author]);
        let created = PaperRelation {
            created_it: true,
            ..Default::default()
        };
        let access = PaperAccess::for_viewer(&author, Stage::Scheduled, created);
        assert!(access.is_owning_author && access.history);
    }

    #[test]
    fn a_paper_event_reaches_those_who_may_see_what_it_reports() {
        let created = PaperRelation {
            created_it: true,
            ..Default::default()
        };
        let author = PaperAccess::for_viewer(&as_user(1, &[Role::Author]), Stage::Review, created);
        let public = PaperAccess::for_viewer(
            &Viewer::Anonymous,
            Stage::Published,
            PaperRelation::default(),
        );
        use PaperEventKind::*;
        let cases = [
            (author, Moved, Stage::Published, Stage::Review, true),
            (public, Released, Stage::Published, Stage::Published, true),
            // The move to REVIEW was delivered after the paper was already
            // published: the public sees the paper, not its earlier moves.
            (public, Moved, Stage::Published, Stage::Review, false),
            // A correction is printed with the paper; other edits are in
            // the history only its readers see.
            (public, Corrected, Stage::Published, Stage::Published, true),
            (
                public,
                PublicationChanged,
                Stage::Published,
                Stage::Published,
                false,
            ),
            (author, Updated, Stage::Review, Stage::Review, true),
            // Authors read their reviews (blind); the public none.
            (author, ReviewAnswered, Stage::Review, Stage::Review, true),
            (
                public,
                ReviewAnswered,
                Stage::Published,
                Stage::Published,
                false,
            ),
        ];
        for (access, kind, now, to, expected) in cases {
            assert_eq!(
                may_see_paper_event(&access, now, kind, to),
                expected,
                "{kind} {now} / {to}"
            );
        }
        assert!(may_see_task_change(
            true,
            TaskStatus::Claimed,
            TaskStatus::Open
        ));
        assert!(may_see_task_change(
            false,
            TaskStatus::Open,
            TaskStatus::Open
        ));
        assert!(!may_see_task_change(
            false,
            TaskStatus::Claimed,
            TaskStatus::Open
        ));
    }
}

/// Which translation tasks a viewer may list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskScope {
    /// Editors: every task.
    All,
    Related {
        user_id: i64,
        /// Open tasks of papers in TRANSLATION, and tasks the user holds or held.
        as_translator: bool,
        /// Tasks of papers the user created or is linked to.
        as_author: bool,
    },
    /// Anonymous users and reviewers see no tasks.
    Nothing,
}

impl TaskScope {
    pub fn for_viewer(viewer: &Viewer) -> TaskScope {
        if viewer.has(Role::Editor) {
            return TaskScope::All;
        }
        match viewer.user_id() {
            Some(user_id) if viewer.has(Role::Translator) || viewer.has(Role::Author) => {
                TaskScope::Related {
                    user_id,
                    as_translator: viewer.has(Role::Translator),
                    as_author: viewer.has(Role::Author),
                }
            }
            _ => TaskScope::Nothing,
        }
    }
}

/// Whether the viewer sees who holds a task and what they submitted: editors,
/// and the translator who holds or held it.
pub fn may_see_task_details(viewer: &Viewer, claimant_now_or_before: bool) -> bool {
    viewer.has(Role::Editor) || (viewer.has(Role::Translator) && claimant_now_or_before)
}

/// Whether a subscriber who sees a paper now also learns of one of its
/// events. Stage changes: those who read its history learn every one, others
/// only the move to the stage it is in now, which its `stage` shows them
/// anyway. A correction is printed with the paper, so whoever sees the paper
/// learns of it; review requests and answers reach those who see its
/// reviews; other edits, those who read its history.
pub fn may_see_paper_event(
    access: &PaperAccess,
    stage_now: Stage,
    kind: PaperEventKind,
    to: Stage,
) -> bool {
    match kind {
        _ if kind.is_stage_change() => access.history || stage_now == to,
        PaperEventKind::Corrected => true,
        PaperEventKind::ReviewRequested | PaperEventKind::ReviewAnswered => {
            access.reviews != ReviewAccess::None
        }
        _ => access.history,
    }
}

/// The same for a task they see: those who read its log learn every change,
/// others only the change to the status it has now.
pub fn may_see_task_change(
    details_visible: bool,
    status_now: TaskStatus,
    changed_to: TaskStatus,
) -> bool {
    details_visible || status_now == changed_to
}
