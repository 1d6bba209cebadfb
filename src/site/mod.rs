//! Stage 6: turn finished views into the site's files, in memory. Nothing here scores or
//! ranks; it lays out pages, works out each page's relative links, and fills the templates.
//!
//! Every link is relative (`../../priorities/index.html`), so the site works from `file://`,
//! from a zip and from any sub-path of a web server.
//!
//! `views/` builds each page kind's view model (one module a page kind), `routes` is the one
//! table of page paths the views link with and this module writes files at, `format` is where a
//! figure becomes text, `charts` draws the SVGs with their axis maths, `markdown` renders
//! user-written text, and `templates` loads the Tera templates.

pub(crate) mod charts;
pub(crate) mod links;
pub mod markdown;
pub(crate) mod routes;
pub(crate) mod tables;
pub(crate) mod templates;
pub mod views;

use crate::write::OutFile;
use serde::Serialize;
use std::fmt;
use templates::Templates;
use views::{CollectionView, CompareIndex, MemberCompare, PartnershipView, PublicView};

/// Why a page could not be rendered: the template's error and its causes, explained, and the
/// place in a template it points at, when it does.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct RenderError {
    pub message: String,
    pub place: Option<templates::TemplatePlace>,
}

impl RenderError {
    /// A failure that is not a template's (a data file that cannot be written, say).
    fn new(message: String) -> RenderError {
        RenderError {
            message,
            place: None,
        }
    }
}

/// What every page's layout needs: the partnership's name, where the site's root is from this
/// page, the navigation.
#[derive(Debug, Serialize)]
struct Chrome<'a> {
    name: &'a str,
    short_name: &'a str,
    audience: &'static str,
    internal: bool,
    /// From this page to the partnership's root (`""`, `"../"`, `"../../"`).
    root: String,
    /// From this page to the folder holding `assets/`.
    assets: String,
    /// The header's home link.
    home: String,
    /// From this page to the folder whose accessibility and method pages the footer links.
    footer_root: String,
    /// Whether the footer links the method page and data files.
    method: bool,
    nav: Vec<Nav>,
    as_at: Option<&'a str>,
    contact: Option<&'a str>,
    /// Who wrote the practice questions: one sentence, the same on every page.
    questions_by: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct Nav {
    label: &'static str,
    href: String,
    current: bool,
}

#[derive(Debug, Serialize)]
struct Crumb {
    label: String,
    href: Option<String>,
}

/// The sections in the navigation bar: (label, path from the partnership's root, key).
const SECTIONS: &[(&str, &str, &str)] = &[
    ("Overview", routes::OVERVIEW, "overview"),
    ("Priorities", routes::PRIORITIES, "priorities"),
    ("Action plan", routes::ACTIONS, "actions"),
    ("Metrics", routes::METRICS, "metrics"),
    ("Impact", routes::IMPACT, "impact"),
    ("Briefings", routes::BRIEFINGS, "briefings"),
    ("How we score", routes::METHOD, "method"),
];

/// Where a partnership's pages sit in the site.
#[derive(Debug, Clone)]
pub(crate) struct Placement {
    /// `""` for a single partnership, `"<folder>/"` inside a collection.
    pub prefix: String,
    /// The collection's name, when the partnership is one of several.
    pub collection: Option<String>,
}

impl Placement {
    pub fn alone() -> Placement {
        Placement {
            prefix: String::new(),
            collection: None,
        }
    }
}

struct Page {
    /// Path from the partnership's root, ending in `index.html`.
    path: String,
    template: &'static str,
    title: String,
    section: &'static str,
    /// Breadcrumbs between "Overview" and the page itself: (label, path from the root).
    trail: Vec<(String, String)>,
    /// The page's own breadcrumb, when its title is too long for one (a question's text).
    crumb: Option<String>,
    context: tera::Context,
}

impl Page {
    fn new(
        path: impl Into<String>,
        template: &'static str,
        title: impl Into<String>,
        section: &'static str,
    ) -> Page {
        Page {
            path: path.into(),
            template,
            title: title.into(),
            section,
            trail: Vec::new(),
            crumb: None,
            context: tera::Context::new(),
        }
    }

    fn crumb(mut self, label: impl Into<String>) -> Page {
        self.crumb = Some(label.into());
        self
    }

