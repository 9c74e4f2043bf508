//! GraphQL ↔ domain. Resolvers read the viewer from the request, call one
//! service function and shape the answer; no rule lives here. The schema is
//! built in one place so that `imprint schema` prints exactly what is served.

mod error;
mod limits;
pub(crate) mod loaders;
mod mutation;
mod query;
mod subscription;
mod types;

use async_graphql::{Context, ID, Schema, SchemaBuilder};

use crate::app::AppState;
use crate::domain::Viewer;

pub use error::{ApiError, ApiResult, ErrorCode};
pub use limits::DocumentLimits;
use mutation::MutationRoot;
use query::QueryRoot;
pub use subscription::SessionToken;
use subscription::SubscriptionRoot;

pub type ImprintSchema = Schema<QueryRoot, MutationRoot, SubscriptionRoot>;

/// Deepest nesting of fields a query may reach. GraphiQL's introspection
/// query needs 13.
pub const MAX_DEPTH: usize = 15;
/// Complexity budget: one per field, lists and connections multiplied by
/// their page size.
pub const MAX_COMPLEXITY: usize = 2_000;
pub const MAX_RECURSIVE_DEPTH: usize = 32;
pub const MAX_DIRECTIVES_PER_FIELD: usize = 5;
/// The shape of a document, checked before validation ([`DocumentLimits`]).
pub const DOCUMENT_LIMITS: DocumentLimits = DocumentLimits {
    max_bytes: 32 * 1024,
    max_operations: 25,
    max_fields: 500,
    max_aliases: 50,
    max_spreads: 500,
    max_nesting: 32,
    max_input_depth: 10,
};
/// Largest page any list field returns.
pub const MAX_PAGE_SIZE: usize = 100;

fn builder() -> SchemaBuilder<QueryRoot, MutationRoot, SubscriptionRoot> {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        SubscriptionRoot,
    )
}

/// The schema as served: with the application state and every limit.
/// Field suggestions ("did you mean …") stay off outside demo mode, since
/// they let a stranger map the schema by typos.
pub fn build_schema(state: AppState) -> ImprintSchema {
    let demo = state.settings.demo;
    let mut builder = builder()
        .data(loaders::loader(state.clone()))
        .data(state)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .limit_recursive_depth(MAX_RECURSIVE_DEPTH)
        .limit_directives(MAX_DIRECTIVES_PER_FIELD);
    if !demo {
        builder = builder.disable_suggestions();
    }
    builder.finish()
}

/// Checks a request before it runs, for every transport: its variables
/// and its document stay within the limits the schema does not enforce
/// itself ([`DocumentLimits`]), and the document parses (kept in the
/// request, not parsed twice).
pub fn check_request(
    request: &mut async_graphql::Request,
) -> Result<CheckedRequest, async_graphql::ServerError> {
    check_document_size(request)?;
    DOCUMENT_LIMITS
        .check_variables(&request.variables)
        .map_err(|err| error::with_code(err, ErrorCode::BadUserInput))?;
    let document = request.parsed_query().map_err(syntax_error)?;
    let variable_arguments = DOCUMENT_LIMITS
        .check(document)
        .map_err(|err| error::with_code(err, ErrorCode::GraphqlValidationFailed))?;
    Ok(CheckedRequest { variable_arguments })
}

/// A request that passed [`check_request`], with what its answer needs to
/// know of its document.
#[derive(Debug, Clone)]
pub struct CheckedRequest {
    variable_arguments: Vec<async_graphql::Pos>,
}

impl CheckedRequest {
    /// Gives every error of the request's answer a code: those
    /// async-graphql raises itself carry none. A value that did not fit its
    /// type while running (any error with a path, or async-graphql's input
    /// errors: "Failed to parse …", "Expected input type …") and an invalid
    /// value at an argument the caller's variables fed are the caller's
    /// input; any other error refused the document before it ran
    /// (validation, limits). The codes test pins these messages.
    pub fn give_codes(&self, mut response: async_graphql::Response) -> async_graphql::Response {
        for error in &mut response.errors {
            let has_code = error
                .extensions
                .as_ref()
                .is_some_and(|extensions| extensions.get("code").is_some());
            if has_code {
                continue;
            }
            let from_variables = error.message.starts_with("Invalid value for argument")
                && error
                    .locations
                    .iter()
                    .any(|pos| self.variable_arguments.contains(pos));
            let bad_input = !error.path.is_empty()
                || error.message.starts_with("Failed to parse")
                || error.message.starts_with("Expected input type")
                || from_variables;
            let code = if bad_input {
                ErrorCode::BadUserInput
            } else {
                ErrorCode::GraphqlValidationFailed
            };
            error::set_code(error, code);
        }
        response
    }
}

