//! Full-text search over every text of a paper, in its own language.
//!
//! PostgreSQL: each text has a generated `tsvector` built with its
//! language's configuration (see the migration), and a query is matched
//! with the same configuration, so Russian stemming finds «безопасности»
//! for «безопасность».
//!
//! SQLite: FTS5 has no Russian stemmer, so the application indexes each text
//! as Snowball stems for its language (`rust-stemmers`, the stemmers of
//! PostgreSQL's own dictionaries), and expands each query word into its stems
//! in every supported language.

use rust_stemmers::{Algorithm, Stemmer};
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

use super::StoreError;
use crate::domain::TextContent;

/// Stemmers by primary language subtag.
const STEMMERS: &[(&str, Algorithm)] = &[
    ("ru", Algorithm::Russian),
    ("en", Algorithm::English),
    ("de", Algorithm::German),
    ("fr", Algorithm::French),
    ("es", Algorithm::Spanish),
];

fn stemmer_for(language: &str) -> Option<Stemmer> {
    let primary = language.split('-').next().unwrap_or_default();
    STEMMERS
        .iter()
        .find(|(tag, _)| *tag == primary)
        .map(|(_, algorithm)| Stemmer::create(*algorithm))
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
}

/// The document indexed for a text on SQLite: its words, stemmed for its
/// language.
pub fn stemmed_document(language: &str, content: &TextContent) -> String {
    let stemmer = stemmer_for(language);
    let mut all = String::new();
    let parts = [
        Some(content.title.as_str()),
        content.abstract_text.as_deref(),
        content.body.as_deref(),
    ]
    .into_iter()
    .flatten()
    .chain(content.key_findings.iter().map(String::as_str));
    for part in parts {
        for word in words(part) {
            let stem = stemmer
                .as_ref()
                .map_or(word.clone(), |s| s.stem(&word).into_owned());
            all.push_str(&stem);
            all.push(' ');
        }
    }
    all
}

/// An FTS5 query: every word must match, as itself or as one of its stems.
/// Words are quoted, so nothing in the input is FTS5 syntax.
fn fts5_query(search: &str) -> Option<String> {
    let terms: Vec<String> = words(search)
        .map(|word| {
            let mut variants: Vec<String> = STEMMERS
                .iter()
                .map(|(_, algorithm)| Stemmer::create(*algorithm).stem(&word).into_owned())
                .collect();
            variants.push(word);
            variants.sort();
            variants.dedup();
            let quoted: Vec<String> = variants.iter().map(|v| format!("\"{v}\"")).collect();
            format!("({})", quoted.join(" OR "))
        })
        .collect();
    (!terms.is_empty()).then(|| terms.join(" AND "))
}

/// The condition "the paper has a text matching `search`", on `papers.id`.
pub fn matches(backend: DbBackend, search: &str) -> SimpleExpr {
    match backend {
        DbBackend::Postgres => Expr::cust_with_values(
            "EXISTS (SELECT 1 FROM paper_texts t WHERE t.paper_id = papers.id AND t.search_vector @@ \
             CASE split_part(t.language, '-', 1) \
               WHEN 'ru' THEN websearch_to_tsquery('russian', $1) \
               WHEN 'en' THEN websearch_to_tsquery('english', $1) \
               WHEN 'de' THEN websearch_to_tsquery('german', $1) \
               WHEN 'fr' THEN websearch_to_tsquery('french', $1) \
               WHEN 'es' THEN websearch_to_tsquery('spanish', $1) \
               ELSE websearch_to_tsquery('simple', $1) END)",
            [search.to_owned()],
        ),
        _ => match fts5_query(search) {
            Some(query) => Expr::cust_with_values(
                "papers.id IN (SELECT paper_id FROM paper_text_search WHERE paper_text_search MATCH ?)",
                [query],
            ),
            None => Expr::cust("1 = 0"),
        },
    }
}

/// Keeps the SQLite index in step with a text just written. PostgreSQL
/// needs nothing: its vector is a generated column.
pub async fn index_text(
    db: &impl ConnectionTrait,
    text_id: i64,
    paper_id: i64,
    language: &str,
    content: &TextContent,
) -> Result<(), StoreError> {
    let backend = db.get_database_backend();
    if backend != DbBackend::Sqlite {
        return Ok(());
    }
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        "DELETE FROM paper_text_search WHERE rowid = ?",
        [text_id.into()],
    ))
    .await?;
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        "INSERT INTO paper_text_search (rowid, paper_id, document) VALUES (?, ?, ?)",
        [
            text_id.into(),
            paper_id.into(),
            stemmed_document(language, content).into(),
        ],
    ))
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_inflections_share_a_stem() {
        let content = TextContent {
            title: "Глобальная безопасность".into(),
            ..TextContent::default()
        };
        let document = stemmed_document("ru", &content);
        let query = fts5_query("безопасности").unwrap_or_default();
        let stem = Stemmer::create(Algorithm::Russian)
            .stem("безопасности")
            .into_owned();
        assert!(document.contains(&stem), "{document} / {stem}");
        assert!(query.contains(&format!("\"{stem}\"")), "{query}");
    }

    #[test]
    fn queries_carry_no_fts5_syntax() {
        assert_eq!(fts5_query("  \"*^:() "), None);
        let query = fts5_query("arms\" OR control*").unwrap_or_default();
        assert!(!query.contains("control*"), "{query}");
        assert_eq!(query.matches(" AND ").count(), 2, "{query}");
    }
}