    fn with<T: Serialize + ?Sized>(mut self, key: &'static str, value: &T) -> Page {
        self.context.insert(key, value);
        self
    }

    fn trail(mut self, label: impl Into<String>, path: impl Into<String>) -> Page {
        self.trail.push((label.into(), path.into()));
        self
    }
}

fn up(depth: usize) -> String {
    "../".repeat(depth)
}

/// How many of the newest briefings the overview lists.
const LATEST_BRIEFINGS: usize = 3;

/// Renders one partnership's pages, data files and stylesheet.
pub(crate) fn render_partnership(
    t: &Templates,
    view: &PartnershipView,
    place: &Placement,
) -> Result<Vec<OutFile>, RenderError> {
    let public = &view.public;
    let internal = view.internal.as_deref();
    let audience = if internal.is_some() {
        "internal"
    } else {
        "public"
    };
    let briefings = newest_briefings_first(view);
    let mut pages = vec![overview_page(public, &briefings), priorities_page(public)];
    pages.extend(theme_pages(public, &briefings));
    pages.extend(question_pages(public, internal));
    pages.extend(agency_pages(internal));
    pages.extend(cycle_pages(public, internal));
    pages.extend(plan_pages(public));
    pages.extend(briefing_pages(&briefings));
    pages.extend(about_pages(public));

    let mut files = Vec::with_capacity(pages.len() + 4);
    for page in pages {
        let html = render_page(t, public, audience, place, page)?;
        files.push(html);
    }
    files.push(OutFile::new(
        format!("{}{}", place.prefix, routes::STYLESHEET),
        t.stylesheet.clone(),
    ));
    files.extend(data_files(public, internal, &place.prefix)?);
    Ok(files)
}

/// Every briefing the audience may read (an internal build's too), newest first; the slug
/// keeps the order fixed for briefings of the same day.
fn newest_briefings_first(view: &PartnershipView) -> Vec<&views::BriefingPage> {
    let mut briefings: Vec<&views::BriefingPage> = view.public.briefings.iter().collect();
    if let Some(internal) = view.internal.as_deref() {
        briefings.extend(internal.briefings.iter());
    }
    briefings.sort_by(|a, b| b.date_iso.cmp(&a.date_iso).then(a.slug.cmp(&b.slug)));
    briefings
}

fn overview_page(public: &PublicView, briefings: &[&views::BriefingPage]) -> Page {
    let latest_briefings = &briefings[..briefings.len().min(LATEST_BRIEFINGS)];
    Page::new(routes::OVERVIEW, "index.html", "Overview", "overview")
        .with("cycle", &public.cycle)
        .with("overview", &public.overview)
        .with("latest_briefings", &latest_briefings)
        .with("partnership", &public.partnership)
}

fn priorities_page(public: &PublicView) -> Page {
    Page::new(
        routes::PRIORITIES,
        "priorities.html",
        "Priorities",
        "priorities",
    )
    .with("priorities", &public.priorities)
    .with("other_priorities", &public.other_priorities)
    .with("not_applicable", &public.not_applicable)
    .with("withheld", &public.withheld)
}

/// A page a theme, with the briefings that cover it.
fn theme_pages(public: &PublicView, briefings: &[&views::BriefingPage]) -> Vec<Page> {
    let mut pages = Vec::new();
    for theme in &public.themes {
        let covering: Vec<&views::BriefingPage> = briefings
            .iter()
            .copied()
            .filter(|b| b.themes.contains(&theme.id))
            .collect();
        pages.push(
            Page::new(
                routes::theme_href(&theme.id),
                "theme.html",
                theme.title.clone(),
                "",
            )
            .with("theme", theme)
            .with("theme_briefings", &covering),
        );
    }
    pages
}

/// A page a question; an internal build's carries the agencies' answers.
fn question_pages(public: &PublicView, internal: Option<&views::InternalView>) -> Vec<Page> {
    let mut pages = Vec::new();
    for q in &public.questions {
        let mut page = Page::new(
            routes::question_href(&q.id),
            "question.html",
            // Public pages name a question in words, never by its id.
            if internal.is_some() {
                format!("Question {}", q.id)
            } else {
                q.text.clone()
            },
            "",
        );
        if let Some(href) = &q.theme.href {
            page = page.trail(q.theme.text.clone(), href.clone());
        }
        if internal.is_none() {
            // The public title is the question itself: too long to repeat as a breadcrumb.
            page = page.crumb(format!("{} question", q.level));
        }
        let extra = internal.and_then(|i| i.questions.get(&q.id));
        pages.push(page.with("question", q).with("internal", &extra));
    }
    pages
}

