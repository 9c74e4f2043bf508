//! Text as people send it, parsed once. Every text input goes through a
//! [`TextField`]: it names the field in errors, caps its length, and yields a
//! [`PlainText`], which cannot hold NUL or any other control character but
//! tab, newline and carriage return. Both databases therefore store the same
//! texts, and PostgreSQL never sees a NUL it would refuse.

use std::fmt;

use super::DomainError;

/// One text input of the API: its name as the API spells it, and the most
/// characters it may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextField {
    pub name: &'static str,
    pub max_chars: usize,
}

impl TextField {
    pub const TITLE: TextField = TextField::new("title", 500);
    pub const ABSTRACT: TextField = TextField::new("abstract", 20_000);
    pub const KEY_FINDING: TextField = TextField::new("keyFindings", 2_000);
    pub const BODY: TextField = TextField::new("body", 200_000);
    pub const NOTE: TextField = TextField::new("note", 2_000);
    pub const COMMENTS: TextField = TextField::new("comments", 20_000);
    pub const NAME: TextField = TextField::new("name", 200);
    pub const DISPLAY_NAME: TextField = TextField::new("displayName", 200);
    pub const POSITION: TextField = TextField::new("position", 300);
    pub const AFFILIATION: TextField = TextField::new("affiliation", 300);
    pub const DESCRIPTION: TextField = TextField::new("description", 2_000);
    pub const ORIGINAL_URL: TextField = TextField::new("originalUrl", 2_000);
    pub const EMAIL: TextField = TextField::new("email", 254);
    pub const PASSWORD: TextField = TextField::new("password", 1_024);
    pub const SLUG: TextField = TextField::new("slug", 80);
    pub const SEARCH: TextField = TextField::new("search", 256);
    pub const CONTRIBUTOR: TextField = TextField::new("contributor", 200);
    pub const PLACE: TextField = TextField::new("place", 100);
    pub const ISSUER: TextField = TextField::new("issuer", 200);
    pub const EXTERNAL_KEY: TextField = TextField::new("key", 200);

    /// Every text field, for the README's table of caps.
    pub const ALL: &[TextField] = &[
        Self::TITLE,
        Self::ABSTRACT,
        Self::KEY_FINDING,
        Self::BODY,
        Self::NOTE,
        Self::COMMENTS,
        Self::NAME,
        Self::DISPLAY_NAME,
        Self::POSITION,
        Self::AFFILIATION,
        Self::DESCRIPTION,
        Self::ORIGINAL_URL,
        Self::EMAIL,
        Self::PASSWORD,
        Self::SLUG,
        Self::SEARCH,
        Self::CONTRIBUTOR,
        Self::PLACE,
        Self::ISSUER,
        Self::EXTERNAL_KEY,
    ];

    pub const fn new(name: &'static str, max_chars: usize) -> Self {
        TextField { name, max_chars }
    }

    /// An error about this field, in the form every input error takes.
    pub fn error(self, reason: impl fmt::Display) -> DomainError {
        DomainError::invalid(self.name, reason)
    }

    /// A value kept exactly as sent (a password): no trimming.
    pub fn exact(self, input: &str) -> Result<PlainText, DomainError> {
        if let Some((at, c)) = input.chars().enumerate().find(|(_, c)| !allowed(*c)) {
            return Err(self.error(format_args!(
                "control character U+{:04X} at character {} is not allowed (only tab, newline and carriage return are)",
                u32::from(c),
                at + 1
            )));
        }
        let chars = input.chars().count();
        if chars > self.max_chars {
            return Err(self.error(format_args!(
                "at most {} characters (got {chars})",
                self.max_chars
            )));
        }
        Ok(PlainText(input.to_owned()))
    }

    /// A value that must be given: trimmed, and not blank.
    pub fn required(self, input: &str) -> Result<PlainText, DomainError> {
        let text = self.exact(input.trim())?;
        if text.0.is_empty() {
            return Err(self.error("must not be empty"));
        }
        Ok(text)
    }

    /// A value that may be left out: trimmed; blank means absent.
    pub fn optional(self, input: Option<&str>) -> Result<Option<PlainText>, DomainError> {
        match input.map(str::trim).filter(|value| !value.is_empty()) {
            Some(value) => self.exact(value).map(Some),
            None => Ok(None),
        }
    }
}

/// Whether a character may appear in text: anything but the C0 controls and
/// DEL, except tab, newline and carriage return.
fn allowed(c: char) -> bool {
    !c.is_ascii_control() || matches!(c, '\t' | '\n' | '\r')
}

/// Text that passed a [`TextField`]: no NUL, no control character but tab,
/// newline and carriage return, within its field's cap.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct PlainText(String);

impl PlainText {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<PlainText> for String {
    fn from(text: PlainText) -> Self {
        text.0
    }
}

impl fmt::Display for PlainText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(result: Result<PlainText, DomainError>) -> String {
        result.err().map(|err| err.to_string()).unwrap_or_default()
    }

    #[test]
    fn control_characters_are_refused_by_name_and_place() {
        for c in ['\0', '\u{7}', '\u{8}', '\u{1b}', '\u{1f}', '\u{7f}'] {
            let input = format!("ab{c}c");
            assert_eq!(
                message(TextField::TITLE.required(&input)),
                format!(
                    "title: control character U+{:04X} at character 3 is not allowed (only tab, newline and carriage return are)",
                    u32::from(c)
                )
            );
        }
        let kept = "line one\r\n\tline two — Ёжик";
        assert_eq!(
            TextField::BODY.required(kept).map(String::from),
            Ok(kept.to_owned())
        );
    }

    #[test]
    fn caps_count_characters_not_bytes() {
        let field = TextField::new("title", 3);
        assert!(field.required("ёжи").is_ok());
        assert_eq!(
            message(field.required("ёжик")),
            "title: at most 3 characters (got 4)"
        );
    }

    #[test]
    fn blank_is_absent_or_refused() {
        assert_eq!(TextField::NOTE.optional(Some(" \n ")), Ok(None));
        assert_eq!(TextField::NOTE.optional(None), Ok(None));
        assert_eq!(
            message(TextField::TITLE.required("  ")),
            "title: must not be empty"
        );
        assert_eq!(
            TextField::PASSWORD.exact("  spaced  ").map(String::from),
            Ok("  spaced  ".to_owned())
        );
    }
}
