//! Where every page and file of a partnership's site sits: the one table of paths, relative to
//! the partnership's root. The views link with these and `site::render_partnership` lays out
//! the files with them, so a link and the file it points at cannot drift apart.
//!
//! A page's *path* is where its file is written; its *href* is the same path as a URL (only a
//! briefing's slug can hold characters that need escaping). The templates still write the fixed
//! paths (`priorities/index.html`, `data/priorities.csv`, …) by hand: a partnership may override
//! the templates, so those strings stay where the template authors see them.

/// The overview: the partnership's home page.
pub(crate) const OVERVIEW: &str = "index.html";
pub(crate) const PRIORITIES: &str = "priorities/index.html";
pub(crate) const ACTIONS: &str = "actions/index.html";
pub(crate) const METRICS: &str = "metrics/index.html";
/// What followed each completed action.
pub(crate) const IMPACT: &str = "impact/index.html";
pub(crate) const BRIEFINGS: &str = "briefings/index.html";
pub(crate) const METHOD: &str = "method/index.html";
pub(crate) const ACCESSIBILITY: &str = "accessibility/index.html";
pub(crate) const STYLESHEET: &str = "assets/style.css";
pub(crate) const PRIORITIES_CSV: &str = "data/priorities.csv";
pub(crate) const PRIORITIES_JSON: &str = "data/priorities.json";
pub(crate) const RATINGS_CSV: &str = "data/ratings.csv";
pub(crate) const IMPACT_CSV: &str = "data/impact.csv";
pub(crate) const IMPACT_JSON: &str = "data/impact.json";

pub(crate) fn question_href(id: &str) -> String {
    format!("questions/{id}/index.html")
}

pub(crate) fn theme_href(id: &str) -> String {
    format!("themes/{id}/index.html")
}

/// A cycle's page: what it did and found.
pub(crate) fn cycle_href(id: &str) -> String {
    format!("cycles/{id}/index.html")
}

/// An agency's page (internal builds only).
pub(crate) fn agency_href(id: &str) -> String {
    format!("agencies/{id}/index.html")
}

/// A metric's entry on the metrics page.
pub(crate) fn metric_href(id: &str) -> String {
    format!("{METRICS}#metric-{id}")
}

/// Where a briefing's page is written.
pub(crate) fn briefing_path(slug: &str) -> String {
    format!("briefings/{slug}/index.html")
}

/// A link to a briefing's page: its path with the slug percent-encoded.
pub(crate) fn briefing_href(slug: &str) -> String {
    let mut enc = String::new();
    for b in slug.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            enc.push(char::from(b));
        } else {
            enc.push_str(&format!("%{b:02X}"));
        }
    }
    briefing_path(&enc)
}

/// A page of a member partnership, from a collection's root.
pub(crate) fn in_member(folder: &str, href: &str) -> String {
    format!("{folder}/{href}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_briefing_links_to_the_folder_it_is_written_in() {
        assert_eq!(briefing_path("a b"), "briefings/a b/index.html");
        assert_eq!(briefing_href("a b"), "briefings/a%20b/index.html");
        assert_eq!(briefing_href("2025-q1"), briefing_path("2025-q1"));
        assert_eq!(metric_href("m1"), "metrics/index.html#metric-m1");
        assert_eq!(in_member("nscp", OVERVIEW), "nscp/index.html");
    }
}
