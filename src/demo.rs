//! Demo data for `serve --demo`: one account per role, seeded once. Never
//! part of a migration, so production databases hold no demo password.

use crate::app::AppState;
use crate::domain::Role;
use crate::service::users::{self, NewUser};
use crate::store;

/// Every demo account has this password. Printed at start-up.
pub const DEMO_PASSWORD: &str = "imprint-demo";

/// (e-mail, display name, role, position, affiliation)
const ACCOUNTS: [(&str, &str, Role, &str, &str); 5] = [
    (
        "admin@imprint.test",
        "Ada Admin",
        Role::Admin,
        "Systems administrator",
        "Imprint",
    ),
    (
        "editor@imprint.test",
        "Elena Editor",
        Role::Editor,
        "Managing editor",
        "Security Index",
    ),
    (
        "author@imprint.test",
        "Artem Author",
        Role::Author,
        "Senior fellow",
        "PIR Center",
    ),
    (
        "translator@imprint.test",
        "Tatiana Translator",
        Role::Translator,
        "Translator",
        "PIR Center",
    ),
    (
        "reviewer@imprint.test",
        "Roman Reviewer",
        Role::Reviewer,
        "Consultant",
        "PIR Center",
    ),
];

/// The demo accounts, as (e-mail, role), for the start-up banner.
pub fn accounts() -> impl Iterator<Item = (&'static str, Role)> {
    ACCOUNTS
        .iter()
        .map(|(email, _, role, _, _)| (*email, *role))
}

/// Seeds the demo data unless it is there already. Returns whether anything
/// was added.
pub async fn seed(state: &AppState) -> anyhow::Result<bool> {
    if store::users::find_by_email(&state.db, ACCOUNTS[0].0)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    for (email, name, role, position, affiliation) in ACCOUNTS {
        users::register(
            &state.db,
            state.clock.now(),
            NewUser {
                email: email.into(),
                display_name: name.into(),
                password: DEMO_PASSWORD.into(),
                roles: vec![role],
                position: Some(position.into()),
                affiliation: Some(affiliation.into()),
            },
        )
        .await?;
    }
    Ok(true)
}
