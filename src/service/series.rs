//! Series: named collections of papers. Anyone may list them; editors
//! create them.

use super::ServiceResult;
use crate::app::AppState;
use crate::domain::{DomainError, Role, Slug, TextField, Viewer};
use crate::store::StoreError;
use crate::store::series::{self, SeriesRow};

pub async fn create(
    state: &AppState,
    viewer: &Viewer,
    slug: &str,
    title: &str,
    description: Option<&str>,
) -> ServiceResult<SeriesRow> {
    viewer.require(Role::Editor)?;
    let slug = Slug::parse(slug)?;
    let title = TextField::TITLE.required(title)?.into();
    let description = TextField::DESCRIPTION
        .optional(description)?
        .map(String::from);
    series::insert(
        &state.db,
        slug.as_str().to_owned(),
        title,
        description,
        state.clock.now(),
    )
    .await
    .map_err(|err| match err {
        StoreError::UniqueViolation(_) => {
            DomainError::bad_input(format!("the slug {:?} is taken", slug.as_str())).into()
        }
        other => other.into(),
    })
}

pub async fn all(state: &AppState) -> ServiceResult<Vec<SeriesRow>> {
    Ok(series::all(&state.db).await?)
}

pub async fn by_slug(state: &AppState, slug: &str) -> ServiceResult<SeriesRow> {
    let slug = TextField::SLUG.exact(slug)?;
    Ok(series::find_by_slug(&state.db, slug.as_str())
        .await?
        .ok_or(DomainError::NotFound("series"))?)
}
