//! Stage 3: score the risk of each question a cycle asks.
//!
//! The formula (documented with a worked example in the README, "How the ranking works"):
//!
//! ```text
//! shortfall = 1 - coverage × (1 - gap)                    0..1
//! score     = 100 × (0.1 + 0.9 × shortfall) × confidence × metrics × deterioration × theme_weight
//! ```
//!
//! Every factor is kept in [`Components`], so the score can be reproduced (and explained) from
//! them. Nothing here depends on the scale's numbers: ratings enter only as a share of the
//! scale's range, so 0..3, 0..4 and 1..5 banks all score alike.

use crate::model::{Audit, Better, Confidence, Cycle, Framework, Level, Metric, Question, Rating};
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

/// Even a question rated at the top of the scale by every agency keeps this share of the risk,
/// so that weak evidence and adverse data still order the best-rated questions.
pub const RESIDUAL: f64 = 0.1;
/// Confidence factor per answer: weaker evidence raises risk.
pub const CONFIDENCE_HIGH: f64 = 1.0;
pub const CONFIDENCE_MEDIUM: f64 = 1.15;
pub const CONFIDENCE_LOW: f64 = 1.3;
/// Each adverse metric signal (off target, worse than the comparator, worsening) adds this.
pub const METRIC_STEP: f64 = 0.1;
/// The metrics factor never exceeds this, however many metrics bear on a question.
pub const METRIC_CAP: f64 = 1.5;
/// A fall of the whole scale's range since the comparable cycle multiplies risk by 1 + this.
pub const DETERIORATION_WEIGHT: f64 = 0.5;
/// A deep dive rating a question the whole scale's range below the main cycle multiplies its
/// risk by 1 + this: what the case files or practitioners show outweighs what was claimed.
pub const TRIANGULATION_WEIGHT: f64 = 0.5;
/// Methods disagree (`evidence-conflict`) when their ratings of a question are this many
/// scale points apart or more: a whole level.
pub const CONFLICT_POINTS: f64 = 1.0;
/// How far the agencies' mean is pulled towards the lowest rating of any agency.
pub const PULL_LOWEST: f64 = 0.25;
/// How far the agencies' mean is pulled towards the lowest rating of a statutory partner.
pub const PULL_STATUTORY: f64 = 0.5;

/// The risk score of one question in one cycle, with everything that went into it.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionScore {
    /// Position in the ranking, from 1; 0 until `prioritise` has ranked it.
    pub rank: usize,
    /// The question's id.
    pub question: String,
    /// The question's theme id.
    pub theme: String,
    pub level: Level,
    /// The partnership's effective rating on the framework's scale: moderated where moderated,
    /// else the agencies' [`aggregate`](Self::aggregate). None: no agency answered (and no
    /// moderated rating).
    pub rating: Option<f64>,
    /// The agencies' aggregate before moderation (see [`aggregate_ratings`]); None when no
    /// agency gave a rating on the scale.
    pub aggregate: Option<f64>,
    /// The plain mean of the agencies' ratings (n/a left out).
    pub mean: Option<f64>,
    /// The moderation panel set the rating.
    pub moderated: bool,
    /// Agencies that gave a rating on the scale.
    pub answered: usize,
    /// Agencies that answered "n/a" (left out of the aggregate and of `coverage`).
    pub not_applicable: usize,
    /// Agencies with no answer: returned without it, or returned nothing at all.
    pub unanswered: usize,
    /// Lowest and highest agency rating, and the difference (in scale points).
    pub min: Option<u32>,
    pub max: Option<u32>,
    pub spread: Option<u32>,
    /// The lowest rating given by a statutory partner, when one answered.
    pub lowest_statutory: Option<u32>,
    /// Every agency of the partnership, in partnership order (internal pages only: never publish).
    pub agencies: Vec<AgencyRating>,
    /// The metrics that bear on this question, with their reading for the cycle's period.
    pub metrics: Vec<MetricSignal>,
    /// The factors of the score.
    pub components: Components,
    /// `Components::score()`, unrounded.
    pub score: f64,
    /// Why a board should look at it, in a fixed order.
    pub flags: Vec<Flag>,
    /// The same question in the comparable cycle (same method, or `compare_with`), when it was
    /// asked there.
    pub previous: Option<Change>,
    /// The latest deep dive's evidence on this question, for a self-assessment.
    pub deep_dive: Option<DeepDive>,
}

