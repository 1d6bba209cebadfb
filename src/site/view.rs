//! The view model: every figure and sentence a page shows, finished before any template runs.
//!
//! Publication safety is a property of these types, not of the templates. [`PublicView`] holds
//! what both audiences see and has no field that could carry an agency's return text
//! (`evidence`, `gaps`, `internal`), an agency's own rating, a moderation `note` or an internal
//! briefing. Those live only in [`InternalView`], which a public build never constructs (see
//! [`Audience::build`]). Every user-written string that enters a `PublicView` goes through a
//! [`Publisher`], which records it with its source location in [`PublicView::published`]: the
//! list the personal-data scan reads before anything is written.

use super::charts::{self, Label, Line, Reference, Segment, StackedRow, Swatch};
use super::markdown;
use crate::analysis::{Analysis, RankReport};
use crate::model::{
    ActionStatus, Audit, Better, Briefing, Confidence, Cycle, Framework, Level, Method, Metric,
    Rag, Rating, ScaleLevel,
};
use crate::score::{self, Flag, MetricSignal, QuestionScore};
use crate::source::Loc;
use serde::Serialize;
use std::collections::BTreeMap;

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

/// Which audience a build is for, and so which views it makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Internal,
    Public,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Internal => "internal",
            Audience::Public => "public",
        }
    }

    /// The views of one partnership for this audience. Only `Internal` ever builds an
    /// [`InternalView`].
    pub fn build(self, audit: &Audit, analyses: &[Analysis]) -> PartnershipView {
        let public = PublicView::build(audit, analyses);
        let internal = match self {
            Audience::Internal => Some(Box::new(InternalView::build(audit, analyses))),
            Audience::Public => None,
        };
        PartnershipView { public, internal }
    }
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
#[derive(Debug, Clone, Serialize)]
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

fn question_href(id: &str) -> String {
    format!("questions/{id}/index.html")
}

fn theme_href(id: &str) -> String {
    format!("themes/{id}/index.html")
}

fn briefing_href(slug: &str) -> String {
    let mut enc = String::new();
    for b in slug.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            enc.push(char::from(b));
        } else {
            enc.push_str(&format!("%{b:02X}"));
        }
    }
    format!("briefings/{enc}/index.html")
}

fn agency_href(id: &str) -> String {
    format!("agencies/{id}/index.html")
}

