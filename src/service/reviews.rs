//! Reviews: an editor asks a reviewer while the paper is in REVIEW; the
//! reviewer recommends (with comments) or declines.

use chrono::{DateTime, Utc};

use super::papers::{self, ReviewView};
use super::{ServiceResult, retrying};
use crate::app::AppState;
use crate::domain::event::PaperEventKind;
use crate::domain::policy::PaperScope;
use crate::domain::review::{check_review_answer, check_review_request};
use crate::domain::{DomainError, Recommendation, ReviewStatus, Role, TextField, Viewer};
use crate::events::Event;
use crate::service::users::roles_of;
use crate::store::papers::PaperKey;
use crate::store::reviews::{self as store_reviews, ReviewRow};
use crate::store::{self, StoreError};

/// An editor requests a review of a paper in REVIEW from a reviewer, for
/// the current round.
pub async fn request(
    state: &AppState,
    viewer: &Viewer,
    paper_id: i64,
    reviewer_id: i64,
    due_at: Option<DateTime<Utc>>,
) -> ServiceResult<ReviewView> {
    retrying(|| request_once(state, viewer, paper_id, reviewer_id, due_at)).await
}

async fn request_once(
    state: &AppState,
    viewer: &Viewer,
    paper_id: i64,
    reviewer_id: i64,
    due_at: Option<DateTime<Utc>>,
) -> ServiceResult<ReviewView> {
    let actor = viewer.require_user()?;
    let now = state.clock.now();
    let tx = store::begin_write(&state.db).await?;
    let paper = store::papers::find_visible_for_update(
        &tx,
        PaperScope::for_viewer(viewer),
        &PaperKey::Id(paper_id),
    )
    .await?
    .ok_or(DomainError::NotFound("paper"))?;
    let stage = papers::stage_of(&paper)?;
    let reviewer = store::users::find(&tx, reviewer_id).await?;
    let reviewer_ok = match &reviewer {
        Some(user) => !user.disabled && roles_of(user)?.contains(Role::Reviewer),
        None => false,
    };
    check_review_request(viewer.has(Role::Editor), stage, reviewer_ok)?;
    let row = store_reviews::insert(
        &tx,
        paper_id,
        paper.review_round,
        reviewer_id,
        actor.id,
        due_at,
        now,
    )
    .await
    .map_err(|err| match err {
        StoreError::UniqueViolation(_) => {
            DomainError::bad_input("this reviewer was already asked in this round").into()
        }
        other => super::ServiceError::from(other),
    })?;
    let what = PaperEventKind::ReviewRequested;
    let requested = Event::paper_changed(&paper, what, stage, Some(actor.id), now);
    state.events.commit(tx, vec![requested]).await?;
    Ok(ReviewView {
        row,
        reviewer_visible: true,
    })
}

/// The review, if the viewer is its reviewer or an editor.
async fn load_own(state: &AppState, viewer: &Viewer, review_id: i64) -> ServiceResult<ReviewRow> {
    let actor = viewer.require_user()?;
    let row = store_reviews::find(&state.db, review_id)
        .await?
        .filter(|row| row.reviewer_id == actor.id || viewer.has(Role::Editor))
        .ok_or(DomainError::NotFound("review"))?;
    Ok(row)
}

async fn answer(
    state: &AppState,
    viewer: &Viewer,
    review_id: i64,
    status: ReviewStatus,
    recommendation: Option<Recommendation>,
    comments: Option<String>,
) -> ServiceResult<ReviewView> {
    let row = load_own(state, viewer, review_id).await?;
    let status_now: ReviewStatus = row.status.parse()?;
    check_review_answer(viewer.user_id() == Some(row.reviewer_id), status_now)?;
    let now = state.clock.now();
    let tx = store::begin_write(&state.db).await?;
    if !store_reviews::answer(&tx, review_id, status, recommendation, comments, now).await? {
        return Err(
            DomainError::Conflict("the review was answered or cancelled meanwhile".into()).into(),
        );
    }
    let paper = store::papers::find(&tx, row.paper_id)
        .await?
        .ok_or(DomainError::NotFound("paper"))?;
    let stage = papers::stage_of(&paper)?;
    let what = PaperEventKind::ReviewAnswered;
    let answered = Event::paper_changed(&paper, what, stage, Some(row.reviewer_id), now);
    state.events.commit(tx, vec![answered]).await?;
    let row = store_reviews::find(&state.db, review_id)
        .await?
        .ok_or(DomainError::NotFound("review"))?;
    Ok(ReviewView {
        row,
        reviewer_visible: true,
    })
}

/// The reviewer recommends ACCEPT, REVISE or REJECT, with comments.
pub async fn submit(
    state: &AppState,
    viewer: &Viewer,
    review_id: i64,
    recommendation: Recommendation,
    comments: String,
) -> ServiceResult<ReviewView> {
    retrying(|| submit_once(state, viewer, review_id, recommendation, comments.clone())).await
}

async fn submit_once(
    state: &AppState,
    viewer: &Viewer,
    review_id: i64,
    recommendation: Recommendation,
    comments: String,
) -> ServiceResult<ReviewView> {
    let comments = TextField::COMMENTS.required(&comments)?.into();
    answer(
        state,
        viewer,
        review_id,
        ReviewStatus::Submitted,
        Some(recommendation),
        Some(comments),
    )
    .await
}

/// The reviewer declines to review.
pub async fn decline(
    state: &AppState,
    viewer: &Viewer,
    review_id: i64,
    comments: Option<String>,
) -> ServiceResult<ReviewView> {
    retrying(|| decline_once(state, viewer, review_id, comments.clone())).await
}

async fn decline_once(
    state: &AppState,
    viewer: &Viewer,
    review_id: i64,
    comments: Option<String>,
) -> ServiceResult<ReviewView> {
    let comments = TextField::COMMENTS
        .optional(comments.as_deref())?
        .map(String::from);
    answer(
        state,
        viewer,
        review_id,
        ReviewStatus::Declined,
        None,
        comments,
    )
    .await
}
