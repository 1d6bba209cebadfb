//! The view model: every figure and sentence a page shows, finished before any template runs.
//!
//! Publication safety is a property of these types, not of the templates. [`PublicView`] holds
//! what both audiences see and has no field that could carry an agency's return text
//! (`evidence`, `gaps`, `internal`), an agency's own rating, a moderation `note` or an internal
//! briefing. Those live only in [`InternalView`], which a public build never constructs (see
//! [`Audience::build`]). Every user-written string that enters a `PublicView` goes through a
//! [`Publisher`], which records it with its source location in [`PublicView::published`]: the
//! list the personal-data scan reads before anything is written.
//!
//! One module per page kind builds that page's view (`overview`, `priorities`, `themes`,
//! `questions`, `actions`, `metrics`, `method`, `briefings`, the internal `agencies`, and a
//! collection's index in `collection`); `cycle` and `change` hold the latest cycle's summary and
//! its comparison with earlier cycles, `ratings` the lines of `data/ratings.csv`. This module
//! holds what they share: the [`Publisher`], the context of a build and the small view types.

mod actions;
mod agencies;
mod briefings;
mod cases;
mod change;
mod collection;
mod compare;
mod cycle;
mod impact;
mod method;
mod metrics;
mod overview;
mod priorities;
mod questions;
mod ratings;
mod surveys;
mod themes;

pub use agencies::InternalView;
pub use briefings::BriefingPage;
use briefings::public_briefing;
pub use collection::{CollectionView, MemberSummary};
pub use compare::{CompareIndex, MemberCompare, compare_index, member_compare};

use super::charts::Swatch;
use super::markdown;
use super::routes;
use crate::analysis::score::Flag;
use crate::analysis::{Analysis, CycleRecord, Ledger, RankReport};
use crate::disclosure::QuestionDisclosure;
use crate::model::{
    ActionStatus, Audience, Audit, Confidence, Cycle, Framework, Level, Method, Metric, Rag,
    Rating, ScaleLevel,
};
use crate::source::Loc;
use actions::{ActionsPage, actions_page};
pub use cycle::CyclePage;
use cycle::{CycleView, cycle_pages, cycle_view};
use method::{MethodPage, method_page};
use metrics::{MetricsPage, metrics_page};
use overview::{Overview, overview};
use priorities::{PriorityRow, priority_row};
use questions::{QuestionPage, question_pages};
use ratings::{RatingRow, rating_rows};
use serde::Serialize;
use std::collections::BTreeMap;
use themes::{ThemePage, theme_pages};

/// A string from a user's file on its way to a public page, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedText {
    pub loc: Loc,
    pub text: String,
}

/// Records every user-written text put into a public view. Building the public view through
/// it is what makes [`PublicView::published`] complete.
#[derive(Debug, Default)]
struct Publisher {
    texts: Vec<PublishedText>,
    /// Every table of counts the view publishes, for the disclosure audit.
    tables: Vec<PublishedTable>,
}

/// A table of counts a page publishes about agencies, cases or responses, as published: what
/// the disclosure audit (`crate::disclosure::audit`) recomputes before a public build writes it.
#[derive(Debug, Clone)]
pub struct PublishedTable {
    /// The page and table, as an error names it.
    pub name: String,
    pub cells: Vec<crate::disclosure::Shown>,
    /// The published total the cells add up to, when one is published.
    pub total: Option<usize>,
    /// What bounds a cell when no total is published.
    pub upper: usize,
    /// The smallest count that may be shown.
    pub min: usize,
    /// A mean, range or other exact figure is published beside the table.
    pub derived: bool,
}

impl Publisher {
    fn text(&mut self, loc: &Loc, s: &str) -> String {
        if !s.trim().is_empty() {
            self.texts.push(PublishedText {
                loc: loc.clone(),
                text: s.to_string(),
            });
        }
        s.to_string()
    }

    /// Markdown rendered to sanitised HTML, with headings starting at `<h{top}>`.
    fn markdown(&mut self, loc: &Loc, s: &str, top: u8) -> String {
        self.text(loc, s);
        markdown::to_html(s, top)
    }
}

