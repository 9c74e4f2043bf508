//! Publishing on a date of the publisher's choosing.
//!
//! - A move to PUBLISHED (or SCHEDULED) with `publishAt` in the future
//!   makes the paper SCHEDULED: a stage of the one table
//!   ([`crate::domain::workflow`]), seen only by editors and the paper's
//!   owning authors ([`crate::domain::policy`]).
//! - At `publishAt` the clock releases it: the SCHEDULED → PUBLISHED row,
//!   its guards checked again ([`crate::domain::workflow::check_release`]).
//!   Its `publishedAt` is then the `publishAt` the editor chose, however
//!   late the release ran (a server down at that moment releases it when
//!   it starts).
//! - An editor reschedules it (another future `publishAt`) or cancels it
//!   back to REVIEW, each with a note.
//!
//! And correcting what was published without unpublishing it:
//!
//! - An editor corrects one text of a PUBLISHED paper (title, abstract,
//!   key findings, body) with a public note saying what changed and why
//!   ([`check_correction`]). Translations made from an earlier original go
//!   stale, as with any change of the original.
//! - Every version readers were shown stays readable: a [`RevisionKind`]
//!   revision is recorded when the paper is published and at each
//!   correction, with its texts, time, editor and note.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use super::task::text_enum;
use super::{DomainError, Stage, TextField};

/// Why a revision of a paper was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RevisionKind {
    /// The texts as the paper was published.
    Published,
    /// The texts after a correction.
    Corrected,
}

text_enum!(RevisionKind {
    Published => "PUBLISHED",
    Corrected => "CORRECTED",
});

/// A correction: by an editor, of a PUBLISHED paper, with a note that says
/// what changed and why (readers see it).
pub fn check_correction(
    is_editor: bool,
    stage: Stage,
    note: Option<&str>,
) -> Result<(), DomainError> {
    if !is_editor {
        return Err(DomainError::forbidden(
            "only editors correct a published paper",
        ));
    }
    if stage != Stage::Published {
        return Err(DomainError::InvalidTransition(format!(
            "the paper is {stage}: only a PUBLISHED paper is corrected (before publication, edit it with updatePaper)"
        )));
    }
    if note.is_none_or(|note| note.trim().is_empty()) {
        return Err(TextField::NOTE.error("is required: say what the correction changes and why"));
    }
    Ok(())
}

/// The field a scheduled publication's time is given in.
pub const PUBLISH_AT: &str = "publishAt";

/// A time to publish at: after now.
pub fn check_publish_at(at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), DomainError> {
    if at <= now {
        return Err(DomainError::invalid(
            PUBLISH_AT,
            format_args!(
                "{} is not in the future (now is {}); to publish now, leave publishAt out",
                at.to_rfc3339(),
                now.to_rfc3339()
            ),
        ));
    }
    Ok(())
}

/// The stage a move asked for goes to: SCHEDULED when it asks to publish
/// at a future time. `publishAt` goes only with PUBLISHED or SCHEDULED,
/// and SCHEDULED needs it.
pub fn stage_of_move(
    to: Stage,
    publish_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<Stage, DomainError> {
    match (to, publish_at) {
        (Stage::Published | Stage::Scheduled, Some(at)) => {
            check_publish_at(at, now)?;
            Ok(Stage::Scheduled)
        }
        (Stage::Scheduled, None) => Err(DomainError::invalid(
            PUBLISH_AT,
            "is required to schedule a publication",
        )),
        (_, Some(_)) => Err(DomainError::bad_input(
            "publishAt goes only with a move to PUBLISHED",
        )),
        (to, None) => Ok(to),
    }
}

/// Rescheduling: by an editor, of a SCHEDULED paper, to a future time,
/// with a note saying why (it goes into the history).
pub fn check_reschedule(
    is_editor: bool,
    stage: Stage,
    publish_at: DateTime<Utc>,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    if !is_editor {
        return Err(DomainError::forbidden(
            "only editors reschedule a publication",
        ));
    }
    if stage != Stage::Scheduled {
        return Err(DomainError::InvalidTransition(format!(
            "the paper is {stage}: only a SCHEDULED paper is rescheduled"
        )));
    }
    if note.is_none_or(|note| note.trim().is_empty()) {
        return Err(TextField::NOTE.error("is required: say why the publication moves"));
    }
    check_publish_at(publish_at, now)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::{Duration, TimeZone};

    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 5, 9, 0, 0).unwrap()
    }

    #[test]
    fn a_future_publish_at_schedules_and_anything_else_is_refused() {
        let later = Some(now() + Duration::hours(1));
        type Case = (Stage, Option<DateTime<Utc>>, Result<Stage, &'static str>);
        let cases: [Case; 7] = [
            (Stage::Published, None, Ok(Stage::Published)),
            (Stage::Published, later, Ok(Stage::Scheduled)),
            (Stage::Scheduled, later, Ok(Stage::Scheduled)),
            (Stage::Scheduled, None, Err("publishAt: is required")),
            (Stage::Published, Some(now()), Err("publishAt:")),
            (
                Stage::Published,
                Some(now() - Duration::days(1)),
                Err("not in the future"),
            ),
            (Stage::Archived, later, Err("only with a move to PUBLISHED")),
        ];
        for (to, at, expected) in cases {
            let got = stage_of_move(to, at, now());
            match expected {
                Ok(stage) => assert_eq!(got.ok(), Some(stage), "{to} {at:?}"),
                Err(words) => {
                    let message = got.err().map(|err| err.to_string()).unwrap_or_default();
                    assert!(message.contains(words), "{to} {at:?}: {message}");
                }
            }
        }
        assert_eq!(
            stage_of_move(Stage::Review, None, now()).ok(),
            Some(Stage::Review)
        );
    }

    #[test]
    fn editors_correct_published_papers_with_a_note() {
        assert!(check_correction(true, Stage::Published, Some("A date was wrong.")).is_ok());
        assert!(matches!(
            check_correction(false, Stage::Published, Some("x")),
            Err(DomainError::Forbidden(_))
        ));
        for stage in Stage::ALL.into_iter().filter(|s| *s != Stage::Published) {
            assert!(
                matches!(
                    check_correction(true, stage, Some("x")),
                    Err(DomainError::InvalidTransition(_))
                ),
                "{stage}"
            );
        }
        assert!(matches!(
            check_correction(true, Stage::Published, Some(" ")),
            Err(DomainError::InvalidField { .. })
        ));
    }

    #[test]
    fn editors_reschedule_scheduled_papers_to_a_future_time_with_a_note() {
        let later = now() + Duration::hours(2);
        let ok = check_reschedule(
            true,
            Stage::Scheduled,
            later,
            Some("Moved to Monday."),
            now(),
        );
        assert!(ok.is_ok());
        let refused = [
            check_reschedule(false, Stage::Scheduled, later, Some("x"), now()),
            check_reschedule(true, Stage::Review, later, Some("x"), now()),
            check_reschedule(true, Stage::Scheduled, later, None, now()),
            check_reschedule(true, Stage::Scheduled, later, Some("  "), now()),
            check_reschedule(true, Stage::Scheduled, now(), Some("x"), now()),
        ];
        let codes: Vec<&str> = refused
            .iter()
            .map(|result| match result {
                Err(DomainError::Forbidden(_)) => "forbidden",
                Err(DomainError::InvalidTransition(_)) => "transition",
                Err(DomainError::InvalidField { .. }) => "field",
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            codes,
            ["forbidden", "transition", "field", "field", "field"]
        );
    }
}
