//! What a user account is made of, parsed at the boundary so the rest of the
//! code only ever sees valid values.

use super::{DomainError, TextField};

/// An e-mail address, trimmed and lower-cased: addresses are unique without
/// regard to case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let email = TextField::EMAIL.required(input)?.as_str().to_lowercase();
        let invalid =
            || TextField::EMAIL.error(format_args!("{:?} is not an e-mail address", input.trim()));
        if email.chars().any(char::is_whitespace) {
            return Err(invalid());
        }
        let (local, domain) = email.split_once('@').ok_or_else(invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.contains('@')
            && !domain.starts_with('.')
            && !domain.ends_with('.');
        if local.is_empty() || !domain_ok {
            return Err(invalid());
        }
        Ok(Email(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A person's name as shown on papers and in the office: 1 to 200 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        Ok(DisplayName(TextField::DISPLAY_NAME.required(input)?.into()))
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A new password: long enough to resist guessing, short enough that hashing
/// it is not a denial of service.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN_CHARS: usize = 10;

    pub fn parse(input: String) -> Result<Self, DomainError> {
        let password = TextField::PASSWORD.exact(&input)?;
        if password.as_str().chars().count() < Self::MIN_CHARS {
            return Err(
                TextField::PASSWORD.error(format_args!("at least {} characters", Self::MIN_CHARS))
            );
        }
        Ok(NewPassword(password.into()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_or_refused() {
        for (input, expected) in [
            ("editor@imprint.test", Some("editor@imprint.test")),
            ("  Editor@Imprint.TEST ", Some("editor@imprint.test")),
            ("a.b+c@pircenter.org", Some("a.b+c@pircenter.org")),
            ("", None),
            ("editor", None),
            ("@imprint.test", None),
            ("editor@", None),
            ("editor@localhost", None),
            ("ed itor@imprint.test", None),
            ("a@b@imprint.test", None),
            ("editor@.test", None),
        ] {
            let parsed = Email::parse(input).ok();
            assert_eq!(parsed.as_ref().map(Email::as_str), expected, "{input:?}");
        }
    }

    #[test]
    fn display_names_are_trimmed_and_bounded() {
        assert_eq!(
            DisplayName::parse("  Sergey Ryabkov ").map(DisplayName::into_inner),
            Ok("Sergey Ryabkov".to_owned())
        );
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"я".repeat(201)).is_err());
        assert!(DisplayName::parse(&"я".repeat(200)).is_ok());
    }

    #[test]
    fn passwords_have_a_floor_and_a_ceiling() {
        assert!(NewPassword::parse("short".into()).is_err());
        assert!(NewPassword::parse("long enough".into()).is_ok());
        assert!(NewPassword::parse("x".repeat(1025)).is_err());
        assert!(NewPassword::parse("long enough\0".into()).is_err());
        assert_eq!(
            format!("{:?}", NewPassword::parse("long enough".into())),
            "Ok(NewPassword(<redacted>))"
        );
    }
}
