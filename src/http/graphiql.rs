//! GraphiQL, served from the binary so that it works on a network with no
//! way out: the page, the pinned React and GraphiQL bundles
//! (`assets/graphiql`, copied from the npm lockfile) and the script that
//! points GraphiQL at this server. A Content-Security-Policy lets the page
//! load and connect to nothing but this origin, and run no inline code.

use axum::body::Body;
use axum::extract::Path;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG, IF_NONE_MATCH,
    X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

#[derive(rust_embed::Embed)]
#[folder = "assets/graphiql/public"]
struct Assets;

/// The page, with `{{STYLE_NONCE}}` where each response puts its nonce.
const PAGE: &str = include_str!("../../assets/graphiql/index.html");

/// Scripts and styles from this origin only (no inline code, no CDN), plus
/// any `extra_styles` source; `data:` for the fonts and icons GraphiQL's
/// stylesheet carries inline; requests to this origin only, which includes
/// its WebSocket.
fn policy(extra_styles: &str) -> String {
    format!(
        "default-src 'none'; script-src 'self'; style-src 'self'{extra_styles}; \
         img-src 'self' data:; font-src 'self' data:; connect-src 'self'; \
         base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
}

/// The GraphiQL page itself, which GET /graphql answers to a browser. Its
/// policy adds a fresh nonce to `style-src`, for the one `<style>` element
/// GraphiQL's dialogs add at run time (the page hands the nonce to it).
pub fn page() -> Response {
    let nonce = hex(&rand::random::<[u8; 16]>());
    let mut response = Html(PAGE.replace("{{STYLE_NONCE}}", &nonce)).into_response();
    secure(
        &mut response,
        &policy(&format!(" 'nonce-{nonce}'")),
        "no-store",
    );
    response
}

/// GET /graphiql/{*file}: the page's scripts, styles and licences.
pub async fn file(Path(file): Path<String>, headers: HeaderMap) -> Response {
    asset(&file, &headers)
}

/// One embedded file, revalidated by its hash: a browser asks again each
/// time and gets 304 until the binary carries a different file. The tag is
/// weak because the compression layer may send the bytes gzipped.
fn asset(name: &str, headers: &HeaderMap) -> Response {
    let Some(file) = Assets::get(name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let etag = format!("W/\"{}\"", hex(&file.metadata.sha256_hash()));
    let mut response = if matches_etag(headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        Body::from(file.data).into_response()
    };
    let response_headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(file.metadata.mimetype()) {
        response_headers.insert(CONTENT_TYPE, value);
    }
    if let Ok(value) = HeaderValue::from_str(&etag) {
        response_headers.insert(ETAG, value);
    }
    secure(&mut response, &policy(""), "no-cache");
    response
}

/// The headers every GraphiQL response carries: its policy, how it may be
/// cached, and no content sniffing.
fn secure(response: &mut Response, policy: &str, cache_control: &'static str) {
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(policy) {
        headers.insert(CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(cache_control));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
}

/// Whether `If-None-Match` names this entity tag (or `*`), compared weakly
/// as RFC 9110 asks for `If-None-Match`.
fn matches_etag(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|tag| tag.trim() == "*" || opaque(tag) == opaque(etag))
}

/// An entity tag without its weakness marker.
fn opaque(tag: &str) -> &str {
    tag.trim().trim_start_matches("W/")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
