//! An [`Announcement`] as plain text, Markdown or HTML, laid out like the
//! publisher's own announcements. Every piece of user text is escaped for
//! the format it lands in; the words around it are English.

use chrono::{DateTime, Utc};

use super::Announcement;
use crate::domain::TextContent;
use crate::domain::catalogue::Dateline;

/// The dateline as an announcement opens with it: "MOSCOW. OCTOBER 13,
/// 2020. PIR PRESS.". The place and date in capitals, the issuer as given;
/// the date is the publication's unless the dateline has its own.
pub fn dateline(dateline: &Dateline, published_at: Option<DateTime<Utc>>) -> String {
    let date = dateline
        .date
        .or(published_at.map(|at| at.date_naive()))
        .map(|date| date.format("%B %-d, %Y").to_string().to_uppercase());
    let parts = [
        dateline
            .place
            .as_deref()
            .map(|p| one_line(p).to_uppercase()),
        date,
        dateline.issuer.as_deref().map(one_line),
    ];
    parts
        .into_iter()
        .flatten()
        .map(|part| match part.ends_with('.') {
            true => part,
            false => part + ".",
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn dateline_of(a: &Announcement) -> String {
    dateline(&a.dateline, Some(a.published_at))
}

/// Whitespace, line breaks included, folded into single spaces.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Paragraphs (separated by blank lines), each on one line.
fn paragraphs(s: &str) -> Vec<String> {
    let s = s.replace("\r\n", "\n");
    s.split("\n\n")
        .map(one_line)
        .filter(|p| !p.is_empty())
        .collect()
}

/// "A", "A and B", "A, B and C".
fn names(list: &[String]) -> String {
    match list {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Who published what, by whom, without the closing full stop: the
/// announcement's headline. `esc` escapes user text for the format.
fn headline(a: &Announcement, esc: &dyn Fn(&str) -> String) -> String {
    // The quotes go through `esc` with the title, so HTML gets `&quot;`
    // around it as inside it.
    let quoted = esc(&format!("\"{}\"", one_line(&a.title)));
    let report = format!("the report {quoted}");
    let mut sentence = match &a.series {
        Some(series) => {
            let title = one_line(&series.title);
            let article = if title.to_lowercase().starts_with("the ") {
                ""
            } else {
                "The "
            };
            format!("{article}{} came out with {report}", esc(&title))
        }
        None => format!("The report {quoted} came out"),
    };
    let credited: Vec<String> = a
        .contributors
        .iter()
        .map(|c| esc(&one_line(&c.name)))
        .collect();
    if !credited.is_empty() {
        sentence.push_str(" by ");
        sentence.push_str(&names(&credited));
    }
    sentence
}

/// The sentence after the dateline: the headline as a sentence.
fn lead(a: &Announcement, esc: &dyn Fn(&str) -> String) -> String {
    headline(a, esc) + "."
}

/// Said when the announcement is not in the language asked for.
fn fallback_note(a: &Announcement) -> Option<String> {
    a.missing.as_ref().map(|wanted| {
        format!(
            "There is no {} text yet: the title, summary and key findings are in the original {}.",
            wanted.display_name(),
            a.language.display_name()
        )
    })
}

/// "Corrected on December 5, 2026: …", when the paper was corrected.
fn correction_line(a: &Announcement, esc: &dyn Fn(&str) -> String) -> Option<String> {
    a.correction.as_ref().map(|c| {
        format!(
            "Corrected on {}: {}",
            c.at.format("%B %-d, %Y"),
            esc(&one_line(&c.note))
        )
    })
}

/// "Read (in Russian)", as the publisher links its original.
fn original_label(a: &Announcement) -> String {
    format!("Read (in {})", a.original_language.display_name())
}

/// Plain text, laid out like the publisher's announcement
/// (`tests/fixtures/sample-publication.txt`): series, title, credits,
/// headline, the dateline and lead, the summary, the key findings and the
/// link to the original.
pub fn text(a: &Announcement) -> String {
    let mut blocks = Vec::new();
    if let Some(series) = &a.series {
        blocks.push(one_line(&series.title));
    }
    blocks.push(one_line(&a.title));
    if !a.contributors.is_empty() {
        let mut credits = Vec::new();
        for c in &a.contributors {
            credits.push(one_line(&c.name));
            if let Some(position) = &c.position {
                credits.push(format!("  • Position : {}", one_line(position)));
            }
            if let Some(affiliation) = &c.affiliation {
                credits.push(format!("  • Affiliation : {}", one_line(affiliation)));
            }
        }
        blocks.push(credits.join("\n"));
    }
    let plain = |s: &str| s.to_owned();
    blocks.push(headline(a, &plain));
    blocks.push(format!("{} {}", dateline_of(a), lead(a, &plain)));
    blocks.extend(correction_line(a, &plain));
    blocks.extend(fallback_note(a));
    blocks.extend(a.summary.as_deref().map(paragraphs).unwrap_or_default());
    if !a.key_findings.is_empty() {
        blocks.push("Key findings:".into());
        let findings: Vec<String> = a
            .key_findings
            .iter()
            .map(|f| format!("  • {}", one_line(f)))
            .collect();
        blocks.push(findings.join("\n"));
    }
    blocks.push(format!("{}\n{}", original_label(a), a.original_link));
    blocks.join("\n\n") + "\n"
}

/// Escapes user text (one line) so Markdown shows it as it is: inline
/// markup characters anywhere, and list or heading markers at its start.
pub fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    if out.starts_with(['-', '+', '=']) {
        out.insert(0, '\\');
    } else {
        // "1. " or "1) " would start an ordered list.
        let digits = out.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && out[digits..].starts_with(['.', ')']) {
            out.insert(digits, '\\');
        }
    }
    out
}

/// A link destination Markdown cannot misread.
fn markdown_url(url: &str) -> String {
    url.replace('\\', "%5C")
        .replace('<', "%3C")
        .replace('>', "%3E")
}

/// Markdown, with every piece of user text escaped.
pub fn markdown(a: &Announcement) -> String {
    let md = |s: &str| escape_markdown(&one_line(s));
    let mut blocks = Vec::new();
    if let Some(series) = &a.series {
        blocks.push(format!("*{}*", md(&series.title)));
    }
    blocks.push(format!("# {}", md(&a.title)));
    if !a.contributors.is_empty() {
        let mut credits = Vec::new();
        for c in &a.contributors {
            credits.push(format!("- **{}**", md(&c.name)));
            if let Some(position) = &c.position {
                credits.push(format!("  - Position: {}", md(position)));
            }
            if let Some(affiliation) = &c.affiliation {
                credits.push(format!("  - Affiliation: {}", md(affiliation)));
            }
        }
        blocks.push(credits.join("\n"));
    }
    blocks.push(format!("## {}", headline(a, &escape_markdown)));
    blocks.push(format!(
        "**{}** {}",
        escape_markdown(&dateline_of(a)),
        lead(a, &escape_markdown)
    ));
    blocks.extend(correction_line(a, &escape_markdown).map(|line| format!("*{line}*")));
    blocks.extend(fallback_note(a).map(|note| format!("*{}*", escape_markdown(&note))));
    blocks.extend(
        a.summary
            .as_deref()
            .map(paragraphs)
            .unwrap_or_default()
            .iter()
            .map(|p| escape_markdown(p)),
    );
    if !a.key_findings.is_empty() {
        blocks.push("## Key findings".into());
        let findings: Vec<String> = a
            .key_findings
            .iter()
            .map(|f| format!("- {}", md(f)))
            .collect();
        blocks.push(findings.join("\n"));
    }
    blocks.push(format!(
        "[{}](<{}>)",
        escape_markdown(&original_label(a)),
        markdown_url(&a.original_link)
    ));
    blocks.join("\n\n") + "\n"
}

/// Escapes text for HTML element content and quoted attributes.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An HTML fragment, for feed entries and the paper's page.
pub fn html(a: &Announcement) -> String {
    let h = |s: &str| escape_html(&one_line(s));
    let mut out = Vec::new();
    if let Some(series) = &a.series {
        out.push(format!("<p><em>{}</em></p>", h(&series.title)));
    }
    out.push(format!("<h1>{}</h1>", h(&a.title)));
    if !a.contributors.is_empty() {
        out.push("<ul>".into());
        for c in &a.contributors {
            let mut item = format!("<li><strong>{}</strong>", h(&c.name));
            if let Some(position) = &c.position {
                item.push_str(&format!("<br>Position: {}", h(position)));
            }
            if let Some(affiliation) = &c.affiliation {
                item.push_str(&format!("<br>Affiliation: {}", h(affiliation)));
            }
            item.push_str("</li>");
            out.push(item);
        }
        out.push("</ul>".into());
    }
    out.push(format!("<h2>{}</h2>", headline(a, &escape_html)));
    out.push(format!(
        "<p><strong>{}</strong> {}</p>",
        escape_html(&dateline_of(a)),
        lead(a, &escape_html)
    ));
    out.extend(
        correction_line(a, &escape_html)
            .map(|line| format!("<p class=\"correction\"><em>{line}</em></p>")),
    );
    out.extend(fallback_note(a).map(|note| format!("<p><em>{}</em></p>", escape_html(&note))));
    for p in a.summary.as_deref().map(paragraphs).unwrap_or_default() {
        out.push(format!("<p>{}</p>", escape_html(&p)));
    }
    if !a.key_findings.is_empty() {
        out.push("<h2>Key findings</h2>".into());
        out.push("<ul>".into());
        for f in &a.key_findings {
            out.push(format!("<li>{}</li>", h(f)));
        }
        out.push("</ul>".into());
    }
    out.push(format!(
        "<p><a href=\"{}\" hreflang=\"{}\">{}</a></p>",
        escape_html(&a.original_link),
        escape_html(a.original_language.as_str()),
        escape_html(&original_label(a))
    ));
    out.join("\n")
}

fn html_document(language: &str, title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width\">\n<title>{}</title>\n\
         </head>\n<body>\n{body}\n</body>\n</html>\n",
        escape_html(language),
        escape_html(&one_line(title)),
    )
}

/// The paper's page: its announcement as an HTML document.
pub fn html_page(a: &Announcement) -> String {
    html_document(a.language.as_str(), &a.title, &html(a))
}

/// One text of a paper as an HTML document: title, summary, key findings
/// and body.
pub fn text_page(language: &str, text: &TextContent) -> String {
    let mut out = vec![format!("<h1>{}</h1>", escape_html(&one_line(&text.title)))];
    for p in text
        .abstract_text
        .as_deref()
        .map(paragraphs)
        .unwrap_or_default()
    {
        out.push(format!("<p><em>{}</em></p>", escape_html(&p)));
    }
    if !text.key_findings.is_empty() {
        out.push("<ul>".into());
        for f in &text.key_findings {
            out.push(format!("<li>{}</li>", escape_html(&one_line(f))));
        }
        out.push("</ul>".into());
    }
    for p in text.body.as_deref().map(paragraphs).unwrap_or_default() {
        out.push(format!("<p>{}</p>", escape_html(&p)));
    }
    html_document(language, &text.title, &out.join("\n"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::super::tests::{credit, published_paper, security_index, texts};
    use super::super::{Announcement, build};
    use super::*;
    use crate::domain::Language;

    fn announcement(wanted: &str) -> Announcement {
        let mut paper = published_paper();
        paper.original_url = Some("https://www.pircenter.org/ru/report".into());
        paper.dateline_place = Some("Moscow".into());
        paper.dateline_issuer = Some("PIR PRESS".into());
        build(
            &paper,
            Some(&security_index()),
            &[
                credit(0, "Sergey Ryabkov", Some("Deputy Minister")),
                credit(1, "Anna Second", None),
            ],
            &texts(),
            &Language::parse(wanted).unwrap(),
            "https://imprint.test",
        )
        .unwrap()
    }

    #[test]
    fn a_corrected_paper_says_when_and_why_in_every_format() {
        let mut paper = published_paper();
        paper.corrected_at = Some(
            DateTime::parse_from_rfc3339("2026-12-05T10:00:00Z")
                .unwrap()
                .to_utc(),
        );
        paper.correction_note = Some("The <second> finding\nmisquoted *a* date.".into());
        let corrected = build(
            &paper,
            None,
            &[],
            &texts(),
            &Language::parse("en").unwrap(),
            "https://imprint.test",
        )
        .unwrap();
        let said = "Corrected on December 5, 2026: The";
        assert!(
            text(&corrected).contains(&format!("{said} <second> finding misquoted *a* date.\n")),
            "{}",
            text(&corrected)
        );
        assert!(markdown(&corrected).contains(&format!(
            "*{said} \\<second\\> finding misquoted \\*a\\* date.*"
        )));
        assert!(html(&corrected).contains(&format!(
            "<p class=\"correction\"><em>{said} &lt;second&gt; finding misquoted *a* date.</em></p>"
        )));
        assert!(!text(&announcement("en")).contains("Corrected on"));
    }

    #[test]
    fn plain_text_reads_like_the_publishers_announcement() {
        assert_eq!(
            text(&announcement("en")),
            "Security Index Occasional Paper Series

Through Equality and Consensus

Sergey Ryabkov
  • Position : Deputy Minister
  • Affiliation : Russian Foreign Ministry
Anna Second
  • Affiliation : Russian Foreign Ministry

The Security Index Occasional Paper Series came out with the report \"Through Equality and Consensus\" by Sergey Ryabkov and Anna Second

MOSCOW. OCTOBER 13, 2020. PIR PRESS. The Security Index Occasional Paper Series came out with the report \"Through Equality and Consensus\" by Sergey Ryabkov and Anna Second.

Summary in en.

Key findings:

  • The first finding.
  • The second finding.

Read (in Russian)
https://www.pircenter.org/ru/report
"
        );
    }

    #[test]
    fn markdown_has_headings_credits_and_a_link() {
        assert_eq!(
            markdown(&announcement("en")),
            "*Security Index Occasional Paper Series*

# Through Equality and Consensus

- **Sergey Ryabkov**
  - Position: Deputy Minister
  - Affiliation: Russian Foreign Ministry
- **Anna Second**
  - Affiliation: Russian Foreign Ministry

## The Security Index Occasional Paper Series came out with the report \"Through Equality and Consensus\" by Sergey Ryabkov and Anna Second

**MOSCOW. OCTOBER 13, 2020. PIR PRESS.** The Security Index Occasional Paper Series came out with the report \"Through Equality and Consensus\" by Sergey Ryabkov and Anna Second.

Summary in en.

## Key findings

- The first finding.
- The second finding.

[Read (in Russian)](<https://www.pircenter.org/ru/report>)
"
        );
    }

    #[test]
    fn a_dateline_prints_place_date_and_issuer_like_the_publisher() {
        use chrono::{NaiveDate, TimeZone};
        let published = Utc.with_ymd_and_hms(2020, 10, 13, 21, 30, 0).single();
        let date = NaiveDate::from_ymd_opt(2020, 10, 14);
        let line = |place: Option<&str>, date, issuer: Option<&str>| {
            let d = Dateline::parse(place, date, issuer).unwrap();
            dateline(&d, published)
        };
        assert_eq!(
            line(Some("Moscow"), None, Some("PIR PRESS")),
            "MOSCOW. OCTOBER 13, 2020. PIR PRESS."
        );
        assert_eq!(
            line(Some("Moscow."), date, Some("PIR Press.")),
            "MOSCOW. OCTOBER 14, 2020. PIR Press.",
            "its own date wins; no doubled full stop"
        );
        assert_eq!(line(None, None, None), "OCTOBER 13, 2020.");
        assert_eq!(
            dateline(&Dateline::default(), None),
            "",
            "nothing to say before publication"
        );
    }

    #[test]
    fn a_fallback_to_the_original_is_said_in_every_format() {
        let a = announcement("fr");
        let note = "There is no French text yet: the title, summary and key findings are in the original Russian.";
        assert!(text(&a).contains(note), "{}", text(&a));
        assert!(text(&a).contains("  • Первый вывод."));
        assert!(markdown(&a).contains(&format!("*{note}*")));
        assert!(html(&a).contains(&format!("<p><em>{note}</em></p>")));
        assert!(!text(&announcement("en")).contains("There is no"));
    }

    #[test]
    fn markdown_special_characters_in_user_text_are_escaped() {
        for (input, expected) in [
            (
                "plain words, a dash - and a dot.",
                "plain words, a dash - and a dot.",
            ),
            ("*bold* _it_ `code`", r"\*bold\* \_it\_ \`code\`"),
            (
                "[link](http://x) ![img](y)",
                r"\[link\](http://x) !\[img\](y)",
            ),
            ("<b>html</b> & &amp;", r"\<b\>html\</b\> \& \&amp;"),
            ("# not a heading", r"\# not a heading"),
            ("- not a list", r"\- not a list"),
            ("+ not a list", r"\+ not a list"),
            ("1. not a list", r"1\. not a list"),
            ("2020) not a list", r"2020\) not a list"),
            ("2020 was a year", "2020 was a year"),
            (
                "a | table ~~strike~~ back\\slash",
                r"a \| table \~\~strike\~\~ back\\slash",
            ),
        ] {
            assert_eq!(escape_markdown(input), expected, "{input:?}");
        }
    }

    #[test]
    fn user_text_cannot_break_out_of_the_markdown_or_html() {
        let mut a = announcement("en");
        a.title = "*Evil* [title](javascript:x)\n# heading".into();
        a.key_findings = vec!["- nested\n- list".into()];
        a.contributors[0].name = "<script>alert('x')</script>".into();
        a.original_link = "https://x.test/a>b".into();
        let md = markdown(&a);
        assert!(
            md.contains(r"# \*Evil\* \[title\](javascript:x) \# heading"),
            "{md}"
        );
        assert!(md.contains(r"- \- nested - list"), "{md}");
        assert!(md.contains("(<https://x.test/a%3Eb>)"), "{md}");
        let html = html(&a);
        assert!(!html.contains("<script>"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
            "{html}"
        );
        assert!(html.contains("href=\"https://x.test/a&gt;b\""), "{html}");
    }

    #[test]
    fn a_paper_without_series_or_credits_still_has_a_lead() {
        let mut a = announcement("en");
        a.dateline = Dateline::default();
        a.series = None;
        a.contributors.clear();
        assert!(text(&a).starts_with(
            "Through Equality and Consensus\n\nThe report \"Through Equality and Consensus\" came out\n\nOCTOBER 13, 2020. The report \"Through Equality and Consensus\" came out.\n"
        ));
    }

    #[test]
    fn text_pages_hold_the_whole_text() {
        let page = text_page(
            "ru",
            &TextContent {
                title: "Заголовок".into(),
                abstract_text: Some("Кратко.".into()),
                key_findings: vec!["Вывод <один>.".into()],
                body: Some("Абзац один.\n\nАбзац два.".into()),
            },
        );
        assert!(page.contains("<html lang=\"ru\">"));
        assert!(page.contains("<li>Вывод &lt;один&gt;.</li>"));
        assert!(page.contains("<p>Абзац один.</p>\n<p>Абзац два.</p>"));
    }
}
