//! What a user account is made of, parsed at the boundary so the rest of the
//! code only ever sees valid values.

use super::DomainError;

/// An e-mail address, trimmed and lower-cased: addresses are unique without
/// regard to case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let email = input.trim().to_lowercase();
        let invalid = || DomainError::bad_input(format!("{input:?} is not an e-mail address"));
        if email.len() > 254 || email.chars().any(char::is_whitespace) {
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
        let name = input.trim();
        match name.chars().count() {
            0 => Err(DomainError::bad_input("a name must not be empty")),
            1..=200 => Ok(DisplayName(name.to_owned())),
            _ => Err(DomainError::bad_input(
                "a name must be at most 200 characters",
            )),
        }
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
    pub const MAX_BYTES: usize = 1024;

    pub fn parse(input: String) -> Result<Self, DomainError> {
        if input.chars().count() < Self::MIN_CHARS {
            return Err(DomainError::bad_input(format!(
                "a password must be at least {} characters",
                Self::MIN_CHARS
            )));
        }
        if input.len() > Self::MAX_BYTES {
            return Err(DomainError::bad_input(format!(
                "a password must be at most {} bytes",
                Self::MAX_BYTES
            )));
        }
        Ok(NewPassword(input))
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

/// An optional free-text line (a position, an affiliation): trimmed, empty
/// means absent, at most 300 characters.
pub fn optional_line(field: &str, input: Option<&str>) -> Result<Option<String>, DomainError> {
    let Some(value) = input.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if value.chars().count() > 300 {
        return Err(DomainError::bad_input(format!(
            "{field} must be at most 300 characters"
        )));
    }
    Ok(Some(value.to_owned()))
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
        assert_eq!(
            format!("{:?}", NewPassword::parse("long enough".into())),
            "Ok(NewPassword(<redacted>))"
        );
    }

    #[test]
    fn optional_lines_treat_blank_as_absent() {
        assert_eq!(optional_line("position", None), Ok(None));
        assert_eq!(optional_line("position", Some("  ")), Ok(None));
        assert_eq!(
            optional_line("position", Some(" Deputy Minister ")),
            Ok(Some("Deputy Minister".into()))
        );
        assert!(optional_line("position", Some(&"x".repeat(301))).is_err());
    }
}
