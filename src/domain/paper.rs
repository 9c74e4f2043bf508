//! What a paper is made of: its texts, key findings and contributors,
//! parsed at the boundary.

use std::fmt;
use std::str::FromStr;

use super::task::text_enum;
use super::{DomainError, TaskKind, TextField};

/// Which version of the paper a text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextKind {
    Original,
    Full,
    Summary,
}

text_enum!(TextKind { Original => "ORIGINAL", Full => "FULL", Summary => "SUMMARY" });

impl From<TaskKind> for TextKind {
    fn from(kind: TaskKind) -> Self {
        match kind {
            TaskKind::Full => TextKind::Full,
            TaskKind::Summary => TextKind::Summary,
        }
    }
}

const MAX_FINDINGS: usize = 50;
/// The most people credited on one paper.
pub const MAX_CONTRIBUTORS: usize = 50;

/// Changes to a text's content; absent fields stay as they are, and
/// `Some(None)` clears the abstract or the body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TextEdit {
    pub title: Option<String>,
    pub abstract_text: Option<Option<String>>,
    pub key_findings: Option<Vec<String>>,
    pub body: Option<Option<String>>,
}

/// The content of one text: title, abstract, key findings in order, body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TextContent {
    pub title: String,
    pub abstract_text: Option<String>,
    pub key_findings: Vec<String>,
    pub body: Option<String>,
}

impl TextContent {
    /// Parses a text. The title is required; blank optional parts are absent.
    pub fn parse(
        title: &str,
        abstract_text: Option<&str>,
        key_findings: &[String],
        body: Option<&str>,
    ) -> Result<Self, DomainError> {
        if key_findings.len() > MAX_FINDINGS {
            return Err(TextField::KEY_FINDING.error(format_args!(
                "at most {MAX_FINDINGS} key findings (got {})",
                key_findings.len()
            )));
        }
        let key_findings = key_findings
            .iter()
            .map(|finding| TextField::KEY_FINDING.required(finding).map(String::from))
            .collect::<Result<_, _>>()?;
        Ok(TextContent {
            title: TextField::TITLE.required(title)?.into(),
            abstract_text: TextField::ABSTRACT
                .optional(abstract_text)?
                .map(String::from),
            key_findings,
            body: TextField::BODY.optional(body)?.map(String::from),
        })
    }

    /// The text with `edit` applied, parsed as a whole.
    pub fn edited(&self, edit: &TextEdit) -> Result<Self, DomainError> {
        let abstract_text = edit.abstract_text.as_ref().unwrap_or(&self.abstract_text);
        let body = edit.body.as_ref().unwrap_or(&self.body);
        TextContent::parse(
            edit.title.as_deref().unwrap_or(&self.title),
            abstract_text.as_deref(),
            edit.key_findings.as_ref().unwrap_or(&self.key_findings),
            body.as_deref(),
        )
    }

    pub fn has_abstract_or_body(&self) -> bool {
        self.abstract_text.is_some() || self.body.is_some()
    }

    /// A translation must say something: a title and a summary or body; a
    /// SUMMARY also needs its key findings.
    pub fn check_translation(&self, kind: TaskKind) -> Result<(), DomainError> {
        if !self.has_abstract_or_body() {
            return Err(DomainError::bad_input(
                "a translation needs a summary (abstract) or a body",
            ));
        }
        if kind == TaskKind::Summary && self.key_findings.is_empty() {
            return Err(DomainError::bad_input(
                "a SUMMARY translation needs its key findings",
            ));
        }
        Ok(())
    }
}

/// A person credited on a paper, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContributorInput {
    pub name: String,
    pub position: Option<String>,
    pub affiliation: Option<String>,
    /// Set when the contributor has an account; external authors have none.
    pub user_id: Option<i64>,
}

/// Checks a list of contributors: at most 50, each with a name.
pub fn parse_contributors(
    input: Vec<ContributorInput>,
) -> Result<Vec<ContributorInput>, DomainError> {
    if input.len() > MAX_CONTRIBUTORS {
        return Err(DomainError::invalid(
            "contributors",
            format_args!("at most {MAX_CONTRIBUTORS} (got {})", input.len()),
        ));
    }
    input
        .into_iter()
        .map(|contributor| {
            Ok(ContributorInput {
                name: TextField::NAME.required(&contributor.name)?.into(),
                position: TextField::POSITION
                    .optional(contributor.position.as_deref())?
                    .map(String::from),
                affiliation: TextField::AFFILIATION
                    .optional(contributor.affiliation.as_deref())?
                    .map(String::from),
                user_id: contributor.user_id,
            })
        })
        .collect()
}

/// A paper's address in URLs: lower-case ASCII letters, digits and hyphens,
/// transliterated from the title when not given ("Через равенство" →
/// "cherez-ravenstvo").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slug(String);

