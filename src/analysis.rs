//! One entry point for score → prioritise → plan: everything `rank` prints and the site
//! renders about one cycle, computed once. Also the `rank --format json` view of it.

use crate::model::{
    ActionStatus, Answer, Audit, Confidence, Cycle, Date, Framework, Level, Question, Rating,
    Response,
};
use crate::plan::{self, Plan};
use crate::prioritise::{self, Ranking};
use crate::score::{self, Flag, QuestionScore};
use serde::Serialize;
use std::collections::BTreeMap;

/// A cycle's finished analysis.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    /// The partnership's full name, and its short name.
    pub partnership: String,
    pub short_name: String,
    /// The partnership's folder name (its path segment inside a collection).
    pub folder: String,
    pub cycle: String,
    pub cycle_title: String,
    pub period: String,
    pub framework: String,
    /// The previous cycle with the same framework, when there is one.
    pub previous_cycle: Option<String>,
    pub ranking: Ranking,
    pub plan: Plan,
}

/// Scores, ranks and plans one cycle. `as_of` judges overdue actions (default: the cycle's
/// `closed` date).
pub fn analyse(audit: &Audit, cycle: &Cycle, as_of: Option<Date>) -> Analysis {
    let (scores, not_applicable) = score::score_cycle(audit, cycle);
    let ranking = prioritise::prioritise(audit, cycle, scores, not_applicable);
    let plan = plan::plan(&audit.actions, &ranking, as_of.unwrap_or(cycle.closed));
    Analysis {
        partnership: audit.partnership.name.clone(),
        short_name: audit.partnership.short_name.clone(),
        folder: audit.folder.clone(),
        cycle: cycle.id.clone(),
        cycle_title: cycle.title.clone(),
        period: cycle.period.clone(),
        framework: cycle.framework.clone(),
        previous_cycle: audit.previous_cycle(cycle).map(|c| c.id.clone()),
        ranking,
        plan,
    }
}

/// Every cycle of the audit, oldest first (for trends across cycles).
pub fn analyse_all(audit: &Audit, as_of: Option<Date>) -> Vec<Analysis> {
    audit
        .cycles
        .iter()
        .map(|c| analyse(audit, c, as_of))
        .collect()
}

impl Analysis {
    /// The average of the partnership's ratings over the ranked questions that have one: the
    /// figure a collection compares partnerships by.
    pub fn mean_rating(&self) -> Option<f64> {
        let rated: Vec<f64> = self
            .ranking
            .priorities
            .iter()
            .filter_map(|s| s.rating)
            .collect();
        (!rated.is_empty()).then(|| rated.iter().sum::<f64>() / rated.len() as f64)
    }

    /// A theme's average rating in this cycle; None when the theme was not ranked or none of
    /// its questions has a rating.
    pub fn theme_mean(&self, theme: &str) -> Option<f64> {
        self.ranking
            .themes
            .iter()
            .find(|s| s.theme == theme)
            .and_then(|s| s.mean_rating)
    }
}

/// Which way a theme's average rating moved between two cycles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Improved,
    Declined,
    /// Moved by less than 0.005, which shows as the same figure to two decimals.
    Unchanged,
    /// One of the two cycles has no average for the theme.
    NotComparable,
}

pub fn theme_direction(before: Option<f64>, now: Option<f64>) -> Direction {
    match (before, now) {
        (Some(b), Some(n)) if n > b + 0.005 => Direction::Improved,
        (Some(b), Some(n)) if n < b - 0.005 => Direction::Declined,
        (Some(_), Some(_)) => Direction::Unchanged,
        _ => Direction::NotComparable,
    }
}

/// How a question's rating moved between cycles, counted in levels of the scale: a shift of an
/// aggregate within one level is no move. A move carries its size on the rating scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LevelMove {
    Same,
    Down(f64),
    Up(f64),
}

pub fn level_move(fw: &Framework, then: f64, now: f64) -> LevelMove {
    let (level_now, level_then) = (fw.level_at(now).value, fw.level_at(then).value);
    if level_now == level_then {
        LevelMove::Same
    } else if level_now < level_then {
        LevelMove::Down(then - now)
    } else {
        LevelMove::Up(now - then)
    }
}

/// The framework every partnership's latest cycle used, when they all used the same one: only
/// then are their themes comparable. None when any partnership has no cycle.
pub fn shared_framework<'a>(latest: &[Option<&'a Analysis>]) -> Option<&'a str> {
    let frameworks: Vec<Option<&str>> = latest
        .iter()
        .map(|a| a.map(|a| a.framework.as_str()))
        .collect();
    match frameworks.first() {
        Some(Some(first)) if frameworks.iter().all(|f| f == &Some(*first)) => Some(*first),
        _ => None,
    }
}

/// Answers counted by rating: how many gave each scale value, and how many "not applicable".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RatingCounts {
    pub by_value: BTreeMap<u32, usize>,
    pub not_applicable: usize,
}

