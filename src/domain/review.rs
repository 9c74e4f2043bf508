//! Reviews: one reviewer's recommendation on a paper in one review round.
//! Blind: authors see recommendations and comments, never who wrote them.

use std::fmt;
use std::str::FromStr;

use super::task::text_enum;
use super::{DomainError, Stage};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReviewStatus {
    Requested,
    Submitted,
    Declined,
    /// The paper left REVIEW before the reviewer answered.
    Cancelled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Recommendation {
    Accept,
    Revise,
    Reject,
}

text_enum!(ReviewStatus {
    Requested => "REQUESTED",
    Submitted => "SUBMITTED",
    Declined => "DECLINED",
    Cancelled => "CANCELLED",
});
text_enum!(Recommendation { Accept => "ACCEPT", Revise => "REVISE", Reject => "REJECT" });

/// An editor asks a reviewer while the paper is in REVIEW.
pub fn check_review_request(
    is_editor: bool,
    paper_stage: Stage,
    reviewer_is_reviewer: bool,
) -> Result<(), DomainError> {
    if !is_editor {
        return Err(DomainError::forbidden("only an editor may request reviews"));
    }
    if paper_stage != Stage::Review {
        return Err(DomainError::InvalidTransition(format!(
            "reviews can be requested while the paper is in REVIEW; it is in {paper_stage}"
        )));
    }
    if !reviewer_is_reviewer {
        return Err(DomainError::bad_input(
            "that user does not hold the REVIEWER role",
        ));
    }
    Ok(())
}

/// The reviewer answers a request: submits (with comments) or declines.
pub fn check_review_answer(is_the_reviewer: bool, status: ReviewStatus) -> Result<(), DomainError> {
    if !is_the_reviewer {
        return Err(DomainError::forbidden(
            "only the reviewer asked may answer this review",
        ));
    }
    if status != ReviewStatus::Requested {
        return Err(DomainError::InvalidTransition(format!(
            "this review is {} and can no longer be answered",
            status.as_str().to_lowercase()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_editors_request_reviews_of_papers_in_review_from_reviewers() {
        assert_eq!(check_review_request(true, Stage::Review, true), Ok(()));
        assert!(matches!(
            check_review_request(false, Stage::Review, true),
            Err(DomainError::Forbidden(_))
        ));
        for stage in Stage::ALL.into_iter().filter(|s| *s != Stage::Review) {
            assert!(
                matches!(
                    check_review_request(true, stage, true),
                    Err(DomainError::InvalidTransition(_))
                ),
                "{stage}"
            );
        }
        assert!(matches!(
            check_review_request(true, Stage::Review, false),
            Err(DomainError::BadInput(_))
        ));
    }

    #[test]
    fn only_the_reviewer_answers_and_only_once() {
        assert_eq!(check_review_answer(true, ReviewStatus::Requested), Ok(()));
        assert!(matches!(
            check_review_answer(false, ReviewStatus::Requested),
            Err(DomainError::Forbidden(_))
        ));
        for status in [
            ReviewStatus::Submitted,
            ReviewStatus::Declined,
            ReviewStatus::Cancelled,
        ] {
            assert!(
                matches!(
                    check_review_answer(true, status),
                    Err(DomainError::InvalidTransition(_))
                ),
                "{status}"
            );
        }
    }

    #[test]
    fn stored_names_round_trip() {
        for status in ReviewStatus::ALL {
            assert_eq!(status.as_str().parse::<ReviewStatus>(), Ok(*status));
        }
        for recommendation in Recommendation::ALL {
            assert_eq!(
                recommendation.as_str().parse::<Recommendation>(),
                Ok(*recommendation)
            );
        }
    }
}
