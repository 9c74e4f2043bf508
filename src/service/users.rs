//! Accounts: logging in, resolving a token to a viewer, and the admin's
//! management of users and roles.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use crate::app::AppState;
use crate::auth::{self, IssuedToken};
use crate::domain::{
    Actor, DisplayName, DomainError, Email, NewPassword, Role, Roles, TextField, Viewer,
};
use crate::store::users::{self, NewUserRow, UserRow};
use crate::store::{self, StoreError};

use super::ServiceResult;

/// A new account as someone asked for it, before validation.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub password: String,
    pub roles: Vec<Role>,
    pub position: Option<String>,
    pub affiliation: Option<String>,
}

fn session_ended() -> DomainError {
    DomainError::Unauthenticated("your session has ended: log in again".into())
}

/// Turns a bearer token into the viewer it stands for. The user is re-read
/// on every request, so a disabled account, a changed role or a "log out
/// everywhere" takes effect at once.
pub async fn authenticate(state: &AppState, token: &str) -> ServiceResult<Viewer> {
    let claims = state.keys.verify(token).ok_or_else(|| {
        DomainError::Unauthenticated("the token is invalid or has expired: log in again".into())
    })?;
    let user_id = claims.user_id().ok_or_else(session_ended)?;
    let user = users::find(&state.db, user_id)
        .await?
        .filter(|user| !user.disabled && user.token_version == claims.ver)
        .ok_or_else(session_ended)?;
    Ok(Viewer::User(Actor {
        id: user.id,
        roles: roles_of(&user)?,
    }))
}

/// The viewer a command-line tool acts as: the enabled account with this
/// e-mail, by the operator's word (no password: they hold the database).
pub async fn acting_as(db: &DatabaseConnection, email: &str) -> ServiceResult<Viewer> {
    let email = Email::parse(email)?;
    let user = users::find_by_email(db, email.as_str())
        .await?
        .filter(|user| !user.disabled)
        .ok_or_else(|| {
            DomainError::bad_input(format!(
                "no enabled account has the e-mail {}",
                email.as_str()
            ))
        })?;
    Ok(Viewer::User(Actor {
        id: user.id,
        roles: roles_of(&user)?,
    }))
}

/// The roles stored on a user row.
pub fn roles_of(user: &UserRow) -> ServiceResult<Roles> {
    Roles::parse(&user.roles)
        .map_err(|_| StoreError::Corrupt(format!("user {} has unreadable roles", user.id)).into())
}

/// Checks a password and issues a token; answers with the viewer the
/// token stands for. An unknown e-mail, a wrong
/// password and a disabled account all get the same answer, so the API does
/// not tell which addresses have accounts.
pub async fn login(
    state: &AppState,
    email: &str,
    password: String,
) -> ServiceResult<(IssuedToken, UserRow, Viewer)> {
    let refused = || DomainError::Unauthenticated("wrong e-mail or password".into());
    TextField::EMAIL.exact(email)?;
    TextField::PASSWORD.exact(&password)?;
    let user = match Email::parse(email) {
        Ok(email) => users::find_by_email(&state.db, email.as_str()).await?,
        Err(_) => None,
    };
    let stored_hash = user.as_ref().map(|user| user.password_hash.clone());
    let password_ok = auth::verify_password(password, stored_hash).await;
    let user = user
        .filter(|user| password_ok && !user.disabled)
        .ok_or_else(refused)?;
    let token = state
        .keys
        .issue(user.id, user.token_version, state.clock.now())?;
    let viewer = Viewer::User(Actor {
        id: user.id,
        roles: roles_of(&user)?,
    });
    Ok((token, user, viewer))
}

/// The viewer's own account, if signed in.
pub async fn me(state: &AppState, viewer: &Viewer) -> ServiceResult<Option<UserRow>> {
    match viewer.user_id() {
        Some(id) => Ok(users::find(&state.db, id).await?),
        None => Ok(None),
    }
}

/// Creates an account without asking who wants it: for the command line and
/// the demo seed, which run with the operator's authority.
pub async fn register(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    new: NewUser,
) -> ServiceResult<UserRow> {
    let email = Email::parse(&new.email)?;
    let display_name = DisplayName::parse(&new.display_name)?;
    let password = NewPassword::parse(new.password)?;
    let position = TextField::POSITION
        .optional(new.position.as_deref())?
        .map(String::from);
    let affiliation = TextField::AFFILIATION
        .optional(new.affiliation.as_deref())?
        .map(String::from);
    let roles: Roles = new.roles.into_iter().collect();
    let password_hash = auth::hash_password(password.as_str().to_owned()).await?;
    let row = NewUserRow {
        email: email.into_inner(),
        display_name: display_name.into_inner(),
        position,
        affiliation,
        password_hash,
        roles: roles.to_string(),
    };
    users::insert(db, row, now).await.map_err(|err| match err {
        StoreError::UniqueViolation(_) => {
            DomainError::bad_input("a user with this e-mail address already exists").into()
        }
        other => other.into(),
    })
}

/// An admin creates an account.
pub async fn create_user(
    state: &AppState,
    viewer: &Viewer,
    new: NewUser,
) -> ServiceResult<UserRow> {
    viewer.require(Role::Admin)?;
    register(&state.db, state.clock.now(), new).await
}

/// An admin replaces a user's roles. An admin cannot drop their own ADMIN
/// role, so the office never locks itself out by accident.
pub async fn set_user_roles(
    state: &AppState,
    viewer: &Viewer,
    user_id: i64,
    roles: Vec<Role>,
) -> ServiceResult<UserRow> {
    let admin = viewer.require(Role::Admin)?;
    let roles: Roles = roles.into_iter().collect();
    if admin.id == user_id && !roles.contains(Role::Admin) {
        return Err(DomainError::bad_input("you cannot remove your own ADMIN role").into());
    }
    let tx = store::begin_write(&state.db).await?;
    let user = users::set_roles(&tx, user_id, roles.to_string(), state.clock.now())
        .await?
        .ok_or(DomainError::NotFound("user"))?;
    tx.commit().await?;
    Ok(user)
}

/// An admin disables or re-enables an account. Disabling revokes its tokens.
pub async fn set_user_disabled(
    state: &AppState,
    viewer: &Viewer,
    user_id: i64,
    disabled: bool,
) -> ServiceResult<UserRow> {
    let admin = viewer.require(Role::Admin)?;
    if admin.id == user_id && disabled {
        return Err(DomainError::bad_input("you cannot disable your own account").into());
    }
    let tx = store::begin_write(&state.db).await?;
    let user = users::set_disabled(&tx, user_id, disabled, state.clock.now())
        .await?
        .ok_or(DomainError::NotFound("user"))?;
    tx.commit().await?;
    Ok(user)
}

/// Revokes every token the viewer holds, this one included.
pub async fn log_out_everywhere(state: &AppState, viewer: &Viewer) -> ServiceResult<()> {
    let actor = viewer.require_user()?;
    users::bump_token_version(&state.db, actor.id, state.clock.now()).await?;
    Ok(())
}

/// A page of users for an admin, in id order, and the total count.
pub async fn list_users(
    state: &AppState,
    viewer: &Viewer,
    after_id: Option<i64>,
    limit: u64,
) -> ServiceResult<(Vec<UserRow>, u64)> {
    viewer.require(Role::Admin)?;
    let page = users::page(&state.db, after_id, limit).await?;
    let total = users::count(&state.db).await?;
    Ok((page, total))
}
