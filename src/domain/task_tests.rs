use super::*;

const TRANSLATOR: TaskStanding = TaskStanding {
    is_editor: false,
    is_translator: true,
    is_claimant: false,
};
const CLAIMANT: TaskStanding = TaskStanding {
    is_editor: false,
    is_translator: true,
    is_claimant: true,
};
const EDITOR: TaskStanding = TaskStanding {
    is_editor: true,
    is_translator: false,
    is_claimant: false,
};
const NOBODY: TaskStanding = TaskStanding {
    is_editor: false,
    is_translator: false,
    is_claimant: false,
};

/// The design's task table restated: (action, from, to, who may).
#[rustfmt::skip]
const EXPECTED: &[(TaskAction, TaskStatus, TaskStatus, &[&str])] = &[
    (Claim, Open, Claimed, &["translator", "claimant"]),
    (Release, Claimed, Open, &["claimant", "editor"]),
    (Submit, Claimed, Submitted, &["claimant"]),
    (Accept, Submitted, Accepted, &["editor"]),
    (Reject, Submitted, Claimed, &["editor"]),
    (Cancel, Open, Cancelled, &["editor"]),
    (Cancel, Claimed, Cancelled, &["editor"]),
    (Cancel, Submitted, Cancelled, &["editor"]),
];

#[test]
fn every_action_from_every_status_by_everyone_is_allowed_or_refused_with_the_exact_error() {
    let actions = [Claim, Release, Submit, Accept, Reject, Cancel];
    let people = [
        ("translator", TRANSLATOR),
        ("claimant", CLAIMANT),
        ("editor", EDITOR),
        ("nobody", NOBODY),
    ];
    for action in actions {
        for status in TaskStatus::ALL.iter().copied() {
            for (who, standing) in people {
                let result =
                    check_task_action(action, standing, status, Stage::Translation, Some("note"));
                let case = format!("{action:?} from {status} by {who}");
                let row = EXPECTED
                    .iter()
                    .find(|row| row.0 == action && row.1 == status);
                let may = EXPECTED
                    .iter()
                    .any(|row| row.0 == action && row.3.contains(&who));
                match (row, may) {
                    (_, false) => assert!(
                        matches!(result, Err(DomainError::Forbidden(_))),
                        "{case}: {result:?}"
                    ),
                    (Some(row), true) => assert_eq!(result, Ok(row.2), "{case}"),
                    (None, true) if action == Claim && matches!(status, Claimed | Submitted) => {
                        assert!(
                            matches!(result, Err(DomainError::AlreadyClaimed(_))),
                            "{case}: {result:?}"
                        );
                    }
                    (None, true) => {
                        assert!(
                            matches!(result, Err(DomainError::InvalidTransition(_))),
                            "{case}: {result:?}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn claims_need_the_paper_in_translation() {
    for stage in Stage::ALL {
        let result = check_task_action(Claim, TRANSLATOR, Open, stage, None);
        assert_eq!(result.is_ok(), stage == Stage::Translation, "{stage}");
    }
}

#[test]
fn rejecting_needs_a_note() {
    assert!(matches!(
        check_task_action(Reject, EDITOR, Submitted, Stage::Translation, None),
        Err(DomainError::BadInput(_))
    ));
    assert!(matches!(
        check_task_action(Reject, EDITOR, Submitted, Stage::Translation, Some(" ")),
        Err(DomainError::BadInput(_))
    ));
}

#[test]
fn new_tasks_need_an_editor_a_paper_in_progress_and_another_language() {
    let ru = Language::parse("ru").unwrap_or_else(|_| unreachable!());
    let en = Language::parse("en").unwrap_or_else(|_| unreachable!());
    for stage in Stage::ALL {
        let result = check_new_task(true, stage, &ru, &en);
        let allowed = matches!(stage, Stage::Submitted | Stage::Translation | Stage::Review);
        assert_eq!(result.is_ok(), allowed, "{stage}");
    }
    assert!(matches!(
        check_new_task(false, Stage::Submitted, &ru, &en),
        Err(DomainError::Forbidden(_))
    ));
    assert!(matches!(
        check_new_task(true, Stage::Submitted, &ru, &ru),
        Err(DomainError::BadInput(_))
    ));
}

#[test]
fn a_translator_holds_a_bounded_number_of_claims() {
    assert!(check_claim_limit(2, 3).is_ok());
    assert!(check_claim_limit(3, 3).is_err());
}

#[test]
fn stored_names_round_trip() {
    for status in TaskStatus::ALL {
        assert_eq!(status.as_str().parse::<TaskStatus>(), Ok(*status));
    }
    for kind in TaskKind::ALL {
        assert_eq!(kind.as_str().parse::<TaskKind>(), Ok(*kind));
    }
    assert!("open".parse::<TaskStatus>().is_err());
}

#[test]
fn only_unfinished_work_past_its_due_date_is_overdue() {
    let now = chrono::Utc::now();
    let yesterday = Some(now - chrono::Duration::days(1));
    let tomorrow = Some(now + chrono::Duration::days(1));
    for status in TaskStatus::ALL.iter().copied() {
        assert_eq!(
            status.is_overdue(yesterday, now),
            status.is_pending(),
            "{status}"
        );
        assert!(!status.is_overdue(tomorrow, now), "{status}");
        assert!(!status.is_overdue(None, now), "{status}");
    }
}
