use async_graphql::{Context, Enum, Object};
use chrono::{DateTime, Utc};

use super::User;
use super::paper::{TextKindValue, user_for};
use crate::graphql::ApiResult;
use crate::service::papers::RevisionView;
use crate::store::papers::{RevisionTextRow, key_findings};

/// Why a revision was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(
    name = "RevisionKind",
    remote = "crate::domain::publishing::RevisionKind"
)]
pub enum RevisionKindValue {
    /// The texts as the paper was published.
    Published,
    /// The texts after a correction.
    Corrected,
}

/// One version of a published paper, as readers were shown it: recorded
/// when it was published and at each correction, never changed.
pub struct PaperRevision(pub RevisionView);

#[Object]
impl PaperRevision {
    /// 1 for the first publication, then 2, 3, … in order.
    async fn number(&self) -> i32 {
        self.0.revision.row.number
    }

    async fn kind(&self) -> ApiResult<RevisionKindValue> {
        Ok(self
            .0
            .revision
            .row
            .kind
            .parse::<crate::domain::publishing::RevisionKind>()?
            .into())
    }

    /// When this version became public.
    async fn at(&self) -> DateTime<Utc> {
        self.0.revision.row.created_at
    }

    /// The editor who published or corrected it. Shown to editors and the
    /// paper's authors (as its history is); null for everyone else.
    async fn editor(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        match self.0.editor_visible {
            true => user_for(ctx, self.0.revision.row.editor_id).await,
            false => Ok(None),
        }
    }

    /// For a correction, what changed and why (public).
    async fn note(&self) -> Option<&str> {
        self.0.revision.row.note.as_deref()
    }

    /// Every text of the paper as it read in this version.
    async fn texts(&self) -> Vec<RevisionText<'_>> {
        self.0.revision.texts.iter().map(RevisionText).collect()
    }
}

/// One text of a revision, as it read then.
pub struct RevisionText<'a>(&'a RevisionTextRow);

#[Object]
impl RevisionText<'_> {
    /// BCP 47 tag.
    async fn language(&self) -> &str {
        &self.0.language
    }

    async fn kind(&self) -> ApiResult<TextKindValue> {
        Ok(self.0.kind.parse::<crate::domain::TextKind>()?.into())
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    #[graphql(name = "abstract")]
    async fn abstract_text(&self) -> Option<&str> {
        self.0.r#abstract.as_deref()
    }

    /// In order.
    async fn key_findings(&self) -> ApiResult<Vec<String>> {
        Ok(key_findings(&self.0.key_findings)?)
    }

    async fn body(&self) -> Option<&str> {
        self.0.body.as_deref()
    }
}
