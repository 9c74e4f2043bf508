//! A paper's texts: the original and its translations, whole or as
//! headings.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DerivePartialModel,
    EntityTrait, QueryFilter, QueryOrder, Select,
};

use super::TextRow;
use crate::domain::{TextContent, TextKind};
use crate::store::entity::{paper, paper_text};
use crate::store::{StoreError, search};

pub async fn original_text(
    db: &impl ConnectionTrait,
    paper_id: i64,
) -> Result<Option<TextRow>, StoreError> {
    Ok(paper_text::Entity::find()
        .filter(paper_text::Column::PaperId.eq(paper_id))
        .filter(paper_text::Column::Kind.eq(TextKind::Original.as_str()))
        .one(db)
        .await?)
}

/// Key findings are stored as a JSON array of strings.
pub fn key_findings(row_value: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(row_value)
        .map_err(|err| StoreError::Corrupt(format!("key findings are not a JSON list: {err}")))
}

/// A text row's content: title, abstract, key findings and body.
pub fn content_of(text: &TextRow) -> Result<TextContent, StoreError> {
    Ok(TextContent {
        title: text.title.clone(),
        abstract_text: text.r#abstract.clone(),
        key_findings: key_findings(&text.key_findings)?,
        body: text.body.clone(),
    })
}

fn findings_json(findings: &[String]) -> String {
    serde_json::Value::from(findings.to_vec()).to_string()
}

/// One text to write.
#[derive(Debug, Clone, Copy)]
pub struct TextWrite<'a> {
    pub paper_id: i64,
    pub language: &'a str,
    pub kind: TextKind,
    pub content: &'a TextContent,
    /// The original's revision a translation was made from (None for the
    /// original itself).
    pub source_revision: Option<i32>,
    pub translated_by: Option<i64>,
}

/// Writes the text of a paper in a language: inserts it, or replaces the
/// one there and bumps its revision.
pub async fn put_text(
    db: &impl ConnectionTrait,
    text: TextWrite<'_>,
    now: DateTime<Utc>,
) -> Result<TextRow, StoreError> {
    let existing = paper_text::Entity::find()
        .filter(paper_text::Column::PaperId.eq(text.paper_id))
        .filter(paper_text::Column::Language.eq(text.language))
        .one(db)
        .await?;
    let Some(existing) = existing else {
        return insert_text(db, text, now).await;
    };
    let revision = existing.revision + 1;
    let mut row: paper_text::ActiveModel = existing.into();
    row.revision = Set(revision);
    let row = fill_text(row, &text, now).update(db).await?;
    if text.kind == TextKind::Original {
        paper::Entity::update_many()
            .col_expr(
                paper::Column::Title,
                Expr::value(text.content.title.clone()),
            )
            .filter(paper::Column::Id.eq(text.paper_id))
            .exec(db)
            .await?;
    }
    search::index_text(db, row.id, text.paper_id, text.language, text.content).await?;
    Ok(row)
}

/// Inserts a paper's first text in a language: a new paper's (whose row
/// already carries the original's title), or a first translation.
pub async fn insert_text(
    db: &impl ConnectionTrait,
    text: TextWrite<'_>,
    now: DateTime<Utc>,
) -> Result<TextRow, StoreError> {
    let row = paper_text::ActiveModel {
        paper_id: Set(text.paper_id),
        language: Set(text.language.to_owned()),
        revision: Set(1),
        created_at: Set(now),
        ..Default::default()
    };
    let row = fill_text(row, &text, now).insert(db).await?;
    search::index_text(db, row.id, text.paper_id, text.language, text.content).await?;
    Ok(row)
}

fn fill_text(
    mut row: paper_text::ActiveModel,
    text: &TextWrite<'_>,
    now: DateTime<Utc>,
) -> paper_text::ActiveModel {
    let content = text.content;
    row.kind = Set(text.kind.as_str().to_owned());
    row.title = Set(content.title.clone());
    row.r#abstract = Set(content.abstract_text.clone());
    row.key_findings = Set(findings_json(&content.key_findings));
    row.body = Set(content.body.clone());
    row.source_revision = Set(text.source_revision);
    row.translated_by = Set(text.translated_by);
    row.updated_at = Set(now);
    row
}

/// Marks a translation as made from the original's current revision (an
/// editor confirmed it still holds).
pub async fn confirm_translation(
    db: &impl ConnectionTrait,
    text_id: i64,
    source_revision: i32,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    paper_text::Entity::update_many()
        .col_expr(
            paper_text::Column::SourceRevision,
            Expr::value(source_revision),
        )
        .col_expr(paper_text::Column::UpdatedAt, Expr::value(now))
        .filter(paper_text::Column::Id.eq(text_id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn texts_of(
    db: &impl ConnectionTrait,
    paper_ids: &[i64],
) -> Result<Vec<TextRow>, StoreError> {
    Ok(texts_of_papers(paper_ids).all(db).await?)
}

/// The texts of many papers, oldest first.
pub fn texts_of_papers(paper_ids: &[i64]) -> Select<paper_text::Entity> {
    paper_text::Entity::find()
        .filter(paper_text::Column::PaperId.is_in(paper_ids.to_vec()))
        .order_by_asc(paper_text::Column::Id)
}

/// A text without its content (abstract, key findings and body): what a
/// list of papers shows of it, and a small part of its bytes.
#[derive(Debug, Clone, DerivePartialModel, serde::Deserialize)]
#[sea_orm(entity = "paper_text::Entity")]
pub struct TextHeading {
    pub id: i64,
    pub paper_id: i64,
    pub language: String,
    pub kind: String,
    pub title: String,
    pub revision: i32,
    pub source_revision: Option<i32>,
    pub translated_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TextHeading {
    /// The columns of a text's row a heading leaves out; it has the others,
    /// in the row's order.
    pub(crate) const LEFT_OUT: [paper_text::Column; 3] = [
        paper_text::Column::Abstract,
        paper_text::Column::KeyFindings,
        paper_text::Column::Body,
    ];

    /// The heading as a row with the content left empty.
    pub(crate) fn without_content(self) -> TextRow {
        TextRow {
            id: self.id,
            paper_id: self.paper_id,
            language: self.language,
            kind: self.kind,
            title: self.title,
            r#abstract: None,
            key_findings: String::new(),
            body: None,
            revision: self.revision,
            source_revision: self.source_revision,
            translated_by: self.translated_by,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}
