//! `Authorization: Bearer <JWT>` → [`Viewer`]. No header means anonymous; a
//! header that does not hold a valid token is an error, never silently
//! anonymous, so a client with an expired token learns it must log in again.

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;

use crate::app::AppState;
use crate::domain::{DomainError, Viewer};
use crate::graphql::ApiError;
use crate::service::users;

/// The viewer a request's headers stand for.
pub async fn viewer_from_headers(app: &AppState, headers: &HeaderMap) -> Result<Viewer, ApiError> {
    let Some(value) = headers.get(AUTHORIZATION) else {
        return Ok(Viewer::Anonymous);
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|value| {
            let (scheme, token) = value.trim().split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then_some(token.trim())
        })
        .filter(|token| !token.is_empty())
        .ok_or_else(|| {
            DomainError::Unauthenticated("the Authorization header must be `Bearer <token>`".into())
        })?;
    viewer_from_token(app, token).await
}

/// The viewer a token stands for (also used by WebSocket connections, whose
/// token comes in the `connection_init` payload).
pub async fn viewer_from_token(app: &AppState, token: &str) -> Result<Viewer, ApiError> {
    Ok(users::authenticate(app, token).await?)
}
