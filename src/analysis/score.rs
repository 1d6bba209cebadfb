//! Stage 3: score the risk of each question a cycle asks, from its assessed rating (see
//! `triangulate`), the agencies' coverage and confidence, the metrics and the theme's weight.
//!
//! The formula (explained with a worked example in the guide, docs/src/method/scoring.md):
//!
//! ```text
//! shortfall = 1 - coverage × (1 - gap)                    0..1
//! score     = 100 × (0.1 + 0.9 × shortfall) × confidence × metrics × deterioration × theme_weight
//! ```
//!
//! `gap` comes from the **assessed** rating, so a deep dive that finds practice a level lower
//! moves the score exactly as that rating would. Every factor is kept in [`Components`], so the
//! score can be reproduced (and explained) from them. Nothing here depends on the scale's
//! numbers: ratings enter only as a share of the scale's range, so 0..3, 0..4 and 1..5 banks
//! all score alike.

pub use super::agency_ratings::{
    AgencyRating, CONFIDENCE_HIGH, CONFIDENCE_LOW, CONFIDENCE_MEDIUM, PULL_LOWEST, PULL_STATUTORY,
};
use super::evidence::{AgencyReading, Reading, Source};
pub use super::metrics::MetricSignal;
use super::triangulate::{Assessment, Weighed};
use crate::model::{Audit, Confidence, Cycle, Framework, Level, Question, Rating};
use serde::Serialize;

/// Even a question rated at the top of the scale by every agency keeps this share of the risk,
/// so that weak evidence and adverse data still order the best-rated questions.
pub const RESIDUAL: f64 = 0.1;
/// Each adverse metric signal (off target, worse than the comparator, worsening) adds this.
pub const METRIC_STEP: f64 = 0.1;
/// The metrics factor never exceeds this, however many metrics bear on a question.
pub const METRIC_CAP: f64 = 1.5;
/// A question whose actions are all complete while its rating since is no better is weighed
/// by this (see `impact`): the plan says it is dealt with, and the evidence says otherwise.
pub const NO_CHANGE_WEIGHT: f64 = 1.2;
/// A fall of the whole scale's range since the comparable cycle multiplies risk by 1 + this.
pub const DETERIORATION_WEIGHT: f64 = 0.5;

/// The risk score of one question in one cycle, with everything that went into it.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionScore {
    /// Position in the ranking, from 1; 0 until `prioritise` has ranked it.
    pub rank: usize,
    /// The cycle the score is for.
    pub cycle: String,
    /// The question's id.
    pub question: String,
    /// The question's theme id.
    pub theme: String,
    pub level: Level,
    /// The **assessed** rating, to 2 places: what the gap, every page, `rank` and the data
    /// files use. For a self-assessment: the agencies' (moderated) rating, unless a deep dive
    /// in the window read it a level lower (then that reading: see `triangulate`). For a deep
    /// dive: its own evidence's lowest reading. None: nothing rated it.
    pub rating: Option<f64>,
    /// The assessed rating's level of the scale in words ("No rating" without one).
    pub label: String,
    /// The cycle's own reading before any other cycle's evidence, and where it came from.
    pub own_rating: Option<f64>,
    pub own_source: Option<Source>,
    /// The agencies' aggregate before moderation (see [`aggregate_ratings`]), to 2 places.
    pub aggregate: Option<f64>,
    /// The plain mean of the agencies' ratings (n/a left out), to 2 places.
    pub mean: Option<f64>,
    /// The moderation panel set the agencies' rating.
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
    /// Every agency asked, in partnership order (internal pages only: never publish).
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
    /// Deep-dive readings that weighed on it (self-assessments only), oldest first.
    pub weighed: Vec<Weighed>,
    /// The deep-dive reading that set the assessed rating (`evidence-conflict`), if any.
    pub lowered_by: Option<Reading>,
}

