//! Where every page and file of the site sits: the one table of paths, relative to the root of
//! a partnership (or of a collection). The views link with it, `site::render_partnership` and
//! `site::render_collection` lay out the files with it, templates reach it through the
//! `url(page=…)` function, and a collection's reserved folder names are read off it, so a link
//! and the file it points at cannot drift apart.
//!
//! A page's *path* is where its file is written; its *href* is the same path as a URL (only a
//! briefing's slug can hold characters that need escaping). A route of one thing (a question,
//! a theme…) holds `{id}` where that thing's id goes.

use tera::{Kwargs, State, Value};

/// The overview: the partnership's (or the collection's) home page.
pub(crate) const OVERVIEW: &str = "index.html";
pub(crate) const PRIORITIES: &str = "priorities/index.html";
pub(crate) const ACTIONS: &str = "actions/index.html";
pub(crate) const METRICS: &str = "metrics/index.html";
/// What followed each completed action.
pub(crate) const IMPACT: &str = "impact/index.html";
pub(crate) const BRIEFINGS: &str = "briefings/index.html";
pub(crate) const METHOD: &str = "method/index.html";
pub(crate) const ACCESSIBILITY: &str = "accessibility/index.html";
/// A partnership in a collection compared with the others; at the collection's root, every
/// theme and metric compared.
pub(crate) const COMPARE: &str = "compare/index.html";
pub(crate) const STYLESHEET: &str = "assets/style.css";
pub(crate) const PRIORITIES_CSV: &str = "data/priorities.csv";
pub(crate) const PRIORITIES_JSON: &str = "data/priorities.json";
pub(crate) const RATINGS_CSV: &str = "data/ratings.csv";
pub(crate) const IMPACT_CSV: &str = "data/impact.csv";
pub(crate) const IMPACT_JSON: &str = "data/impact.json";
const QUESTION: &str = "questions/{id}/index.html";
const THEME: &str = "themes/{id}/index.html";
/// A cycle's page: what it did and found.
const CYCLE: &str = "cycles/{id}/index.html";
/// An agency's page (internal builds only).
const AGENCY: &str = "agencies/{id}/index.html";
/// A metric's entry on the metrics page.
const METRIC: &str = "metrics/index.html#metric-{id}";
const BRIEFING: &str = "briefings/{id}/index.html";
/// A theme's ratings across a collection's partnerships.
const COMPARE_THEME: &str = "compare/{id}/index.html";
/// A metric's values across a collection's partnerships.
const COMPARE_METRIC: &str = "compare/metrics/{id}/index.html";

/// Which root a route sits under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Root {
    Partnership,
    Collection,
    /// The same path under both (the home page, the accessibility statement, …).
    Both,
}

/// One page or file of the site.
#[derive(Debug)]
pub(crate) struct Route {
    /// What a template calls it: `url(page="priorities")`.
    pub name: &'static str,
    /// From the root; `{id}` stands for the id of the thing a page is about.
    pub path: &'static str,
    pub root: Root,
}

const fn route(name: &'static str, path: &'static str, root: Root) -> Route {
    Route { name, path, root }
}

/// Every page and file of the site. Adding a page starts here.
pub(crate) const TABLE: &[Route] = &[
    route("overview", OVERVIEW, Root::Both),
    route("priorities", PRIORITIES, Root::Partnership),
    route("actions", ACTIONS, Root::Partnership),
    route("metrics", METRICS, Root::Partnership),
    route("impact", IMPACT, Root::Partnership),
    route("briefings", BRIEFINGS, Root::Partnership),
    route("method", METHOD, Root::Partnership),
    route("accessibility", ACCESSIBILITY, Root::Both),
    route("compare", COMPARE, Root::Both),
    route("stylesheet", STYLESHEET, Root::Both),
    route("priorities.csv", PRIORITIES_CSV, Root::Partnership),
    route("priorities.json", PRIORITIES_JSON, Root::Partnership),
    route("ratings.csv", RATINGS_CSV, Root::Partnership),
    route("impact.csv", IMPACT_CSV, Root::Partnership),
    route("impact.json", IMPACT_JSON, Root::Partnership),
    route("question", QUESTION, Root::Partnership),
    route("theme", THEME, Root::Partnership),
    route("cycle", CYCLE, Root::Partnership),
    route("agency", AGENCY, Root::Partnership),
    route("metric", METRIC, Root::Partnership),
    route("briefing", BRIEFING, Root::Partnership),
    route("compare-theme", COMPARE_THEME, Root::Collection),
    route("compare-metric", COMPARE_METRIC, Root::Collection),
];

/// `pattern` with `{id}` replaced by `id`.
fn fill(pattern: &str, id: &str) -> String {
    pattern.replace("{id}", id)
}

pub(crate) fn question_href(id: &str) -> String {
    fill(QUESTION, id)
}

pub(crate) fn theme_href(id: &str) -> String {
    fill(THEME, id)
}

pub(crate) fn cycle_href(id: &str) -> String {
    fill(CYCLE, id)
}

pub(crate) fn agency_href(id: &str) -> String {
    fill(AGENCY, id)
}

pub(crate) fn metric_href(id: &str) -> String {
    fill(METRIC, id)
}

