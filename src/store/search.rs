//! Full-text search as [`crate::domain::search`] defines it, written in each
//! database's syntax. The application computes every text's terms (stemmed
//! in its language) and every query's, so the databases only match terms:
//!
//! - PostgreSQL: `paper_texts.search_vector`, a `tsvector` of the terms with
//!   their positions under a GIN index, matched by a `tsquery`;
//! - SQLite: the FTS5 table `paper_text_search`, one document of terms per
//!   text, matched by an FTS5 query.
//!
//! Beside each text's terms is the key of its stemming; a query is matched
//! against each stemming's texts with its words stemmed the same way.

use std::collections::BTreeMap;

use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Statement, Value,
};

use super::StoreError;
use super::entity::{contributor, paper_text};
use crate::domain::TextContent;
use crate::domain::search::{SearchQuery, Stemming, Term, fold_case};

/// A term as a quoted `tsquery`/`tsvector` lexeme.
fn lexeme(word: &str) -> String {
    format!("'{}'", word.replace('\\', "\\\\").replace('\'', "''"))
}

fn tsquery_term(term: &Term) -> String {
    let words: Vec<String> = term.0.iter().map(|word| lexeme(word)).collect();
    words.join(" <-> ")
}

/// A stemmed query as a PostgreSQL `tsquery`.
fn tsquery(query: &SearchQuery) -> String {
    let groups = query.all_of.iter().map(|group| {
        let terms: Vec<String> = group.iter().map(tsquery_term).collect();
        format!("({})", terms.join(" | "))
    });
    let excluded = query
        .none_of
        .iter()
        .map(|term| format!("!({})", tsquery_term(term)));
    groups.chain(excluded).collect::<Vec<_>>().join(" & ")
}

/// A text's terms as a PostgreSQL `tsvector` with positions.
fn tsvector(terms: &[String]) -> String {
    let mut positions: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (at, term) in terms.iter().enumerate() {
        positions
            .entry(term)
            .or_default()
            .push((at + 1).to_string());
    }
    let lexemes: Vec<String> = positions
        .into_iter()
        .map(|(term, at)| format!("{}:{}", lexeme(term), at.join(",")))
        .collect();
    lexemes.join(" ")
}

fn fts5_phrase(term: &Term) -> String {
    format!("\"{}\"", term.0.join(" ").replace('"', "\"\""))
}

/// A stemmed query as an FTS5 query.
fn fts5_query(query: &SearchQuery) -> String {
    let groups: Vec<String> = query
        .all_of
        .iter()
        .map(|group| {
            let terms: Vec<String> = group.iter().map(fts5_phrase).collect();
            format!("({})", terms.join(" OR "))
        })
        .collect();
    let found = groups.join(" AND ");
    if query.none_of.is_empty() {
        return found;
    }
    let excluded: Vec<String> = query.none_of.iter().map(fts5_phrase).collect();
    format!("({found}) NOT ({})", excluded.join(" OR "))
}

/// The condition "the paper has a text matching `query`", on `papers.id`.
pub fn matches(backend: DbBackend, query: &SearchQuery) -> SimpleExpr {
    if query.is_empty() {
        return Expr::cust("1 = 0");
    }
    let mut values: Vec<Value> = Vec::new();
    let mut branches = Vec::new();
    for stemming in Stemming::all() {
        let stemmed = query.stemmed(&stemming);
        values.push(stemming.key().into());
        match backend {
            DbBackend::Postgres => {
                values.push(tsquery(&stemmed).into());
                let n = values.len();
                branches.push(format!(
                    "(search_stemmer = ${} AND search_vector @@ ${n}::tsquery)",
                    n - 1
                ));
            }
            _ => {
                values.push(fts5_query(&stemmed).into());
                branches.push(
                    "SELECT paper_id FROM paper_text_search WHERE stemmer = ? AND paper_text_search MATCH ?"
                        .to_owned(),
                );
            }
        }
    }
    let sql = match backend {
        DbBackend::Postgres => format!(
            "papers.id IN (SELECT paper_id FROM paper_texts WHERE {})",
            branches.join(" OR ")
        ),
        _ => format!("papers.id IN ({})", branches.join(" UNION ALL ")),
    };
    Expr::cust_with_values(sql, values)
}

