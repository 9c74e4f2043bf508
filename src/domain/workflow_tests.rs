use super::*;

fn lang(tag: &str) -> Language {
    Language::parse(tag).unwrap_or_else(|_| panic!("{tag}"))
}

fn task(status: TaskStatus) -> TaskFact {
    TaskFact {
        target_language: lang("en"),
        kind: TaskKind::Summary,
        status,
    }
}

/// A paper in `stage` on which every guard holds.
fn ready(stage: Stage) -> PaperFacts {
    PaperFacts {
        stage,
        original_has_title: true,
        original_has_abstract_or_body: true,
        tasks: vec![task(TaskStatus::Accepted)],
        stale_languages: vec![],
        current_round_reviews: vec![ReviewFact {
            status: ReviewStatus::Submitted,
            recommendation: Some(Recommendation::Accept),
        }],
    }
}

const NOBODY: Standing = Standing {
    is_editor: false,
    is_owning_author: false,
};
const AUTHOR: Standing = Standing {
    is_editor: false,
    is_owning_author: true,
};
const EDITOR: Standing = Standing {
    is_editor: true,
    is_owning_author: false,
};

/// The design's table, restated as (from, to, author may, note required).
/// Editors may make every move listed.
#[rustfmt::skip]
const EXPECTED: &[(Stage, Stage, bool, bool)] = &[
    (Draft, Submitted, true, false),
    (Submitted, Draft, false, true),
    (Submitted, Translation, false, false),
    (Submitted, Review, false, false),
    (Translation, Review, false, false),
    (Review, Translation, false, true),
    (Review, Draft, false, true),
    (Review, Published, false, false),
    (Review, Scheduled, false, false),
    (Scheduled, Published, false, false),
    (Scheduled, Review, false, true),
    (Draft, Archived, true, false),
    (Submitted, Archived, true, false),
    (Translation, Archived, false, true),
    (Review, Archived, false, true),
    (Scheduled, Archived, false, true),
    (Published, Archived, false, true),
    (Archived, Draft, false, false),
];