/// A page an agency, in an internal build only.
fn agency_pages(internal: Option<&views::InternalView>) -> Vec<Page> {
    let Some(internal) = internal else {
        return Vec::new();
    };
    internal
        .agencies
        .iter()
        .map(|a| {
            Page::new(
                routes::agency_href(&a.id),
                "agency.html",
                a.name.clone(),
                "",
            )
            .with("agency", a)
        })
        .collect()
}

/// A page a cycle; an internal build's shows every survey statement and its own case figures.
fn cycle_pages(public: &PublicView, internal: Option<&views::InternalView>) -> Vec<Page> {
    public
        .cycles
        .iter()
        .map(|cp| {
            Page::new(
                routes::cycle_href(&cp.summary.id),
                "cycle.html",
                cp.summary.title.clone(),
                "",
            )
            .with("cycle_page", cp)
            .with(
                "surveys",
                internal
                    .and_then(|i| i.surveys.get(&cp.summary.id))
                    .unwrap_or(&cp.surveys),
            )
            .with(
                "internal_cases",
                &internal.and_then(|i| i.cases.get(&cp.summary.id)),
            )
        })
        .collect()
}

/// The action plan, the metrics and what followed the actions.
fn plan_pages(public: &PublicView) -> Vec<Page> {
    vec![
        Page::new(routes::ACTIONS, "actions.html", "Action plan", "actions")
            .with("actions", &public.actions),
        Page::new(routes::METRICS, "metrics.html", "Metrics", "metrics")
            .with("metrics", &public.metrics),
        Page::new(
            routes::IMPACT,
            "impact.html",
            "What followed our actions",
            "impact",
        )
        .with("impact", &public.impact),
    ]
}

/// The list of learning briefings and a page each.
fn briefing_pages(briefings: &[&views::BriefingPage]) -> Vec<Page> {
    let mut pages = vec![
        Page::new(
            routes::BRIEFINGS,
            "briefings.html",
            "Learning briefings",
            "briefings",
        )
        .with("briefings", &briefings),
    ];
    for b in briefings {
        pages.push(
            Page::new(
                routes::briefing_path(&b.slug),
                "briefing.html",
                b.title.clone(),
                "briefings",
            )
            .trail("Learning briefings", routes::BRIEFINGS)
            .with("briefing", b),
        );
    }
    pages
}

/// How we score and rank, and the accessibility statement.
fn about_pages(public: &PublicView) -> Vec<Page> {
    vec![
        Page::new(
            routes::METHOD,
            "method.html",
            "How we score and rank",
            "method",
        )
        .with("method", &public.method)
        .with("cycle", &public.cycle),
        Page::new(
            routes::ACCESSIBILITY,
            "accessibility.html",
            "Accessibility statement",
            "",
        ),
    ]
}

fn render_page(
    t: &Templates,
    public: &PublicView,
    audience: &'static str,
    place: &Placement,
    page: Page,
) -> Result<OutFile, RenderError> {
    let who = Who {
        name: &public.partnership.name,
        short_name: &public.partnership.short_name,
        as_at: public.partnership.as_at.as_deref(),
        contact: public.partnership.contact.as_deref(),
        questions_by: Some(&public.partnership.questions_by),
    };
    page_html(t, &who, audience, place, page)
}

/// Whose pages these are, as the layout names them.
struct Who<'a> {
    name: &'a str,
    short_name: &'a str,
    as_at: Option<&'a str>,
    contact: Option<&'a str>,
    questions_by: Option<&'a str>,
}

