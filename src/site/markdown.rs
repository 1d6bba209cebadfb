//! Markdown from users' files (evidence, summaries, briefings, progress notes) turned into
//! HTML that is safe to put on a page: raw HTML is shown as text, only `http`, `https` and
//! `mailto` links survive, and images become their alt text so a page never fetches anything.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

/// Renders `source` as sanitised HTML. Markdown headings are moved so that the text's first
/// heading becomes `<h{top}>` and no heading is more than one level below the one before it:
/// the page keeps its single `<h1>` and an outline that never skips a level (`# A` then
/// `### B` becomes `<h2>` then `<h3>`).
pub fn to_html(source: &str, top: u8) -> String {
    to_html_linked(source, top, &|_| None)
}

/// As [`to_html`], and a link whose destination is not a web or email address is offered to
/// `resolve`: the site's own pages (`question:cmh-s-01`, see `site::links`) become relative
/// links; anything `resolve` declines keeps only its text.
pub fn to_html_linked(source: &str, top: u8, resolve: &dyn Fn(&str) -> Option<String>) -> String {
    // Validation refuses Markdown nested past the limits; any other text that deep (a title,
    // say) is shown as plain text rather than handed to the parser.
    if crate::limits::markdown_over_limits(source).is_some() {
        let mut out = String::new();
        let events = [
            Event::Start(Tag::Paragraph),
            Event::Text(source.into()),
            Event::End(TagEnd::Paragraph),
        ];
        html::push_html(&mut out, events.into_iter());
        return out;
    }
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut safe = Sanitiser {
        dropped_links: Vec::new(),
        in_image: 0,
        outline: Outline::new(top),
        resolve,
    };
    // Event by event into the page, never collected: a long text's events took several times
    // its parse tree in memory.
    let events = Parser::new_ext(source, options).filter_map(|e| safe.event(e));
    let mut out = String::with_capacity(source.len() * 5 / 4 + 16);
    html::push_html(&mut out, events);
    out
}

/// What [`to_html_linked`] does to each parser event: at most one event out for each in.
struct Sanitiser<'r> {
    /// Depth of links being dropped (unsafe or relative URL): their text stays, the anchor goes.
    dropped_links: Vec<bool>,
    in_image: usize,
    outline: Outline,
    resolve: &'r dyn Fn(&str) -> Option<String>,
}

impl Sanitiser<'_> {
    fn event<'a>(&mut self, event: Event<'a>) -> Option<Event<'a>> {
        match event {
            Event::Html(text) | Event::InlineHtml(text) => Some(Event::Text(text)),
            Event::Start(Tag::HtmlBlock) => Some(Event::Start(Tag::Paragraph)),
            Event::End(TagEnd::HtmlBlock) => Some(Event::End(TagEnd::Paragraph)),
            Event::Start(Tag::Image { .. }) => {
                self.in_image += 1;
                None
            }
            Event::End(TagEnd::Image) => {
                self.in_image = self.in_image.saturating_sub(1);
                None
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = if self.in_image > 0 || is_safe_url(&dest_url) {
                    Some(dest_url)
                } else {
                    (self.resolve)(&dest_url).map(Into::into)
                };
                let keep = self.in_image == 0 && dest_url.is_some();
                self.dropped_links.push(!keep);
                match (keep, dest_url) {
                    (true, Some(dest_url)) => Some(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    })),
                    _ => None,
                }
            }
            Event::End(TagEnd::Link) => {
                (self.dropped_links.pop() == Some(false)).then_some(Event::End(TagEnd::Link))
            }
            Event::Start(Tag::Heading { level, .. }) => Some(Event::Start(Tag::Heading {
                level: self.outline.open(level),
                id: None,
                classes: Vec::new(),
                attrs: Vec::new(),
            })),
            Event::End(TagEnd::Heading(_)) => {
                Some(Event::End(TagEnd::Heading(self.outline.close())))
            }
            // Inside an image only its alt text is kept, as plain text.
            other if self.in_image > 0 => match other {
                Event::Text(t) | Event::Code(t) => Some(Event::Text(t)),
                Event::SoftBreak | Event::HardBreak => Some(Event::Text(" ".into())),
                _ => None,
            },
            other => Some(other),
        }
    }
}