#[test]
fn every_from_to_and_viewer_is_allowed_or_refused_with_the_exact_error() {
    for from in Stage::ALL {
        for to in Stage::ALL {
            let expected = EXPECTED.iter().find(|(f, t, _, _)| *f == from && *t == to);
            let facts = ready(from);
            for (who, standing) in [("nobody", NOBODY), ("author", AUTHOR), ("editor", EDITOR)] {
                let with_note = check_move(standing, &facts, to, Some("because"));
                let without_note = check_move(standing, &facts, to, None);
                let case = format!("{from} → {to} by {who}");
                match expected {
                    None => {
                        assert!(
                            matches!(with_note, Err(DomainError::InvalidTransition(_))),
                            "{case}: {with_note:?}"
                        );
                    }
                    Some((_, _, author_may, note_required)) => {
                        let permitted =
                            standing.is_editor || (*author_may && standing.is_owning_author);
                        if !permitted {
                            assert!(
                                matches!(with_note, Err(DomainError::Forbidden(_))),
                                "{case}: {with_note:?}"
                            );
                            continue;
                        }
                        assert!(with_note.is_ok(), "{case}: {with_note:?}");
                        if *note_required {
                            assert!(
                                matches!(without_note, Err(DomainError::BadInput(_))),
                                "{case} without note: {without_note:?}"
                            );
                            let blank = check_move(standing, &facts, to, Some("   "));
                            assert!(
                                matches!(blank, Err(DomainError::BadInput(_))),
                                "{case} with blank note"
                            );
                        } else {
                            assert!(
                                without_note.is_ok(),
                                "{case} without note: {without_note:?}"
                            );
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn available_transitions_list_exactly_the_table_rows_from_the_stage() {
    for from in Stage::ALL {
        let mut listed: Vec<Stage> = available_transitions(EDITOR, &ready(from))
            .iter()
            .map(|o| o.to)
            .collect();
        let mut expected: Vec<Stage> = EXPECTED
            .iter()
            .filter(|row| row.0 == from)
            .map(|row| row.1)
            .collect();
        listed.sort();
        expected.sort();
        assert_eq!(listed, expected, "from {from}");
        for option in available_transitions(AUTHOR, &ready(from)) {
            let author_may = EXPECTED
                .iter()
                .any(|row| row.0 == from && row.1 == option.to && row.2);
            assert_eq!(option.permitted, author_may, "{from} → {}", option.to);
            assert_eq!(option.allowed(), author_may, "{from} → {}", option.to);
        }
    }
}

#[test]
fn only_editors_and_the_owning_author_see_moves() {
    assert!(!NOBODY.sees_moves());
    assert!(AUTHOR.sees_moves());
    assert!(EDITOR.sees_moves());
    for from in Stage::ALL {
        assert_eq!(available_transitions(NOBODY, &ready(from)), vec![]);
    }
}

fn unmet(facts: &PaperFacts, to: Stage) -> Vec<String> {
    available_transitions(EDITOR, facts)
        .into_iter()
        .find(|option| option.to == to)
        .map(|option| option.unmet)
        .unwrap_or_default()
}

fn refused(facts: &PaperFacts, to: Stage) -> String {
    match check_move(EDITOR, facts, to, Some("note")) {
        Err(DomainError::InvalidTransition(message)) => message,
        other => panic!(
            "{} → {to}: expected INVALID_TRANSITION, got {other:?}",
            facts.stage
        ),
    }
}

#[test]
fn submitting_needs_a_titled_original_with_an_abstract_or_body() {
    let mut facts = ready(Draft);
    facts.original_has_title = false;
    facts.original_has_abstract_or_body = false;
    assert_eq!(unmet(&facts, Submitted).len(), 2);
    assert!(refused(&facts, Submitted).contains("no title"));
    facts.original_has_title = true;
    assert!(refused(&facts, Submitted).contains("neither an abstract nor a body"));
}

#[test]
fn translation_needs_a_task_that_is_not_cancelled() {
    let mut facts = ready(Submitted);
    facts.tasks = vec![task(TaskStatus::Cancelled)];
    assert!(refused(&facts, Translation).contains("no translation task"));
    facts.tasks.push(task(TaskStatus::Open));
    assert!(check_move(EDITOR, &facts, Translation, None).is_ok());
}

#[test]
fn review_straight_from_submitted_needs_nothing_left_to_translate() {
    let mut facts = ready(Submitted);
    facts.tasks = vec![];
    assert!(check_move(EDITOR, &facts, Review, None).is_ok());
    for status in [TaskStatus::Open, TaskStatus::Claimed, TaskStatus::Submitted] {
        facts.tasks = vec![task(status)];
        let message = refused(&facts, Review);
        assert!(
            message.contains("the English summary is still"),
            "{message}"
        );
    }
}

#[test]
fn review_after_translation_needs_every_live_task_accepted_and_nothing_stale() {
    let mut facts = ready(Translation);
    facts.tasks = vec![
        task(TaskStatus::Accepted),
        task(TaskStatus::Cancelled),
        task(TaskStatus::Submitted),
    ];
    assert_eq!(
        unmet(&facts, Review),
        vec!["the English summary is not accepted yet".to_owned()]
    );
    facts.tasks = vec![task(TaskStatus::Cancelled)];
    assert!(refused(&facts, Review).contains("no translation task"));
    facts.tasks = vec![task(TaskStatus::Accepted)];
    facts.stale_languages = vec![lang("en")];
    assert!(refused(&facts, Review).contains("English translation is stale"));
}

#[test]
fn publishing_needs_an_accept_in_this_round_no_open_request_and_nothing_stale() {
    let mut facts = ready(Review);
    facts.current_round_reviews = vec![];
    assert!(refused(&facts, Published).contains("recommends ACCEPT"));
    facts.current_round_reviews = vec![
        ReviewFact {
            status: ReviewStatus::Submitted,
            recommendation: Some(Recommendation::Accept),
        },
        ReviewFact {
            status: ReviewStatus::Requested,
            recommendation: None,
        },
    ];
    assert!(refused(&facts, Published).contains("1 requested review(s) not answered"));
    facts.current_round_reviews = vec![
        ReviewFact {
            status: ReviewStatus::Submitted,
            recommendation: Some(Recommendation::Revise),
        },
        ReviewFact {
            status: ReviewStatus::Declined,
            recommendation: None,
        },
    ];
    assert!(refused(&facts, Published).contains("recommends ACCEPT"));
    facts = ready(Review);
    facts.stale_languages = vec![lang("en")];
    assert!(refused(&facts, Published).contains("stale"));
}

#[test]
fn moves_carry_their_side_effects() {
    let effects = |from: Stage, to: Stage| {
        check_move(EDITOR, &ready(from), to, Some("note")).unwrap_or_default()
    };
    assert_eq!(effects(Draft, Submitted), MoveEffects::default());
    assert_eq!(
        effects(Submitted, Review),
        MoveEffects {
            start_review_round: true,
            ..Default::default()
        }
    );
    assert_eq!(
        effects(Review, Draft),
        MoveEffects {
            cancel_pending_tasks: true,
            cancel_requested_reviews: true,
            ..Default::default()
        }
    );
    assert_eq!(
        effects(Review, Published),
        MoveEffects {
            cancel_requested_reviews: true,
            mark_published: true,
            ..Default::default()
        }
    );
    assert_eq!(
        effects(Translation, Archived),
        MoveEffects {
            cancel_pending_tasks: true,
            ..Default::default()
        }
    );
    assert_eq!(
        effects(Review, Scheduled),
        MoveEffects {
            cancel_requested_reviews: true,
            set_schedule: true,
            ..Default::default()
        }
    );
    // Cancelling a schedule returns to the round it came from.
    assert_eq!(
        effects(Scheduled, Review),
        MoveEffects {
            clear_schedule: true,
            ..Default::default()
        }
    );
    assert_eq!(
        effects(Scheduled, Published),
        MoveEffects {
            mark_published: true,
            clear_schedule: true,
            ..Default::default()
        }
    );
}

#[test]
fn the_release_checks_the_publishing_guards_again() {
    assert_eq!(
        check_release(&ready(Scheduled)),
        Ok(check_move(EDITOR, &ready(Scheduled), Published, None).unwrap_or_default())
    );
    let mut facts = ready(Scheduled);
    facts.stale_languages = vec![lang("en")];
    assert_eq!(
        check_release(&facts),
        Err(vec![
            "the English translation is stale: the original changed after it was made".to_owned()
        ])
    );
    for stage in Stage::ALL.into_iter().filter(|s| *s != Scheduled) {
        assert!(check_release(&ready(stage)).is_err(), "{stage}");
    }
}

#[test]
fn authors_edit_drafts_and_editors_edit_until_publication() {
    for stage in Stage::ALL {
        assert_eq!(
            check_edit(AUTHOR, stage).is_ok(),
            stage == Draft,
            "author, {stage}"
        );
        assert_eq!(
            check_edit(EDITOR, stage).is_ok(),
            !matches!(stage, Published | Archived),
            "editor, {stage}"
        );
        assert!(
            matches!(check_edit(NOBODY, stage), Err(DomainError::Forbidden(_))),
            "nobody, {stage}"
        );
    }
}
