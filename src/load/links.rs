//! How a briefing names a page of the site in its Markdown: the link grammar users write,
//! read here so that `check` and the site agree (where the page is, `site::links` says).
//!
//! A briefing may link to a page of the site in two ways, both resolved when the page is
//! rendered (a briefing's page sits at `briefings/<slug>/index.html`, two folders below the
//! partnership's root):
//!
//! - a shorthand: `[text](question:cmh-s-01)`, `(theme:children-mental-health)`,
//!   `(cycle:2025-26)` or `(briefing:learning-from-2025-26)`;
//! - a relative link as the built site has it: `../../questions/cmh-s-01/index.html` (the
//!   `index.html` may be left off).
//!
//! A link to a page the site does not have keeps its text and loses its anchor (and
//! `panelaudit check` warns about it), so a page never links to nothing.

/// What a link points at: a kind of page and its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    Question(&'a str),
    Theme(&'a str),
    Cycle(&'a str),
    Briefing(&'a str),
}

impl<'a> Target<'a> {
    pub fn describe(self) -> String {
        match self {
            Target::Question(id) => format!("question `{id}`"),
            Target::Theme(id) => format!("theme `{id}`"),
            Target::Cycle(id) => format!("cycle `{id}`"),
            Target::Briefing(id) => format!("briefing `{id}`"),
        }
    }
}

/// Reads a link destination as a page of the site, or None when it is not one.
pub fn parse(dest: &str) -> Option<Target<'_>> {
    let dest = dest.trim();
    if let Some((kind, id)) = dest.split_once(':') {
        let id = id.trim();
        if id.is_empty() || id.contains('/') {
            return None;
        }
        return match kind {
            "question" => Some(Target::Question(id)),
            "theme" => Some(Target::Theme(id)),
            "cycle" => Some(Target::Cycle(id)),
            "briefing" => Some(Target::Briefing(id)),
            _ => None,
        };
    }
    let mut rest = dest;
    while let Some(r) = rest.strip_prefix("../") {
        rest = r;
    }
    let rest = rest.strip_suffix("index.html").unwrap_or(rest);
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let (folder, id) = rest.split_once('/')?;
    if id.is_empty() || id.contains('/') {
        return None;
    }
    match folder {
        "questions" => Some(Target::Question(id)),
        "themes" => Some(Target::Theme(id)),
        "cycles" => Some(Target::Cycle(id)),
        "briefings" => Some(Target::Briefing(id)),
        _ => None,
    }
}

/// Every link destination in a Markdown text that names a page of the site.
pub fn targets(markdown: &str) -> Vec<Target<'_>> {
    located(markdown).into_iter().map(|(t, _)| t).collect()
}

/// As [`targets`], each with the byte range of its destination in `markdown`.
pub fn located(markdown: &str) -> Vec<(Target<'_>, std::ops::Range<usize>)> {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut out = Vec::new();
    if crate::limits::markdown_over_limits(markdown).is_some() {
        return out;
    }
    for (event, range) in Parser::new(markdown).into_offset_iter() {
        if let Event::Start(Tag::Link { dest_url, .. }) = event {
            // The destination as written, inside the link's own text.
            let Some(at) = markdown[range.clone()]
                .rfind(dest_url.as_ref())
                .map(|i| range.start + i)
            else {
                continue;
            };
            let written = &markdown[at..at + dest_url.len()];
            if let Some(t) = parse(written) {
                out.push((t, at..at + written.len()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorthands_and_relative_paths_name_the_same_pages() {
        assert_eq!(
            parse("question:cmh-s-01"),
            Some(Target::Question("cmh-s-01"))
        );
        assert_eq!(
            parse("../../questions/cmh-s-01/index.html"),
            Some(Target::Question("cmh-s-01"))
        );
        assert_eq!(parse("../../themes/x/"), Some(Target::Theme("x")));
        assert_eq!(parse("cycle:2025-26"), Some(Target::Cycle("2025-26")));
        assert_eq!(parse("https://example.org/x"), None);
        assert_eq!(parse("mailto:a"), None);
        assert_eq!(parse("../../agencies/police/index.html"), None);
        let t = targets("See [a](question:q-1) and [b](https://x.example) and [c](theme:t)");
        assert_eq!(t, vec![Target::Question("q-1"), Target::Theme("t")]);
    }
}