/// A number with at most `places` decimals and no trailing zeros, rounded half away from zero
/// as the data files round it (`analysis::round`): 1.125 shows as 1.13 on the page and in the
/// JSON alike, where `{:.2}` on the float would give 1.12.
pub fn num(v: f64, places: usize) -> String {
    if !v.is_finite() {
        return "–".to_string();
    }
    let rounded = crate::analysis::round(v, i32::try_from(places).unwrap_or(i32::MAX));
    // Beyond about 1e306 the rounding overflows; such a figure has no decimals to round.
    let v = if rounded.is_finite() { rounded } else { v };
    let s = format!("{v:.places$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" { "0".to_string() } else { s }
}

/// A value with its unit: `25.3%`, `12 weeks`, `1,250 children`. A unit of `count` or
/// `number` adds nothing a reader needs, so it is left off.
fn with_unit(v: f64, unit: &str) -> String {
    let n = grouped(&num(v, 2));
    match unit.trim() {
        "" | "count" | "number" => n,
        "%" => format!("{n}%"),
        u => format!("{n} {u}"),
    }
}

/// Thousands separated by commas, as the GOV.UK style guide writes numbers over 999.
fn grouped(n: &str) -> String {
    let (sign, rest) = n.strip_prefix('-').map_or(("", n), |r| ("-", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    if int.len() <= 3 || !int.bytes().all(|b| b.is_ascii_digit()) {
        return n.to_string();
    }
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

fn level_word(l: Level) -> &'static str {
    match l {
        Level::Strategic => "Strategic",
        Level::Practitioner => "Practitioner",
    }
}

fn method_word(m: Method) -> &'static str {
    match m {
        Method::SelfAssessment => "Self-assessment",
        Method::Tabletop => "Multi-agency tabletop audit",
        Method::CaseAudit => "Case audit",
    }
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
        Flag::StatutoryLow => "A statutory partner rated it low",
        Flag::MetricOffTarget => "A metric is worse than target",
        Flag::WorseThanComparator => "A metric is worse than the comparator",
        Flag::MetricWorsening => "A metric is getting worse",
        Flag::Deteriorated => "Rating fell since the last cycle",
        Flag::Moderated => "Rating set by moderation",
        Flag::LowConfidence => "Mostly low-confidence evidence",
    }
}

/// The effective rating of a question as a tag: the scale level's label (and the number when
/// it is an aggregate between levels).
fn rating_tag(fw: &Framework, rating: Option<f64>) -> Tag {
    match rating {
        None => Tag::new("No rating", "grey"),
        Some(r) => {
            let level = fw.level_at(r);
            let text = if (r - f64::from(level.value)).abs() < 1e-9 {
                level.label.clone()
            } else {
                format!("{} ({})", level.label, num(r, 2))
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
    /// Questions in scope that were not ranked because every answer was "not applicable".
    pub not_applicable: Vec<Ref>,
    pub themes: Vec<ThemePage>,
    pub questions: Vec<QuestionPage>,
    pub actions: ActionsPage,
    pub metrics: MetricsPage,
    /// Briefings with `audience = "public"` only.
    pub briefings: Vec<BriefingPage>,
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
}

#[derive(Debug, Clone, Serialize)]
pub struct PartnershipInfo {
    pub name: String,
    pub short_name: String,
    pub area: String,
    pub folder: String,
    pub contact: Option<String>,
    /// "Figures as at" date: the latest cycle's close or moderation, never the clock.
    pub as_at: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CycleView {
    pub id: String,
    pub title: String,
    pub period: String,
    pub method: &'static str,
    pub framework: String,
    pub framework_title: String,
    pub opened: String,
    pub closed: String,
    pub moderated_on: Option<String>,
    pub scope_themes: String,
    pub scope_levels: String,
    pub questions_in_scope: usize,
    /// Agencies asked for a return in this cycle.
    pub agencies: usize,
    /// Set when the cycle asked only some of the partnership's agencies.
    pub scope_agencies: Option<String>,
    pub returns_received: usize,
    pub answers_expected: usize,
    pub answers_given: usize,
    pub answers_not_applicable: usize,
    pub returns: Vec<ReturnRow>,
    /// Other cycles of the audit, oldest first.
    pub history: Vec<CycleSummary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReturnRow {
    pub agency: Ref,
    pub sector: String,
    pub statutory: bool,
    pub returned: Tag,
}

#[derive(Debug, Clone, Serialize)]
pub struct CycleSummary {
    pub id: String,
    pub title: String,
    pub period: String,
    pub method: &'static str,
    pub framework: String,
    pub closed: String,
    pub returns: usize,
}

#[derive(Debug, Serialize)]
pub struct Overview {
    pub assurance: Option<AssuranceByTheme>,
    /// The first ten priorities.
    pub top: Vec<PriorityRow>,
    pub top_chart: Option<Chart>,
    pub action_status: Vec<StatusCount>,
    pub actions_total: usize,
    pub actions_overdue: usize,
    pub uncovered: usize,
    pub metrics_off_target: Vec<MetricBrief>,
    pub change: Option<ChangeView>,
    pub trend: Option<TrendView>,
}

#[derive(Debug, Serialize)]
pub struct AssuranceByTheme {
    pub chart: Chart,
    /// Column headings: the scale's labels, lowest first, then "No rating".
    pub levels: Vec<String>,
    pub rows: Vec<ThemeAssuranceRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThemeAssuranceRow {
    pub theme: Ref,
    /// Questions per level, in the order of `levels` (the last is "No rating").
    pub counts: Vec<usize>,
    pub questions: usize,
    pub mean: Tag,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusCount {
    pub status: Tag,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct MetricBrief {
    pub metric: Ref,
    pub latest: String,
    pub period: String,
    pub target: String,
    pub comparator: String,
}

#[derive(Debug, Serialize)]
pub struct ChangeView {
    pub previous: String,
    pub previous_title: String,
    pub themes: Vec<ThemeChange>,
    /// Questions whose effective rating moved up a level of the scale, down, or stayed in it.
    pub improved: usize,
    pub declined: usize,
    pub unchanged: usize,
    /// Questions whose effective rating fell to a lower level, biggest fall first.
    pub declines: Vec<QuestionChange>,
    /// Questions whose effective rating rose to a higher level, biggest rise first.
    pub improvements: Vec<QuestionChange>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThemeChange {
    pub theme: Ref,
    pub before: String,
    pub now: String,
    pub direction: Tag,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuestionChange {
    pub question: Ref,
    pub before: Tag,
    pub now: Tag,
}

#[derive(Debug, Serialize)]
pub struct TrendView {
    pub chart: Chart,
    pub cycles: Vec<String>,
    pub rows: Vec<TrendRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrendRow {
    pub theme: Ref,
    pub values: Vec<String>,
}

/// One ranked question, with its score explained in words.
#[derive(Debug, Clone, Serialize)]
pub struct PriorityRow {
    pub rank: usize,
    pub question: Ref,
    pub theme: Ref,
    pub level: &'static str,
    pub rating: Tag,
    pub moderated: bool,
    pub score: String,
    pub score_value: f64,
    pub flags: Vec<Tag>,
    /// Plain-language reasons, one sentence per factor that moved the score.
    pub reasons: Vec<String>,
    /// The arithmetic: `100 × (0.1 + 0.9 × 0.67) × 1.15 × … = 71.5`.
    pub sum: String,
}

#[derive(Debug, Serialize)]
pub struct ThemePage {
    pub id: String,
    pub title: String,
    pub summary_html: String,
    pub weight: String,
    pub weighted: bool,
    pub mean: Tag,
    pub questions: Vec<PriorityRow>,
    pub not_applicable: Vec<Ref>,
    pub level_counts: Vec<StatusCount>,
    pub metrics: Vec<Ref>,
}

#[derive(Debug, Serialize)]
pub struct QuestionPage {
    pub id: String,
    pub text: String,
    pub theme: Ref,
    pub level: &'static str,
    pub prompts: Vec<String>,
    /// None when every answer was "not applicable" (not ranked).
    pub priority: Option<PriorityRow>,
    pub rating: Tag,
    pub moderated: bool,
    pub public_summary_html: Option<String>,
    pub aggregate: Aggregate,
    pub previous: Option<String>,
    pub metrics: Vec<SignalView>,
    pub actions: Vec<ActionRef>,
}

/// How the agencies answered, counted: never who said what.
#[derive(Debug, Clone, Serialize)]
pub struct Aggregate {
    pub agencies: usize,
    pub rated: usize,
    pub not_applicable: usize,
    pub unanswered: usize,
    /// Ratings per level of the scale, lowest first.
    pub levels: Vec<StatusCount>,
    pub confidence: Vec<(String, usize)>,
    pub range: Option<String>,
    pub agencies_mean: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SignalView {
    pub metric: Ref,
    pub latest: String,
    pub reading: Vec<String>,
    pub status: Tag,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionRef {
    pub id: String,
    pub title: String,
    pub status: Tag,
    pub due: String,
    pub overdue: bool,
}

#[derive(Debug, Serialize)]
pub struct ActionsPage {
    pub as_of: Option<String>,
    /// How many actions have a progress note.
    pub with_progress: usize,
    pub actions: Vec<ActionView>,
    pub uncovered: Vec<PriorityRow>,
    pub status: Vec<StatusCount>,
    pub overdue: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionView {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub due: String,
    pub due_iso: String,
    pub status: Tag,
    pub overdue: bool,
    pub effort: Option<&'static str>,
    pub plan_rank: Option<usize>,
    pub risk_covered: Option<String>,
    pub addresses: Vec<Ref>,
    pub covers: Vec<Ref>,
    pub progress_html: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct MetricsPage {
    pub period: Option<String>,
    pub metrics: Vec<MetricView>,
}

#[derive(Debug, Serialize)]
pub struct MetricView {
    pub id: String,
    pub title: String,
    pub definition_html: Option<String>,
    pub unit: String,
    pub direction: &'static str,
    /// False for `better = "neither"`: shown for context, never judged good or bad.
    pub judged: bool,
    pub status: Tag,
    pub latest: Option<String>,
    pub target: Option<String>,
    pub comparator: Option<String>,
    pub comparator_source: Option<String>,
    pub rows: Vec<MetricRow>,
    pub chart: Option<Chart>,
    pub themes: Vec<Ref>,
    pub questions: Vec<Ref>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MetricRow {
    pub period: String,
    pub value: String,
    pub against_target: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct BriefingPage {
    pub slug: String,
    /// `briefings/<slug>/index.html`, with the slug percent-encoded for use in a link.
    pub href: String,
    pub title: String,
    pub date: String,
    pub date_iso: String,
    pub audience: &'static str,
    pub summary: String,
    pub body_html: String,
}

#[derive(Debug, Serialize)]
pub struct MethodPage {
    pub frameworks: Vec<FrameworkView>,
    pub scale: Vec<ScaleRow>,
    pub weights: Vec<(Ref, String)>,
    pub constants: Constants,
    pub flags: Vec<(String, &'static str)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FrameworkView {
    pub id: String,
    pub title: String,
    pub summary_html: String,
    pub publisher: String,
    pub publication: String,
    pub year: Option<i64>,
    pub url: Option<String>,
    pub licence: String,
    pub note: String,
    pub bundled: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScaleRow {
    pub value: u32,
    pub label: Tag,
    pub descriptor: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Constants {
    pub residual: String,
    pub confidence_high: String,
    pub confidence_medium: String,
    pub confidence_low: String,
    pub metric_step: String,
    pub metric_cap: String,
    pub deterioration: String,
    pub pull_lowest: String,
    pub pull_statutory: String,
}

/// One line of `data/ratings.csv`: the partnership's rating for a question in a cycle.
#[derive(Debug, Clone, Serialize)]
pub struct RatingRow {
    pub cycle: String,
    pub question: String,
    pub theme: String,
    pub level: Level,
    pub rating: Option<f64>,
    pub label: String,
    pub moderated: bool,
    pub rated: usize,
    pub not_applicable: usize,
    pub unanswered: usize,
    pub score: Option<f64>,
    pub rank: Option<usize>,
}

struct Ctx<'a> {
    audit: &'a Audit,
    latest: Option<(&'a Cycle, &'a Analysis, &'a Framework)>,
    /// Questions that have a page: those in the latest cycle's scope.
    pages: BTreeMap<&'a str, &'a crate::model::Question>,
}

impl<'a> Ctx<'a> {
    fn new(audit: &'a Audit, analyses: &'a [Analysis]) -> Ctx<'a> {
        let latest = analyses.last().and_then(|a| {
            let cycle = audit.cycle(&a.cycle)?;
            let fw = audit.frameworks.get(&cycle.framework)?;
            Some((cycle, a, fw))
        });
        let pages = latest
            .map(|(c, _, fw)| c.questions(fw).map(|q| (q.id.as_str(), q)).collect())
            .unwrap_or_default();
        Ctx {
            audit,
            latest,
            pages,
        }
    }

    fn question_ref(&self, id: &str, p: &mut Publisher) -> Ref {
        match self.pages.get(id) {
            Some(q) => {
                let loc = self.question_loc(id);
                Ref {
                    id: id.to_string(),
                    text: p.text(&loc, &q.text),
                    href: Some(question_href(id)),
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
        self.latest
            .and_then(|(_, _, fw)| fw.question(id))
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
                href: has_page.then(|| theme_href(id)),
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
            href: Some(format!("metrics/index.html#metric-{}", m.id)),
        }
    }
}

impl PublicView {
    pub fn build(audit: &Audit, analyses: &[Analysis]) -> PublicView {
        let mut p = Publisher::default();
        let ctx = Ctx::new(audit, analyses);
        let ploc = &audit.partnership.loc;
        let as_at = ctx.latest.map(|(c, _, _)| {
            let moderated = c.moderation.as_ref().and_then(|m| m.moderated_on);
            moderated.map_or(c.closed, |m| m.max(c.closed)).long()
        });
        let partnership = PartnershipInfo {
            name: p.text(ploc, &audit.partnership.name),
            short_name: p.text(ploc, &audit.partnership.short_name),
            area: p.text(ploc, &audit.partnership.area),
            folder: audit.folder.clone(),
            contact: audit.partnership.contact.as_ref().map(|c| p.text(ploc, c)),
            as_at,
        };
        let cycle = ctx.latest.map(|(c, _, fw)| cycle_view(&ctx, c, fw, &mut p));
        let priorities: Vec<PriorityRow> = match ctx.latest {
            Some((_, a, fw)) => a
                .ranking
                .priorities
                .iter()
                .map(|s| priority_row(&ctx, fw, s, &mut p))
                .collect(),
            None => Vec::new(),
        };
        let not_applicable = match ctx.latest {
            Some((_, a, _)) => a
                .ranking
                .not_applicable
                .iter()
                .map(|q| ctx.question_ref(q, &mut p))
                .collect(),
            None => Vec::new(),
        };
        let actions = actions_page(&ctx, &priorities, &mut p);
        let metrics = metrics_page(&ctx, &mut p);
        let overview = overview(&ctx, analyses, &priorities, &actions, &metrics, &mut p);
        let themes = theme_pages(&ctx, &priorities, &mut p);
        let questions = question_pages(&ctx, &priorities, &actions, &mut p);
        let briefings = audit
            .briefings
            .iter()
            .filter_map(|b| public_briefing(b, &mut p))
            .collect();
        let method = method_page(&ctx, &mut p);
        let ratings = rating_rows(audit, analyses);
        PublicView {
            partnership,
            cycle,
            overview,
            priorities,
            not_applicable,
            themes,
            questions,
            actions,
            metrics,
            briefings,
            method,
            priorities_json: ctx.latest.map(|(_, a, _)| RankReport::of(a, None)),
            ratings,
            published: p.texts,
        }
    }
}

fn cycle_view(ctx: &Ctx<'_>, c: &Cycle, fw: &Framework, p: &mut Publisher) -> CycleView {
    let audit = ctx.audit;
    let loc = c.loc.clone();
    let fw_loc = fw.loc.clone();
    let asked: Vec<&crate::model::Question> = c.questions(fw).collect();
    let scope_themes = if c.scope_themes.is_empty() {
        "All themes".to_string()
    } else {
        c.scope_themes
            .iter()
            .map(|t| fw.theme(t).map_or(t.as_str(), |t| t.title.as_str()))
            .map(|t| p.text(&fw_loc, t))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let scope_levels = if c.scope_levels.is_empty() || c.scope_levels.len() == Level::ALL.len() {
        "Strategic and practitioner questions".to_string()
    } else {
        c.scope_levels
            .iter()
            .map(|l| format!("{} questions", level_word(*l)))
            .collect::<Vec<_>>()
            .join(" and ")
    };
    let answers_given: usize = c
        .responses
        .iter()
        .map(|r| {
            r.answers
                .keys()
                .filter(|q| asked.iter().any(|a| &a.id == *q))
                .count()
        })
        .sum();
    let answers_na: usize = c
        .responses
        .iter()
        .flat_map(|r| r.answers.iter())
        .filter(|(q, a)| a.rating == Rating::NotApplicable && asked.iter().any(|x| &x.id == *q))
        .count();
    let taking_part = c.agencies(&audit.partnership).count();
    let returns = c
        .agencies(&audit.partnership)
        .map(|a| ReturnRow {
            agency: Ref {
                id: a.id.clone(),
                text: p.text(&audit.partnership.loc, &a.name),
                href: Some(agency_href(&a.id)),
            },
            sector: a.sector.as_str().replace('-', " "),
            statutory: a.statutory,
            returned: if c.response(&a.id).is_some() {
                Tag::new("Returned", "green")
            } else {
                Tag::new("Not returned", "red")
            },
        })
        .collect();
    let history = audit
        .cycles
        .iter()
        .map(|h| CycleSummary {
            id: h.id.clone(),
            title: p.text(&h.loc, &h.title),
            period: h.period.clone(),
            method: method_word(h.method),
            framework: audit
                .frameworks
                .get(&h.framework)
                .map_or(h.framework.clone(), |f| p.text(&f.loc, &f.title)),
            closed: h.closed.long(),
            returns: h.responses.len(),
        })
        .collect();
    CycleView {
        id: c.id.clone(),
        title: p.text(&loc, &c.title),
        period: p.text(&loc, &c.period),
        method: method_word(c.method),
        framework: fw.id.clone(),
        framework_title: p.text(&fw_loc, &fw.title),
        opened: c.opened.long(),
        closed: c.closed.long(),
        moderated_on: c
            .moderation
            .as_ref()
            .and_then(|m| m.moderated_on)
            .map(|d| d.long()),
        scope_themes,
        scope_levels,
        questions_in_scope: asked.len(),
        agencies: taking_part,
        scope_agencies: (taking_part < audit.partnership.agencies.len()).then(|| {
            format!(
                "{taking_part} of the partnership's {} agencies were asked to take part",
                audit.partnership.agencies.len()
            )
        }),
        returns_received: c.responses.len(),
        answers_expected: asked.len() * taking_part,
        answers_given,
        answers_not_applicable: answers_na,
        returns,
        history,
    }
}

fn priority_row(
    ctx: &Ctx<'_>,
    fw: &Framework,
    s: &QuestionScore,
    p: &mut Publisher,
) -> PriorityRow {
    let c = &s.components;
    let mut reasons = Vec::new();
    let top = fw.scale.last().map_or(String::new(), |l| l.label.clone());
    match s.rating {
        Some(r) => reasons.push(format!(
            "{} {} on a scale of {} to {}: {}% of the way down from {}.",
            if s.moderated {
                "Moderation rated it"
            } else {
                "The agencies' ratings combine to"
            },
            num(r, 2),
            fw.bottom(),
            fw.top(),
            num(c.gap * 100.0, 0),
            top
        )),
        None => reasons.push("No agency gave a rating, which counts as no assurance.".into()),
    }
    if c.coverage < 1.0 - 1e-9 {
        reasons.push(format!(
            "{} of {} agencies expected to answer gave a rating; the missing answers count as no assurance.",
            s.answered,
            s.answered + s.unanswered
        ));
    }
    if c.confidence > 1.0 + 1e-9 {
        reasons.push(format!(
            "The evidence behind the ratings is not all strong (confidence factor ×{}).",
            num(c.confidence, 2)
        ));
    }
    if c.metrics > 1.0 + 1e-9 {
        let adverse: Vec<String> = s
            .metrics
            .iter()
            .filter(|m| m.adverse() > 0)
            .map(|m| {
                ctx.audit
                    .metric(&m.metric)
                    .map_or(m.title.clone(), |met| p.text(&met.loc, &met.title))
            })
            .collect();
        reasons.push(format!(
            "Data bearing on it points the wrong way ({}; metrics factor ×{}).",
            adverse.join("; "),
            num(c.metrics, 2)
        ));
    }
    if c.deterioration > 1.0 + 1e-9 {
        let since = s
            .previous
            .as_ref()
            .map_or(String::new(), |pr| format!(" since {}", pr.cycle));
        reasons.push(format!(
            "The rating fell{since} (deterioration factor ×{}).",
            num(c.deterioration, 2)
        ));
    }
    if (c.theme_weight - 1.0).abs() > 1e-9 {
        reasons.push(format!(
            "Its theme carries a weight of ×{}.",
            num(c.theme_weight, 2)
        ));
    }
    let sum = format!(
        "100 × ({} + {} × {}) × {} × {} × {} × {} = {}",
        num(score::RESIDUAL, 2),
        num(1.0 - score::RESIDUAL, 2),
        num(c.shortfall(), 2),
        num(c.confidence, 2),
        num(c.metrics, 2),
        num(c.deterioration, 2),
        num(c.theme_weight, 2),
        num(s.score, 1)
    );
    PriorityRow {
        rank: s.rank,
        question: ctx.question_ref(&s.question, p),
        theme: ctx.theme_ref(&s.theme, p),
        level: level_word(s.level),
        rating: rating_tag(fw, s.rating),
        moderated: s.moderated,
        score: format!("{:.1}", crate::analysis::round(s.score, 1)),
        score_value: crate::analysis::round(s.score, 2),
        flags: s
            .flags
            .iter()
            .map(|f| {
                let class = match f {
                    Flag::Moderated => "blue",
                    _ => "orange",
                };
                Tag::new(flag_words(*f), class)
            })
            .collect(),
        reasons,
        sum,
    }
}

fn overview(
    ctx: &Ctx<'_>,
    analyses: &[Analysis],
    priorities: &[PriorityRow],
    actions: &ActionsPage,
    metrics: &MetricsPage,
    p: &mut Publisher,
) -> Overview {
    let top: Vec<PriorityRow> = priorities.iter().take(10).cloned().collect();
    let top_chart = (!top.is_empty())
        .then(|| {
            let rows: Vec<(String, f64, String)> = top
                .iter()
                .map(|r| {
                    (
                        format!("{}. {}", r.rank, r.question.id),
                        r.score_value,
                        r.score.clone(),
                    )
                })
                .collect();
            let label = Label {
                id: "chart-top".into(),
                title: "Risk scores of the top priorities".into(),
                desc: format!(
                    "Horizontal bars, highest risk first: {}.",
                    top.iter()
                        .map(|r| format!("{} scores {}", r.question.id, r.score))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            };
            charts::bars(&label, &rows).ok().map(|svg| Chart {
                id: label.id,
                caption: "Risk score of the ten highest priorities".into(),
                svg,
            })
        })
        .flatten();
    let metrics_off_target = metrics
        .metrics
        .iter()
        .filter(|m| m.judged && m.status.class == "red")
        .map(|m| MetricBrief {
            metric: Ref {
                id: m.id.clone(),
                text: m.title.clone(),
                href: Some(format!("metrics/index.html#metric-{}", m.id)),
            },
            latest: m.latest.clone().unwrap_or_default(),
            period: m.rows.last().map(|r| r.period.clone()).unwrap_or_default(),
            target: m.target.clone().unwrap_or_else(|| "–".into()),
            comparator: m.comparator.clone().unwrap_or_else(|| "–".into()),
        })
        .collect();
    let (assurance, change, trend) = match ctx.latest {
        Some((c, a, fw)) => (
            assurance_by_theme(ctx, a, fw, p),
            change_view(ctx, c, a, analyses, fw, p),
            trend_view(ctx, a, analyses, fw, p),
        ),
        None => (None, None, None),
    };
    Overview {
        assurance,
        top,
        top_chart,
        action_status: actions.status.clone(),
        actions_total: actions.actions.len(),
        actions_overdue: actions.overdue,
        uncovered: actions.uncovered.len(),
        metrics_off_target,
        change,
        trend,
    }
}

fn assurance_by_theme(
    ctx: &Ctx<'_>,
    a: &Analysis,
    fw: &Framework,
    p: &mut Publisher,
) -> Option<AssuranceByTheme> {
    if a.ranking.themes.is_empty() {
        return None;
    }
    let fw_loc = fw.loc.clone();
    let mut levels: Vec<String> = fw.scale.iter().map(|l| p.text(&fw_loc, &l.label)).collect();
    levels.push("No rating".into());
    let mut segments: Vec<Segment> = fw
        .scale
        .iter()
        .zip(swatches(&fw.scale))
        .map(|(l, swatch)| Segment {
            label: l.label.clone(),
            swatch,
        })
        .collect();
    segments.push(Segment {
        label: "No rating".into(),
        swatch: Swatch::unrated(),
    });
    let rows: Vec<ThemeAssuranceRow> = a
        .ranking
        .themes
        .iter()
        .map(|t| {
            let mut counts: Vec<usize> = t.levels.iter().map(|l| l.count).collect();
            counts.push(t.unrated);
            ThemeAssuranceRow {
                theme: ctx.theme_ref(&t.theme, p),
                counts,
                questions: t.questions,
                mean: rating_tag(fw, t.mean_rating),
            }
        })
        .collect();
    let stacked: Vec<StackedRow> = rows
        .iter()
        .map(|r| StackedRow {
            label: r.theme.text.clone(),
            counts: r.counts.iter().map(|&c| c as u32).collect(),
        })
        .collect();
    let desc = rows
        .iter()
        .map(|r| {
            let parts: Vec<String> = levels
                .iter()
                .zip(&r.counts)
                .filter(|(_, n)| **n > 0)
                .map(|(l, n)| format!("{n} {l}"))
                .collect();
            format!("{}: {}", r.theme.text, parts.join(", "))
        })
        .collect::<Vec<_>>()
        .join(". ");
    let label = Label {
        id: "chart-assurance".into(),
        title: "Assurance by theme: questions at each rating level".into(),
        desc: format!("Stacked bars, one per theme, lowest level on the left. {desc}."),
    };
    let svg = charts::stacked_bars(&label, &segments, &stacked).ok()?;
    Some(AssuranceByTheme {
        chart: Chart {
            id: label.id,
            caption: "Questions at each rating level, by theme".into(),
            svg,
        },
        levels,
        rows,
    })
}

fn change_view(
    ctx: &Ctx<'_>,
    c: &Cycle,
    a: &Analysis,
    analyses: &[Analysis],
    fw: &Framework,
    p: &mut Publisher,
) -> Option<ChangeView> {
    let prev_id = a.previous_cycle.as_ref()?;
    let prev = analyses.iter().find(|x| &x.cycle == prev_id)?;
    let prev_cycle = ctx.audit.cycle(prev_id)?;
    let themes = a
        .ranking
        .themes
        .iter()
        .map(|t| {
            let before = prev
                .ranking
                .themes
                .iter()
                .find(|b| b.theme == t.theme)
                .and_then(|b| b.mean_rating);
            let direction = match (before, t.mean_rating) {
                (Some(b), Some(n)) if n > b + 0.005 => Tag::new("Improved", "green"),
                (Some(b), Some(n)) if n < b - 0.005 => Tag::new("Declined", "red"),
                (Some(_), Some(_)) => Tag::new("No change", "grey"),
                _ => Tag::new("Not comparable", "grey"),
            };
            ThemeChange {
                theme: ctx.theme_ref(&t.theme, p),
                before: before.map_or("–".into(), |b| num(b, 2)),
                now: t.mean_rating.map_or("–".into(), |n| num(n, 2)),
                direction,
            }
        })
        .collect();
    // Only a move to another level of the scale is listed: small shifts of an aggregate
    // within a level are noise to a board.
    let mut declines = Vec::new();
    let mut improvements = Vec::new();
    let mut unchanged = 0;
    for s in &a.ranking.priorities {
        let Some(pr) = &s.previous else { continue };
        let (Some(now), Some(then)) = (s.rating, pr.rating) else {
            continue;
        };
        let (level_now, level_then) = (fw.level_at(now).value, fw.level_at(then).value);
        if level_now == level_then {
            unchanged += 1;
            continue;
        }
        let change = QuestionChange {
            question: ctx.question_ref(&s.question, p),
            before: rating_tag(fw, Some(then)),
            now: rating_tag(fw, Some(now)),
        };
        if level_now < level_then {
            declines.push((then - now, change));
        } else {
            improvements.push((now - then, change));
        }
    }
    // Biggest change first; the ranking order (already by id on ties) breaks ties.
    declines.sort_by(|x, y| y.0.total_cmp(&x.0));
    improvements.sort_by(|x, y| y.0.total_cmp(&x.0));
    Some(ChangeView {
        previous: prev_id.clone(),
        previous_title: p.text(&prev_cycle.loc, &prev_cycle.title),
        themes,
        improved: improvements.len(),
        declined: declines.len(),
        unchanged,
        declines: declines.into_iter().map(|x| x.1).collect(),
        improvements: improvements.into_iter().map(|x| x.1).collect(),
    })
    .filter(|_| c.framework == prev_cycle.framework)
}

fn trend_view(
    ctx: &Ctx<'_>,
    a: &Analysis,
    analyses: &[Analysis],
    fw: &Framework,
    p: &mut Publisher,
) -> Option<TrendView> {
    let same: Vec<&Analysis> = analyses
        .iter()
        .filter(|x| x.framework == a.framework)
        .collect();
    if same.len() < 2 {
        return None;
    }
    let cycles: Vec<String> = same.iter().map(|x| x.cycle.clone()).collect();
    let rows: Vec<(TrendRow, Vec<Option<f64>>)> = a
        .ranking
        .themes
        .iter()
        .map(|t| {
            let values: Vec<Option<f64>> = same
                .iter()
                .map(|x| {
                    x.ranking
                        .themes
                        .iter()
                        .find(|s| s.theme == t.theme)
                        .and_then(|s| s.mean_rating)
                })
                .collect();
            (
                TrendRow {
                    theme: ctx.theme_ref(&t.theme, p),
                    values: values
                        .iter()
                        .map(|v| v.map_or("–".into(), |v| num(v, 2)))
                        .collect(),
                },
                values,
            )
        })
        .collect();
    let lines: Vec<Line> = rows
        .iter()
        .map(|(r, v)| Line {
            label: r.theme.text.clone(),
            values: v.clone(),
        })
        .collect();
    let ticks: Vec<(f64, String)> = fw
        .scale
        .iter()
        .map(|l| (f64::from(l.value), l.value.to_string()))
        .collect();
    let desc = rows
        .iter()
        .map(|(r, _)| format!("{}: {}", r.theme.text, r.values.join(", then ")))
        .collect::<Vec<_>>()
        .join(". ");
    let label = Label {
        id: "chart-trend".into(),
        title: "Average rating by theme across audit cycles".into(),
        desc: format!(
            "Lines, one per theme, over cycles {}. Scale {} ({}) to {} ({}). {desc}.",
            cycles.join(", "),
            fw.bottom(),
            fw.scale.first().map_or("", |l| l.label.as_str()),
            fw.top(),
            fw.scale.last().map_or("", |l| l.label.as_str()),
        ),
    };
    let svg = charts::lines(
        &label,
        &cycles,
        (f64::from(fw.bottom()), f64::from(fw.top())),
        &ticks,
        &lines,
        &[],
        false,
    )
    .ok()?;
    Some(TrendView {
        chart: Chart {
            id: label.id,
            caption: format!(
                "Average rating by theme, cycle by cycle ({} = {}, {} = {})",
                fw.bottom(),
                fw.scale.first().map_or("", |l| l.label.as_str()),
                fw.top(),
                fw.scale.last().map_or("", |l| l.label.as_str())
            ),
            svg,
        },
        cycles,
        rows: rows.into_iter().map(|(r, _)| r).collect(),
    })
}

fn theme_pages(ctx: &Ctx<'_>, priorities: &[PriorityRow], p: &mut Publisher) -> Vec<ThemePage> {
    let Some((_, a, fw)) = ctx.latest else {
        return Vec::new();
    };
    let fw_loc = fw.loc.clone();
    a.ranking
        .themes
        .iter()
        .filter_map(|t| {
            let theme = fw.theme(&t.theme)?;
            let not_applicable = a
                .ranking
                .not_applicable
                .iter()
                .filter(|q| fw.question(q).is_some_and(|q| q.theme == t.theme))
                .map(|q| ctx.question_ref(q, p))
                .collect();
            let metrics = ctx
                .audit
                .metrics
                .iter()
                .filter(|m| {
                    m.themes.contains(&t.theme)
                        || fw
                            .questions
                            .iter()
                            .filter(|q| q.theme == t.theme)
                            .any(|q| q.metrics.contains(&m.id) || m.questions.contains(&q.id))
                })
                .map(|m| ctx.metric_ref(m, p))
                .collect();
            let swatch_classes: Vec<&'static str> =
                fw.scale.iter().map(|l| rag_class(l.rag)).collect();
            let mut level_counts: Vec<StatusCount> = t
                .levels
                .iter()
                .zip(swatch_classes)
                .map(|(l, class)| StatusCount {
                    status: Tag::new(p.text(&fw_loc, &l.label), class),
                    count: l.count,
                })
                .collect();
            level_counts.push(StatusCount {
                status: Tag::new("No rating", "grey"),
                count: t.unrated,
            });
            Some(ThemePage {
                id: t.theme.clone(),
                title: p.text(&theme.loc, &theme.title),
                summary_html: p.markdown(&theme.loc, &theme.summary, 2),
                weight: num(t.weight, 2),
                weighted: (t.weight - 1.0).abs() > 1e-9,
                mean: rating_tag(fw, t.mean_rating),
                questions: priorities
                    .iter()
                    .filter(|r| r.theme.id == t.theme)
                    .cloned()
                    .collect(),
                not_applicable,
                level_counts,
                metrics,
            })
        })
        .collect()
}

fn question_pages(
    ctx: &Ctx<'_>,
    priorities: &[PriorityRow],
    actions: &ActionsPage,
    p: &mut Publisher,
) -> Vec<QuestionPage> {
    let Some((c, a, fw)) = ctx.latest else {
        return Vec::new();
    };
    c.questions(fw)
        .map(|q| {
            let score = a.ranking.priorities.iter().find(|s| s.question == q.id);
            let moderation = c.moderated(&q.id);
            let public_summary_html = moderation
                .and_then(|m| m.public_summary.as_ref().map(|s| (m, s)))
                .map(|(m, s)| p.markdown(&m.loc, s, 3));
            let aggregate = aggregate(ctx, c, fw, &q.id);
            let signals = match score {
                Some(s) => s.metrics.iter().map(|m| signal_view(ctx, m, p)).collect(),
                None => Vec::new(),
            };
            QuestionPage {
                id: q.id.clone(),
                text: p.text(&q.loc, &q.text),
                theme: ctx.theme_ref(&q.theme, p),
                level: level_word(q.level),
                prompts: q.prompts.iter().map(|s| p.text(&q.loc, s)).collect(),
                priority: priorities.iter().find(|r| r.question.id == q.id).cloned(),
                rating: match score {
                    Some(s) => rating_tag(fw, s.rating),
                    None => Tag::new("Not applicable", "grey"),
                },
                moderated: score.is_some_and(|s| s.moderated),
                public_summary_html,
                aggregate,
                previous: score.and_then(|s| s.previous.as_ref()).map(|pr| {
                    format!(
                        "In {} it was rated {}.",
                        pr.cycle,
                        rating_tag(fw, pr.rating).text
                    )
                }),
                metrics: signals,
                actions: actions
                    .actions
                    .iter()
                    .filter(|x| x.addresses.iter().any(|r| r.id == q.id))
                    .map(|x| ActionRef {
                        id: x.id.clone(),
                        title: x.title.clone(),
                        status: x.status.clone(),
                        due: x.due.clone(),
                        overdue: x.overdue,
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Counts of the agencies' answers to one question: no agency named.
fn aggregate(ctx: &Ctx<'_>, c: &Cycle, fw: &Framework, question: &str) -> Aggregate {
    let taking_part = c.agencies(&ctx.audit.partnership).count();
    let answers: Vec<&crate::model::Answer> = c
        .agencies(&ctx.audit.partnership)
        .filter_map(|a| c.response(&a.id).and_then(|r| r.answers.get(question)))
        .collect();
    let values: Vec<u32> = answers.iter().filter_map(|a| a.rating.value()).collect();
    let rated: Vec<&&crate::model::Answer> = answers
        .iter()
        .filter(|a| a.rating.value().is_some())
        .collect();
    let levels = fw
        .scale
        .iter()
        .map(|l| StatusCount {
            status: Tag::new(l.label.clone(), rag_class(l.rag)),
            count: values.iter().filter(|&&v| v == l.value).count(),
        })
        .collect();
    let confidence = Confidence::ALL
        .iter()
        .rev()
        .map(|conf| {
            (
                confidence_word(*conf).to_string(),
                rated.iter().filter(|a| a.confidence == *conf).count(),
            )
        })
        .collect();
    let lo = values.iter().min();
    let hi = values.iter().max();
    Aggregate {
        agencies: taking_part,
        rated: values.len(),
        not_applicable: answers
            .iter()
            .filter(|a| a.rating == Rating::NotApplicable)
            .count(),
        unanswered: taking_part.saturating_sub(answers.len()),
        levels,
        confidence,
        range: lo.zip(hi).map(|(lo, hi)| {
            if lo == hi {
                format!("All ratings were {lo}")
            } else {
                format!("From {lo} to {hi}")
            }
        }),
        agencies_mean: (!values.is_empty()).then(|| {
            num(
                values.iter().map(|&v| f64::from(v)).sum::<f64>() / values.len() as f64,
                2,
            )
        }),
    }
}

fn signal_view(ctx: &Ctx<'_>, m: &MetricSignal, p: &mut Publisher) -> SignalView {
    let metric = match ctx.audit.metric(&m.metric) {
        Some(met) => ctx.metric_ref(met, p),
        None => Ref {
            id: m.metric.clone(),
            text: m.title.clone(),
            href: None,
        },
    };
    let mut reading = Vec::new();
    if let Some(t) = m.target {
        reading.push(format!("Target {}", with_unit(t, &m.unit)));
    }
    if let (Some(v), Some(l)) = (m.comparator, &m.comparator_label) {
        let label = ctx
            .audit
            .metric(&m.metric)
            .map_or(l.clone(), |met| p.text(&met.loc, l));
        reading.push(format!("{label}: {}", with_unit(v, &m.unit)));
    }
    if let (Some(v), Some(per)) = (m.previous, &m.previous_period) {
        reading.push(format!("{per}: {}", with_unit(v, &m.unit)));
    }
    SignalView {
        metric,
        latest: match (m.value, &m.period) {
            (Some(v), Some(per)) => format!("{} ({per})", with_unit(v, &m.unit)),
            _ => "No value yet".into(),
        },
        reading,
        status: signal_tag(m),
    }
}

fn signal_tag(m: &MetricSignal) -> Tag {
    if m.better == Better::Neither {
        Tag::new("Context only", "grey")
    } else if m.value.is_none() {
        Tag::new("No data", "grey")
    } else if m.off_target {
        Tag::new("Worse than target", "red")
    } else if m.worse_than_comparator {
        Tag::new("Worse than comparator", "orange")
    } else if m.worsening {
        Tag::new("Getting worse", "orange")
    } else if m.target.is_some() {
        Tag::new("On target", "green")
    } else {
        Tag::new("No target", "grey")
    }
}

fn actions_page(ctx: &Ctx<'_>, priorities: &[PriorityRow], p: &mut Publisher) -> ActionsPage {
    let audit = ctx.audit;
    let plan = ctx.latest.map(|(_, a, _)| &a.plan);
    let mut actions: Vec<ActionView> = audit
        .actions
        .iter()
        .map(|x| {
            let planned = plan.and_then(|pl| pl.actions.iter().find(|pa| pa.action == x.id));
            ActionView {
                id: x.id.clone(),
                title: p.text(&x.loc, &x.title),
                owner: p.text(&x.loc, &x.owner),
                due: x.due.long(),
                due_iso: x.due.to_string(),
                status: status_tag(x.status),
                overdue: planned.is_some_and(|pa| pa.overdue),
                effort: x.effort.map(|e| match e {
                    crate::model::Effort::Small => "Small",
                    crate::model::Effort::Medium => "Medium",
                    crate::model::Effort::Large => "Large",
                }),
                plan_rank: planned.map(|pa| pa.rank),
                risk_covered: planned.map(|pa| num(pa.risk_covered, 1)),
                addresses: x.addresses.iter().map(|q| ctx.question_ref(q, p)).collect(),
                covers: planned
                    .map(|pa| pa.covers.iter().map(|q| ctx.question_ref(q, p)).collect())
                    .unwrap_or_default(),
                progress_html: x.progress.as_ref().map(|s| p.markdown(&x.loc, s, 4)),
            }
        })
        .collect();
    // Plan order first (open actions by the risk they cover), then the rest by id.
    actions.sort_by(|a, b| {
        (a.plan_rank.is_none(), a.plan_rank, &a.id).cmp(&(
            b.plan_rank.is_none(),
            b.plan_rank,
            &b.id,
        ))
    });
    let status = ActionStatus::ALL
        .iter()
        .map(|s| StatusCount {
            status: status_tag(*s),
            count: audit.actions.iter().filter(|a| a.status == *s).count(),
        })
        .collect();
    let uncovered = plan
        .map(|pl| {
            pl.uncovered
                .iter()
                .filter_map(|q| priorities.iter().find(|r| &r.question.id == q).cloned())
                .collect()
        })
        .unwrap_or_default();
    ActionsPage {
        as_of: plan.map(|pl| pl.as_of.long()),
        with_progress: actions.iter().filter(|a| a.progress_html.is_some()).count(),
        overdue: actions.iter().filter(|a| a.overdue).count(),
        actions,
        uncovered,
        status,
    }
}

fn metrics_page(ctx: &Ctx<'_>, p: &mut Publisher) -> MetricsPage {
    let period = ctx.latest.map(|(c, _, _)| c.period.clone());
    let metrics = ctx
        .audit
        .metrics
        .iter()
        .map(|m| metric_view(ctx, m, period.as_deref(), p))
        .collect();
    MetricsPage { period, metrics }
}

fn metric_view(ctx: &Ctx<'_>, m: &Metric, period: Option<&str>, p: &mut Publisher) -> MetricView {
    let judged = m.better != Better::Neither;
    let latest = match period {
        Some(per) => m.value_at(per),
        None => m.values.iter().next_back().map(|(k, v)| (k.as_str(), *v)),
    };
    let status = if !judged {
        Tag::new("Context only", "grey")
    } else {
        match (latest, m.target) {
            (None, _) => Tag::new("No data", "grey"),
            (Some((_, v)), Some(t)) if m.worse(v, t) => Tag::new("Worse than target", "red"),
            (Some(_), Some(_)) => Tag::new("On target", "green"),
            (Some(_), None) => Tag::new("No target", "grey"),
        }
    };
    let rows: Vec<MetricRow> = m
        .values
        .iter()
        .filter(|(per, _)| period.is_none_or(|limit| per.as_str() <= limit))
        .map(|(per, v)| MetricRow {
            period: per.clone(),
            value: with_unit(*v, &m.unit),
            against_target: match (judged, m.target) {
                (false, _) => "Context only".into(),
                (true, None) => "–".into(),
                (true, Some(t)) if m.worse(*v, t) => "Worse than target".into(),
                (true, Some(_)) => "Meets target".into(),
            },
        })
        .collect();
    let comparator_label = m.comparator.as_ref().map(|c| p.text(&m.loc, &c.label));
    let title = p.text(&m.loc, &m.title);
    let chart = (!rows.is_empty())
        .then(|| metric_chart(m, &title, comparator_label.as_deref(), period))
        .flatten();
    MetricView {
        id: m.id.clone(),
        title,
        definition_html: m.definition.as_ref().map(|d| p.markdown(&m.loc, d, 4)),
        unit: p.text(&m.loc, &m.unit),
        direction: match m.better {
            Better::Lower => "Lower is better",
            Better::Higher => "Higher is better",
            Better::Neither => "Neither higher nor lower is better: shown for context",
        },
        judged,
        status,
        latest: latest.map(|(per, v)| format!("{} ({per})", with_unit(v, &m.unit))),
        target: m.target.map(|t| with_unit(t, &m.unit)),
        comparator: m
            .comparator
            .as_ref()
            .zip(comparator_label.as_ref())
            .map(|(c, l)| format!("{}: {}", l, with_unit(c.value, &m.unit))),
        comparator_source: m
            .comparator
            .as_ref()
            .and_then(|c| c.source.as_ref())
            .map(|s| p.text(&m.loc, s)),
        rows,
        chart,
        themes: m.themes.iter().map(|t| ctx.theme_ref(t, p)).collect(),
        questions: m.questions.iter().map(|q| ctx.question_ref(q, p)).collect(),
    }
}

fn metric_chart(
    m: &Metric,
    title: &str,
    comparator_label: Option<&str>,
    period: Option<&str>,
) -> Option<Chart> {
    let points: Vec<(&String, f64)> = m
        .values
        .iter()
        .filter(|(per, _)| period.is_none_or(|limit| per.as_str() <= limit))
        .map(|(k, v)| (k, *v))
        .collect();
    let periods: Vec<String> = points.iter().map(|(k, _)| (*k).clone()).collect();
    let mut refs = Vec::new();
    if let Some(t) = m.target {
        refs.push(Reference {
            label: format!("Target: {}", with_unit(t, &m.unit)),
            value: t,
        });
    }
    if let (Some(c), Some(l)) = (&m.comparator, comparator_label) {
        refs.push(Reference {
            label: format!("{l}: {}", with_unit(c.value, &m.unit)),
            value: c.value,
        });
    }
    let all: Vec<f64> = points
        .iter()
        .map(|p| p.1)
        .chain(refs.iter().map(|r| r.value))
        .filter(|v| v.is_finite())
        .collect();
    let hi = all.iter().copied().fold(f64::MIN, f64::max);
    let lo = all.iter().copied().fold(f64::MAX, f64::min);
    let lo = if lo >= 0.0 { 0.0 } else { lo };
    let (lo, hi, ticks) = nice_ticks(lo, if hi > lo { hi } else { lo + 1.0 });
    let ticks: Vec<(f64, String)> = ticks
        .into_iter()
        .map(|t| (t, grouped(&num(t, 2))))
        .collect();
    let line = Line {
        label: title.to_string(),
        values: points.iter().map(|p| Some(p.1)).collect(),
    };
    let id = format!("chart-metric-{}", m.id);
    let desc = format!(
        "Line over {} periods: {}.{}",
        periods.len(),
        points
            .iter()
            .map(|(k, v)| format!("{k} {}", with_unit(*v, &m.unit)))
            .collect::<Vec<_>>()
            .join(", "),
        refs.iter()
            .map(|r| format!(" Dashed line: {}.", r.label))
            .collect::<String>()
    );
    let label = Label {
        id: id.clone(),
        title: format!("{title} over time"),
        desc,
    };
    let svg = charts::lines(&label, &periods, (lo, hi), &ticks, &[line], &refs, true).ok()?;
    Some(Chart {
        id,
        caption: format!("{title}, by period"),
        svg,
    })
}

/// Round axis bounds and up to six evenly spaced ticks covering `lo..hi`.
fn nice_ticks(lo: f64, hi: f64) -> (f64, f64, Vec<f64>) {
    let span = (hi - lo).abs().max(1e-9);
    if !span.is_finite() || !lo.is_finite() || !hi.is_finite() {
        // Values near the limits of f64: an axis without ticks rather than arithmetic on inf.
        return (0.0, 1.0, Vec::new());
    }
    let raw = span / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| span / s <= 5.0 + 1e-9)
        .unwrap_or(mag * 10.0);
    let start = (lo / step).floor() * step;
    let end = (hi / step).ceil() * step;
    let mut ticks = Vec::new();
    let mut t = start;
    while t <= end + step * 1e-6 && ticks.len() < 12 {
        ticks.push((t / step).round() * step);
        t += step;
    }
    (start, end.max(start + step), ticks)
}

fn public_briefing(b: &Briefing, p: &mut Publisher) -> Option<BriefingPage> {
    (b.audience == crate::model::Audience::Public).then(|| {
        let body_loc = Loc {
            file: b.loc.file.clone(),
            line: b.body_line,
            col: 1,
        };
        BriefingPage {
            slug: b.slug.clone(),
            href: briefing_href(&b.slug),
            title: p.text(&b.loc, &b.title),
            date: b.date.long(),
            date_iso: b.date.to_string(),
            audience: "public",
            summary: p.text(&b.loc, &b.summary),
            body_html: p.markdown(&body_loc, &b.body, 2),
        }
    })
}

fn method_page(ctx: &Ctx<'_>, p: &mut Publisher) -> MethodPage {
    let audit = ctx.audit;
    let frameworks = audit
        .frameworks
        .values()
        .map(|fw| {
            let loc = fw.loc.clone();
            let url = fw.source.url.trim();
            FrameworkView {
                id: fw.id.clone(),
                title: p.text(&loc, &fw.title),
                summary_html: p.markdown(&loc, &fw.summary, 3),
                publisher: p.text(&loc, &fw.source.publisher),
                publication: p.text(&loc, &fw.source.publication),
                year: fw.source.year,
                url: (url.starts_with("https://") || url.starts_with("http://"))
                    .then(|| p.text(&loc, url)),
                licence: p.text(&loc, &fw.source.licence),
                note: p.text(&loc, &fw.source.note),
                bundled: fw.bundled,
            }
        })
        .collect();
    let (scale, weights) = match ctx.latest {
        Some((_, a, fw)) => {
            let loc = fw.loc.clone();
            (
                fw.scale
                    .iter()
                    .map(|l| ScaleRow {
                        value: l.value,
                        label: Tag::new(p.text(&loc, &l.label), rag_class(l.rag)),
                        descriptor: p.text(&loc, &l.descriptor),
                    })
                    .collect(),
                a.ranking
                    .themes
                    .iter()
                    .map(|t| (ctx.theme_ref(&t.theme, p), num(t.weight, 2)))
                    .collect(),
            )
        }
        None => (Vec::new(), Vec::new()),
    };
    MethodPage {
        frameworks,
        scale,
        weights,
        constants: Constants {
            residual: num(score::RESIDUAL, 2),
            confidence_high: num(score::CONFIDENCE_HIGH, 2),
            confidence_medium: num(score::CONFIDENCE_MEDIUM, 2),
            confidence_low: num(score::CONFIDENCE_LOW, 2),
            metric_step: num(score::METRIC_STEP, 2),
            metric_cap: num(score::METRIC_CAP, 2),
            deterioration: num(score::DETERIORATION_WEIGHT, 2),
            pull_lowest: num(score::PULL_LOWEST * 100.0, 0),
            pull_statutory: num(score::PULL_STATUTORY * 100.0, 0),
        },
        flags: [
            Flag::Unanswered,
            Flag::AgenciesDisagree,
            Flag::StatutoryLow,
            Flag::MetricOffTarget,
            Flag::WorseThanComparator,
            Flag::MetricWorsening,
            Flag::Deteriorated,
            Flag::Moderated,
            Flag::LowConfidence,
        ]
        .iter()
        .map(|f| (flag_words(*f).to_string(), f.as_str()))
        .collect(),
    }
}

fn rating_rows(audit: &Audit, analyses: &[Analysis]) -> Vec<RatingRow> {
    let mut rows = Vec::new();
    for a in analyses {
        let Some(fw) = audit.frameworks.get(&a.framework) else {
            continue;
        };
        let mut scores: Vec<&QuestionScore> = a.ranking.priorities.iter().collect();
        scores.sort_by(|x, y| x.question.cmp(&y.question));
        for s in scores {
            rows.push(RatingRow {
                cycle: a.cycle.clone(),
                question: s.question.clone(),
                theme: s.theme.clone(),
                level: s.level,
                rating: s.rating.map(|r| crate::analysis::round(r, 2)),
                label: s
                    .rating
                    .map_or("No rating".into(), |r| fw.level_at(r).label.clone()),
                moderated: s.moderated,
                rated: s.answered,
                not_applicable: s.not_applicable,
                unanswered: s.unanswered,
                score: Some(crate::analysis::round(s.score, 2)),
                rank: Some(s.rank),
            });
        }
    }
    rows
}

// ---------------------------------------------------------------------------------------------
// The internal view: only ever built for an internal build
// ---------------------------------------------------------------------------------------------

/// What only the partnership's own people see: each agency's return, moderation notes and
/// internal briefings.
#[derive(Debug, Serialize)]
pub struct InternalView {
    pub agencies: Vec<AgencyPage>,
    /// By question id: every agency's answer and the moderation note.
    pub questions: BTreeMap<String, InternalQuestion>,
    /// Briefings with `audience = "internal"`.
    pub briefings: Vec<BriefingPage>,
    /// Agency-level lines of `data/ratings.csv`.
    #[serde(skip)]
    pub agency_ratings: Vec<AgencyRatingRow>,
}

#[derive(Debug, Serialize)]
pub struct AgencyPage {
    pub id: String,
    pub name: String,
    pub sector: String,
    pub statutory: bool,
    /// Whether the latest cycle asked this agency for a return.
    pub asked: bool,
    pub cycle: Option<String>,
    pub returned: bool,
    pub completed_by: Option<String>,
    pub submitted: Option<String>,
    pub answers: Vec<AgencyAnswer>,
    pub unanswered: Vec<Ref>,
    pub counts: Vec<StatusCount>,
}

#[derive(Debug, Serialize)]
pub struct AgencyAnswer {
    pub question: Ref,
    pub theme: Ref,
    pub rating: Tag,
    pub confidence: String,
    pub evidence_html: String,
    pub gaps_html: Option<String>,
    pub internal_html: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct InternalQuestion {
    pub answers: Vec<QuestionAnswer>,
    pub moderation_note_html: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct QuestionAnswer {
    pub agency: Ref,
    pub statutory: bool,
    pub rating: Tag,
    pub confidence: String,
    pub answered: bool,
    pub evidence_html: String,
    pub gaps_html: Option<String>,
    pub internal_html: Option<String>,
}

/// One agency's rating of one question in one cycle.
#[derive(Debug, Clone, Serialize)]
pub struct AgencyRatingRow {
    pub cycle: String,
    pub question: String,
    pub theme: String,
    pub level: Level,
    pub agency: String,
    pub rating: String,
    pub confidence: String,
}

impl InternalView {
    pub fn build(audit: &Audit, analyses: &[Analysis]) -> InternalView {
        // Internal text is never scanned; the publisher only supplies the same references.
        let mut p = Publisher::default();
        let ctx = Ctx::new(audit, analyses);
        let mut view = InternalView {
            agencies: Vec::new(),
            questions: BTreeMap::new(),
            briefings: audit
                .briefings
                .iter()
                .filter(|b| b.audience == crate::model::Audience::Internal)
                .map(|b| BriefingPage {
                    slug: b.slug.clone(),
                    href: briefing_href(&b.slug),
                    title: b.title.clone(),
                    date: b.date.long(),
                    date_iso: b.date.to_string(),
                    audience: "internal",
                    summary: b.summary.clone(),
                    body_html: markdown::to_html(&b.body, 2),
                })
                .collect(),
            agency_ratings: Vec::new(),
        };
        for a in analyses {
            let Some(cycle) = audit.cycle(&a.cycle) else {
                continue;
            };
            let Some(fw) = audit.frameworks.get(&cycle.framework) else {
                continue;
            };
            for q in cycle.questions(fw) {
                for ag in cycle.agencies(&audit.partnership) {
                    let answer = cycle.response(&ag.id).and_then(|r| r.answers.get(&q.id));
                    view.agency_ratings.push(AgencyRatingRow {
                        cycle: cycle.id.clone(),
                        question: q.id.clone(),
                        theme: q.theme.clone(),
                        level: q.level,
                        agency: ag.id.clone(),
                        rating: answer.map_or(String::new(), |x| x.rating.to_string()),
                        confidence: answer
                            .map_or(String::new(), |x| x.confidence.as_str().to_string()),
                    });
                }
            }
        }
        let Some((c, _, fw)) = ctx.latest else {
            view.agencies = audit
                .partnership
                .agencies
                .iter()
                .map(|ag| AgencyPage {
                    id: ag.id.clone(),
                    name: ag.name.clone(),
                    sector: ag.sector.as_str().replace('-', " "),
                    statutory: ag.statutory,
                    asked: false,
                    cycle: None,
                    returned: false,
                    completed_by: None,
                    submitted: None,
                    answers: Vec::new(),
                    unanswered: Vec::new(),
                    counts: Vec::new(),
                })
                .collect();
            return view;
        };
        let asked: Vec<&crate::model::Question> = c.questions(fw).collect();
        for q in &asked {
            let answers = c
                .agencies(&audit.partnership)
                .map(|ag| {
                    let answer = c.response(&ag.id).and_then(|r| r.answers.get(&q.id));
                    QuestionAnswer {
                        agency: Ref {
                            id: ag.id.clone(),
                            text: ag.name.clone(),
                            href: Some(agency_href(&ag.id)),
                        },
                        statutory: ag.statutory,
                        rating: rating_value_tag(fw, answer.map(|x| x.rating)),
                        confidence: answer
                            .map_or("–".into(), |x| confidence_word(x.confidence).into()),
                        answered: answer.is_some(),
                        evidence_html: answer
                            .map_or(String::new(), |x| markdown::to_html(&x.evidence, 4)),
                        gaps_html: answer
                            .and_then(|x| x.gaps.as_ref())
                            .map(|g| markdown::to_html(g, 4)),
                        internal_html: answer
                            .and_then(|x| x.internal.as_ref())
                            .map(|g| markdown::to_html(g, 4)),
                    }
                })
                .collect();
            let note = c
                .moderated(&q.id)
                .and_then(|m| m.note.as_ref())
                .map(|n| markdown::to_html(n, 4));
            view.questions.insert(
                q.id.clone(),
                InternalQuestion {
                    answers,
                    moderation_note_html: note,
                },
            );
        }
        view.agencies = audit
            .partnership
            .agencies
            .iter()
            .map(|ag| {
                let takes_part = c.takes_part(&ag.id);
                let response = c.response(&ag.id);
                let mut answers = Vec::new();
                let mut unanswered = Vec::new();
                for q in asked.iter().filter(|_| takes_part) {
                    match response.and_then(|r| r.answers.get(&q.id)) {
                        Some(x) => answers.push(AgencyAnswer {
                            question: ctx.question_ref(&q.id, &mut p),
                            theme: ctx.theme_ref(&q.theme, &mut p),
                            rating: rating_value_tag(fw, Some(x.rating)),
                            confidence: confidence_word(x.confidence).into(),
                            evidence_html: markdown::to_html(&x.evidence, 3),
                            gaps_html: x.gaps.as_ref().map(|g| markdown::to_html(g, 3)),
                            internal_html: x.internal.as_ref().map(|g| markdown::to_html(g, 3)),
                        }),
                        None => unanswered.push(ctx.question_ref(&q.id, &mut p)),
                    }
                }
                let mut counts: Vec<StatusCount> = fw
                    .scale
                    .iter()
                    .map(|l| StatusCount {
                        status: Tag::new(l.label.clone(), rag_class(l.rag)),
                        count: response.map_or(0, |r| {
                            asked
                                .iter()
                                .filter_map(|q| r.answers.get(&q.id))
                                .filter(|x| x.rating == Rating::Value(l.value))
                                .count()
                        }),
                    })
                    .collect();
                counts.push(StatusCount {
                    status: Tag::new("Not applicable", "grey"),
                    count: response.map_or(0, |r| {
                        asked
                            .iter()
                            .filter_map(|q| r.answers.get(&q.id))
                            .filter(|x| x.rating == Rating::NotApplicable)
                            .count()
                    }),
                });
                counts.push(StatusCount {
                    status: Tag::new("Not answered", "grey"),
                    count: unanswered.len(),
                });
                AgencyPage {
                    id: ag.id.clone(),
                    name: ag.name.clone(),
                    sector: ag.sector.as_str().replace('-', " "),
                    statutory: ag.statutory,
                    asked: takes_part,
                    cycle: Some(format!("{} ({})", c.title, c.id)),
                    returned: response.is_some(),
                    completed_by: response.map(|r| r.completed_by.clone()),
                    submitted: response.and_then(|r| r.submitted).map(|d| d.long()),
                    answers,
                    unanswered,
                    counts,
                }
            })
            .collect();
        view
    }
}

// ---------------------------------------------------------------------------------------------
// A collection: several partnerships side by side
// ---------------------------------------------------------------------------------------------

/// The comparison index of a collection, built from each partnership's public view only.
#[derive(Debug, Serialize)]
pub struct CollectionView {
    pub partnerships: Vec<CollectionRow>,
    /// Average rating per theme and partnership, when every partnership's latest cycle used the
    /// same framework (otherwise the themes are not comparable and this is empty).
    pub themes: Vec<CollectionTheme>,
    pub scale: String,
}

#[derive(Debug, Serialize)]
pub struct CollectionRow {
    pub name: String,
    pub short_name: String,
    pub folder: String,
    /// `<folder>/index.html`.
    pub href: String,
    pub cycle: String,
    pub questions: usize,
    pub returns: String,
    pub mean: Tag,
    /// The highest priority, its href relative to the collection's root.
    pub top: Option<Ref>,
    pub overdue: usize,
}

#[derive(Debug, Serialize)]
pub struct CollectionTheme {
    pub title: String,
    pub values: Vec<String>,
}

impl CollectionView {
    /// `members` pairs each partnership's audit with its latest analysis (if it has a cycle)
    /// and its public view.
    pub fn build(members: &[(&Audit, Option<&Analysis>, &PublicView)]) -> CollectionView {
        let partnerships = members
            .iter()
            .map(|(audit, analysis, view)| {
                let fw = analysis.and_then(|a| audit.frameworks.get(&a.framework));
                let rated: Vec<f64> = analysis
                    .map(|a| {
                        a.ranking
                            .priorities
                            .iter()
                            .filter_map(|s| s.rating)
                            .collect()
                    })
                    .unwrap_or_default();
                let mean =
                    (!rated.is_empty()).then(|| rated.iter().sum::<f64>() / rated.len() as f64);
                CollectionRow {
                    name: view.partnership.name.clone(),
                    short_name: view.partnership.short_name.clone(),
                    folder: audit.folder.clone(),
                    href: format!("{}/index.html", audit.folder),
                    cycle: view.cycle.as_ref().map_or("No cycles yet".into(), |c| {
                        format!("{} ({})", c.title, c.id)
                    }),
                    questions: view.cycle.as_ref().map_or(0, |c| c.questions_in_scope),
                    returns: view.cycle.as_ref().map_or("–".into(), |c| {
                        format!("{} of {}", c.returns_received, c.agencies)
                    }),
                    mean: match fw {
                        Some(fw) => rating_tag(fw, mean),
                        None => Tag::new("No rating", "grey"),
                    },
                    top: view.priorities.first().map(|p| Ref {
                        id: p.question.id.clone(),
                        text: p.question.text.clone(),
                        href: p
                            .question
                            .href
                            .as_ref()
                            .map(|h| format!("{}/{h}", audit.folder)),
                    }),
                    overdue: view.actions.overdue,
                }
            })
            .collect();
        let frameworks: Vec<Option<&str>> = members
            .iter()
            .map(|(_, a, _)| a.map(|a| a.framework.as_str()))
            .collect();
        let shared = match frameworks.first() {
            Some(Some(first)) if frameworks.iter().all(|f| f == &Some(*first)) => Some(*first),
            _ => None,
        };
        let (themes, scale) = match shared.and_then(|id| {
            members
                .first()
                .and_then(|(audit, _, _)| audit.frameworks.get(id))
        }) {
            Some(fw) => (
                fw.themes
                    .iter()
                    .filter_map(|t| {
                        let values: Vec<Option<f64>> = members
                            .iter()
                            .map(|(_, a, _)| {
                                a.and_then(|a| {
                                    a.ranking
                                        .themes
                                        .iter()
                                        .find(|s| s.theme == t.id)
                                        .and_then(|s| s.mean_rating)
                                })
                            })
                            .collect();
                        values.iter().any(Option::is_some).then(|| CollectionTheme {
                            title: members
                                .first()
                                .and_then(|(_, _, v)| {
                                    v.themes
                                        .iter()
                                        .find(|x| x.id == t.id)
                                        .map(|x| x.title.clone())
                                })
                                .unwrap_or_else(|| t.title.clone()),
                            values: values
                                .iter()
                                .map(|v| v.map_or("–".into(), |v| num(v, 2)))
                                .collect(),
                        })
                    })
                    .collect(),
                format!(
                    "{} = {} to {} = {}",
                    fw.bottom(),
                    fw.scale.first().map_or("", |l| l.label.as_str()),
                    fw.top(),
                    fw.scale.last().map_or("", |l| l.label.as_str())
                ),
            ),
            None => (Vec::new(), String::new()),
        };
        CollectionView {
            partnerships,
            themes,
            scale,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_fixed_and_tidy() {
        assert_eq!(num(71.456, 1), "71.5");
        assert_eq!(num(2.0, 2), "2");
        assert_eq!(num(-0.0001, 2), "0");
        assert_eq!(num(f64::NAN, 2), "–");
        // Exactly on a half: rounded away from zero, as the JSON and CSV round it.
        assert_eq!(num(1.125, 2), "1.13");
        assert_eq!(num(-1.125, 2), "-1.13");
        assert_eq!(num(0.25, 1), "0.3");
        assert_eq!(num(2.5, 0), "3");
        assert_eq!(with_unit(25.3, "%"), "25.3%");
        assert_eq!(with_unit(12.0, "weeks"), "12 weeks");
        assert_eq!(with_unit(518.0, "count"), "518");
        assert_eq!(with_unit(61500.0, "children"), "61,500 children");
        assert_eq!(with_unit(-1234567.5, ""), "-1,234,567.5");
    }

    #[test]
    fn axis_ticks_cover_the_data_with_round_steps() {
        let (lo, hi, ticks) = nice_ticks(0.0, 25.3);
        assert_eq!(lo, 0.0);
        assert!(hi >= 25.3);
        assert!(ticks.len() >= 3 && ticks.len() <= 7, "{ticks:?}");
        let (_, _, t) = nice_ticks(0.0, 1.0);
        assert!(t.iter().all(|x| x.is_finite()));
        for (lo, hi) in [(-1e308, 1e308), (0.0, 1e308), (5.0, 5.0), (1e-300, 2e-300)] {
            let (a, b, t) = nice_ticks(lo, hi);
            assert!(a.is_finite() && b.is_finite() && b > a, "{lo}..{hi}");
            assert!(
                t.len() <= 12 && t.iter().all(|x| x.is_finite()),
                "{lo}..{hi}"
            );
        }
    }
}
