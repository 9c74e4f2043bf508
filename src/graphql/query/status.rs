use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};

use crate::graphql::types::PublicationStatus;
use crate::graphql::{ApiResult, parse_id, viewer};
use crate::service::status::{self, StatusFilter};

#[derive(Default)]
pub struct StatusQuery;

/// Narrows publication status.
#[derive(InputObject, Default)]
pub struct PublicationStatusFilter {
    pub series_id: Option<ID>,
    /// Start of the window for publications and cycle times (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// End of the window (exclusive).
    pub to: Option<DateTime<Utc>>,
}

#[Object]
impl StatusQuery {
    /// Where the publication stands: papers per stage (overall and per
    /// series), tasks per status and language, overdue work, publications
    /// per month and cycle times from the stage history. Editors only.
    async fn publication_status(
        &self,
        ctx: &Context<'_>,
        filter: Option<PublicationStatusFilter>,
    ) -> ApiResult<PublicationStatus> {
        let filter = filter.unwrap_or_default();
        let filter = StatusFilter {
            series_id: filter
                .series_id
                .map(|id| parse_id(&id, "series"))
                .transpose()?,
            from: filter.from,
            to: filter.to,
        };
        Ok(PublicationStatus::new(status::for_editor(
            &viewer(ctx),
            filter,
        )?))
    }
}
