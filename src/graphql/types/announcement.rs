//! `Paper.announcement`: the announcement of a published paper, built by
//! the announcements service from rows loaded in batches.

use async_graphql::{Context, Enum};

use crate::domain::Language;
use crate::graphql::loaders::{self, ContributorsOf};
use crate::graphql::{ApiResult, app, rows};
use crate::service::announcements::{self, render};
use crate::service::papers::PaperView;
use crate::store::papers::TextRow;

/// How an announcement is written out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum AnnouncementFormat {
    /// Plain text, laid out like a press announcement.
    Text,
    /// Markdown; text from the paper is escaped, so it shows as written.
    Markdown,
}

/// The announcement of `paper` in `language`, from the texts the viewer
/// may read.
pub(super) async fn announcement(
    ctx: &Context<'_>,
    paper: &PaperView,
    texts: &[TextRow],
    language: &Language,
    format: AnnouncementFormat,
) -> ApiResult<String> {
    let loader = rows(ctx)?;
    let contributors = loader
        .load_one(ContributorsOf(paper.row.id))
        .await?
        .unwrap_or_default();
    let series = match paper.row.series_id {
        Some(id) => loaders::series(loader, id).await?,
        None => None,
    };
    let announcement = announcements::build(
        &paper.row,
        series.as_ref(),
        &contributors,
        texts,
        language,
        &app(ctx)?.settings.public_url,
    )?;
    Ok(match format {
        AnnouncementFormat::Text => render::text(&announcement),
        AnnouncementFormat::Markdown => render::markdown(&announcement),
    })
}
