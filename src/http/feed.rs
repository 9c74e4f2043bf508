//! The publication feed and the public pages its entries link to:
//!
//! - `GET /feed.atom`, `GET /series/{slug}/feed.atom`: Atom feeds of the
//!   newest publications, each entry an announcement;
//! - `GET /papers/{slug}`: a published paper's announcement as a page;
//! - `GET /papers/{slug}/text/{language}`: one of its texts as a page.
//!
//! `?lang=` picks the language of the announcements (default English,
//! falling back to the original). Everything here is what the public may
//! see, whoever asks: no token is read.

use atom_syndication::{Category, Content, Entry, Feed, Generator, Link, Person, Text};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::HttpState;
use crate::domain::Language;
use crate::graphql::{ApiError, ErrorCode};
use crate::service::announcements::{self, Announcement, render};
use crate::service::{ServiceError, series};
use crate::store::series::SeriesRow;

const ATOM: &str = "application/atom+xml; charset=utf-8";
const HTML: &str = "text/html; charset=utf-8";

/// `?lang=`: the language announcements are in.
#[derive(Debug, Deserialize)]
pub struct LanguageQuery {
    lang: Option<String>,
}

impl LanguageQuery {
    fn language(&self) -> Result<Language, ServiceError> {
        let tag = self
            .lang
            .as_deref()
            .unwrap_or(announcements::DEFAULT_LANGUAGE);
        Ok(Language::parse(tag)?)
    }
}

/// A service error as an HTTP answer: its code as a status, its message
/// (never a cause) as the body.
fn failure(err: ServiceError) -> Response {
    let err = ApiError::from(err);
    let status = match err.code {
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::BadUserInput => StatusCode::BAD_REQUEST,
        ErrorCode::DbUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    (status, err.message).into_response()
}

/// The feed of every series.
pub async fn all(State(state): State<HttpState>, Query(query): Query<LanguageQuery>) -> Response {
    feed(&state, None, &query).await
}

/// The feed of one series; 404 for a series that does not exist.
pub async fn of_series(
    State(state): State<HttpState>,
    Path(slug): Path<String>,
    Query(query): Query<LanguageQuery>,
) -> Response {
    match series::by_slug(&state.app, &slug).await {
        Ok(series) => feed(&state, Some(&series), &query).await,
        Err(err) => failure(err),
    }
}

async fn feed(state: &HttpState, series: Option<&SeriesRow>, query: &LanguageQuery) -> Response {
    let language = match query.language() {
        Ok(language) => language,
        Err(err) => return failure(err),
    };
    let entries = match announcements::latest(&state.app, series, &language).await {
        Ok(entries) => entries,
        Err(err) => return failure(err),
    };
    let mut self_url = announcements::feed_url(
        &state.app.settings.public_url,
        series.map(|s| s.slug.as_str()),
    );
    if query.lang.is_some() {
        self_url = format!("{self_url}?lang={language}");
    }
    let feed = atom(
        &state.app.settings.public_url,
        &self_url,
        series,
        &entries,
        state.app.clock.now(),
    );
    match feed.write_to(Vec::new()) {
        Ok(xml) => ([(CONTENT_TYPE, ATOM)], xml_safe(&xml)).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "writing the feed failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The feed document: id and self link `self_url`, one entry per
/// announcement, updated when the newest entry was (or now, when empty).
fn atom(
    public_url: &str,
    self_url: &str,
    series: Option<&SeriesRow>,
    entries: &[Announcement],
    now: DateTime<Utc>,
) -> Feed {
    let title = series.map_or("Imprint: published papers", |s| s.title.as_str());
    let updated = entries.iter().map(|a| a.updated_at).max().unwrap_or(now);
    Feed {
        id: self_url.to_owned(),
        title: Text::plain(title),
        subtitle: series
            .and_then(|s| s.description.as_deref())
            .map(Text::plain),
        updated: updated.fixed_offset(),
        // Atom wants an author for the feed when an entry may have none.
        authors: vec![person(series.map_or("Imprint", |s| s.title.as_str()))],
        links: vec![Link {
            href: self_url.to_owned(),
            rel: "self".into(),
            mime_type: Some("application/atom+xml".into()),
            ..Link::default()
        }],
        generator: Some(Generator {
            value: "Imprint".into(),
            uri: None,
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
        entries: entries.iter().map(|a| entry(public_url, a)).collect(),
        ..Feed::default()
    }
}

fn person(name: &str) -> Person {
    Person {
        name: name.to_owned(),
        ..Person::default()
    }
}

/// One announcement as an entry. Its id is the paper's page, whose address
/// (the slug) never changes.
fn entry(public_url: &str, a: &Announcement) -> Entry {
    let language = Some(a.language.as_str().to_owned());
    Entry {
        id: a.link.clone(),
        title: Text {
            lang: language.clone(),
            ..Text::plain(&a.title)
        },
        updated: a.updated_at.fixed_offset(),
        published: Some(a.published_at.fixed_offset()),
        authors: a.contributors.iter().map(|c| person(&c.name)).collect(),
        categories: a
            .series
            .iter()
            .map(|s| Category {
                term: s.slug.clone(),
                scheme: Some(format!("{public_url}/series/")),
                label: Some(s.title.clone()),
            })
            .collect(),
        links: vec![
            Link {
                href: a.link.clone(),
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                ..Link::default()
            },
            Link {
                href: a.original_link.clone(),
                rel: "alternate".into(),
                hreflang: Some(a.original_language.as_str().to_owned()),
                title: Some(format!(
                    "The original ({})",
                    a.original_language.display_name()
                )),
                ..Link::default()
            },
        ],
        summary: a.summary.as_ref().map(|summary| Text {
            lang: language.clone(),
            ..Text::plain(summary)
        }),
        content: Some(Content {
            content_type: Some("html".into()),
            value: Some(render::html(a)),
            lang: language,
            ..Content::default()
        }),
        ..Entry::default()
    }
}

/// The document with the characters XML 1.0 cannot hold (control
/// characters a user may have pasted) left out.
fn xml_safe(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .chars()
        .filter(|c| {
            matches!(c, '\t' | '\n' | '\r') || (*c >= ' ' && !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
        })
        .collect()
}

/// A published paper's page: its announcement in `?lang=`.
pub async fn paper_page(
    State(state): State<HttpState>,
    Path(slug): Path<String>,
    Query(query): Query<LanguageQuery>,
) -> Response {
    let language = match query.language() {
        Ok(language) => language,
        Err(err) => return failure(err),
    };
    match announcements::of_published(&state.app, &slug, &language).await {
        Ok(a) => ([(CONTENT_TYPE, HTML)], render::html_page(&a)).into_response(),
        Err(err) => failure(err),
    }
}

/// A published paper's text in one language; 404 when it has none in it.
pub async fn text_page(
    State(state): State<HttpState>,
    Path((slug, language)): Path<(String, String)>,
) -> Response {
    let language = match Language::parse(&language) {
        Ok(language) => language,
        Err(_) => return failure(crate::domain::DomainError::NotFound("text").into()),
    };
    match announcements::published_text(&state.app, &slug, &language).await {
        Ok(text) => (
            [(CONTENT_TYPE, HTML)],
            render::text_page(language.as_str(), &text),
        )
            .into_response(),
        Err(err) => failure(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_xml_cannot_hold_are_left_out() {
        assert_eq!(
            xml_safe("a\u{1}b\tc\nd\u{7f}é\u{FFFF}".as_bytes()),
            "ab\tc\nd\u{7f}é"
        );
    }
}
