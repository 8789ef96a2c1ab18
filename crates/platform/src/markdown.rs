//! Markdown written by officials and organisations, rendered to HTML and sanitised (no scripts,
//! no inline styles, links get `rel="noopener noreferrer"`).

use pulldown_cmark::{Options, Parser, html};

pub fn to_html(md: &str) -> String {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    let parser = Parser::new_ext(md, opts);
    let mut raw = String::new();
    html::push_html(&mut raw, parser);
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .clean(&raw)
        .to_string()
}

/// Plain text of Markdown, for e-mails and feeds.
pub fn to_text(md: &str) -> String {
    let mut out = String::new();
    for ev in Parser::new(md) {
        match ev {
            pulldown_cmark::Event::Text(t) | pulldown_cmark::Event::Code(t) => out.push_str(&t),
            pulldown_cmark::Event::SoftBreak | pulldown_cmark::Event::HardBreak => out.push('\n'),
            pulldown_cmark::Event::End(
                pulldown_cmark::TagEnd::Paragraph
                | pulldown_cmark::TagEnd::Heading(_)
                | pulldown_cmark::TagEnd::Item,
            ) => out.push_str("\n\n"),
            _ => {}
        }
    }
    out.trim().to_owned()
}

/// The plain-text part of an e-mail written in Markdown: paragraphs, `- ` list items, headings
/// in capitals-free form, and every link as `text <url>` so nothing clickable is lost.
pub fn to_mail_text(md: &str) -> String {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let mut out = String::new();
    let mut links: Vec<String> = Vec::new();
    let mut lists: Vec<Option<u64>> = Vec::new();
    for ev in Parser::new_ext(md, Options::ENABLE_STRIKETHROUGH) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Start(Tag::Link { dest_url, .. }) => links.push(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                if let Some(url) = links.pop()
                    && !out.ends_with(url.as_str())
                {
                    out.push_str(&format!(" <{url}>"));
                }
            }
            Event::Start(Tag::List(first)) => lists.push(first),
            Event::End(TagEnd::List(_)) => {
                lists.pop();
                if lists.is_empty() {
                    out.push('\n');
                }
            }
            Event::Start(Tag::Item) => {
                let indent = "  ".repeat(lists.len().saturating_sub(1));
                match lists.last_mut() {
                    Some(Some(n)) => {
                        out.push_str(&format!("{indent}{n}. "));
                        *n += 1;
                    }
                    _ => out.push_str(&format!("{indent}- ")),
                }
            }
            Event::End(TagEnd::Item) if !out.ends_with('\n') => out.push('\n'),
            Event::End(TagEnd::Paragraph) => {
                out.push('\n');
                if lists.is_empty() {
                    out.push('\n');
                }
            }
            Event::End(TagEnd::Heading(_)) => out.push_str("\n\n"),
            Event::Rule => out.push_str("----\n\n"),
            _ => {}
        }
    }
    out.trim().to_owned()
}

/// Text a person typed, safe inside generated Markdown (no emphasis, link or HTML of its own).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if "\\`*_[]<>#!|~".contains(ch) {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn mail_text_keeps_links_and_lists() {
        let t = super::to_mail_text(
            "# Nabór\n\nZapraszamy na [stronę](https://ngo.example/a).\n\n- pierwszy\n- drugi\n\n1. raz\n2. dwa\n\nKoniec <https://x.example>",
        );
        assert!(
            t.starts_with("Nabór\n\nZapraszamy na stronę <https://ngo.example/a>."),
            "{t}"
        );
        assert!(t.contains("- pierwszy\n- drugi\n"), "{t}");
        assert!(t.contains("1. raz\n2. dwa\n"), "{t}");
        assert!(t.ends_with("Koniec https://x.example"), "{t}");
    }

    #[test]
    fn sanitises() {
        let html = super::to_html(
            "# Tytuł\n\n<script>alert(1)</script>\n\n[link](javascript:alert(1)) **gęś**",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("<strong>gęś</strong>"));
    }
}