/// The views of one partnership for an audience, reporting cycle `main` (default: the audit's
/// main cycle, the latest self-assessment). Only `Internal` ever builds an [`InternalView`]: a
/// public build has no internal text in memory to leak.
pub fn build_views(
    audience: Audience,
    audit: &Audit,
    ledger: &Ledger,
    main: Option<&str>,
) -> PartnershipView {
    let public = PublicView::build(audit, ledger, main, audience == Audience::Public);
    let internal = match audience {
        Audience::Internal => Some(Box::new(InternalView::build(audit, ledger, main))),
        Audience::Public => None,
    };
    PartnershipView { public, internal }
}

/// One partnership's site content for one audience.
#[derive(Debug)]
pub struct PartnershipView {
    pub public: PublicView,
    /// None in a public build.
    pub internal: Option<Box<InternalView>>,
}

// ---------------------------------------------------------------------------------------------
// Small shared pieces
// ---------------------------------------------------------------------------------------------

/// A status shown as words on a coloured tag: the words carry the meaning.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Tag {
    pub text: String,
    /// `red`, `orange`, `green`, `blue`, `grey`, `purple` or `turquoise`.
    pub class: &'static str,
}

impl Tag {
    fn new(text: impl Into<String>, class: &'static str) -> Tag {
        Tag {
            text: text.into(),
            class,
        }
    }
}

/// A link to a page of the site; `href` is relative to the partnership's root, and None when
/// the thing has no page of its own (then the text is shown plain).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ref {
    pub id: String,
    pub text: String,
    pub href: Option<String>,
}

/// An inline SVG chart with its caption (the SVG already names itself for screen readers).
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub id: String,
    pub caption: String,
    pub svg: String,
}

fn level_word(l: Level) -> &'static str {
    match l {
        Level::Strategic => "Strategic",
        Level::Practitioner => "Practitioner",
    }
}

fn method_word(m: Method) -> String {
    let w = m.words();
    let mut c = w.chars();
    c.next().map_or(String::new(), |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    })
}

fn confidence_word(c: Confidence) -> &'static str {
    match c {
        Confidence::High => "High",
        Confidence::Medium => "Medium",
        Confidence::Low => "Low",
    }
}

fn rag_class(rag: Rag) -> &'static str {
    match rag {
        Rag::Red => "red",
        Rag::Amber => "orange",
        Rag::Green => "green",
    }
}

/// What a question's assessed rating rests on, in a reader's words: its own cycle's source, or
/// the deep dive that set it ("case files, multi-agency tabletop audit 2026-q1").
fn rating_source(s: &crate::analysis::score::QuestionScore) -> String {
    let cap = |w: &str| {
        let mut c = w.chars();
        c.next().map_or(String::new(), |f| {
            f.to_uppercase().collect::<String>() + c.as_str()
        })
    };
    match (&s.lowered_by, s.own_source) {
        (Some(r), _) => format!(
            "{}, {} {} (lower than the agencies)",
            cap(r.source.words()),
            r.method.words(),
            r.cycle
        ),
        (None, Some(src)) if s.rating.is_some() => cap(src.words()),
        _ => "No evidence".to_string(),
    }
}

/// Where an agency's return stands, as every page words it (`analysis::returns` decides it).
fn return_tag(s: crate::analysis::returns::ReturnStatus) -> Tag {
    use crate::analysis::returns::ReturnStatus;
    match s {
        ReturnStatus::Returned => Tag::new("Returned", "green"),
        ReturnStatus::PartlyAnswered { answered, asked } => {
            Tag::new(format!("Partly answered ({answered} of {asked})"), "orange")
        }
        ReturnStatus::Empty => Tag::new("Empty return", "red"),
        ReturnStatus::CarriedOver => Tag::new("Carried over unchanged", "orange"),
        ReturnStatus::NotReceived => Tag::new("Not received", "red"),
    }
}

fn status_tag(s: ActionStatus) -> Tag {
    match s {
        ActionStatus::NotStarted => Tag::new("Not started", "grey"),
        ActionStatus::InProgress => Tag::new("In progress", "blue"),
        ActionStatus::Complete => Tag::new("Complete", "green"),
        ActionStatus::Dropped => Tag::new("Dropped", "purple"),
    }
}

