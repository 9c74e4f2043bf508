//! Who is asking: the one input every access rule takes.

use super::{DomainError, Role, Roles};

/// A signed-in user, as re-read from the database for this request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Actor {
    pub id: i64,
    pub roles: Roles,
}

impl Actor {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(role)
    }
}

/// The viewer of a request: nobody, or a user with a set of roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Viewer {
    #[default]
    Anonymous,
    User(Actor),
}

impl Viewer {
    pub fn actor(&self) -> Option<&Actor> {
        match self {
            Viewer::Anonymous => None,
            Viewer::User(actor) => Some(actor),
        }
    }

    pub fn user_id(&self) -> Option<i64> {
        self.actor().map(|actor| actor.id)
    }

    pub fn has(&self, role: Role) -> bool {
        self.actor().is_some_and(|actor| actor.has(role))
    }

    /// The signed-in user, or UNAUTHENTICATED.
    pub fn require_user(&self) -> Result<&Actor, DomainError> {
        self.actor().ok_or_else(|| {
            DomainError::Unauthenticated("sign in first: this needs a logged-in user".into())
        })
    }

    /// The signed-in user holding `role`, or UNAUTHENTICATED / FORBIDDEN.
    pub fn require(&self, role: Role) -> Result<&Actor, DomainError> {
        let actor = self.require_user()?;
        if actor.has(role) {
            Ok(actor)
        } else {
            Err(DomainError::forbidden(format!(
                "this needs the {role} role, which you do not hold"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(roles: &[Role]) -> Viewer {
        Viewer::User(Actor {
            id: 7,
            roles: roles.iter().copied().collect(),
        })
    }

    #[test]
    fn requiring_a_role_tells_anonymous_from_forbidden() {
        assert!(matches!(
            Viewer::Anonymous.require(Role::Admin),
            Err(DomainError::Unauthenticated(_))
        ));
        assert!(matches!(
            user(&[Role::Editor]).require(Role::Admin),
            Err(DomainError::Forbidden(_))
        ));
        assert_eq!(
            user(&[Role::Admin]).require(Role::Admin).map(|a| a.id),
            Ok(7)
        );
    }
}