impl RatingCounts {
    pub fn of<'a>(answers: impl IntoIterator<Item = &'a Answer>) -> RatingCounts {
        let mut counts = RatingCounts::default();
        for a in answers {
            match a.rating {
                Rating::Value(v) => *counts.by_value.entry(v).or_default() += 1,
                Rating::NotApplicable => counts.not_applicable += 1,
            }
        }
        counts
    }

    /// Answers giving the scale value `value`.
    pub fn at(&self, value: u32) -> usize {
        self.by_value.get(&value).copied().unwrap_or(0)
    }

    /// Every answer counted, "not applicable" included.
    pub fn total(&self) -> usize {
        self.by_value.values().sum::<usize>() + self.not_applicable
    }
}

/// Every answer a cycle's returns gave to a question in its scope, counted.
pub fn scope_answers(cycle: &Cycle, fw: &Framework) -> RatingCounts {
    let asked: Vec<&str> = cycle.questions(fw).map(|q| q.id.as_str()).collect();
    RatingCounts::of(cycle.responses.iter().flat_map(|r| {
        r.answers
            .iter()
            .filter(|(q, _)| asked.contains(&q.as_str()))
            .map(|(_, a)| a)
    }))
}

/// One return's answers to the questions `asked`, counted.
pub fn return_answers(response: &Response, asked: &[&Question]) -> RatingCounts {
    RatingCounts::of(asked.iter().filter_map(|q| response.answers.get(&q.id)))
}

/// How the agencies taking part in a cycle answered one question, counted: never who said what.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerTally {
    /// Agencies the cycle asked for a return.
    pub agencies: usize,
    /// The ratings given ("not applicable" left out), in the partnership's order of agencies.
    pub ratings: Vec<u32>,
    /// The confidence behind each of those ratings.
    pub confidence: Vec<Confidence>,
    pub not_applicable: usize,
    /// Agencies asked that gave no answer (or no return).
    pub unanswered: usize,
}

impl AnswerTally {
    pub fn of(audit: &Audit, cycle: &Cycle, question: &str) -> AnswerTally {
        let agencies = cycle.agencies(&audit.partnership).count();
        let answers: Vec<&Answer> = cycle
            .agencies(&audit.partnership)
            .filter_map(|a| cycle.response(&a.id).and_then(|r| r.answers.get(question)))
            .collect();
        let rated: Vec<(u32, Confidence)> = answers
            .iter()
            .filter_map(|a| a.rating.value().map(|v| (v, a.confidence)))
            .collect();
        AnswerTally {
            agencies,
            ratings: rated.iter().map(|r| r.0).collect(),
            confidence: rated.iter().map(|r| r.1).collect(),
            not_applicable: answers
                .iter()
                .filter(|a| a.rating == Rating::NotApplicable)
                .count(),
            unanswered: agencies.saturating_sub(answers.len()),
        }
    }

    /// Ratings giving the scale value `value`.
    pub fn at(&self, value: u32) -> usize {
        self.ratings.iter().filter(|&&v| v == value).count()
    }

    /// Ratings given with confidence `c`.
    pub fn with_confidence(&self, c: Confidence) -> usize {
        self.confidence.iter().filter(|&&x| x == c).count()
    }

    /// The lowest and highest rating given.
    pub fn range(&self) -> Option<(u32, u32)> {
        self.ratings
            .iter()
            .min()
            .copied()
            .zip(self.ratings.iter().max().copied())
    }

    /// The plain mean of the ratings given (not the pulled aggregate the score uses).
    pub fn mean(&self) -> Option<f64> {
        (!self.ratings.is_empty()).then(|| {
            self.ratings.iter().map(|&v| f64::from(v)).sum::<f64>() / self.ratings.len() as f64
        })
    }
}

/// Rounds for output: scores, ratings and risk to 2 decimal places, components to 4 so the
/// score can be reproduced from them to within 0.01.
pub fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    let r = (x * f).round() / f;
    if r == 0.0 { 0.0 } else { r }
}

/// How far a score recomputed from the 4-place components may stray from the 2-place score.
/// Rounding gap and coverage moves the `0.1 + 0.9 × shortfall` term by at most 0.9 × 1e-4,
/// at most 0.09% of a term that is never below 0.1; the other four factors are at least 1,
/// so each moves by at most 0.005%; the score itself is rounded by up to 0.005.
pub fn reproduction_tolerance(score: f64) -> f64 {
    0.0012 * score.abs() + 0.006
}