fn flag_words(f: Flag) -> &'static str {
    match f {
        Flag::Unanswered => "Not every agency answered",
        Flag::AgenciesDisagree => "Agencies disagree",
        Flag::StatutoryLow => "An agency with a legal duty to safeguard children rated it low",
        Flag::MetricOffTarget => "A metric is worse than target",
        Flag::WorseThanComparator => "A metric is worse than the comparator",
        Flag::MetricWorsening => "A metric is getting worse",
        Flag::Deteriorated => "Rating fell since the last comparable cycle",
        Flag::EvidenceConflict => "A case audit or survey found less assurance",
        Flag::ActionsCompleteNoChange => "Actions complete, no better since",
        Flag::Moderated => "Rating set by moderation",
        Flag::LowConfidence => "Mostly low-confidence evidence",
    }
}

/// The effective rating of a question as a tag: the scale level's label (and the number when
/// it is an aggregate between levels: internal pages only, see [`Ctx::rating_tag`]).
fn rating_tag(fw: &Framework, rating: Option<f64>) -> Tag {
    match rating {
        None => Tag::new("No rating", "grey"),
        Some(r) => {
            let level = fw.level_at(r);
            let text = if (r - f64::from(level.value)).abs() < 1e-9 {
                level.label.clone()
            } else {
                format!("{} ({})", level.label, crate::format::rating(r))
            };
            Tag::new(text, rag_class(level.rag))
        }
    }
}

fn rating_value_tag(fw: &Framework, rating: Option<Rating>) -> Tag {
    match rating {
        None => Tag::new("Not answered", "grey"),
        Some(Rating::NotApplicable) => Tag::new("Not applicable", "grey"),
        Some(Rating::Value(v)) => match fw.level(v) {
            Some(level) => Tag::new(format!("{v} – {}", level.label), rag_class(level.rag)),
            None => Tag::new(v.to_string(), "grey"),
        },
    }
}

