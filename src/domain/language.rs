//! Languages as BCP 47 tags: `ru`, `en`, `zh-Hans`.

use std::fmt;

use language_tags::LanguageTag;

use super::DomainError;

/// A well-formed and registered BCP 47 tag, in its conventional case
/// (`en-US`, `zh-Hans`), so equal languages compare equal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Language(String);

impl Language {
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let invalid = || {
            DomainError::bad_input(format!(
                "{input:?} is not a BCP 47 language tag (try \"ru\", \"en\" or \"zh-Hans\")"
            ))
        };
        let tag = LanguageTag::parse(input.trim()).map_err(|_| invalid())?;
        tag.validate().map_err(|_| invalid())?;
        Ok(Language(tag.into_string()))
    }

    /// A tag a person sent in the input field `field`, which errors name.
    pub fn parse_input(field: &'static str, input: &str) -> Result<Self, DomainError> {
        Self::parse(input).map_err(|err| DomainError::invalid(field, err))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The language's English name where we know it, for messages a person
    /// reads ("the English summary"); otherwise the tag itself.
    pub fn display_name(&self) -> &str {
        let primary = self.0.split('-').next().unwrap_or_default();
        match primary {
            "en" => "English",
            "ru" => "Russian",
            "zh" => "Chinese",
            "fr" => "French",
            "de" => "German",
            "es" => "Spanish",
            "ar" => "Arabic",
            _ => &self.0,
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_validated_and_normalised() {
        for (input, expected) in [
            ("ru", Some("ru")),
            ("EN", Some("en")),
            ("en-us", Some("en-US")),
            ("zh-hans", Some("zh-Hans")),
            (" de ", Some("de")),
            ("", None),
            ("english", None),
            ("en_US", None),
            ("12", None),
            ("en--US", None),
        ] {
            let parsed = Language::parse(input).ok();
            assert_eq!(parsed.as_ref().map(Language::as_str), expected, "{input:?}");
        }
    }

    #[test]
    fn well_known_languages_have_names() {
        assert_eq!(
            Language::parse("en-GB").map(|l| l.display_name().to_owned()),
            Ok("English".into())
        );
        assert_eq!(
            Language::parse("hy").map(|l| l.display_name().to_owned()),
            Ok("hy".into())
        );
    }
}
