//! Roles a user may hold, and the set of them a user holds.

use std::fmt;
use std::str::FromStr;

use super::DomainError;

/// What a user may do in the editorial office. A user holds any set of roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Author,
    Translator,
    Reviewer,
    Editor,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Author,
        Role::Translator,
        Role::Reviewer,
        Role::Editor,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Author => "AUTHOR",
            Role::Translator => "TRANSLATOR",
            Role::Reviewer => "REVIEWER",
            Role::Editor => "EDITOR",
            Role::Admin => "ADMIN",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// Role names are accepted in any case: `editor`, `Editor`, `EDITOR`.
impl FromStr for Role {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                DomainError::bad_input(format!(
                    "unknown role {s:?}; expected one of AUTHOR, TRANSLATOR, REVIEWER, EDITOR, ADMIN"
                ))
            })
    }
}

/// A set of roles; stored as a comma-separated list of role names.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Roles(u8);

impl Roles {
    pub fn contains(self, role: Role) -> bool {
        self.0 & role.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = Role> {
        Role::ALL
            .into_iter()
            .filter(move |role| self.contains(*role))
    }

    /// Reads the stored form; unknown names are an error, since they mean the
    /// database was written by something else.
    pub fn parse(stored: &str) -> Result<Self, DomainError> {
        stored
            .split(',')
            .filter(|name| !name.trim().is_empty())
            .map(str::parse)
            .collect()
    }
}

impl FromIterator<Role> for Roles {
    fn from_iter<I: IntoIterator<Item = Role>>(iter: I) -> Self {
        Roles(iter.into_iter().fold(0, |bits, role| bits | role.bit()))
    }
}

impl fmt::Display for Roles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.iter().map(Role::as_str).collect();
        f.write_str(&names.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_parse_in_any_case() {
        for (input, expected) in [
            ("author", Role::Author),
            ("Translator", Role::Translator),
            ("REVIEWER", Role::Reviewer),
            (" editor ", Role::Editor),
            ("aDmIn", Role::Admin),
        ] {
            assert_eq!(input.parse::<Role>(), Ok(expected), "{input}");
        }
        assert!("publisher".parse::<Role>().is_err());
        assert!("".parse::<Role>().is_err());
    }

    #[test]
    fn roles_round_trip_through_their_stored_form() {
        let roles: Roles = [Role::Editor, Role::Author, Role::Editor]
            .into_iter()
            .collect();
        assert_eq!(roles.to_string(), "AUTHOR,EDITOR");
        assert_eq!(Roles::parse("AUTHOR,EDITOR"), Ok(roles));
        assert_eq!(Roles::parse(""), Ok(Roles::default()));
        assert!(Roles::parse("AUTHOR,WIZARD").is_err());
    }

    #[test]
    fn roles_contain_exactly_what_was_put_in() {
        let roles: Roles = [Role::Reviewer].into_iter().collect();
        for role in Role::ALL {
            assert_eq!(roles.contains(role), role == Role::Reviewer, "{role}");
        }
    }
}