/// What a deep dive (a tabletop audit, a case audit, a survey) found on a question, as a rating
/// on the same scale, so that it can be weighed against what agencies said.
#[derive(Debug, Clone, Serialize)]
pub struct DeepDive {
    pub cycle: String,
    pub method: crate::model::Method,
    pub rating: f64,
    /// What the rating rests on, in a reader's words ("agencies' ratings at the tabletop").
    pub basis: String,
}

/// One agency's answer to a question.
#[derive(Debug, Clone, Serialize)]
pub struct AgencyRating {
    pub agency: String,
    pub statutory: bool,
    /// A scale value, "n/a", or null when the agency gave no answer.
    #[serde(serialize_with = "serialize_rating")]
    pub rating: Option<Rating>,
    /// None when the agency gave no answer.
    pub confidence: Option<Confidence>,
}

/// How one metric reads for the cycle, and which way it points.
#[derive(Debug, Clone, Serialize)]
pub struct MetricSignal {
    pub metric: String,
    pub title: String,
    pub unit: String,
    pub better: Better,
    /// The latest value for a period at or before the cycle's period; None when there is none.
    pub value: Option<f64>,
    /// The period that value is for.
    pub period: Option<String>,
    pub target: Option<f64>,
    /// The comparator's value (e.g. England), and its label.
    pub comparator: Option<f64>,
    pub comparator_label: Option<String>,
    /// The value for the period before `period`.
    pub previous: Option<f64>,
    pub previous_period: Option<String>,
    /// Worse than the target in the metric's direction (never for `better = "neither"`).
    pub off_target: bool,
    pub worse_than_comparator: bool,
    /// Worse than the previous period's value.
    pub worsening: bool,
}

impl MetricSignal {
    /// How many adverse signals this metric gives (0 to 3).
    pub fn adverse(&self) -> usize {
        usize::from(self.off_target)
            + usize::from(self.worse_than_comparator)
            + usize::from(self.worsening)
    }
}

/// The factors of a score. `score = 100 × (RESIDUAL + (1 - RESIDUAL) × shortfall) ×
/// confidence × metrics × deterioration × theme_weight`, with `shortfall = 1 - coverage ×
/// (1 - gap)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Components {
    /// Distance from the effective rating to the top of the scale, as a share of the scale's
    /// range: 0 (top) to 1 (bottom, or no rating).
    pub gap: f64,
    /// Share of the agencies expected to answer (all but those saying n/a) that gave a rating:
    /// 0 to 1. 1 for a moderated question: the panel's rating stands for the partnership.
    pub coverage: f64,
    /// Mean confidence factor of the ratings given: 1.0 (all high) to 1.3 (all low, or none).
    pub confidence: f64,
    /// 1 + 0.1 per adverse metric signal, at most 1.5.
    pub metrics: f64,
    /// 1 + 0.5 × the fall in rating since the comparable cycle as a share of the range, when the
    /// fall is at least the partnership's change threshold: 1 to 1.5.
    pub deterioration: f64,
    /// 1 + 0.5 × how far the latest deep dive rated the question below this cycle, as a share
    /// of the range: 1 to 1.5. Never below 1: better deep-dive news never lowers a score.
    pub triangulation: f64,
    /// The theme's weight for this partnership (above 0, at most 10).
    pub theme_weight: f64,
}

impl Components {
    /// The share of assurance not evidenced: unanswered agencies count as no assurance.
    pub fn shortfall(&self) -> f64 {
        1.0 - self.coverage * (1.0 - self.gap)
    }

