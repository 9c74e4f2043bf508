//! `Authorization: Bearer <JWT>` → [`Viewer`]. No header means anonymous; a
//! header that does not hold a valid token is an error, never silently
//! anonymous, so a client with an expired token learns it must log in again.

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;

use crate::app::AppState;
use crate::domain::{DomainError, Viewer};
use crate::graphql::{ApiError, ErrorCode};
use crate::service::users;

/// The viewer a request's headers stand for. More than one Authorization
/// header is refused: which one a proxy or a framework would pick differs,
/// and a request must not be one user to one component and another to the
/// next.
pub async fn viewer_from_headers(app: &AppState, headers: &HeaderMap) -> Result<Viewer, ApiError> {
    let mut values = headers.get_all(AUTHORIZATION).iter();
    let Some(value) = values.next() else {
        return Ok(Viewer::Anonymous);
    };
    if values.next().is_some() {
        return Err(ApiError::new(
            ErrorCode::BadRequest,
            "send one Authorization header, not several",
        ));
    }
    let token = value.to_str().ok().and_then(bearer_token).ok_or_else(|| {
        DomainError::Unauthenticated("the Authorization header must be `Bearer <token>`".into())
    })?;
    viewer_from_token(app, token).await
}

/// The token in an Authorization value of the form `Bearer <token>`.
pub fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// The viewer a token stands for (also used by WebSocket connections, whose
/// token comes in the `connection_init` payload).
pub async fn viewer_from_token(app: &AppState, token: &str) -> Result<Viewer, ApiError> {
    Ok(users::authenticate(app, token).await?)
}
