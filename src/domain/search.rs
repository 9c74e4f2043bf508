//! Full-text search, defined once for both databases: how a text is cut
//! into indexed terms, and the query language people type.
//!
//! A text is indexed as its words, lower-cased and stemmed with the
//! Snowball stemmer of its language (Latin-script words of a Russian text
//! with the English one), with no stop words. A query is parsed here into a
//! [`SearchQuery`] and stemmed per language by [`SearchQuery::stemmed`]; the
//! store only writes the result in each database's syntax, so one query
//! finds the same texts on PostgreSQL and SQLite.
//!
//! The language:
//!
//! - `treaty stability`: texts with every word;
//! - `"strategic stability"`: the words next to each other, in order (so is
//!   a hyphenated `arms-control`);
//! - `treaty OR agreement`: either (binds tighter than the space:
//!   `nuclear treaty OR agreement` is nuclear and either of the others);
//! - `-space`: texts without the word (or phrase); at least one word must
//!   be left to find.

use rust_stemmers::{Algorithm, Stemmer};

use super::{DomainError, TextField};

/// The most words (in terms and phrases together) a query may hold.
pub const MAX_QUERY_WORDS: usize = 16;

/// Words are indexed and searched by their first characters only; a longer
/// "word" is noise (a hash, a URL fragment) and PostgreSQL refuses huge
/// lexemes.
pub const MAX_WORD_CHARS: usize = 64;

/// Only a text's first words are indexed: PostgreSQL keeps word positions
/// up to this one, and both databases must find the same texts.
pub const MAX_INDEXED_WORDS: usize = 16_383;

/// The stemmers, by primary language subtag: the languages whose words are
/// found in any inflection. Texts in other languages are indexed by their
/// words as written.
const STEMMERS: &[(&str, Algorithm)] = &[
    ("ru", Algorithm::Russian),
    ("en", Algorithm::English),
    ("de", Algorithm::German),
    ("fr", Algorithm::French),
    ("es", Algorithm::Spanish),
];

/// How a text is stemmed: the key stored beside its index, and the words'
/// stemmer. Texts are matched only against queries stemmed the same way.
pub struct Stemming {
    key: &'static str,
    stemmer: Option<Stemmer>,
    /// For Latin-script words in a text of another script.
    english: Option<Stemmer>,
}

impl Stemming {
    /// Every stemming a text can have: each stemmer's, and none (key "").
    pub fn all() -> impl Iterator<Item = Stemming> {
        STEMMERS
            .iter()
            .map(|(tag, _)| Stemming::for_language(tag))
            .chain(std::iter::once(Stemming::for_language("")))
    }

    /// The stemming of a text in `language` (a BCP 47 tag).
    pub fn for_language(language: &str) -> Stemming {
        let primary = language.split('-').next().unwrap_or_default();
        let found = STEMMERS.iter().find(|(tag, _)| *tag == primary);
        Stemming {
            key: found.map_or("", |(tag, _)| tag),
            stemmer: found.map(|(_, algorithm)| Stemmer::create(*algorithm)),
            english: (primary == "ru").then(|| Stemmer::create(Algorithm::English)),
        }
    }

    pub fn key(&self) -> &'static str {
        self.key
    }

    fn stem(&self, word: &str) -> String {
        let stemmer = match &self.english {
            Some(english) if word.is_ascii() => Some(english),
            _ => self.stemmer.as_ref(),
        };
        match stemmer {
            Some(stemmer) => stemmer.stem(word).into_owned(),
            None => word.to_owned(),
        }
    }

    /// The terms a text is indexed by, in order: its title, abstract, key
    /// findings and body, stemmed.
    pub fn index_terms<'a>(&self, parts: impl IntoIterator<Item = &'a str>) -> Vec<String> {
        parts
            .into_iter()
            .flat_map(words)
            .take(MAX_INDEXED_WORDS)
            .map(|word| self.stem(&word))
            .collect()
    }
}

/// The words of a text: its runs of letters and digits, lower-cased and cut
/// to [`MAX_WORD_CHARS`].
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            word.chars()
                .take(MAX_WORD_CHARS)
                .collect::<String>()
                .to_lowercase()
        })
}