    /// The score these components give.
    pub fn score(&self) -> f64 {
        100.0
            * (RESIDUAL + (1.0 - RESIDUAL) * self.shortfall())
            * self.confidence
            * self.metrics
            * self.deterioration
            * self.triangulation
            * self.theme_weight
    }
}

/// A reason a board should look at a question. Serialised kebab-case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Flag {
    /// At least one agency gave no answer, or no agency did.
    Unanswered,
    /// Agencies' ratings differ by half the scale's range or more.
    AgenciesDisagree,
    /// A statutory partner rated it below the middle of the scale.
    StatutoryLow,
    /// A metric bearing on it is worse than its target.
    MetricOffTarget,
    /// A metric bearing on it is worse than its comparator.
    WorseThanComparator,
    /// A metric bearing on it is worse than in the period before.
    MetricWorsening,
    /// The effective rating fell since the comparable cycle, by the change threshold or more.
    Deteriorated,
    /// A deep dive rated it a whole level or more away from this cycle's rating.
    EvidenceConflict,
    /// The moderation panel set the rating.
    Moderated,
    /// At least half the ratings given rest on low-confidence evidence.
    LowConfidence,
}

impl Flag {
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::Unanswered => "unanswered",
            Flag::AgenciesDisagree => "agencies-disagree",
            Flag::StatutoryLow => "statutory-low",
            Flag::MetricOffTarget => "metric-off-target",
            Flag::WorseThanComparator => "worse-than-comparator",
            Flag::MetricWorsening => "metric-worsening",
            Flag::Deteriorated => "deteriorated",
            Flag::EvidenceConflict => "evidence-conflict",
            Flag::Moderated => "moderated",
            Flag::LowConfidence => "low-confidence",
        }
    }
}

/// The same question in the previous cycle.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// The previous cycle's id.
    pub cycle: String,
    pub rating: Option<f64>,
    pub score: f64,
}

fn serialize_rating<S: Serializer>(r: &Option<Rating>, s: S) -> Result<S::Ok, S::Error> {
    match r {
        Some(Rating::Value(v)) => s.serialize_u32(*v),
        Some(Rating::NotApplicable) => s.serialize_str("n/a"),
        None => s.serialize_none(),
    }
}

/// The agencies' aggregate of their ratings: the plain mean pulled a quarter of the way towards
/// the lowest rating of any agency, or half way towards the lowest rating of a statutory
/// partner, whichever is lower. `ratings` pairs each rating with whether its agency is a
/// statutory partner. None when there are no ratings.
///
/// Lowering any one rating never raises the result (each term is a non-decreasing function of
/// every rating), which is what keeps "a lower rating never ranks lower" true.
pub fn aggregate_ratings(ratings: &[(u32, bool)]) -> Option<f64> {
    let lowest = ratings.iter().map(|&(v, _)| v).min()?;
    let mean = ratings.iter().map(|&(v, _)| f64::from(v)).sum::<f64>() / ratings.len() as f64;
    let towards_lowest = (1.0 - PULL_LOWEST) * mean + PULL_LOWEST * f64::from(lowest);
    let lowest_statutory = ratings.iter().filter(|r| r.1).map(|&(v, _)| v).min();
    Some(match lowest_statutory {
        Some(s) => {
            towards_lowest.min((1.0 - PULL_STATUTORY) * mean + PULL_STATUTORY * f64::from(s))
        }
        None => towards_lowest,
    })
}

/// The confidence factor of one answer.
pub fn confidence_factor(c: Confidence) -> f64 {
    match c {
        Confidence::High => CONFIDENCE_HIGH,
        Confidence::Medium => CONFIDENCE_MEDIUM,
        Confidence::Low => CONFIDENCE_LOW,
    }
}

/// The scale's bottom, top and range (top - bottom, at least 1).
#[derive(Debug, Clone, Copy)]
struct Scale {
    bottom: f64,
    top: f64,
    range: f64,
}

impl Scale {
    fn of(fw: &Framework) -> Scale {
        let bottom = f64::from(fw.bottom());
        let top = f64::from(fw.top());
        Scale {
            bottom,
            top,
            range: (top - bottom).max(1.0),
        }
    }