pub(crate) fn compare_theme_href(id: &str) -> String {
    fill(COMPARE_THEME, id)
}

pub(crate) fn compare_metric_href(id: &str) -> String {
    fill(COMPARE_METRIC, id)
}

/// Where a briefing's page is written.
pub(crate) fn briefing_path(slug: &str) -> String {
    fill(BRIEFING, slug)
}

/// A link to a briefing's page: its path with the slug percent-encoded.
pub(crate) fn briefing_href(slug: &str) -> String {
    fill(BRIEFING, &percent_encode(slug))
}

/// Every byte but the URL's unreserved characters as `%XX`. An id (lowercase letters, digits
/// and hyphens) comes through unchanged.
fn percent_encode(text: &str) -> String {
    let mut enc = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            enc.push(char::from(b));
        } else {
            enc.push_str(&format!("%{b:02X}"));
        }
    }
    enc
}

/// A page of a member partnership, from a collection's root.
pub(crate) fn in_member(folder: &str, href: &str) -> String {
    format!("{folder}/{href}")
}

/// The folder names a collection's partnerships may not take: the first folder (or file) of
/// every path the collection's own root holds.
pub(crate) fn reserved_folders() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = TABLE
        .iter()
        .filter(|r| r.root != Root::Partnership)
        .filter_map(|r| r.path.split(['/', '#']).next())
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Whether a partnership folder called `folder` would collide with a collection's own pages.
pub(crate) fn is_reserved(folder: &str) -> bool {
    reserved_folders().contains(&folder)
}

/// Why a template's `url()` names no page.
#[derive(Debug, thiserror::Error)]
pub(crate) enum RouteError {
    #[error("no page is called `{0}`; the pages are: {names}", names = route_names().join(", "))]
    NoSuchPage(String),
    #[error("page `{0}` needs the id of its {0}: `id=…`")]
    NeedsId(String),
    #[error("page `{0}` is a single page: it takes no `id`")]
    TakesNoId(String),
}

/// Every route's name, in the table's order.
fn route_names() -> Vec<&'static str> {
    TABLE.iter().map(|r| r.name).collect()
}

/// The href of the route called `name` from its root, with `id` in its `{id}`.
pub(crate) fn href(name: &str, id: Option<&str>) -> Result<String, RouteError> {
    let Some(route) = TABLE.iter().find(|r| r.name == name) else {
        return Err(RouteError::NoSuchPage(name.to_string()));
    };
    let takes_id = route.path.contains("{id}");
    match (takes_id, id) {
        (true, Some(id)) => Ok(fill(route.path, &percent_encode(id))),
        (false, None) => Ok(route.path.to_string()),
        (true, None) => Err(RouteError::NeedsId(name.to_string())),
        (false, Some(_)) => Err(RouteError::TakesNoId(name.to_string())),
    }
}

/// The templates' `url(page="…", id="…")`: the route's href relative to the page being
/// rendered (from its `site.root`), so the site keeps working from `file://`. Inside a
/// component, which does not see `site`, pass the page's root as `root=…`.
pub(crate) fn url_function(kwargs: Kwargs, state: &State) -> tera::TeraResult<String> {
    let page = kwargs.must_get::<&str>("page")?;
    let id = kwargs.get::<&str>("id")?;
    let href = href(page, id).map_err(|e| tera::Error::message(format!("url(): {e}")))?;
    let root = match kwargs.get::<&str>("root")? {
        Some(root) => root.to_string(),
        None => page_root(state)?,
    };
    Ok(format!("{root}{href}"))
}

/// The `site.root` of the page being rendered.
fn page_root(state: &State) -> tera::TeraResult<String> {
    let site = state.get::<Value>("site")?;
    site.as_ref()
        .and_then(|s| s.get_from_path("root"))
        .and_then(|r| r.as_str().map(str::to_string))
        .ok_or_else(|| {
            tera::Error::message(
                "url(): the page has no `site.root` here (inside a component, pass `root=…`)",
            )
        })
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

    #[test]
    fn the_collections_own_folders_are_reserved() {
        assert_eq!(
            reserved_folders(),
            ["accessibility", "assets", "compare", "index.html"]
        );
        assert!(is_reserved("compare"));
        assert!(
            !is_reserved("priorities"),
            "a partnership's page, not the collection's"
        );
    }

    #[test]
    fn every_route_has_its_own_name_and_path() {
        for (i, a) in TABLE.iter().enumerate() {
            for b in &TABLE[i + 1..] {
                assert_ne!(a.name, b.name);
                assert_ne!(a.path, b.path);
            }
        }
    }

    #[test]
    fn a_route_is_found_by_name_and_refuses_a_wrong_id() {
        assert_eq!(href("priorities", None).unwrap(), PRIORITIES);
        assert_eq!(
            href("question", Some("q1")).unwrap(),
            "questions/q1/index.html"
        );
        assert_eq!(href("briefing", Some("a b")).unwrap(), briefing_href("a b"));
        let e = |name, id| href(name, id).unwrap_err().to_string();
        assert!(e("question", None).contains("id="));
        assert!(e("priorities", Some("x")).contains("no `id`"));
        let e = e("priority", None);
        assert!(e.contains("`priority`") && e.contains("priorities"), "{e}");
    }
}