/// Refuses a document too long to be worth parsing; for a transport that
/// parses before [`check_request`] (GET, to refuse mutations).
pub fn check_document_size(
    request: &async_graphql::Request,
) -> Result<(), async_graphql::ServerError> {
    DOCUMENT_LIMITS
        .check_size(&request.query)
        .map_err(|err| error::with_code(err, ErrorCode::GraphqlValidationFailed))
}

/// A document that does not parse, as the client is told: with its code,
/// and without the copy of the offending line the parser puts in its
/// message (the line may be the whole document; the error's location
/// already says where it went wrong). For every transport that parses.
pub fn syntax_error(mut err: async_graphql::ServerError) -> async_graphql::ServerError {
    if let Some(reason) = err.message.lines().last().and_then(|line| {
        let reason = line.trim().strip_prefix("= ")?;
        Some(format!("the document is not valid GraphQL: {reason}"))
    }) {
        err.message = reason;
    }
    error::with_code(err, ErrorCode::GraphqlParseFailed)
}

/// The SDL, as checked in at `schema.graphql`.
pub fn sdl() -> String {
    builder().finish().sdl()
}

/// The application state, placed in the schema at start-up.
fn app<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a AppState> {
    ctx.data::<AppState>().map_err(|_| {
        tracing::error!("schema built without application state");
        ApiError::new(ErrorCode::Internal, "the server is misconfigured")
    })
}

/// The batching loader, placed in the schema at start-up.
fn rows<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a loaders::RowsLoader> {
    ctx.data::<loaders::RowsLoader>().map_err(|_| {
        tracing::error!("schema built without its loader");
        ApiError::new(ErrorCode::Internal, "the server is misconfigured")
    })
}

/// Who is asking; anonymous unless the HTTP layer said otherwise.
fn viewer(ctx: &Context<'_>) -> Viewer {
    ctx.data_opt::<Viewer>().copied().unwrap_or_default()
}

/// Our ids are integers; anything else names nothing that exists.
fn parse_id(id: &ID, what: &'static str) -> ApiResult<i64> {
    id.parse::<i64>()
        .map_err(|_| crate::domain::DomainError::NotFound(what).into())
}

/// Default page size of list fields when `first` is not given.
pub const DEFAULT_PAGE_SIZE: usize = 20;

/// Checks a requested page size: 0 to [`MAX_PAGE_SIZE`].
fn page_size(first: Option<i32>) -> ApiResult<u64> {
    let first = first.unwrap_or(DEFAULT_PAGE_SIZE as i32);
    match usize::try_from(first) {
        Ok(size) if size <= MAX_PAGE_SIZE => Ok(size as u64),
        _ => Err(ApiError::bad_input(format!(
            "first must be between 0 and {MAX_PAGE_SIZE}"
        ))),
    }
}

/// Which end of a list a page is read from, and how many items it holds:
/// Relay's `first` (from the start) or `last` (from the end), never both.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Paging {
    pub from_end: bool,
    pub size: u64,
}

impl Paging {
    pub fn new(first: Option<i32>, last: Option<i32>) -> ApiResult<Paging> {
        match (first, last) {
            (Some(_), Some(_)) => Err(ApiError::bad_input("give first or last, not both")),
            (None, Some(_)) => Ok(Paging {
                from_end: true,
                size: page_size(last)?,
            }),
            _ => Ok(Paging {
                from_end: false,
                size: page_size(first)?,
            }),
        }
    }

    /// How many rows to read: one more than the page, to learn whether
    /// there is more.
    pub fn probe(self) -> u64 {
        self.size + 1
    }

    /// Drops the probe row from `items` (read in list order) and answers
    /// `(has_previous_page, has_next_page)`.
    pub fn finish<T>(self, items: &mut Vec<T>, has_after: bool, has_before: bool) -> (bool, bool) {
        let more = items.len() as u64 > self.size;
        if more {
            if self.from_end {
                items.remove(0);
            } else {
                items.pop();
            }
        }
        if self.from_end {
            (more, has_before)
        } else {
            (has_after, more)
        }
    }
}

/// Whether a connection's `totalCount` was asked for: counting is a query
/// of its own, worth skipping when nobody reads it.
fn wants_total(ctx: &Context<'_>) -> bool {
    ctx.look_ahead().field("totalCount").exists()
}

/// Complexity of a page: its items times the cost of one.
fn page_complexity(first: Option<i32>, child_complexity: usize) -> usize {
    let size = first
        .and_then(|first| usize::try_from(first).ok())
        .unwrap_or(DEFAULT_PAGE_SIZE);
    size.max(1)
        .saturating_mul(child_complexity)
        .saturating_add(1)
}