    /// Distance to the top as a share of the range; no rating counts as the bottom.
    fn gap(self, rating: Option<f64>) -> f64 {
        rating.map_or(1.0, |r| ((self.top - r) / self.range).clamp(0.0, 1.0))
    }

    fn middle(self) -> f64 {
        self.bottom + self.range / 2.0
    }
}

/// Scores every question the cycle asks, in framework order (not yet ranked), with the change
/// since the comparable cycle (the previous one of the same method, or `compare_with`). The
/// second list holds the questions in scope left out of scoring because every agency that
/// answered said "n/a" and none was silent, or moderation rated them "n/a".
pub fn score_cycle(audit: &Audit, cycle: &Cycle) -> (Vec<QuestionScore>, Vec<String>) {
    // The comparable cycle's scores include its own deterioration, so look two cycles back.
    let previous = audit.comparable_cycle(cycle).map(|p| {
        let mut scores = assess(audit, p).0;
        if let Some(before) = audit.comparable_cycle(p) {
            compare_with_previous(audit, p, &mut scores, &assess(audit, before).0, &before.id);
        }
        (p, scores)
    });
    let (mut scores, not_applicable) = assess(audit, cycle);
    if let Some((p, before)) = &previous {
        compare_with_previous(audit, cycle, &mut scores, before, &p.id);
    }
    (scores, not_applicable)
}

/// Scores a cycle on its own: no deterioration factor, no previous.
fn assess(audit: &Audit, cycle: &Cycle) -> (Vec<QuestionScore>, Vec<String>) {
    let fw = audit.framework(&cycle.framework);
    let scale = Scale::of(fw);
    let mut scores = Vec::new();
    let mut not_applicable = Vec::new();
    for q in cycle.questions(fw) {
        match assess_question(audit, cycle, fw, scale, q) {
            Some(s) => scores.push(s),
            None => not_applicable.push(q.id.clone()),
        }
    }
    (scores, not_applicable)
}

fn assess_question(
    audit: &Audit,
    cycle: &Cycle,
    fw: &Framework,
    scale: Scale,
    q: &Question,
) -> Option<QuestionScore> {
    let agencies: Vec<AgencyRating> = cycle
        .agencies(&audit.partnership)
        .map(|a| {
            let answer = cycle.response(&a.id).and_then(|r| r.answers.get(&q.id));
            AgencyRating {
                agency: a.id.clone(),
                statutory: a.statutory,
                rating: answer.map(|x| x.rating),
                confidence: answer.map(|x| x.confidence),
            }
        })
        .collect();
    let ratings: Vec<(u32, bool)> = agencies
        .iter()
        .filter_map(|a| a.rating.and_then(Rating::value).map(|v| (v, a.statutory)))
        .collect();
    let confidences: Vec<Confidence> = agencies
        .iter()
        .filter(|a| matches!(a.rating, Some(Rating::Value(_))))
        .filter_map(|a| a.confidence)
        .collect();
    let answered = ratings.len();
    let not_applicable = agencies
        .iter()
        .filter(|a| a.rating == Some(Rating::NotApplicable))
        .count();
    let unanswered = agencies.iter().filter(|a| a.rating.is_none()).count();

    let moderated = cycle.moderated(&q.id).and_then(|m| m.rating);
    let everyone_said_na = answered == 0 && unanswered == 0 && not_applicable > 0;
    if moderated == Some(Rating::NotApplicable) || (moderated.is_none() && everyone_said_na) {
        return None;
    }
    let moderated_value = moderated.and_then(Rating::value).map(f64::from);

    let aggregate = aggregate_ratings(&ratings);
    let rating = moderated_value.or(aggregate);
    let min = ratings.iter().map(|r| r.0).min();
    let max = ratings.iter().map(|r| r.0).max();
    let expected = answered + unanswered;
    let coverage = if moderated_value.is_some() {
        1.0
    } else if expected == 0 {
        0.0
    } else {
        answered as f64 / expected as f64
    };
    let confidence = if confidences.is_empty() {
        CONFIDENCE_LOW
    } else {
        confidences
            .iter()
            .map(|&c| confidence_factor(c))
            .sum::<f64>()
            / confidences.len() as f64
    };
    let metrics = metric_signals(audit, cycle, q);
    let adverse: usize = metrics.iter().map(MetricSignal::adverse).sum();
    let theme_weight = fw.theme(&q.theme).map_or(1.0, |t| audit.theme_weight(t));
    let components = Components {
        gap: scale.gap(rating),
        coverage,
        confidence,
        metrics: (1.0 + METRIC_STEP * adverse as f64).min(METRIC_CAP),
        deterioration: 1.0,
        triangulation: 1.0,
        theme_weight,
    };
    let mut score = QuestionScore {
        rank: 0,
        question: q.id.clone(),
        theme: q.theme.clone(),
        level: q.level,
        rating,
        aggregate,
        mean: (answered > 0)
            .then(|| ratings.iter().map(|r| f64::from(r.0)).sum::<f64>() / answered as f64),
        moderated: moderated_value.is_some(),
        answered,
        not_applicable,
        unanswered,
        min,
        max,
        spread: min.zip(max).map(|(lo, hi)| hi - lo),
        lowest_statutory: ratings.iter().filter(|r| r.1).map(|r| r.0).min(),
        agencies,
        metrics,
        score: components.score(),
        components,
        flags: Vec::new(),
        previous: None,
        deep_dive: None,
    };
    score.flags = flags(&score, scale, audit.partnership.change_threshold);
    Some(score)
}