impl Slug {
    const MAX_LEN: usize = TextField::SLUG.max_chars;

    /// A slug given by a person must already be in slug form.
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        // The field's cap bounds the length.
        let input = TextField::SLUG.exact(input)?;
        let input = input.as_str();
        let valid = !input.is_empty()
            && input
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !input.starts_with('-')
            && !input.ends_with('-');
        if valid {
            Ok(Slug(input.to_owned()))
        } else {
            Err(TextField::SLUG.error(format_args!(
                "{input:?} is not a slug: use lower-case letters, digits and hyphens (at most {} characters)",
                Self::MAX_LEN
            )))
        }
    }

    /// A slug made from a title.
    pub fn from_title(title: &str) -> Self {
        let slug = slug::slugify(title);
        let mut slug: String = slug.chars().take(Self::MAX_LEN).collect();
        while slug.ends_with('-') {
            slug.pop();
        }
        if slug.is_empty() {
            slug = "paper".into();
        }
        Slug(slug)
    }

    /// The same slug with a numeric suffix, for when it is taken.
    pub fn with_suffix(&self, n: u32) -> Self {
        let suffix = format!("-{n}");
        let keep = Self::MAX_LEN - suffix.len();
        let base: String = self.0.chars().take(keep).collect();
        Slug(format!("{}{suffix}", base.trim_end_matches('-')))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A link to an original published elsewhere: an absolute http(s) URL.
pub fn parse_original_url(input: Option<&str>) -> Result<Option<String>, DomainError> {
    let Some(url) = TextField::ORIGINAL_URL.optional(input)? else {
        return Ok(None);
    };
    let url = url.as_str();
    let has_host = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'));
    if !has_host || url.chars().any(char::is_whitespace) {
        return Err(TextField::ORIGINAL_URL.error(format_args!("{url:?} is not an http(s) link")));
    }
    Ok(Some(url.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_become_slugs() {
        for (title, expected) in [
            (
                "Through Equality and Consensus to Lasting Global Security",
                "through-equality-and-consensus-to-lasting-global-security",
            ),
            (
                "Через равенство и консенсус",
                "cherez-ravenstvo-i-konsensus",
            ),
            ("!!!", "paper"),
        ] {
            assert_eq!(Slug::from_title(title).as_str(), expected, "{title}");
        }
        assert!(Slug::from_title(&"a".repeat(200)).as_str().len() <= 80);
        assert_eq!(
            Slug::from_title("Security Index").with_suffix(2).as_str(),
            "security-index-2"
        );
    }

    #[test]
    fn given_slugs_must_be_in_slug_form() {
        assert!(Slug::parse("security-index-2020").is_ok());
        for bad in ["", "Security", "a b", "-a", "a-", "ä", &"a".repeat(81)] {
            assert!(Slug::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn texts_need_a_title_and_bounded_parts() {
        let findings = vec!["  One finding ".to_owned()];
        let text =
            TextContent::parse(" Title ", Some("  "), &findings, Some("Body")).unwrap_or_default();
        assert_eq!(text.title, "Title");
        assert_eq!(text.abstract_text, None);
        assert_eq!(text.key_findings, vec!["One finding".to_owned()]);
        assert!(TextContent::parse("  ", None, &[], None).is_err());
        assert!(TextContent::parse("T", None, &["   ".to_owned()], None).is_err());
        assert!(TextContent::parse("T", None, &vec!["f".to_owned(); 51], None).is_err());
    }

    #[test]
    fn original_links_are_absolute_http_urls() {
        assert_eq!(parse_original_url(None), Ok(None));
        assert_eq!(parse_original_url(Some(" ")), Ok(None));
        assert_eq!(
            parse_original_url(Some("https://pircenter.org/reports/1")),
            Ok(Some("https://pircenter.org/reports/1".into()))
        );
        for bad in [
            "pircenter.org",
            "ftp://x.org",
            "https://",
            "https:///x",
            "javascript:alert(1)",
            "https://a b",
        ] {
            assert!(parse_original_url(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn translations_must_say_something() {
        let bare = TextContent::parse("Title", None, &[], None).unwrap_or_default();
        assert!(bare.check_translation(TaskKind::Full).is_err());
        let summary_without_findings =
            TextContent::parse("Title", Some("Summary"), &[], None).unwrap_or_default();
        assert!(
            summary_without_findings
                .check_translation(TaskKind::Full)
                .is_ok()
        );
        assert!(
            summary_without_findings
                .check_translation(TaskKind::Summary)
                .is_err()
        );
        let summary = TextContent::parse("Title", Some("Summary"), &["Finding".to_owned()], None)
            .unwrap_or_default();
        assert!(summary.check_translation(TaskKind::Summary).is_ok());
    }
}