fn page_html(
    t: &Templates,
    who: &Who<'_>,
    audience: &'static str,
    place: &Placement,
    mut page: Page,
) -> Result<OutFile, RenderError> {
    let depth = page.path.matches('/').count();
    let root = up(depth);
    let in_collection = place.collection.is_some();
    let mut nav: Vec<Nav> = SECTIONS
        .iter()
        .map(|(label, path, key)| Nav {
            label,
            href: format!("{root}{path}"),
            current: *key == page.section && (depth == 0 || *key != "overview"),
        })
        .collect();
    if in_collection {
        nav.push(Nav {
            label: "Compared",
            href: format!("{root}{}", routes::COMPARE),
            current: page.section == "compare",
        });
    }
    let mut crumbs = Vec::new();
    if depth > 0 || in_collection {
        if let Some(name) = &place.collection {
            crumbs.push(Crumb {
                label: name.clone(),
                href: Some(format!("{}{}", up(depth + 1), routes::OVERVIEW)),
            });
        }
        if depth > 0 {
            crumbs.push(Crumb {
                label: "Overview".into(),
                href: Some(format!("{root}{}", routes::OVERVIEW)),
            });
        }
        for (label, path) in &page.trail {
            crumbs.push(Crumb {
                label: label.clone(),
                href: Some(format!("{root}{path}")),
            });
        }
        crumbs.push(Crumb {
            label: page.crumb.clone().unwrap_or_else(|| page.title.clone()),
            href: None,
        });
    }
    let chrome = Chrome {
        name: who.name,
        short_name: who.short_name,
        audience,
        internal: audience == "internal",
        root: root.clone(),
        assets: root.clone(),
        home: format!("{root}{}", routes::OVERVIEW),
        footer_root: root.clone(),
        method: true,
        nav,
        as_at: who.as_at,
        contact: who.contact,
        questions_by: who.questions_by,
    };
    page.context.insert("site", &chrome);
    page.context.insert("crumbs", &crumbs);
    page.context.insert("title", &page.title);
    let path = format!("{}{}", place.prefix, page.path);
    let html = render(t, page.template, &page.context, &path)?;
    Ok(OutFile::new(path, tables::wrap_tables(html)))
}

/// A partnership's page in a collection comparing it with the others (`<folder>/compare/`),
/// rendered once every partnership's figures are known.
pub(crate) fn render_member_compare(
    t: &Templates,
    view: &MemberCompare,
    as_at: Option<&str>,
    contact: Option<&str>,
    internal: bool,
    place: &Placement,
) -> Result<OutFile, RenderError> {
    let who = Who {
        name: &view.name,
        short_name: &view.short_name,
        as_at,
        contact,
        questions_by: None,
    };
    let audience = if internal { "internal" } else { "public" };
    let page = Page::new(
        routes::COMPARE,
        "compare-member.html",
        "Compared with other partnerships",
        "compare",
    )
    .with("compare", view);
    page_html(t, &who, audience, place, page)
}

/// One of a collection's own pages, before its layout is filled in.
struct CollectionPage {
    path: String,
    template: &'static str,
    title: String,
    /// Breadcrumbs between the collection's index and the page: (label, path from the root).
    trail: Vec<(String, String)>,
    context: tera::Context,
}

impl CollectionPage {
    fn new(path: impl Into<String>, template: &'static str, title: impl Into<String>) -> Self {
        CollectionPage {
            path: path.into(),
            template,
            title: title.into(),
            trail: Vec::new(),
            context: tera::Context::new(),
        }
    }

    fn with<T: Serialize + ?Sized>(mut self, key: &'static str, value: &T) -> Self {
        self.context.insert(key, value);
        self
    }
}

/// A collection's own pages: the index, the comparison pages (`compare/`), the accessibility
/// statement and the stylesheet.
pub(crate) fn render_collection(
    t: &Templates,
    name: &str,
    view: &CollectionView,
    compare: &CompareIndex,
    internal: bool,
) -> Result<Vec<OutFile>, RenderError> {
    let mut files = Vec::new();
    for page in collection_pages(view, compare) {
        files.push(render_collection_page(t, name, internal, page)?);
    }
    files.push(OutFile::new(routes::STYLESHEET, t.stylesheet.clone()));
    Ok(files)
}

/// The index, every theme and metric compared, and the accessibility statement.
fn collection_pages(view: &CollectionView, compare: &CompareIndex) -> Vec<CollectionPage> {
    let compared = "Compared theme by theme";
    let back = || vec![(compared.to_string(), routes::COMPARE.to_string())];
    let mut pages = vec![
        CollectionPage::new(routes::OVERVIEW, "collection.html", "Partnerships compared")
            .with("collection", view)
            .with("compare", compare),
        CollectionPage::new(routes::COMPARE, "compare.html", compared).with("compare", compare),
    ];
    for spread in &compare.themes {
        let mut page = CollectionPage::new(&spread.href, "compare-theme.html", &spread.title);
        page.trail = back();
        pages.push(page.with("spread", spread));
    }
    for spread in &compare.metrics {
        let mut page = CollectionPage::new(&spread.href, "compare-metric.html", &spread.title);
        page.trail = back();
        pages.push(page.with("spread", spread));
    }
    pages.push(CollectionPage::new(
        routes::ACCESSIBILITY,
        "accessibility.html",
        "Accessibility statement",
    ));
    pages
}