/// The swatches of a scale, lowest level first.
fn swatches(scale: &[ScaleLevel]) -> Vec<Swatch> {
    let top_green = scale.iter().rposition(|l| l.rag == Rag::Green);
    scale
        .iter()
        .enumerate()
        .map(|(i, l)| Swatch::for_level(l.rag, Some(i) == top_green))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The public view
// ---------------------------------------------------------------------------------------------

/// Everything both audiences see. It has no field for any agency's return text or rating,
/// moderation notes or internal briefings.
#[derive(Debug, Serialize)]
pub struct PublicView {
    pub partnership: PartnershipInfo,
    /// None before the first audit cycle.
    pub cycle: Option<CycleView>,
    pub overview: Overview,
    pub priorities: Vec<PriorityRow>,
    /// Questions the reported cycle did not ask, at their latest evidence from another cycle:
    /// the rest of the programme's risk, which the action plan takes in.
    pub other_priorities: Vec<PriorityRow>,
    /// Questions in scope that were not ranked because every answer was "not applicable".
    pub not_applicable: Vec<Ref>,
    /// Public edition: questions whose rating rests on too few agencies to publish.
    pub withheld: Vec<Ref>,
    pub themes: Vec<ThemePage>,
    pub questions: Vec<QuestionPage>,
    pub actions: ActionsPage,
    pub metrics: MetricsPage,
    /// What followed each completed action.
    pub impact: impact::ImpactPage,
    /// Briefings with `audience = "public"` only.
    pub briefings: Vec<BriefingPage>,
    /// A page per cycle of the programme, oldest first.
    pub cycles: Vec<CyclePage>,
    pub method: MethodPage,
    /// `data/priorities.json`: the `rank --format json` report (aggregates only).
    #[serde(skip)]
    pub priorities_json: Option<RankReport>,
    /// `data/ratings.csv` rows: the partnership's effective rating per question and cycle.
    #[serde(skip)]
    pub ratings: Vec<RatingRow>,
    /// Every user-written text in this view with its source: what the publication scan reads.
    #[serde(skip)]
    pub published: Vec<PublishedText>,
    /// Every table of counts the view publishes: what the disclosure audit reads.
    #[serde(skip)]
    pub tables: Vec<PublishedTable>,
}

impl PublicView {
    /// The disclosure audit of a public build: every published table's hidden cells must each
    /// be at least the minimum wide given what the table shows, and no exact figure may stand
    /// beside a table that hides a count. The first failure, naming the page and table.
    pub fn audit(&self) -> Result<(), DisclosureError> {
        for t in &self.tables {
            let hides = t.cells.iter().any(|c| !c.is_exact());
            if hides && t.derived {
                return Err(DisclosureError::ExactBeside {
                    table: t.name.clone(),
                });
            }
            if let Err(narrow) = crate::disclosure::audit(&t.cells, t.total, t.upper, t.min) {
                return Err(DisclosureError::Narrow {
                    table: t.name.clone(),
                    narrow,
                    min: t.min,
                });
            }
        }
        Ok(())
    }
}

/// The first published table that would give a hidden count away, and how.
#[derive(Debug, thiserror::Error)]
pub enum DisclosureError {
    #[error("{table}: an exact figure (mean, range) is published beside a hidden count")]
    ExactBeside { table: String },
    #[error(
        "{table}: a hidden count (cell {}) could be worked out to between {} and {}, narrower than the minimum of {min}",
        .narrow.cell + 1,
        .narrow.low,
        .narrow.high
    )]
    Narrow {
        table: String,
        narrow: crate::disclosure::Narrow,
        min: usize,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct PartnershipInfo {
    pub name: String,
    pub short_name: String,
    pub area: String,
    pub folder: String,
    pub contact: Option<String>,
    /// The date the board approved the publication, in words.
    pub approved: Option<String>,
    /// "Figures as at" date: the latest cycle's close or moderation, never the clock.
    pub as_at: Option<String>,
    /// Who wrote the practice questions, in the one sentence every page carries.
    pub questions_by: String,
}

/// Who wrote the practice questions the audit asks, in one sentence: the bundled banks are
/// panelaudit's, written in its makers' own words; a bank in the partnership's `frameworks/`
/// folder is the partnership's. The footer of every page and the public overview say it, so no
/// two pages disagree.
pub fn questions_by(audit: &Audit) -> String {
    let used: Vec<&Framework> = audit
        .cycles
        .iter()
        .filter_map(|c| audit.frameworks.get(&c.framework))
        .collect();
    let (ours, own) = if used.is_empty() {
        (true, false)
    } else {
        (
            used.iter().any(|f| f.bundled),
            used.iter().any(|f| !f.bundled),
        )
    };
    let who = match (ours, own) {
        (true, true) => {
            "by the makers of panelaudit, the toolkit behind this report, and by the partnership itself"
        }
        (false, true) => "by the partnership itself",
        _ => "by the makers of panelaudit, the toolkit behind this report",
    };
    format!(
        "The practice questions were written {who}, in their own words, from the published learning of the national Child Safeguarding Practice Review Panel and other national and local reviews; they are not the Panel's own questions."
    )
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusCount {
    pub status: Tag,
    pub count: usize,
}

struct Ctx<'a> {
    audit: &'a Audit,
    /// A public build: figures pass disclosure control, ratings are written in words.
    public: bool,
    /// Every cycle's evidence and analysis, oldest first.
    ledger: &'a Ledger,
    latest: Option<(&'a Cycle, &'a Analysis, &'a Framework)>,
    /// Questions that have a page: those in the latest cycle's scope.
    pages: BTreeMap<&'a str, &'a crate::model::Question>,
}

impl<'a> Ctx<'a> {
    /// `main`: the cycle the site reports (`--cycle`, else the audit's main cycle).
    fn new(audit: &'a Audit, ledger: &'a Ledger, main: Option<&str>, public: bool) -> Ctx<'a> {
        let main = main.or_else(|| audit.main_cycle().map(|c| c.id.as_str()));
        let chosen = ledger
            .analyses()
            .find(|a| Some(a.cycle.as_str()) == main)
            .or_else(|| ledger.analyses().last());
        let latest = chosen.and_then(|a| {
            let cycle = audit.cycle(&a.cycle)?;
            let fw = audit.frameworks.get(&cycle.framework)?;
            Some((cycle, a, fw))
        });
        // Every question any cycle asked has a page: the main cycle's first, then those only
        // a deep dive (or an earlier cycle) asked.
        let mut pages: BTreeMap<&str, &crate::model::Question> = latest
            .map(|(c, _, fw)| c.questions(fw).map(|q| (q.id.as_str(), q)).collect())
            .unwrap_or_default();
        for c in audit.cycles.iter().rev() {
            if let Some(fw) = audit.frameworks.get(&c.framework) {
                for q in c.questions(fw) {
                    pages.entry(q.id.as_str()).or_insert(q);
                }
            }
        }
        Ctx {
            audit,
            public,
            ledger,
            latest,
            pages,
        }
    }

    /// A cycle's evidence and analysis.
    fn record(&self, cycle: &str) -> Option<&'a CycleRecord> {
        self.ledger.cycle(cycle)
    }

    /// A rating as a tag: the level's label, with the figure on internal pages when it lies
    /// between levels. Public pages give the level in words only: an exact figure could give
    /// away a count hidden beside it, and readers need the words.
    fn rating_tag(&self, fw: &Framework, rating: Option<f64>) -> Tag {
        match rating {
            Some(r) if self.public => {
                let level = fw.level_at(r);
                Tag::new(level.label.clone(), rag_class(level.rag))
            }
            _ => rating_tag(fw, rating),
        }
    }

    /// What may be published of how the agencies answered `question` in `cycle`: everything
    /// on internal pages, what disclosure control allows on public ones.
    fn disclosure(&self, cycle: &Cycle, fw: &Framework, question: &str) -> QuestionDisclosure {
        let tally = self
            .record(&cycle.id)
            .and_then(|r| r.evidence.tallies.get(question));
        let levels: Vec<usize> = fw
            .scale
            .iter()
            .map(|l| tally.map_or(0, |t| t.at(l.value)))
            .collect();
        let confidence: Vec<usize> = Confidence::ALL
            .iter()
            .rev()
            .map(|c| tally.map_or(0, |t| t.with_confidence(*c)))
            .collect();
        if !self.public {
            return QuestionDisclosure::open(&levels, &confidence);
        }
        let taking_part = cycle.agencies(&self.audit.partnership).count();
        let min = self.audit.partnership.disclosure.min_agencies;
        crate::disclosure::question(&levels, &confidence, taking_part, min)
    }

    /// Whether a cycle publishes agency-level figures: internal pages always; public ones when
    /// at least the minimum number of agencies took part.
    fn agency_figures(&self, cycle: &Cycle) -> bool {
        !self.public
            || cycle.agencies(&self.audit.partnership).count()
                >= self.audit.partnership.disclosure.min_agencies
    }

    fn question_ref(&self, id: &str, p: &mut Publisher) -> Ref {
        match self.pages.get(id) {
            Some(q) => {
                let loc = self.question_loc(id);
                Ref {
                    id: id.to_string(),
                    text: p.text(&loc, &q.text),
                    href: Some(routes::question_href(id)),
                }
            }
            None => Ref {
                id: id.to_string(),
                text: id.to_string(),
                href: None,
            },
        }
    }

    fn question_loc(&self, id: &str) -> Loc {
        self.pages
            .get(id)
            .map(|q| q.loc.clone())
            .unwrap_or_default()
    }

    fn theme_ref(&self, id: &str, p: &mut Publisher) -> Ref {
        if let Some((_, a, fw)) = self.latest
            && let Some(t) = fw.theme(id)
        {
            let has_page = a.ranking.themes.iter().any(|s| s.theme == id);
            return Ref {
                id: id.to_string(),
                text: p.text(&t.loc, &t.title),
                href: has_page.then(|| routes::theme_href(id)),
            };
        }
        // A theme of another framework: name it if any framework knows it.
        let title = self.audit.frameworks.values().find_map(|fw| fw.theme(id));
        match title {
            Some(t) => Ref {
                id: id.to_string(),
                text: p.text(&t.loc, &t.title),
                href: None,
            },
            None => Ref {
                id: id.to_string(),
                text: id.to_string(),
                href: None,
            },
        }
    }

    fn metric_ref(&self, m: &Metric, p: &mut Publisher) -> Ref {
        Ref {
            id: m.id.clone(),
            text: p.text(&m.loc, &m.title),
            href: Some(routes::metric_href(&m.id)),
        }
    }
}