/// The factors of a score. `score = 100 × (RESIDUAL + (1 - RESIDUAL) × shortfall) ×
/// confidence × metrics × deterioration × theme_weight`, with `shortfall = 1 - coverage ×
/// (1 - gap)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Components {
    /// Distance from the assessed rating to the top of the scale, as a share of the scale's
    /// range: 0 (top) to 1 (bottom, or no rating).
    pub gap: f64,
    /// Share of the agencies expected to answer (all but those saying n/a) that gave a rating:
    /// 0 to 1. 1 for a moderated question (the panel's rating stands for the partnership) and
    /// for a deep dive's question rated from its cases or survey.
    pub coverage: f64,
    /// Mean confidence factor of the ratings given: 1.0 (all high) to 1.3 (all low, or none).
    /// Evidence of practice: 1.0, or 1.15 when it rests on fewer cases or answers than the
    /// partnership's publication minimum.
    pub confidence: f64,
    /// 1 + 0.1 per adverse metric signal, at most 1.5.
    pub metrics: f64,
    /// 1 + 0.5 × the fall in rating since the comparable cycle as a share of the range, when the
    /// fall is at least the partnership's change threshold: 1 to 1.5.
    pub deterioration: f64,
    /// [`NO_CHANGE_WEIGHT`] when every action on the question is complete and the
    /// evidence since is no better (`actions-complete-no-change`), else 1.
    pub after_actions: f64,
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
            * self.after_actions
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
    /// A deep dive in the evidence window read it a level lower than the agencies did, and
    /// moderation has not yet considered it: the deep dive's reading is the assessed rating.
    EvidenceConflict,
    /// Every action addressing it is complete, and its rating since is no better.
    ActionsCompleteNoChange,
    /// The moderation panel set the rating.
    Moderated,
    /// At least half the ratings given rest on low-confidence evidence.
    LowConfidence,
}

impl Flag {
    /// Drawn from individual agencies' answers (how far apart, a statutory partner's, their
    /// confidence): a public page shows it only where disclosure control hides no count.
    pub fn is_drawn_from_single_answers(self) -> bool {
        matches!(
            self,
            Flag::AgenciesDisagree | Flag::StatutoryLow | Flag::LowConfidence
        )
    }

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
            Flag::ActionsCompleteNoChange => "actions-complete-no-change",
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

/// The scale's bottom, top and range (top - bottom, at least 1).
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    bottom: f64,
    top: f64,
    pub range: f64,
}

impl Scale {
    pub fn of(fw: &Framework) -> Scale {
        let bottom = f64::from(fw.bottom());
        let top = f64::from(fw.top());
        Scale {
            bottom,
            top,
            range: (top - bottom).max(1.0),
        }
    }

    /// Distance to the top as a share of the range; no rating counts as the bottom.
    pub fn gap(self, rating: Option<f64>) -> f64 {
        rating.map_or(1.0, |r| ((self.top - r) / self.range).clamp(0.0, 1.0))
    }

    fn middle(self) -> f64 {
        self.bottom + self.range / 2.0
    }
}

/// Scores one question of `cycle` from its assessment. `agencies` is the agencies' combined
/// answers when the cycle collected returns; `own_source` says where the cycle's own reading
/// came from, and `practice_thin` that evidence of practice rests on fewer cases or answers
/// than the partnership's minimum.
pub struct Inputs<'a> {
    pub question: &'a Question,
    pub agencies: Option<&'a AgencyReading>,
    pub own: Option<&'a Reading>,
    pub practice_thin: bool,
    pub assessment: Assessment,
}