/// One collection page in the collection's layout: no navigation bar, and breadcrumbs from the
/// collection's index on every page but the index.
fn render_collection_page(
    t: &Templates,
    name: &str,
    internal: bool,
    mut page: CollectionPage,
) -> Result<OutFile, RenderError> {
    let depth = page.path.matches('/').count();
    let root = up(depth);
    let chrome = Chrome {
        name,
        short_name: name,
        audience: if internal { "internal" } else { "public" },
        internal,
        root: root.clone(),
        assets: root.clone(),
        home: format!("{root}{}", routes::OVERVIEW),
        footer_root: root.clone(),
        method: false,
        nav: Vec::new(),
        as_at: None,
        contact: None,
        questions_by: None,
    };
    let mut crumbs: Vec<Crumb> = Vec::new();
    if depth > 0 {
        crumbs.push(Crumb {
            label: name.to_string(),
            href: Some(format!("{root}{}", routes::OVERVIEW)),
        });
        for (label, p) in page.trail {
            crumbs.push(Crumb {
                label,
                href: Some(format!("{root}{p}")),
            });
        }
        crumbs.push(Crumb {
            label: page.title.clone(),
            href: None,
        });
    }
    page.context.insert("site", &chrome);
    page.context.insert("crumbs", &crumbs);
    page.context.insert("title", &page.title);
    let html = render(t, page.template, &page.context, &page.path)?;
    Ok(OutFile::new(page.path, tables::wrap_tables(html)))
}

/// One page's template filled in; a failure names the page and the template, and keeps the
/// place in the template the engine points at.
fn render(
    t: &Templates,
    template: &str,
    context: &tera::Context,
    path: &str,
) -> Result<String, RenderError> {
    t.tera.render(template, context).map_err(|e| RenderError {
        message: format!("cannot render {path} (template {template}):\n{e}"),
        place: templates::place_of(&e),
    })
}

/// `data/priorities.csv`, `data/priorities.json`, `data/ratings.csv` and the impact files.
fn data_files(
    public: &PublicView,
    internal: Option<&views::InternalView>,
    prefix: &str,
) -> Result<Vec<OutFile>, RenderError> {
    let mut files = priorities_files(public, prefix)?;
    files.extend(impact_files(public, prefix)?);
    files.push(OutFile::new(
        format!("{prefix}{}", routes::RATINGS_CSV),
        ratings_csv(public, internal)?,
    ));
    Ok(files)
}

fn csv_error(e: impl fmt::Display) -> RenderError {
    RenderError::new(format!("cannot write a data file: {e}"))
}

/// The ranking as CSV (when the partnership has a cycle to rank) and as JSON (empty without).
fn priorities_files(public: &PublicView, prefix: &str) -> Result<Vec<OutFile>, RenderError> {
    let mut files = Vec::new();
    if let Some(report) = &public.priorities_json {
        let bytes =
            crate::analysis::priorities_csv(std::slice::from_ref(report)).map_err(csv_error)?;
        files.push(OutFile::new(
            format!("{prefix}{}", routes::PRIORITIES_CSV),
            bytes,
        ));
    }
    let json = match &public.priorities_json {
        Some(report) => serde_json::to_string_pretty(report),
        None => serde_json::to_string_pretty(&serde_json::json!({
            "partnership": public.partnership.name,
            "folder": public.partnership.folder,
            "cycle": null,
            "priorities": [],
            "actions": [],
            "uncovered": [],
        })),
    }
    .map_err(|e| RenderError::new(format!("cannot write data/priorities.json: {e}")))?;
    files.push(OutFile::new(
        format!("{prefix}{}", routes::PRIORITIES_JSON),
        format!("{json}\n"),
    ));
    Ok(files)
}

