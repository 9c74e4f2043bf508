//! GraphQL over HTTP, following the GraphQL-over-HTTP specification where
//! the stock integration does not:
//!
//! - POST bodies must be `application/json`, so a cross-site form or a
//!   `text/plain` "simple request" cannot run a mutation (415 otherwise);
//! - GET runs queries only; a mutation over GET is 405 with `Allow: POST`;
//! - responses are `application/graphql-response+json` unless the client
//!   accepts only `application/json` (legacy clients, which always get 200);
//! - under `application/graphql-response+json`, a document that fails to
//!   parse or validate is 400 and carries no `data` entry;
//! - batches hold at most [`MAX_BATCH`] operations.

use std::collections::HashMap;

use async_graphql::parser::types::{DocumentOperations, OperationType};
use async_graphql::{BatchRequest, BatchResponse, Request, Variables};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::header::{ACCEPT, ALLOW, CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::HttpState;
use super::auth::viewer_from_headers;
use crate::domain::Viewer;
use crate::graphql::loaders::ReadAhead;
use crate::graphql::{ApiError, ErrorCode, check_document_size, check_request, syntax_error};

/// Most operations one batched POST may carry.
pub const MAX_BATCH: usize = 10;

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

/// The media type a response is sent as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MediaType {
    GraphqlResponseJson,
    Json,
}

impl MediaType {
    fn header_value(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            MediaType::GraphqlResponseJson => "application/graphql-response+json; charset=utf-8",
            MediaType::Json => "application/json; charset=utf-8",
        })
    }

    /// Picks from the Accept header, in the client's order. No header is a
    /// legacy client: it gets `application/json`.
    fn negotiate(headers: &HeaderMap) -> Option<MediaType> {
        let mut entries = headers
            .get_all(ACCEPT)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(media_type_of)
            .peekable();
        if entries.peek().is_none() {
            return Some(MediaType::Json);
        }
        entries.find_map(|entry| match entry.as_str() {
            GRAPHQL_RESPONSE_JSON | "application/*" | "*/*" => Some(MediaType::GraphqlResponseJson),
            JSON => Some(MediaType::Json),
            _ => None,
        })
    }
}

/// `Type/Sub; param=x` → `type/sub`.
fn media_type_of(value: &str) -> String {
    value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// POST /graphql
pub async fn post_request(
    State(state): State<HttpState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(media) = MediaType::negotiate(&headers) else {
        return not_acceptable();
    };
    if let Err(problem) = check_json_content_type(&headers) {
        return request_error(media, StatusCode::UNSUPPORTED_MEDIA_TYPE, &problem);
    }
    let batch: BatchRequest = match serde_json::from_slice(&body) {
        Ok(batch) => batch,
        Err(err) => {
            let message = format!("the body is not a GraphQL request: {err}");
            return request_error(media, StatusCode::BAD_REQUEST, &message);
        }
    };
    if let BatchRequest::Batch(requests) = &batch
        && (requests.is_empty() || requests.len() > MAX_BATCH)
    {
        let message = format!("a batch must hold 1 to {MAX_BATCH} operations");
        return request_error(media, StatusCode::BAD_REQUEST, &message);
    }
    let viewer = match viewer_from_headers(&state.app, &headers).await {
        Ok(viewer) => viewer,
        Err(err) => return api_error(media, err),
    };
    let response = match batch {
        BatchRequest::Single(request) => {
            BatchResponse::Single(execute(&state, request, viewer).await)
        }
        BatchRequest::Batch(requests) => BatchResponse::Batch(
            futures_util::future::join_all(
                requests
                    .into_iter()
                    .map(|request| execute(&state, request, viewer)),
            )
            .await,
        ),
    };
    graphql_response(media, response)
}

/// Runs one operation for the viewer, after the checks the schema does not
/// make itself.
async fn execute(
    state: &HttpState,
    mut request: Request,
    viewer: Viewer,
) -> async_graphql::Response {
    let checked = match check_request(&mut request) {
        Ok(checked) => checked,
        Err(err) => return async_graphql::Response::from_errors(vec![err]),
    };
    let request = request.data(viewer).data(ReadAhead::default());
    checked.give_codes(state.schema.execute(request).await)
}

/// GET /graphql: GraphiQL for a browser, queries from the query string for
/// everyone else.
pub async fn get_request(
    State(state): State<HttpState>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    if !params.contains_key("query") && wants_html(&headers) {
        return super::graphiql::page();
    }
    let Some(media) = MediaType::negotiate(&headers) else {
        return not_acceptable();
    };
    let mut request = match request_from_params(params) {
        Ok(request) => request,
        Err(problem) => return request_error(media, StatusCode::BAD_REQUEST, &problem),
    };
    if let Err(err) = check_document_size(&request) {
        let response = async_graphql::Response::from_errors(vec![err]);
        return graphql_response(media, BatchResponse::Single(response));
    }
    let operation_name = request.operation_name.clone();
    let operation_type = match request.parsed_query() {
        Ok(document) => selected_operation_type(&document.operations, operation_name.as_deref()),
        Err(err) => {
            return graphql_response(
                media,
                BatchResponse::Single(async_graphql::Response::from_errors(vec![syntax_error(
                    err,
                )])),
            );
        }
    };
    if matches!(
        operation_type,
        Some(OperationType::Mutation | OperationType::Subscription)
    ) {
        let mut response = request_error(
            media,
            StatusCode::METHOD_NOT_ALLOWED,
            "only queries run over GET: send mutations with POST",
        );
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("POST"));
        return response;
    }
    let viewer = match viewer_from_headers(&state.app, &headers).await {
        Ok(viewer) => viewer,
        Err(err) => return api_error(media, err),
    };
    let response = execute(&state, request, viewer).await;
    graphql_response(media, BatchResponse::Single(response))
}

fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get_all(ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|entry| media_type_of(entry) == "text/html")
}

fn check_json_content_type(headers: &HeaderMap) -> Result<(), String> {
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let mut parts = content_type.split(';');
    let media = parts.next().unwrap_or_default().trim();
    let charset_ok = parts.all(|param| match param.split_once('=') {
        Some((name, value)) if name.trim().eq_ignore_ascii_case("charset") => {
            value.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
        }
        _ => true,
    });
    if media.eq_ignore_ascii_case(JSON) && charset_ok {
        Ok(())
    } else {
        Err("send the request as Content-Type: application/json (UTF-8)".into())
    }
}

fn request_from_params(mut params: HashMap<String, String>) -> Result<Request, String> {
    let query = params
        .remove("query")
        .ok_or("a GET request needs a `query` parameter")?;
    let mut request = Request::new(query);
    if let Some(name) = params.remove("operationName") {
        request = request.operation_name(name);
    }
    if let Some(variables) = params.remove("variables") {
        let value: serde_json::Value =
            serde_json::from_str(&variables).map_err(|_| "`variables` must be a JSON object")?;
        if !value.is_object() {
            return Err("`variables` must be a JSON object".into());
        }
        request = request.variables(Variables::from_json(value));
    }
    if let Some(extensions) = params.remove("extensions") {
        let value: serde_json::Value =
            serde_json::from_str(&extensions).map_err(|_| "`extensions` must be a JSON object")?;
        request.extensions =
            serde_json::from_value(value).map_err(|_| "`extensions` must be a JSON object")?;
    }
    Ok(request)
}

/// The type of the operation a request will run; `None` when the name
/// matches nothing, which execution then reports.
fn selected_operation_type(
    operations: &DocumentOperations,
    operation_name: Option<&str>,
) -> Option<OperationType> {
    match (operations, operation_name) {
        (DocumentOperations::Single(operation), _) => Some(operation.node.ty),
        (DocumentOperations::Multiple(operations), Some(name)) => {
            operations.get(name).map(|operation| operation.node.ty)
        }
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => operations
            .values()
            .next()
            .map(|operation| operation.node.ty),
        (DocumentOperations::Multiple(_), None) => None,
    }
}

/// A response that failed before execution (parse, validation, limits) has
/// no data and only errors without a path.
pub(super) fn is_request_error(response: &async_graphql::Response) -> bool {
    response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|err| err.path.is_empty())
}

/// Whether nothing of the request could be done because the database is
/// unavailable: no data, and every error says so.
fn lost_to_the_database(response: &BatchResponse) -> bool {
    let lost = |response: &async_graphql::Response| {
        response.data == async_graphql::Value::Null
            && !response.errors.is_empty()
            && response.errors.iter().all(|err| {
                err.extensions
                    .as_ref()
                    .and_then(|extensions| extensions.get("code"))
                    == Some(&async_graphql::Value::from(
                        ErrorCode::DbUnavailable.as_str(),
                    ))
            })
    };
    match response {
        BatchResponse::Single(response) => lost(response),
        BatchResponse::Batch(responses) => responses.iter().all(lost),
    }
}

fn graphql_response(media: MediaType, response: BatchResponse) -> Response {
    if let BatchResponse::Single(single) = &response
        && is_request_error(single)
    {
        let status = match media {
            MediaType::GraphqlResponseJson => StatusCode::BAD_REQUEST,
            MediaType::Json => StatusCode::OK,
        };
        return errors_response(media, status, json!(single.errors));
    }
    let status = if lost_to_the_database(&response) {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    match serde_json::to_string(&response) {
        Ok(body) => {
            let mut http = (status, body).into_response();
            http.headers_mut()
                .insert(CONTENT_TYPE, media.header_value());
            http
        }
        Err(err) => {
            tracing::error!(error = %err, "serialising a response failed");
            let error = ApiError::new(ErrorCode::Internal, "the response could not be written");
            api_error(media, error)
        }
    }
}

/// An error found before the request reached GraphQL.
fn request_error(media: MediaType, status: StatusCode, message: &str) -> Response {
    let error = ApiError::new(ErrorCode::BadRequest, message);
    errors_response(media, status, json!([error.to_json()]))
}

/// An [`ApiError`] raised outside execution (the Authorization header),
/// with its code.
fn api_error(media: MediaType, err: ApiError) -> Response {
    let status = match err.code {
        ErrorCode::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorCode::BadRequest => StatusCode::BAD_REQUEST,
        ErrorCode::DbUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let mut response = errors_response(media, status, json!([err.to_json()]));
    if status == StatusCode::UNAUTHORIZED {
        response
            .headers_mut()
            .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}

/// A body with errors and no data.
fn errors_response(media: MediaType, status: StatusCode, errors: serde_json::Value) -> Response {
    let mut response = (status, json!({ "errors": errors }).to_string()).into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, media.header_value());
    response
}

fn not_acceptable() -> Response {
    (
        StatusCode::NOT_ACCEPTABLE,
        "accept application/graphql-response+json or application/json",
    )
        .into_response()
}