/// The latest cycle's ranking as the pages show it.
struct Ranking {
    priorities: Vec<PriorityRow>,
    /// Questions ranked in other cycles (deep dives asking beyond the main cycle).
    elsewhere: Vec<PriorityRow>,
    withheld: Vec<Ref>,
    not_applicable: Vec<Ref>,
}

impl Ranking {
    fn of(ctx: &Ctx<'_>, p: &mut Publisher) -> Ranking {
        let Some((_, a, fw)) = ctx.latest else {
            return Ranking {
                priorities: Vec::new(),
                elsewhere: Vec::new(),
                withheld: Vec::new(),
                not_applicable: Vec::new(),
            };
        };
        let priorities = a
            .ranking
            .priorities
            .iter()
            .map(|s| priority_row(ctx, fw, s, p))
            .collect();
        let elsewhere = a
            .elsewhere
            .iter()
            .filter_map(|s| {
                let c = ctx.audit.cycle(&s.cycle)?;
                let fw = ctx.audit.frameworks.get(&c.framework)?;
                Some(priority_row(ctx, fw, s, p))
            })
            .collect();
        let mut refs =
            |ids: &[String]| -> Vec<Ref> { ids.iter().map(|q| ctx.question_ref(q, p)).collect() };
        let withheld = refs(&a.ranking.withheld);
        let not_applicable = refs(&a.ranking.not_applicable);
        Ranking {
            priorities,
            elsewhere,
            withheld,
            not_applicable,
        }
    }
}