const RATINGS_HEADER: [&str; 16] = [
    "cycle",
    "method",
    "question",
    "theme",
    "level",
    "by",
    "rating",
    "label",
    "source",
    "confidence",
    "moderated",
    "rated",
    "not_applicable",
    "unanswered",
    "score",
    "rank",
];

/// `data/ratings.csv`: the partnership's rating of every question in every cycle, then (in an
/// internal build only, since only the internal view has them) each agency's.
fn ratings_csv(
    public: &PublicView,
    internal: Option<&views::InternalView>,
) -> Result<Vec<u8>, RenderError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(RATINGS_HEADER).map_err(csv_error)?;
    for r in &public.ratings {
        w.write_record(
            [
                r.cycle.clone(),
                r.method.as_str().to_string(),
                r.question.clone(),
                r.theme.clone(),
                r.level.as_str().to_string(),
                "partnership".to_string(),
                r.rating.map_or(String::new(), |x| crate::format::num(x, 2)),
                r.label.clone(),
                r.source.clone(),
                String::new(),
                r.moderated.to_string(),
                r.rated.map_or(String::new(), |x| x.data()),
                r.not_applicable.map_or(String::new(), |x| x.data()),
                r.unanswered.map_or(String::new(), |x| x.data()),
                r.score.map_or(String::new(), |x| crate::format::num(x, 2)),
                r.rank.to_string(),
            ]
            .map(crate::analysis::csv_cell),
        )
        .map_err(csv_error)?;
    }
    for r in internal.iter().flat_map(|i| &i.agency_ratings) {
        let given = [
            r.cycle.clone(),
            r.method.clone(),
            r.question.clone(),
            r.theme.clone(),
            r.level.as_str().to_string(),
            r.agency.clone(),
            r.rating.clone(),
            String::new(),
            String::new(),
            r.confidence.clone(),
        ];
        let row = given
            .into_iter()
            .chain(std::iter::repeat_n(String::new(), 6))
            .map(crate::analysis::csv_cell);
        w.write_record(row).map_err(csv_error)?;
    }
    w.into_inner().map_err(csv_error)
}

/// `data/impact.csv` (a row per measure of each completed action) and `data/impact.json`:
/// what the impact page shows, in the audience's words (ratings in words on a public site).
fn impact_files(public: &PublicView, prefix: &str) -> Result<Vec<OutFile>, RenderError> {
    let err = |e: String| RenderError::new(format!("cannot write a data file: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "action",
        "completed",
        "verdict",
        "kind",
        "measure",
        "method",
        "before",
        "after",
        "change",
    ])
    .map_err(|e| err(e.to_string()))?;
    for a in &public.impact.actions {
        let rows = a
            .questions
            .iter()
            .map(|q| {
                (
                    "question",
                    &q.question.id,
                    q.method.as_str(),
                    &q.before,
                    &q.after,
                    &q.change,
                )
            })
            .chain(
                a.metrics
                    .iter()
                    .map(|m| ("metric", &m.metric.id, "", &m.before, &m.after, &m.change)),
            );
        let rows: Vec<_> = rows.collect();
        if rows.is_empty() {
            // The public edition gives each action's verdict alone, without its measures.
            w.write_record(
                [a.id.clone(), a.completed.clone(), a.verdict.text.clone()]
                    .into_iter()
                    .chain(std::iter::repeat_n(String::new(), 6))
                    .map(crate::analysis::csv_cell),
            )
            .map_err(|e| err(e.to_string()))?;
        }
        for (kind, id, method, before, after, change) in rows {
            w.write_record(
                [
                    a.id.clone(),
                    a.completed.clone(),
                    a.verdict.text.clone(),
                    kind.to_string(),
                    id.clone(),
                    method.to_string(),
                    before.clone(),
                    after.clone(),
                    change.text.clone(),
                ]
                .map(crate::analysis::csv_cell),
            )
            .map_err(|e| err(e.to_string()))?;
        }
    }
    let csv = w.into_inner().map_err(|e| err(e.to_string()))?;
    let json = serde_json::to_string_pretty(&public.impact).map_err(|e| err(e.to_string()))?;
    Ok(vec![
        OutFile::new(format!("{prefix}{}", routes::IMPACT_CSV), csv),
        OutFile::new(
            format!("{prefix}{}", routes::IMPACT_JSON),
            format!("{json}\n"),
        ),
    ])
}