/// A word, or the words of a phrase in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term(pub Vec<String>);

/// A parsed query: every group must match (a group matches when any of its
/// terms does), and no excluded term may.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchQuery {
    pub all_of: Vec<Vec<Term>>,
    pub none_of: Vec<Term>,
}

/// One piece of the input, before terms are grouped.
#[derive(Debug, PartialEq, Eq)]
enum Token {
    Term { negated: bool, term: Term },
    Or,
}

fn tokens(input: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut rest = input;
    loop {
        rest = rest.trim_start();
        let Some(first) = rest.chars().next() else {
            return tokens;
        };
        let negated = first == '-';
        if negated {
            rest = &rest[1..];
        }
        let (chunk, quoted) = if let Some(quoted) = rest.strip_prefix('"') {
            let end = quoted.find('"').unwrap_or(quoted.len());
            rest = quoted.get(end + 1..).unwrap_or_default();
            (&quoted[..end], true)
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let (chunk, after) = rest.split_at(end);
            rest = after;
            (chunk, false)
        };
        if !quoted && !negated && chunk == "OR" {
            tokens.push(Token::Or);
            continue;
        }
        let term: Vec<String> = words(chunk).collect();
        if !term.is_empty() {
            tokens.push(Token::Term {
                negated,
                term: Term(term),
            });
        }
    }
}

impl SearchQuery {
    /// Parses what a person typed in the `search` field.
    pub fn parse(input: &str) -> Result<SearchQuery, DomainError> {
        let field = TextField::SEARCH;
        let input = field.required(input)?;
        let mut query = SearchQuery::default();
        // Whether the next term is the right side of an OR, and whether the
        // last token was a term it could be the left side of.
        let (mut after_or, mut after_term) = (false, false);
        for token in tokens(input.as_str()) {
            match token {
                Token::Or => {
                    after_or = after_or || after_term;
                    after_term = false;
                    continue;
                }
                Token::Term {
                    negated: true,
                    term,
                } => {
                    if after_or {
                        return Err(field.error("an excluded word (-word) cannot be a side of OR"));
                    }
                    query.none_of.push(term);
                    after_term = false;
                }
                Token::Term {
                    negated: false,
                    term,
                } => {
                    match query.all_of.last_mut() {
                        Some(group) if after_or => group.push(term),
                        _ => query.all_of.push(vec![term]),
                    }
                    after_term = true;
                }
            }
            after_or = false;
        }
        let words = query
            .all_of
            .iter()
            .flatten()
            .chain(&query.none_of)
            .map(|term| term.0.len())
            .sum::<usize>();
        if words > MAX_QUERY_WORDS {
            return Err(field.error(format_args!(
                "at most {MAX_QUERY_WORDS} words (got {words})"
            )));
        }
        if query.all_of.is_empty() && !query.none_of.is_empty() {
            return Err(field.error("give at least one word to find: -word only excludes"));
        }
        Ok(query)
    }

    /// The `search` filter as sent: blank (or left out) is no search.
    pub fn parse_optional(input: Option<&str>) -> Result<Option<SearchQuery>, DomainError> {
        input
            .filter(|input| !input.trim().is_empty())
            .map(SearchQuery::parse)
            .transpose()
    }

    /// Whether the query can match anything (it has a word to find).
    pub fn is_empty(&self) -> bool {
        self.all_of.is_empty()
    }

    /// The query with every word stemmed as `stemming` stems a text's.
    pub fn stemmed(&self, stemming: &Stemming) -> SearchQuery {
        let stem = |term: &Term| Term(term.0.iter().map(|word| stemming.stem(word)).collect());
        SearchQuery {
            all_of: self
                .all_of
                .iter()
                .map(|group| group.iter().map(stem).collect())
                .collect(),
            none_of: self.none_of.iter().map(stem).collect(),
        }
    }
}

