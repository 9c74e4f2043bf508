use async_graphql::{Context, ID, InputObject, Object};

use crate::graphql::types::{LoginPayload, RoleValue, User};
use crate::graphql::{ApiResult, app, parse_id, viewer};
use crate::service::users::{self, NewUser};

#[derive(Default)]
pub struct UserMutation;

/// A new account.
#[derive(InputObject)]
pub struct CreateUserInput {
    /// Unique without regard to case.
    pub email: String,
    pub display_name: String,
    /// At least 10 characters.
    pub password: String,
    pub roles: Vec<RoleValue>,
    pub position: Option<String>,
    pub affiliation: Option<String>,
}

#[Object]
impl UserMutation {
    /// Exchanges an e-mail and password for a token. A wrong e-mail and a
    /// wrong password get the same error.
    async fn login(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
    ) -> ApiResult<LoginPayload> {
        let (issued, row, viewer) = users::login(app(ctx)?, &email, password).await?;
        Ok(LoginPayload {
            token: issued.token,
            expires_at: issued.expires_at,
            user: User::for_viewer(row, &viewer),
        })
    }

    /// Revokes every token of the signed-in user, this one included.
    async fn log_out_everywhere(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        users::log_out_everywhere(app(ctx)?, &viewer(ctx)).await?;
        Ok(true)
    }

    /// Creates an account. Admins only.
    async fn create_user(&self, ctx: &Context<'_>, input: CreateUserInput) -> ApiResult<User> {
        let new = NewUser {
            email: input.email,
            display_name: input.display_name,
            password: input.password,
            roles: input.roles.into_iter().map(Into::into).collect(),
            position: input.position,
            affiliation: input.affiliation,
        };
        let viewer = viewer(ctx);
        let row = users::create_user(app(ctx)?, &viewer, new).await?;
        Ok(User::for_viewer(row, &viewer))
    }

    /// Replaces a user's roles; takes effect on the user's next request.
    /// Admins only.
    async fn set_user_roles(
        &self,
        ctx: &Context<'_>,
        id: ID,
        roles: Vec<RoleValue>,
    ) -> ApiResult<User> {
        let id = parse_id(&id, "user")?;
        let roles = roles.into_iter().map(Into::into).collect();
        let viewer = viewer(ctx);
        let row = users::set_user_roles(app(ctx)?, &viewer, id, roles).await?;
        Ok(User::for_viewer(row, &viewer))
    }

    /// Disables an account and revokes its tokens at once. Admins only.
    async fn disable_user(&self, ctx: &Context<'_>, id: ID) -> ApiResult<User> {
        let id = parse_id(&id, "user")?;
        let viewer = viewer(ctx);
        let row = users::set_user_disabled(app(ctx)?, &viewer, id, true).await?;
        Ok(User::for_viewer(row, &viewer))
    }

    /// Enables a disabled account; its old tokens stay revoked. Admins only.
    async fn enable_user(&self, ctx: &Context<'_>, id: ID) -> ApiResult<User> {
        let id = parse_id(&id, "user")?;
        let viewer = viewer(ctx);
        let row = users::set_user_disabled(app(ctx)?, &viewer, id, false).await?;
        Ok(User::for_viewer(row, &viewer))
    }
}