pub fn score_question(
    audit: &Audit,
    cycle: &Cycle,
    fw: &Framework,
    i: Inputs<'_>,
) -> QuestionScore {
    let q = i.question;
    let scale = Scale::of(fw);
    let from_practice = i.own.is_some_and(|r| r.source.is_practice());
    let a = i.agencies.filter(|_| !from_practice);
    let coverage = match a {
        Some(a) if a.moderated.is_some() => 1.0,
        Some(a) if a.answered + a.unanswered == 0 => 0.0,
        Some(a) => a.answered as f64 / (a.answered + a.unanswered) as f64,
        None if from_practice => 1.0,
        None => 0.0,
    };
    let confidence = match a {
        Some(a) => a.confidence,
        None if from_practice && i.practice_thin => CONFIDENCE_MEDIUM,
        None if from_practice => CONFIDENCE_HIGH,
        None => CONFIDENCE_LOW,
    };
    let metrics = metric_signals(audit, cycle, q);
    let adverse: usize = metrics.iter().map(MetricSignal::adverse).sum();
    let components = Components {
        gap: scale.gap(i.assessment.rating),
        coverage,
        confidence,
        metrics: (1.0 + METRIC_STEP * adverse as f64).min(METRIC_CAP),
        deterioration: 1.0,
        after_actions: 1.0,
        theme_weight: fw.theme(&q.theme).map_or(1.0, |t| audit.theme_weight(t)),
    };
    let ag = i.agencies;
    let mut s = QuestionScore {
        rank: 0,
        cycle: cycle.id.clone(),
        question: q.id.clone(),
        theme: q.theme.clone(),
        level: q.level,
        rating: i.assessment.rating,
        label: i
            .assessment
            .rating
            .map_or_else(|| "No rating".to_string(), |r| fw.level_at(r).label.clone()),
        own_rating: i.own.and_then(|r| r.rating),
        own_source: i.own.map(|r| r.source),
        aggregate: ag.and_then(|a| a.aggregate),
        mean: ag.and_then(|a| a.mean),
        moderated: ag.is_some_and(|a| a.moderated.is_some()),
        answered: ag.map_or(0, |a| a.answered),
        not_applicable: ag.map_or(0, |a| a.not_applicable),
        unanswered: ag.map_or(0, |a| a.unanswered),
        min: ag.and_then(|a| a.min),
        max: ag.and_then(|a| a.max),
        spread: ag.and_then(|a| a.min.zip(a.max)).map(|(lo, hi)| hi - lo),
        lowest_statutory: ag.and_then(|a| a.lowest_statutory),
        agencies: ag.map(|a| a.agencies.clone()).unwrap_or_default(),
        metrics,
        score: components.score(),
        components,
        flags: Vec::new(),
        previous: None,
        weighed: i.assessment.weighed,
        lowered_by: i.assessment.lowered_by,
    };
    s.flags = flags(&s, scale, audit.partnership.change_threshold);
    s
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
        .map(|m| super::metrics::signal(m, &cycle.period))
        .collect()
}

/// Sets a question's deterioration factor and `previous` from the comparable cycle's score of
/// it (a fall in the assessed rating of at least the change threshold raises the score).
pub fn compare_with_previous(
    s: &mut QuestionScore,
    prev: &QuestionScore,
    fw: &Framework,
    threshold: f64,
) {
    let scale = Scale::of(fw);
    if let (Some(now), Some(then)) = (s.rating, prev.rating)
        && crate::analysis::movement(Some(then), Some(now), threshold)
            == crate::analysis::Movement::Fell
    {
        let fall = ((then - now) / scale.range).max(0.0);
        s.components.deterioration = 1.0 + DETERIORATION_WEIGHT * fall;
    }
    s.score = s.components.score();
    s.previous = Some(Change {
        cycle: prev.cycle.clone(),
        rating: prev.rating,
        score: prev.score,
    });
    s.flags = flags(s, scale, threshold);
}

/// Marks a question whose actions are all complete while its rating since is no better (see
/// `impact::complete_but_unchanged`): the factor and the flag.
pub fn after_actions_unchanged(s: &mut QuestionScore, fw: &Framework, threshold: f64) {
    s.components.after_actions = NO_CHANGE_WEIGHT;
    s.score = s.components.score();
    s.flags = flags(s, Scale::of(fw), threshold);
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
        (Flag::EvidenceConflict, s.lowered_by.is_some()),
        (
            Flag::ActionsCompleteNoChange,
            s.components.after_actions > 1.0,
        ),
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
mod tests;
