//! A row of `papers`: one work moving through the workflow, with its stage.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "papers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    /// The original's title, kept here for ordering lists by title.
    pub title: String,
    pub series_id: Option<i64>,
    /// BCP 47 tag of the language the paper was written in.
    pub original_language: String,
    /// `DRAFT`, `SUBMITTED`, `TRANSLATION`, `REVIEW`, `SCHEDULED`, `PUBLISHED`
    /// or `ARCHIVED`.
    pub stage: String,
    /// Bumped on every write; compare-and-set updates check it.
    pub version: i32,
    /// The current review round; 0 before the paper first enters REVIEW.
    pub review_round: i32,
    /// Link to the original publication elsewhere, if any.
    pub original_url: Option<String>,
    pub created_by: i64,
    pub published_at: Option<DateTimeUtc>,
    /// The paper's key in the publisher's own catalogue, set by an import.
    #[sea_orm(unique)]
    pub external_key: Option<String>,
    /// The announcement's dateline: place, date and issuing line.
    pub dateline_place: Option<String>,
    pub dateline_date: Option<Date>,
    pub dateline_issuer: Option<String>,
    /// When a SCHEDULED paper is to be published; NULL in other stages.
    pub publish_at: Option<DateTimeUtc>,
    /// Why its release at `publish_at` was held back, if it was.
    pub release_held_back: Option<String>,
    /// When it was last corrected after publication, and the note saying
    /// what changed and why (public).
    pub corrected_at: Option<DateTimeUtc>,
    pub correction_note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::series::Entity",
        from = "Column::SeriesId",
        to = "super::series::Column::Id",
        on_delete = "Restrict"
    )]
    Series,
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::CreatedBy",
        to = "super::user::Column::Id",
        on_delete = "Restrict"
    )]
    Creator,
    #[sea_orm(has_many = "super::contributor::Entity")]
    Contributor,
    #[sea_orm(has_many = "super::paper_text::Entity")]
    PaperText,
    #[sea_orm(has_many = "super::translation_task::Entity")]
    TranslationTask,
    #[sea_orm(has_many = "super::review::Entity")]
    Review,
    #[sea_orm(has_many = "super::stage_event::Entity")]
    StageEvent,
}

impl Related<super::series::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Series.def()
    }
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Creator.def()
    }
}

impl Related<super::contributor::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Contributor.def()
    }
}

impl Related<super::paper_text::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PaperText.def()
    }
}

impl Related<super::translation_task::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::TranslationTask.def()
    }
}

impl Related<super::review::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Review.def()
    }
}

impl Related<super::stage_event::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::StageEvent.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