/// The metrics that bear on a question (it names them, or they name it or its theme), in the
/// order the partnership lists its metrics, read at the cycle's period.
fn metric_signals(audit: &Audit, cycle: &Cycle, q: &Question) -> Vec<MetricSignal> {
    audit
        .metrics
        .iter()
        .filter(|m| {
            q.metrics.contains(&m.id) || m.questions.contains(&q.id) || m.themes.contains(&q.theme)
        })
        .map(|m| signal(m, &cycle.period))
        .collect()
}

/// How one value of a metric stands against its target: what the metrics page shows for the
/// latest value and for each period. [`MetricSignal::off_target`] is this at the cycle's period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetStatus {
    /// `better = "neither"`: the metric is shown for context and never judged.
    ContextOnly,
    NoData,
    WorseThanTarget,
    OnTarget,
    NoTarget,
}

/// Judges `value` (None when the metric has no value for the period) against `m`'s target.
pub fn target_status(m: &Metric, value: Option<f64>) -> TargetStatus {
    if m.better == Better::Neither {
        return TargetStatus::ContextOnly;
    }
    match (value, m.target) {
        (None, _) => TargetStatus::NoData,
        (Some(v), Some(t)) if m.worse(v, t) => TargetStatus::WorseThanTarget,
        (Some(_), Some(_)) => TargetStatus::OnTarget,
        (Some(_), None) => TargetStatus::NoTarget,
    }
}

fn signal(m: &Metric, period: &str) -> MetricSignal {
    let current = m.value_at(period);
    let before = m.previous_value(period);
    let value = current.map(|(_, v)| v);
    let worse_than =
        |reference: Option<f64>| value.zip(reference).is_some_and(|(v, r)| m.worse(v, r));
    let comparator = m.comparator.as_ref().map(|c| c.value);
    MetricSignal {
        metric: m.id.clone(),
        title: m.title.clone(),
        unit: m.unit.clone(),
        better: m.better,
        value,
        period: current.map(|(p, _)| p.to_string()),
        target: m.target,
        comparator,
        comparator_label: m.comparator.as_ref().map(|c| c.label.clone()),
        previous: before.map(|(_, v)| v),
        previous_period: before.map(|(p, _)| p.to_string()),
        off_target: target_status(m, value) == TargetStatus::WorseThanTarget,
        worse_than_comparator: worse_than(comparator),
        worsening: worse_than(before.map(|(_, v)| v)),
    }
}