/// Plain text of a Markdown string (for a chart's description or a table cell).
pub fn to_text(source: &str) -> String {
    if crate::limits::markdown_over_limits(source).is_some() {
        return source.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    let mut out = String::new();
    for event in Parser::new(source) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where the text's headings go on the page: the first at `top`, each later one at most one
/// level below the heading before it, and never above `top`.
struct Outline {
    top: u8,
    /// The text's own level of its first heading, and the last level put on the page.
    first: Option<u8>,
    last: u8,
    open: HeadingLevel,
}

impl Outline {
    fn new(top: u8) -> Outline {
        let top = top.clamp(1, 6);
        Outline {
            top,
            first: None,
            last: top - 1,
            open: HeadingLevel::H1,
        }
    }

    fn open(&mut self, level: HeadingLevel) -> HeadingLevel {
        let written = level as u8;
        let first = *self.first.get_or_insert(written);
        let wanted = (i16::from(written) - i16::from(first) + i16::from(self.top))
            .clamp(i16::from(self.top), 6) as u8;
        let n = wanted.min(self.last + 1).max(self.top);
        self.last = n;
        self.open = level_of(n);
        self.open
    }

    fn close(&self) -> HeadingLevel {
        self.open
    }
}

fn level_of(n: u8) -> HeadingLevel {
    match n {
        0 | 1 => HeadingLevel::H1,
        2 => HeadingLevel::H2,
        3 => HeadingLevel::H3,
        4 => HeadingLevel::H4,
        5 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// Only absolute web links and email addresses are kept. Browsers ignore ASCII whitespace and
/// control characters inside a scheme (`java\tscript:`), so those are removed before looking.
fn is_safe_url(url: &str) -> bool {
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .flat_map(char::to_lowercase)
        .collect();
    ["https://", "http://", "mailto:"]
        .iter()
        .any(|scheme| squeezed.starts_with(scheme))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_nested_past_the_limit_is_shown_as_plain_text_not_parsed() {
        let deep = format!("{}<b>x</b>", "> - ".repeat(200_000));
        let html = to_html(&deep, 2);
        assert!(html.starts_with("<p>&gt; - &gt; - "), "{}", &html[..40]);
        assert!(html.ends_with("&lt;b&gt;x&lt;/b&gt;</p>\n"));
        assert!(to_text(&deep).ends_with("- <b>x</b>"));
        // Within the limit, it is still Markdown.
        assert!(to_html(&("- ".repeat(10) + "x"), 2).contains("<ul>"));
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = to_html(
            "Hello <script>alert(1)</script> and <img src=x onerror=alert(1)>",
            2,
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        let block = to_html("<div onclick=\"x()\">\n<b>bold</b>\n</div>\n", 2);
        assert!(!block.contains("<div"), "{block}");
        assert!(block.contains("&lt;div onclick="), "{block}");
    }

    #[test]
    fn unsafe_and_relative_links_keep_only_their_text() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "java\tscript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "../secret.html",
        ] {
            let md = format!("[click me](<{url}>)");
            let html = to_html(&md, 2);
            assert!(!html.contains("<a"), "{url}: {html}");
            assert!(html.contains("click me"), "{url}: {html}");
        }
        let autolink = to_html("<javascript:alert(1)>", 2);
        assert!(!autolink.contains("<a"), "{autolink}");
        let ok = to_html(
            "[guidance](https://www.gov.uk/x) or <mailto:a@b.example>",
            2,
        );
        assert!(
            ok.contains("<a href=\"https://www.gov.uk/x\">guidance</a>"),
            "{ok}"
        );
        assert!(ok.contains("href=\"mailto:a@b.example\""), "{ok}");
    }

    #[test]
    fn images_become_their_alt_text() {
        let html = to_html(
            "See ![a chart of *waits*](https://tracker.example/p.png) here",
            2,
        );
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("tracker.example"), "{html}");
        assert!(html.contains("a chart of waits"), "{html}");
        let linked = to_html("[![alt](https://x.example/i.png)](javascript:x)", 2);
        assert!(!linked.contains("<a") && linked.contains("alt"), "{linked}");
    }

    #[test]
    fn headings_move_below_the_page_heading_and_never_skip_a_level() {
        let html = to_html("# Top\n\n## Next\n\n###### Deep", 3);
        assert!(html.contains("<h3>Top</h3>"), "{html}");
        assert!(html.contains("<h4>Next</h4>"), "{html}");
        assert!(html.contains("<h5>Deep</h5>"), "{html}");
        // A briefing written with `##` sections starts at the page's second level.
        let html = to_html("## Background\n\n#### Detail\n\n## Next\n\n# Big", 2);
        for h in [
            "<h2>Background</h2>",
            "<h3>Detail</h3>",
            "<h2>Next</h2>",
            "<h2>Big</h2>",
        ] {
            assert!(html.contains(h), "{h}: {html}");
        }
    }

    #[test]
    fn links_to_the_site_are_resolved_and_others_dropped() {
        let resolve =
            |d: &str| (d == "question:q-1").then(|| "../../questions/q-1/index.html".to_string());
        let html = to_html_linked(
            "[the question](question:q-1) and [gone](question:zz)",
            2,
            &resolve,
        );
        assert!(
            html.contains("<a href=\"../../questions/q-1/index.html\">the question</a>"),
            "{html}"
        );
        assert!(html.contains("gone") && !html.contains("zz"), "{html}");
    }

    #[test]
    fn template_syntax_is_just_text() {
        let html = to_html("{{ secret }} and {% include \"x\" %}", 2);
        assert!(html.contains("{{ secret }}"), "{html}");
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            to_text("**Bold** and _it_\n\n- one\n- two"),
            "Bold and it one two"
        );
    }
}