/// A name as it is matched: case-folded in every script, so "иванов"
/// finds "Иванов" on both databases.
pub fn fold_case(name: &str) -> String {
    name.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(words: &[&str]) -> Term {
        Term(words.iter().map(|w| (*w).to_owned()).collect())
    }

    fn parsed(input: &str) -> SearchQuery {
        SearchQuery::parse(input).unwrap_or_default()
    }

    #[test]
    fn words_phrases_or_and_exclusions() {
        assert_eq!(
            parsed("Treaty  stability"),
            SearchQuery {
                all_of: vec![vec![term(&["treaty"])], vec![term(&["stability"])]],
                none_of: vec![],
            }
        );
        assert_eq!(
            parsed("nuclear treaty OR \"arms control\" -space -\"outer space\""),
            SearchQuery {
                all_of: vec![
                    vec![term(&["nuclear"])],
                    vec![term(&["treaty"]), term(&["arms", "control"])],
                ],
                none_of: vec![term(&["space"]), term(&["outer", "space"])],
            }
        );
        assert_eq!(
            parsed("arms-control").all_of,
            vec![vec![term(&["arms", "control"])]]
        );
        assert_eq!(parsed("a OR b OR c").all_of.len(), 1);
        assert_eq!(
            parsed("a or b").all_of.len(),
            3,
            "only OR in capitals joins"
        );
        assert_eq!(parsed("OR a OR").all_of, vec![vec![term(&["a"])]]);
        assert_eq!(
            parsed("\"unterminated phrase").all_of,
            vec![vec![term(&["unterminated", "phrase"])]]
        );
        assert!(parsed("\"*) ( ^").is_empty());
        assert_eq!(parsed("Договоров").all_of, vec![vec![term(&["договоров"])]]);
    }

    #[test]
    fn bad_queries_say_why() {
        for (input, reason) in [
            ("-space", "give at least one word to find"),
            ("a OR -b", "cannot be a side of OR"),
            ("a\u{0}", "control character"),
        ] {
            let message = SearchQuery::parse(input)
                .err()
                .map(|err| err.to_string())
                .unwrap_or_default();
            assert!(message.starts_with("search: "), "{input}: {message}");
            assert!(message.contains(reason), "{input}: {message}");
        }
        let many = vec!["w"; MAX_QUERY_WORDS + 1].join(" ");
        assert!(SearchQuery::parse(&many).is_err());
        assert!(SearchQuery::parse(&vec!["w"; MAX_QUERY_WORDS].join(" ")).is_ok());
        assert!(SearchQuery::parse(&"w".repeat(257)).is_err());
        assert_eq!(SearchQuery::parse_optional(Some(" \t")), Ok(None));
        assert_eq!(SearchQuery::parse_optional(None), Ok(None));
        assert!(SearchQuery::parse_optional(Some("-space")).is_err());
    }

    #[test]
    fn texts_and_queries_are_stemmed_alike() {
        let russian = Stemming::for_language("ru");
        let text = russian.index_terms(["Договор о стратегических вооружениях (START treaties)"]);
        let query = parsed("договоров treaty").stemmed(&russian);
        for group in &query.all_of {
            assert!(text.contains(&group[0].0[0]), "{group:?} in {text:?}");
        }
        assert_eq!(Stemming::for_language("ru-RU").key(), "ru");
        assert_eq!(Stemming::for_language("hy").key(), "");
        assert_eq!(
            Stemming::for_language("hy").index_terms(["Բարեւ"]),
            vec!["բարեւ"]
        );
        assert_eq!(Stemming::all().count(), STEMMERS.len() + 1);
    }

    #[test]
    fn long_words_and_long_texts_are_cut_alike() {
        let english = Stemming::for_language("en");
        let long = "x".repeat(100);
        assert_eq!(
            english.index_terms([long.as_str()]),
            vec!["x".repeat(MAX_WORD_CHARS)]
        );
        let text = "word ".repeat(MAX_INDEXED_WORDS + 10);
        assert_eq!(
            english.index_terms([text.as_str()]).len(),
            MAX_INDEXED_WORDS
        );
        assert_eq!(fold_case("ИВАНОВ Ivanov"), "иванов ivanov");
    }
}