/// `rank --format json` for one partnership: the contract's shape (design.md), aggregates only
/// (no agency's rating or text), so it is safe for `data/priorities.json` too.
#[derive(Debug, Clone, Serialize)]
pub struct RankReport {
    pub partnership: String,
    pub folder: String,
    pub cycle: String,
    pub framework: String,
    pub previous_cycle: Option<String>,
    pub as_of: Date,
    pub priorities: Vec<PriorityRow>,
    pub actions: Vec<ActionRow>,
    pub uncovered: Vec<String>,
    pub not_applicable: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PriorityRow {
    pub rank: usize,
    pub question: String,
    pub theme: String,
    pub level: Level,
    pub score: f64,
    pub rating: Option<f64>,
    pub components: RoundedComponents,
    pub flags: Vec<Flag>,
    pub moderated: bool,
    pub answered: usize,
    pub not_applicable: usize,
    pub unanswered: usize,
    pub spread: Option<u32>,
    pub previous: Option<PreviousRow>,
}

/// The score's factors, rounded to 4 places. `score = 100 × (0.1 + 0.9 × (1 - coverage × (1 -
/// gap))) × confidence × metrics × deterioration × theme_weight`.
#[derive(Debug, Clone, Serialize)]
pub struct RoundedComponents {
    pub gap: f64,
    pub confidence: f64,
    pub metrics: f64,
    pub theme_weight: f64,
    pub coverage: f64,
    pub deterioration: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct PreviousRow {
    pub cycle: String,
    pub rating: Option<f64>,
    pub score: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionRow {
    pub rank: usize,
    pub action: String,
    pub title: String,
    /// The ranked questions this action newly covers; `risk_covered` is their scores' sum.
    pub covers: Vec<String>,
    pub risk_covered: f64,
    /// Every ranked question it addresses, including those an earlier action covers.
    pub addresses: Vec<String>,
    pub due: Date,
    pub status: ActionStatus,
    pub overdue: bool,
}

impl PriorityRow {
    pub fn of(s: &QuestionScore) -> PriorityRow {
        let c = &s.components;
        PriorityRow {
            rank: s.rank,
            question: s.question.clone(),
            theme: s.theme.clone(),
            level: s.level,
            score: round(s.score, 2),
            rating: s.rating.map(|r| round(r, 2)),
            components: RoundedComponents {
                gap: round(c.gap, 4),
                confidence: round(c.confidence, 4),
                metrics: round(c.metrics, 4),
                theme_weight: round(c.theme_weight, 4),
                coverage: round(c.coverage, 4),
                deterioration: round(c.deterioration, 4),
            },
            flags: s.flags.clone(),
            moderated: s.moderated,
            answered: s.answered,
            not_applicable: s.not_applicable,
            unanswered: s.unanswered,
            spread: s.spread,
            previous: s.previous.as_ref().map(|p| PreviousRow {
                cycle: p.cycle.clone(),
                rating: p.rating.map(|r| round(r, 2)),
                score: round(p.score, 2),
            }),
        }
    }
}

impl RankReport {
    /// The report, with only the first `top` priorities when given (the plan always covers all).
    pub fn of(a: &Analysis, top: Option<usize>) -> RankReport {
        let shown = top.unwrap_or(usize::MAX);
        RankReport {
            partnership: a.partnership.clone(),
            folder: a.folder.clone(),
            cycle: a.cycle.clone(),
            framework: a.framework.clone(),
            previous_cycle: a.previous_cycle.clone(),
            as_of: a.plan.as_of,
            priorities: a
                .ranking
                .priorities
                .iter()
                .take(shown)
                .map(PriorityRow::of)
                .collect(),
            actions: a
                .plan
                .actions
                .iter()
                .map(|p| ActionRow {
                    rank: p.rank,
                    action: p.action.clone(),
                    title: p.title.clone(),
                    covers: p.covers.clone(),
                    risk_covered: round(p.risk_covered, 2),
                    addresses: p.addresses.clone(),
                    due: p.due,
                    status: p.status,
                    overdue: p.overdue,
                })
                .collect(),
            uncovered: a.plan.uncovered.clone(),
            not_applicable: a.ranking.not_applicable.clone(),
        }
    }
}

/// Builds small audits in code for the unit and property tests of the scoring stages.
/// A cell for a CSV file someone may open in a spreadsheet. Text a spreadsheet would take for
/// a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return: a partnership's
/// name, a label) gets a leading `'`, as OWASP advises, so it shows as text and never runs.
/// Numbers, negative ones included, are left as they are.
pub fn csv_cell(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_plain_number(&cell) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// A number as panelaudit writes one: an optional sign, digits, a point, an exponent
/// (`-0.25`, `1e-5`), and nothing a spreadsheet could read as a formula or a name (`-inf`).
fn is_plain_number(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    body.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
        && s.parse::<f64>().is_ok()
}

/// The priorities as CSV, one row per ranked question: what `rank --format csv` prints and
/// what the site publishes as `data/priorities.csv`, written in one place so they never drift.
pub fn priorities_csv(reports: &[RankReport]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "partnership",
        "cycle",
        "rank",
        "question",
        "theme",
        "level",
        "rating",
        "score",
        "gap",
        "coverage",
        "confidence",
        "metrics",
        "deterioration",
        "theme_weight",
        "answered",
        "not_applicable",
        "unanswered",
        "moderated",
        "flags",
        "previous_cycle",
        "previous_rating",
        "previous_score",
    ])?;
    let opt = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    for report in reports {
        for r in &report.priorities {
            let c = &r.components;
            let flags: Vec<&str> = r.flags.iter().map(|f| f.as_str()).collect();
            w.write_record(
                [
                    report.partnership.clone(),
                    report.cycle.clone(),
                    r.rank.to_string(),
                    r.question.clone(),
                    r.theme.clone(),
                    r.level.to_string(),
                    opt(r.rating),
                    r.score.to_string(),
                    c.gap.to_string(),
                    c.coverage.to_string(),
                    c.confidence.to_string(),
                    c.metrics.to_string(),
                    c.deterioration.to_string(),
                    c.theme_weight.to_string(),
                    r.answered.to_string(),
                    r.not_applicable.to_string(),
                    r.unanswered.to_string(),
                    r.moderated.to_string(),
                    flags.join(";"),
                    r.previous
                        .as_ref()
                        .map(|p| p.cycle.clone())
                        .unwrap_or_default(),
                    opt(r.previous.as_ref().and_then(|p| p.rating)),
                    opt(r.previous.as_ref().map(|p| p.score)),
                ]
                .map(csv_cell),
            )?;
        }
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
pub(crate) mod testkit {
    use crate::model::*;
    use crate::source::Loc;
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    /// A framework with the given scale values, themes (id, weight) and questions
    /// (id, theme, level).
    pub fn framework(
        scale: &[u32],
        themes: &[(&str, f64)],
        questions: &[(&str, &str)],
    ) -> Framework {
        Framework {
            id: "fw".into(),
            title: "Test bank".into(),
            summary: String::new(),
            source: FrameworkSource {
                publisher: "p".into(),
                publication: "p".into(),
                year: None,
                url: "https://example.org".into(),
                licence: "OGL".into(),
                note: String::new(),
            },
            scale: scale
                .iter()
                .map(|&v| ScaleLevel {
                    value: v,
                    label: format!("level {v}"),
                    rag: Rag::Amber,
                    descriptor: String::new(),
                })
                .collect(),
            themes: themes
                .iter()
                .map(|&(id, weight)| Theme {
                    id: id.into(),
                    title: id.into(),
                    summary: String::new(),
                    weight,
                    loc: Loc::default(),
                })
                .collect(),
            questions: questions
                .iter()
                .map(|&(id, theme)| Question {
                    id: id.into(),
                    theme: theme.into(),
                    level: if id.contains("-p-") {
                        Level::Practitioner
                    } else {
                        Level::Strategic
                    },
                    text: id.into(),
                    prompts: vec![],
                    metrics: vec![],
                    loc: Loc::default(),
                })
                .collect(),
            bundled: false,
            loc: Loc::default(),
        }
    }

    /// An audit of `fw` with agencies (id, statutory) and no cycles yet.
    pub fn audit(fw: Framework, agencies: &[(&str, bool)]) -> Audit {
        Audit {
            dir: PathBuf::from("t"),
            folder: "t".into(),
            partnership: Partnership {
                name: "Test Partnership".into(),
                short_name: "TP".into(),
                area: "Test".into(),
                frameworks: vec![fw.id.clone()],
                agencies: agencies
                    .iter()
                    .map(|&(id, statutory)| Agency {
                        id: id.into(),
                        name: id.into(),
                        sector: Sector::Other,
                        statutory,
                        role: None,
                    })
                    .collect(),
                theme_weights: BTreeMap::new(),
                allow: vec![],
                contact: None,
                loc: Loc::default(),
            },
            frameworks: BTreeMap::from([(fw.id.clone(), fw)]),
            metrics: vec![],
            actions: vec![],
            cycles: vec![],
            briefings: vec![],
            deny: vec![],
            templates: None,
        }
    }

    pub fn date(s: &str) -> Date {
        Date::parse(s).expect("a test date")
    }

    /// A cycle `id` (period = id) of framework "fw" with no responses.
    pub fn cycle(id: &str) -> Cycle {
        Cycle {
            id: id.into(),
            title: id.into(),
            period: id.into(),
            method: Method::SelfAssessment,
            framework: "fw".into(),
            opened: date("2025-09-01"),
            closed: date("2025-11-28"),
            scope_themes: vec![],
            scope_levels: vec![],
            scope_agencies: vec![],
            responses: vec![],
            moderation: None,
            loc: Loc::default(),
        }
    }

    /// Records `agency`'s answer to `question` in `cycle`, creating its return if needed.
    pub fn answer(cycle: &mut Cycle, agency: &str, question: &str, rating: Rating, c: Confidence) {
        let pos = match cycle.responses.iter().position(|r| r.agency == agency) {
            Some(p) => p,
            None => {
                cycle.responses.push(Response {
                    agency: agency.into(),
                    completed_by: "lead".into(),
                    submitted: None,
                    answers: BTreeMap::new(),
                    loc: Loc::default(),
                });
                cycle.responses.sort_by(|a, b| a.agency.cmp(&b.agency));
                cycle
                    .responses
                    .iter()
                    .position(|r| r.agency == agency)
                    .unwrap_or_default()
            }
        };
        cycle.responses[pos].answers.insert(
            question.into(),
            Answer {
                rating,
                confidence: c,
                evidence: "e".into(),
                gaps: None,
                internal: None,
                loc: Loc::default(),
            },
        );
    }

    pub fn moderate(cycle: &mut Cycle, question: &str, rating: Rating) {
        cycle
            .moderation
            .get_or_insert_with(|| Moderation {
                moderated_on: None,
                questions: BTreeMap::new(),
            })
            .questions
            .insert(
                question.into(),
                ModeratedQuestion {
                    rating: Some(rating),
                    note: None,
                    public_summary: None,
                    loc: Loc::default(),
                },
            );
    }

    pub fn metric(id: &str, better: Better, values: &[(&str, f64)]) -> Metric {
        Metric {
            id: id.into(),
            title: id.into(),
            definition: None,
            unit: "%".into(),
            better,
            target: None,
            comparator: None,
            themes: vec![],
            questions: vec![],
            values: values.iter().map(|(p, v)| (p.to_string(), *v)).collect(),
            loc: Loc::default(),
        }
    }

    pub fn action(id: &str, status: ActionStatus, due: &str, addresses: &[&str]) -> Action {
        Action {
            id: id.into(),
            title: id.into(),
            owner: "group".into(),
            due: date(due),
            status,
            addresses: addresses.iter().map(|s| s.to_string()).collect(),
            effort: None,
            progress: None,
            loc: Loc::default(),
        }
    }
}

/// The contract's properties (design.md, `rank --format json`), checked on random audits.
#[cfg(test)]
mod properties {
    use super::testkit::*;
    use super::*;
    use crate::model::{ActionStatus, Better, Confidence, Rating};
    use proptest::prelude::*;

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Cell {
        Silent,
        Na,
        /// An index into the scale, and a confidence.
        Value(usize, Confidence),
    }

    #[derive(Debug, Clone)]
    struct MetricSpec {
        better: Better,
        target: Option<f64>,
        values: (f64, f64, f64),
        /// Some(question index) or None: bears on theme "u".
        question: Option<usize>,
    }

    #[derive(Debug, Clone)]
    struct World {
        scale: Vec<u32>,
        statutory: Vec<bool>,
        /// Per question: in theme "u" (else "t").
        in_u: Vec<bool>,
        /// [question][agency], this cycle and the previous one.
        now: Vec<Vec<Cell>>,
        before: Vec<Vec<Cell>>,
        moderated: Vec<Option<usize>>,
        metrics: Vec<MetricSpec>,
        /// (open, addressed question indices)
        actions: Vec<(bool, Vec<usize>)>,
    }

    fn confidence() -> impl Strategy<Value = Confidence> {
        prop_oneof![
            Just(Confidence::Low),
            Just(Confidence::Medium),
            Just(Confidence::High)
        ]
    }

    fn cell() -> impl Strategy<Value = Cell> {
        prop_oneof![
            1 => Just(Cell::Silent),
            1 => Just(Cell::Na),
            5 => (0usize..5, confidence()).prop_map(|(v, c)| Cell::Value(v, c)),
        ]
    }

    fn world() -> impl Strategy<Value = World> {
        let scale = prop_oneof![
            Just(vec![0, 1, 2, 3]),
            Just(vec![0, 1, 2, 3, 4]),
            Just(vec![1, 2, 3, 4, 5])
        ];
        (scale, prop::collection::vec(any::<bool>(), 1..5), 1usize..7).prop_flat_map(
            |(scale, statutory, nq)| {
                let na = statutory.len();
                let grid = move || prop::collection::vec(prop::collection::vec(cell(), na), nq);
                let metric = (
                    prop_oneof![
                        Just(Better::Lower),
                        Just(Better::Higher),
                        Just(Better::Neither)
                    ],
                    prop::option::of(0.0..10.0f64),
                    (0.0..10.0f64, 0.0..10.0f64, 0.0..10.0f64),
                    prop::option::of(0..nq),
                )
                    .prop_map(|(better, target, values, question)| MetricSpec {
                        better,
                        target,
                        values,
                        question,
                    });
                (
                    Just(scale),
                    Just(statutory),
                    prop::collection::vec(any::<bool>(), nq),
                    grid(),
                    grid(),
                    prop::collection::vec(prop::option::weighted(0.2, 0usize..5), nq),
                    prop::collection::vec(metric, 0..3),
                    prop::collection::vec(
                        (any::<bool>(), prop::collection::vec(0..nq, 0..3)),
                        0..4,
                    ),
                )
                    .prop_map(
                        |(scale, statutory, in_u, now, before, moderated, metrics, actions)| {
                            World {
                                scale,
                                statutory,
                                in_u,
                                now,
                                before,
                                moderated,
                                metrics,
                                actions,
                            }
                        },
                    )
            },
        )
    }

    fn qid(i: usize) -> String {
        format!("q-s-{i:02}")
    }

    fn agency(i: usize) -> String {
        format!("a{i}")
    }

    fn fill(w: &World, c: &mut crate::model::Cycle, grid: &[Vec<Cell>]) {
        for (qi, row) in grid.iter().enumerate() {
            for (ai, cell) in row.iter().enumerate() {
                let (rating, conf) = match *cell {
                    Cell::Silent => continue,
                    Cell::Na => (Rating::NotApplicable, Confidence::Low),
                    Cell::Value(v, conf) => (Rating::Value(w.scale[v % w.scale.len()]), conf),
                };
                answer(c, &agency(ai), &qid(qi), rating, conf);
            }
        }
    }

    fn build(w: &World) -> (Audit, crate::model::Cycle) {
        let ids: Vec<String> = (0..w.in_u.len()).map(qid).collect();
        let questions: Vec<(&str, &str)> = ids
            .iter()
            .zip(&w.in_u)
            .map(|(id, &u)| (id.as_str(), if u { "u" } else { "t" }))
            .collect();
        let names: Vec<String> = (0..w.statutory.len()).map(agency).collect();
        let agencies: Vec<(&str, bool)> = names
            .iter()
            .zip(&w.statutory)
            .map(|(n, &s)| (n.as_str(), s))
            .collect();
        let mut a = audit(
            framework(&w.scale, &[("t", 1.0), ("u", 1.3)], &questions),
            &agencies,
        );
        let mut before = cycle("2024-25");
        fill(w, &mut before, &w.before);
        let mut now = cycle("2025-26");
        fill(w, &mut now, &w.now);
        for (qi, m) in w.moderated.iter().enumerate() {
            if let Some(v) = m {
                moderate(
                    &mut now,
                    &qid(qi),
                    Rating::Value(w.scale[v % w.scale.len()]),
                );
            }
        }
        for (i, spec) in w.metrics.iter().enumerate() {
            let (v0, v1, v2) = spec.values;
            let mut m = metric(
                &format!("m{i}"),
                spec.better,
                &[("2023-24", v0), ("2024-25", v1), ("2025-26", v2)],
            );
            m.target = spec.target;
            match spec.question {
                Some(q) => m.questions = vec![qid(q)],
                None => m.themes = vec!["u".into()],
            }
            a.metrics.push(m);
        }
        for (i, (open, addresses)) in w.actions.iter().enumerate() {
            let status = if *open {
                ActionStatus::InProgress
            } else {
                ActionStatus::Complete
            };
            let addresses: Vec<String> = addresses.iter().map(|&q| qid(q)).collect();
            let refs: Vec<&str> = addresses.iter().map(String::as_str).collect();
            a.actions
                .push(action(&format!("A{i}"), status, "2026-03-31", &refs));
        }
        a.cycles = vec![before, now.clone()];
        (a, now)
    }

    fn run(w: &World) -> Analysis {
        let (a, c) = build(w);
        analyse(&a, &c, None)
    }

    /// (score, rank) of a question, or None when it is not ranked.
    fn standing(a: &Analysis, q: &str) -> Option<(f64, usize)> {
        a.ranking
            .priorities
            .iter()
            .find(|s| s.question == q)
            .map(|s| (s.score, s.rank))
    }

    /// The first cell at or after `start` (in reading order) that `pick` accepts.
    fn find_cell(
        grid: &[Vec<Cell>],
        start: usize,
        pick: impl Fn(usize, Cell) -> bool,
    ) -> Option<(usize, usize)> {
        let cells: Vec<(usize, usize)> = (0..grid.len())
            .flat_map(|q| (0..grid[q].len()).map(move |a| (q, a)))
            .collect();
        let n = cells.len();
        (0..n)
            .map(|k| cells[(start + k) % n])
            .find(|&(q, a)| pick(q, grid[q][a]))
    }

    fn config() -> ProptestConfig {
        ProptestConfig::with_cases(96)
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn a_lower_rating_never_ranks_lower(w in world(), start in 0usize..64) {
            let bottom = w.scale[0];
            let found = find_cell(&w.now, start, |q, c| {
                w.moderated[q].is_none()
                    && matches!(c, Cell::Value(v, _) if w.scale[v % w.scale.len()] > bottom)
            });
            prop_assume!(found.is_some());
            let (q, a) = found.unwrap();
            let Cell::Value(v, conf) = w.now[q][a] else { unreachable!() };
            let mut lower = w.clone();
            lower.now[q][a] = Cell::Value(v % w.scale.len() - 1, conf);
            let (s0, r0) = standing(&run(&w), &qid(q)).unwrap();
            let (s1, r1) = standing(&run(&lower), &qid(q)).unwrap();
            prop_assert!(s1 >= s0, "score fell from {s0} to {s1}");
            prop_assert!(r1 <= r0, "rank went from {r0} to {r1}");
        }

        #[test]
        fn weaker_evidence_never_lowers_a_score(w in world(), start in 0usize..64) {
            let found = find_cell(&w.now, start, |_, c| {
                matches!(c, Cell::Value(_, conf) if conf != Confidence::Low)
            });
            prop_assume!(found.is_some());
            let (q, a) = found.unwrap();
            let Cell::Value(v, conf) = w.now[q][a] else { unreachable!() };
            let weaker = if conf == Confidence::High { Confidence::Medium } else { Confidence::Low };
            let mut weak = w.clone();
            weak.now[q][a] = Cell::Value(v, weaker);
            let (s0, r0) = standing(&run(&w), &qid(q)).unwrap();
            let (s1, r1) = standing(&run(&weak), &qid(q)).unwrap();
            prop_assert!(s1 >= s0 && r1 <= r0);
        }

        #[test]
        fn an_adverse_metric_never_lowers_a_score(w in world(), q in 0usize..6, v in 1.0..9.0f64) {
            let before = run(&w);
            let mut worse = w.clone();
            let q = q % w.in_u.len();
            // Lower is better, and the value is above its target, its past and nothing else.
            worse.metrics.push(MetricSpec {
                better: Better::Lower,
                target: Some(v - 1.0),
                values: (v - 0.5, v - 0.5, v),
                question: Some(q),
            });
            let after = run(&worse);
            for s in &before.ranking.priorities {
                let (s1, _) = standing(&after, &s.question).unwrap();
                prop_assert!(s1 >= s.score);
            }
            if let Some((s0, r0)) = standing(&before, &qid(q)) {
                let (s1, r1) = standing(&after, &qid(q)).unwrap();
                prop_assert!(s1 >= s0 && r1 <= r0);
            }
        }

        #[test]
        fn a_heavier_theme_weight_never_lowers_a_score(w in world(), k in 1.0..3.0f64) {
            let (a, c) = build(&w);
            let mut heavy = a.clone();
            heavy.partnership.theme_weights.insert("t".into(), k);
            let before = analyse(&a, &c, None);
            let after = analyse(&heavy, &c, None);
            for s in before.ranking.priorities.iter().filter(|s| s.theme == "t") {
                let (s1, r1) = standing(&after, &s.question).unwrap();
                prop_assert!(s1 >= s.score && r1 <= s.rank);
            }
        }

        #[test]
        fn moderation_overrides_the_agencies(w in world(), q in 0usize..6, m in 0usize..5, to in 0usize..5) {
            let q = q % w.in_u.len();
            let mut w = w;
            w.moderated[q] = Some(m);
            let mut other = w.clone();
            // Every agency's rating on q changes; who answered and how confidently does not.
            for cell in other.now[q].iter_mut() {
                if let Cell::Value(_, conf) = *cell {
                    *cell = Cell::Value(to, conf);
                }
            }
            let (a, b) = (run(&w), run(&other));
            let s = a.ranking.priorities.iter().find(|s| s.question == qid(q)).unwrap();
            prop_assert_eq!(s.rating, Some(f64::from(w.scale[m % w.scale.len()])));
            prop_assert!(s.moderated);
            prop_assert_eq!(standing(&a, &qid(q)).map(|x| x.0), standing(&b, &qid(q)).map(|x| x.0));
        }

        #[test]
        fn na_answers_count_as_if_the_agency_were_not_asked(w in world(), q in 0usize..6, a in 0usize..5) {
            let mut w = w;
            if w.statutory.len() == 1 {
                // A second, silent agency, so one is left when `a` is taken away.
                w.statutory.push(false);
                for row in w.now.iter_mut().chain(w.before.iter_mut()) {
                    row.push(Cell::Silent);
                }
            }
            let (q, a) = (q % w.in_u.len(), a % w.statutory.len());
            // Agency `a` says n/a to q in both cycles, so the change since then is alike in
            // both worlds.
            w.now[q][a] = Cell::Na;
            w.before[q][a] = Cell::Na;
            // The same world without agency `a` at all (in either cycle).
            let mut without = w.clone();
            without.statutory.remove(a);
            for row in without.now.iter_mut().chain(without.before.iter_mut()) {
                row.remove(a);
            }
            let with_na = run(&w);
            let gone = run(&without);
            let find = |x: &Analysis| x.ranking.priorities.iter().find(|s| s.question == qid(q)).cloned();
            match (find(&with_na), find(&gone)) {
                (Some(s0), Some(s1)) => {
                    prop_assert_eq!(s0.rating, s1.rating);
                    prop_assert_eq!(s0.aggregate, s1.aggregate);
                    prop_assert_eq!(s0.components, s1.components);
                    prop_assert_eq!(s0.score, s1.score);
                }
                // Without that agency nobody is left: the question is unranked in one and
                // ranked as unanswered in the other, which the all-n/a rule decides.
                (x, y) => prop_assert_eq!(x.is_some(), y.is_some()),
            }
        }

        #[test]
        fn ranking_is_by_score_then_question_id(w in world()) {
            let a = run(&w);
            for (i, pair) in a.ranking.priorities.windows(2).enumerate() {
                let (x, y) = (&pair[0], &pair[1]);
                prop_assert_eq!(x.rank, i + 1);
                prop_assert!(x.score > y.score || (x.score == y.score && x.question < y.question));
            }
        }

        #[test]
        fn the_same_input_gives_the_same_output(w in world()) {
            let (a, c) = build(&w);
            let first = serde_json::to_string(&analyse(&a, &c, None)).unwrap();
            // Input order of actions and metrics must not matter to the ranking or the plan.
            let mut shuffled = a.clone();
            shuffled.actions.reverse();
            shuffled.metrics.reverse();
            let again = analyse(&shuffled, &c, None);
            prop_assert_eq!(&first, &serde_json::to_string(&analyse(&a, &c, None)).unwrap());
            let scores = |x: &Analysis| x.ranking.priorities.iter().map(|s| (s.question.clone(), s.score)).collect::<Vec<_>>();
            let plan = |x: &Analysis| serde_json::to_string(&x.plan).unwrap();
            let original = analyse(&a, &c, None);
            prop_assert_eq!(scores(&original), scores(&again));
            prop_assert_eq!(plan(&original), plan(&again));
        }

        #[test]
        fn rounded_components_reproduce_the_rounded_score(w in world()) {
            let report = RankReport::of(&run(&w), None);
            for p in &report.priorities {
                let c = &p.components;
                let again = crate::score::Components {
                    gap: c.gap,
                    coverage: c.coverage,
                    confidence: c.confidence,
                    metrics: c.metrics,
                    deterioration: c.deterioration,
                    theme_weight: c.theme_weight,
                }
                .score();
                prop_assert!(
                    (again - p.score).abs() <= reproduction_tolerance(p.score),
                    "{} vs {}", again, p.score
                );
            }
        }

        #[test]
        fn the_plan_covers_each_question_once_in_falling_order(w in world()) {
            let a = run(&w);
            let mut seen = std::collections::BTreeSet::new();
            let mut last = f64::INFINITY;
            for p in &a.plan.actions {
                prop_assert!(p.risk_covered <= last);
                last = p.risk_covered;
                for q in &p.covers {
                    prop_assert!(seen.insert(q.clone()), "{} covered twice", q);
                }
                let sum: f64 = a.ranking.priorities.iter()
                    .filter(|s| p.covers.contains(&s.question)).map(|s| s.score).fold(0.0, |x, y| x + y);
                prop_assert!((sum - p.risk_covered).abs() < 1e-9);
            }
            for q in &a.plan.uncovered {
                prop_assert!(!seen.contains(q));
            }
        }
    }
}

#[cfg(test)]
mod csv_tests {
    use super::*;

    #[test]
    fn csv_cells_a_spreadsheet_would_run_are_made_text_and_numbers_left_alone() {
        let cell = |s: &str| csv_cell(s.to_string());
        for risky in [
            "=HYPERLINK(\"http://x.example\",\"open\")",
            "+1+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1:A2)",
            "\tindented",
            "\rreturn",
            "-",
            "-inf",
            "+NaN",
        ] {
            assert_eq!(cell(risky), format!("'{risky}"), "{risky:?}");
        }
        for plain in [
            "-1", "-0.25", "+3", "-1.5e-3", "124.38", "0", "", "n/a", "a-b", "Fenmoor",
        ] {
            assert_eq!(cell(plain), plain, "{plain:?}");
        }
    }
}

#[cfg(test)]
mod counts {
    use super::testkit::*;
    use super::*;

    /// Two themes; council answers both questions, police only q1 ("not applicable").
    fn world() -> (Audit, Cycle) {
        let mut a = audit(
            framework(
                &[1, 2, 3, 4],
                &[("t", 1.0), ("u", 1.0)],
                &[("q1", "t"), ("q2", "u")],
            ),
            &[("council", true), ("police", true), ("health", false)],
        );
        let mut c = cycle("2025-26");
        answer(&mut c, "council", "q1", Rating::Value(2), Confidence::High);
        answer(&mut c, "council", "q2", Rating::Value(4), Confidence::Low);
        answer(
            &mut c,
            "police",
            "q1",
            Rating::NotApplicable,
            Confidence::Medium,
        );
        answer(&mut c, "health", "q1", Rating::Value(3), Confidence::Low);
        a.cycles = vec![c.clone()];
        (a, c)
    }

    #[test]
    fn rating_counts_split_values_from_not_applicable() {
        let (a, c) = world();
        let counts = scope_answers(&c, a.framework("fw"));
        assert_eq!((counts.at(2), counts.at(3), counts.at(4)), (1, 1, 1));
        assert_eq!(counts.at(1), 0);
        assert_eq!(counts.not_applicable, 1);
        assert_eq!(counts.total(), 4);
        let fw = a.framework("fw");
        let asked: Vec<&Question> = c.questions(fw).collect();
        let council = return_answers(c.response("council").unwrap(), &asked);
        assert_eq!((council.at(2), council.at(4), council.total()), (1, 1, 2));
    }

    #[test]
    fn a_tally_counts_one_questions_answers_without_naming_agencies() {
        let (a, c) = world();
        let t = AnswerTally::of(&a, &c, "q1");
        assert_eq!(t.agencies, 3);
        assert_eq!(t.ratings, vec![2, 3]);
        assert_eq!((t.not_applicable, t.unanswered), (1, 0));
        assert_eq!(t.range(), Some((2, 3)));
        assert_eq!(t.mean(), Some(2.5));
        assert_eq!(t.with_confidence(Confidence::Low), 1);
        let t = AnswerTally::of(&a, &c, "q2");
        assert_eq!((t.ratings.len(), t.unanswered), (1, 2));
    }

    #[test]
    fn means_come_from_the_ranked_questions_and_frameworks_must_all_match() {
        let (a, c) = world();
        let x = analyse(&a, &c, None);
        let rated: Vec<f64> = x
            .ranking
            .priorities
            .iter()
            .filter_map(|s| s.rating)
            .collect();
        assert_eq!(
            x.mean_rating(),
            Some(rated.iter().sum::<f64>() / rated.len() as f64)
        );
        assert_eq!(x.theme_mean("u"), Some(4.0));
        assert_eq!(x.theme_mean("nope"), None);
        assert_eq!(shared_framework(&[Some(&x), Some(&x)]), Some("fw"));
        assert_eq!(shared_framework(&[Some(&x), None]), None);
        assert_eq!(shared_framework(&[]), None);
    }

    #[test]
    fn a_change_counts_when_it_shows_or_crosses_a_level() {
        assert_eq!(
            theme_direction(Some(2.0), Some(2.004)),
            Direction::Unchanged
        );
        assert_eq!(theme_direction(Some(2.0), Some(2.01)), Direction::Improved);
        assert_eq!(theme_direction(Some(2.0), Some(1.99)), Direction::Declined);
        assert_eq!(theme_direction(None, Some(2.0)), Direction::NotComparable);
        let (a, _) = world();
        let fw = a.framework("fw");
        assert_eq!(level_move(fw, 2.0, 2.2), LevelMove::Same);
        assert_eq!(level_move(fw, 3.0, 2.0), LevelMove::Down(1.0));
        assert_eq!(level_move(fw, 1.0, 4.0), LevelMove::Up(3.0));
    }
}
