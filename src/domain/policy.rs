//! Who may see what. Each rule is one function so the API and the store ask
//! the same question the same way.

use super::{Role, Viewer};

/// E-mail addresses, roles and account state are visible to the account's
/// owner, editors and admins only.
pub fn may_see_account_details(viewer: &Viewer, user_id: i64) -> bool {
    viewer.user_id() == Some(user_id) || viewer.has(Role::Editor) || viewer.has(Role::Admin)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Actor;

    #[test]
    fn account_details_are_for_the_owner_editors_and_admins() {
        let as_user = |id: i64, roles: &[Role]| {
            Viewer::User(Actor {
                id,
                roles: roles.iter().copied().collect(),
            })
        };
        let cases = [
            (Viewer::Anonymous, false),
            (as_user(1, &[Role::Author]), true),
            (as_user(2, &[Role::Author]), false),
            (as_user(2, &[Role::Translator, Role::Reviewer]), false),
            (as_user(2, &[Role::Editor]), true),
            (as_user(2, &[Role::Admin]), true),
        ];
        for (viewer, expected) in cases {
            assert_eq!(may_see_account_details(&viewer, 1), expected, "{viewer:?}");
        }
    }
}
