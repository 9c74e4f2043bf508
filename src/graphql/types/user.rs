use async_graphql::connection::{Connection, EmptyFields};
use async_graphql::{Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};

use crate::domain::{Viewer, policy};
use crate::service::users::roles_of;
use crate::store::users::UserRow;

use crate::graphql::ApiResult;

/// What a user may do in the editorial office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(name = "Role", remote = "crate::domain::Role")]
pub enum RoleValue {
    /// Writes papers and submits them.
    Author,
    /// Claims translation tasks and submits translations.
    Translator,
    /// Reviews papers on request.
    Reviewer,
    /// Runs the workflow: moves papers, manages tasks and reviews, publishes.
    Editor,
    /// Manages users and roles.
    Admin,
}

/// A person with an account.
pub struct User {
    row: UserRow,
    /// Whether the viewer may see e-mail, roles and account state; decided
    /// once, by the policy, when the user is loaded.
    details_visible: bool,
}

impl User {
    pub fn for_viewer(row: UserRow, viewer: &Viewer) -> Self {
        let details_visible = policy::may_see_account_details(viewer, row.id);
        User {
            row,
            details_visible,
        }
    }
}

#[Object]
impl User {
    async fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }

    /// Visible to the user, editors and admins only; null for others.
    async fn email(&self) -> Option<&str> {
        self.details_visible.then_some(self.row.email.as_str())
    }

    /// The name credited on papers.
    async fn display_name(&self) -> &str {
        &self.row.display_name
    }

    /// Job title, e.g. "Deputy Minister of Foreign Affairs".
    async fn position(&self) -> Option<&str> {
        self.row.position.as_deref()
    }

    /// Organisation, e.g. "Russian Foreign Ministry".
    async fn affiliation(&self) -> Option<&str> {
        self.row.affiliation.as_deref()
    }

    /// Visible to the user, editors and admins only; null for others.
    async fn roles(&self) -> ApiResult<Option<Vec<RoleValue>>> {
        if !self.details_visible {
            return Ok(None);
        }
        let roles = roles_of(&self.row)?;
        Ok(Some(roles.iter().map(RoleValue::from).collect()))
    }

    /// Whether the account is disabled. Visible to the user, editors and
    /// admins only; null for others.
    async fn disabled(&self) -> Option<bool> {
        self.details_visible.then_some(self.row.disabled)
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }
}

/// Totals that come with a page of users.
#[derive(SimpleObject)]
pub struct UserTotals {
    /// How many users there are in all.
    pub total_count: u64,
}

/// A page of users.
pub type UserConnection = Connection<String, User, UserTotals, EmptyFields>;

/// What `login` answers.
#[derive(SimpleObject)]
pub struct LoginPayload {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    /// When the token stops working.
    pub expires_at: DateTime<Utc>,
    pub user: User,
}