/// Who the partnership is, and how recent the evidence its figures rest on: the cycle's
/// close, its moderation, and the close of every deep dive that weighs on it.
fn partnership_info(ctx: &Ctx<'_>, p: &mut Publisher) -> PartnershipInfo {
    let audit = ctx.audit;
    let ploc = &audit.partnership.loc;
    let as_at = ctx.latest.map(|(c, a, _)| {
        let moderated = c.moderation.as_ref().and_then(|m| m.moderated_on);
        let dives = a
            .deep_dives
            .iter()
            .filter_map(|d| audit.cycle(d))
            .map(|d| d.closed);
        dives
            .chain(moderated)
            .fold(c.closed, |latest, d| latest.max(d))
            .long()
    });
    PartnershipInfo {
        name: p.text(ploc, &audit.partnership.name),
        short_name: p.text(ploc, &audit.partnership.short_name),
        area: p.text(ploc, &audit.partnership.area),
        folder: audit.folder.clone(),
        contact: audit.partnership.contact.as_ref().map(|c| p.text(ploc, c)),
        approved: audit.partnership.approved.map(|d| d.long()),
        as_at,
        questions_by: questions_by(audit),
    }
}

impl PublicView {
    /// `public`: the public edition, with disclosure control (see `crate::disclosure`).
    pub fn build(audit: &Audit, ledger: &Ledger, main: Option<&str>, public: bool) -> PublicView {
        let mut p = Publisher::default();
        let ctx = Ctx::new(audit, ledger, main, public);
        let partnership = partnership_info(&ctx, &mut p);
        let cycle = ctx.latest.map(|(c, _, fw)| cycle_view(&ctx, c, fw, &mut p));
        let Ranking {
            priorities,
            elsewhere: other_priorities,
            withheld,
            not_applicable,
        } = Ranking::of(&ctx, &mut p);
        let ranked: Vec<PriorityRow> = priorities
            .iter()
            .chain(&other_priorities)
            .cloned()
            .collect();
        let actions = actions_page(&ctx, &ranked, &mut p);
        let metrics = metrics_page(&ctx, &mut p);
        let impact = impact::impact_page(&ctx, &mut p);
        let overview = overview(&ctx, &priorities, &actions, &metrics, &mut p);
        let themes = theme_pages(&ctx, &priorities, &mut p);
        let questions = question_pages(&ctx, &priorities, &actions, &mut p);
        let briefings: Vec<BriefingPage> = audit
            .briefings
            .iter()
            .filter_map(|b| public_briefing(&ctx, b, &mut p))
            .collect();
        let cycles = cycle_pages(&ctx, &briefings, &mut p);
        let method = method_page(&ctx, &mut p);
        let ratings = rating_rows(&ctx);
        PublicView {
            partnership,
            cycle,
            overview,
            priorities,
            other_priorities,
            not_applicable,
            withheld,
            themes,
            questions,
            actions,
            metrics,
            impact,
            briefings,
            cycles,
            method,
            priorities_json: ctx
                .latest
                .map(|(_, a, _)| ratings::public_report(&ctx, RankReport::of(a, None))),
            ratings,
            published: p.texts,
            tables: p.tables,
        }
    }
}