/// The condition "a contributor's name contains `fragment`", whatever the
/// case, in any script.
pub fn contributor_matches(fragment: &str) -> SimpleExpr {
    let escaped = fold_case(fragment)
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    Expr::col(contributor::Column::NameFolded)
        .like(LikeExpr::new(format!("%{escaped}%")).escape('\\'))
}

/// Keeps a text's search terms in step with the text just written.
pub async fn index_text(
    db: &impl ConnectionTrait,
    text_id: i64,
    paper_id: i64,
    language: &str,
    content: &TextContent,
) -> Result<(), StoreError> {
    let stemming = Stemming::for_language(language);
    let parts = [
        Some(content.title.as_str()),
        content.abstract_text.as_deref(),
    ]
    .into_iter()
    .flatten()
    .chain(content.key_findings.iter().map(String::as_str))
    .chain(content.body.as_deref());
    let terms = stemming.index_terms(parts);
    let backend = db.get_database_backend();
    let statements = match backend {
        DbBackend::Postgres => vec![Statement::from_sql_and_values(
            backend,
            "UPDATE paper_texts SET search_vector = $1::tsvector, search_stemmer = $2 WHERE id = $3",
            [
                tsvector(&terms).into(),
                stemming.key().into(),
                text_id.into(),
            ],
        )],
        _ => vec![
            Statement::from_sql_and_values(
                backend,
                "DELETE FROM paper_text_search WHERE rowid = ?",
                [text_id.into()],
            ),
            Statement::from_sql_and_values(
                backend,
                "INSERT INTO paper_text_search (rowid, paper_id, stemmer, document) VALUES (?, ?, ?, ?)",
                [
                    text_id.into(),
                    paper_id.into(),
                    stemming.key().into(),
                    terms.join(" ").into(),
                ],
            ),
        ],
    };
    for statement in statements {
        db.execute_raw(statement).await?;
    }
    Ok(())
}

/// Indexes the texts and folds the contributor names written before the
/// application kept them (a migration leaves them for it); answers how many
/// rows it caught up. Run at start, after the migrations.
pub async fn catch_up(db: &impl ConnectionTrait) -> Result<u64, StoreError> {
    let backend = db.get_database_backend();
    let unindexed = match backend {
        DbBackend::Postgres => "search_stemmer IS NULL",
        _ => "id NOT IN (SELECT rowid FROM paper_text_search)",
    };
    let texts = paper_text::Entity::find()
        .filter(Expr::cust(unindexed))
        .all(db)
        .await?;
    let mut caught_up = 0;
    for text in texts {
        let content = super::papers::content_of(&text)?;
        index_text(db, text.id, text.paper_id, &text.language, &content).await?;
        caught_up += 1;
    }
    let unfolded = contributor::Entity::find()
        .filter(contributor::Column::NameFolded.is_null())
        .all(db)
        .await?;
    for row in unfolded {
        contributor::Entity::update_many()
            .col_expr(
                contributor::Column::NameFolded,
                Expr::value(fold_case(&row.name)),
            )
            .filter(contributor::Column::Id.eq(row.id))
            .exec(db)
            .await?;
        caught_up += 1;
    }
    Ok(caught_up)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stemmed(input: &str, language: &str) -> SearchQuery {
        SearchQuery::parse(input)
            .unwrap_or_default()
            .stemmed(&Stemming::for_language(language))
    }

    #[test]
    fn queries_are_written_in_each_syntax() {
        let query = stemmed("nuclear treaties OR \"arms control\" -space", "en");
        assert_eq!(
            tsquery(&query),
            "('nuclear') & ('treati' | 'arm' <-> 'control') & !('space')"
        );
        assert_eq!(
            fts5_query(&query),
            "((\"nuclear\") AND (\"treati\" OR \"arm control\")) NOT (\"space\")"
        );
        assert_eq!(
            tsvector(&["b".into(), "a".into(), "b".into()]),
            "'a':2 'b':1,3"
        );
    }

    #[test]
    fn quotes_cannot_escape_a_lexeme_or_a_phrase() {
        let term = Term(vec!["it's".into(), "a\"b\\".into()]);
        assert_eq!(tsquery_term(&term), "'it''s' <-> 'a\"b\\\\'");
        assert_eq!(fts5_phrase(&term), "\"it's a\"\"b\\\"");
    }
}