/// Sets each question's deterioration factor and `previous` from the previous cycle's scores.
fn compare_with_previous(
    audit: &Audit,
    cycle: &Cycle,
    scores: &mut [QuestionScore],
    before: &[QuestionScore],
    before_cycle: &str,
) {
    let scale = Scale::of(audit.framework(&cycle.framework));
    let threshold = audit.partnership.change_threshold;
    let by_id: BTreeMap<&str, &QuestionScore> =
        before.iter().map(|s| (s.question.as_str(), s)).collect();
    for s in scores.iter_mut() {
        let Some(prev) = by_id.get(s.question.as_str()) else {
            continue;
        };
        if let (Some(now), Some(then)) = (s.rating, prev.rating)
            && crate::analysis::movement(Some(then), Some(now), threshold)
                == crate::analysis::Movement::Fell
        {
            let fall = ((then - now) / scale.range).max(0.0);
            s.components.deterioration = 1.0 + DETERIORATION_WEIGHT * fall;
        }
        s.score = s.components.score();
        s.previous = Some(Change {
            cycle: before_cycle.to_string(),
            rating: prev.rating,
            score: prev.score,
        });
        s.flags = flags(s, scale, threshold);
    }
}

/// Weighs the latest deep dives' evidence on a self-assessment's questions: a deep dive that
/// rated a question lower raises its score (`triangulation`), one a whole level away either
/// way flags `evidence-conflict`. Better deep-dive news never lowers a score.
pub fn triangulate(
    audit: &Audit,
    cycle: &Cycle,
    scores: &mut [QuestionScore],
    evidence: &BTreeMap<String, DeepDive>,
) {
    let scale = Scale::of(audit.framework(&cycle.framework));
    for s in scores.iter_mut() {
        let Some(d) = evidence.get(&s.question) else {
            continue;
        };
        if let Some(now) = s.rating {
            let worse = ((now - d.rating) / scale.range).max(0.0);
            s.components.triangulation = 1.0 + TRIANGULATION_WEIGHT * worse;
        }
        s.deep_dive = Some(d.clone());
        s.score = s.components.score();
        s.flags = flags(s, scale, audit.partnership.change_threshold);
    }
}

fn flags(s: &QuestionScore, scale: Scale, threshold: f64) -> Vec<Flag> {
    let low_confidence = s
        .agencies
        .iter()
        .filter(|a| matches!(a.rating, Some(Rating::Value(_))))
        .filter(|a| a.confidence == Some(Confidence::Low))
        .count();
    let fell = s.previous.as_ref().is_some_and(|p| {
        crate::analysis::movement(p.rating, s.rating, threshold) == crate::analysis::Movement::Fell
    });
    let conflict = s
        .deep_dive
        .as_ref()
        .zip(s.rating)
        .is_some_and(|(d, now)| (now - d.rating).abs() >= CONFLICT_POINTS);
    let checks = [
        (Flag::Unanswered, s.unanswered > 0 || s.rating.is_none()),
        (
            Flag::AgenciesDisagree,
            s.spread
                .is_some_and(|d| f64::from(d) >= scale.range / 2.0 && d > 0),
        ),
        (
            Flag::StatutoryLow,
            s.lowest_statutory
                .is_some_and(|v| f64::from(v) < scale.middle()),
        ),
        (
            Flag::MetricOffTarget,
            s.metrics.iter().any(|m| m.off_target),
        ),
        (
            Flag::WorseThanComparator,
            s.metrics.iter().any(|m| m.worse_than_comparator),
        ),
        (Flag::MetricWorsening, s.metrics.iter().any(|m| m.worsening)),
        (Flag::Deteriorated, fell),
        (Flag::EvidenceConflict, conflict),
        (Flag::Moderated, s.moderated),
        (
            Flag::LowConfidence,
            s.answered > 0 && 2 * low_confidence >= s.answered,
        ),
    ];
    checks
        .iter()
        .filter(|(_, on)| *on)
        .map(|(f, _)| *f)
        .collect()
}

#[cfg(test)]
#[path = "score_tests.rs"]
mod tests;
